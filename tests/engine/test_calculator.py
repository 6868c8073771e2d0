"""The outputs calculator and directional outputs: the same answer as a prediction of the
same window in a file, and known answers from a hand-set network."""

import numpy as np
import pytest

from engine.deploy.calculator import (calculate, calculator_columns, calculator_rows,
                                      directional_outputs, input_range, rows_needed)
from engine.data import load_table
from engine.errors import EngineError
from engine.deploy.predicting import predictions_table
from helpers.models import series_frame, untrained_model


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "series.csv"
    series_frame(60).to_csv(path, index=False)
    return path


def test_the_calculator_prefills_the_last_rows_and_agrees_with_predict(csv):
    model = untrained_model(csv, ["y"], "lstm", [5], "seasonal_difference", horizon=2,
                            lookback=4)
    fitted = model.preprocessing
    assert calculator_columns(fitted) == ["y", "x", "w"] and rows_needed(fitted) == 16
    rows, labels = calculator_rows(model, load_table(csv).frame)
    assert rows.shape == (16, 3) and labels[-1] == "2016-12-01" and labels[0] == "2015-09-01"
    result = calculate(model, rows)
    table, _, _ = predictions_table(model, csv)        # the last window predicts rows 60, 61
    expected = [table["y_predicted_1"].iloc[60], table["y_predicted_2"].iloc[61]]
    np.testing.assert_allclose(result.values[:, 0], expected, rtol=0, atol=1e-9)
    assert list(result.steps) == [1, 2]
    assert list(result.to_frame().columns) == ["steps ahead", "y"]


@pytest.mark.parametrize("missing", ["interpolate", "mean"])
def test_an_empty_cell_at_the_tables_first_row_is_filled_as_the_model_fills_it(csv, missing):
    """The first row the calculator shows (a base of the seasonal differences) has an empty
    input: the table holds what the model reads there (interpolated from the file's rows
    around it, or the training mean), and the calculation equals the prediction."""
    import pandas as pd

    model = untrained_model(csv, ["y"], "gru", [4], "seasonal_difference", lookback=4,
                            missing=missing)
    frame = pd.read_csv(csv)
    frame.loc[60 - rows_needed(model.preprocessing), "x"] = np.nan
    rows, _ = calculator_rows(model, frame)
    assert rows["x"].notna().all()
    _, values = model.predict(frame)
    np.testing.assert_allclose(calculate(model, rows).values[0], values[-1, 0], rtol=1e-12)


def test_typed_text_counts_and_empty_cells_are_handled_as_in_a_file(csv):
    model = untrained_model(csv, ["y"], "gru", [4], "none", role="target")
    rows, _ = calculator_rows(model, load_table(csv).frame)
    assert list(rows.columns) == ["x", "w"]           # y is neither read nor a base value
    typed = rows.astype(str)
    np.testing.assert_allclose(calculate(model, typed).values, calculate(model, rows).values)
    # an empty cell between known ones is interpolated, as in a file ...
    typed.loc[2, "x"] = ""
    halfway = rows.copy()
    halfway.loc[2, "x"] = (rows["x"].iloc[1] + rows["x"].iloc[3]) / 2
    np.testing.assert_allclose(calculate(model, typed).values,
                               calculate(model, halfway).values, rtol=0, atol=1e-12)
    # ... one in the last row cannot be
    typed.loc[5, "x"] = ""
    with pytest.raises(EngineError, match="every cell must hold a number"):
        calculate(model, typed)
    typed.loc[5, "x"] = "n/a"                          # text that is no number: named
    with pytest.raises(EngineError, match="Row 6 of column 'x' holds 'n/a', which is no "
                                          "number"):
        calculate(model, typed)
    with pytest.raises(EngineError, match="needs 6 rows"):
        calculate(model, rows.iloc[:5])


def relu_model(csv):
    """y = relu((x_last - c_x) / s_x) * s_y + c_y: one ReLU unit reading x, the head
    copying it; w is read with weight 0."""
    model = untrained_model(csv, ["y"], "rnn", [1], "none", role="target", activation="relu")
    state = {name: np.zeros_like(a) for name, a in model.network.state_dict().items()}
    state["rnn.weight_ih_l0"][0, 0] = 1.0             # inputs are [x, w]
    state["head.weight"][0, 0] = 1.0
    model.network.load_state_dict(state)
    return model


def test_directional_outputs_follow_a_known_curve(csv):
    model = relu_model(csv)
    fitted = model.preprocessing
    x_scaler, y_scaler = fitted.scaler("x"), fitted.scaler("y")
    rows, _ = calculator_rows(model, load_table(csv).frame)
    result = directional_outputs(model, rows, "x", low=-1.5, high=1.5, points=7)
    np.testing.assert_allclose(result.x, np.linspace(-1.5, 1.5, 7))
    expected = np.maximum((result.x - x_scaler.center) / x_scaler.scale, 0) \
        * y_scaler.scale + y_scaler.center
    np.testing.assert_allclose(result.values[:, 0, 0], expected, rtol=0, atol=1e-9)
    # the held rows' own answer, and the same curve when only the last row varies (the
    # unit has no memory: W_hh = 0)
    assert result.current == rows["x"].iloc[-1]
    np.testing.assert_allclose(result.reference, calculate(model, rows).values)
    last = directional_outputs(model, rows, "x", low=-1.5, high=1.5, points=7, where="last")
    np.testing.assert_allclose(last.values, result.values, atol=1e-12)
    flat = directional_outputs(model, rows, "w", points=5)
    assert np.ptp(flat.values) < 1e-12                 # w has weight 0


def test_default_range_is_the_training_spread(csv):
    model = relu_model(csv)
    fitted = model.preprocessing
    s = fitted.scaler("x")
    rows, _ = calculator_rows(model, load_table(csv).frame)
    assert input_range(model, "x", rows) == pytest.approx((s.center - 2 * s.scale,
                                                           s.center + 2 * s.scale))
    with pytest.raises(EngineError, match="not an input"):
        directional_outputs(model, rows, "y")
