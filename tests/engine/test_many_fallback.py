"""A series the global network cannot read (shorter than its window) still gets a forecast,
its own seasonal naive one, in the forecast file and in the scores, and says so; a series
whose last value is unknown gets none."""

import numpy as np
import pytest

from engine.many.evaluation import evaluate_global
from engine.many.fitting import fit_global
from engine.many.forecasting import forecast_frame
from engine.many.global_model import GlobalSettings
from engine.many.series_data import from_frame
from helpers.many_series import long_frame, seasonal

TINY = dict(hidden_sizes=(4,), max_epochs=2, batch_size=32, seed=0)


@pytest.fixture(scope="module")
def fitted():
    """Two long series and a short one (10 rows: less than the window of 12 and its level
    rows); season 4."""
    data = from_frame(long_frame({"long": seasonal(60), "other": seasonal(56, 300, 2),
                                  "short": seasonal(10, 50, 3)}), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=4, season=4, lookback=12,
                                            **TINY))
    return model, data


def with_known_intervals(model):
    """A copy of ``model`` whose unknown interval errors, of the first block and the later
    ones (two series give too few selection windows), are replaced by -1 and 1: the bounds
    a series gets or not can then be seen."""
    import copy

    def filled(errors):
        sign = np.array([-1.0, 1.0])
        return {level: np.where(np.isnan(e), sign.reshape((2,) + (1,) * (e.ndim - 1)), e)
                for level, e in errors.items()}

    known = copy.copy(model)
    known.interval_errors = filled(model.interval_errors)
    known.later_errors = filled(model.later_errors or {})
    return known


def test_the_forecast_file_gives_a_short_series_its_last_season(fitted):
    model, data = fitted
    frame, notes = forecast_frame(with_known_intervals(model), data, 6)
    short = frame[frame["id"] == "short"]
    last_season = data.history(2)[-4:]
    np.testing.assert_allclose(short["y"], last_season[np.arange(6) % 4])
    assert short["y_lower_90"].isna().all() and short["y_upper_90"].isna().all()
    assert frame[frame["id"] != "short"][["y", "y_lower_90"]].notna().all().all()
    assert any("1 series the network could not read" in n and "'short'" in n for n in notes)


def test_the_headline_counts_the_series_the_network_could_not_read(fitted):
    """"Forecast of 6 steps for 3 series with 90% intervals" was said also of series that
    got their own seasonal naive forecast without bounds, and of a file whose every series
    the network could not read."""
    from engine.many.forecasting import forecast_headline

    model, data = fitted
    known = with_known_intervals(model)
    frame, _ = forecast_frame(known, data, 6)
    assert forecast_headline(frame, known) == (
        "Forecast of 6 steps for 3 series with 90% intervals (1 of them by their own "
        "seasonal naive forecast, without intervals: see the note)")
    short = data.without_last(np.array([50, 46, 0]))       # 10 rows each: none readable
    frame, notes = forecast_frame(known, short, 6)
    assert forecast_headline(frame, known) == (
        "Forecast of 6 steps for 3 series, each by its own seasonal naive forecast without "
        "intervals: the network could read none of them (see the note)")
    assert not any("from the model's own forecasts" in note for note in notes)


def test_the_scores_cover_the_short_series_with_its_own_forecast(fitted):
    model, data = fitted
    evaluation = evaluate_global(model, data, 4)
    assert evaluation.ids == ["long", "other", "short"]
    short = data.history(2)[:6]
    np.testing.assert_allclose(evaluation.forecasts["network"][2], short[-4:])
    np.testing.assert_allclose(evaluation.forecasts["network"][2],
                               evaluation.forecasts["seasonal_naive"][2])
    assert any(n.startswith("1 series the network could not read") and
               n.endswith(": 'short') was scored with its own seasonal naive forecast (its "
                          "last season repeated, a value it lacks by the one a season "
                          "earlier; the last value where less than a season is known), "
                          "without bounds.")
               for n in evaluation.notes), evaluation.notes


def test_a_series_shorter_than_a_season_repeats_its_last_value_and_unknown_ends_get_none():
    data = from_frame(long_frame({"long": seasonal(60), "tiny": [5.0, 7.0],
                                  "ends": np.r_[seasonal(30)[:-1], np.nan],
                                  "gone": [np.nan] * 3}), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=12, **TINY))
    frame, notes = forecast_frame(model, data, 4)
    assert frame[frame["id"] == "tiny"]["y"].tolist() == [7.0] * 4
    assert frame[frame["id"] == "ends"]["y"].notna().all()     # from its last known value
    assert frame[frame["id"] == "gone"]["y"].isna().all()
    # the rows of "gone", which has no known value at all, are no rows after a last one
    assert notes[0].startswith("1 row without a known target at the end of 1 series is "
                               "left out")
    assert "1 series could not be forecast: its last values are not known ('gone')." in notes


def test_a_gap_in_time_restarts_the_season_the_fallback_repeats(fitted):
    """A short series with a gap of 2 steps before its last 2 rows: the season before the
    gap is out of phase, and the stretch since it is shorter than a season, so its last
    value is repeated (not the last 4 rows across the gap); the note names the rows the
    network reads."""
    from engine.many.global_model import warmup_rows

    model, _ = fitted
    values = seasonal(40, 80, 4)
    times = {"long": np.arange(60), "short": np.r_[np.arange(6), np.arange(8, 10)]}
    data = from_frame(long_frame({"long": seasonal(60), "short": np.r_[values[:6],
                                                                      values[8:10]]},
                                 times), "id", ["y"], time_column="t")
    frame, notes = forecast_frame(model, data, 4)
    np.testing.assert_allclose(frame[frame["id"] == "short"]["y"], [values[9]] * 4)
    rows = model.lookback + warmup_rows(model.scaling.season, model.lookback)
    assert any(f"shorter than the {rows} rows it reads" in n for n in notes)
    assert any("from its rows since its last gap in time, without bounds." in n for n in notes)


def test_an_empty_cell_in_the_last_season_takes_the_value_a_season_earlier(fitted):
    """A long series with one empty cell three rows before its end, which the network
    cannot read: its own forecast repeats its last season with that cell's value a season
    earlier (it repeated its last value, said to be its seasonal naive forecast), and the
    note speaks of no gap in time, which it does not have."""
    model, _ = fitted
    values = seasonal(56, 300, 2)
    holed = values.copy()
    holed[-3] = np.nan
    data = from_frame(long_frame({"long": seasonal(60), "other": holed}), "id", ["y"])
    frame, notes = forecast_frame(model, data, 6)
    expected = np.r_[values[-4], values[-7], values[-2:]]       # the cell from a season back
    np.testing.assert_allclose(frame[frame["id"] == "other"]["y"], expected[np.arange(6) % 4])
    note = next(n for n in notes if "'other'" in n)
    assert "own seasonal naive forecast (its last season repeated" in note
    assert "gap in time, without bounds" not in note


@pytest.fixture(scope="module")
def never_recorded():
    """Two targets, z never recorded in series "blank" (empty in all its rows): the
    network, which reads both targets, cannot read that series."""
    frame = long_frame({"long": seasonal(60), "other": seasonal(56, 300, 2),
                        "blank": seasonal(52, 50, 3)})
    frame["z"] = frame["y"] / 2
    frame.loc[frame["id"] == "blank", "z"] = np.nan
    data = from_frame(frame, "id", ["y", "z"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=4, season=4, lookback=12,
                                            **TINY))
    return model, data


BLANK = ("1 series the network could not read, as it reads every target: z holds no value "
         "in 1 series (blank).")


def test_a_target_never_recorded_leaves_the_other_targets_their_own_forecast(
        never_recorded):
    """The series lost its forecast of y too, "could not be forecast: its last values are
    not known"; y gets its own seasonal naive forecast, z none, and the note names both."""
    from engine.many.forecasting import forecast_headline

    model, data = never_recorded
    known = with_known_intervals(model)
    frame, notes = forecast_frame(known, data, 6)
    blank = frame[frame["id"] == "blank"]
    np.testing.assert_allclose(blank["y"], data.history(2)[-4:][np.arange(6) % 4])
    assert blank["z"].isna().all() and blank["y_lower_90"].isna().all()
    assert frame[frame["id"] != "blank"][["y", "z", "z_lower_90"]].notna().all().all()
    assert f"{BLANK} Each of its targets with a known last value got its own seasonal " \
        "naive forecast, without bounds, and the others none: fill those cells in for the " \
        "network's forecast." in notes
    assert not any("could not be forecast" in n or "got their own" in n for n in notes)
    assert forecast_headline(frame, known) == (
        "Forecast of 6 steps for 3 series with 90% intervals (1 of them by their own "
        "seasonal naive forecast, without intervals: see the note)")


def test_a_target_never_recorded_leaves_the_other_targets_scored(never_recorded):
    """y of the series was not scored ("1 series was not scored (blank)"); it is, by its
    own seasonal naive forecast, and the note says why. z of it cannot be, and the note
    says so (it said "missing values, or too short")."""
    model, data = never_recorded
    y = evaluate_global(model, data, 4, target=0)
    assert y.ids == ["long", "other", "blank"]
    np.testing.assert_allclose(y.forecasts["network"][2], data.history(2)[-8:-4])
    assert f"{BLANK} Its y was scored with its own seasonal naive forecast, not the " \
        "network's." in y.notes
    assert not any("not scored" in n or "were scored with" in n for n in y.notes)
    z = evaluate_global(model, data, 4, target=1)
    assert z.ids == ["long", "other"]
    assert "1 series was not scored (blank): it holds no value of z." in z.notes


def test_a_series_without_a_scale_falls_back_without_made_up_bounds(tmp_path):
    """A series of 20 rows, all in the testing part of 20, has no scale: the network was
    given it in units of 1 (mean size 1), forecast it with bounds 0.07 wide at about 800,
    and said its values were far outside those of its training. A series of zeros alone
    (a product never sold) was forecast -0.001 with bounds from -0.03 to 0.04. Both now get
    their own seasonal naive forecast without bounds, and a note that says why, also from
    the model file."""
    from engine.many.model_file import load_global_model, save_global_model

    data = from_frame(long_frame({"long": seasonal(80), "other": seasonal(76, 300, 2),
                                  "late": seasonal(20, 800, 3), "none": np.zeros(60)}),
                      "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=20, season=4, lookback=8,
                                            **TINY))
    assert np.isnan(model.scaling.magnitude[2:, 0]).all()
    assert np.isfinite(model.scaling.magnitude[:2, 0]).all()
    assert np.isnan(model.scaling.scale).sum() == 0
    save_global_model(tmp_path / "m.npz", model)
    for each in (model, load_global_model(tmp_path / "m.npz")):
        frame, notes = forecast_frame(with_known_intervals(each), data, 4)
        late, none = (frame[frame["id"] == name] for name in ("late", "none"))
        np.testing.assert_allclose(late["y"], data.history(2)[-4:])
        assert (none["y"] == 0).all()
        unscaled = frame["id"].isin(["late", "none"])
        assert frame[unscaled][["y_lower_90", "y_upper_90"]].isna().all().all()
        assert frame[~unscaled]["y_lower_90"].notna().all()
        assert not any("far outside" in note for note in notes), notes
        assert any("no value other than 0 before the testing part" in note and
                   "'late' and 'none'" in note for note in notes), notes


def test_a_series_that_starts_selling_before_the_testing_part_keeps_a_scale():
    """Zeros in every training row, values in the selection rows: the series is scaled on
    its rows before the testing part (it lost its scale, and a file of such series alone
    had no training window)."""
    starts = np.concatenate([np.zeros(36), seasonal(8, 50, 4)])
    data = from_frame(long_frame({"long": seasonal(80), "other": seasonal(76, 300, 2),
                                  "starts": starts}), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=4, season=4, lookback=8,
                                            **TINY))
    assert model.scaling.magnitude[2, 0] == pytest.approx(np.mean(np.abs(starts[:40])))


def test_series_of_zeros_alone_before_the_testing_part_are_refused_for_that_reason():
    """Their fit said "There are no training windows; use a shorter lookback": no lookback
    gives a window to series without a scale."""
    from engine.errors import EngineError

    zeros = np.zeros(40)
    zeros[-2:] = [5.0, 6.0]                          # sold in the testing part only
    data = from_frame(long_frame({"a": zeros, "b": zeros}), "id", ["y"])
    with pytest.raises(EngineError, match=r"none of the 2 series holds a value other than 0 "
                                          r"before its last 2 rows \(the testing part\)"):
        fit_global(data, GlobalSettings(horizon=1, test_last=2, lookback=4, **TINY))


def test_evaluate_names_a_constant_series_mase_leaves_out(fitted):
    """A series whose history is constant has no MASE scale: evaluate says MASE leaves it
    out of the means, where it said nothing and its headline counted every series."""
    model, _ = fitted
    data = from_frame(long_frame({"long": seasonal(60), "other": np.r_[np.full(52, 7.0),
                                                                       [8.0, 9, 7, 8]]}),
                      "id", ["y"])
    evaluation = evaluate_global(model, data, 4)
    assert any(note.startswith("MASE left out for 'other': its history before the testing "
                               "part holds no change a season apart") for note in
               evaluation.notes), evaluation.notes
