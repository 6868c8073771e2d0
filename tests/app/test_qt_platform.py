"""The GUI's platform works headless: Qt starts offscreen and text renders with a real font
(without a font package every label is drawn as boxes and nothing else notices)."""

import pytest

QtGui = pytest.importorskip("PySide6.QtGui")
from PySide6.QtWidgets import QLabel  # noqa: E402


def test_qt_runs_offscreen(qapp):
    assert qapp.platformName() == "offscreen"


def test_a_real_font_draws_letters(qapp):
    families = QtGui.QFontDatabase.families()
    assert families, "no font found: install fonts-dejavu-core (make test does)"
    label = QLabel("Training loss")
    metrics = QtGui.QFontMetrics(label.font())
    assert all(metrics.inFont(letter) for letter in "Training loss")
    assert metrics.horizontalAdvance("Training loss") > metrics.horizontalAdvance("T") > 0
