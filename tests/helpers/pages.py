"""Walking the main window's pages as a person would: every step in turn, once its
background work ended, and each enabled tab of the tab widgets on it; the plots whose
title is cut."""

from PySide6.QtWidgets import QTabWidget

from app.main_window import page_runners


def cut_titles(page):
    """``{plot: title shown}`` of the page's plots on screen whose title is cut ("…")."""
    from app.widgets.plots import Plot

    found = {}
    for plot in page.findChildren(Plot):
        shown = plot.getPlotItem().titleLabel.item.toPlainText()
        if plot.isVisible() and shown.endswith("…"):
            found[plot.accessibleName()] = shown
    return found


def each_view(window, qtbot):
    """Show steps 1-7 of the open project, each in turn, and on each the tabs of its
    visible tab widgets one after the other; yields a name of what is on screen ("step 6",
    "step 6, Backtest") each time."""
    for row in range(7):
        assert window.go_to_step(row)
        page = window.pages[row]
        runners = page_runners(page) if hasattr(page, "runner") else []
        qtbot.waitUntil(lambda: not any(r.running for r in runners), timeout=60000)
        qtbot.wait(20)
        yield f"step {row + 1}"
        for tabs in [t for t in page.findChildren(QTabWidget) if t.isVisible()]:
            for index in range(tabs.count()):
                if tabs.isTabEnabled(index):
                    tabs.setCurrentIndex(index)
                    qtbot.wait(10)
                    yield f"step {row + 1}, {tabs.tabText(index)}"
            tabs.setCurrentIndex(0)
