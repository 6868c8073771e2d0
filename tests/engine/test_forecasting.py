"""Forecasts after the data: known answers from a network whose output is a constant,
the time column continued, other inputs taken from future rows (or the model's own output
steps when there are none), intervals from the model's metadata, and the CSV."""

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.deploy.forecasting import forecast, forecast_file, write_forecast
from engine.deploy.predicting import predictions_table
from helpers.models import series_frame, untrained_model


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "series.csv"
    series_frame(60).to_csv(path, index=False)
    return path


def constant_output(model, value):
    """All weights 0 and the head's bias ``value``: every scaled output is ``value``."""
    state = {name: np.zeros_like(a) for name, a in model.network.state_dict().items()}
    state["head.bias"][:] = value
    model.network.load_state_dict(state)
    return model


def scaler(model, name):
    fitted = model.preprocessing
    return fitted.scaler(name)


def test_differences_forecast_a_straight_line(csv):
    model = constant_output(untrained_model(csv, ["y"], "gru", [3], "difference",
                                            inputs=[]), 0.25)
    s = scaler(model, "y")
    step = 0.25 * s.scale + s.center                 # every forecast difference
    y = pd.read_csv(csv)["y"].to_numpy()
    result = forecast(model, csv, 30)
    assert result.method == "recursive" and result.steps == 30 and not result.notes[:-1]
    np.testing.assert_allclose(result.values[:, 0], y[-1] + step * np.arange(1, 31),
                               rtol=0, atol=1e-9)
    assert list(result.rows) == list(range(60, 90))


def test_a_forecast_that_runs_away_from_the_data_says_so(csv):
    """A straight line of large differences leaves the data's range: the note names the
    first step beyond it by more than the range's width; a short forecast has no note."""
    model = constant_output(untrained_model(csv, ["y"], "gru", [3], "difference",
                                            inputs=[]), 5.0)
    s = scaler(model, "y")
    y = pd.read_csv(csv)["y"].to_numpy()
    low, high = y.min(), y.max()
    width = max(high - low, abs(high))
    values = y[-1] + (5.0 * s.scale + s.center) * np.arange(1, 201)
    first = int(np.flatnonzero(values > high + width)[0]) + 1
    notes = forecast(model, csv, 200).notes
    runaway = [n for n in notes if "leaves the range of its known values" in n]
    assert len(runaway) == 1 and f"far behind from step {first} on" in runaway[0]
    # each front end's words for the method, never the other's
    assert runaway[0].endswith("compare with ETS or Theta (--method).")
    window = [n for n in forecast(model, csv, 200, front="window").notes
              if "leaves the range" in n]
    assert window[0].endswith("compare with ETS or Theta (the Method box).")
    assert not [n for n in forecast(model, csv, first - 1).notes
                if "leaves the range" in n]


def test_seasonal_differences_repeat_the_last_year_shifted(csv):
    model = constant_output(untrained_model(csv, ["y"], "lstm", [3], "seasonal_difference",
                                            lookback=4, inputs=[]), -0.5)
    s = scaler(model, "y")
    d = -0.5 * s.scale + s.center
    y = pd.read_csv(csv)["y"].to_numpy()
    result = forecast(model, csv, 15)
    expected = np.r_[y[-12:] + d, y[-12:-9] + 2 * d]
    np.testing.assert_allclose(result.values[:, 0], expected, rtol=0, atol=1e-9)


def test_the_csv_continues_the_time_column_with_bounds(csv, tmp_path):
    model = untrained_model(csv, ["y"], "rnn", [3], "none", inputs=[])
    model.header["metadata"] = {"intervals": {"levels": [0.8, 0.9, 0.95],
                                              "recursive": {"0.8": [[1.0], [2.5]]},
                                              "direct": {"0.8": [[1.0]]}}}
    assert not forecast(model, csv, 2, level=0.8).notes
    result = forecast(model, csv, 4, level=0.8)
    assert result.notes == ["The intervals were calibrated for up to 2 steps ahead; past "
                            "that they keep the width they have 2 steps ahead and probably "
                            "understate the uncertainty."]
    np.testing.assert_allclose(result.values - result.lower, [[1.0], [2.5], [2.5], [2.5]])
    np.testing.assert_allclose(result.upper - result.values, [[1.0], [2.5], [2.5], [2.5]])
    out = write_forecast(result, tmp_path / "forecast.csv")
    back = pd.read_csv(out)
    assert list(back.columns) == ["month", "y", "y_lower_80", "y_upper_80"]
    assert list(back["month"]) == ["2017-01-01", "2017-02-01", "2017-03-01", "2017-04-01"]
    np.testing.assert_allclose(back["y"], result.values[:, 0], rtol=1e-9)
    assert result.history.shape == (60, 1) and result.history_rows[-1] == 59
    assert np.all(np.diff(result.axis("history")) > 0)
    assert result.axis()[0] > result.axis("history")[-1]


def test_a_model_without_intervals_still_forecasts_and_says_so(csv):
    model = untrained_model(csv, ["y"], "gru", [3], "difference", inputs=[])
    result = forecast(model, csv, 3)
    assert np.isnan(result.lower).all() and np.isnan(result.upper).all()
    assert np.isfinite(result.values).all()
    assert any("train the model again" in note for note in result.notes)


def test_a_level_the_selection_part_could_not_calibrate_gives_empty_bounds(csv, tmp_path):
    """A width stored as None (too few selection errors for that level) is no interval:
    the bounds are empty, never -inf and inf, and one note says why and what to do."""
    model = untrained_model(csv, ["y"], "rnn", [3], "none", inputs=[])
    model.header["metadata"] = {"intervals": {"levels": [0.8, 0.9, 0.95],
                                              "recursive": {"0.8": [[1.0], [None]],
                                                            "0.9": [[None], [None]]},
                                              "direct": {"0.8": [[1.0]],
                                                         "0.9": [[None]]}}}
    none = forecast(model, csv, 3, level=0.9)
    assert np.isnan(none.lower).all() and np.isnan(none.upper).all()
    assert none.notes == ["No 90% interval: the selection part had too few errors to "
                          "calibrate it at that level; choose a lower level, or train "
                          "with a longer selection part."]      # one level: "it", not "them"
    back = pd.read_csv(write_forecast(none, tmp_path / "f.csv"))
    assert back["y_lower_90"].isna().all() and "inf" not in (tmp_path / "f.csv").read_text()
    some = forecast(model, csv, 2, level=0.8)
    np.testing.assert_allclose(some.upper[0] - some.values[0], [1.0])
    assert np.isnan(some.lower[1]).all() and np.isnan(some.upper[1]).all()
    assert "Some steps have no 80% interval" in some.notes[0]


def with_future_rows(frame, x_values):
    frame = frame.copy()
    for k, x in enumerate(x_values):
        month = pd.Timestamp("2017-01-01") + pd.DateOffset(months=k)
        frame.loc[len(frame)] = [month.strftime("%Y-%m-%d"), np.nan, x, 50.0]
    return frame


def test_other_inputs_come_from_rows_with_empty_targets(csv):
    model = untrained_model(csv, ["y"], "gru", [4], "difference")      # inputs y, x, w
    frame = series_frame(60)
    result = forecast(model, with_future_rows(frame, [0.2, 0.4, 0.6]), 10)
    # three future rows of x and w: the windows of rows 60..63 read them
    assert result.steps == 4 and result.method == "recursive"
    assert "4 of the 10 steps" in result.notes[0] and "inputs x and w" in result.notes[0]
    assert "2017-01-01" == result.to_frame()["month"].iloc[0]
    other = forecast(model, with_future_rows(frame, [0.2, -0.9, 0.6]), 4)
    # the first step reads only known rows; the third reads row 61, whose x changed
    assert other.values[0, 0] == result.values[0, 0]
    assert other.values[1, 0] == result.values[1, 0]
    assert abs(other.values[2, 0] - result.values[2, 0]) > 1e-6


def test_without_future_inputs_the_models_own_steps_are_used(csv):
    model = untrained_model(csv, ["y"], "lstm", [4], "difference", horizon=3)
    result = forecast(model, csv, 5)
    assert result.method == "direct" and result.steps == 3
    assert "model's own output steps" in result.notes[0]
    table, extra, _ = predictions_table(model, csv)
    assert extra == 3
    expected = [table[f"y_predicted_{h}"].iloc[59 + h] for h in (1, 2, 3)]
    np.testing.assert_allclose(result.values[:, 0], expected, rtol=0, atol=1e-9)
    # the bounds come from the widths of the model's own output steps ("direct")
    model.header["metadata"] = {"intervals": {
        "levels": [0.8, 0.9, 0.95], "recursive": {"0.95": [[9.0]]},
        "direct": {"0.95": [[1.0], [2.0], [4.0]]}}}
    bounded = forecast(model, csv, 3, level=0.95)
    np.testing.assert_allclose(bounded.upper[:, 0] - bounded.values[:, 0], [1.0, 2.0, 4.0])


def test_a_same_step_model_needs_future_inputs(csv):
    model = untrained_model(csv, ["y"], "gru", [3], "none", horizon=0, role="target")
    with pytest.raises(EngineError, match="add rows with the future values"):
        forecast(model, csv, 3)
    result = forecast(model, with_future_rows(series_frame(60), [0.1, 0.2]), 2)
    assert result.steps == 2 and not result.notes[:-1]


def test_bad_requests_say_what_to_do(csv):
    model = untrained_model(csv, ["y"], "gru", [3], "none", inputs=[])
    with pytest.raises(EngineError, match="from 1 to 10,000; got 0"):
        forecast(model, csv, 0)
    with pytest.raises(EngineError, match="from 1 to 10,000; got 10001"):
        forecast(model, csv, 10001)
    for steps in (2.5, "2", 2.0, True):          # refused, not cut to 2 steps
        with pytest.raises(EngineError, match=r"^steps \(the number of steps to forecast\) "
                                              r"must be a whole number from 1 to 10,000; "
                                              rf"got {steps!r}\.$"):
            forecast(model, csv, steps)
    assert len(forecast(model, csv, np.int64(2)).values) == 2
    with pytest.raises(EngineError, match="80%, 90%, 95%"):
        forecast(model, csv, 2, level=0.5)
    with pytest.raises(EngineError, match="is a folder; give the name of the CSV file"):
        forecast_file(model, csv, csv.parent, 2)


def test_too_short_a_history_says_how_many_rows_are_needed(csv):
    # lookback 4 and seasonal differences at 12 rows: 16 rows before the forecast
    model = untrained_model(csv, ["y"], "gru", [3], "seasonal_difference", lookback=4,
                            inputs=[])
    frame = series_frame(60)
    assert forecast(model, frame.iloc[:16], 2).steps == 2
    with pytest.raises(EngineError, match="has 15 row.*needs at least 16. Forecast from"):
        forecast(model, frame.iloc[:15], 2)
    # a target that is not an input needs only the lookback (and the base of the transform)
    plain = untrained_model(csv, ["y"], "gru", [3], "difference", lookback=4, role="target",
                            horizon=2)
    assert forecast(plain, frame.iloc[:4], 2).steps == 2
    with pytest.raises(EngineError, match="has 3 row.*needs at least 4"):
        forecast(plain, frame.iloc[:3], 2)


def falling_model(csv, width=5.0):
    """A model whose forecast falls by 10 a step from the last value (about 130), below
    zero after 13 steps, with 90% intervals of +-``width``."""
    model = untrained_model(csv, ["y"], "gru", [3], "difference", inputs=[])
    s = scaler(model, "y")
    model = constant_output(model, (-10.0 - s.center) / s.scale)
    model.header["metadata"] = {"intervals": {
        "levels": [0.8, 0.9, 0.95], "recursive": {"0.9": [[width]]},
        "direct": {"0.9": [[width]]}}}
    return model


def test_clipping_keeps_the_forecast_and_its_interval_within_the_data(csv, tmp_path):
    model = falling_model(csv)
    y = pd.read_csv(csv)["y"].to_numpy()
    expected = y[-1] - 10.0 * np.arange(1, 21)
    plain = forecast(model, csv, 20)
    np.testing.assert_allclose(plain.values[:, 0], expected, atol=1e-9)    # untouched
    np.testing.assert_allclose(plain.lower[:, 0], expected - 5, atol=1e-9)
    assert plain.clip is None and (plain.lower < 0).any()
    assert plain.notes[-1] == ("y's forecast or its lower bound goes below 0, which its data "
                               "never do: --clip zero keeps them at 0 or above.")
    assert forecast(model, csv, 20, front="window").notes[-1] == (
        "y's forecast or its lower bound goes below 0, which its data never do: the Not "
        "below 0 box keeps them at 0 or above.")
    assert not any("goes below 0" in note for note in forecast(model, csv, 3).notes)
    zero = forecast(model, csv, 20, clip="zero")
    np.testing.assert_allclose(zero.values[:, 0], np.maximum(expected, 0), atol=1e-9)
    np.testing.assert_allclose(zero.lower[:, 0], np.maximum(expected - 5, 0), atol=1e-9)
    np.testing.assert_allclose(zero.upper[:, 0], np.maximum(expected + 5, 0), atol=1e-9)
    assert zero.clip == "zero" and "y at or above 0" in zero.notes[-1]
    within = forecast(model, csv, 20, clip="range")
    low, high = y.min(), y.max()
    np.testing.assert_allclose(within.values[:, 0], np.clip(expected, low, high), atol=1e-9)
    np.testing.assert_allclose(within.upper[:, 0], np.clip(expected + 5, low, high),
                               atol=1e-9)
    assert f"between {low:.6g} and {high:.6g}" in within.notes[-1]
    written = forecast_file(model, csv, tmp_path / "f.csv", 20, clip="zero")
    assert pd.read_csv(tmp_path / "f.csv")["y_lower_90"].min() == 0
    assert written.clip == "zero"
    with pytest.raises(EngineError, match="zero, range"):
        forecast(model, csv, 3, clip="above")


def test_zero_clipping_leaves_a_target_that_goes_below_zero_alone(csv, tmp_path):
    frame = series_frame(60)
    frame.loc[5, "y"] = -1.0                 # the target has been below zero
    path = tmp_path / "negative.csv"
    frame.to_csv(path, index=False)
    model = falling_model(path)
    plain, zero = forecast(model, path, 20), forecast(model, path, 20, clip="zero")
    assert not any("goes below 0" in note for note in plain.notes)   # it did before
    np.testing.assert_allclose(zero.values, plain.values)
    np.testing.assert_allclose(zero.lower, plain.lower)
    assert "Nothing was clipped" in zero.notes[-1]


def test_the_reach_says_how_far_the_network_can_forecast_and_why(csv):
    from engine.deploy.forecasting import MAX_STEPS, forecast_reach

    own = untrained_model(csv, ["y"], "gru", [3], "difference", inputs=[])
    assert forecast_reach(own, csv) == (MAX_STEPS, None)
    model = untrained_model(csv, ["y"], "gru", [4], "difference")      # inputs y, x, w
    most, why = forecast_reach(model, csv)
    assert most == 1 and "inputs x and w" in why and "none of their future values" in why
    assert "(the model's own output steps reach that far)" in why
    future = with_future_rows(series_frame(60), [0.2, 0.4, 0.6])
    most, why = forecast_reach(model, future)
    assert most == 4 and "for 3 rows" in why
    assert not any("steps asked" in note for note in forecast(model, future, most).notes)
    same_step = untrained_model(csv, ["y"], "gru", [3], "none", horizon=0, role="target")
    assert forecast_reach(same_step, csv)[0] == 0


def test_a_row_without_a_time_is_no_crash_and_the_forecast_continues_the_known_times(
        csv, tmp_path):
    model = untrained_model(csv, ["y"], "rnn", [3], "none", inputs=[])
    frame = pd.read_csv(csv)
    frame.loc[30, "month"] = None
    holed = tmp_path / "holed.csv"
    frame.to_csv(holed, index=False)
    result = forecast(model, holed, 2)
    out = pd.read_csv(write_forecast(result, tmp_path / "forecast.csv"))
    assert list(out["month"]) == ["2017-01-01", "2017-02-01"]


def test_a_target_of_two_labels_is_fitted_and_forecast_as_zero_and_one(tmp_path):
    """A yes/no target (coded as the data page codes it: "no" 0, "yes" 1): the automatic
    choices read its numbers, and the forecast starts from its known labels."""
    from engine.data.column_types import column_numbers
    from engine.model.forecaster import Forecaster
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.training.fitting import fit_project

    rng = np.random.default_rng(0)
    x = rng.standard_normal(160)
    flag = np.where(np.roll(x, 1) > 0, "yes", "no")
    path = tmp_path / "flags.csv"
    pd.DataFrame({"x": x, "flag": flag}).to_csv(path, index=False)
    np.testing.assert_array_equal(column_numbers(pd.Series(["no", "yes", None, "yes"])),
                                  [0.0, 1.0, np.nan, 1.0])
    project, _ = automatic_project(AutomaticChoices(path, ["flag"], inputs=["x"],
                                                    max_epochs=2))
    result = fit_project(project)
    model = Forecaster(result.network, {"preprocessing": result.fitted.to_dict(),
                                       "metadata": result.metadata()})
    found = forecast(model, path, 1)
    assert found.values.shape == (1, 1) and np.isfinite(found.values).all()
    np.testing.assert_array_equal(found.history[-3:, 0],
                                  (flag[-3:] == "yes").astype(float))


MADE_UP = ("were made from windows that read values the model made up: 1 empty number cell "
           "interpolated between the known values; the column read_filled_in marks them "
           "with 1. To forecast from known values only, fill the empty cells in row ")
KNOWN_ONLY = {"command_line": ", or forecast with --method ets or --method theta, which read "
                              "the targets' known values alone.",
              "window": ", or choose Exponential smoothing or The Theta method in the "
                        "Method box, which read the targets' known values alone."}


def test_forecasts_read_from_a_filled_in_cell_are_marked_and_counted_as_predict_does(
        csv, tmp_path):
    """An empty target cell the model interpolates is read by the recursive forecast's
    windows while they reach it (differences: 6 + 1 rows back, rows 60 to 63 for row 56);
    they are marked in the CSV's last column and a note counts them in predict's words,
    with a forecast's advice: the row to fill in, and not exponential smoothing, whose run
    of known values after the hole (3 rows) is too short to fit; the same file without the
    hole has neither."""
    model = untrained_model(csv, ["y"], "gru", [3], "difference", inputs=[])
    holed = tmp_path / "holed.csv"
    series_frame(60, gaps=[(56, "y")]).to_csv(holed, index=False)
    result = forecast(model, holed, 8)
    assert f"The forecasts of 4 rows {MADE_UP}56." in result.notes
    out = pd.read_csv(write_forecast(result, tmp_path / "forecast.csv"))
    assert list(out.columns)[-1] == "read_filled_in"
    assert list(out["read_filled_in"]) == [1, 1, 1, 1, 0, 0, 0, 0]
    plain = forecast(model, csv, 8)
    assert not any("made up" in note for note in plain.notes)
    assert "read_filled_in" not in plain.to_frame().columns


def test_a_direct_forecast_from_a_window_with_a_filled_in_input_is_marked_at_every_step(
        csv, tmp_path):
    """Every step of the model's own output steps comes from the last window: an input
    filled in there marks them all; one before that window marks none, and future rows'
    empty targets (the forecast's own) are not counted. The note advises, in each front
    end's words, the methods that read the targets' known values alone (the target has
    none empty here)."""
    model = untrained_model(csv, ["y"], "lstm", [4], "difference", horizon=3)
    holed = tmp_path / "holed.csv"
    series_frame(60, gaps=[(57, "x")]).to_csv(holed, index=False)
    result = forecast(model, holed, 3)
    assert result.method == "direct"
    for front, words in KNOWN_ONLY.items():
        said = forecast(model, holed, 3, front=front).notes
        assert f"The forecasts of 3 rows {MADE_UP}57{words}" in said
    assert list(result.to_frame()["read_filled_in"]) == [1, 1, 1]
    series_frame(60, gaps=[(40, "x")]).to_csv(holed, index=False)
    assert "read_filled_in" not in forecast(model, holed, 3).to_frame().columns
    mean = untrained_model(csv, ["y"], "lstm", [4], "difference", horizon=3, missing="mean")
    ahead = forecast(mean, with_future_rows(series_frame(60), [0.2, 0.4]), 3)
    assert ahead.method == "recursive" and not ahead.filled.any()


def test_a_forecast_is_written_in_the_data_files_delimiter_and_decimal_mark(tmp_path):
    """A file of semicolons and decimal commas got a forecast of commas and decimal
    points; it now gets its own marks, as predict writes them (and a forecast of many
    series)."""
    path = tmp_path / "semicolons.csv"
    series_frame(60).to_csv(path, index=False, sep=";", decimal=",")
    model = untrained_model(path, ["y"], "gru", [3], "difference", inputs=[])
    result = forecast_file(model, path, tmp_path / "f.csv", 3)
    text = (tmp_path / "f.csv").read_text().splitlines()
    assert text[0] == "month;y;y_lower_90;y_upper_90"
    written = pd.read_csv(tmp_path / "f.csv", sep=";", decimal=",")
    np.testing.assert_allclose(written["y"], result.values[:, 0], rtol=1e-9)
    assert all("," in line.split(";")[1] for line in text[1:])
    write_forecast(result, tmp_path / "plain.csv")      # no file's marks given: commas
    assert (tmp_path / "plain.csv").read_text().startswith("month,y,y_lower_90,y_upper_90\n")


def test_the_methods_of_known_values_are_advised_only_where_they_can_fit():
    """A run of 10 or more known values that is constant was advised to exponential
    smoothing and the Theta method, which then refuse it ("the series is constant")."""
    from engine.deploy.made_up_forecasts import runs_fit

    varied = np.sin(np.arange(14.0))
    assert runs_fit({"y": varied})
    assert not runs_fit({"y": np.r_[varied[:4], np.nan, np.full(12, 3.0)]})
    assert runs_fit({"y": np.r_[np.full(4, 3.0), np.nan, varied[:12]]})
    assert not runs_fit({"y": varied, "w": np.r_[np.nan, varied[:8]]})     # 8 rows: short
