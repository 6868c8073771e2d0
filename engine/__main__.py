"""``python -m engine`` runs the ``rnn-studio`` command line."""

import sys

from .cli import run_command_line

sys.exit(run_command_line())
