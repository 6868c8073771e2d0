"""Target transforms: what the network predicts instead of the target's raw value.

With ``y_r`` the target at row ``r`` and ``u_r = ln y_r`` for the log variants (else
``u_r = y_r``), the transformed target is::

    none, log:                         z_r = u_r                    (lag 0)
    difference, log_difference:        z_r = u_r - u_(r-1)          (lag 1)
    seasonal_difference, log_seasonal: z_r = u_r - u_(r-P)          (lag P, the period)

``z_r`` is undefined (NaN) when row ``r - lag`` is not in the same segment as ``r``
(before the start, across a gap in time or a row left out). The inverse is exact::

    u_r = z_r + u_(r-lag)   (lag >= 1),    u_r = z_r (lag 0);    y_r = exp(u_r) for log

so predictions of the change from the last value (or from the value one period ago) turn
back into target units given the known or already reconstructed ``u_(r-lag)``.
"""

import numpy as np

from engine.data.windows import target_offsets
from engine.errors import EngineError


def lag_of(method, period=None):
    """The row distance of the base value: 0, 1 or the period."""
    if method in ("none", "log"):
        return 0
    if method in ("difference", "log_difference"):
        return 1
    if method in ("seasonal_difference", "log_seasonal_difference"):
        if period is None:
            raise EngineError("Seasonal differences need a season, and none was found in "
                              "the data or given: set the season length (e.g. 12 for "
                              "monthly data with a yearly cycle), or choose another target "
                              "transform.")
        if isinstance(period, bool) or int(period) != period or period < 1:
            raise EngineError(f"Seasonal differences need a period of at least 1 row (e.g. "
                              f"12 for monthly data with a yearly cycle); got {period!r}.")
        return int(period)
    raise EngineError(f"Unknown target transform {method!r}.")


def uses_log(method):
    return method.startswith("log")


def to_base(levels, method, name="The target"):
    """``u = ln y`` for the log variants, else ``y`` (float copy)."""
    levels = np.asarray(levels, dtype=float)
    if not uses_log(method):
        return levels.copy()
    finite = levels[np.isfinite(levels)]
    if finite.size and finite.min() <= 0:
        raise EngineError(f"{name} has values of 0 or below (the smallest is "
                          f"{finite.min():g}), so a logarithm transform is impossible; "
                          "choose no transform or differences.")
    return np.log(levels)


def from_base(u, method):
    return np.exp(u) if uses_log(method) else np.asarray(u, dtype=float)


def forward(levels, method, period, segment, name="The target"):
    """``z`` (same shape as ``levels``, 1-D or 2-D rows x targets) from the target levels;
    ``segment`` (rows,) holds each row's segment number."""
    u = to_base(levels, method, name)
    lag = lag_of(method, period)
    if lag == 0:
        return u
    z = np.full_like(u, np.nan)
    if lag < len(u):
        same = (segment[lag:] == segment[:-lag])
        diff = u[lag:] - u[:-lag]
        if diff.ndim == 2:
            same = same[:, None]
        z[lag:] = np.where(same, diff, np.nan)
    return z


def invert_steps(z, u_known, anchors, method, period, horizon):
    """Target levels from transformed predictions.

    z : (n, S, n_targets) unscaled transformed predictions for rows ``anchor + offset(s)``,
        where offset(s) = s + 1 (horizon >= 1) or 0 (horizon 0)
    u_known : (rows, n_targets) known ``u`` (ln y for log variants) of the frame
    anchors : (n,) the anchor row (last input row) of each window
    Returns (n, S, n_targets) levels ``y`` in target units.

    The base ``u_(r-lag)`` comes from ``u_known`` when ``r - lag`` is at or before the
    anchor (known when predicting) and from the already reconstructed steps otherwise.
    """
    z = np.asarray(z, dtype=float)
    anchors = np.asarray(anchors, dtype=int)
    lag = lag_of(method, period)
    steps = z.shape[1]
    u = np.empty_like(z)
    first = int(target_offsets(horizon)[0])
    for s in range(steps):
        if lag == 0:
            u[:, s] = z[:, s]
            continue
        offset = s + first
        base_offset = offset - lag
        if base_offset <= 0:
            rows = anchors + base_offset
            if rows.min(initial=0) < 0:
                raise EngineError("A prediction needs a target value before the first "
                                  "row; start later in the file.")
            u[:, s] = z[:, s] + u_known[rows]
        else:
            u[:, s] = z[:, s] + u[:, base_offset - first]
    return from_base(u, method)
