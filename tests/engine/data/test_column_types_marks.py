"""Column types in a file of decimal commas: a column of numbers with one typo is numbers
but for that cell, named with its data row in the file, as in a file of decimal points;
never text of many values, nor dates (the date parser reads ``0,5`` and ``100,000``)."""

import pytest

from engine.data import load_table
from engine.data.column_types import not_a_target

TYPO = ("numbers but for 1 cell, e.g. data row {row} holds 'abc': correct or empty them "
        "to use the column as numbers")


def written(tmp_path, lines):
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def types(table):
    return {c.name: (c.type, c.note) for c in table.columns}


def decimals(k):
    return f"{k},5"


def grouped(k):
    return f"{100 + k},{k:03d}"


@pytest.mark.parametrize("number", [decimals, grouped])
def test_a_typo_among_decimal_commas_is_named_not_taken_for_text_or_dates(tmp_path, number):
    lines = ["x;y"] + [f"{number(k)};{k}" for k in range(40)]
    lines.insert(21, "abc;99")                       # data row 20
    table = load_table(written(tmp_path, lines))
    assert (table.options.decimal, table.options.time_column) == (",", False)
    assert types(table)["x"] == ("text", TYPO.format(row=20))
    assert not_a_target("x", "text", table.columns) == f"Column 'x' holds {TYPO.format(row=20)}."


def test_a_typo_among_decimal_points_is_named_as_before(tmp_path):
    lines = ["x,y"] + [f"{k}.5,{k}" for k in range(40)]
    lines.insert(21, "abc,99")
    table = load_table(written(tmp_path, lines))
    assert table.options.decimal == "." and types(table)["x"] == ("text", TYPO.format(row=20))
    few = load_table(written(tmp_path, ["x,y", "1.5,1", "2.5,2", "abc,3", "3.5,4"]))
    assert types(few)["x"] == ("text", "text with 4 different values, so it is not used")


@pytest.mark.parametrize("sep, mark", [(";", ","), (",", ".")])
def test_a_typo_is_named_by_its_row_in_the_file_after_the_rows_were_sorted(tmp_path, sep,
                                                                           mark):
    """Dates such as 15.01.2020 in a file of decimal commas are still dates; the rows,
    written last to first, are sorted by them, and the typo is named by its place in the
    file, not in the sorted rows."""
    lines = ["date" + sep + "x"] + [f"{d:02d}.01.2020{sep}{d}{mark}5" for d in range(28, 1, -1)]
    lines.append(f"01.01.2020{sep}abc")              # data row 27, first once sorted
    table = load_table(written(tmp_path, lines))
    assert (table.options.decimal, table.options.time_column) == (mark, "date")
    assert table.frame["date"].iloc[0].strftime("%Y-%m-%d") == "2020-01-01"
    assert types(table)["date"][0] == "datetime"
    assert types(table)["x"] == ("text", TYPO.format(row=27))


def test_a_file_whose_only_numbers_have_a_typo_in_decimal_commas_is_a_table(tmp_path):
    """Its column of decimal commas is numbers but for the typo: the file is no table
    without numbers, and its empty cells stay missing, not labels."""
    lines = ["kind;x"] + [f"k{k % 3};{k},5" for k in range(30)] + ["k1;abc", "k2;"]
    table = load_table(written(tmp_path, lines))
    assert types(table)["x"] == ("text", TYPO.format(row=30))
    assert table.frame["x"].isna().sum() == 1


def test_a_table_of_many_series_takes_no_column_of_decimal_commas_for_its_time(tmp_path):
    from engine.data import CsvOptions, read_csv
    from engine.data.column_types import time_within_series

    lines = ["id;x;y"] + [f"{s};{k},5;{k}" for s in "ab" for k in range(30)] + ["b;abc;30"]
    frame, options = read_csv(written(tmp_path, lines), CsvOptions(time_column=False))
    assert options.decimal == ","
    assert time_within_series(frame, "id", ["x"], options) is None


@pytest.mark.parametrize("rows", [20, 200])
@pytest.mark.parametrize("sep, mark", [(";", ","), (",", ".")])
def test_a_typo_among_few_distinct_numbers_is_named_not_taken_for_labels(tmp_path, rows,
                                                                         sep, mark):
    """A column of 0,5 and 1,5 (or 0.5 and 1.5) with one typo is numbers but for that cell,
    as a column of many different numbers is: not three labels one-hot encoded, nor a
    target refused as categorical without a word on the typo."""
    lines = ["x" + sep + "y"] + [f"{k % 2}{mark}5{sep}{k}" for k in range(rows)]
    lines[rows // 2 + 1] = f"abc{sep}{rows // 2}"
    table = load_table(written(tmp_path, lines))
    assert table.options.decimal == mark
    assert types(table)["x"] == ("text", TYPO.format(row=rows // 2))
    assert not_a_target("x", "text", table.columns) == \
        f"Column 'x' holds {TYPO.format(row=rows // 2)}."


def test_whole_numbers_with_one_typo_are_numbers_and_codes_with_a_label_are_labels(
        tmp_path):
    """Counts 0 to 4 with one typo are numbers but for it; codes 1 to 3 beside a word
    written more than once (other), or labels some of which are numbers (a code 7 beside
    north and south), are labels, one-hot encoded; so is a column of two labels."""
    lines = ["n,kind,r,s"] + [f"{k % 5},{k % 3 + 1},{['north', 'south', '7'][k % 3]},"
                              f"{['a', 'b'][k % 2]}" for k in range(40)]
    lines[8] = "abc,other,north,a"                    # data row 7
    lines[20] = "4,other,north,a"
    table = load_table(written(tmp_path, lines))
    assert types(table)["n"] == ("text", TYPO.format(row=7))
    assert [types(table)[name][0] for name in ("kind", "r", "s")] == \
        ["categorical", "categorical", "binary"]
