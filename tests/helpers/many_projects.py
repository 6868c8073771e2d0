"""The built-in example of many series as a trained project, for the tests of the pages
that show a global model."""

from engine.many.project_fit import record_many_fit, train_many_project
from engine.project.document import save_project


def trained_example(folder, lookback=None, max_epochs=2):
    """The example "m4_hourly" (20 series of 700 hourly values) in ``folder``, its global
    network trained for ``max_epochs`` (with ``lookback`` rows when given) and recorded;
    returns ``(project, project_path, fit)``."""
    from app.examples import example_project

    project, path = example_project("m4_hourly", folder=folder)
    project.training.max_epochs = max_epochs
    project.training.members = 1
    if lookback is not None:
        project.data.config.lookback = lookback
    fit, model_path = train_many_project(project)
    record_many_fit(project, fit, model_path)
    save_project(project, path)
    return project, path, fit


def open_trained(window, qtbot, path):
    """Open the trained project at ``path`` in ``window`` and wait for the test of its
    model that opening starts (step 6 tests a trained model as soon as its project and
    data are open), so that no test leaves it running; whether it opened."""
    opened = window.open_project(str(path))
    testing = window.pages[5]
    qtbot.waitUntil(lambda: not testing.many.runner.running, timeout=60000)
    return opened
