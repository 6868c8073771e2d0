"""Missing values: linear interpolation along time, the mean or median of the training
rows, or leaving rows out.

``interpolate``: within each segment (rows between gaps in time), a missing ``x_r`` with
known neighbours ``x_a`` (a < r) and ``x_b`` (b > r) becomes
``x_a + (x_b - x_a) (r - a) / (b - a)``; missing values at a segment's start or end have
no neighbour on one side, and those rows are left out.
``mean``/``median``: the value fitted on the training rows replaces every missing value.
``drop``: every row with a missing value in a used column is left out.
Rows left out end a segment: no window spans them.

What the data page says of a table's empty target values (:func:`made_up_targets`): how
many there are and how many of them the chosen method makes up (interpolated or filled)
rather than leaves out with their rows.
"""

import numpy as np

from engine.data.time_steps import gap_before


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


def time_segments(times, step, zone=None):
    """The segment of each row (int array): a new one after every gap in the time column
    ``times`` (a Series of the ``step``, :mod:`engine.data.time_steps`; ``zone`` the zone
    times read in UTC were written in, :func:`~engine.data.time_steps.step_counts`) and
    around every row without a time."""
    no_time = times.isna().to_numpy()
    return np.cumsum(gap_before(times, step, zone) | no_time | np.r_[False, no_time[:-1]])


def made_up_targets(table, config):
    """``(empty, made_up)``: how many values of the numeric and binary targets of
    ``config`` are empty in ``table`` (a :class:`~engine.data.Table`), and how many of
    them its missing-value method makes up: ``interpolate`` those with a known value on
    both sides in the same segment (the others are left out with their rows), ``mean``
    and ``median`` all of them, ``drop`` none (their rows are left out)."""
    frame = table.frame
    names = [v.name for v in config.targets if v.type in ("numeric", "binary")
             and v.name in frame]
    if table.time_column:
        segment = time_segments(frame[table.time_column], table.time_step(),
                                frame.attrs.get("time_zone"))
    else:
        segment = np.zeros(len(frame), dtype=int)
    empty = made_up = 0
    for name in names:
        gaps = frame[name].isna().to_numpy()
        empty += int(gaps.sum())
        if config.missing in ("mean", "median"):
            made_up += int(gaps.sum())
        elif config.missing == "interpolate" and gaps.any():
            known = np.where(gaps, np.nan, 0.0)
            made_up += int((gaps & np.isfinite(interpolate_segments(known, segment))).sum())
    return empty, made_up


def made_up_how(method):
    """How the missing-value ``method`` makes values up, in words ("by interpolation")."""
    return "by interpolation" if method == "interpolate" else \
        f"with the training rows' {method}"


def made_up_note(table, config):
    """The sentence `fit` notes on the empty target values that ``config``'s method makes
    up (:func:`made_up_targets`), or None when it makes up none."""
    empty, made_up = made_up_targets(table, config)
    if not made_up:
        return None
    return (f"{made_up:,} of the {empty:,} empty target values are made up "
            f"{made_up_how(config.missing)}; the "
            'data setting "missing": "drop" of a project (--project) leaves their rows out.')
