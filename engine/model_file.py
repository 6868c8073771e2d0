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

Header (format version 1)::

    {"format": "rnn-studio-model", "format_version": 1, "application_version": "0.1.0",
     "created": "2026-05-09T10:11:12+00:00",
     "network": {"cell": "gru", "n_inputs": 3, "hidden_sizes": [32], "n_outputs": 1,
                 "activation": "tanh", "dtype": "float32", "seed": 0},
     "preprocessing": {...from the data layer...}, "metadata": {...},
     "weights": {"count": 3553, "sha256": "..."}}

``weights.sha256`` is :func:`weights_checksum` of the arrays. It detects a damaged or
edited file; it is no signature (whoever edits the weights can recompute it). Sizes are
checked before anything is read: a header of at most :data:`MAX_HEADER_BYTES` and a
declared network of at most :data:`MAX_PARAMETERS` parameters, so that a small hostile
file cannot make the loader allocate gigabytes.
"""

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .atomic import atomic_file, json_ready
from .errors import EngineError, newer_version_error
from .network import RecurrentNetwork
from .parameters import GATES, parameter_shapes

FORMAT_NAME = "rnn-studio-model"
FORMAT_VERSION = 1
HEADER_KEY = "header"
NETWORK_KEYS = ("cell", "n_inputs", "hidden_sizes", "n_outputs", "activation", "dtype", "seed")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Limits that keep a hostile file (e.g. a tiny, highly compressed archive that declares
# huge arrays) from filling the memory: nothing is read before its declared size is checked.
MAX_HEADER_BYTES = 64 * 2**20
MAX_PARAMETERS = 100_000_000


@dataclass
class ModelFile:
    """A loaded model: the ready network and the file's header (a plain dict)."""

    network: RecurrentNetwork
    header: dict

    @property
    def preprocessing(self):
        """The fitted preprocessing dict of the data layer, as saved."""
        return self.header["preprocessing"]

    @property
    def metadata(self):
        """The metadata dict (e.g. a training summary), as saved; ``{}`` when none."""
        return self.header["metadata"]


def weights_checksum(weights):
    """SHA-256 (hex) of named arrays, independent of byte order and of dict order.

    For each name in sorted order it hashes ``name``, NUL, the little-endian dtype string
    (``<f4``, ``<f8``), NUL, the shape as comma-separated integers, NUL, then the values in
    C order as little-endian bytes.
    """
    digest = hashlib.sha256()
    for name in sorted(weights):
        array = np.asarray(weights[name])
        array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
        shape = ",".join(str(n) for n in array.shape)
        digest.update(f"{name}\0{array.dtype.str}\0{shape}\0".encode("utf-8"))
        digest.update(array.tobytes())
    return digest.hexdigest()


def _network_settings(network):
    """The settings that rebuild ``network``, as plain JSON values (validated)."""
    network.parameters_                     # builds the weights, validating the settings
    params = network.get_params()
    sizes = params["hidden_sizes"]
    sizes = [int(sizes)] if np.ndim(sizes) == 0 else [int(s) for s in sizes]
    seed = params["seed"]
    return {"cell": str(params["cell"]), "n_inputs": int(params["n_inputs"]),
            "hidden_sizes": sizes, "n_outputs": int(params["n_outputs"]),
            "activation": str(params["activation"]), "dtype": np.dtype(params["dtype"]).name,
            "seed": int(seed) if isinstance(seed, (int, np.integer)) else None}


def save_model(path, network, preprocessing, metadata=None):
    """Save ``network`` with its ``preprocessing`` dict and optional ``metadata`` to ``path``.

    The write is atomic: an existing file at ``path`` stays as it was if saving fails.
    Both dicts must be JSON-able (see :func:`engine.atomic.json_ready`). Returns the header
    as written (equal to ``load_model(path).header``).
    """
    if not isinstance(network, RecurrentNetwork):
        raise EngineError(f"Only a RecurrentNetwork can be saved as a model; got "
                          f"{type(network).__name__}.")
    if not isinstance(preprocessing, dict):
        raise EngineError("The preprocessing must be a dict (the fitted data-set "
                          f"preprocessing); got {type(preprocessing).__name__}.")
    if metadata is not None and not isinstance(metadata, dict):
        raise EngineError(f"The metadata must be a dict or None; got {type(metadata).__name__}.")
    settings = _network_settings(network)
    weights = network.state_dict()
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "application_version": _application_version(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "network": settings,
        "preprocessing": json_ready(preprocessing, "preprocessing"),
        "metadata": json_ready(metadata or {}, "metadata"),
        "weights": {"count": int(sum(a.size for a in weights.values())),
                    "sha256": weights_checksum(weights)},
    }
    text = json.dumps(header, ensure_ascii=False, allow_nan=False, indent=1)
    members = {HEADER_KEY: np.frombuffer(text.encode("utf-8"), dtype=np.uint8), **weights}
    with atomic_file(path, "wb") as handle:
        np.savez(handle, allow_pickle=False, **members)
    return json.loads(text)


def _application_version():
    from . import __version__
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


def _open_checks(path):
    """Raise unless ``path`` is an existing, non-empty file that starts like a zip."""
    if not path.exists():
        raise EngineError(f"There is no model file at {path}. Check the file name and folder.")
    if path.is_dir():
        raise EngineError(f"{path} is a folder, not a model file. Choose the model file "
                          "(.npz) inside it.")
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


def _member_layouts(npz, path):
    """``{name: (shape, dtype)}`` of every array, read from the ``.npy`` headers only.

    Refuses members that are not plain ``.npy`` arrays and arrays that hold Python objects
    (those could only be read by unpickling).
    """
    layouts = {}
    for info in npz.zip.infolist():
        if not info.filename.endswith(".npy"):
            raise EngineError(f"{path} is not an RNN Studio model file: it contains "
                              f"{info.filename!r}, which is not a NumPy array.")
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
        if name == HEADER_KEY and np.prod(shape, dtype=float) > MAX_HEADER_BYTES:
            raise EngineError(f"{path} declares a header of {np.prod(shape, dtype=float):,.0f} "
                              f"bytes, more than the {MAX_HEADER_BYTES // 2**20} MiB an RNN "
                              "Studio model header can have; it was not loaded.")
        if dtype.hasobject:
            raise EngineError(f"{path} contains Python objects (in {name!r}) that could only "
                              "be read by unpickling, which can run code. RNN Studio model "
                              "files never contain them, so the file was not made by RNN "
                              "Studio or has been tampered with; it was not loaded.")
        layouts[name] = (tuple(shape), dtype)
    return layouts


def _read_header(npz, layouts, path):
    """The header dict, checked for format, version and the keys this version needs."""
    if HEADER_KEY not in layouts:
        raise EngineError(f"{path} is a NumPy/zip archive but not an RNN Studio model file: "
                          "it has no RNN Studio header. Choose a model file saved by RNN "
                          "Studio.")
    shape, dtype = layouts[HEADER_KEY]
    if dtype != np.uint8 or len(shape) != 1:
        raise EngineError(f"{path} is not an RNN Studio model file: its 'header' is not "
                          "a byte string.")
    try:
        header = json.loads(npz[HEADER_KEY].tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
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
    for key, kind in (("network", dict), ("preprocessing", dict), ("metadata", dict),
                      ("weights", dict)):
        if not isinstance(header.get(key), kind):
            raise _damaged(path, f"its header has no {key!r} section")
    if not isinstance(header["weights"].get("sha256"), str):
        raise _damaged(path, "its header has no checksum of the weights")
    return header


def _declared_shapes(settings, path):
    """The parameter shapes of the network a header declares, checking its settings."""
    def bad(what):
        return EngineError(f"{path} declares an invalid network ({what}); the file is "
                           "damaged or was edited. Save the model again.")

    def whole(value, name):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad(f"{name} = {value!r}")
        return value

    missing = [key for key in NETWORK_KEYS if key not in settings]
    if missing:
        raise bad(f"missing {', '.join(missing)}")
    if settings["cell"] not in GATES:
        raise bad(f"cell = {settings['cell']!r}")
    if settings["activation"] not in ("tanh", "relu"):
        raise bad(f"activation = {settings['activation']!r}")
    if settings["dtype"] not in ("float32", "float64"):
        raise bad(f"dtype = {settings['dtype']!r}")
    sizes = settings["hidden_sizes"]
    if not isinstance(sizes, list) or not sizes:
        raise bad(f"hidden_sizes = {sizes!r}")
    for size in sizes:
        whole(size, "hidden_sizes")
    seed = settings["seed"]
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise bad(f"seed = {seed!r}")
    shapes = parameter_shapes(settings["cell"], whole(settings["n_inputs"], "n_inputs"),
                              sizes, whole(settings["n_outputs"], "n_outputs"))
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
            if got_dtype.kind != "f" or got_dtype.itemsize != dtype.itemsize:
                problems.append(f"{name} holds {got_dtype} instead of {dtype}")
    if problems:
        raise EngineError(f"The weights in {path} do not fit the network its header "
                          f"declares: {'; '.join(problems)}. The file is damaged or was "
                          "edited; save the model again.")


def read_model_header(path):
    """The header dict of the model file at ``path``, checked, without building the network."""
    path = Path(path)
    _open_checks(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            return _read_header(npz, _member_layouts(npz, path), path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        if isinstance(error, EngineError):
            raise
        raise _damaged(path, str(error) or type(error).__name__) from error


def load_model(path, n_threads=None):
    """Load the model file at ``path``: a :class:`ModelFile` with the network and header.

    ``n_threads`` is given to the rebuilt network (it is not stored in the file). Raises
    :class:`EngineError` for a missing, foreign, damaged, altered or newer file.
    """
    path = Path(path)
    _open_checks(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            layouts = _member_layouts(npz, path)
            header = _read_header(npz, layouts, path)
            settings = header["network"]
            expected = _declared_shapes(settings, path)
            _check_layouts(layouts, expected, np.dtype(settings["dtype"]), path)
            weights = {name: npz[name] for name in expected}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        if isinstance(error, EngineError):
            raise
        raise _damaged(path, str(error) or type(error).__name__) from error
    if weights_checksum(weights) != header["weights"]["sha256"]:
        raise EngineError(f"The weights in {path} do not match their checksum: the file was "
                          "altered or damaged after it was saved. Use an unaltered copy or "
                          "save the model again.")
    network = RecurrentNetwork(**{key: settings[key] for key in NETWORK_KEYS},
                               n_threads=n_threads)
    try:
        network.load_state_dict(weights)
    except EngineError as error:
        raise EngineError(f"The model file {path} cannot be used: {error}") from error
    return ModelFile(network=network, header=header)
