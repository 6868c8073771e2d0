"""The folds of a backtest of a global model (:mod:`engine.many.backtest`) fitted on a
runner (:func:`engine.selection.executors.open_runner`), each origin done reported through
``task.step`` as an :class:`OriginsDone`, and a stop heard between two looks at the
runner (every :data:`~engine.testing.backtest.WAIT_SECONDS`), not only when every fold
has ended.

The time left is estimated from the origins done: ``w`` origins fit side by side (the
runner's workers, at most the origins), so ``d`` origins done in ``t`` seconds took
``ceil(d / w)`` rounds of ``t / ceil(d / w)`` seconds each, and ``ceil(K / w) - ceil(d /
w)`` rounds are left of ``K`` origins. The latest origin fits on the most rows and is
started first, so the estimate errs on the long side.
"""

import concurrent.futures
import math
import time
from dataclasses import dataclass

from engine.tasks import Cancelled


@dataclass(frozen=True)
class OriginsDone:
    """After each finished origin: ``done`` of ``total``, ``elapsed`` seconds since the
    backtest started, ``side_by_side`` origins fitted at the same time."""

    done: int
    total: int
    elapsed: float
    side_by_side: int = 1

    @property
    def left(self):
        """The seconds left, estimated from the origins done (see the module docstring)."""
        rounds_done = math.ceil(self.done / self.side_by_side)
        rounds = math.ceil(self.total / self.side_by_side)
        return self.elapsed / rounds_done * (rounds - rounds_done)

    @property
    def text(self):
        """``"Backtest: 1 of 3 origins done, about 2:10 left"``, as the command line
        prints it."""
        from engine.cli.progress_bar import format_seconds

        if self.done == self.total:
            return f"Backtest: all {self.total} origins done"
        return (f"Backtest: {self.done} of {self.total} origins done, about "
                f"{format_seconds(self.left)} left")


def collect_folds(runner, origins, task, started=None):
    """``run_fold``'s dicts of origins 1 .. ``origins`` (latest first), submitted to
    ``runner`` in that order; an :class:`OriginsDone` through ``task.step`` after each
    (``started``: the ``time.monotonic()`` the elapsed time counts from; now when None).
    A cancelled ``task`` raises :class:`~engine.tasks.Cancelled`, which stops the runner
    when it leaves the runner's ``with`` block."""
    from engine.testing.backtest import WAIT_SECONDS

    started = time.monotonic() if started is None else started
    side_by_side = max(1, min(int(runner.workers), origins))
    futures, folds = {}, {}

    def finished(future):
        fold = future.result()
        folds[fold["origin"]] = fold
        task.step(OriginsDone(len(folds), origins, time.monotonic() - started,
                              side_by_side))

    for origin in range(1, origins + 1):
        task.check()
        future = runner.submit({"origin": origin})
        futures[future] = origin
        if future.done():              # this process: the fold is fitted at its submit
            finished(future)
    # a fold that ended after its submit was looked at is gathered with the others
    pending = {future for future, origin in futures.items() if origin not in folds}
    while pending:
        if task.cancelled:
            raise Cancelled()
        done, pending = concurrent.futures.wait(pending, WAIT_SECONDS,
                                                concurrent.futures.FIRST_COMPLETED)
        for future in sorted(done, key=futures.get):
            finished(future)
    return [folds[origin] for origin in range(1, origins + 1)]
