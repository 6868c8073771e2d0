"""A time written in two columns: a year and a quarter, or a year and a month.

Official statistics often write the time as ``year,quarter`` (1972, 2) or ``Year,Month``
(2020, 7 or 2020, Jul). Read together, the two columns are one time: the start date of each
period, ``date(year, 3 * (quarter - 1) + 1, 1)`` for a quarter, ``date(year, month, 1)``
for a month, so that the calendar step (quarterly: a season of 4; monthly: 12) is found as
for a column of dates.

The time column so built is named ``"{year}-{period}"`` after the two columns (e.g.
``year-quarter``), placed first; the name alone says how to build it again, so that a
project, a model file or the command line (``--time year-quarter``) that keeps the name
reads any file with the two columns the same way. A file that has a column of that name
already reads that column instead.
"""

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from engine.data.time_steps import file_rows
from engine.errors import EngineError

YEAR_NAME = re.compile(r"^\W*(year|yr|yyyy|jahr|ann[ée]e|a[ñn]o|anno|jaar|år)\W*$",
                       re.IGNORECASE)
QUARTER_NAME = re.compile(r"^\W*(quarter|qtr|q|quartal|trimestre|kwartaal|kvartal)\W*$",
                          re.IGNORECASE)
MONTH_NAME = re.compile(r"^\W*(month|mon|mth|monat|mois|mes|mese|maand|m[åa]nad)\W*$",
                        re.IGNORECASE)
# Years that datetimes of nanoseconds hold (pandas: 1677-09-21 to 2262-04-11)
FIRST_YEAR, LAST_YEAR = pd.Timestamp.min.year + 1, pd.Timestamp.max.year - 1
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]


@dataclass(frozen=True)
class YearPeriod:
    """The two columns of a time: ``year`` (its name), ``period`` (the quarter's or
    month's) and ``per_year`` (4 or 12)."""

    year: str
    period: str
    per_year: int

    @property
    def name(self):
        """The name of the time column built from the two."""
        return f"{self.year}-{self.period}"

    @property
    def unit(self):
        return "quarter" if self.per_year == 4 else "month"


def _kind(name):
    """4 for a column named like a quarter, 12 for one named like a month, else None."""
    if QUARTER_NAME.match(str(name)):
        return 4
    return 12 if MONTH_NAME.match(str(name)) else None


def years(column):
    """The column as whole years (an int array), or None when a value is missing, not a
    whole number or outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return None
    values = column.to_numpy(dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values % 1 != 0) or \
            np.any(values < FIRST_YEAR) or np.any(values > LAST_YEAR):
        return None
    return values.astype(np.int64)


def periods(column, per_year):
    """The column as period numbers 1 to ``per_year`` (an int array), or None when a value
    is none: whole numbers; for quarters also ``Q1`` to ``Q4``; for months also their
    English names, full or of three letters (``Jan``, ``january``)."""
    if pd.api.types.is_bool_dtype(column) or column.isna().any():
        return None
    if pd.api.types.is_numeric_dtype(column):
        values = column.to_numpy(dtype=float)
    else:
        text = column.astype(str).str.strip().str.lower()
        if per_year == 4:
            text = text.str.removeprefix("q")
        else:
            names = {**{m: k + 1 for k, m in enumerate(_MONTHS)},
                     **{m[:3]: k + 1 for k, m in enumerate(_MONTHS)}}
            text = text.map(lambda t: str(names.get(t, t)))
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values % 1 != 0) or \
            np.any(values < 1) or np.any(values > per_year):
        return None
    return values.astype(np.int64)


def find_year_period(frame, series=None):
    """The :class:`YearPeriod` of ``frame``: a column named like a year
    (:data:`YEAR_NAME`) of whole years, followed by a column named like a quarter
    (:data:`QUARTER_NAME`, values 1-4) or a month (:data:`MONTH_NAME`, 1-12 or names),
    whose pairs (year, period) are all different (within each series when ``series``, a
    column of ``frame`` naming the series of each row, is given: the times of many series
    repeat from one to the next), and whose name ``year-period`` the frame does not have
    already; None."""
    frame = frame[~frame.isna().all(axis=1)]    # lines of delimiters alone hold no time
    return next((p for p in _year_periods(frame, series) if p.name not in frame.columns),
                None)


def _year_periods(frame, series=None):
    """Each :class:`YearPeriod` of ``frame`` as :func:`find_year_period` finds them, also
    those whose name the frame has already, in column order."""
    names = list(frame.columns)
    for year, period in zip(names, names[1:]):
        per_year = _kind(period)
        if not YEAR_NAME.match(str(year)) or per_year is None:
            continue
        found = YearPeriod(str(year), str(period), per_year)
        index = _period_index(frame, found)
        if index is None or len(index) < 2:
            continue
        keys = pd.DataFrame({"time": index} if series is None else
                            {"time": index, "series": frame[series].to_numpy()})
        if not keys.duplicated().any():
            yield found


def own_column_note(frame, time_column):
    """What a file that has a column named as the time of its year and quarter (month)
    already (``year-quarter``) is told: that column is read as the file writes it and the
    two are not read together, when it is not the time (``time_column``: the time column,
    parsed; False or None: none), or its times are not the periods of the two (from the
    first data row where they differ); None otherwise (a predictions file read again
    writes the same periods)."""
    parts = next((p for p in _year_periods(frame) if p.name in frame.columns), None)
    if parts is None or (time_column and time_column != parts.name):
        return None
    rename = (f"rename the column {parts.name!r} (or leave it out) to read the time from "
              f"{parts.year!r} and {parts.period!r}.")
    if not time_column:
        return (f"The file has a column {parts.name!r} of its own, which holds no times, so "
                f"{parts.year!r} and {parts.period!r} are not read together as the time: "
                f"{rename}")
    times = frame[time_column]
    differ = ~times.eq(period_starts(frame, parts)).to_numpy() \
        if pd.api.types.is_datetime64_any_dtype(times) else np.ones(len(frame), dtype=bool)
    if not differ.any():
        return None
    k = int(np.flatnonzero(differ)[0])
    held = times.iloc[k]
    held = held.date().isoformat() if isinstance(held, pd.Timestamp) else \
        held.item() if isinstance(held, np.generic) else held
    label = period_label(period_starts(frame, parts).iloc[k], parts)
    return (f"The file has a column {parts.name!r} of its own, read as the time as it is "
            f"written; it is not the {parts.unit} of {parts.year!r} and {parts.period!r} "
            f"(data row {file_rows(frame)[k]} holds {held!r} for {label}). If those are the "
            f"time, {rename}")


def _period_index(frame, parts):
    """``year * per_year + period - 1`` for each row (an int array), or None when a year
    or a period cannot be read."""
    year = years(frame[parts.year])
    period = periods(frame[parts.period], parts.per_year)
    if year is None or period is None:
        return None
    return year * parts.per_year + period - 1


def named_year_period(name, columns=None):
    """The :class:`YearPeriod` whose time column is named ``name`` (``year-quarter``)
    from two of ``columns`` (a year's, then a quarter's or month's; None: the name alone
    decides), or None."""
    name = str(name)
    for k in [k for k, c in enumerate(name) if c == "-"]:
        year, period = name[:k], name[k + 1:]
        per_year = _kind(period)
        present = columns is None or (year in columns and period in columns)
        if present and YEAR_NAME.match(year) and per_year:
            return YearPeriod(year, period, per_year)
    return None


def period_starts(frame, parts):
    """The start date of each row's period (a datetime Series on ``frame``'s index; NaT
    for a row whose every cell is empty, a line of delimiters alone). Raises an
    EngineError naming the first row whose year or period cannot be read."""
    blank = frame.isna().all(axis=1)
    if blank.any():
        starts = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        starts[~blank] = period_starts(frame[~blank], parts)
        return starts
    index = _period_index(frame, parts)
    if index is None:
        raise EngineError(_unreadable(frame, parts))
    months = index // parts.per_year * 12 + index % parts.per_year * (12 // parts.per_year)
    dates = pd.to_datetime({"year": months // 12, "month": months % 12 + 1, "day": 1})
    return pd.Series(dates.to_numpy(), index=frame.index)


def _unreadable(frame, parts):
    """Why the columns of ``parts`` do not make a time, naming the first data row that
    holds no year (a whole number from :data:`FIRST_YEAR` to :data:`LAST_YEAR`), else no
    period."""
    rows = file_rows(frame)
    for column, what, read in (
            (parts.year, f"a whole year from {FIRST_YEAR} to {LAST_YEAR}", years),
            (parts.period, "a quarter 1 to 4" if parts.per_year == 4
             else "a month 1 to 12 or a month's name",
             lambda values: periods(values, parts.per_year))):
        for k in range(len(frame)):
            if read(frame[column].iloc[[k]]) is None:
                value = frame[column].iloc[k]
                value = value.item() if isinstance(value, np.generic) else value
                return (f"The time {parts.name!r} is read from the columns {parts.year!r} "
                        f"and {parts.period!r}, but {column!r} holds {value!r} in data "
                        f"row {rows[k]}, which is not "
                        f"{what}. Correct the value, or choose another time column.")
    return f"The columns {parts.year!r} and {parts.period!r} hold no time."


def year_period_of(frame, time_column, times):
    """The :class:`YearPeriod` of the two columns of ``frame`` that its time column
    ``time_column`` is the time of: built from them (``attrs["built_time"]``), or a file's
    own column of that name whose ``times`` (as read, one per row of ``frame``, in its
    order) are all their periods' first days, as a predictions file read again writes them
    (``2005-Q1`` beside ``2005,Q1``); None."""
    parts = named_year_period(time_column, frame.columns) if time_column else None
    if parts is None or frame.attrs.get("built_time") == time_column:
        return parts
    if _period_index(frame, parts) is None or not pd.api.types.is_datetime64_dtype(times):
        return None
    starts = period_starts(frame, parts).to_numpy()
    return parts if np.array_equal(np.asarray(times), starts) else None


def with_year_period(frame, parts):
    """``frame`` (a copy) with the time column of ``parts`` first; the two columns stay.
    ``attrs["built_time"]`` names the column, which the file does not write."""
    starts = period_starts(frame, parts)
    copy = frame.copy()
    copy.insert(0, parts.name, starts)
    copy.attrs["built_time"] = parts.name
    return copy


def year_period_note(parts):
    """What reading the two columns as one time did, in plain words."""
    return (f"The columns {parts.year!r} and {parts.period!r} are read together as the "
            f"time column {parts.name!r} (the first day of each {parts.unit}); they are "
            "not used as inputs unless you choose so.")


def _named_here(frame, time_column):
    """The :class:`YearPeriod` that the time column ``time_column`` names
    (:func:`named_year_period`) when ``frame`` lacks a column of that name; else None."""
    if not time_column or time_column in frame.columns:
        return None
    return named_year_period(time_column, frame.columns)


def with_named_time(frame, time_column):
    """``frame`` with the time column ``time_column`` built (:func:`with_year_period`)
    when it names a year and a quarter (month) of ``frame`` that it lacks; else ``frame``
    itself: how every reading of a data frame for a model or a table (a file read, or a
    caller's own frame) gets the time column a project or a model keeps by its name."""
    parts = _named_here(frame, time_column)
    return frame if parts is None else with_year_period(frame, parts)


def read_year_period(frame, time_column):
    """``(frame, time_column, note)`` with the time of two columns built: found
    (:func:`find_year_period`) when ``time_column`` is None (no time column given or
    found), or named (:func:`named_year_period`) by a ``time_column`` that ``frame`` lacks;
    otherwise ``frame`` and ``time_column`` as they are and no note."""
    parts = find_year_period(frame) if time_column is None else \
        _named_here(frame, time_column)
    if parts is None:
        return frame, time_column, None
    return with_year_period(frame, parts), parts.name, year_period_note(parts)


def written_with_year_period(raw, frame):
    """``raw`` (a file's cells as text, in the file's order, one column for each it writes)
    with the time column of ``frame`` (as :func:`~engine.data.csv_reader.read_csv` read
    that file) first, as periods (:func:`period_label`: ``1990-Q1``, ``1990-01``), when it
    is built from two columns (``attrs["built_time"]``); else ``raw`` itself."""
    time_column = frame.attrs.get("built_time")
    parts = named_year_period(time_column, frame.columns) if time_column else None
    if parts is None:
        return raw
    text = np.full(len(raw), "", dtype=object)
    text[file_rows(frame)] = ["" if pd.isna(stamp) else period_label(stamp, parts)
                              for stamp in frame[time_column]]
    copy = raw.copy()
    copy.insert(0, time_column, text)
    return copy


def period_label(stamp, parts):
    """The period that starts at the date ``stamp`` as a person reads it: ``1990-Q3`` for
    a quarter, ``1990-07`` for a month (both read back as that date)."""
    stamp = pd.Timestamp(stamp)
    if parts.per_year == 4:
        return f"{stamp.year}-Q{(stamp.month - 1) // 3 + 1}"
    return stamp.strftime("%Y-%m")


def periods_of(name, times, texts=None):
    """The :class:`YearPeriod` whose periods (:func:`period_label`: ``2005-Q1``,
    ``2005-07``) a time column named ``name`` that holds ``times`` (datetimes as read; a
    missing one aside) is written as; None when it is written as its dates. ``texts``: the
    cells a file writes the first ``len(texts)`` of ``times`` in, when its cells are kept
    (``predict``, which appends the rest); None: no file's cells, as for a table in memory.

    Periods when the name is that of a time built from a year and a quarter (month)
    (:func:`named_year_period`: ``year-quarter``, ``Year-Month``), every time is the
    first day of such a period and, with ``texts``, the last time written is written as
    its period: the rows written after a file's keep its style. A time built from the two
    columns always is; so is a file's own column of that name that writes the periods
    (``2005-Q1``, ``2005-07``: a predictions file read again), and, without ``texts``, one
    that writes their first days (``2005-07-01``), which read as the same dates. A file's
    own column of that name that holds another day (``2005-07-15``), or numbers, is no
    period: the name alone does not make one."""
    parts = named_year_period(name) if name else None
    values = [t for t in times if t is not None and not pd.isna(t)]
    if parts is None or not values or \
            not all(isinstance(t, (datetime, np.datetime64)) for t in values):
        return None
    stamps = pd.DatetimeIndex(values)
    starts = (stamps == stamps.normalize()) & (stamps.day == 1) & \
        ((stamps.month - 1) % (12 // parts.per_year) == 0)
    if not starts.all():
        return None
    return parts if texts is None or _written_as_periods(texts, times, parts) else None


def _written_as_periods(texts, times, parts):
    """Whether the last of the ``texts`` that write a time (the first of ``times``, in
    their order) writes it as its period (:func:`period_label` of ``parts``)."""
    written = [(str(text).strip(), stamp) for text, stamp in zip(texts, times)
               if str(text).strip() and stamp is not None and not pd.isna(stamp)]
    return bool(written) and written[-1][0] == period_label(written[-1][1], parts)


def with_period_labels(frame, column, read=()):
    """``frame`` with its time ``column`` written as the periods (:func:`period_label`:
    ``2005-Q1``, ``2005-07``), as ``predict`` writes a time built from a year and a quarter
    (month), when :func:`periods_of` its name and its times (and the times ``read``: those
    of the data the times of ``frame`` follow) finds them; else ``frame`` itself."""
    parts = periods_of(column, [*frame[column], *read]) if column in frame.columns else None
    if parts is None:
        return frame
    labelled = frame.copy()
    labelled[column] = ["" if t is None or pd.isna(t) else period_label(t, parts)
                        for t in frame[column]]
    return labelled


def _as_written(number, like):
    """The whole number ``number`` as text the way the last of the texts ``like`` writes
    its whole numbers: ``2005`` or, after ``2004.0``, ``2005.0``."""
    last = next((t for t in reversed([str(t).strip() for t in like]) if t), "")
    decimals = re.fullmatch(r"[+-]?\d+([.,]0+)", last)
    return f"{number}{decimals.group(1)}" if decimals else str(number)


def _month_like(month, written):
    """The name of ``month`` (1-12) written as the file's month names ``written`` are
    (texts, the last one's case): whole (``February``) when any is longer than three
    letters, else its first three letters (``Feb``: ``May`` alone says neither), in the
    last one's case (``feb``, ``FEB``); English names, whatever the computer's language."""
    texts = [str(t).strip() for t in written if str(t).strip()]
    last = texts[-1]
    name = _MONTHS[month - 1]
    name = name if any(len(t) > 3 for t in texts) else name[:3]
    if last.isupper():
        return name.upper()
    return name if last.islower() else name.capitalize()


def period_texts(stamp, parts, raw):
    """``{year column: text, period column: text}`` of the date ``stamp`` (a period's
    start), written as the file writes them (``raw``: the file's cells as text): a year as
    ``2005`` or ``2005.0``, a quarter as ``3``, ``3.0`` or ``Q3``, a month as ``7``,
    ``Jul`` or ``July``."""
    stamp = pd.Timestamp(stamp)
    number = (stamp.month - 1) // (12 // parts.per_year) + 1
    like = list(raw[parts.period])
    last = str(like[-1]).strip() if like else ""
    if parts.per_year == 4 and last[:1] in ("Q", "q"):
        period = f"{last[0]}{number}"
    elif parts.per_year == 12 and last and not last[0].isdigit():
        period = _month_like(stamp.month, like)
    else:
        period = _as_written(number, like)
    return {parts.year: _as_written(stamp.year, raw[parts.year]), parts.period: period}


def half_of_time(frame, name):
    """The :class:`YearPeriod` of ``frame`` (:func:`find_year_period`) whose year or
    period is the column ``name`` (a month's name, which reads as a date; quarters 1 to 4
    of a single year); None."""
    parts = find_year_period(frame) if name else None
    return parts if parts is not None and name in (parts.year, parts.period) else None


def refuse_half_of_time(frame, time_column):
    """Raise an EngineError when the time column ``time_column`` chosen is the year (or
    the quarter, month) of a time written in two columns (:func:`half_of_time`) and
    repeats: the two columns together are the time."""
    parts = half_of_time(frame, time_column)
    if parts is not None and frame[time_column].duplicated().any():
        other = parts.period if time_column == parts.year else parts.year
        raise EngineError(f"The column {time_column!r} repeats its values, so it cannot be "
                          f"the time by itself; with {other!r} it is: choose the time "
                          f"column {parts.name!r} (the first day of each {parts.unit}).")
