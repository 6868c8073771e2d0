"""The ``rnn-studio`` program (app/launcher.py): the window without a command, the engine's
command line with one."""

import importlib
import subprocess
import sys
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


def test_an_unknown_example_is_named_with_the_examples_there_are(monkeypatch, capsys):
    """``--example foo`` ended in a KeyError's traceback; the help lists every example."""
    from app.examples import EXAMPLES
    from engine.cli.main import EXAMPLE_KEYS

    monkeypatch.setattr(app.main, "run", lambda **kw: pytest.fail("the window opened"))
    assert app.launcher.main(["--example", "foo"]) == 2
    assert capsys.readouterr().err == ("rnn-studio: there is no example 'foo'; the examples "
                                       f"are {', '.join(EXAMPLES)}.\n")
    assert EXAMPLE_KEYS == tuple(EXAMPLES)


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


def test_without_a_display_the_launcher_explains_and_exits_with_its_own_status(
        monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert app.launcher.main(["--example", "airline"]) == app.main.NO_DISPLAY
    error = capsys.readouterr().err
    assert "no display found" in error and "xvfb-run -a" in error


@pytest.mark.parametrize("status,make_status", [(0, 0), (3, 0), (1, 1)])
def test_make_run_takes_the_no_display_status_as_said(tmp_path, status, make_status):
    """The Makefile's run recipe (its program replaced by one that exits with ``status``):
    without a display (status NO_DISPLAY) make reports no error of its own."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    recipe = lines[lines.index("run: system-run $(STAMP)") + 1].strip().lstrip("@")
    program = tmp_path / "rnn-studio"
    program.write_text(f"#!/bin/sh\nexit {status}\n")
    program.chmod(0o755)
    command = recipe.replace("$(VENV)/bin/rnn-studio", str(program)).replace("$$", "$")
    assert app.main.NO_DISPLAY == 3 and "-eq 3" in command
    assert subprocess.run(["sh", "-c", command]).returncode == make_status
