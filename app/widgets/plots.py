"""pyqtgraph plots with the application's look: white background, labelled axes, one curve
item per series that is fed with ``setData``.

Every axis shows plain numbers: no SI-prefix scaling ("loss (x0.001)"), log axes labelled
0.05, 0.1, 0.2 rather than "5·10⁻²", and no labels printed on top of each other (log ticks
crowded at the top of a decade, a date's day beside the next month's name), and dates name
their year (:mod:`app.widgets.date_axis`). An empty plot says so in its middle ("No data
yet") instead of showing a frame from 0 to 1; the legend sits above the plotting area, where
it cannot hide the data. A title longer than the plot is wide ends in "…" (the whole of it
in the tooltip) rather than widening the drawing past the plot's edge; a title of two lines
(a "\\n" in it) takes the height of two. A screen reader reads a plot's accessible name
(what it shows) and, as its description, the whole of its current title and its tooltip."""

import math
import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QSize, Qt, Signal  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontMetrics  # noqa: E402
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QSizePolicy  # noqa: E402

from .date_axis import DateAxis  # noqa: E402

pg.setConfigOptions(antialias=True, background="w", foreground="#333",
                   # every curve drawn as line segments, not as one path: Qt stroked a
                   # path of thousands of downsampled points 1.5-2 pixels wide and
                   # antialiased in 10-30 s (step 6's Show all on 200,000 testing rows);
                   # as segments in under 2 s. Only "auto" would keep the path for
                   # antialiased pens.
                   segmentedLineMode="on")

COLORS = {"training": "#1f77b4", "selection": "#ff7f0e", "testing": "#2ca02c",
          "target": "#444444", "prediction": "#d62728", "accent": "#9467bd"}
NO_DATA = "No data yet"
LOG_MANTISSAS = ([1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9])
MIN_LABEL_GAP = {"left": 22, "right": 22, "bottom": 70, "top": 70}   # pixels
HINT_LINES = 14            # the height a plot asks for, in lines of the font
TITLE_MARGIN = 12          # pixels kept free beside a title cut to the plot's width
TITLE_HEIGHT = 30          # pixels pyqtgraph gives a title of one line


def plain_number(value):
    """``value`` as a plain decimal with up to four significant digits (0.05, 120, 0.0012);
    scientific notation only for very large or very small numbers."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if 1e-5 <= abs(value) < 1e7:
        return np.format_float_positional(value, precision=4, unique=True,
                                          fractional=False, trim="-")
    return f"{value:.3g}"


def _spread(values, pixels_per_unit, gap):
    """The values in order, leaving out each one closer than ``gap`` pixels to the last
    one kept."""
    kept = []
    for value in sorted(values):
        if not kept or (value - kept[-1]) * pixels_per_unit >= gap:
            kept.append(value)
    return kept


def _nice_step(span, count):
    """A step of 1, 2 or 5 times a power of ten giving about ``count`` steps over ``span``."""
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


class Axis(pg.AxisItem):
    """An axis without SI-prefix scaling whose log ticks read as plain numbers, spaced so
    that their labels never overlap."""

    def __init__(self, orientation, integers=False, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.integers = integers            # counts (epochs, steps): no ticks at 1.5

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.integers and not self.logMode:
            levels = [(spacing, offset) for spacing, offset in levels if spacing >= 1] or \
                [(1.0, 0.0)]
        return levels

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        """One level of ticks (log10 values) whose labels are at least a label apart:
        decades, else 1-2-5 or 1-9 per decade, else evenly spaced round numbers."""
        span = maxVal - minVal
        if not (size > 0 and span > 0 and math.isfinite(span)):
            return []
        per_unit = size / span
        gap = MIN_LABEL_GAP[self.orientation]
        best = None
        for mantissas in LOG_MANTISSAS:
            values = [math.log10(m) + d for d in range(math.floor(minVal), math.ceil(maxVal))
                      for m in mantissas]
            values = [v for v in values if minVal <= v <= maxVal]
            if best is not None and len(values) > 1 and min(np.diff(values)) * per_unit < gap:
                break
            best = values
        if len(best) < 2:                  # less than a decade: round numbers in between
            low, high = 10 ** minVal, 10 ** maxVal
            step = _nice_step(high - low, max(size / gap, 2))
            linear = np.arange(math.ceil(low / step), math.floor(high / step) + 1) * step
            best = [math.log10(v) for v in linear if v > 0]
        return [(None, _spread(best, per_unit, gap))]

    def logTickStrings(self, values, scale, spacing):
        return [plain_number(10 ** v * scale) for v in values]


class _WatchedViewBox(pg.ViewBox):
    """A ViewBox that reports when the bounds of its items change (data set or cleared)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bounds_changed = None

    def itemBoundsChanged(self, item):
        super().itemBoundsChanged(item)
        if self.bounds_changed is not None:
            self.bounds_changed()


def _has_data(item):
    """Whether a plot item shows data (lines, bands and text do not count)."""
    if not item.isVisible():
        return False
    if isinstance(item, pg.PlotDataItem):
        return item.xData is not None and len(item.xData) > 0
    if isinstance(item, pg.ScatterPlotItem):
        return len(item.data) > 0
    if isinstance(item, pg.BarGraphItem):
        heights = item.opts.get("height")
        return heights is not None and len(heights) > 0
    return False


class Plot(pg.PlotWidget):
    """A plot that asks for little room and grows into what the page gives it (a large
    size hint would make pages with wrapped text scroll instead of fitting). Without data it
    shows :attr:`empty_text` in its middle and no tick numbers."""

    emptied = Signal(bool)          # True when the plot became empty, False when filled

    def __init__(self, axis_items=None):
        view = _WatchedViewBox()
        super().__init__(viewBox=view, axisItems=axis_items)
        self.empty_text = NO_DATA
        self.empty = None
        self._message = QGraphicsSimpleTextItem(NO_DATA, view)
        self._message.setBrush(QColor("#888888"))
        font = QFont(self._message.font())
        font.setPointSize(11)
        self._message.setFont(font)
        self._message.setZValue(10)
        view.sigResized.connect(self._centre_message)
        view.bounds_changed = self.refresh_empty
        self.refresh_empty()

    def setTitle(self, title=None, **args):
        """The plot's title (plain text, a line break where it has "\\n"; ``size="10pt"``
        and the other options of pyqtgraph's), each line cut to the plot's width with "…"
        where it is longer (a title wider than the plot made the drawing wider than the
        plot, its right part out of sight)."""
        self._title = (title, args)
        self._show_title()

    def _show_title(self):
        title, args = getattr(self, "_title", (None, {}))
        item = self.getPlotItem()
        if item is None:                # being built, or closed
            return
        if title is None:
            item.setTitle(None)
            self._whole_title = ""
            self._show_tip()
            return
        font = QFont(self.font())
        size = str(args.get("size", "11pt"))
        if size.endswith("pt"):
            font.setPointSizeF(float(size[:-2]))
        left = item.getAxis("left")
        margins = 2 * item.titleLabel.item.document().documentMargin() + TITLE_MARGIN
        room = max(40, self.viewport().width() - (left.width() if left.isVisible() else 0)
                   - margins)
        metrics = QFontMetrics(font)
        lines = title.split("\n")
        shown = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines]
        item.setTitle("<br>".join(shown), **args)
        if len(lines) > 1:                    # pyqtgraph leaves room for one line
            height = TITLE_HEIGHT + (len(lines) - 1) * metrics.lineSpacing()
            item.titleLabel.setMaximumHeight(height)
            item.layout.setRowFixedHeight(0, height)
        item.titleLabel.text = title          # what it says, whole, for whoever reads it
        self._cut_title = title if shown != lines else ""
        self._whole_title = title
        self._show_tip()

    def setToolTip(self, text):
        """The plot's tooltip; a title cut to the plot's width is shown whole above it."""
        self._own_tip = text
        self._show_tip()

    def _show_tip(self):
        """The tooltip (a cut title whole, above the plot's own tip) and the accessible
        description (the whole title, then the tip)."""
        tip = getattr(self, "_own_tip", "")
        parts = (getattr(self, "_cut_title", ""), tip)
        super().setToolTip("\n\n".join(part for part in parts if part))
        parts = (getattr(self, "_whole_title", ""), tip)
        self.setAccessibleDescription("\n\n".join(part for part in parts if part))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if getattr(self, "_title", (None,))[0] is not None:
            self._show_title()
        legend = getattr(self.getPlotItem(), "legend", None)   # None while being built
        if isinstance(legend, Legend):
            legend.fit_width(self.width() - MIN_LABEL_GAP["left"])
        if self.centralWidget is not None:
            # laid out again for the title and legend fitted to the new width: the drawing
            # was laid out before them, as wide as the title fitted to the width before
            # (a narrower plot then hid its right part, the forecast's points)
            self.centralWidget.setGeometry(self.range)

    def sizeHint(self):
        """Little room, but with large letters as many lines of them as the title, the
        legend and the ticks need beside the data."""
        return QSize(400, max(220, HINT_LINES * self.fontMetrics().height()))

    def set_empty_text(self, text):
        """What the plot says while it has no data (a reason, or "No data yet")."""
        self.empty_text = text or NO_DATA
        self._message.setText(self.empty_text)
        self._centre_message()

    def refresh_empty(self):
        """Show the message and hide the tick numbers when no item holds data."""
        item = self.getPlotItem()
        empty = not any(_has_data(i) for i in item.vb.addedItems)
        if empty == self.empty:
            return
        self.empty = empty
        self._message.setVisible(empty)
        for name in ("left", "bottom"):
            item.getAxis(name).setStyle(showValues=not empty)
        self.showGrid(x=not empty, y=not empty, alpha=0.2)
        self._centre_message()
        self.emptied.emit(empty)

    def _centre_message(self, *args):
        rect = self.getPlotItem().vb.boundingRect()
        text = self._message.boundingRect()
        self._message.setPos(rect.center().x() - text.width() / 2,
                             rect.center().y() - text.height() / 2)


class Legend(pg.LegendItem):
    """A legend whose entries stay in reading order, ``colCount`` a row, without gaps
    when entries are removed and added again (as the pages do when a curve has no data);
    fewer a row where the plot is too narrow for them (:meth:`fit_width`)."""

    wanted_columns = 3

    def fit_width(self, width):
        """As many entries a row, up to :attr:`wanted_columns`, as ``width`` pixels hold
        (each column as wide as its widest entry)."""
        if not self.items:
            return
        gap = 2 * self.layout.horizontalSpacing()
        entries = [sample.boundingRect().width() + label.itemRect().width() + gap
                   for sample, label in self.items]
        columns = next((count for count in range(self.wanted_columns, 1, -1)
                        if sum(max(entries[c::count]) for c in range(min(count, len(entries))))
                        <= width), 1)
        if columns != self.columnCount:
            self.columnCount = columns
            self._arrange()

    def addItem(self, item, name):
        super().addItem(item, name)
        self._arrange()

    def removeItem(self, item):
        super().removeItem(item)
        self._arrange()

    def _arrange(self):
        for index in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(index)
        for index, (sample, label) in enumerate(self.items):
            row, column = divmod(index, self.columnCount)
            self.layout.addItem(sample, row, 2 * column, alignment=Qt.AlignmentFlag.AlignVCenter)
            self.layout.addItem(label, row, 2 * column + 1)
        self.rowCount = math.ceil(len(self.items) / self.columnCount)
        self.updateSize()
        self.updateGeometry()


def legend_above(plot, columns=3):
    """A legend in the row above the plotting area (in place of the unused top axis),
    ``columns`` entries a row: it never covers the data."""
    item = plot.getPlotItem()
    legend = Legend(offset=None, colCount=columns, labelTextSize="9pt", horSpacing=4,
                    pen=None, brush=None)
    legend.wanted_columns = columns
    legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    top = item.getAxis("top")
    item.layout.removeItem(top)
    top.hide()
    item.layout.addItem(legend, 1, 0, 1, 2)     # above the left axis and the data
    item.layout.setAlignment(legend, Qt.AlignmentFlag.AlignLeft)
    item.legend = legend
    return legend


def make_plot(title=None, x_label=None, y_label=None, date_axis=False, log_y=False,
              legend=False, legend_columns=3, x_integers=False, name=None):
    """A :class:`Plot` with plain-number axes (a date axis at the bottom when
    ``date_axis``; whole numbers only when ``x_integers``), clipped to the view and
    downsampled for drawing; its accessible name is ``name`` (what it shows), else its
    first title."""
    bottom = DateAxis() if date_axis else Axis("bottom", integers=x_integers)
    plot = Plot(axis_items={"bottom": bottom, "left": Axis("left")})
    plot.setAccessibleName(name or title or "Plot")
    plot.setMinimumHeight(180)
    if title:
        plot.setTitle(title, size="10pt")
    if x_label:
        plot.setLabel("bottom", x_label)
    if y_label:
        plot.setLabel("left", y_label)
    plot.setLogMode(y=log_y)
    if legend:
        legend_above(plot, legend_columns)
    item = plot.getPlotItem()
    item.setClipToView(True)
    item.setDownsampling(auto=True, mode="peak")
    return plot


def show_x(plot, low, high, padding=0.02):
    """Show ``low`` to ``high`` along x at once (not at the next paint, as automatic ranging
    does); the y axis fits the data."""
    if not high > low:
        low, high = low - 0.5, high + 0.5
    plot.setXRange(low, high, padding=padding)
    plot.enableAutoRange(y=True)


def time_positions(times):
    """``(x, dates)``: plot positions of ``times`` (a pandas Series or an array): seconds
    since 1970 when they are dates (for a date axis, :func:`set_date_axis`), else their
    numbers; and whether they are dates."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(times):
        stamps = pd.Series(times).to_numpy(dtype="datetime64[ns]")
        return stamps.astype("int64") / 1e9, True
    return np.asarray(times, dtype=float), False


def row_step(x):
    """The distance between two rows at the plot positions ``x`` (m,), in the axis's units
    (seconds on a date axis): the median of their gaps, 1 for a single row."""
    x = np.asarray(x, dtype=float)
    return float(np.median(np.diff(x))) if len(x) > 1 else 1.0


def set_date_axis(plot, dates):
    """Give ``plot`` a date axis at the bottom (``dates``) or a plain one; the axis label
    is kept. Returns whether the axis was replaced."""
    wanted = DateAxis if dates else Axis
    current = plot.getAxis("bottom")
    if type(current) is wanted:
        return False
    label = current.labelText
    plot.setAxisItems({"bottom": wanted("bottom")})
    plot.setLabel("bottom", label)
    if plot.empty:
        plot.getAxis("bottom").setStyle(showValues=False)
    return True


def curve(plot, color, name=None, width=1.5, symbol=None):
    return plot.plot([], [], pen=pg.mkPen(color, width=width), name=name, symbol=symbol,
                     symbolSize=5, symbolBrush=color, symbolPen=None)


class Interval:
    """A forecast's interval on ``plot``: a shaded band between ``low`` and ``high`` (two
    invisible curves and a :class:`pyqtgraph.FillBetweenItem`) over several steps, a bar
    with ends for one step (a band of one point has no area, and its empty bounding box
    pulled the view's range to 0). :attr:`drawn` says which is shown: ``"band"``, ``"bar"``
    or None."""

    SHAPES = {"band": "shaded", "bar": "bar"}     # how a title names what is drawn

    def __init__(self, plot, color, alpha=50):
        self.low = plot.plot([], [], pen=pg.mkPen((0, 0, 0, 0)))
        self.high = plot.plot([], [], pen=pg.mkPen((0, 0, 0, 0)))
        brush = QColor(color)
        brush.setAlpha(alpha)
        # between the curves as drawn, which follow the view (clipped to it): the data
        # items signal only new data, so a band on them kept the rows in view when drawn
        self.band = pg.FillBetweenItem(self.low.curve, self.high.curve,
                                       brush=pg.mkBrush(brush))
        plot.addItem(self.band)
        self.bar = pg.ErrorBarItem(pen=pg.mkPen(color, width=2))
        plot.addItem(self.bar)
        self.bar.setVisible(False)
        self.drawn = None

    def show(self, x, values, low, high, step=1.0):
        """Draw the interval ``[low, high]`` (m,) around ``values`` (m,) at positions ``x``;
        none when a bound is not a number. ``step``: the distance between two rows (the
        bar's ends are half as wide)."""
        x, values = np.asarray(x, float), np.asarray(values, float)
        low, high = np.asarray(low, float), np.asarray(high, float)
        bounded = len(x) > 0 and bool(np.isfinite(low).all() and np.isfinite(high).all())
        band = bounded and len(x) > 1
        self.band.setVisible(band)
        self.low.setData(x if band else [], low if band else [])
        self.high.setData(x if band else [], high if band else [])
        self.bar.setVisible(bounded and not band)
        self.drawn = ("band" if band else "bar") if bounded else None
        if bounded and not band:
            self.bar.setData(x=x, y=values, top=high - values, bottom=values - low,
                             beam=step / 2)

    def clear(self):
        self.show([], [], [], [])

    def words(self, what):
        """A title's note on the interval drawn: ``" (shaded: its 90% interval)"``, ``" (bar:
        its 90% interval)"``, or "" when none is drawn; ``what`` names the interval."""
        return f" ({self.SHAPES[self.drawn]}: {what})" if self.drawn else ""
