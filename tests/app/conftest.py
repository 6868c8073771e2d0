"""Fixtures for the tests that drive the main window offscreen.

Every test gets its own settings file, app-data folders (examples, autosave) under
``tmp_path`` and patched modal dialogs: message boxes are recorded and answered from a queue
the test fills, file dialogs return the paths the test queued. Nothing blocks and nothing is
written into the real user folders.
"""

import gc
import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWidgets")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QSettings, QStandardPaths, QTimer  # noqa: E402
from PySide6.QtWidgets import (QApplication, QDialog, QFileDialog,  # noqa: E402
                               QMessageBox, QPushButton)

import app.autosave  # noqa: E402
import app.examples  # noqa: E402


def stop_background_tasks():
    """Stop and wait for the tasks still running in any open window; returns which they
    were. A window deleted with a task running (pytest-qt deletes the widgets of a test,
    also one that refused to close) leaves the task's QThread running, and when Python
    frees that QThread later, Qt aborts the whole process ("QThread: Destroyed while thread
    is still running")."""
    from app.workers import TaskRunner

    stopped = []
    for widget in QApplication.topLevelWidgets():
        for runner in widget.findChildren(TaskRunner):
            if runner.running:
                stopped.append(f"{type(runner.parent()).__name__} of {type(widget).__name__}")
                runner.stop_and_wait()
    return stopped


@pytest.fixture(autouse=True)
def garbage_collected_in_the_main_thread(qapp):
    """No automatic garbage collection during a test, a full one in the main thread around
    it: a collection that a training thread happens to start would destroy the Qt objects
    of earlier tests' windows there and can deadlock with the GUI thread (the application
    avoids it with :func:`app.workers.collect_garbage_in_the_gui_thread`). The widgets
    that earlier tests left to ``deleteLater`` are deleted first, not during this test. A
    test that leaves a background task running fails, its task stopped first. Every test
    has the application (a widget made before it aborts the process), whichever runs
    first."""
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    gc.disable()
    yield
    left_running = stop_background_tasks()
    gc.enable()
    gc.collect()
    assert left_running == [], "the test left background tasks running"


class Dialogs:
    """Stands in for the modal dialogs: records what the window asks and says."""

    def __init__(self):
        self.warnings = []          # (title, text) of QMessageBox.warning/critical
        self.informations = []
        self.questions = []         # (title, text) of QMessageBox.question
        self.answers = []           # answers to give to the next questions, in order
        self.defaults = []          # the default button of each question, in order
        self.open_paths = []        # paths that the next QFileDialog.getOpenFileName return
        self.save_paths = []
        self.folders = []
        self.file_requests = []     # (kind, caption) of every file dialog asked for
        self.proposed = []          # the path each save dialog proposed

    # QMessageBox
    def warning(self, parent, title, text, *args, **kwargs):
        self.warnings.append((title, text))
        return QMessageBox.StandardButton.Ok

    def information(self, parent, title, text, *args, **kwargs):
        self.informations.append((title, text))
        return QMessageBox.StandardButton.Ok

    def about(self, parent, title, text, *args, **kwargs):
        self.informations.append((title, text))

    def question(self, parent, title, text, *args, **kwargs):
        self.questions.append((title, text))
        self.defaults.append(args[1] if len(args) > 1 else kwargs.get("defaultButton"))
        if not self.answers:
            # an unexpected question: answer as a cautious user would (and let the test see it)
            return QMessageBox.StandardButton.Cancel
        return self.answers.pop(0)

    # QFileDialog
    def get_open_file_name(self, parent=None, caption="", *args, **kwargs):
        self.file_requests.append(("open", caption))
        return (str(self.open_paths.pop(0)), "") if self.open_paths else ("", "")

    def get_save_file_name(self, parent=None, caption="", start="", *args, **kwargs):
        self.file_requests.append(("save", caption))
        self.proposed.append(start)
        return (str(self.save_paths.pop(0)), "") if self.save_paths else ("", "")

    def get_existing_directory(self, parent=None, caption="", *args, **kwargs):
        self.file_requests.append(("folder", caption))
        return str(self.folders.pop(0)) if self.folders else ""


@pytest.fixture
def dialogs(tmp_path, monkeypatch):
    """Patched dialogs and app-data folders under ``tmp_path``."""
    QStandardPaths.setTestModeEnabled(True)
    appdata = tmp_path / "appdata"
    monkeypatch.setattr(app.examples, "examples_folder", lambda: appdata / "examples")
    monkeypatch.setattr(app.autosave, "autosave_folder", lambda: appdata / "autosave")
    fake = Dialogs()
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(fake.warning))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(fake.warning))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(fake.information))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(fake.about))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(fake.question))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake.get_open_file_name))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake.get_save_file_name))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(fake.get_existing_directory))
    return fake


@pytest.fixture
def make_window(qtbot, tmp_path, dialogs):
    """``make_window()`` opens a MainWindow with settings in ``tmp_path``; at the end of the
    test every window's training is stopped and the window closed without questions."""
    from app.main_window import MainWindow

    windows = []
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def make():
        window = MainWindow(settings=settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    from shiboken6 import isValid

    for window in windows:
        # pytest-qt has closed each window and asked Qt to delete it later; closing one
        # waits for its pages' own work, and that wait may delete the ones closed before
        if not isValid(window):
            continue
        for page in window.pages[3:]:
            if page.runner.running:
                page.runner.stop_and_wait()
        window.session.dirty = False
        window.close()


@pytest.fixture
def window(make_window):
    return make_window()


# -- data files ---------------------------------------------------------------------------

def write_semicolon_csv(path, rows=240, seed=0):
    """A German-style CSV: ';' between fields, ',' as decimal mark, a date column, a seasonal
    'Temperatur' and a 'Last' that follows it."""
    rng = np.random.default_rng(seed)
    lines = ["Datum;Temperatur;Last"]
    start = np.datetime64("2020-01-01")
    for row in range(rows):
        temperature = 10 + 8 * math.sin(2 * math.pi * row / 12) + rng.normal(0, 0.5)
        load = 100 + 3 * temperature + rng.normal(0, 1.0)
        values = f"{temperature:.2f};{load:.2f}".replace(".", ",")
        lines.append(f"{start + np.timedelta64(row, 'D')};{values}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def semicolon_csv(tmp_path):
    return write_semicolon_csv(tmp_path / "data" / "messwerte.csv")


# -- driving the window -------------------------------------------------------------------

def plain(text):
    """A button's or label's text as it reads on screen: without the ``&`` that marks its
    Alt letter (``&&`` is one ``&``)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def button(parent, text):
    """The push button of ``parent`` whose text (as it reads, without its ``&``) starts
    with ``text``."""
    found = [b for b in parent.findChildren(QPushButton) if plain(b.text()).startswith(text)]
    assert found, f"no button '{text}' in {type(parent).__name__}"
    return found[0]


def run_modal(qtbot, handler, trigger, timeout_ms=20000):
    """Call ``trigger`` (which opens a modal dialog) and let ``handler(dialog)`` act on the
    dialog while its event loop runs, like a user would. A failing handler rejects the
    dialog (so nothing hangs) and its exception is raised here."""
    errors = []

    def act():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, act)
            return
        try:
            handler(dialog)
        except BaseException as error:   # noqa: BLE001 - raised again below
            errors.append(error)
            dialog.reject()

    QTimer.singleShot(0, act)
    result = trigger()
    if errors:
        raise errors[0]
    return result


def set_role(data_page, name, role):
    table = data_page.variables
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == name:
            combo = table.cellWidget(row, 2)
            index = combo.findData(role)
            assert index >= 0, role
            combo.setCurrentIndex(index)
            return
    raise AssertionError(f"no variable {name}")


def accepting_import_dialog(path, parent=None):
    """An import dialog that the user accepts at once with the detected options."""
    from app.widgets.import_dialog import ImportDialog

    dialog = ImportDialog(path, parent=parent)
    dialog.exec = lambda: QDialog.DialogCode.Accepted
    return dialog


def ready_project(window, folder, csv_path, name="Load", cell="gru", hidden=(4,),
                  max_epochs=3, patience=0, batch_size=32, lookback=6):
    """Steps 1-3 done through the pages (the import dialog accepted as detected); the
    window is left on the training step with the given settings."""
    project_page, data_page, architecture_page, training_page = window.pages[:4]
    window.new_project()
    project_page.name.setText(name)
    project_page.folder.setText(str(folder))
    project_page.create_button.click()
    assert window.session.path is not None and window.current_step() == 1
    assert data_page.import_file(str(csv_path), dialog_factory=accepting_import_dialog)
    set_role(data_page, "Temperatur", "input_target")
    data_page.lookback.setValue(lookback)
    assert window.go_to_step(2)
    architecture_page.cell.setCurrentIndex(architecture_page.cell.findData(cell))
    architecture_page.layers.setValue(len(hidden))
    for spin, units in zip(architecture_page.units, hidden):
        spin.setValue(units)
    assert window.go_to_step(3)
    training_page.max_epochs.setValue(max_epochs)
    training_page.patience.setValue(patience)
    training_page.batch_size.setValue(batch_size)
    return training_page


def new_data_project(window, folder, csv_path, name="Shops"):
    """A new project made on the pages in ``folder`` with ``csv_path`` imported as
    detected; the data page."""
    project_page, page = window.pages[:2]
    window.new_project()
    project_page.name.setText(name)
    project_page.folder.setText(str(folder))
    project_page.create_button.click()
    assert page.import_file(str(csv_path), dialog_factory=accepting_import_dialog)
    return page


def train_briefly(window, qtbot, max_epochs=2):
    """Train the open project on the training page for ``max_epochs`` (trial fits of the
    automatic choices included) and wait for the model: steps 5-7 open then."""
    page = window.pages[3]
    assert window.go_to_step(3)
    page.max_epochs.setValue(max_epochs)
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=60000)
    assert window.session.trained_model() is not None
    return page


def tested_briefly(window, qtbot, max_epochs=2):
    """Train the open project of many series on the training page (one network,
    ``max_epochs``), go to the test results and wait for them: the page's view of many
    series."""
    training = window.pages[3]
    assert window.go_to_step(3)
    training.many.max_epochs.setValue(max_epochs)
    training.many.members.setValue(1)
    training.many.start_button.click()
    qtbot.waitUntil(lambda: not training.runner.running, timeout=120000)
    assert window.go_to_step(5)
    view = window.pages[5].many
    qtbot.waitUntil(lambda: view.testing is not None, timeout=120000)
    return view


def curve_length(curve):
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def epochs_drawn(curve):
    """The epochs a loss curve of step 4 draws: its points from epoch 1 on (the
    least-squares start, when it is a candidate, is drawn at epoch 0)."""
    x, _ = curve.getData()
    return 0 if x is None else int((x >= 1).sum())


@pytest.fixture
def gui():
    """The helpers above, for the test modules (conftest is not importable from them)."""
    from types import SimpleNamespace
    return SimpleNamespace(button=button, run_modal=run_modal, set_role=set_role,
                           write_semicolon_csv=write_semicolon_csv, ready_project=ready_project,
                           accepting_import_dialog=accepting_import_dialog,
                           curve_length=curve_length, epochs_drawn=epochs_drawn,
                           train_briefly=train_briefly,
                           tested_briefly=tested_briefly,
                           new_data_project=new_data_project, plain=plain)
