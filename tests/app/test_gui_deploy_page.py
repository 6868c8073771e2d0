"""The deploy page offscreen: a trained model's forecast plotted after the history with its
band and saved as CSV, the calculator and directional outputs, batch prediction and the
four exports, each through the dialogs a user would answer; the same numbers as the
engine's calls."""

import numpy as np
import pandas as pd
import pytest

from app.pages.deploy.page import DeployPage
from app.session import ProjectSession
from engine.figures import number
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.deploy.calculator import calculate, rows_needed
from engine.training.fitting import default_model_path, fit_project, record_fit, save_fit
from engine.deploy.forecasting import forecast
from engine.model.model_file import load_model
from engine.project.document import save_project


def monthly_csv(path, rows=84, future=0):
    """Monthly ``y`` (seasonal, with a trend) and an input ``x``; ``future`` rows at the
    end have ``x`` and an empty ``y``."""
    t = np.arange(rows + future)
    x = np.round(np.sin(2 * np.pi * t / 12 + 0.4), 4)
    y = np.round(50 + 0.3 * t + 8 * np.sin(2 * np.pi * t / 12) + 2 * x, 3)
    frame = pd.DataFrame({"month": pd.date_range("2015-01-01", periods=rows + future,
                                                 freq="MS").strftime("%Y-%m-%d"),
                          "y": y, "x": x})
    frame.loc[rows:, "y"] = np.nan
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def trained_session(tmp_path, qtbot):
    """A saved project with a briefly trained GRU (y from y and x), opened in a session."""
    csv = monthly_csv(tmp_path / "sales.csv", future=3)
    project, _ = automatic_project(AutomaticChoices(
        csv, ["y"], inputs=["x"], lookback=6, max_epochs=20, hidden_sizes=[8], folder=tmp_path,
        name="Sales"))
    project.selection.settings = {}
    result = fit_project(project)
    model_path = default_model_path(project)
    save_fit(result, model_path)
    record_fit(project, result, model_path)
    save_project(project, tmp_path / "sales.json")
    session = ProjectSession()
    session.open(tmp_path / "sales.json")
    return session


def wait_idle(qtbot, page):
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)


def forecast_shown(session, qtbot):
    """The deploy page of ``session`` once its first forecast is shown."""
    page = DeployPage(session)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.forecast.result is not None, timeout=20000)
    wait_idle(qtbot, page)
    return page


def curve_data(item):
    """The data given to a curve (all of it: what is drawn is clipped to the view)."""
    x, y = item.xData, item.yData
    return (np.array([]), np.array([])) if x is None else (np.asarray(x), np.asarray(y))


def test_forecast_is_plotted_after_the_history_and_saved(trained_session, qtbot, dialogs,
                                                         tmp_path):
    page = forecast_shown(trained_session, qtbot)
    # between the two: how much of the recurrent part the fit kept, when not all of it (a
    # choice by selection scores that the machine's floating point can tip either way)
    status = page.status.text()
    assert status.startswith("Model: the average of 5 GRU networks of 8 units, ")
    assert status.endswith("predicting y 1 step ahead from the last 6 rows of y, x "
                           "(Sales.model.npz).")
    model = load_model(trained_session.trained_model())
    expected = forecast(model, trained_session.table.frame, 12, 0.9)
    result = page.forecast.result
    # three future rows of x: the forecast reaches 4 rows, Steps offers no more, and the
    # page says why once (the forecast's note does not say it again)
    assert result.steps == expected.steps == 4
    assert page.forecast.steps.value() == page.forecast.steps.maximum() == 4
    assert page.forecast.reach.text().startswith(
        "At most 4 steps: the model reads the input x, and the file gives its future "
        "values for 3 rows after the last known target. Add rows")
    assert not page.forecast.reach.isHidden()
    note = page.forecast.notes.text()
    assert note.startswith("4 steps forecast, feeding each forecast back as the next input.")
    assert "steps asked" not in note and note.count("4 step") == 1
    history_x, history_y = curve_data(page.forecast.history_curve)
    forecast_x, forecast_y = curve_data(page.forecast.forecast_curve)
    np.testing.assert_allclose(forecast_y, expected.values[:, 0])
    assert len(history_x) == 84 and forecast_x[0] > history_x[-1]
    low_x, low_y = curve_data(page.forecast.interval.low)
    _, high_y = curve_data(page.forecast.interval.high)
    assert page.forecast.interval.band.isVisible() and len(low_x) == 4
    assert np.all(low_y < forecast_y) and np.all(forecast_y < high_y)

    page.forecast.level.setCurrentIndex(page.forecast.level.findData(0.8))
    page.forecast.steps.setValue(2)
    page.forecast.button.click()
    wait_idle(qtbot, page)
    dialogs.save_paths.append(tmp_path / "out" / "forecast")
    (tmp_path / "out").mkdir()
    page.forecast.save_button.click()
    wait_idle(qtbot, page)
    saved = pd.read_csv(tmp_path / "out" / "forecast.csv")
    assert list(saved.columns) == ["month", "y", "y_lower_80", "y_upper_80"]
    assert list(saved["month"]) == ["2022-01-01", "2022-02-01"]

    # one step: a bar with ends for its interval (no band), and the view stays on the
    # data (a band of one point would stretch the date axis back to 1970)
    page.forecast.steps.setValue(1)
    page.forecast.button.click()
    wait_idle(qtbot, page)
    assert "1 step forecast" in page.forecast.notes.text()
    forecast_x, _ = curve_data(page.forecast.forecast_curve)
    band_x, _ = curve_data(page.forecast.interval.low)
    month = forecast_x[0] - history_x[-1]
    bar = page.forecast.interval.bar
    assert len(band_x) == 0 and bar.isVisible()
    assert list(bar.opts["x"]) == [forecast_x[0]] and 0 < bar.opts["beam"] < month
    (left, right), _ = page.forecast.plot.getViewBox().childrenBounds()
    assert left >= history_x[0] - month and right <= forecast_x[0] + month
    assert not dialogs.warnings


def test_a_shortened_forecast_says_so_once(trained_session):
    """Asked for more steps than the inputs' future values allow (the command line, or
    the Python API), the note is the engine's, not a second sentence saying the same."""
    from app.pages.deploy.forecast_tab import forecast_note

    model = load_model(trained_session.trained_model())
    result = forecast(model, trained_session.table.frame, 12, 0.9)
    note = forecast_note(result)
    assert note.startswith("Forecast 4 of the 12 steps asked: the model reads the input x")
    assert note.count("Forecast 4") == 1 and "4 steps forecast" not in note
    assert "feeding each forecast" not in note


def test_the_clip_box_forecasts_again_within_the_data(trained_session, qtbot, dialogs):
    page = forecast_shown(trained_session, qtbot)
    tab = page.forecast
    assert tab.result.clip is None and not tab.clip.isChecked()     # not clipped unasked
    tab.clip.setChecked(True)
    qtbot.waitUntil(lambda: tab.result is not None and tab.result.clip == "zero",
                    timeout=20000)
    wait_idle(qtbot, page)
    assert ("The forecast and its interval are kept within the data's bounds: y at or "
            "above 0") in tab.notes.text()
    assert (tab.result.lower >= 0).all()
    # exponential smoothing reads only the target: no limit on the steps
    tab.method.setCurrentIndex(tab.method.findData("ets"))
    assert tab.steps.maximum() == 10000 and tab.reach.isHidden()
    tab.method.setCurrentIndex(tab.method.findData("network"))
    assert tab.steps.maximum() == 4 and not tab.reach.isHidden()


def test_the_forecast_shown_is_always_as_the_clip_box_says(trained_session, qtbot, dialogs):
    """While another task runs the box cannot be ticked: ticked, it forecast nothing (a
    forecast waits for the running task) and stood ticked over the unclipped forecast.
    Once the task ends, a tick forecasts again, clipped."""
    import threading

    from PySide6.QtCore import QPoint, Qt

    page = forecast_shown(trained_session, qtbot)
    page.show()
    tab = page.forecast
    release = threading.Event()
    page.tasks.start(release.wait, 20, done=lambda _: None)     # an export, say
    box = QPoint(8, tab.clip.height() // 2)                      # on the box itself
    qtbot.mouseClick(tab.clip, Qt.MouseButton.LeftButton, pos=box)
    release.set()
    wait_idle(qtbot, page)
    assert tab.result.clip == ("zero" if tab.clip.isChecked() else None)
    qtbot.mouseClick(tab.clip, Qt.MouseButton.LeftButton, pos=box)
    assert tab.clip.isChecked()
    qtbot.waitUntil(lambda: tab.result.clip == "zero", timeout=20000)
    wait_idle(qtbot, page)
    assert not dialogs.warnings


def test_calculator_directional_outputs_batch_and_exports(trained_session, qtbot, dialogs,
                                                          tmp_path):
    page = DeployPage(trained_session)
    qtbot.addWidget(page)
    page.refresh()
    wait_idle(qtbot, page)
    model = load_model(trained_session.trained_model())
    fitted = model.preprocessing
    table = page.calculator.table
    assert table.rowCount() == rows_needed(fitted) == 6
    assert [table.horizontalHeaderItem(c).text() for c in range(2)] == ["y", "x"]
    assert table.verticalHeaderItem(5).text() == "2021-12-01"
    # the outputs of the data's latest rows are there before anything is clicked
    latest = calculate(model, page.calculator.values()).values[0, 0]
    assert page.calculator.outputs.item(0, 0).text() == number(latest, 6)
    table.item(5, 1).setText("0.75")                  # the user edits the latest x
    page.calculator.calculate_button.click()
    wait_idle(qtbot, page)
    values = page.calculator.values()
    assert values["x"][5] == "0.75"
    expected = calculate(model, values).values[0, 0]
    assert page.calculator.outputs.item(0, 0).text() == number(expected, 6)

    page.directional.vary.setCurrentText("x")
    page.directional.button.click()
    wait_idle(qtbot, page)
    x, y = curve_data(page.directional.curve)
    column = trained_session.table.frame["x"]          # the data's range of x
    assert len(x) == 41 and x[0] == column.min() and x[-1] == pytest.approx(column.max())
    point_x, point_y = curve_data(page.directional.current_point)
    assert point_x[0] == 0.75 and point_y[0] == pytest.approx(expected)

    dialogs.open_paths.append(trained_session.project.data_file())
    dialogs.save_paths.append(tmp_path / "predicted.csv")
    page.batch.button.click()
    wait_idle(qtbot, page)
    assert "Wrote 87 rows" in page.batch.message.text()        # the file's 84 + 3 rows
    assert "y_predicted" in (tmp_path / "predicted.csv").read_text().splitlines()[0]

    for fmt, name in (("model", "copy.npz"), ("python", "sales_model.py"),
                      ("onnx", "sales.onnx"), ("torch", "sales_torch.npz")):
        dialogs.save_paths.append(tmp_path / name)
        page.exports.buttons[fmt].click()
        wait_idle(qtbot, page)
        assert (tmp_path / name).stat().st_size > 500
        assert name in page.exports.message.text()
    # PyTorch's weights named as the button names them ("state dict" in brackets only)
    assert page.exports.message.text() == f"Wrote the PyTorch weights to {tmp_path / name}."
    assert dialogs.file_requests[-1] == ("save", "Export PyTorch weights")
    assert page.exports.buttons["torch"].toolTip() == \
        "Write the trained model to a file: PyTorch weights (.npz)."
    assert [kind for kind, _ in dialogs.file_requests][-4:] == ["save"] * 4
    assert not dialogs.warnings


def test_errors_come_back_as_a_message_and_nothing_before_training(trained_session, qtbot,
                                                                   dialogs, tmp_path):
    page = DeployPage(trained_session)
    qtbot.addWidget(page)
    page.refresh()
    wait_idle(qtbot, page)
    other = tmp_path / "other.csv"
    other.write_text("month,z\n2020-01-01,1\n")
    dialogs.open_paths.append(other)
    dialogs.save_paths.append(tmp_path / "never.csv")
    page.batch.button.click()
    wait_idle(qtbot, page)
    assert dialogs.warnings and "'y'" in dialogs.warnings[0][1]
    assert not (tmp_path / "never.csv").exists()

    empty = ProjectSession()
    blank = DeployPage(empty)
    qtbot.addWidget(blank)
    blank.refresh()
    assert not blank.tabs.isEnabled()
    assert "Train the network first" in blank.status.text()


def test_stopped_tasks_leave_no_status_behind(qtbot, trained_session, monkeypatch):
    """Reading the model and forecasting that end with Cancelled (another project is
    opened) leave neither "Reading the model file..." nor "Forecasting..." on the page;
    the model is read again when the page is shown."""
    import time

    import app.pages.deploy.forecast_tab
    import app.pages.deploy.page
    from app.pages.deploy.forecast_tab import FORECASTING
    from app.pages.deploy.page import LOADING
    from engine.tasks import Cancelled

    def until_stopped(*args, task=None):
        while not task.cancelled:
            time.sleep(0.005)
        raise Cancelled()

    real = app.pages.deploy.page.read_model
    monkeypatch.setattr(app.pages.deploy.page, "read_model", until_stopped)
    page = DeployPage(trained_session)
    qtbot.addWidget(page)
    page.refresh()
    assert page.status.text() == LOADING
    with qtbot.waitSignal(page.runner.cancelled, timeout=5000):
        page.runner.stop()
    assert page.status.text() == "" and page.model is None
    monkeypatch.setattr(app.pages.deploy.page, "read_model", real)
    monkeypatch.setattr(app.pages.deploy.forecast_tab, "forecast", until_stopped)
    page.refresh()
    qtbot.waitUntil(lambda: page.model is not None, timeout=20000)
    assert page.forecast.notes.text() == FORECASTING and page.runner.running
    with qtbot.waitSignal(page.runner.cancelled, timeout=5000):
        page.runner.stop()
    assert page.forecast.notes.text() == "" and page.forecast.button.isEnabled()


def rows_height(table):
    """The height of ``table``'s header, rows and frame."""
    return (table.horizontalHeader().height() + 2 * table.frameWidth()
            + sum(table.rowHeight(r) for r in range(table.rowCount())))


def test_the_calculator_tables_are_as_tall_as_their_rows(trained_session, qtbot):
    """At 1400x900 the six rows the network reads and the one output show whole, in
    tables no taller than their rows (and a few pixels), the outputs beside the rows;
    not frames reaching down the page with nothing in them."""
    page = DeployPage(trained_session)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.refresh()
    wait_idle(qtbot, page)
    page.tabs.setCurrentWidget(page.calculator)
    calculator = page.calculator
    qtbot.waitUntil(lambda: calculator.outputs.rowCount() == 1)
    qtbot.wait(50)
    for table in (calculator.table, calculator.outputs):
        assert rows_height(table) <= table.height() <= rows_height(table) + 8
        assert table.verticalScrollBar().maximum() == 0         # every row in sight
    assert calculator.columns.is_side_by_side()
    assert calculator.outputs.mapTo(calculator, calculator.outputs.rect().topLeft()).x() \
        > calculator.table.mapTo(calculator, calculator.table.rect().topRight()).x()
    assert calculator.height() > 2 * calculator.table.height()


def test_the_introduction_speaks_of_intervals_only_for_a_method_that_gives_them(
        window, tmp_path, qtbot):
    """Step 7's introduction for one series says the forecast comes with its intervals
    but for a linear autoregression chosen in the Method box, which gives none."""
    csv = monthly_csv(tmp_path / "sales.csv")
    project, _ = automatic_project(AutomaticChoices(
        csv, ["y"], inputs=["x"], lookback=6, max_epochs=2, hidden_sizes=[4],
        folder=tmp_path, name="Sales"))
    project.selection.settings = {}
    result = fit_project(project)
    save_fit(result, default_model_path(project))
    record_fit(project, result, default_model_path(project))
    save_project(project, tmp_path / "sales.json")
    assert window.open_project(str(tmp_path / "sales.json")) and window.go_to_step(6)
    page = window.pages[6]
    qtbot.waitUntil(lambda: page.forecast.result is not None and not page.runner.running,
                    timeout=20000)
    explanation = window.frames[6].explanation
    said = "the next steps after the end of the data with their intervals, <b>predict</b>"
    assert said in explanation.text()
    for method in ("ets", "theta"):
        page.forecast.method.setCurrentIndex(page.forecast.method.findData(method))
        assert said in explanation.text()
    page.forecast.method.setCurrentIndex(page.forecast.method.findData("linear"))
    assert ("the end of the data by a linear autoregression (it gives no intervals), "
            "<b>predict</b>") in explanation.text()
    assert "with their intervals" not in explanation.text()


def test_the_forecast_band_covers_the_whole_forecast_after_a_zoom(trained_session, qtbot):
    """The shaded interval follows the view: drawn while the plot showed the last two
    forecast steps (the curves clipped to them), it covers all four once the view shows them
    all (it stayed on the two steps in view when drawn)."""
    page = forecast_shown(trained_session, qtbot)
    tab = page.forecast
    x, _ = curve_data(tab.forecast_curve)
    assert tab.interval.drawn == "band" and len(x) == 4
    tab.view.set_x_range(x[-2], x[-1])
    qtbot.wait(50)
    tab.show_target()                   # drawn again while two steps are in view
    tab.view.show_all()
    qtbot.wait(50)
    drawn = tab.interval.band.path().boundingRect()
    assert drawn.left() == pytest.approx(x[0]) and drawn.right() == pytest.approx(x[-1])
