"""First-order optimizers on the flat parameter vector, with PyTorch's update rules.

Each ``step(values, gradient)`` updates ``values`` in place; ``learning_rate`` may be changed
between steps (the plateau schedule does).
"""

import numpy as np


class Adam:
    """``m = b1 m + (1-b1) g``, ``v = b2 v + (1-b2) g^2``,
    ``w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)``, as ``torch.optim.Adam``."""

    def __init__(self, learning_rate=3e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.learning_rate = learning_rate
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = self.v = None

    def step(self, values, gradient):
        if self.m is None:
            self.m = np.zeros_like(values)
            self.v = np.zeros_like(values)
        self.t += 1
        self.m *= self.beta1
        self.m += (1.0 - self.beta1) * gradient
        self.v *= self.beta2
        self.v += (1.0 - self.beta2) * gradient * gradient
        bias1 = 1.0 - self.beta1 ** self.t
        bias2 = 1.0 - self.beta2 ** self.t
        denominator = np.sqrt(self.v / bias2)
        denominator += self.eps
        values -= (self.learning_rate / bias1) * self.m / denominator


class SGD:
    """Stochastic gradient descent with optional (Nesterov) momentum, as ``torch.optim.SGD``:
    ``b = mu b + g`` (``b = g`` at the first step), update ``g + mu b`` (Nesterov) or ``b``."""

    def __init__(self, learning_rate=1e-2, momentum=0.9, nesterov=False):
        self.learning_rate = learning_rate
        self.momentum, self.nesterov = momentum, nesterov
        self.buffer = None

    def step(self, values, gradient):
        if not self.momentum:
            values -= self.learning_rate * gradient
            return
        if self.buffer is None:
            self.buffer = gradient.copy()
        else:
            self.buffer *= self.momentum
            self.buffer += gradient
        update = gradient + self.momentum * self.buffer if self.nesterov else self.buffer
        values -= self.learning_rate * update


class RMSprop:
    """``v = a v + (1-a) g^2``, ``w -= lr g / (sqrt(v) + eps)``, as ``torch.optim.RMSprop``."""

    def __init__(self, learning_rate=1e-3, alpha=0.99, eps=1e-8):
        self.learning_rate = learning_rate
        self.alpha, self.eps = alpha, eps
        self.v = None

    def step(self, values, gradient):
        if self.v is None:
            self.v = np.zeros_like(values)
        self.v *= self.alpha
        self.v += (1.0 - self.alpha) * gradient * gradient
        values -= self.learning_rate * gradient / (np.sqrt(self.v) + self.eps)


def clip_gradient_norm(gradient, max_norm):
    """Scale ``gradient`` in place so its Euclidean norm is at most ``max_norm`` (None: no
    clipping), by ``min(1, max_norm / (norm + 1e-6))`` as ``torch.nn.utils.clip_grad_norm_``.

    Returns the norm before clipping.
    """
    norm = float(np.linalg.norm(gradient))
    if max_norm is not None:
        scale = max_norm / (norm + 1e-6)
        if scale < 1.0:
            gradient *= scale
    return norm
