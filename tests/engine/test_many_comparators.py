"""Classical forecasts of many series (engine.many.comparators): Theta against answers worked
out from its formula, the benchmarks as engine.many.metrics gives them, the fallbacks."""

import numpy as np
import pytest

from engine.errors import EngineError
from engine.many import metrics as M
from engine.many.comparators import comparator_forecasts, theta_forecast


def test_theta_on_a_straight_line_adds_half_the_slope_a_step():
    # On a line SES fits alpha ~ 1, so l_T = x_T and the forecast is
    # x_T + b0/2 [h - 1 + 1/alpha - (1-alpha)^T/alpha] = x_T + (0.5/2) h
    line = 3.0 + 0.5 * np.arange(50)
    expected = line[-1] + 0.25 * np.arange(1, 5)
    assert theta_forecast(line, 4, 1) == pytest.approx(expected, abs=1e-3)
    # the seasonality test calls a line seasonal at lag 4; its indices are all 1
    assert theta_forecast(line, 4, 4) == pytest.approx(expected, abs=1e-3)


def test_theta_puts_the_season_back_on_the_trend():
    t = np.arange(120)
    season = np.array([0.8, 1.2, 1.1, 0.9])
    history = (100 + 0.5 * t) * season[t % 4]
    h = np.arange(1, 7)
    # adjusted: the line 100 + 0.5 t; Theta continues it at half the slope, then x season
    expected = (100 + 0.5 * 119 + 0.25 * h) * season[(119 + h) % 4]
    assert theta_forecast(history, 6, 4) == pytest.approx(expected, rel=2e-3)


def test_theta_forecasts_of_a_falling_positive_series_stop_at_zero():
    history = 50.0 - 5.0 * np.arange(10) + 0.1 * (-1.0) ** np.arange(10)   # 50 .. 5
    out = theta_forecast(history, 6, 1)
    assert out.min() == 0.0 and out[0] > 0.0


def test_comparators_give_the_benchmarks_and_theta_for_every_series():
    rng = np.random.default_rng(0)
    histories = [100 + rng.standard_normal(n).cumsum() for n in (60, 75, 90)]
    notes = []
    out = comparator_forecasts(histories, 5, 12, notes=notes)
    assert sorted(out) == ["naive2", "seasonal_naive", "theta"]
    assert all(values.shape == (3, 5) for values in out.values())
    for i, x in enumerate(histories):
        assert out["naive2"][i] == pytest.approx(M.naive2(x, 5, 12))
        assert out["seasonal_naive"][i] == pytest.approx(M.seasonal_naive(x, 5, 12))
        assert out["theta"][i] == pytest.approx(theta_forecast(x, 5, 12))
    assert not [note for note in notes if "used" in note]


def test_series_theta_cannot_fit_fall_back_to_naive2_and_are_named():
    histories = [np.full(30, 4.0), np.array([1.0, 2.0, 4.0]), np.arange(1.0, 31.0)]
    notes = []
    out = comparator_forecasts(histories, 3, 4, notes=notes, names=["flat", "short", "line"])
    assert out["theta"][0].tolist() == [4.0] * 3                      # Naive2 of 4, 4, ...
    assert out["theta"][1].tolist() == [4.0] * 3                      # Naive2 of 1, 2, 4
    assert out["seasonal_naive"][1].tolist() == [4.0] * 3             # Naive1: < 1 season
    fallbacks = [note for note in notes if "used" in note]
    assert len(fallbacks) == 3
    assert fallbacks[0].startswith("Series flat, Theta:") and "constant" in fallbacks[0]
    assert any(note.startswith("Series short, Theta: 3 values") for note in fallbacks)
    assert any(note.startswith("Series short, seasonal naive: 3 values of history")
               and note.endswith("Naive1's forecast was used in its place.")
               for note in fallbacks)


def test_a_process_pool_gives_the_same_forecasts():
    rng = np.random.default_rng(1)
    histories = [50 + rng.standard_normal(40 + i).cumsum() for i in range(60)]
    one = comparator_forecasts(histories, 4, 6, methods=("naive2", "seasonal_naive"))
    two = comparator_forecasts(histories, 4, 6, methods=("naive2", "seasonal_naive"),
                               workers=2)
    for name in one:
        assert np.array_equal(one[name], two[name])


def test_the_process_pool_is_started_without_a_plain_fork(monkeypatch):
    import concurrent.futures
    import multiprocessing

    started = []

    class Recorded(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, mp_context=None, **kwargs):
            started.append((mp_context or multiprocessing).get_start_method())
            super().__init__(*args, mp_context=mp_context, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recorded)
    rng = np.random.default_rng(2)
    histories = [50 + rng.standard_normal(30 + i % 7).cumsum() for i in range(50)]
    methods = ("naive1", "theta")
    notes_one, notes_two = [], []
    one = comparator_forecasts(histories, 3, 4, methods=methods, notes=notes_one)
    two = comparator_forecasts(histories, 3, 4, methods=methods, workers=2, notes=notes_two)
    assert len(started) == 1 and started[0] != "fork"
    assert all(np.array_equal(one[name], two[name]) for name in methods)
    assert notes_one == notes_two


def test_comparators_refuse_what_they_cannot_forecast():
    with pytest.raises(EngineError, match="Unknown comparator ets"):
        comparator_forecasts([[1.0, 2.0]], 2, 1, methods=("ets",))
    with pytest.raises(EngineError, match="Series 1's history"):
        comparator_forecasts([[1.0, 2.0], [1.0, np.nan]], 2, 1)
    with pytest.raises(EngineError, match="at least 1 step"):
        comparator_forecasts([[1.0, 2.0]], 0, 1)
    assert comparator_forecasts(np.ones((2, 3)), 2, 1, methods=("naive1",))["naive1"] \
        .tolist() == [[1.0, 1.0], [1.0, 1.0]]
