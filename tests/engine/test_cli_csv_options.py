"""How a CSV file is written, on the command line: ``--delimiter``, ``--decimal``,
``--thousands``, ``--encoding`` and ``--[no-]header`` (the import dialog's choices) read a
file that detection gets wrong, reach every command that reads a data file, go over what a
model or a project keeps, and a wrong value is refused with what to give instead."""

import json

import numpy as np
import pandas as pd
import pytest

from engine.cli.arguments import csv_format
from engine.data.csv_reader import CsvOptions, read_csv, with_corrections
from engine.model.model_file import load_model
from engine.project.document import load_project
from helpers.command_line import run

FAST = ["--epochs", "2", "--hidden", "4", "--lookback", "4"]
GIVEN = ["--delimiter", ";", "--decimal", ",", "--no-header", "--encoding", "latin-1"]
ROWS = 120


def weather():
    """Monthly readings of two stations, one after the other: (station, temperature,
    rain), the temperature with one decimal and the rain with two."""
    months = np.arange(ROWS)
    temperature = np.round(10 + 8 * np.sin(2 * np.pi * months / 12) + 0.5 * np.cos(months), 1)
    rain = np.round(50 + 20 * np.cos(2 * np.pi * months / 12), 2)
    stations = ["Zürich" if k % 2 == 0 else "Genève" for k in months]
    return stations, temperature, rain


def european_csv(path):
    """The readings as a spreadsheet in Swiss French or German writes them: semicolons,
    decimal commas, Latin-1, no header line (``Zürich;10,5;70,00``). Every line holds as
    many commas as semicolons, so detection splits it at the commas."""
    lines = [f"{s};{t:.1f};{r:.2f}".replace(".", ",") for s, t, r in zip(*weather())]
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    return path


def plain_csv(path):
    """The same readings with decimal points, in UTF-8, semicolons and no header: another
    file for a model trained on :func:`european_csv`'s."""
    lines = [f"{s};{t:.1f};{r:.2f}" for s, t, r in zip(*weather())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A model fitted on :func:`european_csv` with the options: (folder, data, model,
    project)."""
    folder = tmp_path_factory.mktemp("csv_options")
    data = european_csv(folder / "weather.csv")
    model = folder / "weather.npz"
    status, _, err = run("fit", data, "--target", "column_2", *GIVEN, *FAST, "--out", model)
    assert status == 0, err
    return folder, data, model, folder / "weather.json"


def test_detection_alone_reads_other_numbers_and_the_options_read_the_file(tmp_path):
    path = european_csv(tmp_path / "weather.csv")
    stations, temperature, rain = weather()
    detected, options = read_csv(path)
    assert options.delimiter == ","             # "Zürich;10,5;70,00" split at the commas
    assert not any(np.allclose(pd.to_numeric(detected[c], errors="coerce"), temperature)
                   for c in detected.columns)
    frame, options = read_csv(path, CsvOptions.from_dict(csv_format(_args(*GIVEN))))
    assert list(frame.columns) == ["column_1", "column_2", "column_3"]
    assert list(frame["column_1"]) == stations                     # Latin-1 letters
    np.testing.assert_array_equal(frame["column_2"], temperature)
    np.testing.assert_array_equal(frame["column_3"], rain)
    # --header: the first line read as the names, its readings lost
    header, _ = read_csv(path, CsvOptions.from_dict(csv_format(
        _args(*GIVEN[:-3], "--header", *GIVEN[-2:]))))
    assert len(header) == ROWS - 1 and list(header.columns)[0] == "Zürich"


def test_fit_without_the_options_fails_and_with_them_keeps_them(fitted, tmp_path):
    folder, data, model, project = fitted
    status, _, err = run("fit", data, "--target", "column_2", *FAST,
                         "--out", tmp_path / "m.npz")
    assert status == 1 and "column_2" in err and "text" in err
    saved = load_project(project).data.config.csv
    assert (saved.delimiter, saved.decimal, saved.header, saved.encoding) == \
        (";", ",", False, "latin-1")
    # the model keeps what detection gets wrong in the file (the header it gets right)
    loaded = load_model(model)
    assert loaded.metadata["csv"] == {"delimiter": ";", "decimal": ",", "encoding": "latin-1"}
    np.testing.assert_array_equal(loaded.read_csv(data)["column_2"], weather()[1])


def test_a_model_reads_a_file_written_otherwise_with_the_options(fitted, tmp_path):
    folder, data, model, _ = fitted
    other = plain_csv(tmp_path / "plain.csv")
    status, _, err = run("evaluate", model, other, "--json")      # read with its decimal comma
    assert status == 1
    given = ["--decimal", "point", "--encoding", "utf-8"]
    status, out, err = run("evaluate", model, other, "--json", *given)
    assert status == 0, err
    status, expected, err = run("evaluate", model, data, "--json")
    assert json.loads(out)["targets"] == json.loads(expected)["targets"]
    # predict writes the file's rows as the file writes them, forecast its own rows in the
    # file's delimiter and decimal mark
    for command, extra, marks in (("predict", [], [(";", ","), (";", ".")]),
                                  ("forecast", ["--steps", "1"], [(";", ","), (";", ".")])):
        written = []
        for (source, flags), (sep, decimal) in zip(((data, []), (other, given)), marks):
            out_path = tmp_path / f"{command}{len(written)}.csv"
            status, _, err = run(command, model, source, *flags, *extra, "--out", out_path)
            assert status == 0, err
            written.append(pd.read_csv(out_path, sep=sep, decimal=decimal))
        predicted = [c for c in written[0].columns if "column_2" in c and c != "column_2"]
        assert predicted
        np.testing.assert_allclose(written[0][predicted].astype(float),
                                   written[1][predicted].astype(float))


@pytest.mark.parametrize("command", ["evaluate", "predict", "forecast", "backtest",
                                     "backtest-project", "report", "select", "fit-project",
                                     "fit"])
def test_every_command_that_reads_a_file_reads_it_with_the_options(fitted, tmp_path,
                                                                   command):
    """--encoding utf-8 goes over what the model or project keeps (latin-1): the Latin-1
    file cannot be read then, whatever the command."""
    folder, data, model, project = fitted
    out = tmp_path / "out.csv"
    argv = {"evaluate": ["evaluate", model, data],
            "predict": ["predict", model, data, "--out", out],
            "forecast": ["forecast", model, data, "--steps", "2", "--out", out],
            "backtest": ["backtest", model, data, "--origins", "1"],
            "backtest-project": ["backtest", project, data, "--origins", "1"],
            "report": ["report", project, "--out", tmp_path / "r.html"],
            "select": ["select", project, "--method", "neurons", "--max-trials", "1",
                       "--workers", "0"],
            "fit-project": ["fit", "--project", project, "--out", tmp_path / "m.npz"],
            "fit": ["fit", data, "--target", "column_2", *GIVEN[:-2], "--out",
                    tmp_path / "m.npz"]}[command]
    status, _, err = run(*argv, "--encoding", "utf-8")
    assert status == 1 and err.count("\n") == 1
    assert "cannot be read as utf-8 text" in err, err


def test_a_project_reads_its_file_with_the_options_given_over_its_own(fitted, tmp_path):
    folder, data, model, project = fitted
    document = json.loads(project.read_text(encoding="utf-8"))
    document["data"]["config"]["csv"]["delimiter"] = ","       # saved as detection read it
    wrong = folder / "wrong.json"
    wrong.write_text(json.dumps(document), encoding="utf-8")
    status, _, err = run("report", wrong, "--out", tmp_path / "r.html")
    assert status == 1 and "holds '5;70' in data row 0, which is no number" in err, err
    assert "comma" not in err                                       # the values misread
    status, _, err = run("report", wrong, "--out", tmp_path / "r.html", "--delimiter", ";")
    assert status == 0, err
    assert load_project(wrong).data.config.csv.delimiter == ","     # report writes nothing
    status, _, err = run("fit", "--project", wrong, "--delimiter", "semicolon", "--epochs",
                         "1", "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert load_project(wrong).data.config.csv.delimiter == ";"     # fit keeps it


def test_a_model_of_many_series_is_fitted_and_read_with_the_options(tmp_path):
    data = european_csv(tmp_path / "stations.csv")
    model = tmp_path / "global.npz"
    status, out, err = run("fit", data, "--series", "column_1", "--target", "column_2",
                           "--test-last", "6", *GIVEN, "--hidden", "4", "--epochs", "2",
                           "--out", model)
    assert status == 0, err
    assert "2 series of 60 rows each" in out
    from engine.many.model_file import load_global_model

    assert load_global_model(model).settings["csv"] == {"delimiter": ";", "decimal": ",",
                                                        "encoding": "latin-1"}
    status, _, err = run("evaluate", model, data, "--json")
    assert status == 0, err
    for argv in (["evaluate", model, data], ["forecast", model, data, "--steps", "2", "--out",
                                             tmp_path / "f.csv"],
                 ["predict", model, data, "--out", tmp_path / "p.csv"],
                 ["backtest", model, data, "--origins", "1"]):
        status, _, err = run(*argv, "--encoding", "utf-8")
        assert status == 1 and "cannot be read as utf-8 text" in err, (argv, err)


def _args(*argv):
    """The parsed options of ``rnn-studio evaluate MODEL DATA ARGV``."""
    from engine.cli.main import build_parser

    return build_parser().parse_args(["evaluate", "m.npz", "d.csv", *argv])


def test_the_words_of_the_import_dialog_name_the_marks():
    assert csv_format(_args()) == {}
    assert csv_format(_args("--delimiter", "tab", "--thousands", "space", "--decimal",
                            "comma", "--header")) == \
        {"delimiter": "\t", "decimal": ",", "thousands": " ", "header": True}
    assert csv_format(_args("--delimiter", "\\t", "--thousands", "none")) == \
        {"delimiter": "\t", "thousands": ""}
    assert csv_format(_args("--delimiter", "|", "--thousands", "'", "--encoding",
                            "cp1252")) == {"delimiter": "|", "thousands": "'",
                                           "encoding": "cp1252"}


@pytest.mark.parametrize("flags, message", [
    (["--delimiter", ";;"], "--delimiter ';;' is 2 characters; give one character that is "
                            "no letter, digit or quote, such as , ; | or tab"),
    (["--delimiter", "x"], "--delimiter 'x' cannot be used; give one character"),
    (["--delimiter", "none"], "--delimiter 'none' is no character; give one character"),
    (["--decimal", ";"], "--decimal ';' cannot be used; give . or , (point or comma)"),
    (["--decimal", "dot"], "--decimal 'dot' is 3 characters; give . or ,"),
    (["--thousands", "kk"], "--thousands 'kk' is 2 characters; give one character that is "
                            "no letter or digit, such as . , ' or space"),
    (["--encoding", "latin-9000"], "--encoding 'latin-9000' is not a text encoding Python "
                                   "knows; give the name of a text encoding, such as utf-8"),
    (["--encoding", "rot13"], "--encoding 'rot13' is not a text encoding"),
    (["--decimal", ",", "--thousands", "comma"], "--thousands comma and --decimal , give the "
                                                 "same mark ',': a number cannot group its "
                                                 "thousands with its decimal mark; give "
                                                 "--thousands none or the other mark."),
])
def test_a_wrong_value_is_refused_with_what_to_give(tmp_path, flags, message):
    data = european_csv(tmp_path / "weather.csv")
    for argv in (["fit", data, "--target", "column_2", "--out", tmp_path / "m.npz"],
                 ["fit", data, "--series", "column_1", "--target", "column_2", "--out",
                  tmp_path / "m.npz"],
                 ["evaluate", tmp_path / "missing.npz", data],
                 ["backtest", tmp_path / "missing.npz", data],
                 ["select", tmp_path / "missing.json", "--method", "cell"]):
        status, out, err = run(*argv, *flags)
        assert status == 1 and err.count("\n") == 1, (argv, err)
        assert message in err, (argv, err)
    assert not (tmp_path / "m.npz").exists()


def test_a_mark_given_lets_the_thousands_separator_kept_be_detected_again():
    stored = {"decimal": ".", "thousands": ","}
    assert with_corrections(stored, {"decimal": ","}) == {"decimal": ","}
    assert with_corrections(stored, {"encoding": "cp1252"}) == {**stored,
                                                                "encoding": "cp1252"}
    assert with_corrections(None, {"decimal": ",", "thousands": "."}) == \
        {"decimal": ",", "thousands": "."}
    assert with_corrections(stored, {}) == stored


def test_a_thousands_separator_given_over_a_decimal_mark_kept_is_refused_with_the_option(
        fitted):
    """The model keeps the decimal comma; --thousands , clashes with it: the refusal names
    the option (the import dialog names its box instead)."""
    folder, data, model, project = fitted
    status, _, err = run("evaluate", model, data, "--thousands", ",")
    assert status == 1 and err.count("\n") == 1
    assert err.endswith("choose another thousands separator, or none (--thousands none).\n")
    assert "box" not in err


def test_a_file_of_series_one_after_the_other_is_noted_with_the_command_that_fits_them(
        tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("firm,year,invest\n" + "\n".join(
        f"{firm},{year},{value}" for firm in ("GM", "US Steel", "GE")
        for value, year in enumerate(range(1935, 1955))) + "\n")
    status, out, err = run("fit", path, "--target", "invest", *FAST, "--out",
                           tmp_path / "m.npz")
    assert status == 0, err
    assert ("'firm' changes where 'year' starts again. Fit it as many series with "
            f"rnn-studio fit {path} --series firm --time year --target COL --out MODEL; read "
            "as it is") in out, out
    assert "role" not in out and "step 2" not in out
