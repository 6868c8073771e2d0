"""Scaling one variable, fitted on the training rows only.

With ``c`` the centre and ``s`` the scale (both fitted)::

    standard:  x' = (x - c) / s,          c = mean, s = standard deviation (ddof 0)
    minmax:    x' = (x - c) / s,          c = minimum, s = maximum - minimum  (-> [0, 1])
    none:      x' = x                     (c = 0, s = 1)
    log:       x' = (ln x - c) / s,       c, s = mean and standard deviation of ln x

A scale of 0 (a variable constant on the training rows) is replaced by 1. Scalers convert
to and from JSON-able dicts ``{"method": "standard", "center": 12.5, "scale": 3.1, "low":
-2.1, "high": 3.4}``: ``low`` and ``high`` are the training values' smallest and largest
``x'`` (what a value far outside them is judged by, :mod:`engine.data.extrapolation`);
scalers of earlier versions have none.
"""

import numpy as np

from engine.errors import EngineError

METHODS = ("standard", "minmax", "none", "log")


def _positive(values, name):
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() <= 0:
        raise EngineError(f"{name} has values of 0 or below (the smallest is "
                          f"{finite.min():g}), so its logarithm does not exist; choose "
                          "standard or min/max scaling instead.")


def check_magnitude(values, name):
    """Raise :class:`EngineError` when ``values`` are too large for the sums and squares
    that scaling, statistics and training compute (a mean or standard deviation that
    overflows float64, e.g. values near 1e308, or near 1e154 once squared)."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:                    # nothing to sum (e.g. a text column)
        return
    try:
        with np.errstate(over="raise", invalid="raise"):
            finite.std()
    except FloatingPointError:
        raise EngineError(f"{name} has values up to {np.abs(finite).max():.2g}, too large "
                          "to train on; rescale the column (divide it by a power of ten) "
                          "and try again.") from None


class Scaler:
    """``x' = (f(x) - center) / scale`` with ``f = ln`` for "log", else the identity."""

    def __init__(self, method="standard", center=0.0, scale=1.0, low=None, high=None):
        if method not in METHODS:
            raise EngineError(f"Unknown scaler {method!r}; choose one of: "
                              f"{', '.join(METHODS)}.")
        self.method, self.center, self.scale = method, float(center), float(scale)
        self.low = None if low is None else float(low)
        self.high = None if high is None else float(high)

    @classmethod
    def fit(cls, method, values, name="This variable"):
        """Fit on ``values`` (1-D, the training rows; NaNs ignored)."""
        values = np.asarray(values, dtype=float)
        if method == "log":
            _positive(values, name)
            values = np.log(values)
        check_magnitude(values, name)
        if method == "none":
            return cls("none")
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            raise EngineError(f"{name} has no values in the training rows, so it cannot be "
                              "scaled; use more rows for training or leave it out.")
        if method == "minmax":
            center, scale = finite.min(), finite.max() - finite.min()
        else:
            center, scale = finite.mean(), finite.std()
        scale = scale if scale > 0 and np.isfinite(scale) else 1.0
        return cls(method, center, scale, (finite.min() - center) / scale,
                   (finite.max() - center) / scale)

    def transform(self, values, name="This variable"):
        values = np.asarray(values, dtype=float)
        if self.method == "log":
            _positive(values, name)
            values = np.log(values)
        return (values - self.center) / self.scale

    def inverse(self, values):
        values = np.asarray(values, dtype=float) * self.scale + self.center
        return np.exp(values) if self.method == "log" else values

    def to_dict(self):
        out = {"method": self.method, "center": self.center, "scale": self.scale}
        if self.low is not None:
            out.update(low=self.low, high=self.high)
        return out

    @classmethod
    def from_dict(cls, data):
        return cls(data["method"], data.get("center", 0.0), data.get("scale", 1.0),
                   data.get("low"), data.get("high"))

    def __repr__(self):
        return f"Scaler({self.method!r}, center={self.center:g}, scale={self.scale:g})"
