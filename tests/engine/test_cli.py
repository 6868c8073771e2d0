"""The rnn-studio command line: every command and option, the choices it prints and saves,
the files it writes, and one clear line on stderr (no traceback) for every error."""

import io
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import engine
from engine.cli.main import main
from engine.model.model_file import load_model
from engine.project.document import load_project
from helpers.figures import reads, shows
from helpers.command_line import run

FAST = ["--epochs", "3"]


def run_usage(*argv, capsys):
    """For argparse errors, which exit: ``(status, stderr)``."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in argv])
    return exit_info.value.code, capsys.readouterr().err


@pytest.fixture
def fitted(seasonal_csv, tmp_path):
    """A model fitted from flags with testing from 2019-01-01: (model, project, stdout)."""
    model = tmp_path / "out" / "model.npz"
    model.parent.mkdir()
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--test-from", "2019-01-01",
                           *FAST, "--out", model)
    assert status == 0, err
    return model, model.with_suffix(".json"), out


# -- version and help ---------------------------------------------------------------------

def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"rnn-studio {engine.__version__}"


def test_python_dash_m_engine_prints_the_version():
    done = subprocess.run([sys.executable, "-m", "engine", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"rnn-studio {engine.__version__}"


# -- fit ----------------------------------------------------------------------------------

def test_fit_from_flags_prints_and_saves_its_choices(fitted):
    model, project_path, out = fitted
    project = load_project(project_path)
    config = project.data.config_dict()
    assert f"Target transform: {config['target_transform']}" in out
    assert f"lookback {config['lookback']}" in out
    # the suggestion: the detected yearly period, shortened (67 training rows of y and x
    # give too few windows for 12, engine.data.statistics.lookback_cap); the backtest
    # chooses around it, up to that cap
    assert config["period"] == 12
    assert "shortened to 9 so that the 67 training rows give enough windows" in out
    assert config["lookback"] in (4, 9)
    assert "<- chosen" in out and "Chosen by the backtest of a linear autoregression" in out
    # the suggestion is said as the backtest's start, the lookback as its choice
    assert "\nSuggested lookback 9 (one year of monthly rows" in out
    what = "kept it" if config["lookback"] == 9 else f"chose {config['lookback']}"
    assert (f"\nLookback: {config['lookback']} (suggested 9; the fit's backtest {what})\n"
            in out)
    summary = project.selection.summary
    assert summary["chosen"]["target_transform"] == config["target_transform"]
    tried = {(t["target_transform"], t["inputs"], t["lookback"]) for t in summary["trials"]}
    assert {t for t, _, _ in tried} == {"none", "difference", "seasonal_difference"}
    assert {i for _, i, _ in tried} == {"all", "own"}
    assert {k for _, _, k in tried} == {4, 9}
    assert summary["chosen"]["lookback"] == config["lookback"]
    assert summary["chosen"]["inputs"] in (["y"], ["y", "x"])
    assert "note" not in summary["chosen"]["inputs"]    # a text column is never an input
    assert project.selection.settings == {"choose_target_transform": True,
                                             "choose_inputs": True, "choose_lookback": True}
    assert project.results.training["epochs"] <= 3
    assert project.model_file() == model
    assert f"Model written to {model}" in out


def test_fit_model_file_loads_and_matches_the_project(fitted):
    model, project_path, _ = fitted
    loaded = load_model(model)
    config = load_project(project_path).data.config_dict()
    pre = loaded.header["preprocessing"]
    assert pre["target_transform"] == config["target_transform"]
    assert pre["lookback"] == config["lookback"] in (4, 9)      # chosen by the backtest
    assert [v["name"] for v in pre["variables"] if v["role"] != "unused"] == \
        [v["name"] for v in config["variables"] if v["role"] in ("input", "input_target",
                                                                  "target")]
    assert loaded.metadata["testing"]["from"] == "2019-01-01"
    windows = np.zeros((2, pre["lookback"], loaded.network.n_inputs))
    assert loaded.network.predict(windows).shape == (2, 1)


def test_fit_project_flag_writes_the_project_there_with_a_relative_data_path(
        seasonal_csv, tmp_path):
    project_path = tmp_path / "airline.json"
    model = tmp_path / "models" / "m.npz"
    model.parent.mkdir()
    status, out, err = run("fit", seasonal_csv, "--target", "y", *FAST, "--project",
                           project_path, "--out", model)
    assert status == 0, err
    document = json.loads(project_path.read_text())
    assert document["data"]["path"] == "data/series.csv"
    assert document["model"]["path"] == "models/m.npz"
    assert not model.with_suffix(".json").exists()


def test_fit_from_a_project_file(fitted, tmp_path):
    _, project_path, _ = fitted
    second = tmp_path / "second.npz"
    status, out, err = run("fit", "--project", project_path, "--epochs", "2", "--seed", "4",
                           "--out", second)
    assert status == 0, err
    project = load_project(project_path)
    assert project.model_file() == second
    assert project.architecture.seed == 4
    assert project.results.training["epochs"] <= 2
    assert load_model(second).network.seed == 4


def test_fit_from_a_project_refuses_options_of_the_data(fitted, tmp_path):
    """--horizon describes the data set as --lookback does: it was ignored in silence."""
    _, project_path, _ = fitted
    for flag in ("--horizon", "--lookback"):
        status, _, err = run("fit", "--project", project_path, flag, "3", "--out",
                             tmp_path / "m.npz")
        assert status == 1 and f"{flag} describes the data" in err


def test_fit_every_option(seasonal_csv, tmp_path):
    model = tmp_path / "m.npz"
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--input", "x",
                           "--time", "month", "--lookback", "5", "--horizon", "2",
                           "--split", "70,15,15", "--cell", "lstm", "--hidden", "6,4",
                           "--epochs", "2", "--seed", "3", "--out", model)
    assert status == 0, err
    loaded = load_model(model)
    network = loaded.header["network"]
    # few windows: 5 networks averaged, saved as one of 5 times the units
    assert (network["cell"], network["hidden_sizes"], network["seed"]) == ("lstm", [30, 20], 3)
    assert loaded.metadata["choices"]["members"] == 5
    assert loaded.metadata["choices"]["hidden_sizes"] == [6, 4]
    pre = loaded.header["preprocessing"]
    assert (pre["lookback"], pre["horizon"], pre["time_column"]) == (5, 2, "month")
    assert [c["variable"] for c in pre["input_columns"]] == ["y", "x"]
    assert [o["step"] for o in pre["outputs"]] == [1, 2]
    project = load_project(model.with_suffix(".json"))
    assert project.data.config_dict()["split"]["fractions"] == pytest.approx([0.7, 0.15, 0.15])
    assert project.selection.settings["choose_inputs"] is False
    trials = project.selection.summary["trials"]
    assert {t["inputs"] for t in trials} == {"all"}
    assert "Lookback" not in out                  # given, so not chosen


def test_fit_with_a_linear_path(seasonal_csv, tmp_path):
    """--linear-path: saved in the project and the model file, over the lookback's window;
    the model evaluates, and the project's other fits keep it."""
    model = tmp_path / "m.npz"
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--lookback", "6",
                           "--linear-path", "--epochs", "2", "--out", model)
    assert status == 0, err
    assert "linear path over 6 steps" in out
    loaded = load_model(model)
    assert loaded.header["network"]["linear_path"] is True
    assert loaded.header["network"]["lookback"] == loaded.preprocessing.lookback == 6
    assert loaded.network.state_dict()["ar.weight"].shape == (1, 6 * loaded.network.n_inputs)
    project_path = model.with_suffix(".json")
    assert load_project(project_path).architecture.linear_path is True
    status, out, err = run("evaluate", model, seasonal_csv, "--json")
    assert status == 0, err
    assert json.loads(out)["count"] > 0
    status, _, err = run("fit", "--project", project_path, "--epochs", "1", "--out", model)
    assert status == 0, err
    assert load_model(model).network.linear_path is True


def test_a_fit_of_twenty_yearly_rows_with_a_window_of_one_row(tmp_path):
    """20 yearly rows, lookback 1: the linear path is "over 1 step", and the note on too
    few training windows does not advise a lookback shorter than one row."""
    rng = np.random.default_rng(0)
    data = tmp_path / "firm.csv"
    pd.DataFrame({"year": np.arange(1935, 1955), "invest": 300 + np.cumsum(rng.normal(0, 30, 20)),
                  "value": 3000 + np.cumsum(rng.normal(0, 200, 20))}).to_csv(data, index=False)
    status, out, err = run("fit", data, "--target", "invest", "--input", "value", "--time",
                           "year", "--lookback", "1", "--linear-path", *FAST, "--out",
                           tmp_path / "m.npz")
    assert status == 0, err
    assert "linear path over 1 step," in out
    note = next(line for line in out.splitlines() if "training windows are too few" in line)
    assert "shorter lookback" not in note and note.endswith("or use more rows.")


def test_fit_from_a_project_with_the_linear_path_flags(fitted, tmp_path):
    _, project_path, _ = fitted
    assert load_project(project_path).architecture.linear_path is True     # the default
    status, _, err = run("fit", "--project", project_path, "--no-linear-path", "--epochs",
                         "1", "--out", tmp_path / "plain.npz")
    assert status == 0, err
    assert load_project(project_path).architecture.linear_path is False
    assert load_model(tmp_path / "plain.npz").header["network"]["linear_path"] is False
    status, _, err = run("fit", "--project", project_path, "--linear-path", "--epochs", "1",
                         "--out", tmp_path / "lp.npz")
    assert status == 0, err
    assert load_project(project_path).architecture.linear_path is True
    assert load_model(tmp_path / "lp.npz").header["network"]["linear_path"] is True


@pytest.mark.parametrize("when, first_row", [("80", 80), ("2019-01-01", 84), ("2019", 84)])
def test_test_from_as_row_date_and_year(seasonal_csv, tmp_path, when, first_row):
    model = tmp_path / "m.npz"
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--test-from", when,
                           "--epochs", "1", "--out", model)
    assert status == 0, err
    results = load_project(model.with_suffix(".json")).results.to_dict()
    assert results["training"]["testing_windows"] == 96 - first_row
    assert results["scores"]["testing"]["count"] == 96 - first_row
    # evaluation from the model's testing start scores exactly the rows from it on
    status, out, err = run("evaluate", model, seasonal_csv, "--json")
    report = json.loads(out)
    assert report["from_row"] == first_row and report["count"] == 96 - first_row


def test_test_last_counts_back_from_the_last_known_target(tmp_path):
    """Rows of future inputs after the last known target made --test-last 5 a testing
    part of those 5 rows, 0 windows scored without a word; --test-from their first date
    did the same. The last 5 rows are now counted back from the last known target, and a
    testing start that leaves nothing to test is refused."""
    from helpers.models import seasonal_frame

    frame = seasonal_frame(rows=66)
    frame.loc[60:, "y"] = np.nan                 # 6 future rows: inputs known, no target
    data = tmp_path / "future.csv"
    frame.to_csv(data, index=False)
    fit = ("fit", data, "--target", "y", "--input", "y", "--input", "x", "--lookback", "3",
           "--epochs", "1", "--members", "1")
    status, out, err = run(*fit, "--test-last", "5", "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert "5 testing (testing from row 55)" in out
    status, out, err = run("evaluate", tmp_path / "m.npz", data, "--test-last", "3", "--json")
    assert status == 0, err
    assert json.loads(out)["from_row"] == 57 and json.loads(out)["count"] == 3
    status, _, err = run(*fit, "--test-from", "2017-01-01", "--out", tmp_path / "n.npz")
    assert status != 0 and "The testing part holds no row to test" in err
    status, _, err = run(*fit, "--test-last", "61", "--out", tmp_path / "n.npz")
    assert status != 0
    assert "between 0 and 59 (the file has 60 rows up to its last known target, of 66)" in err


def test_split_shares_without_test_from(seasonal_csv, tmp_path):
    model = tmp_path / "m.npz"
    status, _, err = run("fit", seasonal_csv, "--target", "y", "--split", "0.5,0.25,0.25",
                         "--epochs", "1", "--out", model)
    assert status == 0, err
    training = load_project(model.with_suffix(".json")).results.training
    total = training["training_windows"] + training["selection_windows"] + \
        training["testing_windows"]
    assert training["training_windows"] == pytest.approx(total / 2, abs=2)
    assert training["testing_windows"] == pytest.approx(total / 4, abs=2)


# -- evaluate -----------------------------------------------------------------------------

def test_evaluate_one_step_text_and_json_agree(fitted, seasonal_csv):
    model, _, fit_out = fitted
    status, text, err = run("evaluate", model, seasonal_csv)
    assert status == 0, err
    status, out, err = run("evaluate", model, seasonal_csv, "--json")
    assert status == 0, err
    report = json.loads(out)
    assert out.count("\n") == 1                              # one JSON object
    assert report["mode"] == "one_step"
    assert report["from_row"] == 84 and report["from_time"] == "2019-01-01"
    figures = report["targets"]["y"]
    assert set(figures) == {"rmse", "mae", "mape", "r2", "mse_over_variance", "mase", "nse"}
    assert figures["nse"] == figures["mse_over_variance"]     # its former name, kept
    assert shows(text, figures["rmse"])
    # every figure of the table to as many digits (MAE 2.100 beside RMSE 2.594, not 2.1),
    # as fit's line of the testing scores shows them
    measures = [figures[key] for key in ("rmse", "mae", "mape", "r2")]
    row = next(line for line in text.splitlines() if line.startswith("  y "))
    assert reads(row.split()[1:], measures)
    line = next(line for line in fit_out.splitlines() if line.startswith("  testing "))
    assert reads(re.findall(r"(?:RMSE|MAE|MAPE|R²) (-?[\d.]+)", line), measures)
    assert "seasonal naive" in text
    assert set(report["baselines"]) == {"persistence", "seasonal_naive", "ets", "theta",
                                        "linear"}
    for name in ("ets", "theta", "linear"):
        assert set(report["baselines"][name]["targets"]["y"]) == set(figures)
    assert "baseline ETS" in text


def test_evaluate_recursive_and_from(fitted, seasonal_csv):
    model, _, _ = fitted
    _, out, _ = run("evaluate", model, seasonal_csv, "--from", "2018-01-01", "--json")
    one_step = json.loads(out)
    status, out, err = run("evaluate", model, seasonal_csv, "--from", "2018-01-01",
                           "--recursive", "--json")
    assert status == 0, err
    recursive = json.loads(out)
    assert recursive["mode"] == "recursive"
    assert recursive["from_row"] == one_step["from_row"] == 72
    assert recursive["count"] == one_step["count"] == 24
    assert recursive["targets"]["y"]["rmse"] != one_step["targets"]["y"]["rmse"]
    _, out, _ = run("evaluate", model, seasonal_csv, "--from", "90", "--json")
    assert json.loads(out)["count"] == 6


def test_evaluate_recursive_json_has_one_figure_of_the_forecast_from_the_testing_start(
        fitted, seasonal_csv, monkeypatch):
    """On a testing part longer than step 6's forecast from its start runs (cut here at 5
    of the 12 testing rows), ``--recursive --json`` gives that forecast's figures once: the
    analysis' ``"recursive"`` is the forecast scored at the top, over all 12 rows, with
    the same baselines, and no note says it was cut."""
    import engine.testing.analysis as analysis

    monkeypatch.setattr(analysis, "recursive_length", lambda count, horizon: min(count, 5))
    model, _, _ = fitted
    status, out, err = run("evaluate", model, seasonal_csv, "--recursive", "--json")
    assert status == 0, err
    report = json.loads(out)
    recursive = report["analysis"]["recursive"]
    assert report["count"] == recursive["count"] == recursive["forecast_rows"] == 12
    assert recursive["targets"] == report["targets"]
    assert recursive["baselines"] == {name: scores for name, scores in
                                      report["baselines"].items() if scores is not None}
    assert not any("first 5 rows only" in note for note in report["analysis"]["notes"])
    status, text, _ = run("evaluate", model, seasonal_csv, "--recursive")
    assert "recursive forecast, 12 rows from row 84" in text
    assert shows(text, report["targets"]["y"]["rmse"])
    report = json.loads(run("evaluate", model, seasonal_csv, "--json")[1])
    assert report["analysis"]["recursive"]["forecast_rows"] == 5      # step 6's, cut


def test_evaluate_over_a_horizon_from_many_origins(fitted, seasonal_csv):
    """``--horizon 4`` on the 12 testing rows (84-95): forecasts from the 9 origins 84-92
    whose 4 steps end in the testing part, every step scored; text and JSON agree, and the
    analysis in the JSON uses the same horizon."""
    model, _, _ = fitted
    status, text, err = run("evaluate", model, seasonal_csv, "--horizon", "4")
    assert status == 0, err
    assert "recursive forecasts of 4 steps from 9 origins, 36 forecasts from row 84" in text
    _, one_step, _ = run("evaluate", model, seasonal_csv, "--horizon", "1")
    assert "recursive forecasts of 1 step from 12 origins, 12 forecasts from row 84" in \
        one_step
    _, one_row, _ = run("evaluate", model, seasonal_csv, "--from", "95")
    assert "one step ahead, 1 row from row 95" in one_row
    status, out, err = run("evaluate", model, seasonal_csv, "--horizon", "4", "--json")
    assert status == 0, err
    report = json.loads(out)
    assert report["mode"] == "recursive" and report["horizon"] == 4
    assert report["origins"] == 9 and report["count"] == 36
    assert report["comparators_every"] == 1                 # few forecasts: every origin
    assert shows(text, report["targets"]["y"]["rmse"])
    pooled = report["analysis"]["recursive_horizon"]
    assert pooled["horizon"] == 4 and len(report["analysis"]["by_horizon"]["count"]) == 4
    assert pooled["targets"]["y"]["rmse"] == pytest.approx(report["targets"]["y"]["rmse"])
    assert pooled["baselines"]["persistence"]["targets"]["y"]["rmse"] == pytest.approx(
        report["baselines"]["persistence"]["targets"]["y"]["rmse"])
    status, out, err = run("evaluate", model, seasonal_csv, "--horizon", "12")
    assert status == 0 and "from 1 origin, 12 forecasts" in out
    status, out, err = run("evaluate", model, seasonal_csv, "--horizon", "13")
    assert status != 0 and "--horizon must be from 1 to 12" in err


# -- predict ------------------------------------------------------------------------------

def test_predict_writes_the_rows_with_predictions_beside_them(fitted, seasonal_csv, tmp_path):
    model, _, _ = fitted
    out_path = tmp_path / "predictions.csv"
    status, out, err = run("predict", model, seasonal_csv, "--out", out_path)
    assert status == 0, err
    written = pd.read_csv(out_path, dtype=str, keep_default_na=False)
    original = pd.read_csv(seasonal_csv, dtype=str, keep_default_na=False)
    assert list(written.columns) == list(original.columns) + ["y_predicted"]
    assert len(written) == len(original) + 1                  # the next month's forecast
    pd.testing.assert_frame_equal(written.iloc[:96, :4], original)
    assert written["month"].iloc[-1] == "2020-01-01"
    predicted = pd.to_numeric(written["y_predicted"], errors="coerce")
    assert predicted.iloc[-1] == pytest.approx(original["y"].astype(float).iloc[-12:].mean(),
                                               abs=40)
    lookback = load_model(model).header["preprocessing"]["lookback"]
    assert predicted.iloc[:lookback].isna().all()
    assert predicted.iloc[-13:].notna().all()
    # the same numbers as a one-step evaluation of the last rows
    _, report, _ = run("evaluate", model, seasonal_csv, "--from", "84", "--json")
    truth = original["y"].astype(float).to_numpy()[84:]
    rmse = np.sqrt(np.mean((predicted.to_numpy()[84:96] - truth) ** 2))
    # the file holds the predictions to 6 significant digits (3 decimals here)
    assert rmse == pytest.approx(json.loads(report)["targets"]["y"]["rmse"], abs=1e-3)


# -- errors: one line on stderr, non-zero exit, no traceback --------------------------------

def _one_clear_line(status, err):
    assert status != 0
    assert err.count("\n") == 1 and err.startswith("rnn-studio ")
    assert "Traceback" not in err
    return err


def test_error_cases_give_one_clear_line(seasonal_csv, tmp_path, fitted):
    model, _, _ = fitted
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    header_only = tmp_path / "header.csv"
    header_only.write_text("month,y\n")
    garbage = tmp_path / "broken.npz"
    garbage.write_bytes(model.read_bytes()[:300])
    out = tmp_path / "x.npz"
    cases = [
        (("fit", tmp_path / "missing.csv", "--target", "y"), "does not exist"),
        (("fit", seasonal_csv, "--target", "nope"), "nope"),
        (("fit", seasonal_csv, "--target", "y", "--input", "nope"), "nope"),
        (("fit", seasonal_csv, "--target", "note"), "cannot be a target"),
        (("fit", seasonal_csv, "--target", "y", "--lookback", "500"), "Too few rows"),
        (("fit", seasonal_csv, "--target", "y", "--lookback", "0"),
         "--lookback must be at least 1; got 0."),
        (("fit", seasonal_csv, "--target", "y", "--horizon", "-1"),
         "--horizon must be at least 0; got -1."),
        (("fit", empty, "--target", "y"), "empty"),
        (("fit", header_only, "--target", "y"), "no rows"),
        (("fit", seasonal_csv), "Choose the column to predict with --target COL; the file's "
         "numeric columns: 'y', 'x'."),                 # not the time column nor the text
        (("fit", seasonal_csv, "--target", "y", "--split", "60,20"), "three"),
        (("fit", seasonal_csv, "--target", "y", "--hidden", "a,b"), "--hidden"),
        (("fit", seasonal_csv, "--target", "y", "--test-from", "soon"), "date"),
        (("fit", "--project", tmp_path / "none.json"), "no project file"),
        (("fit", "--project", seasonal_csv, "--target", "y"), "--target"),
        (("evaluate", garbage, seasonal_csv), "damaged"),
        (("evaluate", tmp_path / "none.npz", seasonal_csv), "no model file"),
        (("evaluate", seasonal_csv, seasonal_csv), "not an RNN Studio model"),
        (("evaluate", model, seasonal_csv, "--from", "2030-01-01"), "after the last row"),
        (("predict", garbage, seasonal_csv, "--out", tmp_path / "p.csv"), "damaged"),
        (("predict", model, tmp_path / "missing.csv", "--out", tmp_path / "p.csv"),
         "does not exist"),
    ]
    for argv, words in cases:
        if argv[0] == "fit":
            argv = argv + ("--epochs", "1", "--out", out)
        status, _, err = run(*argv)
        assert words in _one_clear_line(status, err), (argv, err)
    assert not out.exists() and not (tmp_path / "p.csv").exists()


def test_fit_names_its_options_for_networks_averaged_too_large(seasonal_csv, tmp_path):
    """Five networks of 3,000 units would average into one larger than RNN Studio builds:
    ``fit`` names ``--hidden`` and ``--members``, not the pages' steps."""
    out = tmp_path / "x.npz"
    status, _, err = run("fit", seasonal_csv, "--target", "y", "--hidden", "3000",
                         "--epochs", "1", "--out", out)
    line = _one_clear_line(status, err)
    assert "networks of [3000] units averaged make one network of" in line, err
    assert line.rstrip().endswith(
        "use fewer units (--hidden N) or fewer networks averaged (--members N)."), err
    assert "step" not in line and not out.exists()


def test_fit_members_sets_the_networks_averaged_and_the_project_keeps_them(seasonal_csv,
                                                                           tmp_path):
    """``--members N`` is the training page's Networks averaged: the few windows of this
    file would average 5 networks, the option's 2 are trained and kept in the project's
    training section, and ``fit --project --members 3`` changes them."""
    model = tmp_path / "m.npz"
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--members", "2", *FAST,
                           "--out", model)
    assert status == 0, err
    assert load_model(model).metadata["choices"]["members"] == 2
    assert "Network: 2 networks averaged" in out
    assert "(3 epochs each; " in out            # both networks', not the last one's alone
    project_path = model.with_suffix(".json")
    assert json.loads(project_path.read_text())["training"]["members"] == 2
    status, out, err = run("fit", "--project", project_path, "--members", "3", *FAST,
                           "--out", model)
    assert status == 0, err
    assert load_project(project_path).training.members == 3
    assert load_model(model).metadata["choices"]["members"] == 3
    for given, words in (("0", "--members must be at least 1; got 0."),
                         ("21", "--members must be at most 20 networks; got 21.")):
        status, _, err = run("fit", seasonal_csv, "--target", "y", "--members", given,
                             "--out", tmp_path / "x.npz")
        assert words in _one_clear_line(status, err), err
    assert not (tmp_path / "x.npz").exists()


def test_unexpected_exception_is_one_line_with_a_hint(seasonal_csv, tmp_path, monkeypatch):
    import engine.training.fitting

    def broken(*args, **kwargs):
        raise RuntimeError("something odd\non two lines")

    monkeypatch.setattr(engine.training.fitting, "fit_project", broken)
    status, _, err = run("fit", seasonal_csv, "--target", "y", "--out", tmp_path / "m.npz")
    assert "report" in _one_clear_line(status, err)
    assert "RuntimeError: something odd on two lines" in err


def test_a_wrong_command_line_is_one_line(capsys):
    status, err = run_usage("fit", "data.csv", "--target", "y", capsys=capsys)
    assert status == 2
    assert err.count("\n") == 1 and "--out" in err
    status, err = run_usage("fit", "--cell", "transformer", "--out", "m", capsys=capsys)
    assert status == 2 and err.count("\n") == 1


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for command in ("fit", "evaluate", "predict", "select", "forecast", "export", "report"):
        assert f"    {command}" in out


# unbuffered, argparse ignores a failed write of its help itself (status 0)
@pytest.mark.parametrize("command,buffered", [("evaluate", True), ("evaluate", False),
                                              ("--help", True)])
def test_a_reader_that_goes_away_stops_the_output_quietly(fitted, seasonal_csv, command,
                                                          buffered):
    """``rnn-studio evaluate ... | head -0``: the closed pipe ends the command with status 1,
    without the "unexpected error" line of a bug, whether the pipe shows closed while the
    command writes (unbuffered stdout) or only at the flush after it (Python's default; also
    after argparse's exit from ``--help``)."""
    model, _, _ = fitted
    argv = [command, str(model), str(seasonal_csv)] if command == "evaluate" else [command]
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen([sys.executable, "-m", "engine", *argv], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env,
                               cwd=os.path.dirname(engine.__path__[0]))
    process.stdout.close()                      # the reader is gone before anything is read
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1, err
    assert err == ""


def test_no_command_prints_the_help():
    status, out, err = run()
    assert status == 0 and err == ""
    assert out.startswith("usage: rnn-studio") and "    evaluate" in out
    assert "the rnn-studio program opens the desktop application" in " ".join(out.split())


@pytest.mark.parametrize("argv", [["p.json"], ["--example", "airline"]])
def test_the_window_arguments_say_which_program_opens_the_window(argv):
    """The engine never opens the window (app/launcher.py does): ``python -m engine
    p.json`` says so in one line."""
    status, out, err = run(*argv)
    assert status == 2 and out == ""
    assert err == (f"rnn-studio: error: {' '.join(argv)} opens the desktop application, which "
                   "the rnn-studio program starts (python -m engine runs commands only; see "
                   "rnn-studio --help)\n")


def test_progress_goes_to_a_terminal_only(seasonal_csv, tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out, err = io.StringIO(), Terminal()
    status = main(["fit", str(seasonal_csv), "--target", "y", "--lookback", "3",
                   "--epochs", "2", "--out", str(tmp_path / "m.npz")], out=out, err=err)
    assert status == 0
    assert "epoch 2/2" in err.getvalue() and "Choosing the transform" in err.getvalue()
    assert "Training network 5 of 5" in err.getvalue()
    assert "\r" not in out.getvalue() and "epoch 2/2" not in out.getvalue()
    quiet = io.StringIO()
    main(["fit", str(seasonal_csv), "--target", "y", "--lookback", "3", "--epochs", "1",
          "--out", str(tmp_path / "m2.npz")], out=io.StringIO(), err=quiet)
    assert quiet.getvalue() == ""
    assert os.path.exists(tmp_path / "m2.npz")


def test_candidates_left_out_alike_print_as_one_line():
    import io

    from engine.cli.commands.fit import _print_trials
    from engine.training.linear_choice import LinearTrial

    why = "the level of y drifts (KPSS test, p at most 0.01)"
    trials = [LinearTrial("none", "all", k, error=why) for k in (6, 12, 24)] + [
        LinearTrial("difference", "all", 6, error="too few rows before the first origin"),
        LinearTrial("difference", "all", 12, score=0.7),
        LinearTrial("difference", "all", 24, score=0.6)]
    out = io.StringIO()
    _print_trials(trials, out)
    lines = out.getvalue().splitlines()[1:]
    assert len(lines) == 4
    assert lines[0].split() == ["none,", "lookback", "6,", "12,", "24", "not", "scored:",
                                *why.split()]
    assert "difference, lookback 6 " in lines[1] and "too few rows" in lines[1]
    assert lines[2].endswith("MASE 0.7000")        # as a table shows them: trailing zeros kept
    assert lines[3].endswith("MASE 0.6000  <- chosen")


def test_left_out_lines_merge_only_alike_candidates_of_the_linear_backtest():
    import io

    from engine.cli.commands.fit import _print_trials
    from engine.training.linear_choice import LinearTrial
    from engine.training.trials import Trial

    why = "the level of y drifts (KPSS test, p 0.0312)"
    linear = [LinearTrial("none", "all", 4, error=why), LinearTrial("none", "own", 4, error=why),
              LinearTrial("none", "own", 8, error=why),
              LinearTrial("none", "own", 12, error="too few rows for lookback 12"),
              LinearTrial("difference", "all", 4, score=0.5)]
    out = io.StringIO()
    _print_trials(linear, out)
    lines = out.getvalue().splitlines()[1:]
    assert [line.split("not scored")[0].split("MASE")[0].strip() for line in lines] == [
        "none, all inputs, lookback 4", "none, own history only, lookback 4, 8",
        "none, own history only, lookback 12", "difference, all inputs, lookback 4"]
    short = [Trial("none", "all", error=why), Trial("none", "own", error=why),
             Trial("difference", "all", score=1.0, rmse={"y": 1.0})]
    out = io.StringIO()
    _print_trials(short, out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Chosen by the one-step selection RMSE")
    assert len(lines) == 4 and lines[3].endswith("RMSE 1.000  <- chosen")


def test_the_candidates_figures_get_the_digits_that_tell_them_apart():
    """Two scores that read the same to 4 digits get the digits that tell them apart (both
    read "MASE 0.402"), each figure to as many digits."""
    import io

    from engine.cli.commands.fit import _print_trials
    from engine.training.linear_choice import LinearTrial

    trials = [LinearTrial("none", "all", 6, score=0.40212),
              LinearTrial("none", "all", 12, score=0.40208),
              LinearTrial("none", "all", 24, score=0.5)]
    out = io.StringIO()
    _print_trials(trials, out)
    figures = [line.split("MASE ")[1] for line in out.getvalue().splitlines()[1:]]
    assert figures == ["0.40212", "0.40208  <- chosen", "0.50000"]


def test_an_output_that_would_replace_an_input_or_lacks_a_folder_is_refused_first(
        fitted, seasonal_csv, tmp_path, monkeypatch):
    """Nothing is trained or written when --out names the data or model file, or a folder
    that does not exist (the model file used to be written before the project failed)."""
    import engine.training.fitting as fitting

    model, _, _ = fitted
    data = tmp_path / "data.csv"
    data.write_bytes(open(seasonal_csv, "rb").read())
    before = data.read_bytes()
    status, _, err = run("forecast", model, data, "--steps", "2", "--out", data)
    assert status == 1 and "--out" in err and "is the data file this command reads" in err
    assert data.read_bytes() == before
    status, _, err = run("export", model, "--format", "python", "--out", model)
    assert status == 1 and "is the model file this command reads" in err
    monkeypatch.setattr(fitting, "fit_project", lambda *a, **k: pytest.fail("trained"))
    written = tmp_path / "written.npz"
    for flags in (["--out", tmp_path / "none" / "m.npz"],
                  ["--project", tmp_path / "none" / "p.json", "--out", written]):
        status, _, err = run("fit", data, "--target", "y", *FAST, *flags)
        assert status == 1 and "Could not save" in err and "none" in err
    assert not written.exists()


def test_a_horizon_of_0_without_inputs_and_a_time_column_as_target_say_why(seasonal_csv,
                                                                           tmp_path):
    alone = tmp_path / "alone.csv"
    pd.read_csv(seasonal_csv)[["month", "y"]].to_csv(alone, index=False)
    status, _, err = run("fit", alone, "--target", "y", "--horizon", "0", *FAST,
                         "--out", tmp_path / "m.npz")
    assert status == 1 and "with horizon 0 the target is approximated from other" in err
    status, _, err = run("fit", seasonal_csv, "--target", "y", "--time", "y", *FAST,
                         "--out", tmp_path / "m.npz")
    assert status == 1 and "Column 'y' is the time column, so it cannot be the target" in err


def test_a_forecast_length_longer_than_the_selection_part_is_said(seasonal_csv, tmp_path):
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--forecast-steps", "500",
                           *FAST, "--out", tmp_path / "m.npz")
    assert status == 0, err
    note = [line for line in out.splitlines() if "forecast length asked for" in line]
    assert len(note) == 1 and note[0].startswith("Note: the forecast length asked for (500 "
                                                 "steps) is longer than the selection part")
    status, out, _ = run("fit", seasonal_csv, "--target", "y", "--forecast-steps", "6",
                         *FAST, "--out", tmp_path / "n.npz")
    assert status == 0 and "forecast length asked for" not in out


def test_fit_project_names_a_column_renamed_in_the_data_file(seasonal_csv, tmp_path):
    project = tmp_path / "p.json"
    status, _, err = run("fit", seasonal_csv, "--target", "y", "--epochs", "1", "--project",
                         project, "--out", tmp_path / "m.npz")
    assert status == 0, err
    seasonal_csv.write_text(seasonal_csv.read_text().replace(",y,", ",sales,", 1))
    status, _, err = run("fit", "--project", project, "--out", tmp_path / "n.npz")
    assert status == 1 and "Unknown column 'y'" in err and "bug" not in err


def test_the_testing_start_takes_the_data_pages_row_syntax():
    from engine.cli.arguments import parse_when

    assert parse_when("100") == 100 and parse_when("1958-01") == "1958-01"
    assert parse_when("row 100") == {"row": 100} == parse_when("Row100")
    assert parse_when("rows of 3") == "rows of 3"


def test_fit_says_when_the_forecasts_asked_for_need_inputs_ahead(seasonal_csv, tmp_path):
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--input", "x", "--input",
                           "y", "--forecast-steps", "6", "--epochs", "2", "--out",
                           tmp_path / "m.npz")
    assert status == 0, err
    assert ("Note: the network reads x besides the target: a forecast of 6 steps needs its "
            "values for those 6 rows") in out
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--input", "y",
                           "--forecast-steps", "6", "--epochs", "2", "--out",
                           tmp_path / "own.npz")
    assert status == 0, err
    assert "besides the target" not in out
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--input", "x", "--input",
                           "y", "--horizon", "6", "--forecast-steps", "6", "--epochs", "2",
                           "--out", tmp_path / "direct.npz")     # all 6 steps at once
    assert status == 0, err
    assert "besides the target" not in out


def test_evaluate_names_a_model_that_kept_its_linear_start_the_linear_autoregression(
        tmp_path):
    """The model file of a model of one series whose training kept its least-squares
    start: evaluate's verdict names it the linear autoregression, as step 6 and the report
    do, on the recursive forecasts from many origins (a model of 3 steps ahead) and on the
    scored rows (--recursive), and so does the note on rows whose target is empty."""
    from helpers.projects import start_kept_project

    project = load_project(start_kept_project(tmp_path, horizon=3))
    model, data = project.model_file(), project.data_file()
    status, out, err = run("evaluate", model, data)
    assert status == 0, err
    assert ("Exponential smoothing forecast the testing part better than the linear "
            "autoregression, forecasting 12 steps recursively") in out
    header = next(line for line in out.splitlines() if "persistence" in line and
                  "ETS" in line)                     # the table by steps ahead
    assert header.split()[:3] == ["model", "(linear", "autoregression)"]
    status, out, err = run("evaluate", model, data, "--recursive")
    assert status == 0, err
    assert "Exponential smoothing forecast these rows better than the linear " \
        "autoregression (RMSE" in out
    assert "the network" not in out
    frame = pd.read_csv(data)
    frame.loc[90, "y"] = None                                  # a testing row's target
    frame.to_csv(tmp_path / "gap.csv", index=False)
    status, out, err = run("evaluate", model, tmp_path / "gap.csv", "--recursive")
    assert status == 0, err
    assert ("1 row whose target cell is empty or no number is not scored: the linear "
            "autoregression and the baselines read them filled in") in out


def test_evaluate_says_why_there_is_no_seasonal_naive(tmp_path):
    """A random walk has no season: evaluate names the seasonal naive baseline and why it
    has none, as step 6 and the report do (it left the line out in silence)."""
    rng = np.random.default_rng(0)
    data, model = tmp_path / "walk.csv", tmp_path / "walk.npz"
    pd.DataFrame({"y": np.cumsum(rng.normal(size=150))}).to_csv(data, index=False)
    status, _, err = run("fit", data, "--target", "y", *FAST, "--out", model)
    assert status == 0, err
    status, out, err = run("evaluate", model, data)
    assert status == 0, err
    assert "  baseline seasonal naive: none (no season found in the data)" in out.splitlines()
    status, out, _ = run("evaluate", model, data, "--json")
    assert "seasonal_naive" not in json.loads(out)["baselines"]


def test_no_command_s_help_names_a_page(capsys):
    """The command line speaks of itself: no ``--help`` names a page, a step of the window
    or its dialogs (fit's named 'the data page' and 'the training page's Networks
    averaged')."""
    import re

    from engine.cli.main import command_names

    pages = re.compile(r"\b[Ss]tep [1-7]\b|\bpages?\b|\bdialogs?\b")
    for name in command_names():
        with pytest.raises(SystemExit):
            main([name, "--help"])
        text = capsys.readouterr().out
        assert text and not pages.findall(text), name


def test_fit_counts_the_epochs_of_each_network_averaged():
    """Networks averaged that ran different epochs are counted as a range, as step 4's bar
    counts them; one network by its own epochs."""
    from types import SimpleNamespace

    from engine.cli.commands.fit import epochs_trained

    def result(counts, history=4):
        members = [{"epochs": n} for n in counts] if counts else None
        return SimpleNamespace(network=SimpleNamespace(member_trainings_=members),
                               history=[None] * history)

    assert epochs_trained(result([63, 82, 70])) == "63 to 82 epochs each"
    assert epochs_trained(result([40, 40])) == "40 epochs each"
    assert epochs_trained(result(None, history=1)) == "1 epoch"
    assert epochs_trained(result([40, None, 52])) is None      # a count not sent back


@pytest.mark.parametrize("steps, horizon", [(None, 8), (3, 3), (24, 8)])
def test_evaluate_scores_recursive_forecasts_of_the_forecast_length(seasonal_csv, tmp_path,
                                                                    steps, horizon):
    """The model file records fit's forecast length, and evaluate --json's analysis scores
    recursive forecasts that long by default: 3 steps for 3; 24 shortened to the 8 steps
    that leave 5 complete forecasts in the 12 testing rows, with a note saying why; without
    one, the season of 12 shortened to 8 as before."""
    model = tmp_path / "m.npz"
    asked = [] if steps is None else ["--forecast-steps", steps]
    status, _, err = run("fit", seasonal_csv, "--target", "y", "--test-from", "2019-01-01",
                         "--lookback", "6", *asked, *FAST, "--out", model)
    assert status == 0, err
    assert load_model(model).metadata["forecast_steps"] == steps
    status, out, err = run("evaluate", model, seasonal_csv, "--json")
    assert status == 0, err
    analysis = json.loads(out)["analysis"]
    assert analysis["recursive_horizon"]["horizon"] == horizon
    shortened = [note for note in analysis["notes"] if "forecast length" in note]
    assert shortened == ([] if steps != 24 else [
        "The recursive forecasts are scored 8 steps ahead, not the 24 of the forecast length "
        "set for this model, so that at least 5 forecasts run all their steps inside the 12 "
        "rows tested; a longer testing part scores longer ones."])


def test_a_shortened_recursive_forecast_is_named_in_the_command_line_s_words(
        seasonal_csv, tmp_path, monkeypatch):
    """The note on a recursive forecast from the testing start cut short names it as the
    output at hand does: evaluate --json's analysis by its keys, report by its chart; no
    plot of a page (it named 'the dashed line of the Predictions plot')."""
    import re

    from engine.testing import analysis

    model = tmp_path / "m.npz"
    status, out, err = run("fit", seasonal_csv, "--target", "y", "--test-from",
                           "2019-01-01", *FAST, "--out", model)
    assert status == 0, err
    monkeypatch.setattr(analysis, "RECURSIVE_ROWS", 3)
    status, out, err = run("evaluate", model, seasonal_csv, "--horizon", "1", "--json")
    assert status == 0, err
    notes = json.loads(out)["analysis"]["notes"]
    note = next(n for n in notes if "runs over its first 10 rows only, of 12" in n)
    assert "(the analysis' \"recursive\"; --recursive forecasts every row)" in note
    page = re.compile(r"\bplot\b|By horizon|\bpages?\b")
    assert not any(page.search(n) for n in notes), notes
    report = tmp_path / "r.html"
    monkeypatch.setattr(analysis, "recursive_length", lambda count, horizon: count - 2)
    project = next(tmp_path.glob("*.json"))
    status, _, err = run("report", project, "--out", report)
    assert status == 0, err
    text = report.read_text()
    assert "the dashed line of the report&#x27;s testing part chart" in text
    assert "Predictions plot" not in text and "By horizon" not in text
