"""The data page's view of a table of many series: the series at a glance (their number,
lengths and a histogram), the notes on the settings suggested for them, and one series
picked by name, plotted with its training, selection and testing rows in their colours."""

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from engine.words import counted

from ..widgets.controls import buddy_label
from ..widgets.plots import COLORS, curve, time_positions
from ..widgets.series_overview import SeriesOverview
from ..widgets.series_picker import SeriesPicker
from ..widgets.time_plot import TimePlot

PARTS = ("training", "selection", "testing")
MARKED_ROWS = 30    # a part of at most this many rows has its points marked: a line of one
                    # point is not drawn at all, and a few rows read better as points
NOT_APPLYING = ("For a table of many series, every series is scaled on its own and tested "
                "on its last rows (the Testing box), so {what} does not apply.")


def part_bounds(length, test_last, horizon):
    """``{part: (first, stop)}`` rows of one series of ``length`` rows up to its last known
    value: testing its last ``test_last`` rows, selection the ``horizon`` rows before them,
    training the rest (the empty rows after them are in no part: the fit leaves them out,
    :meth:`~engine.many.series_data.SeriesSet.without_unknown_tails`)."""
    test_start = max(length - int(test_last), 0)
    selection_start = max(test_start - int(horizon), 0)
    return {"training": (0, selection_start), "selection": (selection_start, test_start),
            "testing": (test_start, length)}


def full_stop(note):
    """``note`` as a sentence: a full stop ends a note that has none (the notes of many
    series, "Season: 24 rows, found in 3 of the 3 series read", are lines of the command
    line's output), or the notes shown together would run on into one another."""
    return note if note.endswith((".", ".)", "?", "!")) else f"{note}."


def note_lines(notes):
    """``notes`` on a fit of many series as lines of rich text (to join with "<br>"), each
    a sentence (:func:`full_stop`)."""
    return [html.escape(full_stop(note), quote=False) for note in notes]


def sentences(notes):
    """``notes`` of many series as one plain text of sentences (:func:`full_stop`)."""
    return " ".join(full_stop(note) for note in notes)


def series_x(data, i):
    """x values of series ``i`` of ``data``: seconds since 1970 when its times are dates,
    the times when they are numbers, else its row numbers; and whether they are dates."""
    rows = data.rows(i)
    if data.times is None:
        return np.arange(rows.stop - rows.start, dtype=float), False
    return time_positions(data.times.iloc[rows])


def _windows_line(counts, settings):
    """"Windows: training n, selection n, testing n (one forecast of its last N rows a
    series)." for the ``counts`` of a :class:`~app.pages.many_data_check.ManySummary`:
    the testing part is forecast once from each series' testing start, so its count is
    one a series where the other parts count their windows; "" without ``settings``."""
    if settings is None:
        return ""
    parts = [f"{part} {counts[part]:,}" for part in PARTS]
    if counts["testing"]:
        parts[-1] += (f" (one forecast of its last {counted(int(settings.test_last), 'row')}"
                      " a series)")
    return "Windows: " + ", ".join(parts) + "."


class SeriesView(QWidget):
    """A :class:`SeriesPicker` over the plot of the chosen series' first target, its rows
    coloured by part (:func:`part_bounds`). :meth:`show_series` gives it the series and
    the split; choosing another series redraws the plot."""

    def __init__(self):
        super().__init__()
        self.data = None
        self.split = (0, 1)             # (test_last, horizon)
        self.tails = None               # per series, the empty rows after its last value
        self.picker = SeriesPicker()
        self.picker.series_chosen.connect(self._plot)
        self.view = TimePlot("Chosen series", y_label="value", legend=True,
                             name="The chosen series by part")
        self.plot = self.view.plot
        # the title says "rows": the legend's names fit in one line above a small plot
        self.curves = {part: curve(self.plot, COLORS[part], name=part) for part in PARTS}
        self.view.follow(*self.curves.values())
        row = QHBoxLayout()
        row.addWidget(buddy_label("Se&ries:", self.picker))
        row.addWidget(self.picker, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

    def show_series(self, data, test_last, horizon, short=()):
        """Offer the series of ``data`` (a SeriesSet; None: none) in the picker and plot
        the chosen one with its last ``test_last`` rows as testing and the ``horizon``
        before them as selection; the series in ``short`` are named too short."""
        self.data, self.split = data, (int(test_last), int(horizon))
        self.tails = None if data is None else data.unknown_tails()
        if data is None:
            self.picker.set_series([])
            self._plot(None)
            return
        lengths = data.lengths
        varied = lengths.min() != lengths.max()
        short = set(short)
        notes = {name: ", ".join(([f"{length:,} rows"] if varied else [])
                                 + (["too short"] if name in short else []))
                 for name, length in zip(data.ids, lengths)}
        self.picker.set_series(list(data.ids), notes)

    def _plot(self, name):
        data = self.data
        index = data.ids.index(name) if data is not None and name in data.ids else None
        if index is None:
            for item in self.curves.values():
                item.setData([], [])
            self.plot.setTitle("", size="10pt")
            return
        x, dates = series_x(data, index)
        self.view.set_date_axis(dates)
        values = data.history(index)
        tail = int(self.tails[index]) if self.tails[index] < len(values) else 0
        bounds = part_bounds(len(values) - tail, *self.split)
        for part, (first, stop) in bounds.items():
            self.curves[part].setSymbol("o" if stop - first <= MARKED_ROWS else None)
            stop = min(stop + 1, len(values)) if part != "testing" else stop
            self.curves[part].setData(x[first:stop], values[first:stop], connect="finite")
        self.plot.setLabel("left", data.target_names[0])
        self.plot.setTitle(f"{data.target_names[0]} of series {name}: {len(values):,} rows",
                           size="10pt")
        self.plot.setLabel("bottom", "date" if dates else (data.time_column or "row"))


class ManySeriesPanel(QWidget):
    """The series at a glance (:attr:`overview`), the notes on the settings, and the button
    that sets the suggested ones again (``suggest_requested``)."""

    suggest_requested = Signal()

    def __init__(self):
        super().__init__()
        self.overview = SeriesOverview()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)     # note_lines: one note too
        self.suggest = QPushButton("&Use suggested settings")
        self.suggest.setToolTip("Set the season, the steps ahead, the testing rows and the "
                                "lookback to those suggested for these series: the season "
                                "of the calendar (or the one most series show), one season "
                                "ahead, tested on as many rows, and a lookback of up to a "
                                "week of seasons that leaves the median series windows to "
                                "train on.")
        self.suggest.clicked.connect(self.suggest_requested)
        # the notes take the column's whole width and scroll when the window is too low
        notes = QScrollArea()
        notes.setWidget(self.notes)
        notes.setWidgetResizable(True)
        notes.setFrameShape(QFrame.Shape.NoFrame)
        notes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.suggest)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overview, 3)
        layout.addWidget(notes, 2)
        layout.addLayout(row)

    def show_summary(self, summary, notes):
        """Show a :class:`~app.pages.many_data_check.ManySummary` (None: the series could
        not be read) and the ``notes`` (sentences) beside the check's own."""
        if summary is None:
            self.overview.clear()
            self.notes.setText(sentences(notes))
            return
        needed = None if summary.needed is None else \
            summary.needed + int(summary.settings.test_last)
        self.overview.show_lengths(summary.data.lengths, needed)
        counts = summary.counts
        windows = _windows_line(counts, summary.settings)
        # the check's own notes first: they say what the settings leave out
        said = list(dict.fromkeys(list(summary.notes) + list(notes)))
        self.notes.setText("<br>".join([windows] + note_lines(said)))
