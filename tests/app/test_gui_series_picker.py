"""The series picker (app.widgets.series_picker): a name typed in full and confirmed with
Enter chooses that series, with or without a note after each name."""

import pytest
from PySide6.QtCore import Qt

from app.widgets.series_picker import SeriesPicker

NAMES = ["001", "1", "1.0", "10", "W30"]


@pytest.mark.parametrize("with_notes", [True, False])
def test_a_name_typed_in_full_chooses_its_series(qtbot, with_notes):
    picker = SeriesPicker()
    qtbot.addWidget(picker)
    picker.show()
    notes = {name: f"sMAPE {k}.5" for k, name in enumerate(NAMES)} if with_notes else None
    picker.set_series(NAMES, notes)
    chosen = []
    picker.series_chosen.connect(chosen.append)
    for typed, expected in (("W30", "W30"), ("1.0", "1.0"), ("w30", "W30"), ("1", "1")):
        picker.lineEdit().selectAll()
        qtbot.keyClicks(picker.lineEdit(), typed)
        picker.completer().popup().hide()
        qtbot.keyClick(picker.lineEdit(), Qt.Key.Key_Return)
        assert picker.current_series() == expected, typed
        assert chosen[-1] == expected
    picker.lineEdit().selectAll()                 # no such series: the choice stays
    qtbot.keyClicks(picker.lineEdit(), "nowhere")
    picker.completer().popup().hide()
    qtbot.keyClick(picker.lineEdit(), Qt.Key.Key_Return)
    assert picker.current_series() == "1"
    assert picker.currentText() == picker.itemText(picker.currentIndex())
