"""One epoch of the first-order optimizers (Adam, SGD, RMSprop): shuffled mini-batches.

For each batch ``b`` of ``batch_size`` rows (in a new random order every epoch when
``shuffle``): ``g = grad J_b(w)``, clipped to ``||g|| <= clip_norm``, then one optimizer
step. The epoch's training error is the data loss averaged over the rows,
``sum_b loss_b * |b| / n``.
"""

import numpy as np

from engine.training.optimizers import SGD, Adam, RMSprop, clip_gradient_norm
from engine.training.stopping import Diverged


def first_order_optimizer(settings):
    """The optimizer ``settings.optimizer`` names, with its settings."""
    if settings.optimizer == "adam":
        return Adam(settings.learning_rate)
    if settings.optimizer == "sgd":
        return SGD(settings.learning_rate, settings.momentum, settings.nesterov)
    return RMSprop(settings.learning_rate, settings.rms_alpha)


class MiniBatchEpochs:
    """Runs epochs of ``objective`` (:class:`~engine.training.objective.Objective`) with a
    first-order optimizer; the shuffle comes from ``rng``. ``task`` is checked before every
    batch (:class:`~engine.tasks.Cancelled` ends the epoch at once). ``average`` (a
    :class:`~engine.training.weight_average.WeightAverage` or None) follows every step."""

    def __init__(self, objective, settings, rng, task, average=None):
        self.objective, self.settings, self.rng, self.task = objective, settings, rng, task
        self.average = average
        self.optimizer = first_order_optimizer(settings)

    def run(self, epoch):
        """One epoch; returns ``(training error, gradient norm of the last batch before
        clipping, None)`` (the None: first-order methods never converge by themselves)."""
        objective, settings = self.objective, self.settings
        n = objective.X.shape[0]
        order = self.rng.permutation(n) if settings.shuffle else np.arange(n)
        running, norm = 0.0, 0.0
        for start in range(0, n, settings.batch_size):
            self.task.check()
            index = np.sort(order[start:start + settings.batch_size])
            data, total = objective(index)
            if not np.isfinite(total) or not np.all(np.isfinite(objective.gradient)):
                raise Diverged(epoch)
            norm = clip_gradient_norm(objective.gradient, settings.clip_norm)
            self.optimizer.step(objective.values, objective.gradient)
            if self.average is not None:
                self.average.update()
            running += data * len(index)
        return running / n, norm, None
