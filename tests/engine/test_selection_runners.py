"""Where the trials of a search run: the local process pool and a real Dask cluster give
the same table as one trial after the other in this process; a cancel stops them promptly
and leaves no process behind."""

import builtins
import multiprocessing
import os
import pathlib
import signal
import socketserver
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest

from engine.cores import usable_cores
from engine.data import SplitSettings, default_config, load_table
from engine.errors import EngineError
from engine.project.document import new_project
from engine.selection import run_search
from engine.selection.executors import ONE_CORE, DaskRunner, LocalPool
from engine.selection.trial import run_trial
from engine.tasks import TaskState

ROOT = pathlib.Path(__file__).resolve().parents[2]


def noisy_sine_project(folder, rows=200, max_epochs=12, patience=0):
    rng = np.random.default_rng(3)
    t = np.arange(rows)
    x = rng.standard_normal(rows)
    y = np.sin(2 * np.pi * t / 9) + 0.3 * np.roll(x, 1) + 0.1 * rng.standard_normal(rows)
    table = load_table(pd.DataFrame({"y": y, "x": x}))
    config = default_config(table, ["y"], lookback=4)
    config.split = SplitSettings(fractions=(0.6, 0.2, 0.2))
    project = new_project("runners", folder)
    project.data.config = config
    project.architecture.hidden_sizes, project.architecture.seed = [4], 2
    project.training.max_epochs, project.training.patience = max_epochs, patience
    return project, table


def figures(result):
    return [(row.changes, [(run["seed"], run["selection_rmse"], run["training_rmse"],
                            run["epochs"]) for run in row.runs]) for row in result.rows]


def test_the_process_pool_gives_the_same_table_as_one_trial_after_the_other(tmp_path):
    project, table = noisy_sine_project(tmp_path)
    sequential = run_search(project, "neurons", max_trials=3, repeats=2, workers=0,
                            table=table)
    seen = []
    pooled = run_search(project, "neurons", max_trials=3, repeats=2, workers=2,
                        table=table, task=TaskState(on_step=seen.append))
    assert sequential.runner == "this process" and pooled.runner == "local processes"
    assert pooled.workers == 2
    assert figures(pooled) == figures(sequential)            # bit for bit
    assert [run["seed"] for run in pooled.rows[0].runs] == [2, 3]   # project seed + repeat
    assert pooled.chosen == sequential.chosen
    assert [row.changes["hidden_sizes"] for row in pooled.rows] == [[1], [2], [4]]
    assert sorted(p.done for p in seen) == list(range(1, 7)) and seen[-1].total == 6
    assert {p.row.index for p in seen} == {0, 1, 2}
    assert not multiprocessing.active_children()


def test_cancel_stops_running_trials_promptly_and_leaves_no_process(tmp_path):
    # three trials of many seconds each: 3000 training windows, 300 epochs, and a learning
    # rate so small that the error falls every epoch (no early end)
    project, table = noisy_sine_project(tmp_path, rows=5000, max_epochs=100000)
    project.training.learning_rate = 1e-7
    project.architecture.hidden_sizes = [32]
    project.architecture.linear_path = False     # else the start is kept and trials end early
    cancel = TaskState()
    timing = {}

    def stop_soon():
        time.sleep(1.0)                  # two trials are training, one waits
        timing["set"] = time.perf_counter()
        cancel.cancel()

    import threading
    stopper = threading.Thread(target=stop_soon)
    stopper.start()
    result = run_search(project, "cell", workers=2, table=table, task=cancel)
    took = time.perf_counter() - timing["set"]
    stopper.join()
    assert result.cancelled and result.chosen is None
    runs = [run for row in result.rows for run in row.runs]
    assert len(runs) >= 2 and all(run["cancelled"] for run in runs)
    assert took < 2.0, f"the cancel took {took:.2f} s"
    assert not multiprocessing.active_children()
    assert "Stopped by the user" in result.notes[-1]


def test_trials_run_on_a_dask_cluster_with_the_same_results(tmp_path):
    distributed = pytest.importorskip("distributed")
    project, table = noisy_sine_project(tmp_path)
    local = run_search(project, "cell", workers=0, table=table)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as cluster:
        remote = run_search(project, "cell", table=table,
                            scheduler=cluster.scheduler_address)
        with distributed.Client(cluster.scheduler_address) as client:
            logs = client.run(lambda: __import__("os").getpid())
    assert remote.runner == "Dask cluster" and remote.workers == 2
    assert len(logs) == 2                                  # two worker processes
    assert figures(remote) == figures(local)


def test_cancel_on_a_dask_cluster_reaches_running_trials(tmp_path):
    distributed = pytest.importorskip("distributed")
    project, table = noisy_sine_project(tmp_path, rows=600, max_epochs=100000)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None, silence_logs=40) as cluster:
        context = {"table": table, "config": project.data.config.to_dict(),
                   "architecture": {"hidden_sizes": [4]},
                   "settings": {"max_epochs": 100000, "learning_rate": 1e-7},  # no early end
                   "rows": None}
        with DaskRunner(context, cluster.scheduler_address, work=run_trial) as runner:
            futures = [runner.submit({"index": k, "repeat": 0, "seed": k, "changes": {}})
                       for k in range(2)]
            time.sleep(1.5)
            started = time.perf_counter()
            runner.stop()
            outcomes = [f.result(timeout=20) for f in futures]
            took = time.perf_counter() - started
    assert all(o["cancelled"] for o in outcomes)
    assert took < 3.0, f"the cancel took {took:.2f} s"


def test_without_distributed_the_message_says_how_to_install_it(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    project, table = noisy_sine_project(tmp_path)
    with pytest.raises(EngineError, match=r"pip install 'rnn-studio\[cluster\]'"):
        run_search(project, "cell", table=table, scheduler="tcp://127.0.0.1:1")


def test_an_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    with pytest.raises(EngineError, match="Could not connect to the Dask scheduler"):
        DaskRunner({}, "tcp://127.0.0.1:9", timeout="1s", work=run_trial)


@pytest.mark.parametrize("address", ["nonsense", "tcp://host", "foo://host:8786"])
def test_a_malformed_scheduler_address_is_refused_at_once(address):
    pytest.importorskip("distributed")
    started = time.perf_counter()
    with pytest.raises(EngineError, match="is no Dask scheduler address.*tcp://host:8786"):
        DaskRunner({}, address, timeout="5s", work=run_trial)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("address", ["tls://127.0.0.1:1", "wss://127.0.0.1:1",
                                     "ucx://127.0.0.1:1", "inproc://127.0.0.1/1/1"])
def test_a_protocol_that_needs_more_than_an_address_is_refused_at_once(address):
    """tls:// and wss:// need certificates the command line cannot give, inproc:// reaches
    only this process and ucx:// needs another package: each is refused with what to give
    instead, never tried (a TypeError, an abstract class or a 20 s wait before)."""
    pytest.importorskip("distributed")
    started = time.perf_counter()
    with pytest.raises(EngineError, match=r"cannot be used: the \w+:// protocol .*"
                                          r"tcp://host:8786") as caught:
        DaskRunner({}, address, timeout="5s", work=run_trial)
    assert time.perf_counter() - started < 1.0
    assert address.split(":")[0] + "://" in str(caught.value)


def test_an_unknown_protocol_names_only_the_supported_ones():
    pytest.importorskip("distributed")
    with pytest.raises(EngineError, match=r"unknown protocol 'foo' \(supported: tcp, ws\)"):
        DaskRunner({}, "foo://host:8786", timeout="5s", work=run_trial)


class _Http400(socketserver.BaseRequestHandler):
    """A web server's answer to anything: Dask would read 'HTTP/1.1' as a frame length."""

    def handle(self):
        self.request.recv(1 << 16)
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


class _Silent(socketserver.BaseRequestHandler):
    """A server that takes the connection and waits for a request it never gets (a web
    server reading a request line)."""

    def handle(self):
        while self.request.recv(1 << 16):
            pass


def serving(handler):
    """A local TCP server on a free port, answering with ``handler`` in threads."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("handler", [_Http400, _Silent])
def test_another_kind_of_server_is_a_clear_error_within_the_timeout(handler):
    """Not a MemoryError of exbibytes (the reply read as a frame length) nor a hang (the
    client waits for the handshake without a timeout)."""
    pytest.importorskip("distributed")
    server = serving(handler)
    try:
        started = time.perf_counter()
        with pytest.raises(EngineError, match="Could not connect to the Dask scheduler.*"
                                              "Check the address"):
            DaskRunner({}, f"tcp://127.0.0.1:{server.server_address[1]}", timeout="1s",
                       work=run_trial)
        assert time.perf_counter() - started < 4.0
    finally:
        server.shutdown()
        server.server_close()


def test_the_dashboard_port_is_named_in_the_message():
    pytest.importorskip("distributed")
    with pytest.raises(EngineError, match="8787 is the port of the Dask dashboard, the "
                                          "scheduler's is usually 8786"):
        DaskRunner({}, "tcp://127.0.0.1:8787", timeout="1s", work=run_trial)


def test_a_ws_scheduler_works_and_a_worker_address_is_refused():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="ws://", dashboard_address=None,
                                  silence_logs=40) as cluster:
        with DaskRunner({}, cluster.scheduler_address, work=run_trial) as runner:
            assert runner.workers == 1
        worker = next(iter(cluster.scheduler_info["workers"]))
        with pytest.raises(EngineError, match="that is a Dask worker, not the scheduler"):
            DaskRunner({}, worker, work=run_trial)


def cores_of_the_task(context, spec, task):
    """A cluster's work: the cores the task may use, and the process's variable."""
    import os

    return usable_cores(), os.environ.get("RNN_STUDIO_CORES")


def test_a_scheduler_in_this_process_keeps_its_one_core_to_the_task():
    """A scheduler in this process (inproc://) runs its tasks here: each task keeps to one
    core, and the program after it has its cores again (the workers' variables stayed set
    in the whole process, and every later network ran on one thread)."""
    import os

    distributed = pytest.importorskip("distributed")
    before = usable_cores(), os.environ.get("RNN_STUDIO_CORES")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None, silence_logs=40) as cluster:
        with DaskRunner({}, cluster.scheduler_address, work=cores_of_the_task) as runner:
            assert runner.submit({}).result(timeout=60) == (1, before[1])
    assert (usable_cores(), os.environ.get("RNN_STUDIO_CORES")) == before


def test_a_pool_worker_trains_on_one_core_without_a_second_process():
    import os

    from threadpoolctl import threadpool_info

    with LocalPool({"probe": True}, workers=1, work=run_trial) as pool:
        modes = {name: pool.executor.submit(os.getenv, name).result(timeout=60)
                 for name in ONE_CORE}
        blas = [info["num_threads"] for info in
                pool.executor.submit(threadpool_info).result(timeout=60)
                if info["user_api"] == "blas"]
        interrupt = pool.executor.submit(signal.getsignal, signal.SIGINT).result(timeout=60)
        cores = pool.executor.submit(usable_cores).result(timeout=60)
    assert interrupt == signal.SIG_IGN       # a terminal's Ctrl+C is the program's to handle
    assert modes == {"RNN_STUDIO_PROCESS_PAIR": "off", "RNN_STUDIO_PARALLEL_MEMBERS": "off",
                     "RNN_STUDIO_CORES": "1"}
    assert blas and all(threads == 1 for threads in blas)
    assert cores == 1          # its network's products and predictions too, not only BLAS's


def test_a_search_cancelled_in_this_process_returns_its_finished_trials_flagged(tmp_path,
                                                                              monkeypatch):
    """Cancelled once its second trial (of 3 cells x 2 repeats) has finished: the result
    keeps the two finished runs, starts no other, and says it was cancelled."""
    import engine.selection.search as search

    project, table = noisy_sine_project(tmp_path, max_epochs=3)
    task, steps, real = TaskState(), [], search.run_trial

    def trial_then_cancel(context, spec, trial_task):
        outcome = real(context, spec, trial_task)
        if spec["index"] == 0 and spec["repeat"] == 1:
            task.cancel()
        return outcome

    monkeypatch.setattr(search, "run_trial", trial_then_cancel)
    task.on_step = steps.append
    result = run_search(project, "cell", repeats=2, workers=0, table=table, task=task)
    assert result.cancelled and result.runner == "this process"
    runs = [run for row in result.rows for run in row.runs]
    assert len(runs) == 2 and not any(run["cancelled"] for run in runs)
    assert all(run["selection_rmse"] is not None for run in runs)
    assert [p.done for p in steps] == [1, 2]
    assert result.notes[-1] == "Stopped by the user after 2 trials."


PROGRAM_KILLED = """
import os, signal, sys, time
from engine.selection.executors import open_runner
from pool_work import write_pid_then_sleep

if __name__ == "__main__":
    with open_runner(sys.argv[1], workers=2, work=write_pid_then_sleep) as runner:
        futures = [runner.submit({"k": k}) for k in range(2)]
        while len(os.listdir(sys.argv[1])) < 2:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGKILL)
"""

POOL_WORK = """
import os, time

def write_pid_then_sleep(folder, spec, task):
    with open(os.path.join(folder, str(os.getpid())), "w"):
        pass
    time.sleep(120)
"""


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:              # a zombie has ended
        return stat.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_killed_program_leaves_no_pool_worker_behind(tmp_path):
    (tmp_path / "pool_work.py").write_text(POOL_WORK)
    (tmp_path / "program.py").write_text(PROGRAM_KILLED)
    pids = tmp_path / "pids"
    pids.mkdir()
    path = os.pathsep.join([str(ROOT), str(tmp_path)])
    done = subprocess.run([sys.executable, str(tmp_path / "program.py"), str(pids)],
                          env={**os.environ, "PYTHONPATH": path}, timeout=60)
    assert done.returncode == -signal.SIGKILL
    workers = [int(name) for name in os.listdir(pids)]
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "the pool's workers outlived the program that started them"
