"""Small data files for the command-line, fitting and evaluation tests."""

import pytest

from helpers.models import seasonal_frame


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
