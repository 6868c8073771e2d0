"""The rule for "model up to date", shared by the command line and the application: a fit
stamps the settings fingerprint and the loss history into the project it records."""

import io
from dataclasses import replace

import pytest

from engine.cli.main import main
from engine.project.model_status import (CURRENT, NOT_TRAINED, OUT_OF_DATE, loss_history,
                                         model_status, settings_fingerprint)
from engine.project.document import load_project
from engine.project.sections import Results
from engine.training.settings import EpochReport


def _report(epoch, training, selection):
    return EpochReport(epoch, training, selection, 0.1 * epoch, 3e-3, 1.0, epoch,
                       training, 10)


def test_loss_history_keeps_every_epoch_to_six_digits():
    reports = [_report(1, 0.123456789, 0.5), _report(2, 0.01, None)]
    assert loss_history(reports) == {"epoch": [1, 2], "training": [0.123457, 0.01],
                                     "selection": [0.5, None]}


def test_loss_history_keeps_the_least_squares_start_as_epoch_0():
    """A training whose start was a candidate stores the start's losses, which its plot
    draws at epoch 0 (else a kept start could not be checked against the curves)."""
    reports = [replace(_report(epoch, 0.5, 0.4), start=(0.2, 0.123456789))
               for epoch in (1, 2)]
    assert loss_history(reports)["start"] == {"training": 0.2, "selection": 0.123457}


def test_fit_project_flag_stamps_the_fingerprint_and_loss_history(seasonal_csv, tmp_path):
    project_path, model = tmp_path / "p.json", tmp_path / "m.npz"
    status = main([str(a) for a in ("fit", seasonal_csv, "--target", "y", "--epochs", "3",
                                    "--project", project_path, "--out", model)],
                  out=io.StringIO(), err=io.StringIO())
    assert status == 0
    project = load_project(project_path)
    assert model_status(project) == CURRENT
    training = project.results.training
    assert training["fingerprint"] == settings_fingerprint(project)
    history = training["history"]
    assert history["epoch"] == list(range(1, training["epochs"] + 1))
    assert len(history["training"]) == len(history["selection"]) == training["epochs"]
    assert all(value > 0 for value in history["training"] + history["selection"])

    second = tmp_path / "second.npz"        # fit --project on the saved project: current too
    assert main([str(a) for a in ("fit", "--project", project_path, "--epochs", "2",
                                  "--out", second)],
                out=io.StringIO(), err=io.StringIO()) == 0
    again = load_project(project_path)
    assert model_status(again) == CURRENT
    assert again.results.training["history"]["epoch"][-1] <= 2

    again.architecture.hidden_sizes = [5]
    assert model_status(again) == OUT_OF_DATE
    again.results = Results()
    assert model_status(again) == NOT_TRAINED


@pytest.mark.parametrize("section, change", [
    ("data", {"path": "other.csv"}), ("architecture", {"cell": "lstm"}),
    ("training", {"l2": 0.1})])
def test_the_fingerprint_changes_with_every_section_a_model_depends_on(tmp_path, section,
                                                                       change):
    from engine.project.document import new_project

    project = new_project("P", tmp_path)
    before = settings_fingerprint(project)
    vars(getattr(project, section)).update(change)
    changed = settings_fingerprint(project)
    assert changed != before
    project.description = "notes"          # not part of the model
    project.model.path = "m.npz"
    assert settings_fingerprint(project) == changed


@pytest.mark.parametrize("key, value", [
    ("choose_target_transform", True), ("choose_inputs", True), ("choose_lookback", True),
    ("forecast_steps", 24)])
def test_a_switch_of_the_automatic_choices_puts_the_model_out_of_date(tmp_path, key,
                                                                       value):
    """What a fit chooses by itself is part of what it trained: turning a switch on or off
    (off and absent alike), or another forecast length, marks the model out of date."""
    from engine.project.document import new_project
    from engine.project.model_status import stamp_fingerprint

    project = new_project("P", tmp_path)
    stamp_fingerprint(project)
    project.selection.settings[key] = value
    assert model_status(project) == OUT_OF_DATE
    stamp_fingerprint(project)
    assert model_status(project) == CURRENT
    project.selection.settings[key] = False if value is True else None
    assert model_status(project) == OUT_OF_DATE
    del project.selection.settings[key]
    assert model_status(project) == OUT_OF_DATE
    project.selection.settings["scheduler"] = "tcp://host:8786"   # how, not what: no change
    project.selection.summary = {"start": {"lookback": 3}}
    assert model_status(project) == OUT_OF_DATE
    stamp_fingerprint(project)
    project.selection.settings["scheduler"] = "tcp://other:8786"
    assert model_status(project) == CURRENT


def test_a_model_stamped_before_the_switches_counted_stays_up_to_date(tmp_path):
    """A fingerprint stamped without a version was taken without the switches (version
    1): the project that holds it is compared as then, so a model fitted with switches
    on by an earlier version is not marked out of date by the upgrade."""
    from engine.project.document import new_project

    project = new_project("P", tmp_path)
    project.selection.settings.update(choose_target_transform=True, forecast_steps=12)
    project.results.training = {"fingerprint": settings_fingerprint(project, version=1)}
    assert settings_fingerprint(project, version=1) != settings_fingerprint(project)
    assert model_status(project) == CURRENT
    project.training.l2 = 0.5
    assert model_status(project) == OUT_OF_DATE
    plain = new_project("Q", tmp_path)                  # no switches: the same in both
    assert settings_fingerprint(plain, version=1) == settings_fingerprint(plain)


def test_a_model_file_of_another_training_is_named_when_a_project_is_tested(tmp_path):
    """One series: the model file replaced by another fit's is refused by the testing of
    the project, which names the file; the project's own passes."""
    import shutil

    from engine.errors import EngineError
    from engine.testing.analysis import analyze_project
    from helpers.projects import untrained_project

    paths = []
    for name in ("alpha", "beta"):
        path = untrained_project(tmp_path / name, name)
        assert main(["fit", "--project", str(path), "--epochs", "2", "--out",
                     str(tmp_path / name / f"{name}.model.npz")], out=io.StringIO(),
                    err=io.StringIO()) == 0
        paths.append(path)
    project = load_project(paths[0])
    assert project.results.training["id"]
    analyze_project(project)
    shutil.copy(tmp_path / "beta" / "beta.model.npz", tmp_path / "alpha" / "alpha.model.npz")
    with pytest.raises(EngineError, match="alpha.model.npz holds another training"):
        analyze_project(load_project(paths[0]))


def test_a_data_file_shorter_than_the_testing_start_is_said_so(tmp_path):
    """Rows removed from the data file since the fit, the testing start among them: the
    message says so instead of 'its training used every row'."""
    from engine.errors import EngineError
    from engine.project.document import load_project
    from engine.testing.analysis import analyze_project
    from helpers.projects import untrained_project

    from engine.project.document import save_project

    path = untrained_project(tmp_path, "alpha")
    project = load_project(path)
    project.data.config.split.test_from = 84
    save_project(project, path)
    assert main(["fit", "--project", str(path), "--epochs", "2", "--out",
                 str(tmp_path / "alpha.model.npz")], out=io.StringIO(),
                err=io.StringIO()) == 0
    data = tmp_path / "alpha.csv"
    data.write_text("\n".join(data.read_text().splitlines()[:71]) + "\n")     # 70 rows
    with pytest.raises(EngineError, match=r"testing part starts at row 84, past the end of "
                                          r"this data \(70 rows\)"):
        analyze_project(load_project(path))
