"""Step 6 for a project of many series: the global network on the testing rows at the end
of every series, beside Naive2, seasonal naive and Theta
(:func:`engine.many.evaluation.evaluate_global`, run by the view's TaskRunner).

It shows every method's mean sMAPE, MASE and OWA, whether the network beats the simpler
methods (and where the forecast of the one that did best is to be had instead), how the
network's sMAPE spreads over the series (a histogram), the worst series, any one series
through the picker (its last rows, its testing values, the network's forecast with its 90%
band and the seasonal naive forecast), and a sortable table of every series' figures; of one
target at a time, chosen above them when the network forecasts several. Save report...
writes them, every target's, into one HTML file (:mod:`engine.many.report`)."""

import json
from functools import partial

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSizePolicy, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from engine.many.evaluation import (coverage_sentence, network_subject, spread_sentence,
                                    tested_sentence)
from engine.many.project_testing import test_many_series
from engine.many.report import has_bounds
from engine.testing.report import format_number

from ..widgets.controls import buddy_label
from ..widgets.narrow import FlowLayout, SideBySide, holder, letters_wide
from ..widgets.plots import (COLORS, Interval, curve, make_plot, row_step, set_date_axis,
                             time_positions)
from ..widgets.series_picker import SeriesPicker
from ..widgets.sort_arrow import point_sort_arrows
from ..workers import TaskRunner, failure_text
from .many_data import sentences
from .many_scores import ROW_HEIGHT, fit_rows, scores_table, show_scores, verdict_text
from .report_file import save_report_file
from .target_choice import offer_targets, target_row

WORST = 10
WORST_SHOWN = 3         # rows of the worst series in sight in a low window (it scrolls)
FEW_POINTS = 12         # testing rows up to which the plot marks them large
ERROR = "<span style='color:#b00020'>{}</span>"
# the tooltips that name the model, as its scores name it (the network until it is tested)
WORST_TIP = "The series {} forecast worst (largest sMAPE): click one to plot it."
EVERY_TIP = ("{}'s errors on each series' testing rows: sMAPE and MASE as above, RMSE and "
             "MAE in the target's units. Click a heading to sort, a row to plot that series.")
PLOT_TIP = ("The series' last rows before its testing part, its testing values, {}'s "
            "forecast from the row before them with its 90% interval (shaded, or a bar for "
            "a single step), and the seasonal naive forecast.")
HISTOGRAM_TIP = ("How {}'s error spreads over the series: most series on the left is good; "
                 "a long tail to the right are the series it forecasts badly.")
PER_SERIES = (("series", "series"), ("smape", "sMAPE %"), ("mase", "MASE"), ("rmse", "RMSE"),
              ("mae", "MAE"))


class NumberItem(QTableWidgetItem):
    """A table cell that shows a figure and sorts by its value (unknown values last)."""

    def __init__(self, value):
        super().__init__(format_number(value))
        self.value = value if value is not None and np.isfinite(value) else np.inf
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other):
        if isinstance(other, NumberItem):
            return self.value < other.value
        return super().__lt__(other)


def series_table(columns):
    """A read-only table of one row per series, whose rows are chosen whole: the figures'
    columns as wide as their figures, the series' names in the rest of the width (a name
    too long for it elided at its end, whole in its tooltip); its own tooltip names the
    model (:meth:`ManyTestingView._name_model`)."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([text for _, text in columns])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    return table


def fill_series_table(table, rows, columns):
    """One row per dict of ``rows`` (its ``"series"`` as text, the other ``columns`` as
    figures)."""
    sorting = table.isSortingEnabled()
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, (key, _) in enumerate(columns):
            if key == "series":
                item = QTableWidgetItem(str(row[key]))
                item.setToolTip(item.text())        # whole where the column elides it
            else:
                item = NumberItem(row[key])
            table.setItem(r, c, item)
    table.setSortingEnabled(sorting)


def _heading(text):
    """A table's heading, wrapped in a narrow window."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _worst_heading(shown, scored=None):
    """The heading of the worst series' table, counting the ``shown`` rows of the
    ``scored`` series: "The 10 worst series", "All 5 series, the worst first", "The one
    series" (it said "The 10 worst series" over 5)."""
    if shown != scored:
        heading = f"The {shown:,} worst series" if shown != 1 else "The worst series"
    else:
        heading = "The one series" if shown == 1 else f"All {shown:,} series, the worst first"
    return f"<b>{heading}</b> (click one to plot it)"


class ManyTestingView(QWidget):
    """The test-results page's content for a project of many series; ``refresh()`` tests
    the latest model unless it was tested already."""

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.testing = None
        self._key = self._pending_key = None
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        left = QWidget()
        left.setLayout(self._build_left())
        left.setMaximumWidth(letters_wide(left, 70))
        body = SideBySide(left, self._build_tabs(), stretches=(4, 7))
        body.box.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_top())
        # the verdict on the scores, the whole width: the column beside the plot is full
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setToolTip("By OWA: sMAPE and MASE together, relative to Naive2, on "
                                "the testing rows of every series.")
        layout.addWidget(self.verdict)
        layout.addWidget(body, 1)
        self._name_model()

    def _build_top(self):
        """The status, the target shown and Save report (below the status in a narrow
        window), as on the page of one series."""
        self.status = QLabel("Train the network first (step 4); then it is tested here.")
        self.status.setWordWrap(True)
        self.target_row, self.target_box = target_row(
            "Tar&get:", "The target whose figures the page shows.", self._target_chosen)
        self.save_button = QPushButton("&Save report...")
        self.save_button.setToolTip("Write the figures of this page (every target's) into "
                                    "one HTML file that opens in any web browser and can be "
                                    "sent by e-mail, with plots of the worst, a typical and "
                                    "the best series (the plots are inside the file).")
        self.save_button.clicked.connect(self.save_report)
        self.save_button.setEnabled(False)
        controls = FlowLayout()
        controls.addWidget(self.target_row)
        controls.addWidget(self.save_button)
        line = holder(controls)
        top = SideBySide(self.status, line, stretches=(1, 0), whole=(line,))
        top.box.setContentsMargins(0, 0, 0, 0)
        return top

    def _build_left(self):
        """Every method's scores, the spread of the network's sMAPE, the worst series."""
        self.scores = scores_table()
        self.spread = QLabel()
        self.spread.setWordWrap(True)
        self.worst = series_table(PER_SERIES[:3])
        self.worst.setAccessibleName("The worst series")
        # the page asks no height for the rows below its few shown: a low window keeps the
        # plot beside it in sight, and the table scrolls (its height: show_testing)
        self.worst.setSizePolicy(self.worst.sizePolicy().horizontalPolicy(),
                                 QSizePolicy.Policy.Ignored)
        self.worst.cellClicked.connect(lambda row, _: self._choose_from(self.worst, row))
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(_heading("<b>Every method on the testing rows</b> (means over the "
                                "series)"))
        left.addWidget(self.scores)
        left.addWidget(self.spread)
        self.worst_heading = _heading(_worst_heading(WORST))
        left.addWidget(self.worst_heading)
        left.addWidget(self.worst, 1)       # down to a few rows in a low window
        left.addStretch(0)
        return left

    def _build_tabs(self):
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_series_tab(), "One series")
        self.tabs.addTab(self._build_histogram(), "sMAPE of the series")
        self.every = series_table(PER_SERIES)
        self.every.setAccessibleName("Errors of every series")
        self.every.setSortingEnabled(True)
        point_sort_arrows(self.every)
        self.every.cellClicked.connect(lambda row, _: self._choose_from(self.every, row))
        self.tabs.addTab(self.every, "Every series")
        return self.tabs

    def _build_series_tab(self):
        """The picker and the plot of the chosen series."""
        import pyqtgraph as pg
        self.picker = SeriesPicker()
        self.picker.series_chosen.connect(self.show_series)
        row = QHBoxLayout()
        row.addWidget(buddy_label("Se&ries:", self.picker))
        row.addWidget(self.picker, 1)
        self.plot = make_plot("The chosen series", x_label="row", legend=True,
                              name="The chosen series and its forecast",
                              legend_columns=3)
        self.interval = Interval(self.plot, COLORS["prediction"], alpha=40)
        self.history_curve = curve(self.plot, COLORS["target"], "history")
        # marked points: a testing part of one row is one point, which a line alone hides
        self.truth_curve = curve(self.plot, COLORS["testing"], "testing values", width=2,
                                 symbol="o")
        self.forecast_curve = curve(self.plot, COLORS["prediction"], "network", width=2,
                                    symbol="o")
        self.naive_curve = self.plot.plot(
            [], [], pen=pg.mkPen("#7f7f7f", width=1.5, style=Qt.PenStyle.DashLine),
            name="seasonal naive", symbol="t", symbolSize=6, symbolBrush="#7f7f7f",
            symbolPen=None)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        return tab

    def _build_histogram(self):
        import pyqtgraph as pg
        self.histogram_plot = make_plot("sMAPE of the forecast per series", x_label="sMAPE (%)",
                                        name="Histogram of the sMAPE per series",
                                        y_label="series")
        self.histogram_plot.getAxis("left").integers = True     # counts of series
        self.histogram = pg.BarGraphItem(x0=[], x1=[], height=[],
                                         brush=pg.mkBrush(31, 119, 180, 190),
                                         pen=pg.mkPen("w"))
        self.histogram_plot.addItem(self.histogram)
        return self.histogram_plot

    # -- running ---------------------------------------------------------------------------
    def _model_key(self):
        identity = self.session.model_identity()
        config = self.session.config()
        if identity is None or config is None:
            return None
        return identity, json.dumps(config.to_dict(), sort_keys=True, default=str)

    def refresh(self):
        """Test the latest trained model unless it was tested already; until its figures
        arrive the view shows none."""
        key = self._model_key()
        if key is not None and key == self._key:
            return
        if key is not None and self.runner.running:
            self.save_button.setEnabled(False)      # the figures shown are of another model
            return
        self._clear()
        self._key = None
        if key is None:
            self.status.setText("Train the network first (step 4); then it is tested here.")
            return
        if self.session.table is None:      # a project being opened: its table comes next
            self.status.setText("Load the data file (step 2); then the network is tested "
                                "here.")
            return
        self._pending_key = key
        self.status.setText("Testing the network on the testing rows of every series...")
        self.runner.start(test_many_series, self.session.trained_model(), self.session.table,
                          self.session.config(), by_user=False)

    @Slot(object)
    def _on_finished(self, testing):
        self._key = self._pending_key
        self.show_testing(testing)
        if self._model_key() != self._key:          # trained or changed again meanwhile
            self.refresh()

    @Slot(object)
    def _on_failed(self, error):
        self._key = self._pending_key
        self._clear()
        self.status.setText(ERROR.format(f"The model could not be tested: "
                                         f"{failure_text(error)}"))

    @Slot()
    def _on_cancelled(self):
        self._key = self._pending_key = None
        self._clear()
        self.status.setText("")

    # -- showing ---------------------------------------------------------------------------
    def _clear(self):
        self.testing = None
        self.target_row.hide()
        self.save_button.setEnabled(False)
        show_scores(self.scores, None)
        self.verdict.setText("")
        self.verdict.setVisible(False)
        self.spread.setText("")
        for table in (self.worst, self.every):
            table.setRowCount(0)
        self.picker.set_series([])
        self._clear_series()
        self.histogram.setOpts(x0=[], x1=[], height=[])
        self._name_model()

    def _clear_series(self):
        for item in (self.history_curve, self.truth_curve, self.forecast_curve,
                     self.naive_curve):
            item.setData([], [])
        self.interval.clear()
        self.plot.setTitle("The chosen series", size="10pt")

    def show_testing(self, testing):
        """Every figure of a :class:`~engine.many.project_testing.ManyTesting`, of its target
        ``testing.target``."""
        self.testing = testing
        offer_targets(self.target_row, self.target_box, list(testing.target_names),
                      testing.target)
        self.save_button.setEnabled(True)
        evaluation = testing.evaluation
        self.status.setText(sentences([tested_sentence(evaluation), *evaluation.notes]))
        show_scores(self.scores, evaluation.summary())
        self.verdict.setText(verdict_text(evaluation.summary(), evaluation.target, {
            e.target: e.summary() for e in testing.evaluations}))
        self.verdict.setVisible(bool(self.verdict.text()))
        self.spread.setText(spread_sentence(evaluation) + " "
                            + coverage_sentence(evaluation.coverage,
                                              network_subject(evaluation)))
        self._name_model(evaluation)
        worst = evaluation.worst(WORST)
        fill_series_table(self.worst, worst, PER_SERIES[:3])
        self.worst_heading.setText(_worst_heading(len(worst), evaluation.n_scored))
        fit_rows(self.worst)            # at most as tall as its rows, at least a few
        self.worst.setMinimumHeight(min(self.worst.maximumHeight(), self.worst.horizontalHeader()
                                        .sizeHint().height() + 2 * self.worst.frameWidth()
                                        + WORST_SHOWN * ROW_HEIGHT))
        fill_series_table(self.every, evaluation.per_series(), PER_SERIES)
        self.every.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self._show_histogram(evaluation)
        notes = {str(row["series"]): f"sMAPE {format_number(row['smape'])}%"
                 for row in evaluation.per_series()}
        self.picker.set_series(list(testing.views), notes)

    def _name_model(self, evaluation=None):
        """The tooltips that name the model as ``evaluation``'s scores name it
        (:func:`~engine.many.evaluation.network_subject`: the linear autoregression for a
        fit that kept its linear start); the network until it is tested."""
        subject = network_subject(evaluation)
        self.worst.setToolTip(WORST_TIP.format(subject))
        self.every.setToolTip(EVERY_TIP.format(network_subject(evaluation, capital=True)))
        self.plot.setToolTip(PLOT_TIP.format(subject))
        self.histogram_plot.setToolTip(HISTOGRAM_TIP.format(subject))

    @Slot(int)
    def _target_chosen(self, index):
        if self.testing is not None and index >= 0 and index != self.testing.target:
            self.testing.target = index
            self.show_testing(self.testing)

    def _show_histogram(self, evaluation):
        from engine.testing.analysis import histogram

        counts, edges = histogram(evaluation.scores["network"].smape)
        self.histogram.setOpts(x0=edges[:-1], x1=edges[1:], height=counts)
        self.histogram_plot.enableAutoRange()

    def _choose_from(self, table, row):
        """Plot the series of ``table``'s row ``row``."""
        name = table.item(row, 0).text()
        self.tabs.setCurrentIndex(0)
        self.picker.choose(name)

    @Slot(str)
    def show_series(self, name):
        """Plot the series ``name``: its last rows, its testing part and the forecasts."""
        if self.testing is None or name not in self.testing.views:
            return
        view = self.testing.views[name]
        steps = len(view.forecast)
        first = view.shown_from()
        x, dates = time_positions(view.index)
        set_date_axis(self.plot, dates)
        model = self.testing.model
        time_column = model.settings.get("time_column") if model is not None else None
        self.plot.setLabel("bottom", time_column or "row")     # "year", as steps 2 and 7
        self.plot.setLabel("left", self.testing.target_names[self.testing.target])
        self.history_curve.setData(x[first:view.start], view.values[first:view.start],
                                   connect="finite")
        ahead = x[view.start:view.start + steps]
        self.truth_curve.setData(ahead, view.values[view.start:view.start + steps],
                                 connect="finite")
        self.forecast_curve.setData(ahead, view.forecast[:len(ahead)], connect="finite")
        lower, upper = view.lower[:len(ahead)], view.upper[:len(ahead)]
        known = np.isfinite(lower) & np.isfinite(upper)     # the steps the report shades
        self.interval.show(ahead[known], view.forecast[:len(ahead)][known], lower[known],
                           upper[known], row_step(x))
        naive = self._seasonal_naive(name)
        self.naive_curve.setData(ahead if naive is not None else [],
                                 naive[:len(ahead)] if naive is not None else [])
        for shown in (self.truth_curve, self.forecast_curve, self.naive_curve):
            shown.setSymbolSize(6 if steps <= FEW_POINTS else 3)   # many: dots, not a crowd
        bounded = has_bounds(view)                          # as the report draws it
        self.plot.getPlotItem().legend.getLabel(self.forecast_curve).setText(
            network_subject(self.testing.evaluation).removeprefix("the "))
        interval = "the forecast" + self.interval.words("its 90% interval") if bounded else \
            "(no 90% interval: too few windows)"
        # three short lines: the plot beside the tables at 1000 x 680 holds about 39 letters
        self.plot.setTitle(f"{name}\n{self._score_text(name)}\n{interval}", size="10pt")
        self.plot.enableAutoRange()

    def _scored_index(self, name):
        ids = [str(i) for i in self.testing.evaluation.ids]
        return ids.index(name) if name in ids else None

    def _seasonal_naive(self, name):
        """The seasonal naive forecast of the series ``name`` (None when it was not
        scored)."""
        i = self._scored_index(name)
        forecasts = self.testing.evaluation.forecasts.get("seasonal_naive")
        return None if i is None or forecasts is None else forecasts[i]

    def _score_text(self, name):
        """The plot's title's line under the series' name: the network's scores on it (the
        line below names the network)."""
        i = self._scored_index(name)
        if i is None:
            return "not scored (missing values, or too short for a window)"
        scores = self.testing.evaluation.scores["network"]
        return (f"sMAPE {format_number(scores.smape[i])}%, "
                f"MASE {format_number(scores.mase[i])}")

    # -- the report ------------------------------------------------------------------------
    def save_report(self):
        """Write the HTML report of every target (:mod:`engine.many.report`) to a file the
        user chooses; the figures are those shown, nothing is computed again. Figures of
        another model than the project's (it changed since they were computed) are never
        written beside the description of the project's: the model is tested again."""
        if self.testing is None:
            return
        if self._model_key() != self._key:
            self.save_button.setEnabled(False)
            self.refresh()
            self.status.setText("The model changed since these figures were computed; it "
                                "is tested again. Save the report once its figures are "
                                "shown.")
            return
        from engine.many.report import project_training, write_many_report

        project = self.session.project
        files = (self.session.saved_model_file(), project.data_file())
        save_report_file(self, self.session, self.status,
                         partial(write_many_report, self.testing,
                                 training=project_training(project), files=files))
