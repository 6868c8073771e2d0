"""Where the trials run: a local process pool, a Dask distributed cluster, or this process.
A backtest's folds run on the same runners (``open_runner(..., work=run_fold)``).

All three are used the same way (a context manager)::

    with open_runner(context, workers=None, scheduler=None, work=run_trial) as runner:
        future = runner.submit(spec)      # a concurrent.futures.Future of the result dict
        ...
        runner.stop()                     # running trials stop at their next batch

* :class:`LocalPool`: a :class:`concurrent.futures.ProcessPoolExecutor`, one worker per
  core by default, started by a fork server (never plain fork: the GUI runs searches from
  a thread): a clean process that imports the engine once, on the first search of a
  session (about half a second), and then forks each worker in milliseconds; "spawn"
  where there is no fork server. The fork server ends with the application. The data
  reach each worker once, through the pool's initializer; a trial spec and its result
  are small plain dicts. Each worker trains on one core: one BLAS thread
  (threadpoolctl), no second training process (``RNN_STUDIO_PROCESS_PAIR=off``). A
  shared event, set by :meth:`LocalPool.stop`, cancels every training (each worker's
  :class:`~engine.tasks.TaskState` watches it: :meth:`~engine.tasks.TaskState.watching`);
  a worker ignores Ctrl+C, which a terminal sends to it too: the program stops it through
  the event, and its trainings end with their best weights.
* :class:`DaskRunner`: a Dask scheduler's address; the trials run through
  ``distributed.Client(address).get_executor()``. The data are scattered to the workers
  once; a ``distributed.Event`` cancels the trainings (checked at most every
  :data:`EVENT_POLL_SECONDS`). The workers need RNN Studio installed. The address is a
  :data:`SUPPORTED_PROTOCOLS` one (tcp://, ws://), or the inproc:// address of a scheduler
  in this process; the others are refused at once, saying why.

Both pools move trial specs, data and results between processes as Python objects
(multiprocessing and Dask pickle them): between this program's own processes, or with a
cluster the user names and must trust. No file is ever unpickled (model files load with
``allow_pickle=False``).
* :class:`InProcess`: one trial after the other in this process (``workers=0``): the
  reference the pool is compared with, and what a frozen application without a pool uses.
"""

import asyncio
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from engine.cores import on_one_core, usable_cores
from engine.errors import EngineError
from engine.tasks import STOPPED_BY_THE_USER, Cancelled, TaskState, as_task

EVENT_POLL_SECONDS = 0.5
GATHER_WAIT_SECONDS = 0.1
"""How long :func:`gather` waits for a result before it looks at the stop again."""
# What a worker sets: each trial trains on one core, without a second training process
# (engine.training.process_pair), without training an ensemble's members on other cores
# (engine.training.members), and with its network's products and predictions on one thread
# (engine.cores.usable_cores): two workers whose networks each took two threads on a
# two-core computer took five times as long.
ONE_CORE = {"RNN_STUDIO_PROCESS_PAIR": "off", "RNN_STUDIO_PARALLEL_MEMBERS": "off",
            "RNN_STUDIO_CORES": "1"}
# What the fork server imports once, so that a worker it forks has the engine loaded.
PRELOAD = [__name__, "engine.selection.trial", "engine.testing.backtest"]
CONNECT_TIMEOUT = "10s"

_worker_context = None
_worker_task = None
_worker_limits = None
_worker_work = None
_MAIN_MODULE_LOCK = threading.Lock()


def default_workers():
    """The cores this process may use (:func:`engine.cores.usable_cores`)."""
    return usable_cores()


def start_context():
    """"forkserver" where there is one (POSIX): a clean server process, started once,
    that has imported the engine already and forks a worker in milliseconds; else
    "spawn". Never plain "fork": the GUI runs searches from a thread."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def main_module_hidden():
    """While workers start: multiprocessing would import the program's main module in each
    of them again, running an unguarded script (one without ``if __name__ ==
    "__main__":``) once more in every worker. The workers only run engine functions, so
    they are told of no main module."""
    with _MAIN_MODULE_LOCK:           # pools started from two threads at once
        main = sys.modules.get("__main__")
        hidden = {name: main.__dict__.pop(name) for name in ("__file__", "__spec__")
                  if main is not None and name in main.__dict__}
        if main is not None:
            main.__spec__ = None          # multiprocessing reads it without a default
        try:
            yield
        finally:
            if main is not None:
                main.__dict__.update(hidden)


def _init_worker(context, cancel_event, work):
    """Pool worker start: keep the data, the work function and a task watching the cancel
    event, one core per trial."""
    global _worker_context, _worker_task, _worker_limits, _worker_work
    os.environ.update(ONE_CORE)
    # a Ctrl+C in a terminal reaches the whole process group: the program stops the
    # workers itself (the cancel event), keeping what they have done
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from engine.training import process_pair
    from threadpoolctl import threadpool_limits

    process_pair.MODE = "off"
    _exit_with_the_program()
    _worker_limits = threadpool_limits(limits=1, user_api="blas")
    _worker_context, _worker_task = context, TaskState.watching(cancel_event)
    _worker_work = work


def _exit_with_the_program():
    """End this worker when the program that started it ends, however it ends: a program
    killed from outside (or crashed) would otherwise leave its idle workers behind, each
    holding the data it was given."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_wait_then_exit, args=(parent,), daemon=True,
                         name="exit-with-the-program").start()


def _wait_then_exit(parent):
    parent.join()
    os._exit(1)


def _run_in_worker(spec):
    return _worker_work(_worker_context, spec, _worker_task)


class _Runner:
    """What the three runners share: ``with runner: ...`` stops the running trials when
    the block ends with an exception (an error, Ctrl-C) and always closes the runner."""

    name = ""
    workers = 1

    def stop(self):
        raise NotImplementedError

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            self.stop()
        self.close()
        return False


class LocalPool(_Runner):
    """Trials in a pool of ``workers`` local processes (see the module docstring)."""

    name = "local processes"

    def __init__(self, context, workers=None, *, work):
        self.workers = int(workers or default_workers())
        start = start_context()
        self.cancel = start.Event()
        self.executor = ProcessPoolExecutor(self.workers, mp_context=start,
                                            initializer=_init_worker,
                                            initargs=(context, self.cancel, work))

    def submit(self, spec):
        with main_module_hidden():        # the first submit starts the workers
            return self.executor.submit(_run_in_worker, spec)

    def stop(self):
        self.cancel.set()

    def close(self):
        self.executor.shutdown(wait=True, cancel_futures=True)



class InProcess(_Runner):
    """Trials one after the other in this process (``workers=0``)."""

    name = "this process"

    def __init__(self, context, task=None, *, work):
        self.context = context
        self.task = as_task(task).silenced()
        self.work = work

    def submit(self, spec):
        future = Future()
        try:
            future.set_result(self.work(self.context, spec, self.task))
        except BaseException as error:  # noqa: BLE001 - handed over as a future's would be
            future.set_exception(error)
        return future

    def stop(self):
        self.task.cancel()



class _ClusterCancel:
    """The cancel event of a trial on a Dask worker: a ``distributed.Event``, looked at no
    more often than every :data:`EVENT_POLL_SECONDS` (a look is a message to the
    scheduler)."""

    def __init__(self, name):
        self.name = name
        self.event = None
        self.checked = 0.0
        self.value = False

    def is_set(self):
        now = time.monotonic()
        if not self.value and now - self.checked >= EVENT_POLL_SECONDS:
            from distributed import Event

            if self.event is None:
                self.event = Event(self.name)
            self.checked = now
            self.value = bool(self.event.is_set())
        return self.value

    def set(self):
        """Cancel every trial of the search (what :meth:`DaskRunner.stop` does)."""
        from distributed import Event

        Event(self.name).set()
        self.value = True


def _run_on_cluster(context, spec, event_name, work):
    """A Dask task: ``work`` on one core (:func:`~engine.cores.on_one_core`, which keeps
    its network to one thread, without a second training process or members on other
    cores), set for the thread that runs it, not through the process's environment: a
    scheduler in this process (inproc://) runs its tasks here, where :data:`ONE_CORE`
    would stay set for the rest of the program. (The BLAS library's limit of one thread
    holds for the whole process while the task runs.)"""
    from threadpoolctl import threadpool_limits

    with on_one_core(), threadpool_limits(limits=1, user_api="blas"):
        task = TaskState.watching(_ClusterCancel(event_name))
        return work(context, spec, task)


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise EngineError("Running trials on a Dask cluster needs the 'distributed' "
                          "package: pip install 'rnn-studio[cluster]'. Without a scheduler "
                          "address the trials run on this computer's cores.") from None
    return distributed


# The protocols a scheduler address may use: those a client reaches with nothing but the
# address (each needs only the 'distributed' package). inproc:// also works, for a
# scheduler in this same process (a LocalCluster(processes=False) of the Python API).
SUPPORTED_PROTOCOLS = ("tcp", "ws")
# Protocols Dask knows that RNN Studio cannot use, and why.
_NEEDS_SECURITY = ("needs certificates and keys (Dask's security settings), which RNN "
                   "Studio cannot give the client")
_UNSUPPORTED_PROTOCOLS = {
    "tls": _NEEDS_SECURITY,
    "wss": _NEEDS_SECURITY,
    "inproc": "reaches only a scheduler started inside this same program, and none "
              "listens there",
    "ucx": "needs the distributed-ucxx package and UCX network hardware, which RNN Studio "
           "does not support",
}


def _listens_in_this_process(location):
    """Whether an inproc:// scheduler of this process listens at ``location``."""
    from distributed.comm.inproc import global_manager

    try:
        return global_manager.get_listener_for(location) is not None
    except ValueError:                  # another process's inproc address
        return False


def _check_address(address):
    """Refuse an address the Dask client could not even try (no port, unknown protocol)
    or that needs more than an address (tls://, wss://, ucx://, inproc:// of no scheduler
    in this process) at once: the client would take its whole timeout, twice, to say so,
    or fail with a traceback. Returns the protocol."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme in SUPPORTED_PROTOCOLS:
            parse_host_port(location)
        elif scheme not in _UNSUPPORTED_PROTOCOLS:
            raise ValueError(f"unknown protocol {scheme!r} (supported: "
                             f"{', '.join(SUPPORTED_PROTOCOLS)})")
    except (TypeError, ValueError) as error:
        raise EngineError(f"{address!r} is no Dask scheduler address: {error}. Give it as "
                          "tcp://host:8786 (the address the scheduler prints when it "
                          "starts), or leave it empty to run on this computer.") from None
    if scheme == "inproc" and _listens_in_this_process(location):
        return scheme
    if scheme in _UNSUPPORTED_PROTOCOLS:
        raise EngineError(f"{address!r} cannot be used: the {scheme}:// protocol "
                          f"{_UNSUPPORTED_PROTOCOLS[scheme]}. Give the scheduler's tcp:// (or "
                          "ws://) address, e.g. tcp://host:8786 (start the scheduler with "
                          "--protocol tcp if it listens on another), or leave it empty to run "
                          "on this computer.")
    return scheme


async def _server_identity(address, seconds):
    """What the server at ``address`` says it is (a scheduler's ``{"type": "Scheduler",
    ...}``), asked over one Dask connection: the handshake, then the ``identity`` call."""
    from distributed.comm import connect

    comm = await connect(address, timeout=seconds)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def _ask_server(address, seconds):
    """``{"identity": ...}`` or ``{"error": ...}`` of :func:`_server_identity` within
    about ``seconds`` however the server answers (``{}`` past them): the Dask client waits
    for the handshake without a timeout (forever on a web server that waits for a request)
    and reads a reply of another protocol as a frame length (a MemoryError of exbibytes).
    It runs on an event loop of its own in a thread of its own, which the deadline ends: a
    second after the connect's own timeout, so that a host that never takes the connection
    gets the connect's message."""
    outcome = {}

    def ask():
        try:
            outcome["identity"] = asyncio.run(
                asyncio.wait_for(_server_identity(address, seconds), seconds + 1.0))
        except Exception as error:  # noqa: BLE001 - any failure: no scheduler there
            outcome["error"] = error

    thread = threading.Thread(target=ask, daemon=True, name="rnn-studio-dask-probe")
    thread.start()
    thread.join(seconds + 3.0)
    return outcome


def _why_no_scheduler(address, seconds):
    """None when a Dask scheduler answers at ``address`` within ``seconds``, else why not
    (nothing listens, another kind of server, a worker)."""
    from distributed.comm.core import CommClosedError

    outcome = _ask_server(address, seconds)
    error, identity = outcome.get("error"), outcome.get("identity")
    if isinstance(error, TimeoutError) or not outcome:
        return (f"something there took the connection but gave no Dask answer within "
                f"{seconds:g} s (another kind of server?)")
    if isinstance(error, OSError) and not isinstance(error, CommClosedError):
        return str(error)               # nothing listens, refused, unknown host
    if error is not None or not isinstance(identity, dict):
        return "something answers there, but not as a Dask scheduler does"
    if identity.get("type") in ("Worker", "Nanny"):
        return "that is a Dask worker, not the scheduler"
    return None


def _not_connected(address, reason):
    """The message of a scheduler address that does not lead to a scheduler."""
    from distributed.comm.addressing import get_address_host_port

    try:
        port = get_address_host_port(address)[1]
    except (TypeError, ValueError):
        port = None
    dashboard = ("; 8787 is the port of the Dask dashboard, the scheduler's is usually "
                 "8786") if port == 8787 else ""
    return EngineError(f"Could not connect to the Dask scheduler at {address!r}: {reason}. "
                       f"Check the address (e.g. tcp://host:8786{dashboard}) and that the "
                       "scheduler is running.")


class DaskRunner(_Runner):
    """Trials on the Dask distributed cluster whose scheduler is at ``address``."""

    name = "Dask cluster"

    def __init__(self, context, address, timeout=CONNECT_TIMEOUT, *, work):
        distributed = _import_distributed()
        from dask.utils import parse_timedelta

        self.work = work
        seconds = parse_timedelta(timeout, "s")
        if _check_address(address) != "inproc":
            reason = _why_no_scheduler(address, seconds)
            if reason is not None:
                raise _not_connected(address, reason)
        try:
            self.client = distributed.Client(address, timeout=timeout,
                                             set_as_default=False)
        except Exception as error:  # noqa: BLE001 - the probe answered, the client did not
            raise _not_connected(address, error) from None
        try:
            self.workers = max(1, sum(w.get("nthreads", 1) for w in
                                      self.client.scheduler_info()["workers"].values()))
            self.event_name = f"rnn-studio-stop-{uuid.uuid4().hex}"
            self.event = distributed.Event(self.event_name, client=self.client)
            self.data = self.client.scatter([context], broadcast=True)[0]
            self.executor = self.client.get_executor(pure=False)
        except BaseException:
            self.client.close()
            raise

    def submit(self, spec):
        return self.executor.submit(_run_on_cluster, self.data, spec, self.event_name,
                                    self.work)

    def stop(self):
        self.event.set()

    def close(self):
        try:
            self.executor.shutdown(wait=False)
            self.client.cancel([self.data])
        finally:
            self.client.close()



def gather(runner, specs, task, take, stopped=STOPPED_BY_THE_USER):
    """Submit every spec of ``specs`` to ``runner`` in order and call ``take(future, k)``
    (``k`` the spec's place) as each ends: at once for one done at its submit (a runner in
    this process), else as it ends, those ending together in the order of their submits.
    A stop of ``task``, looked at before each submit and every
    :data:`GATHER_WAIT_SECONDS`, raises :class:`~engine.tasks.Cancelled` (``stopped``: its
    message), which stops the runner as it leaves its ``with`` block."""
    futures, pending = {}, set()
    for k, spec in enumerate(specs):
        if task.cancelled:
            raise Cancelled(stopped)
        future = runner.submit(spec)
        futures[future] = k
        if future.done():
            take(future, k)
        else:
            pending.add(future)
    while pending:
        if task.cancelled:
            raise Cancelled(stopped)
        done, pending = wait(pending, GATHER_WAIT_SECONDS, FIRST_COMPLETED)
        for future in sorted(done, key=futures.get):
            take(future, futures[future])


def check_workers(workers):
    """Refuse a number of workers below 0 (0: this process; None: one per core), wherever
    a runner may be opened: a search, a backtest of one or many series, an ensemble."""
    if workers is not None and int(workers) < 0:
        raise EngineError(f"The number of workers must be 0 (this process) or more; got "
                          f"{workers}.")


def open_runner(context, workers=None, scheduler=None, task=None, *, work):
    """A :class:`DaskRunner` when ``scheduler`` is given, else :class:`InProcess` for
    ``workers == 0`` (its trainings are cancelled with ``task``, at once), else a
    :class:`LocalPool` of ``workers`` (None: one per core).

    work : the function every spec runs, ``work(context, spec, task) -> result``, a
        module-level function (pools send it by name): a search's trial
        (:func:`~engine.selection.trial.run_trial`), an ensemble's member
        (:func:`engine.training.members.run_members`) or a backtest's fold
        (:func:`engine.testing.backtest.run_fold`)"""
    if scheduler:
        return DaskRunner(context, scheduler, work=work)
    check_workers(workers)
    if workers is not None and int(workers) == 0:
        return InProcess(context, task, work=work)
    return LocalPool(context, workers, work=work)
