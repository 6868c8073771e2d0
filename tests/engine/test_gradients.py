"""Every gradient of every cell, layer count and loss, checked by central differences.

The relative error is ``max|numeric - analytic| / max|numeric|`` over each parameter, in
float64 with a step of 1e-6.
"""

import numpy as np
import pytest

from engine import RecurrentNetwork
from engine.network.losses import LOSSES

CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("gru", "tanh"), ("lstm", "tanh")]
SHAPES = [  # (batch, time, inputs, hidden sizes, outputs)
    (5, 4, 3, [4], 1),
    (3, 7, 2, [5, 3], 2),
    (1, 1, 1, [2], 3),
    (6, 1, 4, [3, 2], 2),     # a window whole in one step: the first step is the only one
    (4, 3, 4, [3, 3, 2], 1),
]


def numeric_gradients(net, X, Y, **loss_options):
    state = net.state_dict()
    step = 1e-6
    result = {}
    for name, array in state.items():
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            for sign in (1.0, -1.0):
                shifted = {k: v.copy() for k, v in state.items()}
                shifted[name][index] += sign * step
                net.load_state_dict(shifted)
                numeric[index] += sign * net.loss_and_gradients(X, Y, **loss_options)[0]
        result[name] = numeric / (2 * step)
    net.load_state_dict(state)
    return result


def assert_gradients_match(net, X, Y, **loss_options):
    _, analytic = net.loss_and_gradients(X, Y, **loss_options)
    numeric = numeric_gradients(net, X, Y, **loss_options)
    assert set(analytic) == set(net.state_dict())
    for name in analytic:
        scale = max(np.abs(numeric[name]).max(), 1e-8)
        error = np.abs(numeric[name] - analytic[name]).max() / scale
        assert error < 1e-6, f"{name}: relative error {error:.2e}"


def make_problem(cell, activation, shape, seed, linear_path=False):
    batch, time, inputs, hidden, outputs = shape
    rng = np.random.default_rng(seed)
    net = RecurrentNetwork(cell=cell, n_inputs=inputs, hidden_sizes=hidden, n_outputs=outputs,
                           activation=activation, seed=seed, n_threads=1,
                           linear_path=linear_path, lookback=time)
    X = rng.normal(size=(batch, time, inputs))
    Y = rng.normal(size=(batch, outputs))
    return net, X, Y


@pytest.mark.parametrize("cell,activation", CELLS)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"b{s[0]}t{s[1]}i{s[2]}h{s[3]}o{s[4]}")
def test_mse_gradients_by_central_differences(cell, activation, shape):
    net, X, Y = make_problem(cell, activation, shape, seed=len(shape[3]) + shape[1])
    assert_gradients_match(net, X, Y)


@pytest.mark.parametrize("cell,activation", CELLS)
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_loss_gradient(cell, activation, loss):
    net, X, Y = make_problem(cell, activation, (4, 5, 3, [3, 2], 2), seed=3)
    # Residuals far from 0 and from the Huber kink, where |d| and sign(d) are smooth.
    Y = Y * 3.0
    assert_gradients_match(net, X, Y, loss=loss, huber_delta=1.0, minkowski_p=1.5)


@pytest.mark.parametrize("cell,activation", CELLS)
@pytest.mark.parametrize("shape", SHAPES[:2], ids=lambda s: f"b{s[0]}t{s[1]}i{s[2]}h{s[3]}o{s[4]}")
def test_linear_path_gradients(cell, activation, shape):
    """ar.weight (n_outputs, lookback * n_inputs) and every other gradient of a network with
    a linear path, also with the L2 penalty (which counts ar.weight as a weight)."""
    net, X, Y = make_problem(cell, activation, shape, seed=7, linear_path=True)
    assert net.state_dict()["ar.weight"].shape == (shape[4], shape[1] * shape[2])
    assert_gradients_match(net, X, Y)
    assert_gradients_match(net, X, Y, l2=0.3, loss="huber")


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_regularized_gradients(cell):
    net, X, Y = make_problem(cell, "tanh", (3, 4, 2, [3], 1), seed=5)
    assert_gradients_match(net, X, Y, l2=0.3)
    assert_gradients_match(net, X, Y, l1=0.05)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_threaded_batches_give_the_same_gradient(cell):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 6, 3))
    Y = rng.normal(size=(64, 2))
    one = RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=[8, 4], n_outputs=2, seed=1,
                           n_threads=1)
    two = RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=[8, 4], n_outputs=2, seed=1,
                           n_threads=2)
    loss1, grads1 = one.loss_and_gradients(X, Y)
    loss2, grads2 = two.loss_and_gradients(X, Y)
    assert loss1 == pytest.approx(loss2, rel=1e-12)
    for name in grads1:
        np.testing.assert_allclose(grads2[name], grads1[name], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(two.predict(X, untrained=True), one.predict(X, untrained=True),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_float32_gradients_agree_with_float64(cell):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(6, 5, 3))
    Y = rng.normal(size=(6, 1))
    net64 = RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=[6], seed=4)
    net32 = RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=[6], seed=4, dtype="float32")
    loss64, grads64 = net64.loss_and_gradients(X, Y)
    loss32, grads32 = net32.loss_and_gradients(X, Y)
    assert net32.predict(X, untrained=True).dtype == np.float32
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    for name in grads64:
        assert grads32[name].dtype == np.float32
        np.testing.assert_allclose(grads32[name], grads64[name], rtol=1e-3, atol=1e-5)


def test_the_gru_s_first_step_makes_no_product_with_the_zero_hidden_state():
    """At the first step the hidden state is 0, so the recurrent product is the bias
    ``b_hn`` alone: the forward pass takes it without multiplying ``W_hh`` (about a quarter
    of the multiply-adds of windows read in one step); its hidden columns are not read there, so
    even NaN in them leaves the outputs and gradients of one-step windows those of zeros."""
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(6, 1, 5)), rng.normal(size=(6, 2))
    results = []
    for value in (0.0, np.nan):
        net = RecurrentNetwork(cell="gru", n_inputs=5, hidden_sizes=[4], n_outputs=2, seed=1,
                               lookback=1, linear_path=True)
        net.parameters_.views["rnn.weight_hh_l0"][...] = value
        results.append((net.predict(X, untrained=True), net.loss_and_gradients(X, Y)))
    (zeros, (loss, grads)), (nans, (nan_loss, nan_grads)) = results
    np.testing.assert_array_equal(nans, zeros)
    assert nan_loss == loss
    for name, gradient in grads.items():
        np.testing.assert_array_equal(nan_grads[name], gradient, err_msg=name)
