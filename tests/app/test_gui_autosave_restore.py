"""Autosave and restore at the start: offered on every start (with a project or an example
given too), never removed by a window it does not belong to; a file that cannot be restored
(cut off, damaged, of a newer version) is said once and kept aside, never a crash."""

import json
import time

import pytest
from PySide6.QtWidgets import QMessageBox

Yes, No, Cancel = (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No,
                   QMessageBox.StandardButton.Cancel)


def _crashed_with_unsaved_work(make_window, gui, folder, csv, typed="typed before the crash"):
    """A window whose saved project has an unsaved edit, autosaved; the window is then left
    open as a session that ended abruptly leaves it. ``(window, autosave file)``."""
    window = make_window()
    gui.ready_project(window, folder, csv, name="Crashed")
    window.save_action.trigger()
    window.pages[0].description.setPlainText(typed)
    return window, window.write_autosave()


def test_a_start_with_a_project_or_an_example_offers_the_restore_first(
        make_window, dialogs, gui, tmp_path, semicolon_csv):
    crashed, kept = _crashed_with_unsaved_work(make_window, gui, tmp_path / "p",
                                               semicolon_csv)
    project = crashed.session.path
    later = make_window()
    dialogs.answers = [Cancel]                         # not now: the project asked for opens
    later.start(project=project)
    title, text = dialogs.questions[-1]
    assert title == "Restore unsaved work?" and f"in place of {project.name}" in text
    assert later.session.path == project and not later.session.dirty
    assert later.close() and kept.exists()             # kept for the next start

    restored = make_window()
    dialogs.answers = [Yes]
    restored.start(example="airline")
    assert "in place of the example Airline passengers" in dialogs.questions[-1][1]
    assert restored.session.project.description == "typed before the crash"
    assert restored.session.path == project and restored.session.dirty
    assert not kept.exists() and restored.autosave_file.exists()  # its own keeps the work
    assert json.loads(restored.autosave_file.read_text())["document"]["description"] == \
        "typed before the crash"


def test_a_start_without_autosaves_opens_what_was_asked_for(make_window, dialogs, tmp_path):
    window = make_window()
    window.start(example="airline")
    assert window.session.project.name == "Airline passengers" and not dialogs.questions


@pytest.mark.parametrize("other_opens", ["project", "example"])
def test_a_window_never_removes_another_windows_autosave(
        make_window, dialogs, gui, tmp_path, semicolon_csv, other_opens):
    if other_opens == "project":
        crashed, kept = _crashed_with_unsaved_work(make_window, gui, tmp_path / "p",
                                                   semicolon_csv)
        target = crashed.session.path
    else:
        crashed = make_window()
        assert crashed.open_example("airline")
        crashed.pages[0].description.setPlainText("typed before the crash")
        kept, target = crashed.write_autosave(), None
    other = make_window()
    assert other.open_project(target) if target else other.open_example("airline")
    other.pages[0].description.setPlainText("the other window's")
    assert other.write_autosave() != kept
    assert json.loads(kept.read_text())["document"]["description"] == "typed before the crash"
    dialogs.answers = [QMessageBox.StandardButton.Discard]
    assert other.close()                               # its own autosave goes, no other
    assert kept.exists() and not other.autosave_file.exists()
    restored = make_window()
    dialogs.answers = [Yes]
    assert restored.offer_restore()
    assert restored.session.project.description == "typed before the crash"


@pytest.mark.parametrize("project,example", [(None, None), ("p.json", None),
                                             (None, "airline")])
def test_every_start_of_the_application_goes_through_the_windows_start(
        monkeypatch, qapp, project, example):
    import app.main
    import app.main_window
    import app.workers
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    calls = []

    class Window:
        def show(self):
            pass

        def start(self, **asked):
            calls.append(asked)

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(app.main_window, "MainWindow", Window)
    monkeypatch.setattr(app.workers, "collect_garbage_in_the_gui_thread", lambda: None)
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    try:
        assert app.main.run(project=project, example=example) == 0
    finally:
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
    assert calls == [{"project": project, "example": example}]


def _record(tmp_path, name="Quick", owner="crashed", **changes):
    """An autosave file of a new project ``name`` (as a session that ended abruptly left
    it), its record changed by ``changes``."""
    from app import autosave
    from engine.project.document import new_project

    project = new_project(name, tmp_path / name, "typed before the crash")
    path = autosave.write_autosave(autosave.autosave_path(owner), project, None)
    record = json.loads(path.read_text())
    record.update(changes)
    path.write_text(json.dumps(record))
    return path


def test_an_autosave_of_a_newer_version_is_kept_aside_until_an_update_can_restore_it(
        make_window, dialogs, tmp_path):
    from app import autosave

    path = _record(tmp_path)
    record = json.loads(path.read_text())
    record["document"].update(format_version=99, saved_with="9.0")
    path.write_text(json.dumps(record))
    window = make_window()
    assert not window.offer_restore() and not dialogs.questions
    title, text = dialogs.warnings[-1]
    kept = autosave.set_aside_folder() / path.name
    assert title == "Cannot restore the unsaved work" and "newer version" in text
    assert f"moved to {kept}" in text and "Update RNN Studio" in text
    assert not path.exists() and json.loads(kept.read_text()) == record
    assert not make_window().offer_restore()           # said once: not again at every start
    assert len(dialogs.warnings) == 1 and not dialogs.questions

    record["document"]["format_version"] = 1            # an RNN Studio that reads it
    kept.write_text(json.dumps(record))
    updated = make_window()
    dialogs.answers = [Yes]
    assert updated.offer_restore()
    assert updated.session.project.description == "typed before the crash"
    assert not kept.exists() and updated.autosave_file.exists()


@pytest.mark.parametrize("changes,said", [
    ({"document": None}, "it holds no project document"),
    ({"document": [1, 2]}, "it holds no project document"),
    ({"folder": 5}, "its folder is not text"),
    ({"project_path": ["p.json"]}, "its project_path is not text"),
    ({"document": {"format": "rnn-studio-project", "format_version": 1}}, "no project name"),
])
def test_a_damaged_autosave_is_said_once_and_kept_aside_and_the_start_goes_on(
        make_window, dialogs, tmp_path, changes, said):
    from app import autosave

    damaged = _record(tmp_path, "Damaged", owner="damaged", **changes)
    whole = _record(tmp_path, "Whole", owner="whole", saved_at=0)
    window = make_window()
    dialogs.answers = [Yes]
    assert window.offer_restore()                      # no exception out of the start-up
    assert len(dialogs.warnings) == 1 and said in dialogs.warnings[0][1]
    assert window.session.project.name == "Whole" and not whole.exists()
    assert not damaged.exists() and (autosave.set_aside_folder() / damaged.name).exists()
    assert not make_window().offer_restore() and len(dialogs.warnings) == 1


def test_an_autosave_without_a_time_of_its_own_is_still_offered(make_window, dialogs,
                                                                tmp_path):
    _record(tmp_path, "Timeless", owner="timeless", saved_at="yesterday")
    _record(tmp_path, "Timed", owner="timed")
    window = make_window()
    dialogs.answers = [Cancel]
    assert not window.offer_restore()
    assert "'Timed'" in dialogs.questions[-1][1] and "1 more" in dialogs.questions[-1][1]
    dialogs.answers = [No, Yes]
    assert not window.offer_restore()                   # Timed discarded
    assert make_window().offer_restore()
    assert "'Timeless'" in dialogs.questions[-1][1] and not dialogs.warnings


@pytest.mark.parametrize("content", [b'{"project_path": null, "document": {"na', b"",
                                     b"\xff\xfe not text"])
def test_an_unreadable_autosave_is_said_once_and_kept_aside(make_window, dialogs, tmp_path,
                                                             content):
    from app import autosave

    path = autosave.autosave_path("cut")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert not make_window().offer_restore()
    title, text = dialogs.warnings[-1]
    kept = autosave.set_aside_folder() / path.name
    assert title == "Cannot restore the unsaved work" and "cut.json cannot be read" in text
    assert str(kept) in text and "not offered again" in text
    assert not path.exists() and kept.read_bytes() == content
    assert not make_window().offer_restore() and len(dialogs.warnings) == 1


def test_restoring_work_whose_data_file_was_moved_offers_to_locate_it(
        make_window, dialogs, gui, tmp_path, semicolon_csv):
    crashed, _ = _crashed_with_unsaved_work(make_window, gui, tmp_path / "p", semicolon_csv)
    moved = semicolon_csv.rename(tmp_path / "moved.csv")
    restored = make_window()
    dialogs.answers = [Yes, Yes]                       # restore; locate the data file
    dialogs.open_paths = [moved]
    assert restored.offer_restore()
    assert [title for title, _ in dialogs.questions] == ["Restore unsaved work?",
                                                        "Data file not found"]
    assert semicolon_csv.name in dialogs.questions[-1][1]
    session = restored.session
    assert session.project.data_file() == moved and session.table is not None
    assert session.project.description == "typed before the crash" and session.dirty


def test_work_kept_by_cancel_never_overwrites_a_project_saved_after_it_unasked(
        make_window, dialogs, gui, tmp_path, semicolon_csv):
    def local_time(seconds):
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))

    crashed, kept = _crashed_with_unsaved_work(make_window, gui, tmp_path / "p",
                                               semicolon_csv)
    project = crashed.session.path
    kept_on = local_time(json.loads(kept.read_text())["saved_at"])
    later = make_window()
    dialogs.answers = [Cancel]
    later.start(project=project)
    assert "did not close normally" in dialogs.questions[-1][1]
    assert f"were kept on {kept_on}" in dialogs.questions[-1][1]
    assert dialogs.defaults[-1] == Yes and "saved after" not in dialogs.questions[-1][1]
    later.pages[0].description.setPlainText("newer work, saved")
    later.save_action.trigger()
    assert later.close() and kept.exists()

    restored = make_window()
    dialogs.answers = [Yes]
    assert restored.offer_restore()
    text = dialogs.questions[-1][1]
    saved_on = local_time(project.stat().st_mtime)
    assert "did not close normally" not in text and f"were kept on {kept_on}" in text
    assert "Cancel at an earlier start kept them" in text
    assert f"The project file was saved after this work was kept, on {saved_on}; " \
        "restoring replaces it only when you save." in text
    assert dialogs.defaults[-1] == Cancel
    assert restored.session.project.description == "typed before the crash"
    dialogs.answers = [No]                             # keep the file on disk
    assert not restored.save()
    title, text = dialogs.questions[-1]
    assert title == "Project file changed" and "after the unsaved work restored" in text
    assert json.loads(project.read_text())["description"] == "newer work, saved"
    crashed_again = restored.write_autosave()          # and once more, after a crash
    again = make_window()
    dialogs.answers = [Yes]
    assert again.offer_restore()
    assert "by something other than the window that kept this work; restoring replaces " \
        "it only when you save." in dialogs.questions[-1][1]
    dialogs.answers = [No]
    assert not again.save() and dialogs.questions[-1][0] == "Project file changed"
    dialogs.answers = [Yes]
    assert again.save() and not crashed_again.exists()
    assert json.loads(project.read_text())["description"] == "typed before the crash"


def test_a_project_that_restored_work_replaced_at_the_start_is_in_open_recent(
        make_window, dialogs, gui, tmp_path, semicolon_csv):
    crashed, _ = _crashed_with_unsaved_work(make_window, gui, tmp_path / "p", semicolon_csv)
    asked = tmp_path / "asked for.json"                 # never opened in RNN Studio
    asked.write_bytes(crashed.session.path.read_bytes())
    window = make_window()
    window.settings.setValue("recent_projects", [])
    dialogs.answers = [Yes]
    window.start(project=asked)
    assert f"in place of {asked.name}" in dialogs.questions[-1][1]
    assert window.session.project.description == "typed before the crash"
    assert window.recent_projects() == [str(asked.resolve())]
    assert window.recent_menu.actions()[0].data() == str(asked.resolve())
