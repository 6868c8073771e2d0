"""Predictions beside every row of many series: what ``rnn-studio predict`` writes for a
global model.

As ``predict`` of one series (:mod:`engine.deploy.predicting`), the output holds every row
of the data file as it was, in the file's order, every cell's text unchanged (the series,
the time, the targets and inputs, and the static and unused columns too; a time built from
a year and a quarter, or a month, first, as the periods ``2005-Q1``), then, per target ``y``
and step ``h = 1 .. H``, ``y_predicted_h``: the prediction of that row made ``h`` steps
ahead, from the window of its series that ends ``h`` rows before it in time (empty where no
complete window of known rows lies there, and after a gap in time, which no prediction
spans). A :class:`~engine.many.series_data.SeriesSet` made from a table in memory, with no
file behind it, gives the columns it holds (the series, the time, the year and quarter cells
a time is built from or, in a predictions file read again, whose periods it holds, the
targets and inputs) in the table's row order.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from engine.atomic import atomic_write_csv, check_not_replacing, file_marks
from engine.data.windows import usable_anchors
from engine.deploy.predicting import replaced_note
from engine.data.year_period import with_named_time, with_period_labels
from engine.many.extrapolation import far_outside_note
from engine.many.global_model import window_view
from engine.many.model_series import series_notes
from engine.many.scaling import from_targets
from engine.many.series_data import SeriesSet, read_for_model

BATCH = 4096          # windows predicted at once: bounds the memory of a batch


def prediction_frame(model, data, cells=None, matched=None):
    """The table :func:`write_predictions` writes (see the module docstring): ``cells``
    (the file's, :func:`file_cells`; None: :func:`own_cells` of ``data``), one row per
    row of ``data`` in the order read (``data.file_rows``), with the predictions of
    :func:`predicted_rows` after them; the rows of a series new to ``model`` without any.
    ``matched``: ``(known, new, missing)`` of ``data``, as
    :meth:`~engine.many.global_model.GlobalModel.known_series` gives it (None: matched
    here)."""
    known, new, _ = model.known_series(data) if matched is None else matched
    predicted = predicted_rows(model, known)
    if new:
        rows = ~np.isin(np.repeat(np.asarray(data.ids, dtype=object), data.lengths), new)
        every = np.full((len(rows),) + predicted.shape[1:], np.nan)
        every[rows] = predicted
        predicted = every
    table = own_cells(data) if cells is None else cells.copy()
    if data.file_rows is None:
        place = np.arange(len(table))
    elif cells is None:         # own_cells: the rows held, in the file's order, numbered anew
        place = np.argsort(np.argsort(data.file_rows))
    else:
        place = data.file_rows
    for h, j, column_name in prediction_columns(model):
        column = np.full(len(table), np.nan)
        column[place] = predicted[:, h - 1, j]
        table[column_name] = column
    return table


def prediction_columns(model):
    """``(h, j, name)`` of every column of predictions, ``y_predicted_h`` of target ``j``
    (named ``y``) ``h`` steps ahead, in the order written."""
    return [(h, j, f"{name}_predicted_{h}") for h in range(1, model.horizon + 1)
            for j, name in enumerate(model.target_names)]


def predicted_rows(model, data):
    """(rows, H, n_targets): the prediction of each row of ``data`` (in its order) made
    ``h = 1 .. H`` steps ahead, NaN where none is (see the module docstring)."""
    scaling, features, level = model.features_of(data)
    known = np.isfinite(features).all(axis=1)
    anchors = usable_anchors(data.segment, known, np.ones(len(known), bool), model.lookback,
                             0)
    rows, width = len(known), len(model.target_names)
    predicted = np.full((rows, model.horizon, width), np.nan)
    series = data.series_of_rows()
    ends = data.starts[1:][series]                 # each row's series' end
    windows = window_view(features, model.lookback, model.fold)
    for first in range(0, len(anchors), BATCH):
        a = anchors[first:first + BATCH]
        z = model.network.predict(windows[a - model.lookback + 1])
        future = scaling.values(from_targets(z, level[a], scaling.scale[series[a]],
                                             model.horizon), series[a])
        for h in range(1, model.horizon + 1):
            inside = a + h < ends[a]       # in the series, and on the same side of a gap
            inside[inside] = data.segment[a[inside] + h] == data.segment[a[inside]]
            predicted[a[inside] + h, h - 1] = future[inside, h - 1]
    return predicted


def own_cells(data):
    """The columns ``data`` holds (its series, time, the year and quarter cells of its time,
    :attr:`~engine.many.series_data.SeriesSet.time_parts`, targets and inputs), one row per
    row in the order read (``data.file_rows``); a time of a year and a quarter as the
    periods, ``2005-Q1`` (:func:`~engine.data.year_period.with_period_labels`)."""
    frame = pd.DataFrame({data.series_column: np.repeat(data.ids, data.lengths)})
    if data.times is not None:
        frame[data.time_column] = data.times.to_numpy()
    named = set(data.target_names) | set(data.input_names)
    for name in [] if data.time_parts is None else data.time_parts.columns:
        if name not in named:
            frame[name] = data.time_parts[name].to_numpy()
    for j, name in enumerate(data.target_names):
        frame[name] = data.targets[:, j]
    for j, name in enumerate(data.input_names):
        frame[name] = data.inputs[:, j]
    if data.time_column:
        frame = with_period_labels(frame, data.time_column)
    if data.file_rows is not None:
        frame.index = data.file_rows
    return frame.sort_index().reset_index(drop=True)


def file_cells(frame, path, options, time_column):
    """The cells of the CSV file at ``path`` as text, every row and column
    (:func:`engine.deploy.predicting.file_cells`), ``frame`` the table
    :func:`~engine.many.series_data.read_series` read from it with ``options`` and
    ``time_column`` the model's time column (built from a year and a quarter when the file
    writes it so)."""
    from engine.deploy.predicting import file_cells as cells_of_file

    return cells_of_file(path, options, with_named_time(frame, time_column))


class PredictionsWritten(NamedTuple):
    """What :func:`write_predictions` wrote: the table's rows, notes (plain sentences:
    the series new to the model, whose rows have no predictions,
    :func:`~engine.many.model_series.series_notes`; the series with values
    far outside those the model was trained on, :mod:`engine.many.extrapolation`; the
    file's columns the predictions replace,
    :func:`~engine.deploy.predicting.replaced_note`), the
    number of series and of those predicted (the series the model was trained on)."""

    rows: int
    notes: list
    series: int
    predicted: int


def write_predictions(model, data, path):
    """Write :func:`prediction_frame` to ``path`` as CSV (atomically). ``data``: the path of
    a CSV file, read as :func:`~engine.many.series_data.series_for_model` reads it, whose
    every cell is kept (never written over; its delimiter and decimal mark, as ``predict``
    of one series writes), or a :class:`~engine.many.series_data.SeriesSet` (its own
    columns; commas and decimal points). Returns a :class:`PredictionsWritten`: ``rows,
    notes, series, predicted``."""
    if isinstance(data, SeriesSet):
        cells, options = None, None
    else:
        source = data
        check_not_replacing(path, source)
        data, table, options = read_for_model(model, source)
        cells = file_cells(table, source, options, data.time_column)
    known, new, missing = matched = model.known_series(data)
    held = own_cells(data).columns if cells is None else cells.columns
    frame = prediction_frame(model, data, cells, matched)
    atomic_write_csv(path, frame, **file_marks(options))
    notes = series_notes(new, missing, "predict") + [
        far_outside_note(model, known),
        replaced_note([name for _, _, name in prediction_columns(model) if name in held])]
    return PredictionsWritten(len(frame), [note for note in notes if note], data.n_series,
                              known.n_series)
