"""The one protocol of long engine work: a :class:`TaskState` passed as ``task=``.

Every engine function that reports progress or can be stopped (fitting a project, a training,
the automatic trial fits, a search and its trials, the testing analysis, the data page's
statistics) takes one keyword argument, ``task``, and nothing else for reporting or
stopping. Shorter work that neither reports nor stops (a forecast, a batch prediction, an
export, reading a file) takes no ``task``; the application still runs it in a worker
thread, and waits for it to end when it must::

    task = TaskState(on_stage=print, on_epoch=show_curve)
    result = fit_project(project, task=task)     # from another thread: task.cancel()

Through it the function reports what it does (``task.stage("Choosing the lookback")``,
``task.epoch(report)`` once per training epoch, ``task.preview(payload)`` for a partial
result worth drawing, ``task.step(progress)`` once per finished unit of a search, origin
of a backtest of many series or network of an ensemble trained on other cores; each has a
``text``) and learns whether to stop: ``task.check()`` raises
:class:`Cancelled` once :meth:`TaskState.cancel` has been called. A function that can end
early with a usable result (a training keeps its best weights, a search its finished
trials) catches :class:`Cancelled` itself and returns the result with ``cancelled=True``;
any other function lets :class:`Cancelled` propagate.

``task=None`` means nobody listens and nobody stops: :func:`as_task` turns it into a silent
state, so a function never tests for ``None``.
"""

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from engine.errors import EngineError

STOPPED_BY_THE_USER = "Stopped by the user."


class Cancelled(Exception):
    """A long task ended because its :class:`TaskState` was cancelled (not an error)."""

    def __init__(self, message=STOPPED_BY_THE_USER):
        super().__init__(message)


def _ignore(_payload):
    return None


@dataclass
class TaskState:
    """Where a long task reports and how it learns to stop; safe to cancel from any thread.

    on_stage : called with a short text when the task starts a new stage
    on_epoch : called with an :class:`~engine.training.settings.EpochReport` after every epoch
    on_preview : called with a partial result the caller may draw (e.g. a trained copy)
    on_step : called with the progress of a search after every finished trial, of a
        backtest of many series after every origin (an ``OriginsDone``), or of an
        ensemble's networks on other cores after every network (a ``MembersDone``)
    """

    on_stage: Callable[[str], Any] = _ignore
    on_epoch: Callable[[Any], Any] = _ignore
    on_preview: Callable[[Any], Any] = _ignore
    on_step: Callable[[Any], Any] = _ignore
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)

    @classmethod
    def watching(cls, event):
        """A silent state whose cancel is ``event`` (anything with ``is_set()`` and
        ``set()``), e.g. a multiprocessing or Dask event that another process sets."""
        return cls(_stop=event)

    def silenced(self):
        """A state that reports nothing and is cancelled together with this one (for work
        inside a task whose details the listener does not want, e.g. a search's trials)."""
        return TaskState(_stop=self._stop)

    def epochs_only(self):
        """A state that reports only the epochs and is cancelled together with this one
        (for a fit inside a stage of its own, e.g. a trial network of the window's choice:
        its epochs are the stage's progress, its own stages would only repeat the stage)."""
        return TaskState(on_epoch=self.on_epoch, _stop=self._stop)

    def stage(self, text):
        self.on_stage(text)

    def epoch(self, report):
        self.on_epoch(report)

    def preview(self, payload):
        self.on_preview(payload)

    def step(self, progress):
        self.on_step(progress)

    def cancel(self):
        """Ask the task to stop at its next :meth:`check` (between batches, trials, rows)."""
        self._stop.set()

    @property
    def cancelled(self):
        return self._stop.is_set()

    def check(self):
        """Raise :class:`Cancelled` if :meth:`cancel` was called."""
        if self._stop.is_set():
            raise Cancelled()


def as_task(task):
    """``task`` itself, or a silent :class:`TaskState` for ``None``; anything else (a
    function such as ``print``) is refused with an :class:`~engine.errors.EngineError`
    that says how to make one."""
    if task is None:
        return TaskState()
    if not isinstance(task, TaskState):
        raise EngineError(f"task must be a TaskState, e.g. task=TaskState(on_epoch=print) "
                          f"to be told of every epoch; got {task!r}.")
    return task
