"""The members of a global model (engine.many.fitting): ``members`` networks from the seeds
``seed, seed + 1, ...`` merged into one network that forecasts their mean, trained one
after the other here or side by side on the local process pool with the same result."""

import multiprocessing

import numpy as np
import pandas as pd
import pytest

from engine.many.fitting import fit_global
from engine.many.global_model import LEVELS, GlobalSettings, global_windows, train_member
from engine.many.series_data import from_frame
from helpers.many_series import long_frame, seasonal

TINY = dict(horizon=3, test_last=3, season=4, lookback=8, hidden_sizes=(4,), max_epochs=2,
            batch_size=32, learning_rate=0.01, seed=5)
# float32 networks: the merged network sums twice the units in another order
ROUNDING = dict(rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def data():
    """Three series of 40 to 48 rows at levels 50 to 500."""
    return from_frame(long_frame({"a": seasonal(48, 100, 1), "b": seasonal(44, 500, 2),
                                   "c": seasonal(40, 50, 3)}), "id", ["y"])


@pytest.fixture(scope="module")
def pair(data):
    """``(settings, model)``: a global model of two members fitted here."""
    settings = GlobalSettings(members=2, **TINY)
    return settings, fit_global(data, settings)


def test_two_members_merge_into_one_network_that_forecasts_their_mean(data, pair):
    settings, model = pair
    windows = global_windows(data, settings)
    first = train_member(windows, settings, TINY["seed"])
    second = train_member(windows, settings, TINY["seed"] + 1)
    for X in (windows.X, windows.X_sel):
        a, b = first.predict(X), second.predict(X)
        assert np.abs(a - b).max() > 1e-2          # two seeds: two different networks
        np.testing.assert_allclose(model.network.predict(X), (a + b) / 2, **ROUNDING)
    assert model.network.members_ == 2
    assert model.settings["members"] == 2
    assert "2 networks averaged" in model.network.stop_reason_
    # one network of twice the units: the merged GRU layer holds both members' weights
    assert model.network.n_parameters > first.n_parameters


def test_the_intervals_are_conformal_ranks_of_the_members_mean_errors(data, pair):
    settings, model = pair
    windows = global_windows(data, settings)
    mean = (train_member(windows, settings, TINY["seed"]).predict(windows.X_sel)
            + train_member(windows, settings, TINY["seed"] + 1).predict(windows.X_sel)) / 2
    errors = windows.Y_sel - mean
    n = len(errors)
    for level in LEVELS:
        k = int(np.ceil((n + 1) * (1 + level) / 2 - 1e-9))    # each tail's rank
        bounds = model.interval_errors[level]
        if k > n:                          # too few selection windows: unknown
            assert np.isnan(bounds).all()
            continue
        assert (bounds[0] < 0).any() and (bounds[1] > 0).any()          # not all zeros
        ordered = np.sort(errors, axis=0)
        # each output's rank, never narrower with the step (one target)
        np.testing.assert_allclose(
            bounds[0], np.minimum.accumulate(np.minimum(ordered[n - k], 0.0)), **ROUNDING)
        np.testing.assert_allclose(
            bounds[1], np.maximum.accumulate(np.maximum(ordered[k - 1], 0.0)), **ROUNDING)
    assert np.isfinite(model.interval_errors[0.8]).all()


def test_one_member_is_the_network_of_the_first_seed(data, pair):
    settings, model = pair
    one = fit_global(data, GlobalSettings(members=1, **TINY))
    windows = global_windows(data, settings)
    alone = train_member(windows, settings, TINY["seed"])
    np.testing.assert_array_equal(one.network.predict(windows.X), alone.predict(windows.X))
    # and the pair is not the first member alone
    assert np.abs(model.forecast(data)[0] - one.forecast(data)[0]).max() > 1e-3


def test_members_on_the_process_pool_forecast_as_one_after_the_other(data, pair):
    settings, here = pair
    pooled = fit_global(data, settings, workers=2)
    assert not multiprocessing.active_children()
    assert pooled.network.members_ == 2
    assert "2 networks averaged" in pooled.network.stop_reason_
    assert pooled.settings["training_windows"] == here.settings["training_windows"]
    for got, expected in zip(pooled.forecast(data), here.forecast(data)):
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    for level in LEVELS:
        np.testing.assert_allclose(pooled.interval_errors[level], here.interval_errors[level],
                                   rtol=1e-6, atol=1e-9)


def test_a_stop_before_the_second_members_first_epoch_keeps_the_first_member(data):
    """The person stops as the second network starts: the model is the first network,
    trained in full, not an average with an untrained one (which had no epoch, so no model
    could be saved)."""
    from engine.tasks import TaskState

    settings = GlobalSettings(members=2, **TINY)
    task = TaskState()
    task.on_stage = lambda text: task.cancel() if text == "Training network 2 of 2" else None
    model = fit_global(data, settings, task)
    alone = train_member(global_windows(data, settings), settings, TINY["seed"])
    windows = global_windows(data, settings)
    np.testing.assert_allclose(model.network.predict(windows.X), alone.predict(windows.X),
                               **ROUNDING)
    assert model.network.best_epoch_ > 0
    assert model.network.cancelled_ and model.network.stop_reason_.startswith(
        "Stopped by the user: 1 of 2 networks kept (the network that finished no epoch was "
        "left out). The network kept: ")


def test_the_members_share_one_least_squares_start_and_its_losses(data, monkeypatch):
    """The members train on the same windows: their least-squares start and its losses
    are computed once (each member solved and predicted them again), and every member's
    weights are those it gets trained alone, to the last bit."""
    import engine.training.linear_start as linear_start
    from engine.network.recurrent import RecurrentNetwork
    from engine.training.run import ensemble

    settings = GlobalSettings(members=3, **TINY)
    windows = global_windows(data, settings)
    alone = ensemble([train_member(windows, settings, TINY["seed"] + k) for k in range(3)], 3)
    solves, whole = [], []
    solve, predict = linear_start.least_squares_weights, RecurrentNetwork.predict_validated
    monkeypatch.setattr(linear_start, "least_squares_weights",
                        lambda *args, **kwargs: solves.append(1) or solve(*args, **kwargs))
    monkeypatch.setattr(RecurrentNetwork, "predict_validated", lambda network, X: whole.append(
        len(X)) or predict(network, X))
    model = fit_global(data, settings)
    assert len(solves) == 1
    assert whole.count(len(windows.X)) == 1          # the training windows' start loss
    for name, value in alone.state_dict().items():
        np.testing.assert_array_equal(model.network.state_dict()[name], value, err_msg=name)
