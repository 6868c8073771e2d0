"""The KPSS test of a level that drifts (engine.data.stationarity)."""

import numpy as np
import pandas as pd

from engine.data.stationarity import DRIFT_P, MIN_VALUES, drifting_targets, level_drift


def _noise(n=300, seed=0):
    return np.random.default_rng(seed).normal(size=n)


def test_a_random_walk_and_a_trend_drift():
    walk = 100 + np.cumsum(_noise(seed=1))
    trend = 0.05 * np.arange(300) + _noise(seed=2)
    for values in (walk, trend):
        p_value = level_drift(values)
        assert p_value is not None and p_value < DRIFT_P


def test_noise_and_a_stationary_cycle_keep_their_level():
    t = np.arange(240)
    cycle = 10 + 3 * np.sin(2 * np.pi * t / 12) + _noise(240, seed=3)
    assert level_drift(_noise(seed=4)) is None
    assert level_drift(cycle) is None


def test_short_constant_and_missing_values():
    walk = np.cumsum(_noise(seed=1))
    assert level_drift(walk[:MIN_VALUES - 1]) is None              # too few to test
    assert level_drift(np.full(50, 7.0)) is None                   # nothing moves
    gappy = walk.copy()
    gappy[::10] = np.nan                                           # left out, not failed
    assert level_drift(gappy) is not None
    assert level_drift(np.r_[walk[:MIN_VALUES - 1], [np.nan] * 30]) is None


def test_drifting_targets_names_only_the_drifting_columns():
    frame = pd.DataFrame({"walk": 50 + np.cumsum(_noise(seed=1)), "noise": _noise(seed=4)})
    found = drifting_targets(frame, ["walk", "noise"])
    assert list(found) == ["walk"] and found["walk"] < DRIFT_P
