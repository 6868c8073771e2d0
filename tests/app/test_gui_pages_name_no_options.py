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
