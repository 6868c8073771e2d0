"""The model file of a global (many-series) model.

The same format as a single-series model file (:mod:`engine.model.model_file`): an ``.npz``
archive of the network's arrays under their PyTorch names and a JSON header, with the same
checksum, size limits and atomic write. The header has ``"kind": "many_series"`` and, in
place of ``preprocessing``, ``many_series``::

    {"ids": ["H1", ...], "target_names": [...], "input_names": [...],
     "horizon": H, "lookback": L,
     "scaling": {"season": m, "level_rows": k, "log": [[...]], "magnitude": [[...]],
                 "scale": [[...]], "input_mean": [[...]], "input_std": [[...]]},
     "interval_errors": {"0.8": [[lower...], [upper...]], ...},
     "settings": {...how it was trained...}}

One row of each scaling table per series, in the order of ``ids``
(:mod:`engine.many.scaling` says what the numbers mean).
"""

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from engine.atomic import atomic_path, json_ready
from engine.errors import EngineError
from engine.many.global_model import LEVELS, GlobalModel
from engine.many.scaling import FEATURES_PER_TARGET, SeriesScaling
from engine.model import model_file as single
from engine.model.header import check_header_texts, network_settings
from engine.network.recurrent import RecurrentNetwork

KIND = "many_series"


def is_many_series(header):
    """True for the header of a global model's file."""
    return isinstance(header, dict) and header.get("kind") == KIND


def save_global_model(path, model, metadata=None):
    """Write ``model`` (:class:`~engine.many.global_model.GlobalModel`) to ``path``: a
    temporary file, loaded back with every check, then renamed (an existing file stays as
    it was when anything fails). Returns the header as written."""
    weights = model.network.state_dict()
    header = {
        "format": single.FORMAT_NAME, "format_version": single.FORMAT_VERSION,
        "kind": KIND,
        "application_version": single._application_version(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "network": model.network.checked_settings(),
        KIND: json_ready(_section(model), KIND),
        "metadata": json_ready(metadata or {}, "metadata"),
        "weights": {"count": int(sum(a.size for a in weights.values())),
                    "sha256": single.weights_checksum(weights)},
    }
    if single._nonfinite(weights):
        raise EngineError(f"The model was not saved to {path}: its weights hold NaN or "
                          "infinite values. Nothing was written.")
    text = single.header_bytes(header, weights)
    members = {single.HEADER_KEY: np.frombuffer(text, dtype=np.uint8), **weights}
    with atomic_path(path) as temp:
        with open(temp, "wb") as handle:
            np.savez(handle, allow_pickle=False, **members)
        try:
            load_global_model(temp)
        except EngineError as error:
            raise EngineError(f"The model was not saved to {path} because the written file "
                              f"did not load back ({error}); {path} was left as it "
                              "was.") from error
    return json.loads(text)


def _section(model):
    return {"ids": list(model.ids), "target_names": list(model.target_names),
            "input_names": list(model.input_names), "horizon": int(model.horizon),
            "lookback": int(model.lookback), "scaling": model.scaling.to_dict(),
            "interval_errors": {str(level): np.asarray(errors).tolist()
                                for level, errors in model.interval_errors.items()},
            "settings": model.settings, "notes": list(model.notes)}


def load_global_model(path, n_threads=None):
    """The :class:`~engine.many.global_model.GlobalModel` in the file at ``path``, after the
    checks a single-series model file gets (checksum, sizes, array names and shapes) and a
    check of every field of the ``many_series`` section."""
    path = Path(path)
    header, raw, layouts, arrays = single._read_arrays(path)
    if not is_many_series(header):
        raise EngineError(f"{path} holds a single-series model; this command needs a model "
                          "trained on many series (rnn-studio fit --series COL).")
    single._verify_checksum(header, raw, arrays, path)
    settings = header["network"]
    expected = single._declared_shapes(settings, path)
    single._check_layouts(layouts, expected, np.dtype(settings["dtype"]), path)
    if single._nonfinite(arrays):
        raise EngineError(f"The weights in {path} hold NaN or infinite values; the file is "
                          "damaged or was edited.")
    try:
        check_header_texts(header)
        model = _model(header, settings)
    except (EngineError, KeyError, TypeError, ValueError) as error:
        raise EngineError(f"The model file {path} has an invalid header ({error}). The "
                          "file is damaged or was edited; use an unaltered copy or train "
                          "the model again.") from None
    model.network = RecurrentNetwork(**network_settings(settings), n_threads=n_threads)
    model.network.load_state_dict(arrays)
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
    _expect(settings["n_inputs"] == FEATURES_PER_TARGET * len(targets) + len(inputs),
            "network.n_inputs does not fit the targets and inputs")
    for name in ("log", "magnitude", "scale"):
        _expect(getattr(scaling, name).shape == (len(ids), len(targets)),
                f"scaling.{name} needs one row per series and one column per target")
    for name in ("input_mean", "input_std"):
        _expect(getattr(scaling, name).shape[0] == len(ids),
                f"scaling.{name} needs one row per series")
    _expect(bool(np.all(np.isfinite(scaling.scale)) and np.all(scaling.scale > 0)),
            "scaling.scale must be finite and above 0")
    errors = {float(level): np.asarray(value, float)
              for level, value in part["interval_errors"].items()}
    _expect(set(errors) == set(LEVELS) and all(e.shape == (2, width) for e in
                                               errors.values()),
            "interval_errors needs lower and upper errors per output for each level")
    return GlobalModel(None, scaling, ids, targets, inputs, horizon, lookback, errors,
                       settings=dict(part.get("settings") or {}),
                       notes=list(part.get("notes") or []))


def _expect(condition, problem):
    if not condition:
        raise EngineError(problem)
