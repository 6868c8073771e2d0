"""Limited-memory BFGS, a quasi-Newton method for small data sets trained on the full batch.

The search direction ``d = -H g`` comes from the two-loop recursion over the last ``m``
pairs ``s = w_new - w``, ``y = g_new - g``, with the initial scaling ``(s.y)/(y.y)``
(Nocedal & Wright, Algorithm 7.4). The step length is found by backtracking until the
Armijo condition ``f(w + a d) <= f(w) + 1e-4 a g.d`` holds.
"""

from collections import deque

import numpy as np


class LBFGS:
    def __init__(self, history=10, learning_rate=1.0, max_backtracks=30):
        self.learning_rate = learning_rate
        self.max_backtracks = max_backtracks
        self.pairs = deque(maxlen=history)

    def direction(self, gradient):
        """``-H g`` by the two-loop recursion (steepest descent while no pair is stored)."""
        q = gradient.copy()
        alphas = []
        for s, y, rho in reversed(self.pairs):
            alpha = rho * float(s @ q)
            q -= alpha * y
            alphas.append(alpha)
        if self.pairs:
            s, y, _ = self.pairs[-1]
            q *= float(s @ y) / float(y @ y)
        else:
            q *= min(1.0, 1.0 / max(float(np.linalg.norm(gradient)), 1e-12))
        for (s, y, rho), alpha in zip(self.pairs, reversed(alphas)):
            beta = rho * float(y @ q)
            q += (alpha - beta) * s
        return -q

    def step(self, values, loss, gradient, evaluate):
        """One iteration from ``values`` with ``loss`` and ``gradient`` already computed.

        ``evaluate(values) -> (loss, gradient)``. Updates ``values`` in place and returns
        ``(loss, gradient, moved)``; ``moved`` is False, and ``values`` unchanged, when no
        step length lowered the loss (the method has converged or the problem is badly
        scaled).
        """
        d = self.direction(gradient)
        slope = float(gradient @ d)
        if slope >= 0:  # not a descent direction: forget the curvature pairs
            self.pairs.clear()
            d = self.direction(gradient)
            slope = float(gradient @ d)
        step = self.learning_rate
        start = values.copy()
        for _ in range(self.max_backtracks):
            values[...] = start + step * d
            new_loss, new_gradient = evaluate(values)
            if np.isfinite(new_loss) and new_loss <= loss + 1e-4 * step * slope:
                if not new_loss < loss:
                    # The Armijo test passes without any decrease once the slope is lost in
                    # rounding; the same step would then be repeated forever.
                    break
                s = values - start
                y = new_gradient - gradient
                sy = float(s @ y)
                if sy > 1e-10:
                    self.pairs.append((s, y, 1.0 / sy))
                return new_loss, new_gradient, True
            step *= 0.5
        values[...] = start
        return loss, gradient, False
