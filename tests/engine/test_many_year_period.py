"""Many series whose time is a year and a quarter (or a month) in two columns: predict
writes the time as the periods (``2005-Q1``) followed by the file's year and quarter cells,
as ``predict`` of one series does, and forecast writes the periods, by the engine calls and
by the command line."""

import io

import numpy as np
import pandas as pd

from engine.cli.main import main
from engine.many.fitting import fit_global
from engine.many.forecasting import write_forecast_file
from engine.many.global_model import GlobalSettings
from engine.many.predicting import write_predictions
from engine.many.series_data import DETECT, load_series

TINY = dict(hidden_sizes=(4,), max_epochs=2, horizon=2, season=4, lookback=4)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def two_firms_csv(path, rows=24):
    """``firm,year,quarter,value``: firms A and B, ``rows`` quarters each from 2000 Q1,
    quarters written ``Q1`` .. ``Q4``."""
    k = np.tile(np.arange(rows), 2)
    firm = np.repeat(["A", "B"], rows)
    value = 10 + (firm == "B") * 5 + np.sin(np.pi * k / 2) + k / 10
    pd.DataFrame({"firm": firm, "year": 2000 + k // 4, "quarter": [f"Q{q}" for q in k % 4 + 1],
                  "value": np.round(value, 3)}).to_csv(path, index=False)
    return path


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
    assert list(table.columns[:4]) == ["firm", "year-quarter", "year", "quarter"]
    assert list(table.iloc[4][["year-quarter", "year", "quarter"]]) == ["2001-Q1", "2001",
                                                                       "Q1"]
    forecast = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "1", "--out", forecast)
    assert status == 0, err
    assert list(read_text(forecast)["year-quarter"]) == ["2006-Q1", "2006-Q1"]
