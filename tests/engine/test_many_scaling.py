"""Each series on its own scale (engine.many.scaling): fitted on the rows before the testing
part only, the log or the mean-magnitude base, the season-difference scale and its
fallbacks, the rolling level, and the inverses the forecasts rely on, against numbers
worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from engine.many.scaling import (SeriesScaling, fit_scaling, from_targets, rolling_mean,
                                 row_features, window_targets)
from engine.many.series_data import from_frame


def _series_set(values, inputs=None):
    """A SeriesSet of the series ``values`` (a dict id -> list), in file order."""
    ids = [name for name, v in values.items() for _ in v]
    frame = pd.DataFrame({"id": ids, "y": np.concatenate([np.asarray(v, float)
                                                          for v in values.values()])})
    names = []
    if inputs is not None:
        frame["x"] = np.concatenate([np.asarray(v, float) for v in inputs.values()])
        names = ["x"]
    return from_frame(frame, "id", ["y"], inputs=names)


def _as_dict(scaling):
    return {name: np.asarray(getattr(scaling, name)).tolist() for name in
            ("log", "magnitude", "scale", "input_mean", "input_std")}


def test_the_testing_rows_do_not_change_the_scaling():
    rng = np.random.default_rng(3)
    values = {"a": 50 + rng.normal(size=30), "b": 5 + rng.normal(size=30).cumsum() * 0.1,
              "c": rng.normal(size=30)}
    inputs = {name: rng.normal(size=30) for name in values}
    data = _series_set(values, inputs)
    fit_rows = data.lengths - 6
    before = fit_scaling(data, fit_rows, 4, 8)
    changed = _series_set(values, inputs)
    for i in range(changed.n_series):
        last = slice(int(changed.starts[i + 1]) - 6, int(changed.starts[i + 1]))
        changed.targets[last] *= 1000.0
        changed.inputs[last] *= 1000.0
    assert _as_dict(fit_scaling(changed, fit_rows, 4, 8)) == _as_dict(before)
    # the same change one row earlier (inside the fitted rows) does change it
    earlier = _series_set(values, inputs)
    earlier.targets[int(earlier.starts[1]) - 7] *= 1000.0
    assert _as_dict(fit_scaling(earlier, fit_rows, 4, 8)) != _as_dict(before)


def test_log_base_and_season_difference_scale_by_hand():
    # u = log y = [0, 1, 3, 2, 5]; season 2: |3-0|, |2-1|, |5-3| = 3, 1, 2 -> s = 2
    data = _series_set({"a": np.exp([0.0, 1.0, 3.0, 2.0, 5.0, 9.0])})
    scaling = fit_scaling(data, [5], 2, 4)
    assert scaling.log.tolist() == [[True]]
    assert scaling.scale[0, 0] == pytest.approx(2.0)
    assert scaling.magnitude[0, 0] == pytest.approx(np.mean(np.exp([0, 1, 3, 2, 5.0])))
    assert scaling.season == 2


def test_a_series_with_zero_or_negative_values_is_not_logged():
    # y = [2, -1, 0, 3]: mean |y| = 1.5; u = y / 1.5 = [4/3, -2/3, 0, 2];
    # lag 1: 2, 2/3, 2 -> s = 14/9
    data = _series_set({"neg": [2.0, -1.0, 0.0, 3.0], "zero": [0.0, 1.0, 2.0, 3.0],
                        "pos": [1.0, 2.0, 4.0, 8.0]})
    scaling = fit_scaling(data, data.lengths, None, 4)
    assert scaling.log[:, 0].tolist() == [False, False, True]
    assert scaling.magnitude[0, 0] == pytest.approx(1.5)
    assert scaling.scale[0, 0] == pytest.approx(14 / 9)
    # zero: mean |y| = 1.5, u = [0, 2/3, 4/3, 2], every lag-1 change 2/3
    assert scaling.scale[1, 0] == pytest.approx(2 / 3)
    u = scaling.base(data.targets, data.series_of_rows())[:, 0]
    assert u[:4] == pytest.approx([4 / 3, -2 / 3, 0.0, 2.0])
    assert u[8:] == pytest.approx(np.log([1.0, 2.0, 4.0, 8.0]))
    # pos: u = k log 2, every lag-1 change log 2
    assert scaling.scale[2, 0] == pytest.approx(math.log(2))


def test_scale_falls_back_to_lag_one_then_to_one():
    # season 4 but 3 rows: lag 1 of u = log y = [0, 1, 3]: 1, 2 -> 1.5
    short = np.exp([0.0, 1.0, 3.0])
    # 1, 2, 1, 2 repeats every two rows: its lag-2 changes are all 0, its lag-1 changes
    # of u = log y all log 2
    repeating = [1.0, 2.0, 1.0, 2.0]
    data = _series_set({"short": short, "flat": [7.0] * 5, "repeating": repeating})
    scaling = fit_scaling(data, data.lengths, 4, 4)
    assert scaling.scale[0, 0] == pytest.approx(1.5)
    # a constant series: the others' median (1.5 and log 2), not a made-up unit
    assert scaling.scale[1, 0] == pytest.approx(np.median([1.5, math.log(2)]))
    alone = fit_scaling(_series_set({"flat": [7.0] * 5}), [5], 4, 4)
    assert alone.scale[0, 0] == 1.0                # no other series: 1
    # season 4 with 4 rows: no pair at lag 4, lag 1: |log 2| each time
    assert scaling.scale[2, 0] == pytest.approx(math.log(2))
    by_two = fit_scaling(_series_set({"repeating": repeating}), [4], 2, 4)
    assert by_two.scale[0, 0] == pytest.approx(math.log(2))   # lag 2 all 0 -> lag 1


def test_a_season_repeated_to_the_last_digit_is_scaled_by_its_changes_from_row_to_row():
    """A series that repeats its season exactly, but for rounding (changes of about
    1e-16 at the season's lag), is scaled by its lag-1 changes, not by the rounding."""
    t = np.arange(70)
    periodic = 100 + 10 * np.sin(2 * np.pi * t / 7)
    u = np.log(periodic)                          # above 0: scaled by its logarithm
    assert 0 < np.mean(np.abs(u[7:] - u[:-7])) < 1e-12
    scaling = fit_scaling(_series_set({"periodic": periodic}), [70], 7, 14)
    assert scaling.log[0, 0]
    assert scaling.scale[0, 0] == pytest.approx(np.mean(np.abs(np.diff(u))))


def test_input_mean_and_std_per_series_on_the_fitted_rows():
    data = _series_set({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 1.0, 1.0]},
                       inputs={"a": [1.0, 3.0, 5.0, 100.0], "b": [4.0, 4.0, 4.0]})
    scaling = fit_scaling(data, [3, 3], None, 2)
    assert scaling.input_mean[:, 0] == pytest.approx([3.0, 4.0])
    # population std of 1, 3, 5 = sqrt(8/3); a constant input gets 1
    assert scaling.input_std[:, 0] == pytest.approx([math.sqrt(8 / 3), 1.0])


def test_rolling_mean_by_hand_with_nan_and_segments():
    u = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, np.nan], [np.nan, 40.0], [5.0, 50.0],
                  [6.0, 60.0], [7.0, 70.0]])
    segment = np.array([0, 0, 0, 0, 0, 1, 1])
    out = rolling_mean(u, segment, 2)
    expected = np.array([[np.nan, np.nan], [1.5, 15.0], [2.5, np.nan], [np.nan, np.nan],
                         [np.nan, 45.0], [np.nan, np.nan], [6.5, 65.0]])
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(rolling_mean(u[:2], segment[:2], 3), np.full((2, 2), np.nan))


def test_row_features_restart_at_each_series():
    data = _series_set({"a": [1.0, 2.0, 4.0], "b": [8.0, 16.0, 32.0]})
    scaling = fit_scaling(data, data.lengths, None, 2)
    features, u, level = row_features(data, scaling, np.float64)
    s = math.log(2)
    # change column: (u_t - u_(t-1)) / s, NaN at the first row of each series
    assert np.isnan(features[0, 0]) and np.isnan(features[3, 0])
    assert features[[1, 2, 4, 5], 0] == pytest.approx([1.0, 1.0, 1.0, 1.0])
    assert scaling.scale[:, 0] == pytest.approx([s, s])
    # level over 2 rows (level_window: 4, at most the lookback 2): u - level = s / 2
    assert np.isnan(level[3, 0])
    assert features[[1, 2, 4, 5], 1] == pytest.approx([0.5] * 4)


def _mixed_scaling():
    return SeriesScaling(log=np.array([[True, False], [False, True]]),
                         magnitude=np.array([[1.0, 4.0], [2.5, 1.0]]),
                         scale=np.ones((2, 2)), input_mean=np.zeros((2, 0)),
                         input_std=np.ones((2, 0)), season=1, level_rows=2)


def test_base_and_values_are_inverses():
    scaling = _mixed_scaling()
    series = np.array([0, 0, 1, 1, 0])
    values = np.array([[3.0, -2.0], [0.5, 8.0], [-1.0, 2.0], [0.0, 7.0], [9.0, 0.0]])
    base = scaling.base(values, series)
    assert base[0] == pytest.approx([math.log(3.0), -0.5])
    assert base[2] == pytest.approx([-0.4, math.log(2.0)])
    np.testing.assert_allclose(scaling.values(base, series), values, rtol=1e-12)
    # (rows, H, n_targets) too
    stacked = np.stack([base, base + 0.1], axis=1)
    back = scaling.values(stacked, series)
    np.testing.assert_allclose(back[:, 0], values, rtol=1e-12)
    assert back[0, 1, 0] == pytest.approx(3.0 * math.exp(0.1))
    assert back[2, 1, 0] == pytest.approx((-0.4 + 0.1) * 2.5)


def test_window_targets_by_hand_and_from_targets_is_its_inverse():
    rng = np.random.default_rng(0)
    rows, horizon = 12, 3
    base = rng.normal(size=(rows, 2))
    level = rng.normal(size=(rows, 2))
    scale = rng.uniform(0.5, 2.0, size=(rows, 2))
    anchors = np.array([2, 5, 8])
    z = window_targets(base, level, scale, anchors, horizon)
    assert z.shape == (3, horizon * 2)
    # window 1 (anchor 5), step 2, target 1: (u_7 - l_5) / s_5, at column (2-1)*2 + 1
    assert z[1, 3] == pytest.approx((base[7, 1] - level[5, 1]) / scale[5, 1])
    back = from_targets(z, level[anchors], scale[anchors], horizon)
    assert back.shape == (3, horizon, 2)
    for k, t in enumerate(anchors):
        np.testing.assert_allclose(back[k], base[t + 1:t + horizon + 1], rtol=1e-12)


def test_the_scale_pairs_no_rows_across_a_gap_in_time():
    """Monthly rows with March to May missing: the lag-1 changes are those of rows one
    month apart only (1 -> 2 and 6 -> 7 ...), not 2 -> 6 across the gap; the testing rows
    (the last two) are not read, and the level and the change feature restart after the
    gap."""
    months = pd.to_datetime(["2020-01-01", "2020-02-01", "2020-06-01", "2020-07-01",
                             "2020-08-01", "2020-09-01", "2020-10-01"])
    values = [10.0, 11.0, 30.0, 31.0, 33.0, 50.0, 90.0]
    frame = pd.DataFrame({"id": "a", "month": months, "y": values})
    data = from_frame(frame, "id", ["y"], time_column="month")
    scaling = fit_scaling(data, np.array([5]), None, 2)
    u = np.log(values)
    expected = np.mean([u[1] - u[0], u[3] - u[2], u[4] - u[3]])
    assert scaling.scale[0, 0] == pytest.approx(expected)
    features, _, level = row_features(data, scaling)
    assert np.isnan(features[2, 0]) and np.isnan(level[2, 0])
    assert level[3, 0] == pytest.approx(np.mean(u[2:4]))


def test_a_series_without_training_rows_is_scaled_on_its_rows_before_the_testing_part():
    """A series too short for a training window keeps a scale of its own, fitted on its
    rows before the testing part (else it would be read in units of 1 by a later file with
    more of its rows); the other series and their inputs are fitted on their training
    rows as before."""
    # short: training rows none, rows before testing [200, 202, 201] (then 999 to test)
    data = _series_set({"long": [1.0, 2.0, 4.0, 8.0, 16.0, 99.0],
                        "short": [200.0, 202.0, 201.0, 999.0]},
                       inputs={"long": [1.0, 3.0, 5.0, 7.0, 9.0, 11.0],
                               "short": [10.0, 20.0, 30.0, 999.0]})
    scaling = fit_scaling(data, [5, 0], None, 4, scale_rows=[5, 3])
    assert scaling.log[:, 0].tolist() == [True, True]
    assert scaling.magnitude[1, 0] == pytest.approx(201.0)
    # u = log y: changes log(202/200), log(201/202)
    assert scaling.scale[1, 0] == pytest.approx(
        np.mean([math.log(202 / 200), abs(math.log(201 / 202))]))
    assert scaling.input_mean[1, 0] == pytest.approx(20.0)
    assert scaling.input_std[1, 0] == pytest.approx(np.std([10.0, 20.0, 30.0]))
    # the long series: its first 5 rows, as without scale_rows
    assert scaling.magnitude[0, 0] == pytest.approx(np.mean([1.0, 2.0, 4.0, 8.0, 16.0]))
    assert scaling.input_mean[0, 0] == pytest.approx(5.0)
    before = fit_scaling(data, [5, 0], None, 4)
    assert np.isnan(before.magnitude[1, 0]) and not before.log[1, 0]     # no scale
    assert _as_dict(before)["scale"][0] == _as_dict(scaling)["scale"][0]
