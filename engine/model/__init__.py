"""The trained model: :class:`~.forecaster.Forecaster` (network, fitted preprocessing and
metadata as one object; reading data, predicting, forecasting), the recursive forecast
(:mod:`.recursive`), the model file that holds it (:mod:`.model_file`) and the checks of its
header's fields (:mod:`.header`)."""
