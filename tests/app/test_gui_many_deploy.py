"""Step 7 for a model of many series: the forecast of every series (saved as one CSV with
one row per series and step) and the series picker's plot, batch prediction of a CSV
file, the outputs calculator per series (equal to the engine's forecast for the data's
own values, and changed by an edit), every export a global model has, and the
directional outputs shown as not offered, with the reason."""

import numpy as np
import pandas as pd
import pytest

from app.pages.deploy.many_view import NO_DIRECTIONAL
from engine.deploy.exports.formats import FORMATS
from engine.figures import number
from engine.many.model_file import load_global_model
from engine.many.project_fit import series_of
from helpers.many_projects import open_trained, trained_example


@pytest.fixture
def deployed(window, tmp_path, qtbot):
    """``(window, page, project)``: the example trained briefly, open at step 7 with its
    first forecast shown."""
    project, path, _ = trained_example(tmp_path)
    open_trained(window, qtbot, path)
    assert window.go_to_step(6)
    page = window.pages[6]
    qtbot.waitUntil(lambda: page.many.forecast.frame is not None and not page.runner.running,
                    timeout=30000)
    qtbot.waitUntil(lambda: page.many.calculator.result is not None and
                    not page.runner.running, timeout=30000)
    return window, page, project


def file_ids(project):
    """The series of the project's data file, in the order they first appear."""
    return list(pd.unique(pd.read_csv(project.data_file())["series"].astype(str)))


def finish(qtbot, page):
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)


def test_the_forecast_of_every_series_is_saved_and_plotted(deployed, dialogs, qtbot,
                                                           tmp_path):
    window, page, project = deployed
    assert page.views.currentWidget() is page.many
    assert page.status.text().startswith("Model of many series")
    tab = page.many.forecast
    assert tab.steps.value() == 48 and tab.level.currentData() == 0.9
    assert tab.notes.text().startswith("Forecast of 48 steps for 20 series with 90% intervals")
    tab.steps.setValue(5)
    tab.level.setCurrentIndex(2)                 # 95%
    tab.run()
    finish(qtbot, page)
    target = tmp_path / "out" / "every_series.csv"
    target.parent.mkdir()
    dialogs.save_paths.append(target)
    tab.save()
    finish(qtbot, page)
    saved = pd.read_csv(target)
    ids = file_ids(project)
    data = series_of(window.session.table, project.dataset_config())
    assert data.ids == ids and len(ids) == 20
    assert len(saved) == 20 * 5
    assert list(saved.columns) == ["series", "step", "load", "load_lower_95",
                                   "load_upper_95"]
    assert saved["series"].tolist() == [name for name in ids for _ in range(5)]
    assert saved["step"].tolist() == list(range(1, 6)) * 20
    np.testing.assert_allclose(saved["load"], tab.frame["load"], rtol=1e-8)
    assert f"saved to {target}" in tab.notes.text()
    # the picker redraws the plot with the chosen series
    assert tab.picker.current_series() == ids[0]
    assert tab.picker.choose(ids[6])
    np.testing.assert_array_equal(tab.history_curve.yData, data.history(6))
    np.testing.assert_allclose(tab.forecast_curve.yData, saved.loc[saved["series"] == ids[6], "load"],
                               rtol=1e-8)
    assert tab.plot.getPlotItem().titleLabel.text.startswith(f"{ids[6]}:")


def test_a_batch_of_rows_is_predicted(deployed, dialogs, qtbot, tmp_path):
    window, page, project = deployed
    source = tmp_path / "newer.csv"
    frame = window.session.table.frame
    two = file_ids(project)[2:4]
    frame[frame["series"].isin(two)].to_csv(source, index=False)
    target = tmp_path / "newer_predicted.csv"
    dialogs.open_paths.append(source)
    dialogs.save_paths.append(target)
    tab = page.many.batch
    assert "(series, load)" in tab.text.text()
    tab.predict_file()
    finish(qtbot, page)
    written = pd.read_csv(target)
    assert len(written) == 2 * 700 and set(written["series"]) == set(two)
    assert {"load_predicted_1", "load_predicted_48"} <= set(written.columns)
    assert tab.message.text() == f"Wrote 1,400 rows of 2 series to {target}."
    assert not dialogs.warnings


def test_a_series_far_outside_its_training_values_is_named_on_the_tab(deployed, dialogs,
                                                                      qtbot, tmp_path):
    window, page, project = deployed
    source = tmp_path / "scaled.csv"
    frame = window.session.table.frame
    two = file_ids(project)[2:4]
    frame = frame[frame["series"].isin(two)].copy()
    frame.loc[frame["series"] == two[1], "load"] *= 100
    frame.to_csv(source, index=False)
    dialogs.open_paths.append(source)
    dialogs.save_paths.append(tmp_path / "scaled_predicted.csv")
    tab = page.many.batch
    tab.predict_file()
    finish(qtbot, page)
    assert tab.message.text().startswith("Wrote 1,400 rows of 2 series to ")
    assert "1 series has values far outside those the model was trained on: " \
           f"{two[1]}. In {two[1]!r}: load in " in tab.message.text()
    calculator = page.many.calculator            # the same for values typed in
    assert calculator.picker.choose(two[1])
    finish(qtbot, page)
    assert calculator.notes.text() == ""
    for row in range(calculator.table.rowCount()):
        item = calculator.table.item(row, 0)
        item.setText(str(float(item.text()) * 100))
    calculator.calculate()
    finish(qtbot, page)
    assert calculator.notes.text().startswith("1 series has values far outside those the "
                                              f"model was trained on: {two[1]}.")
    assert not dialogs.warnings


def test_the_calculator_gives_the_engine_forecast_and_follows_an_edit(deployed, qtbot,
                                                                    dialogs):
    window, page, project = deployed
    tab = page.many.calculator
    name = file_ids(project)[4]
    assert tab.picker.choose(name)
    finish(qtbot, page)
    model = load_global_model(window.session.trained_model())
    data = series_of(window.session.table, project.dataset_config())
    values, lower, upper, _ = model.forecast(data, level=0.9)
    i = data.ids.index(name)
    assert tab.table.rowCount() == model.lookback + 23          # and the level's rows
    assert tab.result.series == name and tab.outputs.rowCount() == 48
    close = 1e-5 * np.mean(np.abs(data.history(i)))              # float32 rounding
    np.testing.assert_allclose(tab.result.values, values[i], rtol=0, atol=close)
    np.testing.assert_allclose(tab.result.upper, upper[i], rtol=0, atol=close)
    assert tab.outputs.item(0, 0).text() == number(tab.result.values[0, 0], 6)
    shown = [tab.outputs.item(r, c).text() for r in range(tab.outputs.rowCount())
             for c in range(tab.outputs.columnCount())]      # 618.620 beside 485.723
    assert all(len(text.replace("-", "").replace(".", "").lstrip("0")) >= 6
               for text in shown), shown
    last = tab.table.rowCount() - 1
    tab.table.item(last, 0).setText(str(float(tab.table.item(last, 0).text()) * 1.3))
    before = tab.result.values.copy()
    tab.calculate()
    finish(qtbot, page)
    assert not np.allclose(tab.result.values, before)
    assert tab.outputs.item(0, 0).text() == number(tab.result.values[0, 0], 6)
    tab.reset_button.click()
    finish(qtbot, page)
    np.testing.assert_allclose(tab.result.values, before, rtol=1e-12)
    # a series shorter than what the network reads is said to be so, with no calculation
    from engine.many.series_data import from_frame

    frame = pd.DataFrame({"series": np.repeat(["long", "short"], [200, 20]),
                          "load": np.r_[data.history(i)[-200:], data.history(i)[-20:]]})
    short = from_frame(frame, "series", ["load"])
    tab.show_model(tab.model, short)
    assert tab.picker.choose("short")
    finish(qtbot, page)
    assert tab.table.rowCount() == 20 and tab.outputs.rowCount() == 0
    from app.pages.many_scores import model_subject          # the tiny fit's model named

    assert f"Series short holds 20 rows, and {model_subject(tab.model)} reads 191: it " \
        "cannot calculate" in tab.explanation.text()
    tab.calculate()                  # the button, or the page's forecast that calls it
    finish(qtbot, page)
    assert tab.outputs.rowCount() == 0 and not dialogs.warnings


def test_every_export_writes_a_file(deployed, dialogs, qtbot, tmp_path):
    _, page, _ = deployed
    tab = page.many.exports
    assert set(tab.buttons) == set(FORMATS)
    for fmt, (_, suffix) in FORMATS.items():
        target = tmp_path / f"exported_{fmt}{suffix}"
        dialogs.save_paths.append(target)
        tab.buttons[fmt].click()
        finish(qtbot, page)
        assert target.exists() and target.stat().st_size > 0, fmt
        assert str(target) in tab.message.text()
    assert not dialogs.warnings


def test_directional_outputs_are_not_offered_and_say_why(deployed):
    _, page, _ = deployed
    tabs = page.many.tabs
    index = [tabs.tabText(i) for i in range(tabs.count())].index("Directional outputs")
    assert not tabs.isTabEnabled(index)
    assert tabs.tabToolTip(index) == NO_DIRECTIONAL
    assert "own scale" in NO_DIRECTIONAL


def test_a_data_set_of_other_series_is_named_as_the_problem_and_a_new_one_in_a_note(
        tmp_path, qtbot):
    """A data set of none but new series is refused; one that holds a new series beside
    the model's is read without it, and the page names it."""
    from types import SimpleNamespace

    from app.pages.deploy.many_view import ManyDeployView, read_many_model
    from engine.data.pipeline import load_table

    project, _, _ = trained_example(tmp_path, max_epochs=1)
    frame = pd.DataFrame({"series": ["new"] * 200, "load": np.arange(200.0) + 1})
    loaded = read_many_model(project.model_file(), load_table(frame))
    assert loaded.data is None and loaded.model is not None
    assert loaded.problem.startswith("The data set does not fit the model:")
    assert "new to it" in loaded.problem
    known = pd.read_csv(project.data_file())
    known = known[known["series"].isin(known["series"].unique()[:2])]
    both = pd.concat([known, frame], ignore_index=True)
    loaded = read_many_model(project.model_file(), load_table(both))
    assert loaded.problem is None and loaded.data.ids == list(known["series"].unique())
    assert loaded.notes == ["1 series in the data is new to the model: new; it has no "
                            "forecast. A global model forecasts the series it was trained "
                            "on: train it again with this series to forecast it."]
    table = load_table(both)
    view = ManyDeployView(SimpleNamespace(table=table, project=None), _AtOnce())
    qtbot.addWidget(view)
    view.show_model(loaded)
    assert view.problem.text() == loaded.notes[0] and not view.problem.isHidden()
    assert view.forecast.button.isEnabled()


def test_forecast_is_off_while_the_data_set_does_not_fit_the_model(tmp_path, qtbot):
    """The page named the problem above the tabs, yet Forecast stayed on, and a click
    (like the calculator) said to load the data file of step 2, which was loaded."""
    from types import SimpleNamespace

    from app.pages.deploy.many_view import ManyDeployView, read_many_model
    from app.pages.deploy.texts import UNFIT
    from engine.data.pipeline import load_table

    project, _, _ = trained_example(tmp_path, max_epochs=1)
    table = load_table(pd.DataFrame({"series": ["new"] * 200, "load": np.arange(200.0)}))
    unfit = read_many_model(project.model_file(), table)
    view = ManyDeployView(SimpleNamespace(table=table, project=None), _AtOnce())
    qtbot.addWidget(view)
    view.show_model(unfit)
    forecast = view.forecast
    assert not forecast.button.isEnabled() and forecast.button.toolTip() == UNFIT
    assert view.calculator.explanation.text() == UNFIT
    assert not view.calculator.calculate_button.isEnabled()
    assert "does not fit" in forecast.plot.empty_text
    forecast.set_busy(False)                  # another tab's task ends
    assert not forecast.button.isEnabled()
    view.show_model(read_many_model(project.model_file(), None))     # no data set
    assert forecast.button.isEnabled() and forecast.button.toolTip() != UNFIT
    assert view.calculator.explanation.text().startswith("Load the data file (step 2)")
    assert forecast.plot.empty_text == "No forecast yet: press Forecast"


def test_the_summary_counts_the_networks_trained_not_those_asked_for():
    """A training stopped after the first of two networks keeps one: the summary says so."""
    from app.pages.deploy.many_view import many_summary
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings, trained_members
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame, seasonal

    data = from_frame(long_frame({"a": seasonal(48, 100, 1), "b": seasonal(44, 50, 2)}),
                      "id", ["y"])
    two = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=6, members=2,
                                          hidden_sizes=(4,), max_epochs=1))
    assert trained_members(two) == 2
    assert "the average of 2 GRU networks of 4 units" in many_summary(two, "m.npz", False)
    one = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=6, members=1,
                                          hidden_sizes=(4,), max_epochs=1))
    one.settings["members"] = 2                    # asked for two, stopped after one
    assert trained_members(one) == 1
    assert "one GRU of 4 units" in many_summary(one, "m.npz", False)


def test_a_batch_is_read_in_the_csv_format_the_model_was_trained_on(tmp_path):
    """A file of thousands marks (1.234 is one thousand two hundred and thirty-four, told
    with --decimal and --thousands at the fit): the page reads it as the command line
    does, not as 1.234."""
    import io

    from app.pages.deploy.many_batch_tab import predict_file
    from engine.cli.main import main
    from helpers.many_series import monthly_csv

    source = tmp_path / "thousands.csv"
    plain = pd.read_csv(monthly_csv(tmp_path / "plain.csv", {"A": (30, "2020-01-01"),
                                                             "B": (30, "2020-01-01")}))
    plain["y"] = [f"{value / 1000:.3f}" for value in plain["y"] * 10]
    plain.to_csv(source, sep=";", index=False)
    model = tmp_path / "global.npz"
    argv = ["fit", source, "--series", "id", "--target", "y", "--time", "month",
            "--test-last", "3", "--hidden", "4", "--epochs", "2", "--decimal", ",",
            "--thousands", ".", "--out", model]
    assert main([str(a) for a in argv], out=io.StringIO(), err=io.StringIO()) == 0
    expected = tmp_path / "expected.csv"
    argv = ["predict", model, source, "--out", expected]
    assert main([str(a) for a in argv], out=io.StringIO(), err=io.StringIO()) == 0
    target = tmp_path / "predicted.csv"
    assert predict_file(load_global_model(model), str(source), str(target)) == \
        ((60, [], 2, 2), 2)
    marks = dict(sep=";", decimal=",", thousands=".")      # the file's own, kept
    written = pd.read_csv(target, **marks)
    assert written["y"].min() > 900
    pd.testing.assert_frame_equal(written, pd.read_csv(expected, **marks))


def test_the_steps_of_a_model_with_inputs_stop_at_its_horizon_and_a_line_says_why(qtbot):
    """A model of many series with an input gives no more steps than its network gives at
    once: **Steps** goes no further, and the line under the controls says why and what to
    do, as the forecast's note does (:func:`engine.many.forecasting.forecast_reach`); a
    model without inputs has no such line."""
    from types import SimpleNamespace

    from app.pages.deploy.many_forecast_tab import ManyForecastTab
    from engine.many.fitting import fit_global
    from engine.many.forecasting import MAX_STEPS
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame, seasonal

    frame = long_frame({"a": seasonal(48, 100, 1), "b": seasonal(44, 50, 2)})
    frame["x"] = np.arange(len(frame), dtype=float) % 5
    tab = ManyForecastTab(None, SimpleNamespace(running=False))
    qtbot.addWidget(tab)
    for inputs, most in (([], MAX_STEPS), (["x"], 2)):          # the model with x last
        data = from_frame(frame, "id", ["y"], inputs=inputs)
        model = fit_global(data, GlobalSettings(horizon=2, season=4, lookback=6,
                                                hidden_sizes=(4,), max_epochs=1))
        tab.show_model(model, data)
        assert tab.steps.maximum() == most and tab.steps.value() == 2
        assert tab.reach.isVisibleTo(tab) == bool(inputs)
    assert tab.reach.text() == (
        "At most 2 steps: the model reads the input x, and its network gives 2 steps at "
        "once; further steps would need the future values of this input, which a model "
        "of many series does not read. Train the model with more steps ahead to forecast "
        "further.")


def _two_series():
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame, seasonal

    return from_frame(long_frame({"a": seasonal(48, 100, 1), "b": seasonal(44, 50, 2)}),
                      "id", ["y"])


def _tiny_model(data, horizon):
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings

    return fit_global(data, GlobalSettings(horizon=horizon, season=4, lookback=6,
                                           hidden_sizes=(4,), max_epochs=1))


def test_the_batch_tab_counts_the_steps_ahead_of_its_model(qtbot):
    """A model of 1 step ahead: its batch predictions are made "1 step ahead", from the
    window that ends the row before (it read "1 to 1 steps ahead")."""
    from types import SimpleNamespace

    from app.pages.deploy.many_batch_tab import ManyBatchTab

    data = _two_series()
    tab = ManyBatchTab(None, SimpleNamespace(running=False))
    qtbot.addWidget(tab)
    for horizon, made in ((1, "made 1 step ahead (from the window that ends the row before "
                              "it)"),
                          (2, "made 1 to 2 steps ahead (from the window that ends that many "
                              "rows before it)")):
        tab.show_model(_tiny_model(data, horizon), data)
        assert made in tab.text.text()


def test_the_calculator_of_one_step_ahead_calculates_for_the_next_step(qtbot):
    """The calculator's explanation for a model of one step ahead ends "then Calculate for
    the next step." (it said "for the next 1 step"); more steps are counted."""
    from types import SimpleNamespace

    from app.pages.deploy.many_calculator_tab import ManyCalculatorTab

    data = _two_series()
    tab = ManyCalculatorTab(None, SimpleNamespace(running=False))
    qtbot.addWidget(tab)
    for horizon, words in ((1, "the next step."), (3, "the next 3 steps.")):
        tab.show_model(_tiny_model(data, horizon), data)
        assert tab.explanation.text().endswith(f"then Calculate for {words}")


def _with_a_series_of_no_values():
    """Series a and b, and c without any value (a country of the fertility panel that
    reports nothing), with a tiny model of 2 steps: none of its intervals is known."""
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame, seasonal

    data = from_frame(long_frame({"a": seasonal(48, 100, 1), "b": seasonal(44, 50, 2),
                                  "c": np.full(40, np.nan)}), "id", ["y"])
    return data, _tiny_model(data, 2)


def _forecast_tab(qtbot):
    """The forecast tab of :func:`_with_a_series_of_no_values`, and its model and data."""
    from types import SimpleNamespace

    from app.pages.deploy.many_forecast_tab import ManyForecastTab

    data, model = _with_a_series_of_no_values()
    tab = ManyForecastTab(SimpleNamespace(table=None), SimpleNamespace(running=False))
    qtbot.addWidget(tab)
    tab.show_model(model, data)
    return tab, model, data


def test_the_forecast_says_once_that_an_interval_is_unknown(qtbot):
    """The headline said "without intervals (the 90% interval is unknown)" and the note
    after it "No 90% interval: ..." again; the note says it."""
    from engine.many.forecasting import forecast_frame

    tab, model, data = _forecast_tab(qtbot)
    tab._forecasted(forecast_frame(model, data, 2, 0.9), 2, 0.9)
    text = tab.notes.text()
    assert text.startswith("Forecast of 2 steps for 2 series (1 could not be forecast: see "
                           "the note) without intervals. ")
    assert text.count("90% interval") == 1 and "No 90% interval: " in text


class _AtOnce:
    """Runs a tab's task at once, in the test's thread (the page's ToolTasks' calls)."""

    running = False

    def start(self, function, *args, done, failed=None, cancelled=None):
        done(function(*args))


def test_a_saved_forecast_counts_the_series_it_holds_values_of(qtbot, tmp_path,
                                                               monkeypatch):
    """A saved forecast counts the series whose forecasts were written: 2, not the 3 of
    the data (c has no value: "forecasts of 219 series were saved" of 210)."""
    import app.pages.deploy.many_forecast_tab as forecast_tab
    from engine.many.forecasting import forecast_frame

    tab, model, data = _forecast_tab(qtbot)
    tab._forecasted(forecast_frame(model, data, 2, 0.9), 2, 0.9)
    target = tmp_path / "forecasts.csv"
    monkeypatch.setattr(forecast_tab, "csv_target", lambda *args: str(target))
    tab.tasks = _AtOnce()
    tab.save()
    assert tab.notes.text().startswith(f"The forecasts of 2 series were saved to {target}. ")
    assert pd.read_csv(target)["id"].nunique() == 3     # c's rows are there, empty


def test_the_forecast_tab_notes_other_static_labels_and_saves_in_the_files_marks(
        qtbot, tmp_path, monkeypatch):
    """A file of semicolons and decimal commas whose static column gives series b another
    label than the model was trained with: the Forecast tab (its data read from the
    loaded table, as the page reads it) says so as the command line does, and saves the
    forecast in the file's delimiter and decimal mark, the same file the command line
    writes."""
    import io
    from types import SimpleNamespace

    import app.pages.deploy.many_forecast_tab as forecast_tab
    from app.pages.deploy.many_forecast_tab import ManyForecastTab
    from app.pages.deploy.many_view import read_many_model
    from engine.cli.main import main
    from engine.data.pipeline import load_table
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings
    from engine.many.model_file import save_global_model
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame, seasonal

    frame = long_frame({"a": seasonal(40, 100, 1), "b": seasonal(40, 50, 2)})
    frame["group"] = np.where(frame["id"] == "a", "north", "south")
    model = fit_global(from_frame(frame, "id", ["y"], statics=["group"]),
                       GlobalSettings(horizon=2, season=4, lookback=6, hidden_sizes=(4,),
                                      max_epochs=1, static_columns=("group",)))
    save_global_model(tmp_path / "m.npz", model)
    frame.loc[frame["id"] == "b", "group"] = "east"
    source = tmp_path / "groups.csv"
    frame.to_csv(source, sep=";", decimal=",", index=False)
    expected = tmp_path / "expected.csv"
    out = io.StringIO()
    assert main(["forecast", str(tmp_path / "m.npz"), str(source), "--steps", "2",
                 "--out", str(expected)], out=out, err=io.StringIO()) == 0
    note = ("The file gives 1 series another static label than the model was trained "
            "with: 'b' (group 'east' in the file, trained with 'south').")
    assert f"Note: {note}" in out.getvalue()
    table = load_table(str(source))
    loaded = read_many_model(tmp_path / "m.npz", table)
    tab = ManyForecastTab(SimpleNamespace(table=table), _AtOnce())
    qtbot.addWidget(tab)
    tab.show_model(loaded.model, loaded.data)
    tab.steps.setValue(2)
    tab.run()
    assert note in tab.notes.text()
    target = tmp_path / "saved.csv"
    monkeypatch.setattr(forecast_tab, "csv_target", lambda *args: str(target))
    tab.save()
    assert target.read_text() == expected.read_text()
    assert target.read_text().startswith("id;step;y;y_lower_90;y_upper_90\n")


def test_the_calculator_names_its_rows_by_the_steps_ahead(qtbot):
    """The outputs' rows read "1 step ahead", "2 steps ahead", as the single series'
    calculator and the batch tab say it (they read "+1", "+2")."""
    from types import SimpleNamespace

    from app.pages.deploy.many_calculator_tab import ManyCalculatorTab
    from engine.many.calculator import forecast_series

    data = _two_series()
    model = _tiny_model(data, 2)
    tab = ManyCalculatorTab(None, SimpleNamespace(running=False))
    qtbot.addWidget(tab)
    tab.show_model(model, data)
    tab._show_outputs(forecast_series(model, "a", tab.values()))
    assert [tab.outputs.verticalHeaderItem(r).text() for r in range(2)] == \
        ["1 step ahead", "2 steps ahead"]


def test_the_exports_keep_the_command_in_one_piece():
    """The export descriptions name rnn-studio with a non-breaking hyphen: a narrow tab
    wrapped the line at its hyphen ("rnn-" / "studio")."""
    from app.pages.deploy.export_tab import EXPORTS
    from app.pages.deploy.many_export_tab import MANY_EXPORTS

    for _, _, text in EXPORTS + MANY_EXPORTS:
        assert "rnn-studio" not in text
    assert "for rnn\u2011studio forecast, predict and export" in MANY_EXPORTS[0][2]


def test_the_exports_say_what_they_hold_in_plain_words():
    """A programmer's names (a state dict, the function's arguments, series.* arrays) are
    given in brackets only, after plain words; the model of many series is "the model"
    (it may be a linear autoregression), never "the network"; no "scalers"."""
    import re

    from app.pages.deploy.export_tab import EXPORTS
    from app.pages.deploy.many_export_tab import MANY_EXPORTS

    texts = {(kind, fmt): text for kind, exports in (("one", EXPORTS), ("many", MANY_EXPORTS))
             for fmt, _, text in exports}
    for text in texts.values():
        plain = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", "", text)    # brackets left out
        for word in ("state dict", "series_id", "series.*", "torch.nn", "scaler"):
            assert word not in plain, (word, text)
    assert texts["one", "torch"].startswith("The weights for PyTorch, under PyTorch's own "
                                            "names (a state dict in a .npz file)")
    assert texts["many", "torch"].startswith("The model's weights for PyTorch")
    assert "network" not in " ".join(text for (kind, _), text in texts.items()
                                     if kind == "many")


@pytest.fixture
def short_deployed(window, tmp_path, qtbot):
    """``(window, page)``: the example with a lookback of 8 rows trained briefly, open at
    step 7 with its calculator's forecast shown."""
    _, path, _ = trained_example(tmp_path, lookback=8)
    open_trained(window, qtbot, path)
    assert window.go_to_step(6)
    page = window.pages[6]
    qtbot.waitUntil(lambda: page.many.calculator.result is not None and
                    not page.runner.running, timeout=30000)
    return window, page


def test_the_calculator_rows_are_as_tall_as_they_are_and_the_forecast_takes_the_rest(
        short_deployed, qtbot):
    """At 1400x900 the 15 rows the network reads show whole in a table no taller than
    them; the 48 steps of the forecast take the column's height and scroll."""
    window, page = short_deployed
    window.resize(1400, 900)
    page.many.tabs.setCurrentWidget(page.many.calculator)
    calculator = page.many.calculator
    qtbot.wait(50)
    table, outputs = calculator.table, calculator.outputs
    assert table.rowCount() == 15
    header = table.horizontalHeader().height() + 2 * table.frameWidth()
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert header + rows <= table.height() <= header + rows + 8
    assert outputs.rowCount() == 48 and outputs.verticalScrollBar().maximum() > 0
    assert outputs.height() > table.height()


def test_the_introduction_speaks_of_intervals_only_for_a_method_that_gives_them(deployed):
    """Step 7's introduction says the forecasts come with their intervals while the
    network makes them; with a classical method chosen in the Method box, which gives
    none, it names that method and says so instead."""
    window, page, _ = deployed
    explanation = window.frames[6].explanation
    tab = page.many.forecast
    assert tab.method.currentData() == "network"
    assert "every series with their intervals into one file" in explanation.text()
    for index, words in ((1, "Naive2"), (2, "seasonal naive"), (3, "the Theta method")):
        tab.method.setCurrentIndex(index)
        assert (f"every series by {words} (it gives no intervals) into one file"
                in explanation.text())
        assert "with their intervals" not in explanation.text()
    tab.method.setCurrentIndex(0)
    assert "every series with their intervals into one file" in explanation.text()


def test_the_forecast_of_series_written_with_offsets_is_plotted_at_its_times(qtbot):
    """Times read with a zone (Berlin's offsets, across a change of summer time): the plot
    of a series failed ("Cannot subtract tz-naive and tz-aware"); its history and its
    forecast lie at their instants, one step apart at the seam."""
    from types import SimpleNamespace

    from app.pages.deploy.many_forecast_tab import ManyForecastTab
    from engine.many.forecasting import forecast_frame
    from engine.many.series_data import from_frame
    from helpers.many_series import seasonal

    local = pd.date_range("2021-03-01", periods=48, freq="D", tz="Europe/Berlin")
    texts = [t.isoformat() for t in local]
    frame = pd.DataFrame({"id": ["a"] * 48 + ["b"] * 48, "t": texts * 2,
                          "y": np.r_[seasonal(48, 100, 1), seasonal(48, 50, 2)]})
    data = from_frame(frame, "id", ["y"], time_column="t")
    tab = ManyForecastTab(SimpleNamespace(table=None), SimpleNamespace(running=False))
    qtbot.addWidget(tab)
    tab.show_model(_tiny_model(data, 2), data)
    tab._forecasted(forecast_frame(_tiny_model(data, 2), data, 2, 0.9), 2, 0.9)
    curves = [item for item in tab.plot.listDataItems() if item.xData is not None]
    xs = sorted(float(x) for item in curves for x in item.xData)
    assert xs[-1] - xs[-2] == 86400.0 and xs[0] == local[0].timestamp()
