"""RNN Studio's numerical engine: recurrent networks in NumPy, trained by backpropagation
through time. It never imports Qt: the command line, scripts and the GUI all drive it."""

from engine.errors import EngineError
from engine.network.recurrent import RecurrentNetwork
from engine.training.loop import CancelToken, EpochReport, TrainingSettings
from engine.version import __version__

__all__ = ["CancelToken", "EngineError", "EpochReport", "RecurrentNetwork",
           "TrainingSettings", "__version__"]
