"""The outputs calculator of a global model (engine.many.calculator): one series' last rows,
as the data hold them, give the model's own forecast of that series; a changed value
changes it; too few rows, an empty cell and an unknown series are refused in words."""

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many.calculator import (calculator_columns, calculator_rows, forecast_series,
                                    rows_needed)
from engine.many.fitting import fit_global
from engine.many.global_model import GlobalSettings
from engine.many.series_data import from_frame


@pytest.fixture(scope="module")
def trained():
    """``(model, data)``: a GRU of 4 units trained 2 epochs on three series of 60 rows, one
    with an input column ``x``; one series below 0 (not logged)."""
    rng = np.random.default_rng(0)
    t = np.arange(60)
    parts = [pd.DataFrame({"id": name, "y": level + 5 * np.sin(2 * np.pi * t / 6)
                           + rng.normal(0, 1, 60), "x": rng.normal(3, 2, 60)})
             for name, level in (("a", 100.0), ("b", -1.0), ("c", 40.0))]
    data = from_frame(pd.concat(parts, ignore_index=True), "id", ["y"], ["x"])
    settings = GlobalSettings(horizon=3, season=6, hidden_sizes=(4,), max_epochs=2,
                              series_column="id")
    return fit_global(data, settings), data


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95])
def test_the_data_own_rows_give_the_model_forecast(trained, level):
    model, data = trained
    values, lower, upper, ok = model.forecast(data, level=level)
    assert ok.all()
    for i, name in enumerate(data.ids):
        rows, labels = calculator_rows(model, data, name)
        assert list(rows.columns) == calculator_columns(model) == ["y", "x"]
        assert len(rows) == rows_needed(model) == len(labels)
        assert labels[-1] == "59"
        result = forecast_series(model, name, rows, level)
        # the float32 network's rounding, as the exports' tests allow
        close = 1e-5 * np.mean(np.abs(data.history(i)))
        np.testing.assert_allclose(result.values, values[i], rtol=0, atol=close)
        np.testing.assert_allclose(result.lower, lower[i], rtol=0, atol=close)
        np.testing.assert_allclose(result.upper, upper[i], rtol=0, atol=close)


def test_typed_text_counts_and_a_changed_value_changes_the_forecast(trained):
    model, data = trained
    rows, _ = calculator_rows(model, data, "a")
    typed = {name: [f"{v:.12g}" for v in rows[name]] for name in rows.columns}
    same = forecast_series(model, "a", typed)
    np.testing.assert_allclose(same.values, forecast_series(model, "a", rows).values,
                               rtol=1e-6)
    typed["y"][-1] = str(float(rows["y"].iloc[-1]) * 1.5)
    changed = forecast_series(model, "a", typed)
    assert not np.allclose(changed.values, same.values)


def test_bad_rows_are_refused_in_words(trained):
    model, data = trained
    rows, _ = calculator_rows(model, data, "a")
    with pytest.raises(EngineError, match="needs"):
        forecast_series(model, "a", rows.iloc[1:])
    empty = rows.copy()
    empty.loc[len(empty) - 1, "y"] = np.nan
    with pytest.raises(EngineError, match="numbers"):
        forecast_series(model, "a", empty)
    with pytest.raises(EngineError) as refused:       # in the words of the notes on it
        forecast_series(model, "zz", rows)
    assert str(refused.value) == (
        "1 series in the data is new to the model: zz; it has no forecast. A global model "
        "forecasts the series it was trained on: train it again with this series to "
        "forecast it.")
    with pytest.raises(EngineError, match="no series"):
        calculator_rows(model, data, "zz")
    with pytest.raises(EngineError, match="lack"):
        forecast_series(model, "a", rows[["y"]])


@pytest.mark.parametrize("column, row", [("x", 0), ("y", 5)])
def test_typed_text_that_is_no_number_is_named(trained, column, row):
    """A typo is refused with its row and column: it was read as a missing value, which
    the forecast left unread in the input's first rows (a forecast with no word) and
    refused elsewhere with no word on which cell."""
    model, data = trained
    rows, _ = calculator_rows(model, data, "a")
    typed = {name: [f"{v:.12g}" for v in rows[name]] for name in rows.columns}
    typed[column][row] = "abc"
    with pytest.raises(EngineError, match=rf"Row {row + 1} of column '{column}' holds 'abc', "
                                          "which is no number; type a number there"):
        forecast_series(model, "a", typed)
    typed[column][row] = " 12.5 "
    assert np.isfinite(forecast_series(model, "a", typed).values).all()


def test_a_series_with_empty_rows_at_its_end_starts_from_its_last_known_row(trained):
    """Empty target cells at the end of a series (years not known yet in a long file): the
    calculator's rows end at the last known row, where the forecast starts, and give the
    same forecast (they were read to the file's end: 'The last N rows must all hold
    numbers')."""
    from engine.many.forecasting import forecast_frame

    model, data = trained
    frame = pd.DataFrame({"id": np.repeat(data.ids, data.lengths), "y": data.targets[:, 0],
                          "x": data.inputs[:, 0]})
    frame.loc[np.flatnonzero(frame["id"] == "a")[-4:], "y"] = np.nan
    gappy = from_frame(frame, "id", ["y"], ["x"])
    rows, labels = calculator_rows(model, gappy, "a")
    assert labels[-1] == "55" and len(rows) == rows_needed(model)
    assert np.isfinite(rows["y"]).all()
    result = forecast_series(model, "a", rows)
    forecast, _ = forecast_frame(model, gappy, model.horizon)
    expected = forecast.loc[forecast["id"] == "a", "y"].to_numpy()
    close = 1e-5 * np.mean(np.abs(gappy.history(0)[np.isfinite(gappy.history(0))]))
    np.testing.assert_allclose(result.values[:, 0], expected, rtol=0, atol=close)


def test_the_rows_are_labelled_with_their_times_as_the_forecast_file_writes_them():
    """They were ``str`` of each time: ``2021-06-14 00:00:00`` for a date, and
    ``12:00:27`` beside ``12:00:26.500000`` for times of half a second."""
    halves = pd.date_range("2023-03-01 12:00", periods=60, freq="500ms")
    weeks = pd.date_range("2021-01-04", periods=60, freq="W-MON")
    for times, last in ((halves.strftime("%Y-%m-%d %H:%M:%S.%f").str[:-3],
                         ["2023-03-01 12:00:29.000", "2023-03-01 12:00:29.500"]),
                        (weeks.strftime("%Y-%m-%d"), ["2022-02-14", "2022-02-21"])):
        frame = pd.DataFrame({"id": ["a"] * 60, "t": times, "y": np.arange(60) % 5 + 1.0})
        data = from_frame(frame, "id", ["y"], time_column="t")
        model = fit_global(data, GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=1,
                                                lookback=4))
        rows, labels = calculator_rows(model, data, "a")
        assert labels[-2:] == last and len(labels) == len(rows)
