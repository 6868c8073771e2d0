"""Choosing the transform, inputs and lookback by the linear autoregression's backtest."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from engine.data import CsvOptions, load_table
from engine.data.config import SplitSettings
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.linear_choice import (ORIGINS, candidates, choose_by_linear_backtest,
                                           lookback_candidates, origin_forecasts,
                                           origin_scores, placed_origins, windows_needed)
from engine.testing.backtest import fold_windows


def _table_and_config(path, lookback=4):
    project, _ = automatic_project(AutomaticChoices(path, ["y"], lookback=lookback))
    config = project.dataset_config()
    config.split = SplitSettings(fractions=(0.8, 0.2, 0.0))
    return project.table(config), config


def _ar2_csv(tmp_path, n=240, seed=0):
    """y_t = 0.6 y_(t-1) - 0.3 y_(t-2) + e_t: a known answer, stationary, no trend."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n)
    for t in range(2, n):
        y[t] = 0.6 * y[t - 1] - 0.3 * y[t - 2] + rng.normal()
    path = tmp_path / "ar2.csv"
    pd.DataFrame({"t": np.arange(n), "y": y + 50}).to_csv(path, index=False)
    return path


def test_lookback_candidates_surround_the_suggestion():
    assert lookback_candidates(12, 12, 100) == [6, 12, 24]
    assert lookback_candidates(10, 7, 15) == [5, 7, 10]        # 20 is over the most
    assert lookback_candidates(1, None, 10) == [1, 2]
    assert lookback_candidates(52, 144, 100, n_inputs=28) == [52]     # wide windows


def test_origins_leave_room_for_the_least_squares_fit(tmp_path):
    table, config = _table_and_config(_ar2_csv(tmp_path), lookback=4)
    assert windows_needed(config) == 4 + 11                  # coefficients, plus ten
    assert fold_windows(table, config, 19) == 15 == fold_windows(table, config, 18) + 1
    assert placed_origins(table, config, 200, 12) == [164, 176, 188]
    assert len(placed_origins(table, config, 19 + 12, 12)) == 1     # short: fewer origins
    assert placed_origins(table, config, 19 + 11, 12) == []         # too short: none
    assert ORIGINS == 3


def test_the_rows_a_seasonal_difference_uses_up_count_against_an_origin(tmp_path):
    """A seasonal difference leaves its first season without a window: an origin needs 12
    rows more for it, and a candidate that does not have them is out with the count."""
    table, config = _table_and_config(_ar2_csv(tmp_path), lookback=4)
    seasonal = dataclasses.replace(config, target_transform="seasonal_difference", period=12)
    assert fold_windows(table, seasonal, 31) == 15 == fold_windows(table, config, 19)
    assert placed_origins(table, seasonal, 31 + 12, 12) == [31]
    assert placed_origins(table, seasonal, 30 + 12, 12) == []
    short = dataclasses.replace(table, frame=table.frame.iloc[:42])
    trials = candidates(dataclasses.replace(config, period=12),
                        ["none", "seasonal_difference"], ["all"], [4])
    best, scored = choose_by_linear_backtest(short, config, trials, 42)
    assert scored[0].score is not None and scored[1].score is None
    assert scored[1].error == "14 windows before row 30 for lookback 4, at least 15 needed"
    assert best is trials[0][1]


def test_an_origin_never_sees_its_own_future(tmp_path):
    table, config = _table_and_config(_ar2_csv(tmp_path), lookback=4)
    origin, block = 180, 12
    changed = table.frame.copy()
    changed.loc[origin:, "y"] = changed.loc[origin:, "y"] * 10 + 1000
    other = dataclasses.replace(table, frame=changed)
    rows, truth, one_step, recursive, scale = origin_forecasts(table, config, origin, block)
    rows2, truth2, one_step2, recursive2, scale2 = origin_forecasts(other, config, origin, block)
    assert list(rows) == list(rows2) == list(range(origin, origin + block))
    np.testing.assert_array_equal(recursive, recursive2)        # from the origin: the same
    np.testing.assert_array_equal(one_step[0], one_step2[0])    # the first row: the same
    assert not np.allclose(one_step[1:], one_step2[1:])         # later rows see the new truth
    np.testing.assert_array_equal(scale, scale2)
    assert not np.allclose(truth, truth2)


def test_the_score_is_the_mean_mase_of_both_modes(tmp_path):
    table, config = _table_and_config(_ar2_csv(tmp_path), lookback=4)
    rows, truth, one_step, recursive, scale = origin_forecasts(table, config, 180, 12)
    expected = np.mean([np.mean(np.abs(truth - p)) / scale[0] for p in (one_step, recursive)])
    assert origin_scores(table, config, 180, 12) == pytest.approx(expected)
    # an AR(2) one step ahead beats persistence (MASE < 1) by a clear margin
    assert np.mean(np.abs(truth - one_step)) / scale[0] < 0.9


def test_the_backtest_prefers_a_lookback_that_holds_the_lags(tmp_path):
    table, config = _table_and_config(_ar2_csv(tmp_path, n=400), lookback=1)
    trials = candidates(config, ["none"], ["all"], [1, 2, 4])
    chosen, scored = choose_by_linear_backtest(table, config, trials, 400)
    assert all(t.score is not None for t in scored)
    assert chosen.lookback >= 2                      # lag 2 matters; lookback 1 misses it
    best = min(scored, key=lambda t: t.score)
    assert best.lookback == chosen.lookback


def test_nothing_is_chosen_when_no_origin_fits(tmp_path):
    table, config = _table_and_config(_ar2_csv(tmp_path, n=30), lookback=4)
    chosen, trials = choose_by_linear_backtest(
        table, config, candidates(config, ["none", "difference"], ["all"], [4]), 30)
    assert chosen is None and len(trials) == 2


def test_rows_whose_target_is_missing_are_left_out_not_the_candidate(tmp_path):
    path = _ar2_csv(tmp_path)
    frame = pd.read_csv(path)
    frame.loc[185, "y"] = np.nan                     # inside the block scored below
    frame.to_csv(path, index=False)
    table, config = _table_and_config(path, lookback=4)
    config.missing = "drop"
    value = origin_scores(table, config, 180, 12)
    assert np.isfinite(value)


def test_a_seasonal_difference_at_the_weekly_cycle_is_a_candidate_and_wins(tmp_path):
    """Hourly rows with lower weekends: the daily period is found first, the backtest
    also scores the seasonal difference at a week, chooses it, and the period follows."""
    from engine.training.fitting import automatic_choices, longer_season

    t = np.arange(24 * 7 * 8)
    rng = np.random.default_rng(0)
    y = 20 + 3 * np.sin(2 * np.pi * t / 24) + np.where((t // 24) % 7 >= 5, -3.0, 0.0) + \
        rng.normal(scale=0.3, size=t.size)
    path = tmp_path / "hours.csv"
    pd.DataFrame({"time": pd.date_range("2024-01-01", periods=t.size, freq="h"),
                  "y": np.round(y, 3)}).to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["y"], test_from="2024-02-19"))
    config = project.dataset_config()
    table = project.table(config)
    assert config.period == 24 and longer_season(table, config) == 168
    automatic = {"choose_target_transform": True, "choose_inputs": False,
                 "choose_lookback": False}
    chosen, trials = automatic_choices(table, config, automatic, {}, {}, None)
    seasonal = {t.period: t for t in trials if t.target_transform == "seasonal_difference"}
    assert set(seasonal) == {24, 168}
    assert seasonal[168].score < seasonal[24].score
    best = min((t for t in trials if t.score is not None), key=lambda t: t.score)
    assert best is seasonal[168]
    assert (chosen.target_transform, chosen.period) == ("seasonal_difference", 168)
    assert seasonal[168].label(with_period=True).startswith("seasonal_difference at 168, ")
    assert seasonal[168].to_dict()["period"] == 168


def test_a_series_of_one_cycle_gets_no_longer_candidate(tmp_path):
    from engine.training.fitting import longer_season

    table, config = _table_and_config(_ar2_csv(tmp_path, n=400))
    config.period = 12
    assert longer_season(table, config) is None


def test_a_seasonal_target_whose_level_drifts_is_not_forecast_from_its_level(tmp_path):
    """A trend under a yearly season: the candidates without a transform are left out with
    the reason shown, and a difference is chosen. The same trend without a season, and
    the stationary AR(2), keep them in the running (scored)."""
    from engine.training.fitting import automatic_choices

    rng = np.random.default_rng(5)
    t = np.arange(200)
    trend = 50 + 0.4 * t + rng.normal(scale=2.0, size=t.size)
    files = {}
    for name, y in (("seasonal", trend + 8 * np.sin(2 * np.pi * t / 12)), ("trend", trend)):
        files[name] = tmp_path / f"{name}.csv"
        pd.DataFrame({"month": pd.date_range("2000-01-01", periods=t.size, freq="MS"),
                      "y": np.round(y, 3)}).to_csv(files[name], index=False)
    automatic = {"choose_target_transform": True, "choose_inputs": False,
                 "choose_lookback": True}
    for path, left_out in ((files["seasonal"], True), (files["trend"], False),
                           (_ar2_csv(tmp_path), False)):
        project, _ = automatic_project(AutomaticChoices(path, ["y"], test_from=180))
        config = project.dataset_config()
        chosen, trials = automatic_choices(project.table(config), config, automatic, {}, {},
                                           None)
        levels = [t for t in trials if t.target_transform == "none"]
        assert levels and all((t.score is None) == left_out for t in levels), path.name
        if left_out:
            assert config.period == 12
            assert all(t.error.startswith("the level of y drifts (KPSS test, p ")
                       for t in levels)
            assert chosen.target_transform != "none"
            assert any(t.score is not None for t in trials)


def test_short_trial_fits_leave_out_the_level_of_a_drifting_seasonal_target_too(tmp_path):
    """50 monthly rows: no origin leaves room for the linear backtest, so short trial fits
    choose; the candidate without a transform is still left out, and listed with why."""
    from engine.training.fitting import automatic_choices
    from engine.training.trials import Trial

    t = np.arange(50)
    y = 50 + 0.8 * t + 8 * np.sin(2 * np.pi * t / 12) + \
        np.random.default_rng(2).normal(size=t.size)
    path = tmp_path / "short.csv"
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=t.size, freq="MS"),
                  "y": np.round(y, 3)}).to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["y"], test_from=36,
                                                    max_epochs=2))
    config = project.dataset_config()
    automatic = {"choose_target_transform": True, "choose_inputs": False,
                 "choose_lookback": False}
    chosen, trials = automatic_choices(project.table(config), config, automatic, {},
                                       {"max_epochs": 2}, None)
    assert config.period == 12 and all(isinstance(t, Trial) for t in trials)
    assert [t.target_transform for t in trials] == ["none", "difference",
                                                    "seasonal_difference"]
    assert trials[0].score is None and trials[0].error.startswith("the level of y drifts")
    assert chosen.target_transform in ("difference", "seasonal_difference")
