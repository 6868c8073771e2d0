"""Project files are checked on loading: every field set to a wrong type or value ends in
one EngineError line naming it, or in a project that saves and loads the same way and fits
into a model file that loads; a fit never writes what the loader refuses."""

import copy
import io
import json
import math
import os

import pytest

from engine.cli import main as cli
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.errors import EngineError
from engine.training.fitting import fit_project, record_fit, save_fit
from engine.model.model_file import load_model, read_model_header
from engine.project.document import load_project, save_project

WRONG_VALUES = {"text": "x", "number as text": "5", "null": None, "NaN": math.nan,
                "negative": -1, "huge": 10**12, "fraction": 0.5, "list": [1],
                "object": {"a": 1}, "true": True}


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    """A valid project fitted for a few epochs (every section filled) beside its data file
    and model file."""
    from helpers.models import seasonal_frame

    folder = tmp_path_factory.mktemp("valid")
    seasonal_frame().to_csv(folder / "series.csv", index=False)
    project, _ = automatic_project(AutomaticChoices(
        folder / "series.csv", ["y"], folder=folder, max_epochs=2))
    project.selection.settings = {"choose_target_transform": False, "choose_inputs": False}
    result = fit_project(project)
    save_fit(result, folder / "series.model.npz")
    record_fit(project, result, folder / "series.model.npz")
    return save_project(project, folder / "series.json")


@pytest.fixture
def document(project_file):
    return json.loads(project_file.read_text())


def field_paths(value, prefix=()):
    """The path (a tuple of keys and list indices) of every value inside ``value``; of a
    list's items only the first (the others are of the same kind)."""
    items = value.items() if isinstance(value, dict) else (
        enumerate(value[:1]) if isinstance(value, list) else ())
    for key, inner in items:
        yield prefix + (key,)
        yield from field_paths(inner, prefix + (key,))


def changed(document, path, value):
    """A copy of ``document`` with the field at ``path`` set to ``value``."""
    document = copy.deepcopy(document)
    inner = document
    for key in path[:-1]:
        inner = inner[key]
    inner[path[-1]] = value
    return document


def write(folder, document, name="tampered.json"):
    path = folder / name
    path.write_text(json.dumps(document))
    return path


def one_line(error):
    text = str(error)
    return text and "\n" not in text


def fit(project_path, out):
    """``rnn-studio fit --project P --out M``: ``(exit status, stderr)``."""
    err = io.StringIO()
    status = cli.main(["fit", "--project", str(project_path), "--out", str(out)],
                      io.StringIO(), err)
    return status, err.getvalue()


def test_the_valid_project_loads_and_fits(project_file, tmp_path):
    status, err = fit(write(project_file.parent, json.loads(project_file.read_text())),
                      tmp_path / "m.npz")
    assert status == 0, err
    assert load_model(tmp_path / "m.npz").network.cell == "gru"


def test_every_field_set_to_a_wrong_value_is_refused_in_one_line_or_round_trips(
        document, project_file, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)   # durability is not tested here
    outcomes = {"refused": 0, "loaded": 0}
    for path in field_paths(document):
        for label, value in WRONG_VALUES.items():
            file = write(project_file.parent, changed(document, path, value))
            try:
                project = load_project(file)
            except EngineError as error:
                assert one_line(error), (path, label, str(error))
                outcomes["refused"] += 1
                continue
            outcomes["loaded"] += 1
            saved = save_project(project, tmp_path / "saved.json")
            assert load_project(saved).to_document() == json.loads(saved.read_text()), \
                (path, label)
    assert outcomes["refused"] > 400 and outcomes["loaded"] > 50, outcomes


def fitted_fields(document, section):
    """The fields of ``section`` whose wrong values are fitted, so that the test stays fast:
    every field of the architecture and the training; of the data section one field of each
    kind; of the selection its settings (a fit does not read the summary)."""
    if section == "data":
        return [("data", "config", *rest) for rest in (
            ("csv", "delimiter"), ("csv", "header"), ("csv", "thousands"), ("period",),
            ("lookback",), ("split", "fractions", 0), ("split", "test_from"),
            ("variables", 1, "name"))]
    if section == "selection":
        settings = ("selection", "settings")
        return [settings, *field_paths(document["selection"]["settings"], settings)]
    return list(field_paths({section: document[section]}))


@pytest.mark.parametrize("section", ["data", "architecture", "training", "selection"])
def test_a_fit_ends_in_one_error_line_or_a_model_that_loads(document, project_file, tmp_path,
                                                             section):
    """Every wrong value of a field that still loads is fitted; a refused fit leaves the
    model file that was at --out unchanged."""
    out = tmp_path / "model.npz"
    status, err = fit(write(project_file.parent, document), out)
    assert status == 0, err
    good = out.read_bytes()
    fitted = 0
    paths = fitted_fields(document, section)
    for path in paths:
        for label, value in WRONG_VALUES.items():
            file = write(project_file.parent, changed(document, path, value))
            try:
                load_project(file)
            except EngineError:
                continue
            status, err = fit(file, out)
            fitted += 1
            if status == 0:
                load_model(out)
                out.write_bytes(good)
            else:
                assert err.startswith("rnn-studio fit: error: ") and err.count("\n") == 1, \
                    (path, label, err)
                assert out.read_bytes() == good, (path, label)
    assert fitted > 0


@pytest.mark.parametrize("path, value, message", [
    (("data", "config", "period"), "12", r"data\.config: period must be a whole number of "
                                         r"at least 1; got '12'"),
    (("data", "config", "lookback"), math.nan, "lookback must be a whole number .* got nan"),
    (("data", "config", "lookback"), None, "lookback must be a whole number .* got None"),
    (("data", "config", "horizon"), -1, "horizon must be a whole number of at least 0"),
    (("data", "config", "split"), "0.6,0.2,0.2", "Split must be a JSON object"),
    (("data", "config", "split", "fractions"), [0.6, "0.2", 0.2],
     "Each split fraction must be a finite number; got '0.2'"),
    (("data", "config", "split", "fractions"), [math.nan, 0.5, 0.5],
     "split fraction must be a finite number; got nan"),
    (("data", "config", "split", "seed"), -1, "split seed must be a whole number of at least 0"),
    (("data", "config", "split", "test_from"), math.nan, "test_from must be empty"),
    (("data", "config", "csv", "encoding"), "rot13", "encoding is 'rot13'; it must be the name "
                                                     "of a text encoding"),
    (("data", "config", "csv", "delimiter"), ",,", "delimiter is ',,'; it must be one "
                                                   "character"),
    (("data", "config", "csv", "thousands"), "5", "thousands is '5'; it must be one character, "
                                                  "not a letter or digit"),
    (("data", "config", "csv", "decimal"), ";", "decimal is ';'; it must be"),
    (("data", "config", "csv", "header"), "yes", "header is 'yes'; it must be true or false"),
    (("data", "config", "variables", 1, "role"), "TARGET", "Unknown role of 'y' 'TARGET'"),
    (("data", "config", "variables", 1, "name"), None, "Variable 2 needs a name"),
    (("data", "config", "variables", 2, "name"), "y", "'y' are listed more than once"),
    (("data", "config", "variables", 0), {"name": "month", "colour": "red"},
     "Unknown key.*'colour' in variable 1"),
    (("data", "config", "version"), "1", "version must be a whole number"),
    (("data", "config", "version"), 2, "newer version"),
    (("architecture", "cell"), "gruu", r"architecture: Unknown cell type 'gruu'; choose one "
                                       r"of: rnn, gru, lstm"),
    (("architecture", "seed"), -1, "seed must be a whole number of at least 0; got -1"),
    (("architecture", "seed"), "5", "seed must be a whole number of at least 0; got '5'"),
    (("architecture", "hidden_sizes"), [1_000_000_000], "has 3,000,000,010,000,000,001 "
                                                        "parameters, more than the 100,000,000"),
    (("architecture", "hidden_sizes"), "32", "hidden_sizes must be a list"),
    (("architecture", "dtype"), "float16", "dtype must be float32 or float64"),
    (("architecture", "linear_path"), 1, "linear_path must be true or false; got 1"),
    (("training", "max_epochs"), "5", r"training: max_epochs must be a whole number of at "
                                      r"least 1; got '5'"),
    (("training", "learning_rate"), -0.1, "learning_rate must be a number above 0"),
    (("training", "optimizer"), "adamw", "Unknown optimizer 'adamw'"),
    (("selection", "settings", "choose_inputs"), "yes", "choose_inputs must be true or false"),
    (("selection", "settings"), [1], "settings must be a JSON object"),
    (("selection", "settings", "forecast_steps"), 0, "forecast_steps must be a whole number "
                                                     "of steps, 1 or more"),
    (("selection", "settings", "forecast_steps"), "12", "forecast_steps must be a whole"),
    (("results", "training"), "x", "results: training must be a JSON object"),
    (("results", "training", "stop_reason"), 3, "training.stop_reason must be text"),
    (("results", "scores", "selection", "targets", "y", "rmse"), "1.5",
     "scores.selection.targets.y.rmse must be a finite number; got '1.5'"),
])
def test_wrong_values_are_named_with_what_is_allowed(document, tmp_path, path, value, message):
    with pytest.raises(EngineError, match=message) as caught:
        load_project(write(tmp_path, changed(document, path, value)))
    assert one_line(caught.value)
    assert "has a wrong setting in" in str(caught.value)


def test_a_cell_in_capitals_is_saved_and_fitted_in_lower_case(document, project_file,
                                                               tmp_path):
    document["architecture"].update(cell="GRU", activation="TANH", dtype="f8",
                                    hidden_sizes=4)
    path = write(project_file.parent, document)
    assert load_project(path).architecture.to_dict() == {"cell": "gru", "hidden_sizes": [4],
                                               "activation": "tanh", "dtype": "float64",
                                               "seed": 0, "linear_path": True}
    status, err = fit(path, tmp_path / "m.npz")
    assert status == 0, err
    assert read_model_header(tmp_path / "m.npz")["network"]["cell"] == "gru"
    model = load_model(tmp_path / "m.npz")
    assert model.metadata["choices"]["hidden_sizes"] == [4]           # each network's
    assert model.network.hidden_sizes == [4 * model.metadata["choices"]["members"]]
    assert json.loads(path.read_text())["architecture"]["cell"] == "gru"


def test_a_fit_from_python_checks_the_project_first(project_file):
    project = load_project(project_file)
    project.training.max_epochs = "5"
    with pytest.raises(EngineError, match="training: max_epochs must be a whole number"):
        fit_project(project)


@pytest.mark.parametrize("name, value", [("lookback", "12"), ("lookback", 12.5),
                                         ("horizon", "1"), ("period", "12")])
def test_a_fit_from_python_refuses_a_window_setting_it_would_round(project_file, name, value):
    """A lookback, horizon or period set in Python to text or a fraction is named, not
    rounded by the check and then failing (or used) inside the fit."""
    project = load_project(project_file)
    setattr(project.data.config, name, value)
    with pytest.raises(EngineError, match=rf"data\.config: {name} must be a whole number of "
                                          rf"at least [01]; got {value!r}\."):
        fit_project(project)


def test_what_the_loader_refuses_is_not_saved(project_file, tmp_path):
    project = load_project(project_file)
    save_project(project, tmp_path / "p.json")
    before = (tmp_path / "p.json").read_bytes()
    project.architecture.cell = "gruu"
    with pytest.raises(EngineError, match="Unknown cell type 'gruu'"):
        save_project(project, tmp_path / "p.json")
    assert (tmp_path / "p.json").read_bytes() == before


def test_unknown_keys_are_kept_on_loading_and_named_by_a_fit(document, project_file, tmp_path):
    document["architecture"]["units"] = 8
    path = write(project_file.parent, document)
    assert load_project(path).architecture.extra["units"] == 8
    status, err = fit(path, tmp_path / "m.npz")
    assert status == 1 and "Unknown architecture setting(s) units" in err


def test_unknown_data_set_settings_are_refused_on_loading(document, tmp_path):
    document["data"]["config"]["lookbak"] = 12
    with pytest.raises(EngineError, match="data.config: Unknown key.*'lookbak' in the data-set "
                                          "settings; the keys are: format, version, csv"):
        load_project(write(tmp_path, document))


@pytest.mark.parametrize("change, message", [
    ({"name": None}, "has no project name"),
    ({"format_version": 2}, "newer version"),
    ({"format_version": "1"}, "format version '1' is not a whole number"),
    ({"format": "rnn-studio-model"}, "does not name the format"),
])
def test_missing_keys_and_wrong_versions(document, tmp_path, change, message):
    document.update(change)
    document = {key: value for key, value in document.items() if value is not None}
    with pytest.raises(EngineError, match=message):
        load_project(write(tmp_path, document))


def test_a_variable_that_is_not_a_column_is_named_by_a_fit(document, project_file, tmp_path):
    document["data"]["config"]["variables"][0]["name"] = "date"
    status, err = fit(write(project_file.parent, document), tmp_path / "m.npz")
    assert status == 1 and "Unknown column 'date'; the file's columns are" in err
