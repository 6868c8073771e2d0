"""The verdict on the pages: the training page says after a training how the network did
beside the classical methods, the Test results page says in one line when one of them
forecast the testing part better, and the deploy page's Method box forecasts with them,
marking the best one."""

import numpy as np
import pandas as pd
import pytest

import engine.training.fitting
from engine.deploy.forecasting import forecast
from engine.figures import number
from engine.model.model_file import load_model
from engine.testing.comparators import form_words
from engine.testing.verdict import verdict_on_testing
from helpers.projects import trained_project

LOST = ("Exponential smoothing forecast the selection part better than the network (RMSE "
        "10.10 against 12.30).")
OFFERED = LOST + " Deploy > Forecast > Method can use its forecast instead."


def comparison(verdict, best="ets", lost=True):
    return {"part": "selection", "mode": "one_step", "rows": 10, "first_row": 50,
            "network": 12.3, "best": best, "best_rmse": 10.1, "all": {best: 10.1},
            "targets": {"y": {"network": 12.3, "best": best, "best_rmse": 10.1,
                              "all": {best: 10.1}, "network_wins": not lost}},
            "reasons": {}, "verdict": verdict}


def test_the_training_page_shows_the_verdict_when_the_training_ends(
        window, gui, qtbot, tmp_path, semicolon_csv, monkeypatch):
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv)
    monkeypatch.setattr(engine.training.fitting, "compare_selection",
                        lambda *args: comparison(LOST))
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    assert window.session.project.results.comparison["verdict"] == LOST
    assert OFFERED.replace(">", "&gt;") in page.verdict.text()
    assert "rnn-studio" not in page.verdict.text()       # a command line is not the window's
    assert not page.verdict.isHidden()
    assert "#b00020" not in page.verdict.text()          # told plainly, not as an error
    # a project trained before there was a comparison shows none
    window.session.project.results.comparison = None
    page._shown = None
    page._show_stored_training()
    assert page.verdict.text() == "" and page.verdict.isHidden()



def test_the_training_page_notes_a_gap_in_time_under_the_verdict(
        window, gui, qtbot, tmp_path, semicolon_csv, monkeypatch):
    """The note that a comparator forecast nothing behind a gap in time, shown on step 6
    beside its scores, is shown under the verdict of the selection part too."""
    note = ("ETS: no forecast of row 180 or later, behind a gap in time (its level and "
            "season would run on as if no time were missing); scored on the rows before it")
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv)
    monkeypatch.setattr(engine.training.fitting, "compare_selection",
                        lambda *args: {**comparison(LOST), "notes": [note]})
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    text = page.verdict.text()
    assert LOST.replace(">", "&gt;") in text and note in text
    assert text.index(LOST[:40]) < text.index(note)


def test_the_verdict_offers_the_deploy_step_only_while_it_can_be_opened(
        window, gui, qtbot, tmp_path, semicolon_csv, monkeypatch):
    """A training whose model file went missing leaves step 7 locked: the training page
    still says that exponential smoothing did better, but offers no forecast at step 7
    (nor one with the model file on the command line) until a training opens it again."""
    from app.steps import DEPLOY_ROW

    page = gui.ready_project(window, tmp_path / "project", semicolon_csv)
    monkeypatch.setattr(engine.training.fitting, "compare_selection",
                        lambda *args: comparison(LOST))
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    assert window.save() and window.session.reachable(DEPLOY_ROW)
    assert "Deploy &gt; Forecast &gt; Method" in page.verdict.text()
    said = ("<b>Beside classical methods:</b> Exponential smoothing forecast the selection "
            "part better than the network (RMSE 10.10 against 12.30).")
    window.session.project.model_file().unlink()          # while the project is open
    assert window.go_to_step(2) and window.go_to_step(3)
    assert not window.session.reachable(DEPLOY_ROW)
    assert page.verdict.text() == said and not page.verdict.isHidden()
    assert window.open_project(window.session.path)       # and opened again
    assert window.current_step() == 3 and not window.session.reachable(DEPLOY_ROW)
    assert page.verdict.text() == said
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    assert window.session.reachable(DEPLOY_ROW)
    assert "Deploy &gt; Forecast &gt; Method" in page.verdict.text()

def ar1_csv(path, rows=240, seed=1):
    rng = np.random.default_rng(seed)
    y = np.zeros(rows)
    for t in range(1, rows):
        y[t] = 0.5 * y[t - 1] + rng.standard_normal()
    pd.DataFrame({"y": np.round(50 + 3 * y, 4)}).to_csv(path, index=False)
    return path


@pytest.fixture
def losing_session(tmp_path):
    """A project whose 1-unit network without a linear path, trained for one epoch, loses
    to the linear autoregression on an AR(1) series."""
    from app.session import ProjectSession

    csv = ar1_csv(tmp_path / "ar1.csv")

    def small(project):
        project.architecture.hidden_sizes = [1]
        project.architecture.linear_path = False
        project.training.members = 1

    _, path, result = trained_project(csv, tmp_path, test_from=200, max_epochs=1,
                                      lookback=2, change=small)
    session = ProjectSession()
    session.open(path)
    return session, result


def test_the_testing_page_says_when_a_comparator_beat_the_network(qtbot, losing_session):
    from app.pages.testing_page import TestingPage

    session, _ = losing_session
    page = TestingPage(session)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.runner.finished, timeout=30000):
        page.refresh()
    sentence = verdict_on_testing(page.analysis, 0)
    assert sentence.startswith("A linear autoregression forecast the testing part better "
                               "than the network, one step ahead (RMSE ")
    linear = float(page.analysis.direct_baselines[0]["linear"].rmse[0])
    assert f"RMSE {number(linear)} against" in sentence
    assert page.verdict.text() == verdict_on_testing(page.analysis, 0, "window")
    assert page.verdict.text() == sentence + (" Deploy > Forecast > Method can use its "
                                              "forecast instead.")
    assert page.verdict.isVisible()


def test_the_deploy_page_forecasts_with_the_method_chosen(qtbot, losing_session):
    from app.pages.deploy.page import DeployPage

    session, result = losing_session
    page = DeployPage(session)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.forecast.result is not None, timeout=20000)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    box = page.forecast.method
    assert [box.itemData(i) for i in range(box.count())] == ["network", "ets", "theta",
                                                             "linear"]
    assert box.currentData() == "network" and page.forecast.result.source == "network"
    assert result.comparison["best"] == "linear"
    assert box.itemText(3) == "A linear autoregression (best on selection)"
    assert "best" not in box.itemText(0)
    box.setCurrentIndex(1)
    page.forecast.button.click()
    qtbot.waitUntil(lambda: page.forecast.result.source == "ets", timeout=20000)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    model = load_model(session.trained_model())
    expected = forecast(model, session.table.frame, page.forecast.steps.value(), 0.9,
                        method="ets")
    np.testing.assert_allclose(page.forecast.result.values, expected.values)
    assert "Made by exponential smoothing" in page.forecast.notes.text()
    assert "by exponential smoothing" in page.forecast.plot.getPlotItem().titleLabel.text
    # the form fitted in words (it read "(A,A,A)"), its notation in the tooltip
    form = page.forecast.result.form
    assert f"smoothing ({form_words(form)})," in page.forecast.notes.text()
    assert form not in page.forecast.notes.text()
    assert page.forecast.notes.toolTip().startswith(f"ETS({form}): error, trend, season; ")
    page.forecast.clear()
    assert page.forecast.notes.toolTip() == ""


def test_the_method_box_marks_the_network_when_it_won_and_nothing_for_old_models(
        qtbot, tmp_path):
    from app.pages.deploy.forecast_tab import BEST, ForecastTab
    from app.session import ProjectSession

    tab = ForecastTab(ProjectSession(), tasks=None)
    qtbot.addWidget(tab)
    box = tab.method
    tab._name_methods({"comparison": comparison("The network beat ...", best="theta",
                                                lost=False)})
    assert box.itemText(0) == "The network" + BEST
    assert [box.itemText(i) for i in range(1, 4)] == [
        "Exponential smoothing", "The Theta method", "A linear autoregression"]
    tab._name_methods({"comparison": comparison(LOST, best="theta")})
    assert box.itemText(2) == "The Theta method" + BEST and box.itemText(0) == "The network"
    tab._name_methods({})                # a model file from before the comparison
    assert not any(BEST in box.itemText(i) for i in range(box.count()))
    # the model as its fit kept it: part of the recurrent part, or none (a linear
    # autoregression), the tooltip saying so
    kept = {"share": 0.5, "scores": {"0.5": 1.0, "1.0": 1.1}, "block": 12}
    tab._name_methods({"training": {"linear_share": kept}})
    assert box.itemText(0) == "The network, 50% of its recurrent part kept"
    assert "keeps 50% of the recurrent part" in box.toolTip()
    tab._name_methods({"training": {"linear_share": {**kept, "share": 0.0}},
                       "comparison": comparison("The network beat ...", lost=False)})
    assert box.itemText(0) == "The model, a linear autoregression" + BEST
    tab._name_methods({})
    assert box.itemText(0) == "The network" and "recurrent part" not in box.toolTip()
