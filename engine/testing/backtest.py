"""Rolling-origin backtesting (time-series cross-validation): the project's network refitted
on the rows before each of ``K`` origins and scored on the block of rows after it, beside
the naive baselines and the classical comparators fitted on the same rows.

Where the origins go. With ``T`` the first testing row (the first row a testing window
predicts; the number of rows ``n`` without a testing part), the block length ``b`` and
``K`` origins (:data:`DEFAULT_ORIGINS`, at most :data:`MAX_ORIGINS`)::

    b   = max(H, P)       with a seasonal period P >= 2 (one whole season, or the horizon)
    b   = max(H, 12)      without one (:data:`engine.testing.evaluation.DEFAULT_BLOCK_ROWS`)
    o_k = T - (K - k + 1) b,        k = 1 .. K
    block k = rows o_k .. o_k + b - 1

so the ``K`` blocks tile the ``K b`` rows just before ``T`` and never reach the testing
part; ``H`` is the model's steps ahead. The first origin must leave at least
:data:`MIN_FOLD_WINDOWS` windows before it, counted as its fold prepares them
(:func:`fold_windows`: after the lookback, the steps ahead and the rows the target
transform uses up, 12 for a seasonal difference of monthly rows), else the backtest is
refused with a plain :class:`~engine.errors.EngineError` that says how many origins fit.

One fold (:func:`run_fold`), for origin ``o`` and block ``b``:

* the network is trained as the project's fit trains its final network
  (:func:`engine.training.run.fit_network`, then the share of its recurrent part chosen on
  the fold's selection rows, :func:`engine.training.linear_share.choose_share`, with
  blocks of at least the steps of the recursive forecasts the project asks for), with the
  project's data-set settings as recorded (target transform, period, lookback, inputs: the
  automatic choices are not made again), architecture and training settings
  (:func:`engine.training.automatic.training_settings` for the fold's window count), on
  the table cut at ``o``: rows ``0 .. o-1`` only, split chronologically into training and
  selection windows in the project's ratio ``f_train : f_sel`` (no testing part). The
  fold's data never reach past ``o - 1``, so its network is the same whatever the rows
  from ``o`` on hold;
* it is scored on rows ``o .. o+b-1`` of the table cut at ``o + b``, in the targets' units
  with the measures of :mod:`engine.testing.metrics` (MASE scaled by the rows before
  ``o``): one step ahead (row ``r`` from the true rows before it) and recursively (the
  forecast from ``o`` over the block, fed its own outputs,
  :meth:`engine.model.forecaster.Forecaster.forecast_from`);
* beside it on the same rows: persistence and seasonal naive
  (:mod:`engine.testing.baselines`) and ETS, Theta and the linear autoregression
  (:mod:`engine.testing.comparators`) fitted on rows before ``o``, one step ahead and from
  ``o``.

Folds are independent and run on the runners of model selection
(:func:`engine.selection.executors.open_runner`: a local process pool, a Dask cluster or
this process). Every fold trains with one thread and no second process (``n_threads``
1), so the results are the same bit for bit whatever the runner.
"""

import dataclasses
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.data import prepare_training
from engine.data.config import RANDOM_SPLIT_ADVICE, DatasetConfig, SplitSettings
from engine.errors import EngineError
from engine.tasks import Cancelled, as_task
from engine.testing.baselines import baselines, season_length
from engine.testing.comparators import NAMES as COMPARATOR_NAMES
from engine.testing.comparators import comparator_scores, fit_comparators, shown_notes
from engine.testing.evaluation import (block_rows, default_start, history_scale, testing_rows,
                                        time_text)
from engine.testing.metrics import KEYS, score
from engine.words import counted

DEFAULT_ORIGINS = 3
MAX_ORIGINS = 10
MIN_FOLD_WINDOWS = 10
BASELINE_ORDER = ("persistence", "seasonal_naive") + tuple(COMPARATOR_NAMES)
MODES = ("one_step", "recursive")
STOPPED = "Backtest stopped by the user; no result was kept."


def origin_rows(end, origins, block):
    """The origins ``o_k = end - (K - k + 1) b``, ``k = 1..K`` (K,), in time order."""
    K = int(origins)
    return [int(end) - (K - k + 1) * int(block) for k in range(1, K + 1)]


def check_origins(origins):
    """``origins`` as an int in ``1 .. MAX_ORIGINS``, else an EngineError."""
    if isinstance(origins, bool) or int(origins) != origins or not \
            1 <= int(origins) <= MAX_ORIGINS:
        raise EngineError(f"The number of origins must be a whole number from 1 to "
                          f"{MAX_ORIGINS}; got {origins!r}.")
    return int(origins)


def fold_split(split):
    """The fold's split: chronological, training and selection in the ratio of the first
    two fractions, no testing part (testing starts after the fold's last row)."""
    train, sel = float(split.fractions[0]), float(split.fractions[1])
    return SplitSettings("chronological", (train / (train + sel), sel / (train + sel), 0.0))


def prepare_fold(table, config, origin):
    """:func:`~engine.data.prepare_training` of a fold at ``origin``: the table's rows
    ``0 .. origin-1`` only, with ``config`` in the fold's split (:func:`fold_split`)."""
    before = dataclasses.replace(table, frame=table.frame.iloc[:int(origin)])
    return prepare_training(before, dataclasses.replace(config,
                                                        split=fold_split(config.split)))


def fold_windows(table, config, origin):
    """The windows a fold at ``origin`` trains on (training and selection): those
    :func:`prepare_fold` makes, after the lookback, the steps ahead, the rows the target
    transform uses up and any row left out; 0 when it makes none."""
    if int(origin) < 1:
        return 0
    try:
        prepared = prepare_fold(table, config, origin)
    except EngineError:                        # no complete window before the origin
        return 0
    return len(prepared.Y_train) + len(prepared.Y_sel)


# -- one fold ---------------------------------------------------------------------------------

def fold_network(context, origin, task=None):
    """``(network, prepared, share)``: the fold's network trained on the table's rows
    before ``origin``, with the share of its recurrent part the fit would keep (module
    docstring; ``share`` None when there was none to choose). Raises
    :class:`~engine.tasks.Cancelled` when ``task`` was cancelled during the training."""
    from engine.training.automatic import training_settings
    from engine.training.linear_share import choose_share, refitted
    from engine.training.run import fit_network

    prepared = prepare_fold(context["table"], DatasetConfig.from_dict(context["config"]),
                            origin)
    settings = context.get("settings") or training_settings(context.get("training"),
                                                           len(prepared.Y_train))
    network, _ = fit_network(prepared, context["architecture"], settings, task,
                             size_advice=context.get("size_advice"))
    if network.cancelled_:
        raise Cancelled(STOPPED)
    _, check = choose_share(network, prepared, context.get("forecast_steps"))
    return refitted(network, prepared, check), prepared, \
        None if check is None else check["share"]


def member_epochs(network):
    """How each network averaged into ``network`` ended: ``[{"best_epoch", "kept_start",
    "epochs"}]`` (:func:`~engine.training.run.member_training` without the history); None
    for a network trained alone."""
    members = getattr(network, "member_trainings_", None)
    if not members:
        return None
    return [{key: member[key] for key in ("best_epoch", "kept_start", "epochs")}
            for member in members]


def fold_predictions(model, frame, origin, block):
    """The network's predictions of rows ``o .. o+b-1`` of ``frame`` (cut at ``o + b``):
    ``{"one_step": (rows (m,), values (m, k)) (not a row right after a gap in time, which
    only the window before the gap reaches), "recursive": (rows, values) up to where it must
    stop (a gap in time, missing inputs), or the reason (text) when no recursive forecast
    can start}``."""
    windows = model.windows(frame)
    first = windows.rows[:, 0]
    chosen = np.flatnonzero((first >= origin) & (first < origin + block) &
                            windows.without_gap()[:, 0])
    _, values = model.predict(windows, chosen)
    out = {"one_step": (first[chosen], values[:, 0, :])}
    try:
        forecast = model.forecast_from(frame, origin, block, until_stop=True)
        out["recursive"] = (np.asarray(forecast.rows), np.asarray(forecast.values))
    except EngineError as error:
        out["recursive"] = str(error)
    return out


def fold_scores(model, encoded, origin, predictions, period, with_comparators=True):
    """``(network {mode: Scores dict or None}, baselines {name: {mode: ...}}, comparators
    {name: dict})`` on the fold's block (module docstring); without ``with_comparators``
    only the naive baselines (the comparators' entries are None)."""
    names = model.target_names
    levels = encoded.levels
    scale = history_scale(levels, origin, encoded.positions)
    comparators = fit_comparators(model, encoded, origin) if with_comparators else {}
    network, others = {}, {name: {} for name in BASELINE_ORDER}
    for mode in MODES:
        if isinstance(predictions[mode], str) or not len(predictions[mode][0]):
            network[mode] = None
            continue
        rows, values = predictions[mode]
        recursive = mode == "recursive"
        scored = encoded.scored_truth(int(model.preprocessing.target_offsets[0]),
                                      origin if recursive else None)
        truth = scored[rows]
        network[mode] = plain(score(truth, values, names, scale))
        naive = baselines(levels, rows, origin, period, recursive, names, scale, scored,
                          encoded.positions)
        known = np.full(rows.shape, origin - 1) if recursive else rows - 1
        naive.update(comparator_scores(comparators, truth, rows, known, names, scale))
        for name in BASELINE_ORDER:
            others[name][mode] = plain(naive.get(name))
    return network, others, {name: c.to_dict() for name, c in comparators.items()}


def plain(scores):
    """A :class:`~engine.testing.metrics.Scores` as ``{"count", "targets"}`` (None stays)."""
    return None if scores is None else scores.to_dict()


def run_fold(context, spec, task=None):
    """One fold (module docstring); what a runner runs (a module-level function).

    context : ``{"table": Table, "config": the fold's DatasetConfig dict, "architecture":
        dict, "training": the project's training section (dict) or None, "settings": fixed
        training settings (a model file's) or None, "period": the baselines' season, P
        or None (:func:`baseline_period`: the same for every fold), "comparators": False
        to leave ETS, Theta and the linear model out (faster), "forecast_steps": the
        recursive forecasts' steps the project asks for (optional)}``
    spec : ``{"index": k, "origin": o, "block": b}``
    Returns a plain dict: ``index``, ``origin_row``, ``rows`` (rows scored one step ahead,
    the network's ``count``), ``network``
    and ``baselines`` (``{mode: {"count", "targets"}}``), ``comparators`` (each one's
    form or reason), ``epochs``, ``best_epoch`` (of the network trained last, as the
    training page's curve shows it), ``members`` (each network averaged: ``{"best_epoch",
    "kept_start", "epochs"}``; None for one network), ``linear_share`` (the share of the
    recurrent part kept, None when none was chosen), ``weights_sha256``, ``seconds`` and
    ``predictions`` (``{mode: {"rows", "values"}}``, lists).
    """
    from engine.model.forecaster import Forecaster
    from engine.model.model_file import weights_checksum

    task = as_task(task)
    started = time.perf_counter()
    origin, block = int(spec["origin"]), int(spec["block"])
    network, prepared, share = fold_network(context, origin, task)
    fitted = prepared.fitted
    model = Forecaster(network, {"preprocessing": fitted.to_dict(), "metadata": {}}, fitted)
    frame = context["table"].frame.iloc[:origin + block]
    predictions = fold_predictions(model, frame, origin, block)
    encoded = fitted.encode(frame, prediction=True)
    scores, others, comparators = fold_scores(model, encoded, origin, predictions,
                                              context.get("period"),
                                              context.get("comparators", True))
    # the rows scored one step ahead: those predicted, but not those of an empty target
    # or read from a filled-in row (fold_scores leaves them out)
    count = (scores["one_step"] or {}).get("count", 0)
    return {"index": int(spec["index"]), "origin_row": origin, "block": block,
            "rows": int(count), "network": scores, "baselines": others,
            "comparators": comparators, "epochs": len(network.history_),
            "linear_share": share,
            "best_epoch": int(network.best_epoch_), "members": member_epochs(network),
            "weights_sha256": weights_checksum(network.state_dict()),
            "seconds": time.perf_counter() - started,
            "predictions": {mode: None if isinstance(p, str) else
                            {"rows": p[0].tolist(), "values": p[1].tolist()}
                            for mode, p in predictions.items()}}


# -- the result -------------------------------------------------------------------------------

MEDIAN_FROM = 3
"""Origins from which the median over them is given beside the mean (with two they agree)."""
PULLED_AWAY = 1.5
"""A network's mean RMSE over the origins above this many times their median: one origin or
a few (a forecast that ran away) decide the mean, and the Backtest tab shows the median
too."""


def over_origins(entries, statistic=np.mean):
    """The ``statistic`` (``np.mean`` or ``np.median``) over origins of ``{"count",
    "targets"}`` dicts (None ones skipped): each measure's per target, ``count`` the sum;
    None when all are None."""
    entries = [e for e in entries if e is not None]
    if not entries:
        return None
    targets = {}
    for name in entries[0]["targets"]:
        targets[name] = {}
        for measure in KEYS:
            values = [e["targets"][name][measure] for e in entries
                      if e["targets"].get(name, {}).get(measure) is not None]
            targets[name][measure] = float(statistic(values)) if values else None
    return {"count": int(sum(e["count"] for e in entries)), "origins": len(entries),
            "targets": targets}


@dataclass
class Backtest:
    """A backtest's outcome: ``folds`` (the :func:`run_fold` dicts, in time order, each
    with ``origin_time``), ``target_names``, ``block`` rows per origin, ``testing_start``
    (``T``), ``runner`` and ``workers`` it ran on, ``seconds`` in all."""

    target_names: list
    block: int
    testing_start: int
    folds: list = field(default_factory=list)
    runner: str = ""
    workers: int = 1
    seconds: float = 0.0
    file_rows: int | None = None

    def notes(self):
        """``["Origin k: note"]``: what each fold's comparators say of the rows a gap in
        time left them and of a season ETS could not follow
        (:func:`~engine.testing.comparators.shown_notes`), in the origins' order; the same
        words of ETS and Theta once (:func:`merged`)."""
        said = [[note for c in (fold.get("comparators") or {}).values()
                 for note in (c or {}).get("notes", [])] for fold in self.folds]
        return [f"Origin {k}: {note}" for k, notes in enumerate(said, 1)
                for note in merged(shown_notes(notes))]

    def placement(self):
        """Where the origins stand, in words (:func:`placement`)."""
        return placement(self.testing_start, self.file_rows)

    def mean(self):
        """``{"network": {mode: mean}, "baselines": {name: {mode: mean}}}`` over origins
        (:func:`over_origins`)."""
        return self._over_origins(np.mean)

    def median(self):
        """As :meth:`mean`, the median over origins: an origin whose forecast ran away
        (few rows before it) moves it little, where it can decide the mean alone."""
        return self._over_origins(np.median)

    def mean_pulled_away(self, target, modes=MODES):
        """Whether one origin or a few pull the network's mean RMSE for ``target`` (in any
        of ``modes``) above :data:`PULLED_AWAY` times its median, a median above 0 over at
        least :data:`MEDIAN_FROM` origins."""
        if len(self.folds) < MEDIAN_FROM:
            return False
        mean, median = self.mean()["network"], self.median()["network"]
        for mode in modes:
            if mean[mode] is None:
                continue
            a, b = (s[mode]["targets"][target]["rmse"] for s in (mean, median))
            if a is not None and b is not None and b > 0 and a > PULLED_AWAY * b:
                return True
        return False

    def verdict_reads(self, target=None):
        """The errors a verdict on this backtest compares
        (:func:`~engine.testing.verdict.verdict_on_backtest`, the Backtest tab's best
        baseline): ``(mode, median)``, the recursive ones when the network has a recursive
        score (else one step ahead), over the origins by their median when one origin or a
        few pull the network's mean away in that mode (else their mean)."""
        target = target or self.target_names[0]
        mode = "recursive" if self.mean()["network"]["recursive"] is not None \
            else "one_step"
        return mode, self.mean_pulled_away(target, (mode,))

    def _over_origins(self, statistic):
        return {"network": {mode: over_origins([f["network"][mode] for f in self.folds],
                                               statistic) for mode in MODES},
                "baselines": {name: {mode: over_origins([f["baselines"][name].get(mode)
                                                         for f in self.folds], statistic)
                                     for mode in MODES}
                              for name in BASELINE_ORDER}}

    def origins(self):
        """The ``"origins"`` list of :meth:`to_dict`."""
        keys = ("origin_row", "origin_time", "rows", "network", "baselines", "comparators",
                "epochs", "best_epoch", "members", "linear_share", "weights_sha256",
                "seconds")
        return [{key: fold[key] for key in keys} for fold in self.folds]

    def to_dict(self):
        return {"origins": self.origins(), "mean": self.mean(), "median": self.median(),
                "block_rows": self.block,
                "testing_start_row": self.testing_start, "targets": list(self.target_names),
                "runner": self.runner, "workers": self.workers,
                "seconds": round(self.seconds, 2)}

    def best_baseline(self, mode="one_step", target=None, median=False):
        """The baseline of lowest mean RMSE over the origins (their median with
        ``median``) for ``target`` (the first by default): ``(name, that RMSE)``, or
        ``(None, None)``."""
        target = target or self.target_names[0]
        best = (None, None)
        over = self.median() if median else self.mean()
        for name, modes in over["baselines"].items():
            entry = modes.get(mode)
            value = None if entry is None else entry["targets"][target]["rmse"]
            if value is not None and (best[1] is None or value < best[1]):
                best = (name, value)
        return best


# -- placing and running the folds ------------------------------------------------------------

@dataclass
class Plan:
    """What every fold needs (``context``, see :func:`run_fold`) and where they go."""

    context: dict
    target_names: list
    testing_start: int
    block: int
    origins: list


def plan_folds(table, config, testing_start, origins, block=None, steps=None):
    """Place the origins before ``testing_start`` (module docstring) and check that the
    first leaves :data:`MIN_FOLD_WINDOWS` windows to train on (:func:`fold_windows`);
    returns ``(block, origins list)``. Without ``block``, :func:`block_rows` of the
    recursive forecasts' ``steps`` the project asks for."""
    origins = check_origins(origins)
    block = block_rows(config.horizon, config.period, steps) if block is None \
        else int(block)
    if block < 1:
        raise EngineError(f"Each origin must score at least one row; got {block}.")
    placed = origin_rows(testing_start, origins, block)
    windows = fold_windows(table, config, placed[0])
    if windows < MIN_FOLD_WINDOWS:
        raise EngineError(too_short_message(table, config, testing_start, block, placed,
                                            windows))
    return block, placed


def too_short_message(table, config, testing_start, block, placed, windows):
    """Why the series is too short for the origins ``placed`` (the first leaving
    ``windows`` windows), with how many of the later ones would leave enough."""
    from engine.data.transforms import lag_of

    K = len(placed)
    if placed[0] < 0:
        first = (f"they take {K * block} rows, and only {testing_start} come before it, "
                 "with no window left to train on")
    else:
        lag = lag_of(config.target_transform, config.period)
        used = (f", after the {counted(lag, 'row')} the "
                f"{config.target_transform.replace('_', ' ')} uses up") if lag else ""
        first = (f"the first origin, row {placed[0]}, leaves {counted(windows, 'window')} "
                 f"of lookback {config.lookback} to train on{used}")
    fit = next((K - k for k in range(1, K) if placed[k] > 0 and
                fold_windows(table, config, placed[k]) >= MIN_FOLD_WINDOWS), 0)
    fits = f" {counted(fit, 'origin')} of {block} rows would fit." if fit else ""
    more = ("more rows before the testing part" if testing_start < len(table.frame)
            else "a longer series")
    return (f"The series is too short for {counted(K, 'origin')} of {counted(block, 'row')} "
            f"{placement(testing_start, len(table.frame))}: {first}; at least "
            f"{MIN_FOLD_WINDOWS} windows are needed.{fits} Use fewer origins or fewer rows "
            f"per origin, a shorter lookback, or {more}.")


def merged(notes):
    """``notes`` ("ETS: words", "Theta: words") with the same words said once, of both
    ("ETS and Theta: words"), in their order."""
    named = {}
    for note in notes:
        name, _, words = note.partition(": ")
        named.setdefault(words, []).append(name)
    return [f"{' and '.join(names)}: {words}" for words, names in named.items()]


def placement(testing_start, file_rows):
    """Where a backtest's origins stand, in words: before the testing part, which begins
    at data row ``testing_start``, or at the end of a file of ``file_rows`` rows without
    one (``testing_start == file_rows``; None: not known)."""
    if file_rows is None or testing_start < file_rows:
        return f"before the testing part (row {testing_start})"
    return f"at the end of the file (row {file_rows}; it has no testing part)"


PROJECT_ADVICE = {"split": RANDOM_SPLIT_ADVICE, "size": None, "one_row": None}
"""What the messages of a project's backtest advise, in the pages' words: ``split`` on a
random split (which only a project file sets), ``size`` on a fold's networks averaged too
large to merge (None: :data:`~engine.training.run.MERGED_SIZE_ADVICE`, steps 3 and 4; a
fold of fewer windows may average more networks than the project's fit did), a testing
part of ``one_row`` (None: :data:`~engine.data.pipeline.ONE_TESTING_ROW_ADVICE`).
``rnn-studio backtest PROJECT.json`` gives its own (the project file, its options)."""


def project_plan(project, origins=DEFAULT_ORIGINS, table=None, block=None,
                 comparators=True, advice=None):
    """The :class:`Plan` of a project (its data file, or ``table``); ``advice``: what its
    messages advise (:data:`PROJECT_ADVICE`)."""
    from engine.project.checks import check_project

    advice = {**PROJECT_ADVICE, **(advice or {})}
    check_project(project)
    config = project.dataset_config()
    if config.split.method == "random":
        raise EngineError("Backtesting needs a chronological split (rolling origins move "
                          "forward in time); the project's split is random. "
                          f"{advice['split']}")
    table = project.table(config) if table is None else table
    prepared = prepare_training(table, config, advice["one_row"])
    testing = prepared.target_rows("testing")
    end = int(testing.min()) if testing.size else len(table.frame)
    block, placed = plan_folds(table, config, end, origins, block,
                               project.selection.settings.get("forecast_steps"))
    fold_config = dataclasses.replace(config, split=fold_split(config.split))
    architecture = dict(project.architecture.to_dict(), n_threads=1)
    context = {"table": table, "config": fold_config.to_dict(),
               "architecture": architecture, "training": project.training.to_dict(),
               "settings": None, "period": baseline_period(table, config, placed[0]),
               "comparators": bool(comparators),
               "forecast_steps": project.selection.settings.get("forecast_steps"),
               "size_advice": advice["size"]}
    return Plan(context, [v.name for v in config.targets], end, block, placed)


def baseline_period(table, config, end):
    """The seasonal naive's period in the folds: the season length of ``config``, else the
    season detected in the first target's rows before row ``end``
    (:func:`~engine.testing.baselines.season_length`): the first origin, so that no fold's
    baselines read rows after its origin and every fold has the same baselines to average
    over the origins."""
    values = pd.to_numeric(table.frame[config.targets[0].name], errors="coerce")
    return season_length(config.period, values.to_numpy(dtype=float)[:, None], end,
                         table.time_step())


def model_config(model):
    """The :class:`~engine.data.DatasetConfig` a model file was fitted with, from its fitted
    preprocessing; the split's fractions as the fit recorded them (``metadata["split"]``),
    else (a model file of an earlier version) the ratio of its training and selection
    windows, which can round otherwise than the project's fractions did."""
    from engine.data.csv_reader import CsvOptions

    fitted = model.preprocessing
    summary = (model.metadata or {}).get("training") or {}
    train = float(summary.get("training_windows") or 0)
    sel = float(summary.get("selection_windows") or 0)
    fractions = (train / (train + sel), sel / (train + sel), 0.0) if train > 0 \
        else (0.75, 0.25, 0.0)
    split = (model.metadata or {}).get("split") or {}
    if split.get("method") == "chronological" and split.get("fractions"):
        fractions = tuple(float(f) for f in split["fractions"])     # as the project's
    variables = [{"name": v["name"], "role": v["role"], "type": v["type"],
                  "scaler": v["scaler"]["method"] if isinstance(v.get("scaler"), dict)
                  else v.get("scaler", "none")} for v in fitted.variables]
    if fitted.time_column:
        variables.insert(0, {"name": fitted.time_column, "role": "time", "type": "datetime",
                             "scaler": "none"})
    return DatasetConfig.from_dict({
        "csv": CsvOptions(time_column=fitted.time_column or False).to_dict(),
        "variables": variables, "missing": fitted.missing,
        "target_transform": fitted.target_transform, "period": fitted.period,
        "lookback": fitted.lookback, "horizon": fitted.horizon,
        "split": {"method": "chronological", "fractions": list(fractions),
                  "test_from": None, "seed": 0}})


def model_plan(model, frame, origins=DEFAULT_ORIGINS, block=None, comparators=True):
    """The :class:`Plan` of a loaded model (:class:`~engine.model.forecaster.Forecaster`)
    and a data frame: the data-set settings of its preprocessing, the network's
    architecture and the training settings its metadata recorded (the linear share read on
    blocks as long as its own was); testing starts where
    the model's testing started (:func:`~engine.testing.evaluation.testing_rows`, else
    :func:`~engine.testing.evaluation.default_start`, else after the last row)."""
    from engine.data import load_table
    from engine.network.architecture import ARCHITECTURE_KEYS

    settings = ((model.metadata or {}).get("training") or {}).get("settings")
    if not settings:
        raise EngineError("This model file does not record the training settings a refit "
                          "needs (it was not saved by rnn-studio fit or the training page). "
                          "Give the project file instead: rnn-studio backtest PROJECT.json "
                          "DATA.csv.")
    if ((model.metadata or {}).get("split") or {}).get("method") == "random":
        raise EngineError("Backtesting needs a chronological split (rolling origins move "
                          "forward in time); this model was fitted with a random split. "
                          "Set \"method\" to \"chronological\" in the \"split\" of its "
                          "project's data set settings, fit it again, and backtest that "
                          "model or the project.")
    config = model_config(model)
    table = load_table(frame, config.csv)
    n = len(table.frame)
    times = table.frame[table.time_column] if table.time_column else None
    zone = table.frame.attrs.get("time_zone")
    tested = testing_rows(model.metadata, n, times, zone)
    end = int(tested[0]) if tested is not None else \
        default_start(model.metadata, times, n, zone)
    end = n if end is None else end
    share = ((model.metadata or {}).get("training") or {}).get("linear_share") or {}
    # the blocks the fit read its linear share on: its forecast length (fit --forecast-steps)
    block, placed = plan_folds(table, config, end, origins, block, steps=share.get("block"))
    architecture = {key: getattr(model.network, key) for key in ARCHITECTURE_KEYS}
    members = int(settings.get("members") or 1)      # an ensemble: each member's units
    architecture["hidden_sizes"] = [int(h) // members for h in architecture["hidden_sizes"]]
    architecture["n_threads"] = 1
    context = {"table": table, "config": config.to_dict(), "architecture": architecture,
               "training": None, "settings": dict(settings),
               "period": baseline_period(table, config, placed[0]),
               "comparators": bool(comparators),
               "forecast_steps": share.get("block")}      # the blocks its share was read on
    return Plan(context, list(model.target_names), end, block, placed)


def origin_time(table, row):
    """The time of data row ``row`` as short text, or None without a time column."""
    if not table.time_column:
        return None
    return time_text(table.frame[table.time_column].iloc[int(row)],
                     table.frame.attrs.get("time_zone"))


def collect(runner, plan, task):
    """Submit a fold per origin and gather the results in time order
    (:func:`~engine.selection.executors.gather`). ``task.stage`` says how many folds are
    done; cancelling stops the runner and raises :class:`~engine.tasks.Cancelled`
    (between folds in this process, at the next batch in a pool)."""
    from engine.selection.executors import gather

    total = len(plan.origins)
    results = {}

    def finished(future, k):
        try:
            outcome = future.result()
        except BrokenProcessPool:
            raise EngineError("A worker process ended unexpectedly (out of memory?); the "
                              "backtest stopped. Try fewer workers.") from None
        except EngineError as error:
            raise EngineError(f"Origin {k + 1} (row {plan.origins[k]}): {error}") from None
        results[outcome["index"]] = outcome
        task.stage(f"Backtest: {len(results)} of {total} origins done")

    gather(runner, [{"index": k, "origin": origin, "block": plan.block}
                    for k, origin in enumerate(plan.origins)], task, finished, STOPPED)
    return [results[k] for k in range(total)]


def run_plan(plan, workers=0, scheduler=None, task=None):
    """Run every fold of ``plan`` (:class:`Plan`) on a runner
    (:func:`engine.selection.executors.open_runner`: ``workers`` local processes, None one
    per core, 0 this process; or the Dask ``scheduler``); returns a :class:`Backtest`."""
    from engine.selection.executors import default_workers, open_runner

    task = as_task(task)
    started = time.perf_counter()
    if not scheduler and (workers is None or int(workers) > 0):
        workers = max(1, min(int(workers or default_workers()), len(plan.origins)))
    task.stage(f"Backtest: fitting {len(plan.origins)} origins")
    with open_runner(plan.context, workers, scheduler, task, work=run_fold) as runner:
        folds = collect(runner, plan, task)
        name, count = runner.name, runner.workers
    table = plan.context["table"]
    for fold in folds:
        fold["origin_time"] = origin_time(table, fold["origin_row"])
    return Backtest(plan.target_names, plan.block, plan.testing_start, folds, name,
                    int(count), time.perf_counter() - started, len(table.frame))


def backtest_project(project, origins=DEFAULT_ORIGINS, workers=0, scheduler=None,
                     table=None, block=None, task=None, comparators=True, advice=None):
    """Backtest a :class:`~engine.project.document.Project` (its data file, or ``table``,
    a loaded :class:`~engine.data.Table`) at ``origins`` rolling origins; returns a
    :class:`Backtest`. ``block``: rows per origin (None: :func:`block_rows`); ``task``: a
    stage per finished fold; cancelling raises :class:`~engine.tasks.Cancelled`;
    ``comparators`` False: the naive baselines only; ``advice``: what its messages advise
    (:data:`PROJECT_ADVICE`)."""
    plan = project_plan(project, origins, table, block, comparators, advice)
    return run_plan(plan, workers, scheduler, task)


def backtest_model(model, frame, origins=DEFAULT_ORIGINS, workers=0, scheduler=None,
                   block=None, task=None, comparators=True):
    """Backtest a loaded model (:class:`~engine.model.forecaster.Forecaster`) on a data
    frame, refitting with what its file records (:func:`model_plan`)."""
    plan = model_plan(model, frame, origins, block, comparators)
    return run_plan(plan, workers, scheduler, task)


def backtest_file(source, data_path, origins=DEFAULT_ORIGINS, workers=0, scheduler=None,
                  block=None, task=None, csv_format=None, advice=None):
    """Backtest a project file (``.json``) or a model file on the CSV file ``data_path``:
    a project reads it with its own CSV options, a model as it reads any file, each with
    ``csv_format`` over them (``{option: value}`` of
    :data:`~engine.data.csv_reader.FORMAT_KEYS`, as ``--delimiter`` ... give; None: none).
    ``advice``: what a project's messages advise (:data:`PROJECT_ADVICE`)."""
    import os

    if os.fspath(source).lower().endswith(".json"):
        from engine.project.document import load_project

        project = load_project(source)
        project.use_csv_format(csv_format)
        config = project.dataset_config()
        from engine.data import load_table

        table = load_table(data_path, config.csv)
        return backtest_project(project, origins, workers, scheduler, table, block, task,
                                advice=advice)
    from engine.model.model_file import load_model

    model = load_model(source)
    model.use_csv_format(csv_format)
    return backtest_model(model, model.read_csv(data_path), origins, workers, scheduler,
                          block, task)
