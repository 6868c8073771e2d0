"""``rnn-studio select``: the table it prints, the search kept in the project, --apply."""


import numpy as np
import pandas as pd
import pytest

from engine.training.automatic import AutomaticChoices, automatic_project
from engine.cli.main import command_names
from engine.project.document import load_project, save_project
from helpers.command_line import run


@pytest.fixture
def project_file(tmp_path):
    """A project on a 160-row series ``y_t = 0.8 y_(t-3) + e_t`` with an input ``x``."""
    rng = np.random.default_rng(0)
    e = rng.standard_normal(160)
    y = np.zeros(160)
    for t in range(3, 160):
        y[t] = 0.8 * y[t - 3] + e[t]
    data = tmp_path / "series.csv"
    pd.DataFrame({"y": y, "x": rng.standard_normal(160)}).to_csv(data, index=False)
    project, _ = automatic_project(AutomaticChoices(
        data, ["y"], lookback=2, hidden_sizes=[3], max_epochs=4))
    project.training.patience = None
    path = tmp_path / "series.json"
    save_project(project, path)
    return path


def test_select_prints_the_table_and_keeps_the_search(project_file):
    assert "select" in command_names()
    status, out, err = run("select", project_file, "--method", "lookback", "--max-trials",
                           "3", "--repeats", "2", "--workers", "0")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Lookback selection; error: one-step RMSE of y")
    assert "mean ± sd of 2 repeats" in lines[0]
    assert lines[1].split() == ["#", "setting", "training", "selection", "seconds"]
    project = load_project(project_file)
    search = project.selection.search["lookback"]
    chosen = search["chosen"]
    assert search["repeats"] == 2 and search["applied"] is None
    labels = [row["label"] for row in search["rows"]]
    assert "lookback 2 (current)" in out
    chosen_line = next(line for line in lines if line.endswith("<- chosen"))
    assert labels[chosen] in chosen_line
    assert f"{len(labels)} settings, {2 * len(labels)} trainings on this process" in out
    assert project.data.config.lookback == 2            # not applied


def test_select_apply_updates_the_project(project_file):
    status, out, err = run("select", project_file, "--method", "cell", "--workers", "0",
                           "--apply", "1")
    assert status == 0, err
    assert "Applied trial 1: simple RNN." in out          # the first row, as numbered
    project = load_project(project_file)
    assert project.architecture.cell == "rnn"
    assert project.selection.search["cell"]["applied"] == 0
    status, out, err = run("select", project_file, "--method", "neurons", "--max-trials",
                           "2", "--workers", "0", "--apply")
    assert status == 0, err
    project = load_project(project_file)
    chosen = project.selection.search["neurons"]["chosen"]
    sizes = project.selection.search["neurons"]["rows"][chosen]["changes"]["hidden_sizes"]
    assert project.architecture.hidden_sizes == sizes
    assert "cell" in project.selection.search                  # both searches kept


def test_select_errors_are_one_line(project_file, tmp_path):
    status, out, err = run("select", project_file, "--method", "cell", "--workers", "-1")
    assert status == 1 and err.count("\n") == 1
    assert "workers must be 0" in err
    status, out, err = run("select", tmp_path / "missing.json", "--method", "cell")
    assert status == 1 and "There is no project file" in err
    status, out, err = run("select", project_file, "--method", "neurons", "--workers", "0",
                           "--apply", "99")
    assert status == 1 and "There is no trial 99" in err and err.count("\n") == 1
    search = load_project(project_file).selection.search["neurons"]   # the work is kept
    assert search["applied"] is None and len(search["rows"]) >= 2


def test_a_negative_row_is_refused_and_workers_override_a_stored_scheduler(project_file):
    project = load_project(project_file)
    project.selection.settings["scheduler"] = "tcp://127.0.0.1:1"      # nobody there
    save_project(project, project_file)
    status, out, err = run("select", project_file, "--method", "cell", "--workers", "0",
                           "--apply", "-2")
    assert status == 1 and "There is no trial -2" in err
    assert load_project(project_file).architecture.cell == project.architecture.cell
    assert "on this process" in out                      # --workers 0: not the stored one
    status, out, err = run("select", project_file, "--method", "cell", "--scheduler", "",
                           "--max-trials", "1")
    assert status == 0, err
    assert "on this process" not in out


def test_messages_on_the_data_set_name_the_project_file_not_the_data_set_step(project_file):
    """A search the project's data set cannot give (no selection share, no inputs besides
    the target, a random split for a lookback search): ``select`` names what to change in
    the project file; the pages' words (run_search without advice) name the data set step,
    and for the split, which no step sets, the project file."""
    from engine.data.config import SplitSettings
    from engine.errors import EngineError
    from engine.selection import run_search

    cases = [
        ("neurons", {"split": SplitSettings(fractions=(0.8, 0.0, 0.2))},
         "give selection a share of the data (the second of the \"fractions\" in the "
         "\"split\" of the data set settings of {path}).",
         "give selection a share of the data (data set step)."),
        ("inputs", {"roles": {"x": "unused"}},
         "make some columns inputs (their \"role\" \"input\" in the \"variables\" of the data "
         "set settings of {path}).", "make some columns inputs in the data set step."),
        ("lookback", {"split": SplitSettings("random", (0.6, 0.2, 0.2))},
         "Set \"method\" to \"chronological\" in the \"split\" of the data set settings of "
         "{path}.", "No step sets the split's method: close the project, set \"method\" to "
         "\"chronological\" in the \"split\" of its file's data set settings, and open it "
         "again.")]
    for method, change, command_line, pages in cases:
        project = load_project(project_file)
        config = project.dataset_config()
        changed = config.with_roles(**change["roles"]) if "roles" in change else config
        if "split" in change:
            changed.split = change["split"]
        project.data.config = changed
        path = save_project(project, project_file.with_name(f"{method}.json"))
        status, _, err = run("select", path, "--method", method, "--workers", "0")
        assert status == 1 and err.count("\n") == 1, err
        assert err.rstrip().endswith(command_line.format(path=path)), err
        assert "step" not in err
        with pytest.raises(EngineError) as error:
            run_search(load_project(path), method, workers=0)
        assert str(error.value).endswith(pages)
