"""The seasonal naive baseline at the season the data show: a weekly season of daily data
gets it in the evaluation and the testing analysis, also for a model without a season
length of its own, and its lag is 7."""

import numpy as np
import pandas as pd
import pytest

from engine.data import load_table
from engine.model.model_file import load_model
from engine.testing.analysis import analyze_model
from engine.testing.baselines import naive_guesses
from engine.testing.evaluation import evaluate_frame
from helpers.projects import trained_project


@pytest.fixture(scope="module")
def daily_csv(tmp_path_factory):
    rng = np.random.default_rng(0)
    t = np.arange(420)
    y = 100 + 8 * (t % 7 >= 5) + rng.standard_normal(t.size) + \
        0.3 * rng.standard_normal(t.size).cumsum()
    path = tmp_path_factory.mktemp("daily") / "daily.csv"
    pd.DataFrame({"day": pd.date_range("2022-01-03", periods=t.size, freq="D")
                  .strftime("%Y-%m-%d"), "sales": np.round(y, 3)}).to_csv(path, index=False)
    return path


def _forget_the_season(project):
    project.data.config.period = None            # as a project made on the data page


@pytest.mark.parametrize("change", [None, _forget_the_season])
def test_daily_data_with_a_weekly_season_get_the_seasonal_naive_at_lag_7(daily_csv, tmp_path,
                                                                        change):
    project, _, _ = trained_project(daily_csv, tmp_path, targets=("sales",), change=change,
                                    test_from="2023-01-01", max_epochs=2, hidden_sizes=[2])
    model = load_model(project.model_file())
    assert model.preprocessing.period == (None if change else 7)
    frame = model.read_csv(daily_csv)
    evaluation = evaluate_frame(model, frame)
    levels = frame[["sales"]].to_numpy(dtype=float)
    rows = evaluation.rows
    guess = naive_guesses(levels, rows, rows - 1, 7)[:, 0]
    rmse = np.sqrt(np.mean((guess - levels[rows, 0]) ** 2))
    assert evaluation.baselines["seasonal_naive"].rmse[0] == pytest.approx(rmse)
    analysis = analyze_model(model, frame)
    assert analysis.period == 7 and analysis.direct_baselines[0]["seasonal_naive"] is not None


def test_the_backtest_folds_get_the_seasonal_naive_at_the_detected_season(daily_csv):
    from engine.testing.backtest import project_plan
    from engine.training.automatic import AutomaticChoices, automatic_project

    project, _ = automatic_project(AutomaticChoices(daily_csv, ["sales"],
                                                    test_from="2023-01-01"))
    project.data.config.period = None            # as a project made on the data page
    plan = project_plan(project, 2, table=load_table(daily_csv))
    assert plan.context["period"] == 7
