"""Prediction windows, outputs back in target units and recursive forecasts."""

import json

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.data import (DatasetConfig, FittedPreprocessing, SplitSettings, VariableSpec,
                         default_config, inverse_predictions, load_table, prediction_windows,
                         predictions_frame, prepare_training)
from engine.model.recursive import recursive_forecast

from helpers.examples import example_csv


def airline(transform="seasonal_difference", period=12, lookback=13, horizon=1):
    table = load_table(example_csv("airline_passengers.csv"))
    cfg = default_config(table, ["passengers"], lookback=lookback, horizon=horizon,
                         target_transform=transform, period=period)
    return table, prepare_training(table, cfg)


def oracle(encoded, start_row, first=1, lookback=None, check=None):
    """predict(X) returning the true scaled transformed target of the next row; it also
    checks that the window it is given is the true window."""
    calls = []

    def predict(X):
        r = start_row + len(calls)
        calls.append(r)
        t = r - first
        if check is not None:
            np.testing.assert_allclose(X[0], check[t - lookback + 1:t + 1], rtol=1e-9,
                                       atol=1e-12)
        return encoded.targets[r][None, :]
    return predict


@pytest.mark.parametrize("transform,period", [("none", None), ("difference", None),
                                              ("seasonal_difference", 12),
                                              ("log_seasonal_difference", 12),
                                              ("log_difference", None)])
def test_oracle_forecast_reproduces_the_series(transform, period):
    table, data = airline(transform, period)
    fitted = FittedPreprocessing.from_dict(json.loads(json.dumps(data.fitted.to_dict())))
    start, steps = 100, 44
    predict = oracle(data.encoded, start, 1, fitted.lookback, data.encoded.features)
    forecast = recursive_forecast(fitted, table.frame, predict, start, steps)
    truth = table.frame["passengers"].to_numpy()[start:start + steps]
    np.testing.assert_allclose(forecast.values[:, 0], truth, rtol=1e-12)
    np.testing.assert_array_equal(forecast.rows, np.arange(start, start + steps))
    assert forecast.times[0] == table.frame["month"].iloc[start]


def test_oracle_forecast_with_an_input_from_the_file():
    t = np.arange(200, dtype=float)
    x = np.sin(t / 7)
    y = 100 + 0.5 * t + 5 * x + 3 * np.sin(2 * np.pi * t / 10)
    frame = pd.DataFrame({"x": x, "y": y})
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"),
                                   VariableSpec("y", "input_target")],
                        lookback=6, horizon=2, target_transform="seasonal_difference",
                        period=10)
    data = prepare_training(frame, cfg)
    predict_one = oracle(data.encoded, 150, 1, 6, data.encoded.features)

    def predict(X):                       # two output steps; only the first is used
        step1 = predict_one(X)
        return np.concatenate([step1, np.full_like(step1, 99.0)], axis=1)
    forecast = recursive_forecast(data.fitted, frame, predict, 150, 49)
    np.testing.assert_allclose(forecast.values[:, 0], y[150:199], rtol=1e-12)
    with pytest.raises(EngineError, match="other inputs up to row 200"):
        recursive_forecast(data.fitted, frame, predict, 150, 52)


def test_hand_made_recursive_forecast():
    frame = pd.DataFrame({"y": [1.0, 2.0, 4.0, 7.0, 11.0]})
    cfg = DatasetConfig(variables=[VariableSpec("y", "input_target", scaler="none")],
                        lookback=2, horizon=1, target_transform="difference",
                        split=SplitSettings(fractions=(1, 0, 0)))
    data = prepare_training(frame, cfg)
    seen = []

    def predict(X):
        seen.append(X[0, :, 0].tolist())
        return np.array([[10.0]])
    forecast = recursive_forecast(data.fitted, frame, predict, 3, 4)
    # z = [nan, 1, 2, 3, 4]; row 3 from z1, z2; then the forecast change 10 is fed back
    assert seen == [[1.0, 2.0], [2.0, 10.0], [10.0, 10.0], [10.0, 10.0]]
    np.testing.assert_array_equal(forecast.values[:, 0], [14.0, 24.0, 34.0, 44.0])
    np.testing.assert_array_equal(forecast.rows, [3, 4, 5, 6])


def test_forecast_past_the_end_of_the_file_has_future_times():
    table, data = airline()
    forecast = recursive_forecast(data.fitted, table.frame,
                                  lambda X: np.zeros((1, 1)), 144, 3)
    y = table.frame["passengers"].to_numpy()
    center = data.fitted.scaler("passengers").center
    np.testing.assert_allclose(forecast.values[:, 0], y[132:135] + center, rtol=1e-12)
    assert forecast.times == [pd.Timestamp("1961-01-01"), pd.Timestamp("1961-02-01"),
                              pd.Timestamp("1961-03-01")]


def test_prediction_windows_cover_every_predictable_row():
    table, data = airline("seasonal_difference", 12, lookback=13, horizon=3)
    windows = prediction_windows(data.fitted.to_dict(), table.frame)
    # inputs need z from row 12 on: first anchor 12 + 13 - 1 = 24; last anchor = 143
    np.testing.assert_array_equal(windows.anchors, np.arange(24, 144))
    np.testing.assert_array_equal(windows.rows[-1], [144, 145, 146])
    assert windows.times[-1, 2] == pd.Timestamp("1961-03-01")
    assert windows.times[0, 0] == table.frame["month"].iloc[25]
    # oracle outputs (the true scaled changes) for windows whose targets are known
    inside = windows.rows[:, -1] < 144
    outputs = data.encoded.targets[windows.rows[inside]].reshape(inside.sum(), -1)
    values = inverse_predictions(data.fitted, outputs, _subset(windows, inside))
    np.testing.assert_allclose(values[:, :, 0],
                               table.frame["passengers"].to_numpy()[windows.rows[inside]],
                               rtol=1e-12)
    long = predictions_frame(data.fitted, values, _subset(windows, inside))
    assert list(long.columns) == ["anchor_row", "row", "step", "time", "passengers"]
    assert len(long) == inside.sum() * 3


def _subset(windows, mask):
    from dataclasses import replace
    return replace(windows, anchors=windows.anchors[mask], rows=windows.rows[mask],
                   times=windows.times[mask])


def test_prediction_without_the_target_column():
    t = np.arange(60, dtype=float)
    frame = pd.DataFrame({"x": np.sin(t), "y": 2 * np.sin(t) + 1})
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"), VariableSpec("y", "target")],
                        lookback=3, horizon=0)
    data = prepare_training(frame, cfg)
    windows = prediction_windows(data.fitted, frame[["x"]])
    np.testing.assert_array_equal(windows.anchors, np.arange(2, 60))
    X = np.asarray(windows.X)
    np.testing.assert_array_equal(X[0, :, 0], data.encoded.features[0:3, 0])
    diff = DatasetConfig(variables=cfg.variables, lookback=3, horizon=1,
                         target_transform="difference")
    fitted = prepare_training(frame, diff).fitted
    with pytest.raises(EngineError, match="Unknown target column 'y'"):
        prediction_windows(fitted, frame[["x"]])


def test_future_rows_with_empty_targets_still_give_windows():
    t = np.arange(50, dtype=float)
    frame = pd.DataFrame({"x": np.cos(t), "y": t})
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"), VariableSpec("y", "target")],
                        lookback=4, horizon=1)
    fitted = prepare_training(frame, cfg).fitted
    future = frame.copy()
    future.loc[45:, "y"] = np.nan
    windows = prediction_windows(fitted, future)
    assert windows.anchors[-1] == 49


def test_month_steps_of_a_month_end_column_stay_on_month_ends():
    """A column of quarter ends goes on to quarter ends (2009-12-31, not 2009-12-30), one
    of month ends from Feb 28 to Mar 31; a column on the 28th (or 30th) keeps its day, also
    from a date that happens to end a month."""
    from engine.data.time_steps import add_steps, detect_step

    quarter_ends = pd.Series(pd.to_datetime(["2009-03-31", "2009-06-30", "2009-09-30"]))
    quarters = detect_step(quarter_ends)
    assert quarters == {"unit": "months", "size": 3, "month_end": True}
    assert [add_steps(pd.Timestamp("2009-09-30"), quarters, k) for k in (1, 2, 4)] == \
        [pd.Timestamp("2009-12-31"), pd.Timestamp("2010-03-31"), pd.Timestamp("2010-09-30")]
    month_ends = detect_step(pd.Series(pd.to_datetime(["2018-12-31", "2019-01-31",
                                                       "2019-02-28"])))
    assert add_steps(pd.Timestamp("2019-02-28"), month_ends, 1) == pd.Timestamp("2019-03-31")
    on_28th = detect_step(pd.Series(pd.to_datetime(["2022-12-28", "2023-01-28",
                                                    "2023-02-28"])))
    assert "month_end" not in on_28th
    assert add_steps(pd.Timestamp("2023-02-28"), on_28th, 1) == pd.Timestamp("2023-03-28")
    on_30th = detect_step(pd.Series(pd.to_datetime(["2009-03-30", "2009-06-30"])))
    assert add_steps(pd.Timestamp("2009-06-30"), on_30th, 2) == pd.Timestamp("2009-12-30")


def _hand_made(x=None):
    """Five rows of ``y`` (an input and the target, differenced, not scaled), with an
    input ``x`` of nine rows when given (the rows after the fifth unknown ``y``); missing
    values are not filled in."""
    y = [1.0, 2.0, 4.0, 7.0, 11.0]
    variables = [VariableSpec("y", "input_target", scaler="none")]
    frame = pd.DataFrame({"y": y})
    if x is not None:
        frame = pd.DataFrame({"x": x, "y": y + [np.nan] * (len(x) - len(y))})
        variables.insert(0, VariableSpec("x", "input", scaler="none"))
    cfg = DatasetConfig(variables=variables, lookback=2, horizon=1, missing="drop",
                        target_transform="difference",
                        split=SplitSettings(fractions=(1, 0, 0)))
    return frame, prepare_training(frame.iloc[:5], cfg).fitted


def test_a_forecast_that_runs_away_is_not_told_missing_inputs():
    frame, fitted = _hand_made()
    outputs = iter([10.0, 1e308, np.inf])

    def predict(X):
        return np.array([[next(outputs)]])
    forecast = recursive_forecast(fitted, frame, predict, 3, 5, until_stop=True)
    assert forecast.stopped == "the network's forecast is not a number"
    np.testing.assert_array_equal(forecast.rows, [3, 4])
    outputs = iter([10.0, 1e308, np.inf])
    with pytest.raises(EngineError, match=r"forecast for row 5 is not a number: its inputs "
                                          r"\(rows 3 to 4\) are all known, but its output "
                                          "ran away or overflowed. Forecast fewer steps"):
        recursive_forecast(fitted, frame, predict, 3, 5)
    # at the first step nothing was fed back yet: no fewer steps to forecast
    with pytest.raises(EngineError, match=r"forecast for row 3 is not a number although its "
                                          r"inputs \(rows 1 to 2\) are all known: its output "
                                          "overflowed on the data's own values. Train"):
        recursive_forecast(fitted, frame, lambda X: np.array([[np.nan]]), 3, 5)


def test_a_forecast_without_an_input_is_told_missing_inputs():
    frame, fitted = _hand_made([0.0, 1, 2, 3, 4, 5, np.nan, 7, 8])
    forecast = recursive_forecast(fitted, frame, lambda X: np.array([[1.0]]), 5, 4,
                                  until_stop=True)
    assert forecast.stopped == "missing inputs"
    np.testing.assert_array_equal(forecast.rows, [5, 6])
    with pytest.raises(EngineError, match="needs rows 5 to 6 without missing inputs"):
        recursive_forecast(fitted, frame, lambda X: np.array([[1.0]]), 5, 4)
