"""A file's static labels beside those a model of many series was trained with.

A global model keeps each series' static values (one-hot categories,
:func:`~engine.many.series_data.static_one_hot`) in its own table and reads those, never the
file's: a forecast of a file whose static column gives a series another label than the
model was trained with is the forecast with the trained label. :func:`static_labels_note`
says so, naming a few such series and counting them all. Labels compare as numbers when
both read as numbers (``1`` and ``1.0``, a column read as decimals once a cell is empty),
else as text; an empty cell is not a label.
"""

import numpy as np
import pandas as pd

from engine.data.column_types import static_text
from engine.words import counted, some_named, verb

SHOWN = 3
"""How many series the note names."""


def series_labels(frame, series_column, columns, ids):
    """(len(ids), len(columns)) DataFrame: per series of ``ids`` (text) and static column
    of ``frame`` (a file's table, one row per row) the tuple of its distinct labels, as
    :func:`~engine.many.series_data.static_one_hot` reads them (text,
    :func:`static_text`), empty cells aside."""
    series = frame[series_column].astype(str)
    table = {}
    for column in columns:
        text = static_text(frame[column])
        known = text.notna()
        groups = text[known].groupby(series[known], sort=False).unique()
        table[column] = [tuple(sorted(groups.get(name, ()))) for name in ids]
    return pd.DataFrame(table)


def filled_static(values, ids):
    """``(filled, fills)``: the static column ``values`` (rows,) of the rows of the series
    ``ids`` (rows,, text) as text (:func:`static_text`, as
    :func:`~engine.many.series_data.static_one_hot` reads them) with each series' empty
    cells filled with the value its other cells hold, where they hold one alone; the empty
    cells of a series whose other cells disagree, or are all empty, stay empty. ``fills``:
    ``[(series, value, cells filled)]`` in the order the series first appear."""
    text = static_text(values)
    series, column = pd.Series(ids.to_numpy()), pd.Series(text.to_numpy())
    empty = column.isna()
    if not empty.any():
        return text, []
    known = ~empty
    firsts = column[known].groupby(series[known], sort=False).first()
    distinct = column[known].groupby(series[known], sort=False).nunique()
    rows = empty & series.isin(distinct.index[distinct == 1])
    column[rows] = series[rows].map(firsts)
    counts = series[rows].value_counts(sort=False)
    fills = [(name, firsts[name], int(count)) for name, count in counts.items()]
    return pd.Series(column.to_numpy(), index=values.index, name=values.name), fills


def filled_static_note(column, fills):
    """The note (a list of none or one) on the empty cells of the static ``column`` that
    :func:`filled_static` filled (``fills``), naming the first :data:`SHOWN` series with
    the value each got: "The static column 'group' is empty in 2 rows of 1 series, filled
    with the value of its other rows: 'p' ('north')."."""
    if not fills:
        return []
    n, cells = len(fills), sum(count for _, _, count in fills)
    named = some_named([f"{name!r} ({value!r})" for name, value, _ in fills], SHOWN)
    return [f"The static column {column!r} is empty in {counted(cells, 'row')} of "
            f"{counted(n, 'series', 'series')}, {verb(n, '', 'each ')}filled with the value "
            f"of its other rows: {named}."]


def keep_file_labels(model, data, frame):
    """Keep in ``data.static_labels`` the labels of ``frame`` (the table ``data`` was read
    from without the static columns, its series column as text) in the static columns of
    ``model`` it holds (:func:`series_labels`), for :func:`static_labels_note`; ``data``
    as it is when it holds none. Returns ``data``."""
    read = [c for c in model.settings.get("static_columns", ()) if c in frame]
    if read:
        data.static_labels = series_labels(frame, data.series_column, read, data.ids)
    return data


def trained_labels(model, numbers):
    """``{column: [label per series]}``: the label of each of the model's series
    ``numbers`` in each static column, from its one-hot table."""
    scaling = model.scaling
    labels = {}
    for column in model.settings.get("static_columns", ()):
        names = [(k, name[len(column) + 1:]) for k, name in enumerate(scaling.static_names)
                 if name.startswith(f"{column}=")]
        if names:
            hot = scaling.static[np.asarray(numbers, int)][:, [k for k, _ in names]]
            labels[column] = [names[int(k)][1] for k in np.argmax(hot, axis=1)]
    return labels


def _same(a, b):
    """Whether the labels ``a`` and ``b`` (text) are one: as numbers when both are."""
    try:
        return float(a) == float(b)
    except ValueError:
        return a == b


def static_labels_note(model, data):
    """The note (a list of none or one) on the series of ``data`` whose static labels in
    the file (``data.static_labels``, :func:`series_labels`) differ from those ``model``
    was trained with: the first :data:`SHOWN` series named, each with its columns, the
    file's label and the trained one, then how many more series; that the model's are
    read."""
    labels = data.static_labels
    if labels is None or not len(labels.columns):
        return []
    trained = trained_labels(model, model.series_numbers(data))
    found = []
    for i, name in enumerate(data.ids):
        differ = []
        for column in (c for c in trained if c in labels):
            known = trained[column][i]
            other = [label for label in labels[column][i] if not _same(label, known)]
            if other:
                differ.append(f"{column} {other[0]!r} in the file, trained with {known!r}")
        if differ:
            found.append(f"{name!r} ({'; '.join(differ)})")
    if not found:
        return []
    shown = some_named(found, SHOWN)
    return [f"The file gives {counted(len(found), 'series', 'series')} another static "
            f"label than the model was trained with: {shown}. The model reads the labels "
            "it was trained with, not the file's; to use the file's, train it again on "
            "this file."]
