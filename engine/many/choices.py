"""The choices a global fit makes when the person leaves them open: the season, the
horizon and the testing rows (:func:`default_choices`, the data page's suggestions and
``fit --series``'s defaults)."""

import numpy as np

from engine.data.statistics import CALENDAR_CYCLES, detect_period
from engine.words import counted

MOST_SERIES_READ = 50          # series whose own cycle is measured when there is no time


def default_season(data, test_last=0):
    """``(season, how)``: the season in rows and a sentence on where it comes from. The
    calendar's first cycle of the time column's step (24 for hourly rows, 7 for daily, 12
    for monthly) when the median series holds two of them before its testing part;
    without a time column, or with one of plain numbers (no calendar), the cycle found
    most often in up to :data:`MOST_SERIES_READ` series (read on the rows before their
    testing parts). None when there is none."""
    step = data.time_step() or {}
    cycles = CALENDAR_CYCLES.get((step.get("unit"), step.get("size")), ())
    if cycles:
        rows = np.median(data.lengths) - test_last
        if rows >= 2 * cycles[0]:
            return int(cycles[0]), f"Season: {cycles[0]} rows, the calendar's"
        return None, _too_short(rows, int(cycles[0]), test_last)
    found = _found_periods(data, test_last)
    if not found:
        return None, "Season: none found"
    values, counts = np.unique(found, return_counts=True)
    season = int(values[np.argmax(counts)])
    if season <= 1:
        return None, "Season: none found"
    return season, (f"Season: {season} rows, found in {int(counts.max())} of the "
                    f"{len(found)} series read")


def _too_short(rows, cycle, test_last):
    """Why the calendar's ``cycle`` is not the season: the median series' ``rows`` before
    its testing part of ``test_last`` rows hold less than two of it; and, when a testing
    part took them, that a shorter one keeps the season."""
    if test_last and rows <= 0:
        held = (f"no row before its last {test_last:,}, less than two calendar cycles of "
                f"{cycle:,}")
    else:
        before = f" before its last {test_last:,}" if test_last else ""
        held = (f"{counted(int(rows), 'row')}{before}, less than two calendar cycles of "
                f"{cycle:,}")
    room = int(rows + test_last - 2 * cycle)        # the testing rows that keep two cycles
    if test_last and room >= 1:
        return (f"Season: none (the median series holds {held}; a testing part of at "
                f"most {counted(room, 'row')} keeps it)")
    return f"Season: none (the median series holds {held})"


def _found_periods(data, test_last):
    """The period found in each of up to :data:`MOST_SERIES_READ` evenly picked series (1
    where none), on the rows before their testing parts."""
    picked = np.linspace(0, data.n_series - 1, min(data.n_series, MOST_SERIES_READ))
    found = []
    for i in np.unique(picked.astype(int)):
        history = data.history(i)
        history = history[:max(len(history) - test_last, 0)]
        if np.isfinite(history).sum() >= 8:
            found.append(detect_period(history) or 1)
    return found


def default_horizon(test_last, season):
    """The steps ahead: the testing part's length, else a season, else 1."""
    return int(test_last or season or 1)


def default_choices(data, test_last=None, season=None, horizon=None):
    """``(season, how, horizon, test_last)`` for the settings not given (None), as the data
    page suggests them and ``fit --series`` takes them: the testing rows the steps ahead;
    the steps ahead the testing rows, else a season, else 1 (:func:`default_horizon`); the
    season (:func:`default_season`) read on the rows before the testing rows (without them,
    before the steps ahead given or those a first reading on every row suggests). ``how``
    says where the season comes from; None when it was given."""
    how = None
    if season is None:
        before = test_last
        if before is None:
            before = horizon if horizon is not None else \
                default_horizon(None, default_season(data, 0)[0])
        season, how = default_season(data, int(before))
    horizon = int(horizon) if horizon is not None else default_horizon(test_last, season)
    test_last = horizon if test_last is None else int(test_last)
    return season, how, horizon, test_last
