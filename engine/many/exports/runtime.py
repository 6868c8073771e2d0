"""The forecasting code of an exported global model: NumPy only, no RNN Studio.

:mod:`engine.many.exports.python_module` copies this file's code (everything after this
docstring) into the exported module, after the network's functions of
:mod:`engine.deploy.exports.standalone_runtime` (``run_network``), and adds the model's
settings, per-series table and weights. It repeats what
:meth:`engine.many.global_model.GlobalModel.forecast` does for one series, from its last
``rows`` values (:mod:`engine.many.scaling` has the maths):

1. base values ``u = log(y)`` (a logged series) or ``u = y / magnitude``;
2. per row of the window: the change ``(u_t - u_(t-1)) / s``, the distance from the level
   ``(u_t - l_t) / s`` with ``l_t`` the mean of the last ``level_rows`` base values, and each
   input ``(x - mean) / std``, then the series' static values (the same in every row);
3. the network on the last ``lookback`` rows, read in steps of ``fold`` rows (the rows of a
   step side by side: (lookback, F) reshaped to (lookback / fold, fold * F)): ``z``
   (H * n_targets), step-major;
4. ``u_(t+h) = l_t + (z + e) * s``, then back to the target's units (``exp`` or times the
   magnitude); ``e`` is 0 for the forecast and the interval errors for the bounds;
5. more steps than the network's ``horizon`` (a recursive model's ``steps``): the forecast
   appended to the values, and steps 1 to 4 again from there, block by block; block
   ``j >= 2`` takes the later interval errors times ``sqrt(j / 2)`` (the first block's
   errors when the table has none), never narrower than the block before ends
   (:func:`block_errors`).

It is a deliberate copy: ``tests/engine/test_many_exports.py`` keeps it equal to the
application's forecasts; change both together.
"""

import numpy as np


def block_errors(first, later, block, targets):
    """The (2, H * targets) lower and upper errors ``e`` of block ``block`` of a forecast
    fed its own forecasts, from the first block's errors ``first`` and the second block's
    ``later`` (each (2, H * targets), step-major, never narrower with the step; ``later``
    None: a model without them). Block 1 takes ``first``. Block ``j >= 2`` takes
    ``E_j = later * sqrt(j / 2)`` (errors that add up block by block, as a random walk's;
    ``first`` itself without ``later``), each side at least as wide as block ``j - 1``'s
    last step, target by target: ``upper_j(h) = max(E_j(h), upper_(j-1)(H))`` and the lower
    side with min. A block's own ``E_j`` widens with the step, so the bounds never narrow
    from step 1 of the forecast to its last (``later(1) * sqrt(3 / 2)`` alone can be
    narrower than ``later(H)``, block 2's end). Unrolled, block ``j``'s bound is the widest
    of ``E_j(h)``, ``first(H)`` and, for ``j >= 3``, ``later(H) * sqrt((j - 1) / 2)``;
    NaN (unknown) stays NaN."""
    first = np.asarray(first, float).reshape(2, -1, int(targets))
    if block <= 1:
        return first.reshape(2, -1)
    ends = [first[:, -1:]]
    if later is None:
        grown = first
    else:
        later = np.asarray(later, float).reshape(2, -1, int(targets))
        grown = later * np.sqrt(block / 2)
        if block >= 3:
            ends.append(later[:, -1:] * np.sqrt((block - 1) / 2))
    sides = np.stack(np.broadcast_arrays(grown, *ends))        # (candidates, 2, H, targets)
    return np.stack([sides[:, 0].min(axis=0), sides[:, 1].max(axis=0)]).reshape(2, -1)


class GlobalForecaster:
    """A global model's forecasts of any one of its series from that series' recent values."""

    def __init__(self, network, table, weights, run_network):
        """``run_network(network, weights, X)``: windows (batch, lookback, features) ->
        outputs (batch, H * n_targets), as the standalone runtime's."""
        self.network, self.weights, self.run_network = network, weights, run_network
        self.ids = [str(name) for name in table["ids"]]
        self.index = {name: i for i, name in enumerate(self.ids)}
        self.targets, self.inputs = table["target_names"], table["input_names"]
        self.horizon, self.lookback = int(table["horizon"]), int(table["lookback"])
        self.steps = int(table.get("steps", self.horizon))
        self.fold = int(table.get("fold", 1))
        scaling, n = table["scaling"], len(self.ids)
        self.log = np.asarray(scaling["log"], bool).reshape(n, -1)
        self.magnitude, self.scale, self.input_mean, self.input_std = (
            np.asarray(scaling[name], float).reshape(n, -1)
            for name in ("magnitude", "scale", "input_mean", "input_std"))
        self.static = np.asarray(scaling.get("static", [[]] * n), float).reshape(n, -1)
        self.season, self.level_rows = int(scaling["season"]), int(scaling["level_rows"])
        self.rows = self.lookback + max(self.level_rows - 1, 1)
        self.errors, self.later_errors = (
            {float(level): np.asarray(errors, float) for level, errors in
             (table.get(key) or {}).items()}
            for key in ("interval_errors", "later_interval_errors"))

    def number(self, series_id):
        """The row of ``series_id`` in the per-series table."""
        name = str(series_id)
        if name not in self.index:
            raise ValueError(f"The model knows no series {name!r}; it forecasts the "
                             f"{len(self.ids)} series it was trained on (IDS).")
        i = self.index[name]
        if np.isnan(self.magnitude[i]).any():
            raise ValueError(f"The model has no scale for series {name!r}: it held no "
                             "value other than 0 before the testing part when the model "
                             "was trained. Train it again with such rows of the series.")
        return i

    def _recent(self, values, width, what):
        """The last :attr:`rows` rows of ``values`` as a (rows, width) float array."""
        values = np.asarray(values, dtype=float)
        if values.ndim == 1 and width == 1:
            values = values[:, None]
        if values.ndim != 2 or values.shape[1] != width:
            raise ValueError(f"Give {what} as an array of shape (rows, {width}); got shape "
                             f"{values.shape}.")
        if len(values) < self.rows:
            raise ValueError(f"Give at least {self.rows} rows of {what} (the lookback "
                             f"{self.lookback} and the rows of the level before it); got "
                             f"{len(values)}.")
        return values[-self.rows:]

    def features(self, i, values, inputs=None):
        """``(features (lookback, 2 n_targets + n_inputs + n_static), level (n_targets,))`` of
        the window
        ending at the last row of series ``i``'s ``values``; NaN where a value is unknown."""
        y = self._recent(values, len(self.targets), "the values")
        with np.errstate(divide="ignore", invalid="ignore"):
            logged = np.log(np.where(y > 0, y, np.nan))
        u = np.where(self.log[i], logged, y / self.magnitude[i])
        k, L, s = self.level_rows, self.lookback, self.scale[i]
        windows = np.lib.stride_tricks.sliding_window_view(u, k, axis=0)
        level = windows.mean(axis=-1)[-L:]                     # (L, n_targets)
        change = (u[1:] - u[:-1])[-L:]
        columns = [change / s, (u[-L:] - level) / s]
        if self.inputs:
            if inputs is None:
                raise ValueError(f"The model reads the inputs {', '.join(self.inputs)}; give "
                                 "them for the same rows as the values.")
            x = self._recent(inputs, len(self.inputs), "the inputs")
            columns.append((x[-L:] - self.input_mean[i]) / self.input_std[i])
        if self.static.shape[1]:
            columns.append(np.repeat(self.static[i][None, :], L, axis=0))
        return np.concatenate(columns, axis=1), level[-1]

    def forecast(self, series_id, values, inputs=None, level=0.9, steps=None):
        """``(forecast, lower, upper)``, each (steps, n_targets) in the targets' units;
        ``steps`` (default :attr:`steps`) beyond the network's horizon go on in blocks fed
        the forecasts before them (a model without inputs)."""
        steps = self.steps if steps is None else int(steps)
        if steps > self.horizon and self.inputs:
            steps_at_once = f"{self.horizon} step" + ("s" if self.horizon != 1 else "")
            raise ValueError(f"The model forecasts {steps_at_once} at once; further "
                             "steps would need the future values of its inputs. Ask for "
                             f"at most {steps_at_once}, or train the model with more "
                             "steps ahead.")
        values = self._recent(values, len(self.targets), "the values")
        parts, done = [], 0
        while done < steps:
            block = self._block(series_id, values, inputs, level, len(parts) + 1)
            take = min(self.horizon, steps - done)
            parts.append(tuple(part[:take] for part in block))
            done += take
            values = np.concatenate([values, block[0]])[-self.rows:]
        return tuple(np.concatenate([part[k] for part in parts]) for k in range(3))

    def interval_errors(self, level, block=1):
        """The (2, horizon * n_targets) lower and upper errors of block ``block`` (step 5
        above)."""
        if float(level) not in self.errors:
            raise ValueError(f"level must be one of {sorted(self.errors)}; got {level}.")
        later = self.later_errors.get(float(level)) if self.later_errors else None
        return block_errors(self.errors[float(level)], later, block, len(self.targets))

    def _block(self, series_id, values, inputs=None, level=0.9, block=1):
        """``(forecast, lower, upper)``, each (horizon, n_targets): the network's steps,
        the bounds those of block ``block`` of the forecast."""
        lower, upper = self.interval_errors(level, block)
        i = self.number(series_id)
        features, last_level = self.features(i, values, inputs)
        shape = (self.horizon, len(self.targets))
        if not (np.isfinite(features).all() and np.isfinite(last_level).all()):
            return tuple(np.full(shape, np.nan) for _ in range(3))
        steps = features.reshape(1, self.lookback // self.fold, -1)
        z = np.asarray(self.run_network(self.network, self.weights, steps), float)[0]
        out = []
        for shift in (0.0, lower, upper):
            base = last_level + (z + shift).reshape(shape) * self.scale[i]
            with np.errstate(over="ignore"):
                out.append(np.where(self.log[i], np.exp(np.minimum(base, 700.0)),
                                    base * self.magnitude[i]))
        return tuple(out)
