"""Alt and a letter: every page's main actions and the labels of its fields have an
underlined letter (``&`` in their text), a label's letter takes the focus to its field (its
buddy), and no two of the letters on screen together are the same, the menu bar's (File,
Help) counted, on every step of a project of one series and of many, on each tab of a page
with tabs, and in the import dialog."""

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar

from app.widgets.import_dialog import ImportDialog
from helpers.many_projects import open_trained, trained_example
from helpers.pages import each_view

# an "&" before a letter, not "&&" (an "&" shown) nor an HTML entity of rich text ("&gt;")
MNEMONIC = re.compile(r"&(?!&|[a-zA-Z]+;|#\d+;)(\w)")


def mnemonic(text):
    """The Alt letter of ``text`` (lower case), or None."""
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def keys_on_screen(top):
    """``(keys, unbound)``: ``{letter: [texts]}`` of the visible buttons, check boxes, group
    boxes, tab titles and labels with a buddy in ``top`` (and its menu bar's titles), and
    the texts of the visible labels that have a letter but no buddy."""
    keys, unbound = {}, []

    def add(text):
        letter = mnemonic(text)
        if letter is not None:
            keys.setdefault(letter, []).append(text)

    if hasattr(top, "menuBar"):
        for action in top.menuBar().actions():
            add(action.text())
    for widget in top.findChildren(QAbstractButton):
        if widget.isVisible():
            add(widget.text())
    for box in top.findChildren(QGroupBox):
        if box.isVisible():
            add(box.title())
    for bar in top.findChildren(QTabBar):
        if bar.isVisible():
            for index in range(bar.count()):
                add(bar.tabText(index))
    for label in top.findChildren(QLabel):
        if label.isVisible() and mnemonic(label.text()) is not None:
            if label.buddy() is None:
                unbound.append(label.text())
            else:
                add(label.text())
    return keys, unbound


def clashes(top, where):
    """The clashing letters and the labels without buddy on screen in ``top``, each as a
    line naming ``where``."""
    keys, unbound = keys_on_screen(top)
    found = [f"{where}: Alt+{letter.upper()} for {texts}" for letter, texts in keys.items()
             if len(texts) > 1]
    return found + [f"{where}: '{text}' names no field" for text in unbound]


def walk_steps(window, qtbot):
    """The clashes of every step, on each tab of its visible tab widgets, and how many
    letters each step has (with its first tab shown)."""
    found, counts = [], {}
    for where in each_view(window, qtbot):
        found += clashes(window, where)
        counts.setdefault(where.split(",")[0], len(keys_on_screen(window)[0]))
    return found, counts


def test_the_letters_of_the_mnemonic_helper():
    assert mnemonic("&Next >") == "n" and mnemonic("Save &As...") == "a"
    assert mnemonic("Help &gt; User guide") is None and mnemonic("R&&D") is None
    assert mnemonic("R&&D &costs") == "c" and mnemonic("Not below &0") == "0"


def test_every_step_of_one_series_has_its_own_letters(window, dialogs, gui, qtbot):
    window.open_example("airline")
    gui.train_briefly(window, qtbot, max_epochs=1)
    found, counts = walk_steps(window, qtbot)
    assert found == []
    assert all(count >= 5 for count in counts.values()), counts
    training = window.pages[3]
    assert [mnemonic(b.text()) for b in (window.back_button, window.next_button,
                                         training.start_button, training.stop_button)] == \
        ["b", "n", "s", "t"]


def test_every_step_of_many_series_has_its_own_letters(window, dialogs, qtbot, tmp_path):
    _, path, _ = trained_example(tmp_path, lookback=24, max_epochs=1)
    assert open_trained(window, qtbot, path)
    found, counts = walk_steps(window, qtbot)
    assert found == []
    assert all(count >= 5 for count in counts.values()), counts
    forecast = window.pages[6].many.forecast
    assert mnemonic(forecast.button.text()) == "o"
    assert mnemonic(forecast.save_button.text()) == "s"


def test_the_start_page_has_its_own_letters(window, dialogs):
    window.show_start()
    assert clashes(window, "start") == []
    assert {"n", "o"} <= set(keys_on_screen(window)[0])


def test_the_import_dialog_has_a_letter_for_each_field_and_button(window, dialogs,
                                                                    semicolon_csv, qtbot):
    dialog = ImportDialog(str(semicolon_csv), parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert clashes(dialog, "import dialog") == []
    keys, _ = keys_on_screen(dialog)
    for field in (dialog.delimiter, dialog.decimal, dialog.thousands, dialog.encoding,
                  dialog.time_column):
        label = dialog.layout().itemAt(1).layout().itemAt(0).layout().labelForField(field)
        assert label is not None and label.buddy() is field and mnemonic(label.text())
    buttons = dialog.buttons
    assert mnemonic(dialog.header.text()) and [
        mnemonic(buttons.button(which).text()) for which in
        (buttons.StandardButton.Ok, buttons.StandardButton.Cancel)] == ["i", "c"]
    dialog.reject()


def test_a_label_s_letter_takes_the_focus_to_its_field(window, dialogs, qtbot):
    window.open_example("airline")
    assert window.go_to_step(1)
    page = window.pages[1]
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.lookback, timeout=2000)
