"""The times of prediction windows' rows (engine/data/pipeline.py's row_times) are each
row's ``times.iloc[row]`` inside the data, the last known time plus whole steps after it,
read at once for many rows."""


import numpy as np
import pandas as pd
import pytest

from engine.data.pipeline import row_times
from engine.data.time_steps import add_steps, detect_step


def reference(times, rows, step):
    """One row at a time, as the definition says."""
    known = np.flatnonzero(times.notna().to_numpy())
    values = np.empty(rows.shape, dtype=object)
    for index, row in np.ndenumerate(rows):
        if row < len(times):
            values[index] = times.iloc[row]
        elif step is not None and known.size:
            values[index] = add_steps(times.iloc[known[-1]], step, int(row - known[-1]))
    return values


DATES = pd.Series(pd.to_datetime(["2020-01-31", "2020-02-29", None, "2020-04-30",
                                  "2020-05-31", None]))
TIMES = {"month ends, the last missing": DATES,
         "hours in UTC": pd.Series(pd.date_range("2021-03-01", periods=6, freq="h",
                                                 tz="UTC")),
         "years": pd.Series([1990, 1991, 1992, 1993, 1994, 1995]),
         "years as decimals": pd.Series([1990.0, 1991.0, np.nan, 1993.0, 1994.0, 1995.0]),
         "text": pd.Series(["a", "b", None, "d", "e", "f"])}


@pytest.mark.parametrize("name", TIMES)
@pytest.mark.parametrize("with_step", [True, False])
def test_row_times_are_those_of_one_row_at_a_time(name, with_step):
    times = TIMES[name]
    step = detect_step(times) if with_step and name != "text" else None
    rows = np.array([[0, 1], [2, 3], [4, 5], [5, 6], [6, 8], [3, 3]])
    got, expected = row_times(times, rows, step), reference(times, rows, step)
    assert got.shape == expected.shape
    for a, b in zip(got.ravel(), expected.ravel()):
        assert type(a) is type(b) and (a == b or (pd.isna(a) and pd.isna(b)))



STEPPED = {"month ends": pd.Series(pd.to_datetime(["2020-01-31", "2020-02-29", "2020-11-30"])),
           "months from the 31st, not ends": pd.Series(pd.to_datetime(
               ["2020-01-31", "2020-03-15", "2020-05-31"])).dt.tz_localize("+01:00"),
           "hours at +02:00": pd.Series(pd.date_range("2021-03-28 03:00", periods=3,
                                                      freq="h", tz="+02:00")),
           "years": pd.Series([1990, 1995, 2001])}
STEPS = {"month ends": {"unit": "months", "size": 3, "month_end": True},
         "months from the 31st, not ends": {"unit": "months", "size": 1},
         "hours at +02:00": {"unit": "nanoseconds", "size": 3600 * 10 ** 9},
         "years": {"unit": "number", "size": 1.0}}


@pytest.mark.parametrize("name", STEPPED)
@pytest.mark.parametrize("k", [1, 4])
def test_steps_added_to_a_whole_column_are_those_added_one_time_at_a_time(name, k):
    from engine.data.time_steps import add_steps_each

    times, step = STEPPED[name], STEPS[name]
    expected = [add_steps(t, step, k) for t in times]
    assert add_steps_each(times, step, k).tolist() == expected
