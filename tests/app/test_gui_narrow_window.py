"""The pages in the smallest window (1000 x 680, a small laptop's screen), also with large
letters: every page of a step, and every tab of its results, fits the width of the step's
scroll area (it scrolls down, never sideways); the step list gives way to the page and the
step's explanation scrolls with it. The layouts that do it (app/widgets/narrow.py): a row
that wraps and panels that go one above the other."""

from PySide6.QtWidgets import (QAbstractItemView, QApplication, QPushButton, QScrollArea,
                               QTabWidget, QVBoxLayout, QWidget)

from app.main_window import STEP_LIST_SHARE, page_runners
from app.pages import many_selection
from app.widgets.narrow import FlowLayout, SideBySide
from helpers.many_projects import firms_with_two_inputs, open_trained, trained_example

SMALLEST = (1000, 680)
LARGE_LETTERS = 1.5


def sideways(window):
    """How far the step on screen scrolls sideways, in pixels (0: its page fits)."""
    area = window.frames[window.current_step()].findChild(QScrollArea)
    return area.horizontalScrollBar().maximum()


def tables_scrolling_sideways(window, allowed=()):
    """``{table: pixels}`` of the tables on the step on screen that scroll sideways (a
    column cut off behind a scroll bar of their own), but those named in ``allowed``."""
    frame = window.frames[window.current_step()]
    return {table.accessibleName(): table.horizontalScrollBar().maximum()
            for table in frame.findChildren(QAbstractItemView)
            if table.isVisible() and table.horizontalScrollBar().maximum() > 0
            and table.accessibleName() not in allowed}


def wider_than_the_window(window, qtbot, allowed=()):
    """``{(step, tab): pixels}`` of the pages of steps 2-7 (each tab of their results)
    that scroll sideways, or ``{(step, tab): {table: scroll}}`` where a table on them
    scrolls sideways inside itself (the page fits, a column is cut off all the same), once
    their background work ended; the tables named in ``allowed`` may scroll."""
    found = {}
    for row in range(1, 7):
        assert window.go_to_step(row)
        page = window.pages[row]
        runners = page_runners(page) if hasattr(page, "runner") else []
        qtbot.waitUntil(lambda: not any(r.running for r in runners), timeout=60000)
        tab_widgets = [tabs for tabs in page.findChildren(QTabWidget) if tabs.isVisible()]
        shown = [(tabs, i) for tabs in tab_widgets for i in range(tabs.count())] or \
            [(None, None)]
        for tabs, index in shown:
            if tabs is not None:
                tabs.setCurrentIndex(index)
            qtbot.wait(20)
            tables = tables_scrolling_sideways(window, allowed)
            if sideways(window) or tables:
                found[(row + 1, tabs.tabText(index) if tabs else "")] = \
                    sideways(window) or tables
    return found


def test_every_page_of_one_series_fits_the_smallest_window(window, dialogs, gui, qtbot):
    window.open_example("airline")
    window.resize(*SMALLEST)
    gui.train_briefly(window, qtbot, max_epochs=1)
    assert wider_than_the_window(window, qtbot) == {}


def test_every_page_of_many_series_fits_the_smallest_window(window, dialogs, qtbot,
                                                            tmp_path):
    _, path, _ = trained_example(tmp_path, lookback=24, max_epochs=1)
    assert open_trained(window, qtbot, path)
    window.resize(*SMALLEST)
    assert wider_than_the_window(window, qtbot) == {}


def test_the_table_of_a_search_shows_every_column_in_the_smallest_window(window, dialogs,
                                                                         gui, qtbot):
    """Beside the search's controls, the plot and the table shared a third of the page:
    the table scrolled sideways. It lies below them, as wide as the page."""
    window.open_example("airline")
    gui.train_briefly(window, qtbot, max_epochs=1)
    assert window.go_to_step(4)
    page = window.pages[4]
    page.method.setCurrentIndex(page.method.findData("cell"))
    page.workers.setValue(0)
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=60000)
    assert page.table.rowCount() == 3
    for size in (SMALLEST, (1280, 800)):
        window.resize(*size)
        qtbot.wait(50)
        assert (sideways(window), tables_scrolling_sideways(window)) == (0, {}), size
        assert page.table.width() > page.plot.width()
        where = page.runs_on.where          # "this computer (2" over "cores)", clipped
        assert where.width() >= where.fontMetrics().horizontalAdvance(where.text()), size


def test_the_backtest_of_many_series_shows_every_column_in_the_smallest_window(
        window, dialogs, qtbot, tmp_path):
    """A column per method and measure (14) made the table scroll sideways: it shows one
    measure at a time, chosen above it, in a column per method."""
    _, path, _ = trained_example(tmp_path, lookback=24, max_epochs=1)
    assert open_trained(window, qtbot, path)
    window.resize(*SMALLEST)
    assert window.go_to_step(4)
    panel = window.pages[4].many

    def summary(value):
        return {name: {"smape": 12.345 * value, "mase": 1.234 * value, "owa": value}
                for name, _ in many_selection.METHODS}

    folds = [{"origin": k + 1, "series_scored": 20, "summary": summary(v)}
             for k, v in enumerate([0.7, 0.9, 2.5])]
    panel.show_result({"origins": folds, "mean": summary(1.367), "median": summary(0.9)})
    qtbot.wait(50)
    assert (sideways(window), tables_scrolling_sideways(window)) == (0, {})
    shown = {"smape": "16.88", "mase": "1.687", "owa": "1.367"}   # 4 digits, as the tables
    for key, _ in many_selection.MEASURES:
        panel.measure.setCurrentIndex(panel.measure.findData(key))
        qtbot.wait(50)
        assert panel.table.rowCount() == 5
        assert (sideways(window), tables_scrolling_sideways(window)) == (0, {}), key
        assert panel.table.item(3, 2).text() == shown[key]


def test_with_large_letters_the_steps_give_way_and_the_explanation_scrolls(
        make_window, dialogs, gui, qtbot):
    font = QApplication.font()
    large = QApplication.font()
    large.setPointSizeF(font.pointSizeF() * LARGE_LETTERS)
    QApplication.setFont(large)
    try:
        window = make_window()
        window.open_example("airline")
        window.resize(*SMALLEST)
        qtbot.wait(20)
        assert window.steps.width() <= SMALLEST[0] * STEP_LIST_SHARE < window.steps_width
        frame = window.frames[window.current_step()]
        assert frame.scroll.widget().isAncestorOf(frame.explanation)
        gui.train_briefly(window, qtbot, max_epochs=1)
        # step 6's errors table scrolls sideways where narrower than its figures
        # (app/pages/errors_table.py): with letters this large, at 1000 pixels
        assert wider_than_the_window(window, qtbot,
                                     allowed=("Errors on the testing part",)) == {}
        assert window.go_to_step(4)          # the panels' widths grow with the letters
        method = window.pages[4].method
        qtbot.waitUntil(lambda: method.width() > 0)
        assert method.width() >= method.sizeHint().width()
    finally:
        QApplication.setFont(font)
    window.resize(1400, 900)                # room again: the titles whole
    assert window.steps.width() == window.steps_width


def test_panels_go_one_above_the_other_and_a_row_wraps_where_narrow(qtbot):
    left, right = QWidget(), QWidget()
    left.setMinimumWidth(300)
    right.setMinimumWidth(250)
    sides = SideBySide(left, right)
    margins = sides.box.contentsMargins()
    assert sides.minimumSizeHint().width() == 300 + margins.left() + margins.right()
    window = QWidget()                  # a window is never narrower than its layout asks
    QVBoxLayout(window).addWidget(sides)
    qtbot.addWidget(window)
    window.resize(800, 400)
    window.show()
    qtbot.wait(10)
    assert sides.is_side_by_side() and left.geometry().right() < right.x()
    window.resize(400, 600)
    qtbot.waitUntil(lambda: not sides.is_side_by_side(), timeout=1000)
    qtbot.wait(10)
    assert left.geometry().bottom() < right.y()

    row_widget = QWidget()
    row = FlowLayout(row_widget)
    row.setContentsMargins(0, 0, 0, 0)
    buttons = [QPushButton(f"Button number {n}") for n in range(4)]
    for button in buttons:
        row.addWidget(button)
    qtbot.addWidget(row_widget)
    widest = max(button.sizeHint().width() for button in buttons)
    assert row.minimumSize().width() == widest
    assert row.heightForWidth(widest) > row.heightForWidth(row.sizeHint().width())
    row_widget.resize(widest + 10, row.heightForWidth(widest + 10))
    row_widget.show()
    qtbot.wait(10)
    assert all(b.geometry().right() <= row_widget.width() for b in buttons)
    assert len({b.y() for b in buttons}) == 4           # one a line


def test_the_variables_table_shows_six_rows_in_the_smallest_window(window, qtbot):
    """A short window squeezed it to two rows, though the page scrolls."""
    window.show()
    window.resize(*SMALLEST)
    window.open_example("seattle")                # 6 columns
    assert window.go_to_step(1)
    table = window.pages[1].variables
    qtbot.waitUntil(lambda: table.rowCount() == 6)
    qtbot.wait(200)
    assert table.viewport().height() >= sum(table.rowHeight(row) for row in range(6))


def test_step_7_of_a_short_panel_with_two_inputs_fits_the_smallest_window(
        window, dialogs, qtbot, tmp_path):
    """Eleven firms of 20 years with two inputs: the outputs calculator's two tables side
    by side were wider than the page at 1000 x 680 (every tab of step 7 from the
    calculator on scrolled sideways, the outputs cut at their second column); the outputs
    go below the values where the width cannot hold both, also when they arrive after
    the window was made narrow, and beside them in a wide window."""
    window.resize(*SMALLEST)
    assert open_trained(window, qtbot, firms_with_two_inputs(tmp_path))
    assert window.go_to_step(6)
    page = window.pages[6]
    calculator, tabs = page.many.calculator, page.many.tabs
    qtbot.waitUntil(lambda: calculator.outputs.rowCount() == 3, timeout=60000)
    for size, beside in ((SMALLEST, False), ((1400, 900), True)):
        window.resize(*size)
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            qtbot.wait(100)
            assert sideways(window) == 0, (size, tabs.tabText(index))
        tabs.setCurrentWidget(calculator)
        qtbot.waitUntil(lambda: calculator.columns.is_side_by_side() == beside)
        assert tables_scrolling_sideways(window) == {}


def test_in_the_smallest_window_the_step_list_gives_the_page_the_room_below_its_titles(
        window, qtbot):
    """The step list was as wide as its longest title, "5. Improve generalization
    performance", at 1000 x 680: 290 pixels of 1000, most of them empty below seven lines.
    There it is as wide as the other titles, the longest broken onto two lines; a window of
    1400 x 900 shows every title on one line."""
    window.open_example("airline")
    steps = window.steps
    window.resize(*SMALLEST)
    qtbot.wait(50)
    lines = [steps.visualItemRect(steps.item(row)).height() for row in range(steps.count())]
    one = min(lines)
    assert sorted(lines) == [one] * 6 + [max(lines)] and max(lines) < 2.5 * one
    assert max(lines) == lines[4] > one                     # step 5's title, on two lines
    assert steps.width() == window.steps_folded_width <= 0.8 * window.steps_width
    window.resize(1400, 900)
    qtbot.wait(50)
    assert steps.width() == window.steps_width
    assert {steps.visualItemRect(steps.item(row)).height()
            for row in range(steps.count())} == {one}
