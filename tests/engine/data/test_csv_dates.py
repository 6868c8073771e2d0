"""Times written as spreadsheets and loggers write them: a midnight as the date alone
among times of day, and ISO dates beside other forms."""

import re

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.data import read_csv


def test_a_midnight_written_as_the_date_alone_is_read(tmp_path):
    times = pd.date_range("2021-03-01", periods=72, freq="h").delete(range(30, 34))
    lines = ["time,load"] + [(t.strftime("%Y-%m-%d") if t.hour == 0 else str(t)) + f",{i}"
                             for i, t in enumerate(times)]
    path = tmp_path / "hours.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, options = read_csv(path)
    assert options.time_column == "time"
    assert frame["time"].tolist() == list(times)


def test_dates_of_two_forms_in_one_column_are_read(tmp_path):
    lines = ["day,sales", "2021-03-01,1", "2021-03-02,2", "03/03/2021,3", "2021-03-04,4"]
    path = tmp_path / "days.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, options = read_csv(path)
    assert options.time_column == "day"
    assert frame["day"].tolist() == list(pd.date_range("2021-03-01", periods=4))


def test_day_first_dates_among_iso_ones_are_read_in_one_day_order():
    """A shop's weeks written 04/01/2021, 11/01/2021, 18/01/2021 among ISO dates of the
    other shops: those whose day is the 12th or before were read month first (4 January as
    1 April), the others day first, and the shop's rows sorted in that false order."""
    from engine.data.column_types import read_dates

    weeks = pd.date_range("2021-01-04", periods=10, freq="W-MON")
    texts = list(weeks.strftime("%Y-%m-%d")) * 3 + list(weeks.strftime("%d/%m/%Y"))
    assert read_dates(pd.Series(texts)).tolist() == list(weeks) * 4
    # the rest of another form, read as the rest of the column was: 01/01 to 20/01 say
    # day first, so 01-02-2021 is the 1st of February (it was read as the 2nd of January)
    january = pd.date_range("2021-01-01", periods=20)
    february = pd.date_range("2021-02-01", periods=5)
    texts = list(january.strftime("%d/%m/%Y")) + list(february.strftime("%d-%m-%Y"))
    assert read_dates(pd.Series(texts)).tolist() == list(january) + list(february)
    # month first where that reads them all: 01/13/2021 says so
    us = ["01/04/2021", "01/11/2021", "01/13/2021"]
    read = read_dates(pd.Series(list(weeks.strftime("%Y-%m-%d")) + us))
    assert read.tolist()[-3:] == [pd.Timestamp("2021-01-04"), pd.Timestamp("2021-01-11"),
                                  pd.Timestamp("2021-01-13")]


def test_a_measurement_named_like_a_time_is_no_time_column(tmp_path):
    lines = ["requests,response_time"] + [f"{k},{(37 * k) % 101 + 0.5}" for k in range(30)]
    path = tmp_path / "metrics.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, options = read_csv(path)
    assert options.time_column is False
    assert frame["requests"].tolist() == list(range(30))          # in file order


def test_a_number_column_named_for_the_year_at_its_end_is_the_time(tmp_path):
    lines = ["Fiscal year,sales"] + [f"{1990 + k},{k}" for k in range(12)]
    path = tmp_path / "years.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_csv(path)[1].time_column == "Fiscal year"


def test_a_measurement_per_year_is_no_time_column(tmp_path):
    lines = ["region,sales_per_year"] + [f"r{k},{(37 * k) % 101 + 0.5}" for k in range(30)]
    path = tmp_path / "rates.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_csv(path)[1].time_column is False


@pytest.mark.parametrize("start,iso", [("2021-01-13", 20), ("2021-01-01", 33)])
def test_an_iso_date_among_day_first_dates_keeps_their_day_order(tmp_path, start, iso):
    days = pd.date_range(start, periods=40)
    texts = [d.strftime("%d/%m/%Y") for d in days]
    texts[iso] = days[iso].strftime("%Y-%m-%d")              # 2021-02-03: not y-d-m
    path = tmp_path / "days.csv"
    path.write_text("\n".join(["day,sales"] + [f"{t},{k}" for k, t in enumerate(texts)]) +
                    "\n", encoding="utf-8")
    frame, options = read_csv(path)
    assert frame["day"].tolist() == list(days)
    assert frame["sales"].tolist() == list(range(40))            # in file order: no sorting


def test_plain_dates_with_dashes_carry_no_zone():
    from engine.data.column_types import written_with_zone

    assert not written_with_zone(["15-03-2021", "03-2021"])
    assert written_with_zone(["2021-03-27T13:00:00+01:00"])
    assert written_with_zone(["2021-03-27 13:00Z"]) and written_with_zone(["13:00 UTC"])
    assert not written_with_zone(["2021-03-01"]) and not written_with_zone(["13:00 03-01"])
    for hours_only in ("2021-03-01 13:00+01", "2021-03-01T13:00:00.5-05 ", "13:00 +01"):
        assert written_with_zone([hours_only])


def test_rising_numbers_named_for_the_time_anywhere_in_the_name_are_the_time(tmp_path):
    for name in ("unix_timestamp", "epoch_time", "elapsed_time"):
        lines = [f"{name},load"] + [f"{1600000000 + 60 * k},{k % 7}" for k in range(30)]
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert read_csv(path)[1].time_column == name


ZONE_FORWARD = re.compile(
    r"\d:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|UTC|GMT|[+-](\d{2}:?\d{2}|\d:\d{2}|\d{1,2}))\s*$",
    re.IGNORECASE)
"""What a time written with a zone ends in, read forwards: the definition the pattern read
backwards from the end of a text (column_types._ZONE) keeps; the offset in hours and
minutes or in hours alone (+01, as ISO 8601 allows, or +1, which pandas reads too)."""


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["1", "2", "0", "٣", ":", ".", "-", "+", " ", "\t", "\n",
                                 "Z", "z", "UTC", "utc", "GMT", "T", "C", "x", "00:00",
                                 "+01:00", "-0530", "+01", "-05", "+1", "-9", "+1:00",
                                 "2021-03-28 "]),
                max_size=12))
@example(["2021-03-28 ", "00:00", "-05", " "])
@example(["2021-03-28 ", "00:00", "+1"])
@example(["2021-03-28 ", "00:00", "+1:00"])
def test_a_zone_read_backwards_is_found_in_the_texts_the_forward_pattern_finds(pieces):
    from engine.data.column_types import _zone_kinds

    text = "".join(pieces)
    expected = -1 if not text.strip() else int(ZONE_FORWARD.search(text) is not None)
    assert _zone_kinds(pd.Series([text], dtype=object)).tolist() == [expected]


PIECES = st.sampled_from(["1", "0", "٣", ":", ".", "+", " ", "\n", "\x00", "Z", "UTC", "x",
                          "00:00", "+01:00", "-05", "2021-03-28 "])


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.none() | st.lists(PIECES, max_size=6).map("".join), max_size=6))
@example(["2021-03-28 00:00", "2021-03-28 00:00-05"])
def test_a_column_is_judged_mixed_when_its_times_one_by_one_are_of_both_kinds(texts):
    """The column is searched at once, its texts joined and read backwards: it finds a
    zoned time, a plain one and so a mix exactly where the times read one by one hold them
    (a blank or empty cell is neither kind), and names the first row of each kind; a text
    holding the mark that joins them is read one by one."""
    from engine.data.column_types import (_PLAIN_AT, _ZONED_AT, _backwards, _zone_kinds,
                                          mixed_zones)

    column = pd.Series(texts, dtype=object)
    kinds = _zone_kinds(column).tolist()
    backwards = _backwards(column)
    if backwards is not None:
        assert bool(_ZONED_AT.search(backwards)) == (1 in kinds)
        assert bool(_PLAIN_AT.search(backwards)) == (0 in kinds)
    expected = (kinds.index(1), kinds.index(0)) if 1 in kinds and 0 in kinds else None
    assert mixed_zones(column) == expected


def test_quarters_are_read_as_before_and_a_column_that_starts_with_none_is_not_read_whole(
        monkeypatch):
    """A column whose first time is no quarter is no column of quarters: it is not read
    value by value to find that out (which took most of the time of reading a million
    times)."""
    from engine.data import column_types

    quarters = pd.Series([None, "1990-Q1", " 1990Q2 ", "1990-q3"])
    assert column_types.read_quarters(quarters).tolist()[1:] == list(
        pd.to_datetime(["1990-01-01", "1990-04-01", "1990-07-01"]))
    assert column_types.read_quarters(pd.Series(["1990-Q1", "1990-05-01"])) is None

    def whole_column(*args, **kwargs):
        raise AssertionError("the whole column was read")

    monkeypatch.setattr(pd.Series, "str", property(whole_column))
    assert column_types.read_quarters(pd.Series(["2021-01-01 00:00", "1990-Q1"])) is None


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["1", "0", ":", "+", "-", " ", "UTC", "utc", "GMT", "CTU",
                                 "13:00", "2021-03-01 ", "x"]), max_size=10))
def test_an_offset_after_utc_is_found_backwards_where_it_is_forwards(pieces):
    """The column's one search, read backwards, finds an offset written after UTC or GMT
    exactly where reading each time forwards does."""
    from engine.data.column_types import _AFTER_UTC, _AFTER_UTC_AT

    text = "".join(pieces)
    assert (_AFTER_UTC_AT.search("\x00" + text[::-1]) is not None) == \
        (_AFTER_UTC.search(text) is not None)
