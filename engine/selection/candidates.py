"""What each selection method tries: the candidate settings, as small plain dicts of
changes to a project's settings, and how such changes are applied.

A change dict holds some of these keys::

    {"hidden_sizes": [8], "cell": "lstm", "lookback": 6, "inputs": ["x1", "x3"],
     "l2": 0.001, "seed": 3}

``hidden_sizes``, ``cell`` and ``seed`` change the architecture, ``lookback`` and
``inputs`` (the names of the variables of role ``input`` that stay inputs; the targets'
own past is never removed) the data-set configuration, ``l2`` the training settings.

Input ranking (growing inputs): each candidate input ``x`` is ranked by its strongest
correlation with each target ``y`` at the lags a window sees,
``max_k |corr(x_(t-k), y_t)|`` for ``k = h .. h+L-1`` (horizon ``h``, lookback ``L``: a
window's inputs are rows ``t-L+1 .. t`` and its target row ``t+h``), computed without the
testing targets: on the rows before the testing part (a random split: on every row, the
targets' values at the testing rows left out). Lags beyond 50 are not looked at.
Categorical inputs have no such correlation (0): they come last.
"""

from dataclasses import replace

import numpy as np

from engine.data.column_types import column_numbers
from engine.data.statistics import cross_correlation, series_report, suggest_lookback
from engine.errors import EngineError
from engine.words import counted

NEURONS = (1, 2, 4, 8, 16, 32, 64, 128)
LOOKBACK_FACTORS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
CELLS = ("rnn", "gru", "lstm")
L2_VALUES = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
ENSEMBLE_MEMBERS = 5
MAX_PRUNING_TRIALS = 60
DEFAULT_MAX_TRIALS = {"neurons": 7, "lookback": 8, "inputs": None, "inputs_pruning":
                      MAX_PRUNING_TRIALS, "cell": 3, "regularization": len(L2_VALUES),
                      "ensemble": ENSEMBLE_MEMBERS}
CELL_NAMES = {"rnn": "simple RNN", "gru": "GRU", "lstm": "LSTM"}


def apply_changes(config, architecture, settings, changes):
    """``(config, architecture, settings)`` with ``changes`` applied (copies; the
    arguments are left as they are). ``config`` is a :class:`~engine.data.DatasetConfig`."""
    architecture, settings = dict(architecture), dict(settings)
    for key in ("hidden_sizes", "cell", "seed"):
        if key in changes:
            architecture[key] = changes[key]
    if "l2" in changes:
        settings["l2"] = float(changes["l2"])
    if "lookback" in changes:
        config = replace(config, lookback=int(changes["lookback"]))
    if "inputs" in changes:
        wanted = list(changes["inputs"])
        possible = candidate_inputs(config, with_unused=True)
        unknown = [name for name in wanted if name not in possible]
        if unknown:
            raise EngineError(f"Unknown input(s) {', '.join(unknown)}; the project's "
                              "variables have changed since the search. Run it again.")
        roles = {name: "unused" for name in candidate_inputs(config) if name not in wanted}
        roles.update({name: "input" for name in wanted})
        config = config.with_roles(**roles)
    return config, architecture, settings


def candidate_inputs(config, with_unused=False):
    """Names of the variables that input selection may add or remove: role ``input``
    (with ``with_unused``, also unused numeric/binary/categorical columns that were
    inputs before, i.e. every column that can be an input and is no target or time)."""
    names = []
    for v in config.variables:
        if v.role == "input":
            names.append(v.name)
        elif with_unused and v.role == "unused" and v.type in ("numeric", "binary",
                                                               "categorical"):
            names.append(v.name)
    return names


def describe(changes):
    """A short label of a change dict for the table, e.g. ``"8 units"``."""
    parts = []
    if "hidden_sizes" in changes:
        sizes = changes["hidden_sizes"]
        parts.append(counted(sizes[0], "unit") if len(sizes) == 1
                     else " x ".join(map(str, sizes)) + " units")
    if "cell" in changes:
        parts.append(CELL_NAMES.get(changes["cell"], changes["cell"]))
    if "lookback" in changes:
        parts.append(f"lookback {changes['lookback']}")
    if "inputs" in changes:
        names = changes["inputs"]
        parts.append("own history only" if not names else
                     f"{counted(len(names), 'input')}: " + ", ".join(names))
    if "removed" in changes:
        parts.insert(0, f"without {changes['removed']}")
    if "l2" in changes:
        parts.append("no L2" if changes["l2"] == 0 else f"L2 {changes['l2']:g}")
    if "seed" in changes:
        parts.append(f"seed {changes['seed']}")
    return "; ".join(parts)


def neuron_candidates(architecture, max_trials):
    """Growing neurons: every recurrent layer gets ``n`` units, ``n`` = 1, 2, 4, ... (the
    project's current size included: as it is when its layers differ, e.g. 6 x 3, after
    the candidates of as many units in its first layer)."""
    current = [int(n) for n in (architecture.get("hidden_sizes") or [32])]
    sizes = sorted(set(NEURONS[:max_trials]) | {current[0]})
    candidates = [{"hidden_sizes": [n] * len(current)} for n in sizes]
    if len(set(current)) > 1:
        at = sizes.index(current[0]) + 1
        candidates.insert(at, {"hidden_sizes": current})
    return candidates


def lookback_candidates(suggested, current, max_lookback, max_trials):
    """Window lengths around the autocorrelation's suggestion ``s``: ``round(f * s)`` for
    the factors in :data:`LOOKBACK_FACTORS`, the ``max_trials`` nearest to ``s`` (ratio),
    plus the project's current lookback; all between 1 and ``max_lookback`` (but the
    current one)."""
    suggested = max(1, int(suggested))
    values = {min(max(1, int(round(f * suggested))), max_lookback) for f in LOOKBACK_FACTORS}
    values = sorted(values, key=lambda v: (abs(np.log(v / suggested)), v))[:max_trials]
    if current >= 1:                # the project's own trains, whatever the longest tried
        values.append(int(current))
    return [{"lookback": v} for v in sorted(set(values))]


def suggested_lookback(frame, config, step=None):
    """The autocorrelation's suggested lookback on ``frame`` (the rows a search may see:
    none of the testing targets), the longest of the targets': the season length of
    ``config`` when it has one, else the season detected with the time column's ``step``
    (one year of quarterly rows is 4, as the data set step suggests), else the partial
    autocorrelation's order."""
    period = config.period if config.period and config.period >= 2 else None
    if period is None:
        return series_report(frame, [v.name for v in config.targets],
                             step=step)["suggested_lookback"]
    return max(suggest_lookback(column_numbers(frame[v.name]), period)
               for v in config.targets)


def rank_inputs(frame, config):
    """Candidate inputs, strongest first (see the module docstring), on ``frame`` (the
    rows a search may see: none of the testing targets); ``[(name, corr)]``. A yes/no
    column of text labels is read as 0 and 1 (:func:`column_numbers`)."""
    first = int(config.horizon)
    ranked = []
    for name in candidate_inputs(config):
        values = column_numbers(frame[name]) if config.variable(name).type in (
            "numeric", "binary") else None
        strength = 0.0
        if values is not None:
            for target in config.targets:
                ccf = cross_correlation(values, column_numbers(frame[target.name]),
                                        first + config.lookback - 1)
                lags = np.abs(ccf[first:first + config.lookback])
                if lags.size:
                    strength = max(strength, float(lags.max()))
        ranked.append((name, strength))
    ranked.sort(key=lambda item: -item[1])
    return ranked


def growing_input_candidates(ranked, config, max_trials=None):
    """The ``k`` strongest inputs for ``k = 0 .. n`` (0: the targets' own past only; it
    is left out when the targets are not inputs themselves)."""
    own = any(v.role == "input_target" for v in config.variables)
    names = [name for name, _ in ranked]
    counts = range(0 if own else 1, len(names) + 1)
    candidates = [{"inputs": names[:k]} for k in counts]
    return candidates if max_trials is None else candidates[:max_trials]


def pruning_round(inputs, config):
    """One pruning round: the current ``inputs`` without each one of them in turn
    (without the last input only when the targets' own past remains an input)."""
    own = any(v.role == "input_target" for v in config.variables)
    if len(inputs) == 0 or (len(inputs) == 1 and not own):
        return []
    return [{"inputs": [n for n in inputs if n != name], "removed": name} for name in inputs]


def cell_candidates(current, max_trials):
    """The cells in the order of :data:`CELLS`, at most ``max_trials`` of them: the
    project's ``current`` one and the first others."""
    others = [cell for cell in CELLS if cell != current]
    kept = ([current] if current in CELLS else []) + others
    kept = kept[:max(1, int(max_trials))]
    return [{"cell": cell} for cell in CELLS if cell in kept]


def regularization_candidates(current, max_trials):
    values = sorted(set(L2_VALUES[:max_trials]) | {float(current or 0.0)})
    return [{"l2": v} for v in values]


def ensemble_candidates(seed, members):
    return [{"seed": int(seed) + m} for m in range(members)]
