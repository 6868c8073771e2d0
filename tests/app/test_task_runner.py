"""app/workers.py's TaskRunner: typed signals, ``task=`` only for functions that take it,
the exception object on failure, Cancelled as its own signal, and ``restart=True`` that
replaces a running task and drops whatever the replaced one still sends; a thread still busy
after its task ended is asked to stop, then let go, never waited for without a limit."""

import threading
import time

import pytest
from PySide6.QtCore import Qt

from app import workers
from app.workers import TaskRunner, failure_text
from engine.errors import EngineError
from engine.tasks import Cancelled


def record(runner):
    seen = {"stage": [], "finished": [], "failed": [], "cancelled": []}
    runner.stage.connect(seen["stage"].append)
    runner.finished.connect(seen["finished"].append)
    runner.failed.connect(seen["failed"].append)
    runner.cancelled.connect(lambda: seen["cancelled"].append(True))
    return seen


def test_restart_cancels_the_running_task_and_drops_its_late_signals(qtbot):
    runner = TaskRunner()
    seen = record(runner)
    started = threading.Event()
    old_ended = threading.Event()

    def until_cancelled(name, task=None):
        task.stage(f"{name} started")
        started.set()
        while not task.cancelled:
            time.sleep(0.005)
        task.stage(f"{name} stopping")       # sent after it was replaced: dropped
        old_ended.set()
        return name

    def quick(name, task=None):
        assert old_ended.wait(5)             # the replaced task has sent everything
        task.stage(f"{name} started")
        return name

    runner.start(until_cancelled, "old")
    assert started.wait(5)
    with pytest.raises(RuntimeError, match="already running"):
        runner.start(quick, "second")
    runner.start(quick, "new", restart=True)
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    qtbot.wait(100)                          # any late, queued signal of the old task
    assert seen["finished"] == ["new"]
    assert "old stopping" not in seen["stage"] and "new started" in seen["stage"]
    assert not seen["failed"] and not seen["cancelled"]
    runner.stop_and_wait()


def test_task_goes_only_to_functions_that_take_it(qtbot):
    runner = TaskRunner()
    seen = record(runner)
    runner.start(lambda a, b=0: a + b, 2, b=3)
    qtbot.waitUntil(lambda: bool(seen["finished"]), timeout=5000)
    assert seen["finished"] == [5]


def test_failures_arrive_as_exception_objects_and_cancelled_as_its_own_signal(qtbot):
    runner = TaskRunner()
    seen = record(runner)

    def broken(error, task=None):
        raise error

    engine_error, bug = EngineError("The lookback is too long."), ZeroDivisionError("zero")
    for error in (engine_error, bug, Cancelled()):
        runner.start(broken, error)
        qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    assert seen["failed"] == [engine_error, bug]
    assert seen["cancelled"] == [True] and not seen["finished"]
    assert failure_text(engine_error) == "The lookback is too long."
    assert failure_text(bug).startswith("Something unexpected went wrong: "
                                        "ZeroDivisionError: zero.")


def test_stop_and_wait_honours_its_timeout_and_keeps_threads_that_did_not_end(qtbot):
    runner = TaskRunner()
    runner.start(time.sleep, 1.0)
    runner.start(time.sleep, 1.0, restart=True)          # the first one is replaced
    started = time.perf_counter()
    assert runner.stop_and_wait(100) is False
    assert time.perf_counter() - started < 0.6
    assert not runner.running and runner.ending
    qtbot.wait(50)                    # no thread is deleted while it runs (Qt would abort)
    qtbot.waitUntil(lambda: not runner.ending, timeout=5000)
    assert runner.stop_and_wait(100) is True


def test_a_base_exception_of_the_task_is_a_failure(qtbot):
    runner = TaskRunner()
    seen = record(runner)

    def exits():
        raise SystemExit(3)

    runner.start(exits)
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    assert [type(error) for error in seen["failed"]] == [SystemExit]
    assert failure_text(seen["failed"][0]).startswith("Something unexpected went wrong: "
                                                      "SystemExit: 3.")


def test_user_work_is_a_task_the_user_started_not_a_pages_own(qtbot):
    runner = TaskRunner()
    release = threading.Event()
    runner.start(release.wait, 5, by_user=False)
    assert runner.running and not runner.user_work
    release.set()
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    release.clear()
    runner.start(release.wait, 5)
    assert runner.user_work
    release.set()
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    assert not runner.user_work


def test_every_start_says_whose_work_started_also_one_that_replaces_a_task(qtbot):
    """running_changed(True) comes once, when the runner starts running; started(by_user)
    at every start, so that work the user starts in place of a page's own is seen."""
    runner = TaskRunner()
    changes, starts = [], []
    runner.running_changed.connect(changes.append)
    runner.started.connect(starts.append)
    release = threading.Event()
    runner.start(release.wait, 5, by_user=False)
    runner.start(release.wait, 5, restart=True)
    assert changes == [True] and starts == [False, True] and runner.user_work
    release.set()
    qtbot.waitUntil(lambda: not runner.running and not runner.ending, timeout=5000)


def run_on_a_worker_that_goes_on(qtbot, monkeypatch, after_the_task):
    """Runs a task on a worker that, once the task's last signal is sent, goes on with
    ``after_the_task(task)`` in its thread (a worker that does not end), with the waits cut
    to 200 ms; checks the runner ended within 2 s with the task's result, returns it."""
    class GoesOn(workers._Worker):
        def __init__(self, *args):
            super().__init__(*args)
            self.ended.connect(lambda: after_the_task(self.task),
                               Qt.ConnectionType.DirectConnection)

    monkeypatch.setattr(workers, "_Worker", GoesOn)
    monkeypatch.setattr(workers, "ENDING_WAIT_MS", 200)
    runner = TaskRunner()
    seen = record(runner)
    started = time.perf_counter()
    runner.start(lambda: "returned")
    qtbot.waitUntil(lambda: not runner.running, timeout=10000)
    assert time.perf_counter() - started < 2
    assert seen["finished"] == ["returned"]
    return runner


def test_a_worker_busy_after_its_task_ended_is_asked_to_stop(qtbot, monkeypatch, caplog):
    def until_asked_to_stop(task):
        deadline = time.perf_counter() + 5
        while not task.cancelled and time.perf_counter() < deadline:
            time.sleep(0.01)

    runner = run_on_a_worker_that_goes_on(qtbot, monkeypatch, until_asked_to_stop)
    qtbot.waitUntil(lambda: not runner.ending, timeout=5000)
    assert "left to end on its own" not in caplog.text


def test_a_worker_that_does_not_end_is_let_go_and_logged(qtbot, monkeypatch, caplog):
    release = threading.Event()
    runner = run_on_a_worker_that_goes_on(qtbot, monkeypatch, lambda task: release.wait(5))
    assert runner.ending
    assert "is still busy 0.4 s after its task ended" in caplog.text
    release.set()
    qtbot.waitUntil(lambda: not runner.ending, timeout=5000)
    assert runner.stop_and_wait(100) is True
