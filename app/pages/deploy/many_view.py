"""The deploy page's tools for a model of many series (a global model): forecast, batch
prediction, the outputs calculator per series and the exports, one tab each. Directional
outputs are not offered for such a model; their tab says why."""

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from engine.errors import EngineError
from engine.many.global_model import network_words
from engine.many.model_series import series_notes
from engine.many.model_file import load_global_model
from engine.many.series_data import for_model, from_frame
from engine.many.static_labels import keep_file_labels

from .many_batch_tab import ManyBatchTab
from .many_calculator_tab import ManyCalculatorTab
from .many_export_tab import ManyExportTab
from .many_forecast_tab import ManyForecastTab

NO_DIRECTIONAL = ("Directional outputs are not offered for a model of many series: every "
                  "series is on its own scale, so one range of values means something "
                  "different in each. Change one series' values in the Outputs calculator "
                  "instead.")


@dataclass
class ManyModel:
    """A global model read for the deploy page: ``model`` and the session's table as its
    series (``data``; None without a table, or with ``problem`` saying why it does not
    fit the model), only those the model was trained on; ``notes`` name the table's
    others, left out (:func:`~engine.many.model_series.series_notes`)."""

    model: object
    data: object = None
    problem: str | None = None
    notes: list = field(default_factory=list)


def read_many_model(path, table):
    """The :class:`ManyModel` of the model file at ``path`` and the loaded ``table`` (the
    slow part: it runs in the page's worker thread)."""
    model = load_global_model(path)
    if table is None:
        return ManyModel(model)
    settings = model.settings
    try:
        column = settings.get("series_column") or "series"
        frame = table.with_text_column(column)
        data = from_frame(frame, column, model.target_names, model.input_names,
                          settings.get("time_column"), csv_options=table.options)
        keep_file_labels(model, data, frame)        # the forecast's note on other labels
        data, new, _ = model.known_series(for_model(model, data))
    except EngineError as error:
        return ManyModel(model, problem=f"The data set does not fit the model: {error}")
    return ManyModel(model, data, notes=series_notes(new, [], "forecast"))


def many_summary(model, path, unsaved):
    """One sentence on a global model."""
    where = "trained, not saved yet: File > Save keeps it" if unsaved else Path(path).name
    return (f"Model of many series: {network_words(model)} over all {len(model.ids):,} "
            f"series, forecasting {', '.join(model.target_names)} {model.reach()} from the "
            f"last {model.lookback} rows of each series, each on its own scale ({where}).")


class ManyDeployView(QWidget):
    """The tabs of a global model; ``tools`` are the forecast, batch, calculator and
    export tabs (each a :class:`~app.pages.deploy.tool.DeployTool`)."""

    def __init__(self, session, tasks):
        super().__init__()
        self.forecast = ManyForecastTab(session, tasks)
        self.batch = ManyBatchTab(session, tasks)
        self.calculator = ManyCalculatorTab(session, tasks)
        self.exports = ManyExportTab(session, tasks)
        self.forecast.forecasted.connect(self.calculator.calculate_unless_shown)
        self.tools = [self.forecast, self.batch, self.calculator, self.exports]
        self.tabs = QTabWidget()
        for tool, title in zip(self.tools, ("Forecast", "Batch prediction",
                                            "Outputs calculator", "Export")):
            self.tabs.addTab(tool, title)
        directional = QLabel(NO_DIRECTIONAL)
        directional.setWordWrap(True)
        index = self.tabs.insertTab(3, directional, "Directional outputs")
        self.tabs.setTabEnabled(index, False)
        self.tabs.setTabToolTip(index, NO_DIRECTIONAL)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)

    def show_model(self, loaded):
        """Show the :class:`ManyModel` ``loaded`` in every tab (None: no model)."""
        model = loaded.model if loaded is not None else None
        data = loaded.data if loaded is not None else None
        problem = loaded.problem if loaded is not None else None
        notes = " ".join(loaded.notes) if loaded is not None else ""
        self.problem.setText(f"<span style='color:#b00020'>{problem}</span>" if problem
                             else notes)
        self.problem.setVisible(bool(problem or notes))
        for tool in self.tools:
            tool.unfit = problem
            tool.show_model(model, data)
