"""The PyTorch export: an .npz of the state dict under PyTorch's names that
torch.nn.RNN/GRU/LSTM + nn.Linear load unchanged and run to the network's outputs."""

import numpy as np
import pytest

from engine.deploy.exports import export_model
from engine.model.forecaster import Forecaster
from engine.network.recurrent import RecurrentNetwork

torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional: make torch)")

from helpers.torch_reference import TorchNetwork  # noqa: E402


@pytest.mark.parametrize("cell,activation,layers", [
    ("rnn", "tanh", 1), ("rnn", "relu", 2), ("gru", "tanh", 1), ("gru", "tanh", 2),
    ("lstm", "tanh", 1), ("lstm", "tanh", 2)])
def test_pytorch_loads_the_state_dict_and_agrees(tmp_path, cell, activation, layers):
    network = RecurrentNetwork(cell, 3, [6] * layers, 2, activation=activation, seed=5)
    path = export_model(Forecaster(network, {"preprocessing": {}, "metadata": {}}), "torch",
                        tmp_path / "weights.npz")
    with np.load(path, allow_pickle=False) as npz:
        state = {name: torch.from_numpy(npz[name]) for name in npz.files}
    module = TorchNetwork(cell, 3, [6] * layers, 2, activation).double()
    module.load_state_dict(state)           # strict: every name present, none extra
    X = np.random.default_rng(2).standard_normal((4, 10, 3))
    with torch.no_grad():
        expected = module(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(network.predict(X, untrained=True), expected, rtol=0,
                               atol=1e-10)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_a_linear_path_loads_into_an_ar_linear_without_bias(tmp_path, cell):
    network = RecurrentNetwork(cell, 3, [5, 5], 2, seed=6, linear_path=True, lookback=7)
    path = export_model(Forecaster(network, {"preprocessing": {}, "metadata": {}}), "torch",
                        tmp_path / "weights.npz")
    with np.load(path, allow_pickle=False) as npz:
        state = {name: torch.from_numpy(npz[name]) for name in npz.files}
    assert tuple(state["ar.weight"].shape) == (2, 21)
    module = TorchNetwork(cell, 3, [5, 5], 2, lookback=7).double()
    module.load_state_dict(state)           # strict: ar.weight is the module's ar.weight
    X = np.random.default_rng(3).standard_normal((6, 7, 3))
    with torch.no_grad():
        expected = module(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(network.predict(X, untrained=True), expected, rtol=0,
                               atol=1e-10)
