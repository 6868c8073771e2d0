"""The engine against PyTorch's stored results (tests/engine/data/torch_reference.npz, made by
tests/helpers/make_torch_fixture.py with torch.nn.RNN/GRU/LSTM + nn.Linear in float64): the
same weights give the same outputs, loss and gradients, and Adam and SGD take the same steps.
Runs without PyTorch; tests/engine/test_pytorch_parity.py compares live where it is installed.

Tolerance: relative 1e-10 of each array's largest magnitude (float64 rounding leaves about
1e-15; a wrong gate or a missing term changes far more).
"""

import numpy as np
import pytest

from engine import RecurrentNetwork
from engine.training import optimizers
from helpers.make_torch_fixture import (CASES, FIXTURE, INPUTS, OPTIMIZER_STEPS, OPTIMIZERS,
                                        OUTPUTS)

RELATIVE = 1e-10


@pytest.fixture(scope="module")
def stored():
    with np.load(FIXTURE) as arrays:
        return {key: arrays[key] for key in arrays.files}


def case(stored, name):
    """The case's arrays without the ``"<case>/"`` prefix, and its network with PyTorch's
    initial weights."""
    prefix = f"{name}/"
    arrays = {key[len(prefix):]: value for key, value in stored.items()
              if key.startswith(prefix)}
    cell, activation, hidden = CASES[name]
    net = RecurrentNetwork(cell=cell, n_inputs=INPUTS, hidden_sizes=hidden, n_outputs=OUTPUTS,
                           activation=activation)
    return arrays, net.load_state_dict(named(arrays, "weight/"))


def named(arrays, prefix):
    """``{PyTorch name: array}`` of the keys ``prefix<name>``."""
    return {key[len(prefix):]: value for key, value in arrays.items() if key.startswith(prefix)}


def assert_close(actual, expected, what):
    expected = np.asarray(expected)
    np.testing.assert_allclose(actual, expected, rtol=0,
                               atol=RELATIVE * max(np.abs(expected).max(), 1e-300),
                               err_msg=what)


def test_the_fixture_holds_every_case_made_by_pytorch(stored):
    assert str(stored["torch_version"]).startswith("2.")
    for name in CASES:
        arrays, net = case(stored, name)
        assert set(named(arrays, "weight/")) == set(net.state_dict()) == set(
            named(arrays, "gradient/")), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_loss_and_gradients_match_pytorch(stored, name):
    arrays, net = case(stored, name)
    assert_close(net.predict(arrays["X"]), arrays["output"], f"{name} output")
    loss, gradients = net.loss_and_gradients(arrays["X"], arrays["Y"])
    assert loss == pytest.approx(float(arrays["loss"]), rel=RELATIVE, abs=0)
    for key, expected in named(arrays, "gradient/").items():
        assert_close(gradients[key], expected, f"{name} gradient of {key}")


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_optimizer_steps_match_torch_optim(stored, name, optimizer):
    """Each step: the whole batch's gradient, then the engine's optimizer on the flat
    vector of all weights (its updates are element by element, so the order is free)."""
    arrays, net = case(stored, name)
    class_name, options = OPTIMIZERS[optimizer]
    steps = getattr(optimizers, class_name)(**options)
    keys = list(net.state_dict())
    values = np.concatenate([net.state_dict()[key].ravel() for key in keys])
    for step in range(1, OPTIMIZER_STEPS + 1):
        _, gradients = net.loss_and_gradients(arrays["X"], arrays["Y"])
        steps.step(values, np.concatenate([gradients[key].ravel() for key in keys]))
        net.load_state_dict(unflatten(values, net.state_dict()))
        for key, expected in named(arrays, f"{optimizer}/{step}/").items():
            assert_close(net.state_dict()[key], expected, f"{name} {optimizer} step {step} {key}")


def unflatten(values, like):
    """``{name: array}`` shaped as ``like``'s arrays from the flat ``values`` (in its order)."""
    ends = np.cumsum([array.size for array in like.values()])
    return {key: part.reshape(like[key].shape)
            for key, part in zip(like, np.split(values, ends[:-1]))}


def test_the_stored_file_is_what_the_generator_makes_with_the_installed_pytorch(stored):
    pytest.importorskip("torch", reason="PyTorch is not installed (optional: make torch)")
    from helpers.make_torch_fixture import fixture_arrays

    made = fixture_arrays()
    assert set(made) == set(stored)
    for key, value in made.items():
        if key != "torch_version":
            assert_close(stored[key], value, key)
