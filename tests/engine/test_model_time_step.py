"""A file given to a model of one series must step as the model's training data did: its
forecasts and appended rows fall on times of the model's step (days given to a monthly
model were forecast a month apart, 2019-04-01 after 2019-03-01)."""

import numpy as np
import pandas as pd
import pytest

from helpers.command_line import run


def _write(path, times, fmt="%Y-%m-%d"):
    t = np.arange(len(times))
    values = 100 + t + 10 * np.sin(2 * np.pi * t / 12)
    pd.DataFrame({"date": times.strftime(fmt), "y": np.round(values, 3)}).to_csv(
        path, index=False)
    return path


@pytest.fixture(scope="module")
def monthly_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monthly")
    data = _write(folder / "base.csv", pd.date_range("2015-01-01", periods=60, freq="MS"))
    model = folder / "m.npz"
    status, _, err = run("fit", data, "--target", "y", "--lookback", "3", "--hidden", "4",
                         "--epochs", "2", "--members", "1", "--out", model)
    assert status == 0, err
    return model


@pytest.mark.parametrize("command", ["forecast", "predict", "evaluate"])
def test_days_given_to_a_monthly_model_are_refused(monthly_model, tmp_path, command):
    days = _write(tmp_path / "days.csv", pd.date_range("2019-01-01", periods=60, freq="D"))
    out = {"forecast": ["--steps", 2, "--out", tmp_path / "out.csv"],
           "predict": ["--out", tmp_path / "out.csv"], "evaluate": []}[command]
    status, _, err = run(command, monthly_model, days, *out)
    assert status != 0
    assert ("The file's times are 1 day apart; the model was trained on times 1 month "
            "apart, so its forecasts would fall on the wrong times.") in err
    assert "read month first" not in err and not (tmp_path / "out.csv").exists()


def test_months_written_day_first_and_read_as_days_get_the_hint(monthly_model, tmp_path):
    """01/01/2019 ... 01/12/2019, every day the 1st, read month first: twelve days."""
    months = _write(tmp_path / "first.csv", pd.date_range("2019-01-01", periods=12,
                                                          freq="MS"), "%d/%m/%Y")
    status, _, err = run("forecast", monthly_model, months, "--steps", 2, "--out",
                         tmp_path / "f.csv")
    assert status != 0 and "1 day apart" in err and "write the dates year first" in err


def test_months_with_a_gap_are_read_in_the_model_s_step(monthly_model, tmp_path):
    times = pd.date_range("2018-01-01", periods=24, freq="MS").delete([5, 6])
    data = _write(tmp_path / "gap.csv", times)
    status, _, err = run("forecast", monthly_model, data, "--steps", "2", "--out",
                         tmp_path / "f.csv")
    assert status == 0, err
    assert pd.read_csv(tmp_path / "f.csv")["date"].tolist() == ["2020-01-01", "2020-02-01"]


def test_rows_closer_than_the_model_s_step_are_not_refused(tmp_path):
    """Irregular data, its most common gap two hours in training and one hour in a later
    file, was refused as stepping otherwise."""
    start = pd.Timestamp("2021-01-01")
    gaps = np.tile([2, 2, 2, 1, 1], 24)
    data = _write(tmp_path / "train.csv", start + pd.to_timedelta(np.cumsum(gaps), "h"),
                  "%Y-%m-%d %H:%M")
    model = tmp_path / "m.npz"
    status, _, err = run("fit", data, "--target", "y", "--lookback", "3", "--hidden", "4",
                         "--epochs", "1", "--members", "1", "--out", model)
    assert status == 0, err
    later = _write(tmp_path / "later.csv", start + pd.to_timedelta(
        np.cumsum(np.tile([1, 1, 1, 2, 2], 24)), "h"), "%Y-%m-%d %H:%M")
    status, _, err = run("predict", model, later, "--out", tmp_path / "p.csv")
    assert status == 0, err
