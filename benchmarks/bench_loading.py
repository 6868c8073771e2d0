"""How long a large CSV file takes to load and to turn into windows, and how much memory
the windows take. Figures, not a test.

    .venv/bin/python benchmarks/bench_loading.py [--rows 1000000] [--columns 20]

It writes a CSV of ``rows`` x ``columns`` (a date column and numeric columns) to a temporary
folder, then times :func:`engine.data.load_table` (reading, detecting the options and the
column types) and :func:`engine.data.prepare_training` (missing values, scaling, lookback 50,
the split), and reports the peak memory of the preparation (tracemalloc) next to what a full
copy of the training windows would take.
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.data import default_config, load_table, prepare_training  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--lookback", type=int, default=50)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(args.rows, args.columns - 1)).round(5),
                         columns=[f"x{k}" for k in range(args.columns - 1)])
    frame.insert(0, "time", pd.date_range("2000-01-01", periods=args.rows, freq="min"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.csv"
        frame.to_csv(path, index=False)
        size = path.stat().st_size / 2**20
        started = time.perf_counter()
        table = load_table(path)
        loaded = time.perf_counter() - started
        config = default_config(table, ["x0"], lookback=args.lookback)
        tracemalloc.start()
        started = time.perf_counter()
        prepared = prepare_training(table, config)
        prepared_seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    windows = prepared.X_train
    copy = np.prod(windows.shape) * windows.dtype.itemsize / 2**20
    print(f"CSV: {args.rows:,} rows x {args.columns} columns, {size:.0f} MiB")
    print(f"load_table (read, detect options and column types): {loaded:.1f} s")
    print(f"prepare_training (lookback {args.lookback}, 60/20/20 split): "
          f"{prepared_seconds:.1f} s, peak {peak:.0f} MiB")
    print(f"training windows {windows.shape}: a full copy would take {copy:,.0f} MiB; "
          "they are views (WindowArray)")


if __name__ == "__main__":
    main()
