"""The pages speak of the window's own controls: no text or tooltip on any step or tab names
a command-line option (``--clip zero``, ``--forecast-steps``), which a person using the
window has no use for (the command line's messages, in turn, never name the pages)."""

import re

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from helpers.pages import each_view

OPTION = re.compile(r"(?<![\w-])--[a-z]")


def option_texts(window):
    """The visible widgets' texts and tooltips that name a command-line option."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts = [widget.toolTip()]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        found.extend(text for text in texts if OPTION.search(text))
    return found


def test_no_page_names_a_command_line_option(window, dialogs, gui, qtbot):
    window.open_example("airline")
    gui.train_briefly(window, qtbot, max_epochs=1)
    found = set()
    for _ in each_view(window, qtbot):
        found.update(option_texts(window))
    assert sorted(found) == []


def test_the_check_finds_an_option_in_a_text_or_a_tooltip(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    QLabel("Steps (fit --forecast-steps)", holder)
    QLabel("Clip", holder).setToolTip("On the command line: forecast --clip zero.")
    QLabel("Flow in m³/s -- yearly", holder)
    holder.show()
    assert sorted(option_texts(holder)) == ["On the command line: forecast --clip zero.",
                                            "Steps (fit --forecast-steps)"]


def cli_fit_of_many_series(folder):
    """A project of many series fitted on the command line with the time column, the
    testing rows and the units left to the fit, whose notes say how to choose others;
    returns its path."""
    import io

    from engine.cli.main import main
    from helpers.many_projects import shops_with_returns

    _, _, data = shops_with_returns(folder)
    project = folder / "chosen.json"
    out = io.StringIO()
    assert main(["fit", str(data), "--series", "shop", "--target", "sales", "--horizon",
                 "4", "--members", "1", "--epochs", "2", "--project", str(project), "--out",
                 str(folder / "chosen.npz")], out=out, err=io.StringIO()) == 0
    for option in ("--time COL", "--test-last N", "--hidden N"):    # said there
        assert option in out.getvalue()
    return project


def test_no_page_names_an_option_of_a_fit_of_many_series_on_the_command_line(
        window, qtbot, tmp_path):
    from helpers.many_projects import open_trained

    project = cli_fit_of_many_series(tmp_path)
    assert open_trained(window, qtbot, project)
    assert window.go_to_step(3)
    notes = window.pages[3].many.notes.text()
    assert "Time column: week (detected; the role Time in step 2 chooses another)" in notes
    assert "(the Testing box of step 2 chooses another, 0 for none)" in notes
    assert "; Units per layer in step 3 chooses others)" in notes
    found = set()
    for _ in each_view(window, qtbot):
        found.update(option_texts(window))
    assert sorted(found) == []


def test_a_project_whose_notes_name_options_shows_them_in_the_pages_words(window, qtbot,
                                                                          tmp_path):
    """A project written by fit --series before it kept the pages' words."""
    import json

    from helpers.many_projects import open_trained

    path = cli_fit_of_many_series(tmp_path)
    document = json.loads(path.read_text())
    document["results"]["training"]["notes"][0] = ("Time column: week (detected; --time "
                                                   "COL to choose another)")
    path.write_text(json.dumps(document))
    assert open_trained(window, qtbot, path)
    assert window.go_to_step(3)
    notes = window.pages[3].many.notes
    assert notes.text().startswith("Time column: week (detected; the role Time in step 2 "
                                   "chooses another)")
    assert OPTION.search(notes.text()) is None
