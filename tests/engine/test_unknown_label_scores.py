"""Scores of rows predicted from labels the model was not trained on: ``evaluate`` and the
testing analysis say how many scored rows and which labels, in the same words."""

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

