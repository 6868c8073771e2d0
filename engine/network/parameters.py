"""All weights of a network in one flat vector, with PyTorch-named views into it.

Keeping every parameter in one contiguous array lets optimizers, gradient clipping and
L-BFGS work on a single vector, while the cells read and write named views such as
``rnn.weight_hh_l0`` of shape ``(G*H, H)``. Gradients use a second vector of the same layout.
"""

import math

import numpy as np

GATES = {"rnn": 1, "gru": 3, "lstm": 4}
# The most parameters RNN Studio builds or loads (networks and model files alike): a bound
# that keeps a typo in the units, or a hostile model file, from filling the memory.
MAX_PARAMETERS = 100_000_000


def parameter_shapes(cell, n_inputs, hidden_sizes, n_outputs, lookback=None):
    """Names and shapes of a network's parameters, in PyTorch's order.

    Layer ``k`` of a stack reads ``n_inputs`` (k = 0) or ``hidden_sizes[k-1]`` features and has
    ``G = GATES[cell]`` gates of ``H = hidden_sizes[k]`` units::

        rnn.weight_ih_l{k} (G*H, in)   rnn.weight_hh_l{k} (G*H, H)
        rnn.bias_ih_l{k}   (G*H,)      rnn.bias_hh_l{k}   (G*H,)
        head.weight (n_outputs, H_last)    head.bias (n_outputs,)
        ar.weight (n_outputs, lookback * n_inputs)     only with a linear path (``lookback``)
    """
    gates = GATES[cell]
    shapes = {}
    width = n_inputs
    for k, hidden in enumerate(hidden_sizes):
        shapes[f"rnn.weight_ih_l{k}"] = (gates * hidden, width)
        shapes[f"rnn.weight_hh_l{k}"] = (gates * hidden, hidden)
        shapes[f"rnn.bias_ih_l{k}"] = (gates * hidden,)
        shapes[f"rnn.bias_hh_l{k}"] = (gates * hidden,)
        width = hidden
    shapes["head.weight"] = (n_outputs, width)
    shapes["head.bias"] = (n_outputs,)
    if lookback is not None:
        shapes["ar.weight"] = (n_outputs, lookback * n_inputs)
    return shapes


def parameter_count(shapes):
    """The number of values in arrays of ``shapes`` (a dict of name -> shape), as a Python
    int (no overflow, whatever the sizes)."""
    return sum(math.prod(shape) for shape in shapes.values())


class FlatParameters:
    """A flat vector ``values`` and a dict ``views`` of named, shaped views into it."""

    def __init__(self, shapes, dtype):
        self.shapes = dict(shapes)
        self.size = sum(int(np.prod(s)) for s in self.shapes.values())
        self.values = np.zeros(self.size, dtype=dtype)
        self.views = self.view_dict(self.values)

    def view_dict(self, vector):
        """Named views of ``vector`` (any array of this layout, e.g. a gradient)."""
        views, start = {}, 0
        for name, shape in self.shapes.items():
            stop = start + int(np.prod(shape))
            views[name] = vector[start:stop].reshape(shape)
            start = stop
        return views

    def weight_mask(self):
        """1.0 where an entry is a weight matrix entry, 0.0 for biases (for L1/L2)."""
        mask = np.zeros(self.size, dtype=self.values.dtype)
        for name, view in self.view_dict(mask).items():
            if "weight" in name:
                view[...] = 1.0
        return mask


def initialize_like_pytorch(params, hidden_sizes, rng):
    """Fill ``params`` as PyTorch's ``nn.RNN/GRU/LSTM`` and ``nn.Linear`` do by default.

    Recurrent weights and biases of a layer with H units: U(-1/sqrt(H), 1/sqrt(H)).
    The linear head and the linear path (``ar.weight``) with fan-in F: weight and bias
    U(-1/sqrt(F), 1/sqrt(F)) (Kaiming uniform with a = sqrt(5), as
    ``nn.Linear.reset_parameters``).
    """
    for name, view in params.views.items():
        if name.startswith("rnn."):
            layer = int(name.rsplit("_l", 1)[1])
            bound = 1.0 / np.sqrt(hidden_sizes[layer])
        else:
            fan_in = params.shapes["ar.weight" if name == "ar.weight" else "head.weight"][1]
            bound = 1.0 / np.sqrt(fan_in)
        view[...] = rng.uniform(-bound, bound, size=view.shape)
