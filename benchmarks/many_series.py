"""One global network over the M4 competition's hourly and weekly series, beside Naive2,
seasonal naive and Theta, with the time and the peak memory it takes.

For each kind, the M4 training file (one series per row) is written in the long format
(``series,value``, one row per series and step, in time order) and run exactly as a
person runs it::

    rnn-studio fit LONG.csv --series series --target value --test-last H --season M
               [--members N] [--seed S] --out MODEL
    rnn-studio forecast MODEL LONG.csv --steps H --out FORECAST.csv
    rnn-studio evaluate MODEL LONG.csv --test-last H --json

each in its own process: the time is the wall clock of the process, the peak memory the
largest maximum resident set size (``getrusage``) of the process and of the processes it
started (the second training process), Python and its libraries included. The holdout
is each series' last ``H`` values (48 hourly, 13 weekly), the season of the MASE scale
``M`` = 24 hourly and 1 weekly, as the M4 competition scored them; the scores are
``evaluate --json``'s: sMAPE, MASE and OWA against Naive2 for the network and for each
comparator, on the same series and steps, and the share of the holdout values inside
the network's 80, 90 and 95% forecast intervals. It produces figures; it passes or fails nothing.

    .venv/bin/python benchmarks/many_series.py --data FOLDER [--only hourly,weekly]
        [--seeds 0] [--members N] [--limit N] [--output FILE|-] [-- FIT FLAGS]

FOLDER is the development suite's folder (with m4/Hourly-train.csv and
m4/Weekly-train.csv). Flags after ``--`` go to ``fit`` unchanged (e.g. ``--hidden 64``).
"""

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"hourly": ("Hourly-train.csv", 48, 24), "weekly": ("Weekly-train.csv", 13, 1)}
METHODS = ("network", "naive2", "seasonal_naive", "theta")


def write_long(wide_path, long_path, limit=None):
    """The M4 file at ``wide_path`` (id, then the values, empty cells after the series'
    end) written as ``series,value`` rows; returns (series, values) counts."""
    series = values = 0
    with open(wide_path, newline="", encoding="utf-8") as source, \
            open(long_path, "w", newline="", encoding="utf-8") as target:
        reader, writer = csv.reader(source), csv.writer(target)
        next(reader)
        writer.writerow(["series", "value"])
        for row in reader:
            if limit is not None and series >= limit:
                break
            numbers = [v for v in row[1:] if v.strip() != ""]
            writer.writerows([row[0], v] for v in numbers)
            series += 1
            values += len(numbers)
    return series, values


# runs the command line and, at its end, writes the process's own peak memory (KiB)
MEASURED = """
import resource, runpy, sys
sys.argv = ["rnn-studio"] + sys.argv[1:]
try:
    runpy.run_module("engine", run_name="__main__")
finally:
    peak = max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    sys.stderr.write(f"\\nPEAK-KIB {peak}\\n")
"""


def timed(argv):
    """Run ``rnn-studio ARGV`` in a new process: ``(stdout, seconds, peak MiB)``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED, *argv], cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"rnn-studio {argv[0]} failed: {done.stderr.strip()}")
    peak = int(done.stderr.rsplit("PEAK-KIB", 1)[1].split()[0]) / 1024
    return done.stdout, seconds, peak


def run_kind(kind, folder, work, seed, members, limit, fit_flags):
    """The figures of one kind and seed."""
    file, horizon, season = KINDS[kind]
    long_path = work / f"{kind}.csv"
    n_series, n_values = write_long(Path(folder) / "m4" / file, long_path, limit)
    model = work / f"{kind}-{seed}.npz"
    fit_out, fit_s, fit_peak = timed(["fit", str(long_path), "--series", "series", "--target",
                               "value", "--test-last", str(horizon), "--season", str(season),
                               *(["--members", str(members)] if members else []),
                               "--seed", str(seed),
                               "--out", str(model), *fit_flags])
    _, forecast_s, forecast_peak = timed(["forecast", str(model), str(long_path), "--steps",
                              str(horizon), "--out", str(work / f"{kind}-forecast.csv")])
    scores, _, _ = timed(["evaluate", str(model), str(long_path), "--test-last",
                             str(horizon), "--json"])
    scores = json.loads(scores)
    return {"kind": kind, "seed": seed, "series": n_series, "values": n_values,
            "fit_seconds": fit_s, "forecast_seconds": forecast_s,
            "peak_mib": max(fit_peak, forecast_peak),
            "summary": scores["summary"], "coverage": scores.get("interval_coverage", {}),
            "fit_output": fit_out.strip().splitlines()}


def table(records, members, fit_flags):
    """The results as Markdown."""
    given = (f" --members {members}" if members else "") + "".join(f" {f}" for f in fit_flags)
    lines = [f"## Many series: one global network over M4 ({date.today()})", "",
             f"`benchmarks/many_series.py`, default `fit --series`{given}; holdout the last "
             "48 (hourly) / 13 (weekly) values of each series; medians over the seeds "
             "listed. Time: wall clock of `fit` (training and the comparators' scoring) and of `forecast`; peak: the "
             "largest resident memory of those processes.", "",
             "| set | seeds | method | sMAPE | MASE | OWA |", "|---|---|---|---|---|---|"]
    for kind in KINDS:
        rows = [r for r in records if r["kind"] == kind]
        if not rows:
            continue
        seeds = ",".join(str(r["seed"]) for r in rows)
        for method in METHODS:
            figures = [r["summary"][method] for r in rows]
            med = {k: statistics.median(f[k] for f in figures) for k in ("smape", "mase",
                                                                          "owa")}
            lines.append(f"| {kind}, {rows[0]['series']} series | {seeds} | "
                         f"{figures[0]['label']} | {med['smape']:.3f} | {med['mase']:.3f} | "
                         f"{med['owa']:.3f} |")
    lines += ["", "| set | values | fit s | forecast s | peak MiB | OWA per seed | "
              "intervals' coverage (80 / 90 / 95%) | chosen |",
              "|---|---|---|---|---|---|---|---|"]
    for r in records:
        lines.append(f"| {r['kind']} seed {r['seed']} | {r['values']:,} | "
                     f"{r['fit_seconds']:.0f} | {r['forecast_seconds']:.0f} | "
                     f"{r['peak_mib']:.0f} | {r['summary']['network']['owa']:.3f} | "
                     f"{coverage_text(r['coverage'])} | {chosen_window(r['fit_output'])} |")
    return "\n".join(lines) + "\n"


def coverage_text(coverage):
    """The share of the holdout values inside the network's 80, 90 and 95% intervals
    ("78.1 / 86.0 / 91.2%"), or "-"."""
    shares = [coverage.get(level) for level in ("0.8", "0.9", "0.95")]
    if any(share is None for share in shares):
        return "-"
    return " / ".join(f"{100 * share:.1f}" for share in shares) + "%"


def chosen_window(fit_output):
    """The candidate ``fit`` marked as chosen (its window and steps at once), or "-"."""
    for line in fit_output:
        if "<- chosen" in line:
            return line.split("OWA")[0].strip()
    return "-"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    fit_flags = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="the development suite's folder")
    parser.add_argument("--only", default="hourly,weekly")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--members", type=int,
                        help="networks averaged (default: fit's own default)")
    parser.add_argument("--limit", type=int, help="only the first N series of each file")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results.md"),
                        help="append the table to this file ('-': print only)")
    args = parser.parse_args(argv)
    records = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.only.split(","):
            for seed in (int(s) for s in args.seeds.split(",")):
                record = run_kind(kind, args.data, Path(folder), seed, args.members,
                                  args.limit, fit_flags)
                print(json.dumps({k: v for k, v in record.items() if k != "fit_output"}),
                      file=sys.stderr)
                records.append(record)
    text = table(records, args.members, fit_flags)
    print(text)
    if args.output != "-":
        with open(args.output, "a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
