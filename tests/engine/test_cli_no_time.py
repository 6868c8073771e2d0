"""``fit --no-time`` reads a file without a time column, and a refused time column says so
in the words of the front end that reads it: the command line gave the window's advice
("choose no time column", "give ... the role Series"), which it has no way to follow."""

import pandas as pd
import pytest

from engine.data import load_table
from engine.data.csv_reader import CsvOptions
from engine.errors import EngineError
from helpers.command_line import run


def _file(tmp_path, times, name="data.csv"):
    path = tmp_path / name
    values = [float(10 + (k % 4) + k / 10) for k in range(len(times))]
    pd.DataFrame({"date": times, "sales": values}).to_csv(path, index=False)
    return path


def _months(count):
    return [str(d.date()) for d in pd.date_range("2020-01-01", periods=count, freq="MS")]


def test_a_time_that_is_no_date_is_refused_with_advice_the_command_line_can_follow(
        tmp_path):
    times = _months(40)
    times[7] = "soon"
    path = _file(tmp_path, times)
    status, _, err = run("fit", path, "--target", "sales", "--epochs", "1", "--members", "1",
                         "--out", tmp_path / "m.npz")
    assert status != 0
    assert ("row 7 holds 'soon', which is not a date or time. Correct the value, or give "
            "--no-time to read the file without one.") in err
    status, out, err = run("fit", path, "--target", "sales", "--no-time", "--epochs", "1",
                           "--members", "1", "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert "time column none" in out and (tmp_path / "m.npz").exists()


def test_each_front_end_gets_its_own_words_and_a_time_column_named_gets_none(tmp_path):
    times = _months(12)
    times[5] = times[4]
    path = _file(tmp_path, times)
    with pytest.raises(EngineError, match=r"Remove the duplicate rows, or give --no-time to "
                                          r"read the file without one \(a file of several "
                                          r"series, one after the other: fit it with "
                                          r"--series COL"):
        load_table(path)
    with pytest.raises(EngineError, match=r"Remove the duplicate rows, or choose no time "
                                          r"column \(a file of several series, .*the role "
                                          r"Series\)\."):
        load_table(path, front="window")
    with pytest.raises(EngineError) as caught:          # named: --time COL, or a model's
        load_table(path, CsvOptions(time_column="date"))
    assert str(caught.value).endswith("every time must appear once. Remove the duplicate "
                                      "rows.")


def test_no_time_describes_the_data_and_goes_without_time_or_a_project(tmp_path, capsys):
    path = _file(tmp_path, _months(12))
    with pytest.raises(SystemExit) as exit_info:
        run("fit", path, "--target", "sales", "--time", "date", "--no-time", "--out",
            tmp_path / "m.npz")
    assert exit_info.value.code != 0
    assert "argument --no-time: not allowed with argument --time" in capsys.readouterr().err
    status, _, err = run("fit", "--project", tmp_path / "p.json", "--no-time", "--out",
                         tmp_path / "m.npz")
    assert status != 0 and "--no-time describes the data" in err


def test_many_series_read_without_a_time_column_say_nothing_of_one(tmp_path):
    """``fit --series COL --no-time``: the rows of each series in file order, without the
    note on the time column it would have looked for."""
    rows = [{"shop": shop, "date": day, "sales": float(10 + k % 7 + (shop == "b"))}
            for shop in ("a", "b") for k, day in enumerate(_months(60))]
    path = tmp_path / "shops.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    status, out, err = run("fit", path, "--series", "shop", "--target", "sales", "--no-time",
                           "--test-last", "6", "--epochs", "1", "--members", "1", "--out",
                           tmp_path / "m.npz")
    assert status == 0, err
    assert "Time column" not in out and (tmp_path / "m.npz").exists()
    status, out, err = run("fit", path, "--series", "shop", "--target", "sales",
                           "--test-last", "6", "--epochs", "1", "--members", "1", "--out",
                           tmp_path / "m2.npz")
    assert status == 0, err
    assert "Time column: date" in out


def test_the_testing_rows_are_counted_as_the_fit_reads_the_file_and_its_model_forecasts(
        tmp_path):
    """``--no-time --test-last N`` on a file whose time repeats: the rows were counted with
    the time column detected, so the fit that --no-time should let through was refused;
    the model it writes forecasts the same file (rows in file order, steps numbered)."""
    times = _months(40)
    times[5] = times[4]
    path = _file(tmp_path, times)
    status, out, err = run("fit", path, "--target", "sales", "--no-time", "--test-last", "6",
                           "--epochs", "1", "--members", "1", "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert "testing from row 34" in out
    status, _, err = run("forecast", tmp_path / "m.npz", path, "--steps", "3", "--out",
                         tmp_path / "f.csv")
    assert status == 0, err
    assert len(pd.read_csv(tmp_path / "f.csv")) == 3


def test_a_time_of_many_series_that_is_no_date_gets_the_command_lines_advice(tmp_path):
    rows = [{"shop": shop, "date": day, "sales": float(10 + k % 7)}
            for shop in ("a", "b") for k, day in enumerate(_months(30))]
    rows[3]["date"] = "soon"
    path = tmp_path / "shops.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    status, _, err = run("fit", path, "--series", "shop", "--target", "sales", "--time",
                         "date", "--out", tmp_path / "m.npz")
    assert status != 0
    assert ("has a value that is no date or time ('soon') in data row 3, and every row of "
            "many series needs its time; fix it or give --no-time (the rows of each series "
            "are then taken in file order).") in err


def test_no_time_on_several_series_one_after_the_other_still_says_how_to_fit_them(
        tmp_path):
    """A panel (three firms' years one after the other) fitted with ``--no-time``: the note
    that names the series column and ``--series`` was given only when the time column was
    left to be detected."""
    path = tmp_path / "panel.csv"
    rows = [f"{firm},{year},{10 + value % 5 + value / 7}" for firm in ("GM", "US", "GE")
            for value, year in enumerate(range(1935, 1955))]
    path.write_text("firm,year,invest\n" + "\n".join(rows) + "\n")
    status, out, err = run("fit", path, "--target", "invest", "--input", "invest",
                           "--no-time", "--epochs", "1", "--members", "1", "--out",
                           tmp_path / "m.npz")
    assert status == 0, err
    assert (f"The file looks like several series one after the other: 'firm' changes where "
            f"'year' starts again. Fit it as many series with rnn-studio fit {path} --series "
            "firm --time year --target COL --out MODEL") in out


def test_no_time_on_runs_of_names_says_how_to_fit_them_as_series(tmp_path):
    """A file of three shops one after the other, without a time column, fitted with
    ``--no-time``: the note that names the column of names and ``--series``."""
    path = tmp_path / "shops.csv"
    rows = [f"{shop},{10 + k % 7 + k / 9:.3f}" for shop in ("north", "south", "west")
            for k in range(20)]
    path.write_text("shop,sales\n" + "\n".join(rows) + "\n")
    status, out, err = run("fit", path, "--target", "sales", "--no-time", "--epochs", "1",
                           "--members", "1", "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert (f"'shop' holds 3 names, each on one run of rows (20 rows each). If it does: fit "
            f"it as many series with rnn-studio fit {path} --series shop --target COL") in out
