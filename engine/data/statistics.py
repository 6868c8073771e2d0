"""Statistics for the GUI and the command line: per-variable summaries, autocorrelation of
the targets, cross-correlation of the inputs with the targets, a detected period and a
suggested lookback.

Autocorrelation at lag ``k`` of a series ``x`` (n values, mean ``m``)::

    acf(k) = sum_{t=k}^{n-1} (x_t - m)(x_(t-k) - m) / sum_t (x_t - m)^2

computed for all lags at once with an FFT. Cross-correlation of input ``x`` with target
``y`` at lag ``k >= 0`` is the Pearson correlation of ``x_(t-k)`` with ``y_t`` (the input
``k`` steps earlier). Missing values are linearly interpolated first (ends: nearest value).

Period: the autocorrelation of the series with its straight-line trend removed, rescaled by
``n/(n-k)`` (so distant lags are not pulled down), is smoothed lightly; among its local maxima (lag >= 2) that stand at least :data:`MIN_PROMINENCE` above
the lowest value at smaller lags and above the noise level ``2/sqrt(n)``, the first one that
reaches 80% of the highest is the period (so a multiple of the period does not win).
With a known time step, a period within 5% of a calendar cycle of that step (a week or a
year of days, a day or a week of hours, a year of months, ...; :data:`CALENDAR_CYCLES`)
becomes that cycle: the peak of a yearly cycle in four years of daily values is too broad
to land on 365 by itself.

The autocorrelation's suggested lookback (:func:`suggest_lookback`, the ``suggested_lookback``
of a report): the period when there is one of at most :data:`LONGEST_SUGGESTED_PERIOD` rows
(the window then sees a full cycle), else the last lag up to :data:`MAX_SUGGESTED_LOOKBACK`
whose partial autocorrelation exceeds ``2/sqrt(n)`` before three lags in a row do not (the
order an autoregression would need); at least 1.

The lookback the automatic pipeline chooses, and the one the data page suggests
(:func:`choose_lookback`, :func:`automatic_lookback`; one rule for both): the detected
period when it is at most :data:`MAX_PERIOD_LOOKBACK` rows, else the autocorrelation's
suggestion kept between :data:`MIN_LOOKBACK` and :data:`MAX_LOOKBACK`.

What the data page shows of a table (:func:`page_statistics`, a :class:`DataStatistics`):
every column's summary and, for the first target, its autocorrelation up to lag
``min(n - 1, max(PAGE_MIN_LAGS, PAGE_LAGS_PER_LOOKBACK * lookback), PAGE_MAX_LAGS)``, the
detected period and the suggested lookback (:func:`automatic_lookback`).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.data.scaling import check_magnitude
from engine.tasks import as_task

MIN_PROMINENCE = 0.1
MAX_SUGGESTED_LOOKBACK = 48
MAX_LAG = 1000
LONGEST_SUGGESTED_PERIOD = 200
MAX_PERIOD_LOOKBACK = 60
MIN_LOOKBACK = 12
MAX_LOOKBACK = 48
CALENDAR_TOLERANCE = 0.05
PAGE_MIN_LAGS = 48           # the data page's autocorrelation lags (module docstring)
PAGE_LAGS_PER_LOOKBACK = 3
PAGE_MAX_LAGS = 400
# The cycles of the calendar, in steps of a given length: (unit, size) -> cycles.
_DAY_NS = 86_400 * 10**9
CALENDAR_CYCLES = {
    ("months", 1): (12,), ("months", 3): (4,),
    ("nanoseconds", _DAY_NS): (7, 365), ("nanoseconds", 7 * _DAY_NS): (52,),
    ("nanoseconds", 3_600 * 10**9): (24, 168),
    ("nanoseconds", 1_800 * 10**9): (48, 336),
    ("nanoseconds", 900 * 10**9): (96, 672),
    ("nanoseconds", 600 * 10**9): (144, 1008),
    ("nanoseconds", 60 * 10**9): (1440,),
}


def _filled(values):
    x = np.asarray(values, dtype=float)
    bad = ~np.isfinite(x)
    if bad.all():
        return np.zeros(0)
    if bad.any():
        idx = np.arange(len(x))
        x = np.interp(idx, idx[~bad], x[~bad])
    return x


def summary(frame, columns=None):
    """Per numeric column: ``{"name", "minimum", "maximum", "mean", "std", "missing"}``
    (std with ddof 0; NaN statistics become None), for ``columns`` or all numeric columns."""
    names = columns if columns is not None else [
        c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    out = []
    for name in names:
        x = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        finite = x[np.isfinite(x)]

        def value(f):
            return float(f(finite)) if finite.size else None
        out.append({"name": str(name), "minimum": value(np.min), "maximum": value(np.max),
                    "mean": value(np.mean), "std": value(np.std),
                    "missing": int(np.isnan(x).sum())})
    return out


def autocorrelation(values, max_lag=None):
    """``acf[0..max_lag]`` (acf[0] = 1); zeros when the series is constant."""
    x = _filled(values)
    n = len(x)
    max_lag = min(n - 1, MAX_LAG if max_lag is None else max_lag)
    if n < 2:
        return np.ones(1)
    x = x - x.mean()
    spectrum = np.fft.rfft(x, 2 * n)
    r = np.fft.irfft(spectrum * np.conj(spectrum), 2 * n)[:max_lag + 1]
    if r[0] <= 0:
        out = np.zeros(max_lag + 1)
        out[0] = 1.0
        return out
    return r / r[0]


def cross_correlation(inputs, target, max_lag=None):
    """``ccf[k] = corr(x_(t-k), y_t)`` for k = 0..max_lag (NaN-free; 0 where undefined)."""
    x, y = _filled(inputs), _filled(target)
    n = min(len(x), len(y))
    max_lag = min(n - 2, 50 if max_lag is None else max_lag)
    out = np.zeros(max(max_lag + 1, 0))
    for k in range(max_lag + 1):
        a, b = x[:n - k], y[k:n]
        sa, sb = a.std(), b.std()
        if sa > 0 and sb > 0:
            out[k] = float(((a - a.mean()) * (b - b.mean())).mean() / (sa * sb))
    return out


def partial_autocorrelation(acf, max_lag):
    """PACF from the ACF by the Durbin-Levinson recursion, lags 0..max_lag."""
    max_lag = min(max_lag, len(acf) - 1)
    pacf = np.zeros(max_lag + 1)
    pacf[0] = 1.0
    phi = np.zeros(max_lag + 1)
    for k in range(1, max_lag + 1):
        previous = phi[1:k].copy()
        denominator = 1.0 - np.dot(previous, acf[1:k])
        if abs(denominator) < 1e-12:
            break
        phi_kk = (acf[k] - np.dot(previous, acf[k - 1:0:-1])) / denominator
        phi[1:k] = previous - phi_kk * previous[::-1]
        phi[k] = phi_kk
        pacf[k] = phi_kk
    return pacf


def _detrended(values):
    x = _filled(values)
    t = np.arange(len(x), dtype=float)
    if len(x) >= 3:
        x = x - np.polyval(np.polyfit(t, x, 1), t)
    return x


def calendar_period(period, step):
    """``period`` (rows) moved to the calendar cycle of the time ``step`` (a step dict of
    :mod:`engine.data.time_steps`) that lies within :data:`CALENDAR_TOLERANCE` of it;
    unchanged when there is none."""
    if not period or not step:
        return period
    for cycle in CALENDAR_CYCLES.get((step.get("unit"), step.get("size")), ()):
        if abs(period - cycle) <= CALENDAR_TOLERANCE * cycle:
            return cycle
    return period


def detect_period(values, step=None):
    """The dominant cycle length in rows (see the module docstring), or None; with the
    time ``step`` (a step dict), snapped to a calendar cycle (:func:`calendar_period`)."""
    return calendar_period(_acf_period(values), step)


def _acf_period(values):
    x = _detrended(values)
    n = len(x)
    if n < 8:
        return None
    acf = autocorrelation(x, min(n // 2, MAX_LAG))
    acf = acf * n / (n - np.arange(len(acf)))     # undo the estimator's (n-k)/n shrinkage
    width = max(1, len(acf) // 100)
    smooth = acf
    if width > 1:      # a centred moving average; acf(-k) = acf(k) pads the left end
        padded = np.r_[acf[width:0:-1], acf, np.full(width, acf[-1])]
        smooth = np.convolve(padded, np.ones(width) / width, mode="same")[width:-width]
    noise = 2 / np.sqrt(n)
    candidates = []
    for k in range(2, len(smooth) - 1):
        if smooth[k] > smooth[k - 1] and smooth[k] >= smooth[k + 1] and smooth[k] > noise:
            if smooth[k] - smooth[1:k].min() >= MIN_PROMINENCE:
                candidates.append(k)
    if not candidates:
        return None
    best = max(smooth[k] for k in candidates)
    for k in candidates:
        if smooth[k] >= 0.8 * best:
            # the raw maximum near the smoothed one
            low, high = max(2, k - width), min(len(acf) - 1, k + width)
            return int(low + np.argmax(acf[low:high + 1]))
    return None


def suggest_lookback(values, period=None):
    """The autocorrelation's suggestion: the period if given (and at most
    :data:`LONGEST_SUGGESTED_PERIOD`), else the last significant partial-autocorrelation
    lag."""
    if period and period <= LONGEST_SUGGESTED_PERIOD:
        return int(period)
    x = _detrended(values)
    n = len(x)
    if n < 4:
        return 1
    max_lag = max(1, min(MAX_SUGGESTED_LOOKBACK, n // 4))
    pacf = partial_autocorrelation(autocorrelation(x, max_lag), max_lag)
    band, order, quiet = 2 / np.sqrt(n), 1, 0
    for k in range(1, len(pacf)):
        if abs(pacf[k]) > band:
            order, quiet = k, 0
        else:
            quiet += 1
            if quiet == 3:
                break
    return order


def choose_lookback(period, suggested):
    """``(lookback, reason)``: the lookback the automatic pipeline chooses for a series with
    the detected ``period`` (None: none) and the autocorrelation's ``suggested`` lookback
    (:func:`suggest_lookback`).

    The detected period when it is at most :data:`MAX_PERIOD_LOOKBACK` rows (the window sees
    one whole cycle), else the suggested lookback, at least :data:`MIN_LOOKBACK` and at most
    :data:`MAX_LOOKBACK`.
    """
    if period and 2 <= period <= MAX_PERIOD_LOOKBACK:
        return int(period), f"the detected period of {period} rows"
    suggested = int(suggested or 1)
    lookback = min(max(suggested, MIN_LOOKBACK), MAX_LOOKBACK)
    why = "no period detected" if not period else f"the period of {period} rows is long"
    return lookback, f"{why}; the autocorrelation suggests {suggested}"


def automatic_lookback(values, period=None):
    """The lookback :func:`choose_lookback` chooses for one series ``values`` with the
    detected ``period``: what the data page suggests, the same as the automatic pipeline
    (before it shortens a lookback longer than a quarter of the rows)."""
    return choose_lookback(period, suggest_lookback(values, period))[0]


def series_report(frame, targets, inputs=(), max_lag=None, step=None):
    """Everything the GUI/command line shows about the chosen variables::

        {"variables": summary(...),
         "targets": {name: {"acf": [...], "period": int|None, "suggested_lookback": int,
                            "cross_correlation": {input: {"ccf": [...], "best_lag": k}}}},
         "period": int|None, "suggested_lookback": int}

    The overall period/lookback are those of the first target (the longest lookback if
    several targets). ``step``: the time column's step (snaps periods to the calendar).
    """
    for name in list(targets) + list(inputs):
        check_magnitude(pd.to_numeric(frame[name], errors="coerce"), f"Column {name!r}")
    report = {"variables": summary(frame, list(inputs) + [t for t in targets
                                                           if t not in inputs]),
              "targets": {}}
    periods, lookbacks = [], []
    for name in targets:
        y = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        period = detect_period(y, step)
        lookback = suggest_lookback(y, period)
        entry = {"acf": autocorrelation(y, max_lag or min(len(y) - 1, 100)).tolist(),
                 "period": period, "suggested_lookback": lookback,
                 "cross_correlation": {}}
        for inp in inputs:
            if inp == name or not pd.api.types.is_numeric_dtype(frame[inp]):
                continue
            ccf = cross_correlation(frame[inp].to_numpy(dtype=float), y, max_lag)
            entry["cross_correlation"][inp] = {"ccf": ccf.tolist(),
                                               "best_lag": int(np.argmax(np.abs(ccf)))}
        report["targets"][name] = entry
        periods.append(period)
        lookbacks.append(lookback)
    report["period"] = periods[0] if periods else None
    report["suggested_lookback"] = max(lookbacks) if lookbacks else 1
    return report


@dataclass
class DataStatistics:
    """The figures of ``table`` for ``target`` (None: no numeric target) and ``lookback``.

    summary : ``{column name: {"missing", "minimum", "maximum", "mean", "std"}}``
    acf : autocorrelation of the target at lags ``0..max_lag`` (shape ``(max_lag + 1,)``)
    period : the detected season length in rows, or None
    suggested : the suggested lookback
    """

    table: object
    target: object
    lookback: int
    summary: dict
    acf: object = None
    period: object = None
    suggested: object = None


def page_lags(n, lookback):
    """The last autocorrelation lag the data page shows for ``n`` values and ``lookback``."""
    return int(min(n - 1, max(PAGE_MIN_LAGS, PAGE_LAGS_PER_LOOKBACK * lookback),
                   PAGE_MAX_LAGS))


def page_statistics(table, target, lookback, task=None):
    """The :class:`DataStatistics` of a loaded :class:`~engine.data.Table` (the slow part
    of showing the data page: every column is read, the target's autocorrelation is an
    FFT). A cancelled ``task`` stops it between those steps
    (:class:`engine.tasks.Cancelled`)."""
    task = as_task(task)
    columns = {entry["name"]: entry for entry in summary(table.frame)}
    if target is None:
        return DataStatistics(table, target, lookback, columns)
    task.check()
    values = table.frame[target].to_numpy(dtype=float)
    period = detect_period(values, table.time_step())
    task.check()
    return DataStatistics(table, target, lookback, columns,
                          autocorrelation(values, page_lags(len(values), lookback)),
                          period, automatic_lookback(values, period))
