"""The Python calls that take a model take its file's path too, and those of many series
the path of the data file, read as the model was trained on it."""

import numpy as np

from engine.deploy.forecasting import forecast
from engine.deploy.predicting import predictions_table
from engine.many.evaluation import evaluate_targets
from engine.many.forecasting import forecast_frame
from engine.many.model_file import load_global_model
from engine.model.model_file import load_model
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project, save_fit


def test_a_model_file_path_serves_as_the_model(seasonal_csv, tmp_path):
    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"],
                                                    test_from="2019-01-01", max_epochs=1,
                                                    lookback=4))
    project.selection.settings = {}
    path = tmp_path / "m.npz"
    save_fit(fit_project(project), path)
    by_path, loaded = forecast(path, seasonal_csv, 3), forecast(load_model(path),
                                                                 seasonal_csv, 3)
    np.testing.assert_array_equal(by_path.values, loaded.values)
    table, appended, _ = predictions_table(path, seasonal_csv)
    assert appended == 1 and len(table) == 97


def test_a_global_model_and_its_data_by_path_with_the_columns_it_was_read_with(tmp_path):
    from engine.many.fitting import fit_global
    from engine.many.global_model import GlobalSettings
    from engine.many.model_file import save_global_model
    from engine.many.series_data import load_series
    from helpers.many_series import long_frame, seasonal

    csv = tmp_path / "long.csv"
    long_frame({"A": seasonal(40), "B": seasonal(44, level=300, seed=2)}).to_csv(csv,
                                                                                 index=False)
    data = load_series(csv, "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=2, test_last=2, season=4, lookback=8,
                                            hidden_sizes=(4,), max_epochs=1, members=1))
    assert (model.settings["series_column"], model.settings["time_column"]) == ("id", None)
    path = tmp_path / "m.npz"
    save_global_model(path, model)
    frame, _ = forecast_frame(path, csv, 2)
    expected, _ = forecast_frame(load_global_model(path), data, 2)
    assert frame.equals(expected)
    assert evaluate_targets(path, csv, 2)[0].summary() == evaluate_targets(
        model, data, 2)[0].summary()
