"""Predictions beside a file's rows: what ``rnn-studio predict`` writes.

The output holds every row of the data file as it was, in the file's order (the cells' text
unchanged) and, per target ``y``, the prediction of that row made from the window that
ends before it in time order:

* horizon 0 or 1: one column ``y_predicted``;
* horizon H > 1: columns ``y_predicted_1 .. y_predicted_H``: ``y_predicted_h`` at row ``r``
  was predicted ``h`` steps ahead, from the window ending at row ``r - h``.

Rows the last windows predict beyond the file's end (the forecast) are appended, with their
time when the time step is regular and the other cells empty. A row with no complete window
before it has empty prediction cells, and so has a row after a gap in time (missing time
steps) until a window lies after the gap: a window before it predicts the times the gap
leaves out.

When a prediction was made from a window that read a value the model made up for a cell (a
number filled in for an empty cell by the model's missing-value rule: interpolated, or the
training mean or median; an empty cell of a categorical input, or a label it was not trained
on, read as none of its categories; a binary input's third label, filled in as an empty
cell), a last column :data:`FILLED_COLUMN` holds 1 in its row
(in any of its steps' columns), 0 in the others, and a note says how many rows that is and
how many cells of each kind those predictions read; without such predictions the column is
left out.
"""

import itertools
import re
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd

from engine.atomic import atomic_write_csv, check_not_replacing, file_marks
from engine.data.column_types import last_time_zone, parse_time, written_with_zone
from engine.data.extrapolation import far_outside_note
from engine.data.preprocessing import training_rows
from engine.data.time_steps import file_rows, offset_text
from engine.data.year_period import (named_year_period, period_label, period_texts,
                                     periods_of, written_with_year_period)
from engine.data.windows import spans_hold
from engine.data.unknown_labels import (FILLED_WITH, LABELS_TODO, covered, labels_in,
                                        labels_phrases)
from engine.errors import EngineError
from engine.words import counted, listed, the_named, verb

FILLED_COLUMN = "read_filled_in"
"""The column that marks the rows predicted from values made up for cells."""
LATEST_TEXTS = 20
"""The latest time texts a style of the file's times must give back (:func:`time_style`)."""

# a time written with its zone: the clock time, then the zone as an offset (+01:00, +0100,
# +01, +1), Z, UTC or GMT
_ZONED_TEXT = re.compile(r"^(?P<clock>.*\d)(?P<gap>\s*)(?P<zone>Z|UTC|GMT|[+-]\d\d?(?::?\d\d)?)$",
                         re.IGNORECASE)
_OFFSET = re.compile(r"^[+-](?P<hours>\d\d?)(?P<colon>:?)(?P<minutes>\d\d)?$")
# the fraction of a second in a style: ``%f`` (six digits) or ``%3f`` (the first three)
_FRACTION = re.compile(r"%([1-9]?)f")
# the fraction of a second after a time of day's seconds: ``12:00:01.250`` -> ``250``
_FRACTION_DIGITS = re.compile(r":\d\d[.,](\d+)")


def prediction_columns(fitted):
    """Output column names, step-major as the network's outputs: [(step, target, name)]."""
    steps = fitted.steps
    columns = []
    for h in range(1, steps + 1):
        for name in fitted.target_names:
            suffix = "_predicted" if steps == 1 else f"_predicted_{h}"
            columns.append((h, name, name + suffix))
    return columns


def _format_time(value, like, style=None, zone=None, read=None, utc=False):
    """A future time as text in the style of the file's times (``like``: original texts;
    ``style``: their strftime format, :func:`time_style`, when one was found; ``zone``:
    the zone they were written in when they carry one,
    :func:`~engine.data.time_zones.written_zone`; None: the offset of the last line;
    ``read``: the times the reader read from ``like``, in UTC when they carry a zone, one
    for each text; ``utc``: the reader read them in UTC, also where the last text is not a
    time, ``n/a``); empty for none."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(int(value)) if float(value).is_integer() else str(value)
    stamp = pd.Timestamp(value)
    if utc or written_with_zone(like):      # read in UTC, written in the data's zone
        zone = zone or last_time_zone(pd.Series(like, dtype=object))
        return _zoned_text(stamp.tz_localize("UTC").tz_convert(zone), like, read)
    if style:
        return written_as(stamp, style)
    if stamp == stamp.normalize() and all(len(str(t).strip()) <= 10 for t in like[:20]):
        return stamp.strftime("%Y-%m-%d")
    return stamp.isoformat(sep=" ")


def _zoned_text(local, like, read=None):
    """The zone-aware time ``local`` written as the latest of the texts ``like`` that carry
    their zone write theirs: the clock time in their strftime style (:func:`time_style` of
    their clock times: the times ``read`` from them, in UTC, moved by each text's own
    offset, so that a day written first stays first), then the offset as they write it
    (``+01:00``, ``+0100``, ``+01``; ``Z``, ``UTC`` or ``GMT`` for an offset of 0 where
    they write that), with the space before it they put; ISO 8601 with a space
    (``2023-01-01 00:00:00+00:00``) where no style gives their clock times back."""
    if read is None or len(read) != len(like):
        read = [None] * len(like)
    latest = [clock for clock in map(_clock_time, _latest(like), _latest(read)) if clock]
    if not latest:
        return local.isoformat(sep=" ")
    earlier = (clock for clock in map(_clock_time, _before_latest(like),
                                      _before_latest(read)) if clock)
    style = time_style([c[0] for c in latest], [c[1] for c in latest],
                       (c[:2] for c in earlier))
    if style is None:
        return local.isoformat(sep=" ")
    last = latest[-1][2]
    return written_as(local, style) + last["gap"] + _offset_as(local.utcoffset(),
                                                              last["zone"])


def _clock_time(text, utc):
    """``(clock text, clock time, match)`` of a time written with its zone as ``text`` and
    read as ``utc`` (its clock time: ``utc`` moved by the text's own offset); None for a
    text without a zone or a time not read."""
    match = _ZONED_TEXT.match(str(text).strip())
    if match is None or utc is None or pd.isna(utc):
        return None
    return match["clock"], pd.Timestamp(utc) + _offset_of(match["zone"]), match


def _offset_of(written):
    """The offset written as ``written`` (``+01:00``, ``-0330``, ``+1``, ``Z``, ``UTC``) as
    a Timedelta."""
    form = _OFFSET.match(written)
    if form is None:                            # Z, UTC, GMT
        return pd.Timedelta(0)
    minutes = 60 * int(form["hours"]) + int(form["minutes"] or 0)
    return pd.Timedelta(minutes=-minutes if written.startswith("-") else minutes)


def _offset_as(offset, written):
    """The offset ``offset`` (a timedelta) in the form of ``written``: ``+01:00``,
    ``+0100``, ``+01``, ``+1:00`` or ``+1`` (hours alone where ``written`` has them alone
    and the minutes are 0; one digit for hours below 10 where ``written`` has one), or
    ``written`` itself (``Z``, ``UTC``) for an offset of 0 where it names UTC (``+00:00``
    for another offset)."""
    seconds = int(offset.total_seconds())
    whole = offset_text(seconds)                # +01:00
    form = _OFFSET.match(written)
    if form is None:                            # Z, UTC, GMT
        return written if seconds == 0 else whole
    if form["minutes"] is None and not whole.endswith(":00"):
        return whole                            # +05:30 where the file writes +05
    hours = whole[1:3].lstrip("0").rjust(len(form["hours"]), "0")
    minutes = "" if form["minutes"] is None else form["colon"] + whole[4:]
    return whole[0] + hours + minutes


def time_style(texts, times, earlier=None):
    """The strftime format the file writes its times in (``2015/12/31``: ``%Y/%m/%d``;
    a fraction of a second as ``%3f``, ``12:00:01,250`` with its comma, which
    :func:`written_as` writes):
    one that gives back the latest rows' texts (:data:`LATEST_TEXTS`) exactly from their
    parsed ``times``; None when none does (then dates are written as ``2015-12-31``).
    Where a day first and a month first both give them back (rows of one day whose day and month are the same
    number, ``01/01/2021 23:00``), the earlier rows tell them apart: ``earlier``, pairs
    ``(text, time)`` from the latest back (None: those of ``texts`` and ``times``)."""
    from pandas.tseries.api import guess_datetime_format

    pairs = [(str(text).strip(), stamp) for text, stamp in zip(_latest(texts), _latest(times))
             if str(text).strip() and not pd.isna(stamp)]
    if not pairs or not isinstance(pairs[-1][1], (pd.Timestamp, np.datetime64)):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # a day-first guess warns
        last = re.sub(r"(:\d\d),(\d)", r"\1.\2", pairs[-1][0])     # 12:00:00,500
        styles = {guess_datetime_format(last, dayfirst=first) for first in (0, 1)}
    comma = last != pairs[-1][0]
    styles = {_with_fraction_digits(style, last).replace("%S.%", "%S,%") if comma else
              _with_fraction_digits(style, last) for style in styles if style}
    fitting = [style for style in sorted(styles)
               if all(written_as(pd.Timestamp(stamp), style) == text for text, stamp in pairs)]
    if len(fitting) > 1:
        if earlier is None:
            earlier = zip(_before_latest(texts), _before_latest(times))
        fitting = _told_apart(fitting, earlier)
    return fitting[0] if fitting else None


def written_as(stamp, style):
    """The time ``stamp`` written in ``style``: a strftime format in which ``%3f`` (``%1f``
    to ``%9f``) writes the first 3 digits of the second's fraction, to the nanosecond
    (``%f``: six)."""
    def fraction(match):
        return f"{stamp.microsecond:06d}{stamp.nanosecond:03d}"[:int(match[1] or 6)]

    return stamp.strftime(_FRACTION.sub(fraction, style))


def _with_fraction_digits(style, text):
    """``style`` with its ``%f`` written ``%3f`` where ``text`` gives its seconds three
    decimals (``12:00:01.250``), as it is where it has no ``%f`` or more than nine."""
    digits = _FRACTION_DIGITS.search(text)
    if "%f" not in style or digits is None or len(digits[1]) > 9:
        return style
    return style.replace("%f", f"%{len(digits[1])}f")


def _latest(values, count=LATEST_TEXTS):
    """The last ``count`` of ``values`` (a list, an array or a Series), as a list."""
    return list(values.iloc[-count:] if hasattr(values, "iloc") else values[-count:])


def _before_latest(values, count=LATEST_TEXTS):
    """The values before the last ``count`` of ``values``, the latest first, one at a time
    (a long column is not copied for the few a tie reads)."""
    values = values.to_numpy() if hasattr(values, "to_numpy") else values
    return itertools.islice(reversed(values), count, None)


def _told_apart(styles, earlier):
    """Of ``styles`` that all give back the latest texts, those that give back the
    ``earlier`` ones too (pairs ``(text, time)``, the latest first), read back until one
    is left; a text none of them gives back is passed over; all of them where no text
    tells them apart."""
    for text, stamp in earlier:
        text = str(text).strip()
        if not text or pd.isna(stamp):
            continue
        kept = [style for style in styles if written_as(pd.Timestamp(stamp), style) == text]
        if kept:
            styles = kept
        if len(styles) == 1:
            break
    return styles


class PredictionsWritten(NamedTuple):
    """What :func:`write_predictions` wrote: the table's rows, how many of them were
    appended after the file's last row, and notes (plain sentences: values far outside
    those the model was trained on, :mod:`engine.data.extrapolation`)."""

    rows: int
    appended: int
    notes: list


def predictions_table(model, data_path):
    """The table ``predict`` writes (a DataFrame of text cells and prediction numbers),
    the number of rows appended after the file's end and the file's CSV options.
    ``model``: a loaded model or the path of its model file."""
    return predictions_with_notes(model, data_path)[:3]


def replaced_note(columns):
    """The note on the file's ``columns`` that the predictions replace in the file written
    (named as they are: an earlier prediction read again, or a column of the person's);
    None without one."""
    if not columns:
        return None
    return (f"The file already held {the_named('column', columns)} (an earlier "
            f"prediction?): the predictions replace {verb(len(columns), 'it', 'them')} in "
            "the file written; rename a column of your own to keep it there.")


def predictions_with_notes(model, data_path):
    """:func:`predictions_table` and its notes: ``(table, appended, options, notes)``."""
    from engine.model.model_file import loaded_model

    model = loaded_model(model)
    fitted = model.preprocessing
    options = model.csv_options(data_path)
    frame = model.read_csv(data_path, options)
    raw = file_cells(data_path, options, frame)
    windows, values = model.predict(frame)
    n = len(frame)
    follows = windows.without_gap()
    # only rows that keep a prediction are appended (none past a gap before the last row)
    extra = int(max(windows.rows[follows].max(initial=-1) - (n - 1), 0))
    table = pd.concat([raw, pd.DataFrame("", index=range(extra), columns=raw.columns)],
                      ignore_index=True)
    place = np.concatenate([file_rows(frame), np.arange(n, n + extra)])
    for h, name, column in prediction_columns(fitted):
        out = np.full(n + extra, np.nan)
        j = fitted.target_names.index(name)
        kept = follows[:, h - 1]
        out[place[windows.rows[kept, h - 1]]] = values[kept, h - 1, j]
        table[column] = out
    time_column = fitted.time_column
    if extra and time_column and windows.times is not None:
        future = {}
        for index, row in np.ndenumerate(windows.rows):
            if n <= row < n + extra:
                future[int(row)] = windows.times[index]
        parsed = parse_time(frame[time_column], time_column)
        in_file = pd.Series(parsed.to_numpy(), index=file_rows(frame)).sort_index()
        style = time_style(raw[time_column], in_file)
        labelled = periods_of(time_column, [*in_file, *future.values()], raw[time_column])
        parts = named_year_period(time_column, raw.columns)
        like, read = list(raw[time_column]), in_file.to_numpy()
        for row, value in future.items():
            table.loc[row, time_column] = period_label(value, labelled) if labelled else \
                _format_time(value, like, style, frame.attrs.get("time_zone"), read,
                             bool(frame.attrs.get("utc_times")))
            if parts is not None:
                for name, text in period_texts(value, parts, raw).items():
                    table.loc[row, name] = text
    read = training_rows(windows.anchors, fitted.lookback, 0, n)
    notes = [far_outside_note(fitted, windows.encoded, read),
             mark_filled_in(table, fitted, windows, follows, place),
             replaced_note([c for _, _, c in prediction_columns(fitted) if c in raw.columns])]
    return table, extra, options, [note for note in notes if note]


def file_cells(data_path, options, frame):
    """The cells of the CSV file at ``data_path`` (read with ``options``) as text, every row
    in the file's order and every column it writes, named as ``frame`` (what
    :func:`~engine.data.csv_reader.read_csv` read from it) names them; a time built from a
    year and a quarter (month) first, as periods
    (:func:`~engine.data.year_period.written_with_year_period`)."""
    raw = pd.read_csv(data_path, sep=options.delimiter, encoding=options.encoding,
                      header=0 if options.header else None, dtype=str,
                      keep_default_na=False, skipinitialspace=True)
    raw = written_with_year_period(raw, frame)
    raw.columns = list(frame.columns)
    if len(raw) != len(frame):
        raise EngineError("The file's rows could not be matched one to one; check for "
                          "lines with a different number of fields.")
    return raw


def mark_filled_in(table, fitted, windows, follows, place):
    """Add :data:`FILLED_COLUMN` to ``table`` (1 in the rows ``place[row]`` that a
    prediction made from a window that read a made-up value lands in, 0 elsewhere;
    :func:`read_made_up`) and return the note on them (:func:`made_up_note`); None when no
    prediction read one, ``table`` then as it is but for a :data:`FILLED_COLUMN` it held
    already (an earlier output), set to 0. ``follows``: (windows, steps) the predictions
    kept (:meth:`PredictionWindows.without_gap`)."""
    made_up = windows.encoded.made_up
    kept = follows & read_made_up(fitted, made_up, windows.anchors)[:, None]
    flags = np.zeros(len(table), dtype=int)
    if not kept.any():
        if FILLED_COLUMN in table:      # an earlier output predicted again: not its marks
            table[FILLED_COLUMN] = flags
        return None
    flags[place[windows.rows[kept]]] = 1
    table[FILLED_COLUMN] = flags
    return made_up_note(fitted, windows.encoded, made_up, windows.anchors[kept.any(axis=1)],
                        int(flags.sum()))


def read_made_up(fitted, made_up, anchors):
    """(m,) bool: which of the windows ending at rows ``anchors`` (m,) read a value the
    model made up (``made_up``: :attr:`~engine.data.preprocessing.Encoded.made_up`): a
    target's number as far back as its differences reach
    (:meth:`~engine.data.preprocessing.FittedPreprocessing.rows_read`), an input's number,
    category or label in the window's own lookback rows."""
    inputs_only = (made_up["input_numbers"] + made_up["categories"] + made_up["labels"]) > 0
    return (spans_hold(made_up["numbers"] > 0, anchors + 1 - int(fitted.rows_read()), anchors)
            | spans_hold(inputs_only, anchors + 1 - int(fitted.lookback), anchors))


def made_up_note(fitted, encoded, made_up, anchors, rows, what="Predictions in"):
    """The note (:func:`filled_in_note`) on ``rows`` predictions made from the windows
    ending at ``anchors`` that read made-up values (:func:`read_made_up`, same
    ``made_up``), counting each cell they read once (:func:`made_up_cells`); ``what``
    names the predictions."""
    cells, labels, _ = made_up_cells(fitted, encoded, made_up, anchors)
    return filled_in_note(rows, cells, fitted.missing, labels, what)


def made_up_cells(fitted, encoded, made_up, anchors):
    """``(cells, labels, where)``: the made-up cells (:func:`read_made_up`, same
    ``made_up``) the windows ending at ``anchors`` (m,) read, each counted once: ``cells``
    ``{"numbers", "categories", "labels"}`` counts (the targets' and the inputs' numbers
    together), ``labels`` the phrases on the labels
    (:func:`~engine.data.unknown_labels.labels_phrases`) and ``where`` (rows,) bool, the
    rows that hold them."""
    read, lookback = fitted.rows_read(), fitted.lookback
    seen = {"numbers": covered(anchors + 1 - int(read), anchors, encoded.n_rows),
            "inputs": covered(anchors + 1 - int(lookback), anchors, encoded.n_rows)}
    where = np.zeros(encoded.n_rows, dtype=bool)
    for kind, counts in made_up.items():
        where |= seen["numbers" if kind == "numbers" else "inputs"] & (counts > 0)
    cells = {kind: int(counts[seen["numbers" if kind == "numbers" else "inputs"]].sum())
             for kind, counts in made_up.items()}
    cells["numbers"] += cells.pop("input_numbers")
    labels = labels_phrases(fitted, labels_in(encoded, seen["inputs"]))
    return cells, labels, where


def filled_in_note(rows, cells, missing, labels=(), what="Predictions in", advice=None):
    """The note on ``rows`` predictions made from made-up values: the cells of each kind
    they read (``cells``: ``{"numbers", "categories", "labels"}`` counts, each said only
    when not 0; ``labels``: the phrases on the labels, which ones and how they were read,
    :func:`~engine.data.unknown_labels.labels_phrases`) and how the model made them up
    (``missing``: its missing-value rule); ``what`` names the predictions ("Predictions
    in" 3 rows, "The forecasts of"); ``advice``: the sentence on how to do without made-up
    values (None: predict's, "To predict from known values only, ...")."""
    how = []
    if cells["numbers"]:
        how.append(f"{counted(cells['numbers'], 'empty number cell')} "
                   f"{FILLED_WITH.get(missing, 'filled in')}")
    if cells["categories"]:
        how.append(f"{counted(cells['categories'], 'empty category', 'empty categories')} "
                   "read as none of the categories")
    if cells["labels"]:
        how += list(labels)
    todo = ["fill the empty cells in the file"] if cells["numbers"] or cells["categories"] else []
    if cells["labels"]:
        todo.append(LABELS_TODO)
    advice = advice or f"To predict from known values only, {' and '.join(todo)}."
    return (f"{what} {counted(rows, 'row')} were made from windows that read values "
            f"the model made up: {listed(how)}; the column {FILLED_COLUMN} marks "
            f"{'it' if rows == 1 else 'them'} with 1. {advice}")


def write_predictions(model, data_path, out_path):
    """Write :func:`predictions_table` to ``out_path`` atomically (the input file's delimiter
    and decimal mark, UTF-8); never over ``data_path`` itself. Returns a
    :class:`PredictionsWritten`: ``rows, appended, notes``."""
    check_not_replacing(out_path, data_path)
    table, extra, options, notes = predictions_with_notes(model, data_path)
    atomic_write_csv(out_path, table, **file_marks(options))
    return PredictionsWritten(len(table), extra, notes)
