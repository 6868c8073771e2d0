"""The model file: one file holding a trained network, safe to load from a stranger.

The file is a NumPy ``.npz`` archive (a zip of ``.npy`` arrays, uncompressed) with

- one array per parameter under its PyTorch name (``rnn.weight_ih_l0``, ..., ``head.bias``),
  in the network's dtype;
- ``header``: the UTF-8 bytes of a JSON object, as a 1-D ``uint8`` array.

Read it anywhere with ``np.load(path, allow_pickle=False)``; the header is
``json.loads(bytes(npz["header"]))``. Leave ``header`` out when feeding the arrays to
PyTorch's ``load_state_dict``. It is loaded here with ``allow_pickle=False`` only, and every
member's ``.npy`` header is inspected before any data is read, so loading never unpickles
and never runs code from the file.

Header (format version 2)::

    {"format": "rnn-studio-model", "format_version": 2, "application_version": "0.1.0",
     "created": "2026-05-09T10:11:12+00:00",
     "network": {"cell": "gru", "n_inputs": 3, "hidden_sizes": [32], "n_outputs": 1,
                 "activation": "tanh", "dtype": "float32", "seed": 0,
                 "linear_path": false, "lookback": null},
     "preprocessing": {...from the data layer...}, "metadata": {...},
     "weights": {"count": 3553, "sha256": "..."},
     "checksum": "..."}

``checksum``, always the header's last field, is :func:`file_checksum`: SHA-256 over the
header's bytes as stored (with the checksum's own 64 digits written as zeros) and every
array's name, dtype, shape and values. ``weights.sha256`` is :func:`weights_checksum` of
the arrays alone. Format version 1 (the first) had only ``weights.sha256``; such files
still load, with every header field checked as in version 2. ``network.linear_path`` and
``network.lookback`` (the linear path's window length, null without one) came later
within version 2: a header without them is a network without a linear path. With a linear
path the file has one more array, ``ar.weight`` (n_outputs, lookback * n_inputs), and
``network.lookback`` equals ``preprocessing.lookback``. A global model of many series
(:mod:`engine.many.model_file`) has ``"kind": "many_series"`` and a ``many_series`` section
in place of ``preprocessing``; the commands of one series refuse it with a message.

The checksum detects a damaged file and a casual edit (a changed scaler, lookback or
target name in the header, a changed weight). It is no signature: whoever changes a file
on purpose can compute a new checksum. Every header field is therefore also checked for
its type and range (:mod:`engine.model.header`) before it is used.

Sizes are checked before anything is read: a header of at most :data:`MAX_HEADER_BYTES`
bytes and :data:`MAX_HEADER_ITEMS` JSON items, and arrays of at most
:data:`~engine.network.parameters.MAX_PARAMETERS` numbers, so that a small hostile file
cannot make the loader allocate gigabytes. Only regular files are opened (a pipe or a
device would never end).
"""

import hashlib
import json
import os
import re
import stat
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from engine.atomic import atomic_path, json_ready
from engine.errors import EngineError, newer_version_error
from engine.model.forecaster import Forecaster
from engine.model.header import (check_header_texts, check_metadata, check_network,
                                 check_preprocessing, network_settings)
from engine.network.recurrent import RecurrentNetwork
from engine.network.parameters import MAX_PARAMETERS, parameter_shapes

FORMAT_NAME = "rnn-studio-model"
FORMAT_VERSION = 2
HEADER_KEY = "header"
CHECKSUM_KEY = "checksum"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
# Limits that keep a hostile file (e.g. a tiny, highly compressed archive that declares
# huge arrays, or a header of millions of empty JSON objects) from filling the memory:
# nothing is read or parsed before its declared size is checked.
MAX_HEADER_BYTES = 16 * 2**20
MAX_HEADER_ITEMS = 1_000_000
MAX_MEMBERS = 10_000
_PLACEHOLDER = "0" * 64
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def _hash_arrays(digest, arrays):
    """Feed named ``arrays`` to ``digest``: for each name in sorted order ``name``, NUL,
    the little-endian dtype string (``<f4``, ``<f8``), NUL, the shape as comma-separated
    integers, NUL, then the values in C order as little-endian bytes."""
    for name in sorted(arrays):
        array = np.asarray(arrays[name])
        array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
        shape = ",".join(str(n) for n in array.shape)
        digest.update(f"{name}\0{array.dtype.str}\0{shape}\0".encode("utf-8"))
        digest.update(array.tobytes())


def weights_checksum(weights):
    """SHA-256 (hex) of named arrays, independent of byte order and of dict order."""
    digest = hashlib.sha256()
    _hash_arrays(digest, weights)
    return digest.hexdigest()


def file_checksum(header_bytes, arrays):
    """SHA-256 (hex) of a whole model file: ``header``, NUL, the header's byte count, NUL,
    the header's bytes (with the stored checksum's digits as zeros), then ``arrays`` as in
    :func:`weights_checksum`."""
    digest = hashlib.sha256()
    digest.update(f"{HEADER_KEY}\0{len(header_bytes)}\0".encode("ascii"))
    digest.update(header_bytes)
    _hash_arrays(digest, arrays)
    return digest.hexdigest()


def _checksum_field(value):
    """The header's last field as :func:`json.dumps` with ``indent`` writes it (bytes)."""
    return f'"{CHECKSUM_KEY}": "{value}"'.encode("ascii")


def _blank_checksum(header_bytes, value):
    """``header_bytes`` with the checksum field's ``value`` written as zeros; None when the
    field is not there as written."""
    head, field, tail = header_bytes.rpartition(_checksum_field(value))
    return head + _checksum_field(_PLACEHOLDER) + tail if field else None


def header_bytes(header, weights):
    """The header's UTF-8 JSON with its checksum (the last field) filled in."""
    text = json.dumps({**header, CHECKSUM_KEY: _PLACEHOLDER}, ensure_ascii=False,
                      allow_nan=False, indent=1).encode("utf-8")
    digest = file_checksum(text, weights)
    head, field, tail = text.rpartition(_checksum_field(_PLACEHOLDER))
    return head + _checksum_field(digest) + tail


def save_model(path, network, preprocessing, metadata=None):
    """Save ``network`` with its ``preprocessing`` dict and optional ``metadata`` to ``path``.

    ``preprocessing`` is the fitted preprocessing (:class:`~engine.data.FittedPreprocessing`)
    or its dict (:meth:`~engine.data.FittedPreprocessing.to_dict`), for the network's inputs
    and outputs. The file is written to a temporary file, loaded back with :func:`load_model`
    (every check a command makes) and only then renamed onto ``path``: an existing file at
    ``path`` stays as it was if saving or that check fails. Both dicts must be JSON-able
    (see :func:`engine.atomic.json_ready`). Returns the header as written (equal to
    ``load_model(path).header``).
    """
    if not isinstance(network, RecurrentNetwork):
        raise EngineError(f"Only a RecurrentNetwork can be saved as a model; got "
                          f"{type(network).__name__}.")
    if hasattr(preprocessing, "to_dict"):
        preprocessing = preprocessing.to_dict()
    if not isinstance(preprocessing, dict):
        raise EngineError("The preprocessing must be a dict (the fitted data-set "
                          f"preprocessing); got {type(preprocessing).__name__}.")
    if metadata is not None and not isinstance(metadata, dict):
        raise EngineError(f"The metadata must be a dict or None; got {type(metadata).__name__}.")
    weights = network.state_dict()
    header = model_header(network, weights, "preprocessing",
                          json_ready(preprocessing, "preprocessing"), metadata)
    _check_savable(header, weights, path)
    return write_model_file(path, header, weights, lambda temp: _read_model(Path(temp)))


def model_header(network, weights, section, data, metadata=None):
    """A model file's header: format, versions, time, the network's settings, the data
    section ``section`` (``preprocessing``, or ``many_series`` for a global model) holding
    ``data``, the metadata and the weights' count and checksum (the file's checksum is
    added when it is written)."""
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        **({"kind": section} if section != "preprocessing" else {}),
        "application_version": _application_version(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "network": network.checked_settings(),
        section: data,
        "metadata": json_ready(metadata or {}, "metadata"),
        "weights": {"count": int(sum(a.size for a in weights.values())),
                    "sha256": weights_checksum(weights)},
    }


def write_model_file(path, header, weights, load_back):
    """Write the header (its checksum filled in) and the weights to ``path`` atomically:
    to a temporary file first, which ``load_back(temp)`` must load (it raises an
    :class:`EngineError` otherwise), then renamed onto ``path``; an existing file stays as
    it was when anything fails. Returns the header as written."""
    text = header_bytes(header, weights)
    items = _header_items(text)
    if len(text) > MAX_HEADER_BYTES or items > MAX_HEADER_ITEMS:
        raise EngineError(f"The model was not saved to {path}: its header would hold "
                          f"{len(text):,} bytes and about {items:,} items, more than a model "
                          f"file may ({MAX_HEADER_BYTES:,} bytes, {MAX_HEADER_ITEMS:,} items; "
                          "a model of many series holds a row of numbers per series). "
                          "Nothing was written.")
    members = {HEADER_KEY: np.frombuffer(text, dtype=np.uint8), **weights}
    with atomic_path(path) as temp:
        with open(temp, "wb") as handle:
            np.savez(handle, allow_pickle=False, **members)
        try:
            load_back(temp)
        except EngineError as error:
            reason = str(error).replace(str(temp), str(path))
            raise EngineError(f"The model was not saved to {path} because the written file "
                              f"did not load back; {path} was left as it was. "
                              f"{reason}") from error
    return json.loads(text)


def _check_savable(header, weights, path):
    """Raise before anything is written when the loader would refuse the model."""
    try:
        _check_fields(header)
        bad = _nonfinite(weights)
        if bad:
            raise EngineError(f"the weights hold NaN or infinite values (in {', '.join(bad)})")
    except EngineError as error:
        raise EngineError(f"The model was not saved to {path}: {str(error).rstrip('.')}. "
                          "Nothing was written.") from None


def _application_version():
    from engine.version import __version__
    return __version__


# -- loading ---------------------------------------------------------------------------------

def _describe_foreign(start):
    """A hint about what a file that is no zip archive probably is, from its first bytes."""
    if start.startswith(b"\x93NUMPY"):
        return " (it is a single NumPy array, a .npy file)"
    if start[:1] == b"\x80":
        return (" (it looks like Python pickle data, which RNN Studio never loads because "
                "loading it could run code)")
    try:
        start.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return " (it is a text file, such as a CSV or JSON file)"


def _check_regular(path):
    """Raise unless ``path`` is an existing regular file (a pipe or a device would make
    reading it wait or run forever)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise EngineError(f"There is no model file at {path}. Check the file name and "
                          "folder.") from None
    except OSError as error:
        raise EngineError(f"Could not read {path}: {error.strerror or error}. Check that "
                          "you may read the file.") from error
    if stat.S_ISDIR(mode):
        raise EngineError(f"{path} is a folder, not a model file. Choose the model file "
                          "(.npz) inside it.")
    if not stat.S_ISREG(mode):
        raise EngineError(f"{path} is not a file but a pipe, socket or device, so it holds "
                          "no saved model. Choose a model file saved by RNN Studio (.npz).")


def _open_checks(path):
    """Raise unless ``path`` is an existing, non-empty file that starts like a zip."""
    _check_regular(path)
    try:
        with open(path, "rb") as handle:
            start = handle.read(64)
    except OSError as error:
        raise EngineError(f"Could not read {path}: {error.strerror or error}. Check that "
                          "you may read the file.") from error
    if not start:
        raise EngineError(f"{path} is empty (0 bytes), so it holds no model. It was "
                          "probably cut off while being saved or copied; copy or save the "
                          "model again.")
    if not start.startswith(ZIP_SIGNATURES):
        if len(start) < 4 and b"PK\x03\x04".startswith(start):
            raise _damaged(path, "it ends after a few bytes")
        raise EngineError(f"{path} is not an RNN Studio model file{_describe_foreign(start)}. "
                          "Choose a model file saved by RNN Studio (.npz).")


def _damaged(path, reason):
    return EngineError(f"The model file {path} is damaged or incomplete ({reason}). It was "
                       "probably cut off or corrupted while being copied or downloaded; copy "
                       "or save the model again.")


def _altered(path, what):
    return EngineError(f"The model file {path} was changed after it was written ({what}): "
                       "it was edited or damaged. Use an unaltered copy or save the model "
                       "again.")


def _check_zip_entry(info, path):
    """Refuse a member that is encrypted, compressed in a way RNN Studio does not read,
    or not a ``.npy`` array."""
    if info.flag_bits & 0x1:
        raise EngineError(f"{path} is an encrypted (password-protected) archive; RNN Studio "
                          "model files are never encrypted. Use the model file as RNN Studio "
                          "saved it.")
    if info.compress_type not in ZIP_METHODS:
        raise EngineError(f"{path}: the member {info.filename!r} is compressed with zip "
                          f"method {info.compress_type}, which RNN Studio does not read "
                          f"(only {' and '.join(ZIP_METHODS.values())}). Use the model file as "
                          "RNN Studio saved it.")
    if not info.filename.endswith(".npy"):
        raise EngineError(f"{path} is not an RNN Studio model file: it contains "
                          f"{info.filename!r}, which is not a NumPy array.")


def _read_layout(npz, info, path):
    """``(shape, dtype)`` of one ``.npy`` member, from its header only."""
    name = info.filename[:-4]
    with npz.zip.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise EngineError(f"{path}: the array {name!r} uses a NumPy file layout "
                              f"(version {version}) that RNN Studio does not read.")
    if dtype.hasobject:
        raise EngineError(f"{path} contains Python objects (in {name!r}) that could only "
                          "be read by unpickling, which can run code. RNN Studio model "
                          "files never contain them, so the file was not made by RNN "
                          "Studio or has been tampered with; it was not loaded.")
    return tuple(shape), dtype


def _member_layouts(npz, path):
    """``{name: (shape, dtype)}`` of every array, read from the ``.npy`` headers only.

    Refuses members that are not plain ``.npy`` arrays, encrypted or oddly compressed
    members, arrays that hold Python objects (those could only be read by unpickling),
    weights that are not float32/float64 numbers, and sizes above the limits.
    """
    infos = npz.zip.infolist()
    if len(infos) > MAX_MEMBERS:
        raise EngineError(f"{path} holds {len(infos):,} members, more than an RNN Studio "
                          "model file can have; it was not loaded.")
    layouts = {}
    for info in infos:
        _check_zip_entry(info, path)
        name = info.filename[:-4]
        if name in layouts:
            raise _damaged(path, f"it holds the array {name!r} twice")
        layouts[name] = _read_layout(npz, info, path)
    if HEADER_KEY not in layouts:           # another archive (a PyTorch weights export)
        _raw_header(npz, layouts, path)
    for name, (shape, dtype) in layouts.items():
        if name != HEADER_KEY and (dtype.kind != "f" or dtype.itemsize not in (4, 8)):
            raise EngineError(f"The model file {path} holds {dtype} values in {name!r}; "
                              "weights are float32 or float64 numbers. The file is damaged "
                              "or was edited; save the model again.")
    _check_sizes(layouts, path)
    return layouts


def _check_sizes(layouts, path):
    """Refuse a declared header or arrays larger than the limits, before reading them."""
    sizes = {name: np.prod(shape, dtype=float) for name, (shape, _) in layouts.items()}
    header = sizes.get(HEADER_KEY, 0)
    if header > MAX_HEADER_BYTES:
        raise EngineError(f"{path} declares a header of {header:,.0f} bytes, more than the "
                          f"{MAX_HEADER_BYTES // 2**20} MiB an RNN Studio model header can "
                          "have; it was not loaded.")
    count = sum(sizes.values()) - header
    if count > MAX_PARAMETERS:
        raise EngineError(f"{path} declares arrays of {count:,.0f} numbers, more than the "
                          f"{MAX_PARAMETERS:,} parameters RNN Studio loads; it was not loaded.")


def _raw_header(npz, layouts, path):
    """The header's bytes, checked to be a byte string."""
    if HEADER_KEY not in layouts:
        raise EngineError(f"{path} is a NumPy/zip archive but not an RNN Studio model file: "
                          "it has no RNN Studio header. Choose a model file saved by RNN "
                          "Studio.")
    shape, dtype = layouts[HEADER_KEY]
    if dtype != np.uint8 or len(shape) != 1:
        raise EngineError(f"{path} is not an RNN Studio model file: its 'header' is not "
                          "a byte string.")
    return npz[HEADER_KEY].tobytes()


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _header_items(raw):
    """At most how many JSON items the header bytes ``raw`` hold: each ``{``, ``[`` and
    ``,`` starts at most one."""
    return raw.count(b"{") + raw.count(b"[") + raw.count(b",")


def _parse_header(raw, path):
    """The header dict from its bytes, after a scan that bounds how many JSON items it
    holds (each ``{``, ``[`` and ``,`` starts at most one), so that parsing cannot take
    much more memory than the bytes themselves."""
    items = _header_items(raw)
    if items > MAX_HEADER_ITEMS:
        raise EngineError(f"The header of {path} holds about {items:,} JSON items, more than "
                          f"the {MAX_HEADER_ITEMS:,} an RNN Studio model header can have; it "
                          "was not loaded.")
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _damaged(path, f"its header is not readable JSON: {error}") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise EngineError(f"{path} is not an RNN Studio model file: its header does not "
                          f"name the format {FORMAT_NAME!r}.")
    version = header.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _damaged(path, f"its header has the invalid format version {version!r}")
    if version > FORMAT_VERSION:
        raise newer_version_error(path, "model", version, FORMAT_VERSION,
                                  header.get("application_version"), verb="load")
    data_section = "many_series" if header.get("kind") == "many_series" else "preprocessing"
    for key in ("network", data_section, "metadata", "weights"):
        if not isinstance(header.get(key), dict):
            raise _damaged(path, f"its header has no {key!r} section")
    return header


def _verify_checksum(header, raw, arrays, path):
    """Version 2: the whole file's checksum; version 1: the weights' checksum."""
    if header["format_version"] == 1:
        if weights_checksum(arrays) != header["weights"].get("sha256"):
            raise _altered(path, "the weights do not match their checksum")
        return
    stored = header.get(CHECKSUM_KEY)
    blank = _blank_checksum(raw, stored) if isinstance(stored, str) and \
        _HEX_DIGEST.fullmatch(stored) else None
    if blank is None:
        raise _altered(path, "its checksum is missing or not where RNN Studio writes it")
    if file_checksum(blank, arrays) != stored:
        raise _altered(path, "its checksum does not match its contents")


def _declared_shapes(settings, path):
    """The parameter shapes of the network a header declares, checking its settings."""
    try:
        check_network(settings, MAX_PARAMETERS)
    except EngineError as error:
        raise EngineError(f"{path} declares an invalid network ({error}); the file is "
                          "damaged or was edited. Save the model again.") from None
    settings = network_settings(settings)
    shapes = parameter_shapes(settings["cell"], settings["n_inputs"],
                              settings["hidden_sizes"], settings["n_outputs"],
                              settings["lookback"] if settings["linear_path"] else None)
    count = sum(np.prod(shape, dtype=float) for shape in shapes.values())
    if count > MAX_PARAMETERS:
        raise EngineError(f"{path} declares a network of {count:,.0f} parameters, more than "
                          f"the {MAX_PARAMETERS:,} RNN Studio loads; it was not loaded.")
    return shapes


def _check_layouts(layouts, expected, dtype, path):
    """Raise unless the file's arrays have exactly the names, shapes and dtype expected."""
    given = {name: layout for name, layout in layouts.items() if name != HEADER_KEY}
    problems = []
    missing = [name for name in expected if name not in given]
    extra = sorted(name for name in given if name not in expected)
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected {', '.join(extra)}")
    for name, shape in expected.items():
        if name in given:
            got_shape, got_dtype = given[name]
            if got_shape != shape:
                problems.append(f"{name} has shape {got_shape} instead of {shape}")
            if got_dtype.itemsize != dtype.itemsize:
                problems.append(f"{name} holds {got_dtype} instead of {dtype}")
    if problems:
        raise EngineError(f"The weights in {path} do not fit the network its header "
                          f"declares: {'; '.join(problems)}. The file is damaged or was "
                          "edited; save the model again.")


def _nonfinite(weights):
    """The names of the arrays that hold NaN or infinite values."""
    return [name for name, array in weights.items() if not np.isfinite(array).all()]


def _check_fields(header):
    """Every header field a command uses, and that the preprocessing fits the network;
    raises an :class:`EngineError` that names the field. Returns the fitted preprocessing
    (:class:`~engine.data.FittedPreprocessing`), parsed here once."""
    from engine.data.preprocessing import FittedPreprocessing

    settings = header["network"]
    check_header_texts(header)
    check_network(settings, MAX_PARAMETERS)
    check_preprocessing(header["preprocessing"])
    fitted = FittedPreprocessing.from_dict(header["preprocessing"])
    for key in ("n_inputs", "n_outputs"):
        if getattr(fitted, key) != settings[key]:
            raise EngineError(f"the preprocessing gives {getattr(fitted, key)} {key[2:]} "
                              f"but network.{key} = {settings[key]}")
    linear = network_settings(settings)
    if linear["linear_path"] and linear["lookback"] != fitted.lookback:
        raise EngineError(f"the preprocessing has a lookback of {fitted.lookback} but "
                          f"network.lookback = {linear['lookback']}")
    check_metadata(header["metadata"], len(fitted.targets), fitted.steps)
    return fitted


def _read_arrays(path, arrays=True):
    """``(header, raw header bytes, layouts, arrays)`` of the file at ``path``: the
    header parsed, every other member read as an array (unless not ``arrays``: then
    None), sizes checked first."""
    _open_checks(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            layouts = _member_layouts(npz, path)
            raw = _raw_header(npz, layouts, path)
            header = _parse_header(raw, path)
            if arrays:
                arrays = {name: npz[name] for name in layouts if name != HEADER_KEY}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        if isinstance(error, EngineError):
            raise
        raise _damaged(path, str(error) or type(error).__name__) from error
    return header, raw, layouts, arrays


def read_checked_arrays(path):
    """``(header, weights)`` of the model file at ``path`` (either kind), after the checks
    every model file gets: format, sizes, checksum, the arrays' names, shapes and dtype
    against the network the header declares, finite weights. The header's own data section
    is the caller's to check."""
    header, raw, layouts, arrays = _read_arrays(path)
    _verify_checksum(header, raw, arrays, path)
    settings = header["network"]
    expected = _declared_shapes(settings, path)
    _check_layouts(layouts, expected, np.dtype(settings["dtype"]), path)
    bad = _nonfinite(arrays)
    if bad:
        raise EngineError(f"The weights in {path} hold NaN or infinite values (in "
                          f"{', '.join(bad)}), so the network cannot predict. The file is "
                          "damaged or was edited; use an unaltered copy or save the model "
                          "again.")
    return header, arrays


def model_metadata(path):
    """The metadata of the model file at ``path`` (either kind), read from its header
    alone; an :class:`EngineError` for a file that is not a readable model file."""
    return _read_arrays(Path(path), arrays=False)[0].get("metadata") or {}


def training_id(path):
    """The id of the training a model file at ``path`` holds (its metadata's
    ``training.id``), or None for a file written before trainings had ids; an
    :class:`EngineError` for a file that is not a readable model file."""
    metadata = model_metadata(path)
    training = metadata.get("training") if isinstance(metadata, dict) else None
    value = training.get("id") if isinstance(training, dict) else None
    return value if isinstance(value, str) else None


def holds_many_series(path):
    """True when the file at ``path`` is a global model's (``"kind": "many_series"``,
    :mod:`engine.many.model_file`); False for any other file, readable or not (the command
    that loads it then says what is wrong)."""
    try:
        return _read_arrays(Path(path), arrays=False)[0].get("kind") == "many_series"
    except EngineError:
        return False


def _read_model(path):
    """``(header, weights, fitted preprocessing)`` of the model file at ``path``, after
    every check."""
    header, arrays = read_checked_arrays(path)
    if header.get("kind") == "many_series":
        raise EngineError(f"{path} holds a model of many series (a global model); this "
                          "command works on a model of one series. 'rnn-studio forecast', "
                          "'evaluate', 'backtest' and 'export' take both kinds.")
    try:
        fitted = _check_fields(header)
    except EngineError as error:
        raise EngineError(f"The model file {path} has an invalid header: "
                          f"{str(error).rstrip('.')}. The file is damaged or was edited; use "
                          "an unaltered copy or save the model again.") from None
    return header, arrays, fitted


def read_model_header(path):
    """The header dict of the model file at ``path``, with every check :func:`load_model`
    makes."""
    return _read_model(Path(path))[0]


def loaded_model(model):
    """``model`` when it is a loaded :class:`~engine.model.forecaster.Forecaster`, else the
    model file at the path ``model`` (:func:`load_model`): what the Python calls that take
    a model accept."""
    return model if hasattr(model, "network") else load_model(model)


def load_model(path, n_threads=None):
    """Load the model file at ``path``: a :class:`~engine.model.forecaster.Forecaster` with
    the network, the header and the fitted preprocessing (parsed once).

    ``n_threads`` is given to the rebuilt network (it is not stored in the file). Raises
    :class:`EngineError` for a missing, foreign, damaged, altered, invalid or newer file.
    """
    path = Path(path)
    header, weights, fitted = _read_model(path)
    settings = header["network"]
    network = RecurrentNetwork(**network_settings(settings), n_threads=n_threads)
    try:
        network.load_state_dict(weights)
    except EngineError as error:
        raise EngineError(f"The model file {path} cannot be used: {error}") from error
    network.members_ = recorded_members(header, network)
    return Forecaster(network, header, fitted)


def recorded_members(header, network):
    """The networks averaged in a model file's network, as its metadata's ``choices``
    record them (:mod:`engine.network.ensemble`); 1 when they record none, or a number that
    does not divide every layer's units (the metadata only describes the network)."""
    choices = (header.get("metadata") or {}).get("choices")
    members = choices.get("members", 1) if isinstance(choices, dict) else 1
    sizes = [int(h) for h in network.hidden_sizes]
    if isinstance(members, bool) or not isinstance(members, int) or members < 1 \
            or any(h % members for h in sizes):
        return 1
    return members
