"""One network over the windows of many series (a global model).

Per series ``i`` with ``n_i`` rows and a testing part of its last ``N`` rows (``test_last``):

* the network's windows read ``L`` rows (the lookback) and give the next ``H`` steps at once
  (the horizon; direct outputs), or the next ``b`` (``block``, fewer than ``H``): the ``H``
  steps then go on in blocks of ``b``, each block read from the forecasts before it
  (recursive; :mod:`engine.many.forecasting`); the recurrent layers read a window in
  ``L / f`` steps of ``f`` rows each (the fold, :func:`window_view`): with ``f`` the
  season, one step is a whole season (a day of hourly rows), so the network runs 7 steps
  over a week of hours instead of 168 and sees each hour beside the same hour of the
  other days;
* selection: the windows whose last target is one of the last ``H`` rows before the
  testing part (``H`` windows per series), for early stopping and the forecast intervals;
* training: the windows whose targets end before those rows: the latest
  :data:`LATEST_WINDOWS` of each series, or every one of them (``windows_per_series``,
  :meth:`GlobalSettings.window_cap`);
* testing: the window that ends at the last row before the testing part forecasts the
  first ``H`` testing rows.

The features, the targets and the per-series scaling are :mod:`engine.many.scaling`'s. All
windows are views into one feature array (``rows x features`` numbers, no copy per
window); the targets are built for the windows used, ``windows x H x targets`` numbers.
"""

from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import numpy as np
from numpy.lib.stride_tricks import as_strided

from engine.data.csv_reader import with_corrections
from engine.data.windows import WindowArray, input_view, usable_anchors
from engine.errors import EngineError
from engine.network.validation import hidden_units, whole_number
from engine.many.scaling import (SERIES_ROWS, fit_scaling, from_targets, level_window,
                                 row_features, window_targets)
from engine.words import counted, some_named, verb

LEVELS = (0.8, 0.9, 0.95)      # the forecast intervals offered (share of outcomes inside)
AVERAGE_EPOCHS = 3
"""The most epochs' steps a network's weights are averaged over (``average_steps`` is cut
to this many epochs of the training windows): a longer average reaches back to weights of
the start of the training."""
LATEST_WINDOWS = 200
"""The training windows a series gives unless more are asked for or chosen: its latest this
many (on the M4 hourly series, 400 a series gained nothing and took twice the time)."""


def earlier_names(name):
    """The names versions before the series column was read as text gave a series named
    ``name`` when it looks like a number: the number's shortest form (``3.10`` as ``3.1``,
    ``1`` as ``1.0`` in a column of decimals) and, when whole, the integer (``001`` as
    ``1``); none for other names."""
    try:
        value = float(name)
    except ValueError:
        return []
    forms = [repr(value)]
    if value.is_integer() and abs(value) < 2 ** 63:
        forms.append(str(int(value)))
    return forms


def matched_numbers(trained, names, earlier=False):
    """The number in ``trained`` (a model's series) of each of ``names`` (a list), None for
    a name it does not hold. With ``earlier`` (a model saved before series names were
    read as the file writes them, :attr:`GlobalModel.names_read_as_numbers`), a name that
    looks like a number also matches the name such a version read it as
    (:func:`earlier_names`: ``001`` as ``1``), where no name of ``names`` matches that
    series as written and no name before it took it: ``1``, ``01`` and ``1.0`` of one file
    are one series of it and two new ones."""
    known = {name: i for i, name in enumerate(trained)}
    numbers = [known.get(name) for name in names]
    if not earlier:
        return numbers
    taken = {number for number in numbers if number is not None}
    for k, name in enumerate(names):
        if numbers[k] is None:
            numbers[k] = next((known[form] for form in earlier_names(name)
                               if form in known and known[form] not in taken), None)
            taken.add(numbers[k])
    return numbers


def series_matched(trained, names, leave_out=True, earlier=False):
    """``(numbers, new)``: :func:`matched_numbers` of ``names`` in ``trained`` (a model's
    series; ``earlier``: as that function says) and the names it does not hold, new to the
    model. Raises an EngineError that names the new series and says to train the model
    again with them when every name is new, or, when not ``leave_out``, when any is."""
    numbers = matched_numbers(trained, names, earlier)
    new = [name for name, number in zip(names, numbers) if number is None]
    if new and (not leave_out or len(new) == len(names)):
        n = len(new)
        which = verb(n, "the one series", f"all {n:,} series") if n == len(names) else \
            f"{n:,}"
        raise EngineError(f"The model was trained on {len(trained):,} series; {which} in the "
                          f"data {verb(n, 'is', 'are')} new to it ({some_named(new)}). A "
                          "global model forecasts, scores and predicts the series it was "
                          "trained on; train it again with "
                          f"{verb(n, 'this series', 'these series')}.")
    return numbers, new


@dataclass
class GlobalSettings:
    """What a global fit does; ``None`` fields are chosen from the data
    (:func:`default_lookback`; the units: :func:`engine.many.sizing.sized`)."""

    horizon: int
    test_last: int = 0
    season: int | None = None
    lookback: int | None = None
    cell: str = "gru"
    hidden_sizes: tuple | None = None     # None: sized to the training windows
                                          # (engine.many.sizing.sized)
    linear_path: bool = True
    members: int = 3
    windows_per_series: int | str = "auto"   # a number, "all", or "auto": window_cap()
    average_steps: int | str | None = "auto"  # weights averaged over about this many steps
                                              # (engine.training.weight_average); "auto":
                                              # engine.many.choosing.with_windows; None: off
    max_epochs: int = 40
    patience: int = 6
    batch_size: int = 256
    learning_rate: float = 1e-3
    loss: str = "mae"
    seed: int = 0
    n_threads: int | None = None
    fold: int | None = None            # rows per step of the network; None: the season's
    series_column: str = "series"      # the data's columns, to read a file for forecasts
    time_column: str | None = None
    static_columns: tuple = ()         # columns of one value per series, read one-hot
    block: int | None = None           # steps the network gives at once; None: the horizon

    @property
    def steps_at_once(self):
        """The network's output steps: ``block``, else the horizon (direct)."""
        return int(self.block) if self.block else int(self.horizon)

    def window_cap(self):
        """The most training windows a series gives (its latest ones), None for every one:
        ``windows_per_series`` when a number, None when "all", :data:`LATEST_WINDOWS` when
        "auto" (which the window's choice, :func:`engine.many.choosing.choose_settings`,
        turns into "all" when early stopping ends its network after a few epochs)."""
        if self.windows_per_series in ("auto", "all"):
            return LATEST_WINDOWS if self.windows_per_series == "auto" else None
        return int(self.windows_per_series)

    def check(self):
        """Raise an EngineError that names the first setting (by its name here) that is not
        a whole number where one is needed, or out of its range; ``hidden_sizes`` of one
        number becomes one layer's ``(units,)`` (None stays: the fit sizes it)."""
        for name, least in (("horizon", 1), ("test_last", 0), ("members", 1),
                            ("max_epochs", 1), ("batch_size", 1), ("seed", 0)):
            whole_number(getattr(self, name), name, least)
        for name in ("season", "lookback", "fold", "block"):     # their ranges below
            value = getattr(self, name)
            if value is not None and (isinstance(value, (bool, np.bool_))
                                      or not isinstance(value, (int, np.integer))):
                raise EngineError(f"{name} must be a whole number (or None to choose it "
                                  f"from the data); got {value!r}.")
        if self.hidden_sizes is not None:
            self.hidden_sizes = tuple(hidden_units(self.hidden_sizes))
        if self.lookback is not None and int(self.lookback) < 2:
            raise EngineError(f"The lookback must be at least 2 rows; got {self.lookback}.")
        cap = self.windows_per_series
        if cap not in ("auto", "all") and (isinstance(cap, bool) or not isinstance(
                cap, (int, np.integer)) or cap < 1):
            raise EngineError(f"The training windows per series must be a number of at least "
                              f"1, \"all\" or \"auto\"; got {self.windows_per_series!r}.")
        steps = self.average_steps
        if steps not in ("auto", None, 0) and (isinstance(steps, bool) or not isinstance(
                steps, (int, np.integer)) or steps < 1):
            raise EngineError(f"The steps the weights are averaged over must be a number of "
                              f"at least 1, \"auto\", or None or 0 (off); got {steps!r}.")
        if self.block is not None and not 1 <= int(self.block) <= int(self.horizon):
            raise EngineError(f"The steps forecast at once (block) must be between 1 and "
                              f"the horizon ({self.horizon}); got {self.block}.")
        if self.fold is not None and int(self.fold) < 1:
            raise EngineError(f"The rows per step (fold) must be at least 1; got {self.fold}.")
        if self.fold is not None and self.lookback is not None and \
                int(self.lookback) % int(self.fold):
            raise EngineError(f"The lookback ({self.lookback} rows) must be a whole number "
                              f"of steps of {self.fold} rows (the fold).")


def window_plan(settings, fit_rows):
    """``(lookback, fold)`` of a fit: the lookback given, else :func:`default_lookback`
    rounded down to whole steps of the fold given, or to whole seasons (when it holds two
    or more); the fold given, else the
    season when the lookback is a whole number of seasons; without a season, the horizon
    when the lookback is a whole number of horizons (a year of weekly rows in 4 steps of
    13); else 1."""
    season = int(settings.season) if settings.season and settings.season > 1 else 1
    lookback = settings.lookback
    if lookback is None:
        lookback = default_lookback(settings.season, int(settings.horizon), fit_rows)
        if settings.fold is not None:              # whole steps of the fold given
            lookback = max(lookback - lookback % int(settings.fold), int(settings.fold))
        elif season > 1 and lookback >= 2 * season:
            lookback -= lookback % season
    fold = settings.fold
    if fold is None:
        horizon = int(settings.horizon)
        fold = season if season > 1 and lookback % season == 0 else \
            horizon if season == 1 and horizon > 1 and lookback % horizon == 0 else 1
    return int(lookback), int(fold)


def choice_window(settings, data):
    """``(lookback, fold)`` the window's choice starts from
    (:func:`engine.many.choosing.candidates`): :func:`window_plan` of the rows of each of
    ``data``'s series before its testing part and the ``H`` rows of the latest origin."""
    return window_plan(settings, data.lengths - int(settings.test_last) -
                       int(settings.horizon))


def window_view(features, lookback, fold=1):
    """All windows of ``features`` (rows, F), C-contiguous, as a read-only view
    (rows - L + 1, L / fold, fold * F): window ``k`` reads rows ``k .. k + L - 1``, its step
    ``j`` holds rows ``k + j fold .. k + (j + 1) fold - 1`` side by side (their features in
    row order). ``fold`` 1 is :func:`engine.data.windows.input_view`."""
    if fold == 1:
        return input_view(features, lookback)
    features = np.ascontiguousarray(features)
    rows, width = features.shape
    count, size = max(rows - lookback + 1, 0), features.itemsize
    if count == 0:
        return np.empty((0, lookback // fold, fold * width), dtype=features.dtype)
    return as_strided(features, shape=(count, lookback // fold, fold * width),
                      strides=(width * size, fold * width * size, size), writeable=False)


def default_lookback(season, horizon, fit_rows):
    """Four horizons, at least two seasons, at most a week of seasons (168 hourly rows); and
    at most half of what the median series holds before its selection and testing rows
    and the rows its first window's level reads (``fit_rows`` (n_series,), the rows before
    each testing part), so that it has windows to train on."""
    m = int(season) if season and season > 1 else 1
    wanted = max(4 * horizon, 2 * m)
    if m > 1:
        wanted = min(wanted, 7 * m)
    room = (float(np.median(fit_rows)) - 2 * horizon - warmup_rows(season, wanted)) / 2
    return int(max(2, min(wanted, room)))


def warmup_rows(season, lookback):
    """The rows before a window's first row that its features read: the level's
    (:func:`~engine.many.scaling.level_window`) and the change's (1)."""
    return max(level_window(season, lookback) - 1, 1)


def rows_needed(season, lookback, horizon):
    """The fewest rows a series needs before its testing part for one training window
    and its selection windows."""
    return warmup_rows(season, lookback) + lookback + 2 * horizon


def reach_words(steps, at_once):
    """A network's forecast of ``steps`` steps, ``at_once`` of them at a time, in words:
    ``48 steps ahead at once``, or when recursive ``48 steps ahead, 24 at once, each block
    from the forecasts before it``."""
    if int(steps) <= int(at_once):
        return "1 step ahead" if int(at_once) == 1 else f"{at_once} steps ahead at once"
    return f"{steps} steps ahead, {at_once} at once, each block from the forecasts before it"


def trained_members(model):
    """The networks a global model averages: its merged network holds each member's units
    side by side (:mod:`engine.network.ensemble`), so a training stopped after the first
    of three has one, whatever its settings asked for."""
    per_member = [int(s) for s in model.settings.get("hidden_sizes", [])]
    merged = [int(h) for h in model.network.hidden_sizes]
    if per_member and merged and per_member[0] > 0 and merged[0] % per_member[0] == 0:
        return max(merged[0] // per_member[0], 1)
    return int(model.settings.get("members") or 1)


def member_weights(model):
    """The weights of one of the networks a global model averages: its merged network's
    are more than their sum, as it holds zeros between the members' units
    (:mod:`engine.network.ensemble`; the M4 hourly model: 3 x 190,104 against 849,048)."""
    from engine.network.recurrent import RecurrentNetwork

    units = [int(s) for s in model.settings.get("hidden_sizes", [])]
    if not units:
        return model.network.n_parameters
    return RecurrentNetwork(**{**model.network.get_params(), "hidden_sizes": units}
                            ).n_parameters


def network_words(model):
    """A global model's network in words: ``one GRU of 32 units``, ``the average of 3 GRU
    networks of 64 + 32 units`` (the units of one member, layer by layer); ``a linear
    autoregression (the recurrent part of ... unused ...)`` when its training kept the
    least-squares start (:func:`~engine.training.share_words.recurrent_unused`)."""
    from engine.selection.candidates import CELL_NAMES
    from engine.training.share_words import averaged_words, recurrent_unused, unused_words

    settings = model.settings
    members = trained_members(model)
    cell = CELL_NAMES.get(settings.get("cell"), settings.get("cell"))
    units = " + ".join(str(int(s)) for s in settings.get("hidden_sizes", []))
    kind = f"the average of {members} {cell} networks" if members > 1 else f"one {cell}"
    described = f"{kind} of {units} units"
    if recurrent_unused(model.network):
        return unused_words(described)
    return averaged_words(described, model.network, members)


def network_label(model):
    """How a table of scores names a global model: ``global network``, or ``linear
    autoregression`` when its training kept the least-squares start (its recurrent part
    unused, :func:`~engine.training.share_words.recurrent_unused`), as step 7 and
    :func:`network_words` name it."""
    from engine.many.comparators import LABELS
    from engine.training.share_words import recurrent_unused

    return "linear autoregression" if recurrent_unused(model.network) else LABELS["network"]


def never_narrower_bounds(bounds, targets, before=None):
    """A level's (2, b * targets) lower and upper scaled errors (per output, step by step
    as the network gives them) made never to narrow with the step: per target, the upper
    bound at step ``h`` is the largest of the upper bounds at steps ``1 .. h`` and the lower
    the smallest of the lower ones (:func:`~engine.testing.intervals.never_narrower` on
    each side; unknown, NaN, from the first unknown step on). Each step's bounds are a
    conformal quantile of its own selection errors, a few hundred at most, so a hard window
    can widen step 1 and not step 2 (40 weekly M4 series: the 90% upper bound 3.36 at 11
    steps ahead, 2.84 at 12); a forecast further ahead is not more certain, and a wider
    interval never holds less, so each step keeps its level. ``before``: the bounds of the
    block before (the first block's for a later block), whose last step the first steps
    take at least."""
    from engine.testing.intervals import never_narrower

    bounds = np.asarray(bounds, float).reshape(2, -1, int(targets))
    first = 0
    if before is not None:
        last = np.asarray(before, float).reshape(2, -1, int(targets))[:, -1:]
        bounds, first = np.concatenate([last, bounds], axis=1), 1
    lower, upper = -never_narrower(-bounds[0]), never_narrower(bounds[1])
    return np.stack([lower[first:], upper[first:]]).reshape(2, -1)


@dataclass
class GlobalModel:
    """A trained global network with what it needs to forecast any of its series."""

    network: object
    scaling: object
    ids: list
    target_names: list
    input_names: list
    horizon: int
    lookback: int
    interval_errors: dict           # level -> (2, H * n_targets) bounds of scaled errors
                                    # (NaN: unknown, too few selection windows)
    settings: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    fold: int = 1                   # rows per step of the network (window_view)
    later_errors: dict = None       # level -> (2, H * n_targets): the second block's
    metadata: dict = field(default_factory=dict)    # its model file's: the fit's scores

    @property
    def steps(self):
        """The steps the fit was asked for (its settings' horizon ``H``): the network gives
        :attr:`horizon` of them at once, the rest in blocks fed its own forecasts."""
        return int(self.settings.get("horizon") or self.horizon)

    @property
    def recursive(self):
        return self.steps > self.horizon

    def reach(self):
        """The forecast in words (:func:`reach_words`)."""
        return reach_words(self.steps, self.horizon)

    def unknown_levels(self):
        """The levels whose interval is unknown (NaN bounds: the selection part had too
        few windows to calibrate it, :func:`~engine.many.fitting.interval_errors`)."""
        return [level for level in sorted(self.interval_errors)
                if not np.isfinite(self.interval_errors[level]).all()]

    def unknown_note(self, levels=None):
        """The sentence on the ``levels`` (default: every one of this model) whose interval
        is unknown; "" when there is none."""
        unknown = [level for level in self.unknown_levels()
                   if levels is None or level in levels]
        if not unknown:
            return ""
        from engine.testing.verdict import listed

        known = [level for level in sorted(self.interval_errors)
                 if level not in self.unknown_levels()]
        lower = [level for level in known if levels and level < min(levels)]
        other = f", or choose the {lower[-1]:.0%} interval" if lower else ""
        return (f"No {listed([f'{level:.0%}' for level in unknown])} "
                f"{verb(len(unknown), 'interval', 'intervals')}: the selection part had too "
                f"few windows to calibrate {verb(len(unknown), 'it', 'them')} (an 80% "
                "interval needs 9 selection windows, 90% 19 and 95% 39, and each series "
                "gives one per step "
                "ahead); the bounds are left empty. Train on more series or more steps "
                f"ahead{other}.")

    def interval_words(self, level, why=True):
        """How a forecast at ``level`` is bounded, for a sentence: "with 90% intervals", or
        "without intervals (the 90% interval is unknown)" (:meth:`unknown_levels`); without
        the words in brackets for ``why=False`` (a text that goes on with
        :meth:`unknown_note`)."""
        if level in self.unknown_levels():
            return "without intervals" + \
                (f" (the {level:.0%} interval is unknown)" if why else "")
        return f"with {level:.0%} intervals"

    def use_csv_format(self, corrections):
        """Read every data file from now on with ``corrections`` (``{option: value}`` of
        :data:`~engine.data.csv_reader.FORMAT_KEYS`: what ``--delimiter`` and the other
        options of the command line give) over the format the model was saved with
        (``settings["csv"]``, :func:`~engine.data.csv_reader.with_corrections`); the model
        file is not changed. ``{}`` changes nothing."""
        if corrections:
            self.settings["csv"] = with_corrections(self.settings.get("csv"), corrections)

    @property
    def names_read_as_numbers(self):
        """Whether the model was saved by a version that read series names that look like
        numbers as numbers (``001`` as ``1``): one saved before it recorded
        ``settings["names_as_written"]``."""
        return not self.settings.get("names_as_written", False)

    def numbers_of(self, names):
        """This model's number of each of ``names`` (None for a series new to it):
        :func:`matched_numbers`, with the names an earlier version read for a model
        it saved (:attr:`names_read_as_numbers`)."""
        return matched_numbers(self.ids, names, self.names_read_as_numbers)

    def series_numbers(self, data):
        """(n,) this model's number of each series of ``data``; raises for a series the
        model was not trained on (:meth:`known_series` leaves those out instead)
        (:meth:`numbers_of`)."""
        return np.array(series_matched(self.ids, data.ids, False,
                                       self.names_read_as_numbers)[0], dtype=int)

    def known_series(self, data):
        """``(known, new, missing)``: ``data`` (a
        :class:`~engine.many.series_data.SeriesSet`) with only the series this model was
        trained on (every row of each, in ``data``'s order; ``data`` itself when it holds
        no other), the names of the series of ``data`` new to the model, left out, and
        those of the model's series ``data`` does not hold. Raises when no series of
        ``data`` is one the model was trained on."""
        numbers, new = series_matched(self.ids, data.ids,
                                      earlier=self.names_read_as_numbers)
        found = set(numbers)
        missing = [name for k, name in enumerate(self.ids) if k not in found]
        if new:
            data = data.without_last(np.where([number is None for number in numbers],
                                              data.lengths, 0))
        return data, new, missing

    def block_errors(self, level, block=1):
        """The (2, H * n_targets) lower and upper scaled errors of the interval of
        ``level`` around block ``block`` of a forecast (1: the network's own steps; 2, 3,
        ...: the blocks that read the forecasts before them). Block 1: the selection
        windows' errors (``interval_errors``); block ``j >= 2``: the second block's
        (``later_errors``, :func:`~engine.many.fitting.later_interval_errors`) times
        ``sqrt(j / 2)``, as errors that add up block by block like a random walk's, and
        never narrower than block ``j - 1``'s last step, so that the bounds never narrow
        with the step (:func:`~engine.many.exports.runtime.block_errors`, the exports'
        rule too). Without that floor a block could start narrower than the one before
        ended (40 weekly M4 series, 4 steps a block: the 90% upper bound 3.94 at step 8,
        3.74 at step 9; 4.82 at step 12, 4.32 at step 13). A model without ``later_errors`` (a file of an earlier version, a model
        with inputs) gives every later block the first block's last step's errors."""
        from engine.many.exports.runtime import block_errors

        if level not in self.interval_errors:
            raise EngineError(f"The intervals' level must be one of "
                              f"{', '.join(map(str, LEVELS))}; got {level}.")
        later = self.later_errors[level] if self.later_errors else None
        return block_errors(self.interval_errors[level], later, int(block),
                            len(self.target_names))

    def forecast(self, data, ends=None, level=0.9, block=1):
        """Forecasts of every series of ``data`` from its row ``ends[i] - 1`` (default:
        its last row), ``H`` steps: ``(values, lower, upper, ok)``, the first three
        (n_series, H, n_targets) with bounds that hold ``level`` of the errors of block
        ``block`` (:meth:`block_errors`), and ``ok`` the (n_series,) bool mask of the
        series that could be forecast (a series whose last ``L`` rows are not all known
        gets NaN)."""
        errors = self.block_errors(level, block)
        scaling, features, level = self.features_of(data)
        lengths = data.lengths
        ends = lengths if ends is None else np.asarray(ends)
        anchors = data.starts[:-1] + ends - 1
        ok = _usable_ends(data, features, level, anchors, self.lookback)
        t = len(self.target_names)
        shape = (data.n_series, self.horizon, t)
        values, lower, upper = (np.full(shape, np.nan) for _ in range(3))
        if ok.any():
            windows = window_view(features, self.lookback, self.fold)[
                anchors[ok] - self.lookback + 1]
            z = self.network.predict(windows)
            series = data.series_of_rows()[anchors[ok]]
            s = scaling.scale[series]
            for out, shift in ((values, 0.0), (lower, errors[0]), (upper, errors[1])):
                base_future = from_targets(z + shift, level[anchors[ok]], s, self.horizon)
                out[ok] = scaling.values(base_future, series)
        return values, lower, upper, ok

    def features_of(self, data):
        """``(scaling, features, level)`` of ``data``'s rows: this model's scaling table
        for ``data``'s series (in its order), the network's input rows and the levels
        (:func:`~engine.many.scaling.row_features`)."""
        scaling = _rows_of(self.scaling, self.series_numbers(data))
        features, _, level = row_features(data, scaling, self.network.dtype)
        return scaling, features, level


def _rows_of(scaling, numbers):
    """The scaling table with only the rows ``numbers`` (in that order)."""
    return replace(scaling, **{name: getattr(scaling, name)[numbers]
                               for name in SERIES_ROWS})


def _usable_ends(data, features, level, anchors, lookback):
    """(n_series,) True where the window ending at ``anchors[i]`` lies in series ``i``,
    in one segment, with known features and level."""
    firsts = anchors - lookback + 1
    ok = (firsts >= data.starts[:-1]) & (anchors >= data.starts[:-1])
    for i in np.flatnonzero(ok):
        rows = slice(int(firsts[i]), int(anchors[i]) + 1)
        ok[i] = (np.isfinite(features[rows]).all() and np.isfinite(level[anchors[i]]).all()
                 and data.segment[firsts[i]] == data.segment[anchors[i]])
    return ok


@dataclass
class WindowParts:
    """Anchors (last input rows, in the feature array) of each part's windows."""

    train: np.ndarray
    selection: np.ndarray
    testing: np.ndarray      # one per series that has a testing part, else -1
    most_per_series: int = 0  # the most training windows a series has, before the cap
    every: int = 0           # the training windows of all series, before the cap


def window_parts(data, features, base, lookback, horizon, test_last, per_series,
                 block=None):
    """The :class:`WindowParts` of ``data`` (see the module docstring); windows of
    ``block`` targets (default ``horizon``), the selection windows those whose last
    target is one of the ``horizon`` rows before the testing part; the latest
    ``per_series`` training windows of each series (None: all of them)."""
    block = int(block or horizon)
    input_ok = np.isfinite(features).all(axis=1)
    target_ok = np.isfinite(base).all(axis=1)
    anchors = usable_anchors(data.segment, input_ok, target_ok, lookback, block)
    series = data.series_of_rows()[anchors]
    before_test = data.starts[1:] - test_last          # first testing row, per series
    last_target = anchors + block
    selection_start = before_test - horizon             # first selection target row
    is_sel = last_target >= selection_start[series]
    is_sel &= last_target < before_test[series]
    is_train = last_target < selection_start[series]
    train = anchors[is_train]
    train_series = series[is_train]
    # the latest ``per_series`` training windows of each series
    from_end, most = np.zeros(len(train), dtype=int), 0
    if len(train):
        counts = np.bincount(train_series, minlength=data.n_series)
        ends, most = np.cumsum(counts), int(counts.max())
        from_end = ends[train_series] - 1 - np.arange(len(train))
    testing = np.full(data.n_series, -1)
    if test_last:
        testing = before_test - 1
    every = len(train)
    if per_series is not None:
        train = train[from_end < per_series]
    return WindowParts(train, anchors[is_sel], testing, most, every)


@dataclass
class GlobalWindows:
    """The windows of a global fit (views into one feature array) and what made them."""

    scaling: object
    lookback: int
    X: object            # WindowArray (n, L / fold, fold * features)
    Y: np.ndarray        # (n, H * n_targets) float32
    X_sel: object
    Y_sel: np.ndarray
    left_out: int        # series too short for a window
    fold: int = 1
    most_per_series: int = 0   # the most training windows a series has, before the cap

    @property
    def n_inputs(self):
        return self.X.shape[2]

    @property
    def n_outputs(self):
        return self.Y.shape[1]


NO_VALUES = ("There are no training windows: none of the {} holds a value other than 0 "
             "{}, so the network has nothing to learn from (products never sold?). Give "
             "series that hold values there{}.")
"""The refusal of a fit whose series have no scale (:func:`~engine.many.scaling.fit_scaling`:
no value other than 0 before their testing part)."""


def global_windows(data, settings):
    """The :class:`GlobalWindows` of ``data`` for ``settings`` (see the module docstring)."""
    layout = window_layout(data, settings)
    horizon, test_last = int(settings.horizon), int(settings.test_last)
    lookback, parts = layout.lookback, layout.parts
    if parts is None:
        needed = rows_needed(settings.season, lookback, horizon)
        read = needed - lookback - 2 * horizon
        before = "" if not read else \
            f" (with {'the row' if read == 1 else f'the {read} rows'} its features read " \
            "before it)"
        raise EngineError(f"No series has the {counted(needed + test_last, 'row')} a window "
                          f"of {counted(lookback, 'row')}{before}, "
                          f"{counted(horizon, 'step')} to train on, {horizon} to select on "
                          f"and {test_last} to test on need; use a shorter lookback or "
                          "horizon.")
    scaling, features = layout.scaling, layout.features
    if len(parts.train) == 0 and np.isnan(scaling.magnitude).all():
        where = f"before its last {counted(test_last, 'row')} (the testing part)" \
            if test_last else "in any of its rows"
        raise EngineError(NO_VALUES.format(counted(data.n_series, "series", "series"), where,
                                           ", or a shorter testing part" if test_last else ""))
    if len(parts.train) == 0:
        raise EngineError("There are no training windows; use a shorter lookback.")
    scale_rows = scaling.scale[data.series_of_rows()]
    views = window_view(features, lookback, layout.fold)
    block = settings.steps_at_once

    def windows(anchors):
        return (WindowArray(views, anchors - lookback + 1),
                window_targets(layout.base, layout.level, scale_rows, anchors,
                               block).astype(np.float32))

    X, Y = windows(parts.train)
    X_sel, Y_sel = windows(parts.selection) if len(parts.selection) else (X[:0], Y[:0])
    return GlobalWindows(scaling, lookback, X, Y, X_sel, Y_sel, layout.left_out, layout.fold,
                         parts.most_per_series)


def window_layout(data, settings):
    """Where the windows of a global fit of ``settings`` on ``data`` lie, before any is
    made: a namespace of ``lookback`` and ``fold`` (:func:`window_plan` of the rows before
    each testing part), ``left_out`` (series too short for a window), the per-series
    ``scaling`` fitted on the training rows, the row arrays ``features``, ``base`` and
    ``level`` (:func:`~engine.many.scaling.row_features`) and ``parts``
    (:class:`WindowParts`; None when no series is long enough for a window). What
    :func:`global_windows` builds its windows from and :func:`training_counts` counts."""
    settings.check()
    horizon, test_last = int(settings.horizon), int(settings.test_last)
    if settings.steps_at_once < horizon and data.input_names:
        raise EngineError(f"A network of {settings.steps_at_once} steps at once would need "
                          f"the future values of its inputs ({', '.join(data.input_names)}) "
                          f"to go on to {horizon} steps; forecast all {horizon} at once.")
    fit_rows = data.lengths - test_last
    lookback, fold = window_plan(settings, fit_rows)
    short = fit_rows < rows_needed(settings.season, lookback, horizon)
    layout = SimpleNamespace(lookback=lookback, fold=fold, left_out=int(short.sum()),
                             scaling=None, features=None, base=None, level=None, parts=None)
    if short.all():
        return layout
    # the scales are fitted on the training rows: before the selection and testing rows
    layout.scaling = fit_scaling(data, np.maximum(fit_rows - horizon, 0), settings.season,
                                 lookback, scale_rows=np.maximum(fit_rows, 0))
    layout.features, layout.base, layout.level = row_features(data, layout.scaling)
    layout.parts = window_parts(data, layout.features, layout.base, lookback, horizon,
                                test_last, settings.window_cap(), settings.steps_at_once)
    return layout


def training_counts(data, settings):
    """``(windows, every)``: the training windows :func:`global_windows` takes of ``data``
    for ``settings`` (at most :meth:`~GlobalSettings.window_cap` a series), and how many
    there are before that cap; ``(0, 0)`` when no series is long enough for one."""
    parts = window_layout(data, settings).parts
    return (0, 0) if parts is None else (len(parts.train), int(parts.every))


def training_plan(settings, seed, n_windows=None):
    """``(architecture, training)`` dicts of :func:`engine.training.run.fit_network` for
    one network of ``settings`` from ``seed`` trained on ``n_windows`` windows (which cut
    ``average_steps`` to :data:`AVERAGE_EPOCHS` epochs' steps)."""
    architecture = {"cell": settings.cell, "hidden_sizes": list(settings.hidden_sizes),
                    "linear_path": settings.linear_path, "seed": int(seed),
                    "dtype": "float32", "n_threads": settings.n_threads}
    training = {"loss": settings.loss, "batch_size": settings.batch_size,
                "learning_rate": settings.learning_rate, "max_epochs": settings.max_epochs,
                "patience": settings.patience, "lr_patience": max(settings.patience // 2, 1),
                "average_steps": averaged_steps(settings, n_windows)}
    return architecture, training


def averaged_steps(settings, n_windows=None):
    """The optimizer steps a network's weights are averaged over: ``average_steps``, at
    most :data:`AVERAGE_EPOCHS` epochs of ``n_windows`` windows in batches of
    ``batch_size``; None when off or still "auto"."""
    if settings.average_steps in ("auto", None, 0):
        return None
    steps = int(settings.average_steps)
    if n_windows:
        steps = min(steps, AVERAGE_EPOCHS * -(-int(n_windows) // int(settings.batch_size)))
    return steps


SIZE_ADVICE = ("use fewer units (step 3; --hidden N) or fewer networks averaged (step 4; "
               "--members N).")
"""What the refusal of networks averaged too large to merge advises for a global fit, on
the pages and on the command line (:func:`engine.training.run.check_merged_size`)."""


def train_member(windows, settings, seed, task=None, members=1):
    """One network of ``settings`` from ``seed`` trained on ``windows``
    (:class:`GlobalWindows`); with ``members`` N, the N networks of the seeds ``seed, seed
    + 1, ...`` averaged into one (on this computer's cores at once where that gains:
    :mod:`engine.training.members`)."""
    from engine.training.run import fit_network

    prepared = SimpleNamespace(X_train=windows.X, Y_train=windows.Y, X_sel=windows.X_sel,
                               Y_sel=windows.Y_sel, n_inputs=windows.n_inputs,
                               n_outputs=windows.n_outputs)
    architecture, training = training_plan(settings, seed, len(windows.Y))
    return fit_network(prepared, architecture, {**training, "members": int(members)},
                       task, size_advice=SIZE_ADVICE)[0]
