"""Files left behind by a process that ended (a crash, a kill, a power cut): whether the
process that a file names still runs, how long a file has been unchanged, and removing
those files that a rule allows, and only those."""

import os
import socket
import stat
import time


def process_running(record):
    """Whether the process that ``record`` names (its ``pid`` and ``host``) still runs:
    True (this one too), False (a process of this computer that ended), or None when that
    cannot be told (no pid, another computer, or not POSIX: there signal 0 would stop the
    process)."""
    pid = record.get("pid")
    if not isinstance(pid, int) or os.name != "posix" or \
            record.get("host") != socket.gethostname():
        return None
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:             # it runs, as another user
        return True
    except (OverflowError, ValueError):     # no pid a process can have
        return None
    return True


def unchanged_for(path, now=None):
    """The seconds since the regular file ``path`` last changed (at ``now``); None for a
    link, a folder or anything else, and for a file that cannot be read."""
    try:
        status = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return (time.time() if now is None else now) - status.st_mtime


def remove_where(paths, allowed):
    """Remove each of ``paths`` for which ``allowed(path)`` is true; the paths removed.
    Never raises: what cannot be removed stays."""
    removed = []
    for path in paths:
        if allowed(path):
            try:
                os.unlink(path)
            except OSError:
                continue
            removed.append(path)
    return removed
