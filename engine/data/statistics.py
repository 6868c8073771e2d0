"""Statistics for the GUI and the command line: per-variable summaries, autocorrelation of
the targets, cross-correlation of the inputs with the targets, a detected period and a
suggested lookback.

Autocorrelation at lag ``k`` of a series ``x`` (n values, mean ``m``)::

    acf(k) = sum_{t=k}^{n-1} (x_t - m)(x_(t-k) - m) / sum_t (x_t - m)^2

computed for all lags at once with an FFT. Cross-correlation of input ``x`` with target
``y`` at lag ``k >= 0`` is the Pearson correlation of ``x_(t-k)`` with ``y_t`` (the input
``k`` steps earlier). Missing values are linearly interpolated first (ends: nearest value).

Period: with a known time step, the calendar's cycles of that step come first (a day and a
week of hourly rows, a week and a year of daily rows, a year of weekly or monthly rows, ...;
:data:`CALENDAR_CYCLES`): the first at which the autocorrelation of the differenced series is
above ``2/sqrt(n)`` and a local peak is the period (:func:`calendar_candidate`). Otherwise
the autocorrelation of the series with its straight-line trend removed, rescaled by
``n/(n-k)`` (so distant lags are not pulled down), is smoothed lightly; among its local
maxima at lags ``2 <= k <= n/3`` (a season the rows hold at least three times,
:data:`SEASONS_SEEN`) that stand at least :data:`MIN_PROMINENCE` above the lowest value at
smaller lags and above the noise level ``max(2, sqrt(2 ln m)) / sqrt(n-k)`` (``m`` lags
read: the rescaled autocorrelation of white noise has a standard error of ``1/sqrt(n-k)``,
and the largest of ``m`` of them reaches about ``sqrt(2 ln m)`` of it by chance, so white
noise shows no season), the first one that reaches 80% of the highest is the period (so a
multiple of the period does not win). A period within 5% of a
calendar cycle of the step becomes that cycle: the peak of a yearly cycle in four years of
daily values is too broad to land on 365 by itself. So does a period within 10% of one
whose autocorrelation at the cycle is within a standard error (``1/sqrt(n-k)``) of the
peak's: the data cannot tell the two apart, and the calendar's cycle is the one that
repeats (three years of daily temperatures peak near 345 days, as high at 365).

The autocorrelation's suggested lookback (:func:`suggest_lookback`, the ``suggested_lookback``
of a report): the period when there is one of at most :data:`LONGEST_PERIOD_LOOKBACK` rows
(the window then sees a full cycle), else the last lag up to :data:`MAX_SUGGESTED_LOOKBACK`
whose partial autocorrelation exceeds ``2/sqrt(n)`` before three lags in a row do not (the
order an autoregression would need); at least 1.

The lookback the automatic pipeline chooses, and the one the data page suggests
(:func:`lookback_suggestion` and :func:`choose_lookback`; one rule for both, with the same
reason in words): the detected period when it is at most :data:`LONGEST_PERIOD_LOOKBACK`
rows, else the autocorrelation's suggestion kept between :data:`MIN_LOOKBACK` and
:data:`MAX_LOOKBACK`; lengthened to cover the longest of the inputs' lags (the lag at which
an input's differences correlate most with the target's, when ``|r| > LAG_BAND/sqrt(n)``,
:func:`input_lag`); at most the longest lookback for which the training rows give
:data:`WINDOWS_PER_VALUE` windows per value of a window (``lookback * inputs``,
:func:`lookback_cap`). Both constants were chosen with benchmarks/suggestions.py
(benchmarks/results.md, "Suggestions (lookback, period, steps ahead)").

The steps ahead worth forecasting (:func:`suggest_steps_ahead`): by the time column's
frequency (:data:`FREQUENCY_STEPS`), else the detected period, else 1; at most a tenth of
the rows.

What the data page shows of a table (:func:`page_statistics`, a :class:`DataStatistics`):
every column's summary and, for the first target, its autocorrelation up to lag
``min(n - 1, max(PAGE_MIN_LAGS, PAGE_LAGS_PER_LOOKBACK * lookback), PAGE_MAX_LAGS)``, the
detected period and the suggested lookback (:func:`automatic_lookback`).
"""

import dataclasses
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.data.column_types import column_numbers
from engine.data.csv_reader import require_columns
from engine.data.scaling import check_magnitude
from engine.data.splits import resolve_test_from, rows_before_testing
from engine.errors import EngineError
from engine.tasks import as_task

MIN_PROMINENCE = 0.1
MAX_SUGGESTED_LOOKBACK = 48
MAX_LAG = 1000
LONGER_CYCLE_SHARE = 0.75   # a longer cycle explains a quarter of what the others leave
SEASONS_SEEN = 3        # a season is looked for only at lags the rows hold three times
LONGEST_PERIOD_LOOKBACK = 60  # a detected season up to this many rows is the lookback
MIN_LOOKBACK = 12
MAX_LOOKBACK = 48
WINDOWS_PER_VALUE = 3         # training windows per value of a window (lookback * inputs)
LAG_BAND = 3.0                # an input's lag counts when |r| > LAG_BAND / sqrt(n)
CALENDAR_TOLERANCE = 0.05
CALENDAR_REACH = 0.10        # a calendar cycle as good as a period this near is the period
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
    ("business_days", 1): (5,),
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
        x = column_numbers(frame[name])
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
    """The dominant cycle length in rows (see the module docstring), or None. With the
    time ``step`` (a step dict), the calendar's cycles of that step come first
    (:func:`calendar_candidate`); otherwise the autocorrelation's peak, snapped to a
    calendar cycle (:func:`calendar_period`)."""
    found = calendar_candidate(values, step)
    if found:
        return found
    period = autocorrelation_period(values)
    return as_good_cycle(values, period, step) or calendar_period(period, step)


def as_good_cycle(values, period, step):
    """The calendar cycle of the time ``step`` within :data:`CALENDAR_REACH` of
    ``period`` at which the detrended values' autocorrelation (corrected for the
    estimator's shrinkage) is within one standard error ``1/sqrt(n - cycle)`` of its value
    at ``period``, or None."""
    cycles = CALENDAR_CYCLES.get(((step or {}).get("unit"), (step or {}).get("size")), ())
    near = [c for c in cycles if period and abs(period - c) <= CALENDAR_REACH * c]
    if not near:
        return None
    x = _detrended(values)
    n = len(x)
    near = [c for c in near if c < n - 1]
    if not near:
        return None
    corrected = unshrunk_autocorrelation(x, max(near + [period]) + 1)
    for cycle in near:
        if corrected[cycle] >= corrected[period] - 1 / np.sqrt(n - cycle):
            return int(cycle)
    return None


def calendar_candidate(values, step):
    """The first calendar cycle of the time ``step`` (:data:`CALENDAR_CYCLES`, shortest
    first: 24 then 168 for hourly rows, 7 then 365 for daily rows, ...) at which the
    autocorrelation of the differenced series (so a trend or a slow wander does not count)
    is above ``2/sqrt(n)`` and at least as high as at the lags beside it; None when no
    cycle qualifies or the step has none."""
    cycles = CALENDAR_CYCLES.get(((step or {}).get("unit"), (step or {}).get("size")), ())
    x = np.diff(_filled(values))
    n = len(x)
    usable = [c for c in cycles if 2 * c + 1 < n]
    if not usable:
        return None
    acf = autocorrelation(x, max(usable) + 1)
    for cycle in usable:
        if acf[cycle] > 2 / np.sqrt(n) and acf[cycle] >= max(acf[cycle - 1], acf[cycle + 1]):
            return int(cycle)
    return None


def unshrunk_autocorrelation(x, max_lag):
    """The autocorrelation of ``x`` (n,) at lags 0..max_lag with the estimator's
    shrinkage ``(n - k) / n`` undone: ``r_k n / (n - k)``, (max_lag + 1,)."""
    acf = autocorrelation(x, max_lag)
    return acf * len(x) / (len(x) - np.arange(len(acf)))


def autocorrelation_period(values):
    """The autocorrelation's own period (module docstring), before any calendar cycle."""
    x = _detrended(values)
    n = len(x)
    if n < 8:
        return None
    acf = unshrunk_autocorrelation(x, min(n // 2, MAX_LAG))
    lags = np.arange(len(acf))
    width = max(1, len(acf) // 100)
    smooth = acf
    if width > 1:      # a centred moving average; acf(-k) = acf(k) pads the left end
        padded = np.r_[acf[width:0:-1], acf, np.full(width, acf[-1])]
        smooth = np.convolve(padded, np.ones(width) / width, mode="same")[width:-width]
    # white noise's corrected acf(k) has a standard error of 1/sqrt(n - k); the largest of
    # L such values reaches about sqrt(2 ln L) of them by chance
    noise = max(2.0, np.sqrt(2 * np.log(max(len(acf), 2)))) / np.sqrt(n - lags)
    candidates = []
    for k in range(2, min(len(smooth) - 1, n // SEASONS_SEEN + 1)):
        if smooth[k] > smooth[k - 1] and smooth[k] >= smooth[k + 1] and smooth[k] > noise[k]:
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


def longer_cycle(values, period):
    """A cycle of a whole number of ``period`` rows (2 or more periods, at lags the rows
    hold :data:`SEASONS_SEEN` times) at which the detrended values' autocorrelation
    (corrected for the estimator's shrinkage, as :func:`autocorrelation_period` reads it)
    stands out from the other multiples of the period (the period itself included, its
    own multiples not): it leaves unexplained (``1 - r``) at most
    :data:`LONGER_CYCLE_SHARE` of what the best of them leaves. Hourly rows with a weekly
    cycle over their daily one give 168 for 24; a clean yearly cycle, whose multiples all
    correlate about alike, gives none. None too when the rows hold fewer than three
    multiples to compare. The backtest of the automatic choices then decides between the
    two (:func:`engine.training.fitting.automatic_choices`)."""
    if not period or period < 2:
        return None
    x = _detrended(values)
    n = len(x)
    lags = np.arange(period, n // SEASONS_SEEN + 1, period)
    if lags.size < 3:
        return None
    corrected = unshrunk_autocorrelation(x, int(lags[-1]))[lags]
    best = 1 + int(np.argmax(corrected[1:]))
    others = lags % lags[best] != 0                  # multiples of the cycle are the cycle
    left = 1.0 - corrected[others].max()
    longer_left = 1.0 - corrected[best]
    return int(lags[best]) if 0 < longer_left <= LONGER_CYCLE_SHARE * left else None


def suggest_lookback(values, period=None):
    """The autocorrelation's suggestion: the period if given (and at most
    :data:`LONGEST_PERIOD_LOOKBACK`), else the last significant partial-autocorrelation
    lag."""
    if period and period <= LONGEST_PERIOD_LOOKBACK:
        return int(period)
    return pacf_order(values)


def pacf_order(values):
    """The last significant partial-autocorrelation lag (module docstring), at least 1."""
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


def lookback_cap(training_rows, n_inputs=1, horizon=1):
    """The longest lookback ``L`` whose training windows (``training_rows - L - horizon +
    1``) number at least :data:`WINDOWS_PER_VALUE` times the values of a window
    (``L * n_inputs``); None when ``training_rows`` is unknown; at least 1."""
    if not training_rows:
        return None
    room = int(training_rows) - max(int(horizon), 1) + 1
    return max(1, int(room // (WINDOWS_PER_VALUE * max(int(n_inputs), 1) + 1)))


def choose_lookback(period, suggested, training_rows=None, n_inputs=1, input_lag=None,
                    horizon=1, step=None):
    """``(lookback, reason)``: the lookback the automatic pipeline chooses and the data page
    suggests, with the reason in the words both show.

    period : the detected season (None: none); suggested : the autocorrelation's
    suggestion (:func:`suggest_lookback`); training_rows : the rows of the training part
    (None: no cap); n_inputs : input columns per time step; input_lag : ``(lag, name)`` of
    the input lag to cover (:func:`lag_to_cover`) or None; horizon : steps ahead; step :
    the time column's step, to name the season in calendar words (:func:`season_words`).

    The season when it is at most :data:`LONGEST_PERIOD_LOOKBACK` rows (the window sees one
    whole cycle), else the suggestion kept between :data:`MIN_LOOKBACK` and
    :data:`MAX_LOOKBACK`; lengthened to cover ``input_lag``; at most
    :func:`lookback_cap` of the training rows. The reason goes one way: a lookback the cap
    keeps from being raised or lengthened is said to be raised (kept, or lowered rather than
    raised) only as far as the cap, and why, once.
    """
    cap = lookback_cap(training_rows, n_inputs, horizon)
    capped = _CappedReason(cap, training_rows, n_inputs, horizon)
    length, cycle = season_words(period, step)
    if period and 2 <= period <= LONGEST_PERIOD_LOOKBACK:
        lookback, why = int(period), f"{length}, {cycle} found in the data"
    else:
        suggested = int(suggested or 1)
        lookback = min(max(suggested, MIN_LOOKBACK), MAX_LOOKBACK)
        why = "no season found in the data" if not period else \
            f"{cycle} found in the data, {period} rows, is longer than " \
            f"{LONGEST_PERIOD_LOOKBACK}"
        why += f"; the partial autocorrelation suggests {suggested}"
        if lookback < suggested:
            why += f", lowered to {lookback}, the longest this choice gives"
        elif lookback > suggested:
            lookback, raised = capped.lengthened(
                suggested, lookback, f", raised to {lookback}, the shortest this choice gives",
                f", raised to {{}} rather than {lookback} (the shortest this choice gives)",
                f", kept rather than raised to {lookback} (the shortest this choice gives)",
                f", lowered to {{}} rather than raised to {lookback} (the shortest this choice "
                "gives)")
            why += raised
    if input_lag:
        lag, name = input_lag
        cover = f"the lag {lag} at which '{name}' correlates most with the target"
        if lag > lookback:
            lookback, lengthened = capped.lengthened(
                lookback, int(lag), f"; lengthened to {lag} to cover {cover}",
                f"; lengthened to {{}} rather than {lag} (to cover {cover})",
                f"; not lengthened to {lag} (to cover {cover})")
            why += lengthened
        else:
            why += f"; covers {cover}"
    if cap is not None and lookback > cap:
        lookback = cap
        why += f"; shortened to {cap}" + capped.because()
    return lookback, why


class _CappedReason:
    """The words of :func:`choose_lookback` on the cap of :func:`lookback_cap` (``cap``,
    None: none) for ``training_rows`` rows: why it holds the lookback (:meth:`because`,
    said once) and how far a lengthening goes under it (:meth:`lengthened`)."""

    def __init__(self, cap, training_rows, n_inputs, horizon):
        self.cap, self.rows = cap, training_rows
        self.windows = None if cap is None else \
            int(training_rows) - cap - max(int(horizon), 1) + 1
        self.wanted = None if cap is None else WINDOWS_PER_VALUE * cap * max(int(n_inputs), 1)
        self.said = False

    def because(self):
        """" so that the 14 training rows give enough windows (...)", or ", and still the 3
        training rows give 2 windows, fewer than ... give the training part more rows";
        "" when said before."""
        if self.said:
            return ""
        self.said = True
        if self.windows >= self.wanted:
            return (f" so that the {self.rows} training rows give enough windows (at least "
                    f"{WINDOWS_PER_VALUE} for each value a window holds)")
        return (f", and still the {self.rows} training rows give {max(self.windows, 0)} "
                f"windows, fewer than the {self.wanted} wanted: give the training part more "
                "rows")

    def lengthened(self, lookback, wanted, full, partly, kept, lowered=None):
        """``(lookback, words)``: ``lookback`` lengthened to ``wanted`` (the words ``full``)
        when the cap allows; else to the cap (``partly``, formatted with it) when that is
        longer than ``lookback``, or left (``kept``) when it equals it, with why. Under
        ``lookback``, the cap is the lookback said by ``lowered`` (formatted with it), with
        why; without ``lowered``, ``lookback`` is left (``kept``) for the caller to shorten."""
        if self.cap is None or wanted <= self.cap:
            return wanted, full
        if self.cap > lookback:
            return self.cap, partly.format(self.cap) + self.because()
        if self.cap < lookback and lowered:
            return self.cap, lowered.format(self.cap) + self.because()
        return lookback, kept + (self.because() if self.cap == lookback else "")


def short_reason(reason):
    """A reason of :func:`choose_lookback` in fewer words, for a page to show (the whole is
    for a tooltip): what was found, the clause that says why the training rows cap the
    lookback (:meth:`_CappedReason.because`) when there is one, and what set the value
    last (not a lag the value "covers" already: the inputs' lags are shown beside it),
    without their parentheses; the clauses between them ("; "-separated) become "...".
    E.g. "no season found in the data; ...; shortened to 3 so that the 122 training rows
    give enough windows"."""
    clauses = reason.split("; ")
    last = len(clauses) - 1
    if last > 0 and clauses[last].startswith("covers "):
        clauses, last = clauses[:-1], last - 1
    kept = {0, last} | {
        i for i, clause in enumerate(clauses) if " training rows give " in clause}
    words, last = [], -1
    for i in sorted(kept):
        words += ["..."] * (i > last + 1) + [re.sub(r" \([^()]*\)", "", clauses[i])]
        last = i
    return "; ".join(words)


def rows_word(step):
    """The rows of a time ``step`` in words: "hourly rows", "10-minute rows", "2-hour rows",
    "14-day rows", "monthly rows", ...; "rows" for a step without a calendar name."""
    unit, size = (step or {}).get("unit"), (step or {}).get("size")
    if unit == "months":
        return {1: "monthly rows", 3: "quarterly rows", 12: "yearly rows"}.get(
            size, f"{size}-month rows")
    if unit == "business_days":
        return "business-day rows" if size == 1 else f"{size}-business-day rows"
    if unit != "nanoseconds" or not size:
        return "rows"
    seconds = size / 10**9
    named = {3_600: "hourly", 86_400: "daily", 7 * 86_400: "weekly"}
    if seconds in named:
        return f"{named[seconds]} rows"
    for unit_seconds, word in ((86_400, "day"), (3_600, "hour"), (60, "minute")):
        if seconds % unit_seconds == 0:
            return f"{int(seconds // unit_seconds)}-{word} rows"
    return f"{seconds:g}-second rows"


# The calendar's cycles by their length: (seconds or months, name, adjective).
_CYCLE_NAMES = (("seconds", 86_400, "day", "daily"), ("seconds", 7 * 86_400, "week", "weekly"),
                ("months", 12, "year", "yearly"))
_YEAR_DAYS = (365, 365.25, 366)   # a year of rows: the rows nearest to these days
_YEAR_TOLERANCE = 0.01            # ... that span them to within 1%


def _a_year_of_rows(period, seconds):
    """Whether ``period`` rows of ``seconds`` each are a year: the whole number of rows
    nearest to 365, 365.25 or 366 days, when they span it to within 1% (365 or 366 daily
    rows; 52 weekly rows, whose 364 days are as near to a year as weeks come; 8,760, 8,766
    or 8,784 hourly rows; not 2 rows of 200 days)."""
    return any(period == round(days * 86_400 / seconds) and
               abs(period * seconds / 86_400 - days) <= _YEAR_TOLERANCE * days
               for days in _YEAR_DAYS)


def season_words(period, step):
    """``(length, cycle)``: a season of ``period`` rows of the time ``step`` in words, e.g.
    ``("one day of hourly rows", "the daily cycle")`` for 24 hourly rows, ``("one year of
    weekly rows", "the yearly cycle")`` for 52 weekly rows, or ``("a season of 11 rows",
    "the season")`` when it is not a cycle of the calendar."""
    unit, size = (step or {}).get("unit"), (step or {}).get("size")
    if unit == "business_days" and period and period * size == 5:
        return f"one week of {rows_word(step)}", "the weekly cycle"
    if period and unit in ("nanoseconds", "months") and size:
        span = ("seconds", period * size / 10**9) if unit == "nanoseconds" else \
            ("months", period * size)
        named = [(name, adjective) for kind, length, name, adjective in _CYCLE_NAMES
                 if span == (kind, length)]
        if not named and unit == "nanoseconds" and _a_year_of_rows(period, size / 10**9):
            named = [("year", "yearly")]
        for name, adjective in named:
            return f"one {name} of {rows_word(step)}", f"the {adjective} cycle"
    return f"a season of {period} rows", "the season"


def automatic_lookback(values, period=None, training_rows=None):
    """The lookback :func:`choose_lookback` chooses for one series ``values`` with the
    detected ``period`` and no other input (``training_rows``: see there)."""
    return choose_lookback(period, suggest_lookback(values, period), training_rows)[0]


def input_lag(inputs, target, max_lag):
    """``(lag, r)``: the lag ``k`` in ``1..max_lag`` at which the differenced input
    correlates most with the differenced target (:func:`cross_correlation`; differences,
    so that two trends do not look related), with ``r`` that correlation; None when it is
    not above ``LAG_BAND/sqrt(n)`` (:data:`LAG_BAND`)."""
    x, y = np.diff(_filled(inputs)), np.diff(_filled(target))
    n = min(len(x), len(y))
    if n < 8 or max_lag < 1:
        return None
    ccf = cross_correlation(x, y, max_lag)[1:]
    if not ccf.size:
        return None
    k = int(np.argmax(np.abs(ccf)))
    return (k + 1, float(ccf[k])) if abs(ccf[k]) > LAG_BAND / np.sqrt(n) else None


def input_lags(frame, target, inputs, max_lag):
    """``{input: (lag, r) or None}`` (:func:`input_lag`) of the numeric ``inputs`` of
    ``frame`` other than ``target``."""
    y = column_numbers(frame[target])
    return {name: input_lag(column_numbers(frame[name]), y, max_lag)
            for name in inputs if name != target and
            pd.api.types.is_numeric_dtype(frame[name])}


def lag_to_cover(lags):
    """``(lag, name)``: the longest of the inputs' ``lags`` (:func:`input_lags`), or None."""
    found = [(found[0], name) for name, found in lags.items() if found]
    return max(found, key=lambda item: item[0]) if found else None


def training_rows(n_rows, fractions=(0.6, 0.2, 0.2), test_row=None):
    """About how many rows the training part has: the training share of the rows before
    the testing start ``test_row`` (split training : selection as ``fractions``), or of all
    ``n_rows`` without one."""
    if test_row is not None:
        share = fractions[0] / max(fractions[0] + fractions[1], 1e-12)
        return max(1, int(round(share * min(int(test_row), n_rows))))
    return max(1, int(round(fractions[0] * n_rows)))


def lookback_suggestion(frame, target, inputs=(), rows=None, horizon=1, period=None,
                        step=None):
    """``(lookback, reason, lags)``: :func:`choose_lookback` for the ``target`` column of
    ``frame`` read with the ``inputs`` (names of the other input columns), ``rows``
    training rows (None: no cap) and ``horizon``; ``period``: the detected one (None:
    detected here with the time ``step``); ``lags``: :func:`input_lags`."""
    y = column_numbers(frame[target])
    if period is None:
        period = detect_period(y, step)
    n_inputs = 1 + len([name for name in inputs if name != target])
    cap = lookback_cap(rows, n_inputs, horizon)
    longest = min(cap or MAX_LOOKBACK, max(MAX_LOOKBACK, LONGEST_PERIOD_LOOKBACK))
    lags = input_lags(frame, target, inputs, longest)
    lookback, why = choose_lookback(period, suggest_lookback(y, period), rows, n_inputs,
                                    lag_to_cover(lags), horizon, step)
    return lookback, why, lags


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
        y = column_numbers(frame[name])
        period = detect_period(y, step)
        lookback = suggest_lookback(y, period)
        entry = {"acf": autocorrelation(y, max_lag or min(len(y) - 1, 100)).tolist(),
                 "period": period, "suggested_lookback": lookback,
                 "cross_correlation": {}}
        for inp in inputs:
            if inp == name or not pd.api.types.is_numeric_dtype(frame[inp]):
                continue
            ccf = cross_correlation(column_numbers(frame[inp]), y, max_lag)
            entry["cross_correlation"][inp] = {"ccf": ccf.tolist(),
                                               "best_lag": int(np.argmax(np.abs(ccf)))}
        report["targets"][name] = entry
        periods.append(period)
        lookbacks.append(lookback)
    report["period"] = periods[0] if periods else None
    report["suggested_lookback"] = max(lookbacks) if lookbacks else 1
    return report


# The steps ahead worth forecasting by frequency: (steps, the words for them).
FREQUENCY_STEPS = {"hourly": (24, "a day of hourly rows"), "daily": (7, "a week of daily rows"),
                   "business daily": (5, "a week of business-day rows"),
                   "weekly": (13, "a quarter of weekly rows"),
                   "monthly": (12, "a year of monthly rows"),
                   "quarterly": (8, "two years of quarterly rows"),
                   "yearly": (5, "five years of yearly rows")}
SHORT_QUARTERLY_ROWS = 80     # below: 4 steps (a year) of quarterly rows
STEPS_SHARE = 10              # steps ahead at most a tenth of the rows
_FREQUENCIES = {("nanoseconds", 3_600 * 10**9): "hourly", ("nanoseconds", _DAY_NS): "daily",
                ("nanoseconds", 7 * _DAY_NS): "weekly", ("months", 1): "monthly",
                ("months", 3): "quarterly", ("months", 12): "yearly",
                ("business_days", 1): "business daily"}


def frequency(step, times=None):
    """"hourly", "daily", "business daily", "weekly", "monthly", "quarterly" or "yearly" for a time ``step``
    (a step dict), else None; whole numbers one apart between 1000 and 2500 in ``times``
    (the time column, optional) are years."""
    if not step:
        return None
    found = _FREQUENCIES.get((step.get("unit"), step.get("size")))
    if found is None and step.get("unit") == "number" and step.get("size") == 1 and \
            times is not None and len(times):
        values = pd.to_numeric(pd.Series(times), errors="coerce").to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if values.size and np.all(values == np.round(values)) and \
                values.min() >= 1000 and values.max() <= 2500:
            found = "yearly"
    return found


def suggest_steps_ahead(n_rows, step=None, period=None, times=None):
    """``(steps, reason)``: the steps ahead worth forecasting: by the time column's
    frequency (:data:`FREQUENCY_STEPS`; :func:`frequency`), else the detected ``period``,
    else 1; at most a tenth of the ``n_rows`` (:data:`STEPS_SHARE`)."""
    kind = frequency(step, times)
    if kind == "quarterly" and n_rows < SHORT_QUARTERLY_ROWS:
        steps, why = 4, "a year of quarterly rows"
    elif kind is not None:
        steps, why = FREQUENCY_STEPS[kind]
    elif period and period >= 2:
        steps, why = int(period), season_words(period, step)[0]
    else:
        return 1, "the next row: no calendar step or season found"
    most = max(1, int(n_rows) // STEPS_SHARE)
    if steps > most:
        why += f", shortened to {most}, a tenth of the {n_rows} rows"
        steps = most
    return steps, why


@dataclass
class DataStatistics:
    """The figures of ``table`` for ``target`` (None: no numeric target) and ``lookback``.

    summary : ``{column name: {"missing", "minimum", "maximum", "mean", "std"}}``
    acf : autocorrelation of the target at lags ``0..max_lag`` (shape ``(max_lag + 1,)``)
    period : the detected season length in rows, or None
    suggested : the suggested lookback; reason : its reason (:func:`choose_lookback`)
    lags : ``{input: (lag, r) or None}`` (:func:`input_lags`)
    steps, steps_reason : the suggested steps ahead (:func:`suggest_steps_ahead`)
    settings : what the suggestion depends on (:func:`suggestion_settings`)
    """

    table: object
    target: object
    lookback: int
    summary: dict
    acf: object = None
    period: object = None
    suggested: object = None
    reason: str = ""
    lags: dict = None
    steps: object = None
    steps_reason: str = ""
    settings: object = None


def page_lags(n, lookback):
    """The last autocorrelation lag the data page shows for ``n`` values and ``lookback``."""
    return int(min(n - 1, max(PAGE_MIN_LAGS, PAGE_LAGS_PER_LOOKBACK * lookback),
                   PAGE_MAX_LAGS))


def suggestion_settings(config):
    """What of a :class:`~engine.data.DatasetConfig` the suggestions depend on: the numeric
    inputs, the horizon and the split (a hashable tuple; None for no configuration)."""
    if config is None:
        return None
    inputs = tuple(v.name for v in config.inputs if v.type in ("numeric", "binary"))
    test_from = config.split.test_from
    return (inputs, int(config.horizon), tuple(config.split.fractions),
            str(test_from) if test_from is not None else None)


def table_training_rows(table, config):
    """:func:`training_rows` of ``table`` split as ``config`` says (the testing start
    resolved on the time column; the shares alone when it cannot be)."""
    n = len(table.frame)
    test_row = None
    if config.split.test_from is not None:
        times = table.frame[table.time_column] if table.time_column else None
        try:
            test_row = resolve_test_from(config.split.test_from, times,
                                         table.frame.attrs.get("time_zone"))
        except EngineError:
            test_row = None
    return training_rows(n, config.split.fractions, test_row)


def history_table(table, config):
    """``table`` (a :class:`~engine.data.Table`) cut to its rows before the testing part of
    ``config``'s split (:func:`~engine.data.splits.rows_before_testing`): what the period
    and the lookback are chosen on, so that no choice looks at the testing rows."""
    times = table.frame[table.time_column] if table.time_column else None
    end = rows_before_testing(len(table.frame), config.split, times,
                              table.frame.attrs.get("time_zone"))
    if end >= len(table.frame):
        return table
    return dataclasses.replace(table, frame=table.frame.iloc[:end])


def page_statistics(table, target, lookback, task=None, config=None):
    """The :class:`DataStatistics` of a loaded :class:`~engine.data.Table` (the slow part
    of showing the data page: every column is read, the target's autocorrelation is an
    FFT) for the data-set ``config`` (its inputs, horizon and split; None: the target
    alone, no cap). A cancelled ``task`` stops it between those steps
    (:class:`engine.tasks.Cancelled`)."""
    task = as_task(task)
    columns = {entry["name"]: entry for entry in summary(table.frame)}
    settings = suggestion_settings(config)
    if target is None:
        return DataStatistics(table, target, lookback, columns, settings=settings)
    require_columns(table.frame, [target, *(settings[0] if settings else ())])   # renamed?
    task.check()
    frame, step = table.frame, table.time_step()
    if config is not None:                  # the choices never read the testing rows
        frame = history_table(table, config).frame
    values = column_numbers(frame[target])
    period = detect_period(values, step)
    task.check()
    inputs, horizon, rows = (), 1, None
    if config is not None:
        inputs, horizon = settings[0], max(settings[1], 1)
        rows = table_training_rows(table, config)
    suggested, reason, lags = lookback_suggestion(frame, target, inputs, rows, horizon,
                                                  period, step)
    times = table.frame[table.time_column] if table.time_column else None
    steps, steps_reason = suggest_steps_ahead(len(table.frame), step, period, times)
    return DataStatistics(table, target, lookback, columns,
                          autocorrelation(values, page_lags(len(values), lookback)),
                          period, suggested, reason, lags, steps, steps_reason, settings)
