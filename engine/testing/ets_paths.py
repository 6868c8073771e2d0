"""ETS forecasts from many origins at once, read off the states of one smoothing pass.

statsmodels' ``ETSResults.predict(start=p, end=p + h - 1, dynamic=True)`` rebuilds the
internal state matrix (n, 2 + m) of the whole series on every call to read one row of it
(0.2 s for 200,000 rows: two minutes for the 500 origins of step 6's errors by horizon),
and building the results of ``ETSModel.smooth`` computes the parameters' covariance from a
numerical Hessian of the likelihood over every row (a minute), which no forecast uses.
:func:`smoothed_states` smooths without the results object; :func:`ets_paths` forecasts
from every origin with the same operations, in the same order, as statsmodels'
``simulate`` with zero errors (additive errors), so the values are the same to the bit.

From the states after position ``p - 1`` (level ``l``, trend ``b``; 0 without a trend)
and damping ``phi`` (1 when not damped), the forecast of position ``p + t``
(``t = 0 .. h-1``)::

    b_(t+1) = phi b_t,   l_(t+1) = l_t + b_(t+1),   y^_(p+t) = l_(t+1) + s_(p - m + (t mod m))

with ``b_0 = b``, ``l_0 = l`` and ``s_r`` the seasonal state smoothed at position ``r``, or,
before the first position (``r = -1 .. -m``), the initial seasonal state ``-r - 1`` of the
parameters (statsmodels' ``initial_seasonal`` in its internal order).
"""

import numpy as np


def smoothed_states(model, params):
    """``(fitted (n,), states (n, k_states), internal (6 + m,))`` of the statsmodels
    ``ETSModel`` ``model`` (of an array, not a Series) smoothed with ``params``: the
    one-step predictions, the states after each position (level, then trend and season
    when the form has them) and the parameters in statsmodels' internal order
    ``[alpha, beta, gamma, phi, l_0, b_0, s_0 .. s_(m-1)]`` (``m`` 1 without a season)."""
    fitted, states = model.smooth(params, return_raw=True)
    # the internal order is statsmodels' own (its predict reads the same array)
    internal = model._internal_params(np.asarray(params))
    return np.asarray(fitted), np.asarray(states), np.asarray(internal, dtype=float)


def ets_paths(states, internal, positions, steps, trend, seasonal):
    """Forecasts (o, steps) of ``steps`` positions from each origin ``positions`` (o,)
    (``1 <= p <= n``: the first forecast position, read from the states after ``p - 1``)
    by the formula of the module. ``states`` (n, k_states), ``internal`` (6 + m,) as
    :func:`smoothed_states` gives them; ``trend``, ``seasonal``: whether the form has a
    trend and a season (the season is the last column of ``states``)."""
    p = np.asarray(positions, dtype=int)
    level = states[p - 1, 0]
    slope = states[p - 1, 1] if trend else np.zeros(len(p))
    phi, m = internal[3], len(internal) - 6
    history = np.r_[internal[6:][::-1], states[:, -1]] if seasonal else None  # [r + m]: s_r
    out = np.empty((len(p), int(steps)))
    for t in range(int(steps)):
        slope = slope * phi
        level = level + slope
        out[:, t] = level + history[p + t % m] if seasonal else level
    return out
