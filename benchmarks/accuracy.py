"""Accuracy of the automatic pipeline with its defaults, as a person would run it.

For every example below and seeds 0-4 it runs, in this process, exactly the commands::

    rnn-studio fit DATA.csv --target COL --test-from WHEN --seed S --out MODEL
    rnn-studio evaluate MODEL DATA.csv --from WHEN [--recursive] --json

and prints a table of the test RMSE per seed (original units), the median, the transform
the pipeline chose, the time per fit, and the naive baselines on the same rows (persistence;
seasonal naive at the detected period), which ``evaluate`` computes. It produces figures;
it passes or fails nothing.

    .venv/bin/python benchmarks/accuracy.py [--seeds 0,1,2,3,4] [--only airline]
"""

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.cli.main import main  # noqa: E402

EXAMPLES = ROOT / "resources" / "examples"
CASES = [  # name, file, target, test from, recursive, reference figures
    ("airline", "airline_passengers.csv", "passengers", "1960-01-01", True,
     "SARIMA 18.6, Holt-Winters 15.8; required <= 25"),
    ("sunspots", "sunspots_yearly.csv", "sunactivity", "1989", False,
     "AR(9) 14.8; required <= 16"),
]


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, out=out, err=err)
    if status != 0:
        raise SystemExit(f"rnn-studio {' '.join(argv)} failed: {err.getvalue().strip()}")
    return out.getvalue()


def measure(case, seeds, folder):
    name, file, target, when, recursive, reference = case
    data = str(EXAMPLES / file)
    rows = []
    for seed in seeds:
        model = str(Path(folder) / f"{name}-{seed}.npz")
        started = time.perf_counter()
        run(["fit", data, "--target", target, "--test-from", when, "--seed", str(seed),
             "--out", model])
        seconds = time.perf_counter() - started
        project = json.loads(Path(model).with_suffix(".json").read_text())
        chosen = project["data"]["config"]["target_transform"]
        result = json.loads(run(["evaluate", model, data, "--from", when, "--json"]
                                + (["--recursive"] if recursive else [])))
        rmse = result["targets"][target]["rmse"]
        baselines = {b: v["targets"][target]["rmse"] for b, v in result["baselines"].items()}
        rows.append((seed, rmse, chosen, seconds, result["count"], baselines))
        print(f"  {name:<9} seed {seed}: RMSE {rmse:7.2f}  {chosen:<20} {seconds:5.1f} s",
              flush=True)
    return rows


def main_(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--only", default=None)
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    lines = ["| data set | mode | " + " | ".join(f"seed {s}" for s in seeds)
             + " | median | transform chosen | s per fit | persistence | seasonal naive "
               "| reference |",
             "|---|---|" + "---|" * (len(seeds) + 6)]
    with tempfile.TemporaryDirectory() as folder:
        for case in CASES:
            if args.only and case[0] != args.only:
                continue
            rows = measure(case, seeds, folder)
            rmses = [r[1] for r in rows]
            chosen = sorted({r[2] for r in rows})
            base = rows[0][5]
            mode = f"recursive, {rows[0][4]} steps" if case[4] else \
                f"one step, {rows[0][4]} rows"
            lines.append(f"| {case[0]} | {mode} | " + " | ".join(f"{x:.2f}" for x in rmses)
                         + f" | **{statistics.median(rmses):.2f}** | {', '.join(chosen)} | "
                         f"{statistics.median(r[3] for r in rows):.1f} | "
                         f"{base.get('persistence', float('nan')):.1f} | "
                         f"{base.get('seasonal_naive', float('nan')):.1f} | {case[5]} |")
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main_()
