"""Long short-term memory layer over whole windows, forward and backward through time.

PyTorch's equations and gate order (i, f, g, o), for each step t::

    i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x + b_if + W_hf h + b_hf)
    g = tanh(W_ig x + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
    c' = f * c + i * g                              h' = o * tanh(c')

Internally the gate rows are reordered to (o, i, f, g): the three sigmoid gates then form one
block for the forward pass, and the three gates driven by the cell state (i, f, g) one block
for the backward pass. The sigmoid gates' weights are halved so that a single ``tanh`` call
per step serves all four gates (see :func:`common.sigmoid_via_tanh`).
"""

import numpy as np

from .common import input_gradient, layer_gradients, project_inputs, sigmoid_via_tanh


class LSTMLayer:
    gates = 4

    @staticmethod
    def _order(H):
        """Internal row j holds PyTorch row order[j]: blocks (o, i, f, g) from (i, f, g, o)."""
        return np.concatenate([np.arange(3 * H, 4 * H), np.arange(0, 3 * H)])

    def forward(self, X, weight_ih, weight_hh, bias_ih, bias_hh):
        """``X`` (T, B, I) -> hidden states (T, B, H) and the cache for :meth:`backward`."""
        T, B, _ = X.shape
        H = weight_hh.shape[1]
        order = self._order(H)
        scale = np.ones((4 * H, 1), dtype=X.dtype)
        scale[:3 * H] = 0.5
        W_ih = weight_ih[order]
        W_hh = weight_hh[order]
        Z = project_inputs(X, W_ih * scale, (bias_ih + bias_hh)[order] * scale[:, 0])
        W_hh_T = np.ascontiguousarray((W_hh * scale).T)
        Hs = np.empty((T + 1, B, H), dtype=X.dtype)
        Cs = np.empty((T + 1, B, H), dtype=X.dtype)
        Hs[0] = 0.0
        Cs[0] = 0.0
        tanh_c = np.empty((T, B, H), dtype=X.dtype)
        recurrent = np.empty((B, 4 * H), dtype=X.dtype)
        ig = np.empty((B, H), dtype=X.dtype)
        for t in range(T):
            z = Z[t]
            if t:
                np.matmul(Hs[t], W_hh_T, out=recurrent)
                z += recurrent
            np.tanh(z, out=z)
            sigmoid_via_tanh(z[:, :3 * H])
            o, i, f, g = z[:, :H], z[:, H:2 * H], z[:, 2 * H:3 * H], z[:, 3 * H:]
            c = Cs[t + 1]
            np.multiply(f, Cs[t], out=c)
            np.multiply(i, g, out=ig)
            c += ig
            np.tanh(c, out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=Hs[t + 1])
        cache = (X, Z, Hs, Cs, tanh_c, W_ih, W_hh, order)
        return Hs[1:], cache

    def backward(self, cache, dH, grads, need_input_gradient):
        """Backpropagation through time.

        ``dH`` (T, B, H) is the gradient of the loss with respect to every hidden state from
        outside the layer (the layer above, or the head at the last step). Writes the
        parameter gradients into ``grads`` and returns the gradient with respect to ``X``
        (T, B, I), or None.

        With the activated gates, per step going backwards (dc carried from step t+1)::

            dz_o = dh * tanh(c) * o (1 - o)          dc += dh * o * (1 - tanh(c)^2)
            dz_i = dc * g * i (1 - i)   dz_f = dc * c_prev * f (1 - f)   dz_g = dc * i (1 - g^2)
            dc_prev = dc * f                         dh_prev = dz @ W_hh

        The factors that do not depend on dh or dc are computed for all steps before the loop.
        """
        X, Z, Hs, Cs, tanh_c, W_ih, W_hh, order = cache
        T, B, H = tanh_c.shape
        o, i, f, g = Z[..., :H], Z[..., H:2 * H], Z[..., 2 * H:3 * H], Z[..., 3 * H:]
        dh_factor_o = tanh_c * o * (1.0 - o)
        dh_factor_c = o * (1.0 - tanh_c * tanh_c)
        dc_factors = np.empty((T, B, 3, H), dtype=X.dtype)
        np.multiply(g * i, 1.0 - i, out=dc_factors[:, :, 0])
        np.multiply(Cs[:-1] * f, 1.0 - f, out=dc_factors[:, :, 1])
        np.multiply(i, 1.0 - g * g, out=dc_factors[:, :, 2])
        forget = np.ascontiguousarray(f)
        dZ = np.empty((T, B, 4 * H), dtype=X.dtype)
        dZ4 = dZ.reshape(T, B, 4, H)
        dh = np.zeros((B, H), dtype=X.dtype)
        dc = np.zeros((B, H), dtype=X.dtype)
        scratch = np.empty((B, H), dtype=X.dtype)
        for t in range(T - 1, -1, -1):
            dh += dH[t]
            np.multiply(dh, dh_factor_o[t], out=dZ4[t, :, 0])
            np.multiply(dh, dh_factor_c[t], out=scratch)
            dc += scratch
            np.multiply(dc[:, None, :], dc_factors[t], out=dZ4[t, :, 1:])
            if t:
                dc *= forget[t]
                np.matmul(dZ[t], W_hh, out=dh)
        layer_gradients(X, Hs[:-1], dZ, dZ, grads, rows=order)
        return input_gradient(dZ, W_ih) if need_input_gradient else None
