"""The zone of times written with offsets (engine.data.time_zones), and forecasts past a
change of summer time: written with the offset the clocks then show, whole days landing on
the same clock time, of one series and of many."""

import datetime

import numpy as np
import pandas as pd
import pytest

from engine.data import read_csv
from engine.data.time_steps import add_steps, add_steps_each
from engine.data.time_zones import written_zone

DAY = {"unit": "nanoseconds", "size": 86400 * 10 ** 9}
HOURLY = {"unit": "nanoseconds", "size": 3600 * 10 ** 9}


def _written(local):
    """``local`` (zoned times) as texts with their offsets, and as read: in UTC."""
    texts = pd.Series([t.isoformat() for t in local])
    return texts, pd.Series(local.tz_convert("UTC").tz_localize(None))


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Sydney",
                                  "Europe/Chisinau", "America/St_Johns"])
def test_the_zone_is_found_from_the_offsets_written_across_a_change(zone):
    """Moldova changes clocks an hour of UTC before Helsinki, with the same offsets;
    Newfoundland's offsets are of half hours: each found as itself (or a zone that shows
    the same offsets at every change)."""
    local = pd.date_range("2022-01-01", "2023-12-31", freq="h", tz=zone)
    texts, times = _written(local)
    found = written_zone(texts, times)
    later = pd.date_range("2024-01-01", "2024-12-31", freq="h", tz="UTC")
    assert (later.tz_convert(found).tz_localize(None) ==
            later.tz_convert(zone).tz_localize(None)).all()


@pytest.mark.parametrize("zone, start, end, found", [
    ("America/New_York", "2014-10-01", "2015-10-28", "America/New_York"),
    ("Europe/London", "2016-10-01", "2017-10-26", "Europe/London"),
    ("America/Los_Angeles", "2019-01-01", "2020-06-30", "America/Los_Angeles"),
    ("Europe/Lisbon", "2015-01-01", "2018-06-30", "Europe/London")])
def test_a_city_of_many_people_is_taken_where_small_places_shared_its_clocks(
        zone, start, end, found):
    """New York's days until October 2015 fit Port-au-Prince and Grand Turk, whose clocks
    part ways after; London's and Lisbon's of 2015-2018 fit Casablanca at every change,
    though not during Ramadan; Los Angeles' of 2019-2020 fit Dawson: the fixed offset was
    taken, and the forecast past the next change was an hour off."""
    local = pd.date_range(start, end, freq="D", tz=zone)
    assert str(written_zone(*_written(local))) == found


def test_one_offset_throughout_stays_that_offset():
    """A winter's log at +01:00 says nothing of summer time: Berlin and Lagos alike."""
    local = pd.date_range("2021-11-01", "2022-02-28", freq="h", tz="Europe/Berlin")
    found = written_zone(*_written(local))
    assert found == datetime.timezone(datetime.timedelta(hours=1))


def test_a_log_kept_at_one_time_of_utc_stays_in_the_latest_offset():
    """Days at 00:00 UTC written in Berlin's offsets (01:00+01:00, then 02:00+02:00): the
    data keep UTC's clock, not Berlin's, so whole days stay days of UTC; in Berlin's zone
    the forecast past the autumn change was put at 02:00+01:00, an hour early."""
    utc = pd.date_range("2020-09-01", "2021-10-20", freq="D", tz="UTC")
    texts = pd.Series([t.tz_convert("Europe/Berlin").isoformat() for t in utc])
    found = written_zone(texts, pd.Series(utc.tz_localize(None)))
    assert found == datetime.timezone(datetime.timedelta(hours=2))


def test_offsets_written_short_or_with_z_are_read_at_every_time():
    """15-minute times with offsets of one digit (13:00+1) and ISO times without seconds
    written Z in winter: the texts' last six characters, read as the offset, changed at
    almost every row, and no zone was looked for."""
    local = pd.date_range("2021-01-01", "2021-12-31", freq="15min", tz="Europe/Berlin")
    texts = pd.Series([f"{t:%Y-%m-%d %H:%M}{int(t.utcoffset().total_seconds()) // 3600:+d}"
                       for t in local])
    times = pd.Series(local.tz_convert("UTC").tz_localize(None))
    assert str(written_zone(texts, times)) == "Europe/Berlin"
    london = pd.date_range("2021-01-01", "2021-12-31", freq="h", tz="Europe/London")
    texts = pd.Series([t.strftime("%Y-%m-%dT%H:%M") +
                       ("Z" if t.utcoffset().total_seconds() == 0 else "+01:00")
                       for t in london])
    times = pd.Series(london.tz_convert("UTC").tz_localize(None))
    assert str(written_zone(texts, times)) == "Europe/London"


def test_zones_that_part_ways_after_the_data_leave_the_latest_offset():
    """Mazatlan and Chihuahua kept the same clocks until October 2022, when Mexico ended
    summer time, and went on at -07:00 and -06:00: days written before tell neither."""
    local = pd.date_range("2021-01-01", "2022-10-15", freq="D", tz="America/Mazatlan")
    found = written_zone(*_written(local))
    assert found == datetime.timezone(datetime.timedelta(hours=-6))


def test_weekly_midnights_in_zones_whose_clocks_change_at_other_hours_of_the_same_night():
    """New York's clocks change at 02:00, Havana's at 00:00 of the same Sundays: Monday
    midnights are the same in both, and New York is found; its hours are not Havana's."""
    local = pd.date_range("2019-01-07", "2021-03-08", freq="7D", tz="America/New_York")
    assert str(written_zone(*_written(local))) == "America/New_York"


def test_offsets_no_zone_shows_stay_the_latest_offset():
    """+01:00 and +05:00 changing at dates no zone changes its clocks."""
    times = pd.Series(pd.date_range("2021-01-01", periods=6, freq="D"))
    texts = pd.Series([f"{t:%Y-%m-%d} 00:00{'+01:00' if k < 3 else '+05:00'}"
                       for k, t in enumerate(times)])
    assert written_zone(texts, times) == datetime.timezone(datetime.timedelta(hours=5))


def test_without_a_zone_database_the_latest_offset_is_kept(monkeypatch):
    import zoneinfo

    def no_database():
        raise OSError("no zone database")

    monkeypatch.setattr(zoneinfo, "available_timezones", no_database)
    monkeypatch.setattr("engine.data.time_steps.SUMMER_TIME_ZONES", ())
    local = pd.date_range("2021-03-20", "2021-04-05", freq="D", tz="Europe/Berlin")
    assert written_zone(*_written(local)) == datetime.timezone(datetime.timedelta(hours=2))


def test_whole_days_in_a_zone_with_summer_time_land_on_the_same_clock_time():
    """Midnight of 27 March 2021 in Berlin (23:00 UTC) plus 2 days is midnight of the 29th,
    22:00 UTC: 48 hours made it 01:00; a time skipped goes to the first after it; hours
    stay hours of UTC."""
    import zoneinfo

    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert add_steps(pd.Timestamp("2021-03-26 23:00"), DAY, 2, berlin) == \
        pd.Timestamp("2021-03-28 22:00")
    assert add_steps(pd.Timestamp("2021-03-26 23:00"), DAY, 2) == \
        pd.Timestamp("2021-03-28 23:00")
    assert add_steps(pd.Timestamp("2021-03-27 01:30"), DAY, 1, berlin) == \
        pd.Timestamp("2021-03-28 01:00")                # 02:30 skipped: 03:00 local
    assert add_steps(pd.Timestamp("2021-03-27 23:00"), HOURLY, 3, berlin) == \
        pd.Timestamp("2021-03-28 02:00")
    months = {"unit": "months", "size": 1}
    assert add_steps(pd.Timestamp("2021-02-28 23:00"), months, 1, berlin) == \
        pd.Timestamp("2021-03-31 22:00")                # 1 April, midnight
    zoned = pd.Series(pd.to_datetime(["2021-03-27", "2021-10-30"]).tz_localize(berlin))
    assert [str(t) for t in add_steps_each(zoned, DAY, 2)] == \
        ["2021-03-29 00:00:00+02:00", "2021-11-01 00:00:00+01:00"]


def _daily(tmp_path, many=False, freq="D", start="2020-10-01", end="2021-03-20"):
    """Local midnights in Berlin (days, or ``freq``) from October to 20 March, written with
    their offsets."""
    local = pd.date_range(start, end, freq=freq, tz="Europe/Berlin")
    values = np.sin(np.arange(len(local)) / 7) + np.arange(len(local)) * 0.01
    frame = pd.DataFrame({"time": [t.isoformat() for t in local], "value": values})
    if many:
        frame = pd.concat([frame.assign(series=name, value=frame["value"] + k)
                           for k, name in enumerate("ab")])
    path = tmp_path / "daily.csv"
    frame.to_csv(path, index=False)
    return path


AFTER_THE_CHANGE = ["2021-03-27 00:00:00+01:00", "2021-03-28 00:00:00+01:00",
                    "2021-03-29 00:00:00+02:00", "2021-03-30 00:00:00+02:00"]


def test_a_forecast_of_local_midnights_stays_at_midnight_past_the_change(tmp_path):
    """They were forecast 24 hours apart in the offset of the latest time: 2021-03-29
    00:00+01:00, which is 01:00 on Berlin's clocks."""
    from engine.deploy.forecasting import forecast
    from helpers.projects import trained_project

    path = _daily(tmp_path)
    assert str(read_csv(path)[0].attrs["time_zone"]) == "Europe/Berlin"
    trained_project(path, tmp_path, ["value"], name="m", max_epochs=1, lookback=6)
    model_path = tmp_path / "m.model.npz"
    written = forecast(model_path, path, 10).to_frame()["time"].tolist()
    assert written[-4:] == AFTER_THE_CHANGE
    texts = pd.read_csv(path)                        # the times as the file's texts
    assert forecast(model_path, texts, 10).to_frame()["time"].tolist() == written


def test_a_forecast_of_many_series_of_local_midnights_stays_at_midnight(tmp_path):
    from engine.many.fitting import fit_global
    from engine.many.forecasting import write_forecast_file
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import read_series

    data, _, _ = read_series(_daily(tmp_path, many=True), "series", ["value"],
                             time_column="time")
    model = fit_global(data, GlobalSettings(horizon=4, season=7, lookback=14, test_last=4,
                                            hidden_sizes=(4,), max_epochs=1))
    write_forecast_file(model, data, 10, tmp_path / "forecast.csv")
    written = pd.read_csv(tmp_path / "forecast.csv")["time"].tolist()
    assert written == 2 * (written[:6] + AFTER_THE_CHANGE)


def test_series_of_many_in_a_zone_whose_clocks_skip_midnight_are_read():
    """Chile's clocks skip midnight in September: reading the days of Santiago at noon
    failed in the check for monthly rows ('2023-09-03 00:00:00 is a nonexistent time')."""
    from engine.many.series_data import from_frame

    local = pd.date_range("2023-04-01 12:00", "2024-06-30 12:00", freq="D",
                          tz="America/Santiago")
    texts = [t.isoformat() for t in local]
    frame = pd.DataFrame({"id": ["a"] * len(texts) + ["b"] * len(texts), "t": texts * 2,
                          "y": np.arange(2.0 * len(texts))})
    data = from_frame(frame, "id", ["y"], time_column="t")
    assert str(data.times.dt.tz) == "America/Santiago"
    assert data.time_step() == DAY
    assert data.notes == [                  # Aysén kept -03:00 from April 2025
        "The times are taken to be on the clocks of Santiago (America/Santiago), whose "
        "offsets they show. Those of Coyhaique (America/Coyhaique) showed the same up to "
        "the data's end and differ from 2025-04-05 (-03:00 where Santiago shows -04:00): if "
        "the data are from Coyhaique, times forecast from that day on are written in the "
        "offset of Santiago, not its own."]


@pytest.mark.parametrize("fraction", ["", ".5", ".123456", ".123456789"])
def test_day_first_times_with_fractions_and_offsets_of_hours_are_read_day_first(fraction):
    """Offsets of hours alone after six digits of a fraction were not rewritten whole, and
    08/03/2021 was read as 3 August."""
    from engine.data.column_types import parse_time

    texts = pd.Series([f"20/02/2021 00:00:00{fraction}+01", f"08/03/2021 00:00:00{fraction}+1",
                       f"28/03/2021 12:00:00{fraction}+02:00"])
    read = [str(t)[:16] for t in parse_time(texts, "t")]
    assert read == ["2021-02-19 23:00", "2021-03-07 23:00", "2021-03-28 10:00"]


def test_reading_a_file_names_the_place_whose_clocks_part_soonest(tmp_path):
    """Days of New York to October 2015: taken as New York's, and the note says that Grand
    Turk's clocks, the same until then, differ from 1 November 2015."""
    local = pd.date_range("2014-10-01", "2015-10-28", freq="D", tz="America/New_York")
    path = tmp_path / "days.csv"
    pd.DataFrame({"time": [t.isoformat() for t in local],
                  "y": np.arange(len(local), dtype=float)}).to_csv(path, index=False)
    frame, _ = read_csv(path)
    assert str(frame.attrs["time_zone"]) == "America/New_York"
    assert [n for n in frame.attrs["notes"] if "clocks" in n] == [
        "The times are taken to be on the clocks of New York (America/New_York), whose "
        "offsets they show. Those of Grand Turk (America/Grand_Turk) showed the same up to "
        "the data's end and differ from 2015-11-01 (-04:00 where New York shows -05:00): if "
        "the data are from Grand Turk, times forecast from that day on are written in the "
        "offset of New York, not its own."]
