"""A one-line training progress bar for terminals, fed with :class:`EpochReport` objects."""

import sys


def format_seconds(seconds):
    """``75.3`` -> ``"1:15"``; hours when needed (``"2:03:04"``)."""
    seconds = int(round(max(seconds, 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ProgressBar:
    """Redraws one line per epoch: bar, epoch, losses, best epoch and time left.

    The time left is an upper bound (all remaining epochs at the mean pace so far): early
    stopping usually ends sooner. Writes nothing when ``stream`` is not a terminal, unless
    ``force``.
    """

    def __init__(self, stream=None, width=24, force=False):
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = force or (hasattr(self.stream, "isatty") and self.stream.isatty())
        self.drawn = False

    def line(self, report):
        done = report.epoch / report.max_epochs
        filled = int(round(done * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        left = report.elapsed / report.epoch * (report.max_epochs - report.epoch)
        selection = ("" if report.selection_loss is None
                     else f" selection {report.selection_loss:.4g}")
        return (f"[{bar}] epoch {report.epoch}/{report.max_epochs} "
                f"training {report.training_loss:.4g}{selection} best@{report.best_epoch} "
                f"left <= {format_seconds(left)}")

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
