"""The testing analysis reports its stages to a task and stops when it is cancelled."""

import pytest

from engine.tasks import Cancelled, TaskState
from engine.testing.analysis import analyze_model
from helpers.models import series_frame, untrained_model


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "series.csv"
    series_frame(80).to_csv(path, index=False)
    model = untrained_model(path, ["y"], "gru", [3], "difference")
    model.metadata = {"testing": {"from": 60}}
    return model, model.read_csv(path)


def test_the_analysis_reports_its_stages(model):
    model, frame = model
    stages = []
    analysis = analyze_model(model, frame, task=TaskState(on_stage=stages.append))
    assert analysis.start_row == 60
    assert stages == ["Predicting the testing rows", "Fitting the classical comparators",
                      "Forecasting the testing rows recursively"]


def test_a_cancelled_analysis_stops(model):
    model, frame = model
    task = TaskState()
    task.cancel()
    with pytest.raises(Cancelled):
        analyze_model(model, frame, task=task)
