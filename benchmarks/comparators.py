"""What the classical comparators add to ``rnn-studio evaluate --json``, and their testing
RMSE beside the network's, on the five built-in examples.

For each example it runs, in this process::

    rnn-studio fit DATA.csv --target COL --test-from WHEN --seed 0 --out MODEL
    rnn-studio evaluate MODEL DATA.csv [--recursive] --json

(the fit is skipped when MODEL exists in --models), times ``evaluate --json`` (best of
--repeats) and ``fit_comparators`` alone, and prints one table row per example: the network's
RMSE and every baseline's on the same rows. It produces figures; it passes or fails nothing.

    .venv/bin/python benchmarks/comparators.py [--models FOLDER] [--repeats 3]
"""

import argparse
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.cli.main import main  # noqa: E402

EXAMPLES = ROOT / "resources" / "examples"
CASES = [  # name, file, target, test from, recursive
    ("airline", "airline_passengers.csv", "passengers", "1960-01-01", True),
    ("sunspots", "sunspots_yearly.csv", "sunactivity", "1989", False),
    ("seattle", "seattle_weather_daily.csv", "temp_max", "2015-01-01", False),
    ("macro", "us_macro_quarterly.csv", "unemp", "2005", False),
    ("appliances", "appliances_energy_10min.csv", "Appliances", "2016-05-13", False),
]
NAMES = ("persistence", "seasonal_naive", "ets", "theta", "linear")


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    if main(argv, out=out, err=err) != 0:
        raise SystemExit(f"rnn-studio {' '.join(argv)} failed: {err.getvalue().strip()}")
    return out.getvalue()


def comparator_seconds(model_path, data):
    """Seconds of fit_comparators alone on the model's testing start (none before them)."""
    try:
        from engine.testing.comparators import fit_comparators
    except ImportError:
        return None
    from engine.model.model_file import load_model
    from engine.testing.evaluation import testing_rows

    model = load_model(model_path)
    encoded = model.preprocessing.encode(model.read_csv(data), prediction=True)
    started = time.perf_counter()
    fit_comparators(model, encoded, int(testing_rows(model.metadata, encoded.n_rows)[0]))
    return time.perf_counter() - started


def measure(case, folder, repeats):
    name, file, target, when, recursive = case
    data, model = str(EXAMPLES / file), str(Path(folder) / f"{name}.npz")
    if not Path(model).exists():
        run(["fit", data, "--target", target, "--test-from", when, "--seed", "0",
             "--out", model])
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = json.loads(run(["evaluate", model, data, "--json"]
                                + (["--recursive"] if recursive else [])))
        times.append(time.perf_counter() - started)
    rmse = {b: v["targets"][target]["rmse"] for b, v in result["baselines"].items()}
    forms = {b: (c.get("form") or c.get("reason"))
             for b, c in result.get("comparators", {}).items()}
    return (name, "recursive" if recursive else "one step", result["count"],
            result["targets"][target]["rmse"], rmse, min(times),
            comparator_seconds(model, data), forms)


def main_(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=str(ROOT / "build" / "comparator-models"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    Path(args.models).mkdir(parents=True, exist_ok=True)
    print("| data set | mode | rows | network | " + " | ".join(NAMES)
          + " | evaluate --json s | comparators s |")
    print("|---|---|---|---|" + "---|" * (len(NAMES) + 2))
    for case in CASES:
        name, mode, count, own, rmse, seconds, fitting, forms = measure(case, args.models,
                                                                       args.repeats)
        cells = [f"{rmse[b]:.4g}" if rmse.get(b) is not None else "–" for b in NAMES]
        fit_text = "–" if fitting is None else f"{fitting:.2f}"
        print(f"| {name} | {mode} | {count} | {own:.4g} | " + " | ".join(cells)
              + f" | {seconds:.2f} | {fit_text} |", flush=True)
        if forms:
            print(f"<!-- {name}: {json.dumps(forms)} -->", flush=True)


if __name__ == "__main__":
    main_()
