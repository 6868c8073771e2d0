"""An ensemble of networks as one network: the mean of N members with the same settings
(their seeds differ) is exactly a single :class:`~engine.network.recurrent.RecurrentNetwork`
with N times the units, whose recurrent weights are block diagonal. So an ensemble is
saved, deployed and exported as any network is.

Member ``m`` (of ``N``) has layers of ``H_k`` units and ``G`` gates; PyTorch stacks a
layer's gates, so its rows are ``[gate 0 units; gate 1 units; ...]``. In the merged layer of
``N H_k`` units, gate ``g``'s rows are the members' rows of that gate one after the other::

    W_ih^(k)[g, m, :, cols_m] = W_ih,m^(k)[g]      (k = 0: every input column)
    W_hh^(k)[g, m, :, units_m] = W_hh,m^(k)[g]     biases[g, m] = b_m[g]
    W_head = [W_head,1 ... W_head,N] / N           b_head = mean_m b_head,m

with zeros elsewhere, so each block of units sees only its member's units and the head
averages the members' outputs. Parameters outside the recurrent layers and the head (a
linear path over the window) are averaged.
"""

import numpy as np

from engine.errors import EngineError
from engine.network.parameters import GATES
from engine.network.recurrent import RecurrentNetwork

SHARED_SETTINGS = ("cell", "activation", "dtype", "n_inputs", "n_outputs")


def merged_state(states, cell, hidden_sizes):
    """The state dict of the merged network of member ``states`` (each a state dict of a
    network of ``cell`` with ``hidden_sizes`` units per layer); see the module docstring."""
    gates, count = GATES[cell], len(states)
    merged = {}
    for k, units in enumerate(hidden_sizes):
        before = hidden_sizes[k - 1] if k else None
        merged[f"rnn.weight_ih_l{k}"] = _blocks(
            [s[f"rnn.weight_ih_l{k}"] for s in states], gates, units, before)
        merged[f"rnn.weight_hh_l{k}"] = _blocks(
            [s[f"rnn.weight_hh_l{k}"] for s in states], gates, units, units)
        for name in ("bias_ih", "bias_hh"):
            stacked = np.stack([s[f"rnn.{name}_l{k}"].reshape(gates, units) for s in states],
                               axis=1)
            merged[f"rnn.{name}_l{k}"] = stacked.reshape(-1)
    merged["head.weight"] = np.concatenate([s["head.weight"] for s in states], axis=1) / count
    for name in states[0]:
        if name not in merged:
            merged[name] = np.mean([s[name] for s in states], axis=0)
    return merged


def _blocks(weights, gates, units, columns):
    """Gate-wise block rows of the members' ``weights`` (each (G*units, c)): block diagonal
    over ``columns`` per member (``columns`` None: every column is shared, as layer 0's
    inputs are)."""
    count = len(weights)
    width = weights[0].shape[1] if columns is None else count * columns
    merged = np.zeros((gates, count, units, width), dtype=weights[0].dtype)
    for m, weight in enumerate(weights):
        block = weight.reshape(gates, units, -1)
        if columns is None:
            merged[:, m] = block
        else:
            merged[:, m, :, m * columns:(m + 1) * columns] = block
    return merged.reshape(gates * count * units, width)


def merge_networks(members):
    """One :class:`RecurrentNetwork` whose outputs are the mean of the trained ``members``'
    (a list of networks with the same settings but the seed). The merged network takes the
    first member's seed and the last member's fitted attributes (history, best epoch, stop
    reason): the training that ran last, whose curve a training page shows at the end."""
    if not members:
        raise EngineError("An ensemble needs at least one trained network.")
    first = members[0]
    if len(members) == 1:
        return first
    settings = first.get_params()
    for member in members[1:]:
        other = member.get_params()
        differs = [key for key in settings if key not in ("seed", "n_threads")
                   and np.any(np.asarray(settings[key]) != np.asarray(other[key]))]
        if differs:
            raise EngineError(f"The networks of an ensemble must share their settings; "
                              f"{', '.join(differs)} differ.")
    sizes = [int(h) for h in np.atleast_1d(first.hidden_sizes)]
    merged = RecurrentNetwork(**{**settings,
                                 "hidden_sizes": [len(members) * int(h) for h in sizes]})
    merged.load_state_dict(merged_state([m.state_dict() for m in members],
                                        first.checked_settings()["cell"], sizes))
    merged.member_parameters_ = first.n_parameters
    last = members[-1]
    for name in ("history_", "stop_reason_", "best_epoch_", "training_loss_",
                 "selection_loss_", "cancelled_", "kept_start_"):
        if hasattr(last, name):
            setattr(merged, name, getattr(last, name))
    return merged
