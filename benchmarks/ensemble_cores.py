"""How long the default ``rnn-studio fit`` takes when an ensemble's networks train side by
side on the cores (engine.training.members) against one after the other. Figures, not a
test.

    .venv/bin/python benchmarks/ensemble_cores.py [--data FOLDER] [--runs 1]
                                                  [--append benchmarks/results.md]

Each data set is fitted exactly as the accuracy suite fits it (``benchmarks/
accuracy_suite.py``: the target, the testing start and ``--forecast-steps``, seed 0), once
with ``RNN_STUDIO_PARALLEL_MEMBERS=off`` and once with the default (``auto``), in this
process; the whole fit is timed (reading the file, the automatic choices, the training,
the comparators, writing the model), the best of ``runs``. The two model files must hold
the same weights. Sets: the five examples, and with ``--data`` (the development suite's
folder, with m4/) the M4 hourly series H108 and H249 and the weekly W100 (their holdout as
the suite's). Other programs running at the same time make the cores look slower: the load
average is printed beside the figures.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy_suite import (M4_FILES, DataSet, example_sets, m4_series,  # noqa: E402
                            run_cli, write_series_csv)
from engine.model.model_file import load_model  # noqa: E402
from engine.training.members import MODE_VARIABLE  # noqa: E402

M4_NAMES = {"m4-hourly": ("H108", "H249"), "m4-weekly": ("W100",)}


def m4_named(data, folder):
    """The :class:`DataSet` of each series of :data:`M4_NAMES`, written to ``folder``."""
    sets = []
    for kind, names in M4_NAMES.items():
        file, horizon, season = M4_FILES[kind]
        path = Path(data) / "m4" / file
        with open(path, encoding="utf-8") as handle:
            rows = [i for i, line in enumerate(handle) if line.split(",")[0].strip('"')
                    in names]
        for name, values in m4_series(path, [i - 1 for i in rows]):
            target = Path(folder) / f"{name}.csv"
            write_series_csv(values, target)
            sets.append(DataSet(kind, name, str(target), "value",
                                str(len(values) - horizon), ("recursive",), season,
                                len(values), horizon))
    return sets


def timed_fit(spec, mode, folder, runs):
    """``(best seconds, model file)`` of ``runs`` fits of ``spec`` with the members' mode
    ``mode``."""
    os.environ[MODE_VARIABLE] = mode
    model = str(Path(folder) / f"{spec.name}-{mode}.npz")
    steps = ["--forecast-steps", str(spec.steps)] if spec.steps else []
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        run_cli(["fit", spec.path, "--target", spec.target, "--test-from", spec.test_from,
                 *steps, "--seed", "0", "--out", model])
        best = min(best, time.perf_counter() - started)
    return best, model


def same_weights(first, second):
    a, b = (load_model(path).network.state_dict() for path in (first, second))
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def measure(sets, runs, folder):
    lines = ["| set | rows | networks averaged | one after the other, s | on the cores, s | "
             "ratio | same weights |", "|---|---|---|---|---|---|---|"]
    for spec in sets:
        serial, first = timed_fit(spec, "off", folder, runs)
        cores, second = timed_fit(spec, "auto", folder, runs)
        members = load_model(second).network.members_
        line = (f"| {spec.name} | {spec.rows or '-'} | {members} | {serial:.1f} | "
                f"{cores:.1f} | {cores / serial:.2f} | "
                f"{'yes' if same_weights(first, second) else 'NO'} |")
        print(line, flush=True)
        lines.append(line)
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the development suite's folder (with m4/)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--append", help="append the table to this Markdown file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sets = example_sets() + (m4_named(args.data, folder) if args.data else [])
        lines = measure(sets, args.runs, folder)
    header = (f"\n### An ensemble's networks on the cores ({datetime.now():%Y-%m-%d}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
              f"{os.getloadavg()[0]:.2f} at the end)\n\n`benchmarks/ensemble_cores.py "
              f"--runs {args.runs}{' --data DATA' if args.data else ''}`: the whole default "
              "fit, best of the runs.\n\n")
    text = header + "\n".join(lines) + "\n"
    print(text)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
