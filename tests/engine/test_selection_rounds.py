"""The rounds of a pruning search on scripted selection errors (no training): an input is
left out when the error without it is within 1% (``CLEAR_GAIN``) of the lowest so far,
so that the rounds neither stop on a rise nor go on along a drift smaller than what one
network varies from seed to seed."""

import numpy as np
import pandas as pd
import pytest

import engine.selection.search as search
from engine.figures import number
from engine.data import SplitSettings, default_config, load_table
from engine.project.document import new_project
from engine.tolerance import CLEAR_GAIN, TOLERANCE_TEXT


def scripted(errors):
    """A trial function whose selection error is ``errors[frozenset(inputs)]``."""
    def trial(context, spec, task=None):
        error = errors[frozenset(spec["changes"]["inputs"])]
        return {"index": spec["index"], "repeat": spec["repeat"], "seed": spec["seed"],
                "training_rmse": {"y": error / 2}, "selection_rmse": {"y": error},
                "training_score": error / 2, "selection_score": error, "epochs": 5,
                "best_epoch": 3, "seconds": 0.1, "error": None, "cancelled": False}
    return trial


def pruned(monkeypatch, tmp_path, errors):
    """A pruning search of inputs a, b, c (ranked a, b, c) scored by ``errors``."""
    rng = np.random.default_rng(0)
    y = rng.standard_normal(120)
    frame = pd.DataFrame({"y": y, "a": np.r_[y[1:], 0] + 0.1 * rng.standard_normal(120),
                          "b": np.r_[y[1:], 0] + rng.standard_normal(120),
                          "c": rng.standard_normal(120)})
    table = load_table(frame)
    project = new_project("rounds", tmp_path)
    project.data.config = default_config(table, ["y"], lookback=2)
    project.data.config.split = SplitSettings(fractions=(0.6, 0.2, 0.2))
    monkeypatch.setattr(search, "run_trial", scripted(errors))
    return search.run_search(project, "inputs_pruning", workers=0, table=table)


def inputs_of(result, row):
    return set(result.row(row).changes["inputs"])


def errors_of(**named):
    """``{frozenset(inputs): error}`` from keywords such as ``abc=1.0``, ``none=2.0``."""
    return {frozenset("" if name == "none" else name): value for name, value in named.items()}


def test_a_rise_within_the_tolerance_drops_the_input_and_the_rounds_go_on(monkeypatch,
                                                                          tmp_path):
    """Without a the error rises by 0.5%: the old rule stopped there on noise, after one
    round; now a is left out, then b (0.8% above the lowest), and c costs 50%."""
    tie, later = 1.0 / (1 - CLEAR_GAIN) - 0.005, 1.008
    errors = errors_of(abc=1.0, bc=tie, ac=1.2, ab=1.3, c=later, b=1.3, none=1.5)
    result = pruned(monkeypatch, tmp_path, errors)
    assert result.rows[0].changes["inputs"] == ["a", "b", "c"]
    assert max(row.round for row in result.rows) == 3
    assert inputs_of(result, result.chosen) == {"c"}
    assert result.notes[-3:] == [
        f"Round 1: without a the selection error is {number(tie)}, within {TOLERANCE_TEXT} of "
        "the lowest (1.000); a is left out: fewer inputs win a tie.",
        f"Round 2: without b the selection error is 1.008, within {TOLERANCE_TEXT} of the "
        "lowest (1.000); b is left out: fewer inputs win a tie.",
        f"Round 3: without any one input the selection error is more than {TOLERANCE_TEXT} "
        "above the lowest (1.000; at best 1.500, without c); pruning stops."]


def test_rises_within_the_tolerance_add_up_against_the_lowest_not_the_last(monkeypatch,
                                                                           tmp_path):
    """Two rises of 0.9% each: the second is within 1% of the error with b but 1.8% above
    the lowest, so b stays; a lower error is dropped with its input as before."""
    errors = errors_of(abc=1.0, bc=1.009, ac=1.2, ab=1.3, c=1.018, b=1.3, none=1.5)
    result = pruned(monkeypatch, tmp_path, errors)
    assert max(row.round for row in result.rows) == 2
    assert inputs_of(result, result.chosen) == {"b", "c"}
    assert result.notes[-1].startswith("Round 2: without any one input the selection "
                                       f"error is more than {TOLERANCE_TEXT} above the "
                                       "lowest (1.000; at best 1.018, without b)")
    lower = pruned(monkeypatch, tmp_path / "lower", errors_of(
        abc=1.0, bc=0.9, ac=1.2, ab=1.3, c=0.95, b=1.3, none=1.5))
    assert lower.notes[-2] == ("Round 1: removing a lowers the selection error most "
                               "(1.000 to 0.9000); it is left out.")
    assert inputs_of(lower, lower.chosen) == {"b", "c"} and lower.notes[-1].endswith(
        "pruning stops.")


@pytest.mark.parametrize("gain", [0.0, 0.5])
def test_a_clear_rise_stops_the_rounds(monkeypatch, tmp_path, gain):
    worse = 1.0 / (1 - CLEAR_GAIN) + 0.001 + gain
    errors = errors_of(abc=1.0, bc=worse, ac=worse + 0.1, ab=worse + 0.2)
    result = pruned(monkeypatch, tmp_path, errors)
    assert max(row.round for row in result.rows) == 1
    assert inputs_of(result, result.chosen) == {"a", "b", "c"}


def test_an_equal_error_without_an_input_is_a_tie_not_a_lowering(monkeypatch, tmp_path):
    """Without a the error is the same 1.000: it read "removing a lowers the selection
    error most (1.000 to 1.000)"."""
    errors = errors_of(abc=1.0, bc=1.0, ac=1.2, ab=1.3, c=1.5, b=1.5, none=1.5)
    result = pruned(monkeypatch, tmp_path, errors)
    assert result.notes[-2] == (f"Round 1: without a the selection error is 1.000, within "
                                f"{TOLERANCE_TEXT} of the lowest (1.000); a is left out: "
                                "fewer inputs win a tie.")
