"""The CSV reader reads a file as it is written or refuses it: lines whose field counts
disagree, names that head several columns, times out of order or repeated, and files too
large to train on."""

import time
from pathlib import Path

import pandas as pd
import pytest

from engine import EngineError
from engine.data import DatasetConfig, load_table, prepare_training, read_csv
from engine.data import csv_reader
from engine.data.config import VariableSpec
from helpers.command_line import run

EXAMPLES = Path(__file__).resolve().parents[3] / "resources" / "examples"


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- lines whose field counts disagree ------------------------------------------------------

def test_a_header_with_one_name_fewer_than_the_values_is_refused(tmp_path):
    """The macro example with its header's first name ("date") taken out: pandas would make
    the dates the index and shift every name onto its neighbour's values."""
    lines = (EXAMPLES / "us_macro_quarterly.csv").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].split(",", 1)[1]
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(EngineError, match=r"^Line 2 has 13 fields separated by ',' but the "
                                          r"header line \(line 1\) has 12 names; the header "
                                          r"lacks 1 column name"):
        read_csv(path)


def test_a_ragged_count_in_the_thousands_takes_a_separator(tmp_path):
    """The counts in the message are written as the program's other counts are
    (:func:`engine.words.counted`): "1,500 fields", "1,497 column names"."""
    path = write(tmp_path, "a,b,c\n" + ",".join(["1"] * 1500) + "\n")
    with pytest.raises(EngineError, match=r"^Line 2 has 1,500 fields separated by ',' but "
                                          r"the header line \(line 1\) has 3 names; the "
                                          r"header lacks 1,497 column names"):
        read_csv(path)


def test_a_header_with_more_names_than_the_values_is_refused(tmp_path):
    path = write(tmp_path, "a,b,c,d\n1,2,3\n4,5,6\n")
    with pytest.raises(EngineError, match=r"^Line 2 has 3 fields .* has 4 names; the header "
                                          r"has 1 name more than the lines of values"):
        read_csv(path)


@pytest.mark.parametrize("ragged, count", [("7,8", 2), ("7,8,9,10", 4)])
def test_a_ragged_line_in_the_middle_is_refused_by_its_number(tmp_path, ragged, count):
    rows = [f"{k},{k + 1},{k + 2}" for k in range(20)]
    rows[11] = ragged                            # line 13 of the file, below the header
    path = write(tmp_path, "a,b,c\n" + "\n".join(rows) + "\n")
    with pytest.raises(EngineError, match=rf"not look like a table: line 13 has {count} "
                                          r"fields separated by ',' but the header line "
                                          r"\(line 1\) has 3 names"):
        read_csv(path)


def test_a_line_holding_only_an_empty_quoted_field_is_a_short_line(tmp_path):
    """pandas reads ``""`` as a row of missing values (a line of spaces it skips)."""
    path = write(tmp_path, 'a,b\n1,2\n   \n3,4\n""\n5,6\n')
    with pytest.raises(EngineError, match="line 5 has 1 field separated by ','"):
        read_csv(path)


def test_blank_lines_and_quoted_delimiters_do_not_count_as_ragged(tmp_path):
    path = write(tmp_path, 'name,x\n"a, b",1\n\n"c",2\n"d ""e"", f",3\n')
    frame, _ = read_csv(path)
    assert frame["name"].tolist() == ["a, b", "c", 'd "e", f']
    assert frame["x"].tolist() == [1, 2, 3]


# -- names that head several columns --------------------------------------------------------

def dup_sunspots(tmp_path):
    """The sunspots example with a second column of the same name (other values)."""
    frame = pd.read_csv(EXAMPLES / "sunspots_yearly.csv")
    text = "year,sunactivity,sunactivity\n" + "".join(
        f"{y},{s},{s * 0.5 + 1}\n" for y, s in zip(frame["year"], frame["sunactivity"]))
    return write(tmp_path, text, "sunspots.csv"), frame


def test_a_repeated_name_is_numbered_in_every_place_with_its_own_values(tmp_path):
    path, original = dup_sunspots(tmp_path)
    table = load_table(path)
    assert list(table.frame.columns) == ["year", "sunactivity (1)", "sunactivity (2)"]
    assert table.frame["sunactivity (1)"].tolist() == original["sunactivity"].tolist()
    assert table.frame["sunactivity (2)"].tolist() == \
        (original["sunactivity"] * 0.5 + 1).tolist()
    assert table.notes == ["The name 'sunactivity' heads 2 columns; they are read as "
                           "'sunactivity (1)', 'sunactivity (2)'."]


def test_numbering_skips_names_already_taken_and_names_empty_ones_by_place():
    names, duplicates = csv_reader.distinct_names(["a", "a (1)", " a", "", "b", "a"])
    assert names == ["a (2)", "a (1)", "a (3)", "column_4", "b", "a (4)"]
    assert duplicates == {"a": ["a (2)", "a (3)", "a (4)"]}


@pytest.mark.parametrize("flags, what", [
    (["--target", "sunactivity"], "target column"),
    (["--target", "sunactivity (2)", "--input", "sunactivity"], "input column"),
    (["--target", "sunactivity (2)", "--time", "sunactivity"], "time column")])
def test_the_command_line_refuses_a_repeated_name(tmp_path, flags, what):
    path, _ = dup_sunspots(tmp_path)
    status, out, err = run("fit", path, *flags, "--epochs", "1", "--out", tmp_path / "m.npz")
    assert status != 0 and out == ""
    assert err.strip().endswith(f"The {what} 'sunactivity' is ambiguous: 2 columns of the "
                                "file have that name. They are read as 'sunactivity (1)', "
                                "'sunactivity (2)'; choose one of these.")
    assert not (tmp_path / "m.npz").exists()


def test_the_fit_summary_shows_the_numbered_names(tmp_path):
    path, _ = dup_sunspots(tmp_path)
    status, out, err = run("fit", path, "--target", "sunactivity (2)", "--epochs", "1",
                           "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert "The name 'sunactivity' heads 2 columns; they are read as 'sunactivity (1)', " \
           "'sunactivity (2)'." in out.splitlines()


def test_a_project_naming_a_repeated_name_is_refused(tmp_path):
    path, _ = dup_sunspots(tmp_path)
    config = DatasetConfig(variables=[VariableSpec("year", "time", "datetime", "none"),
                                      VariableSpec("sunactivity", "input_target")],
                           lookback=5)
    with pytest.raises(EngineError, match="column 'sunactivity' is ambiguous"):
        prepare_training(path, config)


# -- time order -----------------------------------------------------------------------------

def test_rows_out_of_time_order_are_sorted_and_said_so(tmp_path):
    path = write(tmp_path, "date,x,label\n2020-01-03,3,c\n2020-01-01,1,a\n2020-01-04,4,d\n"
                           "2020-01-02,2,b\n")
    table = load_table(path)
    frame = table.frame
    assert frame["date"].dt.day.tolist() == [1, 2, 3, 4]
    assert frame["x"].tolist() == [1, 2, 3, 4] and frame["label"].tolist() == list("abcd")
    assert list(frame.index) == [0, 1, 2, 3]
    assert table.notes == ["The rows were sorted by the time column 'date': the file does "
                           "not list them in time order (row 1, 2020-01-01, comes before "
                           "the row above it)."]


def test_years_out_of_order_are_sorted_when_named_as_the_time_column(tmp_path):
    rows = "".join(f"{1900 + k},{k * k}\n" for k in (5, 3, 4, 1, 2, 0))
    frame, options = read_csv(write(tmp_path, "year,y\n" + rows),
                              csv_reader.CsvOptions(time_column="year"))
    assert frame["year"].tolist() == [1900, 1901, 1902, 1903, 1904, 1905]
    assert frame["y"].tolist() == [0, 1, 4, 9, 16, 25]


def test_years_out_of_order_are_found_as_the_time_column_and_sorted(tmp_path):
    rows = "".join(f"{1900 + k},{k * k}\n" for k in (2, 0, 1))
    table = load_table(write(tmp_path, "year,y\n" + rows))
    assert table.time_column == "year" and table.frame["y"].tolist() == [0, 1, 4]
    assert table.notes[0].startswith("The rows were sorted by the time column 'year'")


def test_rows_without_a_time_are_refused_in_a_file_out_of_time_order(tmp_path):
    """Sorted last, a row without a time stood for the step after the last row: a file in
    reverse time order got the next month's forecast beside its 2017 row. In a file in
    time order such a row stays where it is."""
    path = write(tmp_path, "date,x\n2020-01-02,2\n,7\n2020-01-01,1\n,8\n2020-01-03,3\n")
    with pytest.raises(EngineError, match=r"^The rows are not in time order \(row 2 comes "
                                          r"before the row above it\) and 2 rows \(1, 3\) "
                                          r"have no time in 'date'.*Fill in those times"):
        read_csv(path, csv_reader.CsvOptions(time_column="date"))
    in_order = write(tmp_path, "date,x\n2020-01-01,1\n,7\n2020-01-03,3\n")
    frame, _ = read_csv(in_order, csv_reader.CsvOptions(time_column="date"))
    assert frame["x"].tolist() == [1, 7, 3]


def test_rows_in_order_keep_their_frame_and_give_no_note(tmp_path):
    path = write(tmp_path, "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n")
    assert load_table(path).notes == []


def test_the_command_line_prints_that_rows_were_sorted(tmp_path):
    months = pd.date_range("2015-01-01", periods=60, freq="MS")
    rows = [f"{m:%Y-%m-%d},{k % 12 + k / 10}" for k, m in enumerate(months)]
    rows[10], rows[11] = rows[11], rows[10]
    path = write(tmp_path, "month,y\n" + "\n".join(rows) + "\n")
    status, out, err = run("fit", path, "--target", "y", "--epochs", "1",
                           "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert ("The rows were sorted by the time column 'month': the file does not list them "
            "in time order (row 11, 2015-11-01, comes before the row above it).") in out


def test_a_repeated_time_is_refused_naming_it_and_its_rows(tmp_path):
    path = write(tmp_path, "date,x\n2020-01-03,3\n2020-01-01,1\n2020-01-02,2\n"
                           "2020-01-01,5\n2020-01-02,6\n")
    with pytest.raises(EngineError, match=r"^The time column 'date' holds 2020-01-01 more "
                                          r"than once \(rows 1, 3\)"):
        read_csv(path)



def test_a_repeated_year_is_refused_naming_it(tmp_path):
    # a numeric time-named column with one repeat is still the time column (before, the
    # repeat made the years an ordinary input and the fit went on with a doubled row)
    lines = (EXAMPLES / "sunspots_yearly.csv").read_text().splitlines()
    path = write(tmp_path, "\n".join(lines[:95] + [lines[94]] + lines[95:]) + "\n")
    with pytest.raises(EngineError, match=r"^The time column 'year' holds 1793 more than "
                                          r"once \(rows 93, 94\)"):
        read_csv(path)


def test_a_month_number_repeating_every_year_is_no_time_column(tmp_path):
    path = write(tmp_path, "month,y\n" + "".join(f"{m % 12 + 1},{m}\n" for m in range(48)))
    assert read_csv(path)[1].time_column in (None, False)

# -- size limits ----------------------------------------------------------------------------

def test_too_many_columns_are_refused_at_once(tmp_path):
    """10,000 columns took 21 s to read (a duplicate-name check quadratic in the columns)
    and then hours to train; now the first line refuses them."""
    names = ",".join(f"c{k}" for k in range(10_000))
    values = ",".join("1.5" for _ in range(10_000))
    path = write(tmp_path, names + "\n" + (values + "\n") * 30)
    start = time.perf_counter()
    with pytest.raises(EngineError, match="has 10,000 columns; RNN Studio reads at most "
                                          "1,000"):
        read_csv(path)
    assert time.perf_counter() - start < 2


def test_the_most_columns_allowed_are_read_quickly(tmp_path):
    n = csv_reader.MAX_COLUMNS
    path = write(tmp_path, ",".join(f"c{k}" for k in range(n)) + "\n"
                 + "".join(",".join(str(r + k) for k in range(n)) + "\n" for r in range(20)))
    start = time.perf_counter()
    frame, _ = read_csv(path)
    assert frame.shape == (20, n) and frame["c999"].tolist() == list(range(999, 1019))
    assert time.perf_counter() - start < 5


def test_too_many_rows_are_refused_before_the_file_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_ROWS", 100)
    path = write(tmp_path, "x\n" + "".join(f"{k}\n" for k in range(100)))
    assert len(read_csv(path)[0]) == 100
    path = write(tmp_path, "x\n" + "".join(f"{k}\n" for k in range(101)))
    with pytest.raises(EngineError, match=r"^The file has more than 100 rows of values; RNN "
                                          r"Studio reads at most 100: training"):
        read_csv(path)


def test_the_row_limit_shrinks_with_the_columns(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_VALUES", 300)
    path = write(tmp_path, "a,b,c\n" + "1,2,3\n" * 101)
    with pytest.raises(EngineError, match="reads at most 100 with 3 columns \\(300 values\\)"):
        read_csv(path)
