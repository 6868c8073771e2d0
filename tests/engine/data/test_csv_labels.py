"""Labels that pandas would read as missing: in a column of labels (a category, the names
of many series) ``NA``, ``None``, ``null`` ... are values as written, and only an empty
cell is missing; in a column of numbers they are still missing values."""

import io

import numpy as np
import pandas as pd

from engine.data.csv_reader import read_csv
from engine.data.pipeline import load_table
from engine.many.series_data import load_series


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return path


def _regions(tmp_path):
    """40 years; ``y`` numbers with ``NA`` and ``null`` for two missing values, ``kind``
    four labels of which ``NA`` and ``None``, ``z`` numbers with ``NA`` twice and one
    typo."""
    kinds = ["NA", "EU", "None", "AS"]
    rows = ["year,y,kind,z"]
    for i in range(40):
        y = {5: "NA", 9: "null"}.get(i, str(i * 1.5))
        z = {3: "NA", 4: "NA", 7: "x1"}.get(i, str(i))
        rows.append(f"{2000 + i},{y},{kinds[i % 4]},{z}")
    return _write(tmp_path / "regions.csv", rows)


def test_a_category_na_is_a_level_and_na_among_numbers_is_missing(tmp_path):
    table = load_table(_regions(tmp_path))
    columns = {c.name: c for c in table.columns}
    assert columns["kind"].type == "categorical" and columns["kind"].n_missing == 0
    assert columns["kind"].categories == ["AS", "EU", "NA", "None"]
    assert table.frame["kind"].tolist()[:4] == ["NA", "EU", "None", "AS"]
    assert columns["y"].type == "numeric" and columns["y"].n_missing == 2
    assert np.isnan(table.frame["y"].to_numpy()[[5, 9]]).all()


def test_na_in_numbers_with_a_typo_stays_missing_and_the_typo_is_named(tmp_path):
    """A column of numbers but for a mistake is numbers, not labels: its ``NA`` cells are
    missing, and its note names the mistake, not an ``NA``."""
    column = {c.name: c for c in load_table(_regions(tmp_path)).columns}["z"]
    assert column.type == "text" and column.n_missing == 2
    assert "1 cell," in column.note and "'x1'" in column.note


def test_na_among_true_and_false_is_a_missing_truth_value(tmp_path):
    """R writes ``NA`` for an unknown logical value: the column stays binary with two
    missing cells, not a category of three labels."""
    rows = ["y,flag"] + [f"{i},{'NA' if i in (4, 9) else ('TRUE' if i % 2 else 'FALSE')}"
                         for i in range(30)]
    column = {c.name: c for c in load_table(_write(tmp_path / "flags.csv", rows)).columns}
    assert column["flag"].type == "binary" and column["flag"].n_missing == 2


def test_an_empty_label_cell_is_still_missing(tmp_path):
    path = _write(tmp_path / "empty.csv", ["y,kind", "1,NA", "2,", "3,EU", "4,  ", "5,NA",
                                           "6,EU"])
    frame, _ = read_csv(path)
    assert frame["kind"].isna().tolist() == [False, True, False, True, False, False]
    assert frame["kind"].iloc[0] == "NA"


def test_labels_are_given_back_on_their_rows_when_the_rows_are_sorted_by_time(tmp_path):
    path = _write(tmp_path / "unsorted.csv", [
        "date,y,kind", "2020-03-01,3,NA", "2020-01-01,1,EU", "2020-02-01,2,None",
        "2020-04-01,4,EU"])
    frame, options = read_csv(path)
    assert options.time_column == "date" and frame["date"].is_monotonic_increasing
    assert frame["y"].tolist() == [1, 2, 3, 4]
    assert frame["kind"].tolist() == ["EU", "None", "NA", "EU"]


def _countries(tmp_path):
    """Three series, NA (North America, one missing sales value written NA), None and DE,
    four months each."""
    rows = ["country,month,sales"]
    for name, level in (("NA", 10), ("None", 20), ("DE", 30)):
        rows += [f"{name},{m},{'NA' if (name, m) == ('NA', 3) else level + m}"
                 for m in range(1, 5)]
    return _write(tmp_path / "countries.csv", rows)


def test_series_named_na_and_none_keep_their_rows(tmp_path):
    path = _countries(tmp_path)
    data = load_series(path, "country", ["sales"], time_column="month")
    assert data.ids == ["NA", "None", "DE"]
    assert data.lengths.tolist() == [4, 4, 4]
    assert np.isnan(data.history(0)).tolist() == [False, False, True, False]
    assert data.history(1).tolist() == [21, 22, 23, 24]
    table = load_table(path)                         # as the data page reads the file
    assert table.with_text_column("country")["country"].tolist()[:5] == \
        ["NA", "NA", "NA", "NA", "None"]


def test_series_numbered_with_a_series_na_keep_it(tmp_path):
    """Codes that are numbers, and one series written NA: read as the file writes them."""
    path = _write(tmp_path / "codes.csv", ["id,v", "001,1", "001,2", "NA,3", "NA,4",
                                           "002,5", "002,6"])
    data = load_series(path, "id", ["v"])
    assert data.ids == ["001", "NA", "002"] and data.lengths.tolist() == [2, 2, 2]


def test_a_column_written_na_in_every_cell_stays_missing_but_names_a_series(tmp_path):
    """Nothing tells a column of only ``NA`` labels from numbers not known yet (the target
    of a file to predict, written ``NA`` by R): it reads as missing, as numbers do. Named
    as the series column, it is read as written: a file of the one country ``NA``."""
    path = _write(tmp_path / "one.csv", ["country,kind,empty,y,later", "NA,None,,1,NA",
                                         "NA,None,,2,NA", "NA,,,3,NaN"])
    frame, _ = read_csv(path)
    for name in ("country", "kind", "empty", "later"):
        assert frame[name].isna().all() and frame[name].dtype == float, name
    assert frame["y"].tolist() == [1, 2, 3]
    data = load_series(path, "country", ["y"])
    assert data.ids == ["NA"] and data.lengths.tolist() == [3]


def test_a_binary_column_read_where_only_one_of_its_labels_appears():
    from engine.data.column_types import binary_codes

    column = pd.Series(["GM", "GM", None, "GE"])
    assert np.array_equal(binary_codes(column, ["GM"]), [0, 0, np.nan, np.nan],
                          equal_nan=True)
    assert np.array_equal(binary_codes(column, ["GE", "GM"]), [1, 1, np.nan, 0],
                          equal_nan=True)
    assert np.array_equal(binary_codes(pd.Series([3, 3, 7]), [3]), [0, 0, np.nan],
                          equal_nan=True)


def test_a_fit_whose_backtest_sees_one_label_of_a_binary_input(tmp_path):
    from engine.cli.main import main

    years = list(range(1935, 1965))
    frame = pd.DataFrame({"firm": ["GM"] * 30 + ["GE"] * 30, "year": years * 2,
                          "invest": np.r_[np.arange(30.0), np.arange(30.0) / 2]})
    frame.to_csv(tmp_path / "two.csv", index=False)
    out, err = io.StringIO(), io.StringIO()
    code = main(["fit", str(tmp_path / "two.csv"), "--target", "invest", "--epochs", "1",
                 "--hidden", "2", "--lookback", "4", "--out", str(tmp_path / "m.npz")],
                out=out, err=err)
    assert code == 0, err.getvalue()
    assert "all inputs, lookback 4" in out.getvalue()


def _coded(path, empty=None, written="{}"):
    """40 years of ``y`` beside a flag ``flag`` (0, 1), codes ``code`` (1, 2), a column
    ``one`` that is 1 throughout and ``half`` (0.5, 1.5), each written ``written`` and
    empty in the row ``empty``."""
    rows = ["year,y,flag,code,one,half"]
    for i in range(40):
        cells = ("" if i == empty else written.format(v) for v in (i % 2, 1 + i % 2, 1))
        half = "" if i == empty else str(0.5 + i % 2)
        rows.append(f"{2000 + i},{i * 1.5 + i % 3},{','.join(cells)},{half}")
    return _write(path, rows)


def test_whole_codes_with_an_empty_cell_keep_their_labels(tmp_path):
    """A column of whole codes with an empty cell, read as decimals, said "'1.0' is coded
    0, '2.0' is 1" (and "every value is 1.0"), where the column without it says '1' and
    '2'; decimals that are not whole keep theirs."""
    from engine.data.column_types import classify_columns

    shown = {}
    for empty in (None, 7):
        frame, options = read_csv(_coded(tmp_path / f"codes{empty}.csv", empty))
        shown[empty] = {c.name: ([repr(label) for label in c.categories], c.note)
                        for c in classify_columns(frame, "year", options)}
    assert shown[7] == shown[None]
    assert shown[7]["flag"] == (["0", "1"], "two values: 0 is coded 0, 1 is 1")
    assert shown[7]["code"] == (["1", "2"], "two values: 1 is coded 0, 2 is 1")
    assert shown[7]["one"][1].startswith("every value is 1, so")
    assert shown[7]["half"] == (["0.5", "1.5"], "two values: 0.5 is coded 0, 1.5 is 1")


def test_a_model_trained_on_codes_with_an_empty_cell_reads_them_written_either_way(tmp_path):
    """The model keeps the labels 1 and 2 of a column read as decimals, and reads new data
    written ``1``, ``2`` or ``1.0``, ``2.0`` as the same codes; a third label is one it was
    not trained on."""
    from helpers.command_line import run

    from engine.model.model_file import load_model

    model = tmp_path / "m.npz"
    status, _, err = run("fit", _coded(tmp_path / "train.csv", 7), "--target", "y", "--input",
                         "code", "--epochs", "1", "--hidden", "2", "--lookback", "4",
                         "--out", model)
    assert status == 0, err
    code = [v for v in load_model(model).preprocessing.variables if v["name"] == "code"][0]
    assert (code["type"], [repr(label) for label in code["categories"]]) == \
        ("binary", ["1", "2"])
    third = pd.read_csv(_coded(tmp_path / "third.csv"))
    third.loc[20, "code"] = 3
    third.to_csv(tmp_path / "third.csv", index=False)
    predicted, said = {}, {}
    for written in ("{}", "{}.0", "third"):
        path = tmp_path / "third.csv" if written == "third" else \
            _coded(tmp_path / f"new{len(written)}.csv", written=written)
        status, said[written], err = run("predict", model, path, "--out", tmp_path / "p.csv")
        assert status == 0, err
        predicted[written] = pd.read_csv(tmp_path / "p.csv")["y_predicted"]
    assert predicted["{}"].notna().sum() > 30
    assert predicted["{}"].equals(predicted["{}.0"])
    assert "not trained on" not in said["{}"] + said["{}.0"]
    assert "1 label the model was not trained on (code: '3')" in said["third"]


def test_a_category_matches_a_cell_of_numbers_as_a_number_and_text_as_written():
    """The label '1' is the cell 1.0 of a column read as decimals and the cell 1 of one
    read as whole numbers, but not the text '01' nor '1.0' of a column of text (codes
    written apart stay apart)."""
    from engine.data.column_types import binary_codes, label_matches

    numbers = pd.Series([1.0, 2.0, None, 1.0])
    np.testing.assert_array_equal(label_matches(numbers, "1"), [True, False, False, True])
    np.testing.assert_array_equal(label_matches(pd.Series([1, 2]), "2"), [False, True])
    texts = pd.Series(["1", "01", "1.0", None, "x"], dtype=object)
    np.testing.assert_array_equal(label_matches(texts, "1"),
                                  [True, False, False, False, False])
    np.testing.assert_array_equal(label_matches(texts, "x"),
                                  [False, False, False, False, True])
    np.testing.assert_array_equal(binary_codes(numbers, ["1", "2"]), [0, 1, np.nan, 0])
    for not_read_so in ("1_000", "\uff11", "0x1"):      # float() takes them, pandas does not
        assert not label_matches(pd.Series([1000.0, 1.0]), not_read_so).any()


def test_codes_too_large_for_a_decimal_to_hold_exactly_keep_their_written_form():
    """Whole decimals beyond 2**53 are not turned into their digits when a cell is empty
    (1e20 gave '100000000000000000000')."""
    from engine.data.column_types import static_text

    assert list(static_text(pd.Series([1e20, None, 3.0]))[[0, 2]]) == ["1e+20", "3.0"]
    assert list(static_text(pd.Series([1.0, None, 3.0]))[[0, 2]]) == ["1", "3"]
