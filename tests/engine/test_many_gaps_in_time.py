"""Many series with gaps in time before their testing part: the comparators (Naive2,
seasonal naive, Theta) read each series from its rows since its last gap, as the network's
window does, and the MASE's scale pairs only values a season apart in time; a series
without a gap is scored on its whole history, as before."""

import numpy as np
import pandas as pd
import pytest

from engine.many import metrics as M
from engine.many.evaluation import evaluate_global
from engine.many.fitting import fit_global
from engine.many.global_model import GlobalSettings
from engine.many.series_data import from_frame
from helpers.many_series import long_frame, seasonal

TINY = dict(hidden_sizes=(4,), max_epochs=2)
METHODS = ("naive2", "seasonal_naive", "theta")
GAP_TIMES = np.r_[0:30, 33:64]          # 3 steps missing: the season of 4 shifts by 3
SHORT_TIMES = np.r_[0:40, 43:49]        # 2 rows between the gap and the testing rows


def _series(gap_times=GAP_TIMES):
    """``(values, times)``: "long" without a gap, "gap" and "short" with one (their value at
    time ``t`` is ``full[t]``, a trending series with a season of 4)."""
    full = {"gap": seasonal(64, 300, 5), "short": seasonal(49, 50, 6)}
    values = {"long": seasonal(60, 100, 1), "gap": full["gap"][gap_times],
              "short": full["short"][SHORT_TIMES]}
    times = {"long": np.arange(60), "gap": gap_times, "short": SHORT_TIMES}
    return values, times


@pytest.fixture(scope="module")
def scored():
    values, times = _series()
    data = from_frame(long_frame(values, times), "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=8, test_last=4,
                                            **TINY))
    return model, data, values, evaluate_global(model, data, 4, methods=METHODS)


def test_the_comparators_read_a_series_from_its_rows_since_its_last_gap(scored):
    """The series with a gap is forecast by the comparators exactly as the same series
    cut after its gap: seasonal naive repeats the last 4 rows after the gap (not a season
    of rows that straddles 3 missing steps), Naive2 and Theta are fitted on those rows."""
    model, data, values, evaluation = scored
    k = evaluation.ids.index("gap")
    since_gap = values["gap"][30:-4]                     # times 33 .. 59
    np.testing.assert_array_equal(evaluation.histories[k], since_gap)
    np.testing.assert_array_equal(evaluation.forecasts["seasonal_naive"][k], since_gap[-4:])
    cut_values, cut_times = _series(GAP_TIMES[30:])
    cut = from_frame(long_frame(cut_values, cut_times), "id", ["y"], time_column="t")
    alone = evaluate_global(model, cut, 4, methods=METHODS)
    j = alone.ids.index("gap")
    for method in METHODS:
        np.testing.assert_allclose(evaluation.forecasts[method][k],
                                   alone.forecasts[method][j], rtol=1e-12)


def test_the_mase_scale_pairs_only_values_a_season_apart_in_time(scored):
    """The scale of the series with a gap: the mean |x_t - x_(t-4)| over the times t
    before its testing rows where both t and t - 4 have a row (counted by hand), the same
    for the network and every comparator; not the row-by-row difference over the gap."""
    _, _, values, evaluation = scored
    k = evaluation.ids.index("gap")
    at = dict(zip(GAP_TIMES[:-4].tolist(), values["gap"][:-4]))
    expected = np.mean([abs(at[t] - at[t - 4]) for t in at if t - 4 in at])
    assert len([t for t in at if t - 4 in at]) == len(at) - 4 - 3
    for method in ("network",) + METHODS:
        assert evaluation.scores[method].scales[k] == pytest.approx(expected, rel=1e-12)
    assert M.mase_scale(values["gap"][:-4], 4) != pytest.approx(expected, rel=1e-3)
    truth, network = evaluation.truths[k], evaluation.forecasts["network"][k]
    assert evaluation.scores["network"].mase[k] == pytest.approx(
        np.mean(np.abs(truth - network)) / expected)


def test_a_series_with_less_than_a_season_since_its_gap_says_so(scored):
    """Two rows between the gap and the testing rows: the seasonal naive forecast is the
    last value (a season across the gap would be out of phase), and a note says why."""
    _, _, values, evaluation = scored
    k = evaluation.ids.index("short")
    last = values["short"][-5]
    np.testing.assert_array_equal(evaluation.histories[k], values["short"][40:-4])
    np.testing.assert_array_equal(evaluation.forecasts["seasonal_naive"][k], [last] * 4)
    np.testing.assert_array_equal(evaluation.forecasts["naive2"][k], [last] * 4)
    assert ("2 series have a gap in time before their testing rows: the comparators read "
            "each from its rows since its last gap, as the network does, and the MASE's "
            "scale pairs only values a season apart in time. 1 of them ('short') has "
            "fewer than 4 rows since that gap, less than a season: its seasonal naive "
            "forecast repeats its last value.") in evaluation.notes
    assert np.isfinite(evaluation.scores["network"].mase[k])


def test_a_series_without_a_gap_is_scored_on_its_whole_history(scored):
    _, _, values, evaluation = scored
    k = evaluation.ids.index("long")
    history = values["long"][:-4]
    np.testing.assert_array_equal(evaluation.histories[k], history)
    np.testing.assert_array_equal(evaluation.forecasts["seasonal_naive"][k], history[-4:])
    assert evaluation.scores["theta"].scales[k] == M.mase_scale(history, 4)


def test_the_positions_of_monthly_rows_count_the_months_a_gap_leaves_out():
    months = pd.date_range("2020-01-01", periods=30, freq="MS").delete([10, 11, 12])
    values = {"a": np.arange(27.0), "b": np.arange(30.0)}
    times = {"a": months, "b": pd.date_range("2020-01-01", periods=30, freq="MS")}
    data = from_frame(long_frame(values, times), "id", ["y"], time_column="t")
    assert data.positions(0).tolist() == list(range(10)) + list(range(13, 30))
    assert data.positions(1).tolist() == list(range(30))
    assert data.since_last_gap(0, 27) == 10 and data.since_last_gap(0, 10) == 0
    assert data.since_last_gap(1, 30) == 0


def test_the_mase_scale_in_time_by_hand():
    """Values at times 0, 1, 2, 5, 6 with m = 2: only times 2 and 0 are two steps apart;
    with no pair a season apart, pairs one step apart; the row-by-row scale without
    positions, as before."""
    history = [1.0, 3.0, 2.0, 6.0, 4.0]
    assert M.mase_scale(history, 2, [0, 1, 2, 5, 6]) == pytest.approx(1.0)
    assert M.mase_scale(history, 2) == pytest.approx(2.0)
    assert M.mase_scale([1.0, 3.0, 8.0, 9.0], 3, [0, 1, 5, 6]) == pytest.approx(1.5)
    assert np.isnan(M.mase_scale([1.0, 3.0], 3, [0, 4]))
    assert M.mase_scales([history, history], 2, [None, [0, 1, 2, 5, 6]]).tolist() == \
        pytest.approx([2.0, 1.0])
