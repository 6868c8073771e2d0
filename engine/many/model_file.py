"""The model file of a global (many-series) model.

The same format as a single-series model file (:mod:`engine.model.model_file`): an ``.npz``
archive of the network's arrays under their PyTorch names and a JSON header, with the same
checksum, size limits and atomic write. The header has ``"kind": "many_series"`` and, in
place of ``preprocessing``, ``many_series``::

    {"ids": ["H1", ...], "target_names": [...], "input_names": [...],
     "horizon": H, "lookback": L, "fold": f,
     "scaling": {"season": m, "level_rows": k, "log": [[...]], "magnitude": [[...]],
                 "scale": [[...]], "input_mean": [[...]], "input_std": [[...]],
                 "static": [[...]], "static_names": [...]},
     "interval_errors": {"0.8": [[lower...], [upper...]], ...},
     "later_interval_errors": {"0.8": [[lower...], [upper...]], ...} or absent,
     "settings": {...how it was trained...}}

One row of each scaling table per series, in the order of ``ids``
(:mod:`engine.many.scaling` says what the numbers mean); a ``null`` magnitude (and input
mean) is a series the model has no scale for, which held no value other than 0 before the
testing part.
"""

from pathlib import Path

import numpy as np

from engine.atomic import json_ready
from engine.errors import EngineError
from engine.many.global_model import LEVELS, GlobalModel, never_narrower_bounds
from engine.many.scaling import FEATURES_PER_TARGET, SeriesScaling
from engine.model.header import check_header_texts, network_settings
from engine.model.model_file import model_header, read_checked_arrays, write_model_file
from engine.network.recurrent import RecurrentNetwork

KIND = "many_series"


def save_global_model(path, model, metadata=None):
    """Write ``model`` (:class:`~engine.many.global_model.GlobalModel`) to ``path``: a
    temporary file, loaded back with every check, then renamed (an existing file stays as
    it was when anything fails). Returns the header as written."""
    weights = model.network.state_dict()
    if any(not np.isfinite(a).all() for a in weights.values()):
        raise EngineError(f"The model was not saved to {path}: its weights hold NaN or "
                          "infinite values. Nothing was written.")
    header = model_header(model.network, weights, KIND, json_ready(_section(model), KIND),
                          metadata)
    return write_model_file(path, header, weights, load_global_model)


def _section(model):
    return {"ids": list(model.ids), "target_names": list(model.target_names),
            "input_names": list(model.input_names), "horizon": int(model.horizon),
            "lookback": int(model.lookback), "fold": int(model.fold),
            "scaling": model.scaling.to_dict(),
            "interval_errors": levels_table(model.interval_errors),
            **({"later_interval_errors": levels_table(model.later_errors)}
               if model.later_errors else {}),
            "settings": model.settings, "notes": list(model.notes)}


def levels_table(errors):
    """``{"0.8": [[lower...], [upper...]], ...}`` of level -> (2, width) errors; an unknown
    one (NaN) as None, JSON's null."""
    return {str(level): json_ready(np.asarray(value, float)) for level, value in errors.items()}


def _read_levels(part, key, width):
    """The level -> (2, width) errors under ``key`` of the header's section, checked; None
    when the key is absent and optional (``later_interval_errors``). An unknown bound
    (null: too few selection windows for that level) loads as NaN, an infinite one as an
    error of the file."""
    optional = key != "interval_errors"
    if optional and key not in part:
        return None
    _expect(isinstance(part[key], dict), f"{key} needs lower and upper errors per output "
                                         "for each level")
    errors = {float(level): np.asarray(value, float) for level, value in part[key].items()}
    _expect(set(errors) == set(LEVELS) and all(e.shape == (2, width) and
                                               not np.isinf(e).any()
                                               for e in errors.values()),
            f"{key} needs finite lower and upper errors per output for each level (null "
            "where unknown)")
    return errors


def loaded_global_model(model):
    """``model`` when it is a loaded :class:`~engine.many.global_model.GlobalModel`, else
    the model file at the path ``model`` (:func:`load_global_model`)."""
    return model if hasattr(model, "network") else load_global_model(model)


def load_global_model(path, n_threads=None):
    """The :class:`~engine.many.global_model.GlobalModel` in the file at ``path``, after the
    checks a single-series model file gets (checksum, sizes, array names and shapes) and a
    check of every field of the ``many_series`` section."""
    path = Path(path)
    header, arrays = read_checked_arrays(path)      # a damaged file says so here
    if header.get("kind") != KIND:
        raise EngineError(f"{path} is no model of many series; this command needs one "
                          "trained on many series (rnn-studio fit --series COL).")
    settings = header["network"]
    try:
        check_header_texts(header)
        model = _model(header, settings)
    except (EngineError, KeyError, TypeError, ValueError) as error:
        raise EngineError(f"The model file {path} has an invalid header ({error}). The "
                          "file is damaged or was edited; use an unaltered copy or train "
                          "the model again.") from None
    model.network = RecurrentNetwork(**network_settings(settings), n_threads=n_threads)
    model.network.load_state_dict(arrays)
    metadata = header.get("metadata")
    model.metadata = metadata if isinstance(metadata, dict) else {}
    return model


def _model(header, settings):
    """The model the header describes (without its network), every field checked."""
    part = header[KIND]
    ids = [str(i) for i in part["ids"]]
    targets, inputs = list(part["target_names"]), list(part["input_names"])
    horizon, lookback = int(part["horizon"]), int(part["lookback"])
    scaling = SeriesScaling.from_dict(part["scaling"])
    width = horizon * len(targets)
    _expect(settings["n_outputs"] == width, f"network.n_outputs is {settings['n_outputs']}, "
            f"not horizon x targets = {width}")
    static = scaling.static.shape[1]
    features = FEATURES_PER_TARGET * len(targets) + len(inputs) + static
    _expect(settings["n_inputs"] == features * int(part.get("fold", 1)),
            "network.n_inputs does not fit the targets, inputs and static values")
    _expect(scaling.static.shape[0] == len(ids) and len(scaling.static_names) == static,
            "scaling.static needs one row per series and a name per column")
    _expect(bool(np.all(np.isfinite(scaling.static))), "scaling.static must be finite")
    for name in ("log", "magnitude", "scale"):
        _expect(getattr(scaling, name).shape == (len(ids), len(targets)),
                f"scaling.{name} needs one row per series and one column per target")
    for name in ("input_mean", "input_std"):
        _expect(getattr(scaling, name).shape == (len(ids), len(inputs)),
                f"scaling.{name} needs one row per series and one column per input")
    for name in ("magnitude", "scale", "input_std"):
        values = getattr(scaling, name)
        if name == "magnitude":          # null: a series without a scale (fit_scaling)
            values = values[~np.isnan(values)]
        _expect(bool(np.all(np.isfinite(values)) and np.all(values > 0)),
                f"scaling.{name} must be finite and above 0")
    _expect(not np.isinf(scaling.input_mean).any(), "scaling.input_mean must not be infinite")
    _expect(scaling.season >= 1, "scaling.season must be at least 1")
    _expect(1 <= scaling.level_rows <= lookback,
            "scaling.level_rows must be between 1 and the lookback")
    fold = int(part.get("fold", 1))          # a file without it: rows one by one
    _expect(fold >= 1 and lookback % fold == 0,
            "fold must be at least 1 and divide the lookback")
    _expect(not settings.get("linear_path") or settings.get("lookback") == lookback // fold,
            "network.lookback must be the steps of the windows (lookback / fold)")
    first = _never_narrower(_read_levels(part, "interval_errors", width), len(targets))
    later = _never_narrower(_read_levels(part, "later_interval_errors", width), len(targets),
                            first)
    return GlobalModel(None, scaling, ids, targets, inputs, horizon, lookback, first,
                       settings=dict(part.get("settings") or {}),
                       notes=list(part.get("notes") or []), fold=fold, later_errors=later)


def _never_narrower(errors, targets, before=None):
    """Read level -> (2, width) errors that never narrow with the step
    (:func:`~engine.many.global_model.never_narrower_bounds`, after the block ``before``),
    as a fit stores them since: those of a file written before come out so too."""
    if errors is None:
        return None
    return {level: never_narrower_bounds(value, targets,
                                         None if before is None else before[level])
            for level, value in errors.items()}


def _expect(condition, problem):
    if not condition:
        raise EngineError(problem)
