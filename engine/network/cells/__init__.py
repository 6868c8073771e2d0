"""Recurrent layers: forward over a whole window and backward through time.

Every layer works on step-major, feature-major arrays ``(T, features, B)`` and offers
``forward(X, weights, workspace, training=False) -> (H, cache)`` with ``weights``
PyTorch's ``(weight_ih, weight_hh, bias_ih, bias_hh)``, and
``backward(cache, grads, dh_last=None, dH=None, need_input_gradient=False,
blas_threads=1) -> dX or None`` (only after a forward pass with ``training=True``;
``blas_threads`` is how many threads the BLAS library may use, which decides how some
products are laid out).
A :class:`Workspace` holds a layer's work arrays from one batch to the next.
"""

from engine.network.cells.common import Workspace  # noqa: F401 - part of the package's interface
from engine.network.cells.gru import GRULayer
from engine.network.cells.lstm import LSTMLayer
from engine.network.cells.simple_rnn import SimpleRNNLayer


def make_layer(cell, activation="tanh"):
    """The layer object for a cell name: ``"rnn"``, ``"gru"`` or ``"lstm"``."""
    if cell == "rnn":
        return SimpleRNNLayer(activation)
    return {"gru": GRULayer, "lstm": LSTMLayer}[cell]()
