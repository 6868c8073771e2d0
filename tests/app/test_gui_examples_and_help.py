"""The built-in examples open from the start page ready to train; every control explains
itself with a tooltip and every step page shows what the step is for."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox,
                               QLabel, QLineEdit, QPushButton, QSpinBox)

from app.examples import EXAMPLES
from app.session import DONE, TODO
from app.steps import STEPS
from app.widgets.import_dialog import ImportDialog

CONTROLS = (QComboBox, QSpinBox, QDoubleSpinBox, QLineEdit, QPushButton, QCheckBox)


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_an_example_opens_from_the_start_page_ready_to_train(window, dialogs, gui, qtbot,
                                                             tmp_path, key):
    example = EXAMPLES[key]
    assert window.stack.currentWidget() is window.start_page
    qtbot.mouseClick(gui.button(window.start_page, example.title), Qt.MouseButton.LeftButton)
    session = window.session
    assert session.project is not None and session.project.name == example.title
    assert session.path.is_relative_to(tmp_path / "appdata" / "examples")   # not the user's
    assert session.table is not None
    assert session.step_states()[:4] == [DONE, DONE, DONE, TODO]
    assert window.current_step() == 3                     # opened at the training step
    page = window.pages[3]
    start = page.many.start_button if example.series else page.start_button
    assert start.isEnabled() and start.isVisible()
    assert example.title in window.windowTitle()
    assert not dialogs.warnings and not dialogs.questions
    targets = [v.name for v in session.config().targets]
    assert targets == list(example.targets)


def test_an_example_trains_to_the_end(window, dialogs, gui, qtbot):
    qtbot.mouseClick(gui.button(window.start_page, EXAMPLES["airline"].title),
                     Qt.MouseButton.LeftButton)
    page = window.pages[3]
    page.max_epochs.setValue(3)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    assert not dialogs.warnings
    assert window.session.step_states()[3] == DONE
    assert "maximum of 3 epochs" in page.result.text()
    assert page.progress.value() == 3
    # the least-squares start at epoch 0, then the 3 epochs
    assert list(page.training_curve.getData()[0]) == [0, 1, 2, 3]
    assert gui.curve_length(page.predicted_curve) > 0     # predictions against targets
    assert window.session.trained_model().exists()


def _controls(widget):
    """The controls a user handles inside ``widget`` (not the line edit inside a spin box
    or a combo box, which share their owner's tooltip)."""
    found = []
    for kind in CONTROLS:
        for control in widget.findChildren(kind):
            if isinstance(control.parent(), (QAbstractSpinBox, QComboBox)):
                continue
            if control not in found:
                found.append(control)
    return found


def _describe(control):
    text = control.text() if hasattr(control, "text") and callable(control.text) else ""
    return f"{type(control).__name__} '{text}' ({control.objectName()})"


def test_every_control_has_a_tooltip(window, dialogs, gui, qtbot, semicolon_csv):
    # an example opens every step, so that every page shows all of its controls
    window.open_example("seattle")                         # has a text column as well
    gui.train_briefly(window, qtbot)                       # steps 5-7 need a model
    controls = _controls(window.start_page)
    for row, page in enumerate(window.pages):
        assert window.go_to_step(row)                    # each page shows what it holds
        controls += _controls(page)
    controls += [window.back_button, window.next_button]
    data_page = window.pages[1]
    assert data_page.variables.rowCount() >= 5           # role and scaler of every column
    assert len(controls) > 40
    missing = [_describe(c) for c in controls if not c.toolTip().strip()]
    assert not missing, f"controls without a tooltip: {missing}"
    for row in range(window.steps.count()):
        assert window.steps.item(row).toolTip().strip()

    dialog = ImportDialog(str(semicolon_csv), parent=window)
    qtbot.addWidget(dialog)
    dialog_controls = _controls(dialog)
    assert len(dialog_controls) >= 7
    missing = [_describe(c) for c in dialog_controls if not c.toolTip().strip()
               and c not in dialog.buttons.findChildren(QPushButton)]
    assert not missing, f"import dialog controls without a tooltip: {missing}"


def test_every_step_page_shows_its_explanation(window, dialogs, gui, qtbot):
    window.open_example("airline")
    gui.train_briefly(window, qtbot)
    for row, (frame, step) in enumerate(zip(window.frames, STEPS)):
        label = frame.findChild(QLabel, "explanation")
        assert label is not None, step.title
        assert label.text() == step.explanation and len(label.text()) > 60
        assert window.go_to_step(row)
        assert window.stack.currentWidget() is frame
        assert label.isVisible(), step.title
        assert step.title in frame.findChild(QLabel).text()
    words = " ".join(step.explanation for step in STEPS).lower()
    for idea in ("lookback", "steps ahead", "hidden state", "vanishing gradients", "gru",
                 "lstm", "backpropagation through time", "overfit"):
        assert idea in words, idea
