"""``fit --series --windows-per-series N|all|auto --average-steps N|none|auto``: the
values read and checked, the model trained on the windows and the average asked for and
saying so, the project keeping them for ``fit --project`` and a reopened project, and
"auto" leaving the fit as it is without the options."""

import json

import numpy as np
import pytest

from engine.cli.arguments import parse_average_steps, parse_windows_per_series
from engine.errors import EngineError
from engine.many.model_file import load_global_model
from engine.many.project_fit import series_of, settings_of
from engine.project.document import load_project
from helpers.many_series import monthly_csv
from helpers.models import seasonal_frame
from helpers.command_line import run

FAST = ["--hidden", "4", "--epochs", "3", "--members", "1", "--test-last", "6"]
LENGTHS = {"A": (40, "2020-01-01"), "B": (36, "2020-03-01"), "C": (44, "2019-11-01")}


def fit(folder, name, *options):
    """``(model path, stdout)`` of a small ``fit --series`` of three monthly series with
    ``options``; the project is written beside the model."""
    data = folder / "long.csv"
    if not data.exists():
        monthly_csv(data, LENGTHS)
    model = folder / f"{name}.npz"
    status, out, err = run("fit", data, "--series", "id", "--target", "y", *FAST, *options,
                           "--out", model)
    assert status == 0, err
    return model, out


def training_line(out):
    return next(line for line in out.splitlines() if line.startswith("Training windows:"))


@pytest.mark.parametrize("text, value", [("12", 12), ("all", "all"), ("ALL", "all"),
                                         (" auto ", "auto")])
def test_the_windows_per_series_are_a_number_all_or_auto(text, value):
    assert parse_windows_per_series(text) == value


@pytest.mark.parametrize("text, value", [("3000", 3000), ("none", None), ("None", None),
                                         ("auto", "auto")])
def test_the_average_steps_are_a_number_none_or_auto(text, value):
    assert parse_average_steps(text) == value


@pytest.mark.parametrize("flag, text, message", [
    ("--windows-per-series", "0", "--windows-per-series must be at least 1; got 0. Give N "
     "(the latest N training windows of each series), all (every window) or auto (chosen "
     "with the window)."),
    ("--windows-per-series", "-5", "--windows-per-series must be at least 1; got -5."),
    ("--windows-per-series", "every", "--windows-per-series 'every' is neither a number "
     "nor all nor auto; give N (the latest N"),
    ("--windows-per-series", "2.5", "--windows-per-series '2.5' is neither a number"),
    ("--average-steps", "0", "--average-steps must be at least 1; got 0. Give N (the "
     "weights averaged over the latest N optimizer steps), none (no average) or auto"),
    ("--average-steps", "off", "--average-steps 'off' is neither a number nor none nor "
     "auto;")])
def test_a_wrong_value_is_refused_in_one_line_before_the_file_is_read(tmp_path, flag, text,
                                                                      message):
    status, out, err = run("fit", tmp_path / "missing.csv", "--series", "id", "--target",
                           "y", f"{flag}={text}", "--out", tmp_path / "m.npz")
    assert status == 1 and out == "" and err.count("\n") == 1
    assert message in err
    with pytest.raises(EngineError):
        (parse_windows_per_series if flag == "--windows-per-series" else
         parse_average_steps)(text)


@pytest.mark.parametrize("options, named", [
    (["--windows-per-series", "50"], "--windows-per-series applies"),
    (["--average-steps", "none"], "--average-steps applies"),
    (["--windows-per-series", "all", "--average-steps", "9"],
     "--windows-per-series and --average-steps apply")])
def test_without_series_they_apply_to_many_series_only(tmp_path, options, named):
    data = tmp_path / "one.csv"
    seasonal_frame().to_csv(data, index=False)
    status, _, err = run("fit", data, "--target", "y", *options, "--out", tmp_path / "o.npz")
    assert status == 1 and err.count("\n") == 1
    assert f"{named} to many series only: give --series COL (many series in one file), or " \
           "a project whose data set names a series column." in err


def test_the_model_trains_on_the_windows_and_the_average_asked_and_says_so(tmp_path):
    model, out = fit(tmp_path, "five", "--windows-per-series", "5", "--average-steps", "2")
    settings = load_global_model(model).settings
    assert settings["windows_per_series"] == 5 and settings["average_steps"] == 2
    assert settings["training_windows"] == 3 * 5 and settings["averaged_steps"] == 2
    assert training_line(out) == ("Training windows: the latest 5 of each series (as "
                                  "given); the weights averaged over each network's latest "
                                  "2 steps (as given).")
    assert "(15 windows, " in out


def test_every_window_given_and_the_average_left_to_the_choice(tmp_path):
    model, out = fit(tmp_path, "every", "--windows-per-series", "all")
    settings = load_global_model(model).settings
    assert settings["windows_per_series"] == "all"
    assert settings["training_windows"] == 60          # every window of the 3 series
    assert training_line(out).startswith("Training windows: every window of each series "
                                         "(as given); the weights ")
    assert training_line(out).endswith("(as the window's choice set it).")


def test_an_average_longer_than_three_epochs_is_cut_and_said_to_be(tmp_path):
    """60 windows in batches of 256 are one step an epoch: 50 steps are cut to 3."""
    model, out = fit(tmp_path, "cut", "--average-steps", "50")
    settings = load_global_model(model).settings
    assert settings["average_steps"] == 50 and settings["averaged_steps"] == 3
    assert training_line(out).endswith("the weights averaged over each network's latest 3 "
                                       "steps (as given; 50 cut to 3 epochs' steps).")


def test_the_project_keeps_them_for_fit_project_and_a_reopened_project(tmp_path):
    model, _ = fit(tmp_path, "seven", "--windows-per-series", "7", "--average-steps", "none")
    path = tmp_path / "seven.json"
    stored = json.loads(path.read_text())["training"]
    assert stored["windows_per_series"] == 7 and stored["average_steps"] is None
    project = load_project(path)
    settings, _ = settings_of(project, series_of(project.table(), project.dataset_config()))
    assert settings.windows_per_series == 7 and settings.average_steps is None
    again = tmp_path / "again.npz"
    status, out, err = run("fit", "--project", path, "--out", again)
    assert status == 0, err
    assert load_global_model(again).settings["training_windows"] == 3 * 7
    assert training_line(out) == ("Training windows: the latest 7 of each series (as "
                                  "given); the weights not averaged (as given).")
    status, out, err = run("fit", "--project", path, "--windows-per-series", "4",
                           "--average-steps", "auto", "--out", again)
    assert status == 0, err
    assert load_global_model(again).settings["training_windows"] == 3 * 4
    stored = json.loads(path.read_text())["training"]
    assert stored["windows_per_series"] == 4 and "average_steps" not in stored


def test_auto_leaves_the_fit_as_without_the_options(tmp_path):
    plain, plain_out = fit(tmp_path, "plain")
    auto, auto_out = fit(tmp_path, "auto", "--windows-per-series", "auto",
                         "--average-steps", "auto")
    first, second = np.load(plain, allow_pickle=False), np.load(auto, allow_pickle=False)
    weights = [name for name in first.files if name != "header"]
    assert weights and weights == [name for name in second.files if name != "header"]
    for name in weights:
        assert first[name].tobytes() == second[name].tobytes(), name
    untimed = [{key: value for key, value in load_global_model(path).settings.items()
                if key not in ("seconds", "window_trials")} for path in (plain, auto)]
    assert untimed[0] == untimed[1]
    assert training_line(plain_out) == training_line(auto_out)
    assert "(as given)" not in auto_out
    for name in ("plain", "auto"):          # the project leaves both to the fit
        stored = json.loads((tmp_path / f"{name}.json").read_text())["training"]
        assert "windows_per_series" not in stored and "average_steps" not in stored


def test_a_project_whose_series_role_is_taken_back_fits_one_series(tmp_path):
    fit(tmp_path, "seven", "--windows-per-series", "7")
    path = tmp_path / "seven.json"
    project = json.loads(path.read_text())
    variables = project["data"]["config"]["variables"]
    for variable in variables:         # the rows of three series read as one, in file order
        if variable["role"] in ("series", "time"):
            variable["role"] = "unused"
    project["data"]["config"]["csv"]["time_column"] = False
    for key in ("model", "results"):
        project.pop(key, None)
    one = tmp_path / "one.json"
    one.write_text(json.dumps(project))
    status, out, err = run("fit", "--project", one, "--out", tmp_path / "one.npz")
    assert status == 0, err
    assert json.loads(one.read_text())["training"]["windows_per_series"] == 7


@pytest.mark.parametrize("trials, how", [
    ([{"chosen": True, "best_epoch": 12, "epochs": 25}], "as the window's choice set it"),
    ([{"chosen": True, "owa": None, "error": "too short"}], "the default"),
    ([], "the default")])
def test_the_average_is_said_to_be_the_choices_only_when_a_trial_chose_it(trials, how):
    from engine.cli.many_series import given_windows_text

    settings = {"window_trials": trials, "windows_per_series": 50, "average_steps": None,
                "averaged_steps": None}
    assert given_windows_text(settings, ["windows_per_series"]) == (
        f"Training windows: the latest 50 of each series (as given); the weights not "
        f"averaged ({how}).")
