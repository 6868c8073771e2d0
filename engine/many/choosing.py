"""The automatic choices of a global fit, made on the backtest, in two stages: the rows per
step in which the network reads its window (:func:`candidates`), then, for the window
chosen, direct or recursive forecasts (:func:`recursive_candidate`: a network of fewer
steps at once, its forecasts fed back block by block). Each candidate is fitted at the
latest origin before the testing part (:func:`engine.many.backtest.fold_data`: the fit
never reads the rows it is scored on, nor the testing rows) and scored there by the OWA
against Naive2 of its forecasts of all ``H`` steps on every series
(:mod:`engine.many.metrics`); the candidate with the lowest OWA is chosen when it beats
the default clearly (:data:`CLEAR_GAIN`) and then fitted on all the rows before the
testing part. A candidate is fitted as one network even when the
fit averages several (members), and for at most :data:`TRIAL_EPOCHS` epochs, to keep the
choice quick. Candidates that cannot be fitted
(a lookback too long for the series before the origin) are listed with the reason and
skipped; when none can, the default window is fitted direct (its fit says what is wrong
when the series are too short for it too).

The candidates train on the latest :data:`~engine.many.global_model.LATEST_WINDOWS`
windows of each series. When early stopping ended the chosen one's training after a best
epoch of :data:`FEW_EPOCHS` or fewer, what the network lacks is data, not epochs, and the
fit trains on every window of each series (``windows_per_series`` "all", when the person
left it "auto"), and each network keeps its weights averaged over the latest
:data:`AVERAGE_STEPS` steps of its training, or its latest
:data:`~engine.many.global_model.AVERAGE_EPOCHS` epochs where those have fewer steps
(``average_steps``, when left "auto"; :mod:`engine.training.weight_average`): stopped
after a few epochs of many steps each, the weights of the best epoch are one noisy point
of the path.
"""

import time
from dataclasses import replace

import numpy as np

from engine.errors import EngineError
from engine.figures import column_digits, number
from engine.many.backtest import fold_data
from engine.many.global_model import LATEST_WINDOWS, choice_window
from engine.many.metrics import judged_by
from engine.tasks import as_task
from engine.tolerance import CLEAR_GAIN
from engine.words import counted

FEW_EPOCHS = 10
"""The chosen candidate's best epoch at or below which, when early stopping ended its
training, the fit takes every window of each series (module docstring). On the M4 weekly
series (best epochs 3 to 9) every window lowered the OWA of three networks averaged from
0.731 and 0.734 to 0.710 and 0.719 (seeds 10-12, 13-15); on the M4 hourly series (best
epochs 35 to 40) 400 windows a series instead of 200 gained nothing and took twice the
time."""

AVERAGE_STEPS = 3000
"""The optimizer steps the weights are averaged over when the fit takes every window. On
the M4 weekly series (every window: about 1,300 steps an epoch) single networks of seeds
10-12 reached an OWA of 0.725 / 0.728 / 0.729 without the average, 0.711 / 0.716 / 0.725
over 1,000 steps, 0.706 / 0.716 / 0.724 over 3,000 and 0.704 / 0.721 over 6,000. On the
hourly series (best epochs 24 to 40 of about 320 steps) the average cost 0.006 to 0.010 on
seed 0 (over 300 to 3,000 steps), hence not there (benchmarks/results.md, "Weights
averaged along the path")."""


TRIAL_EPOCHS = 25
"""The most epochs of a candidate's network (fewer when the person set fewer; more when
``FEW_EPOCHS + patience`` is more, so that early stopping can end a trial after a best
epoch of :data:`FEW_EPOCHS` exactly as without the cap, and :func:`with_windows` decides
the same). The trials only rank the windows: on the M4 hourly series the three networks
capped at 25 epochs scored 0.449 / 0.442 / 0.436 at the origin (seed 0; 0.455 / 0.441 /
0.430 at seed 1) against 0.449 / 0.442 / 0.428 (0.452 / 0.436 / 0.419) at 40, the same
choice and so the same fit, in 17% less CPU time (capped at 20, seed 0 would keep the
first window: 0.448 / 0.446); the weekly trials end by early stopping after 9 to 12
epochs, untouched (benchmarks/results.md, "The window's trial networks capped at 25
epochs")."""


def candidates(settings, data):
    """The candidate settings of ``settings`` (whose lookback and fold the person left
    open): the default window (:func:`~engine.many.global_model.window_plan`) read as the
    default fold reads it (a season, or a horizon, a step) and whole in one step (the
    recurrent layer then reads the window as one vector, which on the M4 competition's
    hourly series did best). A lookback or fold the person chose is kept. (A window of
    twice the default lookback was tried as a candidate on the M4 sets: it won at the
    latest origin and lost on the holdout, and took the longest.)"""
    lookback, fold = choice_window(settings, data)
    folds = [fold] if settings.fold is not None else sorted({fold, lookback})
    return [replace(settings, lookback=lookback, fold=f) for f in folds]


def recursive_candidate(settings, data):
    """The recursive counterpart of ``settings`` (direct, its window chosen): a network of
    one season's steps at once when the season is shorter than the horizon and divides it
    (a day of an hourly horizon of two days), else of one step; None when the person fixed
    the steps at once, when the horizon is one step, or when the series have inputs
    (forecasts fed back would need the inputs' future values)."""
    horizon = int(settings.horizon)
    if settings.block is not None or horizon == 1 or data.input_names:
        return None
    season = int(settings.season or 1)
    block = season if 1 < season < horizon and horizon % season == 0 else 1
    return replace(settings, block=block)


def choose_settings(data, settings, task=None):
    """``(chosen, trials)``: the candidate with the lowest OWA at the latest origin before
    the testing part (see the module docstring), and one dict per candidate:
    ``lookback``, ``fold``, ``block`` (the steps at once), ``owa``, ``smape``, ``mase``
    (None and ``error`` when it could not be fitted), ``seconds``. With one candidate, it
    is chosen without a fit. The stages count the recursive candidate among the ``total``
    from the first, as it is tried once any direct one is scored; when none is, a stage
    says that it is not tried."""
    task = as_task(task)
    options = candidates(settings, data)
    recursive = recursive_candidate(options[0], data)
    if len(options) == 1 and recursive is None:
        return options[0], []
    fold = fold_data(data, settings, 1)
    total = len(options) + (recursive is not None)
    trials = [_trial(option, fold, task, number, total)
              for number, option in enumerate(options, 1)]
    best = _clearly_better(trials, 0)
    if best is None:            # none fits before the origin: the fit itself says why
        if recursive is not None:
            task.stage(f"No window candidate could be scored, so candidate {total} "
                       "(recursive forecasts) is not tried")
        return options[0], trials
    chosen = options[best]
    recursive = recursive_candidate(chosen, data)
    if recursive is not None:
        trials.append(_trial(recursive, fold, task, total, total))
        if _clearly_better(trials, best) == len(trials) - 1:
            chosen, best = recursive, len(trials) - 1
    trials[best]["chosen"] = True
    return with_windows(chosen, trials[best]), trials


def with_windows(settings, trial):
    """``settings`` with the training windows per series and the weights' average of the
    chosen ``trial``: every window ("all") when early stopping ended its network's
    training (``settings.patience`` epochs without a better one) after a best epoch of at
    most :data:`FEW_EPOCHS`, else the latest
    :data:`~engine.many.global_model.LATEST_WINDOWS` (also when the most epochs ended it:
    it was still learning); an average over :data:`AVERAGE_STEPS` steps when both the few
    epochs and every window hold, else none. Each as given when the person chose it (not
    "auto"), and both when the trial has no epochs."""
    best, run = trial.get("best_epoch"), trial.get("epochs")
    if best is None or run is None:
        return settings
    few = best <= FEW_EPOCHS and run - best >= int(settings.patience)
    chosen = {}
    if settings.windows_per_series == "auto":
        chosen["windows_per_series"] = "all" if few else LATEST_WINDOWS
    if settings.average_steps == "auto":
        every = chosen.get("windows_per_series", settings.windows_per_series) == "all"
        chosen["average_steps"] = AVERAGE_STEPS if few and every else None
    return replace(settings, **chosen)


def _clearly_better(trials, default):
    """The number of the trial to keep: the lowest OWA when it beats trial ``default`` by
    more than :data:`CLEAR_GAIN` (or ``default`` has no score), else ``default``; None
    when none could be scored. By MASE when no trial has an OWA (every series' values
    after the origin all 0: no sMAPE, :func:`~engine.many.metrics.zero_holdouts`)."""
    key = judged_by(trials)
    best = _best(trials, key)
    own = trials[default].get(key)
    if best is None or own is None or not np.isfinite(own):
        return best
    return best if trials[best][key] < own * (1 - CLEAR_GAIN) else default


def _trial(option, fold, task, number, total):
    """The trial dict of ``option`` fitted as one network on ``fold`` (see
    :func:`choose_settings`); ``task.check()`` after it: a stop chooses nothing."""
    from engine.many.evaluation import evaluate_global
    from engine.many.fitting import fit_global

    steps = option.lookback // option.fold
    window = "whole in one step" if steps == 1 else f"{steps} steps"
    if option.steps_at_once < int(option.horizon):
        window += f", {option.steps_at_once} ahead at once"
    task.stage(f"Choosing the window: candidate {number} of {total} (lookback "
               f"{option.lookback}, {window})")
    started = time.perf_counter()
    trial = {"lookback": int(option.lookback), "fold": int(option.fold),
             "block": option.steps_at_once, "horizon": int(option.horizon)}
    try:
        model = fit_global(fold, trial_settings(option), task.epochs_only(), later=False)
        scores = evaluate_global(model, fold, option.horizon, methods=("naive2",),
                                 coverage=False)
        trial.update({key: scores.summary()["network"][key]
                      for key in ("owa", "smape", "mase")})
        trial["best_epoch"] = int(model.network.best_epoch_)
        trial["epochs"] = len(getattr(model.network, "history_", None) or ())
    except EngineError as error:
        trial.update({"owa": None, "smape": None, "mase": None, "error": str(error)})
    trial["seconds"] = round(time.perf_counter() - started, 1)
    task.check()
    return trial


def trial_settings(option):
    """The settings of ``option``'s trial network: one network (not the members), tested
    on the ``H`` rows after the origin, at most :data:`TRIAL_EPOCHS` epochs (or
    ``FEW_EPOCHS + patience``, when more)."""
    budget = max(TRIAL_EPOCHS, FEW_EPOCHS + int(option.patience))
    return replace(option, test_last=int(option.horizon), members=1,
                   max_epochs=min(int(option.max_epochs), budget))


def _best(trials, key="owa"):
    """The number of the trial of lowest ``key`` (OWA); None when none could be scored."""
    scored = [k for k, t in enumerate(trials)
              if t.get(key) is not None and np.isfinite(t[key])]
    return min(scored, key=lambda k: trials[k][key]) if scored else None


def fit_chosen(data, settings, task=None, workers=0, scheduler=None):
    """:func:`~engine.many.fitting.fit_global` of the settings :func:`choose_settings`
    chooses; the model's ``settings["window_trials"]`` lists the candidates' scores. Units
    left None are sized once, to the fit's training windows, before the trials (each
    trial would otherwise size its network to its own, shorter, data)."""
    from engine.many.fitting import fit_global
    from engine.many.sizing import sized
    from engine.selection.executors import check_workers

    check_workers(workers)              # before the windows are chosen
    settings, sized_note = sized(settings, data)
    chosen, trials = choose_settings(data, settings, task)
    model = fit_global(data, chosen, task, workers=workers, scheduler=scheduler)
    model.settings["window_trials"] = trials
    if sized_note:
        model.notes.append(sized_note)
    return model


def windows_text(settings):
    """A sentence on the training windows per series of a model's ``settings`` (dict) when
    the window's choice set them, else None. Series none of which has more training windows
    than :data:`~engine.many.global_model.LATEST_WINDOWS` are not said to train on the
    latest 200 of each: they train on every window either way (a model that did not record
    the most windows of a series is judged by its windows in all)."""
    chosen = next((t for t in settings.get("window_trials") or () if t.get("chosen")), None)
    if chosen is None or chosen.get("best_epoch") is None:
        return None
    epochs = counted(chosen["best_epoch"], "epoch")
    most = settings.get("most_windows_per_series") or settings.get("training_windows")
    short = 0 < int(most or 0) <= LATEST_WINDOWS
    kept = ("kept its starting point, a linear model fitted by least squares, as no epoch "
            "had a lower selection error")
    if settings.get("windows_per_series") == "all":
        averaged = settings.get("averaged_steps")
        averaged = (f"; each network keeps its weights averaged over its latest "
                    f"{averaged:,} steps") if averaged else ""
        learned = f"learned for {epochs} only" if chosen["best_epoch"] else kept
        latest = "" if short else f"on the latest {LATEST_WINDOWS} of each, "
        return (f"Training windows: every window of each series ({latest}the chosen window "
                f"{learned}){averaged}.")
    if settings.get("windows_per_series") == LATEST_WINDOWS:
        which = "every window" if short else f"the latest {LATEST_WINDOWS}"
        learned = f"learned on them for {epochs}" if chosen["best_epoch"] else kept
        return f"Training windows: {which} of each series (the chosen window {learned})."
    return None


def trials_text(trials):
    """The candidates' scores in lines of text, the chosen one marked (in trials of an
    older model without the mark, the lowest OWA), the scores as :func:`trial_scores_texts`
    gives them and the windows in one column."""
    scored = [t for t in trials if t["owa"] is not None]
    best = next((t for t in trials if t.get("chosen")), None) or \
        (min(scored, key=lambda t: t["owa"]) if scored else None)
    scores = trial_scores_texts(scored)
    windows = [trial_window_text(trial) for trial in trials]
    width = max([40, *map(len, windows)])
    lines = []
    for trial, window in zip(trials, windows):
        figure = f"not possible: {trial['error']}" if trial["owa"] is None else \
            scores[id(trial)]
        mark = "  <- chosen" if trial is best else ""
        lines.append(f"  {window:<{width}} {figure} ({trial['seconds']:.0f} s){mark}")
    return lines


def trial_window_text(trial):
    """The window of a candidate ``trial`` in words: "lookback 24, 24 steps of 1 row", with
    ", 24 ahead at once" when its network forecasts fewer steps than the horizon."""
    steps = trial["lookback"] // trial["fold"]
    window = f"lookback {trial['lookback']}, " + (
        "whole in one step" if steps == 1 else
        f"{steps} steps of {counted(trial['fold'], 'row')}")
    if trial.get("block", trial.get("horizon")) != trial.get("horizon"):
        window += f", {trial['block']} ahead at once"
    return window


TRIAL_MEASURES = (("owa", "OWA", ""), ("smape", "sMAPE", "%"), ("mase", "MASE", ""))
"""The scores :func:`trials_text` shows of each candidate: key, title and unit (the
sMAPE in % as the command line's tables of scores give it)."""


def trial_scores_texts(scored):
    """``id(trial)`` -> "OWA 0.8500  sMAPE 12.34%  MASE 1.234" for each trial of
    ``scored`` (those with scores): each measure to the digits of
    :func:`~engine.figures.table_digits` of its figures across the candidates (4 unless two
    that differ need more to read differently; one measure's figures do not push another's
    digits) and right-aligned to its widest figure."""
    digits = column_digits(scored, [key for key, _, _ in TRIAL_MEASURES])
    texts = {key: [number(t[key], digits[key]) + unit for t in scored]
             for key, _, unit in TRIAL_MEASURES}
    widths = {key: max(map(len, column), default=0) for key, column in texts.items()}
    return {id(trial): "  ".join(f"{title} {texts[key][row]:>{widths[key]}}"
                                 for key, title, _ in TRIAL_MEASURES)
            for row, trial in enumerate(scored)}
