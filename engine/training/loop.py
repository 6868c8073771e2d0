"""The training loop: mini-batches, selection error, early stopping, best weights kept.

Progress goes out as one :class:`EpochReport` per epoch through a callback; a
:class:`CancelToken` is checked between batches. Whatever ends the training, the network is
left with the weights of the epoch that had the lowest selection error (the training error
when there is no selection set), which are always finite.
"""

import math
import threading
import time
from dataclasses import dataclass, field, fields

import numpy as np

from engine.errors import EngineError
from engine.training.lbfgs import LBFGS
from engine.network.losses import make_loss, regularization
from engine.training.optimizers import SGD, Adam, RMSprop, clip_gradient_norm
from engine.training.process_pair import start_if_worth_it
from engine.network.validation import choice

OPTIMIZERS = ("adam", "sgd", "rmsprop", "lbfgs")
NO_EPOCH = " No epoch finished, so the initial weights were kept."


class CancelToken(threading.Event):
    """Set it (``cancel()``) from any thread to stop a training between two batches."""

    def cancel(self):
        self.set()

    @property
    def cancelled(self):
        return self.is_set()


@dataclass(frozen=True)
class EpochReport:
    """What one epoch did; errors are the data loss (without the L1/L2 penalty)."""

    epoch: int
    training_loss: float
    selection_loss: float | None
    elapsed: float                  # seconds since the training started
    learning_rate: float
    gradient_norm: float            # before clipping, last batch of the epoch
    best_epoch: int
    best_loss: float                # lowest selection (or training) loss so far
    max_epochs: int


@dataclass
class TrainingSettings:
    """Every choice of the training step, with defaults that work on small series."""

    loss: str = "mse"
    optimizer: str = "adam"
    learning_rate: float | None = None   # None: 3e-3 (Adam), 1e-3 (RMSprop), 1e-2 (SGD), 1 (L-BFGS)
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
        for name in ("batch_size", "max_epochs", "lbfgs_history"):
            _whole(self, name)
        for name in ("patience", "lr_patience"):
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


@dataclass
class TrainingResult:
    stop_reason: str
    best_epoch: int
    training_loss: float
    selection_loss: float | None
    history: list = field(default_factory=list)


def _optimizer(settings):
    if settings.optimizer == "adam":
        return Adam(settings.learning_rate)
    if settings.optimizer == "sgd":
        return SGD(settings.learning_rate, settings.momentum, settings.nesterov)
    if settings.optimizer == "rmsprop":
        return RMSprop(settings.learning_rate, settings.rms_alpha)
    return LBFGS(settings.lbfgs_history, settings.learning_rate)


def _is_cancelled(cancel):
    return cancel is not None and cancel.is_set()


class _Stop(Exception):
    """Ends the epoch loop with a reason in plain words."""


def train(network, X, Y, X_sel, Y_sel, settings, callback=None, cancel=None):
    """Train ``network`` in place on validated arrays; return a :class:`TrainingResult`."""
    params = network.parameters_
    values = params.values
    mask = network._weight_mask
    loss_fn = make_loss(settings.loss, settings.huber_delta, settings.minkowski_p,
                        variances=np.var(Y, axis=0))
    gradient = np.zeros_like(values)
    rng = np.random.default_rng(network.seed if settings.seed is None else settings.seed)
    optimizer = _optimizer(settings)
    started = time.perf_counter()
    n = X.shape[0]

    def batch_loss(Xb, Yb, index=None):
        """Data loss and penalty; the gradient of their sum goes into ``gradient``
        (of rows ``index`` of the training set, half of them in the second process, when
        ``pair`` is running)."""
        if index is not None:
            data = pair.loss_and_gradient(index, gradient)
        else:
            data = network._data_loss_and_gradient(Xb, Yb, loss_fn, gradient)
        return data, data + regularization(values, mask, settings.l1, settings.l2, gradient)

    def finite(value):
        return math.isfinite(value) and np.all(np.isfinite(gradient))

    def diverged(epoch):
        return _Stop(f"The training error became infinite or not a number in epoch {epoch} "
                     "(the training diverged). Try a smaller learning rate, gradient "
                     "clipping, or inputs and targets scaled to a few units.")

    best_values = values.copy()
    best_loss, best_epoch = math.inf, 0
    plateau_best, plateau_epochs = math.inf, 0
    history = []
    training_loss = selection_loss = None
    norm = 0.0
    lbfgs_state = None
    stop_reason = f"Reached the maximum of {settings.max_epochs} epochs."
    pair = start_if_worth_it(network, X, Y, loss_fn, settings)
    try:
        for epoch in range(1, settings.max_epochs + 1):
            if settings.optimizer == "lbfgs":
                if _is_cancelled(cancel):
                    raise _Stop("Stopped by the user.")
                if lbfgs_state is None:
                    data, total = batch_loss(X, Y)
                    if not finite(total):
                        raise diverged(epoch)
                    lbfgs_state = (total, gradient.copy())

                def evaluate(trial):
                    if _is_cancelled(cancel):
                        raise _Stop("Stopped by the user.")
                    _, total = batch_loss(X, Y)
                    return total, gradient.copy()

                total, grad, moved = optimizer.step(values, *lbfgs_state, evaluate)
                lbfgs_state = (total, grad)
                norm = float(np.linalg.norm(grad))
                training_loss = total - regularization(values, mask, settings.l1, settings.l2)
                if not moved or norm < settings.gradient_tolerance:
                    stop_reason = ("L-BFGS converged: no step lowers the error any more "
                                   f"(gradient norm {norm:.2e}).")
                    converged = True
                else:
                    converged = False
            else:
                order = rng.permutation(n) if settings.shuffle else np.arange(n)
                running = 0.0
                for start in range(0, n, settings.batch_size):
                    if _is_cancelled(cancel):
                        raise _Stop("Stopped by the user.")
                    index = np.sort(order[start:start + settings.batch_size])
                    if pair is None:
                        data, total = batch_loss(X[index], Y[index])
                    else:
                        data, total = batch_loss(None, None, index)
                    if not finite(total):
                        raise diverged(epoch)
                    norm = clip_gradient_norm(gradient, settings.clip_norm)
                    optimizer.step(values, gradient)
                    running += data * len(index)
                training_loss = running / n
                converged = False
            if X_sel is not None:
                selection_loss = loss_fn(network._predict_checked(X_sel), Y_sel)[0]
                monitored = selection_loss
            else:
                monitored = training_loss
            if not math.isfinite(monitored) or not np.all(np.isfinite(values)):
                raise diverged(epoch)
            if monitored < best_loss:
                best_loss, best_epoch = monitored, epoch
                best_values[...] = values
            if settings.lr_patience and settings.optimizer != "lbfgs":
                if monitored < plateau_best:
                    plateau_best, plateau_epochs = monitored, 0
                else:
                    plateau_epochs += 1
                    if plateau_epochs >= settings.lr_patience:
                        optimizer.learning_rate = max(settings.min_learning_rate,
                                                      optimizer.learning_rate * settings.lr_factor)
                        plateau_epochs = 0
            report = EpochReport(epoch, float(training_loss), selection_loss,
                                 time.perf_counter() - started, optimizer.learning_rate, norm,
                                 best_epoch, best_loss, settings.max_epochs)
            history.append(report)
            if callback is not None:
                callback(report)
            if converged:
                break
            if settings.patience and X_sel is not None and epoch - best_epoch >= settings.patience:
                stop_reason = (f"The selection error did not improve for {settings.patience} "
                               "epochs (early stopping).")
                break
            if settings.loss_goal is not None and monitored <= settings.loss_goal:
                stop_reason = f"The error reached the goal of {settings.loss_goal:g}."
                break
            if settings.time_limit is not None and report.elapsed >= settings.time_limit:
                stop_reason = f"The time limit of {settings.time_limit:g} s was reached."
                break
    except _Stop as stop:
        stop_reason = str(stop)
    except BaseException:
        values[...] = best_values      # e.g. an error in the callback: keep the best weights
        raise
    finally:
        if pair is not None:
            pair.close()
    if best_epoch:
        values[...] = best_values
        stop_reason += f" The weights of epoch {best_epoch} were kept."
    else:
        values[...] = best_values
        stop_reason += NO_EPOCH
    best = history[best_epoch - 1] if best_epoch else None
    return TrainingResult(stop_reason, best_epoch,
                          best.training_loss if best else math.nan,
                          best.selection_loss if best else None, history)
