"""Predictions beside every row of many series: what ``rnn-studio predict`` writes for a
global model.

One output row per row of the file, series by series in time order: the series, the time
(when the file has one; a time built from a year and a quarter, or a month, written as the
periods, ``2005-Q1``, then the file's year and quarter cells as they were, as ``predict``
writes them for one series), each target's and input's value and, per target ``y`` and
step ``h = 1 .. H``,
``y_predicted_h``: the prediction of that row made ``h`` steps ahead, from the window that
ends ``h`` rows before it (empty where no complete window of known rows lies there, and
after a gap in time, which no prediction spans).
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from engine.atomic import atomic_write_csv
from engine.data.windows import usable_anchors
from engine.data.year_period import with_period_labels
from engine.many.extrapolation import far_outside_note
from engine.many.global_model import window_view
from engine.many.scaling import from_targets

BATCH = 4096          # windows predicted at once: bounds the memory of a batch


def prediction_frame(model, data):
    """The table :func:`write_predictions` writes (see the module docstring)."""
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
    frame = pd.DataFrame({data.series_column: np.repeat(data.ids, data.lengths)})
    if data.times is not None:
        frame[data.time_column] = data.times.to_numpy()
    named = set(model.target_names) | set(model.input_names)
    for name in [] if data.time_parts is None else data.time_parts.columns:
        if name not in named:
            frame[name] = data.time_parts[name].to_numpy()
    for j, name in enumerate(model.target_names):
        frame[name] = data.targets[:, j]
    for j, name in enumerate(model.input_names):
        frame[name] = data.inputs[:, j]
    for h in range(1, model.horizon + 1):
        for j, name in enumerate(model.target_names):
            frame[f"{name}_predicted_{h}"] = predicted[:, h - 1, j]
    return frame


class PredictionsWritten(NamedTuple):
    """What :func:`write_predictions` wrote: the table's rows, and notes (plain sentences:
    the series with values far outside those the model was trained on,
    :mod:`engine.many.extrapolation`)."""

    rows: int
    notes: list


def write_predictions(model, data, path):
    """Write :func:`prediction_frame` to ``path`` as CSV (atomically; a time of a year
    and a quarter as the periods, ``2005-Q1``, as for one series:
    :func:`~engine.data.year_period.with_period_labels`); returns a
    :class:`PredictionsWritten`: ``rows, notes``."""
    frame = prediction_frame(model, data)
    if data.time_column:
        frame = with_period_labels(frame, data.time_column)
    atomic_write_csv(path, frame)
    note = far_outside_note(model, data)
    return PredictionsWritten(len(frame), [note] if note else [])
