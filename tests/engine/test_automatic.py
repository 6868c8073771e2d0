"""The automatic pipeline's choices, and the examples learning with them."""

from pathlib import Path

import pytest

from engine.cli.arguments import parse_split, parse_when
from engine.data.statistics import choose_lookback
from engine.training.automatic import (AutomaticChoices, automatic_project,
                                       input_candidates, own_history_only, trial_recipe,
                                       training_recipe, transform_candidates)
from engine.errors import EngineError
from engine.testing.evaluation import evaluate_frame
from engine.training.fitting import fit_project
from engine.model.forecaster import Forecaster

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def test_training_recipe_follows_the_number_of_windows():
    small, large = training_recipe(4999), training_recipe(5000)
    assert (small["batch_size"], small["max_epochs"], small["patience"]) == (32, 1000, 60)
    assert (large["batch_size"], large["max_epochs"], large["patience"]) == (128, 100, 8)
    for recipe in (small, large):
        assert (recipe["optimizer"], recipe["clip_norm"], recipe["loss"]) == \
            ("adam", 1.0, "mse")
        assert "learning_rate" not in recipe        # the optimizer's own, see training_settings


def test_trial_recipe_is_shorter_and_keeps_a_smaller_epoch_limit():
    assert trial_recipe(training_recipe(100), 100)["max_epochs"] < 1000
    assert trial_recipe(training_recipe(100), 100)["patience"] < 60
    assert trial_recipe({**training_recipe(100), "max_epochs": 3}, 100)["max_epochs"] == 3
    assert trial_recipe(training_recipe(9000), 9000)["max_epochs"] <= 20


@pytest.mark.parametrize("report, lookback", [
    ({"period": 12, "suggested_lookback": 12}, 12),
    ({"period": None, "suggested_lookback": 3}, 12),
    ({"period": None, "suggested_lookback": 30}, 30),
    ({"period": 365, "suggested_lookback": 90}, 48),
])
def test_choose_lookback(report, lookback):
    chosen, reason = choose_lookback(report["period"], report["suggested_lookback"])
    assert chosen == lookback and reason


def test_transform_candidates():
    assert transform_candidates(None, 100) == ["none", "difference"]
    assert transform_candidates(12, 144) == ["none", "difference", "seasonal_difference"]
    assert transform_candidates(50, 120) == ["none", "difference"]   # under four periods
    assert transform_candidates(12, 144, level_drifts=True) == ["difference",
                                                                 "seasonal_difference"]
    assert transform_candidates(None, 100, level_drifts=True) == ["none", "difference"]
    assert transform_candidates(50, 120, level_drifts=True) == ["none", "difference"]


def test_inputs_own_history_only(seasonal_csv):
    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"]))
    config = project.dataset_config()
    assert input_candidates(config) == ["all", "own"]
    own = own_history_only(config)
    assert [v.name for v in own.inputs] == ["y"]
    assert input_candidates(own) == ["all"]
    assert {v.name: v.role for v in config.variables} == \
        {"month": "time", "y": "input_target", "x": "input", "note": "unused"}


@pytest.mark.parametrize("text, shares", [("60,20,20", (0.6, 0.2, 0.2)),
                                          ("0.7,0.1,0.2", (0.7, 0.1, 0.2))])
def test_parse_split(text, shares):
    assert parse_split(text) == pytest.approx(shares)


@pytest.mark.parametrize("text", ["60,20", "a,b,c", "50,20,20", "-10,60,50"])
def test_parse_split_refuses(text):
    with pytest.raises(EngineError):
        parse_split(text)


def test_parse_when():
    assert parse_when("120") == 120 and parse_when("1989") == 1989
    assert parse_when("1960-01-01") == "1960-01-01"


def test_automatic_project_settings(seasonal_csv):
    project, notes = automatic_project(AutomaticChoices(
        seasonal_csv, ["y"], test_from="2019-01-01", cell="lstm", hidden_sizes=[8],
        max_epochs=5, seed=2))
    config = project.data.config_dict()
    # 84 rows before 2019, 80% of them train: 67 rows for windows of y and x, too few for
    # the season of 12 (engine.data.statistics.lookback_cap)
    assert config["lookback"] == 9 and config["period"] == 12
    assert config["split"] == {"method": "chronological", "fractions": [0.8, 0.2, 0.0],
                               "test_from": "2019-01-01", "seed": 0}
    assert project.architecture.to_dict() == {"cell": "lstm", "hidden_sizes": [8],
                                              "activation": "tanh", "dtype": "float64",
                                              "seed": 2, "linear_path": True}
    assert project.training.to_dict() == {"max_epochs": 5}
    assert any(note.startswith("Lookback 9 (one year of monthly rows, the yearly cycle found "
                               "in the data;") and note.endswith(
        "shortened to 9 so that the 67 training rows give enough windows (at least 3 for each "
        "value a window holds)).") for note in notes)
    assert any(note.startswith("Suggested steps ahead: 9 (a year of monthly rows") and
               "this fit predicts 1 step ahead" in note for note in notes)
    plain, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"]))
    assert plain.data.config_dict()["split"]["fractions"] == [0.6, 0.2, 0.2]


def test_hidden_sizes_are_a_list_of_units_or_one_number(seasonal_csv):
    """One number is one layer, as a project's architecture takes it; text is refused
    (the command line's --hidden parses "64,32" itself), never read digit by digit."""
    for given, units in ((64, [64]), ([64, 32], [64, 32]), ((16,), [16])):
        project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"],
                                                        hidden_sizes=given))
        assert project.architecture.hidden_sizes == units
    for text in ("64", "64,32"):
        with pytest.raises(EngineError, match=r"hidden_sizes must be a list of units per "
                                              r"layer, e.g. \[32\] or \[64, 32\] \(or one "
                                              rf"number for one layer\); got '{text}'"):
            AutomaticChoices(seasonal_csv, ["y"], hidden_sizes=text)


@pytest.mark.parametrize("name, value, least", [
    ("lookback", "12", 1), ("lookback", 12.7, 1), ("lookback", 0, 1), ("horizon", "x", 0),
    ("horizon", 1.0, 0), ("horizon", -1, 0), ("max_epochs", 0, 1), ("seed", "3", 0),
    ("forecast_steps", 2.5, 1)])
def test_automatic_choices_refuse_numbers_they_would_round_or_misread(seasonal_csv, name,
                                                                       value, least):
    """Named with the Python argument when the choices are made, and when a field is set
    on them afterwards; never int("x")'s ValueError, nor 12.7 -> 12."""
    message = rf"^{name} must be a whole number of at least {least}; got {value!r}\.$"
    with pytest.raises(EngineError, match=message):
        AutomaticChoices(seasonal_csv, ["y"], **{name: value})
    choices = AutomaticChoices(seasonal_csv, ["y"])
    setattr(choices, name, value)
    with pytest.raises(EngineError, match=message):
        automatic_project(choices)


def test_automatic_choices_take_a_path_and_one_target_by_name(seasonal_csv):
    import pandas as pd

    with pytest.raises(EngineError, match=r"data_path must be the path of a CSV file \(text "
                                          r"or a pathlib.Path\); got a DataFrame. Save a "
                                          r"table first, e.g. frame.to_csv"):
        AutomaticChoices(pd.read_csv(seasonal_csv), ["y"])
    with pytest.raises(EngineError, match=r"Choose the column\(s\) to predict: targets"):
        automatic_project(AutomaticChoices(seasonal_csv, []))
    project, _ = automatic_project(AutomaticChoices(Path(seasonal_csv), "y"))
    assert [v.name for v in project.data.config.targets] == ["y"]


# -- the examples learning -----------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1])
def test_airline_with_the_defaults_beats_seasonal_naive_and_the_target(seed):
    """A short default fit (at most 100 epochs) on the first example a person tries.

    Measured with full fits over seeds 0-4: differences and lookback 24 chosen by the
    linear backtest, 12-month recursive RMSE 13.2-13.3 (seasonal naive 50.7, ETS 16.9;
    issue 14's target 17.5)."""
    project, _ = automatic_project(AutomaticChoices(
        EXAMPLES / "airline_passengers.csv", ["passengers"], test_from="1960-01-01", seed=seed,
        max_epochs=100))
    result = fit_project(project)
    assert result.config.target_transform in ("difference", "seasonal_difference")
    assert result.members == 5 and result.network.linear_path
    model = Forecaster(result.network, {"preprocessing": result.fitted.to_dict(),
                                       "metadata": result.metadata()})
    evaluation = evaluate_frame(model, result.prepared.table.frame, recursive=True)
    assert evaluation.start_row == 132 and evaluation.scores.count == 12
    seasonal_naive = evaluation.baselines["seasonal_naive"].rmse[0]
    assert seasonal_naive == pytest.approx(50.71, abs=0.01)
    assert evaluation.scores.rmse[0] < 17.5


def test_the_period_and_lookback_are_chosen_without_the_testing_rows(tmp_path):
    """Airline without its time column (so the period comes from the autocorrelation, not
    the calendar), with the testing rows replaced by a loud 3-step sawtooth: the period and
    the lookback the automatic project chooses stay those of the untouched values (they are
    read on the rows before the testing start), although the whole file's period changes."""
    import pandas as pd

    from engine.data import load_table, statistics

    frame = pd.read_csv(EXAMPLES / "airline_passengers.csv")[["passengers"]]
    untouched = tmp_path / "untouched.csv"
    frame.to_csv(untouched, index=False)
    frame.loc[96:, "passengers"] = 300.0 + 5000.0 * (frame.index[96:] % 3)
    changed = tmp_path / "changed.csv"
    frame.to_csv(changed, index=False)
    assert statistics(load_table(changed), targets=["passengers"])["period"] != 12

    chosen = []
    for path in (untouched, changed):
        project, _ = automatic_project(AutomaticChoices(path, ["passengers"], test_from=96))
        config = project.dataset_config()
        chosen.append((config.period, config.lookback))
    assert chosen[0] == chosen[1] and chosen[0][0] == 12
