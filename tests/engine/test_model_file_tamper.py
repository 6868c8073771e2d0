"""A model file edited, damaged or replaced after it was written: every command either
reads exactly what was written or stops with one clear line, never a wrong number, a
traceback or a hang."""

import json
import os
import struct
import threading
import zipfile

import numpy as np
import pytest

from engine.model import model_file
from engine.errors import EngineError
from engine.model.model_file import (HEADER_KEY, MAX_HEADER_ITEMS, load_model, save_model,
                                     weights_checksum)
from helpers.model_files import header_of, members_of, rewrite_header, write_members
from helpers.models import seasonal_frame, untrained_model
from helpers.command_line import run

WIDTHS = {"0.8": [[4.0]], "0.9": [[5.0]], "0.95": [[6.0]]}
METADATA = {"testing": {"from": "2019-01-01"}, "training": {"epochs": 3},
            "intervals": {"method": "split conformal", "levels": [0.8, 0.9, 0.95],
                          "direct": WIDTHS,
                          "recursive": {key: rows * 2 for key, rows in WIDTHS.items()}}}


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "series.csv"
    seasonal_frame().to_csv(path, index=False)
    return path


@pytest.fixture
def model_path(tmp_path, csv):
    """A monthly GRU model with seasonal differences (period 12), a time column, a
    testing start and intervals."""
    model = untrained_model(csv, ["y"], "gru", [4], transform="seasonal_difference")
    path = tmp_path / "model.npz"
    save_model(path, model.network, model.preprocessing, METADATA)
    return path


def edited(path, change, checksum):
    """Apply ``change`` (a function of the header dict) to the file at ``path``."""
    members = members_of(path)
    header = header_of(members)
    change(header)
    rewrite_header(path, header, members, checksum=checksum)


def variable(header):
    return header["preprocessing"]["variables"][0]


def setter(*keys, value):
    """A change that sets ``header[keys[0]][keys[1]]...`` to ``value`` (an int key picks
    a list item)."""
    def change(header):
        place = header
        for key in keys[:-1]:
            place = place[key]
        place[keys[-1]] = value
    return change


# -- edits of every field, with the checksum left as it was ---------------------------------

FIELD_EDITS = {
    "scaler centre": setter("preprocessing", "variables", 0, "scaler", "center", value=1000.0),
    "scaler scale": setter("preprocessing", "variables", 0, "scaler", "scale", value=3.0),
    "scaler method": setter("preprocessing", "variables", 0, "scaler", "method",
                            value="minmax"),
    "lookback": setter("preprocessing", "lookback", value=5),
    "target transform": setter("preprocessing", "target_transform", value="difference"),
    "period": setter("preprocessing", "period", value=6),
    "target name": setter("preprocessing", "variables", 0, "name", value="load"),
    "role": setter("preprocessing", "variables", 0, "role", value="input"),
    "missing values": setter("preprocessing", "missing", value="drop"),
    "time column": setter("preprocessing", "time_column", value=None),
    "time step": setter("preprocessing", "time_step", "size", value=2),
    "testing start": setter("metadata", "testing", "from", value="2018-01-01"),
    "interval width": setter("metadata", "intervals", "direct", "0.9", 0, 0, value=0.5),
    "training summary": setter("metadata", "training", "epochs", value=30),
    "network seed": setter("network", "seed", value=8),
    "application version": setter("application_version", value="0.0.9"),
    "created": setter("created", value="2020-01-01T00:00:00+00:00"),
    "weights checksum": setter("weights", "sha256", value="0" * 64),
}


@pytest.mark.parametrize("change", FIELD_EDITS.values(), ids=FIELD_EDITS.keys())
def test_an_edited_header_field_is_refused(model_path, change):
    edited(model_path, change, checksum=False)
    with pytest.raises(EngineError, match="was changed after it was written .its checksum "
                                          "does not match its contents.: it was edited or "
                                          "damaged. Use an unaltered copy"):
        load_model(model_path)


def test_the_same_header_in_other_spacing_is_refused(model_path):
    members = members_of(model_path)
    text = json.dumps(header_of(members), separators=(",", ":")).encode("utf-8")
    write_members(model_path, {**members, HEADER_KEY: np.frombuffer(text, dtype=np.uint8)})
    with pytest.raises(EngineError, match="checksum is missing or not where RNN Studio "
                                          "writes it"):
        load_model(model_path)


@pytest.mark.parametrize("command", ["evaluate", "predict", "forecast"])
def test_commands_stop_with_one_line_on_an_edited_scaler(tmp_path, csv, model_path, command):
    before = run("evaluate", model_path, csv)
    assert before[0] == 0
    edited(model_path, FIELD_EDITS["scaler centre"], checksum=False)
    argv = {"evaluate": ["evaluate", model_path, csv],
            "predict": ["predict", model_path, csv, "--out", tmp_path / "p.csv"],
            "forecast": ["forecast", model_path, csv, "--steps", 3, "--out",
                         tmp_path / "f.csv"]}[command]
    status, out, err = run(*argv)
    assert status != 0 and out == ""
    assert err.count("\n") == 1 and "was changed after it was written" in err
    assert "unexpected" not in err and "Traceback" not in err
    assert not (tmp_path / "p.csv").exists() and not (tmp_path / "f.csv").exists()


def test_an_edited_weight_is_refused(model_path):
    members = members_of(model_path)
    members["head.bias"] = members["head.bias"] + 1e-9
    write_members(model_path, members)
    with pytest.raises(EngineError, match="its checksum does not match its contents"):
        load_model(model_path)


@pytest.mark.parametrize("name", ["extra", "rnn.weight_ih_l1"])
def test_an_added_array_is_refused(model_path, name):
    members = members_of(model_path)
    write_members(model_path, {**members, name: np.zeros(3)})
    with pytest.raises(EngineError, match="its checksum does not match"):
        load_model(model_path)
    rewrite_header(model_path, header_of(members), {**members, name: np.zeros(3)})
    with pytest.raises(EngineError, match=f"unexpected {name}"):
        load_model(model_path)


# -- fields of the wrong type or range, with a checksum that fits them ----------------------

def scaler(key, value):
    return setter("preprocessing", "variables", 0, "scaler", key, value=value)


def preprocessing(key, value):
    return setter("preprocessing", key, value=value)


INVALID = [
    ("scaler centre text", scaler("center", "28.8"),
     r"preprocessing.variables\[0\].scaler.center = '28.8' .expected a finite number"),
    ("scaler centre null", scaler("center", None), r"scaler.center = None"),
    ("scaler scale 0", scaler("scale", 0), r"scaler.scale = 0 .expected a finite number "
                                           "above 0"),
    ("scaler scale negative", scaler("scale", -2.0), r"scaler.scale = -2.0"),
    ("scaler method", scaler("method", "robust"), r"scaler.method = 'robust' .expected one "
                                                  "of standard, minmax, none, log"),
    ("lookback 0", preprocessing("lookback", 0), r"preprocessing.lookback = 0 .expected a "
                                                 "whole number from 1 to 1,000,000"),
    ("lookback text", preprocessing("lookback", "6"), r"preprocessing.lookback = '6'"),
    ("lookback float", preprocessing("lookback", 6.0), r"preprocessing.lookback = 6.0"),
    ("lookback huge", preprocessing("lookback", 10**12), r"preprocessing.lookback = "),
    ("horizon negative", preprocessing("horizon", -1), r"preprocessing.horizon = -1"),
    ("horizon other", lambda header: header["preprocessing"].update(
        horizon=2, outputs=[{"variable": "y", "step": 1}, {"variable": "y", "step": 2}]),
     r"the preprocessing gives 2 outputs but network.n_outputs = 1"),
    ("outputs", preprocessing("outputs", []), r"stored outputs do not match"),
    ("missing", preprocessing("missing", "zero"), r"preprocessing.missing = 'zero'"),
    ("transform", preprocessing("target_transform", "cube"),
     r"preprocessing.target_transform = 'cube'"),
    ("period 0", preprocessing("period", 0), r"preprocessing.period = 0"),
    ("period text", preprocessing("period", "12"), r"preprocessing.period = '12'"),
    ("period null", preprocessing("period", None), r"Seasonal differences need a season"),
    ("time column", preprocessing("time_column", 5), r"preprocessing.time_column = 5"),
    ("time step unit", setter("preprocessing", "time_step", "unit", value="fortnights"),
     r"preprocessing.time_step.unit = 'fortnights' .expected one of months, nanoseconds"),
    ("time step size", setter("preprocessing", "time_step", "size", value=0),
     r"preprocessing.time_step.size = 0"),
    ("time step", preprocessing("time_step", "monthly"), r"preprocessing.time_step = "),
    ("no variables", preprocessing("variables", []), r"preprocessing.variables = \[\]"),
    ("target name", setter("preprocessing", "variables", 1, "name", value=""),
     r"preprocessing.variables\[1\].name = ''"),
    ("same names", setter("preprocessing", "variables", 1, "name", value="y"),
     r"variables with different names"),
    ("role", setter("preprocessing", "variables", 0, "role", value="time"),
     r"variables\[0\].role = 'time'"),
    ("type", setter("preprocessing", "variables", 0, "type", value="datetime"),
     r"variables\[0\].type = 'datetime'"),
    ("fill", setter("preprocessing", "variables", 0, "fill", value="mean"),
     r"variables\[0\].fill = 'mean'"),
    ("input columns", preprocessing("input_columns", []), r"stored input_columns do not "
                                                          "match"),
    ("preprocessing format", preprocessing("format", "x"), r"preprocessing.format = 'x'"),
    ("preprocessing version", preprocessing("version", 9), r"preprocessing.version = 9"),
    ("testing start", setter("metadata", "testing", "from", value=[1]),
     r"metadata.testing.from = \[1\]"),
    ("testing row", setter("metadata", "testing", "from", value={"row": -1}),
     r"metadata.testing.from.row = -1"),
    ("interval level", setter("metadata", "intervals", "levels", value=[1.5]),
     r"metadata.intervals.levels\[0\] = 1.5"),
    ("interval width", setter("metadata", "intervals", "direct", "0.9", 0, 0, value=-1),
     r"metadata.intervals.direct.0.9\[0\]\[0\] = -1"),
    ("interval width text", setter("metadata", "intervals", "recursive", "0.8", 1, 0,
                                   value="5"), r"metadata.intervals.recursive.0.8\[1\]\[0\]"),
    ("interval rows", setter("metadata", "intervals", "direct", "0.8", value=[[1.0], [2.0]]),
     r"metadata.intervals.direct.0.8 = .* .expected 1 row"),
    ("interval targets", setter("metadata", "intervals", "direct", "0.8", value=[[1.0, 2.0]]),
     r"metadata.intervals.direct.0.8\[0\] = \[1.0, 2.0\] .expected a list of 1 width"),
    ("forecast length 0", setter("metadata", "forecast_steps", value=0),
     r"metadata.forecast_steps = 0 .expected a whole number from 1 to 1,000,000 or null"),
    ("forecast length text", setter("metadata", "forecast_steps", value="24"),
     r"metadata.forecast_steps = '24'"),
    ("metadata", setter("metadata", value=[]), r"no 'metadata' section"),
    ("application version", setter("application_version", value=1),
     r"application_version = 1 .expected a text"),
]


@pytest.mark.parametrize("change, message", [(c, m) for _, c, m in INVALID],
                         ids=[name for name, _, _ in INVALID])
def test_an_invalid_field_with_a_fitting_checksum_is_named(model_path, change, message):
    edited(model_path, change, checksum=True)
    with pytest.raises(EngineError, match=message):
        load_model(model_path)


@pytest.mark.parametrize("change, message", [
    (setter("network", "cell", value="transformer"), r"network.cell = 'transformer'"),
    (setter("network", "hidden_sizes", value=[]), r"network.hidden_sizes = \[\]"),
    (setter("network", "n_inputs", value="2"), r"network.n_inputs = '2'"),
    (setter("network", "seed", value=-1), r"network.seed = -1"),
    (setter("network", "dtype", value="float16"), r"network.dtype = 'float16'"),
    (setter("network", "hidden_sizes", value=[30000]), "declares a network of 2,70.* "
                                                       "parameters, more than the"),
])
def test_an_invalid_network_with_a_fitting_checksum_is_named(model_path, change, message):
    edited(model_path, change, checksum=True)
    with pytest.raises(EngineError, match=message):
        load_model(model_path)


def test_a_valid_edit_with_a_fitting_checksum_loads(model_path):
    """Not a signature: whoever recomputes the checksum can change a valid field."""
    edited(model_path, FIELD_EDITS["scaler centre"], checksum=True)
    assert variable(load_model(model_path).header)["scaler"]["center"] == 1000.0


# -- format version 1 (no checksum of the header) -------------------------------------------

def as_version_1(path):
    """Rewrite the model at ``path`` as format version 1 wrote it."""
    members = members_of(path)
    header = header_of(members)
    del header["checksum"]
    header["format_version"] = 1
    rewrite_header(path, header, members, checksum=False)


def test_a_version_1_file_loads_with_the_same_predictions(model_path, csv):
    before = load_model(model_path)
    as_version_1(model_path)
    after = load_model(model_path)
    assert after.header["format_version"] == 1
    X = np.random.default_rng(1).standard_normal((5, 6, 2))
    assert np.array_equal(after.network.predict(X), before.network.predict(X))
    assert after.header["preprocessing"] == before.header["preprocessing"]


def test_a_version_1_file_gets_the_field_checks_and_its_weights_checksum(model_path):
    as_version_1(model_path)
    edited(model_path, scaler("center", "abc"), checksum=False)
    with pytest.raises(EngineError, match="invalid header: preprocessing.variables.0..scaler"):
        load_model(model_path)
    members = members_of(model_path)
    members["head.bias"] = members["head.bias"] * 2
    write_members(model_path, members)
    with pytest.raises(EngineError, match="the weights do not match their checksum"):
        load_model(model_path)


# -- the archive itself ------------------------------------------------------------------------

def set_zip_flags(data, flag):
    """``data`` (a zip) with general-purpose ``flag`` set in every local and central
    header."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start >= 0:
            (flags,) = struct.unpack_from("<H", data, start + offset)
            struct.pack_into("<H", data, start + offset, flags | flag)
            start = data.find(signature, start + 4)
    return bytes(data)


def test_an_encrypted_archive_is_named(model_path):
    model_path.write_bytes(set_zip_flags(model_path.read_bytes(), 0x1))
    with pytest.raises(EngineError, match="is an encrypted .password-protected. archive"):
        load_model(model_path)


def rezip(path, compression):
    members = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_an_unsupported_compression_is_named(model_path, compression):
    rezip(model_path, compression)
    with pytest.raises(EngineError, match=f"compressed with zip method {compression}, "
                                          "which RNN Studio does not read"):
        load_model(model_path)


def test_a_deflated_archive_loads(model_path):
    before = load_model(model_path).network.state_dict()
    rezip(model_path, zipfile.ZIP_DEFLATED)
    after = load_model(model_path).network.state_dict()
    assert weights_checksum(after) == weights_checksum(before)


def test_an_array_stored_twice_is_refused(model_path):
    with zipfile.ZipFile(model_path, "a") as archive:
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("head.bias.npy", archive.read("head.bias.npy"))
    with pytest.raises(EngineError, match="holds the array 'head.bias' twice"):
        load_model(model_path)


@pytest.mark.parametrize("dtype", [np.complex128, np.int64, np.float16, np.longdouble,
                                   np.bool_, "U3"])
def test_weights_of_another_dtype_are_refused(model_path, dtype):
    members = members_of(model_path)
    members["head.bias"] = members["head.bias"].astype(dtype)
    rewrite_header(model_path, header_of(members), members)
    with pytest.raises(EngineError, match="values in 'head.bias'; weights are float32 or "
                                          "float64 numbers"):
        load_model(model_path)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_weights_that_are_not_finite_are_refused(model_path, value):
    members = members_of(model_path)
    members["rnn.weight_hh_l0"][1, 2] = value
    rewrite_header(model_path, header_of(members), members)
    with pytest.raises(EngineError, match=r"hold NaN or infinite values \(in "
                                          r"rnn.weight_hh_l0\)"):
        load_model(model_path)


def test_a_header_of_millions_of_items_is_refused_before_parsing(model_path):
    members = members_of(model_path)
    header = header_of(members)
    text = json.dumps(header)[:-1] + ', "x": [' + "{}," * MAX_HEADER_ITEMS + "{}]}"
    members[HEADER_KEY] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    with open(model_path, "wb") as handle:
        np.savez_compressed(handle, **members)
    assert model_path.stat().st_size < 100_000
    with pytest.raises(EngineError, match="holds about 2,000,.* JSON items, more than the "
                                          "1,000,000"):
        load_model(model_path)


def test_a_deeply_nested_header_is_refused(model_path):
    members = members_of(model_path)
    text = '{"format": "rnn-studio-model", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    write_members(model_path, {**members,
                               HEADER_KEY: np.frombuffer(text.encode(), dtype=np.uint8)})
    with pytest.raises(EngineError, match="its header is not readable JSON"):
        load_model(model_path)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_header_with_a_non_json_number_is_refused(model_path, constant):
    members = members_of(model_path)
    text = model_file.header_bytes(header_of(members), members).decode()
    text = text.replace('"center": ', f'"center": {constant}, "was": ', 1)
    write_members(model_path, {**members,
                               HEADER_KEY: np.frombuffer(text.encode(), dtype=np.uint8)})
    with pytest.raises(EngineError, match=f"not readable JSON: {constant} is not a JSON number"):
        load_model(model_path)


# -- what the path names ----------------------------------------------------------------------

def load_within(path, seconds=10):
    """The error of ``load_model(path)``, failing the test if it takes longer than
    ``seconds`` (the thread is left behind)."""
    result = {}

    def target():
        try:
            load_model(path)
        except Exception as error:              # noqa: BLE001 - the test looks at it
            result["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"load_model({path}) still runs after {seconds} s"
    return result.get("error")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "model.npz"
    os.mkfifo(fifo)
    error = load_within(fifo)
    assert isinstance(error, EngineError)
    assert "is not a file but a pipe, socket or device" in str(error)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_device_is_refused_at_once():
    error = load_within("/dev/zero")
    assert isinstance(error, EngineError) and "pipe, socket or device" in str(error)


# -- saving never leaves what loading refuses --------------------------------------------------

def test_a_model_the_loader_would_refuse_is_not_saved(model_path, csv):
    before = model_path.read_bytes()
    model = untrained_model(csv, ["y"], "gru", [4], transform="seasonal_difference")
    bad = json.loads(json.dumps(model.header["preprocessing"]))
    bad["variables"][0]["scaler"]["center"] = float("nan")      # becomes null in JSON
    with pytest.raises(EngineError, match=r"The model was not saved to .*model.npz: "
                                          r"preprocessing.variables\[0\].scaler.center = None"
                                          ".*Nothing was written"):
        save_model(model_path, model.network, bad)
    model.network.parameters_.views["head.bias"][0] = np.nan
    with pytest.raises(EngineError, match=r"not saved .* NaN or infinite values \(in "
                                          "head.bias\\)"):
        save_model(model_path, model.network, model.preprocessing)
    assert model_path.read_bytes() == before
    assert sorted(p.name for p in model_path.parent.iterdir()) == ["model.npz", "series.csv"]


def test_the_written_file_is_loaded_before_it_replaces_the_old_one(model_path, csv,
                                                                   monkeypatch):
    before = model_path.read_bytes()
    model = untrained_model(csv, ["y"], "gru", [4], transform="seasonal_difference")
    written = model_file.header_bytes

    def stale_checksum(header, weights):
        return written(header, {**weights, "head.bias": weights["head.bias"] + 1})

    monkeypatch.setattr(model_file, "header_bytes", stale_checksum)
    with pytest.raises(EngineError, match=r"The model was not saved to .*model.npz because "
                                          r"the written file did not load back; .*model.npz "
                                          "was left as it was. .*checksum does not match"):
        save_model(model_path, model.network, model.preprocessing)
    assert model_path.read_bytes() == before
    assert sorted(p.name for p in model_path.parent.iterdir()) == ["model.npz", "series.csv"]


def test_a_time_step_that_does_not_fit_the_time_column_is_named(tmp_path, csv, model_path):
    """A step in numbers for a column of dates passes the header's checks (the header
    does not know the column's type) and is refused when the data is read."""
    edited(model_path, setter("preprocessing", "time_step", value={"unit": "number",
                                                                   "size": 1e18}),
           checksum=True)
    status, out, err = run("predict", model_path, csv, "--out", tmp_path / "p.csv")
    assert status != 0 and err.count("\n") == 1
    assert "the model's time step does not fit this time column" in err
    assert not (tmp_path / "p.csv").exists()
