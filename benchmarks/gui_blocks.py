"""How long the window's event loop stops turning while a large CSV file goes through the
steps. Figures, not a test.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_blocks.py [--rows 1000000]
        [--no-training] [--stacks] [--profile FILE]

It writes a CSV of ``rows`` hourly rows (a date column, a target ``load``: a daily sine
plus noise, and two inputs), then drives a main window as a person would: a new project,
the file through the import dialog (accepted as detected), ``load`` made the target, the
statistics awaited, steps 3 and 4, a brief training (one small network, one epoch, no
automatic choices), and steps 5, 6 and 7, each awaited until its background work ended.

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


def wait_until(condition, timeout=600.0):
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


def run(rows, training, folder):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.workers import collect_garbage_in_the_gui_thread

    application = QApplication.instance() or QApplication([])
    collect_garbage_in_the_gui_thread()
    csv = folder / "large.csv"
    write_csv(csv, rows)
    window = MainWindow(settings=QSettings(str(folder / "settings.ini"),
                                           QSettings.Format.IniFormat))
    window.show()
    window.resize(1280, 820)
    settle(0.5)
    monitor = GapMonitor()
    load_and_configure(window, monitor, folder / "projects", csv)
    visit(window, monitor, 2, "step 3: architecture",
          lambda: window.pages[2].units[0].setValue(8))
    visit(window, monitor, 3, "step 4: training page")
    if training:
        monitor.enter("step 4: brief training")
        brief_training(window)
        wait_until(lambda: idle(window) and window.session.trained_model() is not None)
        settle(0.5)
        visit(window, monitor, 4, "step 5: model selection")
        visit(window, monitor, 5, "step 6: test results")
        visit(window, monitor, 6, "step 7: deploy")
    monitor.stop()
    window.session.dirty = False
    window.close()
    application.processEvents()
    return monitor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-training", action="store_true")
    parser.add_argument("--stacks", action="store_true",
                        help="print where the GUI thread was during the long gaps")
    parser.add_argument("--profile", metavar="FILE",
                        help="write cProfile statistics of the GUI thread to FILE")
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as folder:
        if profile:
            profile.enable()
        monitor = run(args.rows, not args.no_training, Path(folder))
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
