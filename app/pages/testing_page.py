"""Step 6: test results. The trained model on the testing part: errors beside naive
baselines, one step ahead against recursive forecasts, goodness of fit, the errors, and the
prediction intervals with their coverage; a report can be saved as one HTML file. The
Backtest tab (:mod:`app.pages.backtest_panel`) shows the errors by rolling origin before the
testing part.

The analysis is :func:`engine.testing.analysis.analyze_project`, run by a TaskRunner; this
page only shows its figures."""

from functools import partial

import numpy as np

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox,
                               QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
                               QWidget)

from app.pages.backtest_panel import BacktestPanel, compact_rows, fit_height
from app.pages.errors_table import LabelFirstTable
from app.pages.let_go import LetGoNote
from app.pages.many_scores import project_subject
from app.pages.many_testing import ManyTestingView
from app.pages.page_views import ViewStack
from app.pages.report_file import save_report_file
from app.widgets.controls import say_in_words, spin_box
from app.widgets.narrow import FlowLayout, SideBySide, holder, letters_wide
from app.widgets.plots import COLORS, Interval, curve, make_plot, row_step
from app.widgets.time_plot import TimePlot
from app.workers import TaskRunner, failure_text
from engine.testing.baselines import NO_SEASON
from engine.testing.report import COLORS as REPORT_COLORS
from engine.testing.report import (BASELINE_MEANINGS, BASELINE_NAMES, MEANINGS, MEASURES,
                                   baselines_beside, error_cells, error_digits, error_rows,
                                   format_number, horizon_counts_text, interval_rows,
                                   model_legend, testing_part_text, unbounded_note)
from engine.testing.analysis import analyze_project
from engine.testing.verdict import WINDOW, verdict_on_testing

BETTER, WORSE = "#18794e", "#b42318"
# the texts that name the model, as the pages name it (the network until it is tested)
VERDICT_TIP = ("{} against the classical comparators on the rows of the table below; "
               "shown when one of them did better.")
ERRORS_TIP = ("Errors on the testing part in the target's units: one step ahead, then "
              "recursive forecasts of the horizon chosen above (from the origins named, "
              "every step counted). The last columns: the RMSE of the baselines on the same "
              "rows (persistence, seasonal naive, and the classical comparators ETS, Theta "
              "and a linear autoregression on the same inputs and lookback as the model, "
              "fitted on the rows before the testing part; in the recursive row of a long testing part the "
              "comparators' from some of its forecasts only, as the title says); green: {} "
              "beats that baseline, red and bold: it does not. MASE: mean absolute error "
              "relative to the typical one-step change before testing (below 1 beats the "
              "last value).")
AUTOCORRELATION_TIP = ("How much each one-step error resembles the one that many rows "
                       "before it. Bars outside the dashed 95% band: the errors still "
                       "follow a pattern in time {} has not learned.")


def _table(columns, tooltip, kind=QTableWidget):
    """A read-only table (a ``kind`` of QTableWidget) of ``columns`` without row numbers,
    compact rows; its columns' widths are the caller's."""
    table = kind(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setToolTip(tooltip)
    compact_rows(table)
    return table


def _fill(table, rows, left=(0,), subject="the network"):
    """Rows of ``(text, color or None)`` cells (or plain text); the columns ``left``
    aligned left (text; past the first column with its whole text as the cell's tooltip,
    for when it is elided), the others right (numbers); a coloured cell says what beats
    what in words, the model named ``subject``."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            text, color = cell if isinstance(cell, tuple) else (cell, None)
            item = QTableWidgetItem(text)
            if c in left and c:
                item.setToolTip(text)
            item.setTextAlignment((Qt.AlignmentFlag.AlignLeft if c in left else
                                   Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter)
            if color:
                from PySide6.QtGui import QBrush, QColor
                item.setForeground(QBrush(QColor(color)))
                _say_without_colour(item, color, subject)
            table.setItem(r, c, item)


def _say_without_colour(item, color, subject="the network"):
    """A baseline's figure says besides its colour whether ``subject`` beats it, for a
    reader who does not see colours: in words (its tooltip and accessible description),
    and in bold type when the baseline does better."""
    if color == WORSE:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    say_in_words(item, f"This baseline does better than {subject}." if color == WORSE else
                 f"{subject.capitalize()} does better than this baseline.")


def _numbers_whole(table, stretch):
    """Size every column of ``table`` to its contents except ``stretch``, which takes the
    rest and elides its text at the left (a long time keeps its day and hour), so that
    numbers always show whole."""
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideLeft)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


FOLDED = {"persistence": "persis-\ntence"}
"""Headers folded otherwise than a word a line: as narrow as their figures."""


def _header(name):
    """A column's header: its name a word a line ("seasonal / naive", "MAPE / %"), as
    narrow as its figures allow; the title above the table says that the baselines'
    columns hold their RMSE."""
    return FOLDED.get(name, name.replace(" ", "\n"))


def _header_tips(table):
    """Each column's header says in its tooltip what the column holds (the headers are
    short so that every column fits a small window's width)."""
    tips = [MEANINGS[key] for key, _ in MEASURES] + [_baseline_tip(key) for key in
                                                     BASELINE_NAMES]
    for column, tip in enumerate(tips, start=1):
        table.horizontalHeaderItem(column).setToolTip(tip)


def _baseline_tip(key):
    """The tooltip of baseline ``key``'s column header."""
    return f"{BASELINE_MEANINGS[key]} Its RMSE on the same rows, in the target's units."


BAND_LABEL = "95% band"


def _band_lines(plot):
    """The two dashed lines of a 95% band (at +band and -band once set), added to
    ``plot``; the upper one says what they are (:data:`BAND_LABEL`), as the tooltip does."""
    import pyqtgraph as pg
    pen = pg.mkPen(COLORS["accent"], style=Qt.PenStyle.DashLine)
    lines = [pg.InfiniteLine(angle=0, pen=pen, label=BAND_LABEL,
                             labelOpts={"position": 0.97, "color": COLORS["accent"],
                                        "anchors": [(1, 1), (1, 1)]}),
             pg.InfiniteLine(angle=0, pen=pen)]
    for line in lines:
        plot.addItem(line)
    return lines


class TestingPage(QWidget):
    """The testing step's page; ``refresh()`` when it is shown or the project changes. A
    project of many series shows :class:`ManyTestingView` instead of the page's own
    content."""

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.analysis = None
        self._key = None
        self._pending_key = None
        self._horizon_run = False           # the running analysis is a new horizon's
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.backtest = BacktestPanel(session, self)
        self.many = ManyTestingView(session)

        left_panel = QWidget()
        left_panel.setLayout(self._build_tables())
        left_panel.setMaximumWidth(letters_wide(left_panel, 87))
        plots = self._build_plots()
        body = SideBySide(left_panel, plots, stretches=(4, 7), whole=(plots,),
                          last_on_top=True)     # narrow: the plots in sight, tables below
        body.box.setContentsMargins(0, 0, 0, 0)
        self.single = QWidget()
        layout = QVBoxLayout(self.single)
        side = layout.contentsMargins().left()
        layout.setContentsMargins(side, 0, side, 0)     # below the explanation's own gap
        layout.addWidget(self._build_top())
        self.let_go_note = LetGoNote(
            self.runner, "recursive forecasting", "its forecasts are lost. Set the steps of "
            "the recursive forecasts again to have them.")
        layout.addWidget(self.let_go_note)
        self.let_go_notes = [self.let_go_note, self.backtest.let_go_note]
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setVisible(False)
        layout.addWidget(self.verdict)
        self.errors_title = QLabel()
        self.errors_title.setWordWrap(True)
        self._title_errors(None)
        layout.addWidget(self.errors_title)
        layout.addWidget(self.errors)
        layout.addWidget(body, 1)
        self.views = ViewStack(self.single, self.many)
        self._name_model()
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.views)

    def _build_top(self):
        """The status, the target shown and Save report (below the status in a narrow
        window)."""
        self.status = QLabel("Train the network first (step 4); then it is tested here.")
        self.status.setWordWrap(True)
        self.target = QComboBox()
        self.target.setToolTip("The target whose figures are shown.")
        self.target.currentIndexChanged.connect(self._show)
        self.save_button = QPushButton("&Save report...")
        self.save_button.setToolTip("Write every table and plot of this page into one HTML "
                                    "file that opens in any web browser and can be sent "
                                    "by e-mail (the plots are inside the file).")
        self.save_button.clicked.connect(self.save_report)
        self.save_button.setEnabled(False)
        controls = FlowLayout()
        self.target_label = controls.addPair("Tar&get:", self.target)
        controls.addPair("Re&cursive forecasts of", self._build_horizon())
        controls.addWidget(self.save_button)
        line = holder(controls)
        top = SideBySide(self.status, line, stretches=(1, 0), whole=(line,))
        top.box.setContentsMargins(0, 0, 0, 0)
        return top

    def _build_horizon(self):
        """The horizon of the errors table's recursive row."""
        self.horizon = spin_box(
            1, 1, "How many steps each recursive forecast runs, feeding its own predictions "
            "back. Every testing row (evenly spaced rows when there are many) starts one; "
            "the table's recursive row counts every step of the forecasts that end in the "
            "testing part; By horizon shows each step of them all, cut at the testing "
            "part's end (fewer forecasts far ahead). At most the testing rows.",
            suffix=" steps")
        self.horizon.setKeyboardTracking(False)
        self.horizon.setEnabled(False)
        self.horizon.valueChanged.connect(self._horizon_changed)
        return self.horizon

    def _build_tables(self):
        """The errors table (placed above, across the page) and the left column: the
        intervals, the largest errors and the goodness of fit."""
        self.errors = _table(["forecast"] + [_header(t) for _, t in MEASURES] +
                             [_header(text) for text in BASELINE_NAMES.values()],
                             "", kind=LabelFirstTable)
        self.errors.setAccessibleName("Errors on the testing part")
        _header_tips(self.errors)
        self.errors.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.intervals = _table(["level", "one step\n±", "one step\ncoverage",
                                 "± last\nhorizon", "recursive\ncoverage"],
                                "Prediction intervals calibrated on the selection part "
                                "(split conformal) and the share of testing rows that fell "
                                "inside them. Close to the level is good; far below means "
                                "the intervals are too narrow. ∞: no bound at that level; "
                                "the line under the table says why.")
        self.intervals.setAccessibleName("Prediction intervals")
        self.intervals.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)      # whole numbers; as wide as they are
        self.intervals.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.largest = _table(["row", "time", "target", "output", "error"],
                              "The largest one-step errors on the testing part, with their "
                              "dates: look for unusual days in the data.")
        self.largest.setAccessibleName("Largest one-step errors")
        _numbers_whole(self.largest, stretch=1)
        self.fit_label = QLabel()
        self.fit_label.setWordWrap(True)
        self.unbounded = QLabel()       # why a width is ∞, under the table that shows it
        self.unbounded.setWordWrap(True)
        self.unbounded.setAccessibleName("Intervals without a bound")
        self.unbounded.hide()
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)     # in line with the errors table above
        for title, widget in (("Prediction intervals", self.intervals),
                              ("Largest one-step errors", self.largest)):
            left.addWidget(QLabel(f"<b>{title}</b>"))
            left.addWidget(widget)
            if widget is self.intervals:
                left.addWidget(self.unbounded)
        left.addWidget(self.fit_label)
        left.addStretch(1)          # the tables as tall as their rows, the room below them
        return left

    def _build_plots(self):
        """One tab per plot."""
        self.tabs = QTabWidget()
        for plot, title, tip in (
                (self._build_prediction_plot(), "Predictions", "The testing part"),
                (self._build_horizon_plot(), "By horizon", "Error by horizon"),
                (self._build_fit_plot(), "Fit", "Goodness of fit"),
                (self._build_histogram_plot(), "Histogram", "Histogram of the errors"),
                (self._build_autocorrelation_plot(), "Autocorrelation",
                 "Autocorrelation of the errors"),
                (self._build_cross_plot(), "Inputs", "Inputs and errors"),
                (self.backtest, "Backtest", "Backtest by rolling origin")):
            self.tabs.setTabToolTip(self.tabs.addTab(plot, title), tip)
        bar = self.tabs.tabBar()     # every tab in sight: elided text, never scroll arrows
        bar.setUsesScrollButtons(False)
        bar.setElideMode(Qt.TextElideMode.ElideRight)
        return self.tabs

    def runners(self):
        """The page's TaskRunners: the testing analysis, the backtest and the testing of
        many series."""
        return [self.runner, self.backtest.runner, self.many.runner]

    def _build_prediction_plot(self):
        import pyqtgraph as pg
        self.prediction_view = TimePlot("Testing part", x_label="row", legend=True,
                                        name="Testing part: targets and predictions")
        self.prediction_plot = self.prediction_view.plot
        self.prediction_plot.setToolTip(
            "The true values, the one-step-ahead predictions (from the true history) and "
            "the recursive forecast (from its own predictions) with its 90% interval.")
        self.interval = Interval(self.prediction_plot, COLORS["training"], alpha=45)
        self.truth_curve = curve(self.prediction_plot, COLORS["target"], "target", width=2)
        self.one_step_curve = curve(self.prediction_plot, COLORS["prediction"],
                                    "one step ahead")
        self.recursive_curve = self.prediction_plot.plot(
            [], [], pen=pg.mkPen(COLORS["training"], width=1.6, style=Qt.PenStyle.DashLine),
            name="recursive forecast from the testing start")
        self.prediction_view.follow(self.truth_curve)
        return self.prediction_view

    def _build_horizon_plot(self):
        import pyqtgraph as pg
        self.horizon_plot = make_plot("Error by horizon (recursive forecasts)",
                                      x_label="steps ahead", y_label="RMSE", legend=True,
                                      legend_columns=4, x_integers=True)
        self.horizon_plot.setToolTip("How the error grows when the forecast feeds its own "
                                     "predictions back, beside the baselines' errors: "
                                     "forecasts from every testing row, cut at the end of "
                                     "the testing part (the counts below the plot).")
        self.horizon_curve = curve(self.horizon_plot, COLORS["training"], "network", width=2,
                                   symbol="o")
        self.persistence_curve = self.horizon_plot.plot(
            [], [], pen=pg.mkPen("#7f7f7f", width=1.5, style=Qt.PenStyle.DashLine),
            name="persistence")
        self.seasonal_curve = self.horizon_plot.plot(
            [], [], pen=pg.mkPen(COLORS["testing"], width=1.5, style=Qt.PenStyle.DashLine),
            name="seasonal naive")
        self.baseline_curves = [self.persistence_curve, self.seasonal_curve] + [
            self.horizon_plot.plot([], [], pen=pg.mkPen(REPORT_COLORS[key], width=1.3,
                                                        style=Qt.PenStyle.DotLine), name=text)
            for key, text in list(BASELINE_NAMES.items())[2:]]
        self.horizon_counts = QLabel()
        self.horizon_counts.setWordWrap(True)
        self.horizon_counts.setAccessibleName("Forecasts at each step ahead")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.horizon_plot, 1)
        layout.addWidget(self.horizon_counts)
        return tab

    def _build_fit_plot(self):
        import pyqtgraph as pg
        self.fit_plot = make_plot("Outputs against targets", x_label="target",
                                  y_label="output", legend=True)
        self.fit_plot.setToolTip("Each testing row as a point. On the dashed ideal line the "
                                 "output equals the target; the fitted line shows a "
                                 "systematic bias (slope below 1: extremes are damped).")
        self.ideal_curve = self.fit_plot.plot(
            [], [], pen=pg.mkPen("#999999", width=1, style=Qt.PenStyle.DashLine),
            name="ideal")
        self.fit_curve = curve(self.fit_plot, COLORS["accent"], "fitted line", width=2)
        # points of the plot's data item, not a ScatterPlotItem: the item draws an even
        # share of a large testing part (the points come in the targets' order) and more
        # of them when zoomed in; 200,000 points set on a ScatterPlotItem took 0.9 s
        self.points = self.fit_plot.plot([], [], pen=None, symbol="o", symbolSize=6,
                                         symbolBrush=pg.mkBrush(COLORS["prediction"]),
                                         symbolPen=None)
        self.points.setDownsampling(auto=True, method="subsample")
        return self.fit_plot

    def _build_histogram_plot(self):
        import pyqtgraph as pg
        self.histogram_plot = make_plot("One-step errors (output minus target)",
                                        name="Histogram of the one-step errors",
                                        x_label="error", y_label="rows")
        self.histogram_plot.setToolTip("How the errors are spread: centred on 0 and "
                                       "symmetric is good; shifted means a bias.")
        self.histogram_plot.getAxis("left").integers = True     # counts of rows
        self.histogram = pg.BarGraphItem(x0=[], x1=[], height=[],
                                         brush=pg.mkBrush(214, 39, 40, 190), pen=None)
        self.histogram_plot.addItem(self.histogram)
        return self.histogram_plot

    def _build_autocorrelation_plot(self):
        import pyqtgraph as pg
        self.auto_plot = make_plot("Autocorrelation of the one-step errors",
                                   x_label="rows apart (lag)",
                                   y_label="correlation", x_integers=True)
        self.auto_bars = pg.BarGraphItem(x=[], height=[], width=0.3,
                                         brush=pg.mkBrush(COLORS["training"]), pen=None)
        self.auto_plot.addItem(self.auto_bars)
        self.auto_bands = _band_lines(self.auto_plot)
        return self.auto_plot

    def _build_cross_plot(self):
        self.cross_plot = make_plot("Inputs some rows before the one-step errors",
                                    name="Correlation of the inputs with the one-step errors",
                                    x_label="rows before (lag)", y_label="correlation",
                                    legend=True, legend_columns=4, x_integers=True)
        self.cross_plot.setToolTip("How each input goes with the one-step error that many "
                                   "rows later. Lines outside the dashed 95% band: that "
                                   "input, that many rows before, still tells something "
                                   "about the errors.")
        self.cross_curves = []
        self.cross_bands = _band_lines(self.cross_plot)
        return self.cross_plot

    # -- running ---------------------------------------------------------------------------
    def _name_model(self, subject="the network"):
        """The texts that name the model, ``subject`` as the pages name it
        (:func:`~app.pages.many_scores.project_subject`: the linear autoregression for one
        whose training kept its linear start); the network until it is tested."""
        self.subject = subject
        self.verdict.setToolTip(VERDICT_TIP.format(subject.capitalize()))
        self.errors.setToolTip(ERRORS_TIP.format(subject))
        self.auto_plot.setToolTip(AUTOCORRELATION_TIP.format(subject))
        self.horizon_plot.getPlotItem().legend.getLabel(self.horizon_curve).setText(
            model_legend(subject))

    def _model_key(self):
        return self.session.model_identity()

    def refresh(self):
        """Test the latest trained model unless it was tested already; until its figures
        arrive the page shows none (never those of another model or project)."""
        many = self.session.is_many_series()
        self.views.setCurrentWidget(self.many if many else self.single)
        if many:
            self.many.refresh()
            return
        key = self._model_key()
        if key != self._key and not self.backtest.runner.running:
            self.backtest.clear()
        if key is None:
            self._key = None
            self._clear()
            self.status.setText("Train the network first (step 4); then it is tested here.")
            return
        if key == self._key or self.runner.running:
            return
        self._pending_key = key
        self._clear()
        self.status.setText("Testing the model on the testing part...")
        self._horizon_run = False
        self.runner.start(analyze_project, self.session.project, self.session.table,
                          model=self.session.trained_model(), by_user=False)

    @Slot(object)
    def _on_finished(self, analysis):
        self.analysis = analysis
        self._key = self._pending_key
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItems(analysis.target_names)
        self.target.blockSignals(False)
        self.target.setVisible(len(analysis.target_names) > 1)
        self.target_label.setVisible(len(analysis.target_names) > 1)
        self._show_horizon(analysis)
        notes = " ".join(analysis.notes)
        self._name_model(project_subject(self.session.project))
        self.status.setText(f"Tested on {testing_part_text(analysis)}, which {self.subject} "
                            f"never learned from. {notes}")
        self.save_button.setEnabled(True)
        self._show()
        if self._model_key() != self._key:          # trained again meanwhile
            self.refresh()

    def _show_horizon(self, analysis):
        """The horizon box: the analysis's horizon, from 1 to its testing rows."""
        self.horizon.blockSignals(True)
        self.horizon.setRange(1, analysis.testing_count)
        self.horizon.setValue(analysis.horizon)
        self.horizon.blockSignals(False)
        self.horizon.setEnabled(True)

    @Slot(int)
    def _horizon_changed(self, value):
        """Forecast the testing rows again over the new horizon (the comparators fitted
        already are kept); the figures on screen stay until the new ones arrive."""
        a = self.analysis
        if a is None or value == a.horizon or self._model_key() != self._key:
            return
        self._pending_key = self._key
        self._horizon_run = True
        self.status.setText(f"Forecasting {value} steps ahead from the testing rows...")
        self.runner.start(analyze_project, self.session.project, self.session.table,
                          model=self.session.trained_model(), horizon=value,
                          comparators=a.comparators, restart=True)

    @Slot(object)
    def _on_failed(self, error):
        message = failure_text(error)
        self._key = self._pending_key
        if self._horizon_run and self.analysis is not None:
            asked = self.horizon.value()
            self._show_horizon(self.analysis)       # the figures shown stay, and the box
            self.status.setText(f"<span style='color:#b00020'>Forecasts of {asked} steps "
                                f"could not be made: {message}</span> The figures shown are "
                                f"of {self.analysis.horizon} steps.")
            return
        self._clear()
        self.status.setText(f"<span style='color:#b00020'>The model could not be tested: "
                            f"{message}</span>")

    @Slot()
    def _on_cancelled(self):
        """The testing was stopped (another project is opened): nothing is tested; the
        next :meth:`refresh` tests the model again."""
        self._key = self._pending_key = None
        self._clear()
        self.status.setText("")

    # -- showing ---------------------------------------------------------------------------
    def _clear(self):
        """Empty every table and plot (the analysis they showed is gone)."""
        self.analysis = None
        self._name_model()
        self.save_button.setEnabled(False)
        self.horizon.setEnabled(False)
        self.target.blockSignals(True)
        self.target.clear()
        self.target.blockSignals(False)
        for table in (self.errors, self.intervals, self.largest):
            table.setRowCount(0)
        self._title_errors(None)
        self.fit_label.setText("")
        self.horizon_counts.setText("")
        self.verdict.setText("")
        self.verdict.setVisible(False)
        self.unbounded.setText("")
        self.unbounded.setVisible(False)
        self.interval.clear()
        for item in (self.truth_curve, self.one_step_curve,
                     self.recursive_curve, self.horizon_curve, *self.baseline_curves,
                     self.ideal_curve, self.fit_curve, self.points, *self.cross_curves):
            item.setData([], [])
        self.histogram.setOpts(x0=[], x1=[], height=[])
        self.auto_bars.setOpts(x=[], height=[], width=0.3)

    def _show(self, *args):
        a = self.analysis
        if a is None:
            return
        j = max(self.target.currentIndex(), 0)
        name = a.target_names[j]
        self.backtest.set_target(j)
        self._show_tables(a, j, name)
        x, dates = a.x_values()
        self.prediction_view.set_date_axis(dates)
        self.prediction_plot.setLabel("bottom", a.x_label())
        self.prediction_plot.setLabel("left", name)
        self.horizon_plot.setLabel("left", f"RMSE ({name})")
        self.fit_plot.setLabel("bottom", f"target ({name})")
        self.fit_plot.setLabel("left", f"output ({name})")
        self.histogram_plot.setLabel("bottom", f"error ({name})")
        self.truth_curve.setData(x, a.one_step_truth[:, j])
        self.one_step_curve.setData(x, a.one_step_predicted[:, j], connect="finite")
        self.recursive_curve.setData(x, a.recursive_predicted[:, j], connect="finite")
        low, high = a.forecast_band(j, 0.9) or (np.full(len(x), np.nan),) * 2
        known = np.isfinite(low) & np.isfinite(high)    # the rows a recursive forecast reached
        self.interval.show(x[known], a.recursive_predicted[known, j], low[known], high[known],
                           row_step(x))
        # short enough for the plot beside the tables at 1280 x 820 (the legend names the
        # forecast "from the testing start")
        shaded = self.interval.words("90% interval of the recursive forecast")
        self.prediction_plot.setTitle(f"{name}: testing part{shaded}", size="10pt")
        h = list(range(1, len(a.horizon_rmse) + 1))
        self.horizon_curve.setData(h, a.horizon_rmse[:, j], connect="finite")
        self.horizon_counts.setText(horizon_counts_text(a))
        legend = self.horizon_plot.getPlotItem().legend
        for (key, text), item in zip(BASELINE_NAMES.items(), self.baseline_curves):
            values = a.horizon_baselines.get(key)
            item.setData(h if values is not None else [],
                         values[:, j] if values is not None else [], connect="finite")
            legend.removeItem(item)
            if values is not None:
                legend.addItem(item, text)
        line = a.fit_line_points(j)
        if line is not None:
            self.ideal_curve.setData(line[0], line[0])
            self.fit_curve.setData(line[0], line[1])
        self.points.setData(*a.fit_points(j))
        counts, edges = a.histogram[j]
        self.histogram.setOpts(x0=edges[:-1], x1=edges[1:], height=counts)
        auto = a.autocorrelation
        self.auto_bars.setOpts(x=auto.lags, height=auto.values[j], width=0.3)
        for line, sign in zip(self.auto_bands + self.cross_bands, (1, -1, 1, -1)):
            line.setValue(sign * (auto.band if line in self.auto_bands
                                  else a.cross_correlation.band))
        self.auto_plot.setYRange(-1, 1)
        self._show_cross(a, j)

    def _show_cross(self, a, j):
        palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#8c564b", "#e377c2", "#17becf"]
        while len(self.cross_curves) < len(a.cross_names):
            color = palette[len(self.cross_curves) % len(palette)]
            self.cross_curves.append(curve(self.cross_plot, color, "input", symbol="o"))
        legend = self.cross_plot.getPlotItem().legend
        for i, item in enumerate(self.cross_curves):
            if i < len(a.cross_names):
                item.setData(a.cross_correlation.lags, a.cross_correlation.values[j, i],
                             connect="finite")
                if legend is not None:
                    legend.removeItem(item)
                    legend.addItem(item, a.cross_names[i])
                item.setVisible(True)
            else:
                item.setVisible(False)
        self.cross_plot.setYRange(-1, 1)

    def _say_why_no_seasonal_naive(self, period):
        """Without a season the seasonal naive column says so once, in its header (its
        cells show "–", each with the reason as its tooltip)."""
        column = 1 + len(MEASURES) + list(BASELINE_NAMES).index("seasonal_naive")
        header = _header(BASELINE_NAMES["seasonal_naive"]) if period else \
            "seasonal naive:\nno season"
        self.errors.setHorizontalHeaderItem(column, QTableWidgetItem(header))
        self.errors.horizontalHeaderItem(column).setToolTip(
            _baseline_tip("seasonal_naive") if period else NO_SEASON.capitalize())
        if not period:
            for row in range(self.errors.rowCount()):
                self.errors.item(row, column).setToolTip(NO_SEASON.capitalize())

    def _title_errors(self, analysis):
        """The errors table's title: what its baseline columns hold for ``analysis``
        (None: before one)."""
        self.errors_title.setText(f"<b>Errors on the testing part</b> (in the target's "
                                  f"units; {baselines_beside(analysis)})")

    def _show_tables(self, a, j, name):
        self._title_errors(a)
        rows, table = [], error_rows(a, j)
        digits = error_digits(table)
        for label, figures, versus in error_cells(table, digits):
            rows.append([label, *figures] + [
                (text, None if better is None else (BETTER if better else WORSE))
                for text, better in versus.values()])
        _fill(self.errors, rows, subject=self.subject)
        self._say_why_no_seasonal_naive(a.period)
        self.errors.fit_columns()
        verdict = verdict_on_testing(a, j, WINDOW, digits=digits["rmse"],
                                     subject=self.subject)
        self.verdict.setText(verdict or "")
        self.verdict.setVisible(verdict is not None)
        self.intervals.setHorizontalHeaderItem(3, QTableWidgetItem(
            f"± at {len(a.horizon_rmse)}\nahead"))
        _fill(self.intervals, interval_rows(a, j) or
              [["no intervals: train the model again", "", "", "", ""]])
        fit_height(self.intervals)
        self.intervals.resizeColumnsToContents()        # as wide as its figures, no wider
        self.intervals.setFixedWidth(self.intervals.horizontalHeader().length()
                                     + 2 * self.intervals.frameWidth())
        note = unbounded_note(a, j)
        self.unbounded.setText(note or "")
        self.unbounded.setVisible(note is not None)
        _fill(self.largest, [[str(e["row"]), e["time"] or "", format_number(e["truth"]),
                              format_number(e["predicted"]), format_number(e["error"])]
                             for e in a.largest[j]], left=(1,))
        self.largest.setColumnHidden(1, not any(e["time"] for e in a.largest[j]))
        fit_height(self.largest)        # every row in sight: the page scrolls, not the table
        fit = {key: a.fit[key][j] for key in a.fit}
        self.fit_label.setText(
            f"Goodness of fit (one step ahead): output ≈ {format_number(fit['intercept'], 3)}"
            f" + {format_number(fit['slope'], 3)} × target, correlation "
            f"{format_number(fit['correlation'], 3)}. "
            "A perfect model has slope 1, intercept 0 and correlation 1.")

    # -- the report ------------------------------------------------------------------------
    def save_report(self):
        """Write the HTML report to a file the user chooses."""
        if self.analysis is None:
            return
        from engine.testing.report import write_report

        save_report_file(self, self.session, self.status,
                         partial(write_report, self.analysis, asker=WINDOW))
