"""Bad files get a dialog that says what is wrong, never a crash: a CSV that is not a table,
an empty file, a binary file, a project from a newer version, a missing data file."""

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.session import DONE, LOCKED, TODO

BAD_CSV = {
    "letter": (b"Dear colleague,\nplease find the figures attached.\nBest regards\n",
               "does not look like a table"),
    "empty": (b"", "is empty"),
    "binary": (bytes(range(256)) * 20, "not a text file"),
}


def _open_with_dialog(window, dialogs, *paths):
    """File > Open; the patched file dialogs answer with ``paths`` in turn."""
    dialogs.open_paths.extend(paths)
    action = [a for a in window.menuBar().actions()[0].menu().actions()
              if a.text().startswith("&Open Project")][0]
    action.trigger()


@pytest.mark.parametrize("kind", sorted(BAD_CSV))
def test_a_bad_csv_is_explained_in_the_import_dialog(window, dialogs, gui, qtbot, tmp_path,
                                                     kind):
    content, expected = BAD_CSV[kind]
    bad = tmp_path / f"{kind}.csv"
    bad.write_bytes(content)
    window.new_project()
    window.pages[0].name.setText("Bad data")
    window.pages[0].folder.setText(str(tmp_path / "p"))
    window.pages[0].create_button.click()
    data_page = window.pages[1]
    dialogs.open_paths.append(bad)
    seen = {}

    def look_and_cancel(dialog):
        seen["message"] = dialog.message.text()
        seen["import enabled"] = dialog.buttons.button(
            QDialogButtonBox.StandardButton.Ok).isEnabled()
        seen["rows"] = dialog.preview.rowCount()
        # another delimiter does not help, and does not crash either
        dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(";"))
        seen["still disabled"] = not dialog.buttons.button(
            QDialogButtonBox.StandardButton.Ok).isEnabled()
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)

    gui.run_modal(qtbot, look_and_cancel,
                  lambda: qtbot.mouseClick(gui.button(data_page, "Load CSV"),
                                           Qt.MouseButton.LeftButton))
    assert expected in seen["message"]
    assert "Traceback" not in seen["message"]
    assert not seen["import enabled"] and seen["still disabled"]
    assert seen["rows"] == 0
    assert window.session.table is None
    assert window.session.project.data_file() is None
    assert window.session.step_states()[1:3] == [TODO, LOCKED]
    assert window.isVisible()


def test_a_project_from_a_newer_version_is_refused_with_a_reason(window, dialogs, tmp_path):
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"format": "rnn-studio-project", "format_version": 99,
                                "saved_with": "9.0", "name": "From the future"}))
    _open_with_dialog(window, dialogs, path)
    assert len(dialogs.warnings) == 1
    title, message = dialogs.warnings[0]
    assert title == "Cannot open the project"
    assert "newer" in message
    assert window.session.project is None
    assert window.stack.currentWidget() is window.start_page


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02 not json", b"[1, 2, 3]",
                                     b'{"name": "no format"}'])
def test_a_damaged_project_file_is_refused_with_a_reason(window, dialogs, tmp_path, content):
    path = tmp_path / "damaged.json"
    path.write_bytes(content)
    _open_with_dialog(window, dialogs, path)
    assert len(dialogs.warnings) == 1
    assert dialogs.warnings[0][0] == "Cannot open the project"
    assert dialogs.warnings[0][1] and "Traceback" not in dialogs.warnings[0][1]
    assert window.session.project is None


def _saved_project(window, gui, tmp_path, csv):
    gui.ready_project(window, tmp_path / "p", csv, name="Moved data")
    window.save_action.trigger()
    return window.session.path


def test_a_missing_data_file_can_be_located(make_window, dialogs, gui, qtbot, tmp_path):
    csv = gui.write_semicolon_csv(tmp_path / "p" / "data" / "load.csv")
    project_file = _saved_project(make_window(), gui, tmp_path, csv)
    moved = tmp_path / "elsewhere" / "load-copy.csv"
    moved.parent.mkdir()
    shutil.move(csv, moved)

    window = make_window()
    dialogs.answers = [QMessageBox.StandardButton.Yes]      # "Locate it now?"
    _open_with_dialog(window, dialogs, project_file, moved)  # the project, then the copy
    assert not dialogs.open_paths
    assert dialogs.questions and dialogs.questions[-1][0] == "Data file not found"
    assert "load.csv" in dialogs.questions[-1][1]
    session = window.session
    assert session.project.data_file() == moved
    assert session.table is not None
    assert session.step_states()[:3] == [DONE, DONE, DONE]
    assert session.dirty and window.isWindowModified()      # the new place is an edit
    assert not dialogs.warnings


def test_a_missing_data_file_not_located_leaves_the_data_step_to_do(make_window, dialogs, gui,
                                                                    qtbot, tmp_path):
    csv = gui.write_semicolon_csv(tmp_path / "p" / "data" / "load.csv")
    project_file = _saved_project(make_window(), gui, tmp_path, csv)
    csv.unlink()
    window = make_window()
    dialogs.answers = [QMessageBox.StandardButton.No]
    _open_with_dialog(window, dialogs, project_file)
    session = window.session
    assert session.project is not None and session.table is None
    assert session.step_states()[:3] == [DONE, TODO, LOCKED]
    assert window.current_step() == 1
    assert "was not found" in window.pages[1].file_label.text()
    assert not dialogs.warnings


def test_a_data_file_that_became_unreadable_is_reported(make_window, dialogs, gui, qtbot,
                                                        tmp_path):
    csv = gui.write_semicolon_csv(tmp_path / "p" / "data" / "load.csv")
    project_file = _saved_project(make_window(), gui, tmp_path, csv)
    csv.write_bytes(bytes(range(256)) * 20)                 # overwritten by something else
    window = make_window()
    _open_with_dialog(window, dialogs, project_file)
    assert len(dialogs.warnings) == 1
    title, message = dialogs.warnings[0]
    assert title == "Cannot read the data file"
    assert "not a text file" in message
    # the project is open at its data step, where another file can be loaded
    session = window.session
    assert session.path == project_file and session.table is None
    assert session.step_states()[:3] == [DONE, TODO, LOCKED]
    assert window.current_step() == 1
    assert "Moved data" in window.windowTitle()
    csv.unlink()
    gui.write_semicolon_csv(csv)
    assert window.pages[1].import_file(str(csv), dialog_factory=gui.accepting_import_dialog)
    # the project's columns again: their roles and the data settings are kept
    assert session.step_states()[:4] == [DONE, DONE, DONE, TODO]
    assert session.config().variable("Temperatur").role == "input_target"


def test_a_column_renamed_in_the_data_file_is_named_on_the_data_page(window, dialogs, gui,
                                                                     semicolon_csv, qtbot,
                                                                     tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    data = folder / "load.csv"
    shutil.copy(semicolon_csv, data)
    page = gui.new_data_project(window, folder, data, name="Load")
    gui.set_role(page, "Temperatur", "input_target")
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    assert window.save()
    path = window.session.path
    window.new_project()
    data.write_text(data.read_text().replace("Temperatur", "Temp"))
    assert window.open_project(str(path)) and window.go_to_step(1)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    texts = " ".join(label.text() for label in page.findChildren(type(page.problems)))
    assert "Unknown column 'Temperatur'" in texts and "KeyError" not in texts
    assert dialogs.warnings == []


def test_a_project_folder_that_cannot_be_made_is_said(window, dialogs, tmp_path):
    """A file where the folder should be: a warning that says so, no project half made."""
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    project_page = window.pages[0]
    window.new_project()
    project_page.name.setText("Load")
    project_page.folder.setText(str(blocker / "inside"))
    project_page.create_button.click()
    assert len(dialogs.warnings) == 1
    title, text = dialogs.warnings[0]
    assert title == "Cannot create the project" and "Could not make the project's folder" \
        in text
    assert window.session.path is None


def test_a_restored_project_without_a_file_does_not_replace_one_of_its_name(window,
                                                                           dialogs,
                                                                           tmp_path):
    """Create project of a project in memory (a restored one that was never saved) wrote
    over a project file of the same name in its folder without a word."""
    from engine.project.document import new_project, save_project

    other = new_project("Load", tmp_path, "another project's work")
    save_project(other, tmp_path / "Load.json")
    before = (tmp_path / "Load.json").read_bytes()
    window.session.adopt(new_project("Restored", tmp_path), None, dirty=True)
    project_page = window.pages[0]
    window.go_to_step(0)
    assert project_page.create_button.isVisible()
    project_page.name.setText("Load")
    project_page.create_button.click()
    assert dialogs.warnings == [("Cannot create the project", "There is already a project "
                                 f"file Load.json in {tmp_path}. Choose another name or "
                                 "folder, or open that project.")]
    assert (tmp_path / "Load.json").read_bytes() == before and window.session.path is None
    project_page.name.setText("x" * 300)          # a name longer than a file name may be
    project_page.create_button.click()
    assert len(dialogs.warnings) == 1 and window.session.path.parent == tmp_path
    assert window.session.project.name == "x" * 300 and not window.session.dirty


def test_a_project_whose_thousands_separator_is_its_decimal_mark_is_refused_in_the_pages_words(
        make_window, dialogs, gui, qtbot, tmp_path):
    """A project file edited by hand: its CSV options give ',' as both marks."""
    import json

    csv = gui.write_semicolon_csv(tmp_path / "p" / "data" / "load.csv")
    project_file = _saved_project(make_window(), gui, tmp_path, csv)
    document = json.loads(project_file.read_text(encoding="utf-8"))
    document["data"]["config"]["csv"]["thousands"] = ","
    project_file.write_text(json.dumps(document), encoding="utf-8")
    window = make_window()
    _open_with_dialog(window, dialogs, project_file)
    assert len(dialogs.warnings) == 1
    title, message = dialogs.warnings[0]
    assert title == "Cannot read the data file"
    assert "choose another in the Thousands separator box, or None." in message, message
    assert "--" not in message
