"""The network's settings are checked before anything is allocated: names are normalised as
the model file stores them, the seed is a whole number, and a network over the model file's
parameter cap is refused."""

import re

import pytest

import engine.network.parameters
from engine import RecurrentNetwork
from engine.errors import EngineError
from engine.model.model_file import load_model, save_model


def test_a_network_built_from_python_is_saved_as_the_loader_reads_it(tmp_path):
    from engine.data import FittedPreprocessing
    network = RecurrentNetwork(cell="LSTM", hidden_sizes=[3], activation="Tanh")
    series = {"name": "y", "role": "input_target", "type": "numeric", "scaler": None}
    preprocessing = FittedPreprocessing([series], lookback=3, horizon=1).to_dict()
    save_model(tmp_path / "m.npz", network, preprocessing)
    assert load_model(tmp_path / "m.npz").network.cell == "lstm"


def test_the_size_cap_is_the_model_files_and_nothing_is_allocated_before_it(monkeypatch):
    huge = RecurrentNetwork(hidden_sizes=[1_000_000_000])
    with pytest.raises(EngineError, match="more than the 100,000,000 RNN Studio builds"):
        huge.n_parameters
    with pytest.raises(EngineError, match="more than the 100,000,000"):
        huge.parameters_
    monkeypatch.setattr(engine.network.parameters, "MAX_PARAMETERS", 100)
    assert RecurrentNetwork(cell="rnn", hidden_sizes=[8]).n_parameters == 8 + 64 + 16 + 8 + 1
    with pytest.raises(EngineError, match="has 106 parameters, more than the 100 "):
        RecurrentNetwork(cell="rnn", hidden_sizes=[8], n_outputs=2).n_parameters


@pytest.mark.parametrize("seed", [-1, "5", 0.5, [1]])
def test_the_seed_is_a_whole_number(seed):
    with pytest.raises(EngineError, match=re.escape(f"seed must be a whole number of at least "
                                                    f"0; got {seed!r}")):
        RecurrentNetwork(seed=seed).n_parameters
