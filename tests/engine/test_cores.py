"""The cores the engine may use, on systems with and without a CPU affinity (macOS and
Windows have no ``os.sched_getaffinity``)."""

import os

import numpy as np

from engine.cores import usable_cores
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
