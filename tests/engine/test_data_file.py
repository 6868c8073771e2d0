"""The record of the data file a model was trained on, and the sentence when it changed."""

from engine.data import load_table
from engine.data.data_file import changed_since, file_digest, file_record
from engine.project.model_status import data_change
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project, record_fit


def test_the_digest_follows_the_bytes(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("t,y\n1,2\n", encoding="utf-8")
    first = file_digest(path)
    assert len(first) == 16 and file_digest(path) == first
    path.write_text("t,y\n1,3\n", encoding="utf-8")          # same size, other bytes
    assert file_digest(path) != first
    assert file_digest(tmp_path / "missing.csv") is None


def test_a_fit_records_the_file_and_a_change_is_said(seasonal_csv):
    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"],
                                                    test_from="2019-01-01", max_epochs=1,
                                                    lookback=4))
    project.selection.settings = {}
    record_fit(project, fit_project(project))
    record = project.results.training["data_file"]
    assert record == file_record(load_table(seasonal_csv))
    assert data_change(project) is None
    with open(seasonal_csv, "a", encoding="utf-8") as handle:
        handle.write("2021-01-01,5.0\n")
    sentence = data_change(project)
    assert sentence.startswith(f"The data file {seasonal_csv.name} has changed since the "
                               f"model was trained on it ({record['rows']} rows then)")
    assert changed_since(None, seasonal_csv) is None
    seasonal_csv.unlink()
    assert data_change(project) is None                 # a missing file is said elsewhere
