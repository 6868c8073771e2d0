"""Values far outside those a model was trained on. A network extrapolates badly: from such
values its predictions may be far off, so a prediction, a forecast or a calculation that
reads them says so (:func:`far_outside_note`).

The rule (:func:`far_outside`) uses the statistics of the training rows that the model file
keeps for every numeric column the network reads (the column's fitted scaler,
:mod:`engine.data.scaling`), and applies them to the values the network reads: an input's
values, and a target that is also an input after its transform (its differences, say):

* standard scaling: more than :data:`STANDARD_DEVIATIONS` (6) standard deviations from the
  training rows' mean, and beyond the training rows' own smallest or largest value (the
  scaler's ``low`` and ``high``; a model of an earlier version keeps none, and the first
  condition alone decides): heavy-tailed data (the changes of a power meter) holds values
  beyond 6 standard deviations among its training rows, which are not far outside;
* log scaling: the same on the logarithm of the values;
* min/max scaling: beyond the training rows' minimum or maximum by more than
  :data:`RANGE_SHARE` (half) of their range (a column trained on 100 to 200 is far
  outside below 50 and above 250);
* no scaling: the model keeps no statistics of the column, which is not checked.

Categories are not checked (a label the model does not know reads as none of those it
knows). A model of many series has its own rule, on each series' own scale
(:mod:`engine.many.extrapolation`).
"""

import numpy as np

from engine.data.scaling import Scaler
from engine.data.transforms import uses_log
from engine.words import counted_of

STANDARD_DEVIATIONS = 6.0
RANGE_SHARE = 0.5
ADVICE = ("Predictions from such values are extrapolations and may be far off; retrain the "
          "model with such data if it is expected.")
GROWTH_ADVICE = ("A target that keeps growing, or whose swings grow with it, stays on one "
                 "scale as its logarithm: a target transform of the logarithm (log, or its "
                 "differences) helps a model of it more than more such data.")


def far_outside(method, scaled, low=None, high=None):
    """(n,) bool: which of the scaled values ``scaled`` (n,) of a column whose scaler is
    ``method`` lie far outside its training values (the module docstring's rule; ``low``
    and ``high``: the training values' smallest and largest scaled value, when known); a
    missing value (NaN) does not."""
    scaled = np.asarray(scaled, dtype=float)
    with np.errstate(invalid="ignore"):
        if method in ("standard", "log"):
            far = np.abs(scaled) > STANDARD_DEVIATIONS
            if low is not None and high is not None:
                far &= (scaled < low) | (scaled > high)
            return far
        if method == "minmax":
            return (scaled < -RANGE_SHARE) | (scaled > 1 + RANGE_SHARE)
    return np.zeros(scaled.shape, dtype=bool)


def figure(value):
    """``value`` to 4 significant digits, whole numbers with thousands separators from
    10,000 on (``15,550``, not ``1.555e+04``)."""
    value = float(value)
    return f"{value:,.0f}" if 1e4 <= abs(value) < 1e15 else f"{value:.4g}"


def span_words(values):
    """The span of ``values`` (finite, at least one): ``"from 104 to 622"``, or ``"2,226"``
    when they are one figure."""
    low, high = figure(np.min(values)), figure(np.max(values))
    return low if low == high else f"from {low} to {high}"


def training_words(scaler):
    """What a scaler dict says of the training values, in words: ``"values from 104 to
    622"`` (min/max), ``"values with a mean of 280 and a standard deviation of 120"``
    (standard)."""
    center, scale = float(scaler.get("center", 0.0)), float(scaler.get("scale", 1.0))
    if scaler["method"] == "minmax":
        return f"values from {figure(center)} to {figure(center + scale)}"
    if scaler["method"] == "log":
        return (f"values with a geometric mean of {figure(np.exp(center))} (their logarithm's "
                f"standard deviation {figure(scale)})")
    return (f"values with a mean of {figure(center)} and a standard deviation of "
            f"{figure(scale)}")


def column_words(fitted, variable):
    """What the network reads of ``variable``, in words: its name, and for a target that is
    also an input, what its transform makes of it (``"y (its change over 12 rows, as the
    model reads it)"``)."""
    name = variable["name"]
    transform = fitted.target_transform
    if variable["role"] != "input_target" or transform == "none":
        return name
    of = "of its logarithm " if uses_log(transform) else ""
    if not fitted.lag:
        return f"{name} (its logarithm, as the model reads it)"
    over = "from one row to the next" if fitted.lag == 1 else f"over {fitted.lag} rows"
    return f"{name} (the change {of}{over}, as the model reads it)"


def far_outside_note(fitted, encoded, rows):
    """A note on the numeric columns the network reads whose values lie far outside the
    training values in the rows ``rows`` (indices or a bool mask of ``encoded``'s rows:
    those the windows read), per column: how many rows, the training values and the values
    now, and for a target read without its logarithm, that a logarithm transform keeps a
    growing target on one scale; None when no column has such values. ``fitted``: the
    :class:`~engine.data.preprocessing.FittedPreprocessing`, ``encoded`` its
    :class:`~engine.data.preprocessing.Encoded` of the data."""
    rows = np.asarray(rows)
    rows = np.flatnonzero(rows) if rows.dtype == bool else rows.astype(np.intp)
    variables = {v["name"]: v for v in fitted.variables}
    parts, target = [], False
    for k, column in enumerate(fitted.input_columns):
        variable = variables[column["variable"]]
        scaler = variable.get("scaler") or {"method": "none"}
        if column["category"] is not None or variable["type"] != "numeric":
            continue
        scaled = encoded.features[rows, k]
        far = int(far_outside(scaler["method"], scaled, scaler.get("low"),
                              scaler.get("high")).sum())
        if not far:
            continue
        target |= variable["role"] == "input_target"
        values = Scaler.from_dict(scaler).inverse(scaled[np.isfinite(scaled)])
        parts.append(f"{column_words(fitted, variable)} in "
                     f"{counted_of(far, values.size, 'row')} read (trained on "
                     f"{training_words(scaler)}; here {span_words(values)})")
    if not parts:
        return None
    growth = target and not uses_log(fitted.target_transform)
    return ("Values far outside those the model was trained on: " + "; ".join(parts) + ". "
            + ADVICE + (" " + GROWTH_ADVICE if growth else ""))
