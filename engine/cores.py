"""The processor cores this process may use."""

import os


def usable_cores():
    """The number of cores this process may run on (at least 1): its CPU affinity where
    the system has one (Linux), else every core of the machine (macOS, Windows)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
