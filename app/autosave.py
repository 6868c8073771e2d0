"""Autosave: the project document is written every minute while it has unsaved changes, to
a file in the user's data folder, so that a crash loses at most a minute of work. The next
start offers to restore it, with the model trained since the last save when there is one.

Every window writes a file of its own (:func:`autosave_path`), and removes only that one:
another window, or another RNN Studio, with the same project or example keeps its own. A
record names the process that wrote it: the autosave of a window still open (another RNN
Studio running) is not offered."""

import json
import os
import socket
import time
import uuid
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from engine.atomic import atomic_write_text

INTERVAL_MS = 60_000


def autosave_folder():
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".rnn-studio") / "autosave"


def autosave_path(owner=None):
    """The autosave file of the window ``owner`` names (a new name when None): one file per
    window, so that no window writes over or removes another's."""
    return autosave_folder() / f"{owner or uuid.uuid4().hex[:12]}.json"


def write_autosave(path, project, project_path, pending_model=None):
    """Write into ``path`` the project's document with the path it belongs to, the model
    trained since the last save (``pending_model``, its path, or None) and the process
    writing it."""
    record = {"project_path": None if project_path is None else str(project_path),
              "folder": str(project.folder), "saved_at": time.time(),
              "pending_model": None if pending_model is None else str(pending_model),
              "pid": os.getpid(), "host": socket.gethostname(),
              "document": project.to_document()}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(record, indent=1))
    return path


def discard_autosave(path):
    """Remove the autosave file ``path`` (None: nothing), if it is there."""
    if path is not None:
        try:
            Path(path).unlink(missing_ok=True)
        except OSError:
            pass


def pending_autosaves(exclude=()):
    """Autosave records left by a session that did not end normally, newest first: not
    those of a window still open (:func:`written_by_a_running_window`) nor the files
    ``exclude`` names (the asking window's own)."""
    exclude = {str(path) for path in exclude if path is not None}
    folder = autosave_folder()
    records = []
    for path in folder.glob("*.json") if folder.exists() else []:
        if str(path) in exclude:
            continue
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
