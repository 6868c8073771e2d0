"""The built-in examples: real data sets from resources/examples, each opened as a project
that is ready to train with settings that suit it."""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from engine.data import DatasetConfig, default_config, load_table
from engine.files import carried_folder
from engine.project.document import load_project, new_project, project_file_name, save_project

RESOURCES = carried_folder("resources", "examples")


@dataclass(frozen=True)
class Example:
    title: str
    description: str
    file: str
    targets: tuple
    settings: dict = field(default_factory=dict)
    inputs: tuple | None = None        # None: every numeric column
    series: str | None = None          # the column naming the series of a table of many
    hidden_sizes: tuple = (16,)


EXAMPLES = {
    "airline": Example(
        "Airline passengers", "Monthly international airline passengers, 1949-1960: trend "
        "and a yearly season. Forecast next month's passengers.",
        "airline_passengers.csv", ("passengers",),
        {"target_transform": "seasonal_difference", "period": 12, "lookback": 12,
         "split": {"method": "chronological", "fractions": [0.6, 0.2, 0.2],
                   "test_from": "1960-01-01", "seed": 0}}),
    "sunspots": Example(
        "Sunspots", "Yearly sunspot numbers, 1700-2008: an irregular cycle of about 11 "
        "years. Predict next year's activity.",
        "sunspots_yearly.csv", ("sunactivity",),
        {"target_transform": "difference", "lookback": 11,
         "split": {"method": "chronological", "fractions": [0.6, 0.2, 0.2],
                   "test_from": 1989, "seed": 0}}),
    "seattle": Example(
        "Seattle weather", "Daily weather in Seattle, 2012-2015. Predict tomorrow's maximum "
        "temperature from the recent weather.",
        "seattle_weather_daily.csv", ("temp_max",), {"lookback": 7}),
    "appliances": Example(
        "Appliances energy", "Energy use of a house's appliances every 10 minutes, with "
        "indoor and outdoor conditions (about 20,000 rows). Predict the next 10 minutes.",
        "appliances_energy_10min.csv", ("Appliances",), {"lookback": 12}, inputs=()),
    "macro": Example(
        "US economy", "Quarterly US macroeconomic series, 1959-2009: twelve inputs of very "
        "different scales. Predict next quarter's unemployment rate.",
        "us_macro_quarterly.csv", ("unemp",), {"lookback": 4}),
    "m4_hourly": Example(
        "Hourly load, 20 series", "Four weeks of hourly values of 20 series from the M4 "
        "forecasting competition, in one table with a column naming the series. One network "
        "learns from all of them and forecasts the next two days of each.",
        "m4_hourly_sample.csv", ("load",),
        {"period": 24, "lookback": 168, "horizon": 48,
         "split": {"method": "chronological", "fractions": [0.6, 0.2, 0.2],
                   "test_from": None, "seed": 0, "test_last": 48}},
        inputs=(), series="series", hidden_sizes=(32,)),
}


def examples_folder():
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".rnn-studio") / "examples"


def example_project(key, folder=None):
    """The example's project file, created on first use in a folder of its own (with a
    copy of the data, so the user may change both). Returns ``(project, path)``."""
    example = EXAMPLES[key]
    folder = Path(folder or examples_folder() / key)
    path = folder / project_file_name(example.title)
    if path.exists():
        return load_project(path), path
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / example.file
    shutil.copyfile(RESOURCES / example.file, data)
    table = load_table(data)
    settings = dict(example.settings)
    lookback = settings.pop("lookback", None)
    config = default_config(table, list(example.targets), lookback=lookback)
    config_dict = config.to_dict()
    config_dict.update(settings)
    if example.inputs is not None:
        for variable in config_dict["variables"]:
            if variable["role"] == "input" and variable["name"] not in example.inputs:
                variable["role"] = "unused"
    for variable in config_dict["variables"]:
        if variable["name"] == example.series:
            variable["role"] = "series"
    project = new_project(example.title, folder, example.description)
    project.set_data_file(data)
    project.data.config = DatasetConfig.from_dict(config_dict)
    project.architecture.cell = "gru"
    project.architecture.hidden_sizes = list(example.hidden_sizes)
    save_project(project, path)
    return project, path
