"""Error measures between outputs and targets, with their gradients.

Every loss is a mean over all elements of ``(windows, outputs)`` arrays, as PyTorch's losses
with ``reduction="mean"``; ``d = outputs - targets`` and ``N = d.size`` below.
"""

import math

import numpy as np

from engine.errors import EngineError
from engine.network.validation import choice


class MeanSquaredError:
    """``mean(d^2)``; gradient ``2 d / N``. As ``torch.nn.MSELoss``."""

    name = "mse"

    def __call__(self, outputs, targets):
        d = outputs - targets
        return float(np.mean(d * d)), d * (2.0 / d.size)


class MeanAbsoluteError:
    """``mean(|d|)``; gradient ``sign(d) / N``. As ``torch.nn.L1Loss``."""

    name = "mae"

    def __call__(self, outputs, targets):
        d = outputs - targets
        return float(np.mean(np.abs(d))), np.sign(d) / d.size


class HuberLoss:
    """``mean(0.5 d^2 if |d| <= delta else delta (|d| - delta/2))``; gradient
    ``clip(d, -delta, delta) / N``. As ``torch.nn.HuberLoss(delta=delta)``."""

    name = "huber"

    def __init__(self, delta=1.0):
        self.delta = float(delta)

    def __call__(self, outputs, targets):
        d = outputs - targets
        a = np.abs(d)
        small = a <= self.delta
        value = np.where(small, 0.5 * d * d, self.delta * (a - 0.5 * self.delta))
        return float(np.mean(value)), np.clip(d, -self.delta, self.delta) / d.size


class NormalizedSquaredError:
    """Squared error relative to the targets' spread: ``mean_j(sum_i d_ij^2 / S_j)``.

    ``S_j = sum_i (t_ij - mean_j)^2`` over the same windows, so predicting each target's mean
    scores 1 and a perfect model 0 (OpenNN's normalized squared error, per output). Training
    fixes ``variances`` (``S_j / n``, the training targets' variance) so that every
    mini-batch is measured against the same yardstick; otherwise the batch's own is used.
    A target with zero variance is divided by 1 (its plain mean squared error).
    Gradient: ``2 d_ij / (N var_j)``.
    """

    name = "normalized_squared_error"

    def __init__(self, variances=None):
        self.variances = None if variances is None else np.asarray(variances, dtype=float)

    def __call__(self, outputs, targets):
        d = outputs - targets
        if self.variances is None:
            variances = np.var(targets, axis=0)
        else:
            variances = self.variances
        variances = np.where(variances > 0, variances, 1.0).astype(d.dtype)
        scaled = d / variances
        return float(np.mean(d * scaled)), scaled * (2.0 / d.size)


class MinkowskiError:
    """``mean(|d|^p)`` with ``1 <= p <= 2`` (1.5 by default, as OpenNN); gradient
    ``p |d|^(p-1) sign(d) / N``."""

    name = "minkowski"

    def __init__(self, p=1.5):
        self.p = float(p)

    def __call__(self, outputs, targets):
        d = outputs - targets
        a = np.abs(d)
        value = float(np.mean(a ** self.p))
        return value, self.p * a ** (self.p - 1.0) * np.sign(d) / d.size


LOSSES = {
    "mse": MeanSquaredError,
    "mae": MeanAbsoluteError,
    "huber": HuberLoss,
    "normalized_squared_error": NormalizedSquaredError,
    "minkowski": MinkowskiError,
}


def _real(value):
    """``value`` as a float, or None when it is not a real number."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def loss_settings(loss):
    """The arguments of :func:`make_loss` that rebuild ``loss``, as plain JSON values."""
    variances = getattr(loss, "variances", None)
    return {"name": loss.name, "huber_delta": getattr(loss, "delta", 1.0),
            "minkowski_p": getattr(loss, "p", 1.5),
            "variances": None if variances is None else [float(v) for v in variances]}


def make_loss(name, huber_delta=1.0, minkowski_p=1.5, variances=None):
    """The loss object for a name in :data:`LOSSES`; ``huber_delta > 0``,
    ``1 <= minkowski_p <= 2``."""
    key = choice(name, LOSSES, "loss")
    delta = _real(huber_delta)
    if delta is None or not (delta > 0 and math.isfinite(delta)):
        raise EngineError(f"huber_delta must be a positive number; got {huber_delta!r}.")
    p = _real(minkowski_p)
    if p is None or not 1 <= p <= 2:
        raise EngineError(f"minkowski_p must be a number from 1 to 2; got {minkowski_p!r}.")
    if key == "huber":
        return HuberLoss(huber_delta)
    if key == "minkowski":
        return MinkowskiError(minkowski_p)
    if key == "normalized_squared_error":
        return NormalizedSquaredError(variances)
    return LOSSES[key]()


def regularization(values, weight_mask, l1=0.0, l2=0.0, gradient=None):
    """Penalty ``l1 * sum|w| + l2/2 * sum w^2`` over weights; biases are not regularized.

    ``values`` and ``weight_mask`` are flat parameter vectors. When ``gradient`` is given,
    ``l1 * sign(w) + l2 * w`` (masked) is added to it in place. L2 with ``l2`` equals
    PyTorch's ``weight_decay=l2`` on the weight matrices and ``weight_decay=0`` on the biases.
    """
    for name, value in (("l1", l1), ("l2", l2)):
        number = _real(value)
        if number is None or not (number >= 0 and math.isfinite(number)):
            raise EngineError(f"{name} must be a number of 0 or more; got {value!r}.")
    penalty = 0.0
    if l1:
        penalty += l1 * float(np.sum(np.abs(values) * weight_mask))
        if gradient is not None:
            gradient += l1 * np.sign(values) * weight_mask
    if l2:
        penalty += 0.5 * l2 * float(np.sum(values * values * weight_mask))
        if gradient is not None:
            gradient += l2 * values * weight_mask
    return penalty
