"""Training runs in a worker thread: closing the window while it runs leaves no thread
behind, errors in the worker come back as a plain dialog, and the event loop stays
responsive meanwhile."""

import functools
import importlib
import json
import os
import threading
import time
from collections import Counter

import numpy as np
import pytest
from shiboken6 import isValid
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

import app.pages.training_page
from engine import EngineError


def os_threads():
    """The names of this process's threads as the system sees them, without the threads of
    Qt's shared pool (Qt draws images on them; idle, they end by themselves 30 s later)."""
    names = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                names.append(comm.read().strip())
        except OSError:             # the thread ended meanwhile
            continue
    return sorted(name for name in names if name != "Thread (pooled)")


def running_threads():
    """``threading.enumerate()`` without the entries of threads that have ended: Python
    3.11 keeps a "dummy" entry for every thread it did not start (a QThread) that ran
    Python code, even after that thread ended."""
    alive = {int(task) for task in os.listdir("/proc/self/task")}
    return [t for t in threading.enumerate()
            if not isinstance(t, threading._DummyThread) or t.native_id in alive]


def system_thread_ids():
    """The ids the system gives this process's threads now."""
    return {int(task) for task in os.listdir("/proc/self/task")}


def training_that_tells_its_thread(monkeypatch):
    """The training page's ``train_project``, recording the system id of the thread it
    runs in (``ids``, returned); ``wraps`` keeps its ``task`` parameter visible."""
    ids = []
    real_training = app.pages.training_page.train_project

    @functools.wraps(real_training)
    def training(*args, **kwargs):
        ids.append(threading.get_native_id())
        return real_training(*args, **kwargs)

    monkeypatch.setattr(app.pages.training_page, "train_project", training)
    return ids


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux /proc")
def test_closing_the_window_while_training_stops_it_and_leaves_no_thread(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv, monkeypatch):
    # The training's drift test loads statsmodels, hence SciPy, whose BLAS library starts
    # its thread pool when it is loaded, in the loading thread: the pool's threads keep
    # that thread's name ("QThread") for the life of the process. Loaded first here, as
    # any earlier test of the run does, so that only this training's own threads count.
    importlib.import_module("statsmodels.tsa.stattools")
    worker_ids = training_that_tells_its_thread(monkeypatch)
    threads_before = len(running_threads())
    window = make_window()
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv, max_epochs=20000)
    os_threads_before = os_threads()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    thread = page.runner._thread
    assert thread is not None and thread.isRunning()
    qtbot.waitUntil(lambda: gui.curve_length(page.training_curve) >= 2, timeout=20000)
    assert page.runner.running
    # the worker, seen by the system (threads that libraries started from earlier workers
    # keep their name, e.g. onnxruntime's after an ONNX export: count, not presence)
    [worker_id] = worker_ids
    assert worker_id in system_thread_ids() and worker_id != threading.main_thread().native_id
    assert os_threads().count("QThread") == os_threads_before.count("QThread") + 1

    # "Stop the training and close?" Yes; then "unsaved changes" Discard
    dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
    assert window.close()
    assert [title for title, _ in dialogs.questions] == ["Training is running",
                                                         "Unsaved changes"]
    assert not window.isVisible()
    # the QThread ended before close() returned; it is deleted with the next events, or
    # already (closing waits for the pages' own work, and that wait runs them), and the
    # runner deletes a thread only once it has ended
    assert not isValid(thread) or (thread.isFinished() and not thread.isRunning())
    assert not page.runner.running and page.runner._thread is None
    qtbot.waitUntil(lambda: len(running_threads()) <= threads_before, timeout=5000)
    qtbot.waitUntil(lambda: worker_id not in system_thread_ids(), timeout=5000)
    # no thread the system knows of is left over (threads of earlier tests may have ended)
    qtbot.waitUntil(lambda: not Counter(os_threads()) - Counter(os_threads_before),
                    timeout=5000)
    assert os_threads().count("QThread") == os_threads_before.count("QThread")
    # the stopped training's model, which the user just discarded, is not kept: neither
    # its unsaved model file nor anything in the saved project
    qtbot.wait(200)
    assert window.session.pending_model is None
    assert not list((tmp_path / "project").rglob("*.unsaved.npz"))
    saved = json.loads(next((tmp_path / "project").glob("*.json")).read_text())
    assert not (saved.get("results") or {}).get("training")
    assert not dialogs.warnings


def test_cancelling_at_unsaved_changes_after_stopping_leaves_a_usable_page(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    """Close, Yes to stopping the training, then Cancel at "Unsaved changes": the window
    stays with the training stopped as Stop does (its best epoch kept, Start enabled),
    not locked in a training that no longer runs."""
    from app.session import DONE

    window = make_window()
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv, max_epochs=20000)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gui.curve_length(page.training_curve) >= 2, timeout=20000)
    dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel]
    assert not window.close()
    assert window.isVisible() and not page.runner.running
    assert page.start_button.isEnabled() and not page.stop_button.isEnabled()
    assert window.session.step_states()[3] == DONE
    assert window.session.trained_model() is not None
    dialogs.answers = [QMessageBox.StandardButton.Discard]
    assert window.close()


def test_answering_no_keeps_the_window_and_the_training(make_window, dialogs, gui, qtbot,
                                                        tmp_path, semicolon_csv):
    window = make_window()
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv, max_epochs=20000)
    page.start_button.click()
    dialogs.answers = [QMessageBox.StandardButton.No]
    assert not window.close()
    assert window.isVisible() and page.runner.running
    page.stop_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)


@pytest.mark.parametrize("error, shown", [
    (RuntimeError("matrix exploded"), "Something unexpected went wrong: RuntimeError: "
                                      "matrix exploded"),
    (EngineError("The lookback is longer than the data."),
     "The lookback is longer than the data."),
])
def test_an_error_in_the_worker_is_shown_as_a_dialog(window, dialogs, gui, qtbot, tmp_path,
                                                     semicolon_csv, monkeypatch, error, shown):
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv)
    calls = []

    def broken_training(project, table, task=None, model_path=None):
        calls.append(threading.current_thread() is not threading.main_thread())
        task.stage("Training the network")
        raise error

    real_training = app.pages.training_page.train_project
    monkeypatch.setattr(app.pages.training_page, "train_project", broken_training)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.warnings), timeout=10000)
    assert calls == [True]                    # it ran in the worker thread
    title, message = dialogs.warnings[0]
    assert title == "Training failed"
    assert shown in message
    assert "Traceback" not in message and 'File "' not in message
    assert page.start_button.isEnabled() and not page.stop_button.isEnabled()
    assert not page.runner.running
    assert window.session.step_states()[3] == "to do"      # nothing recorded
    assert window.session.project.results.training is None

    # the button works again: a real training now succeeds
    monkeypatch.setattr(app.pages.training_page, "train_project", real_training)
    dialogs.warnings.clear()
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    assert window.session.step_states()[3] == "done"
    assert not dialogs.warnings


def test_the_event_loop_stays_responsive_while_training(window, dialogs, gui, qtbot, tmp_path):
    # a bigger file and network so that every epoch takes real work
    csv = gui.write_semicolon_csv(tmp_path / "data" / "long.csv", rows=4000)
    page = gui.ready_project(window, tmp_path / "project", csv, hidden=(32,), lookback=24,
                             max_epochs=100000, batch_size=32)
    interval_ms = 15
    stamps = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    timer.start()
    page.start_button.click()
    started = time.perf_counter()
    qtbot.waitUntil(lambda: time.perf_counter() - started > 3.0
                    and gui.curve_length(page.training_curve) >= 2, timeout=60000)
    assert page.runner.running                # it was training the whole time
    page.stop_button.click()
    timer.stop()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    gaps = np.diff(np.array(stamps)) * 1000.0
    lateness = np.maximum(gaps - interval_ms, 0.0)
    assert len(stamps) > 50
    p95 = float(np.percentile(lateness, 95))
    assert p95 < 100.0, f"timer late by {p95:.0f} ms at the 95th percentile"
    assert window.session.project.results.training["stop_reason"].startswith(
        "Stopped by the user")


def test_the_application_collects_garbage_in_the_gui_thread_only(qtbot, monkeypatch):
    import gc
    import weakref

    import app.workers

    monkeypatch.setattr(app.workers, "_garbage_collector", None)
    gc.enable()
    collector = app.workers.collect_garbage_in_the_gui_thread(interval=0.05)
    try:
        assert not gc.isenabled() and collector.timer.isActive()
        assert app.workers.collect_garbage_in_the_gui_thread() is collector

        class Cycle:
            pass

        cycles = [Cycle() for _ in range(2000)]       # more than one generation's worth
        for cycle in cycles:
            cycle.itself = cycle
        last = weakref.ref(cycles[-1])
        del cycles, cycle
        assert last() is not None                      # nothing collects it by itself
        qtbot.waitUntil(lambda: last() is None, timeout=3000)   # the timer, in this thread
    finally:
        collector.timer.stop()
