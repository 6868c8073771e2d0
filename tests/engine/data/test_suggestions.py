"""The suggestions of the data page and of the automatic pipeline: the lookback capped by the
training rows and covering the inputs' lags, the calendar's periods, the steps ahead, and the
seasonal naive baseline at a detected season."""

import itertools

import numpy as np
import pandas as pd
import pytest

from engine.data import load_table
from engine.data.statistics import (LONGEST_PERIOD_LOOKBACK, MAX_LOOKBACK, MIN_LOOKBACK,
                                    choose_lookback, detect_period, lookback_cap,
                                    lookback_suggestion, page_statistics, rows_word,
                                    season_words, short_reason, suggest_steps_ahead,
                                    training_rows)
from engine.testing.baselines import season_length
from engine.training.automatic import AutomaticChoices, automatic_project
from helpers.examples import example_csv

HOURLY = {"unit": "nanoseconds", "size": 3_600 * 10**9}
DAILY = {"unit": "nanoseconds", "size": 86_400 * 10**9}
WEEKLY = {"unit": "nanoseconds", "size": 7 * 86_400 * 10**9}


def _short_frame(rows=150, lead=5, seed=0):
    """``rows`` daily rows: an input ``x`` (a random walk) that the target ``y`` follows
    ``lead`` steps later."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(rows + lead).cumsum()
    y = 2 * x[:rows] + 0.3 * rng.standard_normal(rows)
    return pd.DataFrame({"day": pd.date_range("2020-01-01", periods=rows, freq="D")
                         .strftime("%Y-%m-%d"), "x": x[lead:], "y": y})


def test_the_lookback_is_capped_by_the_training_rows():
    lookback, reason = choose_lookback(73, 73, training_rows=120)
    assert lookback == lookback_cap(120) < 73
    assert reason == (f"the season found in the data, 73 rows, is longer than 60; the "
                      f"partial autocorrelation suggests 73, lowered to 48, the longest "
                      f"this choice gives; shortened to "
                      f"{lookback} so that the 120 training rows give enough windows (at "
                      f"least 3 for each value a window holds)")
    assert choose_lookback(12, 12, training_rows=120) == \
        (12, "a season of 12 rows, the season found in the data")
    assert choose_lookback(12, 12, training_rows=120, step={"unit": "months", "size": 1}) \
        == (12, "one year of monthly rows, the yearly cycle found in the data")
    # more inputs per step need more windows per lookback step
    assert lookback_cap(120, n_inputs=3) < lookback_cap(120, n_inputs=1)
    windows = 120 - lookback + 1 - 1
    assert windows >= 3 * lookback


def test_a_training_part_too_short_for_any_lookback_is_not_called_enough():
    lookback, reason = choose_lookback(12, 12, training_rows=5)
    assert lookback == 1 and "enough windows" in reason    # 4 windows, 3 wanted
    lookback, reason = choose_lookback(12, 12, training_rows=3, n_inputs=2)
    assert lookback == 1 and "enough windows" not in reason
    assert reason.endswith("still the 3 training rows give 2 windows, fewer than the 6 "
                           "wanted: give the training part more rows")


def test_a_short_series_gets_a_short_lookback(tmp_path):
    """150 rows with two other inputs: 60% of them train, 90 rows, so that a season of 12
    is shortened to 90 // (3 * 3 + 1) = 9 steps, and the note says so."""
    rng = np.random.default_rng(1)
    t = np.arange(150)
    frame = pd.DataFrame({"month": pd.date_range("2000-01-01", periods=150, freq="MS")
                          .strftime("%Y-%m-%d"),
                          "y": 10 * np.sin(2 * np.pi * t / 12) + rng.standard_normal(150),
                          "a": rng.standard_normal(150), "b": rng.standard_normal(150)})
    csv = tmp_path / "short.csv"
    frame.to_csv(csv, index=False)
    project, notes = automatic_project(AutomaticChoices(csv, ["y"]))
    assert project.data.config.lookback == lookback_cap(90, n_inputs=3) == 9
    note = next(n for n in notes if n.startswith("Lookback"))
    assert note.startswith("Lookback 9 (one year of monthly rows, the yearly cycle found in "
                           "the data;")
    assert note.endswith("; shortened to 9 so that the 90 training rows give enough windows "
                         "(at least 3 for each value a window holds)).")


def test_an_input_leading_by_five_steps_is_covered():
    frame = _short_frame(lead=5)
    lookback, reason, lags = lookback_suggestion(frame, "y", ["x"], rows=1000)
    assert lags["x"][0] == 5 and lookback >= 5
    assert "the lag 5 at which 'x' correlates most with the target" in reason
    lookback, reason, _ = lookback_suggestion(_short_frame(rows=600, lead=20), "y", ["x"],
                                              rows=480)
    assert lookback == 20 and "lengthened to 20 to cover the lag 20" in reason


def test_a_trend_alone_does_not_make_an_input_lag():
    rows = 300
    rng = np.random.default_rng(3)
    t = np.arange(rows)
    frame = pd.DataFrame({"x": t + rng.standard_normal(rows),
                          "y": 2 * t + rng.standard_normal(rows)})
    _, reason, lags = lookback_suggestion(frame, "y", ["x"], rows=240)
    assert lags["x"] is None or lags["x"][0] <= 2      # not a lag made by the two trends
    assert "correlates" not in reason or lags["x"] is not None


def test_the_data_page_shows_the_inputs_lags(tmp_path):
    csv = tmp_path / "lead.csv"
    _short_frame(rows=400, lead=5).to_csv(csv, index=False)
    project, notes = automatic_project(AutomaticChoices(csv, ["y"]))
    config = project.dataset_config()
    shown = page_statistics(load_table(csv), "y", config.lookback, config=config)
    assert shown.lags["x"][0] == 5
    assert shown.suggested == config.lookback            # the page suggests what fit chose
    assert f"Lookback {config.lookback} ({shown.reason})." in notes


def _hourly_frame(days=40, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(24 * days)
    y = 10 + 0.002 * t + 3 * np.sin(2 * np.pi * t / 24) + rng.standard_normal(t.size) \
        + 0.05 * rng.standard_normal(t.size).cumsum()
    return pd.DataFrame({"time": pd.date_range("2021-03-01", periods=t.size, freq="h")
                         .strftime("%Y-%m-%d %H:%M"), "load": y})


def test_hourly_data_with_a_daily_cycle_has_period_24(tmp_path):
    frame = _hourly_frame()
    assert detect_period(frame["load"].to_numpy(), HOURLY) == 24
    csv = tmp_path / "hourly.csv"
    frame.to_csv(csv, index=False)
    project, notes = automatic_project(AutomaticChoices(csv, ["load"]))
    assert project.data.config.period == 24
    assert "Lookback 24 (one day of hourly rows, the daily cycle found in the data)." in notes
    assert any(n.startswith("Suggested steps ahead: 24 (a day of hourly rows)")
               for n in notes)


def test_daily_data_with_a_weekly_cycle_has_period_7():
    rng = np.random.default_rng(2)
    t = np.arange(700)
    y = 50 + 5 * (t % 7 >= 5) + rng.standard_normal(t.size) + 0.2 * rng.standard_normal(
        t.size).cumsum()
    assert detect_period(y, DAILY) == 7


def test_weekly_data_with_a_yearly_cycle_names_one_year_of_weekly_rows(tmp_path):
    """52 weekly rows are 364 days, as near to a year as weeks come (a year is 52.18 weeks):
    the lookback's reason names the year, not "a season of 52 rows"."""
    rng = np.random.default_rng(3)
    times = pd.date_range("2010-01-03", periods=520, freq="W")
    y = 10 * np.sin(2 * np.pi * times.day_of_year / 365.25) + rng.standard_normal(times.size)
    frame = pd.DataFrame({"week": times.strftime("%Y-%m-%d"), "sales": y})
    assert detect_period(frame["sales"].to_numpy(), WEEKLY) == 52
    csv = tmp_path / "weekly.csv"
    frame.to_csv(csv, index=False)
    project, notes = automatic_project(AutomaticChoices(csv, ["sales"]))
    assert project.data.config.period == 52
    assert "Lookback 52 (one year of weekly rows, the yearly cycle found in the data)." in \
        notes


def test_no_calendar_cycle_in_a_random_walk():
    y = np.random.default_rng(4).standard_normal(2000).cumsum()
    from engine.data.statistics import calendar_candidate
    assert calendar_candidate(y, DAILY) is None and calendar_candidate(y, HOURLY) is None


@pytest.mark.parametrize("step, rows, steps, words", [
    (HOURLY, 2000, 24, "a day of hourly rows"),
    (DAILY, 1000, 7, "a week of daily rows"),
    (WEEKLY, 500, 13, "a quarter of weekly rows"),
    ({"unit": "months", "size": 1}, 200, 12, "a year of monthly rows"),
    ({"unit": "months", "size": 3}, 120, 8, "two years of quarterly rows"),
    ({"unit": "months", "size": 3}, 60, 4, "a year of quarterly rows"),
    ({"unit": "months", "size": 12}, 100, 5, "five years of yearly rows"),
])
def test_the_steps_ahead_suggestion_follows_the_frequency(step, rows, steps, words):
    assert suggest_steps_ahead(rows, step) == (steps, words)


def test_the_steps_ahead_suggestion_without_a_calendar_and_on_short_data():
    years = pd.Series(np.arange(1900, 2000))
    assert suggest_steps_ahead(100, {"unit": "number", "size": 1.0}, times=years) == \
        (5, "five years of yearly rows")
    assert suggest_steps_ahead(500, {"unit": "number", "size": 1.0}, period=11) == \
        (11, "a season of 11 rows")
    assert suggest_steps_ahead(500, None) == (1, "the next row: no calendar step or season "
                                                 "found")
    assert suggest_steps_ahead(72, {"unit": "months", "size": 1}) == \
        (7, "a year of monthly rows, shortened to 7, a tenth of the 72 rows")


def test_the_seasonal_naive_takes_the_detected_season():
    rng = np.random.default_rng(5)
    t = np.arange(400)
    levels = (20 + 4 * (t % 7 == 6) + rng.standard_normal(t.size))[:, None]
    assert season_length(None, levels, 300, DAILY) == 7
    assert season_length(12, levels, 300, DAILY) == 12          # the model's own first
    line = np.linspace(0, 10, 400)[:, None]
    assert season_length(None, line, 300, DAILY) is None


def _hourly_sine(days=60, seed=0):
    """Hourly rows (a DatetimeIndex turned into a time column): a daily sine plus noise."""
    rng = np.random.default_rng(seed)
    times = pd.date_range("2022-05-01", periods=24 * days, freq="h")
    y = 5 * np.sin(2 * np.pi * times.hour / 24) + rng.standard_normal(times.size)
    return pd.DataFrame({"time": times, "load": y})


def test_the_lookback_of_hourly_data_is_one_day_and_says_so():
    table = load_table(_hourly_sine())
    shown = page_statistics(table, "load", 10)
    assert shown.period == 24 and shown.suggested == 24
    assert shown.reason == "one day of hourly rows, the daily cycle found in the data"


def test_a_lookback_capped_by_the_training_rows_says_so_with_its_season():
    table = load_table(_hourly_sine(days=3))               # 72 rows, 43 of them train
    rows = training_rows(len(table.frame))
    lookback, reason, _ = lookback_suggestion(table.frame, "load", rows=rows,
                                              step=table.time_step())
    assert lookback == lookback_cap(rows) < 24
    assert reason == (f"one day of hourly rows, the daily cycle found in the data; shortened "
                      f"to {lookback} so that the {rows} training rows give enough windows "
                      "(at least 3 for each value a window holds)")


def test_the_ten_minute_example_names_its_daily_cycle():
    table = load_table(example_csv("appliances_energy_10min.csv"))
    assert rows_word(table.time_step()) == "10-minute rows"
    shown = page_statistics(table, "Appliances", 12)
    assert shown.period == 144
    assert shown.reason.startswith("the daily cycle found in the data, 144 rows, is longer "
                                   "than 60; the partial autocorrelation suggests ")
    assert "season of 720" not in shown.reason and shown.suggested <= 60
    assert (shown.steps, shown.steps_reason) == (144, "one day of 10-minute rows")


@pytest.mark.parametrize("period, step, words", [
    (24, HOURLY, ("one day of hourly rows", "the daily cycle")),
    (168, HOURLY, ("one week of hourly rows", "the weekly cycle")),
    (7, DAILY, ("one week of daily rows", "the weekly cycle")),
    (365, DAILY, ("one year of daily rows", "the yearly cycle")),
    (366, DAILY, ("one year of daily rows", "the yearly cycle")),
    (52, WEEKLY, ("one year of weekly rows", "the yearly cycle")),
    (8_760, HOURLY, ("one year of hourly rows", "the yearly cycle")),
    (26, {"unit": "nanoseconds", "size": 14 * 86_400 * 10**9},
     ("one year of 14-day rows", "the yearly cycle")),
    (12, {"unit": "nanoseconds", "size": 2 * 3_600 * 10**9},
     ("one day of 2-hour rows", "the daily cycle")),
    (53, WEEKLY, ("a season of 53 rows", "the season")),
    (364, DAILY, ("a season of 364 rows", "the season")),
    (2, {"unit": "nanoseconds", "size": 200 * 86_400 * 10**9},
     ("a season of 2 rows", "the season")),
    (12, {"unit": "months", "size": 1}, ("one year of monthly rows", "the yearly cycle")),
    (4, {"unit": "months", "size": 3}, ("one year of quarterly rows", "the yearly cycle")),
    (720, HOURLY, ("a season of 720 rows", "the season")),
    (11, {"unit": "number", "size": 1.0}, ("a season of 11 rows", "the season")),
    (11, None, ("a season of 11 rows", "the season")),
])
def test_seasons_in_words(period, step, words):
    assert season_words(period, step) == words


def test_a_short_suggestion_is_raised_and_says_so():
    assert choose_lookback(None, 2) == (12, "no season found in the data; the partial "
                                            "autocorrelation suggests 2, raised to 12, the "
                                            "shortest this choice gives")


def test_a_lookback_the_training_rows_keep_short_is_said_one_way():
    """20 yearly rows, 14 of them training, 3 inputs: the suggestion 1 is kept, and the
    reason says so once (it said "raised to 12, ...; shortened to 1", up and down); a cap
    between the suggestion and 12 raises it that far, and an input's lag beyond the cap is
    covered as far as the cap allows."""
    lookback, reason = choose_lookback(None, 1, training_rows=14, n_inputs=3)
    assert lookback == 1 == lookback_cap(14, n_inputs=3)
    assert reason == ("no season found in the data; the partial autocorrelation suggests 1, "
                      "kept rather than raised to 12 (the shortest this choice gives) so "
                      "that the 14 training rows give enough windows (at least 3 for each "
                      "value a window holds)")
    assert choose_lookback(None, 5, training_rows=30) == (7, (
        "no season found in the data; the partial autocorrelation suggests 5, raised to 7 "
        "rather than 12 (the shortest this choice gives) so that the 30 training rows give "
        "enough windows (at least 3 for each value a window holds)"))
    lookback, reason = choose_lookback(12, 12, training_rows=60, input_lag=(20, "x"))
    assert lookback == 15 and reason == (
        "a season of 12 rows, the season found in the data; lengthened to 15 rather than 20 "
        "(to cover the lag 20 at which 'x' correlates most with the target) so that the 60 "
        "training rows give enough windows (at least 3 for each value a window holds)")
    lookback, reason = choose_lookback(12, 12, training_rows=40, input_lag=(20, "x"))
    assert lookback == 10 and reason.endswith(
        "; not lengthened to 20 (to cover the lag 20 at which 'x' correlates most with the "
        "target); shortened to 10 so that the 40 training rows give enough windows (at "
        "least 3 for each value a window holds)")
    lookback, reason = choose_lookback(None, 1, training_rows=3, n_inputs=2)
    assert lookback == 1 and reason.endswith(
        "suggests 1, kept rather than raised to 12 (the shortest this choice gives), and "
        "still the 3 training rows give 2 windows, fewer than the 6 wanted: give the "
        "training part more rows")
    assert choose_lookback(None, 5, training_rows=14) == (3, (
        "no season found in the data; the partial autocorrelation suggests 5, lowered to 3 "
        "rather than raised to 12 (the shortest this choice gives) so that the 14 training "
        "rows give enough windows (at least 3 for each value a window holds)"))
    for _, reason in (choose_lookback(None, 1, 14, 3), choose_lookback(None, 5, 30),
                      choose_lookback(None, 5, 14)):
        assert "shortened" not in reason
        assert reason.count("so that") == 1


def _lookback_by_the_rule(period, suggested, training_rows, n_inputs, lag):
    """The lookback :func:`choose_lookback` chose before its reason said the cap one way:
    the season (or the suggestion between the bounds), lengthened to the input's lag, at
    most the cap."""
    if period and 2 <= period <= LONGEST_PERIOD_LOOKBACK:
        lookback = period
    else:
        lookback = min(max(suggested, MIN_LOOKBACK), MAX_LOOKBACK)
    if lag:
        lookback = max(lookback, lag)
    cap = lookback_cap(training_rows, n_inputs)
    return lookback if cap is None else min(lookback, cap)


def test_the_words_on_the_cap_leave_the_lookback_as_the_rule_gives_it():
    """Over seasons, suggestions, training rows, inputs and lags, the lookback is the one
    the rule gives (the season or bounded suggestion, lengthened to the lag, capped): only
    the words changed."""
    for period, suggested, rows, n_inputs, lag in itertools.product(
            (None, 1, 7, 12, 100), (1, 5, 20, 60), (None, 3, 14, 30, 60, 122, 500),
            (1, 3), (None, 4, 20)):
        lookback, reason = choose_lookback(period, suggested, rows, n_inputs,
                                           (lag, "x") if lag else None)
        assert lookback == _lookback_by_the_rule(period, suggested, rows, n_inputs, lag), (
            period, suggested, rows, n_inputs, lag)
        assert reason.count(" so that ") + reason.count("and still") <= 1


def test_the_short_reason_keeps_why_the_training_rows_cap_the_lookback():
    """The page shows what was found, why the training rows cap the lookback and what set
    it last, without their parentheses; the clauses between them become "..." (the cap's
    clause was left to the tooltip when an input's lag came after it)."""
    reason = choose_lookback(None, 2, training_rows=122, n_inputs=12,
                             input_lag=(2, "cpi"))[1]
    assert short_reason(reason) == (
        "no season found in the data; the partial autocorrelation suggests 2, raised to 3 "
        "rather than 12 so that the 122 training rows give enough windows")
    assert short_reason("a; b; covers the lag 2 (c)") == "a; b"     # the lags are beside it
    assert short_reason("a; b; c (d); e") == "a; ...; e"
    assert short_reason("a; b so that the 9 training rows give x (y); c; d") == (
        "a; b so that the 9 training rows give x; ...; d")
    assert short_reason("a (b)") == "a"
