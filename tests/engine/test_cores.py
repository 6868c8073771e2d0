"""The cores the engine may use, on systems with and without a CPU affinity (macOS and
Windows have no ``os.sched_getaffinity``)."""

import os

import numpy as np

from engine.cores import CORES_VARIABLE, usable_cores
from engine.network.recurrent import RecurrentNetwork
from engine.selection.executors import default_workers


def test_the_affinity_gives_the_cores_where_the_system_has_one(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert usable_cores() == 3
    assert default_workers() == 3


def test_without_an_affinity_every_core_of_the_machine_counts(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert usable_cores() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert usable_cores() == 1


def test_a_network_predicts_without_an_affinity(monkeypatch):
    network = RecurrentNetwork(cell="gru", n_inputs=2, hidden_sizes=[4], n_outputs=1, seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3, 2))
    expected = network.predict(X, untrained=True)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    np.testing.assert_array_equal(network.predict(X, untrained=True), expected)


def test_the_cores_variable_caps_the_cores_and_a_network_s_threads(monkeypatch):
    """A pool worker sets RNN_STUDIO_CORES=1: its network then runs its training step's
    products and its predictions on one thread, where it would take two of a two-core
    computer the other workers use."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    network = RecurrentNetwork(cell="gru", n_inputs=24, hidden_sizes=[128], n_outputs=24,
                               seed=0)
    big_batch = 256                      # products large enough for a second BLAS thread
    assert usable_cores() == 2 and network._training_threads(big_batch) == 2
    monkeypatch.setenv(CORES_VARIABLE, "1")
    assert usable_cores() == 1 and default_workers() == 1
    assert network._threads() == 1 and network._training_threads(big_batch) == 1
    assert len(network._chunks(4096)) == 1
    monkeypatch.setenv(CORES_VARIABLE, "8")          # never more than the affinity gives
    assert usable_cores() == 2
    for ignored in ("", "0", "two", "-1", "²"):
        monkeypatch.setenv(CORES_VARIABLE, ignored)
        assert usable_cores() == 2
