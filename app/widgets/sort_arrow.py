"""A table heading's sort arrow that points the way its rows run.

Qt tells the style a column's order as ``QStyleOptionHeader.SortUp`` for the largest
first (``Qt.DescendingOrder``) and ``SortDown`` for the smallest first, and the styles
draw these differently: Fusion points the arrow up for the largest first (the Windows
manner), the Windows style down. Read as most people read it, an arrow up over rows
that run from the largest down says the opposite of the rows below it: the table of
every series, sorted worst first, showed sMAPE's "ascending" arrow. Turning the order
round for every style fixed Fusion and turned the Windows style's arrow the wrong way.
:func:`point_sort_arrows` has the heading draw the style's own plain arrow instead,
down when the rows run from the largest down, up when from the smallest up, whatever the
style, in the application's style (a proxy style without a base draws in the platform's
default style, which the rest of the window may not use).
"""

from PySide6.QtWidgets import (QApplication, QProxyStyle, QStyle, QStyleFactory,
                               QStyleOptionHeader)

_ARROWS = {QStyleOptionHeader.SortIndicator.SortUp: QStyle.PrimitiveElement.PE_IndicatorArrowDown,
           QStyleOptionHeader.SortIndicator.SortDown: QStyle.PrimitiveElement.PE_IndicatorArrowUp}


class SortArrowStyle(QProxyStyle):
    """A style (``base``, a QStyle it takes over; None: the platform's default) whose
    headings draw the sort indicator as the style's down arrow for the largest first, its
    up arrow for the smallest first."""

    def drawPrimitive(self, element, option, painter, widget=None):
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and \
                isinstance(option, QStyleOptionHeader) and option.sortIndicator in _ARROWS:
            element = _ARROWS[option.sortIndicator]
        super().drawPrimitive(element, option, painter, widget)


def point_sort_arrows(table):
    """Draw ``table``'s sort arrow (a QTableView's) pointing the way its rows run, in the
    application's style."""
    header = table.horizontalHeader()
    style = SortArrowStyle(QStyleFactory.create(QApplication.style().name()))
    style.setParent(header)             # lives as long as the heading that draws with it
    header.setStyle(style)
