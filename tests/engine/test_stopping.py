"""The training's small parts: the stop rules, the best-weights keeper, the plateau schedule,
and a cancelled TaskState ending a training with its best weights and a flag."""

import math
import threading

import numpy as np

from engine import RecurrentNetwork, TaskState
from engine.training.loop import train
from engine.training.settings import TrainingSettings
from engine.training.stopping import (BestWeights, EarlyStopping, LossGoal, MaxEpochs,
                                      PlateauSchedule, TimeLimit, first_reason, stop_rules)


def keeper_at(epoch):
    best = BestWeights(np.zeros(2))
    best.epoch = epoch
    return best


def test_each_rule_answers_only_when_its_condition_holds():
    best = keeper_at(3)
    assert EarlyStopping(5).reason(7, 1.0, 0.0, best) is None
    assert "did not improve for 5 epochs" in EarlyStopping(5).reason(8, 1.0, 0.0, best)
    assert LossGoal(0.1).reason(1, 0.2, 0.0, best) is None
    assert LossGoal(0.1).reason(1, 0.1, 0.0, best) == "The error reached the goal of 0.1."
    assert TimeLimit(2.0).reason(1, 1.0, 1.9, best) is None
    assert TimeLimit(2.0).reason(1, 1.0, 2.0, best) == "The time limit of 2 s was reached."
    assert MaxEpochs(10).reason(9, 1.0, 0.0, best) is None
    assert MaxEpochs(10).reason(10, 1.0, 0.0, best) == "Reached the maximum of 10 epochs."


def test_the_rules_follow_the_settings_and_the_first_answer_wins():
    settings = TrainingSettings(patience=2, loss_goal=0.5, time_limit=9.0, max_epochs=4)
    rules = stop_rules(settings, has_selection=True)
    assert [type(r) for r in rules] == [EarlyStopping, LossGoal, TimeLimit, MaxEpochs]
    assert [type(r) for r in stop_rules(settings, has_selection=False)] == [
        LossGoal, TimeLimit, MaxEpochs]
    assert [type(r) for r in stop_rules(TrainingSettings(patience=None), True)] == [MaxEpochs]
    both = first_reason(rules, 4, 0.1, 0.0, keeper_at(1))    # patience, goal and maximum
    assert both.startswith("The selection error did not improve")
    assert first_reason(rules, 2, 1.0, 0.0, keeper_at(1)) is None


def test_the_keeper_copies_the_lowest_epoch_and_puts_it_back():
    values = np.array([1.0, 2.0])
    best = BestWeights(values)
    assert best.epoch == 0 and best.loss == math.inf
    best.update(3.0, 1)
    values[...] = [5.0, 6.0]
    best.update(4.0, 2)                 # worse: not kept
    assert best.epoch == 1 and best.loss == 3.0
    values[...] = [7.0, 8.0]
    best.restore()
    np.testing.assert_array_equal(values, [1.0, 2.0])


def test_the_plateau_schedule_lowers_the_rate_after_lr_patience_epochs():
    class Optimizer:
        learning_rate = 0.1

    settings = TrainingSettings(lr_patience=2, lr_factor=0.5, min_learning_rate=0.03)
    schedule, optimizer = PlateauSchedule(settings), Optimizer()
    rates = []
    for loss in (1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0):
        schedule.update(loss, optimizer)
        rates.append(optimizer.learning_rate)
    assert rates == [0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03]
    lbfgs = PlateauSchedule(TrainingSettings(optimizer="lbfgs", lr_patience=1))
    optimizer.learning_rate = 1.0
    for loss in (1.0, 2.0, 3.0):
        lbfgs.update(loss, optimizer)
    assert optimizer.learning_rate == 1.0


def test_a_cancelled_task_ends_the_training_normally_with_its_best_weights_and_a_flag():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(40, 4, 1)), rng.normal(size=(40, 1))
    network = RecurrentNetwork(hidden_sizes=[3], seed=1)
    network.parameters_
    snapshots = {}
    task = TaskState()

    def on_epoch(report):
        snapshots[report.epoch] = network.parameters_.values.copy()
        if report.epoch == 3:
            setter = threading.Thread(target=task.cancel)
            setter.start()
            setter.join()

    task.on_epoch = on_epoch
    settings = TrainingSettings.from_kwargs(max_epochs=50, batch_size=8, patience=None)
    result = train(network, X[:30], Y[:30], X[30:], Y[30:], settings, task)
    assert result.cancelled and len(result.history) == 3
    assert result.stop_reason.startswith("Stopped by the user.")
    np.testing.assert_array_equal(network.parameters_.values, snapshots[result.best_epoch])
    finished = train(RecurrentNetwork(hidden_sizes=[3], seed=1), X, Y, None, None,
                     TrainingSettings.from_kwargs(max_epochs=2), None)
    assert not finished.cancelled
