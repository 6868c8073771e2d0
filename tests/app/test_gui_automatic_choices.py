"""The data page's automatic choices (target transform, lookback, inputs) and the length
of the forecasts wanted: step 4 makes the choices `rnn-studio fit` makes, and step 2
shows what it chose."""

from PySide6.QtWidgets import QMessageBox

from app.main_window import page_runners
from app.session import DONE, STALE
from helpers.projects import untrained_project


def test_the_automatic_transform_is_chosen_at_step_4_and_shown_at_step_2(window, dialogs,
                                                                         gui, qtbot,
                                                                         tmp_path):
    assert window.open_project(untrained_project(tmp_path, "alpha"))   # trend and a season
    assert window.go_to_step(1)
    page, project = window.pages[1], window.session.project
    assert page.transform.currentData() == "none"
    assert "choose_target_transform" not in project.selection.settings
    page.transform.setCurrentIndex(page.transform.findData("difference"))
    page.transform.setCurrentIndex(page.transform.findData("automatic"))
    assert project.selection.settings["choose_target_transform"] is True
    assert window.session.config().target_transform == "difference"  # until step 4 chooses
    assert page.transform_note.isVisible()
    assert page.transform_note.text().endswith("(until then: <b>differences</b>).")
    training = gui.train_briefly(window, qtbot)
    chosen = window.session.config().target_transform
    line = ("Chosen by the backtest before the testing part: target transform "
            f"<b>{chosen.replace('_', ' ')}</b> (step 2 shows it)")
    assert line in training.result.text()
    assert chosen in ("difference", "seasonal_difference")        # the level drifts: not none
    assert window.save() and window.open_project(window.session.path)    # and opened again
    assert window.go_to_step(3)
    assert line in window.pages[3].result.text()
    project = window.session.project
    summary = project.selection.summary
    assert summary["chosen"]["target_transform"] == chosen
    assert any(t["target_transform"] == "none" and t["error"] for t in summary["trials"])
    assert window.go_to_step(1)
    assert page.transform.currentData() == "automatic"
    label = {"difference": "differences", "seasonal_difference": "seasonal differences"}
    assert page.transform.currentText() == "Automatic"
    assert page.transform_note.isVisible()
    assert page.transform_note.text().endswith(f"(last: <b>{label[chosen]}</b>).")
    page.transform.setCurrentIndex(page.transform.findData("none"))  # chosen by hand again
    assert "choose_target_transform" not in project.selection.settings
    assert window.session.config().target_transform == "none"
    assert not page.transform_note.isVisible()
    assert window.save()                        # step 6's analysis and step 7's forecast
    qtbot.waitUntil(lambda: not any(r.running for page in window.pages[3:]     # run meanwhile
                                    for r in page_runners(page)), timeout=60000)
    assert window.open_project(window.session.path)
    assert window.go_to_step(3)                 # step 2 no longer shows the choice: not said
    assert "Chosen by" not in window.pages[3].result.text()


def test_a_lookback_set_on_the_page_is_kept_by_step_4(window, dialogs, qtbot, tmp_path):
    """A project made by `rnn-studio fit` chooses its lookback when trained; once the
    person sets one on the data page, training keeps it."""
    from engine.project.document import load_project, save_project

    path = untrained_project(tmp_path, "beta")
    project = load_project(path)
    project.selection.settings = {"choose_lookback": True, "choose_target_transform": True}
    save_project(project, path)
    assert window.open_project(path)
    assert window.go_to_step(1)
    page, settings = window.pages[1], window.session.project.selection.settings
    assert page.transform.currentData() == "automatic"
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    assert settings["choose_lookback"] is True          # shown, not yet set by the person
    page.lookback.setValue(page.lookback.value() + 2)
    assert "choose_lookback" not in settings and settings["choose_target_transform"]


def test_a_new_project_starts_with_the_choices_of_rnn_studio_fit(window, dialogs, gui,
                                                                  qtbot, tmp_path):
    """Loaded on the pages, a series gets the automatic choices a project made by
    `rnn-studio fit` from it has; setting a value by hand turns its choice off."""
    from engine.training.automatic import AutomaticChoices, automatic_project
    from helpers.models import seasonal_frame

    csv = tmp_path / "series.csv"
    seasonal_frame(120).drop(columns="note").to_csv(csv, index=False)
    page = gui.new_data_project(window, tmp_path / "new", csv, name="Series")
    settings = window.session.project.selection.settings
    assert settings == {"choose_target_transform": True, "choose_lookback": True}
    gui.set_role(page, "y", "input_target")          # the target, and its past an input
    qtbot.waitUntil(lambda: page.statistics is not None
                    and page.statistics.target == "y", timeout=10000)
    made, _ = automatic_project(AutomaticChoices(csv, ["y"], folder=tmp_path))
    config = window.session.config()
    assert [(v.name, v.role) for v in config.variables] == \
        [(v.name, v.role) for v in made.data.config.variables]
    assert settings == made.selection.settings == {
        "choose_target_transform": True, "choose_lookback": True, "choose_inputs": True}
    assert config.lookback == made.data.config.lookback
    assert page.transform.currentData() == "automatic"
    assert page.switches.lookback.isChecked() and page.switches.inputs.isChecked()
    assert f"Step 4 starts from {config.lookback}." in page.switches.lookback.toolTip()
    page.lookback.setValue(config.lookback + 1)                      # set by hand
    assert "choose_lookback" not in settings and not page.switches.lookback.isChecked()
    page.switches.lookback.setChecked(True)
    assert settings["choose_lookback"] is True
    gui.set_role(page, "x", "unused")                                # a role changed
    assert "choose_inputs" not in settings
    assert not page.switches.inputs.isVisibleTo(page)   # no choice left


def test_the_line_under_the_transform_goes_for_many_series(window, dialogs, gui, tmp_path):
    import numpy as np
    import pandas as pd

    rows = [pd.DataFrame({"shop": f"shop{k}", "sales": 50 + 10 * k + np.arange(120) % 7})
            for k in range(3)]
    csv = tmp_path / "shops.csv"
    pd.concat(rows, ignore_index=True).to_csv(csv, index=False)
    page = gui.new_data_project(window, tmp_path / "project", csv)
    page.transform.setCurrentIndex(page.transform.findData("automatic"))
    assert page.transform_note.isVisible()                  # one series: step 4 chooses
    assert page.switches.lookback.isVisible()
    assert page.settings_form.isRowVisible(page.forecast_length)
    gui.set_role(page, "shop", "series")
    assert not page.transform.isEnabled() and not page.transform_note.isVisible()
    assert not page.switches.lookback.isVisible()         # many series: none of them
    assert not page.settings_form.isRowVisible(page.forecast_length)
    gui.set_role(page, "shop", "unused")                     # one series again
    assert page.transform.isEnabled() and page.transform_note.isVisible()
    assert page.switches.lookback.isVisible()


def test_the_forecast_length_is_kept_for_step_4_and_offered_at_step_7(window, dialogs,
                                                                      gui, qtbot, tmp_path):
    import pandas as pd

    from helpers.models import seasonal_frame

    csv = tmp_path / "series.csv"
    seasonal_frame(120)[["month", "y"]].to_csv(csv, index=False)
    page = gui.new_data_project(window, tmp_path / "new", csv, name="Series")
    gui.set_role(page, "y", "input_target")
    settings = window.session.project.selection.settings
    # left at its lowest, it says its rows: the season the page finds, 12 without one
    qtbot.waitUntil(lambda: page.forecast_length.text() == "a season (12 rows)",
                    timeout=20000)
    assert "forecast_steps" not in settings
    page.period.setValue(1)                  # "none found": the 12 rows of no season
    assert page.forecast_length.text() == "12 rows (no season)"
    page.period.setValue(12)
    page.horizon.setValue(24)                # more steps ahead than a season: those
    assert page.forecast_length.text() == "24 rows (the steps ahead)"
    page.horizon.setValue(1)
    page.forecast_length.setValue(20)
    assert settings["forecast_steps"] == 20 and window.isWindowModified()
    training = gui.train_briefly(window, qtbot)
    assert training.trained_copy.selection.settings["forecast_steps"] == 20
    assert window.go_to_step(6)
    deploy = window.pages[6]
    qtbot.waitUntil(lambda: deploy.forecast.result is not None, timeout=20000)
    assert deploy.forecast.steps.value() == 20 and deploy.forecast.result.steps == 20
    qtbot.waitUntil(lambda: not deploy.runner.running, timeout=20000)
    assert window.go_to_step(1)
    assert page.forecast_length.value() == 20
    assert window.session.step_states()[3] == DONE
    page.forecast_length.setValue(0)            # the fit would score other forecasts
    assert "forecast_steps" not in settings
    assert window.session.step_states()[3] == STALE
    assert ("the automatic choices or the forecast length (step 2) changed"
            in window.steps.item(3).toolTip())
    page.forecast_length.setValue(20)
    assert window.session.step_states()[3] == DONE
    page.switches.lookback.setChecked(not page.switches.lookback.isChecked())
    assert window.session.step_states()[3] == STALE
    assert pd.read_csv(csv).shape == (120, 2)


def test_the_inputs_switch_stays_offered_after_step_4_left_an_input_out(window, dialogs,
                                                                       gui, qtbot, tmp_path):
    from helpers.models import seasonal_frame

    csv = tmp_path / "series.csv"
    seasonal_frame(120).drop(columns="note").to_csv(csv, index=False)
    page = gui.new_data_project(window, tmp_path / "new", csv, name="Series")
    gui.set_role(page, "y", "input_target")
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    gui.train_briefly(window, qtbot)
    assert window.go_to_step(1)
    settings = window.session.project.selection.settings
    assert window.session.config().variable("x").role == "unused"     # the own past chosen
    assert page.switches.inputs.isVisible() and page.switches.inputs.isChecked()
    assert "Last chosen: the target's own past only." in page.switches.inputs.toolTip()
    page.switches.inputs.setChecked(False)
    assert "choose_inputs" not in settings and page.switches.inputs.isVisible()
    page.switches.inputs.setChecked(True)                   # given back to step 4
    assert settings["choose_inputs"] is True
    other = tmp_path / "other.csv"                          # a file of other columns
    seasonal_frame(120).drop(columns=["note", "x"]).to_csv(other, index=False)
    dialogs.answers = [QMessageBox.StandardButton.Yes]      # "Replace the data settings?"
    assert page.import_file(str(other), dialog_factory=gui.accepting_import_dialog)
    assert window.session.project.selection.summary == {}
    assert "Last chosen" not in page.switches.lookback.toolTip()


def test_without_data_there_is_nothing_to_switch(window, dialogs, tmp_path):
    project_page, page = window.pages[:2]
    window.new_project()
    project_page.name.setText("Empty")
    project_page.folder.setText(str(tmp_path))
    project_page.create_button.click()
    assert window.go_to_step(1)
    assert not page.switches.lookback.isVisibleTo(page)
    assert not page.switches.inputs.isVisibleTo(page)
    page._switch_toggled("choose_lookback", True)           # as a click would
    assert "choose_lookback" not in window.session.project.selection.settings


def test_the_suggested_lookback_and_the_one_step_4_chose_are_both_said(window, dialogs,
                                                                       qtbot, tmp_path):
    """Trained with the automatic lookback, the page showed "Lookback 24 [x] Automatic"
    beside "Suggested lookback: 12": it now says the 12 was the suggestion before training
    and the 24 the backtest's choice; with the choice turned off, the suggestion alone."""
    from engine.project.document import load_project, save_project

    path = untrained_project(tmp_path, "beta")
    project = load_project(path)
    project.selection.settings = {"choose_lookback": True}
    save_project(project, path)
    assert window.open_project(path) and window.go_to_step(1)
    page, project = window.pages[1], window.session.project
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    suggested = page.suggested
    assert "before training" not in page.suggestion.text()
    chosen = 2 * suggested
    config = window.session.config()
    config.lookback = chosen                                    # as a fit records its choice
    window.session.set_config(config)
    project.selection.summary = {"chosen": {"lookback": chosen},
                                 "trials": [{"lookback": suggested}, {"lookback": chosen}]}
    page.statistics = None
    page.refresh()
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    text = page.suggestion.text()
    assert f"'y' before training: <b>{suggested}</b> (" in text
    assert f"; step 4's backtest chose <b>{chosen}</b>." in text
    page.switches.lookback.setChecked(False)                  # the person's lookback now
    assert "before training" not in page.suggestion.text()
    assert "backtest" not in page.suggestion.text()
