"""The training page says plainly what averaging networks kept: each network its own best
epoch, and the progress names the network that trains."""

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
    best = summary["best_epoch"]
    assert summary["stop_reason"].startswith("The last network: ") and summary["stop_reason"].endswith(
        f" 2 networks averaged; each kept the weights of its best epoch (the last: epoch "
        f"{best}).")
    assert "were kept" not in page.result.text() and "the last of" not in page.result.text()
    assert page.progress.text() == f"done: {summary['epochs']} epochs"     # the bar full
