"""The ``rnn-studio`` program: the desktop application when no command is given (nothing, a
project file or ``--example KEY``, see :func:`engine.cli.main.wants_window`), otherwise the
command line of the engine (:func:`engine.cli.main.run_command_line`). The application imports
the engine, never the other way round: this module is where the two meet."""

import sys

from engine.cli.main import (EXIT_ERROR, EXIT_USAGE, run_command_line, wants_window,
                             window_arguments)


def open_window(argv):
    """``rnn-studio [PROJECT.json] [--example KEY]``: the desktop application; returns its
    exit status."""
    args = window_arguments(argv)
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as error:
        print(f"rnn-studio: the desktop application cannot start ({error}). Install RNN "
              "Studio with its GUI dependencies (make run does).", file=sys.stderr)
        return EXIT_ERROR
    from .examples import EXAMPLES
    from .main import run

    if args.example is not None and args.example not in EXAMPLES:
        print(f"rnn-studio: there is no example '{args.example}'; the examples are "
              f"{', '.join(EXAMPLES)}.", file=sys.stderr)
        return EXIT_USAGE
    return run(project=args.project, example=args.example)


def main(argv=None):
    """Run ``rnn-studio`` with ``argv`` (default: the program's arguments); returns the exit
    status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if wants_window(argv):
        return open_window(argv)
    return run_command_line(argv)
