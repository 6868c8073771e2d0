"""The date axis of the plots over time. Its labels never collide: a finer label (a day, an
hour) beside a coarser one (a month, a day) is left out, its tick and grid line kept. And
every label can be read alone: the first one, and each one where the year (the month, the
day) changes, says the year (and month, day) it lies in, "Feb 1978 Mar Apr ... Dec 1979"
rather than month names of no year, "29 Feb 2016 Mar 05 10" for days, "05 Jan 2015 06:00"
for hours. Times are read as given (UTC), never moved to the computer's time zone."""

import os
from datetime import datetime, timezone

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402

LABEL_GAP = 6           # pixels kept free between two labels, and at the axis's ends

# a tick format of pyqtgraph's zoom levels: the unit its labels name, and the coarser units
# a label needs to be read alone, finest first
UNITS = {"%Y": ("year", ()), "%b": ("month", ("year",)), "%d": ("day", ("month", "year")),
         "%a %d": ("day", ("month", "year")), "%H:%M": ("hour", ("day", "month", "year")),
         "%H:%M:%S": ("hour", ("day", "month", "year"))}


def _date(value):
    return datetime.fromtimestamp(value, timezone.utc)


def _overlap(one, other):
    return one[0] < other[1] and other[0] < one[1]


def dated_text(text, date, added):
    """``text``, the label of a tick at ``date``, with the coarser units ``added`` (e.g.
    ``("month", "year")``): "Feb" -> "Feb 1978", "05" -> "05 Jan 2015", "06:00" ->
    "05 Jan 2015 06:00"."""
    if not added:
        return text
    year = f" {date.year}" if "year" in added else ""
    if "day" in added:
        return f"{date:%d %b}{year} {text}"
    if "month" in added:
        return f"{text} {date:%b}{year}"
    return f"{text}{year}"


class DateAxis(pg.DateAxisItem):
    """A date axis whose finer labels (days, hours) leave room for the coarser ones (months,
    days): no "31" printed against the next "Jan". The finer ticks and their grid lines
    all stay, evenly spaced; only the crowded labels are left out (dropping those ticks
    left clusters of grid lines between the years). The first label, and each where a
    coarser unit changes, names the year (month, day) it lies in (:func:`dated_text`);
    a plain label in the way of such a label is left out."""

    def __init__(self, orientation="bottom", **kwargs):
        kwargs.setdefault("utcOffset", 0)
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self._crowded = set()           # tick values whose label is left out
        self._labels = {}               # tick value: its label, where it is not pyqtgraph's

    def tickValues(self, minVal, maxVal, size):
        levels = super().tickValues(minVal, maxVal, size)
        taken = np.array([])
        self._crowded = set()
        for _, values in levels:
            values = np.asarray(values, dtype=float)
            if taken.size and values.size:
                near = np.abs(values[:, None] - taken[None, :]).min(axis=1)
                self._crowded.update(values[near < self.minSpacing].tolist())
                values = values[near >= self.minSpacing]
            taken = np.concatenate([taken, values])
        self._labels = self._dated_labels(levels, minVal, maxVal, size)
        return levels

    def tickStrings(self, values, scale, spacing):
        texts = super().tickStrings(values, scale, spacing)
        return ["" if value in self._crowded else self._labels.get(value, text)
                for value, text in zip(values, texts)]

    def _dated_labels(self, levels, low, high, size):
        """``{tick value: label}`` of the ticks in view: pyqtgraph's label, the year (month,
        day) added where it is new (:func:`dated_text`), or "" for a plain label in the way
        of one that names its year. A label is dated only where that fits: inside the axis,
        clear of the labels dated before it and of the coarser labels beside it (a year's
        "1979" beside "Dec" says the year, and stays); else the next label says it."""
        if not (high > low and size > 0):
            return {}
        ticks = self._plain_labels(levels, low, high, size)
        labels, known, dated = {}, {}, {}
        for value, unit, context, text, _ in ticks:
            date = _date(value)
            now = {"year": date.year, "month": date.month, "day": date.day, "hour": date.hour}
            missing = [i for i, part in enumerate(context) if known.get(part) != now[part]]
            added = context[missing[0]:] if missing else ()
            wide = self._extent(value, low, size / (high - low), dated_text(text, date, added))
            if added and self._fits(wide, size) and not any(
                    _overlap(wide, other) for other in dated.values()) and not any(
                    t[1] in added and t[0] != value and _overlap(wide, t[4]) for t in ticks):
                dated[value] = wide
            else:
                added = ()              # no room for it: the next label says it
            labels[value] = dated_text(text, date, added)
            known.update({part: now[part] for part in (unit, *added)})
        for value, _, _, _, extent in ticks:
            if value not in dated and any(_overlap(extent, other) for other in dated.values()):
                labels[value] = ""
        return labels

    def _plain_labels(self, levels, low, high, size):
        """``[(value, unit, context, text, extent)]`` of the labelled ticks in view that
        fit inside the axis (pyqtgraph leaves out the others), in order along it: the
        unit the label names, the coarser units it needs (:data:`UNITS`), pyqtgraph's text
        and its (left, right) pixels."""
        formats = {spec.spacing: spec.format for spec in self.zoomLevel.tickSpecs}
        ticks = []
        for spacing, values in levels:
            form = formats.get(spacing)
            if form not in UNITS:
                continue
            unit, context = UNITS[form]
            for value in values:
                if not low <= value <= high or value in self._crowded:
                    continue
                text = _date(value).strftime(form)
                text = text.lstrip("0") if form == "%Y" else text
                extent = self._extent(value, low, size / (high - low), text)
                if self._fits(extent, size):
                    ticks.append((value, unit, context, text, extent))
        return sorted(ticks, key=lambda tick: tick[0])

    def _extent(self, value, low, pixels, text):
        """(left, right) pixels of ``text`` centred on the tick at ``value``, with the gap
        kept free beside it."""
        middle = (value - low) * pixels
        half = self.fontMetrics.boundingRect(text).width() / 2 + LABEL_GAP / 2
        return middle - half, middle + half

    @staticmethod
    def _fits(extent, size):
        return extent[0] >= -LABEL_GAP / 2 and extent[1] <= size + LABEL_GAP / 2
