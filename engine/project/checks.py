"""Checks of a project's sections before anything uses them.

Every setting this version knows is checked, for its type, range and spelling, by the code
that will use it (:meth:`engine.data.DatasetConfig.from_dict`, the network's
:meth:`~engine.network.recurrent.RecurrentNetwork.checked_settings`,
:class:`~engine.training.settings.TrainingSettings`), so that a wrong value is named when the project
is opened, with its section, the setting, the value and what is allowed, instead of
failing later.

Harmless spellings of the architecture are normalised: a cell or activation in capitals
(``"GRU"`` -> ``"gru"``), a dtype alias (``"f4"`` -> ``"float32"``, null -> ``"float64"``), a
single number of units (``32`` -> ``[32]``). Keys this version does not know are kept (a
newer revision may have written them) and fitting refuses them, naming them; in the data-set
settings, which the data layer reads wherever they are used, they are refused on opening.
"""

from dataclasses import fields

from engine.data.config import DatasetConfig
from engine.errors import EngineError
from engine.network.recurrent import RecurrentNetwork
from engine.training.settings import TrainingSettings
from engine.training.run import ARCHITECTURE_KEYS
from engine.network.validation import finite_number

SELECTION_SWITCHES = ("choose_target_transform", "choose_inputs")
RESULT_PARTS = ("training", "scores", "testing", "intervals")


def _known(section, keys):
    return {key: section[key] for key in keys if key in section}


def _object_or_null(value, name):
    """``value`` if it is a dict, ``{}`` for None; raise naming ``name`` otherwise."""
    if value is not None and not isinstance(value, dict):
        raise EngineError(f"{name} must be a JSON object; got {value!r}.")
    return value or {}


def checked_config(config):
    """The data-set settings dict ``config``, checked whole (unchanged): the data layer
    reads it again and again, and refuses keys it does not know."""
    DatasetConfig.from_dict(config)
    return config


def checked_architecture(architecture):
    """The architecture dict with its known keys checked and normalised (a new dict)."""
    given = _known(architecture, ARCHITECTURE_KEYS)
    settings = RecurrentNetwork(**given).checked_settings()
    return {**architecture, **{key: settings[key] for key in given}}


def checked_training(training):
    """The training settings dict, its known keys checked (unchanged); an unset learning
    rate stays unset."""
    names = [f.name for f in fields(TrainingSettings)]
    TrainingSettings.from_kwargs(**_known(training, names))
    return training


def checked_selection(selection):
    """The selection section: ``settings`` and ``summary`` objects (or null), the switches
    of the automatic choices true or false (unchanged)."""
    _object_or_null(selection.get("summary"), "summary")
    for name, value in _object_or_null(selection.get("settings"), "settings").items():
        if name in SELECTION_SWITCHES and not isinstance(value, bool):
            raise EngineError(f"settings.{name} must be true or false; got {value!r}.")
    return selection


def checked_results(results):
    """The results summary (unchanged): ``training``, ``scores``, ``testing`` and
    ``intervals`` objects (or null), the stop reason text, and per scored part ``targets``
    mapping each target to its measures, each a finite number or null."""
    for part in RESULT_PARTS:
        _object_or_null(results.get(part), part)
    reason = (results.get("training") or {}).get("stop_reason", "")
    if not isinstance(reason, str):
        raise EngineError(f"training.stop_reason must be text; got {reason!r}.")
    for part, scores in (results.get("scores") or {}).items():
        targets = _object_or_null(_object_or_null(scores, f"scores.{part}").get("targets"),
                                  f"scores.{part}.targets")
        for target, measures in targets.items():
            where = f"scores.{part}.targets.{target}"
            for measure, value in _object_or_null(measures, where).items():
                if value is not None:
                    finite_number(value, f"{where}.{measure}")
    return results


def checked_sections(document, source="The project", advice="Correct it."):
    """``document`` (a dict holding the sections ``data``, ``architecture``, ``training``,
    ``selection``, ``results``, each a dict, and perhaps other keys) with each section
    checked and normalised (a new dict; absent sections stay absent).

    source, advice : how the message names the project and what it advises, e.g. ``"The
        project file /x/p.json"`` and ``"Correct the file."``
    Raises :class:`EngineError` with one line: the section, the setting, what is allowed.
    """
    checks = {"data.config": lambda: checked_config(document["data"].get("config") or {}),
              "architecture": lambda: checked_architecture(document["architecture"]),
              "training": lambda: checked_training(document["training"]),
              "selection": lambda: checked_selection(document["selection"]),
              "results": lambda: checked_results(document["results"])}
    checked = dict(document)
    for where, check in checks.items():
        section = where.split(".")[0]
        if section not in document:
            continue
        try:
            result = check()
        except EngineError as error:
            raise EngineError(f"{source} has a wrong setting in {where}: {error} "
                              f"{advice}") from None
        if section != "data":
            checked[section] = result
    return checked


def check_project(project):
    """Raise :class:`EngineError` unless every section of the
    :class:`~engine.project.document.Project` ``project`` can be used (it is not changed)."""
    checked_sections({section: getattr(project, section)
                      for section in ("data", "architecture", "training", "selection")})
