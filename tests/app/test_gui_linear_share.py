"""A fit that dropped the recurrent part (its linear share is 0: the model is the linear
autoregression of its linear path): the window says so as ``rnn-studio fit`` does, at
step 4 (after the training and after the project is opened again), beside step 3's
parameter count and in step 7's name of the model and its forecast's Method box."""

import numpy as np
import pytest

from engine.training import linear_share
from engine.training.share_words import share_text
from helpers.models import seasonal_frame
from helpers.projects import trained_project


def recurrent_weight(network, prepared, steps=None):
    """A selection score that prefers the blend with the least of the recurrent part: the
    fit then keeps none of it, as on a series the linear model forecasts best."""
    return float(np.abs(network.parameters_.views["head.weight"]).sum())


@pytest.fixture
def linear_project(tmp_path, monkeypatch):
    """The path of a saved project whose fit kept none of the recurrent part."""
    csv = tmp_path / "monthly.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)
    monkeypatch.setattr(linear_share, "selection_score", recurrent_weight)

    def small(project):
        project.architecture.hidden_sizes = [4]
        project.training.members = 1

    project, path, result = trained_project(csv, tmp_path, max_epochs=2, lookback=4,
                                            change=small)
    assert result.linear_share["share"] == 0.0
    assert project.results.training["linear_share"]["share"] == 0.0
    return path


def test_the_pages_say_that_the_model_is_the_linear_autoregression(window, qtbot,
                                                                   linear_project):
    assert window.open_project(linear_project)
    training = window.pages[3]
    assert window.go_to_step(3)
    said = share_text(window.session.project.results.training["linear_share"])
    assert said.startswith("Recurrent part: none of it kept; the linear path alone ")
    assert said in training.result.text()
    architecture = window.pages[2]
    assert window.go_to_step(2)
    assert ("The trained model keeps none of the recurrent part: it forecasts with the "
            "linear path alone, a linear autoregression (step 4 says why).") in \
        architecture.parameters.text()
    deploy = window.pages[6]
    assert window.go_to_step(6)
    qtbot.waitUntil(lambda: deploy.model is not None, timeout=20000)
    status = deploy.status.text()
    assert status.startswith("Model: a linear autoregression (the recurrent part of GRU of "
                             "4 units dropped: the linear path alone forecast better), "
                             "predicting y 1 step ahead")
    method = deploy.forecast.method         # the forecast's Method box names it so too
    assert method.itemData(0) == "network"
    assert method.itemText(0).startswith("The model, a linear autoregression")
    assert "network" not in method.itemText(0).lower()
    assert "keeps none of the recurrent part" in method.toolTip()
    assert window.go_to_step(2)            # another architecture: not the model's any more
    architecture.units[0].setValue(8)
    assert "recurrent part" not in architecture.parameters.text()

