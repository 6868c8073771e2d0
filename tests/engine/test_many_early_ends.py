"""The note on series of many that end before the others names their forecast starts as
the forecast file writes its times: zoned times with their offset (that of the file's
latest time), a year and a quarter as its period; and finds them over all series at once."""

import numpy as np
import pandas as pd

from engine.data.time_steps import add_steps
from engine.many.forecasting import early_ends_note
from engine.many.series_data import from_frame


def _firsts(data):
    """The step after each series' last row: where its forecast starts."""
    step = data.time_step()
    return [add_steps(data.times.iloc[int(end) - 1], step, 1) for end in data.starts[1:]]


def test_zoned_times_are_named_with_the_offset_of_the_latest_time():
    """Hours in Berlin across the change to summer time: b ends at 01:00+01:00, its
    forecast starts at 02:00+01:00, written 03:00+02:00 as the file's latest time is."""
    local = pd.date_range("2021-03-27 20:00", periods=8, freq="h", tz="Europe/Berlin")
    texts = [t.isoformat(sep=" ") for t in local]
    frame = pd.DataFrame({"id": ["a"] * 8 + ["b"] * 6, "t": texts + texts[:6],
                          "y": np.arange(14.0)})
    data = from_frame(frame, "id", ["y"], time_column="t")
    note = early_ends_note(data, _firsts(data))
    assert note[0].startswith(
        "1 series ends more than one time step before the latest series, whose forecast "
        "starts at 2021-03-28 05:00:00+02:00: b (from 2021-03-28 03:00:00+02:00). ")


def test_a_year_and_a_quarter_is_named_as_its_period():
    frame = pd.DataFrame({"id": ["a"] * 8 + ["b"] * 4, "year": [2008] * 4 + [2009] * 4 +
                          [2008] * 4, "quarter": [1, 2, 3, 4] * 3, "y": np.arange(12.0)})
    data = from_frame(frame, "id", ["y"], time_column="year-quarter")
    note = early_ends_note(data, _firsts(data))
    assert "whose forecast starts at 2010-Q1: b (from 2009-Q1). " in note[0]


def test_the_series_that_end_early_are_found_over_all_series_at_once(monkeypatch):
    """Month ends of 3,000 series, every third two months short: found without a step added
    series by series (which took seconds for 100,000 series), the first three named."""
    from engine.data import time_steps

    n = 3000
    ends = pd.Series(pd.to_datetime(["2020-03-31", "2020-01-31", "2020-03-31"] * (n // 3)))
    frame = pd.DataFrame({"id": np.repeat([f"s{k}" for k in range(n)], 2),
                          "t": np.ravel(np.column_stack([ends - pd.offsets.MonthEnd(1),
                                                         ends])),
                          "y": np.ones(2 * n)})
    data = from_frame(frame, "id", ["y"], time_column="t")
    firsts = _firsts(data)
    monkeypatch.setattr(time_steps, "add_steps", None)
    note = early_ends_note(data, firsts)
    assert note[0].startswith(
        "1,000 series end more than one time step before the latest series, whose forecast "
        "starts at 2020-04-30: s1 (from 2020-02-29), s4 (from 2020-02-29), s7 (from "
        "2020-02-29) and 997 more. ")
