"""Export: the weights as a PyTorch state dict, an ``.npz`` archive of arrays named as
PyTorch names them (``rnn.weight_ih_l0``, ``rnn.weight_hh_l0``, ``rnn.bias_ih_l0``,
``rnn.bias_hh_l0``, ..., ``head.weight``, ``head.bias``, and ``ar.weight`` with a linear
path), in the network's dtype.

Load it into ``torch.nn.RNN/GRU/LSTM(..., batch_first=True)`` named ``rnn``, a
``torch.nn.Linear`` named ``head`` and, with a linear path, a
``torch.nn.Linear(lookback * n_inputs, n_outputs, bias=False)`` named ``ar`` that reads
``x.reshape(batch, -1)`` and is added to the head's output (see docs/deploy.md)::

    state = {k: torch.from_numpy(v) for k, v in np.load(path, allow_pickle=False).items()}
    module.load_state_dict(state)

The gate order is PyTorch's (LSTM i, f, g, o; GRU r, z, n), so nothing is converted.
A stack of layers of different sizes does not fit one ``torch.nn`` recurrent module; the
layer-``k`` arrays then load into a module of its own (``weight_ih_l0`` etc.).
"""

from pathlib import Path

import numpy as np

from engine.atomic import atomic_file


def export_torch(model, path):
    """Write ``model.network``'s state dict to ``path`` as an ``.npz`` (atomically; no
    pickle: load it with ``np.load(path, allow_pickle=False)``)."""
    state = model.network.state_dict()
    with atomic_file(path, "wb") as handle:
        np.savez(handle, allow_pickle=False, **state)
    return Path(path)
