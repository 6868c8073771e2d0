"""Many series in one long-format table: one row per series and time step.

A :class:`SeriesSet` keeps every series' rows one after the other in one array, so that
windows over all series are views into one block of memory (no copies)::

    series i  ->  rows starts[i] : starts[i+1]   (in time order)
    targets   (rows, n_targets)  float64, NaN where a value is missing
    inputs    (rows, n_inputs)   float64
    segment   (rows,)            int: a new number at every series and at every time gap

Windows whose rows span two segments are never used (:func:`engine.data.windows.usable_anchors`),
so no window crosses from one series into the next, nor over a gap in time.
"""

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from engine.errors import EngineError
from engine.words import counted, counted_of, listed, numbered, some_named, the_last, verb


@dataclass
class SeriesSet:
    """Many series of the same variables (see the module docstring)."""

    ids: list
    starts: np.ndarray
    targets: np.ndarray
    inputs: np.ndarray
    segment: np.ndarray
    target_names: list
    input_names: list = field(default_factory=list)
    series_column: str = "series"
    times: object = None                   # (rows,) pandas Series of times, or None
    time_column: str | None = None
    notes: list = field(default_factory=list)
    static: np.ndarray = None              # (n_series, n_static) one-hot of static columns
    static_names: list = field(default_factory=list)     # "column=category" per column
    static_columns: list = field(default_factory=list)   # the static columns read
    time_parts: object = None
    """(rows, 2) DataFrame: the file's year and quarter (month) cells, as read, in the rows'
    order, when the time is theirs (:func:`~engine.data.year_period.year_period_of`: built
    from the two, or a predictions file's periods read again); else None."""
    static_labels: object = None
    """(n_series, columns) DataFrame: the file's labels in the static columns of the model
    it was read for without them (:func:`read_for_model`), a tuple per series
    (:func:`~engine.many.static_labels.series_labels`); else None."""
    file_rows: np.ndarray = None
    """(rows,) int: the row of the table read (0-based, its rows of empty cells alone
    counted too) that each row was read from, as :func:`from_frame` sorted them by series
    and time; None: in that order already."""
    trained_step: dict = None
    """The regular time step of the data the model they are read for was trained on
    (:func:`for_model`), their step where they show none (every series of one row) or one
    alike (:meth:`time_step`); None otherwise."""

    def __post_init__(self):
        if self.static is None:
            self.static = np.zeros((len(self.ids), 0))

    @property
    def n_series(self):
        return len(self.ids)

    @property
    def lengths(self):
        """(n_series,) rows of each series."""
        return np.diff(self.starts)

    def rows(self, i):
        """The slice of series ``i``'s rows."""
        return slice(int(self.starts[i]), int(self.starts[i + 1]))

    def series_of_rows(self):
        """(rows,) the series number of every row."""
        return np.repeat(np.arange(self.n_series), self.lengths)

    def history(self, i, end=None, target=0):
        """Series ``i``'s values of one target, up to (not including) its row ``end``."""
        values = self.targets[self.rows(i), target]
        return values if end is None else values[:end]

    def since_last_gap(self, i, end):
        """The first of series ``i``'s rows before its row ``end`` that follows its last gap
        in time before ``end`` (0 without one): its rows from there to ``end - 1`` are one
        unbroken stretch of time steps, the rows a window before ``end`` can read."""
        segment = self.segment[self.rows(i)][:int(end)]
        return int(np.flatnonzero(segment == segment[-1])[0]) if len(segment) else 0

    def positions(self, i, step=None):
        """(rows of series ``i``,) int: each row's place in time steps from the series'
        first row, the steps a gap in time leaves out counted
        (:func:`~engine.data.time_steps.step_positions`; ``step`` the regular step,
        default :meth:`time_step`); the row numbers without a time column."""
        if self.times is None:
            return np.arange(int(self.lengths[i]))
        from engine.data.time_steps import step_positions

        step = self.time_step() if step is None else step
        return step_positions(self.times.iloc[self.rows(i)], step)

    def without_last(self, count):
        """The same series without the last ``count`` rows of each (a number, or one per
        series; series left with no row are dropped)."""
        counts = np.broadcast_to(np.asarray(count, dtype=int), (self.n_series,))
        keep = np.ones(len(self.segment), bool)
        for i in range(self.n_series):
            end = int(self.starts[i + 1])
            keep[max(int(self.starts[i]), end - int(counts[i])):end] = False
        lengths = np.maximum(self.lengths - counts, 0)
        kept = lengths > 0
        return SeriesSet(
            ids=[name for name, k in zip(self.ids, kept) if k],
            starts=np.concatenate([[0], np.cumsum(lengths[kept])]),
            targets=self.targets[keep], inputs=self.inputs[keep],
            segment=self.segment[keep], target_names=self.target_names,
            input_names=self.input_names, series_column=self.series_column,
            times=None if self.times is None else self.times[keep].reset_index(drop=True),
            time_column=self.time_column, notes=list(self.notes),
            static=self.static[kept], static_names=list(self.static_names),
            static_columns=list(self.static_columns),
            time_parts=None if self.time_parts is None else
            self.time_parts[keep].reset_index(drop=True),
            file_rows=None if self.file_rows is None else self.file_rows[keep],
            trained_step=self.trained_step, static_labels=None if self.static_labels is None else
            self.static_labels.iloc[np.flatnonzero(kept)].reset_index(drop=True))

    def unknown_tails(self):
        """(n_series,) how many of each series' last rows have no target value known (rows
        of future inputs, say)."""
        known = np.isfinite(self.targets).any(axis=1)
        counts = np.zeros(self.n_series, dtype=int)
        for i in range(self.n_series):
            rows = np.flatnonzero(known[self.rows(i)])
            counts[i] = self.lengths[i] - (rows[-1] + 1 if rows.size else 0)
        return counts

    def without_unknown_tails(self):
        """The same series without the rows after each one's last known target value (years
        not yet published, rows of future inputs), as a fit, its scores and a forecast read
        them: each series' testing part ends, and its forecast starts, at its last known
        value (:func:`unknown_tails_note`). A series without any known value is kept as it
        is, in its place (it is neither fitted nor scored, and cannot be forecast)."""
        tails = self.tails_left_out()
        return self.without_last(tails) if tails.any() else self

    def tails_left_out(self):
        """(n_series,) the rows :meth:`without_unknown_tails` leaves out at the end of each
        series: those after its last known target value; none of a series without any."""
        unknown = self.unknown_tails()
        return np.where(unknown < self.lengths, unknown, 0)

    def time_step(self):
        """The regular time step (a step dict of :mod:`engine.data.time_steps`) of the
        longest series, or None without a time column; :attr:`trained_step` where that
        series has none (one row alone) or one alike but not the same (23 hours of UTC
        between two days across a change of summer time)."""
        from engine.data.time_steps import detect_step_like, steps_alike

        if self.times is None:
            return None
        trained = self.trained_step
        step = detect_step_like(self.times.iloc[self.rows(int(np.argmax(self.lengths)))],
                                trained)
        if step is None or trained is None:
            return trained if step is None else step
        same = (step["unit"], float(step["size"])) == (trained["unit"],
                                                       float(trained["size"]))
        return trained if steps_alike(step, trained) and not same else step

    def describe(self):
        """One line: how many series, their lengths (:func:`describe_lengths`)."""
        return describe_lengths(self.lengths)


def unknown_tails_note(data, test_last=None):
    """The note on the rows without a known target at the end of series of ``data`` (as
    read from the file), which a fit, its scores and a forecast leave out
    (:meth:`SeriesSet.without_unknown_tails`): one sentence for the fact, which the command
    line's fit, evaluate and forecast, the data page and the test results give, with how
    many rows of how many series (and how many a series) and why. ``test_last``: the
    testing part of that many rows is counted from each series' last known value (0: no
    testing part); None: for a forecast. None without such rows (a series without any known
    value is not among them: it cannot be forecast, and another note says so)."""
    tails = data.tails_left_out()
    ends = tails[tails > 0]
    if not ends.size:
        return None
    rows, fewest, most = int(ends.sum()), int(ends.min()), int(ends.max())
    each = "" if ends.size == 1 else f" ({most:,} each)" if fewest == most else \
        f" ({fewest:,} to {most:,} each)"
    left_out = (f"{counted(rows, 'row')} without a known target at the end of "
                f"{counted(int(ends.size), 'series', 'series')}{each} "
                f"{verb(rows, 'is', 'are')} left out")
    if test_last is None:
        return (f"{left_out}: the forecasts start after each series' last known value (a "
                "model of many series reads its inputs before the forecast only).")
    if not test_last:
        return f"{left_out}, as a forecast starts after each series' last known value."
    return (f"{left_out}: each series is tested on {the_last(int(test_last), 'row')} with a "
            "value, as its forecast starts after its last known value.")


def empty_target_parts(data, empty, ends=None):
    """``(parts, ended)``: per target of ``data`` that ``empty`` (n_series, n_targets) bool
    marks in some series, what its rows before ``ends`` (default: all) hold there: "z
    holds no value in 1 series (a)", "z is empty in the last 2 to 3 rows of 2 series (b
    and c)" (a few named, then how many more); ``ended``: whether a target is empty in the
    last rows only, which leaving those rows out of the file would mend."""
    ends = data.lengths if ends is None else np.asarray(ends)
    parts, ended = [], False
    for j, name in enumerate(data.target_names):
        tails = {i: _empty_tail(data.history(i, end=int(ends[i]), target=j))
                 for i in np.flatnonzero(empty[:, j])}
        never = [data.ids[i] for i, tail in tails.items() if tail is None]
        late = {data.ids[i]: tail for i, tail in tails.items() if tail is not None}
        if never:
            parts.append(f"{name} holds no value in {_named(never)}")
        if late:
            fewest, most = min(late.values()), max(late.values())
            span = counted(most, "row") if fewest == most else f"{fewest:,} to {most:,} rows"
            parts.append(f"{name} is empty in the last {span} of {_named(list(late))}")
            ended = True
    return parts, ended


def _empty_tail(history):
    """How many of the last values of ``history`` are empty; None when every one is."""
    known = np.flatnonzero(np.isfinite(history))
    return None if not known.size else len(history) - 1 - int(known[-1])


def _named(names):
    """``"1 series (a)"``, ``"4 series (a, b, c and 1 more)"``."""
    return f"{counted(len(names), 'series', 'series')} ({some_named(names)})"


def unforecast_note(data, missing):
    """The note on the series ``missing`` (indices into ``data``, as forecast: after
    :meth:`SeriesSet.without_unknown_tails`) that could not be forecast: no target's last
    value is known (a series with one known gets that target forecast, and its own note
    names the others, :func:`empty_target_parts`)."""
    its = "its last values are" if len(missing) == 1 else "their last values are"
    example = "" if len(missing) == 1 else "e.g. "
    return (f"{len(missing):,} series could not be forecast: {its} not known "
            f"({example}{data.ids[missing[0]]!r}).")


def describe_lengths(lengths):
    """One line on series of ``lengths`` rows: how many, how long, how many rows in all
    ("11 series of 20 rows each, 220 rows in all"; lengths that differ by their range and
    median)."""
    lengths = np.asarray(lengths)
    shortest, longest = int(lengths.min()), int(lengths.max())
    if shortest == longest:             # "11 series of 20 rows each"
        each = counted(shortest, "row") + (" each" if lengths.size > 1 else "")
    else:
        each = (f"{shortest:,} to {longest:,} rows "
                f"(median {int(np.median(lengths)):,})")
    return (f"{counted(int(lengths.size), 'series', 'series')} of {each}, "
            f"{counted(int(lengths.sum()), 'row')} in all")


ANOTHER_ROLE = ("correct it, empty the cell to leave the value missing, or give the column "
                "another role.")
PAGE_ADVICE = {
    "target": ANOTHER_ROLE, "input": ANOTHER_ROLE,
    "static": "Give it another role (unused, or an input of numbers that change in time).",
    "time": "or leave the time column out (the rows of each series are then taken in file "
            "order)"}
"""What a message on a column :func:`from_frame` cannot read advises, in the data page's
words: a target or input cell that is no number, a static column whose value changes within
a series, a time that is none (after "fix it"). The command line gives its own (its options
in place of roles)."""
MODEL_ADVICE = {
    "target": "correct it, or empty the cell to leave the value missing.",
    "input": "correct it, or empty the cell to leave the value missing.",
    "static": "The model reads one value per series from it: correct the file.",
    "time": ""}
"""What those messages advise on a file read for a model (:func:`series_for_model`): its
columns are the model's, so no role or option changes them; the file does."""


def from_frame(frame, series_column, targets, inputs=(), time_column=None, statics=(),
               csv_options=None, advice=None, trained_step=None):
    """A :class:`SeriesSet` from a long-format DataFrame.

    Series keep the order in which their identifiers first appear. Within a series the rows
    are sorted by ``time_column`` when one is given (a time that appears twice in one
    series is an error; one that names a year and a quarter or month of ``frame``, as
    ``year-quarter``, is built from the two, :mod:`~engine.data.year_period`), else kept
    in file order. With a time column, a step larger than
    the data's regular step starts a new segment. ``statics`` are columns with one value
    per series (a category, or the series column itself), read as one-hot
    (:func:`static_one_hot`). ``csv_options``: those :func:`~engine.data.csv_reader.read_csv`
    read ``frame`` with (its decimal mark and thousands separator read the targets and
    inputs that stayed text; None: a point and none). ``advice``: what the messages on a
    column that cannot be read advise (keys of :data:`PAGE_ADVICE`, whose words are the
    default). ``trained_step``: the time step of a model the frame is read for (its gaps
    are found in such steps: a week of business days shows no weekend)."""
    from engine.data.time_steps import file_rows
    from engine.data.year_period import with_named_time

    targets, inputs, statics = list(targets), list(inputs or ()), list(statics or ())
    frame, kept = _without_blank_rows(with_named_time(frame, time_column))
    needed = [series_column] + targets + inputs + statics + \
        ([time_column] if time_column else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        listed = ", ".join(repr(str(c)) for c in list(frame.columns)[:30])
        raise EngineError(f"Unknown column(s) {', '.join(map(repr, missing))}; the file's "
                          f"columns are: {listed}.")
    if not targets:
        raise EngineError("Choose at least one target column to forecast.")
    overlap = set(targets) & set(inputs) | ({series_column} & set(targets + inputs)) | \
        (set(statics) & set(targets + inputs))
    if overlap:
        raise EngineError(f"{', '.join(map(repr, sorted(overlap)))} has two roles; a column "
                          "is either the series identifier, a target or an input.")
    ids = frame[series_column]
    if ids.isna().any():
        empty = ids.isna().to_numpy()
        raise EngineError(f"The series column {series_column!r} is empty in "
                          f"{counted(int(empty.sum()), 'row')} "
                          f"({_data_rows(np.sort(file_rows(frame)[empty]))}); every row "
                          "must name its series.")
    ids = ids.astype(str)
    order = pd.Index(pd.unique(ids))
    number = order.get_indexer(ids)
    advice = {**PAGE_ADVICE, **(advice or {})}
    times = None
    if time_column:
        times, zone_note = _parse_times(frame[time_column], time_column, advice["time"],
                                        file_rows(frame))
        sort = np.lexsort([_sort_key(times), number])    # by series, then by time
    else:
        sort = np.argsort(number, kind="stable")         # by series, file order within
    number = number[sort]
    values = _numbers(frame, targets, inputs, csv_options, sort, advice)
    lengths = np.bincount(number, minlength=len(order))
    starts = np.concatenate([[0], np.cumsum(lengths)])
    segment = number.astype(np.int64)
    notes = [zone_note] if time_column and zone_note else []
    notes += _spaced_names_note(order, series_column)
    if times is not None:
        times = times.iloc[sort].reset_index(drop=True)
        rows = kept[sort]                               # the data rows, for messages
        segment, gaps, step = _segments(times, number, series_column, order, rows,
                                        trained_step)
        if gaps:
            notes.append(f"{counted(gaps, 'gap')} in time inside series; no window spans a "
                         f"gap.{_skipped_hours(times, number, order, rows, step, gaps)}")
        notes += _weekend_rows(times, number, order, rows, step)
    notes += _empty_inputs_notes(values, inputs, number, order)
    return SeriesSet(
        ids=[str(i) for i in order], starts=starts,
        targets=np.column_stack([values[n] for n in targets]),
        inputs=np.column_stack([values[n] for n in inputs]) if inputs else
        np.empty((len(number), 0)),
        segment=segment, target_names=targets, input_names=inputs,
        series_column=series_column, times=times, time_column=time_column, notes=notes,
        time_parts=_time_parts(frame, time_column, sort, times), file_rows=kept[sort],
        **static_one_hot(frame, statics, ids, order, advice["static"], notes))


def _spaced_names_note(names, series_column):
    """The note on series names that differ only by spaces around them (``S1`` and
    ``S1 ``), which are read as two series, a few named; none where there are none."""
    bare = pd.Series(list(names), dtype=object).str.strip()
    twins = bare[bare.duplicated(keep=False)]
    if twins.empty:
        return []
    shown = pd.unique(twins)
    groups = [" and ".join(repr(names[k]) for k in twins.index[twins == name])
              for name in shown[:3]]
    more = f"; and {len(shown) - 3:,} more" if len(shown) > 3 else ""
    return [f"Series names that differ only by spaces before or after them are read as "
            f"other series: {'; '.join(groups)}{more}. Where they name one, remove the "
            f"spaces in the column {series_column!r}."]


def _without_blank_rows(frame):
    """``(frame, kept)``: ``frame`` without the rows whose every cell is empty (the lines
    of delimiters alone a spreadsheet writes after its data, ``,,``), which name no series
    and hold nothing, and the positions in ``frame`` of the rows kept; each keeps its data
    row (:func:`~engine.data.time_steps.file_rows`) for the messages that name it."""
    from engine.data.time_steps import FileRows, file_rows

    blank = frame.isna().all(axis=1).to_numpy() if len(frame.columns) else \
        np.zeros(len(frame), bool)
    if not blank.any():
        return frame, np.arange(len(frame))
    rows = file_rows(frame)[~blank]
    frame = frame[~blank]
    if "file_rows" in frame.attrs:
        frame.attrs["file_rows"] = FileRows(rows)
    return frame, np.flatnonzero(~blank)


def _empty_inputs_notes(values, inputs, number, order):
    """A sentence per input column of ``values`` (name -> (rows,) in the series' order,
    ``number`` each row's series, ``order`` the series' names) with empty cells: how many
    rows of how many series, and what that costs (no window that holds one trains the
    network or forecasts with it)."""
    notes = []
    for name in inputs:
        empty = np.isnan(values[name])
        if not empty.any():
            continue
        series = np.unique(number[empty])
        first = str(order[series[0]])
        notes.append(f"{name!r} is empty in {counted(int(empty.sum()), 'row')} of "
                     f"{counted(len(series), 'series', 'series')} (e.g. {first!r}): no "
                     "window that holds such a row trains the network, and a series "
                     "whose latest window holds one gets its own seasonal naive forecast. "
                     "Fill those cells in, or leave that input out.")
    return notes


def _time_parts(frame, time_column, order, times):
    """The year and quarter (month) columns of ``frame`` (as read) whose time its time
    column ``time_column`` is (:func:`~engine.data.year_period.year_period_of`: built from
    them, or a predictions file's periods read again; ``times``: that column as read, in
    ``order``), their rows taken in ``order``; None when there are none."""
    from engine.data.year_period import year_period_of

    parts = year_period_of(frame.iloc[order], time_column, times)
    if parts is None:
        return None
    return frame[[parts.year, parts.period]].iloc[order].reset_index(drop=True)


def static_one_hot(frame, statics, ids, order, advice=PAGE_ADVICE["static"], notes=None):
    """``{"static", "static_names", "static_columns"}`` of the columns ``statics`` of
    ``frame`` whose rows belong to the series ``ids`` (rows,) named in ``order``
    (n_series,): per series and column, a 1 in the column of its category (the categories
    sorted as text), 0 elsewhere; (n_series, sum of the categories). A series' empty cells
    take the value its other cells hold, when they hold one alone, and a note appended to
    ``notes`` (a list, when given) says so
    (:func:`~engine.many.static_labels.filled_static`). A column whose value changes within
    a series (the message ends with ``advice``), or whose empty cells cannot be filled so,
    is refused."""
    from engine.many.static_labels import filled_static, filled_static_note

    parts, names = [], []
    for column in statics:
        values, fills = filled_static(frame[column], ids)
        if values.isna().any():
            left = frame.copy()
            left[column] = values
            raise EngineError(_empty_static_message(left, column, ids))
        if notes is not None:
            notes += filled_static_note(column, fills)
        per_series = pd.DataFrame({"series": ids.to_numpy(), "value": values.astype(str)})
        counts = per_series.groupby("series", sort=False)["value"].nunique()
        changing = counts[counts > 1]
        if len(changing):
            raise EngineError(f"The static column {column!r} changes within series "
                              f"{changing.index[0]!r}; a static column has one value per "
                              f"series. {advice}")
        first = per_series.groupby("series", sort=False)["value"].first()
        categories = sorted(first.unique())
        chosen = first.reindex(order).to_numpy()
        parts.append((chosen[:, None] == np.array(categories)[None, :]).astype(float))
        names += [f"{column}={category}" for category in categories]
    static = np.concatenate(parts, axis=1) if parts else np.zeros((len(order), 0))
    return {"static": static, "static_names": names, "static_columns": list(statics)}


SHOWN_SERIES = 3
"""How many series a message on a static column's empty cells names."""


def _empty_static_message(frame, column, ids):
    """The refusal of the static ``column`` of ``frame`` (rows of the series ``ids``) with
    empty cells: how many rows of how many series, the first :data:`SHOWN_SERIES` series
    named with their data rows (:func:`~engine.data.time_steps.file_rows`) and the values
    their other rows hold (these disagree: one value alone fills the empty cells), and what
    to do."""
    from engine.data.time_steps import file_rows

    empty = frame[column].isna().to_numpy()
    names, rows = ids.to_numpy()[empty], file_rows(frame)[empty]
    shown = list(pd.unique(names))
    parts = []
    for name in shown[:SHOWN_SERIES]:
        own = ids.to_numpy() == name
        known = pd.unique(frame[column][own & ~empty].astype(str))
        rows_of_it = counted_of(int(own.sum()), int(own.sum()), 'row')
        held = (f", its other rows hold {listed([repr(k) for k in known[:3]])}"
                + (" and more" if len(known) > 3 else "") if len(known)
                else f", {rows_of_it} of it")
        parts.append(f"{name!r} ({_data_rows(np.sort(rows[names == name]))}{held})")
    more = len(shown) - SHOWN_SERIES
    parts += [f"{counted(more, 'more series', 'more series')}"] if more > 0 else []
    return (f"The static column {column!r} is empty in {counted(int(empty.sum()), 'row')} of "
            f"{counted(len(shown), 'series', 'series')}: {listed(parts)}. A static column "
            "holds one value per series: give every row its series' value.")


def _data_rows(rows):
    """The file's data rows ``rows`` (ascending) in words: ``"data row 5"``, ``"data rows 5
    to 9"`` (in a row), ``"data rows 5, 8 and 12"``, ``"data rows 5, 8, 12 and 40 more"``."""
    if len(rows) <= 4 or rows[-1] - rows[0] == len(rows) - 1:
        return numbered("data row", rows)
    return f"data rows {', '.join(str(int(r)) for r in rows[:3])} and {len(rows) - 3:,} more"


DETECT = "detect"
"""``time_column`` of :func:`load_series` for "the first column of dates or times, if
any" (what ``fit --series`` does without ``--time``)."""


def load_series(path, series_column, targets, inputs=(), time_column=None, statics=(),
                csv_format=None, advice=None):
    """Read a long-format CSV file (see :mod:`engine.data.csv_reader` for what is
    detected) into a :class:`SeriesSet` (see :func:`from_frame`); the series column as the
    file's text. ``time_column``: a column name, None (rows in file order) or
    :data:`DETECT` (the first column other than the named ones that holds dates or times,
    or numbers named for the time that differ within each series, as years do:
    :func:`series_time`). ``csv_format``: the delimiter,
    decimal mark, ... to read it with (a dict of
    :func:`~engine.data.csv_reader.format_corrections`; the rest is detected). ``advice``:
    that of :func:`from_frame`."""
    return read_series(path, series_column, targets, inputs, time_column, statics,
                       csv_format, advice)[0]


def read_series(path, series_column, targets, inputs=(), time_column=None, statics=(),
                csv_format=None, advice=None, usual_marks=None, trained_step=None):
    """``(data, frame, options)``: :func:`load_series`'s :class:`SeriesSet`, the table it
    was read from (:func:`~engine.data.csv_reader.read_csv`, the rows in the file's
    order) and the CSV options that read it. ``usual_marks``: those of a model's data
    file (:func:`~engine.data.csv_reader.usual_marks`), for numbers that do not tell;
    ``trained_step``: the time step of a model the file is read for (:func:`from_frame`)."""
    from engine.data.csv_reader import CsvOptions, read_csv, with_text_column

    # the times repeat from series to series: from_frame parses and checks them per series
    frame, options = read_csv(path, CsvOptions.from_dict({**(csv_format or {}),
                                                          "time_column": False}),
                              usual=usual_marks)
    frame = with_text_column(frame, path, options, series_column)
    note = None
    if time_column == DETECT and series_column not in frame.columns:
        time_column = None                  # from_frame names the unknown column
    if time_column == DETECT:
        named = {series_column, *targets, *inputs, *statics}
        frame, time_column, note = series_time(
            frame, series_column, [c for c in frame.columns if c not in named], options)
    data = from_frame(frame, series_column, targets, inputs, time_column, statics, options,
                      advice, trained_step)
    data.notes[:0] = [note] if note else []
    return data, frame, options


def series_time(frame, series_column, names, options=None):
    """``(frame, time_column, note)``: the time of a table of many series, whose times
    repeat from series to series, as ``fit --series`` and the data page find it: the first
    of the columns ``names`` that holds dates or times, or numbers named for the time that
    differ within each series (:func:`~engine.data.column_types.time_within_series`);
    else a year and a quarter (month) in two columns whose pairs differ within each series,
    built as the column ``year-quarter`` (``frame`` a copy with it first, and the note
    that says so: :func:`_year_period_within`); else ``frame``, None and None.
    ``options``: the CSV options the file was read with."""
    from engine.data.column_types import time_within_series

    detected = time_within_series(frame, series_column, names, options)
    return _year_period_within(frame, series_column, detected)


def _year_period_within(frame, series_column, detected):
    """``(frame, time_column, note)``: the time written as a year and a quarter (month) in
    two columns whose pairs differ within each series
    (:func:`~engine.data.year_period.find_year_period`) built when no other time column
    was ``detected`` (or it is the month of the two), with the note that says so; else
    ``frame``, ``detected`` and None."""
    from engine.data.year_period import find_year_period, with_year_period, year_period_note

    parts = find_year_period(frame, series_column)
    if parts is None or detected not in (None, parts.year, parts.period):
        return frame, detected, None
    return with_year_period(frame, parts), parts.name, year_period_note(parts)


def series_for_model(model, data, statics=False):
    """``data`` as a :class:`SeriesSet`: itself, or the long-format CSV file at the path
    ``data`` read with the columns the global ``model`` was trained on (its series and time
    columns, targets, inputs and CSV format); with its static columns when ``statics`` (to
    train again: a forecast takes each series' static values from the model's table). A
    cell it cannot read is refused with :data:`MODEL_ADVICE`."""
    if isinstance(data, SeriesSet):       # checked and given the model's step as a file is
        return data if statics or data.trained_step is not None else \
            for_model(model, replace(data))
    return read_for_model(model, data, statics)[0]


def read_for_model(model, path, statics=False):
    """``(data, frame, options)`` of the CSV file at ``path`` read as
    :func:`series_for_model` reads it (:func:`read_series`); without ``statics``, the
    file's labels in the model's static columns kept in ``data.static_labels``."""
    from engine.many.static_labels import keep_file_labels

    s = model.settings
    columns = list(s.get("static_columns", ()))
    data, frame, options = read_series(path, s.get("series_column", "series"),
                                       model.target_names, model.input_names,
                                       s.get("time_column"), columns if statics else (),
                                       s.get("csv"), MODEL_ADVICE, s.get("csv_marks"),
                                       s.get("time_step"))
    if not statics:             # the model reads its own: the file's are kept to compare
        keep_file_labels(model, data, frame)
        for_model(model, data)
    return data, frame, options


def for_model(model, data):
    """``data`` (a :class:`SeriesSet` read for the global ``model``, for its forecasts,
    scores or predictions, not to train it again) checked against the model's time step
    and given it (:attr:`SeriesSet.trained_step`, their step where they show none):
    refused where their times step otherwise, not even by a whole number of such steps
    (:func:`~engine.data.time_steps.steps_alike`; 23 or 25 hours are a day across a change
    of summer time; a whole number of days a gap, or the step of a file of few rows): the
    forecasts would fall on the wrong times (dates of a month that are all the 12th or
    before, 01/02/2022 to 12/02/2022, read month first as twelve months; hours for a daily
    model). Returns ``data``."""
    from engine.data.time_steps import steps_alike, unlike_step_error

    trained = model.settings.get("time_step")
    data.trained_step = trained
    found = data.time_step()
    if trained is None or found is None:
        return data
    whose, odd = "The file's times are", None
    if steps_alike(found, trained, multiples=True):
        odd = _series_stepping_otherwise(data, trained)
        if odd is None:
            return data
        whose = f"The times of series {data.ids[odd]!r} are"
        found = _own_step(data, odd, trained)
    give = "Give it a file of such times" if odd is None else "Give that series such times"
    raise unlike_step_error(found, trained, whose, give)


def _own_step(data, i, trained):
    """The regular step of series ``i`` of ``data`` on its own, given to a model trained
    on times ``trained`` apart (:func:`~engine.data.time_steps.detect_step_like`)."""
    from engine.data.time_steps import detect_step_like

    return detect_step_like(data.times.iloc[data.rows(i)], trained)


def _series_stepping_otherwise(data, trained):
    """The first series of ``data`` whose own times step unlike ``trained`` (a step dict),
    not even by a whole number of its steps
    (:func:`~engine.data.time_steps.steps_alike`), or None: of a column read in one day
    order, a shop's 01/02/2021 to 12/02/2021 among others' ISO dates were read month
    first, as months. Only the series whose median step between rows is not within the
    steps' tolerance of the longest series' are read on their own (a moment for 30,000)."""
    from engine.data.time_steps import STEP_TOLERANCE, steps_alike

    key = _sort_key(data.times).astype(float)
    key[pd.isna(data.times).to_numpy()] = np.nan
    series = data.series_of_rows()
    within = series[1:] == series[:-1]
    median = pd.Series(np.diff(key)[within]).groupby(series[1:][within]).median()
    usual = median.get(int(np.argmax(data.lengths)), np.nan)
    unusual = median.index[~(np.abs(median / usual - 1) <= STEP_TOLERANCE)]
    for i in unusual:
        step = _own_step(data, int(i), trained)
        if step is not None and not steps_alike(step, trained, multiples=True):
            return int(i)
    return None


def _sort_key(times):
    """``times`` (rows,) as numbers in the same order: datetimes, with a zone or without, as
    int64 counts of their unit (zoned ones were an object array of Timestamps, slow to
    sort), numbers as they are."""
    if pd.api.types.is_datetime64_any_dtype(times):
        return times.array.asi8
    return times.to_numpy()


def _parse_times(column, name, advice=PAGE_ADVICE["time"], rows=None):
    """``(times, note)``: ``column`` of times as datetimes or numbers, read as one series'
    time column is
    (:func:`~engine.data.column_types.parse_time`: dates written day first such as
    17/01/2022 too, and quarters written ``1999-Q4``, as the forecasts and predictions of
    many series write a year and a quarter, as their first days); an EngineError naming a
    value that is no time. Times with a zone or an offset (``+01:00``, ``Z``) are read in
    UTC, so that offsets that change with summer time read as one evenly spaced time, and
    kept in the zone they were written in (:func:`~engine.data.time_zones.zone_and_note`:
    where the offset changes, a zone whose offsets they show, else the latest time's
    offset; ``note`` names a place whose clocks part from that zone's soon after the data,
    else None), which the forecasts and predictions write, as one series' do; a column that
    mixes times with a zone and without is refused, naming the first row of each kind.
    ``advice``: what else to do than to fix the column, in the words of the front end that
    reads it ("": nothing else, a model's column); ``rows``: each value's data row in the
    file, named in the message (None: not named)."""
    from engine.data.column_types import read_dates, refuse_mixed_zones, written_with_zone
    from engine.data.time_zones import zone_and_note

    note = None
    if pd.api.types.is_datetime64_any_dtype(column) or pd.api.types.is_numeric_dtype(column):
        parsed = column
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_convert("UTC")
    else:
        refuse_mixed_zones(column, name, advice)
        # as one series' are read (17/01/2022 day first); zoned times in UTC
        parsed = read_dates(column)
        if written_with_zone(column):
            parsed = parsed.dt.tz_localize("UTC")
            zone, note = zone_and_note(column, parsed)
            parsed = parsed.dt.tz_convert(zone)
    if parsed.isna().any():
        missing = parsed.isna().to_numpy()
        other = f" {advice}" if advice else ""
        where = "" if rows is None else \
            f" in {_data_rows(np.sort(np.asarray(rows)[missing]))}"
        cells = column[missing]
        blank = (cells.isna() | (cells.astype(str).str.strip() == "")).to_numpy()
        empty, many = blank.all(), int(missing.sum()) > 1
        bad = None if empty else cells[~blank].iloc[0]
        what = ("empty cells" if many else "an empty cell") if empty else \
            (f"values that are no date or time (e.g. {bad!r})" if many else
             f"a value that is no date or time ({bad!r})")
        raise EngineError(f"The time column {name!r} has {what}{where}, and every row of "
                          f"many series needs its time; fix it{other}.")
    return parsed.reset_index(drop=True), note


def _numbers(frame, targets, inputs, options, order, advice):
    """``{name: (rows,) float}``: the columns ``targets`` and ``inputs`` of ``frame``, their
    rows taken in
    ``order``, read with the decimal mark and thousands separator of the CSV ``options``
    (:func:`~engine.data.number_text.numbers_as_written`: ``1,5`` in a file of decimal
    commas), empty cells NaN. A cell of text that is no number (a typo) is refused, named
    with its data row (:func:`~engine.data.csv_reader.require_numbers`) and the ``advice``
    of its kind (``"target"`` or ``"input"``)."""
    from engine.data.csv_reader import require_numbers
    from engine.data.number_text import number_marks, numbers_as_written

    require_numbers(frame, targets, options, remedy=advice["target"])
    require_numbers(frame, inputs, options, remedy=advice["input"])
    decimal, thousands = number_marks(options)
    return {name: numbers_as_written(frame[name], decimal, thousands)[0].to_numpy()[order]
            for name in targets + inputs}


def _segments(times, number, series_column, order, rows, trained_step=None):
    """``(segment, gaps, step)``: (rows,) segment numbers, a new one at each series and
    wherever the time step is larger than the data's regular ``step`` (the longest
    series', as a model trained on times ``trained_step`` apart reads them,
    :func:`~engine.data.time_steps.detect_step_like`); and how many such gaps there are. A
    time that appears twice in a series is refused, naming the series, the time and its
    data rows (``rows``: each row's data row in the file)."""
    from engine.data.time_steps import detect_step_like, step_counts

    repeated = pd.DataFrame({"series": number, "time": times}).duplicated().to_numpy()
    if repeated.any():
        raise EngineError(_repeated_time_message(times, number, order, series_column, rows,
                                                 int(np.flatnonzero(repeated)[0])))
    longest = number == np.argmax(np.bincount(number))
    step = detect_step_like(times[longest], trained_step)
    counts = step_counts(times, step)
    new_series = np.r_[True, number[1:] != number[:-1]]
    gap = (~new_series) & (counts > 1.5)
    return np.cumsum(new_series | gap) - 1, int(gap.sum()), step


def _weekend_rows(times, number, order, rows, step):
    """``[note]`` on the rows of series of business days (``step``) that fall on a weekend,
    which the windows read as one more step each, naming the first: its series, data row
    (``rows``) and time; ``[]`` without one (or for another step)."""
    from engine.data.time_steps import BUSINESS_DAYS, shown_time, weekend_note, weekend_rows

    if (step or {}).get("unit") != BUSINESS_DAYS:
        return []
    found = weekend_rows(times)
    if not found.size:
        return []
    r = int(found[0])
    first = "" if found.size == 1 else "the first: "
    return [weekend_note("The times", found.size, f"{first}series {order[number[r]]!r}, "
                         f"data row {rows[r]}, {shown_time(times.iloc[r])}", steps="step")]


def _skipped_hours(times, number, order, rows, step, gaps):
    """The sentences (after a space) on the ``gaps`` gaps in time of :func:`_segments` that
    are hours local clocks skip when summer time starts
    (:func:`~engine.data.time_steps.clocks_set_forward`), naming the first: its series and
    the data row after it (``rows``: each row's data row in the file); "" without one."""
    from engine.data.time_steps import (SUMMER_TIME_STARTS, clocks_set_forward,
                                        skipped_hour_offsets)

    found = clocks_set_forward(times, step)
    found = found[number[found] == number[found - 1]]           # not a series' first row
    if not found.size:
        return ""
    r = int(found[0])
    before, after = times.iloc[r - 1], times.iloc[r]
    first = f"the hour after {before} (series {order[number[r]]!r}: data row {rows[r]} is {after})"
    if found.size > 1:
        said = (f"{found.size:,} of them skip an hour, which looks like {SUMMER_TIME_STARTS}; "
                f"the first is {first}.")
    else:
        said = (f"{'The gap' if gaps == 1 else 'One of them'} skips {first}, which looks like "
                f"{SUMMER_TIME_STARTS}.")
    return (f" {said} To read the rows on either side one step apart, "
            f"{skipped_hour_offsets(before, after, step['size'])}")


def _repeated_time_message(times, number, order, series_column, rows, row):
    """The refusal of the time of row ``row`` (of ``times``, in the series' order, each row's
    series in ``number``, named in ``order``, and data row in ``rows``), which its series
    holds in the row before too: with how local clocks repeat an hour when summer time ends
    and what to do (:data:`~engine.data.time_steps.CLOCKS_SET_BACK`,
    :func:`~engine.data.time_steps.repeated_hour_offsets`) when its repeated times are such
    hours (:func:`~engine.data.time_steps.clocks_set_back`)."""
    from engine.data.time_steps import (CLOCKS_SET_BACK, clocks_set_back,
                                        repeated_hour_offsets, shown_time)

    own = times[number == number[row]].reset_index(drop=True)
    twice = f"{shown_time(times.iloc[row])} twice (data rows {rows[row - 1]} and {rows[row]})"
    if clocks_set_back(own, own.duplicated(keep=False)):
        return (f"Series {order[number[row]]!r} holds {twice}, {CLOCKS_SET_BACK}"
                f"{repeated_hour_offsets(times.iloc[row])}")
    return (f"Series {order[number[row]]!r} has the time {twice}; each series may have one "
            f"row per time (column {series_column!r} names the series).")
