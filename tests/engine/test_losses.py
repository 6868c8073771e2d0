"""Losses and the L1/L2 penalty: values and gradients by hand on tiny arrays, by central
differences, and against PyTorch's losses and ``weight_decay`` where PyTorch is installed."""

import math

import numpy as np
import pytest

from engine import EngineError, RecurrentNetwork
from engine.network.losses import (LOSSES, HuberLoss, MeanAbsoluteError, MeanSquaredError,
                                   MinkowskiError, NormalizedSquaredError, make_loss,
                                   regularization)

# d = outputs - targets = [[0.5, 0], [2, -2]]: every case below is worked out from these.
OUTPUTS = np.array([[1.0, 2.0], [3.0, -1.0]])
TARGETS = np.array([[0.5, 2.0], [1.0, 1.0]])


def test_mse_by_hand():
    value, grad = MeanSquaredError()(OUTPUTS, TARGETS)
    assert value == pytest.approx((0.25 + 0 + 4 + 4) / 4, abs=1e-15)
    np.testing.assert_allclose(grad, [[2 * 0.5 / 4, 0], [2 * 2 / 4, -2 * 2 / 4]], atol=1e-15)


def test_mae_by_hand():
    value, grad = MeanAbsoluteError()(OUTPUTS, TARGETS)
    assert value == pytest.approx((0.5 + 0 + 2 + 2) / 4, abs=1e-15)
    np.testing.assert_allclose(grad, [[0.25, 0], [0.25, -0.25]], atol=1e-15)


def test_huber_by_hand_on_both_sides_of_delta():
    value, grad = HuberLoss(delta=1.0)(OUTPUTS, TARGETS)
    # 0.5 * 0.5^2 inside; 1 * (2 - 0.5) twice outside.
    assert value == pytest.approx((0.125 + 0 + 1.5 + 1.5) / 4, abs=1e-15)
    np.testing.assert_allclose(grad, [[0.5 / 4, 0], [1 / 4, -1 / 4]], atol=1e-15)
    value, grad = HuberLoss(delta=3.0)(OUTPUTS, TARGETS)   # all inside: half the MSE
    assert value == pytest.approx(0.5 * (0.25 + 4 + 4) / 4, abs=1e-15)
    np.testing.assert_allclose(grad, [[0.5 / 4, 0], [2 / 4, -2 / 4]], atol=1e-15)


def test_minkowski_by_hand():
    value, grad = MinkowskiError(p=1.5)(OUTPUTS, TARGETS)
    assert value == pytest.approx((0.5 * math.sqrt(0.5) + 2 * 2 * math.sqrt(2)) / 4, abs=1e-15)
    np.testing.assert_allclose(
        grad, [[1.5 * math.sqrt(0.5) / 4, 0], [1.5 * math.sqrt(2) / 4, -1.5 * math.sqrt(2) / 4]],
        atol=1e-15)


def test_minkowski_with_p_1_and_2_is_mae_and_mse():
    for p, reference in ((1.0, MeanAbsoluteError()), (2.0, MeanSquaredError())):
        value, grad = MinkowskiError(p)(OUTPUTS, TARGETS)
        expected_value, expected_grad = reference(OUTPUTS, TARGETS)
        assert value == pytest.approx(expected_value, abs=1e-15)
        np.testing.assert_allclose(grad, expected_grad, atol=1e-15)


def test_normalized_squared_error_by_hand():
    # Column 0 targets [0.5, 1]: variance 0.0625; column 1 targets [2, 1]: variance 0.25.
    value, grad = NormalizedSquaredError()(OUTPUTS, TARGETS)
    column0 = (0.25 + 4) / (2 * 0.0625)
    column1 = (0 + 4) / (2 * 0.25)
    assert value == pytest.approx((column0 + column1) / 2, abs=1e-12)
    np.testing.assert_allclose(grad, [[2 * 0.5 / (4 * 0.0625), 0],
                                      [2 * 2 / (4 * 0.0625), 2 * -2 / (4 * 0.25)]], atol=1e-12)


def test_normalized_squared_error_scores_one_for_the_mean_and_zero_for_perfect():
    rng = np.random.default_rng(0)
    targets = rng.normal(loc=[3.0, -50.0, 0.0], scale=[0.1, 20.0, 1.0], size=(40, 3))
    mean = np.broadcast_to(targets.mean(axis=0), targets.shape)
    assert NormalizedSquaredError()(mean, targets)[0] == pytest.approx(1.0, abs=1e-12)
    assert NormalizedSquaredError()(targets, targets)[0] == 0.0


def test_normalized_squared_error_uses_the_fixed_variances_when_given():
    loss = NormalizedSquaredError(variances=[4.0, 0.5])
    value, grad = loss(OUTPUTS, TARGETS)
    assert value == pytest.approx(((0.25 + 4) / 4.0 + 4 / 0.5) / 4, abs=1e-15)
    np.testing.assert_allclose(grad, [[2 * 0.5 / (4 * 4.0), 0],
                                      [2 * 2 / (4 * 4.0), 2 * -2 / (4 * 0.5)]], atol=1e-15)


def test_normalized_squared_error_of_a_constant_target_is_its_mse():
    targets = np.array([[1.0], [1.0], [1.0]])
    outputs = np.array([[2.0], [0.0], [1.5]])
    value, _ = NormalizedSquaredError()(outputs, targets)
    assert value == pytest.approx((1 + 1 + 0.25) / 3, abs=1e-15)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_gradient_by_central_differences(name):
    rng = np.random.default_rng(1)
    targets = rng.normal(size=(6, 2))
    outputs = targets + rng.choice([-1, 1], size=targets.shape) * rng.uniform(0.2, 2.5,
                                                                           size=targets.shape)
    # Keep residuals away from the kinks of |d| (0) and of Huber (|d| = delta).
    outputs[np.abs(np.abs(outputs - targets) - 1.0) < 0.05] += 0.2
    loss = make_loss(name, huber_delta=1.0, minkowski_p=1.5, variances=[0.7, 2.0])
    _, grad = loss(outputs, targets)
    numeric = np.zeros_like(outputs)
    step = 1e-6
    for index in np.ndindex(outputs.shape):
        for sign in (1.0, -1.0):
            shifted = outputs.copy()
            shifted[index] += sign * step
            numeric[index] += sign * loss(shifted, targets)[0] / (2 * step)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_keeps_float32(name):
    outputs = OUTPUTS.astype(np.float32)
    targets = TARGETS.astype(np.float32)
    value, grad = make_loss(name, variances=np.array([1.0, 2.0]))(outputs, targets)
    assert grad.dtype == np.float32
    assert isinstance(value, float)


@pytest.mark.parametrize("name,torch_name,options", [
    ("mse", "MSELoss", {}), ("mae", "L1Loss", {}), ("huber", "HuberLoss", {"delta": 0.7})])
def test_losses_match_pytorch(name, torch_name, options):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    rng = np.random.default_rng(2)
    outputs = rng.normal(size=(7, 3))
    targets = rng.normal(size=(7, 3))
    out = torch.tensor(outputs, requires_grad=True)
    reference = getattr(torch.nn, torch_name)(**options)(out, torch.tensor(targets))
    reference.backward()
    value, grad = make_loss(name, huber_delta=options.get("delta", 1.0))(outputs, targets)
    assert value == pytest.approx(reference.item(), rel=1e-14, abs=1e-15)
    np.testing.assert_allclose(grad, out.grad.numpy(), rtol=1e-13, atol=1e-16)


# -- regularization ----------------------------------------------------------------------------

def test_regularization_penalty_and_gradient_by_hand():
    values = np.array([1.0, -2.0, 0.5, 3.0])
    mask = np.array([1.0, 1.0, 0.0, 1.0])    # the third entry is a bias
    gradient = np.full(4, 10.0)
    penalty = regularization(values, mask, l1=0.1, l2=0.2, gradient=gradient)
    assert penalty == pytest.approx(0.1 * (1 + 2 + 3) + 0.5 * 0.2 * (1 + 4 + 9), abs=1e-15)
    np.testing.assert_allclose(gradient, [10 + 0.1 + 0.2, 10 - 0.1 - 0.4, 10.0,
                                          10 + 0.1 + 0.6], atol=1e-15)


def test_regularization_is_zero_without_coefficients():
    values = np.array([1.0, -2.0])
    gradient = np.zeros(2)
    assert regularization(values, np.ones(2), gradient=gradient) == 0.0
    assert not gradient.any()


def test_network_penalty_covers_weights_and_not_biases():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 4, 2))
    Y = rng.normal(size=(5, 1))
    net = RecurrentNetwork(cell="gru", n_inputs=2, hidden_sizes=[3, 2], seed=1)
    plain, plain_grads = net.loss_and_gradients(X, Y)
    l1, l2 = 0.03, 0.4
    value, grads = net.loss_and_gradients(X, Y, l1=l1, l2=l2)
    state = net.state_dict()
    weights = [name for name in state if "weight" in name]
    assert len(weights) == 5 and len(state) == 10
    expected = sum(l1 * np.abs(state[n]).sum() + 0.5 * l2 * (state[n] ** 2).sum()
                   for n in weights)
    assert value - plain == pytest.approx(expected, rel=1e-12)
    for name in state:
        extra = l1 * np.sign(state[name]) + l2 * state[name] if name in weights else 0.0
        np.testing.assert_allclose(grads[name], plain_grads[name] + extra, rtol=0, atol=1e-14,
                                   err_msg=name)


def test_l2_equals_pytorch_weight_decay_on_weights_only():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    rng = np.random.default_rng(4)
    X = rng.normal(size=(6, 5, 2))
    Y = rng.normal(size=(6, 2))
    net = RecurrentNetwork(cell="lstm", n_inputs=2, hidden_sizes=[4], n_outputs=2, seed=2)
    l2, lr = 0.3, 0.05
    _, data_grads = net.loss_and_gradients(X, Y)
    _, grads = net.loss_and_gradients(X, Y, l2=l2)
    tensors = {name: torch.tensor(value, requires_grad=True)
               for name, value in net.state_dict().items()}
    for name, tensor in tensors.items():
        tensor.grad = torch.tensor(data_grads[name])
    optimizer = torch.optim.SGD([
        {"params": [t for n, t in tensors.items() if "weight" in n], "weight_decay": l2},
        {"params": [t for n, t in tensors.items() if "bias" in n], "weight_decay": 0.0}], lr=lr)
    optimizer.step()
    for name, value in net.state_dict().items():
        np.testing.assert_allclose(value - lr * grads[name], tensors[name].detach().numpy(),
                                   rtol=0, atol=1e-15, err_msg=name)


# -- settings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["MSE", "Huber", "normalized_squared_error"])
def test_loss_names_ignore_case(name):
    assert make_loss(name).name == name.lower()


@pytest.mark.parametrize("options,words", [
    ({"name": "rmse"}, "Unknown loss 'rmse'"),
    ({"name": "huber", "huber_delta": 0}, "huber_delta"),
    ({"name": "huber", "huber_delta": -1.0}, "huber_delta"),
    ({"name": "mse", "huber_delta": "1"}, "huber_delta"),
    ({"name": "minkowski", "minkowski_p": 0.5}, "minkowski_p"),
    ({"name": "minkowski", "minkowski_p": 3}, "minkowski_p"),
    ({"name": "minkowski", "minkowski_p": float("nan")}, "minkowski_p"),
])
def test_bad_loss_settings_are_named(options, words):
    with pytest.raises(EngineError, match=words):
        make_loss(**options)


@pytest.mark.parametrize("l1,l2,words", [(-0.1, 0, "l1"), (0, -1e-3, "l2"),
                                         (0, float("nan"), "l2"), ("0.1", 0, "l1")])
def test_negative_or_non_numeric_penalties_are_refused(l1, l2, words):
    net = RecurrentNetwork(cell="rnn", n_inputs=1, hidden_sizes=[2])
    with pytest.raises(EngineError, match=words):
        net.loss_and_gradients(np.zeros((2, 3, 1)), np.zeros((2, 1)), l1=l1, l2=l2)
