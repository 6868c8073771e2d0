"""How much faster model selection runs its trials in the local process pool than one
after the other. Figures, not a test.

    .venv/bin/python benchmarks/bench_selection.py [--trials 8] [--workers 2] [--runs 3]
                                                   [--append benchmarks/results.md]

The search is an ensemble of ``trials`` networks from different seeds on the sunspots
example (GRU of ``hidden`` units, lookback 11, first differences, testing from 1989; Adam
at a learning rate of 0.001 for up to ``epochs`` epochs, 300 being the trial fits' limit,
so that the trials do about the same work). It is timed in this process (``workers=0``)
and in a pool of ``workers`` processes, the pool's start (spawning the workers, importing
NumPy and pandas, shipping the data) and end included; the best of ``runs`` of each. The
two tables must be equal, trial for trial. The pool's first start in a session also starts
the fork server (about half a second more); the best run is a later one. Other programs
running at the same time on the cores make the pool look worse: the load average is
printed beside the figures.
"""

import argparse
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.training.automatic import AutomaticChoices, automatic_project  # noqa: E402
from engine.data import load_table  # noqa: E402
from engine.selection import run_search  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "resources" / "examples" / "sunspots_yearly.csv"


def figures(result):
    return [[(run["seed"], run["selection_rmse"], run["epochs"]) for run in row.runs]
            for row in result.rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--append", metavar="FILE", help="append the figures to this file")
    args = parser.parse_args()
    project, _ = automatic_project(AutomaticChoices(
        DATA, ["sunactivity"], lookback=11, test_from=1989, hidden_sizes=[args.hidden],
        max_epochs=args.epochs))
    project.data.config.target_transform = "difference"
    project.training.learning_rate = 1e-3
    table = load_table(DATA)
    runners = (("one after the other (this process)", 0),
               (f"process pool, {args.workers} workers", args.workers))
    times, results, every = {}, {}, {}
    load = os.getloadavg()
    for _ in range(args.runs):          # alternately, so that both meet the same load
        for label, workers in runners:
            started = time.perf_counter()
            results[label] = run_search(project, "ensemble", max_trials=args.trials,
                                        workers=workers, table=table)
            seconds = time.perf_counter() - started
            times[label] = min(times.get(label, seconds), seconds)
            every.setdefault(label, []).append(seconds)
    sequential, pooled = times.values()
    same = figures(results[list(results)[0]]) == figures(results[list(results)[1]])
    epochs = [run["epochs"] for row in results[list(results)[0]].rows for run in row.runs
              if not row.ensemble]
    lines = ["", "# Model selection: process pool against one trial after the other", "",
             f"- Date: {datetime.now().strftime('%Y-%m-%dT%H:%M')}",
             f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}",
             f"- Load average (1, 5, 15 min) at the start: {', '.join(f'{x:.2f}' for x in load)}"
             f"; at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
             "",
             f"{args.trials} trials (an ensemble of {args.trials} seeds: GRU {args.hidden} "
             f"units, sunspots, lookback 11, first differences, {min(epochs)}-{max(epochs)}"
             f" epochs each); best of {args.runs} runs; the pool's start and end "
             "included.", "",
             "| Runner | Best (s) | Every run (s) |", "|---|---|---|"]
    lines += [f"| {label} | {seconds:.2f} | {', '.join(f'{x:.2f}' for x in every[label])} |"
              for label, seconds in times.items()]
    lines += ["", f"Ratio pool / one after the other: **{pooled / sequential:.2f}** "
              f"(tables equal trial for trial: {'yes' if same else 'NO'})."]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as stream:
            stream.write(text + "\n")


if __name__ == "__main__":
    main()
