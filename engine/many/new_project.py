"""The project of a table of many series made from the choices of a global fit (``rnn-studio
fit DATA.csv --series COL``): the data-set settings, network and training settings the
pages would hold for the same choices, so that ``fit --project``, ``backtest``, ``report``
and the application go on from it (:mod:`engine.many.project_fit` maps such a project back
onto :class:`~engine.many.global_model.GlobalSettings`)."""

import os
from dataclasses import replace

from engine.errors import EngineError
from engine.many.global_model import GlobalSettings, window_plan
from engine.many.project_fit import (TRAINING_KEYS, WINDOW_KEYS, keep_window_choices,
                                     use_global_network)
from engine.many.sizing import sized


def not_in_a_project(settings):
    """A sentence on what of ``settings`` (:class:`GlobalSettings`) a project cannot hold,
    else None: the series column read as a static input (a project gives a column one
    role)."""
    if settings.series_column in settings.static_columns:
        return (f"the series column {settings.series_column!r} is read as a static input, "
                "and a project gives a column one role (the series)")
    return None


def many_series_project(table, data, settings, folder, name=None, units_by_hand=None):
    """A new project (not written) of the table of many series ``table`` (a
    :class:`~engine.data.Table` of the data file, read without a time column) whose series
    ``data`` (:class:`~engine.many.series_data.SeriesSet`) were fitted with ``settings``:
    its series, time and static columns, targets and other inputs, season (1: none), steps
    ahead, testing rows and lookback (given, else the one the fit takes) in the data-set
    settings (the other columns unused,
    the static ones categorical inputs), the cell, units (set by hand when ``settings``
    gives them, else following the data) and linear path on step 3, and
    the training settings that differ from the global fit's defaults on step 4, with the
    training windows per series and the weights' average unless "auto"
    (:data:`~engine.many.project_fit.WINDOW_KEYS`). The rows
    per step and the steps at once are not kept: a fit of the project chooses them on the
    backtest. ``folder``: where the project file will be; ``name``: default the data
    file's name without its extension; ``units_by_hand``: whether the person gave the
    units (default: when ``settings`` holds units, not left to the data)."""
    from engine.data import default_config
    from engine.project.document import new_project

    refused = not_in_a_project(settings)
    if refused:
        raise EngineError(f"No project can be made of this fit: {refused}.")
    by_hand = settings.hidden_sizes is not None if units_by_hand is None else units_by_hand
    settings, _ = sized(settings, data)              # units left to the data: the fit's
    config = default_config(table, list(data.target_names), lookback=2)
    roles = {v.name: "unused" for v in config.variables if v.role in ("input", "time")}
    roles.update({name: "input" for name in data.input_names})
    roles.update({name: "input" for name in settings.static_columns})
    roles[settings.series_column] = "series"
    if settings.time_column:
        roles[settings.time_column] = "time"
    config = config.with_roles(**roles)
    statics = [replace(v, type="categorical", scaler="none")
               if v.name in settings.static_columns else v for v in config.variables]
    fit_rows = data.lengths - int(settings.test_last) - int(settings.horizon)
    lookback, _ = window_plan(settings, fit_rows)      # the lookback given, else the fit's
    config = replace(config, variables=statics, period=int(settings.season or 1),
                     horizon=int(settings.horizon), lookback=lookback,
                     target_transform="none",
                     split=replace(config.split, test_last=int(settings.test_last),
                                   test_from=None))
    project = new_project(name or os.path.splitext(os.path.basename(str(table.path)))[0],
                          folder)
    project.set_data_file(os.path.abspath(table.path))
    project.data.config = config
    use_global_network(project.architecture)
    project.architecture.cell = settings.cell
    project.architecture.hidden_sizes = [int(units) for units in settings.hidden_sizes]
    project.architecture.units_by_hand = by_hand
    project.architecture.linear_path = bool(settings.linear_path)
    defaults = GlobalSettings(horizon=1)
    for key in TRAINING_KEYS:
        if getattr(settings, key) != getattr(defaults, key):
            setattr(project.training, key, getattr(settings, key))
    keep_window_choices(project.training, **{key: getattr(settings, key)
                                             for key in WINDOW_KEYS})
    return project
