"""Scaling, target transforms and missing values: hand-computed values and round trips."""

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.data import DatasetConfig, Scaler, SplitSettings, VariableSpec, prepare_training
from engine.data import transforms
from engine.data.missing import interpolate_segments


def test_scaler_hand_values():
    s = Scaler.fit("standard", [1.0, 2.0, 3.0, np.nan])
    assert (s.center, s.scale) == (2.0, pytest.approx(np.sqrt(2 / 3)))
    s = Scaler.fit("minmax", [2.0, 6.0, 4.0])
    np.testing.assert_allclose(s.transform([2.0, 4.0, 6.0]), [0.0, 0.5, 1.0])
    s = Scaler.fit("log", [np.e, np.e ** 3])
    np.testing.assert_allclose(s.transform([np.e, np.e ** 3]), [-1.0, 1.0])
    assert Scaler.fit("standard", [5.0, 5.0]).scale == 1.0


@pytest.mark.parametrize("method", ["standard", "minmax", "none", "log"])
def test_scaler_round_trip(method):
    x = np.random.default_rng(1).uniform(0.1, 50, size=200)
    s = Scaler.from_dict(Scaler.fit(method, x[:100]).to_dict())
    np.testing.assert_allclose(s.inverse(s.transform(x)), x, rtol=1e-12)


def test_log_scaler_refuses_non_positive_values():
    with pytest.raises(EngineError, match="0 or below.*smallest is -1"):
        Scaler.fit("log", [3.0, -1.0], "Column 'x'")


def test_transforms_hand_values():
    y = np.array([1.0, 3.0, 6.0, 10.0, 15.0])
    one = np.zeros(5, dtype=int)
    np.testing.assert_array_equal(transforms.forward(y, "difference", None, one),
                                  [np.nan, 2, 3, 4, 5])
    np.testing.assert_array_equal(transforms.forward(y, "seasonal_difference", 2, one),
                                  [np.nan, np.nan, 5, 7, 9])
    cut = np.array([0, 0, 1, 1, 1])                      # a gap before row 2
    np.testing.assert_array_equal(transforms.forward(y, "difference", None, cut),
                                  [np.nan, 2, np.nan, 4, 5])
    np.testing.assert_allclose(transforms.forward(y, "log_difference", None, one)[1:],
                               np.log(y[1:] / y[:-1]))
    with pytest.raises(EngineError, match="need a season, and none was found"):
        transforms.lag_of("seasonal_difference", None)
    with pytest.raises(EngineError, match="period of at least 1 row .* got 0"):
        transforms.lag_of("seasonal_difference", 0)


@pytest.mark.parametrize("method,period", [("difference", None), ("seasonal_difference", 3),
                                           ("log_seasonal_difference", 2), ("log", None)])
def test_invert_steps_is_exact(method, period):
    y = np.random.default_rng(2).uniform(1, 9, size=30).cumsum()
    segment = np.zeros(30, dtype=int)
    z = transforms.forward(y, method, period, segment)
    u = transforms.to_base(y, method)
    anchors = np.arange(10, 25)
    H = 4
    rows = anchors[:, None] + np.arange(1, H + 1)
    levels = transforms.invert_steps(z[rows][:, :, None], u[:, None], anchors, method,
                                     period, H)
    np.testing.assert_allclose(levels[:, :, 0], y[rows], rtol=1e-12)


def test_interpolation_hand_values():
    x = np.array([np.nan, 1.0, np.nan, 3.0, np.nan, np.nan, 9.0, np.nan])
    np.testing.assert_array_equal(interpolate_segments(x, np.zeros(8, dtype=int)),
                                  [np.nan, 1, 2, 3, 5, 7, 9, np.nan])
    cut = np.array([0, 0, 0, 0, 0, 1, 1, 1])          # a gap before row 5
    np.testing.assert_array_equal(interpolate_segments(x, cut),
                                  [np.nan, 1, 2, 3, np.nan, np.nan, 9, np.nan])


def frame_with_holes():
    t = np.arange(40, dtype=float)
    frame = pd.DataFrame({"x": t * 2.0, "y": 100 + t})
    frame.loc[[5, 6], "x"] = np.nan
    frame.loc[35:, "x"] = 1000.0 + t[35:]              # only testing rows are large
    return frame


@pytest.mark.parametrize("method", ["mean", "median"])
def test_mean_and_median_fill_use_training_rows_only(method):
    cfg = DatasetConfig(variables=[VariableSpec("x", "input", scaler="none"),
                                   VariableSpec("y", "target", scaler="none")],
                        lookback=3, horizon=1, missing=method)
    data = prepare_training(frame_with_holes(), cfg)
    last = data.anchors["training"][-1] + 1                       # last training row read
    x = frame_with_holes()["x"].to_numpy()[:last + 1]
    expected = np.nanmean(x) if method == "mean" else np.nanmedian(x)
    fill = [v["fill"] for v in data.fitted.variables if v["name"] == "x"][0]
    assert fill == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(data.encoded.features[[5, 6], 0], expected, rtol=1e-12)


def test_interpolate_fills_inner_gaps_linearly():
    cfg = DatasetConfig(variables=[VariableSpec("x", "input", scaler="none"),
                                   VariableSpec("y", "target", scaler="none")],
                        lookback=3, horizon=1)
    data = prepare_training(frame_with_holes(), cfg)
    np.testing.assert_array_equal(data.encoded.features[[5, 6], 0], [10.0, 12.0])


@pytest.mark.parametrize("transform,period", [("none", None), ("difference", None),
                                              ("seasonal_difference", 4), ("log", None),
                                              ("log_difference", None),
                                              ("log_seasonal_difference", 4)])
@pytest.mark.parametrize("role", ["target", "input_target"])
def test_prepared_targets_invert_to_the_data(transform, period, role):
    t = np.arange(80, dtype=float)
    frame = pd.DataFrame({"x": np.cos(t), "y": 50 + t + 10 * np.sin(t * np.pi / 2)})
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"), VariableSpec("y", role)],
                        lookback=5, horizon=3, target_transform=transform, period=period)
    data = prepare_training(frame, cfg)
    for part, Y in [("training", data.Y_train), ("testing", data.Y_test)]:
        values = data.inverse(Y, part)
        np.testing.assert_allclose(values, data.true_values(part), rtol=1e-12)
        rows = data.target_rows(part)
        np.testing.assert_allclose(values[:, :, 0], frame["y"].to_numpy()[rows], rtol=1e-12)


def test_text_target_is_refused():
    frame = pd.DataFrame({"x": np.arange(30.0), "weather": list("abc") * 10})
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"),
                                   VariableSpec("weather", "target", "categorical", "none")],
                        lookback=2, horizon=1, split=SplitSettings())
    with pytest.raises(EngineError, match="'weather' holds categorical values, so it cannot "
                                          "be a target.*one-hot"):
        prepare_training(frame, cfg)


@pytest.mark.parametrize("missing", ["interpolate", "mean", "drop"])
def test_an_empty_category_is_a_value_filled_in_unless_its_row_is_left_out(missing):
    """An empty cell of a categorical input is read as none of its categories (all 0): a
    made-up value, marked in ``filled`` as a number filled in is, but not as read from a
    later row; with "drop" its row is left out and nothing is filled in."""
    frame = pd.DataFrame({"kind": ["b", "a", "c", None] * 5, "y": np.arange(20.0)})
    cfg = DatasetConfig(variables=[VariableSpec("kind", "input", "categorical", "none"),
                                   VariableSpec("y", "target", scaler="none")],
                        lookback=1, horizon=1, missing=missing,
                        split=SplitSettings(fractions=(1, 0, 0)))
    encoded = prepare_training(frame, cfg).encoded
    empty = frame["kind"].isna().to_numpy()
    np.testing.assert_array_equal(encoded.filled, empty & (missing != "drop"))
    assert not encoded.from_later.any()
    assert encoded.input_ok[empty].all() == (missing != "drop")


def test_one_hot_and_binary_inputs():
    frame = pd.DataFrame({"kind": ["b", "a", "c", None] * 5, "flag": ["no", "yes"] * 10,
                          "y": np.arange(20.0)})
    cfg = DatasetConfig(variables=[VariableSpec("kind", "input", "categorical", "none"),
                                   VariableSpec("flag", "input", "binary", "none"),
                                   VariableSpec("y", "target", scaler="none")],
                        lookback=1, horizon=1, split=SplitSettings(fractions=(1, 0, 0)))
    data = prepare_training(frame, cfg)
    assert [c["category"] for c in data.fitted.input_columns] == ["a", "b", "c", None]
    np.testing.assert_array_equal(data.encoded.features[:4],
                                  [[0, 1, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0], [0, 0, 0, 1]])
