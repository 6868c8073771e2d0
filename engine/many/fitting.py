"""A global model's fit (:func:`fit_global`): its networks (an ensemble of members) trained
in this process (and on the computer's other cores: :mod:`engine.training.members`) or side
by side on a runner
(:func:`engine.selection.executors.open_runner`: a local process pool or a Dask cluster),
then the forecast intervals from the selection windows' errors.

On a runner every worker gets the series and the settings once, builds the same windows
(:func:`~engine.many.global_model.global_windows`, deterministic) and trains the members
whose seeds it is sent; it sends back the weights (a state dict of arrays), never a
pickled network. The members are then merged into one network that predicts their mean.
"""

import time
import uuid

from dataclasses import replace

import numpy as np

from engine.many.global_model import (LEVELS, SIZE_ADVICE, GlobalModel, averaged_steps,
                                      global_windows, never_narrower_bounds, train_member,
                                      training_plan, window_plan)
from engine.many.sizing import sized
from engine.tasks import as_task
from engine.training.linear_start import reused_starts
from engine.training.run import check_merged_size, ensemble, make_network
from engine.words import counted, verb

RESULT_KEYS = ("stop_reason", "best_epoch", "cancelled", "kept_start")
LATER_ORIGINS = 6
"""The origins per series whose second blocks give a recursive forecast's later intervals
(:func:`later_interval_errors`)."""
LATER_SAMPLES = 10
"""The fewest second blocks their quantiles are read from (fewer: the first block's errors
times sqrt 2 alone)."""


def fit_global(data, settings, task=None, workers=0, scheduler=None, later=True):
    """Train a :class:`GlobalModel` on a :class:`~engine.many.series_data.SeriesSet`: the
    windows of every series, ``settings.members`` networks from the seeds ``seed, seed + 1,
    ...`` averaged into one (:mod:`engine.network.ensemble`). With ``workers`` > 1 or a Dask
    ``scheduler`` address, the members train side by side on that runner
    (:func:`train_members`); else here, and on this computer's other cores at once where
    that gains (:mod:`engine.training.members`). ``later``: the intervals of
    the blocks after the first (:func:`later_interval_errors`; False for a trial whose
    forecasts are scored, never bounded). Units left None are sized to the training
    windows of the lookback this fit takes (:func:`engine.many.sizing.sized`), and a note
    says so."""
    from engine.selection.executors import check_workers

    check_workers(workers)
    task = as_task(task)
    started = time.perf_counter()
    data = data.without_unknown_tails()         # tested up to each series' last value
    lookback, _ = window_plan(settings, data.lengths - int(settings.test_last))
    settings, sized_note = sized(replace(settings, lookback=lookback), data)
    task.stage("Scaling each series")
    windows = global_windows(data, settings)
    trained = data.n_series - windows.left_out
    task.stage(f"Training on {len(windows.Y):,} windows of {trained:,} series")
    network = train_members(data, settings, windows, task, workers, scheduler)
    errors = interval_errors(network, windows.X_sel, windows.Y_sel, windows.n_outputs,
                             len(data.target_names))
    notes = list(data.notes) + ([sized_note] if sized_note else [])
    if windows.left_out:
        are = verb(windows.left_out, "is", "are")
        notes.append(f"{counted(windows.left_out, 'series', 'series')} {are} too short for "
                     f"a window and {are} left out of the training.")
    model = GlobalModel(network, windows.scaling, list(data.ids), list(data.target_names),
                        list(data.input_names), settings.steps_at_once, windows.lookback,
                        errors,
                        fold=windows.fold,
                       settings={**settings.__dict__, "lookback": windows.lookback,
                                 "fold": windows.fold,
                                 # the columns the data were read with, for the next file
                                 "series_column": data.series_column,
                                 "time_column": data.time_column,
                                 "hidden_sizes": list(settings.hidden_sizes),
                                 "training_windows": int(len(windows.Y)),
                                 "most_windows_per_series": windows.most_per_series,
                                 "trained_series": int(trained),
                                 # the series' names as the file writes them (001 not 1)
                                 "names_as_written": True,
                                 # for files too short to show it (one row a series)
                                 "time_step": data.time_step(),
                                 "averaged_steps": averaged_steps(settings, len(windows.Y)),
                                 "seconds": round(time.perf_counter() - started, 1)},
                        notes=notes)
    if later:
        model.later_errors = later_interval_errors(model, data, settings)
    return model


def interval_errors(network, X_sel, Y_sel, width, targets=1):
    """Per level of :data:`LEVELS`, the (2, width) lower and upper bounds of the selection
    windows' scaled errors ``e = Y - prediction`` per output (``width / targets`` steps of
    ``targets`` outputs), by split conformal prediction
    on each tail (:func:`~engine.testing.intervals.conformal_half_width` at the level
    ``(1 + level) / 2``, as one series' widths are at ``level``): of ``n`` errors, the
    upper bound is the ``k``-th smallest ``e`` and the lower the ``k``-th largest, with
    ``k = ceil((n + 1) (1 + level) / 2)``, so that the interval holds a new error with a
    chance of at least ``level``. Where ``k > n`` (too few selection windows for that
    level: an 80% interval needs 9, 90% 19, 95% 39) the bounds are NaN, an unknown width
    that forecasts leave empty and step 6 reports as such. The lower bound is at most 0 and
    the upper at least 0, so that the interval always holds the forecast (a network biased
    on the selection windows would otherwise give an interval beside it). The bounds
    never narrow with the step (:func:`~engine.many.global_model.never_narrower_bounds`)."""
    from engine.testing.intervals import conformal_half_width

    errors = np.asarray(Y_sel, float).reshape(len(Y_sel), width)
    if len(errors):
        errors = errors - network.predict(X_sel)
    bounds = {}
    for level in LEVELS:
        tail = (1 + level) / 2
        upper = conformal_half_width(np.maximum(errors, 0.0), tail)
        lower = -conformal_half_width(np.maximum(-errors, 0.0), tail)
        bounds[level] = never_narrower_bounds(
            np.where(np.isfinite([lower, upper]), [lower, upper], np.nan), targets)
    return bounds


def later_interval_errors(model, data, settings):
    """Per level of :data:`LEVELS`, the (2, b * n_targets) lower and upper scaled errors of
    a forecast's second block (``b`` the network's steps at once), the block that reads the
    first block's forecasts: the wider of

    * the quantiles of second blocks before the testing part: forecasts of ``2 b`` steps
      from up to :data:`LATER_ORIGINS` origins per series, each scored where its second
      block falls on the last ``H`` rows before the testing part (the selection rows; its
      first block may fall on training rows). An origin ``c`` rows before a series' end
      has its second block on rows ``n - c + b .. n - c + 2b - 1``, so ``c`` runs from
      ``N + 2b`` to ``N + H + b`` (``N`` testing rows);
    * the first block's errors times ``sqrt 2``: two blocks' errors that add up, as a
      random walk's. The network stopped its training where the selection rows' errors
      were least, so second blocks read from first blocks forecast there are optimistic:
      on M4 hourly the quantiles alone held 73 / 84 / 91% of the testing part's second
      day, the wider of the two 79 / 89 / 95%.

    The scaled error ``(u - u_hat) / s`` of a base value is the network's output's (the
    level cancels), so the bounds apply as the first block's do
    (:meth:`GlobalModel.block_errors`). Only the first block's times ``sqrt 2`` with
    fewer than :data:`LATER_SAMPLES` second blocks; None for a model with inputs (it
    forecasts no further than its own steps). The bounds never narrow with the step, from
    the first block's last step on (:func:`~engine.many.global_model.never_narrower_bounds`)."""
    if data.input_names:
        return None
    b, horizon, test_last = int(model.horizon), int(settings.horizon), int(settings.test_last)
    counts = np.unique(np.linspace(test_last + 2 * b, test_last + horizon + b,
                                   LATER_ORIGINS).round().astype(int))
    errors = np.concatenate([_second_block_errors(model, data, c) for c in counts])
    errors = errors.reshape(len(errors), -1)
    measured = (np.isfinite(errors).sum(axis=0) >= LATER_SAMPLES).all()
    bounds = {}
    for level in LEVELS:
        added = np.asarray(model.interval_errors[level]) * np.sqrt(2)
        lower, upper = (np.nanquantile(errors, [(1 - level) / 2, (1 + level) / 2], axis=0)
                        if measured else added)
        bounds[level] = never_narrower_bounds(
            np.stack([np.minimum(lower, added[0]), np.maximum(upper, added[1])]),
            len(model.target_names), before=model.interval_errors[level])
    return bounds


def _second_block_errors(model, data, count):
    """(n_series, b, n_targets) scaled errors of the second block of each series' forecast
    from its row ``n - count - 1`` (NaN where there is none)."""
    from engine.many.forecasting import forecast_before

    b = int(model.horizon)
    values, _, _, ok = forecast_before(model, data, count, 2 * b)
    errors = np.full((data.n_series, b, len(model.target_names)), np.nan)
    numbers = model.series_numbers(data)
    for i in np.flatnonzero(ok):
        first = int(data.starts[i + 1]) - int(count) + b
        series = np.full(b, numbers[i])
        errors[i] = (model.scaling.base(data.targets[first:first + b], series)
                     - model.scaling.base(values[i, b:], series)) / model.scaling.scale[
                         numbers[i]]
    return errors


def seeds_of(settings):
    """The members' seeds: ``seed, seed + 1, ...``."""
    return [int(settings.seed) + k for k in range(int(settings.members))]


def train_members(data, settings, windows, task=None, workers=0, scheduler=None):
    """The merged network of ``settings.members`` members (see the module docstring)."""
    task = as_task(task)
    seeds = seeds_of(settings)
    if len(seeds) == 1 or (not scheduler and int(workers or 0) <= 1):
        with reused_starts():         # the members' least-squares start: the same windows
            return train_member(windows, settings, seeds[0], task, members=len(seeds))
    check_merged_size(_untrained(settings, seeds[0], windows), len(seeds), SIZE_ADVICE)
    return _on_runner(data, settings, windows, seeds, task, workers, scheduler)


def run_member(context, spec, task):
    """A runner's work: train the member of seed ``spec["seed"]`` on the context's
    series; a plain dict of its weights and how its training ended."""
    data, settings = context
    windows = _worker_windows(spec["fit"], data, settings)
    network = train_member(windows, settings, spec["seed"], task)
    return {"seed": spec["seed"], "weights": network.state_dict(),
            **{key: getattr(network, f"{key}_") for key in RESULT_KEYS}}


_WINDOWS = {}


def _worker_windows(fit, data, settings):
    """The windows of the fit named ``fit`` (a name made once per fit), built once per
    worker process; a worker keeps only the latest fit's."""
    if fit not in _WINDOWS:
        _WINDOWS.clear()
        _WINDOWS[fit] = global_windows(data, settings)
    return _WINDOWS[fit]


def _on_runner(data, settings, windows, seeds, task, workers, scheduler):
    from engine.selection.executors import open_runner

    with open_runner((data, settings), workers=workers or None, scheduler=scheduler,
                     task=task, work=run_member) as runner:
        task.stage(f"Training {len(seeds)} networks on {runner.name} "
                   f"({runner.workers} at a time)")
        fit = uuid.uuid4().hex
        futures = [runner.submit({"seed": seed, "fit": fit}) for seed in seeds]
        results = [future.result() for future in futures]
    networks = [_rebuilt(result, settings, windows) for result in results]
    return ensemble(networks, len(seeds))


def _untrained(settings, seed, windows):
    """The member network of ``seed``, untrained, for ``windows``."""
    architecture, _ = training_plan(settings, seed)
    return make_network(architecture, windows.n_inputs, windows.n_outputs,
                        lookback=windows.X.shape[1])


def _rebuilt(result, settings, windows):
    """The member network a runner's result describes."""
    network = _untrained(settings, result["seed"], windows)
    network.load_state_dict({k: np.asarray(v) for k, v in result["weights"].items()})
    for key in RESULT_KEYS:
        setattr(network, f"{key}_", result[key])
    network.history_ = []
    return network
