"""The automatic choices of a global fit, made on the backtest: each candidate (the rows per
step in which the network reads its window, :func:`candidates`) is fitted at the latest origin
before the testing part (:func:`engine.many.backtest.fold_data`: the fit never reads the
rows it is scored on, nor the testing rows) and scored there by its OWA against Naive2 on
every series (:mod:`engine.many.metrics`); the candidate with the lowest OWA is chosen and
then fitted on all the rows before the testing part. A candidate is fitted as one network
even when the fit averages several (members), to keep the choice quick. Candidates that cannot be fitted (a
lookback too long for the series) are listed with the reason and skipped.
"""

import time
from dataclasses import replace

import numpy as np

from engine.errors import EngineError
from engine.many.backtest import fold_data
from engine.many.global_model import window_plan
from engine.tasks import as_task


def candidates(settings, data):
    """The candidate settings of ``settings`` (whose lookback and fold the person left
    open): the default window (:func:`~engine.many.global_model.window_plan`) read as the
    default fold reads it (a season, or a horizon, a step) and whole in one step (the
    recurrent layer then reads the window as one vector, which on the M4 competition's
    hourly series did best). A lookback or fold the person chose is kept. (A window of
    twice the default lookback was tried as a candidate on the M4 sets: it won at the
    latest origin and lost on the holdout, and took the longest.)"""
    fit_rows = data.lengths - int(settings.test_last) - int(settings.horizon)
    lookback, fold = window_plan(settings, fit_rows)
    folds = [fold] if settings.fold is not None else sorted({fold, lookback})
    return [replace(settings, lookback=lookback, fold=f) for f in folds]


def choose_settings(data, settings, task=None):
    """``(chosen, trials)``: the candidate of :func:`candidates` with the lowest OWA at the
    latest origin before the testing part, and one dict per candidate: ``lookback``,
    ``fold``, ``owa``, ``smape``, ``mase`` (None and ``error`` when it could not be
    fitted), ``seconds``. With one candidate, it is chosen without a fit."""
    from engine.many.evaluation import evaluate_global
    from engine.many.fitting import fit_global

    task = as_task(task)
    options = candidates(settings, data)
    if len(options) == 1:
        return options[0], []
    fold = fold_data(data, settings, 1)
    trials = []
    for number, option in enumerate(options, 1):
        steps = option.lookback // option.fold
        task.stage(f"Choosing the window: candidate {number} of {len(options)} (lookback "
                   f"{option.lookback}, " + ("whole in one step)" if steps == 1 else
                                             f"{steps} steps)"))
        started = time.perf_counter()
        trial = {"lookback": int(option.lookback), "fold": int(option.fold)}
        try:
            model = fit_global(fold, replace(option, test_last=int(settings.horizon),
                                             members=1), task.silenced())
            scores = evaluate_global(model, fold, settings.horizon, methods=("naive2",))
            trial.update({key: scores.summary()["network"][key]
                          for key in ("owa", "smape", "mase")})
        except EngineError as error:
            trial.update({"owa": None, "smape": None, "mase": None, "error": str(error)})
        trial["seconds"] = round(time.perf_counter() - started, 1)
        trials.append(trial)
        task.check()                # stopped: no half-trained candidate is chosen
    scored = [k for k, t in enumerate(trials) if t["owa"] is not None and
              np.isfinite(t["owa"])]
    if not scored:
        reason = next((t["error"] for t in trials if t.get("error")),
                      "no candidate gave a finite score")
        raise EngineError(f"No candidate window could be fitted before the testing part: "
                          f"{reason} Use a shorter lookback (step 2, or --lookback).")
    best = min(scored, key=lambda k: trials[k]["owa"])
    return options[best], trials


def fit_chosen(data, settings, task=None, workers=0, scheduler=None):
    """:func:`~engine.many.fitting.fit_global` of the settings :func:`choose_settings`
    chooses; the model's ``settings["window_trials"]`` lists the candidates' scores."""
    from engine.many.fitting import fit_global

    chosen, trials = choose_settings(data, settings, task)
    model = fit_global(data, chosen, task, workers=workers, scheduler=scheduler)
    model.settings["window_trials"] = trials
    return model


def trials_text(trials):
    """The candidates' scores in lines of text, the chosen one (lowest OWA) marked."""
    scored = [t for t in trials if t["owa"] is not None]
    best = min(scored, key=lambda t: t["owa"]) if scored else None
    lines = []
    for trial in trials:
        steps = trial["lookback"] // trial["fold"]
        window = f"lookback {trial['lookback']}, " + (
            "whole in one step" if steps == 1 else f"{steps} steps of {trial['fold']} rows")
        figure = f"not possible: {trial['error']}" if trial["owa"] is None else \
            f"OWA {trial['owa']:.3f}  sMAPE {trial['smape']:.2f}  MASE {trial['mase']:.3f}"
        mark = "  <- chosen" if trial is best else ""
        lines.append(f"  {window:<40} {figure} ({trial['seconds']:.0f} s){mark}")
    return lines
