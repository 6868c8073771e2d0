"""Dividing windows into training, selection and testing parts.

Chronological split (series): the usable windows, in time order, are cut into consecutive
parts by the fractions (default 60/20/20), or testing starts at a given row.

No leakage, the rule: every row that a window of an earlier part reads (its inputs
``t-L+1 .. t`` and targets up to ``t+H``) comes before the first target row of every window
of a later part. Windows of a later part may read earlier rows as inputs (that is the
past, known when predicting), but no earlier window has seen a later window's target. With
consecutive anchors this drops (purges) the first ``max(H-1, 0)`` windows of the selection
and of the testing part: a training window with anchor ``b`` reads up to ``b+H``, so the
first selection window needs its first target ``s+1 > b+H``. A testing start that was given
(a row or date) is kept: there the last ``max(H-1, 0)`` windows before it are dropped
instead, so that testing starts at that row and selection reads nothing from it on.

Random split (data that is not a series): the windows are shuffled with a seed and cut by
the fractions. Overlapping windows then share rows across parts; use it when rows are
independent cases (e.g. lookback 1).
"""

import numpy as np

from engine.data.time_steps import clock_times, nanoseconds
from engine.data.windows import target_offsets
from engine.errors import EngineError
from engine.words import counted, verb

PARTS = ("training", "selection", "testing")


def first_target_row(anchors, horizon):
    return np.asarray(anchors) + target_offsets(horizon)[0]


def last_row_read(anchors, horizon):
    return np.asarray(anchors) + horizon


def _counts(n, fractions):
    n_test = int(round(fractions[2] * n))
    n_sel = int(round(fractions[1] * n))
    return n - n_sel - n_test, n_sel, n_test


def purge(parts, horizon):
    """Drop, from the start of each later part, the windows whose first target row is not
    after every row read by the earlier parts (see the module docstring)."""
    out = [np.asarray(parts[0])]
    seen = last_row_read(out[0], horizon).max(initial=-1)
    for part in parts[1:]:
        part = np.asarray(part)
        part = part[first_target_row(part, horizon) > seen]
        out.append(part)
        if part.size:
            seen = max(seen, last_row_read(part, horizon).max())
    return out


def chronological_split(anchors, horizon, fractions=(0.6, 0.2, 0.2), test_from_row=None):
    """Anchors of (training, selection, testing) windows, in time order, purged.

    anchors : sorted anchor rows of the usable windows
    test_from_row : when given, testing holds the windows whose first target row is at or
        after it, and training and selection the windows that read nothing from it on
        (last row read ``t + H`` before it; the ``H - 1`` windows in between are dropped),
        split training : selection in the ratio of ``fractions[0] : fractions[1]`` (for
        H > 1 and a selection share, the selection part at least ``H`` windows when there
        are more, so that one is left after the purge)
    """
    anchors = np.asarray(anchors)
    if test_from_row is None:
        n_train, n_sel, _ = _counts(anchors.size, fractions)
        parts = [anchors[:n_train], anchors[n_train:n_train + n_sel],
                 anchors[n_train + n_sel:]]
    else:
        later = first_target_row(anchors, horizon) >= test_from_row
        earlier = anchors[last_row_read(anchors, horizon) < test_from_row]
        share = fractions[1] / (fractions[0] + fractions[1])
        n_sel = int(round(share * earlier.size))
        if horizon > 1 and share > 0:   # H at least: the purge of H - 1 leaves one to select by
            n_sel = max(n_sel, min(horizon, earlier.size - 1))
        parts = [earlier[:earlier.size - n_sel], earlier[earlier.size - n_sel:],
                 anchors[later]]
    parts = purge(parts, horizon)
    _check(parts, anchors.size)
    return dict(zip(PARTS, parts))


def random_split(anchors, fractions=(0.6, 0.2, 0.2), seed=0):
    """Anchors of (training, selection, testing) windows drawn at random (seeded); each
    part sorted."""
    anchors = np.asarray(anchors)
    shuffled = anchors[np.random.default_rng(seed).permutation(anchors.size)]
    n_train, n_sel, _ = _counts(anchors.size, fractions)
    parts = [np.sort(shuffled[:n_train]), np.sort(shuffled[n_train:n_train + n_sel]),
             np.sort(shuffled[n_train + n_sel:])]
    _check(parts, anchors.size)
    return dict(zip(PARTS, parts))


def _check(parts, total):
    if total == 0:
        raise EngineError("There is no complete window in the data: every window needs "
                          "lookback + horizon consecutive rows without a gap in time or a "
                          "row left out. Use a shorter lookback or horizon, or fill missing "
                          "values instead of leaving rows out.")
    if parts[0].size == 0:
        raise EngineError(f"Only {counted(total, 'window')} {verb(total, 'fits', 'fit')} in "
                          "the data, too few for a training "
                          "part. Use a shorter lookback or horizon, or give testing a "
                          "smaller share.")


def resolve_test_from(value, times=None, zone=None):
    """The data row (0-based, header not counted) where testing starts.

    value : an int row number; ``{"row": n}``; or a date/time or year of the time column
        (a string such as ``"1958-01"``, a Timestamp, or a number within the time column's
        range when it holds numbers such as years, or a year within the dates' years)
    times : the time column (pandas Series) or None
    zone : the zone times read in UTC were written in (``frame.attrs["time_zone"]``); a
        date or year given without an offset is on its clocks (``2021-01-01`` of data
        written ``+01:00`` is ``2020-12-31 23:00`` in UTC)
    """
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, dict):
        if "row" in value:
            return _row(value["row"], times)
        value = value.get("time")
    numeric_times = times is not None and pd.api.types.is_numeric_dtype(times)
    date_times = times is not None and pd.api.types.is_datetime64_any_dtype(times)
    if isinstance(value, bool):
        raise EngineError(f"Testing cannot start from {value!r}; give a row number or a "
                          "date.")
    if hasattr(value, "isoformat") and not date_times:    # a date (a Timestamp, a date)
        raise EngineError(f"Testing from {value}: " + (
            "the time column holds numbers; give a number (e.g. a year) or a row number."
            if numeric_times else "there is no time column of dates; give a row number "
            "(0 is the first data row)."))
    if isinstance(value, str):
        text = value.strip()
        if numeric_times:
            try:
                value = float(text)
            except ValueError:
                raise EngineError(f"Testing from {value!r}: the time column holds numbers; "
                                  "give a number (e.g. a year) or a row number.") from None
        elif date_times:
            try:
                value = pd.Timestamp(text)
            except (ValueError, TypeError):
                raise EngineError(f"Testing from {value!r}: this is not a date; give a "
                                  "date such as 1958-01-01 or a row number.") from None
            value = _day_order(text, value, times, zone)
        else:
            try:
                return _row(int(text), times)
            except ValueError:
                raise EngineError(f"Testing from {value!r}: there is no time column, so "
                                  "give a row number (0 is the first data row).") from None
    if numeric_times and isinstance(value, (int, float, np.integer, np.floating)):
        low, high = float(times.min()), float(times.max())
        if low <= value <= high:
            return _first_from(times.to_numpy(dtype=float), value)
        if isinstance(value, (float, np.floating)):       # typed as text: a time
            raise EngineError(f"Testing from {_number_text(value)}: the time column's times "
                              f"run from {_number_text(low)} to {_number_text(high)}; give "
                              "a time within them, or a row number.")
    if date_times and isinstance(value, (int, np.integer)):
        years = clock_times(times.dropna(), zone).dt.year
        if years.min() <= value <= years.max():
            value = pd.Timestamp(year=int(value), month=1, day=1)
    if date_times and (isinstance(value, (pd.Timestamp, np.datetime64)) or
                       hasattr(value, "isoformat")):
        stamp = pd.Timestamp(value)
        own = times.dt.tz                             # a frame's column with its zone
        zone = zone if zone is not None else own
        if stamp.tzinfo is None and zone is not None:
            stamp = stamp.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
        if own is not None:
            return _first_from(nanoseconds(times), stamp.value)
        return _first_from(times.to_numpy(), np.datetime64(stamp.to_datetime64()))
    if isinstance(value, (int, np.integer)):
        return _row(int(value), times, numeric_times)
    raise EngineError(f"Testing cannot start from {value!r}; give a row number or a date.")


def _day_order(text, month_first, times, zone):
    """The date typed as ``text`` (read ``month_first``, as pandas reads it), read day first
    instead where only that reading is a day the time column ``times`` holds: 01/06/2019
    typed for monthly dates written day first was read as 6 January, and testing began at
    2019-02. A date whose two readings are both days of the column (daily data), or
    neither, stays month first, as before."""
    import pandas as pd

    from engine.data.column_types import AMBIGUOUS_DATE

    if not AMBIGUOUS_DATE.match(text):
        return month_first
    day_first = pd.Timestamp(pd.to_datetime(text, dayfirst=True))
    if day_first == month_first:
        return month_first
    days = clock_times(times.dropna(), zone).dt.tz_localize(None).dt.normalize()
    held = [(days == when.tz_localize(None).normalize()).any()
            for when in (month_first, day_first)]
    return day_first if held == [False, True] else month_first


def _first_from(values, start):
    """The first row whose time in ``values`` (in time order but for unknown times: NaN,
    NaT) is ``start`` or later; ``len(values)`` when none is. A search of sorted times
    took the rows after an unknown time in the middle as later than any
    (``--test-from 2019-01-01`` started testing at 2017-12)."""
    later = np.flatnonzero(values >= start)
    return int(later[0]) if later.size else len(values)


def _row(row, times, or_time=False):
    """``row`` checked against the data's rows; ``or_time``: it may also have been meant
    as a time of the column of numbers ``times``, whose range the error then names."""
    row = int(row)
    if row < 0 or (times is not None and row >= len(times)):
        size = "" if times is None else f" (0 to {len(times) - 1})"
        span = ""
        if or_time and len(times):
            span = (f", nor a time of the time column, whose times run from "
                    f"{_number_text(times.min())} to {_number_text(times.max())}")
        raise EngineError(f"Testing from row {row}: there is no such data row{size}{span}.")
    return row


def _number_text(value):
    """A time of a column of numbers as a person writes it: 2008, 20230101, 2008.5."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def rows_before_testing(n_rows, split, times=None, zone=None):
    """How many leading rows come before the testing part of ``split`` (a
    :class:`~engine.data.config.SplitSettings`): the testing start's row (``zone``: see
    :func:`resolve_test_from`), or, without one,
    about ``(1 - testing share) x n_rows`` in time order; all ``n_rows`` for a random split
    (its testing windows are spread over the file). What the automatic choices may read
    (period, lookback), so that nothing is chosen by looking at the testing rows."""
    if split.method != "chronological":
        return n_rows
    if split.test_from is not None:
        try:
            return max(1, min(n_rows, resolve_test_from(split.test_from, times, zone)))
        except EngineError:
            return n_rows
    return max(1, int(round((1.0 - split.fractions[2]) * n_rows)))
