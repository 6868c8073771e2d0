"""The sections of a project document as typed records, and their JSON form.

Each section keeps the keys this version does not know in ``extra`` (a newer revision may
have written them) and writes them back after its own; :meth:`to_dict` gives the section
as the project file stores it. The values are checked when a project is opened or saved
(:mod:`engine.project.checks`), not here.
"""

import copy
from dataclasses import dataclass, field, fields, make_dataclass
from enum import Enum

from engine.data.config import DatasetConfig
from engine.errors import EngineError
from engine.training.settings import TrainingSettings


def _split(data, names):
    """``(known, extra)``: the items of ``data`` whose key is in ``names``, and the others."""
    known = {key: value for key, value in data.items() if key in names}
    return known, {key: value for key, value in data.items() if key not in names}


# -- data --------------------------------------------------------------------------------------

TYPED = ("horizon", "lookback")
"""The settings of a table of many series that follow the testing rows until typed."""

@dataclass
class DataSection:
    """The data file and its data-set settings.

    path : the data file as stored (relative to the project's folder with ``/``, or
        absolute); None before one is chosen
    config : the parsed :class:`~engine.data.config.DatasetConfig`; None before one is made
    typed : of a table of many series, the settings of :data:`TYPED` the person typed on
        the data page: they keep their value, where the others follow the testing rows
        (stored only when there are some, as the list is: a file without it typed none);
        names this version does not know (a later version's) are kept as they are and
        change nothing here; new suggestions on the data page clear the list
    extra : keys this version does not know

    as_read : ``(settings dict, DatasetConfig)`` as the file held them: while :attr:`config`
        equals the second, the first is written back (the same keys in the same order), so
        that opening and saving a project gives the same bytes
    """

    path: str | None = None
    config: DatasetConfig | None = None
    typed: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    as_read: tuple | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data, config):
        """The section of the document's ``data`` dict whose ``config`` parsed to
        ``config`` (None for an empty one)."""
        _, extra = _split(data, ("path", "config", "typed"))
        stored = data.get("config") or {}
        as_read = (copy.deepcopy(stored), copy.deepcopy(config)) if config is not None else None
        return cls(path=data.get("path"), config=config, typed=_typed(data.get("typed")),
                   extra=extra, as_read=as_read)

    def config_dict(self):
        """The data-set settings as the document stores them (``{}`` for none)."""
        if self.config is None:
            return {}
        if self.as_read is not None and self.as_read[1] == self.config:
            return copy.deepcopy(self.as_read[0])
        return self.config.to_dict()

    def to_dict(self):
        typed = {"typed": list(self.typed)} if self.typed else {}
        return {"path": self.path, "config": self.config_dict(), **typed, **self.extra}

    def model_dict(self):
        """What a trained model depends on of this section: :meth:`to_dict` without
        ``typed``, which records how the page got its values, not what they are."""
        return {key: value for key, value in self.to_dict().items() if key != "typed"}


def _typed(names):
    """The list ``typed`` of a data section as stored (None: none typed); refused unless
    a list of names (those not of :data:`TYPED` are a later version's: kept as they are)."""
    if names is None:
        return []
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise EngineError(f"typed must list the names of the settings typed by hand, such "
                          f"as {', '.join(TYPED)}, e.g. [\"horizon\"]; got {names!r}.")
    return list(names)


# -- training ----------------------------------------------------------------------------------

class Automatic(Enum):
    """The value of a training setting the person left to the automatic recipe
    (:func:`engine.training.automatic.training_settings`)."""

    AUTOMATIC = "automatic"


AUTOMATIC = Automatic.AUTOMATIC

_TrainingFields = make_dataclass(
    "_TrainingFields",
    [(f.name, object, field(default=AUTOMATIC)) for f in fields(TrainingSettings)])


@dataclass
class TrainingChoices(_TrainingFields):
    """The training settings the person chose: one field per
    :class:`~engine.training.settings.TrainingSettings` field, :data:`AUTOMATIC` where the
    choice is left to the recipe for the number of windows. A value of None is a choice
    (no early stopping for ``patience``, no clipping for ``clip_norm``, the optimizer's own
    rate for ``learning_rate``), not the same as :data:`AUTOMATIC`.

    windows_per_series : the training windows of each series a global fit of many series
        trains on (:attr:`~engine.many.global_model.GlobalSettings.windows_per_series`):
        the latest N (a number of at least 1) or every one (``"all"``); :data:`AUTOMATIC`
        leaves it to the fit's choice. A fit of one series passes it by
        (:data:`~engine.training.automatic.GLOBAL_FIT_ONLY`). ``average_steps`` is the
        weights' average of both fits, None (or 0) turning it off.
    extra : keys this version does not know (a fit refuses them, naming them)
    """

    windows_per_series: object = AUTOMATIC
    extra: dict = field(default_factory=dict)

    def to_dict(self):
        """The chosen settings (those not :data:`AUTOMATIC`) in the order of
        TrainingSettings, then ``windows_per_series``, then :attr:`extra`: the section as
        stored, and the ``overrides`` of
        :func:`~engine.training.automatic.training_settings`."""
        chosen = {name: getattr(self, name) for name in choice_names()}
        return {**{k: v for k, v in chosen.items() if v is not AUTOMATIC}, **self.extra}

    def unset(self, name):
        """Leave the setting ``name`` to the recipe again."""
        setattr(self, name, AUTOMATIC)

    @classmethod
    def from_dict(cls, data):
        """The choices of a ``training`` dict: known keys to fields, others to extra."""
        known, extra = _split(data, set(choice_names()))
        return cls(**known, extra=extra)


def choice_names():
    """The names of the typed fields of :class:`TrainingChoices` in the order a project
    file stores them (:attr:`~TrainingChoices.extra` aside)."""
    return [f.name for f in fields(TrainingChoices) if f.name != "extra"]


# -- selection and results -------------------------------------------------------------------

@dataclass
class SelectionSection:
    """Model selection: what the automatic choices and searches may do, and what they
    found.

    settings : the switches of a fit's automatic choices (``choose_target_transform``,
        ``choose_inputs``, ``choose_lookback``: true or false), the length of the recursive
        forecasts they score (``forecast_steps``) and options of the searches
        (``scheduler``, ...); a plain dict because the commands and pages add options to it
        that the engine only passes on
    summary : what a fit's automatic choices chose, with their trials, and where they
        started (``start``; written by a fit; the next fit starts its choices there,
        :mod:`engine.training.choice_start`)
    search : ``{method: SearchResult dict}`` of the searches run (see
        :mod:`engine.selection.result`); written only once there is one
    backtest : the latest backtest of a project of many series (the dict of
        :func:`engine.many.backtest.backtest_global` with the ``fingerprint`` of the settings
        it ran with, :func:`engine.project.model_status.settings_fingerprint`); written only
        once there is one
    extra : keys this version does not know
    """

    settings: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    search: dict = field(default_factory=dict)
    backtest: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def to_dict(self):
        search = {"search": self.search} if self.search else {}
        backtest = {"backtest": self.backtest} if self.backtest else {}
        return {"settings": self.settings, "summary": self.summary, **search, **backtest,
                **self.extra}

    @classmethod
    def from_dict(cls, data):
        known, extra = _split(data, ("settings", "summary", "search", "backtest"))
        return cls(**{key: value or {} for key, value in known.items()}, extra=extra)


RESULT_PARTS = ("training", "scores", "testing", "intervals", "comparison")


@dataclass
class Results:
    """The summary of the latest fit, each part a plain dict of what the fit reported
    (only shown and compared, never computed with), None before a fit.

    training : :meth:`~engine.training.fitting.FitResult.summary` with the loss history and
        the settings fingerprint of :mod:`engine.project.model_status`
    scores : ``{part: scores dict}`` of the training, selection and testing parts
    testing : where testing starts
    intervals : the prediction intervals from the selection errors
    comparison : the network against the classical comparators on the selection part, with
        the verdict (:func:`engine.testing.verdict.compare_selection`); None in a project
        fitted before there was one
    extra : keys this version does not know
    """

    training: dict | None = None
    scores: dict | None = None
    testing: dict | None = None
    intervals: dict | None = None
    comparison: dict | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self):
        """The parts a fit wrote (None stays out), then :attr:`extra`."""
        parts = {part: getattr(self, part) for part in RESULT_PARTS}
        return {**{k: v for k, v in parts.items() if v is not None}, **self.extra}

    @classmethod
    def from_dict(cls, data):
        known, extra = _split(data, RESULT_PARTS)
        return cls(**known, extra=extra)


# -- model -------------------------------------------------------------------------------------

@dataclass
class ModelSection:
    """The trained model file as stored (see :class:`DataSection`'s path), or None."""

    path: str | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self):
        return {"path": self.path, **self.extra}

    @classmethod
    def from_dict(cls, data):
        _, extra = _split(data, ("path",))
        return cls(path=data.get("path"), extra=extra)
