"""A recursive global model: a network of fewer steps at once than the horizon, whose
forecasts go on block by block from its own forecasts. Its windows are trained on ``b``
steps, the same rows are held out for selection and testing as for a direct model, and
every forecast of all ``H`` steps (the forecast file, the scores, the model file) is the
block recursion."""

from dataclasses import replace

import numpy as np
import pytest

from engine.errors import EngineError
from engine.many.evaluation import evaluate_global
from engine.many.fitting import fit_global
from engine.many.forecasting import _extended, forecast_before, forecast_frame
from engine.many.global_model import GlobalSettings, global_windows
from engine.many.model_file import load_global_model, save_global_model
from engine.many.series_data import from_frame
from helpers.many_series import long_frame, seasonal

SETTINGS = GlobalSettings(horizon=8, test_last=8, season=4, lookback=16, fold=4, block=4,
                          hidden_sizes=(4,), max_epochs=2, batch_size=64, members=1)


@pytest.fixture(scope="module")
def data():
    return from_frame(long_frame({f"s{k}": seasonal(90 + 5 * k, 100 * (k + 1), k)
                                  for k in range(3)}), "id", ["y"])


@pytest.fixture(scope="module")
def model(data):
    return fit_global(data, SETTINGS)


def test_the_windows_give_the_block_and_the_selection_rows_are_the_horizons(data):
    direct = global_windows(data, replace(SETTINGS, block=None))
    block = global_windows(data, SETTINGS)
    assert direct.Y.shape[1] == 8 and block.Y.shape[1] == 4
    # the same rows are held out: per series, the selection windows' last targets are
    # the 8 rows before the testing part in both, so 8 of them per series
    assert len(block.X_sel) == len(direct.X_sel) == 3 * 8
    # the first 4 targets of the direct windows are the block windows' targets
    same = np.isin(block.X.positions, direct.X.positions)
    assert same.any()
    rows = {a: k for k, a in enumerate(direct.X.positions)}
    for k in np.flatnonzero(same)[:5]:
        assert np.allclose(block.Y[k], direct.Y[rows[block.X.positions[k]]][:4])


def test_a_forecast_of_h_steps_is_two_blocks_fed_the_first(model, data):
    assert (model.horizon, model.steps, model.recursive) == (4, 8, True)
    assert model.reach() == "8 steps ahead, 4 at once, each block from the forecasts " \
                            "before it"
    first, _, _, ok = model.forecast(data)
    assert ok.all()
    second, _, _, _ = model.forecast(_extended(data, first))
    frame, notes = forecast_frame(model, data, 8)
    values = frame["y"].to_numpy().reshape(3, 8)
    assert np.allclose(values[:, :4], first[:, :, 0])
    assert np.allclose(values[:, 4:], second[:, :, 0])
    assert any("own forecasts" in note for note in notes)
    for steps in (2.5, "8", 0):
        with pytest.raises(EngineError, match=r"^steps \(the number of steps to forecast\) "
                                              rf"must be a whole number from 1 to 10,000; "
                                              rf"got {steps!r}\.$"):
            forecast_frame(model, data, steps)


def test_the_scores_are_of_every_step_of_the_recursion(model, data):
    evaluation = evaluate_global(model, data, 8)
    assert evaluation.steps == 8
    expected, _, _, ok = forecast_before(model, data, 8, 8)
    assert ok.all()
    assert np.allclose(evaluation.forecasts["network"], expected[:, :, 0])
    # from the rows before the testing part only: the testing rows changed, same forecast
    changed = replace(data, targets=data.targets.copy())
    for i in range(data.n_series):
        changed.targets[data.rows(i)][-8:] += 50.0
    assert np.allclose(evaluate_global(model, changed, 8).forecasts["network"],
                       evaluation.forecasts["network"])


def test_the_model_file_keeps_the_block_and_the_horizon(model, data, tmp_path):
    path = tmp_path / "recursive.npz"
    save_global_model(path, model)
    loaded = load_global_model(path)
    assert (loaded.horizon, loaded.steps) == (4, 8)
    assert np.allclose(forecast_frame(loaded, data, 8)[0]["y"],
                       forecast_frame(model, data, 8)[0]["y"])


def test_a_block_is_refused_with_inputs_and_out_of_range(data):
    with_inputs = replace(data, inputs=np.ones((len(data.targets), 1)), input_names=["x"])
    with pytest.raises(EngineError, match="future values of its inputs"):
        global_windows(with_inputs, SETTINGS)
    with pytest.raises(EngineError, match="between 1 and the horizon"):
        replace(SETTINGS, block=9).check()
