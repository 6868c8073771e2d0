"""Prediction intervals by split conformal prediction on the selection part.

The network never learns from the selection windows' errors (they only choose the best
epoch), so their absolute errors ``e_i = |y^_i - y_i|``, ``i = 1..n``, calibrate an interval
``y^ +- q`` with

    q = the k-th smallest e_i,   k = ceil((n + 1) * level)         (q = inf when k > n)

For a new error exchangeable with the calibration errors, ``P(|y^ - y| <= q) >= level``
(and ``< level + 1/(n+1)`` when the errors have no ties). Widths are computed per target,
per output step ("direct": the network's own multi-step outputs) and per horizon of a
recursive forecast ("recursive": forecasts that feed their predictions back, started at
every selection row), in the targets' units.

A width never narrows with the steps ahead, recursive or direct: the width at ``h`` steps
ahead is the largest of the per-step quantiles ``q_1 .. q_h`` (:func:`never_narrower`). A
forecast further ahead from the same origin is not more certain: a recursive one carries
the error of the nearer steps it was built on, and a direct output ``h`` steps ahead reads
no more than the output ``h - 1`` steps ahead. Yet each ``q_h`` is one order statistic of
its own few errors (at 95% and ``n < 39`` errors, the largest; airline's 13 selection
windows give each output step's 90% width as the largest of its 13 errors): one hard row
can widen ``q_1`` and not ``q_2``, also because a recursive horizon's origins differ by
horizon (the latest ``h - 1`` selection origins forecast into the testing part at ``h``
steps and are left out). Widening an interval never lowers its coverage, so each step
keeps its guarantee.

:func:`selection_intervals` gives the plain dict stored under ``"intervals"`` in the model
file's metadata and in the project's results; :func:`half_widths` reads widths back from
it. :func:`recursive_errors` computes the errors of recursive forecasts from many origins
at once (:func:`engine.model.recursive.recursive_forecasts`) for the calibration here.
"""

import numpy as np

from engine.errors import EngineError
from engine.model.recursive import recursive_forecasts
from engine.words import counted

LEVELS = (0.8, 0.9, 0.95)
METHOD = "split conformal on the selection part"
MIN_COUNT = 10          # a recursive horizon is calibrated only with this many errors
MAX_ORIGINS = 1000      # the latest selection rows used as recursive forecast origins
MAX_HORIZON = 96        # the longest recursive horizon calibrated


def level_key(level):
    """The text key of a level in the stored dict: ``0.9 -> "0.9"``."""
    return f"{float(level):g}"


def conformal_half_width(abs_errors, level):
    """Split conformal half-width of the absolute errors ``abs_errors`` (n, ...) at
    ``level`` (0 < level < 1): the k-th smallest error along axis 0 with
    ``k = ceil((n + 1) * level)``, infinite when ``k > n``. NaN errors (no truth) are left
    out, so ``n`` is counted per column. Returns an array of shape ``(...)``."""
    level = float(level)
    if not 0 < level < 1:
        raise EngineError(f"The interval level must lie between 0 and 1 (e.g. 0.9 for 90%); "
                          f"got {level}.")
    errors = np.abs(np.asarray(abs_errors, dtype=float))
    ordered = np.sort(errors, axis=0)                 # NaN sorts last
    n = np.isfinite(errors).sum(axis=0)
    # (n + 1) * level is computed in binary; a tiny tolerance keeps 10 * 0.9 at 9, not 10
    k = np.ceil((n + 1) * level - 1e-9).astype(int)
    inside = (k <= n) & (k >= 1)
    picked = np.take_along_axis(ordered, np.clip(k - 1, 0, max(len(ordered) - 1, 0))[None],
                                axis=0)[0] if len(ordered) else np.zeros(n.shape)
    return np.where(inside, picked, np.inf)


def never_narrower(widths):
    """Half-widths by horizon ``widths`` (H, ...) as a running maximum along the horizon,
    ``w'_h = max(q_1, ..., q_h)`` (infinite from the first infinite one on); see the
    module docstring for why."""
    widths = np.asarray(widths, dtype=float)
    return np.maximum.accumulate(widths, axis=0) if len(widths) else widths


def fewest_errors(level):
    """The fewest calibration errors that bound a ``level`` interval: the smallest ``n``
    with ``ceil((n + 1) * level) <= n`` (:func:`conformal_half_width`), i.e.
    ``n >= level / (1 - level)``: 4 for 80%, 9 for 90%, 19 for 95%."""
    return int(np.ceil(float(level) / (1 - float(level)) - 1e-9))


def recursive_errors(fitted, frame, predict, origins, horizon):
    """Errors (forecast minus truth) of recursive forecasts started at each origin row:
    (n_origins, horizon, k) in target units, NaN where the truth is missing or the
    forecast cannot be made. See :func:`engine.model.recursive.recursive_forecasts`."""
    values, truth = recursive_forecasts(fitted, frame, predict, origins, horizon)
    return values - truth


def default_horizon(period):
    """The longest recursive horizon calibrated: ``max(2 * period, 24)``, at most
    :data:`MAX_HORIZON` (forecasts from every origin cost origins x horizons windows)."""
    return min(max(2 * int(period), 24) if period else 24, MAX_HORIZON)


def selection_intervals(network, prepared, horizon=None):
    """Interval half-widths calibrated on the selection part of ``prepared``
    (:class:`~engine.data.PreparedData`) for ``network``; a plain JSON-ready dict::

        {"method": "split conformal on the selection part", "levels": [0.8, 0.9, 0.95],
         "count": n,                               # selection windows (direct widths)
         "horizon": H, "recursive_count": [n_1, ..., n_H],
         "direct": {"0.9": [[width per target] per output step], ...},
         "recursive": {"0.9": [[width per target] per horizon 1..H], ...}}

    Infinite widths (too few errors for the level) are stored as None. None when the
    selection part is empty.

    Recursive forecasts start at every selection row (the latest :data:`MAX_ORIGINS`) and
    are scored on rows that are not targets of testing windows, so testing stays unseen.
    ``H`` is ``horizon`` or :func:`default_horizon` of the period, shortened to the last
    horizon with at least :data:`MIN_COUNT` errors (and at least 1). The widths of both
    never narrow with the steps ahead (:func:`never_narrower`).
    """
    anchors = np.asarray(prepared.anchors["selection"])
    if anchors.size == 0:
        return None
    fitted = prepared.fitted
    values = prepared.inverse(network.predict(prepared.X_sel), "selection")
    truth = prepared.true_values("selection")
    direct_errors = np.abs(values - truth)                        # (n, steps, k)
    origins = anchors[-MAX_ORIGINS:] + fitted.target_offsets[0]
    H = int(horizon or default_horizon(fitted.period))
    H = max(1, min(H, len(origins)))
    encoded = fitted.encode(prepared.table.frame, prediction=True)
    errors = recursive_errors(fitted, encoded, network.predict, origins, H)
    rows = origins[:, None] + np.arange(H)[None, :]
    testing_rows = prepared.target_rows("testing").ravel()
    errors[np.isin(rows, testing_rows)] = np.nan
    counts = np.isfinite(errors).all(axis=2).sum(axis=0)
    enough = np.flatnonzero(counts >= MIN_COUNT)
    H = int(enough[-1]) + 1 if enough.size else 1
    errors, counts = np.abs(errors[:, :H]), counts[:H]

    def widths(abs_errors, shape=np.asarray):
        return {level_key(level): [[None if not np.isfinite(w) else float(w) for w in row]
                                   for row in shape(conformal_half_width(abs_errors, level))]
                for level in LEVELS}

    return {"method": METHOD, "levels": list(LEVELS), "count": int(len(anchors)),
            "horizon": H, "recursive_count": [int(c) for c in counts],
            "direct": widths(direct_errors, never_narrower),
            "recursive": widths(errors, never_narrower)}


def half_widths(metadata, level, steps, mode="recursive"):
    """Half-widths (steps, k) in target units for ``steps`` rows ahead from a model's
    metadata (``Forecaster.metadata``, or the ``"intervals"`` dict itself); the interval of
    a prediction ``y^`` at ``h`` steps ahead is ``y^ +- width[h-1]``.

    mode : ``"recursive"`` for forecasts that feed their own predictions back,
        ``"direct"`` for the network's own output steps. Either's widths never narrow with
        the steps ahead (:func:`never_narrower`), also those of model files written before
        they were stored so.
    Horizons past the stored ones (``H`` recursive horizons, or the model's output steps)
    repeat the last stored width, which then probably understates the uncertainty. An
    infinite width means the selection part had too few errors for that level.

    For a model with other inputs than the targets' own history, the recursive widths were
    calibrated with the true values of those inputs at the forecast rows (taken from the
    data): they assume those inputs are known in advance (a calendar, a schedule, a
    setpoint). When they are themselves forecasts, the real errors are larger.
    """
    intervals = metadata.get("intervals", metadata) if isinstance(metadata, dict) else None
    if not isinstance(intervals, dict) or "recursive" not in intervals:
        if isinstance(metadata, dict) and "intervals" in metadata and \
                metadata["intervals"] is None:
            raise EngineError("This model has no prediction intervals because its training "
                              "had no selection part to calibrate them on; give the "
                              "selection part some rows and train the model again.")
        raise EngineError("This model file has no prediction intervals (it was trained by "
                          "an earlier version of RNN Studio); train the model again to "
                          "get them.")
    if mode not in ("recursive", "direct"):
        raise EngineError(f"Unknown interval mode {mode!r}; use 'recursive' or 'direct'.")
    table = intervals[mode].get(level_key(level))
    if table is None:
        raise EngineError(f"There are no {float(level):.0%} intervals; choose one of "
                          + ", ".join(f"{float(x):.0%}" for x in intervals.get("levels",
                                                                               LEVELS)) + ".")
    steps = int(steps)
    if steps < 1:
        raise EngineError("The number of steps must be at least 1.")
    stored = np.array([[np.inf if w is None else float(w) for w in row] for row in table],
                      dtype=float)
    stored = never_narrower(stored)
    index = np.minimum(np.arange(steps), len(stored) - 1)
    return stored[index]


def calibrated_steps(metadata, level, mode="recursive"):
    """How many steps ahead the stored half-widths of ``level`` cover (see
    :func:`half_widths`, which repeats the last one past them)."""
    intervals = metadata.get("intervals", metadata)
    return len(intervals[mode][level_key(level)])


def held_note(calibrated, steps):
    """The note on half-widths asked for ``steps`` ahead when only ``calibrated`` steps
    were calibrated (:func:`calibrated_steps`; :func:`half_widths` holds the last one past
    them); None when ``steps`` are no more."""
    if steps <= calibrated:
        return None
    return (f"The intervals were calibrated for up to {counted(calibrated, 'step')} ahead; "
            f"past that they keep the width they have {counted(calibrated, 'step')} ahead and "
            "probably understate the uncertainty.")


def interval_bounds(values, widths):
    """``(lower, upper)`` of predictions ``values`` (..., steps, k) with half-widths
    ``widths`` (steps, k)."""
    values = np.asarray(values, dtype=float)
    return values - widths, values + widths


def coverage(errors, widths):
    """The share of finite ``errors`` (n, steps, k) with ``|error| <= width`` (steps, k, or
    the shape of ``errors``), per step and target: (steps, k); NaN where no error is known,
    and where an interval could not be made (an infinite width, which holds every error and
    so says nothing: its coverage is unknown, not 100%)."""
    errors = np.asarray(errors, dtype=float)
    known = np.isfinite(errors)
    inside = (np.abs(np.where(known, errors, 0.0)) <= widths) & known
    made = np.isfinite(np.broadcast_to(widths, errors.shape)).all(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = inside.sum(axis=0) / np.where(known.sum(axis=0) > 0, known.sum(axis=0), np.nan)
    return np.where(made, share, np.nan)


__all__ = ["LEVELS", "conformal_half_width", "coverage", "default_horizon", "half_widths",
           "interval_bounds", "level_key", "never_narrower", "recursive_errors",
           "selection_intervals"]
