"""Step 5's page: a search runs in the background, the table and the plot fill, the chosen
row is marked, Stop ends it promptly, Apply puts a row's settings into the project."""

import time

import numpy as np
import pandas as pd
import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase

from app.pages.selection_page import SelectionPage
from app.session import ProjectSession
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.project.model_status import settings_fingerprint
from engine.selection import SearchResult, TrialRow, record_search


def make_session(folder, rows=150):
    rng = np.random.default_rng(0)
    e = rng.standard_normal(rows)
    y = np.zeros(rows)
    for t in range(3, rows):
        y[t] = 0.8 * y[t - 3] + e[t]
    data = folder / "series.csv"
    pd.DataFrame({"y": y, "x": rng.standard_normal(rows)}).to_csv(data, index=False)
    project, _ = automatic_project(AutomaticChoices(
        data, ["y"], lookback=3, hidden_sizes=[3], max_epochs=5))
    project.training.patience = None
    session = ProjectSession()
    session.adopt(project, folder / "series.json", dirty=False)
    return session


@pytest.fixture
def session(tmp_path, qtbot, dialogs):
    return make_session(tmp_path)


def page_showing(qtbot, session, result):
    """A page showing ``result``, chosen and kept in the session's project."""
    result.choose()
    record_search(session.project, result)
    page = SelectionPage(session)
    qtbot.addWidget(page)
    page.method.setCurrentIndex(page.method.findData(result.method))
    page.refresh()
    return page


def texts(page, column):
    return [page.table.item(row, column).text() for row in range(page.table.rowCount())]


def test_a_search_fills_the_table_and_the_plot_and_apply_changes_the_project(
        qtbot, session, dialogs):
    assert "DejaVu Sans" in QFontDatabase.families()       # labels render as text
    page = SelectionPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 620)
    page.show()
    page.refresh()
    assert page.status.text().startswith("Not searched yet")
    assert not page.progress.isVisible()         # an empty bar before a search looked broken
    page.method.setCurrentIndex(page.method.findData("cell"))
    page.workers.setValue(0)
    page.repeats.setValue(2)
    fingerprint = settings_fingerprint(session.project)
    page.start_button.click()
    assert page.runner.running and page.stop_button.isEnabled()
    assert page.progress.isVisible()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=60000)
    result = page.result
    assert result is not None and not dialogs.warnings
    assert texts(page, 1) == ["simple RNN", "GRU", "LSTM"]
    headers = [page.table.horizontalHeaderItem(k).text() for k in range(6)]
    assert headers[2:5] == ["Training RMSE\n(y)", "Selection RMSE\n(y)", "Time (s)"]
    chosen = result.chosen
    assert "chosen" in texts(page, 5)[chosen] and "current" in texts(page, 5)[1]
    assert page.table.item(chosen, 1).font().bold()
    assert " ± " in texts(page, 3)[0]                      # two repeats: mean ± sd
    x, y = page.selection_curve.getOriginalDataset()       # the plot shows log10
    assert list(x) == [0, 1, 2]
    assert np.allclose(y, [row.selection_error for row in result.rows])
    marker_x, _ = page.chosen_marker.getOriginalDataset()
    assert list(marker_x) == [chosen]
    assert session.project.selection.search["cell"]["chosen"] == chosen
    assert session.dirty and page.progress.value() == page.progress.maximum() == 6
    page.grab().save(str(session.project.folder / "selection-page.png"))
    # the user picks the LSTM row instead of the chosen one
    page.table.selectRow(2)
    assert page.apply_button.isEnabled() and "trial 3" in page.apply_button.text()
    assert "LSTM" in page.apply_button.toolTip()
    page.apply_button.click()
    assert session.project.architecture.cell == "lstm"
    assert settings_fingerprint(session.project) != fingerprint   # training out of date
    assert "applied" in texts(page, 5)[2]
    assert session.project.selection.search["cell"]["applied"] == 2
    # shown again from the project after switching methods
    page.method.setCurrentIndex(page.method.findData("neurons"))
    assert page.table.rowCount() == 0
    page.method.setCurrentIndex(page.method.findData("cell"))
    assert texts(page, 1) == ["simple RNN", "GRU", "LSTM"]


def test_stop_ends_a_search_promptly_and_keeps_what_finished(qtbot, tmp_path, dialogs):
    session = make_session(tmp_path, rows=4000)
    session.project.training.max_epochs = 100000                  # no early end
    session.project.training.learning_rate = 1e-7
    session.project.architecture.linear_path = False     # else the start is kept: early end
    page = SelectionPage(session)
    qtbot.addWidget(page)
    page.refresh()
    page.method.setCurrentIndex(page.method.findData("regularization"))
    page.workers.setValue(0)
    page.start_button.click()
    qtbot.wait(800)
    started = time.perf_counter()
    page.stop_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=10000)
    assert time.perf_counter() - started < 3.0
    # its one training was stopped too: nothing finished, so nothing is kept or shown
    assert page.result is None and not session.project.selection.search
    assert page.status.text() == "Stopped before any training finished; nothing was kept."
    assert page.start_button.isEnabled() and not page.apply_button.isEnabled()


def test_a_stored_ensemble_is_shown_and_only_its_members_can_be_applied(qtbot, session):
    rows = [TrialRow(k, {"seed": k}, f"seed {k}", float(k), current=k == 0,
                     training_error=1.0 + k, selection_error=2.0 + k, selection_score=2.0 + k,
                     runs=[{"repeat": 0, "seconds": 0.5}]) for k in range(2)]
    rows.append(TrialRow(2, {"members": 2}, "ensemble: average of 2 networks", 2.0,
                         ensemble=True, training_error=1.2, selection_error=1.8,
                         selection_score=1.8, runs=[{"repeat": 0, "seconds": 0.0}]))
    result = SearchResult("ensemble", "one-step RMSE of y (target units)", ["y"], rows,
                          notes=["The ensemble's selection error is 1.8."])
    page = page_showing(qtbot, session, result)
    assert texts(page, 1) == ["seed 0", "seed 1", "ensemble: average of 2 networks"]
    assert texts(page, 5)[0] == "chosen, current" and texts(page, 4)[2] == ""
    assert "1.8" in page.notes.text()
    assert page.apply_button.isEnabled()                   # the chosen member is selected
    page.table.selectRow(2)
    assert not page.apply_button.isEnabled()               # the ensemble itself cannot be
    assert page.selection_curve.opts["pen"].style() == Qt.PenStyle.NoPen  # points, no lines
    assert page.plot.getAxis("bottom")._tickLevels[0] == [(0, "seed 0"), (1, "seed 1"),
                                                          (2, "ensemble")]


def test_the_table_and_the_plot_say_what_a_search_of_several_steps_ahead_ranks_by(
        qtbot, session):
    rows = [TrialRow(k, {"seed": k}, f"seed {k}", float(k), training_error=1.0,
                     selection_error=2.0 + k, selection_score=2.0 + k,
                     runs=[{"repeat": 0, "seconds": 0.5}]) for k in range(2)]
    measure = "mean RMSE over the 3 steps ahead of y (target units)"
    session.project.data.config.horizon = 3
    page = page_showing(qtbot, session, SearchResult("ensemble", measure, ["y"], rows))
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(2, 4)]
    assert headers == ["Training RMSE\n(y, mean of 3 steps)",
                       "Selection RMSE\n(y, mean of 3 steps)"]
    assert f"The errors: {measure};" in page.table.toolTip()
    assert "one step" not in page.table.toolTip()
    assert page.plot.getAxis("left").labelText == "mean RMSE over the 3 steps ahead of y"


def test_a_search_stopped_before_any_trial_ends_the_run(qtbot, session, monkeypatch):
    """A search that ends with Cancelled (no result) gives the buttons back and shows the
    stored search, not the preparing text."""
    import app.pages.selection_page
    from engine.tasks import Cancelled

    def until_stopped(*args, task=None, **kwargs):
        while not task.cancelled:
            time.sleep(0.005)
        raise Cancelled()

    monkeypatch.setattr(app.pages.selection_page, "run_search", until_stopped)
    page = SelectionPage(session)
    qtbot.addWidget(page)
    page.refresh()
    page.start_button.click()
    assert not page.start_button.isEnabled() and page.status.text().startswith("Preparing")
    with qtbot.waitSignal(page.runner.cancelled, timeout=5000):
        page.stop_button.click()
    assert page.start_button.isEnabled() and page.method.isEnabled()
    assert not page.stop_button.isEnabled() and not page.timer.isActive()
    assert page.status.text() == "Not searched yet. Press Start search."


def test_a_search_stopped_before_a_training_ends_keeps_the_stored_one(qtbot, session,
                                                                     monkeypatch):
    """The search returns stopped with no training finished: the complete search stored
    before stays in the project and on the page; a stopped search's rows are not
    applied."""
    import app.pages.selection_page

    finished = [TrialRow(k, {"l2": float(k)}, f"L2 {k}", float(k), current=k == 0,
                         training_error=1.0, selection_error=2.0 + k,
                         selection_score=2.0 + k,
                         runs=[{"repeat": 0, "seconds": 0.5, "selection_score": 2.0 + k}])
                for k in range(2)]
    complete = SearchResult("regularization", "one-step RMSE of y (target units)", ["y"],
                            finished)
    complete.choose()
    complete.fingerprint = settings_fingerprint(session.project)
    record_search(session.project, complete)
    stored = complete.to_dict()

    def stopped(project, method, task=None, **kwargs):
        result = SearchResult(method, "one-step RMSE of y (target units)", ["y"],
                              [TrialRow(0, {"l2": 0.0}, "L2 0", 0.0)], cancelled=True)
        result.fingerprint = settings_fingerprint(project)
        return result

    monkeypatch.setattr(app.pages.selection_page, "run_search", stopped)
    page = SelectionPage(session)
    qtbot.addWidget(page)
    page.method.setCurrentIndex(page.method.findData("regularization"))
    page.refresh()
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=10000)
    assert session.project.selection.search["regularization"] == stored
    assert texts(page, 1) == ["L2 0", "L2 1"]
    assert page.status.text() == ("Stopped before any training finished; nothing was kept. "
                                  "The search shown is the one kept before.")
    # a search stopped after some trainings is shown, and none of its rows applied
    page.result = SearchResult("regularization", "", ["y"], finished, cancelled=True)
    page.result.choose()
    page._fill(page.result)
    page.table.selectRow(0)
    assert not page.apply_button.isEnabled()
    assert "run it to the end" in page.apply_button.toolTip()
    assert "Run the search to the end" in page._finished_text(page.result)


def test_a_row_with_failed_repeats_says_how_many_and_why(qtbot, session):
    """A row whose mean is of fewer repeats than were run marks it, with the reason in
    its cells' tooltips; the chosen row keeps its own words too."""
    warning = ("1 of 2 repeats failed (the selection error is not a finite number); the "
               "errors shown are of the other 1.")
    rows = [TrialRow(k, {"l2": float(k)}, f"L2 {k}", float(k), training_error=1.0,
                     selection_error=2.0 + k, selection_score=2.0 + k,
                     warning=warning if k == 0 else None,
                     runs=[{"repeat": 0, "seconds": 0.5}]) for k in range(2)]
    result = SearchResult("regularization", "one-step RMSE of y (target units)", ["y"],
                          rows, repeats=2)
    page = page_showing(qtbot, session, result)
    assert texts(page, 5) == ["chosen, 1 of 2 repeats failed", ""]
    tip = page.table.item(0, 3).toolTip()
    assert tip.startswith("The chosen setting") and tip.endswith(warning)
    assert page.table.item(1, 3).toolTip() == ""


def test_a_search_of_the_data_file_before_an_edit_is_not_shown_as_current(qtbot, session):
    """The data file edited (or saved over) after a search: its trials were scored on other
    data, so its rows are not shown for applying, and the page says why."""
    from engine.data.data_file import file_digest

    data = session.project.data_file()
    rows = [TrialRow(k, {"l2": float(k)}, f"L2 {k}", float(k), training_error=1.0,
                     selection_error=2.0 + k, selection_score=2.0 + k,
                     runs=[{"repeat": 0, "seconds": 0.5}]) for k in range(2)]
    result = SearchResult("regularization", "one-step RMSE of y (target units)", ["y"],
                          rows, fingerprint=settings_fingerprint(session.project),
                          data_digest=file_digest(data))
    page = page_showing(qtbot, session, result)
    assert page.table.rowCount() == 2 and page.status.text().startswith("Finished")
    data.write_text(data.read_text() + "0.5,0.25\n")
    page.refresh()
    assert page.table.rowCount() == 0 and not page.apply_button.isEnabled()
    assert page.status.text() == ("The project's settings or its data file changed since "
                                  "this search. Press Start search to search with them as "
                                  "they are now.")


def test_where_the_trials_run_is_said_in_plain_words(qtbot, session):
    """"Dask scheduler: this computer" read as technical: the page says "Runs on: this
    computer (N cores)", and the scheduler's address comes behind Use a cluster."""
    from PySide6.QtWidgets import QLabel

    from engine.cores import usable_cores
    from engine.words import counted

    page = SelectionPage(session)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    shown = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert "Runs on:" in shown and not any("Dask" in text for text in shown)
    where = page.runs_on
    assert where.where.text() == f"this computer ({counted(usable_cores(), 'core')})"
    assert not where.address.isVisible() and where.text() == ""
    where.button.click()
    assert where.address.isVisible()
    assert where.where.text().startswith("a Dask cluster: type its scheduler's address")
    where.address.setText("tcp://server:8786")
    where.address.editingFinished.emit()
    assert session.project.selection.settings["scheduler"] == "tcp://server:8786"
    assert where.where.text() == "a Dask cluster (tcp://server:8786)"
    where.button.click()                      # back to this computer: the address goes
    assert session.project.selection.settings["scheduler"] is None
    assert where.where.text().startswith("this computer")
    session.project.selection.settings["scheduler"] = "tcp://other:8786"
    page.refresh()                            # a project's address shows with its line
    assert where.button.isChecked() and where.address.isVisible()
    assert where.text() == "tcp://other:8786"


NOTTINGHAM = [3.008, 3.008, 3.008, 3.007, 3.007, 3.008, 3.006]   # 1 to 64 units


def flat_units_search():
    """A search over 1 to 64 units whose selection errors differ by less than 1%, as the
    Nottingham temperatures gave (64 units lowest by 0.002), training errors flat too."""
    rows = [TrialRow(k, {"hidden_sizes": [2 ** k]}, "1 unit" if k == 0 else f"{2 ** k} units",
                     float(2 ** k), current=k == 4, training_error=2.1, selection_error=e,
                     selection_score=e, runs=[{"repeat": 0, "seconds": 1.0}])
            for k, e in enumerate(NOTTINGHAM)]
    return SearchResult("neurons", "one-step RMSE of temperature_f (target units)",
                        ["temperature_f"], rows, runner="local processes", workers=2)


def test_settings_alike_choose_the_smallest_numbered_from_1_and_the_page_says_why(
        qtbot, session):
    """Selection errors of 3.006 to 3.008 for 1 to 64 units chose 64 units ("Lowest
    selection error: 64 units", "Apply and train trial 6"), while the table numbered the
    trials from 0 and the progress bar counted "7 of 7"; the plot's title, with the chosen
    setting beside it, was cut at 1000 x 680."""
    page = page_showing(qtbot, session, flat_units_search())
    assert texts(page, 0) == [str(n) for n in range(1, 8)]
    assert texts(page, 5)[0] == "chosen" and page.table.item(0, 1).font().bold()
    assert texts(page, 2)[0] == "2.100"             # the digits the reason's figures have
    assert page.status.text().endswith(
        "64 units (3.006) does no better than 1 unit (3.008) within 1%: the smallest "
        "network within 1% of the lowest, 1 unit, is chosen.")
    assert page.apply_button.text() == "&Apply and train trial 1 (the chosen one)"
    page.table.selectRow(6)
    assert page.apply_button.text() == "&Apply and train trial 7"
    legend = [label.text for _, label in page.plot.getPlotItem().legend.items]
    assert legend == ["training", "selection", "chosen: trial 1"]
    marker_x, _ = page.chosen_marker.getOriginalDataset()
    assert list(marker_x) == [0]
    assert "keeps falling" not in page.plot.toolTip()
    page.show()
    for size in ((1000, 680), (1280, 820)):
        page.resize(size[0] - 260, size[1] - 200)          # the page's share of the window
        qtbot.wait(50)
        shown = page.plot.getPlotItem().titleLabel.item.toPlainText()
        assert shown == "Error against complexity", size
