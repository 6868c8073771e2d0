"""The directional outputs tab: an output as one input varies over its range in the data
while the calculator's other values are held
(:func:`engine.deploy.calculator.directional_outputs`)."""

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout

from engine.deploy.calculator import directional_outputs

from ...widgets.controls import combo
from ...widgets.narrow import FlowLayout
from ...widgets.plots import COLORS, curve, make_plot
from .texts import ahead_text
from .tool import DeployTool

POINTS = 41          # the input's values along its range


class DirectionalTab(DeployTool):
    """Show: the chosen output along the chosen input's range; ``result`` holds the last
    DirectionalOutputs (or None). ``calculator`` gives the rows that are held."""

    def __init__(self, session, tasks, calculator):
        super().__init__(session, tasks)
        self.calculator = calculator
        self.result = None
        text = QLabel("How an output responds when one input varies over its usual range and "
                      "every other value in the calculator's table is held. A flat line: "
                      "the output hardly depends on that input.")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(self._build_choices())
        layout.addWidget(self._build_plot(), 1)

    def _build_choices(self):
        self.vary = QComboBox()
        self.vary.setToolTip("The input that varies.")
        self.where = combo([("all", "at every step of the window"),
                            ("last", "at the last step only")],
                           "Vary the input at every row the network reads (a level held for "
                           "the whole window) or at the latest row only (a sudden change).")
        self.output = QComboBox()
        self.output.setToolTip("The output shown: a target at a step ahead.")
        self.output.currentIndexChanged.connect(self.show_output)
        self.button = QPushButton("&Show")
        self.button.setToolTip("Compute the outputs along the input's range.")
        self.button.clicked.connect(self.run)
        row = FlowLayout()          # onto a second line in a narrow window
        for label, widget in (("&Vary:", self.vary), ("", self.where),
                              ("&Output:", self.output)):
            if label:
                row.addPair(label, widget)
            else:
                row.addWidget(widget)
        row.addWidget(self.button)
        return row

    def _build_plot(self):
        import pyqtgraph as pg
        self.plot = make_plot("Directional outputs")
        self.plot.set_empty_text("Press Show to see the output along the input's range")
        self.plot.setToolTip("The output (vertical) as the chosen input varies (horizontal); "
                             "the dot marks the output of the table as it is, which lies on "
                             "the line when only the last step varies.")
        self.curve = curve(self.plot, COLORS["prediction"], width=2)
        self.current_point = self.plot.plot(
            [], [], pen=None, symbol="o", symbolSize=9, symbolBrush=COLORS["target"])
        self.current_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            COLORS["target"], width=1, style=Qt.PenStyle.DashLine))
        self.current_line.setVisible(False)
        self.plot.addItem(self.current_line)
        return self.plot

    def show_model(self, model, fitted):
        """Offer the model's numeric inputs and its outputs (a target at a step ahead;
        nothing: ``model`` None)."""
        super().show_model(model, fitted)
        if model is None:
            return
        self.vary.blockSignals(True)
        self.vary.clear()
        self.vary.addItems([v["name"] for v in fitted.inputs if v["type"] == "numeric"])
        self.vary.blockSignals(False)
        self.output.blockSignals(True)
        self.output.clear()
        for h, offset in enumerate(fitted.target_offsets):
            for j, name in enumerate(fitted.target_names):
                self.output.addItem(f"{name}, {ahead_text(offset)}", (h, j))
        self.output.blockSignals(False)

    def clear(self):
        for item in (self.curve, self.current_point):
            item.setData([], [])
        self.current_line.setVisible(False)
        self.result = None

    def set_busy(self, running):
        self.button.setEnabled(not running)

    def run(self):
        if self.model is None or self.tasks.running or self.calculator.table.rowCount() == 0:
            return
        name = self.vary.currentText()
        if not name:
            return
        rows = self.calculator.values()
        low, high = self._data_range(name)
        self.tasks.start(directional_outputs, self.model, rows, name, low, high, POINTS,
                         self.where.currentData(), done=self._computed)

    def _data_range(self, name):
        """The input's range in the loaded data (None, None: the engine's default)."""
        table = self.session.table
        if table is None or name not in table.frame.columns:
            return None, None
        values = pd.to_numeric(table.frame[name], errors="coerce")
        if values.notna().sum() < 2 or not values.max() > values.min():
            return None, None
        return float(values.min()), float(values.max())

    def _computed(self, result):
        self.result = result
        self.show_output()

    def show_output(self, *args):
        """Plot the chosen output of :attr:`result` along the input."""
        d = self.result
        if d is None:
            return
        h, j = self.output.currentData() or (0, 0)
        self.curve.setData(d.x, d.values[:, h, j])
        self.current_point.setData([d.current], [d.reference[h, j]])
        self.current_line.setValue(d.current)
        self.current_line.setVisible(True)
        self.plot.setLabel("bottom", d.input_name)
        self.plot.setLabel("left", d.target_names[j])
        where = "held over the window" if d.where == "all" else "at the last step"
        self.plot.setTitle(f"{self.output.currentText()} as {d.input_name} varies ({where})",
                           size="10pt")
