import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from engine.tasks import Cancelled
from helpers.projects import untrained_project


def test_shot(window, dialogs, qtbot, tmp_path):
    assert window.open_project(untrained_project(tmp_path, "alpha"))
    window.go_to_step(3)
    page = window.pages[3]

    def slow_to_stop(task):
        while not task.cancelled:
            time.sleep(0.01)
        time.sleep(1.5)
        raise Cancelled()

    page.runner.start(slow_to_stop)
    for i, (w, h) in enumerate([(1000, 680), (1400, 900)]):
        window.resize(w, h)
        QTimer.singleShot(900, lambda i=i: window.grab().save(f"/tmp/fix9_repro/close_{i}.png"))
        QTimer.singleShot(900, lambda i=i: QApplication.activeModalWidget().grab().save(f"/tmp/fix9_repro/notice_{i}.png"))
        if i == 0:
            # open another project instead of closing, to get a second wait
            dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
            window.new_project()
            assert window.open_project(untrained_project(tmp_path / "b", "beta"))
            window.go_to_step(3)
            page.runner.start(slow_to_stop)
        else:
            dialogs.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard]
            window.close()
