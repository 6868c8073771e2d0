"""The Forecaster's surface: the target offsets, reading a file as the model expects, one
step predictions and the vectorized recursive forecast from many origins at once."""

import numpy as np
import pytest

from engine.data import default_config, load_table, prepare_training
from engine.data.windows import target_offsets
from engine.errors import EngineError
from engine.model.forecaster import Forecaster
from engine.model.model_file import load_model, save_model
from engine.network.recurrent import RecurrentNetwork
from helpers.models import series_frame, untrained_model


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "series.csv"
    series_frame(80).to_csv(path, index=False)
    return path


def test_target_offsets_for_horizon_zero_and_more():
    np.testing.assert_array_equal(target_offsets(0), [0])
    np.testing.assert_array_equal(target_offsets(1), [1])
    np.testing.assert_array_equal(target_offsets(3), [1, 2, 3])


@pytest.mark.parametrize("horizon,role,expected", [(0, "target", [0]),
                                                    (1, "input_target", [1]),
                                                    (3, "input_target", [1, 2, 3])])
def test_the_forecaster_offsets_lookback_and_horizon(csv, horizon, role, expected):
    model = untrained_model(csv, ["y"], "gru", [3], horizon=horizon, role=role, lookback=4)
    np.testing.assert_array_equal(model.target_offsets, expected)
    assert (model.lookback, model.horizon, model.target_names) == (4, horizon, ["y"])


def test_load_model_parses_the_preprocessing_once(csv, tmp_path):
    model = untrained_model(csv, ["y"], "gru", [3])
    path = tmp_path / "model.npz"
    save_model(path, model.network, model.preprocessing, {"note": "x"})
    loaded = load_model(path)
    assert isinstance(loaded, Forecaster)
    assert loaded.preprocessing is loaded.preprocessing
    assert loaded.preprocessing.to_dict() == model.preprocessing.to_dict()
    assert loaded.metadata == {"note": "x"}


def test_read_csv_of_another_delimiter_gives_the_same_predictions(csv, tmp_path):
    model = untrained_model(csv, ["y"], "lstm", [4], "difference", horizon=2)
    other = tmp_path / "semicolons.csv"
    series_frame(80).to_csv(other, index=False, sep=";", decimal=",")
    assert model.csv_options(other).delimiter == ";"
    windows, values = model.predict(model.read_csv(csv))
    other_windows, other_values = model.predict(model.read_csv(other))
    np.testing.assert_array_equal(windows.rows, other_windows.rows)
    np.testing.assert_array_equal(values, other_values)
    frame = model.read_csv(csv)
    assert model.read_csv(frame) is frame


def test_predict_of_chosen_windows_equals_the_same_rows_of_all(csv):
    model = untrained_model(csv, ["y"], "gru", [4], "seasonal_difference", horizon=3)
    frame = model.read_csv(csv)
    windows, values = model.predict(frame)
    chosen = np.array([5, 0, 17])
    _, some = model.predict(windows, chosen)
    np.testing.assert_array_equal(some, values[chosen])
    assert model.predict(windows, np.array([], dtype=int))[1].shape == (0, 3, 1)


@pytest.mark.parametrize("transform,role", [("none", "input_target"),
                                            ("seasonal_difference", "input_target"),
                                            ("log_difference", "input_target"),
                                            ("difference", "target")])
def test_a_forecast_from_several_origins_equals_each_origin_alone(csv, transform, role):
    model = untrained_model(csv, ["y"], "gru", [5], transform, role=role)
    frame = model.read_csv(csv)
    origins = [30, 41, 55, 70]
    values, truth = model.forecast(frame, origins, 6)
    assert values.shape == truth.shape == (4, 6, 1)
    for i, origin in enumerate(origins):
        alone, alone_truth = model.forecast(frame, [origin], 6)
        # a batch of 4 windows and one of 1 may round the network's sums differently
        np.testing.assert_allclose(values[i], alone[0], rtol=1e-12)
        np.testing.assert_array_equal(truth[i], alone_truth[0])
        steps = 6 if role == "input_target" else min(6, 80 - origin)
        single = model.forecast_from(frame.iloc[:origin + steps], origin, steps)
        np.testing.assert_array_equal(single.values, alone[0][:steps])


def test_forecast_from_explains_what_it_cannot_do(csv):
    model = untrained_model(csv, ["y"], "gru", [3], lookback=6)
    frame = model.read_csv(csv)
    with pytest.raises(EngineError, match="needs 6 rows before it"):
        model.forecast_from(frame, 3, 2)
    with pytest.raises(EngineError, match="other inputs up to row 80"):
        model.forecast_from(frame, 78, 4)
    with pytest.raises(EngineError, match="at least 1"):
        model.forecast(frame, [20], 0)


def test_a_forecaster_made_from_a_training(csv):
    table = load_table(csv)
    config = default_config(table, ["y"], lookback=5, horizon=1)
    prepared = prepare_training(table, config)
    network = RecurrentNetwork("rnn", prepared.n_inputs, [3], prepared.n_outputs, seed=1)
    network.load_state_dict(network.state_dict())   # its seeded weights stand for trained ones
    model = Forecaster(network, {"preprocessing": prepared.fitted.to_dict(), "metadata": {}},
                       prepared.fitted)
    assert model.preprocessing is prepared.fitted
    _, values = model.predict(prepared.table.frame)
    outputs = network.predict(prepared.X_test)
    np.testing.assert_array_equal(values[-len(outputs) - 1:-1, 0],
                                  prepared.inverse(outputs)[:, 0])
