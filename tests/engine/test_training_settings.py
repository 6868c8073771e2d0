"""The one rule for the training settings a fit uses: the person's settings over the recipe
for the number of training windows, an unset learning rate being the optimizer's own."""

import io

import pytest

import engine.training.automatic
from engine.training.automatic import training_settings
from engine.cli.main import main
from engine.training.fitting import fit_project
from engine.project.document import load_project
from engine.tasks import TaskState
from engine.training.settings import DEFAULT_LEARNING_RATES


def test_small_and_large_data_get_their_recipes():
    small, large = training_settings({}, 4999), training_settings({}, 5000)
    assert (small["batch_size"], small["max_epochs"], small["patience"]) == (32, 1000, 60)
    assert (large["batch_size"], large["max_epochs"], large["patience"]) == (128, 100, 8)
    assert small["learning_rate"] == large["learning_rate"] == 0.003


def test_the_persons_settings_win_and_patience_none_stays_off():
    settings = training_settings({"batch_size": 16, "patience": None}, 9000)
    assert (settings["batch_size"], settings["max_epochs"], settings["patience"]) == \
        (16, 100, None)


@pytest.mark.parametrize("optimizer, rate", [("lbfgs", 1.0), ("sgd", 0.01),
                                              ("rmsprop", 0.001), ("adam", 0.003)])
def test_an_unset_learning_rate_is_the_optimizers_own(optimizer, rate):
    assert training_settings({"optimizer": optimizer}, 100)["learning_rate"] == rate
    assert training_settings({"optimizer": optimizer, "learning_rate": None},
                             100)["learning_rate"] == rate
    assert DEFAULT_LEARNING_RATES[optimizer] == rate
    assert training_settings({"optimizer": optimizer, "learning_rate": 0.05},
                             100)["learning_rate"] == 0.05


def test_a_fit_with_sgd_runs_at_sgds_learning_rate(seasonal_csv):
    from engine.training.automatic import automatic_project

    project, _ = automatic_project(seasonal_csv, ["y"], max_epochs=2, lookback=4)
    project.selection["settings"] = {}
    project.training["optimizer"] = "sgd"
    reports = []
    result = fit_project(project, TaskState(on_epoch=reports.append))
    assert result.settings["learning_rate"] == 0.01
    assert reports[0].learning_rate == 0.01


def test_the_cli_fit_summary_quotes_the_large_data_settings_it_used(seasonal_csv, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setattr(engine.training.automatic, "SMALL_DATA_WINDOWS", 10)   # 96 rows: "large"
    out = io.StringIO()
    project_path = tmp_path / "p.json"
    assert main([str(a) for a in ("fit", seasonal_csv, "--target", "y", "--epochs", "2",
                                  "--project", project_path, "--out", tmp_path / "m.npz")],
                out=out, err=io.StringIO()) == 0
    assert "adam learning rate 0.003, batch 128, up to 2 epochs, patience 8" in out.getvalue()
    settings = load_project(project_path).results["training"]["settings"]
    assert (settings["batch_size"], settings["patience"]) == (128, 8)
