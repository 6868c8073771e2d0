"""A model of many series that a simple method beats on the testing rows: steps 4 and 6 say
which method did best and that its forecast is one choice away on step 7, whose Forecast
tab marks it in the Method box and forecasts, plots and saves by the method chosen (the
engine's :func:`~engine.many.forecasting.forecast_frame` of that method, without a band)."""

import io
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from engine.many.evaluation import best_method
from engine.many.forecasting import MAX_STEPS, forecast_frame, write_forecast_file
from engine.many.model_file import load_global_model
from engine.project.document import load_project
from helpers.many_projects import open_trained

OFFER = ("The Theta method did best on these rows: its forecast is one choice away, in "
         "Deploy > Forecast > Method.")


def seasonal_shops(folder):
    """Eight shops' weekly sales repeating a season of 4 weeks with a little noise, fitted
    on the command line for 2 epochs with the last 4 weeks tested: the Theta method beats
    the network there. Returns the project's path."""
    from engine.cli.main import main

    rng = np.random.default_rng(0)
    week = np.arange(40)
    parts = [pd.DataFrame({"shop": f"S{k + 1}", "week": week + 1, "sales": np.round(
        100 * (k + 1) * (1 + 0.3 * np.sin(2 * np.pi * week / 4 + k)) +
        rng.normal(size=40) * 0.5, 2)}) for k in range(8)]
    pd.concat(parts).to_csv(folder / "shops.csv", index=False)
    project = folder / "shops.json"
    status = main(["fit", str(folder / "shops.csv"), "--series", "shop", "--time", "week",
                   "--target", "sales", "--test-last", "4", "--horizon", "4", "--season",
                   "4", "--members", "1", "--epochs", "2", "--hidden", "4", "--seed", "0",
                   "--project", str(project), "--out", str(folder / "shops.npz")],
                  out=io.StringIO(), err=io.StringIO())
    assert status == 0
    return project


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    """The project of :func:`seasonal_shops`, its stored scores saying Theta did best."""
    path = seasonal_shops(tmp_path_factory.mktemp("shops"))
    assert best_method(load_project(path).results.comparison["summary"]) == "theta"
    return path


class _AtOnce:
    """Runs a tab's task at once, in the test's thread (the page's ToolTasks' calls)."""

    running = False

    def start(self, function, *args, done, failed=None, cancelled=None):
        done(function(*args))


def _forecast_tab(qtbot, path):
    """The Forecast tab of the project at ``path`` on its own, its work done at once."""
    from app.pages.deploy.many_forecast_tab import ManyForecastTab
    from app.pages.deploy.many_view import read_many_model
    from engine.data.pipeline import load_table

    project = load_project(path)
    table = load_table(str(project.data_file()))
    loaded = read_many_model(project.model_file(), table)
    tab = ManyForecastTab(SimpleNamespace(project=project, table=table), _AtOnce())
    qtbot.addWidget(tab)
    tab.show_model(loaded.model, loaded.data)
    return tab, loaded


def test_the_method_box_marks_theta_and_theta_forecasts_without_a_band(qtbot, shops,
                                                                       tmp_path,
                                                                       monkeypatch):
    import app.pages.deploy.many_forecast_tab as forecast_tab

    tab, loaded = _forecast_tab(qtbot, shops)
    assert [tab.method.itemText(i) for i in range(tab.method.count())] == [
        "The model, a linear autoregression", "Naive2", "Seasonal naive", "The Theta method (best on testing)"]
    assert tab.method.currentData() == "network"
    tab.method.setCurrentIndex(tab.method.findData("theta"))
    tab.steps.setValue(6)
    tab.run()
    expected, notes = forecast_frame(loaded.model, loaded.data, 6, 0.9, method="theta")
    pd.testing.assert_frame_equal(tab.frame, expected)
    assert tab.frame["sales_lower_90"].isna().all()
    assert tab.notes.text() == " ".join(["Forecast of 6 steps by the Theta method for 8 "
                                         "series without intervals."] + notes)
    assert "Made by the Theta method" in tab.notes.text()
    assert tab.interval.drawn is None
    np.testing.assert_allclose(tab.forecast_curve.yData, expected["sales"][:6])
    title = tab.plot.getPlotItem().titleLabel.text
    assert title == "S1: sales, forecast of 6 steps by the Theta method"
    target = tmp_path / "theta.csv"
    monkeypatch.setattr(forecast_tab, "csv_target", lambda *args: str(target))
    tab.method.setCurrentIndex(0)           # the method shown is saved, not the one chosen
    tab.save()
    write_forecast_file(loaded.model, loaded.data, 6, tmp_path / "engine.csv", 0.9,
                        method="theta")
    assert target.read_text() == (tmp_path / "engine.csv").read_text()
    assert tab.notes.text().startswith(f"The forecasts of 8 series were saved to {target}.")


def test_the_method_box_names_the_model_as_its_fit_kept_it(qtbot, shops):
    """The shops' training kept its least-squares start: the model is a linear
    autoregression, as its summary on step 7 says, and the Method box names it so (its
    tooltip says why, as one series' does); with the recurrent part in use it is the
    network again."""
    from app.pages.deploy.many_view import many_summary
    from engine.training.share_words import UNUSED_NOTE

    tab, loaded = _forecast_tab(qtbot, shops)
    assert many_summary(loaded.model, "shops.npz", False).startswith(
        "Model of many series: a linear autoregression (the recurrent part of one GRU of 4 "
        "units unused")
    assert tab.method.itemText(0) == "The model, a linear autoregression"
    assert tab.method.toolTip().endswith(f" {UNUSED_NOTE}")
    loaded.model.network.parameters_.views["head.weight"][...] = 0.01
    tab.show_model(loaded.model, loaded.data)
    assert tab.method.itemText(0) == "The network"
    assert UNUSED_NOTE not in tab.method.toolTip()
    # the sentences of step 7 name it so too (the calculator's)
    from app.pages.many_scores import model_subject

    assert model_subject(loaded.model, capital=True) == "The network"
    loaded.model.network.parameters_.views["head.weight"][...] = 0
    assert model_subject(loaded.model, capital=True) == "The linear autoregression"


@pytest.mark.parametrize("method", ["naive2", "seasonal_naive", "theta"])
def test_the_headline_names_the_method_in_words(qtbot, shops, method):
    """The tab's headline names a classical method as its plot title and the Method box
    do, never by the code name the command line takes."""
    from engine.testing.verdict import method_words

    tab, _ = _forecast_tab(qtbot, shops)
    tab.method.setCurrentIndex(tab.method.findData(method))
    tab.steps.setValue(3)
    tab.run()
    words = method_words(method)
    assert tab.notes.text().startswith(f"Forecast of 3 steps by {words} for 8 series "
                                       "without intervals. ")
    assert method not in tab.notes.text()
    assert tab.plot.getPlotItem().titleLabel.text.endswith(f"forecast of 3 steps by {words}")


def test_a_method_forecasts_past_the_horizon_of_a_network_with_inputs(qtbot):
    """A model with an input stops at its horizon (the line under the controls says why);
    a classical method reads no inputs: Steps goes on, and the line goes."""
    from app.pages.deploy.many_forecast_tab import ManyForecastTab
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame, seasonal

    frame = long_frame({"a": seasonal(48, 100, 1), "b": seasonal(44, 50, 2)})
    frame["x"] = np.arange(len(frame), dtype=float) % 5
    data = from_frame(frame, "id", ["y"], inputs=["x"])
    model = fit_global(data, GlobalSettings(horizon=2, season=4, lookback=6,
                                            hidden_sizes=(4,), max_epochs=1))
    tab = ManyForecastTab(SimpleNamespace(project=None, table=None), _AtOnce())
    qtbot.addWidget(tab)
    tab.show_model(model, data)
    assert tab.steps.maximum() == 2 and tab.reach.isVisibleTo(tab)
    tab.method.setCurrentIndex(tab.method.findData("seasonal_naive"))
    assert tab.steps.maximum() == MAX_STEPS and not tab.reach.isVisibleTo(tab)
    tab.steps.setValue(5)
    tab.run()
    assert len(tab.frame) == 2 * 5 and tab.frame["y"].notna().all()
    tab.method.setCurrentIndex(0)
    assert tab.steps.maximum() == 2 and tab.reach.isVisibleTo(tab)


def _overlap(window, one, other):
    """Whether the widgets ``one`` and ``other`` overlap in ``window``."""
    from PySide6.QtCore import QPoint, QRect

    def place(widget):
        return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())

    return place(one).intersects(place(other))


def test_steps_4_and_6_point_to_the_method_that_did_best_and_step_7_uses_it(window, qtbot,
                                                                             shops):
    """... in a window of 1000 x 680, where the sentence once covered step 6's scores."""
    assert open_trained(window, qtbot, shops)
    window.show()
    window.resize(1000, 680)
    assert window.go_to_step(3)
    training = window.pages[3].many
    assert "it does not beat" in training.verdict.text()
    assert training.verdict.text().endswith(" " + OFFER)
    assert window.go_to_step(5)
    testing = window.pages[5].many
    qtbot.waitUntil(lambda: testing.testing is not None and not testing.runner.running,
                    timeout=60000)
    assert "it does not beat" in testing.verdict.text()
    assert testing.verdict.text().endswith(" " + OFFER)
    assert not _overlap(window, testing.verdict, testing.scores)
    assert window.go_to_step(6)
    page = window.pages[6]
    tab = page.many.forecast
    qtbot.waitUntil(lambda: tab.frame is not None and not page.runner.running,
                    timeout=30000)
    assert tab.method.itemText(3) == "The Theta method (best on testing)"
    assert tab.interval.drawn == "band"
    tab.method.setCurrentIndex(3)
    tab.button.click()
    assert page.runner.running                  # the work runs in the page's runner
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    model = load_global_model(window.session.trained_model())
    expected, _ = forecast_frame(model, page.many.forecast.data, tab.steps.value(), 0.9,
                                 method="theta")
    pd.testing.assert_frame_equal(tab.frame, expected)
    assert tab.interval.drawn is None


def test_naive2_doing_best_is_named_with_its_owa():
    """The verdict names seasonal naive and Theta only: when Naive2 did best (the network
    beats those two but not Naive2's OWA of 1), the sentence gives its OWA; when the
    network beats every method there is no offer."""
    from app.pages.many_scores import verdict_text

    summary = {"network": {"owa": 1.05}, "naive2": {"owa": 1.0},
               "seasonal_naive": {"owa": 1.2}, "theta": {"owa": 1.1}}
    assert verdict_text(summary) == (
        "The network's OWA is 1.050: it beats seasonal naive (1.200) and Theta (1.100). "
        "Naive2 (OWA 1.000) did best on these rows: its forecast is one choice away, in Deploy > "
        "Forecast > Method.")
    summary["network"]["owa"] = 0.9
    assert verdict_text(summary) == ("The network's OWA is 0.9000: it beats seasonal "
                                     "naive (1.200) and Theta (1.100).")


def _scores(network, theta):
    return {"network": {"owa": network}, "naive2": {"owa": 1.0},
            "seasonal_naive": {"owa": 1.3}, "theta": {"owa": theta}}


def test_the_mark_names_the_targets_a_method_did_best_on_when_not_the_same_for_all():
    from app.pages.deploy.many_forecast_tab import best_marks

    assert best_marks({"sales": _scores(1.2, 0.9)}, 1) == {"theta": " (best on testing)"}
    assert best_marks({"sales": _scores(1.2, 0.9), "returns": _scores(1.1, 0.8)}, 2) == \
        {"theta": " (best on testing)"}
    assert best_marks({"sales": _scores(1.2, 0.9), "returns": _scores(0.8, 0.9)}, 2) == \
        {"theta": " (best on testing, sales)", "network": " (best on testing, returns)"}
    # only the first target's scores known (a model file without them): it is named
    assert best_marks({"sales": _scores(1.2, 0.9)}, 2) == \
        {"theta": " (best on testing, sales)"}


def test_steps_4_6_and_7_judge_every_target(window, qtbot, tmp_path):
    """Theta did best on the sales, the model (whose training kept its linear start: a
    linear autoregression, so named) on the returns: steps 4 and 6 say so whichever target
    they show, and step 7 marks each with the target it did best on."""
    from helpers.many_projects import shops_with_returns

    project, _, _ = shops_with_returns(tmp_path)
    every = ("The Theta method did best on sales, the linear autoregression on returns. "
             "Deploy > "
             "Forecast > Method can use the forecast of the Theta method instead.")
    assert open_trained(window, qtbot, project)
    assert window.go_to_step(3)
    training = window.pages[3].many
    assert training.verdict.text().startswith("For sales: The linear autoregression's OWA is 0.9170: it "
                                              "does not beat")
    assert training.verdict.text().endswith(" " + every)
    assert window.go_to_step(5)
    testing = window.pages[5].many
    qtbot.waitUntil(lambda: testing.testing is not None and not testing.runner.running,
                    timeout=60000)
    testing.target_box.setCurrentIndex(1)
    assert testing.verdict.text().startswith("For returns: The linear autoregression's OWA is 0.7788: "
                                             "it beats seasonal naive")
    assert testing.verdict.text().endswith(" " + every)
    assert window.go_to_step(6)
    page = window.pages[6]
    tab = page.many.forecast
    qtbot.waitUntil(lambda: tab.frame is not None and not page.runner.running,
                    timeout=30000)
    assert tab.method.itemText(0) == "The model, a linear autoregression (best on testing, " \
        "returns)"
    assert tab.method.itemText(3) == "The Theta method (best on testing, sales)"


def test_every_step_names_a_model_that_kept_its_linear_start_as_its_scores_do(window, qtbot,
                                                                               shops):
    """The shops' training kept its least-squares start, so the model is a linear
    autoregression: step 3 says so under the network's size (as one series' notes a share
    of 0), and steps 4, 6 and 7 name it so where they name what was tested or what reads
    the series (they said "the network")."""
    from engine.training.share_words import UNUSED_NOTE

    assert open_trained(window, qtbot, shops)
    assert window.go_to_step(2)
    assert window.pages[2].parameters.text().endswith(f"<br>{UNUSED_NOTE}")
    assert window.go_to_step(3)
    assert window.pages[3].many.testing_title.text() == (
        "<b>Testing</b>: the last 4 rows of 8 series, which the linear autoregression never "
        "learned from")
    assert window.go_to_step(5)
    testing = window.pages[5].many
    qtbot.waitUntil(lambda: testing.testing is not None and not testing.runner.running,
                    timeout=60000)
    assert testing.status.text().startswith("Tested on the last 4 steps of 8 series, which "
                                            "the linear autoregression never learned from")
    for tip in (testing.worst.toolTip(), testing.every.toolTip(), testing.plot.toolTip(),
                testing.histogram_plot.toolTip()):
        assert "linear autoregression" in tip and "network" not in tip
    assert window.go_to_step(6)
    page = window.pages[6]
    calculator = page.many.calculator
    qtbot.waitUntil(lambda: calculator.result is not None and not page.runner.running,
                    timeout=30000)
    assert calculator.explanation.text().startswith(
        "The linear autoregression reads the last 8 rows of series S1, and the 3 before them")
    assert "network" not in page.many.forecast.method.toolTip().split(UNUSED_NOTE)[0]


def test_the_scores_say_whether_the_model_kept_its_linear_start():
    from app.pages.many_scores import linear_start_kept

    assert linear_start_kept({"network": {"label": "linear autoregression", "owa": 0.9}})
    for summary in ({"network": {"label": "global network"}}, {"network": {"owa": 0.9}},
                    {}, None):
        assert not linear_start_kept(summary)
