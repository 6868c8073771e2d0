"""Autosave: the project document is written every minute while it has unsaved changes, to
a file in the user's data folder, so that a crash loses at most a minute of work. The next
start offers to restore it, with the model trained since the last save when there is one.

Every window writes a file of its own (:func:`autosave_path`), and removes only that one:
another window, or another RNN Studio, with the same project or example keeps its own. A
record names the process that wrote it: the autosave of a window still open (another RNN
Studio running) is not offered. A file that cannot be restored (cut off, damaged, of a newer
version) is said once and set aside in :func:`set_aside_folder`, where it is kept; a later
start offers it again only when it can restore it (after an update).

A record kept by Cancel at a start says so (``kept_at_start``): its window's end is then not
known. It also holds the project file's state as its window last saw it (``file_seen``), so
that a restore can tell that the file was written since (:func:`project_file_written`)."""

import json
import math
import os
import socket
import time
import uuid
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from engine import EngineError
from engine.atomic import atomic_write_text
from engine.left_files import process_running
from engine.project.document import project_from_document

INTERVAL_MS = 60_000
TEXT_FIELDS = ("project_path", "folder", "pending_model")   # text or null in a record


def autosave_folder():
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".rnn-studio") / "autosave"


def set_aside_folder():
    """Where autosave files that could not be restored are kept."""
    return autosave_folder() / "not-restored"


def autosave_path(owner=None):
    """The autosave file of the window ``owner`` names (a new name when None): one file per
    window, so that no window writes over or removes another's."""
    return autosave_folder() / f"{owner or uuid.uuid4().hex[:12]}.json"


def write_autosave(path, project, project_path, pending_model=None, file_seen=None):
    """Write into ``path`` the project's document with the path it belongs to, the model
    trained since the last save (``pending_model``, its path, or None), the state of the
    project file that the window last saw (``file_seen``: its modification time in
    nanoseconds and size, or None) and the process writing it."""
    record = {"project_path": None if project_path is None else str(project_path),
              "folder": str(project.folder), "saved_at": time.time(),
              "pending_model": None if pending_model is None else str(pending_model),
              "file_seen": None if file_seen is None else list(file_seen),
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


def keep_for_next_start(path):
    """Mark the autosave file ``path`` as kept by Cancel at a start (``kept_at_start``), so
    that the next start does not say its session ended abnormally; a file that cannot be
    read or written stays as it is."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        record["kept_at_start"] = True
        atomic_write_text(Path(path), json.dumps(record, indent=1))
    except (OSError, ValueError, TypeError, RecursionError, EngineError):
        pass


def project_file_written(record):
    """When the project file of ``record`` was written (seconds), if that was after the
    record's window last saw it: its state differs from the record's ``file_seen`` (for a
    record without one, it was written after ``saved_at``); else None (no project file,
    or the one the work was based on)."""
    path = record.get("project_path")
    try:
        status = os.stat(path) if path else None
    except OSError:
        status = None
    if status is None:
        return None
    seen = record.get("file_seen", "unknown")
    if seen == "unknown":
        written_since = status.st_mtime > saved_at(record)
    else:
        written_since = seen != [status.st_mtime_ns, status.st_size]
    return status.st_mtime if written_since else None


def local_time(seconds):
    """``seconds`` (since the epoch) as a date and time of this computer's time zone."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def kept_sentence(record, name):
    """The restore question's first words about ``record`` of the project ``name``: that
    RNN Studio did not close normally only when that is known (not for a record that
    Cancel kept at a start), and when the work was kept."""
    where = record.get("project_path") or "a project that was not saved yet"
    when = saved_at(record)
    kept = f"Unsaved changes of '{name}' ({where}) were kept" + \
        (f" on {local_time(when)}" if when else "")
    if record.get("kept_at_start"):
        return f"{kept}; Cancel at an earlier start kept them for later."
    return f"RNN Studio did not close normally. {kept}."


def written_since_sentence(record, written):
    """What the restore question says of a project file written (at ``written``, seconds)
    after the window of ``record`` last saw it."""
    when = saved_at(record)
    if not when or written > when:
        return (f"The project file was saved after this work was kept, on "
                f"{local_time(written)}; restoring replaces it only when you save.")
    return (f"The project file was saved on {local_time(written)} by something other "
            "than the window that kept this work; restoring replaces it only when you "
            "save.")


def record_problem(record):
    """Why the parsed autosave ``record`` is no whole record, in words, or None."""
    if not isinstance(record, dict):
        return "it holds no autosave record (its JSON is not an object)"
    if not isinstance(record.get("document"), dict):
        return "it is damaged: it holds no project document"
    for key in TEXT_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            return f"it is damaged: its {key} is not text"
    return None


def saved_at(record):
    """When ``record`` was written (seconds), for the order of the offers; 0 when it does
    not say it as a number."""
    value = record.get("saved_at")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value):
        return 0
    return value


def read_autosave(path):
    """``(record, problem)`` of the autosave file ``path``: the record (with its file as
    ``autosave_file``) and None, or None and why it cannot be read, in words."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        return None, f"it cannot be read ({error.strerror or error})"
    except UnicodeDecodeError:
        return None, "it is not text"
    except RecursionError:
        return None, "its JSON is nested too deeply"
    except ValueError as error:
        return None, f"it is cut off or damaged (not valid JSON: {error})"
    problem = record_problem(record)
    if problem is not None:
        return None, problem
    record["autosave_file"] = str(path)
    return record, None


def _files(folder):
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def pending_autosaves(exclude=()):
    """Autosave records left by a session that did not end normally, newest first: not
    those of a window still open (:func:`written_by_a_running_window`) nor the files
    ``exclude`` names (the asking window's own), nor files that cannot be read
    (:func:`unreadable_autosaves`). Records set aside earlier come too, with ``set_aside``
    true."""
    exclude = {str(path) for path in exclude if path is not None}
    records = []
    for folder, aside in ((autosave_folder(), False), (set_aside_folder(), True)):
        for path in _files(folder):
            record, _ = read_autosave(path)
            if record is not None and str(path) not in exclude and \
                    not written_by_a_running_window(record):
                record["set_aside"] = aside
                records.append(record)
    return sorted(records, key=saved_at, reverse=True)


def unreadable_autosaves():
    """``(path, why)`` of the files in the autosave folder (not those set aside) that hold
    no whole record: cut off, not JSON, damaged."""
    found = []
    for path in _files(autosave_folder()):
        _, problem = read_autosave(path)
        if problem is not None:
            found.append((path, problem))
    return found


def restored_project(record):
    """The project that ``record`` (of :func:`pending_autosaves`) keeps, checked as a project
    file is; raises :class:`EngineError` saying why it cannot be restored (a damaged
    document, one of a newer version)."""
    where = Path(record["autosave_file"]).name
    try:
        return project_from_document(record["document"], record.get("folder") or Path.home(),
                                     where)
    except (TypeError, KeyError, AttributeError) as error:
        raise EngineError(f"The autosave file {where} is damaged ({error}).") from None


def set_aside(path):
    """Move the autosave file ``path`` into :func:`set_aside_folder` (under a name of its
    own there); the path it now has, or None when it could not be moved."""
    path = Path(path)
    folder = set_aside_folder()
    target = folder / path.name
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{path.stem}-{number}{path.suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    except OSError:
        return None
    return target


def written_by_a_running_window(record):
    """Whether ``record`` was written by a process of this computer that still runs (and
    is not this one)."""
    return record.get("pid") != os.getpid() and process_running(record) is True
