"""Small many-series data for the tests of engine/many."""

import numpy as np
import pandas as pd


def long_frame(series, times=None):
    """A long-format frame (columns ``id``, ``y``) of ``series`` (dict id -> values), with
    a time column ``t`` when ``times`` (dict id -> times) is given."""
    frame = pd.DataFrame({"id": [name for name, v in series.items() for _ in v],
                          "y": np.concatenate([np.asarray(v, float)
                                               for v in series.values()])})
    if times is not None:
        frame["t"] = np.concatenate([np.asarray(times[name]) for name in series])
    return frame


def seasonal(n, level=100.0, seed=1):
    """A trending series of ``n`` values with a season of 4 and a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return level + 10 * np.sin(2 * np.pi * t / 4) + t + rng.normal(size=n)


def monthly_csv(path, lengths, seed=0):
    """A long CSV file (columns ``id``, ``month``, ``y``) of monthly series, ``lengths``
    ``{id: (rows, first month)}``: series ``k`` (from 0) has the level ``100 (k + 1)``, a
    yearly season of amplitude 10, a trend of 1 a month and noise of 1; months repeat from
    series to series. Returns ``path``."""
    rng = np.random.default_rng(seed)
    parts = []
    for k, (name, (rows, start)) in enumerate(lengths.items()):
        t = np.arange(rows)
        y = (k + 1) * 100 + 10 * np.sin(2 * np.pi * t / 12) + t + rng.normal(size=rows)
        parts.append(pd.DataFrame({"id": name, "month": pd.date_range(start, periods=rows,
                                                                     freq="MS"),
                                   "y": np.round(y, 3)}))
    pd.concat(parts).to_csv(path, index=False, date_format="%Y-%m-%d")
    return path
