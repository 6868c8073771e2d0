"""The forecast tab of a model of many series: every series' next steps with their interval
(:func:`engine.many.forecasting.forecast_frame`), one series at a time in the plot (chosen
with the series picker), and all of them saved as one CSV file
(:func:`engine.many.forecasting.write_forecast_file`). The Method box chooses what makes the
forecast: the network, or a classical method made from each series' own known values
(:mod:`engine.many.method_forecasts`, without intervals); the one that did best on the
testing rows of the fit is marked."""

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout

from engine.deploy.forecasting import time_positions
from engine.many.every_target import stored_summaries, targets_by_method
from engine.many.forecasting import (MAX_STEPS, MORE_STEPS_AHEAD, forecast_frame,
                                     forecast_headline, forecast_reach, series_forecast,
                                     write_forecast_file)
from engine.many.method_forecasts import FORECAST_METHODS
from engine.testing.verdict import method_words
from engine.training.share_words import UNUSED_NOTE, kept_method_words, recurrent_unused
from engine.words import counted, listed

from ...widgets.controls import combo, spin_box
from ...widgets.narrow import FlowLayout
from ...widgets.series_picker import SeriesPicker
from ..many_data import sentences
from .forecast_tab import LEVELS, NO_FORECAST, forecast_view
from .texts import UNFIT, steps_text
from .tool import csv_target, DeployTool

FORECASTING = "Forecasting every series..."
BEST = " (best on testing)"         # the tooltip says which rows
METHOD_TIP = ("What makes the forecast: the trained model, or a classical method made "
              "from each series' own known values (Naive2, seasonal naive or the Theta "
              "method), which reads no inputs and gives no intervals. The one that did best "
              "on the testing rows of every series (by OWA, as step 6 scores them) is "
              "marked; when several targets were scored and not the same method did best "
              "on each, each mark names the targets that method did best on.")


def testing_summaries(session, model):
    """target -> every method's scores on the testing rows (method -> {"owa", ...}) that
    the fit of the session's project stored, of its model of many series: each target's,
    from ``model``'s file (:func:`~engine.many.every_target.stored_summaries`), else the
    project's own of its first target; {} without them."""
    project = getattr(session, "project", None)
    comparison = project.results.comparison if project is not None else None
    training = (project.results.training or {}) if project is not None else {}
    return stored_summaries(comparison, getattr(model, "metadata", None),
                            training.get("id"))


def best_marks(summaries, targets):
    """method of :data:`FORECAST_METHODS` -> the words that mark it in the Method box: the
    method that did best on the testing rows of each target of ``summaries``
    (:func:`~engine.many.every_target.best_by_target`: the comparator the network does not
    beat, else the network), :data:`BEST` when it is one method for all ``targets`` (the
    model's), else each naming the targets it did best on: " (best on testing, sales)"."""
    methods = targets_by_method(summaries)
    if len(methods) == 1 and len(next(iter(methods.values()))) == targets:
        return {next(iter(methods)): BEST}
    return {method: f" (best on testing, {listed(names)})" for method, names in
            methods.items()}


FORECAST_TIP = "Forecast the next steps of every series."


class ManyForecastTab(DeployTool):
    """Steps, interval, Forecast, Save forecasts and the series picker; ``frame`` is the
    forecast table on screen (one row per series and step) and ``shown`` its
    ``(steps, level, method)``. Emits ``forecasted`` once a new forecast is shown."""

    forecasted = Signal()

    def __init__(self, session, tasks):
        super().__init__(session, tasks)
        self.data = None
        self.most, self.why = MAX_STEPS, None      # how far the network reaches, and why
        self.frame = None
        self.shown = None
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.reach = QLabel()           # why Steps goes no further, when it is limited
        self.reach.setWordWrap(True)
        self.reach.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_controls())
        layout.addWidget(self.reach)
        layout.addWidget(self.notes)
        layout.addWidget(self._build_plot(), 1)

    def _build_controls(self):
        self.steps = spin_box(1, MAX_STEPS, "How many steps after each series' last row to "
                              "forecast. The model gives its horizon at once; further "
                              "steps are forecast from its own forecasts.")
        self.level = combo(LEVELS, "The share of future values the band should hold, "
                           "calibrated on the selection windows of every series: 90% "
                           "means about 9 in 10 outcomes fall inside.")
        self.level.setCurrentIndex(1)
        self.method = combo([(m, method_words(m, capital=True))
                             for m in FORECAST_METHODS], METHOD_TIP)
        self.method.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.method.currentIndexChanged.connect(self._limit_steps)
        self.button = QPushButton("F&orecast")
        self.button.setToolTip(FORECAST_TIP)
        self.button.clicked.connect(self.run)
        self.save_button = QPushButton("&Save forecasts...")
        self.save_button.setToolTip("Write one row per series and step: the series, the "
                                    "time (or step number), the forecast and its lower and "
                                    "upper bound, as CSV.")
        self.save_button.clicked.connect(self.save)
        self.picker = SeriesPicker()
        self.picker.series_chosen.connect(self.show_series)
        row = FlowLayout()          # onto a second line in a narrow window
        for label, widget in (("&Method:", self.method), ("Ste&ps:", self.steps),
                              ("&Interval:", self.level)):
            row.addPair(label, widget)
        row.addWidget(self.button)
        row.addWidget(self.save_button)
        row.addPair("Se&ries:", self.picker)
        return row

    def _build_plot(self):
        forecast_view(self, "The chosen series' known values (grey), its forecast (red) "
                      "and the model's prediction interval (shaded; a classical method "
                      "gives none).")
        self.forecast_curve.setSymbolSize(5)
        return self.view

    # -- the model -------------------------------------------------------------------------
    def show_model(self, model, data):
        """Forget the previous forecast; the steps default to the model's horizon and go no
        further than the network reaches (:func:`~engine.many.forecasting.forecast_reach`:
        a model with inputs stops at its horizon), the line under the controls saying
        why; the Method box names the network as its fit kept it and marks the method
        that did best on the testing rows."""
        self.data = data
        super().show_model(model, data)
        self.set_busy(self.tasks.running)
        self.most, self.why = forecast_reach(model) if model is not None else (MAX_STEPS,
                                                                               None)
        self._name_methods(model)
        self._limit_steps()
        if model is None:
            self.picker.set_series([])
            return
        self.steps.setValue(model.steps)
        self.picker.set_series(list(data.ids) if data is not None else [])

    def _name_methods(self, model):
        """Name each method, the one that did best on the testing rows marked; the network
        as ``model``'s fit kept it: "The model, a linear autoregression" when its training
        left the recurrent part unused (:func:`~engine.training.share_words.
        recurrent_unused`, as the model's summary says), the tooltip saying why."""
        marks = best_marks(testing_summaries(self.session, model),
                           len(model.target_names)) if model else {}
        unused = model is not None and recurrent_unused(model.network)
        for index, method in enumerate(FORECAST_METHODS):
            words = kept_method_words(None, unused) if method == "network" else \
                method_words(method, capital=True)
            self.method.setItemText(index, words + marks.get(method, ""))
        self.method.setToolTip(METHOD_TIP + (f" {UNUSED_NOTE}" if unused else ""))

    def _limit_steps(self, *args):
        """The Steps box's maximum: the network's reach; a classical method reads no inputs
        and forecasts any number of steps. The line under the controls says why when it is
        limited."""
        limited = self.method.currentData() == "network" and self.why is not None
        self.steps.setMaximum(self.most if limited else MAX_STEPS)
        self.reach.setVisible(limited)
        self.reach.setText(f"At most {steps_text(self.most)}: {self.why}. "
                           f"{MORE_STEPS_AHEAD}" if limited else "")

    def without_intervals(self):
        """The chosen method's words when it is not the network (a classical method gives
        no intervals), else None."""
        method = self.method.currentData()
        return None if method == "network" else method_words(method)

    def clear(self):
        self.frame = self.shown = None
        self.save_button.setEnabled(False)
        for item in (self.history_curve, self.forecast_curve, self.joint_curve):
            item.setData([], [])
        self.interval.clear()
        self.notes.setText("")

    def set_busy(self, running):
        """Forecast waits for the running task, and stays off while the data set does not
        fit the model (its tooltip says so: the page shows why above the tabs)."""
        self.button.setEnabled(not running and not self.unfit)
        self.button.setToolTip(UNFIT if self.unfit else FORECAST_TIP)
        self.plot.set_empty_text("No forecast: the data set does not fit the model"
                                 if self.unfit else NO_FORECAST)
        self.save_button.setEnabled(not running and self.frame is not None)

    # -- forecasting -----------------------------------------------------------------------
    def run(self):
        if self.model is None or self.tasks.running:
            return
        if self.data is None:
            self.notes.setText("Load the data file (step 2) to forecast from it.")
            return
        steps, level = self.steps.value(), self.level.currentData()
        method = self.method.currentData()
        self.notes.setText(FORECASTING)
        self.tasks.start(forecast_frame, self.model, self.data, steps, level, method,
                         done=lambda result: self._forecasted(result, steps, level, method),
                         cancelled=lambda: self.notes.setText(""))

    def _forecasted(self, result, steps, level, method="network"):
        self.frame, notes = result
        self.shown = (steps, level, method)
        self.save_button.setEnabled(True)
        # the notes say why an interval is unknown: the headline does not say it too
        headline = forecast_headline(self.frame, self.model, level, why=False, method=method,
                                     in_words=True)
        self.notes.setText(sentences([headline] + list(notes)))
        self.show_series()
        self.forecasted.emit()

    def save(self):
        """Write the forecast on screen (its steps, level and method) of every series as
        CSV, in the delimiter and decimal mark of the data's file."""
        if self.frame is None or self.tasks.running:
            return
        target = csv_target(self, "Save forecasts", "_forecasts.csv")
        if not target:
            return
        steps, level, method = self.shown
        table = self.session.table          # the data's file: its delimiter and decimal mark
        self.tasks.start(write_forecast_file, self.model, self.data, steps, target, level,
                         None if table is None else table.options, method,
                         done=lambda result: self._saved(target, *result))

    def _saved(self, target, frame, notes):
        """Say how many series' forecasts were written (not those that have none)."""
        done, _ = series_forecast(frame, self.model)
        self.notes.setText(" ".join([f"The forecasts of {counted(done, 'series', 'series')} "
                                     f"were saved to {target}."] + list(notes)))

    # -- the plot --------------------------------------------------------------------------
    def show_series(self, *args):
        """Plot the chosen series' history, forecast and band (none for a classical
        method: its bounds are empty)."""
        name = self.picker.current_series()
        if self.frame is None or name is None:
            return
        data = self.data
        i = data.ids.index(name)
        target = self.model.target_names[0]
        rows = self.frame[self.frame[data.series_column].astype(str) == name]
        values = rows[target].to_numpy(float)
        percent = round(self.shown[1] * 100)
        lower = rows[f"{target}_lower_{percent}"].to_numpy(float)
        upper = rows[f"{target}_upper_{percent}"].to_numpy(float)
        history = data.history(i)
        if data.times is None:
            history_x = np.arange(len(history), dtype=float)
            forecast_x = len(history) - 1 + rows["step"].to_numpy(float)
        else:
            history_x = time_positions(list(data.times.iloc[data.rows(i)]))
            forecast_x = time_positions(list(rows[data.time_column]))
        dates = data.times is not None and hasattr(data.times.iloc[0], "year")
        self.view.set_date_axis(dates)
        self.plot.setLabel("bottom", data.time_column or "row of the series")
        self.plot.setLabel("left", target)
        _, level, method = self.shown
        by = "" if method == "network" else f" by {method_words(method)}"
        bounded = f" with {level:.0%} interval" if method == "network" and \
            level not in self.model.unknown_levels() else ""
        self.plot.setTitle(f"{name}: {target}, forecast of {steps_text(len(values))}{by}"
                           f"{bounded}", size="10pt")
        self.view.recent_points = max(4 * len(values), 96)
        self.history_curve.setData(history_x, history, connect="finite")
        self.forecast_curve.setData(forecast_x, values)
        self.joint_curve.setData([history_x[-1], forecast_x[0]], [history[-1], values[0]])
        step = np.diff(history_x[-2:])[0] if len(history_x) > 1 else 1.0
        self.interval.show(forecast_x, values, lower, upper, step)
