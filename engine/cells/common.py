"""Pieces every recurrent cell shares: the input projection before the time loop and the
weight gradients after it, each a single matrix product over all time steps."""

import numpy as np


def project_inputs(X, weight_ih, bias):
    """Input projections of all time steps at once.

    ``X`` (T, B, I) time-major, ``weight_ih`` (G*H, I), ``bias`` (G*H,) -> (T, B, G*H)
    holding ``X[t] @ weight_ih.T + bias`` for every t.
    """
    T, B, I = X.shape
    Z = X.reshape(T * B, I) @ weight_ih.T
    Z += bias
    return Z.reshape(T, B, -1)


def layer_gradients(X, H_prev, dZ_input, dZ_hidden, grads, rows=None):
    """Write the weight and bias gradients of one layer into ``grads``.

    ``X`` (T, B, I) inputs, ``H_prev`` (T, B, H) the hidden state each step started from
    (zeros at t = 0), ``dZ_input`` (T, B, G*H) the gradient of the loss with respect to the
    input projections ``X[t] @ W_ih.T + b_ih`` and ``dZ_hidden`` (same shape) with respect to
    the recurrent projections ``h[t-1] @ W_hh.T + b_hh``. Then::

        dW_ih = sum_t dZ_input[t].T @ X[t]       dW_hh = sum_t dZ_hidden[t].T @ H_prev[t]
        db_ih = sum_t,b dZ_input[t]              db_hh = sum_t,b dZ_hidden[t]

    each computed as one product over the flattened (T*B) axis. ``rows``, when given, maps
    the cell's internal gate order to PyTorch's: internal row j is PyTorch row ``rows[j]``.
    ``grads`` maps ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` to output arrays.
    """
    T, B, I = X.shape
    G = dZ_input.shape[2]
    dZi = dZ_input.reshape(T * B, G)
    values = {"weight_ih": dZi.T @ X.reshape(T * B, I), "bias_ih": dZi.sum(axis=0)}
    if dZ_hidden is dZ_input:
        values["bias_hh"] = values["bias_ih"]
    else:
        values["bias_hh"] = dZ_hidden.reshape(T * B, G).sum(axis=0)
    if T > 1:  # H_prev[0] is zero: step 0 adds nothing to dW_hh
        H = H_prev.shape[2]
        dZh = dZ_hidden[1:].reshape((T - 1) * B, G)
        values["weight_hh"] = dZh.T @ H_prev[1:].reshape((T - 1) * B, H)
    else:
        values["weight_hh"] = 0.0
    for key, value in values.items():
        if rows is None:
            grads[key][...] = value
        else:
            grads[key][rows] = value


def input_gradient(dZ_input, weight_ih):
    """Gradient with respect to the layer's inputs: (T, B, G*H) @ (G*H, I) -> (T, B, I)."""
    T, B, G = dZ_input.shape
    return (dZ_input.reshape(T * B, G) @ weight_ih).reshape(T, B, -1)


def sigmoid_via_tanh(block):
    """In place: ``block`` holds tanh(x/2) on entry and sigmoid(x) on exit.

    sigmoid(x) = 0.5 * tanh(x / 2) + 0.5. The cells fold the 1/2 into the weights of their
    sigmoid gates, so one ``tanh`` call covers all gates of a step.
    """
    block *= 0.5
    block += 0.5
