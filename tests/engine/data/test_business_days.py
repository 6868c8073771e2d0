"""Business days (Monday to Friday, as stock prices and an office's sales are recorded)
step in business days: a Friday's next row is the Monday after it, a forecast after a
Friday falls on Monday. They were read as days with a gap every weekend, so that no window
longer than a week fitted (fit refused the file: "There is no complete window") and a
model of short windows forecast Saturdays and Sundays."""

import numpy as np
import pandas as pd
import pytest

from engine.cli.main import main
from engine.data.statistics import frequency, season_words
from engine.data.time_steps import (add_steps_each, check_step, detect_step,
                                    detect_step_like, gap_before, step_counts, step_words)
from engine.errors import EngineError

BUSINESS_DAY = {"unit": "business_days", "size": 1}
DAY = {"unit": "nanoseconds", "size": 86_400 * 10**9}


def business_days(start="2022-01-03", periods=300, **kwargs):
    return pd.Series(pd.bdate_range(start, periods=periods, **kwargs))


def test_weekdays_without_weekends_step_in_business_days():
    assert detect_step(business_days()) == BUSINESS_DAY
    assert detect_step(business_days(freq="C", holidays=["2022-01-17"])) == BUSINESS_DAY
    assert detect_step(pd.Series(pd.date_range("2022-01-03", periods=30))) == DAY
    week = business_days(periods=4)                   # Monday to Thursday: no weekend seen
    assert detect_step(week) == DAY
    assert detect_step(business_days(periods=10)) == DAY       # one weekend: maybe a gap
    assert detect_step(business_days(periods=11)) == BUSINESS_DAY
    assert detect_step(business_days() + pd.Timedelta(hours=17, minutes=30)) == BUSINESS_DAY
    mixed = business_days(periods=10) + pd.to_timedelta(np.arange(10) % 2, unit="h")
    assert detect_step(mixed) != BUSINESS_DAY          # not one time of day
    assert step_words(BUSINESS_DAY) == "1 business day"
    assert frequency(BUSINESS_DAY) == "business daily"
    assert season_words(5, BUSINESS_DAY) == ("one week of business-day rows",
                                             "the weekly cycle")


def test_a_weekend_or_holidays_are_one_step_and_a_missing_week_a_gap():
    """Closing days (a holiday, 24-26 December) are no gap: as a gap they had cut every
    window that spans one, most windows of a lookback of a month."""
    times = pd.Series(pd.to_datetime(["2022-01-06", "2022-01-07", "2022-01-10",
                                      "2022-01-12", "2022-12-23", "2022-12-27", None,
                                      "2022-12-28"]))
    # 12 January to 23 December: 49 weeks (245 weekdays) to 21 December, then 2 more
    np.testing.assert_array_equal(step_counts(times, BUSINESS_DAY),
                                  [np.nan, 1, 1, 1, 247, 1, np.nan, np.nan])
    np.testing.assert_array_equal(gap_before(times, BUSINESS_DAY),
                                  [False, False, False, False, True, False, True, True])
    christmas = pd.Series(pd.to_datetime(["2020-12-23", "2020-12-28", "2021-01-04"]))
    np.testing.assert_array_equal(step_counts(christmas, BUSINESS_DAY), [np.nan, 1, 5])


def test_steps_are_added_on_business_days_on_the_datas_clocks():
    friday = pd.Series(pd.to_datetime(["2022-01-07 17:30", "2022-01-06 17:30"]))
    assert list(add_steps_each(friday, BUSINESS_DAY, 1).astype(str)) == \
        ["2022-01-10 17:30:00", "2022-01-07 17:30:00"]
    assert list(add_steps_each(friday, BUSINESS_DAY, 6).dt.day) == [17, 14]
    berlin = friday.dt.tz_localize("Europe/Berlin")
    assert list(add_steps_each(berlin, BUSINESS_DAY, 1).dt.hour) == [17, 17]


def test_a_model_of_business_days_takes_a_weeks_rows_and_refuses_days():
    check_step(business_days(periods=4), BUSINESS_DAY)           # no weekend: accepted
    check_step(business_days(periods=30), BUSINESS_DAY)
    with pytest.raises(EngineError, match="1 day apart; the model was trained on times "
                                          "1 business day apart"):
        check_step(pd.Series(pd.date_range("2022-01-03", periods=30)), BUSINESS_DAY)
    # a model of days (saved before business days were told apart) reads them as days
    check_step(business_days(periods=30), DAY)
    assert detect_step_like(business_days(periods=30), DAY) == DAY


def prices(path, periods=300, seed=0):
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2022-01-03", periods=periods)
    frame = pd.DataFrame({"date": days.strftime("%Y-%m-%d"),
                          "price": np.round(100 + np.cumsum(rng.normal(size=periods)), 2)})
    frame.to_csv(path, index=False)
    return path, days


def test_fit_and_forecast_a_file_of_business_days(tmp_path, capsys):
    path, days = prices(tmp_path / "prices.csv")
    model = str(tmp_path / "prices.npz")
    assert main(["fit", str(path), "--target", "price", "--test-last", "20", "--lookback",
                 "10", "--epochs", "3", "--seed", "0", "--out", model]) == 0
    assert "a week of business-day rows" in capsys.readouterr().out
    out = tmp_path / "forecast.csv"
    assert main(["forecast", model, str(path), "--steps", "6", "--out", str(out)]) == 0
    when = pd.to_datetime(pd.read_csv(out)["date"])
    assert days[-1].day_name() == "Friday"
    expected = pd.bdate_range(days[-1] + pd.Timedelta(days=1), periods=6)
    assert list(when) == list(expected) and (when.dt.day_of_week < 5).all()


def test_a_model_of_many_series_forecasts_business_days(tmp_path):
    days = pd.bdate_range("2022-01-03", periods=120)
    rng = np.random.default_rng(1)
    frame = pd.concat([pd.DataFrame({"id": name, "date": days.strftime("%Y-%m-%d"),
                                     "y": np.round(50 * (k + 1) + rng.normal(size=120), 2)})
                       for k, name in enumerate("AB")])
    path = tmp_path / "long.csv"
    frame.to_csv(path, index=False)
    model = str(tmp_path / "m.npz")
    assert main(["fit", str(path), "--series", "id", "--target", "y", "--test-last", "5",
                 "--members", "1", "--hidden", "4", "--epochs", "2", "--out", model]) == 0
    out = tmp_path / "forecast.csv"
    assert main(["forecast", model, str(path), "--steps", "3", "--out", str(out)]) == 0
    forecast = pd.read_csv(out)
    expected = [str(d.date()) for d in pd.bdate_range(days[-1] + pd.Timedelta(days=1),
                                                      periods=3)]
    assert list(forecast["date"]) == expected * 2
    from engine.many.model_file import load_global_model
    from engine.many.series_data import series_for_model

    short = tmp_path / "short.csv"            # 8 weekdays a series: one weekend in each
    frame.groupby("id").tail(8).to_csv(short, index=False)
    data = series_for_model(load_global_model(model), short)
    assert data.time_step() == BUSINESS_DAY
    assert data.segment.tolist() == [0] * 8 + [1] * 8 and data.notes == []


def test_business_days_written_with_a_fixed_offset_are_counted_on_its_clocks(tmp_path):
    """Business days added in UTC to 00:00+01:00 (23:00 of the day before in UTC) fell on
    Saturdays, and the Mondays were left out."""
    days = pd.bdate_range("2024-01-01", periods=50)              # ends on Friday 8 March
    winter = pd.Series(pd.to_datetime([f"{d.date()}T00:00:00+01:00" for d in days[-2:]]))
    assert [str(t) for t in add_steps_each(winter, BUSINESS_DAY, 1)] == [
        "2024-03-08 00:00:00+01:00", "2024-03-11 00:00:00+01:00"]
    rng = np.random.default_rng(0)
    path = tmp_path / "winter.csv"
    pd.DataFrame({"date": [f"{d.date()}T00:00:00+01:00" for d in days],
                  "price": np.round(100 + np.cumsum(rng.normal(size=50)), 2)}).to_csv(
        path, index=False)
    model, out = str(tmp_path / "winter.npz"), tmp_path / "forecast.csv"
    assert main(["fit", str(path), "--target", "price", "--lookback", "5", "--epochs", "2",
                 "--out", model]) == 0
    assert main(["forecast", model, str(path), "--steps", "6", "--out", str(out)]) == 0
    assert [text[:10] for text in pd.read_csv(out)["date"]] == [
        "2024-03-11", "2024-03-12", "2024-03-13", "2024-03-14", "2024-03-15", "2024-03-18"]


def test_a_weekend_row_among_series_of_business_days_is_named():
    from engine.many.series_data import from_frame

    days = pd.bdate_range("2023-01-02", periods=40)
    frame = pd.DataFrame({"id": ["A"] * 40 + ["B"] * 41,
                          "date": list(days) + sorted([*days, pd.Timestamp("2023-01-14")]),
                          "y": np.arange(81.0)})
    data = from_frame(frame, "id", ["y"], time_column="date")
    assert data.time_step() == BUSINESS_DAY
    assert data.notes == [
        "The times step in business days, but 1 row falls on a weekend (series 'B', data "
        "row 50, 2023-01-14). The network reads it as one more step; leave it out, or "
        "move its value to a weekday."]
