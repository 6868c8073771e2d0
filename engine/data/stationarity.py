"""Whether a series' level drifts: the KPSS test of level stationarity (statsmodels).

A seasonal target whose level drifts (a trend, or a random walk's wandering) was forecast
better from its changes than from its level on the development suite: a model of the level,
fitted on the rows before the testing part, pulls its forecasts back toward the levels it was
fitted on. The automatic choice of the target transform therefore leaves the transform
"none" out when a seasonal difference is among its candidates and a target drifts, as
``auto.arima`` chooses its order of differencing by this test (Hyndman & Khandakar,
"Automatic time series forecasting", Journal of Statistical Software 27, 2008). Without a
season the level stays a candidate: there the only other one, the first difference, lost
more than it gained (benchmarks/results.md, "A seasonal target whose level drifts is
forecast from its changes").

The test also rejects a level that stays but moves slowly: of 200 samples of a stationary
AR(1) with coefficient 0.9 it rejected 39% at 100 values, 25% at 300 and 14% at 1,000.

The KPSS test (Kwiatkowski, Phillips, Schmidt & Shin, 1992) of ``n`` values ``y_t``, with
``e_t = y_t - mean(y)`` and the partial sums ``S_t = e_1 + ... + e_t``::

    statistic = sum_t S_t^2 / (n^2 sigma^2)

``sigma^2`` the long-run variance of ``e`` (Newey-West weights over the lags statsmodels
chooses from the data). Its null hypothesis is a level that stays (stationarity around a
constant); a large statistic rejects it. statsmodels reads the p-value from the test's
table, which spans 0.01 to 0.10.
"""

import warnings

import numpy as np

from engine.data.column_types import column_numbers

DRIFT_P = 0.05            # a p-value below this rejects a level that stays
MIN_VALUES = 20           # fewer known values: no test (the table's asymptotics need more)


def level_drift(values):
    """The KPSS p-value of ``values`` (n,) when it rejects a level that stays (below
    :data:`DRIFT_P`), else None; None too for fewer than :data:`MIN_VALUES` known values or
    a constant series. Missing values (NaN) are left out."""
    from statsmodels.tsa.stattools import kpss

    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) < MIN_VALUES or np.ptp(values) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")    # "p-value outside the table": 0.01 / 0.10 given
        p_value = float(kpss(values, regression="c", nlags="auto")[1])
    return p_value if p_value < DRIFT_P else None


def drifting_targets(frame, names):
    """``{name: p-value}`` of the columns ``names`` of ``frame`` whose level drifts
    (:func:`level_drift`)."""
    found = {}
    for name in names:
        p_value = level_drift(column_numbers(frame[name]))
        if p_value is not None:
            found[name] = p_value
    return found
