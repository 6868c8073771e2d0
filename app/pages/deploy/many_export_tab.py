"""The export tab of a model of many series: the formats of a single series' model, each
with the per-series scaling table (:func:`engine.many.exports.export_global`)."""

from engine.many.exports import export_global

from .export_tab import ExportTab
from .texts import COMMAND

MANY_EXPORTS = [
    ("model", "&Model file...", "A copy of the model file (.npz): the model's weights, the "
     f"table of each series' scaling and the window lengths, for {COMMAND} forecast, "
     "predict and export on any computer."),
    ("python", "P&ython module...", "One .py file that forecasts with NumPy alone: its "
     "function forecast takes a series' name and its latest values (forecast(series_id, "
     "values)) and returns the forecast and its bounds in the targets' units, equal to "
     "this application's. The table of each series' scaling and the weights are inside."),
    ("onnx", "ONN&X model...", "The model and each series' scaling as one ONNX graph, for "
     "onnxruntime and other ONNX tools: it takes a series' latest raw values and its number "
     "(its place in the list of series) and gives the forecast and its bounds."),
    ("torch", "Py&Torch weights...", "The model's weights for PyTorch, under PyTorch's own "
     "names (a state dict in a .npz file), with the table of each series' scaling beside "
     "them (the arrays named series.*); a README inside says how to use them."),
]


class ManyExportTab(ExportTab):
    """The export buttons of a global model, written from its model file."""

    exports = MANY_EXPORTS

    def writer(self, fmt, target):
        return export_global, self.session.trained_model(), fmt, target
