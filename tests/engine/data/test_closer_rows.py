"""Rows closer together than the time column's step (a reading at 07:30 in an hourly log)
are read as one step all the same; reading the file says so, naming the first, where it
said nothing."""

import numpy as np
import pandas as pd

from engine.data import load_table


def hourly(path, extra=()):
    times = list(pd.date_range("2022-01-01", periods=72, freq="h"))
    times += [pd.Timestamp(when) for when in extra]
    frame = pd.DataFrame({"time": sorted(times), "load": np.arange(len(times), dtype=float)})
    frame["time"] = frame["time"].dt.strftime("%Y-%m-%d %H:%M")
    frame.to_csv(path, index=False)
    return path


def test_a_row_between_two_steps_is_named(tmp_path):
    table = load_table(hourly(tmp_path / "log.csv", ["2022-01-02 07:30"]))
    assert table.notes == [
        "The time column 'time' has 2 places where a row is closer to the row before than "
        "its time step of 1 hour (the first: data row 32, 2022-01-02 07:30:00, after "
        "2022-01-02 07:00:00). The network reads every row as one step all the same, so a "
        "window that holds such rows spans less time than the others; leave such rows out, "
        "or average them into one row a step."]
    one = load_table(hourly(tmp_path / "last.csv", ["2022-01-03 23:30"]))
    assert "has a place where a row is closer" in one.notes[0]
    assert "(data row 72, 2022-01-03 23:30:00, after 2022-01-03 23:00:00)" in one.notes[0]


def test_regular_times_and_gaps_get_no_such_note(tmp_path):
    assert load_table(hourly(tmp_path / "log.csv")).notes == []
    gap = pd.read_csv(hourly(tmp_path / "gap.csv")).drop(index=range(10, 20))
    gap.to_csv(tmp_path / "gap.csv", index=False)
    assert load_table(tmp_path / "gap.csv").notes == []


def test_a_stray_row_among_months_is_named_and_no_february(tmp_path):
    """Against a step of 31 days every February was "closer", and the note named
    2018-03-01 after 2018-02-01, not the stray row."""
    months = list(pd.date_range("2018-01-01", periods=36, freq="MS").strftime("%Y-%m-%d"))
    months.insert(30, "2020-06-15")
    path = tmp_path / "monthly.csv"
    pd.DataFrame({"month": months, "sales": np.arange(37.0)}).to_csv(path, index=False)
    (note,) = load_table(path).notes
    assert "has 2 places where a row is closer" in note
    assert "(the first: data row 30, 2020-06-15, after 2020-06-01)" in note


def test_readings_a_quarter_of_a_day_apart_across_a_change_of_summer_time(tmp_path):
    """00:00, 06:00, 12:00 and 18:00 on Berlin's clocks are 5 hours apart in UTC on the
    night summer time starts: no row is closer than the step there."""
    times = pd.date_range("2023-03-20", periods=60, freq="6h", tz="Europe/Berlin")
    path = tmp_path / "berlin.csv"
    pd.DataFrame({"time": [t.isoformat() for t in times],
                  "load": np.arange(60.0)}).to_csv(path, index=False)
    assert load_table(path).notes == []


def test_a_row_on_a_weekend_among_business_days_is_named(tmp_path):
    days = list(pd.bdate_range("2023-01-02", periods=300).strftime("%Y-%m-%d"))
    days.insert(115, "2023-06-10")                           # a Saturday
    path = tmp_path / "prices.csv"
    pd.DataFrame({"date": days, "price": np.arange(301.0)}).to_csv(path, index=False)
    table = load_table(path)
    assert table.time_step() == {"unit": "business_days", "size": 1}
    assert table.notes == [
        "The time column 'date' steps in business days, but 1 row falls on a weekend (data "
        "row 115, 2023-06-10). The network reads it as one more step; leave it out, or "
        "move its value to a weekday."]
