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
