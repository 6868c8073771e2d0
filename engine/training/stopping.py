"""When a training stops and which weights it keeps, as small objects the loop asks.

After every epoch the loop knows the monitored error ``e`` (the selection error, or the
training error without a selection set). The stop rules are asked in this order and the
first that answers ends the training with its sentence:

* :class:`EarlyStopping`: ``epoch - best_epoch >= patience`` (only with a selection set);
* :class:`LossGoal`: ``e <= loss_goal``;
* :class:`TimeLimit`: ``elapsed >= time_limit`` seconds;
* :class:`MaxEpochs`: ``epoch >= max_epochs``.

A training also ends when its error stops being finite (:class:`Diverged`) or when the
person cancels (:class:`~engine.tasks.Cancelled`). Whatever ends it, :class:`BestWeights`
puts back the weights of the epoch with the lowest ``e``.
"""

import math

import numpy as np


class Diverged(Exception):
    """The training error became infinite or NaN in ``epoch``; the message says what to do."""

    def __init__(self, epoch):
        super().__init__(f"The training error became infinite or not a number in epoch "
                         f"{epoch} (the training diverged). Try a smaller learning rate, "
                         "gradient clipping, or inputs and targets scaled to a few units.")


class BestWeights:
    """Keeps a copy of ``values`` (the flat parameter vector, changed in place by the
    training) from the epoch with the lowest monitored error; :meth:`restore` puts it back.
    Before any epoch the copy is the initial weights (``epoch`` 0, ``loss`` inf)."""

    def __init__(self, values):
        self.values = values
        self.kept = values.copy()
        self.loss, self.epoch = math.inf, 0

    def update(self, loss, epoch):
        """Keep the current weights when ``loss`` is lower than every earlier epoch's."""
        if loss < self.loss:
            self.loss, self.epoch = loss, epoch
            self.kept[...] = self.values

    def restore(self):
        self.values[...] = self.kept


class PlateauSchedule:
    """Reduce on plateau: after ``lr_patience`` epochs without a new lowest error the
    optimizer's rate becomes ``max(min_learning_rate, rate * lr_factor)``. Off for L-BFGS
    and when ``lr_patience`` is None."""

    def __init__(self, settings):
        self.settings = settings
        self.on = bool(settings.lr_patience) and settings.optimizer != "lbfgs"
        self.best, self.epochs = math.inf, 0

    def update(self, loss, optimizer):
        if not self.on:
            return
        if loss < self.best:
            self.best, self.epochs = loss, 0
            return
        self.epochs += 1
        if self.epochs >= self.settings.lr_patience:
            optimizer.learning_rate = max(self.settings.min_learning_rate,
                                          optimizer.learning_rate * self.settings.lr_factor)
            self.epochs = 0


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience

    def reason(self, epoch, loss, elapsed, best):
        if epoch - best.epoch >= self.patience:
            return (f"The selection error did not improve for {self.patience} epochs "
                    "(early stopping).")
        return None


class LossGoal:
    def __init__(self, goal):
        self.goal = goal

    def reason(self, epoch, loss, elapsed, best):
        if loss <= self.goal:
            return f"The error reached the goal of {self.goal:g}."
        return None


class TimeLimit:
    def __init__(self, seconds):
        self.seconds = seconds

    def reason(self, epoch, loss, elapsed, best):
        if elapsed >= self.seconds:
            return f"The time limit of {self.seconds:g} s was reached."
        return None


class MaxEpochs:
    def __init__(self, max_epochs):
        self.max_epochs = max_epochs

    def reason(self, epoch, loss, elapsed, best):
        if epoch >= self.max_epochs:
            return f"Reached the maximum of {self.max_epochs} epochs."
        return None


def stop_rules(settings, has_selection):
    """The rules ``settings`` turn on, in the order they are asked (module docstring)."""
    rules = []
    if settings.patience and has_selection:
        rules.append(EarlyStopping(settings.patience))
    if settings.loss_goal is not None:
        rules.append(LossGoal(settings.loss_goal))
    if settings.time_limit is not None:
        rules.append(TimeLimit(settings.time_limit))
    rules.append(MaxEpochs(settings.max_epochs))
    return rules


def first_reason(rules, epoch, loss, elapsed, best):
    """The sentence of the first rule that stops the training, or None."""
    for rule in rules:
        reason = rule.reason(epoch, loss, elapsed, best)
        if reason is not None:
            return reason
    return None


def all_finite(value, array):
    """True when the number ``value`` and every element of ``array`` are finite."""
    return math.isfinite(value) and bool(np.all(np.isfinite(array)))
