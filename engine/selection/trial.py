"""One trial: train a network with some settings changed and score it. This is what runs
in a pool worker or on a cluster worker; its inputs and its result are plain values.

``context`` (shipped to each worker once)::

    {"table": Table, "config": DatasetConfig dict, "architecture": dict,
     "settings": training settings of a short trial fit (dict),
     "rows": selection anchor rows every trial is scored on (list) or None}

``spec`` (one per trial and repeat)::

    {"index": i, "repeat": r, "seed": s, "changes": {...}, "keep_predictions": bool}

Trained and scored by the automatic pipeline's one trial fit
(:func:`engine.training.trials.trial_fit`, :func:`engine.training.trials.score_part`),
in the targets' units, on every step ahead the model forecasts (``h = 1..H``): on the
selection windows whose anchors are in ``rows`` (the rows all candidates of a search have
in common, so that a longer lookback is not scored on fewer, different rows) and on the
training windows the trial trained on. With targets ``j`` of spread ``sd_j`` on those
rows::

    rmse_j = mean_h sqrt(mean_t (y^_thj - y_thj)^2),     score = mean_j rmse_j / sd_j

(for one step ahead, ``H = 1``: the one-step RMSE).

The result::

    {"index", "repeat", "seed", "training_rmse": {target: x}, "selection_rmse": {...},
     "training_score", "selection_score", "epochs", "best_epoch", "seconds",
     "error": None | text (also when a score is not finite), "cancelled": bool,
     "predictions": {"selection": [[[..k..] * H] * n], "training": [...]}  (keep_predictions)}
"""

import time

import numpy as np

from engine.data import DatasetConfig, prepare_training
from engine.errors import EngineError
from engine.selection.candidates import apply_changes
from engine.tasks import Cancelled, as_task
from engine.testing.evaluation import part_predictions
from engine.training.automatic import TRIAL_MAX_WINDOWS, TRIAL_SELECTION_WINDOWS
from engine.training.trials import score_part, trial_fit


def selection_anchors(table, config):
    """The anchors of the selection windows a trial of ``config`` is scored on (the
    latest :data:`~engine.training.automatic.TRIAL_SELECTION_WINDOWS`)."""
    anchors = prepare_training(table, config).anchors["selection"]
    return anchors[-TRIAL_SELECTION_WINDOWS:]


def run_trial(context, spec, task=None):
    """Train and score one trial (see the module docstring); returns the result dict.

    An error becomes the result's ``error`` (one failed row, not a failed search): an
    :class:`EngineError` (settings that cannot work, e.g. a lookback longer than the data
    allows) with its own message, any other exception (e.g. out of memory) with its type.
    ``task`` (:class:`~engine.tasks.TaskState`) may cancel: the training stops between two
    batches, and the result says ``cancelled``.
    """
    task = as_task(task)
    started = time.perf_counter()
    result = {"index": spec["index"], "repeat": spec["repeat"], "seed": spec["seed"],
              "training_rmse": None, "selection_rmse": None, "training_score": None,
              "selection_score": None, "epochs": 0, "best_epoch": 0, "seconds": 0.0,
              "error": None, "cancelled": False}
    if task.cancelled:
        result["cancelled"] = True
        return result
    empty = dict(result)
    try:
        _train_and_score(context, spec, task, result)
    except Cancelled:
        result["cancelled"] = True
    except Exception as error:  # noqa: BLE001 - one failed trial is one failed row
        if isinstance(error, EngineError):
            text = str(error)
        elif isinstance(error, MemoryError):
            text = "unexpected MemoryError: out of memory; try fewer workers or a smaller " \
                   "network"
        else:
            text = f"unexpected {type(error).__name__}: {error or 'no message'}"
        result = dict(empty, error=text)          # no half-filled scores beside the error
    result["seconds"] = time.perf_counter() - started
    return result


def _train_and_score(context, spec, task, result):
    """The work of :func:`run_trial`, filling ``result`` in."""
    config = DatasetConfig.from_dict(context["config"])
    config, architecture, settings = apply_changes(
        config, context["architecture"], context["settings"], spec["changes"])
    architecture["seed"] = spec["seed"]
    architecture["n_threads"] = 1            # one core per trial; trials run side by side
    fit = trial_fit(context["table"], config, architecture, settings, task, shorten=False,
                    every_step=True)
    anchors, predicted, truth = fit.anchors, fit.predicted, fit.truth
    rows = context.get("rows")
    if rows is not None:
        keep = np.isin(anchors, np.asarray(rows))
        if keep.any():
            anchors, predicted, truth = anchors[keep], predicted[keep], truth[keep]
    names = [v.name for v in config.targets]
    result["selection_rmse"], result["selection_score"] = score_part(predicted, truth, names)
    t_anchors, t_predicted, t_truth = part_predictions(fit.network, fit.prepared, "training",
                                                       TRIAL_MAX_WINDOWS, every_step=True)
    result["training_rmse"], result["training_score"] = score_part(t_predicted, t_truth,
                                                                   names)
    _refuse_non_finite(result, fit.network)
    if spec.get("keep_predictions"):
        result["predictions"] = {
            "selection": {"anchors": anchors.tolist(), "predicted": predicted.tolist(),
                          "truth": truth.tolist()},
            "training": {"anchors": t_anchors.tolist(), "predicted": t_predicted.tolist(),
                         "truth": t_truth.tolist()}}
    result["epochs"] = len(fit.network.history_)
    result["best_epoch"] = int(fit.network.best_epoch_)


def _refuse_non_finite(result, network):
    """Raise :class:`EngineError` when a score is not a finite number: the trial failed
    and its row says why, rather than a repeat that the row's mean leaves out."""
    parts = [part for part in ("selection", "training")
             if not np.isfinite(result[f"{part}_score"])]
    if not parts:
        return
    reason = getattr(network, "stop_reason_", None) or ""
    if "diverged" not in reason:
        reason = ("The network's predictions overflowed (the training diverged). Try a "
                  "smaller learning rate or inputs and targets scaled to a few units.")
    raise EngineError(f"the {' and '.join(parts)} error is not a finite number. {reason}")
