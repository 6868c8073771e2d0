"""``evaluate --json`` makes the prediction windows of the file once, from the file
encoded once: the one-step scores and the testing analysis predict from the same windows,
each window once, and its report is the one the analysis gives from windows and
predictions of its own. ``--recursive`` and ``--horizon`` encode the file once too, with
``--json`` or not."""

import json

import pytest

import numpy as np

import engine.model.forecaster as forecaster
import engine.testing.analysis as analysis
from engine.data.preprocessing import FittedPreprocessing
from helpers.command_line import run


def output(*argv):
    """The standard output of a command line that must succeed."""
    status, out, err = run(*argv)
    assert status == 0, err
    return out


@pytest.fixture(params=[1, 3], ids=["one step ahead", "three steps ahead"])
def model(request, seasonal_csv, tmp_path):
    path = tmp_path / "model.npz"
    output("fit", seasonal_csv, "--target", "y", "--test-from", "2019-01-01", "--epochs", "3",
        "--horizon", request.param, "--out", path)
    return path


def test_evaluate_json_makes_the_windows_once(model, seasonal_csv, monkeypatch):
    made = []
    real = forecaster.prediction_windows
    monkeypatch.setattr(forecaster, "prediction_windows",
                        lambda fitted, frame: made.append(1) or real(fitted, frame))
    report = json.loads(output("evaluate", model, seasonal_csv, "--json"))
    assert len(made) == 1 and "error" not in report["analysis"]


def test_evaluate_json_is_that_of_an_analysis_with_windows_of_its_own(model, seasonal_csv,
                                                                      monkeypatch):
    shared = output("evaluate", model, seasonal_csv, "--json")
    real = analysis.analyze_model
    monkeypatch.setattr(analysis, "analyze_model",
                        lambda *a, windows=None, predicted=None, **k: real(*a, **k))
    assert output("evaluate", model, seasonal_csv, "--json") == shared


def _counted_encodes(monkeypatch):
    """The list that every encoding of a frame appends to."""
    encoded, encode = [], FittedPreprocessing.encode

    def counted_encode(self, *args, **kwargs):
        encoded.append(1)
        return encode(self, *args, **kwargs)

    monkeypatch.setattr(FittedPreprocessing, "encode", counted_encode)
    return encoded


def test_evaluate_json_encodes_the_file_once_and_predicts_each_window_once(
        model, seasonal_csv, monkeypatch):
    encoded, predicted = _counted_encodes(monkeypatch), []
    predict = forecaster.Forecaster.predict

    def counted_predict(self, frame, chosen=None):
        predicted.append(chosen)
        return predict(self, frame, chosen)

    monkeypatch.setattr(forecaster.Forecaster, "predict", counted_predict)
    report = json.loads(output("evaluate", model, seasonal_csv, "--json"))
    assert "error" not in report["analysis"] and len(encoded) == 1
    windows = np.concatenate(predicted)
    assert len(np.unique(windows)) == len(windows)
    if report["analysis"]["steps"] == 1:   # the analysis predicts the same windows
        assert len(predicted) == 1


@pytest.mark.parametrize("flags", [["--recursive"], ["--horizon", "4"],
                                   ["--recursive", "--json"], ["--horizon", "4", "--json"]])
def test_evaluate_recursive_and_horizon_encode_the_file_once(model, seasonal_csv,
                                                             monkeypatch, flags):
    encoded = _counted_encodes(monkeypatch)
    shown = output("evaluate", model, seasonal_csv, *flags)
    assert len(encoded) == 1
    if "--json" in flags:
        assert "error" not in json.loads(shown)["analysis"]
