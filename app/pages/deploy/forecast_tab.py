"""The forecast tab: the steps after the end of the data with their prediction interval
(:func:`engine.deploy.forecasting.forecast`), plotted after the history and saved as CSV.
The Method box chooses what makes the forecast: the model's network, or a classical method
fitted on the data (the verdict after the fit marks the one that did best on the selection
part)."""

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QVBoxLayout

from engine.deploy.forecasting import (MAX_STEPS, MORE_ROWS, forecast, forecast_reach,
                                      write_forecast)
from engine.errors import EngineError
from engine.testing.comparators import form_notation
from engine.testing.verdict import method_words, network_lost
from engine.training.share_words import (UNUSED_NOTE, kept_method_words, recurrent_unused,
                                         share_note)

from ...widgets.controls import combo, spin_box
from ...widgets.narrow import FlowLayout
from ...widgets.plots import COLORS, Interval, curve
from ...widgets.time_plot import TimePlot
from .texts import steps_text
from .tool import DeployTool, csv_target

LEVELS = [(0.8, "80%"), (0.9, "90%"), (0.95, "95%")]
METHODS = [("network", "The network"), ("ets", "Exponential smoothing"),
           ("theta", "The Theta method"), ("linear", "A linear autoregression")]
NO_INTERVALS = ("linear",)          # the methods whose forecast has no interval
BEST = " (best on selection)"       # the tooltip says which part
METHOD_TIP = ("What makes the forecast: the trained network, or a classical method fitted "
              "on this data: exponential smoothing (ETS) or the Theta method, fitted on the "
              "targets' known values alone, or a linear autoregression, which reads the "
              "network's windows, its inputs and the values the model fills in for empty "
              "cells included. The training's comparison marks the one that did best on "
              "the selection part.")
HISTORY_ROWS = 200
RECENT_ROWS = 48                # rows first shown: the forecast beside recent history
FORECASTING = "Forecasting..."
NO_FORECAST = "No forecast yet: press Forecast"


def forecast_note(result):
    """One note on a :class:`~engine.deploy.forecasting.ForecastResult`: how many steps and
    how the network made them, then the engine's notes; only the engine's notes when there
    are fewer steps than asked (the first says how many, how and why)."""
    if result.steps < result.requested:
        return " ".join(result.notes)
    how = ""
    if result.source == "network":
        how = (", feeding each forecast back as the next input" if result.method ==
               "recursive" else ", from the model's own output steps")
    return " ".join([f"{steps_text(result.steps).capitalize()} forecast{how}."] +
                    list(result.notes))


def forecast_view(tab, tooltip):
    """The forecast plot of a forecast tab ``tab``: a :class:`TimePlot` (``tab.view``,
    ``tab.plot``) with the known values (``tab.history_curve``), the forecast
    (``tab.forecast_curve``), a dashed line between them (``tab.joint_curve``) and the
    interval (``tab.interval``, an :class:`~app.widgets.plots.Interval`)."""
    import pyqtgraph as pg
    tab.view = TimePlot("Forecast", legend=True, name="Known values and the forecast")
    tab.plot = tab.view.plot
    tab.plot.set_empty_text(NO_FORECAST)
    tab.plot.setToolTip(tooltip)
    tab.interval = Interval(tab.plot, COLORS["prediction"])
    tab.history_curve = curve(tab.plot, COLORS["target"], "known values")
    tab.forecast_curve = curve(tab.plot, COLORS["prediction"], "forecast", width=2,
                               symbol="o")
    tab.joint_curve = tab.plot.plot([], [], pen=pg.mkPen(
        COLORS["prediction"], width=1.5, style=Qt.PenStyle.DashLine))
    tab.view.follow(tab.history_curve, tab.forecast_curve)
    return tab.view


class ForecastTab(DeployTool):
    """Forecast and Save forecast; ``result`` is the ForecastResult on screen (or None).
    Emits ``forecasted`` once a new forecast is shown."""

    forecasted = Signal()

    def __init__(self, session, tasks):
        super().__init__(session, tasks)
        self.result = None
        self.most, self.why = MAX_STEPS, None      # how far the network reaches, and why
        controls = self._build_controls()
        self.reach = QLabel()
        self.reach.setWordWrap(True)
        self.reach.setVisible(False)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        plot = self._build_plot()
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.reach)
        layout.addWidget(self.notes)
        layout.addWidget(plot, 1)

    def _build_controls(self):
        self.steps = spin_box(1, MAX_STEPS, "How many time steps after the last known target "
                              "value to forecast. The further ahead, the wider the interval.")
        self.steps.setValue(12)
        self.level = combo(LEVELS, "The share of future values the band should hold, "
                           "calibrated on the selection part: 90% means about 9 in 10 "
                           "outcomes fall inside.")
        self.level.setCurrentIndex(1)
        self.target = QComboBox()
        self.target.setToolTip("The target shown in the plot (the CSV holds all).")
        self.target.currentIndexChanged.connect(self.show_target)
        self.button = QPushButton("F&orecast")
        self.button.setToolTip("Forecast the next steps after the end of the data.")
        self.button.clicked.connect(self.run)
        self.save_button = QPushButton("&Save as CSV...")
        self.save_button.setToolTip("Write the time, the forecast and the interval's "
                                    "lower and upper bounds to a CSV file.")
        self.save_button.clicked.connect(self.save)
        self.method = combo(METHODS, METHOD_TIP)
        self.method.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.method.currentIndexChanged.connect(self._limit_steps)
        self.clip = QCheckBox("Not below &0")
        self.clip.setToolTip("Clip the forecast and its interval at zero for a target that "
                             "never goes below zero in the data (a count, an amount, an "
                             "energy use); a target that does is left as it is. The saved "
                             "CSV holds what is shown.")
        self.clip.toggled.connect(self._clip_toggled)
        self.target_label = QLabel("Sho&w:")
        row = FlowLayout()          # onto a second line in a narrow window
        for label, widget in (("&Method:", self.method), ("Ste&ps:", self.steps),
                              ("&Interval:", self.level), (None, self.clip),
                              (self.target_label, self.target)):
            if label is not None:
                row.addPair(label, widget)
            else:
                row.addWidget(widget)
        row.addWidget(self.button)
        row.addWidget(self.save_button)
        return row

    def _build_plot(self):
        import pyqtgraph as pg
        forecast_view(self, "The known values (grey), the forecast (red) and its "
                      "prediction interval (shaded).")
        return self.view

    # -- the model -------------------------------------------------------------------------
    def show_model(self, model, fitted):
        """Forget the previous model's forecast; offer this model's targets (none:
        ``model`` None)."""
        super().show_model(model, fitted)
        self.most, self.why = self._reach(model)
        self._limit_steps()
        if model is None:
            return
        self._name_methods(model.metadata or {}, recurrent_unused(model.network))
        wanted = self.session.project.selection.settings.get("forecast_steps") \
            if self.session.project is not None else None     # step 2's forecast length
        self.steps.setValue(min(int(wanted or fitted.period or 12), self.steps.maximum()))
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItems(fitted.target_names)
        self.target.blockSignals(False)
        self.target.setVisible(len(fitted.target_names) > 1)
        self.target_label.setVisible(len(fitted.target_names) > 1)

    def _reach(self, model):
        """``(most, why)``: how many steps the network can forecast from the session's data
        (:func:`~engine.deploy.forecasting.forecast_reach`); unlimited without a model or
        data."""
        if model is None or self.session.table is None:
            return MAX_STEPS, None
        try:
            return forecast_reach(model, self.session.table.frame)
        except EngineError:        # no known target value: the forecast will say so
            return MAX_STEPS, None

    def _limit_steps(self, *args):
        """The Steps box's maximum: the network's reach (and the linear autoregression's,
        which reads the same inputs); exponential smoothing and the Theta method read only
        the targets. The line under the controls says why when it is limited."""
        limited = self.method.currentData() in ("network", "linear") and \
            self.most < MAX_STEPS
        self.steps.setMaximum(max(1, self.most) if limited else MAX_STEPS)
        self.reach.setVisible(limited)
        if limited:
            most = (f"At most {steps_text(self.most)}" if self.most else
                    "The network cannot forecast this data")
            self.reach.setText(f"{most}: {self.why}. {MORE_ROWS}")

    def _clip_toggled(self, *args):
        """Forecast again with the new clipping when a forecast is shown."""
        if self.result is not None:
            self.run()

    def _name_methods(self, metadata, unused=False):
        """Name the model's own method as its fit kept it (a linear autoregression when the
        fit dropped the recurrent part or left it ``unused``: :func:`~engine.training.
        share_words.kept_method_words`, the tooltip saying why) and mark the method that did
        best on the selection part (the model, or the comparator that beat it); none for a
        model fitted before the comparison existed."""
        comparison = metadata.get("comparison")
        share = (metadata.get("training") or {}).get("linear_share")
        best = None
        if comparison and comparison.get("best"):
            best = comparison["best"] if network_lost(comparison) else "network"
        for index, (value, text) in enumerate(METHODS):
            text = kept_method_words(share, unused) if value == "network" else text
            self.method.setItemText(index, text + (BEST if value == best else ""))
        note = share_note(share) or (UNUSED_NOTE if unused else None)
        self.method.setToolTip(METHOD_TIP + (f" {note}" if note else ""))

    def without_intervals(self):
        """The chosen method's words when its forecast has no intervals (a linear
        autoregression), else None."""
        method = self.method.currentData()
        return method_words(method) if method in NO_INTERVALS else None

    def clear(self):
        self.result = None
        self.save_button.setEnabled(False)
        for item in (self.history_curve, self.forecast_curve, self.joint_curve):
            item.setData([], [])
        self.interval.clear()
        self._note("")

    def _note(self, text, tip=""):
        """Show ``text`` above the plot; ``tip``, its tooltip, gives the short notation of
        what a classical method fitted (its words are in the text)."""
        self.notes.setText(text)
        self.notes.setToolTip(tip)

    def set_busy(self, running):
        """Forecast, Save and the clip box wait for the running task: a forecast cannot
        start beside it, and the box forecasts again when it changes (it would stand
        ticked over an unclipped forecast)."""
        self.button.setEnabled(not running)
        self.clip.setEnabled(not running)
        self.save_button.setEnabled(not running and self.result is not None)

    # -- forecasting -----------------------------------------------------------------------
    def run(self):
        if self.model is None or self.tasks.running:
            return
        if self.session.table is None:
            self._note("Load the data file (step 2) to forecast from it.")
            return
        self._note(FORECASTING)
        self.tasks.start(forecast, self.model, self.session.table.frame, self.steps.value(),
                         self.level.currentData(), HISTORY_ROWS, self.method.currentData(),
                         "zero" if self.clip.isChecked() else None, "window",
                         done=self._forecasted, failed=self._failed,
                         cancelled=self._end_forecasting)

    def _forecasted(self, result):
        self.result = result
        self.save_button.setEnabled(True)
        self._note(forecast_note(result), form_notation(result.form))
        self.show_target()
        self.forecasted.emit()

    def _failed(self, message):
        self._end_forecasting()
        self.tasks.fail(message)

    def _end_forecasting(self):
        if self.notes.text() == FORECASTING:
            self._note("")

    def save(self):
        if self.result is None or self.tasks.running:
            return
        target = csv_target(self, "Save forecast", "_forecast.csv")
        if not target:
            return
        table = self.session.table          # the data's file: its delimiter and decimal mark
        self.tasks.start(write_forecast, self.result, target,
                         None if table is None else table.options, done=lambda path:
                         self._note(f"The forecast was saved to {path}."))

    # -- the plot --------------------------------------------------------------------------
    def show_target(self, *args):
        """Plot the chosen target's history, forecast and band."""
        result = self.result
        if result is None:
            return
        j = max(self.target.currentIndex(), 0)
        name = result.target_names[j]
        self._set_time_axis(result)
        self.plot.setLabel("left", name)
        by = "" if result.source == "network" else f" by {method_words(result.source)}"
        band = f" with {result.level:.0%} interval" if np.isfinite(result.lower).any() else ""
        self.plot.setTitle(f"{name}: forecast of {steps_text(result.steps)}{by}{band}",
                           size="10pt")
        history_x, forecast_x = result.axis("history"), result.axis()
        # the forecast beside a few times as much recent history, not after 200 rows
        self.view.recent_points = max(RECENT_ROWS, 4 * result.steps)
        self.forecast_curve.setSymbolSize(10 if result.steps == 1 else 6)
        self.history_curve.setData(history_x, result.history[:, j], connect="finite")
        self.forecast_curve.setData(forecast_x, result.values[:, j])
        # a dashed line joins the last known value and the first forecast
        known = np.flatnonzero(np.isfinite(result.history[:, j]))
        if known.size and known[-1] == len(result.history) - 1:
            self.joint_curve.setData([history_x[-1], forecast_x[0]],
                                     [result.history[-1, j], result.values[0, j]])
        else:
            self.joint_curve.setData([], [])
        step = np.diff(history_x[-2:])[0] if len(history_x) > 1 else 1.0
        self.interval.show(forecast_x, result.values[:, j], result.lower[:, j],
                           result.upper[:, j], step)

    def _set_time_axis(self, result):
        self.view.set_date_axis(bool(result.times) and hasattr(result.times[0], "year"))
        self.plot.setLabel("bottom", result.time_column or "row")

