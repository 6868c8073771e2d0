"""Starting the desktop application: ``rnn-studio`` (start page), ``rnn-studio PROJECT.json``
(that project) or ``rnn-studio --example KEY`` (a built-in example, ready to train). Every
start first offers to restore unsaved work left by a session that did not end normally
(:meth:`app.main_window.MainWindow.start`)."""

import os
import sys

NO_DISPLAY = 3      # the exit status without a display; make run takes it as explained


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
    return app.exec()
