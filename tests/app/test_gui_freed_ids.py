"""Pages that keep what they worked out for a table or a project tell the next one apart
even when it gets the ``id()`` of one freed before it: Python often gives a freed object's id to
the next object made, so a check keyed on ids took new data for the data before."""

import gc

import numpy as np
import pandas as pd

from engine.data import load_table
from engine.project.model_status import settings_fingerprint

TRIES = 30


def years_table(column, first):
    """A loaded table of 60 yearly rows from ``first``, its time column named ``column``."""
    years = float(first) + np.arange(60)
    return load_table(pd.DataFrame({column: years, "sunactivity": np.sin(years)}))


def test_the_training_plot_is_over_the_times_of_the_table_loaded_now(window, monkeypatch):
    """Step 4's plot of the selection rows takes its x positions (the years) from the table
    loaded now, not from a freed table whose frame had the same id (every id the same
    here, as the page's module sees them, so that a key on ids would collide for sure)."""
    from app.pages import training_page

    monkeypatch.setattr(training_page, "id", lambda thing: 1, raising=False)
    assert window.open_example("sunspots")
    page, session = window.pages[3], window.session
    column = session.project.data.config.time_column
    rows = np.arange(10, 40)
    keys = set()
    for k in range(TRIES):
        session.table = years_table(column, 1000 + 100 * k)
        x = page._preview_positions(rows)
        assert list(x) == list(session.table.frame[column].iloc[rows]), k
        keys.add(page._positions[0])        # what tells the positions of one table
        session.table = None
        gc.collect()
    assert len(keys) == TRIES


def stored_backtest(project, owa):
    """A backtest of one origin whose network scored ``owa`` in every measure, kept in
    ``project`` as made with its settings of now."""
    from app.pages.many_selection import METHODS

    summary = {name: {"smape": owa, "mase": owa, "owa": owa} for name, _ in METHODS}
    project.selection.backtest = {
        "origins": [{"origin": 1, "series_scored": 20, "summary": summary}],
        "mean": summary, "fingerprint": settings_fingerprint(project)}
    return project


def test_the_backtest_shown_is_the_one_the_project_opened_now_keeps(qtbot, tmp_path,
                                                                     monkeypatch):
    """Step 5's backtest of many series shows what the project opened now keeps, not the
    backtest of a freed project whose ``id()`` (and its table's) the new ones were given:
    here every object is given the same id, as Python gives a freed one's to the next."""
    import app.pages.many_selection as many_selection
    from app.examples import example_project
    from app.session import ProjectSession
    from engine.project.document import load_project

    monkeypatch.setattr(many_selection, "id", lambda thing: 1, raising=False)
    _, path = example_project("m4_hourly", folder=tmp_path)
    session = ProjectSession()
    panel = many_selection.ManySelectionPanel(session)
    qtbot.addWidget(panel)
    for owa in (0.5, 0.9):
        session.project = stored_backtest(load_project(path), owa)
        session.table = load_table(session.project.data_file())
        panel.refresh()
        assert panel.result["mean"]["network"]["owa"] == owa
        assert panel.table.item(1, 2).text() == f"{owa:.4f}"  # 0.5000, as tables show
        session.project = session.table = None
        gc.collect()
