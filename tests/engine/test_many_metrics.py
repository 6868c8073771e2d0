"""M4's measures and benchmarks for many series (engine.many.metrics), against numbers worked
out by hand."""

import math

import numpy as np
import pytest

from engine.errors import EngineError
from engine.many import metrics as M


def test_smape_per_series_with_zero_over_zero_counting_zero():
    truths = [[100.0, 200.0], [0.0, 10.0]]
    forecasts = np.array([[110.0, 180.0], [0.0, 0.0]])
    # series 0: 200*10/210 = 9.5238095, 200*20/380 = 10.5263158; mean 10.0250627
    # series 1: 0/0 -> 0, 200*10/10 = 200; mean 100
    assert M.smape(truths, forecasts) == pytest.approx([10.0250627, 100.0], abs=1e-6)


def test_smape_leaves_out_missing_steps_and_checks_the_lengths():
    assert M.smape([[100.0, np.nan]], [[110.0, 5.0]]) == pytest.approx([200 * 10 / 210])
    assert np.isnan(M.smape([[np.nan]], [[1.0]])[0])
    with pytest.raises(EngineError, match="one forecast per holdout value"):
        M.smape([[1.0, 2.0]], [[1.0]])


def test_a_series_tested_on_zeros_alone_has_no_smape_whatever_the_forecast():
    truths = [[0.0, 0.0, 0.0], [0.0, np.nan, 0.0], [0.0, 0.0, 2.0], [1.0, 2.0, 4.0]]
    for forecasts in ([[1.0, 0.0, 2.0], [1.0, 1.0, 1.0], [1.0, 0.0, 2.0], [1.0, 1.0, 4.0]],
                      [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 2.0], [1.0, 1.0, 4.0]]):
        out = M.smape(truths, forecasts)
        # series 0 and 1: every known value 0 -> none, for a forecast of 0 as for any other
        assert np.isnan(out[:2]).all()
        # series 2: one value not 0 -> M4's sMAPE as before: (200 + 0 + 0) / 3
        # series 3: (0 + 200 * 1/3 + 0) / 3 = 200 / 9
        assert out[2:] == pytest.approx([200 / 3, 200 / 9])
    assert M.zero_holdouts(truths).tolist() == [True, True, False, False]
    assert M.zero_holdouts([[np.nan, np.nan]]).tolist() == [False]   # none known: unscored


def test_a_series_tested_on_zeros_is_left_out_of_every_method_s_smape_and_owa_not_mase():
    histories = [np.array([1.0, 2.0, 1.0, 2.0]), np.array([2.0, 4.0, 2.0, 4.0])]
    truths = [np.array([0.0, 0.0]), np.array([2.0, 4.0])]
    network = M.score_set(histories, truths, [[1.0, 1.0], [3.0, 4.0]], 1)
    naive2 = M.score_set(histories, truths, [[0.0, 0.0], [4.0, 4.0]], 1)
    # scales (lag 1): 1 and 2
    # sMAPE: series 0 none for both; series 1 network (200/5 + 0)/2 = 20,
    #        Naive2 (200*2/6 + 0)/2 = 33.33
    # MASE:  network (1+1)/2/1 = 1 and (1+0)/2/2 = 0.25 -> mean 0.625;
    #        Naive2 0 and (2+0)/2/2 = 0.5 -> mean 0.25
    assert network.mean_smape == pytest.approx(20.0)
    assert naive2.mean_smape == pytest.approx(100 / 3)
    assert network.mase == pytest.approx([1.0, 0.25]) and naive2.mean_mase == pytest.approx(0.25)
    # OWA = (20 / 33.33 + 0.625 / 0.25) / 2 = (0.6 + 2.5) / 2 = 1.55 (with the series' 200
    # against 0 counted: (110 / 16.67 + 2.5) / 2 = 4.55)
    assert M.owa_of(network, naive2) == pytest.approx(1.55)
    assert network.to_dict()["series"] == 2                   # MASE scored both


def test_the_note_names_the_series_mase_leaves_out_without_a_scale():
    """A constant history (scale 0) or one too short for a change a season apart (NaN):
    MASE leaves the series out of every mean without a word (the headline still counted
    every series); now a note names them. Series tested on zeros have their own note."""
    zeros, other = [0.0, 0.0], [1.0, 2.0]
    assert M.unscaled_notes(["a", "b"], [other, other], [1.0, 0.5]) == []
    assert M.unscaled_notes(["a", "E"], [other, other], [1.0, 0.0]) == [
        "MASE left out for 'E': its history before the testing part holds no change a "
        "season apart (constant, or too short), so MASE has no scale for it; so every "
        "method's mean MASE, and the MASE half of its OWA, are over the other series."]
    assert M.unscaled_notes(["a", "b", "c"], [other, other, zeros],
                            [np.nan, 0.0, 0.0])[0].startswith(
        "MASE left out for 2 series (e.g. 'a'): their histories before the testing part "
        "hold no change")                                           # not "c": its own note
    assert M.unscaled_notes(["a"], [other], [np.nan])[0].endswith(
        "so no method has a mean MASE.")


def test_the_note_names_the_series_tested_on_zeros_and_whether_mase_counts_them():
    left = ("testing values are all 0 (where sMAPE is 200% at every step not forecast as "
            "exactly 0), so every method's mean sMAPE, and the sMAPE half of its OWA, are "
            "over the other series; ")
    zeros, other = [0.0, 0.0], [1.0, 2.0]
    assert M.zero_holdout_notes(["a", "b"], [other, other], [1.0, 1.0]) == []
    assert M.zero_holdout_notes(["a", "H22"], [other, zeros], [1.0, 2.0]) == [
        f"sMAPE left out for 'H22': its {left}MASE counts it."]
    assert M.zero_holdout_notes(["a", "b", "c"], [zeros, other, zeros], [0.0, 1.0, 2.0]) == [
        f"sMAPE left out for 2 series (e.g. 'a'): their {left}MASE counts 1 of them (the "
        "other's history repeats itself: MASE has no scale for it)."]
    assert M.zero_holdout_notes(["a", "b", "c", "d"], [zeros, other, zeros, zeros],
                                [0.0, 1.0, 2.0, 0.0])[0].endswith(
        "MASE counts 1 of them (the others' histories repeat themselves: MASE has no scale "
        "for those).")
    every = left.replace("so every method's mean sMAPE, and the sMAPE half of its OWA, are "
                         "over the other series", "so no method has a mean sMAPE or an OWA")
    assert M.zero_holdout_notes(["a", "b"], [zeros, zeros], [0.0, np.nan]) == [
        f"sMAPE left out for 2 series (e.g. 'a'): their {every}MASE leaves them out too "
        "(their histories repeat themselves: MASE has no scale for them)."]
    assert M.zero_holdout_notes(["a", "b"], [zeros, zeros], [1.0, 2.0]) == [
        f"sMAPE left out for 2 series (e.g. 'a'): their {every}MASE counts them."]


def test_mase_scale_is_the_mean_seasonal_difference_of_the_history():
    # lag 2: |2-1| = 1, |6-3| = 3, |4-2| = 2 -> 2
    assert M.mase_scale([1.0, 3.0, 2.0, 6.0, 4.0], 2) == pytest.approx(2.0)
    # lag 1 (weekly, m = 1): 2, 1, 4, 2 -> 2.25
    assert M.mase_scale([1.0, 3.0, 2.0, 6.0, 4.0], 1) == pytest.approx(2.25)


def test_mase_scale_falls_back_to_lag_one_for_a_history_of_at_most_m_values():
    # m = 4 but only 3 values: lag 1, |3-1| = 2, |2-3| = 1 -> 1.5
    assert M.mase_scale([1.0, 3.0, 2.0], 4) == pytest.approx(1.5)
    assert M.mase_scale([1.0, 3.0, 2.0, 5.0], 4) == pytest.approx((2 + 1 + 3) / 3)
    assert math.isnan(M.mase_scale([7.0], 4))


def test_mase_divides_each_series_mean_absolute_error_by_its_scale():
    # series 0: |4-6|, |5-5| -> 1, scale 2 -> 0.5; series 1: |1-4| -> 3, scale 0 -> NaN
    out = M.mase([[4.0, 5.0], [1.0]], [[6.0, 5.0], [4.0]], [2.0, 0.0])
    assert out[0] == pytest.approx(0.5) and np.isnan(out[1])


def test_owa_averages_over_the_series_first_then_takes_the_ratios():
    # sMAPE: 15 / 30 = 0.5; MASE: mean [1, 3] = 2 over mean [4, 1] = 2.5 -> 0.8
    # OWA = (0.5 + 0.8) / 2 = 0.65 (the mean of per-series ratios would give 0.875)
    assert M.owa([10.0, 20.0], [1.0, 3.0], [20.0, 40.0], [4.0, 1.0]) == pytest.approx(0.65)


def test_owa_leaves_out_a_series_unscored_for_either_method():
    # series 2 unscored for the method's MASE: MASE means over series 0, 1 only
    owa = M.owa([10.0, 20.0, 30.0], [1.0, 3.0, np.nan], [20.0, 40.0, 60.0], [4.0, 1.0, 9.0])
    assert owa == pytest.approx(0.5 * (60 / 120 + 2 / 2.5))


def test_score_set_and_owa_of_naive2_itself_and_of_a_better_method():
    histories = [np.array([1.0, 3.0, 2.0, 6.0, 4.0]), np.array([10.0, 10.0, 12.0])]
    truths = [np.array([5.0, 7.0]), np.array([12.0, 10.0])]
    naive = M.score_set(histories, truths, [[4.0, 4.0], [12.0, 12.0]], 2)
    better = M.score_set(histories, truths, [[5.0, 6.0], [12.0, 11.0]], 2)
    # scales: series 0 lag 2 -> 2; series 1 lag 2: |12-10| -> 2
    assert naive.scales == pytest.approx([2.0, 2.0])
    # Naive: series 0 errors 1, 3 -> MASE 1; sMAPE (200/9 + 600/11)/2
    #        series 1 errors 0, 2 -> MASE 0.5; sMAPE (0 + 400/22)/2
    assert naive.mase == pytest.approx([1.0, 0.5])
    assert naive.smape == pytest.approx([(200 / 9 + 600 / 11) / 2, (400 / 22) / 2])
    assert naive.mean_mase == pytest.approx(0.75)
    assert M.owa_of(naive, naive) == pytest.approx(1.0)
    # better: errors 0, 1 and 0, 1 -> MASE 0.25, 0.25 (mean 0.25 / 0.75);
    #         sMAPE (200/13)/2 and (200/21)/2
    smape_better = (200 / 13 / 2 + 200 / 21 / 2) / 2
    expected = 0.5 * (smape_better / naive.mean_smape + 0.25 / 0.75)
    assert M.owa_of(better, naive) == pytest.approx(expected)
    assert better.to_dict() == {"smape": pytest.approx(smape_better),
                                "mase": pytest.approx(0.25), "series": 2}


def test_naive1_and_seasonal_naive_exactly():
    history = np.arange(1.0, 8.0)          # 1 .. 7
    assert M.naive1(history, 3).tolist() == [7.0, 7.0, 7.0]
    # m = 3: f_h = x_(7 + h - 3 ceil(h/3)): x5, x6, x7, x5, x6
    assert M.seasonal_naive(history, 5, 3).tolist() == [5.0, 6.0, 7.0, 5.0, 6.0]
    assert M.seasonal_naive(history, 2, 1).tolist() == [7.0, 7.0]
    with pytest.raises(EngineError, match="whole season"):
        M.seasonal_naive(history, 2, 8)


def test_seasonality_test_holds_its_level_on_white_noise():
    found = [M.seasonality_test(np.random.default_rng(seed).standard_normal(240), 12)
             for seed in range(300)]
    # a 90% test: about 10% of white-noise series come out seasonal by chance
    assert 0.04 <= np.mean(found) <= 0.16


def test_seasonality_test_finds_a_sine_and_needs_three_seasons():
    rng = np.random.default_rng(3)
    t = np.arange(240)
    sine = 10 + np.sin(2 * np.pi * t / 24) + 0.2 * rng.standard_normal(240)
    assert M.seasonality_test(sine, 24)
    assert not M.seasonality_test(sine[:71], 24)          # fewer than 3 x 24 values
    assert not M.seasonality_test(sine, 1)
    assert not M.seasonality_test(np.full(100, 3.0), 4)   # constant: no autocorrelation
    assert not M.seasonality_test(np.random.default_rng(5).standard_normal(240), 24)


def test_seasonality_test_uses_the_biased_autocorrelation_of_r_and_statsmodels():
    from statsmodels.tsa.stattools import acf

    from engine.data.statistics import autocorrelation

    x = np.random.default_rng(2).standard_normal(100).cumsum()
    assert autocorrelation(x, 12) == pytest.approx(acf(x, nlags=12, fft=False), abs=1e-12)


SEASON = np.array([0.5, 1.5, 1.2, 0.8])       # averages 1


def test_seasonal_indices_of_an_exactly_multiplicative_season():
    history = 10.0 * SEASON[np.arange(22) % 4]        # 5.5 seasons, level 10
    assert M.seasonal_indices(history, 4) == pytest.approx(SEASON)
    with pytest.raises(EngineError, match="two whole seasons"):
        M.seasonal_indices(history[:7], 4)
    with pytest.raises(EngineError, match="positive"):
        M.seasonal_indices(history - 10.0, 4)


def test_naive2_forecasts_the_season_from_the_right_position():
    history = 10.0 * SEASON[np.arange(22) % 4]
    # position 22 is 22 mod 4 = 2 in the season: 1.2, 0.8, 0.5, 1.5, 1.2, 0.8
    assert M.naive2(history, 6, 4) == pytest.approx([12.0, 8.0, 5.0, 15.0, 12.0, 8.0])
    assert M.season_of(history, 4).kind == "multiplicative"


def test_naive2_carries_the_last_seasonally_adjusted_value():
    history = 10.0 * SEASON[np.arange(22) % 4]
    history[-1] *= 1.1                 # last value (position 21, index 1.5): 16.5
    c = M.season_of(history, 4).indices
    level = 16.5 / c[21 % 4]
    assert M.naive2(history, 4, 4) == pytest.approx(level * c[[2, 3, 0, 1]])
    assert level == pytest.approx(11.0, rel=1e-2)    # the indices barely move


def test_naive2_is_naive1_without_a_season_and_additive_below_zero():
    noise = np.random.default_rng(5).standard_normal(240)
    assert not M.seasonality_test(noise, 24)
    assert M.naive2(noise, 3, 24).tolist() == [noise[-1]] * 3
    history = 10.0 * SEASON[np.arange(22) % 4] - 10.0     # -5, 5, 2, -2, ...
    season = M.season_of(history, 4)
    assert season.kind == "additive"
    assert season.indices == pytest.approx([-5.0, 5.0, 2.0, -2.0])
    assert M.naive2(history, 2, 4) == pytest.approx([2.0, -2.0])


def test_a_history_with_missing_values_is_refused():
    with pytest.raises(EngineError, match="missing values"):
        M.naive2([1.0, np.nan, 3.0], 2, 1)
