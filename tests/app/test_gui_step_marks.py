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
    tip = window.steps.toolTip()            # the list's own key to its marks
    assert all(f"{mark} " in tip for mark in ("\u2713", "!", "\u2022", "\u25cb")), tip


def test_the_user_guide_explains_every_mark_the_step_list_shows():
    """The user guide's table of marks lists each mark beside a step, the optional step's
    "○" too (it listed only ✓, • and !)."""
    import pathlib

    from app.main_window import OPTIONAL_MARK, STATE_MARKS

    guide = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "user-guide.md")
    rows = [line for line in guide.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ")]
    marks = {line.split("|")[1].strip() for line in rows}
    shown = {mark for mark in STATE_MARKS.values() if mark} | {OPTIONAL_MARK}
    assert shown <= marks, shown - marks
    optional = next(line for line in rows if line.split("|")[1].strip() == OPTIONAL_MARK)
    assert "optional" in optional
