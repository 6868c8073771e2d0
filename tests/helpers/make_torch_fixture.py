"""Writes tests/engine/data/torch_reference.npz: what PyTorch computes for small recurrent
networks in float64, so that tests/engine/test_pytorch_parity_fixture.py compares the engine
with PyTorch on every machine, PyTorch installed or not.

Run it once, with PyTorch installed (``make torch``), from the repository's folder:

    .venv/bin/python tests/helpers/make_torch_fixture.py

and commit the file it writes (about 100 KB). Run it again only when CASES or what is stored
changes; tests/engine/test_pytorch_parity_fixture.py checks, where PyTorch is installed, that
the stored file is what this script makes.

For each case of CASES, a :class:`helpers.torch_reference.TorchNetwork` (recurrent layers,
batch first, and a linear head on the last step) with PyTorch's initial weights
(``torch.manual_seed(0)``) is run on a batch ``X`` of shape (BATCH, STEPS, INPUTS) and
targets ``Y`` of shape (BATCH, OUTPUTS), and the file holds, under ``"<case>/..."``:

- ``weight/<name>``: the initial weights by PyTorch name (``rnn.weight_ih_l0``, ...,
  ``head.bias``);
- ``X``, ``Y``; ``output`` (BATCH, OUTPUTS); ``loss``, the mean squared error (a 0-d array);
- ``gradient/<name>``: d loss / d weight for every weight;
- ``<optimizer>/<k>/<name>``: the weights after k = 1..OPTIMIZER_STEPS steps of each of
  OPTIMIZERS from the initial weights, every step on the whole batch.

``torch_version`` records the version of PyTorch that made the file.
"""

import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "engine" / "data" / "torch_reference.npz"

# name: (cell, activation, hidden sizes)
CASES = {"rnn-tanh-1": ("rnn", "tanh", [6]), "rnn-relu-2": ("rnn", "relu", [5, 5]),
         "gru-1": ("gru", "tanh", [6]), "gru-2": ("gru", "tanh", [5, 5]),
         "lstm-1": ("lstm", "tanh", [6]), "lstm-2": ("lstm", "tanh", [5, 5])}
BATCH, STEPS, INPUTS, OUTPUTS = 7, 10, 3, 2
# name: (the engine's optimizer class name, its keyword arguments); torch.optim takes the
# same arguments with ``lr`` for ``learning_rate``.
OPTIMIZERS = {"adam": ("Adam", {"learning_rate": 0.01}),
              "sgd": ("SGD", {"learning_rate": 0.05, "momentum": 0.9})}
OPTIMIZER_STEPS = 3


def case_arrays(torch, name):
    """``{key: array}`` of one case, keys without the ``"<case>/"`` prefix."""
    from helpers.torch_reference import TorchNetwork

    cell, activation, hidden = CASES[name]
    torch.manual_seed(0)
    reference = TorchNetwork(cell, INPUTS, hidden, OUTPUTS, activation).double()
    initial = {key: value.detach().clone() for key, value in reference.state_dict().items()}
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(BATCH, STEPS, INPUTS)), rng.normal(size=(BATCH, OUTPUTS))
    out = reference(torch.tensor(X))
    loss = torch.nn.functional.mse_loss(out, torch.tensor(Y))
    loss.backward()
    arrays = {"X": X, "Y": Y, "output": out.detach().numpy(), "loss": np.array(loss.item())}
    arrays |= {f"weight/{key}": value.numpy() for key, value in initial.items()}
    arrays |= {f"gradient/{key}": parameter.grad.numpy()
               for key, parameter in reference.named_parameters()}
    for optimizer in OPTIMIZERS:
        reference.load_state_dict(initial)
        for step, weights in enumerate(optimizer_steps(torch, reference, optimizer, X, Y), 1):
            arrays |= {f"{optimizer}/{step}/{key}": value for key, value in weights.items()}
    return arrays


def optimizer_steps(torch, reference, optimizer, X, Y):
    """The weights after each of OPTIMIZER_STEPS steps of ``torch.optim``'s optimizer."""
    class_name, options = OPTIMIZERS[optimizer]
    options = {("lr" if key == "learning_rate" else key): value
               for key, value in options.items()}
    steps = getattr(torch.optim, class_name)(reference.parameters(), **options)
    x, y = torch.tensor(X), torch.tensor(Y)
    for _ in range(OPTIMIZER_STEPS):
        steps.zero_grad()
        torch.nn.functional.mse_loss(reference(x), y).backward()
        steps.step()
        yield {key: value.detach().numpy().copy()
               for key, value in reference.state_dict().items()}


def fixture_arrays():
    """Every array of the fixture file, by key."""
    import torch

    arrays = {"torch_version": np.array(torch.__version__)}
    for name in CASES:
        arrays |= {f"{name}/{key}": value for key, value in case_arrays(torch, name).items()}
    return arrays


def main():
    sys.path.insert(0, str(ROOT / "tests"))
    np.savez_compressed(FIXTURE, **fixture_arrays())
    print(f"wrote {FIXTURE.relative_to(ROOT)} ({FIXTURE.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
