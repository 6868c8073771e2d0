"""Step 6 for a table of many series: after a tiny fit of the "m4_hourly" example the test
results show the engine's scores of every method, the histogram of the network's sMAPE over
the scored series, the worst series, any series through the picker and a sortable table."""

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt

from engine.errors import EngineError
from engine.many.evaluation import evaluate_global, summary_digits
from engine.many.model_file import load_global_model
from engine.many.project_fit import series_of, series_testing
from engine.testing.report import format_number
from helpers.sort_arrows import arrow_rows


@pytest.fixture
def tested(window, gui, qtbot):
    """The example trained for 2 epochs, on the test results step once they are shown:
    ``(view, engine evaluation, engine series views)``."""
    window.open_example("m4_hourly")
    view = gui.tested_briefly(window, qtbot)
    assert view.isVisible() and not window.pages[5].single.isVisible()
    session = window.session
    config = session.config()
    model = load_global_model(session.trained_model())
    data = series_of(session.table, config)
    return (view, evaluate_global(model, data, config.test_last),
            series_testing(model, data, config.test_last))


def test_the_table_shows_every_method_with_the_engines_figures(tested):
    view, evaluation, _ = tested
    table = view.scores
    summary = evaluation.summary()
    assert table.rowCount() == 4
    for row, method in enumerate(("network", "naive2", "seasonal_naive", "theta")):
        assert table.item(row, 0).text() == summary[method]["label"]
        for column, key in enumerate(("smape", "mase", "owa"), 1):
            assert table.item(row, column).text() == format_number(
                summary[method][key], summary_digits(summary.values())[key])
    for column, key in enumerate(("smape", "mase", "owa"), 1):      # the best is bold
        best = min(summary, key=lambda m: summary[m][key])
        row = ["network", "naive2", "seasonal_naive", "theta"].index(best)
        assert table.item(row, column).font().bold()
        assert sum(table.item(r, column).font().bold() for r in range(4)) >= 1


def test_a_model_that_kept_its_linear_start_is_named_a_linear_autoregression(tested):
    """A training that never improved on its least-squares start leaves a linear
    autoregression (``head.weight`` all zero), which step 7 names so; the table called it
    "global network" and the sentences "The network"."""
    from engine.many.project_testing import test_many_series
    from engine.training.share_words import UNUSED_NOTE

    view = tested[0]
    session = view.session
    model = load_global_model(session.trained_model())
    model.network.parameters_.views["head.weight"][:] = 0
    view.show_testing(test_many_series(model, session.table, session.config()))
    assert view.scores.item(0, 0).text() == "linear autoregression"
    assert view.scores.item(0, 0).toolTip() == UNUSED_NOTE
    assert view.verdict.text().startswith("The linear autoregression's OWA is ")
    assert view.spread.text().startswith("The linear autoregression's sMAPE is below ")
    assert "network" not in view.verdict.text() + view.spread.text()
    # so do the line on what was tested and the tooltips that name the model
    assert "of 20 series, which the linear autoregression never learned from" in \
        view.status.text()
    assert view.worst.toolTip().startswith("The series the linear autoregression forecast "
                                           "worst")
    assert view.every.toolTip().startswith("The linear autoregression's errors on each")
    for tip in (view.plot.toolTip(), view.histogram_plot.toolTip()):
        assert "the linear autoregression's" in tip and "network" not in tip
    # sMAPE, a percentage, with "%" in the sentences, the picker and the plot's title as
    # in the tables' headings (it read "below 0.412 on 10% of the series", "sMAPE 3.9"),
    # and the plot's values axis names the target as step 7 does (it had no name)
    assert view.scores.horizontalHeaderItem(1).text() == "sMAPE %"
    assert view.worst.horizontalHeaderItem(1).text() == "sMAPE %"
    assert re.search(r"sMAPE is below [\d.]+% on 10% of the series, below [\d.]+% on half",
                     view.spread.text())
    assert re.search(r"\(sMAPE [\d.]+%\)$", view.picker.currentText())
    assert re.search(r"\nsMAPE [\d.]+%, MASE ", view.plot.getPlotItem().titleLabel.text)
    assert view.plot.getAxis("left").labelText == "load"
    # the plot of one series names it in its legend, and neither plot calls it a network
    legend = view.plot.getPlotItem().legend
    assert legend.getLabel(view.forecast_curve).text == "linear autoregression"
    for plot in (view.plot, view.histogram_plot):
        assert "network" not in plot.getPlotItem().titleLabel.text


def test_the_intervals_coverage_is_said_as_the_engine_measured_it(tested):
    view, evaluation, _ = tested
    from engine.many.evaluation import coverage_sentence, network_subject

    assert 0 <= evaluation.coverage[0.9] <= 1
    assert view.spread.text().endswith(" " + coverage_sentence(
        evaluation.coverage, network_subject(evaluation)))
    assert "90% and 95% intervals held" in view.spread.text()


def test_the_histogram_counts_every_scored_series(tested):
    view, evaluation, _ = tested
    heights = view.histogram.opts["height"]
    assert len(heights) > 0 and int(np.sum(heights)) == evaluation.n_scored == 20
    axis = view.histogram_plot.getAxis("left")          # counts: no tick at 2.5 series
    ticks = [v for _, level in axis.tickValues(0.0, 3.5, 300) for v in level]
    assert ticks and all(float(v).is_integer() for v in ticks)


def test_the_worst_series_and_the_table_of_every_series(tested, qtbot):
    view, evaluation, _ = tested
    worst = evaluation.worst(10)
    assert view.worst.rowCount() == 10
    assert view.worst_heading.text().startswith("<b>The 10 worst series</b>")   # of 20
    assert [view.worst.item(r, 0).text() for r in range(10)] == [str(r["series"])
                                                                 for r in worst]
    assert view.every.rowCount() == evaluation.n_scored
    view.every.sortByColumn(1, Qt.SortOrder.AscendingOrder)        # by sMAPE, numerically
    smallest = min(evaluation.per_series(), key=lambda r: r["smape"])
    assert view.every.item(0, 0).text() == str(smallest["series"])
    view.worst.cellClicked.emit(3, 1)                    # a click plots that series
    assert view.picker.current_series() == str(worst[3]["series"])
    assert view.tabs.currentIndex() == 0


def test_picking_a_series_plots_its_values_and_forecasts(tested):
    view, evaluation, series = tested
    first = view.picker.current_series()
    other = next(name for name in series if str(name) != first)
    assert view.picker.choose(str(other))
    truth = series[other]
    steps = len(truth.forecast)
    x, y = view.truth_curve.getData()
    assert np.allclose(y, truth.values[truth.start:truth.start + steps])
    assert np.allclose(view.forecast_curve.getData()[1], truth.forecast)
    history = view.history_curve.getData()[1]
    assert np.allclose(history, truth.values[truth.start - len(history):truth.start])
    for shown in (view.truth_curve, view.forecast_curve, view.naive_curve):
        assert shown.opts["symbol"] is not None        # one testing row is still seen
    scored = [str(i) for i in evaluation.ids].index(str(other))
    assert np.allclose(view.naive_curve.getData()[1],
                       evaluation.forecasts["seasonal_naive"][scored])
    assert str(other) in view.plot.getPlotItem().titleLabel.text
    assert "sMAPE" in view.picker.currentText()           # each series' note


def test_testing_rows_are_needed_and_the_reason_is_said(tested, window):
    from engine.many.evaluation import network_subject
    from engine.many.project_testing import test_many_series

    view, evaluation, _ = tested
    assert f"which {network_subject(evaluation)} never learned from" in view.status.text()
    config = window.session.config()
    trained_on = config.test_last
    config.split.test_last = 0
    with pytest.raises(EngineError, match="no testing rows"):
        test_many_series(window.session.trained_model(), window.session.table, config)
    # testing rows set longer than the model's without training again: some scored rows
    # were learned from, and the page says so instead of "never learned from"
    config.split.test_last = trained_on + 4
    view.show_testing(test_many_series(window.session.trained_model(),
                                       window.session.table, config))
    assert "never learned from" not in view.status.text()
    assert "include 4 it was trained or selected on" in view.status.text()


def test_a_network_of_two_targets_shows_either_target(window, qtbot, tmp_path):
    from engine.data import load_table
    from engine.many.project_fit import many_series_config, record_many_fit, \
        train_many_project
    from engine.project.document import new_project, save_project
    from helpers.many_series import long_frame, seasonal

    frame = long_frame({name: seasonal(60, level=100 * (k + 1), seed=k)
                        for k, name in enumerate("ABC")})
    frame["z"] = np.round(1000 - 3 * frame["y"] + np.arange(len(frame)) % 5, 3)
    path = tmp_path / "two.csv"
    frame.to_csv(path, index=False)
    project = new_project("two targets", tmp_path)
    project.set_data_file(path)
    project.data.config, _ = many_series_config(load_table(path), "id", ["y", "z"])
    project.architecture.hidden_sizes = [4]
    project.training.max_epochs, project.training.members = 2, 1
    fit, model_path = train_many_project(project)
    record_many_fit(project, fit, model_path)
    assert set(project.results.scores["testing"]["targets"]) == {"y", "z"}
    save_project(project, tmp_path / "two.json")
    window.open_project(str(tmp_path / "two.json"))
    assert window.session.table is not None, window.session.table_error
    assert window.go_to_step(3)                 # step 4 says whose scores its table holds
    training = window.pages[3].many
    assert training.testing_title.text().startswith("<b>Testing</b> of y: the last ")
    assert training.target_row.isVisibleTo(training)
    assert window.go_to_step(5)
    view = window.pages[5].many
    qtbot.waitUntil(lambda: view.testing is not None or "could not" in view.status.text(),
                    timeout=60000)
    assert view.testing is not None, view.status.text()
    assert view.target_row.isVisibleTo(view)
    assert [view.target_box.itemText(i) for i in range(2)] == ["y", "z"]
    # 3 series: the heading counts the rows shown (it said "The 10 worst series")
    assert view.worst.rowCount() == 3
    assert view.worst_heading.text() == ("<b>All 3 series, the worst first</b> (click one "
                                         "to plot it)")
    model = load_global_model(model_path)
    data = series_of(window.session.table, window.session.config())
    test_last = window.session.config().test_last
    for target in (1, 0):
        view.target_box.setCurrentIndex(target)
        engine = evaluate_global(model, data, test_last, target=target)
        network = engine.summary()["network"]
        assert view.scores.item(0, 1).text() == format_number(
            network["smape"], summary_digits(engine.summary().values())["smape"])
        name = view.picker.current_series()
        truth = series_testing(model, data, test_last, target=target)[name]
        assert np.allclose(view.forecast_curve.getData()[1], truth.forecast)


def test_save_report_writes_the_figures_shown_and_says_why_it_could_not(tested, dialogs,
                                                                       tmp_path, qtbot):
    from html import escape

    from engine.many.evaluation import spread_sentence, tested_sentence
    from helpers.html_page import Page

    view, evaluation, _ = tested
    assert view.save_button.isVisible() and view.save_button.isEnabled()
    said = [tested_sentence(evaluation), spread_sentence(evaluation)]   # as the report says
    assert view.status.text().startswith(said[0]) and view.spread.text().startswith(said[1])
    (tmp_path / "out").mkdir()
    dialogs.save_paths.append(tmp_path / "out" / "report")      # ".html" is added
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "out" / "report.html"
    assert written.exists() and dialogs.warnings == []
    assert dialogs.file_requests[-1] == ("save", "Save test report")
    assert f"The report was saved to {written}." == view.status.text()
    assert all(f"<p>{escape(text)}</p>" in written.read_text(encoding="utf-8")
               for text in said)
    page = Page()
    page.feed(written.read_text(encoding="utf-8"))
    network = evaluation.summary()["network"]
    at = page.cells.index(network["label"])
    digits = summary_digits(evaluation.summary().values())
    assert page.cells[at + 1:at + 4] == [format_number(network[key], digits[key])
                                         for key in ("smape", "mase", "owa")]
    assert page.cells[page.cells.index("Series:") + 1] == "20"
    assert len(page.images) == 4
    dialogs.save_paths.append(tmp_path / "missing" / "report.html")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert [title for title, _ in dialogs.warnings] == ["Cannot save the report"]
    assert "Could not save" in dialogs.warnings[0][1]
    assert "Traceback" not in dialogs.warnings[0][1]
    assert not (tmp_path / "missing").exists()


def test_save_report_never_writes_the_figures_of_another_model(tested, window, dialogs,
                                                               tmp_path, qtbot):
    """Figures tested before the model changed (another window or the command line wrote
    its file) are not written under the new model's description: it is tested again."""
    import os

    view = tested[0]
    model = window.session.trained_model()
    status = os.stat(model)
    os.utime(model, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    dialogs.save_paths.append(tmp_path / "report.html")
    view.save_report()
    assert not (tmp_path / "report.html").exists() and not view.save_button.isEnabled()
    assert "The model changed since these figures were computed" in view.status.text()
    view.refresh()                      # the page shown again while the test still runs
    assert not view.save_button.isEnabled()
    qtbot.waitUntil(lambda: view.testing is not None and not view.runner.running,
                    timeout=120000)
    assert view.save_button.isEnabled()
    view.save_report()
    assert (tmp_path / "report.html").exists()


def test_the_plot_title_names_the_interval_as_it_is_drawn(tested):
    """A forecast of one step draws its interval as a bar: the title said "shaded"; an
    interval too few selection windows left unknown is said to be missing."""
    from dataclasses import replace

    view, _, _ = tested
    name = view.picker.current_series()
    title = view.plot.getPlotItem().titleLabel.text
    assert view.interval.drawn == "band" and title.endswith("(shaded: its 90% interval)")
    one = view.testing.views[name]
    view.testing.views[name] = replace(one, forecast=one.forecast[:1], lower=one.lower[:1],
                                       upper=one.upper[:1])
    view.show_series(name)
    title = view.plot.getPlotItem().titleLabel.text
    assert view.interval.drawn == "bar" and title.endswith("(bar: its 90% interval)")
    view.testing.views[name] = replace(one, lower=np.full_like(one.lower, np.nan))
    view.show_series(name)
    title = view.plot.getPlotItem().titleLabel.text
    assert view.interval.drawn is None and \
        title.endswith("(no 90% interval: too few windows)")
    # bounds for some steps only: shaded over those, as the report shades them
    from engine.many.report import has_bounds

    partly = replace(one, lower=np.where(np.arange(len(one.lower)) < 3, one.lower, np.nan))
    assert has_bounds(partly)
    view.testing.views[name] = partly
    view.show_series(name)
    title = view.plot.getPlotItem().titleLabel.text
    assert view.interval.drawn == "band" and title.endswith("(shaded: its 90% interval)")



def test_the_sort_arrow_points_the_way_the_rows_run(tested, window):
    """Qt's arrow points up for the largest first: it read as "ascending" above the series
    sorted from the worst sMAPE down."""
    view, _, _ = tested
    view.tabs.setCurrentWidget(view.every)
    header = view.every.horizontalHeader()
    assert header.sortIndicatorSection() == 1
    smapes = [float(view.every.item(r, 1).text()) for r in range(view.every.rowCount())]
    assert smapes == sorted(smapes, reverse=True)
    rows = arrow_rows(header, 1)
    assert len(rows) >= 2 and rows[0] > rows[-1]                  # wide at the top: down
    view.every.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    rows = arrow_rows(header, 1)
    assert len(rows) >= 2 and rows[0] < rows[-1]                  # wide at the bottom: up


def test_the_saved_reports_command_names_the_projects_model_and_data_files(
        window, dialogs, tmp_path, qtbot, monkeypatch):
    """The report step 6 saves names the project's model file and data file in the
    command that forecasts by a method that beat the network, quoted for a shell (it
    wrote MODEL and DATA.csv)."""
    import shlex
    from html import unescape

    from engine.many.evaluation import SeriesEvaluation
    from helpers.many_projects import open_trained, trained_example

    project, path, _ = trained_example(tmp_path / "hourly load")
    assert open_trained(window, qtbot, path) and window.go_to_step(5)
    view = window.pages[5].many
    qtbot.waitUntil(lambda: view.testing is not None and not view.runner.running,
                    timeout=60000)
    summary = {name: {**row, "owa": {"theta": 0.8}.get(name, 1.2)}
               for name, row in view.testing.evaluation.summary().items()}
    monkeypatch.setattr(SeriesEvaluation, "summary", lambda self: summary)
    dialogs.save_paths.append(tmp_path / "report.html")
    view.save_report()
    text = unescape((tmp_path / "report.html").read_text(encoding="utf-8"))
    session = window.session
    assert (f"rnn-studio forecast {shlex.quote(str(session.project.model_file()))} "
            f"{shlex.quote(str(session.project.data_file()))} --method theta --steps N "
            "--out FORECAST.csv.") in text
    assert " MODEL " not in text and "DATA.csv" not in text


def test_the_band_covers_the_series_forecast_after_a_zoom(tested, qtbot):
    """The shaded interval follows the view: drawn while the plot showed the last three
    steps of the forecast (the curves clipped to them), it covers every step once the view
    shows them all (it stayed on the three steps in view when drawn)."""
    view = tested[0]
    x = np.asarray(view.interval.low.xData)
    assert view.interval.drawn == "band" and len(x) > 3
    view.plot.setXRange(x[-3], x[-1], padding=0)
    qtbot.wait(50)
    view.show_series(view.picker.current_series())   # drawn again while three are in view
    view.plot.getPlotItem().autoRange()
    qtbot.wait(50)
    drawn = view.interval.band.path().boundingRect()
    assert drawn.left() == pytest.approx(x[0]) and drawn.right() == pytest.approx(x[-1])


def test_the_scores_table_and_the_picker_show_figures_as_the_command_line(qtbot):
    """Every figure of the table of scores to 4 significant digits with trailing zeros
    kept, or as many more as two figures that differ need to read differently (Naive2's
    OWA read "1", a MASE of 0.9 "0.9"); the verdict quotes the OWA as the table shows it."""
    from app.pages.many_scores import scores_table, show_scores, verdict_text

    summary = {"network": {"label": "global network", "smape": 12.5, "mase": 0.9,
                           "owa": 1.2},
               "naive2": {"label": "Naive2", "smape": 19.0, "mase": 2.131, "owa": 1.0},
               "seasonal_naive": {"label": "seasonal naive", "smape": 18.89, "mase": 1.215,
                                  "owa": 1.1},
               "theta": {"label": "Theta", "smape": 20.65, "mase": 2.347, "owa": 1.094}}
    table = scores_table()
    qtbot.addWidget(table)
    show_scores(table, summary)
    assert [[table.item(r, c).text() for c in range(1, 4)] for r in range(4)] == [
        ["12.50", "0.9000", "1.200"], ["19.00", "2.131", "1.000"],
        ["18.89", "1.215", "1.100"], ["20.65", "2.347", "1.094"]]
    assert "Naive2 (OWA 1.000) did best on these rows" in verdict_text(summary)
    summary["theta"]["owa"] = 1.0004
    show_scores(table, summary)
    assert [table.item(r, 3).text() for r in range(4)] == ["1.2000", "1.0000", "1.1000",
                                                          "1.0004"]


def test_naive2_doing_best_without_an_owa_is_named_with_its_mase():
    """No method has an OWA (every series' testing values all 0): when Naive2 has the
    lowest MASE, the verdict offers its forecast with its MASE (it read "(OWA –)" where it
    offered one, and offered none)."""
    from app.pages.many_scores import verdict_text
    from engine.many.evaluation import BY_MASE

    summary = {name: {"smape": None, "mase": mase, "owa": None}
               for name, mase in (("network", 1.2), ("naive2", 1.1),
                                  ("seasonal_naive", 1.3), ("theta", 1.25))}
    assert verdict_text(summary) == (
        f"The network's MASE is 1.200 ({BY_MASE}): it beats seasonal naive (1.300) and "
        "Theta (1.250). Naive2 (MASE 1.100) did best on these rows: its forecast is one "
        "choice away, in Deploy > Forecast > Method.")


def test_a_series_new_to_the_model_is_named_and_the_known_series_are_scored(tested, window,
                                                                            qtbot):
    """The data set holds a series the trained model never saw (a copy of one, renamed):
    step 6 tests again, scores the 20 series the model knows as before and a note names
    the new one; it has no row in the tables or the picker."""
    import pandas as pd

    from engine.data import load_table

    view, evaluation, _ = tested
    session = window.session
    column = session.config().series_column
    frame = session.table.frame
    first = frame[column].iloc[0]
    copy = frame[frame[column] == first].assign(**{column: "NEW"})
    shown = [[view.scores.item(r, c).text() for c in range(4)]
             for r in range(view.scores.rowCount())]
    before = view.testing
    session.replace_table(load_table(pd.concat([frame, copy], ignore_index=True)))
    view.refresh()
    qtbot.waitUntil(lambda: view.testing is not None and view.testing is not before
                    or "could not" in view.status.text(), timeout=60000)
    assert view.testing is not None, view.status.text()
    assert ("1 series in the data is new to the model: NEW; it is not scored. A global "
            "model scores the series it was trained on: train it again with this series "
            "to score it.") in view.status.text()
    assert view.status.text().startswith(f"Tested on the last {evaluation.steps} steps of "
                                         "20 series")
    assert [[view.scores.item(r, c).text() for c in range(4)]
            for r in range(view.scores.rowCount())] == shown
    assert view.every.rowCount() == 20 and view.testing.evaluation.ids == evaluation.ids
    assert "NEW" not in [view.every.item(r, 0).text() for r in range(20)]
    assert "NEW" not in view.testing.views and not view.picker.choose("NEW")


def test_testing_values_all_0_are_judged_by_mase(tested, window, qtbot):
    """Every series' testing values 0: no method has an sMAPE or an OWA, and the verdict
    compares MASE instead, saying so (there was none), then offers the forecast of the
    method of lowest MASE that beat the network (it offered none)."""
    from engine.data import load_table
    from engine.many.evaluation import BY_MASE, network_subject
    from engine.testing.verdict import method_words

    view, _, _ = tested
    session = window.session
    config = session.config()
    frame = session.table.frame.copy()
    testing = frame.groupby(config.series_column).cumcount(ascending=False) < config.test_last
    frame.loc[testing, config.targets[0].name] = 0.0
    before = view.testing
    session.replace_table(load_table(frame))
    view.refresh()
    qtbot.waitUntil(lambda: view.testing is not None and view.testing is not before
                    or "could not" in view.status.text(), timeout=60000)
    summary = view.testing.evaluation.summary()
    digits = summary_digits(summary.values())["mase"]
    assert view.verdict.isVisibleTo(view)
    assert view.verdict.text().startswith(
        f"{network_subject(summary, capital=True)}'s MASE is "
        f"{format_number(summary['network']['mase'], digits)} ({BY_MASE}): it ")
    assert f"Theta ({format_number(summary['theta']['mase'], digits)})" in \
        view.verdict.text()
    mases = {name: summary[name]["mase"] for name in ("seasonal_naive", "theta", "naive2")}
    best = min(mases, key=mases.get)
    assert mases[best] < summary["network"]["mase"]       # these data: a method beat it
    figure = f" (MASE {format_number(mases[best], digits)})" if best == "naive2" else ""
    assert view.verdict.text().endswith(
        f"{method_words(best, capital=True)}{figure} did best on these rows: its forecast "
        "is one choice away, in Deploy > Forecast > Method.")


def test_a_series_written_with_offsets_is_plotted_at_its_times(qtbot):
    """Times read with a zone (Berlin's offsets): the chosen series' plot stayed empty,
    and the event loop caught "float() argument must be ... not 'Timestamp'"."""
    from types import SimpleNamespace

    import pandas as pd

    from app.pages.many_testing import ManyTestingView
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings
    from engine.many.project_testing import ManyTesting
    from engine.many.series_data import from_frame
    from helpers.many_series import seasonal

    local = pd.date_range("2021-03-01", periods=48, freq="D", tz="Europe/Berlin")
    frame = pd.DataFrame({"id": ["a"] * 48 + ["b"] * 48,
                          "t": [t.isoformat() for t in local] * 2,
                          "y": np.r_[seasonal(48, 100, 1), seasonal(48, 50, 2)]})
    data = from_frame(frame, "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=6,
                                            hidden_sizes=(4,), max_epochs=1))
    views = {str(name): view for name, view in series_testing(model, data, 4).items()}
    testing = ManyTesting([evaluate_global(model, data, 4)], [views], 4, model=model)
    view = ManyTestingView(SimpleNamespace(table=None, project=None))
    qtbot.addWidget(view)
    view.show_testing(testing)
    view.show_series("b")
    x, y = view.truth_curve.getData()
    assert len(y) == 4 and np.allclose(y, views["b"].values[44:48])
    assert x[-1] == local[-1].timestamp() and x[-1] - x[-2] == 86400.0
