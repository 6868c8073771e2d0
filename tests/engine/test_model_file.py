"""The model file: exact round trips, and a clear EngineError for every kind of bad file,
without ever unpickling."""

import io
import json
import os
import pickle
import zipfile
from datetime import datetime

import numpy as np
import pytest

import engine
from engine import RecurrentNetwork
from engine.data import FittedPreprocessing
from engine.errors import EngineError
from engine.model.model_file import (FORMAT_VERSION, load_model, read_model_header, save_model,
                                     weights_checksum)
from engine.network.parameters import parameter_shapes
from helpers.model_files import header_of, members_of, rewrite_header
from helpers.model_files import write_members as rewrite

PREPROCESSING = FittedPreprocessing(
    [{"name": "temperature", "role": "input", "type": "numeric",
      "scaler": {"method": "standard", "center": 11.5, "scale": 4.25}, "categories": [],
      "fill": None},
     {"name": "load", "role": "input_target", "type": "numeric",
      "scaler": {"method": "standard", "center": 310.0, "scale": 52.0}, "categories": [],
      "fill": None}],
    lookback=12, horizon=3, target_transform="difference").to_dict()
METADATA = {"epochs": 84, "stop_reason": "patience", "training_rmse": 0.125,
            "selection_rmse": 0.25}


def make_network(cell="gru", dtype="float64", hidden_sizes=(5, 4), activation="tanh"):
    return RecurrentNetwork(cell, n_inputs=2, hidden_sizes=hidden_sizes, n_outputs=3,
                            activation=activation, dtype=dtype, seed=3, n_threads=1)


@pytest.fixture
def model_path(tmp_path):
    path = tmp_path / "model.npz"
    save_model(path, make_network(), PREPROCESSING, METADATA)
    return path


def header_array(header):
    return np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)


# -- round trip ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("cell, activation", [("rnn", "relu"), ("gru", "tanh"),
                                              ("lstm", "tanh")])
def test_round_trip_gives_bit_identical_predictions_and_the_same_header(
        tmp_path, cell, activation, dtype):
    network = make_network(cell, dtype, activation=activation)
    X = np.random.default_rng(0).normal(size=(40, 6, 2))
    before = network.predict(X, untrained=True)
    written = save_model(tmp_path / "m.npz", network, PREPROCESSING, METADATA)
    model = load_model(tmp_path / "m.npz", n_threads=1)
    after = model.network.predict(X)
    assert after.dtype == np.dtype(dtype)
    assert after.tobytes() == before.tobytes()
    assert model.header == written
    assert model.header["preprocessing"] == PREPROCESSING and model.metadata == METADATA
    for name, array in network.state_dict().items():
        loaded = model.network.state_dict()[name]
        assert loaded.dtype == array.dtype and loaded.tobytes() == array.tobytes()
    assert model.network.get_params() == {**network.get_params(), "hidden_sizes": [5, 4]}


def test_header_holds_format_versions_time_settings_and_checksum(model_path):
    header = read_model_header(model_path)
    assert header["format"] == "rnn-studio-model"
    assert header["format_version"] == FORMAT_VERSION == 2
    assert header["application_version"] == engine.__version__
    assert datetime.fromisoformat(header["created"]).tzinfo is not None
    assert header["network"] == {"cell": "gru", "n_inputs": 2, "hidden_sizes": [5, 4],
                                 "n_outputs": 3, "activation": "tanh", "dtype": "float64",
                                 "seed": 3, "linear_path": False, "lookback": None}
    weights = make_network().state_dict()
    assert header["weights"] == {"count": sum(a.size for a in weights.values()),
                                 "sha256": weights_checksum(weights)}
    assert list(header)[-1] == "checksum" and len(header["checksum"]) == 64


def test_plain_numpy_reads_the_file_without_pickle(model_path):
    with np.load(model_path, allow_pickle=False) as npz:
        names = set(npz.files)
        header = json.loads(npz["header"].tobytes())
    assert names == set(make_network().state_dict()) | {"header"}
    assert header["preprocessing"] == PREPROCESSING


def test_metadata_is_optional_and_nan_becomes_null(tmp_path):
    save_model(tmp_path / "a.npz", make_network(), PREPROCESSING)
    assert load_model(tmp_path / "a.npz").metadata == {}
    save_model(tmp_path / "b.npz", make_network(), PREPROCESSING, {"loss": float("nan")})
    assert load_model(tmp_path / "b.npz").metadata == {"loss": None}


def test_failed_save_keeps_the_previous_file(model_path):
    before = model_path.read_bytes()
    with pytest.raises(EngineError, match="preprocessing"):
        save_model(model_path, make_network(hidden_sizes=[2]), {"scaler": object()})
    with pytest.raises(EngineError, match="must be a dict"):
        save_model(model_path, make_network(), None)
    with pytest.raises(EngineError, match="Only a RecurrentNetwork"):
        save_model(model_path, object(), {})
    assert model_path.read_bytes() == before
    assert [p.name for p in model_path.parent.iterdir()] == ["model.npz"]


# -- files that are not models ---------------------------------------------------------------

def test_missing_file_and_folder(tmp_path):
    with pytest.raises(EngineError, match="There is no model file at .*absent.npz"):
        load_model(tmp_path / "absent.npz")
    with pytest.raises(EngineError, match="is a folder"):
        load_model(tmp_path)


def write_csv(path):
    path.write_text("time,load\n1,2.5\n2,3.5\n")


def write_npy(path):
    with open(path, "wb") as handle:
        np.save(handle, np.arange(5.0))


def write_text_zip(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")


def write_npz_without_header(path):
    rewrite(path, {"rnn.weight_ih_l0": np.zeros((3, 2))})


def write_npz_of_weights_and_names(path):
    """As a many-series PyTorch export: weights beside arrays of text (the series)."""
    rewrite(path, {"rnn.weight_ih_l0": np.zeros((3, 2)), "series.ids": np.array(["001"])})


def write_npz_of_another_format(path):
    rewrite(path, {"header": header_array({"format": "something-else", "format_version": 1})})


def write_pickle(path):
    path.write_bytes(pickle.dumps({"weights": [1.0, 2.0]}))


@pytest.mark.parametrize("writer, message", [
    (write_csv, "is not an RNN Studio model file .it is a text file"),
    (write_npy, "is not an RNN Studio model file .it is a single NumPy array"),
    (write_pickle, "is not an RNN Studio model file .it looks like Python pickle"),
    (write_text_zip, "is not an RNN Studio model file: it contains 'readme.txt'"),
    (write_npz_without_header, "not an RNN Studio model file: it has no RNN Studio header"),
    (write_npz_of_weights_and_names, "not an RNN Studio model file: it has no RNN Studio "
                                     "header"),
    (write_npz_of_another_format, "not an RNN Studio model file: its header does not name"),
])
def test_files_that_are_not_models(tmp_path, writer, message):
    path = tmp_path / "file.npz"
    writer(path)
    with pytest.raises(EngineError, match=message):
        load_model(path)


def test_empty_file(tmp_path):
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(EngineError, match="is empty"):
        load_model(tmp_path / "empty.npz")


@pytest.mark.parametrize("fraction", [0.0001, 0.002, 0.01, 0.1, 0.5, 0.9, 0.99, 0.9999])
def test_truncated_files_are_reported_as_damaged(model_path, fraction):
    data = model_path.read_bytes()
    cut = max(1, int(len(data) * fraction))
    assert cut < len(data)
    model_path.write_bytes(data[:cut])
    with pytest.raises(EngineError, match="damaged or incomplete"):
        load_model(model_path)


def test_a_flipped_byte_in_the_weights_is_detected(model_path):
    data = bytearray(model_path.read_bytes())
    position = data.index(b"rnn.weight_hh_l0.npy") + 400  # inside its 600 bytes of values
    data[position] ^= 0x01
    model_path.write_bytes(bytes(data))
    with pytest.raises(EngineError, match="damaged|checksum"):
        load_model(model_path)


def test_altered_weights_fail_the_checksum(model_path):
    members = members_of(model_path)
    weight = members["rnn.weight_hh_l1"]
    weight[0, 0] = np.nextafter(weight[0, 0], np.inf)
    rewrite(model_path, members)
    with pytest.raises(EngineError, match="was changed after it was written .its checksum "
                                          "does not match its contents.: it was edited"):
        load_model(model_path)


def test_a_newer_format_version_asks_for_an_update(model_path):
    members = members_of(model_path)
    header = json.loads(members["header"].tobytes())
    header["format_version"] = FORMAT_VERSION + 1
    header["application_version"] = "9.0.0"
    rewrite(model_path, {**members, "header": header_array(header)})
    for reader in (load_model, read_model_header):
        with pytest.raises(EngineError, match="made by a newer version of RNN Studio 9.0.0.*"
                                              "Update RNN Studio"):
            reader(model_path)


@pytest.mark.parametrize("change, message", [
    ({"hidden_sizes": [6, 4]}, r"rnn.weight_ih_l0 has shape \(15, 2\) instead of \(18, 2\)"),
    ({"hidden_sizes": [5]}, "unexpected rnn.bias_hh_l1"),
    ({"cell": "lstm"}, r"has shape \(15, 2\) instead of \(20, 2\)"),
    ({"dtype": "float32"}, "holds float64 instead of float32"),
    ({"n_outputs": 1}, "head.weight has shape"),
])
def test_weights_that_do_not_fit_the_declared_architecture(model_path, change, message):
    members = members_of(model_path)
    header = header_of(members)
    header["network"].update(change)
    rewrite_header(model_path, header, members)
    with pytest.raises(EngineError, match="do not fit the network its header declares: "
                                          ".*" + message):
        load_model(model_path)


def test_a_missing_weight_is_named(model_path):
    members = members_of(model_path)
    del members["head.bias"]
    rewrite_header(model_path, header_of(members), members)
    with pytest.raises(EngineError, match="missing head.bias"):
        load_model(model_path)


@pytest.mark.parametrize("change", [{"cell": "transformer"}, {"hidden_sizes": []},
                                    {"n_inputs": "2"}, {"seed": -1}])
def test_an_invalid_declared_network(model_path, change):
    members = members_of(model_path)
    header = header_of(members)
    header["network"].update(change)
    rewrite_header(model_path, header, members)
    with pytest.raises(EngineError, match="declares an invalid network"):
        load_model(model_path)


def declared_only(path, members, declared):
    """A zip at ``path`` with ``members`` (name -> array) written in full and ``declared``
    (name -> (shape, dtype)) as ``.npy`` headers whose data is missing: a small file that
    announces huge arrays."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in members.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
        for name, (shape, dtype) in declared.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array_header_2_0(
                    member, {"descr": np.dtype(dtype).str, "fortran_order": False,
                             "shape": shape})
                member.write(b"\0" * 64)


def test_a_huge_declared_header_is_refused_before_it_is_read(model_path):
    members = members_of(model_path)
    del members["header"]
    declared_only(model_path, members, {"header": ((40 * 2**30,), np.uint8)})
    assert model_path.stat().st_size < 10_000
    for load in (load_model, read_model_header):
        with pytest.raises(EngineError, match="declares a header of 42,949,672,960 bytes"):
            load(model_path)


def test_a_huge_declared_network_is_refused_before_its_weights_are_read(model_path):
    members = members_of(model_path)
    header = json.loads(members["header"].tobytes())
    header["network"]["hidden_sizes"] = [30000]
    huge = {name: (shape, np.float64) for name, shape in
            parameter_shapes("gru", 2, [30000], 3).items()}
    declared_only(model_path, {"header": header_array(header)}, huge)
    with pytest.raises(EngineError, match="declares arrays of 2,700,.* numbers, more "
                                          "than the 100,000,000"):
        load_model(model_path)


# -- pickled content must never be unpickled -------------------------------------------------

class Payload:
    """Unpickling this creates the file ``marker``: proof that code from a file ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def object_array(marker):
    array = np.empty(1, dtype=object)
    array[0] = Payload(marker)
    return array


def test_the_payload_runs_code_when_unpickled(tmp_path):
    marker = tmp_path / "control-marker"
    buffer = io.BytesIO()
    np.savez(buffer, evil=object_array(marker), allow_pickle=True)
    buffer.seek(0)
    np.load(buffer, allow_pickle=True)["evil"][0].close()
    assert marker.exists()              # so the refusals below are a real protection


@pytest.mark.parametrize("member", ["header", "rnn.weight_ih_l0", "extra"])
def test_object_arrays_are_refused_without_unpickling(model_path, tmp_path, member):
    marker = tmp_path / "marker"
    members = members_of(model_path)
    members[member] = object_array(marker)
    with open(model_path, "wb") as handle:
        np.savez(handle, allow_pickle=True, **members)
    with pytest.raises(EngineError, match="Python objects .*could only be read by unpickling"):
        load_model(model_path)
    with pytest.raises(EngineError):
        read_model_header(model_path)
    assert not marker.exists()


def test_a_pickle_file_and_a_pickle_inside_a_zip_are_refused(tmp_path):
    marker = tmp_path / "marker"
    (tmp_path / "model.pkl").write_bytes(pickle.dumps(Payload(marker)))
    with pytest.raises(EngineError, match="pickle"):
        load_model(tmp_path / "model.pkl")
    with zipfile.ZipFile(tmp_path / "model.npz", "w") as archive:
        archive.writestr("header.npy", pickle.dumps(Payload(marker)))
    with pytest.raises(EngineError):
        load_model(tmp_path / "model.npz")
    assert not marker.exists()


# -- the checksum ----------------------------------------------------------------------------

def test_checksum_ignores_order_and_byte_order_but_sees_every_change():
    weights = {"a": np.arange(6.0).reshape(2, 3), "b": np.ones(2, dtype=np.float32)}
    reference = weights_checksum(weights)
    assert weights_checksum({"b": weights["b"], "a": weights["a"]}) == reference
    assert weights_checksum({**weights, "a": weights["a"].astype(">f8")}) == reference
    assert weights_checksum({**weights, "a": np.asfortranarray(weights["a"])}) == reference
    changed = [
        {**weights, "a": weights["a"] + np.eye(2, 3) * 1e-12},
        {**weights, "a": weights["a"].reshape(3, 2)},
        {**weights, "a": weights["a"].astype(np.float32)},
        {"c": weights["a"], "b": weights["b"]},
    ]
    assert len({reference, *(weights_checksum(w) for w in changed)}) == 5


def test_unreadable_file_gives_an_engine_error(model_path):
    if os.name == "nt" or os.geteuid() == 0:
        pytest.skip("permissions do not stop this user")
    model_path.chmod(0)
    with pytest.raises(EngineError, match="Could not read"):
        load_model(model_path)


# -- the linear path -------------------------------------------------------------------------

def linear_path_network(dtype="float64"):
    network = RecurrentNetwork("gru", n_inputs=2, hidden_sizes=[4], n_outputs=3, dtype=dtype,
                               seed=5, n_threads=1, linear_path=True, lookback=12)
    network.parameters_.views["ar.weight"][...] += 0.5      # not the initial draw
    return network


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_linear_path_model_round_trips(tmp_path, dtype):
    network = linear_path_network(dtype)
    X = np.random.default_rng(1).normal(size=(30, 12, 2))
    before = network.predict(X, untrained=True)
    header = save_model(tmp_path / "m.npz", network, PREPROCESSING, METADATA)
    assert header["network"]["linear_path"] is True and header["network"]["lookback"] == 12
    model = load_model(tmp_path / "m.npz", n_threads=1)
    assert model.network.linear_path is True and model.network.lookback == 12
    assert model.network.predict(X).tobytes() == before.tobytes()
    assert np.array_equal(model.network.state_dict()["ar.weight"],
                          network.state_dict()["ar.weight"])
    with pytest.raises(EngineError, match="windows of 12"):
        model.network.predict(X[:, 1:])


def test_a_model_file_without_the_linear_path_keys_loads_as_before(model_path):
    """A header written before the linear path existed: no linear_path, no lookback."""
    members = members_of(model_path)
    header = header_of(members)
    expected = load_model(model_path).network.predict(np.ones((2, 12, 2)))
    del header["network"]["linear_path"], header["network"]["lookback"]
    rewrite_header(model_path, header, members)
    model = load_model(model_path)
    assert model.network.linear_path is False and "ar.weight" not in model.network.state_dict()
    assert model.network.predict(np.ones((2, 12, 2))).tobytes() == expected.tobytes()


@pytest.mark.parametrize("change, message", [
    ({"linear_path": "true"}, "linear_path"),
    ({"linear_path": True, "lookback": None}, "lookback"),
    ({"linear_path": True, "lookback": 0}, "lookback"),
])
def test_an_invalid_linear_path_is_refused(model_path, change, message):
    members = members_of(model_path)
    header = header_of(members)
    header["network"].update(change)
    rewrite_header(model_path, header, members)
    with pytest.raises(EngineError, match=message):
        load_model(model_path)


def test_a_linear_path_over_another_lookback_than_the_preprocessing_is_refused(tmp_path):
    network = linear_path_network()
    network.set_params(lookback=6)
    with pytest.raises(EngineError, match="lookback of 12 but network.lookback = 6"):
        save_model(tmp_path / "m.npz", network, PREPROCESSING, METADATA)
    assert not (tmp_path / "m.npz").exists()
