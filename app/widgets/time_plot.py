"""A plot over time that stays readable on long series (thousands of rows): it opens on
the most recent stretch rather than a solid block of colour, zooms and pans with the mouse
(wheel and drag, along time; the values axis follows what is visible) and with buttons, and
has an overview strip of the whole series below it (when the series is longer than what is first
shown) whose shaded window shows, and moves, the part on view."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from .plots import Axis, Plot, make_plot, set_date_axis, show_x

RECENT_POINTS = 500
ZOOM_STEP = 2.0
OVERVIEW_HEIGHT = 70
OVERVIEW_PEN_WIDTH = 1      # a wider line over the strip's thousands of downsampled points
                            # took Qt 0.5 s a paint (a series of a million rows)
EDGE = 0.04                 # room at both ends, for the labels of the first and last ticks


def _finite(values):
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def sorted_distinct(values):
    """The distinct values of ``values`` (1-d floats) in order, as ``np.unique`` gives
    them; one pass without sorting when they are in order already (the times of a
    series: a million of them sort in 0.2 s)."""
    steps = np.diff(values)
    if (steps >= 0).all():
        return values[np.r_[True, steps > 0]] if values.size else values
    return np.unique(values)


class TimePlot(QWidget):
    """The main :class:`~app.widgets.plots.Plot` (:attr:`plot`, used like any plot), the
    overview strip (:attr:`overview`) with its window (:attr:`region`), and the Zoom in,
    Zoom out and Show all buttons. :meth:`follow` names the curves the strip repeats; when
    their time span changes, the view goes back to the last :attr:`recent_points` points.
    ``name``: the plot's accessible name (what it shows), else its title."""

    def __init__(self, title=None, x_label=None, y_label=None, legend=False,
                 legend_columns=3, recent_points=RECENT_POINTS, name=None):
        super().__init__()
        self.recent_points = recent_points
        self._followed = []
        self._span = None
        self._sorted_times = None       # of the followed curves' data, until it changes
        self._syncing = False
        self.plot = make_plot(title, x_label=x_label, y_label=y_label, legend=legend,
                              legend_columns=legend_columns, name=name)
        self.plot.setMinimumHeight(150)       # with the buttons, as tall as other plots
        view = self.plot.getPlotItem().vb
        view.setMouseEnabled(x=True, y=False)
        view.setAutoVisible(y=True)
        view.sigXRangeChanged.connect(self._view_moved)
        self._build_overview()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.overview)
        layout.addLayout(self._build_buttons())
        self.plot.emptied.connect(self._emptied)
        self._emptied(True)

    def _build_overview(self):
        self.overview = Plot({"bottom": Axis("bottom"), "left": Axis("left")})
        self.overview.setMinimumHeight(0)
        self.overview.setFixedHeight(OVERVIEW_HEIGHT)
        item = self.overview.getPlotItem()
        item.hideAxis("left")
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.setMenuEnabled(False)
        item.setDownsampling(auto=True, mode="peak")
        self.overview.set_empty_text("")
        self.overview.setAccessibleName("Overview of the whole series")
        self.overview.setToolTip("The whole series: drag the shaded window (or its edges) "
                                 "to choose the part shown above.")
        self.region = pg.LinearRegionItem(brush=pg.mkBrush(148, 103, 189, 60),
                                          pen=pg.mkPen("#9467bd", width=1.5))
        self.region.setZValue(10)
        self.overview.addItem(self.region, ignoreBounds=True)
        self.region.sigRegionChanged.connect(self._region_moved)

    def _build_buttons(self):
        """Zoom in, Zoom out and Show all, at the right under the plot."""
        row = QHBoxLayout()
        row.addStretch(1)
        self.buttons = {}
        for name, text, tip, slot in (
                ("in", "Zoom in", "Show half as much time (or turn the mouse wheel over "
                 "the plot).", lambda: self.zoom(1 / ZOOM_STEP)),
                ("out", "Zoom out", "Show twice as much time.", lambda: self.zoom(ZOOM_STEP)),
                ("all", "Show all", "Show the whole series. Drag the plot to move along "
                 "time.", self.show_all)):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        return row

    # -- the data --------------------------------------------------------------------------
    def follow(self, *items):
        """Repeat ``items`` (curves of :attr:`plot`) in the overview strip; a change of
        their time span shows the most recent points again. Data the items hold already
        count at once (the times worked out before are forgotten)."""
        for item in items:
            pen = pg.mkPen(item.opts["pen"])            # a copy, in the curve's colour
            pen.setWidthF(OVERVIEW_PEN_WIDTH)
            copy = self.overview.plot([], [], pen=pen)
            self._followed.append((item, copy))
            item.sigPlotChanged.connect(self._data_changed)
        self._data_changed()

    def _data_changed(self, *args):
        self._sorted_times = None
        for item, copy in self._followed:
            x, y = item.xData, item.yData
            copy.setData(x if x is not None else [], y if y is not None else [],
                         connect="finite")
        bounds = self.data_bounds()
        self.overview.setXRange(*(bounds or (0, 1)), padding=0)
        self.region.setBounds(bounds or (None, None))
        count = len(self._times())
        self.overview.setVisible(count > self.recent_points and not self.plot.empty)
        if (bounds, count) != self._span:
            self._span = (bounds, count)
            self.show_recent()

    def _times(self):
        """The sorted distinct times of the followed curves (worked out once for their
        data: the view asks on every zoom)."""
        if self._sorted_times is None:
            parts = [_finite(item.xData) for item, _ in self._followed
                     if item.xData is not None]
            self._sorted_times = sorted_distinct(np.concatenate(parts)) if parts \
                else np.array([])
        return self._sorted_times

    def data_bounds(self):
        """(first, last) time of the followed curves, or None without data."""
        times = self._times()
        return (float(times[0]), float(times[-1])) if times.size else None

    def set_date_axis(self, dates):
        """Dates (seconds since 1970) or plain numbers along time, on both plots."""
        set_date_axis(self.plot, dates)
        set_date_axis(self.overview, dates)

    # -- the view --------------------------------------------------------------------------
    def x_range(self):
        return tuple(self.plot.getPlotItem().vb.viewRange()[0])

    def set_x_range(self, low, high, padding=0.0):
        """Show times ``low`` to ``high``; the values axis fits what is visible."""
        show_x(self.plot, low, high, padding)

    def show_recent(self):
        """The last :attr:`recent_points` points (all of a short series)."""
        times = self._times()
        if not times.size:
            return
        first = times[-min(self.recent_points, times.size)]
        self.set_x_range(first, times[-1], padding=EDGE)

    def show_all(self):
        bounds = self.data_bounds()
        if bounds:
            self.set_x_range(*bounds, padding=EDGE)

    def zoom(self, factor):
        """Show ``factor`` times as much time around the middle of the view (within the
        data)."""
        bounds = self.data_bounds()
        if not bounds:
            return
        low, high = self.x_range()
        middle, half = (low + high) / 2, (high - low) * factor / 2
        full = bounds[1] - bounds[0]
        if 2 * half >= full:
            self.show_all()
            return
        low = min(max(middle - half, bounds[0]), bounds[1] - 2 * half)
        self.set_x_range(low, low + 2 * half)

    def _view_moved(self, *args):
        if self._syncing:
            return
        self._syncing = True
        self.region.setRegion(self.x_range())
        self._syncing = False

    def _region_moved(self, *args):
        if self._syncing:
            return
        self._syncing = True
        low, high = self.region.getRegion()
        self.set_x_range(low, high)
        self._syncing = False

    def _emptied(self, empty):
        if empty:
            self.overview.setVisible(False)
        for button in self.buttons.values():
            button.setEnabled(not empty)
