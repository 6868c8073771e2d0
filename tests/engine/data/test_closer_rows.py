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
