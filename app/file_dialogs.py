"""File dialogs that open where the user last chose a file or folder in any of them (kept in
the application's settings, so also after a restart). They take the arguments of
QFileDialog's static functions and return what those return."""

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

KEY = "last_folder"
_settings = None


def use_settings(settings):
    """Keep the last folder in ``settings`` (the main window's) instead of the default
    QSettings()."""
    global _settings
    _settings = settings


def _store():
    return _settings if _settings is not None else QSettings()


def last_folder():
    """The folder of the last choice, or None (never chosen, or the folder is gone)."""
    folder = _store().value(KEY, "")
    return str(folder) if folder and Path(str(folder)).is_dir() else None


def _remember(folder):
    _store().setValue(KEY, str(folder))


def _start(start, keep_name):
    """Where a dialog opens: the last folder (with the suggested file's name for a save
    dialog), else the caller's ``start``."""
    folder = last_folder()
    if folder is None:
        return str(start or "")
    return str(Path(folder) / Path(start).name) if keep_name and start else folder


def open_file_name(parent, caption, start="", filters=""):
    """QFileDialog.getOpenFileName, opening in the last folder."""
    path, chosen = QFileDialog.getOpenFileName(parent, caption, _start(start, False), filters)
    if path:
        _remember(Path(path).parent)
    return path, chosen


def save_file_name(parent, caption, start="", filters=""):
    """QFileDialog.getSaveFileName, suggesting ``start``'s file name in the last folder."""
    path, chosen = QFileDialog.getSaveFileName(parent, caption, _start(start, True), filters)
    if path:
        _remember(Path(path).parent)
    return path, chosen


def existing_directory(parent, caption, start=""):
    """QFileDialog.getExistingDirectory, opening in the last folder."""
    folder = QFileDialog.getExistingDirectory(parent, caption, _start(start, False))
    if folder:
        _remember(folder)
    return folder
