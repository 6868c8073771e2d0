"""The automatic pipeline's choices: lookback, training recipe, the candidates the automatic
choices try, and a ready project from a data file and a target.

The defaults, and what was measured with them: docs/architecture.md, "Measured defaults":

* z-score scaling per column, fitted on training rows (the data layer's default);
* GRU, 32 units, 1 layer, linear head; lookback by
  :func:`engine.data.statistics.choose_lookback` (the detected period up to
  :data:`~engine.data.statistics.LONGEST_PERIOD_LOOKBACK` rows, else the autocorrelation's
  suggestion within bounds, lengthened to cover the inputs' lag, at most what the
  training rows give enough windows for), the rule the data page's suggestion follows too;
  the steps ahead worth forecasting are suggested in a note
  (:func:`engine.data.statistics.suggest_steps_ahead`), never set;
* Adam, learning rate 3e-3, gradient-norm clipping at 1.0, MSE;
* under :data:`SMALL_DATA_WINDOWS` training windows: batch 32, up to 1000 epochs,
  patience 60; otherwise batch 128, up to 100 epochs, patience 8;
* networks from consecutive seeds averaged (:mod:`engine.network.ensemble`): 5 up to 500
  training windows, 3 up to 2,000, else one (:func:`ensemble_members`);
* a new project's network has a linear path over the window, started at least squares
  (:mod:`engine.training.linear_start`);
* with a testing start (``test_from``), the last 20% of the earlier windows select (early
  stopping, weights kept); without one the windows are split 60/20/20;
* chosen by a rolling-origin backtest of the linear autoregression
  (:mod:`engine.training.linear_choice`): the target transform among "none" (not when a
  target's level drifts and a seasonal difference is a candidate,
  :mod:`engine.data.stationarity`),
  "difference" and "seasonal_difference" at the detected period (and at a longer cycle of
  whole periods when the data hold one, as a week of hourly rows beside the day:
  :func:`engine.data.statistics.longer_cycle`), the inputs among all
  columns and the targets' own history only, and the lookback among the suggestion, half
  and twice it and the period; where no origin leaves room for that backtest, the
  transform and inputs by short trial fits of the network (:mod:`engine.training.trials`).
"""

import os
from dataclasses import dataclass

from engine.data import CsvOptions, SplitSettings, default_config, load_table, statistics
from engine.data.pipeline import check_values
from engine.data.csv_reader import refuse_ambiguous
from engine.data.missing import made_up_note
from engine.data.statistics import (history_table, lookback_suggestion,
                                    suggest_steps_ahead, table_training_rows)
from engine.errors import EngineError
from engine.network.validation import hidden_units, whole_number
from engine.project.document import new_project
from engine.training.settings import DEFAULT_LEARNING_RATES, check_most_members
from engine.words import counted

SMALL_DATA_WINDOWS = 5000
TRANSFORMS = ("none", "difference", "seasonal_difference")
INPUT_CHOICES = ("all", "own")
SPLIT_WITH_TEST_FROM = (0.8, 0.2, 0.0)
SPLIT_WITHOUT_TEST_FROM = (0.6, 0.2, 0.2)
TRIAL_MAX_WINDOWS = 4000          # trial fits on large data use the latest windows only
TRIAL_SELECTION_WINDOWS = 2000
ENSEMBLE_RULE = ((500, 5), (2000, 3))   # up to this many training windows: networks averaged


def training_recipe(n_windows):
    """Training settings (a dict of :class:`~engine.training.settings.TrainingSettings` fields) for
    ``n_windows`` training windows; the learning rate is the optimizer's own (see
    :func:`training_settings`)."""
    recipe = {"loss": "mse", "optimizer": "adam", "clip_norm": 1.0,
              "members": ensemble_members(n_windows)}
    if is_large_data(n_windows):
        recipe.update(batch_size=128, max_epochs=100, patience=8)
    else:
        recipe.update(batch_size=32, max_epochs=1000, patience=60)
    return recipe


def ensemble_members(n_windows):
    """Networks averaged for ``n_windows`` training windows (:data:`ENSEMBLE_RULE`): 5 up
    to 500, 3 up to 2,000, else 1. Short data is where one network varies most from seed
    to seed, and where each network trains fastest."""
    for most, members in ENSEMBLE_RULE:
        if n_windows <= most:
            return members
    return 1


def is_large_data(n_windows):
    """True from :data:`SMALL_DATA_WINDOWS` training windows on: larger batches, fewer
    epochs, less patience."""
    return n_windows >= SMALL_DATA_WINDOWS


GLOBAL_FIT_ONLY = ("windows_per_series",)
"""Settings of a project's ``training`` section that only the global fit of many series
reads (:attr:`engine.project.sections.TrainingChoices.windows_per_series`): a fit of one
series, after the series role was taken back, passes them by and the section keeps them
for when it is given again."""


def training_settings(overrides, n_windows):
    """The training settings a fit of ``n_windows`` training windows uses: the settings the
    person chose (``overrides``, a project's ``training`` section, less
    :data:`GLOBAL_FIT_ONLY`) over :func:`training_recipe`; an unset learning rate (absent or
    None) is the chosen optimizer's own default
    (:data:`engine.training.settings.DEFAULT_LEARNING_RATES`). The training page shows these
    values, the fit runs them, the command line quotes them."""
    chosen = {k: v for k, v in (overrides or {}).items() if k not in GLOBAL_FIT_ONLY}
    settings = {**training_recipe(n_windows), **chosen}
    if settings.get("learning_rate") is None:
        settings["learning_rate"] = DEFAULT_LEARNING_RATES.get(settings["optimizer"])
    return settings


def trial_recipe(settings, n_windows):
    """The settings of a short trial fit: ``settings`` with fewer epochs and less patience
    (about a third of a full fit; enough to rank the candidates)."""
    trial = dict(settings, members=1)
    if n_windows < SMALL_DATA_WINDOWS:
        trial["max_epochs"] = min(trial.get("max_epochs", 1000), 300)
        trial["patience"] = min(trial.get("patience") or 60, 25)
    else:
        trial["max_epochs"] = min(trial.get("max_epochs", 100), 20)
        trial["patience"] = min(trial.get("patience") or 8, 4)
    return trial


def transform_candidates(period, n_rows, level_drifts=False):
    """Target transforms worth a trial: none, differences, and seasonal differences when a
    period was detected and the file holds at least four periods. With seasonal
    differences, none is left out when the target's level drifts
    (:mod:`engine.data.stationarity`); without a season it stays (measured:
    docs/architecture.md, "Target transform, inputs and lookback")."""
    seasonal = bool(period and period >= 2 and n_rows >= 4 * period)
    candidates = ["difference"] if level_drifts and seasonal else ["none", "difference"]
    return candidates + ["seasonal_difference"] if seasonal else candidates


def own_history_only(config):
    """A copy of a :class:`~engine.data.DatasetConfig` in which only the targets' own past
    is an input: every other input becomes unused."""
    roles = {v.name: "unused" for v in config.variables if v.role == "input"}
    return config.with_roles(**roles) if roles else config


def input_candidates(config):
    """``["all", "own"]`` when the targets are also inputs and there are other inputs,
    else ``["all"]``."""
    own = any(v.role == "input_target" for v in config.variables)
    others = any(v.role == "input" for v in config.variables)
    return ["all", "own"] if own and others else ["all"]


@dataclass
class AutomaticChoices:
    """What the person chose for :func:`automatic_project`; None leaves it to the
    automatic pipeline.

    data_path : the CSV file (a path); targets : the columns to predict (a list, or one
        name)
    inputs : names of the other input columns (None: all numeric columns, and the trial
        fits choose between them and the targets' own history only)
    time_column : the time column (None: detected; False: none, the rows in file order)
    lookback : window length (None: :func:`engine.data.statistics.choose_lookback`);
    horizon : steps ahead
    test_from : where testing starts (row number, date or year); None: the last 20%
    split : (training, selection, testing) shares; None: :data:`SPLIT_WITH_TEST_FROM` or
        :data:`SPLIT_WITHOUT_TEST_FROM`
    cell, hidden_sizes, seed : the architecture (``hidden_sizes`` a list of units per
        layer, or one number for one layer); max_epochs : the training's maximum
    members : the networks averaged (the training page's **Networks averaged**, kept in
        the project's ``training`` section); None: :func:`ensemble_members` of the training
        windows
    folder : the project file's folder (relative data path); None: the data file's folder
    name : the project's name; None: the data file's name
    forecast_steps : the length of the recursive forecasts the person wants; the
        backtest of the choices scores forecasts at least that long (None: a season,
        else 12, or the horizon)
    csv : how the file is written, ``{option: value}`` of
        :data:`~engine.data.csv_reader.FORMAT_KEYS` (e.g. ``{"delimiter": ";", "header":
        False}``, as ``fit --delimiter ; --no-header`` gives); None or ``{}``: detected
    """

    data_path: object
    targets: list
    inputs: list | None = None
    time_column: str | bool | None = None
    lookback: int | None = None
    horizon: int = 1
    test_from: object = None
    split: tuple | None = None
    cell: str | None = None
    hidden_sizes: list | None = None
    max_epochs: int | None = None
    members: int | None = None
    seed: int | None = None
    folder: object = None
    name: str | None = None
    forecast_steps: int | None = None
    csv: dict | None = None

    def __post_init__(self):
        self.check()

    def check(self):
        """Raise :class:`EngineError` naming the first argument that cannot be used: the
        data a path (text or :class:`os.PathLike`), the numbers whole (text such as
        ``"12"`` and fractions such as ``12.7`` are refused, never rounded) and in range.
        One target's name as text becomes a list of one, ``hidden_sizes`` of one number a
        list of one layer."""
        if not isinstance(self.data_path, (str, os.PathLike)):
            raise EngineError(f"data_path must be the path of a CSV file (text or a "
                              f"pathlib.Path); got a {type(self.data_path).__name__}. Save "
                              "a table first, e.g. frame.to_csv(\"data.csv\", index=False), "
                              "and give its path.")
        if isinstance(self.targets, str):          # one column's name, not its letters
            self.targets = [self.targets]
        whole_number(self.horizon, "horizon")
        for name, least in (("lookback", 1), ("max_epochs", 1), ("members", 1), ("seed", 0),
                            ("forecast_steps", 1)):
            if getattr(self, name) is not None:
                whole_number(getattr(self, name), name, least)
        if self.members is not None:
            check_most_members(self.members)
        if self.hidden_sizes is not None:
            self.hidden_sizes = hidden_units(self.hidden_sizes)


def none_or_detected(time_column):
    """A time column as CSV options take it: its name, False for none, None (also for "")
    to detect one."""
    return False if time_column is False else time_column or None


def automatic_project(choices):
    """A project for ``choices`` (:class:`AutomaticChoices`) with the automatic defaults.

    Returns ``(project, notes)``: notes is a list of plain sentences on what was chosen.
    Targets are also inputs (their own past) unless the horizon is 0.
    """
    choices.check()
    targets = list(choices.targets or [])
    if not targets:
        raise EngineError("Choose the column(s) to predict: targets, e.g. [\"sales\"].")
    options = CsvOptions.from_dict({**(choices.csv or {}),
                                    "time_column": none_or_detected(choices.time_column)})
    table = load_table(choices.data_path, options)
    horizon = int(choices.horizon)
    config = _dataset_config(table, targets, choices.inputs, horizon)
    notes = table.notes
    if choices.time_column is False:        # read says nothing of series when told no time
        notes += [note for note in [_panel_note(table, choices.data_path)] if note]
    split = choices.split
    if split is None:
        split = SPLIT_WITH_TEST_FROM if choices.test_from is not None else \
            SPLIT_WITHOUT_TEST_FROM
    config.split = SplitSettings(fractions=tuple(split), test_from=choices.test_from)
    check_values(table, config)
    config.period = statistics(history_table(table, config), config)["period"]
    config.lookback = _lookback(choices.lookback, table, config, notes)
    notes.append(_steps_ahead_note(table, config.period, horizon))
    notes += [note for note in [made_up_note(table, config)] if note]
    return _project(choices, config), notes


def _panel_note(table, source):
    """:func:`~engine.data.column_types.several_series_note` of ``table``, read without a
    time column, naming the data file ``source`` (DATA.csv for a frame given in Python)."""
    from engine.data.column_types import several_series_note

    path = source if isinstance(source, (str, os.PathLike)) else None
    return several_series_note(table.frame, "command_line", path)


def _dataset_config(table, targets, inputs, horizon):
    """The data-set configuration of ``targets`` (inputs too unless ``horizon`` is 0) and
    the ``inputs`` (None: every column the defaults make an input); lookback 1 for now."""
    refuse_ambiguous(table.frame, targets, "target column")
    refuse_ambiguous(table.frame, inputs or [], "input column")
    names = [c.name for c in table.columns]
    for column in list(inputs or []):
        if column not in names:
            raise EngineError(f"Unknown input column {column!r}; the file's columns are: "
                              f"{', '.join(map(repr, names))}.")
    role = "input_target" if horizon >= 1 else "target"
    config = default_config(table, targets, target_role=role, lookback=1, horizon=horizon)
    if inputs is None:
        return config
    wanted = set(inputs)
    for column in inputs:
        if config.variable(column).type not in ("numeric", "binary", "categorical"):
            raise EngineError(f"Column {column!r} holds {config.variable(column).type} "
                              "values, so it cannot be an input; choose numeric or "
                              "categorical columns.")
    return config.with_roles(**{v.name: ("input" if v.name in wanted else "unused")
                                for v in config.variables
                                if v.role in ("input", "unused") and v.type != "datetime"
                                and v.name not in targets})


def _lookback(lookback, table, config, notes):
    """The person's ``lookback``, else the data page's suggestion
    (:func:`~engine.data.statistics.lookback_suggestion` for the first target, the numeric
    inputs and the training rows of ``config``'s split, read on the rows before the testing
    part) with its reason as a note; refused
    when the file is too short for it and the horizon."""
    n_rows, horizon = len(table.frame), int(config.horizon)
    if lookback is None:
        inputs = [v.name for v in config.inputs if v.type in ("numeric", "binary")]
        lookback, why, _ = lookback_suggestion(
            history_table(table, config).frame, config.targets[0].name, inputs,
            table_training_rows(table, config), max(horizon, 1), config.period,
            table.time_step())
        notes.append(f"Lookback {lookback} ({why}).")
    if lookback + horizon > n_rows // 2:
        raise EngineError(f"Too few rows for a lookback of {lookback} and a horizon of "
                          f"{horizon}: the file has {n_rows} rows, and training needs many "
                          f"windows of {lookback + horizon} rows. Use a lookback of at most "
                          f"{max(n_rows // 4, 1)}, or more rows.")
    return lookback


def _steps_ahead_note(table, period, horizon):
    """The note on the steps ahead worth forecasting
    (:func:`~engine.data.statistics.suggest_steps_ahead`); the fit keeps ``horizon``."""
    times = table.frame[table.time_column] if table.time_column else None
    steps, why = suggest_steps_ahead(len(table.frame), table.time_step(), period, times)
    return (f"Suggested steps ahead: {steps} ({why}); this fit predicts "
            f"{counted(horizon, 'step')} ahead (--horizon).")


def _project(choices, config):
    """The new project of ``config`` with the person's architecture and training choices
    and the trial fits the automatic pipeline makes."""
    data_path = choices.data_path
    project = new_project(choices.name or os.path.splitext(os.path.basename(str(data_path)))[0],
                          choices.folder or os.path.dirname(os.path.abspath(data_path)))
    project.set_data_file(os.path.abspath(data_path))
    project.data.config = config
    if choices.cell is not None:
        project.architecture.cell = choices.cell
    if choices.hidden_sizes is not None:
        project.architecture.hidden_sizes = hidden_units(choices.hidden_sizes)
    if choices.seed is not None:
        project.architecture.seed = int(choices.seed)
    if choices.max_epochs is not None:
        project.training.max_epochs = int(choices.max_epochs)
    if choices.members is not None:
        project.training.members = int(choices.members)
    project.selection.settings = automatic_settings(
        config, inputs_given=choices.inputs is not None,
        lookback_given=choices.lookback is not None)
    set_forecast_steps(project, choices.forecast_steps)
    return project


def automatic_settings(config, inputs_given=False, lookback_given=False):
    """The switches of the automatic choices a new project of one series starts with
    (``selection.settings``), on the command line and on the pages alike: the target
    transform always, the lookback unless the person gave one, the inputs (all of them
    or the targets' own past only) when there is that choice and the person did not
    name them."""
    return {"choose_target_transform": True,
            "choose_inputs": not inputs_given and len(input_candidates(config)) > 1,
            "choose_lookback": not lookback_given}


def set_forecast_steps(project, steps):
    """Keep ``steps`` (``fit --forecast-steps``; None: nothing) in ``project``'s
    ``selection.settings``: the automatic choices, the linear share and the project's
    backtest then score recursive forecasts at least that long."""
    if steps is None:
        return
    project.selection.settings["forecast_steps"] = whole_number(
        steps, "forecast_steps (the length of the forecasts to score)", 1)
