"""The recurrent network a user builds, trains and deploys: stacked recurrent layers and a
linear head on the last time step, with PyTorch's parameter names, shapes and gate order,
and optionally a linear path over the whole window (as LSTNet's autoregressive part).

Shapes: windows ``X`` are ``(batch, time, n_inputs)``; outputs ``(batch, n_outputs)``::

    h^0_t = x_t,   h^k_t = cell_k(h^(k-1)_t, h^k_(t-1)),   y = W_head h^K_T + b_head
                                                   (+ W_ar flatten(X) with the linear path)

``flatten(X)`` is ``X.reshape(batch, time * n_inputs)`` (row-major: time step by time step,
the inputs of a step together), as PyTorch's ``x.reshape(B, -1)``.
"""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

from engine.cores import usable_cores
from engine.network.architecture import ARCHITECTURE_KEYS
from engine.network.cells import Workspace, make_layer
from engine.errors import EngineError
from engine.network.losses import make_loss, regularization
from engine.network import parameters
from engine.network.parameters import (GATES, FlatParameters, initialize_like_pytorch,
                                       parameter_count, parameter_shapes)
from engine.network.validation import (as_targets, as_windows, choice, hidden_units,
                                       positive_int, whole_number)
from engine.thread_names import name_this_thread
from engine.words import counted

PREDICT_THREADS = "rnn-predict"   # the name of the threads that share a prediction
PREDICT_CHUNK = 512       # windows per forward pass when predicting: bounds the memory
MIN_THREAD_CHUNK = 16     # no thread gets fewer windows than this
# With n_threads=None a prediction chunk is split only when each thread's share of the
# largest layer's step product has at least this many multiply-adds: below it, handing
# Python's global lock between the threads at every NumPy call costs more than the second
# thread saves.
MIN_THREAD_STEP_WORK = 1_500_000
# With n_threads=None a training step lets the BLAS library use a second thread only when
# the largest layer's step product over the whole batch has at least this many
# multiply-adds: smaller products do not gain from being split.
MIN_BLAS_STEP_WORK = 1_000_000

_blas_controller = None


def _blas_limit(n):
    """Context in which the BLAS library uses at most ``n`` threads. The library
    controller is looked up once: ``threadpool_limits`` looks it up anew each time, which
    costs 0.3 ms or more per call, a lot for a one-window prediction in a recursive
    forecast."""
    global _blas_controller
    if _blas_controller is None:
        _blas_controller = ThreadpoolController().select(user_api="blas")
    return _blas_controller.limit(limits=n)


def _blas_threads(n):
    """Context in which the BLAS library may use ``n`` threads, inside a
    :func:`_blas_limit` of 1 (a no-op for ``n == 1``)."""
    if n == 1:
        return contextlib.nullcontext()     # training and prediction already limit it to 1
    return _blas_limit(n)


class RecurrentNetwork:
    """Stacked simple RNN, GRU or LSTM layers and a linear head.

    Parameters
    ----------
    cell : "rnn", "gru" or "lstm"
    n_inputs : features per time step
    hidden_sizes : units per recurrent layer, e.g. ``[64]`` or ``[64, 32]``
    n_outputs : outputs of the head (targets times steps ahead)
    activation : "tanh" or "relu" (simple RNN only)
    dtype : "float64" or "float32"
    seed : seeds the weight initialization (as PyTorch's default) and the training shuffle
    linear_path : add ``ar.weight @ flatten(X)`` to the output (no bias: ``head.bias`` is the
        intercept); a training then starts from the least-squares linear autoregression
    lookback : the windows' length, required with ``linear_path`` (ignored without it):
        windows of another length are refused
    n_threads : threads for a batch (None: up to 2, by the cores available and only when
        a batch has enough work per time step to gain from them). A training step runs
        its time steps on one thread and lets the BLAS library split the matrix products
        between the threads; a prediction splits its windows between them.

    Fitted attributes: ``history_`` (one :class:`EpochReport` an epoch), ``stop_reason_``,
    ``best_epoch_``, ``training_loss_``, ``selection_loss_``.
    """

    def __init__(self, cell="gru", n_inputs=1, hidden_sizes=(32,), n_outputs=1,
                 activation="tanh", dtype="float64", seed=0, linear_path=False,
                 lookback=None, n_threads=None):
        self.cell = cell
        self.n_inputs = n_inputs
        self.hidden_sizes = hidden_sizes
        self.n_outputs = n_outputs
        self.activation = activation
        self.dtype = dtype
        self.seed = seed
        self.linear_path = linear_path
        self.lookback = lookback
        self.n_threads = n_threads
        self._params = None
        self._trained = False

    # -- settings --------------------------------------------------------------------------
    _SETTINGS = ARCHITECTURE_KEYS + ("n_inputs", "n_outputs", "lookback", "n_threads")

    def get_params(self, deep=True):
        """The constructor arguments, as a dict (the second training process builds its
        copy of the network from them)."""
        return {name: getattr(self, name) for name in self._SETTINGS}

    def set_params(self, **settings):
        """Change constructor arguments; the weights are built anew on next use."""
        for name, value in settings.items():
            if name not in self._SETTINGS:
                raise EngineError(f"Unknown setting {name!r}; the settings are: "
                                  f"{', '.join(self._SETTINGS)}.")
            setattr(self, name, value)
        self._params = None
        return self

    def __getstate__(self):
        state = self.__dict__.copy()
        for transient in ("_executor", "_kept_workspaces", "_workspace_lock"):
            state.pop(transient, None)
        return state

    # -- parameters ------------------------------------------------------------------------
    def _checked_lookback(self):
        """The linear path's window length (an int), or None without a linear path."""
        if not isinstance(self.linear_path, (bool, np.bool_)):
            raise EngineError(f"linear_path must be True or False; got {self.linear_path!r}.")
        if not self.linear_path:
            return None
        if self.lookback is None:
            raise EngineError("A network with a linear path needs its windows' length: give "
                              "lookback (the number of time steps in a window).")
        return positive_int(self.lookback, "lookback (time steps in a window)")

    def _check_settings(self):
        """The checked settings ``(cell, activation, dtype, sizes, shapes)``: the names in
        lower case, the dtype, the units per layer as a list and the parameter shapes of
        :func:`~engine.network.parameters.parameter_shapes` (with ``ar.weight`` when there
        is a linear path). Raises :class:`EngineError` for a
        setting that cannot be used and for a network of more than
        :data:`engine.network.parameters.MAX_PARAMETERS` parameters (counted before anything
        is allocated)."""
        limit = parameters.MAX_PARAMETERS
        cell = choice(self.cell, GATES, "cell type")
        activation = choice(self.activation, ("tanh", "relu"), "activation")
        try:
            dtype = np.dtype(self.dtype)
        except (TypeError, ValueError):
            dtype = None
        if dtype not in (np.float32, np.float64):
            raise EngineError(f"dtype must be float32 or float64; got {self.dtype!r}.")
        sizes = hidden_units(self.hidden_sizes)
        if self.seed is not None:
            whole_number(self.seed, "seed")
        n_inputs = positive_int(self.n_inputs, "n_inputs (inputs per time step)")
        n_outputs = positive_int(self.n_outputs, "n_outputs")
        lookback = self._checked_lookback()
        shapes = parameter_shapes(cell, n_inputs, sizes, n_outputs, lookback)
        count = parameter_count(shapes)
        if count > limit:
            path = f", a linear path over {counted(lookback, 'step')}" if lookback else ""
            raise EngineError(f"A network of {cell.upper()} layers with hidden_sizes {sizes}, "
                              f"{counted(n_inputs, 'input')}{path} and "
                              f"{counted(n_outputs, 'output')} has "
                              f"{count:,} parameters, more than the {limit:,} RNN Studio "
                              "builds; use fewer units or layers.")
        return cell, activation, dtype, sizes, shapes

    def checked_settings(self):
        """The settings as the model file stores them, checked as building the network
        checks them (nothing is allocated): ``{"cell", "n_inputs", "hidden_sizes",
        "n_outputs", "activation", "dtype", "seed", "linear_path", "lookback"}`` with the
        names in lower case, the dtype by name, the units as a list and ``lookback`` None
        without a linear path. Raises :class:`EngineError`."""
        cell, activation, dtype, sizes, _ = self._check_settings()
        lookback = self._checked_lookback()
        return {"cell": cell, "n_inputs": int(self.n_inputs), "hidden_sizes": sizes,
                "n_outputs": int(self.n_outputs), "activation": activation,
                "dtype": dtype.name, "seed": None if self.seed is None else int(self.seed),
                "linear_path": lookback is not None, "lookback": lookback}

    def _build(self):
        cell, activation, dtype, sizes, shapes = self._check_settings()
        self.cell, self.activation = cell, activation     # as the model file stores them
        self._cell, self._sizes = cell, sizes
        self._lookback = self._checked_lookback()
        self._layers = [make_layer(cell, activation) for _ in sizes]
        self.__dict__.pop("_kept_workspaces", None)
        self._params = FlatParameters(shapes, dtype)
        self._weight_mask = self._params.weight_mask()
        initialize_like_pytorch(self._params, sizes, np.random.default_rng(self.seed))
        self._trained = False

    @property
    def parameters_(self):
        """The flat parameter vector and its named views (built from the seed on first use)."""
        if self._params is None:
            self._build()
        return self._params

    @property
    def weight_mask(self):
        """Flat vector, 1 at the weight matrices' values and 0 at the biases' (the L1/L2
        penalty's mask)."""
        self.parameters_
        return self._weight_mask

    @property
    def n_layers(self):
        """The number of recurrent layers."""
        return len(self._check_settings()[3])

    @property
    def n_parameters(self):
        """Number of trainable values (counted without building the weights)."""
        if self._params is not None:
            return self._params.size
        return parameter_count(self._check_settings()[-1])

    def state_dict(self):
        """Copies of all parameters by PyTorch name: ``rnn.weight_ih_l0``, ..., ``head.bias``
        (and ``ar.weight`` with a linear path)."""
        return {name: view.copy() for name, view in self.parameters_.views.items()}

    def load_state_dict(self, state):
        """Set all parameters from a dict of arrays (NumPy or PyTorch tensors) by name.

        Names and shapes must match exactly; nothing is changed when they do not.
        """
        params = self.parameters_
        expected = set(params.shapes)
        given = set(state)
        if given != expected:
            missing = sorted(expected - given)
            extra = sorted(given - expected)
            raise EngineError("The weights do not fit this network: "
                              + (f"missing {', '.join(missing)}; " if missing else "")
                              + (f"unexpected {', '.join(extra)}; " if extra else "")
                              + "build the network with the same cell, layers and sizes.")
        arrays = {}
        for name, shape in params.shapes.items():
            value = state[name]
            if hasattr(value, "detach"):
                value = value.detach().cpu().numpy()
            value = np.asarray(value, dtype=params.values.dtype)
            if value.shape != shape:
                raise EngineError(f"{name} has shape {value.shape}; this network needs "
                                  f"{shape}. Build the network with matching sizes.")
            if not np.all(np.isfinite(value)):
                raise EngineError(f"{name} contains NaN or infinite values; these weights "
                                  "cannot be used.")
            arrays[name] = value
        for name, value in arrays.items():
            params.views[name][...] = value
        self._trained = True
        return self

    # -- forward and backward --------------------------------------------------------------
    def _threads(self):
        if self.n_threads is None:
            return min(2, usable_cores())
        return positive_int(self.n_threads, "n_threads")

    def _map(self, function, items):
        """Run ``function`` over ``items``, on at most :meth:`_threads` threads at a time
        (so that the memory of work in flight stays bounded). The threads are named
        ``rnn-predict_0``, ``rnn-predict_1``, ... (:data:`PREDICT_THREADS`), for Python and
        the operating system, whichever thread started them."""
        workers = min(len(items), self._threads())
        if workers <= 1:
            return [function(item) for item in items]
        executor = self.__dict__.get("_executor")
        if executor is None or executor._max_workers != workers:
            executor = self._executor = ThreadPoolExecutor(
                workers, thread_name_prefix=PREDICT_THREADS, initializer=name_this_thread)
        return list(executor.map(function, items))

    def step_work(self):
        """Multiply-adds per window of the largest layer's product in one time step,
        ``max_k G * H_k * (H_k + in_k + 1)``."""
        self.parameters_
        width, work = self.parameters_.shapes["rnn.weight_ih_l0"][1], 0
        for size in self._sizes:
            work = max(work, GATES[self._cell] * size * (size + width + 1))
            width = size
        return work

    def _chunks(self, batch):
        """Slices that split a prediction batch between the threads."""
        parts = min(self._threads(), batch // MIN_THREAD_CHUNK)
        if self.n_threads is None:
            parts = min(parts, batch * self.step_work() // MIN_THREAD_STEP_WORK)
        parts = max(1, parts)
        bounds = np.linspace(0, batch, parts + 1).astype(int)
        return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]

    def _training_threads(self, batch):
        """BLAS threads for a training step on ``batch`` windows.

        A training step is not split by windows: two threads that each run the step loops
        on half a batch mostly wait for each other at Python's global lock, whose hand-over
        costs more than the small NumPy calls of a step take. The matrix products (per step
        and the weight gradients) are split by the BLAS library instead.
        """
        threads = self._threads()
        if self.n_threads is None and batch * self.step_work() < MIN_BLAS_STEP_WORK:
            return 1
        return threads

    def _workspaces(self, keep):
        """One :class:`Workspace` per layer for a training step: kept from one batch to
        the next when ``keep``, fresh otherwise."""
        if not keep:
            return [Workspace(keep=False) for _ in self._layers]
        kept = self.__dict__.get("_kept_workspaces")
        if kept is None or len(kept) != len(self._layers):
            kept = self._kept_workspaces = [Workspace() for _ in self._layers]
        return kept

    def _layer_weights(self, k):
        views = self._params.views
        return tuple(views[f"rnn.{name}_l{k}"]
                     for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))

    def _forward(self, X, workspaces, training=False):
        """Windows ``X`` (B, T, I) -> outputs (B, n_outputs) and the state for
        :meth:`_backward` (which needs ``training``: the layers then also prepare their
        backward factors). The layers run on step-major, feature-major copies (T, I, B)::

            y = W_head h^K_T + b_head        (computed as (W_head @ h^K_T).T, h^K_T (H, B))
              + X_flat @ W_ar.T              (linear path: X_flat (B, T*I), kept for backward)
        """
        views = self._params.views
        dtype = self._params.values.dtype
        X = np.asarray(X)
        H = np.ascontiguousarray(X.transpose(1, 2, 0), dtype=dtype)
        caches = []
        for k, layer in enumerate(self._layers):
            H, cache = layer.forward(H, self._layer_weights(k), workspaces[k], training)
            caches.append(cache)
        last = H[-1]
        outputs = (views["head.weight"] @ last).T
        outputs += views["head.bias"]
        flat = None
        if self._lookback is not None:
            flat = np.ascontiguousarray(X.reshape(X.shape[0], -1), dtype=dtype)
            outputs += flat @ views["ar.weight"].T
        return outputs, (caches, last, flat)

    def _backward(self, state, d_outputs, grads, blas_threads=1):
        """Gradients of all parameters for ``d_outputs`` (B, n_outputs), into ``grads``
        (``blas_threads``: the threads the BLAS library may use meanwhile)."""
        caches, last, flat = state
        views = self._params.views
        np.matmul(d_outputs.T, last.T, out=grads["head.weight"])
        grads["head.bias"][...] = d_outputs.sum(axis=0)
        if flat is not None:
            np.matmul(d_outputs.T, flat, out=grads["ar.weight"])
        dh_last = views["head.weight"].T @ d_outputs.T
        dH = None
        for k in range(len(self._layers) - 1, -1, -1):
            layer_grads = {key: grads[f"rnn.{key}_l{k}"]
                           for key in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
            dH = self._layers[k].backward(caches[k], layer_grads, dh_last=dh_last, dH=dH,
                                          need_input_gradient=k > 0,
                                          blas_threads=blas_threads)
            dh_last = None

    def _as_windows(self, X, name="X"):
        """Windows ``X`` checked by :func:`~engine.network.validation.as_windows` for this
        network (and, with a linear path, for its window length)."""
        params = self.parameters_
        return as_windows(X, params.shapes["rnn.weight_ih_l0"][1], params.values.dtype, name,
                          steps=self._lookback)

    def predict_validated(self, X):
        """Outputs (batch, n_outputs) for windows ``X`` already checked by
        :func:`~engine.network.validation.as_windows` (the training's selection set, every
        epoch), in chunks that bound the memory."""
        self.parameters_
        outputs = np.empty((X.shape[0], self._params.shapes["head.bias"][0]),
                           dtype=self._params.values.dtype)

        def run(part):
            outputs[part] = self._forward(X[part], self._workspaces(keep=False))[0]

        parts = []
        for start in range(0, X.shape[0], PREDICT_CHUNK):
            chunk = slice(start, min(start + PREDICT_CHUNK, X.shape[0]))
            parts += [slice(chunk.start + p.start, chunk.start + p.stop)
                      for p in self._chunks(chunk.stop - chunk.start)]
        with _blas_limit(1):
            self._map(run, parts)
        return outputs

    def predict(self, X, untrained=False):
        """Outputs for windows ``X`` (batch, time, n_inputs) -> (batch, n_outputs).

        Raises :class:`EngineError` when the network was never trained (:meth:`fit`) nor
        given weights (:meth:`load_state_dict`): its outputs would come from the seed's
        random weights. ``untrained=True`` predicts with those initial weights anyway.
        """
        X = self._as_windows(X)
        self._threads()                 # a wrong n_threads is named before anything else
        if not (self._trained or untrained):
            raise EngineError("This network has not been trained yet, so its predictions "
                              "would come from random initial weights. Train it first "
                              "(fit), or load trained weights (load_state_dict); pass "
                              "untrained=True to predict with the initial weights anyway.")
        return self.predict_validated(X)

    def data_loss_and_gradient(self, X, Y, loss, gradient, threads=None):
        """Data loss on validated batch-major ``X``, ``Y``; its gradient into the flat
        ``gradient`` vector (BLAS ``threads``; None: see :meth:`_training_threads`).

        The work arrays are kept for the next batch, unless another call on this network
        is running at the same time (then this one gets fresh ones).
        """
        lock = self.__dict__.setdefault("_workspace_lock", threading.Lock())
        keep = lock.acquire(blocking=False)
        try:
            return self._loss_and_gradient(X, Y, loss, gradient, keep, threads)
        finally:
            if keep:
                lock.release()

    def _loss_and_gradient(self, X, Y, loss, gradient, keep, threads=None):
        if threads is None:
            threads = self._training_threads(X.shape[0])
        with _blas_threads(threads):
            outputs, state = self._forward(X, self._workspaces(keep), training=True)
            value, d_outputs = loss(outputs, Y)
            self._backward(state, d_outputs, self._params.view_dict(gradient), threads)
        return value

    def loss_and_gradients(self, X, Y, loss="mse", l1=0.0, l2=0.0, huber_delta=1.0,
                           minkowski_p=1.5):
        """Loss (mean over all elements, plus the L1/L2 penalty on weights) and the gradient
        of every parameter, by backpropagation through time.

        Returns ``(loss, grads)`` with ``grads`` keyed as :meth:`state_dict`.
        """
        params = self.parameters_
        dtype = params.values.dtype
        X = self._as_windows(X)
        Y = as_targets(Y, params.shapes["head.bias"][0], X.shape[0], dtype)
        loss_fn = make_loss(loss, huber_delta=huber_delta, minkowski_p=minkowski_p)
        gradient = np.zeros_like(params.values)
        with _blas_limit(1):
            value = self.data_loss_and_gradient(X, Y, loss_fn, gradient)
        value += regularization(params.values, self._weight_mask, l1, l2, gradient)
        return value, {name: view.copy() for name, view in params.view_dict(gradient).items()}

    def fit(self, X, Y, X_sel=None, Y_sel=None, task=None, warm_start=False,
            **training_settings):
        """Train on windows ``X`` (batch, time, n_inputs) and targets ``Y`` (batch, n_outputs).

        ``X_sel``/``Y_sel`` is the selection set for early stopping and for choosing the
        weights kept; without it the last ``selection_fraction`` of the windows is held out.
        ``task`` (:class:`~engine.tasks.TaskState`) receives an
        :class:`~engine.training.settings.EpochReport` after every epoch
        (``task.epoch``) and may cancel between batches: the training then ends with the
        best weights so far and ``cancelled_`` True. ``training_settings`` are the fields of
        :class:`~engine.training.settings.TrainingSettings`. The weights start from the
        seed unless ``warm_start``; with a linear path, ``ar.weight`` and ``head.bias``
        then start at the least-squares linear autoregression on ``X``, ``Y`` and
        ``head.weight`` at zero
        (:func:`~engine.training.linear_start.start_from_least_squares`). Returns ``self``.
        """
        from engine.tasks import as_task
        from engine.training.loop import train
        from engine.training.settings import TrainingSettings

        task = as_task(task)    # before the weights are reset, as the data and settings
        settings = TrainingSettings.from_kwargs(**training_settings)
        X, Y, X_sel, Y_sel = self._training_sets(X, Y, X_sel, Y_sel,
                                                 settings.selection_fraction)
        keep_start = False
        if not warm_start:      # only now: bad data must not cost the trained weights
            self._params = None
            self.parameters_
            if self._lookback is not None:
                from engine.training.linear_start import start_from_least_squares
                with _blas_limit(1):   # its sums the same whatever the cores (bit for bit)
                    start_from_least_squares(self, X, Y)
                keep_start = X_sel is not None
        self._trained = True    # from here on its weights are the training's
        with _blas_limit(1):
            result = train(self, X, Y, X_sel, Y_sel, settings, task, keep_start)
        self.history_ = result.history
        self.stop_reason_ = result.stop_reason
        self.best_epoch_ = result.best_epoch
        self.training_loss_ = result.training_loss
        self.selection_loss_ = result.selection_loss
        self.cancelled_ = result.cancelled
        self.kept_start_ = result.kept_start
        return self

    def _training_sets(self, X, Y, X_sel, Y_sel, selection_fraction):
        """Validated ``(X, Y, X_sel, Y_sel)``; without a selection set the last
        ``selection_fraction`` of the windows is held out (when both parts keep a window)."""
        params = self.parameters_
        dtype = params.values.dtype
        X = self._as_windows(X)
        Y = as_targets(Y, params.shapes["head.bias"][0], X.shape[0], dtype)
        if (X_sel is None) != (Y_sel is None):
            raise EngineError("Give both X_sel and Y_sel for a selection set, or neither.")
        if X_sel is not None:
            X_sel = self._as_windows(X_sel, "X_sel")
            Y_sel = as_targets(Y_sel, Y.shape[1], X_sel.shape[0], dtype, "Y_sel")
            return X, Y, X_sel, Y_sel
        held_out = int(round(selection_fraction * X.shape[0]))
        if held_out >= 1 and X.shape[0] - held_out >= 1:
            return X[:-held_out], Y[:-held_out], X[-held_out:], Y[-held_out:]
        return X, Y, None, None

    def __repr__(self):
        return (f"RecurrentNetwork(cell={self.cell!r}, n_inputs={self.n_inputs}, "
                f"hidden_sizes={list(np.atleast_1d(self.hidden_sizes))}, "
                f"n_outputs={self.n_outputs}, dtype={self.dtype!r})")
