"""The architecture page takes the network's sizes from the data set's check instead of
preparing the data again (a second for a million rows)."""

import engine.data.checks
from engine import RecurrentNetwork
from engine.project.document import load_project
from helpers.projects import untrained_project


def test_the_architecture_page_prepares_no_data_of_its_own(window, dialogs, monkeypatch,
                                                           tmp_path):
    path = untrained_project(tmp_path, "alpha")
    assert window.open_project(path) and window.go_to_step(2)
    prepared = []
    real = engine.data.checks.prepare_training
    monkeypatch.setattr(engine.data.checks, "prepare_training",
                        lambda *args: prepared.append(args) or real(*args))
    page = window.pages[2]
    page.units[0].setValue(6)
    page.refresh()
    assert prepared == []
    config = load_project(path).dataset_config()
    inputs, outputs = engine.data.checks.network_sizes(window.session.table, config)
    assert (page.drawing.n_inputs, page.drawing.n_outputs) == (inputs, outputs) == (2, 1)
    count = RecurrentNetwork(cell="gru", n_inputs=2, hidden_sizes=[6], n_outputs=1,
                             linear_path=page.linear_path.isChecked(),
                             lookback=config.lookback).n_parameters
    assert f"<b>{count:,}</b>" in page.parameters.text()

