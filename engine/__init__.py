"""RNN Studio's numerical engine: recurrent networks in NumPy, trained by backpropagation
through time. It never imports Qt: the command line, scripts and the GUI all drive it."""

from engine.errors import EngineError
from engine.network.recurrent import RecurrentNetwork
from engine.tasks import Cancelled, TaskState
from engine.training.settings import EpochReport, TrainingSettings
from engine.version import __version__

__all__ = ["Cancelled", "EngineError", "EpochReport", "RecurrentNetwork", "TaskState",
           "TrainingSettings", "__version__"]
