"""Reading CSV files: detection, overrides, column types and the errors a person sees."""

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.data import CsvOptions, classify_columns, detect_options, load_table, read_csv

from helpers.examples import example_csv


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    return path


def test_semicolon_and_decimal_comma_are_detected(tmp_path):
    path = write(tmp_path, "eu.csv", "Datum;Wert;Menge\n2020-01-01;1,5;3\n2020-01-02;2,25;4\n"
                                      "2020-01-03;-0,75;5\n")
    frame, options = read_csv(path)
    assert (options.delimiter, options.decimal, options.header) == (";", ",", True)
    assert options.time_column == "Datum"
    np.testing.assert_array_equal(frame["Wert"].to_numpy(), [1.5, 2.25, -0.75])
    assert pd.api.types.is_datetime64_any_dtype(frame["Datum"])


def test_thousands_separators_are_detected(tmp_path):
    european = write(tmp_path, "eu.csv", "Datum;Umsatz;Menge\n2020-01-01;1.234,5;3\n"
                                         "2020-01-02;12.345.678,25;4\n2020-01-03;-987,75;5\n")
    frame, options = read_csv(european)
    assert (options.delimiter, options.decimal, options.thousands) == (";", ",", ".")
    np.testing.assert_array_equal(frame["Umsatz"].to_numpy(), [1234.5, 12345678.25, -987.75])
    quoted = write(tmp_path, "us.csv", 'date,sales\n2020-01-01,"1,234.5"\n'
                                       '2020-01-02,"12,345"\n2020-01-03,987.25\n')
    frame, options = read_csv(quoted)
    assert (options.delimiter, options.decimal, options.thousands) == (",", ".", ",")
    np.testing.assert_array_equal(frame["sales"].to_numpy(), [1234.5, 12345.0, 987.25])
    semicolon = write(tmp_path, "points.csv", "a;b\n1,234;0.5\n2,000;1.5\n3.25;2\n")
    frame, options = read_csv(semicolon)
    assert (options.decimal, options.thousands) == (".", ",")
    np.testing.assert_array_equal(frame["a"].to_numpy(), [1234.0, 2000.0, 3.25])


def test_no_thousands_separator_when_numbers_have_no_groups(tmp_path):
    path = write(tmp_path, "plain.csv", "x;y\n1,234;5\n2,5;6\n-0,125;7\n")
    frame, options = read_csv(path)
    assert (options.decimal, options.thousands) == (",", "")
    np.testing.assert_array_equal(frame["x"].to_numpy(), [1.234, 2.5, -0.125])
    headerless = write(tmp_path, "headerless.csv", "1.234,5;2;7\n3.456,75;4;8\n5,5;6;9\n")
    frame, options = read_csv(headerless)
    assert options.header is False and options.thousands == "."
    np.testing.assert_array_equal(frame["column_1"].to_numpy(), [1234.5, 3456.75, 5.5])


def test_dates_and_decimal_commas_are_not_taken_for_thousands(tmp_path):
    dotted = write(tmp_path, "dotted.csv", "Datum;Umsatz\n15.01.2020;1.234,50\n"
                                           "16.01.2020;999,00\n17.01.2020;87,10\n")
    frame, options = read_csv(dotted)
    assert options.thousands == "." and options.time_column == "Datum"
    assert list(frame["Datum"].dt.strftime("%Y-%m-%d")) == ["2020-01-15", "2020-01-16",
                                                            "2020-01-17"]
    assert frame["Umsatz"].tolist() == [1234.5, 999.0, 87.1]
    quoted = write(tmp_path, "sheets.csv", 'date,price\n2020-01-01,"3,14"\n'
                                           '2020-01-02,"2,5"\n2020-01-03,"0,125"\n')
    frame, options = read_csv(quoted)
    assert (options.decimal, options.thousands) == (",", "")
    assert frame["price"].tolist() == [3.14, 2.5, 0.125]           # not 314, 25, 125
    mixed = write(tmp_path, "mixed.csv", "t;x;y\n1;1.5;0,5\n2;2.5;1,250\n3;3.5;2,5\n")
    frame, options = read_csv(mixed)
    assert options.thousands == "" and frame["y"].tolist() == ["0,5", "1,250", "2,5"]


def test_a_thousands_separator_that_clashes_is_refused(tmp_path):
    path = write(tmp_path, "eu.csv", "a;b\n1,5;2\n2,5;3\n")
    with pytest.raises(EngineError, match="thousands separator ',' cannot also be the "
                                          "decimal mark"):
        read_csv(path, CsvOptions(thousands=","))
    with pytest.raises(EngineError, match="decimal mark found in the file is ','.*--decimal"):
        read_csv(path, CsvOptions(thousands=","))
    with pytest.raises(EngineError, match=r"choose another thousands separator, or none "
                                          r"\(--thousands none\)\.$"):
        read_csv(path, CsvOptions(thousands=",", decimal=","))
    with pytest.raises(EngineError, match="mark\\): choose another in the Thousands separator "
                                          "box, or None\\.$"):
        read_csv(path, CsvOptions(thousands=",", decimal=","), front="window")
    with pytest.raises(EngineError, match="is ',' too; choose the decimal mark as well "
                                          "\\('.' in the Decimal mark box\\), or another in "
                                          "the Thousands separator box, or None\\.$"):
        read_csv(path, CsvOptions(thousands=","), front="window")      # no option named
    with pytest.raises(EngineError, match="one character or none"):
        read_csv(path, CsvOptions(thousands=".."))
    frame, options = read_csv(path, CsvOptions(thousands=""))
    assert options.thousands == "" and frame["a"].tolist() == [1.5, 2.5]


def test_day_first_dates_are_read_day_first(tmp_path):
    days = [f"{d:02d}/02/2020" for d in range(1, 29)]
    path = write(tmp_path, "daily.csv", "Datum;Wert\n" + "".join(
        f"{day};{k},5\n" for k, day in enumerate(days)))
    frame, options = read_csv(path)
    assert options.time_column == "Datum"
    assert list(frame["Datum"]) == list(pd.date_range("2020-02-01", "2020-02-28"))
    dotted = write(tmp_path, "dotted.csv", "Tag,x\n30.12.2021,1\n31.12.2021,2\n"
                                           "01.01.2022,3\n")
    frame, _ = read_csv(dotted)
    assert list(frame["Tag"].dt.strftime("%Y-%m-%d")) == ["2021-12-30", "2021-12-31",
                                                          "2022-01-01"]
    american = write(tmp_path, "us.csv", "date,x\n01/12/2020,1\n01/13/2020,2\n"
                                         "01/14/2020,3\n")
    frame, _ = read_csv(american)
    assert list(frame["date"].dt.strftime("%Y-%m-%d")) == ["2020-01-12", "2020-01-13",
                                                           "2020-01-14"]
    monthly = write(tmp_path, "monthly.csv", "Monat;x\n" + "".join(
        f"01.{m:02d}.2020;{m}\n" for m in range(1, 13)))
    frame, _ = read_csv(monthly)
    assert list(frame["Monat"]) == list(pd.date_range("2020-01-01", periods=12, freq="MS"))
    iso = write(tmp_path, "iso.csv", "date,x\n2020-01-12,1\n2020-01-13,2\n")
    assert read_csv(iso)[0]["date"].dt.day.tolist() == [12, 13]


def test_monthly_dates_on_the_first_written_day_first_are_months(tmp_path):
    """01/02/2016, 01/03/2016, ... read in both orders; month first they were days 2, 3, ...
    of January and then a step of 355 days, now the months they are (one series and many);
    days written month first (01/01/2021 to 01/12/2021) stay days."""
    from engine.many.series_data import load_series

    months = [f"01/{m:02d}/{y}" for y in (2016, 2017) for m in range(1, 13)]
    path = write(tmp_path, "monthly.csv", "month,x\n" + "".join(
        f"{month},{k}\n" for k, month in enumerate(months)))
    frame, options = read_csv(path)
    assert options.time_column == "month"
    assert list(frame["month"]) == list(pd.date_range("2016-01-01", periods=24, freq="MS"))
    shops = write(tmp_path, "shops.csv", "shop,month,x\n" + "".join(
        f"{shop},{month},{k}\n" for shop in ("a", "b") for k, month in enumerate(months)))
    data = load_series(shops, "shop", ["x"], time_column="month")
    assert list(data.times[:24]) == list(pd.date_range("2016-01-01", periods=24, freq="MS"))
    days = write(tmp_path, "days.csv", "day,x\n" + "".join(
        f"01/{d:02d}/2021,{d}\n" for d in range(1, 13)))
    assert list(read_csv(days)[0]["day"]) == list(pd.date_range("2021-01-01", periods=12))


def test_tab_delimiter_and_no_header(tmp_path):
    path = write(tmp_path, "t.tsv", "1\t2.5\n2\t3.5\n3\t4.5\n")
    frame, options = read_csv(path)
    assert options.delimiter == "\t" and options.header is False
    assert list(frame.columns) == ["column_1", "column_2"]
    np.testing.assert_array_equal(frame["column_2"], [2.5, 3.5, 4.5])


def test_overrides_win_over_detection(tmp_path):
    path = write(tmp_path, "x.csv", "a,b\n" + "1,2\n" * 20)
    frame, options = read_csv(path, CsvOptions(header=False, time_column=False))
    assert options.header is False and options.time_column is False
    assert frame.shape == (21, 2)                # the header line became a data row
    assert frame["column_1"].iloc[0] == "a"


def test_encodings(tmp_path):
    text = "température,valeur\n1,2\n3,4\n"
    latin = write(tmp_path, "latin.csv", text, encoding="cp1252")
    bom = write(tmp_path, "bom.csv", "\ufeff" + text, encoding="utf-8")
    frame, options = read_csv(latin)
    assert options.encoding == "cp1252" and frame.columns[0] == "température"
    frame, options = read_csv(bom)
    assert options.encoding == "utf-8-sig" and frame.columns[0] == "température"


def test_example_files_detect_their_time_columns():
    expected = {"airline_passengers.csv": "month", "sunspots_yearly.csv": "year",
                "seattle_weather_daily.csv": "date", "us_macro_quarterly.csv": "date"}
    for name, column in expected.items():
        frame, options = read_csv(example_csv(name))
        assert options.time_column == column
    frame, _ = read_csv(example_csv("seattle_weather_daily.csv"))
    assert frame["date"].iloc[1] == pd.Timestamp("2012-01-02")
    frame, _ = read_csv(example_csv("sunspots_yearly.csv"))
    assert frame["year"].iloc[0] == 1700           # years stay numbers


def test_column_types(tmp_path):
    rows = ["when,x,flag,kind,same,note,onoff"]
    for k in range(30):
        rows.append(f"2020-01-{k + 1:02d},{k * 0.5},{k % 2},{'abc'[k % 3]},7,word{k},"
                    f"{'yes' if k % 3 else 'no'}")
    table = load_table(write(tmp_path, "types.csv", "\n".join(rows) + "\n"))
    types = {c.name: c.type for c in table.columns}
    assert types == {"when": "datetime", "x": "numeric", "flag": "binary",
                     "kind": "categorical", "same": "constant", "note": "text",
                     "onoff": "binary"}
    info = {c.name: c for c in table.columns}
    assert info["kind"].categories == ["a", "b", "c"]
    assert info["onoff"].categories == ["no", "yes"]
    assert "not used" in info["same"].note


def test_a_column_of_numbers_with_a_typo_names_the_cell_and_refuses_to_be_a_target(
        tmp_path):
    from engine.data.config import default_variables
    from engine.errors import EngineError

    rows = ["day,y"] + [f"{k},{k * 0.5}" for k in range(30)]
    rows[13] = "12,abc"
    table = load_table(write(tmp_path, "typo.csv", "\n".join(rows) + "\n"))
    info = {c.name: c for c in table.columns}["y"]
    assert info.type == "text"
    assert info.note == ("numbers but for 1 cell, e.g. data row 12 holds 'abc': correct "
                         "or empty them to use the column as numbers")
    with pytest.raises(EngineError, match="Column 'y' holds numbers but for 1 cell"):
        default_variables(table.columns, None, ["y"])
    from engine.data.column_types import classify_column

    labels = classify_column(pd.Series(["1", "2", "3"] * 30 + ["other"] * 5), "kind")
    assert labels.type == "categorical"          # number labels and a word: labels
    from engine.data.checks import config_problems
    from engine.data.config import DatasetConfig, VariableSpec

    config = DatasetConfig(variables=[VariableSpec("y", "input_target", "text")], lookback=3)
    assert config_problems(table, config) == [
        "Column 'y' holds numbers but for 1 cell, e.g. data row 12 holds 'abc': correct "
        "or empty them to use the column as numbers."]


def test_seattle_weather_is_categorical():
    table = load_table(example_csv("seattle_weather_daily.csv"))
    info = {c.name: c for c in table.columns}
    assert info["weather"].type == "categorical"
    assert set(info["weather"].categories) >= {"rain", "sun"}


def test_missing_file(tmp_path):
    with pytest.raises(EngineError, match="does not exist"):
        read_csv(tmp_path / "nope.csv")


def test_empty_file(tmp_path):
    with pytest.raises(EngineError, match="empty"):
        read_csv(write(tmp_path, "e.csv", ""))
    with pytest.raises(EngineError, match="no rows"):
        read_csv(write(tmp_path, "h.csv", "a,b\n"))


def test_binary_file(tmp_path):
    data = bytes(range(256)) * 40
    with pytest.raises(EngineError, match="not a text file"):
        read_csv(write(tmp_path, "b.csv", data))


def test_not_a_table(tmp_path):
    prose = ("It was a bright cold day in April, and the clocks were striking thirteen.\n"
             "Winston Smith slipped quickly through the glass doors of Victory Mansions.\n")
    with pytest.raises(EngineError, match="does not look like a table"):
        read_csv(write(tmp_path, "p.csv", prose))
    ragged = "a,b\n1,2\n3,4,5,6\n"
    with pytest.raises(EngineError, match="table"):
        read_csv(write(tmp_path, "r.csv", ragged))


@pytest.mark.parametrize("heading", ["Sales report 2024\n",
                                     "Sales report 2024\nRegion: North\n"])
def test_a_title_above_the_column_names_is_named_as_such(tmp_path, heading):
    text = heading + "month,sales,price\n2020-01,10,1.5\n2020-02,12,1.6\n"
    header = heading.count("\n") + 1
    with pytest.raises(EngineError, match=rf"Line 1 \('Sales report 2024'\) has 1 field but "
                                          rf"line {header} below it has 3, none of them a "
                                          rf"number: line 1 looks like a title.*\(line "
                                          rf"{header}\)"):
        read_csv(write(tmp_path, "t.csv", text))
    with pytest.raises(EngineError, match="header lacks 2 column names"):
        read_csv(write(tmp_path, "n.csv", "sales\n10,1.5,x\n12,1.6,y\n"))
    semicolons = write(tmp_path, "s.csv", "date;x;y\n2020-01-01;1,5;2\n2020-01-02;2,5;3\n")
    with pytest.raises(EngineError, match="does not look like a table.*another delimiter"):
        read_csv(semicolons, CsvOptions(delimiter=","))      # the wrong delimiter, no title
    for ragged in ("date,value\n,,\n2023-01-01,5\n", "date,city\n2023-01-01,Paris,France\n",
                   "date,weather\n2023-01-01,rain,heavy\n"):    # header or lines wrong
        with pytest.raises(EngineError) as refused:
            read_csv(write(tmp_path, "r.csv", ragged))
        assert "title" not in str(refused.value), ragged


def test_a_repeated_header_line_is_named_with_its_line_and_data_row(tmp_path):
    """Files joined one after the other keep the second file's header line among the rows:
    it is named by its line and data row, not read as a time that is no time."""
    rows = "".join(f"2020-01-{day:02d},{day}\n" for day in range(1, 6))
    text = "time,load\n" + rows + "time, load\n" + rows.replace("2020-01", "2020-02") + \
        "time,load\n"
    with pytest.raises(EngineError, match=r"^Line 7 \(data row 5\) repeats the header "
                                          r"line 'time,load' of line 1 \(1 other line below "
                                          r"does too\): .*joined one after the other\. "
                                          r"Delete every copy of the header below line 1"):
        read_csv(write(tmp_path, "joined.csv", text))
    many = "series,time,load\na,2020-01-01,1\nseries,time,load\nb,2020-01-01,2\n"
    with pytest.raises(EngineError, match=r"^Line 3 \(data row 1\) repeats the header line "
                                          r"'series,time,load' of line 1: "):
        read_csv(write(tmp_path, "many.csv", many))
    marked = "\ufefftime,load\n" + rows + "\ufefftime,load\n" + rows.replace("2020-01", "2020-02")
    with pytest.raises(EngineError, match=r"^Line 7 \(data row 5\) repeats the header"):
        read_csv(write(tmp_path, "marked.csv", marked))     # files saved as "CSV UTF-8"
    cased = "time,load\n" + rows + "Time,Load\n" + rows.replace("2020-01", "2020-02")
    with pytest.raises(EngineError, match=r"^Line 7 \(data row 5\) repeats the header"):
        read_csv(write(tmp_path, "cased.csv", cased))


def test_unknown_time_column(tmp_path):
    path = write(tmp_path, "x.csv", "a,b\n1,2\n3,4\n")
    with pytest.raises(EngineError, match="Unknown time column 'when'.*'a', 'b'"):
        read_csv(path, CsvOptions(time_column="when"))


def test_bad_date_in_time_column(tmp_path):
    path = write(tmp_path, "d.csv", "day,x\n2020-01-01,1\n2020-01-02,2\nsoon,3\n")
    with pytest.raises(EngineError, match="row 2 holds 'soon'"):
        read_csv(path, CsvOptions(time_column="day"))


def test_large_file_values_are_exact(tmp_path):
    rng = np.random.default_rng(1)
    values = rng.normal(size=(3000, 20)) * 10.0 ** rng.integers(-3, 4, size=20)
    frame = pd.DataFrame(values, columns=[f"v{k}" for k in range(20)])
    frame.insert(0, "time", pd.date_range("2000-01-01", periods=3000, freq="min"))
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False, float_format="%.17g")
    loaded, options = read_csv(path)
    assert options.time_column == "time"
    np.testing.assert_array_equal(loaded.iloc[:, 1:].to_numpy(), values)
    assert (loaded["time"] == frame["time"]).all()


def test_detect_options_reads_only_a_sample(tmp_path):
    path = write(tmp_path, "s.csv", "a;b\n" + "1,5;2\n" * 50000)
    options = detect_options(path)
    assert options.delimiter == ";" and options.decimal == ","


def test_classify_columns_of_frame():
    frame = pd.DataFrame({"x": [1.0, np.nan, 3.5, 4.0], "y": [True, False, True, True]})
    info = classify_columns(frame)
    assert info[0].type == "numeric" and info[0].n_missing == 1
    assert info[1].type == "binary"


@pytest.mark.parametrize("stamp", ["2020-03-29T{h:02d}:00:00Z", "2020-03-29 {h:02d}:00 UTC",
                                   "2020-03-29T{h:02d}:00:00+00:00"])
def test_times_with_a_time_zone_are_read_in_utc(tmp_path, stamp):
    """Sensor logs write their time zone (Z, +01:00, UTC): the column is read as times, in
    UTC, evenly spaced (it was a crash)."""
    path = tmp_path / "log.csv"
    path.write_text("time,y\n" + "".join(f"{stamp.format(h=h)},{h}\n" for h in range(24)))
    table = load_table(path)
    assert table.time_column == "time" and table.frame["time"].dt.tz is None
    assert table.frame["time"].iloc[5] == pd.Timestamp("2020-03-29 05:00")
    assert table.time_step() == {"unit": "nanoseconds", "size": 3_600_000_000_000}


def test_local_times_across_a_change_of_summer_time_stay_evenly_spaced():
    from engine.data.column_types import parse_time

    times = parse_time(pd.Series(["2020-03-29 01:00+01:00", "2020-03-29 03:00+02:00",
                                  "2020-03-29 04:00+02:00"]), "time")
    assert list(times.diff().dropna()) == [pd.Timedelta(hours=1)] * 2


def test_utf16_chosen_for_a_file_that_is_not_says_so(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    with pytest.raises(EngineError, match="The file cannot be read as utf-16 text .*choose "
                                          "another encoding"):
        detect_options(path, CsvOptions(encoding="utf-16"))


def test_a_column_of_names_each_on_one_run_of_rows_is_named_as_the_series(tmp_path):
    """Twenty-row runs of three shops' sales without a time column: read as one series
    that runs from shop to shop, with a note that names the column and --series (the
    window's words say the role Series); a column of names that come back (weekdays), or
    of runs shorter than ten rows, is no such file."""
    path = tmp_path / "shops.csv"
    rows = [f"{shop},{10 + k % 7 + k / 9:.3f}" for shop in ("north", "south", "west")
            for k in range(20)]
    path.write_text("shop,sales\n" + "\n".join(rows) + "\n")
    table = load_table(path)
    assert table.time_column is None
    assert (f"The file may hold several series one after the other: 'shop' holds 3 names, "
            f"each on one run of rows (20 rows each). If it does: fit it as many series with "
            f"rnn-studio fit {path} --series shop --target COL --out MODEL; read as it is, "
            "the file is one series and 'shop' one of its inputs.") in table.notes
    assert any(note.startswith("The file may hold several series") and
               "If it does: give 'shop' the role Series in step 2;" in note
               for note in load_table(path, front="window").notes)
    path.write_text("phase,load\n" + "\n".join(                # runs of other lengths
        f"{'warm-up' if k < 12 else 'run'},{k}" for k in range(60)) + "\n")
    assert any("'phase' holds 2 names, each on one run of rows (12 to 48 rows)" in note
               for note in load_table(path).notes)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    path.write_text("day,sales\n" + "\n".join(f"{days[k % 7]},{k}" for k in range(60)) +
                    "\n")
    assert not any("several series" in note for note in load_table(path).notes)
    path.write_text("shop,sales\n" + "\n".join(f"s{k // 8},{k}" for k in range(64)) + "\n")
    assert not any("several series" in note for note in load_table(path).notes)


def test_a_time_column_repeated_series_after_series_is_named_with_what_to_do(tmp_path):
    """Three firms' years one after the other (a panel): read as one series without a time
    column, with a note that names both columns and --series; a year alone, or beside its
    months, is one series."""
    path = tmp_path / "panel.csv"
    rows = [f"{firm},{year},{value}" for firm in ("GM", "US Steel", "GE")
            for value, year in enumerate(range(1935, 1955))]
    path.write_text("firm,year,invest\n" + "\n".join(rows) + "\n")
    table = load_table(path)
    assert table.time_column is None
    assert ("The file looks like several series one after the other: 'firm' changes where "
            f"'year' starts again. Fit it as many series with rnn-studio fit {path} --series "
            "firm --time year --target COL --out MODEL; read as it is, the file is one series "
            "without a time column."
            ) in table.notes
    assert ("'year' starts again. Give 'firm' the role Series and 'year' the role Time in "
            "step 2; read as it is, the file is one series without a time column."
            ) in " ".join(load_table(path, front="window").notes)
    spaced = tmp_path / "spaced.csv"
    spaced.write_text(path.read_text().replace("firm,", "the firm,", 1))
    assert f"with rnn-studio fit {spaced} --series 'the firm' --time year --target COL" in \
        " ".join(load_table(spaced).notes)
    single = tmp_path / "one.csv"
    single.write_text("year,invest\n" + "\n".join(f"{1935 + k},{k}" for k in range(20)))
    assert not any("several series" in note for note in load_table(single).notes)
    monthly = tmp_path / "monthly.csv"          # a year beside its months: one series
    monthly.write_text("year,month,sales\n" + "\n".join(
        f"{2010 + k // 12},{k % 12 + 1},{k}" for k in range(120)))
    assert not any("several series" in note for note in load_table(monthly).notes)


@pytest.mark.parametrize("zone,step", [("Europe/Berlin", "h"), ("Europe/Berlin", "15min"),
                                       ("America/New_York", "h"),
                                       ("Australia/Sydney", "30min")])
def test_the_hour_clocks_repeat_when_summer_time_ends_is_named_with_what_to_do(
        tmp_path, zone, step):
    """Local times repeat an hour when the clocks go back; removing the duplicate rows (the
    advice for other repeated times) would lose that hour's values."""
    night = {"Europe/Berlin": "2023-10-29", "America/New_York": "2023-11-05",
             "Australia/Sydney": "2023-04-02"}[zone]
    times = pd.date_range(f"{night} 00:00", periods=96, freq=step, tz=zone).tz_localize(None)
    path = tmp_path / "local.csv"
    pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M"),
                  "load": np.arange(96.0)}).to_csv(path, index=False)
    with pytest.raises(EngineError, match=r"twice \(rows \d+, \d+\), as local clocks do in "
                                          r"the night summer time ends.*offset from UTC"):
        read_csv(path)


def test_a_local_log_of_several_years_repeats_an_hour_each_autumn(tmp_path):
    times = pd.date_range("2021-01-01", "2023-12-31", freq="h", tz="Europe/Berlin")
    path = tmp_path / "years.csv"
    pd.DataFrame({"time": times.tz_localize(None).strftime("%Y-%m-%d %H:%M"),
                  "load": np.arange(len(times)) % 24.0}).to_csv(path, index=False)
    with pytest.raises(EngineError, match=r"holds 2021-10-31 02:00:00 twice .* summer time"):
        read_csv(path)


def test_other_repeated_times_are_refused_with_the_rows_to_remove(tmp_path):
    text = "time,y\n2023-06-01 02:00,1\n2023-06-01 02:00,2\n2023-06-01 03:00,3\n"
    with pytest.raises(EngineError, match="more than once.*Remove the duplicate rows"):
        read_csv(write(tmp_path, "twice.csv", text))
    march = pd.date_range("2023-03-14", periods=72, freq="h").strftime("%Y-%m-%d %H:%M")
    rows = list(march[:26]) + [march[25]] + list(march[26:])   # Wednesday 01:00 copied
    text = "time,y\n" + "".join(f"{t},{k}\n" for k, t in enumerate(rows))
    with pytest.raises(EngineError, match="more than once.*Remove the duplicate rows"):
        read_csv(write(tmp_path, "copied.csv", text))
    text = "day,y\n2023-10-29,1\n2023-10-29,2\n2023-10-30,3\n"          # not one hour
    with pytest.raises(EngineError, match="more than once.*Remove the duplicate rows"):
        read_csv(write(tmp_path, "days.csv", text))
