"""The data-set configuration a person edits: how to read the file, what each column is for,
how missing values and scales are handled, the target transform, the window and the split.

It converts to and from a plain JSON-able dict (the project document stores it)::

    {"format": "rnn-studio.dataset", "version": 1,
     "csv": {"delimiter": ",", "decimal": ".", "header": true, "encoding": "utf-8",
             "time_column": "month"},
     "variables": [{"name": "month", "role": "time", "type": "datetime", "scaler": "none"},
                   {"name": "passengers", "role": "input_target", "type": "numeric",
                    "scaler": "standard"}],
     "missing": "interpolate", "target_transform": "seasonal_difference", "period": 12,
     "lookback": 12, "horizon": 1,
     "split": {"method": "chronological", "fractions": [0.6, 0.2, 0.2],
               "test_from": null, "seed": 0}}
"""

from dataclasses import dataclass, field, replace

import numpy as np

from engine.errors import EngineError
from engine.network.validation import finite_number, positive_int, whole_number
from engine.data.column_types import TYPES, not_a_target
from engine.data.csv_reader import CsvOptions

ROLES = ("input", "target", "input_target", "time", "series", "unused")
SCALERS = ("standard", "minmax", "none", "log")
MISSING = ("interpolate", "mean", "median", "drop")
TRANSFORMS = ("none", "difference", "seasonal_difference", "log", "log_difference",
              "log_seasonal_difference")
SPLITS = ("chronological", "random")
FORMAT = "rnn-studio.dataset"
VERSION = 1
CONFIG_KEYS = ("format", "version", "csv", "variables", "missing", "target_transform",
               "period", "lookback", "horizon", "split")
VARIABLE_KEYS = ("name", "role", "type", "scaler")
SPLIT_KEYS = ("method", "fractions", "test_from", "seed", "test_last")
RANDOM_SPLIT_ADVICE = ("No step sets the split's method: close the project, set \"method\" "
                       "to \"chronological\" in the \"split\" of its file's data set "
                       "settings, and open it again.")
"""What a message on a random split that cannot be used advises, in the pages' words: no
page sets the split's method, only a project file (or the Python API) does; the command
line names the file (:func:`random_split_file_advice`)."""


def random_split_file_advice(project):
    """:data:`RANDOM_SPLIT_ADVICE` in the command line's words, naming the project file
    ``project`` (as the command line was given it)."""
    return (f"Set \"method\" to \"chronological\" in the \"split\" of the data set "
            f"settings of {project}.")


def _choice(value, options, what):
    if value not in options:
        raise EngineError(f"Unknown {what} {value!r}; choose one of: {', '.join(options)}.")
    return value


def _mapping(data, what, keys):
    """Raise unless ``data`` is a dict whose keys are all among ``keys``."""
    if not isinstance(data, dict):
        raise EngineError(f"{what.capitalize()} must be a JSON object with the keys "
                          f"{', '.join(keys)}; got {data!r}.")
    unknown = [key for key in data if key not in keys]
    if unknown:
        raise EngineError(f"Unknown key(s) {', '.join(map(repr, unknown))} in {what}; the "
                          f"keys are: {', '.join(keys)}.")
    return data


@dataclass
class VariableSpec:
    """One column: its ``role`` (input, target, input_target, time, series: the column that
    names the series of a table of many, unused), its ``type``
    (see :mod:`engine.data.column_types`) and its ``scaler`` (standard = mean/standard
    deviation, minmax, none, log)."""

    name: str
    role: str = "input"
    type: str = "numeric"
    scaler: str = "standard"

    def __post_init__(self):
        _choice(self.role, ROLES, f"role of {self.name!r}")
        _choice(self.type, TYPES, f"type of {self.name!r}")
        _choice(self.scaler, SCALERS, f"scaler of {self.name!r}")

    @property
    def is_input(self):
        return self.role in ("input", "input_target")

    @property
    def is_target(self):
        return self.role in ("target", "input_target")

    def to_dict(self):
        return {"name": self.name, "role": self.role, "type": self.type,
                "scaler": self.scaler}


@dataclass
class SplitSettings:
    """How windows are divided into training, selection and testing.

    method : "chronological" (in time order, with a purge gap; see
        :mod:`engine.data.splits`) or "random" (seeded shuffle; only for data that is not a
        series)
    fractions : shares of the windows (training, selection, testing), summing to 1
    test_from : testing starts at this data row (an int, 0-based, header not counted) or at
        this date/year of the time column (a string or number that parses as one); the
        windows before it are split between training and selection in the ratio of the
        first two fractions
    seed : the random split's seed
    test_last : in a table of many series (a column of role "series"), the last this many
        rows of every series are its testing part (0: none); None: the steps ahead
    """

    method: str = "chronological"
    fractions: tuple = (0.6, 0.2, 0.2)
    test_from: object = None
    seed: int = 0
    test_last: int | None = None

    def __post_init__(self):
        _choice(self.method, SPLITS, "split method")
        if not isinstance(self.fractions, (list, tuple)) or len(self.fractions) != 3:
            raise EngineError(f"The split fractions {self.fractions!r} must be a list of "
                              "three shares (training, selection, testing), e.g. "
                              "[0.6, 0.2, 0.2].")
        fractions = tuple(finite_number(f, "Each split fraction") for f in self.fractions)
        whole_number(self.seed, "The split seed")
        if self.test_last is not None:
            whole_number(self.test_last, "The testing rows of every series (test_last)")
        if min(fractions) < 0 or abs(sum(fractions) - 1) > 1e-9 or fractions[0] <= 0:
            raise EngineError(f"The split fractions {list(self.fractions)} must be three "
                              "non-negative shares (training, selection, testing) that add "
                              "up to 1, with some training, e.g. [0.6, 0.2, 0.2].")
        self.fractions = fractions

    def to_dict(self):
        test_from = self.test_from
        if hasattr(test_from, "isoformat"):
            test_from = test_from.isoformat()
        elif hasattr(test_from, "item"):
            test_from = test_from.item()
        stored = {"method": self.method, "fractions": list(self.fractions),
                  "test_from": test_from, "seed": int(self.seed)}
        if self.test_last is not None:
            stored["test_last"] = int(self.test_last)
        return stored


@dataclass
class DatasetConfig:
    """Everything needed to turn a CSV file into windows; see the module docstring for
    its dict form. ``period`` is the seasonal period (rows) of seasonal differences;
    ``lookback`` (rows a window reads, at least 1), ``horizon`` (steps ahead, 0 or more) and
    ``period`` (None, or at least 1) are whole numbers (:meth:`check`)."""

    csv: CsvOptions = field(default_factory=CsvOptions)
    variables: list = field(default_factory=list)
    missing: str = "interpolate"
    target_transform: str = "none"
    period: int | None = None
    lookback: int = 10
    horizon: int = 1
    split: SplitSettings = field(default_factory=SplitSettings)

    def __post_init__(self):
        _choice(self.missing, MISSING, "missing-value method")
        _choice(self.target_transform, TRANSFORMS, "target transform")
        named = [v.name for v in self.variables if v.role == "series"]
        if len(named) > 1:
            raise EngineError(f"Only one column can name the series; "
                              f"{', '.join(map(repr, named))} have the role \"series\". "
                              "Give the others another role.")
        self.check()

    def check(self):
        """Raise :class:`EngineError` unless ``lookback``, ``horizon`` and ``period`` are
        whole numbers in their ranges (see the class): text such as ``"12"`` and numbers
        such as ``12.5`` are refused, not rounded; also for a field set after the
        configuration was made."""
        positive_int(self.lookback, "lookback")
        whole_number(self.horizon, "horizon")
        if self.period is not None:
            positive_int(self.period, "period")

    # -- views -----------------------------------------------------------------------------
    def variable(self, name):
        for spec in self.variables:
            if spec.name == name:
                return spec
        raise EngineError(f"Unknown variable {name!r}; the variables are: "
                          f"{', '.join(v.name for v in self.variables)}.")

    @property
    def inputs(self):
        return [v for v in self.variables if v.is_input]

    @property
    def targets(self):
        return [v for v in self.variables if v.is_target]

    @property
    def time_column(self):
        times = [v.name for v in self.variables if v.role == "time"]
        return times[0] if times else None

    @property
    def series_column(self):
        """The column that names the series of a table of many (role "series"), or None
        for one series."""
        named = [v.name for v in self.variables if v.role == "series"]
        return named[0] if named else None

    @property
    def test_last(self):
        """The testing rows at the end of every series of a table of many: the split's
        ``test_last``, else the steps ahead."""
        test_last = self.split.test_last
        return int(self.horizon if test_last is None else test_last)

    def with_roles(self, **roles):
        """A copy with some roles changed: ``config.with_roles(passengers="input_target")``."""
        variables = [replace(v, role=roles.pop(v.name)) if v.name in roles else v
                     for v in self.variables]
        if roles:
            raise EngineError(f"Unknown variable(s) {', '.join(map(repr, roles))}; the "
                              f"variables are: {', '.join(v.name for v in self.variables)}.")
        return replace(self, variables=variables)

    # -- serialization ---------------------------------------------------------------------
    def to_dict(self):
        """A plain JSON-able dict."""
        return {"format": FORMAT, "version": VERSION, "csv": self.csv.to_dict(),
                "variables": [v.to_dict() for v in self.variables],
                "missing": self.missing, "target_transform": self.target_transform,
                "period": _stored(self.period), "lookback": _stored(self.lookback),
                "horizon": _stored(self.horizon),
                "split": self.split.to_dict()}

    @classmethod
    def from_dict(cls, data):
        """The configuration from :meth:`to_dict`'s dict (missing keys take defaults).

        Every value is checked (type, range, spelling) and unknown keys are refused, so that
        a misspelt setting is never silently ignored; :class:`EngineError` names the setting,
        its value and what is allowed.
        """
        _mapping(data, "the data-set settings", CONFIG_KEYS)
        if data.get("format", FORMAT) != FORMAT:
            raise EngineError(f"These are not data-set settings (format "
                              f"{data.get('format')!r}, expected {FORMAT!r}).")
        version = positive_int(data.get("version", VERSION), "The data-set settings' version")
        if version > VERSION:
            raise EngineError(f"These data-set settings are of a newer version "
                              f"({version}); update RNN Studio to read them.")
        variables = data.get("variables", [])
        if not isinstance(variables, list):
            raise EngineError(f"variables must be a list of columns; got {variables!r}.")
        variables = [_variable(v, k + 1) for k, v in enumerate(variables)]
        names = [v.name for v in variables]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise EngineError(f"The variable(s) {', '.join(map(repr, twice))} are listed more "
                              "than once; list every column once.")
        period = data.get("period")
        return cls(csv=CsvOptions.from_dict(data.get("csv", {})), variables=variables,
                   missing=data.get("missing", "interpolate"),
                   target_transform=data.get("target_transform", "none"),
                   period=None if period is None else positive_int(period, "period"),
                   lookback=positive_int(data.get("lookback", 10), "lookback"),
                   horizon=whole_number(data.get("horizon", 1), "horizon"),
                   split=_split(data.get("split", {})))


def _stored(value):
    """A whole number as a plain int for the dict form; anything else as it is, so that
    :meth:`DatasetConfig.from_dict` refuses it rather than a rounding hiding it."""
    is_whole = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    return int(value) if is_whole else value


def _variable(data, number):
    """A :class:`VariableSpec` from the dict of the ``number``-th variable (from 1)."""
    _mapping(data, f"variable {number}", VARIABLE_KEYS)
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise EngineError(f"Variable {number} needs a name (the column's name as text); got "
                          f"{name!r}.")
    return VariableSpec(**data)


def _split(data):
    """:class:`SplitSettings` from its dict, ``test_from`` checked (see the class)."""
    _mapping(data, "split", SPLIT_KEYS)
    test_from = data.get("test_from")
    if isinstance(test_from, dict) and set(test_from) == {"row"}:
        whole_number(test_from["row"], "split.test_from.row")
    elif not (test_from is None or (isinstance(test_from, str) and test_from.strip())):
        try:
            finite_number(test_from, "split.test_from")
        except EngineError:
            raise EngineError(f"split.test_from must be empty (null), a data row, a date or "
                              f"a year; got {test_from!r}.") from None
    return SplitSettings(**data)


def default_variables(columns, time_column=None, targets=(), target_role="input_target"):
    """Default roles for the :class:`ColumnInfo` list ``columns``: the time column ``time``;
    numeric and binary columns ``input``; categorical columns ``input`` (one-hot);
    constant, text and other date columns ``unused``, and so are the year and the quarter
    (month) that the time column is built from; the names in ``targets`` get
    ``target_role`` (``input_target``: the target's own past is an input, or ``target``).

    Scalers: ``standard`` for numeric columns, ``none`` for the others.
    """
    _choice(target_role, ("target", "input_target"), "target role")
    names = [c.name for c in columns]
    unknown = [t for t in targets if t not in names]
    if unknown:
        raise EngineError(f"Unknown target column(s) {', '.join(map(repr, unknown))}; the "
                          f"columns are: {', '.join(map(repr, names))}.")
    if time_column in targets:
        raise EngineError(f"Column {time_column!r} is the time column, so it cannot be the "
                          "target too; choose another target, or another time column "
                          "(--time COL).")
    specs = []
    for info in columns:
        if info.name == time_column:
            role = "time"
        elif info.type in ("numeric", "binary", "categorical") and not info.time_part:
            role = "input"
        else:
            role = "unused"
        if info.name in targets:
            if info.type not in ("numeric", "binary"):
                raise EngineError(not_a_target(info.name, info.type, [info]))
            role = target_role
        scaler = "standard" if info.type == "numeric" else "none"
        specs.append(VariableSpec(info.name, role, info.type, scaler))
    return specs
