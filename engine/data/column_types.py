"""What kind of values each column holds, and the date/time column.

Types: ``numeric`` (numbers), ``binary`` (exactly two distinct values, coded 0/1),
``categorical`` (a few distinct labels, one-hot encoded or unused), ``datetime`` (dates or
times, or the numeric time column such as years), ``constant`` (one value: it carries no
information and is unused) and ``text`` (many distinct labels: unused).
"""

import re
import shlex
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.data.number_text import (FRAME_MARKS, mostly_numbers, number_marks,
                                     numbers_as_written)
from engine.data.time_steps import file_rows
from engine.errors import EngineError
from engine.words import counted

TYPES = ("numeric", "binary", "categorical", "datetime", "constant", "text")
MAX_CATEGORIES = 20          # more distinct labels than this (or > 50% of rows): text
_TIME_NAME = re.compile(r"(date|time|year|month|day|week|quarter|period|hour|stamp|^ds$|^t$)",
                        re.IGNORECASE)
# A numeric column named with such a word is taken for the time when its name starts with it
# ("Year", "time_s", "t") or ends with a calendar one ("fiscal year"), else only when its
# values rise row by row ("unix_timestamp", "elapsed_time"): "response_time",
# "overtime_hours" or "sales_per_year" are measurements.
_TIME_FIRST = re.compile(r"^\W*(date|time|year|month|day|week|quarter|period|hour|stamp|ds\b|t\b)"
                         r"|(?<!per)[\W_](year|date|period)\W*$", re.IGNORECASE)
_SAMPLE = 500
# A time-named numeric column with this share of different values is a time column (a few
# repeats are errors to name); a month or weekday number that repeats every cycle is not.
MOSTLY_DIFFERENT = 0.9


@dataclass
class ColumnInfo:
    """One column's type and what the GUI shows beside it.

    categories : the labels of a binary or categorical column, sorted (as strings for
        text labels, as numbers for numeric ones); for binary, the second is coded 1
    note : a plain-language remark, e.g. why a column is unused
    time_part : the column is the year or the quarter (month) of a time written in two
        columns (:mod:`~engine.data.year_period`): unused unless chosen
    """

    name: str
    type: str
    n_missing: int = 0
    categories: list = field(default_factory=list)
    note: str = ""
    time_part: bool = False


def _plain(values):
    """Python scalars (JSON-able) from NumPy scalars."""
    return [v.item() if hasattr(v, "item") else v for v in values]


def _whole_with_gaps(values):
    """Whether the column ``values`` (rows,) is of decimals that has empty cells and whose
    other cells are all whole: codes ``1``, ``2`` read as ``1.0``, ``2.0`` because a cell is
    empty, which are ``1`` and ``2`` as the column gives them without the empty cells."""
    known = values.notna()
    numbers = values[known]
    return (pd.api.types.is_float_dtype(values) and not known.all()
            and bool((numbers.abs() < WHOLE_DIGITS).all())
            and bool((numbers % 1 == 0).all()))


WHOLE_DIGITS = 2.0 ** 53
"""Whole numbers a decimal holds exactly: beyond, ``1e20`` is kept as written, not as its
21 digits."""


def static_text(values):
    """The static column ``values`` (rows,) as the labels a series is named by: text, the
    empty cells missing. A column of decimals that has empty cells and whose other cells
    are all whole (codes ``1``, ``2`` read as ``1.0``, ``2.0`` because a cell is empty) gives
    its whole numbers (``'1'``, ``'2'``), as the column does without the empty cells."""
    known = values.notna()
    numbers = values[known]
    whole = _whole_with_gaps(values)
    texts = numbers.map(lambda v: str(int(v))) if whole else numbers.astype(str)
    column = pd.Series(np.nan, index=values.index, dtype=object, name=values.name)
    column[known.to_numpy()] = texts.to_numpy()
    return column


def _parses_as_time(series, marks=(".", "")):
    """Whether the text column ``series`` holds dates or times (95% of its first
    :data:`_SAMPLE` values read as such). Plain numbers are no dates, nor is a column of
    numbers as the file writes them (``marks``: its decimal mark and thousands separator)
    but for a few typos: ``0,5`` or ``100,000`` beside ``abc`` in a file of decimal
    commas, which the date parser would read."""
    values = series.dropna()
    if values.empty:
        return False
    sample = values.iloc[:_SAMPLE].astype(str)
    if sample.str.fullmatch(r"\s*[-+]?\d+([.,]\d+)?\s*").all() or \
            mostly_numbers(sample, *marks, limit=None):
        return False                      # plain numbers are not dates
    parsed = read_dates(sample)
    return parsed.notna().mean() >= 0.95


_DOTTED_DATE = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b")
AMBIGUOUS_DATE = re.compile(r"^\s*(0?[1-9]|1[0-2])[/.-](0?[1-9]|1[0-2])[/.-]\d{2,4}\b")
"""A date whose day and month could be either way round (01/02/2020)."""
EVENER = 2.0
"""How many times evener (:func:`_steps_spread`) the other day order must read a column
whose every date both orders read, for :func:`read_dates` to take it."""


def _steps_spread(parsed):
    """The longest step between the distinct times of ``parsed`` over the shortest (inf
    with fewer than two steps): 1 for days or hours, about 1.1 for months."""
    times = np.unique(parsed.dropna().to_numpy().astype("datetime64[ns]").astype(np.int64))
    steps = np.diff(times)
    return float(steps.max() / steps.min()) if len(steps) >= 2 else float("inf")


def _more_even(parsed, other, series):
    """``parsed`` (a whole column read in the usual day order), or ``other`` (read in the
    other order) when that reads every value too and its steps are :data:`EVENER` times
    evener: monthly dates on the 1st written day first (01/02/2016, 01/03/2016, ...) read
    month first as days 2, 3, ... of January, then a step of most of a year."""
    if (other.isna() & series.notna()).any():
        return parsed
    return other if _steps_spread(other) * EVENER < _steps_spread(parsed) else parsed


def read_dates(series, day_first=None):
    """``series`` as datetimes (NaT where a value is no date). Ambiguous dates such as
    01/02/2020 are read month first, as pandas does, unless that leaves values unread
    which reading day first reads (31/12/2020 further down the column); dates with
    points (01.02.2020) are read day first, unless that leaves more values unread.
    pandas reads every value in the format of the first; when both orders leave values
    unread, the ISO 8601 forms are tried (a midnight written as the date alone beside
    ``2021-03-01 01:00:00``); the values still unread, when they are fewer than half, are
    read in the ISO forms (an ISO date among 01/02/2021), then each in its own form, in
    the day order of the reading that read the most. When both orders read every value
    of a column that starts with an ambiguous date, the order whose steps are far evener
    is taken (:func:`_more_even`: monthly dates written 01/02/2016, day first).
    ``day_first``: the day order to try first (None: month first, or day first for dates
    with points)."""
    quarters = read_quarters(series)
    if quarters is not None:
        return quarters
    series = whole_offsets(series)
    first = series.dropna()
    if day_first is None:
        day_first = not first.empty and bool(_DOTTED_DATE.match(str(first.iloc[0])))
    best, fewest, order = None, None, day_first
    for dayfirst, form in ((day_first, None), (not day_first, None), (day_first, "ISO8601")):
        parsed = _parse_dates(series, dayfirst, form)
        unread = parsed.isna() & series.notna()
        if not unread.any():
            if form is None and dayfirst == day_first and AMBIGUOUS_DATE.match(
                    str(first.iloc[0])):
                return _more_even(parsed, _parse_dates(series, not day_first), series)
            return parsed
        if best is None or int(unread.sum()) < fewest:
            best, fewest = parsed, int(unread.sum())
            order = dayfirst if form is None else order
    if fewest > series.notna().sum() / 2:
        return best                       # mostly no dates: not worth reading one by one
    best = best.copy()
    unread = best.isna() & series.notna()  # 2021-02-03 among 01/02/2021: ISO, not y-d-m
    best[unread] = _parse_dates(series[unread], order, "ISO8601")
    unread = best.isna() & series.notna()
    if unread.any():                      # the rest read as a column of their own, in one
        best[unread] = _rest_read(series[unread], order)     # day order (04/01, 18/01)
    return best


def _rest_read(rest, order):
    """The values ``rest`` that the readings of their whole column left unread, read as a
    column of their own (:func:`read_dates`: one day order for all, ``order`` (that of the
    reading that read the most) unless another reads them, so that ``04/01/2021`` beside
    ``18/01/2021`` is the 4th of January), and those it leaves unread each in its own
    form, in the day order ``order``."""
    read = read_dates(rest, order) if len(rest) > 1 else \
        rest.iloc[:0].astype("datetime64[ns]")
    read = read.reindex(rest.index)
    left = read.isna()
    if left.any():
        read[left] = _parse_dates(rest[left], order, "mixed")
    return read


_SHORT_OFFSET = re.compile(
    r"((?::\d\d)?\.\d+|:\d\d)\s*([+-])(\d{1,2})(?::?(\d\d))?\s*$")
"""An offset after a time of day, ``13:00+1``, ``13:00:00+01``, ``13:00+1:00`` as much as
``13:00+01:00``; or after a fraction of a second (``.123456789+01``: the end of a text that
:func:`whole_offsets` reads may start inside it)."""

def whole_offsets(series):
    """``series`` with the offsets written after its times of day (:data:`_SHORT_OFFSET`)
    rewritten ``+01:00`` when some of its first or last 20 texts write one in hours alone or
    with one digit (``+1``, ``+01``, ``+1:00``): pandas reads a column in the format of its
    first value only with whole offsets, else each value alone, ``08/04/2021 00:00+02``
    month first beside ``20/03/2021 00:00+01`` day first. Cells that hold no text, and
    anything else, as they are. Each different end of a text (its last
    :data:`OFFSET_END` characters) is rewritten once."""
    if series.dtype != object and not pd.api.types.is_string_dtype(series):
        return series
    ends = pd.concat([series.head(20), series.tail(20)]).dropna().astype(str)
    found = ends.str.extract(_SHORT_OFFSET)
    if not (found[2].str.len().eq(1) | (found[2].notna() & found[3].isna())).any():
        return series
    texts = series.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    written = series[texts].astype(str)
    codes, unique = pd.factorize(written.str[-OFFSET_END:])
    rewritten = np.array([_SHORT_OFFSET.sub(_whole_offset, end) for end in unique],
                         dtype=object)
    series = series.copy()
    series[texts] = written.str[:-OFFSET_END] + rewritten[codes]
    return series


OFFSET_END = 16
"""The characters at the end of a time's text that hold its offset and the minutes, or
the fraction of a second, before it: ``00:00.123+1``, ``.123456789+01:00``."""


def _whole_offset(match):
    """The offset of ``match`` (of :data:`_SHORT_OFFSET`) written whole, ``+01:00``."""
    minutes = match.group(4) or "00"
    return f"{match.group(1)}{match.group(2)}{int(match.group(3)):02d}:{minutes}"


_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def read_quarters(series):
    """``series`` of quarters written ``1990-Q1`` (or ``1990Q1``) as the datetimes of
    their first days, read here rather than by pandas, whose reading of them is to go;
    None when a value is no such quarter (the first written decides alone when it is
    none, before the column is read)."""
    known = series.notna().to_numpy()
    if not known.any() or not _QUARTER.match(str(series.iloc[int(np.argmax(known))])):
        return None
    texts = series.dropna().astype(str)
    found = texts.str.extract(_QUARTER)
    if texts.empty or found.isna().any().any():
        return None
    starts = pd.to_datetime({"year": found[0].astype(int),
                             "month": 3 * found[1].astype(int) - 2, "day": 1})
    return pd.Series(starts, index=texts.index).reindex(series.index)


def _parse_dates(series, dayfirst, form=None):
    """``series`` as datetimes without a time zone, read in the format ``form`` (None: that
    of the first value; ``"ISO8601"``, ``"mixed"``): times with one (``...Z``, ``+01:00``,
    `` UTC``) are read in UTC, so that a log across a change of summer time stays evenly
    spaced; times without one as they are."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(series, errors="coerce", dayfirst=dayfirst, utc=True,
                                    format=form)
        except (ValueError, TypeError, OverflowError):
            if form == "mixed":
                parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns, UTC]")
            else:
                return _parse_dates(series, dayfirst, "mixed")
    return parsed.dt.tz_convert(None)


def detect_time_column(frame, options=None):
    """The name of the first column that holds dates/times (numbers written with the
    decimal mark and thousands separator of the CSV ``options`` are none), or else of the
    first numeric column whose name says time (year, date, time, ...; :data:`_TIME_FIRST`,
    or anywhere in the name when the values rise row by row) and whose values are nearly
    all different (a share of at least :data:`MOSTLY_DIFFERENT`: the reader sorts rows out
    of order and refuses a repeated time, naming it); None.
    """
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            return name
        if (column.dtype == object or pd.api.types.is_string_dtype(column)) \
                and _parses_as_time(column, number_marks(options)):
            return name
    for name in frame.columns:
        column = frame[name]
        if _TIME_NAME.search(str(name)) and pd.api.types.is_numeric_dtype(column) \
                and not pd.api.types.is_bool_dtype(column):
            values = column.to_numpy()
            if len(values) > 1 and np.all(np.isfinite(values)) \
                    and len(np.unique(values)) >= MOSTLY_DIFFERENT * len(values) \
                    and (_TIME_FIRST.search(str(name)) or _mostly_rising(values)):
                return name
    return None


def _mostly_rising(values):
    """Whether ``values`` rise from row to row but for a few (:data:`MOSTLY_DIFFERENT` of
    the steps): a column of times as a file lists them, not a measurement such as a
    response time."""
    return float(np.mean(np.diff(values) > 0)) >= MOSTLY_DIFFERENT


def time_within_series(frame, series_column, names=None, options=None):
    """The time column of a table of many series, whose times repeat from series to series:
    the first of ``names`` (default: every column but ``series_column``) that holds dates
    or times, else the first numeric one named for the time (a year, a step) whose values
    are nearly all different within each series (a share of :data:`MOSTLY_DIFFERENT`);
    None. ``options``: the CSV options the file was read with (its numbers are no dates)."""
    names = [n for n in (frame.columns if names is None else names) if n != series_column]
    found = detect_time_column(frame[names], options)
    if found is not None and not pd.api.types.is_numeric_dtype(frame[found]):
        return found
    groups = frame[series_column]
    for name in names:
        column = frame[name]
        if not _TIME_FIRST.search(str(name)) or not pd.api.types.is_numeric_dtype(column) \
                or pd.api.types.is_bool_dtype(column) or not np.isfinite(column).all():
            continue
        distinct = int(column.groupby(groups.to_numpy()).nunique().sum())
        if len(column) > 1 and distinct >= MOSTLY_DIFFERENT * len(column):
            return name
    return None


SERIES_ADVICE = {
    "command_line": "Fit it as many series with rnn-studio fit {data} --series {series} "
                    "--time {time} --target COL --out MODEL",
    "window": "Give {series!r} the role Series and {time!r} the role Time in step 2"}
"""How :func:`repeated_time_note` says to read such a file as many series, in the words of
each front end (:data:`~engine.testing.verdict.COMMAND_LINE`,
:data:`~engine.testing.verdict.WINDOW`): ``{series}`` names the series, ``{time}`` is the
time, ``{data}`` the file; the command line's quoted for a shell."""


def repeated_time_note(frame, front="command_line", path=None):
    """A sentence when the file looks like several series one after the other (a panel): a
    column whose name says time (year, date, ...) holds numbers that go back to earlier
    values, and a column of text changes its value exactly where they do (the series'
    names); else None. Such a file is read as one series unless a column names them; the
    sentence says how to name it in the words of ``front`` (:data:`SERIES_ADVICE`; the
    file named ``path`` as it was given, DATA.csv without it)."""
    for name in frame.columns:
        column = frame[name]
        if not _TIME_NAME.search(str(name)) or not pd.api.types.is_numeric_dtype(column) \
                or pd.api.types.is_bool_dtype(column) or column.isna().any():
            continue
        back = np.flatnonzero(np.diff(column.to_numpy(dtype=float)) <= 0) + 1
        if back.size == 0:
            continue
        for other in frame.columns:
            labels = frame[other]
            if other == name or not (labels.dtype == object or
                                     pd.api.types.is_string_dtype(labels)):
                continue
            changes = np.flatnonzero(labels.to_numpy()[1:] != labels.to_numpy()[:-1]) + 1
            if np.array_equal(changes, back):
                return (f"The file looks like several series one after the other: "
                        f"{other!r} changes where {name!r} starts again. "
                        f"{_series_advice(other, name, front, path)}; read as it is, the "
                        "file is one series without a time column.")
    return None


SERIES_RUN_ROWS = 10
"""The fewest rows a name of :func:`series_runs_note`'s column holds on average."""

SERIES_ONLY_ADVICE = {
    "command_line": "Fit it as many series with rnn-studio fit {data} --series {series} "
                    "--target COL --out MODEL",
    "window": "Give {series!r} the role Series in step 2"}
""":data:`SERIES_ADVICE` for a file without a time column."""


def series_runs_note(frame, front="command_line", path=None):
    """A sentence when a file read without a time column may hold several series one after
    the other: a column of text holds two or more names, each on one run of rows
    (:data:`SERIES_RUN_ROWS` or more on average), beside a column of numbers; else None.
    Read without ``--series`` (the role Series), such a file is one series whose names
    are an input, and its windows run from one series into the next. A column of one
    series' phases (warm-up, run) looks the same, so the sentence says "may" and gives the
    runs' lengths; it says how to read the file as many series in the words of ``front``,
    naming the file ``path``."""
    if not any(pd.api.types.is_numeric_dtype(frame[c]) and
               not pd.api.types.is_bool_dtype(frame[c]) for c in frame.columns):
        return None
    for name in frame.columns:
        labels = frame[name]
        if not (labels.dtype == object or pd.api.types.is_string_dtype(labels)) or \
                labels.isna().any():
            continue
        values = labels.to_numpy()
        starts = np.r_[0, np.flatnonzero(values[1:] != values[:-1]) + 1, len(values)]
        runs = len(starts) - 1
        if runs < 2 or len(values) < SERIES_RUN_ROWS * runs or labels.nunique() != runs:
            continue
        lengths = np.diff(starts)
        rows = f"{lengths.min():,} to {lengths.max():,} rows" \
            if lengths.min() < lengths.max() else f"{lengths.min():,} rows each"
        advice = _series_advice(name, None, front, path, SERIES_ONLY_ADVICE)
        return (f"The file may hold several series one after the other: {name!r} holds "
                f"{runs:,} names, each on one run of rows ({rows}). If it does: "
                f"{advice[:1].lower()}{advice[1:]}; read as it is, the file is one series "
                f"and {name!r} one of its inputs.")
    return None


def several_series_note(frame, front="command_line", path=None):
    """The note on a file read without a time column that looks like several series one
    after the other: :func:`repeated_time_note`, else :func:`series_runs_note`; None."""
    return repeated_time_note(frame, front, path) or series_runs_note(frame, front, path)


def _series_advice(series, time, front, path=None, advice=SERIES_ADVICE):
    """``advice`` (:data:`SERIES_ADVICE`) of ``front`` for the columns ``series`` and
    ``time`` of the file ``path`` (None: DATA.csv)."""
    data = "DATA.csv" if path is None else shlex.quote(str(path))
    if front == "command_line":
        series, time = shlex.quote(str(series)), shlex.quote(str(time))
    return advice[front].format(series=series, time=time, data=data)


_ZONE = re.compile(r"\s*(Z|CTU|TMG|(\d{2}:?\d{2}|\d{2}:\d|\d{1,2})[+-])\s*((\d+[.,])?\d{2}:)?"
                   r"\d{2}:\d",
                   re.IGNORECASE)
r"""A time of day with a zone or an offset at the end of a text, read backwards from its end
(matched at the start of the reversed text, so that no search runs along it): the text
ends in ``\d:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|UTC|GMT|[+-](\d{2}:?\d{2}|\d:\d{2}|\d{1,2}))\s*``
(15-03-2021 ends in none, 13:00+01:00, 13:00+1:00, 13:00+01, 13:00+1 and 13:00 UTC do:
pandas reads the offset of each)."""


def _zoned(text):
    """Whether ``text`` ends in a time of day with a zone or offset (:data:`_ZONE`)."""
    return _ZONE.match(text[::-1]) is not None


def _written(text):
    """Whether ``text`` (a cell of a time column) is a time written: a text, not blank."""
    return isinstance(text, str) and bool(text.strip())


def _last_written(values):
    """The position of the last of ``values`` (indexed by position) that is written
    (:func:`_written`), read back from the end until one is; None when none is."""
    return next((k for k in range(len(values) - 1, -1, -1) if _written(values[k])), None)


def written_with_zone(texts):
    """Whether times written as ``texts`` carry a time zone (``...Z``, ``+02:00``,
    `` UTC``), as the last of them written does: they are then read in UTC
    (:func:`_parse_dates`), and times written from them are marked as such."""
    values = texts.array if isinstance(texts, (pd.Series, pd.Index)) else list(texts)
    last = _last_written(values)
    return last is not None and _zoned(values[last])


def _latest_written(values, times, last):
    """The position of the latest of ``times`` (a Series on the positions of ``values``)
    whose text in ``values`` is written (:func:`_written`), the first of equal ones;
    ``last`` when none of them is known. The latest of all times is looked at first: the
    texts are read one by one only when its cell is blank."""
    known = times.reset_index(drop=True).dropna()
    if known.empty:
        return last
    latest = int(known.idxmax())
    if _written(values[latest]):
        return latest
    written = np.fromiter(map(_written, values), dtype=bool, count=len(values))
    known = known[written[known.index.to_numpy()]]
    return int(known.idxmax()) if len(known) else last


def last_time_zone(texts, times=None):
    """The offset from UTC (a fixed ``datetime.timezone``) that the latest of the times
    written as ``texts`` (a Series) carries, the latest by ``times`` (the same times read,
    on the same index; None: the last time written); UTC for a time written with a zone
    but no offset (``Z``, `` UTC``) or one that cannot be read alone. Times read in UTC
    (:func:`written_with_zone`) are written in it, so that a forecast of times written
    ``+01:00`` reads as the file does."""
    from datetime import timezone

    values = texts.array
    at = _last_written(values)
    if times is not None and at is not None:
        at = _latest_written(values, times.reindex(texts.index), at)
    try:
        offset = pd.Timestamp(values[at].strip()).utcoffset() if at is not None else None
    except (ValueError, TypeError, OverflowError):
        offset = None
    return timezone(offset) if offset is not None else timezone.utc


def _zone_kinds(texts):
    """(n,) int8, one for each of ``texts`` (a Series): 1 for a time written with a zone or
    an offset (:func:`_zoned`), 0 for one written without, -1 where none is written (an
    empty cell, a blank text); one pass over the column."""
    return np.array([-1 if not _written(t) else 1 if _zoned(t) else 0
                     for t in texts.to_numpy(dtype=object)], dtype=np.int8)


_ZONED_AT = re.compile("\x00(?:" + _ZONE.pattern + ")", _ZONE.flags)
_PLAIN_AT = re.compile("\x00(?!" + _ZONE.pattern + r")(?!\s*(?:\x00|\Z))", _ZONE.flags)
"""A time written with a zone or an offset (:data:`_ZONE`), and one written without (not
blank), at the start of a text of :func:`_backwards`, after its mark."""


def _backwards(texts):
    """The texts of ``texts`` (a Series; an empty text for a cell that holds none) joined,
    each after the mark ``"\\x00"``, and read backwards: one text, in which one search of
    :data:`_ZONED_AT` or :data:`_PLAIN_AT` tells whether any time of the column is of its
    kind (no pattern reads across the mark). None when a text holds the mark itself."""
    values = [t if isinstance(t, str) else "" for t in texts.to_numpy(dtype=object)]
    joined = "\x00" + "\x00".join(values)[::-1]
    return joined if joined.count("\x00") == len(values) else None


def mixed_zones(texts, backwards=None):
    """``(zoned, plain)``: the rows (0-based, in the column's order) of the first time of
    ``texts`` (a Series of text) written with a zone or an offset and of the first written
    without, when the column mixes both (their moments cannot be told apart: a time without
    a zone is no moment); None when it does not. Every time is checked, the column first
    in one search for each kind (:func:`_backwards`, given as ``backwards`` when built
    already), the rows only of a mix."""
    backwards = _backwards(texts) if backwards is None else backwards
    if backwards is not None and not (_ZONED_AT.search(backwards)
                                      and _PLAIN_AT.search(backwards)):
        return None
    kinds = _zone_kinds(texts)
    if not ((kinds == 1).any() and (kinds == 0).any()):
        return None
    return int(np.argmax(kinds == 1)), int(np.argmax(kinds == 0))


_AFTER_UTC = re.compile(r"(UTC|GMT)\s*[+-][\d:]{1,5}\s*$", re.IGNORECASE)
_AFTER_UTC_AT = re.compile(r"\x00\s*[\d:]{1,5}[+-]\s*(CTU|TMG)", re.IGNORECASE)
"""An offset written after UTC or GMT (``13:00 UTC+01``) at the end of a time, read
forwards, and at the start of a text of :func:`_backwards`, after its mark."""


def _refuse_offset_after_utc(texts, name, backwards):
    """Raise an EngineError naming the first time of the column ``name`` (``texts``) whose
    offset is written after UTC or GMT (:data:`_AFTER_UTC`): the date parser reads its sign
    reversed, as POSIX zones are (``UTC+01`` as an hour behind UTC, where it means one
    ahead). ``backwards``: the column's :func:`_backwards` (None: every text read)."""
    if backwards is not None and not _AFTER_UTC_AT.search(backwards):
        return
    found = [row for row, text in enumerate(texts.to_numpy(dtype=object))
             if isinstance(text, str) and _AFTER_UTC.search(text)]
    if found:
        text = texts.iloc[found[0]]
        raise EngineError(f"The time column {name!r} writes an offset after UTC or GMT (row "
                          f"{found[0]}: {text!r}), which is read with its sign reversed, "
                          "as one hour behind UTC for UTC+01. Write the offset alone after "
                          "the time (13:00+01:00 for 13:00 UTC+01), or every time in UTC, "
                          "and load the file again.")


def refuse_mixed_zones(texts, name, advice=""):
    """Raise an EngineError when the time column ``name`` (``texts``, a Series of text)
    mixes times written with a zone or offset and times without (:func:`mixed_zones`),
    naming the first row of each kind (0-based, in the column's order) and its time, then
    ``advice`` (what else can be done than to write every time with its offset or every
    one in UTC; "": nothing else)."""
    backwards = _backwards(texts)
    _refuse_offset_after_utc(texts, name, backwards)
    rows = mixed_zones(texts, backwards)
    if rows:
        zoned, plain = rows
        also = f", {advice}" if advice else ""
        raise EngineError(f"The time column {name!r} mixes times written with a zone or "
                          f"offset (the first in row {zoned}: {texts.iloc[zoned]!r}) and "
                          f"times written without (the first in row {plain}: "
                          f"{texts.iloc[plain]!r}); write every time with its offset from "
                          f"UTC, or every one in UTC{also}.")


def parse_time(series, name, no_time=None):
    """The time column as datetimes (or as numbers, when it holds plain numbers such as
    years). Raises an EngineError naming the first value that is not a date, or one time
    with a zone and one without when it mixes both (:func:`refuse_mixed_zones`: read in
    UTC, the plain ones would be taken as UTC times, silently). ``no_time``: how to read
    the file without a time column instead, in the words of the front end that reads it
    (:func:`~engine.data.time_steps.no_time_words`; None: no such choice)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series
    refuse_mixed_zones(series, name, f"or {no_time}" if no_time else "")
    parsed = read_dates(series)
    bad = parsed.isna() & series.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        other = f", or {no_time}" if no_time else ""
        raise EngineError(f"Column {name!r} is used as the time column but row {row} holds "
                          f"{series.iloc[row]!r}, which is not a date or time. Correct the "
                          f"value{other}.")
    return parsed


def classify_column(series, name=None, is_time=False, options=None, rows=None):
    """The :class:`ColumnInfo` of one column. ``options``: the CSV options the file was
    read with, whose decimal mark and thousands separator its numbers are written in
    (``1,5``: None, a decimal point); ``rows``: the data row of the file of each cell
    (:func:`~engine.data.time_steps.file_rows`; None: the series' index), by which a typo
    is named."""
    name = str(series.name if name is None else name)
    n_missing = int(series.isna().sum())
    if is_time or pd.api.types.is_datetime64_any_dtype(series):
        return ColumnInfo(name, "datetime", n_missing, note="date/time column")
    values = series.dropna()
    if values.empty:
        return ColumnInfo(name, "constant", n_missing,
                          note="every value is missing, so the column is not used")
    numeric = pd.api.types.is_numeric_dtype(series)
    if not numeric:
        converted = pd.to_numeric(values, errors="coerce")
        if converted.notna().all():
            values, numeric = converted, True
    if pd.api.types.is_bool_dtype(values):
        values, numeric = values.astype(np.int8), True
    distinct = pd.unique(values.to_numpy())
    count = len(distinct)
    if count <= 2 and _whole_with_gaps(series):     # labels 1 and 2, not 1.0 and 2.0
        distinct = [int(v) for v in distinct]
    if count == 1:
        return ColumnInfo(name, "constant", n_missing, _plain(distinct),
                          note=f"every value is {_plain(distinct)[0]!r}, so the column "
                               "carries no information and is not used")
    marks = number_marks(options)
    rows = series.index.to_numpy() if rows is None else rows
    typo = None if numeric else _typo_note(series, marks, rows)
    if typo and not _codes_and_a_label(values, marks):     # 0,5 and 1,5 with a typo too
        return ColumnInfo(name, "text", n_missing, note=typo)
    comma = None if numeric else _comma_note(series, options, rows)
    if comma:
        return ColumnInfo(name, "text", n_missing, note=comma)
    if count == 2:
        labels = sorted(_plain(distinct), key=lambda v: (isinstance(v, str), v))
        return ColumnInfo(name, "binary", n_missing, labels,
                          note=f"two values: {labels[0]!r} is coded 0, {labels[1]!r} is 1")
    if numeric:
        return ColumnInfo(name, "numeric", n_missing)
    if _parses_as_time(values, marks):
        return ColumnInfo(name, "datetime", n_missing, note="dates/times; not used as an input")
    if count <= MAX_CATEGORIES and count <= 0.5 * len(values):
        labels = sorted(str(v) for v in distinct)
        return ColumnInfo(name, "categorical", n_missing, labels,
                          note=f"{count} labels, one-hot encoded as {count} inputs")
    return ColumnInfo(name, "text", n_missing,
                      note=typo or f"text with {count} different values, so it is not used")


def _comma_note(series, options, rows):
    """The note of a column of text that is numbers written with a comma (``1,5``,
    ``1.234,5``, ``1,234.5``) where no CSV file gave the marks (``options`` without a
    decimal mark: a data frame read by ``pd.read_csv`` without them, given to
    :func:`~engine.data.pipeline.load_table`), naming the first by its row; None for any
    other column, and without ``options``."""
    if options is None or options.decimal is not None:
        return None
    written = series.astype(str).str.contains(",", regex=False)
    comma = np.flatnonzero((series.notna() & written).to_numpy())
    if not comma.size or not any(mostly_numbers(series, *marks, limit=None)
                                 for marks in ((",", "."), (".", ","))):
        return None
    return (f"numbers written with a comma, e.g. data row {rows[comma[0]]} holds "
            f"{series.iloc[comma[0]]!r}, read as text: {FRAME_MARKS}")


def _codes_and_a_label(values, marks):
    """Whether ``values`` (a column of numbers but for a few cells, written with
    ``marks``) are whole numbers beside a text written more than once (``1``, ``2``, ``3``
    and ``other``): codes and a label, which a column of few values holds as labels, not
    numbers with a typo (a typo is written once; a measurement such as ``0,5`` is no
    code)."""
    numbers, wrong = numbers_as_written(values, *marks)
    whole = bool((numbers[~wrong].dropna() % 1 == 0).all())
    return whole and bool(values[wrong].astype(str).duplicated().any())


def _typo_note(series, marks, rows):
    """The note of a column of numbers but for a few cells (typos: :func:`mostly_numbers`
    as written with ``marks``, the file's decimal mark and thousands separator), naming
    the first by its data row in the file (``rows``, one for each cell); None for any
    other column."""
    if not mostly_numbers(series, *marks, limit=None):
        return None
    bad = np.flatnonzero(numbers_as_written(series, *marks)[1])
    if bad.size:
        return (f"numbers but for {counted(bad.size, 'cell')}, e.g. data row {rows[bad[0]]} "
                f"holds {series.iloc[bad[0]]!r}: correct or empty them to use the column "
                "as numbers")
    return None


def label_matches(column, label):
    """(n,) bool: the cells of ``column`` (a Series) that hold the category ``label`` (a
    text): as text, or, in a column pandas read as numbers, as numbers, so that a column of
    codes with an empty cell, read as decimals (``1.0``), holds the label ``1`` of the
    column read without it. A column of text keeps its texts apart (``01`` is not ``1``)."""
    same = (column.astype("string") == label).fillna(False).to_numpy(dtype=bool)
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column) or \
            not isinstance(label, str) or not NUMBER_TEXT.fullmatch(label):
        return same
    return same | (column.to_numpy(dtype=float, na_value=np.nan) == float(label))


NUMBER_TEXT = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)
"""A label that is a number as pandas reads one from a CSV file (``1``, ``-2.5``, ``1e3``;
not ``1_000`` nor ``１``, which :func:`float` takes)."""


def binary_codes(column, categories):
    """A binary column (a Series) as numbers (n,): 0 for ``categories[0]``, 1 for
    ``categories[1]`` (labels compared as text, or numbers as numbers), NaN otherwise. Rows
    that hold one label alone (the rows before a backtest's origin, of a file whose second
    label comes later) give one category: its rows read 0, any other label NaN (unknown)."""
    codes = list(enumerate(categories[:2]))
    if all(isinstance(c, str) for c in categories):
        out = np.full(len(column), np.nan)
        for code, label in codes:
            out[label_matches(column, label)] = code
        return out
    x = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    out = np.full(len(x), np.nan)
    for code, value in codes:
        out[x == value] = code
    return out


def column_numbers(series):
    """A column as numbers (float array): numbers (and booleans) as they are; a column of
    two labels coded as :func:`classify_column` codes it (the first label 0, the second 1);
    NaN for every other cell. What the statistics of a binary text target read."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float).to_numpy()
    numbers = pd.to_numeric(series, errors="coerce")
    if numbers.notna().any() or pd.api.types.is_numeric_dtype(series):
        return numbers.to_numpy(dtype=float)
    info = classify_column(series)
    if info.type != "binary":
        return numbers.to_numpy(dtype=float)
    return binary_codes(series, info.categories)


def not_a_target(name, kind, columns=()):
    """Why column ``name``, of type ``kind``, cannot be a target, in one sentence: the
    first cell that is no number when the column is numbers but for a few (its note in
    ``columns``, :class:`ColumnInfo` of the table), else its type."""
    note = next((c.note for c in columns if c.name == name), "") or ""
    if kind == "text" and note.startswith("numbers "):
        return f"Column {name!r} holds {note}."
    if note.startswith("every value is missing"):
        return (f"Column {name!r} holds no values (every cell is empty), so it cannot be a "
                "target; check that the file was read with the right delimiter, or choose "
                "another column.")
    return (f"Column {name!r} holds {kind} values, so it cannot be a target; choose a "
            "numeric column" + (" or make it an input (one-hot)." if kind == "categorical"
                                else "."))


def classify_columns(frame, time_column=None, options=None):
    """ColumnInfo for every column of ``frame`` (as :func:`~engine.data.csv_reader.read_csv`
    read it with the CSV ``options``, whose marks its numbers are written with), in column
    order; a typo named by its data row in the file. The year and the quarter (month) of a
    ``time_column`` built from two columns are marked ``time_part``."""
    from engine.data.year_period import named_year_period

    rows = file_rows(frame)
    infos = [classify_column(frame[name], name, name == time_column, options, rows)
             for name in frame.columns]
    parts = named_year_period(time_column, frame.columns) if time_column else None
    if parts is not None:
        for info in infos:
            if info.name in (parts.year, parts.period):
                info.time_part = True
                info.note = (f"read with the {'year' if info.name == parts.year else parts.unit}"
                             f" as the time column {parts.name!r}, so not used unless chosen")
    return infos
