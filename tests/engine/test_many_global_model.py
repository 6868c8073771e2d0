"""One network over many series (engine.many.global_model): windows never cross from one
series into the next nor over a gap, the parts never reach into later parts, a model of K
identical copies of a series is the model of that series, forecasts read only the rows
before their origin, and the intervals nest."""

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many.fitting import fit_global
from engine.many.global_model import (LATEST_WINDOWS, GlobalSettings, training_plan,
                                      window_parts)
from engine.many.scaling import fit_scaling, row_features
from engine.many.series_data import from_frame
from helpers.many_series import long_frame, seasonal

TINY = dict(hidden_sizes=(4,), max_epochs=3, batch_size=32, seed=0)
# The levels are differences of one running sum over all rows (engine.many.scaling.
# rolling_mean), so the rows of other series move a level by rounding alone: equal
# forecasts agree to about 1e-14, not bit for bit.
SAME = 1e-11


# -- windows ------------------------------------------------------------------------------

def _encoded_series():
    """Series k (k = 1..4) all between 10**k and 1.5 * 10**k, of different lengths; series 3 has a gap in
    time after its 20th row."""
    rng = np.random.default_rng(5)
    lengths = {1: 30, 2: 45, 3: 50, 4: 38}
    series = {f"s{k}": 10.0 ** k * (1 + rng.uniform(0, 0.5, n))
              for k, n in lengths.items()}
    times = {f"s{k}": np.arange(n) for k, n in lengths.items()}
    times["s3"] = np.r_[np.arange(20), np.arange(25, 55)]
    return from_frame(long_frame(series, times), "id", ["y"], time_column="t")


def test_windows_stay_in_one_series_and_one_segment_and_before_later_parts():
    data = _encoded_series()
    lookback, horizon, test_last = 6, 3, 4
    assert data.segment.max() == 4                      # four series, one gap
    scaling = fit_scaling(data, data.lengths - test_last, None, lookback)
    features, base, _ = row_features(data, scaling)
    parts = window_parts(data, features, base, lookback, horizon, test_last, 1000)
    series = data.series_of_rows()
    first_test = data.starts[1:] - test_last            # first testing row of each series
    magnitude = np.floor(np.log10(data.targets[:, 0]) + 1e-9).astype(int)
    assert len(parts.train) and len(parts.selection)
    for name, anchors in (("train", parts.train), ("selection", parts.selection)):
        for t in anchors:
            rows = np.arange(t - lookback + 1, t + horizon + 1)
            i = series[t]
            assert (series[rows] == i).all(), (name, t)
            assert (data.segment[rows] == data.segment[t]).all(), (name, t)
            assert (magnitude[rows] == i + 1).all(), (name, t)     # the values say so too
            if name == "train":          # targets end before the selection targets
                assert t + horizon < first_test[i] - horizon, t
            else:                        # targets end before the testing rows
                assert first_test[i] - horizon <= t + horizon < first_test[i], t
    # every series has its H selection windows (the gap in s3 lies far before them)
    assert np.bincount(series[parts.selection]).tolist() == [horizon] * 4
    assert parts.testing.tolist() == (first_test - 1).tolist()
    # no training window of s3 spans the gap between its rows 19 and 20
    s3 = parts.train[series[parts.train] == 2] - data.starts[2]
    assert not ((s3 - lookback + 1 <= 19) & (s3 + horizon >= 20)).any()
    assert (s3 + horizon <= 19).any() and (s3 - lookback + 1 >= 20).any()


def test_only_the_latest_training_windows_of_each_series_are_kept():
    data = _encoded_series()
    scaling = fit_scaling(data, data.lengths, None, 6)
    features, base, _ = row_features(data, scaling)
    every = window_parts(data, features, base, 6, 3, 0, None)
    assert window_parts(data, features, base, 6, 3, 0, 1000).train.tolist() == \
        every.train.tolist()
    some = window_parts(data, features, base, 6, 3, 0, 5)
    series = data.series_of_rows()
    for i in range(data.n_series):
        mine = every.train[series[every.train] == i]
        assert len(mine) > 5
        assert some.train[series[some.train] == i].tolist() == mine[-5:].tolist()
    assert (some.testing == -1).all()          # no testing part
    # the most windows a series has, before the cap: the sentence on them is told by it
    assert some.most_per_series == every.most_per_series == \
        np.bincount(series[every.train]).max() > 5


def test_the_windows_per_series_a_number_all_or_auto():
    settings = GlobalSettings(horizon=3)
    assert settings.windows_per_series == "auto" and settings.window_cap() == LATEST_WINDOWS
    assert GlobalSettings(horizon=3, windows_per_series="all").window_cap() is None
    assert GlobalSettings(horizon=3, windows_per_series=7).window_cap() == 7
    assert GlobalSettings(horizon=3, windows_per_series=np.int64(7)).window_cap() == 7
    GlobalSettings(horizon=3, windows_per_series=np.int64(7)).check()
    for wrong in (0, "some", 2.5, True):
        with pytest.raises(EngineError, match="training windows per series"):
            GlobalSettings(horizon=3, windows_per_series=wrong).check()


@pytest.mark.parametrize("change, message", [
    ({"horizon": "x"}, r"^horizon must be a whole number of at least 1; got 'x'\.$"),
    ({"horizon": 0}, r"^horizon must be a whole number of at least 1; got 0\.$"),
    ({"test_last": "3"}, r"^test_last must be a whole number of at least 0; got '3'\.$"),
    ({"test_last": -3}, r"^test_last must be a whole number of at least 0; got -3\.$"),
    ({"members": 2.5}, r"^members must be a whole number of at least 1; got 2\.5\.$"),
    ({"lookback": 12.5}, r"^lookback must be a whole number \(or None to choose it from the "
                         r"data\); got 12\.5\.$"),
    ({"season": "24"}, r"^season must be a whole number \(or None"),
    ({"hidden_sizes": "64"}, r"^hidden_sizes must be a list of units per layer"),
    ({"hidden_sizes": (0,)}, r"^Layer 1 has 0 units")])
def test_settings_that_are_not_whole_numbers_are_named_by_their_python_name(change,
                                                                          message):
    """Text or fractions are an EngineError naming the argument (not an int() ValueError,
    a TypeError of a comparison, nor a flag of the command line)."""
    with pytest.raises(EngineError, match=message):
        GlobalSettings(**{"horizon": 3, **change}).check()


def test_one_number_of_units_is_one_layer():
    settings = GlobalSettings(horizon=3, hidden_sizes=8)
    settings.check()
    assert settings.hidden_sizes == (8,) and training_plan(settings, 0)[0]["hidden_sizes"] == [8]


def test_the_weights_average_a_number_auto_or_off_and_what_the_training_gets():
    assert GlobalSettings(horizon=3).average_steps == "auto"
    for steps, trained in (("auto", None), (None, None), (0, None), (500, 500),
                           (np.int64(40), 40)):
        settings = GlobalSettings(horizon=3, average_steps=steps, hidden_sizes=(4,))
        settings.check()
        assert training_plan(settings, 0)[1]["average_steps"] == trained
    # at most three epochs' steps: 1,000 windows in batches of 256 are 4 steps an epoch
    settings = GlobalSettings(horizon=3, average_steps=500, hidden_sizes=(4,))
    assert training_plan(settings, 0, n_windows=1000)[1]["average_steps"] == 12
    assert training_plan(settings, 0, n_windows=10**6)[1]["average_steps"] == 500
    for wrong in (-1, "all", 2.5, True):
        with pytest.raises(EngineError, match="steps the weights are averaged over"):
            GlobalSettings(horizon=3, average_steps=wrong).check()


def test_each_member_trains_with_the_average_its_windows_allow(monkeypatch):
    import engine.training.run as run

    given = []
    fit_network = run.fit_network
    monkeypatch.setattr(run, "fit_network", lambda prepared, architecture, training, task,
                        **options: (given.append(training), fit_network(
                            prepared, architecture, training, task, **options))[1])
    data = from_frame(long_frame({f"s{k}": seasonal(40, seed=k) for k in range(3)}), "id",
                      ["y"])
    settings = GlobalSettings(horizon=4, test_last=4, season=4, lookback=8, members=2,
                              average_steps=1000, **{**TINY, "max_epochs": 2})
    model = fit_global(data, settings)
    steps = 3 * -(-model.settings["training_windows"] // settings.batch_size)
    assert [(t["average_steps"], t["members"]) for t in given] == [(steps, 2)]   # both
    assert model.settings["averaged_steps"] == steps


# -- training -----------------------------------------------------------------------------

def test_identical_copies_are_forecast_alike_and_as_the_one_series_alone():
    """With a learning rate too small to move the weights, the network stays at its
    least-squares start (the linear path; the recurrent head starts at zero). K copies of a
    series give the same windows K times, whose least-squares fit is that of the one
    series: the forecasts agree to the float32 weights' precision. A window crossing
    from one copy into the next, or a copy scaled differently, would change the fit."""
    y = seasonal(40)
    settings = dict(horizon=4, test_last=4, season=4, lookback=8, learning_rate=1e-12,
                    **TINY)
    alone = from_frame(long_frame({"s": y}), "id", ["y"])
    copies = from_frame(long_frame({f"c{k}": y for k in range(5)}), "id", ["y"])
    one = fit_global(alone, GlobalSettings(**settings))
    many = fit_global(copies, GlobalSettings(**settings))
    assert "a linear model fitted by least squares" in many.network.stop_reason_
    assert many.settings["training_windows"] == 5 * one.settings["training_windows"]
    single = one.forecast(alone)[0]
    values, lower, upper, ok = many.forecast(copies)
    assert ok.all()
    for k in range(1, 5):
        for part in (values, lower, upper):
            np.testing.assert_allclose(part[k], part[0], rtol=SAME)
    np.testing.assert_allclose(values, np.repeat(single, 5, axis=0), rtol=1e-5)
    # and the forecasts are near the series' continuation (trend + season, noise sd 1)
    truth = 100 + 10 * np.sin(2 * np.pi * np.arange(40, 44) / 4) + np.arange(40, 44)
    assert np.abs(single[0, :, 0] - truth).max() < 8


def test_identical_copies_of_a_trained_network_forecast_alike():
    y = seasonal(40)
    copies = from_frame(long_frame({f"c{k}": y for k in range(3)}), "id", ["y"])
    model = fit_global(copies, GlobalSettings(horizon=4, season=4, lookback=8,
                                              learning_rate=0.01, **TINY))
    values = model.forecast(copies)[0]
    assert np.isfinite(values).all()
    np.testing.assert_allclose(values[1:], values[[0, 0]], rtol=SAME)


def test_no_series_long_enough_is_a_clear_error():
    data = from_frame(long_frame({"a": np.arange(1.0, 13.0), "b": np.arange(1.0, 11.0)}),
                      "id", ["y"])
    # 3 rows the first window's features read (a level of 4 rows), a window of 8 rows,
    # 4 to train on, 4 to select on, 2 to test: 21 rows
    with pytest.raises(EngineError, match=r"No series has the 21 rows a window of 8 rows "
                                          r"\(with the 3 rows"):
        fit_global(data, GlobalSettings(horizon=4, test_last=2, lookback=8, **TINY))


def test_a_short_series_is_left_out_with_a_note_and_not_forecast():
    data = from_frame(long_frame({"long": seasonal(40), "short": seasonal(6)}), "id",
                      ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=8, **TINY))
    assert any("1 series is too short" in note for note in model.notes)
    values, _, _, ok = model.forecast(data)
    assert ok.tolist() == [True, False]
    assert np.isnan(values[1]).all() and np.isfinite(values[0]).all()
    # fitted on its 2 training rows (before the 4 to select on)
    assert model.scaling.magnitude[1, 0] == pytest.approx(np.mean(seasonal(6)[:2]))


def test_a_series_without_training_rows_keeps_a_scale_of_its_own():
    """A series of no more rows than the horizon has no training row: its scale is fitted
    on its rows before the testing part, so that a later file with more of its rows is
    read on it (a scale of 1 read it in its own units: values of about 100 as 100 changes
    of the usual size)."""
    short = seasonal(4, level=5000.0)
    data = from_frame(long_frame({"long": seasonal(40), "short": short}), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=8, **TINY))
    assert model.scaling.log[1, 0]
    assert model.scaling.magnitude[1, 0] == pytest.approx(np.mean(short))
    longer = from_frame(long_frame({"long": seasonal(40), "short": seasonal(
        30, level=5000.0)}), "id", ["y"])
    values, _, _, ok = model.forecast(longer)
    assert ok.all() and np.isfinite(values).all()
    assert (np.abs(values[1] / 5000.0 - 1) < 0.2).all()


@pytest.fixture(scope="module")
def trained():
    """A model of three series of different levels, and their data."""
    data = from_frame(long_frame({"a": seasonal(48, 100, 1), "b": seasonal(48, 500, 2),
                                   "c": seasonal(44, 50, 3)}), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=4, season=4, lookback=8,
                                            learning_rate=0.01, **TINY))
    return model, data


def test_forecast_from_ends_reads_only_the_rows_before(trained):
    model, data = trained
    ends = data.lengths - 5
    before = model.forecast(data, ends=ends)[0]
    assert np.isfinite(before).all()
    changed = from_frame(long_frame({"a": seasonal(48, 100, 1), "b": seasonal(48, 500, 2),
                                      "c": seasonal(44, 50, 3)}), "id", ["y"])
    for i in range(changed.n_series):
        later = slice(int(changed.starts[i]) + int(ends[i]), int(changed.starts[i + 1]))
        changed.targets[later] *= 1000.0
    np.testing.assert_allclose(model.forecast(changed, ends=ends)[0], before, rtol=SAME)
    # the row just before the end is read
    changed.targets[int(changed.starts[1]) + int(ends[1]) - 1] *= 1.5
    after = model.forecast(changed, ends=ends)[0]
    np.testing.assert_allclose(after[[0, 2]], before[[0, 2]], rtol=SAME)
    assert np.abs(after[1] - before[1]).max() > 1e-3 * np.abs(before[1]).max()


@pytest.fixture(scope="module")
def trained_on_ten():
    """A model of ten series: 40 selection windows, enough to calibrate every level (95%
    needs 39; with fewer its bounds are unknown)."""
    data = from_frame(long_frame({f"s{k}": seasonal(48, 100 * (k + 1), k + 1)
                                  for k in range(10)}), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, test_last=4, season=4, lookback=8,
                                            learning_rate=0.01, **TINY))
    assert model.unknown_levels() == []
    return model, data


def test_intervals_hold_the_forecast_and_nest(trained_on_ten):
    model, data = trained_on_ten
    values, low80, high80, _ = model.forecast(data, level=0.8)
    same, low95, high95, _ = model.forecast(data, level=0.95)
    assert same.tolist() == values.tolist()
    assert (low80 <= values).all() and (values <= high80).all()
    assert (low95 <= low80).all() and (high80 <= high95).all()
    assert (high95 - low95 > 0).all()
    with pytest.raises(EngineError, match="must be one of 0.8, 0.9, 0.95"):
        model.forecast(data, level=0.5)


def test_a_series_the_model_never_saw_is_refused(trained):
    model, _ = trained
    other = from_frame(long_frame({"a": seasonal(20), "zz": seasonal(20)}), "id", ["y"])
    with pytest.raises(EngineError, match="1 in the data is new to it \\(zz\\)"):
        model.forecast(other)


# -- found wanting ------------------------------------------------------------------------

def _yearly_series():
    """Three monthly series of 40, 36 and 44 rows, levels 100, 200, 300, a yearly season."""
    rng = np.random.default_rng(0)
    series = {}
    for k, (name, rows) in enumerate((("A", 40), ("B", 36), ("C", 44))):
        t = np.arange(rows)
        series[name] = np.round((k + 1) * 100 + 10 * np.sin(2 * np.pi * t / 12) + t
                                + rng.normal(size=rows), 3)
    return from_frame(long_frame(series), "id", ["y"])


def test_the_interval_holds_the_forecast_of_a_biased_network():
    data = _yearly_series()
    model = fit_global(data, GlobalSettings(horizon=6, test_last=6, season=12, lookback=14,
                                            hidden_sizes=(4,), max_epochs=3, seed=0))
    values, lower, upper, ok = model.forecast(data, level=0.8)   # 18 windows: 80% is known
    assert ok.all()
    assert (lower <= values).all() and (values <= upper).all()


def test_the_default_lookback_leaves_the_median_series_training_windows():
    series = _yearly_series()
    data = from_frame(long_frame({name: series.history(i)[:40]
                                   for i, name in enumerate(series.ids) if name != "B"}),
                      "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=6, test_last=6, season=12,
                                            hidden_sizes=(4,), max_epochs=3, seed=0))
    assert model.settings["training_windows"] >= data.n_series


def test_a_series_without_training_windows_is_noted_as_too_short():
    data = from_frame(long_frame({"long": seasonal(60), "edge": seasonal(16)}), "id",
                      ["y"])
    # lookback 8, horizon 4: 16 rows = lookback + 2 H; the level averages 8 rows
    model = fit_global(data, GlobalSettings(horizon=4, season=12, lookback=8, **TINY))
    scaling = fit_scaling(data, data.lengths, 12, 8)
    features, base, _ = row_features(data, scaling)
    parts = window_parts(data, features, base, 8, 4, 0, 200)
    assert not (data.series_of_rows()[parts.train] == 1).any()   # "edge" has no window
    assert any("1 series is too short" in note for note in model.notes)


# -- the fold: a window read in steps of whole seasons ---------------------------------------

def test_a_folded_window_holds_the_rows_of_each_step_side_by_side():
    from engine.data.windows import input_view
    from engine.many.global_model import window_view

    features = np.arange(40 * 3, dtype=np.float32).reshape(40, 3)
    plain = input_view(features, 12)
    folded = window_view(features, 12, 4)
    assert folded.shape == (29, 3, 12) and not folded.flags.writeable
    assert np.shares_memory(folded, features)                 # a view, no copy
    np.testing.assert_array_equal(folded, plain.reshape(29, 3, 12))
    # step 1 of window 5: rows 9, 10, 11, 12, their three features each
    np.testing.assert_array_equal(folded[5, 1], features[9:13].ravel())
    assert window_view(features, 12, 1) is not None and \
        np.array_equal(window_view(features, 12, 1), plain)
    assert window_view(features[:5], 12, 4).shape == (0, 3, 12)


def test_the_fold_is_the_season_when_the_lookback_holds_whole_seasons():
    from engine.many.global_model import window_plan

    rows = np.full(10, 1000)
    hourly = GlobalSettings(horizon=48, season=24)
    assert window_plan(hourly, rows) == (168, 24)                     # a week in 7 days
    # no season: a horizon a step when the lookback holds whole horizons (a year of weeks
    # in 4 steps of 13), else row by row
    assert window_plan(GlobalSettings(horizon=13, season=1), rows) == (52, 13)
    assert window_plan(GlobalSettings(horizon=5, season=1, lookback=12), rows) == (12, 1)
    # a lookback given that is no whole number of seasons: rows one by one
    assert window_plan(GlobalSettings(horizon=6, season=4, lookback=18), rows) == (18, 1)
    # the default lookback is rounded down to whole seasons (4 x 5 = 20 -> 2 seasons of 7)
    assert window_plan(GlobalSettings(horizon=5, season=7), rows) == (14, 7)
    with pytest.raises(EngineError, match="whole number of steps of 5"):
        GlobalSettings(horizon=2, lookback=12, fold=5).check()


def test_a_folded_network_reads_fold_times_the_features_in_fewer_steps():
    data = from_frame(long_frame({"a": seasonal(80), "b": seasonal(90, seed=2)}), "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=16, **TINY))
    assert model.fold == 4
    assert model.network.n_inputs == 4 * 2 and model.network.lookback == 16 // 4
    ends = data.lengths - 4
    unfolded = fit_global(data, GlobalSettings(horizon=4, season=4, lookback=16, fold=1,
                                               **TINY))
    assert unfolded.network.n_inputs == 2
    assert np.isfinite(model.forecast(data, ends=ends)[0]).all()


def test_a_global_model_whose_recurrent_part_is_unused_is_named_a_linear_autoregression(
        trained):
    """Its training kept the least-squares start (``head.weight`` all zero): step 7 and
    the report call it a linear autoregression, as for one series."""
    import copy

    from engine.many.global_model import network_words

    model = copy.deepcopy(trained[0])
    model.network.parameters_.views["head.weight"][:] = 0.1       # the recurrent part used
    assert network_words(model) == "the average of 3 GRU networks of 4 units"
    weight = model.network.parameters_.views["head.weight"]
    weight[:, :weight.shape[1] // 3] = 0.0            # the first network kept its start
    assert network_words(model) == (
        "the average of 3 GRU networks of 4 units (1 of the 3 networks is a linear "
        "autoregression: its training kept the least-squares start)")
    model.network.parameters_.views["head.weight"][:] = 0.0
    assert network_words(model).startswith("a linear autoregression (the recurrent part of ")
    assert network_words(model).endswith(" unused: its training did not improve on the "
                                         "linear model it started from)")
