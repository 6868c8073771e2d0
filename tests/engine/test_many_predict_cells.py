"""``predict`` of a model of many series keeps every cell of the file, as ``predict`` of one
series does: its static and unused columns too, each cell's text as written, the rows in the
file's order (here day by day, the series interleaved), with each row's predictions beside
it; by the engine call and by the command line. ``forecast`` of such a file writes in its
delimiter and decimal mark too."""

import io

import numpy as np
import pandas as pd
import pytest

from engine.cli.main import main
from engine.data.extrapolation import figure
from engine.errors import EngineError
from engine.many.fitting import fit_global
from engine.many.global_model import GlobalSettings
from engine.many.model_file import save_global_model
from engine.many.predicting import prediction_frame, write_predictions
from engine.many.series_data import load_series

SETTINGS = GlobalSettings(hidden_sizes=(4,), max_epochs=2, horizon=2, season=4, lookback=4)


def interleaved_csv(path, rows=24):
    """``day;id;group;note;y``, series ``007`` and ``012`` day by day (their rows
    interleaved), ``group`` one label per series, ``note`` a column no model reads, ``y``
    written with a decimal comma and three decimals."""
    k = np.repeat(np.arange(rows), 2)
    ids = np.tile(["007", "012"], rows)
    y = 10 + (ids == "012") * 5 + np.sin(np.pi * k / 2) + k / 10
    frame = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=rows).repeat(2)
                          .strftime("%Y-%m-%d"),
                          "id": ids, "group": np.where(ids == "007", "north", "south"),
                          "note": [f"n{r}" for r in range(2 * rows)],
                          "y": [f"{v:.3f}".replace(".", ",") for v in y]})
    frame.to_csv(path, sep=";", index=False)
    return path


def read_text(path, sep=";"):
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    path = interleaved_csv(tmp_path_factory.mktemp("cells") / "days.csv")
    data = load_series(path, "id", ["y"], time_column="day", csv_format={"delimiter": ";"})
    model = fit_global(data, SETTINGS)
    model.settings["csv"] = {"delimiter": ";"}
    return path, data, model


def test_predict_of_a_file_keeps_every_cell_in_the_files_order(fitted, tmp_path):
    path, data, model = fitted
    written = write_predictions(model, str(path), tmp_path / "out.csv")
    assert (written.rows, written.series) == (48, 2)
    table, original = read_text(tmp_path / "out.csv"), read_text(path)
    pd.testing.assert_frame_equal(table[list(original.columns)], original)
    assert list(table.columns) == ["day", "id", "group", "note", "y", "y_predicted_1",
                                   "y_predicted_2"]
    # the same predictions as those of the series read, also in the file's row order
    own = prediction_frame(model, data)
    assert list(own["id"][:2]) == ["007", "012"]
    mine = table["y_predicted_1"].str.replace(",", ".").replace("", "nan").astype(float)
    np.testing.assert_allclose(mine, own["y_predicted_1"], rtol=1e-9)
    assert 0 < mine.notna().sum() < 48


def test_the_command_line_keeps_every_cell_too(fitted, tmp_path):
    path, _, model = fitted
    save_global_model(tmp_path / "m.npz", model)
    out = io.StringIO()
    status = main(["predict", str(tmp_path / "m.npz"), str(path), "--out",
                   str(tmp_path / "out.csv")], out=out, err=io.StringIO())
    assert status == 0
    assert "Wrote 48 rows of 2 series" in out.getvalue()
    table = read_text(tmp_path / "out.csv")
    assert list(table["note"]) == [f"n{r}" for r in range(48)]
    assert list(table["id"][:2]) == ["007", "012"] and table["y"][0] == "10,000"


def test_predict_says_which_columns_of_the_file_its_predictions_replace(fitted, tmp_path):
    """A file read again after predict (or a column of the person's named so) holds
    ``y_predicted_1``: the predictions written replace it, and the notes say so, as
    ``predict`` of one series does."""
    path, _, model = fitted
    first = write_predictions(model, str(path), tmp_path / "first.csv")
    assert not any("already held" in note for note in first.notes)
    again = write_predictions(model, str(tmp_path / "first.csv"), tmp_path / "again.csv")
    replaced = [note for note in again.notes if "already held" in note]
    assert replaced == ["The file already held the columns y_predicted_1 and y_predicted_2 "
                        "(an earlier prediction?): the predictions replace them in the file "
                        "written; rename a column of your own to keep it there."]
    assert list(read_text(tmp_path / "again.csv").columns) == [
        "day", "id", "group", "note", "y", "y_predicted_1", "y_predicted_2"]


def test_predict_never_writes_over_its_data_file(fitted):
    path, _, model = fitted
    with pytest.raises(EngineError):
        write_predictions(model, str(path), path)


def forecast_numbers(path):
    """The forecast file at ``path`` read back: its text cells, and its numbers read with a
    decimal comma."""
    return read_text(path), pd.read_csv(path, sep=";", decimal=",")


def test_a_forecast_of_a_file_is_written_in_its_delimiter_and_decimal_mark(fitted, tmp_path):
    from engine.many.forecasting import write_forecast_file

    path, data, model = fitted
    frame, _ = write_forecast_file(model, str(path), 3, tmp_path / "f.csv")
    text, numbers = forecast_numbers(tmp_path / "f.csv")
    assert list(text.columns) == ["id", "day", "y", "y_lower_90", "y_upper_90"]
    assert text["y"].str.contains(",").all() and not text["y"].str.contains(r"\.").any()
    np.testing.assert_allclose(numbers["y"], frame["y"], rtol=1e-9)
    assert list(text["id"]) == ["007"] * 3 + ["012"] * 3
    # a SeriesSet in memory: the marks of the options it was read with, else commas
    from engine.data.csv_reader import CsvOptions

    options = CsvOptions.from_dict({"delimiter": ";", "decimal": ","})
    write_forecast_file(model, data, 3, tmp_path / "g.csv", csv_options=options)
    assert (tmp_path / "g.csv").read_text() == (tmp_path / "f.csv").read_text()
    write_forecast_file(model, data, 3, tmp_path / "h.csv")
    assert (tmp_path / "h.csv").read_text().startswith("id,day,y,y_lower_90,y_upper_90\n")


def test_the_command_line_writes_the_forecast_in_the_files_marks_too(fitted, tmp_path):
    path, _, model = fitted
    save_global_model(tmp_path / "m.npz", model)
    out = io.StringIO()
    status = main(["forecast", str(tmp_path / "m.npz"), str(path), "--steps", "3", "--out",
                   str(tmp_path / "f.csv")], out=out, err=io.StringIO())
    assert status == 0
    text, numbers = forecast_numbers(tmp_path / "f.csv")
    assert list(text.columns) == ["id", "day", "y", "y_lower_90", "y_upper_90"]
    assert text["y"].str.contains(",").all() and numbers["y"].between(5, 30).all()
    assert main(["forecast", str(tmp_path / "m.npz"), str(path), "--steps", "3", "--out",
                 str(path)], out=io.StringIO(), err=io.StringIO()) != 0


def test_the_note_on_far_values_names_their_series_and_rows_in_the_files_order(fitted,
                                                                               tmp_path):
    """The first 5 days of 012 written 100 times larger in the file whose rows interleave
    the two series: the note names 012 alone, counts its 5 rows of 24 and gives the span
    of its values; 007's rows between them are not counted. So does the command line."""
    path, _, model = fitted
    table = read_text(path)
    first = np.flatnonzero(table["id"] == "012")[:5]
    values = table["y"].str.replace(",", ".").astype(float)
    values[first] *= 100
    table.loc[first, "y"] = [f"{v:.3f}".replace(".", ",") for v in values[first]]
    own = values[table["id"] == "012"]
    scaled = tmp_path / "scaled.csv"
    table.to_csv(scaled, sep=";", index=False)
    note = ("1 series has values far outside those the model was trained on: 012. In "
            f"'012': y in 5 of the 24 rows read (trained on values with a mean size (absolute "
            f"value) of {figure(model.scaling.magnitude[1, 0])}; here from "
            f"{figure(own.min())} to {figure(own.max())}).")
    written = write_predictions(model, str(scaled), tmp_path / "out.csv")
    assert len(written.notes) == 1 and written.notes[0].startswith(note)
    save_global_model(tmp_path / "m.npz", model)
    out = io.StringIO()
    assert main(["predict", str(tmp_path / "m.npz"), str(scaled), "--out",
                 str(tmp_path / "cli.csv")], out=out, err=io.StringIO()) == 0
    assert f"Note: {note}" in out.getvalue()


def test_a_series_set_cut_short_is_predicted_row_by_row_in_the_files_order(fitted):
    """A SeriesSet without the last 3 rows of series 007 (file rows 42, 44 and 46 of the
    interleaved file) kept the file's row numbers, 47 among them, for a table of 45 rows:
    the predictions were placed past its end. Each row keeps its own predictions: those of
    the whole set's table, less the rows cut."""
    _, data, model = fitted
    whole = prediction_frame(model, data)
    cut = prediction_frame(model, data.without_last([3, 0]))
    expected = whole.drop(index=[42, 44, 46]).reset_index(drop=True)
    pd.testing.assert_frame_equal(cut, expected)
