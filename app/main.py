"""Starting the desktop application: ``rnn-studio`` (start page), ``rnn-studio PROJECT.json``
(that project) or ``rnn-studio --example KEY`` (a built-in example, ready to train). Every
start first offers to restore unsaved work left by a session that did not end normally
(:meth:`app.main_window.MainWindow.start`). The application ends through :func:`finish`,
which never leaves a background thread to be destroyed while it runs."""

import logging
import os
import sys

NO_DISPLAY = 3      # the exit status without a display; make run takes it as explained
EXIT_WAIT_MS = 1000     # how long the threads still running at the exit may take to end
log = logging.getLogger(__name__)


def display_available():
    """False on Linux without an X11/Wayland display and without QT_QPA_PLATFORM."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def program_name():
    """The program as it was started (``.venv/bin/rnn-studio`` from make run), for the
    commands the messages suggest."""
    started = sys.argv[0] if sys.argv else ""
    return started if os.path.basename(started) == "rnn-studio" else "rnn-studio"


def run(project=None, example=None, argv=None):
    """Open the main window; returns the application's exit code."""
    if not display_available():
        print("rnn-studio: no display found. Start it on a desktop, or without one under a "
              f"virtual display: xvfb-run -a {program_name()}", file=sys.stderr)
        return NO_DISPLAY
    from PySide6.QtWidgets import QApplication

    from .icon import application_icon
    from .main_window import MainWindow
    from .workers import collect_garbage_in_the_gui_thread

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    collect_garbage_in_the_gui_thread()
    app.setOrganizationName("RNN Studio")
    app.setApplicationName("RNN Studio")
    app.setDesktopFileName("rnn-studio")     # matches packaging/rnn-studio.desktop
    app.setWindowIcon(application_icon())
    window = MainWindow()
    window.show()
    window.start(project=project, example=example)
    return finish(app.exec())


def finish(code, wait_ms=EXIT_WAIT_MS):
    """The exit status ``code`` of the application once its event loop ended, when every
    background thread has ended within ``wait_ms`` (closing the window asked their work to
    stop and waited for it already).

    A thread that still runs then (work that does not look whether it was asked to stop)
    cannot be ended from outside, and the interpreter's clean-up would destroy its QThread
    while it runs: Qt aborts the process with a core dump. The process then ends at once
    with ``code``, after the log and the standard streams are flushed. Nothing is left
    half-written: every file is written to a temporary file and renamed onto its target
    (:mod:`engine.atomic`), so a write the exit interrupts leaves the target as it was and
    a temporary file that the next opening of its project removes."""
    from engine.words import counted, verb

    from .workers import threads_running, wait_for_threads

    if wait_for_threads(wait_ms):
        return code
    running = threads_running()
    log.warning("%s %s still running %.1f s after the window closed; the application ends "
                "without waiting for %s.", counted(running, "background thread"),
                verb(running, "is", "are"), wait_ms / 1000, "it" if running == 1 else "them")
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):   # no stream, or a closed one
            pass
    os._exit(code)
