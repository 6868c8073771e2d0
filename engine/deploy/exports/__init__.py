"""Exports of a trained model, one module per format:

========  ============================  ===================================================
format    module                        what is written
========  ============================  ===================================================
model     :mod:`.model_file_copy`       the RNN Studio model file (.npz)
python    :mod:`.python_module`         one .py file that predicts with NumPy alone
onnx      :mod:`.onnx_model`            the network with ONNX's RNN/GRU/LSTM operators
torch     :mod:`.torch_weights`         the weights as a PyTorch state dict (.npz)
========  ============================  ===================================================

:func:`export_model` is the one call the command line, the application and the packaged
self-test make.
"""

from pathlib import Path

from engine.errors import EngineError

from engine.deploy.exports.formats import FORMATS


def export_model(model, fmt, path):
    """Write ``model`` in format ``fmt`` ("model", "python", "onnx" or "torch") to ``path``.

    model : a :class:`~engine.model.forecaster.Forecaster`, a global model
        (:class:`~engine.many.global_model.GlobalModel`, :mod:`engine.many.exports`), or
        the path of either's model file
    Returns the path written. Raises :class:`EngineError` for an unknown format or a file
    that cannot be written; the target is written atomically (complete or unchanged).
    """
    from engine.many.global_model import GlobalModel
    from engine.model.forecaster import Forecaster
    from engine.model.model_file import holds_many_series, load_model

    if fmt not in FORMATS:
        raise EngineError(f"Unknown export format {fmt!r}; choose one of: "
                          f"{', '.join(FORMATS)}.")
    if isinstance(model, GlobalModel) or (not isinstance(model, Forecaster)
                                          and holds_many_series(model)):
        from engine.many.exports import export_global
        return export_global(model, fmt, path)
    if not isinstance(model, Forecaster):
        model = load_model(model)
    path = Path(path)
    if path.is_dir():
        raise EngineError(f"{path} is a folder; give the name of the file to write.")
    if fmt == "model":
        from engine.deploy.exports.model_file_copy import export_model_file
        return export_model_file(model, path)
    if fmt == "python":
        from engine.deploy.exports.python_module import export_python
        return export_python(model, path)
    if fmt == "onnx":
        from engine.deploy.exports.onnx_model import export_onnx
        return export_onnx(model, path)
    from engine.deploy.exports.torch_weights import export_torch
    return export_torch(model, path)
