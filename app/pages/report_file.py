"""Save report... of step 6, for one series and for many: the file dialog, the report
written in a worker thread while the window repaints (:func:`app.background.run_and_wait`)
and what the page then says."""

from PySide6.QtWidgets import QMessageBox

from app import file_dialogs
from app.background import run_and_wait
from engine import EngineError
from engine.tasks import Cancelled


def save_report_file(page, session, status, write):
    """Ask for an HTML file (``<project> test report.html`` beside the project proposed,
    ``.html`` added when the name has no such suffix) and write the report there with
    ``write(path, title, details)``, ``details`` the project, its data file and its model
    file. A failure is said in a warning, the outcome in the label ``status``. Returns the
    path written, or None."""
    project = session.project
    folder = session.path.parent if session.path else project.folder
    target, _ = file_dialogs.save_file_name(
        page, "Save test report", str(folder / f"{project.name} test report.html"),
        "Web pages (*.html)")
    if not target:
        return None
    if not target.lower().endswith((".html", ".htm")):
        target += ".html"
    details = {"Project": project.name, "Data": project.data_file(),
               "Model": session.model_description()}
    try:
        run_and_wait(write, target, f"Test results: {project.name}", details)
    except (EngineError, OSError) as error:
        QMessageBox.warning(page, "Cannot save the report", str(error))
        return None
    except Cancelled:           # the application quits while the report is written
        status.setText("The report was not saved.")
        return None
    status.setText(f"The report was saved to {target}.")
    return target
