"""The units of a global network, sized to its training windows (:func:`global_units`).

One layer of ``h`` GRU units that reads ``F`` numbers a step holds ``3 h (F + h + 2)``
weights: the ``3 h^2`` of its state grow sixteenfold from 32 units to 128 (49,152 against
3,072). The single-series pipeline calls data of fewer than
:data:`~engine.training.automatic.SMALL_DATA_WINDOWS` training windows small
(:func:`~engine.training.automatic.is_large_data`) and trains the single-series network
on it (:class:`~engine.network.architecture.Architecture`, a GRU of 32 units); a global
network's windows are counted the same way: under that many it gets the single-series
network's units, from that many on :data:`LARGE_UNITS`. On short panels (the Grunfeld
investment data, 11 series of 20 years, about 100 windows; 20 weekly M4 series of 150
values, 1,240; the fertility of 210 countries, about 4,000) 128 units did worse than 32 or
no better (benchmarks/results.md, "A global network sized to its training windows"); the
M4 sets (82,800 hourly windows, the latest 200 of 414 series; 58,628 weekly) keep 128.
"""

from dataclasses import replace

from engine.network.architecture import Architecture
from engine.training.automatic import SMALL_DATA_WINDOWS, is_large_data
from engine.words import counted

LARGE_UNITS = (128,)
"""The units of a global network of at least ``SMALL_DATA_WINDOWS`` training windows: the
size measured on the M4 hourly and weekly sets (64 and 256 units did no better there,
benchmarks/results.md, "Training windows per series, and other settings of the global
network")."""


def global_units(n_windows):
    """``(units,)`` of a global network of ``n_windows`` training windows: the single-series
    network's (32) below :data:`~engine.training.automatic.SMALL_DATA_WINDOWS`, else
    :data:`LARGE_UNITS`."""
    return LARGE_UNITS if is_large_data(n_windows) else tuple(Architecture().hidden_sizes)


def training_windows(data, settings):
    """The training windows the fit of ``settings`` (:class:`GlobalSettings`) takes of the
    series ``data``, counted by the fit's own function
    (:func:`~engine.many.global_model.training_counts`) on the rows up to each series'
    last known value, as the fit reads them: windows of the steps at once (a recursive
    block's too), rows with missing values left out, at most the cap of
    :meth:`~GlobalSettings.window_cap` a series (the latest 200 of each when left "auto").
    A lookback left None is the one the window's choice takes
    (:func:`~engine.many.global_model.choice_window` of ``data``)."""
    return _window_counts(data, settings)[0]


def _window_counts(data, settings):
    """``(windows, every)``: :func:`training_windows`, and the windows without the cap."""
    from engine.many.global_model import choice_window, training_counts

    if settings.lookback is None:
        settings = replace(settings, lookback=choice_window(settings, data)[0])
    return training_counts(data.without_unknown_tails(), settings)


def sized(settings, data, advice=""):
    """``(settings, note)``: ``settings`` with the units of :func:`global_units` for the
    training windows of ``data`` (:func:`training_windows`) when its ``hidden_sizes`` is
    None (left to the data), and the sentence that says why (:func:`units_note`, with
    ``advice``); as they are, and None, when the units were given."""
    if settings.hidden_sizes is not None:
        return settings, None
    windows, every = _window_counts(data, settings)
    units = global_units(windows)
    latest = settings.window_cap() if every > windows else None
    return replace(settings, hidden_sizes=units), units_note(units, windows, advice, latest)


def units_note(units, windows, advice="", latest=None):
    """The sentence on ``units`` chosen for ``windows`` training windows, e.g. "Units: 32
    per layer (1,240 training windows, fewer than 5,000)", ``advice`` (how to choose
    others) after a semicolon in the brackets; ``latest``: the windows were counted as the
    latest that many of each series (the fit may then take every window: the training
    line says how many)."""
    than = "at least" if is_large_data(windows) else "fewer than"
    advice = f"; {advice}" if advice else ""
    counted_as = f", counting the latest {latest:,} of each series:" if latest else ","
    return (f"Units: {' + '.join(map(str, units))} per layer "
            f"({counted(windows, 'training window')}{counted_as} {than} "
            f"{SMALL_DATA_WINDOWS:,}{advice})")
