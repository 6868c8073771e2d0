"""An ensemble's members trained one after the other, or on this computer's cores at once.

The N members of an ensemble (seeds ``seed, seed + 1, ...``) train independently, and a
member's weights depend only on its seed and the data, not on the process that trains it
(every member trains with one BLAS thread, its least-squares start included). With
``C >= 2`` cores (:func:`cores_for`) this process trains members itself (the person sees
their epochs and previews and may stop them) while a pool of ``C - 1`` worker processes
(:class:`~engine.selection.executors.LocalPool`) trains the others, each process taking
the next member not yet taken: three members on two cores take the time of two. Each
member then trains on one core, here too (:func:`~engine.cores.on_one_core`: one thread,
no second training process): two members side by side take the time of one, where one
member on both cores (:mod:`~engine.training.process_pair`) takes 0.6 to 1 times its time
on one (the M4 hourly global network: 39 s either way). A worker gets the training data
once, as the feature rows the windows are views of
(:func:`~engine.data.windows.window_source`), not as copies of the overlapping windows,
and sends back each member's weights (a state dict) and how its
training ended, never a pickled network. A member the pool fails to train (a worker that
ended) is trained here instead; a cancel stops the pool's trainings too, and each keeps
its best weights so far. Members trained one after the other are held to one core too
(whole batches, never the halves of :class:`~engine.training.process_pair.HalvedBatches`),
so that they are the same on a computer of one core. The pool's members report no
epochs: while this process waits for them, the task hears the networks done of all
(:class:`MembersDone`, through ``task.step``) each time a member ends.
"""

import os
import sys
from concurrent.futures import wait
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from engine.cores import on_one_core, usable_cores
from engine.data.windows import window_source, windows_from_source
from engine.network.recurrent import RecurrentNetwork
from engine.training import process_pair
from engine.training.settings import TrainingSettings
from engine.words import counted_of

# "auto": on the cores when cores_for() says so; "on": whenever there are two cores and two
# members (tests); "off": never (what every pool worker sets: executors.ONE_CORE).
MODE_VARIABLE = "RNN_STUDIO_PARALLEL_MEMBERS"
# Estimated seconds of one member's fit (engine.training.process_pair.estimated_seconds)
# below which the members train here one after the other: the pool's start (about half a
# second the first time) would eat the gain.
MIN_ESTIMATED_SECONDS = 2.0
POLL_SECONDS = 0.2           # how often a wait for the pool looks at the person's cancel
WAITING_STAGE = "Waiting for the networks training on the other"
"""How the stage begins while this process waits for the members on the other cores."""
RESULT_KEYS = ("stop_reason", "best_epoch", "training_loss", "selection_loss", "cancelled",
               "kept_start", "history")


def cores_for(network, X, settings, count):
    """The cores the ``count`` members like ``network``, trained on windows ``X`` with
    ``settings`` (a :class:`TrainingSettings` dict), should use: 1 (this process) or up
    to one per member (see the module docstring); 1 for members of L-BFGS or of a network
    given its own threads, and for fits estimated below :data:`MIN_ESTIMATED_SECONDS`."""
    mode = os.environ.get(MODE_VARIABLE, "auto").lower()
    cores = min(usable_cores(), count)
    if mode == "off" or cores < 2 or os.name != "posix" or getattr(sys, "frozen", False):
        return 1
    if mode == "on":
        return cores
    fit = TrainingSettings.from_kwargs(**settings)
    if fit.optimizer == "lbfgs" or network.n_threads not in (None, 1):
        return 1                                # each member uses two cores already
    return cores if process_pair.estimated_seconds(network, X, fit) >= \
        MIN_ESTIMATED_SECONDS else 1


def train_members(networks, data, settings, task, watch=None):
    """Train the member ``networks`` (untrained, the k-th from seed ``seed + k``) on
    ``data = (X, Y, X_sel, Y_sel)`` with ``settings`` (TrainingSettings fields);
    ``task`` gets the stages ("Training network 2 of 3"), the epochs of the members
    trained here and the cancel, ``watch(network)`` gives the task a member trained here
    reports to (default ``task``). Returns the trained members in seed order, those
    stopped before their first epoch too (:func:`worth_keeping` tells which to average;
    :func:`~engine.training.run.ensemble` needs them all to know of a cancel). After a
    cancel the members not yet trained are left out."""
    watch = watch or (lambda network: task)
    if len(networks) == 1:
        trained = _one_after_another(networks, data, settings, task, watch)
    else:
        cores = cores_for(networks[0], data[0], settings, len(networks))
        # one BLAS thread here as in a worker (the least-squares start too), so that a
        # member's weights are the same to the last bit wherever it trains
        # and on one core, here too, with whole batches as beside others (never the halves
        # of engine.training.process_pair), whatever the machine has
        with threadpool_limits(limits=1, user_api="blas"), on_one_core():
            trained = (_on_cores(networks, data, settings, task, watch, cores) if cores > 1
                       else _one_after_another(networks, data, settings, task, watch))
    return trained


def worth_keeping(trained):
    """The trained members worth averaging, in their order: those with a best epoch or a
    kept start (a member stopped before its first epoch, or that diverged in it, has
    neither); the first one alone when none has."""
    kept = [network for network in trained
            if network.best_epoch_ > 0 or getattr(network, "kept_start_", False)]
    return kept or list(trained[:1])


def _fit(network, data, settings, task):
    X, Y, X_sel, Y_sel = data
    # a diverging training overflows to inf and NaN: the training finds them and says so
    # in its stop reason, so NumPy's warnings about them would only repeat it
    with np.errstate(over="ignore", invalid="ignore"):
        return network.fit(X, Y, X_sel, Y_sel, task=task, **settings)


def _one_after_another(networks, data, settings, task, watch):
    trained = []
    for k, network in enumerate(networks):
        if len(networks) > 1:
            task.stage(f"Training network {k + 1} of {len(networks)}")
        trained.append(_fit(network, data, settings, watch(network)))
        if network.cancelled_:
            break
    return trained


def _on_cores(networks, data, settings, task, watch, cores):
    from engine.selection.executors import LocalPool, start_context

    count = len(networks)
    shared = start_context()
    queue = MemberQueue(shared.Value("i", 0), count, shared.Value("i", 0))
    context = {**_context(data, settings), "queue": queue,
               "networks": [network.get_params() for network in networks]}
    done = set()
    try:
        pool = LocalPool(context, cores - 1, work=run_members)
        futures = [pool.submit({}) for _ in range(cores - 1)]
    except OSError:             # no processes to be had (e.g. no shared memory): here
        return _one_after_another(networks, data, settings, task, watch)
    with pool:
        while (k := queue.take()) is not None:
            task.stage(f"Training network {k + 1} of {count} (the others on "
                       f"{cores - 1} more {'core' if cores == 2 else 'cores'})")
            with on_one_core():             # the other cores are the workers'
                _fit(networks[k], data, settings, watch(networks[k]))
            done.add(k)
            if networks[k].cancelled_:
                break
        waiting = f"{WAITING_STAGE} {'core' if cores == 2 else 'cores'}"
        report = _DoneReport(task, waiting, len(done), queue)
        if not all(future.done() for future in futures):
            task.stage(waiting)
        else:
            report = None
        for future in futures:
            done.update(_collect(future, networks, pool, queue, task, report))
    if not task.cancelled:      # members of a worker that failed are trained here
        for k in sorted(set(range(count)) - done):
            task.stage(f"Training network {k + 1} of {count}")
            _fit(networks[k], data, settings, watch(networks[k]))
            done.add(k)
    return [networks[k] for k in sorted(done)]


@dataclass(frozen=True)
class MembersDone:
    """While this process waits for the members training on the other cores: ``done`` of
    the ``total`` networks have ended, here and there; ``waiting``: the stage's text."""

    done: int
    total: int
    waiting: str

    @property
    def text(self):
        """``"Waiting for the networks training on the other core: 2 of the 3 networks
        done"``."""
        return f"{self.waiting}: {counted_of(self.done, self.total, 'network')} done"


class _DoneReport:
    """Called at every look at the pool while this process waits for it: the
    :class:`MembersDone` of the ``here`` members trained here and those the workers
    finished (:meth:`MemberQueue.finished_count`) to ``task.step`` when it changed."""

    def __init__(self, task, waiting, here, queue):
        self.task, self.waiting, self.here, self.queue = task, waiting, here, queue
        self.said = None

    def __call__(self):
        done = min(self.here + self.queue.finished_count(), self.queue.count)
        if done != self.said:
            self.said = done
            self.task.step(MembersDone(done, self.queue.count, self.waiting))


class MemberQueue:
    """The members not yet taken, shared by this process and the pool's workers: a
    counter in shared memory (``multiprocessing`` Value ``"i"``) that :meth:`take`
    moves on under its lock, so each member is trained once, by whichever process is
    free first; and ``finished``, another, that counts the members the workers finished
    (:meth:`finish`; None: not counted)."""

    def __init__(self, counter, count, finished=None):
        self.counter, self.count, self.finished = counter, int(count), finished

    def finish(self):
        """A worker finished a member."""
        if self.finished is not None:
            with self.finished.get_lock():
                self.finished.value += 1

    def finished_count(self):
        """The members the workers finished so far."""
        return 0 if self.finished is None else int(self.finished.value)

    def close(self):
        """Let no process take another member (after a cancel)."""
        with self.counter.get_lock():
            self.counter.value = self.count

    def take(self):
        """The next member's index, or None when all are taken."""
        with self.counter.get_lock():
            k = self.counter.value
            if k >= self.count:
                return None
            self.counter.value = k + 1
            return k


def _collect(future, networks, pool, queue, task, report=None):
    """Wait for a worker's ``future`` (once ``task`` is cancelled: stopping the pool and
    closing the ``queue``; ``report()`` at every look, :class:`_DoneReport`), load the
    members it trained into ``networks`` and return their indices (none when the worker
    failed)."""
    while True:
        if report is not None:
            report()
        if task.cancelled:
            queue.close()
            pool.stop()
        if wait([future], timeout=POLL_SECONDS).done:
            break
    try:
        results = future.result()
    except Exception:  # noqa: BLE001 - its members are trained here instead
        return set()
    for k, result in results:
        networks[k].load_state_dict(result["weights"])
        for key in RESULT_KEYS:
            setattr(networks[k], f"{key}_", result[key])
    return {k for k, _ in results}


def _context(data, settings):
    """What every worker gets once: the windows as :func:`window_source` describes them
    (the rows they view, not the windows), the targets and the settings."""
    X, Y, X_sel, Y_sel = data
    return {"X": window_source(X), "Y": np.asarray(Y),
            "X_sel": None if X_sel is None else window_source(X_sel),
            "Y_sel": None if Y_sel is None else np.asarray(Y_sel), "settings": settings}


def run_members(context, spec, task):
    """A pool's work: train members taken from the context's queue until none is left
    or ``task`` is cancelled; ``[(k, result)]``, each result the member's weights and how
    its training ended (:data:`RESULT_KEYS`)."""
    data = (windows_from_source(*context["X"]), context["Y"],
            None if context["X_sel"] is None else windows_from_source(*context["X_sel"]),
            context["Y_sel"])
    results = []
    while not task.cancelled and (k := context["queue"].take()) is not None:
        network = _fit(RecurrentNetwork(**context["networks"][k]), data,
                       context["settings"], task)
        results.append((k, {"weights": network.state_dict(),
                            **{key: getattr(network, f"{key}_") for key in RESULT_KEYS}}))
        context["queue"].finish()
    return results
