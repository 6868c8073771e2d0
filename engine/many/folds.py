"""The folds of a backtest of a global model (:mod:`engine.many.backtest`) fitted on a
runner (:func:`engine.selection.executors.open_runner`), each origin done reported through
``task.step`` as an :class:`OriginsDone`, and a stop heard between two looks at the
runner (:func:`~engine.selection.executors.gather`), not only when every fold has ended.

The time left is estimated from the pace of the origins done: ``d`` of ``K`` origins done
in ``t`` seconds leave ``t (K - d) / d`` seconds at that pace (a runner starts the next
origin as soon as one of its workers is free, so the origins do not run in rounds). With
``w`` origins fitted side by side (the runner's workers, at most the origins) there is no
estimate before ``w`` have ended: the first to end says little of those still fitting.
"""

import time
from dataclasses import dataclass

from engine.words import counted_of


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
        """The seconds left, estimated from the pace of the origins done (see the module
        docstring); None before as many origins have ended as fit side by side."""
        if self.done < max(1, self.side_by_side):
            return None
        return self.elapsed * (self.total - self.done) / self.done

    @property
    def text(self):
        """``"Backtest: 2 of the 3 origins done, about 2:10 left"``, as the command line
        prints it; ``"Backtest: all 3 origins done"``, ``"Backtest: the one origin
        done"``."""
        from engine.cli.progress_bar import format_seconds

        done = f"Backtest: {counted_of(self.done, self.total, 'origin')} done"
        if self.done == self.total or self.left is None:
            return done
        return f"{done}, about {format_seconds(self.left)} left"


def collect_folds(runner, origins, task, started=None):
    """``run_fold``'s dicts of origins 1 .. ``origins`` (latest first), submitted to
    ``runner`` in that order and gathered as they end
    (:func:`~engine.selection.executors.gather`); an :class:`OriginsDone` through
    ``task.step`` after each (``started``: the ``time.monotonic()`` the elapsed time
    counts from; now when None). A cancelled ``task`` raises
    :class:`~engine.tasks.Cancelled`, also after the last fold has ended (nothing of a
    stopped backtest is kept), which stops the runner when it leaves the runner's
    ``with`` block."""
    from engine.selection.executors import gather

    started = time.monotonic() if started is None else started
    side_by_side = max(1, min(int(runner.workers), origins))
    folds = {}

    def finished(future, _):
        fold = future.result()
        folds[fold["origin"]] = fold
        task.step(OriginsDone(len(folds), origins, time.monotonic() - started,
                              side_by_side))

    gather(runner, [{"origin": origin} for origin in range(1, origins + 1)], task,
           finished)
    task.check()        # a stop during the last fold in this process: its fit was cut short
    return [folds[origin] for origin in range(1, origins + 1)]
