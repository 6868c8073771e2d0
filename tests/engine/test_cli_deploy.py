"""``rnn-studio forecast`` and ``rnn-studio export`` on a model trained by the engine."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project, save_fit
from engine.model.model_file import load_model
from helpers.command_line import run


@pytest.fixture
def model_path(seasonal_csv, tmp_path):
    project, _ = automatic_project(AutomaticChoices(
        seasonal_csv, ["y"], lookback=4, max_epochs=3, inputs=[]))
    project.selection.settings = {}
    path = tmp_path / "model.npz"
    save_fit(fit_project(project), path)
    return path


def test_forecast_writes_values_and_intervals(model_path, seasonal_csv, tmp_path):
    out = tmp_path / "forecast.csv"
    status, text, err = run("forecast", model_path, seasonal_csv, "--steps", 14, "--out", out)
    assert status == 0, err
    assert f"Forecast of 14 steps (recursive), month 2020-01-01 to 2021-02-01, with 90% " \
           f"intervals, written to {out}" in text
    table = pd.read_csv(out)
    assert list(table.columns) == ["month", "y", "y_lower_90", "y_upper_90"]
    assert len(table) == 14
    assert (table["y_lower_90"] < table["y"]).all() and (table["y"] < table["y_upper_90"]).all()
    # the widths are the model's calibrated recursive widths
    from engine.testing.intervals import half_widths
    widths = half_widths(load_model(model_path).metadata, 0.9, 14)
    np.testing.assert_allclose(table["y_upper_90"] - table["y"], widths[:, 0], rtol=1e-8)
    status, _, _ = run("forecast", model_path, seasonal_csv, "--steps", 3, "--level", 0.95,
                       "--out", out)
    assert status == 0 and "y_lower_95" in out.read_text().splitlines()[0]


def test_forecast_clip_keeps_the_csv_within_the_data(model_path, seasonal_csv, tmp_path):
    y = pd.read_csv(seasonal_csv)["y"]
    plain, clipped = tmp_path / "plain.csv", tmp_path / "clipped.csv"
    status, _, err = run("forecast", model_path, seasonal_csv, "--steps", 40, "--out", plain)
    assert status == 0, err
    assert pd.read_csv(plain)["y_upper_90"].max() > y.max()           # not clipped unasked
    status, text, err = run("forecast", model_path, seasonal_csv, "--steps", 40, "--clip",
                            "range", "--out", clipped)
    assert status == 0, err
    table = pd.read_csv(clipped)
    assert table["y_upper_90"].max() == pytest.approx(y.max())
    assert table["y_lower_90"].min() >= y.min() - 1e-9
    assert f"Note: The forecast and its interval are kept within the data's bounds: y between {y.min():.6g} and " \
           f"{y.max():.6g}" in text
    status, _, err = run("forecast", model_path, seasonal_csv, "--steps", 3, "--clip", "zero",
                         "--out", clipped)
    assert status == 0, err
    np.testing.assert_allclose(pd.read_csv(clipped)["y"], pd.read_csv(plain)["y"][:3])


def test_export_every_format_from_the_command_line(model_path, seasonal_csv, tmp_path):
    for fmt, name in (("model", "copy.npz"), ("python", "standalone.py"),
                      ("onnx", "net.onnx"), ("torch", "state.npz")):
        status, text, err = run("export", model_path, "--format", fmt, "--out",
                                tmp_path / name)
        assert status == 0, err
        assert text.startswith("Wrote the ") and name in text
        if fmt == "torch":              # in plain words, as the window names them
            assert text.startswith("Wrote the PyTorch weights of ")
    # the Python module, in a fresh interpreter, predicts the next value as the engine does
    code = ("import sys, json, pandas; sys.path.insert(0, sys.argv[1]); import standalone; "
            "print(json.dumps(standalone.predict_next(pandas.read_csv(sys.argv[2])).tolist()))")
    done = subprocess.run([sys.executable, "-I", "-c", code, str(tmp_path), str(seasonal_csv)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    from engine.deploy.predicting import predictions_table
    table, _, _ = predictions_table(load_model(model_path), seasonal_csv)
    assert json.loads(done.stdout)[0][0] == pytest.approx(table["y_predicted"].iloc[-1],
                                                          abs=1e-9)
    with np.load(tmp_path / "state.npz") as npz:
        assert sorted(npz.files) == sorted(load_model(model_path).network.state_dict())


def test_errors_are_one_line_and_exit_1(model_path, seasonal_csv, tmp_path):
    status, _, err = run("export", model_path, "--format", "python", "--out",
                         tmp_path / "no" / "such" / "folder" / "m.py")
    assert status == 1 and err.startswith("rnn-studio export: error: Could not save")
    assert err.count("\n") == 1
    status, _, err = run("forecast", tmp_path / "missing.npz", seasonal_csv, "--steps", 3,
                         "--out", tmp_path / "f.csv")
    assert status == 1 and "There is no model file" in err
    status, _, err = run("forecast", model_path, seasonal_csv, "--steps", 0, "--out",
                         tmp_path / "f.csv")
    assert status == 1 and "--steps must be from 1 to 10,000; got 0." in err
    with pytest.raises(SystemExit) as stopped:          # argparse: usage error, status 2
        run("export", model_path, "--format", "keras", "--out", tmp_path / "m")
    assert stopped.value.code == 2
    status, _, err = run("export", seasonal_csv, "--format", "onnx", "--out", tmp_path / "m")
    assert status == 1 and "is not an RNN Studio model file" in err
    other = tmp_path / "other.csv"
    other.write_text("month,z\n2020-01-01,1\n")
    status, _, err = run("forecast", model_path, other, "--steps", 3, "--out", tmp_path / "f")
    assert status == 1 and "has no column 'y'" in err
    assert not (tmp_path / "f").exists() and not (tmp_path / "m").exists()


def test_forecast_reads_the_models_columns_among_others(model_path, seasonal_csv, tmp_path):
    frame = pd.read_csv(seasonal_csv)
    wider = tmp_path / "wider.csv"
    frame.assign(extra=1.5)[["extra"] + list(frame.columns)].to_csv(wider, index=False)
    for name, data in (("plain.csv", seasonal_csv), ("wider_out.csv", wider)):
        status, _, err = run("forecast", model_path, data, "--steps", 5, "--out",
                             tmp_path / name)
        assert status == 0, err
    assert (tmp_path / "plain.csv").read_text() == (tmp_path / "wider_out.csv").read_text()


def test_forecast_marks_and_notes_forecasts_read_from_a_filled_in_cell(model_path,
                                                                      seasonal_csv, tmp_path):
    """As predict does: the column read_filled_in and a note, printed."""
    holed = tmp_path / "holed.csv"
    pd.read_csv(seasonal_csv).assign(y=lambda f: f["y"].where(f.index != 94)).to_csv(
        holed, index=False)
    out = tmp_path / "forecast.csv"
    status, text, err = run("forecast", model_path, holed, "--steps", 6, "--out", out)
    assert status == 0, err
    flags = pd.read_csv(out)["read_filled_in"]
    assert flags.iloc[0] == 1 and flags.iloc[-1] == 0
    assert (f"Note: The forecasts of {int(flags.sum())} rows were made from windows that "
            "read values the model made up: 1 empty number cell") in text


def test_export_s_help_names_pytorch_s_weights_in_plain_words(capsys):
    """``export --help`` names the PyTorch export "PyTorch weights", as the window's button
    does (it said "PyTorch state dict", a programmer's word)."""
    from engine.cli.main import main

    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "torch: PyTorch weights (.npz)" in text and "state dict" not in text


def test_files_written_for_a_file_of_spaces_read_back_as_written(tmp_path):
    """With spaces between fields an empty cell was a run of spaces, which the reader
    takes for one: predict's appended row `1961-01-01  446.6` and forecast's empty bounds
    read back a field short (refused, or the values shifted a column left)."""
    from engine.cli.main import main
    from engine.data import CsvOptions, load_table

    airline = pd.read_csv("resources/examples/airline_passengers.csv")
    data = tmp_path / "spaces.csv"
    data.write_text("month passengers\n" + "".join(
        f"{m} {p}\n" for m, p in zip(airline["month"], airline["passengers"])),
        encoding="utf-8")
    model = str(tmp_path / "air.npz")
    assert main(["fit", str(data), "--delimiter", " ", "--target", "passengers",
                 "--lookback", "12", "--epochs", "2", "--out", model]) == 0
    predicted, forecast = tmp_path / "predicted.csv", tmp_path / "forecast.csv"
    assert main(["predict", model, str(data), "--out", str(predicted)]) == 0
    assert main(["forecast", model, str(data), "--method", "linear", "--steps", "2",
                 "--level", "0.9", "--out", str(forecast)]) == 0
    spaces = CsvOptions(delimiter=" ")
    table = load_table(predicted, spaces).frame
    assert table.shape == (145, 3) and np.isnan(table["passengers"].iloc[-1])
    assert table["passengers"].iloc[0] == 112 and np.isnan(table.iloc[0, 2])
    assert np.isfinite(table.iloc[-1, 2])
    written = load_table(forecast, spaces).frame
    assert written.shape == (2, 4) and np.isfinite(written.iloc[:, 1]).all()
    assert written.iloc[:, 2:].isna().all().all()                # no bounds: empty cells


def test_predict_says_when_it_replaces_a_column_of_the_file(tmp_path, capsys):
    """A column of the file named like a prediction column was replaced in the file
    written without a word."""
    from engine.cli.main import main

    airline = pd.read_csv("resources/examples/airline_passengers.csv")
    data = tmp_path / "air.csv"
    airline.assign(passengers_predicted=np.arange(len(airline))).to_csv(data, index=False)
    plain = tmp_path / "plain.csv"
    airline.to_csv(plain, index=False)
    model = str(tmp_path / "air.npz")
    assert main(["fit", str(plain), "--target", "passengers", "--lookback", "12",
                 "--epochs", "2", "--out", model]) == 0
    capsys.readouterr()
    assert main(["predict", model, str(plain), "--out", str(tmp_path / "p1.csv")]) == 0
    assert "already held" not in capsys.readouterr().out
    assert main(["predict", model, str(data), "--out", str(tmp_path / "p2.csv")]) == 0
    assert ("The file already held the column passengers_predicted (an earlier "
            "prediction?): the predictions replace it in the file written") in \
        capsys.readouterr().out
