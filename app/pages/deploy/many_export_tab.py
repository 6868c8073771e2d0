"""The export tab of a model of many series: the formats of a single series' model, each
with the per-series scaling table (:func:`engine.many.exports.export_global`)."""

from engine.many.exports import export_global

from .export_tab import ExportTab
from .texts import COMMAND

MANY_EXPORTS = [
    ("model", "&Model file...", "A copy of the model file (.npz): the network, the per-series "
     f"scaling table and the window lengths, for {COMMAND} forecast, predict and export on "
     "any computer."),
    ("python", "P&ython module...", "One .py file that forecasts with NumPy alone: "
     "forecast(series_id, values) takes a series' name and its latest values and returns "
     "the forecast and its bounds in the targets' units, equal to this application's. The "
     "per-series table and the weights are inside."),
    ("onnx", "ONN&X model...", "The network and the per-series scaling as one ONNX graph, for "
     "onnxruntime and other ONNX tools: it takes a series' latest raw values and its number "
     "(its place in the list of series) and gives the forecast and its bounds."),
    ("torch", "Py&Torch weights...", "The network's weights as a PyTorch state dict (.npz) "
     "with PyTorch's names, and the per-series table as series.* arrays; a README inside "
     "says how to use them."),
]


class ManyExportTab(ExportTab):
    """The export buttons of a global model, written from its model file."""

    exports = MANY_EXPORTS

    def writer(self, fmt, target):
        return export_global, self.session.trained_model(), fmt, target
