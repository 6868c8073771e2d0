"""Error measures in the targets' own units, per target column.

``y`` and ``p`` are (n, k) arrays of true values and predictions; every function returns a
(k,) array, one figure per column.

Besides RMSE, MAE, MAPE and R²: the mean squared error over the variance
``MSE / variance = sum((p - y)^2) / sum((y - mean(y))^2)`` (1 for always predicting the
mean, 0 for a perfect model; ``1 - R²``; the normalized squared error, once abbreviated
"NSE", which hydrologists read as the Nash-Sutcliffe efficiency ``1 - MSE / variance``,
good near 1), the mean absolute scaled error ``MASE = MAE / s`` with ``s`` the
in-sample mean absolute error of the naive forecast ``y^_t = y_(t-m)`` (:func:`naive_scale`;
RNN Studio uses ``m = 1`` over the rows before the testing part; Hyndman and Koehler 2006:
below 1, the errors are smaller than the naive forecast's one-step errors were in-sample),
and the least-squares line of the outputs against the targets (:func:`fit_line`).
"""

from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError


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


def normalized_squared_error(y, p):
    """``sum((p - y)^2) / sum((y - mean(y))^2)``; NaN for a constant column."""
    residual = np.sum((p - y) ** 2, axis=0)
    spread = np.sum((y - np.mean(y, axis=0)) ** 2, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 0, residual / np.where(spread > 0, spread, 1.0), np.nan)


def naive_scale(levels, lag=1, positions=None):
    """The MASE denominator: ``mean(|y_t - y_(t-lag)|)`` over the pairs of rows of
    ``levels`` (n, k) where both are known (the training rows, in time order); NaN per
    column without such a pair.

    ``positions`` (n,): the rows' places in whole time steps, for rows with gaps in time
    between them (:attr:`engine.data.preprocessing.Encoded.positions`): only rows exactly
    ``lag`` steps apart in time are paired, never two rows a gap has moved closer together.
    None: the rows are one step apart each (as are rows whose positions have no gap)."""
    levels = np.atleast_2d(np.asarray(levels, dtype=float).T).T
    lag = int(lag)
    if positions is not None:
        later, earlier = pairs_in_time(positions, lag, len(levels))
        d = np.abs(levels[later] - levels[earlier])
    elif lag < 1 or lag >= len(levels):
        return np.full(levels.shape[1], np.nan)
    else:
        d = np.abs(levels[lag:] - levels[:-lag])
    known = np.isfinite(d)
    counts = known.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, np.where(known, d, 0.0).sum(axis=0) / counts, np.nan)


def pairs_in_time(positions, lag, count):
    """``(later, earlier)``: the row numbers of the pairs of rows whose ``positions`` (in
    whole time steps, increasing; one per row of the ``count`` rows) are exactly ``lag``
    apart, the later row first, in row order."""
    positions = np.asarray(positions, dtype=np.int64).reshape(-1)
    if len(positions) != count:
        raise EngineError(f"{len(positions)} positions in time for {count} values: give one "
                          "position per value.")
    if lag < 1 or not count:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    earlier = np.searchsorted(positions, positions - lag)
    paired = positions[np.minimum(earlier, count - 1)] == positions - lag
    return np.flatnonzero(paired), earlier[paired]


def mase(y, p, scale):
    """Mean absolute scaled error ``mean(|p - y|) / scale`` (``scale`` (k,) from
    :func:`naive_scale`); NaN where the scale is 0 or unknown."""
    scale = np.asarray(scale, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(scale > 0, mae(y, p) / np.where(scale > 0, scale, 1.0), np.nan)


def fit_line(y, p):
    """The least-squares line of the outputs against the targets, ``p ~ a + b y``, and the
    correlation: ``{"slope": b (k,), "intercept": a (k,), "correlation": r (k,)}`` with
    ``b = cov(y, p) / var(y)``, ``a = mean(p) - b mean(y)``,
    ``r = cov(y, p) / (sd(y) sd(p))``. A perfect model has b = 1, a = 0, r = 1. NaN for a
    constant column."""
    y = np.atleast_2d(np.asarray(y, dtype=float).T).T
    p = np.atleast_2d(np.asarray(p, dtype=float).T).T
    dy, dp = y - y.mean(axis=0), p - p.mean(axis=0)
    cov, var_y, var_p = (dy * dp).sum(axis=0), (dy ** 2).sum(axis=0), (dp ** 2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(var_y > 0, cov / np.where(var_y > 0, var_y, 1.0), np.nan)
        both = (var_y > 0) & (var_p > 0)
        corr = np.where(both, cov / np.sqrt(np.where(both, var_y * var_p, 1.0)), np.nan)
    # rounding can carry r a hair past 1 (1.0000000000000002 for a perfect fit)
    return {"slope": slope, "intercept": p.mean(axis=0) - slope * y.mean(axis=0),
            "correlation": np.clip(corr, -1.0, 1.0)}


def error_table(y, p, scale=None):
    """All measures as ``{"rmse": (k,), "mae": ..., "mape": ..., "r2": ...,
    "mse_over_variance": ..., "mase": ...}``; MASE needs the naive ``scale`` (k,) (NaN
    without it)."""
    y = np.atleast_2d(np.asarray(y, dtype=float).T).T
    p = np.atleast_2d(np.asarray(p, dtype=float).T).T
    k = y.shape[1]
    return {"rmse": rmse(y, p), "mae": mae(y, p), "mape": mape(y, p), "r2": r2(y, p),
            "mse_over_variance": normalized_squared_error(y, p),
            "mase": mase(y, p, np.full(k, np.nan) if scale is None else scale)}


MEASURES = ("rmse", "mae", "mape", "r2", "mse_over_variance", "mase")
FORMER_KEYS = {"nse": "mse_over_variance"}
"""Keys that the measures' dicts (:meth:`Scores.to_dict`) still carry beside their new
names, for the programs that read them: ``{former key: measure}``."""
KEYS = MEASURES + tuple(FORMER_KEYS)
"""Every key of a target's measures in :meth:`Scores.to_dict`."""


@dataclass
class Scores:
    """Error measures per target over ``count`` predicted rows; each measure a (k,) array
    (``mase`` NaN when no scale was given)."""

    target_names: list
    count: int
    rmse: np.ndarray
    mae: np.ndarray
    mape: np.ndarray
    r2: np.ndarray
    mse_over_variance: np.ndarray = None
    mase: np.ndarray = None

    def to_dict(self):
        """``{"count": n, "targets": {name: {"rmse": .., "mae": .., "mape": .., "r2": ..,
        "mse_over_variance": .., "mase": .., "nse": ..}}}`` (NaN becomes None; "nse" is
        "mse_over_variance" under its former name, :data:`FORMER_KEYS`)."""
        def plain(values, j):
            if values is None:
                return None
            x = float(values[j])
            return x if np.isfinite(x) else None
        return {"count": int(self.count),
                "targets": {name: {m: plain(getattr(self, FORMER_KEYS.get(m, m)), j)
                                   for m in KEYS}
                            for j, name in enumerate(self.target_names)}}


def score(truth, predicted, target_names, scale=None):
    """:class:`Scores` of ``predicted`` against ``truth`` (both (n, k)), over the rows where
    both are finite. ``scale`` (k,): the MASE denominator (:func:`naive_scale`).
    None when no row is left."""
    truth = np.asarray(truth, dtype=float).reshape(len(truth), -1)
    predicted = np.asarray(predicted, dtype=float).reshape(len(predicted), -1)
    keep = np.isfinite(truth).all(axis=1) & np.isfinite(predicted).all(axis=1)
    if not keep.any():
        return None
    table = error_table(truth[keep], predicted[keep], scale)
    return Scores(list(target_names), int(keep.sum()), *(table[m] for m in MEASURES))
