"""Checks of user-supplied arrays and settings, raising :class:`EngineError` with advice."""

import numpy as np

from engine.errors import EngineError
from engine.words import counted


CHECK_CHUNK = 1024   # windows checked for NaN at a time: bounds the temporary memory


def is_lazy_windows(X):
    """True for an array-like of windows that is not a NumPy array but can be indexed by
    batches (such as :class:`engine.data.WindowArray`): it is used without copying."""
    return (not isinstance(X, np.ndarray) and hasattr(X, "shape") and hasattr(X, "dtype")
            and hasattr(X, "__getitem__"))


def as_windows(X, n_inputs, dtype, name="X", steps=None):
    """Check windows ``X`` of shape ``(batch, time, n_inputs)``: real, finite, not empty,
    and of ``steps`` time steps when that is given (a network with a linear path).

    ``X`` is returned without a copy (a NumPy array, a strided view of overlapping windows,
    or a lazy window array): the network copies each batch it reads into ``dtype``, so a
    large set of windows is never materialized at once. A single window ``(time,
    n_inputs)`` is not accepted silently: the batch axis must be there, because guessing
    which axis is which hides mistakes.
    """
    if not is_lazy_windows(X):
        X = np.asarray(X)
    _require_real(X, name)
    if len(X.shape) != 3:
        raise EngineError(f"{name} must have 3 dimensions (windows, time steps, inputs); "
                          f"it has {len(X.shape)} with shape {tuple(X.shape)}. "
                          "Put windows on the first axis and time on the second.")
    batch, time_steps, inputs = X.shape
    if batch == 0 or time_steps == 0:
        raise EngineError(f"{name} is empty (shape {tuple(X.shape)}): there must be at least "
                          "one window of at least one time step. Use more rows or a shorter "
                          "lookback.")
    if inputs != n_inputs:
        raise EngineError(f"{name} has {inputs} inputs per time step but the network expects "
                          f"{n_inputs}. Give the same input columns the network was built "
                          "with.")
    if steps is not None and time_steps != steps:
        raise EngineError(f"{name} has windows of {time_steps} time steps but the network's "
                          f"linear path was built for windows of {steps} (its lookback). "
                          f"Give windows of {steps} time steps.")
    for start in range(0, batch, CHECK_CHUNK):
        _require_finite(np.asarray(X[start:start + CHECK_CHUNK]), name, offset=start)
    return X


def as_targets(Y, n_outputs, batch, dtype, name="Y"):
    """Return ``Y`` as a finite array of shape ``(batch, n_outputs)`` in ``dtype``.

    A 1-D array is accepted when the network has a single output.
    """
    Y = np.asarray(Y)
    _require_real(Y, name)
    if Y.ndim == 1 and n_outputs == 1:
        Y = Y[:, None]
    if Y.ndim != 2:
        raise EngineError(f"{name} must have 2 dimensions (windows, outputs); it has "
                          f"{Y.ndim} with shape {Y.shape}.")
    if Y.shape[0] != batch:
        raise EngineError(f"{name} has {Y.shape[0]} rows but there are {batch} windows: "
                          "every window needs exactly one row of targets.")
    if Y.shape[1] != n_outputs:
        raise EngineError(f"{name} has {Y.shape[1]} outputs per window but the network has "
                          f"{n_outputs}. Build the network with n_outputs={Y.shape[1]} or "
                          "give the matching target columns.")
    Y = np.ascontiguousarray(Y, dtype=dtype)
    _require_finite(Y, name)
    return Y


def _require_real(array, name):
    """Accept integer and floating-point arrays; refuse text, objects, booleans, complex."""
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise EngineError(f"{name} must hold real numbers; it holds {array.dtype} values. "
                          "Convert text columns to numbers or leave them out.")


def _require_finite(array, name, offset=0):
    """Raise when ``array`` holds NaN or infinity; ``offset`` is added to the first index
    reported (for arrays checked in chunks, where the count covers the chunk)."""
    bad = ~np.isfinite(array)
    if bad.any():
        count = int(bad.sum())
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        first = (first[0] + offset,) + first[1:]
        raise EngineError(f"{name} contains "
                          f"{counted(count, 'missing (NaN) or infinite value')}, the "
                          f"first at index {first}. Fill or remove missing values before "
                          "training.")


def whole_number(value, name, least=0, most=None):
    """Return ``value`` as an int of at least ``least`` (and at most ``most`` when given),
    or raise with the setting's name.

    Only integers count: text such as ``"5"``, ``5.0``, NaN and booleans are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value < least or (most is not None and value > most):
        wanted = f"of at least {least}" if most is None else f"from {least:,} to {most:,}"
        raise EngineError(f"{name} must be a whole number {wanted}; got {value!r}.")
    return int(value)


def positive_int(value, name):
    """Return ``value`` as an int of at least 1, or raise with the setting's name."""
    return whole_number(value, name, least=1)


def hidden_units(sizes, name="hidden_sizes"):
    """The units of each recurrent layer as a list of ints: ``sizes`` is a list (tuple,
    array) of whole numbers of at least 1, or one such number for one layer (``32`` ->
    ``[32]``). Text (``"64"``, ``"64,32"``) and anything else are refused with the
    setting's ``name``."""
    if isinstance(sizes, (int, np.integer)):
        sizes = [sizes]
    if not isinstance(sizes, (list, tuple, np.ndarray)):
        raise EngineError(f"{name} must be a list of units per layer, e.g. [32] or [64, 32] "
                          f"(or one number for one layer); got {sizes!r}.")
    sizes = list(sizes)
    if not sizes:
        raise EngineError(f"{name} is empty: give the number of units of at least one "
                          "recurrent layer, e.g. [32].")
    for k, size in enumerate(sizes):
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)) \
                or size < 1:
            raise EngineError(f"Layer {k + 1} has {size!r} units; every recurrent layer "
                              "needs a whole number of at least 1 unit.")
    return [int(size) for size in sizes]


def finite_number(value, name):
    """Return ``value`` as a float if it is a finite real number (not a boolean, not text),
    or raise with the setting's name."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                      np.floating)) \
            or not np.isfinite(value):
        raise EngineError(f"{name} must be a finite number; got {value!r}.")
    return float(value)


def choice(value, options, name):
    """Return ``value`` (lower case) if it is one of ``options``, else raise listing them."""
    key = str(value).lower()
    if key not in options:
        raise EngineError(f"Unknown {name} {value!r}; choose one of: {', '.join(options)}.")
    return key
