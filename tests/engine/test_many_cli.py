"""Many series on the command line: ``fit --series`` prints the testing table and writes a
global model; ``forecast`` writes one row per series and step; ``evaluate --test-last``
scores the last rows of every series; flags that do not go together give one clear line;
``fit --test-last`` of one series tests its last rows."""

import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many.model_file import load_global_model
from helpers.figures import printed
from helpers.many_series import monthly_csv
from helpers.models import seasonal_frame
from helpers.command_line import run

FAST = ["--hidden", "4", "--epochs", "3"]
LENGTHS = {"A": (40, "2020-01-01"), "B": (36, "2020-03-01"), "C": (44, "2019-11-01")}


def _one_clear_line(status, err):
    assert status != 0
    assert err.count("\n") == 1 and err.startswith("rnn-studio ")
    assert "Traceback" not in err
    return err


def _ends_without_a_step(argv, ending):
    """Run ``argv``: one clear line on stderr that ends with ``ending`` and names no step
    of the window."""
    status, _, err = run(*argv)
    line = _one_clear_line(status, err)
    assert line.rstrip().endswith(ending), (argv, err)
    assert "step" not in line, line


def _long_csv(path):
    """Three monthly series of different lengths and start months, level 100, 200, 300,
    with a yearly season; their months repeat from series to series."""
    return monthly_csv(path, LENGTHS)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A global model fitted with a time column and a testing part of 6 rows:
    (data path, model path, stdout)."""
    folder = tmp_path_factory.mktemp("many")
    data = _long_csv(folder / "long.csv")
    model = folder / "global.npz"
    status, out, err = run("fit", data, "--series", "id", "--target", "y", "--time", "month",
                           "--test-last", "6", *FAST, "--out", model)
    assert status == 0, err
    return data, model, out


def test_fit_prints_the_testing_table_and_writes_the_model(fitted):
    data, model, out = fitted
    assert "3 series of 36 to 44 rows (median 40), 120 rows in all" in out
    assert "Season: 12 rows, the calendar's" in out
    assert "Testing: the last 6 steps of 3 series" in out
    for label in ("global network", "Naive2", "seasonal naive", "Theta"):
        assert [line for line in out.splitlines() if line.startswith(f"  {label} ")], label
    assert f"Model written to {model}" in out
    loaded = load_global_model(model)
    assert loaded.ids == ["A", "B", "C"] and loaded.horizon == 6
    assert loaded.settings["time_column"] == "month"


def test_forecast_continues_each_series_own_time(fitted, tmp_path):
    data, model, _ = fitted
    path = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "4", "--out", path)
    assert status == 0, err
    # three series give too few selection windows for a 90% interval: the first line says
    # there is none, and the one note why
    assert "Forecast of 4 steps for 3 series without intervals (the 90% interval is " \
           "unknown), written to" in out
    assert "with 90% intervals" not in out
    early = ("Note: 2 series end more than one time step before the latest series, whose "
             "forecast starts at 2023-07-01: A (from 2023-05-01) and B (from 2023-03-01).")
    notes = [line for line in out.splitlines() if line.startswith("Note:")]
    assert len(notes) == 2 and notes[0].startswith(early)
    assert notes[1].startswith("Note: No 90% interval:")
    frame = pd.read_csv(path)
    assert list(frame.columns) == ["id", "month", "y", "y_lower_90", "y_upper_90"]
    assert len(frame) == 3 * 4
    assert frame["id"].tolist() == ["A"] * 4 + ["B"] * 4 + ["C"] * 4
    # A: 40 months from 2020-01 ends 2023-04; B: 36 from 2020-03 ends 2023-02;
    # C: 44 from 2019-11 ends 2023-06
    firsts = {"A": "2023-05-01", "B": "2023-03-01", "C": "2023-07-01"}
    for name, first in firsts.items():
        months = pd.to_datetime(frame.loc[frame["id"] == name, "month"])
        assert months.tolist() == list(pd.date_range(first, periods=4, freq="MS")), name
    assert np.isfinite(frame["y"]).all()
    assert frame[["y_lower_90", "y_upper_90"]].isna().all().all()
    # each series' forecast lies near its own level (100, 200, 300 plus the trend)
    means = frame.groupby("id", sort=False)["y"].mean()
    assert means.rank().tolist() == [1.0, 2.0, 3.0]


def test_forecast_beyond_the_horizon_goes_on_in_blocks_with_a_note(fitted, tmp_path):
    data, model, _ = fitted
    path = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "9", "--level", "0.8",
                           "--out", path)
    assert status == 0, err
    assert "Note: Steps beyond 6 were forecast from the model's own forecasts" in out
    frame = pd.read_csv(path)
    assert len(frame) == 3 * 9
    assert np.isfinite(frame["y"]).all()
    last = pd.to_datetime(frame.loc[frame["id"] == "C", "month"]).iloc[-1]
    assert last == pd.Timestamp("2024-03-01")                 # 2023-06 + 9 months


def test_forecast_intervals_hold_the_forecast(tmp_path):
    """24 series give enough selection windows for a 90% interval (19): the first line
    says the forecast has them, and they hold it."""
    data = monthly_csv(tmp_path / "long.csv", {f"S{k}": (40 + k % 5, "2020-01-01")
                                               for k in range(24)})
    model = tmp_path / "global.npz"
    status, _, err = run("fit", data, "--series", "id", "--target", "y", "--test-last", "6",
                         "--members", "1", *FAST, "--out", model)
    assert status == 0, err
    path = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "6", "--out", path)
    assert status == 0, err
    assert "for 24 series with 90% intervals, written to" in out
    notes = [line for line in out.splitlines() if line.startswith("Note:")]
    assert len(notes) == 1 and notes[0].startswith(     # of 5 lengths, from one month
        "Note: 15 series end more than one time step before the latest series")
    frame = pd.read_csv(path)
    assert (frame["y_lower_90"] <= frame["y"]).all() and (frame["y"] <= frame["y_upper_90"]).all()


def test_forecast_without_a_time_column_numbers_the_steps(tmp_path):
    data = _long_csv(tmp_path / "long.csv")
    pd.read_csv(data).drop(columns="month").to_csv(data, index=False)
    model = tmp_path / "global.npz"
    status, out, err = run("fit", data, "--series", "id", "--target", "y", "--season", "12",
                           "--horizon", "4", "--test-last", "0", *FAST, "--out", model)
    assert status == 0, err
    assert "Testing" not in out and "Season" not in out        # none asked, none chosen
    assert "Time column: none found" in out
    path = tmp_path / "forecast.csv"
    status, out, err = run("forecast", model, data, "--steps", "3", "--out", path)
    assert status == 0, err
    frame = pd.read_csv(path)
    assert list(frame.columns) == ["id", "step", "y", "y_lower_90", "y_upper_90"]
    assert frame["id"].tolist() == ["A"] * 3 + ["B"] * 3 + ["C"] * 3
    assert frame["step"].tolist() == [1, 2, 3] * 3


def test_fit_tests_by_default_the_rows_the_data_page_suggests(tmp_path):
    """Without --test-last, fit --series keeps the testing part the data page suggests for
    the same file (the steps ahead, the season read on the rows before them), says so, and
    evaluate scores the model; --horizon alone sets both, --test-last 0 keeps none."""
    from engine.many.project_fit import suggested_choices
    from engine.many.series_data import load_series

    data = _long_csv(tmp_path / "long.csv")
    page = suggested_choices(load_series(data, "id", ["y"], time_column="month"))
    model = tmp_path / "global.npz"
    status, out, err = run("fit", data, "--series", "id", "--target", "y", *FAST,
                           "--out", model)
    assert status == 0, err
    rows = page["test_last"]
    assert rows == page["horizon"] == page["period"] == 12
    assert (f"Testing part: the last {rows} rows of every series, the steps ahead "
            "(--test-last N to choose another, --test-last 0 for none)") in out
    assert f"Testing: the last {rows} steps of 3 series" in out
    fitted = load_global_model(model)
    assert fitted.settings["test_last"] == rows and fitted.horizon == page["horizon"]
    assert fitted.settings["season"] == page["period"]
    status, text, err = run("evaluate", model, data)
    assert status == 0 and f"the last {rows} steps" in text, err
    status, out, err = run("fit", data, "--series", "id", "--target", "y", "--horizon", "3",
                           *FAST, "--out", model)
    assert status == 0, err
    assert "Testing part: the last 3 rows of every series" in out
    assert load_global_model(model).settings["test_last"] == 3


def test_the_time_column_is_detected_and_orders_the_rows_of_each_series(fitted, tmp_path):
    """Without --time, a column of dates is the time column: rows out of order in the file
    are put in time order, as --time would."""
    data, model, _ = fitted
    shuffled = tmp_path / "shuffled.csv"
    pd.read_csv(data).sample(frac=1, random_state=1).to_csv(shuffled, index=False)
    detected = tmp_path / "detected.npz"
    status, out, err = run("fit", shuffled, "--series", "id", "--target", "y",
                           "--test-last", "6", *FAST, "--out", detected)
    assert status == 0, err
    assert "Time column: month (detected; --time COL to choose another)" in out
    assert load_global_model(detected).settings["time_column"] == "month"
    forecasts = []
    for path, source in ((model, data), (detected, shuffled)):
        target = tmp_path / f"{path.stem}.csv"
        assert run("forecast", path, source, "--steps", "2", "--out", target)[0] == 0
        forecasts.append(pd.read_csv(target).sort_values(["id", "month"]))
    assert forecasts[1][["id", "month"]].to_numpy().tolist() == \
        forecasts[0][["id", "month"]].to_numpy().tolist()


def test_evaluate_json_gives_summary_network_and_owa(fitted):
    data, model, out = fitted
    status, text, err = run("evaluate", model, data, "--test-last", "6", "--json")
    assert status == 0, err
    report = json.loads(text)
    assert report["steps"] == 6 and report["season"] == 12
    assert report["series_scored"] == 3
    summary = report["summary"]
    assert set(summary) == {"network", "naive2", "seasonal_naive", "theta"}
    assert summary["naive2"]["owa"] == pytest.approx(1.0)
    network = summary["network"]
    assert network["label"] == "global network"
    assert all(np.isfinite(network[k]) and network[k] > 0 for k in ("smape", "mase", "owa"))
    # the same scores as fit printed for its testing part
    row = next(line for line in out.splitlines() if line.startswith("  global network"))
    assert row.split()[2] in printed(network["smape"])
    assert [s["series"] for s in report["series"]] == ["A", "B", "C"]


def test_a_series_tested_on_zeros_is_left_out_of_every_method_s_smape_and_named(fitted,
                                                                             tmp_path):
    """Series B's testing values all 0: every method's mean sMAPE is that of A and C alone
    (as scored without B), the network's MASE still counts B, and a note names it."""
    data, model, _ = fitted
    frame = pd.read_csv(data)
    testing = frame.groupby("id").cumcount(ascending=False) < 6
    frame.loc[(frame["id"] == "B") & testing, "y"] = 0.0
    zeros, without = tmp_path / "zeros.csv", tmp_path / "without_b.csv"
    frame.to_csv(zeros, index=False)
    frame[frame["id"] != "B"].to_csv(without, index=False)
    reports = []
    for path in (zeros, without):
        status, text, err = run("evaluate", model, path, "--test-last", "6", "--json")
        assert status == 0, err
        reports.append(json.loads(text))
    scored, alone = reports
    for method, row in scored["summary"].items():
        assert row["smape"] == pytest.approx(alone["summary"][method]["smape"], rel=1e-12)
    series = {row["series"]: row for row in scored["series"]}
    assert series["B"]["smape"] is None and series["B"]["mase"] > 0
    assert scored["summary"]["network"]["mase"] == pytest.approx(
        np.mean([row["mase"] for row in series.values()]), rel=1e-12)
    assert ("sMAPE left out for 'B': its testing values are all 0 (where sMAPE is 200% at "
            "every step not forecast as exactly 0), so every method's mean sMAPE, and the "
            "sMAPE half of its OWA, are over the other series; MASE counts it.") \
        in scored["notes"]
    status, text, _ = run("evaluate", model, zeros, "--test-last", "6")
    assert "Note: sMAPE left out for 'B'" in text
    assert "B" not in text.split("worst series by sMAPE:")[1].splitlines()[0]
    frame.loc[testing, "y"] = 0.0                   # every series: no sMAPE, no OWA at all
    frame.to_csv(zeros, index=False)
    status, text, err = run("evaluate", model, zeros, "--test-last", "6")
    assert status == 0, err
    row = next(line for line in text.splitlines() if line.strip().startswith("Naive2"))
    assert row.split()[1] == "-" and row.split()[3] == "-" and float(row.split()[2]) > 0
    assert "nan" not in text and "sMAPE per series" not in text
    assert "so no method has a mean sMAPE or an OWA" in text


def _mase_verdict(text):
    """Check the verdict line of ``text`` (evaluate's or fit's) on testing values all 0
    against the table's MASE column, and its offer of the method of lowest MASE that beat
    the network (its name, the command's)."""
    mase = {}
    for label, name in (("global network", "network"), ("Naive2", "naive2"),
                        ("seasonal naive", "seasonal_naive"), ("Theta", "theta")):
        row = next(line for line in text.splitlines() if line.startswith(f"  {label} "))
        mase[name] = row.split()[-2]
    line = next(line for line in text.splitlines() if line.startswith("The network's "))
    assert line.startswith(f"The network's MASE is {mase['network']} (compared by MASE: "
                           "every series' testing values are all 0, so no method has a "
                           "mean sMAPE or an OWA): it ")
    assert f"seasonal naive ({mase['seasonal_naive']})" in line
    assert f"Theta ({mase['theta']})" in line
    figures = {name: float(figure) for name, figure in mase.items()}
    best = min((name for name in figures if name != "network"), key=figures.get)
    assert figures[best] < figures["network"]          # these data: a method beat it
    assert line.endswith(f" --method {best} --steps N --out FORECAST.csv uses its forecast "
                         "instead.")
    assert (f"Naive2 (MASE {mase['naive2']}) does better than the network" in line) == \
        (best == "naive2")


def test_series_all_tested_on_zeros_are_judged_by_mase(fitted, tmp_path):
    """Every series' testing values all 0: no method has an sMAPE or an OWA, and evaluate
    and fit follow the scores with a verdict by MASE that says so (they printed none), and
    the command that uses the forecast of the method that beat the network (they offered
    none)."""
    data, model, _ = fitted
    frame = pd.read_csv(data)
    frame.loc[frame.groupby("id").cumcount(ascending=False) < 6, "y"] = 0.0
    zeros = tmp_path / "zeros.csv"
    frame.to_csv(zeros, index=False)
    status, text, err = run("evaluate", model, zeros, "--test-last", "6")
    assert status == 0, err
    _mase_verdict(text)
    status, text, err = run("fit", zeros, "--series", "id", "--target", "y", "--time",
                            "month", "--test-last", "6", *FAST, "--out",
                            tmp_path / "zeros.npz")
    assert status == 0, err
    _mase_verdict(text)
    assert "so no method has a mean sMAPE or an OWA" in text


def test_evaluate_text_without_test_last_scores_the_horizon(fitted):
    data, model, _ = fitted
    status, text, err = run("evaluate", model, data)
    assert status == 0, err
    # a first line naming the model, the data and the rows scored, as for one series
    assert text.splitlines()[0] == ("global.npz on long.csv: forecasts of 6 steps, 18 rows "
                                    "(the last 6 steps of 3 series)")
    assert "Testing: the last 6 steps of 3 series" in text
    # in plain words whether it beats seasonal naive and Theta
    assert "The network's OWA is " in text and "Theta (" in text


def test_a_model_that_kept_its_linear_start_is_named_a_linear_autoregression(fitted,
                                                                            tmp_path):
    """A training that never improved on its least-squares start (``head.weight`` all
    zero: the recurrent part unused) left a linear autoregression, which step 7 names so;
    evaluate's table and verdict called it "global network" and "The network"."""
    from engine.many.model_file import save_global_model

    data, path, _ = fitted
    model = load_global_model(path)
    model.network.parameters_.views["head.weight"][:] = 0
    kept = tmp_path / "kept.npz"
    save_global_model(kept, model, model.metadata)
    status, text, err = run("evaluate", kept, data)
    assert status == 0, err
    assert "  linear autoregression " in text and "global network" not in text
    assert "The linear autoregression's OWA is " in text and "network" not in text
    status, text, err = run("evaluate", kept, data, "--json")
    assert json.loads(text)["summary"]["network"]["label"] == "linear autoregression"


def test_testing_rows_beyond_the_models_are_said_to_include_rows_it_learned_from(fitted):
    """The model kept 6 testing rows: scored on the last 9, 3 of the 6 rows scored (its
    forecast reaches 6) were its training or selection rows; on its own 6, none were."""
    from engine.many.evaluation import evaluate_global
    from engine.many.model_file import load_global_model
    from engine.many.series_data import load_series

    data, model_path, _ = fitted
    model = load_global_model(model_path)
    series = load_series(data, "id", ["y"], time_column="month")
    wider = evaluate_global(model, series, 9, methods=("naive2",))
    assert (wider.steps, wider.seen) == (6, 3)
    assert any("include 3 it was trained or selected on" in n for n in wider.notes)
    own = evaluate_global(model, series, 6, methods=("naive2",))
    assert own.seen == 0 and not any("trained or selected on" in n for n in own.notes)
    status, text, err = run("evaluate", model_path, data, "--test-last", "9")
    assert status == 0, err
    assert "include 3 it was trained or selected on" in text


def test_every_target_is_scored_by_fit_and_evaluate(tmp_path):
    from engine.many.evaluation import evaluate_global
    from engine.many.series_data import load_series

    data = _long_csv(tmp_path / "long.csv")
    frame = pd.read_csv(data)
    frame["z"] = np.round(1000 - 2 * frame["y"], 3)   # a second target, in its own units
    frame.to_csv(data, index=False)
    model = tmp_path / "global.npz"
    status, out, err = run("fit", data, "--series", "id", "--target", "y", "--target", "z",
                           "--time", "month", "--test-last", "6", *FAST, "--out", model)
    assert status == 0, err
    assert "Target y:" in out and "Target z:" in out
    assert out.count("Testing: the last 6 steps of 3 series") == 2
    status, text, err = run("evaluate", model, data, "--json")
    assert status == 0, err
    report = json.loads(text)["targets"]
    assert list(report) == ["y", "z"]
    series = load_series(data, "id", ["y", "z"], time_column="month")
    for target, name in enumerate(("y", "z")):
        engine = evaluate_global(load_global_model(model), series, 6, target=target)
        assert report[name]["target"] == name
        for method, row in engine.summary().items():
            assert report[name]["summary"][method]["smape"] == pytest.approx(row["smape"])
    assert report["y"]["summary"]["network"]["smape"] != \
        report["z"]["summary"]["network"]["smape"]


@pytest.fixture(scope="module")
def single_model(tmp_path_factory):
    """A model of one series (96 monthly rows) whose last 12 rows are tested: (data path,
    model path, stdout)."""
    folder = tmp_path_factory.mktemp("single")
    data = folder / "series.csv"
    seasonal_frame().to_csv(data, index=False)
    model = folder / "single.npz"
    status, out, err = run("fit", data, "--target", "y", "--test-last", "12", "--epochs",
                           "2", "--out", model)
    assert status == 0, err
    return data, model, out


def test_fit_of_one_series_with_test_last_tests_the_last_rows(single_model):
    _, _, out = single_model
    # 96 rows, the last 12 tested: from row 84
    assert "(testing from row 84)" in out


def test_evaluate_of_one_series_with_test_last_scores_the_last_rows(single_model):
    """``evaluate --test-last N`` of a model of one series scores the file's last N rows,
    as ``fit --test-last N`` tests them: the last 12 are the testing part fit scored, the
    last 6 the rows from row 90 on."""
    data, model, _ = single_model
    status, text, err = run("evaluate", model, data, "--test-last", "12")
    assert status == 0, err
    assert text.splitlines()[0] == "single.npz on series.csv: one step ahead, 12 rows from " \
        "row 84 (2019-01-01)"
    assert text == run("evaluate", model, data)[1]
    last = json.loads(run("evaluate", model, data, "--test-last", "6", "--json")[1])
    assert last == json.loads(run("evaluate", model, data, "--from", "90", "--json")[1])
    assert last["from_row"] == 90 and last["count"] == 6


def test_fit_of_one_series_with_test_last_0_keeps_no_testing_part(single_model, tmp_path):
    data, _, _ = single_model
    status, out, err = run("fit", data, "--target", "y", "--test-last", "0", "--epochs",
                           "2", "--out", tmp_path / "all.npz")
    assert status == 0, err
    windows = next(line for line in out.splitlines() if line.startswith("Windows:"))
    assert " 0 testing" in windows, windows
    status, _, err = run("fit", data, "--target", "y", "--test-last", "0", "--split",
                         "60,20,20", "--out", tmp_path / "both.npz")
    assert status == 1 and "--test-last 0 keeps no testing part, and --split" in err
    status, out, err = run("fit", data, "--target", "y", "--test-last", "0", "--split",
                           "70,30,0", "--epochs", "2", "--out", tmp_path / "none.npz")
    assert status == 0, err
    assert " 0 testing" in next(line for line in out.splitlines()
                                if line.startswith("Windows:"))


def test_flags_that_do_not_go_together_give_one_line(fitted, single_model, tmp_path):
    data, model, _ = fitted
    seasonal_csv, single, _ = single_model
    out = tmp_path / "x.npz"
    many = ("fit", data, "--series", "id", "--target", "y")
    cases = [
        (many + ("--test-from", "5"), "--test-from cannot be used with --series"),
        (many + ("--split", "60,20,20"), "--split cannot be used with --series"),
        (many + ("--forecast-steps", "8"), "--forecast-steps goes with one series"),
        (("fit", seasonal_csv, "--target", "y", "--forecast-steps", "0"),
         "--forecast-steps must be at least 1"),
        (("fit", seasonal_csv, "--target", "y", "--season", "12"), "--season goes"),
        (("fit", seasonal_csv, "--target", "y", "--workers", "2"), "--workers goes"),
        (("fit", seasonal_csv, "--target", "y", "--test-last", "5", "--test-from", "3"),
         "--test-from or --test-last, not both"),
        (many[:4] + ("--target", "nope"), "Unknown column(s) 'nope'"),
        (many[:4], "Choose the column to forecast with --target COL; the file's numeric "
         "column: 'y'."),                               # not the series column
        (many[:4] + ("--time", "month"), "the file's numeric column: 'y'."),
    ]
    years = tmp_path / "years.csv"                  # a time of numbers that fit finds
    quarters = tmp_path / "quarters.csv"            # or builds from a year and a quarter
    pd.DataFrame({"shop": np.repeat(["A", "B"], 16), "year": np.tile(range(2000, 2016), 2),
                  "sales": np.arange(32.0)}).to_csv(years, index=False)
    pd.DataFrame({"shop": np.repeat(["A", "B"], 16),
                  "year": np.tile(np.repeat(range(2000, 2004), 4), 2),
                  "quarter": np.tile(range(1, 5), 8), "sales": np.arange(32.0)}).to_csv(
        quarters, index=False)
    cases += [(("fit", path, "--series", "shop"), "the file's numeric column: 'sales'.")
              for path in (years, quarters)]
    cases += [(("fit", years, "--series", "shp") + target, "Unknown column")   # not a crash
              for target in ((), ("--target", "sales"))]
    for argv, words in cases:
        status, _, err = run(*argv, "--epochs", "1", "--out", out)
        assert words in _one_clear_line(status, err), (argv, err)
        if words.endswith(" goes"):
            assert "with --series COL (many series in one file)" in err
    assert not out.exists()
    cases = [
        (("evaluate", single, seasonal_csv, "--test-last", "6", "--from", "3"),
         "Give --from or --test-last, not both."),
        (("evaluate", single, seasonal_csv, "--test-last", "96"),
         "--test-last must be between 1 and 95 (the file has 96 rows); got 96. Or give the "
         "first row with --from ROW|DATE."),
        (("evaluate", model, data, "--from", "3"), "evaluate --from: not for a model of many series"),
    ]
    for argv, words in cases:
        status, _, err = run(*argv)
        assert words in _one_clear_line(status, err), (argv, err)


def test_predict_writes_every_row_with_the_predictions_from_the_windows_before_it(
        fitted, tmp_path):
    data, model, _ = fitted
    out = tmp_path / "predictions.csv"
    status, text, err = run("predict", model, data, "--out", out)
    assert status == 0, err
    frame = pd.read_csv(out)
    horizon = load_global_model(model).horizon
    assert len(frame) == sum(rows for rows, _ in LENGTHS.values())
    assert list(frame.columns[:3]) == ["id", "month", "y"]
    assert list(frame.columns[3:]) == [f"y_predicted_{h}" for h in range(1, horizon + 1)]
    assert "3 series" in text
    # the predictions of a series' last rows, h steps ahead from the window that ends h rows
    # before each, are the forecast made from the row before its last `horizon` rows
    from engine.many.series_data import load_series
    global_model = load_global_model(model)
    series = load_series(data, "id", ["y"], time_column="month")
    forecast = global_model.forecast(series, ends=series.lengths - horizon)[0][:, :, 0]
    for i, name in enumerate(series.ids):
        rows = frame[frame["id"] == name].reset_index(drop=True)
        start = len(rows) - horizon
        got = [rows.loc[start + h - 1, f"y_predicted_{h}"] for h in range(1, horizon + 1)]
        np.testing.assert_allclose(got, forecast[i], rtol=1e-5)
        # a row with no complete window before it has no prediction
        assert rows["y_predicted_1"].isna().iloc[:global_model.lookback].all()


def test_fit_prints_the_windows_it_chose_between_and_keeps_a_fold_and_block_given(
        tmp_path):
    data = _long_csv(tmp_path / "long.csv")
    model = tmp_path / "chosen.npz"
    status, out, err = run("fit", data, "--series", "id", "--target", "y", "--time", "month",
                           "--test-last", "6", *FAST, "--out", model)
    assert status == 0, err
    assert "Window chosen at the latest origin" in out and "<- chosen" in out
    assert ("by the OWA against Naive2 of the forecasts of all 6 steps ahead in every "
            "series:") in out                       # all the steps, not the first one only
    trials = load_global_model(model).settings["window_trials"]
    assert len(trials) >= 2 and out.count("lookback ") >= len(trials)
    status, out, err = run("fit", data, "--series", "id", "--target", "y", "--time", "month",
                           "--test-last", "6", "--lookback", "12", "--fold", "3",
                           "--block", "2", *FAST, "--out", model)
    assert status == 0, err
    assert "Window chosen" not in out
    fitted = load_global_model(model)
    assert (fitted.lookback, fitted.fold, fitted.horizon, fitted.steps) == (12, 3, 2, 6)
    assert "6 steps ahead, 2 at once" in out
    assert "Testing: the last 6 steps of 3 series" in out       # all 6, in blocks of 2
    for flag in ("--fold", "--block"):
        status, _, err = run("fit", data, "--target", "y", flag, "3", "--out", model)
        assert status != 0 and f"{flag} goes with --series" in err
    status, _, err = run("fit", data, "--series", "id", "--target", "y", "--horizon", "4",
                         "--block", "5", "--out", model)
    assert status != 0 and "between 1 and the horizon (4)" in err


@pytest.mark.parametrize("flags, words", [
    (["--fold", "0"], "The rows per step (fold) must be at least 1; got 0."),
    (["--test-last", "-3"], "--test-last must be 0 or more; got -3."),
    (["--lookback", "1"], "The lookback must be at least 2 rows; got 1.")])
def test_settings_out_of_range_are_named_before_any_training(fitted, tmp_path, flags,
                                                              words):
    data, _, _ = fitted
    status, out, err = run("fit", data, "--series", "id", "--target", "y", *flags, *FAST,
                           "--out", tmp_path / "m.npz")
    assert words in _one_clear_line(status, err)
    assert not (tmp_path / "m.npz").exists()


def test_evaluate_and_backtest_name_what_is_out_of_range(fitted):
    data, model, _ = fitted
    status, _, err = run("evaluate", model, data, "--test-last", "0")
    assert ("--test-last must be 1 or more (the rows scored at the end of every series); "
            "got 0. The model's testing part is 6 rows.") in _one_clear_line(status, err)
    status, _, err = run("backtest", model, data, "--origins", "20")
    words = _one_clear_line(status, err)
    assert "20 origins leave even the longest series too short" in words
    assert "give --origins" in words and "or fewer" in words


def test_a_project_fit_names_the_flags_it_refuses(seasonal_csv, tmp_path):
    import io

    from engine.cli.main import main as cli

    project = tmp_path / "p.json"
    assert cli(["fit", str(seasonal_csv), "--target", "y", "--epochs", "1", "--out",
                str(tmp_path / "m.npz"), "--project", str(project)], out=io.StringIO(),
               err=io.StringIO()) == 0
    for flag in ("--forecast-steps", "--epochs"):
        err = io.StringIO()
        assert cli(["fit", "--project", str(project), flag, "0", "--out",
                    str(tmp_path / "n.npz")], out=io.StringIO(), err=err) != 0
        assert f"{flag} must be at least 1; got 0." in err.getvalue()


def test_a_forecast_through_the_python_api_never_replaces_its_data_file(fitted, tmp_path):
    from engine.errors import EngineError
    from engine.many.forecasting import write_forecast_file

    data, model, _ = fitted
    before = data.read_bytes()
    with pytest.raises(EngineError, match="is the data file being read"):
        write_forecast_file(model, data, 2, data)
    assert data.read_bytes() == before


def test_fit_names_a_typo_among_decimal_commas_by_itself(tmp_path):
    """A file of decimal commas with one typo in its target: fit --series names the typo
    and its data row (it named the column's first number, '100,3', as no number)."""
    frame = pd.read_csv(_long_csv(tmp_path / "points.csv"))
    frame["y"] = frame["y"].map(lambda v: f"{v:.3f}".replace(".", ","))
    frame.loc[7, "y"] = "abc"
    data = tmp_path / "commas.csv"
    frame.to_csv(data, sep=";", index=False)
    model = tmp_path / "global.npz"
    status, _, err = run("fit", data, "--series", "id", "--target", "y", "--time", "month",
                         *FAST, "--out", model)
    assert "Column 'y' holds 'abc' in data row 7, which is no number (1 such cell" in \
        _one_clear_line(status, err)
    assert not model.exists()


def test_fit_messages_name_the_command_lines_options_where_the_page_names_roles(
        fitted, single_model, tmp_path):
    """A column ``fit`` cannot read, or a network too large, is named with the option to
    change (``--static``, ``--target``, ``--input``, ``--hidden``), not with the data page's
    roles or the project's architecture section; the page keeps its words."""
    from engine.many.series_data import from_frame

    data, _, _ = fitted
    frame = pd.read_csv(data)
    frame["region"] = frame["id"].map({"A": "north", "B": "south", "C": "north"})
    frame.to_csv(tmp_path / "regions.csv", index=False)
    many = ("fit", tmp_path / "regions.csv", "--series", "id")
    cases = [
        (many + ("--target", "y", "--input", "region"),
         "leave it out of --input (a column of one value per series, such as a region, "
         "goes with --static COL)"),
        (many + ("--target", "region"), "or forecast another column (--target COL)"),
        (many + ("--target", "y", "--static", "month"),
         "changes within series 'A'; a static column has one value per series. Leave it "
         "out of --static (a column of numbers that change in time goes with --input COL)"),
        (("fit", single_model[0], "--target", "y", "--hidden", "10000", "--seed", "2"),
         "error: --hidden 10000: A network of GRU layers with hidden_sizes [10000]"),
    ]
    for argv, words in cases:
        status, _, err = run(*argv, "--epochs", "1", "--out", tmp_path / "x.npz")
        assert words in _one_clear_line(status, err), (argv, err)
        assert "role" not in err and "The project" not in err and "Correct it" not in err
    assert not (tmp_path / "x.npz").exists()
    with pytest.raises(EngineError, match="give the column another role"):
        from_frame(frame, "id", ["y"], ["region"])
    with pytest.raises(EngineError, match=r"Give it another role \(unused"):
        from_frame(frame, "id", ["y"], statics=["month"])


def test_a_cell_a_model_cannot_read_is_refused_without_roles_or_options(fitted, tmp_path):
    """``forecast``, ``evaluate``, ``predict`` and ``backtest`` of a model of many series
    read the model's columns: a cell of text is to be corrected or emptied (no role or
    option changes a model's columns), as for a model of one series."""
    from types import SimpleNamespace

    from engine.many.series_data import series_for_model

    data, model, _ = fitted
    frame = pd.read_csv(data)
    frame["y"] = frame["y"].astype(object)
    frame.loc[5, "y"] = "abc"
    frame.to_csv(tmp_path / "typo.csv", index=False)
    out = tmp_path / "out.csv"
    for argv in (("forecast", model, tmp_path / "typo.csv", "--steps", "3", "--out", out),
                 ("evaluate", model, tmp_path / "typo.csv"),
                 ("predict", model, tmp_path / "typo.csv", "--out", out),
                 ("backtest", model, tmp_path / "typo.csv")):
        status, _, err = run(*argv)
        assert _one_clear_line(status, err).rstrip().endswith(
            "Column 'y' holds 'abc' in data row 5, which is no number (1 such cell); correct "
            "it, or empty the cell to leave the value missing."), (argv, err)
    assert not out.exists()
    stored = SimpleNamespace(settings={"series_column": "id", "time_column": "month",
                                       "static_columns": ["month"]},
                             target_names=["y"], input_names=[])
    with pytest.raises(EngineError, match=r"a static column has one value per series\. The "
                                          r"model reads one value per series from it: "
                                          r"correct the file\.$"):
        series_for_model(stored, data, statics=True)


def test_report_says_how_the_command_line_trains_a_model(fitted, single_model, tmp_path):
    """``report`` of a project without a model, or with a ``--model`` of the other kind,
    names the command that trains one (or the ``--model`` given), not the training step;
    the pages keep "step 4"."""
    import json

    from engine.project.document import load_project
    from engine.testing.analysis import trained_model_file

    _, many_model, _ = fitted
    single_data, single, _ = single_model
    out = tmp_path / "r.html"
    for project_path in (many_model.with_suffix(".json"), single.with_suffix(".json")):
        document = json.loads(project_path.read_text())
        document["model"] = {"path": str(tmp_path / "none.npz")}
        document["data"]["path"] = str(project_path.parent / document["data"]["path"])
        untrained = tmp_path / f"untrained_{project_path.name}"
        untrained.write_text(json.dumps(document))
        status, _, err = run("report", untrained, "--out", out)
        assert _one_clear_line(status, err).rstrip().endswith(
            f"The project has no trained model yet; train the network first: rnn-studio fit "
            f"--project {untrained} --out MODEL."), err
        with pytest.raises(EngineError, match=r"yet; train the network first \(step 4\)\.$"):
            trained_model_file(load_project(untrained))
    for project_path, other in ((many_model.with_suffix(".json"), single),
                                (single.with_suffix(".json"), many_model)):
        status, _, err = run("report", project_path, "--model", other, "--out", out)
        assert _one_clear_line(status, err).rstrip().endswith(
            "Give --model a model of this project's data, or leave --model out."), err
    assert not out.exists()


def test_report_names_the_project_files_testing_rows_and_the_pages_step_2(fitted, tmp_path):
    """``report`` of a project of many series that keeps no testing rows, or more than any
    series has, names the project file's ``test_last`` (and the command that trains
    again), not step 2; step 6 keeps the pages' words, not ``--test-last``."""
    from engine.many.project_testing import test_many_series
    from engine.project.document import load_project

    data, model, _ = fitted
    out = tmp_path / "r.html"
    document = json.loads(model.with_suffix(".json").read_text())
    document["data"]["path"], document["model"]["path"] = str(data), str(model)
    for test_last, ending in (
            (0, "Set \"test_last\" (the testing rows of every series) in the \"split\" of "
                "the data set settings of {project}, and train again: rnn-studio fit "
                "--project {project} --out MODEL."),
            (44, "Set \"test_last\" below 44 in the \"split\" of the data set settings of "
                 "{project}.")):
        document["data"]["config"]["split"]["test_last"] = test_last
        project = tmp_path / f"testing_{test_last}.json"
        project.write_text(json.dumps(document))
        status, _, err = run("report", project, "--out", out)
        line = _one_clear_line(status, err)
        assert line.rstrip().endswith(ending.format(project=project)), err
        assert "step" not in line
        loaded = load_project(project)
        with pytest.raises(EngineError) as page:
            test_many_series(model, loaded.table(), loaded.dataset_config())
        assert str(page.value).endswith("Give the testing rows at step 2 and train again."
                                        if test_last == 0 else
                                        "Test on fewer than 44 rows of every series "
                                        "(step 2).")
        assert "--" not in str(page.value)
    assert not out.exists()


def test_a_missing_data_file_names_the_project_files_path_not_the_data_set_step(
        fitted, single_model, tmp_path):
    """``report``, ``select`` and ``fit --project`` of a project (of many series, of one)
    whose data file is not where the project file says (none of them takes a data file)
    say to put it back or to set the project file's ``"path"``; the pages keep "locate it
    on the data-set step" (the window offers to locate it when the project opens)."""
    import shutil

    from engine.project.document import load_project

    moved = tmp_path / "moved"
    moved.mkdir()
    for source in (fitted[1].with_suffix(".json"), single_model[1].with_suffix(".json")):
        project = moved / source.name
        shutil.copy(source, project)
        missing = moved / json.loads(project.read_text())["data"]["path"]
        assert not missing.exists()
        for argv in (("report", project, "--out", tmp_path / "r.html"),
                     ("select", project, "--method", "neurons", "--workers", "0"),
                     ("fit", "--project", project, "--out", tmp_path / "m.npz")):
            _ends_without_a_step(argv, f"The project's data file {missing} is missing; put it "
                                       f"back, or set \"path\" in the \"data\" of {project} to "
                                       "where it is now (relative to the project file's "
                                       "folder, or a full path).")
        with pytest.raises(EngineError, match=r"is missing; locate it on the data-set "
                                              r"step\.$"):
            load_project(project).table()
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "m.npz").exists()


def test_a_testing_part_of_one_row_names_fits_options_or_the_project_file_not_step_6(
        single_model, tmp_path):
    """A testing part of one row: ``fit DATA.csv`` names the option that placed it
    (``--test-from``, ``--test-last``) and ``--test-last 0``; ``fit --project``, ``select``
    and ``backtest`` of a project the project file's split; the pages keep "step 6" and
    name no option."""
    from engine.data import prepare_training
    from engine.project.document import load_project

    data, model, _ = single_model
    needs = ("The testing part holds 1 row; the testing scores (of fit, evaluate and report) "
             "need at least 2. ")
    for flags, change in (
            (("--test-from", "row 95"), "Start testing earlier (an earlier --test-from, or "
                                        "--test-last 2 or more)"),
            (("--test-last", "1"), "Test on more rows (--test-last 2 or more)")):
        status, _, err = run("fit", data, "--target", "y", *flags, "--epochs", "1", "--out",
                             tmp_path / "m.npz")
        assert _one_clear_line(status, err).rstrip().endswith(
            f"{needs}{change}, or keep no testing part (--test-last 0)."), err
    document = json.loads(model.with_suffix(".json").read_text())
    document["data"]["path"] = str(data)
    document["data"]["config"]["split"]["test_from"] = {"row": 95}
    project = tmp_path / "one_row.json"
    project.write_text(json.dumps(document))
    for argv in (("fit", "--project", project, "--epochs", "1", "--out", tmp_path / "m.npz"),
                 ("select", project, "--method", "neurons", "--workers", "0"),
                 ("backtest", project, data, "--origins", "1", "--workers", "0")):
        _ends_without_a_step(argv, f"{needs}Start testing earlier (\"test_from\", or the third "
                                   "of the \"fractions\", in the \"split\" of the data set "
                                   f"settings of {project}), or keep no testing part.")
    assert not (tmp_path / "m.npz").exists()
    loaded = load_project(project)
    with pytest.raises(EngineError) as page:
        prepare_training(loaded.table(), loaded.dataset_config())
    assert str(page.value).endswith("the test results (step 6 and the report) need at least "
                                    "2. Start testing earlier (or give it a larger share), or "
                                    "keep no testing part.")
    assert "--" not in str(page.value)


def _fit_its_project(fitted, out):
    """``fit --project`` of the project ``fit --series`` wrote beside ``fitted``'s model,
    to the model file ``out``: ``(stdout, the project document as written)``."""
    data, model, _ = fitted
    document = json.loads(model.with_suffix(".json").read_text())
    document["data"]["path"] = str(data)
    project = out.with_suffix(".json")
    project.write_text(json.dumps(document))
    status, text, err = run("fit", "--project", project, "--out", out)
    assert status == 0, err
    return text, document


def test_fit_series_and_fit_project_print_one_network_line_for_the_same_model(fitted,
                                                                            tmp_path):
    """``fit --series`` and ``fit --project`` of the project it wrote fit the same network
    and print the same "Network:" line of it: the networks averaged, each one's cell and
    units, the linear path, the window, the forecast and the weights."""
    _, model, series_out = fitted
    again = tmp_path / "again.npz"
    project_out, _ = _fit_its_project(fitted, again)
    lines = [[line for line in out.splitlines() if line.startswith("Network: ")]
             for out in (series_out, project_out)]
    assert len(lines[0]) == 1 and lines[0] == lines[1], lines
    from engine.cli.many_series import network_line

    line = network_line(load_global_model(model))
    assert lines[0] == [line] and network_line(load_global_model(again)) == line
    assert line.startswith("Network: 3 networks averaged, each GRU hidden [4], linear path, "
                           "over all series; lookback ")
    # each network's weights: the merged network holds zeros between the members' units
    from engine.many.global_model import member_weights

    each = member_weights(load_global_model(model))
    assert line.endswith(f"; 3 x {each:,} weights")
    assert 3 * each < load_global_model(model).network.n_parameters


def test_fit_series_and_fit_project_print_one_training_line_for_the_same_model(fitted,
                                                                             tmp_path):
    """``fit --series`` and ``fit --project`` of the project it wrote print the same
    "Training:" line: why the training stopped, its windows and the whole fit's seconds
    ("in all", as the report counts them), from one function."""
    from engine.cli.many_series import training_line
    from engine.many.project_fit import ManyFit

    _, model, series_out = fitted
    project_out, document = _fit_its_project(fitted, tmp_path / "again.npz")
    lines = [[line for line in out.splitlines() if line.startswith("Training: ")]
             for out in (series_out, project_out)]
    assert len(lines[0]) == len(lines[1]) == 1, lines
    ending = r", (\d+) s in all\)$"
    assert all(re.search(ending, line[0]) for line in lines), lines
    # the same words but for the seconds each fit took
    assert len({re.sub(ending, "", line[0]) for line in lines}) == 1, lines
    seconds = float(re.search(ending, lines[0][0]).group(1))
    trained = load_global_model(model)              # a model file keeps no stop reason
    trained.network.stop_reason_ = document["results"]["training"]["stop_reason"]
    assert lines[0][0] == training_line(ManyFit(trained, None, seconds=seconds))
    assert f"({trained.settings['training_windows']:,} windows, " in lines[0][0]


def test_the_testing_rows_fit_series_chooses_are_counted_in_words():
    """The testing rows ``fit --series`` chose: "the last row", "the last 1,200 rows"
    (engine.words.the_last, as every count the command line says)."""
    from engine.cli.many_series import testing_choice

    assert testing_choice(1).startswith("Testing part: the last row of every series, ")
    assert testing_choice(1200).startswith("Testing part: the last 1,200 rows of every ")


def test_a_model_without_testing_rows_names_the_front_ends_own_way_to_test_it(
        single_model, tmp_path):
    """A model whose training used every row (or whose testing part starts past the data's
    end): ``report`` names the project file's split, ``fit --project`` and ``evaluate
    --from``; ``evaluate --json``'s analysis ``--from``; step 6 (no way to start testing
    elsewhere) the data-set step and no command."""
    from engine.project.document import load_project
    from engine.testing.analysis import analyze_project

    data, model, _ = single_model
    whole, project = tmp_path / "whole.npz", tmp_path / "whole.json"
    status, _, err = run("fit", data, "--target", "y", "--test-last", "0", "--epochs", "1",
                         "--project", project, "--out", whole)
    assert status == 0, err
    _ends_without_a_step(("report", project, "--out", tmp_path / "r.html"),
                         "(its training used every row). Set a testing part (\"test_from\", "
                         "or the third of the \"fractions\", in the \"split\" of the data set "
                         f"settings of {project}) and train again (rnn-studio fit --project "
                         f"{project} --out MODEL), or score the model from a row or date: "
                         "rnn-studio evaluate MODEL DATA.csv --from ROW|DATE.")
    short = tmp_path / "short.csv"
    pd.read_csv(data).head(60).to_csv(short, index=False)
    for tested, rows, ending in (
            (whole, data, "(its training used every row). Give --from ROW|DATE to score from "
                          "a row or date, or train it with a testing part (rnn-studio fit "
                          "DATA.csv --test-from ROW|DATE)."),
            (model, short, "than the model was trained on. Put the rows back, give --from "
                           "ROW|DATE, or train again.")):
        status, out, err = run("evaluate", tested, rows, "--json")
        assert status == 0, err
        assert json.loads(out)["analysis"]["error"].endswith(ending)
    with pytest.raises(EngineError) as page:
        analyze_project(load_project(project))
    assert str(page.value).endswith("(its training used every row). Set a testing part on "
                                    "the data-set step and train again.")


def test_the_project_of_fit_series_says_whether_the_units_were_given(tmp_path):
    """Units given with --hidden are the person's (kept when the data page's settings
    change); units left to the data follow them."""
    from engine.project.document import load_project

    data = _long_csv(tmp_path / "long.csv")
    for given, by_hand in ((["--hidden", "4"], True), ([], False)):
        project = tmp_path / f"p{len(given)}.json"
        status, _, err = run("fit", data, "--series", "id", "--target", "y", "--time",
                             "month", *given, "--epochs", "1", "--project", project,
                             "--out", tmp_path / f"m{len(given)}.npz")
        assert status == 0, err
        assert load_project(project).architecture.units_by_hand is by_hand


def test_networks_averaged_too_large_for_a_global_fit_are_refused_before_any_training(
        fitted, tmp_path):
    """Five global networks of 3,000 units would average into one larger than RNN Studio
    builds: the refusal comes before the training, with the options and the steps that
    change it (for a global fit the pages and the command line share the words)."""
    from engine.many.global_model import SIZE_ADVICE

    data, _, _ = fitted
    out = tmp_path / "x.npz"
    for where in ((), ("--workers", "2")):          # here, and on local processes
        status, _, err = run("fit", data, "--series", "id", "--target", "y", "--hidden",
                             "3000", "--members", "5", "--lookback", "4", "--fold", "4",
                             "--block", "2", "--epochs", "1", *where, "--out", out)
        line = _one_clear_line(status, err)
        assert "networks of [3000] units averaged make one network of" in line, err
        assert line.rstrip().endswith(SIZE_ADVICE), err
        assert "epoch" not in err.lower() and "local processes" not in err
        assert not out.exists()
    assert "--hidden N" in SIZE_ADVICE and "(step 3" in SIZE_ADVICE
