"""The training loop: reproducibility, shuffling, early stopping with the best weights kept,
progress reports, cancelling, the learning-rate schedule, divergence and the other stops."""

import math
import threading

import numpy as np
import pytest

from engine import EngineError, EpochReport, RecurrentNetwork, TaskState
from engine.training.settings import OPTIMIZERS, TrainingSettings


def sine_data(n=48, steps=5, noise=0.1, seed=0):
    """Windows of a noisy sine with a random phase; the target is the next value."""
    rng = np.random.default_rng(seed)
    phase = rng.uniform(0, 2 * np.pi, size=n)
    t = np.arange(steps + 1) * 0.4
    series = np.sin(phase[:, None] + t[None, :]) + noise * rng.normal(size=(n, steps + 1))
    return series[:, :steps, None], series[:, steps:]


def noise_data(n=40, steps=4, seed=0):
    """Targets independent of the inputs: the selection error soon stops improving."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, steps, 1)), rng.normal(size=(n, 1))


def small_net(cell="gru", seed=0, **options):
    return RecurrentNetwork(cell=cell, n_inputs=1, hidden_sizes=[4], seed=seed, **options)


def mse(net, X, Y):
    return float(np.mean((net.predict(X, untrained=True) - Y) ** 2))


def without_time(history):
    return [(r.epoch, r.training_loss, r.selection_loss, r.learning_rate, r.gradient_norm,
             r.best_epoch, r.best_loss) for r in history]


# -- reproducibility ---------------------------------------------------------------------------

def test_same_seed_gives_identical_weights_and_history():
    X, Y = sine_data()
    runs = [small_net(seed=3).fit(X, Y, max_epochs=8) for _ in range(2)]
    first, second = (run.state_dict() for run in runs)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)
    assert without_time(runs[0].history_) == without_time(runs[1].history_)
    assert runs[0].stop_reason_ == runs[1].stop_reason_


def test_different_seeds_give_different_weights():
    X, Y = sine_data()
    a = small_net(seed=3).fit(X, Y, max_epochs=4).state_dict()
    b = small_net(seed=4).fit(X, Y, max_epochs=4).state_dict()
    assert any(not np.array_equal(a[name], b[name]) for name in a)


def test_shuffle_seed_changes_the_batch_order_only_when_shuffling():
    """Same initial weights, different training seeds: the weights differ only with
    shuffling on (mini-batches of 8 windows, so the order matters)."""
    X, Y = sine_data()

    def weights(shuffle, seed):
        net = small_net(seed=1).fit(X, Y, max_epochs=3, batch_size=8, shuffle=shuffle,
                                    seed=seed)
        return net.parameters_.values.copy()

    assert not np.array_equal(weights(True, 10), weights(True, 11))
    np.testing.assert_array_equal(weights(False, 10), weights(False, 11))
    assert not np.array_equal(weights(False, 10), weights(True, 10))


def test_one_epoch_of_plain_sgd_is_one_step_per_batch_in_order():
    """Without shuffling, the held-out windows are the last ones and the batches follow in
    order: two SGD steps on X[:16] and X[16:30] (32 windows, selection_fraction 1/16)."""
    X, Y = sine_data(n=32)
    net = small_net(seed=2)
    state = net.state_dict()
    lr = 0.1
    net.fit(X, Y, optimizer="sgd", momentum=0.0, learning_rate=lr, clip_norm=None,
            batch_size=16, max_epochs=1, shuffle=False, selection_fraction=1 / 16)
    reference = small_net(seed=2)
    for part in (slice(0, 16), slice(16, 30)):
        _, grads = reference.loss_and_gradients(X[part], Y[part])
        state = {name: value - lr * grads[name] for name, value in state.items()}
        reference.load_state_dict(state)
    for name, value in net.state_dict().items():
        np.testing.assert_allclose(value, state[name], rtol=0, atol=1e-14, err_msg=name)
    assert net.selection_loss_ == pytest.approx(mse(net, X[30:], Y[30:]), rel=1e-12)


# -- selection set, early stopping, best weights -----------------------------------------------

def test_early_stopping_after_exactly_patience_epochs_and_best_weights_restored():
    X, Y = noise_data()
    Xs, Ys = noise_data(seed=1)
    patience = 4
    net = small_net().fit(X, Y, Xs, Ys, patience=patience, max_epochs=500,
                          learning_rate=0.05)
    history = net.history_
    losses = [r.selection_loss for r in history]
    best = int(np.argmin(losses)) + 1
    assert net.best_epoch_ == best
    assert len(history) == best + patience < 500
    assert all(loss >= losses[best - 1] for loss in losses[best:])
    assert "did not improve for 4 epochs" in net.stop_reason_
    assert f"epoch {best} were kept" in net.stop_reason_
    assert net.selection_loss_ == losses[best - 1]
    assert mse(net, Xs, Ys) == pytest.approx(losses[best - 1], rel=1e-12)
    assert math.isfinite(net.selection_loss_)
    assert net.training_loss_ == history[best - 1].training_loss


def test_kept_weights_are_those_of_the_best_epoch():
    X, Y = noise_data()
    Xs, Ys = noise_data(seed=1)
    snapshots = {}
    net = small_net()
    net.fit(X, Y, Xs, Ys, patience=3, max_epochs=200, learning_rate=0.05,
            task=TaskState(on_epoch=lambda report: snapshots.__setitem__(report.epoch,
                                                                         net.state_dict())))
    assert len(snapshots) == len(net.history_) > net.best_epoch_
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, snapshots[net.best_epoch_][name], err_msg=name)


def test_selection_fraction_holds_out_the_last_windows_without_a_selection_set():
    X, Y = sine_data(n=40)
    net = small_net().fit(X, Y, max_epochs=5, selection_fraction=0.25)
    assert all(r.selection_loss is not None for r in net.history_)
    assert net.selection_loss_ == pytest.approx(mse(net, X[30:], Y[30:]), rel=1e-12)
    assert net.selection_loss_ == min(r.selection_loss for r in net.history_)


def test_without_selection_set_the_training_error_chooses_the_weights():
    X, Y = sine_data(n=40)
    net = small_net().fit(X, Y, max_epochs=6, selection_fraction=0, patience=1)
    assert all(r.selection_loss is None for r in net.history_)
    assert len(net.history_) == 6           # no early stopping without a selection set
    losses = [r.training_loss for r in net.history_]
    assert net.best_epoch_ == int(np.argmin(losses)) + 1
    assert net.selection_loss_ is None


def test_selection_set_needs_both_parts():
    X, Y = sine_data()
    with pytest.raises(EngineError, match="both X_sel and Y_sel"):
        small_net().fit(X, Y, X_sel=X)


# -- progress reports --------------------------------------------------------------------------

def test_callback_gets_one_report_per_epoch_in_order():
    X, Y = sine_data()
    reports = []
    net = small_net().fit(X, Y, max_epochs=7, task=TaskState(on_epoch=reports.append))
    assert reports == net.history_
    assert [r.epoch for r in reports] == list(range(1, 8))
    assert all(isinstance(r, EpochReport) for r in reports)
    elapsed = [r.elapsed for r in reports]
    assert all(0 < a < b for a, b in zip(elapsed, elapsed[1:]))
    assert all(r.max_epochs == 7 for r in reports)
    for r in reports:
        seen = [x.selection_loss for x in reports[:r.epoch]]
        assert r.best_loss == min(seen)
        assert r.best_epoch == int(np.argmin(seen)) + 1
        assert math.isfinite(r.training_loss) and r.gradient_norm > 0


def test_a_task_that_is_not_a_task_state_is_refused_before_the_weights_change():
    """``task=print`` (a report function, not a TaskState) is named with how to make one,
    before the trained weights are reset, not an AttributeError in the first batch."""
    X, Y = sine_data()
    net = small_net().fit(X, Y, max_epochs=2)
    before = net.state_dict()
    with pytest.raises(EngineError, match=r"task must be a TaskState, e.g. "
                                          r"task=TaskState\(on_epoch=print\) to be told of "
                                          r"every epoch; got <built-in function print>\."):
        net.fit(X, Y, max_epochs=2, task=print)
    assert all(np.array_equal(before[k], v) for k, v in net.state_dict().items())


def test_an_error_in_the_callback_propagates_and_keeps_the_best_weights():
    """The callback fails in the first epoch that is not the best so far."""
    X, Y = noise_data()
    Xs, Ys = noise_data(seed=1)
    snapshots = {}
    net = small_net()

    def callback(report):
        snapshots[report.epoch] = net.state_dict()
        if report.best_epoch < report.epoch:
            raise RuntimeError("display closed")

    with pytest.raises(RuntimeError, match="display closed"):
        net.fit(X, Y, Xs, Ys, max_epochs=50, task=TaskState(on_epoch=callback),
                learning_rate=0.05)
    assert len(snapshots) >= 2
    best = max(snapshots) - 1
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, snapshots[best][name])


# -- cancelling --------------------------------------------------------------------------------

def count_batches(net, on_batch):
    """Wrap the network's batch computation; ``on_batch(n)`` runs before batch ``n``."""
    original = net.data_loss_and_gradient
    count = [0]

    def wrapped(*args):
        count[0] += 1
        on_batch(count[0])
        return original(*args)

    net.data_loss_and_gradient = wrapped
    return count


def test_cancel_from_another_thread_stops_within_one_batch_and_keeps_the_best_weights():
    """4 batches an epoch; the token is set from a thread while batch 6 (epoch 2) runs:
    batch 6 completes, no batch 7 starts, and epoch 1's weights are kept."""
    X, Y = sine_data(n=40)
    token = TaskState()
    net = small_net()
    snapshots = {}
    token.on_epoch = lambda r: snapshots.__setitem__(r.epoch, net.state_dict())

    def on_batch(n):
        if n == 6:
            setter = threading.Thread(target=token.cancel)
            setter.start()
            setter.join()

    count = count_batches(net, on_batch)
    net.fit(X, Y, max_epochs=100, batch_size=8, selection_fraction=0.2, task=token)
    assert count[0] == 6
    assert token.cancelled
    assert len(net.history_) == 1 and net.best_epoch_ == 1
    assert net.stop_reason_.startswith("Stopped by the user.")
    assert "epoch 1 were kept" in net.stop_reason_
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, snapshots[1][name])


def test_cancel_from_the_callback_stops_before_the_next_epoch():
    X, Y = sine_data(n=40)
    token = TaskState()
    net = small_net()
    count = count_batches(net, lambda n: None)

    def callback(report):
        if report.epoch == 3:
            token.cancel()

    token.on_epoch = callback
    net.fit(X, Y, max_epochs=100, batch_size=8, task=token)
    assert len(net.history_) == 3
    assert count[0] == 3 * 4
    assert "Stopped by the user" in net.stop_reason_
    assert net.selection_loss_ == min(r.selection_loss for r in net.history_)


def test_cancel_before_the_first_batch_keeps_the_initial_weights():
    X, Y = sine_data()
    token = TaskState()
    token.cancel()
    net = small_net()
    initial = net.state_dict()
    net.fit(X, Y, max_epochs=10, task=token)
    assert net.history_ == [] and net.best_epoch_ == 0
    assert "initial weights were kept" in net.stop_reason_
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, initial[name])


def test_cancel_stops_lbfgs_within_one_evaluation():
    X, Y = sine_data(n=30)
    token = TaskState()
    net = small_net()

    def on_batch(n):
        if n == 5:
            setter = threading.Thread(target=token.cancel)
            setter.start()
            setter.join()

    count = count_batches(net, on_batch)
    net.fit(X, Y, optimizer="lbfgs", max_epochs=100, task=token)
    assert count[0] == 5
    assert "Stopped by the user" in net.stop_reason_
    assert all(np.isfinite(v).all() for v in net.state_dict().values())
    if net.best_epoch_:
        assert mse(net, X[24:], Y[24:]) == pytest.approx(net.selection_loss_, rel=1e-12)


# -- learning-rate schedule --------------------------------------------------------------------

def test_reduce_on_plateau_lowers_the_rate_after_lr_patience_epochs():
    """Replays the rule on the reported selection errors: after ``lr_patience`` epochs
    without a new best, the rate is multiplied by ``lr_factor`` (never below the floor)."""
    X, Y = noise_data()
    Xs, Ys = noise_data(seed=1)
    lr, factor, lr_patience, floor = 0.02, 0.5, 2, 0.004
    net = small_net().fit(X, Y, Xs, Ys, learning_rate=lr, lr_factor=factor,
                          lr_patience=lr_patience, min_learning_rate=floor, patience=None,
                          max_epochs=40)
    expected, best, waited = [], math.inf, 0
    for report in net.history_:
        if report.selection_loss < best:
            best, waited = report.selection_loss, 0
        else:
            waited += 1
            if waited >= lr_patience:
                lr, waited = max(floor, lr * factor), 0
        expected.append(lr)
    rates = [r.learning_rate for r in net.history_]
    assert rates == pytest.approx(expected, rel=1e-15)
    assert rates[0] == 0.02 and min(rates) == floor   # it was lowered, down to the floor


def test_no_reduction_when_lr_patience_is_off():
    X, Y = noise_data()
    net = small_net().fit(X, Y, learning_rate=0.02, lr_patience=None, max_epochs=15)
    assert {r.learning_rate for r in net.history_} == {0.02}


# -- divergence --------------------------------------------------------------------------------

def assert_finite_weights(net):
    for name, value in net.state_dict().items():
        assert np.isfinite(value).all(), name


def test_exploding_sgd_stops_with_a_reason_and_finite_best_weights():
    X, Y = sine_data()
    snapshots = {}
    net = small_net(cell="rnn")
    initial = net.state_dict()
    with np.errstate(all="ignore"):
        net.fit(X, Y, optimizer="sgd", learning_rate=1e6, clip_norm=None, momentum=0.0,
                max_epochs=100, batch_size=4,
                task=TaskState(on_epoch=lambda r: snapshots.__setitem__(r.epoch,
                                                                        net.state_dict())))
    assert "infinite or not a number" in net.stop_reason_
    assert "smaller learning rate" in net.stop_reason_
    assert "initial weights" in net.stop_reason_ or f"epoch {net.best_epoch_} were kept" \
        in net.stop_reason_
    assert len(net.history_) < 100
    assert_finite_weights(net)
    kept = snapshots[net.best_epoch_] if net.best_epoch_ else initial
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, kept[name])
    assert np.isfinite(net.predict(X)).all()


@pytest.mark.parametrize("dtype,scale", [("float64", 1e200), ("float32", 1e30)])
def test_targets_too_large_to_square_stop_at_once_with_the_initial_weights(dtype, scale):
    X, Y = sine_data()
    net = small_net(dtype=dtype)
    initial = net.state_dict()
    with np.errstate(all="ignore"):
        net.fit(X, Y * scale, max_epochs=10)
    assert "infinite or not a number in epoch 1" in net.stop_reason_
    assert "initial weights were kept" in net.stop_reason_
    assert net.best_epoch_ == 0 and net.history_ == []
    assert math.isnan(net.training_loss_)
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, initial[name])


# -- other stops -------------------------------------------------------------------------------

def test_max_epochs_reached_is_the_reason():
    X, Y = sine_data()
    net = small_net().fit(X, Y, max_epochs=3, patience=None)
    assert len(net.history_) == 3
    assert net.stop_reason_.startswith("Reached the maximum of 3 epochs.")


def test_loss_goal_stops_when_reached():
    X, Y = sine_data()
    Xs, Ys = sine_data(seed=1)
    goal = 0.1
    net = small_net().fit(X, Y, Xs, Ys, loss_goal=goal, learning_rate=0.02, max_epochs=500)
    losses = [r.selection_loss for r in net.history_]
    assert losses[-1] <= goal < min(losses[:-1])
    assert "reached the goal of 0.1" in net.stop_reason_


def test_time_limit_stops_with_its_reason():
    X, Y = sine_data()
    net = small_net().fit(X, Y, time_limit=0.05, max_epochs=100000, patience=None)
    last = net.history_[-1]
    assert last.elapsed >= 0.05
    assert len(net.history_) == 1 or net.history_[-2].elapsed < 0.05
    assert "time limit of 0.05 s" in net.stop_reason_


def test_lbfgs_stops_when_converged():
    X, Y = sine_data(n=20, noise=0.0)
    net = small_net().fit(X, Y, optimizer="lbfgs", max_epochs=5000, patience=None,
                          selection_fraction=0, gradient_tolerance=1e-3)
    assert "L-BFGS converged" in net.stop_reason_
    assert len(net.history_) < 5000
    assert net.history_[-1].gradient_norm < 1e-3 or "no step" in net.stop_reason_


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_every_optimizer_and_cell_trains_through_fit(optimizer, cell):
    X, Y = sine_data()
    net = small_net(cell=cell)
    start = mse(net, X, Y)
    net.fit(X, Y, optimizer=optimizer, max_epochs=15, selection_fraction=0,
            learning_rate={"adam": 0.02, "rmsprop": 0.01, "sgd": 0.05, "lbfgs": 1.0}[optimizer])
    assert mse(net, X, Y) < 0.8 * start
    assert net.training_loss_ == net.history_[net.best_epoch_ - 1].training_loss
    if optimizer == "lbfgs":    # full batch: the reported error is that of the weights kept
        assert net.training_loss_ == pytest.approx(mse(net, X, Y), rel=1e-9)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber", "normalized_squared_error",
                                  "minkowski"])
def test_every_loss_trains_through_fit(loss):
    X, Y = sine_data()
    net = small_net()
    start = mse(net, X, Y)
    net.fit(X, Y, loss=loss, max_epochs=15, learning_rate=0.02, l2=1e-4, l1=1e-5)
    assert mse(net, X, Y) < 0.8 * start
    assert net.history_[0].training_loss > net.training_loss_


# -- settings ----------------------------------------------------------------------------------

def test_default_learning_rate_depends_on_the_optimizer():
    rates = {name: TrainingSettings.from_kwargs(optimizer=name).learning_rate
             for name in OPTIMIZERS}
    assert rates == {"adam": 3e-3, "rmsprop": 1e-3, "sgd": 1e-2, "lbfgs": 1.0}


@pytest.mark.parametrize("name", ["patience", "lr_patience"])
def test_zero_patience_turns_it_off(name):
    assert getattr(TrainingSettings.from_kwargs(**{name: 0}), name) is None
