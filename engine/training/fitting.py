"""Fitting a project: the one call the command line and the GUI's training page make.

:func:`fit_project` reads the project's data file, makes the automatic choices the project
asks for (``selection.settings``: ``choose_target_transform``, ``choose_inputs``,
``choose_lookback``, started where the last fit started them,
:mod:`engine.training.choice_start`; see
:mod:`engine.training.trials`), trains the final network with early stopping and scores it.
:func:`record_fit` writes what was chosen and achieved back into the project and
:func:`save_fit` writes the model file.

Project sections read here:

* ``data``: the data file and its :class:`~engine.data.DatasetConfig` (read by
  :meth:`~engine.project.document.Project.table`);
* ``architecture``: an :class:`~engine.network.architecture.Architecture`;
* ``training``: the :class:`~engine.project.sections.TrainingChoices` the person made; the
  others come from :func:`engine.training.automatic.training_settings` for the number of windows;
* ``selection.settings``: ``{"choose_target_transform": bool, "choose_inputs": bool,
  "choose_lookback": bool, "forecast_steps": int}``; ``selection.summary["start"]``.
"""

import time
from dataclasses import dataclass, field, replace

import numpy as np

from engine.training.automatic import input_candidates, training_settings, transform_candidates
from engine.training.choice_start import choice_start, start_values
from engine.data import DatasetConfig, prepare_training, statistics
from engine.data.csv_reader import format_corrections, require_columns, usual_marks
from engine.data.data_file import file_record
from engine.data.stationarity import drifting_targets
from engine.project.model_status import new_training_id
from engine.data.statistics import history_table, longer_cycle, lookback_cap
from engine.errors import EngineError, NothingTrained
from engine.testing.baselines import baselines
from engine.testing.evaluation import part_scores, row_runs, time_record
from engine.testing.intervals import selection_intervals
from engine.project.model_status import stamp_training
from engine.project.checks import check_project
from engine.project.sections import Results
from engine.testing.remarks import numeric_columns, poor_model_remark
from engine.testing.verdict import compare_selection
from engine.tasks import as_task
from engine.training.linear_choice import (LinearTrial, candidates, choose_by_linear_backtest,
                                           lookback_candidates)
from engine.training.linear_share import choose_share, refitted
from engine.training.loop import NO_EPOCH
from engine.training.preview import selection_preview
from engine.training.run import fit_network
from engine.training.share_words import training_subject
from engine.training.trials import Trial, run_trials


@dataclass
class FitResult:
    """A trained network and everything about how it came to be.

    network : the :class:`~engine.network.recurrent.RecurrentNetwork`, with its best epoch's
        weights
    prepared : :class:`~engine.data.PreparedData` of the chosen configuration
    config : the chosen :class:`~engine.data.DatasetConfig`
    settings : the training settings used (dict)
    trials : :class:`~engine.training.trials.Trial` list (empty when nothing was chosen)
    scores : ``{"training"|"selection"|"testing": Scores or None}``, one step ahead, in
        target units
    seconds : the whole fit, trials included
    intervals : prediction-interval widths calibrated on the selection part (a plain dict,
        see :func:`engine.testing.intervals.selection_intervals`; None without selection windows)
    remark : one line when the network is far worse than persistence on the selection
        part, with a likely cause (:func:`fit_remark`); None otherwise
    comparison : the network against ETS, Theta and the linear autoregression on the
        selection part, with its verdict in plain words (a plain dict, see
        :func:`engine.testing.verdict.compare_selection`); None without selection rows
    linear_share : how much of the recurrent part a network with a linear path kept
        (:func:`engine.training.linear_share.choose_share`: ``{"share", "scores",
        "block"}``); None when it was not chosen
    start : where the automatic choices started
        (:func:`engine.training.choice_start.start_values`); None when not recorded
    csv_format : how the data file's format was corrected from what is detected in it
        (:func:`~engine.data.csv_reader.format_corrections`; ``{}``: as detected)
    csv_marks : the decimal mark the data file was read with
        (:func:`~engine.data.csv_reader.usual_marks`), which the model reads a later file
        with where that file's numbers do not tell it
    data_file : the digest and rows of the data file read
        (:func:`~engine.data.data_file.file_record`); None for a table of no file
    forecast_steps : the length of the recursive forecasts the person wants (the project's
        ``selection.settings["forecast_steps"]``); None when not set. The model file
        records it: step 6 and ``evaluate`` score recursive forecasts that long by default
        (:func:`~engine.testing.evaluation.evaluation_horizon`)
    """

    network: object
    prepared: object
    config: DatasetConfig
    settings: dict
    trials: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)
    seconds: float = 0.0
    intervals: dict = None
    remark: str = None
    comparison: dict = None
    linear_share: dict = None
    start: dict = None
    training_id: str = field(default_factory=new_training_id)
    csv_format: dict = field(default_factory=dict)
    csv_marks: dict = field(default_factory=dict)
    data_file: dict = None
    forecast_steps: int = None

    @property
    def fitted(self):
        """The fitted preprocessing (:class:`~engine.data.FittedPreprocessing`)."""
        return self.prepared.fitted

    @property
    def history(self):
        return self.network.history_

    @property
    def stop_reason(self):
        return self.network.stop_reason_

    @property
    def best_epoch(self):
        return self.network.best_epoch_

    @property
    def cancelled(self):
        """True when the person cancelled the final training (its best epoch is kept)."""
        return self.network.cancelled_

    def choices(self):
        """What the automatic pipeline (or the person) chose, as plain values."""
        config = self.config
        return {"target_transform": config.target_transform,
                "period": config.period, "lookback": config.lookback,
                "horizon": config.horizon,
                "targets": [v.name for v in config.targets],
                "inputs": [v.name for v in config.inputs],
                "cell": self.network.cell,
                "hidden_sizes": [int(h) // self.members for h in self.network.hidden_sizes],
                "members": self.members,
                "linear_path": bool(self.network.linear_path)}

    @property
    def members(self):
        """The networks averaged in :attr:`network` (1: a single network)."""
        return int(getattr(self.network, "members_", 1))

    def testing_start(self):
        """Where testing starts: the project's ``test_from`` value, else ``{"row": r}`` of
        the first testing row; None without testing windows."""
        split = self.config.split
        if split.test_from is not None:
            return split.to_dict()["test_from"]
        anchors = self.prepared.anchors["testing"]
        if len(anchors) == 0:
            return None
        return {"row": int(anchors[0] + self.fitted.target_offsets[0])}

    def testing_part(self):
        """Where testing starts (:meth:`testing_start`), the rows the testing scores are on
        (the first target row of every testing window, as runs, see
        :func:`engine.testing.evaluation.row_runs`), the data file's row count and the time
        of the first of those rows (:func:`~engine.testing.evaluation.time_record`):
        ``evaluate`` and the testing report score exactly these rows of that file, and from
        that time on in another; the split's method, "chronological" or "random"
        (:func:`engine.testing.evaluation.random_testing`), and the time of the last row
        the model was trained or selected on (``"last_seen_time"``): after a random split
        another file is scored after it (:func:`~engine.testing.evaluation.default_start`).
        """
        rows = np.sort(self.prepared.target_rows("testing")[:, 0])
        seen = [self.prepared.target_rows(part) for part in ("training", "selection")]
        last_seen = max((int(r.max()) for r in seen if r.size), default=None)
        encoded = self.prepared.encoded
        return {"from": self.testing_start(), "rows": row_runs(rows),
                "file_rows": int(encoded.n_rows), "split": self.config.split.method,
                "first_time": time_record(encoded.times, int(rows[0]), encoded.time_zone)
                if len(rows) else None,
                "last_seen_time": None if last_seen is None else
                time_record(encoded.times, last_seen, encoded.time_zone)}

    def summary(self):
        """The training summary stored in the project's results and the model file; of
        networks averaged, ``"members"`` says how each ended
        (:func:`~engine.training.run.member_training`; None for one network)."""
        return {"stop_reason": self.stop_reason, "best_epoch": int(self.best_epoch),
                "epochs": len(self.history), "seconds": round(self.seconds, 2),
                "training_windows": int(len(self.prepared.Y_train)),
                "selection_windows": int(len(self.prepared.Y_sel)),
                "testing_windows": int(len(self.prepared.Y_test)),
                "settings": dict(self.settings), "remark": self.remark,
                "linear_share": self.linear_share, "id": self.training_id,
                "data_file": self.data_file,
                "members": getattr(self.network, "member_trainings_", None)}

    def metadata(self):
        """The model file's metadata: choices, training summary, scores, testing start, the
        corrections of the CSV format that the data file was read with
        (:attr:`csv_format`), so that the model reads it as the fit did, the length of
        the forecasts the person wants (:attr:`forecast_steps`) and the split's method and
        fractions (a backtest of the model file splits each fold as the project would)."""
        return {"choices": self.choices(), "training": self.summary(),
                "csv": self.csv_format, "csv_marks": self.csv_marks,
                "scores": {part: s.to_dict() for part, s in self.scores.items()
                           if s is not None},
                "testing": self.testing_part(),
                "trials": [t.to_dict() for t in self.trials],
                "intervals": self.intervals, "comparison": self.comparison,
                "forecast_steps": self.forecast_steps,
                "split": {"method": self.config.split.method,
                          "fractions": [float(f) for f in self.config.split.fractions]}}


def fit_project(project, task=None, table=None, preview_every=None, size_advice=None,
                one_row_advice=None):
    """Fit ``project`` (a :class:`~engine.project.document.Project`); returns a
    :class:`FitResult`.

    task : :class:`~engine.tasks.TaskState`: ``task.stage`` gets a plain sentence when a
        stage starts (a trial, the final training), ``task.epoch`` every
        :class:`~engine.training.settings.EpochReport` (trials included). Cancelled during
        the trials, the fit raises :class:`~engine.tasks.Cancelled` (no model exists yet);
        during the final training it returns the best epoch with ``cancelled`` True
    table : the loaded :class:`~engine.data.Table` (else read from the project's data file)
    preview_every : ``task.preview`` gets a :class:`~engine.training.preview.SelectionPreview`
        of the final training after its first and every this many epochs (None: never)
    size_advice : what a message on networks averaged too large to merge advises (None:
        the pages' words; :func:`~engine.training.run.fit_network`)
    one_row_advice : what a message on a testing part of one row advises (None: the pages'
        words; :func:`~engine.data.pipeline.prepare_training`)
    """
    task = as_task(task)
    started = time.perf_counter()
    check_project(project)
    config = choice_start(project.dataset_config(), project.selection.summary,
                          project.selection.settings)
    if config.series_column is not None:
        raise EngineError(f"The column {config.series_column!r} names many series, so this "
                          "project is fitted as one global network over them "
                          "(engine.many.project_fit.fit_many_project).")
    if table is None:
        table = project.table(config)
    require_columns(table.frame, [v.name for v in config.variables if v.role != "unused"])
    architecture = project.architecture.to_dict()
    overrides = project.training.to_dict()
    automatic = project.selection.settings
    start = start_values(config)
    config, trials = automatic_choices(table, config, automatic, architecture, overrides,
                                       task, one_row_advice)
    prepared = prepare_training(table, config, one_row_advice)
    settings = training_settings(overrides, len(prepared.Y_train))
    task.stage("Training the network")
    network, _ = fit_network(prepared, architecture, settings, task,
                             preview_every=preview_every, size_advice=size_advice)
    scored, share = choose_share(network, prepared, automatic.get("forecast_steps"))
    subject = training_subject({"linear_share": share}, scored)
    # the selection part judges the network as it was before it saw those rows
    selection = part_scores(scored, prepared, "selection")
    intervals = selection_intervals(scored, prepared)
    comparison = compare_selection(scored, prepared, automatic.get("forecast_steps"), subject)
    network = refitted(network, prepared, share)
    scores = {"training": part_scores(network, prepared, "training"), "selection": selection,
              "testing": part_scores(network, prepared, "testing")}
    remark = fit_remark(network, prepared, scores, settings, subject)
    return FitResult(network, prepared, config, settings, trials, scores,
                     time.perf_counter() - started, intervals, remark, comparison, share,
                     start, csv_format=format_corrections(table.options, table.path),
                     csv_marks=usual_marks(table.options, table.path),
                     data_file=file_record(table),
                     forecast_steps=automatic.get("forecast_steps"))


def automatic_choices(table, config, automatic, architecture, overrides, task,
                      one_row_advice=None):
    """``(config, trials)``: the data-set configuration with the choices the project's
    ``selection.settings`` ask for (``choose_target_transform``, ``choose_inputs``,
    ``choose_lookback``) made by the linear autoregression's backtest
    (:mod:`engine.training.linear_choice`; with a seasonal difference, also at a longer
    cycle when the data hold one, :func:`longer_season`, the period then the one
    chosen); where that backtest cannot score any candidate
    (too few rows) or the split is random, the transform and inputs by short trial fits of
    the network
    (:mod:`engine.training.trials`). Trials is empty when there was nothing to choose.
    ``one_row_advice``: what a message on a testing part of one row advises
    (:func:`~engine.data.pipeline.prepare_training`)."""
    transforms, drifting = [config.target_transform], {}
    if automatic.get("choose_target_transform"):
        transforms, drifting = transform_choice(table, config)
    inputs = input_candidates(config) if automatic.get("choose_inputs") else ["all"]
    lookbacks, probe = [config.lookback], None
    if automatic.get("choose_lookback"):
        probe = prepare_training(table, config, one_row_advice)
        rows = len(probe.Y_train) + config.lookback + config.horizon - 1
        most = lookback_cap(rows, len(config.inputs), config.horizon)
        lookbacks = lookback_candidates(config.lookback, config.period,
                                        max(most or 1, config.lookback), len(config.inputs))
    if len(transforms) * len(inputs) * len(lookbacks) == 1:
        return config, []
    probe = probe or prepare_training(table, config, one_row_advice)
    chosen, trials = None, []
    if config.split.method == "chronological":      # origins move forward in time
        testing = probe.target_rows("testing")
        start = int(testing.min()) if testing.size else len(table.frame)
        options = candidates(config, transforms, inputs, lookbacks)
        longer = longer_season(table, config) if "seasonal_difference" in transforms \
            else None
        if longer:
            options += candidates(replace(config, period=longer), ["seasonal_difference"],
                                  inputs, lookbacks)
        chosen, trials = choose_by_linear_backtest(table, config, options, start, task,
                                                   automatic.get("forecast_steps"))
        trials = drift_trials(drifting, inputs, lookbacks) + trials
    if chosen is not None or len(transforms) * len(inputs) == 1:
        return chosen or config, trials
    settings = training_settings(overrides, len(probe.Y_train))
    chosen, trials = run_trials(table, config, architecture, settings, transforms, inputs,
                                task)
    left_out = [Trial("none", i, error=drift_reason(drifting)) for i in inputs] \
        if drifting else []
    return chosen, left_out + trials


def transform_choice(table, config):
    """``(transforms, drifting)``: the target transforms the automatic choice tries
    (:func:`~engine.training.automatic.transform_candidates`) and ``{target: KPSS
    p-value}`` of the targets whose level drifts on the rows before the testing part
    (:func:`engine.data.stationarity.drifting_targets`) when that left "none" out (with a
    seasonal difference in the running), else ``{}``. Sets ``config.period`` when it is
    None (the detected season)."""
    history = history_table(table, config)
    if config.period is None:
        config.period = statistics(history, config)["period"]
    rows = len(table.frame)
    seasonal = "seasonal_difference" in transform_candidates(config.period, rows)
    drifting = drifting_targets(history.frame, [t.name for t in config.targets]) \
        if seasonal else {}
    return transform_candidates(config.period, rows, bool(drifting)), drifting


def drift_reason(drifting):
    """Why the candidates without a transform were left out (:func:`transform_choice`'s
    ``drifting``, not empty): ``the level of y drifts (KPSS test, p 0.0312)``."""
    return "; ".join(f"the level of {name} drifts (KPSS test, p "
                     f"{'at most 0.01' if p <= 0.01 else f'{p:.3g}'})"
                     for name, p in drifting.items())


def drift_trials(drifting, inputs, lookbacks):
    """The candidates of the linear backtest with the transform "none" that
    :func:`transform_choice` left out, each a :class:`LinearTrial` without a score whose
    error says why (none without a drifting target)."""
    if not drifting:
        return []
    return [LinearTrial("none", i, int(lookback), error=drift_reason(drifting))
            for i in inputs for lookback in lookbacks]


def longer_season(table, config):
    """A longer cycle of whole periods (:func:`engine.data.statistics.longer_cycle`) of
    the first target, read on the rows before the testing part, when the file holds four
    of them; None otherwise. Its seasonal difference is one more candidate of the
    backtest (a weekly cycle of hourly rows beside the daily one)."""
    values = history_table(table, config).frame[config.targets[0].name].to_numpy(float)
    longer = longer_cycle(values, config.period)
    return longer if longer and len(table.frame) >= 4 * longer else None


def fit_remark(network, prepared, scores, settings, subject="the network"):
    """:func:`engine.testing.remarks.poor_model_remark` of a fitted network on the selection part
    (the training part without one), against persistence on the same rows; the model named
    ``subject`` (:func:`~engine.training.share_words.training_subject`)."""
    part = "selection" if scores.get("selection") is not None else "training"
    fitted = prepared.fitted
    rows = prepared.target_rows(part)[:, 0]
    persistence = baselines(prepared.encoded.levels, rows, 0, None, False,
                            fitted.target_names,
                            truth=prepared.encoded.scored_truth(
                                int(fitted.target_offsets[0])))["persistence"]
    return poor_model_remark(scores.get(part), persistence, part, network,
                             settings.get("learning_rate"), prepared.table.frame,
                             numeric_columns(fitted), len(prepared.Y_train), fitted.lookback,
                             subject)


def record_fit(project, result, model_path=None):
    """Write the chosen data-set settings, the trials and the results into ``project``
    (and the model file's path, when given), stamped with the settings fingerprint and the
    loss history (:func:`engine.project.model_status.stamp_training`). Returns the project."""
    project.data.config = result.config
    linear = any(isinstance(t, LinearTrial) for t in result.trials)
    project.selection.summary = {
        "chosen": {"target_transform": result.config.target_transform,
                   "inputs": [v.name for v in result.config.inputs],
                   "lookback": result.config.lookback, "period": result.config.period},
        "score": ("mean MASE of the linear autoregression's backtest, one step and "
                  "recursive" if linear else
                  "one-step selection RMSE in the targets' units (short trial fits)"),
        "trials": [t.to_dict() for t in result.trials]}
    if result.start is not None:
        project.selection.summary["start"] = result.start
    project.results = Results(training=result.summary(),
                              scores={part: s.to_dict() for part, s in result.scores.items()
                                      if s is not None},
                              testing=result.testing_part(), intervals=result.intervals,
                              comparison=result.comparison)
    if model_path is not None:
        project.set_model_file(model_path)
    stamp_training(project, result.history)
    return project


def save_fit(result, path):
    """Write the model file of a :class:`FitResult`; returns its header."""
    from engine.model.model_file import save_model

    # best epoch 0: no epoch ended, unless the least-squares start beat every epoch
    kept = result.best_epoch > 0 or getattr(result.network, "kept_start_", False)
    if not kept and result.cancelled:
        raise NothingTrained()
    if not kept:
        reason = result.stop_reason.replace(NO_EPOCH, "")
        raise EngineError(f"No epoch of the training ended with finite errors, so there is "
                          f"no trained model to save: {reason}")
    return save_model(path, result.network, result.fitted.to_dict(), result.metadata())


def default_model_path(project):
    """Where a project's trained model goes: beside the project file, named after it."""
    from engine.project.document import project_file_name

    return project.folder / (project_file_name(project.name)[:-len(".json")] + ".model.npz")


def train_project(project, table=None, task=None, preview_every=5, model_path=None):
    """The training page's call: :func:`fit_project` with live progress, then the model
    file written (atomically) beside the project.

    task : :class:`~engine.tasks.TaskState`: stages, every EpochReport, and a
        :class:`~engine.training.preview.SelectionPreview` every ``preview_every`` epochs of
        the final training and once more for the kept epoch (``task.preview``)
    Returns ``(result, model_path)``; the caller records it with :func:`record_fit`.
    """
    task = as_task(task)
    result = fit_project(project, task, table=table, preview_every=preview_every)
    path = model_path or default_model_path(project)
    save_fit(result, path)
    final = selection_preview(result.network, result.prepared, result.best_epoch)
    if final is not None:
        task.preview(final)
    return result, path
