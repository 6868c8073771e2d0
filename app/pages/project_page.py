"""Step 1: create a project (name, folder, description), or edit the open one's name and
description."""

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from engine import EngineError

from .. import file_dialogs
from ..widgets.controls import buddy_label


class ProjectPage(QWidget):
    created = Signal()

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Airline passengers")
        self.name.setToolTip("A short name for the project; the project file is named after "
                             "it.")
        self.folder = QLineEdit(str(Path.home() / "RNN Studio"))
        self.folder.setToolTip("The folder where the project file is created. Keep the data "
                               "file in it or below it, and the project can move with it.")
        self.browse = QPushButton("Bro&wse...")
        self.browse.setToolTip("Choose the project folder.")
        self.browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What the data is and what you want to predict.")
        self.description.setToolTip("Notes for yourself and for colleagues who open the "
                                    "project.")
        self.description.setMaximumHeight(120)
        self.description.setTabChangesFocus(True)     # Tab goes on to Create project
        self.create_button = QPushButton("&Create project")
        self.create_button.setToolTip("Create the project file in the folder and go on to "
                                      "the data set.")
        self.create_button.clicked.connect(self.create)
        self.name.returnPressed.connect(self._enter_in_name)
        self.folder.setAccessibleName("Folder")
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)

        form = QFormLayout()
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addStretch(1)
        form.addRow("Na&me:", self.name)
        form.addRow(buddy_label("F&older:", self.folder), folder_row)
        form.addRow("&Description:", self.description)
        form.addRow("", self.create_button)
        form.addRow("", self.file_label)
        self.name.textEdited.connect(self._edited)
        self.description.textChanged.connect(self._edited)
        self._loading = False

    def start_new(self):
        self._loading = True
        self.name.clear()
        self.description.clear()
        self._loading = False
        self.refresh()

    def refresh(self):
        project = self.session.project
        creating = project is None or self.session.path is None
        self._loading = True
        if project is not None:
            self.name.setText(project.name)
            self.description.setPlainText(project.description)
            self.folder.setText(str(project.folder))
        self._loading = False
        self.folder.setEnabled(project is None)
        self.browse.setEnabled(project is None)
        self.create_button.setVisible(creating)
        if self.session.path is not None:
            self.file_label.setText(f"Project file: {self.session.path}")
        else:
            self.file_label.setText("")

    def _browse(self):
        folder = file_dialogs.existing_directory(self, "Project folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _edited(self):
        project = self.session.project
        if self._loading or project is None or self.session.path is None:
            return
        name = self.name.text().strip()
        if name:
            project.name = name
        project.description = self.description.toPlainText()
        self.session.touch()

    def _enter_in_name(self):
        """Enter in the name creates a new project, as the button does."""
        if self.create_button.isVisible() and self.create_button.isEnabled():
            self.create()

    def create(self):
        name = self.name.text().strip()
        folder = self.folder.text().strip()
        if not name:
            QMessageBox.warning(self, "Name missing", "Give the project a name.")
            return
        try:
            self.session.create(name, folder, self.description.toPlainText())
        except EngineError as error:
            QMessageBox.warning(self, "Cannot create the project", str(error))
            return
        self.refresh()
        self.created.emit()
