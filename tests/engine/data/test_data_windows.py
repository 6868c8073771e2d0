"""Windows: which rows a window reads and predicts, gaps, left-out rows, memory."""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.data import DatasetConfig, SplitSettings, VariableSpec, prepare_training

ALL_TRAINING = SplitSettings(fractions=(1.0, 0.0, 0.0))


def config(variables, lookback, horizon, **kw):
    kw.setdefault("split", ALL_TRAINING)
    return DatasetConfig(variables=variables, lookback=lookback, horizon=horizon, **kw)


def tiny():
    x = np.arange(10.0)
    return pd.DataFrame({"x": x, "y": 10 * x + 1, "w": -x})


def test_windows_read_lookback_rows_and_predict_the_next_h():
    data = prepare_training(tiny(), config([VariableSpec("x", "input", scaler="none"),
                                            VariableSpec("y", "target", scaler="none")],
                                           lookback=3, horizon=2))
    assert data.X_train.shape == (6, 3, 1)              # anchors 2..7
    np.testing.assert_array_equal(data.anchors["training"], np.arange(2, 8))
    np.testing.assert_array_equal(np.asarray(data.X_train)[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(data.Y_train[0], [31, 41])
    np.testing.assert_array_equal(np.asarray(data.X_train)[5, :, 0], [5, 6, 7])
    np.testing.assert_array_equal(data.Y_train[5], [81, 91])


def test_output_layout_is_step_major():
    data = prepare_training(tiny(), config([VariableSpec("x", "input", scaler="none"),
                                            VariableSpec("y", "target", scaler="none"),
                                            VariableSpec("w", "target", scaler="none")],
                                           lookback=2, horizon=2))
    assert data.fitted.outputs == [{"variable": "y", "step": 1}, {"variable": "w", "step": 1},
                                   {"variable": "y", "step": 2}, {"variable": "w", "step": 2}]
    t = data.anchors["training"][0]
    np.testing.assert_array_equal(data.Y_train[0], [10 * (t + 1) + 1, -(t + 1),
                                                    10 * (t + 2) + 1, -(t + 2)])


def test_horizon_zero_targets_the_last_input_row():
    data = prepare_training(tiny(), config([VariableSpec("x", "input", scaler="none"),
                                            VariableSpec("y", "target", scaler="none")],
                                           lookback=4, horizon=0))
    np.testing.assert_array_equal(data.anchors["training"], np.arange(3, 10))
    np.testing.assert_array_equal(data.Y_train[:, 0], 10 * np.arange(3, 10) + 1)
    np.testing.assert_array_equal(np.asarray(data.X_train)[0, :, 0], [0, 1, 2, 3])


def test_horizon_zero_refuses_own_value_as_input():
    with pytest.raises(EngineError, match="horizon 0.*'y'"):
        prepare_training(tiny(), config([VariableSpec("x", "input"),
                                         VariableSpec("y", "input_target")], 2, 0))


def test_input_target_feeds_its_own_past():
    data = prepare_training(tiny(), config([VariableSpec("y", "input_target", scaler="none")],
                                           lookback=2, horizon=1))
    np.testing.assert_array_equal(np.asarray(data.X_train)[0, :, 0], [1, 11])
    np.testing.assert_array_equal(data.Y_train[0], [21])


def daily(days, values):
    return pd.DataFrame({"day": pd.to_datetime([f"2021-03-{d:02d}" for d in days]),
                         "x": values, "y": values})


def test_windows_never_cross_a_missing_timestamp():
    frame = daily([1, 2, 3, 4, 6, 7, 8, 9], np.arange(8.0))      # 5 March is missing
    cfg = config([VariableSpec("day", "time", "datetime", "none"),
                  VariableSpec("x", "input"), VariableSpec("y", "target")], 2, 1)
    data = prepare_training(frame, cfg)
    np.testing.assert_array_equal(data.anchors["training"], [1, 2, 5, 6])


def test_monthly_dates_with_a_missing_month():
    months = pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2020-05-01",
                             "2020-06-01", "2020-07-01"])
    frame = pd.DataFrame({"m": months, "y": np.arange(6.0)})
    cfg = config([VariableSpec("m", "time", "datetime", "none"),
                  VariableSpec("y", "input_target")], 1, 1)
    data = prepare_training(frame, cfg)
    assert data.fitted.time_step == {"unit": "months", "size": 1}
    np.testing.assert_array_equal(data.anchors["training"], [0, 1, 3, 4])


def test_rows_left_out_are_never_read():
    frame = tiny()
    frame.loc[4, "x"] = np.nan
    cfg = config([VariableSpec("x", "input"), VariableSpec("y", "target")], 2, 1,
                 missing="drop")
    data = prepare_training(frame, cfg)
    anchors = data.anchors["training"]
    for t in anchors:
        assert not (t - 1 <= 4 <= t + 1)
    np.testing.assert_array_equal(anchors, [1, 2, 6, 7, 8])


def test_no_complete_window():
    with pytest.raises(EngineError, match="no complete window"):
        prepare_training(tiny(), config([VariableSpec("x", "input"),
                                         VariableSpec("y", "target")], 9, 2))


def test_windows_are_views_and_do_not_copy():
    rows, columns, lookback = 100_000, 10, 50
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(rows, columns)),
                         columns=[f"v{k}" for k in range(columns)])
    variables = [VariableSpec(f"v{k}", "input") for k in range(columns - 1)]
    variables.append(VariableSpec(f"v{columns - 1}", "input_target"))
    cfg = DatasetConfig(variables=variables, lookback=lookback, horizon=1)
    tracemalloc.start()
    try:
        data = prepare_training(frame, cfg)
        X = data.X_train.view()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    copy_bytes = X.shape[0] * lookback * columns * 8
    assert X.shape == (data.anchors["training"].size, lookback, columns)
    assert np.shares_memory(X, data.encoded.features)
    data_bytes = rows * columns * 8
    assert peak < 8 * data_bytes < copy_bytes / 3, (peak, data_bytes, copy_bytes)
    batch = data.X_train[np.array([0, 5, 99])]          # a mini-batch: copies 3 windows
    np.testing.assert_array_equal(batch[1], data.encoded.features[5:5 + lookback])


def test_spans_hold_a_marked_row_counted_by_hand():
    from engine.data.windows import spans_hold

    marked = [False, True, False, False]
    first, last = [0, 0, 2, -2, 3, 2], [0, 1, 3, 1, 10, 1]      # the last span is empty
    assert spans_hold(marked, first, last).tolist() == [False, True, False, True, False,
                                                       False]
