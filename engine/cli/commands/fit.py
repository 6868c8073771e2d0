"""``rnn-studio fit``: train a model on a CSV file (or a project) and say what was chosen.

::

    rnn-studio fit DATA.csv --target COL [--target COL ...] [--input COL ...]
              [--time COL | --no-time] [--lookback N] [--horizon H] [--test-from ROW|DATE]
              [--split TRAIN,SEL,TEST]
              [--cell rnn|gru|lstm] [--hidden N[,N...]] [--[no-]linear-path] [--members N]
              [--epochs N] [--seed S] [--test-last N] [--forecast-steps N]
              [--project PROJECT.json] --out MODEL
    rnn-studio fit --project PROJECT.json [--members N] [--forecast-steps N] --out MODEL
    rnn-studio fit --project MANY.json [--windows-per-series N|all|auto]
              [--average-steps N|none|auto] ... --out MODEL
    rnn-studio fit DATA.csv --series COL --target COL [--input COL ...] [--time COL | --no-time]
              [--static COL ...] [--horizon H] [--test-last N] [--season M]
              [--lookback N] [--fold F] [--block B] [--cell ...]
              [--hidden N[,N...]] [--members N [--workers N | --scheduler ADDRESS]]
              [--windows-per-series N|all|auto] [--average-steps N|none|auto]
              [--epochs N] [--seed S] [--project PROJECT.json] --out MODEL

With ``--series`` the file holds many series in the long format (one row per series and
time step) and one global network is trained over all of them
(:func:`engine.many.global_model.fit_global`, through :mod:`engine.cli.many_series`); the
project of the same choices is written too (:mod:`engine.many.new_project`).

It calls :func:`engine.training.fitting.fit_project`, as the GUI's training page does.
"""

import argparse
import os

from engine.atomic import check_writable
from engine.cli.arguments import (add_csv_options, csv_format, last_rows, parse_hidden,
                                  parse_split, parse_when, project_file, rows_to_last_target)
from engine.cli.written_files import check_fit_files, fit_project_path, refuse_read_file
from engine.figures import column_digits, number, table_digits
from engine.errors import EngineError
from engine.training.run import epochs_range
from engine.words import counted, verb

NAMES = ("fit",)
DATA_FLAGS = ("target", "input", "time", "no_time", "lookback", "horizon", "test_from",
              "split", "series", "test_last")


def add_parsers(commands):
    fit = commands.add_parser(
        "fit", help="train a model on a CSV file (or a project)",
        description="Train a recurrent network. Without optional flags it chooses the "
                    "lookback, the target transform and the inputs itself and says what it "
                    "chose; the choices are saved in the project file.")
    fit.add_argument("data", nargs="?", metavar="DATA.csv", help="the data file")
    fit.add_argument("--target", action="append", metavar="COL",
                     help="a column to predict (repeat for several)")
    fit.add_argument("--input", action="append", metavar="COL",
                     help="an input column (repeat for several); default: all numeric "
                          "columns or the target's own history, whichever the backtest "
                          "of a linear autoregression favours. The target's own past is "
                          "always an input.")
    time = fit.add_mutually_exclusive_group()
    time.add_argument("--time", metavar="COL", help="the date/time column (default: detected)")
    time.add_argument("--no-time", action="store_true", default=None,
                      help="read the file without a time column: its rows in file order")
    fit.add_argument("--lookback", type=int, metavar="N",
                     help="past steps each window reads (default: chosen by the backtest "
                          "around the suggestion, the detected period capped by the "
                          "training rows)")
    fit.add_argument("--horizon", type=int, metavar="H",
                     help="steps ahead to predict (default 1; 0: the same step). With "
                          "--series: the steps forecast at once (default: --test-last, else "
                          "the season)")
    fit.add_argument("--forecast-steps", type=int, metavar="N",
                     help="the steps you will forecast recursively, each from the ones "
                          "before: the automatic choices are scored on forecasts at least "
                          "this long (default: a season, else 12, or --horizon)")
    fit.add_argument("--test-from", metavar="ROW|DATE",
                     help="testing starts at this data row (0 = first row after the "
                          "header; also 'row 120') or "
                          "date/year; training and selection end before it")
    fit.add_argument("--test-last", type=int, metavar="N",
                     help="the last N rows up to the last known target (of every "
                          "series, with --series) are the testing part; 0: none "
                          "(default with --series: the steps ahead)")
    _add_many_series_options(fit)
    fit.add_argument("--split", metavar="TRAIN,SEL,TEST",
                     help="shares of the windows, e.g. 60,20,20 (default); with "
                          "--test-from only the ratio TRAIN:SEL counts (default 80:20)")
    fit.add_argument("--cell", choices=("rnn", "gru", "lstm"), help="recurrent cell "
                     "(default gru)")
    fit.add_argument("--hidden", metavar="N[,N...]",
                     help="units per recurrent layer, e.g. 32 or 64,32 (default 32)")
    fit.add_argument("--linear-path", action=argparse.BooleanOptionalAction, default=None,
                     help="a linear autoregression over the whole window added to the "
                          "network's output; it starts from least squares, so the network "
                          "starts as good as a linear model (default: on for a new "
                          "project; --no-linear-path turns it off)")
    fit.add_argument("--members", type=int, metavar="N",
                     help="networks averaged: N "
                          "networks trained from the seeds S, S+1, ... and their "
                          "predictions averaged; kept in the project (default: the "
                          "project's, else 5 up to 500 training windows, 3 up to 2,000, "
                          "else 1; with --series, 3)")
    fit.add_argument("--epochs", type=int, metavar="N", help="maximum number of epochs")
    fit.add_argument("--seed", type=int, metavar="S", help="random seed (default 0)")
    fit.add_argument("--project", metavar="PROJECT.json",
                     help="project file: written from the flags when DATA is given, "
                          "else read (and updated with the results)")
    fit.add_argument("--out", required=True, metavar="MODEL", help="model file to write")
    add_csv_options(fit)


def _add_many_series_options(fit):
    """The options of ``fit --series`` (many series in one file)."""
    fit.add_argument("--series", metavar="COL",
                     help="the column that names the series: the file holds many series, "
                          "one row per series and time step, and one network is trained "
                          "over all of them")
    fit.add_argument("--static", action="append", metavar="COL",
                     help="with --series: a column of one value per series (a category, or "
                          "the series column itself), read one-hot; repeat for several")
    fit.add_argument("--fold", type=int, metavar="F",
                     help="with --series: the network reads its window F rows a step (the "
                          "lookback a multiple of F; default: chosen on the backtest)")
    fit.add_argument("--block", type=int, metavar="B",
                     help="with --series: the network forecasts B steps at once, and the "
                          "horizon in blocks of B fed its own forecasts (B below the "
                          "horizon: recursive; default: chosen on the backtest)")
    fit.add_argument("--season", type=int, metavar="M",
                     help="with --series: the season in rows (default: the calendar's for "
                          "the time column's step, else the cycle found in the series)")
    _add_window_options(fit)
    fit.add_argument("--workers", type=int, metavar="N",
                     help="with --series and --members: train the networks side by side "
                          "in N local processes (default: one after the other here)")
    fit.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --series and --members: train the networks on this Dask "
                          "cluster (e.g. tcp://10.0.0.5:8786); its workers need RNN Studio")


def _add_window_options(fit):
    """The options of ``fit --series`` on what each network trains on: the training
    windows per series and the optimizer steps its weights are averaged over (parsed by
    :func:`~engine.cli.arguments.parse_windows_per_series` and
    :func:`~engine.cli.arguments.parse_average_steps` when the fit starts)."""
    from engine.many.choosing import AVERAGE_STEPS, FEW_EPOCHS
    from engine.many.global_model import AVERAGE_EPOCHS, LATEST_WINDOWS

    fit.add_argument("--windows-per-series", metavar="N|all|auto",
                     help=f"with --series: the training windows of each series the network "
                          f"learns from: its latest N, all, or auto (default): the latest "
                          f"{LATEST_WINDOWS}, or every one when the chosen window's network "
                          f"learned for {FEW_EPOCHS} epochs or fewer")
    fit.add_argument("--average-steps", metavar="N|none|auto",
                     help=f"with --series: each network keeps its weights averaged over its "
                          f"latest N optimizer steps (at most {AVERAGE_EPOCHS} epochs' "
                          f"steps), none: no average, or auto (default): "
                          f"{AVERAGE_STEPS:,} when the fit takes every window and the "
                          f"chosen window's network learned for {FEW_EPOCHS} epochs or "
                          f"fewer, else none")


SIZE_ADVICE = "use fewer units (--hidden N) or fewer networks averaged (--members N)."
"""What ``fit``'s message on networks averaged too large to merge advises: its options,
where the pages' (:data:`~engine.training.run.MERGED_SIZE_ADVICE`) name their steps."""


def one_row_advice(args):
    """What ``fit``'s message on a testing part of one row advises: the option that placed
    it (``--test-from``, ``--test-last``, else the shares of ``--split``), or for ``fit
    --project`` the project file's split, where the pages'
    (:data:`~engine.data.pipeline.ONE_TESTING_ROW_ADVICE`) name step 6."""
    import shlex

    from engine.data.pipeline import TESTING_SCORES_NEED, one_row_file_advice

    if args.project and args.data is None:
        return one_row_file_advice(shlex.quote(args.project))
    if args.test_from is not None:
        change = "Start testing earlier (an earlier --test-from, or --test-last 2 or more)"
    elif args.test_last is not None:
        change = "Test on more rows (--test-last 2 or more)"
    else:
        change = "Give testing a larger share (the third of --split TRAIN,SEL,TEST)"
    return f"{TESTING_SCORES_NEED} {change}, or keep no testing part (--test-last 0)."


def _project_from_args(args):
    """``(project, project_path, notes)`` for ``fit``."""
    from engine.training.automatic import (AutomaticChoices, automatic_project,
                                           set_forecast_steps)
    from engine.training.settings import check_most_members

    for flag, value, least in (("--epochs", args.epochs, 1), ("--lookback", args.lookback, 1),
                               ("--horizon", args.horizon, 0), ("--members", args.members, 1),
                               ("--forecast-steps", args.forecast_steps, 1)):
        if value is not None and value < least:
            raise EngineError(f"{flag} must be at least {least}; got {value}.")
    if args.members is not None:
        check_most_members(args.members, "--members")
    if args.data is None:
        if not args.project:
            raise EngineError("Give the data file (rnn-studio fit DATA.csv --target COL "
                              "--out MODEL) or a project (--project PROJECT.json).")
        given = [f"--{name.replace('_', '-')}" for name in DATA_FLAGS
                 if getattr(args, name) is not None]
        if given:
            raise EngineError(f"{', '.join(given)} {verb(len(given), 'describes', 'describe')} "
                              "the data; give DATA.csv with "
                              "them, or change the project file.")
        project = project_file(args.project, args)
        if args.cell:
            project.architecture.cell = args.cell
        if args.hidden:
            project.architecture.hidden_sizes = parse_hidden(args.hidden)
            project.architecture.units_by_hand = True
        if args.seed is not None:
            project.architecture.seed = args.seed
        if args.linear_path is not None:
            project.architecture.linear_path = args.linear_path
        if args.epochs is not None:
            project.training.max_epochs = args.epochs
        if args.members is not None:
            project.training.members = args.members
        set_forecast_steps(project, args.forecast_steps)
        return project, os.path.abspath(args.project), []
    if not args.target:
        from engine.cli.target_columns import no_target_message
        raise EngineError(no_target_message(args))
    test_from = None if args.test_from is None else parse_when(args.test_from)
    if args.test_last is not None:
        test_from = _test_from_last(args)
    project_path = os.path.abspath(fit_project_path(args))
    project, notes = automatic_project(AutomaticChoices(
        args.data, args.target, inputs=args.input,
        time_column=False if args.no_time else args.time,
        lookback=args.lookback, horizon=1 if args.horizon is None else args.horizon,
        test_from=test_from,
        split=_split_of(args), cell=args.cell,
        hidden_sizes=None if args.hidden is None else parse_hidden(args.hidden),
        max_epochs=args.epochs, members=args.members, seed=args.seed,
        folder=os.path.dirname(project_path),
        forecast_steps=args.forecast_steps, csv=csv_format(args)))
    if args.linear_path is not None:
        project.architecture.linear_path = args.linear_path
    return project, project_path, notes


def _check_network_flags(project, args):
    """The architecture of ``project`` with the flags ``--cell``, ``--hidden`` and ``--seed``
    checked before the fit, as the fit checks it: a setting out of range is named by the
    flags given (the fit's own message speaks of the project's architecture section, which
    a person on the command line did not write): those whose setting the message names,
    else all. A project file is checked on loading, so what fails here comes from the
    flags."""
    from engine.project.checks import checked_architecture

    given = [(f"{flag} {value}", setting) for flag, value, setting in (
        ("--cell", args.cell, "cell"), ("--hidden", args.hidden, "hidden_sizes"),
        ("--seed", args.seed, "seed")) if value is not None]
    if not given:
        return
    try:
        checked_architecture(project.architecture.to_dict())
    except EngineError as error:
        named = [flag for flag, setting in given if setting in str(error)] or \
            [flag for flag, _ in given]
        raise EngineError(f"{', '.join(named)}: {error}") from None


def _split_of(args):
    """The shares of ``--split``; with ``--test-last 0`` (no testing part) and no
    ``--split``, training and selection only; else None (the default's)."""
    from engine.training.automatic import SPLIT_WITH_TEST_FROM

    if args.split is not None:
        split = parse_split(args.split)
        if args.test_last == 0 and split[2] > 0:
            raise EngineError("--test-last 0 keeps no testing part, and --split gives it a "
                              "share: give one of them (--split TRAIN,SELECTION,0 for none).")
        return split
    return SPLIT_WITH_TEST_FROM if args.test_last == 0 else None


def _test_from_last(args):
    """``--test-last N`` of one series as the testing start ``{"row": rows - N}``, the
    rows counted as the fit reads the file (``--time``, ``--no-time``), up to its last
    known target (:func:`~engine.cli.arguments.rows_to_last_target`)."""
    from engine.data import CsvOptions, load_table
    from engine.training.automatic import none_or_detected

    if args.test_from is not None:
        raise EngineError("Give --test-from or --test-last, not both.")
    time = none_or_detected(False if args.no_time else args.time)
    frame = load_table(args.data, CsvOptions.from_dict(
        {**csv_format(args), "time_column": time})).frame
    return last_rows(args.test_last, *rows_to_last_target(frame, args.target))



def _refuse_many_series_flags(args):
    given = [flag for flag, value in (("--season", args.season),
                                      ("--static", args.static), ("--fold", args.fold),
                                      ("--block", args.block),
                                      ("--workers", args.workers),
                                      ("--scheduler", args.scheduler)) if value is not None]
    if given:
        raise EngineError(f"{', '.join(given)} {verb(len(given), 'goes', 'go')} with "
                          "--series COL (many series in one file).")
    given = [flag for flag, value in (("--windows-per-series", args.windows_per_series),
                                      ("--average-steps", args.average_steps))
             if value is not None]
    if given:
        raise EngineError(f"{' and '.join(given)} {verb(len(given), 'applies', 'apply')} to "
                          "many series only: give --series COL (many series in one file), "
                          "or a project whose data set names a series column.")


def _print_scores(scores, prepared, out, indent="  "):
    """The scores of each part and target, one line each, each measure to the digits of
    :func:`~engine.figures.table_digits` of its figures over the parts and targets (as the
    tables of step 6 and ``evaluate`` give each measure its own)."""
    parts = {part: scores[part] for part in ("training", "selection", "testing")
             if scores.get(part) is not None}
    targets = {part: entry.to_dict()["targets"] for part, entry in parts.items()}
    digits = column_digits((m for found in targets.values() for m in found.values()),
                           ("rmse", "mae", "mape", "r2"))
    for part, entry in parts.items():
        rows = f"{entry.count} rows{_unscored(prepared, part, entry.count)}"
        for name, m in targets[part].items():
            shown = {key: number(m[key], count) for key, count in digits.items()}
            print(f"{indent}{part:<9} {name}: RMSE {shown['rmse']}  MAE {shown['mae']}  MAPE "
                  f"{shown['mape']}%  R² {shown['r2']}  ({rows})", file=out)


def _unscored(prepared, part, count):
    """``"; 56 of the 1339 windows not scored: an empty target cell, or an input
    interpolated from a later row"`` when fewer rows were scored than the part has windows
    (the line ``Windows:`` counts), with why
    (:func:`~engine.testing.evaluation.unscored_windows`); else ``""``."""
    from engine.testing.evaluation import unscored_windows

    windows = len(prepared.anchors[part])
    if count >= windows:
        return ""
    empty, later = unscored_windows(prepared, part)
    why = [text for n, text in ((empty, "an empty target cell"),
                                (later, "an input interpolated from a later row")) if n]
    return (f"; {windows - count} of the {windows} windows not scored"
            + (f": {', or '.join(why)}" if why else ""))


def _print_shortened_length(project, result, out):
    """A note when the forecast length asked for (``--forecast-steps``) is longer than the
    blocks the fit could score (the selection part's rows)."""
    asked, share = project.selection.settings.get("forecast_steps"), result.linear_share
    if asked and share and share["block"] < int(asked):
        print(f"Note: the forecast length asked for ({asked} steps) is longer than the "
              f"selection part; the linear share was chosen on forecasts of "
              f"{share['block']} steps.",
              file=out)


def _trial_scores(trial):
    """The figures a candidate of the automatic choices is printed with: the mean MASE of
    the linear autoregression's backtest, or the trial fit's RMSE of each target."""
    from engine.training.linear_choice import LinearTrial

    return [trial.score] if isinstance(trial, LinearTrial) else list((trial.rmse or {}).values())


def _print_trials(trials, out):
    """The candidates the automatic choices tried, with their scores, the chosen one
    marked."""
    from engine.training.linear_choice import LinearTrial

    if isinstance(trials[0], LinearTrial):
        print("Chosen by the backtest of a linear autoregression (mean MASE over the "
              "origins, one step and recursive):", file=out)
    else:
        print("Chosen by the one-step selection RMSE (target units) of short trial fits:",
              file=out)
    with_inputs = len({t.inputs for t in trials}) > 1
    periods = {getattr(t, "period", None) for t in trials
               if t.target_transform == "seasonal_difference"}
    labels = {"with_period": True} if len(periods) > 1 else {}
    scored = [t for t in trials if t.score is not None]
    best = min(scored, key=lambda t: t.score) if scored else None
    digits = table_digits(v for t in scored for v in _trial_scores(t))
    lines = []                                   # [label, figure, lookbacks merged]
    for trial in trials:
        if trial.error:
            figure = f"not scored: {trial.error}"
        else:
            figure = ("MASE " if isinstance(trial, LinearTrial) else "RMSE ") + ", ".join(
                number(v, digits) for v in _trial_scores(trial))
        label = trial.label(with_inputs, **labels)
        head = label.rpartition("lookback ")[0]
        alike = isinstance(trial, LinearTrial) and trial.error
        if alike and lines and lines[-1][1] == figure and lines[-1][0] == head:
            lines[-1][2].append(trial.lookback)       # left out alike: one line
            continue
        mark = "  <- chosen" if trial is best else ""
        lines.append([head, figure + mark, [trial.lookback]] if alike and head
                     else [label, figure + mark, None])
    for label, figure, lookbacks in lines:
        if lookbacks:
            label += "lookback " + ", ".join(str(v) for v in lookbacks)
        print(f"  {label:<40} {figure}", file=out)


def _suggested_lookback(result):
    """The lookback the fit's backtest started from (the suggestion, or the one given)
    when it chose among several, else None."""
    if len({getattr(t, "lookback", None) for t in result.trials}) < 2:
        return None
    return int((result.start or {}).get("lookback", result.config.lookback))


def _print_fit(result, notes, out):
    from engine.testing.remarks import FEW_WINDOWS, shorter_lookback
    from engine.training.share_words import share_text

    config, prepared = result.config, result.prepared
    table = prepared.table
    print(f"Data: {os.path.basename(table.path or '')}, {len(table.frame)} rows, time column "
          f"{table.time_column or 'none'}", file=out)
    suggested = _suggested_lookback(result)
    for note in notes:
        if suggested is not None and note.startswith(f"Lookback {suggested} ("):
            note = "Suggested lookback" + note[len("Lookback"):]    # the backtest's start
        print(note, file=out)
    testing = result.testing_start()
    where = "" if testing is None else (f" (testing from row {testing['row']})"
                                        if isinstance(testing, dict)
                                        else f" (testing from {testing})")
    print(f"Windows: {len(prepared.Y_train)} training, {len(prepared.Y_sel)} selection, "
          f"{len(prepared.Y_test)} testing{where}; lookback {config.lookback}, horizon "
          f"{config.horizon}", file=out)
    if len(prepared.Y_train) < FEW_WINDOWS:
        what = ("start the testing part later (is its start a typing error?)"
                if config.split.test_from is not None else
                "give the training part a larger share, or use more rows")
        print(f"Note: {len(prepared.Y_train)} training windows are too few for a network to "
              f"learn from; {what}{shorter_lookback(config.lookback)}.", file=out)
    if result.trials:
        _print_trials(result.trials, out)
    period = f" (period {config.period})" if config.target_transform.startswith(
        "seasonal") or config.target_transform.startswith("log_seasonal") else ""
    print(f"Target transform: {config.target_transform}{period}", file=out)
    if suggested is not None:
        what = "kept it" if suggested == config.lookback else f"chose {config.lookback}"
        print(f"Lookback: {config.lookback} (suggested {suggested}; the fit's backtest "
              f"{what})", file=out)
    print(f"Inputs: {', '.join(v.name for v in config.inputs)}", file=out)
    net, settings = result.network, result.settings
    members = getattr(net, "members_", 1)
    hidden = [int(h) // members for h in net.hidden_sizes]
    shape = (f"{members} networks averaged, each {net.cell.upper()} hidden {hidden}"
             if members > 1 else f"{net.cell.upper()}, hidden {hidden}")
    path = f", linear path over {counted(net.lookback, 'step')}" if net.linear_path else ""
    weights = (f"{members} x {net.member_parameters_:,}" if members > 1
               else f"{net.n_parameters:,}")
    print(f"Network: {shape}{path}, "
          f"{weights} weights; {settings.get('optimizer', 'adam')} learning rate "
          f"{settings.get('learning_rate')}, batch {settings.get('batch_size')}, up to "
          f"{settings.get('max_epochs')} epochs, patience {settings.get('patience')}",
          file=out)
    epochs = epochs_trained(result)
    print(f"Training: {result.stop_reason} ({epochs + '; ' if epochs else ''}"
          f"{result.seconds:.1f} s in all)", file=out)
    kept = share_text(result.linear_share)
    if kept:
        print(kept, file=out)
    print("Scores, one step ahead in the targets' units:", file=out)
    _print_scores(result.scores, prepared, out)


def _print_each_step(result, model_path, out):
    """For a model of several steps ahead (whose scores above are step 1's), the RMSE of
    each step ahead on the testing part beside the baselines' at the same step, as step 6
    and ``rnn-studio report`` show them (the analysis of the model file just written)."""
    import shlex

    from engine.cli.step_scores import missing_baselines, print_step_scores
    from engine.cli.text import one_line
    from engine.model.model_file import load_model
    from engine.testing.analysis import analyze_model

    steps = result.prepared.fitted.steps
    if steps <= 1:
        return
    if not len(result.prepared.Y_test):
        print(f"Note: the scores above are those of step 1 of the {steps} steps ahead; "
              f"rnn-studio evaluate {shlex.quote(str(model_path))} DATA.csv --from ROW|DATE "
              "scores each step ahead on rows from there on.", file=out)
        return
    try:
        analysis = analyze_model(load_model(model_path), result.prepared.table.frame)
    except EngineError as error:
        print(f"Note: the scores of each step ahead could not be computed: "
              f"{one_line(error)}", file=out)
        return
    print(f"Scores of each of the {steps} steps ahead on the testing part, as "
          "rnn-studio evaluate and rnn-studio report show them:", file=out)
    print_step_scores(analysis, out)
    for line in missing_baselines(bool(analysis.period), analysis.comparators):
        print(f"  {line}", file=out)


def _print_inputs_ahead(project, config, out):
    """A note when the forecasts asked for (``--forecast-steps N``, more than the network
    gives at once) read inputs besides the targets: each step fed back needs their values
    in the data file's rows ahead."""
    steps = int(project.selection.settings.get("forecast_steps") or 1)
    targets = {v.name for v in config.targets}
    others = [v.name for v in config.inputs if v.name not in targets]
    if steps > max(int(config.horizon), 1) and others:      # beyond what it gives at once
        their = verb(len(others), "its", "their")
        print(f"Note: the network reads {', '.join(others)} besides the target: a forecast "
              f"of {counted(steps, 'step')} needs {their} values for those "
              f"{counted(steps, 'row')}, below the last row of the data file "
              f"(rnn-studio forecast reaches as far as {their} values "
              "go, else 1 step). Without them, fit with --input TARGET (its own history "
              "only).", file=out)


def _print_verdict(comparison, model_path, data_path, out):
    """The network against the classical comparators on the selection part, in words
    (:mod:`engine.testing.verdict`), naming the model file just written and the data file
    (when given on the command line), and the notes on the rows a gap in time left a
    comparator."""
    import shlex

    from engine.testing.verdict import COMMAND_LINE, DATA, selection_verdict

    data = shlex.quote(str(data_path)) if data_path else DATA
    sentence = selection_verdict(comparison, COMMAND_LINE, shlex.quote(str(model_path)), data)
    if sentence:
        print(sentence, file=out)
    for note in (comparison or {}).get("notes") or []:      # a gap in time, as evaluate's
        print(f"Note: {note}", file=out)


def run(args, out, err):
    from engine.cli.main import progress_task
    from engine.project.document import save_project
    from engine.many.project_fit import is_many_series
    from engine.training.fitting import fit_project, record_fit, save_fit

    if args.series:
        return _run_many_series(args, out, err)
    if args.project and args.data is None:
        project, project_path, notes = _project_from_args(args)
        refuse_read_file(args.out, {"data": project.data_file()})
        if is_many_series(project.data.config):
            from engine.cli.many_series import run_project_fit

            return run_project_fit(project, project_path, args, out, err)
    _refuse_many_series_flags(args)
    if not (args.project and args.data is None):
        check_fit_files(args)
        project, project_path, notes = _project_from_args(args)
    _check_network_flags(project, args)
    check_writable(project_path)        # --out is checked by main.check_output
    with progress_task(err) as task:
        result = fit_project(project, task, size_advice=SIZE_ADVICE,
                             one_row_advice=one_row_advice(args))
    save_fit(result, args.out)
    record_fit(project, result, os.path.abspath(args.out))
    _print_fit(result, notes, out)
    _print_each_step(result, args.out, out)
    _print_inputs_ahead(project, result.config, out)
    _print_shortened_length(project, result, out)
    _print_verdict(result.comparison, args.out, args.data, out)
    save_project(project, project_path)
    print(f"Model written to {args.out}", file=out)
    print(f"Project written to {fit_project_path(args)}", file=out)
    if result.remark:
        print(result.remark, file=out)
    return 0


def _run_many_series(args, out, err):
    from engine.cli.many_series import run_fit

    if args.data is None:
        raise EngineError("Give the data file: rnn-studio fit DATA.csv --series COL --target "
                          "COL --out MODEL.")
    if not args.target:
        from engine.cli.target_columns import no_target_message
        raise EngineError(no_target_message(args, args.series))
    ignored = [flag for flag, value in (("--split", args.split),
                                        ("--test-from", args.test_from)) if value]
    if ignored:
        raise EngineError(f"{', '.join(ignored)} cannot be used with --series; the testing "
                          "part of many series is their last N rows (--test-last N).")
    if args.forecast_steps is not None:
        raise EngineError("--forecast-steps goes with one series; with --series the "
                          "forecasts' length is --horizon, and the backtest chooses direct "
                          "or recursive forecasts for it.")
    return run_fit(args, out, err)


def epochs_trained(result):
    """The epochs of ``result``'s training in words: ``82 epochs``, or of networks
    averaged each one's, as step 4's bar says them (``63 to 82 epochs each``, ``40 epochs
    each``; None when some network's count did not come back from where it trained): the
    last network's count alone read as the whole training's."""
    members = getattr(result.network, "member_trainings_", None) or ()
    if len(members) < 2:
        return counted(len(result.history), "epoch")
    span = epochs_range(members)
    if span is None:
        return None
    fewest, most = span
    return f"{counted(fewest, 'epoch')} each" if fewest == most else \
        f"{fewest} to {most} epochs each"
