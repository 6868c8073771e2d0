"""The times of a forecast of many series: each series' steps after its last known row,
series by series, found over all series at once (one computation per step ahead) and the
same as the steps added one time at a time."""

import numpy as np
import pandas as pd
import pytest

from engine.data.time_steps import add_steps
from engine.many.forecasting import _future_times
from engine.many.series_data import from_frame


def _reference(data, steps, left_out):
    """The steps after each series' last known row, one time at a time."""
    step = data.time_step()
    out = []
    for i in range(data.n_series):
        last = data.times.iloc[int(data.starts[i + 1]) - 1 - int(left_out[i])]
        out.extend(add_steps(last, step, k) for k in range(1, steps + 1))
    return out


def _hours_in_berlin(start, periods):
    local = pd.date_range(start, periods=periods, freq="h", tz="Europe/Berlin")
    return [t.isoformat(sep=" ") for t in local]


def _series(times, lengths):
    """Series ``a``, ``b``, ... of ``lengths`` rows, each the first rows of ``times``; the
    last value of series ``b`` is unknown (its forecast starts after its row before)."""
    frame = pd.DataFrame({"id": np.repeat(list("abcd"[:len(lengths)]), lengths),
                          "t": np.concatenate([times[:n] for n in lengths]),
                          "y": np.ones(sum(lengths))})
    frame.loc[sum(lengths[:2]) - 1, "y"] = np.nan
    return frame


MONTH_ENDS = pd.date_range("2020-01-31", periods=6, freq="ME").strftime("%Y-%m-%d")
TIMES = {"hours": pd.date_range("2021-01-01", periods=6, freq="h").strftime("%Y-%m-%d %H:%M"),
         "month ends": MONTH_ENDS,
         "month starts": pd.date_range("2020-11-01", periods=6, freq="MS").strftime("%Y-%m-%d"),
         "quarter ends": pd.date_range("2020-03-31", periods=6, freq="QE").strftime("%Y-%m-%d"),
         "zoned across summer time": _hours_in_berlin("2021-03-27 23:00", 6),
         "years": np.arange(1990, 1996)}


@pytest.mark.parametrize("name", TIMES)
def test_the_forecast_times_are_those_of_one_step_at_a_time(name, monkeypatch):
    """They were found one series and one step at a time, which took seconds for 100,000
    series; the frame written from them holds the same times of the same type."""
    from engine.data import time_steps

    data = from_frame(_series(np.asarray(TIMES[name]), [6, 5, 3]), "id", ["y"],
                      time_column="t")
    left_out = data.tails_left_out()
    assert left_out.tolist() == [0, 1, 0]
    expected = _reference(data, 4, left_out)
    monkeypatch.setattr(time_steps, "add_steps", None)
    got = _future_times(data, 4, left_out)
    assert list(got[::4]) == expected[::4] and len(got) == 12
    pd.testing.assert_series_equal(pd.DataFrame({"t": got})["t"],
                                   pd.DataFrame({"t": expected})["t"])


def test_a_time_of_a_year_and_a_quarter_is_forecast_in_quarters(monkeypatch):
    from engine.data import time_steps

    frame = pd.DataFrame({"id": ["a"] * 8 + ["b"] * 4, "year": [2008] * 4 + [2009] * 4 +
                          [2008] * 4, "quarter": [1, 2, 3, 4] * 3, "y": np.arange(12.0)})
    data = from_frame(frame, "id", ["y"], time_column="year-quarter")
    monkeypatch.setattr(time_steps, "add_steps", None)
    got = _future_times(data, 2, data.tails_left_out())
    assert list(got) == list(pd.to_datetime(["2010-01-01", "2010-04-01", "2009-01-01",
                                             "2009-04-01"]))


def test_without_a_time_column_the_forecast_rows_are_numbered_by_step():
    data = from_frame(pd.DataFrame({"id": ["a"] * 4 + ["b"] * 3, "y": np.arange(7.0)}),
                      "id", ["y"])
    assert _future_times(data, 3, data.tails_left_out()).tolist() == [1, 2, 3, 1, 2, 3]
