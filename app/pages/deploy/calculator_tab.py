"""The outputs calculator tab: the rows the network reads, prefilled with the data's latest
rows and editable, and the model's outputs for them (:mod:`engine.deploy.calculator`)."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from engine.deploy.calculator import calculate, calculator_rows
from engine.errors import EngineError
from engine.words import the_last

from .texts import ahead_text, fit_rows, fit_width, number_text, output_text
from ...widgets.controls import buddy_label
from ...widgets.narrow import SideBySide, holder
from .tool import DeployTool

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
EXACT = Qt.ItemDataRole.UserRole    # (the text shown, the value with every digit)


class CalculatorTab(DeployTool):
    """``table`` holds the inputs (oldest row first), ``outputs`` the results of
    Calculate; :meth:`values` reads the table for the engine."""

    def __init__(self, session, tasks):
        super().__init__(session, tasks)
        self.fitted = None
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setToolTip("The recent values the network reads, oldest first, in "
                              "the data's units. Edit any cell, then Calculate.")
        self.table.setAccessibleName("Values the network reads")
        self.table.horizontalHeader().setDefaultSectionSize(120)
        # the table grows up to its columns' width and its rows' height (the rest of
        # the height is left below it); the outputs go below it where the width cannot
        # hold both
        rows = QVBoxLayout()
        rows.addWidget(self.table, 1)
        rows.addStretch(0)
        self.rows_panel = holder(rows)
        self.columns = SideBySide(self.rows_panel, holder(self._build_outputs()),
                                  stretches=(3, 1))
        self.columns.box.setContentsMargins(0, 0, 0, 0)
        self.columns.box.setSpacing(12)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.columns, 1)

    def _build_outputs(self):
        self.calculate_button = QPushButton("&Calculate")
        self.calculate_button.setToolTip("The model's outputs for the values in the table.")
        self.calculate_button.clicked.connect(self.calculate)
        self.reset_button = QPushButton("R&eset to the data")
        self.reset_button.setToolTip("Fill the table again with the data's latest rows, and "
                                     "show their outputs.")
        self.reset_button.clicked.connect(self.reset)
        self.outputs = QTableWidget(0, 0)
        self.outputs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outputs.setToolTip("The outputs in the targets' units, for each step ahead.")
        self.outputs.setAccessibleName("Outputs")
        self.outputs.horizontalHeader().setDefaultSectionSize(120)
        buttons = QHBoxLayout()
        buttons.addWidget(self.calculate_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(buttons)
        right.addWidget(buddy_label("&Outputs, in the targets' units:", self.outputs))
        # the outputs take the column's height up to their rows' (fit_rows); the rest of
        # it is left below the notes
        right.addWidget(self.outputs, 1)
        self.notes = QLabel()           # e.g. values far outside the training values
        self.notes.setWordWrap(True)
        right.addWidget(self.notes)
        right.addStretch(0)
        return right

    def show_model(self, model, fitted):
        """The model's rows, prefilled from the data (none: ``model`` None)."""
        self.fitted = fitted
        super().show_model(model, fitted)
        self.fill()

    def clear(self):
        self.table.setRowCount(0)
        self.outputs.setRowCount(0)
        self.notes.setText("")

    def set_busy(self, running):
        self.calculate_button.setEnabled(not running)
        self.reset_button.setEnabled(not running)

    def reset(self):
        """Reset to the data: its latest rows in the table and their outputs, calculated
        again (those of the edited rows would stay beside the data's otherwise)."""
        if self.fill():
            self.calculate()

    def fill(self):
        """The data's latest rows, as many as the network reads, without outputs: those
        shown were for the rows replaced. Returns whether the data's rows are shown."""
        if self.model is None:
            return False
        self.outputs.setRowCount(0)
        self.notes.setText("")
        lag = f" and {self.fitted.lag} more for the target transform" if self.fitted.lag \
            else ""
        self.explanation.setText(
            f"The network reads {the_last(self.fitted.lookback, 'row')}{lag}, oldest first. "
            "The table starts with the data's latest rows: change any value, then Calculate. "
            "Rows are taken as consecutive time steps.")
        if self.session.table is None:
            return False
        try:
            rows, labels = calculator_rows(self.model, self.session.table.frame)
        except EngineError as error:
            self.explanation.setText(str(error))
            return False
        self.show_rows(rows, labels)
        return True

    def show_rows(self, rows, labels):
        """Put the DataFrame ``rows`` into the table, the rows named ``labels``."""
        self.table.clear()
        self.table.setColumnCount(len(rows.columns))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(list(rows.columns))
        self.table.setVerticalHeaderLabels(labels)
        for r in range(len(rows)):
            for c in range(len(rows.columns)):
                value = rows.iloc[r, c]
                number = isinstance(value, (int, float, np.number))
                text = number_text(float(value)) if number else str(value)
                item = QTableWidgetItem(text)
                item.setTextAlignment(RIGHT)
                if number:       # shown to 6 digits, calculated with every digit
                    exact = repr(float(value)) if np.isfinite(value) else ""   # "–": empty
                    item.setData(EXACT, (text, exact))
                    item.setToolTip(exact or "No value: the model fills it in, or leaves "
                                    "the row out")
                self.table.setItem(r, c, item)
        fit_width(self.table)
        fit_rows(self.table)
        self.rows_panel.setMaximumWidth(self.table.maximumWidth())
        self.table.scrollToBottom()

    def values(self):
        """The table's cells as ``{column: [text, ...]}`` (the engine reads the numbers): a
        cell still as it was filled in gives its value with every digit, not the six
        shown."""
        columns = [self.table.horizontalHeaderItem(c).text()
                   for c in range(self.table.columnCount())]
        return {name: [self._cell_text(r, c) for r in range(self.table.rowCount())]
                for c, name in enumerate(columns)}

    def _cell_text(self, row, column):
        item = self.table.item(row, column)
        if item is None:
            return ""
        text = item.text().strip()
        shown, exact = item.data(EXACT) or (None, None)
        return exact if text == shown else text

    def calculate(self):
        if self.model is None or self.tasks.running or self.table.rowCount() == 0:
            return
        self.tasks.start(calculate, self.model, self.values(), done=self._show_outputs,
                         failed=self._failed)

    def _failed(self, message):
        """Outputs that could not be calculated: none shown (not those of the table
        before the edit), and why."""
        self.outputs.setRowCount(0)
        self.notes.setText("")
        self.tasks.fail(message)

    def calculate_unless_shown(self):
        """Calculate the table's outputs when none are shown yet (after a new model): the
        page's own work."""
        if self.outputs.rowCount() == 0:
            with self.tasks.on_its_own():
                self.calculate()

    def _show_outputs(self, result):
        self.notes.setText(" ".join(result.notes))
        offsets = list(result.steps)
        self.outputs.clear()
        self.outputs.setRowCount(len(offsets))
        self.outputs.setColumnCount(len(result.target_names))
        self.outputs.setHorizontalHeaderLabels(result.target_names)
        self.outputs.setVerticalHeaderLabels([ahead_text(h) for h in offsets])
        for r in range(len(offsets)):
            for j in range(len(result.target_names)):
                item = QTableWidgetItem(output_text(result.values[r, j]))
                item.setTextAlignment(RIGHT)
                self.outputs.setItem(r, j, item)
        fit_width(self.outputs)
        fit_rows(self.outputs)
