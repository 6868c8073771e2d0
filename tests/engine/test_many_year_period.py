"""Many series whose time is a year and a quarter (or a month) in two columns: predict
writes the time as the periods (``2005-Q1``) followed by the file's year and quarter cells,
as ``predict`` of one series does, and forecast writes the periods; a file's own column
named like such a time (``Year-Month``) that holds other days than the periods' first is
written as its dates, by the engine calls and by the command line."""


import numpy as np
import pandas as pd
import pytest

from engine.many.fitting import fit_global
from engine.many.forecasting import write_forecast_file
from engine.many.global_model import GlobalSettings
from engine.many.predicting import write_predictions
from engine.many.series_data import DETECT, load_series
from helpers.command_line import run

TINY = dict(hidden_sizes=(4,), max_epochs=2, horizon=2, season=4, lookback=4)


def two_firms_csv(path, rows=24):
    """``firm,year,quarter,value``: firms A and B, ``rows`` quarters each from 2000 Q1,
    quarters written ``Q1`` .. ``Q4``."""
    k = np.tile(np.arange(rows), 2)
    firm = np.repeat(["A", "B"], rows)
    value = 10 + (firm == "B") * 5 + np.sin(np.pi * k / 2) + k / 10
    pd.DataFrame({"firm": firm, "year": 2000 + k // 4, "quarter": [f"Q{q}" for q in k % 4 + 1],
                  "value": np.round(value, 3)}).to_csv(path, index=False)
    return path


def own_column_csv(path, name="Year-Month", day=15, rows=24):
    """``firm,{name},value``: the file's own time column named like a year and a period,
    holding the ``day`` of each month from January 2020."""
    days = pd.date_range("2020-01-01", periods=rows, freq="MS") + pd.Timedelta(days=day - 1)
    k = np.tile(np.arange(rows), 2)
    pd.DataFrame({"firm": np.repeat(["A", "B"], rows),
                  name: np.tile(days.strftime("%Y-%m-%d"), 2),
                  "value": np.round(10 + np.sin(np.pi * k / 6) + k / 10, 3)}).to_csv(
        path, index=False)
    return path


# A Year-Month of the 15th; a year-quarter of months, whose first forecast step,
# 2022-01-01, starts a quarter, but the file's times do not all: dates too
OWN_COLUMNS = pytest.mark.parametrize("name, day, first", [
    ("Year-Month", 15, "2022-01-15"), ("year-quarter", 1, "2022-01-01")])


def read_text(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_predict_writes_the_periods_and_the_files_year_and_quarter(tmp_path):
    data = load_series(two_firms_csv(tmp_path / "firms.csv"), "firm", ["value"],
                       time_column=DETECT)
    assert data.time_column == "year-quarter"
    model = fit_global(data, GlobalSettings(**TINY))
    written = write_predictions(model, data, tmp_path / "predictions.csv")
    table = read_text(tmp_path / "predictions.csv")
    assert written.rows == 48
    assert list(table.columns[:5]) == ["firm", "year-quarter", "year", "quarter", "value"]
    first, last = table.iloc[0], table.iloc[-1]
    assert (first["year-quarter"], first["year"], first["quarter"]) == ("2000-Q1", "2000",
                                                                       "Q1")
    assert (last.firm, last["year-quarter"], last["year"], last["quarter"]) == \
        ("B", "2005-Q4", "2005", "Q4")

    write_forecast_file(model, data, 2, tmp_path / "forecast.csv")
    forecast = read_text(tmp_path / "forecast.csv")
    assert list(forecast["year-quarter"]) == ["2006-Q1", "2006-Q2"] * 2


def test_lines_of_delimiters_alone_in_a_file_of_years_and_quarters_stay_empty(tmp_path):
    """They came back as ``nan-Qnan`` in the predictions file."""
    path = two_firms_csv(tmp_path / "firms.csv")
    model = fit_global(load_series(path, "firm", ["value"], time_column=DETECT),
                       GlobalSettings(**TINY))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(",,,\n,,,\n")
    written = write_predictions(model, path, tmp_path / "predictions.csv")
    table = read_text(tmp_path / "predictions.csv")
    assert written.rows == 50 and len(table) == 50
    assert table.iloc[-2:].eq("").all().all()
    assert table["year-quarter"].iloc[-3] == "2005-Q4"


@OWN_COLUMNS
def test_a_files_own_column_named_so_of_other_dates_is_written_as_dates(tmp_path, name, day,
                                                                        first):
    path = own_column_csv(tmp_path / "months.csv", name, day)
    data = load_series(path, "firm", ["value"], time_column=name)
    model = fit_global(data, GlobalSettings(**{**TINY, "season": 12}))
    write_predictions(model, data, tmp_path / "predictions.csv")
    table = read_text(tmp_path / "predictions.csv")
    assert list(table.columns[:3]) == ["firm", name, "value"]
    assert table[name][1] == f"2020-02-{day:02d}"
    write_forecast_file(model, str(path), 1, tmp_path / "forecast.csv")
    assert list(read_text(tmp_path / "forecast.csv")[name]) == [first] * 2


def test_the_command_line_writes_the_periods_and_the_year_and_quarter(tmp_path):
    data = two_firms_csv(tmp_path / "firms.csv")
    model = tmp_path / "firms.npz"
    status, out, err = run("fit", data, "--series", "firm", "--target", "value", "--epochs",
                           "2", "--lookback", "4", "--hidden", "4", "--out", model)
    assert status == 0, err
    predictions = tmp_path / "predictions.csv"
    status, out, err = run("predict", model, data, "--out", predictions)
    assert status == 0, err
    table = read_text(predictions)
    assert list(table.columns[:4]) == ["year-quarter", "firm", "year", "quarter"]
    assert list(table.iloc[4][["year-quarter", "year", "quarter"]]) == ["2001-Q1", "2001",
                                                                       "Q1"]
    forecast = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "1", "--out", forecast)
    assert status == 0, err
    assert list(read_text(forecast)["year-quarter"]) == ["2006-Q1", "2006-Q1"]


def test_only_the_first_days_of_periods_are_periods():
    """The name alone does not make periods: every time must start a quarter (month)."""
    from engine.data.year_period import YearPeriod, periods_of, with_period_labels

    quarters = pd.to_datetime(["2005-01-01", "2005-04-01"])
    assert periods_of("year-quarter", quarters) == YearPeriod("year", "quarter", 4)
    assert periods_of("year-quarter", pd.to_datetime(["2005-01-01", "2005-02-01"])) is None
    assert periods_of("Year-Month", pd.to_datetime(["2005-01-15"])) is None
    assert periods_of("year-quarter", [0, 1]) is None
    assert periods_of("time", quarters) is None
    frame = pd.DataFrame({"Year-Month": [pd.Timestamp("2006-01-01")]})
    assert list(with_period_labels(frame, "Year-Month")["Year-Month"]) == ["2006-01"]
    days = pd.to_datetime(["2005-12-15"])
    assert with_period_labels(frame, "Year-Month", days) is frame


@OWN_COLUMNS
def test_one_series_forecast_writes_its_own_column_named_so_as_dates(tmp_path, name, day,
                                                                      first):
    """As ``predict`` of one series keeps such a file's cells, its forecast writes the
    dates, not periods."""
    from engine.deploy.forecasting import forecast

    one = pd.read_csv(own_column_csv(tmp_path / "months.csv", name, day))
    one[one.firm == "A"].drop(columns="firm").to_csv(tmp_path / "one.csv", index=False)
    model = tmp_path / "one.npz"
    status, out, err = run("fit", tmp_path / "one.csv", "--target", "value", "--lookback",
                           "4", "--epochs", "2", "--out", model)
    assert status == 0, err
    frame = forecast(str(model), str(tmp_path / "one.csv"), 1).to_frame()
    assert list(frame[name]) == [first]
