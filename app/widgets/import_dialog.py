"""The CSV import dialog: the detected delimiter, decimal mark, thousands separator,
header, encoding and date column, each changeable, with a preview of the first rows as they
will be read, and what reading did beyond that (names that head several columns
numbered, rows sorted by time)."""

import html
from dataclasses import replace
from datetime import timezone

import pandas as pd

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from engine import EngineError
from engine.data import CsvOptions, load_table
from engine.data.time_steps import local_clock, zone_name
from engine.deploy.predicting import written_as
from engine.data.year_period import find_year_period, with_period_labels
from engine.tasks import Cancelled
from engine.testing.verdict import WINDOW

from ..background import run_and_wait
from .controls import combo

DELIMITERS = [(",", "Comma ,"), (";", "Semicolon ;"), ("\t", "Tab"), ("|", "Bar |"),
              (" ", "Space")]
DECIMALS = [(".", "Point ."), (",", "Comma ,")]
THOUSANDS = [("", "None"), (".", "Point ."), (",", "Comma ,"), (" ", "Space"),
             ("'", "Apostrophe '")]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
PREVIEW_ROWS = 50


def _cell_text(value, time_format=None):
    """A cell as the user wrote it: an empty cell empty, a time in the column's
    ``time_format`` (:func:`_time_format`), numbers as read."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if time_format and hasattr(value, "strftime"):
        return written_as(pd.Timestamp(value), time_format)
    return str(value)


def _time_format(column):
    """The strftime format of a column of times, one for all its rows: the date alone
    when every time is a midnight, else the clock time too (with seconds when one has
    them), so that a midnight shows "2016-01-11 00:00" beside "2016-01-11 00:10"; None
    for a column that does not hold times. Fractions of a second are shown to the
    millisecond, or the microsecond, that one of them needs (``10:00:00.250``)."""
    if not pd.api.types.is_datetime64_any_dtype(column):
        return None
    times = column.dropna()
    if (times == times.dt.normalize()).all():
        return "%Y-%m-%d"
    micros = times.dt.microsecond
    if (micros % 1000).any():
        return "%Y-%m-%d %H:%M:%S.%f"
    if micros.any():
        return "%Y-%m-%d %H:%M:%S.%3f"
    return "%Y-%m-%d %H:%M" if (times.dt.second == 0).all() else "%Y-%m-%d %H:%M:%S"


def _as_written(table):
    """The table's frame with its time column, read in UTC where the file wrote offsets,
    on the clocks of the zone it was written in (``2021-01-01 00:00`` for
    ``2021-01-01T00:00+01:00``, not ``2020-12-31 23:00``; at the latest time's offset
    where no zone's clocks fit the offsets written); the frame itself otherwise."""
    frame, column = table.frame, table.time_column
    zone = frame.attrs.get("time_zone")
    if zone is None or column not in frame.columns:
        return frame
    return frame.assign(**{column: local_clock(frame[column], zone)})


def zone_words(table):
    """What the preview says of times written with offsets: the zone whose clocks show
    them (:func:`_as_written`); "" for times without."""
    zone = table.frame.attrs.get("time_zone")
    if zone is None or table.time_column is None or zone == timezone.utc:    # "Z": UTC
        return ""
    name = zone_name(zone)
    where = f"at {name}, the offset of the latest time" if name[0] in "+-" else \
        f"on the clocks of {name}, where they were written"
    return f"The times carry offsets from UTC; they are shown {where}."


def read_csv_file(path, options):
    """``(table, problem)``: the file at ``path`` read with ``options``; when the time
    column was to be detected and the one found cannot be used (a time repeated or
    unreadable), the file read without one and why, so that the user can choose another.
    Its notes and refusals speak the window's words."""
    try:
        return load_table(path, options, WINDOW), None
    except EngineError as error:
        if options.time_column is not None:
            raise
        try:
            return load_table(path, replace(options, time_column=False), WINDOW), str(error)
        except EngineError:
            raise error from None


class ImportDialog(QDialog):
    """Reads ``path`` with detected options; ``table`` holds the result once accepted."""

    def __init__(self, path, options=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import CSV file")
        self.resize(900, 560)
        self.path = path
        self.table = None
        self.stopped = False            # reading was stopped (the application quits)
        self.delimiter = combo(DELIMITERS, "The character between the values of a line.")
        self.decimal = combo(DECIMALS, "The decimal mark of numbers: 3.14 or 3,14.")
        self.thousands = combo(THOUSANDS, "The mark between groups of thousands, as in "
                                          "1.234.567,89 or 1,234,567.89.")
        self.header = QCheckBox("The &first line holds the column names")
        self.header.setToolTip("Untick when the first line already holds values.")
        self.encoding = QComboBox()
        self.encoding.addItems(ENCODINGS)
        self.encoding.setToolTip("How the text is encoded. Try cp1252 or latin-1 if letters "
                                 "look wrong.")
        self.time_column = QComboBox()
        self.time_column.setToolTip("The column with the date or time of each row. Windows "
                                    "never span a gap in time.")
        self.preview = QTableWidget()
        self.preview.setAccessibleName("Preview of the file")
        self.preview.setToolTip(f"The first {PREVIEW_ROWS} rows as they will be read; rows "
                                "are counted from 0.")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Import")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Delimiter:", self.delimiter)
        form.addRow("Deci&mal mark:", self.decimal)
        form.addRow("&Thousands separator:", self.thousands)
        form.addRow("&Encoding:", self.encoding)
        form.addRow("Date/time co&lumn:", self.time_column)
        form.addRow("", self.header)
        top = QHBoxLayout()
        top.addLayout(form)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{path}</b>"))
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self._read(options or CsvOptions())
        for box in (self.delimiter, self.decimal, self.thousands, self.encoding,
                    self.time_column):
            box.currentIndexChanged.connect(self._options_changed)
        self.header.toggled.connect(self._options_changed)

    def _set_combo(self, combo, value):
        index = combo.findData(value)
        if index < 0:
            index = combo.findText(str(value))
        if index >= 0:
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def current_options(self):
        time_column = self.time_column.currentData()
        return CsvOptions(self.delimiter.currentData(), self.decimal.currentData(),
                          self.header.isChecked(), self.encoding.currentText(),
                          time_column if time_column else False,
                          self.thousands.currentData())

    def _options_changed(self, *args):
        options = self.current_options()
        if self.sender() is not self.time_column:
            options = replace(options, time_column=None)   # detect the column again
        if self.sender() in (self.delimiter, self.decimal):
            options = replace(options, thousands=None)     # and the thousands separator
        self._read(options)

    def _read(self, options):
        """Read the file with ``options`` (in a worker thread) and show what was read."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            self.table, problem = run_and_wait(read_csv_file, self.path, options)
        except (EngineError, Cancelled) as error:
            # Cancelled: the application quits while the file is read
            self.stopped = isinstance(error, Cancelled)
            text = "Reading the file was stopped." if self.stopped else str(error)
            self.table = None
            self.message.setText(f"<span style='color:#b00020'>{text}</span>")
            self.preview.clear()
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            ok.setEnabled(False)
            return
        self.stopped = False
        ok.setEnabled(True)
        used = self.table.options
        self._set_combo(self.delimiter, used.delimiter)
        self._set_combo(self.decimal, used.decimal)
        self._set_combo(self.thousands, used.thousands or "")
        self._set_combo(self.encoding, used.encoding)
        self.header.blockSignals(True)
        self.header.setChecked(bool(used.header))
        self.header.blockSignals(False)
        self.time_column.blockSignals(True)
        self.time_column.clear()
        self.time_column.addItem("(none)", "")
        for column in self.table.frame.columns:
            self.time_column.addItem(str(column), str(column))
        two = find_year_period(self.table.frame)      # a year and a quarter, not read so
        if two is not None:
            self.time_column.insertItem(1, two.name, two.name)
        self._set_combo(self.time_column, used.time_column or "")
        self.time_column.blockSignals(False)
        self._fill_preview()
        frame = self.table.frame
        kinds = ", ".join(f"{c.name}: {c.type}" for c in self.table.columns)
        notes = "".join(f"<br>{html.escape(note)}" for note in
                        [zone_words(self.table)] + list(self.table.notes) if note)
        if problem:
            notes += (f"<br><span style='color:#b00020'>{html.escape(problem)} Read without a "
                      "time column for now.</span>")
        self.message.setText(f"{len(frame)} rows, {frame.shape[1]} columns "
                             f"({html.escape(kinds)}).{notes}")

    def _fill_preview(self):
        """The first rows as read; a time built from a year and a quarter (month) as its
        periods (``1990-Q1``, ``1990-01``), as predictions write it; times written with
        offsets on the clocks of the zone they were written in, as the file has them."""
        whole = _as_written(self.table)
        frame = with_period_labels(whole.head(PREVIEW_ROWS),
                                   self.table.frame.attrs.get("built_time"))
        self.preview.clear()
        self.preview.setColumnCount(frame.shape[1])
        self.preview.setRowCount(frame.shape[0])
        self.preview.setHorizontalHeaderLabels([str(c) for c in frame.columns])
        self.preview.setVerticalHeaderLabels([str(row) for row in range(frame.shape[0])])
        formats = [_time_format(whole.iloc[:, k]) for k in range(whole.shape[1])]
        for row, values in enumerate(frame.itertuples(index=False)):
            for column, value in enumerate(values):
                text = _cell_text(value, formats[column])
                self.preview.setItem(row, column, QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()
