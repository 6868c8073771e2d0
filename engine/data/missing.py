"""Missing values: linear interpolation along time, the mean or median of the training
rows, or leaving rows out.

``interpolate``: within each segment (rows between gaps in time), a missing ``x_r`` with
known neighbours ``x_a`` (a < r) and ``x_b`` (b > r) becomes
``x_a + (x_b - x_a) (r - a) / (b - a)``; missing values at a segment's start or end have
no neighbour on one side, and those rows are left out.
``mean``/``median``: the value fitted on the training rows replaces every missing value.
``drop``: every row with a missing value in a used column is left out.
Rows left out end a segment: no window spans them.
"""

import numpy as np


def interpolate_segments(values, segment):
    """Linear interpolation of the NaNs of 1-D ``values`` within each segment; NaNs
    without a known value on both sides stay NaN."""
    values = np.array(values, dtype=float)
    missing = np.isnan(values)
    if not missing.any():
        return values
    bounds = np.flatnonzero(np.diff(segment)) + 1
    for start, stop in zip(np.r_[0, bounds], np.r_[bounds, len(values)]):
        part = values[start:stop]
        gaps = np.isnan(part)
        if not gaps.any() or gaps.all():
            continue
        known = np.flatnonzero(~gaps)
        inside = np.flatnonzero(gaps)
        inside = inside[(inside > known[0]) & (inside < known[-1])]
        part[inside] = np.interp(inside, known, part[known])
    return values


def fill_value(method, values):
    """The training rows' mean or median of ``values`` (NaNs ignored); 0.0 if none."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0
    return float(np.mean(finite) if method == "mean" else np.median(finite))
