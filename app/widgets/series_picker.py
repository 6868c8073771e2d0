"""The series picker of a table of many series: a combo box of the series' names that the
person can type into (it completes any part of a name), shared by the pages that show one
series of many."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter


class SeriesPicker(QComboBox):
    """Pick one series by name; ``series_chosen(name)`` when the choice changes.

    :meth:`set_series` fills it with the names (in the data's order) and, optionally, a
    short note per name shown after it (e.g. its sMAPE); :meth:`current_series` is the
    chosen name, or None while it is empty.
    """

    series_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(14)
        self.setToolTip("The series to show: pick one, or type part of its name.")
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.currentIndexChanged.connect(self._chosen)
        self.lineEdit().editingFinished.connect(self._typed)

    def set_series(self, names, notes=None):
        """Show ``names`` (their text as they are), each followed by ``notes[name]`` when
        given; keeps the chosen series when it is still among them."""
        kept = self.current_series()
        self.blockSignals(True)
        self.clear()
        for name in names:
            note = (notes or {}).get(name)
            self.addItem(f"{name}  ({note})" if note else str(name), name)
        self.blockSignals(False)
        index = self.findData(kept) if kept is not None else -1
        self.setCurrentIndex(index if index >= 0 else (0 if names else -1))
        self._chosen(self.currentIndex())

    def current_series(self):
        """The chosen series' name (as given to :meth:`set_series`), or None."""
        return self.currentData() if self.currentIndex() >= 0 else None

    def choose(self, name):
        """Choose the series ``name``; False when there is no such series."""
        index = self.findData(name)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

    def _typed(self):
        """A name typed in full (Enter, or the focus leaving) chooses its series, also
        where items carry a note after the name; other text gives way to the chosen
        series' item again."""
        text = self.lineEdit().text().strip()
        index = self.findText(text)
        if index < 0:
            names = [str(self.itemData(i)) for i in range(self.count())]
            matches = [i for i, name in enumerate(names) if name == text] or \
                [i for i, name in enumerate(names) if name.casefold() == text.casefold()]
            index = matches[0] if len(matches) == 1 else -1
        if index >= 0 and index != self.currentIndex():
            self.setCurrentIndex(index)
        elif self.currentIndex() >= 0:
            self.lineEdit().setText(self.itemText(self.currentIndex()))

    def _chosen(self, index):
        if index >= 0:
            self.series_chosen.emit(str(self.itemData(index)))
