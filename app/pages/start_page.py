"""The start page: new project, open project, recent projects and the built-in examples."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from engine import EngineError
from engine.project.document import load_project

from ..examples import EXAMPLES
from ..steps import STEPS


class StartPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        title = QLabel("<h1>RNN Studio</h1><p>Build a recurrent neural network that "
                       "forecasts or approximates a time series, from a CSV file to a model "
                       "you can use, in seven steps.</p>")
        title.setWordWrap(True)

        new_button = QPushButton("&New project...")
        new_button.setToolTip("Start a project with your own CSV file.")
        new_button.clicked.connect(window.new_project)
        open_button = QPushButton("&Open project...")
        open_button.setToolTip("Open a project file saved earlier.")
        open_button.clicked.connect(window.open_project_dialog)
        for button in (new_button, open_button):
            button.setMinimumHeight(40)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addWidget(open_button)
        buttons.addStretch(1)

        self.recent = QListWidget()
        self.recent.setToolTip("Projects you opened recently; click one to open it.")
        self.recent.itemClicked.connect(self._open_recent)
        self.recent.itemActivated.connect(self._open_recent)      # Enter on the keyboard
        self.recent.setSpacing(3)
        # short titles (a group box is at least as wide as its title), the rest in a line
        recent_box = QGroupBox("Recent projects")
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.addWidget(_wrapped("Click one to open it."))
        recent_layout.addWidget(self.recent)

        examples_box = QGroupBox("Examples with real data")
        examples_layout = QVBoxLayout(examples_box)
        examples_layout.addWidget(_wrapped("Open one and train a network in a minute."))
        grid = QGridLayout()
        examples_layout.addLayout(grid)
        for index, (key, example) in enumerate(EXAMPLES.items()):
            button = QPushButton(example.title)
            button.setToolTip(f"Open the example project '{example.title}'.")
            button.setMinimumWidth(170)
            button.clicked.connect(lambda checked=False, k=key: window.open_example(k))
            text = QLabel(example.description)
            text.setWordWrap(True)
            grid.addWidget(button, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, index, 1)
        grid.setColumnStretch(1, 1)

        steps_box = QGroupBox("How it works")
        steps_text = QLabel("<ol>" + "".join(
            f"<li><b>{step.title}</b>" + ("" if step.available else " (a later version)")
            + "</li>" for step in STEPS) + "</ol><p>Each page explains its step in plain "
            "words, and every control has a tooltip: rest the mouse on it. "
            "<b>Help &gt; User guide</b> (F1) tells more about the page on screen, with a "
            "worked example.</p>")
        steps_text.setWordWrap(True)
        steps_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        QVBoxLayout(steps_box).addWidget(steps_text)
        left = QVBoxLayout()
        left.addWidget(examples_box)
        left.addWidget(steps_box, 1)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(title)
        layout.addLayout(buttons)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(recent_box, 2)
        layout.addLayout(columns, 1)
        scroll = QScrollArea()          # a small screen or large letters: it scrolls
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # no Tab stop of its own
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def refresh(self):
        self.recent.clear()
        for path in self.window.recent_projects():
            item = QListWidgetItem(f"{recent_name(path)}\n    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        if not self.recent.count():
            placeholder = QListWidgetItem("No recent projects yet.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)

    def _open_recent(self, item):
        path = item.data(Qt.ItemDataRole.UserRole)
        if path and self.isVisible():       # once: a double click also activates
            self.window.open_project(path)


def _wrapped(text):
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def recent_name(path):
    """The name a recent project file gives its project; its file name with the reason
    when it cannot be read."""
    try:
        return load_project(path).name
    except EngineError:
        reason = "not found" if not Path(path).exists() else "cannot be read"
        return f"{Path(path).name} ({reason})"
