"""Scores in the targets' units, one step ahead and recursive, and the naive baselines."""

import numpy as np
import pandas as pd
import pytest

from engine.training.automatic import AutomaticChoices, automatic_project
from engine.data import prediction_windows
from engine.errors import EngineError
from engine.testing.baselines import baselines
from engine.testing.evaluation import evaluate_frame
from engine.testing.metrics import score
from engine.training.fitting import fit_project
from engine.model.forecaster import Forecaster


def test_score_measures_and_rows_without_truth():
    truth = np.array([[1.0], [2.0], [4.0], [np.nan]])
    predicted = np.array([[2.0], [2.0], [2.0], [7.0]])
    scores = score(truth, predicted, ["y"])
    assert scores.count == 3
    assert scores.rmse[0] == pytest.approx(np.sqrt(5 / 3))
    assert scores.mae[0] == pytest.approx(1.0)
    assert scores.mape[0] == pytest.approx(100 * (1 + 0 + 0.5) / 3)
    assert scores.r2[0] == pytest.approx(1 - 5 / np.sum((truth[:3] - 7 / 3) ** 2))
    assert scores.to_dict()["targets"]["y"]["rmse"] == pytest.approx(np.sqrt(5 / 3))
    assert score(truth[3:], predicted[3:], ["y"]) is None


def test_baselines_one_step_and_recursive():
    levels = np.arange(20, dtype=float)[:, None] ** 2
    rows = np.arange(10, 16)
    one = baselines(levels, rows, 10, 4, False, ["y"])
    assert one["persistence"].mae[0] == pytest.approx(np.mean(rows ** 2 - (rows - 1) ** 2))
    assert one["seasonal_naive"].mae[0] == pytest.approx(np.mean(rows ** 2 - (rows - 4) ** 2))
    rec = baselines(levels, rows, 10, 4, True, ["y"])
    assert rec["persistence"].mae[0] == pytest.approx(np.mean(rows ** 2 - 81))
    cycle = np.array([6, 7, 8, 9, 6, 7]) ** 2
    assert rec["seasonal_naive"].mae[0] == pytest.approx(np.mean(rows ** 2 - cycle))
    assert "seasonal_naive" not in baselines(levels, rows, 10, None, False, ["y"])


def fitted_model(path, roles=None, transform=None, epochs=3):
    """A quickly fitted model of the seasonal test file, without automatic choices."""
    project, _ = automatic_project(AutomaticChoices(
        path, ["y"], test_from="2019-01-01", max_epochs=epochs))
    config = project.dataset_config()
    if roles:
        config = config.with_roles(**roles)
    if transform:
        config.target_transform = transform
    project.data.config = config
    project.selection.settings = {}
    result = fit_project(project)
    model = Forecaster(result.network, {"preprocessing": result.fitted.to_dict(),
                                       "metadata": result.metadata()})
    return model, result


def test_one_step_scores_the_rows_from_the_start_with_true_history(seasonal_csv):
    model, result = fitted_model(seasonal_csv)
    frame = result.prepared.table.frame
    evaluation = evaluate_frame(model, frame)                 # the model's testing start
    assert evaluation.start_row == 84 and evaluation.start_time == "2019-01-01"
    assert list(evaluation.rows) == list(range(84, 96))
    windows = prediction_windows(result.fitted, frame)
    outputs = result.network.predict(np.asarray(windows.X))
    values = result.fitted.inverse_outputs(outputs, windows.anchors, windows.encoded)
    expected = values[np.isin(windows.rows[:, 0], evaluation.rows), 0, :]
    np.testing.assert_allclose(evaluation.predicted, expected)
    np.testing.assert_allclose(evaluation.truth[:, 0], frame["y"].to_numpy()[84:])
    # the fit's own testing score is the same figure
    assert evaluation.scores.rmse[0] == pytest.approx(result.scores["testing"].rmse[0])
    assert evaluate_frame(model, frame, start="2019-07-01").scores.count == 6
    assert evaluate_frame(model, frame, start=90).rows[0] == 90
    early = evaluate_frame(model, frame, start=0)      # the first rows have no window
    assert early.start_row == early.rows[0] > 0


def test_recursive_feeds_predictions_back(seasonal_csv):
    model, result = fitted_model(seasonal_csv, transform="difference")
    frame = result.prepared.table.frame
    one = evaluate_frame(model, frame, start=80)
    rec = evaluate_frame(model, frame, start=80, recursive=True)
    assert rec.rows[0] == one.rows[0] == 80 and len(rec.rows) == len(one.rows) == 16
    assert rec.predicted[0, 0] == pytest.approx(one.predicted[0, 0])    # same true window
    assert not np.allclose(rec.predicted[1:], one.predicted[1:])
    # the future target values are not read: changing them changes nothing
    changed = frame.copy()
    changed.loc[81:, "y"] = 0.0
    again = evaluate_frame(model, changed, start=80, recursive=True)
    np.testing.assert_allclose(again.predicted, rec.predicted)


def test_recursive_equals_one_step_when_nothing_is_fed_back(seasonal_csv):
    model, result = fitted_model(seasonal_csv, roles={"y": "target"}, transform="none")
    frame = result.prepared.table.frame
    one = evaluate_frame(model, frame, start=70)
    rec = evaluate_frame(model, frame, start=70, recursive=True)
    np.testing.assert_allclose(rec.predicted, one.predicted)


def test_evaluation_errors(seasonal_csv):
    model, result = fitted_model(seasonal_csv, epochs=1)
    frame = result.prepared.table.frame
    with pytest.raises(EngineError, match="no such data row"):
        evaluate_frame(model, frame, start=500)
    with pytest.raises(EngineError, match="after the last row"):
        evaluate_frame(model, frame, start="2030-01-01")
    with pytest.raises(EngineError, match="rows before it"):
        evaluate_frame(model, frame, start=3, recursive=True)
    with pytest.raises(EngineError, match="not a date"):
        evaluate_frame(model, frame, start="next spring")


def test_mase_is_scaled_by_the_changes_before_the_start(seasonal_csv):
    from engine.testing.evaluation import history_scale

    model, result = fitted_model(seasonal_csv)
    frame = result.prepared.table.frame
    evaluation = evaluate_frame(model, frame)
    y = frame["y"].to_numpy()
    scale = np.mean(np.abs(np.diff(y[:84])))                   # rows before 2019-01-01
    assert history_scale(y[:, None], 84)[0] == pytest.approx(scale)
    assert evaluation.scores.mase[0] == pytest.approx(evaluation.scores.mae[0] / scale)
    assert evaluation.scores.mse_over_variance[0] == pytest.approx(
        1 - evaluation.scores.r2[0])
    persistence = evaluation.baselines["persistence"]
    assert persistence.mase[0] == pytest.approx(
        np.mean(np.abs(y[84:] - y[83:95])) / scale)
    figures = evaluation.to_dict()["targets"]["y"]
    assert figures["mase"] == pytest.approx(evaluation.scores.mase[0])
    # the fit's own scores use the same scale, so the project and the report agree
    testing = result.scores["testing"]
    assert testing.mase[0] == pytest.approx(evaluation.scores.mase[0])
    assert result.scores["training"].mase[0] == pytest.approx(
        result.scores["training"].mae[0] / scale)


@pytest.mark.parametrize("horizon", [None, 3])
def test_target_values_filled_in_are_not_scored(seasonal_csv, horizon):
    """Empty target cells in the scored rows are filled in for the windows (interpolated)
    but are no truth: the network and every baseline are scored on the measured rows
    only, and the evaluation counts the rows left out. Row 90 was interpolated from row
    91, so a forecast from a window ending at row 90 is not scored either: it read row
    91's value."""
    model, result = fitted_model(seasonal_csv)
    frame = result.prepared.table.frame
    holed = frame.copy()
    holed.loc[[88, 89, 90], "y"] = np.nan
    full = evaluate_frame(model, frame, horizon=horizon)
    holes = evaluate_frame(model, holed, horizon=horizon)
    assert full.filled == 0 and holes.filled == 3
    assert holes.to_dict()["filled_rows_left_out"] == 3
    if horizon is None:                 # row r forecast from the window ending at r - 1
        scored = ~np.isin(holes.rows, [88, 89, 90, 91])
        assert holes.notes == ["1 row is not scored: the forecast of each read a value "
                               "that was missing and interpolated from a later row, so it "
                               "knew the value it forecast (or a later one)."]
    else:                               # every step of a forecast from origins 89-91
        origins = np.repeat(holes.rows.reshape(-1, horizon)[:, 0], horizon)
        scored = ~np.isin(holes.rows, [88, 89, 90]) & ~np.isin(origins, [89, 90, 91])
    assert full.notes == []
    assert holes.scores.count == scored.sum() < len(holes.rows)
    assert np.isnan(holes.truth[~scored]).all()
    np.testing.assert_allclose(holes.truth[scored], frame["y"].to_numpy()[holes.rows[scored],
                                                                          None])
    persistence = holes.baselines["persistence"]
    assert persistence.count == holes.scores.count
    errors = holes.predicted[scored, 0] - frame["y"].to_numpy()[holes.rows[scored]]
    assert holes.scores.rmse[0] == pytest.approx(np.sqrt(np.mean(errors ** 2)))


def test_without_a_testing_part_the_evaluation_says_what_it_scored(seasonal_csv):
    """A model that records no testing part is scored on every row it can predict, its
    training rows too: one note says so, unless --from chose the rows."""
    model, result = fitted_model(seasonal_csv)
    frame = result.prepared.table.frame
    assert evaluate_frame(model, frame).notes == []          # its testing rows
    model.metadata.pop("testing", None)
    everything = evaluate_frame(model, frame)
    assert everything.rows[0] < 84 and len(everything.notes) == 1
    assert "the rows it was trained on included" in everything.notes[0]
    assert everything.to_dict()["notes"] == everything.notes
    assert evaluate_frame(model, frame, horizon=3).notes == everything.notes
    assert evaluate_frame(model, frame, start=90).notes == []


def test_forecasts_from_many_origins_end_at_the_last_row_with_a_target(seasonal_csv):
    """Rows of future inputs at the end (targets empty) are no testing rows: evaluate
    --horizon scores the same whole forecasts with and without them (N origins, N x H
    rows)."""
    model, result = fitted_model(seasonal_csv)
    frame = result.prepared.table.frame
    future = pd.DataFrame({"month": pd.date_range("2020-01-01", periods=3, freq="MS")
                           .strftime("%Y-%m-%d"), "y": np.nan})
    longer = pd.concat([frame, future], ignore_index=True)
    plain = evaluate_frame(model, frame, start=60, horizon=12)
    padded = evaluate_frame(model, longer, start=60, horizon=12)
    assert padded.origins == plain.origins and len(padded.rows) == 12 * padded.origins
    assert padded.scores.to_dict() == plain.scores.to_dict()
    from engine.testing.analysis import analyze_model           # step 6 the same

    assert analyze_model(model, longer, start=60, horizon=12).horizon_origins == \
        plain.origins


def test_a_forecast_origin_after_an_interpolated_row_is_named_not_blamed_on_the_data(
        seasonal_csv):
    """Row 83, just before the testing part, is empty and interpolated from row 84: the
    recursive forecast from row 84 read a testing value. evaluate --recursive says so (not
    "no target values"), and --horizon counts the origins it leaves out."""
    model, result = fitted_model(seasonal_csv)
    frame = result.prepared.table.frame.copy()
    frame.loc[83, "y"] = np.nan
    with pytest.raises(EngineError, match="Row 83 holds a value interpolated from a later "
                                          "row .* a recursive forecast from row 84 has read"):
        evaluate_frame(model, frame, recursive=True)
    assert evaluate_frame(model, frame, start=85, recursive=True).scores.count > 0
    horizon = evaluate_frame(model, frame, horizon=3)
    assert horizon.notes == ["1 of the 12 forecast origins "
                             "are not scored: the row before each holds a value "
                             "interpolated from a later row, which the forecast read."]


def test_a_row_after_a_gap_in_time_is_not_scored_on_the_window_before_the_gap(seasonal_csv):
    """Three months missing in the testing part: the window before the gap predicts the
    first missing month, so the row after the gap is not scored against it."""
    model, result = fitted_model(seasonal_csv)
    frame = result.prepared.table.frame.drop(index=[87, 88, 89]).reset_index(drop=True)
    evaluation = evaluate_frame(model, frame)
    assert 86 in evaluation.rows and 87 not in evaluation.rows
    assert evaluation.scores.count == len(evaluation.rows)


def test_a_recursive_forecast_scores_the_testing_rows_only(make_seasonal_frame):
    """With a horizon of 3 the model's testing rows are 84-93 (the last 2 rows of the file
    are no testing rows: no complete window predicts them one step ahead): the recursive
    forecast from row 84 is scored on those 10 rows, the rows step 6 scores, not on the
    file's last 2 rows too."""
    from engine.testing.analysis import analyze_model
    from engine.testing.evaluation import row_runs
    from helpers.models import naive_model

    frame = make_seasonal_frame()
    model, prepared = naive_model(frame, "difference", horizon=3)
    tested = np.sort(prepared.target_rows("testing")[:, 0])
    assert (tested[0], tested[-1]) == (84, 93)
    model.metadata["testing"].update(rows=row_runs(tested), file_rows=len(frame))
    rec = evaluate_frame(model, frame, recursive=True)
    assert rec.start_row == 84 and list(rec.rows) == list(range(84, 94))
    assert rec.scores.count == 10
    y = frame["y"].to_numpy()
    assert rec.scores.rmse[0] == pytest.approx(np.sqrt(np.mean((y[83] - y[84:94]) ** 2)))
    alone = analyze_model(model, frame, horizon=1)              # step 6, its own forecast
    assert alone.recursive_scores.count == rec.scores.count
    assert alone.recursive_scores.rmse[0] == pytest.approx(rec.scores.rmse[0])


def test_the_note_of_a_random_split_names_a_first_row_given_as_a_row():
    """``evaluate --test-last N`` and ``--from "row 132"`` give the first row as
    ``{"row": 132}``: the note read "Of the rows from {'row': 132} on"."""
    import numpy as np

    from engine.testing.evaluation import random_testing_notes

    note = random_testing_notes({"row": 132}, np.array([133, 140]), 100)[0]
    assert note.startswith("Of the rows from row 132 on, only the 2 testing rows are scored")
    assert random_testing_notes("1960-01-01", np.array([133]), 100)[0].startswith(
        "Of the rows from 1960-01-01 on, only the 1 testing row is scored")
