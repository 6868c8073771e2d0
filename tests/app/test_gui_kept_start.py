"""A training that kept its least-squares start (no epoch had a lower selection error):
step 4 draws the start at epoch 0, so that its sentence can be checked against the curves,
and steps 4 and 7 name the model as the linear autoregression it forecasts with."""

import numpy as np
import pytest

from app.pages.training_parts import START_LABEL
from helpers.projects import start_kept_project


@pytest.fixture
def kept_start(tmp_path):
    return start_kept_project(tmp_path)


def test_step_4_draws_the_kept_start_at_epoch_0(window, kept_start):
    assert window.open_project(kept_start)
    assert window.go_to_step(3)
    page = window.pages[3]
    assert ("None of them improved on their starting point, a linear model fitted by "
            "least squares: no epoch had a lower selection error, so that linear model is "
            "kept.") in page.result.text()
    losses = page.losses
    start = window.session.project.results.training["history"]["start"]
    x, y = losses.selection_curve.xData, losses.selection_curve.yData      # not log10
    assert x[0] == 0 and y[0] == pytest.approx(start["selection"])
    assert np.all(y[1:] > y[0])              # every epoch above the start, as said
    marker_x, marker_y = losses.start_point.xData, losses.start_point.yData
    assert list(marker_x) == [0] and marker_y[0] == pytest.approx(start["selection"])
    legend = losses.plot.getPlotItem().legend
    assert legend.getLabel(losses.start_point).text == START_LABEL
    assert list(losses.members.best_points.xData) == [0, 0]      # each network's best
    assert legend.getLabel(losses.members.best_points).text == "best epoch of each"
    verdict = page.verdict.text()               # beside classical methods: as step 6 names it
    assert verdict.startswith("<b>Beside classical methods:</b> ")
    assert "the linear autoregression" in verdict.lower() and "network" not in verdict


def test_step_7_names_the_model_a_linear_autoregression(window, qtbot, kept_start):
    assert window.open_project(kept_start)
    assert window.go_to_step(6)
    deploy = window.pages[6]
    qtbot.waitUntil(lambda: deploy.model is not None, timeout=20000)
    assert deploy.status.text().startswith(
        "Model: a linear autoregression (the recurrent part of the average of 2 GRU networks "
        "of 4 units unused: its training did not improve on the linear model it started "
        "from), predicting y")
    assert deploy.forecast.method.itemText(0) == "The model, a linear autoregression"
    assert "does not use its recurrent part" in deploy.forecast.method.toolTip()


def test_steps_3_and_6_name_the_model_a_linear_autoregression_until_it_is_retrained(
        window, qtbot, kept_start, gui):
    """Step 3 notes under the parameters that the model does not use its recurrent part (as
    a model of many series notes it), and step 6 names what it tested the linear
    autoregression, in its status line, its tooltips and its plot's legend (they said "the
    network"); a training into a real network gives the network back its name."""
    from engine.training.share_words import UNUSED_NOTE

    assert window.open_project(kept_start)
    assert window.go_to_step(2)
    assert window.pages[2].parameters.text().endswith(f"<br>{UNUSED_NOTE}")
    page = open_results(window, qtbot)
    assert page.status.text().startswith("Tested on 18 rows from row 78 (2018-07-01), which "
                                         "the linear autoregression never learned from.")
    assert page.errors.toolTip().count("green: the linear autoregression beats that baseline")
    assert page.verdict.toolTip().startswith("The linear autoregression against the classical")
    assert page.auto_plot.toolTip().endswith("a pattern in time the linear autoregression has "
                                             "not learned.")
    assert legend_of_horizon(page) == "model (linear autoregression)"   # beside linear AR
    coloured = [page.errors.item(0, column).toolTip() for column in range(6, 11)]
    assert "The linear autoregression does better than this baseline." in coloured
    window.pages[3].learning_rate.setValue(0.01)         # epochs that beat the start
    gui.train_briefly(window, qtbot, max_epochs=30)
    assert not window.session.project.results.training["members"][0]["kept_start"]
    assert window.go_to_step(2)
    assert UNUSED_NOTE not in window.pages[2].parameters.text()
    page = open_results(window, qtbot)
    assert "which the network never learned from" in page.status.text()
    assert "green: the network beats" in page.errors.toolTip()
    assert legend_of_horizon(page) == "network"


def open_results(window, qtbot):
    assert window.go_to_step(5)
    page = window.pages[5]
    qtbot.waitUntil(lambda: page.analysis is not None and not page.runner.running,
                    timeout=60000)
    return page


def legend_of_horizon(page):
    return page.horizon_plot.getPlotItem().legend.getLabel(page.horizon_curve).text


def test_a_project_of_one_series_names_its_model_as_its_training_kept_it():
    """The linear autoregression when every network kept its least-squares start or the
    fit dropped the recurrent part (a share of 0), as step 7 names it; else the network.
    Step 6's introduction says "the model", true of either."""
    from types import SimpleNamespace

    from app.pages.many_scores import project_subject
    from app.steps import STEPS

    def subject(training):
        results = SimpleNamespace(training=training, comparison={"best": "ets"})
        return project_subject(SimpleNamespace(results=results), capital=True)

    start = {"start": {"training": 0.1, "selection": 0.2}}
    assert subject({"best_epoch": 0, "history": start}) == "The linear autoregression"
    assert subject({"best_epoch": 4, "linear_share": {"share": 0.0}}) == \
        "The linear autoregression"
    for training in ({"best_epoch": 4, "history": start, "linear_share": {"share": 0.5}},
                     {"best_epoch": 0, "members": [{"kept_start": False}] * 2}, None):
        assert subject(training) == "The network"
    assert STEPS[5].explanation.startswith("Judges the trained model on the <b>testing</b> part")
    assert "shows what the model has not learned" in STEPS[5].explanation


def test_a_project_of_many_series_names_its_model_as_its_scores_do():
    """The linear autoregression when the table of scores names it so, as step 7 does."""
    from types import SimpleNamespace

    from app.pages.many_scores import project_subject

    def subject(label, capital=False):
        comparison = {"summary": {"network": {"label": label, "owa": 0.9}}}
        results = SimpleNamespace(training={"best_epoch": 4}, comparison=comparison)
        return project_subject(SimpleNamespace(results=results), capital)

    assert subject("linear autoregression", capital=True) == "The linear autoregression"
    assert subject("linear autoregression") == "the linear autoregression"
    assert subject("global network") == "the network"
