"""Working with the keyboard and a screen reader: Tab reaches every setting of the data
page and leaves its table, the project page's description, and names for the controls a
label beside a row of widgets does not name."""

from PySide6.QtCore import Qt


def _tab_chain(start, limit=20000):
    """The widgets Tab visits from ``start`` (focus chain order, focusable ones only)."""
    seen, widget = [], start
    for _ in range(limit):
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(start.window()):
            seen.append(widget)
    return seen


def test_tab_leaves_the_variables_and_reaches_the_settings_and_next(window, dialogs,
                                                                      qtbot):
    window.open_example("airline")
    assert window.go_to_step(1)
    page = window.pages[1]
    assert not page.variables.tabKeyNavigation()
    chain = _tab_chain(page.variables)
    roles = [page.variables.cellWidget(row, 2) for row in range(page.variables.rowCount())]
    assert chain[:len(roles) * 2:2] == roles                  # the boxes follow the table
    after = chain.index(roles[-1])
    assert chain.index(page.missing) > after and chain.index(page.lookback) > after
    assert window.next_button in chain
    assert roles[0].accessibleName() == "Role of month"
    assert page.lookback.accessibleName() == "Lookback (time steps)"


def test_tab_goes_on_from_the_description_and_enter_in_the_name_creates(
        window, dialogs, tmp_path):
    window.new_project()
    page = window.pages[0]
    assert page.description.tabChangesFocus()
    page.name.setText("Keys")
    page.folder.setText(str(tmp_path / "keys"))
    page.name.returnPressed.emit()
    assert window.session.path is not None and window.current_step() == 1


def test_the_step_list_says_each_state_in_words(window, dialogs):
    window.open_example("airline")
    texts = [window.steps.item(row).data(Qt.ItemDataRole.AccessibleTextRole)
             for row in range(window.steps.count())]
    assert texts[0] == "1. Create project: done"
    assert all(": " in text for text in texts[:4])


def test_a_new_project_starts_in_its_name_and_start_hands_the_focus_to_stop(window,
                                                                             dialogs):
    window.show()
    window.new_project()
    assert window.focusWidget() is window.pages[0].name
    page = window.pages[3]
    page.start_button.setFocus()
    page._set_running(True)
    assert page.stop_button.hasFocus() or window.focusWidget() is page.stop_button
    page._set_running(False)
    assert window.focusWidget() is page.start_button
