"""The split of step 2: the shares of training, selection and testing and the "Testing
from" field, as typed and as shown (greyed out with the shares "Testing from" gives)."""

import pandas as pd
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSizePolicy

from engine import EngineError
from engine.data import SplitSettings

from ...widgets.controls import spin_box
from .texts import PARTS, SHARE_TOOLTIP


class SplitBox:
    """The data page's part for the split of the windows."""

    def _build_split(self):
        """The three shares (a row of spin boxes) and the "Testing from" field."""
        self.fractions = []
        split_row = QHBoxLayout()
        for name, value in (("training", 60), ("selection", 20), ("testing", 20)):
            spin = spin_box(0, 100, SHARE_TOOLTIP.format(part=name), decimals=0, suffix=" %")
            spin.setValue(value)
            spin.setAccessibleName(f"{name.capitalize()} share")
            spin.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.fractions.append(spin)
            split_row.addWidget(spin)
        self.split_row = split_row
        self.test_from = QLineEdit()
        self.test_from.setPlaceholderText("1960-01-01 or row 120")
        self.test_from.setToolTip("Testing starts at this date or year of the time column "
                                  "(e.g. 1960-01-01 or 1960), or at a row: 'row 120' (rows "
                                  "counted from 0). The windows before it are split between "
                                  "training and selection. Leave empty to use the shares.")
        return split_row

    def _split_typed(self, config):
        """The split of the shares and the "Testing from" typed (of one series), or None
        when it cannot be made, the problem said (with no shares at all, those before are
        shown again)."""
        shares = [spin.value() for spin in self.fractions]
        if not self.fractions[0].isEnabled():       # the shares "Testing from" gave
            shares = list(config.split.fractions)
        total = sum(shares)
        text = self.test_from.text().strip()
        stored = config.split.test_from
        if stored is not None and text == testing_from_text(stored, self.session.table):
            test_from = stored          # as stored (a row number, a year): left as it was
        elif text.lower().startswith("row") and text[3:].strip().isdigit():
            test_from = {"row": int(text[3:])}
        else:
            test_from = text or None   # a date or year of the time column, else a row
        if not total:                   # no split at all: the shares before stay
            self._loading = True
            for spin, share in zip(self.fractions, config.split.fractions):
                spin.setValue(round(share * 100))
            self._loading = False
            self.problems.setText("<span style='color:#b00020'>The shares of training, "
                                  "selection and testing cannot all be 0; the shares before "
                                  "are kept.</span>")
            return None
        try:
            return SplitSettings(config.split.method, tuple(s / total for s in shares),
                                 test_from, config.split.seed)
        except EngineError as error:
            self.problems.setText(f"<span style='color:#b00020'>{error}</span>")
            return None


    def _show_shares(self, config, summary):
        """The split boxes: the shares set (as typed while they are being edited), or, when
        "Testing from" decides where testing starts, greyed out with the shares of the
        windows it gives (and their counts in the tooltip)."""
        decided = config.split.test_from is not None
        typed = not decided and self.fractions[0].isEnabled()
        shares = [share * 100 for share in config.split.fractions]
        counts = summary.counts if summary is not None else None
        if decided and counts and sum(counts.values()):
            shares = [100 * counts[part] / sum(counts.values()) for part in PARTS]
        self._loading = True
        try:
            for spin, share, part in zip(self.fractions, shares, PARTS):
                if not typed:
                    spin.setValue(round(share))
                spin.setEnabled(not decided)
                tip = _share_tooltip(part, config.split, counts) if decided else \
                    SHARE_TOOLTIP.format(part=part)
                spin.setProperty("base_tooltip", tip)
                spin.setToolTip(tip)
        finally:
            self._loading = False


def _share_tooltip(part, split, counts):
    """The tooltip of a split box greyed out because "Testing from" decides: why, and the
    windows each part has."""
    train, select = split.fractions[0], split.fractions[1]
    ratio = round(100 * train / (train + select)) if train + select else 100
    text = (f"Testing starts at {testing_from_text(split.test_from)} (Testing from), so "
            f"the testing start decides the shares: this box shows the {part} share of "
            f"the windows it gives. The windows before it are divided {ratio} : "
            f"{100 - ratio} between training and selection. Empty 'Testing from' to set "
            "the shares here.")
    if counts:
        text += ("\n\nWindows: " + ", ".join(f"{name} {counts.get(name, 0)}"
                                             for name in PARTS) + ".")
    return text


def testing_from_text(test_from, table=None):
    """"Testing from" as the field shows it: a date or year, or 'row 120' (also for a
    whole number stored for a file whose time column, in ``table``, holds no numbers:
    a row number, e.g. from ``rnn-studio fit --test-from 120``)."""
    if isinstance(test_from, dict):
        return f"row {test_from.get('row')}"
    if isinstance(test_from, int) and not isinstance(test_from, bool) and table is not None:
        column = table.time_column
        if column is None or not pd.api.types.is_numeric_dtype(table.frame[column]):
            return f"row {test_from}"
    return str(test_from)
