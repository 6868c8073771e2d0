"""Edges of many series: gaps, a testing part the model did not have, a series whose
history never changes, flags that have no meaning for a global model, the M4 season of the
scores, files that are damaged or too large, series a backtest origin leaves out, a first
series of one row, header fields edited with a new checksum, and more forecast steps than a
model with inputs gives."""

import json

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many import model_file as many_model_file
from engine.many.backtest import run_fold
from engine.many.evaluation import evaluate_global, scoring_season
from engine.many.fitting import fit_global
from engine.many.forecasting import forecast_frame
from engine.many.global_model import GlobalSettings
from engine.many.model_file import load_global_model, save_global_model
from engine.many.predicting import prediction_frame
from engine.many.series_data import from_frame
from engine.model import model_file
from helpers.many_series import long_frame, seasonal
from helpers.model_files import header_of, members_of, rewrite_header
from helpers.command_line import run

TINY = dict(hidden_sizes=(4,), max_epochs=2)


def _dated(series, start="2024-01-01", freq="D", skip=None):
    """A long frame of ``series`` with daily times from ``start``; ``skip`` (id -> row)
    leaves one day out of that series (a gap)."""
    times = {}
    for name, values in series.items():
        days = pd.date_range(start, periods=len(values) + 1, freq=freq)
        gap = (skip or {}).get(name)
        times[name] = days.delete(gap if gap is not None else len(values))
    return long_frame(series, times)


def _three():
    return {"a": seasonal(48, 100, 1), "b": seasonal(44, 500, 2), "c": seasonal(40, 50, 3)}


def test_predict_makes_no_prediction_across_a_gap_in_time():
    data = from_frame(_dated(_three(), skip={"a": 30}), "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=6, **TINY))
    frame = prediction_frame(model, data)
    a = frame[frame["id"] == "a"].reset_index(drop=True)
    # rows 30, 31, 32 of series a lie after the gap: no window of 6 rows before them on
    # this side of it, and no prediction from the other side
    columns = [f"y_predicted_{h}" for h in (1, 2, 3)]
    assert a.loc[30:35, columns].isna().all().all()
    assert a.loc[40:, "y_predicted_1"].notna().all()


def test_predict_makes_up_no_value_for_an_empty_cell_so_marks_none():
    """A global model fills in no empty cell: the windows that hold one (a target's at row
    20 of series a, an input's at row 30) predict nothing, the windows before them do, and
    the table has no read_filled_in column (predict of one series adds one when a window
    read a value made up for an empty cell; here none can have)."""
    from engine.deploy.predicting import FILLED_COLUMN

    frame = _dated(_three())
    frame["x"] = np.arange(len(frame), dtype=float) % 5
    frame.loc[20, "y"], frame.loc[30, "x"] = np.nan, np.nan
    data = from_frame(frame, "id", ["y"], inputs=["x"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=2, season=4, lookback=6, **TINY))
    table = prediction_frame(model, data)
    assert FILLED_COLUMN not in table.columns
    for row in (20, 30):            # series a's rows are the table's first
        assert np.isnan(table.loc[row + 1, "y_predicted_1"])     # the window ending at row
        assert np.isnan(table.loc[row + 2, "y_predicted_2"])
        assert np.isfinite(table.loc[row, "y_predicted_1"])      # the one before it


def test_a_forecast_makes_up_no_value_for_an_empty_cell_a_static_label_or_a_series(
        tmp_path):
    """A global model's forecast fills in no empty cell either: series a's last window
    holds an empty target cell and b's an empty input cell, so the network forecasts
    neither; each gets its own seasonal naive forecast of its known values (a its last
    season, the empty cell's value a season earlier; b its last season) and c the network's, unchanged, with no read_filled_in column. The static
    values are the model's own: an empty static cell or a label the model was not trained
    on in the file is not read (the forecast is the same), and a series it was not trained
    on is refused, not read as none of them."""
    from engine.deploy.predicting import FILLED_COLUMN

    frame = _dated(_three())
    frame["x"] = np.arange(len(frame), dtype=float) % 5
    frame["group"] = frame["id"].map({"a": "north", "b": "south", "c": "north"})
    data = from_frame(frame, "id", ["y"], inputs=["x"], time_column="t", statics=["group"])
    model = fit_global(data, GlobalSettings(horizon=2, season=4, lookback=6,
                                            static_columns=("group",), **TINY))
    path = tmp_path / "all.csv"
    frame.to_csv(path, index=False)
    whole, _ = forecast_frame(model, path, 2)
    holed = frame.copy()
    last = holed.groupby("id").tail(1).index            # each series' last row
    holed.loc[last[0] - 2, "y"] = np.nan                # inside a's last window
    holed.loc[last[1], "x"] = np.nan                    # b's last input
    holed.loc[holed["id"] == "c", "group"] = None
    holed.loc[holed["id"] == "b", "group"] = "east"
    holed.to_csv(path, index=False)
    table, _ = forecast_frame(model, path, 2)
    assert FILLED_COLUMN not in table.columns
    known = {name: holed.loc[holed["id"] == name, "y"].to_numpy() for name in "ab"}
    np.testing.assert_allclose(table.loc[table["id"] == "a", "y"], known["a"][[-4, -7]])
    np.testing.assert_allclose(table.loc[table["id"] == "b", "y"], known["b"][[-4, -3]])
    pd.testing.assert_frame_equal(table[table["id"] == "c"], whole[whole["id"] == "c"])
    assert not np.allclose(whole.loc[whole["id"] == "a", "y"], known["a"][[-4, -7]])
    pd.concat([frame, frame[frame["id"] == "c"].assign(id="d")]).to_csv(path, index=False)
    table, notes = forecast_frame(model, path, 2)
    assert "d" not in set(table["id"])
    assert any(note.startswith("1 series in the data is new to the model: d;")
               for note in notes)


def test_predictions_keep_the_inputs_beside_the_targets():
    frame = _dated(_three())
    frame["x"] = np.arange(len(frame), dtype=float) % 5
    data = from_frame(frame, "id", ["y"], inputs=["x"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=2, season=4, lookback=8, **TINY))
    table = prediction_frame(model, data)
    assert list(table.columns[:4]) == ["id", "t", "y", "x"]
    assert table["x"].tolist() == frame["x"].tolist()


def test_a_series_with_a_gap_in_its_testing_rows_is_not_scored():
    """The last rows of a series that skips a day among them are not the days forecast:
    that series is left out of the scores with a note, the others are scored."""
    data = from_frame(_dated(_three(), skip={"a": 46}), "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=8, test_last=4,
                                            **TINY))
    evaluation = evaluate_global(model, data, 4, methods=("naive2",))
    assert evaluation.ids == ["b", "c"]
    assert evaluation.notes == ["1 series was not scored (a): its time column skips a "
                                "step within its testing rows or just before them, so those "
                                "rows are not the steps forecast."]
    whole = from_frame(_dated(_three()), "id", ["y"], time_column="t")
    assert evaluate_global(model, whole, 4, methods=("naive2",)).ids == ["a", "b", "c"]


def test_a_one_step_model_on_a_longer_testing_part_is_said_in_the_singular():
    """A model that forecasts 1 step, scored on 4 testing rows: the note says "1 step" and
    "the first row ... was scored", and the scope is "the first step of the last 4 rows"."""
    data = from_frame(long_frame(_three()), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=1, season=4, lookback=8, test_last=4,
                                            **TINY))
    evaluation = evaluate_global(model, data, 4, methods=("naive2",))
    assert evaluation.notes == ["The model forecasts 1 step ahead; the first row of the 4 "
                                "testing rows was scored."]
    assert evaluation.scope() == "the first step of the last 4 rows"
    from engine.many.evaluation import tested_sentence   # inside: not collected as a test

    # not "the last 4 of 3 series", which reads as 4 of the series
    assert tested_sentence(evaluation).startswith(
        "Tested on the first step of the last 4 rows of 3 series")


def test_a_series_with_an_empty_value_is_still_scored_on_what_is_known():
    """An empty value in a history leaves the comparators and the MASE's scale the values
    after it; one in the testing rows is left out of that series' means. Neither drops the
    series."""
    series = _three()
    series["a"] = series["a"].astype(float)
    series["b"] = series["b"].astype(float)
    series["c"] = series["c"].astype(float)
    series["a"][10] = np.nan                        # in the history
    series["b"][-2] = np.nan                        # among the testing rows
    series["c"][-5] = np.nan                        # its last value before them: no history
    data = from_frame(long_frame(series), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=8, test_last=4,
                                            **TINY))
    evaluation = evaluate_global(model, data, 4, methods=("naive2",))
    assert evaluation.ids == ["a", "b"]
    assert evaluation.notes == ["1 series has an empty value before its testing rows: "
                                "the comparators and the MASE's scale read each from the "
                                "values after its last empty one; empty testing values are "
                                "left out of the scores.",
                                "1 series was not scored (c): missing values, or too short "
                                "for a window before the testing part."]
    a = evaluation.histories[0]
    np.testing.assert_array_equal(a, series["a"][11:-4])
    b = evaluation.ids.index("b")
    y, f = evaluation.truths[b], evaluation.forecasts["network"][b]
    known = np.isfinite(y)
    assert known.sum() == 3
    expected = np.mean(200 * np.abs(y - f)[known] / (np.abs(y) + np.abs(f))[known])
    assert evaluation.scores["network"].smape[b] == pytest.approx(expected)
    with pytest.raises(EngineError, match="No series has rows before its last 48: the "
                                          "longest has 48. Give a --test-last below 48."):
        evaluate_global(model, data, 48, methods=("naive2",))


def test_rows_without_a_target_at_the_end_are_left_out_of_the_forecast():
    """Rows of future inputs (empty targets) after each series' last value, as forecast's
    help describes them: the forecasts start after the last known value, as without
    those rows, and a note says they were left out."""
    series = _three()
    data = from_frame(_dated(series), "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=8, **TINY))
    longer = {name: np.r_[values, np.nan, np.nan] for name, values in series.items()}
    future = from_frame(_dated(longer), "id", ["y"], time_column="t")
    before, notes_before = forecast_frame(model, data, 3)
    after, notes = forecast_frame(model, future, 3)
    pd.testing.assert_frame_equal(after, before)
    assert notes == ["6 rows without a known target at the end of 3 series (2 each) are left "
                     "out: the forecasts start after each series' last known value (a model of "
                     "many series reads its inputs before the forecast only)."] + notes_before


def test_a_series_without_any_known_value_is_dated_after_its_last_row():
    """A long file made from a wide one (a country of empty years): its series of only
    empty values cannot be forecast; its empty forecast rows follow its last row, not its
    first, and its rows are not counted among those left out after a last known value."""
    series = {**_three(), "empty": np.full(40, np.nan)}
    data = from_frame(_dated(series), "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=8, **TINY))
    frame, notes = forecast_frame(model, data, 3)
    empty = frame[frame["id"] == "empty"]
    assert empty["t"].tolist() == list(pd.date_range("2024-02-10", periods=3, freq="D"))
    assert empty["y"].isna().all()
    assert not any("rows without a known target at the end" in note for note in notes)
    assert "1 series could not be forecast: its last values are not known ('empty')." \
        in notes


def test_a_time_column_of_plain_numbers_still_finds_the_season():
    """Times that are plain numbers (no calendar) leave the season to the cycle found in
    the series, as without a time column; daily dates take the calendar's week."""
    from engine.many.choices import default_season

    series = {"a": seasonal(48, 100, 1), "b": seasonal(44, 500, 2)}
    numbered = {name: 100 + np.arange(len(v)) for name, v in series.items()}
    data = from_frame(long_frame(series, numbered), "id", ["y"], time_column="t")
    assert default_season(data) == (4, "Season: 4 rows, found in 2 of the 2 series read")
    untimed = from_frame(long_frame(series), "id", ["y"])
    assert default_season(untimed) == default_season(data)
    daily = from_frame(_dated(series), "id", ["y"], time_column="t")
    assert default_season(daily) == (7, "Season: 7 rows, the calendar's")


def test_a_calendar_season_lost_to_the_testing_part_says_so_and_how_to_keep_it():
    """Daily series of 44 and 48 rows (median 46): a testing part of 35 rows leaves 11,
    less than two weeks; it said 'the series hold less than two calendar cycles' of series
    that hold six (weekly series of three years lost their 52 that way)."""
    from engine.many.choices import default_choices, default_season

    series = {"a": seasonal(48, 100, 1), "b": seasonal(44, 500, 2)}
    daily = from_frame(_dated(series), "id", ["y"], time_column="t")
    assert default_season(daily, 35) == (
        None, "Season: none (the median series holds 11 rows before its last 35, less "
              "than two calendar cycles of 7; a testing part of at most 32 rows keeps it)")
    short = from_frame(_dated({"a": seasonal(10, 100, 1), "b": seasonal(12, 500, 2)}),
                       "id", ["y"], time_column="t")
    assert default_season(short, 2) == (
        None, "Season: none (the median series holds 9 rows before its last 2, less than "
              "two calendar cycles of 7)")
    assert default_choices(daily, test_last=32)[:2] == (7, "Season: 7 rows, the calendar's")
    assert default_season(daily, 60) == (                   # more testing rows than rows
        None, "Season: none (the median series holds no row before its last 60, less than "
              "two calendar cycles of 7; a testing part of at most 32 rows keeps it)")
    assert default_season(short, 8)[1].endswith("less than two calendar cycles of 7)")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edges")
    path = folder / "long.csv"
    _dated(_three()).to_csv(path, index=False)
    model = folder / "global.npz"
    status, _, err = run("fit", path, "--series", "id", "--target", "y", "--time", "t",
                         "--test-last", "4", "--season", "4", "--hidden", "4", "--epochs",
                         "2", "--out", model)
    assert status == 0, err
    untested = folder / "untested.npz"
    status, _, err = run("fit", path, "--series", "id", "--target", "y", "--time", "t",
                         "--test-last", "0", "--horizon", "4", "--season", "4", "--hidden",
                         "4", "--epochs", "2", "--out", untested)
    assert status == 0, err
    return path, model, untested


def test_evaluate_scores_the_models_own_testing_part_and_says_when_it_reaches_further(
        trained):
    path, model, untested = trained
    status, out, _ = run("evaluate", model, path, "--json")
    assert status == 0
    report = json.loads(out)
    assert report["steps"] == 4 and report["notes"] == []
    status, out, _ = run("evaluate", model, path, "--test-last", "6", "--json")
    assert any("the 4 rows scored include 2 it was trained or selected on" in n
               for n in json.loads(out)["notes"])
    status, out, _ = run("evaluate", model, path, "--test-last", "6")
    assert "Testing: the first 4 steps of the last 6 rows of" in out
    status, out, _ = run("evaluate", model, path, "--test-last", "12")     # 12 - 4 seen
    assert "the 4 rows scored include 4 it was trained or selected on" in out
    status, _, err = run("evaluate", untested, path)
    assert status == 1 and "trained with no testing part" in err


def test_flags_without_meaning_for_a_global_model_are_refused(trained, tmp_path):
    path, model, _ = trained
    out = tmp_path / "f.csv"
    for argv, words in (
            (("forecast", model, path, "--steps", "2", "--method", "ets", "--out", out),
             "forecast --method ets: not for a model of many series; choose --method "
             "network, naive2, seasonal_naive or theta."),
            (("forecast", model, path, "--steps", "2", "--clip", "zero", "--out", out),
             "forecast --clip"),
            (("evaluate", model, path, "--recursive"), "evaluate --recursive"),
            (("evaluate", model, path, "--horizon", "3"), "evaluate --horizon"),
            (("fit", path, "--series", "id", "--target", "y", "--members", "1", "--workers",
              "2", "--out", tmp_path / "m.npz"), "give --members N")):
        status, _, err = run(*argv)
        assert status == 1 and words in err, (argv, err)
    assert not out.exists()


def test_a_series_whose_history_never_changes_gives_null_in_the_json(tmp_path):
    series = _three()
    series["flat"] = np.r_[np.full(40, 5.0), [6.0, 7.0, 6.0, 5.0]]
    data = from_frame(long_frame(series), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=4, season=4, lookback=6,
                                            **TINY))
    report = evaluate_global(model, data, 4).to_dict()
    text = json.dumps(report, allow_nan=False)            # would raise on a NaN
    flat = [r for r in json.loads(text)["series"] if r["series"] == "flat"][0]
    assert flat["mase"] is None and flat["smape"] is not None


def test_the_scores_use_the_m4_season_of_the_time_step():
    weekly = from_frame(_dated(_three(), freq="W-MON"), "id", ["y"], time_column="t")
    daily = from_frame(_dated(_three()), "id", ["y"], time_column="t")
    plain = from_frame(long_frame(_three()), "id", ["y"])
    model = fit_global(plain, GlobalSettings(horizon=3, season=4, lookback=6, **TINY))
    assert scoring_season(weekly, model) == 1 and scoring_season(daily, model) == 1
    assert scoring_season(plain, model) == 4               # no time: the model's season


def test_seasonal_naive_repeats_the_models_season_where_m4_scores_with_none():
    """Weekly rows: M4's MASE scale and Naive2 take a season of 1, but the seasonal naive
    forecast repeats the last season the model reads (4 here), not the last value."""
    weekly = from_frame(_dated(_three(), freq="W-MON"), "id", ["y"], time_column="t")
    model = fit_global(weekly, GlobalSettings(horizon=3, season=4, lookback=8, **TINY))
    evaluation = evaluate_global(model, weekly, 3, methods=("naive2", "seasonal_naive"))
    assert evaluation.season == 1 and list(evaluation.forecasts) == [
        "network", "naive2", "seasonal_naive"]
    for i, history in enumerate(evaluation.histories):
        np.testing.assert_array_equal(evaluation.forecasts["seasonal_naive"][i],
                                      history[-4:][:3])
        np.testing.assert_array_equal(evaluation.forecasts["naive2"][i], [history[-1]] * 3)


def test_a_damaged_global_model_file_says_it_is_damaged(trained, tmp_path):
    _, model, _ = trained
    broken = tmp_path / "broken.npz"
    broken.write_bytes(model.read_bytes()[:-200])
    with pytest.raises(EngineError) as error:
        load_global_model(broken)
    assert "no model of many series" not in str(error.value)
    assert "damaged" in str(error.value)


def test_a_header_too_large_for_a_model_file_is_refused_before_writing(trained, tmp_path,
                                                                      monkeypatch):
    _, model, _ = trained
    loaded = load_global_model(model)
    monkeypatch.setattr(model_file, "MAX_HEADER_ITEMS", 50)
    target = tmp_path / "big.npz"
    with pytest.raises(EngineError, match="more than a model file may.*Nothing was written"):
        save_global_model(target, loaded)
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_backtest_origin_that_leaves_a_series_out_says_so():
    series = _three()
    series["short"] = seasonal(18, 80, 4)               # no row left before the origin
    data = from_frame(long_frame(series), "id", ["y"])
    settings = GlobalSettings(horizon=3, test_last=20, season=4, lookback=6, **TINY)
    fold = run_fold((data, settings), {"origin": 1}, None)
    assert fold["notes"][0] == ("1 series holds no row before this origin and was left out "
                                "of it (short).")


def test_forecast_times_follow_the_longest_series_step_when_the_first_has_one_row():
    series = {"one": [3.0], **_three()}
    data = from_frame(_dated(series, freq="MS"), "id", ["y"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=6, **TINY))
    frame, _ = forecast_frame(model, data, 2)
    a = frame[frame["id"] == "a"]["t"].tolist()
    assert a == [pd.Timestamp("2028-01-01"), pd.Timestamp("2028-02-01")]


@pytest.mark.parametrize("edit, words", [
    (lambda s: s["scaling"].__setitem__("input_std", [[1.0]] * len(s["ids"])),
     "one column per input"),
    (lambda s: s["scaling"]["magnitude"][0].__setitem__(0, 0.0), "magnitude must be finite"),
    (lambda s: s["scaling"].__setitem__("level_rows", 99), "level_rows must be between"),
    (lambda s: s["scaling"].__setitem__("season", 0), "season must be at least 1"),
    (lambda s: s.__setitem__("lookback", s["lookback"] + 1), "n_inputs|lookback")])
def test_edited_table_fields_with_a_new_checksum_are_refused(trained, tmp_path, edit, words):
    _, model, _ = trained
    members = members_of(model)
    header = header_of(members)
    edit(header[many_model_file.KIND])
    copy = tmp_path / "edited.npz"
    rewrite_header(copy, header, members, checksum=True)
    with pytest.raises(EngineError, match=words):
        load_global_model(copy)


def test_a_series_too_short_for_a_window_is_not_counted_among_those_trained_on():
    """Series c (12 rows) has no training window: the fit says it was left out, and its
    summary counts the two series the network was trained on."""
    from engine.many.project_fit import ManyFit

    series = _three()
    series["c"] = series["c"][:12]
    data = from_frame(long_frame(series), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=8, test_last=4,
                                            **TINY))
    assert any("1 series is too short" in note for note in model.notes)
    assert model.settings["trained_series"] == 2
    fit = ManyFit(model, data, seconds=1.0)
    assert fit.summary()["series"] == 2


def test_interval_coverage_is_the_share_of_testing_values_inside_the_bounds():
    """Bounds of any width hold everything; bounds of none hold nothing; bounds from the
    forecast up hold exactly the values at or above it (counted here from the forecasts)."""
    data = from_frame(long_frame(_three()), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=4, season=4, lookback=6,
                                            **TINY))
    width = model.interval_errors[0.9].shape[1]
    for lower, upper, expected in ((-1e9, 1e9, 1.0), (0.0, 1e-9, 0.0)):
        model.interval_errors = {level: np.array([[lower] * width, [upper] * width])
                                 for level in model.interval_errors}
        report = evaluate_global(model, data, 4, methods=("naive2",)).to_dict()
        assert report["interval_coverage"] == {"0.8": expected, "0.9": expected,
                                               "0.95": expected}
    model.interval_errors = {level: np.zeros((2, width)) for level in model.interval_errors}
    assert evaluate_global(model, data, 4, methods=("naive2",)).coverage == {}   # none

    model.interval_errors = {level: np.array([[0.0] * width, [1e9] * width])
                             for level in model.interval_errors}
    evaluation = evaluate_global(model, data, 4, methods=("naive2",))
    above = evaluation.truths >= evaluation.forecasts["network"]
    assert 0 < above.mean() < 1
    assert evaluation.coverage == {level: pytest.approx(above.mean())
                                   for level in (0.8, 0.9, 0.95)}


def test_the_coverage_sentence_names_each_level_and_its_share():
    from engine.many.evaluation import coverage_sentence

    assert coverage_sentence({0.8: 0.781, 0.9: 0.86, 0.95: 0.934}) == (
        "The network's 80%, 90% and 95% intervals held 78%, 86% and 93% of the testing "
        "values.")
    assert coverage_sentence({0.9: float("nan")}) == ""
    assert coverage_sentence({}) == ""


def test_more_steps_than_a_model_with_inputs_gives_are_left_out_with_a_note(tmp_path):
    """A model of one step ahead with an input asked for three: as for one series
    (:func:`engine.deploy.forecasting.plan`), the forecast holds the step it can make, in
    the file too (exit 0), and its first note says, in counted words, why the rest are
    missing and how to get them; the exported runtime, which has no notes, refuses."""
    from engine.deploy.forecasting import forecast
    from engine.many.exports.runtime import GlobalForecaster
    from helpers.models import series_frame, untrained_model

    frame = _dated(_three())
    frame["x"] = np.arange(len(frame), dtype=float) % 5
    data = from_frame(frame, "id", ["y"], inputs=["x"], time_column="t")
    model = fit_global(data, GlobalSettings(horizon=1, season=4, lookback=8, **TINY))
    forecast_rows, notes = forecast_frame(model, data, 3)
    assert len(forecast_rows) == 3 and list(forecast_rows["id"]) == ["a", "b", "c"]
    assert notes[0] == ("Forecast 1 of the 3 steps asked: the model reads the input x, and "
                        "its network gives 1 step at once; further steps would need the "
                        "future values of this input, which a model of many series does "
                        "not read. Train the model with more steps ahead to forecast "
                        "further.")
    _, at_reach = forecast_frame(model, data, 1)
    assert not any("steps asked" in note for note in at_reach)
    # the command line writes that step and says so, as for one series
    save_global_model(tmp_path / "m.npz", model)
    frame.to_csv(tmp_path / "long.csv", index=False)
    status, out, err = run("forecast", tmp_path / "m.npz", tmp_path / "long.csv", "--steps",
                           "3", "--out", tmp_path / "f.csv")
    assert status == 0, err
    assert out.startswith("Forecast of 1 step for 3 series ")
    assert f"Note: {notes[0]}" in out.splitlines()
    assert len(pd.read_csv(tmp_path / "f.csv")) == 3
    # a model of one series with inputs: the same rule, in the same words
    series_frame(60).to_csv(tmp_path / "one.csv", index=False)
    one = untrained_model(tmp_path / "one.csv", ["y"], "gru", [4], "difference")
    result = forecast(one, tmp_path / "one.csv", 3)
    assert len(result.values) == 1
    assert result.notes[0].startswith("Forecast 1 of the 3 steps asked: the model reads the "
                                      "inputs x and w, and the file gives none of their")
    exported = object.__new__(GlobalForecaster)        # the check comes before any table
    exported.horizon, exported.steps, exported.inputs = 1, 1, ["x"]
    with pytest.raises(ValueError) as refused:
        exported.forecast("a", [[1.0]], [[1.0]], steps=3)
    assert str(refused.value) == (
        "The model forecasts 1 step at once; further steps would need the future values of "
        "its inputs. Ask for at most 1 step, or train the model with more steps ahead.")


def test_predict_of_a_model_of_one_step_says_one_step_ahead(tmp_path):
    """``predict`` of a model of many series one step ahead said "its predictions 1 to 1
    steps ahead"."""
    frame = _dated(_three())
    data = from_frame(frame, "id", ["y"], time_column="t")
    save_global_model(tmp_path / "m.npz",
                      fit_global(data, GlobalSettings(horizon=1, season=4, lookback=8, **TINY)))
    frame.to_csv(tmp_path / "long.csv", index=False)
    status, out, err = run("predict", tmp_path / "m.npz", tmp_path / "long.csv", "--out",
                           tmp_path / "p.csv")
    assert status == 0, err
    assert "each with its predictions 1 step ahead, to " in out




def test_the_reach_of_a_model_with_two_inputs_names_them_with_and():
    """The reason a model of many series forecasts no further than its network gives names
    its inputs as a list ("the inputs value and capital, and its network gives 1 step"; it
    read "the inputs value, capital and its network gives 1 step")."""
    from types import SimpleNamespace

    from engine.many.forecasting import forecast_reach

    model = SimpleNamespace(input_names=["value", "capital"], horizon=1)
    most, why = forecast_reach(model)
    assert most == 1
    assert why.startswith("the model reads the inputs value and capital, and its network "
                          "gives 1 step at once; ")
