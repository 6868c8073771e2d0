"""Rolling-origin backtesting of a global model: the whole fit repeated at ``K`` origins
before the testing part, each scored on the ``H`` rows after its origin in every series.

Origin ``k`` (1 = the latest) of a series of ``n`` rows with a testing part of ``T`` rows
lies at row ``n - T - k H``: the fold sees the rows before it (its own selection rows
included) and is scored on rows ``n - T - k H .. n - T - (k-1) H - 1``, beside Naive2,
seasonal naive and Theta on the same rows (:func:`engine.many.evaluation.evaluate_global`).
The testing rows are never read. Folds run one after the other here (``workers`` 0 or 1),
or side by side on a runner (:func:`engine.selection.executors.open_runner`: ``workers``
local processes, or a Dask cluster); each origin done is reported through ``task.step``
(:class:`~engine.many.folds.OriginsDone`: the origins done and the time left).
"""

import time
from dataclasses import replace

import numpy as np

from engine.errors import EngineError
from engine.many.folds import collect_folds
from engine.tasks import as_task
from engine.words import counted, listed, some_named, verb

DEFAULT_ORIGINS = 3
MAX_ORIGINS = 20


def fold_data(data, settings, origin):
    """The series a fold of ``origin`` fits and scores on: without the testing part and
    the blocks after the origin's own, counted from each series' last known value as the
    fit counts its testing part
    (:meth:`~engine.many.series_data.SeriesSet.without_unknown_tails`)."""
    return data.without_unknown_tails().without_last(int(settings.test_last) + (origin - 1) * int(settings.horizon))


def most_origins(data, settings):
    """The most origins (up to :data:`MAX_ORIGINS`) whose folds leave the longest series
    of ``data`` the rows a fit of ``settings`` needs; 0 when not even one does."""
    from engine.many.global_model import rows_needed

    if settings.lookback is None:
        return MAX_ORIGINS
    horizon = int(settings.horizon)
    room = int(data.without_unknown_tails().lengths.max()) - int(settings.test_last) - \
        rows_needed(settings.season, int(settings.lookback), horizon)
    return int(min(max(room // horizon, 0), MAX_ORIGINS))


def run_fold(context, spec, task):
    """A runner's work: fit and score the fold of ``spec["origin"]``; a plain dict. A stop
    during the fit raises :class:`~engine.tasks.Cancelled` before the scoring (a stopped
    backtest keeps nothing)."""
    from engine.many.evaluation import evaluate_global
    from engine.many.fitting import fit_global

    data, settings = context
    origin = int(spec["origin"])
    fold = fold_data(data, settings, origin)
    fold_settings = replace(settings, test_last=int(settings.horizon))
    task = as_task(task)
    model = fit_global(fold, fold_settings, task, later=False)
    task.check()
    evaluations = [evaluate_global(model, fold, settings.horizon, target=target,
                                   coverage=False)
                   for target in range(len(model.target_names))]
    notes = targets_notes(evaluations)
    kept = set(fold.ids)
    dropped = [name for name in data.ids if name not in kept]
    if dropped:
        n = len(dropped)
        notes.insert(0, f"{counted(n, 'series', 'series')} {verb(n, 'holds', 'hold')} no row "
                        f"before this origin and {verb(n, 'was', 'were')} left out of it "
                        f"({some_named(dropped)}).")
    result = {"origin": origin, "series_scored": evaluations[0].n_scored,
              "summary": evaluations[0].summary(), "notes": notes}
    if len(evaluations) > 1:
        result["targets"] = {e.target: e.summary() for e in evaluations}
        result["series_by_target"] = {e.target: e.n_scored for e in evaluations}
    return result


def targets_notes(evaluations):
    """The notes of the evaluations of a fold's targets, each once: a note that every
    target gives as it is, one that only some give after the names of those
    ("returns: 2 series were not scored ...")."""
    givers = {}
    for evaluation in evaluations:
        for note in evaluation.notes:
            givers.setdefault(note, []).append(evaluation.target)
    return [note if len(targets) == len(evaluations) else f"{listed(targets)}: {note}"
            for note, targets in givers.items()]


def backtest_global(data, settings, origins=DEFAULT_ORIGINS, workers=0, scheduler=None,
                    task=None):
    """``{"origins": [fold dicts, latest origin first], "mean": {method: {"smape", "mase",
    "owa", "label"}}, "median": (the same)}`` of the global fit of ``settings`` on ``data``
    (see the module docstring), of the first target; a model of several targets adds
    ``"targets": {target: {"mean": ..., "median": ...}}`` of every target, and each
    fold its ``"targets": {target: summary}`` and ``"series_by_target": {target: the series
    scored}`` (a target's values missing in a series leave it unscored there alone)."""
    from engine.selection.executors import check_workers, open_runner

    task = as_task(task)
    check_workers(workers)
    origins = int(origins)
    if not 1 <= origins <= MAX_ORIGINS:
        raise EngineError(f"--origins must be between 1 and {MAX_ORIGINS}; got {origins}.")
    started = time.monotonic()
    parallel = bool(scheduler) or bool(workers and int(workers) > 1)
    with open_runner((data, settings), workers=workers if parallel else 0,
                     scheduler=scheduler, task=task, work=run_fold) as runner:
        task.stage(f"Fitting {counted(origins, 'origin')} on {runner.name}")
        folds = collect_folds(runner, origins, task, started)
    result = {"origins": folds, "mean": summaries_over_origins(folds, np.mean),
              "median": summaries_over_origins(folds, np.median)}
    if "targets" in folds[0]:
        result["targets"] = {target: {
            name: summaries_over_origins(folds, statistic, target)
            for name, statistic in (("mean", np.mean), ("median", np.median))}
            for target in folds[0]["targets"]}
    return result


def target_names(result):
    """The targets a backtest ``result`` of :func:`backtest_global` scored each, in the
    model's order; [] for a model of one target (its figures are the result's own)."""
    return list(result.get("targets") or {})


def of_target(result, target=None):
    """The backtest ``result`` of :func:`backtest_global` as the figures of one target:
    ``{"origins", "mean", "median"}``, each origin's ``"summary"`` and ``"series_scored"``
    and the mean and median those of ``target`` (a model of several targets; in a backtest
    kept before each target's count was stored, the count of a target but the first is
    None: unknown), or the result itself (``target`` None, or a model of one target)."""
    if target is None or target not in (result.get("targets") or {}):
        return result
    means = result["targets"][target]
    first = next(iter(result["targets"])) == target
    folds = [{**fold, "summary": fold["targets"][target], "series_scored": fold.get(
        "series_by_target", {}).get(target, fold["series_scored"] if first else None)}
        for fold in result["origins"]]
    return {**result, "origins": folds, "mean": means["mean"],
            **({"median": means["median"]} if "median" in means else {})}


def summaries_over_origins(folds, statistic, target=None):
    """Per method, the ``statistic`` (``np.mean`` or ``np.median``) of each origin's sMAPE,
    MASE and OWA, and the method's label: of the first target, or of ``target`` (a model
    of several targets); the label every origin gives it (the network's differs where a
    fit kept its linear start: :func:`~engine.many.global_model.network_label`), else its
    name in :data:`~engine.many.comparators.LABELS`."""
    from engine.many.comparators import LABELS

    summaries = [f["summary"] if target is None else f["targets"][target] for f in folds]
    methods = summaries[0]
    labels = {name: {s[name]["label"] for s in summaries} for name in methods}
    return {name: {key: float(statistic([s[name][key] for s in summaries]))
                   for key in ("smape", "mase", "owa")}
            | {"label": labels[name].pop() if len(labels[name]) == 1 else LABELS[name]}
            for name in methods}
