"""One lookback rule: the data page's suggestion (engine.data.statistics) is the lookback the
automatic pipeline (the command line's fit) chooses, on every example data set."""

import shutil

import pytest

from engine.data import load_table
from engine.data.statistics import automatic_lookback, detect_period
from engine.training.automatic import AutomaticChoices, automatic_project
from helpers.examples import EXAMPLES

TARGETS = {"airline_passengers.csv": "passengers", "sunspots_yearly.csv": "sunactivity",
           "seattle_weather_daily.csv": "temp_max", "appliances_energy_10min.csv": "Appliances",
           "us_macro_quarterly.csv": "unemp"}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_data_page_suggests_the_automatic_lookback(tmp_path, name):
    data = tmp_path / name
    shutil.copyfile(EXAMPLES / name, data)
    project, _ = automatic_project(AutomaticChoices(data, [TARGETS[name]]))
    table = load_table(data)
    values = table.frame[TARGETS[name]].to_numpy(dtype=float)     # as the data page does
    suggested = automatic_lookback(values, detect_period(values, table.time_step()))
    assert suggested == project.data.config.lookback
