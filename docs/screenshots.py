"""Screenshots of every page for the README, taken from the real window.

Run under a virtual display with real fonts:
    xvfb-run -a .venv/bin/python docs/screenshots.py
It uses a throw-away settings and data folder, so your own projects are not touched.
"""

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))


def wait_for(app, condition, seconds=120):
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def main():
    QStandardPaths.setTestModeEnabled(True)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("RNN Studio Screenshots")
    app.setApplicationName("RNN Studio Screenshots")
    from app import examples
    from app.main_window import MainWindow
    from app.widgets.import_dialog import ImportDialog

    scratch = Path(tempfile.mkdtemp(prefix="rnn-studio-shots-"))
    examples.examples_folder = lambda: scratch / "examples"
    window = MainWindow(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 820)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name):
        for _ in range(5):      # layouts that arrange again after a table filled settle
            app.processEvents()
            time.sleep(0.1)
        window.grab().save(str(OUT / f"{name}.png"))

    shot("0-start")
    window.open_example("airline")
    for row, name in enumerate(["1-project", "2-data-set", "3-architecture"]):
        window.go_to_step(row)
        if row == 1:        # the statistics are computed in the page's worker
            wait_for(app, lambda: not window.pages[1].runner.running)
        shot(name)
    window.go_to_step(3)
    page = window.pages[3]
    page.max_epochs.setValue(400)
    page.start()
    wait_for(app, lambda: not page.runner.running)
    shot("4-training")

    window.go_to_step(4)                       # model selection: a search over the units
    selection = window.pages[4]
    selection.method.setCurrentIndex(selection.method.findData("neurons"))
    selection.start()
    wait_for(app, lambda: not selection.runner.running, seconds=600)
    shot("5-model-selection")
    window.go_to_step(5)
    testing = window.pages[5]
    wait_for(app, lambda: testing.analysis is not None and not testing.runner.running)
    shot("6-test-results")
    testing.tabs.setCurrentWidget(testing.backtest)       # errors by rolling origin
    testing.backtest.run()
    wait_for(app, lambda: not testing.backtest.runner.running, seconds=600)
    shot("6-backtest")
    testing.tabs.setCurrentIndex(0)
    window.go_to_step(6)
    deploy = window.pages[6]
    wait_for(app, lambda: deploy.forecast.result is not None and not deploy.runner.running)
    shot("7-deploy")
    method = deploy.forecast.method            # the forecast by a classical method
    method.setCurrentIndex(max(1, next((i for i in range(method.count())
                                        if "best" in method.itemText(i)), 1)))
    deploy.forecast.run()
    wait_for(app, lambda: deploy.forecast.result.source != "network"
             and not deploy.runner.running)
    shot("7-deploy-method")
    method.setCurrentIndex(0)

    long_series_test_page(app, window, shot)
    many_series_pages(app, window, shot)

    dialog = ImportDialog(str(ROOT / "resources" / "examples" / "seattle_weather_daily.csv"),
                          parent=window)
    dialog.show()
    app.processEvents()
    time.sleep(0.2)
    app.processEvents()
    dialog.grab().save(str(OUT / "2-import-dialog.png"))
    dialog.close()
    window.session.dirty = False
    window.close()
    print(f"screenshots written to {OUT}")


def long_series_test_page(app, window, shot):
    """The 10-minute appliances example (19,735 rows) trained briefly, its test page zoomed
    to the last week of the testing part."""
    window.session.dirty = False                # no question about the airline project
    window.open_example("appliances")
    window.go_to_step(3)
    page = window.pages[3]
    page.max_epochs.setValue(20)
    page.start()
    wait_for(app, lambda: not page.runner.running, seconds=900)
    window.go_to_step(5)
    testing = window.pages[5]
    wait_for(app, lambda: testing.analysis is not None and not testing.runner.running,
             seconds=600)
    view = testing.prediction_view
    last = view.data_bounds()[1]
    view.set_x_range(last - 7 * 24 * 3600, last)
    shot("6-test-results-long-series-week")
    view.show_all()
    shot("6-test-results-long-series-all")


def many_series_pages(app, window, shot):
    """The example of 20 hourly series, one network over all of them: its data set,
    training, backtest, test results and forecasts."""
    window.session.dirty = False
    window.open_example("m4_hourly")
    window.go_to_step(1)
    wait_for(app, lambda: not window.pages[1].runner.running)
    shot("many-2-data-set")
    window.go_to_step(3)
    page = window.pages[3]
    page.start()
    wait_for(app, lambda: not page.runner.running, seconds=900)
    shot("many-4-training")
    window.go_to_step(4)
    selection = window.pages[4].many
    selection.run()
    wait_for(app, lambda: not selection.runner.running, seconds=900)
    shot("many-5-backtest")
    window.go_to_step(5)
    testing = window.pages[5].many
    wait_for(app, lambda: testing.testing is not None and not testing.runner.running,
             seconds=600)
    shot("many-6-test-results")
    window.go_to_step(6)
    deploy = window.pages[6]
    wait_for(app, lambda: not deploy.runner.running, seconds=600)
    shot("many-7-deploy")
    window.session.dirty = False


if __name__ == "__main__":
    main()
