"""A project's sections are typed records, parsed and checked once when it is opened, and
written back to the same bytes."""

import hashlib
import json
import shutil

import pytest

from engine.data.config import DatasetConfig
from engine.errors import EngineError
from engine.network.architecture import ARCHITECTURE_KEYS, Architecture
from engine.project.document import load_project, save_project
from engine.project.sections import (AUTOMATIC, DataSection, ModelSection, Results,
                                     SelectionSection, TrainingChoices)
from engine.training.automatic import AutomaticChoices, automatic_project
from helpers.examples import EXAMPLES

EXAMPLE_TARGETS = {"airline_passengers.csv": "passengers", "sunspots_yearly.csv": "sunactivity",
                   "seattle_weather_daily.csv": "temp_max",
                   "appliances_energy_10min.csv": "Appliances", "us_macro_quarterly.csv": "unemp"}


def example_project_file(folder, name):
    """The automatic project of the example ``name`` saved in ``folder`` (with its data)."""
    data = folder / name
    shutil.copyfile(EXAMPLES / name, data)
    project, _ = automatic_project(AutomaticChoices(data, [EXAMPLE_TARGETS[name]], folder=folder))
    return save_project(project, folder / "project.json")


def prototype_file(folder):
    """A version-0 (prototype) project file."""
    path = folder / "old.json"
    path.write_text(json.dumps({
        "app": "rnn-studio-prototype", "version": 0, "project_name": "Old",
        "csv_path": str(folder / "series.csv"), "dataset": {"lookback": 6, "target": "y"},
        "network": {"cell_type": "LSTM", "units": [8, 4]},
        "train_settings": {"epochs": 40, "lr": 0.01, "batch": 8, "patience": None},
        "model_file": None}))
    return path


def test_a_loaded_project_has_typed_sections(tmp_path):
    project = load_project(example_project_file(tmp_path, "airline_passengers.csv"))
    assert isinstance(project.data, DataSection)
    assert isinstance(project.data.config, DatasetConfig)
    assert project.data.config.lookback == 12 and project.data.path == "airline_passengers.csv"
    assert isinstance(project.architecture, Architecture)
    assert project.architecture.cell == "gru" and project.architecture.hidden_sizes == [32]
    assert isinstance(project.training, TrainingChoices)
    assert project.training.max_epochs is AUTOMATIC and project.training.to_dict() == {}
    assert isinstance(project.selection, SelectionSection)
    assert project.selection.settings["choose_target_transform"] is True
    assert isinstance(project.results, Results) and project.results.training is None
    assert isinstance(project.model, ModelSection) and project.model.path is None


def test_a_setting_of_none_is_a_choice_and_an_absent_one_automatic(tmp_path):
    project = load_project(prototype_file(tmp_path))
    assert project.training.patience is None                      # no early stopping
    assert project.training.clip_norm is AUTOMATIC
    assert project.training.to_dict() == {"max_epochs": 40, "learning_rate": 0.01,
                                          "batch_size": 8, "patience": None}
    project.training.unset("patience")
    assert "patience" not in project.training.to_dict()


def test_the_architecture_keys_are_defined_once():
    from engine.model.header import LINEAR_PATH_DEFAULTS, NETWORK_KEYS
    from engine.training.run import ARCHITECTURE_KEYS as RUN_KEYS

    assert ARCHITECTURE_KEYS == ("cell", "hidden_sizes", "activation", "dtype", "seed",
                                 "linear_path")
    assert RUN_KEYS is ARCHITECTURE_KEYS
    assert set(NETWORK_KEYS) | set(LINEAR_PATH_DEFAULTS) == \
        set(ARCHITECTURE_KEYS) | {"n_inputs", "n_outputs", "lookback"}
    assert list(Architecture().to_dict()) == list(ARCHITECTURE_KEYS)


def test_linear_path_in_a_project_file(tmp_path):
    """Absent: false (and a model fitted before the setting existed stays up to date);
    true is kept; anything but true or false is refused with its name."""
    from engine.errors import EngineError
    from engine.project.checks import checked_architecture
    from engine.project.model_status import settings_fingerprint

    assert checked_architecture({"cell": "gru"}).linear_path is False
    assert checked_architecture({"linear_path": True}).to_dict()["linear_path"] is True
    with pytest.raises(EngineError, match="linear_path must be true or false"):
        checked_architecture({"linear_path": "yes"})
    path = example_project_file(tmp_path, "airline_passengers.csv")
    data = json.loads(path.read_text())
    assert data["architecture"]["linear_path"] is True       # new projects have it
    del data["architecture"]["linear_path"]          # a file written before the setting
    path.write_text(json.dumps(data))
    project = load_project(path)
    assert project.architecture.linear_path is False
    old = {"data": project.data.to_dict(), "training": project.training.to_dict(),
           "architecture": data["architecture"]}  # the fingerprint as it was computed then
    text = json.dumps(old, sort_keys=True, default=str)
    then = hashlib.sha256(text.encode()).hexdigest()[:16]
    assert settings_fingerprint(project, version=1) == then
    project.architecture.linear_path = True
    assert settings_fingerprint(project) != hashlib.sha256(text.encode()).hexdigest()[:16]
    save_project(project, path)
    assert load_project(path).architecture.linear_path is True


def test_a_wrong_value_is_named_once_when_the_project_is_opened(tmp_path, monkeypatch):
    path = example_project_file(tmp_path, "airline_passengers.csv")
    parsed = []
    parse = DatasetConfig.from_dict.__func__
    monkeypatch.setattr(DatasetConfig, "from_dict",
                        classmethod(lambda cls, data: parsed.append(1) or parse(cls, data)))
    project = load_project(path)
    assert len(parsed) == 1                                      # parsed once, on opening
    project.table()
    project.dataset_config()
    assert len(parsed) == 1                                      # and not again to use it
    document = json.loads(path.read_text())
    document["architecture"]["activation"] = "sigmoid"
    path.write_text(json.dumps(document))
    with pytest.raises(EngineError) as caught:
        load_project(path)
    message = str(caught.value)
    assert message.count("has a wrong setting") == 1 and message.count("sigmoid") == 1
    assert "in architecture" in message and "\n" not in message


@pytest.mark.parametrize("name", sorted(EXAMPLE_TARGETS))
def test_every_example_project_saves_to_the_same_bytes(tmp_path, name):
    path = example_project_file(tmp_path, name)
    first = path.read_bytes()
    loaded = load_project(path)
    save_project(loaded, path)
    assert path.read_bytes() == first
    assert load_project(path) == loaded


def test_a_version_0_document_saves_to_the_same_bytes_once_migrated(tmp_path):
    path = prototype_file(tmp_path)
    project = load_project(path)
    assert project.loaded_version == 0
    assert project.data.config == DatasetConfig.from_dict(
        {"lookback": 6, "variables": [{"name": "y", "role": "input_target"}]})
    save_project(project, path)
    first = path.read_bytes()
    again = load_project(path)
    assert again == project
    save_project(again, path)
    assert path.read_bytes() == first
    assert json.loads(first)["data"]["config"] == {
        "lookback": 6, "variables": [{"name": "y", "role": "input_target"}]}   # as read


def test_a_changed_config_is_written_whole(tmp_path):
    path = prototype_file(tmp_path)
    project = load_project(path)
    project.data.config.lookback = 9
    save_project(project, path)
    stored = json.loads(path.read_text())["data"]["config"]
    assert stored == project.data.config.to_dict() and stored["lookback"] == 9


def test_the_settings_of_many_series_typed_are_kept_and_a_file_without_them_typed_none(
        tmp_path):
    """The data section keeps which of the steps ahead and lookback the person typed
    (``typed``); a file without the key typed none and is written back without it, and a
    value that is not a list of names is refused, naming what it should hold."""
    path = example_project_file(tmp_path, "airline_passengers.csv")
    before = path.read_bytes()
    project = load_project(path)
    assert project.data.typed == [] and "typed" not in project.data.to_dict()
    assert save_project(project, path).read_bytes() == before
    project.data.typed = ["lookback", "horizon"]
    save_project(project, path)
    assert json.loads(path.read_text())["data"]["typed"] == ["lookback", "horizon"]
    assert load_project(path).data.typed == ["lookback", "horizon"]
    document = json.loads(path.read_text())
    document["data"]["typed"] = "horizon"
    path.write_text(json.dumps(document))
    with pytest.raises(EngineError, match="typed must list the names of the settings typed "
                                          "by hand, such as horizon, lookback") as caught:
        load_project(path)
    # named by the field the file holds: it was "a wrong setting in data.config"
    assert "has a wrong setting in data.typed: typed must list" in str(caught.value)
    document["data"]["typed"] = [["horizon"]]     # unhashable: a TypeError of set()
    path.write_text(json.dumps(document))
    with pytest.raises(EngineError, match="has a wrong setting in data.typed: typed must "
                                          "list .*; got \\[\\['horizon'\\]\\]"):
        load_project(path)


def test_a_setting_typed_in_a_later_version_is_kept_as_the_file_has_it(tmp_path):
    """A project from a later version that records another setting as typed opens, and
    saving it gives the same bytes (the list as the file has it, a name twice included),
    as the sections keep keys they do not know; a name typed here is added after."""
    path = example_project_file(tmp_path, "airline_passengers.csv")
    document = json.loads(path.read_text())
    document["data"]["typed"] = ["season", "lookback", "season"]
    path.write_text(json.dumps(document))
    project = load_project(path)
    assert project.data.typed == ["season", "lookback", "season"]
    before = save_project(project, path).read_bytes()
    assert json.loads(before)["data"]["typed"] == ["season", "lookback", "season"]
    assert save_project(load_project(path), path).read_bytes() == before
    project.data.typed = [*project.data.typed, "horizon"]
    save_project(project, path)
    assert json.loads(path.read_text())["data"]["typed"] == ["season", "lookback", "season",
                                                             "horizon"]


def test_which_settings_were_typed_is_no_setting_a_model_depends_on(tmp_path):
    """A value typed and typed back leaves the model as current as before: ``typed``
    records how the page got its values, and the fingerprint of what a model depends on
    leaves it out."""
    from engine.project.model_status import settings_fingerprint

    project = load_project(example_project_file(tmp_path, "airline_passengers.csv"))
    fingerprint = settings_fingerprint(project)
    project.data.typed = ["horizon"]
    assert settings_fingerprint(project) == fingerprint
    project.data.config.lookback += 1
    assert settings_fingerprint(project) != fingerprint
