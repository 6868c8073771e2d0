"""The split drawn as a timeline: the rows the training, selection and testing windows
predict, as coloured bars in proportion, with the count of windows of each part."""

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from .plots import COLORS


class SplitTimeline(QWidget):
    def __init__(self):
        super().__init__()
        self.setMinimumHeight(54)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Which rows each part predicts, in time order. Training fits the "
                        "weights, selection stops training in time, testing is kept aside "
                        "for an honest judgement.")
        self.setAccessibleName("Split of the rows into parts")
        self.summary = None
        self.n_rows = 0

    def set_summary(self, summary, n_rows):
        self.summary = summary
        self.n_rows = n_rows
        self.setAccessibleDescription(self.description())
        self.update()

    def description(self):
        """The windows of each part and the rows it predicts, in words (what the bar
        shows in colour)."""
        if not self.summary or self.n_rows <= 0:
            return "No windows yet."
        parts = []
        for part in ("training", "selection", "testing"):
            rows = self.summary.target_rows.get(part)
            where = f" (rows {rows[0]} to {rows[1]})" if rows is not None else ""
            parts.append(f"{part} {self.summary.counts.get(part, 0)}{where}")
        return f"Windows of {self.n_rows} rows: " + ", ".join(parts) + "."

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width() - 2
        painter.fillRect(QRectF(1, 4, width, 22), QColor("#eeeeee"))
        if not self.summary or self.n_rows <= 0:
            painter.drawText(QRectF(1, 30, width, 20), Qt.AlignmentFlag.AlignLeft,
                             "No windows yet.")
            return
        labels = []
        for part in ("training", "selection", "testing"):
            rows = self.summary.target_rows.get(part)
            count = self.summary.counts.get(part, 0)
            labels.append(f"{part} {count}")
            if rows is None:
                continue
            left = 1 + width * rows[0] / self.n_rows
            right = 1 + width * (rows[1] + 1) / self.n_rows
            painter.fillRect(QRectF(left, 4, max(right - left, 1), 22), QColor(COLORS[part]))
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(1, 30, width, 20), Qt.AlignmentFlag.AlignLeft,
                         "Windows: " + ",  ".join(labels))
