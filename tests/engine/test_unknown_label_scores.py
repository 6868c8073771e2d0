"""Scores of rows predicted from labels the model was not trained on: ``evaluate`` and the
testing analysis say how many scored rows and which labels, in the same words."""

import numpy as np

from engine.testing.analysis import analyze_project
from engine.testing.evaluation import evaluate_file
from engine.project.document import load_project

from helpers.projects import unknown_label_project


def expected_note(fitted, row, last=95, recursive=False):
    """The note on one "autumn" at ``row``: the windows ending at ``row`` up to
    ``row + lookback - 1`` (an input is read in the window's own rows) read it and predict
    the rows after each, up to ``last``; with ``recursive`` forecasts from before it too,
    which read it as their history until their end: every row after it up to ``last``."""
    count = (last if recursive else min(row + fitted.lookback, last)) - row
    return (f"{count} scored rows were predicted from windows that read values the model "
            "made up: 1 label the model was not trained on (season: 'autumn'), read as none "
            "of the categories; their errors are those of data it was not trained on. To "
            "score it on known labels only, write labels the model knows (or train it on "
            "data that holds the new ones).")


def test_evaluate_and_the_testing_analysis_count_the_rows_read_from_an_unknown_label(
        tmp_path):
    path, csv, result = unknown_label_project(tmp_path, [88])
    note = expected_note(result.fitted, 88)
    model = tmp_path / "series.model.npz"
    assert note in evaluate_file(model, csv).notes
    horizon = evaluate_file(model, csv, horizon=3).notes
    assert any(n.endswith("1 label the model was not trained on (season: 'autumn'), read "
                          "as none of the categories; their errors are those of data it "
                          "was not trained on. To score it on known labels only, write "
                          "labels the model knows (or train it on data that holds the new "
                          "ones).") for n in horizon)


def test_a_label_only_the_training_rows_read_gives_no_note(tmp_path):
    path, csv, _ = unknown_label_project(tmp_path, [10])
    notes = evaluate_file(tmp_path / "series.model.npz", csv).notes
    assert not any("not trained on" in n for n in notes)


def test_the_testing_analysis_counts_the_rows_its_recursive_forecasts_read_it_in(tmp_path):
    """Step 6 shows the recursive forecast from the testing start (row 84) beside the
    direct predictions: the rows 89 to 95 it forecast after reading "autumn" at row 88
    are counted too, not only the 4 rows the windows holding row 88 predict directly."""
    path, _, result = unknown_label_project(tmp_path, [88])
    analysis = analyze_project(load_project(path))
    note = expected_note(result.fitted, 88, recursive=True)
    assert note.startswith("7 scored rows were predicted")
    assert note in analysis.notes and analysis.labels_note == note


def test_evaluate_of_a_model_of_several_steps_counts_every_step_its_table_shows(tmp_path):
    """A model of 3 steps ahead: evaluate's table scores every step and the recursive
    forecasts from many origins, so its note counts the rows any of them predicted after
    reading "autumn" at row 88 (89 to 93, where its testing part ends), not only those
    predicted one step ahead (89 to 92)."""
    import io

    import pandas as pd

    from engine.cli.main import main
    from helpers.models import seasonal_frame

    frame = seasonal_frame().drop(columns="note")
    month = pd.to_datetime(frame["month"]).dt.month
    frame["season"] = np.where(month.isin([6, 7, 8]), "summer", "rest")
    frame.loc[month.isin([12, 1, 2]), "season"] = "winter"
    csv, model = tmp_path / "seasons.csv", tmp_path / "m.npz"
    frame.to_csv(csv, index=False)
    out, err = io.StringIO(), io.StringIO()
    assert main([str(a) for a in ("fit", csv, "--target", "y", "--input", "season",
                                  "--lookback", 4, "--horizon", 3, "--test-from",
                                  "2019-01-01", "--epochs", 2, "--out", model)],
                out=out, err=err) == 0, err.getvalue()
    frame.loc[88, "season"] = "autumn"
    frame.to_csv(csv, index=False)
    out = io.StringIO()
    assert main(["evaluate", str(model), str(csv)], out=out, err=err) == 0, err.getvalue()
    printed = [line for line in out.getvalue().splitlines() if "not trained on" in line]
    assert "1 to 3 steps ahead" in out.getvalue()
    assert len(printed) == 1 and printed[0].startswith("  5 scored rows were predicted"), \
        printed
