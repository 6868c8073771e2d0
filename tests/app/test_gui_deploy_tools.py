"""Each tab of the deploy page works from its own module: a tab, the page's ToolTasks on a
TaskRunner and a model are all it needs; its task's result comes back to it, and a failure
goes to the page's handler."""

import numpy as np
import pandas as pd
import pytest

from app.pages.deploy.batch_tab import BatchTab
from app.pages.deploy.calculator_tab import CalculatorTab
from app.pages.deploy.directional_tab import DirectionalTab
from app.pages.deploy.export_tab import ExportTab
from app.pages.deploy.forecast_tab import ForecastTab
from app.pages.deploy.page import read_model
from app.pages.deploy.tasks import ToolTasks
from app.session import ProjectSession
from app.workers import TaskRunner
from engine.deploy.calculator import calculate, calculator_rows
from engine.deploy.forecasting import forecast
from engine.figures import number
from engine.words import counted
from helpers.models import seasonal_frame
from helpers.projects import trained_project


@pytest.fixture
def deployed(tmp_path, qtbot):
    """``(session, tasks, failures, model, fitted)`` of a briefly trained project."""
    csv = tmp_path / "series.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)
    _, path, _ = trained_project(csv, tmp_path, max_epochs=5)
    session = ProjectSession()
    session.open(path)
    failures = []
    runner = TaskRunner()
    tasks = ToolTasks(runner, failures.append)
    model, fitted = read_model(session.trained_model())
    yield session, tasks, failures, model, fitted
    runner.stop_and_wait()


def finish(qtbot, tasks):
    qtbot.waitUntil(lambda: not tasks.running, timeout=20000)


def shown(qtbot, deployed, *kinds):
    """A tab of each of ``kinds`` on ``deployed``'s session, showing its model."""
    session, tasks, _, model, fitted = deployed
    tabs = [kind(session, tasks) for kind in kinds]
    for tab in tabs:
        qtbot.addWidget(tab)
        tab.show_model(model, fitted)
    return tabs


def test_the_forecast_tab(deployed, qtbot):
    session, tasks, failures, model, fitted = deployed
    tab = ForecastTab(session, tasks)
    qtbot.addWidget(tab)
    tab.show_model(model, fitted)
    assert tab.plot.empty and tab.plot._message.text() == "No forecast yet: press Forecast"
    tab.steps.setValue(3)
    with qtbot.waitSignal(tab.forecasted, timeout=20000):
        tab.run()
    expected = forecast(model, session.table.frame, 3, 0.9)
    np.testing.assert_allclose(tab.result.values, expected.values)
    assert tab.result.steps == expected.steps and tab.save_button.isEnabled()
    assert tab.notes.text().startswith(f"{expected.steps} step")
    tab.show_model(None, None)
    assert tab.result is None and tab.model is None and not failures


def test_the_calculator_and_directional_tabs(deployed, qtbot):
    session, tasks, failures, model, fitted = deployed
    calculator = CalculatorTab(session, tasks)
    directional = DirectionalTab(session, tasks, calculator)
    for tab in (calculator, directional):
        qtbot.addWidget(tab)
        tab.show_model(model, fitted)
    assert calculator.table.rowCount() == fitted.lookback + fitted.lag
    assert directional.plot.empty and directional.plot._message.text() == (
        "Press Show to see the output along the input's range")
    calculator.calculate()
    finish(qtbot, tasks)
    expected = calculate(model, calculator.values()).values[0, 0]
    assert calculator.outputs.item(0, 0).text() == number(expected, 6)
    directional.vary.setCurrentText("y")
    directional.run()
    finish(qtbot, tasks)
    assert directional.result is not None and directional.result.input_name == "y"
    assert len(directional.curve.getData()[0]) == 41 and not failures


def test_the_calculator_reads_every_digit_of_the_cells_it_filled(deployed, qtbot):
    """The table shows six digits; an untouched cell is calculated with the data's own
    value (a meter of 12,201,821 would otherwise be read as 1.22018e+07), an edited one
    with what was typed."""
    session, tasks, failures, model, fitted = deployed
    calculator = CalculatorTab(session, tasks)
    qtbot.addWidget(calculator)
    session.table.frame["y"] = session.table.frame["y"] * 1e4 + 12_201_821.37
    calculator.show_model(model, fitted)
    rows, _ = calculator_rows(model, session.table.frame)
    item = calculator.table.item(0, 0)
    assert item.text() == f"{rows.iloc[0, 0]:.6g}" != repr(float(rows.iloc[0, 0]))
    assert calculator.values()["y"] == [repr(float(v)) for v in rows["y"]]
    item.setText("5")
    assert calculator.values()["y"][0] == "5"
    assert not failures


def test_reset_to_the_data_shows_the_data_s_outputs_again(deployed, qtbot):
    """Reset puts the data's rows back and their outputs with them: the outputs of the
    edited rows stayed beside the data's rows (847.889 beside a table that gives
    446.586)."""
    session, tasks, failures, model, fitted = deployed
    calculator, = shown(qtbot, deployed, CalculatorTab)
    calculator.calculate()
    finish(qtbot, tasks)
    data_output = calculator.outputs.item(0, 0).text()
    last = calculator.table.rowCount() - 1
    calculator.table.item(last, 0).setText("900")
    calculator.calculate_button.click()
    finish(qtbot, tasks)
    assert calculator.outputs.item(0, 0).text() != data_output
    calculator.reset_button.click()
    finish(qtbot, tasks)
    assert calculator.values() == calculator_values(model, session)
    assert calculator.outputs.item(0, 0).text() == data_output and not failures


def calculator_values(model, session):
    """The calculator's table as the data's latest rows fill it, as ``values()`` reads
    it: every digit of each value."""
    rows, _ = calculator_rows(model, session.table.frame)
    return {name: [repr(float(v)) for v in rows[name]] for name in rows.columns}


def test_the_batch_and_export_tabs(deployed, qtbot, dialogs, tmp_path):
    session, tasks, failures, model, fitted = deployed
    batch, exports = shown(qtbot, deployed, BatchTab, ExportTab)
    dialogs.open_paths.append(session.project.data_file())
    dialogs.save_paths.append(tmp_path / "predicted.csv")
    batch.button.click()
    finish(qtbot, tasks)
    assert batch.message.text().startswith("Wrote 97 rows, 1 of them after the file")
    assert "y_predicted" in pd.read_csv(tmp_path / "predicted.csv").columns
    dialogs.save_paths.append(tmp_path / "copy.model.npz")
    exports.buttons["model"].click()
    finish(qtbot, tasks)
    assert "copy.model.npz" in exports.message.text() and not failures

    other = tmp_path / "other.csv"                      # a file without the model's columns
    other.write_text("month,z\n2020-01-01,1\n")
    dialogs.open_paths.append(other)
    dialogs.save_paths.append(tmp_path / "never.csv")
    batch.button.click()
    finish(qtbot, tasks)
    assert len(failures) == 1 and "'y'" in failures[0]
    assert not (tmp_path / "never.csv").exists()


def test_values_far_outside_the_training_values_are_noted_on_the_tabs(deployed, qtbot,
                                                                     dialogs, tmp_path):
    """Predicting a file, forecasting and calculating from values 100 times larger than
    the training values say so on the tab itself (no dialog); the data itself does not."""
    session, tasks, failures, model, fitted = deployed
    batch, calculator = BatchTab(session, tasks), CalculatorTab(session, tasks)
    forecasts = ForecastTab(session, tasks)
    far = "Values far outside those the model was trained on: y in "
    scaled = tmp_path / "scaled.csv"
    pd.read_csv(session.project.data_file()).assign(y=lambda f: f["y"] * 100).to_csv(
        scaled, index=False)
    for tab in (batch, calculator, forecasts):
        qtbot.addWidget(tab)
        tab.show_model(model, fitted)
    for source, noted in ((session.project.data_file(), False), (scaled, True)):
        dialogs.open_paths.append(source)
        dialogs.save_paths.append(tmp_path / f"predicted_{noted}.csv")
        batch.button.click()
        finish(qtbot, tasks)
        assert batch.message.text().startswith("Wrote 97 rows")
        assert (far in batch.message.text()) is noted
    session.table.frame["y"] = session.table.frame["y"] * 100
    calculator.fill()
    calculator.calculate()
    finish(qtbot, tasks)
    assert calculator.notes.text().startswith(far)
    with qtbot.waitSignal(forecasts.forecasted, timeout=20000):
        forecasts.run()
    assert far in forecasts.notes.text()
    assert not failures and not dialogs.warnings


def test_a_batch_prediction_from_filled_in_values_says_so_on_the_tab(deployed, qtbot,
                                                                     dialogs, tmp_path):
    """Rows predicted from a value the model filled in for an empty cell are counted on the
    tab, as the command line prints them (the same engine call writes the file)."""
    session, tasks, failures, model, fitted = deployed
    (batch,) = shown(qtbot, deployed, BatchTab)
    holed = tmp_path / "holed.csv"
    frame = pd.read_csv(session.project.data_file())
    frame.loc[30, "y"] = np.nan
    frame.to_csv(holed, index=False)
    dialogs.open_paths.append(holed)
    dialogs.save_paths.append(tmp_path / "predicted.csv")
    batch.button.click()
    finish(qtbot, tasks)
    flags = pd.read_csv(tmp_path / "predicted.csv")["read_filled_in"]
    assert f"Predictions in {int(flags.sum())} rows were made from windows that read " \
           "values the model made up: 1 empty number cell" in batch.message.text()
    assert not failures and not dialogs.warnings


def test_an_export_that_cannot_be_written_says_so_and_writes_no_longer(deployed, qtbot,
                                                                       dialogs, tmp_path):
    from app.pages.deploy.export_tab import EXPORT_NOTE

    session, tasks, failures, model, fitted = deployed
    exports = ExportTab(session, tasks)
    qtbot.addWidget(exports)
    exports.show_model(model, fitted)
    dialogs.save_paths.append(tmp_path / "no such folder" / "model.onnx")
    exports.buttons["onnx"].click()
    finish(qtbot, tasks)
    assert len(failures) == 1 and "no such folder" in failures[0]
    assert exports.message.text() == EXPORT_NOTE


def test_a_cell_of_text_is_named_and_the_old_outputs_go(deployed, qtbot):
    session, tasks, failures, model, fitted = deployed
    calculator = CalculatorTab(session, tasks)
    qtbot.addWidget(calculator)
    calculator.show_model(model, fitted)
    calculator.calculate()
    finish(qtbot, tasks)
    assert calculator.outputs.rowCount() == 1
    calculator.table.item(2, 0).setText("abc")
    calculator.calculate()
    finish(qtbot, tasks)
    assert failures == ["Row 3 of column 'y' holds 'abc', which is no number; type a "
                        "number there."]
    assert calculator.outputs.rowCount() == 0


def test_an_untouched_cell_without_a_value_is_sent_as_empty(deployed, qtbot):
    """A cell shown as "–" (no value) that the user leaves alone is a missing value for the
    engine, not the text "–" or "nan"."""
    import pandas as pd

    session, tasks, failures, model, fitted = deployed
    calculator = CalculatorTab(session, tasks)
    qtbot.addWidget(calculator)
    calculator.show_rows(pd.DataFrame({"y": [1.5, float("nan"), 2.5]}), ["a", "b", "c"])
    assert calculator.table.item(1, 0).text() == "–"
    assert calculator.values() == {"y": ["1.5", "", "2.5"]}


def test_the_files_written_end_in_csv_and_never_replace_the_data(deployed, qtbot, dialogs,
                                                                 tmp_path):
    """A name typed without .csv gets it; a name that is then the file being read (the
    predicted file, or the project's data for a forecast) is refused with a warning, and
    the file stays as it was."""
    session, tasks, failures, model, fitted = deployed
    batch, forecasts = shown(qtbot, deployed, BatchTab, ForecastTab)
    data = session.project.data_file()
    before = data.read_bytes()
    dialogs.open_paths.append(data)
    dialogs.save_paths.append(tmp_path / "predicted")
    batch.button.click()
    finish(qtbot, tasks)
    assert "y_predicted" in pd.read_csv(tmp_path / "predicted.csv").columns
    assert not (tmp_path / "predicted").exists()
    dialogs.open_paths.append(data)
    dialogs.save_paths.append(str(data)[:-len(".csv")])
    batch.button.click()
    finish(qtbot, tasks)
    forecasts.steps.setValue(2)
    with qtbot.waitSignal(forecasts.forecasted, timeout=20000):
        forecasts.run()
    dialogs.save_paths.append(data)
    forecasts.save()
    finish(qtbot, tasks)
    assert [title for title, _ in dialogs.warnings] == ["Choose another file"] * 2
    assert all("data file being read" in text for _, text in dialogs.warnings)
    assert data.read_bytes() == before and not failures


def test_no_tab_writes_over_the_projects_data_file(deployed, qtbot, dialogs, tmp_path,
                                                   monkeypatch):
    """A batch prediction of another file, chosen to be written to the project's data
    file, is refused with a warning, as a saved forecast is; so is an export."""
    session, tasks, failures, model, fitted = deployed
    batch, exports = shown(qtbot, deployed, BatchTab, ExportTab)
    data = session.project.data_file()
    before = data.read_bytes()
    other = tmp_path / "newer.csv"
    other.write_bytes(before)
    dialogs.open_paths.append(other)
    dialogs.save_paths.append(data)
    batch.button.click()
    finish(qtbot, tasks)
    assert dialogs.warnings and dialogs.warnings[-1][0] == "Choose another file"
    assert "is the project's data file being read" in dialogs.warnings[-1][1]
    assert data.read_bytes() == before and batch.message.text() == ""
    module = tmp_path / "data.py"                       # a data file of an export's name
    module.write_bytes(before)
    monkeypatch.setattr(session.project, "data_file", lambda: module)
    dialogs.save_paths.append(tmp_path / "data")
    exports.buttons["python"].click()
    finish(qtbot, tasks)
    assert len(dialogs.warnings) == 2 and module.read_bytes() == before and not failures


def test_the_clip_tooltip_names_no_command_line_option(qtbot):
    """"Not below 0"'s tooltip says what the box does on the page; the page names no
    command or option (it named "rnn-studio forecast --clip zero")."""
    tab = ForecastTab(ProjectSession(), ToolTasks(TaskRunner(), lambda message: None))
    qtbot.addWidget(tab)
    tip = tab.clip.toolTip()
    assert "zero" in tip and "--" not in tip and "studio" not in tip


def test_a_forecast_from_a_filled_in_value_says_so_on_the_tab(deployed, qtbot):
    """A forecast whose window read a value the model filled in for an empty cell is
    counted on the forecast tab, as the command line prints it (the same engine call)."""
    session, tasks, failures, model, fitted = deployed
    (forecasts,) = shown(qtbot, deployed, ForecastTab)
    session.table.frame.loc[len(session.table.frame) - 2, "x"] = np.nan
    forecasts.steps.setValue(3)
    with qtbot.waitSignal(forecasts.forecasted, timeout=20000):
        forecasts.run()
    finish(qtbot, tasks)
    assert forecasts.result.filled.any()
    assert (f"The forecasts of {counted(int(forecasts.result.filled.sum()), 'row')} were "
            "made from windows that read values the model made up: 1 empty number cell"
            ) in forecasts.notes.text()
    assert not failures


def test_a_forecast_saved_from_the_tab_is_the_file_the_command_line_writes(qtbot, dialogs,
                                                                          tmp_path):
    """Of a file of semicolons and decimal commas, Save forecast wrote commas and decimal
    points; it writes the file's own marks, as forecast does, byte for byte."""
    from engine.deploy.forecasting import forecast_file

    csv = tmp_path / "semicolons.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False, sep=";", decimal=",")
    _, path, _ = trained_project(csv, tmp_path, max_epochs=3)
    session = ProjectSession()
    session.open(path)
    runner = TaskRunner()
    tasks = ToolTasks(runner, [].append)
    model, fitted = read_model(session.trained_model())
    (tab,) = shown(qtbot, (session, tasks, [], model, fitted), ForecastTab)
    tab.steps.setValue(3)
    with qtbot.waitSignal(tab.forecasted, timeout=20000):
        tab.run()
    dialogs.save_paths.append(tmp_path / "saved.csv")
    tab.save()
    finish(qtbot, tasks)
    runner.stop_and_wait()
    forecast_file(model, csv, tmp_path / "written.csv", 3)
    saved = (tmp_path / "saved.csv").read_text()
    assert saved.splitlines()[0].count(";") == 3 and "," in saved.splitlines()[1]
    assert saved == (tmp_path / "written.csv").read_text()
