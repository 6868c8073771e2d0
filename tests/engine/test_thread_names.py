"""The threads that share a prediction are named by what they do, for Python and for the
operating system, also when an application's thread (a QThread) starts them."""

import sys
import threading

import numpy as np

from engine.network.recurrent import RecurrentNetwork
from engine.thread_names import name_this_thread


def os_name():
    """The calling thread's name as the operating system shows it (Linux), else None."""
    if not sys.platform.startswith("linux"):
        return None
    with open(f"/proc/self/task/{threading.get_native_id()}/comm") as comm:
        return comm.read().strip()


def test_a_prediction_shared_by_two_threads_names_them_whoever_started_it():
    network = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[4], seed=0, n_threads=2)
    X = np.random.default_rng(0).normal(size=(64, 5, 1))
    forward, names = network._forward, set()

    def recorded(*args, **kwargs):
        names.add((threading.current_thread().name, os_name()))
        return forward(*args, **kwargs)

    network._forward = recorded

    def as_an_application_thread():
        name_this_thread()          # its operating-system name is now "QThread" too
        network.predict(X, untrained=True)

    starter = threading.Thread(target=as_an_application_thread, name="QThread")
    starter.start()
    starter.join()
    assert names and {python for python, _ in names} <= {"rnn-predict_0", "rnn-predict_1"}
    if sys.platform.startswith("linux"):
        assert all(system == python for python, system in names)
