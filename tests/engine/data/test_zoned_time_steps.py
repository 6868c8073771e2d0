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


def _read_in_utc(local):
    """Zoned times as a file's are read: in UTC, without a zone."""
    return pd.Series(local).dt.tz_convert("UTC").dt.tz_localize(None)


MONTHLY = {   # local midnights on the 1st (or month ends), in UTC on the day before
    "Europe/Berlin": pd.date_range("2019-01-01", periods=30, freq="MS", tz="Europe/Berlin"),
    "Europe/London": pd.date_range("2019-01-01", periods=30, freq="MS", tz="Europe/London"),
    "Australia/Sydney": pd.date_range("2019-01-01", periods=30, freq="MS",
                                      tz="Australia/Sydney"),
    "America/New_York": (pd.date_range("2019-01-01", periods=30, freq="MS")
                         + pd.Timedelta(days=14, hours=13)).tz_localize("America/New_York"),
}


@pytest.mark.parametrize("name", MONTHLY)
def test_monthly_times_written_with_offsets_step_by_months_of_their_zone_s_clocks(name):
    """Local midnights on the 1st are 23:00 or 22:00 of the day before in UTC (13:00 or
    14:00 of the day before in Sydney's): they were taken for a step of 31 days, with no
    calendar season, and forecast off the 1st (2021-03-04). London's months, counted in
    UTC, were two apart every November."""
    from engine.data.time_steps import add_steps, step_positions, step_zone

    local = MONTHLY[name]
    times = _read_in_utc(local)
    zone = local.tz
    assert detect_step(times)["unit"] == "nanoseconds"             # in UTC
    step = detect_step(times, zone)
    assert step == {"unit": "months", "size": 1, "zone": name}
    assert step_zone(step) == zone
    assert np.array_equal(step_positions(times, step, zone), np.arange(len(times)))
    assert not gap_before(times, step, zone).any()
    ahead = [add_steps(times.iloc[-1], step, k, zone) for k in range(1, 14)]
    clock = local[-1].tz_localize(None)                             # the same clock time
    expected = [(clock + pd.DateOffset(months=k)).tz_localize(zone) for k in range(1, 14)]
    assert [pd.Timestamp(t).tz_localize("UTC").tz_convert(zone) for t in ahead] == expected
    assert add_steps(local[-1], step, 1) == expected[0]          # a time with its zone
    missing = times.drop(index=10).reset_index(drop=True)          # a month left out
    assert gap_before(missing, step, zone).sum() == 1
    assert step_positions(missing, step, zone)[-1] == 29
    plain = {"unit": "months", "size": 1}              # a step found on dates without a zone
    assert not gap_before(times, plain, zone).any()
    written = local[-1].tz_localize(None)              # the same model, dates without offsets
    assert add_steps(written, step, 1) == clock + pd.DateOffset(months=1)


def test_quarter_ends_written_with_offsets_stay_quarter_ends_of_the_zone():
    from engine.data.time_steps import add_steps

    local = pd.date_range("2015-03-31", periods=24, freq="QE", tz="Europe/Berlin")
    times = _read_in_utc(local)
    step = detect_step(times, local.tz)
    assert step == {"unit": "months", "size": 3, "month_end": True, "zone": "Europe/Berlin"}
    ahead = [pd.Timestamp(add_steps(times.iloc[-1], step, k, local.tz)).tz_localize("UTC")
             .tz_convert("Europe/Berlin") for k in (1, 2, 3)]
    assert [f"{t:%Y-%m-%d %H:%M%z}" for t in ahead] == \
        ["2021-03-31 00:00+0200", "2021-06-30 00:00+0200", "2021-09-30 00:00+0200"]


def test_month_ends_at_a_fixed_offset_whose_utc_days_are_not_month_ends_step_by_its_months():
    """00:30 at +01:00 on the last day of each month is 23:30 of the day before in UTC."""
    from engine.data.time_steps import add_steps, step_zone

    local = pd.date_range("2019-01-31 00:30", periods=30, freq="ME", tz="+01:00")
    times = _read_in_utc(local)
    step = detect_step(times, local.tz)
    assert step == {"unit": "months", "size": 1, "month_end": True, "zone": "+01:00"}
    assert step_zone(step).utcoffset(None) == pd.Timedelta(hours=1)
    after = pd.Timestamp(add_steps(times.iloc[-1], step, 1, local.tz)).tz_localize("UTC")
    assert after.tz_convert(local.tz) == pd.Timestamp("2021-07-31 00:30+01:00")


def test_hourly_and_daily_times_with_a_zone_keep_their_steps_in_utc():
    """The zone is looked at only for times at least 27 days apart."""
    for freq, size in (("h", 3_600_000_000_000), ("D", 86_400_000_000_000)):
        local = pd.date_range("2023-03-20", periods=40, freq=freq, tz="Europe/Berlin")
        assert detect_step(_read_in_utc(local), local.tz) == {"unit": "nanoseconds",
                                                              "size": size}


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../Mars/Olympus", "+99:00", "berlin",
                                  "Europe"])
def test_a_model_file_whose_step_names_an_unknown_zone_is_refused_by_name(zone):
    from engine.errors import EngineError
    from engine.model.header import _check_time_step

    with pytest.raises(EngineError, match=r"time_step\.zone = .*Europe/Berlin"):
        _check_time_step({"unit": "months", "size": 1, "zone": zone}, "preprocessing.time_step")
    _check_time_step({"unit": "months", "size": 1, "zone": "Europe/Berlin"}, "p")
