"""The verdict after a fit (engine/testing/verdict.py): the network against ETS, Theta and
the linear autoregression on the selection part, on series whose winner is known, and the
comparison kept in the fit's result, the model file and the project."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from engine.data import default_config, load_table, prepare_training
from engine.network.recurrent import RecurrentNetwork
from engine.project.document import load_project, save_project
from engine.project.sections import Results
from engine.testing.comparators import fit_comparators
from engine.testing.verdict import (compare_selection, network_lost, number_pair,
                                    scored_words, target_entries, verdict_sentence)
from engine.training.automatic import training_settings
from engine.training.run import fit_network


def prepared_for(y, lookback=2, horizon=1, fractions=(0.7, 0.3, 0.0)):
    table = load_table(pd.DataFrame({"y": y}))
    config = default_config(table, ["y"], lookback=lookback, horizon=horizon)
    config.split.fractions = fractions
    return prepare_training(table, config)


def ar1(rows=400, phi=0.5, seed=1):
    rng = np.random.default_rng(seed)
    y = np.zeros(rows)
    for t in range(1, rows):
        y[t] = phi * y[t - 1] + rng.standard_normal()
    return 50 + 3 * y


def logistic_map(rows=300):
    x = [0.3]
    for _ in range(rows - 1):
        x.append(3.9 * x[-1] * (1 - x[-1]))
    return 5 + 10 * np.array(x)


def trained(prepared, hidden, epochs):
    settings = training_settings({"max_epochs": epochs, "seed": 0}, len(prepared.Y_train))
    network, _ = fit_network(prepared, {"cell": "gru", "hidden_sizes": [hidden]}, settings)
    return network


def test_the_linear_model_beats_a_badly_trained_network_on_an_ar1_series():
    prepared = prepared_for(ar1())
    network = trained(prepared, hidden=1, epochs=1)
    comparison = compare_selection(network, prepared)
    assert comparison["part"] == "selection" and comparison["mode"] == "one_step"
    assert comparison["best"] == "linear"
    rows = prepared.target_rows("selection")[:, 0]
    assert comparison["first_row"] == rows.min() and comparison["rows"] == len(rows)
    assert comparison["best_rmse"] == min(v for v in comparison["all"].values())
    assert comparison["network"] > comparison["best_rmse"]
    # an AR(1) with unit noise scaled by 3: the true model's one-step RMSE is about 3
    assert 2.5 < comparison["best_rmse"] < 3.5
    best, own = number_pair(comparison["best_rmse"], comparison["network"])
    assert comparison["verdict"] == (
        f"A linear autoregression forecast the selection part better than the network (RMSE "
        f"{best} against {own}, one step ahead on its {len(rows)} rows).")
    assert network_lost(comparison)


def test_a_network_that_learns_a_nonlinear_map_wins_and_is_told_so_plainly():
    prepared = prepared_for(logistic_map())
    network = trained(prepared, hidden=16, epochs=200)
    comparison = compare_selection(network, prepared)
    assert comparison["network"] < 0.2 * comparison["best_rmse"]
    assert not network_lost(comparison)
    assert comparison["verdict"].startswith(
        "The network beat exponential smoothing, the Theta method and a linear "
        "autoregression on the selection part (RMSE ")
    assert comparison["verdict"].endswith(
        f" for the best, one step ahead on its {comparison['rows']} rows).")
    own, best = number_pair(comparison["network"], comparison["best_rmse"])
    assert f"RMSE {own} against {best}" in comparison["verdict"]


def test_the_comparators_are_fitted_on_the_rows_before_the_selection_part(monkeypatch):
    import engine.testing.verdict as verdict

    fitted = []

    def fit_and_keep(*args, **kwargs):
        comparators = fit_comparators(*args, **kwargs)
        fitted.append((args[2], comparators))
        return comparators

    monkeypatch.setattr(verdict, "fit_comparators", fit_and_keep)
    prepared = prepared_for(ar1())
    compare_selection(trained(prepared, hidden=1, epochs=1), prepared)
    (start, comparators), = fitted
    assert start == prepared.target_rows("selection")[:, 0].min()
    for comparator in comparators.values():
        assert comparator.fitted_rows[1] < start


def test_several_steps_ahead_are_scored_recursively_over_the_selection_part():
    prepared = prepared_for(ar1(), horizon=3)
    network = trained(prepared, hidden=1, epochs=1)
    comparison = compare_selection(network, prepared)
    rows = np.sort(prepared.target_rows("selection")[:, 0])
    assert comparison["mode"] == "recursive" and comparison["rows"] == len(rows)
    assert network_lost(comparison) and comparison["best"] == "linear"
    assert f"recursive forecasts of its {len(rows)} rows)" in comparison["verdict"]


def test_a_longer_forecast_asked_of_a_one_step_network_is_judged_recursively():
    prepared = prepared_for(ar1())
    network = trained(prepared, hidden=1, epochs=1)
    assert compare_selection(network, prepared, forecast_steps=1)["mode"] == "one_step"
    comparison = compare_selection(network, prepared, forecast_steps=12)
    rows = np.sort(prepared.target_rows("selection")[:, 0])
    assert comparison["mode"] == "recursive" and comparison["rows"] == len(rows)
    assert f"recursive forecasts of its {len(rows)} rows)" in comparison["verdict"]


def test_the_fit_and_the_testing_part_judge_the_forecast_length_asked_for(tmp_path):
    from engine.model.model_file import load_model
    from engine.testing.analysis import analyze_model
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.training.fitting import fit_project, save_fit

    path = tmp_path / "ar1.csv"
    pd.DataFrame({"y": np.round(ar1(), 4)}).to_csv(path, index=False)
    for steps, mode in ((None, "one_step"), (6, "recursive")):
        project, _ = automatic_project(AutomaticChoices(
            path, ["y"], test_from=320, max_epochs=1, lookback=2, forecast_steps=steps))
        project.architecture.hidden_sizes = [1]
        result = fit_project(project)
        assert result.comparison["mode"] == mode
        save_fit(result, tmp_path / "m.npz")
        model = load_model(tmp_path / "m.npz")
        analysis = analyze_model(model, model.read_csv(path))
        assert analysis.steps == 1 and analysis.forecast_steps == steps
        assert evaluate_verdict_reads(tmp_path / "m.npz", path) == mode


def evaluate_verdict_reads(model, data):
    """Which verdict ``evaluate --json`` gives: "recursive" when step 6's (the recursive
    forecasts from many origins), "one_step" when that of the rows it scored."""
    import io
    from unittest import mock

    import engine.testing.verdict as verdict
    from engine.cli.main import main

    with mock.patch.object(verdict, "verdict_on_testing",
                           wraps=verdict.verdict_on_testing) as testing:
        out, err = io.StringIO(), io.StringIO()
        assert main(["evaluate", str(model), str(data), "--json"], out=out, err=err) == 0, \
            err.getvalue()
    return "recursive" if testing.called else "one_step"


def test_figures_that_read_the_same_are_a_tie():
    from engine.testing.verdict import tied

    assert tied(2.000003, 2.0) and tied(2.0, 2.000003)    # both read 2.00000
    assert not tied(2.00003, 2.0)                          # 2.00003 against 2.00000
    entry = target_entries(SimpleNamespace(rmse=np.array([2.000003])),
                           {"linear": SimpleNamespace(rmse=np.array([2.0]))}, ["y"])["y"]
    assert entry["network_wins"]


def test_sentences_name_the_method_and_both_numbers():
    entry = {"network": 12.3, "best": "ets", "best_rmse": 10.1, "network_wins": False}
    assert verdict_sentence(entry, ["ets", "theta", "linear"], "one_step", 20) == (
        "Exponential smoothing forecast the selection part better than the network (RMSE "
        "10.10 against 12.30, one step ahead on its 20 rows).")
    entry = {"network": 8.1, "best": "theta", "best_rmse": 9.4, "network_wins": True}
    assert verdict_sentence(entry, ["ets", "theta"], "one_step", 20) == (
        "The network beat exponential smoothing and the Theta method on the selection part "
        "(RMSE 8.100 against 9.400 for the best, one step ahead on its 20 rows).")
    entry = {"network": 0.0, "best": "linear", "best_rmse": 0.0, "network_wins": True}
    assert verdict_sentence(entry, ["ets", "linear"], "one_step", 1) == (
        "The network did as well as a linear autoregression on the selection part (RMSE 0.000 "
        "for both, one step ahead on its one row), and no better.")
    assert scored_words("one_step", 1000, 3947) == ", one step ahead on 1,000 of its 3,947 rows"
    assert scored_words("one_step", 21, 21) == ", one step ahead on its 21 rows"
    assert scored_words("recursive", 8, 21) == ", recursive forecasts of its 8 rows"
    entry = {"network": None, "best": "theta", "best_rmse": 9.4, "network_wins": False}
    assert "The Theta method forecast" in verdict_sentence(entry, ["theta"], "one_step", 5)
    assert "against not a number" in verdict_sentence(entry, ["theta"], "one_step", 5)
    entry["best_rmse"] = 0.11743                  # 4 digits, as the table beside shows it
    assert "(RMSE 0.1174 against not a number," in verdict_sentence(entry, ["theta"],
                                                                      "one_step", 5)
    assert verdict_sentence({"network": 1.0, "best": None, "best_rmse": None,
                             "network_wins": False}, [], "one_step", 5) is None
    assert number_pair(10.12, 10.14) == ("10.12", "10.14")
    assert number_pair(17.6312, 19.0312) == ("17.63", "19.03")      # as the tables show them
    assert number_pair(17.6312, 17.6348) == ("17.631", "17.635")
    assert number_pair(13.0, 13.3) == ("13.00", "13.30")     # trailing zeros, as the tables
    assert number_pair(1.886, 2.54) == ("1.886", "2.540")
    assert number_pair(12345.6, 0.0465) == ("12346", "0.04650")
    assert number_pair(9.85, 3.2677e47) == ("9.850", "3.268e+47")    # a forecast ran away
    assert number_pair(9.85, 123456789.4) == ("9.850", "123456789")
    assert number_pair(2.0000001, 2.0) == ("2.000", "2.000")          # a tie reads as one



def test_the_selection_verdict_names_a_model_that_kept_its_start_as_step_6_does():
    """A model that kept its least-squares start is "the linear autoregression" in the
    verdict on the selection part, the linear comparator told apart from it, as in the
    verdict on the testing part (it said "the network"); the part is named once, first, and
    the comparator refitted on every row before it says "that part"."""
    subject = "the linear autoregression"
    entry = {"network": 12.3, "best": "ets", "best_rmse": 10.1, "network_wins": False}
    assert verdict_sentence(entry, ["ets", "linear"], "one_step", 20, subject=subject) == (
        "On the selection part, exponential smoothing forecast better than the linear "
        "autoregression (RMSE 10.10 against 12.30, one step ahead on its 20 rows).")
    entry = {"network": 3.0, "best": "linear", "best_rmse": 2.0, "network_wins": False}
    assert verdict_sentence(entry, ["linear"], "one_step", 20, "y", subject=subject) == (
        "For y: On the selection part, a linear autoregression refitted on every row before "
        "that part forecast better than the linear autoregression (RMSE 2.000 against 3.000, one "
        "step ahead on its 20 rows).")
    entry = {"network": 8.1, "best": "theta", "best_rmse": 9.4, "network_wins": True}
    assert verdict_sentence(entry, ["theta", "linear"], "one_step", 20, subject=subject) == (
        "On the selection part, the linear autoregression beat the Theta method and a "
        "linear autoregression refitted on every row before that part (RMSE 8.100 against 9.400 "
        "for the best, one step ahead on its 20 rows).")
    entry = {"network": 2.0, "best": "ets", "best_rmse": 2.0, "network_wins": True}
    assert verdict_sentence(entry, ["ets"], "recursive", 8, subject=subject) == (
        "On the selection part, the linear autoregression did as well as exponential "
        "smoothing (RMSE 2.000 for both, recursive forecasts of its 8 rows), and no better.")
    entry = {"network": 1.5, "best": "linear", "best_rmse": 1.5, "network_wins": True}
    assert verdict_sentence(entry, ["linear"], "one_step", 21, subject=subject) == (
        "On the selection part, the linear autoregression did as well as a linear "
        "autoregression refitted on every row before that part (RMSE 1.500 for both, one step "
        "ahead on its 21 rows), and no better.")


def test_a_verdict_without_offers_keeps_what_it_compares():
    """For a model that cannot be put to use: each target's comparison, without where to
    get the forecast that won."""
    from engine.testing.verdict import selection_verdict

    entries = {"a": {"network": 12.3, "best": "ets", "best_rmse": 10.1, "network_wins": False},
               "b": {"network": 8.1, "best": "theta", "best_rmse": 9.4, "network_wins": True},
               "c": {"network": 3.0, "best": "linear", "best_rmse": 2.0, "network_wins": False}}
    sentences = [verdict_sentence(entry, ["ets", "theta", "linear"], "one_step", 20, name)
                 for name, entry in entries.items()]
    comparison = {"verdict": " ".join(sentences), "targets": entries}
    assert selection_verdict(comparison) == (
        "For a: Exponential smoothing forecast the selection part better than the network "
        "(RMSE 10.10 against 12.30, one step ahead on its 20 rows). For b: The network beat "
        "exponential smoothing, the Theta method and a linear autoregression on the "
        "selection part (RMSE 8.100 against 9.400 for the best, one step ahead on its 20 "
        "rows). For c: A linear autoregression forecast the selection part better than the "
        "network (RMSE 2.000 against 3.000, one step ahead on its 20 rows).")
    assert selection_verdict(None) is None
    assert selection_verdict({"verdict": None, "targets": entries}) is None

def test_rmses_equal_but_for_rounding_are_a_tie():
    """A network that kept only its linear path scores the linear autoregression's RMSE
    but in the last bits: a tie, said as one, on every part and the backtest alike."""
    from engine.testing.verdict import no_worse, target_entries

    network, linear = 0.17701150000000004, 0.1770115
    assert network > linear and no_worse(network, linear) and not no_worse(0.1771, linear)

    class Scores:
        def __init__(self, value):
            self.rmse = np.array([value])

    entry = target_entries(Scores(network), {"linear": Scores(linear), "ets": Scores(0.3)},
                           ["unemp"])["unemp"]
    assert entry["network_wins"] and entry["best"] == "linear"
    assert verdict_sentence(entry, ["ets", "linear"], "one_step", 20) == (
        "The network did as well as a linear autoregression on the selection part (RMSE "
        "0.1770 for both, one step ahead on its 20 rows), and no better.")


def test_without_selection_rows_there_is_no_comparison():
    prepared = prepared_for(ar1(100), fractions=(1.0, 0.0, 0.0))
    network = RecurrentNetwork("gru", prepared.n_inputs, [1], prepared.n_outputs, seed=0)
    assert compare_selection(network, prepared) is None


def test_a_fit_keeps_the_comparison_in_its_model_file_and_project(tmp_path):
    from engine.model.model_file import load_model
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.training.fitting import fit_project, record_fit, save_fit

    path = tmp_path / "ar1.csv"
    pd.DataFrame({"y": np.round(ar1(), 4)}).to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["y"], test_from=320,
                                                    max_epochs=1, lookback=2))
    project.selection.settings = {}
    project.architecture.hidden_sizes = [1]
    result = fit_project(project)
    assert result.comparison["best"] == "linear" and result.comparison["verdict"]
    save_fit(result, tmp_path / "m.npz")
    assert load_model(tmp_path / "m.npz").metadata["comparison"] == result.comparison
    record_fit(project, result, tmp_path / "m.npz")
    again = load_project(save_project(project, tmp_path / "p.json"))
    assert again.results.comparison == result.comparison


def test_results_without_a_comparison_still_load():
    results = Results.from_dict({"training": {"stop_reason": "Stopped."}})
    assert results.comparison is None and results.extra == {}
    assert "comparison" not in results.to_dict()


@pytest.mark.parametrize("comparison", [None, {}, {"targets": {}}])
def test_no_loss_without_a_comparison(comparison):
    assert not network_lost(comparison)


def test_fit_prints_the_verdict_after_its_scores_naming_the_model_file(tmp_path):
    import io

    from engine.cli.main import main

    data = tmp_path / "ar1.csv"
    pd.DataFrame({"y": np.round(ar1(), 4)}).to_csv(data, index=False)
    out, err = io.StringIO(), io.StringIO()
    model = tmp_path / "my model.npz"
    # without a linear path (with one the network starts as the linear model)
    status = main(["fit", str(data), "--target", "y", "--lookback", "2", "--hidden", "1",
                   "--no-linear-path", "--epochs", "1", "--test-from", "320", "--out",
                   str(model)],
                  out=out, err=err)
    assert status == 0, err.getvalue()
    text = out.getvalue()
    line = next(line for line in text.splitlines() if "better than the network" in line)
    assert line.startswith("A linear autoregression forecast the selection part better")
    assert f"rnn-studio forecast '{model}' {data} --method linear --steps N" in line
    assert text.index("Scores, one step ahead") < text.index(line)


def scores_of(rmse):
    from engine.testing.metrics import score

    return score(np.array([[0.0], [0.0]]), np.array([[rmse], [-rmse]]), ["y"])


def test_the_testing_line_only_when_a_comparator_did_better():
    from types import SimpleNamespace

    from engine.testing.verdict import COMMAND_LINE, WINDOW, verdict_on_testing

    analysis = SimpleNamespace(
        target_names=["y"], steps=1, rows=np.arange(30),
        direct_scores=[scores_of(2.0)],
        direct_baselines=[{"persistence": scores_of(1.0), "ets": scores_of(3.0),
                           "theta": scores_of(1.5), "linear": None}],
        horizon_scores=scores_of(1.0), horizon_pooled={"ets": scores_of(5.0)}, horizon=12,
        horizon_origins=19, forecast_steps=None)
    assert verdict_on_testing(analysis) == (
        "The Theta method forecast the testing part better than the network, one step ahead "
        "(RMSE 1.500 against 2.000).")
    assert verdict_on_testing(analysis, 0, WINDOW).endswith(
        "(RMSE 1.500 against 2.000). Deploy > Forecast > Method can use its forecast instead.")
    assert verdict_on_testing(analysis, subject="the linear autoregression").startswith(
        "The Theta method forecast the testing part better than the linear autoregression, "
        "one step ahead")               # step 6's model that kept its linear start
    analysis.direct_baselines[0]["linear"] = scores_of(1.2)     # beside it: told apart
    assert verdict_on_testing(analysis, subject="the linear autoregression") == (
        "A linear autoregression refitted on every row before the testing part forecast the "
        "testing part better than the linear autoregression, one step ahead (RMSE 1.200 "
        "against 2.000); so did the Theta method (1.500).")
    assert verdict_on_testing(analysis).startswith("A linear autoregression forecast")
    analysis.direct_baselines[0]["linear"] = scores_of(1.8)
    assert verdict_on_testing(analysis, subject="the linear autoregression").endswith(
        "; so did a linear autoregression refitted on every row before the testing part "
        "(1.800).")
    analysis.direct_baselines[0]["linear"] = None
    assert verdict_on_testing(analysis, 0, COMMAND_LINE).endswith(
        "(RMSE 1.500 against 2.000). rnn-studio forecast MODEL DATA.csv --method theta --steps N "
        "--out FORECAST.csv uses its forecast instead.")
    analysis.forecast_steps = 12     # a one-step model asked for forecasts of 12 steps
    assert verdict_on_testing(analysis) is None     # judged as the fit judged it: recursive
    analysis.forecast_steps = None
    analysis.direct_baselines[0]["theta"] = scores_of(2.0)      # a tie is no loss
    assert verdict_on_testing(analysis) is None
    analysis.steps = 3               # several steps ahead: the recursive forecasts decide
    assert verdict_on_testing(analysis) is None
    analysis.horizon_pooled = {"linear": scores_of(0.5)}
    assert "forecasting 12 steps recursively from 19 origins (RMSE 0.5000 against 1.000)" in \
        verdict_on_testing(analysis)
    analysis.horizon, analysis.horizon_origins = 1, 1
    assert "forecasting 1 step recursively from 1 origin (RMSE 0.5000 against 1.000)" in \
        verdict_on_testing(analysis)


def _fold(network, others):
    """A backtest fold with these recursive (and one-step) RMSEs of target y."""
    def entry(rmse):
        if rmse is None:
            return None
        return {"count": 12, "targets": {"y": {m: (rmse if m == "rmse" else 1.0)
                                               for m in ("rmse", "mae", "mape", "r2",
                                                         "mse_over_variance", "mase",
                                                         "nse")}}}
    baselines = {name: {"one_step": entry(value), "recursive": entry(value)}
                 for name, value in others.items()}
    return {"network": {"one_step": entry(network), "recursive": entry(network)},
            "baselines": baselines}


def test_the_backtest_line_names_the_comparator_of_lowest_mean_rmse():
    from engine.testing.backtest import Backtest
    from engine.testing.verdict import verdict_on_backtest

    others = ({"persistence": 1.0, "seasonal_naive": None, "ets": 3.0, "theta": 5.0,
               "linear": 4.0},
              {"persistence": 1.0, "seasonal_naive": None, "ets": 5.0, "theta": 3.0,
               "linear": 4.0})
    lost = Backtest(["y"], 12, 100, [_fold(6.0, others[0]), _fold(4.0, others[1])])
    line = verdict_on_backtest(lost)             # means: ets 4, theta 4, linear 4, net 5
    assert line.endswith("(mean RMSE 4.000 against 5.000).")            # no offer unless asked
    assert verdict_on_backtest(lost, asker="window") == \
        line + " Deploy > Forecast > Method can use its forecast instead."
    assert verdict_on_backtest(lost, asker="command_line") == \
        line + (" rnn-studio forecast MODEL DATA.csv --method ets --steps N --out "
                "FORECAST.csv uses its forecast instead.")
    assert line.startswith("Exponential smoothing forecast better than the network on the "
                           "backtest, recursively over 12 rows from each of its 2 origins "
                           "(mean RMSE 4.000 against 5.000)")
    won = Backtest(["y"], 12, 100, [_fold(2.0, others[0]), _fold(2.0, others[1])])
    assert verdict_on_backtest(won) is None      # persistence is not a comparator here
    runaway = Backtest(["y"], 12, 100, [_fold(1e40, others[0]), _fold(4.0, others[1]),
                                        _fold(4.5, others[1])])
    line = verdict_on_backtest(runaway)          # medians: ets 5, theta 3, linear 4, net 4.5
    assert line.startswith("The Theta method forecast better than the network on the "
                           "backtest, recursively over 12 rows from each of its 3 origins "
                           "(median RMSE 3.000 against 4.500; the network's forecast ran away at "
                           "some origin)")


def test_the_backtest_line_reads_the_median_only_for_a_runaway_in_its_own_mode():
    from engine.testing.backtest import Backtest
    from engine.testing.verdict import verdict_on_backtest

    others = {"persistence": 1.0, "seasonal_naive": None, "ets": 3.0, "theta": 5.0,
              "linear": 4.0}
    folds = [_fold(v, others) for v in (1e40, 4.0, 4.5)]
    for fold, calm in zip(folds, (6.0, 4.0, 4.5)):           # recursive: no runaway
        fold["network"]["recursive"]["targets"]["y"]["rmse"] = calm
    backtest = Backtest(["y"], 12, 100, folds)
    assert backtest.mean_pulled_away("y") and not backtest.mean_pulled_away(
        "y", ("recursive",))
    line = verdict_on_backtest(backtest)                      # recursive means: net 4.83
    assert "(mean RMSE 3.000 against 4.833)" in line and "ran away" not in line
    zero = Backtest(["y"], 12, 100, [_fold(v, others) for v in (0.0, 0.0, 2.0)])
    assert not zero.mean_pulled_away("y")                     # a median of 0: no ratio


def test_the_backtest_line_counts_only_the_origins_the_network_scored():
    from engine.testing.backtest import Backtest
    from engine.testing.verdict import verdict_on_backtest

    others = {"persistence": 1.0, "seasonal_naive": None, "ets": 3.0, "theta": 5.0,
              "linear": 4.0}
    folds = [_fold(v, others) for v in (5.0, 6.0, 7.0)]
    folds[0]["network"]["recursive"] = None                   # its forecast overflowed
    line = verdict_on_backtest(Backtest(["y"], 12, 100, folds))
    assert "of its 3 origins (mean RMSE 3.000 against 6.500 over the 2 origins where the network " \
           "gave a number)" in line


def test_evaluate_says_which_forecast_beat_the_network_on_the_rows_scored():
    """The best comparator first; else persistence or seasonal naive; nothing on a win or
    a tie."""
    from types import SimpleNamespace

    from engine.testing.verdict import verdict_on_evaluation

    class Scores:
        def __init__(self, *values):
            self.rmse = np.array(values, float)

    def evaluation(network, **baselines):
        return SimpleNamespace(target_names=["a", "b"][:len(network)],
                               scores=Scores(*network),
                               baselines={k: Scores(*v) for k, v in baselines.items()})

    lines = verdict_on_evaluation(evaluation([2.0], ets=[1.5], persistence=[3.0]), "m.npz")
    assert lines == ["Exponential smoothing forecast these rows better than the network "
                     "(RMSE 1.500 against 2.000). rnn-studio forecast m.npz DATA.csv --method ets "
                     "--steps N --out FORECAST.csv uses its forecast instead."]
    assert verdict_on_evaluation(evaluation([2.0], ets=[2.5], persistence=[1.9])) == [
        "Repeating the last value (persistence) forecast these rows better than the network "
        "(RMSE 1.900 against 2.000)."]
    assert verdict_on_evaluation(evaluation([2.0], ets=[2.5], persistence=[2.0],
                                            seasonal_naive=[3.0])) == []       # a tie
    assert verdict_on_evaluation(evaluation([2.0], persistence=[1.9]), digits=5) == [
        "Repeating the last value (persistence) forecast these rows better than the network "
        "(RMSE 1.9000 against 2.0000)."]                   # as a table of 5 digits shows them
    kept = verdict_on_evaluation(evaluation([2.0], linear=[1.5]), "m.npz",
                                 subject="the linear autoregression")
    assert kept[0].startswith("A linear autoregression refitted on every row before these "
                              "rows forecast these rows better than the linear autoregression")
    two = verdict_on_evaluation(evaluation([1.0, 5.0], theta=[2.0, 4.0]))
    assert two == ["For b: The Theta method forecast these rows better than the network "
                   "(RMSE 4.000 against 5.000). rnn-studio forecast MODEL DATA.csv --method theta "
                   "--steps N --out FORECAST.csv uses its forecast instead."]


def test_each_front_end_offers_the_forecast_that_won_in_its_own_words():
    """The verdict of a fit holds no offer; the window offers step 7's Method box, the
    command line a command, never the other's words. A verdict stored by an earlier
    version (both offers in it) reads the same. Several methods that won are named."""
    from engine.testing.verdict import COMMAND_LINE, WINDOW, selection_verdict

    entry = {"network": 12.3, "best": "ets", "best_rmse": 10.1, "network_wins": False}
    neutral = verdict_sentence(entry, ["ets", "theta"], "one_step", 20)
    stored_before = neutral + (" You can use its forecast instead: Deploy > Forecast > "
                               "Method, or rnn-studio forecast MODEL DATA.csv --method ets "
                               "--steps N --out FORECAST.csv.")
    for sentence in (neutral, stored_before):
        comparison = {"verdict": sentence, "targets": {"y": entry}}
        window = selection_verdict(comparison, WINDOW)
        assert window == neutral + " Deploy > Forecast > Method can use its forecast instead."
        command = selection_verdict(comparison, COMMAND_LINE, "air.npz", "air.csv")
        assert command == neutral + (" rnn-studio forecast air.npz air.csv --method ets "
                                     "--steps N --out FORECAST.csv uses its forecast "
                                     "instead.")
        assert selection_verdict(comparison) == neutral
    won = {"network": 1.0, "best": "ets", "best_rmse": 2.0, "network_wins": True}
    assert selection_verdict({"verdict": "Won.", "targets": {"y": won}}, WINDOW) == "Won."
    entries = {"a": entry, "b": dict(entry, best="theta"), "c": dict(entry)}
    comparison = {"verdict": "Lost twice.", "targets": entries}
    assert selection_verdict(comparison, WINDOW) == (
        "Lost twice. Deploy > Forecast > Method can use the forecast of exponential "
        "smoothing instead. Deploy > Forecast > Method can use the forecast of the Theta "
        "method instead.")


def test_the_command_line_prints_commands_not_the_window_s_menus(monkeypatch, tmp_path):
    """``fit`` names its model and data files in the command that uses the forecast that
    won; ``backtest`` offers a command too; neither names the window's menus."""
    import io

    import engine.testing.backtest
    from engine.cli.commands.fit import _print_verdict
    from engine.cli.main import main
    from engine.testing.backtest import Backtest

    entry = {"network": 12.3, "best": "ets", "best_rmse": 10.1, "network_wins": False}
    out = io.StringIO()
    _print_verdict({"verdict": "ETS won.", "targets": {"y": entry}}, "air.npz", "air.csv",
                   out)
    assert out.getvalue() == ("ETS won. rnn-studio forecast air.npz air.csv --method ets "
                              "--steps N --out FORECAST.csv uses its forecast instead.\n")
    others = {"persistence": 1.0, "seasonal_naive": None, "ets": 3.0, "theta": 5.0,
              "linear": 4.0}
    folds = [dict(_fold(6.0, others), origin_row=50 + 12 * k, origin_time=None, rows=12,
                  epochs=3) for k in range(2)]
    monkeypatch.setattr(engine.testing.backtest, "backtest_file",
                        lambda *args: Backtest(["y"], 12, 100, folds))
    out = io.StringIO()
    assert main(["backtest", str(tmp_path / "p.json"), "d.csv"], out=out,
                err=io.StringIO()) == 0
    assert "(mean RMSE 3.000 against 6.000). rnn-studio forecast MODEL d.csv --method ets " \
           "--steps N --out FORECAST.csv uses its forecast instead." in out.getvalue()
    assert "Deploy >" not in out.getvalue()
    out = io.StringIO()                   # a model file backtested: the offer names it
    assert main(["backtest", str(tmp_path / "air model.npz"), "d.csv"], out=out,
                err=io.StringIO()) == 0
    assert (f"rnn-studio forecast '{tmp_path / 'air model.npz'}' d.csv --method ets --steps N "
            "--out FORECAST.csv uses its forecast instead.") in out.getvalue()


def test_the_verdict_notes_a_gap_in_time_as_step_6_does(tmp_path):
    """Airline passengers without 1955-04 .. 1955-06: ETS and Theta are fitted only on the
    rows after the gap, before the selection part as before the testing part. The verdict
    after the fit (step 4, ``fit``) says so in the words of step 6 and ``evaluate``."""
    import io

    from engine.cli.main import main
    from engine.model.model_file import load_model
    from engine.testing.analysis import analyze_model
    from helpers.examples import example_csv

    frame = pd.read_csv(example_csv("airline_passengers.csv"))
    frame = frame[~frame["month"].isin(["1955-04-01", "1955-05-01", "1955-06-01"])]
    data, model = tmp_path / "airline.csv", tmp_path / "airline.npz"
    frame.to_csv(data, index=False)
    out, err = io.StringIO(), io.StringIO()
    status = main(["fit", str(data), "--target", "passengers", "--lookback", "12",
                   "--hidden", "2", "--epochs", "1", "--test-from", "1960-01-01",
                   "--out", str(model)], out=out, err=err)
    assert status == 0, err.getvalue()
    notes = load_model(model).metadata["comparison"]["notes"]
    assert [note.split(":")[0] for note in notes] == ["ETS", "Theta"]
    assert all("after a gap in time" in note for note in notes)
    for note in notes:
        assert f"Note: {note}" in out.getvalue().splitlines()
    assert set(notes) <= set(analyze_model(load_model(model), frame.reset_index(drop=True))
                             .notes)


def test_the_others_that_beat_the_network_read_apart_from_its_rmse():
    """"so did the Theta method (19.02)" beside a network of 19.02: each RMSE after "so
    did" takes the digits that tell it from the network's, as the best's does; a tie is
    no win and a comparator without an RMSE is left out."""
    from engine.testing.verdict import _also_better

    entry = {"network": 19.0204, "best": "ets", "best_rmse": 17.63,
             "all": {"ets": 17.63, "theta": 19.0196, "linear": None}}
    assert _also_better(entry) == "; so did the Theta method (19.0196)"
    entry["all"]["linear"] = 18.75
    assert _also_better(entry) == ("; so did a linear autoregression (18.75) and the Theta "
                                   "method (19.0196)")
    entry["all"] = {"ets": 17.63, "theta": 19.0204 * (1 - 1e-12)}     # a tie
    assert _also_better(entry) == ""


def test_the_verdict_compares_on_the_same_scored_rows_and_notes_only_its_own_gaps(tmp_path):
    """Three ways the verdict after a fit said what it had not scored, on the airline
    passengers (testing from 1959-01, lookback 6):

    * two empty targets in the selection part: "on its 20 rows", where the network and the
      comparators were scored on 17 (and the project recorded 20);
    * a month missing in the selection part: ETS and Theta forecast the rows before it
      only, and were compared on fewer rows than the network (the winner read from
      unequal rows); now every figure is of the same rows, said as so many of all;
    * a month missing in the testing part: its note stood under the verdict on the
      selection part, which it did not concern."""
    import io

    from engine.cli.main import main
    from engine.model.model_file import load_model
    from helpers.examples import example_csv

    frame = pd.read_csv(example_csv("airline_passengers.csv"))

    def fit(changed, name):
        data, model = tmp_path / f"{name}.csv", tmp_path / f"{name}.npz"
        changed.to_csv(data, index=False)
        out, err = io.StringIO(), io.StringIO()
        status = main(["fit", str(data), "--target", "passengers", "--lookback", "6",
                       "--hidden", "2", "--epochs", "1", "--members", "1", "--test-from",
                       "1959-01-01", "--out", str(model)], out=out, err=err)
        assert status == 0, err.getvalue()
        return load_model(model).metadata, out.getvalue()

    empty = frame.copy()
    empty.loc[[100, 101], "passengers"] = np.nan
    metadata, out = fit(empty, "empty")
    comparison = metadata["comparison"]
    windows = metadata["training"]["selection_windows"]
    assert comparison["rows"] == metadata["scores"]["selection"]["count"] < windows
    assert f"on {comparison['rows']} of its {windows} rows" in out

    metadata, out = fit(frame[frame["month"] != "1957-05-01"], "gap")
    comparison = metadata["comparison"]
    assert comparison["rows"] < metadata["scores"]["selection"]["count"]
    assert f"on {comparison['rows']} of its" in comparison["verdict"]
    assert any("no forecast of row" in note for note in comparison["notes"])

    metadata, out = fit(frame[frame["month"] != "1959-06-01"], "testing_gap")
    assert not any("no forecast" in note for note in metadata["comparison"]["notes"])
    assert "Note: ETS: no forecast" not in out
