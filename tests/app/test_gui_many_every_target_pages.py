"""Steps 4 and 5 of a model of many series with several targets show the figures of each
target, chosen in a Target box as on step 6: step 4 the testing scores the project keeps of
every target, step 5 the backtest of every target. A project that kept the first target's
scores alone (as written before) reads as it did; one target shows no Target box."""

import json

import pytest

from engine.figures import number, table_digits
from engine.project.document import load_project
from engine.many.evaluation import summary_digits
from engine.testing.report import format_number
from helpers.many_projects import open_trained, shops_with_returns

METHODS = ("network", "naive2", "seasonal_naive", "theta")


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    return shops_with_returns(tmp_path_factory.mktemp("shops"))[0]


def owas(summary):
    """The OWA of each of :data:`METHODS` as the table of ``summary`` shows it."""
    return [format_number(summary[m]["owa"], summary_digits(summary.values())["owa"])
            for m in METHODS]


def owa_column(table):
    return [table.item(r, 3).text() for r in range(table.rowCount())]


def test_step_4_shows_the_scores_of_the_target_chosen(window, qtbot, shops):
    by_target = load_project(shops).results.comparison["by_target"]
    assert open_trained(window, qtbot, shops)
    assert window.go_to_step(3)
    view = window.pages[3].many
    assert view.target_row.isVisible()
    assert [view.target_box.itemText(i) for i in range(view.target_box.count())] == \
        ["sales", "returns"]
    assert view.testing_title.text() == ("<b>Testing</b> of sales: the last 4 rows of 8 "
                                         "series, which the linear autoregression never "
                                         "learned from")
    assert owa_column(view.scores) == owas(by_target["sales"]["summary"])
    view.target_box.setCurrentIndex(1)
    assert "<b>Testing</b> of returns:" in view.testing_title.text()
    assert owa_column(view.scores) == owas(by_target["returns"]["summary"])
    assert view.verdict.text().startswith("For returns: The linear autoregression's OWA is "
                                          "0.7788: it beats seasonal naive")
    assert "The Theta method did best on sales, the linear autoregression on returns." in \
        view.verdict.text()


def test_step_4_of_a_project_that_kept_the_first_target_alone(window, qtbot, shops,
                                                              tmp_path):
    document = json.loads(shops.read_text())
    document["results"]["comparison"].pop("by_target")     # as projects were written
    old = shops.parent / "first_only.json"
    old.write_text(json.dumps(document))
    assert open_trained(window, qtbot, old)
    assert window.go_to_step(3)
    view = window.pages[3].many
    assert not view.target_row.isVisible()
    assert view.testing_title.text().startswith("<b>Testing</b> of sales, the first of 2 "
                                                "targets (step 6 scores each): the last 4")
    assert view.verdict.text().startswith("For sales: The linear autoregression's OWA is "
                                          "0.9170: it does not beat")
    assert "did best on sales" not in view.verdict.text()


def test_step_5_shows_the_backtest_of_the_target_chosen(window, qtbot, shops):
    assert open_trained(window, qtbot, shops)
    assert window.go_to_step(4)
    panel = window.pages[4].many
    assert not panel.target_box.isVisible()
    panel.origins.setValue(1)
    panel.workers.setValue(0)
    panel.run()
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=120000)
    result = panel.result
    assert panel.target_box.isVisible() and panel.target_box.currentText() == "sales"
    assert panel.verdict.text().startswith("For sales: At the one origin")

    def mean_row():
        return [panel.table.item(1, c).text() for c in range(2, 6)]

    def owas(summary):
        return [summary[m]["owa"] for m in METHODS]

    def shown(target):        # as the table shows them: 4 digits unless more tell apart
        figures = owas(result["origins"][0]["targets"][target]) + \
            owas(result["targets"][target]["mean"])
        return [number(value, table_digits(figures)) for value in figures]

    assert mean_row() == shown("sales")[4:]
    panel.target_box.setCurrentIndex(1)
    assert panel.result is result
    assert mean_row() == shown("returns")[4:]
    assert panel.table.item(0, 2).text() == shown("returns")[0]
    assert panel.verdict.text().startswith("For returns: At the one origin")
    panel.measure.setCurrentIndex(panel.measure.findData("smape"))   # stays on returns
    assert panel.target_box.currentText() == "returns"
    smape = [row[m]["smape"] for row in (result["origins"][0]["targets"]["returns"],
                                         result["targets"]["returns"]["mean"])
             for m in METHODS]
    assert mean_row()[0] == number(smape[4], table_digits(smape))
