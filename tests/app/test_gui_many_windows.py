"""Step 4 of many series shows the training windows per series and the weights' average:
"Automatic" (the fit's choice) in a new project, the values a fit on the command line fixed
in a project it wrote, and a change written back into the project as the fit reads it."""

import io

from app.pages.training_parts import OUT_OF_DATE_TEXT
from engine.cli.main import main
from engine.many.project_fit import series_of, settings_of
from engine.project.sections import AUTOMATIC
from helpers.many_projects import open_trained
from helpers.many_series import monthly_csv

LENGTHS = {"A": (40, "2020-01-01"), "B": (36, "2020-03-01"), "C": (44, "2019-11-01")}


def fitted_project(folder, *options):
    """The project ``fit --series`` writes of three monthly series with ``options``."""
    data = monthly_csv(folder / "long.csv", LENGTHS)
    status = main(["fit", str(data), "--series", "id", "--target", "y", "--hidden", "4",
                   "--epochs", "2", "--members", "1", "--test-last", "6", *options,
                   "--out", str(folder / "m.npz")], out=io.StringIO(), err=io.StringIO())
    assert status == 0
    return folder / "m.json"


def training_view(window):
    assert window.go_to_step(3)
    return window.pages[3].many


def shown(view):
    """What the two settings show: each box's value and its number, None while hidden."""
    choices = view.window_choices
    return [(box.currentData(), number.value() if number.isVisible() else None)
            for box, number in ((choices.windows, choices.windows_count),
                                (choices.average, choices.average_steps))]


def fit_settings(window):
    project = window.session.project
    settings, _ = settings_of(project, series_of(window.session.table,
                                                 project.dataset_config()))
    return settings.windows_per_series, settings.average_steps


def test_a_new_project_leaves_both_to_the_fit(window):
    window.open_example("m4_hourly")
    view = training_view(window)
    assert shown(view) == [("auto", None), ("auto", None)]
    assert "latest 200 of each series" in view.window_choices.windows.toolTip()
    assert fit_settings(window) == ("auto", "auto")


def test_the_values_a_command_line_fit_fixed_are_shown(window, qtbot, tmp_path):
    path = fitted_project(tmp_path, "--windows-per-series", "7", "--average-steps", "none")
    assert open_trained(window, qtbot, path)
    view = training_view(window)
    assert shown(view) == [("latest", 7), ("none", None)]
    assert "21 windows of 3 series" in view.result.text()         # 7 of each, trained on


def test_a_change_is_written_into_the_project_and_marks_the_model_out_of_date(
        window, qtbot, tmp_path):
    path = fitted_project(tmp_path, "--windows-per-series", "all", "--average-steps", "50")
    assert open_trained(window, qtbot, path)
    view = training_view(window)
    choices = view.window_choices
    assert shown(view) == [("all", None), ("steps", 50)]
    choices.windows.setCurrentIndex(choices.windows.findData("latest"))
    assert shown(view)[0] == ("latest", 200)                      # the fit's own number
    choices.windows_count.setValue(12)
    choices.average_steps.setValue(400)
    assert fit_settings(window) == (12, 400)
    assert window.session.dirty and view.progress_label.text() == OUT_OF_DATE_TEXT
    for box in (choices.windows, choices.average):
        box.setCurrentIndex(box.findData("auto"))
    training = window.session.project.training
    assert training.windows_per_series is AUTOMATIC and training.average_steps is AUTOMATIC
    assert fit_settings(window) == ("auto", "auto")
    choices.average.setCurrentIndex(choices.average.findData("none"))
    assert training.average_steps is None and fit_settings(window)[1] is None
