"""Slow calls leave the GUI thread: reading a CSV file (the import dialog, a project's data),
the data page's statistics, reading the deployed model and writing the test report (of one
series or of many) run in a worker thread, the window keeps handling events meanwhile, and
the result is shown."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

import app.pages.data_page
import app.pages.deploy.page
import app.pages.report_file
import app.session
import app.widgets.import_dialog
import engine.project.document
import engine.testing.report
from app.background import run_and_wait
from engine.errors import EngineError
from engine.tasks import Cancelled
from helpers.models import seasonal_frame
from helpers.projects import trained_project, untrained_project


class Calls:
    """Wraps a function: records the thread of every call, and lasts ``delay`` seconds."""

    def __init__(self, function, delay=0.0):
        self.function, self.delay, self.threads = function, delay, []

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        time.sleep(self.delay)
        return self.function(*args, **kwargs)

    def off_the_gui_thread(self):
        return bool(self.threads) and threading.main_thread() not in self.threads


class Ticks:
    """Counts a GUI-thread timer's ticks while it runs."""

    def __init__(self, interval_ms=10):
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self):
        self.count += 1


def test_run_and_wait_returns_the_result_raises_the_error_and_keeps_the_events_going(qtbot):
    ticks = Ticks()
    calls = Calls(lambda a, b: a + b, delay=0.3)
    assert run_and_wait(calls, 2, b=3) == 5
    assert calls.off_the_gui_thread()
    assert ticks.count >= 5                   # the timer ran while the call lasted

    def broken():
        raise EngineError("The file has no rows.")

    with pytest.raises(EngineError, match="no rows"):
        run_and_wait(broken)


QUIT_DURING_A_CALL = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.background import run_and_wait
from engine.tasks import Cancelled

application = QApplication([])


def read():
    QTimer.singleShot(300, application.quit)    # ends the local loop of run_and_wait too
    started = time.perf_counter()
    try:
        run_and_wait(time.sleep, 1.5)
    except Cancelled:
        print("cancelled after", round(time.perf_counter() - started, 1))


QTimer.singleShot(0, read)
application.exec()
"""


def _run_script(script):
    """The Python ``script`` run in a process of its own, headless (its output)."""
    root = Path(__file__).resolve().parents[2]
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                       PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=root, env=environment)


def test_run_and_wait_stops_and_waits_for_a_call_that_outlives_its_loop():
    """The application quits during the call (in a process of its own: quitting this
    one's application would end pytest-qt's): Cancelled, after the call ended, and no
    abort for a QThread destroyed while it runs."""
    done = _run_script(QUIT_DURING_A_CALL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["cancelled", "after", "1.5"]


OUTLIVING_THE_WAIT = """
import gc
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.background import run_and_wait
from app.workers import TaskRunner, threads_running, wait_for_threads
from engine.tasks import Cancelled

waits = TaskRunner.stop_and_wait
TaskRunner.stop_and_wait = lambda runner, timeout_ms=30000: waits(runner, 200)
application = QApplication([])


def read():
    QTimer.singleShot(300, application.quit)
    try:
        run_and_wait(time.sleep, 2.0)
    except Cancelled:
        gc.collect()                                # the runner is gone, its thread runs on
        print("running", threads_running())
        print("ended", wait_for_threads(5000), threads_running())


QTimer.singleShot(0, read)
application.exec()
"""


def test_a_call_that_outlives_the_wait_runs_on_until_it_ends_without_its_runner():
    """The application quits during a call that does not end within the wait: Cancelled at
    once, the call's thread runs on, held (and waited for) without its runner, and the
    process ends without an abort for a QThread destroyed while it runs."""
    done = _run_script(OUTLIVING_THE_WAIT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["running", "1", "ended", "True", "0"]


def stopped_call(*args, **kwargs):
    raise Cancelled()


def test_a_stopped_read_ends_the_import_dialog_and_the_opening_quietly(
        window, dialogs, monkeypatch, semicolon_csv, tmp_path):
    monkeypatch.setattr(app.widgets.import_dialog, "run_and_wait", stopped_call)
    dialog = app.widgets.import_dialog.ImportDialog(str(semicolon_csv))
    assert dialog.stopped and dialog.table is None
    assert "stopped" in dialog.message.text()
    assert window.pages[1].import_file(str(semicolon_csv)) is False
    monkeypatch.setattr(window.session, "run_slow", stopped_call)
    assert window.open_project(untrained_project(tmp_path, "alpha")) is False
    assert window.session.project is None and not dialogs.warnings


def test_the_import_dialog_reads_the_file_in_a_worker(qtbot, monkeypatch, semicolon_csv):
    calls = Calls(app.widgets.import_dialog.load_table, delay=0.2)
    monkeypatch.setattr(app.widgets.import_dialog, "load_table", calls)
    ticks = Ticks()
    dialog = app.widgets.import_dialog.ImportDialog(str(semicolon_csv))
    qtbot.addWidget(dialog)
    assert calls.off_the_gui_thread() and ticks.count > 0
    assert list(dialog.table.frame.columns) == ["Datum", "Temperatur", "Last"]
    assert dialog.preview.horizontalHeaderItem(1).text() == "Temperatur"


def test_opening_a_project_reads_its_data_in_a_worker(window, dialogs, monkeypatch,
                                                      tmp_path):
    calls = Calls(engine.project.document.load_table, delay=0.2)
    monkeypatch.setattr(engine.project.document, "load_table", calls)
    assert window.open_project(untrained_project(tmp_path, "alpha"))
    assert calls.off_the_gui_thread()
    assert window.session.table is not None and len(window.session.table.frame) == 96
    assert window.current_step() == 3 and not dialogs.warnings


def test_the_data_page_computes_its_statistics_in_a_worker(window, dialogs, gui, qtbot,
                                                          monkeypatch, tmp_path):
    real = app.pages.data_page.page_statistics
    threads = []

    def statistics(table, target, lookback, task=None, config=None):
        threads.append(threading.current_thread())
        return real(table, target, lookback, task=task, config=config)

    monkeypatch.setattr(app.pages.data_page, "page_statistics", statistics)
    assert window.open_project(untrained_project(tmp_path, "alpha"))
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: gui.curve_length(page.acf_bars) > 0, timeout=10000)
    assert threads and threading.main_thread() not in threads
    assert "Suggested lookback for 'y'" in page.suggestion.text()
    rows = {page.variables.item(r, 0).text(): r for r in range(page.variables.rowCount())}
    minimum = page.variables.item(rows["y"], 5).text()       # the summary's columns too
    assert float(minimum) == pytest.approx(window.session.table.frame["y"].min(), rel=1e-3)


def test_the_deploy_page_reads_the_model_in_a_worker(qtbot, dialogs, monkeypatch, tmp_path):
    from app.pages.deploy.page import DeployPage
    from app.session import ProjectSession

    csv = tmp_path / "series.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)
    _, path, _ = trained_project(csv, tmp_path, max_epochs=5)
    session = ProjectSession()
    session.open(path)
    calls = Calls(app.pages.deploy.page.load_model, delay=0.2)
    monkeypatch.setattr(app.pages.deploy.page, "load_model", calls)
    page = DeployPage(session)
    qtbot.addWidget(page)
    page.refresh()
    assert page.model is None and page.status.text() == "Reading the model file..."
    qtbot.waitUntil(lambda: page.forecast.result is not None and not page.runner.running,
                    timeout=20000)
    assert calls.off_the_gui_thread()
    assert page.status.text().startswith("Model: the average of 5 GRU networks")
    assert page.tabs.isEnabled()


def open_tested_project(window, qtbot, tmp_path):
    """A trained project open on the testing step; its page once the analysis arrived."""
    csv = tmp_path / "series.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)
    _, path, _ = trained_project(csv, tmp_path, max_epochs=5)
    assert window.open_project(path)
    assert window.go_to_step(5)
    page = window.pages[5]
    qtbot.waitUntil(lambda: page.analysis is not None, timeout=30000)
    return page


def test_the_report_is_written_in_a_worker(window, dialogs, qtbot, monkeypatch, tmp_path):
    calls = Calls(engine.testing.report.write_report)
    monkeypatch.setattr(engine.testing.report, "write_report", calls)
    page = open_tested_project(window, qtbot, tmp_path)
    dialogs.save_paths = [tmp_path / "report.html"]
    page.save_report()
    assert calls.off_the_gui_thread()
    assert (tmp_path / "report.html").stat().st_size > 1000
    assert "report was saved" in page.status.text()


def test_the_report_of_many_series_is_written_in_a_worker(window, dialogs, qtbot,
                                                         monkeypatch, tmp_path):
    import engine.many.report
    from helpers.many_projects import trained_example

    calls = Calls(engine.many.report.write_many_report)
    monkeypatch.setattr(engine.many.report, "write_many_report", calls)
    _, path, _ = trained_example(tmp_path, lookback=24, max_epochs=1)
    assert window.open_project(str(path)) and window.go_to_step(5)
    view = window.pages[5].many
    qtbot.waitUntil(lambda: view.testing is not None, timeout=60000)
    dialogs.save_paths = [tmp_path / "report.html"]
    view.save_report()
    assert calls.off_the_gui_thread()
    assert (tmp_path / "report.html").stat().st_size > 1000
    assert "report was saved" in view.status.text()


def test_a_stopped_report_is_not_saved_quietly(window, dialogs, qtbot, monkeypatch,
                                               tmp_path):
    page = open_tested_project(window, qtbot, tmp_path)
    monkeypatch.setattr(app.pages.report_file, "run_and_wait", stopped_call)
    dialogs.save_paths = [tmp_path / "report.html"]
    page.save_report()
    assert page.status.text() == "The report was not saved." and not dialogs.warnings
