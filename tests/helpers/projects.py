"""Trained projects on disk for the tests of the testing, report and deploy code."""

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
