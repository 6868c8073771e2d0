"""A project of many series: the role "series" and the testing rows in the data-set
settings, the project's settings mapped onto the global fit, the fit saved and recorded
(from the Python API and ``fit --project``), and one series' testing part for a plot."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from engine import EngineError
from engine.cli.main import main
from engine.data import CsvOptions, DatasetConfig, load_table
from engine.many.evaluation import evaluate_global
from engine.many.forecasting import forecast_steps
from engine.many.global_model import GlobalSettings
from engine.many.model_file import load_global_model
from engine.many.project_fit import (SeriesTesting, fit_many_project, is_many_series,
                                     many_series_config, record_many_fit, series_of,
                                     series_testing, settings_of, train_many_project,
                                     with_suggestions)
from engine.project.document import load_project, new_project, save_project
from engine.training.fitting import fit_project
from helpers.many_series import long_frame, seasonal

LENGTHS = {"A": 60, "B": 52, "C": 68}


@pytest.fixture
def project(tmp_path):
    """A project of three seasonal series (season 4) of different lengths, a level each,
    in a long CSV with a text series column and no time column."""
    series = {name: seasonal(n, level=100 * (k + 1), seed=k)
              for k, (name, n) in enumerate(LENGTHS.items())}
    path = tmp_path / "long.csv"
    long_frame(series).to_csv(path, index=False)
    made = new_project("many", tmp_path)
    made.set_data_file(path)
    config, _ = many_series_config(load_table(path), "id", ["y"])
    made.data.config = config
    made.architecture.hidden_sizes = [4]
    made.training.max_epochs = 3
    save_project(made, tmp_path / "many.json")
    return load_project(tmp_path / "many.json")


def test_the_series_role_and_test_last_round_trip_and_two_series_columns_are_refused():
    stored = {"variables": [{"name": "id", "role": "series", "type": "categorical",
                             "scaler": "none"},
                            {"name": "y", "role": "target"}],
              "horizon": 3, "split": {"test_last": 5}}
    config = DatasetConfig.from_dict(stored)
    assert config.series_column == "id" and config.test_last == 5
    again = DatasetConfig.from_dict(config.to_dict())
    assert again == config and again.to_dict()["split"]["test_last"] == 5
    del stored["split"]
    assert DatasetConfig.from_dict(stored).test_last == 3      # none given: the steps ahead
    assert "test_last" not in DatasetConfig.from_dict(stored).to_dict()["split"]
    with pytest.raises(EngineError, match="Only one column can name the series"):
        DatasetConfig.from_dict(stored).with_roles(y="series")
    with pytest.raises(EngineError, match="test_last"):
        DatasetConfig.from_dict({**stored, "split": {"test_last": -1}})


def test_the_suggestions_come_from_the_series(project):
    config = project.dataset_config()
    assert is_many_series(config) and config.series_column == "id"
    assert [v.name for v in config.targets] == ["y"]
    # season 4 found in the series; one season ahead; testing as long as the steps ahead;
    # the lookback four horizons (default_lookback) within what the median series holds
    assert (config.period, config.horizon, config.test_last, config.lookback) == (4, 4, 4, 16)


def test_a_table_of_many_series_gets_the_global_networks_architecture():
    from engine.network.architecture import Architecture
    from engine.many.project_fit import use_global_network
    from engine.many.sizing import LARGE_UNITS

    architecture = Architecture(cell="lstm", hidden_sizes=[8, 8], linear_path=False)
    note = use_global_network(architecture)            # the windows not known yet
    defaults = GlobalSettings(horizon=1)
    assert architecture.cell == defaults.cell == "gru"
    assert architecture.hidden_sizes == list(LARGE_UNITS) == [128]
    assert architecture.linear_path is True
    assert "GRU of 128 units" in note


def test_the_project_settings_reach_the_global_fit(project):
    project.architecture.cell = "lstm"
    project.architecture.linear_path = False
    project.training.learning_rate = 0.01
    project.training.members = 2
    data = series_of(project.table(), project.dataset_config())
    settings, notes = settings_of(project, data)
    assert (settings.cell, settings.hidden_sizes, settings.linear_path) == ("lstm", (4,),
                                                                           False)
    assert (settings.learning_rate, settings.members, settings.max_epochs) == (0.01, 2, 3)
    assert (settings.horizon, settings.test_last, settings.season, settings.lookback) == \
        (4, 4, 4, 16)
    assert settings.series_column == "id" and notes == []
    assert data.ids == ["A", "B", "C"] and list(data.lengths) == [60, 52, 68]


def test_a_fit_is_saved_recorded_and_scored_as_the_engine_scores_it(project, tmp_path):
    fit, path = train_many_project(project, model_path=tmp_path / "m.npz")
    record_many_fit(project, fit, path)
    save_project(project, tmp_path / "many.json")
    reopened = load_project(tmp_path / "many.json")
    results = reopened.results.to_dict()
    assert results["training"]["kind"] == "many_series"
    assert results["training"]["series"] == 3
    assert len(results["training"]["history"]["epoch"]) == results["training"]["epochs"]
    assert results["testing"] == {"last": 4}
    model = load_global_model(path)
    again = evaluate_global(model, fit.data, 4).summary()
    for method, row in again.items():
        assert results["comparison"]["summary"][method]["smape"] == pytest.approx(
            row["smape"])
    assert results["scores"]["testing"]["targets"]["y"]["owa"] == pytest.approx(
        again["network"]["owa"])
    assert reopened.model_file() == path
    # the series column made unused: one series, and a model of many cannot be tested on it
    from engine.testing.analysis import analyze_project

    reopened.data.config = reopened.dataset_config().with_roles(id="unused")
    with pytest.raises(EngineError, match="trained on a table of many series, and the data "
                                          "set now holds one"):
        analyze_project(reopened)


def test_the_single_series_fit_refuses_a_project_of_many(project):
    with pytest.raises(EngineError, match="names many series"):
        fit_project(project)


def test_no_target_is_a_clear_error(project):
    config = project.dataset_config().with_roles(y="unused")
    with pytest.raises(EngineError, match="Choose a target"):
        series_of(project.table(), config)


def test_one_series_testing_part_is_the_models_forecast_from_before_it(project):
    fit = fit_many_project(project)
    views = series_testing(fit.model, fit.data, 4)
    assert list(views) == ["A", "B", "C"]
    view = views["B"]
    assert view.start == 48 and len(view.values) == 52
    # from the rows before the last 4 (in blocks when the network chosen is recursive)
    cut = fit.data.without_last(4)
    values = forecast_steps(fit.model, cut, 4)[0][1, :, 0]
    assert len(values) == 4
    np.testing.assert_allclose(view.forecast, values)
    if not fit.model.recursive:
        np.testing.assert_allclose(
            values, fit.model.forecast(fit.data, ends=fit.data.lengths - 4)[0][1, :, 0])
    # three series give too few selection windows for a 90% band: unknown (NaN), else
    # around the forecast
    known = np.isfinite(view.lower) & np.isfinite(view.upper)
    assert known.all() == (0.9 not in fit.model.unknown_levels())
    assert np.all(view.lower[known] <= view.forecast[known])
    assert np.all(view.forecast[known] <= view.upper[known])
    np.testing.assert_allclose(view.values, fit.data.history(1))
    assert view.season == int(fit.model.settings["season"]) == 4
    assert view.shown_from() == 0           # 48 rows before the testing part: all shown


def _view(start, steps, season=1):
    """A series' testing part of ``start`` rows before ``steps`` testing rows."""
    values = np.arange(start + steps, dtype=float)
    forecast = np.zeros(steps)
    return SeriesTesting("s", np.arange(start + steps), values, start, forecast, forecast,
                         forecast, season)


def test_a_plot_shows_a_short_series_whole_and_enough_of_a_long_one():
    assert _view(19, 1).shown_from() == 0         # 20 years tested on the last: all 19
    assert _view(60, 1).shown_from() == 0
    assert _view(100, 1).shown_from() == 40       # never fewer than 60 rows before it
    assert _view(912, 48, season=24).shown_from() == 912 - 192   # four testing lengths
    assert _view(500, 4, season=52).shown_from() == 500 - 156    # three seasons


def test_fit_of_a_project_file_on_the_command_line(project, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    model = tmp_path / "cli.npz"
    status = main(["fit", "--project", str(tmp_path / "many.json"), "--out", str(model)],
                  out=out, err=err)
    assert status == 0, err.getvalue()
    text = out.getvalue()
    assert "3 series of 52 to 68 rows" in text and "Naive2" in text
    stored = json.loads((tmp_path / "many.json").read_text())
    assert stored["results"]["training"]["kind"] == "many_series"
    assert load_global_model(model).ids == ["A", "B", "C"]
    frame = pd.read_csv(tmp_path / "long.csv")
    assert len(frame) == sum(LENGTHS.values())           # the data file is left as it was


def test_a_data_file_not_loaded_is_a_clear_error(project):
    with pytest.raises(EngineError, match="not loaded"):
        series_of(None, project.dataset_config())


def test_select_of_one_series_refuses_a_project_of_many(project, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    status = main([str(tmp_path / "many.json") if a == "P" else a
                   for a in ("select", "P", "--method", "neurons")], out=out, err=err)
    assert status != 0 and "names many series" in err.getvalue(), err.getvalue()
    assert "fit --project" in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_backtest_repeats_the_window_the_model_was_fitted_with(project, tmp_path):
    from engine.many.project_fit import trained_settings

    fit, path = train_many_project(project, model_path=tmp_path / "m.npz")
    record_many_fit(project, fit, path)
    data = series_of(project.table(), project.dataset_config())
    settings, _ = trained_settings(project, data)
    assert (settings.lookback, settings.fold) == (fit.model.lookback, fit.model.fold)
    assert settings.steps_at_once == fit.model.horizon          # direct or recursive
    assert project.results.training["fold"] == fit.model.fold
    # the windows per series and the weights' average the fit chose, not "auto" again
    for key in ("windows_per_series", "average_steps"):
        assert project.results.training[key] == fit.model.settings[key] != "auto"
        assert getattr(settings, key) == fit.model.settings[key]
    project.training.max_epochs = 4                        # the model is now out of date
    again = trained_settings(project, data)[0]
    assert again.fold is None and again.block is None
    assert (again.windows_per_series, again.average_steps) == ("auto", "auto")


def test_a_project_may_turn_the_average_off_or_set_it(project):
    from engine.many.project_fit import settings_of

    data = series_of(project.table(), project.dataset_config())
    assert settings_of(project, data)[0].average_steps == "auto"      # left to the fit
    project.training.average_steps = None                              # off, not "auto"
    assert settings_of(project, data)[0].average_steps is None
    project.training.average_steps = 250
    assert settings_of(project, data)[0].average_steps == 250


def test_fit_of_a_project_takes_members_and_refuses_the_data_flags(project, tmp_path):
    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        return main([str(a) for a in argv], out=out, err=err), out.getvalue(), err.getvalue()

    model = tmp_path / "two.npz"
    status, out, err = run("fit", "--project", tmp_path / "many.json", "--members", "2",
                           "--out", model)
    assert status == 0, err
    assert load_global_model(model).settings["members"] == 2
    status, _, err = run("fit", "--project", tmp_path / "many.json", "--season", "4",
                         "--out", model)
    assert status != 0 and err.rstrip().endswith(
        "--season: a project keeps its season and inputs in its data-set settings, and its "
        "window is chosen on the backtest; change the project file, or fit the data file "
        "with --series."), err
    assert "step" not in err


def test_no_season_suggested_is_no_season_in_the_fit(tmp_path):
    """Weekly rows of about two and a half years: two calendar cycles (52) before a season
    of testing rows are not there, so the suggestion is no season (1 row), one step ahead;
    the fit then takes no season too, rather than finding 52 on the rows before one
    testing row (the data page said "none" and the fit repeated 52-week-old values)."""
    lengths = {"A": 130, "B": 140, "C": 120}
    series = {name: seasonal(n, level=100 * (k + 1), seed=k)
              for k, (name, n) in enumerate(lengths.items())}
    times = {name: pd.date_range("2015-01-04", periods=n, freq="W").strftime("%Y-%m-%d")
             for name, n in lengths.items()}
    path = tmp_path / "weekly.csv"
    long_frame(series, times).to_csv(path, index=False)
    # read as the data page reads it: without a time column (its times repeat from
    # series to series), then its one column of dates made the time of each series
    table = load_table(path, CsvOptions(time_column=False))
    config, _ = many_series_config(table, "id", ["y"])
    config, notes = with_suggestions(config.with_roles(t="time"), table)
    assert (config.period, config.horizon, config.test_last) == (1, 1, 1)
    assert any("Season: none" in note for note in notes)
    made = new_project("weekly", tmp_path)
    made.set_data_file(path)
    made.data.config = config
    save_project(made, tmp_path / "weekly.json")
    project = load_project(tmp_path / "weekly.json")
    settings, fit_notes = settings_of(project, series_of(project.table(),
                                                         project.dataset_config()))
    assert settings.season == 1 and fit_notes == []


def test_the_suggested_lookback_is_the_command_lines_in_whole_seasons():
    """Hourly-like series (a season of 24) of about 250 rows: the room before the testing
    rows allows 65 rows, which the command line's fit reads as two days (48, in steps of
    a day); the data page suggests the same, not 65 (read a row at a time)."""
    from engine.many.global_model import window_plan
    from engine.many.project_fit import suggested_choices
    from engine.many.series_data import from_frame

    t = np.arange(250)
    series = {name: 100 * (k + 1) + 20 * np.sin(2 * np.pi * t / 24) + np.random.default_rng(
        k).normal(size=250) for k, name in enumerate("ABC")}
    data = from_frame(long_frame(series), "id", ["y"])
    choices = suggested_choices(data)
    assert (choices["period"], choices["horizon"], choices["test_last"]) == (24, 24, 24)
    settings = GlobalSettings(horizon=24, test_last=24, season=24)
    lookback, fold = window_plan(settings, data.lengths - 24 - 24)
    assert choices["lookback"] == lookback == 48 and fold == 24



def _run(*argv):
    """``(status, stdout, stderr)`` of the command line run in this process."""
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def regions(tmp_path):
    """A long CSV of three monthly series (columns id, month, y) with a static column
    ``region``."""
    from helpers.many_series import monthly_csv

    path = monthly_csv(tmp_path / "sales.csv", {"A": (60, "2018-01-01"),
                                                "B": (52, "2018-05-01"),
                                                "C": (68, "2017-09-01")})
    frame = pd.read_csv(path)
    frame["region"] = frame["id"].map({"A": "north", "B": "south", "C": "north"})
    frame.to_csv(path, index=False)
    return path


def test_fit_of_many_series_writes_the_project_of_its_choices(regions, tmp_path):
    """``fit DATA --series`` writes beside the model, as a fit of one series does, the
    project the pages hold for the same choices, recorded with the model; ``report`` and
    ``fit --project`` go on from it (the docs' ``fit --project sales.json``)."""
    from engine.many.project_fit import static_columns
    from engine.project.model_status import CURRENT, model_belongs, model_status

    status, out, err = _run("fit", regions, "--series", "id", "--target", "y", "--static",
                            "region", "--test-last", "6", "--hidden", "4", "--epochs", "2",
                            "--members", "1", "--seed", "3", "--out", tmp_path / "sales.npz")
    assert status == 0, err
    assert f"Project written to {tmp_path / 'sales.json'}" in out
    project = load_project(tmp_path / "sales.json")
    config = project.dataset_config()
    model = load_global_model(tmp_path / "sales.npz")
    assert (config.series_column, config.time_column) == ("id", "month")
    assert [v.name for v in config.targets] == ["y"] and static_columns(config) == ["region"]
    assert (config.period, config.horizon, config.test_last, config.lookback) == \
        (12, 6, 6, model.lookback)
    assert project.model_file() == tmp_path / "sales.npz"
    assert model_status(project) == CURRENT and model_belongs(project, project.model_file())
    settings, _ = settings_of(project, series_of(project.table(), config))
    for key in ("horizon", "test_last", "season", "lookback", "cell", "linear_path",
                "members", "max_epochs", "seed", "series_column", "time_column"):
        assert getattr(settings, key) == model.settings[key], key
    assert settings.hidden_sizes == (4,) and settings.static_columns == ("region",)
    status, _, err = _run("report", tmp_path / "sales.json", "--out", tmp_path / "r.html")
    assert status == 0, err
    status, out, err = _run("fit", "--project", tmp_path / "sales.json", "--out",
                            tmp_path / "again.npz")
    assert status == 0, err
    assert "Testing: the last 6 steps of 3 series" in out
    assert load_global_model(tmp_path / "again.npz").settings["static_columns"] == ["region"]


def test_fit_of_a_project_of_many_series_names_it_as_given(regions, tmp_path, monkeypatch):
    """``fit --project sales.json`` names the project as given, as a fit of one series
    does, not by its absolute path."""
    monkeypatch.chdir(tmp_path)
    fast = ("--hidden", "4", "--epochs", "1", "--members", "1")
    status, out, err = _run("fit", regions.name, "--series", "id", "--target", "y", *fast,
                            "--out", "sales.npz")
    assert status == 0, err
    assert out.endswith("Model written to sales.npz\nProject written to sales.json\n"), out
    status, out, err = _run("fit", "--project", "sales.json", "--epochs", "1", "--out",
                            "again.npz")
    assert status == 0, err
    assert out.endswith("Model written to again.npz\nProject written to sales.json\n"), out


def test_fit_of_many_series_writes_the_project_given_or_says_why_it_cannot(regions,
                                                                           tmp_path):
    """``--project P.json`` names the project file; the series column read as static (a
    project gives a column one role) writes none and says so, and is refused with
    ``--project``, before the fit."""
    fast = ("--series", "id", "--target", "y", "--hidden", "4", "--epochs", "1",
            "--members", "1")
    status, out, err = _run("fit", regions, *fast, "--project", tmp_path / "p.json",
                            "--out", tmp_path / "m.npz")
    assert status == 0, err
    assert f"Project written to {tmp_path / 'p.json'}" in out
    assert load_project(tmp_path / "p.json").dataset_config().series_column == "id"
    assert not (tmp_path / "m.json").exists()
    status, out, err = _run("fit", regions, *fast, "--static", "id", "--out",
                            tmp_path / "s.npz")
    assert status == 0, err
    assert "No project written: the series column 'id' is read as a static input" in out
    assert "Project written" not in out and not (tmp_path / "s.json").exists()
    status, _, err = _run("fit", regions, *fast, "--static", "id", "--project",
                          tmp_path / "q.json", "--out", tmp_path / "q.npz")
    assert status != 0 and "--project: the series column 'id'" in err
    assert not (tmp_path / "q.npz").exists() and not (tmp_path / "q.json").exists()


def test_fit_of_many_series_asks_once_whether_a_project_can_hold_it(regions, tmp_path,
                                                                    monkeypatch):
    """The command line decides it before the data file is read, and its note says why
    from that one answer."""
    import engine.many.new_project as new_project

    asked, ask = [], new_project.not_in_a_project
    monkeypatch.setattr(new_project, "not_in_a_project",
                        lambda settings: asked.append(settings.static_columns) or ask(settings))
    status, out, err = _run("fit", regions, "--series", "id", "--target", "y", "--hidden", "4",
                            "--epochs", "1", "--members", "1", "--static", "id", "--out",
                            tmp_path / "s.npz")
    assert status == 0, err
    assert asked == [("id",)]
    assert "No project written: the series column 'id' is read as a static input, and a " \
        "project gives a column one role (the series)." in out
