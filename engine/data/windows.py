"""Windows as strided views into one array, and which windows are usable.

A window is named by its *anchor* ``t``, the last row its inputs read. With lookback ``L``
and horizon ``H``:

* inputs: rows ``t-L+1 .. t`` of the feature matrix ``F`` (rows, n_features)
  -> ``X[k] = F[t-L+1 : t+1]``, shape (L, n_features)
* targets, ``H >= 1``: rows ``t+1 .. t+H`` of the scaled transformed targets ``Z``
  (rows, n_targets), flattened step-major: ``Y[k, (h-1) n_targets + j] = Z[t+h, j]``
* targets, ``H = 0``: row ``t``: ``Y[k, j] = Z[t, j]`` (the target at the window's last
  step, approximated from the inputs' history; a variable that is both input and target
  is then not allowed, since its own value would be an input)

The *rows a window reads* are ``t-L+1 .. t+H``. A window is usable when all of them lie in
one segment (no gap in time, no row left out), its input rows have finite inputs and its
target rows finite targets.

``sliding_window_view`` gives all windows of ``F`` as a view (no copy): shape
(rows-L+1, L, n_features), window ``k`` has anchor ``k+L-1``. :class:`WindowArray`
selects the usable ones lazily: ``X[index]`` copies only that batch.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view


def input_view(features, lookback):
    """All windows of ``features`` (rows, n_features) as a read-only view
    (rows-L+1, L, n_features); window ``k`` reads rows ``k .. k+L-1``."""
    features = np.asarray(features)
    if features.shape[0] < lookback:
        return np.empty((0, lookback, features.shape[1]), dtype=features.dtype)
    return sliding_window_view(features, lookback, axis=0).transpose(0, 2, 1)


def target_view(targets, horizon):
    """Targets of every anchor as a read-only view: (rows-H, H*n_targets) for ``H >= 1``
    (row ``t`` holds ``targets[t+1 .. t+H]`` flattened), or ``targets`` itself for
    ``H = 0``. ``targets`` must be C-contiguous (rows, n_targets)."""
    targets = np.ascontiguousarray(targets)
    if horizon == 0:
        return targets
    rows, n = targets.shape
    count = max(rows - horizon, 0)
    if count == 0:
        return np.empty((0, horizon * n), dtype=targets.dtype)
    return as_strided(targets[1:], shape=(count, horizon * n),
                      strides=(targets.strides[0], targets.strides[1]), writeable=False)


def _window_all(ok, size):
    """``out[t] = ok[t-size+1 .. t].all()`` for t >= size-1 (cumulative count)."""
    bad = np.concatenate([[0], np.cumsum(~ok)])
    out = np.zeros(len(ok), dtype=bool)
    if size <= len(ok):
        out[size - 1:] = (bad[size:] - bad[:-size]) == 0
    return out


def usable_anchors(segment, input_ok, target_ok, lookback, horizon):
    """Sorted anchor rows ``t`` of all usable windows (see the module docstring).

    segment : (rows,) int, non-decreasing segment numbers
    input_ok, target_ok : (rows,) bool, inputs / targets finite at that row
    """
    rows = len(segment)
    t = np.arange(lookback - 1, rows - horizon)
    if t.size == 0:
        return t
    inputs = _window_all(np.asarray(input_ok, bool), lookback)[t]
    if horizon == 0:
        targets = np.asarray(target_ok, bool)[t]
    else:
        targets = _window_all(np.asarray(target_ok, bool), horizon)[t + horizon]
    same = segment[t - lookback + 1] == segment[t + horizon]
    return t[inputs & targets & same]


def target_offsets(horizon):
    """Row offsets, relative to a window's anchor (its last input row), of the rows its
    output steps predict: ``1 .. H`` for a horizon ``H >= 1``, ``[0]`` for horizon 0 (the
    anchor's own row). ``target_offsets(H)[0]`` is the first predicted row's offset, the
    one rule every "row after the window" computation uses."""
    return np.arange(1, horizon + 1) if horizon else np.array([0])


class WindowArray:
    """The usable windows of one part, as a lazy array of shape (n, L, n_features).

    It holds the strided view of all windows and the positions of this part's windows in
    it; nothing is copied until asked:

    * ``X[index]`` (an int array, e.g. a mini-batch) copies just those windows;
    * ``X[a:b]`` and :meth:`view` return views when the windows are consecutive;
    * ``np.asarray(X)`` copies all windows (n * L * n_features values).
    """

    def __init__(self, windows, positions):
        self.windows = windows
        self.positions = np.asarray(positions, dtype=np.intp)
        self.shape = (len(self.positions),) + tuple(windows.shape[1:])
        self.dtype = windows.dtype
        self.ndim = 3

    def __len__(self):
        return self.shape[0]

    @property
    def is_contiguous(self):
        """True when the windows are consecutive, so :meth:`view` copies nothing."""
        p = self.positions
        return p.size == 0 or bool(p[-1] - p[0] == p.size - 1)

    @property
    def nbytes(self):
        """Bytes a full copy (``np.asarray``) would take."""
        return int(np.prod(self.shape)) * self.dtype.itemsize

    def view(self):
        """A NumPy array of the windows: a strided view when they are consecutive (no copy),
        else a copy."""
        if self.is_contiguous:
            start = int(self.positions[0]) if self.positions.size else 0
            return self.windows[start:start + self.positions.size]
        return self.windows[self.positions]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return WindowArray(self.windows, self.positions[index]).view()
        return self.windows[self.positions[index]]

    def __array__(self, dtype=None, copy=None):
        out = self.windows[self.positions]
        return out if dtype is None else out.astype(dtype, copy=False)

    def __repr__(self):
        return f"WindowArray(shape={self.shape}, dtype={self.dtype})"


def window_source(X):
    """How windows ``X`` can be rebuilt from the array they are views of, without copying
    the overlapping windows whole (to share them with another process).

    Windows are usually overlapping views into one feature array (a sliding-window view,
    possibly behind a lazy :class:`WindowArray` that picks some of them). Returns
    ``(root, layout)``: the C-contiguous array that owns the memory, and
    ``layout = (offset, shape, strides, positions)`` to view it as the windows again
    (``positions`` picks windows of the view, or None): :func:`windows_from_source`.
    Windows that are no view of such an array are materialized once and returned as they
    are.
    """
    view, positions = X, None
    if isinstance(X, WindowArray) and isinstance(X.windows, np.ndarray):
        view, positions = X.windows, np.asarray(X.positions)
    if not isinstance(view, np.ndarray):
        view = np.asarray(view)
    root = view
    while True:   # NumPy's stride tricks keep their base behind a small wrapper object
        base = root.base
        if not isinstance(base, np.ndarray):
            base = getattr(base, "base", None)
        if not isinstance(base, np.ndarray):
            break
        root = base
    if not root.flags.c_contiguous:
        root = view = np.ascontiguousarray(view)
    offset = view.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return root, (offset, view.shape, view.strides, positions)


def windows_from_source(root, layout):
    """The read-only windows :func:`window_source` described: a strided view of ``root``
    (1-d or n-d, any buffer of its bytes), or a :class:`WindowArray` of it when the layout
    names positions."""
    offset, shape, strides, positions = layout
    X = np.ndarray(tuple(shape), dtype=root.dtype, buffer=root, offset=int(offset),
                   strides=tuple(strides))
    X.flags.writeable = False
    return X if positions is None else WindowArray(X, positions)


def spans_hold(marked, first, last):
    """(m,) bool: whether the rows ``first[i] .. last[i]`` ((m,) int, clipped to the rows)
    hold a row ``marked`` ((rows,) bool), by the running count of marked rows."""
    marked = np.asarray(marked, dtype=bool)
    n = len(marked)
    count = np.r_[0, np.cumsum(marked)]           # count[r]: marked rows before row r
    first = np.clip(np.asarray(first, dtype=int), 0, n)
    last = np.clip(np.asarray(last, dtype=int), -1, n - 1)
    return count[last + 1] > count[np.minimum(first, last + 1)]
