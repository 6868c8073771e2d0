"""Simple (Elman) recurrent layer over whole windows, forward and backward through time.

PyTorch's ``nn.RNN``: ``h' = act(W_ih x + b_ih + W_hh h + b_hh)`` with act tanh or ReLU,
computed per step as ``act(W S[t])`` with ``W = [W_hh, W_ih, b]`` and
``S[t] = [h; x_t; 1]`` (see :func:`common.step_inputs`).
"""

import numpy as np

from engine.network.cells.common import (input_gradient, scatter_gradients, step_inputs,
                                         step_matrix, weight_gradient)


class SimpleRNNLayer:
    gates = 1

    def __init__(self, activation="tanh"):
        self.activation = activation

    def forward(self, X, weights, workspace, training=False):
        """``X`` (T, I, B) -> hidden states (T, H, B) and the cache for :meth:`backward`
        (the same whether ``training`` or not)."""
        weight_ih, weight_hh, bias_ih, bias_hh = weights
        T = X.shape[0]
        H = weight_hh.shape[1]
        W = step_matrix(weight_hh, weight_ih, bias_ih + bias_hh, workspace)
        S = step_inputs(X, H, workspace)
        relu = self.activation == "relu"
        for t in range(T):
            h = S[t + 1, :H]
            np.matmul(W, S[t], out=h)
            if relu:
                np.maximum(h, 0.0, out=h)
            else:
                np.tanh(h, out=h)
        cache = (X.shape, S, weight_ih, weight_hh, workspace)
        return S[1:, :H], cache

    def backward(self, cache, grads, dh_last=None, dH=None, need_input_gradient=False,
                 blas_threads=1):
        """Backpropagation through time; see :meth:`LSTMLayer.backward` for the contract.

        ``dz = dh * act'(z)`` with act' = 1 - h^2 (tanh) or [h > 0] (ReLU), the slopes of
        all steps computed before the loop; ``dh_prev = W_hh.T @ dz``.
        """
        X_shape, S, weight_ih, weight_hh, workspace = cache
        T, I, B = X_shape
        H = weight_hh.shape[1]
        dtype = S.dtype
        states = S[1:, :H]
        slopes = workspace.get("slopes", (T, H, B), dtype)
        if self.activation == "relu":
            np.greater(states, 0.0, out=slopes)
        else:
            np.multiply(states, states, out=slopes)
            np.subtract(1.0, slopes, out=slopes)
        dZ = workspace.get("deltas", (T, H, B), dtype)
        weight_hh_T = np.ascontiguousarray(weight_hh.T)
        dh = workspace.get("dh", (H, B), dtype)
        dh[...] = dh_last if dH is None else dH[T - 1]
        for t in range(T - 1, -1, -1):
            np.multiply(dh, slopes[t], out=dZ[t])
            if t:
                np.matmul(weight_hh_T, dZ[t], out=dh)
                if dH is not None:
                    dh += dH[t - 1]
        dW = weight_gradient(dZ, S[:T], workspace, blas_threads=blas_threads)
        scatter_gradients(dW, grads, H, I)
        if not need_input_gradient:
            return None
        return input_gradient(dZ, np.ascontiguousarray(weight_ih.T), workspace)
