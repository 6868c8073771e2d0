"""A drawing of the network unrolled over a few time steps: each step's inputs and the
previous hidden state go into the cell, the cell's state goes to the next step, and the last
step's state goes to the outputs; with a linear path, a dashed arrow from the window's
inputs straight to the outputs."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

CELL_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}
STEPS_SHOWN = 3


def _count(number, noun):
    return f"{number} {noun}" + ("" if number == 1 else "s")


class _Sketch:
    """The painter and the grid of one paint: column ``c`` is a time step (the last column
    the outputs), row 0 the inputs and row ``l`` the ``l``-th layer, drawn upwards."""

    def __init__(self, painter, width, height, layers):
        self.painter = painter
        self.column_width = width / (STEPS_SHOWN + 1 + 0.3)   # time steps and the outputs
        self.row_height = min(height / (layers + 2 + 0.5), 120.0)   # inputs, layers, labels
        self.base = height / 2 + self.row_height * layers / 2     # centred vertically
        self.box_w = min(110, self.column_width * 0.62)
        self.box_h = min(46, self.row_height * 0.55)

    def centre(self, column, row):
        return QPointF(self.column_width * (column + 0.75), self.base - self.row_height * row)

    def box(self, point, text, fill):
        rect = QRectF(point.x() - self.box_w / 2, point.y() - self.box_h / 2, self.box_w,
                      self.box_h)
        self.painter.setPen(QPen(QColor("#555555"), 1.2))
        self.painter.setBrush(QColor(fill))
        self.painter.drawRoundedRect(rect, 6, 6)
        self.painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def arrow(self, start, end, colour=QColor("#333333"), style=Qt.PenStyle.SolidLine):
        painter = self.painter
        painter.setPen(QPen(colour, 1.4, style))
        painter.drawLine(start, end)
        direction = end - start
        length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-6)
        ux, uy = direction.x() / length, direction.y() / length
        tip = QPolygonF([end, QPointF(end.x() - 8 * ux + 4 * uy, end.y() - 8 * uy - 4 * ux),
                         QPointF(end.x() - 8 * ux - 4 * uy, end.y() - 8 * uy + 4 * ux)])
        painter.setPen(QPen(colour, 1.4))
        painter.setBrush(colour)
        painter.drawPolygon(tip)

    def arrow_up(self, below, above):
        """From the top of the box at ``below`` to the bottom of the box at ``above``."""
        self.arrow(QPointF(below.x(), below.y() - self.box_h / 2),
                   QPointF(above.x(), above.y() + self.box_h / 2))

    def arrow_right(self, left, right):
        """From the right side of the box at ``left`` to the left side of the one at
        ``right``."""
        self.arrow(QPointF(left.x() + self.box_w / 2, left.y()),
                   QPointF(right.x() - self.box_w / 2, right.y()))


class NetworkDrawing(QWidget):
    def __init__(self):
        super().__init__()
        self.setMinimumSize(520, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.cell, self.hidden_sizes, self.n_inputs, self.n_outputs = "gru", [32], 1, 1
        self.linear_path = False
        self.setToolTip("The network unrolled in time: the same cell (the same weights) is "
                        "applied at every time step of the window, passing its state on.")

    def set_network(self, cell, hidden_sizes, n_inputs, n_outputs, linear_path=False):
        self.cell, self.hidden_sizes = cell, list(hidden_sizes)
        self.n_inputs, self.n_outputs = n_inputs, n_outputs
        self.linear_path = bool(linear_path)
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        sketch = _Sketch(painter, self.width(), self.height(), len(self.hidden_sizes))
        font = QFont(painter.font())
        font.setPointSizeF(max(7.5, min(10.0, sketch.box_h / 3.6)))
        painter.setFont(font)
        for step in range(STEPS_SHOWN):
            self._draw_step(sketch, step)
        if self.linear_path:
            self._draw_linear_path(sketch)
        painter.setPen(QColor("#555555"))
        painter.drawText(QRectF(0, 4, self.width(), 20), Qt.AlignmentFlag.AlignHCenter,
                         "time \u2192   (the same cell and weights at every step of the "
                         "window)")

    def _draw_step(self, sketch, step):
        """One time step's column: its inputs, each layer's cell fed from below, the arrow
        of each state to the next step (from the last step: to the outputs)."""
        label = ("t-2", "t-1", "t")[step]
        name = CELL_NAMES.get(self.cell, self.cell)
        below = sketch.centre(step, 0)
        sketch.box(below, f"x({label})\n{_count(self.n_inputs, 'input')}", "#e3f2fd")
        for layer, units in enumerate(self.hidden_sizes, 1):
            here = sketch.centre(step, layer)
            sketch.box(here, f"{name} {layer}\n{units} units", "#fff3e0")
            sketch.arrow_up(below, here)
            if step + 1 < STEPS_SHOWN:
                sketch.arrow_right(here, sketch.centre(step + 1, layer))
            elif layer == len(self.hidden_sizes):
                out = sketch.centre(STEPS_SHOWN, layer)
                sketch.box(out, f"y\n{_count(self.n_outputs, 'output')}", "#e8f5e9")
                sketch.arrow_right(here, out)
            below = here

    def _draw_linear_path(self, sketch):
        """A dashed arrow from under the inputs of every step to the outputs: the linear
        autoregression over the whole window, added to the network's output."""
        painter = sketch.painter
        first, last = sketch.centre(0, 0), sketch.centre(STEPS_SHOWN - 1, 0)
        out = sketch.centre(STEPS_SHOWN, len(self.hidden_sizes))
        y = first.y() + sketch.box_h / 2 + 10
        pen = QPen(QColor("#2e7d32"), 1.4, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for point in (first, sketch.centre(1, 0), last):      # every step's inputs join
            painter.drawLine(QPointF(point.x(), point.y() + sketch.box_h / 2),
                             QPointF(point.x(), y))
        corner = QPointF(out.x(), y)
        painter.drawLine(QPointF(first.x(), y), corner)
        sketch.arrow(corner, QPointF(out.x(), out.y() + sketch.box_h / 2), QColor("#2e7d32"),
                     Qt.PenStyle.DashLine)
        painter.setPen(QColor("#2e7d32"))
        painter.drawText(QRectF(first.x(), y + 2, corner.x() - first.x(), 18),
                         Qt.AlignmentFlag.AlignHCenter,
                         "linear path: the whole window, added to the outputs")
