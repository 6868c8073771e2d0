"""The global network's units follow its training windows (engine.many.sizing): the
single-series network's 32 on a short panel, 128 on panels as large as the M4 sets."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from engine.many.choosing import candidates
from engine.many.fitting import fit_global
from engine.many.global_model import GlobalSettings, global_windows
from engine.many.project_fit import use_global_network
from engine.many.series_data import from_frame
from engine.many.sizing import global_units, sized, training_windows
from engine.network.architecture import Architecture
from helpers.many_series import long_frame, seasonal

M4_WINDOWS = {"hourly, the latest 200 of 414 series": 82_800,
              "weekly, the latest 200 of 359 series": 58_628,
              "weekly, every window": 334_370}
"""The training windows of the M4 fits of benchmarks/many_series.py (the default fit, each
series' last 48 / 13 values held out), as :func:`training_windows` counts them."""
SHORT_WINDOWS = {"20 weekly M4 series of 150 values": 1_240,
                 "fertility of 210 countries": 4_365}


def _panel(n_series, rows):
    """``n_series`` seasonal series of ``rows`` rows each, without a time column."""
    return from_frame(long_frame({f"s{k}": seasonal(rows, 100.0 * (k + 1), seed=k)
                                  for k in range(n_series)}), "id", ["y"])


@pytest.mark.parametrize("name", M4_WINDOWS)
def test_the_m4_sets_keep_128_units(name):
    assert global_units(M4_WINDOWS[name]) == (128,)


def _fit_windows(data, settings):
    """The training windows of the fit of ``settings`` on ``data``, as
    :func:`global_windows` makes them (of the rows up to each series' last known value;
    a lookback left None: the window's choice's first candidate)."""
    if settings.lookback is None:
        settings = candidates(settings, data)[0]
    return len(global_windows(data.without_unknown_tails(), settings).Y)


def _grunfeld():
    """A panel of Grunfeld's shape: 11 series of 20 years."""
    return _panel(11, 20)


@pytest.mark.parametrize("name", SHORT_WINDOWS)
def test_a_short_panel_gets_the_single_series_networks_units(name):
    assert global_units(SHORT_WINDOWS[name]) == tuple(Architecture().hidden_sizes) == (32,)


def test_a_panel_of_grunfelds_shape_gets_the_single_series_networks_units():
    windows = _fit_windows(_grunfeld(), GlobalSettings(horizon=3, test_last=3))
    assert global_units(windows) == (32,)


def test_the_units_change_at_the_single_series_pipelines_small_data_bound():
    assert (global_units(4_999), global_units(5_000)) == ((32,), (128,))


def _with_empty_ends(series, empty=2):
    """``series`` each with ``empty`` empty rows after its values, and a series "none" of
    only empty values."""
    longer = {name: np.r_[values, np.full(empty, np.nan)] for name, values in series.items()}
    return from_frame(long_frame({**longer, "none": np.full(30, np.nan)}), "id", ["y"])


EMPTY_ENDS = {"a": seasonal(48, 100, 1), "b": seasonal(44, 500, 2), "c": seasonal(40, 50, 3)}
COUNTED = {
    "direct": (_grunfeld, dict(horizon=3, test_last=3)),
    "recursive, one step at once": (_grunfeld, dict(horizon=3, test_last=3, block=1)),
    "lookback given": (_grunfeld, dict(horizon=3, test_last=3, lookback=4)),
    "empty end rows": (lambda: _with_empty_ends(EMPTY_ENDS),
                       dict(horizon=4, test_last=4, season=4)),
    "empty end rows, lookback given": (lambda: _with_empty_ends(EMPTY_ENDS),
                                       dict(horizon=4, test_last=4, season=4, lookback=8)),
    "a missing value": (lambda: from_frame(long_frame(
        {**EMPTY_ENDS, "a": np.r_[seasonal(20, 100, 1), np.nan, seasonal(27, 120, 4)]}),
        "id", ["y"]), dict(horizon=4, test_last=4, season=4, lookback=8)),
}


@pytest.mark.parametrize("name", COUNTED)
def test_the_windows_counted_are_those_the_fit_trains_on(name):
    make, given = COUNTED[name]
    data, settings = make(), GlobalSettings(**given)
    assert training_windows(data, settings) == _fit_windows(data, settings) > 0


def test_the_windows_of_long_series_are_counted_up_to_the_latest_200_of_each():
    data = _panel(30, 400)
    settings = GlobalSettings(horizon=4, test_last=4, season=4)
    assert training_windows(data, settings) == 30 * 200
    assert sized(settings, data)[0].hidden_sizes == (128,)
    every = training_windows(data, replace(settings, windows_per_series="all"))
    assert 30 * 200 < every < 30 * 400
    assert sized(settings, data)[1] == ("Units: 128 per layer (6,000 training windows, "
                                        "counting the latest 200 of each series: at least "
                                        "5,000)")
    short = _panel(30, 100)                       # every window counted: no such words
    assert "counting" not in sized(settings, short)[1]


def test_a_fit_of_a_short_panel_left_to_the_data_trains_32_units_and_says_why():
    """Its note counts the fit's own windows: of the lookback ``fit_global`` takes when it
    is left None (longer than the window's choice's on this panel)."""
    data = _grunfeld()
    settings = GlobalSettings(horizon=3, test_last=3, max_epochs=2, members=1)
    assert settings.hidden_sizes is None
    model = fit_global(data, settings, later=False)
    assert model.settings["hidden_sizes"] == [32]
    assert list(model.network.hidden_sizes) == [32]
    windows = model.settings["training_windows"]
    assert f"Units: 32 per layer ({windows} training windows, fewer than 5,000)" in \
        model.notes


def test_units_given_are_kept_whatever_the_windows():
    data = _grunfeld()
    settings, note = sized(GlobalSettings(horizon=3, test_last=3, hidden_sizes=(64,)), data)
    assert settings.hidden_sizes == (64,) and note is None


def test_the_pages_network_follows_the_windows_of_the_series():
    architecture = Architecture(cell="lstm", hidden_sizes=[8, 8], linear_path=False)
    note = use_global_network(architecture, 1_240)
    assert (architecture.cell, architecture.hidden_sizes, architecture.linear_path) == \
        ("gru", [32], True)
    assert note.endswith("a GRU of 32 units, for the 1,240 training windows of the series.")
    use_global_network(architecture, M4_WINDOWS["hourly, the latest 200 of 414 series"])
    assert architecture.hidden_sizes == [128]
    architecture.hidden_sizes = [8]
    assert "GRU of 128 units, as it reads every series" in use_global_network(architecture)
    assert architecture.hidden_sizes == [128]              # the windows not known yet


def test_fit_of_a_short_panel_says_the_units_and_writes_them_to_its_project(tmp_path):
    import io
    import json

    from engine.cli.main import main

    data = tmp_path / "panel.csv"
    long_frame({f"s{k}": seasonal(20, 100.0 * (k + 1), seed=k) for k in range(11)}).to_csv(
        data, index=False)
    out, err = io.StringIO(), io.StringIO()
    status = main(["fit", str(data), "--series", "id", "--target", "y", "--test-last", "3",
                   "--horizon", "3", "--epochs", "2", "--members", "1",
                   "--out", str(tmp_path / "m.npz")], out=out, err=err)
    assert status == 0, err.getvalue()
    windows = _fit_windows(from_frame(pd.read_csv(data), "id", ["y"]),
                           GlobalSettings(horizon=3, test_last=3))
    assert f"Units: 32 per layer ({windows} training windows, fewer than 5,000; --hidden N " \
           "to choose others)" in out.getvalue()
    assert "GRU hidden [32]" in out.getvalue()
    project = json.loads((tmp_path / "m.json").read_text())
    assert project["architecture"]["hidden_sizes"] == [32]


def test_the_window_choice_sizes_the_network_once_before_its_trials(monkeypatch):
    """``fit_chosen`` with units left to the data: the trials and the fit get the units of
    the fit's training windows (a trial sized on its own shorter data could get others)."""
    from types import SimpleNamespace

    import engine.many.choosing as choosing
    import engine.many.fitting as fitting

    seen = {}

    def choose(data, settings, task=None):
        seen["trials"] = settings.hidden_sizes
        return settings, []

    def fit(data, settings, task=None, **kw):
        seen["fit"] = settings.hidden_sizes
        return SimpleNamespace(settings={}, notes=[])

    monkeypatch.setattr(choosing, "choose_settings", choose)
    monkeypatch.setattr(fitting, "fit_global", fit)
    model = choosing.fit_chosen(_panel(30, 100), GlobalSettings(horizon=4, test_last=4,
                                                                season=4))
    assert seen == {"trials": (32,), "fit": (32,)}
    assert model.notes[0].startswith("Units: 32 per layer (")
