"""Test set-up: Qt renders offscreen. Without a display and without this, Qt aborts the whole
pytest process with no report."""

import os
import sys

import pytest

# shared test helpers: `from helpers.models import ...`
sys.path.insert(0, os.path.dirname(__file__))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests train in one process unless they ask for the second training process themselves.
os.environ.setdefault("RNN_STUDIO_PROCESS_PAIR", "off")

QT_FIXTURES = ("qtbot", "qapp")
QT_TIMEOUT_TIMES = 3
"""A test that runs Qt's event loop may take this many times the others' limit
(``--timeout``, ``PYTEST_TIMEOUT`` or pyproject's ``timeout``): the thread method ends the whole run, and a test that waits on
training in a worker runs several times slower on a loaded machine; one that hangs still
ends the run."""


def pytest_collection_modifyitems(config, items):
    """A test that runs Qt's event loop ends at :data:`QT_TIMEOUT_TIMES` the time limit by
    pytest-timeout's "thread" method: all threads' stacks are printed and the run ends
    there, failed. Its default "signal" method raises the timeout in whatever Python code
    the main thread runs, which in such a test is mostly a slot that Qt calls: Qt catches
    the exception there and the test goes on waiting (27 minutes once), and a main thread
    blocked in Qt's C++ code never sees the signal."""
    if not config.pluginmanager.hasplugin("timeout"):
        return
    from pytest_timeout import get_env_settings

    base = get_env_settings(config).timeout       # --timeout, PYTEST_TIMEOUT, then the ini
    if not base:
        return                                    # no time limit asked for
    limit = QT_TIMEOUT_TIMES * float(base)
    for item in items:
        if (set(QT_FIXTURES) & set(getattr(item, "fixturenames", ()))
                and item.get_closest_marker("timeout") is None):
            item.add_marker(pytest.mark.timeout(limit, method="thread"))


@pytest.fixture(autouse=True)
def _no_timed_progress(monkeypatch):
    """Commands run in a test write no timed progress lines to a file or a pipe (they come
    after :data:`engine.cli.progress_bar.QUIET_SECONDS`), so that what a test reads on
    stderr does not depend on how fast the machine is; tests of those lines lower it."""
    from engine.cli import progress_bar

    monkeypatch.setattr(progress_bar, "QUIET_SECONDS", 1e6)
