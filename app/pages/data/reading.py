"""The reading of step 2's data file: the file's row, the import dialog, a file made the
project's data (the same columns keep their roles and settings; other columns get the
default roles once the person agrees), and a missing file located again."""

from dataclasses import replace
from html import escape
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton

from engine import EngineError
from engine.data import DatasetConfig, default_variables
from engine.data.pipeline import with_series_time
from engine.tasks import Cancelled
from engine.words import some_named, verb

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
        """Show the import dialog for ``path``; on Import, make it the project's data
        (:meth:`use_table`). Returns whether it became the project's data."""
        dialog = dialog_factory(path, parent=self)
        if dialog.stopped:              # the application quits
            return False
        if dialog.exec() != ImportDialog.DialogCode.Accepted or dialog.table is None:
            return False
        return self.use_table(path, dialog.table)

    def use_table(self, path, table):
        """Make ``table`` (read from ``path``) the project's data. Holding the columns the
        project's variables name (the same file read again, or a newer export of it), it
        keeps their roles and the data settings; other columns replace them with the
        defaults (:meth:`_use_new_columns`), once the person agrees to lose the settings
        the project has. Returns whether ``table`` became the project's data."""
        config = self.session.config()
        changes = None if config is None else column_changes(config, table)
        if changes == []:
            self._keep_settings(path, table, config)
            return True
        if changes and not self._replace_settings(path, changes):
            return False
        self._use_new_columns(path, table)
        return True

    def _keep_settings(self, path, table, config):
        """``table`` with the project's variables and data settings, read with the CSV
        options chosen in the import dialog; a table of many series gets its time built
        again as the project's (a year and a quarter made one)."""
        built = with_series_time(table, config.time_column) if config.series_column \
            else table
        if self._series_table is not None:      # the table before the time was built
            self._series_table = (table, self._series_table[1])
        self.session.set_table(path, built, replace(config, csv=table.options))
        self.refresh()

    def _replace_settings(self, path, changes):
        """Whether the person agrees to replace the project's variables and data settings
        with the defaults of a file whose columns differ (``changes``, in words)."""
        trained = (" The model trained before is then out of date: train it again at step "
                   "4." if self.session.trained_model() is not None else "")
        answer = QMessageBox.question(
            self, "Replace the data settings?",
            f"{Path(path).name} does not hold the project's columns: {'; '.join(changes)}. "
            "Loading it gives every column its default role and the lookback, season, "
            f"steps ahead and split their defaults.{trained} Load it? (Cancel keeps the "
            "project's data and settings as they are.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _use_new_columns(self, path, table):
        """Make ``table`` the project's data with the default roles (:func:`sole_target`);
        its suggested lookback and season become the settings."""
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


def column_changes(config, table):
    """What sets ``table``'s columns apart from the variables of ``config`` (the project's
    data settings), in words; none when it holds the same columns, of one series read with
    the same time column (a table of many series gets the time of its project built from a
    year and a quarter first, as a project opened again does)."""
    if config.series_column:
        table = with_series_time(table, config.time_column)
    names = [spec.name for spec in config.variables]
    columns = [info.name for info in table.columns]
    gone = [quoted(name) for name in names if name not in columns]
    new = [quoted(name) for name in columns if name not in names]
    changes = [f"{some_named(gone)} {verb(len(gone), 'is', 'are')} not in it"] if gone \
        else []
    if new:
        changes.append(f"{some_named(new)} {verb(len(new), 'is', 'are')} new")
    if not changes and not config.series_column and table.time_column != config.time_column:
        changes.append(f"its time column is {quoted(table.time_column)}, the project's "
                       f"{quoted(config.time_column)}")
    return changes


def quoted(name):
    """A column's name in quotes, or "none" (no column)."""
    return f"'{name}'" if name else "none"


def sole_target(table):
    """The target by default: the only numeric column besides the time column, when there
    is exactly one (a file with several leaves the choice to the person)."""
    numeric = [c.name for c in table.columns if c.name != table.time_column
               and c.type in ("numeric", "binary")]
    sole = [c for c in table.columns if c.name in numeric and c.type == "numeric"]
    return [sole[0].name] if len(numeric) == 1 and sole else []
