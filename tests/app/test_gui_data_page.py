"""The data page says what its settings do: the split boxes give way to "Testing from",
the season length is the one the data show (or says there is none), and the target values
that missing-value handling makes up are counted, with the choice to leave those rows out."""

import numpy as np
import pandas as pd
import pytest

from helpers.projects import untrained_project


def _open(window, qtbot, tmp_path):
    assert window.open_project(untrained_project(tmp_path, "alpha"))   # 96 monthly rows
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    return page


def test_testing_from_greys_out_the_split_boxes_and_shows_the_real_shares(
        window, dialogs, gui, qtbot, tmp_path):
    page = _open(window, qtbot, tmp_path)
    set_shares = list(window.session.config().split.fractions)
    assert all(spin.isEnabled() for spin in page.fractions)
    page.test_from.setText("row 86")
    page.test_from.editingFinished.emit()
    counts = window.session.data_check()[1].counts
    total = sum(counts.values())
    assert not any(spin.isEnabled() for spin in page.fractions)
    shown = [spin.value() for spin in page.fractions]
    assert shown == [round(100 * counts[part] / total)
                     for part in ("training", "selection", "testing")]
    assert shown[2] < 20                                   # not the 20 % set before
    tip = page.fractions[2].toolTip()
    assert "testing start decides" in tip and f"testing {counts['testing']}" in tip
    page.lookback.setValue(5)                              # another edit keeps the shares
    assert list(window.session.config().split.fractions) == set_shares
    page.test_from.setText("")
    page.test_from.editingFinished.emit()
    assert all(spin.isEnabled() for spin in page.fractions)
    assert [spin.value() for spin in page.fractions] == [round(100 * s) for s in set_shares]
    for spin, share in zip(page.fractions, (70, 15, 15)):  # shares typed stay as typed
        spin.setValue(share)
    assert [spin.value() for spin in page.fractions] == [70, 15, 15]
    assert [round(f, 3) for f in window.session.config().split.fractions] == [0.7, 0.15, 0.15]


def _page_with(window, gui, qtbot, tmp_path, frame, target):
    """A new project on ``frame`` (written as a CSV, imported as detected) with ``target``
    to predict; the data page once its statistics are shown."""
    csv = tmp_path / f"{target}.csv"
    frame.to_csv(csv, index=False)
    project_page, page = window.pages[:2]
    window.new_project()
    project_page.name.setText(target)
    project_page.folder.setText(str(tmp_path / "project"))
    project_page.create_button.click()
    assert page.import_file(str(csv), dialog_factory=gui.accepting_import_dialog)
    gui.set_role(page, target, "input_target")
    qtbot.waitUntil(lambda: page.statistics is not None
                    and page.statistics.target == target, timeout=10000)
    return page


def _daily(values):
    return pd.DataFrame({"day": pd.date_range("2022-01-03", periods=len(values), freq="D")
                         .strftime("%Y-%m-%d"), "sales": np.round(values, 3)})


def test_the_season_length_is_the_weekly_season_found_in_daily_data(
        window, dialogs, gui, qtbot, tmp_path):
    rng = np.random.default_rng(0)
    t = np.arange(420)
    y = 100 + 8 * (t % 7 >= 5) + rng.standard_normal(t.size) + \
        0.3 * rng.standard_normal(t.size).cumsum()
    page = _page_with(window, gui, qtbot, tmp_path, _daily(y), "sales")
    assert page.statistics.period == 7
    assert page.period.value() == 7 and page.period.text() == "7" and page.period.isEnabled()
    assert "Found in the data: 7 rows, one week of daily rows." in page.period.toolTip()
    qtbot.waitUntil(lambda: window.session.config().period == 7,   # a new target's
                    timeout=10000)                                  # season is stored
    assert "one week of daily rows, the weekly cycle found in the data" in \
        page.suggestion.text()


def test_without_a_season_the_box_says_none_was_found(window, dialogs, gui, qtbot, tmp_path):
    y = 100 + np.random.default_rng(4).standard_normal(420).cumsum()
    page = _page_with(window, gui, qtbot, tmp_path, _daily(y), "sales")
    assert page.statistics.period is None
    assert page.period.text() == "none found"
    assert "No season found in the data" in page.period.toolTip()
    page.lookback.setValue(9)                              # another edit stores no season
    assert window.session.config().period is None
    page.period.setValue(7)                                # one the person sets is kept
    assert window.session.config().period == 7


def test_the_lookback_of_hourly_data_is_a_day_in_words(window, dialogs, gui, qtbot, tmp_path):
    rng = np.random.default_rng(1)
    times = pd.date_range("2023-03-01", periods=24 * 50, freq="h")
    load = 5 * np.sin(2 * np.pi * times.hour / 24) + rng.standard_normal(times.size)
    frame = pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M"), "load": load})
    page = _page_with(window, gui, qtbot, tmp_path, frame, "load")
    assert page.statistics.suggested == 24
    assert "<b>24</b> (one day of hourly rows, the daily cycle found in the data)" in \
        page.suggestion.text()
    assert page.period.value() == 24


def test_the_page_counts_the_target_values_made_up_and_can_leave_their_rows_out(
        window, dialogs, gui, qtbot, tmp_path):
    rng = np.random.default_rng(2)
    y = 100 + rng.standard_normal(300).cumsum()
    y[[0, 40, 41, 42, 200]] = np.nan                  # the first one has no neighbour before
    page = _page_with(window, gui, qtbot, tmp_path, _daily(y), "sales")
    assert window.session.config().missing == "interpolate"
    assert page.missing_row.isVisible() and page.leave_out.isVisible()
    assert page.missing_note.text() == "5 empty, <b>4 made up</b>"
    assert page.missing_note.toolTip() == ("5 empty target values: <b>4 made up</b> by "
                                           "interpolation, 1 left out with its row.")
    page.leave_out.click()
    assert window.session.config().missing == "drop"
    assert page.missing.currentData() == "drop" and not page.leave_out.isVisible()
    assert page.missing_note.text() == "5 empty target values: their rows are left out."
    page.missing.setCurrentIndex(page.missing.findData("mean"))
    assert page.missing_note.text() == "5 empty, <b>5 made up</b>"
    assert page.missing_note.toolTip() == ("5 empty target values: <b>5 made up</b> with "
                                           "the training rows' mean.")


def test_no_note_without_empty_target_values(window, dialogs, gui, qtbot, tmp_path):
    page = _open(window, qtbot, tmp_path)
    assert not page.missing_row.isVisible()


def test_a_testing_start_stored_as_a_number_survives_other_edits(window, dialogs, gui,
                                                                   qtbot, tmp_path):
    """A row number stored by `rnn-studio fit --test-from 86` shows as "row 86" and stays
    that number when another setting changes and changes back: no error, and the model
    is up to date again."""
    from engine.project.document import load_project, save_project
    from engine.project.model_status import CURRENT, model_status, stamp_fingerprint

    path = untrained_project(tmp_path, "alpha")
    project = load_project(path)
    config = project.dataset_config()
    config.split.test_from = 86
    project.data.config = config
    stamp_fingerprint(project)            # as a fit would: the model is of these settings
    save_project(project, path)
    assert window.open_project(path)
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    assert page.test_from.text() == "row 86"
    lookback = page.lookback.value()
    page.lookback.setValue(lookback + 1)
    assert window.session.config().split.test_from == 86
    assert "The data set is ready." in page.problems.text()
    page.lookback.setValue(lookback)
    assert window.session.config().split.test_from == 86
    # the settings are those stamped again (the project has no model file: step 4 says so)
    assert model_status(window.session.project) == CURRENT


def test_a_year_stored_as_the_testing_start_stays_a_year(window, dialogs, gui, qtbot):
    assert window.open_example("sunspots")
    assert window.go_to_step(1)
    qtbot.waitUntil(lambda: window.pages[1].statistics is not None, timeout=10000)
    year = window.session.config().split.test_from
    window.pages[1].lookback.setValue(window.pages[1].lookback.value() + 1)
    assert window.session.config().split.test_from == year
    assert type(window.session.config().split.test_from) is type(year)


def test_shares_of_nothing_keep_the_shares_before_and_say_so(window, dialogs, gui, qtbot,
                                                            semicolon_csv, tmp_path):
    page = gui.new_data_project(window, tmp_path / "z", semicolon_csv)
    gui.set_role(page, "Temperatur", "input_target")
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    before = window.session.config().split.fractions
    for spin in page.fractions:
        spin.setValue(0)
    shown = tuple(spin.value() / 100 for spin in page.fractions)
    assert shown == pytest.approx(before)
    assert tuple(window.session.config().split.fractions) == pytest.approx(before)
    assert "cannot all be 0" in page.problems.text()


def _summary_row(page, qtbot, name):
    """The row of the variable ``name`` once its statistics are shown."""
    row = next(r for r in range(page.variables.rowCount())
               if page.variables.item(r, 0).text() == name)
    qtbot.waitUntil(lambda: page.variables.item(row, 6) is not None
                    and page.variables.item(row, 6).text() != "", timeout=10000)
    return row


def test_the_summary_shows_large_values_in_whole_numbers(window, dialogs, gui, qtbot,
                                                         tmp_path):
    """The summary columns showed 11,317 as "1.13e+04"; now as the other tables do."""
    y = 9000 + 2000 * np.sin(np.arange(120) * 2 * np.pi / 12)
    y[5] = 11317.0
    page = _page_with(window, gui, qtbot, tmp_path, _daily(y), "sales")
    row = _summary_row(page, qtbot, "sales")
    shown = [page.variables.item(row, column).text() for column in range(4, 9)]
    assert shown[2] == "11317"                                  # the maximum
    assert not any("e+" in text for text in shown), shown


def test_the_summary_shows_counts_and_the_data_s_values_without_trailing_zeros(
        window, dialogs, gui, qtbot, tmp_path):
    """The statistics of the data are not scores: no missing value reads "0", a minimum
    "0" and a maximum "12", not "0.000" and "12.00" as the tables of scores show
    their figures; the mean to 4 significant digits."""
    y = np.tile([0.0, 0.0, 3.0, 12.0, 5.5, 0.5], 20)
    page = _page_with(window, gui, qtbot, tmp_path, _daily(y), "sales")
    row = _summary_row(page, qtbot, "sales")
    shown = [page.variables.item(row, column).text() for column in range(4, 8)]
    assert shown == ["0", "0", "12", "3.5"]
    assert "minimum 0, maximum 12, mean 3.5" in page.variables.item(row, 0).toolTip()


def test_the_file_line_names_the_file_and_its_folder_is_in_the_tooltip(window):
    """The line above the variables names the data file, not its whole path, which wrapped
    over several lines of a 1000-pixel window; the tooltip holds the path."""
    assert window.open_example("sunspots")
    label = window.pages[1].file_label
    path = window.session.project.data_file()
    assert label.text().startswith(f"<b>{path.name}</b>: ") and str(path.parent) not in \
        label.text()
    assert label.toolTip() == str(path)


def test_a_year_and_a_quarter_in_two_columns_are_the_time_with_a_season_of_four(
        window, dialogs, gui, qtbot, tmp_path):
    k = np.arange(80)
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"year": 1980.0 + (k + 1) // 4, "quarter": (k + 1) % 4 + 1.0,
                          "gdp": np.round(100 + k + 6 * ((k + 1) % 4 == 3)
                                          + rng.standard_normal(k.size), 3)})
    page = _page_with(window, gui, qtbot, tmp_path, frame, "gdp")
    roles = {page.variables.item(row, 0).text(): page.variables.cellWidget(row, 2)
             .currentData() for row in range(page.variables.rowCount())}
    assert roles == {"year-quarter": "time", "year": "unused", "quarter": "unused",
                     "gdp": "input_target"}
    assert window.session.config().time_column == "year-quarter"
    assert page.statistics.period == 4
    assert "Found in the data: 4 rows, one year of quarterly rows." in page.period.toolTip()
