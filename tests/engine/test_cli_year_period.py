"""A file whose time is a year and a quarter in two columns, through the command line: the
model and the project keep the time column's name, and evaluate, predict and forecast
build it again from the two columns (the predictions' new rows get a year and a quarter)."""


import numpy as np
import pandas as pd

from engine.project.document import load_project
from helpers.command_line import run


def quarterly_csv(path, rows=60):
    """``year,quarter,y`` from 1990 Q1, years written as 1990.0 (as statsmodels'
    macrodata is saved)."""
    k = np.arange(rows)
    y = np.sin(2 * np.pi * k / 4) + k / 30
    frame = pd.DataFrame({"year": 1990.0 + k // 4, "quarter": k % 4 + 1.0, "y": y})
    frame.to_csv(path, index=False)
    return path


def test_fit_evaluate_predict_forecast_and_the_project_opened_again(tmp_path):
    data = quarterly_csv(tmp_path / "quarters.csv")
    model = tmp_path / "model.npz"
    status, out, err = run("fit", data, "--target", "y", "--lookback", "4", "--epochs", "3",
                           "--test-last", "8", "--out", model)
    assert status == 0, err
    assert "time column year-quarter" in out
    assert "read together as the time column 'year-quarter'" in out
    project = load_project(model.with_suffix(".json"))
    assert project.data.config.csv.time_column == "year-quarter"
    roles = {v.name: v.role for v in project.data.config.variables}
    assert (roles["year-quarter"], roles["year"], roles["quarter"]) == ("time", "unused",
                                                                         "unused")
    table = project.table()
    assert table.time_column == "year-quarter"
    assert table.time_step() == {"unit": "months", "size": 3}

    status, out, err = run("evaluate", model, data)
    assert status == 0, err

    predictions = tmp_path / "predictions.csv"
    status, out, err = run("predict", model, data, "--out", predictions)
    assert status == 0, err
    written = pd.read_csv(predictions, dtype=str, keep_default_na=False)
    assert list(written.columns[:3]) == ["year-quarter", "year", "quarter"]
    assert list(written["year-quarter"].iloc[:2]) == ["1990-Q1", "1990-Q2"]
    assert list(written["year"].iloc[:2]) == ["1990.0", "1990.0"]     # as the file wrote them
    last = written.iloc[-1]
    assert (last["year-quarter"], last["year"], last["quarter"]) == ("2005-Q1", "2005.0",
                                                                    "1.0")

    forecast = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "2", "--out", forecast)
    assert status == 0, err
    times = pd.read_csv(forecast)["year-quarter"]
    assert list(times) == ["2005-Q1", "2005-Q2"]          # as predict writes the time


def test_a_frame_of_the_callers_own_gets_the_time_as_a_file_does(tmp_path):
    """The Python API: every call that takes a data frame builds the model's time column
    from the frame's year and quarter, as reading the file does."""
    from engine.deploy.calculator import calculator_rows
    from engine.deploy.forecasting import forecast
    from engine.model.model_file import load_model
    from engine.testing.analysis import analyze_model
    from engine.testing.evaluation import evaluate_file, evaluate_frame

    data = quarterly_csv(tmp_path / "quarters.csv")
    model_path = tmp_path / "model.npz"
    status, _, err = run("fit", data, "--target", "y", "--lookback", "4", "--epochs", "3",
                         "--test-last", "8", "--out", model_path)
    assert status == 0, err
    model = load_model(model_path)
    frame = pd.read_csv(data)
    assert list(model.read_csv(frame).columns) == ["year-quarter", "year", "quarter", "y"]
    windows, values = model.predict(frame)
    assert windows.times[-1, 0] == pd.Timestamp("2005-01-01")
    from_file = evaluate_file(model, data)
    from_frame = evaluate_frame(model, frame)
    assert np.allclose(from_frame.predicted, from_file.predicted)
    assert list(forecast(model, frame, 2).to_frame()["year-quarter"]) == ["2005-Q1",
                                                                           "2005-Q2"]
    assert calculator_rows(model, frame)[1][-1] == "2004-10-01"
    assert analyze_model(model, frame).start_row == 52
    assert list(frame.columns) == ["year", "quarter", "y"]      # the caller's frame as it was


def many_quarterly_csv(path, series=5, rows=40):
    """``firm,year,quarter,value``: ``series`` firms of ``rows`` quarters from 1990 Q1 (the
    same pairs in every firm), years written as 1990.0."""
    k = np.tile(np.arange(rows), series)
    firm = np.repeat(np.arange(series), rows)
    value = 10 + firm + np.sin(2 * np.pi * k / 4) + k / 20 + 0.01 * np.cos(3 * k + firm)
    pd.DataFrame({"firm": [f"F{f}" for f in firm], "year": 1990.0 + k // 4,
                  "quarter": k % 4 + 1.0, "value": value}).to_csv(path, index=False)
    return path


def test_many_series_read_their_year_and_quarter_within_each_series(tmp_path):
    """The pairs repeat from firm to firm but not within one: fit --series finds the time,
    forecast and evaluate read it again by its name, and the project keeps it."""
    data = many_quarterly_csv(tmp_path / "firms.csv")
    model = tmp_path / "firms.npz"
    status, out, err = run("fit", data, "--series", "firm", "--target", "value", "--epochs",
                           "2", "--out", model)
    assert status == 0, err
    assert "Time column: year-quarter (detected" in out
    assert "read together as the time column 'year-quarter'" in out
    assert "Season: 4 rows, the calendar's" in out
    forecast = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "2", "--out", forecast)
    assert status == 0, err
    written = pd.read_csv(forecast)
    assert list(written.loc[written.firm == "F3", "year-quarter"]) == ["2000-Q1",
                                                                      "2000-Q2"]
    predictions = tmp_path / "predictions.csv"
    status, out, err = run("predict", model, data, "--out", predictions)
    assert status == 0, err
    assert pd.read_csv(predictions)["year-quarter"].iloc[-1] == "1999-Q4"
    status, out, err = run("evaluate", model, data)
    assert status == 0, err
    project = load_project(model.with_suffix(".json"))
    config = project.dataset_config()
    assert (config.time_column, config.series_column) == ("year-quarter", "firm")
    table = project.table()
    assert table.frame["year-quarter"].iloc[-1] == pd.Timestamp("1999-10-01")
