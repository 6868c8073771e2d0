"""Many series in one long-format table (engine.many.series_data): the order of the series
and of their rows, the segments, the errors a wrong file or wrong columns give, and the
reading of a CSV file whose times repeat from series to series."""

import re

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many.series_data import from_frame, load_series


def test_series_keep_the_order_of_their_first_appearance():
    frame = pd.DataFrame({"id": ["b", "c", "a", "b", "a", "c"],
                          "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    data = from_frame(frame, "id", ["y"])
    assert data.ids == ["b", "c", "a"]
    assert data.starts.tolist() == [0, 2, 4, 6]
    assert data.lengths.tolist() == [2, 2, 2]
    # without a time column the rows of each series stay in file order
    assert data.history(0).tolist() == [1.0, 4.0]
    assert data.history(1).tolist() == [2.0, 6.0]
    assert data.history(2).tolist() == [3.0, 5.0]
    assert data.series_of_rows().tolist() == [0, 0, 1, 1, 2, 2]


def test_rows_are_sorted_by_time_within_each_series():
    frame = pd.DataFrame({"id": ["b", "b", "a", "a", "b"], "t": [2, 1, 2, 1, 3],
                          "y": [20.0, 10.0, 2.0, 1.0, 30.0]})
    data = from_frame(frame, "id", ["y"], time_column="t")
    assert data.ids == ["b", "a"]
    assert data.history(0).tolist() == [10.0, 20.0, 30.0]
    assert data.history(1).tolist() == [1.0, 2.0]
    assert data.times.tolist() == [1, 2, 3, 1, 2]
    assert data.segment.tolist() == [0, 0, 0, 1, 1]
    assert data.notes == []


def test_dates_written_day_first_are_read_as_one_series_reads_them():
    """Weeks written 03/01/2022, 10/01/2022, 17/01/2022: read day first, as one series'
    time column is; they were refused as 'no date or time ('17/01/2022')'."""
    weeks = ["03/01/2022", "10/01/2022", "17/01/2022", "24/01/2022"]
    frame = pd.DataFrame({"id": ["a"] * 4 + ["b"] * 4, "week": weeks * 2,
                          "y": np.arange(8.0)})
    data = from_frame(frame, "id", ["y"], time_column="week")
    assert [str(t.date()) for t in data.times[:4]] == \
        ["2022-01-03", "2022-01-10", "2022-01-17", "2022-01-24"]
    assert data.time_step() == {"unit": "nanoseconds", "size": 7 * 86400 * 10 ** 9}


@pytest.mark.parametrize("offset", [lambda t: t.strftime("%z")[:3] + ":00",
                                    lambda t: t.strftime("%z")[:3]], ids=["+01:00", "+01"])
def test_zoned_times_written_day_first_are_read_as_one_series_reads_them(offset):
    """Days written 01/03/2021 00:00+01:00 (or +01), 02/03/2021 ... across a change of
    summer time: read day first and in UTC, kept in the zone they were written in; they
    were refused as 'no date or time ('13/03/2021 00:00+01:00')', as pandas read the first
    one month first. Written from 20/03/2021 with offsets of hours alone, pandas read each
    alone, 08/04/2021 as 4 August, in one series too."""
    from engine.data.column_types import parse_time

    for first in ("2021-03-01", "2021-03-20"):
        local = pd.date_range(first, periods=35, freq="D", tz="Europe/Berlin")
        texts = [t.strftime("%d/%m/%Y %H:%M") + offset(t) for t in local]
        frame = pd.DataFrame({"id": ["a"] * 35 + ["b"] * 35, "day": texts * 2,
                              "y": np.arange(70.0)})
        data = from_frame(frame, "id", ["y"], time_column="day")
        assert [str(data.times[k]) for k in (0, 34)] == \
            [str(local[0]), str(local[34])]                       # Berlin's zone
        one = parse_time(pd.Series(texts), "day")
        assert (one == pd.Series(local.tz_convert("UTC").tz_localize(None))).all()
        assert (pd.DatetimeIndex(data.times[:35]).tz_convert(None) == one).all()


def test_an_input_with_empty_cells_is_named_with_what_it_costs():
    """An input empty in a few rows of two series: the windows that hold them train and
    forecast nothing, which the fit showed only as series 'the network could not read'."""
    frame = pd.DataFrame({"id": ["a"] * 4 + ["b"] * 4 + ["c"] * 4, "y": np.arange(12.0),
                          "price": [1.0, np.nan, 2.0, 3.0, 1.0, 1.0, 1.0, 1.0,
                                    np.nan, np.nan, 2.0, 2.0]})
    data = from_frame(frame, "id", ["y"], inputs=["price"])
    assert data.notes == [
        "'price' is empty in 3 rows of 2 series (e.g. 'a'): no window that holds such a row "
        "trains the network, and a series whose latest window holds one gets its own "
        "seasonal naive forecast. Fill those cells in, or leave that input out."]
    assert from_frame(frame.fillna(0.0), "id", ["y"], inputs=["price"]).notes == []


def test_a_time_gap_starts_a_new_segment_inside_a_series():
    days = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-06",
                           "2020-01-07", "2020-01-01", "2020-01-02"])
    frame = pd.DataFrame({"id": ["a"] * 5 + ["b"] * 2, "day": days,
                          "y": np.arange(7.0)})
    data = from_frame(frame, "id", ["y"], time_column="day")
    # series a: 3 days, a gap of 3 days, 2 days; series b starts a segment of its own
    assert data.segment.tolist() == [0, 0, 0, 1, 1, 2, 2]
    assert any("1 gap in time" in note for note in data.notes)


def test_without_a_time_column_each_series_is_one_segment():
    frame = pd.DataFrame({"id": ["a", "a", "b", "b", "b"], "y": np.arange(5.0)})
    assert from_frame(frame, "id", ["y"]).segment.tolist() == [0, 0, 1, 1, 1]


def test_a_time_repeated_in_one_series_names_the_series():
    frame = pd.DataFrame({"id": ["a", "a", "s7", "s7", "s7"], "t": [1, 2, 1, 2, 2],
                          "y": np.arange(5.0)})
    with pytest.raises(EngineError, match=r"Series 's7' has the time 2 twice \(data rows 3 "
                                          r"and 4\); each series may have one row per time"):
        from_frame(frame, "id", ["y"], time_column="t")


@pytest.mark.parametrize("start, zone, example", [
    ("2021-10-30 20:00", "Europe/Berlin", "2021-10-31 02:00:00+02:00, then 02:00:00+01:00 "
                                          "in Berlin"),
    ("2021-11-06 20:00", "America/New_York", "2021-11-07 01:00:00-04:00, then "
                                             "01:00:00-05:00 in New York")])
def test_the_hour_local_clocks_repeat_in_autumn_is_named_with_the_advice_of_one_series(
        start, zone, example):
    """Local times without an offset hold the hour that clocks repeat when summer time
    ends twice: the series and its data rows are named, with what to do, as one series
    says it (:data:`~engine.data.time_steps.CLOCKS_SET_BACK`), the example written with
    the offsets of the zone that repeats the series' own time."""
    local = pd.date_range(start, periods=12, freq="h", tz=zone).tz_localize(None)
    frame = pd.DataFrame({"id": ["a"] * 3 + ["b"] * 12,
                          "t": list(local[:3]) + list(local), "y": np.arange(15.0)})
    twice = local[local.duplicated()][0]
    first = 3 + int(np.flatnonzero(local == twice)[0])
    with pytest.raises(EngineError, match=rf"^Series 'b' holds {twice} twice \(data rows "
                                          rf"{first} and {first + 1}\), as local clocks do in "
                                          rf"the night summer time ends.*write the times with "
                                          rf"their offset from UTC \(e\.g\. "
                                          rf"{re.escape(example)}\) or in UTC"):
        from_frame(frame, "id", ["y"], time_column="t")


@pytest.mark.parametrize("columns, words", [
    (dict(series_column="id", targets=["nope"]), "Unknown column(s) 'nope'"),
    (dict(series_column="who", targets=["y"]), "Unknown column(s) 'who'"),
    (dict(series_column="id", targets=["y"], inputs=["x"], time_column="when"),
     "Unknown column(s) 'when'"),
    (dict(series_column="id", targets=["y"], inputs=["y"]), "'y' has two roles"),
    (dict(series_column="id", targets=["id"]), "'id' has two roles"),
    (dict(series_column="id", targets=[]), "at least one target"),
])
def test_wrong_columns_give_clear_errors(columns, words):
    frame = pd.DataFrame({"id": ["a", "a"], "y": [1.0, 2.0], "x": [0.0, 1.0]})
    with pytest.raises(EngineError) as error:
        from_frame(frame, **columns)
    assert words in str(error.value)


def test_unknown_column_error_lists_the_file_columns():
    frame = pd.DataFrame({"id": ["a"], "y": [1.0]})
    with pytest.raises(EngineError, match="the file's columns are: 'id', 'y'"):
        from_frame(frame, "id", ["sales"])


def test_an_empty_series_identifier_is_an_error_with_the_count():
    frame = pd.DataFrame({"id": ["a", None, "b", None], "y": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(EngineError, match=r"'id' is empty in 2 rows \(data rows 1 and 3\);"):
        from_frame(frame, "id", ["y"])


def test_a_text_value_in_a_target_is_named():
    frame = pd.DataFrame({"id": ["a", "a", "a"], "y": ["1", "two", "3"]})
    with pytest.raises(EngineError, match="Column 'y' holds 'two' in data row 1, which is no "
                                          "number.*or give the column another role"):
        from_frame(frame, "id", ["y"])


def test_a_missing_target_value_is_nan_not_an_error():
    frame = pd.DataFrame({"id": ["a", "a", "a"], "y": [1.0, None, 3.0]})
    values = from_frame(frame, "id", ["y"]).history(0)
    assert values[0] == 1.0 and np.isnan(values[1]) and values[2] == 3.0


def test_a_time_that_is_no_time_is_named():
    frame = pd.DataFrame({"id": ["a", "a"], "t": ["2020-01-01", "soon"], "y": [1.0, 2.0]})
    with pytest.raises(EngineError, match="'t' has a value that is no date or time "
                                          r"\('soon'\) in data row 1"):
        from_frame(frame, "id", ["y"], time_column="t")


def test_an_empty_time_cell_is_named_with_its_data_rows():
    """It was refused as "a value that is no date or time (nan)", naming no row."""
    frame = pd.DataFrame({"id": ["a", "a", "b", "b"], "t": ["2020-01-01", None, None,
                                                            "2020-01-02"],
                          "y": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(EngineError, match="'t' has empty cells in data rows 1 and 2, and "
                                          "every row of many series needs its time"):
        from_frame(frame, "id", ["y"], time_column="t")


def test_a_time_column_mixing_zoned_and_plain_times_is_named_so():
    """One time with an offset among times without: it was refused as "a value that is no
    date or time ('2021-03-29 12:00')", a plain time; zoned times of two series are
    sorted in time within each (as int64, not as Timestamps one by one)."""
    frame = pd.DataFrame({"id": ["a", "a", "a"], "y": [1.0, 2.0, 3.0],
                          "t": ["2021-03-29 12:00", "2021-03-29 13:00+02:00",
                                "2021-03-29 14:00"]})
    with pytest.raises(EngineError, match=re.escape(
            "'t' mixes times written with a zone or offset (the first in row 1: '2021-03-29 "
            "13:00+02:00') and times written without (the first in row 0: '2021-03-29 "
            "12:00'); write every time with its offset from UTC, or every one in UTC")):
        from_frame(frame, "id", ["y"], time_column="t")
    frame["t"] = ["2021-03-29 12:00", "2021-03-29 13:00", "2021-03-29 14:00+02:00"]
    with pytest.raises(EngineError, match=re.escape(       # the last zoned
            "mixes times written with a zone or offset (the first in row 2: '2021-03-29 "
            "14:00+02:00')")):
        from_frame(frame, "id", ["y"], time_column="t")
    frame["t"] = ["2021-03-29 12:00+02:00", "2021-03-29 09:00Z", "2021-03-29 11:00+02:00"]
    frame["id"] = ["a", "b", "a"]
    data = from_frame(frame, "id", ["y"], time_column="t")
    assert data.targets[:, 0].tolist() == [3.0, 1.0, 2.0]
    assert [str(t) for t in data.times] == ["2021-03-29 11:00:00+02:00",    # the latest's
                                            "2021-03-29 12:00:00+02:00",    # offset
                                            "2021-03-29 11:00:00+02:00"]


def test_load_series_reads_times_that_repeat_across_series(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("id,date,y,x\n"
                    "a,2020-01-02,2,20\n"
                    "b,2020-01-01,30,1\n"
                    "a,2020-01-01,1,10\n"
                    "b,2020-01-02,40,2\n"
                    "a,2020-01-03,3,30\n")
    data = load_series(path, "id", ["y"], inputs=["x"], time_column="date")
    assert data.ids == ["a", "b"]
    assert data.targets[:, 0].tolist() == [1.0, 2.0, 3.0, 30.0, 40.0]
    assert data.inputs[:, 0].tolist() == [10.0, 20.0, 30.0, 1.0, 2.0]
    assert [str(t.date()) for t in data.times] == ["2020-01-01", "2020-01-02", "2020-01-03",
                                                   "2020-01-01", "2020-01-02"]
    assert data.segment.tolist() == [0, 0, 0, 1, 1]
    assert data.series_column == "id" and data.time_column == "date"


def test_a_header_line_repeated_among_many_series_is_named(tmp_path):
    from helpers.command_line import run

    path = tmp_path / "joined.csv"
    path.write_text("id,date,y\na,2020-01-01,1\na,2020-01-02,2\nid,date,y\n"
                    "b,2020-01-01,3\nb,2020-01-02,4\n")
    status, _, err = run("fit", path, "--series", "id", "--target", "y",
                         "--out", tmp_path / "m.npz")
    assert status != 0 and "Line 4 (data row 2) repeats the header line 'id,date,y'" in err
    assert "no date or time" not in err


def test_load_series_without_a_time_column_keeps_file_order(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("id,y\nH2,5\nH1,1\nH2,6\nH1,2\n")
    data = load_series(path, "id", ["y"])
    assert data.ids == ["H2", "H1"]
    assert data.targets[:, 0].tolist() == [5.0, 6.0, 1.0, 2.0]
    assert data.times is None
    assert data.describe() == "2 series of 2 rows each, 4 rows in all"


def test_series_of_one_length_are_described_without_a_range(tmp_path):
    """Series of equal length read "of 20 rows each", not "of 20 to 20 rows (median 20)";
    lengths that differ keep their range and median."""
    rows = "".join(f"{k},{v}\n" for k in "ab" for v in range(20))
    equal, unequal = tmp_path / "equal.csv", tmp_path / "unequal.csv"
    equal.write_text("id,y\n" + rows)
    unequal.write_text("id,y\n" + rows + "c,1\n")
    assert load_series(equal, "id", ["y"]).describe() == \
        "2 series of 20 rows each, 40 rows in all"
    assert load_series(unequal, "id", ["y"]).describe() == \
        "3 series of 1 to 20 rows (median 20), 41 rows in all"


def test_series_identifiers_are_read_as_the_file_writes_them(tmp_path):
    """Identifiers that look like numbers keep their text (``001``, ``3.10``, codes of 20
    digits), in a file of such identifiers only and in one that mixes them with words:
    the same series has the same name in every file."""
    codes = ["001", "3.10", "12345678901234567890", "98765432109876543210"]  # < and > 2^64
    rows = [f"{code},{t},{t * 1.5 + i}" for i, code in enumerate(codes) for t in range(4)]
    only_numbers = tmp_path / "numbers.csv"
    only_numbers.write_text("id,t,y\n" + "\n".join(rows) + "\n")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("id,t,y\n" + "\n".join(rows + ["north,0,1", "north,1,2"]) + "\n")
    for path, extra in ((only_numbers, []), (mixed, ["north"])):
        data = load_series(path, "id", ["y"], time_column="t")
        assert data.ids == codes + extra
        assert data.lengths.tolist() == [4] * 4 + [2] * len(extra)
        assert data.history(2).tolist() == [2.0, 3.5, 5.0, 6.5]


def test_a_project_table_gives_the_series_the_files_text(tmp_path):
    """The project's path (a loaded table) names the series as load_series does, also when
    the reader sorted the rows by a time column."""
    from engine.data.pipeline import load_table

    path = tmp_path / "numbers.csv"
    path.write_text("id,y\n010,1\n010,2\n002,3\n002,4\n")
    table = load_table(path)
    assert table.frame["id"].tolist() == [10, 10, 2, 2]       # read as numbers at first
    assert table.with_text_column("id")["id"].tolist() == ["010", "010", "002", "002"]
    assert table.frame["id"].tolist() == [10, 10, 2, 2]       # the table is left as it is
    assert load_series(path, "id", ["y"]).ids == ["010", "002"]
    shuffled = tmp_path / "sorted.csv"            # one series' days, out of order
    shuffled.write_text("day,id,y\n2024-01-03,007,3\n2024-01-01,001,1\n2024-01-02,010,2\n")
    table = load_table(shuffled)
    assert table.frame["day"].is_monotonic_increasing
    assert table.with_text_column("id")["id"].tolist() == ["001", "010", "007"]
    assert table.with_text_column("id")["y"].tolist() == [1, 2, 3]


def test_a_model_that_named_series_by_their_numbers_knows_them_by_the_files_text():
    """Models saved before identifiers were read as text named ``001`` "1" (and ``3.10``
    "3.1"): they still find those series in the same file."""
    from types import SimpleNamespace

    from engine.many.global_model import GlobalModel, earlier_names, matched_numbers

    assert earlier_names("001") == ["1.0", "1"] and earlier_names("3.10") == ["3.1"]
    assert earlier_names("north") == []
    old = SimpleNamespace(ids=["1", "3.1", "north"], names_read_as_numbers=True)
    data = SimpleNamespace(ids=["north", "001", "3.10"])
    assert GlobalModel.series_numbers(old, data).tolist() == [2, 0, 1]
    with pytest.raises(EngineError, match="new to it"):
        GlobalModel.series_numbers(old, SimpleNamespace(ids=["002"]))
    # one series of the model is one of the file's: the name as written, else the first
    # earlier form; "01" and "1.0" beside "1" were all forecast as sensor 1
    assert matched_numbers(old.ids, ["01", "1", "1.0"], earlier=True) == [None, 0, None]
    assert matched_numbers(old.ids, ["01", "1.0"], earlier=True) == [0, None]


def test_a_model_that_names_series_as_the_file_writes_them_matches_them_so(tmp_path):
    """``01`` and ``1.0`` in a file forecast by a model of sensors 1 to 3 were matched to
    sensor 1 (forecast with its scaling, and said to be far outside its values)."""
    from helpers.many_series import long_frame, seasonal

    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings
    from engine.many.model_series import model_series
    from engine.many.series_data import from_frame

    frame = long_frame({str(k): seasonal(60, 10 * k, k) for k in (1, 2, 3)})
    model = fit_global(from_frame(frame, "id", ["y"]),
                       GlobalSettings(horizon=2, season=4, hidden_sizes=(4,), max_epochs=1))
    assert model.settings["names_as_written"] is True and not model.names_read_as_numbers
    assert model.numbers_of(["3", "01", "1.0", "1"]) == [2, None, None, 0]
    renamed = frame.assign(id=frame["id"].map({"1": "01", "2": "2", "3": "3.0"}))
    known, notes = model_series(model, from_frame(renamed, "id", ["y"]))
    assert known.ids == ["2"] and len(notes) == 2
    assert notes[0].startswith("2 series in the data are new to the model: 01 and 3.0")
    assert notes[1].startswith("2 series the model was trained on are not in the data: 1 "
                               "and 3")


def test_a_file_changed_since_it_was_loaded_is_said_not_misread(tmp_path):
    from engine.data.pipeline import load_table

    path = tmp_path / "numbers.csv"
    path.write_text("id,y\n010,1\n010,2\n002,3\n")
    table = load_table(path)
    path.write_text("id,y\n003,0\n010,1\n010,2\n002,3\n")       # a row added before them
    with pytest.raises(EngineError, match="changed since it was loaded; load it again"):
        table.with_text_column("id")


def test_codes_beyond_64_bits_keep_001_and_1_apart(tmp_path):
    """A code above 2^64 makes the reader hold the column as Python integers, not text:
    ``001`` and ``1`` are still two series."""
    path = tmp_path / "ids.csv"
    path.write_text("id,v\n001,1\n001,2\n1,3\n1,4\n98765432109876543210,5\n"
                    "98765432109876543210,6\n")
    data = load_series(path, "id", ["v"])
    assert data.ids == ["001", "1", "98765432109876543210"]
    assert data.lengths.tolist() == [2, 2, 2]


def test_years_that_repeat_from_series_to_series_are_found_as_the_time(tmp_path):
    from engine.many.series_data import DETECT, load_series

    path = tmp_path / "panel.csv"
    pd.DataFrame({"firm": ["A"] * 5 + ["B"] * 5,
                  "year": list(range(1935, 1940)) * 2,
                  "invest": np.arange(10.0),
                  "value_per_year": np.arange(10.0) % 3}).to_csv(path, index=False)
    data = load_series(path, "firm", ["invest"], time_column=DETECT)
    assert data.time_column == "year" and data.times.tolist() == list(range(1935, 1940)) * 2


def _decimal_commas_with_a_typo(tmp_path):
    """Two monthly series in a file of ``;`` and decimal commas, ``y`` of data row 45
    (series B's 6th row) written ``abc``."""
    from helpers.many_series import monthly_csv

    frame = pd.read_csv(monthly_csv(tmp_path / "points.csv",
                                    {"A": (40, "2020-01-01"), "B": (36, "2020-03-01")}))
    frame["y"] = frame["y"].map(lambda v: f"{v:.3f}".replace(".", ","))
    frame.loc[45, "y"] = "abc"
    path = tmp_path / "commas.csv"
    frame.to_csv(path, sep=";", index=False)
    return path


def test_a_typo_among_decimal_commas_is_named_by_itself(tmp_path):
    """One typo keeps a column of decimal commas as text: its numbers are read with the
    file's decimal mark, so the typo and its row are named, not the first number."""
    path = _decimal_commas_with_a_typo(tmp_path)
    with pytest.raises(EngineError, match=r"Column 'y' holds 'abc' in data row 45, which is "
                                          r"no number \(1 such cell"):
        load_series(path, "id", ["y"], time_column="month")
    text = path.read_text().replace("abc", "12,5")
    path.write_text(text)
    data = load_series(path, "id", ["y"], time_column="month")
    assert data.targets[45, 0] == 12.5 and np.isfinite(data.targets).all()


def test_lines_of_delimiters_alone_are_no_rows_and_the_others_keep_their_data_rows(tmp_path):
    """A spreadsheet's export that ends in ``,,`` lines was refused: "The series column
    'store' is empty in 2 rows"; the single-series reader takes such a file. A row that
    names no series but holds values is still refused, by its data row."""
    path = tmp_path / "sheet.csv"
    path.write_text("store,week,sales\nA,2021-01-11,2\n,,\nB,2021-01-04,5\nA,2021-01-04,1\n"
                    "B,2021-01-11,6\n,,\n,,\n\n")
    data = load_series(path, "store", ["sales"], time_column="week")
    assert data.ids == ["A", "B"] and data.lengths.tolist() == [2, 2]
    assert data.targets[:, 0].tolist() == [1, 2, 5, 6]
    # the data row of each value, blank lines counted, for predict to write it beside it
    assert data.file_rows.tolist() == [3, 0, 2, 4]
    unnamed = tmp_path / "unnamed.csv"
    unnamed.write_text("store,week,sales\nA,2021-01-04,1\n,2021-01-11,2\n,,\n")
    with pytest.raises(EngineError, match=r"empty in 1 row \(data row 1\); every row"):
        load_series(unnamed, "store", ["sales"], time_column="week")


def test_names_that_differ_only_by_spaces_are_two_series_and_said_so():
    frame = pd.DataFrame({"id": ["S1", "S1 ", "S1", "S2", " S2", "S3"],
                          "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    data = from_frame(frame, "id", ["y"])
    assert data.ids == ["S1", "S1 ", "S2", " S2", "S3"]
    assert data.notes == ["Series names that differ only by spaces before or after them are "
                          "read as other series: 'S1' and 'S1 '; 'S2' and ' S2'. Where they "
                          "name one, remove the spaces in the column 'id'."]
    assert from_frame(frame[frame["id"].isin(["S1", "S3"])], "id", ["y"]).notes == []


def test_lines_of_delimiters_alone_leave_a_year_and_quarter_and_the_rows_named_as_written(
        tmp_path):
    """After ``,,`` lines a time of a year and a quarter was refused ("'year' holds nan in
    data row 8") or, found by itself, not found; messages named the rows after them
    without counting them."""
    path = tmp_path / "quarters.csv"
    lines = ["id,year,quarter,y"] + [f"{s},{2000 + k // 4},{k % 4 + 1},{k + 1}"
                                     for s in "ab" for k in range(4)] + [",,,", ",,,"]
    path.write_text("\n".join(lines) + "\n")
    from engine.many.series_data import DETECT

    found = load_series(path, "id", ["y"], time_column=DETECT)
    named = load_series(path, "id", ["y"], time_column="year-quarter")
    for data in (found, named):
        assert data.time_column == "year-quarter" and data.lengths.tolist() == [4, 4]
        assert data.times.iloc[:4].tolist() == list(pd.date_range("2000-01-01", periods=4,
                                                                  freq="QS"))
    twice = tmp_path / "twice.csv"
    twice.write_text("id,day,y\n,,\n,,\nA,2024-01-01,1\nA,2024-01-02,2\nA,2024-01-02,3\n")
    with pytest.raises(EngineError, match=r"data rows 3 and 4"):
        load_series(twice, "id", ["y"], time_column="day")
