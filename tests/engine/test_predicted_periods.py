"""The time ``predict`` writes in a column named like a time of a year and a quarter
(``year-quarter``): one rule (:func:`~engine.data.year_period.periods_of`) for one series
and for many. The rows appended after a file's keep how the file writes its times: periods
(``2006-Q1``) after periods, dates (``2006-01-01``) after dates, and dates whenever a time
is no period's first day; the year and quarter columns of a predictions file read again are
written as the file's were."""

import numpy as np
import pandas as pd
import pytest

from engine.deploy.predicting import predictions_table
from helpers.models import untrained_model

QUARTERS = pd.period_range("2000Q1", periods=24, freq="Q")
LABELS = [f"{p.year}-Q{p.quarter}" for p in QUARTERS]
FIRST_DAYS = [p.start_time.strftime("%Y-%m-%d") for p in QUARTERS]


def own_column_csv(path, times, **columns):
    """``year-quarter,...,value``: the file's own time column holding ``times`` (texts),
    then ``columns``, then a seasonal value."""
    k = np.arange(len(times))
    pd.DataFrame({"year-quarter": times, **columns,
                  "value": np.round(10 + np.sin(np.pi * k / 2) + k / 10, 3)}).to_csv(
        path, index=False)
    return path


def appended_times(path, horizon=2):
    model = untrained_model(str(path), ["value"], "gru", [4], horizon=horizon, lookback=4)
    table, appended, _ = predictions_table(model, str(path))
    assert appended == horizon
    return table.iloc[-horizon:]


@pytest.mark.parametrize("times, written", [
    (LABELS, ["2006-Q1", "2006-Q2"]),
    (FIRST_DAYS, ["2006-01-01", "2006-04-01"]),
    (FIRST_DAYS[:-1] + LABELS[-1:], ["2006-Q1", "2006-Q2"])])
def test_appended_rows_write_the_time_as_the_file_writes_it(tmp_path, times, written):
    rows = appended_times(own_column_csv(tmp_path / "quarters.csv", times))
    assert list(rows["year-quarter"]) == written


def test_a_time_that_is_no_periods_first_day_makes_the_appended_rows_dates(tmp_path):
    """The last time is written as a period, but another row holds another day: the
    column is no period, whatever its last row says."""
    times = list(LABELS)
    times[20] = "2005-02-15"
    rows = appended_times(own_column_csv(tmp_path / "quarters.csv", times,
                                         year=[int(t[:4]) for t in LABELS],
                                         quarter=[int(t[-1]) for t in LABELS]), 1)
    assert list(rows["year-quarter"]) == ["2006-01-01"]
    assert list(rows["year"]) == ["2006"]
