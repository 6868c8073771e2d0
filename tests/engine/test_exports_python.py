"""The standalone Python export predicts as the application does: run in a separate Python
that may import NumPy but not pandas or RNN Studio, its predictions equal the engine's
(prediction_windows + network + inverse, the path of ``rnn-studio predict``) to 1e-9."""

import json
import subprocess
import sys
import textwrap

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
import pandas as pd
import pytest

from engine.data import inverse_predictions, load_table, prediction_windows
from engine.deploy.exports import export_model
from engine.deploy.predicting import predictions_table
from helpers.models import series_frame, untrained_model

RUNNER = textwrap.dedent("""
    import importlib.abc, json, math, sys

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("pandas", "engine", "app", "torch", "onnx", "scipy"):
                raise ImportError(f"{name} may not be imported here")
            return None

    sys.meta_path.insert(0, Refuse())
    folder, name = sys.argv[1], sys.argv[2]
    sys.path.insert(0, folder)
    model = __import__(name)
    columns = json.load(sys.stdin)
    data = {k: [float("nan") if v is None else v for v in values]
            for k, values in columns.items()}
    out = model.predict(data)
    assert not [m for m in sys.modules if m.split(".")[0] in ("pandas", "engine")]
    print(json.dumps({"columns": model.COLUMNS, "shape": list(out.shape),
                      "values": [None if math.isnan(v) else v for v in out.ravel().tolist()],
                      "next": model.predict_next(data).ravel().tolist()}))
""")


def engine_predictions(model, frame):
    """(anchors, values (n, steps, k)) as the application computes them."""
    fitted = model.preprocessing
    windows = prediction_windows(fitted, frame)
    outputs = model.network.predict(np.asarray(windows.X), untrained=True)
    return windows.anchors, inverse_predictions(fitted, outputs, windows)


def run_standalone(path, frame, columns):
    data = {name: [None if pd.isna(v) else float(v) for v in frame[name]] for name in columns}
    return run_module(path, data)


def run_module(path, data):
    """``(result, values (rows, steps, k))`` of the module at ``path`` run in a separate
    Python on ``data`` (column -> list of values)."""
    done = subprocess.run([sys.executable, "-I", "-c", RUNNER, str(path.parent), path.stem],
                          input=json.dumps(data), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    values = np.array([np.nan if v is None else v for v in result["values"]])
    return result, values.reshape(result["shape"])


CASES = [
    # cell, hidden, transform, horizon, targets, role, activation
    ("rnn", [4], "none", 1, ["y"], "target", "tanh"),
    ("rnn", [4, 3], "difference", 2, ["y"], "input_target", "relu"),
    ("gru", [5], "seasonal_difference", 3, ["y", "w"], "input_target", "tanh"),
    ("gru", [4, 4], "difference", 1, ["y", "x"], "input_target", "tanh"),
    ("lstm", [5], "seasonal_difference", 2, ["y"], "input_target", "tanh"),
    ("lstm", [3, 4], "none", 2, ["y", "w"], "input_target", "tanh"),
    ("gru", [4], "none", 0, ["y"], "target", "tanh"),
]


@pytest.mark.parametrize("cell,hidden,transform,horizon,targets,role,activation", CASES)
def test_standalone_module_reproduces_the_engine(tmp_path, cell, hidden, transform, horizon,
                                                 targets, role, activation):
    check_standalone_module(tmp_path, cell, hidden, transform, horizon, targets, role,
                            activation)


@pytest.mark.parametrize("case", [CASES[1], CASES[2], CASES[5]], ids=["rnn", "gru", "lstm"])
def test_standalone_module_reproduces_a_linear_path(tmp_path, case):
    model = check_standalone_module(tmp_path, *case, linear_path=True)
    assert "ar.weight" in model.network.state_dict()
    assert "with a linear path" in (tmp_path / "exported_model.py").read_text()


def check_standalone_module(tmp_path, cell, hidden, transform, horizon, targets, role,
                            activation, linear_path=False):
    """The exported module's predictions are the engine's; returns the model."""
    frame = series_frame(gaps=[(30, "x"), (31, "x"), (50, "y")])
    csv = tmp_path / "series.csv"
    frame.to_csv(csv, index=False)
    model = untrained_model(csv, targets, cell, hidden, transform, horizon, role=role,
                            activation=activation, linear_path=linear_path)
    path = export_model(model, "python", tmp_path / "exported_model.py")
    result, values = run_standalone(path, frame, [c for c in frame.columns if c != "month"])
    anchors, expected = engine_predictions(model, load_table(csv).frame)
    steps = max(horizon, 1)
    assert values.shape == (len(frame), steps, len(targets))
    usable = np.isfinite(values).all(axis=(1, 2))
    # the same windows are usable (missing values interpolated alike) ...
    assert np.array_equal(np.flatnonzero(usable), anchors)
    # ... and give the same predictions, in the targets' units
    np.testing.assert_allclose(values[anchors], expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(result["next"], expected[-1].ravel(), rtol=0, atol=1e-9)
    assert result["columns"] == (["y", "x", "w"] if role == "input_target" or transform != "none"
                                 else ["x", "w"])
    return model


def test_standalone_module_matches_the_predict_command_table(tmp_path):
    """The ``rnn-studio predict`` table: ``y_predicted_h`` at row r comes from the window
    ending at row r - h."""
    frame = series_frame()
    csv = tmp_path / "series.csv"
    frame.to_csv(csv, index=False)
    model = untrained_model(csv, ["y"], "gru", [6], "seasonal_difference", horizon=2)
    path = export_model(model, "python", tmp_path / "air_model.py")
    _, values = run_standalone(path, frame, ["y", "x", "w"])
    table, extra, _ = predictions_table(model, csv)
    assert extra == 2
    for h in (1, 2):
        column = table[f"y_predicted_{h}"].to_numpy(dtype=float)
        anchors = np.flatnonzero(np.isfinite(values[:, h - 1, 0]))
        np.testing.assert_allclose(column[anchors + h], values[anchors, h - 1, 0],
                                   rtol=0, atol=1e-9)
        assert np.isnan(np.delete(column, anchors + h)).all()


def test_a_float32_model_agrees_in_float32_and_a_2d_array_works(tmp_path):
    frame = series_frame()
    csv = tmp_path / "series.csv"
    frame.to_csv(csv, index=False)
    model = untrained_model(csv, ["y"], "lstm", [8], "difference", dtype="float32")
    path = export_model(model, "python", tmp_path / "small.py")
    import importlib.util
    spec = importlib.util.spec_from_file_location("small_export", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    array = frame[module.COLUMNS].to_numpy(dtype=float)
    anchors, expected = engine_predictions(model, load_table(csv).frame)
    got = module.predict(array)
    np.testing.assert_allclose(got[anchors], expected, rtol=1e-5, atol=1e-4)
    assert "Usage" in module.__doc__ and "predict_next" in module.__doc__
    with pytest.raises(ValueError, match="columns"):
        module.predict(array[:, :1])


def test_categorical_inputs_are_one_hot_as_in_the_application(tmp_path):
    """Seattle weather: the 'weather' column (rain, sun, ...) is a one-hot input."""
    from pathlib import Path
    csv = Path(__file__).parents[2] / "resources" / "examples" / "seattle_weather_daily.csv"
    frame = pd.read_csv(csv).iloc[:300]
    small = tmp_path / "seattle.csv"
    frame.to_csv(small, index=False)
    model = untrained_model(small, ["temp_max"], "lstm", [4], "seasonal_difference",
                            horizon=2, lookback=5)
    fitted_columns = model.header["preprocessing"]["input_columns"]
    assert any(c["category"] is not None for c in fitted_columns)
    path = export_model(model, "python", tmp_path / "seattle_model.py")
    columns = ["precipitation", "temp_max", "temp_min", "wind", "weather"]
    data = {name: [None if pd.isna(v) else (v if isinstance(v, str) else float(v))
                   for v in frame[name]] for name in columns}
    result, values = run_module(path, data)
    anchors, expected = engine_predictions(model, load_table(small).frame)
    np.testing.assert_allclose(values[anchors], expected, rtol=0, atol=1e-9)
    assert result["columns"] == columns


def test_empty_cells_given_as_text_are_missing_and_na_is_a_label_as_in_the_application(
        tmp_path):
    """Rows as csv.DictReader gives them (every cell a text): an empty category cell is a
    missing value, as when RNN Studio reads the file; with missing values dropped, no
    window that reads that row is predicted (it was, from a row of zeros). "NA" in a column
    of labels is a label, a category of the model, as RNN Studio reads it."""
    import csv
    from pathlib import Path
    source = Path(__file__).parents[2] / "resources" / "examples" / "seattle_weather_daily.csv"
    frame = pd.read_csv(source).iloc[:200].astype(object)
    frame.loc[70, "weather"] = ""
    frame.loc[120, "weather"] = "NA"
    frame.loc[150:, "weather"] = " " + frame.loc[150:, "weather"]   # read without the space
    small = tmp_path / "seattle.csv"
    frame.to_csv(small, index=False)
    model = untrained_model(small, ["temp_max"], "gru", [4], horizon=2, lookback=5,
                            missing="drop")
    weather = next(v for v in model.header["preprocessing"]["variables"]
                   if v["name"] == "weather")
    assert "NA" in weather["categories"]
    path = export_model(model, "python", tmp_path / "seattle_drop.py")
    with open(small, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = ["precipitation", "temp_max", "temp_min", "wind", "weather"]
    data = {name: [row[name] for row in rows] for name in columns}
    result, values = run_module(path, data)
    anchors, expected = engine_predictions(model, load_table(small).frame)
    assert not np.isin([70, 71], anchors).any() and np.isin([120, 124], anchors).all()
    np.testing.assert_array_equal(np.flatnonzero(np.isfinite(values[:, 0, 0])), anchors)
    np.testing.assert_allclose(values[anchors], expected, rtol=0, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_a_docstring_literal_reads_back_as_its_text(text):
    """Whatever names a docstring holds (quotes, backslashes, three quotes in a row), the
    module's source reads back as that text."""
    import ast

    from engine.deploy.exports.python_module import docstring_literal

    literal = docstring_literal(text)
    assert ast.literal_eval(literal) == text
    assert isinstance(ast.parse(literal).body[0].value, ast.Constant)


def test_a_file_name_python_cannot_import_gets_a_name_it_can():
    from engine.deploy.exports.python_module import module_name

    assert module_name("air_model.py") == "air_model"
    assert module_name("air-model 2.py") == "air_model_2"
    assert module_name("2020.py") == "model_2020"
    assert module_name("class.py") == "model_class"          # a keyword
    assert module_name("import.py") == "model_import"


def test_the_docstring_says_what_the_fit_kept_of_the_network(tmp_path):
    """A fit that kept none of the recurrent part made a linear autoregression: the module
    says so, as step 7 does, not "GRU, hidden [6]"; one that kept all names the network."""
    import ast

    from engine.deploy.exports.python_module import module_text

    csv = tmp_path / "series.csv"
    series_frame().to_csv(csv, index=False)
    model = untrained_model(csv, ["y"], "gru", [6], linear_path=True)
    whole = ast.get_docstring(ast.parse(module_text(model)))
    assert "Model: GRU of 6 units, float64, with a linear path over the window;" in whole
    model.metadata["training"] = {"linear_share": {"share": 0.0, "block": 12,
                                                   "scores": {"0.0": 0.5, "1.0": 0.7}}}
    linear = ast.get_docstring(ast.parse(module_text(model)))
    assert "Model: a linear autoregression (the recurrent part of GRU of 6 units dropped" \
        in linear
    assert "hidden" not in linear


def test_the_docstring_counts_a_window_of_one_row_in_the_singular(tmp_path):
    """A lookback of one row: the module said "lookback 1 rows" and "at least 1 rows"."""
    import ast

    from engine.deploy.exports.python_module import module_text

    csv = tmp_path / "series.csv"
    series_frame().to_csv(csv, index=False)
    text = ast.get_docstring(ast.parse(module_text(
        untrained_model(csv, ["y"], "gru", [6], lookback=1))))
    assert "lookback 1 row," in text and "at least 1 row\n" in text
    assert "A window needs 1 consecutive row with" in text and "1 rows" not in text


def _codes_with_other(tmp_path):
    """A model with the text category 'kind' (codes 1 to 3 and 'other'), and the rows of a
    new file that holds the codes alone, its 'other' cells empty: pandas reads that column
    as decimals (1.0, 2.0, 3.0)."""
    rng = np.random.default_rng(3)
    kinds = np.array(["1", "2", "3", "other"])[np.arange(120) % 4]
    frame = pd.DataFrame({"month": pd.date_range("2010-01-01", periods=120, freq="MS"),
                          "y": rng.normal(size=120).round(3), "kind": kinds})
    trained = tmp_path / "trained.csv"
    frame.to_csv(trained, index=False)
    model = untrained_model(trained, ["y"], "gru", [4], lookback=3)
    frame.loc[frame["kind"] == "other", "kind"] = None
    new = tmp_path / "codes.csv"
    frame.to_csv(new, index=False)
    return model, new


def test_codes_read_as_decimals_are_the_categories_written_as_whole_numbers(tmp_path):
    """A category '1' of a text column is the cell 1.0 of a new file whose column pandas
    read as decimals (its other labels empty): one-hot as when read as text, in the
    application and in the exported module, and no label is unknown (the cells were
    compared as text, '1.0' against '1', and every row read as of no category)."""
    model, new = _codes_with_other(tmp_path)
    frame = load_table(new).frame
    assert frame["kind"].dtype.kind == "f"
    as_text = frame.assign(kind=frame["kind"].map(lambda v: v if pd.isna(v) else
                                                  str(int(v))).astype(object))
    windows = prediction_windows(model.preprocessing, frame)
    np.testing.assert_array_equal(
        windows.X, prediction_windows(model.preprocessing, as_text).X)
    assert windows.X[..., -4:-1].sum() > 0         # the one-hot columns of 1, 2 and 3
    from engine.deploy.predicting import predictions_with_notes
    notes = predictions_with_notes(model, new)[3]
    assert not [note for note in notes if "not trained on" in note], notes
    path = export_model(model, "python", tmp_path / "codes_model.py")
    _, values = run_standalone(path, frame, ["y", "kind"])
    anchors, expected = engine_predictions(model, frame)
    np.testing.assert_allclose(values[anchors], expected, rtol=0, atol=1e-9)
    as_read = {"y": [repr(v) for v in frame["y"]],             # every cell a text, as
               "kind": ["" if pd.isna(v) else f"{v:.1f}" for v in frame["kind"]]}  # csv gives
    _, values = run_module(path, as_read)
    np.testing.assert_allclose(values[anchors], expected, rtol=0, atol=1e-9)
    written_na = {**as_read, "kind": [text or "NA" for text in as_read["kind"]]}
    _, values = run_module(path, written_na)     # "NA" is empty in a column of numbers
    np.testing.assert_allclose(values[anchors], expected, rtol=0, atol=1e-9)
