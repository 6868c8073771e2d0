"""Model selection (step 5): each method on data whose right answer is known, the result
object, applying a row to the project."""

import copy

import numpy as np
import pandas as pd
import pytest

from engine.training.automatic import trial_recipe, training_recipe
from engine.data import DatasetConfig, SplitSettings, default_config, load_table, \
    prepare_training
from engine.errors import EngineError
from engine.project.document import load_project, new_project, save_project
from engine.project.model_status import settings_fingerprint
from engine.selection import (SearchResult, TrialRow, apply_trial, plan_search,
                              record_search, restamp_searches, run_search,
                              search_is_current, stored_searches)
from engine.selection.candidates import (cell_candidates, describe, lookback_candidates,
                                         neuron_candidates, rank_inputs)
from engine.training.run import fit_network


def two_of_six(rows=200, seed=1):
    """``y_t = 0.9 x1_(t-1) - 0.7 x4_(t-1) + 0.1 e_t``; x1, x4 white noise, the other
    four inputs random walks that have nothing to do with y."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, 6))
    for k in (0, 2, 3, 5):
        X[:, k] = np.cumsum(X[:, k]) / 3
    y = np.zeros(rows)
    y[1:] = 0.9 * X[:-1, 1] - 0.7 * X[:-1, 4] + 0.1 * rng.standard_normal(rows - 1)
    frame = pd.DataFrame(X, columns=[f"x{k}" for k in range(6)])
    frame.insert(0, "y", y)
    return frame


def lag_three(rows=300, seed=0):
    """``y_t = 0.8 y_(t-3) + e_t``: lags 1 and 2 carry no information, lag 3 nearly all."""
    rng = np.random.default_rng(seed)
    y = np.zeros(rows)
    e = rng.standard_normal(rows)
    for t in range(rows):
        y[t] = (0.8 * y[t - 3] if t >= 3 else 0.0) + e[t]
    return pd.DataFrame({"y": y})


def squared_input(rows=240, seed=0):
    """``y_t = x_(t-1)^2 + 0.05 e_t``: one unit (a monotone function of x) cannot fit it."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(rows)
    y = np.zeros(rows)
    y[1:] = x[:-1] ** 2 + 0.05 * rng.standard_normal(rows - 1)
    return pd.DataFrame({"y": y, "x": x})


def project_on(frame, folder, lookback=2, hidden=8, cell="gru", max_epochs=100,
               patience=20, seed=0, split=(0.6, 0.2, 0.2)):
    """``(project, table)``: target ``y``, every other column an input."""
    table = load_table(frame)
    config = default_config(table, ["y"], lookback=lookback)
    config.split = SplitSettings(fractions=split)
    project = new_project("selection test", folder)
    project.data.config = config
    architecture, training = project.architecture, project.training
    architecture.hidden_sizes, architecture.cell, architecture.seed = [hidden], cell, seed
    architecture.linear_path = False      # the known answers are the recurrent network's
    training.max_epochs, training.patience, training.batch_size = max_epochs, patience, 32
    return project, table


def test_a_yes_no_text_input_is_ranked_by_its_cross_correlation():
    """A flag written as yes/no (a holiday) was read with float() and stopped both input
    searches with "could not convert string to float"."""
    rng = np.random.default_rng(0)
    holiday = rng.random(200) < 0.3
    noise = rng.standard_normal(200)
    y = np.r_[0.0, 2.0 * holiday[:-1]] + 0.1 * rng.standard_normal(200)
    table = load_table(pd.DataFrame({"y": y, "noise": noise,
                                     "holiday": np.where(holiday, "yes", "no")}))
    config = default_config(table, ["y"], lookback=3)
    assert config.variable("holiday").type == "binary"
    ranked = rank_inputs(table.frame, config)
    assert [name for name, _ in ranked] == ["holiday", "noise"]
    assert ranked[0][1] > 0.9 and ranked[1][1] < 0.3


def test_a_yes_no_text_target_with_a_random_split_plans_an_input_search(tmp_path):
    """The testing rows of a random split are blanked in the targets before planning; a
    yes/no target written as text stopped that with "could not convert string to float"."""
    from engine.selection import plan_search

    rng = np.random.default_rng(1)
    x = rng.standard_normal(200)
    busy = np.where(np.r_[0.0, x[:-1]] > 0, "yes", "no")
    table = load_table(pd.DataFrame({"busy": busy, "x": x, "noise": rng.standard_normal(200)}))
    project, _ = project_on(pd.DataFrame({"y": x}), tmp_path)
    project.data.config = default_config(table, ["busy"], lookback=3)
    assert project.data.config.variable("busy").type == "binary"
    project.data.config.split = SplitSettings(method="random", fractions=(0.6, 0.2, 0.2))
    plan = plan_search(project, "inputs", table=table)
    assert [name for name, _ in plan.ranked] == ["x", "noise"]


# -- the methods on known answers -----------------------------------------------------------

@pytest.mark.slow
def test_growing_inputs_ranks_and_keeps_the_two_inputs_the_target_is_made_of(tmp_path):
    project, table = project_on(two_of_six(), tmp_path)
    result = run_search(project, "inputs", repeats=2, workers=2, table=table)
    ranking = [row.changes["inputs"] for row in result.rows]
    assert ranking[0] == [] and set(ranking[2]) == {"x1", "x4"}     # strongest first
    assert result.row(result.chosen).changes["inputs"] == ranking[2]
    errors = [row.selection_error for row in result.rows]
    assert errors[1] > 3 * errors[2] and errors[0] > 5 * errors[2]
    assert errors[-1] > errors[2]                  # the random walks only hurt
    assert result.rows[-1].current and not result.rows[2].current
    assert all(len(row.runs) == 2 for row in result.rows)
    assert result.rows[2].selection_error_sd == pytest.approx(
        np.std([next(iter(r["selection_rmse"].values())) for r in result.rows[2].runs],
               ddof=1))


@pytest.mark.slow
def test_pruning_inputs_removes_the_unrelated_ones_round_by_round(tmp_path):
    frame = two_of_six(seed=2).drop(columns=["x2", "x3"])     # x1, x4 and two random walks
    project, table = project_on(frame, tmp_path)
    result = run_search(project, "inputs_pruning", repeats=2, workers=2, table=table)
    chosen = result.row(result.chosen)
    assert set(chosen.changes["inputs"]) == {"x1", "x4"}
    assert result.rows[0].changes["inputs"][:2] == ["x1", "x4"] and result.rows[0].current
    rounds = max(row.round for row in result.rows)
    assert rounds == 3                             # two removals, then none lowers it
    for k in range(1, rounds + 1):
        this = [row for row in result.rows if row.round == k]
        assert len(this) == 5 - k                   # each remaining input left out once
        assert sorted(row.changes["removed"] for row in this) == sorted(
            set(this[0].changes["inputs"]) | {this[0].changes["removed"]})
    assert "pruning stops" in result.notes[-1]
    # each round's best lowers the error, and the last round's best does not
    best = [min((r for r in result.rows if r.round == k), key=lambda r: r.selection_score)
            for k in range(rounds + 1)]
    assert best[0].selection_score > best[1].selection_score > best[2].selection_score
    assert best[3].selection_score >= best[2].selection_score
    assert chosen is best[2]
    # removing a true input costs far more than removing a random walk
    worst = max((r for r in result.rows if r.round == 1), key=lambda r: r.selection_score)
    assert worst.changes["removed"] in ("x1", "x4")
    assert worst.selection_score > 3 * best[1].selection_score


def test_lookback_selection_finds_the_order_of_the_series(tmp_path):
    project, table = project_on(lag_three(), tmp_path, lookback=1, hidden=6)
    result = run_search(project, "lookback", max_trials=5, workers=2, table=table)
    errors = {row.changes["lookback"]: row.selection_error for row in result.rows}
    assert {1, 2, 3} <= set(errors)
    chosen = result.row(result.chosen).changes["lookback"]
    assert chosen >= 3
    assert min(errors[1], errors[2]) > 1.3 * errors[chosen]
    assert "suggests a lookback of" in result.notes[0]
    # every lookback is scored on the same selection rows
    assert result.rows[0].current and result.rows[0].changes == {"lookback": 1}


def quarterly_random_walk(rows=48, seed=0):
    """A random walk with a small yearly pattern, dated by quarter: the partial
    autocorrelation alone suggests 1 row, the calendar's yearly cycle 4."""
    rng = np.random.default_rng(seed)
    y = np.cumsum(rng.normal(0, 1, rows)) + np.tile([1.0, 0.0, -1.0, 0.0], rows // 4)
    return pd.DataFrame({"quarter": pd.date_range("1990-01-01", periods=rows, freq="QS")
                         .strftime("%Y-%m-%d"), "y": np.round(y, 3)})


def test_the_lookback_search_centres_on_the_season_the_data_set_step_finds(tmp_path):
    """The data set step reads the time column's step (one year of quarterly rows: 4);
    the lookback search says and tries the same season, and a season length set on the
    data set is its centre."""
    project, table = project_on(quarterly_random_walk(), tmp_path, lookback=1)
    plan = plan_search(project, "lookback", table=table)
    assert plan.notes[0].startswith("The autocorrelation suggests a lookback of 4;")
    assert 4 in [row.changes["lookback"] for row in plan.rows]
    project.data.config.period = 6
    plan = plan_search(project, "lookback", table=table)
    assert plan.notes[0].startswith("The autocorrelation suggests a lookback of 6;")


def test_neurons_selection_needs_more_than_one_unit_for_a_square(tmp_path):
    project, table = project_on(squared_input(), tmp_path, lookback=1, hidden=8)
    result = run_search(project, "neurons", max_trials=4, workers=2, table=table)
    sizes = [row.changes["hidden_sizes"][0] for row in result.rows]
    assert sizes == [1, 2, 4, 8]
    chosen = result.row(result.chosen)
    assert chosen.changes["hidden_sizes"][0] >= 2
    assert result.rows[0].selection_error > 2 * chosen.selection_error
    assert result.rows[0].training_error > result.rows[-1].training_error
    curve = result.curve()
    assert curve["labels"] == ["1", "2", "4", "8"]
    assert curve["selection"][curve["chosen"]] == chosen.selection_error


def test_a_trial_matches_an_independent_fit_and_score(tmp_path):
    """The cell comparison's LSTM row equals fitting the same network directly and
    computing its RMSE with NumPy on the selection windows."""
    project, table = project_on(squared_input(rows=160), tmp_path, lookback=2, hidden=3,
                                max_epochs=15, patience=0)
    result = run_search(project, "cell", workers=0, table=table)
    assert [row.changes["cell"] for row in result.rows] == ["rnn", "gru", "lstm"]
    assert result.rows[1].current and result.chosen == min(
        result.rows, key=lambda row: row.selection_error).index
    config = project.dataset_config()
    prepared = prepare_training(table, config)
    settings = {**training_recipe(len(prepared.Y_train)), **project.training.to_dict()}
    network, _ = fit_network(prepared, {"cell": "lstm", "hidden_sizes": [3], "seed": 0,
                                        "n_threads": 1},
                             trial_recipe(settings, len(prepared.Y_train)))
    predicted = prepared.inverse(network.predict(prepared.X_sel), "selection")[:, 0, 0]
    truth = prepared.true_values("selection")[:, 0, 0]
    rmse = np.sqrt(np.mean((predicted - truth) ** 2))
    assert result.rows[2].selection_error == pytest.approx(rmse, rel=1e-9)
    assert result.rows[2].runs[0]["epochs"] == 15


def test_an_unexpected_error_in_one_trial_fails_that_row_only(tmp_path, monkeypatch):
    import engine.selection.trial as trial_module
    import engine.training.trials as trials_module

    project, table = project_on(squared_input(rows=120), tmp_path, lookback=2, hidden=3,
                                max_epochs=5, patience=0)
    real = trials_module.fit_network

    def failing_for_rnn(prepared, architecture, *args):
        if architecture["cell"] == "rnn":
            raise ZeroDivisionError("division by zero")
        return real(prepared, architecture, *args)

    monkeypatch.setattr(trials_module, "fit_network", failing_for_rnn)
    result = run_search(project, "cell", workers=0, table=table)
    rnn, gru, lstm = result.rows
    assert rnn.error == "unexpected ZeroDivisionError: division by zero"
    assert rnn.selection_error is None
    real_score = trial_module.score_part
    calls = []

    def failing_on_the_training_part(*args):     # after the selection part was scored
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError
        return real_score(*args)

    monkeypatch.setattr(trials_module, "fit_network", real)
    monkeypatch.setattr(trial_module, "score_part", failing_on_the_training_part)
    context = {"table": table, "config": project.data.config.to_dict(),
               "architecture": project.architecture.to_dict(), "rows": None,
               "settings": {"max_epochs": 2, "batch_size": 32}}
    outcome = trial_module.run_trial(context, {"index": 0, "repeat": 0, "seed": 0,
                                               "changes": {}})
    assert outcome["error"].startswith("unexpected MemoryError: out of memory")
    assert outcome["selection_rmse"] is None and outcome["selection_score"] is None
    assert gru.error is None and gru.selection_error > 0
    assert lstm.error is None and lstm.selection_error > 0
    assert result.chosen in (gru.index, lstm.index)


def test_a_repeat_whose_error_is_not_finite_fails_and_its_row_says_so(tmp_path,
                                                                      monkeypatch):
    """Predictions that overflowed give an infinite score: such a repeat was counted as
    finished, left out of its row's mean without a word (a row of two repeats showed
    "± 0" for one), and a row whose every repeat overflowed read "not run"."""
    import engine.selection.trial as trial_module

    project, table = project_on(squared_input(rows=120), tmp_path, lookback=2, hidden=3,
                                max_epochs=3, patience=0)
    real = trial_module.trial_fit

    def overflowing(table, config, architecture, *args, **kwargs):
        fit = real(table, config, architecture, *args, **kwargs)
        if architecture["cell"] == "rnn" or architecture["seed"] == 1:
            fit.predicted = np.full_like(fit.predicted, np.inf)
        return fit

    monkeypatch.setattr(trial_module, "trial_fit", overflowing)
    result = run_search(project, "cell", repeats=2, workers=0, table=table)
    rnn, gru, lstm = result.rows
    assert rnn.selection_error is None and rnn.warning is None
    assert rnn.error.startswith("the selection error is not a finite number.")
    assert "smaller learning rate" in rnn.error
    for row in (gru, lstm):
        finite = row.runs[0]["selection_rmse"]["y"]
        assert row.selection_error == pytest.approx(finite) and row.error is None
        assert row.runs[1]["error"] == rnn.error
        assert row.warning == ("1 of 2 repeats failed (the selection error is not a "
                               "finite number"
                               + rnn.error.split("finite number")[1].rstrip(".")
                               + "); the errors shown are of the other 1.")
    lines = result.table_lines()
    assert any(line.endswith("not possible: " + rnn.error) for line in lines)
    assert sum(line.strip() == gru.warning for line in lines) == 2
    again = SearchResult.from_dict(result.to_dict())
    assert again.rows[1].warning == gru.warning


def test_stronger_l2_raises_the_training_error(tmp_path):
    project, table = project_on(squared_input(rows=160), tmp_path, lookback=1, hidden=4,
                                max_epochs=40)
    result = run_search(project, "regularization", workers=2, table=table)
    strengths = [row.changes["l2"] for row in result.rows]
    assert strengths == [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
    training = [row.training_error for row in result.rows]
    assert training[5] > training[4] > training[0]
    assert result.row(result.chosen).changes["l2"] < 0.1
    assert result.rows[0].current


def test_ensemble_averages_its_members(tmp_path):
    project, table = project_on(squared_input(rows=160), tmp_path, lookback=1, hidden=4,
                                max_epochs=30, seed=5)
    result = run_search(project, "ensemble", max_trials=3, repeats=4, workers=0,
                        table=table)
    members, ensemble = result.rows[:3], result.rows[3]
    assert [row.changes["seed"] for row in members] == [5, 6, 7]
    assert result.repeats == 1 and all(len(row.runs) == 1 for row in members)
    assert ensemble.ensemble and result.chosen in (0, 1, 2)
    # the members' selection predictions, averaged by hand
    config = project.dataset_config()
    prepared = prepare_training(table, config)
    settings = trial_recipe({**training_recipe(len(prepared.Y_train)),
                             **project.training.to_dict()}, len(prepared.Y_train))
    outputs = []
    for seed in (5, 6, 7):
        network, _ = fit_network(prepared, {"cell": "gru", "hidden_sizes": [4],
                                            "seed": seed, "n_threads": 1}, settings)
        outputs.append(prepared.inverse(network.predict(prepared.X_sel), "selection"))
    truth = prepared.true_values("selection")[:, 0, 0]
    average = np.mean(outputs, axis=0)[:, 0, 0]
    assert ensemble.selection_error == pytest.approx(
        np.sqrt(np.mean((average - truth) ** 2)), rel=1e-9)
    # RMSE is a norm: the average's error is at most the members' mean error
    assert ensemble.selection_error <= np.mean([m.selection_error for m in members])
    with pytest.raises(EngineError, match="ensemble itself cannot be applied"):
        apply_trial(project, result, ensemble.index)


def test_a_model_of_several_steps_ahead_is_ranked_by_its_mean_rmse_over_the_steps(tmp_path):
    """A model of 3 steps ahead is for all three: a trial's error is the mean of the RMSE
    of each step, and the search says so (it ranked by step 1's alone)."""
    project, table = project_on(squared_input(rows=160), tmp_path, lookback=1, hidden=4,
                                max_epochs=30, seed=5)
    project.data.config.horizon = 3
    result = run_search(project, "ensemble", max_trials=2, workers=0, table=table)
    assert result.measure == "mean RMSE over the 3 steps ahead of y (target units)"
    context = plan_search(project, "ensemble", 2, table).context    # the trials' own rows
    prepared = prepare_training(table, DatasetConfig.from_dict(context["config"]))
    network, _ = fit_network(prepared, {"cell": "gru", "hidden_sizes": [4], "seed": 5,
                                        "n_threads": 1}, context["settings"])
    error = prepared.inverse(network.predict(prepared.X_sel), "selection")[:, :, 0] - \
        prepared.true_values("selection")[:, :, 0]
    error = error[np.isin(prepared.anchors["selection"], context["rows"])]
    each_step = np.sqrt(np.mean(error ** 2, axis=0))
    assert each_step.shape == (3,) and not np.allclose(each_step, each_step[0])
    assert result.rows[0].selection_error == pytest.approx(np.mean(each_step), rel=1e-9)
    assert result.rows[2].ensemble and result.rows[2].selection_error is not None


# -- the result object and the project ------------------------------------------------------

def test_apply_puts_the_settings_into_the_project_and_keeps_the_search(tmp_path):
    project, table = project_on(two_of_six(rows=120), tmp_path, max_epochs=3, patience=0)
    path = tmp_path / "selection.json"
    project.set_data_file(tmp_path / "none.csv")
    result = run_search(project, "inputs", max_trials=3, workers=0, table=table)
    record_search(project, result)
    before = copy.deepcopy(project)
    text = apply_trial(project, result, 2)
    assert "trial 3" in text                          # the third row, numbered from 1
    config = project.dataset_config()
    kept = result.row(2).changes["inputs"]
    assert [v.name for v in config.inputs] == ["y"] + sorted(kept, key=lambda n: int(n[1:]))
    assert project.selection.settings["choose_inputs"] is False
    assert project.selection.settings["choose_target_transform"] is False   # scored with
    assert project.architecture == before.architecture
    save_project(project, path)
    loaded = load_project(path)
    stored = stored_searches(loaded)["inputs"]
    assert stored.applied == 2 and stored.chosen == result.chosen
    assert stored.to_dict() == result.to_dict()
    assert loaded.selection.summary == before.selection.summary
    # other methods' settings
    project.selection.settings.update(choose_target_transform=True, choose_lookback=True,
                                      choose_inputs=True)
    for changes, check in (
            ({"hidden_sizes": [5, 5], "cell": "lstm"},
             lambda p: p.architecture.hidden_sizes == [5, 5]
             and p.architecture.cell == "lstm" and p.selection.settings["choose_inputs"]),
            ({"lookback": 7}, lambda p: p.data.config.lookback == 7    # as it was scored:
             and p.selection.settings["choose_lookback"] is False       # no switch left on
             and p.selection.settings["choose_inputs"] is False
             and p.selection.settings["choose_target_transform"] is False),
            ({"l2": 0.01}, lambda p: p.training.l2 == 0.01),
            ({"seed": 9}, lambda p: p.architecture.seed == 9)):
        fake = SearchResult("x", "", ["y"], [TrialRow(0, changes, "t", 0.0,
                                                      selection_error=1.0,
                                                      selection_score=1.0)], chosen=0)
        apply_trial(project, fake)
        assert check(project), changes


def test_a_stopped_search_keeps_the_search_before_and_applies_nothing(tmp_path):
    """Stopped before any training finished, a search would replace the complete one of
    its method with an empty one: it is not kept. Stopped later, it is kept (what
    finished), but none of its rows is applied: not every setting was trained."""
    project, _ = project_on(two_of_six(rows=60), tmp_path)
    before = copy.deepcopy(project.training)
    finished = TrialRow(0, {"l2": 0.0}, "no L2", 0.0, selection_error=1.0,
                        selection_score=1.0, runs=[{"repeat": 0, "seconds": 0.5,
                                                    "selection_score": 1.0}])
    complete = SearchResult("regularization", "", ["y"], [finished], chosen=0)
    assert record_search(project, complete)
    empty = SearchResult("regularization", "", ["y"],
                         [TrialRow(0, {"l2": 0.0}, "no L2", 0.0),
                          TrialRow(1, {"l2": 0.01}, "L2 0.01", 0.01)], cancelled=True)
    assert not record_search(project, empty)
    assert stored_searches(project)["regularization"].to_dict() == complete.to_dict()
    partial = SearchResult("regularization", "", ["y"],
                           [finished, TrialRow(1, {"l2": 0.01}, "L2 0.01", 0.01)],
                           chosen=0, cancelled=True)
    assert partial.trainings() == 1 and record_search(project, partial)
    with pytest.raises(EngineError, match="stopped before every setting was trained"):
        apply_trial(project, partial, 0)
    assert project.training == before


def test_plan_errors_say_what_to_do(tmp_path):
    project, table = project_on(lag_three(rows=100), tmp_path)
    with pytest.raises(EngineError, match="Unknown selection method"):
        run_search(project, "layers", table=table)
    with pytest.raises(EngineError, match="needs inputs besides the targets"):
        run_search(project, "inputs", table=table)
    with pytest.raises(EngineError, match="repeats must be at least 1"):
        run_search(project, "cell", repeats=0, table=table)
    project.data.config.split.fractions = [0.8, 0.0, 0.2]
    with pytest.raises(EngineError, match="no selection windows"):
        run_search(project, "cell", table=table)


def test_the_table_text_marks_the_chosen_and_current_rows():
    rows = [TrialRow(0, {"hidden_sizes": [1]}, "1 unit", 1.0, current=True,
                     training_error=2.0, training_error_sd=0.1, selection_error=3.0,
                     selection_error_sd=0.2, selection_score=3.0, seconds=1.25),
            TrialRow(1, {"hidden_sizes": [2]}, "2 units", 2.0, training_error=1.0,
                     training_error_sd=0.05, selection_error=1.5, selection_error_sd=0.1,
                     selection_score=1.5),
            TrialRow(2, {"hidden_sizes": [4]}, "4 units", 4.0, error="too big")]
    result = SearchResult("neurons", "RMSE", ["y"], rows, repeats=2)
    assert result.choose() == 1
    lines = result.table_lines()
    assert "mean ± sd of 2 repeats" in lines[0]
    assert "1 unit (current)" in lines[2] and "2.000 ± 0.1" in lines[2] \
        and "3.000 ± 0.2" in lines[2]
    assert lines[3].endswith("<- chosen") and "not possible: too big" in lines[4]
    assert SearchResult.from_dict(result.to_dict()).to_dict() == result.to_dict()


def test_inputs_are_ranked_by_their_correlation_before_the_testing_rows(tmp_path):
    frame = two_of_six(rows=150)
    project, table = project_on(frame, tmp_path, lookback=2)
    ranked = dict(plan_search(project, "inputs", table=table).ranked)
    config = project.dataset_config()
    end = int(prepare_training(table, config).anchors["testing"][0]) + 1   # first test row
    assert end < 150
    known = frame.iloc[:end]
    for name in ("x1", "x4", "x0"):
        x, y = known[name].to_numpy(), known["y"].to_numpy()
        by_lag = [abs(np.corrcoef(x[:-k], y[k:])[0, 1]) for k in (1, 2)]   # lags 1..L
        assert ranked[name] == pytest.approx(max(by_lag), rel=1e-9)


def test_candidate_lists():
    assert [c["lookback"] for c in lookback_candidates(12, 12, 40, 8)] == \
        [3, 6, 9, 12, 18, 24, 36, 40]                 # 4 x 12 = 48 is cut to the longest, 40
    assert [c["lookback"] for c in lookback_candidates(12, 5, 40, 3)] == [5, 9, 12, 18]
    assert [c["hidden_sizes"] for c in neuron_candidates({"hidden_sizes": [24, 24]}, 3)] == \
        [[1, 1], [2, 2], [4, 4], [24, 24]]
    # layers of different sizes: the project's own among them, after as many units in both
    assert [c["hidden_sizes"] for c in neuron_candidates({"hidden_sizes": [6, 3]}, 4)] == \
        [[1, 1], [2, 2], [4, 4], [6, 6], [6, 3], [8, 8]]
    # a current lookback longer than the longest tried is still among the candidates
    assert [c["lookback"] for c in lookback_candidates(12, 12, 9, 3)] == [3, 6, 9, 12]
    assert [c["cell"] for c in cell_candidates("lstm", 2)] == ["rnn", "lstm"]
    assert [c["cell"] for c in cell_candidates("gru", 5)] == ["rnn", "gru", "lstm"]
    assert describe({"inputs": ["a", "b"], "removed": "c"}) == "without c; 2 inputs: a, b"
    assert describe({"inputs": []}) == "own history only"
    assert describe({"l2": 0.0}) == "no L2" and describe({"cell": "lstm"}) == "LSTM"


def test_a_random_split_ranks_the_inputs_on_every_row_but_the_testing_targets(tmp_path):
    """With a random split the testing rows lie anywhere: the ranking and the longest
    lookback use the whole series, and no testing target value reaches them."""
    frame = two_of_six(rows=150)
    project, table = project_on(frame, tmp_path, lookback=2)
    project.data.config.split.method, project.data.config.split.seed = "random", 4
    config = project.dataset_config()
    testing = np.unique(prepare_training(table, config).target_rows("testing"))
    assert testing.min() < 20                            # testing rows from the start on
    ranked = dict(plan_search(project, "inputs", table=table).ranked)
    spoiled = frame.copy()
    spoiled.loc[testing, "y"] = 1e6                      # the testing targets play no part
    ranked_spoiled = dict(plan_search(project, "inputs", table=load_table(spoiled)).ranked)
    assert ranked == pytest.approx(ranked_spoiled, rel=1e-12)
    strongest = sorted(ranked, key=ranked.get, reverse=True)
    assert set(strongest[:2]) == {"x1", "x4"} and ranked["x4"] > 0.4   # not on a few rows
    # windows of other lengths would be drawn on other rows: a lookback search is refused
    with pytest.raises(EngineError, match="No step sets the split.s method"):
        plan_search(project, "lookback", table=table)


@pytest.mark.parametrize("horizon", [1, 3])
def test_every_lookback_candidate_keeps_the_projects_testing_rows_unseen(tmp_path, horizon):
    """A chronological split by shares counts windows: a lookback of 40 has fewer than
    one of 2, so its 20% of testing windows would start later, and its training and
    selection windows would read the project's testing targets. Every candidate is split
    where none of its training or selection targets is a testing target of the project
    (three steps ahead too; a time column of numbers does not move the row)."""
    from engine.selection.candidates import apply_changes

    frame = lag_three(rows=200)
    frame.insert(0, "t", np.round(0.9 * np.arange(200), 1))
    project, table = project_on(frame, tmp_path, lookback=2)
    project.data.config = project.data.config.with_roles(t="time")
    project.data.config.horizon = horizon
    config = project.dataset_config()
    first_testing = prepare_training(table, config).target_rows("testing").min()
    plan = plan_search(project, "lookback", max_trials=8, table=table)
    lookbacks = [row.changes["lookback"] for row in plan.rows]
    assert max(lookbacks) >= 8
    pinned = DatasetConfig.from_dict(plan.context["config"])
    for row in plan.rows:
        candidate = apply_changes(pinned, plan.architecture, plan.settings, row.changes)[0]
        prepared = prepare_training(table, candidate)
        seen = np.concatenate([prepared.target_rows("training").ravel(),
                               prepared.target_rows("selection").ravel()])
        assert seen.max() < first_testing, row.changes
        assert prepared.target_rows("testing").min() >= first_testing - horizon
    unpinned = apply_changes(config, plan.architecture, plan.settings,
                             {"lookback": max(lookbacks)})[0]
    assert prepare_training(table, unpinned).target_rows("selection").max() >= first_testing


def test_a_search_is_stamped_with_the_settings_it_ran_with_and_goes_stale_on_an_edit(
        tmp_path):
    project, table = project_on(two_of_six(rows=120), tmp_path, max_epochs=2, patience=0)
    result = run_search(project, "neurons", max_trials=2, workers=0, table=table)
    assert result.fingerprint == settings_fingerprint(project)
    record_search(project, result)
    assert search_is_current(project, stored_searches(project)["neurons"])
    apply_trial(project, result)                 # the change it tried: still current
    assert search_is_current(project, stored_searches(project)["neurons"])
    assert stored_searches(project, current=True).keys() == {"neurons"}
    before = settings_fingerprint(project)
    project.data.config.lookback += 1            # any other edit: measured with other settings
    assert not search_is_current(project, stored_searches(project)["neurons"])
    assert stored_searches(project, current=True) == {}
    restamp_searches(project, before)            # as a project saved into another folder
    assert search_is_current(project, stored_searches(project)["neurons"])
    # a search kept before searches were stamped counts as current
    del project.selection.search["neurons"]["fingerprint"]
    project.data.config.lookback += 1
    assert stored_searches(project, current=True).keys() == {"neurons"}


def test_a_search_goes_stale_when_its_data_file_is_edited(tmp_path):
    """A search of the data file as it was (rows appended, values corrected, another file
    saved over it under the same name) was still shown as current: its trials were
    scored on other data."""
    path = tmp_path / "series.csv"
    two_of_six(rows=120).to_csv(path, index=False)
    project, _ = project_on(two_of_six(rows=120), tmp_path, max_epochs=2, patience=0)
    project.set_data_file(path)
    table = load_table(path)
    result = run_search(project, "neurons", max_trials=1, workers=0, table=table)
    assert result.data_digest == table.digest is not None
    record_search(project, result)
    assert stored_searches(project, current=True).keys() == {"neurons"}
    path.write_text(path.read_text() + "0,0,0,0,0,0,0\n")
    assert not search_is_current(project, stored_searches(project)["neurons"])
    assert stored_searches(project, current=True) == {}
    path.unlink()                      # a file that cannot be read says so elsewhere
    assert stored_searches(project, current=True).keys() == {"neurons"}


def test_trials_one_after_the_other_report_each_as_it_ends(tmp_path, monkeypatch):
    """With no worker processes each trial runs as it is submitted: its progress is sent
    before the next trial starts (it all came at the end), counting every trial planned."""
    import engine.training.trials as trials_module
    from engine.tasks import TaskState

    project, table = project_on(squared_input(rows=120), tmp_path, lookback=2, hidden=3,
                                max_epochs=2, patience=0)
    events = []
    real = trials_module.fit_network

    def noted(prepared, architecture, *args):
        events.append(("trial", architecture["cell"]))
        return real(prepared, architecture, *args)

    monkeypatch.setattr(trials_module, "fit_network", noted)
    task = TaskState(on_step=lambda item: events.append(("step", item.done, item.total)))
    run_search(project, "cell", workers=0, table=table, task=task)
    assert events == [("trial", "rnn"), ("step", 1, 3), ("trial", "gru"), ("step", 2, 3),
                      ("trial", "lstm"), ("step", 3, 3)]
