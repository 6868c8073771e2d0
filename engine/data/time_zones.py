"""The time zone a column of times written with offsets from UTC was written in.

Times written with their offsets (``2021-03-27 00:00+01:00``, then ``2021-03-29
00:00+02:00``) are read in UTC, so that they stay evenly spaced across a change of summer
time. The times written from them (forecasts, predictions) are written in the zone of
:func:`written_zone`: where the offsets change within the column, a zone of the zone
database whose offsets are the ones written at every change, so that a forecast past the
next change carries the offset local clocks then show, and a step of whole days lands on
the same clock time (:func:`~engine.data.time_steps.add_steps`); else the fixed offset of
the latest time, as before.
"""

import zoneinfo

import numpy as np
import pandas as pd

MOST_OFFSET_CHANGES = 1000
"""Changes of the written offset (in time order) beyond which no zone is looked for: a
log of hourly times with offsets changes twice a year; a column whose offsets change more
often is not one zone's."""


def written_zone(texts, times):
    """The zone of ``texts`` (a Series of times written with offsets), ``times`` the same
    times read (in UTC, with or without a zone; the same index): a ``zoneinfo.ZoneInfo``
    whose offset at the first and the latest time, and on both sides of every change of the
    offset written, is the one written there, the zones of
    :data:`~engine.data.time_steps.SUMMER_TIME_ZONES` tried first, then the others by name
    (cities before ``CET``-like names); else (one offset throughout, no zone that fits, no
    zone database) the fixed offset of the latest time
    (:func:`~engine.data.column_types.last_time_zone`)."""
    from engine.data.column_types import last_time_zone

    fixed = last_time_zone(texts, times)
    sample = _offset_changes(texts, times)
    if sample is None:
        return fixed
    instants, offsets = sample
    for name in _zone_names():
        if _offsets_in(name, instants) == offsets:
            return zoneinfo.ZoneInfo(name)
    return fixed


def _offset_changes(texts, times):
    """``(instants, offsets)``: a DatetimeIndex (UTC, without a zone) of the first and the
    latest time and the times on both sides of every change of the offset written, in time
    order, and the offsets written at them (a list of Timedeltas); None when the offset
    written never changes, changes more than :data:`MOST_OFFSET_CHANGES` times, or a text
    among them cannot be read alone."""
    instants = pd.DatetimeIndex(times)
    if instants.tz is not None:
        instants = instants.tz_convert("UTC").tz_localize(None)
    values = texts.to_numpy(dtype=object)
    known = ~instants.isna() & np.array([isinstance(v, str) for v in values], dtype=bool)
    order = np.flatnonzero(known)[np.argsort(instants[known].asi8, kind="stable")]
    if not order.size:
        return None
    ends = pd.Series(values[order]).str.strip().str[-6:]    # the offset, or a time's end
    codes = pd.factorize(ends)[0]
    change = np.flatnonzero(codes[1:] != codes[:-1])
    if not change.size or change.size > MOST_OFFSET_CHANGES:
        return None
    at = order[np.unique(np.r_[0, change, change + 1, len(order) - 1])]
    try:
        offsets = [pd.Timestamp(values[k].strip()).utcoffset() for k in at]
    except (ValueError, TypeError, OverflowError):
        return None
    if any(o is None for o in offsets) or len(set(offsets)) < 2:
        return None
    return instants[at], offsets


def _zone_names():
    """The zone database's zones, :data:`~engine.data.time_steps.SUMMER_TIME_ZONES` first;
    none without a zone database."""
    from engine.data.time_steps import SUMMER_TIME_ZONES

    try:
        others = zoneinfo.available_timezones() - set(SUMMER_TIME_ZONES)
    except (OSError, ValueError):
        return []
    return [*SUMMER_TIME_ZONES, *sorted(others, key=lambda name: ("/" not in name, name))]


def _offsets_in(name, instants):
    """The offsets from UTC (a list of Timedeltas) of zone ``name`` at ``instants`` (a
    DatetimeIndex in UTC without a zone); None where the zone cannot be read."""
    try:
        local = instants.tz_localize("UTC").tz_convert(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OverflowError,
            pd.errors.OutOfBoundsDatetime):
        return None
    return list(local.tz_localize(None) - instants)


def frame_time_zone(frame, column):
    """The zone of the time column ``column`` of ``frame`` (a DataFrame): the one a file
    read in UTC was written in (``frame.attrs["time_zone"]``,
    :func:`~engine.data.csv_reader.read_csv`), else that of the column's texts when they
    are times written with offsets (:func:`written_zone`); None for times without."""
    from engine.data.column_types import parse_time, written_with_zone

    zone = frame.attrs.get("time_zone")
    if zone is not None or column not in frame.columns:
        return zone
    texts = frame[column]
    if pd.api.types.is_datetime64_any_dtype(texts) or pd.api.types.is_numeric_dtype(texts) \
            or not written_with_zone(texts.iloc[-20:]):
        return None
    return written_zone(texts, parse_time(texts, column))
