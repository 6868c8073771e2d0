"""The automatic pipeline's choices: lookback, training recipe, the candidates that short
trial fits choose between, and a ready project from a data file and a target.

The defaults, and what was measured with them: docs/architecture.md, "Measured defaults":

* z-score scaling per column, fitted on training rows (the data layer's default);
* GRU, 32 units, 1 layer, linear head; lookback = the detected period (up to
  :data:`MAX_PERIOD_LOOKBACK` rows), else the partial-autocorrelation order, at least
  :data:`MIN_LOOKBACK`;
* Adam, learning rate 3e-3, gradient-norm clipping at 1.0, MSE;
* under :data:`SMALL_DATA_WINDOWS` training windows: batch 32, up to 1000 epochs,
  patience 60; otherwise batch 128, up to 100 epochs, patience 8;
* with a testing start (``test_from``), the last 20% of the earlier windows select (early
  stopping, weights kept); without one the windows are split 60/20/20;
* chosen by trial fits (:mod:`engine.training.trials`): the target transform among "none",
  "difference" and "seasonal_difference" at the detected period, and the inputs among all
  columns and the target's own history only.
"""

from engine.data import SplitSettings, default_config, load_table, statistics
from engine.errors import EngineError
from engine.project.document import new_project
from engine.training.loop import DEFAULT_LEARNING_RATES

SMALL_DATA_WINDOWS = 5000
MAX_PERIOD_LOOKBACK = 60
MIN_LOOKBACK = 12
MAX_LOOKBACK = 48
TRANSFORMS = ("none", "difference", "seasonal_difference")
INPUT_CHOICES = ("all", "own")
SPLIT_WITH_TEST_FROM = (0.8, 0.2, 0.0)
SPLIT_WITHOUT_TEST_FROM = (0.6, 0.2, 0.2)
TRIAL_MAX_WINDOWS = 4000          # trial fits on large data use the latest windows only
TRIAL_SELECTION_WINDOWS = 2000


def training_recipe(n_windows):
    """Training settings (a dict of :class:`~engine.training.loop.TrainingSettings` fields) for
    ``n_windows`` training windows; the learning rate is the optimizer's own (see
    :func:`training_settings`)."""
    recipe = {"loss": "mse", "optimizer": "adam", "clip_norm": 1.0}
    if is_large_data(n_windows):
        recipe.update(batch_size=128, max_epochs=100, patience=8)
    else:
        recipe.update(batch_size=32, max_epochs=1000, patience=60)
    return recipe


def is_large_data(n_windows):
    """True from :data:`SMALL_DATA_WINDOWS` training windows on: larger batches, fewer
    epochs, less patience."""
    return n_windows >= SMALL_DATA_WINDOWS


def training_settings(overrides, n_windows):
    """The training settings a fit of ``n_windows`` training windows uses: the settings the
    person chose (``overrides``, a project's ``training`` section) over
    :func:`training_recipe`; an unset learning rate (absent or None) is the chosen
    optimizer's own default (:data:`engine.training.loop.DEFAULT_LEARNING_RATES`). The training
    page shows these values, the fit runs them, the command line quotes them."""
    settings = {**training_recipe(n_windows), **(overrides or {})}
    if settings.get("learning_rate") is None:
        settings["learning_rate"] = DEFAULT_LEARNING_RATES.get(settings["optimizer"])
    return settings


def trial_recipe(settings, n_windows):
    """The settings of a short trial fit: ``settings`` with fewer epochs and less patience
    (about a third of a full fit; enough to rank the candidates)."""
    trial = dict(settings)
    if n_windows < SMALL_DATA_WINDOWS:
        trial["max_epochs"] = min(trial.get("max_epochs", 1000), 300)
        trial["patience"] = min(trial.get("patience") or 60, 25)
    else:
        trial["max_epochs"] = min(trial.get("max_epochs", 100), 20)
        trial["patience"] = min(trial.get("patience") or 8, 4)
    return trial


def choose_lookback(report):
    """``(lookback, reason)`` from a :func:`engine.data.statistics` report.

    The detected period when it is at most :data:`MAX_PERIOD_LOOKBACK` rows (the window sees
    one whole cycle), else the suggested (partial-autocorrelation) lookback, at least
    :data:`MIN_LOOKBACK` and at most :data:`MAX_LOOKBACK`.
    """
    period = report.get("period")
    if period and 2 <= period <= MAX_PERIOD_LOOKBACK:
        return int(period), f"the detected period of {period} rows"
    suggested = int(report.get("suggested_lookback") or 1)
    lookback = min(max(suggested, MIN_LOOKBACK), MAX_LOOKBACK)
    why = "no period detected" if not period else f"the period of {period} rows is long"
    return lookback, f"{why}; the autocorrelation suggests {suggested}"


def transform_candidates(period, n_rows):
    """Target transforms worth a trial: none, differences, and seasonal differences when a
    period was detected and the file holds at least four periods."""
    candidates = ["none", "difference"]
    if period and period >= 2 and n_rows >= 4 * period:
        candidates.append("seasonal_difference")
    return candidates


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


def parse_split(text):
    """``"60,20,20"`` or ``"0.6,0.2,0.2"`` -> (0.6, 0.2, 0.2)."""
    try:
        parts = [float(p) for p in str(text).split(",")]
    except ValueError:
        raise EngineError(f"The split {text!r} is not three numbers; give training, "
                          "selection and testing shares such as 60,20,20.") from None
    if len(parts) != 3 or min(parts) < 0 or sum(parts) <= 0:
        raise EngineError(f"The split {text!r} must be three shares (training, selection, "
                          "testing) such as 60,20,20.")
    total = sum(parts)
    if abs(total - 1) > 1e-6 and abs(total - 100) > 1e-6:
        raise EngineError(f"The split {text!r} adds up to {total:g}; the three shares must "
                          "add up to 100 (or to 1).")
    return tuple(p / total for p in parts)


def parse_when(text):
    """A ``--test-from``/``--from`` value: a whole number stays a number (a row, or a year
    of the time column), anything else is text (a date)."""
    if isinstance(text, str) and text.strip().lstrip("-").isdigit():
        return int(text.strip())
    return text


def automatic_project(data_path, targets, inputs=None, time_column=None, lookback=None,
                      horizon=1, test_from=None, split=None, cell=None, hidden_sizes=None,
                      max_epochs=None, seed=None, folder=None, name=None):
    """A project for ``data_path`` predicting ``targets`` with the automatic defaults.

    inputs : names of the other input columns (None: all numeric columns, and the trial
        fits choose between them and the targets' own history only)
    time_column : the time column (None: detected)
    lookback : window length (None: :func:`choose_lookback`)
    test_from : where testing starts (row number, date or year); None: the last 20%
    split : (training, selection, testing) shares; None: :data:`SPLIT_WITH_TEST_FROM` or
        :data:`SPLIT_WITHOUT_TEST_FROM`
    folder : the project file's folder (relative data path); None: the data file's folder

    Returns ``(project, notes)``: notes is a list of plain sentences on what was chosen.
    Targets are also inputs (their own past) unless the horizon is 0.
    """
    import os

    from engine.data import CsvOptions
    from engine.data.csv_reader import refuse_ambiguous

    targets = list(targets or [])
    if not targets:
        raise EngineError("Choose the column to predict with --target COLUMN.")
    options = CsvOptions(time_column=time_column) if time_column else None
    table = load_table(data_path, options)
    refuse_ambiguous(table.frame, targets, "target column")
    refuse_ambiguous(table.frame, inputs or [], "input column")
    names = [c.name for c in table.columns]
    for column in list(inputs or []):
        if column not in names:
            raise EngineError(f"Unknown input column {column!r}; the file's columns are: "
                              f"{', '.join(map(repr, names))}.")
    horizon = int(horizon)
    role = "input_target" if horizon >= 1 else "target"
    config = default_config(table, targets, target_role=role, lookback=1, horizon=horizon)
    notes = table.notes
    if inputs is not None:
        wanted = set(inputs)
        for column in inputs:
            if config.variable(column).type not in ("numeric", "binary", "categorical"):
                raise EngineError(f"Column {column!r} holds "
                                  f"{config.variable(column).type} values, so it cannot be "
                                  "an input; choose numeric or categorical columns.")
        config = config.with_roles(**{v.name: ("input" if v.name in wanted else "unused")
                                      for v in config.variables
                                      if v.role in ("input", "unused") and v.type != "datetime"
                                      and v.name not in targets})
    report = statistics(table, config)
    period = report["period"]
    if lookback is None:
        lookback, why = choose_lookback(report)
        if lookback > max(len(table.frame) // 4, 1):
            lookback = max(len(table.frame) // 4, 1)
            why += f"; shortened to a quarter of the {len(table.frame)} rows"
        notes.append(f"Lookback {lookback} ({why}).")
    else:
        lookback = int(lookback)
        if lookback < 1:
            raise EngineError(f"The lookback must be at least 1 step; got {lookback}.")
    if lookback + horizon > len(table.frame) // 2:
        raise EngineError(f"Too few rows for a lookback of {lookback} and a horizon of "
                          f"{horizon}: the file has {len(table.frame)} rows, and training "
                          f"needs many windows of {lookback + horizon} rows. Use a lookback "
                          f"of at most {max(len(table.frame) // 4, 1)}, or more rows.")
    if split is None:
        split = SPLIT_WITH_TEST_FROM if test_from is not None else SPLIT_WITHOUT_TEST_FROM
    config.lookback = lookback
    config.period = period
    config.split = SplitSettings(fractions=tuple(split), test_from=test_from)
    project = new_project(name or os.path.splitext(os.path.basename(str(data_path)))[0],
                          folder or os.path.dirname(os.path.abspath(data_path)))
    project.set_data_file(os.path.abspath(data_path))
    project.data["config"] = config.to_dict()
    if cell is not None:
        project.architecture["cell"] = cell
    if hidden_sizes is not None:
        project.architecture["hidden_sizes"] = [int(h) for h in hidden_sizes]
    if seed is not None:
        project.architecture["seed"] = int(seed)
    if max_epochs is not None:
        project.training["max_epochs"] = int(max_epochs)
    project.selection["settings"] = {
        "choose_target_transform": True,
        "choose_inputs": inputs is None and len(input_candidates(config)) > 1}
    return project, notes
