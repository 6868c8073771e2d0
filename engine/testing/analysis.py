"""Everything the "Test results" step shows, from one call: errors on the testing part in
the targets' units beside naive baselines, for each target and step ahead; one step ahead
against recursive forecasting with the error by horizon; goodness of fit; the errors'
histogram, largest values, autocorrelation and cross-correlation with the inputs; and the
prediction intervals with the coverage they reached.

:func:`analyze_project` (the page, ``rnn-studio report``) and :func:`analyze_model` (a model
and a data frame, ``rnn-studio evaluate --json``) return a :class:`TestingAnalysis`; its
:meth:`~TestingAnalysis.to_dict` is plain JSON.

Notation: testing rows ``r = s .. n-1`` (``s`` the testing start), ``k`` targets, ``S``
output steps of the network (its horizon), ``H`` recursive horizons. Errors are always
prediction minus truth, ``e = y^ - y``.

* direct: the network's outputs for every window with a target row in the testing part;
  step ``h`` predicts row ``t + h`` from the true rows up to the anchor ``t``;
* one step ahead: step 1 of the direct predictions (what ``evaluate`` scores);
* recursive: one forecast from ``s`` that feeds its predictions back, drawn on the page,
  over the testing part or its first :func:`recursive_length` rows when it is long (5,000
  rows, or 10 H: 200,000 predictions one after the other took 8-10 minutes;
  ``evaluate --recursive`` scores one over the whole part), and forecasts of ``H`` rows (the
  horizon chosen) from every testing row as origin (evenly spaced ones when there are many,
  :func:`~engine.testing.evaluation.forecast_origins`) for the error by horizon
  ``RMSE_h = sqrt(mean_o e_(o,h)^2)`` and, over the origins whose forecast ends in the
  testing part, every step pooled ``RMSE = sqrt(mean_(o,h) e_(o,h)^2)`` (what
  ``evaluate --horizon H`` scores; the errors table's recursive row);
* baselines: persistence (the last known value) and seasonal naive (the value one period
  before, from the last known cycle) on the same rows; for the direct step ``h`` the last
  known row is the anchor ``t``; and the classical comparators
  (:mod:`engine.testing.comparators`: ETS, Theta, the linear autoregression, fitted on the
  rows before the selection part) on the same rows from the same last known rows;
* autocorrelation of the one-step errors at lag ``l``:
  ``rho_l = sum_t (e_t - m)(e_(t-l) - m) / sum_t (e_t - m)^2`` with the 95% band
  ``+-1.96 / sqrt(n)`` of white noise; cross-correlation of an input ``x`` with the errors:
  ``corr(x_(r-l), e_r)`` for ``l = 0..``, same band.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.errors import EngineError
from engine.model.recursive import stop_reason
from engine.tasks import as_task
from engine.testing.baselines import baseline_scores, season_length
from engine.testing.comparators import comparator_scores, fit_comparators, gap_notes
from engine.testing.evaluation import (check_horizon, comparator_origins, default_start,
                                       evaluation_horizon,
                                       filled_count, forecast_length, forecast_length_note,
                                       history_scale, horizon_forecasts, horizon_guesses,
                                       known_end, labels_notes, origins_note,
                                       pooled_origins, pooled_scores, RANDOM_TESTING,
                                       random_testing,
                                       tested_from,
                                       READ_AHEAD, read_ahead, read_ahead_notes,
                                       resolve_start, stopped_note, testing_rows,
                                       time_text)
from engine.testing.intervals import (LEVELS, calibrated_steps, coverage, half_widths,
                                      held_note, level_key)
from engine.testing.metrics import Scores, fit_line, score
from engine.testing.remarks import testing_remark
from engine.training.share_words import training_subject
from engine.words import counted, verb

LARGEST = 10            # largest errors listed per target
MAX_LAGS = 24           # autocorrelation lags
MAX_CROSS_LAGS = 12     # cross-correlation lags
MAX_BINS = 30
RECURSIVE_ROWS = 5000   # the one forecast from the testing start: at most these rows (or 10 H)


def _plain(x):
    """A float, or None for NaN and infinities (JSON has no such numbers)."""
    x = float(x)
    return x if np.isfinite(x) else None


def _plain_array(a):
    return [_plain_array(v) for v in a] if np.ndim(a) else _plain(a)


@dataclass
class Correlations:
    """Correlations at lags ``lags`` (m,) with ``values`` (..., m) and the 95% ``band``."""

    lags: np.ndarray
    values: np.ndarray
    band: float

    def outside(self):
        """How many values lie outside the band (..., )."""
        return (np.abs(np.nan_to_num(self.values)) > self.band).sum(axis=-1)

    def to_dict(self):
        return {"lags": [int(x) for x in self.lags], "values": _plain_array(self.values),
                "band": _plain(self.band)}


@dataclass
class TestingAnalysis:
    """What :func:`analyze_model` finds on the testing part (all values in target units).

    rows (m,), times (m,) or None: the rows ``s..e`` from the first to the last testing
        row (``e = n - 1`` from a given start); tested: the testing rows among them
        (:func:`engine.testing.evaluation.testing_rows`; all of them, except after a random split,
        where the others have no prediction and are not scored)
    one_step_truth, one_step_predicted (m, k): one step ahead (NaN where not predictable)
    direct_scores, direct_baselines: per output step ``h = 1..S``, :class:`Scores` and
        ``{"persistence"|"seasonal_naive"|"ets"|"theta"|"linear": Scores}``
    direct_errors (w, S, k): errors of every testing window's direct outputs
    recursive_predicted (m, k): the forecast from ``s`` over the first
        ``recursive_rows`` rows (all of them, at most :func:`recursive_length`; NaN after);
        recursive_scores, recursive_baselines as above, on those rows
    horizon_errors (o, H, k): recursive forecasts of ``H`` rows from every testing row as
        origin (evenly spaced ones for long testing parts);
        horizon_rmse, horizon_mae (H, k), horizon_count (H,), horizon_baselines
        ``{name: (H, k) RMSE}`` over the same origins at each step (the comparators' over
        those of ``comparator_origins``); horizon_scores: :class:`Scores` of every step of the
        ``horizon_origins`` forecasts that end in the testing part, pooled; horizon_pooled
        ``{name: Scores}`` of the baselines on the same rows, the classical comparators'
        from ``comparator_origins`` of those forecasts only (one in every few, to save
        time; None: from all of them)
    fit: ``{"slope", "intercept", "correlation"}`` (k,) of the one-step outputs against the
        targets
    histogram: per target ``(counts, edges)``; largest: per target a list of dicts
    autocorrelation: :class:`Correlations` (k, lags); cross_correlation: ``(names,
        Correlations (k, n_inputs, lags))``
    intervals: None without stored intervals, else ``{"levels", "direct": {level: (S, k)},
        "recursive": {level: (H, k)}, "direct_coverage": {level: (S, k)},
        "recursive_coverage": {level: (H, k)}, "recursive_coverage_all": {level: (k,)}
        over all horizons, "forecast": {level: (m, k)} widths of the forecast from s,
        "calibrated": {level: steps}`` the recursive steps calibrated, past which the last
        width is held, "count": the selection errors of the direct widths,
        "recursive_count": [errors at horizon 1..calibrated]}`` (levels as text keys,
        "0.9"); coverage is the share of known testing errors with ``|e| <= width``
    labels_note: the note (one of ``notes``) on the scored rows predicted from labels the
        model was not trained on, or None (:func:`read_labels_notes`)
    horizon_note: the note (one of ``notes``) on a horizon shorter than the forecast length
        the model file records, or None
        (:func:`~engine.testing.evaluation.forecast_length_note`)
    forecast_steps: the length of the forecasts the person asked for, as the model file
        records it (:func:`~engine.testing.evaluation.forecast_length`; None when it
        records none, and for a model of 0 steps ahead, which forecasts nothing)
    subject: how the report's sentences name the model: "the network", or "the linear
        autoregression" for one whose training kept its least-squares start or whose fit
        dropped the recurrent part (:func:`tested_subject`), as step 6 names it
    """

    target_names: list
    start_row: int
    rows: np.ndarray
    times: object
    period: object
    steps: int
    one_step_truth: np.ndarray
    one_step_predicted: np.ndarray
    direct_scores: list
    direct_baselines: list
    direct_errors: np.ndarray
    recursive_predicted: np.ndarray
    recursive_scores: Scores
    recursive_baselines: dict
    horizon_errors: np.ndarray
    horizon_rmse: np.ndarray
    horizon_mae: np.ndarray
    horizon_count: np.ndarray
    horizon_baselines: dict
    fit: dict
    histogram: list
    largest: list
    autocorrelation: Correlations
    cross_names: list
    cross_correlation: Correlations
    intervals: dict = None
    notes: list = field(default_factory=list)
    tested: np.ndarray = None
    comparators: dict = field(default_factory=dict)
    horizon_origins: int = 0
    horizon_scores: Scores = None
    horizon_pooled: dict = field(default_factory=dict)
    time_column: str = None
    recursive_rows: int = None
    forecast_steps: int = None
    comparator_origins: int = None
    labels_note: str = None
    horizon_note: str = None
    subject: str = "the network"
    time_zone: object = None

    @property
    def horizon(self):
        """``H``, the length of the recursive forecasts from many origins."""
        return len(self.horizon_rmse)

    @property
    def testing_count(self):
        """How many rows the testing part has (``tested``, the testing rows among ``rows``:
        all of them, except after a random split)."""
        return len(self.rows if self.tested is None else self.tested)

    @property
    def one_step_scores(self):
        return self.direct_scores[0]

    @property
    def start_time(self):
        if self.times is None or not len(self.times):
            return None
        return time_text(self.times[0], self.time_zone)

    @property
    def one_step_errors(self):
        return self.one_step_predicted - self.one_step_truth

    def x_values(self):
        """The testing rows' positions for a plot: ``(values (m,), is_date)``, seconds since
        1970 (UTC) for dates, the times themselves for a time column of numbers (years),
        else the row numbers (see :meth:`x_label`)."""
        values, is_date, _ = self._x_axis()
        return values, is_date

    def x_label(self):
        """The name of the axis of :meth:`x_values`: the time column's ("month"; "time"
        when the analysis does not know it), or "row" for row numbers."""
        return self._x_axis()[2]

    def _x_axis(self):
        return plot_axis(self.times, self.rows, self.time_column)

    def fit_line_points(self, j):
        """Two points ``(x (2,), y (2,))`` of the fitted line of target ``j`` across the
        range of its targets and outputs, and the same ``x`` for the ideal line y = x;
        None without finite values."""
        y, p = self.one_step_truth[:, j], self.one_step_predicted[:, j]
        keep = np.isfinite(y) & np.isfinite(p)
        if not keep.any():
            return None
        x = np.array([min(y[keep].min(), p[keep].min()), max(y[keep].max(), p[keep].max())])
        return x, self.fit["intercept"][j] + self.fit["slope"][j] * x

    def fit_points(self, j):
        """``(targets, outputs)`` of target ``j`` at the rows predicted one step ahead, in
        the order of the targets (a plot of many points then draws an even share of them
        along the targets, as pyqtgraph's downsampling does for x values in order)."""
        y, p = self.one_step_truth[:, j], self.one_step_predicted[:, j]
        keep = np.isfinite(y) & np.isfinite(p)
        order = np.argsort(y[keep], kind="stable")
        return y[keep][order], p[keep][order]

    def forecast_band(self, j, level=0.9):
        """``(lower, upper)`` (m,) of the recursive forecast of target ``j`` at ``level``,
        or None without intervals (or with infinite widths)."""
        if self.intervals is None:
            return None
        widths = self.intervals["forecast"].get(level_key(level))
        if widths is None or not np.isfinite(widths[:, j]).all():
            return None
        values = self.recursive_predicted[:, j]
        return values - widths[:, j], values + widths[:, j]

    def to_dict(self):
        """Every figure as plain JSON (NaN and infinities as None)."""
        def scores(s):
            return None if s is None else s.to_dict()

        names = self.target_names
        out = {"from_row": int(self.start_row), "from_time": self.start_time,
               "rows": int(self.testing_count), "steps": int(self.steps),
               "period": None if not self.period else int(self.period),
               "direct": [{"step": h + 1, **(scores(s) or {}),
                           "baselines": {b: scores(v) for b, v in
                                         self.direct_baselines[h].items() if v is not None}}
                          for h, s in enumerate(self.direct_scores)],
               "recursive": {"forecast_rows": self.recursive_rows,
                             **(scores(self.recursive_scores) or {}),
                             "baselines": {b: scores(v) for b, v in
                                           self.recursive_baselines.items()
                                           if v is not None}},
               "recursive_horizon": {"horizon": int(self.horizon),
                                     "origins": int(self.horizon_origins),
                                     "comparator_origins": self.comparator_origins,
                                     **(scores(self.horizon_scores) or {}),
                                     "baselines": {b: scores(v) for b, v in
                                                   self.horizon_pooled.items()
                                                   if v is not None}},
               "by_horizon": {"count": [int(c) for c in self.horizon_count],
                              "rmse": {name: _plain_array(self.horizon_rmse[:, j])
                                       for j, name in enumerate(names)},
                              "mae": {name: _plain_array(self.horizon_mae[:, j])
                                      for j, name in enumerate(names)},
                              "baselines_rmse": {
                                  b: {name: _plain_array(v[:, j])
                                      for j, name in enumerate(names)}
                                  for b, v in self.horizon_baselines.items()}},
               "fit": {name: {key: _plain(self.fit[key][j]) for key in self.fit}
                       for j, name in enumerate(names)},
               "largest_errors": {name: self.largest[j] for j, name in enumerate(names)},
               "histogram": {name: {"counts": [int(c) for c in self.histogram[j][0]],
                                    "edges": _plain_array(self.histogram[j][1])}
                             for j, name in enumerate(names)},
               "autocorrelation": {name: {"lags": [int(x) for x in
                                                   self.autocorrelation.lags],
                                          "values": _plain_array(
                                              self.autocorrelation.values[j]),
                                          "band": _plain(self.autocorrelation.band)}
                                   for j, name in enumerate(names)},
               "cross_correlation": {name: {"lags": [int(x) for x in
                                                     self.cross_correlation.lags],
                                            "band": _plain(self.cross_correlation.band),
                                            "inputs": {
                                                x: _plain_array(
                                                    self.cross_correlation.values[j, i])
                                                for i, x in enumerate(self.cross_names)}}
                                     for j, name in enumerate(names)},
               "intervals": None, "notes": list(self.notes),
               "comparators": {name: c.to_dict() for name, c in self.comparators.items()}}
        if self.intervals is not None:
            iv = self.intervals
            out["intervals"] = {
                "method": iv["method"], "levels": list(iv["levels"]),
                "direct": {key: _plain_array(v) for key, v in iv["direct"].items()},
                "recursive": {key: _plain_array(v) for key, v in iv["recursive"].items()},
                "direct_coverage": {key: _plain_array(v)
                                    for key, v in iv["direct_coverage"].items()},
                "recursive_coverage": {key: _plain_array(v)
                                       for key, v in iv["recursive_coverage"].items()},
                "recursive_coverage_all": {key: _plain_array(v) for key, v in
                                           iv["recursive_coverage_all"].items()},
                "calibrated_steps": dict(iv.get("calibrated", {})),
                "count": iv.get("count"),
                "recursive_count": [int(c) for c in iv.get("recursive_count") or []]}
        return out


# -- pieces ---------------------------------------------------------------------------------

def correlogram(errors, max_lag=MAX_LAGS):
    """Autocorrelation of each column of ``errors`` (n, k), one row per consecutive data
    row, at lags ``1..L`` with ``L = min(max_lag, n - 2)``: :class:`Correlations` (k, L).
    Lag ``l`` pairs the errors of rows ``r`` and ``r + l``; a pair with a missing error (NaN:
    a row not scored) is left out, and never closes up the rows around it (NaN at a lag
    with no pair)::

        r_l = sum_r d_r d_(r+l) / sum_r d_r^2,   d = e - mean(e) over the known errors
    """
    errors = np.asarray(errors, dtype=float)
    columns = []
    lags = np.arange(1, max(1, min(max_lag, len(errors) - 2)) + 1)
    for j in range(errors.shape[1]):
        e = errors[:, j]
        known = np.isfinite(e)
        d = np.where(known, e - e[known].mean(), 0.0) if known.any() else np.zeros(0)
        total = np.sum(d ** 2)
        values = [np.sum(d[lag:] * d[:-lag]) / total
                  if total > 0 and lag < len(d) and (known[lag:] & known[:-lag]).any()
                  else np.nan for lag in lags]        # NaN: no pair of rows that far apart
        columns.append(values)
    n = max(1, int(np.isfinite(errors).all(axis=1).sum()))
    return Correlations(lags, np.array(columns, dtype=float).reshape(len(columns), len(lags)),
                        1.96 / np.sqrt(n))


def cross_correlogram(inputs, errors, max_lag=MAX_CROSS_LAGS):
    """``corr(x_(r-l), e_r)`` for each input column ``x`` of ``inputs`` (n, p), each error
    column ``e`` of ``errors`` (n, k) (rows aligned, ``x`` may start ``max_lag`` rows
    earlier: ``inputs`` has ``n + max_lag`` rows, the last ``n`` aligned with ``errors``),
    lags ``0..max_lag``: :class:`Correlations` (k, p, max_lag + 1)."""
    inputs = np.asarray(inputs, dtype=float)
    errors = np.asarray(errors, dtype=float)
    n, k = errors.shape
    lags = np.arange(0, max_lag + 1)
    out = np.full((k, inputs.shape[1], len(lags)), np.nan)
    for j in range(k):
        for i in range(inputs.shape[1]):
            for li, lag in enumerate(lags):
                x = inputs[max_lag - lag: max_lag - lag + n, i]
                e = errors[:, j]
                keep = np.isfinite(x) & np.isfinite(e)
                if keep.sum() > 2 and np.std(x[keep]) > 0 and np.std(e[keep]) > 0:
                    out[j, i, li] = np.corrcoef(x[keep], e[keep])[0, 1]
    count = max(1, int(np.isfinite(errors).all(axis=1).sum()))
    return Correlations(lags, out, 1.96 / np.sqrt(count))


def plot_axis(times, rows, time_column=None):
    """Positions for a plot's x axis: ``(values (m,), is_date, name)``. ``times`` (m,) (or
    None): dates become seconds since 1970 (UTC), ``is_date`` True; numbers (years) stay
    as they are; both named after the ``time_column`` they were read from ("year"; "time"
    when it is not given). Without times, or with one that is neither, the row numbers
    ``rows`` (m,), named "row"."""
    name = time_column or "time"
    if times is not None and len(times):
        times = pd.Series(times)
        if pd.api.types.is_numeric_dtype(times):
            if times.notna().all():
                return times.to_numpy(dtype=float), False, name
        else:
            stamps = pd.to_datetime(times, errors="coerce")
            if stamps.notna().all():
                if stamps.dt.tz is not None:
                    stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
                seconds = (stamps - pd.Timestamp("1970-01-01")) / pd.Timedelta(seconds=1)
                return seconds.to_numpy(dtype=float), True, name
    return np.asarray(rows, dtype=float), False, "row"


def histogram(errors):
    """``(counts, edges)`` of the finite values of ``errors`` (n,), at most
    :data:`MAX_BINS` bins; one bin when the values are too large for their spread to be
    cut into bins (errors of 1e26 that differ in the last digits)."""
    e = np.asarray(errors, dtype=float)
    e = e[np.isfinite(e)]
    if e.size == 0:
        return np.zeros(0, dtype=int), np.zeros(1)
    try:
        edges = np.histogram_bin_edges(e, bins="auto")
    except ValueError:
        edges = np.array([e.min(), e.max()])
    if len(edges) - 1 > MAX_BINS:
        edges = np.histogram_bin_edges(e, bins=MAX_BINS)
    counts, edges = np.histogram(e, bins=edges)
    return counts, edges


def largest_errors(rows, times, truth, predicted, count=LARGEST, zone=None):
    """The ``count`` largest absolute errors of one target: dicts with ``row``, ``time``
    (text or None; on the clocks of ``zone``, :func:`time_text`), ``truth``,
    ``predicted``, ``error`` (predicted minus truth), largest first."""
    error = np.asarray(predicted, dtype=float) - np.asarray(truth, dtype=float)
    order = np.argsort(-np.abs(np.nan_to_num(error, nan=-np.inf)), kind="stable")
    order = [i for i in order if np.isfinite(error[i])][:count]
    return [{"row": int(rows[i]), "time": None if times is None else time_text(times[i], zone),
             "truth": float(truth[i]), "predicted": float(predicted[i]),
             "error": float(error[i])} for i in order]


def _nanmean(values):
    """Mean over axis 0 of the finite values; NaN where there is none (no warning)."""
    known = np.isfinite(values)
    count = known.sum(axis=0)
    total = np.where(known, values, 0.0).sum(axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _input_series(fitted, frame, encoded):
    """The raw values of the numeric inputs (n, p) and their names (targets that are
    inputs appear with their own values)."""
    import pandas as pd

    names, columns = [], []
    for v in fitted.variables:
        if v["role"] not in ("input", "input_target") or v["type"] == "categorical":
            continue
        if v["role"] == "input_target":
            columns.append(encoded.levels[:, fitted.target_names.index(v["name"])])
        elif v["type"] == "binary":
            columns.append(encoded.features[:, _feature_index(fitted, v["name"])])
        else:
            columns.append(pd.to_numeric(frame[v["name"]], errors="coerce")
                           .to_numpy(dtype=float))
        names.append(v["name"])
    values = np.column_stack(columns) if columns else np.zeros((encoded.n_rows, 0))
    return names, values


def _feature_index(fitted, name):
    return [c["variable"] for c in fitted.input_columns].index(name)


# -- the analysis, one sub-result at a time ------------------------------------------------

NO_TESTING_ADVICE = {"no_testing": "Set a testing part on the data-set step and train again.",
                     "past_end": "Put the rows back, or train again."}
"""What the messages on a model without testing rows in its data advise, in the pages'
words (step 6 scores from the model's testing start only): ``no_testing`` when its
training used every row, ``past_end`` when its testing part starts past the data's end.
``report`` and ``evaluate --json`` give their own (the project file, ``--from``)."""


def _no_testing_part(metadata, n_rows, years, advice):
    """Why the model has no testing rows in data of ``n_rows`` rows (whose time column holds
    numbers such as years when ``years``: a whole number is then one of them, else a row):
    its training used every row, or its testing part starts past these data's end (rows
    removed since); ending with ``advice`` (:data:`NO_TESTING_ADVICE`)."""
    start = ((metadata or {}).get("testing") or {}).get("from")
    if start is None:
        return ("The model has no testing part in this data (its training used every row). "
                f"{advice['no_testing']}")
    where = f"row {start['row']}" if isinstance(start, dict) and "row" in start else \
        f"row {start}" if isinstance(start, int) and not years else start
    return (f"The model's testing part starts at {where}, past the end of this data "
            f"({n_rows:,} rows): the data file holds fewer rows than the model was trained "
            f"on. {advice['past_end']}")


def _testing_span(model, encoded, start, advice=None):
    """The testing span: ``start_row`` ``s`` (from ``start``, else where the model's
    testing started), ``rows`` ``s..e``, ``tested`` (the testing rows among them: after a
    random split only those the model recorded, from ``start`` too) and
    ``times`` (the rows' times or None); ``advice``: what a message on a model without
    testing rows in these data advises (:data:`NO_TESTING_ADVICE`)."""
    n, metadata = encoded.n_rows, model.metadata or {}
    tested = None
    if start is not None:
        s = resolve_start(start, encoded.times, n, zone=encoded.time_zone)
        tested = tested_from(metadata, n, s, times=encoded.times, zone=encoded.time_zone)
        s = s if tested is None else int(tested[0])
    else:
        tested = testing_rows(metadata, n, encoded.times, encoded.time_zone)
        s = default_start(metadata, encoded.times, n, encoded.time_zone) if tested is None \
            else int(tested[0])
        if s is None:
            years = encoded.times is not None and \
                pd.api.types.is_numeric_dtype(encoded.times)
            raise EngineError(_no_testing_part(metadata, n, years,
                                               {**NO_TESTING_ADVICE, **(advice or {})}))
    least = model.lookback - 1 + int(model.target_offsets[0])
    if s < least:
        raise EngineError(f"Testing from row {s} leaves too few rows before it for the "
                          f"lookback of {model.lookback}; start at row {least} or later.")
    rows = np.arange(s, known_end(encoded) if tested is None else tested[-1] + 1)
    tested = rows if tested is None else tested
    if tested.size < 2:
        raise EngineError(f"Testing from row {s} leaves {counted(tested.size, 'row')} to test; "
                          "test on at least 2 rows (choose an earlier start).")
    times = None if encoded.times is None else encoded.times.iloc[rows].to_numpy()
    return {"start_row": int(s), "rows": rows, "tested": tested, "times": times,
            "time_zone": encoded.time_zone}


def _direct_outputs(model, frame, encoded, tested, windows=None, made=None):
    """The network's outputs for every window of ``frame`` with a target row among
    ``tested``: ``(target_rows (w, S), anchors (w,), direct (w, S, k), truth (w, S, k))``,
    values NaN at target rows outside ``tested`` and at rows after a gap in time from the
    window (:meth:`~engine.data.PredictionWindows.without_gap`: the window predicts a
    missing time there, not that row). ``windows``: the
    :class:`~engine.data.PredictionWindows` of ``frame`` made already, else made here;
    ``made``: predictions of some of those windows made already (:func:`window_values`)."""
    fitted = model.preprocessing
    if windows is None:
        windows = model.windows(frame)
    scored = np.isin(windows.rows, tested) & windows.without_gap()
    chosen = np.flatnonzero(scored.any(axis=1))
    target_rows, anchors = windows.rows[chosen], windows.anchors[chosen]
    direct = window_values(model, windows, chosen, made)
    truth = fitted.true_values(anchors, encoded)
    in_test = scored[chosen][..., None]
    return target_rows, anchors, np.where(in_test, direct, np.nan), \
        np.where(in_test, truth, np.nan)


def window_values(model, windows, chosen, made=None):
    """The predictions (c, S, k) of the :class:`~engine.data.PredictionWindows` ``windows``
    at the indices ``chosen`` (c,), sorted: from ``made`` ``(indices (m,), values (m, S,
    k))``, predictions made already of the same windows at sorted indices, for those among
    them; the others predicted here, in one call."""
    if made is None or not len(made[0]):
        return model.predict(windows, chosen)[1]
    indices, values = made
    where = np.minimum(np.searchsorted(indices, chosen), len(indices) - 1)
    found = indices[where] == chosen
    direct = np.empty((len(chosen),) + values.shape[1:], dtype=values.dtype)
    direct[found] = values[where[found]]
    if not found.all():
        direct[~found] = model.predict(windows, chosen[~found])[1]
    return direct


LABELS_OF = ("direct", "recursive", "horizon")
"""The predictions whose reads of labels the model was not trained on the testing
analysis' note counts (:func:`labels_reads`), all that step 6 shows: every step ahead of
the direct ones, the recursive forecast from the testing start and those from many
origins."""


def labels_reads(fitted, outputs, span, recursive, horizon):
    """What each kind of prediction read, for the note on labels the model was not trained
    on (:func:`~engine.testing.evaluation.labels_notes`): ``{kind: (rows (m,), windows_from
    (m,), last (m,), errors (m, k))}``, a prediction of row ``rows[i]`` reading the rows from
    the window ending at ``windows_from[i]`` up to ``last[i]``, scored where ``errors`` is
    known. ``outputs``: :func:`_direct_outputs` (a window's own rows, every step);
    ``recursive``: ``(predicted, truth)`` (m, k) of the span's rows, forecast from its
    start; ``horizon``: ``(origins (o,), errors (o, H, k))`` of the forecasts from many
    origins (their rows outside the testing rows left out)."""
    offset = int(fitted.target_offsets[0])
    target_rows, anchors, direct, truth = outputs
    steps, k = direct.shape[1], direct.shape[2]
    ends = np.repeat(anchors, steps)
    rows = span["rows"]
    origins, errors = horizon
    reached = origins[:, None] + np.arange(errors.shape[1])[None, :]
    inside = np.isin(reached, span["tested"])
    return {"direct": (target_rows.ravel(), ends, ends, (direct - truth).reshape(-1, k)),
            "recursive": (rows, np.full(len(rows), span["start_row"] - offset),
                          rows - offset, recursive[0] - recursive[1]),
            "horizon": (reached[inside], np.broadcast_to(origins[:, None] - offset,
                                                         reached.shape)[inside],
                        reached[inside] - offset, errors[inside])}


def read_labels_notes(fitted, encoded, reads, kinds=LABELS_OF):
    """The note on the scored rows that the predictions of ``kinds`` (keys of ``reads``,
    :func:`labels_reads`) made from windows that read labels the model was not trained
    on, each row counted once however many of them did, or ``[]``."""
    rows, first, last, known = (np.concatenate([reads[kind][i] for kind in kinds])
                                for i in range(4))
    return labels_notes(fitted, encoded, rows, first, last, known, known)


def _direct_results(model, encoded, outputs, span, scale, comparators, period):
    """Scores and baselines (seasonal naive at ``period``) of each direct output step ``h``
    (the last known row is the anchor, or the row before it for horizon 0), and the errors
    (w, S, k)."""
    fitted = model.preprocessing
    target_rows, anchors, direct, truth = outputs
    known = anchors if model.target_offsets[0] else anchors - 1
    names = fitted.target_names
    scores = [score(truth[:, h], direct[:, h], names, scale) for h in range(fitted.steps)]
    naive = [baseline_scores(encoded.levels, truth[:, h], target_rows[:, h], known,
                             period, names, scale, encoded.positions)
             for h in range(fitted.steps)]
    for h in range(fitted.steps):
        naive[h].update(comparator_scores(comparators, truth[:, h], target_rows[:, h], known,
                                          names, scale))
    if scores[0] is None:
        raise EngineError(f"No testing row from row {span['start_row']} on can be predicted "
                          "and compared with its true value; check that the testing rows "
                          "have the target and input values filled in.")
    return {"direct_scores": scores, "direct_baselines": naive,
            "direct_errors": direct - truth}


def _one_step_results(encoded, outputs, span, offset):
    """The one-step predictions (m, k) of the span's rows (NaN where none) and the truth
    they are scored against (``offset``: the rows from a window's end to its first output
    step; :meth:`~engine.data.preprocessing.Encoded.scored_truth`)."""
    target_rows, _, direct, _ = outputs
    rows = span["rows"]
    predicted = np.full((len(rows), direct.shape[2]), np.nan)
    keep = np.isin(target_rows[:, 0], span["tested"])
    predicted[(target_rows[:, 0] - span["start_row"])[keep]] = direct[keep, 0]
    return {"one_step_truth": encoded.scored_truth(offset)[rows],
            "one_step_predicted": predicted}


def recursive_length(count, horizon):
    """How many rows the one recursive forecast from the testing start runs over: the
    ``count`` testing rows, at most ``max(`` :data:`RECURSIVE_ROWS` ``, 10 horizon)``."""
    return int(min(count, max(RECURSIVE_ROWS, 10 * int(horizon))))


SHORTENED_WORDS = {"forecast": "the dashed line of the Predictions plot",
                   "unaffected": "the errors table and By horizon are"}
"""How the note on a shortened recursive forecast (:func:`shortened_note`) names that
forecast and the figures it does not change, in the pages' words; ``evaluate --json``
gives its own (``advice`` of :func:`analyze_model`, same keys), the HTML report shows it
in its own (:func:`engine.testing.report.report_notes`)."""


def shortened_note(length, count, words=None):
    """The note on a recursive forecast from the testing start cut at ``length`` of the
    ``count`` testing rows (:func:`recursive_length`), in ``words``
    (:data:`SHORTENED_WORDS`, the default)."""
    words = {**SHORTENED_WORDS, **(words or {})}
    return (f"To save time, the recursive forecast from the start of the testing part "
            f"({words['forecast']}) runs over its first {length:,} rows only, of "
            f"{count:,}; {words['unaffected']} not affected.")


def given_forecast(span, given):
    """The recursive forecast of ``given`` (an
    :class:`~engine.testing.evaluation.Evaluation` of one recursive forecast, as
    ``evaluate --recursive`` scores it) over the span's rows: ``(predicted (m, k), rows
    forecast)``, NaN at rows it did not reach; None without one from the span's start."""
    if given is None or not given.recursive or given.horizon is not None \
            or given.start_row != span["start_row"]:
        return None
    rows = span["rows"]
    predicted = np.full((len(rows), given.predicted.shape[1]), np.nan)
    inside = (given.rows >= rows[0]) & (given.rows <= rows[-1])
    predicted[given.rows[inside] - rows[0]] = given.predicted[inside]
    return predicted, int(inside.sum())


def _recursive_results(model, encoded, span, truth, scale, notes, comparators, period,
                       horizon, given=None, words=None):
    """The recursive forecast from the span's start over its first
    :func:`recursive_length` rows (of ``horizon``), its scores and its baselines (from
    the row before the start) on those rows; none after a random split. ``given``: the
    same forecast made already (:func:`given_forecast`), whose scores and baselines are
    taken as they are, over all its rows; ``words``: those of the note when it is cut
    short (:data:`SHORTENED_WORDS`)."""
    fitted = model.preprocessing
    rows, s = span["rows"], span["start_row"]
    if random_testing(model.metadata, span["tested"]):
        notes.append(f"{RANDOM_TESTING}; the errors by horizon start from "
                     "testing rows.")
        return {"recursive_predicted": np.full((len(rows), len(fitted.targets)), np.nan),
                "recursive_scores": None, "recursive_baselines": {}, "recursive_rows": 0}
    made = given_forecast(span, given)
    if made is not None:
        notes += _stopped_note(model, encoded, rows, made[0])
        return {"recursive_predicted": made[0], "recursive_scores": given.scores,
                "recursive_baselines": dict(given.baselines), "recursive_rows": made[1]}
    length = recursive_length(len(rows), horizon)
    predicted = np.full((len(rows), len(fitted.targets)), np.nan)
    predicted[:length] = model.forecast(encoded, [s], length)[0][0]
    truth = np.where(np.isfinite(predicted), truth, np.nan)     # the baselines' rows too
    scores = score(truth, predicted, fitted.target_names, scale)
    offset = int(fitted.target_offsets[0])
    if read_ahead(encoded, [s], offset).any():
        notes.append(READ_AHEAD.format(row=s - offset, origin=s))
    elif scores is None:
        notes.append("A recursive forecast over the testing part is not possible ("
                     f"{stop_reason(fitted, encoded, s, s)}).")
    else:
        notes += _stopped_note(model, encoded, rows[:length], predicted[:length])
    if length < len(rows):
        notes.append(shortened_note(length, len(rows), words))
    # the baselines and comparators forecast the same rows only (a comparator's one
    # forecast over 200,000 rows took a minute)
    truth, known = truth[:length], np.full(length, s - 1)
    naive = baseline_scores(encoded.levels, truth, rows[:length], known, period,
                            fitted.target_names, scale, encoded.positions)
    naive.update(comparator_scores(comparators, truth, rows[:length], known,
                                   fitted.target_names, scale))
    return {"recursive_predicted": predicted, "recursive_scores": scores,
            "recursive_baselines": naive, "recursive_rows": length}


def _stopped_note(model, encoded, rows, predicted):
    """A note when the recursive forecast over ``rows`` stops before their end (a gap in
    time, a row without a time, missing inputs, an output that is not a number): it and
    its baselines are scored on the rows before."""
    made = np.isfinite(predicted).all(axis=1)
    if made.all() or not made[0]:
        return []
    count = int(np.argmin(made))
    start, row = int(rows[0]), int(rows[count])
    why = stop_reason(model.preprocessing, encoded, start, row)
    return [stopped_note(start, row, why, count)]


def comparator_origins_note(every, used, count):
    """The sentence that says the classical comparators made only ``used`` of the
    ``count`` recursive forecasts the errors table's recursive row scores
    (:attr:`TestingAnalysis.comparator_origins` of
    :attr:`TestingAnalysis.horizon_origins`: those from one in ``every`` of the network's
    origins), in words a reader without the program's terms follows."""
    return (f"To save time, the classical comparators (ETS, Theta, linear AR) made only "
            f"{used:,} of the {count:,} recursive forecasts the errors table's recursive row "
            f"scores (those from one in every {every} of the rows the network's forecasts "
            "start at); their RMSE in that row is measured on those forecasts.")


def _horizon_results(model, encoded, span, H, comparators, notes, period, scale):
    """Recursive forecasts of ``H`` rows from the testing rows
    (:func:`~engine.testing.evaluation.forecast_origins`: every one, or evenly spaced ones):
    their errors and RMSE, MAE and count by horizon beside the baselines' RMSE on the same
    known errors (at each step, only the origins where the network's forecast reached it:
    not those where it stopped or ran away), and the scores of every step pooled over the
    origins whose forecast ends in the testing part, beside the baselines' (what
    ``evaluate --horizon H`` scores)."""
    tested = span["tested"]
    origins, values, truth = horizon_forecasts(model, encoded, tested, H)
    notes += origins_note(encoded, origins, int(model.preprocessing.target_offsets[0]))
    errors = values - truth
    guesses, every = horizon_guesses(encoded.levels, comparators, origins, H, period,
                                     encoded.positions)
    complete = pooled_origins(encoded, origins, H, tested[-1],
                              int(model.preprocessing.target_offsets[0]))
    whole, used = int(complete.sum()), comparator_origins(complete, every, guesses,
                                                          comparators)
    if used is not None:
        notes.append(comparator_origins_note(every, used, whole))
    names = model.preprocessing.target_names
    return {"horizon_errors": errors, "horizon_rmse": np.sqrt(_nanmean(errors ** 2)),
            "horizon_mae": _nanmean(np.abs(errors)),
            "horizon_count": np.isfinite(errors).all(axis=2).sum(axis=0),
            "horizon_baselines": {name: np.sqrt(_nanmean(
                np.where(np.isfinite(errors), guess - truth, np.nan) ** 2))
                for name, guess in guesses.items()},
            "horizon_origins": whole, "comparator_origins": used, "origins": origins,
            "horizon_scores": pooled_scores(truth, values, complete, names, scale),
            "horizon_pooled": {name: pooled_scores(truth, guess, complete, names, scale)
                               for name, guess in guesses.items()}}


def _residual_results(model, frame, encoded, span, one_step):
    """Goodness of fit and the one-step errors: the fitted line, histograms, the largest
    errors, autocorrelation and cross-correlation with the inputs."""
    fitted = model.preprocessing
    truth, predicted = one_step["one_step_truth"], one_step["one_step_predicted"]
    rows, s, k = span["rows"], span["start_row"], truth.shape[1]
    ok = np.isfinite(predicted).all(axis=1) & np.isfinite(truth).all(axis=1)
    errors = predicted - truth
    input_names, inputs = _input_series(fitted, frame, encoded)
    cross_lag = int(min(MAX_CROSS_LAGS, fitted.lookback, s))
    return {"fit": fit_line(truth[ok], predicted[ok]),
            "histogram": [histogram(errors[:, j]) for j in range(k)],
            "largest": [largest_errors(rows, span["times"], truth[:, j], predicted[:, j],
                                      zone=span["time_zone"]) for j in range(k)],
            "autocorrelation": correlogram(np.where(ok[:, None], errors, np.nan)),
            "cross_names": input_names,
            "cross_correlation": cross_correlogram(inputs[s - cross_lag:], errors,
                                                   cross_lag)}


def _interval_results(stored, steps, H, m, direct_errors, horizon_errors):
    """The stored half-widths (direct (S, k), recursive (H, k), of the forecast (m, k)) at
    each level, the coverage they reached on the testing errors and the recursive steps
    they were calibrated for (``"calibrated"``: past them the last width is held)."""
    k = direct_errors.shape[2]
    iv = {"method": stored.get("method"), "levels": list(stored.get("levels", LEVELS)),
          "direct": {}, "recursive": {}, "direct_coverage": {},
          "recursive_coverage": {}, "recursive_coverage_all": {}, "forecast": {},
          "calibrated": {}, "count": stored.get("count"),
          "recursive_count": list(stored.get("recursive_count") or [])}
    for level in iv["levels"]:
        key = level_key(level)
        iv["calibrated"][key] = calibrated_steps(stored, level)
        wd = half_widths(stored, level, steps, mode="direct")
        wr = half_widths(stored, level, H)
        iv["direct"][key], iv["recursive"][key] = wd, wr
        iv["direct_coverage"][key] = coverage(direct_errors, wd)
        iv["recursive_coverage"][key] = coverage(horizon_errors, wr)
        iv["recursive_coverage_all"][key] = coverage(         # all horizons at once
            horizon_errors.reshape(-1, 1, k),
            np.broadcast_to(wr, horizon_errors.shape).reshape(-1, 1, k))[0]
        iv["forecast"][key] = half_widths(stored, level, m)
    return iv


def filled_notes(encoded, tested):
    """``[sentence]`` on the ``tested`` rows left out of the scores because their target
    cell is empty or no number (:func:`~engine.testing.evaluation.filled_count`), else
    ``[]``."""
    filled = filled_count(encoded, tested)
    if not filled:
        return []
    return [f"{counted(filled, 'testing row')} whose target cell is empty or no number "
            f"{verb(filled, 'is', 'are')} not scored: the predictions read them filled in, "
            "but they are no measurement to compare with."]


def _horizon(model, horizon, period, count):
    """``(H, note)``: the length of the recursive forecasts from many of the ``count``
    testing rows, ``horizon`` checked, else
    :func:`~engine.testing.evaluation.evaluation_horizon` of the forecast length the model
    file records; the note says why it is shorter than that length (else None)."""
    if horizon is not None:
        return check_horizon(horizon, count, "The horizon"), None
    wanted = forecast_length(model.metadata)
    H = evaluation_horizon(period, model.preprocessing.steps, count, wanted)
    return H, (forecast_length_note(wanted, H, count) or [None])[0]


def asked_length(model):
    """The length of the forecasts asked for that the model file records
    (:func:`~engine.testing.evaluation.forecast_length`), None for a model of 0 steps ahead,
    which forecasts nothing."""
    return forecast_length(model.metadata) if model.preprocessing.horizon >= 1 else None


def analyze_model(model, frame, start=None, horizon=None, task=None, comparators=None,
                  advice=None, recursive=None, labels_of=LABELS_OF, windows=None, predicted=None):
    """The :class:`TestingAnalysis` of a loaded model
    (:class:`~engine.model.forecaster.Forecaster`) on ``frame`` from the row or date
    ``start`` (None: where the model's testing started).

    horizon : the length ``H`` of the recursive forecasts from many testing rows (the
        errors by horizon and the pooled scores; default
        :func:`~engine.testing.evaluation.evaluation_horizon` of the forecast length the
        model file records, a note saying why when it shortens it), from 1 to the testing
        rows;
        past the horizons the intervals were calibrated for, the last calibrated width is
        used.
    task : a :class:`~engine.tasks.TaskState` told each stage; cancelling it stops the
        analysis between stages.
    comparators : ``{name: Comparator}`` fitted already for the same start
        (:func:`engine.testing.comparators.fit_comparators`); else fitted here.
    advice : what a message on a model without testing rows in ``frame`` advises
        (:data:`NO_TESTING_ADVICE`, the pages' words, by default), and how the note on a
        shortened recursive forecast names it (:data:`SHORTENED_WORDS`, likewise).
    recursive : the :class:`~engine.testing.evaluation.Evaluation` of one recursive
        forecast from the same start (``evaluate --recursive``'s), taken as the forecast
        from the testing start with its scores and baselines, over all its rows, instead of
        a second forecast cut at :func:`recursive_length` rows.
    labels_of : the predictions whose reads of labels the model was not trained on the
        note on them counts (:data:`LABELS_OF`, all of them, by default).
    windows, predicted : the :class:`~engine.data.PredictionWindows` of ``frame`` and the
        predictions of some of them made already (an evaluation's, :func:`window_values`),
        used rather than made again (their encoded data too), or None.
    """
    task = as_task(task)
    fitted = model.preprocessing
    frame = model.with_time(frame)
    encoded = windows.encoded if windows is not None else fitted.encode(frame, prediction=True)
    span = _testing_span(model, encoded, start, advice)
    scale = history_scale(encoded.levels, span["start_row"], encoded.positions)
    task.stage("Predicting the testing rows")
    outputs = _direct_outputs(model, frame, encoded, span["tested"], windows, predicted)
    task.stage("Fitting the classical comparators")
    if comparators is None:
        comparators = fit_comparators(model, encoded, span["start_row"])
    period = season_length(fitted.period, encoded.levels, span["start_row"],
                           fitted.time_step)
    direct = _direct_results(model, encoded, outputs, span, scale, comparators, period)
    remark = testing_remark(model, frame, direct["direct_scores"][0],
                            direct["direct_baselines"][0].get("persistence"))
    notes = ([remark] if remark else []) + gap_notes(comparators)
    labels_at = len(notes)
    notes += filled_notes(encoded, span["tested"])
    offset = int(fitted.target_offsets[0])
    one_step = _one_step_results(encoded, outputs, span, offset)
    notes += read_ahead_notes(encoded, span["rows"], one_step["one_step_truth"])
    task.check()
    task.stage("Forecasting the testing rows recursively")
    H, shorter = _horizon(model, horizon, period, len(span["tested"]))
    notes += [shorter] if shorter else []
    truth = encoded.scored_truth(offset, span["start_row"])[span["rows"]]
    recursive = _recursive_results(model, encoded, span, truth, scale, notes, comparators,
                                   period, H, recursive, advice)
    by_horizon = _horizon_results(model, encoded, span, H, comparators, notes, period, scale)
    reads = labels_reads(fitted, outputs, span, (recursive["recursive_predicted"], truth),
                         (by_horizon.pop("origins"), by_horizon["horizon_errors"]))
    notes[labels_at:labels_at] = labels = read_labels_notes(fitted, encoded, reads, labels_of)
    task.check()
    residuals = _residual_results(model, frame, encoded, span, one_step)
    stored, intervals = (model.metadata or {}).get("intervals"), None
    if stored:
        intervals = _interval_results(stored, fitted.steps, H, len(span["rows"]),
                                      direct["direct_errors"], by_horizon["horizon_errors"])
        held = held_note(min(intervals["calibrated"].values()),
                         max(H, recursive["recursive_rows"]))
        notes += [held + ' Such widths are marked "held".'] if held else []
    else:
        notes.append("This model has no prediction intervals; train it again to get them.")
    return TestingAnalysis(target_names=fitted.target_names, period=period,
                           steps=fitted.steps, time_column=fitted.time_column, **span,
                           **one_step, **direct, **recursive, subject=tested_subject(model),
                           **by_horizon, **residuals, intervals=intervals, notes=notes,
                           comparators=comparators, labels_note=(labels or [None])[0],
                           horizon_note=shorter, forecast_steps=asked_length(model))


def tested_subject(model):
    """How sentences on a loaded ``model``'s forecasts name it (the report, ``rnn-studio
    evaluate``): "the linear autoregression" when its training kept its
    least-squares start or its fit dropped the recurrent part, else "the network"
    (:func:`~engine.training.share_words.training_subject` of the model file's training
    summary and its network)."""
    return training_subject((model.metadata or {}).get("training"), model.network)


TRAIN_ADVICE = {"first": "train the network first (step 4).",
                "again": "train the network again (step 4)."}
"""How a message on a project without a model it can test says to train one, in the
pages' words; ``rnn-studio report`` gives its own (the command that trains it)."""


def trained_model_file(project, advice=None):
    """The path of ``project``'s model file; raises an EngineError when it has none yet
    or the file holds another training than the project's results describe (ending with
    ``advice``, :data:`TRAIN_ADVICE` by default)."""
    from engine.project.model_status import model_belongs

    advice = advice or TRAIN_ADVICE
    model = project.model_file()
    if model is None or not model.exists():
        raise EngineError(f"The project has no trained model yet; {advice['first']}")
    if not model_belongs(project, model):
        raise EngineError(f"The model file {model.name} holds another training than "
                          "the one this project describes (it was replaced since); "
                          f"{advice['again']}")
    return model


def _project_model(project, model, advice=None):
    """The loaded model: ``model`` itself, the model file at the path ``model``, or the
    project's model file (:func:`trained_model_file`, ``advice`` as there)."""
    from engine.model.model_file import holds_many_series, load_model

    if model is None:
        model = trained_model_file(project, advice)
    if hasattr(model, "network"):
        return model
    if holds_many_series(model):
        again = (advice or TRAIN_ADVICE)["again"]
        raise EngineError("The model was trained on a table of many series, and the data "
                          f"set now holds one. {again[:1].upper()}{again[1:]}")
    return load_model(model)


def analyze_project(project, table=None, model=None, task=None, horizon=None,
                    comparators=None, advice=None):
    """:func:`analyze_model` for a project's trained model on its data file, from the
    project's testing start. ``table``: the loaded data (else read); ``model``: a loaded
    model or a path (else the project's model file); ``task``, ``horizon``,
    ``comparators``: see :func:`analyze_model`; ``advice``: how a message on a project
    without a model it can test says to train one (:data:`TRAIN_ADVICE`), and what one on
    a model without testing rows advises (:data:`NO_TESTING_ADVICE`)."""
    task = as_task(task)
    task.stage("Loading the model")
    model = _project_model(project, model, advice)
    if table is None:
        table = project.table()
    frame = table.frame if hasattr(table, "frame") else table
    return analyze_model(model, frame, task=task, horizon=horizon, comparators=comparators,
                         advice=advice)
