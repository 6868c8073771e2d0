"""Times written with a time zone are read in UTC (evenly spaced across a change of
summer time), and the times written from them carry the offset of the data's latest time
(+02:00 after the change of summer time in spring; after a later change, the offset of the
zone found, tests/engine/data/test_time_zones.py), of one series and of many."""

import re

import numpy as np
import pandas as pd
import pytest

from engine.data import load_table, read_csv
from engine.data.time_steps import check_order
from engine.deploy.forecasting import forecast
from engine.deploy.predicting import predictions_table
from engine.errors import EngineError
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project, save_fit


def hour_only(stamp):
    """``stamp`` (zoned) in ISO 8601 with an offset of hours alone: 2021-03-26T00:00:00+01."""
    return stamp.isoformat()[:-3]


def one_digit_hours(stamp):
    """``stamp`` (zoned) with an offset of one digit, which pandas reads: 2021-03-26 00:00+1."""
    offset = int(stamp.utcoffset().total_seconds() // 3600)
    return f"{stamp:%Y-%m-%d %H:%M}{offset:+d}"


@pytest.mark.parametrize("written", [pd.Timestamp.isoformat, hour_only, one_digit_hours])
def test_forecasts_and_predictions_of_zoned_times_are_written_in_the_zone_of_the_data(
        tmp_path, written):
    """They were written in UTC: a Monday's midnight at +01:00 read as Sunday 23:00. So
    were those of times written with an offset of hours alone (+01, +1), without an
    offset."""
    local = pd.date_range("2021-03-26 00:00", periods=96, freq="h", tz="Europe/Berlin")
    values = [float(10 + (k % 24)) for k in range(96)]
    path = tmp_path / "zoned.csv"
    pd.DataFrame({"time": [written(t) for t in local], "load": values}).to_csv(
        path, index=False)
    as_in_the_file = written(local[-1] + pd.Timedelta(hours=1))   # what predict appends
    frame, _ = read_csv(path)
    assert frame.attrs["utc_times"] is True
    assert frame["time"].iloc[-1] == local[-1].tz_convert("UTC").tz_localize(None)
    assert str(frame.attrs["time_zone"]) == "Europe/Berlin"     # its offsets change
    project, _ = automatic_project(AutomaticChoices(path, ["load"], max_epochs=1,
                                                    lookback=6))
    project.selection.settings = {}
    model_path = tmp_path / "m.npz"
    save_fit(fit_project(project), model_path)
    written = forecast(model_path, path, 2).to_frame()["time"].tolist()
    assert local[-1].isoformat() == "2021-03-30T00:00:00+02:00"
    assert written == ["2021-03-30 01:00:00+02:00", "2021-03-30 02:00:00+02:00"]
    table, appended, _ = predictions_table(model_path, path)
    assert appended == 1 and table["time"].iloc[-1] == as_in_the_file
    texts = pd.read_csv(path)                        # the times as the file's texts
    from_frame = forecast(model_path, texts, 2).to_frame()["time"].tolist()
    assert from_frame == written
    newest_first = tmp_path / "newest_first.csv"      # its last line is of +01:00
    texts.iloc[::-1].to_csv(newest_first, index=False)
    assert forecast(model_path, newest_first, 2).to_frame()["time"].tolist() == written
    table, appended, _ = predictions_table(model_path, newest_first)
    assert appended == 1 and table["time"].iloc[-1] == as_in_the_file


@pytest.mark.parametrize("written", [pd.Timestamp.isoformat, hour_only, one_digit_hours])
def test_a_forecast_of_many_series_writes_zoned_times_in_the_last_offset_as_one_series_does(
        tmp_path, written):
    """Series whose times carry their offsets (+01:00, then +02:00 after the change of
    summer time; or +01, then +02) are read in UTC and forecast in the offset of the
    latest time, as one series is (above); they were forecast with +00:00 (+01: without
    an offset)."""
    import numpy as np

    from engine.many.fitting import fit_global
    from engine.many.forecasting import write_forecast_file
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import read_series

    local = pd.date_range("2021-03-27 00:00", periods=40, freq="h", tz="Europe/Berlin")
    parts = [pd.DataFrame({"id": name, "t": [written(t) for t in local],
                           "y": np.round(level + np.sin(np.arange(40) * np.pi / 2), 3)})
             for name, level in (("a", 10.0), ("b", 20.0))]
    path = tmp_path / "zoned_many.csv"
    pd.concat(parts).to_csv(path, index=False)
    data, _, _ = read_series(path, "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=8, test_last=4,
                                            hidden_sizes=(4,), max_epochs=1))
    write_forecast_file(model, data, 2, tmp_path / "forecast.csv")
    written = pd.read_csv(tmp_path / "forecast.csv")["t"].tolist()
    assert written == 2 * ["2021-03-28 17:00:00+02:00", "2021-03-28 18:00:00+02:00"]


def _times_file(tmp_path, times):
    path = tmp_path / "mixed.csv"
    pd.DataFrame({"time": times, "load": [float(k) for k in range(len(times))]}).to_csv(
        path, index=False)
    return path


def test_a_time_column_of_one_series_mixing_zoned_and_plain_times_is_refused(tmp_path):
    """Times with an offset among times without: read in UTC, the plain ones were taken as
    UTC times, so that 01:00+01:00 became the 00:00 written before it (refused as a time
    written twice) or a file that ended in zoned times was read without a word. The
    message says how to read the file without a time column in the command line's words
    (the import dialog reads such a file without one and says why). It names the first
    data row of each kind."""
    plain_first = ["2021-01-01 00:00", "2021-01-01 01:00+01:00", "2021-01-01 02:00",
                   "2021-01-01 03:00"]
    zoned_first = ["2021-01-01 00:00+01:00", "2021-01-01 01:00+01:00", "2021-01-01 02:00",
                   "2021-01-01 03:00+01:00"]
    hours_only_first = ["2021-01-01 00:00+01", "2021-01-01 01:00+01:00", "2021-01-01 02:00",
                        "2021-01-01 03:00-05"]          # an offset of hours alone is one
    for times, zoned, plain in ((plain_first, 1, 0), (zoned_first, 0, 2),
                                (hours_only_first, 0, 2)):
        with pytest.raises(EngineError, match=re.escape(
                f"The time column 'time' mixes times written with a zone or offset (the "
                f"first in row {zoned}: '{times[zoned]}') and times written without (the "
                f"first in row {plain}: '{times[plain]}'); write every time with its "
                "offset from UTC, or every one in UTC, or give --no-time to read the file "
                "without one.")):
            read_csv(_times_file(tmp_path, times))


def test_a_plain_time_anywhere_among_zoned_ones_is_found():
    """Every time is judged: a plain time at the end of zoned ones, or between them; the
    rows of the first of each kind are named, blank cells are neither kind."""
    from engine.data import column_types

    zoned = [f"2021-01-01 {h:02d}:00+01:00" for h in range(24)]
    assert column_types.mixed_zones(pd.Series(zoned[:23] + ["2021-01-01 23:00"])) == (0, 23)
    between = pd.Series([None, " "] + zoned[:5] + ["2021-01-01 05:00"] + zoned[6:])
    assert column_types.mixed_zones(between) == (2, 7)
    assert column_types.mixed_zones(pd.Series([None, " "] + zoned)) is None
    assert column_types.mixed_zones(pd.Series(["", "2021-01-01 05:00", None])) is None


def test_a_plain_time_in_a_file_of_one_series_of_more_than_200_000_rows_is_refused(tmp_path):
    """A column of more than 200,000 times was judged by an even sample of 200,000 of them:
    a plain time between those (row 4 of 250,000) was read as a UTC time without a word."""
    local = pd.date_range("2000-01-01", periods=250_000, freq="h", tz="UTC")
    texts = local.strftime("%Y-%m-%d %H:%M+00:00")
    path = _times_file(tmp_path, list(texts[:4]) + ["2000-01-01 04:00"] + list(texts[5:]))
    with pytest.raises(EngineError, match=re.escape(
            "(the first in row 0: '2000-01-01 00:00+00:00') and times written without (the "
            "first in row 4: '2000-01-01 04:00')")):
        read_csv(path)


def test_a_mix_of_many_series_times_is_named_not_a_time_left_unread():
    """Many series: a plain time among zoned ones is left unread by pandas; the message
    names the mix, not "a value that is no date or time" for a time that is one."""
    from engine.many.series_data import from_frame

    times = [f"2021-01-01 {h:02d}:00+01:00" for h in range(6)]
    times[3] = "2021-01-01 03:00"
    frame = pd.DataFrame({"id": ["a"] * 6, "t": times, "y": [float(k) for k in range(6)]})
    with pytest.raises(EngineError, match=re.escape(
            "mixes times written with a zone or offset (the first in row 0: '2021-01-01 "
            "00:00+01:00') and times written without (the first in row 3: '2021-01-01 "
            "03:00')")):
        from_frame(frame, "id", ["y"], time_column="t")


def test_the_offset_written_is_that_of_the_latest_time_not_of_the_last_line():
    from engine.data.column_types import last_time_zone

    texts = pd.Series(["2021-10-31 02:30+01:00", "2021-10-31 02:10+02:00", None])
    assert str(last_time_zone(texts)) == "UTC+02:00"            # the last written
    times = pd.to_datetime(texts, utc=True)
    assert str(last_time_zone(texts, times)) == "UTC+01:00"     # the latest
    assert str(last_time_zone(pd.Series(["2021-10-31 02:30Z"]))) == "UTC"


def test_the_zone_of_a_long_column_is_read_from_the_latest_time_alone(monkeypatch):
    """The zone and the offset of 100,000 times are read from the cells of the last and
    the latest time (each cell of the column was read, 0.15 s a million); a latest time
    whose cell is blank gives the latest of those written."""
    from engine.data import column_types

    local = pd.date_range("2021-03-27", periods=100_000, freq="min", tz="Europe/Berlin")
    texts = pd.Series(local.strftime("%Y-%m-%d %H:%M%z"))
    read = []

    def written(text):
        read.append(text)
        return bool(text.strip())

    monkeypatch.setattr(column_types, "_written", written, raising=False)
    newest_first = texts.iloc[::-1]
    times = pd.to_datetime(newest_first, utc=True)
    assert str(column_types.last_time_zone(newest_first, times)) == "UTC+02:00"
    assert column_types.written_with_zone(texts) and len(read) == 3     # last, latest; last
    texts = pd.Series(["2021-10-31 02:30+01:00", "2021-10-31 02:10+02:00", " "])
    times = pd.to_datetime(texts.str.strip().replace("", "2021-10-31 03:00Z"), utc=True)
    assert str(column_types.last_time_zone(texts, times)) == "UTC+01:00"


@pytest.mark.parametrize("offset", ["+01:00", "+01"])
def test_a_mix_names_the_first_row_of_each_kind(offset):
    """Of one series and of many, the first plain time of the column is named (row 2). A
    time with an offset of hours alone (+01) is one with an offset: such a column mixing
    plain times was read without a word."""
    from engine.data import column_types
    from engine.many.series_data import from_frame

    times = [f"2021-01-01 {h:02d}:00{offset}" for h in range(7)]
    for row in (2, 3):
        times[row] = times[row][:-len(offset)]
    frame = pd.DataFrame({"id": ["a"] * 7, "t": times, "y": [float(k) for k in range(7)]})
    expected = (f"(the first in row 0: '2021-01-01 00:00{offset}') and times written "
                "without (the first in row 2: '2021-01-01 02:00')")
    with pytest.raises(EngineError, match=re.escape(expected)):
        column_types.parse_time(frame["t"], "t")
    with pytest.raises(EngineError, match=re.escape(expected)):
        from_frame(frame, "id", ["y"], time_column="t")


def _spring_texts(start="2021-03-27 22:00", periods=8, freq="h"):
    """Local times in Berlin without their offset: 02:00 of 2021-03-28 is not among them."""
    local = pd.date_range(start, periods=periods, freq=freq, tz="Europe/Berlin")
    return list(local.tz_localize(None).strftime("%Y-%m-%d %H:%M"))


SKIPPED = ("which looks like the change to summer time, when local clocks are set forward an "
           "hour and skip it. The rows on either side are read as a gap in time, which no "
           "window spans; to read them one step apart, write the times with their offset "
           "from UTC (e.g. 2021-03-28 01:00:00+01:00, then 03:00:00+02:00 in Berlin) or in "
           "UTC, and load the file again.")


def test_the_hour_local_clocks_skip_in_spring_is_named_with_what_to_do(tmp_path):
    """Hourly and quarter-hourly local times: the gap where clocks go forward was a gap
    like any other; the reader's note says what it looks like. A gap of two hours on
    another night is none such."""
    frame, _ = read_csv(_times_file(tmp_path, _spring_texts()))
    assert frame.attrs["notes"] == [
        f"The time column 'time' skips the hour after 2021-03-28 01:00:00 (data row 4 is "
        f"2021-03-28 03:00:00), {SKIPPED}"]
    quarters = _spring_texts("2021-03-28 01:00", 12, "15min")
    frame, _ = read_csv(_times_file(tmp_path, quarters))
    assert frame.attrs["notes"][0].startswith(
        "The time column 'time' skips the hour after 2021-03-28 01:45:00 (data row 4 is "
        "2021-03-28 03:00:00)")
    other = [t.replace("2021-03-2", "2021-03-1") for t in _spring_texts()]   # a Thursday
    other = other[:4] + ["2021-03-18 03:00"] + other[5:]
    frame, _ = read_csv(_times_file(tmp_path, other))
    assert frame.attrs["notes"] == []


def _hours_without(missing, hours=5):
    """Hourly local times from ``hours`` before the time ``missing`` to ``hours`` after it,
    without it."""
    middle = pd.Timestamp(missing)
    times = pd.date_range(middle - pd.Timedelta(hours=hours), periods=2 * hours + 1, freq="h")
    return list(times[times != middle].strftime("%Y-%m-%d %H:%M"))


NOT_SPRING = {"a Sunday in March on which no clocks change": "2023-03-05 02:00",
              "clocks go back in the United States": "2023-11-05 01:00",
              "clocks go back in Australia": "2023-04-02 02:00",
              "clocks go forward in Europe, but an hour later": "2023-03-26 04:00"}


@pytest.mark.parametrize("missing", NOT_SPRING.values(), ids=NOT_SPRING.keys())
def test_a_row_missing_on_a_night_clocks_do_not_go_forward_is_no_change_of_summer_time(
        tmp_path, missing):
    """An hour missing at night on a Sunday of a month in which clocks change somewhere
    was called the change to summer time, though no zone skips it."""
    frame, _ = read_csv(_times_file(tmp_path, _hours_without(missing)))
    assert frame.attrs["notes"] == []


SPRING = {"United States": ("2023-03-12 02:00", "2023-03-12 01:00:00-05:00, then "
                            "03:00:00-04:00 in New York"),
          "European Union": ("2023-03-26 02:00", "2023-03-26 01:00:00+01:00, then "
                             "03:00:00+02:00 in Berlin"),
          "United Kingdom": ("2023-03-26 01:00", "2023-03-26 00:00:00+00:00, then "
                             "02:00:00+01:00 in London"),
          "Finland": ("2023-03-26 03:00", "2023-03-26 02:00:00+02:00, then 04:00:00+03:00 in "
                      "Helsinki"),
          "New Zealand": ("2023-09-24 02:00", "2023-09-24 01:00:00+12:00, then "
                          "03:00:00+13:00 in Auckland"),
          "Australia": ("2023-10-01 02:00", "2023-10-01 01:00:00+10:00, then "
                        "03:00:00+11:00 in Sydney"),
          "Chile": ("2023-09-03 00:00", "2023-09-02 23:00:00-04:00, then "
                    "2023-09-03 01:00:00-03:00 in Santiago"),
          "Israel, on Friday": ("2023-03-24 02:00", "2023-03-24 01:00:00+02:00, then "
                                "03:00:00+03:00 in Jerusalem"),
          "Cuba": ("2023-03-12 00:00", "2023-03-11 23:00:00-05:00, then "
                   "2023-03-12 01:00:00-04:00 in Havana"),
          "Mexico, before 2023": ("2021-04-04 02:00", "2021-04-04 01:00:00-06:00, then "
                                  "03:00:00-05:00 in Mexico City")}


@pytest.mark.parametrize("missing, example", SPRING.values(), ids=SPRING.keys())
def test_the_hour_skipped_in_spring_is_named_with_its_own_offsets_wherever_clocks_go_forward(
        tmp_path, missing, example):
    """The note named the hour skipped in Europe alone (01:00 to 02:59 of a Sunday, not
    Chile's midnight) and gave the European offsets of 2023-03-26 as the example."""
    frame, _ = read_csv(_times_file(tmp_path, _hours_without(missing)))
    before = pd.Timestamp(missing) - pd.Timedelta(hours=1)
    after = pd.Timestamp(missing) + pd.Timedelta(hours=1)
    assert frame.attrs["notes"] == [
        f"The time column 'time' skips the hour after {before} (data row 5 is {after}), which "
        "looks like the change to summer time, when local clocks are set forward an hour and "
        "skip it. The rows on either side are read as a gap in time, which no window spans; "
        f"to read them one step apart, write the times with their offset from UTC (e.g. "
        f"{example}) or in UTC, and load the file again."]


MANY_SKIPPED = ("which looks like the change to summer time, when local clocks are set "
                "forward an hour and skip it. To read the rows on either side one step "
                "apart, write the times with their offset from UTC (e.g. 2021-03-28 "
                "01:00:00+01:00, then 03:00:00+02:00 in Berlin) or in UTC, and load the file "
                "again.")


def _many_notes(series):
    """The notes of :func:`~engine.many.series_data.from_frame` on the series ``series``
    (a dict of local time texts by name)."""
    from engine.many.series_data import from_frame

    ids = [name for name, texts in series.items() for _ in texts]
    frame = pd.DataFrame({"id": ids, "t": sum(series.values(), []),
                          "y": [float(k) for k in range(len(ids))]})
    return from_frame(frame, "id", ["y"], time_column="t").notes


def test_the_hour_skipped_in_spring_in_series_of_many_is_named_in_the_note_on_gaps():
    """The note said "first" of a single hour and that no window spans a gap twice."""
    texts = _spring_texts()
    assert _many_notes({"a": texts[:3], "b": texts}) == [
        "1 gap in time inside series; no window spans a gap. The gap skips the hour after "
        "2021-03-28 01:00:00 (series 'b': data row 7 is 2021-03-28 03:00:00), "
        f"{MANY_SKIPPED}"]
    assert _many_notes({"a": texts[:4] + texts[5:], "b": texts}) == [
        "2 gaps in time inside series; no window spans a gap. One of them skips the hour after "
        "2021-03-28 01:00:00 (series 'b': data row 11 is 2021-03-28 03:00:00), "
        f"{MANY_SKIPPED}"]


def test_several_hours_skipped_in_series_of_many_are_counted_and_the_first_named():
    """Hours skipped in New York and in Sydney; ordinary missing hours on Sundays when
    clocks go back or stay are gaps without a word."""
    nights = ["2023-03-12 02:00", "2023-10-01 02:00", "2023-11-05 01:00", "2023-03-05 02:00"]
    notes = _many_notes({name: _hours_without(night) for name, night in zip("abcd", nights)})
    assert notes == [
        "4 gaps in time inside series; no window spans a gap. 2 of them skip an hour, which "
        "looks like the change to summer time, when local clocks are set forward an hour and "
        "skip it; the first is the hour after 2023-03-12 01:00:00 (series 'a': data row 5 is "
        "2023-03-12 03:00:00). To read the rows on either side one step apart, write the "
        "times with their offset from UTC (e.g. 2023-03-12 01:00:00-05:00, then "
        "03:00:00-04:00 in New York) or in UTC, and load the file again."]


def _hours_with_twice(hour):
    """Hourly local times from four hours before ``hour`` to four after, ``hour`` twice."""
    middle = pd.Timestamp(hour)
    times = pd.date_range(middle - pd.Timedelta(hours=4), periods=9, freq="h")
    return sorted(times.strftime("%Y-%m-%d %H:%M").tolist() + [middle.strftime("%Y-%m-%d %H:%M")])


SET_BACK = "as local clocks do in the night summer time ends"
TWICE = {"a Sunday in March on which no clocks change": ("2023-03-05 01:00", "more than once"),
         "the night clocks go forward in Europe": ("2023-03-26 02:00", "more than once"),
         "clocks go back in Europe": ("2023-10-29 02:00", SET_BACK),
         "clocks go back in Chile, on Saturday": ("2023-04-01 23:00", SET_BACK)}


@pytest.mark.parametrize("hour, said", TWICE.values(), ids=TWICE.keys())
def test_an_hour_twice_is_called_the_end_of_summer_time_only_where_clocks_go_back(
        tmp_path, hour, said):
    """A time twice between midnight and 3 a.m. of any Sunday in March, April or September
    to November was called the hour clocks repeat, with the advice to write offsets; and
    Chile's, on Saturday at 23:00, was not; of one series and of many."""
    from engine.many.series_data import from_frame

    texts = _hours_with_twice(hour)
    with pytest.raises(EngineError, match=f"holds {hour}:00 .*{said}"):
        read_csv(_times_file(tmp_path, texts))
    frame = pd.DataFrame({"id": ["a"] * 10, "t": texts, "y": [float(k) for k in range(10)]})
    with pytest.raises(EngineError, match=f"{hour}:00 twice .*" +
                       (SET_BACK if said == SET_BACK else "each series may have one row")):
        from_frame(frame, "id", ["y"], time_column="t")


AUTUMN = {"European Union": ("2023-10-29 02:00", "2023-10-29 02:00:00+02:00, then "
                              "02:00:00+01:00 in Berlin"),
          "United Kingdom": ("2023-10-29 01:00", "2023-10-29 01:00:00+01:00, then "
                             "01:00:00+00:00 in London"),
          "United States": ("2023-11-05 01:00", "2023-11-05 01:00:00-04:00, then "
                            "01:00:00-05:00 in New York"),
          "Australia": ("2007-03-25 02:00", "2007-03-25 02:00:00+11:00, then "
                        "02:00:00+10:00 in Sydney"),
          "Australia and New Zealand, the same night": (
              "2023-04-02 02:00", "2023-04-02 02:00:00+11:00, then 02:00:00+10:00 in Sydney"),
          "Chile, on Saturday": ("2023-04-01 23:00", "2023-04-01 23:00:00-03:00, then "
                                 "23:00:00-04:00 in Santiago"),
          "Lebanon, on Saturday": ("2023-10-28 23:00", "2023-10-28 23:00:00+03:00, then "
                                   "23:00:00+02:00 in Beirut"),
          "Brazil, before 2019": ("2015-02-21 23:00", "2015-02-21 23:00:00-02:00, then "
                                  "23:00:00-03:00 in Sao Paulo")}


@pytest.mark.parametrize("hour, example", AUTUMN.values(), ids=AUTUMN.keys())
def test_the_hour_repeated_in_autumn_is_named_with_its_own_offsets_wherever_clocks_go_back(
        tmp_path, hour, example):
    """The refusal gave the European offsets of 2023-10-29 as the example for an hour
    repeated anywhere (New York in November, Chile on a Saturday in April); of one series
    and of many."""
    from engine.many.series_data import from_frame

    texts = _hours_with_twice(hour)
    advice = (f"as local clocks do in the night summer time ends and they are set back an "
              f"hour. Removing a row would lose an hour of values: write the times with their "
              f"offset from UTC (e.g. {example}) or in UTC, and load the file again.")
    with pytest.raises(EngineError) as one:
        read_csv(_times_file(tmp_path, texts))
    assert str(one.value) == f"The time column 'time' holds {hour}:00 twice (rows 4, 5), {advice}"
    frame = pd.DataFrame({"id": ["a"] * 10, "t": texts, "y": [float(k) for k in range(10)]})
    with pytest.raises(EngineError) as many:
        from_frame(frame, "id", ["y"], time_column="t")
    assert str(many.value) == f"Series 'a' holds {hour}:00 twice (data rows 4 and 5), {advice}"


def test_a_computer_without_a_zone_database_reads_such_hours_as_plain_gaps_and_duplicates(
        tmp_path, monkeypatch):
    """Where a zone cannot be read (no zone database), it is left out: the other zones
    still name the skipped hour and the repeated one, and with none left the gap gets no
    note and the repeated hour is a duplicate (nothing fails)."""
    import engine.data.time_steps as time_steps

    path = _times_file(tmp_path, _hours_without("2023-03-26 02:00"))
    monkeypatch.setattr(time_steps, "SUMMER_TIME_ZONES",
                        ("Nowhere/Atlantis",) + time_steps.SUMMER_TIME_ZONES)
    frame, _ = read_csv(path)
    assert "in Berlin) or in UTC" in frame.attrs["notes"][0]
    (tmp_path / "autumn").mkdir()
    with pytest.raises(EngineError, match=r"02:00:00\+01:00 in Berlin\) or in UTC"):
        read_csv(_times_file(tmp_path / "autumn", _hours_with_twice("2023-10-29 02:00")))
    monkeypatch.setattr(time_steps, "SUMMER_TIME_ZONES", ("Nowhere/Atlantis",))
    frame, _ = read_csv(path)
    assert frame.attrs["notes"] == []
    with pytest.raises(EngineError, match="more than once") as refused:
        read_csv(_times_file(tmp_path, _hours_with_twice("2023-10-29 02:00")))
    assert SET_BACK not in str(refused.value)


def test_hours_at_the_calendar_s_end_are_refused_or_read_as_any_others():
    """A time twice in the last hours of the year 9999, which a zone's offset takes past the
    calendar's end, is refused as a duplicate to remove (reading the file failed); so is one
    of many series."""
    from engine.data.time_steps import sort_by_time
    from engine.many.series_data import from_frame

    times = ["9999-12-31 20:00", "9999-12-31 21:00", "9999-12-31 21:00"]
    with pytest.raises(EngineError, match="holds 9999-12-31 21:00:00 more than once"):
        sort_by_time(pd.DataFrame({"t": pd.to_datetime(times)}), "t")
    frame = pd.DataFrame({"id": ["a"] * 3, "t": times, "y": [1.0, 2.0, 3.0]})
    with pytest.raises(EngineError, match="twice"):
        from_frame(frame, "id", ["y"], time_column="t")


@pytest.mark.parametrize("offset", ["UTC+01", "UTC+1", "GMT+01:00", "GMT-5", "UTC +0100"])
def test_an_offset_written_after_utc_is_refused_for_its_reversed_sign(tmp_path, offset):
    """'13:00 UTC+01' was read as 14:00 UTC (the date parser takes its sign reversed, as
    POSIX zones are) and kept as a plain time: two hours off without a word. It is refused,
    naming its row and how to write it, in a column of one series and of many, and among
    times written otherwise (a plain time or +01:00 first)."""
    from engine.many.series_data import from_frame

    texts = ["2021-03-01 12:00+01:00", "2021-03-01 13:00", f"2021-03-01 14:00 {offset}"]
    said = (f"writes an offset after UTC or GMT (row 2: '2021-03-01 14:00 {offset}'), which is "
            "read with its sign reversed")
    with pytest.raises(EngineError, match=re.escape(said)):
        read_csv(_times_file(tmp_path, texts))
    alone = said.replace("row 2", "row 0")
    with pytest.raises(EngineError, match=re.escape(alone)):
        read_csv(_times_file(tmp_path, [text.replace("14:00", f"{hour}:00")
                                        for hour in (14, 15) for text in texts[2:]]))
    frame = pd.DataFrame({"id": ["a"] * 3, "t": texts, "y": [1.0, 2.0, 3.0]})
    with pytest.raises(EngineError, match=re.escape(said)):
        from_frame(frame, "id", ["y"], time_column="t")


@pytest.mark.parametrize("zone", ["Europe/London", "Australia/Sydney"])
def test_monthly_times_written_with_offsets_are_forecast_on_the_first_of_each_month(
        tmp_path, zone):
    """Local midnights on the 1st were read as a step of 31 days of UTC: no yearly season
    was found, and the forecasts drifted off the 1st (2021-05-02, ..., 2022-06-09)."""
    local = pd.date_range("2018-01-01", periods=40, freq="MS", tz=zone)
    values = [10.0 + (k % 12) + 0.01 * k for k in range(40)]
    path = tmp_path / "monthly.csv"
    pd.DataFrame({"month": [t.isoformat() for t in local], "sales": values}).to_csv(
        path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["sales"], max_epochs=1,
                                                    lookback=3))
    assert project.data.config.period == 12                       # a year of months
    project.selection.settings = {}
    model_path = tmp_path / "m.npz"
    save_fit(fit_project(project), model_path)
    written = forecast(model_path, path, 14).to_frame()["month"].tolist()
    expected = pd.date_range("2021-05-01", periods=14, freq="MS", tz=zone)
    assert written == [str(t) for t in expected]
    table, appended, _ = predictions_table(model_path, path)
    assert appended == 1 and table["month"].iloc[-1] == expected[0].isoformat()   # as written
    texts = pd.read_csv(path)                                        # a frame of texts
    assert load_table(texts).time_step() == {"unit": "months", "size": 1, "zone": zone}
    first_days = ["2021-05-01", "2021-06-01", "2021-07-01"]
    aware = texts.assign(month=local)                                # a frame with the zone
    assert forecast(model_path, aware, 3).to_frame()["month"].tolist() == first_days
    plain = tmp_path / "plain.csv"              # the same dates without offsets: as written
    texts.assign(month=local.strftime("%Y-%m-%d")).to_csv(plain, index=False)
    assert forecast(model_path, plain, 3).to_frame()["month"].tolist() == first_days


def test_a_model_of_dates_without_offsets_forecasts_a_file_of_local_midnights_with_them(
        tmp_path):
    """Its months were counted in UTC on the zoned file: London's every November a gap,
    and the forecast refused ("needs rows ... without gaps in time")."""
    dates = pd.date_range("2018-01-01", periods=35, freq="MS")      # up to November
    values = [10.0 + (k % 12) + 0.01 * k for k in range(35)]
    plain = tmp_path / "plain.csv"
    pd.DataFrame({"month": dates.strftime("%Y-%m-%d"), "sales": values}).to_csv(
        plain, index=False)
    project, _ = automatic_project(AutomaticChoices(plain, ["sales"], max_epochs=1,
                                                    lookback=3))
    project.selection.settings = {}
    model_path = tmp_path / "m.npz"
    save_fit(fit_project(project), model_path)
    zoned = tmp_path / "zoned.csv"
    local = dates.tz_localize("Europe/London")
    pd.DataFrame({"month": [t.isoformat() for t in local], "sales": values}).to_csv(
        zoned, index=False)
    written = forecast(model_path, zoned, 8).to_frame()["month"].tolist()
    assert written == [str(t) for t in pd.date_range("2020-12-01", periods=8, freq="MS",
                                                     tz="Europe/London")]


def test_a_testing_start_given_as_a_date_of_zoned_monthly_data_is_on_their_clocks(tmp_path):
    """``--test-from 2021-01-01`` of local midnights written +01:00 started testing at
    2021-02-01 (the first time after 00:00 UTC), and evaluate, its JSON and backtest named
    times in UTC: "from row 37 (2021-01-31 23:00)"."""
    import json

    from helpers.command_line import run

    local = pd.date_range("2017-01-01", periods=52, freq="MS", tz="Europe/Berlin")
    path = tmp_path / "monthly.csv"
    pd.DataFrame({"month": [t.isoformat() for t in local],
                  "sales": [10.0 + (k % 12) + 0.01 * k for k in range(52)]}).to_csv(
        path, index=False)
    model = tmp_path / "m.npz"
    status, out, err = run("fit", path, "--target", "sales", "--lookback", "3", "--epochs",
                           "2", "--test-from", "2021-01-01", "--out", model)
    assert status == 0, err
    assert "4 testing (testing from 2021-01-01)" in out                 # rows 48-51
    status, out, err = run("evaluate", model, path)
    assert status == 0, err
    assert "4 rows from row 48 (2021-01-01)" in out
    status, out, err = run("evaluate", model, path, "--from", "2021", "--json")
    result = json.loads(out)
    assert result["from_row"] == 48 and result["from_time"] == "2021-01-01"
    times = sorted(e["time"] for e in result["analysis"]["largest_errors"]["sales"])
    assert times == ["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"]
    status, out, err = run("backtest", model, path, "--origins", "2", "--json")
    assert status == 0, err
    origins = [o["origin_time"] for o in json.loads(out)["origins"]]
    assert origins == ["2019-01-01", "2020-01-01"]                       # blocks of 12
    from engine.deploy.calculator import calculator_rows
    from engine.model.model_file import load_model
    from engine.testing.evaluation import evaluate_frame

    texts = pd.read_csv(path)                        # a frame of the file's texts
    evaluation = evaluate_frame(load_model(model), texts, "2021-01-01")
    assert evaluation.start_row == 48 and evaluation.start_time == "2021-01-01"
    _, labels = calculator_rows(load_model(model), read_csv(path)[0])
    assert labels[-1] == "2021-04-01 00:00:00+02:00"
    status, out, err = run("fit", path, "--target", "sales", "--lookback", "3", "--epochs",
                           "2", "--test-from", "2021-06-01", "--out", model)
    assert status != 0 and "after the last row (2021-04-01 at row 51)" in err


def test_a_repeated_or_unordered_zoned_time_is_named_as_written(tmp_path):
    local = pd.date_range("2021-01-01", periods=6, freq="MS", tz="Europe/Berlin")
    texts = [t.isoformat() for t in local]
    path = tmp_path / "twice.csv"
    pd.DataFrame({"month": texts + [texts[2]], "sales": range(7)}).to_csv(path, index=False)
    with pytest.raises(EngineError, match=r"holds 2021-03-01 more than once"):
        read_csv(path)
    pd.DataFrame({"month": [texts[1], texts[0]] + texts[2:], "sales": range(6)}).to_csv(
        path, index=False)
    assert "(row 1, 2021-01-01, comes before" in " ".join(read_csv(path)[0].attrs["notes"])


def test_the_fit_counts_the_months_of_zoned_data_on_their_clocks(tmp_path):
    """The fit's own encoding counted London's months in UTC: a gap every November (the
    selection scores, the linear share, ETS and Theta at fit time), where a later
    ``encode`` of the same file found none."""
    from engine.data import default_config, prepare_training

    local = pd.date_range("2015-01-01", periods=96, freq="MS", tz="Europe/London")
    path = tmp_path / "london.csv"
    pd.DataFrame({"month": [t.isoformat() for t in local],
                  "sales": [10.0 + (k % 12) + 0.01 * k for k in range(96)]}).to_csv(
        path, index=False)
    table = load_table(path)
    prepared = prepare_training(table, default_config(table, ["sales"], lookback=3))
    assert str(prepared.encoded.time_zone) == "Europe/London"
    assert np.array_equal(prepared.encoded.positions, np.arange(96))
    assert not prepared.encoded.time_gaps().any()
    with pytest.raises(EngineError, match=r"row 4 \(2015-04-01 00:00:00\) comes before"):
        check_order(table.frame["month"].iloc[[0, 1, 2, 4, 3]].reset_index(drop=True),
                    "month", table.frame.attrs["time_zone"])

def test_times_with_offsets_are_never_taken_for_local_clocks_changing(tmp_path):
    """Read in UTC, a missing hour on the night of the spring change was named as the
    hour local clocks skip ("write the times with their offset", which they were), and a
    time written twice as the hour they repeat in autumn, both in UTC (01:00)."""
    local = pd.date_range("2021-03-27 20:00", periods=12, freq="h", tz="Europe/Berlin")
    texts = [t.isoformat() for t in local]
    path = tmp_path / "hours.csv"
    pd.DataFrame({"hour": texts[:7] + texts[8:], "load": range(11)}).to_csv(path, index=False)
    notes = " ".join(read_csv(path)[0].attrs["notes"])
    assert "summer time" not in notes
    autumn = pd.date_range("2021-10-30 22:00", periods=8, freq="h", tz="Europe/Berlin")
    texts = [t.isoformat() for t in autumn]
    pd.DataFrame({"hour": texts[:5] + [texts[4]] + texts[5:], "load": range(9)}).to_csv(
        path, index=False)
    with pytest.raises(EngineError, match=r"holds 2021-10-31 02:00:00 more than once"):
        read_csv(path)


@pytest.mark.parametrize("form, expected", [
    ("%Y-%m-%dT%H:%M:%S%z", ["2021-10-31T02:00:00+0200", "2021-10-31T03:00:00+0200"]),
    ("%Y-%m-%d %H:%M %z", ["2021-10-31 02:00 +0200", "2021-10-31 03:00 +0200"]),
    ("%d/%m/%Y %H:%M", ["31/10/2021 02:00+02:00", "31/10/2021 03:00+02:00"]),
    ("Z", ["2021-10-31T00:00:00Z", "2021-10-31T01:00:00Z"]),
])
def test_predict_appends_the_rows_after_a_zoned_file_in_the_file_s_own_form(
        tmp_path, form, expected):
    """The rows appended after the file's end were written ``2021-10-31 02:00:00+02:00``
    whatever the file wrote (``...T...+0200``, ``31/10/2021 ...``, ``...Z``); they now read
    as the file's own lines do. (Every offset of the file is +02:00, so no zone whose
    clocks change is found and the offset stays: below for one that changes.)"""
    local = pd.date_range("2021-10-27 00:00", periods=98, freq="h", tz="Europe/Berlin")
    if form == "Z":
        texts = [t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ") for t in local]
    elif "%z" in form:
        texts = [t.strftime(form) for t in local]
    else:                                                   # +02:00 after the clock time
        texts = [t.strftime(form) + t.isoformat()[-6:] for t in local]
    table, appended = appended_after(tmp_path, texts, horizon=2)
    assert local[-1].isoformat() == "2021-10-31T01:00:00+02:00"
    assert appended == 2 and table["time"].iloc[-3] == texts[-1]
    assert table["time"].iloc[-2:].tolist() == expected


@pytest.mark.parametrize("written, after", [
    ("2021-10-31T01:00:00+0200", "2021-10-31T02:00:00+0100"),
    ("2021-10-31 01:00 +02", "2021-10-31 02:00 +01"),
    ("31.10.2021 01:00+2", "31.10.2021 02:00+1"),
    ("2021-10-31T01:00:00+02:00", "2021-10-31T02:00:00+01:00"),
])
def test_an_appended_time_takes_the_offset_of_its_zone_in_the_form_the_file_writes(
        written, after):
    """Times of a zone whose clocks go back (Berlin): the hour after 01:00 summer time
    written with the next offset, in the file's form of an offset."""
    from zoneinfo import ZoneInfo

    from engine.deploy.predicting import _format_time

    later = pd.Timestamp("2021-10-31 01:00")            # 02:00 winter time, in UTC
    read = [None, pd.Timestamp("2021-10-30 23:00")]      # what the reader read, in UTC
    assert _format_time(later, ["x", written], zone=ZoneInfo("Europe/Berlin"),
                        read=read) == after


def test_predict_appends_a_day_written_first_as_the_file_writes_it(tmp_path):
    """Times written day first (05/01/2021 23:00+01:00, every day of the last lines at
    most 12) were appended month first: 01/06/2021 00:00+01:00 for the 6th of January,
    which the file's order reads as the 1st of June."""
    local = pd.date_range("2021-01-01 00:00", periods=120, freq="h", tz="Europe/Berlin")
    texts = [t.strftime("%d/%m/%Y %H:%M") + "+01:00" for t in local]
    table, appended = appended_after(tmp_path, texts)
    frame, _ = read_csv(tmp_path / "times.csv")
    assert frame["time"].iloc[-1] == pd.Timestamp("2021-01-05 22:00")      # day first
    assert texts[-1] == "05/01/2021 23:00+01:00"
    assert appended == 1 and table["time"].iloc[-1] == "06/01/2021 00:00+01:00"


@pytest.mark.parametrize("offset", ["", "+01:00"])
def test_predict_appends_a_month_written_first_after_days_whose_day_and_month_agree(
        tmp_path, offset):
    """The last 20 rows of 1 January (01/01/2021 04:00 to 23:00) read the same day first
    and month first: the appended 2 January was written day first, 02/01/2021, which the
    file's order (12/31/2020 before) reads as the 1st of February. The earlier rows tell
    the two apart."""
    local = pd.date_range("2020-12-30 00:00", periods=72, freq="h")
    texts = [t.strftime("%m/%d/%Y %H:%M") + offset for t in local]
    table, appended = appended_after(tmp_path, texts)
    assert texts[-1] == "01/01/2021 23:00" + offset
    assert appended == 1 and table["time"].iloc[-1] == "01/02/2021 00:00" + offset


def appended_after(tmp_path, texts, horizon=1):
    """The table ``predict`` writes for an hourly file of ``texts`` (a daily cycle of
    load), with a model of lookback 6 and ``horizon`` steps fitted on it, and its rows
    appended."""
    path = tmp_path / "times.csv"
    pd.DataFrame({"time": texts, "load": [10.0 + (k % 24) for k in range(len(texts))]}
                 ).to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["load"], max_epochs=1,
                                                    lookback=6, horizon=horizon))
    project.selection.settings = {}
    model_path = tmp_path / "m.npz"
    save_fit(fit_project(project), model_path)
    table, appended, _ = predictions_table(model_path, path)
    return table, appended


@pytest.mark.parametrize("zone", ["", "+01:00"])
def test_times_of_fractions_of_a_second_are_written_with_the_file_s_decimals(tmp_path, zone):
    """A file of ``12:00:00.500`` got ``12:00:01`` and ``12:00:01.500000`` after its last
    row (ISO with a space where it wrote ``T`` before a zone), and forecasts mixed both."""
    start = pd.Timestamp("2023-03-01 12:00:00")
    times = [start + pd.Timedelta(milliseconds=500 * k) for k in range(60)]
    texts = [f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}{zone}" for t in times]
    path = tmp_path / "sensor.csv"
    pd.DataFrame({"time": texts, "level": [float(k % 7) for k in range(60)]}).to_csv(
        path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["level"], max_epochs=1,
                                                    lookback=6, horizon=3))
    project.selection.settings = {}
    model_path = tmp_path / "m.npz"
    save_fit(fit_project(project), model_path)
    table, appended, _ = predictions_table(model_path, path)
    assert appended == 3
    assert table["time"].iloc[-4:].tolist() == [
        f"2023-03-01T12:00:29.500{zone}", f"2023-03-01T12:00:30.000{zone}",
        f"2023-03-01T12:00:30.500{zone}", f"2023-03-01T12:00:31.000{zone}"]
    written = forecast(model_path, path, 3).to_frame()["time"].tolist()
    assert written == [f"2023-03-01 12:00:30.000{zone}", f"2023-03-01 12:00:30.500{zone}",
                       f"2023-03-01 12:00:31.000{zone}"]


def test_a_style_writes_a_fraction_of_a_second_to_the_digits_of_the_file():
    from engine.deploy.predicting import time_style, written_as

    stamps = [pd.Timestamp("2023-03-01 12:00:00.25") + pd.Timedelta(seconds=k)
              for k in range(3)]
    for digits, texts in ((2, ["12:00:00.25", "12:00:01.25", "12:00:02.25"]),
                          (6, ["12:00:00.250000", "12:00:01.250000", "12:00:02.250000"])):
        texts = [f"01/03/2023 {text}" for text in texts]
        style = time_style(texts, stamps)
        assert style == f"%d/%m/%Y %H:%M:%S.%{digits}f"
        assert written_as(pd.Timestamp("2023-03-01 23:59:59.999999"), style) == \
            "01/03/2023 23:59:59." + "999999"[:digits]
    # decimals that differ from row to row: no style gives them back (ISO is written)
    assert time_style(["2023-03-01 12:00:00.5", "2023-03-01 12:00:01.25"],
                      [pd.Timestamp("2023-03-01 12:00:00.5"),
                       pd.Timestamp("2023-03-01 12:00:01.25")]) is None


@pytest.mark.parametrize("written, two, half_past_five, minus_ten", [
    ("+01:00", "+02:00", "+05:30", "-10:00"), ("+0100", "+0200", "+0530", "-1000"),
    ("+01", "+02", "+05:30", "-10"), ("+1", "+2", "+05:30", "-10"),
    ("+1:00", "+2:00", "+5:30", "-10:00"), ("-05:00", "+02:00", "+05:30", "-10:00"),
    ("Z", "+02:00", "+05:30", "-10:00")])
def test_an_appended_offset_is_written_as_the_file_writes_its_offsets(
        written, two, half_past_five, minus_ten):
    """``+1:00`` came back ``+02:00``."""
    from engine.deploy.predicting import _offset_as

    assert _offset_as(pd.Timedelta(hours=2), written) == two
    assert _offset_as(pd.Timedelta(hours=5, minutes=30), written) == half_past_five
    assert _offset_as(pd.Timedelta(hours=-10), written) == minus_ten


def test_rows_appended_after_a_last_time_that_is_not_a_time_keep_the_file_s_clocks(tmp_path):
    """A last line whose time reads ``n/a`` made the appended times UTC clock times
    without their offset (``2023-01-03 23:00:00`` for midnight at +01:00)."""
    local = pd.date_range("2023-01-01 00:00", periods=72, freq="h", tz="Europe/Berlin")
    texts = [t.isoformat() for t in local]
    path = tmp_path / "zoned.csv"
    frame = pd.DataFrame({"time": texts, "load": [float(k % 24) for k in range(72)]})
    frame.to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["load"], max_epochs=1,
                                                    lookback=6, horizon=3))
    project.selection.settings = {}
    model_path = tmp_path / "m.npz"
    save_fit(fit_project(project), model_path)
    frame.loc[71, "time"] = "n/a"
    frame.to_csv(path, index=False)
    table, appended, _ = predictions_table(model_path, path)
    assert appended == 2 and table["time"].iloc[-3:].tolist() == [
        "n/a", "2023-01-04T00:00:00+01:00", "2023-01-04T01:00:00+01:00"]


@pytest.mark.parametrize("texts, next_text", [
    (["2023-03-01 12:00:29,000", "2023-03-01 12:00:29,500"], "2023-03-01 12:00:30,000"),
    (["2023-03-01T12:00:29.000000000", "2023-03-01T12:00:29.500000000"],
     "2023-03-01T12:00:30.000000000"),
    (["2023-03-01T12:00:29.0000000", "2023-03-01T12:00:29.5000000"],
     "2023-03-01T12:00:30.0000000")])
def test_a_fraction_after_a_comma_or_of_up_to_nine_digits_is_written_as_the_file_does(
        texts, next_text):
    """Python's logging writes ``12:00:29,500``, .NET and SQL Server seven digits; they got
    ``12:00:30`` and ``12:00:30.500000``."""
    from engine.deploy.predicting import time_style, written_as

    stamps = [pd.Timestamp(t.replace(",", ".")) for t in texts]
    style = time_style(texts, stamps)
    assert style is not None
    assert written_as(stamps[-1] + pd.Timedelta(milliseconds=500), style) == next_text


def test_forecast_times_take_the_decimals_the_most_precise_needs_in_threes():
    """A time of the autumn hour that clocks repeat (zone-aware, from a DataFrame) made
    the choice raise: "Cannot infer dst time"."""
    from engine.deploy.forecasting import fraction_timespec

    base = pd.Timestamp("2023-03-01 12:00:00")
    for extra, spec in ((pd.Timedelta(0), "seconds"), (pd.Timedelta(milliseconds=5),
                                                       "milliseconds"),
                        (pd.Timedelta(microseconds=5), "microseconds"),
                        (pd.Timedelta(nanoseconds=5), "nanoseconds")):
        assert fraction_timespec([base, base + extra]) == spec
    repeated = pd.Timestamp("2023-10-29 02:00:00+01:00").tz_convert("Europe/Berlin")
    assert fraction_timespec([repeated, repeated + pd.Timedelta(hours=1)]) == "seconds"
    assert fraction_timespec([repeated + pd.Timedelta(milliseconds=250)]) == "milliseconds"


def test_a_zoned_time_with_a_comma_before_its_fraction_keeps_its_zone():
    """``2023-03-01T12:00:29,500+01:00`` was taken for a time without a zone: read in UTC
    all the same, its appended and forecast times came out an hour early, without an
    offset."""
    from engine.data.column_types import written_with_zone

    assert written_with_zone(["2023-03-01T12:00:29,500+01:00"])
    assert written_with_zone(["2023-03-01T12:00:29.500+01:00"])
    assert not written_with_zone(["2023-03-01T12:00:29,500"])
