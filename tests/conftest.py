"""Test set-up: Qt renders offscreen. Without a display and without this, Qt aborts the whole
pytest process with no report."""

import os
import sys

# shared test helpers: `from helpers.models import ...`
sys.path.insert(0, os.path.dirname(__file__))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests train in one process unless they ask for the second training process themselves.
os.environ.setdefault("RNN_STUDIO_PROCESS_PAIR", "off")
