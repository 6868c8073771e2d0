"""benchmarks/accuracy_suite.py without the development suite: its holdout rules, the fixed
M4 sample, the M4 row-to-CSV conversion and its sMAPE/MASE, on tiny synthetic files."""

import csv
import importlib.util
import math
import pathlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def suite():
    spec = importlib.util.spec_from_file_location(
        "accuracy_suite", ROOT / "benchmarks" / "accuracy_suite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_rows(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_the_holdout_is_the_last_season_or_the_last_fifth_of_yearly_data(suite):
    assert suite.frequency_of("x/nottingham_temperature_monthly.csv") == "monthly"
    assert suite.frequency_of("uk_gas_quarterly.csv") == "quarterly"
    assert suite.frequency_of("nile_flow_yearly.csv") == "yearly"
    with pytest.raises(ValueError):
        suite.frequency_of("daily_things.csv")
    assert suite.holdout_size(240, "monthly") == 12
    assert suite.holdout_size(108, "quarterly") == 4
    assert suite.holdout_size(114, "yearly") == 23
    assert suite.holdout_size(98, "yearly") == 20
    assert suite.holdout_size(3, "yearly") == 1


def test_a_classical_series_is_tested_from_its_holdouts_first_time(suite, tmp_path):
    path = tmp_path / "tiny_quarterly.csv"
    write_rows(path, [["quarter", "sales"]]
               + [[f"{2000 + i // 4}-{3 * (i % 4) + 1:02d}-01", i] for i in range(12)])
    data_set = suite.series_set(path)
    assert (data_set.target, data_set.test_from, data_set.rows) == ("sales", "2002-01-01", 12)
    assert data_set.modes == ("recursive", "one_step")
    yearly = tmp_path / "tiny_yearly.csv"
    write_rows(yearly, [["year", "level"]] + [[1900 + i, i] for i in range(10)])
    assert suite.series_set(yearly).test_from == "1908"


def test_the_m4_sample_is_fixed_and_spread_over_the_file(suite):
    assert suite.m4_sample(414, 10) == [0, 41, 82, 124, 165, 207, 248, 289, 331, 372]
    assert suite.m4_sample(3, 50) == [0, 1, 2]


def test_an_m4_row_becomes_a_single_series_csv_held_out_at_its_end(suite, tmp_path):
    (tmp_path / "m4").mkdir()
    lengths = {"W1": 20, "W2": 15, "W3": 16}
    rows = [[f"V{i + 1}" for i in range(21)]] + [
        [name] + [str(10 * i) for i in range(n)] + [""] * (20 - n)
        for name, n in lengths.items()]
    write_rows(tmp_path / "m4" / "Weekly-train.csv", rows)
    found = suite.m4_series(tmp_path / "m4" / "Weekly-train.csv", [1, 2])
    assert [(name, len(v), v[-1]) for name, v in found] == [("W2", 15, 140.0),
                                                            ("W3", 16, 150.0)]
    out = tmp_path / "out"
    out.mkdir()
    sets = suite.m4_sets("m4-weekly", tmp_path, 2, out)
    assert [(s.name, s.rows, s.test_from, s.season, s.modes) for s in sets] == \
        [("W1", 20, "7", 1, ("recursive",)), ("W2", 15, "2", 1, ("recursive",))]
    with open(sets[1].path, newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert written[:3] == [["step", "value"], ["0", "0.0"], ["1", "10.0"]]
    assert written[-1] == ["14", "140.0"] and len(written) == 16


def test_smape_and_mase_of_known_forecasts(suite):
    y, f = np.array([100.0, 200.0]), np.array([110.0, 180.0])
    assert suite.smape(y, f) == pytest.approx((200 * 10 / 210 + 200 * 20 / 380) / 2)
    history = np.array([1.0, 2.0, 4.0, 7.0])
    assert suite.seasonal_scale(history, 1) == pytest.approx(2.0)
    assert suite.seasonal_scale(history, 2) == pytest.approx(4.0)
    assert math.isnan(suite.seasonal_scale(history, 4))
    assert suite.mase(y, f, 5.0) == pytest.approx(3.0)
    assert math.isnan(suite.mase(y, f, 0.0))


def test_the_report_counts_wins_and_ratios_from_the_records_alone(suite):
    def record(name, seed, network, ets):
        rmse = {"network": network, "persistence": 10.0, "seasonal_naive": 8.0, "ets": ets,
                "theta": 9.0, "linear": None}
        return {"set": name, "kind": "series", "seed": seed, "error": None, "seconds": 1.0,
                "transform": "none", "modes": {"recursive": {"count": 4, "rmse": rmse}}}

    sets = {"series": [suite.DataSet("series", name, "", "y", "2000", ("recursive",),
                                     rows=50) for name in ("a", "b", "c")]}
    records = [record("a", 0, 4.0, 5.0), record("a", 1, 6.0, 5.0),    # median 5 = ETS
               record("b", 0, 9.0, 6.0),                              # 1.5 x ETS
               {"set": "b", "kind": "series", "seed": 1, "error": "RuntimeError: no"}]
    by_kind = suite.figures_by_kind(sets, records)
    assert [f["spec"].name for f in by_kind["series"]] == ["a", "b"]   # c: no record
    a, b = by_kind["series"]
    assert a["modes"]["recursive"]["spread"] == pytest.approx(1.5)
    assert math.isnan(b["modes"]["recursive"]["spread"])               # one seed
    assert (b["failed"], b["runs"]) == (1, 2)
    row = suite.summary_row("series", by_kind["series"])
    assert row.startswith("| series | 2 | 2 of 2 | 1 of 2 | 0 of 2 | 1 of 2 | 1.5 (b) | "
                          "0 of 1 |")
    assert row.endswith("| 1 | 1 of 4 |")                            # longest fit, failures
    assert suite.advice_line(by_kind["series"]) == "- The fit offered no comparator's " \
        "forecast in 3 fits."
    records[0]["advice"], records[2]["advice"] = "ets", "ets"        # 5 / 4, 6 / 9
    offered = suite.figures_by_kind(sets, records)["series"]
    assert suite.advice_line(offered) == (
        "- The fit offered a comparator's forecast instead of the network's in 2 of 3 fits: "
        "following the offer lowered the holdout RMSE in 1 and raised it in 1 (holdout RMSE "
        "of the offer / the network's: median 0.958, from 0.667 to 1.25).")


def test_the_series_beyond_the_suite_are_written_from_statsmodels(suite, tmp_path):
    paths = suite.write_series(tmp_path)
    assert [p.name for p in paths] == sorted(
        ["mauna_loa_co2_monthly.csv", "euro_electrical_equipment_monthly.csv",
         "elnino_sea_temperature_monthly.csv", "german_inflation_quarterly.csv",
         "us_unemployment_quarterly.csv", "us_money_m1_quarterly.csv"])
    sets = {p.stem: suite.series_set(p, "beyond") for p in paths}
    co2 = sets["mauna_loa_co2_monthly"]
    assert (co2.kind, co2.target, co2.rows, co2.test_from) == ("beyond", "co2", 526,
                                                              "2001-01-01")
    assert sets["elnino_sea_temperature_monthly"].rows == 732            # 61 years x 12
    assert sets["elnino_sea_temperature_monthly"].test_from == "2010-01-01"
    assert sets["german_inflation_quarterly"].test_from == "1998-01-01"   # last 4 quarters
    assert sets["us_money_m1_quarterly"].test_from == "2008-10-01"
    with open(paths[0], newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    values = [float(v) for _, v in rows]
    assert all(math.isfinite(v) for v in values)                          # gaps filled
    dates = [d for d, _ in rows]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
