"""Autosave and restore at the start: offered on every start (with a project or an example
given too), never removed by a window it does not belong to."""

import json

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
