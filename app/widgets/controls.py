"""Small constructors for the controls the pages share: every control gets its tooltip
where it is made; a label that names a field and takes Alt with its ``&`` letter to it; a
label that keeps the height its wrapped text needs."""

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox


def combo(options, tooltip):
    """A combo box of ``(value, text)`` pairs; ``currentData()`` gives the value."""
    box = QComboBox()
    for value, text in options:
        box.addItem(text, value)
    box.setToolTip(tooltip)
    return box


def select(box, value):
    """Show the item whose value is ``value`` (the first item when there is none)."""
    box.setCurrentIndex(max(box.findData(value), 0))


def spin_box(minimum, maximum, tooltip, decimals=None, step=None, suffix=None):
    """A whole-number spin box, or a decimal one when ``decimals`` is given."""
    box = QSpinBox() if decimals is None else QDoubleSpinBox()
    if decimals is not None:
        box.setDecimals(decimals)
    box.setRange(minimum, maximum)
    if step is not None:
        box.setSingleStep(step)
    if suffix:
        box.setSuffix(suffix)
    box.setToolTip(tooltip)
    return box


def say_in_words(item, words):
    """Say in ``words`` what a table cell's colour or bold type says, for a reader who
    does not see colours: in the cell's tooltip, and as its accessible description (what a
    screen reader reads of a cell besides its text; it does not read a cell's tooltip)."""
    from PySide6.QtCore import Qt

    item.setToolTip(words)
    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, words)


def buddy_label(text, field):
    """A label ``text`` (its ``&`` letter underlined) naming ``field``: Alt with that letter
    puts the focus in ``field``, and a screen reader reads the label as the field's name.
    For a form row whose field is a layout (a field with a button or a note beside it),
    which a form cannot make a label's buddy."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


class WrappedLabel(QLabel):
    """A word-wrapped label that keeps the height its text needs at its width: a layout
    squeezed for room (a short window, a stacked page) shrinks its neighbours instead of
    drawing them over the text."""

    def __init__(self, text=""):
        super().__init__(text)
        self.setWordWrap(True)

    def setText(self, text):
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self):
        needed = self.heightForWidth(max(self.width(), 1))
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
