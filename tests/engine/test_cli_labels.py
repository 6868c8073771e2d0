"""The command line reads labels written ``NA`` or ``None`` as labels, as the data page
does: ``fit --series`` keeps series of those names and ``forecast`` of the saved model
forecasts them; ``fit`` keeps a category ``NA`` and ``predict`` of the saved model reads
it again as that category."""


import numpy as np
import pandas as pd

from engine.model.model_file import load_model
from helpers.command_line import run

FAST = ["--hidden", "4", "--epochs", "2"]


def test_fit_series_and_forecast_keep_series_named_na_and_none(tmp_path):
    rng = np.random.default_rng(0)
    parts = [pd.DataFrame({"country": name, "month": pd.date_range("2020-01-01", periods=36,
                                                                   freq="MS"),
                           "sales": np.round(level + np.arange(36) + rng.normal(size=36), 2)})
             for name, level in (("NA", 100), ("None", 200), ("DE", 300))]
    data = tmp_path / "countries.csv"
    pd.concat(parts).to_csv(data, index=False, date_format="%Y-%m-%d")
    model = tmp_path / "global.npz"
    status, out, err = run("fit", data, "--series", "country", "--target", "sales",
                           "--time", "month", "--test-last", "3", *FAST, "--out", model)
    assert status == 0, err
    assert "3 series of 36 rows each" in out
    forecast = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "2", "--out", forecast)
    assert status == 0, err
    written = pd.read_csv(forecast, keep_default_na=False)
    assert written["country"].tolist() == ["NA", "NA", "None", "None", "DE", "DE"]


def test_fit_keeps_a_category_na_and_predict_reads_it_again(tmp_path):
    rng = np.random.default_rng(1)
    kinds = np.array(["NA", "EU", "None", "AS"])[np.arange(120) % 4]
    frame = pd.DataFrame({"y": np.round(10 + np.sin(np.arange(120) / 3)
                                        + rng.normal(0, 0.1, 120), 3), "kind": kinds})
    data = tmp_path / "regions.csv"
    frame.to_csv(data, index=False)
    model_path = tmp_path / "model.npz"
    status, _, err = run("fit", data, "--target", "y", "--input", "kind", "--lookback", "4",
                         *FAST, "--out", model_path)
    assert status == 0, err
    model = load_model(model_path)
    kind = next(v for v in model.header["preprocessing"]["variables"] if v["name"] == "kind")
    assert kind["type"] == "categorical" and kind["categories"] == ["AS", "EU", "NA", "None"]
    assert model.read_csv(data)["kind"].tolist()[:4] == ["NA", "EU", "None", "AS"]
    predictions = tmp_path / "predictions.csv"
    status, _, err = run("predict", model_path, data, "--out", predictions)
    assert status == 0, err
    written = pd.read_csv(predictions, keep_default_na=False)
    assert written["kind"].tolist()[:4] == ["NA", "EU", "None", "AS"]
