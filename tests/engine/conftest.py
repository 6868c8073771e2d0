"""Small data files for the command-line, fitting and evaluation tests."""

import numpy as np
import pandas as pd
import pytest


def seasonal_frame(rows=96, seed=0):
    """Monthly rows from 2012-01: a seasonal target ``y`` with a trend, a related input
    ``x``, and a text column ``note`` (one distinct label per row)."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows)
    x = np.sin(2 * np.pi * t / 12 + 0.3) + 0.1 * rng.standard_normal(rows)
    y = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + 2 * x + rng.standard_normal(rows)
    return pd.DataFrame({"month": pd.date_range("2012-01-01", periods=rows, freq="MS")
                         .strftime("%Y-%m-%d"),
                         "y": np.round(y, 3), "x": np.round(x, 4),
                         "note": [f"entry {k}" for k in range(rows)]})


@pytest.fixture
def make_seasonal_frame():
    """The function that builds the seasonal test frame (rows, seed)."""
    return seasonal_frame


@pytest.fixture
def seasonal_csv(tmp_path):
    """A 96-row monthly CSV file (2012-01 .. 2019-12) in ``tmp_path/data``."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "series.csv"
    seasonal_frame().to_csv(path, index=False)
    return path
