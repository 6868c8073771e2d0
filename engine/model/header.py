"""The fields of a model file's header, checked one by one before any of them is used.

A header that passes :func:`check_header` holds, for every field that the commands read
(the network's settings, the fitted preprocessing, the testing start and the intervals),
a value of the right type and range; the free-form parts of the metadata (the training
summary, scores, trials, choices) are only shown, never computed with. Every failure is an
:class:`EngineError` naming the field, e.g.
``preprocessing.variables[0].scaler.scale = 0 (expected a finite number above 0)``.
"""

import math
import zoneinfo

from engine.errors import EngineError
from engine.network.architecture import ARCHITECTURE_KEYS
from engine.words import counted

# Bounds of what a model trained by RNN Studio can hold; they keep an edited header from
# asking for huge windows or arrays.
MAX_STEPS = 1_000_000
MAX_TEXT = 10_000
MAX_LIST = 1_000_000
CELLS = ("rnn", "gru", "lstm")
ACTIVATIONS = ("tanh", "relu")
DTYPES = ("float32", "float64")
# The network's settings every header has; the linear path's (LINEAR_PATH_DEFAULTS) came
# later, and a header without them is a network without a linear path.
NETWORK_KEYS = tuple(key for key in ARCHITECTURE_KEYS if key != "linear_path") \
    + ("n_inputs", "n_outputs")
LINEAR_PATH_DEFAULTS = {"linear_path": False, "lookback": None}
STEP_UNITS = ("months", "nanoseconds", "business_days", "number")


def _invalid(where, value, expected):
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return EngineError(f"{where} = {shown} (expected {expected})")


def _field(section, key, where):
    if key not in section:
        raise EngineError(f"{where}.{key} is missing")
    return section[key]


def _dict(value, where):
    if not isinstance(value, dict):
        raise _invalid(where, value, "a JSON object")
    return value


def _list(value, where, min_length=0):
    if not isinstance(value, list) or not min_length <= len(value) <= MAX_LIST:
        raise _invalid(where, value, f"a list of at least {counted(min_length, 'item')}")
    return value


def _text(value, where, none=False):
    if value is None and none:
        return value
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT:
        raise _invalid(where, value, "a text" + (" or null" if none else ""))
    return value


def _choice(value, options, where):
    if not isinstance(value, str) or value not in options:
        raise _invalid(where, value, "one of " + ", ".join(options))
    return value


def _number(value, where, low=-math.inf, above=None, none=False):
    """A finite number >= ``low`` (and > ``above`` when given), or None if ``none``."""
    if value is None and none:
        return value
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value) and value >= low and (above is None or value > above)
    if not ok:
        bound = f" above {above:g}" if above is not None else \
            (f" of at least {low:g}" if low > -math.inf else "")
        raise _invalid(where, value, f"a finite number{bound}" + (" or null" if none else ""))
    return value


def _whole(value, where, low=0, high=MAX_STEPS, none=False):
    """A whole number from ``low`` to ``high`` (or None if ``none``)."""
    if value is None and none:
        return value
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _invalid(where, value, f"a whole number from {low:,} to {high:,}"
                                     + (" or null" if none else ""))
    return value


# -- the network -----------------------------------------------------------------------------

def network_settings(settings):
    """The keyword arguments of the network a header's ``network`` settings describe (the
    linear path's settings take their defaults when absent)."""
    return {**{key: settings[key] for key in NETWORK_KEYS},
            **{key: settings.get(key, default) for key, default in LINEAR_PATH_DEFAULTS.items()}}


def check_network(settings, max_units):
    """The network's settings: cell, sizes (each at most ``max_units``), activation, dtype,
    and the linear path's (``linear_path`` true or false; ``lookback``, the windows' length,
    a whole number with it and null without; both may be absent: no linear path)."""
    where = "network"
    _dict(settings, where)
    for key in NETWORK_KEYS:
        _field(settings, key, where)
    _choice(settings["cell"], CELLS, f"{where}.cell")
    _choice(settings["activation"], ACTIVATIONS, f"{where}.activation")
    _choice(settings["dtype"], DTYPES, f"{where}.dtype")
    for key in ("n_inputs", "n_outputs"):
        _whole(settings[key], f"{where}.{key}", 1, max_units)
    for i, size in enumerate(_list(settings["hidden_sizes"], f"{where}.hidden_sizes", 1)):
        _whole(size, f"{where}.hidden_sizes[{i}]", 1, max_units)
    _whole(settings["seed"], f"{where}.seed", 0, 2**32 - 1, none=True)
    linear = network_settings(settings)
    if not isinstance(linear["linear_path"], bool):
        raise _invalid(f"{where}.linear_path", linear["linear_path"], "true or false")
    _whole(linear["lookback"], f"{where}.lookback", 1, none=not linear["linear_path"])


# -- the fitted preprocessing ----------------------------------------------------------------

def _check_scaler(scaler, where):
    from engine.data.scaling import METHODS

    _dict(scaler, where)
    _choice(_field(scaler, "method", where), METHODS, f"{where}.method")
    _number(scaler.get("center", 0.0), f"{where}.center")
    _number(scaler.get("scale", 1.0), f"{where}.scale", above=0)


def _check_categories(variable, where):
    categories = _list(variable.get("categories", []), f"{where}.categories")
    kind = variable["type"]
    if kind == "binary":
        if len(categories) != 2:
            raise _invalid(f"{where}.categories", categories, "the two labels of a binary "
                                                              "column")
        if not all(isinstance(c, str) for c in categories):
            for i, label in enumerate(categories):
                _number(label, f"{where}.categories[{i}]")
    elif kind == "categorical":
        for i, label in enumerate(categories):
            _text(label, f"{where}.categories[{i}]")
    if len(set(map(repr, categories))) != len(categories):
        raise _invalid(f"{where}.categories", categories, "labels that differ")


def _check_variable(variable, where):
    _dict(variable, where)
    _text(_field(variable, "name", where), f"{where}.name")
    _choice(_field(variable, "role", where), ("input", "target", "input_target"),
            f"{where}.role")
    _choice(_field(variable, "type", where), ("numeric", "binary", "categorical"),
            f"{where}.type")
    if variable.get("scaler") is not None:
        _check_scaler(variable["scaler"], f"{where}.scaler")
    _check_categories(variable, where)
    _number(variable.get("fill"), f"{where}.fill", none=True)


def _check_time_step(step, where):
    if step is None:
        return
    _dict(step, where)
    unit = _choice(_field(step, "unit", where), STEP_UNITS, f"{where}.unit")
    size = _field(step, "size", where)
    if unit == "number":
        _number(size, f"{where}.size", above=0)
    else:
        _whole(size, f"{where}.size", 1, 2**62)
    if _text(step.get("zone"), f"{where}.zone", none=True) is not None:
        _check_step_zone(step, f"{where}.zone")


def _check_step_zone(step, where):
    """The zone a step of months is counted on (:func:`~engine.data.time_steps.step_zone`):
    one this computer's zone database names, or a fixed offset ``+09:00``."""
    from engine.data.time_steps import step_zone

    try:
        ok = step["unit"] == "months" and step_zone(step) is not None
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):     # OSError: a folder
        ok = False
    if not ok:
        raise _invalid(where, step["zone"], "for a step of months, a zone of the zone "
                       "database such as 'Europe/Berlin' or an offset such as '+09:00'")


def check_preprocessing(preprocessing):
    """Every field of the fitted preprocessing (see :mod:`engine.data.preprocessing`)."""
    from engine.data.config import MISSING, TRANSFORMS
    from engine.data.preprocessing import FORMAT, VERSION

    where = "preprocessing"
    _dict(preprocessing, where)
    if preprocessing.get("format") != FORMAT:
        raise _invalid(f"{where}.format", preprocessing.get("format"), repr(FORMAT))
    _whole(_field(preprocessing, "version", where), f"{where}.version", 1, VERSION)
    _whole(_field(preprocessing, "lookback", where), f"{where}.lookback", 1)
    _whole(_field(preprocessing, "horizon", where), f"{where}.horizon", 0)
    _choice(_field(preprocessing, "missing", where), MISSING, f"{where}.missing")
    _choice(_field(preprocessing, "target_transform", where), TRANSFORMS,
            f"{where}.target_transform")
    _whole(preprocessing.get("period"), f"{where}.period", 1, none=True)
    _text(preprocessing.get("time_column"), f"{where}.time_column", none=True)
    _check_time_step(preprocessing.get("time_step"), f"{where}.time_step")
    variables = _list(_field(preprocessing, "variables", where), f"{where}.variables", 1)
    for i, variable in enumerate(variables):
        _check_variable(variable, f"{where}.variables[{i}]")
    names = [v["name"] for v in variables]
    if len(set(names)) != len(names):
        raise _invalid(f"{where}.variables", names, "variables with different names")


# -- the metadata the commands use -----------------------------------------------------------

def _check_testing(testing, where):
    if testing is None:
        return
    _dict(testing, where)
    start = testing.get("from")
    if isinstance(start, dict):
        _whole(_field(start, "row", f"{where}.from"), f"{where}.from.row", 0, 2**62)
    elif isinstance(start, str):
        _text(start, f"{where}.from")
    else:
        _number(start, f"{where}.from", none=True)


def _check_widths(table, n_targets, where):
    for h, row in enumerate(_list(table, where, 1)):
        if not isinstance(row, list) or len(row) != n_targets:
            raise _invalid(f"{where}[{h}]", row, f"a list of {counted(n_targets, 'width')}, "
                                                 "one per "
                                                 "target")
        for j, width in enumerate(row):
            _number(width, f"{where}[{h}][{j}]", low=0, none=True)


def _check_intervals(intervals, n_targets, steps, where):
    from engine.testing.intervals import level_key

    if intervals is None:
        return
    _dict(intervals, where)
    levels = _list(_field(intervals, "levels", where), f"{where}.levels", 1)
    for i, level in enumerate(levels):
        _number(level, f"{where}.levels[{i}]", above=0)
        if level >= 1:
            raise _invalid(f"{where}.levels[{i}]", level, "a share between 0 and 1")
    for mode in ("direct", "recursive"):
        tables = _dict(_field(intervals, mode, where), f"{where}.{mode}")
        for level in levels:
            key = level_key(level)
            _check_widths(_field(tables, key, f"{where}.{mode}"), n_targets,
                          f"{where}.{mode}.{key}")
            if mode == "direct" and len(tables[key]) != steps:
                raise _invalid(f"{where}.direct.{key}", tables[key],
                               f"{counted(steps, 'row')}, one per output step")


def check_metadata(metadata, n_targets, steps):
    """The parts of the metadata the commands compute with: the testing start, the
    intervals (``n_targets`` widths per row; ``steps`` rows of direct widths) and the
    length of the forecasts the person wants."""
    _dict(metadata, "metadata")
    _check_testing(metadata.get("testing"), "metadata.testing")
    _whole(metadata.get("forecast_steps"), "metadata.forecast_steps", low=1, none=True)
    _check_intervals(metadata.get("intervals"), n_targets, steps, "metadata.intervals")


def check_header_texts(header):
    """The header's descriptive fields: the application version and the creation time."""
    _text(header.get("application_version"), "application_version", none=True)
    _text(header.get("created"), "created", none=True)
