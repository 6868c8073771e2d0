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
