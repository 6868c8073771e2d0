"""Settings and fitted preprocessing as plain JSON-able dicts; default roles."""

import json

import numpy as np
import pytest

from engine.errors import EngineError
from engine.data import (CsvOptions, DatasetConfig, FittedPreprocessing, SplitSettings,
                         VariableSpec, default_config, load_table, prediction_windows,
                         prepare_training)

from helpers.examples import example_csv


def test_config_round_trip_through_json():
    cfg = DatasetConfig(csv=CsvOptions(delimiter=";", decimal=",", header=True,
                                       encoding="cp1252", time_column="when"),
                        variables=[VariableSpec("when", "time", "datetime", "none"),
                                   VariableSpec("kind", "input", "categorical", "none"),
                                   VariableSpec("y", "input_target", "numeric", "log")],
                        missing="median", target_transform="log_seasonal_difference",
                        period=7, lookback=14, horizon=3,
                        split=SplitSettings("chronological", (0.7, 0.1, 0.2), "2020-05-01"))
    data = json.loads(json.dumps(cfg.to_dict()))
    assert DatasetConfig.from_dict(data) == cfg
    assert data["split"] == {"method": "chronological", "fractions": [0.7, 0.1, 0.2],
                             "test_from": "2020-05-01", "seed": 0}
    assert data["variables"][2] == {"name": "y", "role": "input_target", "type": "numeric",
                                    "scaler": "log"}


def test_config_errors():
    with pytest.raises(EngineError, match="Unknown role"):
        VariableSpec("x", "output")
    with pytest.raises(EngineError, match="add up to 1"):
        SplitSettings(fractions=(0.5, 0.2, 0.2))
    with pytest.raises(EngineError, match="not data-set settings"):
        DatasetConfig.from_dict({"format": "something else"})
    with pytest.raises(EngineError, match="Unknown CSV option"):
        DatasetConfig.from_dict({"csv": {"sep": ","}})


@pytest.mark.parametrize("name, value, least", [
    ("lookback", "12", 1), ("lookback", 12.5, 1), ("lookback", 0, 1), ("lookback", True, 1),
    ("horizon", "1", 0), ("horizon", 1.5, 0), ("horizon", -1, 0), ("period", 0, 1),
    ("period", "12", 1)])
def test_window_settings_are_whole_numbers_never_rounded(name, value, least):
    """Made, copied with a change, or set afterwards and then prepared: text or a fraction
    is an EngineError naming the setting (not a TypeError in the windows, nor 12.5 -> 12)."""
    from dataclasses import replace

    table = load_table(example_csv("airline_passengers.csv"))
    config = default_config(table, ["passengers"], lookback=12)
    message = rf"{name} must be a whole number of at least {least}; got {value!r}\."
    with pytest.raises(EngineError, match=message):
        replace(config, **{name: value})
    setattr(config, name, value)
    with pytest.raises(EngineError, match=message):
        prepare_training(table, config)
    if name != "period":
        with pytest.raises(EngineError, match=message):
            default_config(table, ["passengers"], **{name: value})


def test_a_frame_without_the_time_column_of_the_settings_is_named():
    table = load_table(example_csv("airline_passengers.csv"))
    config = default_config(table, ["passengers"], lookback=12)
    with pytest.raises(EngineError, match="Unknown time column 'month'; the file's columns "
                                          "are: 'passengers'"):
        prepare_training(table.frame.drop(columns=["month"]), config)


def test_default_roles_for_seattle_weather():
    table = load_table(example_csv("seattle_weather_daily.csv"))
    cfg = default_config(table, ["temp_max"], lookback=7)
    roles = {v.name: v.role for v in cfg.variables}
    assert roles == {"date": "time", "precipitation": "input", "temp_max": "input_target",
                     "temp_min": "input", "wind": "input", "weather": "input"}
    assert cfg.variable("weather").type == "categorical"
    with pytest.raises(EngineError, match="'weather' holds categorical values, so it cannot "
                                          "be a target; choose a numeric column or make it "
                                          "an input \\(one-hot\\)"):
        default_config(table, ["weather"], lookback=7)
    with pytest.raises(EngineError, match="Unknown target column"):
        default_config(table, ["rainfall"], lookback=7)


def test_unknown_column_in_config():
    table = load_table(example_csv("airline_passengers.csv"))
    cfg = default_config(table, ["passengers"], lookback=3)
    cfg.variables.append(VariableSpec("revenue", "input"))
    with pytest.raises(EngineError, match="Unknown column 'revenue'.*'month', 'passengers'"):
        prepare_training(table, cfg)


def test_fitted_preprocessing_round_trip_predicts_the_same():
    table = load_table(example_csv("seattle_weather_daily.csv"))
    cfg = default_config(table, ["temp_max"], lookback=5, horizon=2,
                         target_transform="difference")
    data = prepare_training(example_csv("seattle_weather_daily.csv"), cfg)
    stored = json.loads(json.dumps(data.fitted.to_dict()))
    again = FittedPreprocessing.from_dict(stored)
    assert again.to_dict() == stored
    assert again.n_inputs == 4 + len(cfg.variable("weather") and
                                     [c for c in table.columns if c.name == "weather"][0]
                                     .categories)
    assert stored["outputs"] == [{"variable": "temp_max", "step": 1},
                                 {"variable": "temp_max", "step": 2}]
    a = prediction_windows(data.fitted, table.frame)
    b = prediction_windows(again, table.frame)
    np.testing.assert_array_equal(a.anchors, b.anchors)
    np.testing.assert_array_equal(np.asarray(a.X), np.asarray(b.X))
    # the training windows and the prediction windows agree row for row
    t = data.anchors["training"][10]
    k = int(np.flatnonzero(a.anchors == t)[0])
    np.testing.assert_array_equal(a.X[k], data.X_train[10])


def test_damaged_fitted_dict():
    table = load_table(example_csv("airline_passengers.csv"))
    data = prepare_training(table, default_config(table, ["passengers"], lookback=3))
    stored = data.fitted.to_dict()
    stored["outputs"] = [{"variable": "passengers", "step": 2}]
    with pytest.raises(EngineError, match="damaged"):
        FittedPreprocessing.from_dict(stored)
    with pytest.raises(EngineError, match="not a fitted preprocessing"):
        FittedPreprocessing.from_dict({"lookback": 3})
