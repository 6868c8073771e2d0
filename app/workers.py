"""The only place where Qt meets the engine: engine calls run in a worker thread.

A :class:`TaskRunner` lives in the GUI thread. It runs ``function(*args, **kwargs)`` in a
QThread, with ``task=`` a :class:`engine.tasks.TaskState` added when the function has a
``task`` parameter (the engine's protocol of long work). What the task reports comes back
as typed signals in the GUI thread: ``stage(str)``, ``epoch(EpochReport)``,
``preview(object)``, ``step(object)``; then exactly one of ``finished(result)``,
``failed(exception)`` (the exception object: :func:`failure_text` words it) and
``cancelled()`` (the function raised :class:`engine.tasks.Cancelled`).
"""

import inspect
import logging
import traceback

from PySide6.QtCore import QDeadlineTimer, QObject, Qt, QThread, Signal, Slot
from shiboken6 import isValid

from engine.errors import EngineError
from engine.tasks import Cancelled, TaskState

log = logging.getLogger(__name__)
ENDING_WAIT_MS = 2000   # how long an ended task's thread may take to end before it is let go
_garbage_collector = None
_started = []           # (thread, worker) of every task started and not known to have ended


def failure_text(error):
    """What a page shows for a task's exception: an :class:`EngineError`'s own message;
    for anything else the same plain sentence, never a traceback."""
    if isinstance(error, EngineError):
        return str(error)
    return (f"Something unexpected went wrong: {type(error).__name__}: {error}. Your project "
            "is unchanged; please report this with the steps that led to it.")


def takes_task(function):
    """True when ``function`` has a ``task`` parameter (it then gets the TaskState)."""
    try:
        return "task" in inspect.signature(function).parameters
    except (TypeError, ValueError):     # no signature to read (a builtin)
        return False


def _forget_ended():
    """Drop from :data:`_started` the threads that ended (or that their runner deleted)."""
    _started[:] = [(thread, worker) for thread, worker in _started
                   if isValid(thread) and thread.isRunning()]


def threads_running():
    """How many threads of the runners' tasks still run, in the whole application."""
    _forget_ended()
    return len(_started)


def wait_for_threads(timeout_ms):
    """Block until every thread that a :class:`TaskRunner` started has ended, at most
    ``timeout_ms`` in all; True when they all ended.

    The threads are held here from their start until they end, whatever becomes of their
    runner (a page deleted with its window, a runner that let a thread go): a QThread that
    Python frees while it runs aborts the process ("QThread: Destroyed while thread is still
    running")."""
    deadline = QDeadlineTimer(timeout_ms)
    for thread, _ in list(_started):
        if isValid(thread):
            thread.wait(deadline)
    return threads_running() == 0


def collect_garbage_in_the_gui_thread(interval=1.0):
    """Turn Python's automatic garbage collection off and collect on a timer in the GUI
    thread instead (pyqtgraph's GarbageCollector); once per process, returns it.

    An automatic collection runs in whichever thread happens to allocate, e.g. a training
    thread; when the garbage holds Qt objects (a closed dialog, an old window), destroying
    them there takes Qt's locks while the GUI thread holds Python's, and both wait for
    ever."""
    global _garbage_collector
    if _garbage_collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _garbage_collector = GarbageCollector(interval=interval)
    return _garbage_collector


class _Worker(QObject):
    """Runs the function once in its thread; its signals carry what the task reports."""

    stage = Signal(str)
    epoch = Signal(object)
    preview = Signal(object)
    step = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, function, args, kwargs):
        super().__init__()
        self.function, self.args, self.kwargs = function, args, kwargs
        self.done = False
        self.task = TaskState(on_stage=self.stage.emit, on_epoch=self.epoch.emit,
                              on_preview=self.preview.emit, on_step=self.step.emit)

    @Slot()
    def run(self):
        kwargs = dict(self.kwargs)
        if takes_task(self.function):
            kwargs["task"] = self.task
        try:
            result = self.function(*self.args, **kwargs)
        except Cancelled:
            self.cancelled.emit()
        # every other exception is a failure, also a SystemExit that a library raises (a
        # KeyboardInterrupt never reaches a worker thread): the runner must hear the end
        except BaseException as error:  # noqa: BLE001 - shown to the user, never a traceback
            if not isinstance(error, EngineError):
                log.error("Unexpected error in a background task:\n%s",
                          traceback.format_exc())
            self.failed.emit(error)
        else:
            self.finished.emit(result)
        finally:
            self.done = True
            self.ended.emit()


class TaskRunner(QObject):
    """Runs one task at a time in a background thread and relays its signals.

    ``start(function, *args, restart=True, **kwargs)`` while a task runs cancels that task
    and starts the new one at once (for idempotent work such as a preview: only the newest
    request matters); the replaced task ends in the background and its late signals are
    dropped. Without ``restart`` a second start while running raises.

    ``by_user=False`` marks a page's own work (reading a model, the analysis or forecast a
    page starts when it is shown): :attr:`user_work` is False while it runs, and the window
    stops it without asking when another project is opened or the window closes.

    ``running_changed(running)`` is emitted when the runner starts or stops running;
    ``started(by_user)`` at every start, also one that replaces a running task;
    ``let_go`` when :meth:`stop_and_wait` lets a running task go: none of its signals
    (``finished``, ``failed``, ``cancelled``) will come."""

    stage = Signal(str)
    epoch = Signal(object)
    preview = Signal(object)
    step = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    running_changed = Signal(bool)
    started = Signal(bool)
    let_go = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread = None
        self._worker = None
        self._replaced = []          # (thread, worker) of cancelled tasks still ending
        self._by_user = False

    @property
    def running(self):
        return self._thread is not None

    @property
    def user_work(self):
        """True while a task that the user started runs (not a page's own work)."""
        return self.running and self._by_user

    def start(self, function, *args, restart=False, by_user=True, **kwargs):
        if self.running and not restart:
            raise RuntimeError("a task is already running")
        was_running = self.running
        if was_running:
            self._replace()
        self._thread = QThread()
        self._worker = _Worker(function, args, kwargs)
        self._by_user = by_user
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        for name in ("stage", "epoch", "preview", "step", "finished", "failed", "cancelled"):
            getattr(self._worker, name).connect(getattr(self, f"_on_{name}"))
        _forget_ended()
        _started.append((self._thread, self._worker))
        self._thread.start()
        if not was_running:
            self.running_changed.emit(True)
        self.started.emit(by_user)

    def stop(self):
        """Ask the task to stop; it ends at its next check (between batches)."""
        if self._worker is not None:
            self._worker.task.cancel()

    def stop_and_wait(self, timeout_ms=30000):
        """Stop and block until the threads have ended (used when the window closes), at
        most ``timeout_ms`` in all. True when they all ended; a thread that did not is
        kept (the runner forgets its task, whose late signals are dropped, and deletes the
        thread once it ends: a QThread destroyed while it runs aborts the process)."""
        if self._thread is not None:
            self._replace()
            self.running_changed.emit(False)
            self.let_go.emit()
        deadline = QDeadlineTimer(timeout_ms)
        for thread, worker in list(self._replaced):
            if thread.wait(deadline):
                self._replaced.remove((thread, worker))
                worker.deleteLater()
                thread.deleteLater()
        return not self._replaced

    @property
    def ending(self):
        """True while a replaced or stopped task's thread has not ended yet."""
        return any(thread.isRunning() for thread, _ in self._replaced)

    def _replace(self):
        """Cancel the running task and let it end on its own; its signals are dropped."""
        thread, worker = self._thread, self._worker
        worker.task.cancel()
        self._replaced.append((thread, worker))
        thread.finished.connect(self._forget_replaced)
        # quit() is thread-safe: called directly in the worker's thread, it also ends a
        # thread that the GUI thread is blocked waiting for (stop_and_wait)
        worker.ended.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        if worker.done:                 # it ended before the connection was made
            thread.quit()
        self._thread = self._worker = None

    @Slot()
    def _forget_replaced(self):
        for pair in [p for p in self._replaced if p[0] is self.sender()]:
            self._replaced.remove(pair)
            pair[1].deleteLater()
            pair[0].deleteLater()

    def _abandoned(self):
        """True for a signal of a task that was replaced, or that :meth:`stop_and_wait`
        already ended (it may arrive later, queued): nobody waits for it any more."""
        return self._worker is None or self.sender() is not self._worker

    @Slot(str)
    def _on_stage(self, text):
        if not self._abandoned():
            self.stage.emit(text)

    @Slot(object)
    def _on_epoch(self, report):
        if not self._abandoned():
            self.epoch.emit(report)

    @Slot(object)
    def _on_preview(self, payload):
        if not self._abandoned():
            self.preview.emit(payload)

    @Slot(object)
    def _on_step(self, progress):
        if not self._abandoned():
            self.step.emit(progress)

    @Slot(object)
    def _on_finished(self, result):
        if not self._abandoned():
            self._cleanup()
            self.finished.emit(result)

    @Slot(object)
    def _on_failed(self, error):
        if not self._abandoned():
            self._cleanup()
            self.failed.emit(error)

    @Slot()
    def _on_cancelled(self):
        if not self._abandoned():
            self._cleanup()
            self.cancelled.emit()

    def _cleanup(self):
        """After the task's last signal: its function has returned, so its thread ends at
        once. One that is still busy after :data:`ENDING_WAIT_MS` (work the function left
        queued in its thread) is asked to stop and waited for as long again; then it is let
        go as a replaced task is (kept until it ends, its late signals dropped) and logged:
        the window never blocks on it for longer than twice :data:`ENDING_WAIT_MS`."""
        if self._thread is None:
            return
        thread, worker = self._thread, self._worker
        thread.quit()
        if thread.wait(QDeadlineTimer(ENDING_WAIT_MS)):
            worker.deleteLater()
            thread.deleteLater()
            self._thread = self._worker = None
        else:
            self._replace()             # asks the task to stop; deleted once it ends
            if not thread.wait(QDeadlineTimer(ENDING_WAIT_MS)):
                log.warning("A background thread is still busy %.1f s after its task "
                            "ended, also after it was asked to stop; it is left to end on "
                            "its own.", 2 * ENDING_WAIT_MS / 1000)
        self.running_changed.emit(False)
