"""How much of the recurrent part a network with a linear path keeps: chosen on the
selection part, one step ahead and recursively.

A network with a linear path computes ``y = W_head h_T + b_head + W_ar x`` (``x`` the
flattened window). Its least-squares start ``(W_ar^0, b^0)`` is the linear autoregression
alone. For a share ``a`` in :data:`SHARES` the blend::

    y_a = a (W_head h_T + b_head + W_ar x) + (1 - a) (b^0 + W_ar^0 x)
        = (a W_head) h_T + (a b_head + (1 - a) b^0) + (a W_ar + (1 - a) W_ar^0) x

is again one network of the same shape (``a = 1``: the trained network; ``a = 0``: the
linear autoregression), so every export carries it. Each share is scored on the selection
rows by the mean of two MASEs (scaled by the mean absolute one-step change of the rows
before the selection part): one step ahead, and recursively, fed its own outputs, over
blocks of ``b`` rows from the selection part's first row on (``b = max(H, P)`` with a period
``P >= 2``, else ``max(H, 12)``, and at least the steps of the recursive forecasts the
person wants: the backtest's block). The lowest score wins; ties go to
the larger share. Below 1, the network the fit keeps is the chosen blend with its
least-squares weights fitted again on the training and selection windows together (every
window before the testing part, as the linear comparator is; :func:`refitted`), the share
kept. The fit's selection scores, its prediction intervals and its verdict read the blend
as it was scored, before that refit: the selection rows are then rows it never saw. A
network whose recurrent part learned something that does not carry over to unseen rows, or
drifts when fed its own outputs, is pulled towards (or back to) the linear model this way.
"""

import copy

import numpy as np

from engine.testing.evaluation import block_rows, history_scale, part_predictions
from engine.training.linear_start import least_squares_weights

SHARES = (1.0, 0.5, 0.0)


def blended(network, start, share):
    """A copy of ``network`` whose outputs are ``share`` of its own plus ``1 - share`` of
    the linear autoregression with the least-squares ``start`` weights ((p + 1, m), the
    last row the intercept); see the module docstring."""
    out = copy.deepcopy(network)
    views = out.parameters_.views
    views["head.weight"][...] *= share
    views["head.bias"][...] = share * views["head.bias"] + (1 - share) * start[-1]
    views["ar.weight"][...] = share * views["ar.weight"] + (1 - share) * start[:-1].T
    return out


def selection_score(network, prepared, steps=None):
    """The module docstring's score of ``network`` on the selection part of ``prepared``
    (:class:`~engine.data.PreparedData`), its blocks at least ``steps`` long; None without
    selection windows or when a forecast is not finite."""
    from engine.model.recursive import recursive_forecasts

    anchors, one_step, truth = part_predictions(network, prepared, "selection")
    if len(anchors) == 0:
        return None
    fitted, encoded = prepared.fitted, prepared.encoded
    rows = np.sort(prepared.target_rows("selection")[:, 0])
    scale = history_scale(encoded.levels, rows[0], encoded.positions)
    scale = np.where(scale > 0, scale, 1.0)
    block = min(block_rows(fitted.horizon, fitted.period, steps), len(rows))
    origins = np.arange(rows[0], rows[-1] - block + 2, block)
    values, future = recursive_forecasts(fitted, encoded, network.predict, origins, block)
    errors = [np.nanmean(np.abs(truth - one_step), axis=0) / scale,
              np.nanmean(np.abs(future - values), axis=(0, 1)) / scale]
    value = float(np.mean(errors))
    return value if np.isfinite(value) else None


def choose_share(network, prepared, steps=None):
    """``(blend, check)``: the blend of :data:`SHARES` of lowest :func:`selection_score`
    with blocks of at least ``steps``, its linear part from the training windows as it was
    scored (the network itself when it has no linear path, when the split is not
    chronological or when there is no selection part; then ``check`` is None), and
    ``check`` ``{"share", "scores": {share: score}, "block"}``. The network to keep is
    :func:`refitted`."""
    if not network.linear_path or prepared.config.split.method != "chronological" \
            or len(prepared.Y_sel) == 0:
        return network, None
    start = least_squares_weights(prepared.X_train, prepared.Y_train)
    candidates = {share: blended(network, start, share) for share in SHARES}
    scores = {share: selection_score(candidate, prepared, steps)
              for share, candidate in candidates.items()}
    scored = [share for share in SHARES if scores[share] is not None]
    if not scored:
        return network, None
    best = min(scored, key=lambda share: (scores[share], -share))
    fitted = prepared.fitted
    return candidates[best], {"share": best, "scores": {str(s): scores[s] for s in SHARES},
                              "block": int(min(block_rows(fitted.horizon, fitted.period,
                                                          steps), len(prepared.Y_sel)))}


def refitted(network, prepared, check):
    """The network a fit keeps of the trained ``network`` after :func:`choose_share`'s
    ``check``: for a share below 1 the blend whose linear part is fitted on every window
    before the testing part (training and selection); else ``network`` itself."""
    if check is None or check["share"] >= 1:
        return network
    return blended(network, least_squares_weights(
        prepared.X_train, prepared.Y_train, more=[(prepared.X_sel, prepared.Y_sel)]),
        check["share"])
