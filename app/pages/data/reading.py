"""The reading of step 2's data file: the file's row, the import dialog, a new file made
the project's data with its default roles, and a missing file located again."""

from html import escape
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton

from engine import EngineError
from engine.data import DatasetConfig, default_variables
from engine.tasks import Cancelled

from ... import file_dialogs
from ...widgets.import_dialog import ImportDialog
from .texts import ADOPTED


class FileReading:
    """The data page's part that reads the data file."""

    def _build_file_row(self):
        """The row of the file's name and size (``file_label``) and the button that loads
        one."""
        self.file_label = QLabel("No data file loaded.")
        self.file_label.setWordWrap(True)
        load = QPushButton("&Load CSV file...")
        load.setToolTip("Choose a CSV file with one row per time step and one column per "
                        "variable.")
        load.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(load)
        return file_row

    def _show_file(self, table):
        """The file label: the data file's name and size, or that there is none (``table``
        None: none loaded, or the project's is missing)."""
        if table is None:
            missing = self.session.missing_data_file()
            self.file_label.setText(f"The data file {missing} was not found." if missing
                                    else "No data file loaded.")
            return
        path = self.session.project.data_file()
        self.file_label.setText(f"<b>{escape(Path(path).name)}</b>: "
                                f"{len(table.frame)} rows, {table.frame.shape[1]} columns")
        self.file_label.setToolTip(str(path))

    def choose_file(self):
        folder = str(self.session.project.folder) if self.session.project else ""
        path, _ = file_dialogs.open_file_name(self, "Load data file", folder,
                                              "CSV files (*.csv *.txt *.tsv);;All files (*)")
        if path:
            self.import_file(path)

    def import_file(self, path, dialog_factory=ImportDialog):
        """Show the import dialog for ``path``; on Import, make it the project's data."""
        dialog = dialog_factory(path, parent=self)
        if dialog.stopped:              # the application quits
            return False
        if dialog.exec() != ImportDialog.DialogCode.Accepted or dialog.table is None:
            return False
        self.use_table(path, dialog.table)
        return True

    def use_table(self, path, table):
        """Make ``table`` (read from ``path``) the project's data with the default roles
        (:func:`sole_target`); its suggested lookback and season become the settings."""
        variables = default_variables(table.columns, table.time_column,
                                      targets=sole_target(table))
        config = DatasetConfig(csv=table.options, variables=variables)
        self._by_hand = set()
        self._adopt = set(ADOPTED)
        self._configured = self.session.project
        self.session.set_table(path, table, config)
        self._start_automatic(config)
        self.refresh()

    def offer_to_locate(self, missing):
        answer = QMessageBox.question(
            self, "Data file not found",
            f"The project's data file {missing} was not found. It may have been moved or "
            "renamed. Locate it now?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        path, _ = file_dialogs.open_file_name(self, f"Locate {missing.name}",
                                              str(self.session.project.folder),
                                              "CSV files (*.csv *.txt *.tsv);;All files (*)")
        if not path:
            return
        self.session.project.set_data_file(path)
        try:
            self.session.reload_table()
        except EngineError as error:
            QMessageBox.warning(self, "Cannot read the data file", str(error))
            return
        except Cancelled:           # the application quits while the file is read
            return
        self.session.touch()
        self.refresh()


def sole_target(table):
    """The target by default: the only numeric column besides the time column, when there
    is exactly one (a file with several leaves the choice to the person)."""
    numeric = [c.name for c in table.columns if c.name != table.time_column
               and c.type in ("numeric", "binary")]
    sole = [c for c in table.columns if c.name in numeric and c.type == "numeric"]
    return [sole[0].name] if len(numeric) == 1 and sole else []
