"""Running a short program of the application in a process of its own: a test whose
subject may abort the process (Qt's "QThread: Destroyed while thread is still running") or
quits the application (which would end pytest-qt's own)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_program(code, home, timeout=120):
    """Run the Python ``code`` offscreen with the repository importable and ``home`` (a
    folder) as its home and settings folders; the finished process (``returncode``,
    ``stdout``, ``stderr``)."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home),
                       XDG_CONFIG_HOME=str(Path(home) / "config"),
                       XDG_DATA_HOME=str(Path(home) / "data"),
                       XDG_CACHE_HOME=str(Path(home) / "cache"),
                       PYTHONPATH=os.pathsep.join([str(ROOT),
                                                   os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=environment)
