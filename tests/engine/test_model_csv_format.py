"""A model reads its data file as its project did: the CSV format corrected in the import
dialog (a delimiter, decimal mark or thousands separator that detection gets wrong) is kept
in the model file, and what detection gets right is left to detection."""

import numpy as np
import pandas as pd

from engine.data import default_config, load_table
from engine.data.csv_reader import CsvOptions, format_corrections
from engine.model.model_file import load_model
from engine.project.document import new_project
from engine.training.fitting import fit_project, save_fit

US_THOUSANDS = CsvOptions(delimiter=";", decimal=".", thousands=",")


def us_thousands_csv(path, rows=48):
    """Semicolons with US thousands groups ("2,005"): detection reads a decimal comma."""
    sales = 2000 + 40 * np.sin(np.arange(rows) / 2.0) + 10 * np.arange(rows)
    lines = ["month;sales"] + [f"{month.date()};{int(value):,}" for month, value in
                               zip(pd.date_range("2015-01-01", periods=rows, freq="MS"),
                                   sales)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, sales.astype(int)


def test_only_the_corrections_of_detection_are_kept(tmp_path):
    path, _ = us_thousands_csv(tmp_path / "sales.csv")
    assert format_corrections(load_table(path).options, path) == {}
    corrected = load_table(path, US_THOUSANDS).options
    assert format_corrections(corrected, path) == {"decimal": ".", "thousands": ","}
    assert format_corrections(corrected, None) == {}


def test_a_model_reads_its_file_with_the_projects_corrections(tmp_path):
    path, sales = us_thousands_csv(tmp_path / "sales.csv")
    table = load_table(path, US_THOUSANDS)
    project = new_project("Sales", tmp_path)
    project.set_data_file(path)
    project.data.config = default_config(table, ["sales"], lookback=3)
    project.training.max_epochs = 1
    save_fit(fit_project(project), tmp_path / "sales.model.npz")
    model = load_model(tmp_path / "sales.model.npz")
    assert model.metadata["csv"] == {"decimal": ".", "thousands": ","}
    np.testing.assert_array_equal(model.read_csv(path)["sales"], sales)


def test_a_model_of_many_series_reads_its_file_with_the_corrections(tmp_path):
    from engine.many.series_data import series_for_model
    from engine.many.project_fit import many_series_config, train_many_project
    from helpers.many_series import long_frame, seasonal

    series = {name: np.round(seasonal(60, level=3000 * (k + 1), seed=k))
              for k, name in enumerate("AB")}
    frame = long_frame(series)
    path = tmp_path / "long.csv"
    lines = ["id;y"] + [f"{row.id};{int(row.y):,}" for row in frame.itertuples()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = new_project("many", tmp_path)
    project.set_data_file(path)
    project.data.config, _ = many_series_config(load_table(path, US_THOUSANDS), "id", ["y"])
    project.architecture.hidden_sizes = [4]
    project.training.max_epochs = 1
    _, model_path = train_many_project(project, model_path=tmp_path / "m.npz")
    from engine.many.model_file import load_global_model

    data = series_for_model(load_global_model(model_path), path)
    np.testing.assert_array_equal(data.history(data.ids.index("A")), series["A"])
