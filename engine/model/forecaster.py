"""The trained model as one object: the network, the fitted preprocessing (parsed once) and
the metadata, with the one way to read a data file as the model expects, to predict one
step (or the network's output steps) ahead and to forecast recursively.

:func:`engine.model.model_file.load_model` returns a :class:`Forecaster`;
:func:`engine.model.model_file.save_model` writes one. Every command (``evaluate``,
``predict``, ``forecast``, the calculator, the testing analysis, the exports) and the
application's deploy step go through it. The outputs calculator reads the model's network
and preprocessing from it but predicts with a preprocessing of its own that ignores the
time column (the rows a person types have no time), in one call for all the rows it varies.

Typical use::

    model = load_model("airline.model.npz")
    frame = model.read_csv("airline.csv")
    windows, values = model.predict(frame)        # values (n, steps, k), target units
    values, truth = model.forecast(frame, [100, 120], 24)   # (2, 24, k) each

:meth:`Forecaster.predict` (with the data layer's encoding, windows and inverse transform)
has a deliberate NumPy-only copy in :mod:`engine.deploy.exports.standalone_runtime`, the
runtime of the exported Python module, which must not import RNN Studio;
``tests/engine/test_exports_python.py`` keeps the two equal: change both together.
"""

import numpy as np
import pandas as pd

from engine.data.csv_reader import (CsvOptions, detect_options, read_csv, require_numbers,
                                    with_corrections)
from engine.data.pipeline import prediction_windows
from engine.data.time_zones import frame_time_zone
from engine.data.preprocessing import FittedPreprocessing
from engine.data.windows import WindowArray
from engine.data.year_period import with_named_time
from engine.model.recursive import recursive_forecast, recursive_forecasts


class Forecaster:
    """A loaded (or just trained) model.

    network : the :class:`~engine.network.recurrent.RecurrentNetwork`
    header : the model file's header (a dict with at least ``"preprocessing"``, the fitted
        preprocessing's dict as saved, and ``"metadata"``)
    preprocessing : the :class:`~engine.data.FittedPreprocessing` of the header, when the
        caller has parsed it already; else it is parsed on first use, once
    """

    def __init__(self, network, header, preprocessing=None):
        self.network = network
        self.header = header
        self._preprocessing = preprocessing

    @property
    def preprocessing(self):
        """The fitted preprocessing (:class:`~engine.data.FittedPreprocessing`)."""
        if self._preprocessing is None:
            self._preprocessing = FittedPreprocessing.from_dict(self.header["preprocessing"])
        return self._preprocessing

    @property
    def metadata(self):
        """The metadata dict (e.g. a training summary, the intervals), as saved; ``{}``
        when none."""
        return self.header["metadata"]

    @metadata.setter
    def metadata(self, value):
        self.header["metadata"] = value

    @property
    def target_offsets(self):
        """Row offsets (steps,) of the output steps from a window's anchor (its last input
        row): ``1 .. H``, or ``[0]`` for horizon 0."""
        return self.preprocessing.target_offsets

    @property
    def lookback(self):
        return self.preprocessing.lookback

    @property
    def horizon(self):
        return self.preprocessing.horizon

    @property
    def target_names(self):
        return self.preprocessing.target_names

    # -- data ---------------------------------------------------------------------------

    def csv_options(self, path):
        """The CSV options of the file at ``path`` as this model reads it: the format its
        project set (``metadata["csv"]``: a delimiter, decimal mark, ... chosen in the
        import dialog), the rest detected (a decimal mark that the file's numbers do not
        tell is that of the model's data file, ``metadata["csv_marks"]``), and the
        model's time column (or none)."""
        stored = self.metadata.get("csv") or {}
        options = CsvOptions.from_dict({**stored,
                                        "time_column": self.preprocessing.time_column or False})
        return detect_options(path, options, usual=self.metadata.get("csv_marks"))

    def use_csv_format(self, corrections):
        """Read every data file from now on with ``corrections`` (``{option: value}`` of
        :data:`~engine.data.csv_reader.FORMAT_KEYS`, e.g. ``{"delimiter": ";"}``: what
        ``--delimiter`` and the other options of the command line give) over the format
        the model was saved with (:func:`~engine.data.csv_reader.with_corrections`); the
        model file is not changed. ``{}`` changes nothing."""
        if corrections:
            self.metadata = {**self.metadata, "csv": with_corrections(
                self.metadata.get("csv"), corrections)}

    def read_csv(self, source, options=None):
        """The data of a CSV path as a DataFrame read with ``options`` (None:
        :meth:`csv_options`; a DataFrame is returned as it is, once checked): the one way
        every command reads a data file for a model. A cell of a numeric column the model
        reads that holds text which is no number is refused
        (:func:`~engine.data.csv_reader.require_numbers`), as a fit refuses it; so is one
        of a DataFrame (also a number written with a comma: a frame read without the
        file's marks), which gets the model's time column as a file would
        (:meth:`with_time`)."""
        numeric = [v["name"] for v in self.preprocessing.variables
                   if v["type"] == "numeric"]
        if isinstance(source, pd.DataFrame):
            require_numbers(source, numeric)       # its numbers as the frame holds them
            return self.with_time(source)
        frame, used = read_csv(source, options or self.csv_options(source))
        require_numbers(frame, numeric, used)
        return frame

    def _with_zone(self, frame):
        """``frame`` with ``attrs["time_zone"]`` set, as a file's is, when its time column
        holds texts of times written with offsets
        (:func:`~engine.data.time_zones.frame_time_zone`): the days of a forecast past it
        are counted on that zone's clocks. A shallow copy then; else ``frame`` itself."""
        zone = frame_time_zone(frame, self.preprocessing.time_column)
        if zone is None or frame.attrs.get("time_zone") is not None:
            return frame
        frame = frame.copy(deep=False)
        frame.attrs["time_zone"] = zone
        return frame

    def with_time(self, frame):
        """``frame`` (a DataFrame) with the model's time column built when the frame
        writes it as a year and a quarter or month in two columns
        (:func:`~engine.data.year_period.with_named_time`, as a file is read), and the
        zone of its times written with offsets (:meth:`_with_zone`); anything else (an
        :class:`~engine.data.Encoded`) as it is."""
        if not isinstance(frame, pd.DataFrame):
            return frame
        return self._with_zone(with_named_time(frame, self.preprocessing.time_column))

    # -- predictions --------------------------------------------------------------------

    def windows(self, frame):
        """The :class:`~engine.data.PredictionWindows` of every predictable row of
        ``frame`` (a DataFrame, or its :class:`~engine.data.Encoded` made with
        ``prediction=True``)."""
        return prediction_windows(self.preprocessing, self.with_time(frame))

    def predict(self, frame, chosen=None):
        """Predictions of the windows of ``frame`` (a DataFrame, or the
        :class:`~engine.data.PredictionWindows` of one): ``(windows, values)`` with
        ``values`` (n, steps, k) in the targets' units, ``values[i, h]`` the prediction of
        row ``windows.rows[i, h]``. ``chosen`` (indices into the windows): only those
        windows, in that order (n = len(chosen))."""
        windows = frame if hasattr(frame, "anchors") else self.windows(frame)
        X, anchors = windows.X, windows.anchors
        if chosen is not None:
            X = WindowArray(X.windows, X.positions[chosen])
            anchors = anchors[chosen]
        if len(anchors) == 0:
            fitted = self.preprocessing
            return windows, np.empty((0, fitted.steps, len(fitted.targets)))
        outputs = self.network.predict(X)
        return windows, self.preprocessing.inverse_outputs(outputs, anchors, windows.encoded)

    def forecast(self, frame, origins, steps):
        """Recursive forecasts of ``steps`` rows from each origin row in ``origins`` (m,):
        ``(values, truth)`` (m, steps, k) in the targets' units, NaN where a forecast
        cannot be made or the truth is unknown (see
        :func:`engine.model.recursive.recursive_forecasts`). ``frame``: a DataFrame or its
        :class:`~engine.data.Encoded` (``prediction=True``)."""
        return recursive_forecasts(self.preprocessing, self.with_time(frame),
                                   self.network.predict, origins, steps)

    def forecast_from(self, frame, start_row, steps, until_stop=False):
        """:meth:`forecast` from the one origin ``start_row`` with a plain-words error when
        the data cannot give it (``until_stop``: only when it cannot start; it ends where it
        must stop): a :class:`~engine.model.recursive.Forecast`. ``frame``: a DataFrame or
        its :class:`~engine.data.Encoded` (``prediction=True``)."""
        return recursive_forecast(self.preprocessing, self.with_time(frame),
                                  self.network.predict, start_row, steps, until_stop)
