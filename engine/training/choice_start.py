"""Where the automatic choices of a fit start, so that fitting a project again makes the
same choices as its first fit.

A fit that chooses the target transform, the lookback or the inputs
(``selection.settings``: ``choose_target_transform``, ``choose_lookback``,
``choose_inputs``) writes what it chose into the project's data-set configuration
(:func:`engine.training.fitting.record_fit`), and where it started from into
``selection.summary["start"]``. The candidates are built around the starting values: the
lookbacks around the suggested one (half, twice, the season), the seasonal differences at
the season and a longer cycle, the inputs from every input. Built again around the chosen
values, they would differ (a lookback of 6 chosen from 6, 12 and 24 would be chosen next
from 3, 6 and 12), and so would the model.

:func:`choice_start` therefore puts back, for each choice still automatic, the value the
last fit started from, as long as the configuration still holds the value that fit chose.
A value the person changed since (on the data page, or in the file) is where the next
choice starts.
"""

import copy

from engine.data.config import TRANSFORMS

KEYS = ("target_transform", "period", "lookback", "inputs")


def start_values(config):
    """The values :func:`choice_start` can put back, as plain values:
    ``{"target_transform", "period", "lookback", "inputs": [names]}``."""
    return {"target_transform": config.target_transform, "period": config.period,
            "lookback": int(config.lookback), "inputs": [v.name for v in config.inputs]}


def choice_start(config, summary, automatic):
    """A copy of ``config`` (:class:`~engine.data.DatasetConfig`) from which the automatic
    choices ``automatic`` (``selection.settings``) start again: each value the last fit
    chose (``summary["chosen"]``, a project's ``selection.summary``) and the configuration
    still holds is replaced by the one it started from (``summary["start"]``, see
    :func:`start_values`). The period goes with the transform (a seasonal difference may
    have been chosen at a longer cycle). ``config`` itself when there is nothing to put
    back."""
    start, chosen = (summary or {}).get("start"), (summary or {}).get("chosen")
    if not chosen or not well_formed(start):
        return config
    now = start_values(config)
    back = {key: start[key] for key in _automatic_keys(automatic)
            if now[key] == chosen.get(key) and now[key] != start[key]}
    if not back:
        return config
    config = copy.deepcopy(config)
    if "inputs" in back:
        unused = {v.name for v in config.variables if v.role == "unused"}
        config = config.with_roles(**{name: "input" for name in back.pop("inputs")
                                      if name in unused})
    for key, value in back.items():
        setattr(config, key, value)
    return config


def varied_keys(trials):
    """The keys of the choices (``target_transform``, ``inputs``, ``lookback``) that the
    trials (dicts, as :meth:`~engine.training.linear_choice.LinearTrial.to_dict` gives
    them) varied: the choices made among several candidates."""
    trials = list(trials)
    return [key for key in ("target_transform", "inputs", "lookback")
            if len({str(t.get(key)) for t in trials}) > 1]


def last_choices(summary):
    """``{key: value}`` of the last fit's choices (``summary``, a project's
    ``selection.summary``) that it made among several candidates (:func:`varied_keys`)."""
    chosen = (summary or {}).get("chosen") or {}
    return {key: chosen.get(key) for key in varied_keys((summary or {}).get("trials") or [])}


def well_formed(start):
    """True when ``start`` (``selection.summary["start"]``, read from a file that may
    have been edited) holds a value of the right kind for every key of :data:`KEYS`; a
    start that does not is not used."""
    if not isinstance(start, dict) or not all(key in start for key in KEYS):
        return False
    whole = (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1)
    return (start["target_transform"] in TRANSFORMS and whole(start["lookback"])
            and (start["period"] is None or whole(start["period"]))
            and isinstance(start["inputs"], list)
            and all(isinstance(name, str) for name in start["inputs"]))


def _automatic_keys(automatic):
    """The keys of :data:`KEYS` the automatic choices ``automatic`` make."""
    keys = []
    if automatic.get("choose_target_transform"):
        keys += ["target_transform", "period"]
    if automatic.get("choose_lookback"):
        keys.append("lookback")
    if automatic.get("choose_inputs"):
        keys.append("inputs")
    return keys
