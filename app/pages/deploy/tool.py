"""What every tab of the deploy page is: a widget that shows one model at a time."""

from PySide6.QtWidgets import QWidget


class DeployTool(QWidget):
    """A tab of the deploy page. The page calls ``show_model(model, fitted)`` when its model
    changes (``None, None``: no model) and ``set_busy(running)`` while any tab's task runs;
    a tab defines ``clear()`` (forget its results) and ``set_busy``. ``tasks`` is the
    page's :class:`~app.pages.deploy.tasks.ToolTasks`."""

    def __init__(self, session, tasks):
        super().__init__()
        self.session, self.tasks = session, tasks
        self.model = None

    def show_model(self, model, fitted):
        self.model = model
        self.clear()
