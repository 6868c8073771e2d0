"""What a page says when its work was let go. Opening another project stops the work
running in the background and waits for it at most
:data:`~app.main_window.STOP_WAIT_MS`; work the user started that has not ended by then is
let go: its late results are dropped, so what it was making is lost. The page whose work
it was says so in a :class:`LetGoNote` under its status line, in the same words on every
page, until the user starts work there again."""

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel

LET_GO = ("The {work} of the project {name!r} did not stop within {seconds:g} seconds when "
          "you chose to {then}, so it was let go: {lost}")


class LetGoNote(QLabel):
    """The line that says that the ``work`` of ``runner`` (a
    :class:`~app.workers.TaskRunner`; "training", "backtest", ...) was let go and ``lost``
    (what was lost and what to do), hidden until :meth:`say`. It hides again when the user
    starts work on ``runner``, also work that replaces a task still running (a page's own
    work, such as the analysis a page starts when it is shown, leaves it). ``said`` is
    emitted once it is said: the page puts back the controls that the work's end would
    have."""

    said = Signal()

    def __init__(self, runner, work, lost):
        super().__init__()
        self.runner = runner
        self.work, self.lost = work, lost
        self.setWordWrap(True)
        self.setAccessibleName("Work let go")
        self.hide()
        runner.started.connect(self._on_started)

    def say(self, name, then, seconds):
        """The work of the project ``name`` did not stop within ``seconds`` when the user
        chose to ``then`` ("open another project")."""
        self.setText(LET_GO.format(work=self.work, name=name, then=then, seconds=seconds,
                                   lost=self.lost))
        self.show()
        self.said.emit()

    @Slot(bool)
    def _on_started(self, by_user):
        if by_user:
            self.setText("")
            self.hide()
