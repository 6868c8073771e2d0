"""Adam's step on one thread and on two, by the size of the weight vector.

On two threads the vector is cut in two halves, ``[0, h)`` and ``[h, n)`` with
``h = ceil(n / 2)``; each half has an Adam of its own (the same settings and step count,
so the same scalars), the first half stepped on this thread while a second thread (kept
for the whole run) steps the second: NumPy lets go of Python's global lock inside an
elementwise operation on a large array. Every element goes through the same operations
as in one step over the whole vector, and every round checks that both ways leave the
same weights, to the last bit.

For every size and dtype it times ``--rounds`` rounds of ``--steps`` steps on a fixed
cycle of random gradients, one thread and two taken in turns (so that a load from other
processes hits both alike), and prints the median milliseconds a step of each and their
ratio, as Markdown, with the one-minute load before and after. It produces figures; it
passes or fails nothing.

    .venv/bin/python benchmarks/update_threads.py [--rounds 7] [--steps 1500]
        [--sizes 3399,24000,48000,96000,190104] [--dtypes float32,float64]
"""

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.training.optimizers import Adam  # noqa: E402

GRADIENTS = 8       # distinct gradients the steps cycle through


def one_round(size, dtype, steps, pool):
    """Seconds a step of ``steps`` Adam steps over ``size`` weights (on two threads with
    ``pool``, a one-thread executor); the final weights."""
    rng = np.random.default_rng(0)
    values = rng.normal(size=size).astype(dtype)
    gradients = [rng.normal(size=size).astype(dtype) for _ in range(GRADIENTS)]
    half = (size + 1) // 2
    first, second = Adam(3e-3), Adam(3e-3)
    whole = Adam(3e-3)
    started = time.perf_counter()
    for step in range(steps):
        gradient = gradients[step % GRADIENTS]
        if pool is None:
            whole.step(values, gradient)
            continue
        other = pool.submit(second.step, values[half:], gradient[half:])
        first.step(values[:half], gradient[:half])
        other.result()
    return (time.perf_counter() - started) / steps, values


def measure(size, dtype, rounds, steps, pool):
    """Median seconds a step on one thread and on two, over ``rounds`` rounds each."""
    one, two = [], []
    for _ in range(rounds):
        seconds, whole = one_round(size, dtype, steps, None)
        one.append(seconds)
        seconds, split = one_round(size, dtype, steps, pool)
        two.append(seconds)
        if not np.array_equal(whole, split):
            raise AssertionError(f"{size} {dtype}: the two threads changed the weights")
    return float(np.median(one)), float(np.median(two))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--sizes", default="3399,24000,48000,96000,190104")
    parser.add_argument("--dtypes", default="float32,float64")
    args = parser.parse_args(argv)
    print(f"load before: {os.getloadavg()[0]:.2f}")
    print("| weights | dtype | one thread ms | two threads ms | two / one |")
    print("|---|---|---|---|---|")
    with ThreadPoolExecutor(1) as pool:
        for dtype in args.dtypes.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                one, two = measure(size, dtype, args.rounds, args.steps, pool)
                print(f"| {size:,} | {dtype} | {one * 1e3:.4f} | {two * 1e3:.4f} | "
                      f"{two / one:.2f} |", flush=True)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
