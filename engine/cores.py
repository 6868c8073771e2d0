"""The processor cores this process may use."""

import contextlib
import contextvars
import os

CORES_VARIABLE = "RNN_STUDIO_CORES"
"""The most cores this process's own work may use (a whole number): what a pool worker
sets to 1 (:data:`engine.selection.executors.ONE_CORE`), so that its network's products
and predictions run on one thread while the other workers have the other cores; unset, the
cores below."""

_ONE_CORE = contextvars.ContextVar("rnn_studio_one_core", default=False)


def usable_cores():
    """The number of cores this process may run on (at least 1): its CPU affinity where
    the system has one (Linux), else every core of the machine (macOS, Windows); at most
    :data:`CORES_VARIABLE` where that is set to a whole number of 1 or more; 1 inside
    :func:`on_one_core`."""
    if _ONE_CORE.get():
        return 1
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        cores = max(1, os.cpu_count() or 1)
    limit = os.environ.get(CORES_VARIABLE, "").strip()
    return min(cores, int(limit)) if limit.isdecimal() and int(limit) >= 1 else cores


def held_to_one_core():
    """True where this process's work was given one core on purpose, whatever the machine
    has: inside :func:`on_one_core`, and where :data:`CORES_VARIABLE` is 1 (a pool
    worker)."""
    return _ONE_CORE.get() or os.environ.get(CORES_VARIABLE, "").strip() == "1"


@contextlib.contextmanager
def on_one_core():
    """Inside the block, in this thread only, :func:`usable_cores` is 1: a network trained
    here takes one thread and no second training process, while the other cores train
    other networks (:mod:`engine.training.members`)."""
    token = _ONE_CORE.set(True)
    try:
        yield
    finally:
        _ONE_CORE.reset(token)
