"""Scaling one variable, fitted on the training rows only.

With ``c`` the centre and ``s`` the scale (both fitted)::

    standard:  x' = (x - c) / s,          c = mean, s = standard deviation (ddof 0)
    minmax:    x' = (x - c) / s,          c = minimum, s = maximum - minimum  (-> [0, 1])
    none:      x' = x                     (c = 0, s = 1)
    log:       x' = (ln x - c) / s,       c, s = mean and standard deviation of ln x

A scale of 0 (a variable constant on the training rows) is replaced by 1. Scalers convert
to and from JSON-able dicts ``{"method": "standard", "center": 12.5, "scale": 3.1}``.
"""

import numpy as np

from ..errors import EngineError

METHODS = ("standard", "minmax", "none", "log")


def _positive(values, name):
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() <= 0:
        raise EngineError(f"{name} has values of 0 or below (the smallest is "
                          f"{finite.min():g}), so its logarithm does not exist; choose "
                          "standard or min/max scaling instead.")


class Scaler:
    """``x' = (f(x) - center) / scale`` with ``f = ln`` for "log", else the identity."""

    def __init__(self, method="standard", center=0.0, scale=1.0):
        if method not in METHODS:
            raise EngineError(f"Unknown scaler {method!r}; choose one of: "
                              f"{', '.join(METHODS)}.")
        self.method, self.center, self.scale = method, float(center), float(scale)

    @classmethod
    def fit(cls, method, values, name="This variable"):
        """Fit on ``values`` (1-D, the training rows; NaNs ignored)."""
        values = np.asarray(values, dtype=float)
        if method == "none":
            return cls("none")
        if method == "log":
            _positive(values, name)
            values = np.log(values)
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            raise EngineError(f"{name} has no values in the training rows, so it cannot be "
                              "scaled; use more rows for training or leave it out.")
        if method == "minmax":
            center, scale = finite.min(), finite.max() - finite.min()
        else:
            center, scale = finite.mean(), finite.std()
        return cls(method, center, scale if scale > 0 and np.isfinite(scale) else 1.0)

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
        return {"method": self.method, "center": self.center, "scale": self.scale}

    @classmethod
    def from_dict(cls, data):
        return cls(data["method"], data.get("center", 0.0), data.get("scale", 1.0))

    def __repr__(self):
        return f"Scaler({self.method!r}, center={self.center:g}, scale={self.scale:g})"
