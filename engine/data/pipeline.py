"""What the command line and the GUI call: load a table, default settings, prepare the
training arrays, windows for prediction and predictions back in target units (the
recursive forecast is :mod:`engine.model.recursive`).

Typical use (``rnn-studio fit``)::

    table = load_table("airline.csv")
    config = default_config(table, targets=["passengers"])
    data = prepare_training("airline.csv", config)       # or prepare_training(table, ...)
    net = RecurrentNetwork(n_inputs=data.n_inputs, n_outputs=data.n_outputs)
    net.fit(data.X_train, data.Y_train, data.X_sel, data.Y_sel)
    header = {"preprocessing": data.fitted.to_dict()}

``rnn-studio predict`` (through :class:`engine.model.forecaster.Forecaster`, which holds
the fitted preprocessing and the network)::

    windows = prediction_windows(fitted, frame)
    values = inverse_predictions(fitted, net.predict(windows.X), windows)
"""

import itertools
import os
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from engine.errors import EngineError
from engine.data.column_types import classify_columns
from engine.data.config import DatasetConfig, SplitSettings, default_variables
from engine.data.csv_reader import (CsvOptions, read_csv, require_columns, time_column_of,
                                    with_text_column)
from engine.data.preprocessing import Encoded, FittedPreprocessing, fit_preprocessing
from engine.data.splits import chronological_split, random_split, resolve_test_from
from engine.data.scaling import check_magnitude
from engine.data.statistics import series_report
from engine.data.time_steps import add_steps, shown_time
from engine.data.windows import WindowArray, input_view, usable_anchors


_SERIALS = itertools.count(1)


@dataclass
class Table:
    """A loaded CSV file: the frame, the options used (all filled), each column's type, the
    file's path and the digest of its bytes as read
    (:func:`~engine.data.data_file.file_digest`; None for a frame); ``serial``, a number
    that no other table made in this process has, tells one loaded table from another
    (``id()`` does not: a freed table's is given to the next object made)."""

    frame: pd.DataFrame
    options: CsvOptions
    columns: list
    path: str | None = None
    digest: str | None = None
    serial: int = field(default_factory=lambda: next(_SERIALS), init=False, repr=False,
                        compare=False)
    _text: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _steps: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def time_column(self):
        return self.options.time_column or None

    @property
    def notes(self):
        """Plain sentences on what reading the file did beyond reading it (see
        :func:`~engine.data.csv_reader.read_csv`)."""
        return list(self.frame.attrs.get("notes", []))

    def with_text_column(self, name):
        """The frame with column ``name`` as the file's text (identifiers such as ``001``;
        :func:`~engine.data.csv_reader.with_text_column`), read once per table and column
        (the data page asks after every edit)."""
        if name not in self._text:
            self._text[name] = with_text_column(self.frame, self.path, self.options, name)
        return self._text[name]

    def time_step(self):
        """The time column's regular step (a step dict of :mod:`.time_steps`), or None;
        detected once per table (a pass over every time: 0.15 s for a million rows, and
        the data page asks after every edit)."""
        from engine.data.time_steps import detect_step
        column = self.time_column
        if not column:
            return None
        if column not in self._steps:
            self._steps[column] = detect_step(self.frame[column],
                                              self.frame.attrs.get("time_zone"))
        step = self._steps[column]
        return dict(step) if step is not None else None


def load_table(source, options=None, front="command_line"):
    """Read a CSV path (or wrap a DataFrame) and classify its columns; ``front``: whose
    words the reading's notes and refusals speak (:func:`~engine.data.csv_reader.read_csv`:
    ``"command_line"`` or ``"window"``, :data:`~engine.testing.verdict.WINDOW`)."""
    if isinstance(source, Table):
        return source
    if isinstance(source, pd.DataFrame):
        from engine.data.column_types import parse_time
        from engine.data.time_zones import frame_time_zone
        options = options or CsvOptions()
        frame, time_column, _ = time_column_of(source, options)
        if time_column:
            parsed = parse_time(frame[time_column], time_column)
            zone = frame_time_zone(frame, time_column, parsed)
            if parsed is not frame[time_column] or zone is not frame.attrs.get("time_zone"):
                frame = frame.copy()           # the caller's frame is left as it is
                frame[time_column] = parsed
                frame.attrs["time_zone"] = zone     # the zone of times with offsets, as a file's
        options = replace(options, time_column=time_column)
        return Table(frame, options, classify_columns(frame, time_column or None, options))
    from engine.data.data_file import file_digest

    digest = file_digest(source)
    frame, options = read_csv(source, options, front)
    return Table(frame, options,
                 classify_columns(frame, options.time_column or None, options),
                 os.fspath(source), digest)


def with_series_time(table, time_column):
    """``table`` (a :class:`Table` of many series, read without a time column: the times
    repeat from one series to the next) with its time column ``time_column`` built when
    that names a year and a quarter or month of the table
    (:func:`~engine.data.year_period.with_named_time`, ``year-quarter``) and the table
    lacks it; else ``table`` itself."""
    from engine.data.year_period import with_named_time

    frame = with_named_time(table.frame, time_column)
    if frame is table.frame:
        return table
    return Table(frame, table.options, classify_columns(frame, None, table.options),
                 table.path, table.digest)


def without_series_time(table):
    """``table`` as its file of one series is read: without the time column that
    :func:`with_series_time` built for many series (``attrs["built_time"]``, when it is not
    the time the file read as one series has: ``options.time_column``), the columns
    classified again; else ``table`` itself. Nothing is read again."""
    built = _series_built_time(table)
    if built is None:
        return table
    frame = table.frame.drop(columns=[built])
    frame.attrs = {key: value for key, value in table.frame.attrs.items()
                   if key != "built_time"}
    return Table(frame, table.options, classify_columns(frame, table.time_column,
                                                        table.options),
                 table.path, table.digest)


def series_time_note(table):
    """What building the time of many series from a year and a quarter (month) did
    (:func:`~engine.data.year_period.year_period_note`), when :func:`with_series_time`
    built it in ``table``; else None."""
    from engine.data.year_period import named_year_period, year_period_note

    built = _series_built_time(table)
    return None if built is None else \
        year_period_note(named_year_period(built, table.frame.columns))


def _series_built_time(table):
    """The name of the time column :func:`with_series_time` built in ``table``, or None."""
    built = table.frame.attrs.get("built_time")
    return built if built and built != table.time_column else None


def default_config(table, targets, target_role="input_target", lookback=None, horizon=1,
                   **settings):
    """A :class:`DatasetConfig` with default roles (see
    :func:`~engine.data.config.default_variables`) for the chosen target names. The
    lookback defaults to the suggested one (:func:`statistics`); ``settings`` sets other
    fields (missing, target_transform, period, split)."""
    table = load_table(table)
    variables = default_variables(table.columns, table.time_column, list(targets),
                                  target_role)
    if lookback is None:
        lookback = statistics(table, targets=list(targets))["suggested_lookback"]
    return DatasetConfig(csv=table.options, variables=variables, lookback=lookback,
                         horizon=horizon, **settings)


def statistics(table, config=None, targets=None):
    """:func:`~engine.data.statistics.series_report` for a table (a path, frame or Table)
    and the targets and numeric inputs of ``config`` (or the given target names)."""
    table = load_table(table)
    targets, inputs = _report_columns(table, config, targets)
    return series_report(table.frame, targets, inputs, step=table.time_step())


def check_values(table, config):
    """Refuses (EngineError) a target or numeric input of ``config`` with values too large
    to train on, read on every row of ``table``: the statistics may read fewer."""
    targets, inputs = _report_columns(table, config)
    for name in dict.fromkeys(targets + inputs):
        check_magnitude(pd.to_numeric(table.frame[name], errors="coerce"), f"Column {name!r}")


def _report_columns(table, config=None, targets=None):
    """``(targets, numeric inputs)``: the names :func:`statistics` reads."""
    if config is not None:
        targets = [v.name for v in config.targets]
        inputs = [v.name for v in config.inputs if v.type in ("numeric", "binary")]
    else:
        targets = list(targets or [])
        inputs = [c.name for c in table.columns if c.type in ("numeric", "binary")
                  and c.name not in targets]
    if not targets:
        raise EngineError("Choose a target column to compute its statistics.")
    require_columns(table.frame, list(dict.fromkeys(targets + inputs)))
    return targets, inputs


@dataclass
class PreparedData:
    """Scaled, transformed windows of the three parts and the fitted preprocessing.

    ``X_*`` are :class:`~engine.data.windows.WindowArray` (batch, L, n_inputs), lazy views
    into one feature array (``np.asarray`` copies); ``Y_*`` arrays (batch, n_outputs).
    ``anchors[part]`` holds each window's anchor row (last input row; 0-based data rows).
    """

    X_train: WindowArray
    Y_train: np.ndarray
    X_sel: WindowArray
    Y_sel: np.ndarray
    X_test: WindowArray
    Y_test: np.ndarray
    fitted: FittedPreprocessing
    encoded: Encoded
    anchors: dict
    table: Table
    config: DatasetConfig

    @property
    def n_inputs(self):
        return self.fitted.n_inputs

    @property
    def n_outputs(self):
        return self.fitted.n_outputs

    def inverse(self, outputs, part="testing"):
        """Network outputs for a part's windows -> values (n, steps, n_targets) in target
        units."""
        return self.fitted.inverse_outputs(outputs, self.anchors[part], self.encoded)

    def true_values(self, part="testing"):
        """The actual target values (n, steps, n_targets) the part's windows predict."""
        return self.fitted.true_values(self.anchors[part], self.encoded)

    def target_rows(self, part="testing"):
        """Data row (n, steps) of every predicted value."""
        return self.anchors[part][:, None] + self.fitted.target_offsets[None, :]


ONE_TESTING_ROW_ADVICE = ("the test results (step 6 and the report) need at least 2. Start "
                          "testing earlier (or give it a larger share), or keep no testing "
                          "part.")
"""What the message on a testing part of one row says after "The testing part holds 1
row;", in the pages' words; the command line gives its own: its options (``fit
DATA.csv``), or the project file's split (:func:`one_row_file_advice`)."""

TESTING_SCORES_NEED = "the testing scores (of fit, evaluate and report) need at least 2."
"""The first words of the command line's advice on a testing part of one row."""


def one_row_file_advice(project):
    """:data:`ONE_TESTING_ROW_ADVICE` in the command line's words for the project file
    ``project`` (as the command line was given it): its split."""
    return (f"{TESTING_SCORES_NEED} Start testing earlier (\"test_from\", or the third of "
            f"the \"fractions\", in the \"split\" of the data set settings of {project}), "
            "or keep no testing part.")


def prepare_training(source, config, one_row_advice=None):
    """From a CSV path (or DataFrame or Table) and a :class:`DatasetConfig` to
    :class:`PreparedData`: usable windows, split without leakage, preprocessing fitted on
    the training rows. A testing part of one row (of a horizon of 0 or 1) is refused, the
    message ending with ``one_row_advice`` (None: :data:`ONE_TESTING_ROW_ADVICE`)."""
    if isinstance(config, dict):
        config = DatasetConfig.from_dict(config)
    config.check()
    if config.series_column is not None:
        raise EngineError(f"The column {config.series_column!r} names many series, so the "
                          "table is fitted as one network over them: rnn-studio fit --project "
                          "PROJECT.json --out MODEL, then evaluate, backtest or forecast "
                          "MODEL DATA.csv (see docs/many-series.md).")
    table = load_table(source, config.csv if not isinstance(source, Table) else None)
    frame = table.frame
    require_columns(frame, [v.name for v in config.variables])
    if config.time_column and config.time_column != table.time_column:
        from engine.data.column_types import parse_time
        frame = frame.copy()
        frame[config.time_column] = parse_time(frame[config.time_column],
                                               config.time_column)
    split = config.split or SplitSettings()
    times = frame[config.time_column] if config.time_column else None

    def choose(segment, input_ok, target_ok):
        anchors = usable_anchors(segment, input_ok, target_ok, config.lookback,
                                 config.horizon)
        if split.method == "random":
            parts = random_split(anchors, split.fractions, split.seed)
        else:
            test_row = _test_row(split.test_from, times, len(frame),
                                 frame.attrs.get("time_zone")) \
                if split.test_from is not None \
                else (len(frame) if split.fractions[2] == 0 else None)
            parts = chronological_split(anchors, config.horizon, split.fractions, test_row)
        if parts["testing"].size == 1 and config.horizon <= 1:
            raise EngineError("The testing part holds 1 row; "
                              f"{one_row_advice or ONE_TESTING_ROW_ADVICE}")
        if parts["testing"].size == 0 and split.test_from is not None:
            raise EngineError("The testing part holds no row to test: no row from its "
                              "start on has both a known target and a whole window before "
                              "it (rows of future inputs have no target); "
                              f"{one_row_advice or ONE_TESTING_ROW_ADVICE}")
        return parts

    fitted, encoded, parts = fit_preprocessing(frame, config, choose)
    arrays = {part: fitted.windows(encoded, parts[part]) for part in parts}
    return PreparedData(arrays["training"][0], arrays["training"][1],
                        arrays["selection"][0], arrays["selection"][1],
                        arrays["testing"][0], arrays["testing"][1],
                        fitted, encoded, parts, table, config)


@dataclass
class PredictionWindows:
    """Windows for every predictable row of a frame.

    X : WindowArray (n, L, n_inputs); anchors : (n,) last input row of each window;
    rows : (n, steps) the data row each output step belongs to (may be past the frame's
    end: row ``n_rows + k`` is ``k+1`` steps after the last row); times : (n, steps)
    timestamps of those rows when the time step is known (else None)
    """

    X: WindowArray
    anchors: np.ndarray
    rows: np.ndarray
    encoded: Encoded
    times: object = None
    n_rows: int = 0

    def without_gap(self):
        """(n, steps) bool: no gap in time lies between each window's last row and the row
        each output step predicts, so the prediction is that row's (a window before a gap
        predicts the times the gap leaves out, not the rows after it). Rows past the
        frame's end follow its last row; a row without a time makes no gap."""
        gaps = np.r_[0, np.cumsum(self.encoded.time_gaps())]    # gaps[r + 1]: up to row r
        rows = np.minimum(self.rows, self.n_rows - 1)
        return gaps[rows + 1] == gaps[self.anchors + 1][:, None]


def prediction_windows(fitted, frame):
    """Windows of ``frame`` for every anchor whose input rows are usable and (for
    differences) whose base target values are known. A dict from
    :meth:`FittedPreprocessing.to_dict` is accepted for ``fitted``; ``frame``: a DataFrame,
    or its :class:`Encoded` made with ``prediction=True`` (not encoded again)."""
    if isinstance(fitted, dict):
        fitted = FittedPreprocessing.from_dict(fitted)
    encoded = frame if isinstance(frame, Encoded) else fitted.encode(frame, prediction=True)
    L, n = fitted.lookback, encoded.n_rows
    anchors = np.arange(L - 1, n)
    if anchors.size:
        bad = np.r_[0, np.cumsum(~encoded.input_ok)]
        ok = (bad[anchors + 1] - bad[anchors + 1 - L]) == 0
        ok &= encoded.segment[anchors - L + 1] == encoded.segment[anchors]
        for offset in fitted.target_offsets:
            base = offset - fitted.lag
            if fitted.lag and base <= 0:
                rows = anchors + base
                inside = rows >= 0
                known = np.zeros(len(anchors), dtype=bool)
                known[inside] = np.isfinite(encoded.u[rows[inside]]).all(axis=1) & \
                    (encoded.segment[rows[inside]] == encoded.segment[anchors[inside]])
                ok &= known
        anchors = anchors[ok]
    if anchors.size == 0:
        need = fitted.rows_read()
        raise EngineError(f"No window can be formed: predicting needs {need} consecutive "
                          "rows with all input values"
                          + (f" ({L} for the window, and the rows before it that its "
                             "differences start from)" if need > L else "")
                          + f"; the file has {n}. Give more rows or fill the missing values.")
    X = WindowArray(input_view(encoded.features, L), anchors - (L - 1))
    rows = anchors[:, None] + fitted.target_offsets[None, :]
    times = row_times(encoded.times, rows, fitted.time_step, encoded.time_zone)
    return PredictionWindows(X, anchors, rows, encoded, times, n)


def row_times(times, rows, step, zone=None):
    """The time (an object array shaped like ``rows``) of each data row in ``rows``: the
    time column's value inside the data (missing where the row has none), after it the
    last known time plus whole steps from its row (None without a regular ``step``; days
    on the clocks of ``zone``, the zone of times read in UTC:
    :func:`~engine.data.time_steps.add_steps`); None without a time column."""
    if times is None:
        return None
    n = len(times)
    known = np.flatnonzero(times.notna().to_numpy())
    last = int(known[-1]) if known.size else None
    rows = np.asarray(rows)
    values = np.empty(rows.shape, dtype=object)
    inside = rows < n
    # each row's value once, as times.iloc[row] gives it (a Timestamp, a NumPy number)
    unique, where = np.unique(rows[inside], return_inverse=True)
    values[inside] = np.fromiter(times.iloc[unique].array, dtype=object,
                                 count=len(unique))[where]
    if step is not None and last is not None:
        for index in zip(*np.nonzero(~inside)):
            values[index] = add_steps(times.iloc[last], step, int(rows[index] - last), zone)
    return values


def inverse_predictions(fitted, outputs, windows):
    """Network outputs (n, n_outputs) for ``windows`` (:class:`PredictionWindows`) ->
    values (n, steps, n_targets) in the targets' units."""
    return fitted.inverse_outputs(outputs, windows.anchors, windows.encoded)


def predictions_frame(fitted, values, windows):
    """A long table of predictions: one line per window and step with the anchor row,
    the row and time predicted, the step, and one column per target."""
    n, steps, _ = values.shape
    data = {"anchor_row": np.repeat(windows.anchors, steps),
            "row": windows.rows.ravel(),
            "step": np.tile(fitted.target_offsets, n)}
    if windows.times is not None:
        data["time"] = windows.times.ravel()
    for j, name in enumerate(fitted.target_names):
        data[name] = values[:, :, j].ravel()
    return pd.DataFrame(data)


def _test_row(test_from, times, n_rows, zone=None):
    """The row where testing starts (:func:`resolve_test_from`); an EngineError when
    that is past the last of the ``n_rows`` rows: a testing part that would hold nothing
    is most likely a mistyped date."""
    row = resolve_test_from(test_from, times, zone)
    if row < n_rows:
        return row
    last = f"row {n_rows - 1}"
    if times is not None and n_rows:
        last = f"{shown_time(times.iloc[-1], zone)} at {last}"
    as_row = isinstance(test_from, dict) and "row" in test_from
    asked = f"row {test_from['row']}" if as_row else test_from
    what = "Give a time or row within the data"
    if times is None and not as_row:                 # e.g. a year typed for a file of rows
        what = (f"The data has no time column, so {asked} is read as a row number; give a "
                "row within the data")
    raise EngineError(f"Testing from {asked} starts after the last row ({last}): "
                      f"nothing would be tested. {what}, or no testing start to test on a "
                      "share of the rows.")
