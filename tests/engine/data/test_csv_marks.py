"""The decimal mark and thousands separator read as spreadsheets write them: a field that
can only be read one way decides, and a field that reads both ways (``1,234``) follows."""

import pandas as pd
import pytest

from engine.data import read_csv


def written(tmp_path, lines):
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def column(tmp_path, lines, name):
    frame, options = read_csv(written(tmp_path, lines))
    return frame[name].tolist(), options


def test_quoted_decimal_commas_in_a_comma_delimited_file(tmp_path):
    values, options = column(tmp_path, ["date,value", '2020-01-01,"0,107"',
                                        '2020-01-02,"0,114"', '2020-01-03,"12,5"'], "value")
    assert values == [0.107, 0.114, 12.5]
    assert (options.delimiter, options.decimal) == (",", ",")


def test_quoted_thousands_in_a_comma_delimited_file_stay_thousands(tmp_path):
    values, options = column(tmp_path, ["date,value", '2020-01-01,"1,234"',
                                        '2020-01-02,"2,005"', "2020-01-03,17.5"], "value")
    assert values == [1234, 2005, 17.5]
    assert (options.decimal, options.thousands) == (".", ",")


def test_one_column_of_decimal_commas_decides_for_a_column_of_grouped_whole_numbers(
        tmp_path):
    lines = ["Datum;Preis;Menge"] + [f"2020-01-{d:02d};{d},00;8.{600 + d}" for d in
                                     range(1, 11)]
    frame, options = read_csv(written(tmp_path, lines))
    assert (options.decimal, options.thousands) == (",", ".")
    assert frame["Preis"].tolist() == [float(d) for d in range(1, 11)]
    assert frame["Menge"].tolist() == [8600 + d for d in range(1, 11)]


@pytest.mark.parametrize("field,expected", [("1,234", 1.234), ("8.655", 8.655)])
def test_fields_that_read_both_ways_alone_keep_the_mark_they_hold(tmp_path, field,
                                                                  expected):
    values, _ = column(tmp_path, ["a;b", f"1;{field}", f"2;{field}"], "b")
    assert values == [expected, expected]


def test_pandas_reads_a_quoted_decimal_comma_with_a_comma_delimiter(tmp_path):
    path = written(tmp_path, ["a,b", '1,"2,5"'])
    assert pd.read_csv(path, sep=",", decimal=",")["b"].tolist() == [2.5]


def test_a_decimal_comma_further_down_than_the_first_lines_is_read(tmp_path):
    times = pd.date_range("2020-01-01", periods=4400, freq="h").strftime("%Y-%m-%d %H:%M")
    lines = ["time;sales"] + [f"{t};{100 + k % 13}" for k, t in enumerate(times[:4000])]
    lines += [f"{t};{100 + k % 13},5" for k, t in enumerate(times[4000:])]
    frame, options = read_csv(written(tmp_path, lines))
    assert options.decimal == ","
    assert frame["sales"].iloc[0] == 100 and frame["sales"].iloc[-1] == 100 + 399 % 13 + 0.5
    assert frame.attrs["notes"][0].startswith("The numbers were read with the decimal mark "
                                              "',' that a column shows further down")


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_numbers_grouped_by_no_break_spaces_are_read(tmp_path, space):
    lines = ["Date;Montant"] + [f"2020-01-{d:02d};{d}{space}354,51" for d in range(1, 11)]
    frame, options = read_csv(written(tmp_path, lines))
    assert (options.decimal, options.thousands) == (",", " ")
    assert frame["Montant"].tolist() == [d * 1000 + 354.51 for d in range(1, 11)]


def test_an_excel_separator_line_is_named_and_an_empty_target_said_so(tmp_path):
    from engine import EngineError
    from engine.data import DatasetConfig, load_table
    from engine.data.config import VariableSpec

    with pytest.raises(EngineError, match="'sep=;', is a note for Excel, not a header"):
        read_csv(written(tmp_path, ["sep=;", "a;b", "1;2"]))
    table = load_table(written(tmp_path, ["t,y,x", "1,,2", "2,,3", "3,,4"]))
    from engine.data.checks import check_config

    config = DatasetConfig(variables=[VariableSpec("y", "target", "constant"),
                                      VariableSpec("x", "input", "numeric")], lookback=1)
    problems, _ = check_config(table, config)
    assert any("holds no values (every cell is empty)" in p for p in problems)


def test_ip_addresses_leave_the_decimal_point_and_read_no_file_twice(tmp_path, monkeypatch):
    import engine.data.csv_reader as csv_reader

    lines = ["time,client_ip,latency"] + [f"2024-01-01 00:{m:02d},172.140.{m}.110,{m}.5"
                                          for m in range(40)]
    reads = []
    original = pd.read_csv
    monkeypatch.setattr(csv_reader.pd, "read_csv",
                        lambda *a, **k: reads.append(1) or original(*a, **k))
    frame, options = read_csv(written(tmp_path, lines))
    assert (options.decimal, options.thousands) == (".", "")
    assert frame["latency"].tolist() == [m + 0.5 for m in range(40)]
    assert frame["client_ip"].iloc[0] == "172.140.0.110" and len(reads) == 1


@pytest.mark.parametrize("delimiter,decimal,grouped", [(";", ",", "{:,}".format),
                                                      ("\t", ".", "{:,}".format),
                                                      (",", ".", '"{:,}"'.format)])
def test_thousands_that_begin_further_down_keep_the_files_decimal_mark(
        tmp_path, delimiter, decimal, grouped):
    days = pd.date_range("2007-01-01", periods=5000)
    counts = [100 + k * 7 // 20 for k in range(len(days))]           # passes 1,000 late
    german = decimal == ","
    lines = [delimiter.join(["day", "temp", "visitors"])] + [
        delimiter.join([str(day.date()), f"{k % 30}{decimal}{k % 10}",
                        grouped(count).replace(",", ".") if german else grouped(count)])
        for k, (day, count) in enumerate(zip(days, counts))]
    frame, options = read_csv(written(tmp_path, lines))
    assert options.decimal == decimal and options.thousands == ("." if german else ",")
    assert frame["visitors"].tolist() == counts
    assert frame["temp"].iloc[-1] == (len(days) - 1) % 30 + (len(days) - 1) % 10 / 10


@pytest.mark.parametrize("text", ["172.140.100.110", "1.200.300"])
def test_an_address_or_version_on_every_line_stays_text(tmp_path, text):
    lines = ["time,server,latency"] + [f"2024-01-01 00:{m:02d},{text},{m}" for m in range(40)]
    frame, options = read_csv(written(tmp_path, lines))
    assert (options.decimal, options.thousands) == (".", "")
    assert frame["server"].iloc[0] == text and frame.attrs["notes"] == []


def test_a_typo_among_decimal_commas_is_the_cell_named_not_the_first_number(tmp_path):
    """One typo keeps a column of decimal commas as text; the numbers in it are numbers as
    the file writes them, so only the typo is named (it was the first valid number,
    ``1,5``, read as no number with a decimal point)."""
    from engine.data.csv_reader import numbers_as_written, require_numbers
    from engine.errors import EngineError

    path = written(tmp_path, ["t;x;y", "1;1,5;1", "2;2,5;2", "3;abc;3", "4;3,5;4", "5;;5"])
    frame, options = read_csv(path)
    assert options.decimal == ","
    with pytest.raises(EngineError, match=r"Column 'x' holds 'abc' in data row 2, which is "
                                          r"no number \(1 such cell"):
        require_numbers(frame, ["x", "y"], options)
    numbers, no_number = numbers_as_written(frame["x"], ",", "")
    assert numbers.tolist()[:2] == [1.5, 2.5] and numbers.tolist()[3] == 3.5
    assert no_number.tolist() == [False, False, True, False, False]
    with pytest.raises(EngineError, match="holds '1,5' in data row 0"):   # a point file's rule
        require_numbers(frame, ["x"])
