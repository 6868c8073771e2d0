"""Properties of the model-file reader, on generated damage and edits of a valid file.

Whatever is done to the file (bytes flipped, the file cut, any header field set to any
JSON value, an array replaced), loading it either gives back exactly what was written
(the same header and bit-identical predictions) or raises :class:`EngineError`, within a
few seconds. An edit re-zipped with a checksum made to fit it (as only a deliberate
forger would) may load; then evaluating and forecasting with it either work or raise
:class:`EngineError`, never another exception.
"""

import json
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.errors import EngineError
from engine.testing.evaluation import evaluate_frame
from engine.deploy.forecasting import forecast
from engine.model.model_file import HEADER_KEY, load_model, save_model
from helpers.model_files import header_of, members_of, rewrite_header
from helpers.models import seasonal_frame, untrained_model

SECONDS = 5
BOUNDED = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])
WIDTHS = [[3.0]]
METADATA = {"testing": {"from": "2018-01-01"},
            "intervals": {"method": "split conformal", "levels": [0.8, 0.9, 0.95],
                          "direct": {"0.8": WIDTHS, "0.9": WIDTHS, "0.95": WIDTHS},
                          "recursive": {"0.8": WIDTHS * 2, "0.9": WIDTHS * 2,
                                        "0.95": [[4.0], [None]]}}}


class Original:
    """The valid file, its bytes, members, header and predictions on fixed windows."""

    def __init__(self, folder):
        frame = seasonal_frame(rows=60)
        csv = folder / "series.csv"
        frame.to_csv(csv, index=False)
        model = untrained_model(csv, ["y"], "lstm", [3], transform="seasonal_difference",
                                lookback=4)
        self.path = folder / "original.npz"
        save_model(self.path, model.network, model.preprocessing, METADATA)
        self.bytes = self.path.read_bytes()
        self.members = members_of(self.path)
        self.header = header_of(self.members)
        self.frame = frame
        self.X = np.random.default_rng(0).standard_normal((4, 4, 2))
        self.predictions = load_model(self.path).network.predict(self.X)
        self.target = folder / "mutated.npz"


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    return Original(tmp_path_factory.mktemp("model-file-properties"))


def load_or_refuse(path):
    """The loaded model, or None when it was refused with an EngineError; any other
    exception fails the test, as does taking longer than ``SECONDS``."""
    started = time.perf_counter()
    try:
        model = load_model(path)
    except EngineError as error:
        assert "\n" not in str(error)
        model = None
    assert time.perf_counter() - started < SECONDS
    event("refused" if model is None else "loaded")
    return model


def assert_unchanged(model, original):
    """A model that loaded from a file changed without a fitting checksum must be the
    original one."""
    assert model.header == original.header
    assert model.network.predict(original.X).tobytes() == original.predictions.tobytes()


def use(model, original):
    """Evaluate and forecast with a loaded model: results or an EngineError."""
    started = time.perf_counter()
    for step in (lambda: evaluate_frame(model, original.frame),
                 lambda: evaluate_frame(model, original.frame, recursive=True),
                 lambda: forecast(model, original.frame, 3)):
        try:
            step()
        except EngineError as error:
            assert "\n" not in str(error)
    assert time.perf_counter() - started < SECONDS


def check_rewritten(original, header, members, fitting_checksum):
    """Write ``header`` and ``members``, load: refused, or the original model (stale
    checksum), or a model that evaluates and forecasts or refuses (fitting checksum)."""
    rewrite_header(original.target, header, members, checksum=fitting_checksum)
    model = load_or_refuse(original.target)
    if model is None:
        return
    if fitting_checksum:
        use(model, original)
    else:
        assert_unchanged(model, original)


# -- damage to the bytes -------------------------------------------------------------------

@BOUNDED
@given(data=st.data())
def test_flipped_bytes_are_refused_or_change_nothing(original, data):
    size = len(original.bytes)
    flips = data.draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(1, 255)),
                               min_size=1, max_size=4))
    damaged = bytearray(original.bytes)
    for position, mask in flips:
        damaged[position] ^= mask
    original.target.write_bytes(bytes(damaged))
    model = load_or_refuse(original.target)
    if model is not None:
        assert_unchanged(model, original)


@BOUNDED
@given(data=st.data())
def test_a_cut_file_is_refused(original, data):
    cut = data.draw(st.integers(0, len(original.bytes) - 1))
    original.target.write_bytes(original.bytes[:cut])
    assert load_or_refuse(original.target) is None


# -- header edits ------------------------------------------------------------------------------

def leaf_paths(value, path=()):
    """Every place in a JSON value: the paths of its dict keys and list items."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaf_paths(item, path + (index,))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
    | st.sampled_from(["", "none", "log", "months", "number", "y", "x", "standard",
                       "seasonal_difference", "2018-01-01", 0, 1, 12, -1, 0.0, 1e308]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6)


def edit(header, path, value, delete):
    """A copy of ``header`` with the item at ``path`` set to ``value`` or deleted."""
    header = json.loads(json.dumps(header))
    if not path:
        return value
    place = header
    for key in path[:-1]:
        place = place[key]
    if delete:
        del place[path[-1]]
    else:
        place[path[-1]] = value
    return header


@BOUNDED
@given(data=st.data(), fitting_checksum=st.booleans())
def test_any_header_edit_is_refused_or_safe_to_use(original, data, fitting_checksum):
    paths = [p for p in leaf_paths(original.header) if p[-1:] != ("checksum",)]
    path = data.draw(st.sampled_from(paths), label="path")
    delete = bool(path) and data.draw(st.booleans(), label="delete")
    value = None if delete else data.draw(JSON_VALUES, label="value")
    header = edit(original.header, path, value, delete)
    if not isinstance(header, dict):
        header = {"format": "rnn-studio-model", "value": header}
    check_rewritten(original, header, original.members, fitting_checksum)


# -- arrays replaced ---------------------------------------------------------------------------

ARRAY_DTYPES = ["<f8", ">f8", "<f4", "<f2", "<c16", "<i8", "|b1", "<U2"]


@BOUNDED
@given(data=st.data(), fitting_checksum=st.booleans())
def test_a_replaced_array_is_refused_or_safe_to_use(original, data, fitting_checksum):
    names = sorted(n for n in original.members if n != HEADER_KEY) + ["extra"]
    name = data.draw(st.sampled_from(names), label="name")
    old = original.members.get(name, np.zeros(2))
    shape = data.draw(st.sampled_from([old.shape, old.shape[::-1], (1,), (0,),
                                       old.shape + (1,)]), label="shape")
    dtype = data.draw(st.sampled_from(ARRAY_DTYPES), label="dtype")
    values = data.draw(st.sampled_from([0.0, 1.0, 1e300, np.nan, np.inf]), label="value")
    with np.errstate(all="ignore"):
        array = np.full(shape, values).astype(dtype)
    members = {**original.members, name: array}
    check_rewritten(original, original.header, members, fitting_checksum)
