"""The regular step of the time column and the gaps in it.

A gap is a place where one or more timestamps are missing: consecutive rows ``r-1, r`` with
``time[r] - time[r-1] > 1.5 * step`` (calendar months for monthly/quarterly/yearly dates,
so that 28-31 day months are one step). Windows never cross a gap: the rows are cut into
*segments* at every gap and every row that is left out.

A step is a JSON-able dict: ``{"unit": "months", "size": 3}`` (quarterly),
``{"unit": "nanoseconds", "size": 600000000000}`` (10 minutes),
``{"unit": "business_days", "size": 1}`` (Monday to Friday: a Friday's next step is the
Monday after it, and a row after up to :data:`CLOSING_DAYS` holidays is the next step too,
:func:`business_day_step`) or
``{"unit": "number", "size": 1.0}`` (years as integers). Times with offsets are read in
UTC, and their months are counted on the clocks of the zone they were written in; where
they are months only on those clocks (local midnights on the 1st), the step names that
zone, ``{"unit": "months", "size": 1, "zone": "Europe/Berlin"}``, and its months are added
on the clocks of the data's zone.
"""

import zoneinfo

import numpy as np
import pandas as pd

from engine.errors import EngineError
from engine.words import counted, verb


def _mode(values):
    values, counts = np.unique(values, return_counts=True)
    return values[np.argmax(counts)]


def _month_index(times):
    return (times.dt.year * 12 + times.dt.month - 1).to_numpy(dtype=np.int64)


def _monthly(times):
    """True when all dates fall on the same day of the month (or all on month ends) at
    the same time of day and consecutive dates are at least ~28 days apart; times with a
    zone as its clocks show them (a midnight that Chile's clocks skip is no error)."""
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)
    days = times.dt.day
    same_day = (days == days.iloc[0]).all() or times.dt.is_month_end.all()
    same_clock = (times.dt.normalize() == times).all() or \
        (times - times.dt.normalize()).nunique() == 1
    if not (same_day and same_clock) or len(times) < 2:
        return False
    return (times.diff().dropna() >= pd.Timedelta(days=28)).all()


def nanoseconds(times):
    """(n,) int64: the datetimes ``times`` (a Series) as nanoseconds since 1970-01-01 in
    UTC; times with a time zone lose its offset (``01:00+02:00`` is ``23:00`` of the day
    before), so that an hourly log across a change of summer time, 23 or 25 hours in a
    local day, stays one hour a step. A missing time gives the smallest int64."""
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert(None)
    return times.to_numpy().astype("datetime64[ns]").astype(np.int64)


def _first_not_after(values):
    """Position of the first of ``values`` (a Series without missing values) that is not
    greater than the one before it, with the word for how (``"repeats"``, ``"comes
    before"``); ``(None, None)`` when they increase strictly."""
    dates = pd.api.types.is_datetime64_any_dtype(values)
    diffs = np.diff(nanoseconds(values) if dates else values.to_numpy())
    bad = np.flatnonzero(diffs <= 0)
    if not bad.size:
        return None, None
    return int(bad[0]) + 1, "repeats" if diffs[bad[0]] == 0 else "comes before"


def check_order(times, name, zone=None):
    """Raise unless the time column increases strictly (ignoring missing values). The
    reads that check it (a model's, a project's) keep their time column, so the refusal
    says only how to put the rows in order; a file read from disk is sorted by time as it
    is read (:func:`sort_by_time`). The time is named on the clocks of ``zone``, the zone
    times read in UTC were written in (:func:`on_clock`)."""
    values = times.dropna()
    k, word = _first_not_after(values)
    if k is not None:
        row = values.index[k]
        raise EngineError(f"The time column {name!r} is not in increasing order: row {row} "
                          f"({on_clock(values.iloc[k], zone)}) {word} the row above it. "
                          "Sort the rows by time and remove duplicate rows.")


def shown_time(value, zone=None):
    """A time as a person wrote it: a date without a midnight clock time; on the clocks of
    ``zone`` (:func:`on_clock`)."""
    value = on_clock(value, zone)
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.strftime("%Y-%m-%d")
    return str(value)


def on_clock(value, zone):
    """One time read in UTC (a Timestamp without a zone) as the clocks of ``zone``, the
    zone it was written in (``frame.attrs["time_zone"]``), show it, without the zone:
    ``2021-01-01 00:00`` for ``2020-12-31 23:00`` written ``+01:00``; anything else (no
    zone, a time with its own, a number) as it is."""
    if zone is None or not isinstance(value, pd.Timestamp) or value.tzinfo is not None:
        return value
    return value.tz_localize("UTC").tz_convert(zone).tz_localize(None)


WRITE_OFFSETS = ("write the times with their offset from UTC (e.g. {}) or in UTC, and load "
                 "the file again.")
"""What to do with local times without an offset across a change of summer time."""

CLOCKS_SET_BACK = ("as local clocks do in the night summer time ends and they are set back "
                   "an hour. Removing a row would lose an hour of values: ")
"""Why local times without an offset hold an hour twice (:func:`clocks_set_back`), after
the refusal that names the time and its rows; :func:`repeated_hour_offsets` says what to
do."""

SUMMER_TIME_STARTS = ("the change to summer time, when local clocks are set forward an hour "
                      "and skip it")
"""What an hour that local times without an offset skip (:func:`clocks_set_forward`)
looks like, after "which looks like"; :func:`skipped_hour_offsets` says what to do."""

SUMMER_TIME_ZONES = ("America/New_York", "America/Chicago", "America/Denver",
                     "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Europe/Helsinki",
                     "Australia/Sydney", "Pacific/Auckland", "America/Santiago",
                     "Asia/Jerusalem", "Africa/Cairo", "Asia/Beirut", "Atlantic/Azores",
                     "America/Havana", "America/Asuncion", "America/Mexico_City",
                     "America/Sao_Paulo", "Asia/Tehran", "Africa/Casablanca",
                     "America/Nuuk", "Pacific/Chatham")
"""A zone for each night and hour on which clocks are set forward, today or in the past
decades, as the zone database has them: the second Sunday of March at 02:00 (United States,
Canada; with the zones of Chicago, Denver and Los Angeles, whose hours differ, as the zones
times written with offsets are first taken to be in, :mod:`engine.data.time_zones`), the
last Sunday of March at 01:00 (United Kingdom, Portugal), 02:00 (central Europe) and 03:00
(eastern Europe), the last Sunday of September at 02:00 (New Zealand), the first Sunday of
October at 02:00 (south-east Australia), the first Sunday of September at 00:00 (Chile);
then the rules of one country or region each (Israel's Friday, Egypt's, Lebanon's and the
Azores' midnights, Cuba, Paraguay, Mexico until 2022, Brazil until 2019, Iran until 2022,
Morocco's Ramadan, Greenland, the Chatham Islands' 02:45). The same zones repeat an hour
when they set their clocks back (:func:`clocks_set_back`); where two skip or repeat the
same hour (south-east Australia and New Zealand on the first Sunday of April), the example
names the first in this order. Lord Howe Island's half hour is no hour."""


def clocks_set_back(times, repeated):
    """Whether the times of the time column ``times`` (a Series) that ``repeated`` marks
    (those that appear more than once) are the hours that local clocks repeat when summer
    time ends: in a column of times an hour or less apart, each twice, and on each night
    all times that one of :data:`SUMMER_TIME_ZONES` holds twice; a log of several years
    repeats one such hour a year."""
    if not pd.api.types.is_datetime64_any_dtype(times) or \
            getattr(times.dt, "tz", None) is not None:
        return False
    twice = times[repeated]
    steps = np.diff(np.sort(times.unique()))
    if not (len(steps) and steps.min() <= np.timedelta64(1, "h")
            and (twice.value_counts() == 2).all()):
        return False
    once = pd.DatetimeIndex(twice.unique())
    if np.unique(once.normalize(), return_counts=True)[1].max() * steps.min() > \
            np.timedelta64(1, "h"):
        return False                                  # more than an hour twice in a night
    held_twice = pd.DataFrame(_held_twice_in_zones(once), index=once)
    return bool(held_twice.groupby(once.normalize()).all().any(axis=1).all())


def _localized(times, zone, nonexistent="NaT"):
    """``times`` (a DatetimeIndex without a zone) read as local times of ``zone``, a time it
    holds twice NaT (a time it skips: ``nonexistent``); None when this computer has no
    zone database to read ``zone`` from, or the times lie where the zone cannot be read (the
    last hours of the year 9999, which its offset takes past the calendar's end): then no
    hour is said to be a change of clocks."""
    try:
        return times.tz_localize(zone, ambiguous="NaT", nonexistent=nonexistent)
    except (zoneinfo.ZoneInfoNotFoundError, NotImplementedError, OverflowError,
            pd.errors.OutOfBoundsDatetime):
        return None


HOUR = 3600 * 10 ** 9            # nanoseconds
DAY = 24 * HOUR


def _held_twice_in_zones(times):
    """(k, Z) bool: whether zone ``SUMMER_TIME_ZONES[j]`` holds the local time ``times[i]``
    (a DatetimeIndex without a zone) twice, as it does the hour its clocks repeat when they
    are set back; a zone this computer cannot read holds none."""
    held = []
    for zone in SUMMER_TIME_ZONES:
        local = _localized(times, zone, "shift_forward")
        held.append(np.zeros(len(times), dtype=bool) if local is None else
                    np.asarray(local.isna()))
    return np.column_stack(held) if held else np.empty((len(times), 0), dtype=bool)


def _one_step_in_zones(before, after, step):
    """(k, Z) bool: whether the local times ``before[i]`` and ``after[i]`` (DatetimeIndex
    without a zone, ``after[i] - before[i] = step + 1 h``) are ``step`` nanoseconds apart
    in zone ``SUMMER_TIME_ZONES[j]``, that is whether that zone skips the hour between
    them; a time the zone skips or holds twice is none."""
    apart = []
    for zone in SUMMER_TIME_ZONES:
        start, end = (_localized(times, zone) for times in (before, after))
        apart.append(np.zeros(len(before), dtype=bool) if start is None else
                     np.asarray(end - start == pd.Timedelta(step, unit="ns")))
    return np.column_stack(apart) if apart else np.empty((len(before), 0), dtype=bool)


def clocks_set_forward(times, step):
    """(k,) int: the rows of the time column ``times`` (a Series in time order) that follow
    an hour local clocks skip when summer time starts: in a column of local times (without
    a zone) at most an hour apart (``step``, :func:`detect_step`), a gap of one step and
    one hour, ``time[r] - time[r-1] = step + 1 h``, that one of :data:`SUMMER_TIME_ZONES`
    skips (``time[r-1]`` and ``time[r]`` one step apart in it)."""
    if step is None or step["unit"] != "nanoseconds" or not 0 < step["size"] <= HOUR or \
            not pd.api.types.is_datetime64_any_dtype(times) or \
            getattr(times.dt, "tz", None) is not None:
        return np.empty(0, dtype=np.int64)
    rows = np.flatnonzero(np.diff(nanoseconds(times)) == step["size"] + HOUR) + 1
    before, after = (pd.DatetimeIndex(times.iloc[at]) for at in (rows - 1, rows))
    return rows[_one_step_in_zones(before, after, step["size"]).any(axis=1)]


def _offsets_example(fits, first, then, ambiguous=("raise", "raise")):
    """What to do with local times without an offset across a change of summer time
    (:data:`WRITE_OFFSETS`), with the local times ``first`` and ``then`` (Timestamps)
    written with their offset in the first of :data:`SUMMER_TIME_ZONES` that ``fits``
    ((1, Z) bool) marks as the example, ``then`` without its date on the day of ``first``,
    and the zone's city; ``ambiguous`` says which offset of a time the zone holds twice."""
    zone = SUMMER_TIME_ZONES[int(np.argmax(fits[0]))]
    first_text, then_text = (str(time.tz_localize(zone, ambiguous=which))
                             for time, which in zip((first, then), ambiguous))
    if first.normalize() == then.normalize():
        then_text = then_text[11:]                              # the clock time alone
    city = zone.split("/")[-1].replace("_", " ")
    return WRITE_OFFSETS.format(f"{first_text}, then {then_text} in {city}")


def skipped_hour_offsets(before, after, step):
    """What to do with the hour skipped between the local times ``before`` and ``after``
    (Timestamps, one of :func:`clocks_set_forward`), with the two written with their offset
    in the first of :data:`SUMMER_TIME_ZONES` that skips it as the example ("e.g.
    2023-03-12 01:00:00-05:00, then 03:00:00-04:00 in New York")."""
    fits = _one_step_in_zones(pd.DatetimeIndex([before]), pd.DatetimeIndex([after]), step)
    return _offsets_example(fits, before, after)


def repeated_hour_offsets(time):
    """What to do with the local time ``time`` (a Timestamp, one of the hours of
    :func:`clocks_set_back`) held twice, with it written with its two offsets, of summer
    time and then of winter time, in the first of :data:`SUMMER_TIME_ZONES` that holds it
    twice as the example ("e.g. 2023-11-05 01:00:00-04:00, then 01:00:00-05:00 in New
    York")."""
    fits = _held_twice_in_zones(pd.DatetimeIndex([time]))
    return _offsets_example(fits, time, time, (True, False))


def skipped_hours_note(frame, name):
    """The note on the hours local clocks skip when summer time starts
    (:func:`clocks_set_forward`) in the time column ``name`` of ``frame`` (in time order),
    naming the first and the data row after it; None when there is none."""
    from engine.words import counted

    times = frame[name]
    if not pd.api.types.is_datetime64_any_dtype(times) or \
            getattr(times.dt, "tz", None) is not None:
        return None
    step = detect_step(times)
    rows = clocks_set_forward(times, step)
    if not rows.size:
        return None
    r = int(rows[0])
    more = f" and {counted(rows.size - 1, 'other night')}" if rows.size > 1 else ""
    before, after = times.iloc[r - 1], times.iloc[r]
    return (f"The time column {name!r} skips the hour after {before} "
            f"(data row {file_rows(frame)[r]} is {after}){more}, which looks like "
            f"{SUMMER_TIME_STARTS}. The rows on either side are read as a gap in time, which "
            f"no window spans; to read them one step apart, "
            f"{skipped_hour_offsets(before, after, step['size'])}")


def closer_rows_note(frame, name, zone=None):
    """The note on the rows of the time column ``name`` of ``frame`` (in time order) that
    are closer to the row before than the column's step (:func:`detect_step`; irregular
    data: a reading at 07:30 in an hourly log), which the windows read as one step all the
    same, naming the first and its data row; None when there is none."""
    times = frame[name]
    step = detect_step(times, zone)
    if step is None:
        return None
    weekend = _weekend_rows_note(frame, name, zone) if step["unit"] == BUSINESS_DAYS else None
    if weekend is not None:
        return weekend
    closer = _closer_rows(times, step, zone)
    if not closer.size:
        return None
    places = "a place" if closer.size == 1 else f"{closer.size:,} places"
    before = shown_time(times.iloc[int(closer[0]) - 1], zone)
    return (f"The time column {name!r} has {places} where a row is closer to the row before "
            f"than its time step of {step_words(step)} ({_first_row(frame, name, closer, zone)}"
            f", after {before}). The network reads every row as one step all the same, so a "
            f"window that holds such rows spans less time than the others; leave such rows "
            f"out, or average them into one row a step.")


def _first_row(frame, name, rows, zone):
    """``data row 20, 2023-01-27 15:00:00`` of the first of ``rows`` (frame rows) in the
    time column ``name``, after ``the first: `` when there are several."""
    r = int(rows[0])
    first = "" if rows.size == 1 else "the first: "
    return f"{first}data row {file_rows(frame)[r]}, {shown_time(frame[name].iloc[r], zone)}"


def _closer_rows(times, step, zone):
    """The rows (int array) of ``times`` closer to the row before than ``step``
    (:func:`closer_rows_note`): by more than :data:`STEP_TOLERANCE` of it, or of a step of
    a month or more, more than its months' lengths differ (28 days after a step of 31);
    and by as much on the clocks of ``zone`` (6-hourly readings written with offsets are
    5 hours apart in UTC across a change to summer time, not on the clocks)."""
    least = 0.85 if step["unit"] == "nanoseconds" and step["size"] >= MONTH_AT_LEAST \
        else 1 - STEP_TOLERANCE
    closer = step_counts(times, step, zone) < least
    if zone is not None and step["unit"] == "nanoseconds":
        closer &= step_counts(local_clock(times, zone), step) < least
    return np.flatnonzero(closer)


def _weekend_rows_note(frame, name, zone):
    """The note on the rows of business days (the time column ``name`` of ``frame``) that
    fall on a weekend, naming the first; None without one."""
    rows = weekend_rows(frame[name], zone)
    if not rows.size:
        return None
    return weekend_note(f"The time column {name!r}", rows.size,
                        _first_row(frame, name, rows, zone))


def weekend_rows(times, zone=None):
    """The rows (int array) of the datetimes ``times`` (a Series; unknown ones are not)
    that fall on a Saturday or a Sunday on the clocks they were written on (``zone``:
    :func:`clock_times`)."""
    known = times.notna().to_numpy()
    weekend = np.zeros(len(times), dtype=bool)
    weekend[known] = ~np.is_busday(_clock_days(times[known], zone))
    return np.flatnonzero(weekend)


def weekend_note(subject, count, where, steps="steps"):
    """The note on ``count`` rows of business days on a weekend, of ``subject`` ("The time
    column 'date'", whose verb is ``steps``: "step" for "The times"), the first at
    ``where`` (its data row and time)."""
    return (f"{subject} {steps} in business days, but {counted(count, 'row')} "
            f"{verb(count, 'falls', 'fall')} on a weekend ({where}). The network reads "
            f"{verb(count, 'it', 'each')} as one more step; leave "
            f"{verb(count, 'it', 'such rows')} out, or move "
            f"{verb(count, 'its value', 'their values')} to a weekday.")


class FileRows:
    """The rows of ``frame`` before :func:`sort_by_time` sorted them, ``rows[k]`` for the
    row now at ``k`` (kept in ``frame.attrs``; pandas copies the attributes from frame to
    frame, this one by reference)."""

    def __init__(self, rows):
        self.rows = rows

    def __deepcopy__(self, memo):
        return self


def file_rows(frame):
    """(rows,) the data row of the file (0-based) that each row of ``frame``, as
    :func:`~engine.data.csv_reader.read_csv` returned it, was read from: they differ where
    :func:`sort_by_time` sorted the rows by time."""
    moved = frame.attrs.get("file_rows")
    return moved.rows if moved is not None else frame.index.to_numpy()


NO_TIME_WORDS = {
    "command_line": ("give --no-time to read the file without one",
                     "a file of several series, one after the other: fit it with --series "
                     "COL, COL the column that names them"),
    "window": ("choose no time column",
               "a file of several series, one after the other: read it without a time "
               "column and give the column that names the series the role Series")}
"""How a refusal of a time column says to read the file without one, and a file of several
series one after the other, in the words of each front end
(:data:`~engine.testing.verdict.COMMAND_LINE`, :data:`~engine.testing.verdict.WINDOW`)."""


def no_time_words(front, detected):
    """``(how to read without a time column, how to read several series)`` of
    :data:`NO_TIME_WORDS` for ``front``, or ``(None, None)`` where there is no such choice:
    on the command line, a time column it did not detect (named by ``--time`` or by a
    model, which reads its own)."""
    if front == "command_line" and not detected:
        return None, None
    return NO_TIME_WORDS.get(front, (None, None))


def sort_by_time(frame, name, no_time=None, several=None, zone=None):
    """``(frame, note)``: ``frame`` with its rows in the order of the time column ``name``
    (a stable sort; rows without a time last; index renumbered from 0, the rows before
    in ``frame.attrs["file_rows"]``, a :class:`FileRows`) and a sentence that
    says so, or ``frame`` itself and None when the rows are in order already. A time that
    appears twice is refused, naming the first one and its rows (0-based data rows), and
    saying ``no_time`` and ``several`` (:func:`no_time_words`) when given. Times are named
    on the clocks of ``zone``, the zone times read in UTC were written in; such times are
    never the hour local clocks repeat (their offsets tell the two apart)."""
    values = frame[name].dropna()
    repeated = values.duplicated(keep=False)
    if repeated.any():
        first = values[repeated].iloc[0]
        rows = values.index[(values == first).to_numpy()]
        if zone is None and clocks_set_back(values, repeated):    # local clocks, no offsets
            raise EngineError(f"The time column {name!r} holds {shown_time(first)} twice "
                              f"(rows {rows[0]}, {rows[1]}), {CLOCKS_SET_BACK}"
                              f"{repeated_hour_offsets(first)}")
        other = f", or {no_time} ({several})" if no_time else ""
        raise EngineError(f"The time column {name!r} holds {shown_time(first, zone)} more than "
                          f"once (rows {', '.join(str(r) for r in rows[:5])}); every time "
                          f"must appear once. Remove the duplicate rows{other}.")
    k, _ = _first_not_after(values)
    if k is None:
        return frame, None
    _refuse_unplaced(frame, name, values.index[k])
    ordered = frame.sort_values(name, kind="stable", na_position="last")
    ordered.attrs["file_rows"] = FileRows(ordered.index.to_numpy())
    ordered.index = pd.RangeIndex(len(ordered))
    return ordered, (f"The rows were sorted by the time column {name!r}: the file does not "
                     f"list them in time order (row {values.index[k]}, "
                     f"{shown_time(values.iloc[k], zone)}, "
                     f"comes before the row above it).")


def _refuse_unplaced(frame, name, unordered):
    """Refuse rows without a time in a file whose rows are to be sorted by time (the row
    ``unordered`` comes before the one above it): their place in time is unknown (sorted
    last, such a row stood for the step after the last row and was given its forecast).
    In a file in time order they stay where they are."""
    empty = frame.index[frame[name].isna().to_numpy()]
    if len(empty):
        rows = ", ".join(str(r) for r in empty[:5]) + (", ..." if len(empty) > 5 else "")
        raise EngineError(f"The rows are not in time order (row {unordered} comes before the "
                          f"row above it) and {counted(len(empty), 'row')} ({rows}) "
                          f"{verb(len(empty), 'has', 'have')} no time in {name!r}, so "
                          f"{verb(len(empty), 'its', 'their')} place in time is unknown. "
                          "Fill in those times, or remove those rows.")


def detect_step(times, zone=None):
    """The regular step of a time column (a pandas Series): see the module docstring.
    None when there are fewer than two timestamps. ``zone``: the zone times read in UTC
    were written in (``frame.attrs["time_zone"]``, :func:`~engine.data.time_zones.
    written_zone`); where they fall on the same day of each month on its clocks and not
    in UTC (local midnights on the 1st, 23:00 or 22:00 of the day before in UTC), the
    step is months on its clocks: ``{"unit": "months", "size": 1, "zone":
    "Europe/Berlin"}`` (:func:`zone_name`), which :func:`add_steps` then adds on the
    clocks of the data's zone (months are counted on them whatever the step,
    :func:`step_counts`)."""
    values = times.dropna()
    if len(values) < 2:
        return None
    if pd.api.types.is_datetime64_any_dtype(values):
        step = _month_step(values)
        if step is not None:
            return step
        nanos = np.diff(nanoseconds(values))
        usual = int(_mode(nanos))
        step = business_day_step(values, zone) if abs(usual - DAY) <= HOUR else None
        if step is not None:
            return step
        if zone is not None and nanos.min() >= MONTH_AT_LEAST:
            step = _month_step(clock_times(values, zone))
            if step is not None:
                return {**step, "zone": zone_name(zone)}
        return {"unit": "nanoseconds", "size": usual}
    return {"unit": "number", "size": float(_mode(np.diff(values.to_numpy(dtype=float))))}


MONTH_AT_LEAST = 27 * DAY        # the fewest nanoseconds of UTC between two local months


BUSINESS_DAYS = "business_days"
CLOSING_DAYS = 3
"""The most weekdays between two rows of business days that are days the market or the
office was closed (holidays: 24-26 December), not missing rows: the next row is the next
step. More are a gap in time (:func:`step_counts`)."""


WEEKENDS_SEEN = 2
WEEKEND_SHARE = 0.02       # rows of business days on a weekend: stray ones, not days


def detect_step_like(times, trained, zone=None):
    """:func:`detect_step` of ``times`` given to a model trained on times ``trained`` apart
    (a step dict; None: none), except that business days given to a model of business
    days step in business days even where they show no weekend (a week's rows), and given
    to a model of days (one saved before business days were told apart, or trained on
    days) step in days, as that model reads them."""
    unit = (trained or {}).get("unit")
    if unit == BUSINESS_DAYS:
        step = business_day_step(times.dropna(), zone, weekend_seen=False)
        if step is not None:
            return step
    step = detect_step(times, zone)
    if unit == "nanoseconds" and (step or {}).get("unit") == BUSINESS_DAYS:
        return {"unit": "nanoseconds", "size": int(_mode(np.diff(nanoseconds(times.dropna()))))}
    return step


def _clock_days(times, zone=None):
    """The dates (datetime64[D]) of the datetimes ``times`` (a Series, none missing) on the
    clocks they were written on (``zone``: :func:`clock_times`)."""
    clocks = clock_times(times, zone)
    if getattr(clocks.dt, "tz", None) is not None:
        clocks = clocks.dt.tz_localize(None)
    return clocks.dt.normalize().to_numpy().astype("datetime64[D]")


def business_day_step(times, zone=None, weekend_seen=True):
    """``{"unit": "business_days", "size": 1}`` when the datetimes ``times`` (a Series in
    time order, none missing) are business days, as stock prices and the sales of an
    office are recorded: each on a weekday (Monday to Friday on the clocks they were
    written on, ``zone``; one, or at most :data:`WEEKEND_SHARE` of them, on a weekend:
    stray rows that :func:`closer_rows_note` names), most a day after the one before, and
    (``weekend_seen``) :data:`WEEKENDS_SEEN` Fridays followed by the Monday after them
    (a few days around one weekend skipped may be days with a gap); else None. Up to
    :data:`CLOSING_DAYS` weekdays between two rows (holidays) are no gap in time."""
    if len(times) < 2:
        return None
    days = _clock_days(times, zone)
    if (~np.is_busday(days)).sum() > max(1, WEEKEND_SHARE * len(days)):
        return None
    apart = np.diff(days).astype(np.int64)
    if _mode(apart) != 1:
        return None
    over_weekend = (apart == 3) & (np.busday_count(days[:-1], days[1:]) == 1)
    return {"unit": BUSINESS_DAYS, "size": 1} \
        if over_weekend.sum() >= WEEKENDS_SEEN or not weekend_seen else None


def _month_step(values):
    """The step in months of ``values`` (datetimes without missing ones) when they are
    :func:`_monthly`, ``month_end`` set where all are month ends; else None."""
    if not _monthly(values):
        return None
    step = {"unit": "months", "size": int(_mode(np.diff(_month_index(values))))}
    if values.dt.is_month_end.all():      # forecasts stay on month ends
        step["month_end"] = True
    return step


def clock_times(times, zone):
    """``times`` (a Series of datetimes read in UTC, without a zone) as the clocks of
    ``zone`` (a tzinfo) show them, with that zone; ``times`` themselves where ``zone`` is
    None or they carry a zone already (those of many series)."""
    if zone is None or getattr(times.dt, "tz", None) is not None:
        return times
    return times.dt.tz_localize("UTC").dt.tz_convert(zone)


def local_clock(times, zone):
    """``times`` (a Series of datetimes read in UTC) as the clocks of ``zone`` show them,
    without a zone: what a person wrote and reads (``2021-01-01 00:00`` for
    ``2020-12-31 23:00`` of UTC written ``+01:00``); ``times`` themselves where ``zone``
    is None or they carry a zone (:func:`clock_times`)."""
    clocks = clock_times(times, zone)
    return times if clocks is times else clocks.dt.tz_localize(None)


def zone_name(zone):
    """The text a step keeps for ``zone``: a zone of the zone database by its name
    (``Europe/Berlin``), a fixed offset as written (``+09:00``)."""
    if isinstance(zone, zoneinfo.ZoneInfo):
        return zone.key
    return offset_text(zone.utcoffset(None).total_seconds())


def offset_text(seconds):
    """An offset from UTC in seconds as written, ``+01:00``."""
    minutes = int(round(seconds / 60))
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def step_words(step):
    """A step dict (:func:`detect_step`) in words: "1 month", "7 days", "1 hour", "15
    minutes", "0.5" (a step of numbers)."""
    from engine.words import counted

    if step["unit"] == "months":
        return counted(int(step["size"]), "month")
    if step["unit"] == BUSINESS_DAYS:
        return counted(int(step["size"]), "business day")
    if step["unit"] != "nanoseconds":
        return f"{float(step['size']):g}"
    size = int(step["size"])
    for unit, nanos in (("day", DAY), ("hour", HOUR), ("minute", 60 * 10 ** 9),
                        ("second", 10 ** 9)):
        if size % nanos == 0:
            return counted(size // nanos, unit)
    return f"{size / 10 ** 9:g} seconds"


STEP_TOLERANCE = 0.05
"""How far apart two steps may be, relative to the second, and still step alike
(:func:`steps_alike`): a day across a change of summer time is 23 or 25 hours of UTC, a
week 167 or 169."""


def steps_alike(step, other, multiples=False):
    """Whether the step dicts ``step`` and ``other`` step alike: of one unit, the sizes
    within :data:`STEP_TOLERANCE` of each other (and a number's last bits), or with
    ``multiples`` of a whole number of ``other``'s (a Friday and a Monday of business
    days, 2003 after 2001: gaps); month ends and zones aside."""
    if step["unit"] != other["unit"] or float(other["size"]) <= 0:
        return False
    ratio = float(step["size"]) / float(other["size"])
    whole = max(round(ratio), 1) if multiples else 1
    return abs(ratio / whole - 1) <= STEP_TOLERANCE


def unlike_step_error(found, trained, whose="The file's times are",
                      give="Give it a file of such times", twelve_days=False):
    """The :class:`EngineError` for data whose times step ``found`` apart, given to a model
    trained on times ``trained`` apart (step dicts, not :func:`steps_alike` even by a whole
    number of steps), whose forecasts would fall on the wrong times; with the hint on dates
    written day first where days were read as months (01/02/2022 to 12/02/2022, month
    first, are twelve months) or, ``twelve_days`` (the times span at most 12 days), months
    as days (01/01/2019 to 01/12/2019 are twelve days)."""
    misread = found["unit"] == "months" != trained["unit"] or (
        twelve_days and trained["unit"] == "months" and found["size"] == DAY)
    hint = (" (Dates such as 01/02/2022 are read month first unless a later one says "
            "otherwise, 13/02/2022: where no day of the file is after the 12th, write the "
            "dates year first, 2022-02-01.)") if misread else ""
    return EngineError(f"{whose} {step_words(found)} apart; the model was trained on times "
                       f"{step_words(trained)} apart, so its forecasts would fall on the "
                       f"wrong times. {give}.{hint}")


def check_step(times, trained, zone=None):
    """Refuse (:func:`unlike_step_error`) the times (a Series, in order) of data given to a
    model trained on times ``trained`` apart (None: no check) when they step in months
    where those did not, or the other way (days for a monthly model; months written day
    first read as days), or further apart but not by a whole number of such steps (gaps);
    a smaller step of the same unit is not refused (irregular data whose most common gap
    is another: rows closer than the step), nor are fewer than two times. Of one series;
    :func:`engine.many.series_data.for_model` checks many."""
    if trained is None:
        return
    found = detect_step_like(times, trained, zone)
    if found is None or (found["unit"] == "number") != (trained["unit"] == "number"):
        return            # a step of numbers for dates: a damaged model, said where read
    if found["unit"] == trained["unit"] and float(found["size"]) < float(trained["size"]):
        return
    if not steps_alike(found, trained, multiples=True):
        span = times.max() - times.min()
        raise unlike_step_error(found, trained, twelve_days=found["unit"] == "nanoseconds"
                                and span <= pd.Timedelta(days=11))


def step_zone(step):
    """The zone (a tzinfo) a step of months was found on (``step["zone"]``,
    :func:`detect_step`), as a model file's header is checked; None for any other step."""
    name = (step or {}).get("zone")
    if name is None:
        return None
    if name[:1] in "+-":
        return pd.Timestamp("2000-01-01T00:00" + name).tzinfo
    return zoneinfo.ZoneInfo(name)


def step_counts(times, step, zone=None):
    """How many steps lie between each row and the one before (float array, NaN at row 0
    and where a timestamp is missing). ``zone``: the zone times read in UTC were written in
    (``frame.attrs["time_zone"]``), on whose clocks months are counted (London's midnights
    on the 1st are 23:00 of the day before in UTC from April to October)."""
    n = len(times)
    counts = np.full(n, np.nan)
    if step is None or n < 2:
        return counts
    if step["unit"] == "months":
        known = times.notna().to_numpy()
        months = np.full(n, np.nan)
        months[known] = _month_index(clock_times(times[known], zone))
        counts[1:] = np.diff(months) / step["size"]
    elif step["unit"] == BUSINESS_DAYS:
        known = times.notna().to_numpy()
        days = np.zeros(n, dtype="datetime64[D]")
        days[known] = _clock_days(times[known], zone)
        both = known[1:] & known[:-1]
        weekdays = np.busday_count(days[:-1][both], days[1:][both])
        closed = (weekdays > 1) & (weekdays <= 1 + CLOSING_DAYS)
        counts[1:][both] = np.where(closed, 1, weekdays) / step["size"]
    elif step["unit"] == "nanoseconds":
        nanos = nanoseconds(times).astype(float)
        nanos[times.isna().to_numpy()] = np.nan
        counts[1:] = np.diff(nanos) / step["size"]
    else:
        counts[1:] = np.diff(times.to_numpy(dtype=float)) / step["size"]
    return counts


def step_positions(times, step, zone=None):
    """Each row's place in whole time steps from the first row (int array): the steps
    between consecutive rows added up, so that the steps a gap in time leaves out count; a
    row without a time (or without a regular ``step``) counts one step. ``zone``: as
    :func:`step_counts`."""
    counts = step_counts(times, step, zone)
    steps = np.where(np.isfinite(counts), np.maximum(np.round(counts), 1), 1)
    if len(steps):
        steps[0] = 0
    return np.cumsum(steps).astype(np.int64)


def gap_before(times, step, zone=None):
    """Boolean array: True at row ``r`` when timestamps are missing between rows ``r-1``
    and ``r`` (or either timestamp is missing); ``zone``: as :func:`step_counts`."""
    counts = step_counts(times, step, zone)
    gaps = ~(counts <= 1.5)
    gaps[0] = False
    return gaps


def gaps_between_times(times, step, zone=None):
    """Boolean array: :func:`gap_before` only where row ``r`` and row ``r-1`` both have a
    time. A row without a time makes no gap: the windows, the recursive forecast, ETS and
    Theta take it for the next step (:meth:`engine.data.preprocessing.Encoded.time_gaps`,
    the classical forecast past the end of the data)."""
    known = times.notna().to_numpy()
    return gap_before(times, step, zone) & known & np.r_[True, known[:-1]]


def add_steps(time, step, k, zone=None):
    """The timestamp ``k`` steps after ``time`` (for labelling forecasts). Months of a time
    column on month ends (``step["month_end"]``, :func:`detect_step`) go to month ends:
    quarter ends stay quarter ends (2009-09-30 then 2009-12-31, not 2009-12-30). ``zone``:
    the zone times read in UTC (``time`` without a zone) were written in
    (:func:`~engine.data.time_zones.written_zone`); in a zone whose offset changes, days
    and months are those of its clocks, as are those of a step found on a zone's clocks
    (:func:`detect_step`); a ``time`` with a zone of its own moves on its clocks. One time
    of :func:`add_steps_each`."""
    if step is None:
        return None
    if getattr(time, "tzinfo", None) is not None:
        return add_steps_each(pd.Series([pd.Timestamp(time)]), step, k).iloc[0]
    if _on_local_clocks(step, zone):
        local = pd.Series([pd.Timestamp(time)]).dt.tz_localize("UTC").dt.tz_convert(zone)
        return add_steps_each(local, step, k).dt.tz_convert("UTC").dt.tz_localize(None).iloc[0]
    return add_steps_each(pd.Series([time]), step, k).iloc[0]


def add_steps_each(times, step, k):
    """The times ``k`` steps after each of ``times`` (a Series, on its index), in one
    computation over the column (:func:`add_steps` is one time of it): a month
    end goes to a month end where ``step["month_end"]``, any other day of the month to
    the same day (or the month's last, when it is shorter). Times in a zone whose offset
    changes (summer time) move by whole days or months of its clocks: midnight stays
    midnight across the change, which 24 hours would make 01:00 (a time the clocks skip
    goes forward to the first they show)."""
    zone = times.dt.tz if pd.api.types.is_datetime64_any_dtype(times) else None
    if _on_local_clocks(step, zone):
        moved = add_steps_each(times.dt.tz_localize(None), step, k)
        return moved.dt.tz_localize(zone, ambiguous=np.ones(len(moved), dtype=bool),
                                    nonexistent="shift_forward")
    try:
        if step["unit"] == "months":
            months = k * step["size"]
            moved = times + pd.DateOffset(months=months)
            if step.get("month_end") and months:
                moved = moved.where(~times.dt.is_month_end, times + pd.offsets.MonthEnd(months))
            return moved
        if step["unit"] == "nanoseconds":
            return times + pd.Timedelta(k * step["size"], unit="ns")
        if step["unit"] == BUSINESS_DAYS:
            return times + pd.offsets.BDay(k * step["size"])
        return times + k * step["size"]
    except (TypeError, ValueError, OverflowError):
        raise EngineError(_no_time_after(times.max(), step, k)) from None


def _on_local_clocks(step, zone):
    """Whether steps of ``step`` in ``zone`` (a tzinfo or None) are counted on its clocks:
    those of a step found on a zone's clocks (``step["zone"]``, :func:`detect_step`; a
    fixed offset too) and business days (in any zone, a fixed offset too), and months or
    whole days in a zone of the zone database, whose offset changes with the date (not a
    fixed offset)."""
    if "zone" in step or step["unit"] == BUSINESS_DAYS:    # weekdays are the clocks' days
        return zone is not None
    return isinstance(zone, zoneinfo.ZoneInfo) and (
        step["unit"] == "months"
        or (step["unit"] == "nanoseconds" and step["size"] % DAY == 0))


def _no_time_after(time, step, k):
    """The refusal of ``k`` steps of ``step`` after ``time`` that give no time."""
    return (f"{k} time steps of {step['size']} {step['unit']} after {time} give no time; the "
            "model's time step does not fit this time column. Use the model with the data it "
            "was trained on, or save it again.")
