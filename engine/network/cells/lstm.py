"""Long short-term memory layer over whole windows, forward and backward through time.

PyTorch's equations and gate order (i, f, g, o), for each step t::

    i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x + b_if + W_hf h + b_hf)
    g = tanh(W_ig x + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
    c' = f * c + i * g                              h' = o * tanh(c')

Internally the gate rows are reordered to (o, f, i, g): the three sigmoid gates form one
block, whose weights are halved so that a single ``tanh`` call per step serves all four
gates (see :func:`common.sigmoid_via_tanh`). Each step's state ``A[t]`` (5, H, B) holds
``[c_(t-1), o, f, i, g]``.
"""

import numpy as np

from engine.network.cells.common import (factor_block, input_gradient, scatter_gradients,
                                         sigmoid_via_tanh, step_inputs, step_matrix,
                                         weight_gradient, weight_gradient_by_blocks)


class LSTMLayer:
    gates = 4

    @staticmethod
    def _order(H):
        """Internal row j holds PyTorch row order[j]: blocks (o, f, i, g) from (i, f, g, o)."""
        return np.concatenate([np.arange(3 * H, 4 * H), np.arange(H, 2 * H),
                               np.arange(0, H), np.arange(2 * H, 3 * H)])

    def forward(self, X, weights, workspace, training=False):
        """``X`` (T, I, B) -> hidden states (T, H, B) and the cache for :meth:`backward`.

        ``weights`` are PyTorch's ``(weight_ih, weight_hh, bias_ih, bias_hh)``. Per step::

            A[t, 1:] = tanh(W S[t])  then sigmoid on (o, f, i)    # W = [W_hh, W_ih, b]
            c_t = f c_(t-1) + i g       h_t = o tanh(c_t)

        The steps run in blocks (:func:`common.factor_block`); ``A`` and ``tanh(c)`` are
        kept for one block only. When ``training``, the backward factors of a block
        (:meth:`_factors`) are computed as soon as it is done, while its values are in the
        cache; the backward pass needs nothing else of the forward pass but ``S``.
        """
        weight_ih, weight_hh, bias_ih, bias_hh = weights
        T, _, B = X.shape
        H = weight_hh.shape[1]
        dtype = X.dtype
        order = self._order(H)
        W = step_matrix(weight_hh, weight_ih, bias_ih + bias_hh, workspace, order, 3 * H)
        S = step_inputs(X, H, workspace)
        block = factor_block(T, 6 * H * B * dtype.itemsize)
        A = workspace.get("state", (block + 1, 5, H, B), dtype)
        tanh_c = workspace.get("tanh_c", (block, H, B), dtype)
        product_i_g = workspace.get("product_i_g", (H, B), dtype)
        D = None
        if training:
            D = workspace.get("deltas", (T + 1, 6, H, B), dtype)
            slopes = workspace.get("sigmoid_slopes", (block, 3, H, B), dtype)
            scratch = workspace.get("scratch", (block, H, B), dtype)
        gates = A[:, 1:].reshape(block + 1, 4 * H, B)
        ring = workspace.views("block_steps", lambda: [
            (gates[j], A[j, 1:4], A[j, 0], A[j, 1], A[j, 2], A[j, 3], A[j, 4], A[j + 1, 0],
             tanh_c[j]) for j in range(block)], A, tanh_c)
        inputs = workspace.views("step_inputs", lambda: [
            (S[t], S[t + 1, :H]) for t in range(T)], S)
        A[0, 0] = 0.0
        for start in range(0, T, block):
            n = min(block, T - start)
            # (f and i times c_prev and g as one product of two strided (2, H, B) views
            # took longer than two products of contiguous ones)
            for (z, sigmoid_gates, c_prev, o, f, i, g, c, tc), (s, h) in zip(
                    ring[:n], inputs[start:start + n]):
                np.matmul(W, s, out=z)
                np.tanh(z, out=z)
                sigmoid_via_tanh(sigmoid_gates)
                np.multiply(f, c_prev, out=c)
                np.multiply(i, g, out=product_i_g)
                c += product_i_g
                np.tanh(c, out=tc)
                np.multiply(o, tc, out=h)
            if training:
                self._factors(A[:n], tanh_c[:n], D[start:start + n], slopes[:n], scratch[:n])
            A[0, 0] = A[n, 0]                 # c of the block's last step starts the next
        cache = (X.shape, S, D, weight_ih[order], weight_hh[order], order, workspace)
        return S[1:, :H], cache

    @staticmethod
    def _factors(state, tanh_c, F, sigmoid_slopes, scratch):
        """The factors of the backward pass that do not depend on dh or dc, for a block of
        ``n`` steps: ``state`` (n, 5, H, B) and ``tanh_c`` (n, H, B) -> ``F``
        (n, 6, H, B), the same steps of the deltas array (the backward pass multiplies
        them in place). ``sigmoid_slopes`` (n, 3, H, B) and ``scratch`` (n, H, B) are work
        arrays.

        ``F[t]`` = ``[o (1 - tanh(c)^2), tanh(c) o (1 - o), c_prev f (1 - f),
        g i (1 - i), i (1 - g^2), f]``: step t of the backward pass is then
        ``dh * F[t, :2]`` and ``dc * F[t, 2:]``.
        """
        o, f, i, g = state[:, 1], state[:, 2], state[:, 3], state[:, 4]
        np.subtract(1.0, state[:, 1:4], out=sigmoid_slopes)
        sigmoid_slopes *= state[:, 1:4]                       # o(1-o), f(1-f), i(1-i)
        np.multiply(tanh_c, tanh_c, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
        np.multiply(o, scratch, out=F[:, 0])
        np.multiply(tanh_c, sigmoid_slopes[:, 0], out=F[:, 1])
        np.multiply(sigmoid_slopes[:, 1:], state[:, 0::4], out=F[:, 2:4])
        np.multiply(g, g, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
        np.multiply(i, scratch, out=F[:, 4])
        F[:, 5] = f

    def backward(self, cache, grads, dh_last=None, dH=None, need_input_gradient=False,
                 blas_threads=1):
        """Backpropagation through time.

        The gradient from outside the layer is either ``dh_last`` (H, B), on the last
        hidden state only (the head's), or ``dH`` (T, H, B) on every hidden state (the
        layer above). Writes the parameter gradients into ``grads`` (keys ``weight_ih``,
        ``weight_hh``, ``bias_ih``, ``bias_hh``) and returns the gradient with respect to
        ``X`` (T, I, B), or None.

        Per step going backwards, with ``D[t]`` (6, H, B) holding the factors ``F[t]``
        (see :meth:`_factors`, computed by the forward pass) on entry and ``D[T, 5] = 0``::

            D[t, :2] *= dh                        -> [dh o (1 - tanh(c)^2), dz_o]
            dc = D[t, 0] + D[t+1, 5]              (D[t+1, 5] = dc_(t+1) f_(t+1))
            D[t, 2:] *= dc                        -> [dz_f, dz_i, dz_g, dc f]
            dh_prev = W_hh.T @ dz                 (dz = D[t, 1:5], gate order o, f, i, g)

        The weight gradients are summed after the loop: by
        :func:`common.weight_gradient_by_blocks` on one BLAS thread (also each half batch of
        the two-process training), by :func:`common.weight_gradient` on more.
        """
        X_shape, S, D, weight_ih, weight_hh, order, workspace = cache
        T, I, B = X_shape
        H = D.shape[2]
        dtype = D.dtype
        D[T, 5] = 0.0
        dZ = D[:, 1:5].reshape(T + 1, 4 * H, B)
        weight_hh_T = np.ascontiguousarray(weight_hh.T)
        dh = workspace.get("dh", (H, B), dtype)
        dh[...] = dh_last if dH is None else dH[T - 1]
        steps = workspace.views("backward_steps", lambda: [
            (D[t, :2], D[t, 0], D[t + 1, 5], D[t, 2:], dZ[t]) for t in range(T)], D)
        for t in range(T - 1, -1, -1):
            d_h, dc, dc_next_f, d_c, dz = steps[t]
            np.multiply(d_h, dh, out=d_h)
            np.add(dc, dc_next_f, out=dc)
            np.multiply(d_c, dc, out=d_c)
            if t:
                np.matmul(weight_hh_T, dz, out=dh)
                if dH is not None:
                    dh += dH[t - 1]
        if blas_threads == 1:
            dW = weight_gradient_by_blocks(dZ[:T], S[:T], workspace)
        else:
            dW = weight_gradient(dZ[:T], S[:T], workspace, blas_threads=blas_threads)
        scatter_gradients(dW, grads, H, I, order)
        if not need_input_gradient:
            return None
        return input_gradient(dZ[:T], np.ascontiguousarray(weight_ih.T), workspace)
