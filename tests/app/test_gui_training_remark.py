"""The training page shows the engine's remark on a network far worse than persistence
beside the training result."""

import engine.training.fitting

REMARK = ("The network is far worse than persistence (the last known value) on the "
          "selection part (RMSE 2.1e+04 against 49 for Temperatur; more than 10 times "
          "worse): its numbers are not to be trusted.")


def test_the_remark_is_shown_with_the_result(window, gui, qtbot, tmp_path, semicolon_csv,
                                             monkeypatch):
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv)
    monkeypatch.setattr(engine.training.fitting, "fit_remark", lambda *args: REMARK)
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    assert window.session.project.results.training["remark"] == REMARK
    assert REMARK in page.result.text()


def test_no_remark_without_one(window, gui, qtbot, tmp_path, semicolon_csv, monkeypatch):
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv)
    monkeypatch.setattr(engine.training.fitting, "fit_remark", lambda *args: None)
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=20000)
    assert "far worse" not in page.result.text()
    assert "#b00020" not in page.result.text()


def test_a_selection_score_saved_as_null_is_shown_as_not_a_number(window, gui, tmp_path,
                                                                   semicolon_csv):
    page = gui.ready_project(window, tmp_path / "project", semicolon_csv)
    window.session.project.results.scores = {
        "selection": {"targets": {"Temperatur": {"rmse": None}}}}
    text = page._summary_text({"stop_reason": "Stopped."})
    assert "Temperatur not a number" in text
