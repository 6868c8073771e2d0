"""The export tab: the trained model written as an RNN Studio model file, a NumPy-only
Python module, ONNX or PyTorch weights (:func:`engine.deploy.exports.export_model`)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout

from engine.deploy.exports import FORMATS, export_model

from ... import file_dialogs
from .texts import COMMAND, default_path
from .tool import DeployTool, refuses_target

EXPORTS = [
    ("model", "&Model file...", "The RNN Studio model file (.npz): the weights, the scaling of "
     f"each column and the window lengths, for {COMMAND} predict and forecast on any "
     "computer."),
    ("python", "P&ython module...", "One .py file that predicts with NumPy alone: the weights "
     "and the preprocessing are inside. Give it the raw columns; it returns predictions in "
     "the targets' units, equal to this application's."),
    ("onnx", "ONN&X model...", "The network with ONNX's standard RNN/GRU/LSTM operators, for "
     "onnxruntime and other ONNX tools. It takes scaled inputs and gives scaled outputs; the "
     "scaling is stored in the file's metadata."),
    ("torch", "Py&Torch weights...", "The weights for PyTorch, under PyTorch's own names (a "
     "state dict in a .npz file), to load into its GRU, LSTM or RNN and Linear layers "
     "(torch.nn.GRU/LSTM/RNN, nn.Linear)."),
]
EXPORTED_MODEL = "_model.npz"       # not NAME.model.npz, the project's own model file
DEFAULT_SUFFIXES = {"model": EXPORTED_MODEL, "python": "_model.py", "onnx": ".onnx",
                    "torch": ".torch.npz"}
EXPORT_NOTE = ("Each file is written completely or not at all; an existing file of that name "
               "is replaced.")


class ExportTab(DeployTool):
    """One button per format in ``buttons`` (keyed by the format); ``message`` says what
    was written. ``exports`` lists the formats offered; :meth:`writer` is the engine call
    that writes one."""

    exports = EXPORTS

    def __init__(self, session, tasks):
        super().__init__(session, tasks)
        grid = QGridLayout()
        self.buttons = {}
        for row, (fmt, label, text) in enumerate(self.exports):
            button = QPushButton(label)
            button.setToolTip(f"Write the trained model to a file: {FORMATS[fmt][0]} "
                              f"({FORMATS[fmt][1]}).")
            button.clicked.connect(lambda checked=False, f=fmt: self.export(f))
            self.buttons[fmt] = button
            description = QLabel(text)
            description.setWordWrap(True)
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(description, row, 1)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(14)
        grid.setHorizontalSpacing(12)
        self.message = QLabel(EXPORT_NOTE)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addSpacing(16)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def clear(self):
        self.message.setText(EXPORT_NOTE)

    def set_busy(self, running):
        for button in self.buttons.values():
            button.setEnabled(not running)

    def export(self, fmt):
        if self.model is None or self.tasks.running:
            return
        text, suffix = FORMATS[fmt]
        target, _ = file_dialogs.save_file_name(
            self, f"Export {text}", default_path(self.session.project, DEFAULT_SUFFIXES[fmt]),
            f"{text} (*{suffix})")
        if not target:
            return
        if not target.endswith(suffix):
            target += suffix
        if refuses_target(self, target):
            return
        self.message.setText(f"Writing the {text}...")
        self.tasks.start(*self.writer(fmt, target), done=lambda path:
                         self.message.setText(f"Wrote the {text} to {path}."),
                         failed=self._failed,
                         cancelled=lambda: self.message.setText(EXPORT_NOTE))

    def _failed(self, message):
        """An export that could not be written: the note again (nothing is being written
        any more), and the warning the page gives."""
        self.message.setText(EXPORT_NOTE)
        self.tasks.fail(message)

    def writer(self, fmt, target):
        """``(function, *args)``: the engine call that writes the model as ``fmt`` to
        ``target``."""
        return export_model, self.model, fmt, target
