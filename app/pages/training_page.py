"""Step 4: train the network. Settings with their defaults explained, Start and Stop, live
plots of the training and selection errors and of predictions against targets on the
selection part, a progress bar with the time left, and why the training stopped."""

import copy
import html

import numpy as np

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import (QGroupBox, QLabel, QMessageBox,
                               QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)

from engine import EngineError
from engine.errors import NothingTrained
from engine.atomic import atomic_write_bytes
from engine.training.automatic import is_large_data, training_settings
from engine.training.choice_start import last_choices
from engine.training.fitting import record_fit, train_project
from engine.project.model_status import settings_fingerprint
from engine.testing.analysis import plot_axis
from engine.testing.verdict import WINDOW, selection_verdict
from engine.training.settings import DEFAULT_LEARNING_RATES, MAX_MEMBERS
from engine.training.share_words import share_text
from engine.words import counted, verb

from .. import file_dialogs
from ..steps import DEPLOY_ROW
from ..widgets.controls import combo, select, spin_box
from ..widgets.narrow import FlowLayout, SideBySide, holder, letters_wide
from ..widgets.plots import COLORS, curve
from ..widgets.time_plot import TimePlot
from ..workers import TaskRunner, failure_text
from .deploy.export_tab import EXPORTED_MODEL
from .deploy.texts import default_path
from .deploy.tool import refuses_target
from .many_training import ManyTrainingView
from .page_views import ViewStack
from .training_parts import (LOSSES, PROGRESS_FORMAT, LossCurves, enable_export,
                             epoch_sentence, is_model_notice, model_notice, progress_format,
                             settings_form, show_done, training_let_go_note)

RUN_SIGNALS = ("stage", "epoch", "preview", "step", "finished", "failed", "cancelled")
MEMBERS_FORMAT = "%v of %m networks done"
OPTIMIZERS = [("adam", "Adam"), ("sgd", "Stochastic gradient descent"),
              ("rmsprop", "RMSprop"), ("lbfgs", "Quasi-Newton (L-BFGS), small data")]
REDRAW_MS = 150
PREDICTION_TITLE = "Selection part"     # the legend names the target and the prediction


def _number(value):
    """A score as four significant digits, or "not a number" when it was saved as null."""
    return f"{value:.4g}" if isinstance(value, (int, float)) else "not a number"


def _trained_text(summary):
    if not summary:
        return "Not trained yet."
    return f"Trained: {counted(int(summary.get('epochs') or 0), 'epoch')}."


def _settings_text(settings):
    """The settings a training used, in one sentence."""
    optimizer = dict(OPTIMIZERS).get(settings.get("optimizer"), settings.get("optimizer"))
    patience = settings.get("patience")
    stopping = f"patience {patience}" if patience else "no early stopping"
    return (f"Trained with {optimizer}, learning rate {settings.get('learning_rate')}, "
            f"batch {settings.get('batch_size')}, up to {settings.get('max_epochs')} epochs, "
            f"{stopping}.")


class TrainingPage(QWidget):
    """Step 4. A project of many series shows :class:`ManyTrainingView` instead of the
    page's own content; both train through the page's one :attr:`runner`, whose signals
    go to the view that started the training."""

    def __init__(self, session):
        super().__init__()
        self.session = session
        self._loading = False
        self.runner = TaskRunner(self)
        self.many = ManyTrainingView(session, self.runner)
        self.many.start_button.clicked.connect(self.start)
        self.many.export_button.clicked.connect(self.export_model)
        self._many_run = False          # the running training is the view of many series'
        for name in RUN_SIGNALS:
            getattr(self.runner, name).connect(lambda *args, n=name: self._relay(n, args))

        left_panel = QWidget()
        left_panel.setLayout(self._build_form())
        left_panel.setMaximumWidth(letters_wide(left_panel, 73))
        self.single = SideBySide(left_panel, holder(self._build_plots()), stretches=(2, 5))
        self.views = ViewStack(self.single, self.many)
        self.let_go_notes = [self.let_go_note, self.many.let_go_note]
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.views)
        self._connect_settings()

        self.reports = []
        self.preview = None
        self._positions = None      # (rows of the preview, their x positions and axis)
        self.stage = ""
        self.members_done = None    # the networks done of all while the others train
        self._shown = None          # (project, training summary) on screen
        self._dirty_plots = False
        self._new_preview = False
        self.redraw_timer = QTimer(self)
        self.redraw_timer.setInterval(REDRAW_MS)
        self.redraw_timer.timeout.connect(self._redraw)

    def _build_form(self):
        """The left side: the settings, Start/Stop/Export, the progress and the result."""
        left = QVBoxLayout()
        left.addWidget(self._build_settings())
        left.addLayout(self._build_buttons())
        self.progress = QProgressBar()
        self.progress.setToolTip("Epochs done out of the maximum; early stopping usually "
                                 "ends sooner.")
        self.progress.setFormat(PROGRESS_FORMAT)
        self.progress_label = QLabel("Not trained yet.")
        self.progress_label.setWordWrap(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setToolTip("The network's one-step error on the selection part beside "
                                "exponential smoothing, the Theta method and a linear "
                                "autoregression fitted on the rows before it (recursive "
                                "forecasts for a model of several steps ahead).")
        left.addWidget(self.progress)
        left.addWidget(self.progress_label)
        self.let_go_note = training_let_go_note(self.runner)
        left.addWidget(self.let_go_note)
        left.addWidget(self.result)
        self.verdict.setVisible(False)
        left.addWidget(self.verdict)
        left.addStretch(1)
        return left

    def _build_settings(self):
        self.loss = combo(LOSSES, "The error the training lowers. Mean squared error "
                                "suits most data; mean absolute error and Huber are less "
                                "swayed by outliers.")
        self.optimizer = combo(OPTIMIZERS, "How the weights are updated. Adam works "
                                     "well almost always; L-BFGS can be faster on small data.")
        self.learning_rate = spin_box(
            1e-5, 10.0, "The step size of the updates. Until you change it, the optimizer's "
            "own default: 0.003 for Adam, 0.01 for SGD, 0.001 for RMSprop, 1 for L-BFGS. Too "
            "large and the error jumps about or explodes; too small and training crawls. It "
            "is halved when the selection error stalls.", decimals=5, step=0.001)
        self.l2 = spin_box(0, 10, "L2 regularization: pulls weights towards zero, which can "
                           "reduce overfitting. 0 turns it off (the default).", decimals=5,
                           step=0.0001)
        self.batch_size = spin_box(1, 100000, "Windows per weight update (default 32; 128 on "
                                   "large data sets). Larger batches are faster per epoch "
                                   "but update less often.")
        self.max_epochs = spin_box(1, 100000, "The most passes over the training windows "
                                   "(default 1000; 100 on large data sets); early stopping "
                                   "usually ends sooner.")
        self.patience = spin_box(0, 100000, "Early stopping: stop after this many epochs "
                                 "without a better selection error (default 60; 8 on large "
                                 "data sets; 0 turns it off). The weights of the best epoch "
                                 "are kept.")
        self.seed = spin_box(0, 2**31 - 1, "The random seed of the initial weights and the "
                             "shuffling: the same seed gives the same network.")
        self.members = spin_box(1, MAX_MEMBERS, "Train this many networks, each from its "
                                "own seed (the seed, the seed + 1, ...), and average their "
                                "predictions. One network can vary a lot from seed to seed on "
                                "short data; the average varies much less. Training takes "
                                "that many times longer. Default: 5 up to 500 training "
                                "windows, 3 up to 2,000, else 1.")
        form = settings_form(self)
        self.defaults_note = QLabel()
        self.defaults_note.setWordWrap(True)
        self.defaults_note.setToolTip("Settings you have not changed follow the size of the "
                                      "data set; the form shows the values the training "
                                      "will use.")
        form.addRow(self.defaults_note)
        self.settings_box = QGroupBox("Training settings")
        self.settings_box.setLayout(form)
        return self.settings_box

    def _build_buttons(self):
        self.start_button = QPushButton("&Start training")
        self.start_button.setToolTip("Train the network with these settings in the "
                                     "background; the window stays usable.")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setToolTip("Stop now and keep the weights of the best epoch so far.")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        self.export_button = QPushButton("Ex&port model file...")
        self.export_button.setToolTip("Write the trained model (weights, the scaling of each "
                                      "column, window lengths) to a file of your choice, "
                                      "for the command line (rnn-studio predict) or a "
                                      "colleague.")
        self.export_button.clicked.connect(self.export_model)
        buttons = FlowLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.export_button)
        return buttons

    def _build_plots(self):
        """The right side: the errors by epoch and the selection part's predictions."""
        self.losses = LossCurves()
        self.loss_plot = self.losses.plot
        self.training_curve = self.losses.training_curve
        self.selection_curve = self.losses.selection_curve
        self.best_line = self.losses.best_line
        self.prediction_view = TimePlot(PREDICTION_TITLE, x_label="row", legend=True,
                                        name="Selection part: targets and predictions")
        self.prediction_plot = self.prediction_view.plot
        self.prediction_plot.setToolTip("The selection part's true values and the network's "
                                        "one-step-ahead predictions, in the target's units.")
        self.prediction_plot.set_empty_text("Shown during a training")
        self.target_curve = curve(self.prediction_plot, COLORS["target"], "target")
        self.predicted_curve = curve(self.prediction_plot, COLORS["prediction"], "prediction")
        self.prediction_view.follow(self.target_curve)
        right = QVBoxLayout()
        right.addWidget(self.loss_plot, 1)
        right.addWidget(self.prediction_view, 1)
        return right

    def _connect_settings(self):
        for widget, slot in ((self.loss, self._loss_edited),
                             (self.optimizer, self._optimizer_edited)):
            widget.currentIndexChanged.connect(slot)
        for widget, slot in ((self.learning_rate, self._learning_rate_edited),
                             (self.l2, self._l2_edited),
                             (self.batch_size, self._batch_size_edited),
                             (self.max_epochs, self._max_epochs_edited),
                             (self.patience, self._patience_edited),
                             (self.seed, self._seed_edited),
                             (self.members, self._members_edited)):
            widget.valueChanged.connect(slot)

    # -- settings --------------------------------------------------------------------------
    def training_windows(self):
        """The number of training windows of the data as configured (0 before there are)."""
        summary = self.session.data_check()[1] if self.session.project else None
        return summary.counts["training"] if summary is not None else 0

    def holds_many(self):
        """True when the project's data set is a table of many series."""
        return self.session.is_many_series()

    def refresh(self):
        project = self.session.project
        if project is None:
            return
        if not self.runner.running:
            self.views.setCurrentWidget(self.many if self.holds_many() else self.single)
        enable_export(self.export_button, self.session, self.runner.running)
        if self.holds_many():
            self.many.refresh()
            return
        windows = self.training_windows()
        settings = training_settings(project.training.to_dict(), windows)
        self._loading = True
        select(self.loss, settings["loss"])
        select(self.optimizer, settings["optimizer"])
        self.learning_rate.setValue(settings["learning_rate"] or DEFAULT_LEARNING_RATES["adam"])
        self.l2.setValue(settings.get("l2", 0.0))
        self.batch_size.setValue(settings["batch_size"])
        self.max_epochs.setValue(settings["max_epochs"])
        self.patience.setValue(settings["patience"] or 0)
        self.seed.setValue(project.architecture.seed)
        self.members.setValue(settings.get("members", 1))
        self._loading = False
        self.defaults_note.setText(
            f"Large data set ({windows:,} training windows): batch 128, up to 100 epochs and "
            "patience 8 unless you change them." if is_large_data(windows) else "")
        if not self.runner.running:
            self._show_stored_training()
            self._mark_out_of_date()
            if not project.results.training:
                self.progress.setMaximum(self.max_epochs.value())

    def _store(self, **values):
        """Keep settings the person changed in the project (the others follow the data)."""
        if self._loading or self.session.project is None:
            return
        for name, value in values.items():
            setattr(self.session.project.training, name, value)
        self.session.touch()
        self._mark_out_of_date()

    def _loss_edited(self, *args):
        self._store(loss=self.loss.currentData())

    def _optimizer_edited(self, *args):
        """A learning rate left at the previous optimizer's default follows the optimizer:
        the form shows the new one's default, and the project keeps none."""
        if self._loading or self.session.project is None:
            return
        training = self.session.project.training
        chosen = training.to_dict()
        previous = chosen.get("optimizer", "adam")
        if chosen.get("learning_rate") in (None, DEFAULT_LEARNING_RATES.get(previous)):
            training.unset("learning_rate")
            self._loading = True
            self.learning_rate.setValue(DEFAULT_LEARNING_RATES[self.optimizer.currentData()])
            self._loading = False
        self._store(optimizer=self.optimizer.currentData())

    def _learning_rate_edited(self, *args):
        self._store(learning_rate=self.learning_rate.value())

    def _l2_edited(self, *args):
        self._store(l2=self.l2.value())

    def _batch_size_edited(self, *args):
        self._store(batch_size=self.batch_size.value())

    def _max_epochs_edited(self, *args):
        self._store(max_epochs=self.max_epochs.value())

    def _patience_edited(self, *args):
        self._store(patience=self.patience.value() or None)

    def _members_edited(self, *args):
        self._store(members=self.members.value())

    def _seed_edited(self, *args):
        if self._loading or self.session.project is None:
            return
        self.session.project.architecture.seed = self.seed.value()
        self.session.touch()
        self._mark_out_of_date()

    # -- the stored training ---------------------------------------------------------------
    def _show_stored_training(self):
        """Show the project's own training (its loss history and summary), or an empty
        page: never the curves or the result of another project or an earlier training."""
        project = self.session.project
        summary = project.results.training
        self._show_verdict(project.results.comparison if summary else None)
        if self._shown is not None and self._shown[0] is project and self._shown[1] is summary:
            return                          # already on screen (with its live previews)
        self._shown = (project, summary)
        self._clear_plots()
        self.progress.setValue(0)
        self.progress.setFormat(PROGRESS_FORMAT)
        self.progress_label.setText(_trained_text(summary))
        if not summary:
            self.result.setText("")
            return
        self.losses.show_history(summary)
        show_done(self.progress, summary)
        self.result.setText(self._summary_text(summary))

    def _mark_out_of_date(self):
        """Say so when the settings changed since the shown model was trained."""
        notice = model_notice(self.session)
        if notice is not None:
            self.progress_label.setText(notice)
        elif is_model_notice(self.progress_label.text()):
            self.progress_label.setText(_trained_text(self.session.project.results.training))

    def _clear_plots(self):
        self._clear_losses()
        for item in (self.target_curve, self.predicted_curve):
            item.setData([], [])
        self.prediction_plot.setTitle(PREDICTION_TITLE, size="10pt")

    def _clear_losses(self):
        """No error curves and no best epoch (a new training or a new network starts)."""
        self.losses.clear()

    # -- running ---------------------------------------------------------------------------
    def start(self):
        if self.runner.running or self.session.project is None:
            return
        self._many_run = self.holds_many()
        if self._many_run:
            self.views.setCurrentWidget(self.many)
            self.trained_copy = self.many.start()
            return
        self.reports = []
        self.preview = None
        self._new_preview = False
        self._clear_plots()
        self.progress.setRange(0, self.max_epochs.value())
        self.progress.setValue(0)
        self.progress.setFormat(PROGRESS_FORMAT)
        self.progress_label.setText("Preparing the data...")
        self.result.setText("")
        self._show_verdict(None)
        self._set_running(True)
        self.redraw_timer.start()
        # The worker trains a copy: the pages stay editable meanwhile, and an edit made
        # during the training marks its result out of date instead of racing with it.
        self.trained_copy = copy.deepcopy(self.session.project)
        self.fingerprint_at_start = settings_fingerprint(self.session.project)
        self.runner.start(train_project, self.trained_copy, self.session.table,
                          model_path=self.session.model_path_for_training())

    def _set_running(self, running):
        """Start, Stop and the settings while a training runs: the settings are locked
        (the running training uses those it started with) and say so; the keyboard's
        focus goes from the one to the other."""
        had_focus = (self.start_button if running else self.stop_button).hasFocus()
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        if had_focus:
            (self.stop_button if running else self.start_button).setFocus()
        self.settings_box.setEnabled(not running)
        self.settings_box.setTitle("Training settings (locked while the network trains)"
                                   if running else "Training settings")
        enable_export(self.export_button, self.session, running)

    def stop(self):
        if self._many_run:
            self.many.stop()
            return
        self.runner.stop()
        self.stop_button.setEnabled(False)
        self.progress_label.setText("Stopping after the current batch...")

    def _relay(self, name, args):
        """A signal of the running training to the view that started it."""
        if self._many_run:
            getattr(self.many, f"on_{name}")(*args)
        else:
            getattr(self, f"_on_{name}")(*args)

    @Slot(object)
    def _on_epoch(self, report):
        self.reports.append(report)
        self._dirty_plots = True

    @Slot(object)
    def _on_preview(self, preview):
        self.preview = preview
        self._new_preview = True
        self._dirty_plots = True

    @Slot(object)
    def _on_step(self, done):
        """The networks done of all (:class:`~engine.training.members.MembersDone`) while
        this process waits for those training on the other cores, which report no
        epochs."""
        self.members_done = done
        self._dirty_plots = True

    @Slot(str)
    def _on_stage(self, text):               # a new stage: a trial fit or the final training
        self.stage = text
        self.members_done = None
        self.progress.setFormat(progress_format(text))      # "Training network 2 of 5"
        self.progress.setValue(0)                # not the last network's last epoch
        self.reports = []
        self._dirty_plots = True

    @Slot()
    def _redraw(self):
        if not self._dirty_plots:
            return
        self._dirty_plots = False
        if self.reports:
            self.losses.show_reports(self.reports)
            last = self.reports[-1]
            self.progress.setMaximum(last.max_epochs)
            self.progress.setValue(last.epoch)
            self.progress_label.setText(epoch_sentence(self.stage, last))
        elif self.members_done is not None:
            self.progress.setRange(0, self.members_done.total)
            self.progress.setValue(self.members_done.done)
            self.progress.setFormat(MEMBERS_FORMAT)
            self.progress_label.setText(f"{self.members_done.text}.")
        elif self.stage:
            self._clear_losses()              # a new network: not the last one's curves
            self.progress_label.setText(f"{self.stage}...")
        if self.preview is not None and self._new_preview:
            # only when a new preview arrived (every few epochs): redrawing hundreds of
            # points at every redraw made the window lag while training
            self._new_preview = False
            x = self._preview_positions(self.preview.rows)
            self.target_curve.setData(x, self.preview.targets)
            self.predicted_curve.setData(x, self.preview.predictions)

    def _preview_positions(self, rows):
        """Where the selection rows ``rows`` lie along the plot's x axis, as on step 6's
        plot (:func:`~engine.testing.analysis.plot_axis`): their dates under a date axis,
        a time column of numbers (years) as it is, else the row numbers; the axis is set
        to match. Worked out once for the rows of a training (a preview comes every few
        epochs) and the table loaded (its serial: a freed frame's ``id()`` is given to the
        next)."""
        rows = np.asarray(rows)
        table, config = self.session.table, self.session.project.data.config
        frame = table.frame if table is not None else None
        column = config.time_column if config is not None else None
        serial = table.serial if table is not None else None
        key = (serial, column, len(rows), int(rows[0]), int(rows[-1]))
        if self._positions is None or self._positions[0] != key:
            known = frame is not None and column and column in frame.columns \
                and int(rows.max()) < len(frame)
            times = frame[column].iloc[rows].to_numpy() if known else None
            self._positions = (key, plot_axis(times, rows, column))
        x, dates, label = self._positions[1]
        self.prediction_view.set_date_axis(dates)
        self.prediction_plot.setLabel("bottom", label)
        return x

    @Slot(object)
    def _on_finished(self, outcome):
        result, model_path = outcome
        self._redraw()
        self.redraw_timer.stop()
        self._set_running(False)
        trained = record_fit(self.trained_copy, result, model_path)
        project = self.session.project
        copied = settings_fingerprint(project) == self.fingerprint_at_start
        if copied:
            project.data = trained.data          # what the automatic choices settled on
        project.selection.summary = trained.selection.summary
        project.results = trained.results
        project.set_model_file(self.session.model_path())
        self.session.keep_trained_model(model_path)
        self._shown = (project, project.results.training)
        self.session.touch()
        self.losses.show_history(project.results.training)     # every network averaged
        show_done(self.progress, project.results.training)
        self.progress_label.setText("Finished. Save the project to keep this model; "
                                    "Export model file... writes a copy anywhere.")
        enable_export(self.export_button, self.session, False)
        self.result.setText(self._summary_text(project.results.training))
        self._show_verdict(project.results.comparison)

    @Slot(object)
    def _on_failed(self, error):
        message = failure_text(error)
        self.redraw_timer.stop()
        self._set_running(False)
        if isinstance(error, NothingTrained):   # Stop before the first epoch ended: no error
            self._show_stopped("Stopped before the first epoch ended; no new model was "
                               "trained.")
            return
        self._show_stopped("The training could not run.")      # not the last stage's bar
        self.result.setText(f"<span style='color:#b00020'>{html.escape(message)}</span>")
        QMessageBox.warning(self, "Training failed", message)

    @Slot()
    def _on_cancelled(self):                 # stopped during the trial fits: no model yet
        self.redraw_timer.stop()
        self._set_running(False)
        self._show_stopped("Stopped while choosing the settings; no new model was trained.")

    def _show_stopped(self, text):
        """After a stop or a failure that trained no model: the project's own training
        again (its curves, bar and summary, not the plots and the bar of the network that
        ended), and ``text``, what ended it."""
        self._shown = None
        self._show_stored_training()
        if self.session.trained_model() is not None:
            text += " The model trained before stays in use."
        self.progress_label.setText(text)

    def _summary_text(self, summary):
        text = f"<b>{summary.get('stop_reason', '')}</b>"
        if summary.get("settings"):
            text += f"<br>{_settings_text(summary['settings'])}"
        scores = (self.session.project.results.scores or {}).get("selection")
        if scores:
            rmse = ", ".join(f"{name} {_number(values.get('rmse'))}"
                             for name, values in scores.get("targets", {}).items())
            if rmse:
                text += f"<br>Selection error, one step ahead (RMSE in the target's units): {rmse}"
        kept = share_text(summary.get("linear_share"))     # the recurrent part dropped
        if kept:
            text += f"<br>{html.escape(kept)}"
        text += _chosen_text(self.session.project)
        if summary.get("remark"):       # far worse than persistence (engine.testing.remarks)
            text += f"<br><span style='color:#b00020'>{html.escape(summary['remark'])}</span>"
        return text

    def _show_verdict(self, comparison):
        """The network against the classical comparators in one plain sentence
        (:mod:`engine.testing.verdict`), and under it the notes on the rows a gap in time
        left a comparator; nothing for a model fitted before there was one.
        A comparator's forecast at step 7 is offered only while step 7 can be opened (not
        while the model file is missing or holds another training)."""
        sentence = selection_verdict(
            comparison, WINDOW if self.session.reachable(DEPLOY_ROW) else None)
        notes = (comparison or {}).get("notes") or []      # a gap in time, as on step 6
        lines = ([f"<b>Beside classical methods:</b> {html.escape(sentence)}"]
                 if sentence else []) + [html.escape(note) for note in notes]
        self.verdict.setText("<br>".join(lines))
        self.verdict.setVisible(bool(lines))

    def export_model(self):
        """Copy the latest trained model to a file the user chooses (atomically)."""
        source = self.session.trained_model()
        if source is None:
            QMessageBox.information(self, "No trained model",
                                    "Train the network first; then its model can be exported.")
            return
        target, _ = file_dialogs.save_file_name(
            self, "Export model file", default_path(self.session.project, EXPORTED_MODEL),
            "RNN Studio models (*.npz)")
        if not target:
            return
        if not target.endswith(".npz"):
            target += ".npz"
        if refuses_target(self, target):          # the project's own model file
            return
        try:
            atomic_write_bytes(target, source.read_bytes())
        except (EngineError, OSError) as error:
            QMessageBox.warning(self, "Cannot export the model", str(error))
            return
        self.progress_label.setText(f"The model was exported to {target}.")


def _chosen_text(project):
    """The line on what step 4's automatic choices chose in the project's last fit (its
    ``selection.summary``: the same after the project is opened again), naming only what
    its trials varied: "Chosen by the backtest before the testing part: target transform
    <b>difference</b>, lookback <b>12</b> (step 2 shows them)"; empty when nothing was
    chosen or step 2 no longer shows the choices (set by hand since)."""
    summary = project.selection.summary or {}
    chosen, config = last_choices(summary), project.data.config
    if not chosen or config is None:
        return ""
    inputs = [v.name for v in config.inputs]
    shown = {"target_transform": config.target_transform, "lookback": config.lookback,
             "inputs": inputs}
    if any(shown[key] != value for key, value in chosen.items()):
        return ""
    parts = []
    if "target_transform" in chosen:
        parts.append(f"target transform <b>{config.target_transform.replace('_', ' ')}</b>")
    if "lookback" in chosen:
        parts.append(f"lookback <b>{config.lookback}</b>")
    if "inputs" in chosen:
        own = set(inputs) <= {v.name for v in config.targets}
        parts.append("inputs <b>" + ("the target's own past only" if own else "all of them")
                     + "</b>")
    how = "the backtest before the testing part" if "lookback" in summary["trials"][-1] \
        else "short trial fits"                    # LinearTrial's, not Trial's
    return (f"<br>Chosen by {how}: {', '.join(parts)} (step 2 shows "
            f"{verb(len(parts), 'it', 'them')})")
