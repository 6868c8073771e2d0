"""The automatic choice of a global fit's window on the backtest: the candidates (the
windows, then direct or recursive), a choice that never reads the rows it is scored on nor
the testing rows, the lowest OWA chosen, and the person's own lookback, fold and steps at
once kept."""

from dataclasses import replace

import numpy as np
import pytest

from engine.errors import EngineError
from engine.many.choosing import (AVERAGE_STEPS, CLEAR_GAIN, FEW_EPOCHS, TRIAL_EPOCHS,
                                  candidates, choose_settings, fit_chosen, windows_text,
                                  with_windows)
from engine.many.global_model import LATEST_WINDOWS, GlobalSettings
from engine.many.fitting import fit_global
from engine.many.series_data import from_frame
from helpers.many_series import long_frame, seasonal

TINY = dict(hidden_sizes=(4,), max_epochs=2, batch_size=64, seed=0)


def data_of(rows=120, count=4):
    return from_frame(long_frame({f"s{k}": seasonal(rows, 100 * (k + 1), k)
                                  for k in range(count)}), "id", ["y"])


def test_the_candidates_read_the_default_window_a_season_a_step_or_whole():
    data = data_of()
    settings = GlobalSettings(horizon=8, test_last=8, season=4, **TINY)
    found = [(s.lookback, s.fold) for s in candidates(settings, data)]
    # the default lookback (4 horizons, at most 7 seasons: 28) read a season (4 rows) a
    # step, or whole in one step
    assert found == [(28, 4), (28, 28)]
    given = replace(settings, lookback=24)
    assert [(s.lookback, s.fold) for s in candidates(given, data)] == [(24, 4), (24, 24)]
    fixed = replace(settings, lookback=24, fold=2)
    assert [(s.lookback, s.fold) for s in candidates(fixed, data)] == [(24, 2)]
    no_season = GlobalSettings(horizon=5, test_last=5, season=1, lookback=20, **TINY)
    # without a season, a whole number of horizons is read a horizon at a time
    assert [(s.lookback, s.fold) for s in candidates(no_season, data)] == [(20, 5), (20, 20)]
    # a fold given without a lookback: the default lookback in whole steps of it
    assert [(s.lookback, s.fold) for s in candidates(replace(settings, fold=5), data)] == \
        [(25, 5)]


def test_the_lowest_owa_at_the_latest_origin_is_chosen_and_testing_rows_never_read():
    data = data_of()
    settings = GlobalSettings(horizon=8, test_last=8, season=4, **TINY)
    chosen, trials = choose_settings(data, settings)
    # the two windows, direct; then the better one recursive, a season (4 steps) at once
    assert [(t["lookback"], t["fold"], t["block"]) for t in trials[:2]] == \
        [(28, 4, 8), (28, 28, 8)]
    # a candidate replaces the default (the first; then the window, direct) only when its
    # OWA is lower by more than CLEAR_GAIN
    clear = 1 - CLEAR_GAIN
    window = 1 if trials[1]["owa"] < trials[0]["owa"] * clear else 0
    assert (trials[2]["lookback"], trials[2]["fold"], trials[2]["block"]) == \
        (trials[window]["lookback"], trials[window]["fold"], 4)
    best = 2 if trials[2]["owa"] < trials[window]["owa"] * clear else window
    assert [bool(t.get("chosen")) for t in trials] == [k == best for k in range(3)]
    assert (chosen.lookback, chosen.fold, chosen.steps_at_once) == \
        (trials[best]["lookback"], trials[best]["fold"], trials[best]["block"])
    assert chosen.test_last == 8 and chosen.horizon == 8
    # the testing rows (the last 8 of every series) poisoned: the choice never reads them
    poisoned = replace(data, targets=data.targets.copy())
    for i in range(data.n_series):
        poisoned.targets[data.rows(i)][-8:] = 1e6
    again, trials_again = choose_settings(poisoned, settings)
    assert [t["owa"] for t in trials_again] == pytest.approx([t["owa"] for t in trials])


def test_a_stop_during_the_choice_chooses_nothing_and_a_window_too_long_is_said_by_the_fit():
    from engine.tasks import Cancelled, TaskState

    data = data_of(rows=60)
    settings = GlobalSettings(horizon=6, test_last=6, season=4, **TINY)
    task = TaskState()
    task.on_stage = lambda text: task.cancel() if "candidate 1" in text else None
    with pytest.raises(Cancelled):
        choose_settings(data, settings, task)
    seasonal = replace(settings, lookback=12)               # read 4 or 12 rows a step
    assert len(candidates(seasonal, data)) == 2
    short = data_of(rows=20)
    said = []
    chosen, trials = choose_settings(short, seasonal,     # none fits: the default, direct
                                     TaskState(on_stage=said.append))
    # "candidate 2 of 3" was the last word, the third never tried
    assert [text[:37] for text in said[:2]] == ["Choosing the window: candidate 1 of 3",
                                                "Choosing the window: candidate 2 of 3"]
    assert said[2:] == ["No window candidate could be scored, so candidate "
                        "3 (recursive forecasts) is not tried"]
    assert (chosen.fold, chosen.steps_at_once) == (4, 6)
    assert len(trials) == 2 and all(t["owa"] is None and "rows" in t["error"]
                                    for t in trials)
    with pytest.raises(EngineError, match="No series has the .* rows.*shorter lookback"):
        fit_chosen(short, seasonal)


def test_each_candidate_reports_its_epochs_under_its_own_stage_only():
    """The candidates' networks report their epochs (the progress of the choice), not the
    stages of their fits, which would only say the candidate's stage again; they were
    silent, so a listener saw no progress for the whole choice."""
    from engine.tasks import TaskState

    said = []
    task = TaskState(on_stage=lambda text: said.append(text),
                     on_epoch=lambda report: said.append((report.epoch, report.max_epochs)))
    _, trials = choose_settings(data_of(), GlobalSettings(horizon=8, test_last=8, season=4,
                                                          **TINY), task)
    stages = [k for k, item in enumerate(said) if isinstance(item, str)]
    assert [said[k][:37] for k in stages] == ["Choosing the window: candidate 1 of 3",
                                              "Choosing the window: candidate 2 of 3",
                                              "Choosing the window: candidate 3 of 3"]
    for k, trial in zip(stages, trials):
        epochs = said[k + 1:k + 1 + trial["epochs"]]
        assert epochs == [(e, 2) for e in range(1, trial["epochs"] + 1)]
    assert len(said) == 3 + sum(trial["epochs"] for trial in trials)


def test_the_recursive_candidate_takes_a_season_or_one_step_and_only_when_it_can():
    from engine.many.choosing import recursive_candidate

    data = data_of()
    settings = GlobalSettings(horizon=8, test_last=8, season=4, **TINY)
    assert recursive_candidate(settings, data).block == 4          # a season divides H
    assert recursive_candidate(replace(settings, season=3), data).block == 1
    assert recursive_candidate(replace(settings, season=8), data).block == 1
    assert recursive_candidate(replace(settings, block=8), data) is None   # the person's
    assert recursive_candidate(replace(settings, horizon=1), data) is None
    with_inputs = replace(data, inputs=np.ones((len(data.targets), 1)), input_names=["x"])
    assert recursive_candidate(settings, with_inputs) is None
    # a block given is kept and no other is tried
    fixed = replace(settings, lookback=16, fold=4, block=2)
    chosen, trials = choose_settings(data, fixed)
    assert trials == [] and chosen.block == 2


def test_a_candidate_must_beat_the_default_clearly():
    from engine.many.choosing import _clearly_better, trials_text

    trials = [{"owa": 0.850}, {"owa": 0.846}, {"owa": 0.800}]
    assert _clearly_better(trials[:2], 0) == 0              # 0.5% lower: the default stays
    assert _clearly_better(trials, 0) == 2                  # 6% lower: replaced
    assert _clearly_better([{"owa": None}, {"owa": 0.9}], 0) == 1   # no default score
    assert _clearly_better([{"owa": None}], 0) is None
    # every series 0 after the origin: no sMAPE, no OWA; judged by MASE
    nan = float("nan")
    by_mase = [{"owa": nan, "mase": 1.0}, {"owa": nan, "mase": 0.99},
               {"owa": nan, "mase": 0.8}]
    assert _clearly_better(by_mase[:2], 0) == 0 and _clearly_better(by_mase, 0) == 2
    assert _clearly_better([{"owa": nan, "mase": nan}], 0) is None
    shown = [{"lookback": 8, "fold": 4, "block": 2, "horizon": 2, "seconds": 1,
              "smape": 1.0, "mase": 1.0, **t} for t in ({"owa": 0.85, "chosen": True},
                                                         {"owa": 0.846})]
    assert "<- chosen" in trials_text(shown)[0] and "<- chosen" not in trials_text(shown)[1]


def test_the_trial_networks_train_for_at_most_the_trial_epochs(monkeypatch):
    """One network per candidate, for at most TRIAL_EPOCHS epochs, or FEW_EPOCHS + patience
    when more (early stopping after a few epochs must still be seen), or the person's
    fewer epochs."""
    import engine.many.fitting

    asked = []

    def recorded(data, settings, *args, **kwargs):
        asked.append(settings)
        raise EngineError("not fitted here")

    monkeypatch.setattr(engine.many.fitting, "fit_global", recorded)
    data = data_of()
    settings = GlobalSettings(horizon=8, test_last=8, season=4, **TINY)
    for given, epochs in ((dict(max_epochs=40), TRIAL_EPOCHS), (dict(max_epochs=3), 3),
                          (dict(max_epochs=200, patience=30), FEW_EPOCHS + 30)):
        asked.clear()
        chosen, trials = choose_settings(data, replace(settings, members=3, **given))
        assert len(asked) == 2 and all(t["error"] == "not fitted here" for t in trials)
        assert [(s.max_epochs, s.members, s.test_last) for s in asked] == [(epochs, 1, 8)] * 2
        assert chosen.max_epochs == given["max_epochs"]       # the fit's own networks


def test_a_network_that_learns_for_few_epochs_gets_every_window_of_each_series():
    settings = GlobalSettings(horizon=8, test_last=8, season=4, **TINY)      # patience 6
    stopped_at = {"best_epoch": FEW_EPOCHS, "epochs": FEW_EPOCHS + 6}
    few = with_windows(settings, stopped_at)
    assert (few.windows_per_series, few.average_steps) == ("all", AVERAGE_STEPS)
    later = {"best_epoch": FEW_EPOCHS + 1, "epochs": FEW_EPOCHS + 7}
    many = with_windows(settings, later)
    assert (many.windows_per_series, many.average_steps) == (LATEST_WINDOWS, None)
    # the most epochs, not early stopping, ended it: it was still learning
    capped = {"best_epoch": 2, "epochs": 3}
    assert with_windows(settings, capped).windows_per_series == LATEST_WINDOWS
    assert with_windows(settings, {"owa": None}) is settings        # not scored
    given = replace(settings, windows_per_series=50, average_steps=None)   # the person's
    assert with_windows(given, stopped_at) == given
    own_average = with_windows(replace(settings, average_steps=500), stopped_at)
    assert (own_average.windows_per_series, own_average.average_steps) == ("all", 500)
    # the average goes with every window: not with a number of windows the person chose
    assert with_windows(replace(settings, windows_per_series=50), stopped_at).average_steps \
        is None
    assert with_windows(replace(settings, windows_per_series="all"), later).average_steps \
        is None
    # the choice resolves "auto" by the chosen trial's epochs
    data = data_of(rows=300, count=2)
    quick = replace(settings, max_epochs=200, patience=1, learning_rate=0.05)
    chosen, trials = choose_settings(data, quick)
    best = next(t for t in trials if t.get("chosen"))
    assert best["epochs"] < 200 and best["epochs"] - best["best_epoch"] == 1
    expected = "all" if best["best_epoch"] <= FEW_EPOCHS else LATEST_WINDOWS
    assert chosen.windows_per_series == expected
    model = fit_chosen(data, replace(settings, max_epochs=3))     # patience 6
    assert model.settings["windows_per_series"] == LATEST_WINDOWS      # 3 epochs: capped
    assert windows_text(model.settings).startswith("Training windows: the latest 200 of "
                                                   "each series")
    assert model.settings["average_steps"] is None and model.settings["averaged_steps"] is None
    every = {"windows_per_series": "all", "averaged_steps": AVERAGE_STEPS,
             "window_trials": [{"chosen": True, "best_epoch": 3}]}
    assert windows_text(every) == (
        "Training windows: every window of each series (on the latest 200 of each, the "
        "chosen window learned for 3 epochs only); each network keeps its weights averaged "
        "over its latest 3,000 steps.")
    every["window_trials"][0]["best_epoch"] = 0              # the least-squares start kept
    assert ("the chosen window kept its starting point, a linear model fitted by least "
            "squares, as no epoch had a lower selection error)") in windows_text(every)
    # series of 121 windows in all: none has 200, so none is said to train on its latest 200
    short = {**every, "training_windows": 121}
    assert windows_text(short) == (
        "Training windows: every window of each series (the chosen window kept its starting "
        "point, a linear model fitted by least squares, as no epoch had a lower selection "
        "error); each network keeps its weights averaged over its latest 3,000 steps.")
    capped = {**short, "windows_per_series": LATEST_WINDOWS}
    capped["window_trials"] = [{"chosen": True, "best_epoch": 30}]
    assert windows_text(capped) == ("Training windows: every window of each series (the "
                                    "chosen window learned on them for 30 epochs).")
    capped["window_trials"] = [{"chosen": True, "best_epoch": 0}]    # said "for 0 epochs"
    assert windows_text(capped) == (
        "Training windows: every window of each series (the chosen window kept its starting "
        "point, a linear model fitted by least squares, as no epoch had a lower selection "
        "error).")
    model = fit_global(data, replace(quick, windows_per_series="all"))
    assert model.settings["training_windows"] > 2 * LATEST_WINDOWS
    averaged = fit_global(data, replace(quick, windows_per_series="all", max_epochs=2,
                                        average_steps=AVERAGE_STEPS))
    steps_an_epoch = -(-averaged.settings["training_windows"] // quick.batch_size)
    assert averaged.settings["averaged_steps"] == min(AVERAGE_STEPS, 3 * steps_an_epoch)


def test_series_none_of_which_has_200_windows_are_not_said_to_train_on_their_latest_200():
    """11 series of 110 rows: 1,078 windows in all, about 98 in each; the sentence said
    "the latest 200 of each series", judging by the windows in all."""
    data = data_of(rows=110, count=11)
    settings = GlobalSettings(horizon=2, test_last=2, season=1, lookback=4,
                              windows_per_series="all", **TINY)
    model = fit_global(data, replace(settings, max_epochs=1))
    assert model.settings["training_windows"] > LATEST_WINDOWS
    assert 0 < model.settings["most_windows_per_series"] <= LATEST_WINDOWS
    chosen = {**model.settings, "averaged_steps": None,
              "window_trials": [{"chosen": True, "best_epoch": 3}]}
    assert windows_text(chosen) == ("Training windows: every window of each series (the "
                                    "chosen window learned for 3 epochs only).")
    # one series of 300 rows has more than 200: the latest 200 of each are said
    longer = {**chosen, "most_windows_per_series": 290}
    assert "(on the latest 200 of each, the chosen window" in windows_text(longer)


def test_the_candidates_scores_read_as_the_tables_of_scores():
    """Each measure to 4 significant digits, more only where two candidates' figures of it
    would read the same (the OWAs here need 5, the sMAPEs and MASEs keep 4), the sMAPE in %,
    each measure in its column, the windows too when one is longer than the others."""
    from engine.many.choosing import trials_text

    trial = {"lookback": 24, "fold": 24, "horizon": 48, "block": 48, "seconds": 3}
    lines = trials_text([
        {**trial, "owa": 0.85, "smape": 12.3456, "mase": 1.2, "chosen": True},
        {**trial, "fold": 1, "owa": 0.85004, "smape": 9.1, "mase": 10.54},
        {**trial, "block": 24, "owa": 0.9, "smape": 12.3, "mase": 1.2}])
    assert "OWA 0.85000  sMAPE 12.35%  MASE 1.200 (3 s)  <- chosen" in lines[0]
    assert "OWA 0.85004  sMAPE 9.100%  MASE 10.54 (3 s)" in lines[1]
    assert "OWA 0.90000  sMAPE 12.30%  MASE 1.200 (3 s)" in lines[2]
    assert len({line.index("OWA") for line in lines}) == 1
