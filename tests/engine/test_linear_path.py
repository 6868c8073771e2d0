"""The linear path: y = W_head h_T + b_head + W_ar flatten(X), started from least squares."""

import numpy as np
import pytest

from engine import RecurrentNetwork
from engine.errors import EngineError
from engine.tasks import TaskState
from engine.testing.comparators import design_matrix
from engine.training.linear_start import least_squares_weights, start_from_least_squares


def ar2_windows(n=400, lookback=8, seed=0, noise=0.5):
    """Windows (n, lookback, 1) and next values (n, 1) of a noisy AR(2) series."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n + lookback + 50)
    for t in range(2, len(y)):
        y[t] = 0.6 * y[t - 1] - 0.3 * y[t - 2] + noise * rng.normal()
    y = y[50:]
    X = np.lib.stride_tricks.sliding_window_view(y[:-1], lookback)[:, :, None]
    return np.ascontiguousarray(X), y[lookback:, None]


def test_outputs_add_the_linear_path_over_the_flattened_window():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 5, 3))
    net = RecurrentNetwork("gru", 3, [4], 2, seed=1, linear_path=True, lookback=5)
    plain = RecurrentNetwork("gru", 3, [4], 2, seed=1)
    state = net.state_dict()
    assert state["ar.weight"].shape == (2, 15)
    plain.load_state_dict({k: v for k, v in state.items() if k != "ar.weight"})
    expected = plain.predict(X) + X.reshape(6, -1) @ state["ar.weight"].T
    np.testing.assert_allclose(net.predict(X, untrained=True), expected, rtol=0, atol=1e-12)
    # the same weights but for ar.weight as a network without the path: the draw is unchanged
    for name, value in plain.state_dict().items():
        np.testing.assert_array_equal(value, RecurrentNetwork("gru", 3, [4], 2,
                                                              seed=1).state_dict()[name])


def test_settings_are_checked():
    with pytest.raises(EngineError, match="needs its windows' length"):
        RecurrentNetwork(linear_path=True).parameters_
    with pytest.raises(EngineError, match="linear_path must be True or False"):
        RecurrentNetwork(linear_path="yes", lookback=4).parameters_
    net = RecurrentNetwork(linear_path=True, lookback=4, n_inputs=2)
    assert net.n_parameters == RecurrentNetwork(n_inputs=2).n_parameters + 8
    assert net.weight_mask[-8:].tolist() == [1.0] * 8          # L1/L2 see ar.weight
    with pytest.raises(EngineError, match="windows of 3 time steps.*lookback"):
        net.loss_and_gradients(np.zeros((2, 3, 2)), np.zeros((2, 1)))
    with pytest.raises(EngineError, match="X_sel has windows of 5"):
        net.fit(np.zeros((9, 4, 2)), np.zeros(9), np.zeros((3, 5, 2)), np.zeros(3))
    # without the path the lookback is ignored (and windows of any length are taken)
    plain = RecurrentNetwork(lookback=4)
    assert plain.checked_settings()["lookback"] is None
    assert plain.predict(np.zeros((1, 7, 1)), untrained=True).shape == (1, 1)


def test_the_parameter_limit_counts_the_linear_path(monkeypatch):
    from engine.network import parameters

    count = RecurrentNetwork(hidden_sizes=[2]).n_parameters
    monkeypatch.setattr(parameters, "MAX_PARAMETERS", count + 10)
    RecurrentNetwork(hidden_sizes=[2], linear_path=True, lookback=10).parameters_
    with pytest.raises(EngineError, match="a linear path over 11 steps"):
        RecurrentNetwork(hidden_sizes=[2], linear_path=True, lookback=11).parameters_


def test_a_linear_path_over_one_step_is_said_in_the_singular(monkeypatch):
    from engine.network import parameters

    monkeypatch.setattr(parameters, "MAX_PARAMETERS", RecurrentNetwork(hidden_sizes=[2])
                        .n_parameters)
    with pytest.raises(EngineError, match="a linear path over 1 step and"):
        RecurrentNetwork(hidden_sizes=[2], linear_path=True, lookback=1).parameters_


def test_the_least_squares_start_reproduces_least_squares():
    """Right after the start the network's outputs are lstsq's on the training windows, and
    the linear comparator's (its design matrix and lstsq on the same windows)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 6, 2))
    Y = X.reshape(200, -1) @ rng.normal(size=(12, 2)) + 0.3 + 0.1 * rng.normal(size=(200, 2))
    net = RecurrentNetwork("lstm", 2, [5], 2, seed=0, linear_path=True, lookback=6)
    task = TaskState()
    task.cancel()                  # stops before the first epoch: the start is kept
    net.fit(X[:150], Y[:150], X[150:], Y[150:], task=task)
    assert net.best_epoch_ == 0 and net.cancelled_
    assert not net.state_dict()["head.weight"].any()

    A = np.column_stack([X[:150].reshape(150, -1), np.ones(150)])
    lstsq = np.linalg.lstsq(A, Y[:150], rcond=None)[0]
    comparator = np.linalg.lstsq(design_matrix(X[:150]), Y[:150], rcond=None)[0]
    for weights in (lstsq, comparator):
        for part in (X[:150], X[150:]):
            expected = design_matrix(part) @ weights
            np.testing.assert_allclose(net.predict(part), expected,
                                       rtol=0, atol=1e-6 * np.abs(expected).max())


def test_the_ridge_makes_a_constant_input_solvable():
    """A second input that never changes: plain least squares has no unique solution; the
    ridge picks the one that gives it no weight, with the same fit."""
    X, Y = ar2_windows(n=120, lookback=4)
    X = np.concatenate([X, np.ones_like(X)], axis=2)
    weights = least_squares_weights(X, Y)
    assert np.all(np.isfinite(weights))
    np.testing.assert_allclose(weights[1:-1:2], 0, atol=1e-6)
    lstsq = np.linalg.lstsq(design_matrix(X), Y, rcond=None)[0]
    np.testing.assert_allclose(design_matrix(X) @ weights, design_matrix(X) @ lstsq,
                               atol=1e-6)


def test_a_float32_network_starts_at_least_squares_too():
    X, Y = ar2_windows(n=100, lookback=5)
    net = RecurrentNetwork("gru", 1, [3], 1, dtype="float32", linear_path=True, lookback=5)
    start_from_least_squares(net, X, Y)
    weights = np.linalg.lstsq(design_matrix(X), Y, rcond=None)[0]
    np.testing.assert_allclose(net.predict(X, untrained=True), design_matrix(X) @ weights,
                               atol=1e-4)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_training_on_a_noisy_ar2_series_ends_no_worse_than_the_start(cell):
    X, Y = ar2_windows(n=500, lookback=8, seed=1)
    train, select = slice(0, 400), slice(400, None)
    weights = np.linalg.lstsq(design_matrix(X[train]), Y[train], rcond=None)[0]
    start_loss = np.mean((design_matrix(X[select]) @ weights - Y[select]) ** 2)
    net = RecurrentNetwork(cell, 1, [8], 1, seed=0, linear_path=True, lookback=8,
                           n_threads=1)
    net.fit(X[train], Y[train], X[select], Y[select], max_epochs=40, patience=15)
    assert net.best_epoch_ >= 1
    assert net.selection_loss_ <= start_loss * (1 + 1e-9), (net.selection_loss_, start_loss)


def test_a_window_too_wide_for_the_start_is_refused_before_anything_is_allocated(
        monkeypatch):
    from engine.training import linear_start

    monkeypatch.setattr(linear_start, "MAX_WIDTH", 11)
    X, Y = np.zeros((20, 6, 2)), np.zeros((20, 1))
    net = RecurrentNetwork("gru", 2, [3], 1, linear_path=True, lookback=6)
    with pytest.raises(EngineError, match="6 steps of 2 inputs, 12 values a window, more "
                                          "than the 11"):
        net.fit(X, Y, max_epochs=1)
    monkeypatch.setattr(linear_start, "MAX_WIDTH", 12)
    assert len(net.fit(X, Y, max_epochs=1).history_) == 1      # allowed: trained


def test_the_start_is_kept_when_no_epoch_beats_it():
    X, Y = ar2_windows()
    network = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[8], linear_path=True,
                               lookback=X.shape[1], seed=0)
    start = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[8], linear_path=True,
                             lookback=X.shape[1], seed=0)
    start_from_least_squares(start, X[:300], Y[:300])
    # a learning rate far too high: every epoch is worse than the least-squares start
    network.fit(X[:300], Y[:300], X[300:], Y[300:], max_epochs=3, learning_rate=0.5)
    assert network.best_epoch_ == 0 and network.kept_start_
    assert len(network.history_) == 3 and network.stop_reason_.endswith(
        "The training did not improve on its starting point, a linear model fitted by least "
        "squares: no epoch had a lower selection error, so that linear model is kept.")
    np.testing.assert_allclose(network.predict(X[300:]), start.predict(X[300:], untrained=True))
    assert all(r.selection_loss > network.selection_loss_ for r in network.history_)
    # every epoch reports the start's losses, which its plot draws at epoch 0
    assert all(r.start == (network.training_loss_, network.selection_loss_)
               for r in network.history_)


def test_without_a_linear_path_no_start_is_kept():
    X, Y = ar2_windows()
    network = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[8], seed=0)
    network.fit(X[:300], Y[:300], X[300:], Y[300:], max_epochs=2)
    assert network.best_epoch_ >= 1 and not network.kept_start_


def test_the_least_squares_start_sums_on_one_blas_thread(monkeypatch):
    """The start's sums (the normal equations of every window) run on one BLAS thread, in
    whatever context the fit runs: with two threads a large one came out other bits on a
    computer of two cores than on one, and so did every network trained from it."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from engine.training import linear_start

    threads = []
    real = linear_start.least_squares_weights

    def counted(*args, **kwargs):        # NumPy's BLAS (SciPy may bring its own)
        threads.append(max((pool["num_threads"] for pool in threadpool_info()
                            if pool["user_api"] == "blas" and "numpy" in pool["filepath"]),
                           default=1))
        return real(*args, **kwargs)

    monkeypatch.setattr(linear_start, "least_squares_weights", counted)
    X, Y = ar2_windows()
    task = TaskState()
    task.cancel()
    with threadpool_limits(limits=2, user_api="blas"):
        RecurrentNetwork("gru", 1, [4], 1, seed=0, linear_path=True, lookback=8).fit(
            X, Y, task=task)
    assert threads == [1]
