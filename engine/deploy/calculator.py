"""The outputs calculator and directional outputs: a model's answer for rows a person types
in, and how that answer moves when one input varies while the others are held.

The calculator reads the last ``lookback + lag`` rows of the columns the model reads
(:func:`calculator_columns`; ``lag`` is the target transform's, so that differences have
the values they start from), in the CSV's units, one time step apart. It returns the
model's outputs from the window ending at the last row: (steps, n_targets) in the targets'
units, exactly as a prediction of that window in a file would be.

Directional outputs: with the rows held, input ``x`` is set to each of ``points`` values
from ``low`` to ``high`` (at every row of the window, a level held for the whole window, or
at the last row only) and the outputs are computed for each: ``f(x)`` (points, steps, k).
"""

import copy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.data.column_types import parse_time
from engine.data.extrapolation import far_outside_note
from engine.data.missing import interpolate_segments, time_segments
from engine.data.number_text import numbers_as_written
from engine.data.pipeline import prediction_windows
from engine.errors import EngineError


def calculator_columns(fitted):
    """The columns the calculator needs: the inputs, and the targets when the model reads
    their history or its transform starts from their past values."""
    feedback = any(v["role"] == "input_target" for v in fitted.variables)
    needs_targets = bool(fitted.lag) or feedback
    return [v["name"] for v in fitted.variables
            if needs_targets or v["role"] in ("input", "input_target")]


def rows_needed(fitted):
    """Rows the calculator reads: the window and the rows its differences start from
    (:meth:`~engine.data.preprocessing.FittedPreprocessing.rows_read`, what
    :func:`engine.data.pipeline.prediction_windows` asks a file for)."""
    return fitted.rows_read()


def calculator_rows(model, frame):
    """The latest rows of ``frame`` that a calculation reads, prefilled: a DataFrame of
    :func:`rows_needed` rows and :func:`calculator_columns` (raw values), and the rows'
    labels (times as text, or row numbers). It ends at the last row whose inputs (and,
    when read, targets) are all known."""
    fitted = model.preprocessing
    frame = model.with_time(frame)
    columns = calculator_columns(fitted)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise EngineError(f"The data has no column {', '.join(map(repr, missing))}, which "
                          "the model reads.")
    need = rows_needed(fitted)
    known = frame[columns].notna().all(axis=1).to_numpy()
    if not known.any():
        raise EngineError("No row has every value the model reads.")
    end = int(np.flatnonzero(known)[-1]) + 1
    start = max(0, end - need)
    rows = _filled(fitted, frame, frame[columns].iloc[start:end].reset_index(drop=True),
                   start, end)
    if fitted.time_column and fitted.time_column in frame.columns:
        from engine.deploy.forecasting import time_texts
        column = frame[fitted.time_column]      # read in UTC where it had offsets
        zone = frame.attrs.get("time_zone") \
            if pd.api.types.is_datetime64_any_dtype(column) else None
        labels = time_texts(list(column.iloc[start:end]), utc=zone is not None, zone=zone)
    else:
        labels = [str(r) for r in range(start, end)]
    return rows, labels


def _filled(fitted, frame, rows, start, end):
    """``rows`` (the file's rows ``start .. end - 1``) with their empty numeric cells as
    the model fills them for its windows: interpolated over the file's rows up to ``end``
    within each stretch of time, or the training rows' mean or median. What the network
    reads, and what the calculation then reads again (it sees only these rows, so it could
    not interpolate a cell at their edge). Rows the model leaves out stay empty."""
    if fitted.missing == "drop" or not rows.isna().any().any():
        return rows
    segment = np.zeros(end, dtype=int)
    if fitted.time_column and fitted.time_column in frame.columns:
        times = parse_time(frame[fitted.time_column].iloc[:end], fitted.time_column)
        segment = time_segments(times, fitted.time_step, frame.attrs.get("time_zone"))
    for v in fitted.variables:
        name = v["name"]
        if name not in rows.columns or v["type"] != "numeric" or not rows[name].isna().any():
            continue
        if fitted.missing == "interpolate":
            values = pd.to_numeric(frame[name].iloc[:end], errors="coerce").to_numpy(float)
            rows[name] = interpolate_segments(values, segment)[start:end]
        elif v.get("fill") is not None:
            rows[name] = pd.to_numeric(rows[name], errors="coerce").fillna(v["fill"])
    return rows


@dataclass
class Calculation:
    """The outputs of one window: ``values`` (steps, k) in the targets' units;
    ``steps`` (steps,) how many rows after the last one each output is (0 for a model
    that approximates the same row); ``notes``: plain sentences (values far outside those
    the model was trained on, :mod:`engine.data.extrapolation`)."""

    target_names: list
    steps: np.ndarray
    values: np.ndarray
    notes: list = field(default_factory=list)

    def to_frame(self):
        data = {"steps ahead": self.steps}
        for j, name in enumerate(self.target_names):
            data[name] = self.values[:, j]
        return pd.DataFrame(data)


def _timeless(fitted):
    """The preprocessing without its time column: typed-in rows are taken as consecutive."""
    timeless = copy.copy(fitted)
    timeless.time_column = timeless.time_step = None
    return timeless


def _as_frame(rows, columns):
    if isinstance(rows, pd.DataFrame):
        frame = rows
    elif isinstance(rows, dict):
        frame = pd.DataFrame(rows)
    else:
        array = np.asarray(rows, dtype=object)
        if array.ndim != 2 or array.shape[1] != len(columns):
            raise EngineError(f"Give the rows as a table of {len(columns)} columns "
                              f"({', '.join(columns)}); got shape {array.shape}.")
        frame = pd.DataFrame(array, columns=columns)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise EngineError(f"The rows lack the column(s) {', '.join(missing)}.")
    return frame[columns].reset_index(drop=True)


def _numeric(frame, fitted):
    """The model's numeric columns of ``frame`` as numbers (:func:`typed_numbers`)."""
    return typed_numbers(frame, [v["name"] for v in fitted.variables
                                 if v["type"] == "numeric"])


def typed_numbers(frame, names):
    """A copy of ``frame`` whose columns ``names`` (those of them it has) hold numbers
    (typed-in text such as "12.5" counts); an EngineError that names the first cell
    holding text that is no number (an empty cell is a missing value): the rule
    :func:`~engine.data.csv_reader.require_numbers` applies to a file, the decimal mark a
    point. The outputs calculators of one series and of many read typed rows with it."""
    frame = frame.copy()
    for name in names:
        if name not in frame.columns:
            continue
        numbers, no_number = numbers_as_written(frame[name])
        wrong = np.flatnonzero(no_number)
        if wrong.size:
            raise EngineError(f"Row {wrong[0] + 1} of column {name!r} holds "
                              f"{frame[name].iloc[wrong[0]]!r}, which is no number; type a "
                              "number there.")
        frame[name] = numbers
    return frame


def _outputs(network, fitted, frames):
    """Outputs (len(frames), steps, k) of the last window of each frame (all frames of
    equal length), in one predict call."""
    incomplete = EngineError("The rows do not form a complete window: every cell must "
                             "hold a number (or a category the model knows). Fill in the "
                             "empty cells, the last row's above all.")
    last = len(frames[0]) - 1
    windows = []
    for frame in frames:
        try:
            w = prediction_windows(fitted, frame)
        except EngineError:
            raise incomplete from None
        if w.anchors[-1] != last:
            raise incomplete
        windows.append(w)
    X = np.stack([np.asarray(w.X[len(w.anchors) - 1:])[0] for w in windows])
    outputs = network.predict(X)
    values = [fitted.inverse_outputs(outputs[i:i + 1], w.anchors[-1:], w.encoded)[0]
              for i, w in enumerate(windows)]
    return np.stack(values)


def calculate(model, rows):
    """The model's outputs for ``rows`` (a DataFrame, dict of columns or 2-D table of
    :func:`calculator_columns`, at least :func:`rows_needed` rows, raw values): a
    :class:`Calculation` from the window ending at the last row."""
    fitted = model.preprocessing
    columns = calculator_columns(fitted)
    frame = _numeric(_as_frame(rows, columns), fitted)
    need = rows_needed(fitted)
    if len(frame) < need:
        raise EngineError(f"The calculation needs {need} rows (the lookback of "
                          f"{fitted.lookback}" + (f" and {fitted.lag} more for the target "
                                                  "transform" if fitted.lag else "")
                          + f"); got {len(frame)}.")
    timeless = _timeless(fitted)
    values = _outputs(model.network, timeless, [frame])[0]
    window = np.arange(len(frame) - fitted.lookback, len(frame))
    note = far_outside_note(timeless, timeless.encode(frame, prediction=True), window)
    return Calculation(fitted.target_names, fitted.target_offsets, values,
                       [note] if note else [])


def input_range(model, name, rows):
    """A default range ``(low, high)`` to vary input ``name`` over: the training rows'
    mean +- 2 standard deviations (or their minimum and maximum, for min/max scaling) for
    an input; for a target that is an input, the span of its values in ``rows`` widened
    by half on each side."""
    fitted = model.preprocessing
    variable = _variable(fitted, name)
    scaler = variable.get("scaler") or {"method": "none"}
    if variable["role"] == "input" and scaler["method"] in ("standard", "minmax", "log"):
        c, s = scaler.get("center", 0.0), scaler.get("scale", 1.0)
        if scaler["method"] == "minmax":
            return c, c + s
        low, high = c - 2 * s, c + 2 * s
        return (float(np.exp(low)), float(np.exp(high))) if scaler["method"] == "log" \
            else (low, high)
    values = pd.to_numeric(_as_frame(rows, calculator_columns(fitted))[name],
                           errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return -1.0, 1.0
    low, high = float(values.min()), float(values.max())
    pad = (high - low) / 2 if high > low else max(abs(low) * 0.1, 1.0)
    return low - pad, high + pad


def _variable(fitted, name):
    variable = next((v for v in fitted.inputs if v["name"] == name), None)
    if variable is None:
        raise EngineError(f"{name!r} is not an input of this model; choose one of: "
                          f"{', '.join(v['name'] for v in fitted.inputs)}.")
    if variable["type"] != "numeric":
        raise EngineError(f"{name!r} holds categories, which cannot vary along a line; "
                          "choose a numeric input.")
    return variable


@dataclass
class Directional:
    """Directional outputs: ``x`` (points,) the values given to ``input_name``;
    ``values`` (points, steps, k) the outputs in the targets' units; ``where`` "all"
    (every row of the window) or "last" (the last row only); ``reference`` the outputs of
    the rows as they are (steps, k) and ``current`` the input's value at the last row."""

    input_name: str
    where: str
    x: np.ndarray
    values: np.ndarray
    target_names: list
    steps: np.ndarray
    reference: np.ndarray
    current: float


def directional_outputs(model, rows, input_name, low=None, high=None, points=41,
                        where="all"):
    """How the outputs respond when ``input_name`` varies from ``low`` to ``high`` (defaults:
    :func:`input_range`) and every other value of ``rows`` is held (see the module
    docstring). Returns a :class:`Directional`."""
    fitted = model.preprocessing
    _variable(fitted, input_name)
    if where not in ("all", "last"):
        raise EngineError(f"where must be 'all' or 'last'; got {where!r}.")
    points = int(points)
    if points < 2:
        raise EngineError("Give at least 2 points.")
    columns = calculator_columns(fitted)
    frame = _numeric(_as_frame(rows, columns), fitted)
    if low is None or high is None:
        default_low, default_high = input_range(model, input_name, frame)
        low = default_low if low is None else low
        high = default_high if high is None else high
    if not high > low:
        raise EngineError(f"The range to vary {input_name!r} over is empty ({low:g} to "
                          f"{high:g}); give a larger upper end.")
    x = np.linspace(float(low), float(high), points)
    timeless = _timeless(fitted)
    frames = []
    for value in x:
        varied = frame.copy()
        if where == "all":
            varied[input_name] = value
        else:
            varied.loc[len(varied) - 1, input_name] = value
        frames.append(varied)
    values = _outputs(model.network, timeless, frames + [frame])
    current = float(frame[input_name].iloc[-1])
    return Directional(input_name, where, x, values[:-1], fitted.target_names,
                       fitted.target_offsets, values[-1], current)
