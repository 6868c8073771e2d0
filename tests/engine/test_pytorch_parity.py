"""Same weights, same outputs and gradients as torch.nn.RNN/GRU/LSTM + nn.Linear (float64).

PyTorch is not a dependency: these tests run where it is installed (``make torch``) and are
skipped otherwise; test_pytorch_parity_fixture.py compares with PyTorch's stored results
everywhere.
"""

import numpy as np
import pytest

from engine import RecurrentNetwork

torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional: make torch)")

from helpers.torch_reference import TorchNetwork  # noqa: E402


CASES = [("rnn", "tanh", [16]), ("rnn", "relu", [8, 8]), ("gru", "tanh", [16]),
         ("gru", "tanh", [8, 8]), ("lstm", "tanh", [16]), ("lstm", "tanh", [8, 8, 8])]


@pytest.mark.parametrize("cell,activation,hidden", CASES)
def test_outputs_and_gradients_match_pytorch(cell, activation, hidden):
    torch.manual_seed(0)
    reference = TorchNetwork(cell, 3, hidden, 2, activation).double()
    state = {k: v.detach().numpy().copy() for k, v in reference.state_dict().items()}
    net = RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=hidden, n_outputs=2,
                           activation=activation)
    net.load_state_dict(reference.state_dict())   # tensors load unchanged
    assert set(state) == set(net.state_dict())

    rng = np.random.default_rng(1)
    assert_same_as_pytorch(net, reference, rng.normal(size=(9, 12, 3)),
                           rng.normal(size=(9, 2)), 1e-9)


def test_a_gru_window_read_in_one_step_matches_pytorch():
    """Windows of one step (a window read whole in one step, as a global model's often
    are): outputs and gradients as PyTorch's, the recurrent weights' gradient zero (the
    only step starts from the zero state)."""
    torch.manual_seed(0)
    reference = TorchNetwork("gru", 5, [8, 8], 2, "tanh").double()
    net = RecurrentNetwork(cell="gru", n_inputs=5, hidden_sizes=[8, 8], n_outputs=2)
    net.load_state_dict(reference.state_dict())
    rng = np.random.default_rng(2)
    assert_same_as_pytorch(net, reference, rng.normal(size=(9, 1, 5)),
                           rng.normal(size=(9, 2)), 1e-9)
    assert not net.loss_and_gradients(rng.normal(size=(4, 1, 5)),
                                      rng.normal(size=(4, 2)))[1]["rnn.weight_hh_l0"].any()


def assert_same_as_pytorch(net, reference, X, Y, atol):
    """The outputs, the MSE and every parameter's gradient of ``net`` and ``reference`` on
    ``X``, ``Y`` agree to ``atol``."""
    out = reference(torch.tensor(X))
    loss = torch.nn.functional.mse_loss(out, torch.tensor(Y))
    loss.backward()
    np.testing.assert_allclose(net.predict(X), out.detach().numpy(), rtol=0, atol=atol)
    value, grads = net.loss_and_gradients(X, Y)
    assert value == pytest.approx(loss.item(), abs=atol)
    for name, parameter in reference.named_parameters():
        np.testing.assert_allclose(grads[name], parameter.grad.numpy(), rtol=0, atol=atol,
                                   err_msg=name)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_our_weights_load_into_pytorch(cell):
    net = RecurrentNetwork(cell=cell, n_inputs=2, hidden_sizes=[5], n_outputs=1, seed=3)
    reference = TorchNetwork(cell, 2, [5], 1).double()
    reference.load_state_dict({k: torch.tensor(v) for k, v in net.state_dict().items()})
    X = np.random.default_rng(0).normal(size=(4, 6, 2))
    np.testing.assert_allclose(reference(torch.tensor(X)).detach().numpy(), net.predict(X, untrained=True),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_initialization_has_pytorch_bounds(cell):
    net = RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=[25], n_outputs=4, seed=0)
    reference = TorchNetwork(cell, 3, [25], 4).double()
    for name, value in net.state_dict().items():
        torch_value = reference.state_dict()[name].numpy()
        assert value.shape == torch_value.shape
        bound = 1 / np.sqrt(25)
        assert np.abs(value).max() <= bound
        assert np.abs(torch_value).max() <= bound
        if value.size > 50:  # uniform on the whole interval, as PyTorch's
            assert np.abs(value).max() > 0.8 * bound


@pytest.mark.parametrize("cell,hidden", [("rnn", [6]), ("gru", [6]), ("gru", [5, 5]),
                                         ("lstm", [6])])
def test_linear_path_matches_pytorch(cell, hidden):
    """A torch stack + Linear head + Linear ar (no bias) on x.reshape(B, -1), with the same
    state_dict: the same outputs, loss and gradients."""
    torch.manual_seed(2)
    reference = TorchNetwork(cell, 3, hidden, 2, lookback=7).double()
    net = RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=hidden, n_outputs=2,
                           linear_path=True, lookback=7)
    net.load_state_dict(reference.state_dict())
    assert set(net.state_dict()) == set(reference.state_dict())

    rng = np.random.default_rng(4)
    assert_same_as_pytorch(net, reference, rng.normal(size=(8, 7, 3)),
                           rng.normal(size=(8, 2)), 1e-10)
