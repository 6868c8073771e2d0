"""Classical forecasts of many series, each fitted on its own history, to set a global
network beside: M4's benchmarks Naive1, seasonal naive and Naive2
(:mod:`engine.many.metrics`) and the Theta method.

Theta (M4's benchmark "Theta"): the history seasonally adjusted as for Naive2
(:func:`~engine.many.metrics.season_of`: M4's 90% test at lag ``m``, then classical
multiplicative decomposition), the classical Theta method (theta = 2; Hyndman and Billah
2003, statsmodels ``ThetaModel`` without a deseasonalization of its own) on the adjusted
series ``z_1 .. z_T``::

    z^_(T+h|T) = 1/2 b0 [h - 1 + 1/alpha - (1 - alpha)^T / alpha] + l_T

with ``b0`` the slope of the least-squares line through ``z``, ``l_T`` the last level of
simple exponential smoothing ``l_t = alpha z_t + (1 - alpha) l_(t-1)`` (``l_1 = z_1``, alpha
fitted), and the forecast re-seasonalized. As in M4's code, a forecast below 0 of a history
without negative values becomes 0. On a straight line alpha is about 1 and the forecast is the
last value plus half the line's slope a step.

A series Theta cannot fit (fewer than :data:`MIN_ROWS` values, a constant adjusted history, a
statsmodels failure) gets Naive2's forecast; a seasonal naive forecast of a history shorter
than one season gets Naive1's. Each such series is named in ``notes``, as are statsmodels'
warnings (the result is kept).

The series run one after another with one BLAS thread, or, with ``workers > 1``, in that many
processes (:data:`POOL_MIN_SERIES` series or more). Measured on 2 shared cores, 414
random-walk series of 900 values, ``H = 48``, ``m = 24`` (Theta's fits are most of it): 9 to
12 s in one process, 5 to 7 s with ``workers=2`` (no gain while other work holds the cores);
the M4 hourly set (414 series of 652 to 912 values before a holdout of 48) about 16 s.
"""

import warnings

import numpy as np

from engine.errors import EngineError
from engine.many.metrics import (as_series_list, naive1, naive2, season_of,
                                 seasonal_naive)
from engine.testing.comparators import MIN_ROWS, one_blas_thread

METHODS = ("naive2", "seasonal_naive", "theta")
KNOWN_METHODS = ("naive1",) + METHODS
LABELS = {"network": "global network", "naive2": "Naive2",
          "seasonal_naive": "seasonal naive", "theta": "Theta"}
"""The methods' names in the tables of scores."""
POOL_MIN_SERIES = 50       # fewer series are not worth starting processes for


def theta_forecast(history, H, m, notes=None):
    """The Theta method's forecast (H,) of a history (T,) with season length ``m`` (module
    docstring). EngineError when the series cannot be fitted; statsmodels' warnings are
    caught and, when ``notes`` (a list) is given, named there."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    x = np.asarray(history, dtype=float).reshape(-1)
    if len(x) < MIN_ROWS:
        raise EngineError(f"{len(x)} values of history, Theta needs at least {MIN_ROWS}")
    season = season_of(x, m)
    adjusted = season.remove(x)
    if np.ptp(adjusted) == 0:
        raise EngineError("the history is constant once seasonally adjusted")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            values = np.asarray(ThetaModel(adjusted, deseasonalize=False).fit()
                                .forecast(int(H)), dtype=float)
        except (ValueError, np.linalg.LinAlgError, RuntimeError) as error:
            raise EngineError(f"statsmodels could not fit Theta ({error})") from None
    kinds = sorted({w.category.__name__ for w in caught})
    if kinds and notes is not None:
        notes.append(f"statsmodels warned ({', '.join(kinds)}); kept the result")
    values = season.restore(values, start=len(x))
    if not np.isfinite(values).all():
        raise EngineError("Theta's forecast is not finite")
    return np.maximum(values, 0.0) if x.min() >= 0 else values


def _with_fallback(method, x, H, m, notes):
    """One method's forecast (H,) of the history ``x``; a fallback (module docstring) with a
    note when it cannot be made."""
    if method == "theta":
        said = []
        try:
            values = theta_forecast(x, H, m, said)
        except EngineError as error:
            notes.append(f"Theta: {error}; Naive2's forecast was used in its place")
            return naive2(x, H, m)
        notes.extend(f"Theta: {text}" for text in said)
        return values
    if method == "seasonal_naive":
        if int(m) >= 2 and len(x) < int(m):
            notes.append(f"seasonal naive: {len(x)} values of history, less than a season "
                         f"of {int(m)}; Naive1's forecast was used in its place")
            return naive1(x, H)
        return seasonal_naive(x, H, m)
    return naive2(x, H, m) if method == "naive2" else naive1(x, H)


def series_forecasts(histories, H, m, methods):
    """Every method's forecasts of each history: ``({method: (n_series, H)}, notes)``,
    ``notes`` a list of ``(series position, text)``."""
    out = {method: np.empty((len(histories), int(H))) for method in methods}
    notes = []
    with one_blas_thread():
        for i, x in enumerate(histories):
            said = []
            for method in methods:
                out[method][i] = _with_fallback(method, x, H, m, said)
            notes.extend((i, text) for text in said)
    return out, notes


def _pooled(histories, H, m, methods, workers):
    """:func:`series_forecasts` over ``workers`` processes, each on a contiguous share,
    started as the model selection's are (:func:`~engine.selection.executors.
    start_context`: never a plain fork, which can hang in a process with other threads)."""
    from concurrent.futures import ProcessPoolExecutor

    from engine.selection.executors import main_module_hidden, start_context

    bounds = np.linspace(0, len(histories), workers + 1).astype(int)
    shares = [histories[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    with ProcessPoolExecutor(max_workers=workers, mp_context=start_context()) as pool, \
            main_module_hidden():
        parts = list(pool.map(series_forecasts, shares, [H] * workers, [m] * workers,
                              [methods] * workers))
    out = {method: np.concatenate([part[0][method] for part in parts]) for method in methods}
    notes = [(int(start) + i, text) for start, part in zip(bounds, parts) for i, text in part[1]]
    return out, notes


def _checked(histories, H, methods):
    """The histories as a list of 1-D arrays, with ``H`` and ``methods`` checked."""
    unknown = [name for name in methods if name not in KNOWN_METHODS]
    if unknown:
        raise EngineError(f"Unknown comparator {', '.join(map(str, unknown))}: choose from "
                          f"{', '.join(KNOWN_METHODS)}.")
    if int(H) < 1:
        raise EngineError(f"The horizon must be at least 1 step, not {H}.")
    histories = as_series_list(histories, "histories")
    for i, x in enumerate(histories):
        if x.size == 0 or not np.isfinite(x).all():
            raise EngineError(f"Series {i}'s history is empty or has missing values: fill "
                              "them in (or leave the series out) before the comparators.")
    return histories


def comparator_forecasts(histories, H, m, methods=METHODS, workers=1, notes=None,
                         names=None):
    """Classical forecasts of the ``H`` steps after each history (a list of 1-D arrays, or
    an (n_series, T) array) with season length ``m``: ``{method: (n_series, H)}`` for the
    ``methods`` ("naive1", "naive2", "seasonal_naive", "theta").

    ``workers > 1`` runs the series in that many processes (from :data:`POOL_MIN_SERIES`
    series on). ``notes``, a list, receives one text per fallback or warning, naming the
    series by ``names[i]`` (default its position ``i``): ``"Series W1, Theta: ...; Naive2's
    forecast was used in its place."``."""
    histories = _checked(histories, H, methods)
    methods = tuple(methods)
    if int(workers) > 1 and len(histories) >= POOL_MIN_SERIES:
        out, said = _pooled(histories, int(H), m, methods, int(workers))
    else:
        out, said = series_forecasts(histories, int(H), m, methods)
    if notes is not None:
        notes.extend(f"Series {names[i] if names is not None else i}, {text}."
                     for i, text in said)
    return out
