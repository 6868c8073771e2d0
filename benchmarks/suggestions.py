"""The suggestions of the data page and of ``rnn-studio fit`` (lookback, period, steps ahead)
before and after the rules of engine/data/statistics.py changed, and what they are worth:
the holdout RMSE of a linear autoregression (least squares on the windows of the suggested
lookback) with the old and the new suggestion, one step ahead and recursive.

For every set of the development suite:

* examples (resources/examples): the five built-in examples, the target and testing start
  of ``benchmarks/comparators.py``; the holdout is every row from the testing start on;
  the inputs are the file's other numeric columns (what ``fit`` reads by default);
* series (``DATA/series``): the classical series, holdout as ``benchmarks/accuracy_suite.py``
  (the last 12 monthly / 4 quarterly values, the last 20% of a yearly series);
* m4-hourly, m4-weekly (``DATA/m4``): every ``--m4-every``-th series of the training files
  (rows 0, k, 2k, ...), holdout the last 48 / 13 values. The M4 files hold no times; each
  series gets hourly / weekly timestamps from 2000-01-03, as a person's file would have.

The suggestions are made from the rows before the holdout only (the testing start of
``fit``), with the training part 80% of them (``fit`` with a testing start). "Before" is the
rule as it was: the period from the autocorrelation's peak (snapped to a calendar cycle),
the period as lookback up to 60 rows, else the partial autocorrelation's order kept between
12 and 48, at most a quarter of all rows; no steps-ahead suggestion. "After" is
:func:`engine.data.statistics.lookback_suggestion` and
:func:`~engine.data.statistics.suggest_steps_ahead`, with each cap ``--caps`` (training
windows per value of a window, :data:`~engine.data.statistics.WINDOWS_PER_VALUE`).

The linear autoregression: every column z-scored on the rows before the holdout; windows
of ``L`` rows of the target and the inputs predict the next target value; least squares
(:func:`engine.testing.comparators.design_matrix`) on every window before the holdout.
One step: each holdout row from its true history. Recursive: from the holdout's start,
the target fed its own predictions, the inputs their true values. Per set the RMSE; the
summary is the geometric mean over the sets of the ratio to the old suggestion's RMSE
(each M4 sample counted as one set: the geometric mean of its series' ratios first).

    .venv/bin/python benchmarks/suggestions.py --data FOLDER [--m4-every 20] [--caps 2,3,5]
"""

import argparse
import importlib
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy_suite import (frequency_of, holdout_size, m4_sample, m4_series,  # noqa: E402
                            read_table)
from comparators import CASES  # noqa: E402
from engine.data import load_table  # noqa: E402
from engine.testing.comparators import design_matrix  # noqa: E402

stats = importlib.import_module("engine.data.statistics")
EXAMPLES = ROOT / "resources" / "examples"
M4 = {"m4-hourly": ("Hourly-train.csv", 48, "h"), "m4-weekly": ("Weekly-train.csv", 13, "7D")}
OLD_MIN, OLD_MAX, OLD_PERIOD_LOOKBACK, OLD_SUGGESTED_PERIOD = 12, 48, 60, 200


def example_sets():
    """``(kind, name, frame, time column, target, holdout start row)`` of the examples."""
    sets = []
    for name, file, target, when, _ in CASES:
        table = load_table(EXAMPLES / file)
        times = table.frame[table.time_column]
        from engine.data.splits import resolve_test_from
        sets.append(("examples", name, table, target, resolve_test_from(when, times)))
    return sets


def series_sets(data):
    sets = []
    for path in sorted((Path(data) / "series").glob("*.csv")):
        table = load_table(path)
        header, rows = read_table(path)
        held = holdout_size(len(rows), frequency_of(path))
        sets.append(("series", path.stem, table, header[1], len(rows) - held))
    return sets


def m4_sets(data, every):
    sets = []
    for kind, (file, horizon, freq) in M4.items():
        path = Path(data) / "m4" / file
        with open(path, encoding="utf-8") as handle:
            count = sum(1 for _ in handle) - 1
        for name, values in m4_series(path, m4_sample(count, math.ceil(count / every))):
            frame = pd.DataFrame({"time": pd.date_range("2000-01-03", periods=len(values),
                                                        freq=freq), "value": values})
            sets.append((kind, name, load_table(frame), "value", len(values) - horizon))
    return sets


def numeric_inputs(table, target):
    return [c.name for c in table.columns if c.type in ("numeric", "binary")
            and c.name != target and c.name != table.time_column]


def old_suggestion(table, target, end):
    """The lookback and period the rules suggested before (module docstring)."""
    frame = table.frame.iloc[:end]
    y = frame[target].to_numpy(dtype=float)
    period = stats.calendar_period(stats.autocorrelation_period(y), table.time_step())
    suggested = int(period) if period and period <= OLD_SUGGESTED_PERIOD else \
        stats.pacf_order(y)
    if period and 2 <= period <= OLD_PERIOD_LOOKBACK:
        lookback = int(period)
    else:
        lookback = min(max(suggested, OLD_MIN), OLD_MAX)
    return min(lookback, max(len(table.frame) // 4, 1)), period


def new_suggestion(table, target, end):
    frame = table.frame.iloc[:end]
    rows = stats.training_rows(end, (0.8, 0.2, 0.0), end)
    lookback, why, _ = stats.lookback_suggestion(frame, target, numeric_inputs(table, target),
                                                 rows, 1, None, table.time_step())
    y = frame[target].to_numpy(dtype=float)
    period = stats.detect_period(y, table.time_step())
    times = frame[table.time_column] if table.time_column else None
    steps, _ = stats.suggest_steps_ahead(end, table.time_step(), period, times)
    return lookback, period, steps, why


def linear_rmse(table, target, end, lookback):
    """``(one step RMSE, recursive RMSE)`` of the linear autoregression (module docstring)."""
    names = [target] + numeric_inputs(table, target)
    values = table.frame[names].to_numpy(dtype=float)
    values = pd.DataFrame(values).interpolate(limit_direction="both").to_numpy()
    center, scale = values[:end].mean(axis=0), values[:end].std(axis=0)
    scale[scale == 0] = 1.0
    z = (values - center) / scale
    L, n = int(lookback), len(z)
    anchors = np.arange(L - 1, end - 1)
    if anchors.size < 2:
        return float("nan"), float("nan")
    X = np.stack([z[a - L + 1:a + 1] for a in anchors])
    weights = np.linalg.lstsq(design_matrix(X), z[anchors + 1, 0], rcond=None)[0]
    tested = np.arange(end, n)
    X = np.stack([z[r - L:r] for r in tested])
    one_step = design_matrix(X) @ weights
    own = z.copy()
    for r in tested:
        own[r, 0] = (design_matrix(own[None, r - L:r]) @ weights)[0]
    truth = values[end:, 0]

    def rmse(predicted):
        return float(np.sqrt(np.mean((predicted * scale[0] + center[0] - truth) ** 2)))
    return rmse(one_step), rmse(own[end:, 0])


def geometric_mean(values):
    values = [v for v in values if np.isfinite(v) and v > 0]
    return float(np.exp(np.mean(np.log(values)))) if values else float("nan")


def measure(sets, variants):
    """Per set: the old suggestion and its RMSE, and per variant ``(cap, lag band)`` the
    new ones and theirs (the band only matters for a set with inputs)."""
    records = []
    for kind, name, table, target, end in sets:
        old_lookback, old_period = old_suggestion(table, target, end)
        record = {"kind": kind, "name": name, "rows": end, "old": (old_lookback, old_period),
                  "old_rmse": linear_rmse(table, target, end, old_lookback), "new": {},
                  "inputs": bool(numeric_inputs(table, target))}
        for cap, band in variants:
            same = [key for key in record["new"] if key[0] == cap]
            if not numeric_inputs(table, target) and same:
                record["new"][(cap, band)] = record["new"][same[0]]
                continue
            stats.WINDOWS_PER_VALUE, stats.LAG_BAND = cap, band
            lookback, period, steps, why = new_suggestion(table, target, end)
            record["new"][(cap, band)] = (lookback, period, steps, why,
                                          linear_rmse(table, target, end, lookback))
        records.append(record)
    return records


def ratios(records, cap, mode):
    """Geometric mean over the sets (each M4 sample one set) of new / old RMSE."""
    by_set = {}
    for record in records:
        key = record["kind"] if record["kind"].startswith("m4") else record["name"]
        new, old = record["new"][cap][4][mode], record["old_rmse"][mode]
        by_set.setdefault(key, []).append(new / old if old > 0 else float("nan"))
    return geometric_mean([geometric_mean(v) for v in by_set.values()])


def report(records, caps, chosen):
    print("| set | rows before holdout | lookback before | after | period before | after | "
          "steps ahead after | one step RMSE before | after | recursive RMSE before | "
          "after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for record in records:
        if record["kind"].startswith("m4"):
            continue
        lookback, period, steps, _, (one, rec) = record["new"][chosen]
        print(f"| {record['name']} | {record['rows']} | {record['old'][0]} | {lookback} | "
              f"{record['old'][1] or '–'} | {period or '–'} | {steps} | "
              f"{record['old_rmse'][0]:.4g} | {one:.4g} | {record['old_rmse'][1]:.4g} | "
              f"{rec:.4g} |")
    for kind in M4:
        group = [r for r in records if r["kind"] == kind]
        if not group:
            continue
        print(f"| {kind} ({len(group)} series; medians) | "
              f"{int(np.median([r['rows'] for r in group]))} | "
              f"{np.median([r['old'][0] for r in group]):g} | "
              f"{np.median([r['new'][chosen][0] for r in group]):g} | "
              f"{_periods([r['old'][1] for r in group])} | "
              f"{_periods([r['new'][chosen][1] for r in group])} | "
              f"{np.median([r['new'][chosen][2] for r in group]):g} | "
              f"{np.median([r['old_rmse'][0] for r in group]):.4g} | "
              f"{np.median([r['new'][chosen][4][0] for r in group]):.4g} | "
              f"{np.median([r['old_rmse'][1] for r in group]):.4g} | "
              f"{np.median([r['new'][chosen][4][1] for r in group]):.4g} |")
    print()
    print("| training windows per value (cap) | input lag band (z) | one step: new / old RMSE "
          "| recursive: new / old | sets with inputs, one step | recursive |")
    print("|---|---|---|---|---|---|")
    with_inputs = [r for r in records if r["kind"] == "examples" and r["inputs"]]
    for cap, band in caps:
        print(f"| {cap:g} | {band:g} | {ratios(records, (cap, band), 0):.3f} | "
              f"{ratios(records, (cap, band), 1):.3f} | "
              f"{ratios(with_inputs, (cap, band), 0):.3f} | "
              f"{ratios(with_inputs, (cap, band), 1):.3f} |")
    print()
    print("Reasons (after, cap %g, lag band %g):" % chosen)
    for record in records:
        if not record["kind"].startswith("m4"):
            print(f"- {record['name']}: Lookback {record['new'][chosen][0]} "
                  f"({record['new'][chosen][3]}).")


def _periods(values):
    """The periods found in a sample, most frequent first: ``24 ×18, – ×3``."""
    counts = pd.Series([v if v else "–" for v in values]).value_counts()
    return ", ".join(f"{k} ×{c}" for k, c in counts.items())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the development suite's folder")
    parser.add_argument("--m4-every", type=int, default=20)
    parser.add_argument("--caps", default="1,2,3,5,8",
                        help="training windows per value of a window, each tried")
    parser.add_argument("--lag-bands", default="2,3,4",
                        help="z of the input lags' significance |r| > z/sqrt(n), each tried")
    args = parser.parse_args(argv)
    chosen = (stats.WINDOWS_PER_VALUE, stats.LAG_BAND)   # the rule's, shown per set
    variants = [(_number(c), _number(b)) for b in args.lag_bands.split(",")
                for c in args.caps.split(",")]
    variants = [chosen] + [v for v in variants if v != chosen]
    sets = example_sets() + series_sets(args.data) + m4_sets(args.data, args.m4_every)
    report(measure(sets, variants), sorted(variants), chosen)


def _number(text):
    return float(text)


if __name__ == "__main__":
    main()
