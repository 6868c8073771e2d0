"""Forecasts of every series of a global model, as one long table.

A global model's network gives ``b`` steps at once (its ``horizon``: the fit's ``H``, or
fewer for a recursive model). Longer forecasts go on in blocks: each block's forecasts are
appended to the series as if they were known, and the next block starts from them
(recursive in blocks of ``b``, :func:`forecast_steps`). The interval of a later block is
read from such forecasts before the testing part
(:meth:`~engine.many.global_model.GlobalModel.block_errors`); a model file without them
gives it the first block's last step's, too narrow, and the forecast says so.

A model with inputs reads them before the forecast only, so it stops at its ``horizon``
(:func:`forecast_reach`): asked for more, the forecast holds those steps and its first note
says why, as a forecast of one series that cannot reach the steps asked does.

Instead of the network, a classical method the testing scores set beside it (Naive2,
seasonal naive, Theta) can make the forecast, each series' own
(:mod:`engine.many.method_forecasts`): as many steps as asked, without intervals.
"""

import numpy as np
import pandas as pd

from engine.atomic import atomic_write_csv, check_not_replacing, file_marks
from engine.data.year_period import with_period_labels
from engine.many.extrapolation import far_outside_note
from engine.many.fallback import (empty_targets, empty_targets_note, fallback_forecasts,
                                  fallback_note, gapped)
from engine.many.model_series import missing_series_notes, model_series
from engine.many.series_data import (SeriesSet, read_for_model, series_for_model,
                                     unforecast_note, unknown_tails_note)
from engine.many.static_labels import static_labels_note
from engine.network.validation import whole_number
from engine.words import counted, some_named, the_named, verb

MAX_STEPS = 10000
MORE_STEPS_AHEAD = "Train the model with more steps ahead to forecast further."
"""How a model with inputs forecasts further than its network gives at once."""


def forecast_frame(model, data, steps, level=0.9, method="network"):
    """``(frame, notes)``: one row per series and step: the series identifier, the time (or
    the step number, 1 for the first forecast step), then per target its forecast and its
    lower and upper bound (``y``, ``y_lower_90``, ``y_upper_90``, as a single series'
    forecast file names them). ``model``: a loaded global model or its file's path;
    ``data``: a :class:`SeriesSet` or the path of the CSV file (:func:`series_for_model`).
    The network forecasts the series ``model`` was trained on; the others are left out,
    and the notes name them and the model's series missing from ``data``
    (:func:`~engine.many.model_series.model_series`).
    ``method``: what makes the forecast, of
    :data:`~engine.many.method_forecasts.FORECAST_METHODS`: the network, or a classical
    method made from each series' own known values
    (:func:`~engine.many.method_forecasts.method_forecasts`: any number of steps, bounds
    empty; the first note says so)."""
    from engine.deploy.forecasting import shortened_note
    from engine.many.method_forecasts import check_forecast_method
    from engine.many.model_file import loaded_global_model

    steps = whole_number(steps, "steps (the number of steps to forecast)", 1, MAX_STEPS)
    method = check_forecast_method(method)
    model = loaded_global_model(model)
    data = series_for_model(model, data)
    most, why = forecast_reach(model) if method == "network" else (MAX_STEPS, None)
    shortened = [shortened_note(most, steps, why, MORE_STEPS_AHEAD)] if steps > most else []
    if method == "network":
        data, series = model_series(model, data, "forecast")
        shortened += series
    else:
        shortened += missing_series_notes(model, data)
    steps = min(steps, most)
    left_out = data.tails_left_out()
    notes = [note for note in [unknown_tails_note(data)] if note]
    times = _future_times(data, steps, left_out)
    notes += early_ends_note(data, times[::steps]) if data.times is not None else []
    data = data.without_unknown_tails()
    read = None
    if method == "network":
        values, lower, upper, more, read = _network_forecast(model, data, steps, level)
        notes = shortened + notes + more
    else:
        values, lower, upper, notes = _method_forecast(model, data, steps, method,
                                                       shortened + notes)
    frame = pd.DataFrame({data.series_column: np.repeat(data.ids, steps)})
    time_name = data.time_column or "step"
    frame[time_name] = times
    percent = f"{round(level * 100):d}"
    for j, name in enumerate(model.target_names):
        frame[name] = values[:, :, j].ravel()
        frame[f"{name}_lower_{percent}"] = lower[:, :, j].ravel()
        frame[f"{name}_upper_{percent}"] = upper[:, :, j].ravel()
    frame.attrs["network_read"] = read          # series the network forecast (None: a method)
    return frame, notes


def _network_forecast(model, data, steps, level):
    """``(values, lower, upper, notes, read)`` of the network's forecast of ``steps`` steps
    (:func:`forecast_steps`, its fallbacks and its notes; ``read``: the series the network
    forecast, the others fell back or could not be forecast). The note on the steps fed
    back is left out when the network read no series."""
    values, lower, upper, ok = forecast_steps(model, data, steps, level)
    values, fallen = fallback_forecasts(model, data, values, ok)
    every = fallen & ~empty_targets(values, fallen).any(axis=1)
    notes = [note for note in [fallback_note(every, data.ids, model, gap=gapped(data, every)),
                               empty_targets_note(data, values, fallen)] if note]
    if not (ok | fallen).all():
        notes.append(unforecast_note(data, list(np.flatnonzero(~(ok | fallen)))))
    notes += last_rows_note(model, data) + static_labels_note(model, data)
    if steps > model.horizon and ok.any():
        notes.append(later_note(model, steps, level not in model.unknown_levels()))
    if ok.any():
        notes += [note for note in [model.unknown_note([level])] if note]
    return values, lower, upper, notes, int(ok.sum())


def _method_forecast(model, data, steps, method, notes):
    """``(values, lower, upper, notes)`` of the classical ``method``'s forecast, the bounds
    empty; the notes who made it first, then ``notes`` and the method's own."""
    from engine.many.method_forecasts import method_forecasts, method_notes

    values, _, own = method_forecasts(model, data, steps, method)
    empty = np.full_like(values, np.nan)
    return values, empty, empty, method_notes(method) + notes + own


def forecast_reach(model):
    """``(most, why)``: how many steps ``model`` forecasts after each series' last known
    row, and why no more (a clause; None when nothing but :data:`MAX_STEPS` limits it). A
    model that reads only its targets goes on in blocks from its own forecasts; one with
    inputs stops at the steps its network gives at once, since a model of many series
    reads its inputs before the forecast only. Asked for more, :func:`forecast_frame`
    writes those steps and its first note says why (as the forecast of one series does,
    :func:`engine.deploy.forecasting.shortened_note`)."""
    inputs = model.input_names
    if not inputs:
        return MAX_STEPS, None
    return model.horizon, (f"the model reads {the_named('input', inputs)}, "
                           f"and its network gives {counted(model.horizon, 'step')} at once; "
                           "further steps would need the future values of "
                           f"{verb(len(inputs), 'this input', 'these inputs')}, "
                           "which a model of many series does not read")


def last_rows_note(model, data):
    """The note (a list of none or one) naming the series whose last rows, those a
    forecast reads (:func:`~engine.many.exports.python_module.rows_needed`), hold values
    far outside those the model was trained on (:mod:`engine.many.extrapolation`)."""
    from engine.many.exports.python_module import rows_needed

    place = np.arange(len(data.targets)) - np.repeat(data.starts[:-1], data.lengths)
    read = place >= np.repeat(data.lengths - rows_needed(model), data.lengths)
    note = far_outside_note(model, data, read)
    return [note] if note else []


def later_note(model, steps, bounded=True):
    """The forecast's note on its steps past the network's own ``horizon`` (and on their
    intervals, when ``bounded``: the level's interval is known)."""
    fed = f"Steps beyond {model.horizon} were forecast from the model's own forecasts"
    if not bounded:
        return f"{fed}."
    if not model.later_errors:
        return (f"{fed}; their intervals are those {counted(model.horizon, 'step')} ahead "
                "and too narrow.")
    text = (f"{fed}; their intervals are wider, as errors that add up block by block, and "
            "at least as wide as such forecasts needed before the testing part")
    if steps > 2 * model.horizon:
        text += f" (measured up to {2 * model.horizon} steps ahead)"
    return text + "."


def forecast_steps(model, data, steps, level=0.9):
    """``(values, lower, upper, ok)`` of ``steps`` steps from every series' last row, in
    blocks of the network's ``horizon`` (see the module docstring): the first three
    (n_series, steps, n_targets), ``ok`` (n_series,) the series the network forecast."""
    parts, series = [], data
    done = 0
    ok = np.ones(data.n_series, bool)
    while done < steps:
        values, lower, upper, known = model.forecast(series, level=level,
                                                     block=len(parts) + 1)
        ok &= known
        take = min(model.horizon, steps - done)
        parts.append((values[:, :take], lower[:, :take], upper[:, :take]))
        done += take
        if done < steps:
            series = _extended(series, values[:, :take])
    return tuple(np.concatenate([p[k] for p in parts], axis=1) for k in range(3)) + (ok,)


def forecast_before(model, data, count, steps, level=0.9):
    """``(values, lower, upper, ok)`` as :func:`forecast_steps`, of every series of ``data``
    from the row before its last ``count`` rows (the forecasts a testing part of ``count``
    rows is scored on), in ``data``'s order: NaN and ``ok`` False for a series with no row
    before them. Within the network's horizon straight from ``model.forecast``; beyond it
    in blocks, from the series cut before those rows."""
    steps = int(steps)
    if steps <= model.horizon:
        ends = np.maximum(data.lengths - int(count), 0)
        found = model.forecast(data, ends=ends, level=level)
        return tuple(part[:, :steps] for part in found[:3]) + (found[3],)
    cut = data.without_last(int(count))
    found = forecast_steps(model, cut, steps, level)
    shape = (data.n_series, steps, len(model.target_names))
    values, lower, upper = (np.full(shape, np.nan) for _ in range(3))
    ok = np.zeros(data.n_series, bool)
    place = {name: k for k, name in enumerate(cut.ids)}
    for i, name in enumerate(data.ids):
        if name in place:
            k = place[name]
            values[i], lower[i], upper[i], ok[i] = (part[k] for part in found)
    return values, lower, upper, ok


def _extended(data, future):
    """``data`` with ``future`` (n_series, k, n_targets) appended to every series."""
    k = future.shape[1]
    lengths = data.lengths
    rows = []
    for i in range(data.n_series):
        rows.append(data.targets[data.rows(i)])
        rows.append(future[i])
    starts = np.concatenate([[0], np.cumsum(lengths + k)])
    segment = np.repeat(np.arange(data.n_series), lengths + k)
    return SeriesSet(ids=data.ids, starts=starts, targets=np.concatenate(rows),
                     inputs=np.empty((int(starts[-1]), 0)), segment=segment,
                     target_names=data.target_names, series_column=data.series_column)


def early_ends_note(data, firsts):
    """The note (a list of none or one) naming the series of ``data`` whose rows end more
    than one time step before the latest series' (``firsts``: the first time of each
    series' forecast, the step after its last known row): a few with the time their
    forecast starts, then how many more, beside the latest start, each time as the
    forecast file writes it (:func:`written_times`). Each series is forecast from its own
    last row, so theirs cover earlier times than the others'. A series whose last rows are
    in the file with their targets empty is not named for them: the note on such rows
    (:func:`~engine.many.series_data.unknown_tails_note`) is. Series ``i`` ends early when
    ``last[i] + step < max(last)``, ``last`` (n_series,) the times of the series' last
    rows, computed over all series at once (:func:`~engine.data.time_steps.add_steps_each`)."""
    from engine.data.time_steps import add_steps_each

    step = data.time_step()
    if step is None or not len(firsts):
        return []
    last = data.times.iloc[data.starts[1:] - 1].reset_index(drop=True)
    early = np.flatnonzero((add_steps_each(last, step, 1) < last.max()).to_numpy())
    if not early.size:
        return []
    n, shown = len(early), 3
    texts = written_times(data, [max(firsts)] + [firsts[i] for i in early[:shown]])
    named = some_named([f"{data.ids[i]} (from {text})" for i, text in zip(early, texts[1:])]
                       + [data.ids[i] for i in early[shown:]], shown)   # only counted
    return [f"{counted(n, 'series', 'series')} {verb(n, 'ends', 'end')} more than one time "
            f"step before the latest series, whose forecast starts at {texts[0]}: {named}. "
            f"Each series is forecast from its own last row, so "
            f"{verb(n, 'its forecast covers', 'their forecasts cover')} earlier times than "
            f"the others'; to forecast {verb(n, 'it', 'them')} over the same times, add "
            f"{verb(n, 'its', 'their')} later rows to the file."]


def written_times(data, times):
    """A few ``times`` of the forecast of ``data`` as text, as :func:`write_forecast_file`
    writes them: the periods of a time built from a year and a quarter (month),
    ``2010-Q1`` (:func:`~engine.data.year_period.periods_of`); times read with a zone in
    the zone the data keeps them in (:func:`~engine.data.time_zones.written_zone`),
    ``2023-01-03 12:00:00+01:00``; else dates alone when they and the data's last times are at
    midnight, whole numbers as such (:func:`~engine.deploy.forecasting.time_texts`)."""
    from engine.data.year_period import period_label, periods_of
    from engine.deploy.forecasting import time_texts

    parts = periods_of(data.time_column, times)
    if parts is not None:
        return [period_label(t, parts) for t in times]
    zone = getattr(getattr(data.times, "dt", None), "tz", None)
    if zone is None:
        return time_texts(times, data.times.iloc[-50:])
    return time_texts([pd.Timestamp(t).tz_convert(None) for t in times],
                      data.times.iloc[-50:].dt.tz_convert(None), utc=True, zone=zone)


def _future_times(data, steps, left_out):
    """The time of every forecast row (series by series), or step numbers 1..steps: the
    steps after each series' last row but its ``left_out`` last rows (those without a
    known target; none for a series without any known value, whose empty forecast rows
    follow its last row rather than its first). Row ``i * steps + k - 1`` is ``last[i]``
    and ``k`` steps (:func:`~engine.data.time_steps.add_steps_each`, one computation per
    ``k`` over ``last``, the (n_series,) times of those rows), as a ``pd.Index`` of the
    data's time type; None for each row when the data has no regular step."""
    if data.times is None:
        return np.tile(np.arange(1, steps + 1), data.n_series)
    from engine.data.time_steps import add_steps_each
    step = data.time_step()
    if step is None:
        return [None] * (data.n_series * steps)
    ends = np.asarray(data.starts[1:], dtype=np.int64) - 1 - np.asarray(left_out, np.int64)
    last = data.times.iloc[ends].reset_index(drop=True)
    ahead = pd.concat([add_steps_each(last, step, k) for k in range(1, steps + 1)],
                      ignore_index=True)
    return pd.Index(ahead.take(np.arange(len(ahead)).reshape(steps, data.n_series).T.ravel()))


def write_forecast_file(model, data, steps, path, level=0.9, csv_options=None,
                        method="network"):
    """Write :func:`forecast_frame` to ``path`` as CSV (atomically; a time of a year and a
    quarter as the periods, ``2005-Q1``, :func:`~engine.data.year_period.with_period_labels`
    of the data's times and the forecast's); returns it: ``(frame, notes)``. ``data``: the
    path of a CSV file, read as :func:`~engine.many.series_data.series_for_model` reads it
    (never written over), the forecast in its delimiter and decimal mark, as ``predict``
    writes; or a :class:`SeriesSet`, in the delimiter and decimal mark of ``csv_options``
    (the :class:`~engine.data.csv_reader.CsvOptions` of the file it was read from; None:
    commas and decimal points). ``method``: what makes the forecast (:func:`forecast_frame`)."""
    from engine.many.model_file import loaded_global_model

    model = loaded_global_model(model)
    if not isinstance(data, SeriesSet):
        check_not_replacing(path, data)
        data, _, csv_options = read_for_model(model, data)
    frame, notes = forecast_frame(model, data, steps, level, method)
    read = () if data.times is None else data.times
    atomic_write_csv(path, with_period_labels(frame, frame.columns[1], read),
                     **file_marks(csv_options))
    return frame, notes


def series_forecast(frame, model):
    """``(forecast, total)``: how many series of the forecast ``frame`` of
    :func:`forecast_frame` hold a value (a series whose last values are not known holds
    none), and how many series it holds."""
    series = frame.iloc[:, 0].to_numpy()
    known = np.isfinite(frame[list(model.target_names)].to_numpy(float)).any(axis=1)
    forecast = pd.Series(known).groupby(series, sort=False).any()
    return int(forecast.sum()), len(forecast)


def forecast_headline(frame, model, level=0.9, why=True, method="network", in_words=False):
    """The first line of the forecast ``frame`` of :func:`forecast_frame` (of ``model`` at
    ``level``), as ``forecast`` and step 7 give it: "Forecast of 5 steps for 219 series with
    90% intervals". Series whose forecast holds no value (their last values are not known:
    a note names them) are not counted among those forecast: "for 210 series (9 could not
    be forecast: see the note)". ``why=False``: an unknown interval's reason is left to
    the note that follows (:meth:`~engine.many.global_model.GlobalModel.interval_words`).
    A forecast of a classical ``method`` names it as the command line takes it, as one
    series' does: "Forecast of 3 steps (theta) for 11 series without intervals"; or, with
    ``in_words`` (the pages), in words: "Forecast of 3 steps by the Theta method for 11
    series without intervals". Series the network could not read and that got their own
    seasonal naive forecast (:func:`forecast_frame`'s ``attrs["network_read"]``) are
    counted: "(3 of them by their own seasonal naive forecast, without intervals: see the
    note)", or, when it read none, "each by its own seasonal naive forecast ..."."""
    done, total = series_forecast(frame, model)
    count = counted(done, "series", "series")
    if done < total:
        count += f" ({total - done:,} could not be forecast: see the note)"
    steps = len(frame) // max(total, 1)
    if method != "network":
        from engine.testing.verdict import method_words

        by = f"by {method_words(method)}" if in_words else f"({method})"
        return f"Forecast of {counted(steps, 'step')} {by} for {count} without intervals"
    read = frame.attrs.get("network_read")
    if read is not None and read == 0 and done:
        return (f"Forecast of {counted(steps, 'step')} for {count}, each by its own "
                "seasonal naive forecast without intervals: the network could read none "
                "of them (see the note)")
    others = ""
    if read is not None and 0 < read < done:
        others = (f" ({done - read:,} of them by their own seasonal naive forecast, "
                  "without intervals: see the note)")
    return (f"Forecast of {counted(steps, 'step')} for {count} "
            f"{model.interval_words(level, why)}{others}")
