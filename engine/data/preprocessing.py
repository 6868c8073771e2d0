"""The fitted preprocessing: from a frame to scaled features and transformed targets, and
from network outputs back to target units. It is all a model needs to use new data.

Per row ``r`` (rows in file order, after missing values are handled):

* input features ``F[r]`` (rows, n_inputs), in :attr:`FittedPreprocessing.input_columns`
  order: a numeric or binary input ``x`` gives ``scaler(x_r)``; a categorical input one 0/1
  column per category (all 0 for a missing or unseen label); an ``input_target`` gives its
  own scaled *transformed* value ``scaler(z_r)`` (the same numbers the network predicts, so
  a forecast can be fed back exactly);
* targets ``Z[r]`` (rows, n_targets): ``scaler(z_r)`` with ``z`` from
  :mod:`engine.data.transforms`.

Network outputs are step-major: output ``(h-1) * n_targets + j`` is target ``j`` at step
``h`` (see :attr:`FittedPreprocessing.outputs`).

:meth:`FittedPreprocessing.to_dict` gives the JSON-able dict the model file stores::

    {"format": "rnn-studio.preprocessing", "version": 1,
     "lookback": 12, "horizon": 1, "missing": "interpolate",
     "target_transform": "seasonal_difference", "period": 12,
     "time_column": "month", "time_step": {"unit": "months", "size": 1},
     "variables": [{"name": "passengers", "role": "input_target", "type": "numeric",
                    "scaler": {"method": "standard", "center": 21.6, "scale": 14.2},
                    "categories": [], "fill": null}],
     "input_columns": [{"variable": "passengers", "category": null}],
     "outputs": [{"variable": "passengers", "step": 1}]}
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.errors import EngineError
from engine.data import transforms
from engine.data.column_types import binary_codes, label_matches, parse_time
from engine.data.csv_reader import require_columns, require_numbers
from engine.data.missing import fill_value, interpolate_segments, time_segments
from engine.data.number_text import numbers_as_written
from engine.data.scaling import Scaler
from engine.data.time_steps import (check_order, check_step, detect_step, gap_before,
                                    gaps_between_times, step_positions)
from engine.data.windows import WindowArray, input_view, target_offsets, target_view

FORMAT = "rnn-studio.preprocessing"
VERSION = 1


def frame_numbers(frame, name):
    """Column ``name`` of ``frame`` as numbers (n,), NaN for an empty cell. A column of
    text (a data frame given instead of a CSV file, its numbers as strings) is read as the
    reader reads a file of decimal points
    (:func:`~engine.data.number_text.numbers_as_written`); a cell that is no number so
    written (a typo, or ``1,5`` of a file of decimal commas read without its mark) is
    refused with its row and what to do (:func:`~engine.data.csv_reader.require_numbers`),
    never read as a missing value."""
    column = frame[name]
    if pd.api.types.is_numeric_dtype(column):
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    require_numbers(frame, [name])
    return numbers_as_written(column)[0].to_numpy(dtype=float)


@dataclass
class Encoded:
    """A frame turned into arrays (rows = the frame's rows, in order).

    segment (rows,) int: runs of rows without a gap in time or a row left out
    input_ok, target_ok (rows,) bool: the row's inputs / transformed targets are usable
    features (rows, n_inputs): scaled inputs ``F``; targets (rows, n_targets): scaled ``Z``
    z: unscaled transformed targets; u: ``ln y`` (log transforms) or ``y``; levels: ``y``
    after missing values were handled (NaN where unknown)
    times: the time column (a pandas Series) or None
    gap (rows,) bool: timestamps are missing before this row (or its own is missing)
    truth (rows, n_targets): ``levels`` where the frame holds the target's value, NaN where
    a value was filled in for the missing values: what predictions are scored against
    (through :meth:`scored_truth`)
    from_later (rows,) bool: the row holds a value interpolated from a later row (in any
    column the model reads); a window ending there has read a value from after its end
    filled (rows,) bool: the row holds a value filled in for an empty cell (interpolated,
    or the training mean or median) in a column the model reads, or an empty cell of a
    categorical input, read as none of its categories (all 0 in its one-hot columns)
    made_up: ``{"numbers", "input_numbers", "categories", "labels"}`` of (rows,) int: how
    many cells of the row the model reads hold a value it made up: a number filled in for
    an empty cell of a target (read as far back as its differences reach,
    :meth:`FittedPreprocessing.rows_read`) or of another input (read in the window's own
    rows), an empty category, and a label that is none of the model's categories (one it
    was not trained on); the last two read as none of the categories (all 0), but a binary
    input's third label, read as an empty cell and filled in as one (a label none the less)
    unknown_labels: ``{input: (rows,) object}``, for each categorical or binary input, the
    text of each cell that holds a label the model was not trained on, None elsewhere
    time_step: the time column's regular step (:mod:`~engine.data.time_steps`) or None
    time_zone: the zone times read in UTC were written in (the frame's
    ``attrs["time_zone"]``, :func:`~engine.data.csv_reader.read_csv`), whose clocks count
    months (:attr:`positions`, :meth:`time_gaps`) and the days of forecasts past the data
    (:func:`~engine.data.pipeline.row_times`), or None
    """

    segment: np.ndarray
    input_ok: np.ndarray
    target_ok: np.ndarray
    features: np.ndarray
    targets: np.ndarray
    z: np.ndarray
    u: np.ndarray
    levels: np.ndarray
    times: object = None
    gap: np.ndarray = None
    truth: np.ndarray = None
    from_later: np.ndarray = None
    time_step: dict = None
    filled: np.ndarray = None
    made_up: dict = None
    unknown_labels: dict = None
    time_zone: object = None

    @property
    def n_rows(self):
        return len(self.segment)

    @property
    def positions(self):
        """(rows,) int: each row's place in time steps from the first row, the steps that
        gaps in time leave out counted (:func:`~engine.data.time_steps.step_positions`);
        the row numbers without a time column."""
        if self.times is None:
            return np.arange(self.n_rows)
        return step_positions(self.times, self.time_step, self.time_zone)

    def time_gaps(self):
        """(rows,) bool: time steps are missing between the row before and this one, both
        with a time (:attr:`gap` without the rows at or after a row that has no time: a
        row without a time makes no gap); None without :attr:`gap`."""
        if self.gap is None or self.times is None:
            return self.gap
        return gaps_between_times(self.times, self.time_step, self.time_zone)

    def read_later(self, anchors):
        """(m,) bool: whether the windows ending at rows ``anchors`` (m,) have a value
        interpolated from a later row in their last row (:attr:`from_later`)."""
        anchors = np.asarray(anchors, dtype=np.intp)
        if self.from_later is None:
            return np.zeros(anchors.shape, dtype=bool)
        return self.from_later[anchors]

    def scored_truth(self, offset=1, origin=None):
        """``truth`` (rows, k) as forecasts are scored against it: one step ahead (``origin``
        None), row ``r`` by the window ending at row ``r - offset`` (the model's first
        output step); from ``origin`` on, every row by the forecast made from the window
        ending at row ``origin - offset``. Also NaN where that window's last row holds a
        value interpolated from a later row (:attr:`from_later`): the window would have
        read the value it forecasts, or one after it."""
        out = np.array(self.truth, dtype=float)
        later = self.from_later
        if later is None or not later.any():
            return out
        if origin is None:
            out[offset:][later[:self.n_rows - offset]] = np.nan
        elif 0 <= origin - offset < self.n_rows and self.read_later(origin - offset):
            out[origin:] = np.nan
        return out


class FittedPreprocessing:
    """Fitted scalers, fill values, target transform and window shape.

    variables : list of dicts ``{"name", "role", "type", "scaler", "categories", "fill"}``
        for the used variables (inputs and targets) in data-set order; ``scaler`` is a
        :class:`~engine.data.scaling.Scaler` dict, applied to raw values of inputs and to
        the transformed values ``z`` of targets
    """

    def __init__(self, variables, lookback, horizon, missing="interpolate",
                 target_transform="none", period=None, time_column=None, time_step=None):
        self.variables = [dict(v) for v in variables]
        self.lookback, self.horizon = int(lookback), int(horizon)
        self.missing = missing
        self.target_transform, self.period = target_transform, period
        self.time_column, self.time_step = time_column or None, time_step
        self.lag = transforms.lag_of(target_transform, period)
        self._check()

    # -- layout ----------------------------------------------------------------------------
    def _check(self):
        if isinstance(self.lookback, bool) or self.lookback < 1:
            raise EngineError(f"The lookback must be at least 1 step; got {self.lookback}.")
        if self.horizon < 0:
            raise EngineError(f"The horizon must be 0 or more steps; got {self.horizon}.")
        if not self.targets:
            raise EngineError("No target: mark the column to predict as 'target' or "
                              "'input_target'.")
        if not self.inputs and self.horizon == 0:
            raise EngineError("No input: with horizon 0 the target is approximated from other "
                              "columns at the same step, and none is an input; mark one as "
                              "'input' (--input COL), or use a horizon of 1 or more.")
        if not self.inputs:
            raise EngineError("No input: mark at least one column as 'input' or "
                              "'input_target' (a target's own past).")
        for v in self.variables:
            if v["role"] in ("target", "input_target") and v["type"] not in ("numeric",
                                                                              "binary"):
                raise EngineError(
                    f"Column {v['name']!r} holds {v['type']} values, so it cannot be a "
                    "target; choose a numeric column"
                    + (" or make it an input (one-hot)." if v["type"] == "categorical"
                       else "."))
            if v["role"] == "input_target" and self.horizon == 0:
                raise EngineError(
                    f"With horizon 0 the network approximates {v['name']!r} at the same "
                    "step, so its own value cannot be an input: make it a 'target', or use "
                    "a horizon of 1 or more.")
            if v["role"] in ("input", "input_target") and v["type"] not in (
                    "numeric", "binary", "categorical"):
                raise EngineError(f"Column {v['name']!r} holds {v['type']} values, so it "
                                  "cannot be an input; mark it unused.")

    @property
    def inputs(self):
        return [v for v in self.variables if v["role"] in ("input", "input_target")]

    @property
    def targets(self):
        return [v for v in self.variables if v["role"] in ("target", "input_target")]

    @property
    def target_names(self):
        return [v["name"] for v in self.targets]

    @property
    def input_columns(self):
        """The network's input order: ``[{"variable": name, "category": label or None}]``."""
        columns = []
        for v in self.inputs:
            if v["type"] == "categorical":
                columns += [{"variable": v["name"], "category": c} for c in v["categories"]]
            else:
                columns.append({"variable": v["name"], "category": None})
        return columns

    @property
    def n_inputs(self):
        return len(self.input_columns)

    @property
    def steps(self):
        """Output steps per target: H, or 1 when H = 0."""
        return max(self.horizon, 1)

    @property
    def outputs(self):
        """The output layout: ``[{"variable": name, "step": h}]``, step-major (h = 0 for
        horizon 0: the target at the window's last row)."""
        steps = range(1, self.horizon + 1) if self.horizon else [0]
        return [{"variable": name, "step": h} for h in steps for name in self.target_names]

    @property
    def n_outputs(self):
        return len(self.outputs)

    def scaler(self, name):
        for v in self.variables:
            if v["name"] == name:
                return Scaler.from_dict(v["scaler"]) if v.get("scaler") else None
        raise EngineError(f"Unknown variable {name!r}.")

    # -- serialization ---------------------------------------------------------------------
    def to_dict(self):
        """A JSON-able dict (see the module docstring); no arrays, no pickles."""
        return {"format": FORMAT, "version": VERSION, "lookback": self.lookback,
                "horizon": self.horizon, "missing": self.missing,
                "target_transform": self.target_transform,
                "period": None if self.period is None else int(self.period),
                "time_column": self.time_column, "time_step": self.time_step,
                "variables": [dict(v) for v in self.variables],
                "input_columns": self.input_columns, "outputs": self.outputs}

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise EngineError("This is not a fitted preprocessing description (format "
                              f"{data.get('format') if isinstance(data, dict) else None!r}, "
                              f"expected {FORMAT!r}).")
        if int(data.get("version", 0)) > VERSION:
            raise EngineError("The model was saved by a newer RNN Studio; update it to "
                              "read this model.")
        fitted = cls(data["variables"], data["lookback"], data["horizon"], data["missing"],
                     data["target_transform"], data.get("period"), data.get("time_column"),
                     data.get("time_step"))
        for key in ("input_columns", "outputs"):
            if key in data and data[key] != getattr(fitted, key):
                raise EngineError(f"The stored {key} do not match the variables; the model "
                                  "file is damaged.")
        return fitted

    # -- encoding --------------------------------------------------------------------------
    def _raw(self, frame, need_targets, new_data=False):
        """Time gaps, raw numeric values (interpolated if so chosen), one-hot blocks, the
        count (rows,) of each row's empty categorical cells and of its labels that are none
        of the categories, and where each numeric column held a number (before the
        interpolation). ``new_data``: data given to the fitted model (to predict from),
        whose times must step as the training data's (:func:`check_step`); the training
        data's own step was found on them."""
        n = len(frame)
        times = None
        gap = np.zeros(n, dtype=bool)
        no_time = np.zeros(n, dtype=bool)
        zone = frame.attrs.get("time_zone")
        if self.time_column:
            require_columns(frame, [self.time_column], "time column")
            times = parse_time(frame[self.time_column], self.time_column)
            check_order(times, self.time_column, zone)
            if new_data:
                check_step(times, self.time_step, zone)
            no_time = times.isna().to_numpy()
            gap = gap_before(times, self.time_step, zone)
        base_segment = np.zeros(n, dtype=int) if times is None else \
            time_segments(times, self.time_step, zone)
        numeric, onehot, given, unknown = {}, {}, {}, {}
        cat_missing = np.zeros(n, dtype=int)
        names = [v["name"] for v in self.variables
                 if need_targets or v["role"] in ("input", "input_target")]
        require_columns(frame, names)
        for v in self.variables:
            name = v["name"]
            if name not in names:
                numeric[name], given[name] = np.full(n, np.nan), np.zeros(n, dtype=bool)
                continue
            column = frame[name]
            if v["type"] == "categorical":
                block = np.stack([label_matches(column, c).astype(float)
                                  for c in v["categories"]], axis=1) \
                    if v["categories"] else np.zeros((n, 0))
                onehot[name] = block
                empty = column.isna().to_numpy()
                cat_missing += empty
                unknown[name] = _labels_where(column, ~empty & (block.sum(axis=1) == 0))
            elif v["type"] == "binary":
                numeric[name] = binary_codes(column, v["categories"])
                if v["role"] != "target":
                    unknown[name] = _labels_where(column, column.notna().to_numpy()
                                                  & np.isnan(numeric[name]))
            else:
                numeric[name] = frame_numbers(frame, name)
            if name in numeric:
                given[name] = np.isfinite(numeric[name])
            if self.missing == "interpolate" and name in numeric:
                numeric[name] = interpolate_segments(numeric[name], base_segment)
        return times, gap | no_time, no_time, numeric, onehot, cat_missing, unknown, given

    def _structure(self, raw, row_targets):
        """Row usability and segments, before fill values are known. ``row_targets``:
        whether a missing target value makes the whole row unusable (training); when
        predicting, only the inputs decide and a missing target only marks ``target_ok``."""
        times, breaks, no_time, numeric, onehot, cat_missing, _, _ = raw
        n = len(breaks)
        row_ok = ~no_time
        if self.missing in ("interpolate", "drop"):
            for v in self.variables:
                if row_targets or v["role"] in ("input", "input_target"):
                    if v["name"] in numeric:
                        row_ok &= np.isfinite(numeric[v["name"]])
            if self.missing == "drop":
                row_ok &= cat_missing == 0
        new = breaks | ~row_ok | np.r_[True, ~row_ok[:-1]]
        new[0] = True
        segment = np.cumsum(new) - 1
        lag = self.lag
        target_ok = row_ok.copy()
        if lag:
            same = np.zeros(n, dtype=bool)
            same[lag:] = segment[lag:] == segment[:-lag]
            target_ok &= same
        feedback = any(v["role"] == "input_target" for v in self.variables)
        input_ok = row_ok & target_ok if feedback else row_ok.copy()
        return segment, input_ok, target_ok

    def _assemble(self, raw, structure, frame):
        """The :class:`Encoded` of ``raw`` and ``structure`` (:meth:`_raw`,
        :meth:`_structure`) of ``frame``, whose ``attrs["time_zone"]`` it keeps."""
        times, breaks, _, numeric, onehot, cat_missing, unknown, given = raw
        segment, input_ok, target_ok = structure
        n = len(segment)
        values = {}
        for v in self.variables:
            if v["name"] not in numeric:
                continue
            x = numeric[v["name"]]
            if self.missing in ("mean", "median") and v.get("fill") is not None:
                x = np.where(np.isnan(x), v["fill"], x)
            values[v["name"]] = x
        targets = self.targets
        levels = np.column_stack([values[v["name"]] for v in targets])
        truth = np.where(np.column_stack([given[v["name"]] for v in targets]), levels, np.nan)
        numbers = {role: np.zeros(n, dtype=int) for role in ("target", "input")}
        filled_in = np.zeros(n, dtype=int)
        for v in self.variables:                # the columns a window reads
            read = v["role"] != "target" or self.lag
            if read and v["name"] in values:
                made = np.isfinite(values[v["name"]]) & ~given[v["name"]]
                filled_in += made
                if v["name"] in unknown:        # a binary input's third label
                    made &= pd.isna(unknown[v["name"]])
                numbers["input" if v["role"] == "input" else "target"] += made
        from_later = filled_in > 0 if self.missing == "interpolate" else np.zeros(n, dtype=bool)
        empty = cat_missing if self.missing != "drop" else np.zeros(n, dtype=int)  # left out
        unseen = np.zeros(n, dtype=int)
        for labels in unknown.values():
            unseen += pd.notna(labels)
        made_up = {"numbers": numbers["target"], "input_numbers": numbers["input"],
                   "categories": empty, "labels": unseen}
        u = np.column_stack([transforms.to_base(levels[:, j], self.target_transform,
                                                f"Target {v['name']!r}")
                             for j, v in enumerate(targets)])
        z = transforms.forward(levels, self.target_transform, self.period, segment)
        z[~target_ok] = np.nan
        scaled_targets = np.empty((n, len(targets)))
        for j, v in enumerate(targets):
            scaler = Scaler.from_dict(v["scaler"]) if v.get("scaler") else Scaler("none")
            scaled_targets[:, j] = scaler.transform(z[:, j], f"Target {v['name']!r}")
        blocks = []
        for v in self.inputs:
            if v["type"] == "categorical":
                blocks.append(onehot[v["name"]])
            elif v["role"] == "input_target":
                blocks.append(scaled_targets[:, [self.target_names.index(v["name"])]])
            else:
                scaler = Scaler.from_dict(v["scaler"]) if v.get("scaler") else Scaler("none")
                blocks.append(scaler.transform(values[v["name"]], f"Input {v['name']!r}")
                              [:, None])
        features = np.ascontiguousarray(np.concatenate(blocks, axis=1))
        input_ok = input_ok & np.isfinite(features).all(axis=1)
        target_ok = target_ok & np.isfinite(scaled_targets).all(axis=1)
        return Encoded(segment, input_ok, target_ok, features,
                       np.ascontiguousarray(scaled_targets), z, u, levels, times, breaks,
                       truth, from_later, self.time_step, (filled_in > 0) | (empty > 0),
                       made_up, unknown, frame.attrs.get("time_zone"))

    def encode(self, frame, prediction=False):
        """The frame's arrays (:class:`Encoded`) with this fitted preprocessing.

        prediction : True for new data to predict from: the target columns may be missing
            (allowed only when no target is also an input and the transform has no lag)
            or have empty cells (e.g. future rows), which then do not cut the inputs.
        """
        need_targets = True
        if prediction and not all(name in frame.columns for name in self.target_names):
            if self.lag or any(v["role"] == "input_target" for v in self.variables):
                require_columns(frame, self.target_names, "target column")
            need_targets = False
        raw = self._raw(frame, need_targets, new_data=prediction)
        return self._assemble(raw, self._structure(raw, not prediction), frame)

    # -- windows and outputs ---------------------------------------------------------------
    def windows(self, encoded, anchors):
        """``(X, Y)`` for the given anchors: X a :class:`WindowArray`, Y an array
        (n, n_outputs) (a copy: it is small)."""
        anchors = np.asarray(anchors, dtype=np.intp)
        X = WindowArray(input_view(encoded.features, self.lookback),
                        anchors - (self.lookback - 1))
        Y = target_view(encoded.targets, self.horizon)[anchors]
        return X, Y

    @property
    def target_offsets(self):
        """Row offsets (steps,), relative to the anchor, of the output steps: 1..H, or [0]."""
        return target_offsets(self.horizon)

    def rows_read(self):
        """The consecutive rows one prediction reads: the window's ``L`` and, with
        differences of lag ``m``, the rows they start from. A window that reads the target's
        own differences needs ``m`` rows before its first row (``L + m``); else the base value
        of the first output step (offset ``o``) lies ``m - o`` rows before the window ends
        (``max(L, m - o + 1)``)."""
        if not self.lag:
            return self.lookback
        if any(v["role"] == "input_target" for v in self.variables):
            return self.lookback + self.lag
        return max(self.lookback, self.lag - int(self.target_offsets[0]) + 1)

    def inverse_outputs(self, outputs, anchors, encoded):
        """Network outputs (n, n_outputs) -> target values (n, steps, n_targets) in the
        targets' units: unscale, then undo the transform with the known base values of
        ``encoded`` (rows at or before each anchor) or the steps already reconstructed."""
        outputs = np.asarray(outputs, dtype=float)
        n_targets = len(self.targets)
        if outputs.ndim != 2 or outputs.shape[1] != self.n_outputs:
            raise EngineError(f"Expected outputs of shape (windows, {self.n_outputs}); got "
                              f"{outputs.shape}.")
        z = outputs.reshape(len(outputs), self.steps, n_targets).copy()
        for j, v in enumerate(self.targets):
            scaler = Scaler.from_dict(v["scaler"]) if v.get("scaler") else Scaler("none")
            z[:, :, j] = scaler.inverse(z[:, :, j])
        return transforms.invert_steps(z, encoded.u, anchors, self.target_transform,
                                       self.period, self.horizon)

    def true_values(self, anchors, encoded):
        """The targets' actual values (n, steps, n_targets) at the rows each window
        predicts (NaN past the end of the frame, where a value was filled in, and for a
        window whose last row holds a value interpolated from a later row)."""
        rows = np.asarray(anchors)[:, None] + self.target_offsets[None, :]
        out = np.full(rows.shape + (len(self.targets),), np.nan)
        inside = rows < encoded.n_rows
        out[inside] = encoded.truth[rows[inside]]
        out[encoded.read_later(anchors)] = np.nan        # Encoded.scored_truth
        return out


def _labels_where(column, unknown):
    """(rows,) object: the cells' text where ``unknown`` (rows,) bool, None elsewhere."""
    labels = np.full(len(column), None, dtype=object)
    labels[unknown] = column.astype(str).str.strip().to_numpy()[unknown]
    return labels


def training_rows(anchors, lookback, horizon, n_rows):
    """Boolean mask of the rows read by the windows with these anchors (inputs and
    targets): rows ``t-L+1 .. t+H``."""
    marks = np.zeros(n_rows + 1, dtype=np.int64)
    anchors = np.asarray(anchors)
    np.add.at(marks, anchors - lookback + 1, 1)
    np.add.at(marks, anchors + horizon + 1, -1)
    return np.cumsum(marks[:-1]) > 0


def fit_preprocessing(frame, config, choose_anchors):
    """Fit on ``frame`` with a :class:`~engine.data.config.DatasetConfig`.

    choose_anchors(segment, input_ok, target_ok) -> dict of part -> anchors; fill values
    and scalers are fitted on the rows read by the ``"training"`` windows only.
    Returns ``(fitted, encoded, parts)``.
    """
    used = [v for v in config.variables if v.role in ("input", "target", "input_target")]
    require_columns(frame, [v.name for v in config.variables])
    variables = []
    for v in used:
        categories = []
        if v.type in ("categorical", "binary"):
            from engine.data.column_types import classify_column
            categories = classify_column(frame[v.name], v.name,
                                         options=config.csv).categories
        variables.append({"name": v.name, "role": v.role, "type": v.type,
                          "scaler": None, "categories": categories, "fill": None})
    time_column = config.time_column
    step = None
    if time_column:
        require_columns(frame, [time_column], "time column")
        times = parse_time(frame[time_column], time_column)
        check_order(times, time_column, frame.attrs.get("time_zone"))
        step = detect_step(times, frame.attrs.get("time_zone"))
    fitted = FittedPreprocessing(variables, config.lookback, config.horizon, config.missing,
                                 config.target_transform, config.period, time_column, step)
    raw = fitted._raw(frame, True)
    structure = fitted._structure(raw, True)
    parts = choose_anchors(*structure)
    rows = training_rows(parts["training"], fitted.lookback, fitted.horizon, len(frame))
    numeric = raw[3]
    specs = {v.name: v for v in used}
    for v in fitted.variables:
        if v["name"] in numeric and config.missing in ("mean", "median"):
            v["fill"] = fill_value(config.missing, numeric[v["name"]][rows])
    # inputs are scaled on their raw values; targets on their transformed values
    provisional = fitted._assemble(raw, structure, frame)
    for v in fitted.variables:
        method = specs[v["name"]].scaler
        if v["type"] in ("categorical",):
            v["scaler"] = Scaler("none").to_dict()
        elif v["role"] in ("target", "input_target"):
            j = fitted.target_names.index(v["name"])
            v["scaler"] = Scaler.fit(method, provisional.z[rows, j],
                                     f"Target {v['name']!r}").to_dict()
        else:
            values = provisional_values(raw, v, config.missing)
            v["scaler"] = Scaler.fit(method, values[rows], f"Input {v['name']!r}").to_dict()
    encoded = fitted._assemble(raw, structure, frame)
    return fitted, encoded, parts


def provisional_values(raw, variable, missing):
    x = raw[3][variable["name"]]
    if missing in ("mean", "median") and variable.get("fill") is not None:
        x = np.where(np.isnan(x), variable["fill"], x)
    return x
