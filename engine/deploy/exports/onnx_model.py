"""Export: the network as an ONNX model with the standard RNN, GRU and LSTM operators.

Graph (float32; ``batch`` and ``time`` are free dimensions)::

    x (batch, time, n_inputs)  --Transpose(1, 0, 2)-->  (time, batch, n_inputs)
      --RNN/GRU/LSTM layer 0--> Y (time, 1, batch, H0) --Squeeze(axis 1)--> (time, batch, H0)
      ... one operator per layer ...
      Y_h of the last layer (1, batch, H) --Squeeze(axis 0)--> (batch, H)
      --Gemm(head.weight^T, head.bias)--> y (batch, n_outputs)

With a linear path ``time`` is the lookback ``L`` (fixed) and the output has one more term::

    x --Reshape(0, -1)--> (batch, L * n_inputs) --MatMul(ar.weight^T)--> (batch, n_outputs)
      --Add (to the head's output)--> y

The model maps *scaled* inputs to *scaled, transformed* outputs, as the network does; the
scaling and the target transform are in ``metadata_props`` (``rnn_studio.preprocessing``:
the full JSON the model file stores; ``rnn_studio.input_scaling``: per input column its
method, centre and scale, ``x' = (f(x) - center) / scale`` with ``f = ln`` for the method
"log", else the identity; ``rnn_studio.output_scaling``, undone as
``f^-1(y * scale + center)``).

Weights: ONNX stacks the gates as W (1, G*H, in), R (1, G*H, H), B (1, 2*G*H) = [Wb; Rb],
in its own gate order: LSTM i, o, f, c (PyTorch i, f, g, o); GRU z, r, h (PyTorch r, z, n)
with ``linear_before_reset=1``, which is PyTorch's (and RNN Studio's) GRU.
"""

import json
from pathlib import Path

import numpy as np

from engine.atomic import atomic_write_bytes
from engine.errors import EngineError
from engine.words import the_last

OPSET = 17
# the PyTorch gate blocks in ONNX order
GATE_ORDER = {"rnn": [0], "gru": [1, 0, 2], "lstm": [0, 3, 1, 2]}
OPERATOR = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}


def _reorder(array, cell, size):
    """Gate blocks of ``array`` (G*H, ...) or (G*H,) from PyTorch's order to ONNX's."""
    blocks = [array[g * size:(g + 1) * size] for g in GATE_ORDER[cell]]
    return np.concatenate(blocks, axis=0)


def layer_tensors(state, cell, k, size):
    """ONNX ``W``, ``R``, ``B`` (float32) of layer ``k`` from a PyTorch-named state dict."""
    W = _reorder(state[f"rnn.weight_ih_l{k}"], cell, size)[None]
    R = _reorder(state[f"rnn.weight_hh_l{k}"], cell, size)[None]
    B = np.concatenate([_reorder(state[f"rnn.bias_ih_l{k}"], cell, size),
                        _reorder(state[f"rnn.bias_hh_l{k}"], cell, size)])[None]
    return [np.ascontiguousarray(a, dtype=np.float32) for a in (W, R, B)]


def scaling_notes(fitted):
    """``(input_scaling, output_scaling)``: JSON-able lists of what the graph's inputs and
    outputs mean and how they are scaled."""
    inputs = []
    for column in fitted.input_columns:
        name, category = column["variable"], column["category"]
        variable = next(v for v in fitted.variables if v["name"] == name)
        if category is not None:
            inputs.append({"column": name, "category": category,
                           "value": "1 when the column holds this category, else 0"})
            continue
        scaler = variable.get("scaler") or {"method": "none"}
        entry = {"column": name, "method": scaler["method"],
                 "center": scaler.get("center", 0.0), "scale": scaler.get("scale", 1.0)}
        if variable["role"] == "input_target":
            entry["of"] = f"the transformed target ({fitted.target_transform})"
        inputs.append(entry)
    outputs = []
    for output in fitted.outputs:
        variable = next(v for v in fitted.variables if v["name"] == output["variable"])
        scaler = variable.get("scaler") or {"method": "none"}
        outputs.append({"target": output["variable"], "step": output["step"],
                        "transform": fitted.target_transform,
                        "method": scaler["method"], "center": scaler.get("center", 0.0),
                        "scale": scaler.get("scale", 1.0)})
    return inputs, outputs


def layer_nodes(network, state, helper, numpy_helper):
    """``(nodes, initializers, name of the last layer's final state)`` of the recurrent
    layers: one RNN/GRU/LSTM operator per layer, reading ``x_time_major``."""
    cell = network.cell
    sizes = [int(s) for s in np.atleast_1d(network.hidden_sizes)]
    nodes = [helper.make_node("Transpose", ["x"], ["x_time_major"], perm=[1, 0, 2])]
    initializers, current = [], "x_time_major"
    for k, size in enumerate(sizes):
        W, R, B = layer_tensors(state, cell, k, size)
        for name, value in (("W", W), ("R", R), ("B", B)):
            initializers.append(numpy_helper.from_array(value, f"layer{k}_{name}"))
        attributes = {"hidden_size": size}
        if cell == "rnn":
            attributes["activations"] = ["Tanh" if network.activation == "tanh" else "Relu"]
        if cell == "gru":
            attributes["linear_before_reset"] = 1
        outputs = [f"layer{k}_Y", f"layer{k}_Y_h"] + ([f"layer{k}_Y_c"] if cell == "lstm"
                                                     else [])
        nodes.append(helper.make_node(OPERATOR[cell],
                                      [current, f"layer{k}_W", f"layer{k}_R", f"layer{k}_B"],
                                      outputs, name=f"layer{k}", **attributes))
        if k < len(sizes) - 1:
            initializers.append(numpy_helper.from_array(np.array([1], np.int64),
                                                        f"layer{k}_axis"))
            nodes.append(helper.make_node("Squeeze", [f"layer{k}_Y", f"layer{k}_axis"],
                                          [f"layer{k}_out"]))
            current = f"layer{k}_out"
    return nodes, initializers, f"layer{len(sizes) - 1}_Y_h"


def head_nodes(state, last_state, helper, numpy_helper):
    """``(nodes, initializers)`` of the head: the last state squeezed, then ``Gemm``; with
    a linear path (``ar.weight`` in ``state``) the flattened window's ``MatMul`` added."""
    initializers = [
        numpy_helper.from_array(np.array([0], np.int64), "state_axis"),
        numpy_helper.from_array(np.ascontiguousarray(state["head.weight"], dtype=np.float32),
                                "head_weight"),
        numpy_helper.from_array(np.ascontiguousarray(state["head.bias"], dtype=np.float32),
                                "head_bias")]
    linear = "ar.weight" in state
    nodes = [helper.make_node("Squeeze", [last_state, "state_axis"], ["last_hidden"]),
             helper.make_node("Gemm", ["last_hidden", "head_weight", "head_bias"],
                              ["head_y" if linear else "y"], transB=1)]
    if linear:
        initializers += [
            numpy_helper.from_array(np.array([0, -1], np.int64), "flat_shape"),
            numpy_helper.from_array(np.ascontiguousarray(state["ar.weight"].T,
                                                         dtype=np.float32), "ar_weight_t")]
        nodes += [helper.make_node("Reshape", ["x", "flat_shape"], ["x_flat"]),
                  helper.make_node("MatMul", ["x_flat", "ar_weight_t"], ["ar_y"]),
                  helper.make_node("Add", ["head_y", "ar_y"], ["y"])]
    return nodes, initializers


def _description(model, n_inputs, n_outputs):
    """The graph's ``doc_string``: what ``x`` and ``y`` hold and how to scale them."""
    network, fitted = model.network, model.preprocessing
    sizes = [int(s) for s in np.atleast_1d(network.hidden_sizes)]
    path = (f" and a linear path over the whole window (time must be {fitted.lookback})"
            if network.linear_path else "")
    columns = ", ".join(c["variable"] + ("=" + str(c["category"])
                                         if c["category"] is not None else "")
                        for c in fitted.input_columns)
    return (f"RNN Studio {network.cell.upper()} network, hidden {sizes}{path}: x (batch, time, "
            f"{n_inputs}) scaled inputs, {the_last(fitted.lookback, 'row')} in time order -> y "
            f"(batch, {n_outputs}) scaled outputs. Inputs: {columns}. "
            "Scale each input as x' = (f(x) - center) / scale, f = ln for the method log, "
            "else none (rnn_studio.input_scaling); an input that is also a target is its "
            "transformed value (e.g. the difference) so scaled. Undo the outputs as "
            "z = f^-1(y * scale + center), then the target transform "
            f"({fitted.target_transform}); rnn_studio.output_scaling lists them, "
            "rnn_studio.preprocessing holds everything.")


def _properties(model):
    """The ``metadata_props`` of the ONNX model (texts)."""
    fitted = model.preprocessing
    inputs_note, outputs_note = scaling_notes(fitted)
    return {"rnn_studio.input_scaling": json.dumps(inputs_note),
            "rnn_studio.output_scaling": json.dumps(outputs_note),
            "rnn_studio.preprocessing": json.dumps(model.header["preprocessing"]),
            "rnn_studio.lookback": str(fitted.lookback),
            "rnn_studio.inputs": json.dumps(fitted.input_columns),
            "rnn_studio.outputs": json.dumps(fitted.outputs)}


def build_onnx(model):
    """The ONNX ``ModelProto`` of a :class:`~engine.model.forecaster.Forecaster` (checked)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    state = model.network.state_dict()
    n_inputs = state["rnn.weight_ih_l0"].shape[1]
    n_outputs = state["head.bias"].shape[0]
    time = int(model.network.lookback) if model.network.linear_path else "time"
    nodes, initializers, last_state = layer_nodes(model.network, state, helper, numpy_helper)
    head, head_initializers = head_nodes(state, last_state, helper, numpy_helper)
    graph = helper.make_graph(
        nodes + head, "rnn_studio_network",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", time, n_inputs])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", n_outputs])],
        initializers + head_initializers)
    proto = helper.make_model(graph, producer_name="RNN Studio",
                              opset_imports=[helper.make_opsetid("", OPSET)],
                              doc_string=_description(model, n_inputs, n_outputs))
    proto.ir_version = 8
    helper.set_model_props(proto, _properties(model))
    onnx.checker.check_model(proto, full_check=True)
    return proto


def self_check(proto, network, windows=8, time=None, seed=0):
    """Largest difference between onnxruntime's outputs and ``network.predict`` (float32)
    on random windows; None when onnxruntime is not installed."""
    try:
        import onnxruntime
    except ImportError:
        return None
    state = network.state_dict()
    n_inputs = state["rnn.weight_ih_l0"].shape[1]
    rng = np.random.default_rng(seed)
    if network.linear_path:
        time = int(network.lookback)
    X = rng.standard_normal((windows, time or 12, n_inputs)).astype(np.float32)
    options = onnxruntime.SessionOptions()
    # a check of a few windows needs no thread pool of its own
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(proto.SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])
    got = session.run(["y"], {"x": X})[0]
    expected = network.predict(X.astype(np.float64))
    return float(np.max(np.abs(got - expected)))


def export_onnx(model, path, check=True, tolerance=1e-4):
    """Write the ONNX model of ``model`` to ``path`` (atomically). With ``check`` and
    onnxruntime installed, the file is first run on random windows and compared with the
    network; a difference above ``tolerance`` raises :class:`EngineError`."""
    proto = build_onnx(model)
    if check:
        difference = self_check(proto, model.network)
        if difference is not None and not difference <= tolerance:
            raise EngineError(f"The ONNX model's outputs differ from the network's by "
                              f"{difference:.3g} (more than {tolerance:g}); it was not "
                              "written. Please report this with the model file.")
    atomic_write_bytes(path, proto.SerializeToString())
    return Path(path)
