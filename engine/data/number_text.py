"""Numbers as a CSV file writes them: with its decimal mark (``1,5`` in a file of decimal
commas) and its thousands separator (``1.234,5``), which the column types and the reader
both read by."""

import re

import numpy as np
import pandas as pd

SPACES = " \u00a0\u202f"
"""What a thousands separator of a space may be written as: a space, or the no-break spaces
that spreadsheets in French and other languages write (``3\u00a0354,51``)."""

MOSTLY_NUMBERS = 0.9
"""The share of the cells of a column that hold numbers from which its other cells are
taken for mistakes (typos), named as such (:func:`mostly_numbers`)."""


def _separator(thousands):
    return f"[{SPACES}]" if thousands == " " else re.escape(thousands)


def number_pattern(decimal, thousands=""):
    """A regular expression for one number written with the ``decimal`` mark and, when
    given, ``thousands`` between groups of three digits (``-1.234.567,89``, ``12,5``; a
    space as thousands separator is any of :data:`SPACES`)."""
    whole = r"\d+"
    if thousands:
        whole = rf"(\d{{1,3}}({_separator(thousands)}\d{{3}})+|\d+)"
    mark = re.escape(decimal)
    return re.compile(rf"^\s*[-+]?({whole}({mark}\d*)?|{mark}\d+)([eE][-+]?\d+)?\s*$")


def number_marks(options=None):
    """``(decimal, thousands)`` of the CSV ``options`` (a
    :class:`~engine.data.csv_reader.CsvOptions` as the reader filled it, or None: a point
    and none), for :func:`numbers_as_written`."""
    return (getattr(options, "decimal", None) or ".",
            getattr(options, "thousands", None) or "")


def numbers_as_written(column, decimal=".", thousands=""):
    """``(numbers, no_number)``: the cells of ``column`` as numbers (a float Series, NaN
    for an empty cell) read with the file's ``decimal`` mark and ``thousands`` separator
    (:func:`number_pattern`: ``1,5`` in a file of decimal commas), and a bool array of the
    cells that hold text which is no number so written (``abc``, ``n.a.``). A column of
    numbers is returned as it is, with no such cell."""
    if pd.api.types.is_numeric_dtype(column):
        return pd.to_numeric(column).astype(float), np.zeros(len(column), dtype=bool)
    text = column.astype(str).str.strip().where(column.notna(), "")
    number = text.str.match(number_pattern(decimal, thousands)).to_numpy(dtype=bool)
    plain = text.str.replace(_separator(thousands), "", regex=True) if thousands else text
    if decimal != ".":
        plain = plain.str.replace(decimal, ".", regex=False)
    numbers = pd.to_numeric(plain.where(number), errors="coerce").astype(float)
    return numbers, (text != "").to_numpy(dtype=bool) & ~number


def mostly_numbers(column, decimal=".", thousands="", limit=1000):
    """Whether ``column`` holds at least one value and a share of at least :data:`MOSTLY_NUMBERS`
    of its first ``limit`` values present (None: all) are numbers as the file writes them
    (:func:`numbers_as_written`): a column of numbers but for a few typos."""
    values = column.dropna()
    if values.empty:
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    values = values if limit is None else values.iloc[:limit]
    counts = values.astype(str).value_counts(sort=False)     # each text read once
    wrong = numbers_as_written(pd.Series(counts.index, dtype=object), decimal, thousands)[1]
    return 1 - counts.to_numpy()[wrong].sum() / len(values) >= MOSTLY_NUMBERS


def comma_number(text):
    """Whether ``text`` is a number written with a comma, as a decimal mark (``1,5``,
    ``1.234,5``) or between thousands (``1,234.5``): text where numbers are read with a
    decimal point and no thousands separator (a data frame read by ``pd.read_csv`` without
    the file's marks)."""
    text = str(text)
    return "," in text and any(number_pattern(*marks).match(text)
                               for marks in ((",", "."), (".", ",")))


FRAME_MARKS = ("give the CSV file's path instead (its decimal mark and thousands separator "
               "are detected), or read it with them, e.g. pd.read_csv(path, decimal=',', "
               "thousands='.') for 1.234,5 or pd.read_csv(path, thousands=',') for 1,234.5")
"""What to do about numbers written with a comma in a data frame given instead of a CSV
file (read by ``pd.read_csv`` without the file's marks, they are text)."""
