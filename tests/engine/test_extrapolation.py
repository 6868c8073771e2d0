"""Data far outside what a model was trained on is predicted with a note that says so (which
column, how many rows, the training values against these), by the Python API and the
command line, for one series and for many; data within the training values gets none."""


import numpy as np
import pandas as pd
import pytest

from engine.data.extrapolation import far_outside
from engine.deploy.calculator import calculate, calculator_rows
from engine.deploy.forecasting import forecast
from engine.deploy.predicting import write_predictions
from engine.many.calculator import calculator_rows as series_rows
from engine.many.calculator import forecast_series
from engine.many.forecasting import forecast_frame
from engine.many.model_file import load_global_model
from engine.many.predicting import write_predictions as write_series_predictions
from engine.many.series_data import series_for_model
from engine.model.model_file import load_model
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project, save_fit
from helpers.many_series import monthly_csv
from helpers.models import seasonal_frame
from helpers.command_line import run

FAR = "far outside those the model was trained on"


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    """``(model path, data, data with y times 100, data with x times 100)``: a model of y
    (also an input) and the input x, trained briefly."""
    folder = tmp_path_factory.mktemp("one")
    frame = seasonal_frame()
    paths = [folder / name for name in ("data.csv", "y100.csv", "x100.csv")]
    frame.to_csv(paths[0], index=False)
    for path, column in zip(paths[1:], ("y", "x")):
        frame.assign(**{column: frame[column] * 100}).to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(paths[0], ["y"], lookback=4,
                                                    max_epochs=2))
    project.selection.settings = {}
    model = folder / "model.npz"
    save_fit(fit_project(project), model)
    return (model, *paths)


def test_the_rule_is_six_standard_deviations_or_half_the_range_beyond_its_ends():
    scaled = np.array([0.0, 5.9, -6.1, 6.1, np.nan])
    np.testing.assert_array_equal(far_outside("standard", scaled),
                                  [False, False, True, True, False])
    np.testing.assert_array_equal(far_outside("log", scaled), far_outside("standard", scaled))
    np.testing.assert_array_equal(far_outside("minmax", [-0.6, -0.4, 1.4, 1.6, np.nan]),
                                  [True, False, False, True, False])
    assert not far_outside("none", [1e9]).any()        # no statistics kept: not checked


def test_beyond_six_standard_deviations_but_within_the_training_values_is_not_far():
    scaled = np.array([7.0, 8.5, -7.5, 9.0])
    np.testing.assert_array_equal(far_outside("standard", scaled, low=-8.0, high=8.0),
                                  [False, True, False, True])


def test_a_heavy_tailed_training_file_gets_no_note_on_itself(tmp_path):
    """Spikes of 12 standard deviations among the training rows (a power meter's changes):
    predicting the training file itself said its values were far outside the training
    values; the scaler now keeps the training values' extremes."""
    rng = np.random.default_rng(1)
    y = rng.normal(size=200)
    y[[20, 60, 100]] = [25.0, -25.0, 25.0]
    data = tmp_path / "spiky.csv"
    pd.DataFrame({"t": np.arange(200), "y": y}).to_csv(data, index=False)
    project, _ = automatic_project(AutomaticChoices(data, ["y"], lookback=4, max_epochs=2))
    project.selection.settings = {}
    model = tmp_path / "model.npz"
    save_fit(fit_project(project), model)
    scaler = next(v["scaler"] for v in load_model(model).preprocessing.variables
                  if v["name"] == "y")
    assert scaler["high"] > 6 and scaler["low"] < -6
    assert write_predictions(model, data, tmp_path / "out.csv").notes == []


def test_predictions_from_values_a_hundred_times_larger_name_the_column(one, tmp_path):
    model, data, y100, x100 = one
    written = write_predictions(model, y100, tmp_path / "out.csv")
    assert written.rows == 97 and len(written.notes) == 1
    note = written.notes[0]
    assert note.startswith(f"Values {FAR}: y in all 96 rows read (trained on values "
                           "with a mean of ")
    assert "; here from " in note and "x in" not in note
    assert "retrain the model with such data if it is expected. A target that keeps " \
           "growing" in note and "a target transform of the logarithm" in note
    assert write_predictions(model, data, tmp_path / "out.csv").notes == []
    note = write_predictions(model, x100, tmp_path / "out.csv").notes[0]
    assert ": x in " in note and "y in" not in note
    assert note.endswith("retrain the model with such data if it is expected.")


def test_a_forecast_and_a_calculation_from_such_values_say_so(one):
    model, data, y100, _ = one
    model = load_model(model)
    assert not any(FAR in note for note in forecast(model, data, 3).notes)
    notes = [note for note in forecast(model, y100, 3).notes if FAR in note]
    assert len(notes) == 1 and ": y in all 4 rows read" in notes[0]
    rows, _ = calculator_rows(model, pd.read_csv(data))
    assert calculate(model, rows).notes == []
    rows, _ = calculator_rows(model, pd.read_csv(y100))
    assert ": y in all 4 rows read" in calculate(model, rows).notes[0]


def test_the_command_line_prints_the_note_after_what_it_wrote(one, tmp_path):
    model, data, y100, _ = one
    out = tmp_path / "out.csv"
    for command in (["predict"], ["forecast", "--steps", 1]):
        status, text, err = run(command[0], model, y100, "--out", out, *command[1:])
        assert status == 0 and err == ""
        first, note = text.splitlines()
        assert first.startswith(("Wrote 97 rows", "Forecast of 1 step"))
        assert note.startswith(f"Note: Values {FAR}: y in ")
        status, text, err = run(command[0], model, data, "--out", out, *command[1:])
        assert status == 0 and "Note:" not in text


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """``(model, data, data with series B times 100)``: a global model of three series
    trained briefly."""
    folder = tmp_path_factory.mktemp("many")
    data = monthly_csv(folder / "long.csv", {"A": (40, "2020-01-01"),
                                             "B": (36, "2020-03-01"),
                                             "C": (44, "2019-11-01")})
    frame = pd.read_csv(data)
    frame.loc[frame["id"] == "B", "y"] *= 100
    scaled = folder / "b100.csv"
    frame.to_csv(scaled, index=False)
    model = folder / "global.npz"
    status, _, err = run("fit", data, "--series", "id", "--target", "y", "--time", "month",
                         "--test-last", "6", "--hidden", "4", "--epochs", "3", "--out", model)
    assert status == 0, err
    return model, data, scaled


def test_many_series_name_the_one_scaled_up(many, tmp_path):
    model, data, scaled = many
    model = load_global_model(model)
    expected = f"1 series has values {FAR}: B. In 'B': y in all 36 rows read (trained "
    written = write_series_predictions(model, series_for_model(model, scaled),
                                       tmp_path / "out.csv")
    assert written.rows == 120 and written.notes[0].startswith(expected)
    assert write_series_predictions(model, series_for_model(model, data),
                                    tmp_path / "out.csv").notes == []
    _, notes = forecast_frame(model, scaled, 3)
    assert [note for note in notes if FAR in note][0].startswith(f"1 series has values {FAR}: "
                                                                 "B. In 'B': y in ")
    _, notes = forecast_frame(model, data, 3)
    assert not any(FAR in note for note in notes)
    values = series_for_model(model, scaled)
    notes = forecast_series(model, "A", series_rows(model, values, "A")[0]).notes
    assert not any(FAR in note for note in notes)
    notes = forecast_series(model, "B", series_rows(model, values, "B")[0]).notes
    assert sum(FAR in note for note in notes) == 1


def test_many_series_on_the_command_line(many, tmp_path):
    model, data, scaled = many
    status, text, _ = run("predict", model, scaled, "--out", tmp_path / "out.csv")
    assert status == 0 and f"\nNote: 1 series has values {FAR}: B." in text
    status, text, _ = run("predict", model, data, "--out", tmp_path / "out.csv")
    assert status == 0 and "Note:" not in text


def test_a_forecast_from_one_row_names_the_row_and_its_value_once(tmp_path):
    """A model that reads one row (lookback 1), forecast one step from a file whose last x
    is far out: "month 2020-01-01" (it said "2020-01-01 to 2020-01-01") and "x in the one
    row read (...; here 5000)" (it said "in 1 of the 1 rows read ... here from 5000 to
    5000")."""
    frame = seasonal_frame()
    data, far = tmp_path / "data.csv", tmp_path / "far.csv"
    frame.to_csv(data, index=False)
    frame.assign(x=frame["x"].where(frame.index < len(frame) - 1, 5000.0)).to_csv(
        far, index=False)
    project, _ = automatic_project(AutomaticChoices(data, ["y"], inputs=["x"], lookback=1,
                                                    max_epochs=2))
    project.selection.settings = {}
    model = tmp_path / "model.npz"
    save_fit(fit_project(project), model)
    status, text, err = run("forecast", model, far, "--steps", 1, "--out",
                            tmp_path / "out.csv")
    assert status == 0, err
    assert "Forecast of 1 step (direct), month 2020-01-01, " in text
    assert " to 2020" not in text
    note = next(line for line in text.splitlines() if FAR in line)
    assert ": x in the one row read (trained on values with a mean of " in note
    assert "; here 5000)" in note


def test_rows_and_values_of_the_note_in_words():
    from engine.data.extrapolation import span_words
    from engine.words import counted_of

    assert counted_of(1, 1, "row") == "the one row"
    assert counted_of(96, 96, "row") == "all 96 rows"
    assert counted_of(1, 3, "row") == "1 of the 3 rows"
    assert counted_of(137, 1430, "row") == "137 of the 1,430 rows"
    assert span_words(np.array([2226.0])) == "2226"
    assert span_words(np.array([54100.0, 78900.0])) == "from 54,100 to 78,900"
