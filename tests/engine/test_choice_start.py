"""A project fitted again makes the same automatic choices as its first fit
(engine/training/choice_start.py)."""

import numpy as np
import pytest

from engine.data import DatasetConfig, default_variables, load_table
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.choice_start import choice_start, start_values
from engine.training.fitting import fit_project, record_fit
from helpers.models import seasonal_frame

AUTOMATIC = {"choose_target_transform": True, "choose_lookback": True,
             "choose_inputs": True}


def _config(tmp_path):
    csv = tmp_path / "series.csv"
    seasonal_frame(96).drop(columns="note").to_csv(csv, index=False)
    table = load_table(csv)
    variables = default_variables(table.columns, table.time_column, targets=["y"])
    config = DatasetConfig(csv=table.options, variables=variables, lookback=12, period=12)
    return config


def _chosen(config, **changes):
    """The summary of a fit that started at ``config`` and chose ``changes``."""
    start = start_values(config)
    return {"start": start, "chosen": {**start, **changes}}


def test_the_values_chosen_last_are_put_back_to_where_the_choice_started(tmp_path):
    start = _config(tmp_path)
    summary = _chosen(start, target_transform="seasonal_difference", period=24,
                      lookback=6, inputs=["y"])
    fitted = start.with_roles(x="unused")
    fitted.target_transform, fitted.period, fitted.lookback = "seasonal_difference", 24, 6
    again = choice_start(fitted, summary, AUTOMATIC)
    assert start_values(again) == start_values(start)
    assert again.variable("x").role == "input"
    assert fitted.lookback == 6 and fitted.variable("x").role == "unused"   # a copy


def test_a_value_set_since_or_a_choice_no_longer_automatic_is_kept(tmp_path):
    start = _config(tmp_path)
    summary = _chosen(start, target_transform="difference", lookback=6)
    fitted = start.with_roles()
    fitted.target_transform, fitted.lookback = "difference", 8      # 8: set by the person
    again = choice_start(fitted, summary, AUTOMATIC)
    assert (again.target_transform, again.lookback) == ("none", 8)
    fitted.lookback = 6
    kept = choice_start(fitted, summary, {"choose_lookback": True})
    assert (kept.target_transform, kept.lookback) == ("difference", 12)
    assert choice_start(fitted, summary, {}) is fitted
    assert choice_start(fitted, {"chosen": summary["chosen"]}, AUTOMATIC) is fitted


def _scored(trials):
    return [{k: v for k, v in t.to_dict().items() if k != "seconds"} for t in trials]


def test_fitting_a_project_again_repeats_its_choices_and_its_network(tmp_path):
    csv = tmp_path / "series.csv"
    seasonal_frame(96).drop(columns="note").to_csv(csv, index=False)
    project, _ = automatic_project(AutomaticChoices(csv, ["y"], hidden_sizes=[4],
                                                    max_epochs=4, folder=tmp_path))
    assert project.selection.settings == AUTOMATIC
    first = fit_project(project)
    record_fit(project, first)
    chosen = start_values(first.config)
    for key in ("target_transform", "lookback", "inputs"):   # each moved from its start
        assert chosen[key] != first.start[key]
    assert project.selection.summary["start"] == first.start
    second = fit_project(project)
    assert second.start == first.start
    assert start_values(second.config) == chosen
    assert _scored(second.trials) == _scored(first.trials)
    for name, value in first.network.state_dict().items():
        np.testing.assert_array_equal(second.network.state_dict()[name], value)


@pytest.mark.parametrize("change", [{"lookback": 0}, {"lookback": "12"}, {"period": 1.5},
                                    {"target_transform": "cube"}, {"inputs": "yx"},
                                    {"inputs": [1]}])
def test_a_start_edited_into_nonsense_is_not_used(tmp_path, change):
    start = _config(tmp_path)
    summary = _chosen(start, lookback=6)
    summary["start"].update(change)
    fitted = start.with_roles()
    fitted.lookback = 6
    assert choice_start(fitted, summary, AUTOMATIC) is fitted


def test_only_the_choices_the_trials_varied_count_as_chosen():
    from engine.training.choice_start import last_choices, varied_keys

    trials = [{"target_transform": t, "inputs": "all", "lookback": 6}
              for t in ("none", "difference")]
    assert varied_keys(trials) == ["target_transform"]
    summary = {"trials": trials, "chosen": {"target_transform": "difference",
                                            "inputs": ["y"], "lookback": 6}}
    assert last_choices(summary) == {"target_transform": "difference"}
    assert last_choices({}) == {} and varied_keys([]) == []
