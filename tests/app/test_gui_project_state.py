"""The window never shows another project's state: every page clears or recomputes what
belonged to the previous project or model, a project trained on the command line opens as
trained with its loss curve, and a save is seen at once."""

import io
import time

from PySide6.QtWidgets import QMessageBox

from app.session import DONE, LOCKED, TODO
from engine.cli.main import main
from engine.tasks import Cancelled
from helpers.projects import untrained_project

Yes, Discard = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard


def fitted_on_the_command_line(folder, name, epochs=3):
    """An untrained project trained by ``rnn-studio fit --project``; returns its path."""
    path = untrained_project(folder, name)
    status = main(["fit", "--project", str(path), "--epochs", str(epochs), "--out",
                   str(folder / f"{name}.model.npz")], out=io.StringIO(), err=io.StringIO())
    assert status == 0
    return path


def wait_idle(window, qtbot):
    """Wait until no page works in the background (opening a trained project starts its
    testing and its forecast)."""
    qtbot.waitUntil(lambda: not any(page.runner.running for page in window.pages[3:]),
                    timeout=30000)


def open_recent(window, path):
    """File > Open Recent > ``path``."""
    window._remember(path)
    action = next(a for a in window.recent_menu.actions() if a.data() == str(path.resolve()))
    action.trigger()


def test_a_project_fitted_on_the_command_line_opens_trained_with_its_loss_curve(
        window, dialogs, gui, tmp_path):
    path = fitted_on_the_command_line(tmp_path / "a", "alpha", epochs=3)
    assert window.open_project(path)
    states = window.session.step_states()
    assert states[3] == DONE and LOCKED not in states[4:]
    assert window.go_to_step(3)
    page = window.pages[3]
    assert gui.epochs_drawn(page.training_curve) == 3
    assert gui.epochs_drawn(page.selection_curve) == 3
    members = window.session.project.results.training["members"]
    assert len(members) > 1             # networks averaged: a cross at each one's best epoch
    assert list(page.losses.members.best_points.xData) == [m["best_epoch"] for m in members]
    assert "Not trained yet" not in page.progress_label.text()
    assert "maximum of 3 epochs" in page.result.text()
    assert "Trained with Adam, learning rate 0.003, batch 32, up to 3 epochs" in \
        page.result.text()
    assert not dialogs.warnings


def test_opening_another_project_clears_the_training_page(window, dialogs, gui, qtbot,
                                                          tmp_path):
    first = untrained_project(tmp_path / "a", "alpha")
    second = untrained_project(tmp_path / "b", "beta", seed=1)
    assert window.open_project(first)
    page = gui.train_briefly(window, qtbot, max_epochs=2)
    assert gui.epochs_drawn(page.training_curve) == 2
    assert gui.curve_length(page.predicted_curve) > 0
    assert window.save()
    open_recent(window, second)
    assert window.session.project.name == "beta"
    assert window.current_step() == 3
    for item in (page.training_curve, page.selection_curve, page.target_curve,
                 page.predicted_curve):
        assert gui.curve_length(item) == 0
    assert not page.best_line.isVisible()
    assert page.progress_label.text() == "Not trained yet."
    assert page.result.text() == ""


def test_opening_another_project_during_a_training_stops_it_in_its_own_project(
        window, dialogs, gui, qtbot, tmp_path):
    first = untrained_project(tmp_path / "a", "alpha")
    second = untrained_project(tmp_path / "b", "beta", seed=1)
    assert window.open_project(first)
    page = window.pages[3]
    page.max_epochs.setValue(20000)
    page.patience.setValue(0)
    page.start_button.click()
    qtbot.waitUntil(lambda: gui.curve_length(page.training_curve) > 2, timeout=30000)
    dialogs.answers = [Yes, Discard]      # stop the training; discard alpha's changes
    open_recent(window, second)
    assert [title for title, _ in dialogs.questions] == ["Training is running",
                                                         "Unsaved changes"]
    assert not page.runner.running
    assert window.session.project.name == "beta"
    assert window.session.project.results.to_dict() == {}
    assert window.session.step_states()[3] == TODO
    assert gui.curve_length(page.training_curve) == 0
    assert page.start_button.isEnabled() and not page.stop_button.isEnabled()


def test_opening_another_project_during_a_search_shows_none_of_its_rows(
        window, dialogs, gui, qtbot, tmp_path):
    first = fitted_on_the_command_line(tmp_path / "a", "alpha")
    second = fitted_on_the_command_line(tmp_path / "b", "beta")
    assert window.open_project(first)
    assert window.go_to_step(4)
    page = window.pages[4]
    page.method.setCurrentIndex(page.method.findData("neurons"))
    page.workers.setValue(0)
    page.start_button.click()
    assert page.runner.running
    dialogs.answers = [Yes, Discard]
    open_recent(window, second)
    assert dialogs.questions[0][0] == "Work is running"
    assert "step 5, Improve generalization performance," in dialogs.questions[0][1]
    assert not page.runner.running
    assert window.session.project.name == "beta"
    assert page.table.rowCount() == 0
    assert page.status.text().startswith("Not searched yet")
    assert page.start_button.isEnabled()


def test_the_test_results_page_shows_nothing_of_the_previous_project_while_testing(
        window, dialogs, gui, qtbot, tmp_path):
    first = fitted_on_the_command_line(tmp_path / "a", "alpha")
    second = fitted_on_the_command_line(tmp_path / "b", "beta")
    assert window.open_project(first)
    page = window.pages[5]
    wait_idle(window, qtbot)
    assert window.go_to_step(5)
    assert page.errors.rowCount() > 0 and gui.curve_length(page.truth_curve) > 0
    open_recent(window, second)
    assert page.runner.running                      # beta's analysis has started...
    assert page.status.text() == "Testing the model on the testing part..."
    assert page.analysis is None and not page.save_button.isEnabled()
    for table in (page.errors, page.intervals, page.largest):     # ...and alpha's is gone
        assert table.rowCount() == 0
    for item in (page.truth_curve, page.one_step_curve, page.recursive_curve,
                 page.horizon_curve, page.fit_curve):
        assert gui.curve_length(item) == 0
    assert page.fit_label.text() == ""
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    assert page.errors.rowCount() > 0


def test_the_deploy_page_forgets_the_previous_projects_forecast(window, dialogs, gui, qtbot,
                                                                tmp_path):
    first = fitted_on_the_command_line(tmp_path / "a", "alpha")
    second = untrained_project(tmp_path / "b", "beta", seed=1)
    assert window.open_project(first)
    assert window.go_to_step(6)
    page = window.pages[6]
    qtbot.waitUntil(lambda: page.forecast.result is not None, timeout=30000)
    wait_idle(window, qtbot)
    assert gui.curve_length(page.forecast.forecast_curve) > 0
    open_recent(window, second)
    assert window.session.project.name == "beta" and not dialogs.questions
    assert page.model is None and page.forecast.result is None
    for item in (page.forecast.history_curve, page.forecast.forecast_curve,
                 page.forecast.interval.low, page.forecast.interval.high):
        assert gui.curve_length(item) == 0
    assert page.calculator.table.rowCount() == 0
    assert page.status.text().startswith("Train the network first")


def test_a_save_shows_at_once_where_the_new_model_is_and_the_report_names_it(
        window, dialogs, gui, qtbot, tmp_path):
    path = untrained_project(tmp_path / "a", "alpha")
    assert window.open_project(path)
    gui.train_briefly(window, qtbot, max_epochs=2)
    assert window.go_to_step(5)
    testing = window.pages[5]
    qtbot.waitUntil(lambda: testing.analysis is not None, timeout=30000)
    report = tmp_path / "report.html"
    dialogs.save_paths = [report]
    testing.save_report()
    text = report.read_text()
    assert "unsaved" not in text and "alpha.model.npz (trained, not saved yet)" in text

    assert window.go_to_step(6)
    deploy = window.pages[6]
    qtbot.waitUntil(lambda: not deploy.runner.running, timeout=30000)
    assert "trained, not saved yet" in deploy.status.text()
    window.save_action.trigger()
    assert "not saved yet" not in deploy.status.text()
    assert "(alpha.model.npz)" in deploy.status.text()
    assert deploy.forecast.result is not None       # the same model: nothing recomputed
    assert window.go_to_step(5)
    assert not testing.runner.running and testing.analysis is not None


def test_the_training_page_says_when_the_settings_changed_since_the_training(
        window, dialogs, tmp_path):
    assert window.open_project(fitted_on_the_command_line(tmp_path, "alpha"))
    assert window.go_to_step(3)
    page = window.pages[3]
    assert page.progress_label.text() == "Trained: 3 epochs."
    page.l2.setValue(0.01)
    assert "changed since this model was trained" in page.progress_label.text()
    page.l2.setValue(0.0)
    window.session.project.training.unset("l2")      # back to the settings it was trained with
    page.refresh()
    assert page.progress_label.text() == "Trained: 3 epochs."


def test_the_data_page_shows_nothing_of_the_previous_projects_data(window, dialogs, gui,
                                                                   qtbot, tmp_path):
    first = untrained_project(tmp_path / "a", "alpha")
    second = untrained_project(tmp_path / "b", "beta", seed=1)
    (tmp_path / "b" / "beta.csv").unlink()             # beta's data file went missing
    assert window.open_project(first)
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: gui.curve_length(page.acf_bars) > 0)   # computed in a worker
    assert gui.curve_length(page.variable_curve) > 0 and gui.curve_length(page.acf_bars) > 0
    dialogs.answers = [QMessageBox.StandardButton.No]    # do not locate beta's file now
    open_recent(window, second)
    assert window.session.project.name == "beta" and window.current_step() == 1
    assert gui.curve_length(page.variable_curve) == 0 and gui.curve_length(page.acf_bars) == 0
    assert not page.suggested_line.isVisible() and page.suggestion.text() == ""
    assert page.timeline.summary is None


def test_save_as_into_another_folder_keeps_the_model_up_to_date(window, dialogs, tmp_path):
    from engine.project.model_status import CURRENT, model_status
    from engine.project.document import load_project

    assert window.open_project(fitted_on_the_command_line(tmp_path / "a", "alpha"))
    other = tmp_path / "elsewhere" / "alpha copy.json"
    other.parent.mkdir()
    dialogs.save_paths = [other]
    assert window.save_as()
    assert window.session.step_states()[3:] == [DONE, TODO, DONE, DONE]
    assert model_status(load_project(other)) == CURRENT
    assert load_project(other).data_file() == tmp_path / "a" / "alpha.csv"


def test_a_missing_model_file_is_said_and_the_training_is_to_do_again(window, dialogs,
                                                                     tmp_path):
    path = fitted_on_the_command_line(tmp_path / "a", "alpha")
    (tmp_path / "a" / "alpha.model.npz").unlink()
    assert window.open_project(path)
    assert window.session.step_states()[3:] == [TODO, LOCKED, LOCKED, LOCKED]
    assert window.go_to_step(3)
    assert window.pages[3].progress_label.text() == (
        "The model file alpha.model.npz is missing (moved or deleted): train again, or put "
        "it back and open the project again.")


def test_a_model_file_replaced_by_another_training_is_not_shown_as_the_projects(
        window, dialogs, tmp_path):
    """Another project's model copied over this one's (or a fit of another window): its
    training id differs from the one the project's results name, so it is not shown as
    this project's model."""
    import shutil

    path = fitted_on_the_command_line(tmp_path / "a", "alpha")
    fitted_on_the_command_line(tmp_path / "b", "beta")
    shutil.copy(tmp_path / "b" / "beta.model.npz", tmp_path / "a" / "alpha.model.npz")
    assert window.open_project(path)
    assert window.session.step_states()[3:] == [TODO, LOCKED, LOCKED, LOCKED]
    assert window.go_to_step(3)
    assert "holds another training than the one this project describes" in \
        window.pages[3].progress_label.text()


def test_a_trained_project_whose_column_was_renamed_opens_without_a_warning(
        window, dialogs, qtbot, tmp_path):
    """The data page names the renamed column; the deploy step, locked, forecasts nothing
    (it popped up a warning while step 2 was on screen)."""
    path = fitted_on_the_command_line(tmp_path / "a", "alpha")
    data = tmp_path / "a" / "alpha.csv"
    data.write_text(data.read_text().replace("x", "x_renamed", 1))
    assert window.open_project(path)
    wait_idle(window, qtbot)
    assert dialogs.warnings == []
    assert window.session.step_states()[6] == LOCKED
    assert "earlier step" in window.pages[6].status.text()


def until_cancelled_once(real):
    """``real`` whose first call does not end until it is stopped (work still running when
    the person opens another project); every later call is ``real``'s."""
    calls = []

    def slow(*args, task=None, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            while not task.cancelled:
                time.sleep(0.01)
            raise Cancelled()
        return real(*args, **kwargs)
    return slow


def test_work_the_pages_started_by_themselves_stops_without_a_question(
        window, dialogs, qtbot, tmp_path, monkeypatch):
    import app.pages.deploy.forecast_tab as forecast_tab
    import app.pages.testing_page as testing_page

    monkeypatch.setattr(testing_page, "analyze_project",
                        until_cancelled_once(testing_page.analyze_project))
    monkeypatch.setattr(forecast_tab, "forecast", until_cancelled_once(forecast_tab.forecast))
    first = fitted_on_the_command_line(tmp_path / "a", "alpha")
    second = fitted_on_the_command_line(tmp_path / "b", "beta")
    assert window.open_project(first)
    testing, deploy = window.pages[5], window.pages[6]
    qtbot.waitUntil(lambda: deploy.model is not None, timeout=30000)
    assert testing.runner.running and deploy.runner.running   # step 6's and step 7's own
    open_recent(window, second)
    assert dialogs.questions == []
    assert window.session.project.name == "beta"
    wait_idle(window, qtbot)
    assert testing.analysis is not None and deploy.forecast.result is not None


def test_a_forecast_the_person_asked_for_asks_before_it_is_stopped(
        window, dialogs, qtbot, tmp_path, monkeypatch):
    import app.pages.deploy.forecast_tab as forecast_tab

    first = fitted_on_the_command_line(tmp_path / "a", "alpha")
    second = fitted_on_the_command_line(tmp_path / "b", "beta")
    assert window.open_project(first)
    wait_idle(window, qtbot)
    monkeypatch.setattr(forecast_tab, "forecast", until_cancelled_once(forecast_tab.forecast))
    assert window.go_to_step(6)
    deploy = window.pages[6]
    deploy.forecast.button.click()
    assert deploy.runner.running
    dialogs.answers = [Yes]
    open_recent(window, second)
    assert [title for title, _ in dialogs.questions] == ["Work is running"]
    assert "step 7, Deploy model," in dialogs.questions[0][1]
    assert window.session.project.name == "beta"
    wait_idle(window, qtbot)
