"""Autosave: the project document is written every minute while it has unsaved changes, to
a file in the user's data folder, so that a crash loses at most a minute of work. The next
start offers to restore it."""

import hashlib
import json
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


def write_autosave(project, project_path):
    """Write the project's document with the path it belongs to."""
    record = {"project_path": None if project_path is None else str(project_path),
              "folder": str(project.folder), "saved_at": time.time(),
              "document": project.to_document()}
    path = autosave_path(project_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(record, indent=1))
    return path


def discard_autosave(project_path):
    autosave_path(project_path).unlink(missing_ok=True)


def pending_autosaves():
    """Autosave records left by a session that did not end normally, newest first."""
    folder = autosave_folder()
    records = []
    for path in folder.glob("*.json") if folder.exists() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            record["autosave_file"] = str(path)
            records.append(record)
        except (OSError, ValueError):
            continue
    return sorted(records, key=lambda r: r.get("saved_at", 0), reverse=True)
