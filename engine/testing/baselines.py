"""The naive baselines every score is shown beside: persistence and seasonal naive.

For a row ``r`` predicted when the last known row is ``t`` (``t = r - 1`` one step ahead,
the anchor for a network's direct step, ``s - 1`` for a recursive forecast from ``s``):

* persistence: ``y^_r = y_t``, the last known value;
* seasonal naive (with a period ``P >= 2``): ``y^_r = y_(t - P + 1 + (r - t - 1) mod P)``,
  the value one or more whole periods before ``r`` in the last known cycle; one step ahead
  that is ``y_(r-P)``, for a recursive forecast from ``s`` it is ``y_(s-P + (r-s) mod P)``.

The evaluation, the testing analysis (and so the report) and the fit's remark use these
functions and nothing else.
"""

import numpy as np

from engine.testing.metrics import score


def baseline_lags(period):
    """``{name: lag}`` of the baselines a model with ``period`` gets: persistence (lag 1)
    always, seasonal naive (lag ``P``) with a period of at least 2."""
    lags = {"persistence": 1}
    if period and int(period) >= 2:
        lags["seasonal_naive"] = int(period)
    return lags


def naive_guesses(levels, target_rows, known_rows, lag):
    """Naive predictions (shape of ``target_rows`` + (k,)) of ``target_rows`` from the last
    known rows ``known_rows`` (same shape) with the values ``levels`` (n, k): ``lag = 1``
    persistence, ``lag = P`` seasonal naive (module docstring). NaN where the source row
    is outside the data."""
    target_rows = np.asarray(target_rows)
    known_rows = np.asarray(known_rows)
    if lag == 1:
        source = known_rows
    else:
        source = known_rows - lag + 1 + (target_rows - known_rows - 1) % lag
    out = np.full(target_rows.shape + (levels.shape[1],), np.nan)
    inside = (source >= 0) & (source < len(levels))
    out[inside] = levels[source[inside]]
    return out


def baseline_scores(levels, truth, target_rows, known_rows, period, names, scale=None):
    """``{name: Scores}`` of each baseline of :func:`baseline_lags` predicting
    ``target_rows`` (m,) from ``known_rows`` (m,) against ``truth`` (m, k) (see
    :func:`engine.testing.metrics.score`; None for a baseline without a finite row)."""
    return {name: score(truth, naive_guesses(levels, target_rows, known_rows, lag), names,
                        scale)
            for name, lag in baseline_lags(period).items()}


def baselines(levels, rows, start, period, recursive, names, scale=None):
    """``{name: Scores}`` of the baselines on ``rows`` (m,) of ``levels`` (n, k): one step
    ahead (the last known row ``r - 1``) or, with ``recursive``, from the forecast start
    ``start`` (the last known row ``start - 1`` for every row)."""
    rows = np.asarray(rows)
    known = np.full(rows.shape, start - 1) if recursive else rows - 1
    return baseline_scores(levels, levels[rows], rows, known, period, names, scale)
