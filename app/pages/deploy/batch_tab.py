"""The batch prediction tab: another CSV file with the same columns, predicted row by row
and written with the predictions beside it (:func:`engine.deploy.predicting.write_predictions`)."""

import os

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from engine.deploy.predicting import write_predictions

from ... import file_dialogs
from .tool import DeployTool, csv_target


class BatchTab(DeployTool):
    """Predict a CSV file...: asks for the file and for where to write the predictions;
    :meth:`predictor` is the engine call that writes them, :meth:`_written` says what it
    wrote."""

    def __init__(self, session, tasks):
        super().__init__(session, tasks)
        self.text = text = QLabel("Predict another CSV file with the same columns (for example new "
                      "measurements). The result is that file's rows with the model's "
                      "predictions beside them, and the predictions past its last row "
                      "appended, written as a new CSV file.")
        text.setWordWrap(True)
        self.button = QPushButton("&Predict a CSV file...")
        self.button.setToolTip("Choose the CSV file to predict, then where to write "
                               "the predictions.")
        self.button.clicked.connect(self.predict_file)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def clear(self):
        self.message.setText("")

    def set_busy(self, running):
        self.button.setEnabled(not running)

    def predict_file(self):
        if self.model is None or self.tasks.running:
            return
        folder = str(self.session.project.folder) if self.session.project else ""
        source, _ = file_dialogs.open_file_name(self, "CSV file to predict", folder,
                                                "CSV files (*.csv *.txt);;All files (*)")
        if not source:
            return
        target = csv_target(self, "Write the predictions to", "_predictions.csv", source)
        if not target:
            return
        self.message.setText(f"Predicting {os.path.basename(source)}...")
        self.tasks.start(self.predictor(), self.model, source, target,
                         done=lambda written: self._written(written, target),
                         failed=self._failed, cancelled=lambda: self.message.setText(""))

    def predictor(self):
        """``function(model, source, target)`` that writes the predictions."""
        return write_predictions

    def _failed(self, message):
        self.message.setText("")
        self.tasks.fail(message)

    def _written(self, written, target):
        """Say what :func:`~engine.deploy.predicting.write_predictions` wrote, and its
        notes."""
        after = f", {written.appended} of them after the file's last row" \
            if written.appended else ""
        self.message.setText(" ".join([f"Wrote {written.rows} rows{after} to {target}."]
                                      + list(written.notes)))
