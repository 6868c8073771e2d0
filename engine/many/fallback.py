"""Forecasts of the series a global network cannot forecast: a series shorter than the
network's window (a new product, a sensor added late) gets its own seasonal naive forecast
(its last season repeated; its last value when it holds less than a season since its last
gap in time), so that no
series is left without a forecast and scores cover every series. The bounds stay unknown
(NaN): the network's intervals are of its own errors.

A series whose last rows are unknown (a missing value at its end) gets no forecast either
way: nothing honest can be said about where it goes.
"""

import numpy as np

from engine.many.metrics import naive1, seasonal_naive
from engine.many.global_model import warmup_rows


def fallback_forecasts(model, data, values, ok, ends=None):
    """``(values, fallen)``: ``values`` (n_series, H, n_targets) of ``model.forecast`` with
    the rows of the series it could not forecast (``ok`` False, (n_series,)) filled with
    each one's seasonal naive forecast from its rows before ``ends[i]`` (default: all),
    ``fallen`` the (n_series,) bool mask of the series so filled."""
    values = np.array(values, float)
    ends = data.lengths if ends is None else np.asarray(ends)
    season = int(model.scaling.season)
    fallen = np.zeros(data.n_series, bool)
    for i in np.flatnonzero(~np.asarray(ok)):
        # the stretch since its last gap in time: a season before a gap is out of phase
        first = data.since_last_gap(i, ends[i])
        histories = [data.history(i, end=int(ends[i]), target=j)[first:]
                     for j in range(values.shape[2])]
        if min(len(h) for h in histories) == 0 or \
                not all(np.isfinite(h[-1]) for h in histories):
            continue
        for j, history in enumerate(histories):
            values[i, :, j] = _own_forecast(history, values.shape[1], season)
        fallen[i] = np.isfinite(values[i]).all()
    return values, fallen


def _own_forecast(history, steps, season):
    """The seasonal naive forecast of ``history`` when its last season is known, else its
    last value repeated: (steps,)."""
    if season > 1 and len(history) >= season and np.isfinite(history[-season:]).all():
        return seasonal_naive(history, steps, season)
    return naive1(history[-1:], steps)


def fallback_note(fallen, ids, model):
    """The sentence on the series given their own forecasts, or None."""
    if not np.any(fallen):
        return None
    names = [ids[i] for i in np.flatnonzero(fallen)]
    before = warmup_rows(model.scaling.season, model.lookback)
    return (f"{len(names):,} series the network could not read (shorter than the "
            f"{model.lookback + before} rows it reads: its window of {model.lookback} and the "
            f"{before} before it; with unknown values or a gap in time in them; or with a "
            f"value not above 0 where the model reads the series' logarithm; e.g. "
            f"{names[0]!r}) got their own seasonal naive forecast, from their rows since "
            "their last gap in time, without bounds.")
