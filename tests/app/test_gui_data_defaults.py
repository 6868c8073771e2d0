"""A newly configured data set takes the data page's suggestions: a file with one numeric
column makes it the target, and the suggested lookback and the season detected become the
project's settings (as the command line's fit stores them) unless the person set them."""

import math

from PySide6.QtWidgets import QScrollArea, QTableWidget


def _monthly_csv(path, rows=240):
    """One numeric column with a yearly cycle beside a month column."""
    lines = ["month,temperature"]
    for row in range(rows):
        value = 50 + 10 * math.sin(2 * math.pi * row / 12) + ((row * 7919) % 13) / 13
        lines.append(f"{1920 + row // 12}-{row % 12 + 1:02d}-01,{value:.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _new_project(window, gui, folder, csv_path):
    project_page, data_page = window.pages[:2]
    window.new_project()
    project_page.name.setText("Walk")
    project_page.folder.setText(str(folder))
    project_page.create_button.click()
    assert data_page.import_file(str(csv_path), dialog_factory=gui.accepting_import_dialog)
    return data_page


def _role(page, name):
    table = page.variables
    rows = [r for r in range(table.rowCount()) if table.item(r, 0).text() == name]
    return table.cellWidget(rows[0], 2).currentData()


def test_a_sole_numeric_column_is_the_target_and_its_suggestions_the_settings(
        window, dialogs, gui, qtbot, tmp_path):
    page = _new_project(window, gui, tmp_path, _monthly_csv(tmp_path / "monthly.csv"))
    assert _role(page, "temperature") == "input_target"
    assert "ready" in page.problems.text()
    qtbot.waitUntil(lambda: window.session.config().lookback == 12, timeout=10000)
    config = window.session.config()
    assert page.statistics.suggested == 12 and page.statistics.period == 12
    assert config.period == 12 and page.period.value() == 12
    assert page.lookback.value() == 12 and not page.use_suggestion.isEnabled()
    assert config.horizon == 1 and page.horizon.value() == 1       # a suggestion only
    assert page.horizon_hint.text() == "Suggested: 12"
    page.lookback.setValue(5)                                       # the person's edit stays
    qtbot.waitUntil(lambda: page.statistics.lookback == 5, timeout=10000)
    assert window.session.config().lookback == 5 and page.lookback.value() == 5


def test_several_numeric_columns_wait_for_the_target_and_keep_a_lookback_set(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    page = _new_project(window, gui, tmp_path, semicolon_csv)
    assert {_role(page, "Temperatur"), _role(page, "Last")} == {"input"}
    page.lookback.setValue(7)                                       # set before the target
    gui.set_role(page, "Temperatur", "input_target")
    qtbot.waitUntil(lambda: page.statistics is not None and page.statistics.target
                    == "Temperatur" and page.statistics.lookback == 7, timeout=10000)
    qtbot.waitUntil(lambda: window.session.config().period == page.statistics.period,
                    timeout=10000)
    assert window.session.config().lookback == 7 and page.lookback.value() == 7
    assert window.session.config().period                            # the season found


def test_every_column_of_the_variables_table_fits_at_1280_by_820(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    window.resize(1280, 820)
    window.show()
    page = _new_project(window, gui, tmp_path, semicolon_csv)
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    qtbot.wait(50)
    table: QTableWidget = page.variables
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        label = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(label), \
            label


def test_a_long_lookback_reason_keeps_its_room_at_1280_by_820(window, dialogs, qtbot):
    """The US economy example (12 inputs, the lookback kept short for the training rows):
    the reason and the inputs' lags sit below the autocorrelation plot, not over it, and
    the page needs no scrolling."""
    window.resize(1280, 820)
    window.open_example("macro")
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    qtbot.wait(50)
    assert ("raised to 3 rather than 12 so that the 122 training rows give enough "
            "windows).") in page.suggestion.text()    # why 3, not only in the tooltip
    assert "so that the 122 training rows give enough windows" in page.suggestion.toolTip()
    plot_bottom = page.acf_plot.mapTo(window, page.acf_plot.rect().bottomLeft()).y()
    label_top = page.suggestion.mapTo(window, page.suggestion.rect().topLeft()).y()
    assert label_top > plot_bottom
    assert page.suggestion.height() >= page.suggestion.heightForWidth(page.suggestion.width())
    scroll = next(area for area in window.findChildren(QScrollArea)
                  if area.widget() is not None and area.widget().isAncestorOf(page))
    assert not scroll.verticalScrollBar().isVisible()
