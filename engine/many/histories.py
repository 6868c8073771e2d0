"""How the testing scores of many series read each series before the rows they score, and
so how a classical method forecasts it (:mod:`engine.many.evaluation`,
:mod:`engine.many.method_forecasts`): the season ``m`` of the MASE's scale, Naive2 and Theta
(M4's, by the time step), the season seasonal naive repeats, and the history a comparator
is fitted on (after the last empty value and the last gap in time).
"""

import numpy as np


# The season of the MASE scale and of Naive2 in the M4 competition, by the time step
# (daily and weekly series were scored without a season there).
M4_SEASONS = {3_600 * 10**9: 24, 86_400 * 10**9: 1, 7 * 86_400 * 10**9: 1}
M4_MONTH_SEASONS = {1: 12, 3: 4, 12: 1}


def scoring_season(data, model):
    """The season ``m`` of the MASE scale and of Naive2: the M4 competition's for the time
    column's step (24 hourly, 1 daily and weekly, 12 monthly, 4 quarterly, 1 yearly), else
    the model's season."""
    if data.times is not None:
        step = data.time_step() or {}
        table = M4_MONTH_SEASONS if step.get("unit") == "months" else \
            M4_SEASONS if step.get("unit") == "nanoseconds" else {}
        if step.get("size") in table:
            return table[step["size"]]
    return int(model.scaling.season)


def naive_season(model, season):
    """The season the seasonal naive forecast repeats: the model's (found in the series, or
    given), else the scores' ``season`` (:func:`scoring_season`). M4 scores daily and weekly
    series with a season of 1, which would make it Naive1."""
    own = int(model.scaling.season or 1)
    return own if own >= 2 else int(season)


def comparator_history(data, i, end, target):
    """``(history, scaled, first, empty)`` of series ``i``'s rows before its row ``end``:
    ``history`` the values the comparators read, those after its last empty value and its
    last gap in time (an unbroken stretch, the rows the network reads from too);
    ``scaled`` the values of the MASE's scale, from row ``first`` (after its last empty
    value) on, gaps and all (the scale pairs values a season apart in time,
    :func:`~engine.many.metrics.mase_scale`); ``empty``: whether an empty value was cut."""
    y = data.history(i, end=end, target=target)
    missing = np.flatnonzero(~np.isfinite(y))
    first = int(missing[-1]) + 1 if missing.size else 0
    since_gap = data.since_last_gap(i, end) if end else 0
    return y[max(first, since_gap):], y[first:], first, bool(missing.size)
