"""Step 4 in the smallest window (1000 x 680), of many series and of one: its plot titles
are whole (the loss plot's read "Error by epoch (dashed: best, e…", the selection plot's
"Selection part: targets and predicti…"), the best epoch is named in the legend, and the
step's explanation wraps clear of the scroll bar (its last letters ran up against it)."""

from PySide6.QtGui import QTextDocument

from helpers.many_projects import open_trained, trained_example
from helpers.pages import cut_titles

SMALLEST = (1000, 680)
GAP = 4             # pixels at least between the explanation's words and the scroll bar


def explanation_room(window):
    """Pixels between the right end of the step's explanation, as wrapped, and the right
    edge of its scroll area's view (the scroll bar beside it); 0 where a horizontal
    scroll would be needed."""
    frame = window.frames[window.current_step()]
    label, view = frame.explanation, frame.scroll.viewport()
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    document.setHtml(label.text())
    inside = label.contentsRect()
    document.setTextWidth(inside.width())
    left = label.mapTo(view, inside.topLeft()).x()
    if frame.scroll.horizontalScrollBar().maximum() > 0:
        return 0
    return view.width() - (left + document.idealWidth())


def legend_texts(plot):
    return [label.text for _, label in plot.getPlotItem().legend.items]


def test_step_4_of_many_series_is_whole_in_the_smallest_window(window, qtbot, tmp_path):
    _, path, fit = trained_example(tmp_path, lookback=24, max_epochs=3)
    assert open_trained(window, qtbot, path)
    assert window.go_to_step(3)
    for size in (SMALLEST, (1280, 800)):
        window.resize(*size)
        qtbot.wait(100)
        page = window.pages[3].many
        assert cut_titles(page) == {}, size
        assert explanation_room(window) >= GAP, size
    plot = page.losses.plot
    assert plot.getPlotItem().titleLabel.text == "Error by epoch"
    best = window.session.project.results.training.get("best_epoch")
    assert (f"best: epoch {best}" in legend_texts(plot)) is bool(best)
    assert ("dashed line marks the best epoch" in plot.toolTip()) is bool(best)


def test_step_4_of_one_series_is_whole_in_the_smallest_window(window, gui, qtbot):
    window.open_example("airline")
    window.resize(*SMALLEST)
    page = gui.train_briefly(window, qtbot, max_epochs=3)
    qtbot.wait(100)
    assert cut_titles(page) == {}
    assert explanation_room(window) >= GAP
    members = window.session.project.results.training["members"]
    assert len(members) > 1                 # networks averaged: each one's best epoch
    assert list(page.losses.members.best_points.xData) == [m["best_epoch"] for m in members]
    assert not page.best_line.isVisible() and "best epoch of each" in legend_texts(
        page.loss_plot)


LONG_NAME = "Consolidated Amalgamated Steel, Iron, Coal and Railway Holding Company of America"


def _firms_csv(path):
    """A short yearly panel: five firms (one of them with a very long name) of 20 years,
    their investment and their value."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    names = ["General Motors", "Atlantic Refining", "Westinghouse", "Diamond Match",
             LONG_NAME]
    parts = [pd.DataFrame({"firm": name, "year": 1935 + np.arange(20),
                           "invest": np.round(100 * (k + 1) + np.cumsum(rng.normal(5, 9, 20)),
                                              1)})
             for k, name in enumerate(names)]
    pd.concat(parts).to_csv(path, index=False)
    return names


def test_step_6_of_a_short_panel_shows_its_names_and_its_plot_in_the_smallest_window(
        window, gui, qtbot, tmp_path):
    """Step 6 of five firms at 1000 x 680: the names read whole in the worst-series and
    every-series tables ("General …", "Atlantic …" before), a name too long for the column
    is cut with the whole of it in its tooltip, the plot's three-line title is whole, and the
    plot, its year axis included, is in sight without scrolling, its drawing no wider than
    the plot (the forecast's points at its right edge were out of sight); the axis is named
    by the time column, "year" (it said "row")."""
    names = _firms_csv(tmp_path / "firms.csv")
    window.resize(*SMALLEST)
    page = gui.new_data_project(window, tmp_path / "project", tmp_path / "firms.csv")
    gui.set_role(page, "invest", "input_target")
    gui.set_role(page, "firm", "series")
    page.test_last.setValue(2)
    view = gui.tested_briefly(window, qtbot)
    view.picker.choose("General Motors")
    qtbot.wait(100)
    for table in (view.worst, view.every):
        view.tabs.setCurrentIndex(2 if table is view.every else 0)
        qtbot.wait(50)
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            assert item.toolTip() == item.text()
            if item.text() != LONG_NAME:
                needed = table.fontMetrics().horizontalAdvance(item.text())
                assert table.columnWidth(0) > needed, (table.accessibleName(), item.text())
        assert table.columnWidth(0) < table.fontMetrics().horizontalAdvance(LONG_NAME)
        assert table.horizontalHeader().length() <= table.viewport().width()
    assert {view.every.item(r, 0).text() for r in range(view.every.rowCount())} == set(names)
    view.tabs.setCurrentIndex(0)
    qtbot.wait(50)
    plot = view.plot
    shown = plot.getPlotItem().titleLabel.item.toPlainText()
    assert "…" not in shown and shown.startswith("General Motors") and "sMAPE " in shown
    assert len(plot.getPlotItem().titleLabel.text.split("\n")) == 3
    scroll = window.frames[5].scroll
    assert scroll.verticalScrollBar().maximum() == 0
    bottom = plot.mapTo(scroll.viewport(), plot.rect().bottomRight())
    assert bottom.y() <= scroll.viewport().height() and bottom.x() <= scroll.viewport().width()
    assert plot.getPlotItem().geometry().width() <= plot.viewport().width()
    assert plot.getAxis("bottom").labelText == "year"         # the time column, not "row"


def test_step_2_shows_every_column_of_its_table_or_says_it_in_the_name_s_tooltip(
        window, qtbot):
    """At 1000 x 680 the variables table beside the settings scrolled sideways inside
    itself: its missing counts and statistics were cut off (the page itself fitted). In a
    window that narrow the type and the statistics are read in the name's tooltip and the
    rest of the table fits; at 1400 x 900 every column shows."""
    window.open_example("airline")
    assert window.go_to_step(1)
    page = window.pages[1]
    table = page.variables
    qtbot.waitUntil(lambda: not page.runner.running and table.item(1, 5) is not None
                    and table.item(1, 5).text() != "", timeout=20000)
    for size, hidden in ((SMALLEST, {1, 5, 6, 7, 8}), ((1400, 900), set())):
        window.resize(*size)
        qtbot.wait(100)
        assert table.horizontalScrollBar().maximum() == 0, size
        assert {c for c in range(table.columnCount()) if table.isColumnHidden(c)} == hidden
        assert table.horizontalHeader().length() <= table.viewport().width()
    shown = table.item(1, 0).toolTip()
    assert shown.startswith("passengers\n\nnumeric: missing 0, minimum 104, maximum 622, ")
    assert shown.endswith(f"standard deviation {table.item(1, 8).text()}")


def test_step_2_s_testing_from_hint_and_series_role_read_whole(window, qtbot):
    """At 1280 x 820 and 1000 x 680 the "Testing from" field's hint read "a date or year,
    e.g. 196…" and the role box "Series (names the serie…": both now show whole, the rest
    in their tooltips."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyle

    from app.pages.data.texts import ROLE_ARROW

    for example, shown in (("airline", "test_from"), ("m4_hourly", "role")):
        window.open_example(example)
        assert window.go_to_step(1)
        page = window.pages[1]
        qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
        for size in ((1280, 820), SMALLEST):
            window.resize(*size)
            qtbot.wait(100)
            if shown == "test_from":
                field = page.test_from
                text = field.placeholderText()
                room = field.width() - 2 * field.style().pixelMetric(
                    QStyle.PixelMetric.PM_DefaultFrameWidth) - 4
                assert field.fontMetrics().horizontalAdvance(text) <= room, (size, text)
                assert "row 120" in field.toolTip() and "1960-01-01" in field.toolTip()
                continue
            box = next(page.variables.cellWidget(row, 2) for row in
                       range(page.variables.rowCount())
                       if page.variables.cellWidget(row, 2).currentData() == "series")
            needed = box.fontMetrics().horizontalAdvance(box.currentText()) + ROLE_ARROW
            assert needed <= box.width(), (size, box.currentText())
            tip = box.itemData(box.currentIndex(), Qt.ItemDataRole.ToolTipRole)
            assert "names the series each row belongs to" in tip
