"""The Backtest tab of the test-results page: rolling-origin backtesting
(:func:`engine.testing.backtest.backtest_project`) run by its own TaskRunner, with a plot
of the RMSE by origin and the errors by origin in a small table below it. The result stays
on the page (it is not written into the project); it is cleared when the model changes."""

import copy

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from app.pages.many_scores import ROW_HEIGHT
from app.widgets.controls import say_in_words, spin_box
from app.widgets.narrow import FlowLayout
from app.pages.let_go import LetGoNote
from app.widgets.plots import COLORS, curve, make_plot
from app.workers import TaskRunner, failure_text
from engine.testing.backtest import (BASELINE_ORDER, DEFAULT_ORIGINS, MAX_ORIGINS, MODES,
                                     PULLED_AWAY, backtest_project)
from engine.figures import table_digits
from engine.testing.report import BASELINE_NAMES, format_number
from engine.testing.verdict import WINDOW, verdict_on_backtest

BETTER, WORSE = "#18794e", "#b42318"
COLOUR_WORDS = {BETTER: "The network's RMSE beats this baseline's on the same forecasts.",
                WORSE: "This baseline's RMSE is as low as the network's or lower."}
MAX_BLOCK_ROWS = 100_000        # the backtest refuses blocks its rows cannot hold
COLUMNS = ["origin", "rows", "network"] + \
    [BASELINE_NAMES[name].replace(" ", "\n", 1) for name in BASELINE_ORDER]
MODE_WORDS = {"one_step": "one step", "recursive": "recursive"}
"""The modes as the plot's legend names them ("network, recursive")."""
GROUP_TITLES = {"one_step": "One step ahead: each row from the true rows before it",
                "recursive": "Recursive: from each origin on, fed its own forecasts"}


def rmse_of(entry, target):
    """The RMSE of ``target`` in a ``{"count", "targets"}`` dict, or None."""
    if not entry:
        return None
    return ((entry.get("targets") or {}).get(target) or {}).get("rmse")


def origin_table(columns):
    """A read-only table of results by origin: one column per name of ``columns``, the
    first stretched, the others as wide as their contents; compact rows."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # when narrow
    compact_rows(table)
    return table


def compact_rows(table):
    """``table``'s rows as compact as the other tables' of results
    (:data:`~app.pages.many_scores.ROW_HEIGHT`; taller with large letters) instead of Qt's
    default, which leaves room for a box in a cell."""
    table.verticalHeader().setDefaultSectionSize(
        max(ROW_HEIGHT, table.fontMetrics().height() + 6))


PLOT_HEIGHT = 260
"""The plot's least height: its title and two rows of legend take about 110 pixels, and
at 150 a 1280 x 820 window left the curves about 30 pixels."""


def fit_height(table):
    """Make ``table`` exactly as tall as its header and rows (a plot in the same layout
    takes the rest), and its sideways scroll bar when it has one (again whenever the bar
    comes or goes with the window's width)."""
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    scroll = table.horizontalScrollBar()
    needed = scroll.maximum() > 0 and \
        table.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    table.setFixedHeight(height + (scroll.sizeHint().height() if needed else 0))
    if not table.property("height_follows_scroll"):
        table.setProperty("height_follows_scroll", True)
        scroll.rangeChanged.connect(lambda *_: fit_height(table))


def fill_row(table, r, cells, bold=False, words=None):
    """Row ``r`` of ``table``: ``cells`` of ``(text, colour or None)``, the first
    left-aligned, the others (numbers) right-aligned; in bold type when ``bold``. A
    coloured cell also says what its colour means in ``words[colour]`` (its tooltip and
    accessible description)."""
    from PySide6.QtGui import QBrush, QColor

    for c, (text, color) in enumerate(cells):
        item = QTableWidgetItem(text)
        item.setTextAlignment((Qt.AlignmentFlag.AlignLeft if c == 0 else
                               Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter)
        if color:
            item.setForeground(QBrush(QColor(color)))
            if words and color in words:
                say_in_words(item, words[color])
        if bold:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        table.setItem(r, c, item)


def group_rows(result, target, mode):
    """The rows of one group of the table (``mode``: ``"one_step"`` or ``"recursive"``):
    ``(label, rows scored, the network's RMSE, [each baseline's RMSE in BASELINE_ORDER])``
    per origin, then over the origins their mean, and their median when one origin or a
    few pull the network's mean away (:meth:`~engine.testing.backtest.Backtest.
    mean_pulled_away`): the figures :func:`~engine.testing.verdict.verdict_on_backtest`
    quotes."""
    def scored(fold):              # the rows this mode scored (a recursive forecast may
        return int((fold["network"].get(mode) or {}).get("count") or 0)   # stop at a gap)

    entries = [(f["origin_time"] or f"row {f['origin_row']}", str(scored(f)), f)
               for f in result.folds]
    total = str(sum(scored(f) for f in result.folds))
    entries.append(("mean", total, result.mean()))
    if result.mean_pulled_away(target):
        entries.append(("median", total, result.median()))
    return [(label, count, rmse_of(entry["network"][mode], target),
             [rmse_of(entry["baselines"][name].get(mode), target) for name in BASELINE_ORDER])
            for label, count, entry in entries]


WHAT = "How the errors vary from origin to origin before the testing part."


class BacktestPanel(QWidget):
    """Origins spin box, Run and Stop, the plot of the RMSE by origin and the table of
    errors by origin below it."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.result = None
        self.run_key = None            # the model identity the running backtest started with
        self.workers = None            # local processes (None: one per core, 0: none)
        self.target_index = 0
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.stage.connect(self._on_stage)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_controls())
        layout.addWidget(self.verdict)
        layout.addWidget(self._build_plot(), 1)     # in sight first: below the table, even
        layout.addWidget(self._build_table())       # a 1400 x 900 window showed none of it
        self._fit_height()

    def _build_controls(self):
        self.origins = spin_box(1, MAX_ORIGINS, "Rolling origins: the network is trained "
                                "again on the rows before each origin and scored on the "
                                "rows after it. The origins lie just before the testing "
                                "part; testing rows are never used.")
        self.origins.setValue(DEFAULT_ORIGINS)
        self.block = spin_box(0, MAX_BLOCK_ROWS, "Rows scored after each origin, each "
                              "forecast recursively from the origin on: the length of the "
                              "forecasts you will make. Automatic: the steps ahead, at "
                              "least a season (else 12) and at least the forecast "
                              "length set on step 2.")
        self.block.setSpecialValueText("automatic")
        self.run_button = QPushButton("&Run backtest")
        self.run_button.setToolTip("Train the project's network again before every origin "
                                   "(the project's settings and the choices it recorded) "
                                   "and score it after each, beside the baselines fitted on "
                                   "the same rows.")
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setEnabled(False)
        self.stop_button.setToolTip("Stop the backtest; the origins fitted so far are not "
                                    "kept.")
        self.stop_button.clicked.connect(self.runner.stop)
        self.status = QLabel(WHAT)
        self.status.setWordWrap(True)
        self.let_go_note = LetGoNote(
            self.runner, "backtest", "the origins it had fitted are lost (a backtest is not "
            "kept in the project). Run the backtest again to have it.")
        self.let_go_note.said.connect(self._ended)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setVisible(False)
        row = FlowLayout()
        row.addPair("&Origins:", self.origins)
        row.addPair("Ro&ws per origin:", self.block)
        row.addWidget(self.run_button)
        row.addWidget(self.stop_button)
        controls = QVBoxLayout()           # the status on a line of its own: beside the
        controls.addLayout(row)            # controls it wrapped into four lines and left
        controls.addWidget(self.status)    # the table too little height for its rows
        controls.addWidget(self.let_go_note)
        return controls

    def _build_table(self):
        self.table = origin_table(COLUMNS)
        self.table.setAccessibleName("RMSE by origin")
        self.table.setToolTip("RMSE in the target's units on the rows after each origin "
                              "(its date, or its row without a time column), the network "
                              "beside the baselines: one step ahead above, recursively "
                              "(from the origin on) below; green: the network's RMSE beats "
                              "that baseline's on the same forecasts, red: it does not. "
                              "Below the origins of each: their mean, and their median "
                              "when one origin or a few (a forecast that ran away) pull "
                              f"the network's mean above {PULLED_AWAY:g} times it.")
        return self.table

    def _build_plot(self):
        import pyqtgraph as pg

        self.plot = make_plot("RMSE by origin", x_label="origin", y_label="RMSE",
                              legend=True)
        self.network_curve = curve(self.plot, COLORS["prediction"],
                                   f"network, {MODE_WORDS['one_step']}", width=2, symbol="o")
        self.recursive_curve = curve(self.plot, COLORS["training"],
                                     f"network, {MODE_WORDS['recursive']}", symbol="t")
        self.best_curve = self.plot.plot(
            [], [], pen=pg.mkPen("#7f7f7f", width=1.5, style=Qt.PenStyle.DashLine),
            name="best baseline", symbol="s", symbolSize=5, symbolBrush="#7f7f7f")
        self.plot.setMinimumHeight(PLOT_HEIGHT)
        self.plot.set_empty_text("No backtest yet")
        return self.plot

    # -- running ---------------------------------------------------------------------------
    def run(self):
        """Start the backtest of the session's project on its table."""
        if self.runner.running or self.session.project is None:
            return
        self.clear()
        self.status.setText("Backtest: starting...")
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.run_key = self.session.model_identity()     # the model it is shown beside
        # a copy: an edit made while it runs does not reach the backtest halfway
        self.runner.start(backtest_project, copy.deepcopy(self.session.project),
                          self.origins.value(), self.workers, None, self.session.table,
                          self.block.value() or None)

    @Slot()
    def _ended(self):
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    @Slot(str)
    def _on_stage(self, text):
        self.status.setText(text)

    @Slot(object)
    def _on_finished(self, result):
        self._ended()
        if self.session.model_identity() != self.run_key:
            self.status.setText("The model changed while the backtest ran; run it again to "
                                "backtest the model of now.")
            return
        self.result = result
        self.status.setText(" ".join([f"{len(result.folds)} origins of {result.block} rows "
                                      f"{result.placement()}, {result.seconds:.1f} s on "
                                      f"{result.runner}.", *result.notes()]))
        self.show_result()

    @Slot(object)
    def _on_failed(self, error):
        self._ended()
        self.status.setText(f"<span style='color:#b00020'>The backtest could not run: "
                            f"{failure_text(error)}</span>")

    @Slot()
    def _on_cancelled(self):
        self._ended()
        self.status.setText("The backtest was stopped; nothing was kept.")

    # -- showing ---------------------------------------------------------------------------
    def clear(self):
        """No backtest on screen: the table, the plot, its legend's baseline and the status
        line of the last one go."""
        self.result = None
        self.verdict.setVisible(False)
        self.table.setRowCount(0)
        self.status.setText(WHAT)
        for item in (self.network_curve, self.recursive_curve, self.best_curve):
            item.setData([], [])
        self.plot.getPlotItem().legend.removeItem(self.best_curve)
        self._set_log_scale(False)
        self._fit_height()

    def _set_log_scale(self, on, target=None):
        """The RMSE axis in powers of ten (a runaway origin's RMSE beside the others),
        or linear; named with the ``target`` it shows as By horizon names it: "RMSE
        (passengers, log scale)"."""
        self.plot.setLogMode(y=on)
        named = [text for text in (target, "log scale" if on else None) if text]
        self.plot.setLabel("left", f"RMSE ({', '.join(named)})" if named else "RMSE")

    def set_target(self, index):
        self.target_index = max(int(index), 0)
        self.show_result()

    def show_result(self):
        result = self.result
        if result is None:
            return
        target = result.target_names[min(self.target_index, len(result.target_names) - 1)]
        groups = [(mode, group_rows(result, target, mode)) for mode in MODES
                  if result.mean()["network"][mode] is not None]
        digits = table_digits(value for _, rows in groups for _, _, own, others in rows
                              for value in (own, *others))
        line = verdict_on_backtest(result, target, WINDOW, digits=digits)   # as the table
        self.verdict.setText(line or "")
        self.verdict.setVisible(bool(line))
        self.table.clearSpans()
        self.table.setRowCount(sum(len(rows) + 1 for _, rows in groups))
        r = 0
        for mode, rows in groups:
            self._fill_title(r, GROUP_TITLES[mode])
            for label, count, own, others in rows:
                r += 1
                cells = [(label, None), (count, None), (format_number(own, digits), None)]
                for value in others:
                    color = None if value is None or own is None else \
                        (BETTER if own < value else WORSE)
                    cells.append((format_number(value, digits), color))
                self._fill_row(r, cells)
            r += 1
        self._fit_height()
        self._show_plot(result, target)

    def _fill_title(self, r, text):
        """Row ``r``: the title ``text`` of the row group below it, across the table."""
        fill_row(self.table, r, [(text, None)], bold=True)
        self.table.setSpan(r, 0, 1, self.table.columnCount())

    def _fit_height(self):
        fit_height(self.table)

    def _fill_row(self, r, cells):
        fill_row(self.table, r, cells, words=COLOUR_WORDS)

    def _show_plot(self, result, target):
        x = list(range(1, len(result.folds) + 1))
        one = [rmse_of(f["network"]["one_step"], target) for f in result.folds]
        rec = [rmse_of(f["network"]["recursive"], target) for f in result.folds]
        nan = float("nan")
        self.network_curve.setData(x, [nan if v is None else v for v in one],
                                   connect="finite")
        self.recursive_curve.setData(x, [nan if v is None else v for v in rec],
                                     connect="finite")
        mode, by_median = result.verdict_reads(target)      # the errors the verdict reads
        best, _ = result.best_baseline(mode, target, median=by_median)
        values = [rmse_of(f["baselines"][best].get(mode), target) if best else None
                  for f in result.folds]
        self.best_curve.setData(x if best else [], [nan if v is None else v for v in values]
                                if best else [], connect="finite")
        legend = self.plot.getPlotItem().legend
        legend.removeItem(self.best_curve)
        if best:
            legend.addItem(self.best_curve, f"best baseline, {MODE_WORDS[mode]}: "
                           f"{BASELINE_NAMES[best]}" + (" (by median)" if by_median else ""))
        self.plot.getAxis("bottom").setTicks([[(k, str(k)) for k in x]])
        self._set_log_scale(result.mean_pulled_away(target), target)  # else the rest sit at 0
        self.plot.enableAutoRange()
