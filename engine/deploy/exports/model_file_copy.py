"""Export: the model file itself (weights, preprocessing and metadata; see
:mod:`engine.model.model_file`), for ``rnn-studio predict``/``forecast`` or another computer."""

from pathlib import Path

from engine.model.model_file import save_model


def export_model_file(model, path):
    """Write ``model`` (a :class:`~engine.model.forecaster.Forecaster`) to ``path``:
    atomically, and only once the written file loads back (see
    :func:`~engine.model.model_file.save_model`)."""
    save_model(path, model.network, model.header["preprocessing"], model.metadata)
    return Path(path)
