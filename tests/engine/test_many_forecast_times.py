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


def test_a_file_of_one_row_a_series_is_forecast_in_the_step_the_model_was_trained_on(
        tmp_path):
    """Each series' latest row alone (no step to be seen in the file) was forecast with
    its times empty."""
    from engine.many.fitting import fit_global
    from engine.many.forecasting import forecast_frame
    from engine.many.global_model import GlobalSettings
    from engine.many.model_file import save_global_model

    weeks = pd.date_range("2021-01-04", periods=60, freq="W-MON").strftime("%Y-%m-%d")
    frame = pd.DataFrame({"id": np.repeat(["a", "b"], 60), "week": np.tile(weeks, 2),
                          "y": np.tile(10.0 + np.arange(60) % 4, 2)})
    model = fit_global(from_frame(frame, "id", ["y"], time_column="week"),
                       GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=1))
    assert model.settings["time_step"] is not None
    path = tmp_path / "m.npz"
    save_global_model(path, model)
    latest = tmp_path / "latest.csv"
    frame.groupby("id").tail(1).to_csv(latest, index=False)
    written, _ = forecast_frame(path, latest, 2, method="seasonal_naive")
    assert weeks[-1] == "2022-02-21"
    assert written["week"].tolist() == [pd.Timestamp("2022-02-28"),
                                        pd.Timestamp("2022-03-07")] * 2


def test_a_file_whose_times_step_otherwise_than_the_model_s_is_refused(tmp_path):
    """A daily model given the first twelve days of a month written day first
    (01/02/2022 ... 12/02/2022, read month first as twelve months) forecast on the 2nd of
    the next months, and scored with a season of 12, without a word."""
    from engine.errors import EngineError
    from engine.many.fitting import fit_global
    from engine.many.forecasting import forecast_frame
    from engine.many.global_model import GlobalSettings
    from engine.many.model_file import load_global_model, save_global_model
    from engine.many.series_data import load_series, read_for_model

    days = pd.date_range("2021-09-01", periods=120, freq="D")
    frame = pd.DataFrame({"id": np.repeat(["a", "b"], 120),
                          "day": np.tile(days.strftime("%d/%m/%Y"), 2),
                          "y": np.tile(10.0 + np.arange(120) % 7, 2)})
    path = tmp_path / "daily.csv"
    frame.to_csv(path, index=False)
    model = fit_global(load_series(path, "id", ["y"], time_column="day"),
                       GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=1))
    model_path = tmp_path / "m.npz"
    save_global_model(model_path, model)
    recent = tmp_path / "recent.csv"
    first_days = frame["day"].str.endswith("/12/2021") & (frame["day"].str[:2] <= "12")
    frame[first_days].to_csv(recent, index=False)
    with pytest.raises(EngineError, match=r"^The file's times are 1 month apart; the model "
                                          r"was trained on times 1 day apart.*2022-02-01"):
        forecast_frame(model_path, recent, 2)
    with pytest.raises(EngineError, match="1 month apart"):        # evaluate, predict too
        read_for_model(load_global_model(model_path), recent)
    # a whole number of the model's steps: a file of few rows with gaps, read in its step
    every_other = tmp_path / "every_other.csv"
    frame.groupby("id").tail(6).iloc[::2].to_csv(every_other, index=False)
    written, _ = forecast_frame(model_path, every_other, 1, method="seasonal_naive")
    assert written["day"].tolist() == [pd.Timestamp("2021-12-30")] * 2
    hours = tmp_path / "hours.csv"           # hours for a daily model
    pd.DataFrame({"id": ["a"] * 3, "day": ["01/12/2021 00:00", "01/12/2021 01:00",
                                           "01/12/2021 02:00"], "y": [1.0] * 3}).to_csv(
        hours, index=False)
    with pytest.raises(EngineError, match=r"1 hour apart.*such times\.$"):   # no dates hint
        forecast_frame(model_path, hours, 1)
    # a day missing here and there is a gap
    gappy = tmp_path / "gappy.csv"
    frame.drop(index=[100, 105, 220]).to_csv(gappy, index=False)
    written, _ = forecast_frame(model_path, gappy, 1, method="seasonal_naive")
    assert written["day"].tolist() == [pd.Timestamp("2021-12-30")] * 2


def test_a_series_that_steps_otherwise_than_the_model_s_is_refused_by_name(tmp_path):
    """Only the longest series' step was checked: a shop's first twelve days of December
    written day first (01/12/2021 ... 12/12/2021), among another shop's ISO dates, were
    read month first as twelve months and forecast on 3 December 2022 and after, without
    a word. A series with days missing here and there still steps alike."""
    from engine.errors import EngineError
    from engine.many.fitting import fit_global
    from engine.many.forecasting import forecast_frame
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import from_frame

    days = pd.date_range("2021-09-13", periods=91, freq="D")      # to 12 December
    frame = pd.DataFrame({"id": np.repeat(["a", "b"], 91),
                          "day": np.tile(days.strftime("%Y-%m-%d"), 2),
                          "y": np.tile(10.0 + np.arange(91) % 7, 2)})
    model = fit_global(from_frame(frame, "id", ["y"], time_column="day"),
                       GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=1))
    december = frame["day"].str.startswith("2021-12")
    mixed = pd.concat([frame[frame["id"] == "a"],
                       frame[december & (frame["id"] == "b")].assign(
                           day=lambda f: pd.to_datetime(f["day"]).dt.strftime("%d/%m/%Y"))])
    path = tmp_path / "mixed.csv"
    mixed.to_csv(path, index=False)
    with pytest.raises(EngineError, match=r"^The times of series 'b' are 1 month apart; the "
                                          r"model was trained on times 1 day apart.*Give that "
                                          r"series such times.*2022-02-01"):
        forecast_frame(model, path, 1, method="seasonal_naive")
    gappy = tmp_path / "gappy.csv"          # b: every third day of its last 30
    pd.concat([frame[frame["id"] == "a"], frame[frame["id"] == "b"].tail(30).iloc[::3]]
              ).to_csv(gappy, index=False)
    written, _ = forecast_frame(model, gappy, 1, method="seasonal_naive")
    assert written["day"].tolist() == [pd.Timestamp("2021-12-13"),     # b: from 10 December
                                       pd.Timestamp("2021-12-11")]


@pytest.mark.parametrize("found, trained, fits", [
    ({"unit": "nanoseconds", "size": 23 * 3600e9}, {"unit": "nanoseconds", "size": 864e11},
     True),                                                   # a day in spring, in UTC
    ({"unit": "nanoseconds", "size": 167 * 3600e9}, {"unit": "nanoseconds",
                                                     "size": 168 * 3600e9}, True),
    ({"unit": "number", "size": 0.09999999999999432}, {"unit": "number",
                                                        "size": 0.09999999999999964}, True),
    ({"unit": "nanoseconds", "size": 2 * 864e11}, {"unit": "nanoseconds", "size": 864e11},
     False),                                                  # every other day
    ({"unit": "months", "size": 1}, {"unit": "nanoseconds", "size": 864e11}, False),
    ({"unit": "nanoseconds", "size": 3600e9}, {"unit": "nanoseconds", "size": 864e11},
     False),                                                  # hours for a daily model
    ({"unit": "nanoseconds", "size": 36 * 3600e9}, {"unit": "nanoseconds", "size": 864e11},
     False)])
def test_steps_alike_within_a_summer_hour(found, trained, fits):
    """A daily zoned model refused the day across the change of summer time (23 hours of
    UTC), a model of times 0.1 apart a file whose steps differed in the last bits; with
    ``multiples``, a whole number of steps is alike too (a file of a Friday and a Monday
    of business days was refused)."""
    from engine.data.time_steps import steps_alike

    assert steps_alike(found, trained) is fits
    day = {"unit": "nanoseconds", "size": 864e11}
    assert steps_alike({"unit": "nanoseconds", "size": 2 * 864e11}, day, True)
    assert steps_alike({"unit": "nanoseconds", "size": 3 * 864e11 - 3600e9}, day, True)
    for other in (2.5 * 864e11, 36 * 3600e9, 3600e9):         # not whole days
        assert not steps_alike({"unit": "nanoseconds", "size": other}, day, True)
    assert not steps_alike({"unit": "months", "size": 1}, day, True)


def test_the_deploy_page_reads_a_file_for_a_model_as_the_command_line_does(tmp_path):
    """The page built its data without the model's step: a file of each series' latest
    row got forecasts without times, a misread one no refusal."""
    from engine.many.fitting import fit_global
    from engine.many.forecasting import forecast_frame
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import for_model

    weeks = pd.date_range("2021-01-04", periods=60, freq="W-MON").strftime("%Y-%m-%d")
    frame = pd.DataFrame({"id": np.repeat(["a", "b"], 60), "week": np.tile(weeks, 2),
                          "y": np.tile(10.0 + np.arange(60) % 4, 2)})
    model = fit_global(from_frame(frame, "id", ["y"], time_column="week"),
                       GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=1))
    latest = from_frame(frame.groupby("id").tail(1), "id", ["y"], time_column="week")
    written, _ = forecast_frame(model, for_model(model, latest), 1, method="naive2")
    assert written["week"].tolist() == [pd.Timestamp("2022-02-28")] * 2
    # a SeriesSet given to the API directly is read for the model too (and not changed)
    given = from_frame(frame.groupby("id").tail(1), "id", ["y"], time_column="week")
    written, _ = forecast_frame(model, given, 1, method="naive2")
    assert written["week"].tolist() == [pd.Timestamp("2022-02-28")] * 2
    assert given.trained_step is None


@pytest.mark.parametrize("step, words", [
    ({"unit": "months", "size": 3}, "3 months"), ({"unit": "nanoseconds", "size": 864e11},
                                                  "1 day"),
    ({"unit": "nanoseconds", "size": 6048e11}, "7 days"),
    ({"unit": "nanoseconds", "size": 9e11}, "15 minutes"),
    ({"unit": "nanoseconds", "size": 5e8}, "0.5 seconds"), ({"unit": "number", "size": 1.0},
                                                            "1")])
def test_a_step_in_words(step, words):
    from engine.data.time_steps import step_words

    assert step_words(step) == words


def test_the_model_s_step_where_the_file_shows_one_alike_the_file_s_where_the_same():
    """Two local midnights across the change of summer time are 23 hours of UTC apart: a
    daily model's forecasts went on 23 hours at a time; month ends of a monthly model's
    file lost their month end."""
    from types import SimpleNamespace

    day = {"unit": "nanoseconds", "size": 864e11}
    berlin = pd.Series(pd.to_datetime(["2024-03-31 00:00+01:00", "2024-04-01 00:00+02:00"],
                                      utc=True))
    data = from_frame(pd.DataFrame({"id": ["a", "a"], "t": berlin, "y": [1.0, 2.0]}), "id",
                      ["y"], time_column="t")
    assert data.time_step()["size"] == 23 * 3600e9
    from engine.many.series_data import for_model

    assert for_model(SimpleNamespace(settings={"time_step": day}), data).time_step() == day
    ends = from_frame(pd.DataFrame({"id": ["a"] * 3, "t": ["2022-09-30", "2022-10-31",
                                                           "2022-11-30"], "y": [1.0] * 3}),
                      "id", ["y"], time_column="t")
    monthly = SimpleNamespace(settings={"time_step": {"unit": "months", "size": 1}})
    assert for_model(monthly, ends).time_step() == {"unit": "months", "size": 1,
                                                    "month_end": True}
