"""Error measures in the targets' own units, per target column.

``y`` and ``p`` are (n, k) arrays of true values and predictions; every function returns a
(k,) array, one figure per column.
"""

import numpy as np


def rmse(y, p):
    """Root mean squared error ``sqrt(mean((p - y)^2))``."""
    return np.sqrt(np.mean((p - y) ** 2, axis=0))


def mae(y, p):
    """Mean absolute error ``mean(|p - y|)``."""
    return np.mean(np.abs(p - y), axis=0)


def mape(y, p):
    """Mean absolute percentage error ``100 * mean(|p - y| / |y|)`` over rows with y != 0;
    NaN for a column whose true values are all 0."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    nonzero = y != 0
    ratio = np.where(nonzero, np.abs(p - y) / np.where(nonzero, np.abs(y), 1.0), 0.0)
    counts = nonzero.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, 100.0 * ratio.sum(axis=0) / counts, np.nan)


def r2(y, p):
    """Coefficient of determination ``1 - sum((y - p)^2) / sum((y - mean(y))^2)``; NaN for a
    constant column."""
    residual = np.sum((y - p) ** 2, axis=0)
    spread = np.sum((y - np.mean(y, axis=0)) ** 2, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 0, 1.0 - residual / np.where(spread > 0, spread, 1.0), np.nan)


def error_table(y, p):
    """All measures as ``{"rmse": (k,), "mae": ..., "mape": ..., "r2": ...}``."""
    y = np.atleast_2d(np.asarray(y, dtype=float).T).T
    p = np.atleast_2d(np.asarray(p, dtype=float).T).T
    return {"rmse": rmse(y, p), "mae": mae(y, p), "mape": mape(y, p), "r2": r2(y, p)}
