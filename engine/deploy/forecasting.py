"""Forecasts past the end of the data, with prediction intervals: what ``rnn-studio
forecast`` writes and the deploy page plots.

The forecast starts at the row after the last row whose targets are all known (row ``s``).
Rows after it may hold the future values of the other inputs with the target cells empty.

* A model whose only inputs are the targets' own history forecasts up to ``MAX_STEPS``
  recursively: each step's prediction becomes an input of the next window
  (:meth:`engine.model.forecaster.Forecaster.forecast_from`).
* A model with other inputs needs their values at the rows its windows read. With ``m``
  future rows of them, the recursive forecast reaches ``m + 1`` rows (``m`` for a model
  with 0 steps ahead). Without them, the last window's own output steps reach ``H`` rows
  (the model's steps ahead; the "direct" forecast). Whichever reaches further is used; a
  request for more steps is shortened, and the notes say why (:func:`forecast_reach`
  says how far it reaches before a forecast is asked for).

Intervals: ``value +- w[h]`` with the half-widths ``w`` (steps, k) of
:func:`engine.testing.intervals.half_widths` at the chosen level ("recursive" widths for a
recursive forecast, "direct" for the output steps). A model file without them gives NaN
bounds and a note. Asked to (``clip``, :data:`CLIPS`), the forecast and its bounds are
clipped at the data's bounds: at 0 for a target that never goes below zero in the data
("zero"), or at each target's lowest and highest known value ("range"); never by default.

Instead of the network, a classical comparator can make the forecast (``method``, see
:data:`METHODS`; the verdict after a fit says when one of them beat the network on the
selection part, :mod:`engine.testing.verdict`):

* ``"ets"``, ``"theta"``: exponential smoothing (the form of lowest AIC) or the Theta
  method, one per target, fitted on the known target values before the forecast (the
  latest :data:`~engine.testing.comparators.MAX_FIT_ROWS` rows of the run without missing
  values that ends there) and forecasting the steps asked from the end, with statsmodels'
  prediction intervals at the level (:func:`~engine.testing.comparators.ets_future`,
  :func:`~engine.testing.comparators.theta_future`); other inputs are not read, nor any
  value made up for a cell (a note says when an empty cell cut the run short);
* ``"linear"``: the least-squares autoregression on the model's own windows
  (:func:`~engine.testing.comparators.fit_linear`), fitted on every window whose targets
  are known and forecasting recursively as the network does (a model with other inputs
  needs their future values the same way); no intervals (NaN bounds and a note); it reads
  the values the model makes up for cells as the network does, and its forecasts read from
  them are marked in the same way (:mod:`engine.deploy.made_up_forecasts`).

The result has the same columns as the network's forecast; its first note and
:attr:`ForecastResult.source` say which method made it.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from engine.atomic import atomic_write_csv, check_not_replacing, file_marks
from engine.data.column_types import binary_codes, parse_time, written_with_zone
from engine.data.extrapolation import far_outside_note
from engine.data.time_zones import frame_time_zone
from engine.data.year_period import periods_of, with_period_labels
from engine.deploy.made_up_forecasts import (cut_runs, known_run_note, linear_fit_words,
                                             made_up_reads, runs_fit)
from engine.deploy.predicting import FILLED_COLUMN
from engine.errors import EngineError
from engine.network.validation import whole_number
from engine.words import counted, the_last, the_named, verb

LEVELS = (0.8, 0.9, 0.95)
METHODS = ("network", "ets", "theta", "linear")
CLIPS = ("zero", "range")      # forecast(..., clip=): at zero, or the known values' range
MAX_STEPS = 10000       # a longer forecast is no use and runs past the calendar's end
MORE_ROWS = ("Add rows of future input values at the end of the file (target cells empty) "
             "to forecast further.")
"""How a model with other inputs forecasts further than the file lets it."""


@dataclass
class ForecastResult:
    """A forecast of ``len(rows)`` rows after the data.

    rows (n,) data rows (``s .. s+n-1``); times: their times (a list, empty without a time
    column); values, lower, upper (n, k) in the targets' units (bounds NaN when the model
    has no intervals); method "recursive" or "direct"; notes: plain sentences (why fewer
    steps than asked, missing intervals, which method made it, values far outside those
    the model was trained on: :mod:`engine.data.extrapolation`); history_rows (m,),
    history_times (list), history (m, k): the known target values before the forecast, for
    a plot; source: what made the forecast, one of :data:`METHODS`; clip: how the values
    and bounds were clipped (:data:`CLIPS`), None when not; utc: the data's times carry a
    time zone, so the times are in UTC, written in ``zone``: the zone the data's times
    were written in (:func:`~engine.data.time_zones.written_zone`; None: ``+00:00``);
    periods: the times are
    the periods of a year and a quarter (month), written ``2005-Q1`` (``2005-07``)
    (:func:`~engine.data.year_period.periods_of` the data's times and the forecast's).
    """

    target_names: list
    rows: np.ndarray
    values: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    method: str
    requested: int
    times: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    history_rows: np.ndarray = None
    history_times: list = field(default_factory=list)
    history: np.ndarray = None
    time_column: str = None
    source: str = "network"
    clip: str = None
    utc: bool = False
    zone: object = None
    periods: bool = False
    filled: np.ndarray = None
    """(n,) bool: the rows forecast from windows that read a value the model made up for a
    cell (:func:`~engine.deploy.made_up_forecasts.made_up_reads`); None for a forecast
    of exponential smoothing or the Theta method, which read no such value."""
    form: str = ""
    """What a classical method fitted, in its short notation (``"A,Ad,A"`` of
    exponential smoothing, one per target joined by ``"; "``); "" for the network's."""

    @property
    def steps(self):
        return len(self.rows)

    def to_frame(self):
        """The table the CSV holds: the time (or row) column, then per target the forecast
        and the lower and upper bounds (``y``, ``y_lower_90``, ``y_upper_90``). Times that
        are periods (:attr:`periods`) are written as the periods, ``2005-Q1``
        (``2005-01``), as ``predict`` writes a time built from a year and a quarter;
        others as dates (:func:`time_texts`); last, as ``predict`` too, the column
        :data:`~engine.deploy.predicting.FILLED_COLUMN` (1 in the rows of :attr:`filled`)
        when a forecast read a made-up value."""
        percent = f"{round(self.level * 100):d}"
        if self.times and self.periods:
            data = {self.time_column: list(self.times)}
        elif self.times:
            data = {self.time_column or "time": time_texts(self.times, self.history_times,
                                                           self.utc, self.zone)}
        else:
            data = {"row": self.rows}
        for j, name in enumerate(self.target_names):
            data[name] = self.values[:, j]
            data[f"{name}_lower_{percent}"] = self.lower[:, j]
            data[f"{name}_upper_{percent}"] = self.upper[:, j]
        if self.filled is not None and self.filled.any():
            data[FILLED_COLUMN] = self.filled.astype(int)
        frame = pd.DataFrame(data)
        return with_period_labels(frame, self.time_column) if self.periods else frame

    def axis(self, which="forecast"):
        """Plot positions of the forecast (or ``"history"``) rows: seconds since 1970 for
        dates (pyqtgraph's date axis), the time values for numbers, else the row numbers."""
        times = self.times if which == "forecast" else self.history_times
        rows = self.rows if which == "forecast" else self.history_rows
        if not times:
            return np.asarray(rows, dtype=float)
        return time_positions(times)


def time_positions(times):
    """Seconds since 1970 (UTC) for timestamps (those with a zone at their instant, those
    without read as UTC), the numbers themselves otherwise."""
    first = next((t for t in times if t is not None), None)
    if isinstance(first, (pd.Timestamp, np.datetime64)) or hasattr(first, "year"):
        stamps = pd.to_datetime(pd.Series(list(times)), utc=True)
        return (stamps - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy()
    return np.array([np.nan if t is None else float(t) for t in times])


def time_texts(times, like=(), utc=False, zone=None):
    """Times as text: dates alone when every time (of the forecast and ``like``) is at
    midnight, whole numbers without a decimal point, nothing for a missing time; with
    ``utc`` (times in UTC, read from a file that gives zones), every time of day with its
    offset: in ``zone``, the zone the file's times were written in
    (:func:`~engine.data.time_zones.written_zone`), or ``+00:00`` (None)."""
    values = [None if t is None or pd.isna(t) else t for t in times]
    first = next((t for t in values if t is not None), None)
    if isinstance(first, (int, float, np.integer, np.floating)):
        return ["" if t is None else str(int(t)) if float(t).is_integer() else
                repr(float(t)) for t in values]
    stamps = [None if t is None else pd.Timestamp(t) for t in values]
    every = [s for s in stamps if s is not None] + [
        pd.Timestamp(t) for t in list(like)[-50:] if t is not None and not pd.isna(t)]
    dates = all(s == s.normalize() for s in every) and not utc
    digits = fraction_timespec(every)
    return ["" if s is None else s.strftime("%Y-%m-%d") if dates else
            (s.tz_localize("UTC").tz_convert(zone or "UTC") if utc else s).isoformat(
                sep=" ", timespec=digits) for s in stamps]


def fraction_timespec(stamps):
    """The ``timespec`` of ``Timestamp.isoformat`` that writes every one of ``stamps`` with
    as many decimals of its second as the most precise needs, in threes, so that a
    column's times all have the same: ``"seconds"`` (none), ``"milliseconds"``,
    ``"microseconds"`` or ``"nanoseconds"``. Read in UTC's nanoseconds (``Timestamp.value``):
    a zone's clocks, which repeat an hour in autumn, have no say."""
    def needs(stamp, nanoseconds):          # UTC's fractions: no wall clock, no DST
        return stamp.value % nanoseconds != 0

    for spec, finer in (("nanoseconds", 10**3), ("microseconds", 10**6),
                        ("milliseconds", 10**9)):
        if any(needs(s, finer) for s in stamps):
            return spec
    return "seconds"


def _numbers(fitted, frame, name):
    """Column ``name`` of ``frame`` as numbers (n,): a binary target's labels coded as the
    model codes them (:func:`~engine.data.column_types.binary_codes`)."""
    variable = next((v for v in fitted.variables if v["name"] == name), None)
    if variable is not None and variable["type"] == "binary":
        return binary_codes(frame[name], variable["categories"])
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def _known_rows(fitted, frame):
    """``(start, m)``: the row after the last row with every target known, and the number
    of rows after it whose other inputs are all given (consecutive, from ``start``)."""
    missing = [name for name in fitted.target_names if name not in frame.columns]
    if missing:
        raise EngineError(f"The data has no column {', '.join(map(repr, missing))}; a "
                          "forecast starts from the targets' recent values.")
    known = np.column_stack([np.isfinite(_numbers(fitted, frame, name))
                             for name in fitted.target_names]).all(axis=1)
    if not known.any():
        raise EngineError("No row has the target values; a forecast starts from the "
                          "targets' recent values.")
    start = int(np.flatnonzero(known)[-1]) + 1
    others = [v for v in fitted.variables if v["role"] == "input"]
    m = 0
    if not others:
        return start, 0
    for row in range(start, len(frame)):
        given = True
        for v in others:
            cell = frame[v["name"]].iloc[row]
            if v["type"] in ("numeric",):
                given &= bool(np.isfinite(pd.to_numeric(pd.Series([cell]),
                                                        errors="coerce").iloc[0]))
            else:
                given &= not pd.isna(cell)
        if not given:
            break
        m += 1
    return start, m


def _reaches(fitted, m):
    """``(others, recursive reach, direct reach)``: the model's inputs other than its
    targets, and how many rows a recursive forecast (with ``m`` rows of their future values)
    and the last window's own output steps reach."""
    first = int(fitted.target_offsets[0])
    others = [v["name"] for v in fitted.variables if v["role"] == "input"]
    return others, (m + first if m else 0), fitted.horizon


def _given_words(m, inputs):
    """How many future rows of the other ``inputs`` (how many) the file gives, as a
    clause."""
    their = verb(inputs, "its", "their")
    return (f"the file gives {their} future values for {counted(m, 'row')} after the last "
            "known target" if m else f"the file gives none of {their} future values")


def _reach_words(others, m, direct):
    """Why a model with the other inputs ``others`` reaches no further: one clause."""
    how = " (the model's own output steps reach that far)" if direct else ""
    return (f"the model reads {the_named('input', others)}, and "
            f"{_given_words(m, len(others))}{how}")


def forecast_reach(model, data):
    """``(most, why)``: how many steps the network can forecast after the data's last known
    targets (:data:`MAX_STEPS` for a model that reads only its targets' own history) and
    why in words (None when nothing but :data:`MAX_STEPS` limits it); ``data`` a CSV path or
    a DataFrame. A model that cannot forecast at all (it reads other inputs at the row it
    predicts and the file gives none of their future values) gets ``(0, why)``."""
    fitted = model.preprocessing
    start, m = _known_rows(fitted, model.read_csv(data))
    others, recursive_reach, direct_reach = _reaches(fitted, m)
    if not others:
        return MAX_STEPS, None
    reach = min(max(recursive_reach, direct_reach), MAX_STEPS)
    return reach, _reach_words(others, m, direct_reach > recursive_reach)


def shortened_note(reach, steps, why, advice):
    """The note of a forecast that stops short of the ``steps`` asked: how many it holds
    (``reach``), ``why`` (a clause) and how to forecast further (``advice``, a sentence);
    the forecast of one series and of many (:mod:`engine.many.forecasting`) say it so."""
    return f"Forecast {reach} of the {steps} steps asked: {why}. {advice}"


def plan(fitted, start, m, steps):
    """``(method, n, notes)``: how many of the ``steps`` asked can be forecast and how."""
    others, recursive_reach, direct_reach = _reaches(fitted, m)
    if not others:
        return "recursive", steps, []
    if steps <= recursive_reach:
        return "recursive", steps, []
    if steps <= direct_reach:
        return "direct", steps, []
    reach = max(recursive_reach, direct_reach)
    if reach == 0:
        raise EngineError(
            f"This model reads {the_named('input', others)} at the row it predicts, and "
            f"{_given_words(m, len(others))}. To forecast, add rows with the future values of "
            f"{verb(len(others), 'this input', 'these inputs')} at the end of the file and "
            "leave the target cells empty.")
    direct = reach == direct_reach and reach > recursive_reach
    note = shortened_note(reach, steps, _reach_words(others, m, direct), MORE_ROWS)
    return ("recursive" if reach == recursive_reach else "direct"), reach, [note]


def _check_history(fitted, start):
    """Raise unless the ``start`` rows up to the last known target are enough to forecast
    from: the lookback before the first window's anchor, and the transform's lag before
    the first forecast row (for a model that reads its own targets, before that window)."""
    first = int(fitted.target_offsets[0])
    feedback = any(v["role"] == "input_target" for v in fitted.variables)
    need = max(fitted.lookback + first - 1 + (fitted.lag if feedback else 0), fitted.lag)
    if start < need:
        more = f" and {fitted.lag} before them for the target transform" if fitted.lag else ""
        raise EngineError(f"The data has {counted(start, 'row')} up to the last known target "
                          f"value; this model reads {the_last(fitted.lookback, 'row')}"
                          f"{more}, so it "
                          f"needs at least {need}. Forecast from a file with more rows.")


def _direct_forecast(model, used, start, n):
    """``(rows, values (n, k), times)`` of the last window's own output steps (the window
    must end at row ``start - 1``)."""
    windows = model.windows(used)
    last = len(windows.anchors) - 1
    if windows.anchors[last] != start - 1:
        raise EngineError(f"The last {model.lookback} rows before the forecast (up to "
                          f"row {start - 1}) have missing values, so no window ends "
                          "there. Fill them in, then forecast again.")
    _, values = model.predict(windows, [last])
    times = [] if windows.times is None else list(windows.times[last][:n])
    return windows.rows[last][:n], values[0][:n], times


def _history(fitted, frame, start, history, times):
    """``(rows (m,), times, values (m, k))`` of the known rows before the forecast, for a
    plot (times only when the forecast has them)."""
    first = max(0, start - int(history))
    times_known = []
    if times and fitted.time_column in frame.columns:
        parsed = parse_time(frame[fitted.time_column], fitted.time_column)
        times_known = list(parsed.iloc[first:start])
    values = np.column_stack([_numbers(fitted, frame, name)[first:start]
                              for name in fitted.target_names])
    return np.arange(first, start), times_known, values


def check_method(method):
    """``method`` if it is one of :data:`METHODS`, else a plain EngineError."""
    if method not in METHODS:
        raise EngineError(f"The forecasting method must be one of {', '.join(METHODS)}; got "
                          f"{method!r}.")
    return method


CHOICES_NAMED = {
    "command_line": {"method": "--method", "clip": "--clip zero",
                     "known_only": "forecast with --method ets or --method theta"},
    "window": {"method": "the Method box", "clip": "the Not below 0 box",
               "known_only": "choose Exponential smoothing or The Theta method in the "
                             "Method box"}}
"""How the forecast's notes name the choices that change it, in each front end's words
(:data:`~engine.testing.verdict.COMMAND_LINE`, :data:`~engine.testing.verdict.WINDOW`)."""


def forecast(model, data, steps, level=0.9, history=200, method="network", clip=None,
             front="command_line"):
    """Forecast ``steps`` rows after the data's last known targets.

    model : a :class:`~engine.model.forecaster.Forecaster`, or the path of its model file
    data : a CSV path or a DataFrame with the columns the model reads
    steps : a whole number from 1 to :data:`MAX_STEPS` (``2.5`` is refused, not cut to 2)
    level : the interval level (0.8, 0.9 or 0.95)
    history : how many known rows before the forecast to keep for a plot
    method : "network" (the model's network), or the classical comparator "ets", "theta"
        or "linear" fitted on this data (:func:`comparator_forecast`)
    clip : None (the default: nothing clipped), or keep the forecast and its bounds within
        the data's bounds (:data:`CLIPS`, :func:`clip_bounds`): "zero" at 0 for a target
        that never goes below zero in the data, "range" between its lowest and highest
        known value
    front : whose words the notes name the method and the clip in (:data:`CHOICES_NAMED`)
    Returns a :class:`ForecastResult` (possibly fewer steps than asked; see ``notes``).
    """
    steps = whole_number(steps, "steps (the number of steps to forecast)", 1, MAX_STEPS)
    check_level(level)
    check_clip(clip)
    named = CHOICES_NAMED[front]
    from engine.model.model_file import loaded_model

    model = loaded_model(model)
    fitted = model.preprocessing
    frame = model.read_csv(data)
    start, m = _known_rows(fitted, frame)
    if check_method(method) != "network":
        result = comparator_forecast(model, frame, start, m, steps, level, method, front)
        return _clipped(_with_history(result, fitted, frame, start, history), fitted, frame,
                        start, clip, named)
    method, n, notes = plan(fitted, start, m, steps)
    _check_history(fitted, start)
    used = frame.iloc[:start + (m if method == "recursive" else 0)]
    if method == "recursive":
        result = model.forecast_from(used, start, n)
        rows, values, times = result.rows, result.values, list(result.times)
    else:
        rows, values, times = _direct_forecast(model, used, start, n)
    lower, upper, note = _bounds(model, values, level, method)
    notes += [note] if note else []
    encoded = fitted.encode(used, prediction=True)
    notes += far_outside_notes(fitted, encoded, start)
    filled, made_up = made_up_reads(fitted, encoded, start, len(rows), method, named,
                                    runs_fit(_known_series(fitted, frame, start)))
    notes += made_up
    notes += _runaway_notes(fitted, np.asarray(values, float), frame, start, named)
    result = ForecastResult(fitted.target_names, np.asarray(rows), np.asarray(values, float),
                            lower, upper, float(level), method, steps, list(times), notes,
                            time_column=fitted.time_column, filled=filled)
    return _clipped(_with_history(result, fitted, frame, start, history), fitted, frame, start,
                    clip, named)


def far_outside_notes(fitted, encoded, start):
    """The note (a list of none or one) on values far outside those the model was trained
    on (:mod:`engine.data.extrapolation`) in the rows of ``encoded`` (the rows a forecast
    uses, encoded for prediction) a network forecast from row ``start`` reads: the last
    window before it and the rows after it that give the other inputs' future values."""
    first = max(start - fitted.lookback, 0)
    note = far_outside_note(fitted, encoded, np.arange(first, encoded.n_rows))
    return [note] if note else []


def _runaway_notes(fitted, values, frame, start, named):
    """A sentence per target whose forecast ``values`` (n, k) leave the range ``[low,
    high]`` of its values known before row ``start`` by more than ``max(high - low,
    |high|)`` (a recursive forecast fed its own outputs for many steps can grow without
    bound), else none; ``named``: the front end's words (:data:`CHOICES_NAMED`)."""
    notes = []
    for j, name in enumerate(fitted.target_names):
        known = _numbers(fitted, frame, name)[:start]
        known = known[np.isfinite(known)]
        if not known.size:
            continue
        low, high = float(known.min()), float(known.max())
        width = max(high - low, abs(high), 1e-12)
        outside = np.flatnonzero(~((values[:, j] >= low - width) & (values[:, j] <= high + width)))
        if outside.size:
            step = int(outside[0]) + 1
            notes.append(f"The forecast of {name} leaves the range of its known values "
                         f"({low:.4g} to {high:.4g}) far behind from step {step} on "
                         f"({values[outside[0], j]:.4g}): a forecast that far ahead is not to "
                         "be trusted; forecast fewer steps, or compare with ETS or Theta "
                         f"({named['method']}).")
    return notes


def check_clip(clip):
    """``clip`` if it is None or one of :data:`CLIPS`, else a plain EngineError."""
    if clip is not None and clip not in CLIPS:
        raise EngineError(f"Clipping must be one of {', '.join(CLIPS)} (or none); got "
                          f"{clip!r}.")
    return clip


def clip_bounds(known, clip):
    """``(lower (k,), upper (k,))`` of the targets' ``known`` values (n, k; NaN where
    missing) for ``clip``: "zero", 0 below a target that is never below zero (-inf for the
    others) and nothing above; "range", each target's lowest and highest known value."""
    with np.errstate(invalid="ignore"):
        low, high = np.nanmin(known, axis=0), np.nanmax(known, axis=0)
    if clip == "zero":
        return np.where(low >= 0, 0.0, -np.inf), np.full(low.shape, np.inf)
    return low, high


def _clipped(result, fitted, frame, start, clip, named):
    """``result`` with its values and bounds clipped for ``clip`` (None: as it is), at the
    bounds of the target values known before row ``start``, with a note that says so (or,
    unclipped, that names the clip in the front end's words ``named``)."""
    known = np.column_stack([_numbers(fitted, frame, name)[:start]
                             for name in result.target_names])
    if clip is None:
        result.notes += _below_zero_notes(result, known, named["clip"])
        return result
    lower, upper = clip_bounds(known, clip)
    for name in ("values", "lower", "upper"):
        setattr(result, name, np.clip(getattr(result, name), lower, upper))
    result.clip = clip
    result.notes.append(_clip_note(result.target_names, lower, upper))
    return result


def _below_zero_notes(result, known, clip):
    """A sentence per target whose forecast or lower bound goes below 0 where its values
    ``known`` (rows, k) never do (a count, a load), naming ``clip``, the choice that keeps
    it at 0."""
    notes = []
    for j, name in enumerate(result.target_names):
        values = known[:, j][np.isfinite(known[:, j])]
        below = np.concatenate([result.values[:, j], result.lower[:, j]])
        if values.size and values.min() >= 0 and np.nanmin(below, initial=0.0) < 0:
            notes.append(f"{name}'s forecast or its lower bound goes below 0, which its "
                         f"data never do: {clip} keeps them at 0 or above.")
    return notes


def _clip_note(names, lower, upper):
    """The note of a clipped forecast: which target is kept within which bounds."""
    parts = []
    for name, low, high in zip(names, lower, upper):
        if np.isfinite(low) and np.isfinite(high):
            parts.append(f"{name} between {low:.6g} and {high:.6g} (its lowest and highest "
                         "known values)")
        elif np.isfinite(low):
            parts.append(f"{name} at or above {low:.6g} (it never goes below zero in the "
                         "data)")
    if not parts:
        return "Nothing was clipped: no target keeps to zero or above in the data."
    return ("The forecast and its interval are kept within the data's bounds: "
            + "; ".join(parts) + ".")


def _with_history(result, fitted, frame, start, history):
    """``result`` with the known rows before the forecast (:func:`_history`), whether its
    times are in UTC (a file's or a frame's times written with a zone), whether its
    times are periods (:attr:`ForecastResult.periods`), and without times when some
    forecast row has none (no regular step: the rows are numbered)."""
    if any(t is None or pd.isna(t) for t in result.times):
        result.times = []
    column = fitted.time_column
    result.utc = bool(frame.attrs.get("utc_times", False)) or (
        column in frame.columns and written_with_zone(frame[column].iloc[-20:]))
    result.zone = frame_time_zone(frame, column) if result.utc else None
    result.periods = bool(result.times) and column in frame.columns and periods_of(
        column, [*parse_time(frame[column], column), *result.times]) is not None
    result.history_rows, result.history_times, result.history = _history(
        fitted, frame, start, history, result.times)
    return result


def check_level(level):
    """Raise unless ``level`` is one of :data:`LEVELS`."""
    if float(level) not in LEVELS:
        raise EngineError(f"The interval level must be one of "
                          f"{', '.join(f'{x:.0%}' for x in LEVELS)}; got {level}.")


def _bounds(model, values, level, method):
    """``(lower, upper, note)``; NaN bounds and a note when the model has no intervals."""
    from engine.testing.intervals import calibrated_steps, half_widths, held_note

    try:
        widths = half_widths(model.metadata, level, len(values), mode=method)
    except EngineError as error:
        nan = np.full_like(values, np.nan, dtype=float)
        return nan, nan.copy(), f"No intervals: {error}"
    unknown = ~np.isfinite(widths)
    if unknown.all():
        nan = np.full_like(values, np.nan, dtype=float)
        return nan, nan.copy(), (
            f"No {float(level):.0%} interval: the selection part had too few errors to "
            "calibrate it at that level; choose a lower level, or train with a longer "
            "selection part.")
    note = held_note(calibrated_steps(model.metadata, level, method), len(values))
    if unknown.any():
        note = ((note + " ") if note else "") + (
            f"Some steps have no {float(level):.0%} interval (empty bounds): the selection "
            "part had too few errors at those steps.")
    lower, upper = values - widths, values + widths
    lower[unknown] = upper[unknown] = np.nan
    return lower, upper, note


def _cannot(method, reason):
    from engine.testing.verdict import method_words

    return EngineError(f"{method_words(method, capital=True)} cannot forecast this data: "
                       f"{reason}. Forecast with the network instead, or give a file with "
                       "more known target values.")


def _linear_future(model, frame, start, m, steps, notes, named):
    """``(values (n, k), form text, filled (n,) bool, fitted on)``: the linear
    autoregression's recursive forecast of ``n`` rows from ``start`` (fewer than ``steps``
    when other inputs' future values run out, with a note, as :func:`plan` says for the
    network), the rows forecast from windows that read a made-up value (marked and noted
    as the network's are, in the words ``named``) and what it was fitted on
    (:func:`~engine.deploy.made_up_forecasts.linear_fit_words`)."""
    from engine.testing.comparators import fit_linear

    fitted = model.preprocessing
    method, n, reach_notes = plan(fitted, start, m, steps)
    if method == "direct":            # the network's own output steps reach further
        n = min(steps, m + int(fitted.target_offsets[0]) if m else 0)
        if n == 0:
            raise _cannot("linear", "it reads the other inputs at the row it predicts, and "
                                    "the file gives none of their future values")
        notes.append(f"Forecast {n} of the {steps} steps asked: the file gives the other "
                     f"inputs' future values for {counted(m, 'row')}.")
    notes += reach_notes if method == "recursive" else []
    _check_history(fitted, start)
    encoded = fitted.encode(frame.iloc[:start + m], prediction=True)
    outcome = fit_linear(model, encoded, start)
    if isinstance(outcome, str):
        raise _cannot("linear", outcome)
    values = outcome[0](np.array([start]), n)[0]
    if not np.isfinite(values).all():
        raise _cannot("linear", f"the rows before row {start} (its last {fitted.lookback} "
                                "rows) have missing values")
    filled, made_up = made_up_reads(fitted, encoded, start, n, "recursive", named,
                                    runs_fit(_known_series(fitted, frame, start)))
    notes += made_up
    notes.append("The linear autoregression gives no prediction intervals; the bounds are "
                 "empty.")
    return values, outcome[1], filled, linear_fit_words(encoded, outcome[2])


def _time_gaps(fitted, frame, start):
    """(start,) True where time steps are missing between a row of ``frame`` and the one
    before, both with a time (a row without a time makes no gap, as for the network:
    :func:`~engine.data.time_steps.gaps_between_times`), or None without a time column
    or a regular step. Refuses times out of order (a data frame not sorted by time) and a
    last known row without a time (the forecast would have no place in time), as the
    network's forecast does."""
    from engine.data.time_steps import check_order, gaps_between_times

    column = fitted.time_column
    if not column or column not in frame.columns or fitted.time_step is None:
        return None
    times = parse_time(frame[column], column).iloc[:start]
    check_order(times, column, frame.attrs.get("time_zone"))
    if start and pd.isna(times.iloc[-1]):
        raise EngineError(f"Row {start - 1} has no time, so the forecast cannot run past "
                          "it; fill that row's time in.")
    return gaps_between_times(times, fitted.time_step, frame.attrs.get("time_zone"))


def _known_series(fitted, frame, start):
    """``{target: (start,) numbers}``: each target's values before row ``start``, NaN
    where empty (:func:`_numbers`)."""
    return {name: _numbers(fitted, frame, name)[:start] for name in fitted.target_names}


def _smoothing_future(model, frame, start, steps, level, method, notes):
    """``(values, lower, upper (steps, k), form text)`` of exponential smoothing or the
    Theta method (``method``) fitted on each target's known values before row ``start``
    (:func:`~engine.testing.comparators.ets_future`), with the method's own notes (a gap
    in time that cut its rows short, statsmodels' warnings; each once) and the note on an
    empty cell that cut their run short
    (:func:`~engine.deploy.made_up_forecasts.known_run_note`)."""
    from engine.testing.baselines import season_length
    from engine.testing.comparators import ets_future, theta_future

    fitted = model.preprocessing
    fit = ets_future if method == "ets" else theta_future
    series = _known_series(fitted, frame, start)
    first = series[fitted.target_names[0]]
    period = season_length(fitted.period, first[:, None], start, fitted.time_step)
    gaps = _time_gaps(fitted, frame, start)
    cuts = cut_runs(series, gaps)
    parts, own = [], []
    for y in series.values():
        try:
            outcome = fit(y, period, steps, level, own, gaps)
        except ImportError as error:          # a build without statsmodels
            raise _cannot(method, f"statsmodels is missing ({error})") from None
        if isinstance(outcome, str):
            raise _cannot(method, outcome + (f" ({'; '.join(cuts)})" if cuts else ""))
        parts.append(outcome)
    values, lower, upper = (np.column_stack([p[i] for p in parts]) for i in range(3))
    if not np.isfinite(values).all():
        raise _cannot(method, "its forecast is not a number (the fit failed)")
    notes += list(dict.fromkeys(own)) + known_run_note(method, cuts)
    return values, lower, upper, "; ".join(p[3] for p in parts)


def comparator_forecast(model, frame, start, m, steps, level, method, front="command_line"):
    """The :class:`ForecastResult` (without its history) of the classical comparator
    ``method`` fitted on ``frame`` (module docstring), from row ``start``; ``m`` rows after
    it give the other inputs; ``front``: whose words the notes name choices in
    (:data:`CHOICES_NAMED`). Raises a plain EngineError when the method cannot fit it."""
    from engine.data.pipeline import row_times
    from engine.testing.comparators import form_words
    from engine.testing.verdict import method_words

    fitted = model.preprocessing
    notes, filled, fitted_on = [], None, "this data's known target values"
    if method == "linear":
        values, form, filled, fitted_on = _linear_future(model, frame, start, m, steps, notes,
                                                         CHOICES_NAMED[front])
        lower, upper = np.full_like(values, np.nan), np.full_like(values, np.nan)
    else:
        values, lower, upper, form = _smoothing_future(model, frame, start, steps, level,
                                                       method, notes)
    rows = np.arange(start, start + len(values))
    times = []
    if fitted.time_column and fitted.time_column in frame.columns:
        known = parse_time(frame[fitted.time_column], fitted.time_column).iloc[:start]
        times = list(row_times(known.reset_index(drop=True), rows, fitted.time_step,
                               frame.attrs.get("time_zone")))
    notes.insert(0, f"Made by {method_words(method)} ({form_words(form)}), fitted on "
                    f"{fitted_on}; not by the network.")
    return ForecastResult(fitted.target_names, rows, np.asarray(values, float),
                          np.asarray(lower, float), np.asarray(upper, float), float(level),
                          "recursive", steps, times, notes, time_column=fitted.time_column,
                          source=method, filled=filled, form=form)


def write_forecast(result, path, csv_options=None):
    """Write :meth:`ForecastResult.to_frame` to ``path`` as CSV (atomically, UTF-8, up to 12
    significant digits, empty cells for unknown bounds), in the delimiter and decimal mark
    of ``csv_options`` (the :class:`~engine.data.csv_reader.CsvOptions` of the data's file,
    as ``predict`` writes; None: commas and decimal points)."""
    atomic_write_csv(path, result.to_frame(), **file_marks(csv_options))
    return path


def forecast_file(model, data_path, out_path, steps, level=0.9, method="network", clip=None):
    """:func:`forecast` of a CSV file written to ``out_path`` (never over ``data_path``
    itself) in the file's delimiter and decimal mark; returns the result."""
    from engine.model.model_file import loaded_model

    if Path(out_path).is_dir():
        raise EngineError(f"{out_path} is a folder; give the name of the CSV file to write.")
    check_not_replacing(out_path, data_path)
    model = loaded_model(model)
    result = forecast(model, data_path, steps, level, method=method, clip=clip)
    write_forecast(result, out_path, model.csv_options(data_path))
    return result
