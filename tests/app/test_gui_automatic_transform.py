"""The data page's "Automatic" target transform: step 4 chooses it as `rnn-studio fit`
does, and step 2 shows what it chose."""

from helpers.projects import untrained_project


def test_the_automatic_transform_is_chosen_at_step_4_and_shown_at_step_2(window, dialogs,
                                                                         gui, qtbot,
                                                                         tmp_path):
    assert window.open_project(untrained_project(tmp_path, "alpha"))   # trend and a season
    assert window.go_to_step(1)
    page, project = window.pages[1], window.session.project
    assert page.transform.currentData() == "none"
    assert "choose_target_transform" not in project.selection.settings
    page.transform.setCurrentIndex(page.transform.findData("difference"))
    page.transform.setCurrentIndex(page.transform.findData("automatic"))
    assert project.selection.settings["choose_target_transform"] is True
    assert window.session.config().target_transform == "difference"  # until step 4 chooses
    assert page.transform_note.isVisible()
    assert page.transform_note.text().endswith("Until then: <b>differences</b>.")
    training = gui.train_briefly(window, qtbot)
    chosen = window.session.config().target_transform
    assert ("Target transform chosen by the backtest before the testing part: "
            f"<b>{chosen.replace('_', ' ')}</b>") in training.result.text()
    assert chosen in ("difference", "seasonal_difference")        # the level drifts: not none
    summary = project.selection.summary
    assert summary["chosen"]["target_transform"] == chosen
    assert any(t["target_transform"] == "none" and t["error"] for t in summary["trials"])
    assert window.go_to_step(1)
    assert page.transform.currentData() == "automatic"
    label = {"difference": "differences", "seasonal_difference": "seasonal differences"}
    assert page.transform.currentText() == "Automatic"
    assert page.transform_note.isVisible()
    assert page.transform_note.text().endswith(f"Last chosen: <b>{label[chosen]}</b>.")
    page.transform.setCurrentIndex(page.transform.findData("none"))  # chosen by hand again
    assert "choose_target_transform" not in project.selection.settings
    assert window.session.config().target_transform == "none"
    assert not page.transform_note.isVisible()


def test_a_lookback_set_on_the_page_is_kept_by_step_4(window, dialogs, qtbot, tmp_path):
    """A project made by `rnn-studio fit` chooses its lookback when trained; once the
    person sets one on the data page, training keeps it."""
    from engine.project.document import load_project, save_project

    path = untrained_project(tmp_path, "beta")
    project = load_project(path)
    project.selection.settings = {"choose_lookback": True, "choose_target_transform": True}
    save_project(project, path)
    assert window.open_project(path)
    assert window.go_to_step(1)
    page, settings = window.pages[1], window.session.project.selection.settings
    assert page.transform.currentData() == "automatic"
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    assert settings["choose_lookback"] is True          # shown, not yet set by the person
    page.lookback.setValue(page.lookback.value() + 2)
    assert "choose_lookback" not in settings and settings["choose_target_transform"]


def test_a_new_project_sets_its_transform_on_step_2(window, dialogs, gui, semicolon_csv,
                                                     tmp_path):
    """Automatic is offered, not the default: on the suite it helped some sets and cost
    others (benchmarks/results.md, "Automatic on the pages")."""
    gui.ready_project(window, tmp_path / "new", semicolon_csv)
    assert window.session.project.selection.settings == {}
    assert window.go_to_step(1)
    page = window.pages[1]
    assert page.transform.currentData() == "none" and not page.transform_note.isVisible()


def test_the_line_under_the_transform_goes_for_many_series(window, dialogs, gui, tmp_path):
    import numpy as np
    import pandas as pd

    rows = [pd.DataFrame({"shop": f"shop{k}", "sales": 50 + 10 * k + np.arange(120) % 7})
            for k in range(3)]
    csv = tmp_path / "shops.csv"
    pd.concat(rows, ignore_index=True).to_csv(csv, index=False)
    page = gui.new_data_project(window, tmp_path / "project", csv)
    page.transform.setCurrentIndex(page.transform.findData("automatic"))
    assert page.transform_note.isVisible()                  # one series: step 4 chooses
    gui.set_role(page, "shop", "series")
    assert not page.transform.isEnabled() and not page.transform_note.isVisible()
    gui.set_role(page, "shop", "unused")                     # one series again
    assert page.transform.isEnabled() and page.transform_note.isVisible()
