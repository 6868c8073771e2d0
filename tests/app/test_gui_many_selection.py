"""Step 5 for a project of many series: the backtest of the global fit in place of the
search, its origins limited to those the series leave room for, run in the background
with its stages and Stop, and the table of every origin and their mean filled from the
engine's result, with a sentence on the network's stability."""

import pytest

import app.pages.many_selection as many_selection
from engine.figures import number, table_digits
from engine.many.backtest import DEFAULT_ORIGINS
from engine.project.model_status import settings_fingerprint
from helpers.many_projects import open_trained, trained_example


def selection_page(window, path, qtbot):
    open_trained(window, qtbot, path)
    assert window.go_to_step(4)
    return window.pages[4]


def test_the_origins_are_those_the_series_leave_room_for(window, tmp_path, qtbot):
    _, path, _ = trained_example(tmp_path, max_epochs=1)
    page = selection_page(window, path, qtbot)
    panel = page.many
    assert page.views.currentWidget() is panel
    assert "backtests the global network" in panel.what.text()
    assert "steps 2-4" in panel.what.text() and "48 steps" in panel.what.text()
    # 700 - 48 testing rows, less a fit's 23 + 168 + 2 x 48 rows: room for 7 origins of 48
    assert panel.origins.maximum() == 7 and panel.origins.value() == DEFAULT_ORIGINS
    assert "room for 7 origins" in panel.room.text()
    assert panel.run_button.isEnabled()


def test_a_project_of_one_series_keeps_the_search(window):
    window.open_example("airline")
    page = window.pages[4]
    page.refresh()
    assert page.views.currentWidget() is page.single


def test_the_backtest_table_holds_every_origin_and_their_mean(window, tmp_path, qtbot,
                                                               monkeypatch):
    _, path, _ = trained_example(tmp_path, lookback=24)
    panel = selection_page(window, path, qtbot).many
    assert panel.origins.maximum() == 10 and panel.origins.value() == DEFAULT_ORIGINS
    returned, stages, steps = [], [], []
    engine_backtest = many_selection.backtest_global

    def recorded(*args):
        returned.append(engine_backtest(*args))
        return returned[-1]

    monkeypatch.setattr(many_selection, "backtest_global", recorded)
    panel.runner.stage.connect(stages.append)
    panel.runner.step.connect(steps.append)
    panel.origins.setValue(2)
    panel.workers.setValue(0)
    panel.run()
    assert not panel.run_button.isEnabled() and panel.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=120000)
    assert stages[0] == "Fitting 2 origins on this process"
    assert [(done.done, done.total) for done in steps] == [(1, 2), (2, 2)]
    result = returned[0]
    assert panel.result is result and len(result["origins"]) == 2
    table = panel.table
    assert table.rowCount() == 3
    assert [table.item(r, 0).text() for r in range(3)] == ["1 (latest)", "2 (earliest)",
                                                          "mean"]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Origin", "Series"] + [label for _, label in many_selection.METHODS]
    assert panel.measure.currentData() == "owa"
    for key, measure in many_selection.MEASURES:      # one measure at a time
        panel.measure.setCurrentIndex(panel.measure.findData(key))
        assert panel.plot.getAxis("left").labelText == measure
        summaries = [f["summary"] for f in result["origins"]] + [result["mean"]]
        digits = table_digits(s[m][key] for s in summaries for m, _ in many_selection.METHODS)
        for r, summary in enumerate(summaries):
            for c, (method, _) in enumerate(many_selection.METHODS, 2):
                assert table.item(r, c).text() == number(summary[method][key], digits)
    panel.measure.setCurrentIndex(panel.measure.findData("owa"))
    assert table.item(0, 1).text() == str(result["origins"][0]["series_scored"]) == "20"
    owa = [f["summary"]["network"]["owa"] for f in result["origins"]]
    lowest, highest = owa.index(min(owa)), owa.index(max(owa))
    assert panel.verdict.isVisible()              # the sentence quotes the table's figures
    assert f"OWA {table.item(lowest, 2).text()} to {table.item(highest, 2).text()}, " \
        f"mean {table.item(2, 2).text()}" in panel.verdict.text()
    assert panel.status.text().startswith("Finished: 2 origins")
    x, y = panel.curves["network"].getData()
    assert list(x) == [1, 2] and list(y) == owa[::-1]        # the earliest origin first
    # kept in the project: step 5 is done, and the saved project shows it again
    kept = window.session.project.selection.backtest
    assert kept["origins"][0]["summary"]["network"]["owa"] == pytest.approx(owa[0])
    assert window.session.step_states()[4] == "done"
    window.session.save()
    open_trained(window, qtbot, path)
    assert window.go_to_step(4)
    shown = window.pages[4].many
    assert shown.table.rowCount() == 3 and "latest backtest" in shown.status.text()
    window.session.project.training.max_epochs = 5          # other settings: not shown
    window.session.touch()
    shown.refresh()
    assert shown.table.rowCount() == 0 and "changed" in shown.status.text()


def test_the_origins_done_and_the_time_left_are_shown_while_it_runs(window, monkeypatch):
    """It showed a busy bar and the time since the start alone, for as long as the fits on
    a pool took."""
    from engine.many.folds import OriginsDone

    panel = window.pages[4].many
    clock = [1000.0]
    monkeypatch.setattr(many_selection.time, "monotonic", lambda: clock[0])
    panel.started = 100.0
    panel.stage_text = "Fitting 3 origins on local processes"
    panel.progress.setRange(0, 3)
    panel._show_stage()
    assert panel.status.text() == "Fitting 3 origins on local processes... (900 s)"
    panel._on_step(OriginsDone(1, 3, 900.0, 2))       # origin 2 still fits: no estimate
    assert (panel.progress.value(), panel.progress.maximum()) == (1, 3)
    assert panel.progress.text() == "1 of 3 origins done"
    assert panel.status.text() == ("Fitting 3 origins on local processes: 1 of the 3 "
                                   "origins done (900 s)")
    panel._on_step(OriginsDone(2, 3, 900.0, 2))       # origin 3 fits after the first two
    assert panel.status.text() == ("Fitting 3 origins on local processes: 2 of the 3 "
                                   "origins done; time left: about 7:30 (900 s)")
    clock[0] += 60                                     # the clock's next ticks count down
    panel._show_stage()
    assert "time left: about 6:30 (960 s)" in panel.status.text()
    panel._on_step(OriginsDone(1, 3, 5000.0, 1))      # hours, as the engine says them
    assert "time left: about 2:46:40 (960 s)" in panel.status.text()     # not 166:40
    panel._on_step(OriginsDone(3, 3, 1800.0, 2))
    assert panel.status.text().endswith("all 3 origins done (960 s)")


def test_one_origin_is_counted_in_the_singular_on_the_bar(window):
    """The bar of `1` origin read "0 of 1 origins done"."""
    from engine.many.folds import OriginsDone

    panel = window.pages[4].many
    panel._on_step(OriginsDone(1, 1, 5.0))
    assert panel.progress.text() == "1 of 1 origin done"


def test_an_origin_that_ends_after_stop_changes_nothing(window, monkeypatch):
    """A late origin put the origins done and a time left back beside "Stopping the
    backtest"."""
    from engine.many.folds import OriginsDone

    panel = window.pages[4].many
    monkeypatch.setattr(many_selection.time, "monotonic", lambda: 1000.0)
    monkeypatch.setattr(panel.runner, "stop", lambda: None)
    panel.started = 100.0
    panel.progress.setRange(0, 3)
    before = panel.progress.value()
    panel.stop()
    panel._on_step(OriginsDone(2, 3, 900.0, 2))
    panel._on_stage("Fitting 3 origins on local processes")
    assert panel.status.text() == "Stopping the backtest... (900 s)"
    assert panel.progress.value() == before and panel.done is None


def test_from_three_origins_the_median_row_follows_the_mean(window):
    """One origin whose forecasts ran away moves the mean, not the median."""
    import numpy as np

    panel = window.pages[4].many
    owa = [0.7, 0.72, 2.5]

    def summary(value):
        return {name: {"smape": 10 * value, "mase": 2 * value,
                       "owa": value if name == "network" else 0.9, "label": label}
                for name, label in many_selection.METHODS}

    folds = [{"origin": k + 1, "series_scored": 20, "summary": summary(v)}
             for k, v in enumerate(owa)]
    result = {"origins": folds, "mean": summary(float(np.mean(owa))),
              "median": summary(float(np.median(owa)))}
    panel.show_result(result)
    labels = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert labels[-2:] == ["mean", "median"]
    column = 2                                     # the network's OWA
    assert [panel.table.item(r, column).text() for r in (3, 4)] == ["1.307", "0.7200"]
    assert panel.table.item(4, column).font().bold()
    del result["median"]                           # a backtest kept before the median
    panel.show_result({**result, "origins": folds})
    assert panel.table.rowCount() == 4


def test_stop_keeps_nothing(window, tmp_path, qtbot):
    _, path, _ = trained_example(tmp_path, lookback=24, max_epochs=1)
    panel = selection_page(window, path, qtbot).many
    panel.workers.setValue(0)
    panel.run()
    panel.stop()
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=120000)
    assert panel.result is None and panel.table.rowCount() == 0
    assert "stopped; nothing was kept" in panel.status.text()
    assert panel.run_button.isEnabled()


def test_a_backtest_of_settings_changed_while_it_ran_is_not_taken_for_current(
        window, tmp_path, qtbot, monkeypatch):
    _, path, _ = trained_example(tmp_path, lookback=24, max_epochs=1)
    panel = selection_page(window, path, qtbot).many
    session = window.session
    engine_backtest = many_selection.backtest_global

    def edited_meanwhile(*args):
        result = engine_backtest(*args)
        session.project.training.max_epochs = 7     # step 4 edited while it ran
        return result

    monkeypatch.setattr(many_selection, "backtest_global", edited_meanwhile)
    panel.origins.setValue(1)
    panel.workers.setValue(0)
    panel.run()
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=120000)
    kept = session.project.selection.backtest
    assert kept["origins"] and kept["fingerprint"] != settings_fingerprint(session.project)
    assert session.step_states()[4] != "done"
    assert panel.table.rowCount() == 0 and "changed" in panel.status.text()


@pytest.mark.parametrize("owa, best, words", [
    ([0.8, 0.9], [1.0, 1.0], "Stable: the network beat the best of the other methods at "
                             "all 2 origins (OWA 0.8000 to 0.9000, mean 0.8500)."),
    ([0.8, 1.2], [1.0, 1.0], "Not stable: the network beat the best of the other methods "
                             "at 1 of 2 origins"),
    ([1.1, 1.2], [1.0, 1.0], "trailed the best of the other methods at every origin"),
    ([0.9], [0.95], "(OWA 0.9000 against 0.9500). One origin says nothing about stability"),
    ([1.1, 1.2], [1.0, 1.0], "The network trailed the best"),
])
def test_the_stability_sentence(owa, best, words):
    def fold(k, network, other):
        summary = {"network": {"owa": network}, "naive2": {"owa": 1.0},
                   "seasonal_naive": {"owa": other}, "theta": {"owa": other + 0.1}}
        return {"origin": k, "summary": summary}

    result = {"origins": [fold(k + 1, o, b) for k, (o, b) in enumerate(zip(owa, best))]}
    assert words in many_selection.stability_text(result)
    kept = {**result, "mean": {"network": {"label": "linear autoregression"}}}
    linear = many_selection.stability_text(kept)       # a fit that kept its linear start
    assert "network" not in linear and "linear autoregression" in linear, linear
    if "trailed" in words:
        assert linear.startswith("The linear autoregression trailed"), linear


def test_the_stability_sentence_compares_mase_where_no_origin_has_an_owa():
    """Every series tested on zeros at every origin: no OWA, and the sentence compared None
    with None (the page failed); it compares MASE and names it."""
    def fold(k, network, other):
        summary = {"network": {"owa": None, "mase": network},
                   "naive2": {"owa": None, "mase": 1.0},
                   "seasonal_naive": {"owa": None, "mase": other},
                   "theta": {"owa": None, "mase": None}}
        return {"origin": k, "summary": summary}

    result = {"origins": [fold(1, 0.8, 0.9), fold(2, 1.2, 0.95)]}
    assert many_selection.stability_text(result) == (
        "Not stable: the network beat the best of the other methods at 1 of 2 origins (MASE "
        "0.8000 to 1.200, mean 1.000). Judge it by the mean, and expect some periods where a "
        "simple method does better.")
    result["origins"].append(fold(3, None, 0.9))      # the network without a figure there
    assert many_selection.stability_text(result).endswith(
        "simple method does better. Left out: 1 origin of 3 without MASEs to compare "
        "(origin 3).")
    empty = {"origins": [fold(1, None, None)]}
    empty["origins"][0]["summary"]["naive2"]["mase"] = None
    assert many_selection.stability_text(empty) == (
        "No origin has MASEs of the network and another method to compare.")


def test_a_failed_backtest_says_why_on_the_page(window, tmp_path, qtbot, monkeypatch,
                                                 dialogs):
    from engine.errors import EngineError

    _, path, _ = trained_example(tmp_path, max_epochs=1)
    panel = selection_page(window, path, qtbot).many

    def refused(*args):
        raise EngineError("The scheduler at tcp://nowhere:8786 does not answer.")

    monkeypatch.setattr(many_selection, "backtest_global", refused)
    panel.run()
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=30000)
    assert "could not run: The scheduler at tcp://nowhere:8786" in panel.status.text()
    assert panel.run_button.isEnabled() and not panel.progress.isVisible()
    assert panel.result is None and not dialogs.warnings


def test_the_room_for_origins_counts_one_step_ahead_in_words(window, monkeypatch):
    """Series that leave room for 3 origins of one step ahead: "and 1 step ahead" (it said
    "1 steps ahead")."""
    from types import SimpleNamespace

    panel = window.pages[4].many
    monkeypatch.setattr(panel, "_inputs",
                        lambda: (None, SimpleNamespace(lookback=4, horizon=1)))
    monkeypatch.setattr(many_selection, "most_origins", lambda data, settings: 3)
    assert panel._show_room() is not None
    assert panel.room.text() == ("The longest series leaves room for 3 origins with a "
                                 "lookback of 4 and 1 step ahead (a shorter lookback leaves "
                                 "room for more).")


def test_one_step_ahead_is_scored_on_the_step_after_each_origin(window, dialogs, gui,
                                                                 tmp_path):
    """The panel's first sentence for a model of one step ahead: "scored on the step after
    it" (it said "on the 1 step after it"); more steps are counted."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"shop": np.repeat(["a", "b", "c"], 60),
                          "sales": np.round(np.random.default_rng(0).normal(50, 3, 180), 3)})
    csv = tmp_path / "shops.csv"
    frame.to_csv(csv, index=False)
    data_page = gui.new_data_project(window, tmp_path / "project", csv)
    gui.set_role(data_page, "sales", "input_target")
    gui.set_role(data_page, "shop", "series")
    panel = window.pages[4].many
    data_page.horizon.setValue(1)
    panel.refresh()
    assert "scored on the step after it in every series" in panel.what.text()
    assert "compared by the OWA against Naive2 of the forecast one step ahead in every " \
        "series" in panel.what.text()
    data_page.horizon.setValue(3)
    panel.refresh()
    assert "scored on the 3 steps after it in every series" in panel.what.text()
    # a model of 3 steps is compared, and its window chosen, on all 3, not the first
    assert "compared by the OWA against Naive2 of the forecasts of all 3 steps ahead in " \
        "every series" in panel.what.text()
    assert "chooses the network's window by the same measure" in panel.what.text()


def two_targets_result(sales_owa=1.2, returns_owa=0.8):
    """A made-up backtest of two origins of a model of sales and returns: the network's
    OWA ``sales_owa`` and ``returns_owa`` (Naive2 1, the others 0.9 and 1.1); the sales of
    8 series scored at each origin, the returns of 7 and 6."""
    def summary(owa):
        return {name: {"smape": 10.0, "mase": 1.0, "label": label,
                       "owa": {"network": owa, "naive2": 1.0, "seasonal_naive": 0.9,
                               "theta": 1.1}[name]}
                for name, label in many_selection.METHODS}

    targets = {"sales": summary(sales_owa), "returns": summary(returns_owa)}
    folds = [{"origin": k, "series_scored": 8, "summary": targets["sales"], "notes": [],
              "targets": targets, "series_by_target": {"sales": 8, "returns": 8 - k}}
             for k in (1, 2)]
    return {"origins": folds, "mean": targets["sales"], "median": targets["sales"],
            "targets": {t: {"mean": s, "median": s} for t, s in targets.items()}}


def test_each_target_shows_its_own_count_of_series_scored(window):
    panel = window.pages[4].many
    panel.show_result(two_targets_result())
    series = lambda: [panel.table.item(r, 1).text() for r in range(2)]  # noqa: E731
    assert panel.shown_target() == "sales" and series() == ["8", "8"]
    panel.target_box.setCurrentText("returns")
    assert series() == ["7", "6"]


def test_the_sentence_says_what_did_best_on_each_target_as_the_command_line_does(window):
    from engine.many.every_target import best_sentence

    panel = window.pages[4].many
    result = two_targets_result()
    panel.show_result(result)
    means = {target: both["mean"] for target, both in result["targets"].items()}
    every = best_sentence(means)
    assert every == "Seasonal naive did best on sales, the network on returns."
    text = panel.verdict.text()
    assert text.startswith("For sales: The network trailed the best of the other methods")
    assert f"By the mean OWA over the origins: {every} Deploy > Forecast > Method can use " \
        "the forecast of seasonal naive instead." in text
    panel.target_box.setCurrentText("returns")              # the same on every target
    assert panel.verdict.text().startswith("For returns: Stable:") and every in \
        panel.verdict.text()
    one = {**result, "targets": {}}                  # a model of one target: as before
    panel.show_result(one)
    assert panel.verdict.text() == many_selection.stability_text(one)


def test_the_sentence_names_mase_for_a_target_tested_on_zeros(window):
    """Every series' returns tested on values all 0 (no method has an OWA): the returns go
    by their mean MASE, and the sentence says so; it said "By the mean OWA"."""
    panel = window.pages[4].many
    result = two_targets_result()
    returns = {name: {**row, "smape": None, "owa": None,
                      "mase": {"network": 1.3, "naive2": 1.25}.get(name, 1.4)}
               for name, row in result["targets"]["returns"]["mean"].items()}
    result["targets"]["returns"] = {"mean": returns, "median": returns}
    panel.show_result(result)
    assert "By the mean OWA (MASE on returns) over the origins: Seasonal naive did best on " \
        "sales, Naive2 on returns. Deploy > Forecast > Method can use the forecast of " \
        "seasonal naive instead. Deploy > Forecast > Method can use the forecast of Naive2 " \
        "instead." in panel.verdict.text()
