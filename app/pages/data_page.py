"""Step 2: the data set. Load a CSV file, choose each column's role and scaler, handle
missing values, set the lookback and steps ahead (with the autocorrelation, the suggested
lookback, the inputs' lags and the suggested steps ahead), and split the windows into
training, selection and testing.

A column of role "series" makes the table one of many series: the page then shows the
series (:mod:`app.pages.many_data`) instead of the autocorrelation and the split's
timeline, and the testing rows at the end of every series instead of the shares.

The page is put together from the parts in :mod:`app.pages.data`: the reading of the file,
the variables' table, the settings' form with the split, the suggested lookback and steps
ahead, step 4's automatic choices, the plot of one variable, and the settings and the time
of many series."""

import copy

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from engine.data.statistics import page_statistics, suggestion_settings
from engine.many.project_fit import is_many_series

from ..widgets.narrow import TurningSplitter
from ..widgets.split_timeline import SplitTimeline
from ..workers import TaskRunner, failure_text
from .data.automatic_choices import AutomaticChoices
from .data.many_series import ManySeriesSettings
from .data.reading import FileReading
from .data.problems import ProblemMarks
from .data.series_time import SeriesTime
from .data.settings_form import SettingsForm
from .data.split_box import SplitBox
from .data.suggestion import LookbackSuggestion
from .data.texts import (ADOPTED, AUTOMATIC, NO_SEASON, TOOLTIPS, TRANSFORM_TOOLTIP,
                         PROBLEM_COLOR)  # noqa: F401 (the tests' name of the tint)
from .data.variable_plot import VariablePlot
from .data.variables_table import VariablesTable
from .automatic_switches import AutomaticSwitches
from .many_data import NOT_APPLYING, ManySeriesPanel, SeriesView


class DataPage(FileReading, VariablesTable, SettingsForm, SplitBox, LookbackSuggestion,
               AutomaticChoices, VariablePlot, ManySeriesSettings, SeriesTime, ProblemMarks,
               QWidget):
    """Step 2's page: each part (a class of :mod:`app.pages.data`) holds the slots and
    widgets of one concern; they share this page's state (``session``, the statistics,
    the suggestions taken) as attributes set here."""

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
        self._forget_series_time()      # the time of many series the page gave them
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
        file_row = self._build_file_row()
        self._build_table()
        self.variables.itemSelectionChanged.connect(self._plot_selected)
        self._build_variable_plot()
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

    def refresh(self):
        session = self.session
        config = session.config() if session.project else None
        table = session.table
        if session.project is not self._configured:     # opened: its settings are kept
            self._configured, self._by_hand, self._adopt = session.project, set(ADOPTED), set()
            self._many_notes, self._suggest_pending = [], False
            self._network = (None, None) if is_many_series(config) else None
            self._one_series = self._many_series = None
            self._forget_series_time()
        self._loading = True
        try:
            if session.project is None or config is None or table is None:
                self._show_file(None)
                self.variables.setRowCount(0)
                self.problems.setText("")
                self._clear_analysis()
                return
            self._show_file(table)
            self._fill_variables(table, config)
        finally:
            self._loading = False
        self._show_values(config)
        self._update_analysis(config)

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
        self._allow_scalers(config)
        self._size_columns()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._size_columns()

    def _targets(self, config):
        return [v.name for v in config.targets]

    def _clear_analysis(self):
        """No data: no plot, autocorrelation, suggestion or windows (of an earlier project)."""
        self._wanted = None
        self._no_suggestion("")
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
            self._no_suggestion("Choose a target to see its autocorrelation.")
        self._show_made_up(table, config)
        problems, summary = self.session.data_check()
        self.timeline.set_summary(None if problems else summary, len(table.frame))
        self._show_shares(config, summary)
        self._show_problems(problems)
        self._plot_selected()

    @Slot(object)
    def _show_statistics(self, statistics):
        """The summary columns, and the target's autocorrelation and suggested lookback,
        once computed (unless the data or settings they are of changed meanwhile)."""
        wanted = self._wanted
        if wanted is None or wanted[0] is not statistics.table or wanted[1:] != \
                (statistics.target, statistics.lookback, statistics.settings):
            return
        self.statistics = statistics
        self._show_summary(statistics)
        if statistics.target is not None:
            self._show_suggestion(statistics)

    @Slot(object)
    def _statistics_failed(self, error):
        self.suggestion.setText(f"<span style='color:#b00020'>{failure_text(error)}</span>")

    def hideEvent(self, event):
        """Leaving the page (another step, or the window closes) ends its statistics:
        they are computed again when it is shown (:meth:`refresh`)."""
        if not event.spontaneous():
            self.runner.stop_and_wait()
        super().hideEvent(event)

    def _variables_edited(self):
        """A role or scaler box changed: the roles and scalers are read, one column of
        role Series at most is kept, the settings of the side left (one series or many)
        are kept, a new target brings its suggestions, and the table becomes one of many
        series or one series again with the settings and time that go with it."""
        if self._loading:
            return
        config = self.session.config()
        before, series_before = self._targets(config), config.series_column
        self._read_variable_boxes(config)
        self._one_series_column(config, self.sender())
        self._keep_series_settings(config, series_before, before)
        if self._targets(config)[:1] != before[:1]:
            self._new_target(config)
        if config.series_column is not None:
            config = self._as_many_series(config, series_before)
        else:
            config = self._as_one_series(config, series_before)
        self._store(config)

    def _read_variable_boxes(self, config):
        """``config``'s roles and scalers as the table's boxes hold them; inputs chosen
        here are not chosen again by step 4's automatic choices."""
        inputs_before = [v.name for v in config.inputs]
        for row, spec in enumerate(config.variables):
            spec.role = self.variables.cellWidget(row, 2).currentData()
            spec.scaler = self.variables.cellWidget(row, 3).currentData()
        if [v.name for v in config.inputs] != inputs_before:
            self.session.project.selection.settings.pop("choose_inputs", None)

    def _new_target(self, config):
        """A new first target: its suggested lookback and season become the values where
        the person did not set them, and step 4 chooses its inputs anew."""
        self._adopt = set(ADOPTED) - self._by_hand
        self._choose_inputs_again(config)

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
        split = self._split_typed(config)
        if split is None:
            self._show_switches(config)         # a lookback typed meanwhile turned one off
            return
        config.split = split
        self._store(config)

    def _store(self, config):
        self.session.set_config(config)
        self._update_analysis(config)
