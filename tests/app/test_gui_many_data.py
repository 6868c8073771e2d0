"""Steps 2 and 3 for a table of many series: the built-in example shows its 20 series (the
figures, the histogram and the picker), a picked series is plotted with its own values, the
role "Series" turns a long table into many series with the settings suggested for them,
settings that leave no training rows are said, and the step marks follow; a project saved
and opened again keeps whether step 3's units were set by hand (those the page set follow
step 2's settings, those set on step 3 are kept; a file written before this was stored
takes units that are the default for its windows as the page's)."""

import json

import numpy as np
import pandas as pd
import pytest

from app.session import DONE, LOCKED, TODO


def _open_example(window, qtbot):
    assert window.open_example("m4_hourly")
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: not page.runner.running, timeout=10000)
    return page


def _long_frame(series=4, rows=(150, 160, 170, 180)):
    """A long table: a column naming the series, a weekly-seasonal value, one row per
    series and step (no time column)."""
    rng = np.random.default_rng(0)
    parts = []
    for number, length in zip(range(series), rows):
        t = np.arange(length)
        values = 50 + 10 * number + 5 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.3, length)
        parts.append(pd.DataFrame({"shop": f"shop{number}", "sales": np.round(values, 3)}))
    return pd.concat(parts, ignore_index=True)


def _new_project(window, gui, tmp_path, frame):
    """A new project whose data are ``frame`` (written as a CSV, imported as detected);
    the data page."""
    csv = tmp_path / "shops.csv"
    frame.to_csv(csv, index=False)
    return gui.new_data_project(window, tmp_path / "project", csv)


def test_the_example_shows_its_20_series_and_a_picked_series_is_plotted(
        window, dialogs, qtbot):
    page = _open_example(window, qtbot)
    assert page.plots.currentWidget() is page.series_view
    assert page.analysis.currentWidget() is page.many_panel
    figures = page.many_panel.overview.figures.text()
    assert "20 series" in figures and "700" in figures and "14,000" in figures
    bars = page.many_panel.overview.bars.opts["height"]
    assert int(np.sum(bars)) == 20
    needed = page.many_panel.overview.needed_line           # says what it marks on the plot
    assert needed.isVisible() and needed.label.format.strip() == "fewest rows needed"
    picker = page.series_view.picker
    names = [picker.itemData(i) for i in range(picker.count())]
    assert len(names) == 20 and names[0] == "H1"
    data = window.session.data_check()[1].data
    first = page.series_view.curves["training"].yData       # all of it, not the view's
    assert np.allclose(first, data.history(0)[:len(first)])
    assert picker.choose(names[5])
    redrawn = page.series_view.curves["training"].yData
    assert np.allclose(redrawn, data.history(5)[:len(redrawn)])
    assert not np.allclose(redrawn, first)
    testing = page.series_view.curves["testing"].yData
    assert len(testing) == 48 and np.allclose(testing, data.history(5)[-48:])
    assert "H" in page.series_view.plot.getPlotItem().titleLabel.text


def test_the_settings_of_one_series_give_way_to_the_testing_rows_of_every_series(
        window, dialogs, qtbot):
    page = _open_example(window, qtbot)
    assert page.test_last_row.isVisibleTo(page) and page.test_last.value() == 48
    for hidden in (page.test_from, page.fractions[0], page.missing):
        assert not hidden.isVisibleTo(page)
    assert not page.transform.isEnabled()
    assert "does not apply" in page.transform.toolTip()
    assert not page.variables.cellWidget(1, 3).isEnabled()          # the scaler
    assert "for every series" in page.horizon.toolTip() and page.horizon.minimum() == 1
    assert "each series is scaled" in page.period.toolTip()
    page.test_last.setValue(30)
    assert window.session.config().split.test_last == 30
    assert len(page.series_view.curves["testing"].getData()[1]) == 30


def test_testing_rows_that_leave_nothing_to_train_on_are_said_and_mark_the_step(
        window, dialogs, qtbot):
    page = _open_example(window, qtbot)
    assert window.session.step_states()[1:4] == [DONE, DONE, TODO]
    assert "ready" in page.problems.text()
    page.horizon.setValue(24)                   # typed, as the lookback: they stay as the
    page.lookback.setValue(168)                 # testing rows change
    page.test_last.setValue(700)
    assert "leaves no rows to train on" in page.problems.text()
    assert "longest series has 700 rows" in page.problems.text()
    assert window.session.step_states()[1:4] == [TODO, LOCKED, LOCKED]
    assert "no rows to train on" in page.test_last.toolTip()
    page.test_last.setValue(500)                # rows left, but not for a window of 168
    assert "No series is long enough" in page.problems.text()
    page.lookback.setValue(24)
    assert "ready" in page.problems.text()
    assert window.session.step_states()[1:4] == [DONE, DONE, TODO]


def test_no_target_is_said(window, dialogs, gui, qtbot):
    page = _open_example(window, qtbot)
    gui.set_role(page, "load", "unused")
    assert "Choose a target" in page.problems.text()
    assert window.session.step_states()[2] == LOCKED


def test_role_series_turns_a_long_table_into_many_series_with_the_suggested_settings(
        window, dialogs, gui, qtbot, tmp_path):
    page = _new_project(window, gui, tmp_path, _long_frame())
    gui.set_role(page, "sales", "input_target")
    assert window.session.config().series_column is None
    assert page.plots.currentWidget() is page.variable_view
    gui.set_role(page, "shop", "series")
    config = window.session.config()
    assert config.series_column == "shop"
    assert (config.period, config.horizon, config.test_last) == (7, 7, 7)
    assert config.lookback >= 14 and config.target_transform == "none"
    assert (page.period.value(), page.horizon.value(), page.test_last.value(),
            page.lookback.value()) == (7, 7, 7, config.lookback)
    assert "Season: 7 rows" in page.many_panel.notes.text()
    assert "4 series" in page.many_panel.overview.figures.text()
    assert page.series_view.picker.count() == 4
    assert "150 rows" in page.series_view.picker.itemText(0)      # lengths differ
    assert "ready" in page.problems.text()
    assert window.session.step_states()[1] == DONE
    architecture = window.session.project.architecture
    assert (architecture.cell, architecture.hidden_sizes) == ("gru", [32])   # 444 windows
    assert "a GRU of 32 units, for the 444 training windows of the series." in \
        page.many_panel.notes.text()


def test_the_network_note_stays_when_the_target_is_chosen_after_the_series(
        window, dialogs, gui, qtbot, tmp_path):
    """The series column first: the suggestions wait for a target; choosing it fills them
    in and keeps the note that step 3 was set for many series."""
    page = _new_project(window, gui, tmp_path, _long_frame())
    gui.set_role(page, "sales", "unused")
    gui.set_role(page, "shop", "series")
    assert "Choose a target" in page.problems.text()
    gui.set_role(page, "sales", "input_target")
    assert window.session.config().period == 7
    assert "Season: 7 rows" in page.many_panel.notes.text()
    # the units follow the windows of the settings suggested once the target is known
    assert "GRU of 32 units, for the 444 training windows" in page.many_panel.notes.text()
    assert window.session.project.architecture.hidden_sizes == [32]
    gui.set_role(page, "shop", "unused")                 # one series again: the note goes
    gui.set_role(page, "shop", "series")
    assert page.many_panel.notes.text().count("GRU of 32 units") == 1


def test_the_units_follow_the_training_windows_of_the_settings_until_set_on_step_3(
        window, dialogs, gui, qtbot, tmp_path):
    """26 series of 260 rows give 5,200 training windows (128 units); the testing rows,
    the lookback and the steps ahead set on step 2 afterwards change the windows, and the
    units and their note follow them, until the units are set on step 3: those are kept,
    and the note says so and what the windows would take."""
    page = _new_project(window, gui, tmp_path, _long_frame(26, (260,) * 26))
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    architecture = window.session.project.architecture
    assert architecture.hidden_sizes == [128]
    assert "GRU of 128 units, for the 5,200 training windows" in page.many_panel.notes.text()
    page.test_last.setValue(40)           # and as many steps ahead: 2,418 windows
    assert architecture.hidden_sizes == [32]
    notes = page.many_panel.notes.text()
    assert "GRU of 32 units, for the 2,418 training windows" in notes and "128" not in notes
    page.test_last.setValue(7)
    assert architecture.hidden_sizes == [128]
    page.lookback.setValue(42)                              # 4,992 windows
    assert architecture.hidden_sizes == [32]
    assert "for the 4,992 training windows" in page.many_panel.notes.text()
    page.lookback.setValue(28)
    assert architecture.hidden_sizes == [128]
    assert window.go_to_step(2)
    window.pages[2].units[0].setValue(64)                   # set by hand on step 3
    assert window.go_to_step(1)
    page.horizon.setValue(14)
    assert architecture.hidden_sizes == [64]
    notes = page.many_panel.notes.text()
    assert "keeps the 64 units set there; the global network's default for the " in notes
    assert "GRU of" not in notes
    windows = window.session.data_check()[1].windows
    assert f"default for the {windows:,} training windows of the series is 32." in notes


def test_a_table_back_to_one_series_gets_its_own_settings_again(
        window, dialogs, gui, qtbot, tmp_path):
    page = _new_project(window, gui, tmp_path, _long_frame())
    gui.set_role(page, "sales", "input_target")
    page.lookback.setValue(5)
    page.horizon.setValue(2)
    window.session.project.architecture.hidden_sizes = [16]
    before = window.session.config()
    one = (before.lookback, before.horizon, before.period, before.target_transform,
           before.split.fractions, before.split.test_last)
    gui.set_role(page, "shop", "series")
    many = window.session.config()
    assert (many.lookback, many.horizon, many.split.test_last) != one[:2] + (one[-1],)
    assert window.session.project.architecture.hidden_sizes == [32]
    gui.set_role(page, "shop", "unused")
    after = window.session.config()
    assert after.series_column is None
    assert (after.lookback, after.horizon, after.period, after.target_transform,
            after.split.fractions, after.split.test_last) == one
    assert (page.lookback.value(), page.horizon.value()) == (5, 2)
    assert window.session.project.architecture.hidden_sizes == [16]



def test_a_table_back_to_many_series_gets_its_own_settings_again(
        window, dialogs, gui, qtbot, tmp_path):
    """Many series, one (with another column's role changed meanwhile), and many again by
    the same column: the settings of many series and step 3's network come back as they
    were set, not suggested anew, as those of one series do."""
    frame = _long_frame()
    frame["price"] = np.round(frame["sales"] / 10, 2)
    page = _new_project(window, gui, tmp_path, frame)
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "price", "unused")
    gui.set_role(page, "shop", "series")
    page.lookback.setValue(30)
    page.horizon.setValue(3)
    page.test_last.setValue(5)
    page.period.setValue(14)
    architecture = window.session.project.architecture
    architecture.cell, architecture.hidden_sizes = "lstm", [32, 16]
    assert window.go_to_step(2) and window.go_to_step(1)    # the note on the units kept
    assert "keeps the 32 + 16 units set there" in page.many_panel.notes.text()
    before = window.session.config()
    many = (before.lookback, before.horizon, before.period, before.target_transform,
            before.split.test_last, before.split.test_from)
    notes = page.many_panel.notes.text()
    gui.set_role(page, "shop", "unused")
    assert window.session.config().series_column is None
    assert architecture.hidden_sizes != [32, 16]
    gui.set_role(page, "price", "input")
    gui.set_role(page, "price", "unused")
    gui.set_role(page, "shop", "series")
    after = window.session.config()
    assert after.series_column == "shop"
    assert (after.lookback, after.horizon, after.period, after.target_transform,
            after.split.test_last, after.split.test_from) == many
    assert (page.lookback.value(), page.horizon.value(), page.test_last.value(),
            page.period.value()) == (30, 3, 5, 14)
    assert (architecture.cell, architecture.hidden_sizes) == ("lstm", [32, 16])
    assert page.many_panel.notes.text() == notes
    assert "ready" in page.problems.text()

def test_the_dates_of_a_long_table_become_the_time_of_every_series(
        window, dialogs, gui, qtbot, tmp_path):
    frame = _long_frame()
    frame["day"] = frame.groupby("shop").cumcount().map(
        lambda row: (pd.Timestamp("2024-01-01") + pd.Timedelta(days=row)).date().isoformat())
    page = _new_project(window, gui, tmp_path, frame)     # read without a time column
    assert window.session.table.time_column is None
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    config = window.session.config()
    assert config.time_column == "day" and config.period == 7
    assert "the calendar's" in page.many_panel.notes.text()
    assert page.series_view.plot.getAxis("bottom").labelText == "date"
    assert page.series_view.plot.getAxis("left").labelText == "sales"    # not "value"
    assert "ready" in page.problems.text()
    gui.set_role(page, "shop", "unused")        # one series again: the dates repeat, so
    config = window.session.config()             # they are no time column, as before
    assert config.time_column is None
    assert page.variables.cellWidget(2, 2).currentData() == "unused"
    assert "not in increasing order" not in page.problems.text()


def test_a_second_series_column_takes_the_role_from_the_first(
        window, dialogs, gui, qtbot, tmp_path):
    frame = _long_frame()
    frame.insert(1, "region", frame["shop"].str.replace("shop", "region"))
    page = _new_project(window, gui, tmp_path, frame)
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    gui.set_role(page, "region", "series")
    config = window.session.config()
    assert config.series_column == "region"
    assert config.variable("shop").role == "unused"
    assert page.variables.cellWidget(0, 2).currentData() == "unused"
    assert "ready" in page.problems.text()


def test_the_architecture_counts_the_weights_of_the_network_of_many_series(
        window, dialogs, qtbot):
    from engine.many.global_model import global_windows
    from engine.many.project_fit import settings_of
    from engine import RecurrentNetwork

    _open_example(window, qtbot)
    assert window.go_to_step(2)
    page = window.pages[2]
    data = window.session.data_check()[1].data
    settings, _ = settings_of(window.session.project, data)
    windows = global_windows(data, settings)
    hidden = window.session.project.architecture.hidden_sizes
    assert hidden == [32]
    network = RecurrentNetwork(cell="gru", n_inputs=windows.n_inputs, hidden_sizes=hidden,
                               n_outputs=windows.n_outputs, linear_path=True,
                               lookback=windows.X.shape[1])
    assert f"{network.n_parameters:,}" in page.parameters.text()
    assert page.many_note.isVisibleTo(page) and "20 series" in page.many_note.text()
    page.cell.setCurrentIndex(page.cell.findData("rnn"))
    assert not page.activation.isEnabled()


def test_the_start_page_lists_the_example_of_many_series_and_opens_it(
        window, dialogs, qtbot):
    from PySide6.QtWidgets import QPushButton

    buttons = [b for b in window.findChildren(QPushButton)
               if b.text() == "Hourly load, 20 series"]
    assert len(buttons) == 1
    buttons[0].click()
    assert window.session.is_many_series()
    assert window.session.config().series_column == "series"


def test_the_settings_are_suggested_once_a_target_is_chosen_after_the_series_column(
        window, dialogs, gui, qtbot, tmp_path):
    frame = _long_frame()
    frame["price"] = np.round(frame["sales"] / 10, 2)      # two numbers: no target yet
    page = _new_project(window, gui, tmp_path, frame)
    assert not window.session.config().targets
    gui.set_role(page, "shop", "series")
    assert "Choose a target" in page.problems.text()
    assert window.session.config().split.test_last is None          # nothing suggested
    gui.set_role(page, "sales", "input_target")
    config = window.session.config()
    assert (config.period, config.horizon, config.test_last) == (7, 7, 7)
    assert window.session.data_check()[1].data.input_names == ["price"]
    assert "ready" in page.problems.text()


def test_leaving_the_series_role_gives_the_page_of_one_series_back(
        window, dialogs, gui, qtbot):
    page = _open_example(window, qtbot)
    gui.set_role(page, "series", "unused")
    assert not window.session.is_many_series()
    assert page.plots.currentWidget() is page.variable_view
    assert page.analysis.currentWidget() is not page.many_panel
    assert page.fractions[0].isVisibleTo(page) and page.transform.isEnabled()
    assert not page.test_last_row.isVisibleTo(page)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=10000)
    assert page.variables.cellWidget(1, 3).isEnabled()               # the scaler


def test_a_new_project_after_the_example_shows_no_series_of_it(window, dialogs, qtbot,
                                                                tmp_path):
    page = _open_example(window, qtbot)
    project_page = window.pages[0]
    window.new_project()
    project_page.name.setText("Empty")
    project_page.folder.setText(str(tmp_path / "empty"))
    project_page.create_button.click()
    assert window.go_to_step(1)
    assert page.plots.currentWidget() is page.variable_view
    assert page.series_view.picker.count() == 0
    assert not page.test_last_row.isVisibleTo(page)


def test_the_steps_explain_many_series_for_a_table_of_many(window):
    window.open_example("m4_hourly")
    texts = [frame.explanation.text() for frame in window.frames]
    assert "role <b>Series</b>" in texts[1] and "every series" in texts[5]
    assert "<b>backtest</b>" in texts[4] and "table of series" in texts[6]
    assert texts[2] == window.frames[2].step.explanation        # the same for both kinds
    window.open_example("airline")
    assert "persistence" in window.frames[5].explanation.text()
    assert "Series" not in window.frames[1].explanation.text()


def test_the_training_windows_say_the_fit_may_take_every_window(window, dialogs, qtbot):
    page = _open_example(window, qtbot)
    summary = window.session.data_check()[1]
    test_last = int(summary.settings.test_last)
    every = np.clip(summary.data.lengths - test_last - summary.needed + 1, 0, None)
    assert summary.counts["training"] == int(np.minimum(every, 200).sum()) < every.sum()
    notes = page.many_panel.notes.text()
    assert f"training {summary.counts['training']:,}," in notes
    testing = summary.counts["testing"]          # one forecast a series, not one a row
    assert testing == len(summary.data.ids) - len(summary.short)
    assert (f"testing {testing:,} (one forecast of its last "
            f"{summary.settings.test_last} rows a series).") in notes
    assert (f"Training windows: the latest 200 of each series, or all {int(every.sum()):,} "
            "when a first network stops learning within 10 epochs") in notes


def test_what_the_settings_leave_out_is_said_first_and_the_notes_scroll(window, dialogs,
                                                                       gui, tmp_path):
    """A series too short for a window: that note comes first among the notes (at the
    window's first size they are longer than the room below the histogram), and the
    notes scroll instead of being cut off."""
    from PySide6.QtWidgets import QScrollArea

    t = np.arange(300)
    frames = [pd.DataFrame({"store": name, "load": 100 * (k + 1) + 10 * np.sin(t[:n] / 3)})
              for k, (name, n) in enumerate([("a", 300), ("b", 280), ("c", 260), ("d", 30)])]
    path = tmp_path / "stores.csv"
    pd.concat(frames).to_csv(path, index=False)
    page = gui.new_data_project(window, tmp_path / "p", path, name="Stores")
    gui.set_role(page, "store", "series")
    notes = page.many_panel.notes.text().split("<br>")
    assert notes[0].startswith("Windows: ")
    short = next(k for k, note in enumerate(notes) if "(e.g. 'd') has fewer" in note)
    season = next(k for k, note in enumerate(notes) if note.startswith("Season:"))
    assert short < season
    area = page.many_panel.notes.parent().parent()
    assert isinstance(area, QScrollArea) and area.widgetResizable()


def test_a_year_column_of_a_table_of_many_series_becomes_its_time(window, dialogs, gui,
                                                                   tmp_path):
    frame = _long_frame(rows=(40, 40, 45, 50))
    frame.insert(1, "year", np.concatenate([1950 + np.arange(n) for n in (40, 40, 45, 50)]))
    page = _new_project(window, gui, tmp_path, frame)
    assert window.session.table.time_column is None           # the years repeat
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    config = window.session.config()
    assert config.time_column == "year"
    from engine.many.project_fit import series_of

    data = series_of(window.session.table, config)
    assert data.time_column == "year" and data.times.iloc[-1] == 1999


def test_series_named_na_and_none_are_series_of_their_own(window, dialogs, gui, tmp_path):
    """A shop named NA (or None) is a series as the file writes it, not an empty cell."""
    frame = _long_frame()
    frame["shop"] = frame["shop"].replace({"shop0": "NA", "shop1": "None"})
    page = _new_project(window, gui, tmp_path, frame)
    assert window.session.table.frame["shop"].isna().sum() == 0
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    picker = page.series_view.picker
    assert [picker.itemData(i) for i in range(picker.count())] == \
        ["NA", "None", "shop2", "shop3"]
    assert "150 rows" in picker.itemText(0) and "160 rows" in picker.itemText(1)


def test_the_season_note_goes_when_the_season_is_set_by_hand(window, dialogs, gui, qtbot,
                                                             tmp_path):
    """'Season: none found' was said beside a season of 52 set by hand; it is said again
    when the box is back at the season it was said of."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"shop": np.repeat([f"shop{n}" for n in range(4)], 160),
                          "sales": np.round(rng.normal(50, 3, 640), 3)})
    page = _new_project(window, gui, tmp_path, frame)
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    assert window.session.config().period == 1                  # none found
    assert "Season: none found." in page.many_panel.notes.text()
    page.period.setValue(52)
    assert window.session.config().period == 52
    assert "Season:" not in page.many_panel.notes.text()
    assert "GRU of 32 units" in page.many_panel.notes.text()      # the other note stays
    page.period.setValue(1)
    assert "Season: none found." in page.many_panel.notes.text()


def test_the_network_note_of_one_step_ahead_says_the_next_step(
        window, dialogs, gui, qtbot, tmp_path):
    """Steps ahead 1: step 3's note on the global network says it gives "the next step"
    (it said "all 1 steps ahead at once"); more steps are "all 7 steps ahead at once"."""
    page = _new_project(window, gui, tmp_path, _long_frame())
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    architecture = window.pages[2]
    assert window.go_to_step(2)
    assert "it gives all 7 steps ahead at once." in architecture.many_note.text()
    assert window.go_to_step(1)
    page.horizon.setValue(1)
    assert window.go_to_step(2)
    note = architecture.many_note.text()
    assert "it gives the next step." in note and "1 steps" not in note


def test_empty_rows_at_the_end_are_left_out_of_the_testing_rows(
        window, dialogs, gui, qtbot, tmp_path):
    """A long table made from a wide one whose last two years are not yet published: the
    last rows of every series are empty. The testing rows are counted from each series'
    last known value, as the fit scores them and a forecast starts there (testing on the
    last 2 rows was refused; on the last 3 only one was scored); the note says so in the
    words of the command line, and the plot's testing part holds known values."""
    frame = _long_frame()
    frame.loc[frame.groupby("shop").tail(2).index, "sales"] = np.nan
    page = _new_project(window, gui, tmp_path, frame)
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    page.test_last.setValue(2)
    assert "ready" in page.problems.text()
    assert window.session.step_states()[2] == DONE
    notes = page.many_panel.notes.text()
    assert ("8 rows without a known target at the end of 4 series (2 each) are left out: "
            "each series is tested on the last 2 rows with a value") in notes
    assert "testing 4 (one forecast of its last 2 rows a series)." in notes
    testing = page.series_view.curves["testing"].getData()[1]
    values = window.session.data_check()[1].data.history(0)
    assert len(testing) == 2 and np.allclose(testing, values[-4:-2])


def test_a_testing_part_of_one_row_is_drawn_as_a_point_under_a_legend_of_one_line(
        window, dialogs, gui, qtbot, tmp_path):
    """Series of 20 yearly rows, the last one for testing: the testing part's single row
    is marked (a line of one point is not drawn), a part of many rows is a line alone, and
    the legend's three parts fit in one line above the plot at 1000x680 (its two lines
    took half of the small plot)."""
    frame = _long_frame(series=3, rows=(20, 20, 120))
    frame.insert(1, "year", np.concatenate([1935 + np.arange(n) for n in (20, 20, 120)]))
    window.resize(1000, 680)
    page = _new_project(window, gui, tmp_path, frame)
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    page.test_last.setValue(1)
    view = page.series_view
    assert view.picker.choose("shop0")
    qtbot.wait(50)
    assert list(view.curves["testing"].getData()[0]) == [1954.0]
    assert view.curves["testing"].opts["symbol"] == "o"
    assert view.curves["training"].opts["symbol"] == "o"       # 18 rows: points too
    assert view.plot.getPlotItem().legend.rowCount == 1
    assert view.picker.choose("shop2")
    assert view.curves["training"].opts["symbol"] is None      # 118 rows: a line
    assert view.curves["testing"].opts["symbol"] == "o"


def test_series_of_one_length_are_said_to_have_that_many_rows_each(window, dialogs, gui,
                                                                   tmp_path):
    """Step 2's figures above the histogram in the words of the fit's Data line: "3 series
    of 20 rows each" (it said "shortest 20, median 20, longest 20"); lengths that differ by
    their range and median."""
    page = _new_project(window, gui, tmp_path, _long_frame(series=3, rows=(20, 20, 20)))
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    assert page.many_panel.overview.figures.text() == \
        "3 series of 20 rows each, 60 rows in all."
    (tmp_path / "other").mkdir()
    page = _new_project(window, gui, tmp_path / "other", _long_frame())
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    assert page.many_panel.overview.figures.text() == \
        "4 series of 150 to 180 rows (median 165), 660 rows in all."


def test_the_testing_rows_follow_the_steps_ahead_until_set_by_hand(window, dialogs, gui,
                                                                   tmp_path):
    """As ``fit --series`` tests the last H rows by default, the testing rows follow the
    steps ahead (they stayed at 1 when the steps ahead went from 1 to 5); once set by hand
    they are kept, also in the project opened again; "Use suggested settings" makes them
    follow again."""
    page = _new_project(window, gui, tmp_path, _long_frame())
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    page.horizon.setValue(1)
    assert page.test_last.value() == 1
    page.horizon.setValue(5)
    assert page.test_last.value() == 5 and window.session.config().test_last == 5
    assert len(page.series_view.curves["testing"].getData()[1]) == 5
    assert window.save() and window.open_project(window.session.path)
    page = window.pages[1]
    page.horizon.setValue(6)                        # it still follows when opened again
    assert page.test_last.value() == 6 and window.session.config().test_last == 6
    page.test_last.setValue(3)                      # set by hand: kept
    page.horizon.setValue(8)
    assert page.test_last.value() == 3 and window.session.config().test_last == 3
    assert window.save() and window.open_project(window.session.path)
    page = window.pages[1]
    assert page.test_last.value() == 3
    page.horizon.setValue(9)
    assert page.test_last.value() == 3 and window.session.config().test_last == 3
    page.many_panel.suggest.click()                 # suggested: following again
    page.horizon.setValue(4)
    assert page.test_last.value() == 4 and window.session.config().test_last == 4


def _command_line_choices(data, test_last, horizon=None):
    """``(horizon, lookback)`` that ``fit --series --test-last N [--horizon H]`` takes for
    ``data``: its defaults (:func:`engine.many.cli.settings_from_args`' calls) and the
    lookback its fit starts from (:func:`engine.many.global_model.choice_window`)."""
    from engine.many.choices import default_choices
    from engine.many.global_model import GlobalSettings, choice_window

    season, _, horizon, test_last = default_choices(data, test_last, None, horizon)
    settings = GlobalSettings(horizon=horizon, test_last=test_last, season=season)
    return horizon, choice_window(settings, data)[0]


def test_the_steps_ahead_and_lookback_follow_the_testing_rows_as_the_command_line_takes_them(
        window, dialogs, gui, tmp_path):
    """20 hourly series: 48 testing rows make the steps ahead 48 and the lookback 168, as
    ``fit --series --test-last 48`` takes them (they stayed at 24 and 96, and step 6
    scored the first 24 of the 48 rows); steps ahead typed are kept and the lookback
    follows them, a lookback typed is kept."""
    from app.examples import RESOURCES
    from engine.many.project_fit import series_of

    csv = tmp_path / "m4.csv"
    csv.write_bytes((RESOURCES / "m4_hourly_sample.csv").read_bytes())
    page = gui.new_data_project(window, tmp_path / "project", csv)
    gui.set_role(page, "load", "input_target")
    gui.set_role(page, "series", "series")
    data = series_of(window.session.table, window.session.config())
    assert (page.horizon.value(), page.lookback.value()) == _command_line_choices(data, None)
    page.test_last.setValue(48)
    config = window.session.config()
    assert (config.horizon, config.lookback) == _command_line_choices(data, 48) == (48, 168)
    assert (page.horizon.value(), page.lookback.value()) == (48, 168)
    page.horizon.setValue(12)                       # typed: kept; the lookback follows
    page.test_last.setValue(36)
    config = window.session.config()
    assert (config.horizon, config.lookback) == _command_line_choices(data, 36, 12)
    assert config.horizon == 12 and config.test_last == 36
    page.lookback.setValue(30)                      # typed: kept
    page.test_last.setValue(24)
    config = window.session.config()
    assert (config.horizon, config.lookback, config.test_last) == (12, 30, 24)


def test_series_too_short_for_a_window_are_said_in_counted_words():
    """1 step ahead and 1 row to test on: "the last row" and "1 step ahead to train on",
    not "(the last 1)" and "1 steps"."""
    from app.pages.many_data_check import ManySummary, _window_problems
    from engine.many.global_model import GlobalSettings
    from engine.many.series_data import from_frame
    from helpers.many_series import long_frame

    data = from_frame(long_frame({"a": np.arange(1.0, 9.0), "b": np.arange(1.0, 8.0)}),
                      "id", ["y"])
    settings = GlobalSettings(horizon=1, test_last=1, lookback=8, season=1)
    [problem] = _window_problems(ManySummary({}, data), settings)
    assert problem.startswith("No series is long enough: before the last row, kept for "
                              "testing, a series needs ")
    assert "one window of 8 rows, the rows its first window reads before it and 1 step " \
        "ahead to train on and 1 to select on; the longest has 7." in problem


def _saved_and_opened(window, qtbot, without_key=False):
    """The project saved, opened again (from a file without ``units_by_hand`` when
    ``without_key``); the data page shown."""
    path = window.session.path
    assert window.save()
    if without_key:
        document = json.loads(path.read_text(encoding="utf-8"))
        del document["architecture"]["units_by_hand"]
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert window.open_project(path) and window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: not page.runner.running, timeout=10000)
    return page


def _many_series(window, gui, tmp_path):
    """26 series of 260 rows: 5,200 training windows, 128 units."""
    page = _new_project(window, gui, tmp_path, _long_frame(26, (260,) * 26))
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    assert window.session.project.architecture.hidden_sizes == [128]
    return page


def test_units_the_page_set_follow_the_lookback_after_saving_and_opening(
        window, dialogs, gui, qtbot, tmp_path):
    _many_series(window, gui, tmp_path)
    page = _saved_and_opened(window, qtbot)
    architecture = window.session.project.architecture
    assert architecture.hidden_sizes == [128] and architecture.units_by_hand is False
    page.lookback.setValue(42)                              # 4,992 windows
    assert architecture.hidden_sizes == [32]
    assert "GRU of 32 units, for the 4,992 training windows" in page.many_panel.notes.text()
    page.lookback.setValue(28)
    assert architecture.hidden_sizes == [128]


def test_units_set_on_step_3_are_kept_after_saving_and_opening(
        window, dialogs, gui, qtbot, tmp_path):
    _many_series(window, gui, tmp_path)
    assert window.go_to_step(2)
    window.pages[2].units[0].setValue(64)
    page = _saved_and_opened(window, qtbot)
    architecture = window.session.project.architecture
    assert architecture.units_by_hand is True
    page.lookback.setValue(42)
    assert architecture.hidden_sizes == [64]
    assert "keeps the 64 units set there" in page.many_panel.notes.text()


def test_a_file_without_the_mark_follows_only_with_the_default_units(
        window, dialogs, gui, qtbot, tmp_path):
    _many_series(window, gui, tmp_path)
    page = _saved_and_opened(window, qtbot, without_key=True)
    architecture = window.session.project.architecture
    assert architecture.units_by_hand is None or architecture.units_by_hand is False
    page.lookback.setValue(42)
    assert architecture.hidden_sizes == [32]
    architecture.hidden_sizes = [48]            # as a file of units set by hand holds them
    page = _saved_and_opened(window, qtbot, without_key=True)
    architecture = window.session.project.architecture
    page.lookback.setValue(28)
    assert architecture.hidden_sizes == [48]
    assert "keeps the 48 units set there" in page.many_panel.notes.text()


def test_a_year_and_a_quarter_become_the_time_of_every_series_as_fit_reads_them(
        window, dialogs, gui, qtbot, tmp_path):
    """5 firms of 40 quarters written as a year and a quarter, whose pairs repeat from firm
    to firm: the role Series builds the time year-quarter as ``fit --series`` does (the
    same times, the calendar's season), the project opened again keeps it, and one series
    again gives the table and the two columns' roles back."""
    from engine.many.series_data import DETECT, load_series
    from engine.many.project_fit import series_of

    k, firm = np.tile(np.arange(40), 5), np.repeat(np.arange(5), 40)
    path = tmp_path / "firms.csv"
    pd.DataFrame({"firm": [f"F{f}" for f in firm], "year": 1990 + k // 4,
                  "quarter": k % 4 + 1, "value": 10 + firm + np.sin(np.pi * k / 2) + k / 20}
                 ).to_csv(path, index=False)
    page = gui.new_data_project(window, tmp_path / "p", path, name="Firms")
    gui.set_role(page, "value", "input_target")
    gui.set_role(page, "firm", "series")
    config = window.session.config()
    assert (config.time_column, config.period) == ("year-quarter", 4)
    assert [(spec.name, spec.role) for spec in config.variables[:4]] == [
        ("year-quarter", "time"), ("firm", "series"), ("year", "unused"),
        ("quarter", "unused")]
    assert page.variables.item(0, 0).text() == "year-quarter"
    notes = page.many_panel.notes.text()
    assert "read together as the time column 'year-quarter'" in notes
    assert "Season: 4 rows, the calendar's" in notes
    assert "ready" in page.problems.text()
    read = load_series(path, "firm", ["value"], time_column=DETECT)
    shown = series_of(window.session.table, config)
    assert read.time_column == shown.time_column == "year-quarter"
    assert shown.times.equals(read.times) and shown.times.iloc[-1] == pd.Timestamp("1999-10-01")
    gui.set_role(page, "firm", "unused")
    assert [(spec.name, spec.role) for spec in window.session.config().variables] == [
        ("firm", "unused"), ("year", "input"), ("quarter", "input"), ("value", "input_target")]
    assert page.variables.rowCount() == 4
    gui.set_role(page, "firm", "series")
    assert window.session.config().time_column == "year-quarter"
    page = _saved_and_opened(window, qtbot)
    assert window.session.config().time_column == "year-quarter"
    assert window.session.table.frame["year-quarter"].iloc[39] == pd.Timestamp("1999-10-01")
    assert "ready" in page.problems.text()
    gui.set_role(page, "firm", "unused")
    config = window.session.config()
    assert "year-quarter" not in [spec.name for spec in config.variables]
    assert "year-quarter" not in window.session.table.frame.columns
    assert "ready" in page.problems.text()


def _firms_csv(tmp_path, firms=5):
    """``firm,year,quarter,value``: ``firms`` firms of 40 quarters whose (year, quarter)
    pairs repeat from firm to firm (one firm: the file is one series)."""
    k, firm = np.tile(np.arange(40), firms), np.repeat(np.arange(firms), 40)
    path = tmp_path / "firms.csv"
    pd.DataFrame({"firm": [f"F{f}" for f in firm], "year": 1990 + k // 4,
                  "quarter": k % 4 + 1, "value": 10 + firm + np.sin(np.pi * k / 2) + k / 20}
                 ).to_csv(path, index=False)
    return path


def _counted_reads(monkeypatch):
    """The calls of the project's reader of its data file, from now on."""
    import engine.project.document as document

    reads, real = [], document.load_table

    def counted(*args, **kwargs):
        reads.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(document, "load_table", counted)
    return reads


def test_a_project_of_many_series_opened_says_its_time_is_a_year_and_a_quarter(
        window, dialogs, gui, qtbot, tmp_path):
    page = gui.new_data_project(window, tmp_path / "p", _firms_csv(tmp_path), name="Firms")
    gui.set_role(page, "value", "input_target")
    gui.set_role(page, "firm", "series")
    page = _saved_and_opened(window, qtbot)
    assert "read together as the time column 'year-quarter'" in page.many_panel.notes.text()
    gui.set_role(page, "firm", "unused")
    gui.set_role(page, "firm", "series")
    assert "read together as the time column 'year-quarter'" in page.many_panel.notes.text()


@pytest.mark.parametrize("firms", [5, 1])
def test_one_series_again_reads_the_data_file_no_more(window, dialogs, gui, qtbot, tmp_path,
                                                      monkeypatch, firms):
    """The Series role taken back from a project of many series opened again (the time
    year-quarter built for them), or from a file of one series whose reading built it:
    the table is made from the one held, not read again."""
    page = gui.new_data_project(window, tmp_path / "p", _firms_csv(tmp_path, firms),
                                name="Firms")
    gui.set_role(page, "value", "input_target")
    gui.set_role(page, "firm", "series")
    page = _saved_and_opened(window, qtbot)
    reads = _counted_reads(monkeypatch)
    gui.set_role(page, "firm", "unused")
    assert reads == []
    table = window.session.table
    assert ("year-quarter" in table.frame.columns) == (firms == 1)
    assert [spec.name for spec in window.session.config().variables] == \
        list(table.frame.columns)
    assert "ready" in page.problems.text()


def _typed_back(window, gui, tmp_path):
    """``(page, horizon, lookback)``: a new project of many series whose steps ahead and
    lookback were typed away from the values they would follow and back to them."""
    page = _new_project(window, gui, tmp_path, _long_frame())
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    horizon, lookback = page.horizon.value(), page.lookback.value()
    page.horizon.setValue(horizon + 1)
    page.horizon.setValue(horizon)                  # typed: the value it would follow
    page.lookback.setValue(lookback + 1)
    page.lookback.setValue(lookback)
    return page, horizon, lookback


def test_steps_ahead_and_a_lookback_typed_at_their_automatic_values_stay_when_reopened(
        window, dialogs, gui, tmp_path):
    """Steps ahead and a lookback typed back to the values they would follow stay fixed in
    the project opened again when the testing rows change: the project keeps which were
    typed (they followed the testing rows again, as nothing said they were typed)."""
    page, horizon, lookback = _typed_back(window, gui, tmp_path)
    assert window.session.project.data.typed == ["horizon", "lookback"]
    assert window.save()
    stored = json.loads(window.session.path.read_text(encoding="utf-8"))
    assert stored["data"]["typed"] == ["horizon", "lookback"]
    assert window.open_project(window.session.path)
    page = window.pages[1]
    page.test_last.setValue(horizon + 3)
    config = window.session.config()
    assert (config.horizon, config.lookback, config.test_last) == (horizon, lookback,
                                                                   horizon + 3)
    assert (page.horizon.value(), page.lookback.value()) == (horizon, lookback)


def test_the_settings_typed_stay_typed_through_one_series_and_back(window, dialogs, gui,
                                                                  tmp_path):
    """Many series, one series again, many again: the steps ahead and the lookback come
    back as they were and the project still says they were typed, so that they do not
    follow the testing rows changed afterwards; new suggestions (another series column)
    clear both the values and the typed list."""
    page, horizon, lookback = _typed_back(window, gui, tmp_path)
    gui.set_role(page, "shop", "unused")            # one series
    gui.set_role(page, "shop", "series")            # many again
    assert window.session.project.data.typed == ["horizon", "lookback"]
    page.test_last.setValue(horizon + 3)
    config = window.session.config()
    assert (config.horizon, config.lookback) == (horizon, lookback)
    page.many_panel.suggest.click()                 # suggested again: nothing typed
    assert window.session.project.data.typed == []


def test_a_setting_typed_in_a_later_version_stays_in_the_list_when_another_is_typed(
        window, gui, tmp_path):
    """A name of ``typed`` this version does not know (a later version's, kept from the
    file opened) stays in the project's list when the person types the lookback: the page
    adds what was typed after what the list holds, it does not write it anew from its
    own names."""
    page = _new_project(window, gui, tmp_path, _long_frame())
    gui.set_role(page, "sales", "input_target")
    gui.set_role(page, "shop", "series")
    window.session.project.data.typed = ["season"]
    page.lookback.setValue(page.lookback.value() + 1)
    assert window.session.project.data.typed == ["season", "lookback"]
