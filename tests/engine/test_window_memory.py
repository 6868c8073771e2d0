"""Training and prediction read windows batch by batch: a large set of overlapping windows
(a strided view or a lazy WindowArray) is never copied whole."""

import tracemalloc

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine import RecurrentNetwork
from engine.data import WindowArray

ROWS, FEATURES, LOOKBACK = 100_000, 10, 50
FULL_COPY = (ROWS - LOOKBACK + 1) * LOOKBACK * FEATURES * 8      # about 400 MB


def series_windows():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(ROWS, FEATURES))
    windows = sliding_window_view(data, LOOKBACK, axis=0).transpose(0, 2, 1)
    targets = data[LOOKBACK - 1:, :1].copy()
    return windows, targets


def peak_bytes(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_fit_and_predict_on_a_strided_view_do_not_copy_all_windows():
    windows, targets = series_windows()
    assert np.shares_memory(windows, windows.base)
    net = RecurrentNetwork(cell="gru", n_inputs=FEATURES, hidden_sizes=[4], seed=0)
    peak = peak_bytes(lambda: net.fit(windows, targets, max_epochs=1, batch_size=512))
    assert net.best_epoch_ == 1
    assert peak < FULL_COPY / 8, f"peak {peak / 2**20:.1f} MiB"
    peak = peak_bytes(lambda: net.predict(windows))
    assert peak < FULL_COPY / 8, f"peak {peak / 2**20:.1f} MiB"


def test_fit_on_a_window_array_matches_fit_on_the_copied_windows():
    windows, targets = series_windows()
    lazy = WindowArray(windows[:3000], np.arange(0, 3000, 2))
    copied = np.asarray(lazy)
    Y = targets[:3000:2]
    a = RecurrentNetwork(cell="lstm", n_inputs=FEATURES, hidden_sizes=[3], seed=1,
                         dtype="float32").fit(lazy, Y, max_epochs=2, batch_size=64)
    b = RecurrentNetwork(cell="lstm", n_inputs=FEATURES, hidden_sizes=[3], seed=1,
                         dtype="float32").fit(copied, Y, max_epochs=2, batch_size=64)
    for name, value in a.state_dict().items():
        np.testing.assert_array_equal(value, b.state_dict()[name])
    assert a.predict(lazy).dtype == np.float32
    np.testing.assert_array_equal(a.predict(lazy), b.predict(copied))


def test_nan_in_a_late_chunk_of_a_view_is_found_with_its_index():
    import pytest

    from engine import EngineError

    data = np.random.default_rng(1).normal(size=(ROWS, FEATURES))
    data[5000, 3] = np.nan
    windows = sliding_window_view(data, 2, axis=0).transpose(0, 2, 1)
    net = RecurrentNetwork(cell="rnn", n_inputs=FEATURES, hidden_sizes=[2])
    # window 4999 reads rows 4999-5000 (the NaN at its step 1), window 5000 rows 5000-5001
    with pytest.raises(EngineError, match=r"2 missing .* first at index \(4999, 1, 3\)"):
        net.predict(windows)
