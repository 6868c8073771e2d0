"""Step 5: improve generalization. Choose a search (units, lookback, inputs, cell, L2
strength, an ensemble of seeds), run it in the background with progress and Stop, watch the
table of trials fill and the plot of training and selection error against complexity, and
apply the chosen (or another) row to the project and train the network with it.

A project of many series shows instead the backtest of its global network
(:mod:`app.pages.many_selection`): the search of one network per series does not apply."""

import copy

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QGroupBox,
                               QHeaderView, QLabel, QMessageBox, QProgressBar,
                               QPushButton, QStackedWidget, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from engine import EngineError
from engine.selection import (SearchResult, apply_trial, default_workers,
                              record_search, run_search, search_is_current,
                              stored_searches)
from engine.selection.result import figure
from engine.tolerance import TOLERANCE_TEXT
from engine.words import counted

from ..widgets.controls import combo, say_in_words, select, spin_box
from ..widgets.narrow import FlowLayout, SideBySide, holder, letters_wide
from ..widgets.plots import COLORS, curve, make_plot
from ..widgets.runs_on import RunsOn
from ..workers import TaskRunner, failure_text
from .let_go import LetGoNote
from .many_selection import ManySelectionPanel

METHODS = [
    ("neurons", "Number of units (growing neurons)"),
    ("lookback", "Lookback (window length)"),
    ("inputs", "Inputs, growing: strongest first"),
    ("inputs_pruning", "Inputs, pruning: one at a time"),
    ("cell", "Cell type: RNN, GRU, LSTM"),
    ("regularization", "L2 regularization strength"),
    ("ensemble", "Ensemble of seeds"),
]
HINTS = {
    "neurons": "Trains networks with 1, 2, 4, ... units per layer.",
    "lookback": "Trains with window lengths around the one the autocorrelation suggests.",
    "inputs": "Ranks the inputs by their correlation with the target and adds them one by "
              "one, strongest first.",
    "inputs_pruning": "Starts with every input and removes, round by round, the one "
                      "without which the selection error is lowest, while that error stays "
                      f"within {TOLERANCE_TEXT} of the lowest so far (fewer inputs win a "
                      "tie).",
    "cell": "Trains a simple RNN, a GRU and an LSTM of the current size.",
    "regularization": "Trains with L2 strengths from 0 to 0.1; stronger L2 keeps weights "
                      "small, which can reduce overfitting.",
    "ensemble": "Trains networks from different seeds and averages their predictions.",
}
COLUMNS = ["#", "Setting", "Training error", "Selection error", "Time (s)", "Mark"]
REDRAW_MS = 200


def _error_headers(targets, horizon=1):
    """The two error columns' titles, with their unit: the target's RMSE in its units, or
    for several targets the mean of RMSE / spread (no unit); for a model of ``horizon`` > 1
    steps ahead, the mean over its steps (what the search ranks by)."""
    steps = f", mean of {horizon} steps" if horizon > 1 else ""
    if len(targets) == 1:
        return [f"Training RMSE\n({targets[0]}{steps})",
                f"Selection RMSE\n({targets[0]}{steps})"]
    return [f"Training error\n(RMSE/sd{steps})", f"Selection error\n(RMSE/sd{steps})"]


def _table_tip(result):
    """The table's tooltip: what its errors are (the search's measure, once there is one)."""
    errors = (f"The errors: {result.measure}" if result is not None and result.measure
              else "The errors are in the target's units")
    return (f"One row per setting tried, numbered from 1. {errors}; the chosen row is the "
            f"simplest whose selection error is within {TOLERANCE_TEXT} of the lowest. "
            "Select another row to apply it instead.")


APPLY_TIP = ("Put {what} into the project and train the network with them: the training "
             "page (step 4) opens and shows the training and its result.")


class SelectionPage(QWidget):
    """Signal: ``train_requested`` (a trial's settings were applied: the window trains the
    network with them at step 4)."""

    train_requested = Signal()

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.runner = TaskRunner(self)
        self.runner.step.connect(self._on_step)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.result = None            # the SearchResult shown
        self.live = {}                # row index -> TrialRow while a search runs
        self.live_method = None
        self.searched_project = None
        self._dirty = False
        self._loading = False

        left_panel = QWidget()
        left_panel.setLayout(self._build_controls())
        left_panel.setMaximumWidth(letters_wide(left_panel, 70))
        sides = SideBySide(left_panel, self._build_plot(), stretches=(2, 5))
        sides.box.setContentsMargins(0, 0, 0, 0)
        # the table below both, as wide as the page: its columns fit a small window's width
        single = QVBoxLayout()
        single.addWidget(sides, 3)
        single.addWidget(self._build_table(), 2)
        self.single = holder(single)
        self.many = ManySelectionPanel(session)
        self.let_go_notes = [self.let_go_note, self.many.let_go_note]
        self.views = QStackedWidget()
        self.views.addWidget(self.single)
        self.views.addWidget(self.many)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.views)

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._redraw)
        self._method_changed()

    def _build_controls(self):
        """The left side: the search's settings, Start/Stop, the progress, Apply."""
        self.start_button = QPushButton("&Start search")
        self.start_button.setToolTip("Train the settings in the background; the window "
                                     "stays usable and the table fills as trials finish.")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setToolTip("Stop the search now; the trials that finished are "
                                    "kept.")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        self.training_running = False
        self.apply_button = QPushButton("&Apply and train")
        self.apply_button.setToolTip(APPLY_TIP.format(what="the selected row's settings"))
        self.apply_button.clicked.connect(self.apply)
        self.apply_button.setEnabled(False)
        buttons = FlowLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        self.progress = QProgressBar()         # shown from a search's start on
        self.progress.setFormat("%v of %m trials")
        self.progress.setVisible(False)
        self.progress.setToolTip("Trials finished out of those started; pruning adds "
                                 "trials round by round.")
        self.status = QLabel("Choose a search and press Start search.")
        self.status.setWordWrap(True)
        self.let_go_note = LetGoNote(
            self.runner, "model-selection search", "the trials it had trained are lost, "
            "and that project keeps the searches it had before. Search again to have them.")
        self.let_go_note.said.connect(self._let_go)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        left = QVBoxLayout()
        left.addWidget(self._build_search())
        left.addLayout(buttons)
        for widget in (self.progress, self.status, self.let_go_note, self.notes,
                       self.apply_button):
            left.addWidget(widget)
        left.addStretch(1)
        return left

    def _build_search(self):
        self.method = combo(METHODS, "What the search varies. Every setting is trained on "
                            "the training windows and judged by its error on the "
                            "selection windows; testing data are never used.")
        self.method.currentIndexChanged.connect(self._method_changed)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.max_trials = spin_box(0, 200, "The most settings to try from the method's "
                                   "list; 0 takes the method's default number (e.g. 1 to "
                                   "64 units). Your current setting is tried besides them "
                                   "when the list does not hold it (units, lookback, L2).")
        self.max_trials.setSpecialValueText("method's default")
        self.repeats = spin_box(1, 20, "Trainings per setting from different seeds. With "
                                "2 or more the table shows the mean and spread, and luck "
                                "plays less part in the choice.")
        self.workers = spin_box(0, 256, "Trainings that run at the same time, each on one "
                                "core (default: one per core). 0 runs them one after the "
                                "other in the background thread.")
        self.workers.setValue(default_workers())
        self.runs_on = RunsOn("the trials")
        self.runs_on.editingFinished.connect(self._runs_on_edited)
        form = QFormLayout()
        for label, widget in (("Sear&ch:", self.method), ("", self.hint),
                              ("Settin&gs to try:", self.max_trials),
                              ("&Repeats:", self.repeats),
                              ("&Parallel trainings:", self.workers),
                              ("Runs on:", self.runs_on)):
            form.addRow(label, widget)
        box = QGroupBox("Search")
        box.setLayout(form)
        return box

    def _build_plot(self):
        """Training and selection error against complexity, the chosen trial circled."""
        self.plot = make_plot("Error against complexity", y_label="error", log_y=True,
                              legend=True)
        self.plot.setToolTip("The training error (on the windows the networks learn from) "
                             "and the selection error (on windows they never learn from) "
                             "of each setting, from the simplest to the most complex. A "
                             "selection error that rises while the training error falls is "
                             "the sign of overfitting; curves that stay flat mean the "
                             "setting hardly matters. The circle marks the chosen setting: "
                             f"the simplest within {TOLERANCE_TEXT} of the lowest selection "
                             "error.")
        self.training_curve = curve(self.plot, COLORS["training"], "training", symbol="o")
        self.selection_curve = curve(self.plot, COLORS["selection"], "selection", symbol="o")
        for item in (self.training_curve, self.selection_curve):
            item.setSymbolSize(8)
        self.chosen_marker = self.plot.plot([], [], pen=None, symbol="o", symbolSize=16,
                                            symbolBrush=None,
                                            symbolPen=pg.mkPen(COLORS["accent"], width=2.5))
        # named in the legend: the title beside it was cut in a small window
        self.plot.getPlotItem().legend.addItem(self.chosen_marker, "chosen")
        self.chosen_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            COLORS["accent"], width=1, style=Qt.PenStyle.DashLine))
        self.chosen_line.setVisible(False)
        self.plot.addItem(self.chosen_line)
        self.plot.set_empty_text("No trials yet")
        return self.plot

    def _build_table(self):
        """One row per trial."""
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Settings tried")
        self.table.setToolTip(_table_tip(None))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        return self.table

    def runners(self):
        """The page's TaskRunners: the search's and the many-series backtest's."""
        return [self.runner, self.many.runner]

    # -- showing ---------------------------------------------------------------------------
    def refresh(self):
        """Show the project's stored search of the chosen method (the window calls this
        when the page is shown or the project changes); for a project of many series,
        the backtest panel."""
        project = self.session.project
        many = self.session.is_many_series()
        self.views.setCurrentWidget(self.many if many else self.single)
        if many:
            self.many.refresh()
            return
        if self.runner.running:
            return
        scheduler = project.selection.settings.get("scheduler") \
            if project else None
        self._loading = True
        self.runs_on.setText(scheduler or "")
        self._loading = False
        self.start_button.setEnabled(project is not None)
        self._show_stored()

    def _show_stored(self):
        """The project's search of the chosen kind, when it was made with the settings of
        now; else none, with a line saying why when there was one (its trials would be
        applied onto settings they were not measured with)."""
        project = self.session.project
        stored = stored_searches(project) if project is not None else {}
        self.result = stored.get(self.method.currentData())
        self.live = {}
        self.progress.reset()           # no count of a search run before (or of another project)
        self.progress.setVisible(False)
        if self.result is not None and not search_is_current(project, self.result):
            self.result = None
            self._fill(None)
            self.status.setText("The project's settings or its data file changed since "
                                "this search. Press Start search to search with them as "
                                "they are now.")
            return
        self._fill(self.result)
        if self.result is None:
            self.status.setText("Not searched yet. Press Start search.")
        else:
            self.status.setText(self._finished_text(self.result))

    @Slot()
    def _method_changed(self, *args):
        self.hint.setText(HINTS[self.method.currentData()])
        if not self.runner.running:
            self._show_stored()

    def _runs_on_edited(self):
        project = self.session.project
        if self._loading or project is None:
            return
        text = self.runs_on.text().strip() or None
        settings = project.selection.settings
        if settings.get("scheduler") != text:
            settings["scheduler"] = text
            self.session.touch()

    def _rows(self):
        if self.result is not None:
            return self.result.rows
        return [self.live[k] for k in sorted(self.live)]

    def _fill(self, result):
        """The table and the plot of ``result`` (or of the live rows when None)."""
        rows = result.rows if result is not None else self._rows()
        repeats = result.repeats if result is not None else self.repeats.value()
        chosen = result.chosen if result is not None else None
        applied = result.applied if result is not None else None
        selected = self._selected_index()
        self.table.setHorizontalHeaderLabels(
            COLUMNS[:2] + _error_headers(result.targets if result is not None
                                         else self._targets(), self._horizon())
            + COLUMNS[4:])
        self.table.setRowCount(len(rows))
        for position, row in enumerate(rows):
            if row.selection_error is not None:
                training = figure(row.training_error, row.training_error_sd, repeats > 1)
                selection = figure(row.selection_error, row.selection_error_sd, repeats > 1)
            else:
                training, selection = "", (f"not possible: {row.error}" if row.error
                                           else "running..." if result is None else "-")
            marks = []
            if row.index == chosen:
                marks.append("chosen")
            if row.current and applied is None:     # once one is applied, that one is
                marks.append("current")
            if row.index == applied:
                marks.append("applied")
            if row.warning:                         # "1 of 3 repeats failed"
                marks.append(row.warning.split(" (")[0])
            values = [str(row.number), row.label + (f" (round {row.round})" if row.round
                                                   else ""),
                      training, selection,
                      f"{row.seconds:.1f}" if row.runs and not row.ensemble else "",
                      ", ".join(marks)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row.index)
                if column in (0, 2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if row.index == chosen:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                    item.setBackground(QColor("#f1ebf8"))
                    say_in_words(item, "The chosen setting: the simplest within "
                                 f"{TOLERANCE_TEXT} of the lowest selection error.")
                if row.ensemble:
                    item.setForeground(QColor("#555555"))
                    say_in_words(item, "The average of the networks: not a setting of its "
                                 "own, never the chosen one.")
                if row.warning:
                    item.setToolTip(" ".join(filter(None, (item.toolTip(), row.warning))))
                self.table.setItem(position, column, item)
        self._plot(result, rows)
        if result is not None and rows:
            self._select_row(selected if selected is not None else chosen)
        self._selection_changed()
        self.notes.setText("<br>".join(result.notes) if result is not None else "")
        measure = result.measure.split(" (")[0] if result is not None else ""
        self.plot.setLabel("left", measure or "error")
        self.table.setToolTip(_table_tip(result))

    def _horizon(self):
        """The steps ahead of the project's model (1 without a data set)."""
        project = self.session.project
        config = project.data.config if project is not None else None
        return int(config.horizon) if config is not None else 1

    def _targets(self):
        project = self.session.project
        config = project.data.config if project is not None else None
        return [v.name for v in config.targets] if config is not None else []

    def _plot(self, result, rows):
        if result is None:
            probe = SearchResult(self.live_method or self.method.currentData(), "", [],
                                 rows=rows)
        else:
            probe = result
        points = probe.curve()
        axis = self.plot.getAxis("bottom")
        axis.setTicks([list(zip(points["x"], points["labels"]))])
        self.plot.setLabel("bottom", points["axis"])

        def series(name):
            x = [x for x, y in zip(points["x"], points[name]) if y is not None]
            y = [max(y, 1e-12) for y in points[name] if y is not None]
            return np.array(x, float), np.array(y, float)

        training, selection = series("training"), series("selection")
        values = np.concatenate([training[1], selection[1]])
        # a log axis only when the errors span a wide range (else it shows a single tick)
        self.plot.setLogMode(y=bool(values.size and values.max() > 8 * values.min()))
        # seeds are no scale of complexity: points without lines between them
        lines = probe.method != "ensemble"
        for item, color in ((self.training_curve, COLORS["training"]),
                            (self.selection_curve, COLORS["selection"])):
            item.setPen(pg.mkPen(color, width=1.5) if lines else None)
        self.training_curve.setData(*training)
        self.selection_curve.setData(*selection)
        if points["x"]:
            self.plot.setXRange(-0.4, len(points["x"]) - 0.6, padding=0)
        self.plot.setTitle("Error against complexity" if lines
                           else "Each network and their average", size="10pt")
        chosen = points["chosen"]
        shown = chosen is not None and points["selection"][chosen] is not None
        if shown:
            self.chosen_marker.setData([chosen], [max(points["selection"][chosen], 1e-12)])
            self.chosen_line.setValue(chosen)
        else:
            self.chosen_marker.setData([], [])
        self.chosen_line.setVisible(shown)
        legend = self.plot.getPlotItem().legend
        legend.getLabel(self.chosen_marker).setText(
            f"chosen: trial {points['rows'][chosen] + 1}" if shown else "chosen")
        legend.updateSize()

    def _selected_index(self):
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _select_row(self, index):
        for position in range(self.table.rowCount()):
            if self.table.item(position, 0).data(Qt.ItemDataRole.UserRole) == index:
                self.table.selectRow(position)
                return

    @Slot()
    def _selection_changed(self):
        index = self._selected_index()
        result = self.result
        usable = (result is not None and index is not None and not self.runner.running
                  and not self.training_running and not result.cancelled
                  and not result.row(index).ensemble
                  and result.row(index).selection_error is not None)
        self.apply_button.setEnabled(usable)
        if usable:
            row = result.row(index)
            chosen = " (the chosen one)" if index == result.chosen else ""
            self.apply_button.setText(f"&Apply and train trial {row.number}{chosen}")
            self.apply_button.setToolTip(APPLY_TIP.format(what=f"'{row.label}'"))
        else:
            self.apply_button.setText("&Apply and train")
            if self.training_running:
                self.apply_button.setToolTip("A network is training at step 4: wait for it "
                                             "or stop it, then apply a setting.")
            elif result is not None and result.cancelled:
                self.apply_button.setToolTip("The search was stopped before every setting "
                                             "was trained: run it to the end to apply a "
                                             "row.")

    @Slot(bool)
    def set_training_running(self, running):
        """A training at step 4 started or ended: no setting is applied while it runs."""
        self.training_running = bool(running)
        self._selection_changed()

    # -- running ---------------------------------------------------------------------------
    def start(self):
        project = self.session.project
        if self.runner.running or project is None:
            return
        self.result = None
        self.live = {}
        self.live_method = self.method.currentData()
        self._fill(None)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText("Preparing the trials (starting the worker processes)...")
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.apply_button.setEnabled(False)
        self.method.setEnabled(False)
        self.timer.start()
        scheduler = self.runs_on.text().strip() or None
        self.searched_project = project
        self.runner.start(run_search, copy.deepcopy(project), self.live_method,
                          max_trials=self.max_trials.value() or None,
                          repeats=self.repeats.value(), workers=self.workers.value(),
                          scheduler=scheduler, table=self.session.table)

    def stop(self):
        self.runner.stop()
        self.stop_button.setEnabled(False)
        self.status.setText("Stopping the running trials...")

    @Slot(object)
    def _on_step(self, item):
        self.live[item.row.index] = item.row
        self.progress.setRange(0, item.total)
        self.progress.setValue(item.done)
        self.status.setText(f"{item.text}.")
        self._dirty = True

    @Slot()
    def _redraw(self):
        if self._dirty:
            self._dirty = False
            self._fill(None)

    @Slot(object)
    def _on_finished(self, result):
        self.timer.stop()
        self._dirty = False
        self._end_run()
        project = self.session.project
        if project is None or project is not self.searched_project:
            return                                  # not into a project opened meanwhile
        if not record_search(project, result):      # stopped before any training ended
            self._show_stored()
            self.status.setText("Stopped before any training finished; nothing was kept." + (
                "" if self.result is None else " The search shown is the one kept before."))
            return
        self.session.touch()
        select(self.method, result.method)
        if not search_is_current(project, result):  # edited while the trials ran
            self._show_stored()
            return
        self.result = result
        self._fill(result)
        self.status.setText(self._finished_text(result))

    @Slot(object)
    def _on_failed(self, error):
        message = failure_text(error)
        self.timer.stop()
        self._end_run()
        self.status.setText("The search could not run.")
        self.notes.setText(f"<span style='color:#b00020'>{message}</span>")
        QMessageBox.warning(self, "Search failed", message)

    @Slot()
    def _on_cancelled(self):
        """The search stopped without a result (before any trial ran): the page shows the
        stored search again."""
        self.timer.stop()
        self._dirty = False
        self._end_run()
        self._show_stored()

    @Slot()
    def _let_go(self):
        """The search was let go: its results never arrive, the controls come back."""
        self.timer.stop()
        self._dirty = False
        self._end_run()

    def _end_run(self):
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.method.setEnabled(True)

    def _finished_text(self, result):
        runs = result.trainings()
        where = f"{result.runner}, {counted(result.workers, 'worker')}"
        text = ("Stopped: " if result.cancelled else "Finished: ") + \
            f"{counted(runs, 'training')} in {result.seconds:.1f} s ({where})."
        if result.chosen is not None:
            row = result.row(result.chosen)
            if result.cancelled:
                return text + (f" Chosen of the settings trained: {row.label}. Run the "
                               "search to the end to apply a row.")
            text += f" {result.reason()}"
            if row.current:
                text += " That is the project's current setting."
        return text

    def apply(self):
        """Put the selected row's settings into the project and ask for a training with
        them (``train_requested``)."""
        index = self._selected_index()
        if self.result is None or index is None or self.session.project is None \
                or self.training_running:
            return
        try:
            message = apply_trial(self.session.project, self.result, index)
        except EngineError as error:
            QMessageBox.warning(self, "Cannot apply these settings", str(error))
            return
        self.session.touch()
        self._fill(self.result)
        self.status.setText(f"{message} The network is trained with them at step 4.")
        self.train_requested.emit()
