"""An ensemble's members trained on several cores (engine.training.members) are the networks
trained one after the other; a cancel reaches the other cores; the members of a worker that
fails are trained here; and a program's unguarded main module is not run again in the
workers."""

import os
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest

from engine.cores import usable_cores
from engine.selection import executors
from engine.tasks import TaskState
from engine.training import members
from engine.training.run import fit_network

ROOT = Path(__file__).resolve().parents[2]
needs_two_cores = pytest.mark.skipif(executors.default_workers() < 2 or os.name != "posix",
                                     reason="training on several cores needs two, on POSIX")
posix = pytest.mark.skipif(os.name != "posix", reason="several cores are used on POSIX only")


@pytest.fixture
def prepared(seasonal_csv):
    from engine.data import load_table, prepare_training
    from engine.training.automatic import AutomaticChoices, automatic_project

    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"], lookback=4, seed=3))
    architecture = {**project.architecture.to_dict(), "hidden_sizes": [4]}
    return prepare_training(load_table(seasonal_csv), project.dataset_config()), architecture


def one_after_another(prepared, architecture, settings, monkeypatch):
    monkeypatch.setenv(members.MODE_VARIABLE, "off")
    network, _ = fit_network(prepared, architecture, settings)
    return network


def wait_for_a_worker(monkeypatch):
    """Make this process, once it has taken its first member, wait until a worker has
    taken one too: the pool then surely trains a member (the workers use the real
    class, which they import themselves)."""
    real_take = members.MemberQueue.take

    def take(queue):
        k = real_take(queue)
        deadline = time.monotonic() + 60
        while k == 0 and queue.counter.value < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        return k

    monkeypatch.setattr(members.MemberQueue, "take", take)


@needs_two_cores
def test_members_on_two_cores_are_the_members_trained_one_after_another(prepared,
                                                                        monkeypatch):
    prepared, architecture = prepared
    settings = {"max_epochs": 8, "members": 3}
    serial = one_after_another(prepared, architecture, settings, monkeypatch)
    monkeypatch.setenv(members.MODE_VARIABLE, "on")
    wait_for_a_worker(monkeypatch)
    here, stages, cores_here = [], [], []
    real_fit = members._fit
    monkeypatch.setattr(members, "_fit", lambda network, *rest: here.append(network.seed)
                        or cores_here.append(usable_cores()) or real_fit(network, *rest))
    merged, _ = fit_network(prepared, architecture, settings, TaskState(on_stage=stages.append))
    assert here[0] == 3 and 4 not in here              # seed 4 was trained elsewhere
    assert set(cores_here) == {1} and usable_cores() >= 2    # one core here, the other's
                                                             # the worker's
    assert stages[0] == "Training network 1 of 3 (the others on 1 more core)"
    np.testing.assert_array_equal(merged.predict(prepared.X_test),
                                  serial.predict(prepared.X_test))
    assert merged.members_ == 3 and merged.stop_reason_ == serial.stop_reason_


@needs_two_cores
def test_a_cancel_stops_the_members_on_the_other_cores_too(prepared, monkeypatch):
    prepared, architecture = prepared
    monkeypatch.setenv(members.MODE_VARIABLE, "on")
    wait_for_a_worker(monkeypatch)
    task, cancelled_at = TaskState(), []

    def cancel_after_two_seconds(report):
        if report.elapsed > 2.0 and not cancelled_at:
            cancelled_at.append(time.perf_counter())
            task.cancel()

    task.on_epoch = cancel_after_two_seconds
    settings = {"max_epochs": 10 ** 6, "patience": 0, "members": 3, "learning_rate": 1e-7}
    merged, _ = fit_network(prepared, architecture, settings, task)
    assert time.perf_counter() - cancelled_at[0] < 15
    assert merged.cancelled_ and merged.members_ == 2     # the worker's member came back,
                                                          # the third was never started
    assert merged.stop_reason_.startswith("2 networks averaged (stopped after 2 of 3). ")
    assert ": stopped by the user. " in merged.stop_reason_


class FakePool:
    """What the members' code uses of a LocalPool besides ``submit``."""

    def stop(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@posix
def test_the_members_of_a_worker_that_fails_are_trained_here(prepared, monkeypatch):
    """A pool whose worker takes a member and then ends: that member is trained in this
    process, and the ensemble is the one trained one after the other."""
    prepared, architecture = prepared
    settings = {"max_epochs": 4, "members": 3}
    serial = one_after_another(prepared, architecture, settings, monkeypatch)

    class FailingPool(FakePool):
        def __init__(self, context, workers, *, work):
            self.context = context

        def submit(self, spec):
            self.context["queue"].take()
            future = Future()
            future.set_exception(RuntimeError("the worker ended"))
            return future


    monkeypatch.setattr(executors, "LocalPool", FailingPool)
    monkeypatch.setattr(members, "usable_cores", lambda: 2)
    monkeypatch.setenv(members.MODE_VARIABLE, "on")
    stages = []
    merged, _ = fit_network(prepared, architecture, settings, TaskState(on_stage=stages.append))
    assert stages[-1] == "Training network 1 of 3"        # the worker took the first one
    np.testing.assert_array_equal(merged.predict(prepared.X_test),
                                  serial.predict(prepared.X_test))


def pending_pool(monkeypatch, takes):
    """Two cores whose pool's one worker ends only when its future is set (the futures
    and the members' queues are returned, filled as the fit makes them); ``takes``: it
    takes a member first."""
    futures, queues = [], []

    class PendingPool(FakePool):
        def __init__(self, context, workers, *, work):
            queues.append(context["queue"])

        def submit(self, spec):
            if takes:
                queues[-1].take()
            futures.append(Future())
            return futures[-1]

    monkeypatch.setattr(executors, "LocalPool", PendingPool)
    monkeypatch.setattr(members, "usable_cores", lambda: 2)
    monkeypatch.setenv(members.MODE_VARIABLE, "on")
    return futures, queues


@posix
def test_this_process_says_when_it_waits_for_the_other_cores(prepared, monkeypatch):
    """When this process has trained its members while a worker still trains, the stage
    says so, rather than leaving the last network's finished progress on screen."""
    prepared, architecture = prepared

    futures, _ = pending_pool(monkeypatch, takes=False)
    stages = []

    def on_stage(text):
        stages.append(text)
        if text.startswith("Waiting"):
            futures[0].set_result([])

    # without the waiting stage, the worker ends after 20 s and the test fails
    threading.Timer(20.0, lambda: futures[0].done() or futures[0].set_result([])).start()
    fit_network(prepared, architecture, {"max_epochs": 2, "members": 2},
                TaskState(on_stage=on_stage))
    assert stages == ["Training network 1 of 2 (the others on 1 more core)",
                      "Training network 2 of 2 (the others on 1 more core)",
                      "Waiting for the networks training on the other core"]


@posix
def test_while_it_waits_for_the_other_cores_it_says_the_networks_done_of_all(
        prepared, monkeypatch):
    """The members on the other cores report no epochs: while this process waits for
    them, the task hears the networks done of all each time one ends (the page and the
    command line showed the wait without any progress)."""
    prepared, architecture = prepared
    futures, queues = pending_pool(monkeypatch, takes=True)
    steps = []

    def on_step(done):
        steps.append(done.text)
        if done.done == 1:
            queues[0].finish()                                # the worker's member ended
        else:                                                 # and it failed: trained here
            futures[0].set_exception(RuntimeError("the worker ended"))

    threading.Timer(20.0, lambda: futures[0].done() or futures[0].set_result([])).start()
    fit_network(prepared, architecture, {"max_epochs": 2, "members": 2},
                TaskState(on_step=on_step))
    waiting = "Waiting for the networks training on the other core"
    assert steps == [f"{waiting}: 1 of the 2 networks done",
                     f"{waiting}: all 2 networks done"]


@posix
def test_the_cores_used(monkeypatch):
    from engine.network.recurrent import RecurrentNetwork
    from engine.training import process_pair
    from engine.training.settings import TrainingSettings

    monkeypatch.setattr(members, "usable_cores", lambda: 2)
    monkeypatch.setattr(process_pair, "MODE", "auto")
    small = RecurrentNetwork(n_inputs=1, n_outputs=1, hidden_sizes=[4])
    small.parameters_
    X = np.zeros((100, 12, 1))
    settings = {"max_epochs": 1000, "batch_size": 32}
    monkeypatch.setenv(members.MODE_VARIABLE, "auto")
    assert members.cores_for(small, X, settings, 3) == 1      # too short to gain
    big = RecurrentNetwork(n_inputs=1, n_outputs=1, cell="gru", hidden_sizes=[32])
    big.parameters_
    X = np.zeros((700, 48, 1))
    assert members.cores_for(big, X, settings, 3) == 2
    assert members.cores_for(big, X, settings, 1) == 1
    monkeypatch.setattr(process_pair, "usable_cores", lambda: 2)
    wide = RecurrentNetwork(n_inputs=24, n_outputs=24, cell="gru", hidden_sizes=[128])
    wide.parameters_
    X_wide = np.zeros((2000, 7, 24))
    assert process_pair.worth_it(wide, X_wide, TrainingSettings.from_kwargs(**settings))
    assert members.cores_for(wide, X_wide, settings, 3) == 2    # not one network on two
    assert members.cores_for(big, X, {**settings, "optimizer": "lbfgs"}, 3) == 1
    monkeypatch.setenv(members.MODE_VARIABLE, "off")
    assert members.cores_for(big, X, settings, 3) == 1
    monkeypatch.setenv(members.MODE_VARIABLE, "on")
    assert members.cores_for(small, X, settings, 3) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process start")
def test_an_unguarded_script_is_not_run_again_in_the_workers(tmp_path):
    marks = tmp_path / "marks.txt"
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        with open({str(marks)!r}, "a") as handle:
            handle.write("run\\n")
        from engine.selection.executors import LocalPool
        with LocalPool({{"probe": 1}}, 1, work=print) as pool:
            pool.submit({{}}).result(timeout=60)
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert marks.read_text() == "run\n"


def test_a_closed_queue_gives_no_more_members():
    import multiprocessing

    queue = members.MemberQueue(multiprocessing.Value("i", 0), 3)
    assert queue.take() == 0
    queue.close()
    assert queue.take() is None
