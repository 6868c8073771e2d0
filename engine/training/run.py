"""One training run: build the network the project's architecture describes for prepared
data, and fit it on the training windows with early stopping on the selection windows.

Shapes: ``prepared.X_train`` (n, L, n_inputs) windows, ``prepared.Y_train`` (n, n_outputs);
the network maps (batch, L, n_inputs) -> (batch, n_outputs).
"""

import time

import numpy as np

from engine.errors import EngineError
from engine.network.architecture import ARCHITECTURE_KEYS
from engine.network.recurrent import RecurrentNetwork
from engine.tasks import as_task
from engine.training.preview import previewing


def make_network(architecture, n_inputs, n_outputs, lookback=None):
    """A :class:`RecurrentNetwork` from an architecture dict (project section) for windows
    of ``lookback`` steps (needed with a linear path)."""
    unknown = sorted(set(architecture) - set(ARCHITECTURE_KEYS) - {"n_threads"})
    if unknown:
        raise EngineError(f"Unknown architecture setting(s) {', '.join(unknown)}; the "
                          f"settings are: {', '.join(ARCHITECTURE_KEYS)}.")
    settings = {key: architecture[key] for key in ARCHITECTURE_KEYS if key in architecture}
    network = RecurrentNetwork(n_inputs=n_inputs, n_outputs=n_outputs, lookback=lookback,
                               **settings)
    network.parameters_          # validates the settings now, with a clear message
    return network


def latest(windows, count):
    """The last ``count`` windows of a WindowArray (or array) and their index slice."""
    if count is None or len(windows) <= count:
        return windows, slice(None)
    part = slice(len(windows) - count, None)
    if hasattr(windows, "positions"):
        from engine.data import WindowArray
        return WindowArray(windows.windows, windows.positions[part]), part
    return windows[part], part


def fit_network(prepared, architecture, settings, task=None, max_windows=None,
                max_selection=None, preview_every=None):
    """Build and train a network on ``prepared`` (:class:`~engine.data.PreparedData`).

    settings : TrainingSettings fields (dict); without selection windows the training
        holds out its last ``selection_fraction`` (TrainingSettings) for early stopping
    task : :class:`~engine.tasks.TaskState` of the training (epochs, cancel); a cancelled
        training returns its best weights with ``network.cancelled_`` True
    max_windows, max_selection : use only the latest training / selection windows
    preview_every : also send a :class:`~engine.training.preview.SelectionPreview` through
        ``task.preview`` after epoch 1 and every this many epochs (None: never)
    Returns ``(network, seconds)``; the network keeps the weights of its best epoch. With a
    linear path (``architecture["linear_path"]``) over the windows' ``L`` steps, the
    training starts from the least-squares linear autoregression on the training windows.
    """
    if len(prepared.Y_train) == 0:
        raise EngineError("There are no training windows; use a shorter lookback or give "
                          "training a larger share.")
    X, part = latest(prepared.X_train, max_windows)
    Y = prepared.Y_train[part]
    X_sel = Y_sel = None
    if len(prepared.Y_sel):
        X_sel, part = latest(prepared.X_sel, max_selection)
        Y_sel = prepared.Y_sel[part]
    network = make_network(architecture, prepared.n_inputs, prepared.n_outputs,
                           lookback=prepared.X_train.shape[1])
    task = as_task(task)
    if preview_every:
        task = previewing(task, network, prepared, preview_every)
    started = time.perf_counter()
    # a diverging training overflows to inf and NaN: the training finds them and says so
    # in its stop reason, so NumPy's warnings about them would only repeat it in 30 lines
    with np.errstate(over="ignore", invalid="ignore"):
        network.fit(X, Y, X_sel, Y_sel, task=task, **settings)
    return network, time.perf_counter() - started
