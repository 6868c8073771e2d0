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

:func:`selection_intervals` gives the plain dict stored under ``"intervals"`` in the model
file's metadata and in the project's results; :func:`half_widths` reads widths back from
it. :func:`recursive_errors` computes the errors of recursive forecasts from many origins
at once, for the calibration here and for the error by horizon on the testing part.
"""

import numpy as np

from engine.errors import EngineError

LEVELS = (0.8, 0.9, 0.95)
METHOD = "split conformal on the selection part"
MIN_COUNT = 10          # a recursive horizon is calibrated only with this many errors
MAX_ORIGINS = 1000      # the latest selection rows used as recursive forecast origins
MAX_HORIZON = 96        # the longest recursive horizon calibrated
BLOCK_VALUES = 4_000_000  # window values per predict call (bounds the memory)


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


def _encoded(fitted, frame):
    from engine.data.preprocessing import Encoded

    return frame if isinstance(frame, Encoded) else fitted.encode(frame, prediction=True)


def recursive_forecasts(fitted, frame, predict, origins, horizon):
    """Recursive forecasts of ``horizon`` rows started at each origin row, and the truth.

    fitted : :class:`~engine.data.FittedPreprocessing` (or its dict)
    frame : the data (a DataFrame, or an :class:`~engine.data.Encoded` of it made with
        ``prediction=True``)
    predict : ``predict(X) -> Y``, X (m, L, n_inputs), Y (m, n_outputs)
    origins : (m,) data rows of the first forecast row (the forecast of origin ``o`` covers
        rows ``o .. o+horizon-1``)
    Returns ``(values, truth)``, both (m, horizon, k) in target units; ``truth`` is NaN past
    the data's end or where the target is missing, ``values`` is NaN where a forecast cannot
    be made (missing inputs, a gap in time, other inputs unknown past the data's end).

    It computes exactly what :func:`engine.data.recursive_forecast` computes for each
    origin, for all origins at once: step ``h`` reads the window ending at row
    ``t = o+h-1`` (``o+h`` for horizon 0); values of ``input_target`` variables at rows
    ``>= o`` are the forecast's own scaled transformed values; other inputs come from the
    data; differences are undone with ``u_r = z_r + u_(r-lag)``, taking ``u`` from the data
    for rows before ``o`` and from the forecast after. One predict call per step for all
    origins (for very many long windows, one per block of origins).
    """
    from engine.data import FittedPreprocessing

    if isinstance(fitted, dict):
        fitted = FittedPreprocessing.from_dict(fitted)
    horizon = int(horizon)
    if horizon < 1:
        raise EngineError("The number of steps to forecast must be at least 1.")
    encoded = _encoded(fitted, frame)
    origins = np.asarray(origins, dtype=np.intp).reshape(-1)
    n, L = encoded.n_rows, fitted.lookback
    first = 1 if fitted.horizon >= 1 else 0
    k = len(fitted.targets)
    if origins.size and (origins.min() - first - L + 1 < 0 or origins.max() > n):
        raise EngineError(f"Recursive forecasts start between row {L - 1 + first} and row "
                          f"{n}; got origins from {origins.min()} to {origins.max()}.")
    rows = origins[:, None] + np.arange(horizon)[None, :]
    truth = np.full((len(origins), horizon, k), np.nan)
    inside = rows < n
    truth[inside] = encoded.levels[rows[inside]]
    values = np.full((len(origins), horizon, k), np.nan)
    block = max(1, BLOCK_VALUES // max(1, L * fitted.n_inputs))
    for start in range(0, len(origins), block):
        chunk = slice(start, start + block)
        values[chunk] = _forecast_block(fitted, encoded, predict, origins[chunk], horizon)
    return values, truth


def _forecast_block(fitted, encoded, predict, origins, horizon):
    """:func:`recursive_forecasts`' values for a block of origins (m, horizon, k)."""
    n, L = encoded.n_rows, fitted.lookback
    first = 1 if fitted.horizon >= 1 else 0
    k = len(fitted.targets)
    m = len(origins)
    feedback = [(j, c) for c, column in enumerate(fitted.input_columns)
                for j, name in enumerate(fitted.target_names) if column["variable"] == name]
    scalers = [fitted.scaler(name) for name in fitted.target_names]
    fed = np.full((m, horizon, len(feedback)), np.nan)   # scaled z of rows o .. o+h-1
    u = np.full((m, horizon, k), np.nan)                 # forecast u of rows o .. o+h-1
    values = np.full((m, horizon, k), np.nan)
    alive = np.ones(m, dtype=bool)
    offsets = np.arange(-L + 1, 1)
    gap = encoded.gap if encoded.gap is not None else np.zeros(n, dtype=bool)
    for h in range(horizon):
        r = origins + h
        t = r - first
        window = t[:, None] + offsets[None, :]                   # (m, L) data rows
        past = window < origins[:, None]
        known = window < n
        X = np.full((m, L, fitted.n_inputs), np.nan)
        X[known] = encoded.features[window[known]]
        local = window - origins[:, None]                        # forecast step of a row
        future = ~past
        if feedback and future.any():
            which, position = np.nonzero(future)
            steps = local[which, position]
            for f, (_, c) in enumerate(feedback):
                X[which, position, c] = fed[which, steps, f]
        # the rows before the origin must be usable and in one segment; the forecast's own
        # rows continue that segment unless the data has a gap in time before them
        clipped = np.minimum(window, n - 1)
        base = np.minimum(t, origins - 1)
        ok = np.where(past, encoded.input_ok[clipped] &
                      (encoded.segment[clipped] == encoded.segment[np.maximum(base, 0)][:, None]),
                      ~(known & gap[clipped]))
        alive &= ok.all(axis=1) & np.isfinite(X).all(axis=(1, 2))
        if not alive.any():
            break
        outputs = np.asarray(predict(X[alive]), dtype=float)
        if outputs.shape != (int(alive.sum()), fitted.n_outputs):
            raise EngineError(f"predict returned shape {outputs.shape}; expected "
                              f"({int(alive.sum())}, {fitted.n_outputs}).")
        z_scaled = np.full((m, k), np.nan)
        z_scaled[alive] = outputs[:, :k]
        z = np.column_stack([s.inverse(z_scaled[:, j]) if s else z_scaled[:, j]
                             for j, s in enumerate(scalers)])
        if fitted.lag:
            back = r - fitted.lag
            if h >= fitted.lag:
                base_u = u[:, h - fitted.lag]
            else:
                base_u = np.full((m, k), np.nan)
                valid = back >= 0
                base_u[valid] = encoded.u[back[valid]]
            u[:, h] = z + base_u
        else:
            u[:, h] = z
        for f, (j, _) in enumerate(feedback):
            fed[:, h, f] = z_scaled[:, j]
        values[:, h] = np.exp(u[:, h]) if fitted.target_transform.startswith("log") \
            else u[:, h]
        alive &= np.isfinite(values[:, h]).all(axis=1)
    return values


def recursive_errors(fitted, frame, predict, origins, horizon):
    """Errors (forecast minus truth) of recursive forecasts started at each origin row:
    (n_origins, horizon, k) in target units, NaN where the truth is missing or the
    forecast cannot be made. See :func:`recursive_forecasts`."""
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
    horizon with at least :data:`MIN_COUNT` errors (and at least 1).
    """
    anchors = np.asarray(prepared.anchors["selection"])
    if anchors.size == 0:
        return None
    fitted = prepared.fitted
    values = prepared.inverse(network.predict(prepared.X_sel), "selection")
    truth = prepared.true_values("selection")
    direct_errors = np.abs(values - truth)                        # (n, steps, k)
    first = 1 if fitted.horizon >= 1 else 0
    origins = anchors[-MAX_ORIGINS:] + first
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

    def widths(abs_errors):
        return {level_key(level): [[None if not np.isfinite(w) else float(w) for w in row]
                                   for row in conformal_half_width(abs_errors, level)]
                for level in LEVELS}

    return {"method": METHOD, "levels": list(LEVELS), "count": int(len(anchors)),
            "horizon": H, "recursive_count": [int(c) for c in counts],
            "direct": widths(direct_errors), "recursive": widths(errors)}


def half_widths(metadata, level, steps, mode="recursive"):
    """Half-widths (steps, k) in target units for ``steps`` rows ahead from a model's
    metadata (``ModelFile.metadata``, or the ``"intervals"`` dict itself); the interval of
    a prediction ``y^`` at ``h`` steps ahead is ``y^ +- width[h-1]``.

    mode : ``"recursive"`` for forecasts that feed their own predictions back (the widths
        grow with the horizon), ``"direct"`` for the network's own output steps.
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
    index = np.minimum(np.arange(steps), len(stored) - 1)
    return stored[index]


def calibrated_steps(metadata, level, mode="recursive"):
    """How many steps ahead the stored half-widths of ``level`` cover (see
    :func:`half_widths`, which repeats the last one past them)."""
    intervals = metadata.get("intervals", metadata)
    return len(intervals[mode][level_key(level)])


def interval_bounds(values, widths):
    """``(lower, upper)`` of predictions ``values`` (..., steps, k) with half-widths
    ``widths`` (steps, k)."""
    values = np.asarray(values, dtype=float)
    return values - widths, values + widths


def coverage(errors, widths):
    """The share of finite ``errors`` (n, steps, k) with ``|error| <= width`` (steps, k),
    per step and target: (steps, k); NaN where no error is known."""
    errors = np.asarray(errors, dtype=float)
    known = np.isfinite(errors)
    inside = (np.abs(np.where(known, errors, 0.0)) <= widths) & known
    with np.errstate(invalid="ignore", divide="ignore"):
        return inside.sum(axis=0) / np.where(known.sum(axis=0) > 0, known.sum(axis=0), np.nan)


__all__ = ["LEVELS", "conformal_half_width", "coverage", "default_horizon", "half_widths",
           "interval_bounds", "level_key", "recursive_errors", "recursive_forecasts",
           "selection_intervals"]
