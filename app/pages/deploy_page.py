"""Step 7: deploy the model. A forecast after the end of the data with its interval band
(saved as CSV), batch prediction of another CSV file, the outputs calculator, directional
outputs, and the exports (model file, Python module, ONNX, PyTorch weights).

Every computation is an engine call (:mod:`engine.deploy.forecasting`, :mod:`engine.deploy.calculator`,
:mod:`engine.deploy.predicting`, :mod:`engine.deploy.exports`) run by a TaskRunner; this page shows the
results."""

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog,
                               QGridLayout, QHBoxLayout, QLabel, QMessageBox,
                               QPushButton, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from engine import EngineError
from engine.deploy.calculator import calculate, calculator_rows, directional_outputs
from engine.deploy.exports import FORMATS, export_model
from engine.deploy.forecasting import MAX_STEPS, forecast, write_forecast
from engine.model.model_file import load_model
from engine.deploy.predicting import write_predictions

from ..widgets.controls import combo, spin_box
from ..widgets.plots import COLORS, curve, make_plot
from ..workers import TaskRunner, failure_text

LEVELS = [(0.8, "80%"), (0.9, "90%"), (0.95, "95%")]
EXPORTS = [
    ("model", "Model file...", "The RNN Studio model file (.npz): weights, scalers and window "
     "lengths, for rnn-studio predict and forecast on any computer."),
    ("python", "Python module...", "One .py file that predicts with NumPy alone: the weights "
     "and the preprocessing are inside. Give it the raw columns; it returns predictions in "
     "the targets' units, equal to this application's."),
    ("onnx", "ONNX model...", "The network with ONNX's standard RNN/GRU/LSTM operators, for "
     "onnxruntime and other ONNX tools. It takes scaled inputs and gives scaled outputs; the "
     "scaling is stored in the file's metadata."),
    ("torch", "PyTorch weights...", "The weights as a PyTorch state dict (.npz) with "
     "PyTorch's names: load them into torch.nn.GRU/LSTM/RNN and nn.Linear."),
]
EXPORT_NOTE = ("Each file is written completely or not at all; an existing file of that name "
               "is replaced.")


def _task(kind, function, *args):
    """Runs ``function(*args)`` in the worker; the page learns which task ended."""
    return kind, function(*args)


def _steps(n):
    return f"{n} step" if n == 1 else f"{n} steps"


def _number(value):
    if value is None or value != value:
        return "–"
    return f"{value:.6g}"


def _fit_width(table):
    """Make ``table`` as wide as its columns (plus its row labels and a scroll bar)."""
    table.resizeColumnsToContents()
    for c in range(table.columnCount()):
        table.setColumnWidth(c, max(table.columnWidth(c), 110))
    width = table.verticalHeader().sizeHint().width() + sum(
        table.columnWidth(c) for c in range(table.columnCount()))
    table.setMaximumWidth(width + table.verticalScrollBar().sizeHint().width() +
                          2 * table.frameWidth() + 2)
    table.setMinimumWidth(min(width + 2 * table.frameWidth(), 480))


def _model_summary(network, fitted, path, unsaved):
    """One sentence on the model the page deploys."""
    cells = {"rnn": "simple RNN", "gru": "GRU", "lstm": "LSTM"}
    units = " + ".join(str(int(s)) for s in np.atleast_1d(network.hidden_sizes))
    steps = "the same step" if fitted.horizon == 0 else \
        f"{fitted.horizon} step{'s' if fitted.horizon != 1 else ''} ahead"
    transform = {"none": "", "difference": "; the target as differences",
                 "seasonal_difference": "; the target as seasonal differences"}.get(
        fitted.target_transform, f"; the target as {fitted.target_transform}")
    where = "trained, not saved yet: File > Save keeps it" if unsaved else Path(path).name
    return (f"Model: {cells.get(network.cell, network.cell)} of {units} units, predicting "
            f"{', '.join(fitted.target_names)} {steps} from the last {fitted.lookback} rows of "
            f"{', '.join(v['name'] for v in fitted.inputs)}{transform} ({where}).")


class DeployPage(QWidget):
    """The deployment step's page; ``refresh()`` when it is shown or the project changes."""

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.model = None
        self.model_path = None
        self.fitted = None
        self.forecast_result = None
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.running_changed.connect(self._on_running)

        self.status = QLabel("Train the network first (step 4); then it is deployed here.")
        self.status.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._forecast_tab(), "Forecast")
        self.tabs.addTab(self._batch_tab(), "Batch prediction")
        self.tabs.addTab(self._calculator_tab(), "Outputs calculator")
        self.tabs.addTab(self._directional_tab(), "Directional outputs")
        self.tabs.addTab(self._export_tab(), "Export")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.busy_buttons = [self.forecast_button, self.save_forecast_button,
                             self.batch_button, self.calculate_button, self.reset_button,
                             self.directional_button] + list(self.export_buttons.values())
        self._set_available(False)

    # -- tabs ------------------------------------------------------------------------------
    def _forecast_tab(self):
        self.steps = spin_box(1, MAX_STEPS, "How many time steps after the last known target "
                              "value to forecast. The further ahead, the wider the interval.")
        self.steps.setValue(12)
        self.level = combo(LEVELS, "The share of future values the band should hold, "
                           "calibrated on the selection part: 90% means about 9 in 10 "
                           "outcomes fall inside.")
        self.level.setCurrentIndex(1)
        self.forecast_target = QComboBox()
        self.forecast_target.setToolTip("The target shown in the plot (the CSV holds all).")
        self.forecast_target.currentIndexChanged.connect(self._show_forecast)
        self.forecast_button = QPushButton("Forecast")
        self.forecast_button.setToolTip("Forecast the next steps after the end of the data.")
        self.forecast_button.clicked.connect(self.run_forecast)
        self.save_forecast_button = QPushButton("Save forecast as CSV...")
        self.save_forecast_button.setToolTip("Write the time, the forecast and the interval's "
                                             "lower and upper bounds to a CSV file.")
        self.save_forecast_button.clicked.connect(self.save_forecast)
        self.forecast_target_label = QLabel("Show:")
        row = QHBoxLayout()
        for label, widget in ((QLabel("Steps:"), self.steps), (QLabel("Interval:"), self.level),
                              (self.forecast_target_label, self.forecast_target)):
            row.addWidget(label)
            row.addWidget(widget)
        row.addWidget(self.forecast_button)
        row.addWidget(self.save_forecast_button)
        row.addStretch(1)
        self.forecast_notes = QLabel()
        self.forecast_notes.setWordWrap(True)
        self.forecast_plot = make_plot("Forecast", legend=True)
        self.forecast_plot.setToolTip("The known values (grey), the forecast (red) and its "
                                      "prediction interval (shaded).")
        import pyqtgraph as pg
        self.band_low = curve(self.forecast_plot, COLORS["prediction"], width=0)
        self.band_high = curve(self.forecast_plot, COLORS["prediction"], width=0)
        self.band = pg.FillBetweenItem(self.band_low, self.band_high,
                                       brush=pg.mkBrush(214, 39, 40, 50))
        self.forecast_plot.addItem(self.band)
        self.history_curve = curve(self.forecast_plot, COLORS["target"], "known values")
        self.forecast_curve = curve(self.forecast_plot, COLORS["prediction"], "forecast",
                                    width=2, symbol="o")
        self.joint_curve = self.forecast_plot.plot([], [], pen=pg.mkPen(
            COLORS["prediction"], width=1.5, style=Qt.PenStyle.DashLine))
        legend = self.forecast_plot.getPlotItem().legend
        legend.setOffset((70, 10))
        legend.setBrush(pg.mkBrush(255, 255, 255, 210))     # readable over the curves
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.forecast_notes)
        layout.addWidget(self.forecast_plot, 1)
        return tab

    def _batch_tab(self):
        text = QLabel("Predict another CSV file with the same columns (for example new "
                      "measurements). The result is that file's rows with the model's "
                      "predictions beside them, and the predictions past its last row "
                      "appended, written as a new CSV file.")
        text.setWordWrap(True)
        self.batch_button = QPushButton("Predict a CSV file...")
        self.batch_button.setToolTip("Choose the CSV file to predict, then where to write "
                                     "the predictions.")
        self.batch_button.clicked.connect(self.predict_file)
        self.batch_result = QLabel()
        self.batch_result.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(text)
        row = QHBoxLayout()
        row.addWidget(self.batch_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.batch_result)
        layout.addStretch(1)
        return tab

    def _calculator_tab(self):
        self.calculator_help = QLabel()
        self.calculator_help.setWordWrap(True)
        self.calculator = QTableWidget(0, 0)
        self.calculator.setToolTip("The recent values the network reads, oldest first, in "
                                   "the data's units. Edit any cell, then Calculate.")
        self.calculator.horizontalHeader().setDefaultSectionSize(120)
        self.calculate_button = QPushButton("Calculate")
        self.calculate_button.setToolTip("The model's outputs for the values in the table.")
        self.calculate_button.clicked.connect(self.run_calculation)
        self.reset_button = QPushButton("Reset to the data")
        self.reset_button.setToolTip("Fill the table again with the data's latest rows.")
        self.reset_button.clicked.connect(self._fill_calculator)
        self.outputs = QTableWidget(0, 0)
        self.outputs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outputs.setToolTip("The outputs in the targets' units, for each step ahead.")
        self.outputs.horizontalHeader().setDefaultSectionSize(120)
        buttons = QHBoxLayout()
        buttons.addWidget(self.calculate_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(buttons)
        right.addWidget(QLabel("Outputs, in the targets' units:"))
        right.addWidget(self.outputs)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(self.calculator, 3)          # grows up to its columns' width
        columns.addSpacing(12)
        columns.addLayout(right, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.calculator_help)
        layout.addLayout(columns, 1)
        return tab

    def _directional_tab(self):
        text = QLabel("How an output responds when one input varies over its usual range and "
                      "every other value in the calculator's table is held. A flat line: "
                      "the output hardly depends on that input.")
        text.setWordWrap(True)
        self.direction_input = QComboBox()
        self.direction_input.setToolTip("The input that varies.")
        self.direction_where = combo([("all", "at every step of the window"),
                                      ("last", "at the last step only")],
                                     "Vary the input at every row the network reads (a "
                                     "level held for the whole window) or at the latest row "
                                     "only (a sudden change).")
        self.direction_output = QComboBox()
        self.direction_output.setToolTip("The output shown: a target at a step ahead.")
        self.direction_output.currentIndexChanged.connect(self._show_directional)
        self.directional_button = QPushButton("Show")
        self.directional_button.setToolTip("Compute the outputs along the input's range.")
        self.directional_button.clicked.connect(self.run_directional)
        row = QHBoxLayout()
        for label, widget in (("Vary:", self.direction_input), ("", self.direction_where),
                              ("Output:", self.direction_output)):
            if label:
                row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(self.directional_button)
        row.addStretch(1)
        self.directional_plot = make_plot("Directional outputs")
        self.directional_plot.setToolTip("The output (vertical) as the chosen input varies "
                                         "(horizontal); the dot marks the output of the table as it is, "
                                         "which lies on the line when only the last step "
                                         "varies.")
        import pyqtgraph as pg
        self.directional_curve = curve(self.directional_plot, COLORS["prediction"], width=2)
        self.current_point = self.directional_plot.plot(
            [], [], pen=None, symbol="o", symbolSize=9, symbolBrush=COLORS["target"])
        self.current_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            COLORS["target"], width=1, style=Qt.PenStyle.DashLine))
        self.current_line.setVisible(False)
        self.directional_plot.addItem(self.current_line)
        self.directional = None
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.directional_plot, 1)
        return tab

    def _export_tab(self):
        grid = QGridLayout()
        self.export_buttons = {}
        for row, (fmt, label, text) in enumerate(EXPORTS):
            button = QPushButton(label)
            button.setToolTip(f"Write the trained model as a {FORMATS[fmt][0]} "
                              f"({FORMATS[fmt][1]}).")
            button.clicked.connect(lambda checked=False, f=fmt: self.export(f))
            self.export_buttons[fmt] = button
            description = QLabel(text)
            description.setWordWrap(True)
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(description, row, 1)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(14)
        grid.setHorizontalSpacing(12)
        self.export_result = QLabel(EXPORT_NOTE)
        self.export_result.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(grid)
        layout.addSpacing(16)
        layout.addWidget(self.export_result)
        layout.addStretch(1)
        return tab

    # -- state -----------------------------------------------------------------------------
    def _set_available(self, available):
        self.tabs.setEnabled(available)

    @Slot(bool)
    def _on_running(self, running):
        for button in self.busy_buttons:
            button.setEnabled(not running)
        if not running:
            self.save_forecast_button.setEnabled(self.forecast_result is not None)

    def refresh(self):
        """Load the latest trained model (when it changed) and fill the page from it."""
        path = self.session.trained_model() if self.session.project else None
        key = self.session.model_identity() if path is not None else None
        if key is None:
            self.model = self.model_path = self.fitted = self.forecast_result = None
            self._clear_plots()
            self.status.setText("Train the network first (step 4); then it is deployed here.")
            self._set_available(False)
            return
        if key == self.model_path:          # the same model; a save may have moved it
            self.status.setText(_model_summary(self.model.network, self.fitted, path,
                                               path == self.session.pending_model))
            return
        try:
            self.model = load_model(path)
            self.fitted = self.model.preprocessing
        except EngineError as error:
            self.model = None
            self.status.setText(f"<span style='color:#b00020'>{error}</span>")
            self._set_available(False)
            return
        self.model_path = key
        self._set_available(True)
        self.forecast_result = None
        self.save_forecast_button.setEnabled(False)
        fitted = self.fitted
        network = self.model.network
        self.status.setText(_model_summary(network, fitted, path,
                                           path == self.session.pending_model))
        self.steps.setValue(int(fitted.period or 12))
        for box, names in ((self.forecast_target, fitted.target_names),
                           (self.direction_input, [v["name"] for v in fitted.inputs
                                                   if v["type"] == "numeric"])):
            box.blockSignals(True)
            box.clear()
            box.addItems(names)
            box.blockSignals(False)
        self.direction_output.blockSignals(True)
        self.direction_output.clear()
        for h, offset in enumerate(fitted.target_offsets()):
            for j, name in enumerate(fitted.target_names):
                ahead = "same step" if offset == 0 else f"{offset} step{'s' if offset > 1 else ''} ahead"
                self.direction_output.addItem(f"{name}, {ahead}", (h, j))
        self.direction_output.blockSignals(False)
        self.forecast_target.setVisible(len(fitted.target_names) > 1)
        self.forecast_target_label.setVisible(len(fitted.target_names) > 1)
        self._clear_plots()
        self._fill_calculator()
        if self.session.table is not None and not self.runner.running:
            self.run_forecast()

    def _clear_plots(self):
        """Empty what showed results of the previous model: plots, tables, messages."""
        self.calculator.setRowCount(0)
        self.batch_result.setText("")
        self.export_result.setText(EXPORT_NOTE)
        for item in (self.history_curve, self.forecast_curve, self.joint_curve,
                     self.band_low, self.band_high,
                     self.directional_curve, self.current_point):
            item.setData([], [])
        self.current_line.setVisible(False)
        self.forecast_notes.setText("")
        self.outputs.setRowCount(0)
        self.directional = None

    # -- forecast --------------------------------------------------------------------------
    def run_forecast(self):
        if self.model is None or self.runner.running:
            return
        if self.session.table is None:
            self.forecast_notes.setText("Load the data file (step 2) to forecast from it.")
            return
        self.forecast_notes.setText("Forecasting...")
        self.runner.start(_task, "forecast", forecast, self.model, self.session.table.frame,
                          self.steps.value(), self.level.currentData())

    def _show_forecast(self, *args):
        result = self.forecast_result
        if result is None:
            return
        j = max(self.forecast_target.currentIndex(), 0)
        name = result.target_names[j]
        import pyqtgraph as pg
        dates = bool(result.times) and hasattr(result.times[0], "year")
        wanted = pg.DateAxisItem if dates else pg.AxisItem
        if type(self.forecast_plot.getAxis("bottom")) is not wanted:
            self.forecast_plot.setAxisItems({"bottom": pg.DateAxisItem() if dates
                                             else pg.AxisItem("bottom")})
        self.forecast_plot.setLabel("bottom", result.time_column or "row")
        self.forecast_plot.setLabel("left", name)
        self.forecast_plot.setTitle(f"{name}: forecast of {_steps(result.steps)} with "
                                    f"{result.level:.0%} interval", size="10pt")
        history_x, forecast_x = result.axis("history"), result.axis()
        self.history_curve.setData(history_x, result.history[:, j], connect="finite")
        self.forecast_curve.setData(forecast_x, result.values[:, j])
        # a dashed line joins the last known value and the first forecast
        known = np.flatnonzero(np.isfinite(result.history[:, j]))
        if known.size and known[-1] == len(result.history) - 1:
            self.joint_curve.setData([history_x[-1], forecast_x[0]],
                                     [result.history[-1, j], result.values[0, j]])
        else:
            self.joint_curve.setData([], [])
        bounded = np.isfinite(result.lower[:, j]).all() and np.isfinite(result.upper[:, j]).all()
        band_x, low, high = forecast_x, result.lower[:, j], result.upper[:, j]
        if len(band_x) == 1:
            # one step: a band a third of a time step wide (a band of one point has no area
            # and pyqtgraph would then stretch the view to 0)
            step = np.diff(history_x[-2:])[0] if len(history_x) > 1 else 1.0
            band_x = band_x[0] + np.array([-step, step]) / 6
            low, high = np.repeat(low, 2), np.repeat(high, 2)
        self.band.setVisible(bool(bounded))
        self.band_low.setData(band_x if bounded else [], low if bounded else [])
        self.band_high.setData(band_x if bounded else [], high if bounded else [])
        self.forecast_plot.enableAutoRange()

    def save_forecast(self):
        if self.forecast_result is None or self.runner.running:
            return
        default = self._default_path("_forecast.csv")
        target, _ = QFileDialog.getSaveFileName(self, "Save forecast", default,
                                                "CSV files (*.csv)")
        if not target:
            return
        if not target.lower().endswith(".csv"):
            target += ".csv"
        self.runner.start(_task, "saved_forecast", write_forecast, self.forecast_result,
                          target)

    # -- batch prediction ------------------------------------------------------------------
    def predict_file(self):
        if self.model is None or self.runner.running:
            return
        folder = str(self.session.project.folder) if self.session.project else ""
        source, _ = QFileDialog.getOpenFileName(self, "CSV file to predict", folder,
                                                "CSV files (*.csv *.txt);;All files (*)")
        if not source:
            return
        stem = os.path.splitext(source)[0]
        target, _ = QFileDialog.getSaveFileName(self, "Write the predictions to",
                                                stem + "_predictions.csv", "CSV files (*.csv)")
        if not target:
            return
        if os.path.abspath(target) == os.path.abspath(source):
            QMessageBox.warning(self, "Choose another file", "The predictions would replace "
                                "the file being predicted; choose another name.")
            return
        self.batch_result.setText(f"Predicting {os.path.basename(source)}...")
        self.runner.start(_task, "batch", write_predictions, self.model, source, target)
        self._batch_target = target

    # -- calculator ------------------------------------------------------------------------
    def _fill_calculator(self):
        table = self.session.table
        if self.model is None:
            return
        fitted = self.fitted
        lag = f" and {fitted.lag} more for the target transform" if fitted.lag else ""
        self.calculator_help.setText(
            f"The network reads the last {fitted.lookback} rows{lag}, oldest first. The "
            "table starts with the data's latest rows: change any value, then Calculate. "
            "Rows are taken as consecutive time steps.")
        if table is None:
            return
        try:
            rows, labels = calculator_rows(self.model, table.frame)
        except EngineError as error:
            self.calculator_help.setText(str(error))
            return
        self.calculator.clear()
        self.calculator.setColumnCount(len(rows.columns))
        self.calculator.setRowCount(len(rows))
        self.calculator.setHorizontalHeaderLabels(list(rows.columns))
        self.calculator.setVerticalHeaderLabels(labels)
        for r in range(len(rows)):
            for c, name in enumerate(rows.columns):
                value = rows.iloc[r, c]
                text = _number(float(value)) if isinstance(value, (int, float, np.number)) \
                    else str(value)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.calculator.setItem(r, c, item)
        _fit_width(self.calculator)
        self.calculator.scrollToBottom()

    def calculator_values(self):
        """The table's cells as ``{column: [text, ...]}`` (the engine reads the numbers)."""
        columns = [self.calculator.horizontalHeaderItem(c).text()
                   for c in range(self.calculator.columnCount())]
        return {name: [(self.calculator.item(r, c).text().strip()
                        if self.calculator.item(r, c) else "")
                       for r in range(self.calculator.rowCount())]
                for c, name in enumerate(columns)}

    def run_calculation(self):
        if self.model is None or self.runner.running or self.calculator.rowCount() == 0:
            return
        self.runner.start(_task, "calculation", calculate, self.model,
                          self.calculator_values())

    def _show_calculation(self, result):
        offsets = list(result.steps)
        self.outputs.clear()
        self.outputs.setRowCount(len(offsets))
        self.outputs.setColumnCount(len(result.target_names))
        self.outputs.setHorizontalHeaderLabels(result.target_names)
        self.outputs.setVerticalHeaderLabels(
            ["same step" if h == 0 else f"{h} step{'s' if h > 1 else ''} ahead" for h in offsets])
        for r in range(len(offsets)):
            for j in range(len(result.target_names)):
                item = QTableWidgetItem(_number(result.values[r, j]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.outputs.setItem(r, j, item)
        _fit_width(self.outputs)
        self.outputs.setMaximumHeight(
            self.outputs.horizontalHeader().sizeHint().height() + 2 * self.outputs.frameWidth()
            + sum(self.outputs.rowHeight(r) for r in range(self.outputs.rowCount())) + 2)

    # -- directional outputs ---------------------------------------------------------------
    def run_directional(self):
        if self.model is None or self.runner.running or self.calculator.rowCount() == 0:
            return
        name = self.direction_input.currentText()
        if not name:
            return
        rows = self.calculator_values()
        low, high = self._data_range(name, rows)
        self.runner.start(_task, "directional", directional_outputs, self.model, rows, name,
                          low, high, 41, self.direction_where.currentData())

    def _data_range(self, name, rows):
        """The input's range in the loaded data (None, None: the engine's default)."""
        table = self.session.table
        if table is None or name not in table.frame.columns:
            return None, None
        import pandas as pd
        values = pd.to_numeric(table.frame[name], errors="coerce")
        if values.notna().sum() < 2 or not values.max() > values.min():
            return None, None
        return float(values.min()), float(values.max())

    def _show_directional(self, *args):
        d = self.directional
        if d is None:
            return
        h, j = self.direction_output.currentData() or (0, 0)
        self.directional_curve.setData(d.x, d.values[:, h, j])
        self.current_point.setData([d.current], [d.reference[h, j]])
        self.current_line.setValue(d.current)
        self.current_line.setVisible(True)
        self.directional_plot.setLabel("bottom", d.input_name)
        self.directional_plot.setLabel("left", d.target_names[j])
        where = "held over the window" if d.where == "all" else "at the last step"
        self.directional_plot.setTitle(f"{self.direction_output.currentText()} as "
                                       f"{d.input_name} varies ({where})", size="10pt")

    # -- exports ---------------------------------------------------------------------------
    def _default_path(self, suffix):
        project = self.session.project
        folder = project.folder if project else Path.cwd()
        name = (project.name if project else "model").strip() or "model"
        stem = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_").lower() or "model"
        return str(Path(folder) / f"{stem}{suffix}")

    def export(self, fmt):
        if self.model is None or self.runner.running:
            return
        text, suffix = FORMATS[fmt]
        default = self._default_path({"model": ".model.npz", "python": "_model.py",
                                      "onnx": ".onnx", "torch": ".torch.npz"}[fmt])
        target, _ = QFileDialog.getSaveFileName(self, f"Export {text}", default,
                                                f"{text} (*{suffix})")
        if not target:
            return
        if not target.endswith(suffix):
            target += suffix
        self.export_result.setText(f"Writing the {text}...")
        self.runner.start(_task, f"export:{fmt}", export_model, self.model, fmt, target)

    # -- results ---------------------------------------------------------------------------
    @Slot(object)
    def _on_finished(self, outcome):
        kind, result = outcome
        if kind == "forecast":
            self.forecast_result = result
            self.save_forecast_button.setEnabled(True)
            notes = " ".join(result.notes)
            method = ("feeding each forecast back as the next input" if result.method ==
                      "recursive" else "from the model's own output steps")
            self.forecast_notes.setText(f"{_steps(result.steps).capitalize()} forecast, "
                                        f"{method}. {notes}")
            self._show_forecast()
            if self.outputs.rowCount() == 0:        # the calculator's prefilled rows, too
                self.run_calculation()
        elif kind == "saved_forecast":
            self.forecast_notes.setText(f"The forecast was saved to {result}.")
        elif kind == "batch":
            rows, extra = result
            after = f", {extra} of them after the file's last row" if extra else ""
            self.batch_result.setText(f"Wrote {rows} rows{after} to {self._batch_target}.")
        elif kind == "calculation":
            self._show_calculation(result)
        elif kind == "directional":
            self.directional = result
            self._show_directional()
        elif kind.startswith("export:"):
            fmt = kind.split(":", 1)[1]
            self.export_result.setText(f"The {FORMATS[fmt][0]} was written to {result}.")

    @Slot(object)
    def _on_failed(self, error):
        message = failure_text(error)
        if self.forecast_notes.text() == "Forecasting...":
            self.forecast_notes.setText("")
        QMessageBox.warning(self, "Deploy model", message)
