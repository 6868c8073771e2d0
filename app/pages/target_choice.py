"""The Target box of the pages of a model of many series with several targets (steps 4, 5
and 6): the page shows the figures of one target at a time, the one chosen there; the box
is shown only when the model forecasts several."""

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from ..widgets.controls import buddy_label


def target_row(label, tooltip, chosen):
    """``(row, box)``: a box of targets beside its ``label`` (with its mnemonic), in a
    row widget hidden until :func:`offer_targets` offers several; ``chosen`` is called
    with the index of the target chosen."""
    box = QComboBox()
    box.setToolTip(tooltip)
    box.currentIndexChanged.connect(chosen)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(buddy_label(label, box))
    layout.addWidget(box)
    layout.addStretch(1)
    row.hide()
    return row, box


def offer_targets(row, box, targets, current=None):
    """Offer ``targets`` (names) in ``box``, without calling its page back: the index
    ``current``, else the target chosen before when it is among them, else the first;
    ``row`` shown when there are several."""
    if current is None:
        chosen = box.currentText()
        current = targets.index(chosen) if chosen in targets else 0
    box.blockSignals(True)
    box.clear()
    box.addItems([str(target) for target in targets])
    box.setCurrentIndex(current)
    box.blockSignals(False)
    row.setVisible(len(targets) > 1)
