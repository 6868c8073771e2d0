"""Exports of a global (many-series) model, in the formats of a single-series model
(:data:`engine.deploy.exports.FORMATS`), each with the per-series scaling table:

========  ==================================  ============================================
format    module                              what is written
========  ==================================  ============================================
model     :func:`export_model_file`           a copy of the model file (.npz)
python    :mod:`.python_module`               one .py file: ``forecast(series_id, values)``
onnx      :mod:`.onnx_model`                  raw values and a series number -> forecasts
torch     :mod:`.torch_weights`               the state dict and the table as ``series.*``
========  ==================================  ============================================
"""

from pathlib import Path

from engine.deploy.exports.formats import FORMATS
from engine.errors import EngineError


def export_global(model, fmt, path):
    """Write ``model`` in format ``fmt`` (a key of :data:`FORMATS`) to ``path``; returns
    the path written (atomically: complete or unchanged).

    model : a :class:`~engine.many.global_model.GlobalModel`, or the path of its model file
    """
    from engine.many.model_file import load_global_model

    if fmt not in FORMATS:
        raise EngineError(f"Unknown export format {fmt!r}; choose one of: "
                          f"{', '.join(FORMATS)}.")
    path = Path(path)
    if path.is_dir():
        raise EngineError(f"{path} is a folder; give the name of the file to write.")
    source = None
    if isinstance(model, (str, Path)):
        source, model = Path(model), load_global_model(model)
    if fmt == "model":
        return export_model_file(model, path, source)
    if fmt == "python":
        from engine.many.exports.python_module import export_python
        return export_python(model, path)
    if fmt == "onnx":
        from engine.many.exports.onnx_model import export_onnx
        return export_onnx(model, path)
    from engine.many.exports.torch_weights import export_torch
    return export_torch(model, path)


def export_model_file(model, path, source=None):
    """Write ``model`` to ``path`` as a model file, with the metadata of the model file
    ``source`` it was read from (none for a model in memory)."""
    from engine.many.model_file import save_global_model
    from engine.model.model_file import read_checked_arrays

    metadata = read_checked_arrays(source)[0].get("metadata") if source else None
    save_global_model(path, model, metadata)
    return Path(path)
