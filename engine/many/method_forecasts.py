"""The forecast of many series by a classical method instead of the global network: the
comparators the testing scores set beside it (:mod:`engine.many.comparators`: Naive2,
seasonal naive, the Theta method), each series forecast on its own.

Per series and target, the method is fitted on the values the scores read before a testing
part (:func:`~engine.many.histories.comparator_history`), here before the forecast: the
series' known values up to its last known row, after its last empty value and its last gap
in time. The seasons are the scores' (:func:`~engine.many.histories.scoring_season` for
Naive2 and Theta, :func:`~engine.many.histories.naive_season` for seasonal naive), so the
forecast is the one the scores measured. A method reads no inputs: it forecasts any number
of steps (up to :data:`~engine.many.forecasting.MAX_STEPS`). It has no intervals: the bounds
are empty (NaN).

Each target is forecast from its own values: a target never recorded in a series, or empty in
its last rows, has no forecast there, and the series' other targets have theirs (a note names
the series and the targets, :func:`~engine.many.series_data.empty_target_parts`). A series
without a known last value in any target gets no forecast, with the network's note
(:func:`~engine.many.series_data.unforecast_note`); a series the method cannot fit gets the
method's fallback (Theta: Naive2's; seasonal naive of less than a season: Naive1's), named
in the notes.
"""

import numpy as np

from engine.errors import EngineError
from engine.many.comparators import comparator_forecasts
from engine.many.histories import comparator_history, naive_season, scoring_season
from engine.many.series_data import empty_target_parts, unforecast_note
from engine.testing.verdict import method_words
from engine.words import counted, verb

FORECAST_METHODS = ("network", "naive2", "seasonal_naive", "theta")
"""What can make the forecast of a model of many series: its network, or a comparator."""


def check_forecast_method(method):
    """``method`` if it is one of :data:`FORECAST_METHODS`, else a plain EngineError."""
    if method not in FORECAST_METHODS:
        raise EngineError(f"A model of many series is forecast by one of "
                          f"{', '.join(FORECAST_METHODS)}; got {method!r}.")
    return method


def method_notes(method):
    """The first note of a forecast made by ``method`` (not the network), in a list: who
    made it, on what, and that it has no intervals."""
    read = "fitted on" if method == "theta" else "from"
    return [f"Made by {method_words(method)}, {read} each series' own known "
            "values, not by the network; it gives no intervals, so the lower and upper "
            "bounds are empty."]


def method_forecasts(model, data, steps, method):
    """``(values, ok, notes)`` of ``method`` (a comparator of :data:`FORECAST_METHODS`):
    ``values`` (n_series, steps, n_targets) the forecast of every series of ``data`` (a
    :class:`~engine.many.series_data.SeriesSet` without its unknown tails) after its last
    row, NaN for a series that cannot be forecast; ``ok`` (n_series,) the series forecast;
    ``notes`` on the histories cut, the method's fallbacks and warnings, and the series
    not forecast."""
    season = scoring_season(data, model)
    m = naive_season(model, season) if method == "seasonal_naive" else season
    n_targets = len(model.target_names)
    found = [[comparator_history(data, i, int(data.lengths[i]), j)
              for j in range(n_targets)] for i in range(data.n_series)]
    known = np.array([[len(part[0]) > 0 for part in parts] for parts in found], bool)
    known = known.reshape(data.n_series, n_targets)
    ok = known.any(axis=1)
    values = np.full((data.n_series, int(steps), n_targets), np.nan)
    notes = _cut_notes(found, known)
    for j, target in enumerate(model.target_names):
        keep = np.flatnonzero(known[:, j])
        if not keep.size:
            continue
        names = [data.ids[i] if n_targets == 1 else f"{data.ids[i]} ({target})"
                 for i in keep]
        forecast = comparator_forecasts([found[i][j][0] for i in keep], steps, m,
                                        (method,), notes=notes, names=names)
        values[keep, :, j] = forecast[method]
    notes += _some_targets_note(data, ok[:, None] & ~known, method)
    if not ok.all():
        notes.append(unforecast_note(data, list(np.flatnonzero(~ok))))
    return values, ok, notes


def _some_targets_note(data, empty, method):
    """The note (a list of none or one) on the series forecast without the targets
    ``empty`` (n_series, n_targets) marks, whose last value is unknown."""
    if not empty.any():
        return []
    parts, ended = empty_target_parts(data, empty)
    n = int(empty.any(axis=1).sum())
    who = method_words(method)
    return [f"{counted(n, 'series', 'series')} {verb(n, 'is', 'are')} forecast without "
            f"some of {verb(n, 'its', 'their')} targets: {'; '.join(parts)}. "
            f"{who[0].upper() + who[1:]} forecasts each target from its own values up to its "
            "series' last row: fill those cells in to forecast them"
            + (", or leave the empty last rows out of the file." if ended else ".")]


def _cut_notes(found, known):
    """The note on the forecast series whose history an empty value or a gap in time cut
    (``found``: per series and target :func:`comparator_history`'s four parts; ``known``
    (n_series, n_targets) the targets forecast)."""
    cut = [i for i, parts in enumerate(found) if any(
        known[i, j] and (part[3] or len(part[0]) < len(part[1]))
        for j, part in enumerate(parts))]
    if not cut:
        return []
    return [f"{counted(len(cut), 'series', 'series')} {verb(len(cut), 'has', 'have')} an "
            "empty value or a gap in time: the method read each from its values after the "
            "last of them."]
