"""Closing the window and the application's exit while background work still runs: the
work is asked to stop and waited for a bounded time with a notice, then the process ends
with its exit status, never aborted by Qt ("QThread: Destroyed while thread is still
running", exit status 134) and never waiting for ever. The programs that quit run in a
process of their own: an abort would end pytest."""

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

import app.main_window
from app import waiting_models
from engine.tasks import Cancelled
from helpers.processes import run_program
from helpers.projects import untrained_project

DESTROYED = "QThread: Destroyed while thread"

LET_GO = """
import sys, threading, time
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication
from app import workers
from app.main import finish

workers.ENDING_WAIT_MS = 100
application = QApplication([])


class GoesOn(workers._Worker):
    # its thread stays busy after the task's last signal, also when asked to stop
    def __init__(self, *args):
        super().__init__(*args)
        self.ended.connect(lambda: time.sleep(60), Qt.ConnectionType.DirectConnection)


runner = workers.TaskRunner()
if sys.argv[-1] == "after its task":
    workers._Worker = GoesOn
    runner.start(lambda: "done")
else:
    runner.start(time.sleep, 60)        # never looks whether it was asked to stop


def later():
    if sys.argv[-1] == "stopped":
        runner.stop_and_wait(0)
    print("let go:", runner.ending and not runner.running, flush=True)
    application.quit()


QTimer.singleShot(600, later)
sys.exit(finish(application.exec(), 300))
"""


@pytest.mark.parametrize("how", ["after its task", "stopped"])
def test_a_thread_let_go_ends_the_application_cleanly_not_with_an_abort(tmp_path, how):
    started = time.perf_counter()
    done = run_program(LET_GO.replace("sys.argv[-1]", repr(how)), tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["let", "go:", "True"]
    assert DESTROYED not in done.stderr
    assert ("1 background thread is still running 0.3 s after the window closed; the "
            "application ends without waiting for it.") in done.stderr
    assert time.perf_counter() - started < 30


CLOSE_DURING_WORK = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
import app.main, app.main_window

app.main_window.STOP_WAIT_MS = 500


def question(parent, title, text, *args, **kwargs):
    print("asked:", title, flush=True)
    return QMessageBox.StandardButton.Yes


QMessageBox.question = staticmethod(question)
opened = app.main_window.MainWindow.start


def start(window, **asked_for):
    opened(window, **asked_for)
    # a training that never looks whether it was asked to stop
    window.pages[3].runner.start(time.sleep, 60)
    QTimer.singleShot(300, window.close)


app.main_window.MainWindow.start = start
app.main.run()
"""


def test_closing_the_window_while_work_does_not_stop_exits_cleanly(tmp_path):
    started = time.perf_counter()
    done = run_program(CLOSE_DURING_WORK, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["asked: Training is running"]
    assert DESTROYED not in done.stderr
    assert "1 background thread is still running 1.0 s after the window closed" \
        in done.stderr
    assert time.perf_counter() - started < 30


def test_closing_while_work_takes_time_to_stop_shows_that_the_window_waits(
        window, dialogs, qtbot, tmp_path):
    assert window.open_project(untrained_project(tmp_path, "alpha"))
    page = window.pages[3]

    def slow_to_stop(task):
        while not task.cancelled:
            time.sleep(0.01)
        time.sleep(1.5)                 # the current batch ends
        raise Cancelled()

    page.runner.start(slow_to_stop)
    seen = []

    def look():
        notice = QApplication.activeModalWidget()
        seen.append(notice.labelText() if isinstance(notice, QProgressDialog) else notice)

    QTimer.singleShot(1000, look)
    dialogs.answers = [QMessageBox.StandardButton.Yes]
    started = time.perf_counter()
    assert window.close()
    assert time.perf_counter() - started > 1.4
    assert [title for title, _ in dialogs.questions] == ["Training is running"]
    assert seen == ["Stopping the work running in the background, to close afterwards. "
                    "This takes at most 30 seconds."]
    assert not page.runner.running and QApplication.activeModalWidget() is None


def test_a_training_that_did_not_stop_keeps_its_windows_note_of_its_waiting_model(
        window, dialogs, qtbot, tmp_path, monkeypatch):
    """Its waiting model may be written after the window closed: the note that the next
    start reads to remove such a file once this process has ended stays."""
    monkeypatch.setattr(app.main_window, "STOP_WAIT_MS", 300)
    assert window.open_project(untrained_project(tmp_path, "alpha"))
    page = window.pages[3]
    path = window.session.model_path_for_training()
    release = threading.Event()
    page.runner.start(release.wait, 20)          # does not look whether it was asked to stop
    dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
    assert window.close()
    try:
        assert page.runner.ending
        assert waiting_models.waiting_key(path) in waiting_models.read_notes()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.runner.ending, timeout=5000)


def test_a_training_let_go_for_another_project_is_said_on_the_training_page(
        window, dialogs, qtbot, tmp_path, monkeypatch):
    """Opening another project while a training does not stop in time lets it go: its
    network is lost, and the training page says so under the new project's status until
    a training starts."""
    monkeypatch.setattr(app.main_window, "STOP_WAIT_MS", 300)
    assert window.open_project(untrained_project(tmp_path / "a", "alpha"))
    page = window.pages[3]
    release = threading.Event()
    page.runner.start(release.wait, 20)          # does not look whether it was asked to stop
    dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
    try:
        assert window.open_project(untrained_project(tmp_path / "b", "beta"))
        assert page.runner.ending and not page.runner.running
        assert window.go_to_step(3)
        said = page.let_go_note.text()
        assert said.startswith("The training of the project 'alpha' did not stop within 0.3 "
                               "seconds when you chose to open another project, so it was "
                               "let go: the network it was training is lost")
        assert page.let_go_note.isVisible()
        assert page.progress_label.text() == "Not trained yet."
        window.pages[1].refresh()
        page.refresh()
        assert page.let_go_note.text() == said and page.let_go_note.isVisible()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.runner.ending, timeout=5000)
    page.start()
    assert page.let_go_note.isHidden()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=60000)


def _part(page, path):
    """The attribute of ``page`` at the dotted ``path`` ("many.runner")."""
    for name in path.split("."):
        page = getattr(page, name)
    return page


@pytest.mark.parametrize("step, where, work", [
    (4, "", "model-selection search"), (4, "many.", "backtest"),
    (5, "", "recursive forecasting"), (5, "backtest.", "backtest"),
    (6, "", "forecast, prediction or export")])
def test_work_let_go_for_another_project_is_said_on_its_page(
        window, dialogs, qtbot, tmp_path, monkeypatch, step, where, work):
    """Steps 5 to 7 say, as step 4 does, that work the user started there was let go:
    under the status of that work, until the user starts work there again (not the page's
    own work, such as the analysis of a model shown)."""
    monkeypatch.setattr(app.main_window, "STOP_WAIT_MS", 300)
    assert window.open_project(untrained_project(tmp_path / "a", "alpha"))
    page = window.pages[step]
    runner, note = _part(page, where + "runner"), _part(page, where + "let_go_note")
    release = threading.Event()
    runner.start(release.wait, 20)               # does not look whether it was asked to stop
    dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
    try:
        assert window.open_project(untrained_project(tmp_path / "b", "beta"))
        assert runner.ending and not runner.running
        assert [title for title, _ in dialogs.questions][0] == "Work is running"
        assert note.text().startswith(
            f"The {work} of the project 'alpha' did not stop within 0.3 seconds when you "
            "chose to open another project, so it was let go: ")
        assert not note.isHidden()
        others = [other for other in page.let_go_notes if other is not note]
        assert all(other.isHidden() for other in others)
    finally:
        release.set()
        qtbot.waitUntil(lambda: not runner.ending, timeout=5000)
    runner.start(release.wait, 0, by_user=False)     # the page's own work
    runner.stop_and_wait(5000)                       # its late signals are dropped
    assert not note.isHidden()
    runner.start(release.wait, 0)                    # work the user starts
    runner.stop_and_wait(5000)
    assert note.isHidden() and note.text() == ""


def test_a_search_let_go_gives_back_the_controls_of_step_5(
        window, dialogs, qtbot, tmp_path, monkeypatch):
    """A model-selection search let go sends no result: the page puts back the controls
    that the search's end would have (Start, the choice of search), not Stop."""
    import app.pages.selection_page as selection_page

    monkeypatch.setattr(app.main_window, "STOP_WAIT_MS", 300)
    release = threading.Event()
    monkeypatch.setattr(selection_page, "run_search", lambda *args, **kwargs: release.wait(20))
    assert window.open_project(untrained_project(tmp_path / "a", "alpha"))
    page = window.pages[4]
    page.start()
    assert page.stop_button.isEnabled() and not page.method.isEnabled()
    dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
    try:
        assert window.open_project(untrained_project(tmp_path / "b", "beta"))
        assert not page.let_go_note.isHidden()
        assert page.start_button.isEnabled() and page.method.isEnabled()
        assert not page.stop_button.isEnabled() and not page.timer.isActive()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.runner.ending, timeout=5000)


def test_new_steps_of_the_recursive_forecasts_hide_step_6s_note_also_during_its_analysis(
        qtbot, dialogs, tmp_path):
    """Setting the steps of the recursive forecasts while the page's own work still runs
    replaces that work by the user's: the note that the forecasting was let go goes."""
    from app.pages.testing_page import TestingPage
    from app.session import ProjectSession
    from helpers.models import seasonal_frame
    from helpers.projects import trained_project

    csv = tmp_path / "series.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)
    _, path, _ = trained_project(csv, tmp_path, test_from="2019-01-01", max_epochs=2)
    session = ProjectSession()
    session.open(path)
    page = TestingPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.refresh()
    page.let_go_note.say("alpha", "open another project", 0.3)
    release = threading.Event()
    page.runner.start(release.wait, 20, by_user=False)     # the page's own work
    try:
        with qtbot.waitSignal(page.runner.finished, timeout=20000):
            page.horizon.setValue(page.horizon.value() - 1)
        assert page.let_go_note.isHidden() and page.let_go_note.text() == ""
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.runner.ending, timeout=5000)


def test_a_prediction_let_go_leaves_no_tool_waiting_for_a_result(
        window, dialogs, qtbot, tmp_path, monkeypatch, caplog):
    """Step 7's work let go for another project hands its tool nothing afterwards: the
    next result of the page's runner reaches no tool of the work let go, and a failure
    that no tool shows is written to the log."""
    monkeypatch.setattr(app.main_window, "STOP_WAIT_MS", 300)
    assert window.open_project(untrained_project(tmp_path / "a", "alpha"))
    page = window.pages[6]
    shown, failures = [], []
    release = threading.Event()
    page.tasks.start(release.wait, 20, done=shown.append, failed=failures.append)
    dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
    try:
        assert window.open_project(untrained_project(tmp_path / "b", "beta"))
        assert not page.let_go_note.isHidden()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.runner.ending, timeout=5000)
    with qtbot.waitSignal(page.tasks.ended, timeout=5000):
        page.runner.start(lambda: "a later result")
    with qtbot.waitSignal(page.tasks.ended, timeout=5000):
        page.runner.start(lambda: 1 / 0)
    assert shown == [] and failures == []
    assert "A task let go failed" in caplog.text and "division by zero" in caplog.text


def test_step_7s_own_work_let_go_hands_nothing_to_a_tool(window, dialogs, qtbot, tmp_path,
                                                         monkeypatch):
    """Work step 7 started on its own (reading a model, a forecast when shown), let go for
    another project, hands its tool nothing, as the user's does, and leaves the page's
    tasks free for the next."""
    monkeypatch.setattr(app.main_window, "STOP_WAIT_MS", 300)
    assert window.open_project(untrained_project(tmp_path / "a", "alpha"))
    page = window.pages[6]
    shown = []
    release = threading.Event()
    with page.tasks.on_its_own():
        page.tasks.start(release.wait, 20, done=shown.append)
    dialogs.answers = [QMessageBox.StandardButton.Discard]
    try:
        assert window.open_project(untrained_project(tmp_path / "b", "beta"))
        assert page.let_go_note.isHidden()      # nothing of the user's was lost
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.runner.ending, timeout=5000)
    qtbot.waitUntil(lambda: not page.tasks.running, timeout=30000)
    later = []
    with qtbot.waitSignal(page.tasks.ended, timeout=5000):
        page.tasks.start(lambda: "later", done=later.append)
    assert shown == [] and later == ["later"]


@pytest.mark.parametrize("changes, shown", [("Cancel", "alpha"), ("Discard", "beta")])
def test_a_model_trained_during_step_7s_work_let_go_is_shown_after_it(
        window, dialogs, gui, qtbot, tmp_path, monkeypatch, changes, shown):
    """A model trained while step 7's work ran is shown once that work ends; work let go
    ends too: when the user then keeps the project (Cancel at its unsaved changes), step 7
    shows the new model at once, not the model before it until the next task ends; when
    the other project opens, step 7 shows that project's state."""
    monkeypatch.setattr(app.main_window, "STOP_WAIT_MS", 300)
    assert window.open_project(untrained_project(tmp_path / "a", "alpha"))
    gui.train_briefly(window, qtbot)
    assert window.go_to_step(6)
    page = window.pages[6]
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    before = page.model_path
    release = threading.Event()
    page.tasks.start(release.wait, 20, done=print)   # does not look whether asked to stop
    gui.train_briefly(window, qtbot)
    assert window.go_to_step(6)                     # the new model waits for the work's end
    assert page.model_path == before != window.session.model_identity()
    assert window.session.dirty
    dialogs.answers = [QMessageBox.StandardButton.Yes, getattr(QMessageBox.StandardButton,
                                                               changes)]
    refreshed = []          # the project each refresh read, while the other one opens
    refresh = page.refresh
    monkeypatch.setattr(page, "refresh", lambda: (refreshed.append(
        window.session.project.name), refresh()))
    try:
        assert window.open_project(untrained_project(tmp_path / "b", "beta")) == \
            (shown == "beta")
        # the refresh the work's end owed waits until the other project opened or not
        assert "alpha" not in refreshed or shown == "alpha"
        assert window.session.project.name == shown and not page.let_go_note.isHidden()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.runner.ending, timeout=5000)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    assert page.model_path == window.session.model_identity()
    assert (page.model is None) == (shown == "beta")
    assert [title for title, _ in dialogs.questions] == ["Work is running", "Unsaved changes"]
