"""One lookback rule: the data page's suggestion (engine.data.statistics) is the lookback the
automatic pipeline (the command line's fit) chooses, with the same reason, on every example
data set."""

import shutil

import pytest

from engine.data import load_table
from engine.data.statistics import page_statistics
from engine.training.automatic import AutomaticChoices, automatic_project
from helpers.examples import EXAMPLES

TARGETS = {"airline_passengers.csv": "passengers", "sunspots_yearly.csv": "sunactivity",
           "seattle_weather_daily.csv": "temp_max", "appliances_energy_10min.csv": "Appliances",
           "us_macro_quarterly.csv": "unemp"}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_data_page_suggests_the_automatic_lookback(tmp_path, name):
    data = tmp_path / name
    shutil.copyfile(EXAMPLES / name, data)
    project, notes = automatic_project(AutomaticChoices(data, [TARGETS[name]]))
    config = project.dataset_config()
    shown = page_statistics(load_table(data), TARGETS[name], config.lookback,
                            config=config)                      # as the data page does
    assert shown.suggested == config.lookback
    assert f"Lookback {shown.suggested} ({shown.reason})." in notes
