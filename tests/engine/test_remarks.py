"""A network far worse than persistence is called so, with a likely cause, by fit,
evaluate, the testing analysis and the report."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engine.cli.main import main
from engine.testing.metrics import Scores
from engine.testing.remarks import FAR_WORSE, far_worse, outlier, poor_model_remark
from engine.testing.report import project_report
from engine.testing.analysis import analyze_project
from helpers.projects import trained_project

AIRLINE = Path(__file__).parents[2] / "resources" / "examples" / "airline_passengers.csv"
OUTLIER_ROW = 57


def rmse_scores(values, names=("a", "b")):
    values = np.asarray(values, dtype=float)
    nan = np.full(len(values), np.nan)
    return Scores(list(names), 10, values, nan, nan, nan)


def test_far_worse_is_more_than_ten_times_the_persistence_rmse():
    persistence = rmse_scores([2.0, 1.0])
    assert FAR_WORSE == 10
    assert far_worse(rmse_scores([20.0, 10.0]), persistence) == []        # 10 times: not yet
    assert far_worse(rmse_scores([20.5, 3.0]), persistence) == [("a", 20.5, 2.0)]
    assert far_worse(rmse_scores([np.inf, 1.0]), persistence) == [("a", np.inf, 2.0)]


def test_outlier_is_found_by_its_distance_in_median_absolute_deviations():
    frame = pd.DataFrame({"y": np.arange(100.0), "x": np.ones(100)})
    assert outlier(frame, ["y", "x"]) is None
    # with row 57 replaced by a large value: median 49.5; the distances |y - 49.5| are
    # 0.5, 0.5, 1.5, 1.5, ... without one 7.5, so their median is 25.5
    frame.loc[OUTLIER_ROW, "y"] = 49.5 + 25.5 * 1001          # 1001 deviations away
    assert outlier(frame, ["y", "x"]) == ("y", OUTLIER_ROW, 49.5 + 25.5 * 1001)
    frame.loc[OUTLIER_ROW, "y"] = 49.5 + 25.5 * 999
    assert outlier(frame, ["y"]) is None


def fitted_project(folder, csv, linear_path=True, **training):
    """A project on ``csv`` fitted for 30 epochs with these training settings (and a linear
    path or not); returns ``(project, model path, FitResult)``."""
    def change(project):
        vars(project.training).update(training)
        project.architecture.linear_path = linear_path

    project, _, result = trained_project(
        csv, folder, ["passengers"], name="project", change=change, max_epochs=30, seed=0,
        test_from="1960-01-01")
    return project, project.model_file(), result


def outlier_csv(folder):
    frame = pd.read_csv(AIRLINE, dtype={"passengers": float})
    frame.loc[OUTLIER_ROW, "passengers"] = 1e30
    path = folder / "outlier.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_diverged_fit_names_the_learning_rate(tmp_path):
    # without a linear path: with one, its least-squares start would be kept
    project, _, result = fitted_project(tmp_path, AIRLINE, linear_path=False,
                                        learning_rate=1000)
    assert result.remark.startswith("The network is far worse than persistence (the last "
                                    "known value) on the selection part (RMSE ")
    assert "the learning rate 1000 is probably too high" in result.remark
    assert project.results.training["remark"] == result.remark

    out = io.StringIO()
    assert main(["fit", "--project", str(tmp_path / "project.json"), "--out",
                 str(tmp_path / "again.npz")], out=out, err=io.StringIO()) == 0
    assert "learning rate 1000 is probably too high" in out.getvalue().splitlines()[-1]


def test_an_outlier_is_named_by_fit_evaluate_analysis_and_report(tmp_path):
    csv = outlier_csv(tmp_path)
    project, model, result = fitted_project(tmp_path, csv)
    where = f"passengers has the value 1e+30 at row {OUTLIER_ROW}"
    assert "on the selection part" in result.remark and where in result.remark

    out = io.StringIO()
    assert main(["evaluate", str(model), str(csv)], out=out) == 0
    last = out.getvalue().splitlines()[-1]
    assert "far worse than persistence" in last and "on the testing part" in last
    assert where in last

    notes = analyze_project(project).notes
    assert any(where in note for note in notes)
    html = project_report(project, tmp_path / "report.html").read_text(encoding="utf-8")
    assert where in html



def test_an_outlier_is_named_also_when_persistence_suffers_from_it_as_much():
    # one 1e30 in a part dominates the network's RMSE and persistence's alike, so the
    # network is not 10 times worse there; the outlier is still named
    frame = pd.DataFrame({"y": np.arange(100.0)})
    frame.loc[OUTLIER_ROW, "y"] = 1e30
    remark = poor_model_remark(rmse_scores([1e29], ["y"]), rmse_scores([2e29], ["y"]),
                               "selection", None, None, frame, ["y"])
    assert remark.startswith(f"y has the value 1e+30 at row {OUTLIER_ROW}, more than 1000 "
                             "median absolute deviations")
    assert poor_model_remark(rmse_scores([1.0], ["y"]), rmse_scores([2.0], ["y"]),
                             "selection", None, None, frame.drop(OUTLIER_ROW), ["y"]) is None

def test_a_model_that_learned_has_no_remark(tmp_path):
    _, model, result = fitted_project(tmp_path, AIRLINE)
    assert result.remark is None
    out = io.StringIO()
    assert main(["evaluate", str(model), str(AIRLINE)], out=out) == 0
    assert "far worse" not in out.getvalue()


@pytest.mark.parametrize("value", [1e30, -1e30])
def test_histogram_of_huge_equal_errors_has_one_bin(value):
    from engine.testing.analysis import histogram

    counts, edges = histogram(np.full(12, value) * (1 + np.arange(12) * 1e-17))
    assert counts.sum() == 12 and len(edges) == len(counts) + 1


def test_ticks_of_a_range_narrower_than_the_values_rounding_end():
    from engine.testing.svg_plot import nice_ticks

    low = 1e16
    high = np.nextafter(low, np.inf)    # 2 above; a step of 0.5 would not move 1e16
    assert nice_ticks(low, high) == [low, high]


def test_a_chart_of_one_huge_value_draws_without_a_division_by_zero():
    import warnings

    from engine.testing.svg_plot import Figure

    figure = Figure("errors", "error", "rows")
    figure.bars([6.05e26], [6.05e26], [12], "#d62728")     # one bin of equal huge errors
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "<svg" in figure.svg()


def test_too_few_training_windows_are_named_as_the_cause(tmp_path):
    """A testing start typed years too early leaves a handful of training windows: fit
    says so under its windows line, and the remark on a network far worse than persistence
    names it as the likely cause."""
    import io

    import numpy as np
    import pandas as pd

    from engine.cli.main import main
    from engine.model.model_file import load_model
    from engine.testing.remarks import likely_causes

    t = np.arange(120)
    path = tmp_path / "level.csv"
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=120, freq="MS")
                  .strftime("%Y-%m-%d"), "y": 100 + 0.01 * t}).to_csv(path, index=False)
    out = io.StringIO()
    assert main(["fit", str(path), "--target", "y", "--test-from", "2000-10-01", "--epochs",
                 "2", "--out", str(tmp_path / "m.npz")], out=out, err=io.StringIO()) == 0
    assert "training windows are too few for a network to learn from" in out.getvalue()
    network = load_model(tmp_path / "m.npz").network
    causes = likely_causes(network, None, pd.DataFrame({"y": t * 1.0}), ["y"], 3)
    assert causes[0].startswith("the network was trained on 3 windows only")
    assert likely_causes(network, None, pd.DataFrame({"y": t * 1.0}), ["y"], 40) == []
    # a lookback of 1 has none shorter: the advice leaves it out, as the fit's note does
    assert causes[0].endswith("the shares of the split, or choose a shorter lookback")
    one = likely_causes(network, None, pd.DataFrame({"y": t * 1.0}), ["y"], 3, lookback=1)
    assert one[0].endswith("check where the testing part starts (a typing error?) and the "
                           "shares of the split")


def test_a_model_that_kept_its_least_squares_start_is_named_a_linear_autoregression(
        tmp_path, monkeypatch):
    """The remark names a model whose training kept its least-squares start as the other
    sentences do, the linear autoregression, in fit's remark and on the testing part of
    its model file (it said "The network")."""
    import engine.testing.remarks
    from engine.model.model_file import load_model
    from engine.project.document import load_project
    from helpers.projects import start_kept_project

    worse = [("y", 50.0, 1.0)]
    monkeypatch.setattr(engine.testing.remarks, "far_worse", lambda *args: worse)
    project = load_project(start_kept_project(tmp_path))
    said = "The linear autoregression is far worse than persistence (the last known value)"
    assert project.results.training["remark"].startswith(said + " on the selection part")
    model = load_model(project.model_file())
    remark = engine.testing.remarks.testing_remark(model, project.table().frame, None, None)
    assert remark.startswith(said + " on the testing part")
    network_said = poor_model_remark(rmse_scores([50.0], ["y"]), rmse_scores([1.0], ["y"]),
                                     "selection", model.network, None,
                                     pd.DataFrame({"y": np.arange(30.0)}), ["y"], 5)
    assert network_said.startswith("The network is far worse than persistence")
    assert "the network was trained on 5 windows only" in network_said
