"""Error measures against values computed by hand."""

import numpy as np
import pytest

from engine.testing.metrics import error_table, mae, mape, r2, rmse

Y = np.array([[1.0, 10.0], [2.0, 0.0], [3.0, -10.0], [4.0, 20.0]])
P = np.array([[1.5, 12.0], [2.0, 1.0], [2.0, -10.0], [5.0, 14.0]])
# column 0: errors 0.5, 0, -1, 1     column 1: errors 2, 1, 0, -6


def test_rmse_by_hand():
    np.testing.assert_allclose(rmse(Y, P), [np.sqrt(2.25 / 4), np.sqrt(41 / 4)])


def test_mae_by_hand():
    np.testing.assert_allclose(mae(Y, P), [2.5 / 4, 9 / 4])


def test_mape_skips_zero_targets():
    expected0 = 100 * (0.5 / 1 + 0 + 1 / 3 + 1 / 4) / 4
    expected1 = 100 * (2 / 10 + 0 / 10 + 6 / 20) / 3   # the row with y = 0 is left out
    np.testing.assert_allclose(mape(Y, P), [expected0, expected1])
    assert np.isnan(mape(np.zeros((3, 1)), np.ones((3, 1))))[0]


def test_r2_by_hand():
    # column 0: mean 2.5, spread 1.5^2 + .5^2 + .5^2 + 1.5^2 = 5; residual 2.25
    # column 1: mean 5, spread 25 + 25 + 225 + 225 = 500; residual 41
    np.testing.assert_allclose(r2(Y, P), [1 - 2.25 / 5, 1 - 41 / 500])
    assert np.isnan(r2(np.ones((3, 1)), np.zeros((3, 1))))[0]


def test_perfect_predictions():
    table = error_table(Y, Y)
    np.testing.assert_allclose(table["rmse"], 0)
    np.testing.assert_allclose(table["r2"], 1)


def test_one_dimensional_input_is_one_column():
    table = error_table([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    assert table["rmse"].shape == (1,)
    assert table["rmse"][0] == pytest.approx(np.sqrt(4 / 3))


def test_normalized_squared_error_by_hand():
    from engine.testing.metrics import normalized_squared_error

    # residuals 2.25 and 41 over spreads 5 and 500 (see test_r2_by_hand)
    np.testing.assert_allclose(normalized_squared_error(Y, P), [2.25 / 5, 41 / 500])
    np.testing.assert_allclose(normalized_squared_error(Y, P), 1 - r2(Y, P))
    mean = np.repeat(Y.mean(axis=0, keepdims=True), 4, axis=0)
    np.testing.assert_allclose(normalized_squared_error(Y, mean), [1.0, 1.0])
    assert np.isnan(normalized_squared_error(np.ones((3, 1)), np.zeros((3, 1))))[0]


def test_naive_scale_and_mase_by_hand():
    from engine.testing.metrics import mase, naive_scale

    history = np.array([[1.0], [3.0], [2.0], [np.nan], [6.0], [10.0]])
    # one-step changes |3-1|, |2-3|, |10-6| (pairs with a NaN left out)
    assert naive_scale(history, 1)[0] == pytest.approx((2 + 1 + 4) / 3)
    # lag 2: |2-1|, |6-2|  (|nan-3|, |10-nan| left out)
    assert naive_scale(history, 2)[0] == pytest.approx((1 + 4) / 2)
    assert np.isnan(naive_scale(history[:1], 1))[0]
    np.testing.assert_allclose(mase(Y, P, [0.5, 3.0]), [2.5 / 4 / 0.5, 9 / 4 / 3])
    assert np.isnan(mase(Y, P, [0.0, np.nan])).all()
    table = error_table(Y, P, np.array([0.5, 3.0]))
    assert set(table) == {"rmse", "mae", "mape", "r2", "mse_over_variance", "mase"}
    assert table["mase"][0] == pytest.approx(1.25)
    assert np.isnan(error_table(Y, P)["mase"]).all()


def test_naive_scale_pairs_only_rows_one_step_apart_in_time_by_hand():
    from engine.errors import EngineError
    from engine.testing.metrics import naive_scale

    levels = np.array([[1.0, 0.0], [3.0, 1.0], [2.0, 3.0], [9.0, 3.5], [10.0, 6.0]])
    # two steps missing before row 3: pairs 0-1, 1-2 and 3-4, not 2-3
    np.testing.assert_allclose(naive_scale(levels, 1, [0, 1, 2, 5, 6]),
                               [(2 + 1 + 1) / 3, (1 + 2 + 2.5) / 3])
    np.testing.assert_allclose(naive_scale(levels, 1), [(2 + 1 + 7 + 1) / 4, 6 / 4])
    # lag 3: only rows 2 and 5 (row 3) are three steps apart
    np.testing.assert_allclose(naive_scale(levels, 3, [0, 1, 2, 5, 6]), [7.0, 0.5])
    assert np.isnan(naive_scale(levels[:2], 1, [0, 2])).all()
    with pytest.raises(EngineError, match="4 positions in time for 5 values"):
        naive_scale(levels, 1, [0, 1, 2, 3])


def test_fit_line_by_hand():
    from engine.testing.metrics import fit_line

    y = np.array([1.0, 2.0, 3.0, 4.0])
    p = np.array([2.0, 2.5, 4.5, 5.0])
    # means 2.5 and 3.5; cov sum = (-1.5)(-1.5) + (-.5)(-1) + (.5)(1) + (1.5)(1.5) = 5.5
    # var_y sum = 5, var_p sum = 2.25 + 1 + 1 + 2.25 = 6.5
    line = fit_line(y, p)
    assert line["slope"][0] == pytest.approx(5.5 / 5)
    assert line["intercept"][0] == pytest.approx(3.5 - 1.1 * 2.5)
    assert line["correlation"][0] == pytest.approx(5.5 / np.sqrt(5 * 6.5))
    slope, intercept = np.polyfit(y, p, 1)
    assert line["slope"][0] == pytest.approx(slope)
    assert line["intercept"][0] == pytest.approx(intercept)
    perfect = fit_line(Y, Y)
    np.testing.assert_allclose(perfect["slope"], 1)
    np.testing.assert_allclose(perfect["intercept"], 0, atol=1e-12)
    np.testing.assert_allclose(perfect["correlation"], 1)
    rng = np.random.default_rng(1)
    for _ in range(200):                     # never a hair above 1 (rounding): at most 1
        values = rng.standard_normal(7) * 10 ** rng.uniform(-3, 6)
        assert abs(fit_line(values, 3 * values + 1)["correlation"][0]) <= 1.0
    assert np.isnan(fit_line(np.ones(3), p[:3])["slope"])[0]
