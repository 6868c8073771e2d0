"""Export of a global model as ONNX: raw values in, forecasts in the targets' units out.

Graph inputs (``R`` = :func:`~engine.many.exports.python_module.rows_needed`, the lookback
``L`` and the ``max(k - 1, 1)`` rows before it for the level of ``k`` rows and the first
change; ``T`` targets, ``K`` inputs)::

    values (batch, R, T) float64   the series' last R values, in time order
    series (batch,)      int64     each row's series number (its place in the ids list)
    inputs (batch, R, K) float64   only when the model has inputs: the same rows' inputs
    block  ()            float64   optional, 1 unless fed: the block of the forecast the
                                   bounds are for (a recursive model's later blocks)

In the graph (float64, the per-series table is in initializers ``table_*``)::

    Gather the series' rows: log, magnitude, scale s, input mean and std, static values
    u = Where(log, Log(values > 0 ? values : NaN), values / magnitude)
    change = u[R-L:] - u[R-L-1:R-1];  level l_t = (CumSum(u)_t - CumSum_excl(u)_(t-k+1)) / k
    f = Concat(change / s, (u - l) / s, (inputs - mean) / std, Tile(static, L))   (batch, L, F)
    x = Cast<float>(Reshape(f, (batch, L / fold, fold * F)))    (the rows of a step side by side)
    the network: layer_nodes and head_nodes of :mod:`engine.deploy.exports.onnx_model`
    z = Reshape(Cast<double>(y), (batch, H, T));  u_(T+h) = l_T + (z + e) * s
    out = Where(log, Exp(Min(u, 700)), u * magnitude)

Outputs (batch, H, T) float64, ``H`` the steps the network gives at once (all of the
forecast's steps when it is direct; one block of a recursive model, whose next block is
the graph run again on the values with that block appended): ``forecast`` (e = 0),
``lower`` and ``upper`` (e the interval
errors of the level chosen at export, 0.9 by default; ``metadata_props`` holds every level's;
for ``block`` j >= 2, the later blocks' errors times sqrt(j / 2), never narrower than block
j - 1's last step, :func:`~engine.many.exports.runtime.block_errors`).
A window with an unknown value (or a value not above 0 in a logged series) gives NaN.
"""

import json
from pathlib import Path

import numpy as np

from engine.atomic import atomic_write_bytes
from engine.deploy.exports.onnx_model import OPSET, head_nodes, layer_nodes
from engine.errors import EngineError
from engine.many.exports.python_module import model_table, rows_needed
from engine.many.exports.runtime import block_errors
from engine.words import some_named, verb


class _Graph:
    """Nodes and initializers, added one by one."""

    def __init__(self, helper, numpy_helper):
        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.initializers = [], []

    def const(self, name, value, dtype=np.float64):
        self.initializers.append(self.numpy_helper.from_array(np.asarray(value, dtype), name))
        return name

    def node(self, op, inputs, output, **attributes):
        self.nodes.append(self.helper.make_node(op, list(inputs), [output], **attributes))
        return output

    def rows(self, tensor, start, stop, output):
        """``tensor[:, start:stop]``."""
        return self.node("Slice", [tensor, self.const(f"{output}_start", [start], np.int64),
                                   self.const(f"{output}_stop", [stop], np.int64),
                                   "axis_1"], output)

    def series_rows(self, table, values, dtype=np.float64):
        """``table[series]`` (batch, 1, columns): the series' row of a per-series table."""
        name = self.const(f"table_{table}", values, dtype)
        gathered = self.node("Gather", [name, "series"], f"{table}_rows", axis=0)
        return self.node("Unsqueeze", [gathered, "axis_1"], f"{table}_b")


def _features(g, model, R):
    """Nodes from ``values`` (and ``inputs``) to ``x`` (batch, L / fold, fold * F) float32
    (the static values in every row, the rows of a step side by side); returns the
    names of the last row's level, the series' log flags, magnitudes and scales (each
    (batch, 1, T))."""
    from onnx import TensorProto

    scaling, L, k = model.scaling, int(model.lookback), int(model.scaling.level_rows)
    log = g.series_rows("log", scaling.log, bool)
    magnitude, s = g.series_rows("magnitude", scaling.magnitude), \
        g.series_rows("scale", scaling.scale)
    positive = g.node("Greater", ["values", g.const("zero", 0.0)], "positive")
    known = g.node("Where", [positive, "values", g.const("nan", np.nan)], "positive_values")
    logged = g.node("Log", [known], "logged")
    ratio = g.node("Div", ["values", magnitude], "ratio")
    u = g.node("Where", [log, logged, ratio], "u")
    change = g.node("Sub", [g.rows(u, R - L, R, "u_window"), g.rows(u, R - L - 1, R - 1,
                                                                   "u_before")], "change")
    total = g.node("CumSum", [u, "axis_1_scalar"], "u_total")
    before = g.node("CumSum", [u, "axis_1_scalar"], "u_before_total", exclusive=1)
    window_sum = g.node("Sub", [g.rows(total, R - L, R, "total_window"),
                                g.rows(before, R - L - k + 1, R - k + 1, "before_window")],
                        "level_sum")
    level = g.node("Div", [window_sum, g.const("k", float(k))], "level")
    columns = [g.node("Div", [change, s], "change_scaled"),
               g.node("Div", [g.node("Sub", ["u_window", level], "distance"), s],
                      "distance_scaled")]
    if model.input_names:
        x = g.rows("inputs", R - L, R, "inputs_window")
        mean, std = g.series_rows("input_mean", scaling.input_mean), \
            g.series_rows("input_std", scaling.input_std)
        columns.append(g.node("Div", [g.node("Sub", [x, mean], "inputs_centred"), std],
                              "inputs_scaled"))
    if scaling.static.shape[1]:
        static = g.series_rows("static", scaling.static)
        columns.append(g.node("Tile", [static, g.const("static_repeats", [1, L, 1], np.int64)],
                              "static_window"))
    features = g.node("Concat", columns, "features", axis=2)
    fold = int(model.fold)
    if fold > 1:                     # the rows of a step side by side (window_view)
        features = g.node("Reshape", [features, g.const("fold_shape", [0, L // fold, -1],
                                                        np.int64)], "features_folded")
    g.node("Cast", [features], "x", to=TensorProto.FLOAT)
    return g.rows(level, L - 1, L, "last_level"), log, magnitude, s


def _outputs(g, model, last_level, log, magnitude, s, level):
    """Nodes from the network's ``y`` to ``forecast``, ``lower`` and ``upper``."""
    from onnx import TensorProto

    H, T = int(model.horizon), len(model.target_names)
    z = g.node("Reshape", [g.node("Cast", ["y"], "y_double", to=TensorProto.DOUBLE),
                           g.const("output_shape", [0, H, T], np.int64)], "z")
    lower, upper = _shifts(g, model, level, H, T)
    for name, shift in (("forecast", None), ("lower", lower), ("upper", upper)):
        shifted = z if shift is None else g.node("Add", [z, shift], f"{name}_z")
        base = g.node("Add", [last_level, g.node("Mul", [shifted, s], f"{name}_step")],
                      f"{name}_base")
        exp = g.node("Exp", [g.node("Min", [base, "limit"], f"{name}_limited")],
                     f"{name}_exp")
        g.node("Where", [log, exp, g.node("Mul", [base, magnitude], f"{name}_linear")],
               name)


def _shifts(g, model, level, H, T):
    """The lower and upper bounds' errors ``e`` (H, T) of block ``block`` (a graph input
    whose initializer makes it 1 unless fed; none for a model with inputs, which forecasts
    no further than its network's steps): the first block's interval errors, or for
    ``block >= 2`` those of :func:`~engine.many.exports.runtime.block_errors`, as
    :meth:`~engine.many.global_model.GlobalModel.block_errors` gives them."""
    first = np.asarray(model.interval_errors[level], float).reshape(2, H, T)
    if model.input_names:
        return [g.const(f"{name}_error", e) for name, e in zip(("lower", "upper"), first)]
    g.const("block", 1.0)
    is_first = g.node("Less", ["block", g.const("one_and_a_half", 1.5)], "block_is_first")
    later = _later_shifts(g, model, level, H, T) if model.later_errors else [
        g.const(f"{name}_later_shift", e) for name, e in
        zip(("lower", "upper"), block_errors(first, None, 2, T).reshape(2, H, T))]
    return [g.node("Where", [is_first, g.const(f"{name}_error", e), shift], f"{name}_shift")
            for name, e, shift in zip(("lower", "upper"), first, later)]


def _later_shifts(g, model, level, H, T):
    """The lower and upper errors (H, T) of block ``j = block >= 2`` of a model with later
    errors: ``E_j = later * sqrt(j / 2)``, each side at least as wide as ``first``'s last
    step and, from ``j = 3`` on, ``later``'s last step times ``sqrt((j - 1) / 2)`` (block
    ``j - 1``'s last step; :func:`~engine.many.exports.runtime.block_errors`)."""
    first = np.asarray(model.interval_errors[level], float).reshape(2, H, T)
    later = np.asarray(model.later_errors[level], float).reshape(2, H, T)
    two = g.const("two", 2.0)
    factor = g.node("Sqrt", [g.node("Div", ["block", two], "block_half")], "block_factor")
    before = g.node("Sqrt", [g.node("Div", [g.node("Sub", ["block", g.const("one", 1.0)],
                                                    "block_before"), two],
                                     "block_before_half")], "block_before_factor")
    second = g.node("Less", ["block", g.const("two_and_a_half", 2.5)], "block_is_second")
    shifts = []
    for side, (name, op) in enumerate((("lower", "Min"), ("upper", "Max"))):
        grown = g.node("Mul", [g.const(f"{name}_later_error", later[side]), factor],
                       f"{name}_grown")
        first_end = g.const(f"{name}_first_end", first[side][-1:])
        # block 2 has no block of later errors before it: its floor is the first block's
        # end (chosen, not multiplied by 0, which would make an unknown end NaN)
        previous = g.node("Where", [second, first_end, g.node(
            "Mul", [g.const(f"{name}_later_end", later[side][-1:]), before],
            f"{name}_later_end_grown")], f"{name}_previous_end")
        shifts.append(g.node(op, [grown, previous, first_end], f"{name}_later"))
    return shifts


def build_onnx(model, level=0.9):
    """The ONNX ``ModelProto`` of a :class:`~engine.many.global_model.GlobalModel`
    (checked); the bounds hold ``level`` of the selection windows' errors."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    if level not in model.interval_errors:
        raise EngineError(f"The intervals' level must be one of "
                          f"{', '.join(map(str, sorted(model.interval_errors)))}; got {level}.")
    g = _Graph(helper, numpy_helper)
    g.const("axis_1", [1], np.int64)
    g.const("axis_1_scalar", 1, np.int64)
    g.const("limit", 700.0)
    R, H = rows_needed(model), int(model.horizon)
    T, K = len(model.target_names), len(model.input_names)
    last_level, log, magnitude, s = _features(g, model, R)
    state = model.network.state_dict()
    nodes, initializers, last_state = layer_nodes(model.network, state, helper, numpy_helper)
    head, head_initializers = head_nodes(state, last_state, helper, numpy_helper)
    network_nodes = nodes + head
    _outputs(g, model, last_level, log, magnitude, s, level)
    double = TensorProto.DOUBLE
    inputs = [helper.make_tensor_value_info("values", double, ["batch", R, T]),
              helper.make_tensor_value_info("series", TensorProto.INT64, ["batch"])]
    if K:
        inputs.append(helper.make_tensor_value_info("inputs", double, ["batch", R, K]))
    if not model.input_names:    # optional: its initializer gives 1 unless it is fed
        inputs.append(helper.make_tensor_value_info("block", double, []))
    outputs = [helper.make_tensor_value_info(name, double, ["batch", H, T])
               for name in ("forecast", "lower", "upper")]
    graph = helper.make_graph(_ordered(g.nodes, network_nodes),
                              "rnn_studio_global_model", inputs, outputs,
                              g.initializers + initializers + head_initializers)
    proto = helper.make_model(graph, producer_name="RNN Studio",
                              opset_imports=[helper.make_opsetid("", OPSET)],
                              doc_string=_description(model, R, level))
    proto.ir_version = 8
    helper.set_model_props(proto, {"rnn_studio.many_series": json.dumps(model_table(model)),
                                   "rnn_studio.rows": str(R),
                                   "rnn_studio.level": str(level)})
    onnx.checker.check_model(proto, full_check=True)
    return proto


def _ordered(nodes, network_nodes):
    """The nodes in an order that computes each tensor before it is read: the features
    (up to ``x``), the network, then the outputs."""
    split = next(i for i, node in enumerate(nodes) if node.output[0] == "x") + 1
    return nodes[:split] + network_nodes + nodes[split:]


def _description(model, R, level):
    """The graph's ``doc_string``."""
    ids = ", ".join(model.ids[:5]) + (", ..." if len(model.ids) > 5 else "")
    inputs = (f", inputs (batch, {R}, {len(model.input_names)}) the same rows' inputs "
              f"({', '.join(model.input_names)})" if model.input_names else "")
    return (f"RNN Studio global model of {len(model.ids)} series ({ids}): values (batch, {R}, "
            f"{len(model.target_names)}) each series' last {R} values of "
            f"{', '.join(model.target_names)} in time order, series (batch,) its number in "
            f"rnn_studio.many_series ids{inputs} -> forecast, lower, upper (batch, "
            f"{model.horizon}, {len(model.target_names)}) in the targets' units, the bounds "
            f"of the {level} interval"
            + (" (NaN: unknown, too few selection windows to calibrate it)."
               if level in model.unknown_levels() else ".") + _unscaled_words(model))


def _unscaled_words(model):
    """The sentence on the series the graph forecasts NaN for: those without a scale (no
    value other than 0 before the model's testing part, :func:`~engine.many.scaling.
    fit_scaling`), named; "" when every series has one."""
    unscaled = [name for name, size in zip(model.ids, model.scaling.magnitude)
                if not np.isfinite(size).all()]
    if not unscaled:
        return ""
    return (f" NaN for {some_named(unscaled)}: no value other than 0 before the model's "
            "testing part, so no scale to read "
            f"{verb(len(unscaled), 'it', 'them')} on; forecast "
            f"{verb(len(unscaled), 'it', 'them')} otherwise (RNN Studio gives "
            f"{verb(len(unscaled), 'it', 'each')} its own seasonal naive forecast).")


def self_check(proto, model, level=0.9, seed=0):
    """Largest difference, relative to each series' magnitude, between onnxruntime's
    forecasts and the NumPy runtime's on made-up recent values of up to 4 series (with a
    scale: :func:`~engine.many.scaling.fit_scaling`); None when
    onnxruntime is not installed."""
    try:
        import onnxruntime
    except ImportError:
        return None
    from engine.deploy.exports.standalone_runtime import decode_weights, run_network
    from engine.deploy.exports.python_module import encoded_weights, runtime_settings
    from engine.many.exports.runtime import GlobalForecaster

    weights = decode_weights(encoded_weights(model.network.state_dict()))
    reference = GlobalForecaster(runtime_settings(model.network), model_table(model), weights,
                                 run_network)
    rng, scaling = np.random.default_rng(seed), model.scaling
    series = np.flatnonzero(np.isfinite(scaling.magnitude).all(axis=1))[:4]   # with a scale
    R, K = reference.rows, len(model.input_names)
    values = scaling.magnitude[series][:, None, :] * np.exp(
        0.1 * rng.standard_normal((len(series), R, len(model.target_names))))
    feed = {"values": values, "series": series.astype(np.int64)}
    if K:
        feed["inputs"] = scaling.input_mean[series][:, None, :] + \
            scaling.input_std[series][:, None, :] * rng.standard_normal((len(series), R, K))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3       # not the note that ``block`` may be fed
    session = onnxruntime.InferenceSession(proto.SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])
    worst = 0.0
    for block in (1,) if K else (1, 2, 3):
        fed = {**feed, "block": np.array(float(block))} if block > 1 else feed
        got = session.run(["forecast", "lower", "upper"], fed)
        for b, i in enumerate(series):
            inputs = feed["inputs"][b] if K else None
            expected = reference._block(model.ids[i], values[b], inputs, level, block)
            for out, want in zip(got, expected):
                difference = np.abs(out[b] - want) / scaling.magnitude[i]
                # an unknown bound (NaN) must be unknown in both, else it differs by inf
                difference[np.isnan(out[b]) & np.isnan(want)] = 0.0
                worst = max(worst, float(np.max(np.nan_to_num(difference, nan=np.inf))))
    return worst


def export_onnx(model, path, level=0.9, check=True, tolerance=1e-4):
    """Write the ONNX model of ``model`` to ``path`` (atomically). With ``check`` and
    onnxruntime installed, it is first run on made-up values and compared with the NumPy
    runtime; a difference above ``tolerance`` raises :class:`EngineError`."""
    proto = build_onnx(model, level)
    if check:
        difference = self_check(proto, model, level)
        if difference is not None and not difference <= tolerance:
            raise EngineError(f"The ONNX model's forecasts differ from the application's by "
                              f"{difference:.3g} (more than {tolerance:g} of a series' "
                              "magnitude); it was not written. Please report this with the "
                              "model file.")
    atomic_write_bytes(path, proto.SerializeToString())
    return Path(path)
