"""Training throughput and memory of the NumPy engine, next to PyTorch's CPU training.

For every configuration (cell, layers x units) with 4 inputs, 50 time steps, batches of 64
windows, float32 and one output, it measures:

* windows per second of whole training steps -- forward, backward, gradient clipping and
  an Adam step -- timed around ``RecurrentNetwork.fit`` over a fixed number of batches
  (one epoch, no shuffling, no selection set; nothing is subtracted);
* the peak memory of one training step (``tracemalloc``, which sees NumPy's allocations);
* the same step in PyTorch (``nn.LSTM/GRU/RNN`` batch first, ``nn.Linear`` on the last step,
  ``MSELoss``, ``clip_grad_norm_``, ``torch.optim.Adam``) when ``import torch`` works;

each with 1 and 2 threads; ours also with ``n_threads=None`` ("auto": 2 threads only when
a batch has enough work per step to gain from them; compared with PyTorch on 2 threads),
and with a second training process computing half of every batch ("2 processes", forced
on; timed over a fit of ``--pair-epochs`` epochs *including* the start of the worker,
whose start-up time is printed separately; "auto: yes" when a long fit would use it on
its own; compared with PyTorch on 2 threads). A second table gives two bounds on one
thread: the windows per second of a step that did nothing but this engine's matrix
products (:func:`products_only`), and of one whose multiply-adds (:func:`minimum_flops`)
all ran at the rate of a large square product (:func:`peak_gflops`).
Our training steps use a second thread inside the BLAS library's matrix products (the step
loops themselves run on one thread), PyTorch's inside its operators.
Timings are the best of several repeats, taken in turns so that
a load from other processes hits every variant alike. It prints a Markdown table and puts
it into ``benchmarks/results.md`` in place of its section there (the file's other sections
stay). It produces figures; it passes or fails nothing.

    .venv/bin/python benchmarks/bench_training.py [--repeats 7] [--batches 20] [--quick]
"""

import argparse
import datetime
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import threadpoolctl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import RecurrentNetwork  # noqa: E402
from engine.training import process_pair  # noqa: E402
from engine.network.losses import make_loss  # noqa: E402
from engine.training.settings import TrainingSettings  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is optional: only our figures then
    torch = None

CONFIGS = [  # (cell, hidden sizes)
    ("lstm", [64]),
    ("lstm", [128]),
    ("gru", [64, 64]),
    ("gru", [32]),
    ("rnn", [32]),
]
N_INPUTS, STEPS, BATCH, N_OUTPUTS = 4, 50, 64, 1
THREADS = (1, 2)       # PyTorch's thread counts; ours also runs with n_threads=None ("auto")
TRAINING = dict(batch_size=BATCH, max_epochs=1, shuffle=False, selection_fraction=0.0,
                patience=None, lr_patience=None, learning_rate=3e-3, clip_norm=1.0)
RESULTS = Path(__file__).with_name("results.md")
PAIR = "2 processes"


def label(cell, sizes):
    name = {"lstm": "LSTM", "gru": "GRU", "rnn": "simple RNN"}[cell]
    return f"{name} {len(sizes)}x{sizes[0]}"


def make_data(n_batches, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_batches * BATCH, STEPS, N_INPUTS)).astype(np.float32)
    Y = rng.normal(size=(n_batches * BATCH, N_OUTPUTS)).astype(np.float32)
    return X, Y


# -- ours ------------------------------------------------------------------------------------
def our_network(cell, sizes, threads):
    return RecurrentNetwork(cell=cell, n_inputs=N_INPUTS, hidden_sizes=sizes,
                            n_outputs=N_OUTPUTS, dtype="float32", seed=0, n_threads=threads)


def time_ours(net, X, Y):
    """Seconds for one epoch of ``fit`` over all of ``X`` (Adam, as the application trains)."""
    started = time.perf_counter()
    net.fit(X, Y, warm_start=True, **TRAINING)
    return time.perf_counter() - started


def peak_memory_ours(cell, sizes, threads, X, Y):
    """Peak bytes allocated by the first training step of a new network on one batch:
    everything a step needs, including the work arrays later steps reuse."""
    net = our_network(cell, sizes, threads)
    Xb, Yb = X[:BATCH], Y[:BATCH]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    net.fit(Xb, Yb, **TRAINING)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return peak


def time_pair(net, X, Y, epochs):
    """Seconds per epoch of a ``fit`` of ``epochs`` epochs with the second training process
    forced on, its start-up included."""
    mode, process_pair.MODE = process_pair.MODE, "on"
    try:
        started = time.perf_counter()
        net.fit(X, Y, warm_start=True, **dict(TRAINING, max_epochs=epochs))
        return (time.perf_counter() - started) / epochs
    finally:
        process_pair.MODE = mode


def pair_startup(cell, sizes, X, Y):
    """Seconds to start the second training process and hand it the windows."""
    net = our_network(cell, sizes, None)
    net.parameters_
    started = time.perf_counter()
    process_pair.ProcessPair(net, X, Y, make_loss("mse")).close()
    return time.perf_counter() - started


def pair_used_by_auto(cell, sizes):
    """Whether ``n_threads=None`` starts the second process for a long fit (the default
    1000 epochs) on 5,000 windows of this shape, on 2 cores."""
    net = our_network(cell, sizes, None)
    X = np.lib.stride_tricks.as_strided(np.zeros(1, np.float32), (5000, STEPS, N_INPUTS),
                                        (0, 0, 0))
    settings = TrainingSettings.from_kwargs(batch_size=BATCH)
    return len(os.sched_getaffinity(0)) >= 2 and process_pair.worth_it(net, X, settings)


# -- the ceiling set by the matrix products ----------------------------------------------------
GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def step_products(cell, sizes):
    """The matrix products ``(m, k, n, count)`` (``count`` products of (m, k) @ (k, n)) of
    backpropagation through time of one batch, in this engine's shapes: per layer of ``H``
    units with ``G`` gates and ``I`` inputs, the forward product of every step (G*H rows,
    over the hidden state, the inputs and a row of ones for the bias), the backward
    product through the recurrent weights at every step but the first, the weight
    gradients (one product over all steps) and, above the first layer, the gradient with
    respect to the layer's inputs. The head's products are left out (tiny)."""
    gates = GATES[cell]
    products, inputs = [], N_INPUTS
    for k, hidden in enumerate(sizes):
        width = hidden + inputs + 1
        products += [(gates * hidden, width, BATCH, STEPS),
                     (hidden, gates * hidden, BATCH, STEPS - 1),
                     (gates * hidden, STEPS * BATCH, width, 1)]
        if k:
            products.append((inputs, gates * hidden, STEPS * BATCH, 1))
        inputs = hidden
    return products


def minimum_flops(cell, sizes):
    """Floating-point operations of the multiply-adds every implementation of a training
    step on one batch has to do, however it groups them: the products of
    :func:`step_products` without the bias rows (adding a bias is no multiply-add)."""
    gates, inputs, flops = GATES[cell], N_INPUTS, 0.0
    for k, hidden in enumerate(sizes):
        rows = gates * hidden
        flops += 2.0 * BATCH * (rows * (hidden + inputs) * STEPS      # forward
                                + hidden * rows * (STEPS - 1)        # backward in time
                                + rows * (hidden + inputs) * STEPS)  # weight gradients
        if k:
            flops += 2.0 * BATCH * inputs * rows * STEPS             # to the layer below
        inputs = hidden
    return flops


def peak_gflops(repeats, size=1024):
    """GFLOP/s of one float32 BLAS thread on a large square product (best of
    ``repeats``): about the most one core does."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(size, size)).astype(np.float32)
    b = rng.normal(size=(size, size)).astype(np.float32)
    out = np.empty_like(a)
    best = float("inf")
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        for _ in range(repeats + 1):
            started = time.perf_counter()
            np.matmul(a, b, out=out)
            best = min(best, time.perf_counter() - started)
    return 2.0 * size ** 3 / best / 1e9


def products_only(cell, sizes, repeats):
    """``(windows per second, GFLOP/s)`` of a training step that did nothing but the
    products of :func:`step_products` in float32 on one BLAS thread (best of ``repeats``
    timings of each product): the speed this engine's steps cannot pass."""
    rng = np.random.default_rng(0)
    seconds = flops = 0.0
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        for m, k, n, count in step_products(cell, sizes):
            a = rng.normal(size=(m, k)).astype(np.float32)
            b = rng.normal(size=(k, n)).astype(np.float32)
            out = np.empty((m, n), dtype=np.float32)
            calls = max(1, min(count, 50))
            best = float("inf")
            for _ in range(repeats + 1):                  # the first one warms up
                started = time.perf_counter()
                for _ in range(calls):
                    np.matmul(a, b, out=out)
                best = min(best, (time.perf_counter() - started) / calls)
            seconds += best * count
            flops += 2.0 * m * k * n * count
    return BATCH / seconds, flops / seconds / 1e9


def ceiling_table(rows, with_torch):
    head = ["Configuration", "Products alone (windows/s)", "GFLOP/s",
            "At the core's peak (windows/s)", "Ours (windows/s)", "Ours / products alone"]
    if with_torch:
        head += ["PyTorch (windows/s)", "Peak bound / PyTorch"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, ceiling, gflops, bound, ours, theirs in rows:
        cells = [name, f"{ceiling:,.0f}", f"{gflops:.0f}", f"{bound:,.0f}", f"{ours:,.0f}",
                 f"{ours / ceiling:.0%}"]
        if with_torch:
            cells += [f"{theirs:,.0f}", f"{bound / theirs:.2f}x"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


# -- PyTorch ---------------------------------------------------------------------------------
def torch_model(cell, sizes):
    torch.manual_seed(0)
    kind = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell]
    rnn = kind(input_size=N_INPUTS, hidden_size=sizes[0], num_layers=len(sizes),
               batch_first=True)
    head = torch.nn.Linear(sizes[0], N_OUTPUTS)
    model = torch.nn.ModuleDict({"rnn": rnn, "head": head})
    optimizer = torch.optim.Adam(model.parameters(), lr=TRAINING["learning_rate"])
    return model, optimizer


def time_torch(model, optimizer, X, Y):
    """Seconds for the same epoch in PyTorch: forward, MSE, backward, clipping, Adam."""
    loss_fn = torch.nn.MSELoss()
    started = time.perf_counter()
    for start in range(0, X.shape[0], BATCH):
        optimizer.zero_grad(set_to_none=True)
        out, _ = model["rnn"](X[start:start + BATCH])
        loss = loss_fn(model["head"](out[:, -1, :]), Y[start:start + BATCH])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), TRAINING["clip_norm"])
        optimizer.step()
    return time.perf_counter() - started


# -- measuring -------------------------------------------------------------------------------
def measure(cell, sizes, X, Y, repeats, with_torch, pair_epochs):
    """Windows per second for every (engine, threads) variant of one configuration."""
    runs = {}
    for threads in THREADS + (None,):
        net = our_network(cell, sizes, threads)
        net.fit(X[:2 * BATCH], Y[:2 * BATCH], **TRAINING)        # builds, warms the threads
        runs[("ours", threads)] = lambda net=net: time_ours(net, X, Y)
    if pair_epochs:
        net = our_network(cell, sizes, None)
        time_pair(net, X[:2 * BATCH], Y[:2 * BATCH], 1)
        runs[("ours", PAIR)] = lambda net=net: time_pair(net, X, Y, pair_epochs)
    if with_torch:
        Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
        for threads in THREADS:
            model, optimizer = torch_model(cell, sizes)

            def run(model=model, optimizer=optimizer, threads=threads):
                torch.set_num_threads(threads)
                return time_torch(model, optimizer, Xt, Yt)

            run()                                                 # warm-up
            runs[("torch", threads)] = run
    best = {key: float("inf") for key in runs}
    for _ in range(repeats):
        for key, run in runs.items():
            best[key] = min(best[key], run())
    return {key: X.shape[0] / seconds for key, seconds in best.items()}


def auto_threads(cell, sizes):
    """How many threads ``n_threads=None`` uses for a training step on one batch."""
    net = our_network(cell, sizes, None)
    net.parameters_
    return net._training_threads(BATCH)


def environment():
    blas = [f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture', '?')} kernel, "
            f"{i.get('threading_layer', '?')})"
            for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    lines = [f"- Date: {datetime.datetime.now().isoformat(timespec='minutes')}",
             f"- Machine: {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}",
             f"- NumPy {np.__version__}; BLAS: {'; '.join(blas) or 'unknown'}",
             f"- PyTorch: {torch.__version__ if torch else 'not installed'}"]
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                 "OMP_NUM_THREADS"):
        lines.append(f"- {name}: {os.environ.get(name, 'unset')}")
    return lines


def table(rows, with_torch):
    head = ["Configuration", "Threads", "Ours (windows/s)"]
    if with_torch:
        head += ["PyTorch (windows/s)", "Ours / PyTorch"]
    head += ["Peak MiB (ours, one step)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, threads, ours, theirs, peak in rows:
        cells = [name, str(threads), f"{ours:,.0f}"]
        if with_torch:
            cells += [f"{theirs:,.0f}", f"{ours / theirs:.2f}x"]
        cells += ["-" if peak is None else f"{peak / 2 ** 20:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_section(path, section):
    """Write ``section`` (Markdown starting with a ``# `` title line) into ``path`` in
    place of the section of the same title, keeping the file's other sections; at the
    start of the file when it has none of that title."""
    title = section.splitlines()[0]
    text = path.read_text() if path.exists() else ""
    lines = text.splitlines(keepends=True)
    starts = [k for k, line in enumerate(lines) if line.startswith("# ")]
    if title + "\n" in lines:
        begin = lines.index(title + "\n")
        end = next((k for k in starts if k > begin), len(lines))
        rest_before, rest_after = lines[:begin], lines[end:]
    else:
        rest_before, rest_after = [], lines
    after = "".join(rest_after)
    path.write_text("".join(rest_before) + section + ("\n" + after if after else ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="best of this many runs")
    parser.add_argument("--batches", type=int, default=20, help="batches of 64 per run")
    parser.add_argument("--quick", action="store_true", help="3 repeats of 8 batches")
    parser.add_argument("--pair-epochs", type=int, default=10,
                        help="epochs of the timed fits with 2 processes (0: leave them out)")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--only", default="", help="e.g. 'lstm' or 'gru 2x64'")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help="Markdown file to write ('-' for none)")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.batches = 3, 8
    with_torch = torch is not None and not args.no_torch
    X, Y = make_data(args.batches)
    rows, startups, ceilings = [], [], []
    core_peak = peak_gflops(args.repeats)
    for cell, sizes in CONFIGS:
        name = label(cell, sizes)
        if args.only.lower() not in name.lower() and args.only.lower() != cell:
            continue
        speeds = measure(cell, sizes, X, Y, args.repeats, with_torch, args.pair_epochs)
        for threads in THREADS + (None,):
            peak = peak_memory_ours(cell, sizes, threads, X, Y)
            theirs = speeds.get(("torch", threads or max(THREADS)))
            shown = threads or f"auto ({auto_threads(cell, sizes)})"
            rows.append((name, shown, speeds[("ours", threads)], theirs, peak))
            print(table(rows[-1:], with_torch)[-1], flush=True)
        ceiling, gflops = products_only(cell, sizes, args.repeats)
        bound = BATCH * core_peak * 1e9 / minimum_flops(cell, sizes)
        ceilings.append((name, ceiling, gflops, bound, speeds[("ours", 1)],
                         speeds.get(("torch", 1))))
        if args.pair_epochs:
            shown = f"{PAIR} (auto: {'yes' if pair_used_by_auto(cell, sizes) else 'no'})"
            rows.append((name, shown, speeds[("ours", PAIR)],
                         speeds.get(("torch", max(THREADS))), None))
            print(table(rows[-1:], with_torch)[-1], flush=True)
            startups.append(min(pair_startup(cell, sizes, X, Y)
                                for _ in range(max(1, args.repeats))))
    settings = (f"{N_INPUTS} inputs, {STEPS} time steps, batches of {BATCH}, float32, "
                f"{N_OUTPUTS} output; Adam with gradient clipping at "
                f"{TRAINING['clip_norm']}; best of {args.repeats} runs of {args.batches} "
                "batches.")
    if startups:
        settings += (f" The {PAIR} rows time fits of {args.pair_epochs} epochs including the "
                     "start of the second process, which took "
                     f"{min(startups):.2f}-{max(startups):.2f} s (best of "
                     f"{max(1, args.repeats)} starts per configuration; the training "
                     "computes both halves of each batch itself meanwhile).")
    ceiling_note = ("One thread, float32. \"Products alone\": the windows per second of a "
                    "training step that did nothing but this engine's matrix products "
                    "(forward and backward product of every step, the weight gradients, "
                    "the gradients between layers; each product timed alone, best of the "
                    "runs). \"At the core's peak\": the windows per second if the "
                    "multiply-adds every implementation has to do ran at the rate of a "
                    f"large square product, {core_peak:.0f} GFLOP/s here, with nothing else "
                    "in the step.")
    report = (["# Training throughput", ""] + environment()
              + ["", settings, ""] + table(rows, with_torch)
              + ["", "## The matrix products alone", "", ceiling_note, ""]
              + ceiling_table(ceilings, with_torch))
    print("\n".join(report))
    if str(args.output) != "-":
        write_section(args.output, "\n".join(report) + "\n")


if __name__ == "__main__":
    main()
