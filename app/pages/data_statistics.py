"""What the data page shows about a table besides its settings: each column's summary and,
for the first target, the autocorrelation, the season and the suggested lookback. They are
computed together, in a worker thread (:func:`data_statistics`)."""

from dataclasses import dataclass

from engine.data.statistics import autocorrelation, automatic_lookback, detect_period, summary
from engine.tasks import as_task

MIN_LAGS = 48             # the autocorrelation is shown up to lag
LAGS_PER_LOOKBACK = 3     #   min(n - 1, max(MIN_LAGS, LAGS_PER_LOOKBACK * lookback), MAX_LAGS)
MAX_LAGS = 400


@dataclass
class DataStatistics:
    """The figures of ``table`` for ``target`` (None: no numeric target) and ``lookback``.

    summary : ``{column name: {"missing", "minimum", "maximum", "mean", "std"}}``
    acf : autocorrelation of the target at lags ``0..max_lag`` (shape ``(max_lag + 1,)``)
    period : the detected season length in rows, or None
    suggested : the suggested lookback
    """

    table: object
    target: object
    lookback: int
    summary: dict
    acf: object = None
    period: object = None
    suggested: object = None


def data_statistics(table, target, lookback, task=None):
    """The :class:`DataStatistics` of a loaded table (the slow part of showing the data
    page: every column is read, the target's autocorrelation is an FFT). A cancelled
    ``task`` stops it between those steps (:class:`engine.tasks.Cancelled`)."""
    task = as_task(task)
    columns = {entry["name"]: entry for entry in summary(table.frame)}
    if target is None:
        return DataStatistics(table, target, lookback, columns)
    task.check()
    values = table.frame[target].to_numpy(dtype=float)
    max_lag = int(min(len(values) - 1, max(MIN_LAGS, LAGS_PER_LOOKBACK * lookback), MAX_LAGS))
    period = detect_period(values, table.time_step())
    task.check()
    return DataStatistics(table, target, lookback, columns, autocorrelation(values, max_lag),
                          period, automatic_lookback(values, period))
