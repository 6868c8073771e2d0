"""The flows between the pages: model selection's "Apply and train", the "!" marks that say
what changed, recent projects on the start page, file dialogs that remember the last folder,
the training settings locked while a network trains, the drawing of the real lookback."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from app import file_dialogs
from app.session import DONE, STALE
from engine import EngineError
from engine.project.document import new_project, save_project
from engine.project.model_status import CURRENT, model_status
from engine.selection import SearchResult, TrialRow, record_search

SELECTION_STEP = 4


def trained_window(window, gui, qtbot, tmp_path, csv, **settings):
    """A project made through the pages (hidden=(4,) unless given) and trained briefly."""
    gui.ready_project(window, tmp_path / "project", csv, **settings)
    gui.train_briefly(window, qtbot)
    assert window.session.step_states()[3] == DONE
    return window


def units_search(project):
    """A stored search over the number of units: 2 units chosen, 4 (the project's)."""
    rows = [TrialRow(k, {"hidden_sizes": [units]}, f"{units} units", float(k),
                     current=units == 4, training_error=1.0, selection_error=error,
                     selection_score=error, runs=[{"repeat": 0, "seconds": 0.1}])
            for k, (units, error) in enumerate([(2, 0.5), (4, 0.9)])]
    result = SearchResult("neurons", "one-step RMSE", ["Temperatur"], rows)
    result.choose()
    record_search(project, result)
    return result


def test_apply_and_train_applies_the_chosen_settings_and_trains_them(
        window, gui, qtbot, tmp_path, semicolon_csv):
    trained_window(window, gui, qtbot, tmp_path, semicolon_csv)
    training = window.pages[3]
    units_search(window.session.project)
    assert window.go_to_step(SELECTION_STEP)
    page = window.pages[SELECTION_STEP]
    assert page.apply_button.isEnabled()
    assert gui.plain(page.apply_button.text()) == "Apply and train trial 1 (the chosen one)"
    before = window.session.project.results.training["fingerprint"]
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    assert window.session.project.architecture.hidden_sizes == [2]
    assert window.current_step() == 3 and training.runner.running    # the page's own start
    assert not training.settings_box.isEnabled()
    assert not page.apply_button.isEnabled()        # nothing is applied while it trains
    assert "training at step 4" in page.apply_button.toolTip()
    assert "until the training that runs at step 4 ends" in window.frames[3].notice.text()
    qtbot.waitUntil(lambda: not training.runner.running, timeout=60000)
    assert not window.frames[3].notice.isVisibleTo(window.frames[3])
    project = window.session.project
    assert model_status(project) == CURRENT and project.results.training["fingerprint"] != before
    assert window.session.step_states()[3] == DONE
    assert training.progress_label.text().startswith("Finished")
    assert training.settings_box.isEnabled()
    assert project.selection.search["neurons"]["applied"] == 0
    assert page.apply_button.isEnabled()
    marks = [page.table.item(r, page.table.columnCount() - 1).text()
             for r in range(page.table.rowCount())]
    assert "current" not in " ".join(marks) and "applied" in marks[0]


def test_an_edit_during_the_training_is_what_the_out_of_date_step_names(
        window, gui, qtbot, tmp_path, semicolon_csv):
    """Compared with the settings the new model was trained with, not the model before."""
    trained_window(window, gui, qtbot, tmp_path, semicolon_csv)
    training, architecture = window.pages[3], window.pages[2]
    architecture.units[0].setValue(2)
    training.start()
    architecture.units[0].setValue(4)           # as the model before: not as the new one
    qtbot.waitUntil(lambda: not training.runner.running, timeout=60000)
    assert window.session.step_states()[3] == STALE
    assert "the architecture (step 3) changed" in window.steps.item(3).toolTip()


def test_an_out_of_date_step_says_what_changed_and_what_to_redo(
        window, gui, qtbot, tmp_path, semicolon_csv):
    trained_window(window, gui, qtbot, tmp_path, semicolon_csv)
    for row in (3, 5, 6):
        assert not window.frames[row].notice.isVisibleTo(window.frames[row])
    architecture = window.pages[2]
    assert window.go_to_step(2)
    architecture.units[0].setValue(5)
    states = window.session.step_states()
    assert [states[row] for row in (3, 5, 6)] == [STALE] * 3
    tip = window.steps.item(3).toolTip()
    assert "the architecture (step 3) changed" in tip and "Start training" in tip
    assert "Train again at step 4" in window.steps.item(5).toolTip()
    assert window.go_to_step(3)
    frame = window.frames[3]
    assert frame.notice.isVisible() and frame.notice.text() == tip
    window.pages[3].max_epochs.setValue(4)
    assert ("the architecture (step 3) and the training settings (step 4)"
            in window.steps.item(6).toolTip())
    architecture.units[0].setValue(4)               # back as trained: only the training
    assert "the training settings (step 4) changed" in window.frames[6].notice.text()
    window.pages[3].max_epochs.setValue(2)
    assert window.session.step_states()[3] == DONE
    assert window.steps.item(3).toolTip().startswith("Training adjusts the weights")
    assert not window.frames[6].notice.text()


def test_a_recent_project_opens_with_one_click_and_shows_its_name(window, qtbot, tmp_path):
    path = tmp_path / "work" / "p1.json"
    path.parent.mkdir()
    save_project(new_project("Daily load", path.parent), path)
    window._remember(tmp_path / "gone" / "old.json")
    window._remember(path)
    window.show_start()
    recent = window.start_page.recent
    assert recent.item(0).text().startswith("Daily load\n")
    assert recent.item(1).text().startswith("old.json (not found)")
    rect = recent.visualItemRect(recent.item(0))
    qtbot.mouseClick(recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.path == path and window.stack.currentWidget() is not window.start_page


def test_every_file_dialog_opens_in_the_last_folder_also_after_a_restart(
        make_window, tmp_path, monkeypatch):
    chosen = tmp_path / "elsewhere"
    chosen.mkdir()
    calls = []

    def fake(kind, answer):
        def dialog(parent, caption, start="", *args):
            calls.append((kind, start))
            return answer
        return staticmethod(dialog)

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        fake("open", (str(chosen / "data.csv"), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake("save", ("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", fake("folder", ""))
    window = make_window()
    window.new_project()
    window.pages[0]._browse()                      # nothing chosen yet: the page's default
    assert calls[-1][1] == window.pages[0].folder.text()
    assert file_dialogs.open_file_name(window, "Load data file", str(tmp_path))[0]
    window.pages[0]._browse()
    assert calls[-1] == ("folder", str(chosen))
    file_dialogs.save_file_name(window, "Export", str(tmp_path / "model.npz"))
    assert calls[-1] == ("save", str(chosen / "model.npz"))
    window.settings.sync()
    restarted = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    file_dialogs.use_settings(restarted)
    window.open_project_dialog()
    assert calls[-1] == ("open", str(chosen))


def test_training_settings_are_locked_while_the_network_trains(
        window, gui, qtbot, tmp_path, semicolon_csv, monkeypatch, dialogs):
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv, max_epochs=100000)
    assert page.settings_box.isEnabled()
    page.start_button.click()
    assert not page.settings_box.isEnabled() and "locked" in page.settings_box.title()
    with qtbot.waitSignal(page.runner.running_changed, timeout=60000):
        page.stop_button.click()
    assert page.settings_box.isEnabled() and page.settings_box.title() == "Training settings"

    def failing(*args, **kwargs):
        raise EngineError("The data cannot be trained.")

    import app.pages.training_page
    monkeypatch.setattr(app.pages.training_page, "train_project", failing)
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=10000)
    assert dialogs.warnings and page.settings_box.isEnabled()


def test_the_network_drawing_shows_the_lookback(window, gui, tmp_path, semicolon_csv):
    from app.widgets.network_drawing import ELLIPSIS, step_labels

    assert step_labels(1) == ["t"]
    assert step_labels(5) == ["t-4", "t-3", "t-2", "t-1", "t"]
    assert step_labels(12) == ["t-11", ELLIPSIS, "t-2", "t-1", "t"]
    gui.ready_project(window, tmp_path / "project", semicolon_csv, lookback=12)
    assert window.go_to_step(2)
    drawing = window.pages[2].drawing
    assert drawing.lookback == 12 and drawing.columns() == step_labels(12)
    assert not drawing.grab().isNull()
    window.pages[1].lookback.setValue(4)
    assert window.go_to_step(2)
    assert drawing.columns() == ["t-3", "t-2", "t-1", "t"]


def test_no_page_opens_a_file_dialog_of_its_own():
    """Every file dialog goes through app.file_dialogs (which remembers the folder)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    direct = [str(path.relative_to(root)) for path in sorted(root.rglob("*.py"))
              if path.name != "file_dialogs.py" and "QFileDialog." in path.read_text()]
    assert direct == []
