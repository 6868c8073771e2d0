"""Rolling-origin backtesting: where the origins go, that no origin sees its own future,
that the runners agree bit for bit, the command line's JSON, and the refusals."""

import dataclasses
import json

import numpy as np
import pytest

from engine.errors import EngineError
from engine.model.model_file import load_model
from engine.project.document import save_project
from engine.testing.backtest import (BASELINE_ORDER, MAX_ORIGINS, MEDIAN_FROM,
                                     PULLED_AWAY, Backtest, backtest_model, backtest_project,
                                     block_rows, fold_windows, origin_rows, prepare_fold,
                                     project_plan, run_fold)
from engine.testing.metrics import KEYS
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project, record_fit, save_fit
from engine.data import prepare_training

from helpers.command_line import run


def small_project(csv, epochs=3):
    """The 96-row monthly series (period 12), testing from 2019-01 (row 84), a tiny GRU."""
    project, _ = automatic_project(AutomaticChoices(csv, ["y"], test_from="2019-01-01",
                                                    max_epochs=epochs, lookback=4))
    project.selection.settings = {}
    project.architecture.hidden_sizes = [3]
    return project


def test_blocks_tile_the_rows_just_before_the_testing_part(seasonal_csv):
    project = small_project(seasonal_csv)
    config = project.dataset_config()
    testing = prepare_training(project.table(config), config).target_rows("testing")
    plan = project_plan(project, 4, comparators=False)
    assert plan.testing_start == int(testing.min()) == 84
    assert plan.block == block_rows(config.horizon, config.period) == 12
    assert plan.origins == [36, 48, 60, 72]
    project.selection.settings["forecast_steps"] = 16     # fit --forecast-steps 16
    assert project_plan(project, 2, comparators=False).origins == [52, 68]
    del project.selection.settings["forecast_steps"]
    ends = [o + plan.block for o in plan.origins]
    assert ends[:-1] == plan.origins[1:] and ends[-1] == plan.testing_start
    assert origin_rows(100, 2, 5) == [90, 95]
    fold = plan.context["config"]["split"]
    assert fold["test_from"] is None and fold["fractions"][2] == 0.0


def test_a_season_the_project_did_not_set_is_looked_for_before_the_first_origin(
        seasonal_csv):
    """Without a season in the project, the baselines' season is found in the rows before
    the first origin (it was found in every row before the testing part, after the
    origins), once for every fold, so that each fold has the same baselines to average."""
    from engine.testing import backtest

    project = small_project(seasonal_csv)
    project.data.config.period = None
    ends = []
    found = backtest.season_length

    def season_length(period, levels, end, step=None):
        ends.append(end)
        return found(period, levels, end, step)

    backtest.season_length = season_length
    try:
        plan = project_plan(project, 2, comparators=False)
    finally:
        backtest.season_length = found
    assert ends == [plan.origins[0]] and plan.origins[0] < plan.origins[1]
    assert plan.context["period"] == 12           # found in the 60 rows before it
    folds = [run_fold(plan.context, {"index": k, "origin": origin, "block": plan.block})
             for k, origin in enumerate(plan.origins)]
    assert all(fold["baselines"]["seasonal_naive"]["one_step"]["count"] == fold["rows"] > 0
               for fold in folds)


def test_an_origin_never_sees_its_own_future(seasonal_csv):
    project = small_project(seasonal_csv)
    plan = project_plan(project, 3, comparators=False)
    origin = plan.origins[1]
    spec = {"index": 1, "origin": origin, "block": plan.block}
    first = run_fold(plan.context, spec)
    table = plan.context["table"]
    frame = table.frame.copy()
    values = frame["y"].to_numpy(dtype=float).copy()
    values[origin:] = values[origin:] * 3.0 + 50.0           # every row from the origin on
    frame["y"] = values
    changed = dict(plan.context, table=dataclasses.replace(table, frame=frame))
    second = run_fold(changed, spec)
    assert first["weights_sha256"] == second["weights_sha256"]
    assert first["predictions"]["recursive"] == second["predictions"]["recursive"]
    assert first["predictions"]["one_step"]["values"][0] == \
        second["predictions"]["one_step"]["values"][0]      # inputs before the origin
    assert first["network"]["recursive"] != second["network"]["recursive"]   # truth moved
    cut = dict(plan.context, table=dataclasses.replace(table, frame=table.frame.iloc[:origin]))
    assert run_fold(cut, dict(spec, block=0))["weights_sha256"] == first["weights_sha256"]


def test_a_forecast_that_read_a_value_interpolated_from_its_future_is_not_scored(
        seasonal_csv):
    """An empty cell just before an origin is interpolated from the origin's own row: the
    recursive forecast from there, and the one-step forecast of that row, read it. Neither
    is scored, nor are the baselines on those rows."""
    project = small_project(seasonal_csv)
    plan = project_plan(project, 3, comparators=False)
    origin = plan.origins[1]
    spec = {"index": 1, "origin": origin, "block": plan.block}
    table = plan.context["table"]
    frame = table.frame.copy()
    values = frame["y"].to_numpy(dtype=float).copy()
    values[origin - 1] = np.nan
    frame["y"] = values
    fold = run_fold(dict(plan.context, table=dataclasses.replace(table, frame=frame)), spec)
    assert fold["network"]["recursive"] is None
    assert fold["baselines"]["persistence"]["recursive"] is None
    rows = fold["predictions"]["one_step"]["rows"]
    assert rows[0] == origin and len(fold["predictions"]["recursive"]["rows"]) == len(rows)
    assert fold["network"]["one_step"]["count"] == len(rows) - 1     # not the origin's row
    assert fold["baselines"]["persistence"]["one_step"]["count"] == len(rows) - 1
    whole = run_fold(plan.context, spec)
    assert whole["network"]["recursive"]["count"] == len(rows)


def test_the_process_pool_gives_the_same_folds_as_this_process(seasonal_csv):
    project = small_project(seasonal_csv)
    here = backtest_project(project, 3, workers=0, comparators=False)
    pooled = backtest_project(project, 3, workers=2, comparators=False)
    assert here.runner == "this process" and pooled.runner == "local processes"
    assert pooled.workers == 2
    for a, b in zip(here.folds, pooled.folds, strict=True):
        assert a["weights_sha256"] == b["weights_sha256"]
        assert a["predictions"] == b["predictions"]
        assert a["network"] == b["network"] and a["baselines"] == b["baselines"]
    assert here.to_dict()["mean"] == pooled.to_dict()["mean"]


def test_k_origins_give_k_entries_and_stages(seasonal_csv):
    stages = []
    from engine.tasks import TaskState

    result = backtest_project(small_project(seasonal_csv), 2, workers=0, comparators=False,
                              task=TaskState(on_stage=stages.append))
    assert [f["origin_row"] for f in result.folds] == [60, 72]
    assert [f["rows"] for f in result.folds] == [12, 12]
    assert stages[-1] == "Backtest: 2 of 2 origins done"
    mean = result.mean()["network"]["one_step"]
    rmse = [f["network"]["one_step"]["targets"]["y"]["rmse"] for f in result.folds]
    assert mean["targets"]["y"]["rmse"] == pytest.approx(np.mean(rmse))
    assert mean["count"] == 24


def test_the_command_line_json_has_the_documented_keys(seasonal_csv, tmp_path):
    path = save_project(small_project(seasonal_csv), tmp_path / "p.json")
    status, out, _ = run("backtest", path, seasonal_csv, "--origins", "2", "--json",
                         "--workers", "0")
    assert status == 0
    report = json.loads(out)
    assert len(report["origins"]) == 2
    for entry in report["origins"]:
        assert {"origin_row", "origin_time", "rows", "network", "baselines"} <= set(entry)
        assert set(entry["network"]) == {"one_step", "recursive"}
        assert set(entry["network"]["one_step"]["targets"]["y"]) == {
            "rmse", "mae", "mape", "r2", "mse_over_variance", "mase", "nse"}
        assert set(entry["baselines"]) == {"persistence", "seasonal_naive", "ets", "theta",
                                           "linear"}
        assert entry["baselines"]["ets"]["one_step"]["count"] == entry["rows"] == 12
    assert report["origins"][0]["origin_time"] == "2017-01-01"
    assert set(report["mean"]) == set(report["median"]) == {"network", "baselines"}
    assert set(report["mean"]["network"]["one_step"]["targets"]["y"]) == set(
        report["origins"][0]["network"]["one_step"]["targets"]["y"])
    status, out, _ = run("backtest", path, seasonal_csv, "--origins", "1", "--workers", "0",
                         "--block", "6")
    assert status == 0 and "Origin 1: row 78 (2018-07-01), 6 rows scored" in out
    assert "Mean over 1 origins" in out and "seasonal naive" in out
    assert "Median" not in out                               # one origin: its own figures
    status, out, _ = run("backtest", path, seasonal_csv, "--origins", "3", "--workers", "0",
                         "--block", "4")
    assert status == 0 and "Mean over 3 origins" in out and "Median over 3 origins" in out
    assert out.index("Median over 3 origins") > out.index("Mean over 3 origins")


def test_each_origin_says_how_every_network_averaged_ended(seasonal_csv, tmp_path):
    """``"epochs"`` and ``"best_epoch"`` are those of the network trained last; with several
    networks averaged ``"members"`` gives each one's (a reader saw ``best_epoch`` 0 where
    the first network kept its epoch 20), and null for one network."""
    project = small_project(seasonal_csv, epochs=4)
    project.training.members = 2
    path = save_project(project, tmp_path / "p.json")
    status, out, err = run("backtest", path, seasonal_csv, "--origins", "1", "--json",
                           "--workers", "0")
    assert status == 0, err
    origin = json.loads(out)["origins"][0]
    members = origin["members"]
    assert len(members) == 2 and all(set(m) == {"best_epoch", "kept_start", "epochs"}
                                     for m in members)
    assert all(0 < m["epochs"] <= 4 and 0 <= m["best_epoch"] <= m["epochs"] for m in members)
    assert (members[-1]["best_epoch"], members[-1]["epochs"]) == (origin["best_epoch"],
                                                                  origin["epochs"])
    project.training.members = 1
    path = save_project(project, tmp_path / "one.json")
    status, out, err = run("backtest", path, seasonal_csv, "--origins", "1", "--json",
                           "--workers", "0")
    assert status == 0, err
    assert json.loads(out)["origins"][0]["members"] is None


def test_a_model_file_is_refitted_with_what_it_records(seasonal_csv, tmp_path):
    project = small_project(seasonal_csv)
    save_fit(fit_project(project), tmp_path / "m.npz")
    model = load_model(tmp_path / "m.npz")
    frame = model.read_csv(seasonal_csv)
    result = backtest_model(model, frame, 2, workers=0, comparators=False)
    assert result.testing_start == 84 and [f["origin_row"] for f in result.folds] == [60, 72]
    again = backtest_project(project, 2, workers=0, comparators=False)
    assert [f["weights_sha256"] for f in result.folds] == \
        [f["weights_sha256"] for f in again.folds]
    project.selection.settings["forecast_steps"] = 16     # fit --forecast-steps 16
    save_fit(fit_project(project), tmp_path / "m16.npz")
    longer = backtest_model(load_model(tmp_path / "m16.npz"), frame, 2, workers=0,
                            comparators=False)
    assert [f["origin_row"] for f in longer.folds] == \
        project_plan(project, 2, comparators=False).origins == [52, 68]
    model.metadata = {}
    with pytest.raises(EngineError, match="Give the project file instead"):
        backtest_model(model, frame, 2, workers=0)
    random = load_model(tmp_path / "m.npz")       # a random split, as the project's refusal
    random.metadata["split"] = {"method": "random", "fractions": [0.7, 0.15, 0.15]}
    with pytest.raises(EngineError, match="needs a chronological split .* this model was "
                                          "fitted with a random split"):
        backtest_model(random, frame, 2, workers=0)


def test_the_model_file_and_its_project_backtest_alike_where_the_windows_round_otherwise(
        tmp_path):
    """Airline tested from 1959: 86 training and 21 selection windows, a ratio the folds of
    the model file split by (0.804) where the project's split by its 0.8 and 0.2, so their
    folds trained on other windows; the model file now records the split."""
    from helpers.examples import EXAMPLES

    csv = EXAMPLES / "airline_passengers.csv"
    project, _ = automatic_project(AutomaticChoices(csv, ["passengers"],
                                                    test_from="1959-01-01", max_epochs=3))
    project.architecture.hidden_sizes = [3]
    project.training.members = 1
    result = fit_project(project)
    save_fit(result, tmp_path / "m.npz")
    project = record_fit(project, result, tmp_path / "m.npz")   # the choices the fit made
    model = load_model(tmp_path / "m.npz")
    assert model.metadata["split"] == {"method": "chronological", "fractions": [0.8, 0.2, 0.0]}
    by_model = backtest_model(model, model.read_csv(csv), 2, workers=0, comparators=False)
    by_project = backtest_project(project, 2, workers=0, comparators=False)
    assert [f["weights_sha256"] for f in by_model.folds] == \
        [f["weights_sha256"] for f in by_project.folds]


def test_too_short_a_series_and_wrong_origins_are_refused(seasonal_csv, tmp_path):
    project = small_project(seasonal_csv)
    with pytest.raises(EngineError, match="too short for 7 origin"):
        project_plan(project, 7)
    for wrong in (0, MAX_ORIGINS + 1, 2.5):
        with pytest.raises(EngineError, match="number of origins"):
            project_plan(project, wrong)
    with pytest.raises(EngineError, match="they take 2000 rows, and only") as error:
        project_plan(project, 2, block=1000)                # before the first row
    assert "row -" not in str(error.value)
    path = save_project(project, tmp_path / "p.json")
    status, _, err = run("backtest", path, seasonal_csv, "--origins", "7", "--workers", "0")
    assert status != 0 and "too short" in err


def test_a_fold_is_the_fit_on_the_rows_before_its_origin_linear_share_included(
        seasonal_csv, monkeypatch):
    from engine.data.config import DatasetConfig
    from engine.model.model_file import weights_checksum
    from engine.training import linear_share

    monkeypatch.setattr(linear_share, "SHARES", (0.5,))     # the fit must blend
    project = small_project(seasonal_csv)
    plan = project_plan(project, 3, comparators=False)
    origin = plan.origins[0]
    fold = run_fold(plan.context, {"index": 0, "origin": origin, "block": plan.block})
    table = plan.context["table"]
    project.data.config = DatasetConfig.from_dict(plan.context["config"])
    project.architecture.n_threads = 1
    result = fit_project(project, table=dataclasses.replace(table,
                                                            frame=table.frame.iloc[:origin]))
    assert result.linear_share["share"] == fold["linear_share"] == 0.5
    assert fold["weights_sha256"] == weights_checksum(result.network.state_dict())


def _entry(rmse, count=12):
    return {"count": count, "targets": {"y": {m: (rmse if m == "rmse" else None)
                                              for m in KEYS}}}


def test_the_median_over_origins_is_not_decided_by_a_runaway_origin():
    folds = [{"network": {"one_step": _entry(v), "recursive": _entry(10 * v)},
              "baselines": {name: {"one_step": _entry(3.0)} for name in BASELINE_ORDER}}
             for v in (1.0, 2.0, 1e6)]
    result = Backtest(["y"], 12, 200, folds)
    mean, median = result.mean(), result.median()
    assert mean["network"]["one_step"]["targets"]["y"]["rmse"] == pytest.approx(
        (1.0 + 2.0 + 1e6) / 3)
    assert median["network"]["one_step"]["targets"]["y"]["rmse"] == 2.0
    assert median["network"]["recursive"]["targets"]["y"]["rmse"] == 20.0
    assert median["network"]["one_step"]["count"] == 36
    assert median["baselines"]["ets"]["one_step"]["targets"]["y"]["rmse"] == 3.0
    assert median["baselines"]["ets"]["recursive"] is None
    assert result.mean_pulled_away("y")
    assert not Backtest(["y"], 12, 200, folds[:2]).mean_pulled_away("y")    # two: no median
    calm = [dict(f, network={"one_step": _entry(v), "recursive": _entry(v)})
            for f, v in zip(folds, (1.0, 2.0, 4.0))]                         # mean 7/3 < 3
    assert not Backtest(["y"], 12, 200, calm).mean_pulled_away("y")
    assert MEDIAN_FROM == 3 and PULLED_AWAY == 1.5


def test_the_best_baseline_by_the_mean_or_by_the_median_over_origins():
    rmse = {"ets": (1.0, 1.0, 50.0), "theta": (2.0, 2.0, 2.0)}      # ets: one bad origin
    folds = [{"network": {"one_step": _entry(1.0), "recursive": None},
              "baselines": {name: {"one_step": _entry(rmse[name][k]) if name in rmse
                                   else None} for name in BASELINE_ORDER}}
             for k in range(3)]
    result = Backtest(["y"], 12, 200, folds)
    assert result.best_baseline("one_step", "y") == ("theta", pytest.approx(2.0))
    assert result.best_baseline("one_step", "y", median=True) == ("ets", pytest.approx(1.0))


def test_the_first_origin_counts_the_windows_its_fold_prepares(seasonal_csv):
    """A seasonal difference uses up a season of rows before the first window: an origin
    that leaves 20 rows of lookback 4 leaves 8 windows, not 16, and is refused with how
    many origins fit; the GUI's backtest tab and the command line get the same refusal."""
    project = small_project(seasonal_csv)
    project.data.config.target_transform, project.data.config.period = \
        "seasonal_difference", 12
    config = project.dataset_config()
    table = project.table(config)
    assert fold_windows(table, config, 24) == 8 == \
        len(prepare_fold(table, config, 24).Y_train) + \
        len(prepare_fold(table, config, 24).Y_sel)
    with pytest.raises(EngineError) as error:
        project_plan(project, 5, comparators=False)           # origins from row 24
    text = str(error.value)
    assert "row 24, leaves 8 windows of lookback 4" in text
    assert "the 12 rows the seasonal difference uses up" in text
    assert "4 origins of 12 rows would fit" in text
    assert project_plan(project, 4, comparators=False).origins == [36, 48, 60, 72]
    assert fold_windows(table, config, 0) == fold_windows(table, config, 15) == 0


def test_the_command_line_names_the_project_file_and_fit_options_not_the_steps(
        seasonal_csv, tmp_path):
    """``backtest PROJECT.json`` of a random split names the project file's split, and of a
    fold whose networks averaged are too large to merge (fewer windows than the fit: more
    networks averaged) ``fit --project``'s ``--hidden`` and ``--members``; the window
    keeps its own words: no step sets the split's method, and steps 3 and 4."""
    from engine.data.config import SplitSettings

    project = small_project(seasonal_csv)
    config = project.dataset_config()
    config.split = SplitSettings("random", (0.6, 0.2, 0.2))
    project.data.config = config
    random_path = save_project(project, tmp_path / "random.json")
    status, _, err = run("backtest", random_path, seasonal_csv, "--workers", "0")
    assert status != 0 and err.rstrip().endswith(
        f"the project's split is random. Set \"method\" to \"chronological\" in the "
        f"\"split\" of the data set settings of {random_path}."), err
    with pytest.raises(EngineError, match=r"random\. No step sets the split's method: close "
                                          r"the project, .* and open it again\.$"):
        project_plan(project)
    project = small_project(seasonal_csv)
    project.architecture.hidden_sizes = [3000]
    large_path = save_project(project, tmp_path / "large.json")
    status, _, err = run("backtest", large_path, seasonal_csv, "--origins", "1",
                         "--workers", "0")
    assert status != 0 and err.rstrip().endswith(
        f"use fewer units or fewer networks averaged (rnn-studio fit --project {large_path} "
        "--hidden N --members N --out MODEL keeps them in the project)."), err
    assert "step" not in err
    with pytest.raises(EngineError, match=r"\(step 3\) or fewer networks averaged \(step "
                                          r"4\)\.$"):
        backtest_project(project, 1, workers=0, comparators=False)


def test_the_offer_after_a_backtest_of_a_project_names_the_model_file_it_names(
        tmp_path, monkeypatch):
    """A backtest of a project offers ``rnn-studio forecast <its model file> ...``, not
    ``MODEL``, when the project names a model file that exists; MODEL until one is
    trained; a model file backtested is named as given."""
    from argparse import Namespace

    from engine.cli.commands.backtest import offer_files
    from engine.project.document import new_project

    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs").mkdir()
    project = new_project("p", tmp_path)
    save_project(project, tmp_path / "p.json")
    assert offer_files(Namespace(source="p.json", data="d.csv")) == ("MODEL", "d.csv")
    project.set_model_file(tmp_path / "runs" / "my model.npz")
    save_project(project, tmp_path / "p.json")
    assert offer_files(Namespace(source="p.json", data="d.csv")) == ("MODEL", "d.csv")
    (tmp_path / "runs" / "my model.npz").write_bytes(b"")
    assert offer_files(Namespace(source=str(tmp_path / "p.json"), data="d.csv")) == \
        ("'runs/my model.npz'", "d.csv")
    monkeypatch.chdir(tmp_path / "runs")
    assert offer_files(Namespace(source="../p.json", data="d.csv")) == \
        ("'my model.npz'", "d.csv")
    assert offer_files(Namespace(source="m.npz", data="d.csv")) == ("m.npz", "d.csv")


def test_without_a_testing_part_the_origins_stand_at_the_end_of_the_file(seasonal_csv,
                                                                       tmp_path):
    """A file without a testing part is backtested over its last rows, and the words say
    so: 'before the testing part (row 96)' named a part that is not there."""
    project = small_project(seasonal_csv)
    project.data.config.split.test_from = None
    project.data.config.split.fractions = (0.8, 0.2, 0.0)
    path = save_project(project, tmp_path / "p.json")
    status, out, err = run("backtest", path, seasonal_csv, "--origins", "1", "--workers",
                           "0", "--block", "6")
    assert status == 0, err
    assert "1 origins of 6 rows at the end of the file (row 96; it has no testing part)" \
        in out and "testing part (row" not in out
    assert "Origin 1: row 90" in out
    status, _, err = run("backtest", path, seasonal_csv, "--origins", "7", "--workers", "0")
    assert status != 0 and "at the end of the file (row 96; it has no testing part)" in err
    assert "or a longer series" in err and "before the testing part" not in err


def test_each_origin_says_where_its_comparators_were_fitted_across_a_gap(seasonal_csv,
                                                                         tmp_path):
    """Three months missing before row 64: the origin at row 69 leaves 5 rows after the
    gap, too few to fit ETS and Theta on, so they are fitted across it (their season out
    of step after it), which the backtest's output now says; the origin at row 57
    forecasts up to the gap in its block, as said too."""
    import pandas as pd

    holed = tmp_path / "holed.csv"
    pd.read_csv(seasonal_csv).drop(index=[64, 65, 66]).to_csv(holed, index=False)
    project = small_project(holed)
    plan = project_plan(project, 2)
    assert plan.origins == [57, 69]
    path = save_project(project, tmp_path / "p.json")
    status, out, err = run("backtest", path, holed, "--origins", "2", "--workers", "0")
    assert status == 0, err
    across = "fitted across a gap in time before row 64, as only 5 rows follow it"
    assert f"Note: Origin 2: ETS and Theta: {across}" in out and \
        out.index("Note: Origin 2") > out.index("Origin 2: row 69")
    assert "Note: Origin 1: ETS and Theta: no forecast of row 64 or later, behind a gap" \
        in out


def test_the_rows_scored_of_an_origin_leave_an_empty_target_out(seasonal_csv, tmp_path):
    """An empty target cell in the block of the last origin: the row is predicted but not
    scored, and the rows scored said 12 where the scores counted 11."""
    import pandas as pd

    holed = tmp_path / "empty.csv"
    frame = pd.read_csv(seasonal_csv)
    frame.loc[78, "y"] = np.nan
    frame.to_csv(holed, index=False)
    path = save_project(small_project(holed), tmp_path / "p.json")
    status, out, err = run("backtest", path, holed, "--origins", "1", "--workers", "0",
                           "--json")
    assert status == 0, err
    fold = json.loads(out)["origins"][0]
    assert fold["origin_row"] == 72
    assert fold["rows"] == fold["network"]["one_step"]["count"] == \
        fold["baselines"]["persistence"]["one_step"]["count"] < 12
