"""The folds of a backtest gathered whenever they end: one that ends after its own check
(while later folds are being submitted) is gathered too; it was lost, and the backtest
failed at its end with a KeyError."""

import concurrent.futures
from types import SimpleNamespace

from engine.tasks import TaskState
from engine.testing.backtest import collect


class LateRunner:
    """Each fold's future ends when the next fold is submitted (the last at once)."""

    def __init__(self, total):
        self.total, self.futures = total, []

    def submit(self, spec):
        if self.futures:
            self.futures[-1][0].set_result(self.futures[-1][1])
        future = concurrent.futures.Future()
        outcome = {"index": spec["index"], "origin": spec["origin"]}
        self.futures.append((future, outcome))
        if spec["index"] == self.total - 1:
            future.set_result(outcome)
        return future

    def stop(self):
        pass


def test_a_fold_that_ends_while_the_next_is_submitted_is_gathered():
    plan = SimpleNamespace(origins=[100, 110, 120], block=10)
    stages = []
    results = collect(LateRunner(3), plan, TaskState(on_stage=stages.append))
    assert [r["origin"] for r in results] == [100, 110, 120]
    assert stages[-1] == "Backtest: 3 of 3 origins done"
