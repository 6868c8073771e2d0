"""Selection and testing error before and after model selection on the built-in examples.

For each example it builds the project as the application's example menu does
(:func:`app.examples.example_project`), fits it with seeds 0-4 and takes the medians of the
one-step selection and testing RMSE (target units) of the final fits; then it runs the given
searches one after the other (3 repeats each, 2 workers), applies each chosen setting, and
fits and scores again. It produces figures; it passes or fails nothing.

    .venv/bin/python benchmarks/selection_accuracy.py airline neurons,lookback
    .venv/bin/python benchmarks/selection_accuracy.py sunspots neurons,lookback
"""

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.examples import example_project  # noqa: E402
from engine.training.fitting import fit_project  # noqa: E402
from engine.selection import apply_trial, run_search  # noqa: E402

SEEDS = range(5)


def median_scores(project):
    """Median over :data:`SEEDS` of the one-step (selection, testing) RMSE of the first
    target, and the per-seed lists."""
    selection, testing = [], []
    for seed in SEEDS:
        trial = copy.deepcopy(project)
        trial.architecture.seed = seed
        result = fit_project(trial)
        selection.append(float(result.scores["selection"].rmse[0]))
        testing.append(float(result.scores["testing"].rmse[0]))
    return float(np.median(selection)), float(np.median(testing)), selection, testing


def describe(project):
    return (f"{project.architecture.cell} {project.architecture.hidden_sizes}, "
            f"lookback {project.data.config.lookback}, "
            f"L2 {project.training.to_dict().get('l2', 0)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", help="airline, sunspots, seattle, appliances or macro")
    parser.add_argument("methods", help="searches to run in order, e.g. neurons,lookback")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="rnn-studio-selection-"))
    project, _ = example_project(args.example, folder)
    started = time.perf_counter()
    before = median_scores(project)
    print(f"before: {describe(project)}: selection {before[0]:.4g}, testing {before[1]:.4g} "
          f"(medians of seeds {list(SEEDS)}; {time.perf_counter() - started:.0f} s)")
    for method in args.methods.split(","):
        started = time.perf_counter()
        result = run_search(project, method, repeats=args.repeats, workers=args.workers)
        print("\n".join(result.table_lines()))
        apply_trial(project, result)
        print(f"{method}: {time.perf_counter() - started:.0f} s; applied")
    after = median_scores(project)
    print(f"after: {describe(project)}: selection {after[0]:.4g}, testing {after[1]:.4g}")


if __name__ == "__main__":
    main()
