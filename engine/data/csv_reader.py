"""Reading a CSV file into a pandas frame: delimiter, decimal mark, thousands separator,
header row, encoding and the date/time column are detected, and each can be overridden in
:class:`CsvOptions`.

Detection reads only the first :data:`SAMPLE_BYTES` of the file; the whole file is then
read once by Python's csv module, which checks that every line has as many fields as the
first and that the file is within :data:`MAX_COLUMNS`, :data:`MAX_ROWS` and
:data:`MAX_VALUES`, and parsed once by pandas' C parser, so a file of a million rows loads
in a few seconds. A column that the first bytes leave as text but that holds numbers of the
other mark further down (a count passing 1,000, decimals that start late) has the file
parsed once more, with that mark.
"""

import codecs
import collections
import csv
import itertools
import os
import re
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd

from engine.data.number_text import (FRAME_MARKS, SPACES, comma_number, mostly_numbers,
                                      number_marks, number_pattern, numbers_as_written)
from engine.data.time_steps import (closer_rows_note, file_rows, no_time_words,
                                    skipped_hours_note, sort_by_time)
from engine.data.year_period import half_of_time, own_column_note, refuse_half_of_time
from engine.errors import EngineError
from engine.words import counted, verb

SAMPLE_BYTES = 64 * 1024
# What a file may hold; more is refused before the file is parsed (README, "Data files"). A
# million rows read in about a second, one epoch of training on them takes minutes; each
# column is an input of the network, and statistics and trial fits slow down with each.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_VALUES = 20_000_000          # rows times columns: 160 MB as 64-bit numbers
DELIMITERS = (",", ";", "\t", "|")
_NUMBER = re.compile(r"^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*$")
_COMMA_DECIMAL = re.compile(r"^\s*[-+]?\d*,\d+([eE][-+]?\d+)?\s*$")
_DOT_DECIMAL = re.compile(r"^\s*[-+]?\d*\.\d+([eE][-+]?\d+)?\s*$")
# Numbers written with thousands groups, by their decimal mark: 1.234.567,89 and 1,234,567.89,
# or 1 234 567,89 and 1 234 567.89 (groups of spaces, no-break ones included)
_GROUPED = {
    ",": re.compile(r"^\s*[-+]?\d{1,3}((\.\d{3})+(,\d+)?|([ \u00a0\u202f]\d{3})+,\d+)\s*$"),
    ".": re.compile(r"^\s*[-+]?\d{1,3}((,\d{3})+(\.\d+)?|([ \u00a0\u202f]\d{3})+\.\d+)\s*$")}
# One group of thousands and nothing else (1,234 or 1.234): either mark may be the decimal
_ONE_WAY_OR_THE_OTHER = {
    mark: re.compile(rf"^\s*[-+]?[1-9]\d{{0,2}}({re.escape(mark)}\d{{3}})+\s*$")
    for mark in ".,"}
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


def detect_decimal(rows, delimiter=";", usual=None):
    """``","`` when more fields can only be numbers of a decimal comma (``3,14``,
    ``0,107``, ``1.234,5``) than of a decimal point (``3.14``, ``1,234.5``), else ``"."``.
    A field that reads both ways (``1,234`` or ``8.655``: a group of thousands, or three
    decimals) counts for neither, unless no field tells: then the ``usual`` mark (that of
    the file a model was trained on, :func:`usual_marks`) when one is given and a field
    reads both ways, else each counts for the mark it holds. With a comma ``delimiter``
    (whose fields hold a comma only when quoted, as ``"1,234"``) only a field holding a
    comma counts for a decimal comma (``192.168.1.10`` is no number grouped by points),
    and without one the mark is ``"."``."""
    told = told_decimal(rows, delimiter)
    if told is not None:
        return told
    if delimiter == ",":
        return "."
    fields = [field for row in rows for field in row]
    if usual in (".", ",") and any(_ONE_WAY_OR_THE_OTHER[mark].match(f)
                                   for f in fields for mark in ".,"):
        return usual
    comma = sum(1 for f in fields if _COMMA_DECIMAL.match(f))
    dot = sum(1 for f in fields if _DOT_DECIMAL.match(f))
    return "," if comma > dot else "."


def told_decimal(rows, delimiter=";"):
    """The decimal mark that more fields of ``rows`` can only be numbers of
    (:func:`detect_decimal`); None when no field tells (whole numbers, or numbers that
    read both ways, ``1.101``)."""
    fields = [field for row in rows for field in row]
    comma = sum(1 for f in fields if _only_with(f, ",") and (delimiter != "," or "," in f))
    dot = sum(1 for f in fields if _only_with(f, "."))
    if comma == dot == 0:
        return None
    return "," if comma > dot else "."


def _only_with(field, decimal):
    """``field`` is a number with the ``decimal`` mark and not one with the other."""
    plain = _COMMA_DECIMAL if decimal == "," else _DOT_DECIMAL
    return bool((plain.match(field) and not _ONE_WAY_OR_THE_OTHER[decimal].match(field))
                or _surely_grouped(field, decimal))


def detect_thousands(rows, decimal):
    """The other mark than ``decimal`` when a column's fields that hold it are all
    numbers with thousands groups (``1.234,5`` or ``1.234`` with a decimal comma,
    ``1,234.5`` or, when quoted or not split by the delimiter, ``1,234`` with a decimal
    point); a space when a column's fields that hold a no-break space are all numbers
    grouped by spaces (``3\u00a0354,51``, as spreadsheets in French write them); else
    ``""``. Dates such as ``15.01.2020`` or decimal commas such as ``3,14`` in a column
    keep that column from counting."""
    other = _other_mark(decimal)
    grouped = number_pattern(decimal, other)
    spaced = number_pattern(decimal, " ")
    columns = list(itertools.zip_longest(*rows, fillvalue=""))
    for column in columns:
        marked = [f for f in column if other in f and _DIGITS_AND_MARKS.match(f)]
        if marked and all(grouped.match(f) for f in marked):
            return other
    for column in columns:             # no-break spaces are written only between groups
        marked = [f for f in column if any(s in f.strip() for s in SPACES[1:])]
        if marked and all(spaced.match(f) for f in marked):
            return " "
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


FORMAT_KEYS = ("delimiter", "decimal", "header", "encoding", "thousands")
"""The options that say how a file is written (the time column says how it is read)."""


def format_corrections(options, path):
    """``{key: value}`` of the :data:`FORMAT_KEYS` in which ``options`` (a
    :class:`CsvOptions`, as a file was read) differ from what :func:`detect_options` finds
    in the file at ``path``: the corrections made in the import dialog (e.g. a thousands
    separator), which a model keeps so that it reads its data file as its project did.
    ``{}`` without a path or when the file cannot be read."""
    if path is None:
        return {}
    try:
        detected = detect_options(path, CsvOptions())
    except (EngineError, OSError):
        return {}
    return {key: getattr(options, key) for key in FORMAT_KEYS
            if getattr(options, key) is not None
            and getattr(options, key) != getattr(detected, key)}


def usual_marks(options, path):
    """``{"decimal": mark}`` of the :class:`CsvOptions` a model's data file at ``path`` was
    read with, where the file's numbers tell the mark (:func:`told_decimal`; not of whole
    numbers, whose mark is no more than the default): what a model keeps so that a later
    file whose numbers read both ways (``1.101``: a thousands group, or three decimals) is
    read in the same convention (:func:`detect_options`' ``usual``; its thousands
    separator is then the other mark, :func:`detect_thousands`). ``{}`` otherwise (a
    table of no file, one that cannot be read again)."""
    if options is None or options.decimal is None or path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            raw = handle.read(SAMPLE_BYTES)
    except OSError:
        return {}
    text = codecs.getincrementaldecoder(options.encoding)(errors="replace").decode(raw)
    rows = list(csv.reader(_sample_lines(text), delimiter=options.delimiter))
    return {} if told_decimal(rows, options.delimiter) is None else {"decimal": options.decimal}


def with_corrections(stored, corrections):
    """The CSV options ``stored`` (a dict of :meth:`CsvOptions.to_dict`'s keys, some of
    them) with ``corrections`` (the same) over them: what a model or a project keeps, with
    what the command line gives. A delimiter or decimal mark corrected without a thousands
    separator lets the thousands separator be detected again, as the import dialog does
    (the one kept was found with the other marks)."""
    merged = {**(stored or {}), **(corrections or {})}
    if "thousands" not in (corrections or {}) and \
            {"delimiter", "decimal"} & set(corrections or {}):
        merged.pop("thousands", None)
    return merged


def detect_options(path, options=None, front="command_line", usual=None):
    """Fill every ``None`` in ``options`` from the file's first bytes (the time column is
    left to :func:`read_csv`, which needs the parsed frame). Returns a new CsvOptions.
    ``front``: whose words a refusal speaks (:data:`NO_THOUSANDS`). ``usual``: the marks
    of the file a model was trained on (:func:`usual_marks`), its decimal mark taken
    where no number of this file tells the mark (:func:`detect_decimal`: ``1.101`` is
    1101 in a file of a model trained on ``1.100,6``, not 1.101)."""
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
    except UnicodeError as error:       # UTF-16 without a byte-order mark: a plain one
        raise _encoding_error(encoding, error) from None
    lines = _sample_lines(text)
    if not lines:
        raise EngineError(f"The file {path!r} holds no lines of values. Choose a CSV file "
                          "with a header line and rows of values.")
    if re.fullmatch(r"\s*sep=.?\s*", lines[0], re.IGNORECASE):
        raise EngineError(f"The first line of {os.path.basename(path)!r}, {lines[0].strip()!r}, "
                          "is a note for Excel, not a header. Delete that line (or save the "
                          "file again as CSV without it) and load the file again.")
    delimiter = options.delimiter or detect_delimiter(lines)
    rows = list(csv.reader(lines, delimiter=delimiter))
    decimal = options.decimal or detect_decimal(rows, delimiter, (usual or {}).get("decimal"))
    thousands = options.thousands
    if thousands is None:
        thousands = detect_thousands(rows, decimal)
    if len(thousands) > 1:
        raise EngineError(f"The thousands separator must be one character or none; got "
                          f"{thousands!r}.")
    if thousands and thousands == decimal:
        raise _thousands_clash(thousands, options, front)
    header = options.header if options.header is not None else detect_header(
        rows, decimal, thousands)
    return replace(options, encoding=encoding, delimiter=delimiter, decimal=decimal,
                   header=bool(header), thousands=thousands)


NO_THOUSANDS = {"command_line": "choose another thousands separator, or none "
                                "(--thousands none)",
                "window": "choose another in the Thousands separator box, or None"}
"""How the message on a thousands separator that is also the decimal mark, both chosen,
says to choose otherwise, in the words of each front end that reads a file (``front``:
:data:`~engine.testing.verdict.COMMAND_LINE` or :data:`~engine.testing.verdict.WINDOW`)."""
DECIMAL_TOO = {"command_line": "give the decimal mark as well (--decimal {other}), or "
                               "another thousands separator, or none (--thousands none)",
               "window": "choose the decimal mark as well ({other!r} in the Decimal mark "
                         "box), or another in the Thousands separator box, or None"}
"""The same when the decimal mark was found in the file: ``{other}`` is the other mark."""


def _thousands_clash(mark, given, front="command_line"):
    """The EngineError for a thousands separator that is also the decimal mark, naming
    a decimal mark that was detected (``given``: the options as asked for, ``None``
    where detected; a detected thousands separator is never the decimal mark), with what
    to choose in the words of ``front``: :data:`DECIMAL_TOO` when the decimal mark was
    detected, :data:`NO_THOUSANDS` when both were chosen (the import dialog asks for
    both)."""
    if given.decimal is None:
        other = "," if mark == "." else "."
        found = (f"the decimal mark found in the file is {mark!r} too; "
                 + DECIMAL_TOO[front].format(other=other))
    else:
        found = NO_THOUSANDS[front]
    return EngineError(f"The thousands separator {mark!r} cannot also be the decimal mark "
                       f"(a number cannot group its thousands with its decimal mark): "
                       f"{found}.")


def read_csv(path, options=None, front="command_line", usual=None):
    """Read ``path`` into a DataFrame; returns ``(frame, options)`` with every detected
    option filled in (including ``time_column``, ``False`` when none was found).

    Every line must have as many fields as the header line (or the first line): the first
    that has not is named in an EngineError. Without a header line the columns are named
    ``column_1``, ``column_2``, ...; so is an empty name. A name that appears more than once
    is numbered in every place it appears (``sunactivity (1)``, ``sunactivity (2)``), so
    that no name means two columns.

    The frame's index is the 0-based data row number (the header line not counted). The
    time column, if any, is converted to datetimes unless it holds plain numbers (e.g.
    years), which stay numbers; a time that appears twice is refused, and rows out of time
    order are sorted by time (stable; rows without a time last; the index renumbered, and
    :func:`file_rows` gives each row's place in the file).

    Missing values: an empty cell, and in a column of numbers (or the time column) the texts
    pandas takes for one (``NA``, ``NaN``, ``null``, ``None``, ``N/A``, ``#N/A``, ...). In a
    column of labels those texts are labels as written (a country ``NA``, a category
    ``None``): only an empty cell is missing there.

    ``frame.attrs["notes"]`` lists, in plain sentences, what the reader did beyond reading
    (duplicate names numbered, rows sorted); ``frame.attrs["duplicate_names"]`` maps each
    name that appears more than once to the names its columns were given;
    ``frame.attrs["utc_times"]`` is True when the times carry a time zone (read in UTC);
    ``frame.attrs["time_zone"]`` is then the zone they were written in (where their offset
    changes, a zone of the zone database whose offsets they show, else the offset of the
    latest: :func:`~engine.data.time_zones.written_zone`), None otherwise.
    ``front``: whose words the notes and refusals that advise a choice speak, the command
    line's (``"command_line"``) or the pages' (``"window"``); ``usual``: :func:`detect_options`'.
    """
    given = options or CsvOptions()
    options = detect_options(path, given, front, usual)
    header_fields = check_field_counts(path, options)
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
        reason = " ".join(str(error).split())
        raise EngineError(f"The file does not look like a table: {reason}. Check that every "
                          f"line has the same number of fields separated by "
                          f"{options.delimiter!r}, or choose another delimiter.") from None
    except UnicodeError as error:
        raise _encoding_error(options.encoding, error) from None
    if options.thousands:
        _read_grouped_numbers(frame, options.decimal, options.thousands)
    marks = _marks_further_down(frame, given, options)
    if marks is not None:
        again, used = read_csv(path, replace(given, decimal=marks[0], thousands=marks[1]),
                               front)
        if _numbers_kept(frame, again):
            words = f"decimal mark {marks[0]!r}" + (
                f" and thousands separator {marks[1]!r}" if marks[1] else "")
            again.attrs["notes"] = [MARKS_FURTHER_DOWN.format(words)] + again.attrs["notes"]
            return again, used
    written = header_fields if options.header and header_fields is not None \
        else [str(c) for c in frame.columns]
    if len(written) != frame.shape[1] or not isinstance(frame.index, pd.RangeIndex):
        raise EngineError(f"The file's lines cannot be split into {len(written)} columns "
                          f"by {options.delimiter!r} in the same way every time; check the "
                          "quotes, or choose another delimiter.")
    names, duplicates = distinct_names(written if options.header else [""] * len(written))
    frame.columns = names
    notes = [duplicate_note(name, given) for name, given in duplicates.items()]
    _check_table(frame, path, options)
    frame, time_column, zone = _with_times(frame, options, duplicates, notes, front, path)
    frame = _labels_as_written(frame, path, options)
    frame.attrs["notes"] = notes
    frame.attrs["utc_times"] = zone is not None
    frame.attrs["time_zone"] = zone
    frame.attrs["duplicate_names"] = duplicates
    return frame, replace(options, time_column=time_column)


def _with_times(frame, options, duplicates, notes, front="command_line", path=None):
    """``(frame, time_column, zone)``: the time column of ``options`` (None: detected,
    numbers written with the file's marks being no dates, else a year and a quarter or
    month in two columns, :mod:`~engine.data.year_period`; False: none) parsed and the
    rows sorted by it, and the zone its times were written in when they carry one
    (:func:`~engine.data.time_zones.written_zone`; None when they carry none); adds
    to ``notes`` what was done, in the words of ``front`` (naming the file ``path``)."""
    from engine.data.column_types import parse_time, several_series_note, written_with_zone
    from engine.data.time_zones import zone_and_note

    frame, time_column, built = time_column_of(frame, options, duplicates)
    notes += [built] if built else []
    if options.time_column is None and not time_column:
        notes += [note for note in [several_series_note(frame, front, path)] if note]
    zone = None
    no_time, several = no_time_words(front, options.time_column is None)
    if time_column:
        texts = frame[time_column]
        frame[time_column] = parse_time(texts, time_column, no_time)
        if written_with_zone(texts.iloc[-20:]):
            zone, zone_note = zone_and_note(texts, frame[time_column])
            notes += [zone_note] if zone_note else []
    if options.time_column is not False:
        notes += [note for note in [own_column_note(frame, time_column)] if note]
    if time_column:
        frame, sorted_note = sort_by_time(frame, time_column, no_time, several, zone)
        skipped = skipped_hours_note(frame, time_column) if zone is None else None  # UTC
        closer = closer_rows_note(frame, time_column, zone)
        notes += [note for note in [sorted_note, skipped, closer] if note]
    return frame, time_column, zone


def time_column_of(frame, options, duplicates=None):
    """``(frame, time_column, note)``: the time column of the CSV ``options`` (None:
    detected, :func:`~engine.data.column_types.detect_time_column`, else a year and a
    quarter or month in two columns, :mod:`~engine.data.year_period`, also when the column
    detected is the month of such; False: none), False
    when there is none; ``frame`` with the time of two columns built when it is one, and
    the note that says so (else None). A time column that ``frame`` lacks is refused
    (:func:`require_columns`, with the file's ``duplicates``). Not parsed yet."""
    from engine.data.column_types import detect_time_column
    from engine.data.year_period import read_year_period

    time_column = options.time_column
    if time_column is None:
        time_column = detect_time_column(frame, options)
        time_column = None if half_of_time(frame, time_column) else time_column
    frame, time_column, note = read_year_period(frame, time_column)
    if time_column is None:
        return frame, False, None
    if time_column is not False:
        require_columns(frame, [time_column], "time column", duplicates)
        refuse_half_of_time(frame, time_column)
    return frame, time_column, note


MARKS_FURTHER_DOWN = ("The numbers were read with the {} that a column shows further down "
                      "the file (its first lines do not).")


def _marks_further_down(frame, given, options):
    """``(decimal, thousands)`` shown by a column that the file's first lines, which
    decided ``options`` (neither mark ``given``), left to be read as text: every value of
    it is a number with the file's decimal mark grouped in thousands by the other mark
    (``1.000`` further down a German file, ``"2,099"`` a US one: kept first, as the file's
    other columns were read with that decimal mark), or else a number written with the
    other decimal mark (``103,5`` further down whole numbers read with a point); None when
    no column is. IP addresses, versions and dates are no such numbers."""
    if given.decimal is not None or given.thousands is not None:
        return None
    decimal, other = options.decimal, _other_mark(options.decimal)
    grouped_by_other = number_pattern(decimal, other)        # 1.000 with a decimal comma
    other_decimal = number_pattern(other, decimal)            # 103,5 (or 1.234,5)
    for name in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[name]):
            continue
        values = frame[name].dropna().astype(str)
        if values.empty or not _DIGITS_AND_MARKS.match(values.iloc[0]):
            continue
        # the other mark must be there: as thousands (1,000) or as the decimal (103,5)
        if not values.str.contains(other, regex=False).any():
            continue
        if not options.thousands and values.str.fullmatch(grouped_by_other).all():
            return decimal, other
        if values.str.fullmatch(other_decimal).all():
            return other, decimal if values.str.contains(decimal, regex=False).any() else ""
    return None


def _numbers_kept(before, after):
    """Whether every column that ``before`` holds as numbers is numbers in ``after`` too
    (a file read again with other marks)."""
    return all(pd.api.types.is_numeric_dtype(after[name]) for name in before.columns
               if pd.api.types.is_numeric_dtype(before[name]) and name in after.columns)


def with_text_column(frame, path, options, name):
    """``frame`` (read by :func:`read_csv` from ``path`` with ``options``, all filled) with
    its column ``name`` as the text the file holds, where that column was read as numbers:
    an identifier such as ``001``, ``3.10`` or a code of 20 digits is then kept as written
    (``1``, ``3.1`` and a rounded float otherwise), the same in every file whatever the
    column's other values, and so is a label such as ``NA`` or ``None`` (only an empty cell
    is missing). ``frame`` itself when the column is text already or there is no file to
    read it from; else a shallow copy (the rows in ``frame``'s order, empty cells NaN; a
    missing column is left to the caller to name)."""
    # a column of codes beyond 64 bits is read as Python ints (an object column)
    if name not in frame.columns or path is None or \
            pd.api.types.infer_dtype(frame[name], skipna=True) in ("string", "empty"):
        return frame
    text = written_text(path, options, frame, [name])
    copy = frame.copy(deep=False)
    copy[name] = text[name].to_numpy()
    return copy


def written_text(path, options, frame, names):
    """The columns ``names`` of ``frame`` (read by :func:`read_csv` from ``path`` with
    ``options``, all filled) as the text the file writes in them, in ``frame``'s row order:
    a DataFrame of strings, NaN only where a cell is empty (``NA``, ``None``, ``null``, ...
    are kept as written). Raises an EngineError when the file no longer has ``frame``'s
    rows. A time column built from two (``attrs["built_time"]``,
    :mod:`~engine.data.year_period`) is not the file's."""
    written = [c for c in frame.columns if c != frame.attrs.get("built_time")]
    positions = [written.index(name) for name in names]
    python = options.delimiter not in DELIMITERS and len(options.delimiter) != 1
    text = pd.read_csv(path, sep=options.delimiter, encoding=options.encoding,
                       header=0 if options.header else None, skipinitialspace=True,
                       usecols=positions, dtype=str, keep_default_na=False, na_values=[""],
                       engine="python" if python else "c")
    if len(text) != len(frame):
        raise EngineError(f"The data file {os.path.basename(str(path))} changed since it was "
                          "loaded; load it again.")
    ordered = text.iloc[file_rows(frame)].reset_index(drop=True)
    ordered.columns = [names[positions.index(p)] for p in sorted(positions)]
    ordered.index = frame.index
    return ordered[list(names)]


def _labels_as_written(frame, path, options):
    """``frame`` with the cells of its columns of labels (text that is not numbers: a
    category, a series' name) that pandas reads as missing although the file writes a value
    there (``NA``, ``None``, ``null``, ``N/A``, ``NaN``, ...) given back as written: a
    country code ``NA`` or a category ``None`` is a label, and only an empty cell is
    missing. So is a column whose every written cell is such a text (a file of the one
    country ``NA``, a category of only ``None``), which pandas reads as numbers, all
    missing. Columns of numbers (and of numbers but for a few cells: mistakes), the parsed
    time column, a column of empty cells and every other cell are left as read."""
    names = [name for name in frame.columns if _holds_labels(frame[name], options)]
    if not names:
        return frame
    text = written_text(path, options, frame, names)
    copy = frame.copy(deep=False)
    for name in names:
        if text[name].notna().any():
            copy[name] = frame[name].where(frame[name].notna(), text[name])
    return copy


def _holds_labels(column, options):
    """Whether ``column`` (as read with ``options``) may hold labels read as missing: it is
    text, not numbers (as the file writes them) nor times, and has missing cells. A column
    missing in every cell is not: nothing tells labels ``NA`` from numbers not known yet (a
    target written ``NA`` in a file to predict); the series column is read as written
    anyway (:func:`with_text_column`). Nor is a column of TRUE and FALSE: ``NA`` there is a
    truth value not known (as R writes it)."""
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column) \
            or not column.isna().any():
        return False
    known = column.dropna()
    if known.map(lambda value: isinstance(value, (bool, np.bool_))).all():
        return False
    return not mostly_numbers(column, *number_marks(options))


TITLE_LINES = 5     # lines of a heading above the column names told apart from ragged lines


def check_field_counts(path, options):
    """Read the whole file once with Python's csv module (the same quoting rules as
    pandas) and raise an EngineError naming the first line whose number of fields differs
    from the first line's, or when the file holds more than :data:`MAX_COLUMNS` columns or
    more rows than :func:`row_limit` allows (found at the first line past the limit, before
    the whole file is read). Blank lines are skipped, as pandas does. Returns the first
    line's fields (the header's names, when the file has a header), or None for a delimiter
    the csv module cannot use (several characters), whose file pandas checks itself."""
    if len(options.delimiter) != 1:
        return None
    first, first_line, rows, limit = None, 0, 0, 0
    last, repeats = [""], []
    try:
        with open(path, encoding=options.encoding, newline="") as handle:
            reader = csv.reader(_remember_last(handle, last), delimiter=options.delimiter,
                                skipinitialspace=True)
            for row in reader:
                if not row or (row == [""] and not last[0].strip()):
                    continue
                rows += 1
                if first is None:
                    first, first_line = row, reader.line_num
                    limit = row_limit(len(row)) + bool(options.header)
                elif len(row) != len(first):
                    if rows <= TITLE_LINES + 1 and len(row) > len(first) and \
                            options.header and _title_above(first, row, options.delimiter):
                        raise EngineError(_title_message(first, first_line, reader.line_num,
                                                         len(row)))
                    header_next = rows == 2 and any(_NUMBER.match(f) for f in row)
                    raise EngineError(_ragged_message(reader.line_num, len(row), first_line,
                                                      len(first), options, header_next))
                elif rows > limit:
                    raise EngineError(_too_many_rows_message(len(first)))
                elif options.header and _same_fields(row, first):
                    repeats.append((reader.line_num, rows - 2))
    except UnicodeError as error:
        raise _encoding_error(options.encoding, error) from None
    except csv.Error as error:
        raise EngineError(f"Line {reader.line_num} of the file cannot be read: {error}. "
                          "Correct that line, or choose another delimiter.") from None
    if repeats:
        raise EngineError(_repeated_header_message(repeats, first, first_line, options))
    return [field.strip() for field in first] if first is not None else None


def _same_fields(row, first):
    """Whether the fields of ``row`` are those of ``first``, spaces around them, case and
    a byte-order mark before them aside (each file joined may begin with one, as the
    spreadsheets' "CSV UTF-8" files do)."""
    def bare(field):
        return field.strip().lstrip("\ufeff").strip().casefold()

    return bare(row[0]) == bare(first[0]) and \
        all(bare(a) == bare(b) for a, b in zip(row, first))


def _repeated_header_message(repeats, first, first_line, options):
    """The error for lines below the header line (``first``, line ``first_line``) that
    repeat it, as where CSV files were joined one after the other: ``repeats`` holds each
    one's ``(line, data row)``, the first named."""
    line, row = repeats[0]
    header = options.delimiter.join(field.strip() for field in first)
    shown = f"'{header[:60]}{'…' if len(header) > 60 else ''}'"
    others = len(repeats) - 1
    more = (f" ({counted(others, 'other line')} below {verb(others, 'does', 'do')} too)"
            if others else "")
    return (f"Line {line} (data row {row}) repeats the header line {shown} of line "
            f"{first_line}{more}: the file looks like several CSV files joined one after "
            f"the other. Delete every copy of the header below line {first_line} in a copy "
            "of the file and load that copy.")


def _remember_last(lines, last):
    """The lines, each kept in ``last[0]`` while it is read: the csv module reads a line of
    spaces and a line ``""`` alike, but pandas skips the first (blank) and reads the second
    as a row with one empty field."""
    for line in lines:
        last[0] = line
        yield line


def _encoding_error(encoding, error):
    """The EngineError of a file that ``encoding`` cannot decode (``error``: a
    UnicodeError, a UnicodeDecodeError with its byte)."""
    where = f" at byte {error.start}" if isinstance(error, UnicodeDecodeError) else ""
    reason = getattr(error, "reason", None) or str(error)
    return EngineError(f"The file cannot be read as {encoding} text ({reason}{where}); "
                       "choose another encoding, e.g. cp1252 or latin-1.")


def row_limit(n_columns):
    """The most rows of values a file of ``n_columns`` columns may hold:
    :data:`MAX_ROWS`, or fewer so that it holds at most :data:`MAX_VALUES` values. Raises
    an EngineError when ``n_columns`` exceeds :data:`MAX_COLUMNS`."""
    if n_columns > MAX_COLUMNS:
        raise EngineError(f"The file has {n_columns:,} columns; RNN Studio reads at most "
                          f"{MAX_COLUMNS:,}: each column is an input of the network, and "
                          "wider tables make every step slow. Keep the columns you need in a "
                          "copy of the file, or check the delimiter.")
    return min(MAX_ROWS, MAX_VALUES // max(n_columns, 1))


def _too_many_rows_message(n_columns):
    limit = row_limit(n_columns)
    why = "" if limit == MAX_ROWS else f" with {n_columns:,} columns ({MAX_VALUES:,} values)"
    return (f"The file has more than {limit:,} rows of values; RNN Studio reads at most "
            f"{limit:,}{why}: training on more takes many minutes for each pass over the "
            "data. Keep the most recent rows in a copy of the file, or aggregate them (e.g. "
            "hourly means of minute readings).")


def _ragged_message(line, count, first_line, first_count, options, header_next):
    """The one-line error for line ``line`` with ``count`` fields where the first line
    (``first_line``) has ``first_count``; ``header_next``: the line holds numbers and is
    the first below the header, so the header and the values disagree."""
    delimiter = "tab" if options.delimiter == "\t" else repr(options.delimiter)
    what, unit = ("the header line", "name") if options.header else ("the first line", "field")
    start = (f"Line {line} has {counted(count, 'field')} separated by {delimiter} but {what} "
             f"(line {first_line}) has {counted(first_count, unit)}")
    if options.header and header_next and count > first_count:
        advice = (f"the header lacks {counted(count - first_count, 'column name')}: add a "
                  "name for every column to the header line")
    elif options.header and header_next:
        advice = (f"the header has {counted(first_count - count, 'name')} more than the "
                  "lines of values: remove the extra names, or add the missing values")
    else:
        return (f"The file does not look like a table: {start[0].lower()}{start[1:]}; every "
                "line needs the same number of fields: correct that line (a missing or extra "
                "delimiter, or a value holding the delimiter that should be in quotes), or "
                "choose another delimiter.")
    return f"{start}; {advice}."


def _title_above(first, row, delimiter):
    """Whether ``first`` (a line's fields) reads as a title above the column names
    ``row``: one piece of text (one field that is not empty), above names that are none
    of them empty or a number, and neither line holds another of the :data:`DELIMITERS`
    (which would rather mean that the file's delimiter is another)."""
    others = [d for d in DELIMITERS if d != delimiter]
    return sum(bool(f.strip()) for f in first) == 1 and \
        all(f.strip() and not _NUMBER.match(f) for f in row) and \
        not any(d in f for d in others for f in [*first, *row])


def _title_message(first, first_line, line, count):
    """The error for a first line of fewer fields (``first``) than the line below it, which
    holds no number (line ``line``, ``count`` fields): most likely a title above the
    column names, as spreadsheets export a sheet with a heading."""
    title = " ".join(field.strip() for field in first if field.strip())
    shown = f" ('{title[:40]}{'…' if len(title) > 40 else ''}')" if title else ""
    return (f"Line {first_line}{shown} has {counted(len(first), 'field')} but line {line} "
            f"below it has {count:,}, none of them a number: line {first_line} looks like a "
            "title above the column names. Delete the lines above the column names (line "
            f"{line}) in a copy of the file and load that copy.")


def distinct_names(written):
    """``(names, duplicates)``: the column names as written, stripped, an empty one named
    ``column_K`` by its place (1-based); a name that appears more than once is numbered in
    every place, ``name (1)``, ``name (2)``, ... (skipping a number whose name is already
    taken). ``duplicates`` maps each such name to the names its columns were given."""
    stripped = [str(name).strip() or f"column_{k + 1}" for k, name in enumerate(written)]
    counts = collections.Counter(stripped)
    taken = set(stripped)
    duplicates = {}
    names = []
    for name in stripped:
        if counts[name] == 1:
            names.append(name)
            continue
        given = duplicates.setdefault(name, [])
        number = len(given) + 1
        while f"{name} ({number})" in taken:
            number += 1
        given.append(f"{name} ({number})")
        taken.add(given[-1])
        names.append(given[-1])
    return names, duplicates


def duplicate_note(name, given):
    """The note that the name ``name`` was written for several columns, read as ``given``."""
    return (f"The name {name!r} heads {len(given)} columns; they are read as "
            f"{', '.join(repr(g) for g in given)}.")


def _read_grouped_numbers(frame, decimal, thousands):
    """In place: the text columns whose every value is a number with thousands groups
    (or a plain one) become numbers. Column by column, so that a date column such as
    15.01.2020 stays text for the time column's parser (pandas' own ``thousands`` option
    would take the points out of it)."""
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            continue
        numbers, no_number = numbers_as_written(column, decimal, thousands)
        if column.notna().any() and not no_number.any():
            frame[name] = numbers


def _check_table(frame, path, options):
    """Raise an EngineError for a file without rows of values, or whose columns hold
    neither numbers (as written with the marks of ``options``) nor times."""
    if frame.shape[0] == 0:
        raise EngineError(f"The file {os.path.basename(str(path))!r} has a header line but no "
                          "rows of values. Add data rows below the header.")
    marks = number_marks(options)
    if not any(mostly_numbers(frame[c], *marks) for c in frame.columns):
        from engine.data.column_types import detect_time_column
        if frame.shape[1] < 2 or detect_time_column(frame, options) is None:
            raise EngineError("The file does not look like a table of numbers: no column "
                              "holds numeric values. Check the delimiter and decimal mark, "
                              "or choose a CSV file with numeric columns.")


def refuse_ambiguous(frame, names, what="column", duplicates=None):
    """Raise an EngineError when one of ``names`` heads several columns of the file
    (``duplicates``, by default the frame's ``attrs["duplicate_names"]``), listing the
    names those columns were given."""
    if duplicates is None:
        duplicates = frame.attrs.get("duplicate_names", {})
    for name in names:
        if name in duplicates and name not in frame.columns:
            given = duplicates[name]
            raise EngineError(f"The {what} {name!r} is ambiguous: {len(given)} columns of the "
                              f"file have that name. They are read as "
                              f"{', '.join(repr(g) for g in given)}; choose one of these.")


def require_columns(frame, names, what="column", duplicates=None):
    """Raise an EngineError naming the columns of ``names`` that ``frame`` lacks (see
    :func:`refuse_ambiguous` for a name that heads several columns)."""
    refuse_ambiguous(frame, names, what, duplicates)
    missing = [n for n in names if n not in frame.columns]
    if missing:
        listed = ", ".join(repr(str(c)) for c in frame.columns[:30])
        raise EngineError(f"Unknown {what} {', '.join(repr(m) for m in missing)}; the file's "
                          f"columns are: {listed}. Check the spelling or the header row.")


def require_numbers(frame, names, options=None,
                    remedy="correct it, or empty the cell to leave the value missing."):
    """Raise an EngineError naming the first cell of the columns ``names`` (those of them
    that ``frame`` has, as :func:`read_csv` read it with ``options``) that holds text that
    is no number (``abc``, ``n.a.``), by its data row in the file, and what to do
    (``remedy``): a model reads such a cell as a missing value, which a typo should not
    silently become. Numbers are read with the file's decimal mark and thousands separator
    (:func:`numbers_as_written`, :func:`number_marks`). Empty cells are missing values and
    pass. In a data frame of the caller's own (no ``options``, not read from a file), a
    number written with a comma is named as such, with what to do (:data:`COMMA_IN_FRAME`):
    ``pd.read_csv`` read it without the file's marks."""
    decimal, thousands = number_marks(options)
    for name in names:
        if name not in frame.columns:
            continue
        column = frame[name]
        wrong = np.flatnonzero(numbers_as_written(column, decimal, thousands)[1])
        if wrong.size:
            row = int(file_rows(frame)[wrong[0]])
            cell = column.iloc[wrong[0]]
            frame_comma = options is None and not read_from_file(frame) and comma_number(cell)
            raise EngineError(f"Column {name!r} holds {cell!r} in data row {row}, which is "
                              f"no number ({wrong.size} such "
                              f"{verb(wrong.size, 'cell', 'cells')}); "
                              f"{COMMA_IN_FRAME if frame_comma else remedy}")


def read_from_file(frame):
    """Whether :func:`read_csv` read ``frame`` (or it was made from one it read): its
    attributes say so; a data frame of the caller's own has none."""
    return "duplicate_names" in frame.attrs


COMMA_IN_FRAME = ("it is a number written with a comma, which a data frame must hold as a "
                  f"number: {FRAME_MARKS}.")
"""What :func:`require_numbers` says of a number written with a comma in a data frame given
instead of a CSV file."""
