"""A drawing of the network unrolled over the time steps of its window (the lookback; a long
one with "…" and the number of steps left out): each step's inputs and the previous hidden
state go into the cell, the cell's state goes to the next step, and the last step's state
goes to the outputs; with a linear path, a dashed arrow from the window's inputs straight to
the outputs."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.words import counted

CELL_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}
MAX_DRAWN = 5                  # a longer window: its first step, "…", its last three
ELLIPSIS = "\u2026"


def _time(offset):
    return f"t-{offset}" if offset else "t"


def step_labels(lookback):
    """The columns drawn for a window of ``lookback`` steps, oldest first: each step's time
    ("t-2", "t-1", "t"), up to MAX_DRAWN; a longer window as its first step, "…" for the
    steps left out, and its last three."""
    lookback = max(int(lookback), 1)
    if lookback <= MAX_DRAWN:
        return [_time(offset) for offset in range(lookback - 1, -1, -1)]
    return [_time(lookback - 1), ELLIPSIS] + [_time(offset) for offset in (2, 1, 0)]


class _Sketch:
    """The painter and the grid of one paint: column ``c`` is a time step (the last column
    the outputs), row 0 the inputs and row ``l`` the ``l``-th layer, drawn upwards."""

    def __init__(self, painter, width, height, layers, columns):
        self.painter = painter
        self.column_width = width / (columns + 1 + 0.3)   # time steps and the outputs
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
        self.lookback = 1
        self.setToolTip("The network unrolled in time: the same cell (the same weights) is "
                        "applied at every time step of the window, passing its state on.")
        self.setAccessibleName("Drawing of the network")

    def set_network(self, cell, hidden_sizes, n_inputs, n_outputs, linear_path=False,
                    lookback=1):
        self.cell, self.hidden_sizes = cell, list(hidden_sizes)
        self.n_inputs, self.n_outputs = n_inputs, n_outputs
        self.linear_path = bool(linear_path)
        self.lookback = max(int(lookback), 1)
        self.setAccessibleDescription(self.description())
        self.update()

    def description(self):
        """What the drawing shows, in words (for a screen reader)."""
        sizes = ", ".join(str(units) for units in self.hidden_sizes)
        layers = len(self.hidden_sizes)
        path = ", and a linear path from the inputs to the outputs" if self.linear_path \
            else ""
        return (f"{self.cell.upper()} network: {counted(self.n_inputs, 'input')}, "
                f"{counted(layers, 'recurrent layer')} of {sizes} units, "
                f"{counted(self.n_outputs, 'output')}{path}; unrolled over "
                f"{counted(self.lookback, 'time step')}.")

    def columns(self):
        """The time steps drawn (see :func:`step_labels`)."""
        return step_labels(self.lookback)

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        labels = self.columns()
        sketch = _Sketch(painter, self.width(), self.height(), len(self.hidden_sizes),
                         len(labels))
        font = QFont(painter.font())
        font.setPointSizeF(max(7.5, min(10.0, sketch.box_h / 3.6)))
        painter.setFont(font)
        for step, label in enumerate(labels):
            if label == ELLIPSIS:
                self._draw_ellipsis(sketch, step)
            else:
                self._draw_step(sketch, step, label, len(labels))
        if self.linear_path:
            self._draw_linear_path(sketch, labels)
        painter.setPen(QColor("#555555"))
        steps = counted(self.lookback, "time step")
        painter.drawText(QRectF(0, 4, self.width(), 20), Qt.AlignmentFlag.AlignHCenter,
                         f"time \u2192   (a window of {steps}: the same cell and weights at "
                         "every step)")

    def _draw_ellipsis(self, sketch, column):
        """The steps of a long window that are not drawn: "…" with their number under the
        inputs, and each layer's state passed on through them."""
        left_out = self.lookback - (len(self.columns()) - 1)
        painter = sketch.painter
        for row in range(len(self.hidden_sizes) + 1):
            here = sketch.centre(column, row)
            text = f"{ELLIPSIS}\n{counted(left_out, 'more step')}" if row == 0 else ELLIPSIS
            painter.setPen(QColor("#333333"))
            painter.drawText(QRectF(here.x() - sketch.column_width / 2,
                                    here.y() - sketch.box_h / 2, sketch.column_width,
                                    sketch.box_h), Qt.AlignmentFlag.AlignCenter, text)
            if row:
                sketch.arrow_right(sketch.centre(column - 1, row), here)
                sketch.arrow_right(here, sketch.centre(column + 1, row))

    def _draw_step(self, sketch, step, label, columns):
        """One time step's column: its inputs, each layer's cell fed from below, the arrow
        of each state to the next step (from the last step: to the outputs)."""
        name = CELL_NAMES.get(self.cell, self.cell)
        below = sketch.centre(step, 0)
        sketch.box(below, f"x({label})\n{counted(self.n_inputs, 'input')}", "#e3f2fd")
        for layer, units in enumerate(self.hidden_sizes, 1):
            here = sketch.centre(step, layer)
            sketch.box(here, f"{name} {layer}\n{units} units", "#fff3e0")
            sketch.arrow_up(below, here)
            if step + 1 < columns:
                if self.columns()[step + 1] != ELLIPSIS:
                    sketch.arrow_right(here, sketch.centre(step + 1, layer))
            elif layer == len(self.hidden_sizes):
                out = sketch.centre(columns, layer)
                sketch.box(out, f"y\n{counted(self.n_outputs, 'output')}", "#e8f5e9")
                sketch.arrow_right(here, out)
            below = here

    def _draw_linear_path(self, sketch, labels):
        """A dashed arrow from under the inputs of every step to the outputs: the linear
        autoregression over the whole window, added to the network's output."""
        painter = sketch.painter
        first = sketch.centre(0, 0)
        out = sketch.centre(len(labels), len(self.hidden_sizes))
        y = first.y() + sketch.box_h / 2 + 10
        pen = QPen(QColor("#2e7d32"), 1.4, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for column, label in enumerate(labels):               # every step's inputs join
            if label != ELLIPSIS:
                point = sketch.centre(column, 0)
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
