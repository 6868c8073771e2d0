"""The project document: equal after saving and opening, relative paths, migrations, and a
clear EngineError for files that are not projects."""

import json
import re
import shutil

import pytest

import engine
from engine.errors import EngineError
from engine.project.checks import checked_data
from engine.project.sections import Results, SelectionSection, TrainingChoices
from engine.project.document import (FORMAT_VERSION, KNOWN_KEYS, MIGRATIONS, Project,
                                     load_project, new_project, new_project_path,
                                     project_file_name, save_project, stored_path)

DATA_CONFIG = {"lookback": 12, "horizon": 1,
               "csv": {"delimiter": ",", "decimal": ".", "time_column": "month"},
               "variables": [{"name": "month", "role": "time", "type": "datetime"},
                             {"name": "passengers", "role": "target"}],
               "split": {"fractions": [0.7, 0.15, 0.15]}}


def full_project(folder):
    """A project with every section filled, its data file in ``folder/data``."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "airline.csv").write_text("month,passengers\n1949-01,112\n")
    project = new_project("Airline passengers", folder, "Monthly totals, 1949-1960")
    project.data = checked_data({"config": dict(DATA_CONFIG)})     # as a file holds it
    project.set_data_file(folder / "data" / "airline.csv")
    project.architecture.cell, project.architecture.hidden_sizes = "lstm", [16, 8]
    project.training = TrainingChoices(optimizer="adam", learning_rate=0.003, max_epochs=500)
    project.selection = SelectionSection(settings={"seeds": 5},
                                         summary={"best": {"hidden_sizes": [16]}})
    project.results = Results(extra={"test_rmse": 18.5, "stop_reason": "patience"})
    project.set_model_file(folder / "model.npz")
    return project


def test_new_project_has_every_section_and_checks_the_name(tmp_path):
    project = new_project("  Demand ", tmp_path)
    assert project.name == "Demand" and project.folder == tmp_path
    assert project.data.to_dict() == {"path": None, "config": {}} and project.data_file() is None
    assert project.architecture.cell == "gru" and project.model_file() is None
    for name in ("", "   ", None):
        with pytest.raises(EngineError, match="needs a name"):
            new_project(name, tmp_path)


def test_saving_and_opening_gives_the_same_project(tmp_path):
    project = full_project(tmp_path)
    path = save_project(project, tmp_path / "airline.json")
    loaded = load_project(path)
    assert loaded == project
    assert loaded.saved_with == engine.__version__ and loaded.loaded_version == FORMAT_VERSION
    assert loaded.data_file() == tmp_path / "data" / "airline.csv"
    assert loaded.model_file() == tmp_path / "model.npz"
    assert loaded != new_project("Airline passengers", tmp_path)       # equality can fail


def test_the_file_is_pretty_stable_json_with_relative_paths(tmp_path):
    path = save_project(full_project(tmp_path), tmp_path / "airline.json")
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(document) == list(KNOWN_KEYS)
    assert text.startswith('{\n  "format": "rnn-studio-project",\n  "format_version": 1,')
    assert text.endswith("}\n")
    assert document["data"]["path"] == "data/airline.csv"
    assert document["model"]["path"] == "model.npz"
    assert list(document["data"]["config"]) == list(DATA_CONFIG)      # order kept
    save_project(load_project(path), tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_moving_the_folder_with_its_data_keeps_working(tmp_path):
    save_project(full_project(tmp_path / "old"), tmp_path / "old" / "p.json")
    shutil.move(tmp_path / "old", tmp_path / "moved")
    loaded = load_project(tmp_path / "moved" / "p.json")
    assert loaded.folder == tmp_path / "moved"
    assert loaded.data_file() == tmp_path / "moved" / "data" / "airline.csv"
    assert loaded.data_file().read_text().startswith("month,passengers")


def test_a_data_file_outside_the_folder_is_stored_absolute(tmp_path):
    outside = tmp_path / "shared" / "sunspots.csv"
    outside.parent.mkdir()
    outside.write_text("year,spots\n")
    project = new_project("Sunspots", tmp_path / "project")
    (tmp_path / "project").mkdir()
    project.set_data_file(outside)
    save_project(project, tmp_path / "project" / "s.json")
    document = json.loads((tmp_path / "project" / "s.json").read_text())
    assert document["data"]["path"] == str(outside)
    shutil.move(tmp_path / "project", tmp_path / "elsewhere")
    assert load_project(tmp_path / "elsewhere" / "s.json").data_file() == outside


def test_save_as_into_another_folder_keeps_pointing_at_the_same_files(tmp_path):
    project = full_project(tmp_path / "a")
    (tmp_path / "b").mkdir()
    save_project(project, tmp_path / "b" / "copy.json")
    assert project.folder == tmp_path / "b"
    loaded = load_project(tmp_path / "b" / "copy.json")
    assert loaded.data_file() == tmp_path / "a" / "data" / "airline.csv"
    assert loaded.model_file() == tmp_path / "a" / "model.npz"
    assert loaded == project


def test_a_save_as_that_fails_leaves_the_project_where_it_was(tmp_path):
    """A folder that cannot be written to: the project still points at its own folder
    and files (a failed Save As used to move it there, and the next training failed)."""
    project = full_project(tmp_path / "a")
    before = (project.folder, project.data_file(), project.model_file())
    (tmp_path / "blocker").write_text("a file, not a folder")
    with pytest.raises(EngineError, match="Could not save"):
        save_project(project, tmp_path / "blocker" / "sub" / "copy.json")
    assert (project.folder, project.data_file(), project.model_file()) == before


def test_stored_path_rules(tmp_path):
    assert stored_path(tmp_path / "d" / "x.csv", tmp_path) == "d/x.csv"
    assert stored_path("d/../x.csv", tmp_path) == "x.csv"
    assert stored_path(tmp_path.parent / "x.csv", tmp_path) == str(tmp_path.parent / "x.csv")
    assert stored_path(str(tmp_path) + "-other/x.csv", tmp_path) == str(tmp_path) + "-other/x.csv"


def test_unknown_keys_from_a_newer_revision_are_kept(tmp_path):
    path = save_project(full_project(tmp_path), tmp_path / "p.json")
    document = json.loads(path.read_text())
    document["deployment"] = {"target": "onnx"}
    document["data"]["sheet"] = "Sheet1"
    document["training"]["warmup_epochs"] = 3
    path.write_text(json.dumps(document))
    loaded = load_project(path)
    assert loaded.extra == {"deployment": {"target": "onnx"}}
    save_project(loaded, path)
    again = json.loads(path.read_text())
    assert again["deployment"] == {"target": "onnx"}
    assert again["data"]["sheet"] == "Sheet1" and again["training"]["warmup_epochs"] == 3
    assert load_project(path) == loaded


def test_non_finite_results_are_written_as_null(tmp_path):
    project = new_project("P", tmp_path)
    project.results = Results(extra={"r2": float("nan"), "max_error": float("inf")})
    path = save_project(project, tmp_path / "p.json")

    def refuse(constant):
        raise AssertionError(f"non-standard JSON constant {constant}")

    document = json.loads(path.read_text(), parse_constant=refuse)
    assert document["results"] == {"r2": None, "max_error": None}


def test_a_failed_save_keeps_the_previous_file(tmp_path):
    project = full_project(tmp_path)
    path = save_project(project, tmp_path / "p.json")
    before = path.read_bytes()
    project.training.extra["callback"] = print
    with pytest.raises(EngineError, match=r"project\['training'\]\['callback'\]"):
        save_project(project, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "p.json"]


def test_project_file_name_is_safe():
    assert project_file_name("Airline passengers / 2024") == "Airline-passengers---2024.json"
    assert project_file_name("...") == "project.json"


def test_a_long_name_gives_a_file_name_the_file_system_takes(tmp_path):
    """A name of 300 letters made a file name over the 255-byte limit: the project could
    not be created, its folder blamed ("File name too long")."""
    for name in ("x" * 300, "ü" * 300, "a" * 119 + "-" * 10 + "b"):
        file_name = project_file_name(name)
        assert len(file_name.encode()) <= 120 + len(".json")
        assert not file_name[:-len(".json")].endswith(("-", "."))
        path = new_project_path(name, tmp_path)
        save_project(new_project(name, tmp_path), path)
        (tmp_path / (path.stem + ".model.npz")).write_bytes(b"")
        assert load_project(path).name == name


def test_the_folder_of_a_new_project_is_checked_before_anything_is_written(
        tmp_path, monkeypatch):
    """An empty folder wrote the project into the program's working folder, a relative
    one below it, ``~`` made a folder named ``~`` there; a file in the folder's place was
    "File exists"."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for folder, message in (("", "Choose the folder for the project"),
                            ("  ", "Choose the folder for the project"),
                            ("projects", "The folder 'projects' is no full path; give the "
                             f"whole path, e.g. {tmp_path / 'home' / 'projects'}")):
        with pytest.raises(EngineError, match=re.escape(message)):
            new_project_path("Load", folder)
    assert list(tmp_path.iterdir()) == []
    path = new_project_path("Load", "~/RNN Studio")
    assert path == tmp_path / "home" / "RNN Studio" / "Load.json" and path.parent.is_dir()
    (tmp_path / "taken").write_text("a file")
    with pytest.raises(EngineError, match="taken is a file, not a folder; choose a folder"):
        new_project_path("Load", tmp_path / "taken")
    save_project(new_project("Load", path.parent), path)
    with pytest.raises(EngineError, match="There is already a project file Load.json"):
        new_project_path("Load", path.parent)


# -- migration -------------------------------------------------------------------------------

def prototype_document(folder, csv_path, model_path):
    """A version-0 document as the prototype wrote it."""
    return {
        "app": "rnn-studio-prototype",
        "version": 0,
        "project_name": "Airline passengers",
        "notes": "from the prototype",
        "csv_path": str(csv_path),
        "dataset": {"lookback": 12, "target": "passengers"},
        "network": {"cell_type": "GRU", "units": 24, "activation": "tanh"},
        "train_settings": {"epochs": 300, "lr": 0.01, "batch": 16, "shuffle": False},
        "model_file": None if model_path is None else str(model_path),
    }


def test_every_older_version_has_a_migration():
    assert sorted(MIGRATIONS) == list(range(FORMAT_VERSION))


def test_a_version_0_document_is_migrated_to_the_current_version(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(prototype_document(
        tmp_path, tmp_path / "data" / "airline.csv", tmp_path / "model.npz"), indent=4))
    project = load_project(path)
    assert project.loaded_version == 0
    assert project.name == "Airline passengers" and project.description == "from the prototype"
    assert project.data.to_dict() == {"path": "data/airline.csv",
                            "config": {"lookback": 12, "variables": [
                                {"name": "passengers", "role": "input_target"}]}}
    assert project.model.to_dict() == {"path": "model.npz"}
    assert project.architecture.cell == "gru"
    assert project.architecture.hidden_sizes == [24]
    assert project.training.to_dict() == {"max_epochs": 300, "learning_rate": 0.01,
                                          "batch_size": 16, "shuffle": False}
    save_project(project, path)
    document = json.loads(path.read_text())
    assert document["format"] == "rnn-studio-project"
    assert document["format_version"] == FORMAT_VERSION
    assert "csv_path" not in document and "project_name" not in document
    assert load_project(path) == project


def test_a_migrated_path_outside_the_folder_stays_absolute(tmp_path):
    csv_path = tmp_path.parent / "elsewhere" / "airline.csv"
    (tmp_path / "p").mkdir()
    path = tmp_path / "p" / "old.json"
    path.write_text(json.dumps(prototype_document(tmp_path, csv_path, None)))
    project = load_project(path)
    assert project.data.path == str(csv_path) and project.data_file() == csv_path
    assert project.model_file() is None


def test_a_newer_version_asks_for_an_update(tmp_path):
    path = save_project(new_project("P", tmp_path), tmp_path / "p.json")
    document = json.loads(path.read_text())
    document["format_version"] = FORMAT_VERSION + 1
    document["saved_with"] = "3.0.0"
    path.write_text(json.dumps(document))
    with pytest.raises(EngineError, match="made by a newer version of RNN Studio 3.0.0.*"
                                          "Update RNN Studio to open it"):
        load_project(path)


# -- files that are not projects -------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"  \n", "is empty"),
    (b"\x00\x01\x02\xff binary", "binary file"),
    (b"\xff\xfe\xfa not utf-8", "not UTF-8 text"),
    (b"PK\x03\x04rest of a zip", "zip archive"),
    (b"month,passengers\n1949-01,112\n", r"not valid JSON \(Expecting value at line 1"),
    (b'{"format": "rnn-studio-project", ', "not valid JSON"),
    (b"[1, 2, 3]", "not a JSON object"),
    (b'{"name": "x"}', "does not name the format"),
    (b'{"format": "rnn-studio-model", "format_version": 1}', "does not name the format"),
])
def test_files_that_are_not_projects(tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_bytes(content)
    with pytest.raises(EngineError, match=message):
        load_project(path)


@pytest.mark.parametrize("change, message", [
    ({"format_version": "1"}, "format version '1' is not a whole number"),
    ({"name": None}, "has no project name"),
    ({"training": [1]}, "section 'training' is not a JSON object"),
    ({"data": {"path": 3, "config": {}}}, "data.path is not text"),
    ({"data": {"path": None, "config": []}}, "data.config is not a JSON object"),
])
def test_damaged_documents(tmp_path, change, message):
    path = save_project(new_project("P", tmp_path), tmp_path / "p.json")
    document = {**json.loads(path.read_text()), **change}
    path.write_text(json.dumps(document))
    with pytest.raises(EngineError, match=message):
        load_project(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(EngineError, match="There is no project file at .*nothing.json"):
        load_project(tmp_path / "nothing.json")
    with pytest.raises(EngineError, match="is a folder"):
        load_project(tmp_path)


def test_a_model_file_is_not_taken_for_a_project(tmp_path):
    from engine import RecurrentNetwork
    from engine.data import FittedPreprocessing
    from engine.model.model_file import save_model

    series = {"name": "y", "role": "input_target", "type": "numeric", "scaler": None}
    preprocessing = FittedPreprocessing([series], lookback=3, horizon=1).to_dict()
    save_model(tmp_path / "model.npz", RecurrentNetwork(hidden_sizes=[2]), preprocessing)
    with pytest.raises(EngineError, match="zip archive .a model file"):
        load_project(tmp_path / "model.npz")


def test_project_equality_sees_each_section(tmp_path):
    base = full_project(tmp_path)
    for section in ("data", "architecture", "training", "selection", "results", "model"):
        other = full_project(tmp_path)
        getattr(other, section).extra["changed"] = True
        assert other != base
    assert Project(name="x", folder=tmp_path) != Project(name="x", folder=tmp_path / "y")


def test_whether_the_units_were_set_by_hand_is_kept_and_an_older_file_stays_as_it_was(
        tmp_path):
    from engine.project.model_status import settings_fingerprint

    project = full_project(tmp_path)
    path = save_project(project, tmp_path / "airline.json")
    older = path.read_bytes()
    assert b"units_by_hand" not in older                   # not known: not written
    before = settings_fingerprint(project)
    for by_hand in (True, False):
        project.architecture.units_by_hand = by_hand
        save_project(project, path)
        assert json.loads(path.read_text())["architecture"]["units_by_hand"] is by_hand
        assert load_project(path).architecture.units_by_hand is by_hand
        assert settings_fingerprint(project) == before     # a record, not a setting
        assert "units_by_hand" not in project.architecture.to_dict()    # none for a fit
    path.write_bytes(older)
    assert load_project(path).architecture.units_by_hand is None
    save_project(load_project(path), path)
    assert path.read_bytes() == older
    document = json.loads(older)
    document["architecture"]["units_by_hand"] = "yes"
    path.write_text(json.dumps(document))
    with pytest.raises(EngineError, match="units_by_hand must be true, false or null"):
        load_project(path)
