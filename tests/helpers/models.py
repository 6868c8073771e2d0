"""Small data and untrained models for the export, forecast and calculator tests."""

import numpy as np
import pandas as pd

from engine.data import default_config, load_table, prepare_training
from engine.model.forecaster import Forecaster
from engine.network.recurrent import RecurrentNetwork


def series_frame(rows=90, seed=0, gaps=()):
    """Monthly rows: seasonal ``y`` with a trend, an input ``x`` and a positive ``w``."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows)
    x = np.sin(2 * np.pi * t / 12 + 0.3) + 0.1 * rng.standard_normal(rows)
    y = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + 2 * x + rng.standard_normal(rows)
    w = 50 + 5 * np.cos(2 * np.pi * t / 6) + rng.standard_normal(rows)
    frame = pd.DataFrame({"month": pd.date_range("2012-01-01", periods=rows, freq="MS")
                          .strftime("%Y-%m-%d"), "y": np.round(y, 3), "x": np.round(x, 4),
                          "w": np.round(w, 3)})
    for row, column in gaps:
        frame.loc[row, column] = np.nan
    return frame


def untrained_model(csv, targets, cell, hidden, transform="none", horizon=1, lookback=6,
                    role="input_target", activation="tanh", dtype="float64", inputs=None,
                    linear_path=False, **settings):
    """A model file in memory: preprocessing fitted on ``csv``, a seeded untrained network
    (its predictions are as good a test of the arithmetic as a trained one's), with a
    linear path over the window when ``linear_path``."""
    table = load_table(csv)
    config = default_config(table, targets, target_role=role, lookback=lookback,
                            horizon=horizon, target_transform=transform, period=12, **settings)
    if inputs is not None:
        for v in config.variables:
            if v.role == "input" and v.name not in inputs:
                v.role = "unused"
    fitted = prepare_training(table, config).fitted
    network = RecurrentNetwork(cell, fitted.n_inputs, hidden, fitted.n_outputs,
                               activation=activation, dtype=dtype, seed=7,
                               linear_path=linear_path, lookback=lookback)
    network.load_state_dict(network.state_dict())   # its seeded weights stand for trained ones
    return Forecaster(network, {"preprocessing": fitted.to_dict(), "metadata": {}})


def seasonal_frame(rows=96, seed=0):
    """Monthly rows from 2012-01: a seasonal target ``y`` with a trend, a related input
    ``x``, and a text column ``note`` (one distinct label per row)."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows)
    x = np.sin(2 * np.pi * t / 12 + 0.3) + 0.1 * rng.standard_normal(rows)
    y = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + 2 * x + rng.standard_normal(rows)
    return pd.DataFrame({"month": pd.date_range("2012-01-01", periods=rows, freq="MS")
                         .strftime("%Y-%m-%d"),
                         "y": np.round(y, 3), "x": np.round(x, 4),
                         "note": [f"entry {k}" for k in range(rows)]})


class ZeroChange:
    """Outputs the scaled value of a transformed target of 0 for every output."""

    def __init__(self, fitted):
        scaler = fitted.scaler(fitted.target_names[0])
        self.value = (0.0 - scaler.center) / scaler.scale
        self.n_outputs = fitted.n_outputs

    def predict(self, X):
        return np.full((len(X), self.n_outputs), self.value)


def naive_model(frame, transform, horizon=1, intervals=False):
    """A :class:`Forecaster` of the seasonal frame (lookback 6, period 12, testing from
    2019-01) whose network is :class:`ZeroChange`, and the prepared data."""
    from engine.testing.intervals import selection_intervals

    table = load_table(frame)
    config = default_config(table, ["y"], lookback=6, horizon=horizon,
                            target_transform=transform, period=12)
    config = config.with_roles(x="unused", note="unused")
    config.split.test_from = "2019-01-01"
    prepared = prepare_training(table, config)
    network = ZeroChange(prepared.fitted)
    metadata = {"testing": {"from": "2019-01-01"}}
    if intervals:
        metadata["intervals"] = selection_intervals(network, prepared)
    return Forecaster(network, {"preprocessing": prepared.fitted.to_dict(),
                                "metadata": metadata}), prepared
