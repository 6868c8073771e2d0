"""A training that kept its least-squares start (no epoch had a lower selection error):
step 4 draws the start at epoch 0, so that its sentence can be checked against the curves,
and step 7 names the model as the linear autoregression it forecasts with."""

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
