"""The ONNX export: standard RNN/GRU/LSTM operators that onnxruntime runs to the network's
outputs (float32, 1e-5), with the scaling the inputs need in the model's properties."""

import json

import numpy as np
import pytest

from engine.data import FittedPreprocessing
from engine.errors import EngineError
from engine.deploy.exports import export_model
from engine.deploy.exports.onnx_model import GATE_ORDER, build_onnx
from engine.model.forecaster import Forecaster
from engine.network.recurrent import RecurrentNetwork

onnx = pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")

PREPROCESSING = FittedPreprocessing(
    [{"name": "load", "role": "input_target", "type": "numeric",
      "scaler": {"method": "standard", "center": 2.5, "scale": 4.0}, "categories": [],
      "fill": None},
     {"name": "temp", "role": "input", "type": "numeric",
      "scaler": {"method": "minmax", "center": -3.0, "scale": 30.0}, "categories": [],
      "fill": None},
     {"name": "day", "role": "input", "type": "categorical", "scaler": {"method": "none"},
      "categories": ["Mon", "Sun"], "fill": None}],
    lookback=8, horizon=2, target_transform="difference").to_dict()


def model(cell, hidden, activation="tanh", dtype="float32", linear_path=False):
    network = RecurrentNetwork(cell, 4, hidden, 2, activation=activation, dtype=dtype, seed=11,
                               linear_path=linear_path, lookback=8)
    network.load_state_dict(network.state_dict())   # its seeded weights stand for trained ones
    return Forecaster(network, {"preprocessing": PREPROCESSING, "metadata": {}})


@pytest.mark.parametrize("cell,activation,hidden", [
    ("rnn", "tanh", [6]), ("rnn", "relu", [5, 4]), ("gru", "tanh", [6]),
    ("gru", "tanh", [4, 7]), ("lstm", "tanh", [6]), ("lstm", "tanh", [5, 3])])
def test_onnxruntime_gives_the_networks_outputs(tmp_path, cell, activation, hidden):
    m = model(cell, hidden, activation)
    path = export_model(m, "onnx", tmp_path / "net.onnx")
    loaded = onnx.load(str(path))
    operators = [node.op_type for node in loaded.graph.node]
    assert operators.count({"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}[cell]) == len(hidden)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    for batch, steps in ((1, 8), (13, 8), (3, 21)):      # batch and time are free
        X = (2 * rng.standard_normal((batch, steps, 4))).astype(np.float32)
        got = session.run(["y"], {"x": X})[0]
        assert got.shape == (batch, 2) and got.dtype == np.float32
        np.testing.assert_allclose(got, m.network.predict(X), rtol=0, atol=1e-5)


@pytest.mark.parametrize("cell,hidden", [("rnn", [6]), ("gru", [4, 7]), ("lstm", [6])])
def test_a_linear_path_is_one_more_matmul_on_the_flattened_window(tmp_path, cell, hidden):
    m = model(cell, hidden, dtype="float64", linear_path=True)
    path = export_model(m, "onnx", tmp_path / "net.onnx")
    loaded = onnx.load(str(path))
    operators = [node.op_type for node in loaded.graph.node]
    assert operators[-3:] == ["Reshape", "MatMul", "Add"]
    time = loaded.graph.input[0].type.tensor_type.shape.dim[1]
    assert time.dim_value == 8                           # the window's length is fixed
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    X = (2 * np.random.default_rng(2).standard_normal((17, 8, 4))).astype(np.float32)
    expected = m.network.predict(X)
    assert np.abs(X.reshape(17, -1) @ m.network.state_dict()["ar.weight"].T).max() > 0.5
    np.testing.assert_allclose(session.run(["y"], {"x": X})[0], expected, rtol=0, atol=1e-5)


def test_a_float64_network_is_exported_in_float32():
    m = model("gru", [6], dtype="float64")
    session = onnxruntime.InferenceSession(build_onnx(m).SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    X = np.random.default_rng(1).standard_normal((5, 8, 4))
    got = session.run(["y"], {"x": X.astype(np.float32)})[0]
    np.testing.assert_allclose(got, m.network.predict(X), rtol=0, atol=1e-5)


def test_the_scaling_the_inputs_need_is_in_the_metadata():
    proto = build_onnx(model("lstm", [3]))
    props = {p.key: p.value for p in proto.metadata_props}
    scaling = json.loads(props["rnn_studio.input_scaling"])
    assert [(s["column"], s.get("category")) for s in scaling] == \
        [("load", None), ("temp", None), ("day", "Mon"), ("day", "Sun")]
    assert (scaling[0]["center"], scaling[0]["scale"]) == (2.5, 4.0)
    assert "difference" in scaling[0]["of"]
    assert (scaling[1]["method"], scaling[1]["center"], scaling[1]["scale"]) == \
        ("minmax", -3.0, 30.0)
    outputs = json.loads(props["rnn_studio.output_scaling"])
    assert [(o["target"], o["step"]) for o in outputs] == [("load", 1), ("load", 2)]
    assert json.loads(props["rnn_studio.preprocessing"]) == PREPROCESSING
    assert props["rnn_studio.lookback"] == "8"
    assert "x' = (f(x) - center) / scale, f = ln for the method log" in proto.doc_string


def test_gate_order_maps_pytorch_blocks_to_onnx_blocks():
    # PyTorch LSTM (i, f, g, o) -> ONNX (i, o, f, c); GRU (r, z, n) -> ONNX (z, r, h)
    assert [("i", "f", "g", "o")[g] for g in GATE_ORDER["lstm"]] == ["i", "o", "f", "g"]
    assert [("r", "z", "n")[g] for g in GATE_ORDER["gru"]] == ["z", "r", "n"]


def test_a_file_that_disagrees_is_not_written(tmp_path, monkeypatch):
    import engine.deploy.exports.onnx_model as onnx_model
    monkeypatch.setattr(onnx_model, "self_check", lambda proto, network: 0.5)
    target = tmp_path / "net.onnx"
    with pytest.raises(EngineError, match="differ"):
        export_model(model("gru", [3]), "onnx", target)
    assert not target.exists()


def test_onnx_outputs_unscaled_are_the_applications_predictions():
    """The path a user follows: windows of a table scaled as the metadata says, run by
    onnxruntime, then unscaled and the differences undone, give the application's
    predictions in the targets' units (float32: 1e-5 relative)."""
    import pandas as pd
    from engine.data import inverse_predictions, prediction_windows

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"load": 100 + np.cumsum(rng.standard_normal(40)),
                          "temp": 10 + 5 * rng.standard_normal(40),
                          "day": np.where(np.arange(40) % 7 == 6, "Sun", "Mon")})
    m = model("lstm", [5, 4])
    fitted = FittedPreprocessing.from_dict(PREPROCESSING)
    windows = prediction_windows(fitted, frame)
    X = np.asarray(windows.X)
    session = onnxruntime.InferenceSession(build_onnx(m).SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    got = session.run(["y"], {"x": X.astype(np.float32)})[0]
    expected = inverse_predictions(fitted, m.network.predict(X), windows)
    assert expected.shape == (32, 2, 1)          # 40 rows - lookback 8 - lag 1 + 1
    np.testing.assert_allclose(inverse_predictions(fitted, got.astype(float), windows),
                               expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("transform", ["difference", "seasonal_difference", "none"])
def test_the_onnx_recipe_of_the_deploy_guide_gives_the_models_prediction(tmp_path,
                                                                         monkeypatch,
                                                                         transform):
    """docs/deploy.md's ONNX code, run as written on an airline model of each transform,
    prints the application's prediction of the month after the data."""
    import contextlib
    import io
    import re
    import shutil
    from pathlib import Path

    from helpers.examples import example_csv
    from helpers.models import untrained_model

    guide = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text()
    code = re.search(r"```python\n(import csv\nimport json\n.*?)```", guide, re.S).group(1)
    csv = tmp_path / "airline_passengers.csv"
    shutil.copy(example_csv("airline_passengers.csv"), csv)
    air = untrained_model(csv, ["passengers"], "gru", [4], transform, lookback=12,
                          dtype="float32")
    export_model(air, "onnx", tmp_path / "air.onnx")
    printed = io.StringIO()
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "deploy.md", "exec"), {})
    _, values = air.predict(air.read_csv(csv))
    assert float(printed.getvalue()) == pytest.approx(values[-1, 0, 0], rel=1e-5)
