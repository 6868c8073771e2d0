"""The second training process: same gradients and weights as one process, and it always
ends (normal end, cancel, errors in either process) without leaving a process or a shared
memory segment behind."""

import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing import resource_tracker

import numpy as np
import pytest

from engine import RecurrentNetwork
from engine.training import process_pair
from engine.errors import EngineError
from engine.network.losses import LOSSES, make_loss
from engine.tasks import TaskState
from engine.training.settings import TrainingSettings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the worker needs POSIX")

SETTINGS = dict(batch_size=40, max_epochs=3, shuffle=True, selection_fraction=0.25,
                patience=None, lr_patience=None)
# of data()'s 90 windows, round(0.25 * 90) = 22 are held out: batches of 40 and 28 windows,
# and only batches of 2 * MIN_HALF_BATCH = 32 or more are split
SPLIT_PER_EPOCH = 1


def still_there(segments):
    """The names of the shared memory ``segments`` that still exist (are not unlinked)."""
    return [segment.name for segment in segments
            if os.path.exists(os.path.join("/dev/shm", segment.name.lstrip("/")))]


def children():
    """Ids of this process's living child processes."""
    path = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
    if not os.path.exists(path):
        return set()
    with open(path) as file:
        return {int(pid) for pid in file.read().split()}


@pytest.fixture
def pair_on(monkeypatch):
    """Every fit in two processes, the worker computing from the first batch on; the pairs
    that the fits start, in a list (their ``worker_batches`` say what the worker did)."""
    monkeypatch.setattr(process_pair, "MODE", "on")
    monkeypatch.setattr(process_pair, "OVERLAP_START", False)   # the worker from batch 1
    resource_tracker.ensure_running()      # a lasting helper of multiprocessing, not ours
    before_children = children()
    pairs, segments = [], []
    start = process_pair.start_if_worth_it
    monkeypatch.setattr("engine.training.objective.start_if_worth_it",
                        lambda *args: pairs.append(start(*args)) or pairs[-1])
    # the segments of this test's pairs (other processes may have theirs in /dev/shm)
    allocate = process_pair.ProcessPair._allocate
    monkeypatch.setattr(process_pair.ProcessPair, "_allocate",
                        lambda self, nbytes: segments.append(allocate(self, nbytes))
                        or segments[-1])
    yield pairs
    assert segments and still_there(segments) == []
    assert children() - before_children == set()


def data(n=90, steps=6, inputs=3, outputs=2, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, steps, inputs)), rng.normal(size=(n, outputs))


def network(cell, **kwargs):
    return RecurrentNetwork(cell=cell, n_inputs=3, hidden_sizes=[5, 4], n_outputs=2, seed=3,
                            **kwargs)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_gradients_equal_one_process_for_every_loss(pair_on, cell):
    X, Y = data()
    net = network(cell)
    values = net.parameters_.values
    index = np.sort(np.random.default_rng(0).choice(len(X), 37, replace=False))
    for name in LOSSES:
        loss = make_loss(name, 0.5, 1.3, variances=np.var(Y, axis=0))
        one, two = np.zeros_like(values), np.zeros_like(values)
        expected = net.data_loss_and_gradient(X[index], Y[index], loss, one)
        with process_pair.ProcessPair(net, X, Y, loss) as pair:
            got = pair.loss_and_gradient(index, two)
            assert pair.worker_batches == 1, name
        assert got == pytest.approx(expected, abs=1e-10), name
        np.testing.assert_allclose(two, one, rtol=0, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("loss", ["mse", "normalized_squared_error", "huber"])
def test_trained_weights_equal_one_process(monkeypatch, pair_on, cell, loss):
    X, Y = data()
    two = network(cell).fit(X, Y, loss=loss, l2=1e-3, **SETTINGS)
    assert pair_on[0].worker_batches == SPLIT_PER_EPOCH * SETTINGS["max_epochs"]
    monkeypatch.setattr(process_pair, "MODE", "off")
    one = network(cell).fit(X, Y, loss=loss, l2=1e-3, **SETTINGS)
    np.testing.assert_allclose(two.parameters_.values, one.parameters_.values, rtol=0,
                               atol=1e-10)
    assert [r.training_loss for r in two.history_] == pytest.approx(
        [r.training_loss for r in one.history_], abs=1e-10)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_a_linear_path_trains_as_in_one_process(monkeypatch, pair_on, cell):
    """The worker builds its network from get_params(): the linear path and its lookback
    travel, so ar.weight's gradient is summed over both halves."""
    X, Y = data()
    two = network(cell, linear_path=True, lookback=6).fit(X, Y, **SETTINGS)
    assert pair_on[0].worker_batches == SPLIT_PER_EPOCH * SETTINGS["max_epochs"]
    monkeypatch.setattr(process_pair, "MODE", "off")
    one = network(cell, linear_path=True, lookback=6).fit(X, Y, **SETTINGS)
    assert "ar.weight" in two.state_dict()
    np.testing.assert_allclose(two.parameters_.values, one.parameters_.values, rtol=0,
                               atol=1e-10)


@pytest.fixture
def held_back(monkeypatch):
    """While ``held_back["ready"]`` is False a pair takes its worker for not ready yet
    (the worker itself starts as usual), so that a test does not depend on how fast a
    new interpreter starts."""
    state = {"ready": False}
    real = process_pair.ProcessPair._check_ready
    monkeypatch.setattr(process_pair.ProcessPair, "_check_ready",
                        lambda self: state["ready"] and real(self))
    return state


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_batches_before_the_worker_is_ready_come_out_the_same(pair_on, held_back, cell):
    X, Y = data()
    net = network(cell)
    loss = make_loss("mse")
    index = np.arange(0, 80, 2)
    expected = np.zeros_like(net.parameters_.values)
    expected_value = net.data_loss_and_gradient(X[index], Y[index], loss, expected)
    with process_pair.ProcessPair(net, X, Y, loss, wait=False) as pair:
        before, after = np.zeros_like(expected), np.zeros_like(expected)
        value_before = pair.loss_and_gradient(index, before)       # both halves here
        assert pair.worker_batches == 0
        pair.wait_until_ready()
        held_back["ready"] = True
        value_after = pair.loss_and_gradient(index, after)         # one half in the worker
        assert pair.worker_batches == 1
    assert value_before == value_after and np.array_equal(before, after)
    assert value_before == pytest.approx(expected_value, abs=1e-10)
    np.testing.assert_allclose(before, expected, rtol=0, atol=1e-10)


def test_a_worker_still_starting_is_ended_at_once(pair_on):
    import time

    X, Y = data()
    pair = process_pair.ProcessPair(network("gru"), X, Y, make_loss("mse"), wait=False)
    started = time.perf_counter()
    pair.close()
    assert time.perf_counter() - started < 1.0
    assert pair.process is None


def test_a_fit_starting_before_the_worker_is_ready_gives_the_same_weights(
        pair_on, held_back, monkeypatch):
    X, Y = data(n=400)
    settings = dict(SETTINGS, max_epochs=4, selection_fraction=0.0)
    held_back["ready"] = True
    from_the_start = network("lstm").fit(X, Y, **settings)      # the worker from batch 1
    assert pair_on[0].worker_batches == 4 * 10                  # 400 windows, batches of 40
    held_back["ready"] = False
    monkeypatch.setattr(process_pair, "OVERLAP_START", True)

    def callback(report):
        if report.epoch == 1:
            assert pair_on[1].worker_batches == 0
            pair_on[1].wait_until_ready()
            held_back["ready"] = True

    later = network("lstm").fit(X, Y, task=TaskState(on_epoch=callback), **settings)
    assert pair_on[1].conn is None and pair_on[1].worker_batches == 3 * 10
    np.testing.assert_array_equal(later.parameters_.values,
                                  from_the_start.parameters_.values)
    monkeypatch.setattr(process_pair, "MODE", "off")
    one = network("lstm").fit(X, Y, **settings)
    np.testing.assert_allclose(later.parameters_.values, one.parameters_.values, rtol=0,
                               atol=1e-10)


def test_a_worker_that_fails_to_start_leaves_the_training_in_this_process(
        pair_on, monkeypatch):
    import subprocess
    import sys

    real_start = process_pair._start_worker
    monkeypatch.setattr(process_pair, "OVERLAP_START", True)
    monkeypatch.setattr(process_pair, "_start_worker", lambda fd: subprocess.Popen(
        [sys.executable, "-c", "raise SystemExit(3)"]))         # never reads the pipe
    X, Y = data(n=400)
    settings = dict(SETTINGS, max_epochs=3, selection_fraction=0.0)
    alone = network("gru").fit(X, Y, **settings)
    assert "second training process" in pair_on[0].start_error
    assert pair_on[0].worker_batches == 0 and len(alone.history_) == 3
    monkeypatch.setattr(process_pair, "_start_worker", real_start)
    monkeypatch.setattr(process_pair, "OVERLAP_START", False)
    paired = network("gru").fit(X, Y, **settings)
    assert pair_on[1].worker_batches == 3 * 10
    np.testing.assert_array_equal(alone.parameters_.values, paired.parameters_.values)


def test_a_small_last_batch_stays_in_this_process(pair_on, monkeypatch):
    X, Y = data(n=41)        # batches of 40 windows and of 1
    settings = dict(SETTINGS, selection_fraction=0.0)
    X_sel, Y_sel = data(n=10, seed=5)
    two = network("lstm").fit(X, Y, X_sel, Y_sel, **settings)
    assert pair_on[0].worker_batches == SETTINGS["max_epochs"]       # the batches of 40
    monkeypatch.setattr(process_pair, "MODE", "off")
    one = network("lstm").fit(X, Y, X_sel, Y_sel, **settings)
    assert np.all(np.isfinite(two.parameters_.values))
    np.testing.assert_allclose(two.parameters_.values, one.parameters_.values, rtol=0,
                               atol=1e-10)


def test_used_only_when_it_pays(monkeypatch):
    monkeypatch.setattr(process_pair, "MODE", "auto")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    X = np.zeros((5000, 50, 4), dtype=np.float32)
    settings = TrainingSettings.from_kwargs(batch_size=64, max_epochs=1000)

    def uses(cell, sizes, **kwargs):
        net = RecurrentNetwork(cell=cell, n_inputs=4, hidden_sizes=sizes, dtype="float32",
                               **kwargs)
        return process_pair.worth_it(net, X, settings)

    assert uses("lstm", [64]) and uses("lstm", [128]) and uses("gru", [64, 64])
    assert uses("gru", [32]) and uses("rnn", [64])
    assert not uses("gru", [16]) and not uses("rnn", [32])
    assert not uses("lstm", [64], n_threads=1) and not uses("lstm", [64], n_threads=2)
    short = TrainingSettings.from_kwargs(batch_size=64, max_epochs=2)
    net = RecurrentNetwork(cell="lstm", n_inputs=4, hidden_sizes=[64], dtype="float32")
    assert not process_pair.worth_it(net, X, short)
    small_batches = TrainingSettings.from_kwargs(batch_size=16, max_epochs=1000)
    assert not process_pair.worth_it(net, X, small_batches)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not process_pair.worth_it(net, X, settings)


def test_one_core_finds_the_weights_two_cores_find(monkeypatch, pair_on):
    """A fit that takes a worker on two cores computes the same halves of its batches in
    this process on one core (or where no worker can start), so its weights are the
    same bit for bit whatever the computer; they were those of whole batches there."""
    monkeypatch.setattr(process_pair, "MODE", "auto")
    monkeypatch.setattr(process_pair, "MIN_ESTIMATED_SECONDS", 0.0)
    monkeypatch.setattr(process_pair, "MIN_HALF_STEP_WORK", 0)
    X, Y = data(n=400)
    settings = dict(SETTINGS, selection_fraction=0.0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    two = network("gru").fit(X, Y, **settings)
    assert pair_on[0].worker_batches == SETTINGS["max_epochs"] * 10
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    one = network("gru").fit(X, Y, **settings)
    assert isinstance(pair_on[1], process_pair.HalvedBatches)
    np.testing.assert_array_equal(one.parameters_.values, two.parameters_.values)
    monkeypatch.setattr(sys, "frozen", True, raising=False)          # a desktop bundle
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    bundled = network("gru").fit(X, Y, **settings)
    assert isinstance(pair_on[2], process_pair.HalvedBatches)
    np.testing.assert_array_equal(bundled.parameters_.values, two.parameters_.values)
    monkeypatch.setattr(process_pair, "MODE", "off")
    whole = network("gru").fit(X, Y, **settings)
    assert not np.array_equal(whole.parameters_.values, two.parameters_.values)
    np.testing.assert_allclose(whole.parameters_.values, two.parameters_.values, rtol=0,
                               atol=1e-10)


def test_the_members_of_an_ensemble_take_whole_batches_on_one_core_too(monkeypatch):
    """An ensemble's members train beside each other on two cores, each held to one core
    with whole batches; on one core, one after the other, they take whole batches too
    (not the halves of a single network), so their weights do not depend on the computer
    either."""
    from engine.training import members
    from engine.training.run import fit_network

    monkeypatch.setattr(process_pair, "MODE", "auto")
    monkeypatch.setattr(process_pair, "MIN_ESTIMATED_SECONDS", 0.0)
    monkeypatch.setattr(process_pair, "MIN_HALF_STEP_WORK", 0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    monkeypatch.setenv(members.MODE_VARIABLE, "auto")
    kinds = []
    start = process_pair.start_if_worth_it
    monkeypatch.setattr("engine.training.objective.start_if_worth_it",
                        lambda *args: kinds.append(type(start(*args))) or None)
    X, Y = data(n=200)

    class Prepared:                      # the windows fit_network reads
        X_train, Y_train, X_sel, Y_sel = X[:160], Y[:160], X[160:], Y[160:]
        n_inputs, n_outputs = X.shape[2], Y.shape[1]

    architecture = {"cell": "gru", "hidden_sizes": [5], "seed": 3}
    fit_network(Prepared, architecture, {"max_epochs": 2, "members": 2, "batch_size": 40})
    assert kinds == [type(None), type(None)]
    fit_network(Prepared, architecture, {"max_epochs": 2, "members": 1, "batch_size": 40})
    assert kinds[-1] is process_pair.HalvedBatches          # one network: the halves


def test_cancel_ends_the_worker(pair_on):
    X, Y = data()
    cancel = TaskState()

    def callback(report):
        cancel.cancel()

    cancel.on_epoch = callback
    net = network("gru").fit(X, Y, task=cancel, **dict(SETTINGS, max_epochs=50))
    assert "Stopped by the user" in net.stop_reason_
    assert net.best_epoch_ == 1
    assert pair_on[0].worker_batches == SPLIT_PER_EPOCH and pair_on[0].process is None


def test_a_stop_while_the_worker_does_not_answer_ends_the_training(pair_on):
    """The worst moment for a Stop: a batch waits for the worker's half and the worker,
    alive, never answers (stopped here by SIGSTOP after the first epoch)."""
    X, Y = data()
    task, result = TaskState(), {}

    def stall_then_stop(report):
        os.kill(pair_on[0].process.pid, signal.SIGSTOP)
        threading.Timer(1.0, task.cancel).start()      # pressed while the batch waits

    task.on_epoch = stall_then_stop
    fit = threading.Thread(target=lambda: result.update(net=network("gru").fit(
        X, Y, task=task, **dict(SETTINGS, max_epochs=50))), daemon=True)
    fit.start()
    started = time.monotonic()
    fit.join(30)
    hung, seconds = fit.is_alive(), time.monotonic() - started
    if hung:                           # the old wait: end the worker so that the test ends
        pair_on[0].process.kill()
        fit.join(30)
    assert not hung, "the training still waited for the worker 30 s after the Stop"
    assert seconds < 10          # the stalled worker is killed, not asked and waited for
    assert "Stopped by the user" in result["net"].stop_reason_
    assert result["net"].best_epoch_ == 1 and pair_on[0].process is None


def test_an_error_in_the_callback_ends_the_worker(pair_on):
    X, Y = data()

    def callback(report):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        network("lstm").fit(X, Y, task=TaskState(on_epoch=callback), **SETTINGS)
    assert pair_on[0].worker_batches == SPLIT_PER_EPOCH and pair_on[0].process is None


@pytest.mark.parametrize("name, error", [("stop_rules", EngineError("bad settings")),
                                         ("PlateauSchedule", KeyboardInterrupt())])
def test_an_error_before_the_first_epoch_ends_the_worker(pair_on, monkeypatch, name, error):
    # between the objective (which starts the worker) and the epochs' loop
    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(f"engine.training.loop.{name}", fails)
    X, Y = data()
    with pytest.raises(type(error)):
        network("gru").fit(X, Y, **SETTINGS)
    assert pair_on[0] is not None and pair_on[0].process is None
    # the fixture checks that no process and no shared memory segment is left


def test_an_error_in_the_worker_comes_back(pair_on):
    X, Y = data()
    net = network("gru")
    gradient = np.zeros_like(net.parameters_.values)
    with process_pair.ProcessPair(net, X, Y, make_loss("mse")) as pair:
        # the worker takes the second half of a batch: give it a row that does not exist
        with pytest.raises(IndexError, match="out of bounds") as raised:
            pair.loss_and_gradient(np.r_[np.arange(0, 40), 10_000], gradient)
        assert "In the second training process" in str(raised.value.__cause__)
        # the worker still answers afterwards
        value = pair.loss_and_gradient(np.arange(40), gradient)
        assert pair.worker_batches == 1
    assert np.isfinite(value)


def test_worker_errors_keep_engine_and_builtin_types_only():
    error = process_pair._remote_error({"error": "EngineError", "message": "bad"})
    assert type(error) is EngineError
    assert type(process_pair._remote_error({"error": "ValueError", "message": "v"})) \
        is ValueError
    other = process_pair._remote_error({"error": "SomethingElse", "message": "x"})
    assert type(other) is EngineError and str(other) == "SomethingElse: x"


def test_the_pipe_carries_no_pickles():
    import inspect

    source = inspect.getsource(process_pair)
    assert "pickle" not in source.replace("Nothing is pickled", "")
    assert ".recv()" not in source and ".send(" not in source


def test_a_worker_that_dies_raises_an_engine_error(pair_on):
    X, Y = data()
    net = network("gru")
    gradient = np.zeros_like(net.parameters_.values)
    with process_pair.ProcessPair(net, X, Y, make_loss("mse")) as pair:
        pair.process.kill()
        pair.process.wait()
        with pytest.raises(EngineError, match="second training process"):
            pair.loss_and_gradient(np.arange(40), gradient)


def test_trains_from_a_thread_that_is_not_the_main_thread(pair_on):
    X, Y = data()
    results = {}

    def run():
        try:
            results["net"] = network("lstm").fit(X, Y, **SETTINGS)
        except BaseException as error:  # noqa: BLE001
            results["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert "error" not in results
    assert len(results["net"].history_) == SETTINGS["max_epochs"]
    assert pair_on[0].worker_batches == SPLIT_PER_EPOCH * SETTINGS["max_epochs"]


def test_lazy_windows(pair_on, monkeypatch):
    from engine.data.windows import WindowArray

    rng = np.random.default_rng(2)
    features = rng.normal(size=(120, 3))
    windows = np.lib.stride_tricks.sliding_window_view(features, 6, axis=0).transpose(0, 2, 1)
    positions = np.arange(0, len(windows), 1)[:100]
    X = WindowArray(windows, positions)
    Y = rng.normal(size=(100, 2))
    two = network("gru").fit(X, Y, **SETTINGS)
    assert pair_on[0].worker_batches == 2 * SETTINGS["max_epochs"]  # 75 windows: 40 and 35
    monkeypatch.setattr(process_pair, "MODE", "off")
    one = network("gru").fit(X, Y, **SETTINGS)
    np.testing.assert_allclose(two.parameters_.values, one.parameters_.values, rtol=0,
                               atol=1e-10)


def test_overlapping_windows_share_their_rows_not_copies_of_every_window():
    from engine.data.windows import WindowArray, window_source, windows_from_source

    features = np.random.default_rng(3).normal(size=(5000, 4))
    view = np.lib.stride_tricks.sliding_window_view(features, 50, axis=0).transpose(0, 2, 1)
    for X in (view, view[100:4000], WindowArray(view, np.arange(0, 4000, 3))):
        root, layout = window_source(X)
        assert root is features                       # 160 kB shared, not 6 MB of windows
        rebuilt = windows_from_source(root.ravel().copy(), layout)
        assert isinstance(rebuilt, WindowArray) == (layout[3] is not None)
        np.testing.assert_array_equal(np.asarray(rebuilt), np.asarray(X))


def test_strided_windows_train_as_in_one_process(pair_on, monkeypatch):
    rng = np.random.default_rng(4)
    features = rng.normal(size=(140, 3))
    X = np.lib.stride_tricks.sliding_window_view(features, 6, axis=0).transpose(0, 2, 1)[:120]
    Y = rng.normal(size=(120, 2))
    two = network("lstm").fit(X, Y, **SETTINGS)
    assert pair_on[0].worker_batches == 2 * SETTINGS["max_epochs"]  # 90 windows: 40, 40, 10
    monkeypatch.setattr(process_pair, "MODE", "off")
    one = network("lstm").fit(X, Y, **SETTINGS)
    np.testing.assert_allclose(two.parameters_.values, one.parameters_.values, rtol=0,
                               atol=1e-10)


def test_a_stop_while_the_worker_starts_ends_the_training_as_stopped(pair_on, monkeypatch):
    """A Stop pressed while the training waits for its worker to be ready (a worker that
    never gets ready here): the pair is given up and the training ends as stopped, as the
    training of one process does; the Stop does not escape as an error."""
    monkeypatch.setattr(process_pair, "_start_worker", lambda fd: subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], pass_fds=(fd,)))
    X, Y = data()
    task = TaskState()
    threading.Timer(1.0, task.cancel).start()
    started = time.monotonic()
    net = network("gru").fit(X, Y, task=task, **SETTINGS)
    assert "Stopped by the user" in net.stop_reason_ and pair_on == [None]
    assert time.monotonic() - started < 30          # ended, not waiting for the worker
