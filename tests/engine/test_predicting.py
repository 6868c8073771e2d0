"""predict's output file: the rows as they were, predictions beside them, the forecast
after the last row; the file's delimiter and decimal mark kept."""

import numpy as np
import pandas as pd
import pytest

from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project
from engine.model.forecaster import Forecaster
from engine.deploy.predicting import predictions_table, write_predictions


def model_for(path, horizon=1):
    project, _ = automatic_project(AutomaticChoices(
        path, ["y"], lookback=4, horizon=horizon, max_epochs=2))
    project.selection.settings = {}
    result = fit_project(project)
    return Forecaster(result.network, {"preprocessing": result.fitted.to_dict(),
                                      "metadata": result.metadata()})


def test_horizon_two_gives_a_column_per_step(seasonal_csv):
    model = model_for(seasonal_csv, horizon=2)
    table, extra, _ = predictions_table(model, seasonal_csv)
    assert extra == 2
    assert list(table.columns)[-2:] == ["y_predicted_1", "y_predicted_2"]
    assert list(table["month"].iloc[-2:]) == ["2020-01-01", "2020-02-01"]
    first = table["y_predicted_1"].to_numpy(dtype=float)
    second = table["y_predicted_2"].to_numpy(dtype=float)
    assert np.isnan(first[:4]).all() and np.isfinite(first[4:97]).all()
    assert np.isnan(second[:5]).all() and np.isfinite(second[5:]).all()
    assert np.isnan(first[97])


def test_semicolons_and_decimal_commas_are_kept(make_seasonal_frame, tmp_path):
    path = tmp_path / "european.csv"
    frame = make_seasonal_frame()
    frame.to_csv(path, sep=";", decimal=",", index=False)
    model = model_for(path)
    out = tmp_path / "predictions.csv"
    rows, extra, notes = write_predictions(model, path, out)
    assert (rows, extra, notes) == (97, 1, [])
    lines = out.read_text().splitlines()
    assert lines[0] == "month;y;x;note;y_predicted"
    assert [line.rsplit(";", 1)[0] for line in lines[1:97]] == \
        path.read_text().splitlines()[1:]
    assert lines[4].endswith(";") and not lines[5].endswith(";")
    assert "," in lines[-1].split(";")[-1]
    back = pd.read_csv(out, sep=";", decimal=",")
    assert back["y_predicted"].iloc[-1] == pytest.approx(frame["y"].iloc[-12:].mean(), abs=40)


def test_a_file_out_of_time_order_gets_each_prediction_beside_its_own_row(seasonal_csv,
                                                                          tmp_path):
    """The reader puts the rows in time order; the output keeps the file's order, and the
    prediction of each row is the one it gets in the sorted file."""
    model = model_for(seasonal_csv)
    shuffled = tmp_path / "shuffled.csv"
    pd.read_csv(seasonal_csv).sample(frac=1, random_state=0).to_csv(shuffled, index=False)
    in_order, _, _ = predictions_table(model, seasonal_csv)
    table, extra, _ = predictions_table(model, shuffled)
    assert extra == 1
    file_rows = pd.read_csv(shuffled, dtype=str)
    assert (table["month"].iloc[:-1].to_numpy() == file_rows["month"].to_numpy()).all()
    expected = in_order.set_index("month")["y_predicted"]
    got = table.set_index("month")["y_predicted"]
    assert np.allclose(got.loc[expected.index].to_numpy(float), expected.to_numpy(float),
                       equal_nan=True)
    assert np.isfinite(got.to_numpy(float)).sum() == np.isfinite(expected.to_numpy(float)).sum()


def test_predictions_are_written_to_twelve_digits(seasonal_csv, tmp_path):
    model = model_for(seasonal_csv)
    out = tmp_path / "predictions.csv"
    write_predictions(model, seasonal_csv, out)
    table, _, _ = predictions_table(model, seasonal_csv)
    back = pd.read_csv(out)["y_predicted"].to_numpy(float)
    exact = table["y_predicted"].to_numpy(float)
    assert np.allclose(back, exact, rtol=1e-11, atol=0, equal_nan=True)


def test_a_row_without_a_time_gets_no_time_and_the_steps_after_count_from_a_known_one(
        seasonal_csv, tmp_path):
    """A spreadsheet's trailing line of empty fields, and a row whose time is empty: no
    crash; that row's time stays empty and the appended rows continue the last known
    time by whole steps from its row."""
    model = model_for(seasonal_csv, horizon=2)
    lines = seasonal_csv.read_text().splitlines()
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("\n".join(lines + ["," * lines[0].count(",")]) + "\n")
    table, extra, _ = predictions_table(model, trailing)
    assert extra == 1 and len(table) == 98                  # the empty line, one step after
    assert list(table["month"].iloc[-2:]) == ["", "2020-02-01"]
    assert np.isfinite(table["y_predicted_1"].to_numpy(float)[-2])
    years = tmp_path / "years.csv"                         # a time column of numbers
    years.write_text("year,y\n" + "".join(f"{1900 + k},{np.sin(k):.4f}\n"
                                          for k in range(40)))
    model = model_for(years, horizon=2)
    assert model.preprocessing.time_column == "year"
    years.write_text(years.read_text() + ",\n")
    table, extra, _ = predictions_table(model, years)
    assert extra == 1 and list(table["year"].iloc[-2:]) == ["", "1941"]


def test_too_few_rows_for_a_differenced_window_names_every_row_it_needs(seasonal_csv):
    """Seasonal differences (12) of a window of 4 rows: 16 rows, which the calculator
    prefills too (rows_needed), not the 4 of the window alone."""
    from helpers.models import untrained_model
    from engine.deploy.calculator import rows_needed
    from engine.errors import EngineError

    model = untrained_model(seasonal_csv, ["y"], "gru", [3], "seasonal_difference",
                            lookback=4, inputs=[])
    assert rows_needed(model.preprocessing) == 16
    frame = pd.read_csv(seasonal_csv)
    assert len(model.windows(frame.iloc[:16]).anchors) == 1
    with pytest.raises(EngineError, match=r"needs 16 consecutive rows with all input values "
                                          r"\(4 for the window, and the rows before it that "
                                          r"its differences start from\); the file has 15"):
        model.windows(frame.iloc[:15])
    unread = untrained_model(seasonal_csv, ["y"], "gru", [3], "seasonal_difference",
                             lookback=4, inputs=["x"], role="target")  # the window reads no y
    assert rows_needed(unread.preprocessing) == 12
    assert len(unread.windows(frame.iloc[:12]).anchors) == 1
    with pytest.raises(EngineError, match="needs 12 consecutive rows"):
        unread.windows(frame.iloc[:11])


@pytest.mark.parametrize("style, expected", [("%Y/%m/%d", "2020/01/01"),
                                             ("%d.%m.%Y", "01.01.2020"),
                                             ("%Y-%m-%d", "2020-01-01")])
def test_rows_after_the_file_write_their_time_as_the_file_does(seasonal_csv, tmp_path,
                                                               style, expected):
    frame = pd.read_csv(seasonal_csv)
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime(style)
    path = tmp_path / "styled.csv"
    frame.to_csv(path, index=False)
    table, extra, _ = predictions_table(model_for(path), path)
    assert extra == 1 and table["month"].iloc[-1] == expected
    assert table["month"].iloc[-2] == frame["month"].iloc[-1]          # as it was


def test_a_gap_in_time_leaves_the_rows_after_it_without_a_prediction(seasonal_csv, tmp_path):
    """Three months missing: the window that ends before the gap predicts the first missing
    month, not the row after the gap; rows after it get predictions once a whole window
    (and the differences' rows before it) lies after the gap, the same as in a file that
    starts there."""
    model = model_for(seasonal_csv, horizon=2)
    gapped = tmp_path / "gapped.csv"
    frame = pd.read_csv(seasonal_csv).drop(index=[40, 41, 42]).reset_index(drop=True)
    frame.to_csv(gapped, index=False)
    table, _, _ = predictions_table(model, gapped)
    first = table["y_predicted_1"].to_numpy(dtype=float)
    second = table["y_predicted_2"].to_numpy(dtype=float)
    assert np.isfinite(first[39]) and np.isfinite(second[39])
    assert np.isnan(first[40]) and np.isnan(second[40]) and np.isnan(second[41])
    after = tmp_path / "after.csv"
    frame.iloc[40:].to_csv(after, index=False)
    alone, _, _ = predictions_table(model, after)
    np.testing.assert_allclose(first[40:93], alone["y_predicted_1"].to_numpy(float)[:53])
    np.testing.assert_allclose(second[40:93], alone["y_predicted_2"].to_numpy(float)[:53])


def test_predictions_and_forecasts_never_replace_the_file_they_read(seasonal_csv):
    """Through the Python API as on the command line: the data file is kept, byte for
    byte, and the message says what to do."""
    from engine.deploy.forecasting import forecast_file
    from engine.errors import EngineError

    model = model_for(seasonal_csv)
    before = seasonal_csv.read_bytes()
    same = seasonal_csv.parent / "." / seasonal_csv.name
    with pytest.raises(EngineError, match="is the data file being read; .*Choose another name"):
        write_predictions(model, seasonal_csv, same)
    with pytest.raises(EngineError, match="is the data file being read"):
        forecast_file(model, seasonal_csv, same, 3)
    assert seasonal_csv.read_bytes() == before


def test_text_in_a_numeric_column_is_refused_by_its_row_not_read_as_missing(seasonal_csv,
                                                                          tmp_path):
    """A typo in an input or a target cell was taken for a missing value (interpolated, or
    the last row's target taken as unknown so the forecast started a row early); it is
    refused, naming the cell's row in the file, and nothing is written. Empty cells are
    missing values as before."""
    from engine.deploy.forecasting import forecast_file
    from engine.errors import EngineError

    model = model_for(seasonal_csv)
    frame = pd.read_csv(seasonal_csv).astype(object)
    frame.loc[50, "x"] = "n.a."
    typo = tmp_path / "typo.csv"
    frame.sample(frac=1, random_state=0).to_csv(typo, index=False)
    rows = list(pd.read_csv(typo).index[pd.read_csv(typo)["x"] == "n.a."])
    out = tmp_path / "out.csv"
    with pytest.raises(EngineError, match=rf"Column 'x' holds 'n.a.' in data row {rows[0]}, "
                                          "which is no number .*empty the cell"):
        write_predictions(model, typo, out)
    frame.loc[50, "x"] = ""
    frame.loc[95, "y"] = "abc"
    frame.to_csv(typo, index=False)
    with pytest.raises(EngineError, match="Column 'y' holds 'abc' in data row 95"):
        forecast_file(model, typo, out, 2)
    assert not out.exists()
    frame.loc[95, "y"] = ""
    frame.to_csv(typo, index=False)
    written = write_predictions(model, typo, out)
    assert written[:2] == (96, 0)                             # no window ends at row 95
    assert [note.split(" were ")[0] for note in written.notes] == [    # row 50's empty x
        f"Predictions in {len(_flagged_rows(model, [50], 96))} rows"]


def test_a_gap_before_the_last_row_appends_no_row_without_predictions(seasonal_csv,
                                                                       tmp_path):
    """Without its second-to-last month the file's last row follows a gap: no window
    reaches past it, so no row is appended (an appended row had a time and every
    prediction cell empty, and the count said one row came after the file's end)."""
    model = model_for(seasonal_csv, horizon=2)
    gapped = tmp_path / "gapped.csv"
    frame = pd.read_csv(seasonal_csv)
    frame.drop(index=[len(frame) - 2]).to_csv(gapped, index=False)
    table, extra, _ = predictions_table(model, gapped)
    assert extra == 0 and len(table) == len(frame) - 1
    out = tmp_path / "out.csv"
    assert write_predictions(model, gapped, out)[:2] == (len(frame) - 1, 0)
    predicted = table[["y_predicted_1", "y_predicted_2"]].to_numpy(float)
    assert np.isfinite(predicted[-3]).all() and np.isnan(predicted[-1]).all()


def test_a_typo_in_a_file_of_decimal_commas_is_named_by_itself(make_seasonal_frame,
                                                                  tmp_path):
    """predict and forecast read the numbers beside the typo with the file's decimal
    mark: the typo is named, not the first number of its column."""
    from engine.deploy.forecasting import forecast_file
    from engine.errors import EngineError

    path = tmp_path / "european.csv"
    make_seasonal_frame().to_csv(path, sep=";", decimal=",", index=False)
    model = model_for(path)
    lines = path.read_text().splitlines()
    cells = lines[31].split(";")
    lines[31] = ";".join(cells[:2] + ["abc"] + cells[3:])            # data row 30's x
    typo = tmp_path / "typo.csv"
    typo.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    named = r"Column 'x' holds 'abc' in data row 30, which is no number \(1 such cell"
    with pytest.raises(EngineError, match=named):
        write_predictions(model, typo, out)
    with pytest.raises(EngineError, match=named):
        forecast_file(model, typo, out, 3)
    assert not out.exists()


def _flagged_rows(model, filled, n_rows):
    """The rows whose prediction's window (the ``rows_read`` rows before it) holds one of
    the rows ``filled``: predicted from a value filled in for an empty cell."""
    read = model.preprocessing.rows_read()
    return {row for row in range(n_rows + 1)
            if any(row - read <= f < row for f in filled)}


def test_rows_predicted_from_filled_in_values_are_marked_and_counted(
        seasonal_csv, tmp_path):
    """Empty cells are filled in by the model's rule (interpolated) and predicted from as
    if they were known: the rows whose windows read them are marked in a last column and
    a note counts them; a file without empty cells has no such column and no note."""
    model = model_for(seasonal_csv)
    frame = pd.read_csv(seasonal_csv)
    frame.loc[20, "x"] = np.nan                  # an input
    frame.loc[60, "y"] = np.nan                  # the target, which the window reads too
    holed = tmp_path / "holed.csv"
    frame.to_csv(holed, index=False)
    written = write_predictions(model, holed, tmp_path / "out.csv")
    table = pd.read_csv(tmp_path / "out.csv")
    assert list(table.columns)[-2:] == ["y_predicted", "read_filled_in"]
    expected = _flagged_rows(model, (20, 60), len(frame))
    assert set(np.flatnonzero(table["read_filled_in"].to_numpy())) == expected
    assert written.notes == [
        f"Predictions in {len(expected)} rows were made from windows that read values the "
        "model made up: 2 empty number cells interpolated between the known values; the "
        "column read_filled_in marks them with 1. To predict from known values only, fill "
        "the empty cells in the file."]
    plain = write_predictions(model, seasonal_csv, tmp_path / "plain.csv")
    assert "read_filled_in" not in pd.read_csv(tmp_path / "plain.csv").columns
    assert plain.notes == []
    marked = pd.read_csv(seasonal_csv).assign(read_filled_in=1)   # an earlier output's marks
    marked.to_csv(tmp_path / "marked.csv", index=False)
    again = write_predictions(model, tmp_path / "marked.csv", tmp_path / "again.csv")
    assert again.notes == []
    assert (pd.read_csv(tmp_path / "again.csv")["read_filled_in"] == 0).all()


def seasons_fit(make_seasonal_frame, tmp_path, transform=None):
    """``(model, frame)`` of :func:`seasons_model`, the target transform ``transform``
    when given (else the automatic choice)."""
    frame = make_seasonal_frame()
    month = pd.to_datetime(frame["month"]).dt.month
    frame["season"] = np.select([month.isin([6, 7, 8]), month.isin([12, 1, 2])],
                                ["summer", "winter"], "rest")
    path = tmp_path / "seasons.csv"
    frame.to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(
        path, ["y"], inputs=["season"], lookback=4, max_epochs=2))
    project.selection.settings = {}
    if transform is not None:
        project.data.config.target_transform, project.data.config.period = transform, 12
    result = fit_project(project)
    assert {c["category"] for c in result.fitted.input_columns} == {"summer", "winter", "rest", None}
    return Forecaster(result.network, {"preprocessing": result.fitted.to_dict(),
                                       "metadata": result.metadata()}), frame


@pytest.fixture
def seasons_model(make_seasonal_frame, tmp_path):
    """``(model, frame)``: a model fitted briefly on the seasonal data with a categorical
    input "season" (summer, winter, rest) beside the target, and its data."""
    return seasons_fit(make_seasonal_frame, tmp_path)


def test_a_label_marks_the_windows_that_read_its_row_not_those_of_the_target_s_differences(
        make_seasonal_frame, tmp_path):
    """With seasonal differences the target's windows reach 12 rows further back than the
    lookback (rows_read 16 for lookback 4), but an input's label is read in the window's
    own 4 rows: only the 4 predictions after it are marked (16 were)."""
    model, frame = seasons_fit(make_seasonal_frame, tmp_path, "seasonal_difference")
    assert model.preprocessing.rows_read() > model.preprocessing.lookback == 4
    notes, flags = _predicted_with_holes(model, frame, tmp_path, season=[(40, "autumn")])
    assert set(np.flatnonzero(flags)) == {41, 42, 43, 44}
    assert notes[0].startswith("Predictions in 4 rows were made from windows")


def test_an_empty_cell_of_an_input_marks_the_windows_that_read_its_row_only(
        make_seasonal_frame, tmp_path):
    """With seasonal differences the target's empty cells are read 16 rows back (rows_read
    for lookback 4), but an input's number in the window's own 4 rows: an empty cell of
    the input x marks and counts the 4 predictions after it only."""
    frame = make_seasonal_frame()
    path = tmp_path / "series.csv"
    frame.to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["y"], inputs=["x"], lookback=4,
                                                    max_epochs=2))
    project.selection.settings = {}
    project.data.config.target_transform, project.data.config.period = \
        "seasonal_difference", 12
    result = fit_project(project)
    model = Forecaster(result.network, {"preprocessing": result.fitted.to_dict(),
                                        "metadata": result.metadata()})
    assert model.preprocessing.rows_read() > model.preprocessing.lookback == 4
    notes, flags = _predicted_with_holes(model, frame, tmp_path, x=[(40, np.nan)])
    assert set(np.flatnonzero(flags)) == {41, 42, 43, 44}
    assert notes[0].startswith("Predictions in 4 rows were made from windows that read "
                               "values the model made up: 1 empty number cell")


def _predicted_with_holes(model, frame, folder, **cells):
    """The notes and the read_filled_in flags of a prediction of ``frame`` with ``cells``
    (``y=[rows]``, ``season=[(row, label)]``, any input as ``season``) emptied or set."""
    frame = frame.copy()
    for row in cells.get("y", []):
        frame.loc[row, "y"] = np.nan
    for column in set(cells) - {"y"}:
        for row, label in cells[column]:
            frame.loc[row, column] = label
    holed = folder / "holed.csv"
    frame.to_csv(holed, index=False)
    written = write_predictions(model, holed, folder / "out.csv")
    return written.notes, pd.read_csv(folder / "out.csv")["read_filled_in"].to_numpy()


def test_rows_predicted_from_an_empty_category_are_marked_and_counted(seasons_model,
                                                                      tmp_path):
    """An empty cell of a categorical input is read as none of its categories (all 0 in
    its one-hot columns): a value the model makes up, so the rows whose windows read it are
    marked and counted as those of an empty number are; the note counts each kind."""
    model, frame = seasons_model
    notes, flags = _predicted_with_holes(model, frame, tmp_path, y=[20],
                                         season=[(40, np.nan)])
    expected = _flagged_rows(model, [20, 40], len(frame))
    assert set(np.flatnonzero(flags)) == expected
    assert notes == [
        f"Predictions in {len(expected)} rows were made from windows that read values the "
        "model made up: 1 empty number cell interpolated between the known values and 1 "
        "empty category read as none of the categories; the column read_filled_in marks "
        "them with 1. To predict from known values only, fill the empty cells in the file."]


def test_the_note_names_only_what_the_file_held_and_marks_an_unseen_label(seasons_model,
                                                                         tmp_path):
    """A model with a categorical input, a file with an empty number only: the note says
    nothing of categories. A label the model was not trained on ("autumn") is read as none
    of the categories, as an empty one is: its rows are marked, and the note counts it
    apart and says what to do."""
    model, frame = seasons_model
    notes, flags = _predicted_with_holes(model, frame, tmp_path, y=[20])
    assert set(np.flatnonzero(flags)) == _flagged_rows(model, [20], len(frame))
    assert "categor" not in " ".join(notes) and "1 empty number cell" in notes[0]
    notes, flags = _predicted_with_holes(model, frame, tmp_path,
                                         season=[(40, "autumn"), (41, "autumn")])
    expected = _flagged_rows(model, [40, 41], len(frame))
    assert set(np.flatnonzero(flags)) == expected
    assert notes == [
        f"Predictions in {len(expected)} rows were made from windows that read values the "
        "model made up: 2 labels the model was not trained on (season: 'autumn'), read as "
        "none of the categories; the column read_filled_in marks them with 1. To predict "
        "from known values only, write labels the model knows (or train it on data that "
        "holds the new ones)."]


def test_a_third_label_of_a_binary_input_is_counted_as_a_label_not_an_empty_number(
        make_seasonal_frame, tmp_path):
    """A binary input ("summer" or "other") read from a file where one cell holds a third
    label ("spring") is read as an empty cell and filled in as one: its rows are marked,
    and the note counts it as a label the model was not trained on, named with its column,
    and says what to do about labels; not as an empty number cell."""
    frame = make_seasonal_frame()
    month = pd.to_datetime(frame["month"]).dt.month
    frame["part"] = np.where(month.isin([6, 7, 8]), "summer", "other")
    path = tmp_path / "parts.csv"
    frame.to_csv(path, index=False)
    project, _ = automatic_project(AutomaticChoices(path, ["y"], inputs=["part"],
                                                    lookback=4, max_epochs=2))
    project.selection.settings = {}
    result = fit_project(project)
    assert [v["type"] for v in result.fitted.inputs if v["name"] == "part"] == ["binary"]
    model = Forecaster(result.network, {"preprocessing": result.fitted.to_dict(),
                                        "metadata": result.metadata()})
    notes, flags = _predicted_with_holes(model, frame, tmp_path, part=[(40, "spring")])
    expected = _flagged_rows(model, [40], len(frame))
    assert set(np.flatnonzero(flags)) == expected
    assert notes == [
        f"Predictions in {len(expected)} rows were made from windows that read values the "
        "model made up: 1 label the model was not trained on (part: 'spring'), "
        "interpolated between the known values; the column read_filled_in marks them with "
        "1. To predict from known values only, write labels the model knows (or train it "
        "on data that holds the new ones)."]
