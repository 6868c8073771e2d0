"""A test that runs Qt's event loop past the time limit ends the run with the threads'
stacks instead of going on (tests/conftest.py: pytest-timeout's "thread" method)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pytest_timeout")

TESTS = Path(__file__).resolve().parents[1]

BUSY_SLOTS = textwrap.dedent('''
    import time
    from PySide6.QtCore import QTimer

    def test_waits_for_what_never_comes(qtbot):
        timer = QTimer()
        timer.setInterval(1)
        # the main thread runs Python mostly in slots, as while a page trains
        timer.timeout.connect(lambda: time.sleep(0.02))
        timer.start()
        qtbot.waitUntil(lambda: False, timeout=120000)
''')


def test_a_gui_test_past_its_time_limit_ends_the_run_with_the_stacks(tmp_path):
    (tmp_path / "test_busy.py").write_text(BUSY_SLOTS, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest",
         "-o", "timeout=2", "--rootdir", str(tmp_path), str(tmp_path / "test_busy.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Timeout" in output and "test_waits_for_what_never_comes" in output
