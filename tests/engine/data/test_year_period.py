"""A time written in two columns (a year and a quarter, or a year and a month) read as one
time column: detection, the dates built, the roles, the notes and the messages."""

import numpy as np
import pandas as pd
import pytest

from engine.data import default_config, load_table
from engine.data.csv_reader import CsvOptions, read_csv
from engine.errors import EngineError

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def quarterly(rows=24, start=1990):
    """A table as statistics offices write it: ``year,quarter,x,y``, years as 1990.0."""
    k = np.arange(rows)
    return pd.DataFrame({"year": (start + (k + 1) // 4).astype(float),
                         "quarter": ((k + 1) % 4 + 1).astype(float),
                         "x": np.sin(k / 3), "y": np.cos(k / 5) + k / 50})


def _quarters():
    from engine.data.year_period import YearPeriod

    return YearPeriod("year", "quarter", 4)


def write(frame, tmp_path, name="data.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_a_year_and_a_quarter_are_read_as_the_first_day_of_each_quarter(tmp_path):
    table = load_table(write(quarterly(), tmp_path))
    assert table.time_column == "year-quarter"
    assert list(table.frame.columns) == ["year-quarter", "year", "quarter", "x", "y"]
    assert list(table.frame["year-quarter"].iloc[:3]) == [
        pd.Timestamp("1990-04-01"), pd.Timestamp("1990-07-01"), pd.Timestamp("1990-10-01")]
    assert table.time_step() == {"unit": "months", "size": 3}
    assert table.notes == ["The columns 'year' and 'quarter' are read together as the time "
                           "column 'year-quarter' (the first day of each quarter); they are "
                           "not used as inputs unless you choose so."]
    roles = {v.name: v.role for v in default_config(table, ["y"]).variables}
    assert roles == {"year-quarter": "time", "year": "unused", "quarter": "unused",
                     "x": "input", "y": "input_target"}


@pytest.mark.parametrize("months", [list(range(1, 13)), MONTHS,
                                    [pd.Timestamp(2000, m, 1).strftime("%B")
                                     for m in range(1, 13)]])
def test_a_year_and_a_month_as_numbers_or_names(tmp_path, months):
    frame = pd.DataFrame({"Year": np.repeat([2019, 2020], 12), "Month": months * 2,
                          "sales": np.arange(24.0)})
    table = load_table(write(frame, tmp_path))
    assert table.time_column == "Year-Month"
    assert table.frame["Year-Month"].iloc[13] == pd.Timestamp("2020-02-01")
    assert table.time_step() == {"unit": "months", "size": 1}


def test_pairs_out_of_order_are_sorted_like_any_time(tmp_path):
    frame = quarterly(8).iloc[[0, 1, 3, 2, 4, 5, 6, 7]]
    table = load_table(write(frame, tmp_path))
    assert table.frame["year-quarter"].is_monotonic_increasing
    assert any("sorted" in note for note in table.notes)


@pytest.mark.parametrize("change", [
    lambda f: f.drop(columns="quarter"),                         # a year alone
    lambda f: f[["year", "x", "quarter", "y"]],                  # not next to each other
    lambda f: f.assign(quarter=np.where(f.index == 5, 1.0, f.quarter)),   # a pair repeated
    lambda f: f.assign(quarter=f.quarter + 1),                   # a quarter 5
    lambda f: f.assign(year=f.year + 0.5),                       # no whole years
    lambda f: f.rename(columns={"quarter": "size"}),             # not named as a period
])
def test_no_time_of_two_columns(tmp_path, change):
    frame, options = read_csv(write(change(quarterly()), tmp_path))
    assert options.time_column is False
    assert "year-quarter" not in frame.columns


def test_a_column_of_dates_comes_first(tmp_path):
    frame = quarterly().assign(date=pd.date_range("2000-01-01", periods=24, freq="D"))
    assert load_table(write(frame, tmp_path)).time_column == "date"


def test_the_name_builds_the_time_again_in_another_file(tmp_path):
    """A project or a model keeps only the name: a file with the two columns, whatever
    its rows, reads the same way (a DataFrame too)."""
    options = CsvOptions(time_column="year-quarter")
    frame, used = read_csv(write(quarterly(3, start=2001), tmp_path), options)
    assert used.time_column == "year-quarter"
    assert frame["year-quarter"].iloc[0] == pd.Timestamp("2001-04-01")
    table = load_table(quarterly(3), options)
    assert table.frame["year-quarter"].iloc[-1] == pd.Timestamp("1990-10-01")


def test_a_file_whose_columns_do_not_make_the_time_is_told_what_is_wrong(tmp_path):
    options = CsvOptions(time_column="year-quarter")
    wrong = quarterly().assign(quarter=lambda f: f.quarter.where(f.index != 4, 7.0))
    with pytest.raises(EngineError, match=r"'quarter' holds 7\.0 in data row 4, which is "
                                          r"not a quarter 1 to 4"):
        read_csv(write(wrong, tmp_path), options)
    with pytest.raises(EngineError, match="Unknown time column 'year-quarter'"):
        read_csv(write(quarterly().drop(columns="quarter"), tmp_path), options)


def test_the_year_alone_as_the_time_names_the_time_of_two_columns(tmp_path):
    with pytest.raises(EngineError, match="The column 'year' repeats its values, so it "
                                          "cannot be the time by itself; with 'quarter' it "
                                          "is: choose the time column 'year-quarter'"):
        read_csv(write(quarterly(), tmp_path), CsvOptions(time_column="year"))


def test_a_column_already_named_so_is_read_as_it_is(tmp_path):
    """It is the time, and a note says that the year and the quarter are not read
    together, where the two differ, and what to do."""
    frame = quarterly().assign(**{"year-quarter": np.arange(24)})
    table = load_table(write(frame, tmp_path))
    assert table.time_column == "year-quarter"
    assert list(table.frame.columns) == list(frame.columns)
    assert list(table.frame["year-quarter"]) == list(range(24))
    assert table.notes == [
        "The file has a column 'year-quarter' of its own, read as the time as it is written; "
        "it is not the quarter of 'year' and 'quarter' (data row 0 holds 0 for 1990-Q2). If "
        "those are the time, rename the column 'year-quarter' (or leave it out) to read the "
        "time from 'year' and 'quarter'."]


def test_a_column_already_named_so_that_holds_no_times_is_named_in_a_note(tmp_path):
    frame = quarterly().assign(**{"year-quarter": "n/a"})
    table = load_table(write(frame, tmp_path))
    assert table.time_column is None
    assert "The file has a column 'year-quarter' of its own, which holds no times, so " \
           "'year' and 'quarter' are not read together as the time: rename the column " \
           "'year-quarter' (or leave it out)" in " ".join(table.notes)


def test_the_periods_written_by_predict_are_read_again_without_a_note(tmp_path):
    from engine.data.year_period import period_label, read_year_period

    built, _, _ = read_year_period(quarterly(), None)
    again = built.assign(**{"year-quarter": [period_label(t, _quarters())
                                             for t in built["year-quarter"]]})
    table = load_table(write(again, tmp_path))
    assert table.time_column == "year-quarter"
    assert table.notes == []


def test_labels_beside_the_two_columns_are_read_as_written(tmp_path):
    """The file's columns are found by their place without the column built (a region
    ``NA`` is a label; rows out of order are sorted)."""
    path = tmp_path / "regions.csv"
    path.write_text("year,quarter,value,region\n1990,2,2.5,EU\n1990,1,1.5,NA\n"
                    "1990,3,3.5,NA\n1990,4,2.0,EU\n1991,1,2.5,NA\n", encoding="utf-8")
    table = load_table(path)
    assert table.time_column == "year-quarter"
    assert list(table.frame["region"]) == ["NA", "EU", "NA", "EU", "NA"]
    assert list(table.with_text_column("value")["value"]) == ["1.5", "2.5", "3.5", "2.0",
                                                               "2.5"]


def test_quarters_of_one_year_are_read_with_the_year(tmp_path):
    frame, options = read_csv(write(quarterly(3), tmp_path))
    assert options.time_column == "year-quarter"


def test_pairs_need_differ_only_within_each_series():
    from engine.data.year_period import find_year_period

    two = pd.concat([quarterly(8).assign(firm="a"), quarterly(8).assign(firm="b")],
                    ignore_index=True)
    assert find_year_period(two) is None
    assert find_year_period(two, "firm").name == "year-quarter"
    twice = pd.concat([two, quarterly(1).assign(firm="b")], ignore_index=True)
    assert find_year_period(twice, "firm") is None


@pytest.mark.parametrize("years, periods, new", [
    (["2019", "2020"], ["11", "12"], ("2021-01", "2021", "1")),
    (["2019.0", "2020.0"], ["11.0", "12.0"], ("2021-01", "2021.0", "1.0")),
    (["2019", "2020"], ["Nov", "Dec"], ("2021-01", "2021", "Jan")),
    (["2019", "2020"], ["November", "December"], ("2021-01", "2021", "January")),
    (["2019", "2020"], ["nov", "dec"], ("2021-01", "2021", "jan")),
    (["2019", "2020"], ["Apr", "May"], ("2021-01", "2021", "Jan")),
    (["2019", "2020"], ["April", "May"], ("2021-01", "2021", "January")),
    (["2019", "2020"], ["NOVEMBER", "DECEMBER"], ("2021-01", "2021", "JANUARY"))])
def test_a_new_period_is_written_as_the_file_writes_its_year_and_month(years, periods, new):
    from engine.data.year_period import YearPeriod, period_label, period_texts

    parts = YearPeriod("Year", "Month", 12)
    raw = pd.DataFrame({"Year": years, "Month": periods})
    stamp = pd.Timestamp("2021-01-01")
    texts = period_texts(stamp, parts, raw)
    assert (period_label(stamp, parts), texts["Year"], texts["Month"]) == new


def test_a_quarter_is_labelled_as_a_person_reads_it_and_read_back_as_its_date(tmp_path):
    from engine.data.year_period import YearPeriod, period_label

    label = period_label(pd.Timestamp("1999-07-01"), YearPeriod("year", "quarter", 4))
    assert label == "1999-Q3"
    path = tmp_path / "labels.csv"
    path.write_text(f"year-quarter,y\n1999-Q2,1\n{label},2\n", encoding="utf-8")
    assert list(load_table(path).frame["year-quarter"]) == [pd.Timestamp("1999-04-01"),
                                                            pd.Timestamp("1999-07-01")]


def test_quarters_written_as_periods_are_read_as_their_first_days():
    """``1990-Q1`` (a predictions file read again, or a file of its own) is read here, not
    by pandas' reading of quarter strings, which is deprecated; a column with a value of
    another form is read as dates are."""
    from engine.data.column_types import read_dates, read_quarters

    read = read_dates(pd.Series(["1990-Q1", "1990Q2", None, "1991-q4"]))
    assert list(read.dropna()) == [pd.Timestamp("1990-01-01"), pd.Timestamp("1990-04-01"),
                                   pd.Timestamp("1991-10-01")]
    assert read.isna().tolist() == [False, False, True, False]
    assert read_quarters(pd.Series(["1990-Q1", "1990-05-01"])) is None
    assert read_quarters(pd.Series(["1990-Q5"])) is None


def test_a_file_of_many_series_reads_its_quarters_written_as_periods():
    """Many series' forecasts and predictions write a year and a quarter as ``1999-Q4``;
    read back, those are the quarters' first days, read here, not by pandas."""
    from engine.many.series_data import _parse_times

    read, _ = _parse_times(pd.Series(["1999-Q3", "1999-Q4"]), "year-quarter")
    assert list(read) == [pd.Timestamp("1999-07-01"), pd.Timestamp("1999-10-01")]


def test_a_time_built_for_many_series_is_taken_away_without_reading_the_file(tmp_path):
    """``with_series_time`` builds year-quarter in a table of many series (its pairs repeat
    from series to series); ``without_series_time`` gives the table as the file of one
    series is read, and says nothing of a time the file's own reading built."""
    from engine.data.pipeline import series_time_note, with_series_time, without_series_time

    many = pd.concat([quarterly(12).assign(firm=name) for name in "AB"], ignore_index=True)
    read = load_table(write(many, tmp_path))
    built = with_series_time(read, "year-quarter")
    assert read.time_column is None and "year-quarter" in built.frame.columns
    assert "read together as the time column 'year-quarter'" in series_time_note(built)
    again = without_series_time(built)
    assert again.frame.equals(read.frame) and again.frame.attrs == read.frame.attrs
    assert again.columns == read.columns and series_time_note(again) is None
    one = load_table(write(quarterly(), tmp_path, "one.csv"))
    assert one.time_column == "year-quarter" and without_series_time(one) is one
    assert series_time_note(one) is None
