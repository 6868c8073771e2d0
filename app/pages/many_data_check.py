"""What stops a table of many series from training, in plain words, and how many windows
each part has: the data page's, the step list's and the architecture page's check of a
project whose data set names a series column (the counterpart of
:func:`engine.data.checks.check_config` for one series).

The series are read as the global fit reads them
(:func:`engine.many.project_fit.series_of`), the settings taken as it takes them
(:func:`~engine.many.project_fit.settings_of`), and every series is measured against the
rows a window needs before its testing part
(:func:`engine.many.global_model.rows_needed`)."""

from dataclasses import dataclass, field

import numpy as np

from engine.data.column_types import not_a_target
from engine.errors import EngineError
from engine.many.choosing import FEW_EPOCHS
from engine.many.global_model import GlobalSettings, rows_needed, window_plan
from engine.many.project_fit import series_of, settings_of
from engine.many.scaling import FEATURES_PER_TARGET
from engine.many.series_data import unknown_tails_note
from engine.many.sizing import training_windows
from engine.words import counted, the_last, verb


@dataclass
class ManySummary:
    """The series of a table of many and the windows the settings give them.

    counts : {"training": n, "selection": n, "testing": n} windows (the training windows
        at most :meth:`~engine.many.global_model.GlobalSettings.window_cap` a series, as the
        fit takes them unless the window's choice asks for every window, which a note then
        says; series with empty values may have fewer)
    target_rows : {part: None}: the parts lie in every series, not in one stretch of rows
    data : the :class:`~engine.many.series_data.SeriesSet`
    settings : the :class:`~engine.many.global_model.GlobalSettings` the fit would use,
        None when the settings are not valid
    needed : the rows a series needs before its testing part (None without settings)
    short : the ids of the series too short for a window (left out of the training)
    notes : sentences on what was chosen (the season) and what is left out
    windows : the training windows the fit takes, as the global network's units follow
        them (:func:`engine.many.sizing.training_windows`); None when the settings leave
        no series a window
    """

    counts: dict
    data: object
    settings: object = None
    needed: int | None = None
    short: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    target_rows: dict = field(default_factory=lambda: dict.fromkeys(
        ("training", "selection", "testing")))
    windows: int | None = None


def target_problems(config, columns=()):
    """The problems of the targets of a table of many series (none, or not numeric;
    ``columns``: the table's :class:`~engine.data.column_types.ColumnInfo`)."""
    if not config.targets:
        return ["Choose a target: set the role of the column whose future is forecast in "
                "every series to 'Target' or 'Input and target'."]
    return [not_a_target(spec.name, spec.type, columns) for spec in config.targets
            if spec.type not in ("numeric", "binary")]


def many_series_check(project, table):
    """``(problems, summary)`` of ``project``'s data set (it names a series column) on
    ``table``: the problems that stop its training (empty when it can train), each saying
    what to do, and its :class:`ManySummary` (None when the series could not be read)."""
    config = project.dataset_config()
    problems = target_problems(config, table.columns if table is not None else ())
    if problems:
        return problems, None
    try:
        data = series_of(table, config)
    except EngineError as error:
        return [str(error)], None
    summary = ManySummary(dict.fromkeys(("training", "selection", "testing"), 0), data,
                          notes=list(data.notes))
    if config.horizon < 1:
        return ["The steps ahead must be at least 1 for a table of many series: the "
                "network forecasts that many rows of every series at once."], summary
    try:
        settings, notes = settings_of(project, data)
    except EngineError as error:
        return [str(error)], summary
    summary.settings, summary.notes = settings, notes + summary.notes
    problems = _window_problems(summary, settings)
    if not problems:        # counted here, in the check's thread: a table's check may be slow
        try:
            summary.windows = training_windows(data, settings)
        except EngineError:     # the fit says why (a window of inputs it cannot go on with)
            pass
    return problems, summary


def _window_problems(summary, settings):
    """Count each part's windows into ``summary`` and say what is too short: on the rows up
    to each series' last known value, as the fit and its scores read them (the rows after
    it are left out, and a note says so)."""
    test_last = int(settings.test_last)
    note = unknown_tails_note(summary.data, test_last)
    if note:
        summary.notes.insert(0, note)
    data = summary.data.without_unknown_tails()
    horizon, lookback = int(settings.horizon), int(settings.lookback)
    needed = rows_needed(settings.season, lookback, horizon)
    fit_rows = data.lengths - test_last
    usable = fit_rows >= needed
    summary.needed = needed
    summary.short = [name for name, ok in zip(data.ids, usable) if not ok]
    every = np.clip(fit_rows - needed + 1, 0, None)
    cap = settings.window_cap()
    summary.counts = {
        "training": int(every.sum() if cap is None else np.minimum(every, cap).sum()),
        "selection": int(usable.sum()) * horizon,
        "testing": int(usable.sum()) if test_last else 0}
    if settings.windows_per_series == "auto" and int(every.sum()) > summary.counts["training"]:
        summary.notes.append(
            f"Training windows: the latest {cap:,} of each series, or all "
            f"{int(every.sum()):,} when a first network stops learning within "
            f"{FEW_EPOCHS} epochs")
    longest = int(data.lengths.max())
    if test_last >= longest:
        return [f"Testing on {the_last(test_last, 'row')} of every series leaves no rows "
                f"to train on: the longest series has {longest:,} rows. Test on fewer "
                "rows."]
    if not usable.any():
        return [f"No series is long enough: before {the_last(test_last, 'row')}, kept for "
                f"testing, a series needs {counted(needed, 'row')} for one window of "
                f"{counted(lookback, 'row')}, the rows its first window reads before it "
                f"and {counted(horizon, 'step')} ahead to train on and {horizon} to select "
                f"on; the longest has {longest - test_last:,}. Test on fewer rows, or use a "
                "shorter lookback or fewer steps ahead."]
    if summary.short:
        count = len(summary.short)
        summary.notes.append(
            f"{count:,} of {data.n_series:,} series (e.g. '{summary.short[0]}') "
            f"{verb(count, 'has', 'have')} fewer "
            f"than the {needed + test_last:,} rows a window needs with these settings; "
            f"{verb(count, 'it is', 'they are')} left out of the training.")
    return []


def many_network_sizes(config, data=None):
    """``(n_inputs, n_outputs, steps)`` of the global network of a table of many series,
    its window read as :func:`~engine.many.global_model.window_plan` reads it by default
    (``fold`` rows a step): per row, each target's change and distance from its level
    (:data:`~engine.many.scaling.FEATURES_PER_TARGET` numbers), each numeric input and the
    static one-hot columns (those of ``data``, the series read, when given), ``fold`` rows
    side by side; every step ahead of every target at once."""
    targets = len(config.targets)
    inputs = len([v for v in config.inputs if not v.is_target and v.type != "categorical"])
    static = len(data.static_names) if data is not None else 0
    horizon = max(int(config.horizon), 1)
    settings = GlobalSettings(horizon=horizon, season=config.period,
                              lookback=int(config.lookback))
    lookback, fold = window_plan(settings, None)
    features = FEATURES_PER_TARGET * targets + inputs + static
    return features * fold, horizon * targets, lookback // fold