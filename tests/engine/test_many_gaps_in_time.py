"""Many series with gaps in time: the places of a series' rows in time steps and its
stretch since its last gap, and a MASE scale that pairs only values a season apart in
time."""

import numpy as np
import pandas as pd
import pytest

from engine.many import metrics as M
from engine.many.series_data import from_frame
from helpers.many_series import long_frame


def test_the_positions_of_monthly_rows_count_the_months_a_gap_leaves_out():
    months = pd.date_range("2020-01-01", periods=30, freq="MS").delete([10, 11, 12])
    values = {"a": np.arange(27.0), "b": np.arange(30.0)}
    times = {"a": months, "b": pd.date_range("2020-01-01", periods=30, freq="MS")}
    data = from_frame(long_frame(values, times), "id", ["y"], time_column="t")
    assert data.positions(0).tolist() == list(range(10)) + list(range(13, 30))
    assert data.positions(1).tolist() == list(range(30))
    assert data.since_last_gap(0, 27) == 10 and data.since_last_gap(0, 10) == 0
    assert data.since_last_gap(1, 30) == 0


def test_the_mase_scale_in_time_by_hand():
    """Values at times 0, 1, 2, 5, 6 with m = 2: only times 2 and 0 are two steps apart;
    with no pair a season apart, pairs one step apart; the row-by-row scale without
    positions, as before."""
    history = [1.0, 3.0, 2.0, 6.0, 4.0]
    assert M.mase_scale(history, 2, [0, 1, 2, 5, 6]) == pytest.approx(1.0)
    assert M.mase_scale(history, 2) == pytest.approx(2.0)
    assert M.mase_scale([1.0, 3.0, 8.0, 9.0], 3, [0, 1, 5, 6]) == pytest.approx(1.5)
    assert np.isnan(M.mase_scale([1.0, 3.0], 3, [0, 4]))
    assert M.mase_scales([history, history], 2, [None, [0, 1, 2, 5, 6]]).tolist() == \
        pytest.approx([2.0, 1.0])
