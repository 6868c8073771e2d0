"""For a screen reader: every plot and every table on every page (each tab of a page with
tabs) has an accessible name that says what it shows, a plot's description says its
current title, and a table cell whose colour or bold type means something (a baseline that
beats the network, the best method of a column, the chosen setting) says it in words too,
in its tooltip and its accessible description."""

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QTableWidget

from app.pages import backtest_panel, many_selection
from app.pages.many_scores import scores_table, show_scores
from helpers.many_projects import open_trained, trained_example
from helpers.pages import each_view


def unexplained_cells(table):
    """The texts of the cells of ``table`` whose colour or bold type no words say."""
    found = []
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is None:
                continue
            marked = item.data(Qt.ItemDataRole.ForegroundRole) is not None or \
                item.data(Qt.ItemDataRole.BackgroundRole) is not None or item.font().bold()
            if marked and not item.data(Qt.ItemDataRole.AccessibleDescriptionRole):
                found.append(item.text())
    return found


def shown(window):
    """``(plots, tables)``: the visible plots and tables of ``window``."""
    plots = [p for p in window.findChildren(pg.GraphicsView) if p.isVisible()]
    tables = [t for t in window.findChildren(QTableView) if t.isVisible()]
    return plots, tables


def walk(window, qtbot):
    """``(nameless, unexplained, plots, tables)`` over every step and tab: the plots and
    tables without an accessible name, the coloured cells no words explain, and how many
    plots and tables were seen."""
    nameless, unexplained, plots, tables = [], [], set(), set()

    def look(where):
        seen_plots, seen_tables = shown(window)
        plots.update(seen_plots)
        tables.update(seen_tables)
        nameless.extend(f"{where}: {type(w).__name__} {w.objectName()}"
                        for w in seen_plots + seen_tables if not w.accessibleName().strip())
        unexplained.extend(f"{where}: {text}" for table in seen_tables
                           if isinstance(table, QTableWidget)
                           for text in unexplained_cells(table))

    for where in each_view(window, qtbot):
        look(where)
    return nameless, unexplained, plots, tables


def test_every_plot_and_table_of_one_series_is_named(window, dialogs, gui, qtbot):
    window.open_example("airline")
    gui.train_briefly(window, qtbot, max_epochs=1)
    nameless, unexplained, plots, tables = walk(window, qtbot)
    assert nameless == [] and unexplained == []
    assert len(plots) >= 12 and len(tables) >= 6
    assert window.pages[3].loss_plot.accessibleName() == "Loss per epoch"
    assert window.pages[3].loss_plot.getAxis("left").labelText == \
        "loss (on the scaled targets)"          # not the targets' units of the scores
    errors = window.pages[5].errors
    coloured = [errors.item(0, c) for c in range(errors.columnCount())
                if errors.item(0, c).data(Qt.ItemDataRole.ForegroundRole) is not None]
    assert coloured and all("network" in item.toolTip() for item in coloured)


def test_every_plot_and_table_of_many_series_is_named(window, dialogs, qtbot, tmp_path):
    _, path, _ = trained_example(tmp_path, lookback=24, max_epochs=1)
    assert open_trained(window, qtbot, path)
    nameless, unexplained, plots, tables = walk(window, qtbot)
    assert nameless == [] and unexplained == []
    assert len(plots) >= 6 and len(tables) >= 5


def test_a_plot_s_description_is_its_current_title_and_tip(window, dialogs, qtbot):
    window.open_example("airline")
    assert window.go_to_step(1)
    page = window.pages[1]
    page.variables.selectRow(1)
    qtbot.wait(20)
    plot = page.variable_plot
    title = plot.getPlotItem().titleLabel.text
    assert title and plot.accessibleDescription().startswith(title)
    assert plot.accessibleName() == "The selected variable over time"
    assert "Windows of" in page.timeline.accessibleDescription()
    drawing = window.pages[2].drawing
    assert drawing.accessibleName() and "network" in drawing.accessibleDescription()


def test_the_best_score_and_the_backtest_s_colours_are_said_in_words(qtbot):
    table = scores_table()
    qtbot.addWidget(table)
    summary = {"network": {"smape": 10.0, "mase": 1.2, "owa": 0.9},
               "naive2": {"smape": 12.0, "mase": 1.0, "owa": 1.0}}
    show_scores(table, summary)
    assert table.accessibleName()
    bold = [table.item(r, c) for r in range(table.rowCount())
            for c in range(1, table.columnCount()) if table.item(r, c).font().bold()]
    assert len(bold) == 3 and all(item.toolTip() == "The best of this column."
                                  for item in bold)
    assert unexplained_cells(table) == []

    origins = backtest_panel.origin_table(["origin", "a", "b"])
    qtbot.addWidget(origins)
    origins.setRowCount(1)
    backtest_panel.fill_row(origins, 0, [("1", None), ("2.0", backtest_panel.BETTER),
                                         ("3.0", backtest_panel.WORSE)],
                            words=backtest_panel.COLOUR_WORDS)
    texts = [origins.item(0, c).data(Qt.ItemDataRole.AccessibleDescriptionRole)
             for c in range(3)]
    assert texts == [None] + [backtest_panel.COLOUR_WORDS[colour] for colour in
                              (backtest_panel.BETTER, backtest_panel.WORSE)]


def test_the_many_series_backtest_says_where_the_network_beats_every_method(
        window, dialogs):
    view = window.pages[4].many
    methods = [name for name, _ in many_selection.METHODS]
    summary = {name: {key: (1.0 if name == "network" else 2.0) for key, _ in
                      many_selection.MEASURES} for name in methods}
    summary[methods[1]]["owa"] = 0.5        # another method beats the network's OWA
    words = set()
    for key, _ in many_selection.MEASURES:    # the network's column of each measure
        view.measure.setCurrentIndex(view.measure.findData(key))
        view.table.setRowCount(1)
        view._fill_row(0, "1", "20", summary)
        words.add(view.table.item(0, 2).data(Qt.ItemDataRole.AccessibleDescriptionRole))
    assert words == set(many_selection.COLOUR_WORDS.values())
