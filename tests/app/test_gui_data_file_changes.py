"""A data file changed on disk while its project is open: the window offers to load it
again (once for each change), and step 4 says the model was trained on the file as it
was; the command line's report says so too."""

import io

from PySide6.QtWidgets import QMessageBox

from app.pages.training_parts import model_notice
from engine.cli.main import main

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def _trained_and_saved(window, gui, qtbot, tmp_path, semicolon_csv):
    page = gui.ready_project(window, tmp_path / "p", semicolon_csv, max_epochs=2)
    page.start_button.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=60000)
    window.save_action.trigger()
    return page


def _tenfold(path):
    """The file saved over with every temperature ten times as large."""
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = [lines[0]] + [
        ";".join([date, f"{10 * float(t.replace(',', '.')):.2f}".replace(".", ","), load])
        for date, t, load in (line.split(";") for line in lines[1:])]
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")


def test_a_changed_data_file_is_offered_again_and_the_model_notes_it(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    _trained_and_saved(window, gui, qtbot, tmp_path, semicolon_csv)
    before = window.session.table.frame["Temperatur"].iloc[0]
    assert model_notice(window.session) is None
    _tenfold(semicolon_csv)
    dialogs.answers = [Yes]
    assert window.go_to_step(1)
    assert [title for title, _ in dialogs.questions] == ["Data file changed"]
    assert window.session.table.frame["Temperatur"].iloc[0] == round(10 * before, 2)
    assert window.go_to_step(3)
    notice = model_notice(window.session)
    assert notice.startswith("The data file messwerte.csv has changed since the model was "
                             "trained on it (")
    assert window.pages[3].progress_label.text() == notice
    out = io.StringIO()
    report = tmp_path / "report.html"
    assert main(["report", str(window.session.path), "--out", str(report)], out=out) == 0
    assert "Note: The data file messwerte.csv has changed" in out.getvalue()


def test_keeping_the_loaded_values_is_asked_once_for_each_change(
        window, dialogs, gui, qtbot, tmp_path, semicolon_csv):
    _trained_and_saved(window, gui, qtbot, tmp_path, semicolon_csv)
    before = window.session.table.frame["Temperatur"].iloc[0]
    _tenfold(semicolon_csv)
    dialogs.answers = [No]
    assert window.go_to_step(1) and window.go_to_step(2) and window.go_to_step(1)
    assert len(dialogs.questions) == 1
    assert window.session.table.frame["Temperatur"].iloc[0] == before
    _tenfold(semicolon_csv)                                  # changed once more: asked again
    dialogs.answers = [No]
    assert window.go_to_step(2)
    assert len(dialogs.questions) == 2


def _seattle_trained(window, gui, qtbot):
    """The Seattle example with a lookback of 6 set by hand, trained briefly; the data
    page."""
    assert window.open_example("seattle")
    page = window.pages[1]
    assert window.go_to_step(1)
    page.lookback.setValue(6)
    gui.train_briefly(window, qtbot)
    assert window.go_to_step(1)
    return page


def test_the_same_columns_loaded_again_keep_their_roles_and_settings(
        window, dialogs, gui, qtbot, tmp_path):
    """Load CSV file... with the project's own file, or a newer export of it (the same
    columns), keeps every role and data setting and the trained model's steps: the roles
    went back to their defaults (temp_max an input, no target), the lookback from 6 to
    10, and steps 3-7 were locked."""
    page = _seattle_trained(window, gui, qtbot)
    session = window.session
    settings, states = session.config().to_dict(), session.step_states()
    data_file = session.project.data_file()
    assert page.import_file(str(data_file), dialog_factory=gui.accepting_import_dialog)
    assert session.config().to_dict() == settings and session.step_states() == states
    assert model_notice(session) is None                  # the model is of this data
    export = tmp_path / "seattle_newer.csv"               # fewer rows, the same columns
    export.write_text("\n".join(data_file.read_text().splitlines()[:1001]) + "\n")
    assert page.import_file(str(export), dialog_factory=gui.accepting_import_dialog)
    assert session.project.data_file() == export and len(session.table.frame) == 1000
    assert session.config().variable("temp_max").role == "input_target"
    assert session.config().lookback == page.lookback.value() == 6
    assert session.reachable(6) and not dialogs.questions and not dialogs.warnings


def test_other_columns_replace_the_settings_only_when_the_person_agrees(
        window, dialogs, gui, qtbot, tmp_path):
    """A file whose columns differ from the project's variables asks first: Cancel keeps
    the project's data and settings; Yes loads it with the default roles."""
    page = _seattle_trained(window, gui, qtbot)
    session = window.session
    settings, table = session.config().to_dict(), session.table
    frame = table.frame.drop(columns="wind").assign(snow=0.0)
    other = tmp_path / "other.csv"
    frame.to_csv(other, index=False)
    assert not page.import_file(str(other), dialog_factory=gui.accepting_import_dialog)
    (title, text), = dialogs.questions
    assert title == "Replace the data settings?"
    assert text.startswith("other.csv does not hold the project's columns: 'wind' is not "
                           "in it; 'snow' is new. Loading it gives every column its default "
                           "role")
    assert "The model trained before is then out of date" in text
    assert session.table is table and session.config().to_dict() == settings
    assert session.project.data_file().name == "seattle_weather_daily.csv"
    assert page.variables.rowCount() == 6 and session.reachable(6)
    dialogs.answers = [Yes]
    assert page.import_file(str(other), dialog_factory=gui.accepting_import_dialog)
    assert session.project.data_file() == other and len(dialogs.questions) == 2
    assert session.config().variable("temp_max").role == "input"      # no target yet
    assert "snow" in [spec.name for spec in session.config().variables]
