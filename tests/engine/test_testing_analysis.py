"""The testing analysis against known answers.

A network that always outputs a transformed target of 0 *is* a naive forecast: with
first differences it predicts the last known value (persistence), with seasonal
differences the value one period before (seasonal naive). Its scores must then equal the
baselines', one step ahead, for every direct step, recursively and by horizon; the other
figures are checked against independent computations."""

import json

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.testing.evaluation import evaluate_frame
from engine.model.forecaster import Forecaster
from engine.testing.analysis import analyze_model, correlogram, cross_correlogram
from helpers.models import ZeroChange, naive_model


def test_a_zero_difference_network_scores_as_persistence(make_seasonal_frame):
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    a = analyze_model(model, frame, horizon=12)
    y = frame["y"].to_numpy()
    assert a.start_row == 84 and list(a.rows) == list(range(84, 96))
    np.testing.assert_allclose(a.one_step_predicted[:, 0], y[83:95])
    one = a.one_step_scores
    persistence = a.direct_baselines[0]["persistence"]
    for measure in ("rmse", "mae", "mape", "r2", "mse_over_variance", "mase"):
        assert getattr(one, measure)[0] == pytest.approx(getattr(persistence, measure)[0])
    assert one.mase[0] == pytest.approx(np.mean(np.abs(y[84:] - y[83:95])) /
                                        np.mean(np.abs(np.diff(y[:84]))))
    # the same figures as rnn-studio evaluate, one step and recursive
    evaluation = evaluate_frame(model, frame)
    assert one.rmse[0] == pytest.approx(evaluation.scores.rmse[0])
    recursive = evaluate_frame(model, frame, recursive=True)
    np.testing.assert_allclose(a.recursive_predicted[:, 0], y[83])
    assert a.recursive_scores.rmse[0] == pytest.approx(recursive.scores.rmse[0])
    assert a.recursive_scores.rmse[0] == pytest.approx(
        a.recursive_baselines["persistence"].rmse[0])
    # by horizon: origin o forecasts y_(o-1) for rows o .. o+h-1
    H = len(a.horizon_rmse)
    assert H == 12 and list(a.horizon_count) == list(range(12, 0, -1))
    for h in range(H):
        e = np.array([y[o - 1] - y[o + h] for o in range(84, 96 - h)])
        assert a.horizon_rmse[h, 0] == pytest.approx(np.sqrt(np.mean(e ** 2)))
        assert a.horizon_mae[h, 0] == pytest.approx(np.mean(np.abs(e)))
    np.testing.assert_allclose(a.horizon_rmse, a.horizon_baselines["persistence"])
    json.dumps(a.to_dict(), allow_nan=False)


def test_by_horizon_the_baselines_count_only_the_origins_the_network_forecast_from(
        make_seasonal_frame, monkeypatch):
    """The By horizon plot's baselines counted every origin they forecast from, the
    network's curve only those where its forecast reached the step (one stopped at a gap
    or ran away counts not): now the same origins. A network that is persistence, its
    forecasts from the first three origins lost, matches persistence at every step."""
    import engine.testing.analysis as analysis

    forecasts = analysis.horizon_forecasts

    def three_lost(*args):
        origins, values, truth = forecasts(*args)
        values = values.copy()
        values[:3] = np.nan
        return origins, values, truth

    monkeypatch.setattr(analysis, "horizon_forecasts", three_lost)
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    a = analyze_model(model, frame, horizon=6)
    assert list(a.horizon_count) == [9, 8, 7, 6, 5, 4]
    np.testing.assert_allclose(a.horizon_rmse, a.horizon_baselines["persistence"])


class StopsOnItsOwnForecasts(ZeroChange):
    """:class:`ZeroChange` whose output is NaN (a forecast that ran away) once a window
    ends in two of its own forecasts and starts with a rise: the recursive forecasts of
    some origins stop at their third step, of others later or not at all."""

    def predict(self, X):
        X = np.asarray(X)
        out = super().predict(X)
        out[(X[:, -2:, 0] == self.value).all(axis=1) & (X[:, 0, 0] > 0)] = np.nan
        return out


def test_the_recursive_row_scores_the_baselines_where_the_network_forecast(
        make_seasonal_frame):
    """The errors table's recursive row (every step of the forecasts from many origins,
    pooled) scores the baselines on the rows the network's forecasts reached, not on those
    after they stopped: a network that is persistence while it forecasts matches
    persistence, on step 6 and in evaluate --horizon."""
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    model.network = StopsOnItsOwnForecasts(model.preprocessing)
    a = analyze_model(model, frame, horizon=4)
    assert a.horizon_origins == 9 and a.horizon_scores.count < 9 * 4
    assert {name: s.count for name, s in a.horizon_pooled.items()} == dict.fromkeys(
        ("persistence", "seasonal_naive", "ets", "theta", "linear"), a.horizon_scores.count)
    assert a.horizon_pooled["persistence"].rmse[0] == pytest.approx(a.horizon_scores.rmse[0])
    evaluation = evaluate_frame(model, frame, horizon=4)
    assert evaluation.scores.count == evaluation.baselines["persistence"].count == \
        a.horizon_scores.count


class NotANumber(ZeroChange):
    """:class:`ZeroChange` whose output for the first window it is given is NaN (a network
    that overflowed there): the testing start's, one step ahead and recursively."""

    def predict(self, X):
        out = np.array(super().predict(X), float)
        out[0] = np.nan
        return out


def test_a_network_without_a_number_at_the_testing_start_is_not_told_missing_inputs(
        make_seasonal_frame):
    """Every input known and the network's first output not a number: the note on the
    recursive forecast over the testing part says so, not "inputs missing or a gap"."""
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    model.network = NotANumber(model.preprocessing)
    notes = analyze_model(model, frame).notes
    assert "A recursive forecast over the testing part is not possible (the network's " \
        "forecast is not a number)." in notes


def test_a_zero_seasonal_difference_network_scores_as_seasonal_naive(make_seasonal_frame):
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "seasonal_difference")
    a = analyze_model(model, frame)
    y = frame["y"].to_numpy()
    np.testing.assert_allclose(a.one_step_predicted[:, 0], y[72:84])
    assert a.one_step_scores.rmse[0] == pytest.approx(
        a.direct_baselines[0]["seasonal_naive"].rmse[0])
    assert a.recursive_scores.rmse[0] == pytest.approx(
        a.recursive_baselines["seasonal_naive"].rmse[0])
    np.testing.assert_allclose(a.horizon_rmse, a.horizon_baselines["seasonal_naive"])


def test_direct_steps_ahead_and_their_baselines(make_seasonal_frame):
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference", horizon=3)
    a = analyze_model(model, frame)
    y = frame["y"].to_numpy()
    assert a.steps == 3 and len(a.direct_scores) == 3
    for h in range(3):
        # step h+1 predicts row t+h+1 from the anchor t: y_t; every testing row is scored
        e = np.array([y[r - h - 1] - y[r] for r in range(84, 96)])
        assert a.direct_scores[h].count == 12
        assert a.direct_scores[h].rmse[0] == pytest.approx(np.sqrt(np.mean(e ** 2)))
        assert a.direct_scores[h].rmse[0] == pytest.approx(
            a.direct_baselines[h]["persistence"].rmse[0])
    assert a.direct_errors.shape[1:] == (3, 1)


def test_intervals_coverage_is_counted_on_the_testing_rows(make_seasonal_frame):
    frame = make_seasonal_frame()
    model, prepared = naive_model(frame, "difference", intervals=True)
    a = analyze_model(model, frame)
    y = frame["y"].to_numpy()
    stored = model.metadata["intervals"]
    width = stored["direct"]["0.8"][0][0]
    e = y[83:95] - y[84:]
    assert a.intervals["direct_coverage"]["0.8"][0, 0] == pytest.approx(
        np.mean(np.abs(e) <= width))
    widths = np.array([row[0] for row in stored["recursive"]["0.9"]])
    H = len(a.horizon_rmse)
    for h in range(H):
        w = widths[min(h, len(widths) - 1)]
        e = np.array([y[o - 1] - y[o + h] for o in range(84, 96 - h)])
        assert a.intervals["recursive_coverage"]["0.9"][h, 0] == pytest.approx(
            np.mean(np.abs(e) <= w))
    # over all horizons: every (origin, horizon) error against its horizon's width
    inside = [abs(y[o - 1] - y[o + h]) <= widths[min(h, len(widths) - 1)]
              for h in range(H) for o in range(84, 96 - h)]
    assert a.intervals["recursive_coverage_all"]["0.9"][0] == pytest.approx(np.mean(inside))
    low, high = a.forecast_band(0, 0.9)
    np.testing.assert_allclose(high - low, 2 * np.r_[widths, [widths[-1]] *
                                                     (12 - len(widths))][:12])
    without = Forecaster(model.network, {**model.header, "metadata": {"testing": {"from": 84}}})
    b = analyze_model(without, frame)
    assert b.intervals is None and "train it again" in b.notes[0]


def test_error_analysis_figures(make_seasonal_frame):
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    a = analyze_model(model, frame)
    e = a.one_step_errors[:, 0]
    counts, edges = a.histogram[0]
    assert counts.sum() == 12 and edges[0] <= e.min() and edges[-1] >= e.max()
    top = a.largest[0]
    assert [t["row"] for t in top] == list(84 + np.argsort(-np.abs(e))[:10])
    assert top[0]["time"] == str(frame["month"][top[0]["row"]])
    assert top[0]["error"] == pytest.approx(top[0]["predicted"] - top[0]["truth"])
    d = e - e.mean()
    assert a.autocorrelation.values[0, 0] == pytest.approx(np.sum(d[1:] * d[:-1]) /
                                                           np.sum(d ** 2))
    assert a.autocorrelation.band == pytest.approx(1.96 / np.sqrt(12))
    assert a.cross_names == ["y"]
    y = frame["y"].to_numpy()
    for lag in (0, 1, 5):
        assert a.cross_correlation.values[0, 0, lag] == pytest.approx(
            np.corrcoef(y[84 - lag:96 - lag], e)[0, 1])
    fit = a.fit
    slope, intercept = np.polyfit(y[84:], y[83:95], 1)
    assert fit["slope"][0] == pytest.approx(slope)
    assert fit["intercept"][0] == pytest.approx(intercept)


def test_correlograms_of_known_series():
    rng = np.random.default_rng(3)
    noise = rng.standard_normal((4000, 1))
    white = correlogram(noise, 5)
    assert (np.abs(white.values) < 4 / np.sqrt(4000)).all()
    ar = np.zeros((4000, 1))
    for t in range(1, 4000):
        ar[t] = 0.8 * ar[t - 1] + noise[t]
    assert correlogram(ar, 3).values[0] == pytest.approx([0.8, 0.64, 0.512], abs=0.05)
    x = rng.standard_normal((4002, 1))
    e = x[:-2] * 2.0            # e_r = 2 x_(r-2): x leads the errors by two rows
    cross = cross_correlogram(x, e, 2)
    assert cross.values[0, 0, 2] == pytest.approx(1.0)
    assert abs(cross.values[0, 0, 0]) < 0.1


def test_a_missing_error_leaves_its_pairs_out_and_never_closes_up_the_rows():
    """Lag l pairs rows r and r + l: with every other error missing, lag 1 has no pair
    (not the pairs of rows two apart), and lag 2 is the series' own lag 2, computed by
    hand. Step 6 passes the rows not scored as NaN, in place."""
    e = np.array([1.0, np.nan, -2.0, np.nan, 3.0, np.nan, -1.0, np.nan, 2.0])[:, None]
    found = correlogram(e, 4).values[0]
    known = e[::2, 0]
    d = known - known.mean()
    assert np.isnan(found[0]) and np.isnan(found[2])          # no pair that far apart
    assert found[1] == pytest.approx(np.sum(d[1:] * d[:-1]) / np.sum(d ** 2))
    assert found[3] == pytest.approx(np.sum(d[2:] * d[:-2]) / np.sum(d ** 2))


def test_step_6_keeps_the_rows_not_scored_in_place_in_the_autocorrelation(
        make_seasonal_frame):
    """Every fourth testing row has an empty target (it and the row after, which reads it
    interpolated, are not scored): step 6's autocorrelation is that of the errors with
    those rows in place (NaN), not closed up."""
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    holed = frame.copy()
    testing = np.flatnonzero(pd.to_datetime(frame["month"]) >= "2019-01-01")
    holed.loc[testing[1::4], "y"] = np.nan
    analysis = analyze_model(model, holed)
    errors = analysis.one_step_predicted - analysis.one_step_truth
    assert np.isnan(errors).any(axis=1).sum() >= len(testing) // 2
    expected = correlogram(errors).values
    np.testing.assert_allclose(analysis.autocorrelation.values, expected, equal_nan=True)
    closed = correlogram(errors[np.isfinite(errors).all(axis=1)]).values
    assert not np.allclose(expected[:, :closed.shape[1]], closed, equal_nan=True)


def test_analysis_needs_a_testing_part(make_seasonal_frame):
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    model.metadata = {}
    with pytest.raises(EngineError, match="no testing part"):
        analyze_model(model, frame)
    assert analyze_model(model, frame, start="2019-07-01").start_row == 90
    with pytest.raises(EngineError, match="at least 2 rows"):
        analyze_model(model, frame, start=95)


def test_recursive_forecasts_over_a_chosen_horizon_from_many_origins(make_seasonal_frame):
    """A zero-difference network forecasts y_(o-1) for every row from origin o; with a
    horizon of 4 the origins whose forecast ends in the testing part (rows 84-95) are
    84-92, and every step of those 9 forecasts is scored."""
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    y = frame["y"].to_numpy()
    e = np.array([y[o - 1] - y[o + h] for o in range(84, 93) for h in range(4)])
    seasonal = np.array([y[o - 12 + h] - y[o + h] for o in range(84, 93) for h in range(4)])
    scale = np.mean(np.abs(np.diff(y[:84])))
    a = analyze_model(model, frame, horizon=4)
    assert a.horizon == 4 and a.horizon_origins == 9
    s = a.horizon_scores
    assert s.count == 36
    assert s.rmse[0] == pytest.approx(np.sqrt(np.mean(e ** 2)))
    assert s.mae[0] == pytest.approx(np.mean(np.abs(e)))
    assert s.mase[0] == pytest.approx(np.mean(np.abs(e)) / scale)
    assert a.horizon_pooled["persistence"].rmse[0] == pytest.approx(s.rmse[0])
    assert a.horizon_pooled["seasonal_naive"].rmse[0] == pytest.approx(
        np.sqrt(np.mean(seasonal ** 2)))
    # the same figures on the command line's evaluation
    evaluation = evaluate_frame(model, frame, horizon=4)
    assert evaluation.horizon == 4 and evaluation.origins == 9
    assert evaluation.scores.rmse[0] == pytest.approx(s.rmse[0])
    assert evaluation.baselines["seasonal_naive"].rmse[0] == pytest.approx(
        a.horizon_pooled["seasonal_naive"].rmse[0])
    report = a.to_dict()["recursive_horizon"]
    assert report["horizon"] == 4 and report["origins"] == 9 and report["count"] == 36
    # the default: the season (12), shortened to 8 steps so that 5 of the forecasts from
    # the 12 testing rows run all of them; a horizon past the rows is refused
    default = analyze_model(model, frame)
    assert (default.horizon, default.horizon_origins) == (8, 5)
    with pytest.raises(EngineError, match="from 1 to 12"):
        analyze_model(model, frame, horizon=13)
    with pytest.raises(EngineError, match="--horizon must be from 1 to 12"):
        evaluate_frame(model, frame, horizon=0)


def test_the_comparators_few_forecasts_are_counted_among_the_recursive_rows_ones(
        make_seasonal_frame, monkeypatch):
    """With room for 20 forecast values, the comparators forecast 4 steps from one in
    every 3 of the 12 testing rows (84, 87, 90, 93); the errors table's recursive row pools
    the 9 forecasts that end in the testing part (84-92), of which they made 3 (84, 87,
    90): the note and the table's title count those, not 4 of 12."""
    import engine.testing.evaluation as evaluation
    from engine.testing.analysis import comparator_origins_note
    from engine.testing.report import baselines_beside, horizon_counts_text

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    same = analyze_model(model, frame, horizon=4)
    assert same.comparator_origins is None
    assert baselines_beside(same) == "the baselines' RMSE on the same rows beside"
    monkeypatch.setattr(evaluation, "MAX_COMPARATOR_FORECASTS", 20)
    a = analyze_model(model, frame, horizon=4)
    assert a.horizon_pooled["linear"].count == 3 * 4
    assert a.horizon_pooled["persistence"].count == 9 * 4
    assert [n for n in a.notes if "one in every" in n] == [comparator_origins_note(3, 3, 9)]
    assert "made only 3 of the 9 recursive forecasts" in comparator_origins_note(3, 3, 9)
    assert (a.horizon_origins, a.comparator_origins) == (9, 3)
    assert baselines_beside(a).endswith("in the recursive row: from 3 of its 9 forecasts")
    assert a.to_dict()["recursive_horizon"]["comparator_origins"] == 3
    # the By horizon plot's words say that those curves are not of the same forecasts
    assert "not from the same forecasts" not in horizon_counts_text(same)
    assert horizon_counts_text(a).endswith(
        "ETS, Theta and linear AR forecast, to save time, from only some of these origins "
        "(3 of the 9 whose forecasts run all the steps): their curves are not from the "
        "same forecasts as the network's.")


def test_a_long_testing_part_forecasts_recursively_from_its_start_over_its_first_rows(
        make_seasonal_frame, monkeypatch):
    """The one forecast from the testing start runs over at most max(RECURSIVE_ROWS,
    10 H) rows (here 3 and 10 x 1 of the 12): it, its scores and its baselines are of
    those rows, a note and the JSON say so; the table's recursive row (from many origins)
    is the same as without the cut."""
    import engine.testing.analysis as analysis

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    y = frame["y"].to_numpy()
    whole = analyze_model(model, frame, horizon=1)
    assert whole.recursive_rows == 12 and whole.to_dict()["recursive"]["forecast_rows"] == 12
    assert not any("To save time, the recursive" in note for note in whole.notes)
    assert analysis.recursive_length(200_000, 24) == 5000
    assert analysis.recursive_length(200_000, 720) == 7200
    steps, forecast = [], model.forecast

    def counted(encoded, origins, length, *args, **kwargs):
        steps.append(length)
        return forecast(encoded, origins, length, *args, **kwargs)

    asked = []

    def asking(forecast):
        return lambda origins, length: asked.append(length) or forecast(origins, length)

    comparators = whole.comparators
    for comparator in comparators.values():
        if comparator.forecast is not None:
            comparator.forecast = asking(comparator.forecast)
    monkeypatch.setattr(analysis, "RECURSIVE_ROWS", 3)
    monkeypatch.setattr(model, "forecast", counted)
    a = analyze_model(model, frame, horizon=1, comparators=comparators)
    assert 10 in steps and 12 not in steps
    assert asked and max(asked) == 10           # the comparators forecast those rows only
    assert a.recursive_baselines["theta"].count == 10
    np.testing.assert_allclose(a.recursive_predicted[:10, 0], y[83])
    assert np.isnan(a.recursive_predicted[10:]).all()
    e = y[83] - y[84:94]
    assert a.recursive_scores.count == 10
    assert a.recursive_scores.rmse[0] == pytest.approx(np.sqrt(np.mean(e ** 2)))
    assert a.recursive_baselines["persistence"].rmse[0] == pytest.approx(
        a.recursive_scores.rmse[0])
    assert a.to_dict()["recursive"]["forecast_rows"] == 10
    note = next(n for n in a.notes if "runs over its first 10 rows only, of 12" in n)
    assert "--" not in note and "rnn-studio" not in note    # step 6 shows it too
    assert not any("stops at row" in note for note in a.notes)
    assert a.horizon_scores.rmse[0] == pytest.approx(whole.horizon_scores.rmse[0])


def test_forecast_origins_are_evenly_spaced_when_there_are_many():
    from engine.testing.evaluation import evaluation_horizon, forecast_origins

    rows = np.arange(100, 200)
    assert list(forecast_origins(rows, 5)) == list(rows)        # few: every row
    many = np.arange(10_000, 15_000)
    origins = forecast_origins(many, 12)
    assert len(origins) == 1000 and origins[0] == 10_000 and origins[-1] == 14_988
    assert np.ptp(np.diff(origins)) <= 1                        # evenly spaced
    long = forecast_origins(many, 4000)         # at most 200,000 forecast values
    assert len(long) == 50 and long[-1] + 4000 - 1 <= 14_999
    assert evaluation_horizon(None, 1, 500) == 12
    assert evaluation_horizon(144, 1, 500) == 144           # a day of 10-minute rows
    assert evaluation_horizon(365, 1, 500) == 12            # not a year of daily rows
    assert evaluation_horizon(7, 24, 500) == 24 and evaluation_horizon(12, 1, 3) == 1
    # few rows: the season shortened to leave 5 forecasts that run all its steps, never
    # below the model's steps ahead (10 rows: 6 steps from origins 1-5, not 10 from one)
    assert [evaluation_horizon(None, 4, n) for n in (10, 12, 16, 40)] == [6, 8, 12, 12]
    assert evaluation_horizon(4, 4, 6) == evaluation_horizon(12, 4, 4) == 4
    # a forecast length set replaces the season, shortened and bounded the same way (not
    # capped at a week of hours: the person asked for it)
    assert evaluation_horizon(12, 1, 500, wanted=24) == 24
    assert evaluation_horizon(None, 1, 500, wanted=3) == 3
    assert evaluation_horizon(None, 1, 1000, wanted=300) == 300
    assert evaluation_horizon(12, 1, 23, wanted=24) == 19
    assert evaluation_horizon(12, 4, 500, wanted=2) == 4
    assert evaluation_horizon(12, 1, 500, wanted=None) == 12


def test_horizon_forecasts_score_only_the_scored_rows():
    """The testing rows of a random split are scattered: a forecast from row 10 over 3
    rows reaches rows 11 and 12, and only the scored ones (10, 11) count."""
    from types import SimpleNamespace

    from engine.testing.evaluation import horizon_forecasts

    def forecast(encoded, origins, horizon):
        rows = origins[:, None] + np.arange(horizon)[None, :]
        return np.ones(rows.shape + (1,)), rows[:, :, None].astype(float)

    rows = np.array([10, 11, 20, 21])
    origins, values, truth = horizon_forecasts(SimpleNamespace(forecast=forecast), None,
                                               rows, 3)
    assert list(origins) == [10, 11, 20, 21]
    np.testing.assert_array_equal(truth[0, :, 0], [10, 11, np.nan])
    np.testing.assert_array_equal(truth[1, :, 0], [11, np.nan, np.nan])
    assert np.isfinite(values).all()


def test_the_plots_x_axis_is_named_after_the_time_column(make_seasonal_frame):
    """The testing part's plot (step 6 and the report) named its axis "time" where the
    data's time column, the forecast and step 2 say "month"."""
    from engine.testing.report import prediction_figure

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    analysis = analyze_model(model, frame)
    assert analysis.x_label() == "month" and analysis.x_values()[1] is True
    assert prediction_figure(analysis, 0).x_label == "month"


@pytest.mark.parametrize("times,expected,is_date,label", [
    ([1979, 1980, 1981], [1979.0, 1980.0, 1981.0], False, "time"),
    (["1979-01-01", "1979-01-02", "1979-01-03"], None, True, "time"),
    (None, [10.0, 11.0, 12.0], False, "row")])
def test_the_plots_x_axis_reads_years_as_years_and_dates_as_dates(times, expected, is_date,
                                                                   label):
    """Whole-number years were read as nanoseconds since 1970: every tick said 01-01 00:00."""
    from engine.testing.analysis import TestingAnalysis

    analysis = object.__new__(TestingAnalysis)
    analysis.rows = np.array([10, 11, 12])
    analysis.times = None if times is None else (
        np.array(times) if isinstance(times[0], int) else pd.to_datetime(times).to_numpy())
    x, dates = analysis.x_values()
    assert dates is is_date and analysis.x_label() == label
    if is_date:
        assert list(np.diff(x)) == [86400.0, 86400.0]
        assert x[0] == (pd.Timestamp("1979-01-01") - pd.Timestamp("1970-01-01")).total_seconds()
    else:
        assert list(x) == expected


def test_the_recursive_row_counts_neither_unscored_origins_nor_forecasts_said_whole(
        make_seasonal_frame):
    """An empty target at row 88, filled in from row 89: the forecast from row 89 reads
    that value and is not scored, so the recursive row's origins leave it out (it counted
    9 origins of 4 steps, of which 8 were scored). Forecasts that stop early count, scored
    up to there, and the report's words say so, where they said the row counted only
    those that ran all steps."""
    from engine.testing.report import horizon_counts_text

    frame = make_seasonal_frame()
    frame.loc[88, "y"] = np.nan
    model, _ = naive_model(frame, "difference")
    a = analyze_model(model, frame, horizon=4)
    assert a.horizon_origins == 8
    assert evaluate_frame(model, frame, horizon=4).origins == 8
    assert any("1 of the 12 forecast origins are not scored" in note for note in a.notes)
    model.network = StopsOnItsOwnForecasts(model.preprocessing)
    stops = analyze_model(model, make_seasonal_frame(), horizon=4)
    reach = int(stops.horizon_count[-1])
    assert 0 < reach < stops.horizon_origins == 9
    verb = "reaches" if reach == 1 else "reach"
    assert f"counts only the 9 whose 4 steps end inside the testing part, {reach} of " \
        f"which {verb} step 4; the others stopped earlier" in horizon_counts_text(stops)
