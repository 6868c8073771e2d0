"""Values too large for float64 sums and a training that overflows end in one clear line,
without NumPy's overflow warnings."""

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engine.training.automatic import AutomaticChoices, automatic_project
from engine.cli.main import main
from engine.data.scaling import Scaler, check_magnitude
from engine.errors import EngineError
from engine.project.document import save_project

AIRLINE = Path(__file__).parents[2] / "resources" / "examples" / "airline_passengers.csv"


@pytest.mark.parametrize("method", ["standard", "minmax", "none"])
def test_scaling_refuses_values_whose_squares_overflow(method):
    values = np.array([1.0, 2.0, 1.2e200])           # squared: 1.44e400 > 1.8e308
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(EngineError, match=r"^Target 'y' has values up to 1\.2e\+200, "
                                              r"too large to train on; rescale the column"):
            Scaler.fit(method, values, "Target 'y'")


def test_values_that_fit_are_scaled_and_large_logarithms_are_fine():
    check_magnitude(np.array([1e150, -1e150, np.nan]), "x")    # squares 1e300: fit
    scaler = Scaler.fit("log", np.array([1e300, 1e305, 1e308]), "x")
    assert scaler.center == pytest.approx(np.log(10) * (300 + 305 + 308) / 3)


def test_fit_on_values_near_1e308_says_so_in_one_line(tmp_path, capsys):
    frame = pd.read_csv(AIRLINE, dtype={"passengers": float})
    frame["passengers"] *= 1e305                          # up to 6.2e307
    path = tmp_path / "huge.csv"
    frame.to_csv(path, index=False)
    status = main(["fit", str(path), "--target", "passengers", "--test-from",
                   "1960-01-01", "--epochs", "3", "--out", str(tmp_path / "m.npz")])
    err = capsys.readouterr().err
    assert status == 1
    assert err == ("rnn-studio fit: error: Column 'passengers' has values up to 6.2e+307, "
                   "too large to train on; rescale the column (divide it by a power of ten) "
                   "and try again.\n")
    assert not (tmp_path / "m.npz").exists()


def test_a_training_that_overflows_in_its_first_epoch_says_it_diverged(tmp_path, capsys):
    project, _ = automatic_project(AutomaticChoices(
        AIRLINE, ["passengers"], folder=tmp_path, max_epochs=3, seed=0, test_from="1960-01-01"))
    project.selection.settings = {}
    project.architecture.linear_path = False         # else the least-squares start is kept
    project.training.learning_rate = 1e200           # weights of 1e200: outputs overflow
    save_project(project, tmp_path / "p.json")
    status = main(["fit", "--project", str(tmp_path / "p.json"), "--out",
                   str(tmp_path / "m.npz")], out=io.StringIO())
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("rnn-studio fit: error: No epoch of the training ended with "
                          "finite errors, so there is no trained model to save: The training "
                          "error became infinite or not a number in epoch 1 (the training "
                          "diverged). Try a smaller learning rate")
    assert len(err.splitlines()) == 1 and "Warning" not in err
    assert not (tmp_path / "m.npz").exists()


def test_a_column_without_a_number_is_no_overflow():
    check_magnitude(np.array([np.nan, np.nan, np.nan]), "weather")     # e.g. a text column
    check_magnitude(np.array([], dtype=float), "empty")
