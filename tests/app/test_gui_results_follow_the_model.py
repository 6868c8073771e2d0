"""The pages of results follow the model: a training that ends while step 6 or 7 is on
screen shows the new model there; a Stop before any epoch ended is no failure and shows the
stored training again; a search or backtest made with earlier settings is not shown as
current."""

import pytest

from engine.project.model_status import settings_fingerprint
from engine.selection import SearchResult, TrialRow, record_search

TESTING, DEPLOY = 5, 6


def trained_airline(window, qtbot, gui):
    assert window.open_example("airline")
    window.pages[3].members.setValue(1)
    gui.train_briefly(window, qtbot, max_epochs=2)
    assert window.save()
    return window.pages[3]


@pytest.mark.parametrize("step", [TESTING, DEPLOY])
def test_a_training_that_ends_on_a_page_of_results_shows_the_new_model_there(
        window, qtbot, gui, dialogs, step):
    training = trained_airline(window, qtbot, gui)
    page = window.pages[step]
    assert window.go_to_step(step)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=60000)
    shown = page._key if step == TESTING else page.model_path
    assert shown == window.session.model_identity()
    assert window.go_to_step(3)
    training.seed.setValue(training.seed.value() + 1)
    training.start_button.click()
    assert window.go_to_step(step)
    qtbot.waitUntil(lambda: not training.runner.running, timeout=60000)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=60000)
    new = window.session.model_identity()
    assert new != shown
    assert (page._key if step == TESTING else page.model_path) == new
    assert not dialogs.warnings


def test_a_stop_before_the_first_epoch_keeps_the_earlier_model_and_its_curves(
        window, qtbot, gui, dialogs):
    training = trained_airline(window, qtbot, gui)
    epochs = len(window.session.project.results.training["history"]["epoch"])
    assert gui.epochs_drawn(training.losses.training_curve) == epochs
    training.start_button.click()
    training.stop_button.click()
    qtbot.waitUntil(lambda: not training.runner.running, timeout=60000)
    assert dialogs.warnings == []                          # a stop is no failure
    text = training.progress_label.text()
    assert text.startswith("Stopped") and "no new model" in text
    assert "The model trained before stays in use." in text
    assert gui.epochs_drawn(training.losses.training_curve) == epochs   # its curves again
    assert window.session.trained_model() is not None


def stored_search(project, fingerprint):
    rows = [TrialRow(k, {"hidden_sizes": [n]}, f"{n} units", float(n), current=k == 0,
                     training_error=1.0, selection_error=2.0 - k, selection_score=2.0 - k,
                     runs=[{"repeat": 0, "seconds": 0.1}]) for k, n in enumerate((4, 8))]
    result = SearchResult("neurons", "one-step RMSE", ["Passengers"], rows,
                          fingerprint=fingerprint)
    result.choose()
    record_search(project, result)


def test_a_search_made_with_earlier_settings_is_not_shown_as_current(
        window, qtbot, gui, dialogs):
    trained_airline(window, qtbot, gui)
    session = window.session
    page = window.pages[4]
    stored_search(session.project, settings_fingerprint(session.project))
    page.progress.setRange(0, 7)
    page.progress.setValue(7)                      # as after a search of another project
    assert window.go_to_step(4)
    assert session.step_states()[4] == "done"
    assert page.table.rowCount() == 2 and page.status.text().startswith("Finished")
    assert page.progress.text() == ""              # no count of a run not on screen
    session.project.data.config.lookback += 1      # an edit on step 2
    session.touch()
    page.refresh()
    assert session.step_states()[4] != "done"
    assert page.table.rowCount() == 0 and not page.apply_button.isEnabled()
    assert page.status.text().startswith("The project's settings or its data file changed "
                                      "since this search")
    # applying the chosen row changes only what the search tried: it stays current
    session.project.data.config.lookback -= 1
    page.refresh()
    page.table.selectRow(1)
    page.apply_button.click()
    qtbot.waitUntil(lambda: not window.pages[3].runner.running, timeout=60000)
    assert session.project.architecture.hidden_sizes == [8]
    assert session.step_states()[4] == "done"


def test_a_saved_copy_elsewhere_keeps_its_search_current(window, qtbot, gui, dialogs,
                                                         tmp_path):
    trained_airline(window, qtbot, gui)
    session = window.session
    stored_search(session.project, settings_fingerprint(session.project))
    before = settings_fingerprint(session.project)
    other = tmp_path / "elsewhere"
    other.mkdir()
    session.save(other / "copy.json")               # the data path is stored anew
    assert settings_fingerprint(session.project) != before
    assert session.step_states()[4] == "done"
    assert session.project.selection.search["neurons"]["fingerprint"] == \
        settings_fingerprint(session.project)


def test_tables_loaded_one_after_another_never_give_the_model_the_same_identity(tmp_path):
    """A table freed often leaves its ``id()`` to the next one: the model's identity tells the
    tables apart all the same (step 6 would show the results of the earlier data)."""
    import gc

    import pandas as pd

    from app.session import ProjectSession
    from engine.data import load_table

    session = ProjectSession()
    session.pending_model = tmp_path / "model.npz"
    session.pending_model.write_bytes(b"a model")
    identities = set()
    for _ in range(20):
        session.table = load_table(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
        identities.add(session.model_identity())
        session.table = None
        gc.collect()
    assert len(identities) == 20
