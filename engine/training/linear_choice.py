"""Choosing the target transform, the inputs and the lookback by a rolling-origin backtest
of the linear autoregression: fast (least squares, no network trained), and the network
starts from that same linear model when it has a linear path.

For every candidate data-set configuration (transform x inputs x lookback) and each of the
``K`` origins ``o_k`` before the first testing row ``T`` (the origins and blocks of
:mod:`engine.testing.backtest`: ``o_k = T - (K - k + 1) b``, ``b = max(H, P)`` or
``max(H, 12)``, and at least the steps of the recursive forecasts the person wants when
the project says, ``selection.settings["forecast_steps"]``), the candidate's preprocessing is fitted on the rows before ``o_k`` only,
the linear autoregression (:func:`engine.testing.comparators.fit_linear`: least squares on
the candidate's scaled, transformed windows) on the windows before ``o_k``, and both score
the rows ``o_k .. o_k + b - 1`` in the targets' units (of the rows before ``o_k``, at most
the latest :data:`MAX_ROWS` are read): one step ahead, and recursively from
``o_k`` over the block (rows with a missing target, or after a gap the windows cannot
cross, are left out; a candidate that forecasts less than half of the known rows is out). The candidate's score is the mean MASE (scaled by the rows before
``o_k``) over targets, both modes and the origins::

    score = mean_(k, mode, j) MASE_(k, mode, j)

A candidate that cannot be scored at every origin (too few windows) is out; the lowest score
wins. Where no candidate can be scored, nothing is chosen (the caller keeps its
configuration).
"""

import dataclasses
import time
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from engine.errors import EngineError
from engine.tasks import Cancelled, as_task
from engine.testing.backtest import block_rows, fold_windows, origin_rows, prepare_fold
from engine.testing.comparators import Comparator, comparator_guesses, fit_linear
from engine.testing.evaluation import history_scale
from engine.testing.metrics import score

ORIGINS = 3
MAX_ROWS = 2000           # each origin's fit reads at most this many rows before it
WIDE_WINDOW = 400         # from this many values a window (lookback x inputs) on, the
                          # lookback is not chosen: each candidate costs rows x width^2
STOPPED = "Stopped by the user while choosing the settings; no model was trained."


@dataclass
class LinearTrial:
    """One candidate: its transform, inputs ("all" or "own"), lookback, ``score`` (see the
    module docstring; None when it could not be scored, with the ``error``), the
    ``seconds`` it took and its ``period`` (the season a seasonal difference takes)."""

    target_transform: str
    inputs: str
    lookback: int
    score: float | None = None
    seconds: float = 0.0
    error: str | None = None
    period: int | None = None

    def to_dict(self):
        return {"target_transform": self.target_transform, "inputs": self.inputs,
                "lookback": self.lookback, "period": self.period, "score": self.score,
                "seconds": round(self.seconds, 3), "error": self.error}

    def label(self, with_inputs=True, with_period=False):
        """``difference, all inputs, lookback 24``; with ``with_period`` a seasonal
        difference names its period (``seasonal_difference at 168, ...``)."""
        inputs = ("all inputs, " if self.inputs == "all" else "own history only, ") \
            if with_inputs else ""
        transform = self.target_transform
        if with_period and transform == "seasonal_difference" and self.period:
            transform = f"{transform} at {self.period}"
        return f"{transform}, {inputs}lookback {self.lookback}"


def lookback_candidates(lookback, period, most, n_inputs=1):
    """Lookbacks worth a trial around the suggested ``lookback``: half and twice it, and
    the season ``period``, all from 1 to ``most``, sorted; only ``lookback`` itself when
    its windows are wide (:data:`WIDE_WINDOW` values with ``n_inputs`` inputs)."""
    if lookback * max(n_inputs, 1) >= WIDE_WINDOW:
        return [lookback]
    values = {lookback, max(1, lookback // 2), 2 * lookback}
    if period and period >= 2:
        values.add(int(period))
    return sorted(v for v in values if 1 <= v <= max(most, 1))


def origin_forecasts(table, config, origin, block):
    """The linear autoregression of candidate ``config`` fitted before ``origin`` (module
    docstring): ``(rows (m,), truth (m, k), one-step (m, k), recursive (m, k), scale (k,))``
    for rows ``origin .. origin + block - 1``, in the targets' units. Raises EngineError
    when it cannot be fitted before ``origin``."""
    first = max(0, origin - MAX_ROWS)
    table = dataclasses.replace(table, frame=table.frame.iloc[first:origin + block]
                                .reset_index(drop=True))
    origin -= first
    prepared = prepare_fold(table, config, origin)
    windows = len(prepared.Y_train) + len(prepared.Y_sel)
    if windows < windows_needed(config):
        raise EngineError(f"{windows} windows before row {origin + first} for lookback "
                          f"{config.lookback}, at least {windows_needed(config)} needed")
    fitted = prepared.fitted
    encoded = fitted.encode(table.frame, prediction=True)
    outcome = fit_linear(SimpleNamespace(preprocessing=fitted), encoded, origin)
    if isinstance(outcome, str):
        raise EngineError(outcome)
    linear = Comparator("linear", outcome[0], outcome[1], None, outcome[2])
    rows = np.arange(origin, min(origin + block, encoded.n_rows))
    k = len(fitted.target_names)
    one_step = comparator_guesses(linear, rows, rows - 1, k)
    recursive = comparator_guesses(linear, rows, np.full(rows.shape, origin - 1), k)
    return (rows + first, encoded.scored_truth()[rows], one_step, recursive,
            history_scale(encoded.levels, origin, encoded.positions))


def origin_scores(table, config, origin, block):
    """The candidate ``config``'s mean MASE over targets, one step ahead and recursively,
    on rows ``origin .. origin + block - 1`` (module docstring); raises EngineError when
    the linear model cannot be fitted or forecasts less than half of the known rows."""
    rows, truth, one_step, recursive, scale = origin_forecasts(table, config, origin, block)
    values = []
    for predicted in (one_step, recursive):
        scores = score(truth, predicted, list(range(truth.shape[1])), scale)
        mase = None if scores is None else np.asarray(scores.mase, dtype=float)
        known = int(np.isfinite(truth).all(axis=1).sum())      # rows with a known target
        if mase is None or 2 * scores.count < known or not np.all(np.isfinite(mase)):
            raise EngineError("the linear model forecast less than half of the rows")
        values.append(float(np.mean(mase)))
    return float(np.mean(values))


def score_candidate(table, config, origins, block):
    """The mean of :func:`origin_scores` over the ``origins``."""
    return float(np.mean([origin_scores(table, config, o, block) for o in origins]))


def candidates(config, transforms, inputs, lookbacks):
    """``[(LinearTrial, DatasetConfig)]`` of every transform x inputs x lookback."""
    from engine.training.trials import candidate_config

    return [(LinearTrial(t, i, int(lookback), period=config.period),
             dataclasses.replace(candidate_config(config, t, i), lookback=int(lookback)))
            for i in inputs for t in transforms for lookback in lookbacks]


def windows_needed(config):
    """Windows before an origin that a candidate needs for least squares: ten more than
    its coefficients (the window's values and a constant)."""
    return config.lookback * max(len(config.inputs), 1) + 11


def placed_origins(table, config, testing_start, block):
    """The most origins (up to :data:`ORIGINS`) before ``testing_start`` whose first
    leaves :func:`windows_needed` windows for ``config``, counted as its fold prepares
    them (:func:`~engine.testing.backtest.fold_windows`: after the rows the target
    transform uses up); an empty list when not even one does."""
    for count in range(ORIGINS, 0, -1):
        origins = origin_rows(testing_start, count, block)
        if fold_windows(table, config, origins[0]) >= windows_needed(config):
            return origins
    return []


def choose_by_linear_backtest(table, config, trials, testing_start, task=None, steps=None):
    """``(best config, trials)``: the candidate configurations ``trials`` (a list of
    ``(LinearTrial, DatasetConfig)``, see :func:`candidates`) scored by the module
    docstring's backtest before row ``testing_start``, on the origins ``config`` (the
    suggested configuration) leaves room for; the best is None when no candidate could be
    scored. ``steps``: the length of the recursive forecasts the person wants; the blocks
    are at least that long (:func:`~engine.testing.backtest.block_rows`)."""
    task = as_task(task)
    block = block_rows(config.horizon, config.period, steps)
    origins = placed_origins(table, config, testing_start, block)
    if not origins:
        return None, [t for t, _ in trials]
    best, best_config = None, None
    task.stage(f"Choosing the transform, inputs and lookback ({len(trials)} "
               f"candidates, {len(origins)} origins)")
    for trial, candidate in trials:
        if task.cancelled:
            raise Cancelled(STOPPED)
        started = time.perf_counter()
        try:
            trial.score = score_candidate(table, candidate, origins, block)
        except EngineError as error:
            trial.error = str(error)
        trial.seconds = time.perf_counter() - started
        if trial.score is not None and (best is None or trial.score < best.score):
            best, best_config = trial, candidate
    return best_config, [t for t, _ in trials]
