"""The testing part of many series: the global network beside Naive2, seasonal naive and
Theta, per series and over the whole set, in the M4 competition's measures
(:mod:`engine.many.metrics`).

Every method forecasts, from the last row before each series' testing part (its last ``N``
rows), the first ``min(N, H)`` testing rows. sMAPE and MASE are computed per series (MASE
scaled by the season-``m`` difference of the series' own history, ``m`` as the M4
competition chose it for the time step, :func:`~engine.many.histories.scoring_season`),
then averaged; the OWA of a method is against Naive2 on the same series. RMSE and MAE per
series are in the target's units.

A gap in time (missing time steps) before a series' testing part: the comparators are
fitted on its rows since its last gap, the unbroken stretch the network's window reads too
(a season or a trend before a gap would run on as if no time were missing), and the MASE's
scale pairs only values a season apart in time (:func:`~engine.many.metrics.mase_scale`).
A series without a gap is scored on its whole history, as in M4.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from engine.atomic import json_ready
from engine.errors import EngineError
from engine.figures import column_digits, number
from engine.many.comparators import LABELS, comparator_forecasts
from engine.many.fallback import (empty_targets, empty_targets_note, fallback_forecasts,
                                  fallback_note, gapped)
from engine.many.forecasting import forecast_before
from engine.many.global_model import LEVELS, network_label
from engine.many.histories import comparator_history, naive_season, scoring_season
from engine.many.metrics import (NO_OWA, judged_by, owa_of, score_set, unscaled_notes,
                                 zero_holdout_notes)
from engine.many.series_data import unknown_tails_note
from engine.tasks import as_task
from engine.words import counted, some_named, the_first, the_last, verb


@dataclass
class SeriesEvaluation:
    """Scores of every method on every scored series (one target)."""

    ids: list                      # the scored series
    steps: int
    season: int
    target: str
    histories: list                # (n_i,) per series, the values the comparators read:
                                   # before the testing part, since the last gap in time
                                   # and the last empty value
    truths: np.ndarray             # (n, steps)
    forecasts: dict                # method -> (n, steps)
    scores: dict                   # method -> engine.many.metrics.SetScores
    notes: list = field(default_factory=list)
    test_last: int | None = None   # the rows at the end scored from (None: ``steps``)
    seen: int = 0                  # rows scored that the model was trained or selected on
    coverage: dict = field(default_factory=dict)   # level -> share inside the interval
    network_label: str = LABELS["network"]         # the model's name in the table of scores
                                                   # (engine.many.global_model.network_label)

    def scope(self):
        """The rows scored, in words: "the last 12 steps" ("the last step"), or "the first
        12 steps of the last 20 rows" when the testing rows reach past the model's forecast
        (followed by "of 5 series", it reads as the rows of each series)."""
        end = self.test_last or self.steps
        return the_last(self.steps, "step") if end == self.steps else \
            f"{the_first(self.steps, 'step')} of {the_last(end, 'row')}"

    @property
    def n_scored(self):
        return len(self.ids)

    def owa(self, method):
        return owa_of(self.scores[method], self.scores["naive2"])

    def summary(self):
        """method -> {"label", "smape", "mase", "owa"} (means over the scored series)."""
        return {name: {"label": self.network_label if name == "network" else
                       LABELS.get(name, name),
                       "smape": float(self.scores[name].mean_smape),
                       "mase": float(self.scores[name].mean_mase),
                       "owa": float(self.owa(name))} for name in self.forecasts}

    def per_series(self, method="network"):
        """One dict per scored series: its sMAPE, MASE, RMSE and MAE."""
        scores = self.scores[method]
        error = self.forecasts[method] - self.truths
        rmse = np.sqrt(np.nanmean(error ** 2, axis=1))
        mae = np.nanmean(np.abs(error), axis=1)
        return [{"series": name, "smape": float(scores.smape[i]),
                 "mase": float(scores.mase[i]), "rmse": float(rmse[i]),
                 "mae": float(mae[i])} for i, name in enumerate(self.ids)]

    def spread(self, method="network", shares=(0.1, 0.5, 0.9)):
        """share -> the per-series sMAPE that share of the series is below."""
        values = self.scores[method].smape
        values = values[np.isfinite(values)]
        return {share: float(np.quantile(values, share)) if len(values) else math.nan
                for share in shares}

    def worst(self, count, method="network"):
        """The ``count`` series with the largest sMAPE."""
        rows = [r for r in self.per_series(method) if np.isfinite(r["smape"])]
        return sorted(rows, key=lambda r: -r["smape"])[:count]

    def to_dict(self):
        """Every figure as plain JSON (a NaN, e.g. the MASE of a series whose history
        never changes, becomes None)."""
        return json_ready({
            "target": self.target, "steps": self.steps, "season": self.season,
            "series_scored": self.n_scored, "summary": self.summary(),
            "smape_spread": {str(k): v for k, v in self.spread().items()},
            "interval_coverage": {f"{k:g}": v for k, v in self.coverage.items()},
            "series": self.per_series(), "notes": list(self.notes)})


def _comparator_seasons(methods, season, naive):
    """``[(m, methods)]``: the ``methods`` forecast with season ``m``, the seasonal naive
    one with ``naive``."""
    groups = {}
    for name in methods:
        groups.setdefault(naive if name == "seasonal_naive" else season, []).append(name)
    return list(groups.items())


TOO_MANY_TESTING_ROWS = "Give a --test-last below {longest}."
"""What :func:`evaluate_global`'s message on testing rows longer than every series advises,
in the command line's words (its ``--test-last N``; ``{longest}``: the longest series'
rows); step 6 gives the pages' own
(:data:`~engine.many.project_testing.TESTING_ROWS_ADVICE`)."""


def evaluate_global(model, data, test_last, target=0, methods=("naive2", "seasonal_naive",
                                                                  "theta"),
                    workers=1, task=None, coverage=True, too_many=TOO_MANY_TESTING_ROWS):
    """A :class:`SeriesEvaluation` of ``model`` (a
    :class:`~engine.many.global_model.GlobalModel`) on the last ``test_last`` rows of every
    series of ``data`` up to its last known value (the rows after it are left out, as a
    fit leaves them out: :func:`~engine.many.series_data.unknown_tails_note`, the first
    note). A series too short for the network's window is scored with its own seasonal
    naive forecast in the network's place (:mod:`engine.many.fallback`, named in the
    notes), so that the network's scores cover the same series as the others'.
    ``coverage``: also :func:`interval_coverage` (a candidate's scores do without).
    ``too_many``: what the message on ``test_last`` rows longer than every series advises
    (:data:`TOO_MANY_TESTING_ROWS`)."""
    task = as_task(task)
    test_last = int(test_last)
    if test_last < 1:
        raise EngineError("Give the testing part's length (--test-last N, N of 1 or more).")
    notes = [note for note in [unknown_tails_note(data, test_last)] if note]
    data = data.without_unknown_tails()         # tested up to each series' last value
    longest = int(data.lengths.max())
    if test_last >= longest:
        raise EngineError(f"No series has rows before its last {test_last}: the longest has "
                          f"{longest}. {too_many.replace('{longest}', str(longest))}")
    steps = min(test_last, model.steps)
    if test_last > model.steps:
        notes.append(f"The model forecasts {counted(model.steps, 'step')} ahead; "
                     f"{the_first(steps, 'row')} of the {test_last:,} testing rows "
                     f"{verb(steps, 'was', 'were')} scored.")
    trained_on = int(model.settings.get("test_last") or 0)
    seen = min(steps, test_last - trained_on) if test_last > trained_on else 0
    if seen:
        notes.append(f"The model was trained with a testing part of "
                     f"{counted(trained_on, 'row')}; the {counted(steps, 'row')} scored "
                     f"{verb(steps, 'includes', 'include')} {seen:,} it was trained or "
                     "selected on, so these scores are better than a true test.")
    ends = data.lengths - test_last
    forecast, _, _, ok = forecast_before(model, data, test_last, steps)
    found, fallen = fallback_forecasts(model, data, forecast, ok, np.maximum(ends, 0))
    values = found[:, :steps, target]
    season = scoring_season(data, model)
    rows = _scored_rows(data, target, ends, steps, values)
    keep, histories, truths = rows["keep"], rows["histories"], rows["truths"]
    notes.extend(_history_notes(rows, [data.ids[i] for i in keep], naive_season(
        model, season) if "seasonal_naive" in methods else 1))
    if not keep:
        raise EngineError(f"No series could be scored: each needs known values in "
                          f"{the_last(test_last, 'row')} and a window of known rows before.")
    notes.extend(_fallback_notes(model, data, found, fallen & np.isin(
        np.arange(data.n_series), keep), np.maximum(ends, 0), target))
    scored = {data.ids[i] for i in keep} | set(rows["gaps"])
    notes.extend(_unscored_notes(data, [i for i, name in enumerate(data.ids)
                                        if name not in scored], target))
    task.stage(f"Forecasting {len(keep):,} series with the comparators")
    found = {}
    for m, names in _comparator_seasons(methods, season, naive_season(model, season)):
        found.update(comparator_forecasts(histories, steps, m, names, workers, notes,
                                          [data.ids[i] for i in keep]))
    forecasts = {"network": values[keep], **{name: found[name] for name in methods}}
    truths = np.asarray(truths)
    scores = {name: score_set(rows["scaled"], truths, f, season, rows["positions"])
              for name, f in forecasts.items()}
    scales = scores["network"].scales
    notes.extend(zero_holdout_notes([data.ids[i] for i in keep], truths, scales))
    notes.extend(unscaled_notes([data.ids[i] for i in keep], truths, scales))
    shares = interval_coverage(model, data, test_last, steps, target, keep, fallen,
                               truths) if coverage else {}
    return SeriesEvaluation([data.ids[i] for i in keep], steps, season,
                            model.target_names[target], histories, truths, forecasts, scores,
                            notes, test_last, seen, shares, network_label(model))


def _fallback_notes(model, data, found, fallen, ends, target):
    """The notes on the scored series ``fallen`` given their own seasonal naive forecast
    (``found``: the forecasts of every target, :func:`fallback_forecasts`, from the rows
    before ``ends``): those the network could not read for their rows, then those that
    hold another target without a last value (:func:`empty_targets_note`)."""
    partial = empty_targets(found, fallen).any(axis=1)
    whole = fallen & ~partial
    notes = [note for note in [fallback_note(whole, data.ids, model, True,
                                             gapped(data, whole, ends))] if note]
    return notes + [note for note in [empty_targets_note(
        data, found, fallen, ends, model.target_names[target])] if note]


def _unscored_notes(data, left, target):
    """The notes (none, one or two) on the series numbered ``left`` that were not scored
    for target number ``target``: those that hold no value of it, then the others
    (missing values, or too short), each named (a few, then how many more)."""
    never = [data.ids[i] for i in left
             if not np.isfinite(data.targets[data.rows(i), target]).any()]
    other = [data.ids[i] for i in left if data.ids[i] not in never]
    name = data.target_names[target]
    notes = [f"{_series(len(never), 'was', 'were')} not scored ({some_named(never)}): "
             f"{verb(len(never), 'it holds', 'they hold')} no value of {name}."] if never else []
    if other:
        notes.append(f"{_series(len(other), 'was', 'were')} not scored ({some_named(other)}): "
                     "missing values, or too short for a window before the testing part.")
    return notes


def _scored_rows(data, target, ends, steps, values):
    """The series of ``data`` that can be scored on their ``steps`` rows from ``ends``
    (n_series,), ``values`` (n_series, steps) the network's forecasts, as a dict: ``keep``
    their numbers; per kept series its ``truths`` (steps,), ``histories``, ``scaled`` and
    ``positions`` (:func:`~engine.many.histories.comparator_history`), and whether an
    empty value (``empty``) or a gap in time (``gapped``) cut its history; ``gaps``, the
    names of the series a gap among their testing rows left out."""
    rows = {key: [] for key in ("keep", "histories", "truths", "scaled", "positions",
                                "empty", "gapped")}
    rows["gaps"], step = [], None
    for i in range(data.n_series):
        end = max(int(ends[i]), 0)
        truth = data.history(i, target=target)[end:][:steps]
        if end and len(truth) == steps and not _in_time(data, i, end, steps):
            rows["gaps"].append(data.ids[i])
            continue
        history, scaled, first, empty = comparator_history(data, i, end, target)
        if not (len(history) and len(truth) == steps and np.isfinite(truth).any()
                and np.isfinite(values[i]).all()):
            continue
        gapped = len(history) < len(scaled)
        if gapped and step is None:
            step = data.time_step()
        rows["positions"].append(data.positions(i, step)[first:end] if gapped else None)
        for key, value in (("keep", i), ("histories", history), ("truths", truth),
                           ("scaled", scaled)):
            rows[key].append(value)
        rows["empty"].append(empty)
        rows["gapped"].append(gapped)
    return rows


def _history_notes(rows, names, season):
    """The notes on the series :func:`_scored_rows` left out or whose history it cut
    (``names`` of the kept series; ``season`` the seasonal naive forecast's, 1 without
    one)."""
    notes = []
    empty = sum(rows["empty"])
    if empty:
        notes.append(f"{_series(empty, 'has', 'have')} an empty value before "
                     f"{verb(empty, 'its', 'their')} testing rows: the comparators and the "
                     "MASE's scale read each from the values after its last empty one; "
                     "empty testing values are left out of the scores.")
    if rows["gaps"]:
        n = len(rows["gaps"])
        their = verb(n, "its", "their")
        notes.append(f"{_series(n, 'was', 'were')} not scored ({some_named(rows['gaps'])}): "
                     f"{their} time column skips a step within {their} testing rows or just "
                     "before them, so those rows are not the steps forecast.")
    gapped = [k for k, cut in enumerate(rows["gapped"]) if cut]
    if gapped:
        notes.append(f"{_series(len(gapped), 'has', 'have')} a gap in time before "
                     f"{verb(len(gapped), 'its', 'their')} testing rows: the comparators "
                     f"read {verb(len(gapped), 'it', 'each')} from its rows since its last "
                     "gap, as the network does, and the MASE's scale pairs only values a "
                     "season apart in time.")
        short = [names[k] for k in gapped if len(rows["histories"][k]) < season]
        if short:
            n, its = len(short), verb(len(short), "its", "their")
            notes[-1] += (f" {n:,} of them ({verb(n, '', 'e.g. ')}{short[0]!r}) "
                          f"{verb(n, 'has', 'have')} fewer than {counted(season, 'row')} "
                          f"since that gap, less than a season: {its} seasonal naive "
                          f"forecast repeats {its} last value.")
    return notes


def _series(n, singular, plural):
    """``"1 series has"``, ``"2 series have"``: a count of series and its verb."""
    return f"{counted(n, 'series', 'series')} {verb(n, singular, plural)}"


def interval_coverage(model, data, test_last, steps, target, keep, fallen, truths):
    """level (:data:`~engine.many.global_model.LEVELS`) -> the share of the known values
    ``truths`` (len(keep), steps) of the scored series ``keep`` that fell inside the
    network's interval of that level, over the series the network forecast (``fallen``
    (n_series,) marks those it did not); NaN without a known value, None for a level whose
    interval is unknown (too few selection windows,
    :meth:`~engine.many.global_model.GlobalModel.unknown_levels`). A level well above its
    share means intervals too narrow for the testing rows.
    ``{}`` for a model file whose intervals have no width (trained without selection
    windows by an earlier version)."""
    if not any(np.any(errors) for errors in model.interval_errors.values()):
        return {}
    rows = np.asarray(keep)[~fallen[keep]]
    truths = truths[~fallen[keep]]
    known = np.isfinite(truths)
    shares = {}
    for level in LEVELS:
        if level in model.unknown_levels():
            shares[level] = None
            continue
        _, lower, upper, _ = forecast_before(model, data, test_last, steps, level)
        low, high = lower[rows, :steps, target], upper[rows, :steps, target]
        inside = known & (truths >= low) & (truths <= high)
        shares[level] = float(inside.sum() / known.sum()) if known.any() else float("nan")
    return shares


def _in_time(data, i, end, steps):
    """Whether series ``i``'s rows ``end - 1 .. end + steps - 1`` (the last known row and
    the rows scored) are one time step apart, with no gap (one segment)."""
    segment = data.segment[data.rows(i)][end - 1:end + steps]
    return bool((segment == segment[0]).all())


def evaluate_targets(model, data, test_last, **options):
    """:func:`evaluate_global` of every target of ``model``, in its order (a list).
    ``model``: a loaded global model or its file's path; ``data``: a
    :class:`~engine.many.series_data.SeriesSet` or the path of the CSV file. Only the
    series ``model`` was trained on are scored; each evaluation's first notes name the
    others, left out, and the model's series ``data`` does not hold
    (:func:`~engine.many.model_series.model_series`)."""
    from engine.many.model_file import loaded_global_model
    from engine.many.model_series import model_series
    from engine.many.series_data import series_for_model

    model = loaded_global_model(model)
    data, notes = model_series(model, series_for_model(model, data), "evaluate")
    evaluations = [evaluate_global(model, data, test_last, target=target, **options)
                   for target in range(len(model.target_names))]
    for evaluation in evaluations:
        evaluation.notes[:0] = notes
    return evaluations


def evaluations_dict(evaluations):
    """The JSON of ``evaluations`` (one per target): one target's
    :meth:`SeriesEvaluation.to_dict`; for several, ``{"targets": {name: that dict}}``."""
    if len(evaluations) == 1:
        return evaluations[0].to_dict()
    return {"targets": {evaluation.target: evaluation.to_dict()
                        for evaluation in evaluations}}


def coverage_sentence(coverage, subject="the network"):
    """The intervals' coverage (level -> share, :func:`interval_coverage`) in plain
    sentences: "The network's 80%, 90% and 95% intervals held 78%, 86% and 93% of the
    testing values." (``subject``: the model's name, :func:`network_subject`), and of the
    levels whose interval is unknown (None) "The 90% and 95% intervals are unknown: too
    few selection windows to calibrate them."; "" without either."""
    from engine.testing.verdict import listed

    known = [(level, share) for level, share in sorted(coverage.items())
             if finite_number(share)]
    unknown = [f"{level:.0%}" for level, share in sorted(coverage.items()) if share is None]
    sentences = []
    if known:
        levels = listed([f"{level:.0%}" for level, _ in known])
        shares = listed([f"{share:.0%}" for _, share in known])
        intervals = verb(len(known), "interval", "intervals")
        sentences.append(f"{subject.capitalize()}'s {levels} {intervals} held {shares} of "
                         "the testing values.")
    if unknown:
        n = len(unknown)
        sentences.append(f"The {listed(unknown)} {verb(n, 'interval is', 'intervals are')} "
                         f"unknown: too few selection windows to calibrate "
                         f"{verb(n, 'it', 'them')}.")
    return " ".join(sentences)


def tested_sentence(evaluation):
    """What ``evaluation`` (a :class:`SeriesEvaluation`) scored, in one plain sentence, as
    step 6 and its report say it: "Tested on the last 12 steps of 414 series, which the
    network never learned from (MASE scaled by the season-24 difference of each series'
    history)." (the model named as :func:`network_subject` names it)"""
    unseen = "" if evaluation.seen else \
        f", which {network_subject(evaluation)} never learned from"
    return (f"Tested on {evaluation.scope()} of {evaluation.n_scored:,} series{unseen} "
            f"(MASE scaled by the season-{evaluation.season} difference of each series' "
            "history).")


NO_SMAPE = "No series has an sMAPE: the testing values of every series are all 0."
"""What :func:`spread_sentence` says when no series has an sMAPE
(:func:`~engine.many.metrics.zero_holdouts`)."""


def spread_sentence(evaluation):
    """The 10%, 50% and 90% quantiles of the network's sMAPE (a percentage) over the
    series of ``evaluation`` in one plain sentence, as step 6 and its report say them, to 3
    significant digits with trailing zeros kept, as the command line prints them;
    :data:`NO_SMAPE` when no series has one."""
    from engine.testing.report import format_number

    spread = evaluation.spread().values()
    if not any(map(finite_number, spread)):
        return NO_SMAPE
    low, half, high = (format_number(value, 3) for value in spread)
    return (f"{network_subject(evaluation, capital=True)}'s sMAPE is below {low}% on 10% "
            f"of the series, below {half}% on half of them, below {high}% on 90%.")


COMPARED = (("seasonal_naive", "seasonal naive"), ("theta", "Theta"))
"""The methods :func:`beats_sentence` names (Naive2's OWA is 1 by definition)."""


def finite_number(value):
    """Whether ``value`` is a finite int or float (a summary's figure may be None)."""
    return isinstance(value, (int, float)) and math.isfinite(value)


MEASURES = (("smape", "sMAPE"), ("mase", "MASE"), ("owa", "OWA"))
"""The figures of a summary's table (:meth:`SeriesEvaluation.summary`), with their titles."""


def origin_leads(folds, methods=("naive2", "seasonal_naive", "theta")):
    """``(key, own, best)`` of a backtest's ``folds`` (each ``{"summary": {method: scores}}``):
    the figure they are judged by (``"owa"``, or ``"mase"`` where no method has an OWA:
    :func:`~engine.many.metrics.judged_by`), and per origin the network's figure and the
    lowest of ``methods``' (m,) each, NaN where there is none."""
    key = judged_by([row for fold in folds for row in fold["summary"].values()])

    def figure(scores):
        value = (scores or {}).get(key)
        return float(value) if finite_number(value) else np.nan

    own = np.array([figure(fold["summary"].get("network")) for fold in folds])
    best = np.array([min([figure(fold["summary"].get(m)) for m in methods], default=np.nan,
                         key=lambda v: np.inf if np.isnan(v) else v) for fold in folds])
    return key, own, best


def summary_digits(rows):
    """measure of :data:`MEASURES` -> the significant digits of its column in a table of
    ``rows`` (each a method's row of a summary, :meth:`SeriesEvaluation.summary`):
    :func:`~engine.figures.table_digits` of the column, 4 unless two that differ need more
    to read differently, each measure on its own (as the tables of one series give them);
    the sentences on the table quote its OWAs to the OWA column's digits."""
    return column_digits(rows, [key for key, _ in MEASURES])


def methods_in_order(summary):
    """The methods of ``summary`` (method -> {"label", "smape", "mase", "owa"}), the network
    first."""
    return sorted(summary, key=lambda name: name != "network")


def best_scores(summary):
    """measure of :data:`MEASURES` -> the lowest finite figure of any method in
    ``summary`` (None when no method has one): the figures a table marks as the best."""
    return {key: min((row[key] for row in summary.values()
                      if finite_number(row.get(key))), default=None)
            for key, _ in MEASURES}


def beats_sentence(summary, digits=None, over_origins=False):
    """Whether the network beats seasonal naive and Theta on the rows scored, by OWA (its
    sMAPE and MASE together; ``summary`` as :meth:`SeriesEvaluation.summary`), in one plain
    sentence, the figures as the table of scores shows them: to ``digits`` significant
    digits, those of the OWA column of a table of more rows than ``summary`` (a
    backtest's origins, mean and median), else of ``summary``'s
    (:func:`summary_digits`); "" without the figures. By MASE, and saying so, when no
    method has an OWA (:func:`~engine.many.metrics.judged_by`: every series' testing
    values all 0), its figures to the MASE column's digits. ``over_origins``: ``summary``
    is a backtest's means, "Over the origins, the network's mean OWA is ..."."""
    summary = summary or {}
    key = judged_by(summary.values())
    network = summary.get("network", {}).get(key)
    others = [(text, summary[name][key]) for name, text in COMPARED
              if name in summary and finite_number(summary[name].get(key))]
    if not finite_number(network) or not others:
        return ""
    digits = digits or summary_digits(summary.values())[key]
    beaten = [f"{text} ({number(value, digits)})" for text, value in others if network < value]
    behind = [f"{text} ({number(value, digits)})" for text, value in others
              if network >= value]
    subject = network_subject(summary, capital=not over_origins)
    whose = f"Over the origins, {subject}'s mean" if over_origins else f"{subject}'s"
    figure = f"{whose} {dict(MEASURES)[key]} is {number(network, digits)}"
    if key == "mase":
        figure += f" ({_by_mase(summary)})"
    if not behind:
        return f"{figure}: it beats {' and '.join(beaten)}."
    if not beaten:
        return (f"{figure}: it does not beat {' or '.join(behind)}; the simpler method "
                "forecasts these series better.")
    return f"{figure}: it beats {beaten[0]} but not {behind[0]}."


BY_MASE = f"compared by MASE: every series' testing values are all 0, so {NO_OWA}"
"""What :func:`beats_sentence` says after the network's MASE when it judges by MASE because
no method has an sMAPE."""


def _by_mase(summary):
    """:data:`BY_MASE` when no method of ``summary`` has a mean sMAPE (every series tested on
    zeros); else the OWA is missing for another reason (Naive2's sMAPE or MASE 0: its
    forecasts exact), said without one."""
    if any(finite_number(scores.get("smape")) for scores in summary.values()):
        return "compared by MASE, as no method has an OWA on these rows"
    return BY_MASE


def judged_figure(summary, method, figure="OWA", digits=None):
    """``method``'s figure in ``summary`` (as :func:`summary_of` takes it) under the
    measure the methods are compared by (:func:`~engine.many.metrics.judged_by`), after
    its name: "OWA 1.000", or "MASE 1.100" when no method has an OWA. ``figure``: the
    name in the OWA case ("OWA", "mean OWA" over a backtest's origins), which names MASE
    in OWA's place when compared by MASE ("mean MASE 1.100"); to ``digits`` (as
    :func:`beats_sentence`)."""
    from engine.testing.report import format_number

    summary = summary_of(summary)
    key = judged_by(summary.values())
    digits = digits or summary_digits(summary.values())[key]
    name = figure.replace("OWA", dict(MEASURES)[key])
    return f"{name} {format_number(summary[method][key], digits)}"


def naive2_lead(scores, best, figure="OWA", digits=None):
    """What precedes the offer of ``best`` (:func:`best_method`'s) when it is Naive2, which
    :func:`beats_sentence` does not name: "Naive2 (OWA 1.000) does better than the
    network too" after a sentence that named a method the network does not beat, "But
    Naive2 ..." after one that says the network beats them, "Naive2 ..." without such a
    sentence; "does as well as" on a tie (which :func:`best_method` counts); with its
    figure under the measure the sentence compares (:func:`judged_figure`, ``figure``
    ("OWA", "mean OWA") and ``digits`` as there: "Naive2 (MASE 1.100)" when no method has
    an OWA); "" for the methods the sentence names."""
    if best is None or best in dict(COMPARED):
        return ""
    summary = summary_of(scores)
    key = judged_by(summary.values())
    network, value = summary["network"][key], summary[best][key]
    named = [summary[name][key] for name, _ in COMPARED
             if finite_number(summary.get(name, {}).get(key))]
    does = "does as well as" if value == network else "does better than"
    text = (f"{LABELS[best]} ({judged_figure(summary, best, figure, digits)}) {does} "
            f"{network_subject(summary)}")
    if any(network >= other for other in named):
        return f"{text} too"
    return f"But {text}" if named else text


def network_subject(scores, capital=False):
    """How a sentence on ``scores`` (as :func:`summary_of` takes them) names the model it
    scores: "the network", or "the linear autoregression" when the table names it so
    (:func:`~engine.many.global_model.network_label`)."""
    label = summary_of(scores).get("network", {}).get("label", LABELS["network"])
    subject = "the network" if label == LABELS["network"] else f"the {label}"
    return subject.capitalize() if capital else subject


def summary_of(scores):
    """The ``summary()`` of ``scores`` (a :class:`SeriesEvaluation`), or ``scores`` itself
    when it is one already (method -> {"owa", ...}; a backtest's means); {} for None."""
    return scores.summary() if hasattr(scores, "summary") else (scores or {})


def best_method(scores):
    """The comparator of lowest OWA that the network does not beat on the testing rows
    (a method of :data:`~engine.many.method_forecasts.FORECAST_METHODS`), the one whose
    forecast to use instead (a tie with the network included, as
    :func:`beats_sentence` counts it), or None when the network
    beats every one (or its OWA is not a number). ``scores``: a
    :class:`SeriesEvaluation` or its ``summary()`` (method ->
    {"owa", "mase", ...}). Of equal OWAs the one the sentence names first wins (seasonal
    naive, Theta, then Naive2: on yearly series seasonal naive and Naive2 are the same).
    By MASE when no method has an OWA, as :func:`beats_sentence` judges
    (:func:`~engine.many.metrics.judged_by`)."""
    summary = summary_of(scores)
    key = judged_by(summary.values())
    network = summary.get("network", {}).get(key)
    if not finite_number(network):
        return None
    best = None
    for name in [name for name, _ in COMPARED] + ["naive2"]:
        value = summary.get(name, {}).get(key)
        if finite_number(value) and value <= network and \
                (best is None or value < summary[best][key]):
            best = name
    return best
