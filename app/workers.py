"""The only place where Qt meets the engine: engine calls run in a worker thread.

A :class:`TaskRunner` lives in the GUI thread. It runs ``function(*args, progress=...,
cancel=..., **kwargs)`` in a QThread; ``progress`` forwards any object (e.g. an epoch report)
to the GUI thread, ``cancel`` is an :class:`engine.CancelToken`. Results, engine errors and
unexpected exceptions all come back as signals, to slots of objects in the GUI thread.
"""

import logging
import traceback

from PySide6.QtCore import QObject, QThread, Signal, Slot

from engine import CancelToken, EngineError

log = logging.getLogger(__name__)
_garbage_collector = None


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
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, function, args, kwargs, cancel):
        super().__init__()
        self.function, self.args, self.kwargs, self.cancel = function, args, kwargs, cancel

    @Slot()
    def run(self):
        try:
            result = self.function(*self.args, progress=self.progress.emit, cancel=self.cancel,
                                   **self.kwargs)
        except EngineError as error:
            self.failed.emit(str(error))
        except Exception as error:  # noqa: BLE001 - shown to the user, never a traceback dialog
            log.error("Unexpected error in a background task:\n%s", traceback.format_exc())
            self.failed.emit(f"Something unexpected went wrong: {type(error).__name__}: {error}. "
                             "Your project is unchanged; please report this with the steps "
                             "that led to it.")
        else:
            self.finished.emit(result)


class TaskRunner(QObject):
    """Runs one task at a time in a background thread and relays its signals."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread = None
        self._worker = None
        self._cancel = None

    @property
    def running(self):
        return self._thread is not None

    def start(self, function, *args, **kwargs):
        if self.running:
            raise RuntimeError("a task is already running")
        self._cancel = CancelToken()
        self._thread = QThread()
        self._worker = _Worker(function, args, kwargs, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        self.running_changed.emit(True)

    def stop(self):
        """Ask the task to stop; it ends at its next check (between batches)."""
        if self._cancel is not None:
            self._cancel.cancel()

    def stop_and_wait(self, timeout_ms=30000):
        """Stop and block until the thread has ended (used when the window closes)."""
        if self._thread is None:
            return True
        self.stop()
        self._thread.quit()
        ended = self._thread.wait(timeout_ms)
        self._cleanup()
        return ended

    def _abandoned(self):
        """True for a signal of a task that :meth:`stop_and_wait` already ended (it may
        arrive later, queued): the window that asked for it is closing."""
        return self._worker is None or self.sender() is not self._worker

    @Slot(object)
    def _on_finished(self, result):
        if self._abandoned():
            return
        self._cleanup()
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, message):
        if self._abandoned():
            return
        self._cleanup()
        self.failed.emit(message)

    def _cleanup(self):
        if self._thread is None:
            return
        self._thread.quit()
        self._thread.wait()
        self._worker.deleteLater()
        self._thread.deleteLater()
        self._thread = self._worker = self._cancel = None
        self.running_changed.emit(False)
