"""Holdout accuracy of the default pipeline beside every comparator, on the development suite.

For every data set and seed it runs, in this process (or in a pool of ``--workers``
processes), exactly the fit a person runs::

    rnn-studio fit DATA.csv --target COL --test-from WHEN [--forecast-steps N] --seed S
        --out MODEL

(``--forecast-steps N`` where the set is scored on a recursive forecast of its ``N``
holdout rows, as a person who wants that forecast says so: airline's 12 months, a
classical series' holdout, M4's 48 / 13), and scores the model on the holdout with
:func:`engine.testing.evaluation.evaluate_frame`, the function behind ``rnn-studio evaluate MODEL DATA.csv --from WHEN [--recursive] --json``
(its scores and ``"baselines"`` are the JSON's; the per-step analysis is not computed). The
comparators are those of ``"baselines"``: persistence, seasonal naive, ets, theta, linear,
on the same rows.

Data sets and holdout rules:

* examples (resources/examples): the five built-in examples with the target and testing
  start of ``benchmarks/comparators.py`` (airline and sunspots as ``benchmarks/accuracy.py``);
  airline scored recursively over its 12 testing months (one step beside), the others one
  step ahead.
* series (``DATA/series``): the classical series; the target is the value column (the
  second), the holdout the last season for seasonal data (12 rows of a ``*_monthly.csv``,
  4 of a ``*_quarterly.csv``) and the last 20% (rounded) of a ``*_yearly.csv``;
  ``--test-from`` is the holdout's first time. Scored as the M4 scores, one multi-step
  forecast from the holdout's start (``--recursive``); the one-step figures are reported
  beside.
* beyond: six real series the pipeline was never tuned on, read from the installed
  statsmodels (``benchmarks/beyond_suite.py``), with the classical series' holdout rule
  and scoring.
* m4-hourly, m4-weekly (``DATA/m4``): a fixed sample of ``--m4-sample`` series of each
  kind (the series at rows ``floor(i * count / N)``, i = 0..N-1), each written to a
  single-series CSV (``step,value``, the step index 0..n-1 as time); the holdout the last
  48 (hourly) / 13 (weekly) values, scored recursively from its start. Besides the RMSE:
  sMAPE ``mean(200 |y - f| / (|y| + |f|))`` and MASE ``mean|y - f| / scale`` with scale
  the mean absolute seasonal difference ``mean|y_t - y_(t-m)|`` of the series' own
  history before the holdout (m = 24 hourly, 1 weekly), for the network and each
  comparator, and their mean over the sample.

Per set: the median over seeds of the holdout RMSE (every comparator's too), the seed spread
(max/min of the network's per-seed RMSE), the median seconds per fit and the failed fits
(counted and reported, never fatal). A summary counts the sets where the network's median
beats persistence, seasonal naive and the best of ETS/Theta/linear, and the worst ratio to
the best comparator. Per kind, the share of the holdout values inside the network's 80, 90
and 95% intervals (the half-widths the model file carries for its forecasts: of each row's
horizon from the holdout's start when recursive, of one step else; median over seeds, and
the mean over an M4 sample). It produces figures; it passes or fails nothing.

    .venv/bin/python benchmarks/accuracy_suite.py --data FOLDER [--seeds 0,1,2,3,4]
        [--only KIND[,KIND]] [--m4-sample 50] [--workers 1] [--output FILE|-]
        [--records FILE.jsonl [--resume | --report-only]]

KIND: examples, series, beyond, m4-hourly, m4-weekly.

FOLDER is the folder of the development suite (with series/ and m4/).
"""

import argparse
import csv
import io
import json
import math
import statistics
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from comparators import CASES as EXAMPLE_CASES  # noqa: E402  name, file, target, when, recursive
from beyond_suite import write_series  # noqa: E402
from engine.cli.main import main  # noqa: E402

EXAMPLES = ROOT / "resources" / "examples"
KINDS = ("examples", "series", "beyond", "m4-hourly", "m4-weekly")
TITLES = {"examples": "Examples", "series": "Classical series",
          "beyond": "Beyond the suite (statsmodels' series)",
          "m4-hourly": "M4 hourly sample", "m4-weekly": "M4 weekly sample"}
M4_FILES = {"m4-hourly": ("Hourly-train.csv", 48, 24), "m4-weekly": ("Weekly-train.csv", 13, 1)}
SEASONS = {"monthly": 12, "quarterly": 4}
YEARLY_SHARE = 0.2
COMPARATORS = ("persistence", "seasonal_naive", "ets", "theta", "linear")
CLASSICAL = ("ets", "theta", "linear")
COVERED = ("0.8", "0.9", "0.95")           # the interval levels whose coverage is reported


@dataclass
class DataSet:
    """One data set of the suite: its CSV, target, testing start (text for --test-from),
    the scoring modes (``"recursive"`` and/or ``"one_step"``, the first is the headline)
    and the season of the MASE scale (None: no M4 metrics)."""

    kind: str
    name: str
    path: str
    target: str
    test_from: str
    modes: tuple
    season: int = None
    rows: int = None
    steps: int = None            # the holdout's rows when it is scored recursively


# -- holdout rules and M4 conversion ----------------------------------------------------------

def frequency_of(filename):
    """``"monthly"``, ``"quarterly"`` or ``"yearly"`` from a suite file's name suffix."""
    stem = Path(filename).stem
    for word in ("monthly", "quarterly", "yearly"):
        if stem.endswith("_" + word):
            return word
    raise ValueError(f"{filename}: the name does not end in _monthly, _quarterly or _yearly")


def holdout_size(n_rows, frequency):
    """Rows held out at the end of a classical series: its last season (12 monthly,
    4 quarterly) or, for yearly data, the last 20% (rounded, at least one row)."""
    if frequency in SEASONS:
        return SEASONS[frequency]
    return max(1, int(round(YEARLY_SHARE * n_rows)))


def read_table(path):
    """``(header, rows)`` of a small CSV file, rows as lists of text."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [r for r in rows[1:] if r]


def series_set(path, kind="series"):
    """The :class:`DataSet` of a classical series (time in the first column, the value in
    the second): holdout by :func:`holdout_size`, recursive headline and one step beside."""
    header, rows = read_table(path)
    held = holdout_size(len(rows), frequency_of(path))
    return DataSet(kind, Path(path).stem, str(path), header[1], rows[-held][0],
                   ("recursive", "one_step"), rows=len(rows), steps=held)


def m4_sample(count, size):
    """The fixed sample: row indices ``floor(i * count / size)``, i = 0..size-1 (all rows
    when ``size >= count``)."""
    size = min(int(size), int(count))
    return [i * count // size for i in range(size)]


def m4_series(path, indices):
    """``[(id, values (n,))]`` of the M4 file's rows ``indices`` (one series per row, the
    id first, then the values, empty cells after the series' end)."""
    wanted, found = set(indices), []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for i, row in enumerate(reader):
            if i in wanted:
                values = [float(v) for v in row[1:] if v.strip() != ""]
                found.append((row[0], np.array(values)))
    return found


def write_series_csv(values, path):
    """A single-series CSV ``step,value`` with the step index 0..n-1 as its time."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["step", "value"])
        writer.writerows([i, repr(float(v))] for i, v in enumerate(values))


def m4_sets(kind, data, size, folder):
    """The :class:`DataSet` of each series of the M4 sample of ``kind``, written to
    ``folder``; the holdout starts at row (= step) ``n - horizon``."""
    file, horizon, season = M4_FILES[kind]
    path = Path(data) / "m4" / file
    with open(path, encoding="utf-8") as handle:
        count = sum(1 for _ in handle) - 1
    sets = []
    for name, values in m4_series(path, m4_sample(count, size)):
        target = Path(folder) / f"{name}.csv"
        write_series_csv(values, target)
        sets.append(DataSet(kind, name, str(target), "value", str(len(values) - horizon),
                            ("recursive",), season, len(values), horizon))
    return sets


def example_sets():
    """The five built-in examples (module docstring)."""
    return [DataSet("examples", name, str(EXAMPLES / file), target, when,
                    ("recursive", "one_step") if recursive else ("one_step",))
            for name, file, target, when, recursive in EXAMPLE_CASES]


# -- metrics -----------------------------------------------------------------------------------

def smape(y, f):
    """sMAPE (%) ``mean(200 |y - f| / (|y| + |f|))`` over the finite pairs; NaN without."""
    y, f = np.asarray(y, float), np.asarray(f, float)
    ok = np.isfinite(y) & np.isfinite(f) & ((np.abs(y) + np.abs(f)) > 0)
    if not ok.any():
        return math.nan
    return float(np.mean(200 * np.abs(y[ok] - f[ok]) / (np.abs(y[ok]) + np.abs(f[ok]))))


def seasonal_scale(history, season):
    """The MASE scale: ``mean|y_t - y_(t-m)|`` over the history; NaN when too short."""
    history = np.asarray(history, float)
    if len(history) <= season:
        return math.nan
    d = np.abs(history[season:] - history[:-season])
    d = d[np.isfinite(d)]
    return float(d.mean()) if d.size else math.nan


def mase(y, f, scale):
    """MASE ``mean|y - f| / scale`` over the finite pairs; NaN without, or with scale 0."""
    y, f = np.asarray(y, float), np.asarray(f, float)
    ok = np.isfinite(y) & np.isfinite(f)
    if not ok.any() or not scale:
        return math.nan
    return float(np.mean(np.abs(y[ok] - f[ok])) / scale)


# -- one fit and its scores --------------------------------------------------------------------

def run_cli(argv):
    """``rnn-studio ARGV`` in this process; its output, or an error with its message."""
    out, err = io.StringIO(), io.StringIO()
    if main(argv, out=out, err=err) != 0:
        raise RuntimeError(f"rnn-studio {argv[0]} failed: {err.getvalue().strip()}")
    return out.getvalue()


def guesses(evaluation, levels, period):
    """``{name: forecasts (m,)}`` of the network and every comparator for the evaluation's
    rows (first target), as ``evaluate`` scores them."""
    from engine.testing.baselines import baseline_lags, naive_guesses
    from engine.testing.comparators import comparator_guesses

    rows = evaluation.rows
    known = np.full(rows.shape, evaluation.start_row - 1) if evaluation.recursive \
        else rows - 1
    out = {"network": evaluation.predicted[:, 0]}
    for name, lag in baseline_lags(period).items():
        out[name] = naive_guesses(levels, rows, known, lag)[:, 0]
    for name, comparator in evaluation.comparators.items():
        out[name] = comparator_guesses(comparator, rows, known, levels.shape[1])[:, 0]
    return out


def score_mode(model, frame, spec, start, recursive):
    """The scores of one mode: ``{"count", "rmse": {name: value}}`` and, with a season,
    ``"smape"`` and ``"mase"`` per name."""
    from engine.testing.evaluation import evaluate_frame

    evaluation = evaluate_frame(model, frame, start, recursive)
    result = evaluation.to_dict()
    target = spec.target
    rmse = {"network": result["targets"][target]["rmse"]}
    rmse.update({name: b["targets"][target]["rmse"] for name, b in result["baselines"].items()})
    scores = {"count": len(evaluation.rows), "rmse": rmse,
              "coverage": interval_coverage(model, evaluation)}
    if spec.season:
        levels = model.preprocessing.encode(frame, prediction=True).levels
        truth = evaluation.truth[:, 0]
        scale = seasonal_scale(levels[:evaluation.start_row, 0], spec.season)
        forecasts = guesses(evaluation, levels, model.preprocessing.period)
        scores["smape"] = {n: smape(truth, f) for n, f in forecasts.items()}
        scores["mase"] = {n: mase(truth, f, scale) for n, f in forecasts.items()}
    return scores


def interval_coverage(model, evaluation):
    """``{level: share}`` of the scored rows (first target) whose value lies inside the
    network's interval of that level (``"0.9"``: the 90% interval), as the forecasts and
    predictions of the model give it: the recursive half-width of each row's horizon from
    the start, or the one-step width; ``{}`` for a model without intervals."""
    from engine.errors import EngineError
    from engine.testing.intervals import LEVELS, half_widths

    error = np.abs(evaluation.truth[:, 0] - evaluation.predicted[:, 0])
    known = np.isfinite(error)
    steps = len(error) if evaluation.recursive else 1
    mode = "recursive" if evaluation.recursive else "direct"
    horizon = np.arange(len(error)) if evaluation.recursive else np.zeros(len(error), int)
    shares = {}
    for level in LEVELS:
        try:
            widths = half_widths(model.metadata, level, steps, mode)[horizon, 0]
        except EngineError:
            return {}
        shares[f"{level:g}"] = float(np.mean(error[known] <= widths[known])) \
            if known.any() else math.nan
    return shares


def offered_method(comparison):
    """The comparator whose forecast the fit offers instead of the network's (the best of
    ETS, Theta and the linear autoregression where it beat the network on the selection
    part, first target), else None."""
    from engine.testing.verdict import network_lost

    return (comparison or {}).get("best") if network_lost(comparison) else None


def fit_and_score(spec, seed, folder):
    """One fit of ``spec`` with ``seed`` and its scores in every mode: a record
    ``{"set", "kind", "seed", "seconds", "transform", "modes", "error"}``; a failure is
    recorded in ``"error"``, never raised."""
    record = {"set": spec.name, "kind": spec.kind, "seed": seed, "error": None}
    try:
        from engine.cli.arguments import parse_when
        from engine.model.model_file import load_model

        model_path = str(Path(folder) / f"{spec.kind}-{spec.name}-{seed}.npz")
        started = time.perf_counter()
        steps = ["--forecast-steps", str(spec.steps)] if spec.steps else []
        run_cli(["fit", spec.path, "--target", spec.target, "--test-from", spec.test_from,
                 *steps, "--seed", str(seed), "--out", model_path])
        record["seconds"] = time.perf_counter() - started
        project = json.loads(Path(model_path).with_suffix(".json").read_text())
        record["transform"] = project["data"]["config"]["target_transform"]
        model = load_model(model_path)
        comparison = model.metadata.get("comparison") or {}
        record["advice"] = offered_method(comparison)
        record["selection"] = {key: comparison.get(key)
                               for key in ("mode", "rows", "network", "best", "best_rmse")}
        frame = model.read_csv(spec.path)
        start = parse_when(spec.test_from)
        record["modes"] = {mode: score_mode(model, frame, spec, start, mode == "recursive")
                           for mode in spec.modes}
    except Exception as error:  # noqa: BLE001 - a failed fit is a figure, not a crash
        record["error"] = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        record["trace"] = traceback.format_exc(limit=3)
    return record


# -- figures per set ---------------------------------------------------------------------------

def median_or_nan(values):
    """The median of the finite values, NaN without any."""
    values = [v for v in values if v is not None and math.isfinite(v)]
    return statistics.median(values) if values else math.nan


def mean_or_nan(values):
    """The mean of the finite values, NaN without any."""
    values = [v for v in values if v is not None and math.isfinite(v)]
    return statistics.fmean(values) if values else math.nan


def mode_figures(records, mode):
    """Medians over the seeds of one mode: ``{"count", "seeds": [network RMSE per seed],
    "spread" (max/min; NaN with one seed), "rmse"/"smape"/"mase": {name: median}}`` (the
    latter two when scored)."""
    scored = [r["modes"][mode] for r in records]
    seeds = [s["rmse"]["network"] for s in scored]
    finite = [v for v in seeds if v is not None and math.isfinite(v) and v > 0]
    figures = {"count": scored[0]["count"], "seeds": seeds,
               "spread": max(finite) / min(finite) if len(finite) > 1 else math.nan,
               "coverage": {level: median_or_nan(s.get("coverage", {}).get(level)
                                                 for s in scored)
                            for level in COVERED}}
    for measure in ("rmse", "smape", "mase"):
        if measure in scored[0]:
            names = scored[0][measure]
            figures[measure] = {n: median_or_nan(s[measure].get(n) for s in scored)
                                for n in names}
    return figures


def best_classical(values):
    """``(name, value)`` of the lowest of ETS, Theta and linear in ``values``; NaN when none."""
    found = [(values[n], n) for n in CLASSICAL
             if values.get(n) is not None and math.isfinite(values[n])]
    if not found:
        return None, math.nan
    value, name = min(found)
    return name, value


def advice_ratios(records, mode):
    """The holdout RMSE of the comparator each fit offered (``"advice"``) divided by the
    network's, in ``mode``, one per fit that offered one (below 1: following it helped)."""
    ratios = []
    for record in records:
        rmse = record["modes"][mode]["rmse"]
        offered = record.get("advice")
        if offered and rmse.get(offered) is not None and rmse["network"]:
            ratios.append(rmse[offered] / rmse["network"])
    return ratios


def advice_line(sets):
    """How the fits' offers of a comparator's forecast fared on the holdout, in words."""
    ratios = [r for f in sets for r in f.get("advice", [])]
    runs = sum(f["runs"] - f["failed"] for f in sets)
    if not ratios:
        return f"- The fit offered no comparator's forecast in {runs} fits."
    helped = sum(r < 1 for r in ratios)
    hurt = sum(r > 1 for r in ratios)
    return (f"- The fit offered a comparator's forecast instead of the network's in "
            f"{len(ratios)} of {runs} fits: following the offer lowered the holdout RMSE in "
            f"{helped} and raised it in {hurt} (holdout RMSE of the offer / the network's: "
            f"median {number(float(np.median(ratios)), 3)}, from {number(min(ratios), 3)} "
            f"to {number(max(ratios), 3)}).")


def set_figures(spec, records):
    """Everything reported about one set: failures (with their first message), seconds per
    fit, transforms chosen and :func:`mode_figures` per mode."""
    ok = [r for r in records if r["error"] is None]
    failed = [r for r in records if r["error"] is not None]
    figures = {"spec": spec, "failed": len(failed), "runs": len(records),
               "error": failed[0]["error"] if failed else None,
               "seconds": median_or_nan(r["seconds"] for r in ok),
               "max_seconds": max((r["seconds"] for r in ok), default=math.nan),
               "transforms": sorted({r["transform"] for r in ok}), "modes": {},
               "advice": advice_ratios(ok, spec.modes[0])}
    for mode in spec.modes:
        if ok:
            figures["modes"][mode] = mode_figures(ok, mode)
    return figures


# -- markdown ----------------------------------------------------------------------------------

def number(value, digits=4):
    """A figure with ``digits`` significant digits, "–" when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}g}"


def ratio(a, b):
    """``a / b``, NaN when either is missing."""
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)) or b == 0:
        return math.nan
    return a / b


MODE_TEXT = {"recursive": "recursive", "one_step": "one step"}


def rmse_table(sets, mode):
    """The markdown table of one mode's RMSE: network (median, per seed, spread), every
    comparator, the ratio to the best classical comparator, seconds per fit, failures."""
    lines = ["| set | rows | scored | network | per seed | spread | "
             + " | ".join(COMPARATORS) + " | / best classical | s per fit | failed |",
             "|---|---|---|---|---|---|" + "---|" * len(COMPARATORS) + "---|---|---|"]
    for f in sets:
        spec, m = f["spec"], f["modes"].get(mode)
        if m is None:
            lines.append(f"| {spec.name} | {spec.rows or '–'} | {MODE_TEXT[mode]} | failed "
                         f"| | | " + " | " * len(COMPARATORS)
                         + f" | | {f['failed']}/{f['runs']}: {f['error']} |")
            continue
        rmse = m["rmse"]
        name, best = best_classical(rmse)
        lines.append(
            f"| {spec.name} | {spec.rows or '–'} | {MODE_TEXT[mode]}, {m['count']} "
            f"| **{number(rmse['network'])}** | "
            + ", ".join(number(v) for v in m["seeds"])
            + f" | {number(m['spread'], 3)} | "
            + " | ".join(number(rmse.get(n)) for n in COMPARATORS)
            + f" | {number(ratio(rmse['network'], best), 3)} ({name or '–'}) "
            f"| {number(f['seconds'], 3)} | {f['failed']}/{f['runs']} |")
    return lines


def m4_table(sets):
    """The mean over the sample of the per-series sMAPE and MASE (medians over seeds) of
    the network and every comparator (recursive over the holdout)."""
    names = ("network",) + COMPARATORS
    lines = ["| mean over the sample | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    scored = [f["modes"]["recursive"] for f in sets if "recursive" in f["modes"]]
    for measure in ("smape", "mase"):
        means = [mean_or_nan([m[measure].get(n) for m in scored]) for n in names]
        lines.append(f"| {measure} ({len(scored)} series) | "
                     + " | ".join(number(v) for v in means) + " |")
    return lines


def coverage_table(sets):
    """The share of holdout values inside the network's 80, 90 and 95% intervals in each
    set's headline mode (median over the seeds); for a sample of M4 series, the mean over
    the series."""
    lines = ["| set | scored | " + " | ".join(f"{float(c):.0%} interval" for c in COVERED)
             + " |", "|---|---|" + "---|" * len(COVERED)]
    headline = [(f["spec"], f["modes"].get(f["spec"].modes[0])) for f in sets]
    headline = [(spec, m) for spec, m in headline if m is not None]
    if sets and sets[0]["spec"].season:
        means = [mean_or_nan([m["coverage"][c] for _, m in headline]) for c in COVERED]
        return lines + [f"| mean over {len(headline)} series | recursive | "
                        + " | ".join(share_text(v) for v in means) + " |"]
    for spec, m in headline:
        lines.append(f"| {spec.name} | {MODE_TEXT[spec.modes[0]]}, {m['count']} | "
                     + " | ".join(share_text(m["coverage"][c]) for c in COVERED) + " |")
    return lines


def share_text(value):
    """A share as a percentage with one decimal, "–" when missing."""
    return "–" if value is None or not math.isfinite(value) else f"{100 * value:.1f}%"


def kind_section(kind, sets):
    """A kind's tables: the RMSE in each set's headline mode (a table per mode), the
    one-step RMSE of the sets whose headline is recursive, and the M4 means."""
    lines = [f"### {TITLES[kind]}", ""]
    for mode in MODE_TEXT:
        headed = [f for f in sets if f["spec"].modes[0] == mode]
        if headed:
            lines += rmse_table(headed, mode) + [""]
    two = [f for f in sets if len(f["spec"].modes) > 1]
    if two:
        lines += ["One step ahead over the same holdout:", ""] + rmse_table(two, "one_step")
        lines.append("")
    if sets[0]["spec"].season:
        lines += m4_table(sets) + [""]
    lines += ["The share of the holdout inside the network's intervals:", ""]
    return lines + coverage_table(sets) + [""]


def comparison(figures):
    """The headline mode's ``{"persistence", "seasonal_naive", "classical": ratio of the
    network's median RMSE to it, "best": name, "spread"}`` of one set (None when failed)."""
    m = figures["modes"].get(figures["spec"].modes[0])
    if m is None:
        return None
    rmse = m["rmse"]
    name, best = best_classical(rmse)
    return {"persistence": ratio(rmse["network"], rmse.get("persistence")),
            "seasonal_naive": ratio(rmse["network"], rmse.get("seasonal_naive")),
            "classical": ratio(rmse["network"], best), "best": name, "spread": m["spread"]}


def count_below(values, limit=1.0):
    """``"k of n"``: how many finite values are below ``limit``."""
    finite = [v for v in values if math.isfinite(v)]
    return f"{sum(v < limit for v in finite)} of {len(finite)}"


def summary_row(label, sets):
    """One summary row over ``sets`` (:func:`comparison` of each)."""
    pairs = [(f["spec"].name, comparison(f)) for f in sets]
    done = [(n, c) for n, c in pairs if c is not None]
    worst = max(((c["classical"], n) for n, c in done if math.isfinite(c["classical"])),
                default=(math.nan, "–"))
    small = [f["max_seconds"] for f in sets if (f["spec"].rows or 0) <= 1000]
    return (f"| {label} | {len(sets)} | "
            f"{count_below([c['persistence'] for _, c in done])} | "
            f"{count_below([c['seasonal_naive'] for _, c in done])} | "
            f"{count_below([c['classical'] for _, c in done])} | "
            f"{count_below([c['classical'] for _, c in done], 1.1)} | "
            f"{number(worst[0], 3)} ({worst[1]}) | "
            f"{count_below([c['spread'] for _, c in done], 1.2)} | "
            f"{number(max(small, default=math.nan), 3)} | "
            f"{sum(f['failed'] for f in sets)} of {sum(f['runs'] for f in sets)} |")


def named_target(by_kind, kind, name, mode, limit):
    """``"name mode: median (target <= limit)"`` for one of the issue's named targets."""
    for f in by_kind.get(kind, []):
        if f["spec"].name == name and mode in f["modes"]:
            value = f["modes"][mode]["rmse"]["network"]
            verdict = "met" if value <= limit else "not met"
            return f"- {name}, {MODE_TEXT[mode]}: median RMSE {number(value)} " \
                   f"(target <= {limit}: {verdict})"
    return f"- {name}, {MODE_TEXT[mode]}: not measured"


def summary_section(by_kind):
    """The summary over every kind and all sets together, and the named targets."""
    lines = ["### Summary", "",
             "Headline mode of each set (M4: each series is a set). Counts are of sets "
             "where the network's median RMSE is lower than the comparator's; 'within 10%': "
             "at most 1.1 times the best of ETS/Theta/linear; spread: max/min over seeds.", "",
             "| kind | sets | beats persistence | beats seasonal naive | beats best "
             "classical | within 10% of best classical | worst ratio to best classical | "
             "spread < 1.2 | max s per fit (<= 1,000 rows) | failed fits |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for kind, sets in by_kind.items():
        lines.append(summary_row(TITLES[kind], sets))
    everything = [f for sets in by_kind.values() for f in sets]
    if len(by_kind) > 1:
        lines.append(summary_row("all", everything))
    lines += ["", named_target(by_kind, "examples", "airline", "recursive", 17.5),
              named_target(by_kind, "examples", "sunspots", "one_step", 12.0),
              advice_line(everything), ""]
    return lines


def report(by_kind, argv):
    """The whole markdown report."""
    lines = [f"Command: `benchmarks/accuracy_suite.py {' '.join(argv)}`", ""]
    for kind, sets in by_kind.items():
        lines += kind_section(kind, sets)
    return "\n".join(lines + summary_section(by_kind))


# -- running -----------------------------------------------------------------------------------

def build_sets(args, folder):
    """The data sets of the kinds asked for, in :data:`KINDS` order."""
    sets = {}
    for kind in KINDS:
        if args.only and kind not in args.only.split(","):
            continue
        if kind == "examples":
            sets[kind] = example_sets()
        elif kind == "series":
            sets[kind] = [series_set(p) for p in sorted((Path(args.data) / "series")
                                                       .glob("*.csv"))]
        elif kind == "beyond":
            sets[kind] = [series_set(p, kind)
                          for p in write_series(Path(folder) / "beyond")]
        else:
            sets[kind] = m4_sets(kind, args.data, args.m4_sample, folder)
    for spec in sets.get("examples", []):
        rows = read_table(spec.path)[1]
        spec.rows = len(rows)
        if spec.modes[0] == "recursive":     # ISO dates: in time order as text too
            spec.steps = sum(1 for row in rows if row[0] >= spec.test_from)
    return sets


def progress(record):
    """One line per finished fit."""
    if record["error"]:
        print(f"  {record['kind']:<9} {record['set']:<36} seed {record['seed']}: FAILED "
              f"{record['error']}", flush=True)
        return
    mode = next(iter(record["modes"]))
    print(f"  {record['kind']:<9} {record['set']:<36} seed {record['seed']}: "
          f"{mode} RMSE {record['modes'][mode]['rmse']['network']:.4g}  "
          f"{record['seconds']:.1f} s", flush=True)


def finished(record, records_file):
    """Print a finished fit and append it to the records file (JSON lines), if any."""
    progress(record)
    if records_file:
        with open(records_file, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({k: v for k, v in record.items() if k != "trace"},
                                    default=str) + "\n")
    return record


def read_records(records_file):
    """The records of an earlier run (JSON lines); none without the file."""
    if not records_file or not Path(records_file).exists():
        return []
    with open(records_file, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_all(jobs, folder, workers, records_file=None):
    """:func:`fit_and_score` of every ``(spec, seed)``, here or in a process pool of
    ``workers``; each record is appended to ``records_file`` as it finishes."""
    if workers <= 1:
        return [finished(fit_and_score(spec, seed, folder), records_file)
                for spec, seed in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(fit_and_score, spec, seed, folder) for spec, seed in jobs]
        return [finished(future.result(), records_file) for future in futures]


def figures_by_kind(sets, records):
    """``{kind: [set_figures]}`` of the sets with at least one record."""
    by_kind = {}
    for kind, kind_sets in sets.items():
        found = [(spec, [r for r in records if r["set"] == spec.name and r["kind"] == kind])
                 for spec in kind_sets]
        if any(own for _, own in found):
            by_kind[kind] = [set_figures(spec, own) for spec, own in found if own]
    return by_kind


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True,
                        help="the folder of the development suite (series/ and m4/)")
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--only", default=None,
                        help="kinds to run, comma-separated: " + ", ".join(KINDS))
    parser.add_argument("--m4-sample", type=int, default=50,
                        help="series of each M4 kind (a fixed sample)")
    parser.add_argument("--workers", type=int, default=1,
                        help="fits at once in a process pool (default 1: in this process)")
    parser.add_argument("--output", default="-",
                        help="markdown file to write ('-': none; the report is printed)")
    parser.add_argument("--records", default=None,
                        help="JSON-lines file each fit's figures are appended to")
    parser.add_argument("--resume", action="store_true",
                        help="keep the fits already in --records and run only the others")
    parser.add_argument("--report-only", action="store_true",
                        help="with --records: the report of the fits in it, no new fit "
                             "(sets without any are left out)")
    return parser.parse_args(argv)


def main_(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        sets = build_sets(args, folder)
        earlier = read_records(args.records) if args.resume or args.report_only else []
        if args.records and not (args.resume or args.report_only):
            Path(args.records).write_text("")
        done = {(r["kind"], r["set"], r["seed"]) for r in earlier}
        jobs = [] if args.report_only else [
            (spec, seed) for kind_sets in sets.values() for spec in kind_sets
            for seed in seeds if (spec.kind, spec.name, seed) not in done]
        records = earlier + run_all(jobs, folder, args.workers, args.records)
    records = [r for r in records if r["seed"] in seeds]
    by_kind = figures_by_kind(sets, records)
    text = report(by_kind, argv)
    print("\n" + text)
    if args.output != "-":
        Path(args.output).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main_()
