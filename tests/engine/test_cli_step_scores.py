"""``fit`` and ``evaluate`` of a model of several steps ahead: the RMSE of each step ahead
beside the baselines' at the same step, the figures step 6 and the report show
(``evaluate --json``'s analysis), and the verdict on step 6's basis."""

import json

import numpy as np
import pandas as pd
import pytest

from engine.cli.step_scores import listed_steps, step_digits, step_rows
from engine.model.model_file import load_model
from engine.testing.analysis import analyze_model
from engine.testing.verdict import COMMAND_LINE, verdict_on_testing
from engine.words import counted
from helpers.figures import printed, reads
from helpers.command_line import run


@pytest.fixture
def quarterly(tmp_path):
    """60 quarters of a trend, a yearly cycle and noise."""
    rng = np.random.default_rng(3)
    t = np.arange(60)
    data = tmp_path / "quarterly.csv"
    pd.DataFrame({"quarter": pd.date_range("2000-01-01", periods=60, freq="QS"),
                  "y": 10 + 0.05 * t + np.sin(2 * np.pi * t / 4) + rng.normal(0, 0.2, 60)}
                 ).to_csv(data, index=False)
    return data


def fit(data, horizon, tmp_path):
    model = tmp_path / f"h{horizon}.npz"
    status, out, err = run("fit", data, "--target", "y", "--time", "quarter", "--horizon",
                           horizon, "--epochs", "3", "--out", model)
    assert status == 0, err
    return model, out


def step_line(text, label):
    """The figures of the table line that starts with ``label``."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            return line.strip()[len(label):].split()
    raise AssertionError(f"no line {label!r} in:\n{text}")


def test_fit_and_evaluate_print_every_step_ahead_beside_the_baselines(quarterly, tmp_path):
    model, fitted = fit(quarterly, 3, tmp_path)
    status, text, err = run("evaluate", model, quarterly)
    assert status == 0, err
    _, out, _ = run("evaluate", model, quarterly, "--json")
    report = json.loads(out)
    assert "1 to 3 steps ahead" in text.splitlines()[0]
    assert "Scores of each of the 3 steps ahead on the testing part, as rnn-studio " \
        "evaluate and rnn-studio report show them:" in fitted
    for entry in report["analysis"]["direct"]:         # step 6's figures, step by step
        label = "1 step ahead" if entry["step"] == 1 else f"{entry['step']} steps ahead"
        figures = [entry["targets"]["y"]["rmse"]] + [
            entry["baselines"][name]["targets"]["y"]["rmse"]
            for name in ("persistence", "seasonal_naive", "ets", "theta", "linear")]
        assert reads(step_line(text, label), figures)
        assert reads(step_line(fitted, label), figures)
    pooled = report["analysis"]["recursive_horizon"]
    label = f"recursive, 1–{pooled['horizon']} ahead, {counted(pooled['origins'], 'origin')}"
    assert step_line(text, label)[0] in printed(pooled["targets"]["y"]["rmse"])
    analysis = analyze_model(load_model(model), pd.read_csv(quarterly))
    said = verdict_on_testing(analysis, 0, COMMAND_LINE, str(model), str(quarterly),
                              digits=step_digits(step_rows(analysis, 0)))
    assert report["verdict"] == ([said] if said else [])
    if said:
        assert said in text
        assert f"rnn-studio forecast {model} {quarterly} --method" in said
    else:
        assert "better than the network" not in text


def test_a_long_horizon_lists_a_few_steps_the_last_and_the_mean(quarterly, tmp_path):
    assert listed_steps(4) == [1, 2, 3, 4] and listed_steps(8) == [1, 2, 3, 4, 8]
    model, _ = fit(quarterly, 8, tmp_path)
    status, text, err = run("evaluate", model, quarterly)
    assert status == 0, err
    direct = json.loads(run("evaluate", model, quarterly, "--json")[1])["analysis"]["direct"]
    mean = np.mean([entry["targets"]["y"]["rmse"] for entry in direct])
    assert step_line(text, "mean of steps 1–8")[0] in printed(mean)
    assert step_line(text, "8 steps ahead")[0] in printed(direct[7]["targets"]["y"]["rmse"])
    assert "5 steps ahead" not in text


def test_a_model_of_one_step_ahead_keeps_its_one_step_lines(quarterly, tmp_path):
    model, fitted = fit(quarterly, 1, tmp_path)
    status, text, err = run("evaluate", model, quarterly)
    assert status == 0, err
    assert "one step ahead, " in text.splitlines()[0]
    assert "  baseline persistence: RMSE y " in text
    assert "by steps ahead" not in text and "by steps ahead" not in fitted


def test_scores_of_each_step_that_cannot_be_made_are_said_missing(quarterly, tmp_path):
    """Scored from the last row, the analysis behind the scores of each step cannot be made:
    evaluate printed the one-step lines alone without a word on the missing steps."""
    model, _ = fit(quarterly, 3, tmp_path)
    status, text, err = run("evaluate", model, quarterly, "--from", 59)
    assert status == 0, err
    assert "The scores of each of the 3 steps ahead are not shown: " in text
    assert "by steps ahead" not in text


def test_the_tables_say_when_the_comparators_made_some_of_the_recursive_forecasts(
        quarterly, tmp_path, monkeypatch):
    """With room for few comparator forecasts, ETS, Theta and linear AR forecast from one
    origin in a few: the table of each step ahead and the line of ``--horizon`` say from
    how many, in the words of step 6's errors table (:func:`comparators_subset`); with
    room for all, they say nothing."""
    import engine.testing.evaluation as evaluation
    from engine.testing.report import comparators_subset

    model, _ = fit(quarterly, 3, tmp_path)
    status, text, _ = run("evaluate", model, quarterly)
    assert status == 0 and "in the recursive row" not in text
    monkeypatch.setattr(evaluation, "MAX_COMPARATOR_FORECASTS", 12)
    analysis = analyze_model(load_model(model), pd.read_csv(quarterly))
    subset = comparators_subset(analysis)
    assert subset.startswith("ETS, Theta and linear AR in the recursive row: from ")
    status, text, err = run("evaluate", model, quarterly)
    assert status == 0, err
    assert f"RMSE of y by steps ahead, beside the baselines' at the same steps ({subset}):" \
        in text
    status, text, err = run("evaluate", model, quarterly, "--horizon", 3)
    assert status == 0, err
    scored = json.loads(run("evaluate", model, quarterly, "--horizon", 3, "--json")[1])
    used, origins = scored["comparator_origins"], scored["origins"]
    assert 0 < used < origins
    assert f"; ETS, Theta and linear AR from {used} of the {origins} origins" in text


def test_the_tables_say_why_the_recursive_row_is_shorter_than_the_forecast_length(
        quarterly, tmp_path):
    """A forecast length of 24 over the 11 quarters tested (of 12, the first of them read by
    the selection's last windows of 2 steps): the recursive row runs 7 steps, and fit and
    evaluate say why under the table, as step 6 does."""
    model = tmp_path / "long.npz"
    status, fitted, err = run("fit", quarterly, "--target", "y", "--time", "quarter",
                              "--horizon", 2, "--forecast-steps", 24, "--epochs", 3,
                              "--test-last", 12, "--out", model)
    assert status == 0, err
    status, text, err = run("evaluate", model, quarterly)
    assert status == 0, err
    note = ("The recursive forecasts are scored 7 steps ahead, not the 24 of the forecast "
            "length set for this model, so that at least 5 forecasts run all their steps "
            "inside the 11 rows tested; a longer testing part scores longer ones.")
    assert "recursive, 1–7 ahead, 5 origins" in text and note in text
    assert note in fitted


def _scores(rmse):
    from engine.testing.metrics import score

    return score(np.array([[0.0], [0.0]]), np.array([[rmse], [-rmse]]), ["y"])


def test_the_verdict_under_the_table_of_each_step_quotes_its_rmses_to_the_tables_digits():
    """ETS's and Theta's recursive RMSEs read 3.000 both at 4 digits: the table of each step
    shows its RMSEs to 5, and evaluate's verdict quotes ETS's and the network's as the table
    does, never 3.000 against 4.000; Theta, which beat the network too, is named after it."""
    import io
    from types import SimpleNamespace

    from engine.cli.commands.evaluate import _verdict
    from engine.cli.step_scores import print_step_scores

    direct = {"persistence": _scores(3.25), "ets": _scores(3.5)}
    analysis = SimpleNamespace(
        target_names=["y"], steps=2, forecast_steps=None, horizon=2, horizon_origins=5,
        direct_scores=[_scores(2.0), _scores(2.5)], direct_baselines=[direct, direct],
        horizon_scores=_scores(4.0), comparator_origins=None,
        horizon_pooled={"persistence": _scores(5.0), "ets": _scores(3.00004),
                        "theta": _scores(3.00012)})
    out = io.StringIO()
    print_step_scores(analysis, out)
    assert step_line(out.getvalue(), "recursive, 1–2 ahead, 5 origins") == \
        ["4.0000", "5.0000", "-", "3.0000", "3.0001", "-"]
    args = SimpleNamespace(model="m.npz", data="d.csv", recursive=False, horizon=None)
    assert _verdict(None, analysis, args) == [
        "Exponential smoothing forecast the testing part better than the network, forecasting "
        "2 steps recursively from 5 origins (RMSE 3.0000 against 4.0000); so did the Theta "
        "method (3.0001). rnn-studio forecast "
        "m.npz d.csv --method ets --steps N --out FORECAST.csv uses its forecast instead."]
