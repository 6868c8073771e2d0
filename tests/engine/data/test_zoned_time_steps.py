"""A time column whose times carry a time zone (a DataFrame given to the engine; a file's
are read in UTC) has the steps of its times in UTC: an hourly log across a change of summer
time, a day of 23 or 25 local hours, is one hour a step, and reading it warns of nothing."""

import warnings

import numpy as np
import pandas as pd
import pytest

from engine.data import default_config, load_table
from engine.data.checks import check_config
from engine.data.time_steps import check_order, detect_step, gap_before, step_counts

HOUR = {"unit": "nanoseconds", "size": 3_600_000_000_000}
ZONED = {
    "summer time begins": pd.date_range("2023-03-25", periods=72, freq="h",
                                        tz="Europe/Berlin"),
    "summer time ends": pd.date_range("2023-10-28", periods=72, freq="h",
                                      tz="Europe/Berlin"),
    "one offset, +01:00": pd.to_datetime([f"2020-01-01T{h:02d}:00:00+01:00"
                                          for h in range(24)]),
}


@pytest.mark.parametrize("name", ZONED)
def test_the_steps_of_zoned_times_are_hours_in_utc_without_a_warning(name):
    times = pd.Series(ZONED[name])
    local_days = times.dt.normalize().value_counts(sort=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step = detect_step(times)
        counts = step_counts(times, step)
        gaps = gap_before(times, step)
        check_order(times, "time")
    assert step == HOUR
    assert np.array_equal(counts[1:], np.ones(len(times) - 1)) and not gaps.any()
    if name.startswith("summer"):
        assert local_days.iloc[1] == (23 if "begins" in name else 25)


def test_a_missing_zoned_time_leaves_a_gap_and_the_rest_one_hour_apart():
    times = pd.Series(ZONED["summer time begins"][:30])
    times.iloc[26] = pd.NaT
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        counts = step_counts(times, detect_step(times))
    assert np.isnan(counts[[0, 26, 27]]).all()
    assert np.array_equal(np.delete(counts, [0, 26, 27]), np.ones(27))


def test_the_data_check_of_a_frame_with_zoned_times_finds_no_problem_and_warns_nothing():
    """It raised a TypeError comparing the times' order, and warned twice per time."""
    times = ZONED["summer time ends"]
    frame = pd.DataFrame({"time": times, "load": np.sin(np.arange(len(times)) / 4)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = load_table(frame)
        problems, summary = check_config(table, default_config(table, ["load"], lookback=6))
    assert table.time_step() == HOUR
    assert problems == [] and sum(summary.counts.values()) == len(times) - 6
