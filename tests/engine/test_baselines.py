"""Persistence and seasonal naive against values worked out by hand."""

import numpy as np
import pytest

from engine.testing.baselines import baseline_lags, baseline_scores, baselines, naive_guesses

LEVELS = np.array([[10.0], [12.0], [11.0], [15.0], [14.0], [16.0], [13.0], [18.0]])


def test_baseline_lags():
    assert baseline_lags(None) == {"persistence": 1}
    assert baseline_lags(1) == {"persistence": 1}
    assert baseline_lags(4) == {"persistence": 1, "seasonal_naive": 4}


def test_persistence_repeats_the_last_known_value():
    # rows 4..7 one step ahead: the row before each; from row 4 on: row 3 for every row
    one = naive_guesses(LEVELS, np.arange(4, 8), np.arange(3, 7), 1)
    np.testing.assert_array_equal(one[:, 0], [15, 14, 16, 13])
    recursive = naive_guesses(LEVELS, np.arange(4, 8), np.full(4, 3), 1)
    np.testing.assert_array_equal(recursive[:, 0], [15, 15, 15, 15])


def test_seasonal_naive_repeats_the_last_known_cycle():
    # period 3, one step ahead: y_(r-3); from row 5 on (last known row 4): rows 2, 3, 4, 2
    one = naive_guesses(LEVELS, np.arange(4, 8), np.arange(3, 7), 3)
    np.testing.assert_array_equal(one[:, 0], [12, 11, 15, 14])
    recursive = naive_guesses(LEVELS, np.array([5, 6, 7, 8]), np.full(4, 4), 3)
    np.testing.assert_array_equal(recursive[:, 0], [11, 15, 14, 11])
    # a source row before the data is unknown
    assert np.isnan(naive_guesses(LEVELS, np.array([1]), np.array([0]), 3)[0, 0])


def test_baseline_scores_by_hand():
    rows = np.arange(4, 8)
    scores = baselines(LEVELS, rows, 4, 3, False, ["y"])
    # persistence errors 15-14, 14-16, 16-13, 13-18 -> |1, 2, 3, 5|
    assert scores["persistence"].mae[0] == pytest.approx((1 + 2 + 3 + 5) / 4)
    assert scores["persistence"].rmse[0] == pytest.approx(np.sqrt((1 + 4 + 9 + 25) / 4))
    # seasonal naive errors 12-14, 11-16, 15-13, 14-18 -> |2, 5, 2, 4|
    assert scores["seasonal_naive"].mae[0] == pytest.approx((2 + 5 + 2 + 4) / 4)
    recursive = baselines(LEVELS, rows, 4, None, True, ["y"])
    # from row 4 on, persistence is y_3 = 15: errors |1, 1, 2, 3|
    assert recursive["persistence"].mae[0] == pytest.approx((1 + 1 + 2 + 3) / 4)
    assert set(recursive) == {"persistence"}
    same = baseline_scores(LEVELS, LEVELS[rows], rows, rows - 1, 3, ["y"])
    assert same["seasonal_naive"].mae[0] == scores["seasonal_naive"].mae[0]
