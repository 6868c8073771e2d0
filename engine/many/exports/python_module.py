"""Export of a global model: one standalone Python module that needs only NumPy.

The module holds the network's functions of the single-series standalone runtime
(:mod:`engine.deploy.exports.standalone_runtime`: ``run_network`` and what it needs), the code
of :mod:`engine.many.exports.runtime`, the per-series table and interval errors (JSON; floats
written with Python's exact repr) and the weights (base64 of the exact bytes).
"""

import ast
import json
from pathlib import Path

from engine.atomic import atomic_write_text, json_ready
from engine.many.model_file import levels_table
from engine.deploy.exports.python_module import (RUNTIME, docstring_literal,
                                                  encoded_weights, module_name, runtime_code,
                                                  runtime_settings)
from engine.words import counted

GLOBAL_RUNTIME = Path(__file__).with_name("runtime.py")
NETWORK_FUNCTIONS = ("from_json", "decode_weights", "_sigmoid", "run_network")


def network_code():
    """The standalone runtime's functions that decode the weights and run the network."""
    source = RUNTIME.read_text(encoding="utf-8")
    return "\n\n\n".join(ast.get_source_segment(source, node)
                         for node in ast.parse(source).body
                         if isinstance(node, ast.FunctionDef) and node.name in NETWORK_FUNCTIONS)


def model_table(model):
    """The JSON-able table the exported module reads: identifiers, names, horizon (the
    network's steps at once), steps (the forecast's, more for a recursive model), lookback,
    fold (rows per step of the network), the per-series scaling and the interval errors per
    level, of the first block and (a model that has them) of the later ones."""
    return {"ids": list(model.ids), "target_names": list(model.target_names),
            "input_names": list(model.input_names), "horizon": int(model.horizon),
            "steps": int(model.steps),
            "lookback": int(model.lookback), "fold": int(model.fold),
            "scaling": json_ready(model.scaling.to_dict()),   # null: a series without a scale
            "interval_errors": levels_table(model.interval_errors),
            **({"later_interval_errors": levels_table(model.later_errors)}
               if model.later_errors else {})}


def rows_needed(model):
    """The recent rows a forecast reads: the lookback, and the rows before it that the level
    (``level_rows - 1``) or the first change (1) of the window needs."""
    return int(model.lookback) + max(int(model.scaling.level_rows) - 1, 1)


def _docstring(model, settings, name):
    """The module's docstring: the model, what :func:`forecast` takes and gives."""
    targets, inputs = list(model.target_names), list(model.input_names)
    rows, shown = rows_needed(model), ", ".join(map(repr, model.ids[:5]))
    more = f", ... ({len(model.ids):,} in all)" if len(model.ids) > 5 else ""
    path = ", with a linear path over the window" if settings["linear_path"] else ""
    levels = ", ".join(str(level) for level in sorted(model.interval_errors))
    input_text = (f"inputs: ({rows}, {len(inputs)}) the inputs {', '.join(inputs)} of the same "
                  "rows" if inputs else "inputs: None (the model has no inputs)")
    return docstring_literal(f'''RNN Studio global model {name!r} as a standalone Python module: it needs only NumPy.

One network over many series: {settings["cell"].upper()}, hidden {settings["hidden_sizes"]},
{settings["dtype"]}{path}; lookback {model.lookback} rows, {model.reach()}.
Series (IDS): {shown}{more}. Targets (TARGETS): {", ".join(targets)}.

Usage::

    import {name} as model

    forecast, lower, upper = model.forecast({model.ids[0]!r}, values, level=0.9)
    forecast.shape   # ({model.steps}, {len(targets)}): forecast[h-1, j] is target j, h steps
                     # after the last row of values; lower and upper: the interval that
                     # holds that share (level) of the outcomes before the testing part
                     # (steps past HORIZON: of forecasts fed the model's own, see below)

values: (rows, {len(targets)}) the series' recent values in the targets' units (a 1-D array for
one target), rows in time order one time step apart, at least ROWS = {rows} of them (the
lookback {model.lookback} and the {counted(rows - model.lookback, 'row')} before it for the
level and the first change); only the last {rows} are read.
{input_text}
level: one of {levels}.

{_later_text(model)}

The forecasts are NaN when one of those rows is unknown (or not above 0 in a series whose
logarithm the model reads); lower and upper are NaN for a level whose interval is unknown
(the selection part had too few windows to calibrate it){_unknown_text(model)}. They equal the application's (``rnn-studio forecast``) to
float32 precision, as the network is float32.
''')


def _unknown_text(model):
    """The docstring's levels whose interval is unknown (none: "")."""
    unknown = model.unknown_levels()
    return f": here {', '.join(map(str, unknown))}" if unknown else ""


def _later_text(model):
    """How the docstring's model bounds the steps past its horizon."""
    if model.later_errors:
        return (f"Steps past HORIZON = {model.horizon} are forecast in blocks fed the ones "
                "before; block j >= 2 has the wider interval of a second block (the first "
                "block's times sqrt 2, or as wide as second blocks before the testing part "
                "needed), times sqrt(j / 2), and never narrower than the block before it "
                "ends (block_errors).")
    return (f"Steps past HORIZON = {model.horizon} are forecast in blocks fed the ones before, "
            "with the interval of the first block's last step (too narrow for them).")


def _data_code(model, settings):
    """The module's data (settings, table, weights) and its one function."""
    table = model_table(model)
    weights = encoded_weights(model.network.state_dict())
    return (
        f"NETWORK = from_json({json.dumps(json.dumps(settings))})\n"
        f"TABLE = from_json({json.dumps(json.dumps(table))})\n"
        f"WEIGHTS = from_json({json.dumps(json.dumps(weights))})\n"
        "\n"
        "MODEL = GlobalForecaster(NETWORK, TABLE, decode_weights(WEIGHTS), run_network)\n"
        "IDS = MODEL.ids\n"
        "TARGETS = MODEL.targets\n"
        "INPUTS = MODEL.inputs\n"
        "HORIZON = MODEL.horizon\n"
        "STEPS = MODEL.steps\n"
        "LOOKBACK = MODEL.lookback\n"
        "ROWS = MODEL.rows\n"
        "\n\n"
        "def forecast(series_id, values, inputs=None, level=0.9, steps=None):\n"
        "    \"\"\"``(forecast, lower, upper)`` of series ``series_id``, each (steps, "
        "len(TARGETS))\n"
        "    in the targets' units, from its last ROWS ``values`` (rows, len(TARGETS)) and "
        "``inputs``\n"
        "    (rows, len(INPUTS)); ``steps`` (default STEPS) beyond HORIZON go on in blocks "
        "fed the\n"
        "    forecasts before them; see the module's docstring.\"\"\"\n"
        "    return MODEL.forecast(series_id, values, inputs, level, steps)\n")


def module_text(model, name="model"):
    """The text of the standalone module of a
    :class:`~engine.many.global_model.GlobalModel`."""
    settings = runtime_settings(model.network)
    return "\n\n\n".join([_docstring(model, settings, name),
                        "import base64\nimport json\n\nimport numpy as np",
                        network_code(), runtime_code(GLOBAL_RUNTIME).replace(
                            "import numpy as np\n", "", 1).strip(),
                        _data_code(model, settings)])


def export_python(model, path):
    """Write the standalone module of ``model`` to ``path`` (atomically)."""
    atomic_write_text(path, module_text(model, module_name(path)))
    return Path(path)
