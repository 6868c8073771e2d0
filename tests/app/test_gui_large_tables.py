"""A large table keeps the window turning: the check of its data set (every window
prepared: a second for a million rows) runs in a worker while the window repaints, and is
of the settings as they are when it ends; the architecture page takes the network's sizes
from that check instead of preparing the data again."""

import threading

import app.session
import engine.data.checks
from app.session import ProjectSession
from engine import RecurrentNetwork
from engine.data.checks import check_config
from engine.project.document import load_project
from helpers.projects import untrained_project


def test_the_check_of_a_large_table_runs_in_a_worker(window, dialogs, monkeypatch,
                                                     tmp_path):
    threads = []

    def check(table, config):
        threads.append(threading.current_thread())
        return check_config(table, config)

    monkeypatch.setattr(app.session, "LARGE_TABLE_ROWS", 50)      # the project has 96
    monkeypatch.setattr(engine.data.checks, "check_config", check)
    assert window.open_project(untrained_project(tmp_path, "alpha"))
    assert window.go_to_step(1)
    page = window.pages[1]
    page.lookback.setValue(5)
    assert threads and threading.main_thread() not in threads
    assert window.session.data_problems() == []
    assert "ready" in page.problems.text() and window.next_button.isEnabled()


def test_a_check_is_of_the_settings_at_its_end(monkeypatch, tmp_path):
    """The window handles queued edits while a check runs in a worker: an edit made
    meanwhile is checked before data_check returns, not left with the older check."""
    monkeypatch.setattr(app.session, "LARGE_TABLE_ROWS", 0)
    edits = []

    def run_slow(function, *args):
        if function is check_config and not edits:     # an edit during the first check
            config = session.config()
            config.lookback = 500           # longer than the 96 rows allow
            edits.append(config.lookback)
            session.set_config(config)
        return function(*args)

    session = ProjectSession(run_slow=run_slow)
    session.open(untrained_project(tmp_path, "alpha"))
    problems, summary = session.data_check()
    assert edits == [500] and summary is None
    assert problems and "shorter lookback" in problems[0]
    assert session.data_check() == (problems, summary)          # kept for these settings


def test_a_stopped_check_says_so_and_is_made_again(monkeypatch, tmp_path):
    from engine.tasks import Cancelled

    monkeypatch.setattr(app.session, "LARGE_TABLE_ROWS", 0)
    stopped = []

    def run_slow(function, *args):
        if function is check_config and not stopped:
            stopped.append(True)
            raise Cancelled()
        return function(*args)

    session = ProjectSession(run_slow=run_slow)
    session.open(untrained_project(tmp_path, "alpha"))
    assert session.data_check() == ([app.session.CHECK_STOPPED], None)
    assert session.data_check()[0] == []


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

