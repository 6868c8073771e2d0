"""Running a search: plan the candidates of a method, run every (candidate, repeat) as a
trial on a runner (:mod:`engine.selection.executors`), collect the results as they come
and choose the simplest setting within 1% (``CLEAR_GAIN``) of the lowest mean selection
error (:mod:`engine.selection.choice`).

Seeds: repeat ``r`` of every candidate uses the seed ``project seed + r`` (an ensemble's
member ``m``: ``project seed + m``), so that all candidates are compared on the same
seeds and the same search always gives the same table, wherever it runs.

Pruning inputs runs in rounds: round 0 trains with every candidate input; each following
round tries the current inputs without each one of them in turn and takes the removal of
the lowest mean selection error ``s``. The input is left out when ``s`` is within the
tolerance of the lowest ``s_min`` of the search so far,

    not s_min < s * (1 - CLEAR_GAIN)

(:data:`~engine.tolerance.CLEAR_GAIN`, :func:`~engine.selection.choice.within_tolerance`):
fewer inputs win a tie, as in the final choice; else (or at the trial limit) the rounds
stop. Against the lowest, not the error of the round before: rises within the tolerance
do not add up round after round.
"""

import concurrent.futures
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from engine.training.automatic import trial_recipe, training_settings
from engine.data import DatasetConfig, prepare_training
from engine.data.config import RANDOM_SPLIT_ADVICE
from engine.data.column_types import column_numbers
from engine.errors import EngineError
from engine.figures import number
from engine.project.model_status import settings_fingerprint
import engine.selection.candidates as plans
from engine.selection.choice import lowest_row, within_tolerance
from engine.selection.executors import default_workers, open_runner
from engine.selection.result import SearchResult, TrialRow
from engine.tasks import as_task
from engine.tolerance import TOLERANCE_TEXT
from engine.selection.trial import run_trial, selection_anchors
from engine.training.trials import score_part
from engine.words import counted

METHODS = ("neurons", "lookback", "inputs", "inputs_pruning", "cell", "regularization",
           "ensemble")
WAIT_SECONDS = 0.1


@dataclass
class SearchProgress:
    """Sent after every finished trial: ``done`` of ``total`` trials so far (the total
    grows with the pruning rounds), the ``row`` it belongs to (a snapshot), a sentence."""

    done: int
    total: int
    row: TrialRow
    text: str


@dataclass
class _Plan:
    context: dict
    config: DatasetConfig
    architecture: dict
    settings: dict
    rows: list
    notes: list
    ranked: list


def _known_rows(table, prepared, config):
    """``(frame, n)``: the data a search may look at to plan its candidates (the
    autocorrelation's lookback, the input ranking), and how many rows that is.

    Chronological split: the rows before the first testing target row. Random split
    (testing rows anywhere): every row, with the targets' values at the testing target
    rows blanked (NaN; the statistics fill such gaps from the neighbouring rows). No
    testing target value is ever seen."""
    frame = table.frame
    testing = prepared.target_rows("testing")
    if testing.size == 0:
        return frame, len(frame)
    if config.split.method != "random":
        end = int(testing.min())
        return frame.iloc[:end], end
    frame = frame.copy()
    rows = np.unique(testing)
    rows = rows[rows < len(frame)]
    for target in config.targets:
        values = column_numbers(frame[target.name]).copy()
        values[rows] = np.nan
        frame[target.name] = values
    return frame, len(frame)


def _is_current(changes, config, architecture, settings):
    for key, value in changes.items():
        if key == "hidden_sizes" and list(value) != [int(h) for h in
                                                     architecture.get("hidden_sizes", [])]:
            return False
        if key == "cell" and value != architecture.get("cell", "gru"):
            return False
        if key == "lookback" and value != config.lookback:
            return False
        if key == "inputs" and set(value) != set(plans.candidate_inputs(config)):
            return False
        if key == "l2" and float(value) != float(settings.get("l2", 0.0) or 0.0):
            return False
        if key == "seed" and value != architecture.get("seed", 0):
            return False
    return True


def _x(method, changes, index):
    if method == "neurons":
        return float(changes["hidden_sizes"][0])
    if method == "lookback":
        return float(changes["lookback"])
    if method in ("inputs", "inputs_pruning"):
        return float(len(changes["inputs"]))
    if method == "regularization":
        return float(changes["l2"])
    return float(index)


DATA_ADVICE = {"selection": "give selection a share of the data (data set step).",
               "inputs": "make some columns inputs in the data set step.",
               "split": RANDOM_SPLIT_ADVICE, "one_row": None}
"""What a search's messages on the project's data set advise, in the pages' words: no
``selection`` windows, no ``inputs`` besides the targets, a random ``split`` for a
lookback search, a testing part of ``one_row`` (None:
:data:`~engine.data.pipeline.ONE_TESTING_ROW_ADVICE`); ``rnn-studio select`` gives its
own (the project file)."""


def plan_search(project, method, max_trials=None, table=None, advice=None):
    """The candidates of ``method`` for ``project`` and the data every trial needs;
    ``advice``: what the messages on its data set advise (:data:`DATA_ADVICE`)."""
    advice = {**DATA_ADVICE, **(advice or {})}
    if method not in METHODS:
        raise EngineError(f"Unknown selection method {method!r}; choose one of: "
                          f"{', '.join(METHODS)}.")
    if max_trials is not None and int(max_trials) < 1:
        raise EngineError(f"The number of trials must be at least 1; got {max_trials}.")
    config = project.dataset_config()
    table = project.table(config) if table is None else table
    probe = prepare_training(table, config, advice["one_row"])
    if len(probe.Y_sel) == 0:
        raise EngineError("Model selection compares selection errors, but the split leaves "
                          f"no selection windows; {advice['selection']}")
    architecture = project.architecture.to_dict()
    architecture.pop("n_threads", None)
    settings = training_settings(project.training.to_dict(), len(probe.Y_train))
    trial_settings = trial_recipe(settings, len(probe.Y_train))
    known, n_known = _known_rows(table, probe, config)
    limit = max_trials or plans.DEFAULT_MAX_TRIALS.get(method)
    notes, ranked = [], []
    if method == "neurons":
        changes = plans.neuron_candidates(architecture, limit)
    elif method == "lookback":
        suggested = plans.suggested_lookback(known, config, table.time_step())
        notes.append(f"The autocorrelation suggests a lookback of {suggested}; the "
                     "candidates lie around it.")
        changes = plans.lookback_candidates(suggested, config.lookback,
                                            max(1, n_known // 4), limit)
    elif method in ("inputs", "inputs_pruning"):
        ranked = plans.rank_inputs(known, config)
        if not ranked:
            raise EngineError("Input selection needs inputs besides the targets; "
                              f"{advice['inputs']}")
        notes.append("Inputs by their strongest correlation with the targets: " + ", ".join(
            f"{name} {value:.2f}" for name, value in ranked) + ".")
        if method == "inputs":
            changes = plans.growing_input_candidates(ranked, config, limit)
        else:
            changes = [{"inputs": [name for name, _ in ranked]}]
    elif method == "cell":
        changes = plans.cell_candidates(architecture.get("cell", "gru"),
                                        limit or len(plans.CELLS))
    elif method == "regularization":
        changes = plans.regularization_candidates(settings.get("l2", 0.0), limit)
    else:
        changes = plans.ensemble_candidates(architecture.get("seed", 0), limit)
    rows = [TrialRow(k, c, plans.describe(c), _x(method, c, k),
                     current=_is_current(c, config, architecture, settings))
            for k, c in enumerate(changes)]
    pinned = _testing_pinned(config, probe, method, advice["split"])
    common = _common_rows(table, pinned, architecture, settings, changes, method)
    context = {"table": table, "config": pinned.to_dict(), "architecture": architecture,
               "settings": trial_settings, "rows": common.tolist() if common.size else None}
    return _Plan(context, config, architecture, settings, rows, notes, ranked)


def _testing_pinned(config, probe, method, split_advice):
    """``config`` whose testing part starts where no candidate's training or selection
    window reads a target of the project's own testing part (``probe``, its prepared
    data), for every candidate. A chronological split by shares
    counts windows, so a longer lookback (fewer windows) would move the testing start, and
    its training and selection windows would reach the project's testing rows. A random
    split draws other rows for each window length: a lookback search is refused there
    (the message ends with ``split_advice``)."""
    from dataclasses import replace

    if config.split.method == "random":
        if method == "lookback":
            raise EngineError("A lookback search compares windows of several lengths on the "
                              "same rows, and a random split draws other rows for each "
                              f"length. {split_advice}")
        return config
    testing = probe.target_rows("testing")
    if config.split.test_from is not None or testing.size == 0:
        return config
    # a window belongs to the testing part from its first target row on: the windows
    # before must end their targets (``span`` rows after the first) before the testing rows
    offsets = probe.fitted.target_offsets
    span = int(offsets[-1] - offsets[0])
    start = {"row": int(testing.min()) - span}
    return replace(config, split=replace(config.split, test_from=start))


def _common_rows(table, config, architecture, settings, changes, method):
    """The selection anchors (rows) that every candidate whose windows differ (another
    lookback or other inputs; every pruning round's too) has, so all are scored alike."""
    scored = [c for c in changes if "lookback" in c or "inputs" in c]
    if method == "inputs_pruning":
        scored += plans.pruning_round(changes[0]["inputs"], config)
    common = selection_anchors(table, config)
    for c in scored:
        try:
            candidate = plans.apply_changes(config, architecture, settings, c)[0]
            common = np.intersect1d(common, selection_anchors(table, candidate))
        except EngineError:
            continue                        # the trial itself will say why it cannot run
    return common


def _measure(config):
    """The error a search ranks by, in words: the RMSE of every step ahead the model
    forecasts (:mod:`engine.selection.trial`)."""
    names = [v.name for v in config.targets]
    rmse = ("one-step RMSE" if config.horizon <= 1
            else f"mean RMSE over the {config.horizon} steps ahead")
    if len(names) == 1:
        return f"{rmse} of {names[0]} (target units)"
    return f"mean over {len(names)} targets of {rmse} / spread"


class _Collector:
    """Submits trials, gathers their results into rows, reports progress, cancels."""

    def __init__(self, runner, plan, result, repeats, task):
        self.runner, self.plan, self.result = runner, plan, result
        self.repeats, self.task = repeats, task
        self.done = self.total = 0
        self.single = len(result.targets) == 1

    def run(self, rows, keep_predictions=False):
        """Run every repeat of ``rows``; False when cancelled. A trial that is done when
        it is submitted (one after the other in this process) is reported at once."""
        seed = int(self.plan.architecture.get("seed", 0))
        specs = [(row, {"index": row.index, "repeat": r,
                        "seed": int(row.changes.get("seed", seed + r)),
                        "changes": {k: v for k, v in row.changes.items() if k != "removed"},
                        "keep_predictions": keep_predictions})
                 for row in rows for r in range(self.repeats)]
        self.total += len(specs)
        futures, order, pending = {}, {}, set()
        for row, spec in specs:
            if self.task.cancelled:
                break
            future = self.runner.submit(spec)
            futures[future], order[future] = row, len(order)
            if future.done():
                self._take(future, row)
            else:
                pending.add(future)
        stopped = False
        while pending:
            if not stopped and self.task.cancelled:
                stopped = True
                self.runner.stop()
                for future in pending:
                    future.cancel()
            finished, pending = concurrent.futures.wait(
                pending, WAIT_SECONDS, concurrent.futures.FIRST_COMPLETED)
            for future in sorted(finished, key=order.get):
                self._take(future, futures[future])
        return not stopped and not self.task.cancelled

    def _take(self, future, row):
        """Put a finished trial's outcome into its ``row`` and report the progress."""
        if future.cancelled():
            return
        try:
            outcome = future.result()
        except BrokenProcessPool:
            raise EngineError("A worker process ended unexpectedly (out of memory?); "
                              "the search stopped. Try fewer workers.") from None
        row.runs.append(outcome)
        row.runs.sort(key=lambda run: run["repeat"])
        row.summarize(self.single)
        if outcome.get("cancelled"):
            return
        self.done += 1
        self.task.step(SearchProgress(self.done, self.total, row.snapshot(),
                                      f"Trial {self.done} of {self.total}: {row.label}"))


def run_search(project, method, max_trials=None, repeats=1, workers=None, scheduler=None,
               table=None, task=None, advice=None):
    """Search with ``method`` (one of :data:`METHODS`) on ``project``; returns a
    :class:`~engine.selection.result.SearchResult`.

    max_trials : most candidates (None: the method's default; pruning: most trials)
    repeats : trainings per candidate from seeds ``seed, seed+1, ...`` (ensemble: 1)
    workers : local worker processes (None: one per core; 0: in this process)
    scheduler : a Dask scheduler address; the trials then run on that cluster
    table : the loaded :class:`~engine.data.Table` (else read from the project's file)
    task : :class:`~engine.tasks.TaskState`; ``task.step`` receives a
        :class:`SearchProgress` after each finished trial; when it is cancelled, trials not
        started are dropped, running ones stop at their next batch, and the result holds
        what finished (``cancelled`` True)
    advice : what the messages on the project's data set advise (:data:`DATA_ADVICE`, the
        pages' words)

    The project is not changed: :func:`~engine.selection.result.record_search` keeps the
    result in it and :func:`~engine.selection.result.apply_trial` applies a row.
    """
    started = time.perf_counter()
    repeats = int(repeats)
    if repeats < 1:
        raise EngineError(f"The number of repeats must be at least 1; got {repeats}.")
    if method == "ensemble":
        repeats = 1
    plan = plan_search(project, method, max_trials, table, advice)
    result = SearchResult(method, _measure(plan.config),
                          [v.name for v in plan.config.targets], repeats=repeats,
                          notes=list(plan.notes), fingerprint=settings_fingerprint(project),
                          data_digest=plan.context["table"].digest)
    rows = plan.rows
    if not scheduler and (workers is None or int(workers) > 0):
        # no more processes than trials can run at once
        at_once = len(plan.ranked if method == "inputs_pruning" else rows) * repeats
        workers = max(1, min(int(workers or default_workers()), at_once))
    task = as_task(task)
    with open_runner(plan.context, workers, scheduler, task, work=run_trial) as runner:
        result.runner, result.workers = runner.name, runner.workers
        collector = _Collector(runner, plan, result, repeats, task)
        result.rows = list(rows)
        complete = collector.run(rows, keep_predictions=method == "ensemble")
        if complete and method == "inputs_pruning":
            complete = _prune(collector, plan, result, max_trials
                              or plans.MAX_PRUNING_TRIALS)
    if method == "ensemble":
        _add_ensemble(result, plan)
    result.cancelled = not complete
    result.choose()
    result.seconds = time.perf_counter() - started
    if result.cancelled:
        result.notes.append(f"Stopped by the user after {counted(collector.done, 'trial')}.")
    return result


def _prune(collector, plan, result, max_trials):
    """The pruning rounds after round 0 (see the module docstring); False when
    cancelled."""
    best = result.rows[0]
    if best.selection_score is None:
        return True
    round_number = 0
    while True:
        round_number += 1
        changes = plans.pruning_round(best.changes["inputs"], plan.config)
        if not changes:
            result.notes.append(f"Round {round_number}: no input left to remove.")
            return True
        if len(result.rows) + len(changes) > max_trials:
            result.notes.append(f"Round {round_number} would exceed the limit of "
                                f"{max_trials} trials; stopped there.")
            return True
        start = len(result.rows)
        new = [TrialRow(start + k, c, plans.describe(c), float(len(c["inputs"])),
                        round=round_number) for k, c in enumerate(changes)]
        result.rows += new
        if not collector.run(new):
            return False
        finished = [row for row in new if row.selection_score is not None]
        if not finished:
            result.notes.append(f"Round {round_number}: no trial finished; stopped.")
            return True
        winner = min(finished, key=lambda row: row.selection_score)
        lowest = lowest_row(result.rows)
        result.notes.append(_round_note(round_number, winner, best, lowest))
        if not within_tolerance(winner, lowest.selection_score):
            return True
        best = winner


def _round_note(round_number, winner, best, lowest):
    """What pruning round ``round_number`` decided, in one sentence: ``winner`` (its row
    of the lowest error) against the rows ``best`` (the inputs it started from) and
    ``lowest`` (the lowest error so far)."""
    removed, error = winner.changes["removed"], number(winner.selection_error)
    start = f"Round {round_number}: "
    if not within_tolerance(winner, lowest.selection_score):
        return (start + f"without any one input the selection error is more than "
                f"{TOLERANCE_TEXT} above the lowest ({number(lowest.selection_error)}; at "
                f"best {error}, without {removed}); pruning stops.")
    if winner.selection_score < best.selection_score:
        return (start + f"removing {removed} lowers the selection error most "
                f"({number(best.selection_error)} to {error}); it is left out.")
    return (start + f"without {removed} the selection error is {error}, within "
            f"{TOLERANCE_TEXT} of the lowest ({number(lowest.selection_error)}); {removed} "
            "is left out: fewer inputs win a tie.")


def _add_ensemble(result, plan):
    """The row of the members' averaged predictions, and a note comparing it with them."""
    members = [row for row in result.rows if row.finished_runs()]
    if len(members) < 2:
        return
    parts = {}
    for part in ("training", "selection"):
        runs = [row.finished_runs()[0]["predictions"][part] for row in members]
        predicted = np.mean([np.asarray(run["predicted"], float) for run in runs], axis=0)
        truth = np.asarray(runs[0]["truth"], float)
        parts[part] = score_part(predicted, truth, [v.name for v in plan.config.targets])
    run = {"index": len(result.rows), "repeat": 0, "seed": None,
           "training_rmse": parts["training"][0], "training_score": parts["training"][1],
           "selection_rmse": parts["selection"][0], "selection_score": parts["selection"][1],
           "epochs": 0, "best_epoch": 0, "seconds": 0.0, "error": None, "cancelled": False}
    row = TrialRow(len(result.rows), {"members": len(members)},
                   f"ensemble: average of {len(members)} networks", float(len(result.rows)),
                   ensemble=True, runs=[run]).summarize(len(result.targets) == 1)
    result.rows.append(row)
    errors = [m.selection_error for m in members]
    result.notes.append(f"The ensemble's selection error is {row.selection_error:.4g}; its "
                        f"members' range from {min(errors):.4g} to {max(errors):.4g} (mean "
                        f"{np.mean(errors):.4g}).")
