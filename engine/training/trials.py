"""Choosing the target transform and the inputs by short trial fits.

Every candidate (transform x inputs) is prepared, trained briefly
(:func:`engine.training.automatic.trial_recipe`) and scored on the selection windows, one step
ahead, in the targets' original units. The candidates' selection parts may differ by a few
windows (seasonal differences lose the first period), so all are scored on the rows they
have in common; with targets ``j = 1..k`` of spread ``sd_j`` on those rows the score is::

    score = mean_j ( RMSE_j / sd_j )          (for one target: RMSE / sd, same ranking)

The lowest score wins. Choosing by the recursive selection error instead was measured worse
(docs/architecture.md, "Target transform and inputs"), so this is deliberately one step
ahead.
"""

from dataclasses import dataclass, replace

import numpy as np

from engine.training.automatic import (TRIAL_MAX_WINDOWS, TRIAL_SELECTION_WINDOWS, own_history_only,
                        trial_recipe)
from engine.data import prepare_training
from engine.errors import EngineError
from engine.testing.evaluation import part_predictions
from engine.training.run import fit_network


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


def run_trials(table, config, architecture, settings, transforms, inputs, callback=None,
               cancel=None, on_stage=None):
    """Try every (transform, inputs) pair; returns ``(best_config, trials)``.

    Raises :class:`EngineError` when no candidate could be tried (the first reason) or
    when ``cancel`` is set.
    """
    candidates = [(t, i) for i in inputs for t in transforms]
    trials, outcomes = [], []
    for number, (transform, which) in enumerate(candidates, 1):
        if cancel is not None and cancel.is_set():
            raise EngineError("Stopped by the user while choosing the settings; no model "
                              "was trained.")
        trial = Trial(transform, which)
        trials.append(trial)
        if on_stage:
            on_stage(f"Trial {number}/{len(candidates)}: {trial.label()}")
        try:
            candidate = candidate_config(config, transform, which)
            prepared = prepare_training(table, candidate)
            if len(prepared.Y_sel) == 0:
                raise EngineError("there are no selection windows to compare candidates on")
            recipe = trial_recipe(settings, len(prepared.Y_train))
            network, trial.seconds = fit_network(prepared, architecture, recipe, callback,
                                                 cancel, TRIAL_MAX_WINDOWS,
                                                 TRIAL_SELECTION_WINDOWS)
            trial.epochs = len(network.history_)
            anchors, predicted, truth = part_predictions(network, prepared, "selection",
                                                         TRIAL_SELECTION_WINDOWS)
            outcomes.append((trial, candidate, anchors, predicted, truth))
        except EngineError as error:
            trial.error = str(error)
    if cancel is not None and cancel.is_set():
        raise EngineError("Stopped by the user while choosing the settings; no model was "
                          "trained.")
    if not outcomes:
        raise EngineError(f"No setting could be tried: {trials[0].error}")
    score_outcomes(outcomes, config)
    best = min(outcomes, key=lambda o: o[0].score)
    return best[1], trials


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
        error = predicted[keep] - truth[keep]
        rmse = np.sqrt(np.nanmean(error ** 2, axis=0))
        spread = np.nanstd(truth[keep], axis=0)
        spread = np.where(spread > 0, spread, 1.0)
        value = float(np.mean(rmse / spread))
        trial.score = value if np.isfinite(value) else float("inf")
        trial.rmse = {name: float(rmse[j]) for j, name in enumerate(names)}
