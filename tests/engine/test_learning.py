"""Learning tests: small networks trained on tasks with a known answer, each with a stated
threshold. Margins were measured over seeds 0-3 of the network (same data)."""

import numpy as np
import pytest

from engine import RecurrentNetwork

pytestmark = pytest.mark.slow


def delayed_copy(n, steps, delay, seed):
    """Windows of white noise; the target is the input ``delay`` steps before the last."""
    X = np.random.default_rng(seed).normal(size=(n, steps, 1))
    return X, X[:, steps - 1 - delay, :]


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_gated_networks_learn_a_delayed_copy(cell):
    """Target variance about 0.9. Measured selection MSE after 40 epochs: GRU 0.001-0.005,
    LSTM 0.003-0.008; the threshold 0.05 leaves a margin of 6x or more (about 1.5 s)."""
    X, Y = delayed_copy(600, 10, 3, seed=100)
    Xs, Ys = delayed_copy(200, 10, 3, seed=999)
    net = RecurrentNetwork(cell=cell, n_inputs=1, hidden_sizes=[8], seed=0)
    net.fit(X, Y, Xs, Ys, max_epochs=40, learning_rate=1e-2, patience=None)
    selection = float(np.mean((net.predict(Xs) - Ys) ** 2))
    assert Ys.var() > 0.8
    assert selection < 0.05, net.stop_reason_
    assert net.selection_loss_ == pytest.approx(selection, rel=1e-12)


def noisy_sine(n_points, steps, noise, seed):
    """Windows of ``sin(2 pi t / 20)`` plus white noise; the target is the next value."""
    t = np.arange(n_points)
    rng = np.random.default_rng(seed)
    series = np.sin(2 * np.pi * t / 20) + noise * rng.normal(size=n_points)
    index = np.arange(n_points - steps)[:, None] + np.arange(steps)[None, :]
    return series[index][:, :, None], series[steps:, None]


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_noisy_sine_forecast_beats_persistence(cell):
    """Persistence (the last value) scores about 0.066; the best possible is the noise
    variance 0.01. Measured: 0.0104-0.0108 (ratio 0.16) for both cells; the thresholds are
    a ratio below 0.3 and an MSE below 2x the noise variance (about 0.7 s)."""
    X, Y = noisy_sine(600, 10, 0.1, seed=10)
    Xs, Ys = noisy_sine(300, 10, 0.1, seed=999)
    net = RecurrentNetwork(cell=cell, n_inputs=1, hidden_sizes=[8], seed=0)
    net.fit(X, Y, Xs, Ys, max_epochs=30, learning_rate=1e-2, patience=None)
    network = float(np.mean((net.predict(Xs) - Ys) ** 2))
    persistence = float(np.mean((Xs[:, -1] - Ys) ** 2))
    assert network < 0.3 * persistence
    assert network < 2 * 0.1 ** 2


def marked_recall(n, steps, seed):
    """Two channels: uniform noise in [-1, 1], and a marker that is 1 at one step among the
    first ten. The target is the noise value at the marked step, so it must be kept for
    90-100 steps while fresh noise keeps arriving on the same channel. Predicting the mean
    scores the target variance, 1/3."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, size=(n, steps))
    marked = rng.integers(0, 10, size=n)
    markers = np.zeros((n, steps))
    markers[np.arange(n), marked] = 1.0
    return np.stack([values, markers], axis=2), values[np.arange(n), marked][:, None]


GATE_BIASES = {
    # PyTorch row blocks of H = 16 units. The GRU's update gate z (rows H..2H of r, z, n)
    # at bias 3 keeps 95% of its state per step; the LSTM's forget gate f (rows H..2H of
    # i, f, g, o) at 3 keeps 95%, and its input gate i (rows 0..H) at -2 stays mostly shut
    # until the marker opens it. Split evenly between bias_ih and bias_hh.
    "gru": {(16, 32): 3.0},
    "lstm": {(16, 32): 3.0, (0, 16): -2.0},
    "rnn": {},
}


def train_marked_recall(cell, seed, steps=100):
    """Selection MSE over the target variance after 20 epochs on 1000 windows of
    ``steps`` steps (float32, 16 units, Adam at 1e-2, batches of 32, gradients clipped to
    1; one thread, as the batches are small)."""
    X, Y = marked_recall(1000, steps, seed=20)
    Xs, Ys = marked_recall(500, steps, seed=21)
    net = RecurrentNetwork(cell=cell, n_inputs=2, hidden_sizes=[16], dtype="float32",
                           seed=seed, n_threads=1)
    state = net.state_dict()
    for (start, stop), bias in GATE_BIASES[cell].items():
        for name in ("rnn.bias_ih_l0", "rnn.bias_hh_l0"):
            state[name][start:stop] = bias / 2
    net.load_state_dict(state)
    net.fit(X, Y, Xs, Ys, warm_start=True, max_epochs=20, learning_rate=1e-2, batch_size=32,
            clip_norm=1.0, patience=None)
    return float(np.mean((net.predict(Xs) - Ys) ** 2)) / float(Ys.var())


def test_lstm_remembers_across_60_steps_where_a_tanh_rnn_does_not():
    """The vanishing gradient, with an LSTM: the marked value must be kept for 50-60 steps.

    Measured over network seeds 0-9 (selection MSE / target variance, 20 epochs): LSTM
    0.0013-0.0059, below 0.2 by epoch 3-6; tanh RNN 0.992-0.995. With PyTorch's default
    gate biases the LSTM learns it too, but only by epoch 10-16. About 2 s in all."""
    lstm = train_marked_recall("lstm", seed=0, steps=60)
    rnn = train_marked_recall("rnn", seed=0, steps=60)
    assert lstm < 0.1, f"the LSTM did not learn to recall the marked value: {lstm:.3f}"
    assert rnn > 0.8, f"the tanh RNN learned the 60-step recall: {rnn:.3f}"


def test_gru_remembers_across_100_steps_where_a_tanh_rnn_does_not():
    """The vanishing gradient: the error signal from the target reaches the marked step
    only through 90-100 steps of recurrence. A tanh RNN's gradient shrinks at every step,
    so it never finds the marked value and stays at the mean; the GRU's update gate
    carries the state (and the gradient) across and learns the task. At initialization,
    d output / d value at step 5 over the same at step 99 is below 1e-11 for the RNN and
    0.01-0.08 for this GRU (finite differences, seeds 0-2).

    Measured over network seeds 0-9 (selection MSE / target variance): GRU 0.0004-0.0017,
    below 0.2 by epoch 4-5 of 20; RNN 0.997-1.000, at the mean in every epoch. The
    thresholds 0.1 and 0.8 leave margins of 50x and 0.2; other data seeds gave the same
    (GRU below 0.2 by epoch 5-6, RNN 0.996-1.003). The RNN stayed at 0.98-1.00 even with
    2000 windows, 60 epochs and a rate of 1e-2 or 3e-3. A GRU with PyTorch's initialization
    learns the task too, but only after 16-22 epochs. About 2 s in all."""
    gru = train_marked_recall("gru", seed=0)
    rnn = train_marked_recall("rnn", seed=0)
    assert gru < 0.1, f"the GRU did not learn to recall the marked value: {gru:.3f}"
    assert rnn > 0.8, f"the tanh RNN learned the 100-step recall: {rnn:.3f}"
