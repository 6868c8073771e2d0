"""The whole first half of the workflow driven through the window as a user would: a new
project, a CSV through the file dialog and the import dialog, roles, lookback and split, an
architecture, a training stopped in the middle, save and reopen."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.session import DONE, LOCKED, TODO
from engine.project.document import project_file_name


def test_new_project_to_trained_model_and_back(window, dialogs, gui, qtbot, tmp_path,
                                               semicolon_csv):
    session = window.session
    project_page, data_page, architecture_page, training_page = window.pages[:4]

    # -- step 1: a new project from the start page ------------------------------------------
    qtbot.mouseClick(gui.button(window.start_page, "New project"), Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.frames[0]
    folder = tmp_path / "projects" / "load"
    qtbot.keyClicks(project_page.name, "Load forecast")
    project_page.folder.clear()
    qtbot.keyClicks(project_page.folder, str(folder))
    project_page.description.setPlainText("Daily load from the temperature.")
    qtbot.mouseClick(project_page.create_button, Qt.MouseButton.LeftButton)
    project_file = folder / project_file_name("Load forecast")
    assert project_file.exists()
    assert session.path == project_file
    assert window.current_step() == 1                   # on to the data set
    assert "Load forecast" in window.windowTitle()
    states = session.step_states()
    assert states[0] == DONE and states[1] == TODO and states[2:4] == [LOCKED, LOCKED]

    # -- step 2: the CSV through the file dialog and the import dialog ----------------------
    dialogs.open_paths.append(semicolon_csv)
    seen = {}

    def import_as_user(dialog):
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["detected"] = (dialog.delimiter.currentData(), dialog.decimal.currentData(),
                            dialog.header.isChecked(), dialog.time_column.currentData())
        seen["columns"] = [dialog.preview.horizontalHeaderItem(c).text()
                           for c in range(dialog.preview.columnCount())]
        seen["first"] = dialog.preview.item(0, 1).text()
        # a wrong delimiter: the preview is read again and no longer has three columns
        dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(","))
        seen["comma"] = (dialog.preview.columnCount(),
                         [dialog.preview.horizontalHeaderItem(c).text()
                          for c in range(dialog.preview.columnCount())], ok.isEnabled())
        dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(";"))
        seen["back"] = (dialog.preview.columnCount(), dialog.decimal.currentData(),
                        ok.isEnabled())
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    gui.run_modal(qtbot, import_as_user,
                  lambda: qtbot.mouseClick(gui.button(data_page, "Load CSV"),
                                           Qt.MouseButton.LeftButton))
    assert seen["detected"] == (";", ",", True, "Datum")
    assert seen["columns"] == ["Datum", "Temperatur", "Last"]
    assert "," not in seen["first"] and abs(float(seen["first"]) - 10) < 3   # 10,xx read
    assert seen["comma"][1] != ["Datum", "Temperatur", "Last"]   # the preview changed
    assert seen["back"] == (3, ",", True)
    assert session.table is not None and list(session.table.frame.columns) == \
        ["Datum", "Temperatur", "Last"]
    assert session.project.data_file() == semicolon_csv
    assert data_page.variables.rowCount() == 3

    # no target yet: Next is disabled and the problem is said where it is
    assert not window.next_button.isEnabled()
    assert "target" in data_page.problems.text().lower()
    assert session.step_states()[2] == LOCKED
    gui.set_role(data_page, "Temperatur", "input_target")
    assert window.next_button.isEnabled()
    assert "ready" in data_page.problems.text()
    assert session.config().targets[0].name == "Temperatur"

    data_page.lookback.setValue(6)
    data_page.fractions[0].setValue(70)
    data_page.fractions[1].setValue(15)
    data_page.fractions[2].setValue(15)
    config = session.config()
    assert config.lookback == 6
    assert [round(f, 3) for f in config.split.fractions] == [0.7, 0.15, 0.15]
    counts = data_page.timeline.summary.counts
    assert counts["training"] > counts["selection"] > 0 and counts["testing"] > 0
    assert window.isWindowModified()

    # -- step 3: the architecture -------------------------------------------------------------
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_step() == 2
    before = architecture_page.parameters.text()
    architecture_page.cell.setCurrentIndex(architecture_page.cell.findData("lstm"))
    architecture_page.layers.setValue(2)
    architecture_page.units[0].setValue(8)
    architecture_page.units[1].setValue(4)
    after = architecture_page.parameters.text()
    assert after != before
    assert "configure the data set first" not in after      # counted for 2 inputs, 1 output
    assert session.project.architecture.cell == "lstm"
    assert session.project.architecture.hidden_sizes == [8, 4]
    assert architecture_page.drawing.hidden_sizes == [8, 4]

    # -- step 4: train, watch the plots, stop in the middle ----------------------------------
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_step() == 3
    training_page.max_epochs.setValue(20000)     # cannot finish before the Stop below
    training_page.patience.setValue(0)           # no early stopping either
    training_page.batch_size.setValue(64)
    assert session.project.training.max_epochs == 20000
    qtbot.mouseClick(training_page.start_button, Qt.MouseButton.LeftButton)
    assert training_page.runner.running
    assert not training_page.start_button.isEnabled() and training_page.stop_button.isEnabled()
    lengths = []

    def curve_length():
        return gui.curve_length(training_page.training_curve)

    qtbot.waitUntil(lambda: curve_length() >= 3, timeout=20000)
    lengths.append(curve_length())
    qtbot.waitUntil(lambda: curve_length() > lengths[0], timeout=20000)   # still growing
    assert training_page.progress.value() > 0
    assert training_page.progress.maximum() == 20000
    qtbot.mouseClick(training_page.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not training_page.runner.running, timeout=20000)
    assert training_page.start_button.isEnabled() and not training_page.stop_button.isEnabled()
    summary = session.project.results.training
    assert summary["stop_reason"].startswith("Stopped by the user")
    assert f"The weights of epoch {summary['best_epoch']} were kept" in summary["stop_reason"]
    assert 1 <= summary["best_epoch"] <= summary["epochs"] < 20000
    assert "Stopped by the user" in training_page.result.text()
    assert session.step_states()[3] == DONE
    model_file = session.project.model_file()
    assert session.trained_model() is not None and session.trained_model().exists()
    assert not model_file.exists()            # the saved project keeps its model until Save
    assert not dialogs.warnings

    # -- save, then open it in a new window ----------------------------------------------------
    window.save_action.trigger()
    assert model_file.exists() and session.trained_model() == model_file
    assert not window.isWindowModified() and not session.dirty
    expected = session.project.to_document()

    other = type(window)(settings=window.settings)
    qtbot.addWidget(other)
    other.show()
    dialogs.open_paths.append(project_file)
    open_action = [a for a in other.menuBar().actions()[0].menu().actions()
                   if a.text().startswith("&Open Project")][0]
    open_action.trigger()
    reopened = other.session
    assert reopened.path == project_file
    assert reopened.project.to_document() == expected
    config = reopened.config()
    roles = {v.name: v.role for v in config.variables}
    kept = "Last" in reopened.project.selection.summary["chosen"]["inputs"]  # step 4 chose
    assert roles == {"Datum": "time", "Temperatur": "input_target",
                     "Last": "input" if kept else "unused"}
    assert config.lookback == 6
    assert [round(f, 3) for f in config.split.fractions] == [0.7, 0.15, 0.15]
    assert reopened.project.architecture.cell == "lstm"
    assert reopened.project.architecture.hidden_sizes == [8, 4]
    assert reopened.step_states()[:4] == [DONE, DONE, DONE, DONE]
    assert other.current_step() == 3                      # opens at the training step
    other_data, other_architecture, other_training = other.pages[1:4]
    assert other_training.max_epochs.value() == 20000
    assert other_training.patience.value() == 0
    assert other_training.batch_size.value() == 64
    assert "Stopped by the user" in other_training.result.text()
    other.steps.setCurrentRow(1)                          # the user clicks step 2
    assert other.current_step() == 1
    assert other_data.lookback.value() == 6
    assert [s.value() for s in other_data.fractions] == [70, 15, 15]
    assert other_data.variables.cellWidget(1, 2).currentData() == "input_target"
    other.steps.setCurrentRow(2)
    assert other_architecture.cell.currentData() == "lstm"
    assert other_architecture.layers.value() == 2
    assert [s.value() for s in other_architecture.units[:2]] == [8, 4]
    assert other_architecture.parameters.text() == after if kept else \
        "of which 6 in the linear path over 6 steps" in other_architecture.parameters.text()
    assert not other.isWindowModified() and not other.session.dirty   # looking changes nothing
    assert not dialogs.warnings
    # the reopened model is tested in the background (step 6), and a window with work
    # running asks before it closes
    qtbot.waitUntil(lambda: not any(page.runner.running for page in other.pages[3:]),
                    timeout=60000)
    assert other.close()
