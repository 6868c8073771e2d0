"""Step 4 for a project of many series: one global network trained over every series
(:func:`engine.many.project_fit.train_many_project`, in the training page's TaskRunner).

The settings the global fit uses (epochs, learning rate, batch, patience, loss, seed,
networks averaged, the training windows per series and the weights' average:
:mod:`app.pages.many_windows`) are on the form, showing the fit's defaults until the person changes
them; those it does not use (the optimizer, L2) are shown disabled and say why. While it
trains: the errors by epoch, the progress with the time left and the stages; at the end:
why it stopped, the size of the network, the windows and series it learned from, and the
testing scores beside the comparators."""

import copy
import html
from dataclasses import fields

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QComboBox, QGroupBox, QLabel, QMessageBox, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from engine.errors import NothingTrained
from engine.many.evaluation import network_subject
from engine.many.every_target import comparison_targets, stored_summaries
from engine.many.fit_notes import window_words
from engine.many.global_model import GlobalSettings, reach_words
from engine.many.project_fit import TRAINING_KEYS, record_many_fit, train_many_project
from engine.training.members import WAITING_STAGE, MembersDone
from engine.training.settings import MAX_MEMBERS
from engine.training.time_left import CHOICE_STAGE, format_seconds
from engine.words import counted, counted_of, the_last

from ..widgets.controls import combo, select, spin_box
from ..widgets.narrow import FlowLayout, SideBySide, holder, letters_wide
from ..workers import failure_text
from .many_data import note_lines
from .many_scores import scores_table, show_scores, verdict_text
from .many_windows import WindowChoices
from .target_choice import offer_targets, target_row
from .training_parts import (LOSSES, PROGRESS_FORMAT, LossCurves, enable_export,
                             epoch_progress, is_model_notice, model_notice, progress_format,
                             settings_form, show_done, training_let_go_note)

NOT_USED = ("A network of many series always trains with {what}: this setting is used only "
            "for a project of one series.")
ERROR = "<span style='color:#b00020'>{}</span>"
# the stages that train a network from its first epoch: a candidate window's, the fit's
NETWORK_STAGES = (CHOICE_STAGE, "Training")
# and those that train networks: with the wait for the networks on the other cores
TRAINING_STAGES = NETWORK_STAGES + (WAITING_STAGE,)
DONE = "✓"
STOPPED = ("■", "Stopped")
FAILED = ("✗", "Failed")
NOTHING_KEPT = "no model was trained"
BEST_KEPT = "the best weights so far are kept and scored"
EARLIER_KEPT = " The model trained before stays in use."


def ending_line(mark, word, stage, kept):
    """The bold line of a training that a Stop or a failure ended in the stage ``stage``
    (its text; "" before the first): "■ Stopped in “Training network 2 of 3”: the best
    weights so far are kept and scored.", "✗ Failed in “Scaling each series”: no model
    was trained." (``kept``: what the project keeps)."""
    where = f" in “{stage}”" if stage else ""
    return f"{mark} {word}{where}: {kept}."


def global_defaults():
    """The global fit's own value of every setting on the form
    (:class:`~engine.many.global_model.GlobalSettings`)."""
    defaults = {f.name: f.default for f in fields(GlobalSettings)}
    return {key: defaults[key] for key in TRAINING_KEYS}


def effective_settings(project):
    """The settings the global fit of ``project`` uses: the person's choices, else the
    fit's defaults."""
    chosen = project.training.to_dict()
    return {key: chosen[key] if chosen.get(key) is not None else value
            for key, value in global_defaults().items()}


def _reach(summary):
    """What the network forecasts, from a training summary's ``horizon`` (the steps at
    once) and ``steps``."""
    at_once = summary.get("horizon")
    return f"forecasting {reach_words(summary.get('steps') or at_once, at_once)}"


def result_text(summary):
    """Why a training of many series stopped and what it learned from, as rich text."""
    weights = summary.get("weights")
    size = f"{weights:,} weights, " if weights else ""
    return (f"<b>{html.escape(summary.get('stop_reason', ''))}</b><br>The network: {size}"
            f"trained on {summary.get('training_windows', 0):,} windows of "
            f"{summary.get('series', 0):,} series (each {summary.get('lookback')} rows, "
            f"{_reach(summary)}), "
            f"{counted(int(summary.get('epochs') or 0), 'epoch')} in "
            f"{format_seconds(summary.get('seconds', 0))}.")


def testing_title(comparison, target=None):
    """The heading of the scores table, of ``target`` (a name; None: the first target)
    of the project's ``comparison``: with several targets it names the one shown, and
    says when the project keeps the first target's scores alone (written before it kept
    every target's: step 6 scores each). The model is named as its scores name it
    (:func:`~engine.many.evaluation.network_subject`: the linear autoregression, for a fit
    that kept its linear start)."""
    if not comparison:
        return ("<b>Testing</b>: no testing rows (step 2 keeps none at the end of every "
                "series), so the network was not scored.")
    targets = comparison.get("targets") or []
    held = comparison_targets(comparison)
    target = comparison.get("target") if target not in held else target
    which = ""
    if len(targets) > 1:
        which = f" of {html.escape(str(target))}" + (
            "" if len(held) > 1 else f", the first of {len(targets)} targets (step 6 "
                                     "scores each)")
    rows = the_last(comparison.get("steps") or 0, "row")
    scored = held.get(target) or comparison
    return (f"<b>Testing</b>{which}: {rows} of {scored.get('series_scored') or 0:,} series, "
            f"which {network_subject(scored.get('summary'))} never learned from")


class ManyTrainingView(QWidget):
    """The training page's content for a project of many series. The page starts and
    stops it (:meth:`start`, :meth:`stop`) and hands it the signals of its ``runner``
    (:meth:`on_stage` ...)."""

    def __init__(self, session, runner):
        super().__init__()
        self.session = session
        self.runner = runner
        self.trained_copy = None
        self.reports = []
        self.stages = []
        self.marks = {}                 # {index of a stage: its mark other than DONE}
        self._stopped_at = None         # the index of the stage running at Stop
        self._loading = False
        self._shown = None              # (project, training summary) on screen
        left_panel = QWidget()
        left_panel.setLayout(self._build_left())
        left_panel.setMaximumWidth(letters_wide(left_panel, 73))
        sides = SideBySide(left_panel, holder(self._build_right()), stretches=(2, 5))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(sides)

    def _build_left(self):
        """The settings, Start/Stop/Export, the progress and the stages."""
        self.start_button = QPushButton("&Start training")
        self.start_button.setToolTip("Train one network over every series in the "
                                     "background; the window stays usable.")
        self.stop_button = QPushButton("S&top")
        self.stop_button.setToolTip("Stop now and keep the weights of the best epoch so far; "
                                    "the network is then scored on the testing rows.")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.export_button = QPushButton("Ex&port model file...")
        self.export_button.setToolTip("Write the trained model (weights and each series' "
                                      "scaling) to a file of your choice.")
        buttons = FlowLayout()
        for button in (self.start_button, self.stop_button, self.export_button):
            buttons.addWidget(button)
        self.progress = QProgressBar()
        self.progress.setFormat(PROGRESS_FORMAT)
        self.progress.setToolTip("Epochs done out of the maximum; early stopping usually "
                                 "ends sooner.")
        self.progress_label = QLabel("Not trained yet.")
        self.progress_label.setWordWrap(True)
        self.stage_now = QLabel()
        self.stage_now.setWordWrap(True)
        self.stage_now.setToolTip("What the training does now.")
        self.stage_lines = QLabel()
        self.stage_lines.setWordWrap(True)
        self.stage_lines.setToolTip("What the training has done so far.")
        left = QVBoxLayout()
        left.addLayout(buttons)
        self.let_go_note = training_let_go_note(self.runner)
        # what runs above the settings, so that a window of 680 rows shows it unscrolled
        for widget in (self.stage_now, self.progress, self.progress_label, self.let_go_note,
                       self._build_settings(), self.stage_lines):
            left.addWidget(widget)
        left.addStretch(1)
        return left

    def _build_settings(self):
        self.loss = combo(LOSSES, "The error the training lowers, on each series' own "
                          "scale. Mean absolute error (the default here) suits the "
                          "percentage errors the series are scored with.")
        self.optimizer = QComboBox()
        self.optimizer.addItem("Adam")
        self.optimizer.setEnabled(False)
        self.optimizer.setToolTip(NOT_USED.format(what="Adam"))
        self.learning_rate = spin_box(1e-5, 10.0, "The step size of Adam's updates (default "
                                      "0.001); halved when the selection error stalls.",
                                      decimals=5, step=0.0005)
        self.l2 = spin_box(0, 10, NOT_USED.format(what="no L2 regularization"), decimals=5)
        self.l2.setEnabled(False)
        self.batch_size = spin_box(1, 100000, "Windows per weight update (default 256): the "
                                   "windows of many series are many.")
        self.max_epochs = spin_box(1, 100000, "The most passes over the training windows "
                                   "(default 40); early stopping usually ends sooner.")
        self.patience = spin_box(0, 100000, "Early stopping: stop after this many epochs "
                                 "without a better selection error (default 6; 0 turns it "
                                 "off). The weights of the best epoch are kept.")
        self.seed = spin_box(0, 2**31 - 1, "The random seed of the initial weights and the "
                             "shuffling: the same seed gives the same network.")
        self.members = spin_box(1, MAX_MEMBERS, "Train this many networks, from the seeds "
                                "seed, seed + 1, ..., and average them into one. Training "
                                "takes that many times longer.")
        self.editors = {"loss": self.loss, "learning_rate": self.learning_rate,
                        "batch_size": self.batch_size, "max_epochs": self.max_epochs,
                        "patience": self.patience, "seed": self.seed, "members": self.members}
        form = settings_form(self)
        self.window_choices = WindowChoices(form, self._store_windows)
        note = QLabel("One network learns from every series. Settings a network of many "
                      "series does not use are greyed out.")
        note.setWordWrap(True)
        self.loss.currentIndexChanged.connect(lambda *_: self._store("loss"))
        for key in ("learning_rate", "batch_size", "max_epochs", "patience", "seed",
                    "members"):
            self.editors[key].valueChanged.connect(lambda *_, k=key: self._store(k))
        self.settings_box = QGroupBox("Training settings: one network over all series")
        inside = QVBoxLayout(self.settings_box)     # a form's row gave the wrapped note too
        inside.addLayout(form)                      # few lines at some widths: it was cut
        inside.addWidget(note)
        return self.settings_box

    def _build_right(self):
        """The errors by epoch, the result and the testing scores."""
        self.losses = LossCurves()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.testing_title = QLabel()
        self.testing_title.setWordWrap(True)
        self.target_row, self.target_box = target_row(
            "T&arget:", "The target whose scores on the testing rows are shown.",
            self._target_chosen)
        self.scores = scores_table()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setToolTip("By OWA: sMAPE and MASE together, relative to Naive2.")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)     # note_lines: one note too
        right = QVBoxLayout()
        right.addWidget(self.losses.plot, 1)
        for widget in (self.result, self.target_row, self.testing_title, self.scores,
                       self.verdict, self.notes):
            right.addWidget(widget)
        return right

    # -- settings --------------------------------------------------------------------------
    def refresh(self):
        """Show the project's settings and, unless a training runs, its stored training."""
        project = self.session.project
        if project is None:
            return
        settings = effective_settings(project)
        self._loading = True
        select(self.loss, settings["loss"])
        for key in TRAINING_KEYS:
            if key != "loss":
                self.editors[key].setValue(settings[key])
        self.window_choices.show(project.training)
        self._loading = False
        enable_export(self.export_button, self.session, self.runner.running)
        if not self.runner.running:
            self._show_stored_training()
            self._mark_out_of_date()
            self._untrained_bar()

    def _untrained_bar(self):
        """The bar of a project without a training of many series: at most the epochs
        of the form (not a candidate's of a training that ended)."""
        if (self.session.project.results.training or {}).get("kind") != "many_series":
            self.progress.setMaximum(self.max_epochs.value())

    def _store(self, key):
        """Keep a setting the person changed in the project."""
        if self._loading or self.session.project is None:
            return
        editor = self.editors[key]
        value = editor.currentData() if key == "loss" else editor.value()
        setattr(self.session.project.training, key, value)
        self.session.touch()
        self._mark_out_of_date()

    def _store_windows(self):
        """Keep the training windows per series and the weights' average the person
        chose in the project."""
        if self._loading or self.session.project is None:
            return
        self.window_choices.store(self.session.project.training)
        self.session.touch()
        self._mark_out_of_date()

    def _mark_out_of_date(self):
        notice = model_notice(self.session)
        if notice is not None:
            self.progress_label.setText(notice)
        elif is_model_notice(self.progress_label.text()):
            self.progress_label.setText(
                self._trained_text(self.session.project.results.training or {}))

    @staticmethod
    def _trained_text(summary):
        if summary.get("kind") != "many_series":
            return "Not trained yet."
        return f"Trained: {counted(int(summary.get('epochs') or 0), 'epoch')}."

    # -- the stored training ---------------------------------------------------------------
    def _show_stored_training(self):
        """The project's own training of many series (its loss history, result and
        scores), or an empty view."""
        project = self.session.project
        summary = project.results.training or {}
        if self._shown is not None and self._shown[0] is project and self._shown[1] is summary:
            return
        self._shown = (project, summary)
        self._clear()
        self.progress_label.setText(self._trained_text(summary))
        if summary.get("kind") != "many_series":
            return
        self.losses.show_history(summary)
        show_done(self.progress, summary)
        self._show_result(summary, project.results.comparison)

    def _clear(self):
        self.losses.clear()
        self.progress.setFormat(PROGRESS_FORMAT)
        self.progress.setValue(0)
        self.stages = []
        self.marks = {}
        self._stopped_at = None
        self._show_stages()
        self._show_result(None, None)

    def _show_result(self, summary, comparison):
        """The stop reason, the network's size and data, and the testing scores of the
        target chosen (the first, until another is chosen) among those the project
        keeps."""
        self.result.setText(result_text(summary) if summary else "")
        offer_targets(self.target_row, self.target_box, list(
            comparison_targets(comparison)) if summary is not None else [])
        self._show_target(summary, comparison)

    def _show_target(self, summary, comparison):
        """The testing title, scores, verdict and notes of the target chosen."""
        shown = summary is not None
        held = comparison_targets(comparison)
        target = self.target_box.currentText() if len(held) > 1 else \
            (comparison or {}).get("target")
        scores = held.get(target) or {}
        self.testing_title.setText(testing_title(comparison, target) if shown else "")
        self.testing_title.setVisible(shown)
        show_scores(self.scores, scores.get("summary") if shown else None)
        self.scores.setVisible(bool(shown and scores.get("summary")))
        several = len((comparison or {}).get("targets") or ()) > 1
        self.verdict.setText(verdict_text(
            scores.get("summary"), target, stored_summaries(comparison) if several else
            None, several) if shown else "")
        notes = [window_words(note) for note in (summary or {}).get("notes", [])] + \
            list(scores.get("notes") or [])     # a project of fit --series written before
        self.notes.setText("<br>".join(note_lines(notes)))

    @Slot(int)
    def _target_chosen(self, index):
        if index >= 0 and self.session.project is not None:
            results = self.session.project.results
            self._show_target(results.training, results.comparison)

    # -- running ---------------------------------------------------------------------------
    def start(self):
        """Train a copy of the project in the runner; returns that copy."""
        self.reports = []
        self._clear()
        self.progress.setRange(0, self.max_epochs.value())
        self.progress_label.setText("Preparing the series...")
        self._set_running(True)
        self.trained_copy = copy.deepcopy(self.session.project)
        self.runner.start(train_many_project, self.trained_copy, table=self.session.table,
                          model_path=self.session.model_path_for_training())
        return self.trained_copy

    def stop(self):
        """Stop the training: the fit keeps its best epoch so far and scores it; the
        window's choice keeps nothing; once the network is trained nothing stops (the
        comparators' forecasts and the scores run to their end)."""
        self.runner.stop()
        self._stopped_at = len(self.stages) - 1 if self.stages else None
        self.stop_button.setEnabled(False)
        if self._choosing():
            text = "Stopping the choice of the window; no model is trained..."
        elif self._trained():
            text = ("The network's training has ended, so Stop cuts nothing: the "
                    "comparators' forecasts and the scores run to their end...")
        else:
            text = ("Stopping after the current batch; the best epoch so far is kept and "
                    "scored...")
        self.progress_label.setText(text)

    def _choosing(self):
        """Whether the stage running is the window's choice."""
        return bool(self.stages) and self.stages[-1].startswith(CHOICE_STAGE)

    def _trained(self):
        """Whether the fit's network has ended its training: a stage after it runs (the
        comparators' forecasts), which a Stop does not cut (the engine checks for a Stop
        only while the window is chosen and while a network trains)."""
        return len(self.stages) > 1 and not self.stages[-1].startswith(TRAINING_STAGES) \
            and any(stage.startswith("Training") for stage in self.stages[:-1])

    def _set_running(self, running):
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.settings_box.setEnabled(not running)
        self.settings_box.setTitle("Training settings (locked while the network trains)"
                                   if running else
                                   "Training settings: one network over all series")
        enable_export(self.export_button, self.session, running)

    def _show_stages(self, ending=None):
        """The stage running in bold above the progress bar, or once the training ended,
        ``ending`` there instead (:func:`ending_line`; "" when it ran to its end: nothing);
        the stages done under the settings, each with its mark: ✓ done, and ■ the one a
        Stop cut short or ✗ the one that failed (:attr:`marks`)."""
        running = bool(self.stages) and ending is None
        now = f"… {self.stages[-1]}" if running else ending or ""
        self.stage_now.setText(f"<b>{html.escape(now)}</b>" if now else "")
        self.stage_now.setVisible(bool(now))
        self.stage_lines.setText("<br>".join(
            f"{self.marks.get(k, DONE)} {html.escape(text)}"
            for k, text in enumerate(self.stages[:len(self.stages) - running])))

    def _end_stage(self, mark, word, kept):
        """The stage running ended by a Stop or a failure (``mark`` and ``word``:
        :data:`STOPPED` or :data:`FAILED`), with ``kept`` said after it."""
        at = self._stopped_at if mark == STOPPED[0] else len(self.stages) - 1
        if self.stages and at is not None:
            self.marks[at] = mark
        stage = self.stages[at] if self.stages and at is not None else ""
        self._show_stages(ending_line(mark, word, stage, kept))

    @Slot(str)
    def on_stage(self, text):
        """A new stage, shown in bold above the progress bar (the label under the bar
        shows the epochs of a stage that trains a network, never the stage again)."""
        self.stages.append(text)
        self._show_stages()
        self.progress.setFormat(progress_format(text))
        if text.startswith(NETWORK_STAGES):
            self.reports = []
            self.losses.clear()
            # busy until its first epoch says how many at most: neither the last
            # network's last epoch nor a maximum of the form's, which a candidate lowers
            self.progress.setRange(0, 0)
        elif text.startswith(WAITING_STAGE):    # the other cores' networks tell no epochs
            self.progress.setRange(0, 0)
        self.progress_label.setText("")

    @Slot(object)
    def on_epoch(self, report):
        self.reports.append(report)
        self.losses.show_reports(self.reports)
        self.progress.setMaximum(report.max_epochs)
        self.progress.setValue(report.epoch)
        self.progress_label.setText(epoch_progress(self.stages[-1] if self.stages else
                                                   "Training", report))

    @Slot(object)
    def on_preview(self, payload):
        """A global fit sends no previews."""

    @Slot(object)
    def on_step(self, payload):
        """The networks done of all while the fit waits for those training on the other
        cores (:class:`~engine.training.members.MembersDone`), under the bar (the stage
        says what it waits for)."""
        if isinstance(payload, MembersDone):
            done = counted_of(payload.done, payload.total, "network")
            self.progress_label.setText(done[0].upper() + done[1:] + " done.")

    @Slot(object)
    def on_finished(self, outcome):
        """Record the training into the project (the edits made meanwhile stay, and mark
        it out of date) and show its result."""
        fit, model_path = outcome
        self._set_running(False)
        stopped = fit.cancelled
        if stopped:
            self._end_stage(*STOPPED, BEST_KEPT)
        else:
            self._show_stages("")
        trained = record_many_fit(self.trained_copy, fit, model_path)
        project = self.session.project
        project.results = trained.results
        project.set_model_file(self.session.model_path())
        self.session.keep_trained_model(model_path)
        self._shown = (project, project.results.training)
        self.session.touch()
        self.losses.show_history(project.results.training)
        show_done(self.progress, project.results.training)
        self.progress_label.setText(self._finished_text(stopped) + " Save the project to "
                                    "keep this model; Export model file... writes a copy "
                                    "anywhere.")
        enable_export(self.export_button, self.session, False)
        self._show_result(project.results.training, project.results.comparison)
        self._mark_out_of_date()

    def _finished_text(self, stopped):
        """How a training that gave a model ended, under the bar: ``stopped``, a Stop cut
        its network's training short; a Stop that came once the training had ended cut
        nothing, and is said so."""
        if stopped:
            return "Stopped: the best weights so far were kept and scored."
        if self._stopped_at is not None:
            return ("Finished: Stop came after the network's training had ended, so it cut "
                    "nothing; the training ran to its end and the model was scored.")
        return "Finished."

    @Slot(object)
    def on_failed(self, error):
        """A failure, or a Stop before the fit's first epoch ended (its model cannot be
        saved: :class:`~engine.errors.NothingTrained`): said in the bold line and under
        the bar; a failure in a message too, also one that follows a Stop (what ended the
        fit is the failure)."""
        if isinstance(error, NothingTrained):
            self.on_cancelled()
            return
        self._stopped_at = None
        message = failure_text(error)
        self._set_running(False)
        self._end_without_model(*FAILED, "The training could not run.")
        self.result.setText(ERROR.format(html.escape(message)))
        QMessageBox.warning(self, "Training failed", message)

    @Slot()
    def on_cancelled(self):
        self._set_running(False)
        self._end_without_model(*STOPPED, "Stopped while the window was being chosen; no "
                                "model was trained." if self._choosing() else
                                "Stopped before the first epoch ended; no model was "
                                "trained.")

    def _end_without_model(self, mark, word, text):
        """After a Stop or a failure (``mark``, ``word``: :data:`STOPPED` or
        :data:`FAILED`) that trained no model: the project's own training again (not the
        empty plots of the one that ended), the stages with the one that ended marked,
        and ``text`` under the bar, saying that the earlier model stays when there is
        one."""
        stages, at = self.stages, self._stopped_at
        self._shown = None
        self._show_stored_training()
        self._untrained_bar()
        self.stages, self._stopped_at = stages, at
        self._end_stage(mark, word, NOTHING_KEPT)
        earlier = self.session.trained_model() is not None
        self.progress_label.setText(text + (EARLIER_KEPT if earlier else ""))
