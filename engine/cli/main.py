"""The ``rnn-studio`` command line: fit, evaluate and predict without a screen.

::

    rnn-studio fit DATA.csv --target COL [--target COL ...] [--input COL ...] [--time COL]
              [--lookback N] [--horizon H] [--test-from ROW|DATE] [--split TRAIN,SEL,TEST]
              [--cell rnn|gru|lstm] [--hidden N[,N...]] [--epochs N] [--seed S]
              [--project PROJECT.json] --out MODEL
    rnn-studio fit --project PROJECT.json --out MODEL
    rnn-studio evaluate MODEL DATA.csv [--from ROW|DATE] [--recursive] [--json]
    rnn-studio predict MODEL DATA.csv --out PREDICTIONS.csv

Further subcommands (select, forecast, export, report) live in :mod:`engine.cli.commands`, one
module each. Every command calls the same engine functions as the GUI
(:func:`engine.training.fitting.fit_project`, :func:`engine.testing.evaluation.evaluate_file`,
:func:`engine.deploy.predicting.write_predictions`, ...).
Errors print one line on stderr and exit with status 1 (2 for a wrong command line).
"""

import argparse
import json
import os
import signal
import sys

from engine.version import __version__
from engine.errors import EngineError
from engine.tasks import Cancelled

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong command line gives one line on stderr."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_fit(commands):
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
                          "columns or the target's own history, whichever trial fits "
                          "predict better. The target's own past is always an input.")
    fit.add_argument("--time", metavar="COL", help="the date/time column (default: detected)")
    fit.add_argument("--lookback", type=int, metavar="N",
                     help="past steps each window reads (default: the detected period)")
    fit.add_argument("--horizon", type=int, default=1, metavar="H",
                     help="steps ahead to predict (default 1; 0: the same step)")
    fit.add_argument("--test-from", metavar="ROW|DATE",
                     help="testing starts at this data row (0 = first row after the "
                          "header) or date/year; training and selection end before it")
    fit.add_argument("--split", metavar="TRAIN,SEL,TEST",
                     help="shares of the windows, e.g. 60,20,20 (default); with "
                          "--test-from only the ratio TRAIN:SEL counts (default 80:20)")
    fit.add_argument("--cell", choices=("rnn", "gru", "lstm"), help="recurrent cell "
                     "(default gru)")
    fit.add_argument("--hidden", metavar="N[,N...]",
                     help="units per recurrent layer, e.g. 32 or 64,32 (default 32)")
    fit.add_argument("--epochs", type=int, metavar="N", help="maximum number of epochs")
    fit.add_argument("--seed", type=int, metavar="S", help="random seed (default 0)")
    fit.add_argument("--project", metavar="PROJECT.json",
                     help="project file: written from the flags when DATA is given, "
                          "else read (and updated with the results)")
    fit.add_argument("--out", required=True, metavar="MODEL", help="model file to write")


def build_parser():
    parser = _Parser(
        prog="rnn-studio",
        description="Build, train, test and deploy recurrent neural networks for time series.")
    parser.add_argument("--version", action="version", version=f"rnn-studio {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="train, evaluate and export a built-in example without a "
                             "screen, one line per stage; exit status 0 when all passed")
    parser.epilog = ("Without a command, or with a project file (rnn-studio PROJECT.json) or "
                     "--example KEY, the rnn-studio program opens the desktop application.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=_Parser)
    _add_fit(commands)
    evaluate = commands.add_parser(
        "evaluate", help="score a model on a CSV file",
        description="Score a model's predictions (RMSE, MAE, MAPE, R2) in the targets' units, "
                    "one step ahead from the true history, or as a recursive forecast.")
    evaluate.add_argument("model", metavar="MODEL")
    evaluate.add_argument("data", metavar="DATA.csv")
    evaluate.add_argument("--from", dest="start", metavar="ROW|DATE",
                          help="score the rows from this row or date on (default: the "
                               "model's testing rows, those fit scored)")
    evaluate.add_argument("--recursive", action="store_true",
                          help="forecast from --from on, feeding the predictions back")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    predict = commands.add_parser(
        "predict", help="write predictions beside a CSV file's rows",
        description="Write the file's rows with the model's predictions beside them; the "
                    "predictions past the last row are appended.")
    predict.add_argument("model", metavar="MODEL")
    predict.add_argument("data", metavar="DATA.csv")
    predict.add_argument("--out", required=True, metavar="PREDICTIONS.csv")
    for module in command_modules():
        module.add_parsers(commands)
    return parser


def command_modules():
    """The modules of :mod:`engine.cli.commands`, each one or more subcommands: ``NAMES`` (the
    subcommand names), ``add_parsers(commands)`` (adds them to the argparse subparsers) and
    ``run(args, out, err)`` (runs ``args.command``; returns the exit status)."""
    import importlib
    import pkgutil

    from engine.cli import commands

    return [importlib.import_module(f"{commands.__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name)]


# -- fit ----------------------------------------------------------------------------------

DATA_FLAGS = ("target", "input", "time", "lookback", "test_from", "split")


def _hidden(text):
    try:
        sizes = [int(part) for part in str(text).split(",")]
    except ValueError:
        raise EngineError(f"--hidden {text!r} is not a list of whole numbers; give units per "
                          "layer such as 32 or 64,32.") from None
    if not sizes or min(sizes) < 1:
        raise EngineError(f"--hidden {text!r}: every layer needs at least 1 unit.")
    return sizes


def _project_from_args(args):
    """``(project, project_path, notes)`` for ``fit``."""
    from engine.training.automatic import automatic_project, parse_split, parse_when
    from engine.project.document import load_project

    if args.data is None:
        if not args.project:
            raise EngineError("Give the data file (rnn-studio fit DATA.csv --target COL "
                              "--out MODEL) or a project (--project PROJECT.json).")
        given = [f"--{name.replace('_', '-')}" for name in DATA_FLAGS
                 if getattr(args, name) is not None]
        if given:
            raise EngineError(f"{', '.join(given)} describe the data; give DATA.csv with "
                              "them, or change the project file.")
        project = load_project(args.project)
        if args.cell:
            project.architecture["cell"] = args.cell
        if args.hidden:
            project.architecture["hidden_sizes"] = _hidden(args.hidden)
        if args.seed is not None:
            project.architecture["seed"] = args.seed
        if args.epochs is not None:
            project.training["max_epochs"] = args.epochs
        return project, os.path.abspath(args.project), []
    if not args.target:
        raise EngineError("Choose the column to predict with --target COL.")
    if args.project:
        project_path = os.path.abspath(args.project)
    else:
        project_path = os.path.splitext(os.path.abspath(args.out))[0] + ".json"
    if args.epochs is not None and args.epochs < 1:
        raise EngineError(f"--epochs must be at least 1; got {args.epochs}.")
    project, notes = automatic_project(
        args.data, args.target, inputs=args.input, time_column=args.time,
        lookback=args.lookback, horizon=args.horizon,
        test_from=None if args.test_from is None else parse_when(args.test_from),
        split=None if args.split is None else parse_split(args.split),
        cell=args.cell, hidden_sizes=None if args.hidden is None else _hidden(args.hidden),
        max_epochs=args.epochs, seed=args.seed, folder=os.path.dirname(project_path))
    return project, project_path, notes


class StopOnCtrlC:
    """``with StopOnCtrlC(task):`` the first Ctrl-C cancels ``task`` (a
    :class:`~engine.tasks.TaskState`: a training keeps its best epoch, a search its finished
    trials); a second one quits."""

    def __init__(self, task):
        self.task = task
        self.previous = None

    def __enter__(self):
        try:
            self.previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:          # not the main thread
            self.previous = None
        return self

    def _handle(self, signum, frame):
        if self.task.cancelled:
            raise KeyboardInterrupt
        self.task.cancel()
        print("\nStopping after this batch (Ctrl-C again to quit)...", file=sys.stderr)

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


def _number(x, digits=4):
    return "-" if x is None else f"{x:.{digits}g}"


def _print_scores(scores, out, indent="  "):
    for part in ("training", "selection", "testing"):
        entry = scores.get(part)
        if entry is None:
            continue
        for name, m in entry.to_dict()["targets"].items():
            print(f"{indent}{part:<9} {name}: RMSE {_number(m['rmse'])}  MAE "
                  f"{_number(m['mae'])}  MAPE {_number(m['mape'], 3)}%  R² "
                  f"{_number(m['r2'], 3)}  ({entry.count} rows)", file=out)


def _print_fit(result, notes, out):
    config, prepared = result.config, result.prepared
    table = prepared.table
    print(f"Data: {os.path.basename(table.path or '')}, {len(table.frame)} rows, time column "
          f"{table.time_column or 'none'}", file=out)
    for note in notes:
        print(note, file=out)
    testing = result.testing_start()
    where = "" if testing is None else (f" (testing from row {testing['row']})"
                                        if isinstance(testing, dict)
                                        else f" (testing from {testing})")
    print(f"Windows: {len(prepared.Y_train)} training, {len(prepared.Y_sel)} selection, "
          f"{len(prepared.Y_test)} testing{where}; lookback {config.lookback}, horizon "
          f"{config.horizon}", file=out)
    if result.trials:
        print("Chosen by the one-step selection RMSE (target units) of short trial fits:",
              file=out)
        with_inputs = len({t.inputs for t in result.trials}) > 1
        best = min((t for t in result.trials if t.score is not None), key=lambda t: t.score)
        for trial in result.trials:
            if trial.error:
                figure = f"not possible: {trial.error}"
            else:
                figure = "RMSE " + ", ".join(f"{v:.4g}" for v in trial.rmse.values())
            mark = "  <- chosen" if trial is best else ""
            print(f"  {trial.label(with_inputs):<40} {figure}{mark}", file=out)
    period = f" (period {config.period})" if config.target_transform.startswith(
        "seasonal") or config.target_transform.startswith("log_seasonal") else ""
    print(f"Target transform: {config.target_transform}{period}", file=out)
    print(f"Inputs: {', '.join(v.name for v in config.inputs)}", file=out)
    net, settings = result.network, result.settings
    print(f"Network: {net.cell.upper()}, hidden {list(net.hidden_sizes)}, "
          f"{net.n_parameters:,} weights; {settings.get('optimizer', 'adam')} learning rate "
          f"{settings.get('learning_rate')}, batch {settings.get('batch_size')}, up to "
          f"{settings.get('max_epochs')} epochs, patience {settings.get('patience')}",
          file=out)
    print(f"Training: {result.stop_reason} ({len(result.history)} epochs; "
          f"{result.seconds:.1f} s in all)", file=out)
    print("Scores, one step ahead in the targets' units:", file=out)
    _print_scores(result.scores, out)


def _fit(args, out, err):
    from engine.training.fitting import fit_project, record_fit, save_fit
    from engine.cli.progress_bar import ProgressBar
    from engine.project.document import save_project
    from engine.tasks import TaskState

    project, project_path, notes = _project_from_args(args)
    bar = ProgressBar(err)

    def stage(text):
        bar.close()
        if bar.enabled:
            print(text, file=err)

    task = TaskState(on_stage=stage, on_epoch=bar)
    try:
        with StopOnCtrlC(task):
            result = fit_project(project, task)
    finally:
        bar.close()
    save_fit(result, args.out)
    record_fit(project, result, os.path.abspath(args.out))
    _print_fit(result, notes, out)
    save_project(project, project_path)
    print(f"Model written to {args.out}", file=out)
    shown = args.project or os.path.splitext(args.out)[0] + ".json"
    print(f"Project written to {shown}", file=out)
    if result.remark:
        print(result.remark, file=out)
    return 0


# -- evaluate and predict ------------------------------------------------------------------

def _evaluate(args, out):
    from engine.training.automatic import parse_when
    from engine.testing.evaluation import evaluate_frame, read_frame
    from engine.model.model_file import load_model

    model = load_model(args.model)
    start = None if args.start is None else parse_when(args.start)
    frame = read_frame(model, args.data)
    evaluation = evaluate_frame(model, frame, start, args.recursive)
    if args.json:
        from engine.testing.analysis import analyze_model

        report = evaluation.to_dict()
        try:        # every step ahead, by horizon, fit, errors, intervals and coverage
            report["analysis"] = analyze_model(model, frame, start).to_dict()
        except EngineError as error:
            report["analysis"] = {"error": _one_line(error)}
        print(json.dumps(report, allow_nan=False), file=out)
        return 0
    mode = "recursive forecast" if args.recursive else "one step ahead"
    when = f" ({evaluation.start_time})" if evaluation.start_time is not None else ""
    print(f"{os.path.basename(args.model)} on {os.path.basename(args.data)}: {mode}, "
          f"{evaluation.scores.count} rows from row {evaluation.start_row}{when}", file=out)
    print(f"  {'target':<16} {'RMSE':>10} {'MAE':>10} {'MAPE %':>8} {'R²':>7}", file=out)
    for name, m in evaluation.scores.to_dict()["targets"].items():
        print(f"  {name:<16} {_number(m['rmse'], 5):>10} {_number(m['mae'], 5):>10} "
              f"{_number(m['mape'], 3):>8} {_number(m['r2'], 3):>7}", file=out)
    for base, scores in evaluation.baselines.items():
        if scores is None:
            continue
        figures = ", ".join(f"{name} {_number(m['rmse'], 5)}"
                            for name, m in scores.to_dict()["targets"].items())
        print(f"  baseline {base.replace('_', ' ')}: RMSE {figures}", file=out)
    if evaluation.remark:
        print(evaluation.remark, file=out)
    return 0


def _predict(args, out):
    from engine.model.model_file import load_model
    from engine.deploy.predicting import write_predictions

    model = load_model(args.model)
    rows, extra = write_predictions(model, args.data, args.out)
    after = f", {extra} of them after the file's last row" if extra else ""
    print(f"Wrote {rows} rows{after} to {args.out}", file=out)
    return 0


def _one_line(text):
    return " ".join(str(text).split())


BUILT_IN_COMMANDS = ("fit", "evaluate", "predict")


def command_names():
    """Every subcommand's name."""
    return BUILT_IN_COMMANDS + tuple(name for module in command_modules()
                                     for name in module.NAMES)


def wants_window(argv):
    """True when the arguments ask for the desktop application: none at all, a project
    file, or ``--example KEY``."""
    if not argv:
        return True
    first = argv[0]
    return first == "--example" or (not first.startswith("-") and first not in command_names())


def window_arguments(argv):
    """The arguments of ``rnn-studio [PROJECT.json] [--example KEY]``, the desktop
    application (which app/launcher.py opens: the engine never imports the application):
    an ``argparse.Namespace`` with ``project`` and ``example``."""
    parser = _Parser(prog="rnn-studio", description="Open the desktop application.")
    parser.add_argument("project", nargs="?", metavar="PROJECT.json",
                        help="a project file to open")
    parser.add_argument("--example", metavar="KEY",
                        help="open a built-in example: airline, sunspots, seattle, "
                             "appliances, macro")
    return parser.parse_args(argv)


def _stdout_to_devnull():
    """The reader of the output went away (e.g. ``| head``): the command stops quietly, as a
    Unix tool does, and stdout goes to devnull so that Python's flush at exit, which would
    meet the closed pipe again, cannot fail (status 120 and a message)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run_command_line(argv=None):
    """:func:`main` as a program runs it (``python -m engine``, ``rnn-studio COMMAND``):
    stdout is flushed before the status is returned, so that a reader that went away ends
    the program with status 1 and no message also when the closed pipe shows only at that
    flush (output smaller than stdout's buffer, when Python buffers it)."""
    try:
        try:
            return main(argv)
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_ERROR


def main(argv=None, out=None, err=None):
    """Run the command line; returns the exit status. Without a command it prints the help;
    the desktop application's arguments (:func:`wants_window`) are app/launcher.py's."""
    out = out or sys.stdout
    err = err or sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and wants_window(argv):
        print(f"rnn-studio: error: {' '.join(argv)} opens the desktop application, which "
              "the rnn-studio program starts (python -m engine runs commands only; see "
              "rnn-studio --help)", file=err)
        return EXIT_USAGE
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from engine.cli.self_test import run_self_test
        return run_self_test(out, err)
    if args.command is None:
        parser.print_help(out)
        return 0
    try:
        if args.command == "fit":
            return _fit(args, out, err)
        if args.command == "evaluate":
            return _evaluate(args, out)
        if args.command == "predict":
            return _predict(args, out)
        module = next(m for m in command_modules() if args.command in m.NAMES)
        return module.run(args, out, err)
    except (EngineError, Cancelled) as error:
        print(f"rnn-studio {args.command}: error: {_one_line(error)}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"rnn-studio {args.command}: stopped.", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_ERROR
    except Exception as error:  # noqa: BLE001 - a person should never see a traceback
        print(f"rnn-studio {args.command}: unexpected error: {type(error).__name__}: "
              f"{_one_line(error)}. This is a bug in RNN Studio; please report it with the "
              "command you ran.", file=err)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(run_command_line())
