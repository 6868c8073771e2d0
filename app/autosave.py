"""Autosave: the project document is written every minute while it has unsaved changes, to
a file in the user's data folder, so that a crash loses at most a minute of work. The next
start offers to restore it, with the model trained since the last save when there is one.
A record names the process that wrote it: the autosave of a window still open (another
RNN Studio running) is not offered."""

import hashlib
import json
import os
import socket
import time
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from engine.atomic import atomic_write_text

INTERVAL_MS = 60_000


def autosave_folder():
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".rnn-studio") / "autosave"


def autosave_path(project_path):
    """One autosave file per project file (``None``: a project not saved yet)."""
    key = hashlib.sha1(str(project_path or "untitled").encode()).hexdigest()[:12]
    return autosave_folder() / f"{key}.json"


def write_autosave(project, project_path, pending_model=None):
    """Write the project's document with the path it belongs to, the model trained since
    the last save (``pending_model``, its path, or None) and the process writing it."""
    record = {"project_path": None if project_path is None else str(project_path),
              "folder": str(project.folder), "saved_at": time.time(),
              "pending_model": None if pending_model is None else str(pending_model),
              "pid": os.getpid(), "host": socket.gethostname(),
              "document": project.to_document()}
    path = autosave_path(project_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(record, indent=1))
    return path


def discard_autosave(project_path):
    autosave_path(project_path).unlink(missing_ok=True)


def pending_autosaves():
    """Autosave records left by a session that did not end normally, newest first (not
    those of a window still open, :func:`written_by_a_running_window`)."""
    folder = autosave_folder()
    records = []
    for path in folder.glob("*.json") if folder.exists() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and not written_by_a_running_window(record):
            record["autosave_file"] = str(path)
            records.append(record)
    return sorted(records, key=lambda r: r.get("saved_at", 0), reverse=True)


def written_by_a_running_window(record):
    """Whether ``record`` was written by a process of this computer that still runs (and
    is not this one)."""
    pid = record.get("pid")
    if not isinstance(pid, int) or pid == os.getpid() or os.name != "posix" or \
            record.get("host") != socket.gethostname():
        return False                # (on Windows signal 0 would stop the process)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:             # it runs, as another user
        return True
    return True
