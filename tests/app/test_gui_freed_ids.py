"""Pages that keep what they worked out for a table or a project tell the next one apart
even when it gets the ``id()`` of one freed before it: Python gives a freed object's id to
the next object made, so a check keyed on ids took new data for the data before."""

import gc

import numpy as np
import pandas as pd

from engine.data import load_table

TRIES = 30


def years_table(column, first):
    """A loaded table of 60 yearly rows from ``first``, its time column named ``column``."""
    years = float(first) + np.arange(60)
    return load_table(pd.DataFrame({column: years, "sunactivity": np.sin(years)}))


def test_the_training_plot_is_over_the_times_of_the_table_loaded_now(window):
    """Step 4's plot of the selection rows takes its x positions (the years) from the table
    loaded now, not from a freed table whose frame had the same id."""
    assert window.open_example("sunspots")
    page, session = window.pages[3], window.session
    column = session.project.data.config.time_column
    rows = np.arange(10, 40)
    ids, keys = set(), set()
    for k in range(TRIES):
        session.table = years_table(column, 1000 + 100 * k)
        ids.add(id(session.table.frame))
        x = page._preview_positions(rows)
        assert list(x) == list(session.table.frame[column].iloc[rows]), k
        keys.add(page._positions[0])        # what tells the positions of one table
        session.table = None
        gc.collect()
    assert len(ids) < TRIES                 # id() was given again
    assert len(keys) == TRIES
