"""Optimizers: the same parameter trajectory as ``torch.optim`` on the same gradients (float64),
gradient clipping as ``torch.nn.utils.clip_grad_norm_``, and L-BFGS on known minima."""

import numpy as np
import pytest

from engine import RecurrentNetwork
from engine.training.lbfgs import LBFGS
from engine.training.optimizers import SGD, Adam, RMSprop, clip_gradient_norm

STEPS = 12
SIZE = 9


def gradient_at(values, step):
    """A gradient that depends on the parameters and changes from step to step, with entries
    of very different sizes (as in a network), so that every state variable matters. Its
    slope stays small, so rounding differences are not amplified along the trajectory."""
    scales = np.logspace(-3, 1, len(values))
    return scales * (np.sin(values + 0.3 * step) + 0.3 * values) + 0.01 * (step - 5)


def torch_trajectory(torch, make_optimizer, start, learning_rates):
    w = torch.tensor(start.copy(), requires_grad=True)
    optimizer = make_optimizer([w])
    path = []
    for step, lr in enumerate(learning_rates):
        for group in optimizer.param_groups:
            group["lr"] = lr
        w.grad = torch.tensor(gradient_at(w.detach().numpy(), step))
        optimizer.step()
        path.append(w.detach().numpy().copy())
    return path


def our_trajectory(optimizer, start, learning_rates):
    values = start.copy()
    path = []
    for step, lr in enumerate(learning_rates):
        optimizer.learning_rate = lr
        optimizer.step(values, gradient_at(values, step))
        path.append(values.copy())
    return path


# The learning rate is lowered half way, as the plateau schedule does.
CASES = {
    "adam": (lambda: Adam(0.01),
             lambda t: lambda p: t.optim.Adam(p, lr=0.01)),
    "adam-betas": (lambda: Adam(0.05, beta1=0.5, beta2=0.9, eps=1e-6),
                   lambda t: lambda p: t.optim.Adam(p, lr=0.05, betas=(0.5, 0.9), eps=1e-6)),
    "sgd": (lambda: SGD(0.05, momentum=0.0),
            lambda t: lambda p: t.optim.SGD(p, lr=0.05)),
    "sgd-momentum": (lambda: SGD(0.05, momentum=0.9),
                     lambda t: lambda p: t.optim.SGD(p, lr=0.05, momentum=0.9)),
    "sgd-nesterov": (lambda: SGD(0.05, momentum=0.8, nesterov=True),
                     lambda t: lambda p: t.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
    "rmsprop": (lambda: RMSprop(0.01),
                lambda t: lambda p: t.optim.RMSprop(p, lr=0.01)),
    "rmsprop-alpha": (lambda: RMSprop(0.02, alpha=0.9, eps=1e-6),
                      lambda t: lambda p: t.optim.RMSprop(p, lr=0.02, alpha=0.9, eps=1e-6)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_trajectory_matches_torch_optim(case):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    ours, theirs = CASES[case]
    start = np.random.default_rng(0).normal(size=SIZE)
    base = 0.05 if "adam-betas" in case else 0.02
    learning_rates = [base] * (STEPS // 2) + [base / 2] * (STEPS - STEPS // 2)
    expected = torch_trajectory(torch, theirs(torch), start, learning_rates)
    actual = our_trajectory(ours(), start, learning_rates)
    moved = np.abs(expected[-1] - start).max()
    assert moved > 1e-2, "the test must move the parameters to mean anything"
    for step, (a, e) in enumerate(zip(actual, expected)):
        np.testing.assert_allclose(a, e, rtol=0, atol=1e-12, err_msg=f"step {step + 1}")


@pytest.mark.parametrize("make", [lambda: Adam(0.01), lambda: SGD(0.01, 0.9, True),
                                  lambda: RMSprop(0.01)])
def test_optimizers_keep_float32(make):
    optimizer = make()
    values = np.ones(4, dtype=np.float32)
    for step in range(3):
        optimizer.step(values, gradient_at(values, step).astype(np.float32))
    assert values.dtype == np.float32
    assert not np.array_equal(values, np.ones(4))
    for state in vars(optimizer).values():
        if isinstance(state, np.ndarray):
            assert state.dtype == np.float32


# -- gradient clipping -------------------------------------------------------------------------

@pytest.mark.parametrize("max_norm", [0.5, 3.0, 100.0, "norm + 5e-7"])
def test_clipping_matches_torch_clip_grad_norm(max_norm):
    """Including a limit just above the norm, which torch still scales by
    ``max_norm / (norm + 1e-6)``."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    gradient = np.random.default_rng(1).normal(size=12)          # norm about 3
    if max_norm == "norm + 5e-7":
        max_norm = float(np.linalg.norm(gradient)) + 5e-7
    pieces = [torch.zeros(5, dtype=torch.float64, requires_grad=True),
              torch.zeros(7, dtype=torch.float64, requires_grad=True)]
    pieces[0].grad = torch.tensor(gradient[:5].copy())
    pieces[1].grad = torch.tensor(gradient[5:].copy())
    torch_norm = torch.nn.utils.clip_grad_norm_(pieces, max_norm)
    ours = gradient.copy()
    norm = clip_gradient_norm(ours, max_norm)
    assert norm == pytest.approx(float(torch_norm), rel=1e-14)
    expected = np.concatenate([p.grad.numpy() for p in pieces])
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-15)


def test_clipping_scales_to_the_norm_and_keeps_the_direction():
    gradient = np.array([3.0, 4.0])
    assert clip_gradient_norm(gradient, 1.0) == 5.0
    np.testing.assert_allclose(gradient, np.array([0.6, 0.8]) * 5 / (5 + 1e-6), rtol=1e-15)
    small = np.array([0.3, 0.4])
    assert clip_gradient_norm(small, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(small, [0.3, 0.4])
    untouched = np.array([30.0, 40.0])
    assert clip_gradient_norm(untouched, None) == 50.0
    np.testing.assert_array_equal(untouched, [30.0, 40.0])


# -- L-BFGS ------------------------------------------------------------------------------------

def minimize(function, start, iterations, history=10, tolerance=1e-10):
    """Run :class:`LBFGS` on ``function(x) -> (value, gradient)``; return x and iterations."""
    optimizer = LBFGS(history)
    x = np.array(start, dtype=float)
    value, gradient = function(x)
    for iteration in range(1, iterations + 1):
        value, gradient, moved = optimizer.step(x, value, gradient, function)
        if not moved or np.linalg.norm(gradient) < tolerance:
            return x, iteration
    return x, iterations


def test_lbfgs_finds_the_minimum_of_an_ill_conditioned_quadratic():
    """Condition number 100 in 10 dimensions. A line search on loss values resolves x to
    about sqrt(machine epsilon); the gradient tolerance is out of reach, so this also proves
    that L-BFGS reports convergence once no step lowers the loss, instead of repeating a
    step that changes nothing (which it did for ever)."""
    rng = np.random.default_rng(2)
    Q, _ = np.linalg.qr(rng.normal(size=(10, 10)))
    A = Q @ np.diag(np.logspace(0, 2, 10)) @ Q.T
    b = rng.normal(size=10)
    solution = np.linalg.solve(A, b)
    x, iterations = minimize(lambda x: (0.5 * x @ A @ x - b @ x, A @ x - b), np.zeros(10),
                             1000, tolerance=1e-20)
    np.testing.assert_allclose(x, solution, rtol=0, atol=1e-7)
    assert iterations < 250


def rosenbrock(x):
    """The n-dimensional Rosenbrock function, minimum 0 at (1, ..., 1)."""
    a, b = x[:-1], x[1:]
    value = np.sum(100.0 * (b - a * a) ** 2 + (1 - a) ** 2)
    gradient = np.zeros_like(x)
    gradient[:-1] = -400.0 * a * (b - a * a) - 2 * (1 - a)
    gradient[1:] += 200.0 * (b - a * a)
    return value, gradient


@pytest.mark.parametrize("start", [[-1.2, 1.0], [0.0] * 5, [0.0] * 10])
def test_lbfgs_finds_the_minimum_of_rosenbrock(start):
    """From the classic starts (about 40 to 90 iterations)."""
    x, iterations = minimize(rosenbrock, start, 300)
    np.testing.assert_allclose(x, np.ones(len(start)), rtol=0, atol=1e-8)
    assert rosenbrock(x)[0] < 1e-16
    assert iterations < 200


def test_lbfgs_trains_a_small_network_on_a_tiny_data_set():
    """20 windows of a sine with a random phase; the next value is the target. The initial
    MSE is about 0.5 (the target variance); L-BFGS must bring it below 1e-4."""
    rng = np.random.default_rng(3)
    phase = rng.uniform(0, 2 * np.pi, size=20)
    steps = np.arange(7) * 0.5
    series = np.sin(phase[:, None] + steps[None, :])
    X, Y = series[:, :6, None], series[:, 6:]
    net = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[5], seed=0)
    start = np.mean((net.predict(X, untrained=True) - Y) ** 2)
    net.fit(X, Y, optimizer="lbfgs", max_epochs=300, selection_fraction=0, patience=None)
    final = np.mean((net.predict(X) - Y) ** 2)
    assert start > 0.1
    assert final < 1e-4, net.stop_reason_
    assert net.training_loss_ == pytest.approx(final, rel=1e-9)
