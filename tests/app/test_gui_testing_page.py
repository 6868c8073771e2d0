"""The test-results page: it tests the session's trained model in the background, shows
the engine's figures in its tables and plots, and saves the HTML report."""

import re
from html.parser import HTMLParser

import numpy as np
import pytest

from helpers.models import seasonal_frame
from helpers.pages import cut_titles
from helpers.projects import trained_project


@pytest.fixture
def trained_session(tmp_path):
    from app.session import ProjectSession

    csv = tmp_path / "series.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)
    _, path, result = trained_project(csv, tmp_path, test_from="2019-01-01", max_epochs=20)
    session = ProjectSession()
    session.open(path)
    return session, result


def shown(page, value):
    """``value`` as the errors table of ``page`` shows it: to the table's digits."""
    from engine.testing.report import error_digits, error_rows, format_number

    return format_number(value, error_digits(error_rows(page.analysis, 0))["rmse"])


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])


def test_the_page_shows_the_analysis_and_saves_the_report(qtbot, dialogs, trained_session,
                                                        tmp_path):
    from app.pages.testing_page import TestingPage

    session, result = trained_session
    page = TestingPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    assert not page.save_button.isEnabled()
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.refresh()
    analysis = page.analysis
    assert analysis is not None and page.save_button.isEnabled()
    assert "Tested on 12 rows from row 84 (2019-01-01)" in page.status.text()
    # the one-step RMSE in the table is the fit's own testing score
    assert page.errors.item(0, 0).text() == "one step ahead"
    assert page.errors.item(0, 1).text() == shown(page, result.scores['testing'].rmse[0])
    assert page.errors.item(page.errors.rowCount() - 1, 0).text().startswith("recursive")
    persistence = float(analysis.direct_baselines[0]["persistence"].rmse[0])
    assert page.errors.item(0, 6).text() == shown(page, persistence)
    assert page.intervals.rowCount() == 3 and page.intervals.item(1, 0).text() == "90%"
    assert page.largest.rowCount() == 10
    assert abs(float(page.largest.item(0, 4).text())) == pytest.approx(
        np.nanmax(np.abs(analysis.one_step_errors)), rel=1e-3)
    # the plots hold the engine's values
    x, y = page.truth_curve.getData()
    np.testing.assert_allclose(y, analysis.one_step_truth[:, 0])
    _, rmse = page.horizon_curve.getData()
    np.testing.assert_allclose(rmse, analysis.horizon_rmse[:, 0])
    # under it, how many forecasts each step averages, beside the recursive row's (the
    # season of 12 shortened to 8 steps, which 5 of the 12 forecasts run all of)
    assert list(analysis.horizon_count) == list(range(12, 4, -1))
    counts = page.horizon_counts.text()
    assert counts.startswith("Forecasts from every testing row, cut at the end of the "
                             "testing part: 12 at 1 step ahead, 11 at 2,")
    assert "5 at 8 (few forecasts" in counts and counts.endswith(
        "recursive row counts only the 5 that run all 8 steps.")
    assert page.errors.item(page.errors.rowCount() - 1, 0).text() == \
        "recursive, 1–8 ahead, 5 origins"
    assert len(page.points.getOriginalDataset()[0]) == 12
    # the axes say what they show, in the target's units, also on the date axis
    assert page.prediction_plot.getAxis("bottom").labelText == "month"
    assert page.prediction_plot.getAxis("left").labelText == "y"
    # the dashed curve is the one forecast from the testing start, not the table's many
    assert page.recursive_curve.name() == "recursive forecast from the testing start"
    assert page.prediction_plot.getPlotItem().titleLabel.text.startswith("y: testing part")
    assert page.horizon_plot.getAxis("left").labelText == "RMSE (y)"
    # the lags in rows, not in a letter ("lag l")
    assert page.auto_plot.getAxis("bottom").labelText == "rows apart (lag)"
    assert page.cross_plot.getAxis("bottom").labelText == "rows before (lag)"
    assert page.cross_plot.getPlotItem().titleLabel.text == \
        "Inputs some rows before the one-step errors"
    assert page.errors.horizontalHeaderItem(6).text() == "persis-\ntence"
    assert page.errors.horizontalHeaderItem(10).toolTip().startswith(
        "Linear AR: a linear autoregression on the same inputs and lookback as the model, "
        "fitted by least squares on the rows before the testing part.")   # the header short
    assert ("a linear autoregression on the same inputs and lookback as the model, fitted on "
            "the rows before the testing part") in page.errors.toolTip()
    assert "Its RMSE on the same rows" in page.errors.horizontalHeaderItem(6).toolTip()
    # no column of the mean squared error over the variance: it is 1 - R², beside it;
    # nor "NSE", read as the Nash-Sutcliffe efficiency (good near 1; this is good near 0)
    assert [page.errors.horizontalHeaderItem(c).text() for c in range(1, 6)] == \
        ["RMSE", "MAE", "MAPE\n%", "R²", "MASE"]
    assert "NSE" not in page.errors.toolTip() and "variance" not in page.errors.toolTip()
    assert page.intervals.horizontalHeaderItem(3).text() == \
        f"± at {len(analysis.horizon_rmse)}\nahead"
    # refresh with the same model does not test again
    page.refresh()
    assert not page.runner.running
    # the report
    target = tmp_path / "out" / "report"
    target.parent.mkdir()
    dialogs.save_paths.append(target)
    page.save_report()
    written = target.with_suffix(".html")
    parser = Images()
    html = written.read_text(encoding="utf-8")
    parser.feed(html)
    assert len(parser.sources) >= 6
    words = re.sub(r'src="[^"]*"', "", html)            # the pictures' base64 left out
    assert "<th>R²</th>" in words and "variance" not in words and "NSE" not in words
    assert "report was saved" in page.status.text()


def test_the_fit_plot_draws_a_share_of_many_points_and_keeps_them_all(
        qtbot, dialogs, trained_session):
    """Outputs against targets of a large testing part: the plot draws an even share of
    the points along the targets (200,000 of them set on a scatter item took the window
    0.9 s), holds them all, and draws more when zoomed in."""
    from app.pages.testing_page import TestingPage

    session, _ = trained_session
    page = TestingPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.refresh()
    assert np.all(np.diff(page.analysis.fit_points(0)[0]) >= 0)     # in the targets' order
    rng = np.random.default_rng(0)
    targets = np.sort(rng.normal(100, 10, 50_000))
    outputs = targets + rng.normal(0, 2, targets.size)
    page.analysis.fit_points = lambda j: (targets, outputs)
    page.tabs.setCurrentIndex(2)
    page._show()

    def drawn(low=-np.inf, high=np.inf):
        x = page.points.scatter.data["x"]
        return int(np.sum((x >= low) & (x <= high)))

    page.fit_plot.grab()
    assert 0 < drawn() < targets.size / 4
    assert len(page.points.getOriginalDataset()[0]) == targets.size
    before = drawn(99, 101)
    page.fit_plot.getPlotItem().vb.setXRange(99, 101, padding=0)
    page.fit_plot.grab()
    assert drawn(99, 101) > 4 * before


def test_without_a_trained_model_the_page_says_what_to_do(qtbot, tmp_path):
    from app.pages.testing_page import TestingPage
    from app.session import ProjectSession

    session = ProjectSession()
    session.create("Empty", tmp_path)
    page = TestingPage(session)
    qtbot.addWidget(page)
    page.refresh()
    assert not page.runner.running and page.analysis is None
    assert "Train the network first" in page.status.text()
    assert not page.save_button.isEnabled()


def _tested_page(qtbot, path):
    """A shown testing page of the project file ``path`` once its analysis arrived."""
    from app.pages.testing_page import TestingPage
    from app.session import ProjectSession

    session = ProjectSession()
    session.open(path)
    page = TestingPage(session)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.refresh()
    return page


def test_after_a_random_split_the_page_shows_the_rows_fit_scored(qtbot, dialogs, tmp_path):
    def random_split(project):
        project.data.config.split.method = "random"

    csv = tmp_path / "series.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)
    _, path, result = trained_project(csv, tmp_path, change=random_split, max_epochs=5)
    page = _tested_page(qtbot, path)
    fit = result.scores["testing"]
    first = int(result.prepared.target_rows("testing")[0, 0])
    assert f"Tested on {fit.count} rows from row {first}" in page.status.text()
    assert page.errors.item(0, 1).text() == shown(page, fit.rmse[0])
    assert "drawn at random" in page.status.text()


def test_a_stopped_testing_clears_the_status_and_runs_again_when_shown(
        qtbot, dialogs, trained_session, monkeypatch):
    """Opening another project stops the testing (Cancelled): the page does not stay on
    "Testing...", and it tests the model when it is shown again."""
    import time

    import app.pages.testing_page
    from app.pages.testing_page import TestingPage
    from engine.tasks import Cancelled

    def until_stopped(project, table, model=None, task=None):
        while not task.cancelled:
            time.sleep(0.005)
        raise Cancelled()

    real = app.pages.testing_page.analyze_project
    monkeypatch.setattr(app.pages.testing_page, "analyze_project", until_stopped)
    session, _ = trained_session
    page = TestingPage(session)
    qtbot.addWidget(page)
    page.refresh()
    assert page.status.text().startswith("Testing the model")
    with qtbot.waitSignal(page.runner.cancelled, timeout=5000):
        page.runner.stop()
    assert page.status.text() == "" and page.analysis is None
    monkeypatch.setattr(app.pages.testing_page, "analyze_project", real)
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.refresh()
    assert page.analysis is not None and page.status.text().startswith("Tested on")


def _backtest_page(qtbot, trained_session):
    """The testing page of the trained session at the default window size, its backtest
    panel run in this process on a tiny network; ``(page, panel)``."""
    from app.pages.testing_page import TestingPage

    session, _ = trained_session
    session.project.training.max_epochs = 2
    session.project.architecture.hidden_sizes = [3]
    page = TestingPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    panel = page.backtest
    panel.workers = 0
    return page, panel


def test_the_backtest_tab_runs_and_shows_a_row_per_origin(qtbot, trained_session):
    page, panel = _backtest_page(qtbot, trained_session)
    panel.origins.setValue(2)
    assert page.tabs.tabText(page.tabs.count() - 1) == "Backtest"
    assert page.runners() == [page.runner, panel.runner, page.many.runner]
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_button.click()
    assert panel.result is not None and len(panel.result.folds) == 2
    # a title, two origins and the mean one step ahead, the same recursively
    assert panel.table.rowCount() == 8
    assert panel.table.item(1, 0).text() == "2017-01-01"
    assert panel.result.folds[0]["origin_row"] == 60
    assert panel.table.item(3, 0).text() == "mean"
    fold = panel.result.folds[0]
    for row, mode in ((1, "one_step"), (5, "recursive")):     # the table's digits, 4 or more
        assert float(panel.table.item(row, 2).text()) == pytest.approx(
            fold["network"][mode]["targets"]["y"]["rmse"], rel=5e-4)
    assert "2 origins of 12 rows" in panel.status.text()
    assert len(panel.network_curve.getData()[0]) == 2
    assert panel.run_button.isEnabled() and not panel.stop_button.isEnabled()
    assert panel.block.value() == 0 and panel.block.text() == "automatic"
    panel.block.setValue(6)                         # a person's own forecast length
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_button.click()
    assert panel.result.block == 6 and "2 origins of 6 rows" in panel.status.text()
    assert [f["origin_row"] for f in panel.result.folds] == [84 - 12, 84 - 6]


def test_a_cleared_backtest_leaves_no_status_or_legend_and_a_late_one_is_not_shown(
        qtbot, trained_session, monkeypatch):
    """The model changes (a new training): the last backtest's status line and its
    baseline in the legend go with it; a backtest that ends after the model changed is not
    shown under the new model."""
    import app.pages.backtest_panel as backtest_panel

    page, panel = _backtest_page(qtbot, trained_session)
    panel.origins.setValue(1)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_button.click()
    legend = panel.plot.getPlotItem().legend
    assert panel.status.text().startswith("1 origins of 12 rows")
    labels = [label.text for _, label in legend.items]
    assert any(text.startswith("best baseline") for text in labels)
    panel.clear()
    assert panel.status.text() == backtest_panel.WHAT
    assert not any(label.text.startswith("best baseline") for _, label in legend.items)
    real = backtest_panel.backtest_project
    session = page.session

    def retrained_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        session.model_identity = lambda: ("another model",)     # a new training's
        return result

    monkeypatch.setattr(backtest_panel, "backtest_project", retrained_meanwhile)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_button.click()
    assert panel.result is None and panel.table.rowCount() == 0
    assert panel.status.text().startswith("The model changed while the backtest ran")


def test_without_a_season_the_page_says_why_there_is_no_seasonal_naive(qtbot, dialogs,
                                                                       tmp_path):
    import pandas as pd

    csv = tmp_path / "line.csv"
    rows = 96
    pd.DataFrame({"month": pd.date_range("2012-01-01", periods=rows, freq="MS")
                  .strftime("%Y-%m-%d"), "y": 100 + 0.5 * np.arange(rows)}).to_csv(
        csv, index=False)
    _, path, _ = trained_project(csv, tmp_path, test_from="2019-01-01", max_epochs=2)
    page = _tested_page(qtbot, path)
    assert page.analysis.period is None
    header = page.errors.horizontalHeaderItem(7)
    assert header.text() == "seasonal naive:\nno season"     # once, not in every row
    assert header.toolTip() == "No season found in the data"
    assert [page.errors.item(r, 7).text() for r in range(page.errors.rowCount())] == \
        ["–"] * page.errors.rowCount()
    assert page.errors.item(0, 7).toolTip() == "No season found in the data"
    assert page.errors.horizontalHeaderItem(6).text() == "persis-\ntence"


def test_the_horizon_box_evaluates_recursive_forecasts_from_many_origins(
        qtbot, dialogs, trained_session):
    """The recursive row is forecasts of the horizon chosen from many testing rows, not
    one forecast over the whole testing part; a new horizon tests again with the
    comparators fitted already."""
    page = _tested_page(qtbot, trained_session[0].path)
    first = page.analysis
    assert page.horizon.isEnabled() and page.horizon.maximum() == 12
    assert page.horizon.value() == first.horizon == 8
    last = page.errors.rowCount() - 1
    assert page.errors.item(last, 0).text() == "recursive, 1–8 ahead, 5 origins"
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.horizon.setValue(4)
    a = page.analysis
    assert a.horizon == 4 and a.horizon_origins == 9 and a.comparators is first.comparators
    assert page.errors.item(last, 0).text() == "recursive, 1–4 ahead, 9 origins"
    assert page.errors.item(last, 1).text() == shown(page, a.horizon_scores.rmse[0])
    persistence = a.horizon_pooled["persistence"].rmse[0]
    assert page.errors.item(last, 6).text() == shown(page, persistence)
    assert page.intervals.horizontalHeaderItem(3).text() == "± at 4\nahead"
    assert page.horizon.value() == 4


@pytest.mark.parametrize("steps, horizon", [(3, 3), (24, 8)])
def test_the_horizon_box_starts_at_the_forecast_length_set(qtbot, dialogs, tmp_path, steps,
                                                           horizon):
    """A forecast length set on the data-set step is the default horizon (3 steps, not the
    season's 8); one the 12 testing rows cannot hold 5 times (24) is shortened to 8 and the
    page says why."""
    csv = tmp_path / "series.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)

    def wants(project):
        project.selection.settings["forecast_steps"] = steps

    _, path, _ = trained_project(csv, tmp_path, test_from="2019-01-01", max_epochs=2,
                                 change=wants)
    page = _tested_page(qtbot, path)
    assert page.horizon.value() == page.analysis.horizon == horizon
    assert page.errors.item(page.errors.rowCount() - 1, 0).text().startswith(
        f"recursive, 1–{horizon} ahead")
    why = ("The recursive forecasts are scored 8 steps ahead, not the 24 of the forecast "
           "length set for this model, so that at least 5 forecasts run all their steps "
           "inside the 12 rows tested; a longer testing part scores longer ones.")
    assert (why in page.status.text()) == (steps == 24)


def test_a_horizon_that_fails_keeps_the_figures_and_the_box(
        qtbot, dialogs, trained_session, monkeypatch):
    import app.pages.testing_page as testing_page
    from engine.errors import EngineError

    page = _tested_page(qtbot, trained_session[0].path)
    first = page.analysis

    def failing(*args, **kwargs):
        raise EngineError("no forecast today")

    monkeypatch.setattr(testing_page, "analyze_project", failing)
    with qtbot.waitSignal(page.runner.failed, timeout=20000):
        page.horizon.setValue(4)
    assert page.analysis is first and page.horizon.isEnabled()
    assert page.horizon.value() == first.horizon
    assert "Forecasts of 4 steps could not be made: no forecast today" in page.status.text()
    assert page.errors.rowCount() > 0


def _clipped(table, column):
    """The rows of ``column`` whose text is wider than the cell shows."""
    metrics = table.fontMetrics()
    return [r for r in range(table.rowCount())
            if metrics.horizontalAdvance(table.item(r, column).text()) + 6 >
            table.columnWidth(column)]


def test_the_largest_errors_show_their_numbers_whole(qtbot, dialogs, trained_session):
    """Long numbers beside long times at the width the window gives the table at
    1280 x 820: the numbers show whole and right-aligned, the time is elided instead."""
    from PySide6.QtCore import Qt

    page = _tested_page(qtbot, trained_session[0].path)
    page.resize(930, 720)               # the page's size in a window of 1280 x 820
    page.analysis.largest[0] = [
        {"row": 123456 + i, "time": "2016-05-06 07:30:00.123456+02:00", "truth": 37123.4,
         "predicted": -48234.7 - i, "error": -85358.1 - i} for i in range(10)]
    page._show()
    qtbot.wait(50)
    assert page.largest.item(0, 4).text() == "-85358"
    for column in (0, 2, 3, 4):
        assert _clipped(page.largest, column) == [], column
        assert page.largest.item(0, column).textAlignment() & Qt.AlignmentFlag.AlignRight
    assert _clipped(page.largest, 1)             # the time gives way


def test_the_largest_errors_show_no_time_column_for_data_without_times(qtbot, dialogs,
                                                                       trained_session):
    page = _tested_page(qtbot, trained_session[0].path)
    assert not page.largest.isColumnHidden(1)        # the months of the data
    page.analysis.largest[0] = [dict(e, time=None) for e in page.analysis.largest[0]]
    page._show()
    assert page.largest.isColumnHidden(1)
    assert page.largest.item(0, 0).text() == str(page.analysis.largest[0][0]["row"])


def _tested_in_window(window, qtbot, trained_session, size):
    """Step 6 of the trained session in ``window`` of ``size``, once tested: its page."""
    session, _ = trained_session
    assert window.open_project(session.path)
    window.resize(*size)
    assert window.go_to_step(5)
    page = window.pages[5]
    qtbot.waitUntil(lambda: page.analysis is not None, timeout=20000)
    return page


def _in_sight(window, widget):
    """How many pixels of ``widget``'s height are in sight in the step's scroll area,
    scrolled to its top."""
    view = window.frames[window.current_step()].scroll.viewport()
    top = widget.mapTo(view, widget.rect().topLeft()).y()
    return max(0, min(top + widget.height(), view.height()) - max(top, 0))


def test_the_plots_of_step_6_are_in_sight_in_the_smallest_window(window, qtbot,
                                                                 trained_session):
    """At 1000 x 680 the tabs of plots lay below the intervals and the largest errors
    (one above the other where the width cannot hold them side by side): none of them in
    sight without scrolling, tables only. One above the other, the plots now come first,
    right below the errors table (at least half of the plot in sight), the tables below
    them, every row of the errors table still whole, and of the largest errors (which
    scrolled inside itself at 1000 x 680) too; side by side, the tables stay on the left."""
    page = _tested_in_window(window, qtbot, trained_session, (1000, 680))
    qtbot.wait(100)
    assert window.frames[5].scroll.verticalScrollBar().value() == 0
    plot = page.tabs.currentWidget()
    assert _in_sight(window, page.tabs.tabBar()) == page.tabs.tabBar().height()
    assert _in_sight(window, plot) >= plot.height() // 2 > 100
    assert _in_sight(window, page.errors) == page.errors.height()
    largest = page.largest                  # its rows whole: the page scrolls, not the table
    assert largest.rowCount() == 10
    assert largest.verticalScrollBar().maximum() == 0
    assert not largest.verticalScrollBar().isVisible()
    below = page.intervals.mapTo(page, page.intervals.rect().topLeft()).y()
    assert below > page.tabs.mapTo(page, page.tabs.rect().bottomLeft()).y()
    window.resize(1400, 900)
    qtbot.wait(100)
    right = page.largest.mapTo(page, page.largest.rect().topRight()).x()
    assert right < page.tabs.mapTo(page, page.tabs.rect().topLeft()).x()


def test_step_6_of_the_airline_example_fits_a_window_of_1280_by_820(window, gui, qtbot):
    """The page of one series was 15 pixels taller than its view at the window's first
    size (its margins above and below added to the gap under the explanation): a scroll
    bar for nothing, the goodness of fit cut at the bottom. It fits, all of it in sight."""
    window.open_example("airline")
    gui.train_briefly(window, qtbot, max_epochs=2)
    window.resize(1280, 820)
    assert window.go_to_step(5)
    page = window.pages[5]
    qtbot.waitUntil(lambda: page.analysis is not None, timeout=60000)
    qtbot.waitUntil(lambda: not any(runner.running for runner in page.runners()),
                    timeout=60000)
    qtbot.wait(100)
    scroll = window.frames[5].scroll
    view = scroll.viewport()
    assert scroll.widget().heightForWidth(view.width()) <= view.height()
    assert not scroll.verticalScrollBar().isVisible()
    assert _in_sight(window, page.fit_label) == page.fit_label.height() > 0
    # the plot's title whole, here and in the smallest window ("passengers: testing part
    # (shaded: the 90% interval of the recursive forecast ...")
    title = page.prediction_plot.getPlotItem().titleLabel
    assert "shaded" in title.text and cut_titles(page) == {}
    window.resize(1000, 680)
    qtbot.wait(100)
    assert cut_titles(page) == {}

def test_every_test_results_tab_is_in_sight_at_1280_by_820(window, qtbot, trained_session):
    """No tab is hidden behind scroll arrows or past the strip's end."""
    page = _tested_in_window(window, qtbot, trained_session, (1280, 820))
    bar = page.tabs.tabBar()
    assert bar.width() > 400
    assert not bar.usesScrollButtons()
    assert bar.tabRect(bar.count() - 1).right() <= bar.width()
    names = [bar.tabText(i) for i in range(bar.count())]
    assert names == ["Predictions", "By horizon", "Fit", "Histogram", "Autocorrelation",
                     "Inputs", "Backtest"]
    metrics = bar.fontMetrics()
    for i, name in enumerate(names):            # whole names, not elided
        assert bar.tabRect(i).width() >= metrics.horizontalAdvance(name), name


def test_every_row_of_the_backtest_table_shows_below_its_plot(qtbot, trained_session):
    page, panel = _backtest_page(qtbot, trained_session)
    page.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_button.click()
    qtbot.wait(50)
    table = panel.table
    assert table.rowCount() == 10          # one step and recursive: three origins, the mean
    assert not table.verticalScrollBar().isVisible()
    assert panel.plot.geometry().bottom() < table.geometry().top()
    assert panel.status.geometry().top() > panel.run_button.geometry().bottom()


def test_a_runaway_origin_brings_the_median_into_the_backtest_table(qtbot, trained_session):
    import copy

    page, panel = _backtest_page(qtbot, trained_session)
    page.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_button.click()
    assert not panel.result.mean_pulled_away("y") and panel.table.rowCount() == 10
    assert not panel.plot.getAxis("left").logMode
    # the target named, as By horizon names it ("RMSE (y)"); it read "RMSE"
    assert panel.plot.getAxis("left").labelText == "RMSE (y)"
    runaway = copy.deepcopy(panel.result)
    runaway.folds[0]["network"]["recursive"]["targets"]["y"]["rmse"] = 1e9
    panel.result = runaway
    panel.show_result()
    qtbot.wait(50)
    table = panel.table
    assert [table.item(r, 0).text() for r in (4, 5, 10, 11)] == ["mean", "median"] * 2
    recursive = [f["network"]["recursive"]["targets"]["y"]["rmse"] for f in runaway.folds]
    assert float(table.item(11, 2).text()) == pytest.approx(np.median(recursive), rel=5e-4)
    assert float(table.item(10, 2).text()) == pytest.approx(np.mean(recursive), rel=5e-4)
    assert not table.verticalScrollBar().isVisible()
    assert panel.plot.getAxis("left").logMode          # 1e9 beside the others: powers of ten
    assert panel.plot.getAxis("left").labelText == "RMSE (y, log scale)"
    # the best baseline's curve is chosen by the recursive median too, as the verdict
    # reads, and its legend says so
    best, _ = runaway.best_baseline("recursive", "y", median=True)
    labels = [label.text for _, label in panel.plot.getPlotItem().legend.items]
    assert any(text.startswith("best baseline, recursive: ") and text.endswith("(by median)")
               for text in labels), labels
    shown = panel.best_curve.yData                      # (getData gives the logarithms)
    expected = [f["baselines"][best]["recursive"]["targets"]["y"]["rmse"]
                for f in runaway.folds]
    np.testing.assert_allclose(shown, expected)


def _backtest_fold(row, network, linear):
    """A backtest fold at ``row`` with the RMSEs of target y ``network`` and ``linear`` (the
    linear autoregression's), each ``(one step, recursive)``; no other comparator."""
    def entry(rmse):
        return {"count": 12, "targets": {"y": {m: (rmse if m == "rmse" else 1.0)
                                               for m in ("rmse", "mae", "mape", "r2",
                                                         "mse_over_variance", "mase",
                                                         "nse")}}}
    modes = ("one_step", "recursive")
    baselines = {name: {mode: None for mode in modes}
                 for name in ("persistence", "seasonal_naive", "ets", "theta")}
    baselines["linear"] = dict(zip(modes, map(entry, linear)))
    return {"origin_row": row, "origin_time": None, "rows": 12,
            "network": dict(zip(modes, map(entry, network))), "baselines": baselines}


def test_the_backtest_plot_draws_the_baseline_the_verdict_reads(qtbot, trained_session):
    """The linear AR is best one step ahead, ETS recursively; the verdict reads the
    recursive errors (ETS beats the network): the plot drew the linear AR's one-step
    RMSE as the best baseline, and now draws ETS's recursive one."""
    from engine.testing.backtest import Backtest

    page, panel = _backtest_page(qtbot, trained_session)
    folds = [_backtest_fold(76, (2.0, 5.0), (1.0, 8.0)), _backtest_fold(88, (2.0, 7.0),
                                                                        (1.5, 9.0))]
    for fold, ets in zip(folds, ((9.0, 4.0), (9.0, 4.5))):
        fold["baselines"]["ets"] = _backtest_fold(0, ets, ets)["network"]
    panel.result = Backtest(["y"], 12, 100, folds)
    panel.show_result()
    assert panel.verdict.text().startswith("Exponential smoothing forecast better")
    labels = [label.text for _, label in panel.plot.getPlotItem().legend.items]
    assert "best baseline, recursive: ETS" in labels, labels
    np.testing.assert_allclose(panel.best_curve.yData, [4.0, 4.5])


def test_the_backtest_plot_is_in_sight_in_a_window_of_1400_by_900(window, qtbot,
                                                                  trained_session):
    """The plot lay below the table of three origins (ten rows): even at 1400 x 900 none of
    it showed without scrolling the page. It comes first, the table below it."""
    from engine.testing.backtest import Backtest

    page = _tested_in_window(window, qtbot, trained_session, (1400, 900))
    panel = page.backtest
    panel.result = Backtest(["y"], 12, 100, [_backtest_fold(row, (2.0, 5.0), (3.0, 4.0))
                                             for row in (64, 76, 88)])
    panel.show_result()
    page.tabs.setCurrentWidget(panel)
    qtbot.wait(100)
    assert panel.table.rowCount() == 10
    view = window.frames[5].scroll.viewport()
    assert window.frames[5].scroll.verticalScrollBar().value() == 0
    bottom = panel.plot.mapTo(view, panel.plot.rect().bottomLeft()).y()
    assert panel.plot.height() >= panel.plot.minimumHeight() and bottom <= view.height()
    # room for the curves below its title and legend (at 150 pixels about 30 were left)
    assert panel.plot.minimumHeight() >= 260


def test_the_rows_of_the_backtest_table_are_as_compact_as_the_other_tables(
        qtbot, trained_session):
    """Its rows were 30 pixels tall (Qt's default, room for a box in a cell), the tables of
    many series' results 24: four origins' table took 120 pixels more than it needed. They
    are as compact as those, and as tall as a line of their letters at least."""
    from app.pages.many_scores import ROW_HEIGHT
    from engine.testing.backtest import Backtest

    page, panel = _backtest_page(qtbot, trained_session)
    panel.result = Backtest(["y"], 12, 100, [_backtest_fold(row, (2.0, 5.0), (3.0, 4.0))
                                             for row in (52, 64, 76, 88)])
    panel.show_result()
    table = panel.table
    assert table.rowCount() == 12
    heights = {table.rowHeight(r) for r in range(table.rowCount())}
    assert heights == {max(ROW_HEIGHT, table.fontMetrics().height() + 6)}
    assert table.height() == table.horizontalHeader().height() + 2 * table.frameWidth() \
        + 12 * ROW_HEIGHT


def test_every_figure_the_backtest_verdict_quotes_is_in_its_table(qtbot, trained_session):
    """The verdict compares recursive forecasts: the linear autoregression's recursive
    RMSE (4.5 on average) is in the table beside the network's, not only its one-step
    RMSE (3)."""
    import re

    from engine.testing.backtest import Backtest

    page, panel = _backtest_page(qtbot, trained_session)
    panel.result = Backtest(["y"], 12, 100, [_backtest_fold(76, (2.0, 5.0), (3.0, 4.0)),
                                             _backtest_fold(88, (2.0, 7.0), (3.0, 5.0))])
    panel.show_result()
    quoted = re.search(r"mean RMSE ([\d.]+) against ([\d.]+)", panel.verdict.text())
    assert quoted and quoted.groups() == ("4.500", "6.000")     # as the command line's tables
    cells = {(panel.table.item(r, 0).text(), panel.table.item(r, c).text())
             for r in range(panel.table.rowCount()) for c in range(1, panel.table.columnCount())
             if panel.table.item(r, c)}
    assert {"4.500", "6.000"} <= {text for _, text in cells}     # they read "4.5" and "6"
    recursive = [r for r in range(panel.table.rowCount())
                 if panel.table.item(r, 0).text().startswith("Recursive")]
    assert recursive
    means = [r for r in range(recursive[0], panel.table.rowCount())
             if panel.table.item(r, 0).text() == "mean"]
    row = [panel.table.item(means[0], c).text() for c in range(panel.table.columnCount())]
    assert row[2] == "6.000" and row[-1] == "4.500"             # the network's, the linear AR's
    assert ("mean", "3.000") in cells                        # the one-step figures stay


def test_a_one_row_interval_is_a_bar_as_wide_as_a_row(qtbot, dialogs, trained_session,
                                                     monkeypatch):
    """When the recursive forecast's interval reaches one testing row, its bar's ends are
    half a row wide: on a date axis a month of seconds, not the half second of a step of 1
    (the ends did not show)."""
    page = _tested_page(qtbot, trained_session[0].path)
    a = page.analysis
    x, dates = a.x_values()
    low, high = np.full(len(x), np.nan), np.full(len(x), np.nan)
    low[0], high[0] = a.recursive_predicted[0, 0] - 1, a.recursive_predicted[0, 0] + 1
    monkeypatch.setattr(a, "forecast_band", lambda j, level: (low, high))
    page._show()
    month = np.median(np.diff(x))
    assert dates and 28 * 86400 <= month <= 31 * 86400
    assert page.interval.drawn == "bar"
    assert page.interval.bar.opts["beam"] == pytest.approx(month / 2)


def test_the_backtest_verdict_quotes_its_figures_as_the_table_shows_them(qtbot,
                                                                         trained_session):
    """Two one-step means that read the same to 4 digits (2.50012 and 2.50049) give the
    table 5; the verdict's recursive means read as the table shows them, 4.5000 against
    6.0000 (it said "4.500 against 6.000" below them)."""
    from engine.testing.backtest import Backtest

    page, panel = _backtest_page(qtbot, trained_session)
    panel.result = Backtest(["y"], 12, 100,
                            [_backtest_fold(76, (2.50012, 5.0), (2.50049, 4.0)),
                             _backtest_fold(88, (2.50012, 7.0), (2.50049, 5.0))])
    panel.show_result()
    texts = {panel.table.item(r, c).text() for r in range(panel.table.rowCount())
             for c in range(2, panel.table.columnCount()) if panel.table.item(r, c)}
    assert {"2.5001", "2.5005", "4.5000", "6.0000"} <= texts
    assert "(mean RMSE 4.5000 against 6.0000)" in panel.verdict.text()


def _scores(rmse, mape=10.0):
    """:class:`~engine.testing.metrics.Scores` of target y with this RMSE and MAPE."""
    from engine.testing.metrics import Scores

    return Scores(["y"], 12, *(np.array([v]) for v in (rmse, 3.0, mape, 0.5, 0.5, 0.8)))


def test_the_errors_table_gives_each_measure_its_digits_and_the_verdict_the_rmse_s(
        qtbot, dialogs, trained_session):
    """Two MAPEs that read the same to 4 digits no longer give the RMSEs 5 (the table showed
    "6.0000" and "4.5000" beside a verdict of "RMSE 4.500 against 6.000"); when the RMSEs
    need 5 (another row's beside its baseline's), the verdict quotes its two to 5."""
    from engine.testing.report import BASELINE_NAMES, MEASURES

    page = _tested_page(qtbot, trained_session[0].path)
    a = page.analysis
    a.steps, a.forecast_steps = 1, None                  # judged one step ahead
    a.direct_scores, a.direct_baselines = [_scores(6.0, 12.5012)], [{"ets": _scores(4.5)}]
    a.horizon_scores, a.horizon_pooled = _scores(7.0, 12.5049), {"ets": _scores(8.0)}
    page._show_tables(a, 0, "y")
    ets = 1 + len(MEASURES) + list(BASELINE_NAMES).index("ets")
    assert [page.errors.item(0, c).text() for c in (1, 3, ets)] == \
        ["6.000", "12.501", "4.500"]
    assert "(RMSE 4.500 against 6.000)." in page.verdict.text()
    a.horizon_scores, a.horizon_pooled = _scores(12.5012), {"ets": _scores(12.5049)}
    page._show_tables(a, 0, "y")
    assert [page.errors.item(0, c).text() for c in (1, 3, ets)] == \
        ["6.0000", "12.50", "4.5000"]
    assert "(RMSE 4.5000 against 6.0000)." in page.verdict.text()


def test_the_figures_show_whole_in_the_smallest_window(window, dialogs, gui, qtbot):
    """Every figure whole, and every column in sight: the errors table scrolled sideways
    and hid Theta and linear AR (the baselines' headers said RMSE each, the title says it
    once); its labels may take up to three lines, each whole."""
    from app.widgets.narrow import folded_width

    window.open_example("airline")
    window.show()
    window.resize(1000, 680)
    gui.train_briefly(window, qtbot, max_epochs=2)
    assert window.go_to_step(5)
    page = window.pages[5]
    qtbot.waitUntil(lambda: page.errors.rowCount() > 0, timeout=60000)
    qtbot.wait(100)
    for table in (page.errors, page.intervals):
        header = table.horizontalHeader()
        for column in range(table.columnCount()):
            if table is page.errors and column == 0:
                continue
            assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
    errors = page.errors
    assert errors.horizontalScrollBar().maximum() == 0
    assert errors.horizontalHeader().length() <= errors.viewport().width()
    metrics = errors.fontMetrics()
    for row in range(errors.rowCount()):
        text = errors.item(row, 0).text()
        lines = next(n for n in (1, 2, 3)
                     if folded_width(metrics, text, n) < errors.columnWidth(0))
        assert errors.rowHeight(row) >= lines * metrics.height(), text


def _wide_error_rows(analysis, j):
    """The errors table's rows of a weekly series tested over 52 steps (at 1280 x 800 its
    last column was hidden behind a scroll bar)."""
    from engine.testing.report import BASELINE_NAMES, MEASURES

    figures = dict(zip((key for key, _ in MEASURES),
                       (0.4063, 0.3137, 0.08604, 0.9931, 0.8281)))
    versus = {key: (value, True) for key, value in
              zip(BASELINE_NAMES, (0.5137, 1.86, 0.4701, 0.4653, 0.4117))}
    return [("one step ahead", figures, versus),
            ("recursive, 1–52 ahead, 395 origins", figures, versus)]


def test_the_errors_table_needs_no_sideways_scroll_bar_at_1280_by_800(
        window, qtbot, trained_session, monkeypatch):
    import app.pages.testing_page as testing_page

    monkeypatch.setattr(testing_page, "error_rows", _wide_error_rows)
    session, _ = trained_session
    assert window.open_project(session.path)
    window.resize(1280, 800)
    assert window.go_to_step(5)
    page = window.pages[5]
    qtbot.waitUntil(lambda: page.errors.rowCount() == 2, timeout=20000)
    qtbot.wait(100)
    errors = page.errors
    assert errors.item(1, 0).text() == "recursive, 1–52 ahead, 395 origins"
    assert errors.horizontalScrollBar().maximum() == 0
    assert not errors.horizontalScrollBar().isVisible()
    assert errors.horizontalHeader().length() <= errors.viewport().width()
    for column in range(errors.columnCount()):
        assert errors.columnWidth(column) >= errors.sizeHintForColumn(column), column


def test_a_baseline_that_beats_the_network_is_told_without_colour(qtbot):
    from app.pages.testing_page import BETTER, WORSE, _fill, _table

    table = _table(["forecast", "RMSE", "ETS RMSE", "Theta RMSE"], "")
    qtbot.addWidget(table)
    _fill(table, [["one step ahead", "19.0", ("17.6", WORSE), ("23.7", BETTER)]])
    worse, better = table.item(0, 2), table.item(0, 3)
    assert worse.font().bold() and not better.font().bold()
    assert worse.toolTip() == "This baseline does better than the network."
    assert better.toolTip() == "The network does better than this baseline."
    _fill(table, [["one step ahead", "19.0", ("17.6", WORSE), ("23.7", BETTER)]],
          subject="the linear autoregression")      # a model that kept its linear start
    assert table.item(0, 2).toolTip() == "This baseline does better than the linear " \
        "autoregression."
    assert table.item(0, 3).toolTip() == "The linear autoregression does better than this " \
        "baseline."


def test_opening_a_trained_project_tests_its_model_once_on_the_loaded_table(
        window, qtbot, trained_session, monkeypatch):
    """The window opens a project and its data together: step 6's analysis starts once,
    on the table the window read (a first start before the table was there read the data
    file again, and a second start followed when the table came)."""
    import app.pages.testing_page as testing_page

    session, _ = trained_session
    calls, analyze = [], testing_page.analyze_project

    def counted(project, table=None, **kwargs):
        calls.append(table)
        return analyze(project, table, **kwargs)

    monkeypatch.setattr(testing_page, "analyze_project", counted)
    page = window.pages[5]
    assert window.open_project(session.path)
    qtbot.waitUntil(lambda: page.analysis is not None and not page.runner.running,
                    timeout=30000)
    qtbot.wait(200)                     # a second start would follow the first's end
    assert not page.runner.running
    assert len(calls) == 1
    assert calls[0] is window.session.table and calls[0] is not None


def below(lower, upper, page):
    """True when widget ``lower`` starts below widget ``upper``'s bottom on ``page``."""
    return lower.mapTo(page, lower.rect().topLeft()).y() > \
        upper.mapTo(page, upper.rect().bottomLeft()).y()


def test_an_unbounded_interval_is_explained_under_its_table(qtbot, tmp_path):
    """A short selection part leaves the 95% width "∞": a line under the intervals table
    says why (the errors it takes, those there were) and what gives one, and the table's
    tooltip points to that line; none when every width is finite (a longer series)."""
    import pandas as pd

    from engine.testing.report import unbounded_note

    pages = []
    for rows in (60, 400):
        rng = np.random.default_rng(1)
        folder = tmp_path / str(rows)
        folder.mkdir()
        csv = folder / "walk.csv"
        pd.DataFrame({"y": np.cumsum(rng.normal(size=rows))}).to_csv(csv, index=False)
        _, path, _ = trained_project(csv, folder, max_epochs=5)
        pages.append(_tested_page(qtbot, path))
    short, long = pages
    assert short.intervals.item(2, 1).text() == "∞"
    assert short.unbounded.isVisible()
    assert short.unbounded.text() == unbounded_note(short.analysis, 0)
    assert "a 95% bound takes at least 19" in short.unbounded.text()
    assert "A longer selection part gives one." in short.unbounded.text()
    assert short.intervals.toolTip().endswith(
        "∞: no bound at that level; the line under the table says why.")
    short.resize(1300, 800)
    qtbot.waitUntil(lambda: below(short.unbounded, short.intervals, short))
    figures = [long.intervals.item(r, c).text() for r in range(3) for c in range(5)]
    assert "∞" not in figures and not long.unbounded.isVisible()


def test_the_page_says_which_scored_rows_read_a_label_the_model_was_not_trained_on(
        qtbot, dialogs, tmp_path):
    from helpers.projects import unknown_label_project

    path, _, result = unknown_label_project(tmp_path, [88])
    page = _tested_page(qtbot, path)
    count = 95 - 88       # the recursive forecast from row 84 read it for every row after it
    assert (f"{count} scored rows were predicted from windows that read values the model "
            "made up: 1 label the model was not trained on (season: 'autumn'), read as none "
            "of the categories;") in page.status.text()


def test_the_backtest_s_recursive_rows_count_the_rows_the_recursive_forecasts_scored():
    """A recursive forecast that stopped at a gap in time scored fewer rows than the
    one-step predictions of the same origin: each group of the table counts its own."""
    from app.pages.backtest_panel import BASELINE_ORDER, group_rows

    def scores(count, rmse):
        return {"count": count, "targets": {"y": {"rmse": rmse}}}

    fold = {"origin_time": "1958-01-01", "origin_row": 108, "rows": 12,
            "network": {"one_step": scores(12, 1.0), "recursive": scores(7, 2.0)},
            "baselines": {name: {} for name in BASELINE_ORDER}}

    class Result:
        folds = [fold]

        def mean(self):
            return fold

        def mean_pulled_away(self, target):
            return False

    one_step, recursive = (group_rows(Result(), "y", mode) for mode in ("one_step",
                                                                         "recursive"))
    assert [row[:3] for row in one_step] == [("1958-01-01", "12", 1.0), ("mean", "12", 1.0)]
    assert [row[:3] for row in recursive] == [("1958-01-01", "7", 2.0), ("mean", "7", 2.0)]


def test_the_band_covers_the_whole_recursive_forecast_after_a_zoom(qtbot, dialogs,
                                                                  trained_session):
    """The shaded interval, the plots' shared :class:`~app.widgets.plots.Interval`, follows
    the view: drawn while the plot showed a few rows (the curves clipped to them), it covers
    every testing row once the view shows them all (it stayed on the rows in view when
    drawn, the last 4 days of a month of 10-minute rows). The title says what is shaded,
    and nothing once the page is cleared."""
    from app.widgets.plots import Interval

    page = _tested_page(qtbot, trained_session[0].path)
    view = page.prediction_view
    x, _ = page.truth_curve.getData()
    assert isinstance(page.interval, Interval) and page.interval.drawn == "band"
    assert page.interval.band.isVisible() and len(x) == 12
    low, _ = page.interval.low.getData()
    np.testing.assert_array_equal(low, x)
    title = page.prediction_plot.getPlotItem().titleLabel.text
    assert title.endswith(": testing part (shaded: 90% interval of the recursive forecast)")
    view.set_x_range(x[-3], x[-1])
    qtbot.wait(50)
    page._show()                        # drawn again while three rows are in view
    view.show_all()
    qtbot.wait(50)
    drawn = page.interval.band.path().boundingRect()
    assert drawn.left() == pytest.approx(x[0]) and drawn.right() == pytest.approx(x[-1])
    page._clear()
    assert page.interval.drawn is None and not page.interval.band.isVisible()


def test_the_errors_table_keeps_trailing_zeros_as_the_verdict(qtbot, trained_session,
                                                               monkeypatch):
    """Step 6's errors table shows every figure as the verdict and the command line's
    tables do: 4 significant digits, trailing zeros kept ("4.500" beside "6.000"; they
    read "4.5" and "6"), more where two compared figures of a measure need them to read
    differently, "–" for a missing one."""
    import app.pages.testing_page as testing_page
    from engine.testing.report import BASELINE_NAMES

    page, _ = _backtest_page(qtbot, trained_session)
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.refresh()
    versus = {key: (None, None) for key in BASELINE_NAMES}

    def rows(rmse, baseline):
        return [("one step ahead", {"rmse": rmse, "mae": 3.0, "mape": 12.5, "r2": 0.9,
                                    "mase": None},
                 {**versus, "persistence": (baseline, rmse < baseline)})]

    monkeypatch.setattr(testing_page, "error_rows", lambda a, j: rows(4.5, 6.0))
    page._show_tables(page.analysis, 0, "y")
    assert [page.errors.item(0, c).text() for c in range(1, 8)] == \
        ["4.500", "3.000", "12.50", "0.9000", "–", "6.000", "–"]
    monkeypatch.setattr(testing_page, "error_rows", lambda a, j: rows(1.23441, 1.23449))
    page._show_tables(page.analysis, 0, "y")
    assert [page.errors.item(0, c).text() for c in (1, 2, 6)] == \
        ["1.2344", "3.000", "1.2345"]            # the MAE does not take the RMSEs' digits


def test_the_error_histogram_counts_rows_in_whole_numbers(qtbot, dialogs, trained_session):
    """Also: the dashed lines of the 95% bands say what they are on the plot, not only in
    the tooltip."""
    page = _tested_page(qtbot, trained_session[0].path)
    for bands in (page.auto_bands, page.cross_bands):
        assert bands[0].label is not None and bands[0].label.format == "95% band"
    assert sum(page.histogram.opts["height"]) > 0
    axis = page.histogram_plot.getAxis("left")          # no tick at 1.5 rows
    ticks = [v for _, level in axis.tickValues(0.0, 3.5, 300) for v in level]
    assert ticks and all(float(v).is_integer() for v in ticks)


def test_the_backtest_status_says_what_its_origins_comparators_noted(window, qtbot,
                                                                    trained_session):
    """A fold whose ETS and Theta were fitted across a gap in time: the status line under
    the tab's controls says so after the origins, as rnn-studio backtest does; the tab
    showed no comparator note at all."""
    from engine.testing.backtest import Backtest

    page = _tested_in_window(window, qtbot, trained_session, (1400, 900))
    panel = page.backtest
    folds = [_backtest_fold(row, (2.0, 5.0), (3.0, 4.0)) for row in (64, 76)]
    across = ("fitted across a gap in time before row 70, as only 6 rows follow it (a fit "
              "needs 10); its season may be out of step after the gap.")
    folds[1]["comparators"] = {"ets": {"notes": [f"ETS: {across}"]},
                               "theta": {"notes": [f"Theta: {across}", "Theta smoothing: "
                                                   "statsmodels warned (RuntimeWarning)."]}}
    panel.run_key = panel.session.model_identity()
    panel._on_finished(Backtest(["y"], 12, 88, folds, "this process", 1, 2.5, 100))
    page.tabs.setCurrentWidget(panel)
    qtbot.wait(100)
    text = panel.status.text()
    assert text.startswith("2 origins of 12 rows before the testing part (row 88), 2.5 s "
                           "on this process.")
    assert text.endswith(f" Origin 2: ETS and Theta: {across}")   # the same words once
    assert "statsmodels" not in text                 # warnings stay in the JSON
    assert panel.status.isVisible() and panel.status.wordWrap()
