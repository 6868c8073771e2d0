"""Counts in the program's sentences read as English: "1 row", "the last row", "4 steps
of 1 row", never "row(s)" or "the last 1 rows"; and the note on the classical comparators'
fewer forecasts says what it means without the program's terms."""

import numpy as np
import pytest

from engine.errors import EngineError
from engine.words import counted, the_last, verb


def test_a_count_takes_the_singular_or_the_plural():
    assert counted(1, "row") == "1 row"
    assert counted(4, "step") == "4 steps"
    assert counted(1200, "row") == "1,200 rows"
    assert counted(3, "series", "series") == "3 series"
    assert counted(0, "window") == "0 windows"
    assert the_last(1, "row") == "the last row"
    assert the_last(12, "step") == "the last 12 steps"
    assert (verb(1, "is", "are"), verb(2, "is", "are")) == ("is", "are")


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

    note = comparator_origins_note(2, 223, 446)
    assert note == ("To save time, the classical comparators (ETS, Theta, linear AR) "
                    "forecast recursively from only one in every 2 of the rows the "
                    "network's forecasts start at (223 of 446); their recursive RMSE is "
                    "measured on those forecasts.")
    assert "origin" not in note
