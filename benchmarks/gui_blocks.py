"""How long the window's event loop stops turning while a large CSV file goes through the
steps. Figures, not a test.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_blocks.py [--rows 1000000]
        [--no-training] [--folder DIR] [--project PROJECT.json] [--stacks] [--profile FILE]

It writes a CSV of ``rows`` hourly rows (a date column, a target ``load``: a daily sine
plus noise, and two inputs), then drives a main window as a person would: a new project,
the file through the import dialog (accepted as detected), ``load`` made the target, the
statistics awaited, steps 3 and 4, a brief training (one small network, one epoch, no
automatic choices), and steps 5, 6 and 7, each awaited until its background work ended:
step 5 a search started and stopped after its first trial's training began; step 6 the
page (the testing analysis), each of its tabs in turn (Show all on the first) and the
report saved; step 7 the
page (the model read, the forecast), the forecast saved, the data file predicted to a new
file (batch prediction), the model exported as a model file and as a Python module, and
the project saved.

``--project`` opens a project trained before (e.g. by ``rnn-studio fit DATA --project
PROJECT.json ...``) and measures steps 5 to 7 only; ``--folder`` keeps the files written
(the CSV file is reused when it is there).

A timer of the GUI thread ticks every 20 ms; a gap between two ticks is the time the event
loop did not turn (nothing repainted, no click answered). For each phase it reports the
longest gap and the sum of gaps above 200 ms. A watchdog thread records where the GUI
thread is while a gap lasts longer than 100 ms (``--stacks`` prints the places seen most).
"""

import argparse
import collections
import cProfile
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TICK_MS = 20
LONG = 0.2          # seconds: a gap above this is a block the person notices
SAMPLE_AFTER = 0.1  # seconds into a gap before the watchdog samples the GUI thread
SEARCH_SECONDS = 5  # how long step 5's search runs before Stop


def write_csv(path, rows, seed=0):
    """``rows`` hourly rows: time, load (a daily sine plus noise), temperature, price."""
    rng = np.random.default_rng(seed)
    hours = np.arange(rows)
    temperature = 10 + 8 * np.sin(2 * np.pi * hours / 24) + rng.normal(0, 0.5, rows)
    load = 100 + 20 * np.sin(2 * np.pi * (hours - 3) / 24) + 0.5 * temperature \
        + rng.normal(0, 2, rows)
    frame = pd.DataFrame({"time": pd.date_range("2000-01-01", periods=rows, freq="h"),
                          "load": load.round(3), "temperature": temperature.round(3),
                          "price": (50 + rng.normal(0, 5, rows)).round(3)})
    frame.to_csv(path, index=False)


class GapMonitor:
    """Ticks every :data:`TICK_MS` in the GUI thread; records each gap by phase."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.phase = "start"
        self.gaps = collections.defaultdict(list)
        self.samples = collections.Counter()
        self.last, self.busy = time.perf_counter(), time.thread_time()
        self.main = threading.main_thread().ident
        self.running = True
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.watchdog = threading.Thread(target=self._watch, daemon=True)
        self.watchdog.start()

    def tick(self):
        now, busy = time.perf_counter(), time.thread_time()
        self.gaps[self.phase].append((now - self.last, busy - self.busy))
        self.last, self.busy = now, busy

    def enter(self, phase):
        self.tick()
        if self.phase in self.gaps:         # the row of the phase that ended, at once
            print(self.row(self.phase), file=sys.stderr, flush=True)
        self.phase = phase

    def _watch(self):
        while self.running:
            time.sleep(0.02)
            if time.perf_counter() - self.last > SAMPLE_AFTER:
                frame = sys._current_frames().get(self.main)
                if frame is not None:
                    self.samples[self._place(frame)] += 1

    def _place(self, frame):
        """The innermost frame, and the innermost two of the project's own code (app/,
        engine/) when it is elsewhere."""
        stack = traceback.extract_stack(frame)
        ours = [f for f in stack if "/app/" in f.filename or "/engine/" in f.filename]
        shown = ours[-2:] + ([stack[-1]] if stack[-1] not in ours[-2:] else [])
        return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                          for f in reversed(shown))

    def stop(self):
        self.tick()
        self.running = False
        self.timer.stop()

    def row(self, phase):
        """The table row of ``phase``: its longest gap, the GUI thread's own time in that
        gap, the sum of its gaps above :data:`LONG` and how long the phase took."""
        gaps = self.gaps[phase]
        longest, busy = max(gaps)
        long = sum(gap for gap, _ in gaps if gap > LONG)
        took = sum(gap for gap, _ in gaps)
        return f"| {phase} | {longest:.2f} | {busy:.2f} | {long:.2f} | {took:.1f} |"

    def report(self):
        lines = ["| Phase | Longest gap (s) | GUI thread busy in it (s) | Gaps above 0.2 s "
                 "(s, sum) | Phase took (s) |", "|---|---|---|---|---|"]
        return "\n".join(lines + [self.row(phase) for phase in self.gaps])


def wait_until(condition, timeout=3600.0):
    """Turn the event loop until ``condition()`` holds."""
    from PySide6.QtWidgets import QApplication

    ended = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > ended:
            raise TimeoutError("the page's work did not end in time")
        QApplication.processEvents()
        time.sleep(0.005)


def settle(seconds=1.0):
    """Turn the event loop for ``seconds``."""
    from PySide6.QtWidgets import QApplication

    ended = time.perf_counter() + seconds
    while time.perf_counter() < ended:
        QApplication.processEvents()
        time.sleep(0.005)


def idle(window):
    """No page's background work runs."""
    from app.workers import TaskRunner

    return not any(runner.running for runner in window.findChildren(TaskRunner))


def accepting_dialog(path, parent=None):
    from PySide6.QtWidgets import QDialog

    from app.widgets.import_dialog import ImportDialog

    dialog = ImportDialog(path, parent=parent)
    dialog.exec = lambda: QDialog.DialogCode.Accepted
    return dialog


def set_role(page, name, role):
    """Choose ``role`` in the role box of column ``name`` (found by its accessible name)."""
    from PySide6.QtWidgets import QComboBox

    box = next(box for box in page.variables.findChildren(QComboBox)
               if box.accessibleName() == f"Role of {name}")
    box.setCurrentIndex(box.findData(role))


def load_and_configure(window, monitor, folder, csv):
    project_page, data_page = window.pages[:2]
    monitor.enter("step 1: new project")
    window.new_project()
    project_page.name.setText("Large")
    project_page.folder.setText(str(folder))
    project_page.create_button.click()
    monitor.enter("step 2: import dialog and page")
    data_page.import_file(str(csv), dialog_factory=accepting_dialog)
    wait_until(lambda: idle(window))
    monitor.enter("step 2: target chosen")
    set_role(data_page, "load", "target")
    wait_until(lambda: idle(window) and data_page.statistics is not None)
    monitor.enter("step 2: lookback typed")
    data_page.lookback.setValue(24)
    wait_until(lambda: idle(window))
    monitor.enter("step 2: variable selected")
    data_page.variables.selectRow(2)
    wait_until(lambda: idle(window))


def visit(window, monitor, step, label, then=None):
    monitor.enter(label)
    assert window.go_to_step(step), f"step {step + 1} is locked"
    if then is not None:
        then()
    wait_until(lambda: idle(window))
    settle(0.5)


def brief_training(window):
    page = window.pages[3]
    selection = window.session.project.selection
    for key in list(selection.settings):
        if key.startswith("choose"):
            selection.settings.pop(key)
    page.max_epochs.setValue(1)
    page.members.setValue(1)
    page.batch_size.setValue(1024)
    page.start_button.click()


class FileAnswers:
    """Stands in for the file dialogs and message boxes: each save dialog answers the next
    of :attr:`save_paths`, each open dialog the next of :attr:`open_paths`; warnings are
    printed (a benchmark has nobody to click them away)."""

    def __init__(self):
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        self.save_paths, self.open_paths = [], []
        QFileDialog.getSaveFileName = staticmethod(
            lambda *args, **kwargs: (str(self.save_paths.pop(0)), ""))
        QFileDialog.getOpenFileName = staticmethod(
            lambda *args, **kwargs: (str(self.open_paths.pop(0)), ""))
        for name in ("warning", "critical", "information"):
            setattr(QMessageBox, name, staticmethod(self._said))
        QMessageBox.question = staticmethod(
            lambda *args, **kwargs: QMessageBox.StandardButton.Yes)

    @staticmethod
    def _said(parent, title, text, *args, **kwargs):
        from PySide6.QtWidgets import QMessageBox

        print(f"[{title}] {text}", file=sys.stderr, flush=True)
        return QMessageBox.StandardButton.Ok


def act(window, monitor, label, action):
    """``action()`` as phase ``label``, awaited until no background work runs."""
    monitor.enter(label)
    action()
    wait_until(lambda: idle(window))
    settle(0.5)


def search_and_stop(window, monitor):
    """Step 5: Start search (the page's settings), Stop :data:`SEARCH_SECONDS` later, then
    the search's end awaited."""
    page = window.pages[4]
    monitor.enter("step 5: search started")
    page.start_button.click()
    began = time.perf_counter()
    wait_until(lambda: time.perf_counter() - began > SEARCH_SECONDS or not page.runner.running)
    monitor.enter("step 5: search stopped")
    if page.runner.running:
        page.stop_button.click()
    wait_until(lambda: idle(window))
    settle(0.5)


def testing_tabs(window, monitor, answers, folder):
    """Step 6 after its analysis: each tab shown in turn, then Save report."""
    page = window.pages[5]
    for index in range(page.tabs.count()):
        act(window, monitor, f"step 6: tab {page.tabs.tabText(index)}",
            lambda: page.tabs.setCurrentIndex(index))
        if index == 0:
            act(window, monitor, "step 6: Predictions, Show all",
                page.prediction_view.buttons["all"].click)
    answers.save_paths.append(folder / "report.html")
    act(window, monitor, "step 6: report saved", page.save_report)


def deploy_tools(window, monitor, answers, folder, csv):
    """Step 7 after the page's own forecast: the tools a person uses, one phase each."""
    page = window.pages[6]
    tabs = page.tabs
    act(window, monitor, "step 7: forecast again", page.forecast.run)
    answers.save_paths.append(folder / "forecast.csv")
    act(window, monitor, "step 7: forecast saved", page.forecast.save)
    tabs.setCurrentWidget(page.batch)
    answers.open_paths.append(csv)
    answers.save_paths.append(folder / "predictions.csv")
    act(window, monitor, "step 7: batch prediction of the data file",
        page.batch.predict_file)
    tabs.setCurrentWidget(page.exports)
    for fmt, path in (("model", "exported.model.npz"), ("python", "exported_model.py")):
        answers.save_paths.append(folder / path)
        act(window, monitor, f"step 7: export as {fmt}", lambda f=fmt: page.exports.export(f))
    act(window, monitor, "step 7: project saved", window.save)


def steps_five_to_seven(window, monitor, folder, csv):
    answers = FileAnswers()
    visit(window, monitor, 4, "step 5: model selection")
    search_and_stop(window, monitor)
    visit(window, monitor, 5, "step 6: test results")
    testing_tabs(window, monitor, answers, folder)
    visit(window, monitor, 6, "step 7: deploy (model read, forecast)")
    deploy_tools(window, monitor, answers, folder, csv)


def open_window(folder):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.workers import collect_garbage_in_the_gui_thread

    application = QApplication.instance() or QApplication([])
    collect_garbage_in_the_gui_thread()
    window = MainWindow(settings=QSettings(str(folder / "settings.ini"),
                                           QSettings.Format.IniFormat))
    window.show()
    window.resize(1280, 820)
    settle(0.5)
    return application, window


def run(rows, training, folder, project=None):
    """Drive a window through the steps (from step 5 with ``project``, a trained one)."""
    csv = folder / "large.csv"
    if project is None and not csv.exists():
        write_csv(csv, rows)
    application, window = open_window(folder)
    monitor = GapMonitor()
    if project is not None:
        monitor.enter("project opened")
        assert window.open_project(str(project)), "the project did not open"
        wait_until(lambda: idle(window))
        csv = Path(window.session.project.data_file())
    else:
        load_and_configure(window, monitor, folder / "projects", csv)
        visit(window, monitor, 2, "step 3: architecture",
              lambda: window.pages[2].units[0].setValue(8))
        visit(window, monitor, 3, "step 4: training page")
    if training and project is None:
        monitor.enter("step 4: brief training")
        brief_training(window)
        wait_until(lambda: idle(window) and window.session.trained_model() is not None)
        settle(0.5)
    if training or project is not None:
        steps_five_to_seven(window, monitor, folder, csv)
    monitor.stop()
    window.session.dirty = False
    window.close()
    application.processEvents()
    return monitor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-training", action="store_true")
    parser.add_argument("--folder", type=Path,
                        help="write the files here and keep them (default: a temporary "
                             "folder)")
    parser.add_argument("--project", type=Path,
                        help="a trained project: open it and measure steps 5 to 7")
    parser.add_argument("--stacks", action="store_true",
                        help="print where the GUI thread was during the long gaps")
    parser.add_argument("--profile", metavar="FILE",
                        help="write cProfile statistics of the GUI thread to FILE")
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.folder or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if profile:
            profile.enable()
        monitor = run(args.rows, not args.no_training, folder, args.project)
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
    print(f"{args.rows:,} hourly rows, 3 numeric columns; ticks every {TICK_MS} ms\n")
    print(monitor.report())
    if args.stacks:
        print(f"\nWhere the GUI thread was, sampled every 20 ms after {SAMPLE_AFTER} s "
              "of a gap:")
        for place, count in monitor.samples.most_common(25):
            print(f"{count * 0.02:6.2f} s  {place}")


if __name__ == "__main__":
    main()
