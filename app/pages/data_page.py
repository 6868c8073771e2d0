"""Step 2: the data set. Load a CSV file, choose each column's role and scaler, handle
missing values, set the lookback and steps ahead (with the autocorrelation, the suggested
lookback, the inputs' lags and the suggested steps ahead), and split the windows into
training, selection and testing.

A column of role "series" makes the table one of many series: the page then shows the
series (:mod:`app.pages.many_data`) instead of the autocorrelation and the split's
timeline, and the testing rows at the end of every series instead of the shares."""

import copy
from dataclasses import replace
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QSizePolicy,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from engine import EngineError
from engine.data import DatasetConfig, SplitSettings, VariableSpec, default_variables
from engine.data.missing import made_up_how, made_up_targets
from engine.data.statistics import (page_statistics, season_words, short_reason,
                                    suggestion_settings)
from engine.many.project_fit import (is_many_series, kept_units_note, project_windows,
                                     size_global_network, units_follow_data,
                                     use_global_network,
                                     with_suggestions)
from engine.project.checks import SELECTION_SWITCHES
from engine.training.automatic import automatic_settings
from engine.training.choice_start import last_choices
from engine.tasks import Cancelled
from engine.testing.evaluation import DEFAULT_BLOCK_ROWS, block_rows
from engine.testing.report import format_number
from engine.words import counted, verb

from .. import file_dialogs
from ..widgets.controls import WrappedLabel, buddy_label, combo, select, spin_box
from ..widgets.narrow import TurningSplitter, letters_wide
from ..workers import TaskRunner, failure_text
from ..widgets.import_dialog import ImportDialog
from ..widgets.plots import COLORS, curve, make_plot, time_positions
from ..widgets.time_plot import TimePlot
from ..widgets.split_timeline import SplitTimeline
from .automatic_switches import AutomaticSwitches
from .many_data import NOT_APPLYING, ManySeriesPanel, SeriesView

ROLE_LABELS = [("input", "Input"), ("target", "Target"), ("input_target", "Input and target"),
               ("time", "Time"), ("series", "Series (names the series)"), ("unused", "Unused")]
ROLE_SIZE = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
SUGGESTION_TOOLTIP = ("The lookback covers one season when there is one (up to 60 rows), "
                      "else the order the partial autocorrelation shows; it is lengthened "
                      "to cover the lag at which an input's changes correlate most with "
                      "the target's, and shortened when the training rows would give too "
                      "few windows for it.")
ROLE_ARROW = 44            # pixels of a role box beside its text (margins, arrow)
ROLE_CHARACTERS = 10       # the role boxes narrow: the table fits beside the settings
LEAST_NAME = 60            # pixels: the names' column gives way down to this width
FOLDED = (1, 5, 6, 7, 8)   # columns hidden where the table is too narrow for them all:
                           # the type and the statistics, read in the name's tooltip
SHOWN_ROWS = 6             # the variables' table is at least this many rows tall
ROLE_TOOLTIP = ("What the column is for: an input the network reads, a target it predicts, "
                "both, the time, or unused. 'Series' makes the file a table of many series: "
                "the column names the series each row belongs to (one column at most), and "
                "one network learns from all of them.")
TRANSFORM_TOOLTIP = ("What the network predicts for the target: the value itself (None), "
                     "the change from the last value (Differences: helps with trends), the "
                     "change from one season ago (Seasonal differences: helps with yearly or "
                     "daily patterns), or its logarithm. Predictions are turned back into "
                     "the target's own units. Automatic: step 4 chooses among none, "
                     "differences and seasonal differences by a backtest of a linear "
                     "autoregression on the rows before the testing part (short trial fits "
                     "of the network when those rows are too few), the transform rnn-studio "
                     "fit would choose, never none when a seasonal target's level drifts; "
                     "the line under the box names the transform it chose last. A new "
                     "data set of one series starts with it, as rnn-studio fit does.")
SCALER_TOOLTIP = ("How the values are scaled before the network sees them (fitted on the "
                  "training rows only).")
TEST_LAST_TOOLTIP = ("Testing: the last N rows of every series are kept aside to judge the "
                     "network (0: no testing). The steps ahead before them are the "
                     "selection rows, the rows before those the training rows. As many "
                     "as the steps ahead, and following them, until you set it.")
SCALER_LABELS = [("standard", "Mean, SD"), ("minmax", "Min, max"), ("none", "None"),
                 ("log", "Logarithm")]
SCALER_TOOLTIPS = {"standard": "The training rows' mean subtracted, then divided by their "
                               "standard deviation (SD).",
                   "minmax": "Brought to 0 to 1 by the training rows' minimum and maximum.",
                   "none": "The values as they are.",
                   "log": "The logarithm, for positive values that grow by factors."}
MISSING_LABELS = [("interpolate", "Interpolate along time"), ("mean", "Fill with the mean"),
                  ("median", "Fill with the median"), ("drop", "Leave those rows out")]
AUTOMATIC = "automatic"   # the transform box's item: step 4 chooses (choose_target_transform)
TRANSFORM_LABELS = [("none", "None"), ("difference", "Differences"),
                    ("seasonal_difference", "Seasonal differences"), ("log", "Logarithm"),
                    (AUTOMATIC, "Automatic")]  # last: an unknown transform shows as the first
ADOPTED = ("lookback", "period")   # the suggestions a newly configured data set takes
NO_SEASON = 1               # the season length box's "none found"
PERIOD_TOOLTIP = ("The length of a season in rows (12 for monthly data with a yearly "
                  "pattern), for seasonal differences. Until you set it, the season detected "
                  "in the data is used (also by the seasonal naive baseline of step 6).")
FORECAST_LENGTH_TOOLTIP = (
    "How many steps ahead you will forecast at step 7, where the network is fed its own "
    "outputs. Step 4's automatic choices and the network's share of its linear path score "
    "forecasts at least this long, and so does step 6's backtest; step 6's recursive "
    "forecasts are this long unless the testing part is too short. Left at its lowest, it is "
    "one season of rows (the season length above), 12 without a season.")
HORIZON_TOOLTIP = ("The steps ahead usually worth forecasting for data of this frequency "
                   "(or season), at most a tenth of the rows. A forecast further ahead can "
                   "still be made recursively in step 7.")
TOOLTIPS = {       # of one series, of many
    "lookback": ("How many past time steps the network reads for each prediction. The "
                 "autocorrelation below suggests a value.",
                 "How many past rows of a series the network reads for each forecast. "
                 "Suggested: four times the steps ahead, at least two seasons and at most "
                 "a week of seasons, and no more than half of what the median series "
                 "holds before its selection and testing rows."),
    "horizon": ("How many steps ahead to predict: 1 is the next time step; 0 approximates "
                "the target at the same time step from the inputs' history.",
                "How many steps ahead the network forecasts at once, for every series "
                "(at least 1). Suggested: one season."),
    "period": (PERIOD_TOOLTIP,
               "The length of a season in rows (24 for hourly rows with a daily pattern): "
               "each series is scaled by its typical change over a season, and its level "
               "is the mean of its last season (up to 24 rows). Suggested: the "
               "calendar's for the time column's step, else the cycle most series show; "
               "'none found' uses the one found in the series.")}
PROBLEM_COLOR = "#fde2e4"   # the background of a control a problem is about
PARTS = ("training", "selection", "testing")
SHARE_TOOLTIP = "The share of the windows used for {part}, in time order."
COLUMNS = [("Variable", "The column's name in the file; its tooltip also gives the "
                        "column's type and statistics."),
           ("Type", "What the column holds: numeric, binary, categorical, datetime or text."),
           ("Role", "What the column is for."),
           ("Scaler", "How the column's values are scaled for the network."),
           ("Miss.", "Missing: the number of empty cells."),
           ("Min.", "Minimum: the smallest value."),
           ("Max.", "Maximum: the largest value."),
           ("Mean", "Mean: the average value."),
           ("SD", "Standard deviation: how far the values spread around the mean.")]


class DataPage(QWidget):
    def __init__(self, session):
        super().__init__()
        self.session = session
        self._loading = False
        self.suggested = None
        self.statistics = None          # the DataStatistics shown
        self._wanted = None             # (table, target, lookback, settings) to show
        self._adopt = set()             # the suggestions the next statistics make the values
        self._by_hand = set(ADOPTED)    # the settings the person set ("lookback", "period")
        self._configured = None         # the project whose data file was loaded here
        self._many_notes = []           # (note, season) of the season suggested for many
                                        # series: said while the season box holds it
        self._network = None            # (units, note): step 3's units as this page set
                                        # them for many series, and the note that says so;
                                        # (None, None) for a project opened
        self._one_series = None         # the settings of one series, while it is many
        self._many_series = None        # the settings of many series, while it is one
        self._series_time_row = None    # the dates made the time of many series, by the page
        self._series_table = None       # (table, roles of the year and the quarter) before
        self._series_time_note = None   # the time of many series was built from the two
        self._suggest_pending = False   # many series whose settings could not be suggested
        self._many_shown = False        # the controls are those of many series
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._show_statistics)
        self.runner.failed.connect(self._statistics_failed)
        splitter = TurningSplitter()        # the settings below the table when narrow
        splitter.addWidget(self._build_variables())
        splitter.addWidget(self._build_windows())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 300])    # the settings at their narrowest: the table fits
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._connect_settings()

    def _build_variables(self):
        """The left side: the file, the table of variables and the plot of one."""
        self.file_label = QLabel("No data file loaded.")
        self.file_label.setWordWrap(True)
        load = QPushButton("&Load CSV file...")
        load.setToolTip("Choose a CSV file with one row per time step and one column per "
                        "variable.")
        load.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(load)
        self.variables = QTableWidget(0, len(COLUMNS))
        for column, (label, tip) in enumerate(COLUMNS):
            header = QTableWidgetItem(label)
            header.setToolTip(tip)
            self.variables.setHorizontalHeaderItem(column, header)
        self.variables.setToolTip("Each column of the file: choose its role and how it is "
                                  "scaled. Select a row to plot the variable.")
        self.variables.verticalHeader().setVisible(False)
        self.variables.setAccessibleName("Variables")
        self.variables.setTabKeyNavigation(False)    # Tab goes on to the role boxes and on
        self.variables.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.variables.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.variables.itemSelectionChanged.connect(self._plot_selected)
        self.variable_view = TimePlot("Selected variable", y_label="value",
                                      name="The selected variable over time")
        self.variable_plot = self.variable_view.plot
        self.variable_curve = curve(self.variable_plot, COLORS["target"])
        self.variable_view.follow(self.variable_curve)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(file_row)
        left_layout.addWidget(self.variables, 3)
        self.switches = AutomaticSwitches()
        self.switches.toggled.connect(self._switch_toggled)
        left_layout.addWidget(self.switches.inputs)
        self.series_view = SeriesView()
        self.plots = QStackedWidget()       # one series' variable, or one series of many
        self.plots.addWidget(self.variable_view)
        self.plots.addWidget(self.series_view)
        left_layout.addWidget(self.plots, 2)
        self.left_layout = left_layout
        return left

    def _build_windows(self):
        """The right side: the window and split settings, the autocorrelation with the
        suggested lookback, the split's timeline and the problems to fix."""
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._build_settings())
        one = QWidget()                     # one series: autocorrelation and timeline
        one_layout = QVBoxLayout(one)
        one_layout.setContentsMargins(0, 0, 0, 0)
        suggestion_row = self._build_suggestion()
        one_layout.addWidget(self.acf_plot, 1)
        one_layout.addLayout(suggestion_row)
        self.timeline = SplitTimeline()
        one_layout.addWidget(self.timeline)
        self.many_panel = ManySeriesPanel()
        self.many_panel.suggest_requested.connect(self._suggest_again)
        self.analysis = QStackedWidget()
        self.analysis.addWidget(one)
        self.analysis.addWidget(self.many_panel)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("problems")
        right_layout.addWidget(self.analysis, 1)
        right_layout.addWidget(self.problems)
        return right

    def _build_settings(self):
        self.missing = combo(MISSING_LABELS, "What to do with empty cells. Interpolation "
                              "suits series; leaving rows out splits the series, and no "
                              "window spans a row left out.")
        self.transform = combo(TRANSFORM_LABELS, TRANSFORM_TOOLTIP)
        for box in (self.missing, self.transform):      # narrow: the table gets the room
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
        self.period = spin_box(NO_SEASON, 100000, PERIOD_TOOLTIP)
        self.period.setSpecialValueText("none found")
        self.lookback = spin_box(1, 100000, TOOLTIPS["lookback"][0])
        self.horizon = spin_box(0, 1000, TOOLTIPS["horizon"][0])
        self.horizon_hint = QLabel()
        self.horizon_hint.setToolTip(HORIZON_TOOLTIP)
        horizon_row = QHBoxLayout()
        horizon_row.addWidget(self.horizon)
        horizon_row.addWidget(self.horizon_hint, 1)
        self.test_last = spin_box(0, 100000, TEST_LAST_TOOLTIP)
        self.test_last.setMaximumWidth(letters_wide(self.test_last, 13))
        self.test_last_row = QWidget()          # one line across the form
        test_last_row = QHBoxLayout(self.test_last_row)
        test_last_row.setContentsMargins(0, 0, 0, 0)
        test_last_row.addWidget(buddy_label("T&esting: the last", self.test_last))
        test_last_row.addWidget(self.test_last)
        every = QLabel("rows of every series")
        every.setWordWrap(True)          # wraps rather than widening the settings
        test_last_row.addWidget(every, 1)
        settings = QFormLayout()
        self.settings_form = settings
        settings.addRow("&Missing values:", self.missing)
        settings.addRow(self._build_missing_note())
        settings.addRow("&Target transform:", self.transform)
        self.transform_note = WrappedLabel()
        self.transform_note.setVisible(False)
        settings.addRow(self.transform_note)
        settings.addRow("&Season length:", self.period)
        lookback_row = QHBoxLayout()
        lookback_row.addWidget(self.lookback)
        lookback_row.addWidget(self.switches.lookback, 1)
        settings.addRow(buddy_label("Loo&kback (time steps):", self.lookback), lookback_row)
        settings.addRow(buddy_label("Steps ahea&d:", self.horizon), horizon_row)
        # a label beside a row of widgets names none of them for a screen reader
        self.lookback.setAccessibleName("Lookback (time steps)")
        self.horizon.setAccessibleName("Steps ahead")
        self.forecast_length = spin_box(0, 100000, FORECAST_LENGTH_TOOLTIP)
        self.forecast_length.setSpecialValueText("a season (or 12)")
        settings.addRow("Forecast len&gth:", self.forecast_length)
        split_row = self._build_split()
        settings.addRow(buddy_label("S&plit (train/select/test):", self.fractions[0]), split_row)
        settings.addRow("T&esting from:", self.test_from)
        settings.addRow(self.test_last_row)
        settings.setRowVisible(self.test_last_row, False)
        settings_box = QGroupBox("Windows and split")
        settings_box.setLayout(settings)
        return settings_box

    def _build_missing_note(self):
        """The line under "Missing values": how many target values are made up, with the
        button that leaves their rows out instead (hidden while no target value is empty)."""
        self.missing_note = QLabel()
        self.missing_note.setWordWrap(True)
        self.leave_out = QPushButton("Leave those rows &out")
        self.leave_out.setToolTip("Use no made-up values: every row with an empty value in "
                                  "a column used is left out, and no window spans it.")
        self.leave_out.clicked.connect(lambda: select(self.missing, "drop"))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.missing_note, 1)
        layout.addWidget(self.leave_out)
        self.missing_row = row
        row.setVisible(False)
        return row

    def _show_made_up(self, table, config):
        """How many target values the missing-value method makes up or leaves out
        (:func:`~engine.data.missing.made_up_targets`); nothing when none is empty."""
        empty, made_up = made_up_targets(table, config)
        self.missing_row.setVisible(empty > 0)
        self.leave_out.setVisible(made_up > 0)
        if not empty:
            return
        values = counted(empty, "empty target value")
        if config.missing == "drop":
            text = f"{values}: {verb(empty, 'its row is', 'their rows are')} left out."
            shown = text
        else:           # one line beside the button; the sentence in the tooltip
            text = f"{values}: <b>{made_up:,} made up</b> {made_up_how(config.missing)}"
            rest = empty - made_up
            text += f", {rest:,} left out with {verb(rest, 'its row', 'their rows')}." \
                if rest else "."
            shown = f"{empty:,} empty, <b>{made_up:,} made up</b>"
        self.missing_note.setText(shown)
        self.missing_note.setToolTip(text)

    def _build_split(self):
        """The three shares (a row of spin boxes) and the "Testing from" field."""
        self.fractions = []
        split_row = QHBoxLayout()
        for name, value in (("training", 60), ("selection", 20), ("testing", 20)):
            spin = spin_box(0, 100, SHARE_TOOLTIP.format(part=name), decimals=0, suffix=" %")
            spin.setValue(value)
            spin.setAccessibleName(f"{name.capitalize()} share")
            spin.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.fractions.append(spin)
            split_row.addWidget(spin)
        self.split_row = split_row
        self.test_from = QLineEdit()
        self.test_from.setPlaceholderText("a date or year, e.g. 1960-01-01, or 'row 120'")
        self.test_from.setToolTip("Testing starts at this date (or year) of the time column, "
                                  "or at a row: 'row 120' (rows counted from 0). The windows "
                                  "before it are split between training and selection. Leave "
                                  "empty to use the shares.")
        return split_row

    def _build_suggestion(self):
        """The autocorrelation plot (``acf_plot``) and the row of the suggested lookback."""
        import pyqtgraph as pg
        self.acf_plot = make_plot("Autocorrelation of the target", x_label="lag (time steps)",
                                 x_integers=True)
        self.acf_plot.setMinimumHeight(130)      # room for a long reason below it
        self.acf_plot.setToolTip("How strongly the target resembles itself k steps earlier. "
                                 "The dashed line marks the suggested lookback.")
        self.acf_bars = curve(self.acf_plot, COLORS["training"], symbol="o")
        self.suggested_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(COLORS["prediction"],
                                                                     style=Qt.PenStyle.DashLine))
        self.acf_plot.addItem(self.suggested_line)
        self.suggestion = WrappedLabel()
        self.suggestion.setToolTip(SUGGESTION_TOOLTIP)
        self.use_suggestion = QPushButton("&Use suggested lookback")
        self.use_suggestion.setToolTip("Set the lookback to the suggested value.")
        self.use_suggestion.clicked.connect(self._apply_suggestion)
        suggestion_row = QVBoxLayout()            # the reason can be long: the whole width
        suggestion_row.addWidget(self.suggestion)
        suggestion_row.addWidget(self.use_suggestion, 0, Qt.AlignmentFlag.AlignRight)
        return suggestion_row

    def _connect_settings(self):
        for widget in (self.missing, self.transform):
            widget.currentIndexChanged.connect(self._settings_edited)
        for widget in [self.period, self.lookback, self.horizon, self.test_last] + \
                self.fractions:
            widget.valueChanged.connect(self._settings_edited)
        self.test_from.editingFinished.connect(self._settings_edited)
        self.forecast_length.valueChanged.connect(self._forecast_length_edited)
        for box in (self.period, self.horizon):
            box.valueChanged.connect(self._show_forecast_default)

    def _show_forecast_default(self, *_):
        """The forecast length's automatic value in rows, as the choices read it
        (:func:`~engine.testing.evaluation.block_rows`): the season length box's season
        (12 rows when it shows none), or the steps ahead when more."""
        period, steps = self.period.value(), self.horizon.value()
        seasonal = period > NO_SEASON
        rows = block_rows(steps, period if seasonal else None)
        season_rows = period if seasonal else DEFAULT_BLOCK_ROWS
        self.forecast_length.setSpecialValueText(
            f"{rows} rows (the steps ahead)" if rows > season_rows
            else f"a season ({rows} rows)" if seasonal else f"{rows} rows (no season)")

    # -- loading ---------------------------------------------------------------------------
    def choose_file(self):
        folder = str(self.session.project.folder) if self.session.project else ""
        path, _ = file_dialogs.open_file_name(self, "Load data file", folder,
                                              "CSV files (*.csv *.txt *.tsv);;All files (*)")
        if path:
            self.import_file(path)

    def import_file(self, path, dialog_factory=ImportDialog):
        """Show the import dialog for ``path``; on Import, make it the project's data."""
        dialog = dialog_factory(path, parent=self)
        if dialog.stopped:              # the application quits
            return False
        if dialog.exec() != ImportDialog.DialogCode.Accepted or dialog.table is None:
            return False
        self.use_table(path, dialog.table)
        return True

    def use_table(self, path, table):
        """Make ``table`` (read from ``path``) the project's data with the default roles
        (:func:`sole_target`); its suggested lookback and season become the settings."""
        variables = default_variables(table.columns, table.time_column,
                                      targets=sole_target(table))
        config = DatasetConfig(csv=table.options, variables=variables)
        self._by_hand = set()
        self._adopt = set(ADOPTED)
        self._configured = self.session.project
        self.session.set_table(path, table, config)
        self._start_automatic(config)
        self.refresh()

    def _start_automatic(self, config):
        """A newly configured data set of one series starts with the automatic choices of
        ``rnn-studio fit`` (:func:`~engine.training.automatic.automatic_settings`)."""
        settings = self.session.project.selection.settings
        for key in SELECTION_SWITCHES:
            settings.pop(key, None)
        self.session.project.selection.summary = {}     # the last fit's choices: other data
        if not is_many_series(config):
            settings.update({key: True for key, on in automatic_settings(config).items()
                             if on})

    def offer_to_locate(self, missing):
        answer = QMessageBox.question(
            self, "Data file not found",
            f"The project's data file {missing} was not found. It may have been moved or "
            "renamed. Locate it now?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        path, _ = file_dialogs.open_file_name(self, f"Locate {missing.name}",
                                              str(self.session.project.folder),
                                              "CSV files (*.csv *.txt *.tsv);;All files (*)")
        if not path:
            return
        self.session.project.set_data_file(path)
        try:
            self.session.reload_table()
        except EngineError as error:
            QMessageBox.warning(self, "Cannot read the data file", str(error))
            return
        except Cancelled:           # the application quits while the file is read
            return
        self.session.touch()
        self.refresh()

    # -- showing ---------------------------------------------------------------------------
    def refresh(self):
        session = self.session
        config = session.config() if session.project else None
        table = session.table
        if session.project is not self._configured:     # opened: its settings are kept
            self._configured, self._by_hand, self._adopt = session.project, set(ADOPTED), set()
            self._many_notes, self._suggest_pending = [], False
            self._network = (None, None) if is_many_series(config) else None
            self._one_series = self._many_series = self._series_time_row = None
            self._series_table = self._series_time_note = None
        self._loading = True
        try:
            if session.project is None or config is None or table is None:
                missing = session.missing_data_file()
                self.file_label.setText(f"The data file {missing} was not found." if missing
                                        else "No data file loaded.")
                self.variables.setRowCount(0)
                self.problems.setText("")
                self._clear_analysis()
                return
            path = session.project.data_file()
            self.file_label.setText(f"<b>{escape(Path(path).name)}</b>: "
                                    f"{len(table.frame)} rows, {table.frame.shape[1]} columns")
            self.file_label.setToolTip(str(path))
            self._fill_variables(table, config)
        finally:
            self._loading = False
        self._show_values(config)
        self._update_analysis(config)

    def _show_values(self, config):
        """The settings' controls show ``config``'s values (no edit is made)."""
        self._loading = True
        try:
            select(self.missing, config.missing)
            self._show_transform(config)
            self.period.setValue(self._shown_period(config))
            self.lookback.setValue(config.lookback)
            self.horizon.setValue(config.horizon)
            self.test_last.setValue(config.test_last)
            for spin, share in zip(self.fractions, config.split.fractions):
                spin.setValue(round(share * 100))
            test_from = config.split.test_from
            self.test_from.setText("" if test_from is None else
                                   _test_from_text(test_from, self.session.table))
            self.forecast_length.setValue(
                self.session.project.selection.settings.get("forecast_steps") or 0)
            self._show_forecast_default()
        finally:
            self._loading = False

    def _show_mode(self, config):
        """One series or many: the analysis and plot shown, and the settings that mean
        something for it (those that do not are hidden or disabled, saying why); None: no
        data set."""
        many = is_many_series(config)
        self.analysis.setCurrentIndex(int(many))
        self.plots.setCurrentIndex(int(many))
        self.left_layout.setStretch(1, 1 if many else 3)     # few columns, long series:
        self.left_layout.setStretch(3, 3 if many else 2)     # the plot gets the room
        form = self.settings_form
        for row in (self.missing, self.split_row, self.test_from, self.forecast_length):
            form.setRowVisible(row, not many)
        form.setRowVisible(self.test_last_row, many)
        if many:
            self.missing_row.setVisible(False)
            self.transform_note.setVisible(False)
        self.transform.setEnabled(not many)
        self.transform.setToolTip(NOT_APPLYING.format(what="a target transform") if many
                                  else TRANSFORM_TOOLTIP)
        self.horizon_hint.setVisible(not many)
        self._show_switches(config)
        if many != self._many_shown:        # the season's tooltip also tells what was found
            self._many_shown = many
            for name in ("lookback", "horizon", "period"):
                widget, tip = getattr(self, name), TOOLTIPS[name][int(many)]
                widget.setProperty("base_tooltip", tip)
                widget.setToolTip(tip)
        self._loading = True
        try:
            self.horizon.setMinimum(1 if many else 0)
        finally:
            self._loading = False
        for row, spec in enumerate(config.variables if config is not None else []):
            scaler = self.variables.cellWidget(row, 3)
            if scaler is not None:
                scaler.setEnabled(spec.type == "numeric" and not many)
                scaler.setToolTip(NOT_APPLYING.format(what="the scaler chosen here") if many
                                  else SCALER_TOOLTIP)
        self._size_columns()

    def _fill_variables(self, table, config):
        shown = self.statistics
        stats = shown.summary if shown is not None and shown.table is table else {}
        infos = {c.name: c for c in table.columns}
        self.variables.clearContents()
        self.variables.setRowCount(0)
        self.variables.setRowCount(len(config.variables))
        for row, spec in enumerate(config.variables):
            info = infos.get(spec.name)
            name = QTableWidgetItem(spec.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, spec.name + (
                f"\n\n{info.note}" if info is not None and info.note else ""))
            self.variables.setItem(row, 0, name)
            kind = QTableWidgetItem(spec.type)
            kind.setFlags(kind.flags() & ~Qt.ItemFlag.ItemIsEditable)
            kind.setToolTip(info.note if info is not None and info.note else spec.type)
            self.variables.setItem(row, 1, kind)
            role = combo(ROLE_LABELS, ROLE_TOOLTIP)
            role.setSizeAdjustPolicy(ROLE_SIZE)
            role.setMinimumContentsLength(ROLE_CHARACTERS)
            select(role, spec.role)
            role.setAccessibleName(f"Role of {spec.name}")
            role.currentIndexChanged.connect(self._variables_edited)
            self.variables.setCellWidget(row, 2, role)
            scaler = combo(SCALER_LABELS, SCALER_TOOLTIP)
            for index, (value, _) in enumerate(SCALER_LABELS):
                scaler.setItemData(index, SCALER_TOOLTIPS[value], Qt.ItemDataRole.ToolTipRole)
            select(scaler, spec.scaler)
            scaler.setEnabled(spec.type == "numeric")
            scaler.setAccessibleName(f"Scaling of {spec.name}")
            scaler.currentIndexChanged.connect(self._variables_edited)
            self.variables.setCellWidget(row, 3, scaler)
            self._fill_summary(row, stats.get(spec.name, {}),
                               info.n_missing if info else 0)
        self._tab_through_rows()
        self._size_columns()
        self._fit_height()

    def _fit_height(self):
        """The variables' table at least as tall as its first :data:`SHOWN_ROWS` rows (all
        of them when fewer) below its header: a short window squeezed it to two rows,
        though the page scrolls."""
        table = self.variables
        rows = sum(table.rowHeight(row) for row in range(min(table.rowCount(), SHOWN_ROWS)))
        bar = table.horizontalScrollBar()
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + rows
                               + 2 * table.frameWidth()
                               + (bar.sizeHint().height() if bar.maximum() > 0 else 0))

    def _tab_through_rows(self):
        """Tab goes from the table through each row's role and scaling boxes, then on to
        the settings (boxes made with the rows would come last, after Next)."""
        before = self.variables
        for row in range(self.variables.rowCount()):
            for column in (2, 3):
                box = self.variables.cellWidget(row, column)
                QWidget.setTabOrder(before, box)
                before = box

    def _size_columns(self):
        """Every column as wide as its contents, the names' column giving way (its long
        names elided) so that the whole table fits beside the settings; where even so it
        does not, the type and the statistics (:data:`FOLDED`) are read in the name's
        tooltip instead of columns that would scroll sideways."""
        table = self.variables
        for column in FOLDED:
            table.setColumnHidden(column, False)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        narrow = header.length() - table.columnWidth(0) + LEAST_NAME > table.viewport().width()
        for column in FOLDED:
            table.setColumnHidden(column, narrow)
        spare = table.viewport().width() - header.length()
        if spare < 0:
            table.setColumnWidth(0, max(LEAST_NAME, table.columnWidth(0) + spare))
        roles = [table.cellWidget(row, 2) for row in range(table.rowCount())]
        wanted = max([box.fontMetrics().horizontalAdvance(box.currentText()) + ROLE_ARROW
                      for box in roles if box is not None], default=0)
        if spare > 0 and wanted > table.columnWidth(2):   # a long role shown whole if room
            table.setColumnWidth(2, table.columnWidth(2) + min(spare - 2,
                                                               wanted - table.columnWidth(2)))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._size_columns()

    def _fill_summary(self, row, entry, missing):
        """A variable's missing count, minimum, maximum, mean and standard deviation
        (``entry`` from :func:`~engine.data.statistics.summary`; blank until computed)."""
        values = [entry.get("missing", missing), entry.get("minimum"), entry.get("maximum"),
                  entry.get("mean"), entry.get("std")]
        for column, value in enumerate(values, 4):
            item = QTableWidgetItem("" if value is None else format_number(value))
            if value is not None:
                item.setToolTip(f"{COLUMNS[column][1].split(':')[0]}: {value:.8g}")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.variables.setItem(row, column, item)
        self._say_summary(row, values)

    def _say_summary(self, row, values):
        """The name's tooltip: the name, then the type and the statistics ``values`` in
        words (the columns of :data:`FOLDED` are hidden in a narrow window)."""
        name, kind = self.variables.item(row, 0), self.variables.item(row, 1)
        figures = [f"{COLUMNS[column][1].split(':')[0].lower()} {format_number(value)}"
                   for column, value in enumerate(values, 4) if value is not None]
        name.setToolTip(f"{name.data(Qt.ItemDataRole.UserRole)}\n\n{kind.text()}"
                        + (f": {', '.join(figures)}" if figures else ""))

    def _targets(self, config):
        return [v.name for v in config.targets]

    def _clear_analysis(self):
        """No data: no plot, autocorrelation, suggestion or windows (of an earlier project)."""
        self._wanted = None
        self.acf_bars.setData([], [])
        self.suggested_line.setVisible(False)
        self.suggestion.setText("")
        self.horizon_hint.setText("")
        self.use_suggestion.setEnabled(False)
        self.timeline.set_summary(None, 0)
        self.missing_row.setVisible(False)
        self.transform_note.setVisible(False)
        self.variable_curve.setData([], [])
        self.variable_plot.setTitle("", size="10pt")
        self.series_view.show_series(None, 0, 1)
        self.many_panel.show_summary(None, [])
        self._show_mode(None)

    def _update_analysis(self, config):
        table = self.session.table
        many = is_many_series(config)
        self._show_mode(config)
        targets = [v.name for v in config.targets if v.type in ("numeric", "binary")]
        target = targets[0] if targets and not many else None   # many: the summary alone
        self._wanted = (table, target, config.lookback, suggestion_settings(config))
        if self.isVisible():
            self.runner.start(page_statistics, table, target, config.lookback,
                              config=copy.deepcopy(config), restart=True)
        if many:
            self._show_many(config)
            return
        if target is None:
            self.acf_bars.setData([], [])
            self.suggested_line.setVisible(False)
            self.suggestion.setText("Choose a target to see its autocorrelation.")
            self.horizon_hint.setText("")
            self.use_suggestion.setEnabled(False)
        self._show_made_up(table, config)
        problems, summary = self.session.data_check()
        self.timeline.set_summary(None if problems else summary, len(table.frame))
        self._show_shares(config, summary)
        self._show_problems(problems)
        self._plot_selected()

    def _show_many(self, config):
        """A table of many series: the series at a glance, the chosen one plotted with its
        parts, the notes (the suggested season's while the season box holds it) and the
        problems of the settings."""
        problems, summary = self.session.data_check()
        notes = [note for note, season in self._many_notes if season == config.period]
        notes[:0] = [self._series_time_note] if self._series_time_note else []
        note = self._network_note(summary) if self._network else None
        notes += [note] if note else []
        self.many_panel.show_summary(summary, notes)
        self.series_view.show_series(summary.data if summary else None, config.test_last,
                                     config.horizon, summary.short if summary else ())
        self._show_problems(problems)

    def _network_note(self, summary):
        """The note on step 3's units for the training windows of the settings shown
        (``summary.windows``; None: not known, the note stays as it was): the units this
        page set follow them (:func:`engine.many.project_fit.size_global_network`), units
        set by hand (on step 3, elsewhere, or so marked in the project opened:
        :func:`engine.many.project_fit.units_follow_data`) are kept and the note says so."""
        units, note = self._network
        windows = summary.windows if summary is not None else None
        if windows is None:
            return note
        architecture = self.session.project.architecture
        follow = units_follow_data(architecture, windows) if units is None else \
            not architecture.units_by_hand and list(architecture.hidden_sizes or ()) == units
        if not follow:
            architecture.units_by_hand = True
            return kept_units_note(architecture.hidden_sizes, windows)
        note = size_global_network(architecture, windows)
        self._network = (list(architecture.hidden_sizes), note)
        return note

    def _show_problems(self, problems):
        """The problems to fix before the next step (said where they are), or that the
        data set is ready."""
        if problems:
            self.problems.setText("<span style='color:#b00020'><b>To fix before the next "
                                  "step:</b><br>" + "<br>".join(problems) + "</span>")
        else:
            self.problems.setText("<span style='color:#1b5e20'>The data set is ready.</span>")
        self._mark_problems(problems)

    def _show_shares(self, config, summary):
        """The split boxes: the shares set (as typed while they are being edited), or, when
        "Testing from" decides where testing starts, greyed out with the shares of the
        windows it gives (and their counts in the tooltip)."""
        decided = config.split.test_from is not None
        typed = not decided and self.fractions[0].isEnabled()
        shares = [share * 100 for share in config.split.fractions]
        counts = summary.counts if summary is not None else None
        if decided and counts and sum(counts.values()):
            shares = [100 * counts[part] / sum(counts.values()) for part in PARTS]
        self._loading = True
        try:
            for spin, share, part in zip(self.fractions, shares, PARTS):
                if not typed:
                    spin.setValue(round(share))
                spin.setEnabled(not decided)
                tip = _share_tooltip(part, config.split, counts) if decided else \
                    SHARE_TOOLTIP.format(part=part)
                spin.setProperty("base_tooltip", tip)
                spin.setToolTip(tip)
        finally:
            self._loading = False

    @Slot(object)
    def _show_statistics(self, statistics):
        """The summary columns, and the target's autocorrelation and suggested lookback,
        once computed (unless the data or settings they are of changed meanwhile)."""
        wanted = self._wanted
        if wanted is None or wanted[0] is not statistics.table or wanted[1:] != \
                (statistics.target, statistics.lookback, statistics.settings):
            return
        self.statistics = statistics
        infos = {c.name: c for c in statistics.table.columns}
        for row in range(self.variables.rowCount()):
            name = self.variables.item(row, 0).text()
            info = infos.get(name)
            self._fill_summary(row, statistics.summary.get(name, {}),
                               info.n_missing if info else 0)
        self._size_columns()
        if statistics.target is None:
            return
        acf, period = statistics.acf, statistics.period
        self.acf_bars.setData(np.arange(acf.size), acf)
        self.suggested = statistics.suggested
        self.suggested_line.setValue(self.suggested)
        self.suggested_line.setVisible(True)
        self.suggestion.setText(f"Suggested lookback for '{statistics.target}': "
                                f"<b>{self.suggested}</b> ({short_reason(statistics.reason)})."
                                + _lags_text(statistics.lags))
        self.suggestion.setToolTip(f"{SUGGESTION_TOOLTIP}\n\nThis one: {statistics.reason}."
                                   + _lags_tooltip(statistics.lags))
        self.horizon_hint.setText(f"Suggested: {statistics.steps}")
        self.horizon_hint.setToolTip(f"{HORIZON_TOOLTIP}\n\nSuggested: {statistics.steps}, "
                                     f"{statistics.steps_reason}. The steps ahead stay as "
                                     "you set them.")
        self.use_suggestion.setEnabled(self.suggested != statistics.lookback)
        config = self.session.config()
        if is_many_series(config):
            return
        self.period.setToolTip(PERIOD_TOOLTIP + "\n\n" + _season_note(
            period, statistics.table.time_step(), config is not None and config.period))
        if config is not None and not config.period:
            self._loading = True            # shown, not stored: the season detected
            try:
                self.period.setValue(period or NO_SEASON)
            finally:
                self._loading = False
        self._adopt_suggestions(statistics)

    def _detected_period(self):
        """The season the statistics shown detected in the current table, or None."""
        shown = self.statistics
        return shown.period if shown is not None and shown.table is self.session.table \
            else None

    def _shown_period(self, config):
        """The season length the box shows: the one set, else the one detected (of one
        series), else :data:`NO_SEASON` ("none found")."""
        detected = None if is_many_series(config) else self._detected_period()
        return config.period or detected or NO_SEASON

    @Slot(object)
    def _statistics_failed(self, error):
        self.suggestion.setText(f"<span style='color:#b00020'>{failure_text(error)}</span>")

    def hideEvent(self, event):
        """Leaving the page (another step, or the window closes) ends its statistics:
        they are computed again when it is shown (:meth:`refresh`)."""
        if not event.spontaneous():
            self.runner.stop_and_wait()
        super().hideEvent(event)

    def _mark_problems(self, problems):
        """Tint the controls a problem is about and add the problem to their
        tooltips, so that it is said where it is, not only in the list below."""
        places = {"lookback": [self.lookback, self.horizon], "target": [self.variables],
                  "input": [self.variables], "part": self.fractions + [self.test_from],
                  "testing": self.fractions + [self.test_from, self.test_last],
                  "steps ahead": [self.horizon]}
        marked = {}
        for problem in problems:
            lowered = problem.lower()
            for word, widgets in places.items():
                if word in lowered:
                    for widget in widgets:
                        marked.setdefault(widget, []).append(problem)
        widgets = {w for group in places.values() for w in group}
        for widget in widgets:
            base = widget.property("base_tooltip")
            if base is None:
                base = widget.toolTip()
                widget.setProperty("base_tooltip", base)
            found = marked.get(widget)
            palette = QPalette()
            if found:
                palette.setColor(QPalette.ColorRole.Base, QColor(PROBLEM_COLOR))
            widget.setPalette(palette)
            widget.setToolTip(base + ("\n\nTo fix: " + " ".join(found) if found else ""))

    @Slot()
    def _plot_selected(self):
        if self.session.is_many_series():      # the series view plots one series
            return
        table = self.session.table
        rows = self.variables.selectionModel().selectedRows() if self.variables.rowCount() \
            else []
        if table is None:
            return
        config = self.session.config()
        if rows:
            name = self.variables.item(rows[0].row(), 0).text()
        else:
            targets = self._targets(config) if config else []
            name = targets[0] if targets else None
        if name is None or name not in table.frame or \
                not pd.api.types.is_numeric_dtype(table.frame[name]):
            self.variable_curve.setData([], [])
            self.variable_plot.setTitle("Select a numeric variable to plot it", size="10pt")
            return
        x, axis = self._time_axis(table)
        self.variable_curve.setData(x, table.frame[name].to_numpy(dtype=float),
                                    connect="finite")
        self.variable_plot.setTitle(f"{name} by {axis}", size="10pt")

    def _time_axis(self, table):
        """x values for plots over time: seconds since 1970 under a date axis when the time
        column holds dates, else row numbers (or the time column's numbers, e.g. years)."""
        import pyqtgraph as pg
        column = table.time_column
        times = table.frame[column] if column else None
        if times is not None and (pd.api.types.is_datetime64_any_dtype(times)
                                  or pd.api.types.is_numeric_dtype(times)):
            x, dates = time_positions(times)
            wanted, label = (pg.DateAxisItem, "date") if dates else (pg.AxisItem, column)
        else:
            x, wanted, label = np.arange(len(table.frame)), pg.AxisItem, "row"
        self.variable_view.set_date_axis(wanted is pg.DateAxisItem)
        return x, label

    # -- edits -----------------------------------------------------------------------------
    def _variables_edited(self):
        if self._loading:
            return
        config = self.session.config()
        before, series_before = self._targets(config), config.series_column
        inputs_before = [v.name for v in config.inputs]
        for row, spec in enumerate(config.variables):
            spec.role = self.variables.cellWidget(row, 2).currentData()
            spec.scaler = self.variables.cellWidget(row, 3).currentData()
        if [v.name for v in config.inputs] != inputs_before:   # set here: not rechosen
            self.session.project.selection.settings.pop("choose_inputs", None)
        self._one_series_column(config, self.sender())
        architecture = self.session.project.architecture
        if config.series_column is not None and series_before is None:
            self._one_series = _series_settings(config, architecture)
        if config.series_column is None and series_before is not None:
            self._many_series = None if self._suggest_pending else (
                (series_before, before), _series_settings(config, architecture),
                self._many_notes, self._network)
        if self._targets(config)[:1] != before[:1]:     # a new target: its suggestions
            self._adopt = set(ADOPTED) - self._by_hand
            self._choose_inputs_again(config)
        if config.series_column is not None and config.series_column != series_before:
            self._time_of_series(config)
        again = self._many_series_again(config) \
            if config.series_column is not None and series_before is None else None
        if again is not None:
            config = again
        elif config.series_column is not None and (config.series_column != series_before
                                                   or self._suggest_pending):
            pending = self._suggest_pending
            config = self._suggested(config)
            if series_before is None or (pending and not self._suggest_pending):
                note = use_global_network(architecture, self._training_windows(config))
                self._network = (list(architecture.hidden_sizes), note)
        if config.series_column is None:
            self._network = None
        if config.series_column is None and series_before is not None:
            config = self._without_series_time(config)
        if config.series_column is None and series_before is not None and self._one_series:
            config = self._one_series_again(config)
        self._store(config)

    def _one_series_again(self, config):
        """``config`` with the settings it had as one series (lookback, steps ahead, season,
        transform, split) and step 3's network as it was, shown in the controls."""
        kept, self._one_series = self._one_series, None
        row, self._series_time_row = self._series_time_row, None
        if row is not None and row < len(config.variables) and \
                config.variables[row].role == "time":
            config.variables[row].role = "unused"        # as it was: the dates repeat
            self._set_role_box(row, "unused")
        return self._put_back(config, kept)

    def _many_series_again(self, config):
        """``config`` (of one series a moment ago) with the settings it had as many series,
        step 3's network and their notes as they were, when the same column names the
        series again for the same targets (else None: its suggestions are made)."""
        kept, self._many_series = self._many_series, None
        if kept is None or kept[0] != (config.series_column, self._targets(config)):
            return None
        _, settings, self._many_notes, self._network = kept
        self._suggest_pending = False
        return self._put_back(config, settings)

    def _put_back(self, config, kept):
        """``config`` with the settings ``kept`` (:func:`_series_settings`) and step 3's
        network as they were, shown in the controls."""
        settings, network = kept
        config = replace(config, **settings)
        architecture = self.session.project.architecture
        for name, value in network.items():
            setattr(architecture, name, value)
        self._show_values(config)
        return config

    def _one_series_column(self, config, chosen):
        """At most one column names the series: the one given the role last (its role
        box ``chosen``) keeps it, another that had it becomes unused."""
        rows = [row for row, spec in enumerate(config.variables) if spec.role == "series"]
        if len(rows) < 2:
            return
        keep = next((row for row in rows if self.variables.cellWidget(row, 2) is chosen),
                    rows[0])
        self._loading = True
        try:
            for row in rows:
                if row != keep:
                    config.variables[row].role = "unused"
                    select(self.variables.cellWidget(row, 2), "unused")
        finally:
            self._loading = False

    def _time_of_series(self, config):
        """A table of many series repeats its times from series to series, so it is read
        without a time column: its one column of dates (unused), else a column of numbers
        named for the time that differ within each series (a year; not a target), becomes
        the time of each series' rows."""
        from engine.many.series_data import series_time

        if config.time_column is not None or self.session.table is None:
            return
        dates = [row for row, spec in enumerate(config.variables)
                 if spec.type == "datetime" and spec.role == "unused"]
        if len(dates) != 1:
            table = self.session.table
            named = [spec.name for spec in config.variables
                     if spec.role in ("unused", "input") and spec.name in table.frame.columns]
            frame, found, note = series_time(table.frame, config.series_column, named,
                                             table.options)
            if frame is not table.frame:
                self._build_series_time(config, found, note)
                return
            dates = [row for row, spec in enumerate(config.variables) if spec.name == found]
            if len(dates) != 1:
                return
        config.variables[dates[0]].role = "time"
        self._series_time_row = dates[0]
        self._set_role_box(dates[0], "time")

    def _build_series_time(self, config, name, note):
        """The time ``name`` (``year-quarter``) built from a year and a quarter (month) of
        the table, as ``fit --series`` and a project opened again build it
        (:func:`~engine.data.pipeline.with_series_time`): the table gets the column first,
        ``config`` a variable of it with the role Time, the year and the quarter are not
        used (as for one series); the reading ``note`` joins the notes of the series."""
        from engine.data.pipeline import with_series_time
        from engine.data.year_period import named_year_period

        table = self.session.table
        built = with_series_time(table, name)
        parts = named_year_period(name)
        self._series_table = (table, {spec.name: spec.role for spec in config.variables
                                      if spec.name in (parts.year, parts.period)})
        self._series_time_note = note
        kind = next(info.type for info in built.columns if info.name == name)
        config.variables.insert(0, VariableSpec(name, role="time", type=kind, scaler="none"))
        for spec in config.variables:
            if spec.name in (parts.year, parts.period):
                spec.role = "unused"
        self._show_table(built, config)

    def _without_series_time(self, config):
        """``config`` (one series again) without a time built for many series from a year
        and a quarter (month), with the table as a file of one series is read (as it was
        before :meth:`_build_series_time`, else read again: a project opened so) and the
        year and the quarter with the roles they had before, if known; else ``config``."""
        if not self.session.table.frame.attrs.get("built_time"):
            return config
        kept, self._series_table = self._series_table, None
        self._series_time_note = None
        try:
            table, roles = kept or (self.session.run_slow(self.session.project.table,
                                                          config), {})
        except (EngineError, Cancelled):    # the file cannot be read again: as it is
            return config
        config.variables = [spec for spec in config.variables
                            if spec.name in table.frame.columns]
        for spec in config.variables:
            if spec.role == "unused" and spec.name in roles:
                spec.role = roles[spec.name]
        self._show_table(table, config)
        return config

    def _show_table(self, table, config):
        """Make ``table`` the loaded table and show ``config``'s variables (no edit)."""
        self.session.replace_table(table)
        self._loading = True
        try:
            self._fill_variables(table, config)
        finally:
            self._loading = False

    def _set_role_box(self, row, role):
        """Show ``role`` in row ``row``'s role box without taking it for an edit."""
        self._loading = True
        try:
            select(self.variables.cellWidget(row, 2), role)
        finally:
            self._loading = False

    def _suggested(self, config):
        """``config`` (it names a series column) with the season, steps ahead, testing
        rows and lookback suggested for its series
        (:func:`engine.many.project_fit.with_suggestions`), shown in the controls; as it
        is, when they cannot be suggested yet (no target: the check says so)."""
        self._adopt = set()
        try:
            config, notes = with_suggestions(config, self.session.table)
            self._many_notes = [(note, config.period) for note in notes]
        except EngineError:
            self._suggest_pending, self._many_notes = True, []
            return config
        self._suggest_pending = False
        self._show_values(config)
        return config

    def _training_windows(self, config):
        """The training windows of ``config``'s series once its settings are suggested
        (:func:`engine.many.project_fit.project_windows`), None before."""
        if self._suggest_pending:
            return None
        return project_windows(self.session.table, config)

    @Slot()
    def _suggest_again(self):
        config = self.session.config()
        if config is not None and is_many_series(config):
            self._store(self._suggested(config))

    def _many_settings_edited(self, config):
        """The settings of a table of many series: season, lookback, steps ahead and the
        testing rows of every series. "None found" is stored as a season of 1 (none), not
        left for the fit to look for again. The testing rows follow the steps ahead (stored
        as None, as ``fit --series`` takes them) until the person sets them, as a lookback
        typed here is kept: from then on their number is stored and kept."""
        config.period = self.period.value()
        config.lookback = self.lookback.value()
        if self.test_last.value() != config.test_last:      # set by hand
            config.split = replace(config.split, test_last=self.test_last.value())
        config.horizon = self.horizon.value()
        if config.split.test_last is None:                  # following the steps ahead
            self._loading = True
            try:
                self.test_last.setValue(config.test_last)
            finally:
                self._loading = False
        self._store(config)

    def _settings_edited(self, *args):
        if self._loading or self.session.config() is None:
            return
        config = self.session.config()
        if is_many_series(config):
            self._many_settings_edited(config)
            return
        config.missing = self.missing.currentData()
        automatic = self.transform.currentData() == AUTOMATIC
        self._set_automatic_transform(automatic)
        if not automatic:
            config.target_transform = self.transform.currentData()
        self._show_transform_note(config, automatic)
        if config.target_transform == "seasonal_difference" or \
                self.period.value() != self._shown_period(config):
            config.period = self.period.value() if self.period.value() != NO_SEASON else None
            self._set_by_hand("period")
        if self.lookback.value() != config.lookback:
            self._set_by_hand("lookback")
        config.lookback = self.lookback.value()
        config.horizon = self.horizon.value()
        shares = [spin.value() for spin in self.fractions]
        if not self.fractions[0].isEnabled():       # the shares "Testing from" gave
            shares = list(config.split.fractions)
        total = sum(shares)
        text = self.test_from.text().strip()
        stored = config.split.test_from
        if stored is not None and text == _test_from_text(stored, self.session.table):
            test_from = stored          # as stored (a row number, a year): left as it was
        elif text.lower().startswith("row") and text[3:].strip().isdigit():
            test_from = {"row": int(text[3:])}
        else:
            test_from = text or None   # a date or year of the time column, else a row
        if not total:                   # no split at all: the shares before stay
            self._loading = True
            for spin, share in zip(self.fractions, config.split.fractions):
                spin.setValue(round(share * 100))
            self._loading = False
            self.problems.setText("<span style='color:#b00020'>The shares of training, "
                                  "selection and testing cannot all be 0; the shares before "
                                  "are kept.</span>")
            return
        try:
            fractions = tuple(s / total for s in shares)
            config.split = SplitSettings(config.split.method, fractions, test_from,
                                         config.split.seed)
        except EngineError as error:
            self.problems.setText(f"<span style='color:#b00020'>{error}</span>")
            self._show_switches(config)         # a lookback typed meanwhile turned one off
            return
        self._store(config)

    def _set_by_hand(self, name):
        """The person set ``name`` ("lookback" or "period", typed or by "Use suggested
        lookback"): no suggestion replaces it, and a lookback set here is no longer chosen
        at step 4 (a project made by ``rnn-studio fit`` chooses it there,
        ``choose_lookback``)."""
        self._by_hand.add(name)
        self._adopt.discard(name)
        if name == "lookback":
            self.session.project.selection.settings.pop("choose_lookback", None)

    def _adopt_suggestions(self, statistics):
        """Make the suggested lookback and the season detected the project's values, as
        the command line's fit stores them, when the data set was newly configured (a new
        file or target) and the person has not set them."""
        adopt, self._adopt = self._adopt, set()
        config = self.session.config()
        if not adopt or config is None or is_many_series(config):
            return
        if "lookback" in adopt and statistics.suggested:
            config.lookback = int(statistics.suggested)
        if "period" in adopt:
            config.period = statistics.period or None
        self._loading = True
        try:
            self.lookback.setValue(config.lookback)
            self.period.setValue(self._shown_period(config))
        finally:
            self._loading = False
        self.use_suggestion.setEnabled(self.suggested != config.lookback)
        self._store(config)

    def _show_transform(self, config):
        """The transform box: "Automatic" when step 4 chooses the transform, else the
        project's transform; and the line under it (:meth:`_show_transform_note`)."""
        automatic = bool(self.session.project.selection.settings.get(
            "choose_target_transform"))
        select(self.transform, AUTOMATIC if automatic else config.target_transform)
        self._show_transform_note(config, automatic)

    def _show_transform_note(self, config, automatic):
        """The line under the transform box while step 4 chooses it (one series only): the
        transform the project holds, the last chosen or the one set before."""
        held = dict(TRANSFORM_LABELS).get(config.target_transform, config.target_transform)
        summary = self.session.project.selection.summary
        chosen = last_choices(summary).get("target_transform") == \
            config.target_transform                              # by step 4's last choice
        self.transform_note.setText(
            "Chosen at step 4 " + (f"(last: <b>{held.lower()}</b>)." if chosen else
                                   f"(until then: <b>{held.lower()}</b>)."))
        self.transform_note.setVisible(automatic and not is_many_series(config))

    def _show_switches(self, config):
        """The automatic lookback and inputs (:class:`AutomaticSwitches`), the inputs' box
        only when step 4 has that choice; neither without a data set or for many series."""
        if config is None:                  # no data set: nothing to choose
            self.switches.lookback.setVisible(False)
            self.switches.inputs.setVisible(False)
            return
        selection = self.session.project.selection
        offered = self.switches.show(config, selection.settings, selection.summary)
        one = not is_many_series(config)
        self.switches.lookback.setVisible(one)
        self.switches.inputs.setVisible(one and offered)

    def _choose_inputs_again(self, config):
        """A new target: step 4 chooses its inputs when ``rnn-studio fit`` would
        (:func:`~engine.training.automatic.automatic_settings`), and the choices of the last
        fit (of another target) are forgotten."""
        self.session.project.selection.summary = {}
        settings = self.session.project.selection.settings
        settings.pop("choose_inputs", None)
        if not is_many_series(config) and automatic_settings(config)["choose_inputs"]:
            settings["choose_inputs"] = True

    @Slot(int)
    def _forecast_length_edited(self, steps):
        """The length of the forecasts the person wants (``selection.settings``'s
        ``forecast_steps``; 0: a season, or 12)."""
        if self._loading or self.session.project is None:
            return
        settings = self.session.project.selection.settings
        if (settings.get("forecast_steps") or 0) != steps:
            if steps:
                settings["forecast_steps"] = int(steps)
            else:
                settings.pop("forecast_steps", None)
            self.session.touch()

    @Slot(str, bool)
    def _switch_toggled(self, key, on):
        """The person turned an automatic choice of step 4 on or off."""
        if self.session.project is None or self.session.config() is None:
            return
        settings = self.session.project.selection.settings
        if on:
            settings[key] = True
        else:
            settings.pop(key, None)
        self.session.touch()
        self._show_switches(self.session.config())

    def _set_automatic_transform(self, on):
        """Step 4 chooses the target transform (``selection.settings``'s
        ``choose_target_transform``), or the box's transform is kept."""
        settings = self.session.project.selection.settings
        if bool(settings.get("choose_target_transform")) != on:
            if on:
                settings["choose_target_transform"] = True
            else:
                settings.pop("choose_target_transform", None)
            self.session.touch()

    def _store(self, config):
        self.session.set_config(config)
        self._update_analysis(config)

    def _apply_suggestion(self):
        if self.suggested:
            self.lookback.setValue(self.suggested)


def sole_target(table):
    """The target by default: the only numeric column besides the time column, when there
    is exactly one (a file with several leaves the choice to the person)."""
    numeric = [c.name for c in table.columns if c.name != table.time_column
               and c.type in ("numeric", "binary")]
    sole = [c for c in table.columns if c.name in numeric and c.type == "numeric"]
    return [sole[0].name] if len(numeric) == 1 and sole else []


def _share_tooltip(part, split, counts):
    """The tooltip of a split box greyed out because "Testing from" decides: why, and the
    windows each part has."""
    train, select = split.fractions[0], split.fractions[1]
    ratio = round(100 * train / (train + select)) if train + select else 100
    text = (f"Testing starts at {_test_from_text(split.test_from)} (Testing from), so "
            f"the testing start decides the shares: this box shows the {part} share of "
            f"the windows it gives. The windows before it are divided {ratio} : "
            f"{100 - ratio} between training and selection. Empty 'Testing from' to set "
            "the shares here.")
    if counts:
        text += ("\n\nWindows: " + ", ".join(f"{name} {counts.get(name, 0)}"
                                             for name in PARTS) + ".")
    return text


def _test_from_text(test_from, table=None):
    """"Testing from" as the field shows it: a date or year, or 'row 120' (also for a
    whole number stored for a file whose time column, in ``table``, holds no numbers:
    a row number, e.g. from ``rnn-studio fit --test-from 120``)."""
    if isinstance(test_from, dict):
        return f"row {test_from.get('row')}"
    if isinstance(test_from, int) and not isinstance(test_from, bool) and table is not None:
        column = table.time_column
        if column is None or not pd.api.types.is_numeric_dtype(table.frame[column]):
            return f"row {test_from}"
    return str(test_from)


def _season_note(period, step, set_here):
    """The season length box's note on the season found in the data (``period`` rows of
    the time ``step``, None: none); ``set_here``: a length set in the box is used."""
    if period:
        length = season_words(period, step)[0]
        found = f"Found in the data: {period} rows" + \
            ("." if length.startswith("a season") else f", {length}.")
    else:
        found = ("No season found in the data: the target does not repeat itself at a "
                 "regular distance, so the seasonal naive baseline of step 6 is left out "
                 "unless you set a season length here.")
    return found + (" The length set here is used." if set_here else "")


def _series_settings(config, architecture):
    """``(settings, network)``: what a table of one series had before it became many, or
    of many before it became one (:meth:`DataPage._one_series_again` and
    :meth:`DataPage._many_series_again` put them back)."""
    settings = {name: copy.deepcopy(getattr(config, name))
                for name in ("lookback", "horizon", "period", "target_transform", "split")}
    network = {name: copy.deepcopy(getattr(architecture, name))
               for name in ("cell", "hidden_sizes", "linear_path", "units_by_hand")}
    return settings, network


def _lags_text(lags):
    """The inputs' lags (:func:`engine.data.statistics.input_lags`) in a short sentence
    (the correlations are in :func:`_lags_tooltip`), or ""."""
    if not lags:
        return ""
    found = [f"'{name}' {lag[0]}" for name, lag in lags.items() if lag]
    none = [f"'{name}'" for name, lag in lags.items() if not lag]
    text = "<br>Lag at which each input's changes correlate most with the target's: "
    text += ", ".join(found) if found else "none significant"
    if found and none:
        text += f"; none significant for {', '.join(none)}"
    return text + "."


def _lags_tooltip(lags):
    """The inputs' lags with their correlations ``r``, one input a line, or ""."""
    if not lags:
        return ""
    return "\n\nEach input's lag of highest correlation with the target's changes:\n" + \
        "\n".join(f"{name}: lag {lag[0]} (r = {lag[1]:.2f})" if lag
                  else f"{name}: none significant" for name, lag in lags.items())
