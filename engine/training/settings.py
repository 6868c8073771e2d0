"""The training step's settings (:class:`TrainingSettings`, checked with plain-words errors)
and what one epoch reports (:class:`EpochReport`)."""

import math
from dataclasses import dataclass, fields

import numpy as np

from engine.errors import EngineError
from engine.network.losses import make_loss
from engine.network.validation import choice

OPTIMIZERS = ("adam", "sgd", "rmsprop", "lbfgs")
MAX_MEMBERS = 20        # networks averaged in one ensemble


def check_most_members(members, name="members"):
    """Refuse more than :data:`MAX_MEMBERS` networks averaged, naming the setting ``name``
    (``"--members"`` on the command line)."""
    if members > MAX_MEMBERS:
        raise EngineError(f"{name} must be at most {MAX_MEMBERS} networks; got {members}.")


@dataclass(frozen=True)
class EpochReport:
    """What one epoch did; errors are the data loss (without the L1/L2 penalty). With
    ``average_steps`` the selection error is the averaged weights' and the training error
    the optimizer's own (:mod:`engine.training.weight_average`)."""

    epoch: int
    training_loss: float
    selection_loss: float | None
    elapsed: float                  # seconds since the training started
    learning_rate: float
    gradient_norm: float            # before clipping, last batch of the epoch
    best_epoch: int
    best_loss: float                # lowest selection (or training) loss so far
    max_epochs: int
    # (training, selection) losses of the least-squares start when it is a candidate too
    # (it is kept when no epoch has a lower selection loss); None otherwise
    start: tuple | None = None


@dataclass
class TrainingSettings:
    """Every choice of the training step, with defaults that work on small series."""

    loss: str = "mse"
    optimizer: str = "adam"
    learning_rate: float | None = None   # None: DEFAULT_LEARNING_RATES of the optimizer
    batch_size: int = 32
    max_epochs: int = 1000
    patience: int | None = 60            # epochs without a better selection error; None/0: off
    clip_norm: float | None = 1.0        # largest gradient norm; None: no clipping
    l1: float = 0.0
    l2: float = 0.0
    shuffle: bool = True
    seed: int | None = None              # None: the network's seed
    momentum: float = 0.9                # SGD
    nesterov: bool = False               # SGD
    rms_alpha: float = 0.99              # RMSprop
    lbfgs_history: int = 10
    gradient_tolerance: float = 1e-7     # L-BFGS stops below this gradient norm
    lr_factor: float = 0.5               # reduce on plateau: multiply the rate by this...
    lr_patience: int | None = 20         # ...after this many epochs without improvement
    min_learning_rate: float = 1e-6      # (lr_patience None or 0: no reduction)
    selection_fraction: float = 0.2      # held out when no selection set is given
    huber_delta: float = 1.0
    minkowski_p: float = 1.5
    loss_goal: float | None = None       # stop when the selection (or training) loss is below
    time_limit: float | None = None      # seconds
    average_steps: int | None = None     # weights averaged over about this many steps
                                         # (engine.training.weight_average); None/0: off
    members: int = 1                     # networks from seeds seed, seed+1, ... averaged
                                         # (engine.training.run.fit_network); one fit: ignored

    @classmethod
    def from_kwargs(cls, **kwargs):
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - names)
        if unknown:
            raise EngineError(f"Unknown training setting(s) {', '.join(unknown)}; the settings "
                              f"are: {', '.join(sorted(names))}.")
        settings = cls(**kwargs)
        settings.check()
        return settings

    def check(self):
        """Raise :class:`EngineError` naming the first setting that cannot be used."""
        self.optimizer = choice(self.optimizer, OPTIMIZERS, "optimizer")
        make_loss(self.loss, self.huber_delta, self.minkowski_p)
        if self.learning_rate is None:
            self.learning_rate = DEFAULT_LEARNING_RATES[self.optimizer]
        _number(self, "learning_rate", low=0, low_open=True)
        for name in ("batch_size", "max_epochs", "lbfgs_history", "members"):
            _whole(self, name)
        for name in ("patience", "lr_patience", "average_steps"):
            _whole(self, name, optional=True)
        _number(self, "clip_norm", low=0, low_open=True, optional=True)
        for name in ("l1", "l2", "gradient_tolerance", "min_learning_rate"):
            _number(self, name, low=0)
        _number(self, "momentum", low=0, high=1)
        _number(self, "rms_alpha", low=0, high=1)
        _number(self, "selection_fraction", low=0, high=1)
        _number(self, "lr_factor", low=0, low_open=True, high=1, high_closed=True)
        _number(self, "loss_goal", optional=True)
        _number(self, "time_limit", low=0, low_open=True, optional=True)
        check_most_members(self.members)
        for name in ("shuffle", "nesterov"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise EngineError(f"{name} must be True or False; got {getattr(self, name)!r}.")
        if self.nesterov and self.optimizer == "sgd" and not self.momentum:
            raise EngineError("nesterov needs a momentum above 0; set momentum (e.g. 0.9) or "
                              "turn nesterov off.")
        if self.seed is not None:
            if (isinstance(self.seed, (bool, np.bool_))
                    or not isinstance(self.seed, (int, np.integer)) or self.seed < 0):
                raise EngineError(f"seed must be None or a whole number of 0 or more; got "
                                  f"{self.seed!r}.")


DEFAULT_LEARNING_RATES = {"adam": 3e-3, "rmsprop": 1e-3, "sgd": 1e-2, "lbfgs": 1.0}


def _number(settings, name, low=None, high=None, low_open=False, high_closed=False,
            optional=False):
    """Check that setting ``name`` is a finite real number in the given range
    (``[low, high)`` by default), or None when ``optional``."""
    value = getattr(settings, name)
    if value is None and optional:
        return
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and math.isfinite(value))
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value <= high if high_closed else value < high
    if not ok:
        if low is None:
            wanted = "a finite number"
        else:
            left = "above" if low_open else "at least"
            wanted = f"a number {left} {low:g}"
            if high is not None:
                wanted += f" and {'at most' if high_closed else 'below'} {high:g}"
        if optional:
            wanted += " (or None to turn it off)"
        raise EngineError(f"{name} must be {wanted}; got {value!r}.")


def _whole(settings, name, optional=False):
    """Check that setting ``name`` is a whole number of at least 1; when ``optional``, None
    or 0 turns it off (stored as None)."""
    value = getattr(settings, name)
    if optional and (value is None or (isinstance(value, (int, np.integer))
                                       and not isinstance(value, (bool, np.bool_))
                                       and value == 0)):
        setattr(settings, name, None)
        return
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value < 1:
        extra = " (or None or 0 to turn it off)" if optional else ""
        raise EngineError(f"{name} must be a whole number of at least 1{extra}; got "
                          f"{value!r}.")
