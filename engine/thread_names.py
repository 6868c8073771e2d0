"""The names of the engine's own threads, as Python and the operating system show them."""

import ctypes
import sys
import threading

PR_SET_NAME = 15        # prctl's option that names the calling thread (Linux)
OS_NAME_BYTES = 15      # Linux keeps this many bytes of a thread's name


def name_this_thread():
    """Give the calling thread's Python name to the operating system too (Linux), so that
    ``top -H``, ``perf`` or ``gdb`` show it instead of the name the thread inherited from
    the one that started it (e.g. an application's ``QThread``). Names longer than
    :data:`OS_NAME_BYTES` are cut there; elsewhere, or without a C library, nothing is
    done (Python's own name is still set)."""
    if not sys.platform.startswith("linux"):
        return
    name = threading.current_thread().name.encode("utf-8", "replace")[:OS_NAME_BYTES]
    try:
        ctypes.CDLL(None).prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)
    except (OSError, AttributeError):
        pass
