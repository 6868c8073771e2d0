"""Recurrent layers: forward over a whole window and backward through time.

Every layer works on time-major arrays ``(T, B, features)`` and offers
``forward(X, weight_ih, weight_hh, bias_ih, bias_hh) -> (H, cache)`` and
``backward(cache, dH, grads, need_input_gradient) -> dX or None``.
"""

from .gru import GRULayer
from .lstm import LSTMLayer
from .simple_rnn import SimpleRNNLayer


def make_layer(cell, activation="tanh"):
    """The layer object for a cell name: ``"rnn"``, ``"gru"`` or ``"lstm"``."""
    if cell == "rnn":
        return SimpleRNNLayer(activation)
    return {"gru": GRULayer, "lstm": LSTMLayer}[cell]()
