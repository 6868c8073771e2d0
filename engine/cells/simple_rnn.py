"""Simple (Elman) recurrent layer over whole windows, forward and backward through time.

PyTorch's ``nn.RNN``: ``h' = act(W_ih x + b_ih + W_hh h + b_hh)`` with act tanh or ReLU.
"""

import numpy as np

from .common import input_gradient, layer_gradients, project_inputs


class SimpleRNNLayer:
    gates = 1

    def __init__(self, activation="tanh"):
        self.activation = activation

    def forward(self, X, weight_ih, weight_hh, bias_ih, bias_hh):
        """``X`` (T, B, I) -> hidden states (T, B, H) and the cache for :meth:`backward`."""
        T, B, _ = X.shape
        H = weight_hh.shape[1]
        Hs = np.empty((T + 1, B, H), dtype=X.dtype)
        Hs[0] = 0.0
        Hs[1:] = project_inputs(X, weight_ih, bias_ih + bias_hh)
        W_hh_T = np.ascontiguousarray(weight_hh.T)
        recurrent = np.empty((B, H), dtype=X.dtype)
        relu = self.activation == "relu"
        for t in range(1, T + 1):
            h = Hs[t]
            if t > 1:
                np.matmul(Hs[t - 1], W_hh_T, out=recurrent)
                h += recurrent
            if relu:
                np.maximum(h, 0.0, out=h)
            else:
                np.tanh(h, out=h)
        cache = (X, Hs, weight_ih, weight_hh)
        return Hs[1:], cache

    def backward(self, cache, dH, grads, need_input_gradient):
        """Backpropagation through time; see :meth:`LSTMLayer.backward` for the contract.

        ``dz = dh * act'(z)`` with act' = 1 - h^2 (tanh) or [h > 0] (ReLU);
        ``dh_prev = dz @ W_hh``.
        """
        X, Hs, weight_ih, weight_hh = cache
        T = Hs.shape[0] - 1
        states = Hs[1:]
        if self.activation == "relu":
            derivative = (states > 0).astype(X.dtype)
        else:
            derivative = 1.0 - states * states
        dZ = np.empty_like(states)
        dh = np.zeros_like(states[0])
        for t in range(T - 1, -1, -1):
            dh += dH[t]
            np.multiply(dh, derivative[t], out=dZ[t])
            if t:
                np.matmul(dZ[t], weight_hh, out=dh)
        layer_gradients(X, Hs[:-1], dZ, dZ, grads)
        return input_gradient(dZ, weight_ih) if need_input_gradient else None
