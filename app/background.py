"""Slow calls whose caller needs the result before it goes on (reading a CSV file, writing
a report): the call runs in a worker thread while the GUI thread keeps painting."""

from PySide6.QtCore import QEventLoop

from engine.tasks import Cancelled

from .workers import TaskRunner


def run_and_wait(function, *args, **kwargs):
    """``function(*args, **kwargs)`` in a :class:`~app.workers.TaskRunner`'s thread; the
    GUI thread meanwhile runs a local event loop that repaints the windows and runs
    timers and queued signals, but leaves the user's clicks and keys until the call ended
    (so nothing the user does can start a second one). Returns the result in the GUI
    thread, or raises the exception the call raised (:class:`engine.tasks.Cancelled` for
    a cancelled one).

    When the local loop ends before the call (the application quits: that ends nested
    loops too), the call is stopped and waited for and :class:`engine.tasks.Cancelled`
    raised; a call that does not end in time is let go, running on: its thread is held
    until it ends, whatever becomes of the runner, by :mod:`app.workers`
    (:func:`~app.workers.wait_for_threads`)."""
    runner = TaskRunner()
    loop = QEventLoop()
    outcome = {}

    def end(key, value):
        outcome[key] = value
        loop.quit()

    runner.finished.connect(lambda result: end("result", result))
    runner.failed.connect(lambda error: end("error", error))
    runner.cancelled.connect(lambda: end("error", Cancelled()))
    runner.start(function, *args, **kwargs)
    if not outcome:
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if not outcome:
        runner.stop_and_wait()
        raise Cancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
