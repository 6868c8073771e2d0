"""A command line whose files would replace one another is refused before any work: fit's
project over its model (``--out model.json`` puts the project beside it under the same
name), a project over the data file, a model or a report over the files they read."""


import pytest

from engine.cli.written_files import same_file
from helpers.many_series import monthly_csv
from helpers.command_line import run

FAST = ["--epochs", "2", "--members", "1"]


@pytest.fixture
def no_training(monkeypatch):
    """Any trial fit, training or global fit fails the test."""
    import engine.many.choosing as choosing
    import engine.training.automatic as automatic
    import engine.training.fitting as fitting

    def trained(*args, **kwargs):
        pytest.fail("a network was trained")

    monkeypatch.setattr(automatic, "automatic_project", trained)
    monkeypatch.setattr(fitting, "fit_project", trained)
    monkeypatch.setattr(choosing, "fit_chosen", trained)


def _refused(argv, *words):
    status, out, err = run(*argv)
    assert status == 1 and out == "" and err.count("\n") == 1, (argv, err)
    for word in words:
        assert word in err, (word, err)
    return err


def test_a_model_named_as_its_project_is_refused_before_training(seasonal_csv, tmp_path,
                                                                 no_training):
    model = tmp_path / "model.json"
    err = _refused(["fit", seasonal_csv, "--target", "y", *FAST, "--out", model],
                   "--out names the model file", f"such as {tmp_path / 'model.npz'}",
                   f"written beside it as {model}.")
    assert "both would be" in err
    for same in ("p.json", "p.npz"):
        path = tmp_path / same
        err = _refused(["fit", seasonal_csv, "--target", "y", *FAST, "--project", path,
                        "--out", path], f"--project and --out both name {path}")
        assert "such as " + str(tmp_path / ("p.npz" if same == "p.json" else "p.model.npz")) \
            in err
    path.write_text("{}")           # an existing file named by both: written, not read
    _refused(["fit", seasonal_csv, "--target", "y", *FAST, "--project", path, "--out", path],
             "--project and --out both name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "p.npz"]


def test_a_project_over_the_data_file_is_refused(seasonal_csv, tmp_path, no_training):
    before = seasonal_csv.read_bytes()
    _refused(["fit", seasonal_csv, "--target", "y", *FAST, "--project", seasonal_csv,
              "--out", tmp_path / "m.npz"], f"--project {seasonal_csv} is the data file "
                                            "this command reads")
    data = tmp_path / "data.json"
    data.write_bytes(before)
    _refused(["fit", data, "--target", "y", *FAST, "--out", tmp_path / "data.npz"],
             "puts the project beside the model", "is the data file this command reads")
    assert seasonal_csv.read_bytes() == before == data.read_bytes()
    assert not list(tmp_path.glob("*.npz"))


@pytest.fixture
def no_reading(monkeypatch):
    """Reading the data file of many series, as series or as a table, fails the test."""
    import engine.data
    import engine.many.series_data as series_data

    def read(*args, **kwargs):
        pytest.fail("the data file was read")

    monkeypatch.setattr(series_data, "load_series", read)
    monkeypatch.setattr(engine.data, "load_table", read)


def test_many_series_fit_refuses_a_model_named_as_its_project(tmp_path, no_training,
                                                              no_reading):
    """Before the data file is read (a big file takes long to read): the refusal follows
    from the command line alone."""
    data = monthly_csv(tmp_path / "long.csv", {"A": (40, "2020-01-01"),
                                               "B": (36, "2020-03-01")})
    flags = ["fit", data, "--series", "id", "--target", "y", "--test-last", "6",
             "--hidden", "4", "--epochs", "2"]
    _refused([*flags, "--out", tmp_path / "model.json"], "--out names the model file")
    _refused([*flags, "--project", tmp_path / "p.json", "--out", tmp_path / "p.json"],
             "--project and --out both name")
    _refused([*flags, "--project", data, "--out", tmp_path / "m.npz"],
             "is the data file this command reads")
    _refused([*flags, "--static", "id", "--project", tmp_path / "q.json", "--out",
              tmp_path / "q.npz"], "--project: the series column 'id' is read as a static")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.csv"]


def test_outputs_over_the_files_a_project_reads_are_refused(seasonal_csv, tmp_path):
    model, project = tmp_path / "m.npz", tmp_path / "m.json"
    status, _, err = run("fit", seasonal_csv, "--target", "y", *FAST, "--out", model)
    assert status == 0, err
    data, trained = seasonal_csv.read_bytes(), model.read_bytes()
    _refused(["fit", "--project", project, "--out", seasonal_csv],
             f"--out {seasonal_csv} is the data file this command reads")
    _refused(["report", project, "--out", seasonal_csv], "is the data file this command reads")
    _refused(["report", project, "--out", model], "is the model file this command reads")
    assert seasonal_csv.read_bytes() == data and model.read_bytes() == trained


def test_same_file_compares_paths_not_yet_written(tmp_path):
    assert same_file(tmp_path / "a" / ".." / "m.json", tmp_path / "m.json")
    assert not same_file(tmp_path / "m.json", tmp_path / "m.npz")
    (tmp_path / "m.json").write_text("{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "m.json")
    assert same_file(tmp_path / "link.json", tmp_path / "m.json")
