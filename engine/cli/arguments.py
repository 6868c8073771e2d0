"""Command-line values in plain words: the split shares, a row-or-date start, the units
per layer and how a CSV data file is written (one group of options for every command
that reads one), each parsed with an :class:`EngineError` that says what to type instead."""

import argparse

import numpy as np

from engine.errors import EngineError


def parse_split(text):
    """``"60,20,20"`` or ``"0.6,0.2,0.2"`` -> (0.6, 0.2, 0.2)."""
    try:
        parts = [float(p) for p in str(text).split(",")]
    except ValueError:
        raise EngineError(f"The split {text!r} is not three numbers; give training, "
                          "selection and testing shares such as 60,20,20.") from None
    if len(parts) != 3 or min(parts) < 0 or sum(parts) <= 0:
        raise EngineError(f"The split {text!r} must be three shares (training, selection, "
                          "testing) such as 60,20,20.")
    total = sum(parts)
    if abs(total - 1) > 1e-6 and abs(total - 100) > 1e-6:
        raise EngineError(f"The split {text!r} adds up to {total:g}; the three shares must "
                          "add up to 100 (or to 1).")
    return tuple(p / total for p in parts)


def parse_when(text):
    """A ``--test-from``/``--from`` value: a whole number stays a number (a row, or a year
    of the time column), ``row N`` is row N (as the data page writes it), anything else is
    text (a date)."""
    if isinstance(text, str) and text.strip().lstrip("-").isdigit():
        return int(text.strip())
    words = text.strip().lower() if isinstance(text, str) else ""
    if words.startswith("row") and words[3:].strip().isdigit():
        return {"row": int(words[3:])}
    return text


def last_rows(count, rows, file_rows=None, least=0, start_flag="--test-from"):
    """``--test-last count`` of one series, whose last known target is in row ``rows - 1``
    of a file of ``file_rows`` rows (default ``rows``: :func:`rows_to_last_target`), as the
    row it starts from, ``{"row": rows - count}`` (None for a count of 0); refused outside
    ``least`` to ``rows - 1``, naming ``start_flag``, the option that gives the start
    instead."""
    if not least <= count < rows:
        held = f"the file has {rows} rows" if file_rows in (None, rows) else \
            f"the file has {rows} rows up to its last known target, of {file_rows}"
        raise EngineError(f"--test-last must be between {least} and {rows - 1} ({held}); "
                          f"got {count}. Or give the first row with {start_flag} ROW|DATE.")
    return None if count == 0 else {"row": rows - count}


def rows_to_last_target(frame, targets):
    """``(rows, file rows)``: the rows of ``frame`` up to its last row with a known value of
    one of the columns ``targets``, and all its rows. ``--test-last N`` counts back from
    that row, as for many series: rows after it (future rows whose inputs are known) have
    nothing to test, and a testing part of them scored nothing without a word. All rows
    when a target is not a column (the fit names it)."""
    import pandas as pd

    if not targets or any(name not in frame.columns for name in targets):
        return len(frame), len(frame)
    values = frame[list(targets)].apply(pd.to_numeric, errors="coerce")
    known = np.flatnonzero(values.notna().any(axis=1).to_numpy())
    return (int(known[-1]) + 1 if known.size else len(frame)), len(frame)


def parse_hidden(text):
    """``"64,32"`` -> [64, 32], the units of each recurrent layer."""
    try:
        sizes = [int(part) for part in str(text).split(",")]
    except ValueError:
        raise EngineError(f"--hidden {text!r} is not a list of whole numbers; give units per "
                          "layer such as 32 or 64,32.") from None
    if not sizes or min(sizes) < 1:
        raise EngineError(f"--hidden {text!r}: every layer needs at least 1 unit.")
    return sizes


DEFAULT_LEVEL = 0.9
"""``forecast``'s intervals' level when ``--level`` is not given (it is None then, so that a
forecast without intervals can say that a level given names its columns only)."""
WINDOWS_WORDS = {"all": "all", "auto": "auto"}
"""The words of ``fit --windows-per-series`` and the setting each gives
(:attr:`~engine.many.global_model.GlobalSettings.windows_per_series`)."""
AVERAGE_WORDS = {"none": None, "auto": "auto"}
"""The words of ``fit --average-steps`` and the setting each gives
(:attr:`~engine.many.global_model.GlobalSettings.average_steps`; None: no average)."""


def parse_windows_per_series(text):
    """``--windows-per-series N|all|auto`` -> N (the latest N training windows of each
    series), ``"all"`` (every one) or ``"auto"`` (the window's choice decides)."""
    return _count_or_word(text, "--windows-per-series", WINDOWS_WORDS,
                          "N (the latest N training windows of each series), all (every "
                          "window) or auto (chosen with the window)")


def parse_average_steps(text):
    """``--average-steps N|none|auto`` -> N (each network's weights averaged over its
    latest N optimizer steps), None (no average) or ``"auto"`` (the window's choice
    decides)."""
    return _count_or_word(text, "--average-steps", AVERAGE_WORDS,
                          "N (the weights averaged over the latest N optimizer steps), none "
                          "(no average) or auto (chosen with the window)")


def _count_or_word(text, flag, words, choices):
    """``text`` as a whole number of at least 1, or the value of one of ``words`` (any
    case); an :class:`EngineError` naming ``flag`` and the ``choices`` otherwise."""
    word = str(text).strip().lower()
    if word in words:
        return words[word]
    try:
        number = int(word)
    except ValueError:
        raise EngineError(f"{flag} {text!r} is neither a number nor "
                          f"{' nor '.join(words)}; give {choices}.") from None
    if number < 1:
        raise EngineError(f"{flag} must be at least 1; got {number}. Give {choices}.")
    return number


CSV_WORDS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "bar": "|",
             "space": " ", "point": ".", "apostrophe": "'", "none": ""}
"""Words for the marks that are awkward to type in a shell, as the import dialog names
them (``--delimiter tab``, ``--thousands space``, ``--thousands none``)."""

_WHAT_TO_GIVE = {
    "delimiter": "give one character that is no letter, digit or quote, such as , ; | or "
                 "tab (the words comma, semicolon, bar, tab and space name them)",
    "decimal": "give . or , (point or comma), the decimal mark of 3.14 or 3,14",
    "thousands": "give one character that is no letter or digit, such as . , ' or space "
                 "(the mark in 1.234.567 or 1 234 567), or none",
    "encoding": "give the name of a text encoding, such as utf-8, utf-8-sig, cp1252, "
                "latin-1 or utf-16",
}


CSV_OPTIONS = (
    ("--delimiter", "CHAR", "the character between the values of a line: , ; | tab space or "
                            "another one"),
    ("--decimal", "MARK", "the decimal mark of numbers: . (3.14) or , (3,14)"),
    ("--thousands", "MARK", "the thousands separator, as in 1.234.567,89 or "
                            "1,234,567.89: . , ' space, or none"),
    ("--encoding", "NAME", "how the text is encoded: utf-8, utf-8-sig, cp1252, latin-1, "
                           "utf-16, ... (try cp1252 or latin-1 if letters look wrong)"))
"""The options of :func:`add_csv_options` that take a value: (flag, metavar, help)."""


def add_csv_options(parser):
    """Add the options that say how a CSV data file is written (the import dialog's
    delimiter, decimal mark, thousands separator, encoding and header line) to ``parser``,
    as one group; :func:`csv_format` reads them back."""
    group = parser.add_argument_group(
        "how the data file is written",
        "Detected from the file unless given. A model "
        "reads a file with the format it was trained with, a project with the options it "
        "was saved with; what is given here goes over both.")
    for flag, metavar, text in CSV_OPTIONS:
        group.add_argument(flag, metavar=metavar, help=text)
    group.add_argument("--header", action=argparse.BooleanOptionalAction, default=None,
                       help="whether the first line holds the column names; --no-header "
                            "when it already holds values (the columns are then named "
                            "column_1, column_2, ...)")


def csv_format(args):
    """``{option: value}`` of the CSV format options given on the command line (none:
    ``{}``, everything detected), each checked: an :class:`EngineError` says which value is
    wrong and what to give instead. The keys are those of
    :class:`~engine.data.csv_reader.CsvOptions`."""
    given = {}
    for name in ("delimiter", "decimal", "thousands", "encoding"):
        text = getattr(args, name, None)
        if text is not None:
            given[name] = _csv_value(name, text)
    if getattr(args, "header", None) is not None:
        given["header"] = bool(args.header)
    if given.get("thousands") and given.get("thousands") == given.get("decimal"):
        raise EngineError(f"--thousands {args.thousands} and --decimal {args.decimal} give "
                          f"the same mark {given['decimal']!r}: a number cannot group its "
                          "thousands with its decimal mark; give --thousands none or the "
                          "other mark.")
    return given


def _csv_value(name, text):
    """The value of ``--NAME TEXT`` (a word of :data:`CSV_WORDS` read as its mark), checked
    by the rule of :meth:`~engine.data.csv_reader.CsvOptions.from_dict`."""
    from engine.data.csv_reader import CsvOptions

    value = text if name == "encoding" else CSV_WORDS.get(text.lower(), text)
    if name == "delimiter" and value == "":
        problem = "is no character"
    elif name != "encoding" and len(value) > 1:
        problem = f"is {len(value)} characters"
    elif name == "encoding":
        problem = "is not a text encoding Python knows"
    else:
        problem = "cannot be used"
    try:
        CsvOptions.from_dict({name: value})
    except EngineError:
        raise EngineError(f"--{name} {text!r} {problem}; {_WHAT_TO_GIVE[name]}.") from None
    return value


def project_file(path, args):
    """The project in the file ``path`` (as the command line was given it) with the CSV
    format options of ``args`` over its own (:func:`csv_format`), its data file checked:
    a missing one is named with what to change in ``path``
    (:func:`~engine.project.document.missing_data_file_advice`), not with the pages'
    words."""
    import shlex

    from engine.project.document import load_project, missing_data_file_advice

    project = load_project(path)
    project.use_csv_format(csv_format(args))
    project.check_data_file(missing_data_file_advice(shlex.quote(str(path))))
    return project
