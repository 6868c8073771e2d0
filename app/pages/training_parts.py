"""What the training page shares between a project of one series and one of many: the
losses offered, the plot of the errors by epoch with the best epoch marked, and the
sentence under the progress bar (the epoch, the best one so far and the time left), the
bar of a finished training, the line that says a training was let go, and when Export
model file... can work."""

import numpy as np
from PySide6.QtCore import Qt

from engine.training.run import epochs_range
from engine.training.time_left import MEMBER_STAGE, time_left
from engine.words import counted

from ..widgets.plots import COLORS, curve, make_plot, show_x
from .let_go import LetGoNote
from .member_curves import MEMBERS_TOOLTIP, MemberCurves, positive_losses

LOSSES = [("mse", "Mean squared error"), ("mae", "Mean absolute error"),
          ("huber", "Huber"), ("normalized_squared_error", "Normalized squared error"),
          ("minkowski", "Minkowski (p = 1.5)")]
OUT_OF_DATE_TEXT = ("The result below is of earlier settings: they changed since this model "
                    "was trained.")
PROGRESS_FORMAT = "epoch %v of at most %m"
COMBO_LETTERS = 14          # the width of the settings' boxes of choices, in letters
LOSS_TOOLTIP = ("Training error (what the weights are fitted to) and selection error "
                "(windows the network does not learn from). When the selection error rises "
                "while the training error falls, the network overfits. Both are the loss "
                "on the targets as scaled for the network, so they do not read in the "
                "targets' units as the scores beside the plot do.")
LOSS_TITLE = "Error by epoch"
LOSS_AXIS = "loss (on the scaled targets)"   # not the targets' units of the scores
BEST_TOOLTIP = ("\n\nThe dashed line marks the best epoch, of the lowest selection error: "
                "the network keeps its weights.")
NOT_BEATEN_TOOLTIP = ("\n\nNo epoch had a lower selection error than the starting "
                      "point, a linear model fitted by least squares: that linear model is "
                      "kept.")
START_TOOLTIP = ("\n\nEpoch 0, the round marker, is the starting point: a linear model "
                 "fitted by least squares. The network keeps it unless an epoch has a lower "
                 "selection error.")
START_LABEL = "start: linear model"
AVERAGED_TOOLTIP = ("\n\nThe weights were averaged over the latest {steps:,} training "
                    "steps: the selection error is that of the averaged weights, which the "
                    "network keeps, the training error that of the weights as they were "
                    "trained.")


FORM_ROWS = (("loss", "&Loss:"), ("optimizer", "&Optimizer:"),
             ("learning_rate", "Learning &rate:"), ("l2", "L&2 regularization:"),
             ("batch_size", "Batch si&ze:"), ("max_epochs", "Ma&ximum epochs:"),
             ("patience", "&Early stopping patience:"), ("seed", "See&d:"),
             ("members", "Net&works averaged:"))


def model_notice(session):
    """What the training page says above a stored result that its model file does not
    stand behind (:meth:`~app.session.ProjectSession.model_problem`), whose settings
    changed since the training, or whose data file changed since
    (:func:`~engine.project.model_status.data_change`); else None."""
    from engine.project.model_status import OUT_OF_DATE, data_change, model_status

    problem = session.model_problem()
    if problem is not None:
        return problem
    if model_status(session.project) == OUT_OF_DATE:
        return OUT_OF_DATE_TEXT
    return data_change(session.project)


def is_model_notice(text):
    """Whether ``text`` is one of :func:`model_notice`'s."""
    return text == OUT_OF_DATE_TEXT or text.startswith(("The model file ", "The data file "))


def settings_form(view):
    """The form of the training settings: a row per :data:`FORM_ROWS` with the control of
    that name of ``view``; the boxes of choices as narrow as a short name (a long one is
    elided until the box opens), so that the form leaves the plots their room."""
    from PySide6.QtWidgets import QComboBox, QFormLayout

    form = QFormLayout()
    for name, label in FORM_ROWS:
        control = getattr(view, name)
        if isinstance(control, QComboBox):
            control.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            control.setMinimumContentsLength(COMBO_LETTERS)
        form.addRow(label, control)
    return form


def epoch_sentence(stage, report):
    """The progress of a training after the epoch ``report``
    (:class:`~engine.training.settings.EpochReport`) of the stage ``stage``, named first:
    "Training: epoch 5 of at most 20; ..." (:func:`epoch_progress`)."""
    progress = epoch_progress(stage, report)
    return f"{stage}: {progress[0].lower()}{progress[1:]}"


def epoch_progress(stage, report):
    """"Epoch 5 of at most 20; best so far: epoch 4. Time left: at most 0:30." after the
    epoch ``report`` of the stage ``stage``; the time left is
    :func:`engine.training.time_left.time_left`'s, as the command line says it (during
    the window's choice, the choice's, the whole fit's to follow)."""
    return (f"Epoch {report.epoch} of at most {report.max_epochs}; best so far: "
            f"epoch {report.best_epoch}. {time_left(stage, report).sentence}")


def show_done(progress, summary):
    """The progress bar of a finished training (``summary``: the project's training
    results): full, with the epochs the network trained ("done: 61 epochs"; of networks
    averaged, each one's: "done: 5 networks of 61 to 112 epochs", or "done: 5 networks
    averaged" when a network's count did not come back from where it trained), whether
    early stopping ended it before the maximum or not. A bar left at epoch 61 of at most
    1000 looked as if the training had stopped at 6%."""
    epochs = int(summary.get("epochs", 0) or 0)
    progress.setRange(0, max(epochs, 1))
    progress.setValue(max(epochs, 1))
    members = summary.get("members") or ()
    span = epochs_range(members) if len(members) > 1 else (epochs, epochs)
    if span is None:
        progress.setFormat(f"done: {len(members)} networks averaged")
    elif span[0] != span[1]:                        # networks averaged: each one's epochs
        progress.setFormat(f"done: {len(members)} networks of {span[0]} to {span[1]} epochs")
    else:
        progress.setFormat(f"done: {counted(span[0], 'epoch')}"
                           + (f" each, {len(members)} networks" if len(members) > 1 else ""))


def progress_format(stage):
    """The progress bar's text during the stage ``stage``: which of the networks trains
    when it is one of several ("Training network 2 of 5", "Choosing the window: candidate
    1 of 3 (...)")."""
    member = MEMBER_STAGE.search(stage)
    return f"{member[1]} {member[2]} of {member[3]}: {PROGRESS_FORMAT}" if member else \
        PROGRESS_FORMAT


class LossCurves:
    """The errors by epoch: :attr:`plot` with :attr:`training_curve`,
    :attr:`selection_curve` and the dashed :attr:`best_line` at the best epoch."""

    def __init__(self):
        import pyqtgraph as pg
        self.plot = make_plot(LOSS_TITLE, x_label="epoch", y_label=LOSS_AXIS, log_y=True,
                              legend=True, x_integers=True, name="Loss per epoch")
        self.plot.set_empty_text("No epochs yet")
        self.training_curve = curve(self.plot, COLORS["training"], "training")
        self.selection_curve = curve(self.plot, COLORS["selection"], "selection")
        pen = pg.mkPen(COLORS["accent"], width=1, style=Qt.PenStyle.DashLine)
        self.best_line = pg.InfiniteLine(angle=90, pen=pen)
        self.best_line.setVisible(False)
        self.plot.addItem(self.best_line)
        self.best_sample = pg.PlotDataItem(pen=pen)    # the line's entry in the legend
        self.start_point = self.plot.plot([], [], pen=None, symbol="o", symbolSize=10,
                                          symbolBrush=COLORS["selection"], symbolPen="k")
        self.members = MemberCurves(self.plot, self._legend_entry)
        self._averaged = False          # the selection error is of averaged weights
        self._tips = {"best": "", "start": "", "averaged": "", "members": ""}
        self._show_tip()

    def clear(self):
        """No error curves and no best epoch (a new training or a new network starts)."""
        for item in (self.training_curve, self.selection_curve):
            item.setData([], [])
        self.mark_averaged(None)
        self._mark_start(None)
        self._name_best(None)
        self._show_members([])
        self.plot.enableAutoRange()

    def show_best_epoch(self, best_epoch, epochs, finished=False, start=False):
        """The dashed line and its legend entry at the same best epoch, and the epoch axis
        over the ``epochs`` drawn (set now: automatic ranging would follow only at the next
        paint, and lag behind the curves). Best epoch 0 is the ``start`` when it is drawn;
        else a ``finished`` training without a best epoch kept a start not drawn."""
        self.best_line.setValue(best_epoch)
        self._name_best(best_epoch if best_epoch or start else None, finished)
        show_x(self.plot, float(np.min(epochs)), max(float(np.max(epochs)), 2.0))

    def _legend_entry(self, item, text):
        """``item``'s entry in the legend reads ``text``; None: ``item`` has none."""
        legend = self.plot.getPlotItem().legend
        label = legend.getLabel(item)                    # None while it is left out
        if text is not None and label is None:
            legend.addItem(item, text)
        elif text is not None:
            label.setText(text)
            legend.updateSize()
        elif label is not None:
            legend.removeItem(item)

    def _name_best(self, best_epoch, finished=False):
        """The dashed line at ``best_epoch`` and its legend entry ("best: epoch 6", "best:
        epoch 0, the start"); without one (None), neither, and the tooltip says why. The
        title stays short: "Error by epoch" with the rest beside it was cut to "Error by
        epoch (dashed: best, e…" in a small window."""
        self.best_line.setVisible(best_epoch is not None)
        self._legend_entry(self.best_sample, None if best_epoch is None else
                           f"best: epoch {best_epoch}" + ("" if best_epoch else ", the start"))
        self._tips["best"] = BEST_TOOLTIP if best_epoch else \
            NOT_BEATEN_TOOLTIP if finished else ""
        self._show_tip()

    def _mark_start(self, start):
        """The round marker at epoch 0 on the start's selection error and its legend entry
        (``start``: the ``(training, selection)`` losses of the least-squares start; None:
        neither)."""
        self.start_point.setData([] if start is None else [0.0],
                                 [] if start is None else positive_losses(start[1:]))
        self._legend_entry(self.start_point, None if start is None else START_LABEL)
        self._tips["start"] = "" if start is None else START_TOOLTIP
        self._show_tip()

    def _show_tip(self):
        self.plot.setToolTip(LOSS_TOOLTIP + "".join(self._tips.values()))

    def show(self, epochs, training, selection, best_epoch, finished=False, start=None):
        """Draw the losses of ``epochs`` (a selection loss of None is not drawn); with
        ``start``, the ``(training, selection)`` losses of a least-squares start that was a
        candidate, the curves begin at epoch 0 with them and a marker shows the start's
        selection error, so that a kept start can be checked against every epoch."""
        if not len(epochs):
            return
        if start is not None:
            epochs, training, selection = ([0, *epochs], [start[0], *training],
                                           [start[1], *selection])
        epochs = np.asarray(epochs, dtype=float)
        self.training_curve.setData(epochs, positive_losses(training))
        selection = positive_losses(selection)
        if np.isfinite(selection).any():
            self.selection_curve.setData(epochs, selection)
        self._mark_start(start)
        self.show_best_epoch(best_epoch, epochs, finished, start is not None)

    def mark_averaged(self, steps):
        """Say in the legend and the tooltip that the selection error is that of weights
        averaged over ``steps`` training steps (:mod:`engine.training.weight_average`);
        None or 0: not averaged."""
        self._averaged = bool(steps)
        self._name_curves()
        self._tips["averaged"] = AVERAGED_TOOLTIP.format(steps=int(steps)) if steps else ""
        self._show_tip()

    def _name_curves(self, last=None):
        """The legend's names of the full curves: ``selection, averaged weights`` when
        :meth:`mark_averaged` said so, ``..., network 5`` when they are the ``last`` of the
        networks averaged."""
        legend = self.plot.getPlotItem().legend
        which = f", network {last}" if last else ""
        names = ((self.training_curve, "training" + which),
                 (self.selection_curve, "selection" + (", averaged weights" if
                                                       self._averaged else "") + which))
        for item, name in names:
            label = legend.getLabel(item)            # None while the curve is left out
            if label is not None:
                label.setText(name)
        legend.updateSize()

    def show_history(self, summary):
        """The loss history of a stored training summary (its ``history``, the last
        network's), and of networks averaged each one's selection error and best epoch
        (its ``members``)."""
        self.mark_averaged(summary.get("average_steps")
                           or (summary.get("settings") or {}).get("average_steps"))
        history = summary.get("history") or {}
        start = history.get("start")
        self.show(history.get("epoch", []), history.get("training", []),
                  history.get("selection", []), summary.get("best_epoch", 0), finished=True,
                  start=None if start is None else (start["training"], start["selection"]))
        self._show_members(summary.get("members") or [])

    def _show_members(self, members):
        """Of networks averaged (``members``, as a training summary keeps them), the
        others' selection curves and every one's best epoch (:class:`MemberCurves`) in
        place of the dashed line at the last one's; nothing for one network."""
        epochs = self.members.show(members) if len(members) > 1 else self.members.clear()
        drawn = epochs is not None and len(epochs) > 0
        self._name_curves(len(members) if drawn else None)
        if not drawn:
            self._tips["members"] = ""
            self._show_tip()
            return
        self._name_best(None)
        self._tips["members"] = MEMBERS_TOOLTIP.format(count=len(members))
        self._show_tip()
        show_x(self.plot, float(np.min(epochs)), max(float(np.max(epochs)), 2.0))

    def show_reports(self, reports):
        """The losses of the epoch reports of the running training."""
        self.show([r.epoch for r in reports], [r.training_loss for r in reports],
                  [r.selection_loss for r in reports], reports[-1].best_epoch,
                  start=reports[-1].start)


def training_let_go_note(runner):
    """The line under the progress that says a training of ``runner`` was let go
    (:class:`~app.pages.let_go.LetGoNote`)."""
    return LetGoNote(runner, "training", "the network it was training is lost, and that "
                     "project keeps its earlier model, if it had one. Train it again to "
                     "have one.")


def enable_export(button, session, running):
    """Export model file... ``button`` enabled only where it can work: a trained model of
    the ``session``'s project at hand (:meth:`~app.session.ProjectSession.trained_model`)
    and no training ``running`` (it would write the model being replaced)."""
    button.setEnabled(not running and session.project is not None
                      and session.trained_model() is not None)
