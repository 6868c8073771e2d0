"""Step 4's errors by epoch of networks averaged: beside the full curves of the last
network, each other network's selection error faint, and a cross at every network's best
epoch on its own selection curve, so that the plot shows every network the model averages,
not the last one alone."""

import numpy as np
from PySide6.QtGui import QColor

from engine.words import numbered

from ..widgets.plots import COLORS

FAINT_ALPHA = 110           # of 255: the other networks' curves behind the last one's
MEMBERS_TOOLTIP = ("\n\nThe model averages {count} networks, each trained from its own "
                   "seed: the full curves are the last network's, the faint ones the "
                   "selection errors of the others; a cross marks each network's best "
                   "epoch, whose weights it keeps (epoch 0: it kept the least-squares "
                   "start).")


def positive_losses(values):
    """Losses drawn on the log axis: at least 1e-12, None as NaN."""
    return np.maximum(np.array([np.nan if v is None else v for v in values], float), 1e-12)


def member_curve(history):
    """``(epochs, selection losses)`` of a member's stored ``history`` (``{"epoch",
    "selection", "start"}``, :func:`~engine.project.model_status.loss_history`), from
    epoch 0 when its least-squares start was a candidate; None without one."""
    if not history or not history.get("epoch"):
        return None
    epochs, selection = list(history["epoch"]), list(history["selection"])
    if history.get("start") is not None:
        epochs, selection = [0, *epochs], [history["start"]["selection"], *selection]
    return np.asarray(epochs, float), positive_losses(selection)


def best_point(curve, best_epoch):
    """The point of ``curve`` (:func:`member_curve`) at ``best_epoch``, or None."""
    if curve is None:
        return None
    at = np.flatnonzero(curve[0] == best_epoch)
    return None if not len(at) else (float(best_epoch), float(curve[1][at[0]]))


class MemberCurves:
    """The faint selection curves of the networks averaged but the last and the crosses
    at each network's best epoch, on ``curves.plot`` (a :class:`LossCurves`)."""

    def __init__(self, plot, legend_entry):
        import pyqtgraph as pg

        self.plot, self._legend_entry = plot, legend_entry
        faint = QColor(COLORS["selection"])
        faint.setAlpha(FAINT_ALPHA)
        self.pen = pg.mkPen(faint, width=1)
        self.curves = []                    # made when first needed, then fed with setData
        self.best_points = plot.plot([], [], pen=None, symbol="x", symbolSize=11,
                                     symbolBrush=COLORS["accent"], symbolPen=COLORS["accent"])

    def clear(self):
        for item in self.curves:
            item.setData([], [])
        self.best_points.setData([], [])
        if self.curves:
            self._legend_entry(self.curves[0], None)
        self._legend_entry(self.best_points, None)

    def show(self, members):
        """Draw the stored ``members`` (each ``{"best_epoch", "history"}``, the last drawn
        in full elsewhere); returns the epochs drawn (for the axis), empty when there is
        nothing to draw."""
        self.clear()
        curves = [member_curve(member.get("history")) for member in members]
        others = [(n, c) for n, c in enumerate(curves[:-1], 1) if c is not None]
        while len(self.curves) < len(others):
            self.curves.append(self.plot.plot([], [], pen=self.pen))
        for item, (_, curve) in zip(self.curves, others):
            item.setData(*curve)
        if others:
            self._legend_entry(self.curves[0],
                               "selection, " + numbered("network", [n for n, _ in others]))
        points = [best_point(c, m["best_epoch"]) for c, m in zip(curves, members)]
        points = [p for p in points if p is not None]
        if points:
            self.best_points.setData(*np.asarray(points).T)
            self._legend_entry(self.best_points, "best epoch of each")
        drawn = [c[0] for c in curves if c is not None]
        return np.concatenate(drawn) if drawn else np.array([])
