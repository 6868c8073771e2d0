"""The naive baselines every score is shown beside: persistence and seasonal naive.

For a row ``r`` predicted when the last known row is ``t`` (``t = r - 1`` one step ahead,
the anchor for a network's direct step, ``s - 1`` for a recursive forecast from ``s``):

* persistence: ``y^_r = y_t``, the last known value;
* seasonal naive (with a period ``P >= 2``): ``y^_r = y_(t - P + 1 + (r - t - 1) mod P)``,
  the value one or more whole periods before ``r`` in the last known cycle; one step ahead
  that is ``y_(r-P)``, for a recursive forecast from ``s`` it is ``y_(s-P + (r-s) mod P)``.

Across a gap in time (missing time steps) seasonal naive counts time steps, not rows: its
value is the row one or more whole periods before ``r`` in time, in the last cycle before
``t`` (the latest earlier cycle when the gap left that time out). Persistence's last known
value is the one before the gap; the testing figures never score a row on the other side of
a gap from ``t``, since the network predicts none there.

The period ``P`` is the model's season length when it has one, else the season detected in
the target's rows before the testing part (:func:`season_length`), so that a weekly season
of daily data gets its seasonal naive even when nobody set a season length.

The evaluation, the testing analysis (and so the report) and the fit's remark use these
functions and nothing else.
"""

import numpy as np

from engine.data.statistics import detect_period
from engine.testing.metrics import score

NO_SEASON = "no season found in the data"


def season_length(period, levels, end, step=None):
    """The seasonal naive's period: the model's ``period`` when set, else the season
    :func:`~engine.data.statistics.detect_period` finds (with the time ``step``) in the
    first target's ``levels`` (n, k) before row ``end``; None when there is none
    (:data:`NO_SEASON`)."""
    if period and int(period) >= 2:
        return int(period)
    history = np.asarray(levels, dtype=float)[:max(int(end), 0)]
    if history.ndim == 2:
        history = history[:, 0]
    found = detect_period(history, step) if history.size else None
    return int(found) if found and found >= 2 else None


def baseline_lags(period):
    """``{name: lag}`` of the baselines a model with ``period`` gets: persistence (lag 1)
    always, seasonal naive (lag ``P``) with a period of at least 2."""
    lags = {"persistence": 1}
    if period and int(period) >= 2:
        lags["seasonal_naive"] = int(period)
    return lags


def naive_guesses(levels, target_rows, known_rows, lag, positions=None):
    """Naive predictions (shape of ``target_rows`` + (k,)) of ``target_rows`` from the last
    known rows ``known_rows`` (same shape) with the values ``levels`` (n, k): ``lag = 1``
    persistence, ``lag = P`` seasonal naive (module docstring) at the rows' ``positions``
    in time steps (:attr:`engine.data.preprocessing.Encoded.positions`; None: the row
    numbers). NaN where the source row is outside the data."""
    target_rows = np.asarray(target_rows)
    known_rows = np.asarray(known_rows)
    if lag == 1:
        source = known_rows
    elif positions is None:
        source = known_rows - lag + 1 + (target_rows - known_rows - 1) % lag
    else:
        source = seasonal_sources(positions, target_rows, known_rows, lag)
    out = np.full(target_rows.shape + (levels.shape[1],), np.nan)
    inside = (source >= 0) & (source < len(levels))
    out[inside] = levels[source[inside]]
    return out


def seasonal_sources(positions, target_rows, known_rows, lag):
    """The rows seasonal naive reads (shape of ``target_rows``; -1 where none): the row at
    position ``p_t - P + 1 + (p_r - p_t - 1) mod P`` (``p`` the rows' ``positions`` in time
    steps, rows past the data one step apart), else a whole period earlier while the data
    has no row there."""
    positions = np.asarray(positions, dtype=np.int64)
    n = len(positions)

    def place(rows):
        rows = np.asarray(rows, dtype=np.int64)
        inside = np.clip(rows, 0, n - 1)
        return positions[inside] + np.where(rows >= n, rows - (n - 1), 0)

    p_known = place(known_rows)
    wanted = p_known - lag + 1 + (place(target_rows) - p_known - 1) % lag
    source = np.full(wanted.shape, -1, dtype=np.int64)
    open_ = (wanted >= positions[0]) if n else np.zeros(wanted.shape, dtype=bool)
    while open_.any():
        at = np.searchsorted(positions, wanted[open_])
        hit = (at < n) & (positions[np.minimum(at, n - 1)] == wanted[open_])
        found = np.zeros(wanted.shape, dtype=bool)
        found[open_] = hit
        source[found] = at[hit]
        open_ &= ~found
        wanted = wanted - lag
        open_ &= wanted >= positions[0]
    return source


def baseline_scores(levels, truth, target_rows, known_rows, period, names, scale=None,
                    positions=None):
    """``{name: Scores}`` of each baseline of :func:`baseline_lags` predicting
    ``target_rows`` (m,) from ``known_rows`` (m,) against ``truth`` (m, k) (see
    :func:`engine.testing.metrics.score`; None for a baseline without a finite row), the
    seasonal naive one at the rows' ``positions`` in time (:func:`naive_guesses`)."""
    return {name: score(truth, naive_guesses(levels, target_rows, known_rows, lag,
                                             positions), names, scale)
            for name, lag in baseline_lags(period).items()}


def baselines(levels, rows, start, period, recursive, names, scale=None, truth=None,
              positions=None):
    """``{name: Scores}`` of the baselines on ``rows`` (m,) of ``levels`` (n, k): one step
    ahead (the last known row ``r - 1``) or, with ``recursive``, from the forecast start
    ``start`` (the last known row ``start - 1`` for every row), against ``truth`` (n, k;
    default ``levels``; :attr:`engine.data.preprocessing.Encoded.truth`), at the rows'
    ``positions`` in time (:func:`naive_guesses`)."""
    rows = np.asarray(rows)
    known = np.full(rows.shape, start - 1) if recursive else rows - 1
    truth = levels if truth is None else truth
    return baseline_scores(levels, truth[rows], rows, known, period, names, scale,
                           positions)
