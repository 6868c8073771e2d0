"""Weights averaged along the training path: the running mean by hand, the swap in and
out, when it is off, and a training that measures and keeps the averaged weights."""

import numpy as np
import pytest

from engine import EngineError, RecurrentNetwork, TaskState
from engine.training.settings import TrainingSettings
from engine.training.weight_average import WeightAverage, averaged, weight_average


def test_the_first_steps_are_a_plain_mean_then_the_latest_steps_count_most():
    values = np.array([0.0, 10.0])
    average = WeightAverage(values, steps=2)
    for step in ([2.0, 4.0], [4.0, 8.0], [8.0, 0.0]):
        values[...] = step
        average.update()
    # t=1: max(1/2, 1) = 1 -> [2, 4]; t=2: 1/2 -> [3, 6]; t=3: 1/2 -> [5.5, 3]
    np.testing.assert_allclose(average.mean, [5.5, 3.0])
    np.testing.assert_array_equal(values, [8.0, 0.0])        # the weights are not touched


def test_the_averaged_weights_are_in_place_only_inside_the_block():
    values = np.array([1.0, 2.0])
    average = WeightAverage(values, steps=4)
    average.mean[...] = [7.0, 9.0]
    with average.swapped_in():
        np.testing.assert_array_equal(values, [7.0, 9.0])
    np.testing.assert_array_equal(values, [1.0, 2.0])
    with pytest.raises(ZeroDivisionError):
        with average.swapped_in():
            1 / 0
    np.testing.assert_array_equal(values, [1.0, 2.0])
    with averaged(None):                                     # no average: nothing happens
        np.testing.assert_array_equal(values, [1.0, 2.0])


@pytest.mark.parametrize("settings, has_selection", [
    (TrainingSettings(), True),
    (TrainingSettings(average_steps=50, optimizer="lbfgs"), True),
    (TrainingSettings(average_steps=50), False),
])
def test_no_average_when_off_with_lbfgs_or_without_selection_windows(settings, has_selection):
    settings.check()
    assert weight_average(np.zeros(3), settings, has_selection) is None


def test_the_setting_is_a_whole_number_or_off():
    assert TrainingSettings.from_kwargs(average_steps=0).average_steps is None
    for wrong in (-3, 2.5, True):
        with pytest.raises(EngineError, match="average_steps must be a whole number"):
            TrainingSettings.from_kwargs(average_steps=wrong)


def windows(seed, n=60, steps=6):
    rng = np.random.default_rng(seed)
    series = np.cumsum(rng.normal(size=(n, steps + 1)), axis=1) * 0.3
    return series[:, :steps, None], series[:, steps:]


def fitted(**options):
    (X, Y), (Xs, Ys) = windows(0), windows(1)
    snapshots = {}
    network = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[6], seed=2)
    network.fit(X, Y, Xs, Ys, max_epochs=12, patience=None, batch_size=8,
                learning_rate=0.02,
                task=TaskState(on_epoch=lambda report: snapshots.__setitem__(
                    report.epoch, network.state_dict())), **options)
    return network, snapshots, (Xs, Ys)


def test_an_average_of_one_step_is_the_training_without_average():
    plain, _, _ = fitted()
    one, _, _ = fitted(average_steps=1)
    for name, value in plain.state_dict().items():
        np.testing.assert_array_equal(value, one.state_dict()[name], err_msg=name)
    assert [r.selection_loss for r in plain.history_] == \
        [r.selection_loss for r in one.history_]


def test_the_training_measures_reports_and_keeps_the_averaged_weights():
    network, seen, (Xs, Ys) = fitted(average_steps=20)
    plain, own, _ = fitted()
    best = network.best_epoch_
    kept = network.state_dict()
    # the epoch's hook saw the averaged weights, and those of the best epoch were kept
    for name, value in kept.items():
        np.testing.assert_array_equal(value, seen[best][name], err_msg=name)
    # the optimizer's path is the same with and without the average (it only watches the
    # path), and its own weights at that epoch are not the ones kept
    assert [r.training_loss for r in network.history_] == \
        [r.training_loss for r in plain.history_]
    assert any(not np.allclose(kept[name], own[best][name]) for name in kept)
    selection = float(np.mean((network.predict(Xs, untrained=True) - Ys) ** 2))
    assert selection == pytest.approx(network.selection_loss_, rel=1e-9)
    assert network.selection_loss_ == min(r.selection_loss for r in network.history_)


def test_the_average_follows_every_step(monkeypatch):
    steps = []
    update = WeightAverage.update
    monkeypatch.setattr(WeightAverage, "update",
                        lambda self: (steps.append(self.count), update(self)))
    network, _, _ = fitted(average_steps=5)
    batches = -(-60 // 8)                                   # 60 windows in batches of 8
    assert steps == list(range(batches * len(network.history_)))


def test_a_cancel_keeps_the_averaged_weights_of_the_best_epoch():
    (X, Y), (Xs, Ys) = windows(0), windows(1)
    task = TaskState()
    seen = {}

    def on_epoch(report):
        seen[report.epoch] = network.state_dict()
        if report.epoch == 4:
            task.cancel()

    task.on_epoch = on_epoch
    network = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[6], seed=2)
    network.fit(X, Y, Xs, Ys, max_epochs=50, batch_size=8, learning_rate=0.02,
                average_steps=20, task=task)
    assert network.cancelled_ and len(network.history_) == 4
    for name, value in network.state_dict().items():
        np.testing.assert_array_equal(value, seen[network.best_epoch_][name], err_msg=name)
