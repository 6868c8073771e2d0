"""Gated recurrent unit layer over whole windows, forward and backward through time.

PyTorch's equations and gate order (r, z, n), for each step t::

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
    z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
    h' = (1 - z) * n + z * h

The weights of the sigmoid gates r and z are halved so that one ``tanh`` call serves both
(see :func:`common.sigmoid_via_tanh`). Because ``r`` multiplies the recurrent part of ``n``
only, the input projections of all steps are computed before the loop and each step makes
one product with ``[h; 1]``.
"""

import numpy as np

from .common import input_gradient, sigmoid_via_tanh, weight_gradient


def _with_ones(X, workspace, name):
    """``X`` (T, I, B) -> (T, I+1, B) with a row of ones under every step's inputs."""
    T, I, B = X.shape
    Xa = workspace.get(name, (T, I + 1, B), X.dtype)
    Xa[:, :I] = X
    Xa[:, I] = 1.0
    return Xa


class GRULayer:
    gates = 3

    def forward(self, X, weights, workspace):
        """``X`` (T, I, B) -> hidden states (T, H, B) and the cache for :meth:`backward`.

        ``weights`` are PyTorch's ``(weight_ih, weight_hh, bias_ih, bias_hh)``. With
        ``P[t] = W_ih x_t + b`` (b_ih, plus b_hh on r and z) and
        ``R[t] = W_hh h + [0, 0, b_hn]`` (3H, B), per step::

            [r, z] = sigmoid(P[t, :2H] + R[t, :2H])     n = tanh(P[t, 2H:] + r * R[t, 2H:])
            h' = n + z (h - n)
        """
        weight_ih, weight_hh, bias_ih, bias_hh = weights
        T, I, B = X.shape
        H = weight_hh.shape[1]
        dtype = X.dtype
        W_ih = workspace.get("input_matrix", (3 * H, I + 1), dtype)
        W_ih[:, :I] = weight_ih
        W_ih[:, I] = bias_ih
        W_ih[:2 * H, I] += bias_hh[:2 * H]
        W_hh = workspace.get("recurrent_matrix", (3 * H, H + 1), dtype)
        W_hh[:, :H] = weight_hh
        W_hh[:2 * H, H] = 0.0
        W_hh[2 * H:, H] = bias_hh[2 * H:]
        W_ih[:2 * H] *= 0.5
        W_hh[:2 * H] *= 0.5
        Xa = _with_ones(X, workspace, "inputs")
        P = workspace.get("input_projection", (T, 3 * H, B), dtype)
        np.matmul(W_ih, Xa, out=P)
        Hs = workspace.get("hidden", (T + 1, H + 1, B), dtype)
        Hs[0, :H] = 0.0
        Hs[:, H] = 1.0
        R = workspace.get("recurrent", (T, 3 * H, B), dtype)
        A = workspace.get("state", (T, 3, H, B), dtype)
        rz = A[:, :2].reshape(T, 2 * H, B)
        scratch = workspace.get("step_scratch", (H, B), dtype)
        for t in range(T):
            np.matmul(W_hh, Hs[t], out=R[t])
            np.add(P[t, :2 * H], R[t, :2 * H], out=rz[t])
            np.tanh(rz[t], out=rz[t])
            sigmoid_via_tanh(rz[t])
            n = A[t, 2]
            np.multiply(A[t, 0], R[t, 2 * H:], out=n)
            n += P[t, 2 * H:]
            np.tanh(n, out=n)
            np.subtract(Hs[t, :H], n, out=scratch)
            scratch *= A[t, 1]
            np.add(n, scratch, out=Hs[t + 1, :H])
        cache = (Xa, Hs, R, A, weight_ih, weight_hh, workspace)
        return Hs[1:, :H], cache

    @staticmethod
    def _factors(Hs, R, A, workspace):
        """The factors of the backward pass that do not depend on dh, for all steps.

        ``F[t]`` (5, H, B) = ``[F_n, F_n R_n r (1 - r), (h_prev - n) z (1 - z), F_n r, z]``
        with ``F_n = (1 - z)(1 - n^2)`` and ``R_n = W_hn h_prev + b_hn``.
        """
        T, _, H, B = A.shape
        dtype = A.dtype
        F = workspace.get("factors", (T, 5, H, B), dtype)
        one_minus_z = workspace.get("one_minus_z", (T, H, B), dtype)
        scratch = workspace.get("scratch", (T, H, B), dtype)
        r, z, n = A[:, 0], A[:, 1], A[:, 2]
        np.subtract(1.0, z, out=one_minus_z)
        np.multiply(n, n, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
        np.multiply(one_minus_z, scratch, out=F[:, 0])                 # F_n
        np.subtract(Hs[:T, :H], n, out=scratch)
        scratch *= z
        np.multiply(scratch, one_minus_z, out=F[:, 2])
        np.multiply(F[:, 0], r, out=F[:, 3])
        np.subtract(1.0, r, out=scratch)
        scratch *= R[:, 2 * H:]
        np.multiply(scratch, F[:, 3], out=F[:, 1])
        F[:, 4] = z
        return F

    def backward(self, cache, grads, dh_last=None, dH=None, need_input_gradient=False):
        """Backpropagation through time; see :meth:`LSTMLayer.backward` for the contract.

        Per step going backwards, ``D[t] = dh * F[t]`` (5, H, B) holds
        ``[dn_pre, dr_pre, dz_pre, dR_n, dh z]``: the gradients of the input projections
        ``dP = D[t, :3]`` (gate order n, r, z) and of the recurrent products
        ``dR = D[t, 1:4]`` (order r, z, n); then ``dh_prev = W_hh.T @ dR + dh z``.
        """
        Xa, Hs, R, A, weight_ih, weight_hh, workspace = cache
        T, _, H, B = A.shape
        I = Xa.shape[1] - 1
        F = self._factors(Hs, R, A, workspace)
        D = workspace.get("deltas", (T, 5, H, B), A.dtype)
        dP = D[:, :3].reshape(T, 3 * H, B)
        dR = D[:, 1:4].reshape(T, 3 * H, B)
        weight_hh_T = np.ascontiguousarray(weight_hh.T)
        dh = workspace.get("dh", (H, B), A.dtype)
        dh[...] = dh_last if dH is None else dH[T - 1]
        for t in range(T - 1, -1, -1):
            np.multiply(dh, F[t], out=D[t])
            if t:
                np.matmul(weight_hh_T, dR[t], out=dh)
                dh += D[t, 4]
                if dH is not None:
                    dh += dH[t - 1]
        dW_hh = weight_gradient(dR, Hs[:T], workspace, "recurrent_gradient")
        grads["weight_hh"][...] = dW_hh[:, :H]
        grads["bias_hh"][...] = dW_hh[:, H]
        order = self._input_order(H)
        dW_ih = weight_gradient(dP, Xa, workspace, "input_gradient")
        grads["weight_ih"][order] = dW_ih[:, :I]
        grads["bias_ih"][order] = dW_ih[:, I]
        if not need_input_gradient:
            return None
        return input_gradient(dP, np.ascontiguousarray(weight_ih[order].T))

    @staticmethod
    def _input_order(H):
        """Row j of ``dP`` is PyTorch row order[j]: blocks (n, r, z) from (r, z, n)."""
        return np.concatenate([np.arange(2 * H, 3 * H), np.arange(0, 2 * H)])
