"""Pieces every recurrent cell shares: the array layout, reusable work arrays, the step
inputs and the weight gradients.

Layout. The cells work on step-major, feature-major arrays ``(T, features, B)``: the
values of one time step form a contiguous ``(features, B)`` matrix whose gate blocks are
contiguous too, so every element-wise operation of a step runs over one flat stretch of
memory and each step's products are ``W @ s`` with ``s`` of shape ``(K, B)``.
"""

import numpy as np


class Workspace:
    """Named work arrays kept from one batch to the next.

    ``get`` hands back the same array while the shape and dtype stay the same, so a
    training loop allocates its big arrays once; ``views`` keeps the per-step views of
    them that the step loops use (each view costs about as much to make as a small NumPy
    operation). One workspace serves one layer: two layers, or two calls running at the
    same time, never share one. With ``keep=False`` nothing is kept (for calls that may
    run beside a training, and for predictions).
    """

    def __init__(self, keep=True):
        self.keep = keep
        self._arrays = {}
        self._views = {}

    def get(self, name, shape, dtype):
        """An uninitialized array ``name`` of ``shape`` and ``dtype``."""
        array = self._arrays.get(name)
        if array is None or array.shape != shape or array.dtype != dtype:
            array = np.empty(shape, dtype=dtype)
            if self.keep:
                self._arrays[name] = array
        return array

    def views(self, name, build, *arrays):
        """``build()`` (a list of views of ``arrays``), made anew only when one of the
        ``arrays`` is not the same object as at the last call."""
        kept = self._views.get(name)
        if kept is not None and len(kept[0]) == len(arrays) \
                and all(a is b for a, b in zip(kept[0], arrays)):
            return kept[1]
        views = build()
        if self.keep:
            self._views[name] = (arrays, views)
        return views


def step_inputs(X, H, workspace):
    """The stacked input of every step, ``S[t] = [h_(t-1); x_t; 1]``.

    ``X`` (T, I, B) -> ``S`` (T+1, H+I+1, B) with ``S[t, :H]`` the hidden state the step
    starts from (zeros at t = 0; each step writes ``h_t`` into ``S[t+1, :H]``), then the
    inputs and a row of ones that multiplies the bias column of the step matrix.
    ``S[T, H:]`` is not used.
    """
    T, I, B = X.shape
    S = workspace.get("step_inputs", (T + 1, H + I + 1, B), X.dtype)
    S[0, :H] = 0.0
    S[:T, H:H + I] = X
    S[:, H + I] = 1.0
    return S


def step_matrix(weight_hh, weight_ih, bias, workspace, rows=None, scale=None):
    """``[W_hh, W_ih, b]`` (G*H, H+I+1): one product with :func:`step_inputs` gives the
    pre-activations of a step. ``rows`` reorders the gate rows; the first ``scale`` rows
    are halved (sigmoid gates, see :func:`sigmoid_via_tanh`)."""
    GH, H = weight_hh.shape
    I = weight_ih.shape[1]
    W = workspace.get("step_matrix", (GH, H + I + 1), weight_hh.dtype)
    take = slice(None) if rows is None else rows
    W[:, :H] = weight_hh[take]
    W[:, H:H + I] = weight_ih[take]
    W[:, H + I] = bias[take]
    if scale:
        W[:scale] *= 0.5
    return W


WEIGHT_GRADIENT_BUDGET = 1 << 22   # bytes of per-step products summed at a time (1 thread)


def weight_gradient(dZ, S, workspace, name="weight_gradient", blas_threads=1,
                    rows_first=False):
    """``sum_t dZ[t] @ S[t].T``: ``dZ`` (T, G, B), ``S`` (T, K, B) -> (G, K).

    With ``S`` from :func:`step_inputs` the columns are the gradients of ``W_hh``, ``W_ih``
    and the bias. Computed as batched products over the steps and a sum over t. On one
    BLAS thread, the steps go in blocks whose products fit in
    :data:`WEIGHT_GRADIENT_BUDGET`, so that large layers sum them from the cache (split
    between threads, one product over all steps is faster). With ``rows_first``, ``S`` is
    first copied to (T, B, K), so that each product reads both operands along their rows:
    for the narrow ``S`` of a GRU about a fifth faster on one BLAS thread, but OpenBLAS
    does not split that product between threads. (The LSTM uses
    :func:`weight_gradient_by_blocks` on one BLAS thread.)
    """
    T, G, B = dZ.shape
    K = S.shape[1]
    block = T
    if blas_threads == 1:
        block = max(1, min(T, WEIGHT_GRADIENT_BUDGET // (G * K * dZ.itemsize)))
    per_step = workspace.get(name, (block, G, K), dZ.dtype)
    if rows_first:
        inputs = workspace.get(name + "_inputs", (T, B, K), S.dtype)
        np.copyto(inputs, S.transpose(0, 2, 1))
    else:
        inputs = S.transpose(0, 2, 1)
    total = None
    for start in range(0, T, block):
        products = per_step[:min(block, T - start)]
        np.matmul(dZ[start:start + block], inputs[start:start + block], out=products)
        if total is None:
            total = products.sum(axis=0)
        else:
            total += products.sum(axis=0)
    return total


def weight_gradient_by_blocks(dZ, S, workspace, name="weight_gradient"):
    """``sum_t dZ[t] @ S[t].T`` as :func:`weight_gradient`: ``dZ`` (T, G, B), ``S``
    (T, K, B) -> (G, K); faster for the LSTM on one BLAS thread.

    The steps go in blocks of ``n`` that fit in :data:`CACHE_BUDGET`. Each block is copied
    to feature-major work arrays ``(G, n, B)`` and ``(K, n, B)``, whose rows make one
    product ``(G, n*B) @ (n*B, K)``, added to the sum. The per-step products of
    :func:`weight_gradient` have an inner dimension of only ``B`` and write a whole (G, K)
    matrix per step; these have ``n*B`` and write it once per block, which more than pays
    for the copies (the product reads them from the cache). Measured on the LSTM: 5-7%
    faster training steps at 128 units, 2% at 64. Not for two BLAS threads (one batched
    product over all steps is faster there), nor for the GRU and the simple RNN (slower
    for them by 7-13% on one thread).
    """
    T, G, B = dZ.shape
    K = S.shape[1]
    block = max(1, min(T, CACHE_BUDGET // ((G + K) * B * dZ.itemsize)))
    deltas = workspace.get(name + "_deltas", (G * block * B,), dZ.dtype)
    inputs = workspace.get(name + "_inputs", (K * block * B,), S.dtype)
    partial = workspace.get(name + "_partial", (G, K), dZ.dtype)
    total = None
    for start in range(0, T, block):
        n = min(block, T - start)
        block_deltas = deltas[:G * n * B].reshape(G, n, B)
        block_inputs = inputs[:K * n * B].reshape(K, n, B)
        np.copyto(block_deltas, dZ[start:start + n].transpose(1, 0, 2))
        np.copyto(block_inputs, S[start:start + n].transpose(1, 0, 2))
        product = np.matmul(block_deltas.reshape(G, n * B),
                            block_inputs.reshape(K, n * B).T,
                            out=None if total is None else partial)
        if total is None:
            total = product
        else:
            total += product
    return total


def scatter_gradients(dW, grads, H, I, rows=None, bias_hh=None):
    """Split ``dW`` (G*H, H+I+1) into the named gradients ``weight_hh``, ``weight_ih``,
    ``bias_ih`` and ``bias_hh`` (the same bias column unless ``bias_hh`` is given).
    ``rows`` maps internal row j to PyTorch row ``rows[j]``."""
    take = slice(None) if rows is None else rows
    grads["weight_hh"][take] = dW[:, :H]
    grads["weight_ih"][take] = dW[:, H:H + I]
    grads["bias_ih"][take] = dW[:, H + I]
    grads["bias_hh"][take] = dW[:, H + I] if bias_hh is None else bias_hh


def input_gradient(dZ, weight_ih_T, workspace):
    """Gradient with respect to the layer's inputs: ``weight_ih_T`` (I, G*H) times every
    ``dZ[t]`` (G*H, B) -> (T, I, B), into a work array."""
    T, _, B = dZ.shape
    dX = workspace.get("inputs_gradient", (T, weight_ih_T.shape[0], B), dZ.dtype)
    return np.matmul(weight_ih_T, dZ, out=dX)


CACHE_BUDGET = 1 << 19     # bytes of backward factors computed at a time: they stay in L2


def factor_block(T, bytes_per_step):
    """Time steps the forward pass runs as one block, whose backward factors it computes
    together: as many as fit in :data:`CACHE_BUDGET`, so that the values they are computed
    from are still in the cache, in few NumPy calls."""
    return max(1, min(T, CACHE_BUDGET // bytes_per_step))


def sigmoid_via_tanh(block):
    """In place: ``block`` holds tanh(x/2) on entry and sigmoid(x) on exit.

    sigmoid(x) = 0.5 * tanh(x / 2) + 0.5. The cells fold the 1/2 into the weights of their
    sigmoid gates, so one ``tanh`` call covers all gates of a step.
    """
    block *= 0.5
    block += 0.5
