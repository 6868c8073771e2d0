"""Step 2's form of settings, "Windows and split": missing values (with the line on the
target values made up), target transform, season length, lookback, steps ahead, forecast
length, the split and the testing rows of many series."""

from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QPushButton, QWidget)

from engine.data.missing import made_up_how, made_up_targets
from engine.testing.evaluation import DEFAULT_BLOCK_ROWS, block_rows
from engine.words import counted, verb

from ...widgets.controls import WrappedLabel, buddy_label, combo, select, spin_box
from ...widgets.narrow import letters_wide
from .split_box import testing_from_text
from .texts import (FORECAST_LENGTH_TOOLTIP, HORIZON_TOOLTIP, MISSING_LABELS, NO_SEASON,
                    NARROW_BOX, PERIOD_TOOLTIP, TEST_LAST_TOOLTIP, TOOLTIPS, TRANSFORM_LABELS,
                    TRANSFORM_TOOLTIP)


class SettingsForm:
    """The data page's part that builds and fills the form of settings."""

    def _build_settings(self):
        self.missing = combo(MISSING_LABELS, "What to do with empty cells. Interpolation "
                              "suits series; leaving rows out splits the series, and no "
                              "window spans a row left out.")
        self.transform = combo(TRANSFORM_LABELS, TRANSFORM_TOOLTIP)
        for box in (self.missing, self.transform):      # narrow: the table gets the room
            box.setSizeAdjustPolicy(NARROW_BOX)
            box.setMinimumContentsLength(12)
        self.period = spin_box(NO_SEASON, 100000, PERIOD_TOOLTIP)
        self.period.setSpecialValueText("none found")
        self.lookback = spin_box(1, 100000, TOOLTIPS["lookback"][0])
        self.horizon = spin_box(0, 1000, TOOLTIPS["horizon"][0])
        self.horizon_hint = QLabel()
        self.horizon_hint.setToolTip(HORIZON_TOOLTIP)
        horizon_row = QHBoxLayout()
        horizon_row.addWidget(self.horizon)
        horizon_row.addWidget(self.horizon_hint, 1)
        self.test_last = spin_box(0, 100000, TEST_LAST_TOOLTIP)
        self.test_last.setMaximumWidth(letters_wide(self.test_last, 13))
        self.test_last_row = QWidget()          # one line across the form
        test_last_row = QHBoxLayout(self.test_last_row)
        test_last_row.setContentsMargins(0, 0, 0, 0)
        test_last_row.addWidget(buddy_label("T&esting: the last", self.test_last))
        test_last_row.addWidget(self.test_last)
        every = QLabel("rows of every series")
        every.setWordWrap(True)          # wraps rather than widening the settings
        test_last_row.addWidget(every, 1)
        settings = QFormLayout()
        self.settings_form = settings
        settings.addRow("&Missing values:", self.missing)
        settings.addRow(self._build_missing_note())
        settings.addRow("&Target transform:", self.transform)
        self.transform_note = WrappedLabel()
        self.transform_note.setVisible(False)
        settings.addRow(self.transform_note)
        settings.addRow("&Season length:", self.period)
        lookback_row = QHBoxLayout()
        lookback_row.addWidget(self.lookback)
        lookback_row.addWidget(self.switches.lookback, 1)
        settings.addRow(buddy_label("Loo&kback (time steps):", self.lookback), lookback_row)
        settings.addRow(buddy_label("Steps ahea&d:", self.horizon), horizon_row)
        # a label beside a row of widgets names none of them for a screen reader
        self.lookback.setAccessibleName("Lookback (time steps)")
        self.horizon.setAccessibleName("Steps ahead")
        self.forecast_length = spin_box(0, 100000, FORECAST_LENGTH_TOOLTIP)
        self.forecast_length.setSpecialValueText("a season (or 12)")
        settings.addRow("Forecast len&gth:", self.forecast_length)
        split_row = self._build_split()
        settings.addRow(buddy_label("S&plit (train/select/test):", self.fractions[0]), split_row)
        settings.addRow("T&esting from:", self.test_from)
        settings.addRow(self.test_last_row)
        settings.setRowVisible(self.test_last_row, False)
        settings_box = QGroupBox("Windows and split")
        settings_box.setLayout(settings)
        return settings_box

    def _build_missing_note(self):
        """The line under "Missing values": how many target values are made up, with the
        button that leaves their rows out instead (hidden while no target value is empty)."""
        self.missing_note = QLabel()
        self.missing_note.setWordWrap(True)
        self.leave_out = QPushButton("Leave those rows &out")
        self.leave_out.setToolTip("Use no made-up values: every row with an empty value in "
                                  "a column used is left out, and no window spans it.")
        self.leave_out.clicked.connect(lambda: select(self.missing, "drop"))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.missing_note, 1)
        layout.addWidget(self.leave_out)
        self.missing_row = row
        row.setVisible(False)
        return row

    def _show_made_up(self, table, config):
        """How many target values the missing-value method makes up or leaves out
        (:func:`~engine.data.missing.made_up_targets`); nothing when none is empty."""
        empty, made_up = made_up_targets(table, config)
        self.missing_row.setVisible(empty > 0)
        self.leave_out.setVisible(made_up > 0)
        if not empty:
            return
        values = counted(empty, "empty target value")
        if config.missing == "drop":
            text = f"{values}: {verb(empty, 'its row is', 'their rows are')} left out."
            shown = text
        else:           # one line beside the button; the sentence in the tooltip
            text = f"{values}: <b>{made_up:,} made up</b> {made_up_how(config.missing)}"
            rest = empty - made_up
            text += f", {rest:,} left out with {verb(rest, 'its row', 'their rows')}." \
                if rest else "."
            shown = f"{empty:,} empty, <b>{made_up:,} made up</b>"
        self.missing_note.setText(shown)
        self.missing_note.setToolTip(text)

    def _connect_settings(self):
        for widget in (self.missing, self.transform):
            widget.currentIndexChanged.connect(self._settings_edited)
        for widget in [self.period, self.lookback, self.horizon, self.test_last] + \
                self.fractions:
            widget.valueChanged.connect(self._settings_edited)
        self.test_from.editingFinished.connect(self._settings_edited)
        self.forecast_length.valueChanged.connect(self._forecast_length_edited)
        for box in (self.period, self.horizon):
            box.valueChanged.connect(self._show_forecast_default)

    def _show_forecast_default(self, *_):
        """The forecast length's automatic value in rows, as the choices read it
        (:func:`~engine.testing.evaluation.block_rows`): the season length box's season
        (12 rows when it shows none), or the steps ahead when more."""
        period, steps = self.period.value(), self.horizon.value()
        seasonal = period > NO_SEASON
        rows = block_rows(steps, period if seasonal else None)
        season_rows = period if seasonal else DEFAULT_BLOCK_ROWS
        self.forecast_length.setSpecialValueText(
            f"{rows} rows (the steps ahead)" if rows > season_rows
            else f"a season ({rows} rows)" if seasonal else f"{rows} rows (no season)")

    def _show_values(self, config):
        """The settings' controls show ``config``'s values (no edit is made)."""
        self._loading = True
        try:
            select(self.missing, config.missing)
            self._show_transform(config)
            self.period.setValue(self._shown_period(config))
            self.lookback.setValue(config.lookback)
            self.horizon.setValue(config.horizon)
            self.test_last.setValue(config.test_last)
            for spin, share in zip(self.fractions, config.split.fractions):
                spin.setValue(round(share * 100))
            test_from = config.split.test_from
            self.test_from.setText("" if test_from is None else
                                   testing_from_text(test_from, self.session.table))
            self.forecast_length.setValue(
                self.session.project.selection.settings.get("forecast_steps") or 0)
            self._show_forecast_default()
        finally:
            self._loading = False
