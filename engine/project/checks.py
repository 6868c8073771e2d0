"""Checks of a project's sections when a project is opened or saved, parsing each into its
typed section (:mod:`engine.project.sections`).

Every setting this version knows is checked, for its type, range and spelling, by the code
that will use it (:meth:`engine.data.DatasetConfig.from_dict`, the network's
:meth:`~engine.network.recurrent.RecurrentNetwork.checked_settings`,
:class:`~engine.training.settings.TrainingSettings`), so that a wrong value is named when
the project is opened, with its section, the setting, the value and what is allowed, instead of
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
from engine.network.architecture import ARCHITECTURE_KEYS, Architecture
from engine.network.recurrent import RecurrentNetwork
from engine.training.settings import TrainingSettings
from engine.network.validation import finite_number, positive_int
from engine.project.sections import (RESULT_PARTS, DataSection, Results, SelectionSection,
                                     TrainingChoices)

SELECTION_SWITCHES = ("choose_target_transform", "choose_inputs", "choose_lookback")


def _known(section, keys):
    return {key: section[key] for key in keys if key in section}


def _object_or_null(value, name):
    """``value`` if it is a dict, ``{}`` for None; raise naming ``name`` otherwise."""
    if value is not None and not isinstance(value, dict):
        raise EngineError(f"{name} must be a JSON object; got {value!r}.")
    return value or {}


class WrongSetting(EngineError):
    """A wrong setting of a section outside the part the section's checks name
    (:data:`SECTION_CHECKS`): ``where`` names it as the document does (``data.typed``)."""

    def __init__(self, where, message):
        super().__init__(message)
        self.where = where


def checked_data(data):
    """The :class:`~engine.project.sections.DataSection` of the ``data`` dict, its
    data-set settings parsed and checked whole (unknown keys are refused); a wrong
    ``typed`` is a :class:`WrongSetting` of ``data.typed``, not of ``data.config``."""
    stored = data.get("config") or {}
    config = DatasetConfig.from_dict(stored) if stored else None
    try:
        return DataSection.from_dict(data, config)
    except EngineError as error:            # its own settings beside the config: typed
        raise WrongSetting("data.typed", str(error)) from None


def checked_architecture(architecture):
    """The :class:`~engine.network.architecture.Architecture` of the ``architecture`` dict,
    its known keys checked and normalised. ``linear_path`` (absent: false) must be true or
    false; its window length is the data's lookback, so it is not checked here.
    ``units_by_hand`` (absent: null) must be true, false or null."""
    given = _known(architecture, ARCHITECTURE_KEYS)
    linear_path = given.pop("linear_path", False)
    if not isinstance(linear_path, bool):
        raise EngineError(f"linear_path must be true or false; got {linear_path!r}.")
    by_hand = architecture.get("units_by_hand")
    if by_hand is not None and not isinstance(by_hand, bool):
        raise EngineError(f"units_by_hand must be true, false or null; got {by_hand!r}.")
    settings = RecurrentNetwork(**given).checked_settings()
    return Architecture.from_dict({**architecture, **{key: settings[key] for key in given}})


def checked_training(training):
    """The :class:`~engine.project.sections.TrainingChoices` of the ``training`` dict, its
    known keys checked (an unset learning rate stays unset; the training windows per
    series of many series a whole number of at least 1, "all", or null for the fit's
    choice)."""
    names = [f.name for f in fields(TrainingSettings)]
    TrainingSettings.from_kwargs(**_known(training, names))
    cap = training.get("windows_per_series")
    if cap not in (None, "all"):
        try:
            positive_int(cap, "windows_per_series")
        except EngineError as error:
            raise EngineError(f"{error} Give the latest N training windows of each series, "
                              "\"all\" for every window, or leave it out for the fit's "
                              "choice.") from None
    return TrainingChoices.from_dict(training)


def checked_selection(selection):
    """The selection section: ``settings`` and ``summary`` objects (or null), the switches
    of the automatic choices true or false, as a
    :class:`~engine.project.sections.SelectionSection`."""
    _object_or_null(selection.get("summary"), "summary")
    _object_or_null(selection.get("backtest"), "backtest")
    for name, value in _object_or_null(selection.get("settings"), "settings").items():
        if name in SELECTION_SWITCHES and not isinstance(value, bool):
            raise EngineError(f"settings.{name} must be true or false; got {value!r}.")
        if name == "forecast_steps" and value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise EngineError(f"settings.forecast_steps must be a whole number of steps, 1 "
                              f"or more (or null); got {value!r}.")
    return SelectionSection.from_dict(selection)


def checked_results(results):
    """The :class:`~engine.project.sections.Results` of the results summary: ``training``,
    ``scores``, ``testing`` and ``intervals`` objects (or null), the stop reason text, and
    per scored part ``targets`` mapping each target to its measures, each a finite number
    or null."""
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
    return Results.from_dict(results)


SECTION_CHECKS = {"data": ("data.config", checked_data),
                  "architecture": ("architecture", checked_architecture),
                  "training": ("training", checked_training),
                  "selection": ("selection", checked_selection),
                  "results": ("results", checked_results)}
"""Section -> (where a message names it, the function that checks and parses it)."""


def checked_sections(document, source="The project", advice="Correct it."):
    """The typed sections of ``document`` (a dict holding the sections ``data``,
    ``architecture``, ``training``, ``selection``, ``results``, each a dict, and perhaps
    other keys): ``{section: parsed section}`` for the sections present, each checked and
    normalised.

    source, advice : how the message names the project and what it advises, e.g. ``"The
        project file /x/p.json"`` and ``"Correct the file."``
    Raises :class:`EngineError` with one line: the section, the setting, what is allowed.
    """
    sections = {}
    for section, (where, check) in SECTION_CHECKS.items():
        if section not in document:
            continue
        try:
            sections[section] = check(document[section])
        except EngineError as error:
            raise EngineError(f"{source} has a wrong setting in "
                              f"{getattr(error, 'where', where)}: {error} "
                              f"{advice}") from None
    return sections


def check_project(project):
    """Raise :class:`EngineError` unless every section of the
    :class:`~engine.project.document.Project` ``project`` can be used, as it is now (it is
    not changed): the same checks as on opening, for changes made since."""
    checked_sections({section: getattr(project, section).to_dict()
                      for section in ("data", "architecture", "training", "selection")})
