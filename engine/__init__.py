"""RNN Studio's numerical engine: recurrent networks in NumPy, trained by backpropagation
through time. It never imports Qt: the command line, scripts and the GUI all drive it."""

from .errors import EngineError
from .network import RecurrentNetwork
from .training import CancelToken, EpochReport, TrainingSettings

__version__ = "0.1.0"

__all__ = ["CancelToken", "EngineError", "EpochReport", "RecurrentNetwork",
           "TrainingSettings", "__version__"]
