"""Figures across a gap in time (missing time steps): no prediction or baseline is paired
with a row on the other side of a gap, one step ahead, for every direct step, recursively,
by horizon, in a backtest fold and with many series.

The seasonal test file (monthly, 2012-01 .. 2019-12, testing from 2019-01 at row 84) loses
three months; a network that outputs a transformed target of 0 is persistence, so every
right answer can be written down by hand."""

import numpy as np
import pandas as pd
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
    # the rows 84..90 the forecast from row 91 reads (a window of 6 and the difference
    # before it) span the gap: said so, not "missing inputs ... fill the missing values"
    # of a file without an empty cell
    with pytest.raises(EngineError, match="gap in time before row 87, inside the rows 84 to "
                       "90 that the forecast for row 91 reads") as error:
        model.forecast_from(cut, 91, 2)
    assert "missing" not in str(error.value) and "needs 7 rows after the" in str(error.value)
    with pytest.raises(EngineError, match="before row 87, inside the rows 86 to 92"):
        model.forecast_from(cut, 93, 2)     # the future: row 87's difference reads row 86


def test_a_recursive_forecast_works_out_the_gaps_in_time_once(make_seasonal_frame,
                                                               monkeypatch):
    """The gaps in time are read once per forecast, not at each of its steps: on a
    million rows each reading takes tens of milliseconds, and step 6's forecast over a
    testing part of 200,000 rows took hours. The forecast still stops at the gap."""
    from engine.data.preprocessing import Encoded

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = gapped(frame)
    readings = []
    original = Encoded.time_gaps
    monkeypatch.setattr(Encoded, "time_gaps",
                        lambda self: readings.append(1) or original(self))
    values, _ = model.forecast(cut, np.array([60, 84]), 12)
    assert len(readings) == 1
    np.testing.assert_allclose(values[1, :3, 0], cut["y"].to_numpy()[83])
    assert np.isnan(values[1, 3:]).all() and np.isfinite(values[0, :12]).all()


def test_step_6_pairs_no_direct_output_with_a_row_after_a_gap(make_seasonal_frame):
    """One step ahead, row 87 (2019-07) is not scored on the window ending at row 86
    (2019-03), nor is step 2 of the window ending at row 85; the network (persistence
    here) and its baselines are scored on the same rows, and as ``evaluate`` scores them."""
    from engine.testing.analysis import analyze_model
    from engine.testing.evaluation import evaluate_frame

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference", horizon=2)
    cut = gapped(frame)
    y = cut["y"].to_numpy()
    a = analyze_model(model, cut)
    np.testing.assert_allclose(a.one_step_predicted[:3, 0], y[83:86])
    assert np.isnan(a.one_step_predicted[3:]).all()
    assert [s.count for s in a.direct_scores] == [3, 3]
    assert np.isfinite(a.direct_errors[:, 1]).sum() == 3
    for h in range(2):
        assert a.direct_baselines[h]["persistence"].count == 3
        assert a.direct_scores[h].rmse[0] == pytest.approx(
            a.direct_baselines[h]["persistence"].rmse[0])
    assert a.one_step_scores.rmse[0] == pytest.approx(evaluate_frame(model, cut).scores.rmse[0])


def test_a_backtest_fold_scores_no_row_after_a_gap_one_step_ahead(make_seasonal_frame):
    """The fold's block 84..89 keeps rows 84..86; row 87 is after the gap."""
    from engine.testing.backtest import fold_predictions

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = gapped(frame)
    rows, values = fold_predictions(model, cut, 84, 6)["one_step"]
    assert list(rows) == [84, 85, 86]
    np.testing.assert_allclose(values[:, 0], cut["y"].to_numpy()[83:86])


def test_step_6_scores_the_recursive_baselines_on_the_rows_the_forecast_reaches(
        make_seasonal_frame):
    """The forecast from row 84 stops at the gap; persistence (which the network is here)
    is scored on the same three rows, not on the rows after the gap too."""
    from engine.testing.analysis import analyze_model

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    a = analyze_model(model, gapped(frame))
    persistence = a.recursive_baselines["persistence"]
    assert a.recursive_scores.count == persistence.count == 3
    assert a.recursive_scores.rmse[0] == pytest.approx(persistence.rmse[0])
    assert all(s is None or s.count == 3 for s in a.recursive_baselines.values())
    assert "The recursive forecast from row 84 stops at row 87 (a gap in time before " \
           "it): it and the baselines are scored on the 3 rows before." in a.notes


def test_seasonal_naive_reads_the_same_month_a_year_earlier_across_a_gap(
        make_seasonal_frame):
    """2018-06 .. 2018-08 missing: row 84 (2019-04) is 12 months after row 75 (2018-04),
    not after row 72 (2018-01); a month the gap left out is read a year earlier still."""
    from engine.testing.analysis import analyze_model
    from engine.testing.evaluation import evaluate_frame

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = gapped(frame, [77, 78, 79])
    months = pd.to_datetime(cut["month"])
    y = dict(zip(months, cut["y"]))
    evaluation = evaluate_frame(model, cut)
    assert list(evaluation.rows) == list(range(84, 93))
    year = pd.DateOffset(years=1)
    expected = np.mean([abs(y[m] - y.get(m - year, y.get(m - 2 * year)))
                        for m in months[84:93]])
    assert evaluation.baselines["seasonal_naive"].mae[0] == pytest.approx(expected)
    a = analyze_model(model, cut)
    assert a.direct_baselines[0]["seasonal_naive"].mae[0] == pytest.approx(expected)
    from engine.testing.baselines import seasonal_sources

    positions = model.preprocessing.encode(cut, prediction=True).positions
    assert positions[76] == 76 and positions[77] == 80
    # 2019-07 (row 87) from 2019-03 (row 83): 2018-07 is missing, so 2017-07 (row 66)
    assert seasonal_sources(positions, np.array([83, 87]), np.array([82, 83]), 12) \
        .tolist() == [74, 66]


def test_ets_and_theta_forecast_from_no_origin_after_a_gap(make_seasonal_frame):
    """Fitted on the rows before 2019-01 (row 84), their smoothed level and season would
    run on across the three missing months as if none were missing: origins up to row 86
    forecast, later ones do not."""
    from engine.testing.comparators import fit_comparators

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    encoded = model.preprocessing.encode(gapped(frame), prediction=True)
    comparators = fit_comparators(model, encoded, 84)
    for name in ("ets", "theta"):
        values = comparators[name].forecast(np.array([85, 86, 87, 90]), 1)[:, 0, 0]
        assert np.isfinite(values[:2]).all() and np.isnan(values[2:]).all(), name


def test_the_mase_scale_pairs_only_rows_one_step_apart_in_time(make_seasonal_frame):
    """2015-05 .. 2015-07 missing (rows 40..42): the scale is the mean change within the
    stretches 0..39 and 40..80 before 2019-01 (row 81 of the cut frame), not also the
    change from 2015-04 to 2015-08 across the gap; in ``evaluate``, step 6, a backtest
    fold and the scores ``fit`` prints alike."""
    from engine.testing.analysis import analyze_model
    from engine.testing.backtest import fold_predictions, fold_scores
    from engine.testing.evaluation import evaluate_frame, history_scale, in_sample_scale

    frame = make_seasonal_frame()
    cut = gapped(frame, [40, 41, 42])
    model, prepared = naive_model(cut, "difference")
    y = cut["y"].to_numpy()
    within = np.r_[np.abs(np.diff(y[:40])), np.abs(np.diff(y[40:81]))]
    scale = within.mean()
    assert len(within) == 79
    assert np.abs(np.diff(y[:81])).mean() != pytest.approx(scale, rel=1e-3)
    encoded = prepared.encoded
    assert history_scale(encoded.levels, 81, encoded.positions)[0] == pytest.approx(scale)
    assert in_sample_scale(prepared)[0] == pytest.approx(scale)
    evaluation = evaluate_frame(model, cut)
    assert evaluation.rows[0] == 81
    assert evaluation.scores.mase[0] == pytest.approx(evaluation.scores.mae[0] / scale)
    persistence = evaluation.baselines["persistence"]
    assert persistence.mase[0] == pytest.approx(persistence.mae[0] / scale)
    a = analyze_model(model, cut)
    assert a.one_step_scores.mase[0] == pytest.approx(a.one_step_scores.mae[0] / scale)
    network, _, _ = fold_scores(model, encoded, 81, fold_predictions(model, cut, 81, 12), 12,
                                with_comparators=False)
    figures = network["one_step"]["targets"]["y"]
    assert figures["mase"] == pytest.approx(figures["mae"] / scale)
    from engine.training.linear_choice import origin_forecasts

    linear = origin_forecasts(prepared.table, prepared.config, 81, 12)
    assert linear[-1][0] == pytest.approx(scale)      # the linear backtest's MASE in fit


def test_the_mase_scale_of_a_series_without_a_gap_is_unchanged(make_seasonal_frame):
    """Without a gap the rows are paired as before, to the last digit."""
    from engine.testing.evaluation import history_scale

    y = make_seasonal_frame()["y"].to_numpy(dtype=float, copy=True)[:, None]
    before = history_scale(y, 84)
    assert before[0] == pytest.approx(np.mean(np.abs(np.diff(y[:84, 0]))))
    assert history_scale(y, 84, np.arange(len(y))).tolist() == before.tolist()
    y[10, 0] = np.nan           # an unknown value: the two pairs with it are left out
    assert history_scale(y, 84, np.arange(len(y))).tolist() == history_scale(y, 84).tolist()


def test_the_linear_path_share_scores_by_the_scale_in_time(make_seasonal_frame, monkeypatch):
    """The selection score that chooses the linear path's share (its mean MASE, which
    ``fit`` prints) divides by the scale of the rows one step apart in time."""
    import engine.training.linear_share as share

    cut = gapped(make_seasonal_frame(), [40, 41, 42])
    model, prepared = naive_model(cut, "difference")
    start = int(np.sort(prepared.target_rows("selection")[:, 0])[0])
    y = cut["y"].to_numpy()
    scale = np.r_[np.abs(np.diff(y[:40])), np.abs(np.diff(y[40:start]))].mean()
    assert start > 40 and np.abs(np.diff(y[:start])).mean() != pytest.approx(scale, rel=1e-3)
    scored = share.selection_score(model.network, prepared)
    monkeypatch.setattr(share, "history_scale", lambda *_: np.ones(1))
    assert scored == pytest.approx(share.selection_score(model.network, prepared) / scale)



def test_ets_and_theta_forecast_nothing_when_the_testing_part_starts_after_a_gap(
        make_seasonal_frame):
    """2018-10 .. 2018-12 missing: the testing part (2019-01, row 81 of the cut frame)
    starts just after the gap. Fitted on rows 0..80, ETS and Theta forecast no row from 81
    on (not even row 81 from the rows before the gap, three months earlier), are not
    scored in step 6, and a note says why."""
    from engine.testing.analysis import analyze_model
    from engine.testing.comparators import fit_comparators

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = gapped(frame, [81, 82, 83])
    encoded = model.preprocessing.encode(cut, prediction=True)
    comparators = fit_comparators(model, encoded, 81)
    a = analyze_model(model, cut)
    for name, what in (("ets", "ETS"), ("theta", "Theta")):
        assert comparators[name].fitted_rows == [0, 80]
        assert np.isnan(comparators[name].forecast(np.array([81, 82, 88]), 1)).all(), name
        assert np.isfinite(comparators[name].forecast(np.array([80]), 1)).all(), name
        assert f"{what}: no forecast of row 81 or later, which follow a gap in time" in \
            " ".join(a.comparators[name].notes)
        assert a.direct_baselines[0][name] is None
    assert a.direct_baselines[0]["persistence"].count == 5
    # shown where the scores are: step 6's notes, evaluate's (and so the command line's)
    from engine.testing.evaluation import evaluate_frame

    for notes in (a.notes, evaluate_frame(model, cut).notes,
                  evaluate_frame(model, cut, horizon=3).notes):
        said = [note for note in notes if "follow a gap in time" in note]
        assert [note.split(":")[0] for note in said] == ["ETS", "Theta"], notes


@pytest.mark.parametrize("rows", [[81, 82, 83], GAP])
def test_evaluate_and_step_6_fit_ets_and_theta_on_the_same_rows(make_seasonal_frame, rows):
    """The first row ``evaluate`` scores one step ahead after a gap at the testing start
    (row 88) does not move the comparators' fitted rows, the season or the MASE scale: ETS
    and Theta are fitted before the gap and score as in step 6 (here, not at all)."""
    from engine.testing.analysis import analyze_model
    from engine.testing.evaluation import evaluate_frame

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = gapped(frame, rows)
    evaluation = evaluate_frame(model, cut)
    a = analyze_model(model, cut)
    assert list(evaluation.rows) == list(a.rows[np.isfinite(a.one_step_predicted[:, 0])])
    for name in ("ets", "theta", "linear"):
        assert evaluation.comparators[name].fitted_rows == a.comparators[name].fitted_rows
        assert evaluation.comparators[name].notes == a.comparators[name].notes
    for name in ("ets", "theta", "linear", "persistence", "seasonal_naive"):
        ours, theirs = evaluation.baselines[name], a.direct_baselines[0][name]
        assert (ours is None) == (theirs is None), name
        if ours is not None:
            assert ours.rmse[0] == pytest.approx(theirs.rmse[0]), name
            assert ours.mase[0] == pytest.approx(theirs.mase[0]), name


def test_a_row_without_a_time_makes_no_gap_in_a_recursive_forecast(make_seasonal_frame):
    """Row 86 has an empty time: one step ahead the window before it predicts it (it makes
    no gap in time), and so does a recursive forecast, which stops at row 87 (whose window
    would read row 86) and says why."""
    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = frame.copy()
    cut.loc[86, "month"] = None
    y = cut["y"].to_numpy()
    windows = model.windows(cut)
    assert windows.without_gap()[windows.rows[:, 0] == 86].all()
    values, _ = model.forecast(cut, np.array([84]), 4)
    np.testing.assert_allclose(values[0, :3, 0], y[83])
    assert np.isnan(values[0, 3]).all()
    np.testing.assert_allclose(model.forecast_from(cut, 84, 3).values[:, 0], y[83])
    with pytest.raises(EngineError, match="Row 86 has no time"):
        model.forecast_from(cut, 84, 4)


def test_a_row_without_a_time_makes_no_gap_for_ets_and_theta(make_seasonal_frame):
    """Row 85 has an empty time: the comparators, like the network's windows, see no gap
    there; no note speaks of one, and ETS and Theta forecast the rows after it."""
    from engine.testing.comparators import fit_comparators
    from engine.testing.evaluation import evaluate_frame

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = frame.copy()
    cut.loc[85, "month"] = None
    encoded = model.preprocessing.encode(cut, prediction=True)
    comparators = fit_comparators(model, encoded, 80)
    for name in ("ets", "theta"):
        assert not any("gap in time" in note for note in comparators[name].notes), name
        assert np.isfinite(comparators[name].forecast(np.array([85, 86]), 1)).all(), name
    evaluation = evaluate_frame(model, cut, start=80)
    assert not any("gap in time" in note for note in evaluation.notes)


def test_ets_and_theta_forecasts_take_a_row_without_a_time_for_no_gap(make_seasonal_frame,
                                                                       tmp_path):
    """A file whose row 40 has an empty time: ETS and Theta forecast past the end as from
    the whole file (not only from the rows after row 40, as behind a gap in time). A data
    frame out of time order, and a last known row without a time, are refused as the
    network's forecast refuses them."""
    from engine.deploy.forecasting import forecast

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = frame.copy()
    cut.loc[40, "month"] = ""
    cut.to_csv(tmp_path / "row_40.csv", index=False)
    for method in ("ets", "theta"):
        whole = forecast(model, frame, 3, method=method)
        np.testing.assert_allclose(forecast(model, tmp_path / "row_40.csv", 3,
                                            method=method).values, whole.values)
    reversed_rows = frame.assign(month=pd.to_datetime(frame["month"])).iloc[::-1]
    with pytest.raises(EngineError, match="not in increasing order") as caught:
        forecast(model, reversed_rows.reset_index(drop=True), 3, method="ets")
    assert str(caught.value).endswith("the row above it. Sort the rows by time and remove "
                                      "duplicate rows.")  # no time column is no choice here
    cut = frame.copy()
    cut.loc[95, "month"] = ""
    cut.to_csv(tmp_path / "row_95.csv", index=False)
    with pytest.raises(EngineError, match="Row 95 has no time"):
        forecast(model, tmp_path / "row_95.csv", 3, method="theta")


def test_evaluate_and_a_backtest_fold_score_a_recursive_forecast_up_to_a_gap(
        make_seasonal_frame):
    """``evaluate --recursive`` and a backtest fold score the forecast from row 84 on the
    three rows before the gap, as step 6 does, instead of refusing it."""
    from engine.testing.analysis import analyze_model
    from engine.testing.backtest import fold_predictions
    from engine.testing.evaluation import evaluate_frame

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = gapped(frame)
    evaluation = evaluate_frame(model, cut, recursive=True)
    a = analyze_model(model, cut)
    assert list(evaluation.rows) == [84, 85, 86]
    assert evaluation.scores.rmse[0] == pytest.approx(a.recursive_scores.rmse[0])
    assert evaluation.baselines["persistence"].count == 3
    note = ("The recursive forecast from row 84 stops at row 87 (a gap in time before it): "
            "it and the baselines are scored on the 3 rows before.")
    assert note in evaluation.notes and note in a.notes
    rows, values = fold_predictions(model, cut, 84, 6)["recursive"]
    assert list(rows) == [84, 85, 86]
    np.testing.assert_allclose(values[:, 0], cut["y"].to_numpy()[83])


def test_step_6_and_evaluate_take_a_testing_row_without_a_time(make_seasonal_frame):
    """Row 86 has an empty time: step 6 lists its errors with an empty time (it raised on
    the missing time), and the recursive forecast's note says that row stopped it."""
    from engine.testing.analysis import analyze_model
    from engine.testing.evaluation import evaluate_frame, time_text

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    cut = frame.copy()
    cut.loc[86, "month"] = None
    a = analyze_model(model, cut)
    assert a.recursive_scores.count == 3
    assert "The recursive forecast from row 84 stops at row 87 (row 86 has no time): it " \
           "and the baselines are scored on the 3 rows before." in a.notes
    assert [e["time"] for e in a.largest[0] if e["row"] == 86] == [None]
    assert evaluate_frame(model, cut, start=86).to_dict()["from_time"] is None
    assert time_text(pd.NaT) is None and time_text(float("nan")) is None
