"""Counts in the program's sentences read as English: "1 row", "the last row", "4 steps
of 1 row", never "row(s)" or "the last 1 rows"; and the note on the classical comparators'
fewer forecasts says what it means without the program's terms."""

import numpy as np
import pytest

from engine.errors import EngineError
from engine.words import counted, steps_ahead_range, the_last, verb


def test_a_count_takes_the_singular_or_the_plural():
    assert counted(1, "row") == "1 row"
    assert counted(4, "step") == "4 steps"
    assert counted(1200, "row") == "1,200 rows"
    assert counted(3, "series", "series") == "3 series"
    assert counted(0, "window") == "0 windows"
    assert the_last(1, "row") == "the last row"
    assert the_last(12, "step") == "the last 12 steps"
    assert (verb(1, "is", "are"), verb(2, "is", "are")) == ("is", "are")
    assert steps_ahead_range(1) == "1 step ahead"
    assert steps_ahead_range(48) == "1 to 48 steps ahead"


def test_a_fit_of_many_series_none_long_enough_counts_its_rows_and_steps():
    """1 step ahead, 1 to test on: "1 step to train on", not "1 steps"."""
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame

    data = from_frame(long_frame({"a": np.arange(1.0, 9.0), "b": np.arange(1.0, 8.0)}),
                      "id", ["y"])
    with pytest.raises(EngineError) as raised:
        fit_global(data, GlobalSettings(horizon=1, test_last=1, lookback=8, season=1,
                                        hidden_sizes=(4,), max_epochs=1))
    assert "a window of 8 rows" in str(raised.value)
    assert ", 1 step to train on, 1 to select on and 1 to test on need" in str(raised.value)


def test_a_lookback_longer_than_the_training_part_counts_its_steps(monkeypatch, tmp_path):
    """A lookback of 1 step plus 1 step ahead that leaves no training window: "1 step",
    not "1 steps"."""
    from engine.data import checks, load_table
    from engine.data.config import DatasetConfig, VariableSpec

    path = tmp_path / "y.csv"
    path.write_text("y\n" + "\n".join(str(k) for k in range(10)) + "\n")
    table = load_table(str(path))
    summary = checks.SplitSummary({"training": 0, "selection": 1, "testing": 1},
                                  {}, 1, 1)
    monkeypatch.setattr(checks, "split_summary", lambda table, config: summary)
    config = DatasetConfig(variables=[VariableSpec("y", "input_target", "numeric")],
                           lookback=1, horizon=1)
    assert checks.config_problems(table, config) == [
        "The lookback of 1 step (plus 1 step ahead) is longer than the training part "
        "allows with 10 rows: use a shorter lookback or more training rows."]


def test_the_window_candidates_read_steps_of_one_row():
    from engine.many.choosing import trials_text

    trial = {"lookback": 4, "fold": 1, "block": 1, "horizon": 1, "seconds": 1, "smape": 1.0,
             "mase": 1.0, "owa": 0.9}
    line = trials_text([trial])[0]
    assert "4 steps of 1 row " in line and "rows" not in line


def test_one_window_too_few_for_training_is_said_in_the_singular():
    from engine.data.splits import chronological_split

    with pytest.raises(EngineError, match=r"^Only 1 window fits in the data"):
        chronological_split(np.arange(1), 1, fractions=(0.0, 0.0, 1.0))


def test_the_comparators_fewer_forecasts_are_said_in_plain_words():
    from engine.testing.analysis import comparator_origins_note

    note = comparator_origins_note(2, 198, 395)
    assert note == ("To save time, the classical comparators (ETS, Theta, linear AR) made "
                    "only 198 of the 395 recursive forecasts the errors table's recursive "
                    "row scores (those from one in every 2 of the rows the network's "
                    "forecasts start at); their RMSE in that row is measured on those "
                    "forecasts.")
    assert "origin" not in note
