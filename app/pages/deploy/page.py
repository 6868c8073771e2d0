"""Step 7: deploy the model. A forecast after the end of the data with its interval band
(saved as CSV), batch prediction of another CSV file, the outputs calculator, directional
outputs, and the exports (model file, Python module, ONNX, PyTorch weights), one tab each.

Every computation is an engine call (:mod:`engine.deploy.forecasting`,
:mod:`engine.deploy.calculator`, :mod:`engine.deploy.predicting`,
:mod:`engine.deploy.exports`), and so is reading the model file, run by the page's one
TaskRunner; the page and its tabs show the results. A model of many series (a global
model) gets the tabs of :mod:`app.pages.deploy.many_view` instead."""

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QLabel, QMessageBox, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from engine.model.model_file import holds_many_series, load_model

from ...workers import TaskRunner
from ..let_go import LetGoNote
from .batch_tab import BatchTab
from .calculator_tab import CalculatorTab
from .directional_tab import DirectionalTab
from .export_tab import ExportTab
from .forecast_tab import ForecastTab
from .many_view import ManyDeployView, many_summary, read_many_model
from .tasks import ToolTasks
from .texts import model_summary

NOT_TRAINED = "Train the network first (step 4); then it is deployed here."
LOADING = "Reading the model file..."
EARLIER_STEP = "An earlier step needs attention first; then the model is deployed here."
DEPLOY_STEP = 6


def read_model(path):
    """``(model, fitted preprocessing)`` of the model file at ``path`` (the slow part of
    showing a model: it runs in the page's worker thread)."""
    model = load_model(path)
    return model, model.preprocessing


class DeployPage(QWidget):
    """The deployment step's page; ``refresh()`` when it is shown or the project changes.

    ``model`` / ``fitted`` are the model on screen; the tools are ``forecast``, ``batch``,
    ``calculator``, ``directional`` and ``exports``. For a model of many series ``fitted``
    is None and ``many`` (a :class:`ManyDeployView`) shows it. Emits ``method_chosen``
    when another forecast method is chosen, or the tabs of the other kind of model are
    shown (:meth:`without_intervals` may then say otherwise)."""

    method_chosen = Signal()

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.model = None
        self.model_path = None
        self.fitted = None
        self._refresh_pending = False
        self.runner = TaskRunner(self)
        self.runner.running_changed.connect(self._on_running)
        self.tasks = ToolTasks(self.runner, self._on_failed)
        self.tasks.ended.connect(self._after_task)

        self.status = QLabel(NOT_TRAINED)
        self.status.setWordWrap(True)
        self.let_go_note = LetGoNote(self.runner, "forecast, prediction or export",
                                     "what it was making is lost. Run it again to have it.")
        self.let_go_notes = [self.let_go_note]
        self._build_tools()
        self.many = ManyDeployView(session, self.tasks)
        self.views = QStackedWidget()
        self.views.addWidget(self.tabs)
        self.views.addWidget(self.many)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.let_go_note)
        layout.addWidget(self.views, 1)
        self.views.setEnabled(False)
        for tab in (self.forecast, self.many.forecast):
            tab.method.currentIndexChanged.connect(self._on_method_chosen)

    def _build_tools(self):
        self.forecast = ForecastTab(self.session, self.tasks)
        self.batch = BatchTab(self.session, self.tasks)
        self.calculator = CalculatorTab(self.session, self.tasks)
        self.directional = DirectionalTab(self.session, self.tasks, self.calculator)
        self.exports = ExportTab(self.session, self.tasks)
        self.forecast.forecasted.connect(self.calculator.calculate_unless_shown)
        self.tools = [self.forecast, self.batch, self.calculator, self.directional,
                      self.exports]
        self.tabs = QTabWidget()
        for tool, title in zip(self.tools, ("Forecast", "Batch prediction",
                                            "Outputs calculator", "Directional outputs",
                                            "Export")):
            self.tabs.addTab(tool, title)

    # -- the model -------------------------------------------------------------------------
    def refresh(self):
        """Load the latest trained model (when it changed) and fill the page from it."""
        self._refresh_pending = False
        path = self.session.trained_model() if self.session.project else None
        key = self.session.model_identity() if path is not None else None
        if key is None:
            self._show_no_model(NOT_TRAINED)
            return
        if not self.session.reachable(DEPLOY_STEP):
            # an earlier step has a problem (a column renamed, say): its page says which,
            # and nothing is forecast from data the model cannot read
            self._show_no_model(EARLIER_STEP)
            return
        if key == self.model_path:          # the same model; a save may have moved it
            self._show_summary(path)
            return
        if self.runner.running:             # a tool's task or an older model's reading
            self._refresh_pending = True
            return
        self._show_no_model(LOADING)
        many = holds_many_series(path)
        with self.tasks.on_its_own():
            self.tasks.start(*((read_many_model, path, self.session.table) if many else
                               (read_model, path)),
                             done=lambda loaded: (self._use_many if many else
                                                  self._use_model)(key, loaded),
                             failed=self._model_failed,
                             cancelled=lambda: self.status.setText(""))

    def _use_model(self, key, loaded):
        if self.session.model_identity() != key:      # another model meanwhile
            self._refresh_pending = True
            return
        self.model, self.fitted = loaded
        self.model_path = key
        self.views.setCurrentWidget(self.tabs)
        self.method_chosen.emit()
        self.views.setEnabled(True)
        self._show_summary(self.session.trained_model())
        for tool in self.tools:
            tool.show_model(self.model, self.fitted)
        if self.session.table is not None:
            with self.tasks.on_its_own():
                self.forecast.run()

    def _use_many(self, key, loaded):
        """Show the :class:`~app.pages.deploy.many_view.ManyModel` ``loaded`` and forecast
        every series."""
        if self.session.model_identity() != key:      # another model meanwhile
            self._refresh_pending = True
            return
        self.model, self.fitted = loaded.model, None
        self.model_path = key
        self.views.setCurrentWidget(self.many)
        self.method_chosen.emit()
        self.views.setEnabled(True)
        self._show_summary(self.session.trained_model())
        self.many.show_model(loaded)
        if loaded.data is not None:
            with self.tasks.on_its_own():
                self.many.forecast.run()

    def _model_failed(self, message):
        self.status.setText(f"<span style='color:#b00020'>{message}</span>")

    def _show_summary(self, path):
        unsaved = path == self.session.pending_model
        if self.fitted is None:
            self.status.setText(many_summary(self.model, path, unsaved))
            return
        training = (self.model.metadata or {}).get("training") or {}
        self.status.setText(model_summary(self.model.network, self.fitted, path, unsaved,
                                          training.get("linear_share")))

    def _show_no_model(self, text):
        """Forget the model and every result of it; ``text`` says why."""
        self.model = self.model_path = self.fitted = None
        for tool in self.tools:
            tool.show_model(None, None)
        self.many.show_model(None)
        self.status.setText(text)
        self.views.setEnabled(False)

    # -- the forecast method ---------------------------------------------------------------
    def without_intervals(self):
        """The words of the forecast method chosen in the tabs shown when it gives no
        intervals (a classical method for many series, a linear autoregression for one);
        None when the forecast has them."""
        many = self.views.currentWidget() is self.many
        return (self.many.forecast if many else self.forecast).without_intervals()

    @Slot(int)
    def _on_method_chosen(self, index):
        self.method_chosen.emit()

    # -- tasks -----------------------------------------------------------------------------
    @Slot(bool)
    def _on_running(self, running):
        for tool in self.tools + self.many.tools:
            tool.set_busy(running)

    @Slot()
    def _after_task(self):
        """A refresh that came while a task ran: done now."""
        if self._refresh_pending and not self.runner.running:
            self._refresh_pending = False
            self.refresh()

    def _on_failed(self, message):
        QMessageBox.warning(self, "Deploy model", message)
