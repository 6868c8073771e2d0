"""Step 4 for a table of many series: the training page trains one global network over the
series of the built-in "m4_hourly" example (tiny fits), shows its progress and its testing
scores beside the comparators, stops with a model, and shows the stored training again when
the project is reopened."""

import pytest

from engine.many.global_model import network_label
from engine.many.model_file import load_global_model
from engine.model.model_file import holds_many_series
from engine.many.evaluation import summary_digits
from engine.testing.report import format_number
from helpers.many_projects import open_trained

STAGES = ("Scaling each series", "Training on", "Forecasting 20 series with the comparators")


def open_many(window):
    """The example of 20 hourly series, on the training step."""
    window.open_example("m4_hourly")
    assert window.go_to_step(3)
    return window.pages[3]


def train(page, qtbot, epochs, patience=None):
    view = page.many
    view.members.setValue(1)                      # one network: quicker, the same path
    view.max_epochs.setValue(epochs)
    if patience is not None:
        view.patience.setValue(patience)
    view.start_button.click()
    assert page.runner.running
    return view


def table_cells(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_a_project_of_many_series_shows_the_settings_of_the_global_fit(window):
    page = open_many(window)
    view = page.many
    assert view.isVisible() and not page.single.isVisible()
    assert view.max_epochs.value() == 40 and view.batch_size.value() == 256   # its defaults
    assert view.loss.currentData() == "mae"
    for unused in (view.optimizer, view.l2):
        assert not unused.isEnabled() and "one series" in unused.toolTip()
    view.max_epochs.setValue(7)
    view.seed.setValue(3)
    view.patience.setValue(0)
    training = window.session.project.training.to_dict()
    assert (training["max_epochs"], training["seed"], training["patience"]) == (7, 3, 0)
    from engine.many.project_fit import series_of, settings_of
    project = window.session.project
    settings, _ = settings_of(project, series_of(window.session.table,
                                                 project.dataset_config()))
    assert (settings.max_epochs, settings.seed, settings.patience) == (7, 3, 0)


def test_a_project_of_one_series_keeps_its_own_training_page(window):
    window.open_example("airline")
    assert window.go_to_step(3)
    page = window.pages[3]
    assert page.single.isVisible() and not page.many.isVisible()
    assert page.optimizer.isEnabled()


def test_training_many_series_writes_a_model_shows_its_scores_and_reopens(window, qtbot):
    page = open_many(window)
    assert not page.many.export_button.isEnabled()          # nothing trained to export yet
    view = train(page, qtbot, epochs=2)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=120000)
    assert view.export_button.isEnabled()
    session = window.session
    model = session.trained_model()
    assert model is not None and holds_many_series(model)
    summary = session.project.results.training
    assert summary["kind"] == "many_series" and summary["epochs"] == 2
    assert summary["series"] == 20 and summary["training_windows"] > 0
    assert summary["weights"] == load_global_model(model).network.n_parameters
    text = view.result.text()
    assert f"{summary['weights']:,} weights" in text and "20 series" in text
    assert summary["stop_reason"].split(".")[0] in text
    lines = view.stage_lines.text()
    assert all(stage in lines for stage in STAGES)
    assert list(view.losses.training_curve.getData()[0]) == [0, 1, 2]   # start, 2 epochs
    comparison = session.project.results.comparison["summary"]
    cells = table_cells(view.scores)
    label = network_label(load_global_model(model))    # as step 7 names what was kept
    assert [row[0] for row in cells] == [label, "Naive2", "seasonal naive", "Theta"]
    for row, method in zip(cells, ("network", "naive2", "seasonal_naive", "theta")):
        assert row[1:] == [format_number(comparison[method][key],
                                         summary_digits(comparison.values())[key])
                           for key in ("smape", "mase", "owa")]
    sentence = view.verdict.text()
    assert "seasonal naive" in sentence and "Theta" in sentence
    assert ("beats" in sentence) or ("does not beat" in sentence)

    window.session.save()                    # reopened: the stored training is shown
    view.losses.clear()
    assert open_trained(window, qtbot, window.session.path)
    assert window.go_to_step(3)
    assert list(view.losses.training_curve.getData()[0]) == [0, 1, 2]   # start, 2 epochs
    assert table_cells(view.scores) == cells
    assert f"{summary['weights']:,} weights" in view.result.text()


def test_stop_keeps_the_best_epoch_as_a_model(window, qtbot):
    page = open_many(window)
    config = window.session.config()
    config.lookback = 24                # one season: one window to read, then direct or not
    window.session.set_config(config)
    view = train(page, qtbot, epochs=500, patience=0)
    # two epochs of the fit, not of a candidate's network (a stop there keeps nothing);
    # generous: on two cores shared with other work an epoch took over a minute
    def fitting():
        return bool(view.stages) and view.stages[-1].startswith("Training") and \
            len(view.reports) >= 2

    qtbot.waitUntil(fitting, timeout=300000)
    view.stop_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=300000)
    summary = window.session.project.results.training
    assert 2 <= summary["epochs"] < 500
    assert window.session.trained_model() is not None
    assert view.scores.rowCount() == 4          # the kept network was scored
    assert view.start_button.isEnabled() and not view.stop_button.isEnabled()
    # the stage stopped is said, not listed as done: it read as if it had run to its end
    stopped = next(stage for stage in view.stages if stage.startswith("Training"))
    assert view.stage_now.isVisible() and view.stage_now.text() == (
        f"<b>■ Stopped in “{stopped}”: the best weights so far are kept and scored.</b>")
    assert f"■ {stopped}" in view.stage_lines.text()
    assert f"✓ {stopped}" not in view.stage_lines.text()
    assert view.progress_label.text().startswith("Stopped: the best weights so far were "
                                                 "kept and scored. Save the project")


def _stopped_while_the_comparators_forecast(window, qtbot, monkeypatch, failure=None):
    """``(page, view)``: a training of 2 epochs, Stop pressed while the fit's comparators
    forecast (held there until then), and the fit run on to its end; ``failure``: an
    exception the comparators raise once Stop was pressed."""
    import threading

    import engine.many.evaluation

    forecasting, go_on = threading.Event(), threading.Event()
    comparator_forecasts = engine.many.evaluation.comparator_forecasts

    def held(histories, steps, season, methods, *rest):
        if "theta" in methods:                      # the fit's scores, not a candidate's
            forecasting.set()
            go_on.wait(300)
            if failure is not None:
                raise failure
        return comparator_forecasts(histories, steps, season, methods, *rest)

    monkeypatch.setattr(engine.many.evaluation, "comparator_forecasts", held)
    page = open_many(window)
    view = train(page, qtbot, epochs=2)
    qtbot.waitUntil(lambda: forecasting.is_set() and "comparators" in view.stages[-1],
                    timeout=300000)
    view.stop_button.click()
    assert view.progress_label.text().startswith("The network's training has ended, so "
                                                 "Stop cuts nothing")
    go_on.set()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=300000)
    return page, view


def test_a_stop_while_the_comparators_forecast_cuts_nothing_and_says_so(
        window, qtbot, monkeypatch):
    """A Stop pressed while the comparators forecast (the network trained) cuts nothing:
    the engine checks for a Stop only while the window is chosen and a network trains. The
    stage is ticked and the page says the Stop came too late; it marked the stage
    "■ Stopped" and the bold line said the training stopped there."""
    _, view = _stopped_while_the_comparators_forecast(window, qtbot, monkeypatch)
    assert window.session.project.results.training["epochs"] == 2      # trained in full
    assert view.scores.rowCount() == 4
    lines = view.stage_lines.text()
    assert "■" not in lines and f"✓ {view.stages[-1]}" in lines
    assert not view.stage_now.isVisible() and "Stopped" not in view.stage_now.text()
    assert view.progress_label.text().startswith(
        "Finished: Stop came after the network's training had ended, so it cut nothing; "
        "the training ran to its end and the model was scored. Save the project")


def test_a_failure_after_a_stop_that_cut_nothing_is_shown_as_the_failure(
        window, qtbot, dialogs, monkeypatch):
    """A fit that fails after a Stop that came once the training had ended is said to
    have failed, with its message: it was shown as "Stopped before the first epoch
    ended", and the error was never told."""
    _, view = _stopped_while_the_comparators_forecast(
        window, qtbot, monkeypatch, failure=OSError("the disk is full"))
    assert view.stage_now.text().startswith("<b>✗ Failed in “Forecasting")
    assert "Stopped" not in view.progress_label.text()
    assert dialogs.warnings and "the disk is full" in str(dialogs.warnings[-1])


def test_a_setting_changed_after_the_training_marks_it_out_of_date(window, qtbot):
    page = open_many(window)
    train(page, qtbot, epochs=2)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=120000)
    view = page.many
    view.learning_rate.setValue(0.002)
    assert "earlier settings" in view.progress_label.text()
    assert "training" in window.frames[5].notice.text().lower()   # and the test results


def test_stop_while_the_window_is_chosen_keeps_nothing_and_says_so(window, qtbot, dialogs):
    page = open_many(window)
    view = page.many
    view.max_epochs.setValue(500)
    view.patience.setValue(0)
    stages = []
    page.runner.stage.connect(stages.append)
    view.start_button.click()
    qtbot.waitUntil(lambda: any("Choosing the window" in s for s in stages), timeout=60000)
    view.stop_button.click()
    # it said the best epoch so far was kept and scored, then that the first epoch never
    # ended
    assert view.progress_label.text() == ("Stopping the choice of the window; no model "
                                          "is trained...")
    qtbot.waitUntil(lambda: not page.runner.running, timeout=120000)
    assert view.progress_label.text() == ("Stopped while the window was being chosen; no "
                                          "model was trained.")
    assert not dialogs.warnings                       # a stop is no failure
    assert window.session.project.results.training is None
    assert view.start_button.isEnabled()


def test_a_stop_or_a_failure_says_in_the_bold_line_where_the_training_ended(
        window, dialogs, monkeypatch):
    """The bold line of the stage running says, once a Stop or a failure ended the
    training, where it ended and that no model was trained, as the sentence under the bar
    does; the stage ended is marked in the list, not ticked. It kept showing "… Choosing
    the window: candidate 2 of 3" as if that stage still ran."""
    from engine import EngineError
    from engine.training.settings import EpochReport

    view = open_many(window).many
    choosing = "Choosing the window: candidate 2 of 3 (lookback 48, 2 steps)"
    for stage in ("Choosing the window: candidate 1 of 3 (lookback 48, whole)", choosing):
        view.on_stage(stage)
    view.on_epoch(EpochReport(epoch=5, training_loss=0.1, selection_loss=0.2, elapsed=10.0,
                              learning_rate=1e-3, gradient_norm=1.0, best_epoch=4,
                              best_loss=0.2, max_epochs=25))        # a candidate's at most
    view.stop()
    view.on_cancelled()
    assert view.stage_now.text() == (f"<b>■ Stopped in “{choosing}”: no model was "
                                     "trained.</b>")
    assert view.stage_lines.text().endswith(f"<br>■ {choosing}")
    assert view.progress_label.text() == ("Stopped while the window was being chosen; no "
                                          "model was trained.")
    assert view.progress.text() == f"epoch 0 of at most {view.max_epochs.value()}"  # 25
    view.start_button.setEnabled(False)
    view._clear()                                      # as a new training starts
    assert not view.stage_now.isVisible() and view.stage_lines.text() == ""
    view.on_stage("Scaling each series")
    monkeypatch.setattr(window.session, "trained_model", lambda: "earlier.npz")
    view.on_failed(EngineError("The series could not be scaled."))
    assert view.stage_now.text() == ("<b>✗ Failed in “Scaling each series”: no model was "
                                     "trained.</b>")
    assert view.stage_lines.text() == "✗ Scaling each series"
    assert view.progress_label.text() == ("The training could not run. The model trained "
                                          "before stays in use.")
    assert dialogs.warnings and view.start_button.isEnabled()


def test_while_the_other_core_s_networks_train_the_bar_is_busy_and_counts_them(window):
    """A fit trains its networks side by side on the cores, and then waits for the other
    core's, which tell no epochs: the bar is busy (it stood at the last epoch of the
    network trained here), the label counts the networks done, and a Stop then stops
    their training (it was said to come once the training had ended and to cut
    nothing)."""
    from engine.training.members import MembersDone
    from engine.training.settings import EpochReport

    view = open_many(window).many
    view.on_stage("Training on 1,000 windows of 20 series")
    view.on_stage("Training network 1 of 3 (the others on 1 more core)")
    view.on_epoch(EpochReport(epoch=40, training_loss=0.1, selection_loss=0.2, elapsed=10.0,
                              learning_rate=1e-3, gradient_norm=1.0, best_epoch=38,
                              best_loss=0.2, max_epochs=40))
    waiting = "Waiting for the networks training on the other core"
    view.on_stage(waiting)
    assert (view.progress.minimum(), view.progress.maximum()) == (0, 0)      # busy
    view.on_step(MembersDone(2, 3, waiting))
    assert view.progress_label.text() == "2 of the 3 networks done."    # the stage says
    view.on_step(MembersDone(3, 3, waiting))                             # what it waits for
    assert view.progress_label.text() == "All 3 networks done."
    view.stop()
    assert view.progress_label.text().startswith("Stopping after the current batch; the "
                                                 "best epoch so far is kept")
    view.on_stage("Forecasting 20 series with the comparators")
    assert view._trained()                  # after the networks: a Stop would cut nothing


def test_a_stop_before_the_fit_s_first_epoch_ended_is_no_failure(window, dialogs):
    """A Stop before the fit's first epoch ended leaves no model to save: the engine's
    error (NothingTrained) is a stop's end, said as a stop, not a failure in a message."""
    from engine.errors import NothingTrained

    view = open_many(window).many
    view.on_stage("Scaling each series")
    view.stop()
    view.on_failed(NothingTrained())
    assert not dialogs.warnings
    assert view.stage_now.text() == ("<b>■ Stopped in “Scaling each series”: no model was "
                                     "trained.</b>")
    assert view.progress_label.text() == ("Stopped before the first epoch ended; no model "
                                          "was trained.")


def test_another_failure_after_a_stop_during_the_training_is_a_failure(window, dialogs):
    """A Stop during the training keeps the best epoch; when what follows fails (the model
    file cannot be written), that failure is said with its message: any error after a Stop
    was shown as "Stopped before the first epoch ended", and its message was lost."""
    from engine import EngineError

    view = open_many(window).many
    view.on_stage("Training on 1,000 windows of 20 series")
    view.stop()
    view.on_failed(EngineError("The folder /x cannot be written."))
    assert [text for _, text in dialogs.warnings] == ["The folder /x cannot be written."]
    assert view.stage_now.text().startswith("<b>✗ Failed in “Training on 1,000 windows")


def test_the_result_says_how_far_the_network_forecasts_as_the_model_does():
    from app.pages.many_training import result_text
    from engine.many.global_model import reach_words

    summary = {"stop_reason": "Stopped.", "training_windows": 10, "series": 2,
               "lookback": 168, "epochs": 3, "seconds": 4}
    direct = result_text({**summary, "horizon": 48, "steps": 48})
    recursive = result_text({**summary, "horizon": 24, "steps": 48})
    older = result_text({**summary, "horizon": 48})              # a summary without steps
    assert "(each 168 rows, forecasting 48 steps ahead at once)" in direct
    assert f"forecasting {reach_words(48, 24)})" in recursive
    assert "48 steps ahead, 24 at once, each block from the forecasts before it" in recursive
    assert "forecasting 48 steps ahead at once" in older
    long = result_text({**summary, "horizon": 48, "seconds": 3725})
    assert long.endswith(" in 1:02:05.")       # hours, as the engine says them: 62:05
    assert result_text({**summary, "horizon": 48, "epochs": 1}).endswith(
        ", 1 epoch in 0:04.")                   # not "1 epochs"


def test_the_window_s_candidates_show_their_epochs_with_the_time_left_and_the_stage_once(
        window, qtbot):
    """While the window is chosen, each candidate's network reports its epochs: the bar
    counts them, the label under it says the time left, and the stage is said once (in
    bold under the label, not in the label too). The candidates trained silently: the bar
    stood at "epoch 0 of at most N" of the later fit for the whole choice, and the label
    said the stage again."""
    page = open_many(window)
    view = page.many
    shown = {"stage": [], "epoch": []}

    def look(kind):
        if view.stages and view.stages[-1].startswith("Choosing the window"):
            shown[kind].append((view.progress.text(), view.progress_label.text(),
                                view.stage_lines.text()))

    for kind in shown:              # both signals come in the window's thread
        getattr(page.runner, kind).connect(lambda *_, k=kind: look(k))
    train(page, qtbot, epochs=2)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=120000)
    for kind in shown:
        getattr(page.runner, kind).disconnect()
    assert len(shown["stage"]) == 3 and len(shown["epoch"]) == 6       # 3 candidates
    for stage, first, second in zip(*[iter(shown["stage"])], shown["epoch"][::2],
                                    shown["epoch"][1::2]):
        assert stage[1] == "" and "Choosing the window" not in first[1] + second[1]
        assert stage[0] == ""                   # busy until the first epoch's count
    bars = [bar for bar, _, _ in shown["epoch"]]
    assert bars == [f"candidate {k} of 3: epoch {e} of at most 2" for k in (1, 2, 3)
                    for e in (1, 2)]
    label = shown["epoch"][0][1]
    assert label.startswith("Epoch 1 of at most 2; best so far: epoch ")
    assert "Time left of the choice: at most " in label


def test_the_stage_running_and_the_progress_show_unscrolled_in_a_small_window(window, qtbot):
    """In a window of 1000 x 680 the stage running (in bold), the progress bar and the
    time left show without scrolling: they sat under the settings, below the fold."""
    from PySide6.QtWidgets import QScrollArea

    from engine.training.settings import EpochReport

    page = open_many(window)
    view = page.many
    window.resize(1000, 680)
    window.show()
    view.on_stage("Choosing the window: candidate 1 of 3 (lookback 48, whole in one step)")
    view.on_stage("Choosing the window: candidate 2 of 3 (lookback 48, 2 steps)")
    view.on_epoch(EpochReport(epoch=5, training_loss=0.1, selection_loss=0.2, elapsed=10.0,
                              learning_rate=1e-3, gradient_norm=1.0, best_epoch=4,
                              best_loss=0.2, max_epochs=25))
    qtbot.wait(50)
    assert "<b>… Choosing the window: candidate 2 of 3" in view.stage_now.text()
    assert "candidate 2 of 3" not in view.stage_lines.text()       # said once
    assert "✓ Choosing the window: candidate 1 of 3" in view.stage_lines.text()
    scroll = next(area for area in window.findChildren(QScrollArea)
                  if area.widget() is not None and area.widget().isAncestorOf(view))
    viewport = scroll.viewport()
    assert scroll.verticalScrollBar().value() == 0
    for widget in (view.stage_now, view.progress, view.progress_label):
        bottom = widget.mapTo(viewport, widget.rect().bottomLeft()).y()
        assert widget.isVisible() and 0 <= bottom <= viewport.height(), widget


def test_a_fit_a_stop_cut_says_it_stopped_also_when_the_stop_came_before_any_stage(
        window, qtbot, monkeypatch):
    """Whether a fit was stopped is the fit's own word (``cancelled``): a Stop pressed
    before the first stage had been shown (no stage to mark) read "Finished." on a fit it
    had cut."""
    from engine.many.project_fit import ManyFit

    monkeypatch.setattr(ManyFit, "cancelled", property(lambda self: True))
    page = open_many(window)
    view = train(page, qtbot, epochs=2)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=300000)
    assert view.progress_label.text().startswith(
        "Stopped: the best weights so far were kept and scored.")


def shops_fitted_on_the_command_line(folder):
    """Three shops' hourly loads without a time column, fitted by ``fit --series`` for 2
    epochs with the season, the testing part and the units left to the fit: its notes say
    how it chose each. Returns the project's path."""
    import io

    import numpy as np
    import pandas as pd

    from engine.cli.main import main

    rng = np.random.default_rng(0)
    hours = np.arange(200)
    pd.concat([pd.DataFrame({"shop": f"S{k}", "load": np.round(
        50 + 10 * np.sin(2 * np.pi * hours / 24) + rng.normal(0, 1, 200), 2)})
        for k in range(3)]).to_csv(folder / "shops.csv", index=False)
    project = folder / "shops.json"
    assert main(["fit", str(folder / "shops.csv"), "--series", "shop", "--target", "load",
                 "--members", "1", "--epochs", "2", "--project", str(project),
                 "--out", str(folder / "shops.model.npz")],
                out=io.StringIO(), err=io.StringIO()) == 0
    return project


def test_the_fit_s_notes_are_one_sentence_a_line(window, qtbot, tmp_path):
    """The notes of a fit (the command line prints them one a line, without a full stop)
    are shown one a line, each ended: they ran on into one another ("...the role Time in
    step 2 names one) Season: 24 rows, found in 3 of the 3 series read Testing part:
    ...")."""
    assert open_trained(window, qtbot, shops_fitted_on_the_command_line(tmp_path))
    assert window.go_to_step(3)
    lines = window.pages[3].many.notes.text().split("<br>")
    assert lines[:2] == [
        "Time column: none found (the rows of each series are taken in file order; the "
        "role Time in step 2 names one).", "Season: 24 rows, found in 3 of the 3 series read."]
    assert lines[2].startswith("Testing part: the last 24 rows of every series")
    assert all(line.endswith(".") for line in lines)


def test_one_note_is_shown_as_rich_text_too():
    """A single note holding & was shown as &amp; (a label without <br> read as plain
    text), and a note ending ".)" got another full stop."""
    from app.pages.many_data import note_lines

    assert note_lines(["Kept (the linear path.)", "H&M got its own forecast"]) == [
        "Kept (the linear path.)", "H&amp;M got its own forecast."]


def test_notes_shown_in_a_line_of_text_are_sentences_too():
    """Step 2's panel of series it cannot read, step 6's status and step 7's forecast and
    calculator joined the notes of many series with spaces: "Time column: none found (...)
    Season: 24 rows, found in 3 of the 3 series read" ran on without full stops."""
    from app.pages.many_data import sentences

    assert sentences(["Time column: none found (rows in file order)",
                      "Season: 24 rows, found in 3 of the 3 series read",
                      "Kept (the linear path.)", "Why?"]) == (
        "Time column: none found (rows in file order). Season: 24 rows, found in 3 of "
        "the 3 series read. Kept (the linear path.) Why?")
