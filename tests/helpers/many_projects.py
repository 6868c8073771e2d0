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


def firms_with_two_inputs(folder, firms=11, years=20):
    """A short yearly panel like Grunfeld's: ``firms`` firms of ``years`` years, their
    investment (the target) and two inputs, value and capital, fitted on the command line
    with 3 steps tested and forecast at once; returns the project's path."""
    import io

    import numpy as np
    import pandas as pd

    from engine.cli.main import main

    rng = np.random.default_rng(0)
    parts = [pd.DataFrame({"firm": f"Firm {k + 1}", "year": 1935.0 + np.arange(years),
                           "invest": np.round(100 * (k + 1) + np.cumsum(
                               rng.normal(5, 9, years)), 1),
                           "value": np.round(1000 * (k + 1) + np.cumsum(
                               rng.normal(20, 50, years)), 1),
                           "capital": np.round(np.cumsum(rng.uniform(10, 90, years)), 1)})
             for k in range(firms)]
    folder.mkdir(parents=True, exist_ok=True)
    pd.concat(parts).to_csv(folder / "firms.csv", index=False)
    project = folder / "firms.json"
    status = main(["fit", str(folder / "firms.csv"), "--series", "firm", "--time", "year",
                   "--target", "invest", "--input", "value", "--input", "capital",
                   "--test-last", "3", "--horizon", "3", "--members", "1", "--epochs", "2",
                   "--project", str(project), "--out", str(folder / "firms.model.npz")],
                  out=io.StringIO(), err=io.StringIO())
    assert status == 0
    return project


def shops_with_returns(folder):
    """Eight shops' weekly sales (a season of 4 weeks, little noise) and returns (a trend
    with noise), fitted on the command line for 2 epochs with the last 4 weeks tested:
    the Theta method does best on the sales, the network on the returns. Returns
    ``(project, model, data)``, their paths."""
    import io

    import numpy as np
    import pandas as pd

    from engine.cli.main import main

    rng = np.random.default_rng(0)
    week = np.arange(40)
    parts = []
    for k in range(8):
        sales = 100 * (k + 1) * (1 + 0.3 * np.sin(2 * np.pi * week / 4 + k)) + \
            rng.normal(size=40) * 0.5
        returns = 20 + 0.5 * week + rng.normal(size=40) * 3 + 5 * k
        parts.append(pd.DataFrame({"shop": f"S{k + 1}", "week": week + 1,
                                   "sales": np.round(sales, 2),
                                   "returns": np.round(returns, 2)}))
    data, project, model = folder / "shops.csv", folder / "shops.json", folder / "shops.npz"
    pd.concat(parts).to_csv(data, index=False)
    status = main(["fit", str(data), "--series", "shop", "--time", "week", "--target",
                   "sales", "--target", "returns", "--test-last", "4", "--horizon", "4",
                   "--season", "4", "--members", "1", "--epochs", "2", "--hidden", "4",
                   "--seed", "0", "--project", str(project), "--out", str(model)],
                  out=io.StringIO(), err=io.StringIO())
    assert status == 0
    return project, model, data
