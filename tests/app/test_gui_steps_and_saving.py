"""The frame around the pages: step states (locked, to do, done, out of date), the unsaved
mark and the question on closing, and autosave with its restore."""

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMessageBox

from app.pages.data_page import PROBLEM_COLOR

from app.session import DONE, LOCKED, STALE, TODO

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
Save, Discard, Cancel = (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
                         QMessageBox.StandardButton.Cancel)


def _train(page, qtbot):
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30000)


def _saved_then_trained_again(window, gui, qtbot, folder, csv):
    """A project trained and saved, then trained again (seed 7) and not saved:
    ``(page, saved model file, its bytes, the waiting model file)``."""
    page = gui.ready_project(window, folder, csv, max_epochs=2)
    _train(page, qtbot)
    window.save_action.trigger()
    model = window.session.project.model_file()
    saved = model.read_bytes()
    page.seed.setValue(7)
    _train(page, qtbot)
    return page, model, saved, window.session.pending_model


def _item_enabled(window, row):
    return bool(window.steps.item(row).flags() & Qt.ItemFlag.ItemIsEnabled)


def _click_step(window, qtbot, row):
    rect = window.steps.visualItemRect(window.steps.item(row))
    qtbot.mouseClick(window.steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_steps_after_an_incomplete_step_are_locked(window, dialogs, gui, qtbot, tmp_path,
                                                   semicolon_csv):
    session = window.session
    assert session.step_states() == [LOCKED] * 7          # no project yet
    window.new_action.trigger()
    assert window.current_step() == 0
    window.pages[0].name.setText("Locked steps")
    window.pages[0].folder.setText(str(tmp_path / "p"))
    window.pages[0].create_button.click()
    assert session.step_states()[:4] == [DONE, TODO, LOCKED, LOCKED]
    assert not _item_enabled(window, 2) and not _item_enabled(window, 3)
    assert not window.go_to_step(2) and not window.go_to_step(3)
    _click_step(window, qtbot, 3)                          # a click on a locked step
    assert window.stack.currentWidget() is window.frames[1]
    assert window.current_step() == 1
    assert not window.next_button.isEnabled()

    data_page = window.pages[1]
    data_page.import_file(str(semicolon_csv), dialog_factory=gui.accepting_import_dialog)
    assert session.step_states()[:4] == [DONE, TODO, LOCKED, LOCKED]   # still no target
    gui.set_role(data_page, "Last", "target")
    assert session.step_states()[:4] == [DONE, DONE, DONE, TODO]
    assert _item_enabled(window, 2) and _item_enabled(window, 3)
    _click_step(window, qtbot, 3)                          # now it opens
    assert window.current_step() == 3 and window.stack.currentWidget() is window.frames[3]
    _click_step(window, qtbot, 1)
    assert window.current_step() == 1
    # a lookback longer than the training part locks the later steps again, and says why
    data_page.lookback.setValue(5000)
    assert session.step_states()[:4] == [DONE, TODO, LOCKED, LOCKED]
    assert "lookback" in data_page.problems.text().lower()
    tint = data_page.lookback.palette().color(QPalette.ColorRole.Base).name()
    assert "To fix:" in data_page.lookback.toolTip() and tint == PROBLEM_COLOR
    assert not window.next_button.isEnabled()
    data_page.lookback.setValue(6)
    assert window.next_button.isEnabled()
    tint = data_page.lookback.palette().color(QPalette.ColorRole.Base).name()
    assert "To fix:" not in data_page.lookback.toolTip() and tint != PROBLEM_COLOR
    # steps 5 to 7 open once a model is trained
    assert session.step_states()[4:] == [LOCKED] * 3
    assert not any(_item_enabled(window, row) for row in (4, 5, 6))


def test_changing_lookback_or_architecture_after_training_marks_it_out_of_date(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    session = window.session
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=3)
    _train(page, qtbot)
    assert session.step_states()[3:] == [DONE, TODO, DONE, DONE]
    assert all(_item_enabled(window, row) for row in (4, 5, 6))
    assert window.steps.item(3).text().endswith("\u2713")
    summary = dict(session.project.results.training)
    assert summary["stop_reason"].startswith("5 networks averaged. Each network: reached the "
                                             "maximum of 3 epochs")

    # the lookback changes: the training result is kept but marked out of date
    assert window.go_to_step(1)
    window.pages[1].lookback.setValue(8)
    assert session.step_states()[3:] == [STALE, TODO, STALE, STALE]
    assert window.steps.item(3).text().endswith("!")
    assert session.project.results.training == summary          # not discarded
    assert session.trained_model().exists()
    window.pages[1].lookback.setValue(6)                             # back as trained
    assert session.step_states()[3] == DONE

    # the architecture changes: out of date as well
    assert window.go_to_step(2)
    window.pages[2].units[0].setValue(5)
    assert session.step_states()[3] == STALE
    assert window.go_to_step(3)                                      # still reachable
    _train(page, qtbot)                                              # training again
    assert session.step_states()[3] == DONE

    # a training setting changes: the model was trained with other settings
    page.max_epochs.setValue(4)
    assert session.step_states()[3] == STALE
    assert not dialogs.warnings


def test_title_mark_and_the_question_when_closing_with_unsaved_changes(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    window = make_window()
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, name="Marked")
    assert "Marked" in window.windowTitle() and "[*]" in window.windowTitle()
    assert window.isWindowModified()                 # the edits since the creation
    window.save_action.trigger()
    assert not window.isWindowModified()
    dialogs.questions.clear()
    page.batch_size.setValue(16)
    assert window.isWindowModified()

    dialogs.answers = [Cancel]
    assert not window.close()
    assert window.isVisible()
    assert [title for title, _ in dialogs.questions] == ["Unsaved changes"]
    assert "Marked" in dialogs.questions[0][1]

    dialogs.answers = [Discard]
    assert window.close()
    assert not window.isVisible()
    saved = json.loads(window.session.path.read_text())
    assert saved["training"].get("batch_size", 32) == 32   # the discarded edit: not written


def test_closing_with_save_writes_the_project(make_window, dialogs, gui, qtbot, tmp_path,
                                              semicolon_csv):
    window = make_window()
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, name="Saved on close")
    page.batch_size.setValue(16)
    dialogs.answers = [Save]
    assert window.close()
    saved = json.loads(window.session.path.read_text())
    assert saved["training"]["batch_size"] == 16


def test_autosave_is_offered_and_restored_in_a_new_window(make_window, dialogs, gui, qtbot,
                                                          tmp_path, semicolon_csv):
    window = make_window()
    assert window.write_autosave() is None           # nothing to keep without a project
    gui.ready_project(window, tmp_path / "p", semicolon_csv, name="Autosaved")
    window.save_action.trigger()
    assert window.write_autosave() is None           # nothing unsaved
    window.pages[1].lookback.setValue(9)             # an edit that is not saved
    window.pages[0].description.setPlainText("typed before the crash")
    path = window.write_autosave()
    assert path is not None and path.exists()
    assert json.loads(path.read_text())["document"]["description"] == "typed before the crash"

    # the process "dies" here (the first window is not closed); the next start offers it
    restored = make_window()
    dialogs.answers = [Yes]
    assert restored.offer_restore()
    assert dialogs.questions[-1][0] == "Restore unsaved work?"
    assert "Autosaved" in dialogs.questions[-1][1]
    session = restored.session
    assert session.project.description == "typed before the crash"
    assert session.config().lookback == 9
    assert session.path == window.session.path      # it belongs to the same project file
    assert session.dirty and restored.isWindowModified()
    assert session.table is not None and session.step_states()[:3] == [DONE, DONE, DONE]
    assert not path.exists()                         # offered once
    assert not restored.offer_restore()              # nothing left to offer
    restored.save_action.trigger()
    assert json.loads(session.path.read_text())["description"] == "typed before the crash"


def test_autosave_restore_declined(make_window, dialogs, gui, qtbot, tmp_path,
                                   semicolon_csv):
    window = make_window()
    gui.ready_project(window, tmp_path / "p", semicolon_csv, name="Declined")
    path = window.write_autosave()
    restored = make_window()
    dialogs.answers = [No]
    assert not restored.offer_restore()
    assert restored.session.project is None
    assert not path.exists()


def test_restoring_work_whose_data_file_became_unreadable_is_reported(
        make_window, dialogs, gui, qtbot, tmp_path):
    csv = gui.write_semicolon_csv(tmp_path / "p" / "data" / "load.csv")
    window = make_window()
    gui.ready_project(window, tmp_path / "p", csv, name="Unreadable")
    assert window.write_autosave() is not None
    csv.write_bytes(b"")                               # emptied while the program was down
    restored = make_window()
    dialogs.answers = [Yes]
    assert restored.offer_restore()                    # no exception out of the start-up
    assert dialogs.warnings and dialogs.warnings[-1][0] == "Cannot read the data file"
    assert "is empty" in dialogs.warnings[-1][1]
    assert restored.session.project.name == "Unreadable"
    assert restored.current_step() == 1


def test_save_as_and_recent_projects(make_window, dialogs, gui, qtbot, tmp_path,
                                     semicolon_csv):
    window = make_window()
    gui.ready_project(window, tmp_path / "p", semicolon_csv, name="First")
    first = window.session.path
    dialogs.save_paths.append(tmp_path / "copies" / "second")          # no suffix typed
    (tmp_path / "copies").mkdir()
    window.save_as_action.trigger()
    second = tmp_path / "copies" / "second.json"
    assert second.exists() and window.session.path == second
    assert not window.isWindowModified()
    assert window.session.project.data_file() == semicolon_csv        # still the same file
    assert window.recent_projects()[:2] == [str(second.resolve()), str(first.resolve())]
    assert [a.data() for a in window.recent_menu.actions()][:2] == \
        [str(second.resolve()), str(first.resolve())]
    shown = window.recent_menu.actions()[0].text()         # the project's name, its folder
    assert shown == f"{window.session.project.name}   {second.resolve().parent}"

    # a new window lists them on its start page; opening one from there
    other = make_window()
    recent = other.start_page.recent
    assert recent.count() == 2                  # the project's name and the file's folder
    assert recent.item(0).text() == f"First\n    {second.resolve().parent}"
    other.start_page._open_recent(recent.item(1))
    assert other.session.path == first
    # the edits went into the copy, not into the first file (written when it was created)
    assert other.session.step_states()[:3] == [DONE, TODO, LOCKED]
    assert other.open_project(second)
    assert other.session.table is not None and not dialogs.warnings
    assert other.session.step_states()[:3] == [DONE, DONE, DONE]


def test_a_text_column_as_target_is_a_problem_said_on_the_data_page(window, dialogs, gui):
    window.open_example("seattle")
    assert window.go_to_step(1)
    data_page = window.pages[1]
    gui.set_role(data_page, "weather", "target")
    assert "'weather' holds" in data_page.problems.text()
    assert "cannot be a target" in data_page.problems.text()
    assert window.session.step_states()[2:4] == [LOCKED, LOCKED]
    assert not window.next_button.isEnabled()
    gui.set_role(data_page, "weather", "input")
    assert window.next_button.isEnabled()
    gui.set_role(data_page, "temp_max", "input")     # the text column the only target
    gui.set_role(data_page, "weather", "target")
    assert "cannot be a target" in data_page.problems.text()
    assert "Choose a target" in data_page.suggestion.text()


def test_a_model_trained_after_saving_replaces_the_saved_one_only_on_save(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    session = window.session
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    _train(page, qtbot)
    window.save_action.trigger()
    saved_model = session.project.model_file()
    saved_bytes = saved_model.read_bytes()

    page.seed.setValue(7)                         # another network
    _train(page, qtbot)
    assert session.trained_model() != saved_model
    assert saved_model.read_bytes() == saved_bytes  # the saved project's model is untouched
    pending = session.trained_model()
    dialogs.answers.append(Discard)
    assert window.close()
    assert not pending.exists()                   # discarded with the changes
    assert saved_model.read_bytes() == saved_bytes


def test_no_export_writes_over_the_project_s_model_file(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    """Step 4's and step 7's exports proposed the project's own model file (NAME.model.npz)
    and wrote over it: with the changes since then discarded, the project needed a
    training again. They propose another name, and refuse that one, and the model waiting
    to be saved, with a warning."""
    page, saved_model, saved_bytes, pending = _saved_then_trained_again(
        window, gui, qtbot, tmp_path / "p", semicolon_csv)
    exports = window.pages[6].exports
    window.go_to_step(6)
    qtbot.waitUntil(lambda: exports.model is not None and not window.pages[6].runner.running,
                    timeout=30000)
    for export, kept in ((page.export_model, saved_model), (page.export_model, pending),
                         (lambda: exports.export("model"), saved_model)):
        dialogs.save_paths.append(kept)
        asked = len(dialogs.proposed)
        export()
        assert len(dialogs.proposed) == asked + 1
        assert dialogs.proposed[-1] not in (str(saved_model), str(pending))
        assert dialogs.proposed[-1].endswith("_model.npz"), dialogs.proposed[-1]
        assert "is the project's model file" in dialogs.warnings.pop()[1]
    assert saved_model.read_bytes() == saved_bytes
    assert pending.read_bytes() != saved_bytes


def test_export_writes_a_model_the_command_line_can_load(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    from engine.model.model_file import load_model

    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    assert not page.export_button.isEnabled()                   # nothing trained yet
    page.export_model()
    assert dialogs.informations and not dialogs.file_requests
    _train(page, qtbot)
    assert page.export_button.isEnabled()
    target = tmp_path / "elsewhere" / "exported"
    target.parent.mkdir()
    dialogs.save_paths.append(target)
    page.export_model()
    exported = tmp_path / "elsewhere" / "exported.npz"
    model = load_model(exported)
    assert model.network.cell == window.session.project.architecture.cell
    assert exported.read_bytes() == window.session.trained_model().read_bytes()


def test_save_as_leaves_the_original_project_and_its_model_as_they_were(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    """A model trained since the last save goes with the copy, beside it and named after
    it; the original's project file and model file stay as saved. A second copy in the
    same folder gets a model file of its own."""
    from engine.project.document import load_project
    from engine.project.model_status import CURRENT, model_status

    session = window.session
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    _train(page, qtbot)
    window.save_action.trigger()
    original, model = session.path, session.project.model_file()
    saved = (original.read_bytes(), model.read_bytes())
    page.seed.setValue(7)                         # another network, not saved
    _train(page, qtbot)
    copy = tmp_path / "other" / "copy.json"
    copy.parent.mkdir()
    dialogs.save_paths.append(copy)
    assert window.save_as()
    assert (original.read_bytes(), model.read_bytes()) == saved
    assert session.project.model_file() == copy.parent / "copy.model.npz"
    assert model_status(load_project(copy)) == CURRENT
    assert model_status(load_project(original)) == CURRENT
    assert not list(tmp_path.rglob("*.unsaved.npz"))
    # a copy in the same folder, trained again: the first copy's model is not touched
    first_copy = (copy.parent / "copy.model.npz").read_bytes()
    dialogs.save_paths.append(copy.parent / "variant.json")
    assert window.save_as()
    assert session.project.model_file() == copy.parent / "variant.model.npz"
    page.seed.setValue(9)
    _train(page, qtbot)
    window.save_action.trigger()
    assert (copy.parent / "copy.model.npz").read_bytes() == first_copy
    assert (copy.parent / "variant.model.npz").read_bytes() != first_copy


def test_a_failed_save_as_changes_nothing_and_keeps_the_new_model_waiting(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv, monkeypatch):
    import app.session
    from engine.errors import EngineError

    session = window.session
    _, model, saved, pending = _saved_then_trained_again(window, gui, qtbot, tmp_path / "p",
                                                         semicolon_csv)
    original = session.path
    assert pending.exists()

    def refused(project, path):
        raise EngineError(f"Could not save {path}: Permission denied.")

    monkeypatch.setattr(app.session, "save_project", refused)
    dialogs.save_paths.append(tmp_path / "copy.json")
    assert not window.save_as()
    assert dialogs.warnings[-1][0] == "Cannot save the project"
    assert model.read_bytes() == saved and pending.exists()
    assert session.pending_model == pending and session.path == original
    assert session.project.model_file() == model
    assert not (tmp_path / "copy.model.npz").exists() and window.isWindowModified()


def test_save_as_without_the_suffix_asks_before_replacing_a_project(
        window, dialogs, gui, tmp_path, semicolon_csv):
    gui.ready_project(window, tmp_path / "p", semicolon_csv)
    other = tmp_path / "p" / "other.json"
    other.write_text("{}")
    dialogs.save_paths.append(tmp_path / "p" / "other")          # no suffix typed
    dialogs.answers.append(No)
    assert not window.save_as()
    assert dialogs.questions[-1][0] == "Replace project file"
    assert other.read_text() == "{}"


def test_a_restored_autosave_brings_back_the_model_trained_since_the_save(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    window = make_window()
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    _train(page, qtbot)
    window.save_action.trigger()
    saved_model = window.session.project.model_file()
    saved_bytes = saved_model.read_bytes()
    page.seed.setValue(5)
    _train(page, qtbot)                               # not saved: the process then dies
    pending = window.session.pending_model
    record = json.loads(window.write_autosave().read_text())
    assert record["pending_model"] == str(pending)

    restored = make_window()
    dialogs.answers = [Yes]
    assert restored.offer_restore()
    session = restored.session
    assert session.trained_model() == pending        # the results' model, not the saved one
    pending_bytes = pending.read_bytes()
    restored.save_action.trigger()
    assert saved_model.read_bytes() == pending_bytes != saved_bytes
    assert not pending.exists() and session.pending_model is None


def test_every_autosave_is_offered_in_turn_and_a_running_windows_is_not(
        make_window, dialogs, gui, tmp_path, semicolon_csv):
    import os

    from app import autosave

    window = make_window()                           # two sessions that end abruptly
    gui.ready_project(window, tmp_path / "one", semicolon_csv, name="One")
    window.pages[0].description.setPlainText("one's work")
    one = window.write_autosave()
    window = make_window()
    gui.ready_project(window, tmp_path / "two", semicolon_csv, name="Two")
    window.pages[0].description.setPlainText("two's work")
    two = window.write_autosave()
    # a third, written by another RNN Studio that still runs (this test's parent process)
    alive = json.loads(two.read_text())
    alive.update(pid=os.getppid(), project_path=str(tmp_path / "three.json"))
    three = autosave.autosave_path("three")
    three.write_text(json.dumps(alive))
    assert [r["autosave_file"] for r in autosave.pending_autosaves()] == [str(two), str(one)]

    first = make_window()
    dialogs.answers = [No]
    assert not first.offer_restore()
    assert "1 more is offered at the next start" in dialogs.questions[-1][1]
    assert one.exists() and three.exists() and not two.exists()
    second = make_window()
    dialogs.answers = [Yes]
    assert second.offer_restore()
    assert second.session.project.description == "one's work"
    assert three.exists()                            # the running window's stays its own


def test_a_project_file_written_by_something_else_is_not_replaced_unasked(
        window, dialogs, gui, tmp_path, semicolon_csv):
    import os

    gui.ready_project(window, tmp_path / "p", semicolon_csv)
    window.save_action.trigger()
    path = window.session.path
    outside = json.loads(path.read_text())
    outside["description"] = "written by the command line"
    path.write_text(json.dumps(outside))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    window.pages[0].description.setPlainText("typed in the window")
    dialogs.answers.append(No)
    assert not window.save()
    assert dialogs.questions[-1][0] == "Project file changed"
    assert json.loads(path.read_text())["description"] == "written by the command line"
    dialogs.answers.append(Yes)
    assert window.save()
    assert json.loads(path.read_text())["description"] == "typed in the window"
    window.pages[0].description.setPlainText("again")
    assert window.save() and len(dialogs.questions) == 2      # not asked: its own file


def test_a_failed_save_keeps_the_saved_model_and_the_new_one_waiting(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv, monkeypatch):
    import app.session
    from engine.errors import EngineError

    session = window.session
    _, model, saved, pending = _saved_then_trained_again(window, gui, qtbot, tmp_path / "p",
                                                         semicolon_csv)

    def refused(project, path):
        raise EngineError(f"Could not save {path}: No space left on device.")

    with monkeypatch.context() as patched:
        patched.setattr(app.session, "save_project", refused)
        assert not window.save()
    assert model.read_bytes() == saved and pending.exists()
    assert session.pending_model == pending and not list(model.parent.glob(".*.saving"))
    new = pending.read_bytes()
    assert window.save()                                 # then a save that works
    assert model.read_bytes() == new and not pending.exists()


def test_a_restore_does_not_pair_results_with_a_later_trainings_model(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    """Training A autosaved, then training B (not autosaved) wrote the waiting model file
    again before the crash: A's results are restored without B's model, which says it is
    not theirs."""
    window = make_window()
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    _train(page, qtbot)
    window.save_action.trigger()
    page.seed.setValue(5)
    _train(page, qtbot)
    window.write_autosave()                           # with training A's results
    page.seed.setValue(6)
    _train(page, qtbot)                               # B: the process then dies
    pending = window.session.pending_model

    restored = make_window()
    dialogs.answers = [Yes]
    assert restored.offer_restore()
    session = restored.session
    assert session.pending_model is None and not pending.exists()
    assert "holds another training" in session.model_problem()
    assert session.step_states()[3] == TODO


def test_two_windows_of_one_project_keep_their_trained_models_apart(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    """One project open in two windows (or two RNN Studios), trained in both and saved in
    neither: each window's model waits in a file of its own, and the first window's save
    keeps its own network, not the one the other window trained last."""
    first = make_window()
    page = gui.ready_project(first, tmp_path / "p", semicolon_csv, max_epochs=2)
    first.save_action.trigger()
    second = make_window()
    assert second.open_project(first.session.path)
    _train(page, qtbot)
    first_model = first.session.trained_model().read_bytes()
    other = second.pages[3]
    other.max_epochs.setValue(2)
    other.seed.setValue(7)
    _train(other, qtbot)
    waiting = first.session.pending_model, second.session.pending_model
    assert waiting[0] != waiting[1] and all(path.exists() for path in waiting)
    assert first.session.trained_model().read_bytes() == first_model
    assert first.save()
    assert first.session.project.model_file().read_bytes() == first_model
    assert second.session.trained_model() == waiting[1] and waiting[1].exists()
    assert first.session.model_problem() is None


def test_training_again_after_a_restore_leaves_one_waiting_model(
        make_window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    """The restored model waited under the name of the session that ended; the restored
    window's next training replaces it with its own, and none is left behind."""
    window = make_window()
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    window.save_action.trigger()
    _train(page, qtbot)
    restored_model = window.session.pending_model
    window.write_autosave()

    restored = make_window()
    dialogs.answers = [Yes]
    assert restored.offer_restore()
    assert restored.session.pending_model == restored_model
    _train(restored.pages[3], qtbot)
    pending = restored.session.pending_model
    assert pending != restored_model and not restored_model.exists()
    assert sorted((tmp_path / "p").glob("*.unsaved.npz")) == [pending]


def test_the_parts_a_model_depends_on_leave_out_which_values_were_typed(tmp_path):
    """Step 4's "changed since the training" names no part when only the record of which
    many-series values were typed changed."""
    from app.steps import changed_parts, settings_parts
    from engine.training.automatic import AutomaticChoices, automatic_project
    from helpers.examples import example_csv

    project, _ = automatic_project(AutomaticChoices(example_csv("airline_passengers.csv"),
                                                    ["passengers"], folder=tmp_path))
    before = settings_parts(project)
    project.data.typed = ["lookback"]
    assert changed_parts(before, project) == []
    project.data.config.lookback += 1
    assert changed_parts(before, project) == ["the data set's settings (step 2)"]
