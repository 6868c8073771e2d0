"""How many empty target values the missing-value method makes up: interpolation fills
those with known values on both sides within a stretch of time, the mean and median fill
all, leaving rows out fills none."""

import numpy as np
import pandas as pd
import pytest

from engine.data import DatasetConfig, default_variables, load_table
from engine.data.missing import made_up_targets


def _table():
    """99 hourly rows with a gap in time after row 29; ``y`` empty at rows 0 (the start),
    5, 6, 50 (inside stretches), 29 (just before the gap) and 98 (the end)."""
    times = pd.date_range("2020-01-01", periods=101, freq="h").delete([30, 31])
    y = np.arange(99.0)
    y[[0, 5, 6, 29, 50, 98]] = np.nan
    x = np.ones(99)
    x[10] = np.nan                                     # an input's gap is not counted
    return load_table(pd.DataFrame({"time": times, "y": y, "x": x}))


@pytest.mark.parametrize("method, made_up", [("interpolate", 3), ("mean", 6),
                                             ("median", 6), ("drop", 0)])
def test_the_empty_target_values_made_up_by_each_method(method, made_up):
    table = _table()
    config = DatasetConfig(csv=table.options, missing=method, variables=default_variables(
        table.columns, table.time_column, targets=["y"]))
    assert made_up_targets(table, config) == (6, made_up)


def test_without_a_target_nothing_is_counted():
    table = _table()
    config = DatasetConfig(csv=table.options,
                           variables=default_variables(table.columns, table.time_column))
    assert made_up_targets(table, config) == (0, 0)


def test_fit_notes_the_target_values_it_makes_up(tmp_path):
    from engine.training.automatic import AutomaticChoices, automatic_project

    csv = tmp_path / "gaps.csv"
    frame = _table().frame
    frame["y"] = frame["y"] + np.sin(np.arange(99))
    frame.to_csv(csv, index=False)
    _, notes = automatic_project(AutomaticChoices(csv, ["y"]))
    assert "3 of the 6 empty target values are made up by interpolation; the data setting " \
        '"missing": "drop" of a project (--project) leaves their rows out.' in notes


@pytest.mark.parametrize("target_role", ["input_target", "target"])
def test_a_forecast_from_a_window_that_ends_on_an_interpolated_value_is_not_scored(
        target_role):
    """Row 5's input and row 12's target are interpolated from the rows after them; a
    forecast from a window ending there read its own future, so the rows it forecasts are
    left out of the scores (a target the windows do not read counts only as no truth)."""
    frame = pd.DataFrame({"y": np.sin(np.arange(40.0)), "x": np.arange(40.0)})
    frame.loc[5, "x"] = np.nan
    frame.loc[12, "y"] = np.nan
    table = load_table(frame)
    config = DatasetConfig(csv=table.options, lookback=3, variables=default_variables(
        table.columns, targets=["y"], target_role=target_role))
    from engine.data import prepare_training

    encoded = prepare_training(table, config).encoded
    read = target_role == "input_target"
    assert np.flatnonzero(encoded.from_later).tolist() == ([5, 12] if read else [5])
    one_step = encoded.scored_truth()
    unscored = [6, 12, 13] if read else [6, 12]
    assert np.flatnonzero(np.isnan(one_step[:, 0])).tolist() == unscored
    assert np.isnan(encoded.scored_truth(1, origin=6)[6:]).all()
    assert not np.isnan(encoded.scored_truth(1, origin=5)[5:12]).any()
    np.testing.assert_array_equal(encoded.scored_truth(0)[[4, 5, 6]],
                                  [[np.sin(4.0)], [np.nan], [np.sin(6.0)]])


def test_fit_says_why_it_scores_fewer_rows_than_it_has_windows(tmp_path):
    """Rows 20 and 21 empty: the windows forecasting them have no value to compare with,
    and those ending on them read a value interpolated from row 22."""
    import io
    import re

    from helpers.models import seasonal_frame

    from engine.cli.main import main

    frame = seasonal_frame()
    frame.loc[[20, 21], "y"] = np.nan
    csv = tmp_path / "gaps.csv"
    frame.to_csv(csv, index=False)
    out = io.StringIO()
    assert main(["fit", str(csv), "--target", "y", "--input", "y", "--time", "month",
                 "--lookback", "3", "--epochs", "2", "--out", str(tmp_path / "m.npz")],
                out=out, err=io.StringIO()) == 0
    text = out.getvalue()
    windows = int(re.search(r"Windows: (\d+) training", text).group(1))
    training = next(line for line in text.splitlines() if line.startswith("  training"))
    assert training.endswith(f"({windows - 3} rows; 3 of the {windows} windows not scored: "
                             "an empty target cell, or an input interpolated from a later "
                             "row)")
    testing = next(line for line in text.splitlines() if line.startswith("  testing"))
    assert re.search(r"\(\d+ rows\)$", testing)
