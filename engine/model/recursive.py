"""The recursive forecast: forecasts that feed their own predictions back, from many origin
rows at once. :meth:`engine.model.forecaster.Forecaster.forecast` calls it with the model's
network; the testing analysis, the interval calibration, ``evaluate --recursive`` and
``forecast`` all go through it.

This is the only recursive forecaster: one origin is a list of one
(:func:`recursive_forecast`).

Notation: origin ``o`` (the first forecast row), step ``h = 0 .. H-1`` forecasts row
``r = o + h`` from the window ending at ``t = r - f`` (``f`` = the first target offset: 1,
or 0 for a model of horizon 0), rows ``t-L+1 .. t``. Values of ``input_target`` variables
at rows ``>= o`` are the forecast's own scaled transformed values ``z'``; other inputs come
from the data. The network's first output step ``z'`` is unscaled to ``z`` and the target
transform undone: ``u_r = z_r + u_(r-lag)`` (``u`` from the data before ``o``, from the
forecast after), ``y_r = exp(u_r)`` for log transforms, else ``u_r``.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.data.pipeline import row_times
from engine.data.preprocessing import Encoded
from engine.errors import EngineError

BLOCK_VALUES = 4_000_000  # window values per predict call (bounds the memory)


@dataclass
class Forecast:
    """A recursive forecast from one origin: ``values`` (steps, n_targets) in target units
    for data rows ``rows`` (steps,), with ``times`` when known."""

    rows: np.ndarray
    values: np.ndarray
    times: list = field(default_factory=list)
    target_names: list = field(default_factory=list)
    stopped: str = ""
    """Why the forecast ends before the steps asked (``until_stop``), in words such as
    "a gap in time before it"; empty when it runs to its end."""

    def to_frame(self):
        data = {"row": self.rows}
        if self.times:
            data["time"] = self.times
        for j, name in enumerate(self.target_names):
            data[name] = self.values[:, j]
        return pd.DataFrame(data)


def _encoded(fitted, frame):
    return frame if isinstance(frame, Encoded) else fitted.encode(frame, prediction=True)


def recursive_forecasts(fitted, frame, predict, origins, horizon):
    """Recursive forecasts of ``horizon`` rows started at each origin row, and the truth.

    fitted : :class:`~engine.data.FittedPreprocessing`
    frame : the data (a DataFrame, or an :class:`~engine.data.Encoded` of it made with
        ``prediction=True``)
    predict : ``predict(X) -> Y``, X (m, L, n_inputs), Y (m, n_outputs); only the first
        output step is used
    origins : (m,) data rows of the first forecast row (the forecast of origin ``o`` covers
        rows ``o .. o+horizon-1``)
    Returns ``(values, truth)``, both (m, horizon, k) in target units; ``truth`` is NaN past
    the data's end or where the target is missing, ``values`` is NaN where a forecast cannot
    be made (missing inputs, a gap in time, other inputs unknown past the data's end, an
    output that is not a number).

    One predict call per step for all origins (for very many long windows, one per block
    of origins). One origin is a list of one: its windows are then batches of one.
    """
    horizon = int(horizon)
    if horizon < 1:
        raise EngineError("The number of steps to forecast must be at least 1.")
    encoded = _encoded(fitted, frame)
    origins = np.asarray(origins, dtype=np.intp).reshape(-1)
    n, L = encoded.n_rows, fitted.lookback
    first = int(fitted.target_offsets[0])
    k = len(fitted.targets)
    if origins.size and (origins.min() - first - L + 1 < 0 or origins.max() > n):
        raise EngineError(f"Recursive forecasts start between row {L - 1 + first} and row "
                          f"{n}; got origins from {origins.min()} to {origins.max()}.")
    rows = origins[:, None] + np.arange(horizon)[None, :]
    truth = np.full((len(origins), horizon, k), np.nan)
    inside = rows < n
    truth[inside] = encoded.truth[rows[inside]]
    truth[encoded.read_later(origins - first)] = np.nan      # Encoded.scored_truth
    values = np.full((len(origins), horizon, k), np.nan)
    block = max(1, BLOCK_VALUES // max(1, L * fitted.n_inputs))
    for start in range(0, len(origins), block):
        chunk = slice(start, start + block)
        values[chunk] = _forecast_block(fitted, encoded, predict, origins[chunk], horizon)
    return values, truth


def _feedback(fitted):
    """``[(target j, input column c)]``: the input columns that read a target's own value."""
    return [(j, c) for c, column in enumerate(fitted.input_columns)
            for j, name in enumerate(fitted.target_names) if column["variable"] == name]


def _step_windows(fitted, encoded, origins, t, fed, feedback):
    """The windows (m, L, n_inputs) ending at rows ``t`` (m,) and which of them may be used
    (m,): data values before each origin, the forecast's own ``fed`` values (m, H, f) after
    it. Rows before the origin must be usable and in one segment with the last of them;
    the forecast's own rows continue that segment unless the data has a gap before them."""
    n, L = encoded.n_rows, fitted.lookback
    window = t[:, None] + np.arange(-L + 1, 1)[None, :]         # (m, L) data rows
    past = window < origins[:, None]
    known = window < n
    X = np.full((len(origins), L, fitted.n_inputs), np.nan)
    X[known] = encoded.features[window[known]]
    if feedback and (~past).any():
        which, position = np.nonzero(~past)
        steps = (window - origins[:, None])[which, position]
        for f, (_, c) in enumerate(feedback):
            X[which, position, c] = fed[which, steps, f]
    gap = encoded.gap if encoded.gap is not None else np.zeros(n, dtype=bool)
    clipped = np.minimum(window, n - 1)
    base = np.maximum(np.minimum(t, origins - 1), 0)
    same = encoded.segment[clipped] == encoded.segment[base][:, None]
    ok = np.where(past, encoded.input_ok[clipped] & same, ~(known & gap[clipped]))
    return X, ok.all(axis=1) & np.isfinite(X).all(axis=(1, 2))


def _after_gap(gap, rows):
    """(m,) bool: a gap in time lies just before each of the data ``rows`` (m,) (none past
    the data's end): the window before it would predict the first missing time, not that
    row, so the forecast stops there. ``gap``: the data's
    :meth:`~engine.data.preprocessing.Encoded.time_gaps` (a row without a time makes no
    gap, as one step ahead), worked out once per forecast: on a million rows it takes
    milliseconds, and a forecast over the testing part asks at every one of its steps."""
    if gap is None:
        return np.zeros(len(rows), dtype=bool)
    inside = rows < len(gap)
    out = np.zeros(len(rows), dtype=bool)
    out[inside] = gap[rows[inside]]
    return out


def _levels(fitted, encoded, z, u, origins, h):
    """Undo the target transform at step ``h``: ``u[:, h] = z + u_(r-lag)`` with ``u`` from
    the data before the origin and from the forecast ``u`` (m, H, k) after it; returns the
    levels (m, k)."""
    if fitted.lag:
        if h >= fitted.lag:
            base = u[:, h - fitted.lag]
        else:
            back = origins + h - fitted.lag
            base = np.full(z.shape, np.nan)
            valid = back >= 0
            base[valid] = encoded.u[back[valid]]
        u[:, h] = z + base
    else:
        u[:, h] = z
    return np.exp(u[:, h]) if fitted.target_transform.startswith("log") else u[:, h]


def _forecast_block(fitted, encoded, predict, origins, horizon):
    """:func:`recursive_forecasts`' values for a block of origins (m, horizon, k)."""
    first = int(fitted.target_offsets[0])
    k, m = len(fitted.targets), len(origins)
    feedback = _feedback(fitted)
    scalers = [fitted.scaler(name) for name in fitted.target_names]
    fed = np.full((m, horizon, len(feedback)), np.nan)   # scaled z of rows o .. o+h-1
    u = np.full((m, horizon, k), np.nan)                 # forecast u of rows o .. o+h-1
    values = np.full((m, horizon, k), np.nan)
    alive = np.ones(m, dtype=bool)
    gap = encoded.time_gaps()
    for h in range(horizon):
        X, ok = _step_windows(fitted, encoded, origins, origins + h - first, fed, feedback)
        alive &= ok & ~_after_gap(gap, origins + h)
        if not alive.any():
            break
        outputs = np.asarray(predict(X[alive]), dtype=float)
        if outputs.shape != (int(alive.sum()), fitted.n_outputs):
            raise EngineError(f"predict returned shape {outputs.shape}; expected "
                              f"({int(alive.sum())}, {fitted.n_outputs}).")
        z_scaled = np.full((m, k), np.nan)
        z_scaled[alive] = outputs[:, :k]
        z = np.column_stack([s.inverse(z_scaled[:, j]) if s else z_scaled[:, j]
                             for j, s in enumerate(scalers)])
        for f, (j, _) in enumerate(feedback):
            fed[:, h, f] = z_scaled[:, j]
        values[:, h] = _levels(fitted, encoded, z, u, origins, h)
        alive &= np.isfinite(values[:, h]).all(axis=1)
    return values


def recursive_forecast(fitted, frame, predict, start_row, steps, until_stop=False):
    """The recursive forecast of rows ``start_row .. start_row+steps-1`` from one origin:
    :func:`recursive_forecasts` of ``[start_row]``, with a plain-words error when the data
    cannot give it (too few rows before it, other inputs unknown, missing values, a gap in
    time). With ``until_stop`` a forecast that can start but not reach its last row ends
    before the first row it cannot reach, :attr:`Forecast.stopped` saying why (step 6,
    ``evaluate --recursive`` and the backtest folds score it so). Rows at and after
    ``start_row`` in the frame's target columns are not read. ``frame``: a DataFrame or its
    :class:`~engine.data.Encoded` (``prediction=True``; not encoded again). Returns a
    :class:`Forecast` (with the rows' times when the time step is known)."""
    steps, start_row = int(steps), int(start_row)
    if steps < 1:
        raise EngineError("The number of steps to forecast must be at least 1.")
    encoded = _encoded(fitted, frame)
    _check_origin(fitted, encoded, start_row, steps)
    values = recursive_forecasts(fitted, encoded, predict, [start_row], steps)[0][0]
    failed = np.flatnonzero(~np.isfinite(values).all(axis=1))
    stopped = ""
    if failed.size:
        if not until_stop or failed[0] == 0:
            raise _failure(fitted, encoded, start_row, start_row + int(failed[0]))
        stopped = stop_reason(fitted, encoded, start_row, start_row + int(failed[0]))
        values = values[:failed[0]]
    rows = np.arange(start_row, start_row + len(values))
    times = []
    if encoded.times is not None:
        times = list(row_times(encoded.times, rows[:, None], fitted.time_step,
                               encoded.time_zone)[:, 0])
    return Forecast(rows, values, times, fitted.target_names, stopped)


def _check_origin(fitted, encoded, start_row, steps):
    """Raise unless a forecast of ``steps`` rows can start at ``start_row``."""
    n, L = encoded.n_rows, fitted.lookback
    first = int(fitted.target_offsets[0])
    if start_row - first - L + 1 < 0:
        raise EngineError(f"A forecast from row {start_row} needs {L} rows before it; start "
                          f"at row {L - 1 + first} or later.")
    if start_row > n:
        raise EngineError(f"The forecast can start at row {n} (just after the last row) at "
                          f"the latest; got {start_row}.")
    last_needed = start_row + steps - 1 - first
    own_only = all(v["role"] in ("input_target", "target") for v in fitted.variables)
    if last_needed >= n and not own_only:
        raise EngineError(f"Forecasting {steps} steps needs the other inputs up to row "
                          f"{last_needed}, but the file ends at row {n - 1}. Forecast fewer "
                          "steps or add the future input values.")


def _without_time(encoded, first, last):
    """The first row from ``first`` to ``last`` whose time is empty, or None."""
    if encoded.times is None or last < first:
        return None
    empty = np.flatnonzero(encoded.times.iloc[first:last + 1].isna().to_numpy())
    return first + int(empty[0]) if empty.size else None


def _inputs_known(fitted, encoded, start_row, t):
    """Whether the window ending at row ``t`` of a forecast from ``start_row`` has all its
    inputs: :func:`_step_windows` with the forecast's own values taken as known (they are,
    up to the first row without a value)."""
    feedback = _feedback(fitted)
    fed = np.zeros((1, max(t - start_row + 1, 1), len(feedback)))
    _, ok = _step_windows(fitted, encoded, np.array([start_row]), np.array([t]), fed,
                          feedback)
    return bool(ok[0])


def _stop_cause(fitted, encoded, start_row, r):
    """``(cause, row)``: why row ``r`` of a forecast from ``start_row`` has no value; cause
    "target" (the target at ``row`` it starts from is unknown), "gap" (a gap in time before
    ``row``, in the forecast or inside the window of data rows it starts from), "timeless"
    (``row`` in its window has no time), "inputs" (row None: its
    window lacks inputs) or "output" (row None: its window has every input, the network's
    forecast is not a finite number)."""
    t = r - int(fitted.target_offsets[0])
    back = r - fitted.lag
    if fitted.lag and back < start_row and (back < 0 or not np.isfinite(encoded.u[back]).all()):
        return "target", back
    gap = encoded.time_gaps()
    if gap is not None and r < encoded.n_rows and gap[start_row:r + 1].any():
        return "gap", start_row + int(np.flatnonzero(gap[start_row:r + 1])[0])
    # a gap before a row the window reads after its first (the target transform's lag too)
    first = max(t - fitted.lookback + 2 - fitted.lag, 0)
    inside = [] if gap is None else np.flatnonzero(gap[first:min(t, start_row - 1) + 1])
    if len(inside):
        return "gap", first + int(inside[-1])
    timeless = _without_time(encoded, max(t - fitted.lookback + 1, 0), min(t, r - 1))
    if timeless is not None:
        return "timeless", timeless
    return ("output" if _inputs_known(fitted, encoded, start_row, t) else "inputs"), None


def stop_reason(fitted, encoded, start_row, r):
    """Why row ``r`` of a forecast from ``start_row`` has no value, in a few words for a
    note: "a gap in time before it", "row 95 has no time", "the target at row 80 is
    unknown", "missing inputs" or "the network's forecast is not a number"
    (:func:`_failure` says what to do)."""
    cause, row = _stop_cause(fitted, encoded, start_row, r)
    return {"target": f"the target at row {row} is unknown",
            "gap": "a gap in time before it" if row == r else f"a gap in time before row {row}",
            "timeless": f"row {row} has no time", "inputs": "missing inputs",
            "output": "the network's forecast is not a number"}[cause]


def _failure(fitted, encoded, start_row, r):
    """The error that says why row ``r`` of a forecast from ``start_row`` has no value."""
    cause, row = _stop_cause(fitted, encoded, start_row, r)
    if cause == "target":
        return EngineError(f"The forecast for row {r} starts from the target at row {row}, "
                           "which is unknown.")
    if cause == "gap" and row == start_row:
        return EngineError(f"There is a gap in time just before row {row}, so the rows "
                           f"before it do not lead to it; start the forecast "
                           f"{fitted.lookback} rows or more after the gap.")
    t = r - int(fitted.target_offsets[0])
    if cause == "gap" and row < start_row:
        read = max(t - fitted.lookback + 1 - fitted.lag, 0)
        return EngineError(f"There is a gap in time before row {row}, inside the rows "
                           f"{read} to {t} that the forecast for row {r} reads, and no "
                           f"forecast reads across a gap. It needs {t - read + 1} rows after "
                           "the last gap: give the rows the gap left out, or start the "
                           "forecast later.")
    if cause == "gap":
        return EngineError(f"There is a gap in time before row {row}; a forecast cannot "
                           "run across it. Forecast fewer steps.")
    if cause == "timeless":
        return EngineError(f"Row {row} has no time, so the forecast cannot run past it; "
                           "forecast fewer steps or fill that row's time in.")
    t = r - int(fitted.target_offsets[0])
    if cause == "output" and r == start_row:
        return EngineError(f"The network's forecast for row {r} is not a number although "
                           f"its inputs (rows {t - fitted.lookback + 1} to {t}) are all "
                           "known: its output overflowed on the data's own values. Train "
                           "the network again with a smaller learning rate.")
    if cause == "output":
        return EngineError(f"The network's forecast for row {r} is not a number: its inputs "
                           f"(rows {t - fitted.lookback + 1} to {t}) are all known, but its "
                           "output ran away or overflowed. Forecast fewer steps, or train "
                           "the network again with a smaller learning rate.")
    return EngineError(f"The forecast for row {r} needs rows {t - fitted.lookback + 1} to "
                       f"{t} without missing inputs or gaps in time; start the forecast "
                       "elsewhere or fill the missing values.")
