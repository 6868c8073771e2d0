"""Forecasts made by a classical comparator instead of the network (engine/deploy/
forecasting.py, ``method``): ETS on a straight line forecasts the line, Theta and the linear
autoregression on known answers, the same CSV columns as the network's forecast with a note
naming the method, and clear refusals that write nothing."""

import io
import re

import numpy as np
import pandas as pd
import pytest

from engine.cli.main import main
from engine.data import SplitSettings
from engine.deploy.forecasting import forecast, forecast_file
from engine.errors import EngineError
from engine.model.model_file import save_model
from helpers.models import series_frame, untrained_model


def line_csv(tmp_path, rows=60, noise=0.0):
    """Monthly rows from 2015-01: ``y = 20 + 0.5 t`` (plus noise) and an input ``x``."""
    t = np.arange(rows)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"month": pd.date_range("2015-01-01", periods=rows, freq="MS")
                          .strftime("%Y-%m-%d"),
                          "y": 20 + 0.5 * t + noise * rng.standard_normal(rows),
                          "x": np.sin(t)})
    path = tmp_path / "line.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def line_model(tmp_path):
    path = line_csv(tmp_path)
    return untrained_model(path, ["y"], "gru", [3], inputs=[]), path


def test_ets_forecasts_a_straight_line_with_its_trend(line_model):
    model, path = line_model
    result = forecast(model, path, 12, method="ets")
    expected = 20 + 0.5 * np.arange(60, 72)
    np.testing.assert_allclose(result.values[:, 0], expected, rtol=1e-4)
    assert result.source == "ets" and result.steps == 12
    # the form in words a person reads (it said "(A,A,N)"); the notation stays beside
    assert re.match(r"Made by exponential smoothing \((additive|damped) trend, no season\), "
                    "fitted on", result.notes[0])
    assert result.form in ("A,A,N", "A,Ad,N")
    assert "not by the network" in result.notes[0]
    assert result.times[0] == pd.Timestamp("2020-01-01")
    assert np.all(result.lower <= result.values + 1e-9)
    assert np.all(result.upper >= result.values - 1e-9)


def test_ets_intervals_widen_with_the_steps_and_hold_the_level(tmp_path):
    model = untrained_model(line_csv(tmp_path, 120, noise=1.0), ["y"], "gru", [3], inputs=[])
    narrow = forecast(model, tmp_path / "line.csv", 6, level=0.8, method="ets")
    wide = forecast(model, tmp_path / "line.csv", 6, level=0.95, method="ets")
    half = (wide.upper - wide.lower)[:, 0]
    assert np.all(np.diff(half) > 0)
    assert np.all(half > (narrow.upper - narrow.lower)[:, 0])
    # unit noise: the 95% interval one step ahead is about +-1.96
    assert 2 * 1.5 < half[0] < 2 * 2.6


def test_theta_and_linear_on_a_straight_line(line_model):
    model, path = line_model
    theta = forecast(model, path, 6, method="theta")
    assert theta.source == "theta" and "the Theta method" in theta.notes[0]
    assert np.isfinite(theta.lower).all() and np.isfinite(theta.upper).all()
    # Theta's drift is half the least-squares slope plus simple exponential smoothing of
    # the line: it follows the line's direction, below it
    assert np.all(np.diff(theta.values[:, 0]) > 0)
    linear = forecast(model, path, 6, method="linear")
    np.testing.assert_allclose(linear.values[:, 0], 20 + 0.5 * np.arange(60, 66), rtol=1e-6)
    assert np.isnan(linear.lower).all() and "no prediction intervals" in " ".join(
        linear.notes)


def test_the_csv_has_the_network_forecasts_columns(line_model, tmp_path):
    model, path = line_model
    network = forecast_file(model, path, tmp_path / "network.csv", 5)
    for method in ("ets", "theta", "linear"):
        result = forecast_file(model, path, tmp_path / f"{method}.csv", 5, method=method)
        written = pd.read_csv(tmp_path / f"{method}.csv")
        assert list(written.columns) == list(pd.read_csv(tmp_path / "network.csv").columns)
        assert list(written["month"]) == list(network.to_frame()["month"])
        np.testing.assert_allclose(written["y"], result.values[:, 0], rtol=1e-9)


def test_a_method_that_cannot_fit_says_so_and_writes_nothing(tmp_path):
    path = line_csv(tmp_path, rows=8)
    model = untrained_model(path, ["y"], "gru", [3], inputs=[], lookback=2,
                            split=SplitSettings(fractions=(0.7, 0.3, 0.0)))
    out = tmp_path / "f.csv"
    with pytest.raises(EngineError, match="Exponential smoothing cannot forecast this data: "
                                          "ETS: 8 rows with known targets, at least 10"):
        forecast_file(model, path, out, 3, method="ets")
    with pytest.raises(EngineError, match="The Theta method cannot forecast"):
        forecast_file(model, path, out, 3, method="theta")
    with pytest.raises(EngineError, match="must be one of network, ets, theta, linear"):
        forecast_file(model, path, out, 3, method="arima")
    assert not out.exists()


def test_rnn_studio_forecast_method(line_model, tmp_path):
    model, path = line_model
    model_path = tmp_path / "m.npz"
    save_model(model_path, model.network, model.preprocessing.to_dict(), {})
    out, err = io.StringIO(), io.StringIO()
    status = main(["forecast", str(model_path), str(path), "--steps", "4", "--method", "ets",
                   "--out", str(tmp_path / "f.csv")], out=out, err=err)
    assert status == 0, err.getvalue()
    assert re.search(r"Made by exponential smoothing \((additive|damped) trend, no season\)",
                     out.getvalue())
    np.testing.assert_allclose(pd.read_csv(tmp_path / "f.csv")["y"],
                               20 + 0.5 * np.arange(60, 64), rtol=1e-4)


def test_ets_and_theta_forecasts_start_after_the_last_gap_in_time(tmp_path, line_model):
    """A month missing in the file: the comparator is fitted on the months after it, as
    on a file that holds only those (a fit across it would be out of step), and its own
    note says so, by the engine call and by the command line."""
    model, _ = line_model
    t = np.arange(60)
    y = 20 + 0.5 * t + 5 * np.sin(2 * np.pi * t / 12)
    months = pd.date_range("2015-01-01", periods=61, freq="MS").delete(30)  # one left out
    frame = pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "y": y, "x": np.sin(t)})
    gapped, after = tmp_path / "gapped.csv", tmp_path / "after.csv"
    frame.to_csv(gapped, index=False)
    frame.iloc[30:].to_csv(after, index=False)
    for method, name in (("ets", "ETS"), ("theta", "Theta")):
        result = forecast(model, gapped, 6, method=method)
        np.testing.assert_allclose(result.values,
                                   forecast(model, after, 6, method=method).values,
                                   rtol=1e-6)
        note = f"{name}: fitted on the rows from row 30, after a gap in time."
        assert result.notes.count(note) == 1
        assert note not in forecast(model, after, 6, method=method).notes
    save_model(tmp_path / "m.npz", model.network, model.preprocessing.to_dict(), {})
    out = io.StringIO()
    assert main(["forecast", str(tmp_path / "m.npz"), str(gapped), "--steps", "2",
                 "--method", "theta", "--out", str(tmp_path / "f.csv")], out=out,
                err=io.StringIO()) == 0
    assert "Note: Theta: fitted on the rows from row 30, after a gap in time." in \
        out.getvalue()


def holed_csv(tmp_path, row):
    """:func:`~helpers.models.series_frame`'s 60 rows with ``y`` empty in ``row``."""
    path = tmp_path / f"holed_{row}.csv"
    series_frame(60, gaps=[(row, "y")]).to_csv(path, index=False)
    return path


def test_the_linear_autoregression_marks_its_forecasts_read_from_a_filled_in_cell(tmp_path):
    """The linear autoregression reads the data as the model encodes it, the empty target
    cell of row 56 interpolated: its fit holds that value, and its forecasts whose windows
    reach row 56 (rows 60 to 63, as the network's) are marked and counted, in each front
    end's words."""
    path = line_csv(tmp_path)
    model = untrained_model(path, ["y"], "gru", [3], "difference", inputs=[])
    result = forecast(model, holed_csv(tmp_path, 56), 8, method="linear")
    assert "1 value the model made up for empty cells (in rows 1 to 59)" in result.notes[0]
    assert list(result.to_frame()["read_filled_in"]) == [1, 1, 1, 1, 0, 0, 0, 0]
    assert any(note.startswith("The forecasts of 4 rows were made from windows that read "
                               "values the model made up") and
               note.endswith("To forecast from known values only, fill the empty cells in "
                             "row 56.") for note in result.notes)
    plain = forecast(model, path, 8, method="linear")
    assert "known target values;" in plain.notes[0] and not plain.filled.any()
    assert "read_filled_in" not in plain.to_frame().columns


@pytest.mark.parametrize("method, words", [("ets", "Exponential smoothing"),
                                           ("theta", "The Theta method")])
def test_smoothing_reads_no_filled_in_cell_and_says_where_its_fit_starts(tmp_path, method,
                                                                        words):
    """Exponential smoothing and the Theta method fit the known values after the last
    empty target cell (row 40: rows 41 to 59), so nothing is marked and a note says so;
    a run too short to fit (after row 56) is refused naming the empty cell."""
    model = untrained_model(line_csv(tmp_path), ["y"], "gru", [3], inputs=[])
    result = forecast(model, holed_csv(tmp_path, 40), 6, method=method)
    assert result.filled is None and "read_filled_in" not in result.to_frame().columns
    assert (f"{words} made up no value for an empty cell: it was fitted on the known values "
            "after the last empty one (y from row 41 on, after its empty cell in row 40). To "
            "fit it on more rows, fill the empty cells in the file.") in result.notes
    whole = series_frame(60)
    short = tmp_path / "short.csv"
    whole.iloc[41:].to_csv(short, index=False)
    np.testing.assert_allclose(result.values, forecast(model, short, 6, method=method).values)
    with pytest.raises(EngineError, match=r"3 rows with known targets, at least 10 needed "
                                          r"\(y from row 57 on, after its empty cell in row "
                                          r"56\)"):
        forecast(model, holed_csv(tmp_path, 56), 6, method=method)
