"""The table of step 2's variables: a row for each column of the file with its type, role
and scaler boxes and its statistics, sized to fit beside the settings."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from engine.many.project_fit import is_many_series
from engine.figures import short_number

from ...widgets.controls import combo, select
from ..many_data import NOT_APPLYING
from .texts import (COLUMNS, FOLDED, LEAST_NAME, ROLE_ARROW, ROLE_CHARACTERS, ROLE_LABELS,
                    NARROW_BOX, ROLE_TOOLTIP, SCALER_LABELS, SCALER_TOOLTIP, SCALER_TOOLTIPS,
                    SERIES_ROLE_TOOLTIP, SHOWN_ROWS)


class VariablesTable:
    """The data page's part that shows the table of variables."""

    def _build_table(self):
        """The table of the variables (``variables``): a row for each column of the file."""
        self.variables = QTableWidget(0, len(COLUMNS))
        for column, (label, tip) in enumerate(COLUMNS):
            header = QTableWidgetItem(label)
            header.setToolTip(tip)
            self.variables.setHorizontalHeaderItem(column, header)
        self.variables.setToolTip("Each column of the file: choose its role and how it is "
                                  "scaled. Select a row to plot the variable.")
        self.variables.verticalHeader().setVisible(False)
        self.variables.setAccessibleName("Variables")
        self.variables.setTabKeyNavigation(False)    # Tab goes on to the role boxes and on
        self.variables.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.variables.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)

    def _fill_variables(self, table, config):
        shown = self.statistics
        stats = shown.summary if shown is not None and shown.table is table else {}
        infos = {c.name: c for c in table.columns}
        self.variables.clearContents()
        self.variables.setRowCount(0)
        self.variables.setRowCount(len(config.variables))
        for row, spec in enumerate(config.variables):
            info = infos.get(spec.name)
            name = QTableWidgetItem(spec.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, spec.name + (
                f"\n\n{info.note}" if info is not None and info.note else ""))
            self.variables.setItem(row, 0, name)
            kind = QTableWidgetItem(spec.type)
            kind.setFlags(kind.flags() & ~Qt.ItemFlag.ItemIsEditable)
            kind.setToolTip(info.note if info is not None and info.note else spec.type)
            self.variables.setItem(row, 1, kind)
            role = combo(ROLE_LABELS, ROLE_TOOLTIP)
            role.setItemData(role.findData("series"), SERIES_ROLE_TOOLTIP,
                             Qt.ItemDataRole.ToolTipRole)      # the label alone is short
            role.setSizeAdjustPolicy(NARROW_BOX)
            role.setMinimumContentsLength(ROLE_CHARACTERS)
            select(role, spec.role)
            role.setAccessibleName(f"Role of {spec.name}")
            role.currentIndexChanged.connect(self._variables_edited)
            self.variables.setCellWidget(row, 2, role)
            scaler = combo(SCALER_LABELS, SCALER_TOOLTIP)
            for index, (value, _) in enumerate(SCALER_LABELS):
                scaler.setItemData(index, SCALER_TOOLTIPS[value], Qt.ItemDataRole.ToolTipRole)
            select(scaler, spec.scaler)
            scaler.setEnabled(spec.type == "numeric")
            scaler.setAccessibleName(f"Scaling of {spec.name}")
            scaler.currentIndexChanged.connect(self._variables_edited)
            self.variables.setCellWidget(row, 3, scaler)
            self._fill_summary(row, stats.get(spec.name, {}),
                               info.n_missing if info else 0)
        self._tab_through_rows()
        self._size_columns()
        self._fit_height()

    def _allow_scalers(self, config):
        """The scaler boxes of numeric columns can be used for one series; for many, the
        boxes are disabled and say why (``config`` None: no data set)."""
        many = is_many_series(config)
        for row, spec in enumerate(config.variables if config is not None else []):
            scaler = self.variables.cellWidget(row, 3)
            if scaler is not None:
                scaler.setEnabled(spec.type == "numeric" and not many)
                scaler.setToolTip(NOT_APPLYING.format(what="the scaler chosen here") if many
                                  else SCALER_TOOLTIP)

    def _show_summary(self, statistics):
        """Every variable's summary columns from ``statistics``
        (:class:`~engine.data.statistics.DataStatistics`)."""
        infos = {c.name: c for c in statistics.table.columns}
        for row in range(self.variables.rowCount()):
            name = self.variables.item(row, 0).text()
            info = infos.get(name)
            self._fill_summary(row, statistics.summary.get(name, {}),
                               info.n_missing if info else 0)
        self._size_columns()

    def _fit_height(self):
        """The variables' table at least as tall as its first :data:`SHOWN_ROWS` rows (all
        of them when fewer) below its header: a short window squeezed it to two rows,
        though the page scrolls."""
        table = self.variables
        rows = sum(table.rowHeight(row) for row in range(min(table.rowCount(), SHOWN_ROWS)))
        bar = table.horizontalScrollBar()
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + rows
                               + 2 * table.frameWidth()
                               + (bar.sizeHint().height() if bar.maximum() > 0 else 0))

    def _tab_through_rows(self):
        """Tab goes from the table through each row's role and scaling boxes, then on to
        the settings (boxes made with the rows would come last, after Next)."""
        before = self.variables
        for row in range(self.variables.rowCount()):
            for column in (2, 3):
                box = self.variables.cellWidget(row, column)
                QWidget.setTabOrder(before, box)
                before = box

    def _size_columns(self):
        """Every column as wide as its contents, the names' column giving way (its long
        names elided) so that the whole table fits beside the settings; where even so it
        does not, the type and the statistics (:data:`FOLDED`) are read in the name's
        tooltip instead of columns that would scroll sideways."""
        table = self.variables
        for column in FOLDED:
            table.setColumnHidden(column, False)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        narrow = header.length() - table.columnWidth(0) + LEAST_NAME > table.viewport().width()
        for column in FOLDED:
            table.setColumnHidden(column, narrow)
        spare = table.viewport().width() - header.length()
        if spare < 0:
            table.setColumnWidth(0, max(LEAST_NAME, table.columnWidth(0) + spare))
        roles = [table.cellWidget(row, 2) for row in range(table.rowCount())]
        wanted = max([box.fontMetrics().horizontalAdvance(box.currentText()) + ROLE_ARROW
                      for box in roles if box is not None], default=0)
        if spare > 0 and wanted > table.columnWidth(2):   # a long role shown whole if room
            table.setColumnWidth(2, table.columnWidth(2) + min(spare - 2,
                                                               wanted - table.columnWidth(2)))

    def _fill_summary(self, row, entry, missing):
        """A variable's missing count, minimum, maximum, mean and standard deviation
        (``entry`` from :func:`~engine.data.statistics.summary`; blank until computed), to
        4 significant digits without trailing zeros: a count and the data's own values
        read as the file has them (0, 104, 55.9), not as scores (0.000)."""
        values = [entry.get("missing", missing), entry.get("minimum"), entry.get("maximum"),
                  entry.get("mean"), entry.get("std")]
        for column, value in enumerate(values, 4):
            item = QTableWidgetItem("" if value is None else short_number(value))
            if value is not None:
                item.setToolTip(f"{COLUMNS[column][1].split(':')[0]}: {value:.8g}")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.variables.setItem(row, column, item)
        self._say_summary(row, values)

    def _say_summary(self, row, values):
        """The name's tooltip: the name, then the type and the statistics ``values`` in
        words (the columns of :data:`FOLDED` are hidden in a narrow window)."""
        name, kind = self.variables.item(row, 0), self.variables.item(row, 1)
        figures = [f"{COLUMNS[column][1].split(':')[0].lower()} {short_number(value)}"
                   for column, value in enumerate(values, 4) if value is not None]
        name.setToolTip(f"{name.data(Qt.ItemDataRole.UserRole)}\n\n{kind.text()}"
                        + (f": {', '.join(figures)}" if figures else ""))

    def _show_table(self, table, config):
        """Make ``table`` the loaded table and show ``config``'s variables (no edit)."""
        self.session.replace_table(table)
        self._loading = True
        try:
            self._fill_variables(table, config)
        finally:
            self._loading = False

    def _set_role_box(self, row, role):
        """Show ``role`` in row ``row``'s role box without taking it for an edit."""
        self._loading = True
        try:
            select(self.variables.cellWidget(row, 2), role)
        finally:
            self._loading = False

    def _one_series_column(self, config, chosen):
        """At most one column names the series: the one given the role last (its role
        box ``chosen``) keeps it, another that had it becomes unused."""
        rows = [row for row, spec in enumerate(config.variables) if spec.role == "series"]
        if len(rows) < 2:
            return
        keep = next((row for row in rows if self.variables.cellWidget(row, 2) is chosen),
                    rows[0])
        self._loading = True
        try:
            for row in rows:
                if row != keep:
                    config.variables[row].role = "unused"
                    select(self.variables.cellWidget(row, 2), "unused")
        finally:
            self._loading = False
