"""Property-based tests of the CSV reader: generated files (delimiters, decimal marks,
quoting, headers or none, repeated names, empty cells, text, dates in several formats,
encodings, ragged lines, random bytes) either load with the columns and values that were
written, or raise the engine's own error; never another exception, never slowly."""

import csv
import datetime
import io
import os
import tempfile
import time

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import EngineError
from engine.data import CsvOptions, load_table

SETTINGS = settings(max_examples=60, deadline=3000, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
SECONDS = 3.0                       # the most one file may take to read or be refused

NAMES = ["alpha", "beta", "gamma", "speed", "load", "x", "y", "Größe"]
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d %H:%M"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
# Text that is neither a number, a date, nor one of pandas' words for missing or boolean
# values: it starts with "w" and holds delimiters and quotes, which the writer quotes.
TEXT = st.text(alphabet="wqxzé ,;|\"'", min_size=0, max_size=6).map(lambda s: f"w{s}w")


@st.composite
def tables(draw):
    """``(columns, options, date_format, quote_all)``: columns is a list of ``(name, kind,
    values)`` with kind "number", "integer", "text" or "date"; values hold None for empty
    cells. At least one column of numbers; at most one of dates (different days, in any
    order, written in ``date_format``); ``quote_all``: every field in quotes."""
    n_rows = draw(st.integers(2, 25))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    decimal = draw(st.sampled_from([".", ","])) if delimiter != "," else "."
    kinds = ["number"] + draw(st.lists(st.sampled_from(["number", "integer", "text", "date"]),
                                       max_size=4))
    if kinds.count("date") > 1:
        kinds = [k for k in kinds if k != "date"] + ["date"]
    kinds = draw(st.permutations(kinds))
    columns = []
    for kind in kinds:
        empty = st.none() if kind in ("number", "integer") else st.nothing()
        if kind == "number":
            value = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 4))
        elif kind == "integer":
            value = st.integers(-10**6, 10**6)
        elif kind == "text":
            value = TEXT
        else:
            days = draw(st.lists(st.integers(0, 20000), min_size=n_rows, max_size=n_rows,
                                 unique=True))
            start = datetime.datetime(1970, 1, 1)
            values = [start + datetime.timedelta(days=d) for d in days]
            columns.append(("date", kind, values))
            continue
        values = draw(st.lists(st.one_of(value, empty), min_size=n_rows, max_size=n_rows))
        name = draw(st.sampled_from(NAMES))
        columns.append((name, kind, values))
    options = CsvOptions(delimiter=delimiter, decimal=decimal,
                         header=draw(st.booleans()),
                         encoding=draw(st.sampled_from(ENCODINGS)), thousands="")
    if not any(v is not None for _, kind, values in columns if kind == "number"
               for v in values):
        columns[[k for _, k, _ in columns].index("number")][2][0] = 1.5
    return columns, options, draw(st.sampled_from(DATE_FORMATS)), draw(st.booleans())


def cell(value, kind, decimal, date_format):
    if value is None:
        return ""
    if kind == "number":
        return repr(float(value)).replace(".", decimal)
    if kind == "date":
        return value.strftime(date_format)
    return str(value)


def csv_rows(columns, options, date_format):
    """The file's lines as lists of fields, the header's first when there is one."""
    rows = [[name for name, _, _ in columns]] if options.header else []
    for r in range(len(columns[0][2])):
        rows.append([cell(values[r], kind, options.decimal, date_format)
                     for _, kind, values in columns])
    return rows


def csv_text(rows, options, quote_all):
    """The file's text, written by Python's csv writer (it quotes what needs quotes)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=options.delimiter, lineterminator="\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


def file_bytes(table):
    columns, options, date_format, quote_all = table
    return csv_text(csv_rows(columns, options, date_format), options,
                    quote_all).encode(options.encoding)


def expected_names(columns, header):
    """The rule of the reader, written out again: names as written, a repeated one
    numbered in every place; without a header column_1, column_2, ..."""
    if not header:
        return [f"column_{k + 1}" for k in range(len(columns))]
    names = [name for name, _, _ in columns]
    seen = {}
    result = []
    for name in names:
        if names.count(name) == 1:
            result.append(name)
        else:
            seen[name] = seen.get(name, 0) + 1
            result.append(f"{name} ({seen[name]})")
    return result


def read_file(data, name="data.csv", options=None):
    """``load_table`` of the bytes ``data`` in a temporary folder, timed: ``(result or
    the EngineError, seconds)``; any other exception propagates."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "wb") as handle:
            handle.write(data)
        start = time.perf_counter()
        try:
            result = load_table(path, options)
        except EngineError as error:
            result = error
        return result, time.perf_counter() - start


def check_column(read, kind, values):
    if kind == "date":
        assert (read.reset_index(drop=True) == pd.Series(values)).all()
    elif kind == "text":
        assert read.tolist() == values
    else:
        written = np.array([np.nan if v is None else float(v) for v in values])
        np.testing.assert_array_equal(read.to_numpy(dtype=float), written)


@SETTINGS
@given(tables())
def test_a_well_formed_file_loads_with_the_columns_and_values_written(table):
    columns, options, _, _ = table
    result, seconds = read_file(file_bytes(table), options=options)
    assert seconds < SECONDS
    assert not isinstance(result, EngineError), str(result)
    frame = result.frame
    assert list(frame.columns) == expected_names(columns, options.header)
    time_column = result.options.time_column
    kinds = [kind for _, kind, _ in columns]
    if "date" in kinds:
        assert time_column == frame.columns[kinds.index("date")]
        order = np.argsort(columns[kinds.index("date")][2], kind="stable")
    else:
        order = np.arange(len(frame))
    for name, (_, kind, values) in zip(frame.columns, columns):
        check_column(frame[name], kind, [values[k] for k in order])


@SETTINGS
@given(tables(), st.data())
def test_a_ragged_line_is_refused_by_its_number(table, data):
    """One line below the first gets a field more or one fewer (never so few that it
    reads as a blank line, which is skipped)."""
    columns, options, date_format, quote_all = table
    rows = csv_rows(columns, options, date_format)
    k = data.draw(st.integers(1, len(rows) - 1))
    if len(rows[k]) > 2 and data.draw(st.booleans()):
        rows[k] = rows[k][:-1]
    else:
        rows[k] = rows[k] + ["7"]
    result, seconds = read_file(csv_text(rows, options, quote_all).encode(options.encoding),
                                options=options)
    assert seconds < SECONDS
    assert isinstance(result, EngineError)
    assert f"ine {k + 1} has {len(rows[k])} field" in str(result)


@SETTINGS
@given(tables())
def test_detected_options_load_or_refuse_in_one_line(table):
    result, seconds = read_file(file_bytes(table))
    assert seconds < SECONDS
    if isinstance(result, EngineError):
        assert "\n" not in str(result)


@SETTINGS
@given(st.binary(min_size=1, max_size=3000), st.sampled_from(["data.csv", "data.txt"]))
def test_random_bytes_load_or_refuse_in_one_line(data, name):
    result, seconds = read_file(data, name)
    assert seconds < SECONDS
    if isinstance(result, EngineError):
        assert "\n" not in str(result) and str(result)


@SETTINGS
@given(st.lists(st.text(alphabet="0123456789.,;\t|\"' -ea\n\r", max_size=30), min_size=1,
                max_size=30),
       st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_text_of_numbers_and_marks_loads_or_refuses_in_one_line(lines, encoding):
    data = "\n".join(lines).encode(encoding)
    result, seconds = read_file(data)
    assert seconds < SECONDS
    if isinstance(result, EngineError):
        assert "\n" not in str(result)
    else:
        assert result.frame.shape[0] >= 1
