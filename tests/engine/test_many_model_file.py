"""The model file of a global model (engine.many.model_file): a round trip forecasts alike,
each kind of file is refused by the other kind's loader with a message that says so, an
edited header is refused, and a failed save leaves an existing file as it was."""

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many.fitting import fit_global
from engine.many.global_model import GlobalSettings
from engine.many.model_file import load_global_model, save_global_model
from engine.many.series_data import from_frame
from engine.model.model_file import holds_many_series, load_model, save_model
from helpers.model_files import header_of, members_of, rewrite_header
from helpers.models import seasonal_frame, untrained_model


def _data():
    rng = np.random.default_rng(2)
    t = np.arange(36)
    frame = pd.DataFrame({
        "id": np.repeat(["H1", "H2", "H3"], 36),
        "y": np.concatenate([level + 5 * np.sin(2 * np.pi * t / 4) + rng.normal(size=36)
                             for level in (20.0, 200.0, 2000.0)]),
        "x": rng.normal(size=108)})
    return from_frame(frame, "id", ["y"], inputs=["x"])


@pytest.fixture(scope="module")
def model_and_data():
    data = _data()
    model = fit_global(data, GlobalSettings(horizon=3, test_last=3, season=4, lookback=6,
                                            hidden_sizes=(5,), max_epochs=3, batch_size=16,
                                            learning_rate=0.01, seed=1))
    return model, data


@pytest.fixture
def saved(model_and_data, tmp_path):
    model, _ = model_and_data
    path = tmp_path / "global.npz"
    save_global_model(path, model, metadata={"data": "long.csv"})
    return path


def test_round_trip_forecasts_alike(model_and_data, saved):
    model, data = model_and_data
    loaded = load_global_model(saved)
    assert holds_many_series(saved)
    assert loaded.ids == ["H1", "H2", "H3"]
    assert loaded.target_names == ["y"] and loaded.input_names == ["x"]
    assert (loaded.horizon, loaded.lookback) == (3, 6)
    assert loaded.settings["season"] == 4
    for name in ("log", "magnitude", "scale", "input_mean", "input_std"):
        assert getattr(loaded.scaling, name).tolist() == getattr(model.scaling, name).tolist()
    for level in (0.8, 0.9, 0.95):
        expected = model.forecast(data, level=level)
        got = loaded.forecast(data, level=level)
        for a, b in zip(expected, got):                 # NaN: a level too few windows left
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_a_single_series_command_refuses_a_global_model(saved):
    with pytest.raises(EngineError, match="holds a model of many series"):
        load_model(saved)


@pytest.fixture
def single_series_model(tmp_path):
    csv = tmp_path / "series.csv"
    seasonal_frame().to_csv(csv, index=False)
    model = untrained_model(csv, ["y"], "gru", [4])
    path = tmp_path / "single.npz"
    save_model(path, model.network, model.preprocessing)
    return path


def test_load_global_model_refuses_a_single_series_model(single_series_model):
    assert not holds_many_series(single_series_model)
    with pytest.raises(EngineError, match="is no model of many series"):
        load_global_model(single_series_model)


def test_an_edited_scale_is_refused_by_the_checksum(saved):
    members = members_of(saved)
    header = header_of(members)
    header["many_series"]["scaling"]["scale"][1][0] *= 2
    rewrite_header(saved, header, members, checksum=False)
    with pytest.raises(EngineError, match="changed after it was written.*checksum does not "
                                          "match"):
        load_global_model(saved)


def test_an_edited_header_with_a_new_checksum_is_still_checked(saved):
    members = members_of(saved)
    header = header_of(members)
    header["many_series"]["scaling"]["scale"][1][0] = -1.0
    rewrite_header(saved, header, members, checksum=True)
    with pytest.raises(EngineError, match="invalid header.*scale must be finite and above 0"):
        load_global_model(saved)
    header["many_series"]["scaling"]["scale"][1][0] = 1.0
    header["many_series"]["ids"] = ["H1", "H2"]             # one row per series no more
    rewrite_header(saved, header, members, checksum=True)
    with pytest.raises(EngineError, match="one row per series"):
        load_global_model(saved)


def test_a_save_that_fails_leaves_the_existing_file_untouched(saved):
    before = saved.read_bytes()
    # a scale the loader refuses: written to a temporary file, which does not load back
    bad_scale = fit_global(_data(), GlobalSettings(horizon=3, season=4, lookback=6,
                                                   hidden_sizes=(4,), max_epochs=1))
    bad_scale.scaling.scale[0, 0] = 0.0
    with pytest.raises(EngineError, match="was left as it was"):
        save_global_model(saved, bad_scale)
    assert saved.read_bytes() == before
    # weights that are not finite: refused before anything is written
    bad_scale.scaling.scale[0, 0] = 1.0
    bad_scale.network.parameters_.views["head.bias"][0] = np.nan
    with pytest.raises(EngineError, match="NaN or infinite values. Nothing was written"):
        save_global_model(saved, bad_scale)
    assert saved.read_bytes() == before
    assert sorted(p.name for p in saved.parent.iterdir()) == ["global.npz"]
