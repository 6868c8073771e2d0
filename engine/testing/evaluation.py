"""Scoring a model's predictions in the targets' original units, one step ahead or as a
recursive (multi-step) forecast, beside two naive baselines.

For a data file of rows ``0..n-1`` and a start row ``s`` (``--from``):

* the rows scored: by default the model's testing rows, the rows its testing windows
  predict one step ahead, which ``fit`` scored and recorded in the model file
  (:func:`testing_rows`: with a random split the drawn rows only; with a horizon ``H > 1``
  without the last ``H - 1`` rows, which no complete testing window predicts one step
  ahead, and, when the testing part was given as shares rather than a start, without its
  first ``H - 1`` rows too, which the selection windows read);
  with ``--from`` (or a model without recorded rows, or another file) every row from ``s``
  on, but after a random split only the testing rows from ``s`` on
  (:func:`random_testing_from`: the others are training and selection rows);

* one step ahead: each row ``r >= s`` is predicted by the window whose inputs read the
  true rows ``r-L .. r-1`` (anchor ``r-1``; ``r`` itself for horizon 0);
* recursive: the forecast of rows ``s, s+1, ...`` up to the last of the model's testing
  rows (by default; else the file's last row) feeds its own predictions back for the
  targets that are also inputs (other inputs come from the file), see
  :meth:`engine.model.forecaster.Forecaster.forecast_from`;
* recursive over a horizon ``H`` (``--horizon``): recursive forecasts of ``H`` rows started
  at many origins ``o`` among the scored rows (:func:`forecast_origins`: every row, or
  evenly spaced ones when there are many), each scored on rows ``o .. o+H-1``; the measures
  pool every step ``h = 1..H`` of the origins whose forecast ends by the last scored row
  (:func:`complete_origins`), ``RMSE = sqrt(mean_(o,h) e_(o,h)^2)``. The baselines forecast
  the same rows from ``o - 1``.

Measures per target column (:mod:`engine.testing.metrics`): RMSE, MAE, MAPE (%), R², the
mean squared error over the variance and the MASE, scaled by the mean absolute one-step change
``mean(|y_t - y_(t-1)|)`` over the rows before the first scored row (the in-sample
one-step naive error of Hyndman and Koehler 2006: for the default start, the rows before
the testing part), pairing only rows one time step apart, never across a gap in time
(:func:`history_scale`). Baselines on
the same rows (:mod:`engine.testing.baselines`): persistence ``y^_r = y_(r-1)`` (recursive:
``y_(s-1)`` for every row) and, with a period ``P``, seasonal naive ``y^_r = y_(r-P)``
(recursive: the last observed cycle, ``y_(s-P + (r-s) mod P)``); and the classical
comparators of :mod:`engine.testing.comparators` (ETS, Theta, the linear autoregression),
fitted on the rows before the network's selection and testing parts, one step ahead from
each row or recursively from ``s``.
"""

from dataclasses import dataclass, field

import numpy as np

from engine.data.splits import resolve_test_from
from engine.data.time_steps import on_clock
from engine.data.unknown_labels import scored_labels_note
from engine.errors import EngineError
from engine.testing.baselines import baseline_lags, baselines, naive_guesses, season_length
from engine.testing.comparators import (comparator_guesses, comparator_scores, fit_comparators,
                                        gap_notes)
from engine.testing.intervals import MAX_ORIGINS
from engine.testing.metrics import Scores, naive_scale, score
from engine.testing.remarks import testing_remark
from engine.words import counted, verb

MAX_FORECAST_VALUES = 200_000       # origins x horizon, at most
MAX_COMPARATOR_FORECASTS = 20_000   # the comparators' forecast values, at most
MAX_DEFAULT_HORIZON = 168           # the longest season used as default (a week of hours)
DEFAULT_BLOCK_ROWS = 12             # rows a recursive score reads at once without a season
MIN_ORIGINS = 5                     # complete forecasts the default horizon leaves, at least


def block_rows(horizon, period, steps=None):
    """The rows ``b`` a recursive score reads from each origin (a backtest's block,
    :mod:`engine.testing.backtest`): ``max(H, P)`` with a period ``P >= 2``, else
    ``max(H, DEFAULT_BLOCK_ROWS)``; at least ``steps``, the length of the recursive
    forecasts the person wants, when given."""
    season = int(period) if period and int(period) >= 2 else DEFAULT_BLOCK_ROWS
    return max(int(horizon), season, int(steps or 0))


def history_scale(levels, start, positions=None):
    """The MASE scale: ``mean(|y_t - y_(t-1)|)`` over the rows before ``start`` (k,).
    ``positions`` (rows,): the rows' places in time steps
    (:attr:`~engine.data.preprocessing.Encoded.positions`): only rows one step apart in time
    are paired, never the two rows on either side of a gap in time; None: every row with
    the one before it."""
    start = max(int(start), 0)
    levels = np.asarray(levels, dtype=float)[:start]
    if positions is None:
        return naive_scale(levels, 1)
    return naive_scale(levels, 1, np.asarray(positions)[:start])


def forecast_origins(rows, horizon):
    """The origins (sorted) of recursive forecasts of ``horizon`` rows among the scored
    ``rows`` (sorted): every row when there are at most ``min(MAX_ORIGINS,
    MAX_FORECAST_VALUES // horizon)``; else that many evenly spaced among the rows whose
    forecast ends by the last row (:func:`complete_origins`), the first row included."""
    rows = np.asarray(rows, dtype=int)
    most = max(1, min(MAX_ORIGINS, MAX_FORECAST_VALUES // int(horizon)))
    if len(rows) <= most:
        return rows
    complete = complete_origins(rows, horizon, rows[-1])
    chosen = np.round(np.linspace(0, len(complete) - 1, min(most, len(complete))))
    return complete[np.unique(chosen.astype(int))]


def complete_origins(origins, horizon, last):
    """The ``origins`` whose forecast of ``horizon`` rows ends by row ``last``."""
    origins = np.asarray(origins, dtype=int)
    return origins[origins + int(horizon) - 1 <= last]


def evaluation_horizon(period, steps, count, wanted=None):
    """The horizon ``H`` a recursive evaluation (step 6, its verdict, ``evaluate``'s
    analysis) uses unless told: the length ``W`` of the forecasts the person wants
    (``wanted``, :func:`forecast_length`; else a season ``period`` ``P``, or 12 without
    one or for a season longer than :data:`MAX_DEFAULT_HORIZON`, e.g. the year of daily
    rows), shortened so that at least :data:`MIN_ORIGINS` forecasts run all its steps
    inside the ``count`` rows scored when those rows follow one another (fewer across a
    gap in time), but never below the model's ``steps`` ahead ``S``, and at most
    ``count``::

        H = min(count, max(S, min(W or P, count - MIN_ORIGINS + 1)))

    (a season of 12 over 10 rows gave one 10-step forecast, a figure of one origin's
    noise; now 6 steps from 5 origins). :func:`forecast_length_note` says why when ``H < W``."""
    season = int(period) if period and 2 <= int(period) <= MAX_DEFAULT_HORIZON else 12
    length = int(wanted) if wanted else season
    enough = int(count) - MIN_ORIGINS + 1           # the longest with MIN_ORIGINS origins
    return max(1, min(max(min(length, enough), int(steps)), int(count)))


def forecast_length(metadata):
    """The length of the recursive forecasts the person wants, as a model file's
    ``metadata`` records it (the fit's forecast length, checked on loading by
    :func:`~engine.model.header.check_metadata`); None when it records none."""
    wanted = (metadata or {}).get("forecast_steps")
    return int(wanted) if wanted else None


def forecast_length_note(wanted, horizon, count):
    """``[note]`` when the default ``horizon`` (:func:`evaluation_horizon`) is shorter than
    the forecast length ``wanted``, saying why, in words for every front end; else
    ``[]``."""
    if not wanted or horizon >= int(wanted):
        return []
    if horizon == int(count) - MIN_ORIGINS + 1:
        why = (f"so that at least {MIN_ORIGINS} forecasts run all their steps inside the "
               f"{counted(count, 'row')} tested")
    else:
        why = f"as far as the {counted(count, 'row')} tested allow"
    return [f"The recursive forecasts are scored {counted(horizon, 'step')} ahead, not the "
            f"{int(wanted)} of the forecast length set for this model, {why}; a longer "
            "testing part scores longer ones."]


def check_horizon(horizon, count, what="--horizon"):
    """``horizon`` as an int, or a plain error unless ``1 <= horizon <= count`` (the rows
    scored)."""
    horizon = int(horizon)
    if not 1 <= horizon <= count:
        raise EngineError(f"{what} must be from 1 to {count}, the number of rows scored; "
                          f"got {horizon}.")
    return horizon


def horizon_forecasts(model, encoded, rows, horizon):
    """Recursive forecasts of ``horizon`` rows from :func:`forecast_origins` of ``rows``:
    ``(origins (o,), values (o, H, k), truth (o, H, k))``, the truth NaN where the forecast
    is (so that every baseline is scored on the same rows) and at rows that are not among
    the scored ``rows`` (the training rows between the testing rows of a random split)."""
    origins = forecast_origins(rows, horizon)
    values, truth = model.forecast(encoded, origins, horizon)
    scored = np.isin(origins[:, None] + np.arange(int(horizon))[None, :], rows)[:, :, None]
    return origins, values, np.where(np.isfinite(values) & scored, truth, np.nan)


def horizon_guesses(levels, comparators, origins, horizon, period, positions=None):
    """``({name: (o, H, k)}, every)``: the baselines' forecasts of rows ``o .. o+H-1`` from
    the last known row ``o - 1`` (persistence, seasonal naive with ``period`` at the rows'
    ``positions`` in time, and the fitted comparators); the comparators only from every ``every``-th origin (NaN at the
    others) so that they make at most :data:`MAX_COMPARATOR_FORECASTS` forecast values (ETS
    forecasts one origin at a time)."""
    target_rows = origins[:, None] + np.arange(horizon)[None, :]
    known_rows = np.repeat(origins[:, None] - 1, horizon, axis=1)
    guesses = {name: naive_guesses(levels, target_rows, known_rows, lag, positions)
               for name, lag in baseline_lags(period).items()}
    every = int(np.ceil(len(origins) * horizon / MAX_COMPARATOR_FORECASTS))
    k = levels.shape[1]
    for name, comparator in (comparators or {}).items():
        if comparator.forecast is None:
            continue
        guess = np.full(target_rows.shape + (k,), np.nan)
        guess[::every] = comparator_guesses(comparator, target_rows[::every],
                                            known_rows[::every], k)
        guesses[name] = guess
    return guesses, every


def comparator_origins(complete, every, guesses, comparators):
    """How many of the forecasts from the ``complete`` origins (a boolean mask (o,), those
    whose forecast is scored) the classical ``comparators`` made (:func:`horizon_guesses`:
    from one origin in ``every``, ``guesses`` ``{name: (o, H, k)}``), when fewer than
    all; None when they made all of them or none was fitted."""
    whole, used = int(complete.sum()), int(complete[::every].sum())
    fitted = any(name in guesses for name in comparators or {})
    return used if used < whole and fitted else None


def pooled_origins(encoded, origins, horizon, last, offset=1):
    """(o,) bool: the origins (o,) whose recursive forecast of ``horizon`` rows the errors
    table's recursive row pools and counts: those whose rows end by row ``last``, but not
    those that start from a row filled in from a later one (:func:`read_ahead`: their
    forecasts are not scored). A forecast that stops early (a gap in time, missing inputs,
    an output that is not a number) counts, scored up to where it stopped."""
    return (origins + horizon - 1 <= last) & ~read_ahead(encoded, origins, offset)


def pooled_scores(truth, predicted, complete, names, scale):
    """:class:`Scores` of the forecasts of the ``complete`` origins (a boolean mask (o,)),
    every step pooled: ``truth``, ``predicted`` (o, H, k). None without a finite pair."""
    k = truth.shape[2]
    return score(truth[complete].reshape(-1, k), predicted[complete].reshape(-1, k), names,
                 scale)


def part_predictions(network, prepared, part, last=None, every_step=False):
    """Predictions of the first output step for a part of :class:`~engine.data.PreparedData`,
    in target units: ``(anchors (n,), predicted (n, k), truth (n, k))``; with ``last``, only
    the latest ``last`` windows; with ``every_step``, those of all ``H`` steps ahead:
    ``predicted`` and ``truth`` (n, H, k)."""
    X = getattr(prepared, {"training": "X_train", "selection": "X_sel",
                           "testing": "X_test"}[part])
    anchors = prepared.anchors[part]
    k = prepared.fitted.n_outputs // prepared.fitted.steps
    if len(anchors) == 0:
        empty = (0, prepared.fitted.steps, k) if every_step else (0, k)
        return anchors, np.empty(empty), np.empty(empty)
    if last is not None and len(anchors) > last:
        from engine.training.run import latest
        X, chosen = latest(X, last)
        anchors = anchors[chosen]
    outputs = network.predict(X)
    values = prepared.fitted.inverse_outputs(outputs, anchors, prepared.encoded)
    truth = prepared.fitted.true_values(anchors, prepared.encoded)
    if every_step:
        return anchors, values, truth
    return anchors, values[:, 0, :], truth[:, 0, :]


def row_runs(rows):
    """Sorted rows (n,) as runs of consecutive rows ``[[first, last], ...]`` (compact JSON
    for the testing rows of a chronological split, one run)."""
    rows = np.asarray(rows, dtype=int)
    if rows.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = np.r_[rows[0], rows[breaks + 1]]
    ends = np.r_[rows[breaks], rows[-1]]
    return [[int(a), int(b)] for a, b in zip(starts, ends)]


def runs_rows(runs):
    """The rows (n,) of :func:`row_runs`' runs."""
    return np.concatenate([np.arange(a, b + 1) for a, b in runs]) if runs \
        else np.zeros(0, dtype=int)


def time_record(times, row, zone=None):
    """The time of ``row`` of the time column ``times`` (None: none) as a model file
    records it, exactly: ``{"time": ISO text}`` of a date, with its offset from UTC where
    the column carries a zone or, ``zone`` (that of times read in UTC,
    ``frame.attrs["time_zone"]``), was read in UTC (``+00:00``: a text without an offset
    would be read on the zone's clocks), or ``{"time": number}``; None without a time
    there."""
    import pandas as pd

    if times is None or not 0 <= row < len(times) or pd.isna(times.iloc[row]):
        return None
    value = times.iloc[row]
    if pd.api.types.is_numeric_dtype(times):
        return {"time": float(value)}
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None and zone is not None:
        stamp = stamp.tz_localize("UTC")
    return {"time": stamp.isoformat()}


def _recorded_time_row(testing, times, zone):
    """The row of ``times`` holding the first tested row's time that ``fit`` recorded
    (``testing["first_time"]``: :func:`time_record`; the first row at or after it), or
    None without a record or times."""
    if times is None or not testing.get("first_time"):
        return None
    try:
        return resolve_test_from(testing["first_time"], times, zone)
    except EngineError:
        return None


def testing_rows(metadata, n_rows, times=None, zone=None):
    """The rows (sorted, (m,)) a model's testing part scored one step ahead, as ``fit``
    recorded them (``metadata["testing"]``: ``"rows"`` runs and ``"file_rows"``), when
    the data has as many rows as the file the model was fitted on and, where both have
    times (``times``, the time column, on the clocks of ``zone``), its first tested row
    at the time recorded (``"first_time"``): a file a month later with as many rows is no
    such file. Else None."""
    testing = (metadata or {}).get("testing") or {}
    runs = testing.get("rows")
    if not runs or testing.get("file_rows") != n_rows:
        return None
    rows = runs_rows(runs)
    recorded = _recorded_time_row(testing, times, zone)
    if testing.get("first_time") and times is not None and recorded != rows[0]:
        return None
    return rows if rows[-1] < n_rows else None


RANDOM_TESTING = ("The testing rows were drawn at random among the others (a random split), "
                  "so there is no recursive forecast over them")


def random_testing(metadata, tested):
    """Why there is no recursive forecast over a model's testing rows ``tested`` (sorted
    (m,), or None for every row from a start on): :data:`RANDOM_TESTING` when they are not
    one run of consecutive rows, ``tested[-1] - tested[0] + 1 > m``, and the model's
    ``metadata["testing"]["split"]`` is not "chronological" (a random split drew them
    among the training and selection rows, and a forecast from the first to the last would
    be scored on those too; a chronological split leaves holes only at gaps in time, where
    the forecast stops; a model file without the key is taken by its rows), else None.
    Step 6 and ``evaluate --recursive`` both ask it."""
    testing = (metadata or {}).get("testing") or {}
    if tested is None or len(tested) == 0 or tested[-1] - tested[0] + 1 == len(tested) \
            or testing.get("split") == "chronological":
        return None
    return RANDOM_TESTING


def random_testing_from(metadata, n_rows, row, what="--from", times=None, zone=None):
    """The testing rows (sorted, (m,)) from ``row`` on of a model whose testing rows
    (:func:`testing_rows`) were drawn at random (:func:`random_testing`): the rows from
    ``row`` on hold training and selection rows between them, which are not scored. None
    when the model recorded no such rows for a file of ``n_rows`` rows (every row from
    ``row`` on is scored); an :class:`EngineError` when none is left from ``row`` on.
    ``times``, ``zone``: those of :func:`testing_rows`."""
    tested = testing_rows(metadata, n_rows, times, zone)
    if random_testing(metadata, tested) is None:
        return None
    kept = tested[tested >= row]
    if kept.size == 0:
        raise EngineError(f"{RANDOM_TESTING}, and the last of them is row {int(tested[-1])}: "
                          f"none is left from row {row} on to score. Give an earlier "
                          f"{what}.")
    return kept


def tested_from(metadata, n_rows, row, times=None, zone=None):
    """The testing rows (sorted, (m,)) to score from ``row`` on: after a random split those
    the model recorded (:func:`random_testing_from`); in the model's own file, where its
    testing part begins at ``row`` (``--test-last N`` as ``fit --test-last N`` gave it),
    the rows ``fit`` scored (:func:`testing_rows`: without the last ``H - 1``, which no
    complete window of a model of ``H`` steps predicts); else None, every row from ``row``
    on. ``times``, ``zone``: those of :func:`testing_rows`."""
    tested = random_testing_from(metadata, n_rows, row, times=times, zone=zone)
    if tested is not None:
        return tested
    recorded = testing_rows(metadata, n_rows, times, zone)
    return recorded if recorded is not None and int(recorded[0]) == row else None


def end_left_notes(model, encoded, start, tested):
    """``[sentence]`` when rows from ``start`` on are scored as the fit scored them
    (``tested``, :func:`tested_from`, a chronological split's) and the last rows of the
    data are not among them (no complete window of the model's ``H`` steps predicts them);
    else ``[]``."""
    if start is None or tested is None or not len(tested):
        return []
    left = known_end(encoded) - 1 - int(tested[-1])
    horizon = int(model.preprocessing.horizon)
    if left <= 0 or horizon < 2:
        return []
    them = verb(left, "it", "them")
    return [f"The last {counted(left, 'row')} {verb(left, 'is', 'are')} not scored, as the fit "
            f"left {them} out of its testing part: no complete window of {horizon} steps "
            f"ahead predicts {them}."]


def random_testing_notes(start, tested, first_row):
    """``[sentence]`` on the rows scored and the comparators' history after a random split:
    ``tested`` (the model's testing rows, :func:`random_testing_from`, or None for no random
    split), from the row or date ``start`` (None: all of them); the classical comparators
    are fitted on the ``first_row`` rows before the first scored row only."""
    if tested is None:
        return []
    if isinstance(start, dict) and "row" in start:      # --test-last, "row 132"
        start = f"row {start['row']}"
    scored = "" if start is None else \
        f"Of the rows from {start} on, only the {counted(len(tested), 'testing row')} " \
        f"{verb(len(tested), 'is', 'are')} scored: the others are rows the model was " \
        "trained or selected on. "
    return [f"{scored}The testing rows were drawn at random among the others, so the "
            f"classical comparators (ETS, Theta, linear AR) are fitted on the "
            f"{counted(first_row, 'row')} before the first scored row only (a fit on later "
            "rows would see scored rows); with few rows they may not be fitted or forecast "
            "poorly. For comparators fitted on the whole history before the testing part, "
            "split the data chronologically."]


def part_scores(network, prepared, part):
    """:class:`Scores` of one part's one-step predictions (None when the part is empty);
    the MASE is scaled by :func:`in_sample_scale`, the same scale for every part and the
    one ``evaluate`` and the testing report use."""
    _, predicted, truth = part_predictions(network, prepared, part)
    if not len(truth):
        return None
    return score(truth, predicted, prepared.fitted.target_names, in_sample_scale(prepared))


def unscored_windows(prepared, part):
    """Why some of a part's windows of :class:`~engine.data.PreparedData` are not among
    :func:`part_scores`' rows: ``(empty, read_later)``, how many forecast a target cell that
    was empty in the file (filled in for the inputs: :attr:`~engine.data.preprocessing.
    Encoded.truth`), and how many end on a row that holds a value interpolated from a later
    row (:meth:`~engine.data.preprocessing.Encoded.read_later`); a window may be both."""
    anchors = prepared.anchors[part]
    rows = prepared.target_rows(part)[:, 0]
    known = np.isfinite(prepared.encoded.truth[rows]).all(axis=1)
    return int((~known).sum()), int(prepared.encoded.read_later(anchors).sum())


def in_sample_scale(prepared):
    """The MASE scale (k,) of :class:`~engine.data.PreparedData`: ``mean(|y_t - y_(t-1)|)``
    over the rows before the first testing row (every row without a testing part), i.e.
    :func:`history_scale` at the testing start, as ``evaluate`` computes it from there."""
    testing = prepared.target_rows("testing")
    end = int(testing.min()) if testing.size else prepared.encoded.n_rows
    return history_scale(prepared.encoded.levels, end, prepared.encoded.positions)


@dataclass
class Evaluation:
    """What ``rnn-studio evaluate`` reports.

    rows (m,) data rows scored; times (m,) their times or None; truth, predicted (m, k) in
    target units; scores :class:`Scores`; baselines ``{name: Scores}`` (the naive ones and
    the comparators, None for one that could not be fitted); comparators ``{name:
    Comparator}`` (what each fitted, or why not); remark: one line when the network is far
    worse than persistence (:mod:`engine.testing.remarks`), else None; horizon: the
    forecasts' length ``H`` of a recursive evaluation from many origins (else None), with
    ``origins`` of them scored (then ``rows``, ``truth`` and ``predicted`` hold every step of
    every origin, origin after origin, that lands on a row to score: not the training and
    selection rows between the testing rows of a random split) and the comparators scored
    from one origin in ``comparators_every`` (:func:`horizon_guesses`), ``comparator_origins``
    of the ``origins`` (None: all of them, :func:`comparator_origins`); filled: the rows
    among ``rows`` left out because their target was empty in the file (filled in for the
    network's inputs, :attr:`engine.data.preprocessing.Encoded.truth`); notes: sentences on
    what was scored that the figures do not say (:func:`scope_notes`), among them
    labels_note, the one on the scored rows predicted from labels the model was not
    trained on (:func:`labels_notes`), or None; windows: the
    :class:`~engine.data.PredictionWindows` of the frame that the one-step predictions
    were made from, for the testing analysis of the same frame to use (not reported;
    None when none were made), and window_predictions ``(chosen (m,), values (m, S, k))``
    the predictions of every step ahead made of those of them at ``chosen`` (indices into
    the windows, sorted), likewise; encoded: the :class:`~engine.data.Encoded` of the
    frame (``prediction=True``) that everything scored was made from, likewise (for the
    windows of an analysis where no one-step predictions were made).
    """

    target_names: list
    start_row: int
    recursive: bool
    rows: np.ndarray
    truth: np.ndarray
    predicted: np.ndarray
    scores: Scores
    baselines: dict = field(default_factory=dict)
    times: object = None
    remark: str = None
    comparators: dict = field(default_factory=dict)
    horizon: int = None
    origins: int = None
    comparators_every: int = 1
    comparator_origins: int = None
    filled: int = 0
    notes: list = field(default_factory=list)
    labels_note: str = None
    windows: object = field(default=None, repr=False, compare=False)
    window_predictions: tuple = field(default=None, repr=False, compare=False)
    encoded: object = field(default=None, repr=False, compare=False)

    @property
    def start_time(self):
        """The first scored row's time as text (a date alone at midnight), on the clocks of
        the data's zone (:func:`time_text`), or None."""
        if self.times is None or not len(self.times):
            return None
        zone = None if self.encoded is None else self.encoded.time_zone
        return time_text(self.times[0], zone)

    def to_dict(self):
        start_time = self.start_time
        return {"mode": "recursive" if self.recursive else "one_step",
                "from_row": int(self.start_row),
                "from_time": None if start_time is None else str(start_time),
                "horizon": self.horizon, "origins": self.origins,
                "comparators_every": self.comparators_every,
                "comparator_origins": self.comparator_origins,
                "filled_rows_left_out": int(self.filled), "notes": list(self.notes),
                **self.scores.to_dict(),
                "baselines": {name: s.to_dict() for name, s in self.baselines.items()
                              if s is not None},
                "comparators": {name: c.to_dict() for name, c in self.comparators.items()},
                "remark": self.remark}


def time_text(value, zone=None):
    """A time value as short text: ``1960-01-01`` at midnight, ``2016-05-06 07:30`` on a
    whole minute, ``1989`` for a whole number; None for a missing time (NaT, NaN). ``zone``:
    the zone a time read in UTC was written in (``frame.attrs["time_zone"]``), whose
    clocks it is shown on (``2021-01-01`` for ``2020-12-31 23:00`` of UTC written
    ``+01:00``)."""
    import pandas as pd

    if isinstance(value, (int, float, np.integer, np.floating)):
        if not np.isfinite(value):
            return None
        return str(int(value)) if float(value).is_integer() else str(value)
    if pd.isna(value):
        return None
    stamp = on_clock(pd.Timestamp(value), zone)
    if stamp == stamp.normalize():
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%d %H:%M") if stamp == stamp.floor("min") else str(stamp)


def resolve_start(value, times, n_rows, what="--from", zone=None):
    """The 0-based data row of ``value`` (a row number, a date or a year of the time
    column; see :func:`engine.data.splits.resolve_test_from`)."""
    try:
        row = resolve_test_from(value, times, zone)
    except EngineError as error:
        raise EngineError(str(error).replace("Testing from", f"{what}")
                          .replace("Testing cannot start", f"{what} cannot start")) from None
    if row >= n_rows:
        raise EngineError(f"{what} {value!r} is after the last row of the file (row "
                          f"{n_rows - 1}); choose an earlier row or date.")
    return row


def default_start(metadata, times, n_rows, zone=None):
    """Where the model's testing started (model metadata), if that row is in this file:
    the row at the time of its first tested row where both have times (a testing start
    given as a row, as ``--test-last`` gives it, is another time in a file that starts
    later), else its testing start; a date on the clocks of ``zone``
    (:func:`~engine.data.splits.resolve_test_from`). After a random split, whose testing
    rows lie among those the model was trained on, the first row later than the last it
    was trained or selected on (:func:`unseen_row`), where both have times; else None."""
    testing = (metadata or {}).get("testing") or {}
    if testing.get("split") == "random":
        row = unseen_row(testing, times, zone)
        return row if row is not None and row < n_rows else None
    recorded = _recorded_time_row(testing, times, zone)
    if recorded is not None:
        return recorded if recorded < n_rows else None
    value = testing.get("from")
    if value is None:
        return None
    try:
        row = resolve_test_from(value, times, zone)
    except EngineError:
        return None
    return row if row < n_rows else None


def unseen_row(testing, times, zone=None):
    """The first row of ``times`` later than the last row a model was trained or selected
    on (``testing["last_seen_time"]``, :func:`time_record`); ``len(times)`` when none is;
    None without a record or times."""
    seen = testing.get("last_seen_time")
    row = _recorded_time_row({"first_time": seen}, times, zone) if seen else None
    if row is None:
        return None if times is None or not seen else len(times)
    return row + 1 if time_record(times, row, zone) == seen else row


def unseen_notes(metadata, start, tested, start_row):
    """``[sentence]`` when a model of a random split that recorded the last row it saw is
    scored on another file (``start`` and ``tested`` None): from the first row it did not
    see (:func:`default_start`), or from the first row that can be predicted
    (``start_row`` None) where this file holds none it did not see; else ``[]``."""
    testing = (metadata or {}).get("testing") or {}
    seen = testing.get("last_seen_time")
    if start is not None or tested is not None or testing.get("split") != "random" or \
            not seen:
        return []
    if start_row is None:
        return ["The model's testing rows were drawn at random in its own file, and this "
                "file holds no time later than the last row it was trained or selected on "
                f"({seen['time']}), so every row that can be predicted is scored, rows it "
                "was trained on included; give --from ROW|DATE to score only rows it did "
                "not see."]
    return ["The model's testing rows were drawn at random in its own file, so in this "
            f"one the rows from row {start_row} on are scored: those later than the last "
            f"it was trained or selected on ({seen['time']})."]


def _start_row(model, encoded, start):
    """``(start row or None, testing rows or None)``: the row of ``start`` (see
    :func:`resolve_start`; the testing rows from there on of :func:`tested_from`, and the
    first of them), else the model's recorded
    testing rows (:func:`testing_rows`) and their first row, else where its testing
    started (:func:`default_start`)."""
    n = encoded.n_rows
    if start is not None:
        row = resolve_start(start, encoded.times, n, zone=encoded.time_zone)
        tested = tested_from(model.metadata, n, row, times=encoded.times,
                             zone=encoded.time_zone)
        return (row, None) if tested is None else (int(tested[0]), tested)
    tested = testing_rows(model.metadata, n, encoded.times, encoded.time_zone)
    if tested is not None:
        return int(tested[0]), tested
    return default_start(model.metadata, encoded.times, n, encoded.time_zone), None


def _recursive_predictions(model, encoded, start_row, n):
    """``(start_row, rows, predicted (m, k), notes)`` of the recursive forecast from
    ``start_row`` up to row ``n - 1`` (from the first row that can be forecast when None),
    or to where it must stop (a gap in time, missing inputs, an output that is not a
    number), as step 6 scores it; ``encoded``: the :class:`~engine.data.Encoded` of the
    frame (``prediction=True``)."""
    least = model.lookback - 1 + int(model.target_offsets[0])
    if start_row is None:
        start_row = least
    if start_row < least:
        raise EngineError(f"A recursive forecast from row {start_row} needs "
                          f"{model.lookback} rows before it; start at row {least} or later.")
    forecast = model.forecast_from(encoded, start_row, n - start_row, until_stop=True)
    notes = []
    if forecast.stopped:
        notes.append(stopped_note(start_row, start_row + len(forecast.rows), forecast.stopped,
                                  len(forecast.rows)))
    return start_row, forecast.rows, forecast.values, notes


def stopped_note(start_row, stop_row, why, count):
    """The note of a recursive forecast from ``start_row`` that stops at ``stop_row``
    (``why``: :func:`engine.model.recursive.stop_reason`), scored on ``count`` rows."""
    return (f"The recursive forecast from row {start_row} stops at row {stop_row} ({why}): "
            f"it and the baselines are scored on the {count} rows before.")


def _one_step_predictions(model, windows, start_row, tested, n):
    """``(start row, rows, predicted (m, k), made)`` one step ahead of the rows from
    ``start_row`` on (or the ``tested`` rows), made from ``windows`` (the
    :class:`~engine.data.PredictionWindows` of the frame), but for a row after a gap in
    time that only a window before the gap reaches (it predicts a missing time, not that
    row). The start row moves on past rows no window predicts, not past those after a
    gap: the history before it (the comparators' fitted rows, the MASE scale) stays where
    step 6 has it. ``made``: ``(chosen (m,), values (m, S, k))``, the indices of the
    windows predicted and their predictions of every step ahead."""
    rows_all = windows.rows[:, 0]
    if start_row is None:
        start_row = int(rows_all[0])
    wanted = (rows_all >= start_row) if tested is None else np.isin(rows_all, tested)
    chosen = np.flatnonzero(wanted & (rows_all < n) & windows.without_gap()[:, 0])
    if chosen.size == 0:
        raise EngineError(f"No row from row {start_row} on can be predicted: each needs "
                          f"{model.lookback} complete rows before it. Choose an "
                          "earlier --from.")
    _, values = model.predict(windows, chosen)
    if tested is None:                   # the first row predicted, not an earlier one asked for
        start_row = max(start_row, int(rows_all[np.flatnonzero(rows_all >= start_row)[0]]))
    return start_row, rows_all[chosen], values[:, 0, :], (chosen, values)


def evaluate_frame(model, frame, start=None, recursive=False, horizon=None):
    """Score a loaded model (:class:`~engine.model.forecaster.Forecaster`) on ``frame`` from
    the row or date ``start`` on (None: the model's testing rows, :func:`testing_rows`, else
    from where its testing started, else from the first row that can be predicted).
    ``horizon``: recursive forecasts of that many rows from many origins (module
    docstring), at most as many as the rows scored. Returns an :class:`Evaluation`."""
    fitted = model.preprocessing
    frame = model.with_time(frame)
    encoded = fitted.encode(frame, prediction=True)
    n = encoded.n_rows
    start_row, tested = _start_row(model, encoded, start)
    drawn = random_testing(model.metadata, testing_rows(model.metadata, n, encoded.times,
                                                        encoded.time_zone))
    notes = unseen_notes(model.metadata, start, tested, start_row) or \
        scope_notes(start, start_row)
    notes += random_testing_notes(start, tested if drawn else None, start_row)
    notes += end_left_notes(model, encoded, start, None if drawn else tested)
    if horizon is not None:
        evaluation = _horizon_evaluation(model, frame, encoded, start_row, tested, horizon)
        evaluation.notes = notes + evaluation.notes
        return evaluation
    windows = made = None
    if recursive:
        if random_testing(model.metadata, tested):
            raise EngineError(f"{RANDOM_TESTING}: a forecast from the first testing row to "
                              "the last would be scored on the training and selection rows "
                              "between them too. Score the testing rows one step ahead "
                              "(without --recursive) or by recursive forecasts from each of "
                              "them (--horizon H); for one forecast over a testing part in "
                              "one piece, set \"method\" to \"chronological\" in the "
                              "\"split\" of the project file's data set settings and fit it "
                              "again.")
        end = n if tested is None else int(tested[-1]) + 1      # the testing part's end
        start_row, rows, predicted, stopped = _recursive_predictions(model, encoded,
                                                                     start_row, end)
        notes = notes + stopped
    else:
        windows = model.windows(encoded)
        start_row, rows, predicted, made = _one_step_predictions(model, windows, start_row,
                                                                 tested, n)
    offset = int(fitted.target_offsets[0])
    if recursive and read_ahead(encoded, [start_row], offset).any():
        raise EngineError(f"{READ_AHEAD.format(row=start_row - offset, origin=start_row)} "
                          "Start the recursive forecast at another row (--from), or fill "
                          "that cell in.")
    scored = encoded.scored_truth(offset, start_row if recursive else None)
    truth = scored[rows]
    names = fitted.target_names
    scale = history_scale(encoded.levels, start_row, encoded.positions)
    scores = _checked(score(truth, predicted, names, scale), start_row)
    period = season_length(fitted.period, encoded.levels, start_row, fitted.time_step)
    naive = baselines(encoded.levels, rows, start_row, period, recursive, names, scale,
                      scored, encoded.positions)
    comparators = fit_comparators(model, encoded, start_row)
    known = np.full(rows.shape, start_row - 1) if recursive else rows - 1
    naive.update(comparator_scores(comparators, truth, rows, known, names, scale))
    row_times = None if encoded.times is None else encoded.times.iloc[rows].to_numpy()
    remark = testing_remark(model, frame, scores, naive["persistence"])
    windows_from = np.full(rows.shape, start_row - offset) if recursive else rows - offset
    labels = labels_notes(fitted, encoded, rows, windows_from, rows - offset, truth,
                          predicted)
    return Evaluation(names, int(start_row), bool(recursive), rows, truth, predicted, scores,
                      naive, row_times, remark, comparators,
                      filled=filled_count(encoded, rows),
                      notes=notes + read_ahead_notes(encoded, rows, truth)
                      + gap_notes(comparators) + labels, labels_note=(labels or [None])[0],
                      windows=windows, window_predictions=made, encoded=encoded)


def scope_notes(start, start_row):
    """``[sentence]`` when neither ``start`` (``--from``) nor the model told which rows to
    score (``start_row`` None: every row that can be predicted is), else ``[]``."""
    if start is not None or start_row is not None:
        return []
    return ["The model records no testing part in this file, so every row that can be "
            "predicted is scored, the rows it was trained on included if this is its "
            "training file; give --from ROW|DATE to score only rows it did not see."]


def labels_notes(fitted, encoded, rows, windows_from, last, truth, predicted):
    """``[sentence]`` on the scored predictions of ``rows`` (m,) that read labels the model
    was not trained on (:func:`~engine.data.unknown_labels.scored_labels_note`), else
    ``[]``. Each prediction read the rows from the window ending at ``windows_from`` (m,)
    (a recursive forecast's origin window) up to row ``last`` (m,); it is scored where
    ``truth`` and ``predicted`` (m, k) are known."""
    scored = np.isfinite(truth).all(axis=1) & np.isfinite(predicted).all(axis=1)
    first = np.asarray(windows_from) - fitted.lookback + 1     # an input's: its own rows
    note = scored_labels_note(fitted, encoded, np.asarray(rows)[scored], first[scored],
                              np.asarray(last)[scored])
    return [note] if note else []


def filled_count(encoded, rows):
    """How many of ``rows`` (any shape) have a target value that was filled in (known in
    ``levels``, not in ``truth``)."""
    rows = np.unique(np.asarray(rows).ravel())
    known = np.isfinite(encoded.levels[rows]).all(axis=1)
    return int((known & ~np.isfinite(encoded.truth[rows]).all(axis=1)).sum())


READ_AHEAD = ("Row {row} holds a value interpolated from a later row (an empty cell filled "
              "from the values around it), so a recursive forecast from row {origin} has "
              "read a value from after its start and is not scored.")


def read_ahead(encoded, origins, offset=1):
    """(m,) bool: whether the forecast from each origin (its first forecast row) read a
    value interpolated from a later row (:meth:`~engine.data.preprocessing.Encoded.
    scored_truth`)."""
    return encoded.read_later(np.asarray(origins, dtype=int) - offset)


def origins_note(encoded, origins, offset=1):
    """``[sentence]`` counting the forecast origins left out by :func:`read_ahead`, else
    ``[]``."""
    count = int(read_ahead(encoded, origins, offset).sum())
    if not count:
        return []
    return [f"{count} of the {len(origins)} forecast origins are not scored: the row before "
            "each holds a value interpolated from a later row, which the forecast read."]


def known_end(encoded):
    """The row after the last one with every target's value: rows of future inputs after
    it (targets empty) are no rows to score."""
    known = np.flatnonzero(np.isfinite(encoded.levels).all(axis=1))
    return int(known[-1]) + 1 if known.size else encoded.n_rows


def read_ahead_notes(encoded, rows, truth):
    """``[sentence]`` on the rows among ``rows`` (m,) that are known but not scored in
    ``truth`` (m, k; :meth:`~engine.data.preprocessing.Encoded.scored_truth`) because the
    forecast read a value interpolated from them or a later row, else ``[]``."""
    rows = np.asarray(rows)
    left_out = np.isfinite(encoded.truth[rows]).all(axis=1) & \
        ~np.isfinite(np.asarray(truth, dtype=float)).all(axis=1)
    count = int(left_out.sum())
    if not count:
        return []
    return [f"{counted(count, 'row')} {verb(count, 'is', 'are')} not scored: the forecast "
            "of each read a value that was "
            "missing and interpolated from a later row, so it knew the value it forecast "
            "(or a later one)."]


def _checked(scores, start_row):
    """``scores``, or a plain error when there are none (no target values to compare)."""
    if scores is None:
        raise EngineError(f"The file has no target values from row {start_row} on to "
                          "compare the predictions with; choose an earlier --from or a file "
                          "with the target column filled in.")
    return scores


def _horizon_evaluation(model, frame, encoded, start_row, tested, horizon):
    """:func:`evaluate_frame` of recursive forecasts of ``horizon`` rows from many origins
    among the scored rows (the ``tested`` rows, else every row from ``start_row`` on, from
    the first that can be forecast when None)."""
    fitted = model.preprocessing
    n = encoded.n_rows
    least = model.lookback - 1 + int(model.target_offsets[0])
    start_row = least if start_row is None else start_row
    if start_row < least:
        raise EngineError(f"A recursive forecast from row {start_row} needs "
                          f"{model.lookback} rows before it; start at row {least} or later.")
    rows = np.arange(start_row, known_end(encoded)) if tested is None else tested
    horizon = check_horizon(horizon, len(rows))
    offset = int(fitted.target_offsets[0])
    origins, values, truth = horizon_forecasts(model, encoded, rows, horizon)
    complete = pooled_origins(encoded, origins, horizon, rows[-1], offset)
    names = fitted.target_names
    scale = history_scale(encoded.levels, start_row, encoded.positions)
    scores = _checked(pooled_scores(truth, values, complete, names, scale), start_row)
    period = season_length(fitted.period, encoded.levels, start_row, fitted.time_step)
    comparators = fit_comparators(model, encoded, start_row)
    guesses, every = horizon_guesses(encoded.levels, comparators, origins, horizon, period,
                                     encoded.positions)
    naive = {name: pooled_scores(truth, guess, complete, names, scale)
             for name, guess in guesses.items()}
    naive.update({name: None for name, c in comparators.items() if c.forecast is None})
    target_rows = (origins[complete][:, None] + np.arange(horizon)[None, :]).ravel()
    to_score = np.isin(target_rows, rows)       # not a random split's other rows between
    k = len(names)
    target_rows = target_rows[to_score]
    starts = np.repeat(origins[complete], horizon)[to_score] - offset
    row_times = None if encoded.times is None else encoded.times.iloc[target_rows].to_numpy()
    remark = testing_remark(model, frame, scores, naive["persistence"])
    truth = truth[complete].reshape(-1, k)[to_score]
    values = values[complete].reshape(-1, k)[to_score]
    labels = labels_notes(fitted, encoded, target_rows, starts, target_rows - offset, truth,
                          values)
    return Evaluation(names, int(start_row), True, target_rows, truth, values,
                      scores, naive, row_times, remark, comparators, horizon,
                      int(complete.sum()), every,
                      comparator_origins(complete, every, guesses, comparators),
                      filled_count(encoded, target_rows),
                      notes=origins_note(encoded, origins, offset) + gap_notes(comparators)
                      + labels, labels_note=(labels or [None])[0], encoded=encoded)


def evaluate_file(model, data_path, start=None, recursive=False, horizon=None):
    """:func:`evaluate_frame` for a model file path (or loaded model) and a CSV path (read
    with :meth:`~engine.model.forecaster.Forecaster.read_csv`)."""
    from engine.model.model_file import loaded_model

    model = loaded_model(model)
    return evaluate_frame(model, model.read_csv(data_path), start, recursive, horizon)
