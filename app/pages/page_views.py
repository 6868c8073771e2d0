"""A page that shows one of two views (a project of one series or of many), sized by the
view on screen only. (A QStackedWidget asks for the height of its tallest view, also of a
hidden one, and the page would scroll for it.)"""

from PySide6.QtWidgets import QVBoxLayout, QWidget


class ViewStack(QWidget):
    """The views in one place, only the current one shown (the others are hidden, and a
    layout gives hidden widgets no room)."""

    def __init__(self, *views):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.views = views
        for view in views:
            layout.addWidget(view)
        self.setCurrentWidget(views[0])

    def currentWidget(self):
        return self._current

    def setCurrentWidget(self, view):
        """Show ``view`` alone."""
        self._current = view
        for other in self.views:
            other.setVisible(other is view)
