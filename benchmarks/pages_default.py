"""The default fit of a project made on the pages, before and after the pages took the
automatic choices of ``rnn-studio fit``: holdout accuracy on the development suite.

Each set of ``accuracy_suite.py`` (the same holdouts and headline modes) is fitted as a
project that ``automatic_project`` makes from its CSV, target and testing start, in up to
three modes:

- ``before``: ``selection.settings`` empty: the transform none, the suggested lookback,
  every input (what a new project on the pages trained with before);
- ``now``: the automatic switches the pages now set (transform, lookback, inputs);
- ``length``: also the forecast length of the holdout (step 2's *Forecast length*, ``fit
  --forecast-steps``), for sets scored recursively.

Usage (results in benchmarks/results.md, "The automatic choices on the pages")::

    python benchmarks/pages_default.py --data ../shared/data --only series,beyond \\
        --seeds 0,1,2,3,4 --modes before,now,length --workers 2 --records F.jsonl

The report gives, per set, the median over seeds of the network's holdout RMSE in each
mode beside persistence, seasonal naive and the best of ETS, Theta and the linear model
(the linear model on the choices of the last mode run).
"""

import argparse
import json
import math
import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import accuracy_suite as suite  # noqa: E402

MODES = ("before", "now", "length")


def fit_and_score(job):
    """One fit of ``(spec, seed, mode, folder)`` and its scores: a record ``{"set", "kind",
    "seed", "mode", "modes": {mode: {"count", "rmse"}}}`` or with ``"error"``."""
    spec, seed, mode, folder = job
    from engine.cli.arguments import parse_when
    from engine.model.model_file import load_model
    from engine.training.automatic import (AutomaticChoices, automatic_project,
                                           set_forecast_steps)
    from engine.training.fitting import fit_project, save_fit

    record = {"set": spec.name, "kind": spec.kind, "seed": seed, "mode": mode}
    try:
        start = parse_when(spec.test_from)
        project, _ = automatic_project(AutomaticChoices(
            spec.path, [spec.target], test_from=start, seed=seed, folder=folder))
        if mode == "before":
            project.selection.settings = {}
        elif mode == "length" and spec.steps:
            set_forecast_steps(project, spec.steps)
        result = fit_project(project)
        path = Path(folder) / f"{spec.kind}-{spec.name}-{seed}-{mode}.npz"
        save_fit(result, path)
        model = load_model(path)
        frame = model.read_csv(spec.path)
        record["modes"] = {m: suite.score_mode(model, frame, spec, start, m == "recursive")
                           for m in spec.modes}
    except Exception as error:  # noqa: BLE001 - a failed fit is a figure, not a crash
        record["error"] = f"{type(error).__name__}: {error}".splitlines()[0][:300]
    return record


def report(records):
    """The markdown table of ``records``: per set, the median RMSE of each mode."""
    sets = {}
    for record in records:
        if record.get("error"):
            continue
        headline = "recursive" if "recursive" in record["modes"] else "one_step"
        rmse = record["modes"][headline]["rmse"]
        entry = sets.setdefault(record["set"], {"rmse": {}, "modes": {}})
        entry["modes"].setdefault(record["mode"], []).append(rmse["network"])
        entry["rmse"][record["mode"]] = rmse   # the linear model reads the mode's choices
    modes = [m for m in MODES if any(m in e["modes"] for e in sets.values())]
    lines = ["| set | " + " | ".join(modes) + " | persistence | seasonal naive | "
             "best classical |", "|---" * (len(modes) + 4) + "|"]
    for name, entry in sets.items():
        rmse = entry["rmse"][[m for m in modes if m in entry["rmse"]][-1]]
        best = min(rmse[k] for k in ("ets", "theta", "linear") if k in rmse)
        cells = [_number(statistics.median(entry["modes"][m])) if m in entry["modes"]
                 else "" for m in modes]
        naive = rmse.get("seasonal_naive")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_number(rmse['persistence'])}"
                     f" | {'–' if naive is None else _number(naive)} | {_number(best)} |")
    return "\n".join(lines)


def _number(value):
    return "nan" if value is None or not math.isfinite(value) else f"{value:.4g}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the development suite's folder")
    parser.add_argument("--only", default="examples,series,beyond")
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--records", help="JSON-lines file each fit's figures go to")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="pages-default-")
    options = argparse.Namespace(only=args.only, data=args.data, m4_sample=0)
    sets = suite.build_sets(options, folder)
    seeds = [int(s) for s in args.seeds.split(",")]
    jobs = [(spec, seed, mode, folder) for specs in sets.values() for spec in specs
            for seed in seeds for mode in args.modes.split(",")]
    records = []
    with ProcessPoolExecutor(max(args.workers, 1)) as pool:
        for record in pool.map(fit_and_score, jobs):
            records.append(record)
            print(record["set"], record["seed"], record["mode"],
                  record.get("error") or "done", flush=True)
            if args.records:
                with open(args.records, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record) + "\n")
    print(report(records))


if __name__ == "__main__":
    main()
