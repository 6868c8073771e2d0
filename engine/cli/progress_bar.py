"""How a long command reports progress on ``err``: :class:`Progress`, fed with stage texts
and :class:`EpochReport` objects.

On a terminal, a training's epochs redraw one line (a bar, the epoch, the losses, the best
epoch and the time left) and every stage is a line of its own. On a file or a pipe, where
a redrawn line would be a flood of carriage returns, the same reports are lines that start
with the time since the command started, flushed at once: after a first
:data:`QUIET_SECONDS` (a short command writes nothing there; a stage begun in them is
written when they end), every stage, and an epoch at most every :data:`EPOCH_SECONDS`.
"""

import sys
import threading
import time

from engine.training.time_left import format_seconds, time_left

QUIET_SECONDS = 5.0
"""On a file or a pipe: how long a command works before its first line of progress."""
EPOCH_SECONDS = 10.0
"""On a file or a pipe: the least time between two lines on epochs."""


def epoch_text(report):
    """One epoch in words: ``"epoch 34/1000 training 0.012 selection 0.02 best@30"``."""
    selection = ("" if report.selection_loss is None
                 else f" selection {report.selection_loss:.4g}")
    return (f"epoch {report.epoch}/{report.max_epochs} training "
            f"{report.training_loss:.4g}{selection} best@{report.best_epoch}")


class ProgressBar:
    """Redraws one line per epoch: bar, epoch, losses, best epoch and time left.

    The time left is an upper bound (:func:`engine.training.time_left.time_left` of the
    ``stage`` running: all remaining epochs, of this network and of the networks after
    it, at the mean pace so far): early stopping usually ends sooner. Writes nothing when
    ``stream`` is not a terminal, unless ``force``.
    """

    def __init__(self, stream=None, width=24, force=False):
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = force or is_terminal(self.stream)
        self.drawn = False
        self.stage = ""

    def line(self, report):
        done = report.epoch / report.max_epochs
        filled = int(round(done * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        return f"[{bar}] {epoch_text(report)} {time_left(self.stage, report).short}"

    def __call__(self, report):
        if not self.enabled:
            return
        self.stream.write("\r" + self.line(report) + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self):
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def is_terminal(stream):
    return hasattr(stream, "isatty") and stream.isatty()


class TimedLines:
    """Progress on a file or a pipe (see the module docstring): ``stage(text)``,
    ``epoch(report)`` and ``close()``; lines ``"[m:ss] text"``. ``clock``: seconds (a
    test's own clock)."""

    def __init__(self, stream, indent="", clock=time.monotonic):
        self.stream, self.indent, self.clock = stream, indent, clock
        self.started = clock()
        self.last_epoch = None
        self.held = None                    # a stage begun in the quiet seconds
        self.running = ""                   # the latest stage, for the time left
        self.lock = threading.Lock()
        self.timer = None

    def _write(self, text):
        elapsed = format_seconds(self.clock() - self.started)
        self.stream.write(f"{self.indent}[{elapsed}] {text}\n")
        self.stream.flush()

    def _quiet(self):
        return self.clock() - self.started < QUIET_SECONDS

    def stage(self, text):
        with self.lock:
            self.running = text
            if not self._quiet():
                self.held = None
                self._write(text)
                return
            self.held = text
            if self.timer is None:
                wait = QUIET_SECONDS - (self.clock() - self.started)
                self.timer = threading.Timer(max(wait, 0.0), self._write_held)
                self.timer.daemon = True
                self.timer.start()

    def _write_held(self):
        with self.lock:
            if self.held is not None:
                self._write(self.held)
                self.held = None

    def epoch(self, report):
        with self.lock:
            now = self.clock()
            if self._quiet() or (self.last_epoch is not None
                                 and now - self.last_epoch < EPOCH_SECONDS):
                return
            if self.held is not None:
                self._write(self.held)
                self.held = None
            self.last_epoch = now
            self._write(f"{epoch_text(report)}. {time_left(self.running, report).sentence}")

    def close(self):
        """Stop the timer; a stage still held in the quiet seconds is never written."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer.join()
        with self.lock:
            self.held = None


class TerminalLines:
    """Progress on a terminal: the epochs as a :class:`ProgressBar`, each stage a line."""

    def __init__(self, stream, indent=""):
        self.stream, self.indent = stream, indent
        self.bar = ProgressBar(stream, force=True)

    def stage(self, text):
        self.bar.close()
        self.bar.stage = text
        print(f"{self.indent}{text}", file=self.stream)

    def epoch(self, report):
        self.bar(report)

    def close(self):
        self.bar.close()


def progress(stream, indent=""):
    """The progress of a command on ``stream``: :class:`TerminalLines` on a terminal, else
    :class:`TimedLines`; both have ``stage(text)``, ``epoch(report)`` and ``close()``."""
    return (TerminalLines if is_terminal(stream) else TimedLines)(stream, indent)
