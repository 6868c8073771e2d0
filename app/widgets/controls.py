"""Small constructors for the controls the pages share: every control gets its tooltip
where it is made."""

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox


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
