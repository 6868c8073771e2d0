"""The training form shows the values the training will use: the large-data recipe when
the data set is large, the chosen optimizer's own learning rate until the person sets one;
the result quotes the values used."""

from PySide6.QtCore import Qt

import engine.training.automatic
from helpers.projects import untrained_project


def test_the_form_shows_the_large_data_settings_and_the_result_quotes_them(
        window, dialogs, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(engine.training.automatic, "SMALL_DATA_WINDOWS", 10)   # 96 rows are "large"
    assert window.open_project(untrained_project(tmp_path, "big"))
    assert window.go_to_step(3)
    page = window.pages[3]
    assert (page.batch_size.value(), page.max_epochs.value(), page.patience.value()) == \
        (128, 100, 8)
    assert "Large data set" in page.defaults_note.text()
    assert "batch 128, up to 100 epochs and patience 8" in page.defaults_note.text()
    assert page.progress.maximum() == 100
    page.max_epochs.setValue(2)
    assert window.session.project.training.max_epochs == 2
    assert "batch_size" not in window.session.project.training.to_dict()     # still the recipe's
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)
    assert not dialogs.warnings
    used = window.session.project.results.training["settings"]
    assert (used["batch_size"], used["max_epochs"], used["patience"]) == (128, 2, 8)
    assert "Trained with Adam, learning rate 0.003, batch 128, up to 2 epochs, patience 8." \
        in page.result.text()


def test_small_data_shows_the_small_data_settings_without_a_note(window, dialogs, tmp_path):
    assert window.open_project(untrained_project(tmp_path, "small"))
    assert window.go_to_step(3)
    page = window.pages[3]
    assert (page.batch_size.value(), page.max_epochs.value(), page.patience.value()) == \
        (32, 1000, 60)
    assert page.defaults_note.text() == ""


def _choose(page, optimizer):
    page.optimizer.setCurrentIndex(page.optimizer.findData(optimizer))


def test_an_unset_learning_rate_follows_the_optimizer(window, dialogs, tmp_path):
    assert window.open_project(untrained_project(tmp_path, "rates"))
    assert window.go_to_step(3)
    page = window.pages[3]
    training = window.session.project.training
    assert page.learning_rate.value() == 0.003
    _choose(page, "lbfgs")
    assert page.learning_rate.value() == 1.0 and "learning_rate" not in training.to_dict()
    _choose(page, "sgd")
    assert page.learning_rate.value() == 0.01 and "learning_rate" not in training.to_dict()
    page.learning_rate.setValue(0.05)                  # set by the person: it stays
    _choose(page, "adam")
    assert page.learning_rate.value() == 0.05 and training.learning_rate == 0.05


def test_a_stored_learning_rate_at_the_old_optimizers_default_follows_the_optimizer(
        window, dialogs, tmp_path):
    """Projects saved by earlier versions hold the form's 0.003 whatever the person did."""
    from engine.project.document import load_project, save_project

    path = untrained_project(tmp_path, "old")
    project = load_project(path)
    project.training.optimizer, project.training.learning_rate = "adam", 0.003
    save_project(project, path)
    assert window.open_project(path)
    assert window.go_to_step(3)
    page = window.pages[3]
    _choose(page, "sgd")
    assert page.learning_rate.value() == 0.01
    assert "learning_rate" not in window.session.project.training.to_dict()


def test_a_training_that_stopped_early_leaves_the_bar_full(window, dialogs, gui, qtbot,
                                                           tmp_path):
    """Early stopping at epoch 61 of at most 1000 left the bar 6% full, as if the training
    had stopped short."""
    csv = gui.write_semicolon_csv(tmp_path / "data" / "messwerte.csv")
    page = gui.ready_project(window, tmp_path / "p", csv, max_epochs=300, patience=1)
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=120000)
    epochs = window.session.project.results.training["epochs"]
    assert epochs < 300                                          # stopped early
    bar = page.progress
    assert bar.value() == bar.maximum() == epochs
    each = sorted(m["epochs"] for m in window.session.project.results.training["members"])
    assert len(each) == 5 and each[0] < each[-1]        # each of the networks averaged's
    done = f"done: 5 networks of {each[0]} to {each[-1]} epochs"
    assert bar.format() == done and bar.text() == done


def test_the_progress_of_one_series_shows_unscrolled_in_a_small_window(
        window, dialogs, qtbot, tmp_path, monkeypatch):
    """In a window of 1000 x 680 the progress bar and the sentence under it (the epoch,
    the best one and the time left) show without scrolling while a training runs, the
    note of large data sets above them included, as on the page of many series."""
    from PySide6.QtWidgets import QScrollArea

    from engine.training.settings import EpochReport

    monkeypatch.setattr(engine.training.automatic, "SMALL_DATA_WINDOWS", 10)
    assert window.open_project(untrained_project(tmp_path, "big"))
    assert window.go_to_step(3)
    page = window.pages[3]
    window.resize(1000, 680)
    window.show()
    page.runner.stage.emit("Training network 2 of 5 (the others on 1 more core)")
    page.runner.epoch.emit(EpochReport(epoch=5, training_loss=0.1, selection_loss=0.2,
                                       elapsed=10.0, learning_rate=1e-3, gradient_norm=1.0,
                                       best_epoch=4, best_loss=0.2, max_epochs=1000))
    page._redraw()
    qtbot.wait(50)
    assert "Time left: at most" in page.progress_label.text()
    assert page.defaults_note.isVisible()
    scroll = next(area for area in window.findChildren(QScrollArea)
                  if area.widget() is not None and area.widget().isAncestorOf(page.single))
    viewport = scroll.viewport()
    assert scroll.verticalScrollBar().value() == 0
    for widget in (page.progress, page.progress_label):
        bottom = widget.mapTo(viewport, widget.rect().bottomLeft()).y()
        assert widget.isVisible() and 0 <= bottom <= viewport.height(), widget


def test_a_stop_before_the_first_epoch_is_said_as_a_stop_and_other_failures_as_failures(
        window, dialogs, gui, tmp_path):
    """One series: the engine's NothingTrained after a Stop is the Stop's end (no message);
    any other failure after a Stop is a failure with its message (every error after a Stop
    was taken for one before the first epoch, its message never shown)."""
    from engine import EngineError
    from engine.errors import NothingTrained

    csv = gui.write_semicolon_csv(tmp_path / "data" / "messwerte.csv")
    page = gui.ready_project(window, tmp_path / "p", csv, max_epochs=3)
    page.stop()
    page._on_failed(NothingTrained())
    assert not dialogs.warnings
    assert "Stopped before the first epoch ended" in page.progress_label.text()
    page.stop()
    page._on_failed(EngineError("The folder /x cannot be written."))
    assert [text for _, text in dialogs.warnings] == ["The folder /x cannot be written."]
    assert "The training could not run" in page.progress_label.text()
