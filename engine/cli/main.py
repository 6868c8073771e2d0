"""The ``rnn-studio`` command line: the parser, the dispatch to the subcommands' modules
(:mod:`engine.cli.commands`, one per subcommand) and the Ctrl-C handling they share.

::

    rnn-studio fit DATA.csv --target COL [--target COL ...] [--input COL ...]
              [--time COL | --no-time] [--lookback N] [--horizon H] [--test-from ROW|DATE]
              [--split TRAIN,SEL,TEST]
              [--cell rnn|gru|lstm] [--hidden N[,N...]] [--epochs N] [--seed S]
              [--project PROJECT.json] --out MODEL
    rnn-studio fit --project PROJECT.json --out MODEL
    rnn-studio evaluate MODEL DATA.csv [--from ROW|DATE] [--recursive] [--json]
    rnn-studio predict MODEL DATA.csv --out PREDICTIONS.csv

Every command that reads a data file takes ``--delimiter``, ``--decimal``, ``--thousands``,
``--encoding`` and ``--[no-]header`` (:func:`engine.cli.arguments.add_csv_options`).

Every subcommand (fit, evaluate, predict, select, forecast, export, report) lives in
:mod:`engine.cli.commands`, one module each. Every command calls the same engine functions
as the GUI (:func:`engine.training.fitting.fit_project`,
:func:`engine.testing.evaluation.evaluate_file`,
:func:`engine.deploy.predicting.write_predictions`, ...).
Errors print one line on stderr and exit with status 1 (2 for a wrong command line).
"""

import argparse
import contextlib
import os
import signal
import sys

from engine.version import __version__
from engine.errors import EngineError
from engine.cli.arguments import csv_format
from engine.cli.text import one_line
from engine.tasks import Cancelled

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXAMPLE_KEYS = ("airline", "sunspots", "seattle", "appliances", "macro", "m4_hourly")
"""The built-in examples' keys (``--example KEY``), as app/examples.py names them."""
FIRST_COMMANDS = ("fit", "evaluate", "predict")


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong command line gives one line on stderr."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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
    for module in command_modules():
        module.add_parsers(commands)
    return parser


def command_modules():
    """The modules of :mod:`engine.cli.commands`, each one or more subcommands: ``NAMES`` (the
    subcommand names), ``add_parsers(commands)`` (adds them to the argparse subparsers) and
    ``run(args, out, err)`` (runs ``args.command``; returns the exit status). The
    :data:`FIRST_COMMANDS` come first (in the help too), the others by name."""
    import importlib
    import pkgutil

    from engine.cli import commands

    names = sorted((info.name for info in pkgutil.iter_modules(commands.__path__)),
                   key=lambda name: (FIRST_COMMANDS.index(name) if name in FIRST_COMMANDS
                                     else len(FIRST_COMMANDS), name))
    return [importlib.import_module(f"{commands.__name__}.{name}") for name in names]


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


@contextlib.contextmanager
def progress_task(err, epochs=True, indent=""):
    """``with progress_task(err) as task:`` a :class:`~engine.tasks.TaskState` for a long
    command: its stages, a search's finished trials, a backtest's origins done and (with
    ``epochs``) a training's epochs reported on ``err``
    (:func:`engine.cli.progress_bar.progress`: a redrawn bar on a terminal, timed lines on
    a file or a pipe), the first Ctrl-C cancelling it (:class:`StopOnCtrlC`); the progress
    is closed however the block ends."""
    from engine.cli.progress_bar import progress
    from engine.tasks import TaskState

    shown = progress(err, indent)
    task = TaskState(on_stage=shown.stage, on_step=lambda item: shown.stage(item.text))
    if epochs:
        task.on_epoch = shown.epoch
    try:
        with StopOnCtrlC(task):
            yield task
    finally:
        shown.close()


def command_names():
    """Every subcommand's name."""
    return tuple(name for module in command_modules() for name in module.NAMES)


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
                        help="open a built-in example: " + ", ".join(EXAMPLE_KEYS))
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


def check_output(args):
    """Refuse an ``--out`` that names one of the command's own input files (the data, the
    model, the project), which writing would replace, and one whose folder is missing or
    read-only, before any work. ``fit DATA.csv``'s project is written, not read: its
    command checks it (:func:`~engine.cli.written_files.check_fit_files`)."""
    target = getattr(args, "out", None)
    if not target:
        return
    from engine.atomic import check_writable
    from engine.cli.written_files import refuse_read_file

    written = ("project",) if args.command == "fit" and args.data else ()
    refuse_read_file(target, {name: getattr(args, name, None)
                              for name in ("data", "model", "source", "project")
                              if name not in written})
    check_writable(target)


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
        check_output(args)
        csv_format(args)            # a wrong --delimiter ... is refused before any work
        module = next(m for m in command_modules() if args.command in m.NAMES)
        return module.run(args, out, err)
    except (EngineError, Cancelled) as error:
        print(f"rnn-studio {args.command}: error: {one_line(error)}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"rnn-studio {args.command}: stopped.", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_ERROR
    except Exception as error:  # noqa: BLE001 - a person should never see a traceback
        print(f"rnn-studio {args.command}: unexpected error: {type(error).__name__}: "
              f"{one_line(error)}. This is a bug in RNN Studio; please report it with the "
              "command you ran.", file=err)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(run_command_line())
