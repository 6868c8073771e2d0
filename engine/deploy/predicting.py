"""Predictions beside a file's rows: what ``rnn-studio predict`` writes.

The output holds every row of the data file as it was, in the file's order (the cells' text
unchanged) and, per target ``y``, the prediction of that row made from the window that
ends before it in time order:

* horizon 0 or 1: one column ``y_predicted``;
* horizon H > 1: columns ``y_predicted_1 .. y_predicted_H``: ``y_predicted_h`` at row ``r``
  was predicted ``h`` steps ahead, from the window ending at row ``r - h``.

Rows the last windows predict beyond the file's end (the forecast) are appended, with their
time when the time step is regular and the other cells empty. A row with no complete window
before it has empty prediction cells.
"""

import numpy as np
import pandas as pd

from engine.atomic import atomic_write_csv
from engine.data.csv_reader import file_rows
from engine.errors import EngineError


def prediction_columns(fitted):
    """Output column names, step-major as the network's outputs: [(step, target, name)]."""
    steps = fitted.steps
    columns = []
    for h in range(1, steps + 1):
        for name in fitted.target_names:
            suffix = "_predicted" if steps == 1 else f"_predicted_{h}"
            columns.append((h, name, name + suffix))
    return columns


def _format_time(value, like):
    """A future time as text in the style of the file's times (``like``: original texts);
    empty for none."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(int(value)) if float(value).is_integer() else str(value)
    stamp = pd.Timestamp(value)
    if stamp == stamp.normalize() and all(len(str(t).strip()) <= 10 for t in like[:20]):
        return stamp.strftime("%Y-%m-%d")
    return stamp.isoformat(sep=" ")


def predictions_table(model, data_path):
    """The table ``predict`` writes (a DataFrame of text cells and prediction numbers) and
    the number of rows appended after the file's end."""
    fitted = model.preprocessing
    options = model.csv_options(data_path)
    frame = model.read_csv(data_path, options)
    raw = pd.read_csv(data_path, sep=options.delimiter, encoding=options.encoding,
                      header=0 if options.header else None, dtype=str,
                      keep_default_na=False, skipinitialspace=True)
    raw.columns = list(frame.columns)
    if len(raw) != len(frame):
        raise EngineError("The file's rows could not be matched one to one; check for "
                          "lines with a different number of fields.")
    windows, values = model.predict(frame)
    n = len(frame)
    extra = int(max(windows.rows.max() - (n - 1), 0))
    table = pd.concat([raw, pd.DataFrame("", index=range(extra), columns=raw.columns)],
                      ignore_index=True)
    place = np.concatenate([file_rows(frame), np.arange(n, n + extra)])
    for h, name, column in prediction_columns(fitted):
        out = np.full(n + extra, np.nan)
        j = fitted.target_names.index(name)
        out[place[windows.rows[:, h - 1]]] = values[:, h - 1, j]
        table[column] = out
    time_column = fitted.time_column
    if extra and time_column and windows.times is not None:
        future = {}
        for index, row in np.ndenumerate(windows.rows):
            if row >= n:
                future[int(row)] = windows.times[index]
        for row, value in future.items():
            table.loc[row, time_column] = _format_time(value, list(raw[time_column]))
    return table, extra, options


def write_predictions(model, data_path, out_path):
    """Write :func:`predictions_table` to ``out_path`` atomically (the input file's delimiter
    and decimal mark, UTF-8). Returns ``(rows, rows appended)``."""
    table, extra, options = predictions_table(model, data_path)
    atomic_write_csv(out_path, table, sep=options.delimiter, decimal=options.decimal)
    return len(table), extra
