"""A sorted table's heading (:func:`app.widgets.sort_arrow.point_sort_arrows`) in the
styles Qt brings: its arrow points down over rows from the largest down, up over rows
from the smallest up, and the heading is drawn in the application's style."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

from app.widgets.sort_arrow import point_sort_arrows
from helpers.sort_arrows import arrow_rows


@pytest.fixture(params=["Fusion", "Windows"])
def style(request):
    """The application in the style ``request.param``, its own style again after."""
    before = QApplication.style().name()
    QApplication.setStyle(request.param)
    yield request.param
    QApplication.setStyle(before)


def test_the_arrow_points_the_way_the_rows_run_in_every_style(qtbot, style):
    """The Windows style draws Qt's order the other way round from Fusion: turning the
    order round for both pointed its arrow up over the largest first; and the heading was
    drawn in Fusion in a window of the Windows style."""
    table = QTableWidget(4, 2)
    qtbot.addWidget(table)
    table.setHorizontalHeaderLabels(["series", "sMAPE %"])
    for row, value in enumerate((3.0, 12.5, 0.7, 8.1)):
        table.setItem(row, 0, QTableWidgetItem(f"H{row}"))
        item = QTableWidgetItem()
        item.setData(Qt.ItemDataRole.DisplayRole, value)
        table.setItem(row, 1, item)
    table.setSortingEnabled(True)
    point_sort_arrows(table)
    table.resize(320, 160)
    table.show()
    qtbot.waitExposed(table)
    header = table.horizontalHeader()
    assert header.style().baseStyle().name() == style.lower()
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert table.item(0, 1).text() == "12.5"
    rows = arrow_rows(header, 1)
    assert len(rows) >= 2 and rows[0] > rows[-1]                  # wide at the top: down
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    rows = arrow_rows(header, 1)
    assert len(rows) >= 2 and rows[0] < rows[-1]                  # wide at the bottom: up
