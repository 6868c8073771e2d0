"""Export of a global model for PyTorch: one ``.npz`` (no pickle) holding

* the network's state dict under PyTorch's names, as the single-series export writes it
  (:mod:`engine.deploy.exports.torch_weights`: ``rnn.*``, ``head.*``, ``ar.weight``);
* the per-series table, one row per series in the order of ``series.ids``:
  ``series.ids`` (text), ``series.log`` (bool), ``series.magnitude``, ``series.scale``
  (n_series, n_targets), ``series.input_mean``, ``series.input_std`` (n_series, n_inputs),
  ``series.static`` (n_series, n_static) the series' static values (one-hot), named in
  ``model.static_names``;
* ``model.horizon``, ``model.lookback``, ``model.fold``, ``model.season``,
  ``model.level_rows``,
  ``model.target_names``, ``model.input_names``, ``intervals.levels`` (n_levels,) and
  ``intervals.errors`` (n_levels, 2, H * n_targets): lower and upper errors per output;
  ``intervals.later_errors`` (the same shape) for the blocks after the first of a forecast
  fed its own outputs, when the model has them;
* ``README``: the text :data:`README` (how to use them).
"""

from pathlib import Path

import numpy as np

from engine.atomic import atomic_file
from engine.many.scaling import SERIES_ROWS

README = """\
A global RNN Studio model: one network over many series.

    arrays = np.load(path, allow_pickle=False)
    state = {k: torch.from_numpy(arrays[k]) for k in arrays.files
             if k.startswith(("rnn.", "head.", "ar."))}
    module.load_state_dict(state)   # torch.nn.RNN/GRU/LSTM(batch_first=True) "rnn",
                                    # torch.nn.Linear "head", with a linear path a
                                    # torch.nn.Linear(L * n_features, H * n_targets,
                                    # bias=False) "ar" on x.reshape(batch, -1), added

Series i (row i of series.*, i = list(series.ids).index(name)), target j, its recent
values y (time order), L = model.lookback, k = model.level_rows, s = series.scale[i, j]:
  u = log(y) if series.log[i, j] else y / series.magnitude[i, j]
  l_t = mean(u_(t-k+1) .. u_t)
  features of row t: [(u_t - u_(t-1)) / s for each target, (u_t - l_t) / s for each
  target, (x_t - series.input_mean[i]) / series.input_std[i] for the inputs,
  series.static[i] (the same in every row)]
  z = module(features of the last L rows, float32, shape (batch, L, n_features) reshaped
             to (batch, L / model.fold, model.fold * n_features): the rows of a step side
             by side)
  u_(T+h) = l_T + (z[(h-1) * n_targets + j] + e) * s      (T the last row, h = 1..H)
  forecast = exp(u) if series.log[i, j] else u * series.magnitude[i, j]
with e = 0 for the forecast and e = intervals.errors[level, 0 or 1] for the lower and
upper bound at intervals.levels[level].
More than H steps: append the forecast to y and run again, block by block; block j >= 2
takes, per target and side, the widest of (the largest for the upper bound, the smallest
for the lower)
  E_j(h) = intervals.later_errors[level, 0 or 1] at step h * sqrt(j / 2),
  intervals.errors[level, 0 or 1] at step H (the first block's last step), and
  for j >= 3, intervals.later_errors[level, 0 or 1] at step H * sqrt((j - 1) / 2)
so that the bounds never narrow from one block to the next. Without
intervals.later_errors, E_j = intervals.errors (too narrow for such blocks).
"""


def global_arrays(model):
    """``{name: array}`` of the export (see the module docstring)."""
    scaling = model.scaling
    levels = sorted(model.interval_errors)
    return {**model.network.state_dict(),
            "series.ids": np.array(model.ids, dtype=str),
            **{f"series.{name}": np.asarray(getattr(scaling, name)) for name in
               SERIES_ROWS},
            "model.horizon": np.array(model.horizon), "model.lookback": np.array(model.lookback),
            "model.fold": np.array(model.fold),
            "model.season": np.array(scaling.season),
            "model.level_rows": np.array(scaling.level_rows),
            "model.target_names": np.array(model.target_names, dtype=str),
            "model.input_names": np.array(model.input_names, dtype=str).reshape(-1),
            "model.static_names": np.array(scaling.static_names, dtype=str).reshape(-1),
            "intervals.levels": np.array(levels, dtype=float),
            "intervals.errors": np.stack([model.interval_errors[v] for v in levels]),
            **({"intervals.later_errors": np.stack([model.later_errors[v] for v in levels])}
               if model.later_errors else {}),
            "README": np.array(README)}


def export_torch(model, path):
    """Write :func:`global_arrays` of ``model`` to ``path`` as an ``.npz`` (atomically; load
    it with ``np.load(path, allow_pickle=False)``)."""
    with atomic_file(path, "wb") as handle:
        np.savez(handle, allow_pickle=False, **global_arrays(model))
    return Path(path)
