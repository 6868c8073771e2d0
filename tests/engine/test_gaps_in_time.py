"""Figures across a gap in time (missing time steps): no prediction or baseline is paired
with a row on the other side of a gap, one step ahead, for every direct step, recursively,
by horizon, in a backtest fold and with many series.

The seasonal test file (monthly, 2012-01 .. 2019-12, testing from 2019-01 at row 84) loses
three months; a network that outputs a transformed target of 0 is persistence, so every
right answer can be written down by hand."""

import numpy as np
import pytest

from engine.errors import EngineError
from helpers.models import naive_model

GAP = [87, 88, 89]          # 2019-04 .. 2019-06: rows 87.. of the cut frame are 2019-07..


def gapped(frame, rows=GAP):
    """``frame`` without ``rows``, renumbered: a gap in time before row ``rows[0]``."""
    return frame.drop(index=rows).reset_index(drop=True)


def test_a_recursive_forecast_stops_at_a_gap_in_time(make_seasonal_frame):
    """A forecast from row 84 gives rows 84..86 and stops: the window before the gap
    predicts 2019-04, not row 87 (2019-07); one from row 87 has no window before it."""
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = gapped(frame)
    y = cut["y"].to_numpy()
    values, truth = model.forecast(cut, np.array([84, 87]), 4)
    np.testing.assert_allclose(values[0, :3, 0], y[83])
    assert np.isnan(values[0, 3]).all() and np.isnan(values[1]).all()
    with pytest.raises(EngineError, match="gap in time before row 87"):
        model.forecast_from(cut, 84, 4)
    with pytest.raises(EngineError, match="gap in time just before row 87"):
        model.forecast_from(cut, 87, 2)
