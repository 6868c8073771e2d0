"""The code of an exported standalone model module: NumPy only, no RNN Studio.

:mod:`engine.deploy.exports.python_module` copies this file's code (everything after this
docstring) into the exported module and adds the model's settings and weights. It repeats
what the application does to predict, step by step and in the same order:

1. raw columns -> numbers (text that is no number is missing); binary columns -> 0/1;
   categorical inputs -> one 0/1 column per category;
2. missing values: linear interpolation between known neighbours ("interpolate"), the
   training rows' mean or median ("mean", "median"), or the row left out ("drop");
3. the target transform ``z_r = u_r - u_(r-lag)`` (``u = ln y`` for the log variants);
4. scaling ``x' = (f(x) - center) / scale`` per column (``f = ln`` for "log" scaling);
5. windows of ``lookback`` rows, the recurrent layers and the linear head (plus the linear
   path over the whole window, when the network has one);
6. back to the targets' units: ``z = out * scale + center``, then
   ``u_r = z_r + u_(r-lag)`` with the known or the already predicted base value.

The rows must be consecutive time steps without gaps (the module does not read times).
It is kept free of imports from :mod:`engine` so that it runs where only NumPy is installed
(``tests/engine/test_exports_python.py`` runs it so).

It is a deliberate copy: the application's side of the same computation is
:meth:`engine.model.forecaster.Forecaster.predict` (with the data layer's encoding and
window rules, e.g. the first target offset ``1 if horizon >= 1 else 0`` written out again
below). ``tests/engine/test_exports_python.py`` keeps the two equal: change both together.
"""

import base64
import json
import re

import numpy as np


def from_json(text):
    """The settings stored in the module as JSON text."""
    return json.loads(text)


def decode_weights(encoded):
    """``{name: [dtype, shape, base64 of little-endian bytes]}`` -> ``{name: array}``."""
    return {name: np.frombuffer(base64.b64decode(data), dtype=np.dtype(dtype).newbyteorder("<"))
            .astype(dtype).reshape(shape)
            for name, (dtype, shape, data) in encoded.items()}


def _sigmoid(x):
    """``1 / (1 + exp(-x))``, computed as ``(1 + tanh(x / 2)) / 2`` (no overflow)."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def run_network(settings, weights, X):
    """Windows ``X`` (batch, time, n_inputs) -> outputs (batch, n_outputs).

    PyTorch's equations and gate order: simple RNN ``h' = act(W_ih x + b_ih + W_hh h +
    b_hh)``; GRU (r, z, n) with ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``,
    ``h' = (1 - z) n + z h``; LSTM (i, f, g, o) with ``c' = f c + i g``, ``h' = o tanh(c')``;
    the head reads the last layer's last hidden state: ``y = W_head h_T + b_head``, and a
    linear path (``ar.weight``) adds ``W_ar`` times the window flattened row-major,
    ``X.reshape(batch, time * n_inputs)``.
    """
    dtype = np.dtype(settings["dtype"])
    cell = settings["cell"]
    H_in = np.asarray(X, dtype=dtype)
    batch, steps = H_in.shape[0], H_in.shape[1]
    for k, size in enumerate(settings["hidden_sizes"]):
        W_ih, W_hh = weights[f"rnn.weight_ih_l{k}"], weights[f"rnn.weight_hh_l{k}"]
        b_ih, b_hh = weights[f"rnn.bias_ih_l{k}"], weights[f"rnn.bias_hh_l{k}"]
        projected = H_in @ W_ih.T + b_ih                     # (batch, time, G*H)
        h = np.zeros((batch, size), dtype=dtype)
        c = np.zeros((batch, size), dtype=dtype)
        out = np.empty((batch, steps, size), dtype=dtype)
        for t in range(steps):
            p = projected[:, t]
            recurrent = h @ W_hh.T + b_hh
            if cell == "rnn":
                a = p + recurrent
                h = np.tanh(a) if settings["activation"] == "tanh" else np.maximum(a, 0)
            elif cell == "gru":
                r = _sigmoid(p[:, :size] + recurrent[:, :size])
                z = _sigmoid(p[:, size:2 * size] + recurrent[:, size:2 * size])
                n = np.tanh(p[:, 2 * size:] + r * recurrent[:, 2 * size:])
                h = (1 - z) * n + z * h
            else:
                a = p + recurrent
                i, f = _sigmoid(a[:, :size]), _sigmoid(a[:, size:2 * size])
                g, o = np.tanh(a[:, 2 * size:3 * size]), _sigmoid(a[:, 3 * size:])
                c = f * c + i * g
                h = o * np.tanh(c)
            out[:, t] = h
        H_in = out
    y = H_in[:, -1] @ weights["head.weight"].T + weights["head.bias"]
    if "ar.weight" in weights:
        y += np.asarray(X, dtype=dtype).reshape(batch, -1) @ weights["ar.weight"].T
    return y


def _lag(prep):
    method = prep["target_transform"]
    if method in ("none", "log"):
        return 0
    if method in ("difference", "log_difference"):
        return 1
    return int(prep["period"])


def _scale(scaler, x, name):
    x = np.asarray(x, dtype=float)
    if scaler is None:
        return x
    if scaler["method"] == "log":
        finite = x[np.isfinite(x)]
        if finite.size and finite.min() <= 0:
            raise ValueError(f"{name} has values of 0 or below; its logarithm does not exist.")
        x = np.log(x)
    return (x - scaler.get("center", 0.0)) / scaler.get("scale", 1.0)


def _unscale(scaler, x):
    if scaler is None:
        return x
    x = x * scaler.get("scale", 1.0) + scaler.get("center", 0.0)
    return np.exp(x) if scaler["method"] == "log" else x


def _is_missing(x):
    """None, NaN, or an empty text (spaces only): a missing label. A label written ``NA``,
    ``None`` or ``null`` is a label, as RNN Studio reads a column of labels from a CSV
    file; in a column of numbers such texts are no number, so missing (:func:`_numbers`)."""
    if isinstance(x, str):
        return not x.strip()
    return x is None or (isinstance(x, float) and x != x) or \
        (isinstance(x, np.floating) and np.isnan(x))


def _numbers(column):
    """Numbers of a column; what is no number becomes NaN."""
    a = np.asarray(column)
    if a.dtype.kind in "biuf":
        return a.astype(float)
    out = np.full(len(a), np.nan)
    for r, x in enumerate(a):
        try:
            out[r] = float(x)
        except (TypeError, ValueError):
            pass
    return out


def _labels(column):
    """Text labels of a column (None where missing), as pandas' ``astype("string")`` of
    the column RNN Studio reads from a CSV file (leading spaces skipped)."""
    out = []
    for x in np.asarray(column, dtype=object):
        if _is_missing(x):
            out.append(None)
        else:
            out.append(x.lstrip() if isinstance(x, str) else str(x))
    return out


NUMBER_TEXT = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)
"""A number as pandas reads one in a CSV file (``1``, ``-2.5``, ``1e3``; not ``1_000``)."""

NA_TEXTS = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
            "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
"""The texts pandas reads as a missing value in a column of numbers."""


def _cells(column):
    """``(labels, numbers)`` of a column: its labels (:func:`_labels`), and its cells as
    numbers (None where empty) when every other cell is a number or the text of one
    (:data:`NUMBER_TEXT`), as the application reads such a column of a CSV file as numbers,
    a text of :data:`NA_TEXTS` then missing (its label None too); else None for every cell
    (a column of labels, compared as text alone)."""
    a, labels = np.asarray(column), _labels(column)
    if a.dtype.kind in "iuf":
        return labels, a.astype(float)
    numbers = []
    for x in a.tolist():
        if _is_missing(x) or (isinstance(x, str) and x.strip() in NA_TEXTS):
            numbers.append(None)
        elif isinstance(x, str) and NUMBER_TEXT.fullmatch(x) or \
                isinstance(x, (int, float, np.integer, np.floating)) and \
                not isinstance(x, (bool, np.bool_)):
            numbers.append(float(x))
        else:
            return labels, [None] * len(a)      # a cell of text: the column is one of labels
    return [None if n is None else label for label, n in zip(labels, numbers)], numbers


def _same_label(label, number, category):
    """Whether a cell (its text ``label``; ``number``: its value in a column of numbers,
    else None) holds ``category``: as text, or as numbers (1.0 holds the category 1)."""
    if label is None or label == category:
        return label is not None
    return number is not None and NUMBER_TEXT.fullmatch(category) is not None and \
        number == float(category)


def _interpolate(x):
    """Linear interpolation of NaNs between known values (none at the ends)."""
    x = x.copy()
    gaps = np.isnan(x)
    if not gaps.any() or gaps.all():
        return x
    known = np.flatnonzero(~gaps)
    inside = np.flatnonzero(gaps)
    inside = inside[(inside > known[0]) & (inside < known[-1])]
    x[inside] = np.interp(inside, known, x[known])
    return x


class Model:
    """A trained RNN Studio model: :meth:`predict` takes raw rows in the CSV's units."""

    def __init__(self, network, preprocessing, weights):
        self.network, self.prep, self.weights = network, preprocessing, weights
        prep = preprocessing
        self.lookback, self.horizon = int(prep["lookback"]), int(prep["horizon"])
        self.steps = max(self.horizon, 1)
        self.lag = _lag(prep)
        self.variables = prep["variables"]
        self.targets = [v["name"] for v in self.variables
                        if v["role"] in ("target", "input_target")]
        self.inputs = [v for v in self.variables if v["role"] in ("input", "input_target")]
        self.feedback = any(v["role"] == "input_target" for v in self.variables)
        self.needs_targets = bool(self.lag) or self.feedback
        self.columns = [v["name"] for v in self.variables
                        if self.needs_targets or v["role"] in ("input", "input_target")]

    # -- raw rows ------------------------------------------------------------------------
    def _columns(self, data):
        """``{name: 1-D array}`` from a dict of columns (or a pandas DataFrame) or a 2-D
        array whose columns are :attr:`columns` in order."""
        if hasattr(data, "keys"):
            missing = [name for name in self.columns if name not in data.keys()]
            if missing:
                raise ValueError(f"The data lacks the column(s) {', '.join(missing)}; "
                                 f"give {', '.join(self.columns)}.")
            columns = {name: np.asarray(data[name]) for name in self.columns}
        else:
            array = np.asarray(data)
            if array.ndim != 2 or array.shape[1] != len(self.columns):
                raise ValueError(f"Give a 2-D array of {len(self.columns)} columns "
                                 f"({', '.join(self.columns)}); got shape {array.shape}.")
            columns = {name: array[:, j] for j, name in enumerate(self.columns)}
        lengths = {len(c) for c in columns.values()}
        if len(lengths) != 1:
            raise ValueError("All columns must have the same number of rows.")
        return columns, lengths.pop()

    def _encode(self, data):
        """Features (rows, n_inputs), usable input rows, ``u`` (rows, n_targets) and the
        row segments, as the application's ``FittedPreprocessing.encode(prediction=True)``."""
        prep, missing = self.prep, self.prep["missing"]
        columns, n = self._columns(data)
        numeric, onehot = {}, {}
        cat_missing = np.zeros(n, dtype=bool)
        for v in self.variables:
            name = v["name"]
            if name not in columns:
                numeric[name] = np.full(n, np.nan)
                continue
            column = columns[name]
            if v["type"] == "categorical":
                labels, numbers = _cells(column)
                onehot[name] = np.array(
                    [[1.0 if _same_label(label, number, c) else 0.0 for c in v["categories"]]
                     for label, number in zip(labels, numbers)]).reshape(
                         n, len(v["categories"]))
                cat_missing |= np.array([label is None for label in labels], dtype=bool)
                continue
            if v["type"] == "binary":
                cats = v["categories"]
                if all(isinstance(c, str) for c in cats):
                    values = np.array([
                        1.0 if _same_label(label, number, cats[1]) else
                        0.0 if _same_label(label, number, cats[0]) else np.nan
                        for label, number in zip(*_cells(column))])
                else:
                    x = _numbers(column)
                    values = np.where(x == cats[1], 1.0, np.where(x == cats[0], 0.0, np.nan))
            else:
                values = _numbers(column)
            numeric[name] = _interpolate(values) if missing == "interpolate" else values
        row_ok = np.ones(n, dtype=bool)
        if missing in ("interpolate", "drop"):
            for v in self.inputs:
                if v["name"] in numeric:
                    row_ok &= np.isfinite(numeric[v["name"]])
            if missing == "drop":
                row_ok &= ~cat_missing
        new = ~row_ok | np.r_[True, ~row_ok[:-1]]
        new[0] = True
        segment = np.cumsum(new) - 1
        target_ok = row_ok.copy()
        lag = self.lag
        if lag:
            same = np.zeros(n, dtype=bool)
            same[lag:] = segment[lag:] == segment[:-lag]
            target_ok &= same
        input_ok = row_ok & target_ok if self.feedback else row_ok.copy()
        values = {}
        for v in self.variables:
            x = numeric.get(v["name"])
            if x is None:
                continue
            if missing in ("mean", "median") and v.get("fill") is not None:
                x = np.where(np.isnan(x), v["fill"], x)
            values[v["name"]] = x
        log = prep["target_transform"].startswith("log")
        levels = np.column_stack([values[name] for name in self.targets])
        if log:
            finite = levels[np.isfinite(levels)]
            if finite.size and finite.min() <= 0:
                raise ValueError("A target has values of 0 or below, so its logarithm "
                                 "(the model's target transform) does not exist.")
            u = np.log(levels)
        else:
            u = levels.copy()
        z = u.copy()
        if lag:
            z = np.full_like(u, np.nan)
            if lag < n:
                same = (segment[lag:] == segment[:-lag])[:, None]
                z[lag:] = np.where(same, u[lag:] - u[:-lag], np.nan)
        z[~target_ok] = np.nan
        scalers = {v["name"]: v.get("scaler") for v in self.variables}
        scaled_targets = np.column_stack([_scale(scalers[name], z[:, j], name)
                                          for j, name in enumerate(self.targets)])
        blocks = []
        for v in self.inputs:
            if v["type"] == "categorical":
                blocks.append(onehot[v["name"]])
            elif v["role"] == "input_target":
                blocks.append(scaled_targets[:, [self.targets.index(v["name"])]])
            else:
                blocks.append(_scale(scalers[v["name"]], values[v["name"]], v["name"])[:, None])
        features = np.concatenate(blocks, axis=1)
        input_ok &= np.isfinite(features).all(axis=1)
        return features, input_ok, u, segment

    # -- predictions ---------------------------------------------------------------------
    def predict(self, data):
        """Predictions from every window of ``data``, in the targets' units.

        data : a dict of columns (or a pandas DataFrame) holding :attr:`columns`, or a 2-D
            array with those columns in that order; rows in time order, one time step apart.
        Returns an array (rows, steps, n_targets): ``out[t, h-1, j]`` is target ``j`` at
        row ``t + h`` (``t`` itself for a model with 0 steps ahead), predicted from the
        window of rows ``t-lookback+1 .. t``; NaN where no complete window ends at ``t``.
        """
        features, input_ok, u, segment = self._encode(data)
        n, L, lag = len(features), self.lookback, self.lag
        k = len(self.targets)
        result = np.full((n, self.steps, k), np.nan)
        anchors = np.arange(L - 1, n)
        if anchors.size == 0:
            return result
        bad = np.r_[0, np.cumsum(~input_ok)]
        ok = (bad[anchors + 1] - bad[anchors + 1 - L]) == 0
        ok &= segment[anchors - L + 1] == segment[anchors]
        first = 1 if self.horizon >= 1 else 0
        offsets = list(range(first, first + self.steps))
        for offset in offsets:
            base = offset - lag
            if lag and base <= 0:
                rows = anchors + base
                inside = rows >= 0
                known = np.zeros(len(anchors), dtype=bool)
                known[inside] = np.isfinite(u[rows[inside]]).all(axis=1) & \
                    (segment[rows[inside]] == segment[anchors[inside]])
                ok &= known
        anchors = anchors[ok]
        if anchors.size == 0:
            return result
        X = np.stack([features[t - L + 1:t + 1] for t in anchors])
        outputs = np.asarray(run_network(self.network, self.weights, X), dtype=float)
        z = outputs.reshape(len(anchors), self.steps, k).copy()
        for j, name in enumerate(self.targets):
            scaler = next(v.get("scaler") for v in self.variables if v["name"] == name)
            z[:, :, j] = _unscale(scaler, z[:, :, j])
        levels = np.empty_like(z)
        for s, offset in enumerate(offsets):
            if lag == 0:
                levels[:, s] = z[:, s]
                continue
            base = offset - lag
            if base <= 0:
                levels[:, s] = z[:, s] + u[anchors + base]
            else:
                levels[:, s] = z[:, s] + levels[:, base - first]
        if self.prep["target_transform"].startswith("log"):
            levels = np.exp(levels)
        result[anchors] = levels
        return result

    def predict_next(self, data):
        """The predictions from the last window of ``data`` (its last ``lookback`` rows,
        plus the rows the target transform looks back to): (steps, n_targets)."""
        return self.predict(data)[-1]
