"""Choosing the target transform and the inputs by short trial fits.

Every candidate (transform x inputs) is prepared, trained briefly
(:func:`engine.training.automatic.trial_recipe`) and scored on the selection windows, one step
ahead, in the targets' original units, by :func:`trial_fit`, the one trial fit that model
selection (:mod:`engine.selection.trial`) runs too. The candidates' selection parts may
differ by a few windows (seasonal differences lose the first period), so all are scored on
the rows they have in common; with targets ``j = 1..k`` of spread ``sd_j`` on those rows the score is::

    score = mean_j ( RMSE_j / sd_j )          (for one target: RMSE / sd, same ranking)

The lowest score wins. Choosing by the recursive selection error instead was measured worse
(docs/architecture.md, "Target transform and inputs"), so this is deliberately one step
ahead.
"""

from dataclasses import dataclass, replace

import numpy as np

from engine.data import prepare_training
from engine.errors import EngineError
from engine.tasks import Cancelled, as_task
from engine.testing.evaluation import part_predictions
from engine.training.automatic import (TRIAL_MAX_WINDOWS, TRIAL_SELECTION_WINDOWS,
                                       own_history_only, trial_recipe)
from engine.training.run import fit_network

STOPPED_CHOOSING = "Stopped by the user while choosing the settings; no model was trained."


@dataclass
class Trial:
    """One candidate's outcome: ``rmse`` per target (original units, on the common rows),
    ``score`` (see the module docstring), ``epochs`` run and ``seconds``; ``error`` is the
    reason it could not be tried (then ``score`` is None)."""

    target_transform: str
    inputs: str
    score: float | None = None
    rmse: dict | None = None
    epochs: int = 0
    seconds: float = 0.0
    error: str | None = None

    def to_dict(self):
        return {"target_transform": self.target_transform, "inputs": self.inputs,
                "score": self.score, "selection_rmse": self.rmse, "epochs": self.epochs,
                "seconds": round(self.seconds, 2), "error": self.error}

    def label(self, with_inputs=True):
        if not with_inputs:
            return self.target_transform
        inputs = "all inputs" if self.inputs == "all" else "own history only"
        return f"{self.target_transform}, {inputs}"


def candidate_config(config, transform, inputs):
    """The data-set configuration of one candidate."""
    chosen = replace(config, target_transform=transform)
    return own_history_only(chosen) if inputs == "own" else chosen


@dataclass
class TrialFit:
    """A trained trial network, its prepared data, its training's ``seconds`` and its
    one-step predictions of the (latest) selection windows: ``anchors`` (n,),
    ``predicted`` and ``truth`` (n, k) in the targets' units ((n, H, k) of every step
    ahead, :func:`trial_fit`'s ``every_step``)."""

    network: object
    prepared: object
    seconds: float
    anchors: np.ndarray
    predicted: np.ndarray
    truth: np.ndarray


def trial_fit(table, config, architecture, settings, task=None, shorten=True,
              every_step=False):
    """Prepare ``config``'s windows of ``table``, train a network briefly on the latest
    :data:`~engine.training.automatic.TRIAL_MAX_WINDOWS` of them and predict the latest
    :data:`~engine.training.automatic.TRIAL_SELECTION_WINDOWS` selection windows; returns a
    :class:`TrialFit`.

    settings : training settings (dict); with ``shorten`` they become
        :func:`~engine.training.automatic.trial_recipe` for this candidate's windows (model
        selection passes settings already shortened once for the whole search)
    every_step : predictions of every step ahead, not only the first (model selection)
    Raises :class:`EngineError` without selection windows and
    :class:`~engine.tasks.Cancelled` when ``task`` was cancelled during the training.
    """
    prepared = prepare_training(table, config)
    if len(prepared.Y_sel) == 0:
        raise EngineError("there are no selection windows to score the trial on; give "
                          "selection a share of the data")
    if shorten:
        settings = trial_recipe(settings, len(prepared.Y_train))
    network, seconds = fit_network(prepared, architecture, settings, task,
                                   TRIAL_MAX_WINDOWS, TRIAL_SELECTION_WINDOWS)
    if network.cancelled_:
        raise Cancelled(STOPPED_CHOOSING)
    anchors, predicted, truth = part_predictions(network, prepared, "selection",
                                                 TRIAL_SELECTION_WINDOWS, every_step)
    return TrialFit(network, prepared, seconds, anchors, predicted, truth)


def run_trials(table, config, architecture, settings, transforms, inputs, task=None):
    """Try every (transform, inputs) pair; returns ``(best_config, trials)``.

    ``task`` gets a stage per trial and every epoch. Raises :class:`EngineError` when no
    candidate could be tried (the first reason) and :class:`~engine.tasks.Cancelled` when
    ``task`` is cancelled (no model exists yet).
    """
    task = as_task(task)
    candidates = [(t, i) for i in inputs for t in transforms]
    trials, outcomes = [], []
    for number, (transform, which) in enumerate(candidates, 1):
        if task.cancelled:
            raise Cancelled(STOPPED_CHOOSING)
        trial = Trial(transform, which)
        trials.append(trial)
        task.stage(f"Trial {number}/{len(candidates)}: {trial.label()}")
        try:
            candidate = candidate_config(config, transform, which)
            fit = trial_fit(table, candidate, architecture, settings, task)
        except EngineError as error:
            trial.error = str(error)
            continue
        trial.seconds, trial.epochs = fit.seconds, len(fit.network.history_)
        outcomes.append((trial, candidate, fit.anchors, fit.predicted, fit.truth))
    if task.cancelled:
        raise Cancelled(STOPPED_CHOOSING)
    if not outcomes:
        raise EngineError(f"No setting could be tried: {trials[0].error}")
    score_outcomes(outcomes, config)
    best = min(outcomes, key=lambda o: o[0].score)
    return best[1], trials


def score_part(predicted, truth, names):
    """``(rmse per target {name: x}, score)`` of predictions (n, k), or (n, H, k) of H
    steps ahead, of targets ``names`` against ``truth`` of the same shape, with the module
    docstring's score (inf when not finite). Of H steps, a target's RMSE is the mean over
    the steps of each step's RMSE, ``mean_h sqrt(mean_t (y^_thj - y_thj)^2)``, and its
    spread that of all its values."""
    predicted, truth = np.asarray(predicted, float), np.asarray(truth, float)
    if predicted.ndim == 2:
        predicted, truth = predicted[:, None, :], truth[:, None, :]
    error = predicted - truth
    rmse = np.mean(np.sqrt(np.nanmean(error ** 2, axis=0)), axis=0)
    spread = np.nanstd(truth.reshape(-1, truth.shape[-1]), axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    value = float(np.mean(rmse / spread))
    return ({name: float(rmse[j]) for j, name in enumerate(names)},
            value if np.isfinite(value) else float("inf"))


def score_outcomes(outcomes, config):
    """Fill every trial's ``score`` and ``rmse`` on the selection rows all have in common.

    ``outcomes``: ``(trial, config, anchors (n,), predicted (n, k), truth (n, k))`` tuples;
    the score is the module docstring's."""
    common = outcomes[0][2]
    for outcome in outcomes[1:]:
        common = np.intersect1d(common, outcome[2])
    names = [v.name for v in config.targets]
    for trial, _, anchors, predicted, truth in outcomes:
        keep = np.isin(anchors, common) if common.size else np.ones(len(anchors), bool)
        trial.rmse, trial.score = score_part(predicted[keep], truth[keep], names)
