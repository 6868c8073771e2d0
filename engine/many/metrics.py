"""The M4 competition's measures and benchmarks, for many series at once (Makridakis,
Spiliotis and Assimakopoulos, "The M4 Competition: 100,000 time series and 61 forecasting
methods", IJF 36 (2020) 54-74, and the competition's R code "Benchmarks and Evaluation.R").

Series have different lengths: a set of histories is a list of 1-D arrays (or an
(n_series, T) array), the holdout values (``truths``) and the forecasts a list of 1-D arrays
or an (n_series, H) array, entry ``i`` of each belonging to series ``i``. For one series with
history ``x_1 .. x_T``, holdout ``y_1 .. y_H`` and forecasts ``f_1 .. f_H``::

    sMAPE = (1/H) sum_h 200 |y_h - f_h| / (|y_h| + |f_h|)        (a step with 0/0 counts 0)
    MASE  = (1/H) sum_h |y_h - f_h| / s
    s     = 1/(T-m) sum_{t=m+1..T} |x_t - x_(t-m)|               (the series' own history)
    OWA   = 1/2 (mean sMAPE / mean sMAPE(Naive2) + mean MASE / mean MASE(Naive2))

The OWA is the competition's: each measure is first averaged over all series (every series
weighs the same), then divided by the same average of Naive2, and the two ratios averaged;
it is not the mean of per-series ratios. Steps with a missing value (NaN) in the truth or the
forecast are left out of a series' mean; a series without a scored step (or with a zero
scale, for MASE) is NaN and is left out of the averages, of the method's and of Naive2's
alike (the M4 data have no such series). So is the sMAPE of a series whose known holdout
values are all 0 (:func:`zero_holdouts`): there it is 200 at every step not forecast as
exactly 0 and 0 at every step that is, whatever the size of the error, so it would tell
which method forecast 0, not how well; the series is left out of every method's sMAPE
alike (it depends on the holdout alone) and its MASE counts as any other's
(:func:`zero_holdout_notes` says so; M4's values are all positive).

Benchmarks, forecasting ``h = 1 .. H`` steps past ``x_T`` with the season length ``m``:

* Naive1: ``f_h = x_T``;
* seasonal naive: ``f_h = x_(T + h - m ceil(h/m))``, the last season repeated;
* Naive2: Naive1 on the seasonally adjusted series, then re-seasonalized:
  ``f_h = (x_T / c_T) c_(T+h)`` with ``c`` the seasonal indices (:class:`Season`) when the
  seasonality test finds a season, else Naive1.

The seasonality test (M4's 90% test, as the R code has it): with ``r_k`` the
autocorrelation at lag ``k`` of the ``n`` history values, the series is seasonal when
``n >= 3m`` and ``|r_m| > 1.645 sqrt((1 + 2 sum_{k=1..m-1} r_k^2) / n)``. (M4's R code reads
``r_m`` from R's ``acf``, which stops at lag ``10 log10(n)``: for ``m = 24`` it never found a
season in fewer than 252 values; M4's hourly series are all longer. M4's Python benchmarks
left ``r_1`` unsquared by mistake; the R code, which made the published Naive2 figures,
squares it, as here.)

The seasonal indices are classical multiplicative decomposition's (R's ``decompose``,
statsmodels' ``seasonal_decompose``): a centred moving average of length ``m`` (2 x m when
``m`` is even) as the trend, the mean ratio ``x_t / trend_t`` at each position of the season,
scaled to average 1. A history with a value of zero or below cannot be divided: it gets the
additive decomposition's indices (differences, averaging 0) instead (never the case in M4).
"""

import math
from dataclasses import dataclass

import numpy as np

from engine.data.statistics import autocorrelation
from engine.errors import EngineError
from engine.testing.metrics import naive_scale
from engine.words import verb

SEASON_TEST_Z = 1.645      # the one-sided 90% point of the normal distribution
SEASONS_FOR_TEST = 3       # the test needs at least 3 seasons of history


# -- sets of series ---------------------------------------------------------------------------

def as_series_list(values, what):
    """``values`` (a list of 1-D sequences, or an (n_series, n) array) as a list of 1-D
    float arrays; EngineError naming ``what`` otherwise."""
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return [np.asarray(row, dtype=float) for row in values]
    try:
        out = [np.asarray(row, dtype=float) for row in values]
    except (TypeError, ValueError) as error:
        raise EngineError(f"The {what} must be a list of series of numbers ({error}).") \
            from None
    for i, row in enumerate(out):
        if row.ndim != 1:
            raise EngineError(f"The {what} of series {i} must be one row of numbers, not an "
                              f"array of shape {row.shape}.")
    return out


def _pairs(truths, forecasts):
    """``(truths, forecasts)`` as lists of equally long 1-D arrays."""
    truths = as_series_list(truths, "holdout values")
    forecasts = as_series_list(forecasts, "forecasts")
    if len(truths) != len(forecasts):
        raise EngineError(f"{len(truths)} series of holdout values but {len(forecasts)} of "
                          "forecasts: give one forecast per series.")
    for i, (y, f) in enumerate(zip(truths, forecasts)):
        if y.shape != f.shape:
            raise EngineError(f"Series {i} has {len(y)} holdout values but {len(f)} "
                              "forecasts: give one forecast per holdout value.")
    return truths, forecasts


def _step_mean(errors):
    """The mean of one series' step errors over its known (finite) steps; NaN without."""
    known = np.isfinite(errors)
    return float(errors[known].mean()) if known.any() else math.nan


# -- the measures -----------------------------------------------------------------------------

def smape(truths, forecasts):
    """Per series ``mean_h 200 |y_h - f_h| / (|y_h| + |f_h|)`` (0/0 counts 0), over its
    known steps: (n_series,); NaN for a series whose known holdout values are all 0
    (:func:`zero_holdouts`, module docstring)."""
    truths, forecasts = _pairs(truths, forecasts)
    out = np.empty(len(truths))
    for i, (y, f) in enumerate(zip(truths, forecasts)):
        total = np.abs(y) + np.abs(f)
        with np.errstate(invalid="ignore", divide="ignore"):
            terms = np.where(total > 0, 200.0 * np.abs(y - f) / np.where(total > 0, total, 1),
                             np.where(np.isfinite(total), 0.0, np.nan))
        out[i] = _step_mean(terms)
    out[zero_holdouts(truths)] = math.nan
    return out


def zero_holdouts(truths):
    """(n_series,) bool: the series whose holdout values (1-D each) are all 0 where known,
    at least one known; their sMAPE is not a measure of the error (module docstring)."""
    truths = as_series_list(truths, "holdout values")
    return np.array([bool(np.isfinite(y).any() and not np.any(y[np.isfinite(y)]))
                     for y in truths], dtype=bool)


NO_OWA = "no method has a mean sMAPE or an OWA"
"""What follows when every series' testing values are all 0 (:func:`zero_holdout_notes`,
and the verdict that compares MASE instead, :func:`judged_by`)."""


def zero_holdout_notes(ids, truths, scales):
    """``[note]`` on the series of ``ids`` whose holdout ``truths`` are all 0
    (:func:`zero_holdouts`), left out of every method's sMAPE and so of the sMAPE half of
    the OWA, and whether MASE counts them (``scales`` (n_series,), MASE's, :func:`mase`
    leaves out a series of scale 0 or unknown: a history that repeats itself); ``[]``
    without such a series. E.g. "sMAPE left out for 'H22': its testing values are all 0
    (where sMAPE is 200% at every step not forecast as exactly 0), so every method's mean
    sMAPE, and the sMAPE half of its OWA, are over the other series; MASE counts it."."""
    zero = zero_holdouts(truths)
    if not zero.any():
        return []
    names = [ids[i] for i in np.flatnonzero(zero)]
    n, scaled = len(names), int((np.asarray(scales, dtype=float)[zero] > 0).sum())
    which = repr(names[0]) if n == 1 else f"{n:,} series (e.g. {names[0]!r})"
    it, its = verb(n, "it", "them"), verb(n, "its", "their")
    repeats = verb(n, "its history repeats itself", "their histories repeat themselves")
    others = verb(n - scaled, "the other's history repeats itself: MASE has no scale for it",
                  "the others' histories repeat themselves: MASE has no scale for those")
    mase_words = f"MASE counts {it}" if scaled == n else \
        f"MASE counts {scaled:,} of them ({others})" if scaled else \
        f"MASE leaves {it} out too ({repeats}: MASE has no scale for {it})"
    means = f"so {NO_OWA}" if zero.all() else \
        "so every method's mean sMAPE, and the sMAPE half of its OWA, are over the other series"
    return [f"sMAPE left out for {which}: {its} testing values are all 0 (where sMAPE is "
            f"200% at every step not forecast as exactly 0), {means}; {mase_words}."]


def unscaled_notes(ids, truths, scales):
    """``[note]`` on the series of ``ids`` that MASE leaves out for want of a scale
    (``scales`` (n_series,) 0 or unknown: a history before the testing part without a
    change a season apart, constant or too short), but whose holdout ``truths`` are not all
    0 (:func:`zero_holdout_notes` speaks of those); ``[]`` without such a series."""
    scales = np.asarray(scales, dtype=float)
    left = ~(scales > 0) & ~zero_holdouts(truths)
    if not left.any():
        return []
    names = [ids[i] for i in np.flatnonzero(left)]
    n = len(names)
    which = repr(names[0]) if n == 1 else f"{n:,} series (e.g. {names[0]!r})"
    its = verb(n, "its", "their")
    means = "so no method has a mean MASE" if left.all() else \
        "so every method's mean MASE, and the MASE half of its OWA, are over the other series"
    holds = verb(n, "history before the testing part holds",
                 "histories before the testing part hold")
    return [f"MASE left out for {which}: {its} {holds} no change a season apart (constant, "
            f"or too short), so MASE has no scale for {verb(n, 'it', 'them')}; {means}."]


def judged_by(rows):
    """The measure methods or candidates are compared by, ``rows`` their scores (dicts with
    an ``"owa"`` and a ``"mase"``, a figure or None each): ``"owa"``, or ``"mase"`` when no
    row has a finite OWA (every series' testing values all 0: no series has an sMAPE,
    :func:`zero_holdouts`, and so no method an OWA)."""
    finite = [row.get("owa") for row in rows if row.get("owa") is not None]
    return "owa" if np.isfinite(np.asarray(finite, dtype=float)).any() else "mase"


def mase_scale(history, m, positions=None):
    """MASE's scale of one series: ``mean |x_t - x_(t-m)|`` over the pairs of its history
    ``x`` (T,) that are both known (the rows before its holdout). A history of at most ``m``
    values has no such pair: its scale falls back to lag 1, ``mean |x_t - x_(t-1)|``. A float,
    NaN when not even that can be computed (fewer than two values); 0 for a history that
    repeats itself (its MASE is then NaN).

    ``positions`` (T,): the values' places in time steps, for a history with gaps in time
    (:meth:`~engine.many.series_data.SeriesSet.positions`): only values exactly ``m`` steps
    apart in time are paired (one step apart when no such known pair exists), never two
    values a gap has moved closer together. None: the values are one step apart each."""
    history = np.asarray(history, dtype=float).reshape(-1)
    lag = max(int(m), 1)
    if positions is not None:
        scale = naive_scale(history, lag, positions)[0]
        if math.isnan(scale):
            scale = naive_scale(history, 1, positions)[0]
        return float(scale)
    if len(history) <= lag:
        lag = 1
    return float(naive_scale(history, lag)[0])


def mase_scales(histories, m, positions=None):
    """:func:`mase_scale` of every series: (n_series,); ``positions`` one entry (an array
    or None) per series."""
    histories = as_series_list(histories, "histories")
    positions = [None] * len(histories) if positions is None else positions
    return np.array([mase_scale(x, m, p) for x, p in zip(histories, positions)])


def mase(truths, forecasts, scales):
    """Per series ``mean_h |y_h - f_h| / scale`` over its known steps: (n_series,); NaN where
    the scale (n_series,), from :func:`mase_scales`, is 0 or unknown."""
    truths, forecasts = _pairs(truths, forecasts)
    scales = np.asarray(scales, dtype=float).reshape(-1)
    if len(scales) != len(truths):
        raise EngineError(f"{len(scales)} MASE scales for {len(truths)} series: give one "
                          "scale per series.")
    out = np.array([_step_mean(np.abs(y - f)) for y, f in zip(truths, forecasts)])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(scales > 0, out / np.where(scales > 0, scales, 1.0), np.nan)


def _mean_ratio(model, naive2):
    """``mean(model) / mean(naive2)`` over the series where both are finite; NaN when none
    or Naive2's mean is 0."""
    model = np.atleast_1d(np.asarray(model, dtype=float))
    naive2 = np.atleast_1d(np.asarray(naive2, dtype=float))
    if model.shape != naive2.shape:
        raise EngineError(f"{model.size} series scored for the method but {naive2.size} for "
                          "Naive2: score both on the same series.")
    known = np.isfinite(model) & np.isfinite(naive2)
    if not known.any() or naive2[known].mean() == 0:
        return math.nan
    return float(model[known].mean() / naive2[known].mean())


def owa(smape_model, mase_model, smape_naive2, mase_naive2):
    """M4's overall weighted average (float): ``1/2 (mean sMAPE / mean sMAPE(Naive2) + mean
    MASE / mean MASE(Naive2))``, each argument the per-series values (n_series,) and each mean
    over the series where the method's and Naive2's values are both known (module
    docstring); below 1 is better than Naive2."""
    return 0.5 * (_mean_ratio(smape_model, smape_naive2) + _mean_ratio(mase_model, mase_naive2))


def ranking_words(horizon):
    """What the window's choice (:mod:`engine.many.choosing`) and the backtest
    (:mod:`engine.many.backtest`) rank a network of ``horizon`` steps ahead by, in words:
    the :func:`owa` of its forecasts of all ``H`` steps, each series' sMAPE and MASE the
    mean over its ``H`` steps (not the first step alone): "OWA against Naive2 of the
    forecasts of all 24 steps ahead in every series"."""
    horizon = int(horizon)
    what = "the forecast one step ahead" if horizon == 1 else \
        f"the forecasts of all {horizon} steps ahead"
    return f"OWA against Naive2 of {what} in every series"


@dataclass(frozen=True)
class SetScores:
    """The M4 scores of one method's forecasts of a set of series.

    smape, mase : (n_series,) per series (NaN where not scored)
    scales : (n_series,) MASE's scale of each series' history
    """

    smape: np.ndarray
    mase: np.ndarray
    scales: np.ndarray

    @property
    def mean_smape(self):
        """sMAPE averaged over the scored series (NaN when none)."""
        return _known_mean(self.smape)

    @property
    def mean_mase(self):
        """MASE averaged over the scored series (NaN when none)."""
        return _known_mean(self.mase)

    def to_dict(self):
        """The two means and the number of series scored (by sMAPE or MASE), as plain
        numbers."""
        return {"smape": self.mean_smape, "mase": self.mean_mase,
                "series": int((np.isfinite(self.smape) | np.isfinite(self.mase)).sum())}


def _known_mean(values):
    known = np.isfinite(values)
    return float(values[known].mean()) if known.any() else math.nan


def score_set(histories, truths, forecasts, m, positions=None):
    """The :class:`SetScores` of ``forecasts`` of the holdout ``truths`` of series with the
    ``histories`` (the values before each holdout) and season length ``m`` (MASE's lag);
    ``positions``: per series the history's places in time steps, or None
    (:func:`mase_scale`)."""
    scales = mase_scales(histories, m, positions)
    return SetScores(smape(truths, forecasts), mase(truths, forecasts, scales), scales)


def owa_of(scores, naive2):
    """The OWA (:func:`owa`) of one method's :class:`SetScores` against Naive2's."""
    return owa(scores.smape, scores.mase, naive2.smape, naive2.mase)


# -- seasonality ------------------------------------------------------------------------------

def _history(history):
    """One history as a 1-D float array of known values; EngineError otherwise."""
    x = np.asarray(history, dtype=float).reshape(-1)
    if x.size == 0:
        raise EngineError("A series has no history to forecast from: give it at least one "
                          "value before its holdout.")
    if not np.isfinite(x).all():
        raise EngineError("A series' history has missing values: fill them in (or leave out "
                          "the series) before forecasting it with the benchmarks.")
    return x


def seasonality_test(history, m):
    """M4's 90% seasonality test at lag ``m`` (module docstring): True when the history
    (n,) holds at least 3 seasons and ``|r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n)``;
    False for ``m < 2`` and for a constant history."""
    x = _history(history)
    m, n = int(m), len(x)
    if m < 2 or n < SEASONS_FOR_TEST * m:
        return False
    r = autocorrelation(x, m)
    limit = SEASON_TEST_Z * math.sqrt((1 + 2 * float(np.sum(r[1:m] ** 2))) / n)
    return bool(abs(r[m]) > limit)


def seasonal_indices(history, m, kind="multiplicative"):
    """Classical decomposition's seasonal indices (m,) of a history (n,) with ``n >= 2m``
    (statsmodels ``seasonal_decompose``, ``kind`` "multiplicative" or "additive"). Index
    ``j`` belongs to the positions ``t`` with ``t mod m = j``, ``t = 0`` the history's first
    value: the first forecast step (position ``n``) gets index ``n mod m``."""
    from statsmodels.tsa.seasonal import seasonal_decompose

    x = _history(history)
    m = int(m)
    if m < 2 or len(x) < 2 * m:
        raise EngineError(f"Seasonal indices of period {m} need a period of at least 2 and "
                          f"two whole seasons ({2 * m} values); the history has {len(x)}.")
    if kind == "multiplicative" and x.min() <= 0:
        raise EngineError("Multiplicative seasonal indices need a history of positive values; "
                          "use the additive ones.")
    return np.asarray(seasonal_decompose(x, model=kind, period=m).seasonal[:m], dtype=float)


@dataclass(frozen=True)
class Season:
    """The season found in a history (:func:`season_of`).

    indices : (m,) seasonal indices, index ``j`` for the positions ``t mod m = j`` (``t = 0``
        the history's first value); empty when no season was found
    kind : "multiplicative" (values divided by the index), "additive" (the index subtracted)
        or "none"
    """

    indices: np.ndarray
    kind: str = "none"

    def at(self, start, count):
        """The indices of the positions ``start .. start + count - 1`` (count,); 1 everywhere
        without a season."""
        if self.kind == "none":
            return np.ones(count)
        return self.indices[(int(start) + np.arange(int(count))) % len(self.indices)]

    def remove(self, values, start=0):
        """``values`` (count,) at positions from ``start`` seasonally adjusted."""
        values = np.asarray(values, dtype=float)
        c = self.at(start, len(values))
        return values - c if self.kind == "additive" else values / c

    def restore(self, values, start):
        """Adjusted ``values`` (count,) at positions from ``start`` with the season put back
        (a forecast of a history of ``n`` values starts at position ``n``)."""
        values = np.asarray(values, dtype=float)
        c = self.at(start, len(values))
        return values + c if self.kind == "additive" else values * c


def season_of(history, m):
    """The :class:`Season` Naive2 (and Theta) adjust a history (n,) by: the decomposition's
    indices at period ``m`` when :func:`seasonality_test` finds a season (multiplicative,
    additive for a history with a value of zero or below), else none."""
    x = _history(history)
    if not seasonality_test(x, m):
        return Season(np.zeros(0))
    kind = "multiplicative" if x.min() > 0 else "additive"
    return Season(seasonal_indices(x, m, kind), kind)


# -- the benchmarks ---------------------------------------------------------------------------

def naive1(history, H):
    """``f_h = x_T`` for ``h = 1 .. H``: (H,)."""
    return np.full(int(H), _history(history)[-1])


def seasonal_naive(history, H, m):
    """``f_h = x_(T + h - m ceil(h/m))`` for ``h = 1 .. H`` (the last ``m`` values repeated):
    (H,); Naive1 for ``m < 2``. A history of fewer than ``m`` values raises EngineError."""
    x = _history(history)
    m = int(m)
    if m < 2:
        return naive1(x, H)
    if len(x) < m:
        raise EngineError(f"The seasonal naive forecast of period {m} needs a whole season "
                          f"of history; the series has {len(x)} values.")
    return x[len(x) - m + np.arange(int(H)) % m]


def naive2(history, H, m):
    """Naive2 (module docstring): ``f_h = (x_T / c_T) c_(T+h)`` with the :class:`Season`
    ``c`` of :func:`season_of`, plain Naive1 when it has none: (H,)."""
    x = _history(history)
    season = season_of(x, m)
    level = season.remove(x[-1:], start=len(x) - 1)[0]
    return season.restore(np.full(int(H), level), start=len(x))

