"""Trained projects on disk for the tests of the testing, report and deploy code."""

import numpy as np

from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.fitting import fit_project, record_fit, save_fit
from engine.project.document import save_project


def trained_project(csv, folder, targets=("y",), name="series", change=None, **settings):
    """A project made by :func:`engine.training.automatic.automatic_project` from ``csv`` with
    ``settings`` (e.g. ``test_from``, ``max_epochs``), changed by ``change(project)`` when
    given, fitted without automatic choices, its model and project file written into
    ``folder``. Returns ``(project, project_path, fit_result)``."""
    project, _ = automatic_project(AutomaticChoices(csv, list(targets), folder=folder, **settings))
    project.selection.settings = {}
    if change is not None:
        change(project)
    result = fit_project(project)
    model = folder / f"{name}.model.npz"
    save_fit(result, model)
    record_fit(project, result, model)
    path = folder / f"{name}.json"
    save_project(project, path)
    return project, path, result


def untrained_project(folder, name, rows=96, seed=0):
    """A saved, untrained project (``y`` from ``y`` and ``x``, lookback 4, GRU of 4 units, no
    automatic choices) on a seasonal CSV written into ``folder``; returns its path."""
    from helpers.models import seasonal_frame

    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / f"{name}.csv"
    seasonal_frame(rows, seed).drop(columns="note").to_csv(csv, index=False)
    project, _ = automatic_project(AutomaticChoices(
        csv, ["y"], lookback=4, hidden_sizes=[4], folder=folder, name=name))
    project.selection.settings = {}
    return save_project(project, folder / f"{name}.json")


def unknown_label_project(folder, rows):
    """A project trained (lookback 4, 5 epochs, testing from 2019-01-01: rows 84 to 95) on
    the seasonal rows with a categorical input ``season`` (summer, winter, rest), whose data
    file then holds the label "autumn", which the model was not trained on, in ``rows``.
    Returns ``(project_path, csv, fit_result)``."""
    import pandas as pd

    from helpers.models import seasonal_frame

    frame = seasonal_frame().drop(columns="note")
    month = pd.to_datetime(frame["month"]).dt.month
    frame["season"] = ["summer" if m in (6, 7, 8) else "winter" if m in (12, 1, 2) else "rest"
                       for m in month]
    csv = folder / "seasons.csv"
    frame.to_csv(csv, index=False)
    _, path, result = trained_project(csv, folder, inputs=["season"], lookback=4,
                                      test_from="2019-01-01", max_epochs=5)
    frame.loc[list(rows), "season"] = "autumn"
    frame.to_csv(csv, index=False)
    return path, csv, result


def start_kept_project(folder, members=2, **settings):
    """The path of a saved project (GRU of 4 units, ``members`` networks averaged, a linear
    path; else as ``settings`` say, as :func:`trained_project`'s) whose training kept its
    least-squares start in every network: a learning rate far too high makes every
    epoch's selection error worse than the start's."""
    from helpers.models import seasonal_frame

    csv = folder / "monthly.csv"
    seasonal_frame().drop(columns="note").to_csv(csv, index=False)

    def wild(project):
        project.architecture.hidden_sizes = [4]
        project.training.members = members
        project.training.learning_rate = 0.5

    _, path, result = trained_project(csv, folder, max_epochs=4, lookback=4, change=wild,
                                      **settings)
    assert result.network.kept_start_ and not np.any(
        result.network.parameters_.views["head.weight"])
    return path
