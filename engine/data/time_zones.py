"""The time zone a column of times written with offsets from UTC was written in.

Times written with their offsets (``2021-03-27 00:00+01:00``, then ``2021-03-29
00:00+02:00``) are read in UTC, so that they stay evenly spaced across a change of summer
time. The times written from them (forecasts, predictions) are written in the zone of
:func:`zone_and_note`: where the offsets change within the column as local clocks do, a
zone of the zone database whose offsets are the ones written, so that a forecast past the
next change carries the offset local clocks then show, and a step of whole days lands on
the same clock time (:func:`~engine.data.time_steps.add_steps`); else the fixed offset of
the latest time.
"""

import datetime
import re
import zoneinfo

import numpy as np
import pandas as pd

from engine.data.time_steps import SUMMER_TIME_ZONES, offset_text

MOST_OFFSET_CHANGES = 1000
"""Changes of the written offset (in time order) beyond which no zone is looked for: a
log of hourly times with offsets changes twice a year; a column whose offsets change more
often is not one zone's."""

MOST_SAMPLED = 1000
"""Times evenly spread over the data at which a zone's offsets are checked besides those
of the changes."""

DAY_SECONDS = 86400.0

_OFFSET_AT_END = re.compile(r"(?:([+-])(\d{1,2}):?(\d{2})?|(Z|UTC|GMT))\s*$", re.IGNORECASE)
"""The offset at the end of a time's text: ``+01:00``, ``+0100``, ``+01``, ``+1``,
``-05:30``, or ``Z``, ``UTC``, ``GMT`` (no offset)."""


def written_zone(texts, times):
    """The zone of :func:`zone_and_note`."""
    return zone_and_note(texts, times)[0]


def zone_and_note(texts, times):
    """``(zone, note)``: the zone of ``texts`` (a Series of times written with offsets),
    ``times`` the same times read (in UTC, with or without a zone; the same index): a
    ``zoneinfo.ZoneInfo`` whose offset at the first and the latest time, on both sides of
    every change of the offset written and at up to :data:`MOST_SAMPLED` times evenly
    spread (Morocco's clocks go back for Ramadan, between two changes of Europe's), is the
    one written there, when

    * the rows on either side of some change are not a whole number of days apart in UTC
      (hours, or days of local clocks: 23 or 25 hours), so that the data follow the zone's
      clocks; a log kept at one time of UTC every day (01:00, then 02:00 local) does not,
      and its forecasts step in whole days of UTC;
    * the first zone that fits is one of :data:`~engine.data.time_steps.SUMMER_TIME_ZONES`
      (tried first: the data are taken to be of the city of many people, New York rather
      than Port-au-Prince, whose clocks agreed until 2015; ``note`` then names the zone that
      fits and parts ways soonest in the year after the data, :func:`_parting_note`, else
      None), or every zone that fits (tried by name, cities before ``CET``-like names)
      gives the same times over the year after the latest time (:func:`_same_future`):
      where zones that agree on the data part ways later, which of them the data came from
      cannot be told (Mazatlan and Chihuahua until Mexico ended summer time in 2022);

    else (one offset throughout, no zone that fits, no zone database) the fixed offset of
    the latest time (:func:`~engine.data.column_types.last_time_zone`)."""
    from engine.data.column_types import last_time_zone

    fixed = last_time_zone(texts, times), None
    sample = _offset_changes(texts, times)
    if sample is None:
        return fixed
    instants, offsets, across, step = sample
    if not np.any(across % DAY_SECONDS):
        return fixed
    ends = [(instants[k].to_pydatetime().replace(tzinfo=datetime.timezone.utc), offsets[k])
            for k in (0, -1)]
    fits = [name for name in _zone_names() if _shows(name, ends)
            and np.array_equal(_offsets_in(name, instants), offsets)]
    if not fits:
        return fixed
    if fits[0] in SUMMER_TIME_ZONES:
        return zoneinfo.ZoneInfo(fits[0]), _parting_note(fits, instants[-1])
    if not _same_future(fits, instants[-1], step >= DAY_SECONDS - 3600):
        return fixed
    return zoneinfo.ZoneInfo(fits[0]), None


def _parting_note(fits, latest):
    """The note on the zone of ``fits`` (names, the one taken first) whose offsets part from
    the first's soonest in the year after ``latest`` (a Timestamp in UTC without a zone),
    hour by hour; None when none does."""
    hours = _year_of_hours(latest)
    soonest = _soonest_parting(fits, hours)
    if soonest is None:
        return None
    name, at, offset, taken = soonest
    day = hours[at].tz_localize("UTC").tz_convert(zoneinfo.ZoneInfo(fits[0]))
    first, other = _city(fits[0]), _city(name)
    return (f"The times are taken to be on the clocks of {first} ({fits[0]}), whose "
            f"offsets they show. Those of {other} ({name}) showed the same up to the data's "
            f"end and differ from {day:%Y-%m-%d} ({offset_text(offset)} where {first} "
            f"shows {offset_text(taken)}): if the data are from {other}, times "
            f"forecast from that day on are written in the offset of {first}, not its own.")


def _year_of_hours(latest):
    """The 366 x 24 hours after ``latest`` (a Timestamp in UTC without a zone), and it."""
    return pd.date_range(latest, periods=366 * 24 + 1, freq="h")


def _soonest_parting(names, hours):
    """``(name, at, offset, taken)``: of the zones ``names`` after the first, the one whose
    offset first differs from the first's at ``hours`` (a DatetimeIndex in UTC without a
    zone), the position of that hour, and its offset and the first's there (seconds);
    None when none differs (a zone that cannot be read there is left out)."""
    first = _offsets_in(names[0], hours)
    soonest = None
    for name in names[1:]:
        other = _offsets_in(name, hours)
        apart = np.flatnonzero(other != first) if other is not None and first is not None \
            else []
        if len(apart) and (soonest is None or apart[0] < soonest[1]):
            soonest = name, int(apart[0]), other[apart[0]], first[apart[0]]
    return soonest


def _city(name):
    """The place of a zone's name: ``America/Port-au-Prince`` is Port-au-Prince."""
    return name.split("/")[-1].replace("_", " ")


def _written_offsets(ends):
    """The offset in minutes written at the end of each of ``ends`` (a Series of the last
    characters of texts, :data:`_OFFSET_AT_END`), NaN where none is; each different end
    read once."""
    codes, unique = pd.factorize(ends)
    minutes = np.full(len(unique) + 1, np.nan)
    for k, end in enumerate(unique):
        found = _OFFSET_AT_END.search(str(end))
        if found and found.group(4):
            minutes[k] = 0.0
        elif found:
            sign = -1.0 if found.group(1) == "-" else 1.0
            minutes[k] = sign * (60 * int(found.group(2)) + int(found.group(3) or 0))
    return minutes[codes]


def _shows(name, ends):
    """Whether zone ``name`` shows the offsets (seconds) of ``ends`` at their times (a list
    of ``(datetime in UTC, offset)``): a first look, without pandas, before
    :func:`_offsets_in` reads every time of a change."""
    try:
        zone = zoneinfo.ZoneInfo(name)
        return all(at.astimezone(zone).utcoffset().total_seconds() == offset
                   for at, offset in ends)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OverflowError):
        return False


def _offset_changes(texts, times):
    """``(instants, offsets, across, step)``: a DatetimeIndex (UTC, without a zone) of the
    first and the latest time, the times on both sides of every change of the offset
    written and up to :data:`MOST_SAMPLED` evenly spread, in time order, the offsets
    written at them ((k,) float seconds), (changes,) float the seconds between the two
    times of each change, and the median step between the times in seconds; None when the
    offset written never changes, changes more than :data:`MOST_OFFSET_CHANGES` times, or
    a text among them holds none that can be read."""
    instants = pd.DatetimeIndex(times).as_unit("ns")
    if instants.tz is not None:
        instants = instants.tz_convert("UTC").tz_localize(None)
    values = texts.to_numpy(dtype=object)
    known = ~instants.isna() & texts.notna().to_numpy()
    order = np.flatnonzero(known)[np.argsort(instants[known].asi8, kind="stable")]
    if not order.size:
        return None
    # the last 8 characters hold the longest offset, "+01:00  " or "00 -05:30"
    minutes = _written_offsets(pd.Series(values[order]).str[-8:])
    if np.isnan(minutes).any():
        return None
    change = np.flatnonzero(minutes[1:] != minutes[:-1])
    if not change.size or change.size > MOST_OFFSET_CHANGES:
        return None
    spread = np.linspace(0, len(order) - 1, min(len(order), MOST_SAMPLED)).astype(np.int64)
    at = np.unique(np.r_[0, change, change + 1, len(order) - 1, spread])
    seconds = instants[order].asi8 / 1e9
    steps = np.diff(seconds)
    step = float(np.median(steps[steps > 0])) if np.any(steps > 0) else 0.0
    return (instants[order[at]], 60.0 * minutes[at], seconds[change + 1] - seconds[change],
            step)


def _same_future(names, latest, daily):
    """Whether the zones ``names`` give the same times over the year after ``latest`` (a
    Timestamp in UTC without a zone): ``daily`` (data a day or more apart), the same
    instants for the clock time of ``latest`` (in the first zone) on each of the next 366
    days; else the same offset at each of the next 366 x 24 hours. (Weekly midnights in New
    York and in Havana, whose clocks change at 02:00 and at 00:00 of the same Sundays, are
    the same; their hours are not.)"""
    if daily:
        wall = latest.tz_localize("UTC").tz_convert(zoneinfo.ZoneInfo(names[0]))
        walls = pd.date_range(wall.tz_localize(None), periods=367, freq="D")[1:]
        firsts = [_instants_in(name, walls) for name in names]
        return firsts[0] is not None and all(np.array_equal(f, firsts[0]) for f in firsts)
    return _soonest_parting(names, _year_of_hours(latest)) is None


def _instants_in(name, walls):
    """(k,) int64: the instants (nanoseconds of UTC) of the clock times ``walls`` (a
    DatetimeIndex without a zone) in zone ``name``, a time the clocks skip read as the first
    after it, one they show twice as the first; None where the zone cannot be read."""
    try:
        local = walls.tz_localize(zoneinfo.ZoneInfo(name), ambiguous=np.ones(len(walls), bool),
                                  nonexistent="shift_forward")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OverflowError,
            pd.errors.OutOfBoundsDatetime):
        return None
    return local.as_unit("ns").asi8


def _zone_names():
    """The zone database's zones, :data:`~engine.data.time_steps.SUMMER_TIME_ZONES` first;
    none without a zone database."""
    try:
        others = zoneinfo.available_timezones() - set(SUMMER_TIME_ZONES)
    except (OSError, ValueError):
        return []
    return [*SUMMER_TIME_ZONES, *sorted(others, key=lambda name: ("/" not in name, name))]


def _offsets_in(name, instants):
    """The offsets from UTC ((k,) float seconds) of zone ``name`` at ``instants`` (a
    DatetimeIndex in UTC without a zone); None where the zone cannot be read."""
    try:
        local = instants.tz_localize("UTC").tz_convert(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OverflowError,
            pd.errors.OutOfBoundsDatetime):
        return None
    return (local.tz_localize(None) - instants).total_seconds().to_numpy()


def frame_time_zone(frame, column, parsed=None):
    """The zone of the time column ``column`` of ``frame`` (a DataFrame): the one a file
    read in UTC was written in (``frame.attrs["time_zone"]``,
    :func:`~engine.data.csv_reader.read_csv`), else that of the column's texts when they
    are times written with offsets (:func:`written_zone`; ``parsed``: the column already
    read, :func:`~engine.data.column_types.parse_time`, else it is read here); None for
    times without."""
    from engine.data.column_types import parse_time, written_with_zone

    zone = frame.attrs.get("time_zone")
    if zone is not None or column not in frame.columns:
        return zone
    texts = frame[column]
    if pd.api.types.is_datetime64_any_dtype(texts) or pd.api.types.is_numeric_dtype(texts) \
            or not written_with_zone(texts.iloc[-20:]):
        return None
    return written_zone(texts, parse_time(texts, column) if parsed is None else parsed)

