"""The plot of one variable of step 2's table over time (one series)."""

import numpy as np
import pandas as pd
from PySide6.QtCore import Slot

from ...widgets.plots import COLORS, curve, time_positions
from ...widgets.time_plot import TimePlot


class VariablePlot:
    """The data page's part that plots the selected variable."""

    def _build_variable_plot(self):
        """The plot of the selected variable over time (``variable_view``)."""
        self.variable_view = TimePlot("Selected variable", y_label="value",
                                      name="The selected variable over time")
        self.variable_plot = self.variable_view.plot
        self.variable_curve = curve(self.variable_plot, COLORS["target"])
        self.variable_view.follow(self.variable_curve)

    @Slot()
    def _plot_selected(self):
        if self.session.is_many_series():      # the series view plots one series
            return
        table = self.session.table
        rows = self.variables.selectionModel().selectedRows() if self.variables.rowCount() \
            else []
        if table is None:
            return
        config = self.session.config()
        if rows:
            name = self.variables.item(rows[0].row(), 0).text()
        else:
            targets = self._targets(config) if config else []
            name = targets[0] if targets else None
        if name is None or name not in table.frame or \
                not pd.api.types.is_numeric_dtype(table.frame[name]):
            self.variable_curve.setData([], [])
            self.variable_plot.setLabel("left", "")
            self.variable_plot.setTitle("Select a numeric variable to plot it", size="10pt")
            return
        x, axis = self._time_axis(table)
        self.variable_curve.setData(x, table.frame[name].to_numpy(dtype=float),
                                    connect="finite")
        self.variable_plot.setLabel("left", name)
        self.variable_plot.setTitle(f"{name} by {axis}", size="10pt")

    def _time_axis(self, table):
        """x values for plots over time: seconds since 1970 under a date axis when the time
        column holds dates, else row numbers (or the time column's numbers, e.g. years)."""
        import pyqtgraph as pg
        column = table.time_column
        times = table.frame[column] if column else None
        if times is not None and (pd.api.types.is_datetime64_any_dtype(times)
                                  or pd.api.types.is_numeric_dtype(times)):
            x, dates = time_positions(times)
            wanted, label = (pg.DateAxisItem, "date") if dates else (pg.AxisItem, column)
        else:
            x, wanted, label = np.arange(len(table.frame)), pg.AxisItem, "row"
        self.variable_view.set_date_axis(wanted is pg.DateAxisItem)
        return x, label
