"""The outputs calculator of a global model: one series' forecast from values a person
typed in (or changed).

A global model reads, for series ``s``, the last ``L`` rows (its lookback) and, before
them, the rows its features read (the level's and the change's): :func:`rows_needed` rows
in all, one time step apart, oldest first. The series keeps its own scaling from the model
file, so the same values give the model's forecast of the whole series (to the float32
network's rounding: the level's running sums start at another row).
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.errors import EngineError
from engine.many.extrapolation import far_outside_note
from engine.many.exports.python_module import rows_needed

__all__ = ["rows_needed", "calculator_columns", "calculator_rows", "SeriesCalculation",
           "forecast_series"]


def calculator_columns(model):
    """The columns a calculation reads: the targets, then the other inputs."""
    return list(model.target_names) + list(model.input_names)


def calculator_rows(model, data, series):
    """The last :func:`rows_needed` rows of series ``series`` of ``data`` (a
    :class:`~engine.many.series_data.SeriesSet`) up to its last known target value, where
    its forecast starts (rows without a known target at its end are left out, as
    :meth:`~engine.many.series_data.SeriesSet.without_unknown_tails` leaves them out of the
    forecast): a
    DataFrame of :func:`calculator_columns`, and the rows' labels (times as text, or row
    numbers), the times as the forecast file writes them
    (:func:`~engine.many.forecasting.written_times`)."""
    from engine.many.forecasting import written_times

    if series not in data.ids:
        raise EngineError(f"The data hold no series {series!r}.")
    i = data.ids.index(series)
    rows = data.rows(i)
    stop = rows.stop - int(data.tails_left_out()[i])
    start = max(rows.start, stop - rows_needed(model))
    frame = pd.DataFrame(np.column_stack([data.targets[start:stop], data.inputs[start:stop]]),
                         columns=list(data.target_names) + list(data.input_names))
    if data.times is not None:          # as the forecast file writes them
        labels = written_times(data, list(data.times.iloc[start:stop]))
    else:
        labels = [str(r - rows.start) for r in range(start, stop)]
    return frame[calculator_columns(model)], labels


@dataclass
class SeriesCalculation:
    """One series' forecast: ``values``, ``lower`` and ``upper`` (H, n_targets) in the
    targets' units (``H`` the model's
    :attr:`~engine.many.global_model.GlobalModel.steps`), the bounds holding ``level`` of
    the selection windows' errors; ``notes``: plain sentences (values far outside those
    the series was trained on, :mod:`engine.many.extrapolation`)."""

    series: str
    target_names: list
    level: float
    values: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    notes: list = field(default_factory=list)


def forecast_series(model, series, rows, level=0.9):
    """The forecast of series ``series`` (one the model was trained on) from ``rows``: a
    DataFrame or ``{column: [value or text, ...]}`` of :func:`calculator_columns`, at
    least :func:`rows_needed` rows, oldest first, one time step apart; a cell of text that
    is no number is refused with its row and column (an empty cell is a missing value).
    Returns a
    :class:`SeriesCalculation`, equal to the forecast of the series whose last rows
    these are (:func:`~engine.many.forecasting.forecast_steps`). A series new to the model
    is refused in the words of the notes on such series
    (:func:`~engine.many.model_series.series_notes`)."""
    from engine.deploy.calculator import typed_numbers
    from engine.many.forecasting import forecast_steps
    from engine.many.model_series import series_notes
    from engine.many.series_data import from_frame

    if model.numbers_of([str(series)])[0] is None:
        raise EngineError(series_notes([series], [])[0])
    columns = calculator_columns(model)
    frame = pd.DataFrame(rows)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise EngineError(f"The rows lack the column(s) {', '.join(missing)}.")
    need = rows_needed(model)
    if len(frame) < need:
        raise EngineError(f"The forecast needs {need} rows (the lookback of "
                          f"{model.lookback} and the {need - model.lookback} rows before it "
                          f"that its level reads); got {len(frame)}.")
    column = model.settings.get("series_column") or "series"
    frame = typed_numbers(frame[columns].reset_index(drop=True), columns)
    frame.insert(0, column, str(series))
    data = from_frame(frame, column, model.target_names, model.input_names)
    values, lower, upper, ok = forecast_steps(model, data, model.steps, level)
    if not ok[0]:
        raise EngineError(f"The last {need} rows must all hold numbers (and the targets "
                          "numbers above 0 for a series scaled by its logarithm); fill in "
                          "or correct the empty or invalid cells.")
    notes = [note for note in (far_outside_note(model, data), model.unknown_note([level]))
             if note]
    return SeriesCalculation(str(series), list(model.target_names), level, values[0],
                             lower[0], upper[0], notes)
