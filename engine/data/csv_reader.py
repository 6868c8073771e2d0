"""Reading a CSV file into a pandas frame: delimiter, decimal mark, thousands separator,
header row, encoding and the date/time column are detected, and each can be overridden in
:class:`CsvOptions`.

Detection reads only the first :data:`SAMPLE_BYTES` of the file; the whole file is then
parsed once by pandas' C parser, so a file of a million rows loads in seconds.
"""

import codecs
import csv
import itertools
import os
import re
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd

from ..errors import EngineError

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
_NUMBER = re.compile(r"^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*$")
_COMMA_DECIMAL = re.compile(r"^\s*[-+]?\d*,\d+([eE][-+]?\d+)?\s*$")
_DOT_DECIMAL = re.compile(r"^\s*[-+]?\d*\.\d+([eE][-+]?\d+)?\s*$")
# Numbers written with thousands groups, by their decimal mark: 1.234.567,89 and 1,234,567.89
_GROUPED = {",": re.compile(r"^\s*[-+]?\d{1,3}(\.\d{3})+(,\d+)?\s*$"),
            ".": re.compile(r"^\s*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\s*$")}
_DIGITS_AND_MARKS = re.compile(r"^\s*[-+]?[\d.,' ]*\d[\d.,' ]*\s*$")


@dataclass(frozen=True)
class CsvOptions:
    """How to read a CSV file. ``None`` means "detect it from the file".

    delimiter : field separator, e.g. ``","``, ``";"``, ``"\\t"``
    decimal : decimal mark, ``"."`` or ``","``
    header : whether the first line holds the column names
    encoding : text encoding, e.g. ``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"``
    time_column : name of the date/time column; ``False`` for "no time column"
    thousands : the separator of thousands groups in numbers (``"1.234,5"``: ``"."``);
        ``""`` for none
    """

    delimiter: str | None = None
    decimal: str | None = None
    header: bool | None = None
    encoding: str | None = None
    time_column: str | bool | None = None
    thousands: str | None = None

    def to_dict(self):
        """A plain JSON-able dict (``None`` stays ``None``: still to be detected)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        """The options from :meth:`to_dict`'s dict (``None``: all detected), each checked."""
        known = {f.name for f in fields(cls)}
        if data is not None and not isinstance(data, dict):
            raise EngineError(f"The CSV options must be a JSON object with the keys "
                              f"{', '.join(sorted(known))}; got {data!r}.")
        unknown = set(data or {}) - known
        if unknown:
            raise EngineError(f"Unknown CSV option(s) {', '.join(sorted(unknown))}; the "
                              f"options are: {', '.join(sorted(known))}.")
        options = cls(**(data or {}))
        for name, allowed in _OPTION_CHECKS.items():
            value = getattr(options, name)
            if value is not None and not allowed[0](value):
                raise EngineError(f"The CSV option {name} is {value!r}; it must be "
                                  f"{allowed[1]}, or null to detect it.")
        return options


def _mark(value):
    """True for one character that is no letter or digit (a delimiter, a separator)."""
    return isinstance(value, str) and len(value) == 1 and not value.isalnum()


def _text_encoding(name):
    """True when ``name`` is a text encoding Python knows (not e.g. ``rot13``)."""
    try:
        return isinstance(name, str) and codecs.lookup(name)._is_text_encoding
    except LookupError:
        return False


# CsvOptions.from_dict's check of each option: (test of a value other than None, what is
# allowed)
_OPTION_CHECKS = {
    "delimiter": (lambda v: _mark(v) and v not in '\r\n"',
                  "one character, not a letter or digit, such as , ; | or a tab"),
    "decimal": (lambda v: v in (".", ","), '"." or ","'),
    "header": (lambda v: isinstance(v, bool), "true or false"),
    "encoding": (_text_encoding, 'the name of a text encoding such as "utf-8" or "cp1252"'),
    "time_column": (lambda v: v is False or (isinstance(v, str) and v != ""),
                    "a column's name, or false for none"),
    "thousands": (lambda v: v == "" or _mark(v),
                  'one character, not a letter or digit, such as . or , (or "" for none)'),
}


def _check_path(path):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise EngineError(f"The file {path!r} does not exist. Check the name and folder.")
    if os.path.isdir(path):
        raise EngineError(f"{path!r} is a folder, not a file. Choose a CSV file inside it.")
    if os.path.getsize(path) == 0:
        raise EngineError(f"The file {path!r} is empty. Choose a CSV file with a header "
                          "line and rows of values.")
    return path


def detect_encoding(raw):
    """Encoding of a byte sample: a byte-order mark decides; else UTF-8 if it decodes, else
    cp1252 (Windows' Western European encoding, which accepts almost any byte)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _looks_binary(raw, encoding):
    if encoding.startswith("utf-16"):
        return False
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return control > 0.05 * max(1, len(sample))


def _sample_lines(text, limit=200):
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]          # the sample may end in the middle of a line
    return lines[:limit]


def detect_delimiter(lines):
    """The candidate that splits every sample line into the same number (>1) of fields,
    preferring the most fields; ``","`` when none does (a one-column file)."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        agreement = counts.count(mode) / len(counts)
        if mode > 1 and agreement >= 0.9:
            score = (agreement, mode)
            if score > best_score:
                best, best_score = delimiter, score
    return best


def _other_mark(decimal):
    return "." if decimal == "," else ","


def _surely_grouped(field, decimal):
    """``field`` can only be a number with this decimal mark and thousands groups: it
    has both marks (``1.234,5``) or several groups (``1.234.567``)."""
    return bool(_GROUPED[decimal].match(field)) and (
        decimal in field or field.count(_other_mark(decimal)) > 1)


def detect_decimal(rows):
    """``","`` when fields look like ``3,14`` or ``1.234,5`` (and the delimiter is not a
    comma), else ``"."``."""
    fields = [field for row in rows for field in row]
    comma = sum(1 for f in fields if _COMMA_DECIMAL.match(f) or _surely_grouped(f, ","))
    dot = sum(1 for f in fields if _DOT_DECIMAL.match(f) or _surely_grouped(f, "."))
    return "," if comma > dot else "."


def number_pattern(decimal, thousands=""):
    """A regular expression for one number written with the ``decimal`` mark and, when
    given, ``thousands`` between groups of three digits (``-1.234.567,89``, ``12,5``)."""
    whole = r"\d+"
    if thousands:
        whole = rf"(\d{{1,3}}({re.escape(thousands)}\d{{3}})+|\d+)"
    mark = re.escape(decimal)
    return re.compile(rf"^\s*[-+]?({whole}({mark}\d*)?|{mark}\d+)([eE][-+]?\d+)?\s*$")


def detect_thousands(rows, decimal):
    """The other mark than ``decimal`` when a column's fields that hold it are all
    numbers with thousands groups (``1.234,5`` or ``1.234`` with a decimal comma,
    ``1,234.5`` or, when quoted or not split by the delimiter, ``1,234`` with a decimal
    point); else ``""``. Dates such as ``15.01.2020`` or decimal commas such as ``3,14``
    in a column keep that column from counting."""
    other = _other_mark(decimal)
    grouped = number_pattern(decimal, other)
    for column in itertools.zip_longest(*rows, fillvalue=""):
        marked = [f for f in column if other in f and _DIGITS_AND_MARKS.match(f)]
        if marked and all(grouped.match(f) for f in marked):
            return other
    return ""


def detect_header(rows, decimal, thousands=""):
    """A header is assumed unless the first line has as many numbers as the typical line
    below it (then the first line is data)."""
    if len(rows) < 2:
        return True
    number = number_pattern(decimal, thousands)
    first = sum(bool(number.match(f)) for f in rows[0])
    below = [sum(bool(number.match(f)) for f in row) for row in rows[1:]]
    typical = sorted(below)[len(below) // 2]
    return not (typical > 0 and first >= typical)


def detect_options(path, options=None):
    """Fill every ``None`` in ``options`` from the file's first bytes (the time column is
    left to :func:`read_csv`, which needs the parsed frame). Returns a new CsvOptions."""
    options = options or CsvOptions()
    path = _check_path(path)
    with open(path, "rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
    encoding = options.encoding or detect_encoding(raw)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise EngineError(f"Unknown text encoding {encoding!r}; try utf-8, utf-8-sig, "
                          "cp1252 or latin-1.") from None
    if _looks_binary(raw, encoding):
        raise EngineError(f"{os.path.basename(path)!r} is not a text file (it holds binary "
                          "data); choose a CSV file, e.g. one saved from a spreadsheet as "
                          "'CSV (comma delimited)'.")
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(raw, final=False)
    except UnicodeDecodeError as error:
        raise EngineError(f"The file cannot be read as {encoding} text ({error.reason} at "
                          f"byte {error.start}); choose another encoding, e.g. cp1252 or "
                          "latin-1.") from None
    lines = _sample_lines(text)
    if not lines:
        raise EngineError(f"The file {path!r} holds no lines of values. Choose a CSV file "
                          "with a header line and rows of values.")
    delimiter = options.delimiter or detect_delimiter(lines)
    rows = list(csv.reader(lines, delimiter=delimiter))
    decimal = options.decimal or (detect_decimal(rows) if delimiter != "," else ".")
    thousands = options.thousands
    if thousands is None:
        thousands = detect_thousands(rows, decimal)
    if len(thousands) > 1:
        raise EngineError(f"The thousands separator must be one character or none; got "
                          f"{thousands!r}.")
    if thousands and thousands == decimal:
        raise EngineError(f"The thousands separator {thousands!r} cannot also be the "
                          "decimal mark; choose another one, or none.")
    header = options.header if options.header is not None else detect_header(
        rows, decimal, thousands)
    return replace(options, encoding=encoding, delimiter=delimiter, decimal=decimal,
                   header=bool(header), thousands=thousands)


def read_csv(path, options=None):
    """Read ``path`` into a DataFrame; returns ``(frame, options)`` with every detected
    option filled in (including ``time_column``, ``False`` when none was found).

    Without a header line the columns are named ``column_1``, ``column_2``, ...
    The frame keeps the file's row order; its index is the 0-based data row number (the
    header line not counted). The time column, if any, is converted to datetimes unless
    it holds plain numbers (e.g. years), which stay numbers.
    """
    from .column_types import detect_time_column, parse_time

    options = detect_options(path, options)
    read_kwargs = dict(sep=options.delimiter, decimal=options.decimal,
                       encoding=options.encoding, header=0 if options.header else None,
                       skipinitialspace=True, engine="c", low_memory=False)
    if options.delimiter not in DELIMITERS and len(options.delimiter) != 1:
        read_kwargs["engine"] = "python"
        read_kwargs.pop("low_memory")
    try:
        frame = pd.read_csv(path, **read_kwargs)
    except pd.errors.EmptyDataError:
        raise EngineError(f"The file {path!r} holds no values. Choose a CSV file with a "
                          "header line and rows of values.") from None
    except pd.errors.ParserError as error:
        raise EngineError(f"The file does not look like a table: {error}. Check that every "
                          f"line has the same number of fields separated by "
                          f"{options.delimiter!r}, or choose another delimiter.") from None
    except UnicodeDecodeError as error:
        raise EngineError(f"The file cannot be read as {options.encoding} text "
                          f"({error.reason}); choose another encoding, e.g. cp1252 or "
                          "latin-1.") from None
    if options.thousands:
        _read_grouped_numbers(frame, options.decimal, options.thousands)
    if not options.header:
        frame.columns = [f"column_{k + 1}" for k in range(frame.shape[1])]
    frame.columns = [str(c).strip() for c in frame.columns]
    _check_table(frame, path)
    time_column = options.time_column
    if time_column is None:
        time_column = detect_time_column(frame) or False
    elif time_column is not False:
        require_columns(frame, [time_column], "time column")
    if time_column:
        frame[time_column] = parse_time(frame[time_column], time_column)
    return frame, replace(options, time_column=time_column)


def _read_grouped_numbers(frame, decimal, thousands):
    """In place: the text columns whose every value is a number with thousands groups
    (or a plain one) become numbers. Column by column, so that a date column such as
    15.01.2020 stays text for the time column's parser (pandas' own ``thousands`` option
    would take the points out of it)."""
    pattern = number_pattern(decimal, thousands)
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            continue
        values = column.dropna().astype(str)
        if values.empty or not values.str.match(pattern).all():
            continue
        text = values.str.strip().str.replace(thousands, "", regex=False)
        if decimal != ".":
            text = text.str.replace(decimal, ".", regex=False)
        numbers = pd.Series(np.nan, index=column.index)
        numbers[values.index] = pd.to_numeric(text, errors="coerce")
        frame[name] = numbers


def _check_table(frame, path):
    if frame.shape[0] == 0:
        raise EngineError(f"The file {os.path.basename(str(path))!r} has a header line but no "
                          "rows of values. Add data rows below the header.")
    duplicated = [c for c in frame.columns if list(frame.columns).count(c) > 1]
    if duplicated:
        raise EngineError(f"The column name {duplicated[0]!r} appears more than once; give "
                          "every column a different name in the header line.")
    if not any(_mostly_numbers(frame[c]) for c in frame.columns):
        from .column_types import detect_time_column
        if frame.shape[1] < 2 or detect_time_column(frame) is None:
            raise EngineError("The file does not look like a table of numbers: no column "
                              "holds numeric values. Check the delimiter and decimal mark, "
                              "or choose a CSV file with numeric columns.")


def _mostly_numbers(column):
    """At least one value, and 90% of the values present are numbers."""
    values = column.dropna()
    if values.empty:
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    return pd.to_numeric(values.iloc[:1000], errors="coerce").notna().mean() >= 0.9


def require_columns(frame, names, what="column"):
    """Raise an EngineError naming the columns of ``names`` that ``frame`` lacks."""
    missing = [n for n in names if n not in frame.columns]
    if missing:
        listed = ", ".join(repr(str(c)) for c in frame.columns[:30])
        raise EngineError(f"Unknown {what} {', '.join(repr(m) for m in missing)}; the file's "
                          f"columns are: {listed}. Check the spelling or the header row.")
