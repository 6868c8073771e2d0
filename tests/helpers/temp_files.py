"""Temporary files as interrupted atomic writes leave them, and the processes they name."""

import contextlib
import os
import subprocess
import sys
import time

from engine.atomic import GONE_WRITER_AGE_SECONDS, TEMP_SUFFIX, computer_tag


def ended_pid():
    """The id of a process of this computer that ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(timeout=60)
    return process.pid


@contextlib.contextmanager
def running_process():
    """The id of another process, running while the block runs."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait(timeout=60)


def aged(path, age):
    """``path`` written, unchanged for ``age`` seconds."""
    path.write_bytes(b"cut off")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def temp_file(folder, target, pid, computer=None, age=GONE_WRITER_AGE_SECONDS + 60):
    """A temporary file of ``target`` as process ``pid`` (of ``computer``, else this one)
    names it, unchanged for ``age`` seconds."""
    token = f"{len(list(folder.iterdir())):04x}"
    path = folder / f".{target}.{pid}-{computer or computer_tag()}-{token}{TEMP_SUFFIX}"
    return aged(path, age)
