"""The deploy page's tools share one :class:`~app.workers.TaskRunner`: one task at a time,
and each task's result goes back to the callable of the tool that started it."""

import logging
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal, Slot

from ...workers import failure_text

log = logging.getLogger(__name__)


class ToolTasks(QObject):
    """Starts the tools' tasks on ``runner`` and hands each result to the tool that asked.

    ``start(function, *args, done=..., failed=..., cancelled=...)`` runs
    ``function(*args)`` in the runner's thread; then, in the GUI thread, ``done(result)``
    or ``failed(message)`` (the exception in words, :func:`~app.workers.failure_text`;
    ``failed`` defaults to the page's), or ``cancelled()`` (if given) when the task was
    cancelled; then ``ended`` is emitted. Tasks started inside :meth:`on_its_own` are the
    page's own work (:attr:`~app.workers.TaskRunner.user_work` is False while they run).
    A task let go (:meth:`let_go`) hands nothing to anybody: a result that no tool awaits
    is dropped, and no ``ended`` comes (the window refreshes the pages once the project
    that let it go stays or gives way).
    """

    ended = Signal()

    def __init__(self, runner, failed):
        super().__init__(runner)
        self.runner = runner
        self._default_failed = failed
        self._done = self._failed = self._cancelled = None
        self._own = False
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self._on_failed)
        runner.cancelled.connect(self._on_cancelled)
        runner.let_go.connect(self.let_go)

    @property
    def running(self):
        return self.runner.running

    def start(self, function, *args, done, failed=None, cancelled=None):
        self.runner.start(function, *args, by_user=not self._own)
        self._done, self._failed = done, failed or self._default_failed
        self._cancelled = cancelled

    @contextmanager
    def on_its_own(self):
        """The tasks started in this block are the page's own, not the user's: what the
        page computes by itself when a model is shown."""
        self._own = True
        try:
            yield
        finally:
            self._own = False

    def fail(self, message):
        """Tell the user that a task failed, as the page does (a tool's own ``failed``
        calls this after tidying up)."""
        self._default_failed(message)

    @Slot()
    def let_go(self):
        """The running task was let go (:attr:`~app.workers.TaskRunner.let_go`: it did not
        stop in time when the project was replaced or the window closed), the user's or the
        page's own: its tool awaits nothing any more, so nothing it would show or write
        is."""
        self._take()

    def _take(self):
        callbacks = self._done, self._failed, self._cancelled
        self._done = self._failed = self._cancelled = None
        return callbacks

    @Slot(object)
    def _on_finished(self, result):
        done, _, _ = self._take()
        if done is not None:
            done(result)
        self.ended.emit()

    @Slot(object)
    def _on_failed(self, error):
        _, failed, _ = self._take()
        if failed is not None:
            failed(failure_text(error))
        else:                           # the work let go: no tool shows it, the log keeps it
            log.warning("A task let go failed: %s", failure_text(error))
        self.ended.emit()

    @Slot()
    def _on_cancelled(self):
        _, _, cancelled = self._take()
        if cancelled is not None:
            cancelled()
        self.ended.emit()
