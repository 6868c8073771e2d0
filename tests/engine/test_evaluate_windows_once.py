"""``evaluate --json`` makes the prediction windows of the file once: the one-step scores
and the testing analysis predict from the same windows, and its report is the one the
analysis gives from windows of its own."""

import io
import json

import pytest

import engine.model.forecaster as forecaster
import engine.testing.analysis as analysis
from engine.cli.main import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], out=out, err=err)
    assert status == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture(params=[1, 3], ids=["one step ahead", "three steps ahead"])
def model(request, seasonal_csv, tmp_path):
    path = tmp_path / "model.npz"
    run("fit", seasonal_csv, "--target", "y", "--test-from", "2019-01-01", "--epochs", "3",
        "--horizon", request.param, "--out", path)
    return path


def test_evaluate_json_makes_the_windows_once(model, seasonal_csv, monkeypatch):
    made = []
    real = forecaster.prediction_windows
    monkeypatch.setattr(forecaster, "prediction_windows",
                        lambda fitted, frame: made.append(1) or real(fitted, frame))
    report = json.loads(run("evaluate", model, seasonal_csv, "--json"))
    assert len(made) == 1 and "error" not in report["analysis"]


def test_evaluate_json_is_that_of_an_analysis_with_windows_of_its_own(model, seasonal_csv,
                                                                      monkeypatch):
    shared = run("evaluate", model, seasonal_csv, "--json")
    real = analysis.analyze_model
    monkeypatch.setattr(analysis, "analyze_model",
                        lambda *a, windows=None, **k: real(*a, **k))
    assert run("evaluate", model, seasonal_csv, "--json") == shared
