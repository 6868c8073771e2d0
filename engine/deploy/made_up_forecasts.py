"""What a forecast of one series says of the values the model made up for cells (a number
filled in for an empty cell, an empty category, a label it was not trained on; see
:mod:`engine.deploy.predicting`).

* The network and the linear autoregression read the data as the model encodes it, made-up
  values included: the rows they forecast from windows that read one are marked
  (:func:`made_up_reads`) and a note counts them as ``predict``'s does, with advice of
  its own (:func:`forecast_advice`); the linear autoregression's fit says how many made-up
  values its rows hold (:func:`linear_fit_words`).
* Exponential smoothing and the Theta method read the targets' known values alone: fitted
  on the run of known values that ends at the forecast, they make up nothing; when an
  empty target cell cut that run short, a note says where it starts
  (:func:`known_run_note`).
"""

import numpy as np

from engine.deploy.predicting import filled_in_note, made_up_cells, read_made_up
from engine.words import counted


def made_up_reads(fitted, encoded, start, n, method, named, smoothing=False):
    """``(filled (n,) bool, notes)``: which of the ``n`` rows forecast from row ``start``
    of ``encoded`` (the rows a forecast uses, encoded for prediction) were made from
    windows that read a value the model made up for a cell
    (:func:`~engine.deploy.predicting.read_made_up`), and the note on them (a list of
    none or one, :func:`forecast_note`; ``named``: the front end's words; ``smoothing``:
    whether to advise exponential smoothing or the Theta method, :func:`runs_fit`). Step
    ``h`` of a
    recursive forecast reads the window ending at row ``start + h - f`` (``f``: the first
    target offset), its own forecasts standing for the targets from row ``start`` on;
    every step of a direct one reads the window ending at row ``start - 1``."""
    made_up = dict(encoded.made_up)
    made_up["numbers"] = np.where(np.arange(encoded.n_rows) < start, made_up["numbers"], 0)
    anchors = np.full(n, start - 1)
    if method == "recursive":
        anchors = start + np.arange(n) - int(fitted.target_offsets[0])
    filled = read_made_up(fitted, made_up, anchors)
    if not filled.any():
        return filled, []
    cells, labels, where = made_up_cells(fitted, encoded, made_up, anchors[filled])
    note = filled_in_note(int(filled.sum()), cells, fitted.missing, labels,
                          "The forecasts of", forecast_advice(cells, where, named, smoothing))
    return filled, [note]


def forecast_advice(cells, where, named, smoothing=False):
    """How to forecast from known values only: fill the empty cells of the rows that hold
    the made-up values read (``where`` (rows,) bool; ``cells`` the counts of each kind,
    :func:`~engine.deploy.predicting.made_up_cells`) and write known labels there, or,
    when ``smoothing``, make the forecast with a method that reads the targets' known
    values alone, named in the front end's words (``named["known_only"]``)."""
    found = np.flatnonzero(where)
    span = f"row {found[0]}" if found[0] == found[-1] else f"rows {found[0]} to {found[-1]}"
    todo = []
    if cells["numbers"] or cells["categories"]:
        todo.append(f"fill the empty cells in {span}")
    if cells["labels"]:
        place = "there" if todo else f"in {span}"
        todo.append(f"write labels the model knows {place} (or train it on data that holds "
                    "the new ones)")
    other = f", or {named['known_only']}, which read the targets' known values alone" \
        if smoothing else ""
    return f"To forecast from known values only, {' and '.join(todo)}{other}."


def linear_fit_words(encoded, rows):
    """What the linear autoregression was fitted on, for its note: the targets' known
    values, and the made-up values the fitted ``rows`` (``[first, last]``) of ``encoded``
    hold, when they hold any."""
    first, last = rows
    made = sum(int(counts[first:last + 1].sum()) for counts in encoded.made_up.values())
    if not made:
        return "this data's known target values"
    return (f"this data's known values and {counted(made, 'value')} the model made up for "
            f"empty cells (in rows {first} to {last})")


def runs_fit(series):
    """Whether exponential smoothing and the Theta method can fit every target's run of
    known values before the forecast (``series``: ``{name: (start,) numbers}``, NaN where
    empty): long enough (:data:`~engine.testing.comparators.MIN_ROWS`; a gap in time
    shortens a run only when that many rows remain after it) and not constant."""
    from engine.testing.comparators import future_first_row, series_problem

    return not any(series_problem(np.asarray(y)[future_first_row(y):], name)
                   for name, y in series.items())


def cut_runs(series, gaps=None):
    """Phrases on the targets whose run of known values before the forecast (``series``:
    ``{name: (start,) numbers}``, NaN where empty; ``gaps``: the gaps in time,
    :func:`~engine.testing.comparators.future_first_row`) an empty cell cut short: from
    which row exponential smoothing and the Theta method are fitted on."""
    from engine.testing.comparators import future_first_row

    parts = []
    for name, y in series.items():
        first = future_first_row(y, gaps)
        if first and not np.isfinite(y[first - 1]):
            parts.append(f"{name} from row {first} on, after its empty cell in row "
                         f"{first - 1}")
    return parts


def known_run_note(method, cuts):
    """The note (a list of none or one) of exponential smoothing or the Theta method
    (``method``) fitted on runs of known values that empty cells cut short (``cuts``, the
    phrases of :func:`cut_runs`): from which row, and how to fit it on more."""
    from engine.testing.verdict import method_words

    if not cuts:
        return []
    return [f"{method_words(method, capital=True)} made up no value for an empty cell: it "
            f"was fitted on the known values after the last empty one ({'; '.join(cuts)}). "
            "To fit it on more rows, fill the empty cells in the file."]
