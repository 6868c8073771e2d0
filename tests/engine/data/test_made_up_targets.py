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
