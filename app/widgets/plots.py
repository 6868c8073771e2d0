"""pyqtgraph plots with the application's look: white background, labelled axes, one curve
item per series that is fed with ``setData``."""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QSize  # noqa: E402

pg.setConfigOptions(antialias=True, background="w", foreground="#333")

COLORS = {"training": "#1f77b4", "selection": "#ff7f0e", "testing": "#2ca02c",
          "target": "#444444", "prediction": "#d62728", "accent": "#9467bd"}


class Plot(pg.PlotWidget):
    """A plot that asks for little room and grows into what the page gives it (a large
    size hint would make pages with wrapped text scroll instead of fitting)."""

    def sizeHint(self):
        return QSize(400, 220)


def make_plot(title=None, x_label=None, y_label=None, date_axis=False, log_y=False,
              legend=False):
    axis_items = {"bottom": pg.DateAxisItem()} if date_axis else None
    plot = Plot(axisItems=axis_items)
    plot.setMinimumHeight(180)
    if title:
        plot.setTitle(title, size="10pt")
    if x_label:
        plot.setLabel("bottom", x_label)
    if y_label:
        plot.setLabel("left", y_label)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLogMode(y=log_y)
    if legend:
        plot.addLegend(offset=(-10, 10))
    item = plot.getPlotItem()
    item.setClipToView(True)
    item.setDownsampling(auto=True, mode="peak")
    return plot


def curve(plot, color, name=None, width=1.5, symbol=None):
    return plot.plot([], [], pen=pg.mkPen(color, width=width), name=name, symbol=symbol,
                     symbolSize=5, symbolBrush=color, symbolPen=None)
