"""The batch prediction tab of a model of many series: a CSV file of the same columns
(series, time, targets, inputs), every row and column written as it was with its
predictions 1 to H steps ahead (:func:`engine.many.predicting.write_predictions`)."""

from engine.many.predicting import write_predictions
from engine.words import steps_ahead_range

from .batch_tab import BatchTab


def predict_file(model, source, target):
    """Read ``source`` as ``rnn-studio predict`` does (the columns and the CSV format
    ``model`` was trained on) and write its every cell with its predictions to ``target``;
    returns ``(written, series)``: the :class:`~engine.many.predicting.PredictionsWritten`
    and the number of series."""
    written = write_predictions(model, source, target)
    return written, written.series


class ManyBatchTab(BatchTab):
    """Predict a CSV file... for a model of many series."""

    def show_model(self, model, data):
        super().show_model(model, data)
        if model is None:
            return
        settings = model.settings
        columns = [settings.get("series_column") or "series"] + \
            ([settings["time_column"]] if settings.get("time_column") else []) + \
            list(model.target_names) + list(model.input_names)
        self.text.setText(
            "Predict another CSV file of the same series and columns ("
            f"{', '.join(columns)}), for example with newer rows. The result is that file's "
            "rows, series by series, each with the predictions of it made "
            f"{steps_ahead_range(model.horizon)} (from the window that ends "
            f"{'the row' if model.horizon == 1 else 'that many rows'} before it), written "
            "as a new CSV file. The file may hold any of the "
            f"{len(model.ids):,} series the model was trained on; the rows of others are "
            "written without predictions.")

    def predictor(self):
        return predict_file

    def _written(self, counts, target):
        written, series = counts
        self.message.setText(" ".join([f"Wrote {written.rows:,} rows of {series:,} series "
                                       f"to {target}."] + list(written.notes)))
