"""Classical comparators on the same rows as the network: exponential smoothing (ETS), the
Theta method and a linear autoregression, fitted by statsmodels and NumPy least squares on
every row before the first scored row (the history a person gives a classical method before
the testing part: the network's weights see the training part of it and its early stopping
the selection part), never on later rows.

Every comparator gives forecasts from origin rows (:meth:`Comparator.forecast`): the
forecast of rows ``o .. o+h-1`` from the data before ``o``, in the targets' units, with the
parameters fitted once on the rows before ``T`` (the first scored row) and the data after ``T``
only filtered through with those parameters fixed (no refit). One step ahead the origin of
row ``r`` is ``r`` itself; a recursive forecast from ``s`` has the one origin ``s``.

* ETS (:func:`fit_ets`, statsmodels ``ETSModel``, additive errors), one model per target:
  level ``l``, trend ``b``, season ``s`` of period ``m``, damping ``phi``::

      y^_(t|t-1) = l_(t-1) + phi b_(t-1) + s_(t-m)          e_t = y_t - y^_(t|t-1)
      l_t = l_(t-1) + phi b_(t-1) + alpha e_t
      b_t = phi b_(t-1) + beta e_t
      s_t = s_(t-m) + gamma e_t
      y^_(t+h|t) = l_t + (phi + .. + phi^h) b_t + s_(t+h-m(k+1)),  k = floor((h-1)/m)

  The form (trend none or additive, damped or not, season none or additive at the model's
  period when the fitted rows hold at least two seasons and ``m <=`` :data:`MAX_ETS_PERIOD`)
  is the one of lowest AIC. Every form is fitted on ``y / c`` (:func:`ets_scale`) and its
  forecasts multiplied by ``c``. From later origins: ``ETSModel.smooth(params)`` on the longer
  series with the fitted parameters (initial states included), then its one-step predictions
  one step ahead and, for ``h`` steps, what ``predict(start=o, end=o+h-1, dynamic=True)``
  gives, from all origins at once (:mod:`engine.testing.ets_paths`).
* Theta (:func:`fit_theta`, statsmodels ``ThetaModel``; Hyndman and Billah 2003): the
  series deseasonalized by classical multiplicative (additive when not all positive)
  decomposition at the period when a 90% test finds a season, then::

      y^_(T+h|T) = 1/2 b0 [h - 1 + 1/alpha - (1 - alpha)^T / alpha] + y~_(T+h|T)

  with ``b0`` the slope of the least-squares line through the fitted rows and ``y~`` simple
  exponential smoothing ``y~_(t+1) = alpha y_t + (1 - alpha) y~_t``, reseasonalized. From
  later origins: the SES filtered with the fixed ``alpha`` (statsmodels'
  state-space ``ExponentialSmoothing.filter``), the seasonal indices of the fitted rows and
  the formula above from each origin at once (:func:`theta_forecasts`, the sums of
  statsmodels' ``ThetaModelResults(b0, alpha, ...).forecast(h)`` without a model per origin).
* linear (:func:`fit_linear`): the network's own inputs, lookback, scaling and target
  transform; on the training windows (those reading only rows before ``T``) the design
  matrix ``A = [X_flat, 1]`` (n, L * n_inputs + 1), ``X_flat`` the window ``(L, n_inputs)``
  flattened row-major (oldest row first), and the least-squares weights
  ``W = argmin ||A W - Y||^2`` (L * n_inputs + 1, n_outputs) by ``numpy.linalg.lstsq``;
  outputs unscaled and the transform undone exactly as the network's are, recursive
  forecasts by :func:`engine.model.recursive.recursive_forecasts` with ``A W`` as the
  network.

A comparator that cannot be fitted (too few rows, a constant series, missing values, a
statsmodels failure) is a :class:`Comparator` with ``reason`` set and no forecasts; it
never raises (a forecast that fails later leaves NaN and a note). statsmodels' convergence warnings are caught and named in ``notes``.
"""

import re
import warnings
from dataclasses import dataclass, field

import numpy as np

from engine.testing.baselines import season_length
from engine.testing.ets_paths import ets_paths, smoothed_states
from engine.words import counted

NAMES = ("ets", "theta", "linear")
MIN_ROWS = 10            # fewest fitted rows (ETS, Theta) or training windows (linear)
MAX_FIT_ROWS = 3000      # ETS and Theta are fitted on at most the latest rows before T
MAX_ETS_PERIOD = 24      # seasonal ETS forms only up to this period (one state per season)
MAX_LINEAR_VALUES = 20_000_000   # design matrix values; beyond, the latest windows only


@dataclass
class Comparator:
    """One fitted comparator (or the reason it has none).

    name : "ets", "theta" or "linear"; form : what was fitted, as short text (per target)
    forecast : ``forecast(origins (m,), steps) -> (m, steps, k)`` in target units, NaN
        where no forecast can be made; None when not fitted
    fitted_rows : ``[first, last]`` data rows the parameters were fitted on
    """

    name: str
    forecast: object = None
    form: str = ""
    reason: str = None
    fitted_rows: list = None
    notes: list = field(default_factory=list)

    def to_dict(self):
        return {"form": self.form or None, "fitted_rows": self.fitted_rows,
                "reason": self.reason, "notes": list(self.notes)}


def _fit_rows(y, end, most=MAX_FIT_ROWS, gaps=None):
    """``(first, stop)``: the fitted rows ``first .. end-1`` and ``stop``, the first missing
    row from ``end`` on, or the last row before a gap in time from ``end`` on (forecasts
    reach no origin past it: the smoothed level and season would run on as if no time
    were missing; ``end - 1`` when the gap is just before ``end``). The fitted rows are the
    finite
    run that ends at ``end``, at most ``most``, and none before a gap in time within it
    (``gaps`` (rows,) bool, True where time steps are missing before a row: a seasonal form
    fitted across a gap is out of step after it), unless that leaves fewer than
    :data:`MIN_ROWS`: then the run goes on across the gaps, as without them."""
    finite = np.isfinite(y)

    def start(broken):
        first = end
        while first > 0 and finite[first - 1] and end - first < most and \
                (first == end or not broken[first]):
            first -= 1
        return first

    first = start(np.zeros(len(y) + 1, dtype=bool))
    if gaps is not None:
        broken = np.zeros(len(y) + 1, dtype=bool)
        broken[:len(y)] = np.asarray(gaps, dtype=bool)[:len(y)]
        after = start(broken)
        first = after if end - after >= MIN_ROWS else first
    stop = end
    while stop < len(y) and finite[stop] and (gaps is None or not gaps[stop]):
        stop += 1
    if gaps is not None and stop < len(y) and gaps[stop]:
        stop -= 1                   # no origin after the gap, nor one forecasting across it
    return first, stop


def _gap_note(y, first, gaps, what, end=None):
    """A note when the fitted run of ``what`` starts just after a gap in time (the rows
    before it were left out), or when it runs across one (rows ``first .. end-1``: fewer
    than :data:`MIN_ROWS` follow the gap, :func:`_fit_rows`), else None."""
    if gaps is None:
        return None
    gaps = np.asarray(gaps, dtype=bool)
    inside = np.flatnonzero(gaps[first + 1:end]) + first + 1 if end is not None else []
    if len(inside):
        gap = int(inside[-1])
        return (f"{what}: fitted across a gap in time before row {gap}, as only "
                f"{counted(end - gap, 'row')} follow it (a fit needs {MIN_ROWS}); its "
                "season may be out of step after the gap.")
    if first == 0 or first >= len(gaps) or not gaps[first] or not np.isfinite(y[first - 1]):
        return None
    return f"{what}: fitted on the rows from row {first}, after a gap in time."


def _stop_note(gaps, end, stop, what):
    """A note when the forecasts of ``what`` reach no origin after a gap in time that
    follows the fitted rows (:func:`_fit_rows`' ``stop``), else None; when the gap is just
    before ``end`` (the first scored row), nothing is scored."""
    after = stop + 1
    if gaps is None or after < end or after >= len(gaps) or not gaps[after]:
        return None
    why = "(its level and season would run on as if no time were missing)"
    if after == end:
        return (f"{what}: no forecast of row {after} or later, which follow a gap in time "
                f"{why}; not scored, as no scored row comes before the gap.")
    return (f"{what}: no forecast of row {after} or later, behind a gap in time {why}; "
            "scored on the rows before it.")


GAP_WORDS = "a gap in time"
"""The words every note of :func:`_gap_note` and :func:`_stop_note` holds."""
SEASON_WORDS = "no seasonal form"
"""The words of :func:`_season_note`."""


def _season_note(period):
    """A note when the season (``period`` rows) is longer than ETS's seasonal forms go
    (:data:`MAX_ETS_PERIOD`), so that its score is that of a forecast without a season;
    else None."""
    if not period or int(period) <= MAX_ETS_PERIOD:
        return None
    return (f"ETS: {SEASON_WORDS}, as the season of {int(period)} rows is longer than the "
            f"{MAX_ETS_PERIOD} it fits; it forecasts without a season.")


def gap_notes(comparators):
    """The notes of ``comparators`` (``{name: Comparator}``) on the rows a gap in time
    left them (:func:`_gap_note`, :func:`_stop_note`) and on a season ETS could not follow
    (:func:`_season_note`), each once: the pages and the command line show them beside the
    scores, where an empty ETS or Theta cell, or a poor one, needs its reason.
    statsmodels' warnings, also among the notes, stay in the JSON."""
    return shown_notes(note for c in comparators.values() for note in c.notes)


def notes_up_to(notes, last_row):
    """Of ``notes`` (:func:`gap_notes`), those that concern rows up to ``last_row``: a
    note on forecasts stopped at a gap from row ``r`` on (:func:`_stop_note`) only when
    ``r <= last_row``."""
    stops = [STOPPED.search(note) for note in notes]
    return [note for note, stop in zip(notes, stops)
            if stop is None or int(stop.group(1)) <= last_row]


STOPPED = re.compile(r"no forecast of row (\d+) or later")
"""The words of :func:`_stop_note` that name the first row not forecast."""


def shown_notes(notes):
    """Of the comparators' ``notes`` (sentences), each once, those :func:`gap_notes`
    shows."""
    return list(dict.fromkeys(note for note in notes
                              if GAP_WORDS in note or SEASON_WORDS in note))


def series_problem(y, what, where="before the testing part"):
    """The reason a series cannot be fitted, or None."""
    if len(y) < MIN_ROWS:
        return f"{what}: {len(y)} rows {where}, at least {MIN_ROWS} needed"
    if np.ptp(y) == 0:
        return f"{what}: the series is constant {where}"
    return None


def one_blas_thread():
    """A context in which NumPy's BLAS runs one thread: the statsmodels fits (scipy's
    L-BFGS-B, the Kalman filter) make many tiny BLAS calls, and threads waiting on each
    other made them about 5 times slower on 2 cores."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _quietly(function, notes, what):
    """``function()`` with statsmodels' warnings caught; a note names them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function()
    kinds = sorted({w.category.__name__ for w in caught})
    if kinds:
        notes.append(f"{what}: statsmodels warned ({', '.join(kinds)}); kept the result.")
    return result


# -- ETS --------------------------------------------------------------------------------------

def ets_forms(period, rows):
    """The candidate forms ``(trend, damped, seasonal)``: trend None or "add", damped only
    with a trend, a seasonal "add" form with a period ``2 <= m <=`` :data:`MAX_ETS_PERIOD`
    and at least two seasons (and :data:`MIN_ROWS` rows more than the seasons' states)."""
    forms = [(None, False, None), ("add", False, None), ("add", True, None)]
    if period and 2 <= int(period) <= MAX_ETS_PERIOD and rows >= max(2 * int(period),
                                                                      int(period) + MIN_ROWS):
        forms += [(t, d, "add") for t, d, _ in list(forms)]
    return forms


def form_text(trend, damped, seasonal):
    """ETS(error, trend, season) as text: ``A,Ad,A``."""
    return "A," + ("N" if trend is None else "Ad" if damped else "A") + "," + \
        ("N" if seasonal is None else "A")


FORM_KINDS = {"A": "additive", "Ad": "damped", "M": "multiplicative",
              "Md": "damped multiplicative", "N": None}
"""The letters of an ETS form (:func:`form_text`) in words."""


def _ets_kinds(text):
    """``(trend, season)`` in words (None for none) of an ETS form ``text`` (``A,Ad,A``),
    or None when ``text`` is not one."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 3 or not all(part in FORM_KINDS for part in parts):
        return None
    return FORM_KINDS[parts[1]], FORM_KINDS[parts[2]]


def form_words(text):
    """The forms ``text`` (:func:`form_text`, one per target joined by ``"; "``) in words
    a person reads: ``A,A,A`` as "additive trend and season", ``A,Ad,A`` as "damped trend,
    additive season", ``A,N,N`` as "no trend or season"; a form of another method (the
    Theta method's, the linear autoregression's) as it is."""
    def words(form):
        kinds = _ets_kinds(form)
        if kinds is None:
            return form
        trend, season = kinds
        if trend == season:
            return f"{trend} trend and season" if trend else "no trend or season"
        return f"{trend or 'no'} trend, {season or 'no'} season"

    return "; ".join(words(form) for form in text.split("; "))


def form_notation(text):
    """The short notation of the ETS forms ``text`` (as :func:`form_words` takes it), for
    those who know it, with its letters: ``"ETS(A,Ad,A): error, trend, season; A additive,
    Ad damped"``; "" when ``text`` holds no ETS form."""
    forms = [form for form in text.split("; ") if _ets_kinds(form)]
    if not forms:
        return ""
    used = {part.strip() for form in forms for part in form.split(",")}
    letters = ", ".join(f"{letter} {kind or 'none'}" for letter, kind in FORM_KINDS.items()
                        if letter in used)
    return ", ".join(f"ETS({form})" for form in forms) + f": error, trend, season; {letters}"


def _ets_model(y, form, period):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    trend, damped, seasonal = form
    endog = y if hasattr(y, "index") else np.asarray(y, dtype=float)   # a Series: intervals
    return ETSModel(endog, error="add", trend=trend,
                    damped_trend=damped, seasonal=seasonal,
                    seasonal_periods=int(period) if seasonal else None,
                    initialization_method="estimated")


def ets_scale(train):
    """The unit ``c`` ETS is fitted in: the standard deviation of the fitted rows (1 when it
    is 0 or unknown). An additive-error ETS model of ``y / c`` is the model of ``y`` with its
    states divided by ``c`` and the same smoothing parameters, and every form's AIC moves by
    the same ``2 n log c``, so the form chosen is the same; but scipy's L-BFGS-B, which moves
    the smoothing parameters (0..1) and the initial states together, stops far from the
    maximum when the states are in the thousands (US accidental deaths: a log-likelihood of
    -428.6 for ETS(A,N,A) fitted on the deaths, -418.9 on the deaths / c; where it stopped
    depended on the processor's rounding)."""
    c = float(np.std(np.asarray(train, dtype=float)))
    return c if np.isfinite(c) and c > 0 else 1.0


def _best_ets(train, period, notes):
    """``(form, fitted results, c)`` of the ETS form of lowest AIC fitted on ``train / c``
    (:func:`ets_scale`; the results' values are in units of ``c``), or None."""
    best, c = None, ets_scale(train)
    for form in ets_forms(period, len(train)):
        try:
            result = _quietly(lambda: _ets_model(train / c, form, period).fit(disp=False),
                              notes, f"ETS {form_text(*form)}")
        except (ValueError, np.linalg.LinAlgError, RuntimeError) as error:
            notes.append(f"ETS {form_text(*form)} not fitted: {error}")
            continue
        if np.isfinite(result.aic) and (best is None or result.aic < best[1].aic):
            best = (form, result, c)
    return best


def fit_ets(y, end, period, notes, most=MAX_FIT_ROWS, gaps=None):
    """The ETS form of lowest AIC fitted on ``y[first:end]`` (:func:`_fit_rows`, at most
    ``most`` rows, none before a gap in time): ``(forecast(origins, steps) -> (m, steps),
    form text, [first, end - 1])``, or a reason (text) when no form could be fitted."""
    first, stop = _fit_rows(y, end, most, gaps)
    notes.extend(note for note in [_gap_note(y, first, gaps, "ETS", end),
                                   _stop_note(gaps, end, stop, "ETS")] if note)
    train = y[first:end]
    reason = series_problem(train, "ETS")
    if reason:
        return reason
    best = _best_ets(train, period, notes)
    if best is None:
        return "ETS: no form could be fitted"
    form, result, c = best
    notes.extend(note for note in [_season_note(period)] if note)
    fitted, states, internal = _quietly(
        lambda: smoothed_states(_ets_model(y[first:stop] / c, form, period), result.params),
        notes, "ETS smoothing")
    trend, seasonal = form[0] is not None, form[2] is not None

    def forecast(origins, steps):
        p = np.asarray(origins, dtype=int).reshape(-1) - first
        out = np.full((len(p), steps), np.nan)
        made = (p > 0) & (p <= stop - first)
        if steps == 1:              # the smoothing's own one-step predictions
            inside = made & (p < stop - first)
            out[inside, 0] = c * fitted[p[inside]]
            made &= ~inside
        out[made] = c * ets_paths(states, internal, p[made], steps, trend, seasonal)
        return out

    return forecast, form_text(*form), [first, end - 1]


# -- Theta ------------------------------------------------------------------------------------

def _theta_model(train, period):
    """``(statsmodels ThetaModel of the rows train, seasonal)``: deseasonalized at
    ``period`` when the rows hold two seasons of it."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    seasonal = bool(period) and int(period) >= 2 and len(train) >= 2 * int(period)
    return ThetaModel(train, period=int(period) if seasonal else None,
                      deseasonalize=seasonal), seasonal


def fit_theta(y, end, period, notes, most=MAX_FIT_ROWS, gaps=None):
    """The Theta method fitted on ``y[first:end]`` (:func:`_fit_rows`, at most ``most``
    rows, none before a gap in time), deseasonalized at ``period`` when the rows hold two
    seasons: ``(forecast, form text, [first, end - 1])`` or a reason."""
    first, stop = _fit_rows(y, end, most, gaps)
    notes.extend(note for note in [_gap_note(y, first, gaps, "Theta", end),
                                   _stop_note(gaps, end, stop, "Theta")] if note)
    train = y[first:end]
    reason = series_problem(train, "Theta")
    if reason:
        return reason
    try:
        model, _ = _theta_model(train, period)
        result = _quietly(lambda: model.fit(), notes, "Theta")
    except (ValueError, np.linalg.LinAlgError, RuntimeError) as error:
        return f"Theta: not fitted ({error})"
    b0, alpha = (float(v) for v in result.params)
    indices = _theta_seasonal(result)
    multiplicative = model.method.startswith("mul")
    series = y[first:stop]
    if indices.size:
        season = indices[np.arange(len(series)) % len(indices)]
        series = series / season if multiplicative else series - season
    one_step = _ses_one_step(series, alpha, notes)

    def forecast(origins, steps):
        origins = np.asarray(origins, dtype=int)
        out = np.full((len(origins), steps), np.nan)
        made = (origins > first) & (origins <= stop)
        out[made] = theta_forecasts(origins[made] - first, steps, b0, alpha, one_step,
                                    indices, multiplicative)
        return out

    text = f"theta 2, b0 {b0:.4g}, alpha {alpha:.3g}" + \
        (f", {model.method} season {int(period)}" if indices.size else ", no season")
    return forecast, text, [first, end - 1]


def theta_forecasts(nobs, steps, b0, alpha, one_step, indices, multiplicative):
    """Theta's forecasts (theta 2) of ``steps`` rows from origins after ``nobs`` (m,)
    fitted-series positions, all at once: what statsmodels'
    ``ThetaModelResults(b0, alpha, sigma2, one_step[n], indices, ...).forecast(steps)``
    gives for each origin (the same sums in the same order), without a ThetaModel per
    origin (0.6 ms each: two minutes for 200,000 testing rows)::

        y^_(n+h|n) = 1/2 b0 [h - 1 + 1/alpha - (1 - alpha)^n / alpha] + y~_n

    reseasonalized by the index of position ``n + h - 1`` (times it when
    ``multiplicative``, else plus; ``indices`` (m,) empty: no season); ``y~_n`` is
    ``one_step[n]`` (:func:`_ses_one_step`). Returns (m, steps)."""
    n = np.asarray(nobs, dtype=int)[:, None]
    h = np.arange(steps, dtype=np.float64)[None, :]
    if alpha > 0:
        h = h + (1 / alpha - ((1 - alpha) ** n.astype(np.float64) / alpha))
    values = 0.5 * (b0 * h) + one_step[n]
    if indices.size:
        season = indices[(n + np.arange(steps)[None, :]) % indices.size]
        values = values * season if multiplicative else values + season
    return values


def _theta_seasonal(result):
    """The seasonal indices (m,) a fitted ThetaModel used (empty without a season), read
    from its forecast components over one period (``forecast_components``: the index of
    position ``nobs + i`` is ``seasonal[(nobs + i) mod m]``) and turned so that index 0
    belongs to the first fitted row."""
    components = result.forecast_components(result.model.period or 1) \
        if result.model.deseasonalize else None
    if components is None:
        return np.zeros(0)
    season = np.asarray(components["seasonal"], dtype=float)
    neutral = 1.0 if result.model.method.startswith("mul") else 0.0
    if np.all(season == neutral):
        return np.zeros(0)
    nobs = len(result.model.endog_orig)
    m = int(result.model.period)
    return np.roll(season, nobs % m)      # index 0 is the first fitted row's position


def _ses_one_step(series, alpha, notes):
    """Simple exponential smoothing with the fixed ``alpha`` and the first value as the
    initial level, filtered over ``series`` (n,) by statsmodels: the forecast of position
    ``p`` from positions before it, for ``p = 0 .. n`` (n + 1,)."""
    from statsmodels.tsa.statespace.exponential_smoothing import ExponentialSmoothing

    model = ExponentialSmoothing(series, initial_level=series[0],
                                 initialization_method="known")
    filtered = _quietly(lambda: model.filter([alpha]), notes, "Theta smoothing")
    return np.r_[np.asarray(filtered.fittedvalues), np.asarray(filtered.forecast(1))]


# -- forecasts past the end of the data -------------------------------------------------------

def future_first_row(y, gaps=None):
    """The first of the rows ETS and Theta are fitted on to forecast past the end of ``y``:
    those of the finite run that ends at its end, at most :data:`MAX_FIT_ROWS`, after the
    last gap in time (``gaps``, see :func:`_fit_rows`)."""
    return _fit_rows(y, len(y), gaps=gaps)[0]


def _future_rows(y, gaps, notes, what):
    """The rows ``what`` (ETS or Theta) is fitted on to forecast past the end of ``y``
    (:func:`future_first_row` on); when a gap in time cut them short, ``notes`` gets the
    note that says from which row (:func:`_gap_note`)."""
    first = future_first_row(y, gaps)
    notes.extend(note for note in [_gap_note(y, first, gaps, what, len(y))] if note)
    return np.asarray(y[first:], dtype=float)


def ets_future(y, period, steps, level, notes, gaps=None):
    """ETS (the form of lowest AIC) fitted on the latest rows of ``y`` (:func:`_future_rows`)
    forecasting the ``steps`` rows after its end, with statsmodels' prediction interval at
    ``level`` (``get_prediction``: exact for these additive-error forms):
    ``(values, lower, upper (steps,), form text)``, or the reason (text) it cannot.
    ``notes`` gets ETS's own: statsmodels' warnings, a gap in time that cut the rows
    short."""
    import pandas as pd

    train = _future_rows(y, gaps, notes, "ETS")
    reason = series_problem(train, "ETS", "with known targets")
    if reason:
        return reason
    with one_blas_thread():
        best = _best_ets(pd.Series(train), period, notes)
    if best is None:
        return "ETS: no form could be fitted"
    form, result, c = best
    frame = _quietly(lambda: result.get_prediction(start=len(train), end=len(train) + steps - 1)
                     .summary_frame(alpha=1 - float(level)), notes, "ETS intervals")
    return (c * frame["mean"].to_numpy(), c * frame["pi_lower"].to_numpy(),
            c * frame["pi_upper"].to_numpy(), form_text(*form))


def theta_future(y, period, steps, level, notes, gaps=None):
    """The Theta method fitted on the latest rows of ``y`` (:func:`_future_rows`; with a
    season as :func:`fit_theta`) forecasting the ``steps`` rows after its end, with its
    prediction interval at ``level`` (statsmodels' ``prediction_intervals``): ``(values,
    lower, upper (steps,), form text)``, or the reason (text) it cannot. ``notes`` as
    :func:`ets_future`'s."""
    train = _future_rows(y, gaps, notes, "Theta")
    reason = series_problem(train, "Theta", "with known targets")
    if reason:
        return reason
    try:
        model, seasonal = _theta_model(train, period)
        with one_blas_thread():
            result = _quietly(lambda: model.fit(), notes, "Theta")
            values = np.asarray(result.forecast(steps), dtype=float)
            bounds = np.asarray(_quietly(lambda: result.prediction_intervals(
                steps, alpha=1 - float(level)), notes, "Theta intervals"), dtype=float)
    except (ValueError, np.linalg.LinAlgError, RuntimeError) as error:
        return f"Theta: not fitted ({error})"
    season = f", {model.method} season {int(period)}" if seasonal else ", no season"
    return values, bounds[:, 0], bounds[:, 1], f"theta 2{season}"


# -- the linear autoregression ----------------------------------------------------------------

def design_matrix(X):
    """``A = [X_flat, 1]`` (n, L * n_inputs + 1) of windows ``X`` (n, L, n_inputs)."""
    X = np.asarray(X, dtype=float)
    return np.column_stack([X.reshape(len(X), -1), np.ones(len(X))])


def fit_linear(model, encoded, end):
    """Least squares on the network's windows before the testing part (every window of one
    segment, with
    finite values, whose rows all come before ``end``):
    ``(forecast, form text, [first, last row])`` or a reason. ``forecast`` and the
    weights (``forecast.weights``, (L * n_inputs + 1, n_outputs)) act on the network's
    scaled inputs and outputs."""
    from engine.model.recursive import recursive_forecasts

    fitted = model.preprocessing
    L, H = fitted.lookback, fitted.horizon
    anchors = np.arange(L - 1, max(end - H, L - 1))
    anchors = anchors[encoded.segment[anchors - L + 1] == encoded.segment[anchors + H]]
    if anchors.size:
        X, Y = fitted.windows(encoded, anchors)
        A = design_matrix(X)
        keep = np.isfinite(A).all(axis=1) & np.isfinite(Y).all(axis=1)
        A, Y, anchors = A[keep], Y[keep], anchors[keep]
    if anchors.size < MIN_ROWS:
        return (f"linear: {anchors.size} training windows before the testing part, at least "
                f"{MIN_ROWS} needed")
    most = max(MIN_ROWS, MAX_LINEAR_VALUES // A.shape[1])
    A, Y, anchors = A[-most:], Y[-most:], anchors[-most:]
    weights = np.linalg.lstsq(A, Y, rcond=None)[0]

    def predict(X):
        return design_matrix(X) @ weights

    def forecast(origins, steps):
        return recursive_forecasts(fitted, encoded, predict, origins, steps)[0]

    forecast.weights, forecast.predict = weights, predict
    text = f"least squares, {A.shape[1] - 1} lags x inputs + constant, {len(A)} windows"
    return forecast, text, [int(anchors[0] - L + 1), int(anchors[-1] + H)]


# -- all three --------------------------------------------------------------------------------

def _per_target(name, fit, levels, end, period, most=MAX_FIT_ROWS, gaps=None):
    """One univariate comparator per target column, joined: forecasts (m, steps, k)."""
    notes, parts, forms = [], [], []
    for j in range(levels.shape[1]):
        outcome = fit(levels[:, j], end, period, notes, most, gaps)
        if isinstance(outcome, str):
            return Comparator(name, reason=outcome, notes=notes)
        parts.append(outcome[0])
        forms.append(outcome[1])
        rows = outcome[2]

    def forecast(origins, steps):
        origins = np.asarray(origins, dtype=int).reshape(-1)
        return np.stack([part(origins, int(steps)) for part in parts], axis=2)

    return Comparator(name, forecast, "; ".join(forms), None, rows, notes)


def remembered(forecast, size=4):
    """``forecast`` that keeps its ``size`` latest results: the evaluation and the testing
    analysis ask for the same one-step forecasts."""
    kept = {}

    def cached(origins, steps):
        origins = np.asarray(origins, dtype=int).reshape(-1)
        key = (int(steps), origins.tobytes())
        if key not in kept:
            if len(kept) >= size:
                kept.pop(next(iter(kept)))
            kept[key] = forecast(origins, int(steps))
        return kept[key]

    cached.__dict__.update(forecast.__dict__)          # the linear path's weights
    return cached


def fit_comparators(model, encoded, start_row, max_rows=MAX_FIT_ROWS):
    """``{"ets", "theta", "linear": Comparator}`` for a loaded model
    (:class:`~engine.model.forecaster.Forecaster`) and its :class:`~engine.data.Encoded`
    data, fitted on the rows before ``start_row`` (ETS and Theta on at most the latest
    ``max_rows`` of them, after the last gap in time before it, at the season the seasonal
    naive baseline uses:
    :func:`~engine.testing.baselines.season_length`, the model's period or else the one
    found in those rows)."""
    end = int(start_row)
    levels = np.asarray(encoded.levels, dtype=float)
    period = season_length(model.preprocessing.period, levels, end,
                           model.preprocessing.time_step)
    gaps = encoded.time_gaps()           # a row without a time makes no gap
    out = {}
    for name, fit in (("ets", fit_ets), ("theta", fit_theta)):
        try:
            with one_blas_thread():
                out[name] = _per_target(name, fit, levels, end, period, max_rows, gaps)
        except ImportError as error:          # a build without statsmodels
            out[name] = Comparator(name, reason=f"{name}: statsmodels is missing ({error})")
        except Exception as error:  # noqa: BLE001 - a comparator never stops the testing
            out[name] = Comparator(name, reason=f"{name}: not fitted ({error})")
    try:
        outcome = fit_linear(model, encoded, end)
    except Exception as error:  # noqa: BLE001 - as above
        outcome = f"linear: not fitted ({error})"
    out["linear"] = Comparator("linear", reason=outcome) if isinstance(outcome, str) \
        else Comparator("linear", outcome[0], outcome[1], None, outcome[2])
    for comparator in out.values():
        if comparator.forecast is not None:
            comparator.forecast = remembered(comparator.forecast)
    return out


def comparator_guesses(comparator, target_rows, known_rows, k):
    """A comparator's forecasts of ``target_rows`` (any shape) from the last known rows
    ``known_rows`` (same shape): origin ``known + 1``, ``target - known`` steps ahead;
    shape of ``target_rows`` + (k,), NaN where none."""
    target_rows = np.asarray(target_rows, dtype=int)
    known_rows = np.asarray(known_rows, dtype=int)
    out = np.full(target_rows.shape + (k,), np.nan)
    if comparator is None or comparator.forecast is None or target_rows.size == 0:
        return out
    origins, where = np.unique(known_rows.ravel() + 1, return_inverse=True)
    ahead = (target_rows - known_rows).ravel()
    steps = int(ahead.max())
    try:
        values = comparator.forecast(origins, steps)             # (u, steps, k)
    except Exception as error:  # noqa: BLE001 - a comparator never stops the testing
        comparator.notes.append(f"{comparator.name}: no forecast of {steps} steps ({error})")
        return out
    out.reshape(-1, k)[:] = values[where, ahead - 1]
    return out


def comparator_scores(comparators, truth, target_rows, known_rows, names, scale=None):
    """``{name: Scores or None}`` of each comparator predicting ``target_rows`` from
    ``known_rows`` (see :func:`comparator_guesses`) against ``truth`` (m, k)."""
    from engine.testing.metrics import score

    k = len(names)
    return {name: score(truth, comparator_guesses(c, target_rows, known_rows, k), names,
                        scale) if c.forecast is not None else None
            for name, c in (comparators or {}).items()}
