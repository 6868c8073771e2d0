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


def sales_model(folder, table):
    """The model of a project of ``table`` (read from its file, column ``sales``) fitted
    for an epoch, as loaded from its model file."""
    project = new_project("Sales", folder)
    project.set_data_file(table.path)
    project.data.config = default_config(table, ["sales"], lookback=3)
    project.training.max_epochs = 1
    save_fit(fit_project(project), folder / "sales.model.npz")
    return load_model(folder / "sales.model.npz")


def test_only_the_corrections_of_detection_are_kept(tmp_path):
    path, _ = us_thousands_csv(tmp_path / "sales.csv")
    assert format_corrections(load_table(path).options, path) == {}
    corrected = load_table(path, US_THOUSANDS).options
    assert format_corrections(corrected, path) == {"decimal": ".", "thousands": ","}
    assert format_corrections(corrected, None) == {}


def test_a_model_reads_its_file_with_the_projects_corrections(tmp_path):
    path, sales = us_thousands_csv(tmp_path / "sales.csv")
    model = sales_model(tmp_path, load_table(path, US_THOUSANDS))
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


def european_csv(path, values, header="month;sales", decimals=1):
    """Monthly values written as a German spreadsheet writes them: ``1.100,6`` (thousands
    points, a decimal comma), or ``1.101`` with ``decimals=0`` (numbers that read both
    ways: a thousands group, or three decimals)."""
    def text(value):
        us = f"{value:,.{decimals}f}"
        return us.replace(",", " ").replace(".", ",").replace(" ", ".")
    months = pd.date_range("2015-01-01", periods=len(values), freq="MS")
    lines = [header] + [f"{m.date()};{text(v)}" for m, v in zip(months, values)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_numbers_that_read_both_ways_take_the_usual_mark():
    from engine.data.csv_reader import detect_decimal

    both_ways = [["2019-01-01", "1.101"], ["2019-02-01", "1.095"]]
    assert detect_decimal(both_ways) == "."                     # nothing else to go by
    assert detect_decimal(both_ways, usual=",") == ","
    us_both_ways = [["2019-01-01", "1,101"], ["2019-02-01", "1,095"]]
    assert detect_decimal(us_both_ways, usual=".") == "."
    telling = [["2019-01-01", "1101.5"], ["2019-02-01", "1095.25"]]
    assert detect_decimal(telling, usual=",") == "."            # the file tells
    whole = [["2019-01-01", "1101"], ["2019-02-01", "1095"]]
    assert detect_decimal(whole, usual=",") == "."              # no mark: as before
    assert detect_decimal(both_ways, ",", usual=",") == "."     # commas split the fields


def test_a_model_reads_a_later_file_of_whole_thousands_in_its_files_convention(tmp_path):
    """A model trained on ``1.100,6`` read a later export of whole numbers, ``1.101``, as
    1.101: a thousand times smaller, forecast without a word of it."""
    values = 1100 + 50 * np.sin(np.arange(60) * 2 * np.pi / 12)
    path = european_csv(tmp_path / "sales.csv", values)
    table = load_table(path)
    assert (table.options.decimal, table.options.thousands) == (",", ".")
    model = sales_model(tmp_path, table)
    assert model.metadata["csv"] == {} and model.metadata["csv_marks"] == {"decimal": ","}
    later = european_csv(tmp_path / "later.csv", np.round(values), decimals=0)
    np.testing.assert_array_equal(model.read_csv(later)["sales"], np.round(values))
    assert model.csv_options(later).decimal == ","      # forecasts are written alike
    us = tmp_path / "us.csv"                             # a file that tells its marks
    us.write_text("month;sales\n" + "".join(f"2020-{m:02d}-01;{1100 + m}.5\n"
                                            for m in range(1, 7)), encoding="utf-8")
    np.testing.assert_array_equal(model.read_csv(us)["sales"], 1100.5 + np.arange(1, 7))


def test_a_model_of_many_series_reads_a_later_file_in_its_files_convention(tmp_path):
    from engine.cli.main import main
    from engine.many.model_file import load_global_model
    from engine.many.series_data import series_for_model
    from helpers.many_series import seasonal

    series = {name: 1000 + np.abs(seasonal(60, level=300 * (k + 1), seed=k))
              for k, name in enumerate("AB")}

    def write(path, decimals):
        lines = ["id;y"]
        for name, values in series.items():
            for value in (np.round(values) if decimals == 0 else values):
                us = f"{value:,.{decimals}f}"
                lines.append(f"{name};" + us.replace(",", " ").replace(".", ",")
                             .replace(" ", "."))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    trained = write(tmp_path / "long.csv", 1)
    assert main(["fit", str(trained), "--series", "id", "--target", "y", "--test-last", "6",
                 "--members", "1", "--hidden", "4", "--epochs", "1",
                 "--out", str(tmp_path / "m.npz")]) == 0
    model = load_global_model(tmp_path / "m.npz")
    assert model.settings["csv_marks"] == {"decimal": ","}
    data = series_for_model(model, write(tmp_path / "later.csv", 0))
    np.testing.assert_array_equal(data.history(data.ids.index("B")), np.round(series["B"]))


def test_a_model_of_whole_numbers_keeps_no_mark_its_file_did_not_show(tmp_path):
    """A file of whole numbers is read with a decimal point by default; kept as the model's
    mark, it made a later export's 22,813 (a decimal comma) read as 22813."""
    path = tmp_path / "visitors.csv"
    visitors = 15 + np.arange(60) % 11
    path.write_text("day;visitors\n" + "".join(
        f"{day.date()};{v}\n" for day, v in
        zip(pd.date_range("2020-01-01", periods=60), visitors)), encoding="utf-8")
    table = load_table(path)
    project = new_project("Visitors", tmp_path)
    project.set_data_file(path)
    project.data.config = default_config(table, ["visitors"], lookback=3)
    project.training.max_epochs = 1
    save_fit(fit_project(project), tmp_path / "visitors.model.npz")
    model = load_model(tmp_path / "visitors.model.npz")
    assert model.metadata["csv_marks"] == {}
    later = tmp_path / "later.csv"
    later.write_text("day;visitors\n2020-03-01;22,813\n2020-03-02;21,819\n",
                     encoding="utf-8")
    assert model.read_csv(later)["visitors"].tolist() == [22.813, 21.819]
