"""Test set-up: Qt renders offscreen. Without a display and without this, Qt aborts the whole
pytest process with no report."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
