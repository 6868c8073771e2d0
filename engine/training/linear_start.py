"""The start of a training with a linear path: the least-squares linear autoregression.

A network with a linear path computes ``y = W_head h_T + b_head + W_ar flatten(X)``. With
``W_head = 0`` it is the linear model ``y = W_ar flatten(X) + b_head``; starting from that
model's least-squares fit, the network starts exactly as good as the linear comparator on
the training windows and its recurrent part learns what the linear model leaves.
"""

from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

from engine.errors import EngineError
from engine.testing.comparators import design_matrix

# The ridge, relative to the mean diagonal of X_flat' X_flat: it moves a well-posed
# solution's outputs by about this fraction (the ridge against the smallest eigenvalue of
# X_flat' X_flat over the mean), well inside the 1e-6 the tests hold the start to.
RIDGE = 1e-8
CHUNK = 4096          # windows per block of the normal equations: bounds the memory
# The widest window (lookback * inputs) solved: its normal equations hold (width + 1)^2
# numbers (128 MB at this width) and take about n * width^2 multiply-adds.
MAX_WIDTH = 4000


def least_squares_weights(X, Y, ridge=RIDGE, more=()):
    """Lightly ridge-regularised least squares of ``Y`` on the flattened windows ``X``.

    X : windows (n, L, n_inputs) (an array or a lazy window array), Y : targets (n, m).
    With ``A = [X_flat, 1]`` (n, p + 1), ``p = L * n_inputs``
    (:func:`engine.testing.comparators.design_matrix`, the linear comparator's), it returns
    ``w`` (p + 1, m) minimizing::

        ||A w - Y||^2 + lam * ||w[:p]||^2,     lam = ridge * trace(X_flat' X_flat) / p

    i.e. the solution of the normal equations ``(A'A + lam D) w = A'Y`` with ``D`` the
    identity but for a 0 at the intercept (which is not shrunk). ``A'A`` and ``A'Y`` are
    summed over blocks of windows, so that ``A`` is never held whole; ``more`` holds further
    ``(X, Y)`` parts whose windows count too (e.g. the selection windows). The small ridge only
    makes the system solvable when inputs are constant or collinear (e.g. a binary input
    that never changes); otherwise ``w`` equals plain least squares to about ``ridge``.
    """
    p = int(np.prod(X.shape[1:]))
    if p > MAX_WIDTH:
        raise EngineError(f"The linear path reads {X.shape[1]} steps of {X.shape[2]} inputs, "
                          f"{p:,} values a window, more than the {MAX_WIDTH:,} its "
                          "least-squares start solves; use a shorter lookback or fewer "
                          "inputs, or turn the linear path off.")
    gram = np.zeros((p + 1, p + 1))
    moment = np.zeros((p + 1, Y.shape[1]))
    for part_X, part_Y in [(X, Y)] + list(more):
        for start in range(0, len(part_X), CHUNK):
            A = design_matrix(np.asarray(part_X[start:start + CHUNK]))
            gram += A.T @ A
            moment += A.T @ np.asarray(part_Y[start:start + CHUNK], dtype=float)
    shrink = np.ones(p + 1)
    shrink[p] = 0.0
    lam = ridge * np.trace(gram[:p, :p]) / p
    return np.linalg.lstsq(gram + lam * np.diag(shrink), moment, rcond=None)[0]


def start_from_least_squares(network, X, Y):
    """Set a linear-path ``network``'s ``ar.weight`` and ``head.bias`` to
    :func:`least_squares_weights` on the training windows ``X``, ``Y`` and ``head.weight``
    to zero: its outputs are then the least-squares linear autoregression's (computed once
    for the same windows inside :func:`reused_starts`)."""
    weights = reused((X, Y), lambda: least_squares_weights(X, Y))
    views = network.parameters_.views
    views["ar.weight"][...] = weights[:-1].T
    views["head.bias"][...] = weights[-1]
    views["head.weight"][...] = 0.0


_REUSED = ContextVar("reused_starts", default=None)


@contextmanager
def reused_starts():
    """Inside the block, what :func:`reused` is asked for the same arrays is computed once:
    the least-squares start and its losses (:func:`~engine.training.loop.train`) serve
    every network trained on the same windows, e.g. the members of a global fit (on the
    M4 hourly series each member solved the same normal equations of 82,800 windows, 2 s
    of CPU, and predicted them again). The arrays must not change inside the block."""
    token = _REUSED.set({})
    try:
        yield
    finally:
        _REUSED.reset(token)


def reused(arrays, compute, extra=()):
    """``compute()``, or inside :func:`reused_starts` its value for the same ``arrays``
    (the same objects, or NumPy views of the same memory, shape and strides) and ``extra``
    (hashable) when that was computed before in the block."""
    memo = _REUSED.get()
    if memo is None:
        return compute()
    key = tuple(map(_identity, arrays)) + tuple(extra)
    if key not in memo:
        memo[key] = (arrays, compute())      # the arrays kept: their memory stays theirs
    return memo[key][1]


def _identity(array):
    if isinstance(array, np.ndarray):
        return ("array", array.__array_interface__["data"][0], array.shape, array.strides,
                array.dtype.str)
    return ("object", id(array))


def start_key(network):
    """What a linear-path ``network``'s outputs depend on while ``head.weight`` is zero
    (its start): ``ar.weight`` and ``head.bias``, as bytes; None once ``head.weight`` is
    not zero (the recurrent part then counts)."""
    views = network.parameters_.views
    if views["head.weight"].any():
        return None
    return (views["ar.weight"].tobytes(), views["head.bias"].tobytes(),
            views["ar.weight"].dtype.str)
