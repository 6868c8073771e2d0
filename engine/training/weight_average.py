"""Weights averaged along the training path (Polyak averaging), kept instead of the last.

With ``average_steps`` ``N`` (:class:`~engine.training.settings.TrainingSettings`), every
optimizer step ``t = 1, 2, ...`` moves the average ``a`` towards the weights ``w_t`` the
step reached:

    a_t = a_(t-1) + (w_t - a_(t-1)) * max(1 / N, 1 / t),    a_0 = w_0,

the plain mean of the first ``N`` steps, then an exponential moving average in which a
step's weights fade by the factor ``1 - 1/N`` a step (about the latest ``N`` steps count).
Mini-batch steps leave the weights wandering about a minimum; their average lies nearer
its middle and forecasts much like several networks of that path averaged, for the cost of
one.

The training loop (:func:`engine.training.loop.train`) measures every epoch's selection
error with the averaged weights (:meth:`WeightAverage.swapped_in`), so early stopping
watches them, the epoch's report (and a preview made from it) sees them, and the best
epoch's average is what the network keeps; the optimizer goes on from its own weights.
The epoch's training error stays the optimizer's (the mean over its batches), so with an
average the gap between the two curves no longer measures overfitting alone. Without
selection windows, or with L-BFGS (whole-batch steps), nothing is averaged.
"""

from contextlib import contextmanager, nullcontext

import numpy as np


class WeightAverage:
    """The running average of ``values`` (the flat parameter vector, changed in place by
    the optimizer) over about its latest ``steps`` steps."""

    def __init__(self, values, steps):
        self.values, self.steps = values, int(steps)
        self.mean = values.astype(np.float64)     # float32 would lose steps of 1/N of a step
        self.own = np.empty_like(values)
        self.count = 0

    def update(self):
        """After an optimizer step: move the average towards the current weights."""
        self.count += 1
        self.mean += (self.values - self.mean) * max(1.0 / self.steps, 1.0 / self.count)

    @contextmanager
    def swapped_in(self):
        """The averaged weights in ``values`` inside the block; the optimizer's own weights
        back after it (also after an error)."""
        self.own[...] = self.values
        self.values[...] = self.mean
        try:
            yield
        finally:
            self.values[...] = self.own


def weight_average(values, settings, has_selection):
    """The :class:`WeightAverage` of ``values`` that ``settings`` ask for, or None: with
    ``average_steps`` unset, with L-BFGS, or without selection windows."""
    if not settings.average_steps or settings.optimizer == "lbfgs" or not has_selection:
        return None
    return WeightAverage(values, settings.average_steps)


def averaged(average):
    """The block's context: :meth:`WeightAverage.swapped_in`, or nothing without one."""
    return average.swapped_in() if average is not None else nullcontext()
