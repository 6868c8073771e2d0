"""The training loop: epochs until a stop rule, the best weights kept.

Every epoch (:class:`~engine.training.epochs.MiniBatchEpochs` or
:class:`~engine.training.lbfgs_loop.LbfgsEpochs`) is followed by the monitored error ``e``
(the selection error, the training error without a selection set; with ``average_steps``
the selection error of the weights averaged along the path,
:mod:`engine.training.weight_average`, which are then the ones the report's hook sees and
the ones kept), the best-weights keeper,
the plateau schedule, one :class:`~engine.training.settings.EpochReport` through
``task.epoch`` and the stop rules (:mod:`engine.training.stopping`). Whatever ends the
training (a rule, divergence, the person's cancel, an error) the network is left with the
weights of the epoch with the lowest ``e``, which are always finite.
"""

import contextlib
import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np

from engine.tasks import STOPPED_BY_THE_USER, Cancelled, as_task
from engine.training.epochs import MiniBatchEpochs
from engine.training.lbfgs_loop import LbfgsEpochs
from engine.training.objective import Objective
from engine.training.settings import EpochReport
from engine.training.stopping import (BestWeights, Diverged, PlateauSchedule, all_finite,
                                      first_reason, stop_rules)
from engine.training.weight_average import averaged, weight_average

NO_EPOCH = " No epoch finished, so the initial weights were kept."
START_KEPT = (" The training did not improve on its starting point, a linear model fitted by "
              "least squares: no epoch had a lower selection error, so that linear model is "
              "kept.")


@dataclass
class TrainingResult:
    """How a training ended: the sentence, the kept epoch (0: none, the initial weights),
    its errors, one :class:`EpochReport` per epoch, and whether the person cancelled it."""

    stop_reason: str
    best_epoch: int
    training_loss: float
    selection_loss: float | None
    history: list = field(default_factory=list)
    cancelled: bool = False
    kept_start: bool = False


def train(network, X, Y, X_sel, Y_sel, settings, task=None, keep_start=False):
    """Train ``network`` in place on validated arrays ``X`` (n, L, n_inputs), ``Y``
    (n, n_outputs) (selection set ``X_sel``, ``Y_sel`` or None) with ``settings``
    (:class:`~engine.training.settings.TrainingSettings`); returns a :class:`TrainingResult`.
    ``task`` (:class:`~engine.tasks.TaskState`) gets every epoch's report and may cancel:
    the training then returns normally with ``cancelled=True``. With ``keep_start`` (a
    linear path started at least squares) the starting weights are a candidate too: when
    no epoch has a lower selection error, they are kept (``best_epoch`` 0, ``kept_start``)."""
    task = as_task(task)
    # closed on every path: it may run a second process and its shared memory
    with contextlib.closing(Objective(network, X, Y, settings,
                                      stopped=lambda: task.cancelled)) as objective:
        return _train(network, objective, X, Y, X_sel, Y_sel, settings, task, keep_start)


def _train(network, objective, X, Y, X_sel, Y_sel, settings, task, keep_start):
    """:func:`train` with its ``objective`` made (and closed by :func:`train`)."""
    seed = network.seed if settings.seed is None else settings.seed
    average = weight_average(objective.values, settings, X_sel is not None)
    epochs = (LbfgsEpochs(objective, settings, task) if settings.optimizer == "lbfgs" else
              MiniBatchEpochs(objective, settings, np.random.default_rng(seed), task, average))
    best = BestWeights(objective.values)
    start = _start_losses(network, objective, X, Y, X_sel, Y_sel) if keep_start else None
    if start is not None:
        best.update(start[1], 0)
    schedule = PlateauSchedule(settings)
    rules = stop_rules(settings, X_sel is not None)
    history, cancelled, started = [], False, time.perf_counter()
    try:
        for epoch in itertools.count(1):
            training_loss, norm, converged = epochs.run(epoch)
            selection_loss = None
            with averaged(average):
                if X_sel is not None:
                    selection_loss = objective.loss_fn(network.predict_validated(X_sel),
                                                       Y_sel)[0]
                monitored = training_loss if selection_loss is None else selection_loss
                if not all_finite(monitored, objective.values):
                    raise Diverged(epoch)
                best.update(monitored, epoch)
                schedule.update(monitored, epochs.optimizer)
                report = EpochReport(epoch, float(training_loss), selection_loss,
                                     time.perf_counter() - started,
                                     epochs.optimizer.learning_rate, norm, best.epoch,
                                     best.loss, settings.max_epochs, start)
                history.append(report)
                task.epoch(report)
            reason = converged or first_reason(rules, epoch, monitored, report.elapsed, best)
            if reason:
                break
    except Diverged as error:
        reason = str(error)
    except Cancelled:
        reason, cancelled = STOPPED_BY_THE_USER, True
    finally:
        best.restore()        # also on an error (e.g. in a task's hook): the best weights
    return _result(reason, best, history, cancelled, start)


def _start_losses(network, objective, X, Y, X_sel, Y_sel):
    """``(training, selection)`` data losses of the starting weights; None when not
    finite. Inside :func:`~engine.training.linear_start.reused_starts` computed once for
    the same windows, loss and start (the recurrent part, whose weights the seed sets,
    adds exactly zero to the outputs while ``head.weight`` is zero)."""
    from engine.network.losses import loss_settings
    from engine.training.linear_start import reused, start_key

    key = start_key(network)
    if key is None:
        return _losses_of(network, objective, X, Y, X_sel, Y_sel)
    return reused((X, Y, X_sel, Y_sel),
                  lambda: _losses_of(network, objective, X, Y, X_sel, Y_sel),
                  (*key, repr(loss_settings(objective.loss_fn))))


def _losses_of(network, objective, X, Y, X_sel, Y_sel):
    losses = (float(objective.loss_fn(network.predict_validated(X), Y)[0]),
              float(objective.loss_fn(network.predict_validated(X_sel), Y_sel)[0]))
    return losses if all(map(math.isfinite, losses)) else None


def _result(reason, best, history, cancelled, start=None):
    if best.epoch == 0 and start is not None and history:
        return TrainingResult(reason + START_KEPT, 0, float(start[0]), float(start[1]),
                              history, cancelled, kept_start=True)
    if best.epoch:
        kept = history[best.epoch - 1]
        return TrainingResult(f"{reason} The weights of epoch {best.epoch} were kept.",
                              best.epoch, kept.training_loss, kept.selection_loss, history,
                              cancelled)
    return TrainingResult(reason + NO_EPOCH, 0, math.nan, None, history, cancelled)
