"""Training / selection / testing parts: sizes, test-from settings and no leakage."""

import itertools

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.data import (DatasetConfig, SplitSettings, VariableSpec, load_table,
                         default_config, prepare_training)
from engine.data.preprocessing import training_rows
from engine.data.splits import (chronological_split, first_target_row, last_row_read,
                                random_split, resolve_test_from)

from helpers.examples import example_csv


def series(n=120):
    t = np.arange(n, dtype=float)
    return pd.DataFrame({"x": np.sin(t / 5), "y": t ** 1.5 + 3 * np.cos(t)})


def reads(anchors, L, H):
    return [set(range(t - L + 1, t + H + 1)) for t in anchors]


def targets(anchors, H):
    return [set(range(t + 1, t + H + 1)) if H else {t} for t in anchors]


@pytest.mark.parametrize("L,H,test_from", list(itertools.product([1, 3, 7], [0, 1, 4],
                                                                 [None, 90])))
def test_no_window_of_an_earlier_part_reads_a_later_target(L, H, test_from):
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"), VariableSpec("y", "target")],
                        lookback=L, horizon=H, split=SplitSettings(test_from=test_from))
    data = prepare_training(series(), cfg)
    parts = [data.anchors[p] for p in ("training", "selection", "testing")]
    assert all(p.size for p in parts)
    for earlier, later in [(0, 1), (0, 2), (1, 2)]:
        read = set().union(*reads(parts[earlier], L, H))
        later_targets = set().union(*targets(parts[later], H))
        assert max(read) < min(later_targets)
        assert not read & later_targets
    assert data.anchors["selection"][0] - data.anchors["training"][-1] == max(H - 1, 0) + 1 \
        or test_from is not None
    if test_from is not None:
        assert min(set().union(*targets(parts[2], H))) >= test_from


@pytest.mark.parametrize("H", [0, 1, 4])
def test_a_given_testing_start_is_where_testing_starts_and_nothing_before_reads_past_it(H):
    """Training and selection end before the testing start, as given (a window that would
    read past it is dropped from the selection part, not the first testing windows)."""
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"), VariableSpec("y", "target")],
                        lookback=3, horizon=H, split=SplitSettings(test_from=90))
    data = prepare_training(series(), cfg)
    earlier = np.r_[data.anchors["training"], data.anchors["selection"]]
    assert max(set().union(*reads(earlier, 3, H))) == 89
    assert min(set().union(*targets(data.anchors["testing"], H))) == 90


def test_a_given_testing_start_leaves_a_selection_window_after_the_purge():
    """Few windows before the testing start and a long horizon: the selection part's share
    (one window of 60 rows, lookback 8, horizon 8) would all be purged; it keeps H windows
    so that one is left."""
    anchors = np.arange(7, 52)                   # 60 rows, lookback 8, horizon 8
    parts = chronological_split(anchors, 8, test_from_row=40)
    assert parts["selection"].size == 1
    assert last_row_read(parts["selection"], 8).max() < 40
    assert first_target_row(parts["testing"], 8).min() == 40
    assert parts["training"].size > 0


def test_default_fractions_are_60_20_20_of_the_windows():
    anchors = np.arange(100)
    parts = chronological_split(anchors, 1)
    assert [parts[p].size for p in ("training", "selection", "testing")] == [60, 20, 20]
    parts = chronological_split(anchors, 3)               # 2 windows purged at each cut
    assert [parts[p].size for p in ("training", "selection", "testing")] == [60, 18, 18]


def test_scalers_are_fitted_on_training_rows_only():
    frame = series(100)
    frame.loc[80:, "y"] = 1e6                          # testing rows are wild
    cfg = DatasetConfig(variables=[VariableSpec("x", "input"), VariableSpec("y", "target")],
                        lookback=4, horizon=2)
    data = prepare_training(frame, cfg)
    rows = training_rows(data.anchors["training"], 4, 2, len(frame))
    assert rows.sum() == data.anchors["training"][-1] + 3
    y = frame["y"].to_numpy()[rows]
    scaler = data.fitted.scaler("y")
    assert scaler.center == pytest.approx(y.mean(), rel=1e-12)
    assert scaler.scale == pytest.approx(y.std(), rel=1e-12)
    assert scaler.center < 1e5


def test_a_date_given_for_times_written_with_offsets_is_on_their_zone_s_clocks():
    """Local midnights on the 1st are 23:00 of the day before in UTC (22:00 in summer):
    "2021-01-01" was taken as 00:00 UTC, and testing started a month late."""
    from zoneinfo import ZoneInfo

    local = pd.date_range("2018-01-01", periods=40, freq="MS", tz="Europe/Berlin")
    times = pd.Series(local).dt.tz_convert("UTC").dt.tz_localize(None)
    berlin = ZoneInfo("Europe/Berlin")
    assert resolve_test_from("2021-01-01", times) == 37                # as UTC: a month late
    assert resolve_test_from("2021-01-01", times, berlin) == 36
    assert resolve_test_from("2020-07-01", times, berlin) == 30        # summer, +02:00
    assert resolve_test_from("2020-07-01", times) == 31
    assert resolve_test_from(2021, times, berlin) == 36                # a year of its clocks
    assert resolve_test_from(2017, times) == 0                         # 2017-12-31 23:00
    with pytest.raises(EngineError):                                   # not a year on its clocks
        resolve_test_from(2017, times, berlin)
    assert resolve_test_from("2021-01-01T00:00+01:00", times) == 36    # an offset given
    assert resolve_test_from("2021-01-01T00:00+01:00", times, berlin) == 36
    assert resolve_test_from({"row": 5}, times, berlin) == 5
    aware = pd.Series(local)                      # a frame's column with its zone
    assert resolve_test_from("2021-01-01", aware) == 36      # it was a TypeError
    assert resolve_test_from(2021, aware) == 36
    years = pd.Series([2019, 2020, 2021])
    for times, words in ((years, "the time column holds numbers; give a number"),
                         (None, "there is no time column of dates; give a row number")):
        with pytest.raises(EngineError, match=words):     # a TypeError, an AttributeError
            resolve_test_from(pd.Timestamp("2020-01-01"), times)


def test_test_from_row_date_and_year():
    assert resolve_test_from(50) == 50
    assert resolve_test_from({"row": 7}) == 7
    table = load_table(example_csv("airline_passengers.csv"))
    times = table.frame["month"]
    assert resolve_test_from("1958-01-01", times) == 108
    assert resolve_test_from(1958, times) == 108          # a year of the dates
    assert resolve_test_from(100, times) == 100           # not a year: a row
    sun = load_table(example_csv("sunspots_yearly.csv")).frame["year"]
    assert resolve_test_from(1950, sun) == 250
    assert resolve_test_from("1950", sun) == 250
    assert resolve_test_from(20, sun) == 20
    with pytest.raises(EngineError, match=r"no such data row \(0 to 308\), nor a time of "
                                          r"the time column, whose times run from 1700 to "
                                          r"2008\."):
        resolve_test_from(500, sun)
    for typed in ("2010", "2008.5"):        # the data page's field holds the text typed
        with pytest.raises(EngineError, match=rf"Testing from {typed}: the time column's "
                                              r"times run from 1700 to 2008"):
            resolve_test_from(typed, sun)
    with pytest.raises(EngineError, match=r"no such data row \(0 to 308\)\.$"):
        resolve_test_from({"row": 500}, sun)                # a row, said so
    with pytest.raises(EngineError, match="from 20230101 to 20230103"):
        resolve_test_from(20230110, pd.Series([20230101, 20230102, 20230103]))
    with pytest.raises(EngineError, match="not a date"):
        resolve_test_from("soon", times)


def test_a_row_without_a_time_does_not_move_the_testing_start():
    """A search of sorted times took the rows after an empty time cell in the middle as
    later than any: testing from 1958-01 began at the row after the empty cell (1951)."""
    table = load_table(example_csv("airline_passengers.csv"))
    times = table.frame["month"].copy()
    times[72] = pd.NaT            # where a binary search looks first
    zoned = times.dt.tz_localize("UTC")
    assert resolve_test_from("1958-01-01", times) == 108
    assert resolve_test_from("1958-01-01", zoned) == 108
    assert resolve_test_from("1948-01-01", times) == 0
    assert resolve_test_from("1962-01-01", times) == len(times)
    sun = load_table(example_csv("sunspots_yearly.csv")).frame["year"].astype(float)
    sun[154] = np.nan
    assert resolve_test_from(1950, sun) == 250


def test_a_date_typed_day_first_is_read_as_the_time_column_holds_it():
    """01/06/2019 typed for monthly dates written day first was read as 6 January (testing
    began at 2019-02); it is read day first where only that reading is a day of the
    column, and month first otherwise (daily dates hold both), as before."""
    from zoneinfo import ZoneInfo

    months = pd.Series(pd.date_range("2015-01-01", periods=60, freq="MS"))
    assert resolve_test_from("01/06/2019", months) == 53                 # 1 June
    assert resolve_test_from("06/01/2019", months) == 53                 # month first too
    zoned = months.dt.tz_localize("UTC")
    assert resolve_test_from("01/06/2019", zoned) == 53
    days = pd.Series(pd.date_range("2019-01-01", periods=400, freq="D"))
    assert resolve_test_from("13/06/2019", days) == 163                  # not ambiguous
    assert resolve_test_from("06/01/2019", days) == 151                  # 1 June, US style
    berlin = pd.Series(pd.date_range("2018-12-31 23:00", periods=200, freq="D"))
    assert resolve_test_from("03/06/2019 00:00+01:00", berlin,
                             ZoneInfo("Europe/Berlin")) == 64   # 6 March, zoned


def test_testing_from_a_date_in_prepared_data():
    table = load_table(example_csv("airline_passengers.csv"))
    cfg = default_config(table, ["passengers"], lookback=12, horizon=1,
                         split=SplitSettings(test_from="1958-01"))
    data = prepare_training(table, cfg)
    assert data.target_rows("testing").min() == 108
    assert data.target_rows("selection").max() < 108


@pytest.mark.parametrize("test_from", ["1990-01-01", "1961"])
def test_a_testing_start_after_the_last_row_is_refused(test_from):
    """A mistyped date after the data left the fit without a testing part, silently."""
    table = load_table(example_csv("airline_passengers.csv"))
    cfg = default_config(table, ["passengers"], lookback=12, horizon=1,
                         split=SplitSettings(test_from=test_from))
    with pytest.raises(EngineError, match=rf"Testing from {test_from} starts after the last "
                                          r"row \(1960-12-01 at row 143\): nothing would "
                                          r"be tested"):
        prepare_training(table, cfg)
    plain = load_table(table.frame[["passengers"]])                # no time column
    cfg = default_config(plain, ["passengers"], lookback=12, horizon=1,
                         split=SplitSettings(test_from={"row": 150}))
    with pytest.raises(EngineError, match=r"Testing from row 150 starts after the last row "
                                          r"\(row 143\)"):
        prepare_training(plain, cfg)
    year = default_config(plain, ["passengers"], lookback=12, horizon=1,
                          split=SplitSettings(test_from=1958))        # a year, no times
    with pytest.raises(EngineError, match=r"Testing from 1958 starts after the last row "
                                          r"\(row 143\): nothing would be tested. The data "
                                          r"has no time column, so 1958 is read as a row "
                                          r"number; give a row within the data"):
        prepare_training(plain, year)


def test_a_testing_part_of_one_row_is_refused_at_once():
    """Step 6 and the report need at least 2 testing rows: a fit that would keep one says
    so before it trains, not the report after. Three steps ahead, one window has 3 rows."""
    table = load_table(example_csv("airline_passengers.csv"))
    one = default_config(table, ["passengers"], lookback=12, horizon=1,
                         split=SplitSettings(test_from=143))
    with pytest.raises(EngineError, match="The testing part holds 1 row; the test results "
                                          r"\(step 6 and the report\) need at least 2"):
        prepare_training(table, one)
    two = default_config(table, ["passengers"], lookback=12, horizon=1,
                         split=SplitSettings(test_from=142))
    assert len(prepare_training(table, two).target_rows("testing")) == 2
    for test_from in range(135, 144):              # three steps ahead: never refused
        ahead = default_config(table, ["passengers"], lookback=12, horizon=3,
                               split=SplitSettings(test_from=test_from))
        try:
            prepare_training(table, ahead)
        except EngineError as error:
            assert "holds 1 row" not in str(error)


def test_random_split_is_seeded_and_disjoint():
    anchors = np.arange(10, 110)
    a = random_split(anchors, seed=3)
    b = random_split(anchors, seed=3)
    c = random_split(anchors, seed=4)
    for p in a:
        np.testing.assert_array_equal(a[p], b[p])
    assert not np.array_equal(a["training"], c["training"])
    joined = np.concatenate([a[p] for p in a])
    np.testing.assert_array_equal(np.sort(joined), anchors)


def test_too_few_windows():
    with pytest.raises(EngineError, match="no complete window"):
        chronological_split(np.array([], dtype=int), 1)
def test_rows_before_testing_follow_the_testing_start_or_the_shares():
    from engine.data.config import SplitSettings
    from engine.data.splits import rows_before_testing

    assert rows_before_testing(100, SplitSettings(fractions=(0.6, 0.2, 0.2))) == 80
    assert rows_before_testing(100, SplitSettings(fractions=(0.8, 0.2, 0.0), test_from=70)) == 70
    assert rows_before_testing(100, SplitSettings(method="random")) == 100
    assert rows_before_testing(100, SplitSettings(fractions=(0.8, 0.2, 0.0))) == 100


def test_the_check_gives_the_network_sizes_of_its_prepared_data():
    """The architecture page reads the network's inputs and outputs from the check it
    already holds (a million rows took 0.6 s to prepare a second time)."""
    from engine.data.checks import check_config, network_sizes

    frame = series()
    frame.insert(0, "time", pd.date_range("2001-01-01", periods=len(frame), freq="D"))
    table = load_table(frame)
    config = default_config(table, ["y"], lookback=6)
    config.horizon = 3
    problems, summary = check_config(table, config)
    assert problems == []
    assert (summary.n_inputs, summary.n_outputs) == network_sizes(table, config) == (2, 3)


def test_the_time_step_of_a_table_is_detected_once(monkeypatch):
    """The data page asks for the time step after every edit: detected once per table
    (0.15 s for a million rows); every caller gets its own copy of the step."""
    import engine.data.time_steps as time_steps

    calls = []
    real = time_steps.detect_step
    monkeypatch.setattr(time_steps, "detect_step",
                        lambda times, zone=None: calls.append(len(times)) or real(times, zone))
    frame = series(30)
    frame.insert(0, "time", pd.date_range("2001-01-31", periods=30, freq="ME"))
    table = load_table(frame)
    first = table.time_step()
    first["size"] = 99
    assert table.time_step() == {"unit": "months", "size": 1, "month_end": True}
    assert calls == [30]
    assert load_table(series(30)).time_step() is None


@pytest.mark.parametrize("horizon, advice", [
    (1, "the target itself, as 'input and target', is often enough"),
    (0, "give another column the role 'input' (or predict 1 step ahead or more, with the "
        "target as 'input and target')."),
])
def test_a_project_without_inputs_is_told_what_it_needs(horizon, advice):
    """At 0 steps ahead, predicting 1 step ahead or more was advised alone, which without
    an input is refused too; the advice, followed, lets the project train."""
    from engine.data.checks import check_config

    table = load_table(series())
    config = default_config(table, ["y"], lookback=6)
    for variable in config.variables:
        variable.role = "target" if variable.name == "y" else "unused"
    config.horizon = horizon
    problems, _ = check_config(table, config)
    assert len(problems) == 1 and problems[0].startswith("Choose at least one input")
    assert advice in problems[0]
    config.horizon = max(horizon, 1)
    config.variables[[v.name for v in config.variables].index("y")].role = "input_target"
    assert check_config(table, config)[0] == []
