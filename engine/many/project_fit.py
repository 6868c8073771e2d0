"""A project whose data set has a column of role "series" (a table of many series): the
pages' and the ``fit PROJECT.json`` calls of one global network over every series
(:mod:`engine.many`), the counterparts of :mod:`engine.training.fitting` for one series.

The project's settings map onto :class:`~engine.many.global_model.GlobalSettings`:

- data set: the series column, the time column, the targets and the other inputs (a
  categorical input is a static one: one value per series, read one-hot); the steps
  ahead (``horizon``, at least 1), the season (``period``; 1: none; None: the calendar's or
  the most common cycle, :func:`~engine.many.choices.default_season`), the lookback, and the
  testing rows at the end of every series (``split.test_last``; None: the steps ahead);
- architecture: the cell, the layers' sizes and the linear path;
- training: the settings the person chose (epochs, rate, batch, patience, loss, seed,
  members, and the training windows per series and the weights' average,
  :data:`WINDOW_KEYS`); the others keep the global fit's defaults.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from engine.errors import EngineError, NothingTrained
from engine.many.global_model import GlobalSettings, window_plan
from engine.project.model_status import new_training_id
from engine.tasks import as_task
from engine.training.loop import NO_EPOCH
from engine.words import counted

CONTEXT_HORIZONS = 4
"""A plot of one series' testing part shows at least this many forecasts' length of rows
before it (:meth:`SeriesTesting.shown_from`)..."""
CONTEXT_SEASONS = 3
"""... at least this many seasons of rows ..."""
CONTEXT_ROWS = 60
"""... and at least this many rows, so that a short series (a few decades of years) shows
whole."""
TRAINING_KEYS = ("max_epochs", "learning_rate", "batch_size", "patience", "loss", "seed",
                 "members")
WINDOW_KEYS = ("windows_per_series", "average_steps")
"""The settings of what each network trains on (:class:`GlobalSettings`) that the training
section keeps when the person fixed them, and leaves out when "auto" (the window's choice
sets them): the training windows per series, a number or "all" (a setting of many series
only, :attr:`~engine.project.sections.TrainingChoices.windows_per_series`), and the
optimizer steps the weights are averaged over, a number or None (no average)."""


def is_many_series(config):
    """True when the data-set settings ``config`` name a series column."""
    return config is not None and config.series_column is not None


def series_of(table, config):
    """The :class:`~engine.many.series_data.SeriesSet` of a loaded
    :class:`~engine.data.Table` under ``config``: every target, the numeric inputs that are
    not targets, the categorical ones as static values (:func:`static_columns`), by the
    series column and the time column."""
    from engine.many.series_data import from_frame

    if not is_many_series(config):
        raise EngineError("The data set names no series column; give one column the role "
                          "\"series\" to treat the table as many series.")
    if table is None:
        raise EngineError("The data file is not loaded; load it (or locate it) on the data "
                          "set step.")
    targets = [v.name for v in config.targets]
    if not targets:
        raise EngineError("Choose a target: the column whose future is forecast in every "
                          "series.")
    inputs = [v.name for v in config.inputs if not v.is_target and v.type != "categorical"]
    column = config.series_column
    return from_frame(table.with_text_column(column), column, targets, inputs,
                      config.time_column, static_columns(config), table.options)


def static_columns(config):
    """The inputs of a table of many series read as static values: its categorical inputs
    (one value per series, one-hot, e.g. a region or a product group)."""
    return [v.name for v in config.inputs if not v.is_target and v.type == "categorical"]


def suggested_choices(data, test_last=None, season=None, horizon=None):
    """What the data page suggests for a table of many series ``data``:
    ``{"period", "horizon", "test_last", "lookback", "notes"}``, as ``fit --series`` takes
    them from the same settings given (None: not given; ``season`` 1: none). The season as
    :func:`~engine.many.choices.default_season` (1 when it finds none: the fit then takes
    none rather than looking for one again on other rows), the steps ahead the testing rows,
    else one season (else 1), the testing rows the steps ahead, the lookback the command
    line's fit takes (:func:`~engine.many.global_model.window_plan`: four horizons within
    what the median series holds, in whole seasons). The season is read on the rows before
    the testing rows (without ``test_last``, those a first reading suggests):
    :func:`~engine.many.choices.default_choices`."""
    from engine.many.choices import default_choices

    season, how, horizon, test_last = default_choices(data, test_last, season, horizon)
    fit_rows = data.lengths - test_last - horizon
    lookback, _ = window_plan(GlobalSettings(horizon=horizon, test_last=test_last,
                                             season=season), fit_rows)
    return {"period": season or 1, "horizon": horizon, "test_last": test_last,
            "lookback": int(lookback), "notes": [how] if how else []}


def with_suggestions(config, table):
    """A copy of ``config`` (it names a series column) with the suggested season, steps
    ahead, testing rows and lookback of :func:`suggested_choices` for the series of
    ``table``, and the notes on them: ``(config, notes)``. The testing rows are left to
    follow the steps ahead (``split.test_last`` None, :attr:`DatasetConfig.test_last`)
    until they are set. The data page calls it when a column becomes the series column, so
    that the person starts from working settings."""
    from dataclasses import replace

    choices = suggested_choices(series_of(table, config))
    # the testing rows suggested are the steps ahead: None follows them when they change
    split = replace(config.split, test_last=None, test_from=None)
    return replace(config, period=choices["period"], horizon=choices["horizon"],
                   lookback=choices["lookback"], target_transform="none",
                   split=split), choices["notes"]


def use_global_network(architecture, windows=None):
    """Set ``architecture`` (a project's :class:`~engine.network.architecture.Architecture`)
    to the global network's defaults (:class:`GlobalSettings`: cell, linear path) with the
    units of :func:`~engine.many.sizing.global_units` for ``windows`` training windows
    (None: not known yet, the units of many windows), as the data page does when a table
    becomes one of many series. Returns the note that says so."""
    defaults = GlobalSettings(horizon=1)
    architecture.cell = defaults.cell
    architecture.linear_path = defaults.linear_path
    return size_global_network(architecture, windows)


def size_global_network(architecture, windows=None):
    """Set the units of ``architecture`` to those of
    :func:`~engine.many.sizing.global_units` for ``windows`` training windows (None: the
    units of many windows), as the data page does again when its settings change the
    windows; the cell and linear path stay, the units are marked as following the data
    (``units_by_hand`` false). Returns the note that says so."""
    from engine.many.sizing import LARGE_UNITS, global_units
    from engine.selection.candidates import CELL_NAMES

    units = LARGE_UNITS if windows is None else global_units(windows)
    architecture.hidden_sizes = list(units)
    architecture.units_by_hand = False
    reason = "as it reads every series" if windows is None else \
        f"for the {counted(windows, 'training window')} of the series"
    cell = CELL_NAMES.get(architecture.cell, architecture.cell)
    cell = f"an {cell}" if cell == "LSTM" else f"a {cell}"
    return (f"The network (step 3) is set to the global network's default: {cell} of "
            f"{_units_text(units)} units, {reason}.")


def units_follow_data(architecture, windows):
    """True when the units of ``architecture`` (a project's) follow the data-set settings
    of a table of many series of ``windows`` training windows: as its ``units_by_hand``
    says, and where that is not known (a file written before it) when they are the global
    network's default for those windows (:func:`~engine.many.sizing.global_units`), as the
    data page set them."""
    from engine.many.sizing import global_units

    if architecture.units_by_hand is not None:
        return not architecture.units_by_hand
    return list(architecture.hidden_sizes or ()) == list(global_units(windows))


def kept_units_note(units, windows):
    """The note on ``units`` set by hand (step 3) for a data set of ``windows`` training
    windows: they are kept, and the default they stand in for
    (:func:`~engine.many.sizing.global_units`) is said."""
    from engine.many.sizing import global_units

    return (f"The network (step 3) keeps the {_units_text(units)} units set there; the "
            f"global network's default for the {counted(windows, 'training window')} of "
            f"the series is {_units_text(global_units(windows))}.")


def _units_text(units):
    """``units`` per layer as the notes write them: "32", "32 + 16"."""
    return " + ".join(str(size) for size in units)


def project_windows(table, config):
    """The training windows a fit of the project of ``config`` (a table of many series,
    ``table`` loaded) takes (:func:`~engine.many.sizing.training_windows`), as its
    season, steps ahead, testing rows and lookback give them."""
    from engine.many.sizing import training_windows

    settings = GlobalSettings(horizon=max(int(config.horizon), 1),
                              test_last=config.test_last, season=config.period,
                              lookback=int(config.lookback))
    return training_windows(series_of(table, config), settings)


def many_series_config(table, series_column, targets, inputs=()):
    """The data-set settings of a table of many series: ``series_column`` names the series,
    ``targets`` are forecast, ``inputs`` (names) are the other inputs, every other column
    but the time column is unused; the suggestions of :func:`with_suggestions`.
    Returns ``(config, notes)``."""
    from engine.data import default_config

    config = default_config(table, list(targets), lookback=2)
    roles = {v.name: "unused" for v in config.variables
             if v.role == "input" and v.name not in inputs}
    roles[series_column] = "series"
    return with_suggestions(config.with_roles(**roles), table)


def settings_of(project, data):
    """``(GlobalSettings, notes)`` of ``project`` for its series ``data`` (see the module
    docstring); notes say what was chosen for the person."""
    from engine.many.choices import default_season

    config = project.dataset_config()
    notes = []
    season = config.period
    if season is None:
        season, how = default_season(data, config.test_last)
        notes.append(how)
    architecture = project.architecture.to_dict()
    settings = GlobalSettings(
        horizon=max(int(config.horizon), 1), test_last=config.test_last, season=season,
        lookback=int(config.lookback), cell=architecture.get("cell", "gru"),
        hidden_sizes=architecture.get("hidden_sizes") or None,
        linear_path=bool(architecture.get("linear_path", True)),
        series_column=config.series_column, time_column=config.time_column,
        static_columns=tuple(static_columns(config)))
    chosen = project.training.to_dict()
    if chosen.get("seed") is None and architecture.get("seed") is not None:
        chosen["seed"] = architecture["seed"]          # the seed fit --seed gives a project
    for key in TRAINING_KEYS:
        if chosen.get(key) is not None:
            setattr(settings, key, chosen[key])
    if chosen.get("windows_per_series") is not None:
        settings.windows_per_series = chosen["windows_per_series"]
    if "average_steps" in chosen:              # None or 0 in the project: off, not "auto"
        settings.average_steps = chosen["average_steps"]
    settings.check()
    return settings, notes


def keep_window_choices(training, **given):
    """Keep the :data:`WINDOW_KEYS` ``given`` (``{key: value}``, "auto" among the values)
    in ``training``, a project's :class:`~engine.project.sections.TrainingChoices`: a value
    other than "auto" is kept, "auto" takes the setting out (the fit chooses it again)."""
    from engine.project.sections import AUTOMATIC

    for key, value in given.items():
        setattr(training, key, AUTOMATIC if value == "auto" else value)


def trained_settings(project, data):
    """:func:`settings_of` with the window the project's current model was fitted with (its
    lookback, the rows per step and the steps at once chosen on the backtest) and its
    training windows per series and weights' average, so that a backtest repeats that fit;
    :func:`settings_of` alone when the model is missing or out of date."""
    from engine.project.model_status import CURRENT, model_status

    settings, notes = settings_of(project, data)
    training = project.results.training or {}
    if model_status(project) == CURRENT and training.get("fold"):
        settings.lookback, settings.fold = int(training["lookback"]), int(training["fold"])
        settings.block = int(training.get("horizon") or settings.horizon)
        for key in ("windows_per_series", "average_steps"):   # as chosen for the fit
            if key in training:
                setattr(settings, key, training[key])
        settings.check()
    return settings, notes


@dataclass
class ManyFit:
    """A global network fitted on a project's series, and its testing scores.

    model : the :class:`~engine.many.global_model.GlobalModel`
    data : the :class:`~engine.many.series_data.SeriesSet` it was fitted on (all rows)
    evaluations : one :class:`~engine.many.evaluation.SeriesEvaluation` of the testing
        part per target (none when ``test_last`` is 0); ``evaluation`` is the first
        target's
    notes : sentences on what was chosen and what was left out
    seconds : the whole fit, scoring included
    data_file : the digest and rows of the data file read
        (:func:`~engine.data.data_file.file_record`); None for a table of no file
    """

    model: object
    data: object
    evaluations: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    training_id: str = field(default_factory=new_training_id)
    data_file: dict = None

    @property
    def evaluation(self):
        return self.evaluations[0] if self.evaluations else None

    @property
    def history(self):
        return self.model.network.history_

    @property
    def cancelled(self):
        return bool(getattr(self.model.network, "cancelled_", False))

    def summary(self):
        """The training summary stored in the project's results; its notes in the pages'
        words (:func:`~engine.many.fit_notes.window_words`: those of ``fit --series`` name
        its options)."""
        from engine.many.fit_notes import window_words

        network = self.model.network
        settings = self.model.settings
        return {"kind": "many_series", "id": self.training_id,
                "stop_reason": network.stop_reason_,
                "best_epoch": int(network.best_epoch_), "epochs": len(self.history),
                "seconds": round(self.seconds, 2),
                "training_windows": int(settings["training_windows"]),
                "series": int(settings.get("trained_series", self.data.n_series)),
                "weights": int(network.n_parameters),
                "lookback": int(self.model.lookback), "fold": int(self.model.fold),
                "horizon": int(self.model.horizon), "steps": self.model.steps,
                "windows_per_series": settings["windows_per_series"],
                "average_steps": settings.get("average_steps"),
                "notes": [window_words(note) for note in self.notes],
                "data_file": self.data_file,
                "members": getattr(network, "member_trainings_", None)}

    def testing_scores(self):
        """``{"targets": {target: {"smape", "mase", "owa"}}}`` of the network on the testing
        part, every target (the project's ``results.scores.testing``), None without
        one."""
        if not self.evaluations:
            return None
        scores = {}
        for evaluation in self.evaluations:
            row = evaluation.summary()["network"]
            scores[evaluation.target] = {key: (None if not np.isfinite(row[key]) else
                                               row[key]) for key in ("smape", "mase", "owa")}
        return {"targets": scores}

    def comparison(self):
        """Every method's sMAPE, MASE and OWA on the testing part (the project's
        ``results.comparison``): of the first target (``target``, ``series_scored``,
        ``summary``, ``notes``; ``targets`` names them all), and with several targets
        those of each under ``"by_target"`` (target -> {"series_scored", "summary",
        "notes"}, :func:`~engine.many.every_target.comparison_targets`); None without
        one."""
        if self.evaluation is None:
            return None
        by_target = {evaluation.target: _target_comparison(evaluation)
                     for evaluation in self.evaluations}
        comparison = {"kind": "many_series", "steps": self.evaluation.steps,
                      "season": self.evaluation.season, "target": self.evaluation.target,
                      "targets": list(by_target),
                      **by_target[self.evaluation.target]}
        if len(by_target) > 1:
            comparison["by_target"] = by_target
        return comparison


def _target_comparison(evaluation):
    """One target's part of :meth:`ManyFit.comparison`, of its
    :class:`~engine.many.evaluation.SeriesEvaluation`."""
    return {"series_scored": evaluation.n_scored,
            "summary": evaluation.to_dict()["summary"], "notes": list(evaluation.notes)}


def fit_many_project(project, task=None, table=None, workers=0, scheduler=None):
    """Fit the global network of ``project`` (its data set names a series column) and score
    it on the last ``test_last`` rows of every series; returns a :class:`ManyFit`.

    task : :class:`~engine.tasks.TaskState`: stages and every epoch's report; cancelled
        during the training, the best epoch so far is kept (the fit goes on to score it)
    table : the loaded :class:`~engine.data.Table` (else read from the project's data file)
    workers, scheduler : where the members of an ensemble train
        (:func:`~engine.many.fitting.fit_global`)
    """
    from engine.data.csv_reader import format_corrections, usual_marks
    from engine.data.data_file import file_record
    from engine.many.choosing import fit_chosen
    from engine.many.evaluation import evaluate_targets
    from engine.project.checks import check_project

    task = as_task(task)
    started = time.perf_counter()
    check_project(project)
    config = project.dataset_config()
    if table is None:
        table = project.table(config)
    data = series_of(table, config)
    settings, notes = settings_of(project, data)
    model = fit_chosen(data, settings, task, workers=workers, scheduler=scheduler)
    csv_format = format_corrections(table.options, table.path)
    if csv_format:                     # the model reads its data file as the project did
        model.settings["csv"] = csv_format
    model.settings["csv_marks"] = usual_marks(table.options, table.path)
    evaluations = []
    if settings.test_last:
        evaluations = evaluate_targets(model, data, settings.test_last, task=task)
    return ManyFit(model, data, evaluations, notes + list(model.notes),
                   time.perf_counter() - started, data_file=file_record(table))


def save_many_fit(fit, path, data_name=None):
    """Write the model file of a :class:`ManyFit` (atomically), with the testing scores of
    every target; returns ``path``."""
    from engine.many.model_file import save_global_model

    if fit.model.network.best_epoch_ == 0 and not getattr(fit.model.network, "kept_start_",
                                                          False):
        if fit.cancelled:
            raise NothingTrained()
        reason = str(getattr(fit.model.network, "stop_reason_", "") or "")
        reason = reason.replace(NO_EPOCH, "").strip() or "train again with a lower learning rate."
        raise EngineError(f"No epoch of the training ended with finite errors, so there is "
                          f"no trained model to save: {reason}")
    save_global_model(path, fit.model, metadata={
        "data": data_name, "training": {"id": fit.training_id},
        "testing": {"last": int(fit.model.settings["test_last"])},
        "scores": {e.target: e.summary() for e in fit.evaluations} or None})
    return path


def train_many_project(project, table=None, task=None, model_path=None):
    """The training page's call for a project of many series: :func:`fit_many_project`,
    then the model file written beside the project (or at ``model_path``). Returns
    ``(fit, model_path)``; the caller records it with :func:`record_many_fit`."""
    from engine.training.fitting import default_model_path

    fit = fit_many_project(project, task, table)
    path = model_path or default_model_path(project)
    save_many_fit(fit, path, project.data_file().name if project.data_file() else None)
    return fit, path


def record_many_fit(project, fit, model_path=None):
    """Write the results of a :class:`ManyFit` into ``project`` (and the model file's
    path, when given), stamped with the settings fingerprint and the loss history."""
    from engine.project.model_status import stamp_training
    from engine.project.sections import Results

    scores = fit.testing_scores()
    project.results = Results(
        training=fit.summary(), scores={"testing": scores} if scores else {},
        testing={"last": int(fit.model.settings["test_last"])},
        comparison=fit.comparison())
    if model_path is not None:
        project.set_model_file(model_path)
    stamp_training(project, fit.history)
    return project


def plotted_times(times):
    """The times (a Series) of a series as a plot places them, (n,): datetime64 of UTC for
    times with a zone (at their instants, as every plot's date axis is in UTC), the
    values themselves otherwise."""
    if getattr(getattr(times, "dt", None), "tz", None) is not None:
        return times.dt.tz_convert(None).to_numpy()
    return times.to_numpy()


@dataclass
class SeriesTesting:
    """One series' testing part for a plot: its values, the forecast from the row before
    its last ``test_last`` rows, and the bounds.

    index : rows of the series (times, or row numbers without a time column), (n,)
    values : the target's values, (n,)
    start : the first testing row (n - test_last)
    forecast, lower, upper : (steps,) from row ``start`` on; a series the network cannot
        read has its own seasonal naive forecast without bounds, as in the scores
        (:mod:`engine.many.fallback`)
    season : the model's season in rows (1 without one)
    """

    series: object
    index: object
    values: np.ndarray
    start: int
    forecast: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    season: int = 1

    def shown_from(self):
        """The first row a plot of this series shows: the most of :data:`CONTEXT_HORIZONS`
        forecasts' length, :data:`CONTEXT_SEASONS` seasons and :data:`CONTEXT_ROWS` rows
        before the testing part, or the series' first row. So a series of at most
        :data:`CONTEXT_ROWS` rows before its testing part shows whole, however short that
        part; a long one shows enough to see its shape beside the forecast (192 rows of an
        hourly series tested on 48) without the forecast shrinking to a sliver."""
        rows = max(CONTEXT_HORIZONS * len(self.forecast), CONTEXT_SEASONS * self.season,
                   CONTEXT_ROWS)
        return max(self.start - rows, 0)


def series_testing(model, data, test_last, level=0.9, target=0):
    """``{series id: SeriesTesting}`` of every series of ``data`` (a
    :class:`~engine.many.series_data.SeriesSet`), forecast by ``model`` from the row before
    its testing part (its last ``test_last`` rows)."""
    from engine.many.fallback import fallback_forecasts
    from engine.many.forecasting import forecast_before

    data = data.without_unknown_tails()         # tested as scored: up to the last value
    ends = np.maximum(data.lengths - int(test_last), 0)
    steps = min(int(test_last), model.steps)
    values, lower, upper, ok = forecast_before(model, data, test_last, steps, level)
    values, _ = fallback_forecasts(model, data, values, ok, ends)     # as the scores do
    season = int(model.settings.get("season") or 1)
    views = {}
    for i, name in enumerate(data.ids):
        rows = data.rows(i)
        index = (np.arange(rows.stop - rows.start) if data.times is None
                 else plotted_times(data.times.iloc[rows]))
        views[name] = SeriesTesting(name, index, data.history(i, target=target),
                                    int(ends[i]), values[i, :steps, target],
                                    lower[i, :steps, target], upper[i, :steps, target],
                                    season)
    return views
