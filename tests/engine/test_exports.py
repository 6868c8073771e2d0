"""export_model: the one call for every format (the command line and the packaged
self-test use it), with a model in memory or a model file's path."""

import numpy as np
import pytest

from engine.errors import EngineError
from engine.deploy.exports import FORMATS, export_model
from engine.model.model_file import load_model, save_model
from engine.network.recurrent import RecurrentNetwork

PREP = {"format": "rnn-studio.preprocessing", "version": 1, "lookback": 3, "horizon": 1,
        "missing": "interpolate", "target_transform": "none", "period": None,
        "time_column": None, "time_step": None,
        "variables": [{"name": "y", "role": "input_target", "type": "numeric",
                       "scaler": {"method": "standard", "center": 1.0, "scale": 2.0},
                       "categories": [], "fill": None}]}


@pytest.fixture(params=[False, True], ids=["plain", "linear_path"])
def model_path(tmp_path, request):
    path = tmp_path / "trained.npz"
    network = RecurrentNetwork("gru", 1, [4], 1, seed=3, linear_path=request.param,
                               lookback=3)
    save_model(path, network, PREP, {"note": "kept"})
    return path


def test_the_model_format_writes_an_equal_model_file(tmp_path, model_path):
    out = export_model(model_path, "model", tmp_path / "copy.npz")
    original, copy = load_model(model_path), load_model(out)
    assert copy.metadata == {"note": "kept"}
    assert copy.header["weights"]["sha256"] == original.header["weights"]["sha256"]
    X = np.random.default_rng(0).standard_normal((3, 3, 1))
    assert np.array_equal(copy.network.predict(X), original.network.predict(X))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_writes_a_file_from_a_model_path(tmp_path, model_path, fmt):
    out = export_model(model_path, fmt, tmp_path / f"out{FORMATS[fmt][1]}")
    assert out.stat().st_size > 100


def test_unknown_format_and_folder_targets_are_refused(tmp_path, model_path):
    with pytest.raises(EngineError, match="Unknown export format 'keras'.*model, python"):
        export_model(model_path, "keras", tmp_path / "x")
    with pytest.raises(EngineError, match="is a folder"):
        export_model(model_path, "python", tmp_path)
    with pytest.raises(EngineError, match="no model file"):
        export_model(tmp_path / "missing.npz", "python", tmp_path / "x.py")
