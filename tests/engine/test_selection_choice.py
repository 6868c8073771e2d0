"""The choice of a search's row on hand-made selection errors: the simplest setting within
1% of the lowest (``CLEAR_GAIN``), the sentence that says why, the trials numbered from 1
where a person reads them, and a stored search chosen again by that rule."""

import pandas as pd
import pytest

from engine.data import default_config, load_table
from engine.errors import EngineError
from engine.tolerance import CLEAR_GAIN
from engine.project.document import new_project
from engine.selection import SearchResult, TrialRow, apply_trial
from engine.selection.candidates import describe

NOTTINGHAM = [3.008, 3.008, 3.008, 3.007, 3.007, 3.008, 3.006]   # 1 to 64 units


def row(index, changes, error, training=2.1):
    return TrialRow(index, changes, describe(changes), float(index), training_error=training,
                    selection_error=error, selection_score=error,
                    runs=[{"repeat": 0, "seconds": 1.0, "selection_score": error}])


def neurons(errors):
    sizes = [1, 2, 4, 8, 16, 32, 64, 128][:len(errors)]
    rows = [row(k, {"hidden_sizes": [n]}, e) for k, (n, e) in enumerate(zip(sizes, errors))]
    result = SearchResult("neurons", "one-step RMSE of y", ["y"], rows)
    result.choose()
    return result


def test_errors_alike_choose_the_smallest_network_and_say_why():
    result = neurons(NOTTINGHAM)
    assert result.chosen == 0
    assert result.reason() == ("64 units (3.006) does no better than 1 unit (3.008) within "
                               "1%: the smallest network within 1% of the lowest, 1 unit, "
                               "is chosen.")
    lines = result.table_lines()
    assert lines[2].split()[0] == "1" and lines[2].endswith("<- chosen")
    assert result.reason() in lines


def test_a_gain_of_more_than_the_tolerance_chooses_the_larger_network():
    clear = 3.0 * (1 - CLEAR_GAIN) - 0.001        # 64 units beat 32 by more than 1%
    result = neurons([6.0, 4.0, 3.2, 3.1, 3.0, 3.0, clear])
    assert result.chosen == 6
    assert result.reason() == ("Chosen: 64 units, of the lowest selection error; no "
                               "simpler setting comes within 1% of it.")
    just = 3.0 * (1 - CLEAR_GAIN) + 0.001          # by less: 16 units, the first of 3.0
    assert neurons([6.0, 4.0, 3.2, 3.1, 3.0, 3.0, just]).chosen == 4
    assert neurons([3.0]).reason() == "Chosen: 1 unit, of the lowest selection error."


def test_the_reason_says_the_simplest_within_the_tolerance_in_the_tables_figures():
    """16 units are chosen while 1 to 8 units are in the table too: the smallest network
    within 1%, not the smallest; its 3.0 reads 3.000 in the reason as in the table."""
    result = neurons([6.0, 4.0, 3.2, 3.1, 3.0, 3.0, 2.971])
    assert result.chosen == 4
    assert result.reason() == ("64 units (2.971) does no better than 16 units (3.000) "
                               "within 1%: the smallest network within 1% of the lowest, "
                               "16 units, is chosen.")
    assert result.table_lines()[6].split()[2:5] == ["units", "2.100", "3.000"]
    rows = [row(k, {"l2": v}, e) for k, (v, e) in enumerate(zip((0.0, 1e-4, 1e-1),
                                                                (1.0, 1.005, 1.3)))]
    search = SearchResult("regularization", "", ["y"], rows)
    search.choose()
    assert search.reason() == (f"{rows[0].label} (1.000) does no better than "
                               f"{rows[1].label} (1.005) within 1%: the strongest L2 within "
                               f"1% of the lowest, {rows[1].label}, is chosen.")


def test_errors_that_read_the_same_in_the_table_are_said_to_count_as_equal():
    """The airline's sizes all read 11.97, apart in the fifth digit: the reason read
    "4 units (11.97) does no better than 1 unit (11.97)"; it says the rule instead."""
    result = neurons([11.9712, 11.9708, 11.9705, 11.9709])
    assert result.chosen == 0 and all(" 11.97 " in line for line in result.table_lines()[2:6])
    assert result.reason() == ("Settings within 1% of the lowest selection error count as "
                               "equal (4 units, the lowest, and 1 unit both read 11.97): the "
                               "smallest network among them, 1 unit, is chosen.")
    assert result.reason() in result.table_lines()


def test_the_plot_shows_the_chosen_row_where_a_lower_one_shares_its_x():
    """Layers of 6 x 3 (the project's) chosen beside 6 x 6 of a slightly lower error,
    both at x = 6: the point at 6 is the chosen row's, circled."""
    sizes, errors = ([3, 3], [6, 3], [6, 6], [12, 12]), (5.0, 3.01, 3.0, 3.2)
    rows = [row(k, {"hidden_sizes": n}, e) for k, (n, e) in enumerate(zip(sizes, errors))]
    for each in rows:
        each.x = float(each.changes["hidden_sizes"][0])
    result = SearchResult("neurons", "", ["y"], rows)
    assert result.choose() == 1
    points = result.curve()
    assert points["rows"] == [0, 1, 3] and points["chosen"] == 1
    assert points["selection"][1] == 3.01
    result.chosen = None                         # none chosen: the lowest at each x
    assert result.curve()["rows"] == [0, 2, 3]


@pytest.mark.parametrize("method, settings, errors, chosen", [
    ("lookback", [{"lookback": n} for n in (24, 3, 12)], [2.00, 2.01, 1.99], 1),
    ("inputs", [{"inputs": names} for names in (["a", "b"], [], ["a"])], [1.0, 1.5, 1.005],
     2),
    ("cell", [{"cell": c} for c in ("lstm", "rnn", "gru")], [1.0, 1.2, 1.009], 2),
    ("regularization", [{"l2": v} for v in (0.0, 1e-3, 1e-1)], [1.0, 1.005, 1.3], 1),
    ("ensemble", [{"seed": s} for s in (0, 1, 2)], [1.005, 1.0, 1.002], 1),
])
def test_each_method_keeps_its_simplest_setting_within_the_tolerance(method, settings,
                                                                     errors, chosen):
    """The rows out of order: complexity, not the row's place, decides; the strongest L2
    is the simplest; seeds have no order, so the lowest member is chosen."""
    rows = [row(k, c, e) for k, (c, e) in enumerate(zip(settings, errors))]
    assert SearchResult(method, "", ["y"], rows).choose() == chosen


def test_a_stored_search_is_chosen_again_and_its_rows_read_from_1(tmp_path):
    """A search stored when the lowest error won however slightly (64 units, row 6) is
    read back with the smallest network chosen; the stored indices stay from 0, applying
    says "trial 1" and a row that does not exist is named by its number."""
    stored = neurons(NOTTINGHAM).to_dict()
    stored["chosen"] = 6
    result = SearchResult.from_dict(stored)
    assert result.chosen == 0 and [r.index for r in result.rows] == list(range(7))
    assert [r.number for r in result.rows] == list(range(1, 8))
    project = new_project("p", tmp_path)
    project.data.config = default_config(load_table(pd.DataFrame({"y": range(40)})), ["y"])
    assert apply_trial(project, result) == "Applied trial 1: 1 unit."
    assert result.applied == 0 and project.architecture.hidden_sizes == [1]
    with pytest.raises(EngineError, match="There is no trial 8; the trials are numbered 1 "
                                          "to 7."):
        apply_trial(project, result, 7)
