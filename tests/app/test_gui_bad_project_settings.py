"""A project file with a wrong setting is refused on opening with the loader's one line,
and the architecture page names a network over the size RNN Studio builds."""

import json

import pytest

import engine.network.parameters
from engine.training.automatic import AutomaticChoices, automatic_project


def _open_with_dialog(window, dialogs, path):
    """File > Open; the patched file dialog answers with ``path``."""
    dialogs.open_paths.append(path)
    action = [a for a in window.menuBar().actions()[0].menu().actions()
              if a.text().startswith("&Open Project")][0]
    action.trigger()


@pytest.mark.parametrize("section, key, value, named", [
    ("architecture", "cell", "gruu", "Unknown cell type 'gruu'"),
    ("architecture", "hidden_sizes", [1_000_000_000], "more than the 100,000,000"),
    ("training", "max_epochs", "5", "max_epochs must be a whole number"),
    ("results", "training", "x", "training must be a JSON object"),
])
def test_a_project_with_a_wrong_setting_is_refused_with_one_line(
        window, dialogs, gui, tmp_path, section, key, value, named):
    csv = gui.write_semicolon_csv(tmp_path / "load.csv")
    project, _ = automatic_project(AutomaticChoices(csv, ["Temperatur"], folder=tmp_path))
    document = project.to_document()
    document[section][key] = value
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(document))
    _open_with_dialog(window, dialogs, path)
    assert len(dialogs.warnings) == 1
    title, message = dialogs.warnings[0]
    assert title == "Cannot open the project"
    assert named in message and "has a wrong setting in " in message
    assert "\n" not in message and "Traceback" not in message
    assert window.session.project is None


def test_the_architecture_page_names_a_network_over_the_size_cap(window, gui, tmp_path,
                                                                   monkeypatch):
    csv = gui.write_semicolon_csv(tmp_path / "p" / "load.csv")
    gui.ready_project(window, tmp_path / "p", csv, hidden=(4,))
    monkeypatch.setattr(engine.network.parameters, "MAX_PARAMETERS", 1000)
    page = window.pages[2]
    assert window.go_to_step(2)
    page.units[0].setValue(64)
    assert "more than the 1,000 RNN Studio builds" in page.parameters.text()
    page.units[0].setValue(4)
    assert page.parameters.text().startswith("<b>")


def test_the_linear_path_check_box_sets_the_project_and_counts_its_weights(window, gui,
                                                                           tmp_path):
    csv = gui.write_semicolon_csv(tmp_path / "p" / "load.csv")
    gui.ready_project(window, tmp_path / "p", csv, hidden=(4,))
    page, session = window.pages[2], window.session
    assert window.go_to_step(2)
    assert page.linear_path.isChecked()                  # a new project's default
    assert "least squares" in page.linear_path.toolTip()
    with_path = page.parameters.text()
    page.linear_path.setChecked(False)
    assert session.project.architecture.linear_path is False
    plain = page.parameters.text()
    assert not page.drawing.linear_path
    page.linear_path.setChecked(True)
    assert session.project.architecture.linear_path is True
    config = session.config()
    extra = config.lookback * page.drawing.n_inputs * page.drawing.n_outputs
    count = int(plain[3:plain.index("</b>")].replace(",", "")) + extra
    assert page.parameters.text() == with_path
    assert page.parameters.text().startswith(f"<b>{count:,}</b>, of which {extra:,} in the "
                                             f"linear path over {config.lookback} steps")
    assert page.drawing.linear_path
    page.drawing.grab()                     # paints the dashed path without an error
    page.linear_path.setChecked(False)
    assert session.project.architecture.linear_path is False
    assert page.parameters.text() == plain and not page.drawing.linear_path
    session.project.architecture.linear_path = True
    page.refresh()
    assert page.linear_path.isChecked()


def test_a_network_beyond_the_pages_limits_is_kept_and_said_until_changed_here(
        window, gui, tmp_path):
    """Five layers set on the command line: the page shows four boxes, says the project's
    network is kept, and writes nothing over it when the linear path is ticked; changing
    the units writes what the boxes show."""
    csv = gui.write_semicolon_csv(tmp_path / "p" / "load.csv")
    gui.ready_project(window, tmp_path / "p", csv, hidden=(4,))
    page, session = window.pages[2], window.session
    session.project.architecture.hidden_sizes = [4, 4, 4, 4, 4]
    assert window.go_to_step(2)
    assert page.layers.value() == 4
    assert "layers of [4, 4, 4, 4, 4] units, beyond what this page sets" in \
        page.parameters.text()
    page.linear_path.setChecked(not page.linear_path.isChecked())
    assert session.project.architecture.hidden_sizes == [4, 4, 4, 4, 4]
    page.units[0].setValue(8)
    assert session.project.architecture.hidden_sizes == [8, 4, 4, 4]
    assert "beyond" not in page.parameters.text()


def test_a_layer_added_takes_the_units_of_the_last_not_another_projects(window, gui,
                                                                        tmp_path):
    csv = gui.write_semicolon_csv(tmp_path / "a" / "load.csv")
    gui.ready_project(window, tmp_path / "a", csv, hidden=(64, 48))
    page = window.pages[2]
    assert window.go_to_step(2)
    gui.ready_project(window, tmp_path / "b", csv, hidden=(16,))
    assert window.go_to_step(2)
    page.layers.setValue(2)
    assert window.session.project.architecture.hidden_sizes == [16, 16]
