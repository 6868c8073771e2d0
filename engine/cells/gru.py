"""Gated recurrent unit layer over whole windows, forward and backward through time.

PyTorch's equations and gate order (r, z, n), for each step t::

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
    z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
    h' = (1 - z) * n + z * h

The weights of the sigmoid gates r and z are halved so that one ``tanh`` call serves both
(see :func:`common.sigmoid_via_tanh`).
"""

import numpy as np

from .common import input_gradient, layer_gradients, project_inputs, sigmoid_via_tanh


class GRULayer:
    gates = 3

    def forward(self, X, weight_ih, weight_hh, bias_ih, bias_hh):
        """``X`` (T, B, I) -> hidden states (T, B, H) and the cache for :meth:`backward`."""
        T, B, _ = X.shape
        H = weight_hh.shape[1]
        scale = np.ones((3 * H, 1), dtype=X.dtype)
        scale[:2 * H] = 0.5
        bias = bias_ih.copy()
        bias[:2 * H] += bias_hh[:2 * H]
        Xp = project_inputs(X, weight_ih * scale, bias * scale[:, 0])
        W_hh_T = np.ascontiguousarray((weight_hh * scale).T)
        b_hn = bias_hh[2 * H:]
        Hs = np.empty((T + 1, B, H), dtype=X.dtype)
        Hs[0] = 0.0
        Hp = np.empty((T, B, 3 * H), dtype=X.dtype)   # h @ W_hh.T (+ b_hn on the n block)
        scratch = np.empty((B, H), dtype=X.dtype)
        for t in range(T):
            hp = Hp[t]
            if t:
                np.matmul(Hs[t], W_hh_T, out=hp)
            else:
                hp[...] = 0.0
            hp[:, 2 * H:] += b_hn
            x = Xp[t]
            rz = x[:, :2 * H]
            rz += hp[:, :2 * H]
            np.tanh(rz, out=rz)
            sigmoid_via_tanh(rz)
            r, z, n = x[:, :H], x[:, H:2 * H], x[:, 2 * H:]
            np.multiply(r, hp[:, 2 * H:], out=scratch)
            n += scratch
            np.tanh(n, out=n)
            np.subtract(Hs[t], n, out=scratch)
            scratch *= z
            np.add(n, scratch, out=Hs[t + 1])
        cache = (X, Xp, Hp, Hs, weight_ih, weight_hh)
        return Hs[1:], cache

    def backward(self, cache, dH, grads, need_input_gradient):
        """Backpropagation through time; see :meth:`LSTMLayer.backward` for the contract.

        Per step going backwards, with the activated gates::

            dz_pre = dh * (h_prev - n) * z (1 - z)       dn_pre = dh * (1 - z) (1 - n^2)
            dr_pre = dn_pre * (W_hn h_prev + b_hn) * r (1 - r)
            d(recurrent projection) = [dr_pre, dz_pre, dn_pre * r]
            dh_prev = dh * z + d(recurrent projection) @ W_hh
        """
        X, Xp, Hp, Hs, weight_ih, weight_hh = cache
        T, B, H = Hs.shape[0] - 1, Hs.shape[1], Hs.shape[2]
        r, z, n = Xp[..., :H], Xp[..., H:2 * H], Xp[..., 2 * H:]
        dh_factors = np.empty((T, B, 2, H), dtype=X.dtype)
        np.multiply((Hs[:-1] - n) * z, 1.0 - z, out=dh_factors[:, :, 0])
        np.multiply(1.0 - z, 1.0 - n * n, out=dh_factors[:, :, 1])
        dn_factor_r = Hp[..., 2 * H:] * r * (1.0 - r)
        reset = np.ascontiguousarray(r)
        update = np.ascontiguousarray(z)
        dXp = np.empty((T, B, 3 * H), dtype=X.dtype)
        dXp3 = dXp.reshape(T, B, 3, H)
        dHp = np.empty((T, B, 3 * H), dtype=X.dtype)
        dh = np.zeros((B, H), dtype=X.dtype)
        scratch = np.empty((B, H), dtype=X.dtype)
        for t in range(T - 1, -1, -1):
            dh += dH[t]
            np.multiply(dh[:, None, :], dh_factors[t], out=dXp3[t, :, 1:])
            dn_pre = dXp3[t, :, 2]
            np.multiply(dn_pre, dn_factor_r[t], out=dXp3[t, :, 0])
            dHp[t, :, :2 * H] = dXp[t, :, :2 * H]
            np.multiply(dn_pre, reset[t], out=dHp[t, :, 2 * H:])
            if t:
                np.matmul(dHp[t], weight_hh, out=scratch)
                dh *= update[t]
                dh += scratch
        layer_gradients(X, Hs[:-1], dXp, dHp, grads)
        return input_gradient(dXp, weight_ih) if need_input_gradient else None
