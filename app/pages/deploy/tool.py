"""What every tab of the deploy page is: a widget that shows one model at a time; and the
CSV file a tab writes, as the person chooses it."""

import os

from PySide6.QtWidgets import QMessageBox, QWidget

from engine.atomic import check_not_replacing
from engine.errors import EngineError

from ... import file_dialogs
from .texts import default_path


class DeployTool(QWidget):
    """A tab of the deploy page. The page calls ``show_model(model, fitted)`` when its model
    changes (``None, None``: no model) and ``set_busy(running)`` while any tab's task runs;
    a tab defines ``clear()`` (forget its results) and ``set_busy``. ``tasks`` is the
    page's :class:`~app.pages.deploy.tasks.ToolTasks`; ``unfit`` why the data set of step
    2 does not fit a model of many series, which the page shows above the tabs (None: it
    fits, or there is none)."""

    def __init__(self, session, tasks):
        super().__init__()
        self.session, self.tasks = session, tasks
        self.model = None
        self.unfit = None

    def show_model(self, model, fitted):
        self.model = model
        self.clear()


def csv_target(tab, caption, suffix, reads=None):
    """The CSV file the person chooses to write (``.csv`` added to a name without it),
    proposed as ``reads``'s name (the file the tab reads; default: the project's data
    file, and the project's name) with ``suffix``; None when they cancel, or choose a file
    :func:`refuses_target` keeps."""
    project = tab.session.project
    start = os.path.splitext(reads)[0] + suffix if reads else default_path(project, suffix)
    target, _ = file_dialogs.save_file_name(tab, caption, start, "CSV files (*.csv)")
    if not target:
        return None
    target = target if target.lower().endswith(".csv") else target + ".csv"
    return None if refuses_target(tab, target, reads) else target


def refuses_target(tab, target, reads=None):
    """Whether ``target``, the file a tab of step 7 (or step 4's export) is to write, is
    the file it reads (``reads``), the project's data file or one of its model files
    (:meth:`~app.session.ProjectSession.kept_model_files`: an export over the saved model
    left the project needing a training again), which writing would replace: a warning
    says so, and the person chooses another name."""
    project = tab.session.project
    try:
        check_not_replacing(target, reads)
        check_not_replacing(target, project.data_file() if project else None,
                            "project's data")
        for model in tab.session.kept_model_files():
            check_not_replacing(target, model, "project's model")
    except EngineError as error:
        QMessageBox.warning(tab, "Choose another file", str(error))
        return True
    return False
