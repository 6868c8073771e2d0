"""Each series on its own scale, so that one network reads all of them alike.

Per series ``i`` and target ``j``, fitted on its training rows only (those before its selection
and testing rows):

* the base value ``u = log(y)`` when every such value is above 0 (a change in ``u`` is a
  relative change, the same for a series of 10 and one of 10,000), else
  ``u = y / mean|y|``;
* the scale ``s = mean |u_t - u_(t-m)|`` over those rows exactly ``m`` time steps apart
  (``m`` the season, 1 without one; lag 1 when the rows hold no such pair; the other
  series' median scale when it never changes; a gap in time pairs no rows across it): the
  MASE
  denominator in base units, so that an error of 1 is as large as the season-ago
  forecast's typical error;
* the level ``l_t = mean(u_(t-k+1) .. u_t)``, the mean of the last ``k`` base values
  (``k`` = :func:`level_window`).

Row ``t`` of the network's inputs holds, per target, the change ``(u_t - u_(t-1)) / s`` and
the distance from the level ``(u_t - l_t) / s``, then each input column standardized by its
series' mean and standard deviation, then the series' static values (one-hot categories,
the same in every row of the series; see
:func:`~engine.many.series_data.static_one_hot`). Every feature is a function of one row and the rows
before it, so windows stay views into one array. A window with its last row (anchor) ``t``
is trained to give ``(u_(t+h) - l_t) / s`` for ``h = 1 .. H``: the future relative to the
window's own level (as ES-RNN and N-BEATS normalise each window).
"""

from dataclasses import dataclass, field

import numpy as np

from engine.testing.metrics import naive_scale

FEATURES_PER_TARGET = 2
SERIES_ROWS = ("log", "magnitude", "scale", "input_mean", "input_std", "static")
"""The per-series arrays of :class:`SeriesScaling`, one row per series."""


LONGEST_SEASON_LEVEL = 24      # a longer season (52 weeks) makes too slow a level


def level_window(season, lookback):
    """The rows the level averages: a whole season of up to :data:`LONGEST_SEASON_LEVEL`
    rows (evening out the daily cycle of hourly rows), else 4; at most the lookback."""
    rows = int(season) if season and 1 < season <= LONGEST_SEASON_LEVEL else 4
    return max(1, min(rows, int(lookback)))


@dataclass
class SeriesScaling:
    """The per-series table (see the module docstring); arrays have one row per series."""

    log: np.ndarray            # (n_series, n_targets) bool
    magnitude: np.ndarray      # (n_series, n_targets) mean |y| (not log; NaN: 0 or none)
    scale: np.ndarray          # (n_series, n_targets) s
    input_mean: np.ndarray     # (n_series, n_inputs)
    input_std: np.ndarray      # (n_series, n_inputs)
    season: int
    level_rows: int
    static: np.ndarray = None  # (n_series, n_static) the series' static values (one-hot)
    static_names: list = field(default_factory=list)

    def __post_init__(self):
        if self.static is None:
            self.static = np.zeros((len(self.log), 0))

    def to_dict(self):
        return {"season": self.season, "level_rows": self.level_rows,
                **{name: getattr(self, name).tolist() for name in SERIES_ROWS},
                "static_names": list(self.static_names)}

    @classmethod
    def from_dict(cls, data):
        """The table of :meth:`to_dict` (a table without static values has none)."""
        n = len(data["log"])
        data = {"static": [[]] * n, "static_names": [], **data}
        return cls(log=np.asarray(data["log"], bool).reshape(n, -1),
                   **{name: np.asarray(data[name], float).reshape(n, -1)
                      for name in SERIES_ROWS if name != "log"},
                   season=int(data["season"]), level_rows=int(data["level_rows"]),
                   static_names=[str(name) for name in data["static_names"]])

    def base(self, values, series):
        """Base values ``u`` (rows, n_targets) of ``values`` whose rows belong to
        ``series`` (rows,)."""
        values = np.asarray(values, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            logged = np.log(np.where(values > 0, values, np.nan))
        return np.where(self.log[series], logged, values / self.magnitude[series])

    def values(self, base, series):
        """The inverse of :meth:`base`: target values from base values (rows, n_targets)
        or (rows, H, n_targets) of ``series`` (rows,)."""
        base = np.asarray(base, float)
        extra = (slice(None),) + (None,) * (base.ndim - 2)
        log, magnitude = self.log[series][extra], self.magnitude[series][extra]
        with np.errstate(over="ignore"):
            return np.where(log, np.exp(np.minimum(base, 700.0)), base * magnitude)


def fit_scaling(data, fit_rows, season, lookback, scale_rows=None):
    """The :class:`SeriesScaling` of a :class:`~engine.many.series_data.SeriesSet`, each
    series fitted on its first ``fit_rows[i]`` rows (its training rows), for windows of
    ``lookback`` rows. A target of a series with no known value in those rows (a series
    too short for a training window) is fitted on its first ``scale_rows[i]`` rows
    instead (its rows before the testing part; None: it is not), and so are the
    series' inputs when that holds for every target, so that a later file
    with more of its rows is read on its own scale, not in made-up units of 1. A target
    without a known value other than 0 in those rows either (a series whose rows were all
    in the testing part; a product never sold) has no scale: its magnitude is NaN (and so
    is the input mean of the series without a row), so that the network never reads the
    series (its features are unknown; it gets its own forecast,
    :mod:`engine.many.fallback`: zeros of zeros, not values of about 0.001 in made-up
    units of 1 with bounds below 0) and no value of it is said to lie far from values it
    was never trained on. A series
    whose values never change takes the median scale of the others (1 when none
    changes): its errors, and so its intervals, are then of the usual size, not of a
    made-up unit."""
    n, t = data.n_series, len(data.target_names)
    log = np.zeros((n, t), bool)
    magnitude, scale = np.ones((n, t)), np.ones((n, t))
    k = data.inputs.shape[1]
    input_mean, input_std = np.zeros((n, k)), np.ones((n, k))
    lag = max(int(season or 1), 1)
    step = data.time_step()
    for i in range(n):
        target_rows = [_target_rows(data, i, j, fit_rows, scale_rows) for j in range(t)]
        for j, rows in enumerate(target_rows):
            y = data.targets[int(data.starts[i]):int(data.starts[i]) + rows, j]
            positions = data.positions(i, step)[:rows] if step else None
            known = y[np.isfinite(y)]
            log[i, j] = known.size > 0 and bool((known > 0).all())
            size = np.mean(np.abs(known)) if known.size else 0.0
            magnitude[i, j] = size if size > 0 else np.nan
            u = np.log(y) if log[i, j] else y / magnitude[i, j]
            scale[i, j] = _change_scale(u, lag, positions)
        x = data.inputs[int(data.starts[i]):int(data.starts[i]) + min(target_rows)]
        if k:
            with np.errstate(invalid="ignore"):
                input_mean[i] = np.nan_to_num(np.nanmean(x, axis=0)) if len(x) else np.nan
                spread = np.nanstd(x, axis=0) if len(x) else np.ones(k)
            input_std[i] = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    for j in range(t):          # a series that never changes: the others' usual scale
        changing = np.isfinite(scale[:, j])
        scale[~changing, j] = np.median(scale[changing, j]) if changing.any() else 1.0
    return SeriesScaling(log, magnitude, scale, input_mean, input_std,
                         season=lag, level_rows=level_window(season, lookback),
                         static=np.array(data.static, float),
                         static_names=list(data.static_names))


def _target_rows(data, i, j, fit_rows, scale_rows):
    """The rows of series ``i`` that target ``j``'s scaling is fitted on
    (:func:`fit_scaling`): its first ``fit_rows[i]``, or ``scale_rows[i]`` when those
    hold no known value of it other than 0 (a product that started selling in the
    selection rows keeps a scale of its own)."""
    rows = int(fit_rows[i])
    if scale_rows is not None:
        start = int(data.starts[i])
        values = data.targets[start:start + rows, j]
        if not (np.isfinite(values) & (values != 0)).any():
            rows = int(scale_rows[i])
    return max(rows, 0)


MIN_CHANGE = 1e-9
"""The smallest mean change of ``u`` (a series divided by its magnitude, or its logarithm)
taken as a scale: below it the changes are rounding (a series that repeats its season
exactly, written to 16 digits, changes by about 1e-16), and its errors divided by such
a scale would swamp every series' interval errors."""


def _change_scale(u, lag, positions=None):
    """``mean |u_t - u_(t-lag)|`` over the pairs of known values ``lag`` time steps apart
    (``positions``: the rows' places in time steps, so that no pair spans a gap in time;
    None: one step apart each; :func:`~engine.testing.metrics.naive_scale`); lag 1 when
    there is no such pair at ``lag`` or their mean is below :data:`MIN_CHANGE`; NaN when
    that is too (:func:`fit_scaling` then gives the series the median scale of the
    others)."""
    for step in (lag, 1):
        change = naive_scale(u, step, positions)[0]
        if change > MIN_CHANGE:
            return float(change)
    return np.nan


def rolling_mean(u, segment, k):
    """``l_t = mean(u_(t-k+1) .. u_t)`` per column of ``u`` (rows, n); NaN where those rows
    are not all known or not all in ``t``'s segment."""
    known = np.isfinite(u)
    total = np.vstack([np.zeros((1, u.shape[1])), np.cumsum(np.where(known, u, 0.0), axis=0)])
    count = np.vstack([np.zeros((1, u.shape[1])), np.cumsum(known, axis=0)])
    out = np.full(u.shape, np.nan)
    if len(u) >= k:
        full = (count[k:] - count[:-k]) == k
        same = (segment[k - 1:] == segment[:len(u) - k + 1])[:, None]
        out[k - 1:] = np.where(full & same, (total[k:] - total[:-k]) / k, np.nan)
    return out


def row_features(data, scaling, dtype=np.float32):
    """``(features, base, level)`` of every row of ``data``: features (rows,
    2 n_targets + n_inputs + n_static) in ``dtype`` (see the module docstring; the static
    values are the table's, ``scaling.static``, not ``data``'s), the base values ``u``
    and the levels ``l`` (rows, n_targets), float64; NaN where a value is unknown."""
    series = data.series_of_rows()
    u = scaling.base(data.targets, series)
    level = rolling_mean(u, data.segment, scaling.level_rows)
    s = scaling.scale[series]
    change = np.full(u.shape, np.nan)
    same = data.segment[1:] == data.segment[:-1]
    change[1:] = np.where(same[:, None], u[1:] - u[:-1], np.nan)
    columns = [change / s, (u - level) / s]
    if data.inputs.shape[1]:
        columns.append((data.inputs - scaling.input_mean[series]) / scaling.input_std[series])
    if scaling.static.shape[1]:
        columns.append(scaling.static[series])
    features = np.concatenate(columns, axis=1).astype(dtype)
    return np.ascontiguousarray(features), u, level


def window_targets(base, level, scale, anchors, horizon):
    """(n, H * n_targets) targets of the windows with last rows ``anchors``:
    ``(u_(t+h) - l_t) / s``, step-major (step 1's targets first, as
    :func:`engine.data.windows.target_view`). ``scale`` (rows, n_targets) is each row's
    series scale."""
    steps = anchors[:, None] + np.arange(1, horizon + 1)[None, :]
    z = (base[steps] - level[anchors][:, None, :]) / scale[anchors][:, None, :]
    return z.reshape(len(anchors), -1)


def from_targets(z, level, scale, horizon):
    """Base values (n, H, n_targets) from network outputs ``z`` (n, H * n_targets), the
    anchors' levels and scales (n, n_targets): the inverse of :func:`window_targets`."""
    z = np.asarray(z, float).reshape(len(z), horizon, -1)
    return level[:, None, :] + z * scale[:, None, :]
