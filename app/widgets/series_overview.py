"""The series of a table of many at a glance: how many, how long (in the words of
:func:`engine.many.series_data.describe_lengths`) and a histogram of their lengths, with the
fewest rows a series needs for the settings marked."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.many.series_data import describe_lengths

from .plots import COLORS, make_plot

MOST_BARS = 20
NEEDED_LABEL = " fewest rows needed"     # beside the dashed line, as the tooltip says


def length_bins(lengths, needed=None):
    """``(counts, edges)`` of a histogram of the lengths: up to :data:`MOST_BARS` bars of
    whole rows, spanning ``needed`` rows too when given."""
    lengths = np.asarray(lengths)
    low, high = int(lengths.min()), int(lengths.max())
    if needed is not None:
        low, high = min(low, int(needed)), max(high, int(needed))
    bars = max(1, min(MOST_BARS, high - low + 1))
    return np.histogram(lengths, bins=bars, range=(low - 0.5, high + 0.5))


class SeriesOverview(QWidget):
    """The figures (:attr:`figures`, a label) and the histogram (:attr:`histogram`);
    :meth:`show_lengths` fills both, :meth:`clear` empties them."""

    def __init__(self):
        super().__init__()
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.histogram = make_plot("Rows per series", x_label="rows", y_label="series",
                                   x_integers=True, name="Histogram of the rows per series")
        self.histogram.setMinimumHeight(140)
        self.histogram.setToolTip("How many series have how many rows. The dashed line "
                                  "marks the fewest rows a series needs for one window with "
                                  "the settings above (its testing rows included); shorter "
                                  "series are left out of the training.")
        self.histogram.getPlotItem().setMouseEnabled(x=False, y=False)
        self.histogram.getAxis("left").integers = True         # counts of series
        self.bars = pg.BarGraphItem(x0=[], x1=[], height=[], brush=COLORS["training"],
                                    pen=pg.mkPen("w"))
        self.histogram.addItem(self.bars)
        self.needed_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            COLORS["prediction"], style=Qt.PenStyle.DashLine), label=NEEDED_LABEL,
            labelOpts={"position": 0.9, "color": COLORS["prediction"],
                       "anchors": [(0, 0.5), (0, 0.5)]})
        self.histogram.addItem(self.needed_line, ignoreBounds=True)
        self.needed_line.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.figures)
        layout.addWidget(self.histogram, 1)

    def show_lengths(self, lengths, needed=None):
        """Show the series' ``lengths``; ``needed``: the fewest rows a series needs (a
        dashed line), None for none."""
        self.figures.setText(describe_lengths(lengths) + ".")
        counts, edges = length_bins(lengths, needed)
        self.bars.setOpts(x0=edges[:-1], x1=edges[1:], height=counts)
        self.needed_line.setVisible(needed is not None)
        if needed is not None:
            self.needed_line.setValue(needed)
        self.histogram.setXRange(edges[0], edges[-1], padding=0.05)
        self.histogram.setYRange(0, max(counts.max(), 1), padding=0.05)

    def clear(self):
        self.figures.setText("")
        self.bars.setOpts(x0=[], x1=[], height=[])
        self.needed_line.setVisible(False)
