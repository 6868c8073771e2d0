"""The ``rnn-studio`` program (app/launcher.py): the window without a command, the engine's
command line with one."""

import importlib
from pathlib import Path

import pytest

import app.launcher
import app.main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv,project,example", [
    ([], None, None), (["p.json"], "p.json", None), (["--example", "airline"], None, "airline")])
def test_no_command_opens_the_window(monkeypatch, argv, project, example):
    calls = []
    monkeypatch.setattr(app.main, "run", lambda **kw: calls.append(kw) or 0)
    assert app.launcher.main(argv) == 0
    assert calls == [{"project": project, "example": example}]


def test_a_command_runs_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr(app.main, "run", lambda **kw: pytest.fail("the window opened"))
    with pytest.raises(SystemExit) as exit_info:
        app.launcher.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("rnn-studio ")
    assert app.launcher.main(["evaluate", "missing.npz", "missing.csv"]) == 1
    assert "rnn-studio evaluate: error: " in capsys.readouterr().err


def test_the_installed_program_is_the_launcher():
    tomllib = pytest.importorskip("tomllib")         # Python 3.11 or later
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["rnn-studio"].partition(":")
    assert getattr(importlib.import_module(module), function) is app.launcher.main
