"""The errors table of step 6: a label column and many columns of figures, made to fit the
page's width. Every figure column is as wide as its figures and header, no wider; the label
column gives way first: its labels on one line where the width allows, else broken between
words onto as few lines as the width allows, at most :attr:`LabelFirstTable.LABEL_LINES`;
a figure column's text in words (why a figure is missing) takes two lines. Only a window
narrower than that scrolls sideways."""

from PySide6.QtWidgets import QHeaderView, QTableWidget

from app.pages.backtest_panel import fit_height
from app.widgets.narrow import folded_width


class LabelFirstTable(QTableWidget):
    """A table of figures with its row labels in column 0 (see the module); call
    :meth:`fit_columns` after filling it. Exactly as tall as its header and rows, each row
    at least as tall as a table's usual row. Where the width allows, each figure column
    gets up to :data:`ROOM` letters more than its figures need."""

    ROOM = 2
    LABEL_LINES = 3

    def __init__(self, rows, columns):
        super().__init__(rows, columns)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fitting = False

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.fit_columns()

    def _widths(self, column, lines=2):
        """Column ``column``'s width with its texts on one line, and on ``lines`` lines,
        and no narrower than its header."""
        texts = [self.item(r, column).text() for r in range(self.rowCount())
                 if self.item(r, column)]
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
        whole = max(self.sizeHintForColumn(column), longest)
        padding = whole - longest
        folded = max((folded_width(metrics, text, lines) for text in texts),
                     default=0) + padding
        title = self.horizontalHeader().sectionSizeHint(column)
        return max(whole, title), max(folded, title)

    def _figure_widths(self):
        """What each figure column needs: its header and its widest figure (a text in
        words, such as why a figure is missing, on two lines)."""
        return [self._widths(c)[1] for c in range(1, self.columnCount())]

    def fit_columns(self):
        """Each column as wide as the table's width allows (see the class), the rows as
        tall as their labels, the table no wider than its widest columns."""
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self):
        header = self.horizontalHeader()
        needs = self._figure_widths()
        whole, folded = self._widths(0, self.LABEL_LINES)
        room = self.fontMetrics().averageCharWidth() * self.ROOM
        self.setMaximumWidth(whole + sum(needs) + room * len(needs) + 2 * self.frameWidth())
        spare = self.viewport().width() - whole - sum(needs)
        extra = min(max(spare // max(len(needs), 1), 0), room)
        for column, need in enumerate(needs, start=1):
            header.resizeSection(column, need + extra)
        header.resizeSection(0, max(folded, min(whole, self.viewport().width() - sum(needs))))
        self.resizeRowsToContents()
        usual = self.verticalHeader().defaultSectionSize()
        for row in range(self.rowCount()):
            self.setRowHeight(row, max(self.rowHeight(row), usual))
        fit_height(self)
