"""The data-set layer: from a CSV file to scaled windows for a recurrent network, and from
network outputs back to the data's units.

Modules: :mod:`.csv_reader` (reading, detection), :mod:`.column_types` (column types, time
column), :mod:`.config` (the editable settings), :mod:`.time_steps` (regular step, gaps),
:mod:`.missing`, :mod:`.scaling`, :mod:`.transforms` (target differences/log),
:mod:`.windows` (strided windows), :mod:`.splits` (training/selection/testing without
leakage), :mod:`.statistics`, :mod:`.preprocessing` (the fitted, serializable part) and
:mod:`.pipeline` (the functions the command line and the GUI call).
"""

from engine.data.column_types import ColumnInfo, classify_columns
from engine.data.config import DatasetConfig, SplitSettings, VariableSpec, default_variables
from engine.data.csv_reader import CsvOptions, detect_options, read_csv
from engine.data.pipeline import (PredictionWindows, PreparedData, Table, default_config,
                                  inverse_predictions, load_table, prediction_windows,
                                  predictions_frame, prepare_training, statistics)
from engine.data.preprocessing import Encoded, FittedPreprocessing
from engine.data.scaling import Scaler
from engine.data.windows import WindowArray

__all__ = ["ColumnInfo", "CsvOptions", "DatasetConfig", "Encoded", "FittedPreprocessing",
           "PredictionWindows", "PreparedData", "Scaler", "SplitSettings",
           "Table", "VariableSpec", "WindowArray", "classify_columns", "default_config",
           "default_variables", "detect_options", "inverse_predictions", "load_table",
           "prediction_windows", "predictions_frame", "prepare_training", "read_csv",
           "statistics"]
