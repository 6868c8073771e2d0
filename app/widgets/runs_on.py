"""Where a search or a backtest runs, in plain words: "this computer (2 cores)", with the
address of a Dask scheduler (a cluster of other computers) behind a button, for the few who
have one. The pages read and set the address as they would a line edit's text."""

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from engine.cores import usable_cores
from engine.words import counted


class RunsOn(QWidget):
    """"this computer (N cores)" and a checkable *Use a cluster* button that shows the
    scheduler's address line. :meth:`text` is the address when the button is down (empty:
    this computer); ``editingFinished`` when the address changed (also to empty, when the
    button is released)."""

    editingFinished = Signal()

    def __init__(self, what):
        """``what``: what runs there ("the trials", "the origins"), for the tooltips."""
        super().__init__()
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.button = QPushButton("&Use a cluster...")
        self.button.setCheckable(True)
        self.button.setToolTip(f"Run {what} on a Dask cluster of other computers instead "
                               "of this one: shows the line for its scheduler's address.")
        self.button.toggled.connect(self._toggled)
        self.address = QLineEdit()
        self.address.setPlaceholderText("tcp://server:8786")
        self.address.setAccessibleName("Dask scheduler address")
        self.address.setToolTip(f"The address of a Dask scheduler (e.g. tcp://server:8786) "
                                f"to run {what} on its cluster. Its workers need RNN Studio "
                                "installed. Empty: this computer.")
        self.address.editingFinished.connect(self._edited)
        self.address.setVisible(False)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.where, 1)
        line.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.address)
        self._say_where()

    def text(self):
        """The scheduler's address, or "" for this computer."""
        return self.address.text() if self.button.isChecked() else ""

    def setText(self, address):
        """Show ``address`` (None or "": this computer), without ``editingFinished``."""
        self.address.setText(address or "")
        self.button.blockSignals(True)
        self.button.setChecked(bool(address))
        self.button.blockSignals(False)
        self.address.setVisible(bool(address))
        self._say_where()

    @Slot(bool)
    def _toggled(self, on):
        self.address.setVisible(on)
        if on:
            self.address.setFocus()
        elif self.address.text():
            self.address.clear()
            self.editingFinished.emit()
        self._say_where()

    @Slot()
    def _edited(self):
        self._say_where()
        self.editingFinished.emit()

    def _say_where(self):
        address = self.text().strip()
        self.where.setWordWrap(self.button.isChecked())   # "this computer (2 cores)" whole
        if address:
            self.where.setText(f"a Dask cluster ({address})")
        elif self.button.isChecked():
            self.where.setText("a Dask cluster: type its scheduler's address below")
        else:
            self.where.setText(f"this computer ({counted(usable_cores(), 'core')})")
