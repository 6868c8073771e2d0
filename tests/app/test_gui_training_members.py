"""The training page says plainly what averaging networks kept: each network its own best
epoch, and the progress names the network that trains."""

import numpy as np

from helpers.projects import untrained_project


def test_the_result_of_networks_averaged_reads_plainly(window, dialogs, gui, qtbot,
                                                       tmp_path):
    assert window.open_project(untrained_project(tmp_path, "members"))
    page = window.pages[3]
    assert window.go_to_step(2)
    window.pages[2].linear_path.setChecked(False)     # each network trains from its seed
    assert window.go_to_step(3)
    page.members.setValue(2)
    gui.train_briefly(window, qtbot, max_epochs=3)
    summary = window.session.project.results.training
    first, last = (member["best_epoch"] for member in summary["members"])
    assert summary["stop_reason"] == (
        "2 networks averaged. Each network: reached the maximum of 3 epochs. Each kept the "
        f"weights of its best epoch: epochs {first} and {last}.")
    assert "were kept" not in page.result.text() and "the last" not in page.result.text()
    assert page.progress.text() == "done: 3 epochs each, 2 networks"     # the bar full


def test_the_plot_of_networks_averaged_shows_every_network(window, dialogs, gui, qtbot,
                                                           tmp_path):
    """Not the last network's curves alone: the other networks' selection errors, and a
    cross at each one's best epoch on its own curve (in place of the dashed line at the
    last one's)."""
    assert window.open_project(untrained_project(tmp_path, "members"))
    page = window.pages[3]
    assert window.go_to_step(3)
    page.members.setValue(3)
    gui.train_briefly(window, qtbot, max_epochs=4)
    members = window.session.project.results.training["members"]
    assert len(members) == 3
    losses = page.losses
    faint = [item for item in losses.members.curves if item.xData is not None
             and len(item.xData)]
    assert len(faint) == 2
    for item, member in zip(faint, members[:2]):
        history = member["history"]
        assert list(item.xData[-4:]) == history["epoch"]
        np.testing.assert_allclose(item.yData[-4:], history["selection"])
    crosses = losses.members.best_points
    assert list(crosses.xData) == [member["best_epoch"] for member in members]
    assert not losses.best_line.isVisible()
    legend = losses.plot.getPlotItem().legend
    assert legend.getLabel(faint[0]).text == "selection, networks 1 and 2"
    assert legend.getLabel(crosses).text == "best epoch of each"
    assert legend.getLabel(losses.selection_curve).text.endswith("network 3")
    assert "averages 3 networks" in losses.plot.toolTip()


def test_the_full_bar_counts_every_network_averaged_also_one_whose_count_is_unknown(qtbot):
    """A network trained where its epochs were not sent back has no count: the bar names
    the networks averaged, never a range or a count of the others alone."""
    from PySide6.QtWidgets import QProgressBar

    from app.pages.training_parts import show_done

    bar = QProgressBar()
    qtbot.addWidget(bar)
    for counts, words in (([40, None, 52], "done: 3 networks averaged"),
                          ([40, 61, 52], "done: 3 networks of 40 to 61 epochs"),
                          ([40, 40], "done: 40 epochs each, 2 networks")):
        show_done(bar, {"epochs": 40, "members": [{"epochs": n} for n in counts]})
        assert bar.format() == words


def test_while_the_networks_on_the_other_cores_train_the_bar_counts_the_networks_done(
        window, dialogs, tmp_path):
    """Networks averaged on several cores: those on the other cores report no epochs, so
    while this process waits for them the bar and the sentence under it count the
    networks done of all (it showed "epoch 0 of at most ..." and no progress at all)."""
    from engine.training.members import MembersDone

    assert window.open_project(untrained_project(tmp_path, "members"))
    assert window.go_to_step(3)
    page = window.pages[3]
    waiting = "Waiting for the networks training on the other core"
    page.runner.stage.emit(waiting)             # as the running training sends them
    page.runner.step.emit(MembersDone(2, 3, waiting))
    page._redraw()
    assert page.progress.text() == "2 of 3 networks done"
    assert page.progress_label.text() == f"{waiting}: 2 of the 3 networks done."
    page.runner.stage.emit("Training network 3 of 3")    # a member trained here again
    page._redraw()
    assert page.progress_label.text() == "Training network 3 of 3..."


def test_a_failure_leaves_no_bar_of_the_network_that_was_training(window, dialogs,
                                                                  tmp_path):
    """After a failure the bar is the project's own again, as after a stop; it kept
    "network 2 of 3: epoch 5 of at most 1000" as if that network still trained."""
    from engine import EngineError
    from engine.training.settings import EpochReport

    assert window.open_project(untrained_project(tmp_path, "members"))
    assert window.go_to_step(3)
    page = window.pages[3]
    page.runner.stage.emit("Training network 2 of 3")
    page.runner.epoch.emit(EpochReport(epoch=5, training_loss=0.1, selection_loss=0.2,
                                       elapsed=10.0, learning_rate=1e-3, gradient_norm=1.0,
                                       best_epoch=4, best_loss=0.2, max_epochs=1000))
    page._redraw()
    assert page.progress.text() == "network 2 of 3: epoch 5 of at most 1000"
    page.runner.failed.emit(EngineError("The training diverged <at once>."))
    assert page.progress.text() == f"epoch 0 of at most {page.max_epochs.value()}"
    assert page.progress_label.text() == "The training could not run."
    assert "diverged &lt;at once&gt;." in page.result.text() and dialogs.warnings
