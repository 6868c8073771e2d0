"""Waiting models left behind. A model trained since the last save waits beside its
project in a file named after its window (``NAME.model.<key>.unsaved.npz``,
:meth:`app.session.ProjectSession.pending_model_path`) until File > Save puts it in place;
the window's autosave names it, so that a restore brings it back. A window that ends
before its first autosave (a crash, a kill) leaves that file behind, named by no autosave.

Every start removes such files (:func:`remove_leftovers`), and only a file:

- named as a waiting model is (nothing else beside a project is touched);
- whose key no autosave file names: neither one of a window still open, nor one kept by
  Cancel at a start, nor one set aside in ``not-restored``, nor one that cannot be read
  (the text of every file is searched); when one cannot be read, nothing is removed;
- whose window is gone: before a training writes, its window notes its process and the
  file in the autosave folder's ``windows`` folder (:func:`note_waiting_model`), and
  removes the note when it closes (:func:`forget_note`). Only a file whose note names a
  process of this computer that no longer runs may go. One of a process still running,
  one without a note (of an earlier version, or whose note could not be written) and one
  of another computer (a project folder shared between computers, whose autosave lies on
  the other) are never removed: an orphan file costs disk space, a removed one may be the
  only copy of a training;
- unchanged for :data:`SAFE_AGE` at least (the autosave interval and ten minutes).
"""

import json
import os
import re
import socket
import time
from collections import namedtuple
from pathlib import Path

from engine import EngineError
from engine.atomic import atomic_write_text
from engine.left_files import process_running, remove_where, unchanged_for

from . import autosave

WAITING_NAME = re.compile(r".+\.model\.([0-9a-f]{8})\.unsaved\.npz")
NAMED_KEY = re.compile(rb"\.model\.([^./\\\"\s]+)\.unsaved\.npz")   # in any autosave text
SAFE_AGE = autosave.INTERVAL_MS / 1000 + 600        # seconds
RUNNING, GONE, UNKNOWN = "running", "gone", "unknown"

Note = namedtuple("Note", "path state files")


def notes_folder():
    """Where windows note the waiting models they train into."""
    return autosave.autosave_folder() / "windows"


def waiting_key(path):
    """The window key in the name of the waiting model file ``path``; None for a file
    not named as a waiting model."""
    match = WAITING_NAME.fullmatch(Path(path).name)
    return match.group(1) if match else None


def _read_json(path):
    """The JSON object in ``path``; {} when it cannot be read or holds none."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _files_of(note):
    files = note.get("files")
    return [str(name) for name in files if isinstance(name, str)] \
        if isinstance(files, list) else []


def note_waiting_model(path):
    """Note, before a training writes its waiting model into ``path``, that this process's
    window does: the note (named after the key) holds the process and every file the
    window trained into. The note's path, or None when it could not be written (the file
    is then never removed)."""
    key = waiting_key(path)
    if key is None:
        return None
    note = notes_folder() / f"{key}.json"
    files = sorted(set(_files_of(_read_json(note))) | {str(path)})
    record = {"pid": os.getpid(), "host": socket.gethostname(), "files": files}
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(note, json.dumps(record, indent=1))
    except (OSError, EngineError):
        return None
    return note


def forget_note(note):
    """Remove the note ``note`` (None: nothing) of a window that closed normally, as an
    autosave file is removed (what cannot be removed stays)."""
    autosave.discard_autosave(note)


def read_notes():
    """``{key: Note}`` of the windows' notes, with whether the process of each runs
    (:data:`RUNNING`), ended (:data:`GONE`) or cannot be told (:data:`UNKNOWN`: another
    computer, or a note that cannot be read)."""
    notes = {}
    try:
        paths = sorted(notes_folder().glob("*.json"))
    except OSError:
        return notes
    for path in paths:
        if not re.fullmatch(r"[0-9a-f]{8}", path.stem):
            continue
        note = _read_json(path)
        running = process_running(note)
        state = UNKNOWN if running is None else RUNNING if running else GONE
        notes[path.stem] = Note(path, state, [Path(name) for name in _files_of(note)])
    return notes


def named_keys():
    """The keys of the waiting models that the autosave files name, of every window
    (running, ended, kept by Cancel, set aside, whole or not); None when a file there
    cannot be read (or went away while being read: a restore going on)."""
    keys = set()
    try:
        for folder in (autosave.autosave_folder(), autosave.set_aside_folder()):
            if not folder.exists():
                continue
            for path in folder.iterdir():
                if path.is_file():
                    keys.update(key.decode("latin-1")
                                for key in NAMED_KEY.findall(path.read_bytes()))
    except OSError:
        return None
    return keys


def _candidates(notes):
    """The files named as waiting models of their own key in the notes of gone windows:
    only those can go (:func:`removable`), so no project folder is listed at a start (one
    on a network drive that does not answer would hold the window up)."""
    return list({str(path): path for key, note in notes.items() if note.state == GONE
                 for path in note.files if waiting_key(path) == key}.values())


def removable(path, named, notes, now):
    """Whether the waiting model file ``path`` was left behind (see the module's
    docstring): no autosave names its key (``named``), its window's note (``notes``) says
    the window is gone, and it is old enough."""
    key = waiting_key(path)
    if key is None or key in named:
        return False
    unchanged = unchanged_for(path, now)
    note = notes.get(key)
    return unchanged is not None and note is not None and note.state == GONE and \
        unchanged >= SAFE_AGE


def remove_leftovers():
    """Remove the waiting models that windows now gone left behind (those their notes
    name); then those notes whose files are all gone. Returns the paths removed. Never
    raises: what cannot be read or removed stays as it is."""
    named = named_keys()
    if named is None:
        return []
    notes = read_notes()
    now = time.time()
    removed = remove_where(_candidates(notes), lambda path: removable(path, named, notes, now))
    for note in notes.values():
        if note.state == GONE and not any(os.path.lexists(path) for path in note.files):
            forget_note(note.path)
    return removed
