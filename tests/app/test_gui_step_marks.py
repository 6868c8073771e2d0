"""The step list after a training: model selection is optional, so it is marked neither
done nor to do, and its tooltip says what it is for."""

from helpers.projects import untrained_project


def test_model_selection_is_marked_optional_after_training(window, dialogs, gui, qtbot,
                                                           tmp_path):
    assert window.open_project(untrained_project(tmp_path, "marks"))
    gui.train_briefly(window, qtbot)
    texts = [window.steps.item(row).text() for row in range(7)]
    assert texts[3].endswith("\u2713") and texts[5].endswith("\u2713") \
        and texts[6].endswith("\u2713")
    assert texts[4] == "5. Improve generalization performance   \u25cb"
    assert window.steps.item(4).toolTip().startswith("Optional: a search for better settings")
    assert window.steps.item(4).statusTip().endswith("(optional)")
    assert "\u2022" not in "".join(texts)
