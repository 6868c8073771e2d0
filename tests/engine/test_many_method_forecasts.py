"""A model of many series forecast by a classical method instead of its network
(engine/many/method_forecasts.py): each series from its own known values after its last
empty value and its last gap in time, with the seasons the testing scores use; no
intervals; the command line's ``forecast --method``, its refusals, and the offer of the
method that beat the network after the scores."""


import numpy as np
import pandas as pd
import pytest

from engine.many.comparators import theta_forecast
from engine.many.evaluation import best_method
from engine.many.fitting import fit_global
from engine.many.forecasting import (forecast_frame, forecast_headline, forecast_steps,
                                     write_forecast_file)
from engine.many.global_model import GlobalSettings
from engine.many.method_forecasts import FORECAST_METHODS
from engine.many.metrics import naive2
from engine.many.model_file import save_global_model
from engine.many.series_data import from_frame
from helpers.many_series import seasonal
from helpers.command_line import run

STEPS = 7                       # beyond the network's horizon of 3, which inputs limit it to


def _panel():
    """Monthly series with an input ``x``: ``a`` with an empty value at its row 30, ``b``
    with a month left out before its row 25, ``c`` whole, ``d`` without a known value."""
    parts = []
    for name, (n, level, seed) in {"a": (48, 100, 1), "b": (44, 500, 2),
                                   "c": (40, 50, 3)}.items():
        months = pd.date_range("2015-01-01", periods=n + 1, freq="MS")
        months = months.delete(25 if name == "b" else n)
        parts.append(pd.DataFrame({"id": name, "t": months, "y": seasonal(n, level, seed)}))
    parts.append(pd.DataFrame({"id": "d", "t": pd.date_range("2015-01-01", periods=12,
                                                             freq="MS"), "y": np.nan}))
    frame = pd.concat(parts, ignore_index=True)
    frame.loc[30, "y"] = np.nan
    frame["x"] = np.arange(len(frame), dtype=float) % 5
    return frame


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """``(frame, data, model, csv path, model path)``."""
    folder = tmp_path_factory.mktemp("methods")
    frame = _panel()
    data = from_frame(frame, "id", ["y"], inputs=["x"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=6,
                                            hidden_sizes=(4,), max_epochs=2))
    path = folder / "panel.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%d")
    model_path = folder / "global.npz"
    save_global_model(model_path, model)
    return frame, data, model, path, model_path


def _histories(frame):
    """Each series' values a method reads: after its empty value or its gap."""
    y = {name: part["y"].to_numpy() for name, part in frame.groupby("id", sort=False)}
    return {"a": y["a"][31:], "b": y["b"][25:], "c": y["c"]}


def test_each_method_forecasts_each_series_from_its_own_history(fitted):
    frame, data, model, _, _ = fitted
    histories = _histories(frame)
    expected = {
        # monthly series: Naive2 and Theta with M4's season of 12; seasonal naive repeats
        # the model's season of 4
        "naive2": {name: naive2(h, STEPS, 12) for name, h in histories.items()},
        "seasonal_naive": {name: np.resize(h[-4:], STEPS) for name, h in histories.items()},
        "theta": {name: theta_forecast(h, STEPS, 12) for name, h in histories.items()}}
    for method, wanted in expected.items():
        table, notes = forecast_frame(model, data, STEPS, method=method)
        assert list(table.columns) == ["id", "t", "y", "y_lower_90", "y_upper_90"]
        assert len(table) == 4 * STEPS             # every step asked: a method reads no input
        for name, values in wanted.items():
            rows = table[table["id"] == name]
            np.testing.assert_allclose(rows["y"], values, rtol=1e-12)
        assert table[table["id"] == "d"]["y"].isna().all()
        assert table[["y_lower_90", "y_upper_90"]].isna().all().all()
        assert not any("Forecast 3 of the" in note for note in notes)
    c = histories["c"]
    np.testing.assert_allclose(expected["seasonal_naive"]["c"][4:], c[-4:-1])   # by hand
    np.testing.assert_allclose(expected["naive2"]["c"], c[-1])  # no yearly season in it


def test_a_methods_notes_say_who_made_it_without_intervals_and_what_it_could_not(fitted):
    _, data, model, _, _ = fitted
    table, notes = forecast_frame(model, data, STEPS, method="theta")
    assert notes[:1] == [
        "Made by the Theta method, fitted on each series' own known values, not by the "
        "network; it gives no intervals, so the lower and upper bounds are empty."]
    assert ("2 series have an empty value or a gap in time: the method read each from its "
            "values after the last of them.") in notes
    _, network_notes = forecast_frame(model, data, 3)
    unforecast = [note for note in network_notes if "could not be forecast" in note]
    assert unforecast and unforecast[0] in notes        # 'd', as the network says it
    assert forecast_headline(table, model, method="theta") == \
        "Forecast of 7 steps (theta) for 3 series (1 could not be forecast: see the note) " \
        "without intervals"


def test_a_method_falls_back_on_a_short_history_and_says_so(fitted):
    frame, _, model, _, _ = fitted
    short = frame[frame["id"] != "d"].copy()
    short.loc[short["id"] == "b", "y"] = short.loc[short["id"] == "b", "y"].where(
        np.arange((short["id"] == "b").sum()) != 41)         # 2 values after it
    data = from_frame(short, "id", ["y"], inputs=["x"], time_column="t")
    table, notes = forecast_frame(model, data, 3, method="seasonal_naive")
    b = short[short["id"] == "b"]["y"].to_numpy()
    np.testing.assert_allclose(table[table["id"] == "b"]["y"], b[-1])
    assert ("Series b, seasonal naive: 2 values of history, less than a season of 4; "
            "Naive1's forecast was used in its place.") in notes
    _, notes = forecast_frame(model, data, 3, method="theta")
    assert any(note.startswith("Series b, Theta: 2 values of history") and
               note.endswith("Naive2's forecast was used in its place.") for note in notes)


def test_the_network_forecast_is_the_networks_as_before(fitted, tmp_path):
    _, data, model, path, _ = fitted
    table, _ = forecast_frame(model, data, 3, method="network")
    values, lower, _, _ = forecast_steps(model, data.without_unknown_tails(), 3)
    np.testing.assert_allclose(table[table["id"] == "c"]["y"], values[2, :, 0])
    np.testing.assert_allclose(table[table["id"] == "c"]["y_lower_90"], lower[2, :, 0])
    default, named = tmp_path / "default.csv", tmp_path / "network.csv"
    write_forecast_file(model, path, 3, default)
    write_forecast_file(model, path, 3, named, method="network")
    assert default.read_bytes() == named.read_bytes()


def test_a_methods_file_keeps_the_datas_delimiter_and_decimal_mark(fitted, tmp_path):
    frame, _, model, _, _ = fitted
    path = tmp_path / "marks.csv"
    frame.to_csv(path, index=False, sep=";", decimal=",", date_format="%Y-%m-%d")
    out = tmp_path / "forecast.csv"
    table, _ = write_forecast_file(model, path, 2, out, method="naive2")
    lines = out.read_text().splitlines()
    assert lines[0] == "id;t;y;y_lower_90;y_upper_90"
    whole, part = f"{table['y'].iloc[0]:.6f}".split(".")
    assert lines[1].startswith(f"a;2019-01-01;{whole},{part}") and lines[1].endswith(";;")


def test_the_best_method_is_the_comparator_of_lowest_owa_the_network_does_not_beat():
    def summary(network, seasonal_naive, theta):
        return {"network": {"owa": network}, "naive2": {"owa": 1.0},
                "seasonal_naive": {"owa": seasonal_naive}, "theta": {"owa": theta}}

    assert best_method(summary(2.065, 1.0, 1.036)) == "seasonal_naive"   # tie with Naive2
    assert best_method(summary(2.0, 1.2, 1.1)) == "naive2"
    assert best_method(summary(1.1, 1.2, 0.95)) == "theta"
    assert best_method(summary(0.9, 1.2, 1.05)) is None
    assert best_method(summary(float("nan"), 1.2, 1.05)) is None


def test_without_an_owa_the_best_method_is_the_comparator_of_lowest_mase():
    """Every series' testing values all 0 (no method has an OWA): the methods are judged
    by MASE, as the verdict is, and a comparator that beat the network is offered (none
    was, every OWA being None); Naive2's lead quotes its MASE under that name."""
    from engine.many.evaluation import naive2_lead

    def summary(network, naive2, seasonal_naive, theta):
        return {name: {"owa": None, "mase": mase} for name, mase in
                (("network", network), ("naive2", naive2),
                 ("seasonal_naive", seasonal_naive), ("theta", theta))}

    assert best_method(summary(20.13, 19.91, 19.08, 20.0)) == "seasonal_naive"
    assert best_method(summary(1.2, 1.1, 1.3, 1.25)) == "naive2"
    assert best_method(summary(1.0, 1.1, 1.3, 1.25)) is None
    assert naive2_lead(summary(1.2, 1.1, 1.3, 1.25), "naive2") == \
        "But Naive2 (MASE 1.100) does better than the network"
    assert naive2_lead(summary(1.2, 1.1, 1.3, 1.15), "naive2", "mean OWA") == \
        "Naive2 (mean MASE 1.100) does better than the network too"


def test_without_an_owa_for_another_reason_the_verdict_by_mase_does_not_blame_zeros():
    """No OWA because Naive2's forecasts were exact (its sMAPE 0), every method with an
    sMAPE: the verdict compares MASE without saying that the testing values are all 0 (it
    said so of any missing OWA)."""
    from engine.many.evaluation import BY_MASE, beats_sentence

    summary = {name: {"smape": smape, "mase": mase, "owa": None} for name, smape, mase in
               (("network", 5.0, 0.6), ("naive2", 0.0, 0.0), ("seasonal_naive", 7.0, 0.9),
                ("theta", 3.0, 0.3))}
    assert beats_sentence(summary) == (
        "The network's MASE is 0.6000 (compared by MASE, as no method has an OWA on these "
        "rows): it beats seasonal naive (0.9000) but not Theta (0.3000).")
    for scores in summary.values():
        scores["smape"] = None
    assert f"({BY_MASE})" in beats_sentence(summary)


def test_forecast_method_on_the_command_line(fitted, tmp_path, seasonal_csv):
    _, _, _, path, model_path = fitted
    out = tmp_path / "f.csv"
    status, text, err = run("forecast", model_path, path, "--method", "theta", "--steps",
                            "5", "--level", "0.8", "--out", out)
    assert status == 0, err
    lines = text.splitlines()
    assert lines[0] == (f"Forecast of 5 steps (theta) for 3 series (1 could not be forecast: "
                        f"see the note) without intervals, written to {out}")
    assert ("Note: --level 0.8 names the bounds' columns only: the Theta method gives no "
            "intervals.") in lines
    assert pd.read_csv(out).columns[-1] == "y_upper_80"
    status, _, err = run("forecast", model_path, path, "--method", "linear", "--steps", "2",
                         "--out", out)
    assert status == 1 and err.strip().endswith(
        "forecast --method linear: not for a model of many series; choose --method "
        "network, naive2, seasonal_naive or theta.")
    single = tmp_path / "one.npz"
    assert run("fit", seasonal_csv, "--target", "y", "--lookback", "4", "--hidden", "2",
               "--epochs", "2", "--out", single)[0] == 0
    status, _, err = run("forecast", single, seasonal_csv, "--method", "naive2", "--steps",
                         "2", "--out", out)
    assert status == 1 and err.strip().endswith(
        "forecast --method naive2: not for a model of one series; choose --method "
        "network, ets, theta or linear.")


def _walks(path):
    """Eight yearly random walks of 30 values at levels far apart: an untrained network
    does not beat their last values."""
    rng = np.random.default_rng(4)
    frame = pd.concat([pd.DataFrame({"firm": f"f{k}", "year": np.arange(1970, 2000),
                                     "invest": 100 * (k + 1) + np.cumsum(rng.normal(size=30))})
                       for k in range(8)])
    frame.to_csv(path, index=False)
    return path


def test_fit_and_evaluate_name_the_command_of_the_method_that_beat_the_network(tmp_path):
    data, model = _walks(tmp_path / "walks.csv"), tmp_path / "walks.npz"
    status, out, err = run("fit", data, "--series", "firm", "--time", "year", "--target",
                           "invest", "--test-last", "3", "--hidden", "2", "--epochs", "1",
                           "--seed", "0", "--out", model)
    assert status == 0, err
    offer = (f"rnn-studio forecast {model} {data} --method seasonal_naive --steps N --out "
             "FORECAST.csv uses its forecast instead.")
    verdict = [line for line in out.splitlines() if line.startswith("The network's OWA is")]
    # whether the untrained network beats Theta is left to chance: only seasonal naive's
    # win (its OWA 1 on yearly series, Naive2's equal, named first) is asserted
    assert verdict and "not beat seasonal naive (1.000)" in verdict[0].replace("but not",
                                                                          "not beat")
    assert verdict[0].endswith(offer)
    status, out, _ = run("evaluate", model, data)
    assert status == 0 and offer in out
    status, out, err = run("forecast", model, data, "--method", "seasonal_naive", "--steps",
                           "2", "--out", tmp_path / "f.csv")
    assert status == 0, err


def test_fit_of_a_project_names_its_data_file_in_the_command(tmp_path):
    data, project = _walks(tmp_path / "walks.csv"), tmp_path / "walks.json"
    options = ["--hidden", "2", "--epochs", "1", "--seed", "0"]
    assert run("fit", data, "--series", "firm", "--time", "year", "--target", "invest",
               "--test-last", "3", *options, "--project", project,
               "--out", tmp_path / "first.npz")[0] == 0
    model = tmp_path / "again.npz"
    status, out, err = run("fit", "--project", project, *options, "--out", model)
    assert status == 0, err
    assert (f"rnn-studio forecast {model} {data} --method seasonal_naive --steps N --out "
            "FORECAST.csv uses its forecast instead.") in out


def test_naive2_that_beat_the_network_is_named_before_its_command():
    from engine.cli.many_series import method_offer

    class Scores:
        def summary(self):
            return {"network": {"owa": 1.02}, "naive2": {"owa": 1.0},
                    "seasonal_naive": {"owa": 1.1}, "theta": {"owa": 1.05}}

    # the verdict said the network beats seasonal naive and Theta: Naive2 is a "but"
    assert method_offer(Scores(), "m.npz", "my data.csv") == (
        "But Naive2 (OWA 1.000) does better than the network: rnn-studio forecast m.npz "
        "'my data.csv' --method naive2 --steps N --out FORECAST.csv uses its forecast "
        "instead.")
    # the verdict named Theta, which the network does not beat: Naive2 does "too"
    assert method_offer({**Scores().summary(), "network": {"owa": 1.08}}).startswith(
        "Naive2 (OWA 1.000) does better than the network too: rnn-studio forecast MODEL ")
    assert method_offer({**Scores().summary(), "network": {"owa": 0.9}}) == ""


def _fold_of(owas):
    """A made-up backtest fold whose methods have the OWAs ``owas`` (sMAPE and MASE 1)."""
    def fold(context, spec, task):
        return {"origin": spec["origin"], "series_scored": 8, "notes": [],
                "summary": {name: {"label": name, "smape": 1.0, "mase": 1.0, "owa": owa}
                            for name, owa in owas.items()}}
    return fold


def test_backtest_names_the_command_of_the_method_that_beat_the_network(tmp_path,
                                                                         monkeypatch):
    from engine.many import backtest

    data, model = _walks(tmp_path / "walks.csv"), tmp_path / "walks.npz"
    assert run("fit", data, "--series", "firm", "--time", "year", "--target", "invest",
               "--test-last", "3", "--hidden", "2", "--epochs", "1", "--seed", "0",
               "--out", model)[0] == 0
    status, out, err = run("backtest", model, data, "--origins", "2", "--workers", "0")
    assert status == 0, err
    verdict = [line for line in out.splitlines() if line.startswith("Over the origins")]
    # whether the untrained network beats Theta is left to chance, as in the fit's test
    assert verdict and "seasonal naive (1.000)" in verdict[0] and verdict[0].endswith(
        f"rnn-studio forecast {model} {data} --method seasonal_naive --steps N --out "
        "FORECAST.csv uses its forecast instead.")
    # Naive2 of lowest mean OWA, which the verdict does not name
    monkeypatch.setattr(backtest, "run_fold", _fold_of(
        {"network": 1.1, "naive2": 1.0, "seasonal_naive": 1.2, "theta": 1.05}))
    status, out, _ = run("backtest", model, data, "--origins", "2", "--workers", "0")
    assert status == 0 and out.splitlines()[-1].endswith(
        "Naive2 (mean OWA 1.000) does better than the network too: rnn-studio forecast "
        f"{model} {data} --method naive2 --steps N --out FORECAST.csv uses its forecast "
        "instead.")
    # the network beats them all: no command
    monkeypatch.setattr(backtest, "run_fold", _fold_of(
        {"network": 0.9, "naive2": 1.0, "seasonal_naive": 1.2, "theta": 1.05}))
    status, out, _ = run("backtest", model, data, "--origins", "2", "--workers", "0")
    assert status == 0 and out.splitlines()[-1].startswith("Over the origins")
    assert "rnn-studio forecast" not in out


@pytest.mark.parametrize("owas, lead", [
    ({"network": 1.0, "naive2": 1.0, "seasonal_naive": 1.2, "theta": 1.1},
     "But Naive2 (OWA 1.000) does as well as the network"),
    ({"network": 1.05, "naive2": 1.0, "seasonal_naive": float("nan"),
      "theta": float("nan")}, "Naive2 (OWA 1.000) does better than the network")])
def test_naive2_on_a_tie_or_without_a_verdict_before_it(owas, lead):
    from engine.many.evaluation import naive2_lead

    summary = {name: {"owa": owa} for name, owa in owas.items()}
    assert naive2_lead(summary, "naive2") == lead


def test_one_function_names_the_methods_of_one_series_and_of_many():
    """The methods of a model of many series are named by the function that names one
    series' comparators (a copy of it named them), in the same words as before."""
    import engine.many.method_forecasts as method_forecasts
    from engine.testing.verdict import method_words

    assert not hasattr(method_forecasts, "forecast_method_words")
    assert [method_words(m) for m in FORECAST_METHODS] == [
        "the network", "Naive2", "seasonal naive", "the Theta method"]
    assert [method_words(m, capital=True) for m in FORECAST_METHODS] == [
        "The network", "Naive2", "Seasonal naive", "The Theta method"]
    assert [method_words(m) for m in ("ets", "linear", "other")] == [
        "exponential smoothing", "a linear autoregression", "other"]


def test_a_method_forecasts_each_target_from_its_own_values():
    """Two targets, z never recorded in "c" and empty in the last 2 rows of "b": Naive2,
    which reads each target on its own, left those series without a forecast of y too,
    with the network's note that a forecast reads every target. It forecasts y of them
    and names the z it could not forecast."""
    frame = _panel()
    frame = frame[frame["id"] != "d"].copy()
    frame["z"] = frame["y"] / 2
    frame.loc[frame["id"] == "c", "z"] = np.nan
    frame.loc[frame[frame["id"] == "b"].index[-2:], "z"] = np.nan
    data = from_frame(frame, "id", ["y", "z"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=6,
                                            hidden_sizes=(4,), max_epochs=2))
    table, notes = forecast_frame(model, data, 4, method="naive2")
    assert table.groupby("id")[["y", "z"]].count().to_dict() == {
        "y": {"a": 4, "b": 4, "c": 4}, "z": {"a": 4, "b": 0, "c": 0}}
    assert ("2 series are forecast without some of their targets: z holds no value in 1 "
            "series (c); z is empty in the last 2 rows of 1 series (b). Naive2 forecasts "
            "each target from its own values up to its series' last row: fill those cells "
            "in to forecast them, or leave the empty last rows out of the file.") in notes
    assert not any("could not be forecast" in note for note in notes)
    assert forecast_headline(table, model, method="naive2") == \
        "Forecast of 4 steps (naive2) for 3 series without intervals"
