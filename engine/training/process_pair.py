"""Training on two cores with a second worker process.

About half of a training step is small element-wise NumPy calls, which two Python threads
cannot run at the same time (Python's global lock). A :class:`ProcessPair` starts one
worker process (its own interpreter and lock) that computes the gradient of half of every
mini-batch while this process computes the other half::

    loss = (n_a loss_a + n_b loss_b) / n,    gradient = (n_a g_a + n_b g_b) / n

(every loss is a mean over all elements, so each half is weighted by its share of the
windows). The parameters and the worker's gradient live in shared memory, and so do the
targets and the array the training windows are views of (the feature rows, not the
overlapping windows: see :func:`~engine.data.windows.window_source`); per batch only the
worker's row indices go through a pipe. Nothing is pickled: the pipe carries raw index bytes one way and JSON the
other, and the worker gets its settings as JSON. Both processes use one BLAS thread.

The worker is a new Python interpreter (never a fork: the GUI trains from a thread, and
forking a threaded process is unsafe) started directly on
:mod:`engine.training.pair_worker`, so the program's
main module is not imported again (``multiprocessing``'s "spawn" would run an unguarded
script such as ``python -m engine`` a second time); it runs in its own session, so a
Ctrl+C in a terminal reaches only the training process, which ends it. Starting it costs
0.1-0.2 s with warm file caches (up to about a second when NumPy is read from disk); the
training does not wait for it but computes both halves of every batch itself until the
worker says it is ready (:data:`OVERLAP_START`), so the weights do not depend on when that
happens, nor on whether it happens at all (a worker that fails to start is ended and the
training goes on in one process). :func:`worth_it` uses it only for fits long enough to
gain from it; where it would be worth it but cannot run (one usable core, a build
without an interpreter to start), :class:`HalvedBatches` computes the same halves in this
process, so that a fit's weights are the same whatever the computer (an ensemble's
members take whole batches everywhere: :mod:`engine.training.members`). While the training
waits for the worker's half of a batch it looks at the person's Stop every
:data:`POLL_SECONDS`, so that a worker that is slow or stalled (alive, not answering)
cannot hold the Stop up. :meth:`ProcessPair.close` ends the worker (at once
when it is still starting or has a batch it did not answer) and frees the shared memory
whatever ended the training.
"""

import builtins
import json
import os
import subprocess
import sys
import time
from multiprocessing.connection import Pipe
from pathlib import Path

import numpy as np
from multiprocessing import shared_memory

from engine.cores import held_to_one_core, usable_cores
from engine.data.windows import window_source
from engine.errors import EngineError
from engine.network.losses import loss_settings
from engine.tasks import Cancelled

# "auto": used when worth_it() says so; "on": always when it can be (tests); "off": never.
MODE = os.environ.get("RNN_STUDIO_PROCESS_PAIR", "auto").lower()
# Estimated fit time (one process) needed to start the worker. The training does not wait
# for the worker's start, so short fits gain too: measured (LSTM 1x64, 1x128, GRU 2x64,
# batches of 64, best of 5) fits of 0.2-0.3 s in one process took 12-22% longer with it,
# fits of 0.5 s were within -9%..+2%, fits of 1 s 10-25% shorter. The estimate below runs
# 1.4-2 times above the time one process takes, so 2 s means fits of about 1-1.4 s.
MIN_ESTIMATED_SECONDS = 2.0
MIN_HALF_BATCH = 16          # each process gets at least this many windows of a batch
# Each half of a batch must have at least this many multiply-adds in the largest layer's
# step product: below it, the fixed cost per step (Python calls) of the two halves and the
# hand-over per batch eat the gain. Measured on fits of 0.7-1.2 s, batches of 64 (best of
# 9): 114k-152k (GRU 1x32, RNN 1x64, LSTM 1x32) 1.23-1.29x faster with the worker, 67k
# (GRU 1x24) 1.04x, 38k (RNN 1x32) 0.75x.
MIN_HALF_STEP_WORK = 100_000
# Estimated single-process training speed, in multiply-adds of the step products per
# second (forward and backward together; conservative for small layers, which are slower).
ESTIMATED_RATE = 8e9
MAX_SHARED_BYTES = 512 * 2 ** 20   # largest array of training data put in shared memory
POLL_SECONDS = 0.5           # how often a wait checks that the worker is still alive
START_TIMEOUT = 120.0        # seconds a waiting start gives the worker to load the windows
CLOSE_TIMEOUT = 5.0          # seconds the worker gets to end before it is terminated
# The training computes both halves of a batch itself while the worker starts (tests turn
# this off to have the worker compute half of every batch from the first one).
OVERLAP_START = True


def worth_it(network, X, settings):
    """True when a fit of ``network`` on windows ``X`` with ``settings`` should use a
    :class:`ProcessPair` (see :data:`MODE`)."""
    return batches_of(network, X, settings) == "pair"


def batches_of(network, X, settings):
    """How a fit of ``network`` on windows ``X`` with ``settings`` computes its batches:
    ``"pair"``, half in a worker (:class:`ProcessPair`); ``"halves"``, both halves in this
    process (:class:`HalvedBatches`), where a pair would be worth it but no worker can
    run (one usable core, a system or a build that cannot start one), so that the weights
    are those a computer of two cores finds; None: whole batches (see :data:`MODE`), as
    for a network given its own threads or held to one core (a member trained beside
    others, :func:`~engine.cores.held_to_one_core`)."""
    if MODE == "off" or settings.optimizer == "lbfgs":
        return None
    batch = min(settings.batch_size, X.shape[0])
    if batch < 2 * MIN_HALF_BATCH or _shared_bytes(network, X) > MAX_SHARED_BYTES:
        return None
    can_start = os.name == "posix" and not getattr(sys, "frozen", False) and \
        bool(sys.executable)
    if MODE != "on":
        if network.n_threads is not None or held_to_one_core():
            return None
        if (batch // 2) * network.step_work() < MIN_HALF_STEP_WORK:
            return None
        if estimated_seconds(network, X, settings) < MIN_ESTIMATED_SECONDS:
            return None
        can_start = can_start and usable_cores() >= 2
    return "pair" if can_start else "halves"


def estimated_seconds(network, X, settings):
    """The longest a fit of ``network`` on windows ``X`` (n, L, n_inputs) with ``settings``
    could take in one process: ``n L w layers max_epochs / ESTIMATED_RATE`` seconds, ``w``
    the multiply-adds of the largest layer's step, capped by the time limit. Early
    stopping usually ends a fit well before."""
    work = X.shape[0] * X.shape[1] * network.step_work() * network.n_layers * \
        settings.max_epochs
    seconds = work / ESTIMATED_RATE
    if settings.time_limit is not None:
        seconds = min(seconds, settings.time_limit)
    return seconds


def start_if_worth_it(network, X, Y, loss, settings, stopped=None):
    """A :class:`ProcessPair` for a fit of ``network`` on ``X``, ``Y`` when
    :func:`batches_of` says so, :class:`HalvedBatches` where it says ``"halves"``, else
    None. A pair starts in the background when :data:`OVERLAP_START`; ``stopped()`` True
    ends its waits (see :class:`ProcessPair`); a Stop while it waits for the worker to
    start gives None (the pair closed), and the training, which reads the same Stop, ends
    as stopped."""
    kind = batches_of(network, X, settings)
    if kind is None:
        return None
    if kind == "halves":
        return HalvedBatches(network, X, Y, loss)
    try:
        return ProcessPair(network, X, Y, loss, wait=not OVERLAP_START, stopped=stopped)
    except Cancelled:           # a Stop while the worker started: the training sees it next
        return None


def halves(index):
    """The two parts of a batch's rows ``index``: this process's first (the larger by one
    for an odd count), the worker's second."""
    n = len(index)
    return index[:n - n // 2], index[n - n // 2:]


def combined(share, value, gradient, their_value, their_gradient):
    """The batch's data loss from this process's half (``value``, ``gradient``, the
    ``share`` of the windows) and the worker's (module docstring); the batch's gradient is
    left in ``gradient``."""
    gradient *= gradient.dtype.type(share)
    gradient += their_gradient * gradient.dtype.type(1.0 - share)
    return share * value + (1.0 - share) * their_value


def halves_here(network, X, Y, loss, index, gradient, their_gradient):
    """The data loss and gradient (into ``gradient``) of the batch ``index`` as a pair
    computes them, both halves in this process (``their_gradient``: room for the second
    half's); a batch of fewer than ``2 * MIN_HALF_BATCH`` windows whole."""
    if len(index) < 2 * MIN_HALF_BATCH:      # e.g. the last batch of an epoch: not split
        return network.data_loss_and_gradient(X[index], Y[index], loss, gradient, threads=1)
    mine, theirs = halves(index)
    their_value = network.data_loss_and_gradient(X[theirs], Y[theirs], loss, their_gradient,
                                                 threads=1)
    value = network.data_loss_and_gradient(X[mine], Y[mine], loss, gradient, threads=1)
    return combined(len(mine) / len(index), value, gradient, their_value, their_gradient)


class HalvedBatches:
    """The batches of a :class:`ProcessPair` computed without a worker, both halves in this
    process (:func:`halves_here`): on a computer of one core, a fit that would use a pair
    on two cores finds the same weights, bit for bit. It has what the training's
    :class:`~engine.training.objective.Objective` asks of a pair: :meth:`loss_and_gradient`
    and :meth:`close`."""

    def __init__(self, network, X, Y, loss):
        self.network, self.X, self.Y, self.loss = network, X, Y, loss
        self.their_gradient = np.zeros_like(network.parameters_.values)

    def loss_and_gradient(self, index, gradient):
        return halves_here(self.network, self.X, self.Y, self.loss, index, gradient,
                           self.their_gradient)

    def close(self):
        self.their_gradient = None


def _shared_bytes(network, X):
    return window_source(X)[0].nbytes


def _remote_error(message):
    """The worker's error as an exception of this process: EngineError and Python's
    built-in exception types keep their type; others become an EngineError naming it."""
    name, text = message["error"], message["message"]
    kind = EngineError if name == "EngineError" else getattr(builtins, name, None)
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind, text = EngineError, f"{name}: {text}"
    return kind(text)


def _start_worker(fd):
    """A new interpreter running :func:`engine.training.pair_worker.serve_pipe` on the
    inherited pipe end ``fd``."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    # os._exit skips the interpreter's clean-up of its modules (30 ms that the training
    # process would wait for in close()); the worker has nothing else to clean up.
    code = ("import os, sys; from engine.training.pair_worker import serve_pipe; "
            "serve_pipe(int(sys.argv[1])); sys.stdout.flush(); sys.stderr.flush(); "
            "os._exit(0)")
    return subprocess.Popen([sys.executable, "-c", code, str(fd)], pass_fds=(fd,), env=env,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def _describe(segment, dtype, shape):
    """How the worker finds an array in a shared segment (see
    :func:`engine.training.pair_worker.shared_array`)."""
    return {"name": segment.name, "dtype": np.dtype(dtype).str,
            "shape": [int(n) for n in shape]}


class _RemoteTraceback(Exception):
    def __init__(self, text):
        super().__init__(text)
        self.text = text

    def __str__(self):
        return f"\nIn the second training process:\n{self.text}"


class ProcessPair:
    """A worker process that computes the gradient of half of every batch.

    ``network`` is the network being trained (its parameter vector is copied into shared
    memory before every batch), ``X``/``Y`` the validated training windows and targets,
    ``loss`` the loss object of the training. With ``wait``, the constructor returns once
    the worker is ready; otherwise :meth:`loss_and_gradient` computes both halves in this
    process until the worker has said it is ready (and for good when it failed to start:
    ``start_error`` says why). ``stopped`` (a function, e.g. the task's ``cancelled``):
    when it returns True while this process waits for the worker, the wait ends with
    :class:`~engine.tasks.Cancelled`. ``worker_batches`` is the number of batches whose half
    the worker computed, as the worker counts them. Use as a context manager or call
    :meth:`close`.
    """

    def __init__(self, network, X, Y, loss, wait=True, stopped=None):
        self.network = network
        self.X, self.Y, self.loss = X, Y, loss
        self.stopped = stopped or (lambda: False)
        self.process = self.conn = None
        self.ready = False
        self.busy = False                # a batch was sent and its answer not read
        self.worker_batches = 0
        self.start_error = None
        self._shared = []
        params = network.parameters_
        size, dtype = params.size, params.values.dtype
        try:
            vectors = self._allocate(2 * size * dtype.itemsize)
            self.vectors = np.ndarray((2, size), dtype=dtype, buffer=vectors.buf)
            root, (offset, shape, strides, positions) = window_source(X)
            settings = network.get_params()
            settings.update({key: network.checked_settings()[key]
                             for key in ("hidden_sizes", "linear_path", "lookback")})
            spec = {"settings": settings,
                    "vectors": _describe(vectors, dtype, (2, size)),
                    "root": self._share(root),
                    "layout": [int(offset), [int(n) for n in shape],
                               [int(n) for n in strides]],
                    "positions": None if positions is None else self._share(
                        np.asarray(positions, dtype=np.int64)),
                    "targets": self._share(np.asarray(Y, dtype=dtype)),
                    "loss": loss_settings(loss)}
            self.conn, child = Pipe()
            try:
                self.process = _start_worker(child.fileno())
            finally:
                child.close()
            try:
                self.conn.send_bytes(json.dumps(spec).encode())
            except OSError:
                if wait:
                    raise self._ended() from None
                self._check_ready()          # ends the worker and keeps the reason
            if wait:
                self.wait_until_ready()
        except BaseException:
            self.close()
            raise

    def _allocate(self, nbytes):
        segment = shared_memory.SharedMemory(create=True, size=max(1, nbytes))
        self._shared.append(segment)
        return segment

    def _share(self, array):
        """A copy of ``array`` in a new shared segment; its description for the worker."""
        segment = self._allocate(array.nbytes)
        np.ndarray(array.shape, dtype=array.dtype, buffer=segment.buf)[...] = array
        return _describe(segment, array.dtype, array.shape)

    def _receive(self, timeout=None):
        """The worker's next message; raises its error, an :class:`EngineError` when it
        ended or did not answer within ``timeout`` seconds, :class:`Cancelled` when
        ``stopped()`` while it waits."""
        waited = 0.0
        while not self.conn.poll(POLL_SECONDS):
            waited += POLL_SECONDS
            if self.stopped():
                raise Cancelled()
            if self.process.poll() is not None:
                if self.conn.poll():
                    break
                raise self._ended()
            if timeout is not None and waited >= timeout:
                raise EngineError(f"The second training process did not answer within "
                                  f"{timeout:g} s; the training stopped.")
        try:
            message = json.loads(self.conn.recv_bytes())
        except EOFError:
            raise self._ended() from None
        if "error" in message:
            raise _remote_error(message) from _RemoteTraceback(message["traceback"])
        return message

    def _ended(self):
        self.process.poll()
        return EngineError("The second training process ended unexpectedly (exit code "
                           f"{self.process.returncode}); the training stopped. Set "
                           "n_threads=1 to train in one process.")

    def wait_until_ready(self, timeout=START_TIMEOUT):
        """Wait for the worker's "ready" (at most ``timeout`` seconds); raises its error,
        or an :class:`EngineError` when it ended or did not answer in time."""
        if not self.ready:
            self._receive(timeout)
            self.ready = True

    def _check_ready(self):
        """True once the worker has said it is ready (without waiting for it). A worker
        that fails or ends before that is ended, its reason kept in ``start_error``, and
        the training goes on in this process (the batches come out the same)."""
        if self.ready or self.process is None:
            return self.ready
        try:
            if self.conn.poll():
                self._receive()
                self.ready = True
            elif self.process.poll() is not None:
                raise self._ended()
        except Exception as error:  # noqa: BLE001 - the worker was not needed yet
            self.start_error = str(error)
            self._end_worker()
        return self.ready

    def loss_and_gradient(self, index, gradient):
        """Data loss of the windows ``index`` (sorted rows of the training set); its
        gradient into ``gradient``, as one process would compute it on the whole batch.

        A batch of at least ``2 * MIN_HALF_BATCH`` windows is computed in two parts,
        combined as the module docstring says: by the worker and this process side by
        side once the worker is ready, both here before (so the result does not depend on
        when the worker became ready)."""
        n = len(index)
        if n < 2 * MIN_HALF_BATCH or not self._check_ready():
            return halves_here(self.network, self.X, self.Y, self.loss, index, gradient,
                               self.vectors[1])   # not read by a worker that is not ready
        mine, theirs = halves(index)
        self.vectors[0] = self.network.parameters_.values
        try:
            self.conn.send_bytes(np.ascontiguousarray(theirs, dtype=np.int64).tobytes())
        except OSError:
            raise self._ended() from None
        self.busy = True
        try:
            value = self.network.data_loss_and_gradient(self.X[mine], self.Y[mine],
                                                        self.loss, gradient, threads=1)
        finally:
            message = self._receive()      # also when this half failed: the worker is done
        self.busy = False
        self.worker_batches = message["batches"]
        return combined(len(mine) / n, value, gradient, message["done"], self.vectors[1])

    def _end_worker(self):
        """End the worker: a ready one is asked and given a few seconds; one still starting
        is terminated, one whose batch was not answered (a Stop while it computed, or it
        stalled) is killed: it has nothing to finish, and a stalled one would not read the
        request."""
        process, conn = self.process, self.conn
        self.process = self.conn = None
        if process is not None:
            if self.busy:
                process.kill()
            elif not self.ready:
                process.terminate()     # still starting: nothing to finish, no need to wait
            else:
                try:
                    conn.send_bytes(b"")
                    # the end of the pipe comes with the worker's exit, sooner than the
                    # polling of Popen.wait with a timeout sees it
                    deadline = time.monotonic() + CLOSE_TIMEOUT
                    while conn.poll(max(0.0, deadline - time.monotonic())):
                        conn.recv_bytes()          # an error of its own: not needed now
                except (OSError, ValueError, EOFError):
                    pass
            try:
                process.wait(CLOSE_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(CLOSE_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if conn is not None:
            conn.close()

    def close(self):
        """End the worker (see :meth:`_end_worker`) and free the shared memory."""
        self._end_worker()
        self.vectors = None
        for segment in self._shared:
            try:
                segment.close()
            except BufferError:     # a view is still referenced (e.g. by a traceback)
                pass
            segment.unlink()
        self._shared = []

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
