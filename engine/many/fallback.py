"""Forecasts of the series a global network cannot forecast: a series shorter than the
network's window (a new product, a sensor added late) gets its own seasonal naive forecast
(its last season repeated, a value it lacks there by the latest known one at that point of
the season; its last value when it holds less than a season since its last gap in time),
so that no
series is left without a forecast and scores cover every series. The bounds stay unknown
(NaN): the network's intervals are of its own errors.

The network reads every target of its window, so a series with a target never recorded
(its column empty in all its rows) or empty in its last rows is one it cannot read: each of
its targets whose last value is known gets its own seasonal naive forecast, and the target
without one none (:func:`empty_targets_note` names them). A series whose last rows are
unknown in every target gets no forecast either way: nothing honest can be said about where
it goes.
"""

import numpy as np

from engine.many.metrics import naive1, seasonal_naive
from engine.many.global_model import warmup_rows
from engine.many.series_data import empty_target_parts
from engine.words import counted, some_named, verb


def fallback_forecasts(model, data, values, ok, ends=None):
    """``(values, fallen)``: ``values`` (n_series, H, n_targets) of ``model.forecast`` with
    the rows of the series it could not forecast (``ok`` False, (n_series,)) filled, target
    by target, with each one's seasonal naive forecast from its rows before ``ends[i]``
    (default: all) where that target's last value before them is known (a target without
    one stays NaN: :func:`empty_targets`), ``fallen`` the (n_series,) bool mask of the
    series with at least one target so filled."""
    values = np.array(values, float)
    ends = data.lengths if ends is None else np.asarray(ends)
    season = int(model.scaling.season)
    fallen = np.zeros(data.n_series, bool)
    for i in np.flatnonzero(~np.asarray(ok)):
        # the stretch since its last gap in time: a season before a gap is out of phase
        first = data.since_last_gap(i, ends[i])
        for j in range(values.shape[2]):
            history = data.history(i, end=int(ends[i]), target=j)[first:]
            if len(history) and np.isfinite(history[-1]):
                values[i, :, j] = _own_forecast(history, values.shape[1], season)
                fallen[i] = True
    return values, fallen


def empty_targets(values, fallen):
    """(n_series, n_targets) bool: the targets of the series ``fallen`` (of
    :func:`fallback_forecasts`) left without a forecast in ``values`` (n_series, H,
    n_targets), their last value unknown."""
    return np.asarray(fallen)[:, None] & ~np.isfinite(values).all(axis=1)


def _own_forecast(history, steps, season):
    """The seasonal naive forecast of ``history`` (its last value known): its last season
    repeated, each value of it unknown replaced by the latest known one at that point of
    the season (a season earlier, or more), else by the last value; its last value
    repeated when it holds less than a season: (steps,)."""
    history = np.asarray(history, float)
    if season > 1 and len(history) >= season:
        last = np.empty(season)
        for p in range(season):         # the point p of the last season, then earlier ones
            places = np.arange(len(history) - season + p, -1, -season)
            known = places[np.isfinite(history[places])]
            last[p] = history[known[0]] if known.size else history[-1]
        return seasonal_naive(last, steps, season)
    return naive1(history[-1:], steps)


def gapped(data, fallen, ends=None):
    """Whether one of the series ``fallen`` ((n_series,) bool) has a gap in time before
    its row ``ends[i]`` (default: its end), so that its own forecast reads only the rows
    after it."""
    ends = data.lengths if ends is None else np.asarray(ends)
    return any(data.since_last_gap(i, ends[i]) > 0 for i in np.flatnonzero(fallen))


def fallback_note(fallen, ids, model, scored=False, gap=False):
    """The sentence on the series given their own forecasts (``scored``: scored with
    them), a few named, or None; ``gap``: one of them has a gap in time (:func:`gapped`),
    so that their forecasts read the rows after it."""
    if not np.any(fallen):
        return None
    names = [ids[i] for i in np.flatnonzero(fallen)]
    n = len(names)
    before = warmup_rows(model.scaling.season, model.lookback)
    got = verb(n, "was scored with", "were scored with") if scored else "got"
    own = verb(n, "its", "their")
    since = f", from {own} rows since {own} last gap in time" if gap else ""
    unscaled = ("; or with no value other than 0 before the testing part when the model "
                "was trained, so that it has no scale for the series"
                if _unscaled(model, names) else "")
    return (f"{n:,} series the network could not read (shorter than the "
            f"{model.lookback + before} rows it reads: its window of {model.lookback} and the "
            f"{before} before it; with unknown values or a gap in time in them; or with a "
            f"value not above 0 where the model reads the series' logarithm{unscaled}: "
            f"{some_named([repr(name) for name in names])}) {got} {own} own seasonal naive "
            f"forecast ({own} last season repeated, a value {verb(n, 'it lacks', 'they lack')} "
            "by the one a season earlier; the last value where less than a season is "
            f"known){since}, without bounds.")


def _unscaled(model, names):
    """Whether one of the series ``names`` is one ``model`` has no scale for (a NaN
    magnitude, :func:`~engine.many.scaling.fit_scaling`)."""
    numbers = [k for k in model.numbers_of(names) if k is not None]
    return bool(np.isnan(model.scaling.magnitude[numbers]).any()) if numbers else False


def empty_targets_note(data, values, fallen, ends=None, scored=None):
    """The sentence on the series of ``fallen`` (:func:`fallback_forecasts`, from their rows
    before ``ends``, default all) that hold some targets only: per target without a last
    value, the series it holds no value in and those it is empty in the last rows of (a
    few named, then how many more); what they got (the forecast's words) or, ``scored``
    (a target's name, of an evaluation), that this target was scored with their own
    seasonal naive forecast; and what to do. None without such series."""
    empty = empty_targets(values, fallen)
    rows = np.flatnonzero(empty.any(axis=1))
    if not rows.size:
        return None
    parts, ended = empty_target_parts(data, empty, ends)
    n = len(rows)
    its = verb(n, "its", "their")
    text = (f"{counted(n, 'series', 'series')} the network could not read, as it reads "
            f"every target: {'; '.join(parts)}. ")
    if scored is not None:
        return text + (f"{its.capitalize()} {scored} was scored with {its} own seasonal naive "
                       "forecast, not the network's.")
    text += (f"Each of {its} targets with a known last value got its own seasonal naive "
             "forecast, without bounds, and the others none: fill those cells in for the "
             "network's forecast")
    return text + (", or leave the empty last rows out of the file to forecast from the row "
                   "before." if ended else ".")

