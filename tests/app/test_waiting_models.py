"""Waiting models left behind (``NAME.model.<key>.unsaved.npz`` of a window that ended
before its first autosave) are removed at the next start; one that an autosave names (of
any window, kept by Cancel, set aside, damaged), one of a window still running, a fresh
one and every other file beside it are never touched."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import Qt

import app.autosave
from app import waiting_models
from app.waiting_models import SAFE_AGE, remove_leftovers

HOUR = 3600
DAY = 24 * HOUR


@pytest.fixture
def autosaves(tmp_path, monkeypatch):
    """The autosave folder, under ``tmp_path``."""
    folder = tmp_path / "appdata" / "autosave"
    monkeypatch.setattr(app.autosave, "autosave_folder", lambda: folder)
    return folder


@pytest.fixture(scope="module")
def ended_pid():
    """The pid of a process of this computer that ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _file(path, age, text="npz"):
    """``path`` written, last changed ``age`` seconds ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def _note(key, pid, files, host=None):
    """The note of the window ``key`` of the process ``pid`` that trained into ``files``."""
    note = waiting_models.notes_folder() / f"{key}.json"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(),
                                "files": [str(path) for path in files]}))
    return note


def _record(folder, name, pending):
    """An autosave record naming the waiting model ``pending``."""
    folder.mkdir(parents=True, exist_ok=True)
    record = {"document": {}, "pending_model": str(pending), "pid": 1, "host": "elsewhere",
              "kept_at_start": True}
    (folder / name).write_text(json.dumps(record))


def test_a_left_waiting_model_of_an_ended_window_is_removed_and_its_note_too(
        autosaves, tmp_path, ended_pid):
    left = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", SAFE_AGE + 60)
    elsewhere = _file(tmp_path / "q" / "Other.model.0a1b2c3d.unsaved.npz", SAFE_AGE + 60)
    note = _note("0a1b2c3d", ended_pid, [left, elsewhere])
    assert sorted(remove_leftovers()) == [left, elsewhere]
    assert not left.exists() and not note.exists()      # found through the note too
    assert not elsewhere.exists()


def test_a_waiting_model_without_a_note_is_never_removed(autosaves, tmp_path):
    """No note: of an earlier version, or of a window on another computer that shares
    the project's folder (its autosave, which names the file, lies on that computer)."""
    old = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", 30 * DAY)
    assert remove_leftovers() == [] and old.exists()


def test_a_fresh_waiting_model_is_kept(autosaves, tmp_path, ended_pid):
    fresh = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", SAFE_AGE - 60)
    note = _note("0a1b2c3d", ended_pid, [fresh])
    assert remove_leftovers() == []
    assert fresh.exists() and note.exists()


@pytest.mark.parametrize("pid", ["this process", "parent process"])
def test_the_waiting_model_of_a_running_window_is_kept_however_old(
        autosaves, tmp_path, pid):
    old = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", 30 * DAY)
    note = _note("0a1b2c3d", os.getpid() if pid == "this process" else os.getppid(), [old])
    assert remove_leftovers() == []
    assert old.exists() and note.exists()


def test_a_waiting_model_of_another_computers_window_is_never_removed(autosaves, tmp_path):
    old = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", 30 * DAY)
    _note("0a1b2c3d", 1, [old], host="another-computer")
    assert remove_leftovers() == [] and old.exists()


@pytest.mark.parametrize("where", ["kept by cancel", "set aside", "damaged", "set aside again"])
def test_a_waiting_model_that_an_autosave_names_is_kept(autosaves, tmp_path, ended_pid,
                                                        where):
    named = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", 30 * DAY)
    _note("0a1b2c3d", ended_pid, [named])
    if where == "kept by cancel":
        _record(autosaves, "0123abcd0123.json", named)
    elif where == "set aside":
        _record(app.autosave.set_aside_folder(), "0123abcd0123.json", named)
    else:
        folder = autosaves if where == "damaged" else app.autosave.set_aside_folder()
        _record(folder, "cut.json", named)
        text = (folder / "cut.json").read_text()
        (folder / "cut.json").write_text(text[:text.index("unsaved.npz") + 11])  # cut off
    assert remove_leftovers() == []
    assert named.exists()


def test_nothing_is_removed_when_an_autosave_cannot_be_read(autosaves, tmp_path, ended_pid,
                                                            monkeypatch):
    left = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", 30 * DAY)
    _note("0a1b2c3d", ended_pid, [left])
    _record(autosaves, "other.json", tmp_path / "p" / "Load.model.99998888.unsaved.npz")

    def unreadable(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(left), "read_bytes", unreadable)
    assert remove_leftovers() == []
    assert left.exists()


def test_no_other_file_beside_a_project_is_touched(autosaves, tmp_path, ended_pid):
    folder = tmp_path / "p"
    others = [_file(folder / name, 30 * DAY) for name in (
        "Load.json", "Load.model.npz", "data.csv", ".Load.model.npz.saving",
        ".Load.model.0a1b2c3d.unsaved.npz.1234abcd.rnn-studio-tmp",
        "Load.model.0a1b2c3d.unsaved.npz.bak", "Load.model.0A1B2C3D.unsaved.npz",
        "Load.model.0a1b2c3.unsaved.npz", "Load.model.0a1b2c3d.unsaved.npz.json")]
    (folder / "Dir.model.0a1b2c3d.unsaved.npz").mkdir()
    link = folder / "Link.model.0a1b2c3d.unsaved.npz"
    link.symlink_to(folder / "Load.model.npz")
    then = time.time() - 30 * DAY
    os.utime(link, (then, then), follow_symlinks=False)
    others.append(_file(tmp_path / "target.json", 30 * DAY))
    _note("0a1b2c3d", ended_pid, [folder / "Dir.model.0a1b2c3d.unsaved.npz",
                                  folder / "Load.model.npz", tmp_path / "target.json"])
    assert remove_leftovers() == []
    assert all(path.exists() for path in others)
    assert (folder / "Dir.model.0a1b2c3d.unsaved.npz").is_dir()
    assert link.is_symlink()


def _train(page, qtbot):
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)


def _note_of(waiting):
    """The note of the window that trained into ``waiting``."""
    return waiting_models.notes_folder() / f"{waiting_models.waiting_key(waiting)}.json"


def _aged(path, age):
    then = time.time() - age
    os.utime(path, (then, then))


def test_a_start_removes_the_model_a_window_left_before_its_first_autosave(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv, ended_pid):
    """A window trains (and notes where), then its process ends before an autosave: the
    next start removes the waiting model; that of a window whose autosave names it stays
    and is offered. A window that closes normally removes its note."""
    window = make_window()
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    _train(page, qtbot)
    left = window.session.pending_model
    note = _note_of(left)
    assert json.loads(note.read_text())["files"] == [str(left)]
    other = make_window()
    other_page = gui.ready_project(other, tmp_path / "q", semicolon_csv, name="Other",
                                   max_epochs=2)
    _train(other_page, qtbot)
    named = other.session.pending_model
    other.write_autosave()
    for path in (note, _note_of(named)):            # as if both processes had ended
        _note(path.stem, ended_pid, json.loads(path.read_text())["files"])
    _aged(left, SAFE_AGE + 60)
    _aged(named, SAFE_AGE + 60)

    later = make_window()
    later.start()
    assert not left.exists() and not note.exists()
    assert named.exists() and dialogs.questions[-1][0] == "Restore unsaved work?"
    assert window.session.path.exists()
    closing = make_window()
    gui.ready_project(closing, tmp_path / "r", semicolon_csv, max_epochs=2)
    _train(closing.pages[3], qtbot)
    closing_note = _note_of(closing.session.pending_model)
    assert closing_note.exists()
    closing.session.dirty = False
    assert closing.close() and not closing_note.exists()


def test_a_note_or_record_with_a_pid_no_process_can_have_is_not_of_a_running_process(
        autosaves, tmp_path):
    record = {"pid": 2 ** 70, "host": socket.gethostname()}
    assert app.autosave.process_running(record) is None
    assert not app.autosave.written_by_a_running_window(record)
    old = _file(tmp_path / "p" / "Load.model.0a1b2c3d.unsaved.npz", 2 * HOUR)
    _note("0a1b2c3d", 2 ** 70, [old])
    assert remove_leftovers() == [] and old.exists()   # unknown: kept
