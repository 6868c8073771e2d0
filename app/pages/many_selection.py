"""Step 5 for a project of many series: the backtest of the global fit
(:func:`engine.many.backtest.backtest_global`). The fit is repeated at K origins before the
testing part and scored on the block after each, beside Naive2, seasonal naive and Theta;
the page shows a table per origin and their mean, a plot by origin and a sentence on how
stable the network is across origins. The table and the plot show one measure at a time
(OWA, sMAPE or MASE, chosen above them): a column per method fits a small window's
width, where a column per method and measure made the table scroll sideways. The result
stays on the page."""

import time
import weakref

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QProgressBar, QPushButton, QVBoxLayout, QWidget)

from engine.atomic import json_ready
from engine.errors import EngineError
from engine.figures import TABLE_DIGITS, number, table_digits, told_apart
from engine.many.backtest import (DEFAULT_ORIGINS, backtest_global, most_origins,
                                  of_target, target_names)
from engine.many.evaluation import network_subject, origin_leads
from engine.many.every_target import measure_words
from engine.many.metrics import ranking_words
from engine.testing.backtest import MEDIAN_FROM
from engine.many.project_fit import series_of, trained_settings
from engine.project.model_status import settings_fingerprint
from engine.selection import default_workers
from engine.training.time_left import format_seconds
from engine.words import counted, counted_of

from ..widgets.controls import buddy_label, combo, select, spin_box
from ..widgets.narrow import FlowLayout, letters_wide
from ..widgets.plots import COLORS, curve, make_plot
from ..widgets.runs_on import RunsOn
from ..workers import TaskRunner, failure_text
from .backtest_panel import fill_row, fit_height, origin_table
from .deploy.texts import steps_text
from .let_go import LetGoNote
from .many_scores import every_target_text
from .target_choice import offer_targets, target_row

METHODS = [("network", "network"), ("naive2", "Naive2"), ("seasonal_naive", "seasonal naive"),
           ("theta", "Theta")]
MEASURES = [("smape", "sMAPE"), ("mase", "MASE"), ("owa", "OWA")]
SHOWN_FIRST = "owa"             # the measure shown until another is chosen
MEASURE_WORDS = {"owa": "OWA: sMAPE and MASE relative to Naive2's, below 1 beats Naive2",
                 "smape": "sMAPE: the percentage error, 0 to 200",
                 "mase": "MASE: the error relative to the seasonal difference of the "
                         "series' own history"}
METHOD_COLORS = {"network": COLORS["prediction"], "naive2": "#7f7f7f",
                 "seasonal_naive": COLORS["training"], "theta": COLORS["selection"]}
BETTER, WORSE = "#18794e", "#b42318"
COLOUR_WORDS = {BETTER: "The network beats every other method here.",
                WORSE: "Another method does as well as the network here, or better."}
WHAT = ("For many series this step backtests the global network: it is trained again at "
        "each origin before the testing part and scored on {h} after it in every "
        "series, beside Naive2, seasonal naive and Theta; the methods are compared by the "
        "{ranking}. The choices (lookback, units, members) are set on steps 2-4; where "
        "they are left automatic, the fit on step 4 chooses the network's window by the "
        "same measure at the latest origin.")


def what_text(horizon):
    """What the panel does, for a model of ``horizon`` steps ahead: scored "on the step
    after it" (one step ahead), "on the 48 steps after it"."""
    return WHAT.format(h="the step" if horizon == 1 else f"the {steps_text(horizon)}",
                       ranking=ranking_words(horizon))


def run_backtest(data, settings, origins, workers, scheduler, task):
    """:func:`~engine.many.backtest.backtest_global` in the page's worker thread; a
    backtest stopped on the way keeps nothing (a stopped fold would score a network
    trained for less than its epochs)."""
    result = backtest_global(data, settings, origins, workers, scheduler, task)
    task.check()
    return result


def origin_label(origin, count):
    """``"1 (latest)"``, ``"2"``, ``"3 (earliest)"``."""
    if count > 1 and origin == 1:
        return "1 (latest)"
    return f"{origin} (earliest)" if count > 1 and origin == count else str(origin)


def stability_text(result):
    """One plain sentence (or two) on how the network fared from origin to origin: the
    range of its OWA (MASE where no method has one:
    :func:`~engine.many.evaluation.origin_leads`), and at how many origins it beat the best
    of the other methods; the
    network named as the scores name it (the linear autoregression, for a fit that kept
    its linear start: :func:`~engine.many.evaluation.network_subject`)."""
    folds = result["origins"]
    scores = result.get("mean") or folds[0]["summary"]
    subject = network_subject(scores)
    key, owa, best = origin_leads(folds, [m for m, _ in METHODS[1:]])
    name = dict(MEASURES)[key]
    known = ~np.isnan(owa) & ~np.isnan(best)
    if not known.any():
        return f"No origin has {name}s of {subject} and another method to compare."
    left = [str(f["origin"]) for f, k in zip(folds, known) if not k]
    gone = "" if not left else (f" Left out: {counted(len(left), 'origin')} of "
                                f"{len(folds)} without {name}s to compare "
                                f"({'origin' if len(left) == 1 else 'origins'} "
                                f"{', '.join(left)}).")
    owa, best = owa[known], best[known]
    wins = int(np.sum(owa < best))
    low, high, mean = told_apart(owa.min(), owa.max(), owa.mean())
    span = f"{name} {low} to {high}, mean {mean}"
    if len(folds) == 1:
        ahead = "beat" if wins else "did not beat"
        own, other = told_apart(owa[0], best[0])
        return (f"At the one origin {subject} {ahead} the best of the other methods "
                f"({name} {own} against {other}). One origin says nothing about "
                "stability: run two or more.")
    folds = folds if known.all() else [f for f, k in zip(folds, known) if k]
    if wins == len(folds):
        return (f"Stable: {subject} beat the best of the other methods at all "
                f"{len(folds)} origins ({span}).{gone}")
    if wins == 0:
        return (f"{network_subject(scores, capital=True)} trailed the best of the other "
                f"methods at every origin ({span}); try other choices on steps 2-4 (a "
                f"longer lookback, more units or members).{gone}")
    return (f"Not stable: {subject} beat the best of the other methods at {wins} of "
            f"{len(folds)} origins ({span}). Judge it by the mean, and expect some periods "
            f"where a simple method does better.{gone}")


def verdict_text(result, target, whole):
    """The sentence above the table: the stability of ``target``'s figures ``result``
    (:func:`stability_text`; of the one target when ``target`` is None), then, for a
    model of several targets, what did best on each by the mean OWA over the origins of
    the backtest ``whole`` (MASE where it compares MASE,
    :func:`~engine.many.every_target.measure_words`) and where its forecast is to be had
    (as steps 4 and 6 say it of the testing rows); "" without a result."""
    if not result:
        return ""
    sentence = stability_text(result)
    if target is None:
        return sentence
    means = {name: both["mean"] for name, both in (whole.get("targets") or {}).items()}
    every = every_target_text(means)
    by = f"By the mean {measure_words(means)} over the origins: {every}" if every else ""
    return " ".join(part for part in (f"For {target}: {sentence}", by) if part)


class ManySelectionPanel(QWidget):
    """Origins, parallel fits, where they run, Run and Stop; the table (one row per origin
    and the mean), the plot and the stability sentence. ``result`` is the backtest on
    screen (the dict of :func:`~engine.many.backtest.backtest_global`)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.result = None
        self.started = 0.0
        self.stage_text = ""
        self.done = None                 # (OriginsDone, time.monotonic() it came) of the run
        self.stopping = False            # Stop was pressed: later steps are not shown
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._show_stage)
        self.shown_for = None             # (project held weakly, (table serial, settings))
        self.run_for = (None, None)       # (project, settings fingerprint) of the running backtest
        self._loading = False
        self.runner = TaskRunner(self)
        self.runner.stage.connect(self._on_stage)
        self.runner.step.connect(self._on_step)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.what = QLabel()                 # what_text of the steps ahead, on refresh
        self.what.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setObjectName("verdict")
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(self._build_controls())
        layout.addWidget(self.verdict)
        layout.addLayout(self._build_measure())
        layout.addWidget(self._build_table())
        layout.addWidget(self._build_plot(), 1)

    def _build_controls(self):
        self.origins = spin_box(1, 20, "Rolling origins: the global network is trained "
                                "again on the rows before each origin and scored on the "
                                "block of steps ahead after it, in every series. Origin 1 "
                                "lies just before the testing part, origin 2 one block "
                                "earlier, and so on; testing rows are never used.")
        self.origins.setValue(DEFAULT_ORIGINS)
        self.workers = spin_box(0, 256, "Origins fitted at the same time, each in its own "
                                "process on one core (default: one per core). 0 or 1 fits "
                                "them one after the other in the background thread.")
        self.workers.setValue(default_workers())
        self.runs_on = RunsOn("the origins' fits")
        self.runs_on.setMinimumWidth(letters_wide(self.runs_on, 40))
        self.runs_on.editingFinished.connect(self._runs_on_edited)
        self.run_button = QPushButton("&Run backtest")
        self.run_button.setToolTip("Fit the project's global network again at every origin "
                                   "and score it there beside the other methods.")
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setToolTip("Stop the backtest; nothing of it is kept.")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(letters_wide(self.progress, 37))
        self.progress.setMinimumWidth(letters_wide(self.progress, 24))   # its text whole
        self.progress.setVisible(False)
        self.status = QLabel("Not run yet. Press Run backtest.")
        self.status.setWordWrap(True)
        self.let_go_note = LetGoNote(
            self.runner, "backtest", "the origins it had fitted are lost, and that project "
            "keeps its earlier backtest, if it had one. Run the backtest again to have it.")
        self.let_go_note.said.connect(self._let_go)
        self.room = QLabel()
        self.room.setWordWrap(True)
        self.room.setObjectName("hint")
        row = FlowLayout()
        for label, widget in (("&Origins:", self.origins), ("&Parallel fits:", self.workers),
                              ("Runs on:", self.runs_on)):
            row.addPair(label, widget)
        row.addWidget(self.run_button)
        row.addWidget(self.stop_button)
        state = QHBoxLayout()
        state.addWidget(self.progress)
        state.addWidget(self.status, 1)
        box = QVBoxLayout()
        box.addLayout(row)
        box.addWidget(self.room)
        box.addLayout(state)
        box.addWidget(self.let_go_note)
        group = QGroupBox("Backtest")
        group.setLayout(box)
        return group

    def _build_measure(self):
        """The measure the table and the plot show (OWA first), and the target whose
        figures they show when the network forecasts several (the first until another is
        chosen)."""
        self.measure = combo(MEASURES,
                             "The error measure the table and the plot show, of every "
                             "method at every origin. " + " ".join(
                                 f"{words}." for words in MEASURE_WORDS.values()))
        select(self.measure, SHOWN_FIRST)
        self.measure.currentIndexChanged.connect(lambda *_: self.show_result(self.result))
        self.target_row, self.target_box = target_row(
            "Tar&get:", "The target whose figures the table, the plot and the sentence "
            "above them show.", lambda *_: self.show_result(self.result))
        row = QHBoxLayout()
        row.addWidget(buddy_label("&Measure:", self.measure))
        row.addWidget(self.measure)
        row.addWidget(self.target_row)
        row.addStretch(1)
        return row

    def shown_target(self):
        """The target whose figures are shown; None for a model of one target."""
        return self.target_box.currentText() if self.target_box.count() > 1 else None

    def _build_table(self):
        self.table = origin_table(["Origin", "Series"] + [label for _, label in METHODS])
        header = self.table.horizontalHeader()         # the methods share the width
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(2, self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Backtest: each method's errors by origin")
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setToolTip("The measure chosen above, of each method on the block after "
                              "each origin, over the series scored there (origin 1 is the "
                              "latest); the last row is their mean. The network's figures "
                              "are green where it beats every other method, red where it "
                              "does not.")
        return self.table

    def _build_plot(self):
        self.plot = make_plot("OWA by origin (lower is better)", x_label="origin",
                              y_label="OWA", legend=True,
                              name="Backtest: the measure chosen by origin")
        self.curves = {name: curve(self.plot, METHOD_COLORS[name], label,
                                   width=2.5 if name == "network" else 1.5, symbol="o")
                       for name, label in METHODS}
        self.plot.setMinimumHeight(160)
        self.plot.set_empty_text("No backtest yet")
        return self.plot

    # -- showing ---------------------------------------------------------------------------
    def refresh(self):
        """Fill the controls from the project: the scheduler, the steps ahead and how many
        origins the series leave room for."""
        project = self.session.project
        if project is None or self.runner.running:
            return
        self._loading = True
        self.runs_on.setText(project.selection.settings.get("scheduler") or "")
        self._loading = False
        config = project.dataset_config()
        self.what.setText(what_text(max(int(config.horizon), 1)))
        self._fit_height()
        settings = self._show_room()
        table = self.session.table
        key = (table.serial if table is not None else None, repr(settings))
        if not self._shows(project, key):          # another project, data or settings
            self.shown_for = (weakref.ref(project), key)
            self._show_stored(project)

    def _shows(self, project, key):
        """Whether the page shows ``project`` with the data and settings of ``key``. The
        project is held weakly and compared with ``is``: a freed project's ``id()`` is
        given to the next one made, and ``==`` finds two projects of equal settings
        alike."""
        if self.shown_for is None:
            return False
        shown, shown_key = self.shown_for
        return shown() is project and shown_key == key

    def _show_stored(self, project):
        """The backtest the project keeps, when it ran with the settings of now; else
        none, with a line saying why when there was one."""
        stored = project.selection.backtest
        if stored and stored.get("fingerprint") == settings_fingerprint(project):
            self.show_result(stored)
            self.status.setText("The latest backtest of these settings.")
        elif stored or self.result is not None:
            self.show_result(None)
            self.status.setText("The project changed since the last backtest. Press "
                                "Run backtest.")

    def _inputs(self):
        """``(data, settings)`` of the project's series, or raise EngineError."""
        if self.session.table is None:
            raise EngineError("Load the data file (step 2) to backtest on it.")
        project = self.session.project
        data = series_of(self.session.table, project.dataset_config())
        return data, trained_settings(project, data)[0]

    def _show_room(self):
        """Limit the origins to those the series leave room for, say so, and return the
        backtest's settings (None when it cannot run)."""
        try:
            data, settings = self._inputs()
            most = most_origins(data, settings)
        except EngineError as error:
            self.room.setText(str(error))
            self.room.setVisible(True)
            self.run_button.setEnabled(False)
            return None
        self.origins.setMaximum(max(most, 1))
        self.run_button.setEnabled(most > 0)
        if most == 0:
            self.room.setText("The series are too short for even one origin with this "
                              "lookback and steps ahead; shorten them on step 2.")
        elif most < 20:
            self.room.setText(f"The longest series leaves room for "
                              f"{counted(most, 'origin')} with a lookback of "
                              f"{settings.lookback} and {counted(settings.horizon, 'step')} "
                              "ahead (a shorter lookback leaves room for more).")
        else:
            self.room.setText("")
        self.room.setVisible(bool(self.room.text()))
        return settings

    def _runs_on_edited(self):
        project = self.session.project
        if self._loading or project is None:
            return
        text = self.runs_on.text().strip() or None
        if project.selection.settings.get("scheduler") != text:
            project.selection.settings["scheduler"] = text
            self.session.touch()

    def shown_measure(self):
        """``(key, label)`` of the measure chosen for the table and the plot."""
        return next(m for m in MEASURES if m[0] == self.measure.currentData())

    def show_result(self, result):
        """The table, the plot and the sentence of ``result`` (None: empty), the table and
        the plot in the measure chosen, of the target chosen."""
        self.result = result
        offer_targets(self.target_row, self.target_box,
                      target_names(result) if result else [])
        target = self.shown_target()
        result = of_target(result, target) if result else None
        key, measure = self.shown_measure()
        folds = result["origins"] if result else []
        rows = [(origin_label(f["origin"], len(folds)), "\u2013" if f["series_scored"] is None
                 else str(f["series_scored"]), f["summary"]) for f in folds]
        if result:
            rows.append(("mean", "", result["mean"]))
        if result and "median" in result and len(folds) >= MEDIAN_FROM:
            rows.append(("median", "", result["median"]))      # not moved by one origin
        self.table.setRowCount(len(rows))
        digits = table_digits(summary[name][key] for _, _, summary in rows
                              for name, _ in METHODS)
        for r, (label, count, summary) in enumerate(rows):
            self._fill_row(r, label, count, summary, digits)
        self._fit_height()
        self.verdict.setText(verdict_text(result, target, self.result))
        self.verdict.setVisible(result is not None)
        # in time order: the earliest origin on the left
        ordered = folds[::-1]
        x = [len(folds) + 1 - f["origin"] for f in ordered]
        for name, item in self.curves.items():
            item.setData(x, [f["summary"][name][key] for f in ordered])
        self.plot.setTitle(f"{measure} by origin (lower is better)", size="10pt")
        self.plot.setLabel("left", measure)
        self.plot.getAxis("bottom").setTicks(
            [[(p, origin_label(f["origin"], len(folds))) for p, f in zip(x, ordered)]])
        self.plot.enableAutoRange()
        if folds:                       # room for the first and last ticks' labels
            self.plot.setXRange(0.5, len(folds) + 0.5, padding=0)

    def _fill_row(self, r, label, count, summary, digits=TABLE_DIGITS):
        """Row ``r``: the origin, its series and each method's figure in the measure
        shown to ``digits`` significant digits (the table's, trailing zeros kept, as the
        other tables of scores show them), the network's coloured by whether it beats every
        other method."""
        key, _ = self.shown_measure()
        cells = [(label, None), (count, None)]
        for name, _ in METHODS:
            value = summary[name][key]
            color = None
            if name == "network":
                others = min(summary[m][key] for m, _ in METHODS[1:])
                color = BETTER if value < others else WORSE
            text = number(value, digits) if np.isfinite(value) else "–"
            cells.append((text, color))
        fill_row(self.table, r, cells, bold=label in ("mean", "median"), words=COLOUR_WORDS)

    def _fit_height(self):
        self.table.resizeRowsToContents()
        fit_height(self.table)

    # -- running ---------------------------------------------------------------------------
    def run(self):
        """Start the backtest of the project's series in the worker thread."""
        if self.runner.running or self.session.project is None:
            return
        try:
            data, settings = self._inputs()
        except EngineError as error:
            self.status.setText(f"<span style='color:{WORSE}'>{error}</span>")
            return
        origins = self.origins.value()
        # the settings it runs with: an edit made meanwhile leaves the result out of date
        self.run_for = (self.session.project, settings_fingerprint(self.session.project))
        self.started = time.monotonic()
        self.show_result(None)
        self._count_origins(0, origins)
        self.progress.setVisible(True)
        self.done = None
        self.stopping = False
        self.stage_text = "Backtest: starting"
        self._show_stage()
        self.clock.start()
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.origins.setEnabled(False)
        self.runner.start(run_backtest, data, settings, origins,
                          min(self.workers.value(), origins),
                          self.runs_on.text().strip() or None)

    def stop(self):
        self.runner.stop()
        self.stop_button.setEnabled(False)
        self.done = None
        self.stopping = True
        self.stage_text = "Stopping the backtest"
        self._show_stage()

    @Slot(str)
    def _on_stage(self, text):
        if self.stopping:
            return
        self.stage_text = text
        self._show_stage()

    @Slot(object)
    def _on_step(self, done):
        """An origin is done (:class:`~engine.many.folds.OriginsDone`); one that ends
        after Stop was pressed changes nothing, as nothing of the run is kept."""
        if self.stopping:
            return
        self._count_origins(done.done, done.total)
        self.done = (done, time.monotonic())
        self._show_stage()

    def _count_origins(self, done, total):
        """The bar at ``done`` of ``total`` origins: "0 of 1 origin done"."""
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"%v of {counted(total, 'origin')} done")

    def _show_stage(self):
        """The stage, the origins done and the time left (estimated at the last origin
        done, less the time since), and the time since the start: "Fitting 3 origins on
        local processes: 2 of the 3 origins done; time left: about 7:30 (900 s)"; no time left
        before a whole round of origins has ended (:class:`~engine.many.folds.OriginsDone`)."""
        elapsed = f"({time.monotonic() - self.started:.0f} s)"
        if self.done is None:
            self.status.setText(f"{self.stage_text}... {elapsed}")
            return
        done, when = self.done
        left = "" if done.done == done.total or done.left is None else \
            f"; time left: about {format_seconds(done.left - (time.monotonic() - when))}"
        self.status.setText(f"{self.stage_text}: {counted_of(done.done, done.total, 'origin')} "
                            f"done{left} {elapsed}")

    @Slot()
    def _let_go(self):
        """The backtest was let go: its result never arrives, the controls come back."""
        self._ended("")

    def _ended(self, text):
        """The run is over: the controls back, ``text`` in the status line."""
        self.clock.stop()
        self.progress.setVisible(False)
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.origins.setEnabled(True)
        self.status.setText(text)

    @Slot(object)
    def _on_finished(self, result):
        project, fingerprint = self.run_for
        project.selection.backtest = {**json_ready(result), "fingerprint": fingerprint}
        if project is not self.session.project:
            self._ended("")
            return
        self.session.touch()               # kept in the project: step 5 is done
        count = len(result["origins"])
        self._ended(f"Finished: {counted(count, 'origin')} in "
                    f"{time.monotonic() - self.started:.0f} s.")
        if fingerprint == settings_fingerprint(project):
            self.show_result(result)
        else:
            self._show_stored(project)

    @Slot(object)
    def _on_failed(self, error):
        self._ended(f"<span style='color:{WORSE}'>The backtest could not run: "
                    f"{failure_text(error)}</span>")

    @Slot()
    def _on_cancelled(self):
        self._ended("The backtest was stopped; nothing was kept.")
