"""The second process of :mod:`engine.training.process_pair`: a program of its own, started
by the training process as ``python -c "...serve_pipe(fd)"`` (never imported by it). It
rebuilds the network on the shared parameters and computes the data loss and gradient of
the rows the training process sends, one batch after the other."""

import json
import signal
import traceback
from multiprocessing import resource_tracker, shared_memory
from multiprocessing.connection import Connection

import numpy as np

from engine.data.windows import windows_from_source
from engine.network.losses import make_loss
from engine.network.recurrent import RecurrentNetwork


def _attach(name):
    """Shared memory made by the training process, attached without registering it with
    the resource tracker (the training process owns and unlinks it)."""
    register = resource_tracker.register
    resource_tracker.register = lambda *args, **kwargs: None
    try:
        return shared_memory.SharedMemory(name=name)
    finally:
        resource_tracker.register = register


def _send(conn, **message):
    conn.send_bytes(json.dumps(message).encode())


def shared_array(segments, entry):
    """The array described by ``entry`` (``{"name", "dtype", "shape"}``) in a shared
    memory segment made by the training process, or None."""
    if entry is None:
        return None
    segments.append(_attach(entry["name"]))
    return np.ndarray(entry["shape"], dtype=np.dtype(entry["dtype"]),
                      buffer=segments[-1].buf)


def serve_pipe(fd):
    """The worker process, on the pipe end ``fd``: receives its settings (JSON), rebuilds
    the network on the shared parameters, then for every batch of row indices (raw int64
    bytes; empty bytes end it) answers ``{"done": loss, "batches": the number of batches it
    has computed}`` or ``{"error": type name, "message", "traceback"}`` (JSON)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the training process decides
    conn = Connection(fd)
    segments = []
    try:
        _serve(conn, json.loads(conn.recv_bytes()), segments)
    except Exception as error:  # noqa: BLE001 - sent back to the training process
        try:
            _send_error(conn, error)
        except OSError:
            pass
    finally:
        for segment in segments:
            try:
                segment.close()
            except BufferError:
                pass
        conn.close()


def _serve(conn, spec, segments):
    from threadpoolctl import threadpool_limits

    network = RecurrentNetwork(**spec["settings"])
    params = network.parameters_
    vectors = shared_array(segments, spec["vectors"])
    params.values = vectors[0]
    params.views = params.view_dict(vectors[0])
    gradient = vectors[1]
    root = shared_array(segments, spec["root"])
    positions = shared_array(segments, spec["positions"])
    X = windows_from_source(root, (*spec["layout"], positions))
    Y = shared_array(segments, spec["targets"])
    loss = make_loss(**spec["loss"])
    _send(conn, ready=True)
    computed = 0
    with threadpool_limits(limits=1, user_api="blas"):
        while True:
            try:
                message = conn.recv_bytes()
            except EOFError:
                return
            if not message:
                return
            index = np.frombuffer(message, dtype=np.int64)
            try:
                value = network.data_loss_and_gradient(X[index], Y[index], loss,
                                                       gradient, threads=1)
            except Exception as error:  # noqa: BLE001 - sent back to the training process
                _send_error(conn, error)
                continue
            computed += 1
            _send(conn, done=float(value), batches=computed)


def _send_error(conn, error):
    _send(conn, error=type(error).__name__, message=str(error),
          traceback="".join(traceback.format_exception(error)))
