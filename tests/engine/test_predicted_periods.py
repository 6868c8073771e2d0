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


def test_many_series_read_again_from_their_predictions_keep_the_year_and_quarter(tmp_path):
    """A predictions file of many series, read again as a series set, writes the year and
    quarter beside the periods, as the file it was made from did."""
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings
    from engine.many.predicting import write_predictions
    from engine.many.series_data import DETECT, load_series

    k = np.tile(np.arange(16), 2)
    pd.DataFrame({"firm": np.repeat(["A", "B"], 16), "year": 2000 + k // 4,
                  "quarter": [f"Q{q}" for q in k % 4 + 1],
                  "value": np.round(10 + np.sin(np.pi * k / 2) + k / 10, 3)}).to_csv(
        tmp_path / "firms.csv", index=False)
    data = load_series(tmp_path / "firms.csv", "firm", ["value"], time_column=DETECT)
    model = fit_global(data, GlobalSettings(hidden_sizes=(4,), max_epochs=1, horizon=1,
                                            season=4, lookback=4))
    first, again = tmp_path / "predictions.csv", tmp_path / "again.csv"
    write_predictions(model, data, first)
    write_predictions(model, load_series(first, "firm", ["value"], time_column=DETECT), again)
    written = pd.read_csv(again, dtype=str, keep_default_na=False)
    assert list(written.columns[:4]) == ["firm", "year-quarter", "year", "quarter"]
    assert list(written.iloc[-1][["year-quarter", "year", "quarter"]]) == ["2003-Q4", "2003",
                                                                           "Q4"]


def test_a_files_own_column_is_the_time_of_its_year_and_quarter_only_when_it_holds_them():
    from engine.data.year_period import YearPeriod, year_period_of

    frame = pd.DataFrame({"year-quarter": pd.to_datetime(["2005-01-01", "2005-04-01"]),
                          "year": [2005, 2005], "quarter": [1, 2]})
    assert year_period_of(frame, "year-quarter", frame["year-quarter"]) == \
        YearPeriod("year", "quarter", 4)
    other = pd.to_datetime(["2005-01-01", "2005-07-01"])
    assert year_period_of(frame, "year-quarter", pd.Series(other)) is None
    assert year_period_of(frame, "year-quarter", pd.Series([0, 1])) is None
    assert year_period_of(frame, "time", frame["year-quarter"]) is None
