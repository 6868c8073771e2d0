"""Gated recurrent unit layer over whole windows, forward and backward through time.

PyTorch's equations and gate order (r, z, n), for each step t::

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
    z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
    h' = (1 - z) * n + z * h

The weights of the sigmoid gates r and z are halved so that one ``tanh`` call serves both
(see :func:`common.sigmoid_via_tanh`). Because ``r`` multiplies the recurrent part of ``n``
only, the input projections of all steps are computed before the loop and each step after
the first makes one product with ``[h; 1]`` (the first, from ``h = 0``, needs none).
"""

import numpy as np

from engine.network.cells.common import (factor_block, input_gradient, sigmoid_via_tanh,
                                         weight_gradient)


def _with_ones(X, workspace, name):
    """``X`` (T, I, B) -> (T, I+1, B) with a row of ones under every step's inputs."""
    T, I, B = X.shape
    Xa = workspace.get(name, (T, I + 1, B), X.dtype)
    Xa[:, :I] = X
    Xa[:, I] = 1.0
    return Xa


class GRULayer:
    gates = 3

    def forward(self, X, weights, workspace, training=False):
        """``X`` (T, I, B) -> hidden states (T, H, B) and the cache for :meth:`backward`.

        ``weights`` are PyTorch's ``(weight_ih, weight_hh, bias_ih, bias_hh)``. With
        ``P[t] = W_ih x_t + b`` (b_ih, plus b_hh on r and z) and
        ``R[t] = W_hh h + [0, 0, b_hn]`` (3H, B), per step::

            [r, z] = sigmoid(P[t, :2H] + R[t, :2H])     n = tanh(P[t, 2H:] + r * R[t, 2H:])
            h' = n + z (h - n)

        At the first step ``h = 0``, so ``R[0]`` is ``[0, 0, b_hn]`` without a product (on
        windows read whole in one step about a quarter of the forward pass's multiply-adds). The
        steps run in blocks (:func:`common.factor_block`); ``R`` and the gates
        ``A[t] = [r, z, n]`` are kept for one block only. When ``training``, the backward
        factors of a block (:meth:`_factors`) are computed as soon as it is done, while its
        values are in the cache.
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
        block = factor_block(T, 5 * H * B * dtype.itemsize)
        R = workspace.get("recurrent", (block, 3 * H, B), dtype)
        A = workspace.get("state", (block, 3, H, B), dtype)
        D = None
        if training:
            D = workspace.get("deltas", (T, 5, H, B), dtype)
            one_minus_z = workspace.get("one_minus_z", (block, H, B), dtype)
            factor_scratch = workspace.get("scratch", (block, H, B), dtype)
        rz = A[:, :2].reshape(block, 2 * H, B)
        ring = workspace.views("block_steps", lambda: [
            (R[j], R[j, :2 * H], R[j, 2 * H:], rz[j], A[j, 0], A[j, 1], A[j, 2])
            for j in range(block)], R, A)
        inputs = workspace.views("step_inputs", lambda: [
            (Hs[t], Hs[t, :H], P[t, :2 * H], P[t, 2 * H:], Hs[t + 1, :H]) for t in range(T)],
            Hs, P)
        scratch = workspace.get("step_scratch", (H, B), dtype)
        for start in range(0, T, block):
            n_steps = min(block, T - start)
            for (R_t, R_rz, R_n, rz_t, r, z, n), (h_and_one, h, P_rz, P_n, h_next) in zip(
                    ring[:n_steps], inputs[start:start + n_steps]):
                if h_and_one is inputs[0][0]:     # h = 0: the product is the last column
                    R_t[...] = W_hh[:, H:]
                else:
                    np.matmul(W_hh, h_and_one, out=R_t)
                np.add(P_rz, R_rz, out=rz_t)
                np.tanh(rz_t, out=rz_t)
                sigmoid_via_tanh(rz_t)
                np.multiply(r, R_n, out=n)
                n += P_n
                np.tanh(n, out=n)
                np.subtract(h, n, out=scratch)
                scratch *= z
                np.add(n, scratch, out=h_next)
            if training:
                steps = slice(start, start + n_steps)
                self._factors(Hs[steps, :H], R[:n_steps, 2 * H:], A[:n_steps], D[steps],
                              one_minus_z[:n_steps], factor_scratch[:n_steps])
        cache = (Xa, Hs, D, weight_ih, weight_hh, workspace)
        return Hs[1:, :H], cache

    @staticmethod
    def _factors(h_prev, R_n, A, F, one_minus_z, scratch):
        """The factors of the backward pass that do not depend on dh, for a block of
        ``n`` steps: ``h_prev`` (n, H, B), ``R_n = W_hn h_prev + b_hn`` (n, H, B) and the
        gates ``A`` (n, 3, H, B) -> ``F`` (n, 5, H, B), the same steps of the deltas array
        (the backward pass multiplies them in place)::

            F[t] = [F_n, F_n R_n r (1 - r), (h_prev - n) z (1 - z), F_n r, z]

        with ``F_n = (1 - z)(1 - n^2)``; ``one_minus_z`` and ``scratch`` (n, H, B) are work
        arrays.
        """
        r, z, n = A[:, 0], A[:, 1], A[:, 2]
        np.subtract(1.0, z, out=one_minus_z)
        np.multiply(n, n, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
        np.multiply(one_minus_z, scratch, out=F[:, 0])                 # F_n
        np.subtract(h_prev, n, out=scratch)
        scratch *= z
        np.multiply(scratch, one_minus_z, out=F[:, 2])
        np.multiply(F[:, 0], r, out=F[:, 3])
        np.subtract(1.0, r, out=scratch)
        scratch *= R_n
        np.multiply(scratch, F[:, 3], out=F[:, 1])
        F[:, 4] = z

    def backward(self, cache, grads, dh_last=None, dH=None, need_input_gradient=False,
                 blas_threads=1):
        """Backpropagation through time; see :meth:`LSTMLayer.backward` for the contract.

        Per step going backwards, ``D[t] *= dh`` turns the factors ``F[t]`` (5, H, B) the
        forward pass left there (:meth:`_factors`) into
        ``[dn_pre, dr_pre, dz_pre, dR_n, dh z]``: the gradients of the input projections
        ``dP = D[t, :3]`` (gate order n, r, z) and of the recurrent products
        ``dR = D[t, 1:4]`` (order r, z, n); then ``dh_prev = W_hh.T @ dR + dh z``.
        """
        Xa, Hs, D, weight_ih, weight_hh, workspace = cache
        T, _, H, B = D.shape
        I = Xa.shape[1] - 1
        dP = D[:, :3].reshape(T, 3 * H, B)
        dR = D[:, 1:4].reshape(T, 3 * H, B)
        weight_hh_T = np.ascontiguousarray(weight_hh.T)
        dh = workspace.get("dh", (H, B), D.dtype)
        dh[...] = dh_last if dH is None else dH[T - 1]
        steps = workspace.views("backward_steps", lambda: [
            (D[t], dR[t], D[t, 4]) for t in range(T)], D)
        for t in range(T - 1, -1, -1):
            d, dR_t, dh_z = steps[t]
            np.multiply(d, dh, out=d)
            if t:
                np.matmul(weight_hh_T, dR_t, out=dh)
                dh += dh_z
                if dH is not None:
                    dh += dH[t - 1]
        rows_first = blas_threads == 1
        dW_hh = weight_gradient(dR, Hs[:T], workspace, "recurrent_gradient", blas_threads,
                                rows_first)
        grads["weight_hh"][...] = dW_hh[:, :H]
        grads["bias_hh"][...] = dW_hh[:, H]
        order = self._input_order(H)
        dW_ih = weight_gradient(dP, Xa, workspace, "input_gradient", blas_threads,
                                rows_first)
        grads["weight_ih"][order] = dW_ih[:, :I]
        grads["bias_ih"][order] = dW_ih[:, I]
        if not need_input_gradient:
            return None
        return input_gradient(dP, np.ascontiguousarray(weight_ih[order].T), workspace)

    @staticmethod
    def _input_order(H):
        """Row j of ``dP`` is PyTorch row order[j]: blocks (n, r, z) from (r, z, n)."""
        return np.concatenate([np.arange(2 * H, 3 * H), np.arange(0, 2 * H)])
