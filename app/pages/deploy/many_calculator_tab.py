"""The outputs calculator of a model of many series: pick a series, see the last rows the
network reads (prefilled from the data, editable) and its forecast for the next steps from
the values as edited (:mod:`engine.many.calculator`)."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableWidgetItem

from engine.many.calculator import calculator_rows, forecast_series, rows_needed
from engine.words import the_last, the_next

from ...widgets.controls import buddy_label
from ...widgets.series_picker import SeriesPicker
from ..many_data import sentences
from ..many_scores import model_subject
from .calculator_tab import RIGHT, CalculatorTab
from .texts import UNFIT, ahead_text, fit_rows, fit_width, output_text
from .tool import DeployTool


class ManyCalculatorTab(CalculatorTab):
    """The calculator of :class:`CalculatorTab` with a series picker: ``table`` holds the
    chosen series' rows, ``outputs`` the forecast of Calculate (one row per step ahead:
    the forecast and its 90% bounds per target); ``result`` is the
    :class:`~engine.many.calculator.SeriesCalculation` shown."""

    def __init__(self, session, tasks):
        super().__init__(session, tasks)
        self.data = None
        self.result = None
        self._quiet = False
        self.picker = SeriesPicker()
        self.picker.series_chosen.connect(self.fill)
        self.table.setToolTip("The series' latest values the model reads, oldest first, "
                              "in the data's units. Edit any cell, then Calculate.")
        self.calculate_button.setToolTip("The series' forecast from the values in the table.")
        self.reset_button.setToolTip("Fill the table again with the series' latest rows, "
                                     "and show their forecast.")
        self.outputs.setToolTip("The forecast in the targets' units for each step ahead, "
                                "with the bounds of its 90% interval.")
        top = QHBoxLayout()
        top.addWidget(buddy_label("Se&ries:", self.picker))
        top.addWidget(self.picker)
        top.addStretch(1)
        self.layout().insertLayout(0, top)

    def show_model(self, model, data):
        """The model's series in the picker, the first one's rows in the table (its
        forecast follows the page's forecast: :meth:`calculate_unless_shown`)."""
        self.data = data
        DeployTool.show_model(self, model, data)
        self._quiet = True
        self.picker.set_series(list(data.ids) if model is not None and data is not None
                               else [])
        self._quiet = False
        if model is not None and data is None:
            self.explanation.setText(UNFIT if self.unfit else "Load the data file (step 2) "
                                     "to fill the table from it.")
        self.set_busy(self.tasks.running)

    def set_busy(self, running):
        """Calculate and Reset wait for the running task, and for the series of a data set
        that fits the model."""
        for button in (self.calculate_button, self.reset_button):
            button.setEnabled(not running and self.data is not None)

    def clear(self):
        self.result = None
        super().clear()

    def reset(self):
        """The series' latest rows in the table, and their forecast (:meth:`fill`
        calculates it)."""
        self.fill()

    def fill(self, *args):
        """The chosen series' latest rows, as many as the model reads, then their
        forecast (not while a new model is shown: the page's forecast runs first); the
        model named as its scores name it (:func:`~app.pages.many_scores.model_subject`)."""
        name = self.picker.current_series()
        if self.model is None or self.data is None or name is None:
            return
        need = rows_needed(self.model)
        self.explanation.setText(
            f"{model_subject(self.model, capital=True)} reads "
            f"{the_last(self.model.lookback, 'row')} of series {name}, and "
            f"the {need - self.model.lookback} before them that its level reads: {need} rows, "
            "oldest first, one time step apart. The table starts with the series' latest "
            f"rows: change any value, then Calculate for {the_next(self.model.steps, 'step')}.")
        rows, labels = calculator_rows(self.model, self.data, name)
        self.show_rows(rows, labels)
        self.outputs.setRowCount(0)
        self.notes.setText("")
        if len(rows) < need:            # the Forecast tab repeats its last season instead
            self.explanation.setText(
                f"Series {name} holds {len(rows)} rows, and {model_subject(self.model)} "
                f"reads {need}: it cannot calculate this series' outputs. Its forecast on "
                "the Forecast tab repeats its last season instead (seasonal naive). Choose "
                "another series.")
            return
        if not self._quiet:
            self.calculate()

    def calculate(self):
        name = self.picker.current_series()
        if self.model is None or name is None or self.table.rowCount() == 0 \
                or self.tasks.running:
            return
        if self.table.rowCount() < rows_needed(self.model):   # said by fill()
            return
        self.tasks.start(forecast_series, self.model, name, self.values(),
                         done=self._show_outputs, failed=self._failed)

    def _failed(self, message):
        self.result = None
        super()._failed(message)

    def _show_outputs(self, result):
        self.result = result
        self.notes.setText(sentences(result.notes))
        steps = len(result.values)
        headers = []
        for name in result.target_names:
            headers += [name, "lower 90%", "upper 90%"]
        self.outputs.clear()
        self.outputs.setRowCount(steps)
        self.outputs.setColumnCount(len(headers))
        self.outputs.setHorizontalHeaderLabels(headers)
        self.outputs.setVerticalHeaderLabels([ahead_text(h) for h in range(1, steps + 1)])
        for r in range(steps):
            for j in range(len(result.target_names)):
                for k, part in enumerate((result.values, result.lower, result.upper)):
                    item = QTableWidgetItem(output_text(part[r, j]))
                    item.setTextAlignment(RIGHT)
                    self.outputs.setItem(r, 3 * j + k, item)
        fit_width(self.outputs)
        fit_rows(self.outputs)
