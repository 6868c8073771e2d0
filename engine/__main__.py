"""``python -m engine`` runs the ``rnn-studio`` command line: its commands only (without
one, the help). The desktop application opens from the ``rnn-studio`` program
(app/launcher.py)."""

import sys

from engine.cli.main import run_command_line

sys.exit(run_command_line())
