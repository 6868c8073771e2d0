"""A table heading's sort arrow that points the way its rows run.

Qt draws the sort indicator in the Windows manner: an arrow pointing up for a column
sorted from the largest down (``Qt.DescendingOrder``), one pointing down for the smallest
first. Read as most people read it, the arrow then says the opposite of the rows below
it: the table of every series, sorted worst first, showed sMAPE's "ascending" arrow.
:func:`point_sort_arrows` turns it round for one table's heading: down when the rows
run from the largest down, up when from the smallest up.
"""

from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOptionHeader

_TURNED = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
           QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}


class SortArrowStyle(QProxyStyle):
    """The application's style with the sort indicator's arrow turned round."""

    def drawPrimitive(self, element, option, painter, widget=None):
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and \
                isinstance(option, QStyleOptionHeader) and option.sortIndicator in _TURNED:
            option = QStyleOptionHeader(option)
            option.sortIndicator = _TURNED[option.sortIndicator]
        super().drawPrimitive(element, option, painter, widget)


def point_sort_arrows(table):
    """Draw ``table``'s sort arrow (a QTableView's) pointing the way its rows run."""
    header = table.horizontalHeader()
    style = SortArrowStyle()
    style.setParent(header)             # lives as long as the heading that draws with it
    header.setStyle(style)
