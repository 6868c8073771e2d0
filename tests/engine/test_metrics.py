"""Error measures against values computed by hand."""

import numpy as np
import pytest

from engine.metrics import error_table, mae, mape, r2, rmse

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
