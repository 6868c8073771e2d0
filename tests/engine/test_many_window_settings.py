"""The training windows per series and the weights' average of a project of many series:
typed settings of its training section, read from a project file written before they
were (the same JSON), checked on opening, and kept by a project made in Python from the
settings of a global fit."""

import json

import pytest

from engine.data import CsvOptions, load_table
from engine.errors import EngineError
from engine.many.global_model import GlobalSettings
from engine.many.new_project import many_series_project
from engine.many.project_fit import series_of, settings_of
from engine.many.series_data import load_series
from engine.project.document import load_project, save_project
from engine.project.sections import AUTOMATIC
from helpers.many_series import monthly_csv

LENGTHS = {"A": (40, "2020-01-01"), "B": (36, "2020-03-01"), "C": (44, "2019-11-01")}


def old_project(folder, training):
    """A project file of three monthly series as ``fit --series --windows-per-series 7
    --average-steps none`` wrote it before the windows per series were a typed setting
    (results and model left out), its training section ``training``."""
    monthly_csv(folder / "long.csv", LENGTHS)
    variables = [{"name": "id", "role": "series", "type": "categorical", "scaler": "none"},
                 {"name": "month", "role": "time", "type": "datetime", "scaler": "none"},
                 {"name": "y", "role": "input_target", "type": "numeric",
                  "scaler": "standard"}]
    csv = {"delimiter": ",", "decimal": ".", "header": True, "encoding": "utf-8",
           "time_column": False, "thousands": ""}
    split = {"method": "chronological", "fractions": [0.6, 0.2, 0.2], "test_from": None,
             "seed": 0, "test_last": 6}
    document = {
        "format": "rnn-studio-project", "format_version": 1, "saved_with": "0.1.0",
        "name": "long", "description": "",
        "data": {"path": "long.csv", "config": {
            "format": "rnn-studio.dataset", "version": 1, "csv": csv, "variables": variables,
            "missing": "interpolate", "target_transform": "none", "period": 12,
            "lookback": 2, "horizon": 6, "split": split}},
        "architecture": {"cell": "gru", "hidden_sizes": [4], "activation": "tanh",
                         "dtype": "float64", "seed": 0, "linear_path": True,
                         "units_by_hand": True},
        "training": training, "selection": {"settings": {}, "summary": {}},
        "model": {"path": None}}
    path = folder / "long.json"
    path.write_text(json.dumps(document, indent=1))
    return path


OLD_TRAINING = {"max_epochs": 3, "average_steps": None, "members": 1,
                "windows_per_series": 7}


def test_a_project_written_before_reads_them_as_typed_settings(tmp_path):
    path = old_project(tmp_path, OLD_TRAINING)
    project = load_project(path)
    assert project.training.windows_per_series == 7
    assert project.training.average_steps is None and project.training.extra == {}
    settings, _ = settings_of(project, series_of(project.table(),
                                                 project.dataset_config()))
    assert (settings.windows_per_series, settings.average_steps) == (7, None)
    save_project(project, tmp_path / "again.json")       # stored as before, same order
    again = json.loads((tmp_path / "again.json").read_text())["training"]
    assert list(again.items()) == list(OLD_TRAINING.items())


def test_every_window_is_typed_too_and_leaving_both_out_is_the_fit_s_choice(tmp_path):
    project = load_project(old_project(tmp_path, {"windows_per_series": "all"}))
    assert project.training.windows_per_series == "all"
    assert project.training.average_steps is AUTOMATIC
    project.training.windows_per_series = AUTOMATIC
    assert project.training.to_dict() == {}
    settings, _ = settings_of(project, series_of(project.table(),
                                                 project.dataset_config()))
    assert (settings.windows_per_series, settings.average_steps) == ("auto", "auto")


@pytest.mark.parametrize("value", ["every", 0, 2.5, True])
def test_a_wrong_windows_per_series_is_refused_when_the_project_opens(tmp_path, value):
    path = old_project(tmp_path, {"windows_per_series": value})
    with pytest.raises(EngineError, match="windows_per_series must be a whole number of at "
                                          "least 1; got .* Give the latest N training "
                                          "windows of each series, \"all\" for every "
                                          "window, or leave it out for the fit's choice."):
        load_project(path)


def project_of(folder, **window_settings):
    """The project :func:`many_series_project` makes of three monthly series fitted with
    the ``window_settings`` given."""
    data_path = monthly_csv(folder / "long.csv", LENGTHS)
    table = load_table(data_path, CsvOptions(time_column=False))
    data = load_series(data_path, "id", ["y"], time_column="month")
    settings = GlobalSettings(horizon=6, test_last=6, season=12, series_column="id",
                              time_column="month", **window_settings)
    return many_series_project(table, data, settings, folder)


@pytest.mark.parametrize("given, kept", [
    ({"windows_per_series": 5, "average_steps": None}, (5, None)),
    ({"windows_per_series": "all", "average_steps": 300}, ("all", 300)),
    ({}, (AUTOMATIC, AUTOMATIC))])
def test_a_project_made_in_python_keeps_them(tmp_path, given, kept):
    project = project_of(tmp_path, **given)
    assert (project.training.windows_per_series, project.training.average_steps) == kept
    save_project(project, tmp_path / "made.json")
    stored = json.loads((tmp_path / "made.json").read_text())["training"]
    assert {key: stored[key] for key in given} == given
    reopened = load_project(tmp_path / "made.json")
    settings, _ = settings_of(reopened, series_of(reopened.table(),
                                                  reopened.dataset_config()))
    assert (settings.windows_per_series, settings.average_steps) == \
        tuple("auto" if value is AUTOMATIC else value for value in kept)
