"""``python -m engine`` runs the ``rnn-studio`` command line."""

import sys

from .cli import main

sys.exit(main())
