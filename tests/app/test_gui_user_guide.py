"""Help > User guide: docs/user-guide.md in a window with its contents and a search field;
F1 opens it at the section of the page on screen, and the guide has a section for every
step (the test fails when a heading is missing or renamed)."""

import io
import json
import math
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence

import app
import app.help_window as help_window
from app.help_window import GUIDE, START_SECTION, GuideWindow, read_guide, slug, step_heading
from app.main_window import page_runners
from app.examples import example_project
from app.steps import STEPS
from engine.cli.main import main as rnn_studio

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def guide_headings():
    """The guide's headings read from the Markdown itself (outside code blocks)."""
    headings, in_code = [], False
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            headings.append(line.lstrip("#").strip())
    return headings


def test_the_guide_is_the_repositorys_docs_file_beside_the_application():
    # the application and the desktop bundle (which keeps docs/ beside app/) read this file
    assert GUIDE == ROOT / "docs" / "user-guide.md"
    assert GUIDE == Path(app.__file__).resolve().parents[1] / "docs" / "user-guide.md"
    assert GUIDE.is_file()
    spec = (ROOT / "packaging" / "rnn-studio.spec").read_text(encoding="utf-8")
    assert '"user-guide.md"' in spec


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_every_step_has_its_section_in_the_guide(number):
    assert step_heading(number) in guide_headings()


def test_the_start_page_and_the_worked_example_have_their_sections():
    headings = guide_headings()
    assert START_SECTION in headings
    assert "A worked example: airline passengers" in headings
    assert "What the numbers mean" in headings


def test_every_link_of_the_guide_leads_somewhere():
    anchors = {slug(title) for title in guide_headings()}
    for link in LINK.findall(GUIDE.read_text(encoding="utf-8")):
        if link.startswith(("http://", "https://")):
            continue
        path, _, anchor = link.partition("#")
        if not path:
            assert anchor in anchors, link
            continue
        target = (GUIDE.parent / path).resolve()
        assert target.is_file(), link
        if anchor:
            text = target.read_text(encoding="utf-8")
            titles = [line.lstrip("#").strip() for line in text.splitlines()
                      if line.startswith("#")]
            assert anchor in {slug(title) for title in titles}, link


def test_slugs_are_githubs():
    assert slug("Step 6: Test results") == "step-6-test-results"
    assert slug("A worked example: airline passengers") == "a-worked-example-airline-passengers"
    assert slug("Backtest: errors by rolling origin") == "backtest-errors-by-rolling-origin"


def test_the_start_page_points_to_the_guide(window):
    from PySide6.QtWidgets import QLabel

    texts = [label.text() for label in window.start_page.findChildren(QLabel)]
    assert any("Help &gt; User guide</b> (F1)" in text for text in texts)


def test_help_user_guide_opens_the_guide_window(window, qtbot):
    help_menu = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"][0]
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["&User guide", "&About RNN Studio"]
    assert window.guide_action.shortcut() == QKeySequence("F1")
    window.guide_action.trigger()
    guide = window.guide_window
    qtbot.waitExposed(guide)
    assert guide.isVisible() and guide.windowTitle() == "RNN Studio user guide"
    assert guide.current_section() == START_SECTION       # from the start page
    assert "seven steps" in guide.browser.toPlainText()
    contents = [guide.contents.topLevelItem(i).text(0)
                for i in range(guide.contents.topLevelItemCount())]
    assert contents[:2] == [START_SECTION, "A worked example: airline passengers"]
    assert [step_heading(n) for n in range(1, 8)] == [t for t in contents
                                                      if t.startswith("Step ")]
    window.guide_action.trigger()                          # a second time: the same window
    assert window.guide_window is guide


def _press_f1(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    qtbot.keyClick(window.steps, Qt.Key.Key_F1)
    guide = window.guide_window
    assert guide is not None and guide.isVisible()
    return guide


def _idle(window, qtbot):
    """Wait for the background work of the page on screen (testing, a forecast)."""
    runners = [r for page in window.pages[3:] for r in page_runners(page)]
    qtbot.waitUntil(lambda: not any(r.running for r in runners), timeout=60000)


def test_f1_on_every_page_opens_the_guide_at_that_steps_section(window, qtbot, gui):
    assert window.open_example("airline")
    page = window.pages[3]
    page.members.setValue(1)
    gui.train_briefly(window, qtbot, max_epochs=2)
    for row in range(len(STEPS)):
        assert window.go_to_step(row)
        _idle(window, qtbot)
        guide = _press_f1(window, qtbot)
        heading = step_heading(row + 1)
        assert guide.current_section() == heading
        assert guide.top_heading() == heading                # scrolled to the top
        assert guide.browser.textCursor().block().text() == heading
        guide.hide()


def test_a_section_can_be_chosen_in_the_contents(qtbot):
    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.open_at()
    qtbot.waitExposed(guide)
    assert guide.top_heading() == "RNN Studio user guide"
    item = guide.contents.findItems("What the numbers mean", Qt.MatchFlag.MatchExactly)[0]
    guide.contents.itemClicked.emit(item, 0)
    assert guide.top_heading() == "What the numbers mean"
    assert not guide.show_section("No such section")
    # "Export" is a section of the worked example and of step 7: each item goes to its own
    deploy = guide.contents.findItems(step_heading(7), Qt.MatchFlag.MatchExactly)[0]
    export = [deploy.child(i) for i in range(deploy.childCount())
              if deploy.child(i).text(0) == "Export"][0]
    guide.contents.itemClicked.emit(export, 0)
    assert guide.browser.textCursor().block().text() == "Export"
    step_7 = [block for _, title, block in guide.headings if title == step_heading(7)][0]
    assert guide.browser.textCursor().position() > step_7.position()
    assert guide.contents.currentItem() is export
    guide.contents.setFocus()                    # the keyboard: arrows, then Enter
    qtbot.keyClick(guide.contents, Qt.Key.Key_Down)
    qtbot.keyClick(guide.contents, Qt.Key.Key_Return)
    assert guide.top_heading() == "What the numbers mean"


def test_the_contents_follow_the_text_as_it_scrolls(qtbot):
    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.open_at(step_heading(2))
    bar = guide.browser.verticalScrollBar()
    guide.show_section(step_heading(5))
    five = bar.value()
    guide.show_section(step_heading(2))
    bar.setValue(five)                       # scrolled by hand to step 5
    assert guide.current_section() == step_heading(5)


def test_find_in_the_guide_moves_from_match_to_match_and_says_when_there_is_none(qtbot):
    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.open_at()
    qtbot.keyClicks(guide.search, "coverage")
    qtbot.keyClick(guide.search, Qt.Key.Key_Return)
    first = guide.browser.textCursor()
    assert first.selectedText().lower() == "coverage"
    assert guide.find()
    assert guide.browser.textCursor().position() > first.position()
    assert guide.found.text() == ""
    guide.search.setText("no such word xyz")
    assert not guide.find()
    assert "Not in the guide" in guide.found.text()


def test_alt_n_and_alt_p_go_to_the_next_and_previous_place_of_the_word(qtbot):
    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.show()
    qtbot.waitExposed(guide)
    guide.open_at()
    guide.search.setText("coverage")
    assert guide.find()
    first = guide.browser.textCursor().position()
    guide.activateWindow()
    qtbot.waitUntil(guide.isActiveWindow, timeout=2000)
    qtbot.keyClick(guide, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: guide.browser.textCursor().position() > first, timeout=2000)
    qtbot.keyClick(guide, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: guide.browser.textCursor().position() == first, timeout=2000)


def test_a_link_to_a_heading_goes_there(qtbot):
    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.open_at(step_heading(6))
    guide.follow_link(QUrl("#what-the-numbers-mean"))
    assert guide.current_section() == "What the numbers mean"


def test_a_missing_guide_is_a_message_not_an_error(qtbot, tmp_path):
    missing = tmp_path / "user-guide.md"
    assert "could not be read" in read_guide(missing)
    guide = GuideWindow(path=missing)
    qtbot.addWidget(guide)
    guide.open_at(step_heading(2))                 # no such section: the top, no error
    assert "docs/user-guide.md" in guide.browser.toPlainText()
    assert help_window.GUIDE.is_file()


def test_links_to_other_documents_open_outside_the_guide(qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(help_window.QDesktopServices, "openUrl", opened.append)
    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.open_at(step_heading(6))
    guide.follow_link(QUrl("testing-results.md#backtest-errors-by-rolling-origin"))
    assert [url.toLocalFile() for url in opened] == [str(ROOT / "docs" / "testing-results.md")]
    assert guide.current_section() == step_heading(6)          # the guide stays where it was
    guide.follow_link(QUrl("no-such-page.md"))
    assert "no-such-page.md comes with RNN Studio's source" in guide.found.text()
    assert len(opened) == 1


def test_the_guide_names_the_buttons_tabs_and_boxes_as_the_pages_show_them(window, gui):
    """A control renamed on a page is renamed in the guide too (the guide writes a control's
    text in bold, as it reads: without the ``&`` of its Alt letter)."""
    data, selection, testing, deploy = (window.pages[i] for i in (1, 4, 5, 6))
    names = [gui.plain(control.text()) for control in (
        selection.apply_button, deploy.forecast.save_button, deploy.forecast.clip,
        data.leave_out)]
    names += [testing.tabs.tabText(i) for i in range(testing.tabs.count())]
    names += [button.text() for button in data.variable_view.buttons.values()]
    assert "Apply and train" in names and "Not below 0" in names
    text = GUIDE.read_text(encoding="utf-8")
    missing = [name for name in names if f"**{name}**" not in text]
    assert not missing, missing


# -- the worked example's figures -------------------------------------------------------------

MEASURES = ("rmse", "mae", "mape", "r2", "mase")
BASELINES = ("persistence", "seasonal_naive", "ets", "theta", "linear")


def guide_row(label):
    """The numbers of the worked example's table row that starts with ``label``."""
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith(label):
            return [float(cell) for cell in cells[1:]]
    raise AssertionError(f"no row {label!r} in the guide's table")


def run(*argv):
    out = io.StringIO()
    assert rnn_studio([str(a) for a in argv], out=out) == 0
    return out.getvalue()


def scores(evaluation):
    """The figures of an ``evaluate --json`` in the order of the guide's table."""
    own = evaluation["targets"]["passengers"]
    return [own[m] for m in MEASURES] + [evaluation["baselines"][b]["targets"]["passengers"]
                                         ["rmse"] for b in BASELINES]


@pytest.mark.slow
def test_the_worked_examples_figures_are_those_rnn_studio_gives(tmp_path):
    """The example as the application opens it, fitted, tested and forecast by the same
    engine calls: the guide's figures must be these (a change of the defaults or of the
    example makes this fail: then run the example again and update the guide)."""
    _, project = example_project("airline", tmp_path / "airline")
    data, model = project.parent / "airline_passengers.csv", tmp_path / "air.npz"
    fitted = run("fit", "--project", project, "--out", model)
    assert "selection passengers: RMSE 11.94" in fitted
    assert "passengers 11.94" in GUIDE.read_text(encoding="utf-8")
    # the page's recursive row: forecasts of the horizon box's steps (the season, 12,
    # shortened to 8 so that 5 forecasts run all their steps in the 12 testing rows)
    for label, extra in (("one step ahead", ()), ("recursive, 1–8 ahead, 5 origins",
                                                  ("--horizon", 8))):
        real = scores(json.loads(run("evaluate", model, data, "--json", *extra)))
        quoted = guide_row(label)
        assert len(quoted) == len(real)
        for said, value in zip(quoted, real):
            assert math.isclose(said, value, rel_tol=0.005), (label, quoted, real)
    forecast = tmp_path / "forecast.csv"
    run("forecast", model, data, "--steps", 12, "--out", forecast)
    header, *rows = forecast.read_text(encoding="utf-8").splitlines()
    text = GUIDE.read_text(encoding="utf-8").splitlines()
    assert header in text
    for row in rows[:2]:
        month, *values = row.split(",")
        quoted = next(line for line in text if line.startswith(month + ",")).split(",")[1:]
        assert len(quoted) == len(values)
        for said, value in zip(quoted, values):
            assert math.isclose(float(said), float(value), rel_tol=1e-6), (quoted, row)
