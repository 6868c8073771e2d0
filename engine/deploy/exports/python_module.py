"""Export: one standalone Python module that needs only NumPy.

The module holds the model's preprocessing (JSON), its weights (base64 of the exact
little-endian bytes, so nothing is rounded) and the code of
:mod:`engine.deploy.exports.standalone_runtime`. It predicts as the application does: in float64
the two agree to about 1e-12 (tested to 1e-9); a float32 model runs in float32 in both.
"""

import ast
import base64
import json
import keyword
from pathlib import Path

import numpy as np

from engine.atomic import atomic_write_text
from engine.deploy.calculator import calculator_columns, rows_needed
from engine.training.share_words import network_words
from engine.words import counted

RUNTIME = Path(__file__).with_name("standalone_runtime.py")


def runtime_code(path=RUNTIME):
    """The source of the runtime (or of the runtime file at ``path``) without its module
    docstring."""
    source = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    first = tree.body[0]
    skip = first.end_lineno if isinstance(first, ast.Expr) and isinstance(
        getattr(first, "value", None), ast.Constant) else 0
    return "\n".join(source.splitlines()[skip:]).strip() + "\n"


def encoded_weights(state):
    """``{name: [dtype, shape, base64]}`` of a state dict (little-endian bytes)."""
    out = {}
    for name, array in state.items():
        array = np.ascontiguousarray(array)
        little = array.astype(array.dtype.newbyteorder("<"), copy=False)
        out[name] = [array.dtype.name, list(array.shape),
                     base64.b64encode(little.tobytes()).decode("ascii")]
    return out


def runtime_settings(network):
    """The network's settings the runtime needs (JSON-able)."""
    return {"cell": network.cell,
            "hidden_sizes": [int(s) for s in np.atleast_1d(network.hidden_sizes)],
            "activation": network.activation, "dtype": np.dtype(network.dtype).name,
            "linear_path": bool(network.linear_path)}


def _docstring(fitted, settings, name, network, share=None):
    """The module's docstring: the model (``network`` as its fit kept it: ``share``, the
    model file's ``linear_share``), the columns it reads, how to call it."""
    columns = calculator_columns(fitted)
    rows = rows_needed(fitted)
    names = ", ".join(f'"{name}": [...]' for name in columns)
    steps = fitted.steps
    agreement = ("to about 1e-12" if settings["dtype"] == "float64" else
                 "to float32 precision (about 1e-6 relative), as the network is float32")
    more = (f" and the {counted(fitted.lag, 'row')} before them for the target transform"
            if fitted.lag else "")
    path = ", with a linear path over the window" if settings["linear_path"] else ""
    step_text = ("the same row (0 steps ahead)" if fitted.horizon == 0 else
                 "the next row" if steps == 1 else f"each of the next {steps} rows")
    return docstring_literal(f'''RNN Studio model {name!r} as a standalone Python module: it needs only NumPy.

Model: {network_words(network, share)}, {settings["dtype"]}{path};
lookback {counted(fitted.lookback, 'row')}, {counted(fitted.horizon, 'step')} ahead; target transform
{fitted.target_transform}{f" (period {fitted.period})" if fitted.lag > 1 else ""}.

Columns it reads (raw values, in the CSV's units): {", ".join(columns)}
Targets it predicts (in their units): {", ".join(fitted.target_names)}

Usage::

    import numpy as np
    import {name} as model

    # a dict of columns (a pandas DataFrame works too), rows in time order, one time step
    # apart, at least {counted(rows, 'row')}
    out = model.predict({{{names}}})
    out.shape        # (rows, {steps}, {len(fitted.target_names)}): out[t, h-1, j] is target j
                     # at row t + {"h" if fitted.horizon else "0"}, from the window ending at row t
    model.predict_next(data)     # the last window's prediction of {step_text}: ({steps}, {len(fitted.target_names)})

    # or a 2-D array whose columns are model.COLUMNS in that order
    model.predict(np.asarray(rows_of_numbers, dtype=float))

A window needs {counted(fitted.lookback, 'consecutive row')} with all inputs known{more}; rows without
one give NaN. Missing values are handled as in the application ({fitted.missing}). The
predictions equal the application's (``rnn-studio predict``) {agreement}.
''')


def docstring_literal(text):
    """``text`` as a triple-quoted Python literal that reads back as ``text`` whatever
    column names or series names it holds (backslashes, characters that cannot be
    printed but the newline, and quotes where three in a row would end it, escaped)."""
    text = "".join(c if c == "\n" or c.isprintable() else c.encode("unicode_escape").decode()
                   for c in text.replace("\\", "\\\\"))
    if '"""' in text or text.endswith('"'):
        text = text.replace('"', '\\"')
    return f'"""{text}"""'


def _data_code(fitted, settings, network):
    """The module's data (settings, preprocessing, weights) and its functions."""
    return (
        f"NETWORK = from_json({json.dumps(json.dumps(settings))})\n"
        f"PREPROCESSING = from_json({json.dumps(json.dumps(fitted.to_dict()))})\n"
        f"WEIGHTS = from_json({json.dumps(json.dumps(encoded_weights(network.state_dict())))})\n"
        "\n"
        "MODEL = Model(NETWORK, PREPROCESSING, decode_weights(WEIGHTS))\n"
        "COLUMNS = MODEL.columns\n"
        "TARGETS = MODEL.targets\n"
        "LOOKBACK = MODEL.lookback\n"
        "STEPS = MODEL.steps\n"
        "\n\n"
        "def predict(data):\n"
        "    \"\"\"See :meth:`Model.predict`: (rows, STEPS, len(TARGETS)) in the targets' "
        "units.\"\"\"\n"
        "    return MODEL.predict(data)\n"
        "\n\n"
        "def predict_next(data):\n"
        "    \"\"\"The last window's predictions: (STEPS, len(TARGETS)).\"\"\"\n"
        "    return MODEL.predict_next(data)\n")


def module_text(model, name="model"):
    """The text of the standalone module for a :class:`~engine.model.forecaster.Forecaster`."""
    settings = runtime_settings(model.network)
    fitted = model.preprocessing
    share = ((model.metadata or {}).get("training") or {}).get("linear_share")
    return (_docstring(fitted, settings, name, model.network, share) + "\n\n"
            + runtime_code() + "\n\n" + _data_code(fitted, settings, model.network))


def module_name(path):
    """The name ``import`` knows the file by: its stem, with characters Python does not
    allow in a name replaced by ``_``, and ``model_`` before a name that is none or a
    keyword (the docstring's example then says to rename it)."""
    stem = Path(path).stem
    name = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in stem)
    return name if name.isidentifier() and not keyword.iskeyword(name) else f"model_{name}"


def export_python(model, path):
    """Write the standalone module for ``model`` to ``path`` (atomically)."""
    name = module_name(path)
    text = module_text(model, name)
    if name != Path(path).stem:
        text = text.replace("Usage::\n", f"Usage (after renaming the file to {name}.py, a name "
                            "Python can import)::\n", 1)
    atomic_write_text(path, text)
    return Path(path)
