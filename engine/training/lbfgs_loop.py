"""One epoch of L-BFGS (:class:`~engine.training.lbfgs.LBFGS`): one quasi-Newton iteration
on the whole training set, ``w <- w + a d`` with ``d = -H g`` and ``a`` found by
backtracking. The training error is ``J(w) - penalty(w)``, the data loss at the new weights.
It has converged when no step length lowers ``J`` any more or ``||g|| < gradient_tolerance``.
"""

import numpy as np

from engine.training.lbfgs import LBFGS
from engine.training.stopping import Diverged


class LbfgsEpochs:
    """Runs L-BFGS iterations on ``objective`` (:class:`~engine.training.objective.Objective`);
    ``task`` is checked before every evaluation of ``J`` (so a cancel takes effect within one
    pass over the data)."""

    def __init__(self, objective, settings, task):
        self.objective, self.settings, self.task = objective, settings, task
        self.optimizer = LBFGS(settings.lbfgs_history, settings.learning_rate)
        self.state = None           # (J, gradient) at the current weights

    def _evaluate(self, _values):
        self.task.check()
        _, total = self.objective()
        return total, self.objective.gradient.copy()

    def run(self, epoch):
        """One iteration; returns ``(training error, gradient norm, reason)`` where reason
        is the sentence of convergence, or None."""
        objective = self.objective
        self.task.check()
        if self.state is None:
            _, total = objective()
            if not np.isfinite(total) or not np.all(np.isfinite(objective.gradient)):
                raise Diverged(epoch)
            self.state = (total, objective.gradient.copy())
        total, gradient, moved = self.optimizer.step(objective.values, *self.state,
                                                     self._evaluate)
        self.state = (total, gradient)
        norm = float(np.linalg.norm(gradient))
        training_loss = total - objective.penalty()
        if not moved or norm < self.settings.gradient_tolerance:
            return training_loss, norm, ("L-BFGS converged: no step lowers the error any "
                                         f"more (gradient norm {norm:.2e}).")
        return training_loss, norm, None
