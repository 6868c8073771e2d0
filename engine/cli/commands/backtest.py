"""``rnn-studio backtest PROJECT.json|MODEL DATA.csv [--origins K] [--block ROWS] [--json]
[--workers N] [--scheduler ADDRESS]``: rolling-origin backtesting
(:mod:`engine.testing.backtest`): the network refitted on the rows before each of K
origins placed just before the testing part, scored on the rows after each origin one step
ahead and recursively, beside the naive baselines and the classical comparators.

Text: a table per origin (the network's and every baseline's RMSE and MAE, one step ahead
and recursive), the same table of the means over the origins and, with three or more
origins, that of the medians (an origin whose forecast ran away decides a mean alone).
``--json``: one object,
``{"origins": [{"origin_row", "origin_time", "rows", "network": {"one_step": {"count",
"targets"}, "recursive": ...}, "baselines": {"persistence": {"one_step", "recursive"},
"seasonal_naive", "ets", "theta", "linear"}, ...}, ...], "mean": {"network", "baselines"},
"median": {"network", "baselines"}, ...}`` with the ``"targets"`` measures of ``evaluate --json``.

A model file of many series, or a project whose data set names a series column
(:func:`names_many_series`), is backtested as a global model
(:func:`engine.cli.many_series.run_backtest`).
"""

import json
import os

from engine.cli.arguments import add_csv_options, csv_format
from engine.cli.text import scored_line
from engine.figures import number
from engine.testing.report import error_digits
from engine.testing.verdict import COMMAND_LINE, MODEL, verdict_on_backtest

NAMES = ("backtest",)
LABELS = {"persistence": "persistence", "seasonal_naive": "seasonal naive", "ets": "ETS",
          "theta": "Theta", "linear": "linear AR"}


def add_parsers(commands):
    from engine.many.backtest import MAX_ORIGINS as MANY_ORIGINS
    from engine.testing.backtest import DEFAULT_ORIGINS, MAX_ORIGINS

    backtest = commands.add_parser(
        "backtest", help="rolling-origin backtest: refit before K origins and score after",
        description="Time-series cross-validation: refit the network (the project's "
                    "settings as recorded, or a model file's) on the rows before each of K "
                    "origins placed just before the testing part, and score it on the block "
                    "after each origin, one step ahead and recursively, beside persistence, "
                    "seasonal naive, ETS, Theta and the linear autoregression fitted on the "
                    "same rows. Testing rows are never used. A project or model of many "
                    "series refits its global network (a project: the window its model was "
                    "fitted with, else its own settings) and scores it beside Naive2, "
                    "seasonal naive and Theta (see docs/many-series.md).")
    backtest.add_argument("source", metavar="PROJECT.json|MODEL",
                          help="a project file (.json) or a model file")
    backtest.add_argument("data", metavar="DATA.csv")
    backtest.add_argument("--origins", type=int, default=DEFAULT_ORIGINS, metavar="K",
                          help=f"rolling origins, 1 to {MAX_ORIGINS} (to {MANY_ORIGINS} "
                               f"for a model of many series; default {DEFAULT_ORIGINS})")
    backtest.add_argument("--block", type=int, metavar="ROWS",
                          help="rows scored after each origin (default: the steps ahead, "
                               "at least one season, else 12, and at least the project's "
                               "forecast steps: fit --forecast-steps)")
    backtest.add_argument("--workers", type=int, metavar="N",
                          help="local worker processes (default: one per core, at most one "
                               "per origin; 0: none, one origin after the other)")
    backtest.add_argument("--scheduler", metavar="ADDRESS",
                          help="a Dask scheduler (e.g. tcp://host:8786): fit the origins on "
                               "that cluster")
    backtest.add_argument("--json", action="store_true", help="print one JSON object")
    add_csv_options(backtest)


def project_advice(args):
    """What the messages of ``backtest PROJECT.json`` advise: the project file, and the
    options of ``fit --project`` that change its networks (the pages'
    :data:`~engine.testing.backtest.PROJECT_ADVICE` name their steps)."""
    import shlex

    from engine.data.config import random_split_file_advice
    from engine.data.pipeline import one_row_file_advice

    project = shlex.quote(args.source)
    return {"split": random_split_file_advice(project),
            "one_row": one_row_file_advice(project),
            "size": f"use fewer units or fewer networks averaged (rnn-studio fit --project "
                    f"{project} --hidden N --members N --out MODEL keeps them in the "
                    "project)."}


def run(args, out, err):
    from engine.cli.main import progress_task
    from engine.model.model_file import holds_many_series
    from engine.testing.backtest import MEDIAN_FROM, backtest_file

    if holds_many_series(args.source) or names_many_series(args.source):
        from engine.cli.many_series import run_backtest
        return run_backtest(args, out, err)

    with progress_task(err, epochs=False, indent="  ") as task:
        result = backtest_file(args.source, args.data, args.origins, args.workers,
                               args.scheduler, args.block, task, csv_format(args),
                               project_advice(args))
    if args.json:
        print(json.dumps(result.to_dict(), allow_nan=False), file=out)
        return 0
    print(scored_line(args.source, args.data,
                      f"{len(result.folds)} origins of {result.block} rows "
                      f"{result.placement()}; {result.runner}, "
                      f"{result.seconds:.1f} s"), file=out)
    for k, fold in enumerate(result.folds, 1):
        when = f" ({fold['origin_time']})" if fold["origin_time"] else ""
        print(f"Origin {k}: row {fold['origin_row']}{when}, {fold['rows']} rows scored, "
              f"{fold['epochs']} epochs", file=out)
        print_table(fold["network"], fold["baselines"], result.target_names, out)
    for note in result.notes():
        print(f"Note: {note}", file=out)
    mean = result.mean()
    print(f"Mean over {len(result.folds)} origins", file=out)
    mean_digits = print_table(mean["network"], mean["baselines"], result.target_names, out)
    median_digits = None
    if len(result.folds) >= MEDIAN_FROM:
        median = result.median()
        print(f"Median over {len(result.folds)} origins", file=out)
        median_digits = print_table(median["network"], median["baselines"],
                                    result.target_names, out)
    files = offer_files(args)
    for target in result.target_names:
        _, pulled = result.verdict_reads(target)        # the medians' table, else the means'
        digits = median_digits if pulled and median_digits else mean_digits
        line = verdict_on_backtest(result, target, COMMAND_LINE, *files, digits=digits)
        if line:
            prefix = f"{target}: " if len(result.target_names) > 1 else ""
            print(prefix + line, file=out)
    return 0


def names_many_series(path):
    """True when ``path`` is a project file (``.json``) whose data set names a series
    column (:func:`~engine.many.project_fit.is_many_series`); False for any other file,
    readable or not (the backtest of one series then says what is wrong)."""
    from engine.errors import EngineError
    from engine.many.project_fit import is_many_series
    from engine.project.document import load_project

    if not os.fspath(path).lower().endswith(".json"):
        return False
    try:
        return is_many_series(load_project(path).data.config)
    except EngineError:
        return False


def offer_files(args):
    """The model and data files the offer of a comparator's forecast names: the model file
    backtested, or of a project the model file it names (:func:`project_model`)."""
    import shlex

    model = project_model(args.source) if args.source.lower().endswith(".json") else \
        shlex.quote(args.source)
    return model, shlex.quote(args.data)


def project_model(path):
    """The model file the project at ``path`` names, as a command line writes it
    (:func:`~engine.cli.text.project_model_path`, quoted for a shell); else MODEL."""
    import shlex

    from engine.cli.text import project_model_path

    model = project_model_path(path)
    return MODEL if model is None else shlex.quote(model)


def print_table(network, baselines, targets, out):
    """One origin's (or the means') table: a row per model (and target), RMSE and MAE one
    step ahead and recursive, each measure to its own digits as step 6's errors table
    (:func:`~engine.testing.report.error_digits`: the RMSEs of both modes told apart, the
    MAEs on their own). Returns the RMSEs' digits, which a verdict quoting the table's
    RMSEs quotes them to at least."""
    print(f"  {'':<22} {'one step':>21}  {'recursive':>21}", file=out)
    print(f"  {'':<22} {'RMSE':>10} {'MAE':>10}  {'RMSE':>10} {'MAE':>10}", file=out)
    rows = [("network", network)] + [(LABELS.get(name, name), modes)
                                     for name, modes in baselines.items()
                                     if any(modes.get(m) for m in ("one_step", "recursive"))]
    measures = {(label, target, mode): ((modes.get(mode) or {}).get("targets") or {})
                .get(target) or {} for label, modes in rows for target in targets
                for mode in ("one_step", "recursive")}
    digits = error_digits([(key, m, {}) for key, m in measures.items()])
    for label, modes in rows:
        for target in targets:
            name = label if len(targets) == 1 else f"{label} {target}"
            figures = [number(measures[label, target, mode].get(key), digits[key])
                       for mode in ("one_step", "recursive") for key in ("rmse", "mae")]
            print(f"  {name:<22} {figures[0]:>10} {figures[1]:>10}  {figures[2]:>10} "
                  f"{figures[3]:>10}", file=out)
    return digits["rmse"]
