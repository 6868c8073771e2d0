"""Layouts for a page that must fit a narrow window (a small screen, large letters) without
scrolling sideways: a row of controls that wraps onto more lines, and panels side by side
(also a splitter's) that go one above the other where the width cannot hold them all."""

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QLayout, QSplitter, QWidget

SPACING = 6     # between the items of a wrapping row, when the layout has none of its own
LEAST_LETTERS = 30      # the narrowest a panel sits beside another: a line of so many letters


def letters_wide(widget, count):
    """The width of ``count`` average letters of ``widget``'s font, in pixels: a width that
    grows with the letters (a panel's greatest width, say) where a fixed number of pixels
    would cut its texts with large letters."""
    return widget.fontMetrics().averageCharWidth() * int(count)


def folded_width(metrics, text, lines=2):
    """The least width at which ``text``, broken between words as a label breaks it (each
    line as many words as fit), takes at most ``lines`` lines (its whole width when it has
    no space)."""
    words = text.split(" ")
    widest = max(metrics.horizontalAdvance(word) for word in words)
    spans = sorted({metrics.horizontalAdvance(" ".join(words[i:j]))
                    for i in range(len(words)) for j in range(i + 1, len(words) + 1)})
    return next(width for width in spans
                if width >= widest and _lines(metrics, words, width) <= lines)


def _lines(metrics, words, width):
    """How many lines ``words`` take, each line as many of them as ``width`` holds."""
    count, line = 1, words[0]
    for word in words[1:]:
        if metrics.horizontalAdvance(f"{line} {word}") <= width:
            line = f"{line} {word}"
        else:
            count, line = count + 1, word
    return count


class FlowLayout(QLayout):
    """A row of widgets and layouts, left to right, that goes on onto the next line where
    it is narrower than they are; as tall as its lines need (height for width). A label and
    its control kept together: :meth:`addLayout` of a QHBoxLayout of both."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items = []

    def addItem(self, item):
        self._items.append(item)

    def addLayout(self, layout):
        self.addChildLayout(layout)
        self.addItem(layout)

    def addPair(self, label, widget):
        """``label`` (a QLabel, or its text) and ``widget`` together on one line, the label
        the widget's buddy (its ``&`` letter with Alt goes to the widget); returns the
        label."""
        label = QLabel(label) if isinstance(label, str) else label
        label.setBuddy(widget)
        pair = QHBoxLayout()
        pair.setContentsMargins(0, 0, 0, 0)
        pair.addWidget(label)
        pair.addWidget(widget)
        self.addLayout(pair)
        return label

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._place(rect, move=True)

    def _spacing(self):
        return self.spacing() if self.spacing() >= 0 else SPACING

    def _shown(self):
        return [item for item in self._items if not item.isEmpty()]

    def sizeHint(self):
        """Every item on one line."""
        hints = [item.sizeHint() for item in self._shown()]
        width = sum(h.width() for h in hints) + self._spacing() * max(len(hints) - 1, 0)
        return self._with_margins(QSize(width, max((h.height() for h in hints), default=0)))

    def minimumSize(self):
        """The widest item alone on its line."""
        sizes = [item.minimumSize() for item in self._shown()]
        return self._with_margins(QSize(max((s.width() for s in sizes), default=0),
                                        max((s.height() for s in sizes), default=0)))

    def _with_margins(self, size):
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _place(self, rect, move):
        """Lay the items out in ``rect`` (only measure unless ``move``); the height used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height, spacing = area.x(), area.y(), 0, self._spacing()
        for item in self._shown():
            hint = item.sizeHint()
            width = max(min(hint.width(), area.width()), item.minimumSize().width())
            if x > area.x() and x + width > area.x() + area.width():
                x, y, line_height = area.x(), y + line_height + spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


def holder(layout):
    """A widget holding ``layout`` without margins of its own (a panel of
    :class:`SideBySide` made of a layout)."""
    widget = QWidget()
    widget.setLayout(layout)
    layout.setContentsMargins(0, 0, 0, 0)
    return widget


class SideBySide(QWidget):
    """``panels`` (widgets) side by side, with ``stretches``, where the width gives each
    its minimum width and at least :data:`LEAST_LETTERS` letters, else one above the
    other; the narrowest width it asks for is that of its widest panel. A panel named in
    ``whole`` needs the width its size hint asks for (a tab bar whose tabs would be cut to
    a letter or two). One above the other, the first panel is on top, or with
    ``last_on_top`` the panels in the reverse order, the last on top (of two panels: a plot
    that would be out of sight below a table). ``box`` is the
    layout (its margins as a QHBoxLayout's)."""

    def __init__(self, *panels, stretches=None, whole=(), last_on_top=False):
        super().__init__()
        self.whole = whole
        self.stacked = QBoxLayout.Direction.BottomToTop if last_on_top else \
            QBoxLayout.Direction.TopToBottom
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        for panel, stretch in zip(panels, stretches or [0] * len(panels)):
            self.box.addWidget(panel, stretch)

    def _panels(self):
        items = (self.box.itemAt(i) for i in range(self.box.count()))
        return [item for item in items if not item.isEmpty()]

    def _margins(self):
        margins = self.box.contentsMargins()
        return margins.left() + margins.right()

    def side_by_side_width(self):
        """The width that holds the panels side by side."""
        panels = self._panels()
        least = self.fontMetrics().averageCharWidth() * LEAST_LETTERS
        widths = [max(item.minimumSize().width(), least, item.sizeHint().width()
                      if item.widget() in self.whole else 0) for item in panels]
        return sum(widths) + self._margins() + self.box.spacing() * max(len(panels) - 1, 0)

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        widest = max((item.minimumSize().width() for item in self._panels()), default=0)
        return QSize(widest + self._margins(), hint.height())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.arrange(event.size().width())

    def event(self, event):
        # a panel's minimum width changed (a table filled): arrange again at this width
        if event.type() == QEvent.Type.LayoutRequest:
            self.arrange(self.width())
        return super().event(event)

    def arrange(self, width):
        """Side by side at ``width`` when it holds them, else one above the other."""
        direction = QBoxLayout.Direction.LeftToRight if width >= self.side_by_side_width() \
            else self.stacked
        if direction != self.box.direction():
            self.box.setDirection(direction)

    def is_side_by_side(self):
        return self.box.direction() == QBoxLayout.Direction.LeftToRight


class TurningSplitter(QSplitter):
    """A QSplitter whose panes lie side by side where the width gives each its minimum
    width, else one above the other; the narrowest width it asks for is its widest
    pane's. Its panes never collapse."""

    def __init__(self):
        super().__init__(Qt.Orientation.Horizontal)
        self.setChildrenCollapsible(False)

    def _pane_widths(self):
        panes = [self.widget(i) for i in range(self.count())]
        return [max(pane.minimumSizeHint().width(), pane.minimumWidth())
                for pane in panes if not pane.isHidden()]

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        return QSize(max(self._pane_widths(), default=0), hint.height())

    def resizeEvent(self, event):
        widths = self._pane_widths()
        wide = event.size().width() >= sum(widths) + self.handleWidth() * (len(widths) - 1)
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation != self.orientation():
            self.setOrientation(orientation)
        super().resizeEvent(event)
