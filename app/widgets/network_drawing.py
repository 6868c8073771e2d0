"""A drawing of the network unrolled over a few time steps: each step's inputs and the
previous hidden state go into the cell, the cell's state goes to the next step, and the last
step's state goes to the outputs."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

CELL_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}
STEPS_SHOWN = 3


def _count(number, noun):
    return f"{number} {noun}" + ("" if number == 1 else "s")


class NetworkDrawing(QWidget):
    def __init__(self):
        super().__init__()
        self.setMinimumSize(520, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.cell, self.hidden_sizes, self.n_inputs, self.n_outputs = "gru", [32], 1, 1
        self.setToolTip("The network unrolled in time: the same cell (the same weights) is "
                        "applied at every time step of the window, passing its state on.")

    def set_network(self, cell, hidden_sizes, n_inputs, n_outputs):
        self.cell, self.hidden_sizes = cell, list(hidden_sizes)
        self.n_inputs, self.n_outputs = n_inputs, n_outputs
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        layers = len(self.hidden_sizes)
        columns = STEPS_SHOWN + 1           # time steps and the output column
        width, height = self.width(), self.height()
        column_width = width / (columns + 0.3)
        rows = layers + 2                   # inputs, layers, labels
        row_height = min(height / (rows + 0.5), 120.0)
        base = height / 2 + row_height * layers / 2    # centre the drawing vertically
        box_w, box_h = min(110, column_width * 0.62), min(46, row_height * 0.55)
        font = QFont(painter.font())
        font.setPointSizeF(max(7.5, min(10.0, box_h / 3.6)))
        painter.setFont(font)

        def centre(column, row):
            return QPointF(column_width * (column + 0.75), base - row_height * row)

        def box(point, text, fill):
            rect = QRectF(point.x() - box_w / 2, point.y() - box_h / 2, box_w, box_h)
            painter.setPen(QPen(QColor("#555555"), 1.2))
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(rect, 6, 6)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            return rect

        def arrow(start, end):
            painter.setPen(QPen(QColor("#333333"), 1.4))
            painter.drawLine(start, end)
            direction = end - start
            length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-6)
            ux, uy = direction.x() / length, direction.y() / length
            tip = QPolygonF([end, QPointF(end.x() - 8 * ux + 4 * uy, end.y() - 8 * uy - 4 * ux),
                             QPointF(end.x() - 8 * ux - 4 * uy, end.y() - 8 * uy + 4 * ux)])
            painter.setBrush(QColor("#333333"))
            painter.drawPolygon(tip)

        labels = ["t-2", "t-1", "t"]
        name = CELL_NAMES.get(self.cell, self.cell)
        for step in range(STEPS_SHOWN):
            x_point = centre(step, 0)
            box(x_point, f"x({labels[step]})\n{_count(self.n_inputs, 'input')}", "#e3f2fd")
            below = x_point
            for layer, units in enumerate(self.hidden_sizes, 1):
                h_point = centre(step, layer)
                box(h_point, f"{name} {layer}\n{units} units", "#fff3e0")
                arrow(QPointF(below.x(), below.y() - box_h / 2),
                      QPointF(h_point.x(), h_point.y() + box_h / 2))
                if step + 1 < STEPS_SHOWN:
                    nxt = centre(step + 1, layer)
                    arrow(QPointF(h_point.x() + box_w / 2, h_point.y()),
                          QPointF(nxt.x() - box_w / 2, nxt.y()))
                elif layer == layers:
                    out = centre(STEPS_SHOWN, layer)
                    box(out, f"y\n{_count(self.n_outputs, 'output')}", "#e8f5e9")
                    arrow(QPointF(h_point.x() + box_w / 2, h_point.y()),
                          QPointF(out.x() - box_w / 2, out.y()))
                below = h_point
        painter.setPen(QColor("#555555"))
        painter.drawText(QRectF(0, 4, width, 20), Qt.AlignmentFlag.AlignHCenter,
                         "time \u2192   (the same cell and weights at every step of the "
                         "window)")
