"""What a training minimizes: the data loss of a network on its training windows plus the
L1/L2 penalty on its weights, with the gradient of their sum::

    J(w) = loss(f_w(X_b), Y_b) + l1 * sum|w_weights| + l2/2 * sum w_weights^2

for a batch ``b`` of rows (or the whole set). ``X`` (n, L, n_inputs) and ``Y`` (n, n_outputs)
are validated arrays; the gradient goes into one flat vector of the parameters' size. When
the two-process speed-up (:mod:`engine.training.process_pair`) is worth it, a batch's data
loss is computed half here and half in the second process.
"""

import numpy as np

from engine.network.losses import make_loss, regularization
from engine.training.process_pair import start_if_worth_it


class Objective:
    """``J`` and its gradient for ``network`` on ``X``, ``Y`` with ``settings``
    (:class:`~engine.training.settings.TrainingSettings`); :meth:`close` ends the second
    process, if one was started. ``stopped()`` True ends a wait for that process with
    :class:`~engine.tasks.Cancelled` (the person's Stop)."""

    def __init__(self, network, X, Y, settings, stopped=None):
        self.network, self.X, self.Y, self.settings = network, X, Y, settings
        self.values = network.parameters_.values
        self.mask = network.weight_mask
        self.loss_fn = make_loss(settings.loss, settings.huber_delta, settings.minkowski_p,
                                 variances=np.var(Y, axis=0))
        self.gradient = np.zeros_like(self.values)
        self.pair = start_if_worth_it(network, X, Y, self.loss_fn, settings, stopped)

    def __call__(self, index=None):
        """``(data loss, J)`` of the rows ``index`` (sorted; None: the whole set); the
        gradient of ``J`` is left in :attr:`gradient`."""
        if index is None:
            data = self.network.data_loss_and_gradient(self.X, self.Y, self.loss_fn,
                                                       self.gradient)
        elif self.pair is None:
            data = self.network.data_loss_and_gradient(self.X[index], self.Y[index],
                                                       self.loss_fn, self.gradient)
        else:
            data = self.pair.loss_and_gradient(index, self.gradient)
        return data, data + self.penalty(self.gradient)

    def penalty(self, gradient=None):
        """The L1/L2 penalty of the current weights (its gradient added to ``gradient``)."""
        return regularization(self.values, self.mask, self.settings.l1, self.settings.l2,
                              gradient)

    def close(self):
        if self.pair is not None:
            self.pair.close()
