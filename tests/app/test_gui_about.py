"""Help > About: the version, the licences of the bundled libraries as their metadata states
them, and the provenance of every built-in example."""

import email.message
from importlib import metadata

import pytest
from PySide6.QtWidgets import QTextBrowser

import app.about_dialog as about
from app.about_dialog import AboutDialog, example_provenance, library_licences, licence_of
from app.examples import EXAMPLES
from engine import __version__


def readme_rows():
    """The examples README's table, read independently of the dialog: file -> cells."""
    rows = {}
    for line in about.EXAMPLES_README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].endswith(".csv"):
            rows[cells[0]] = cells
    return rows


def test_the_dialog_shows_version_licences_and_every_examples_provenance(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    text = " ".join(dialog.text().split())
    assert f"RNN Studio {__version__}" in text
    assert "under the MIT licence" in text
    assert dialog.windowTitle() == "About RNN Studio"
    for distribution in ("numpy", "pandas", "pyqtgraph", "onnx", "threadpoolctl"):
        meta = metadata.metadata(distribution)
        stated = meta.get("License-Expression") or meta.get("License")
        assert f"{metadata.version(distribution)} {stated}" in text, distribution
    assert "Qt for Python (PySide6) " + metadata.version("PySide6-Essentials") in text
    assert "used under the LGPL-3.0" in text
    assert text.count("LGPL-3.0-only") >= 2                      # PySide6 and shiboken6
    rows = readme_rows()
    assert set(rows) == {example.file for example in EXAMPLES.values()}
    for example in EXAMPLES.values():
        _, _, what, source, licence = rows[example.file]
        assert f"{example.file}: {what}" in text
        assert f"Source: {source}" in text
        assert f"Licence: {licence}" in text


def test_help_about_opens_the_dialog(window, gui, qtbot):
    seen = []

    def look(dialog):
        seen.append((type(dialog), dialog.findChild(QTextBrowser).toPlainText()))
        dialog.reject()

    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if a.text() == "&About RNN Studio")
    gui.run_modal(qtbot, look, action.trigger)
    assert seen and seen[0][0] is AboutDialog
    assert "airline_passengers.csv" in seen[0][1]


def _fake_metadata(monkeypatch, **fields):
    message = email.message.Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = item
    monkeypatch.setattr(about.metadata, "metadata", lambda name: message)


def test_the_licence_falls_back_from_expression_to_field_to_classifiers(monkeypatch):
    classifiers = ["Programming Language :: Python",
                   "License :: OSI Approved :: BSD License"]
    _fake_metadata(monkeypatch, Version="1.0", License_Expression="Apache-2.0",
                   License="MIT", Classifier=classifiers)
    assert licence_of("x") == ("1.0", "Apache-2.0")
    _fake_metadata(monkeypatch, Version="1.0", License="MIT", Classifier=classifiers)
    assert licence_of("x") == ("1.0", "MIT")
    # a License field holding the whole licence text is no name: the classifier is
    _fake_metadata(monkeypatch, Version="2.0", License="Copyright (c) 2020 Someone\n\n"
                   "Permission is hereby granted, free of charge, to any person...",
                   Classifier=classifiers)
    assert licence_of("x") == ("2.0", "BSD License")
    _fake_metadata(monkeypatch, Version="3.0")
    assert licence_of("x") == ("3.0", "not stated in the package")


def test_a_missing_library_or_readme_is_said_so(monkeypatch, tmp_path):
    monkeypatch.setattr(about, "LIBRARIES", (("Nothing", "no-such-distribution-here", ""),))
    assert library_licences() == [("Nothing", "no-such-distribution-here", None,
                                   "not installed", "")]
    assert example_provenance(tmp_path / "README.md") == []
    monkeypatch.setattr(about, "EXAMPLES_README", tmp_path / "README.md")
    dialog = AboutDialog()
    text = dialog.text()
    dialog.deleteLater()
    assert "Nothing - not installed" in " ".join(text.split())
    assert "is missing from this installation" in text


@pytest.mark.parametrize("distribution", [d for _, d, _ in about.LIBRARIES])
def test_every_listed_library_is_installed(distribution):
    assert licence_of(distribution) is not None


def test_the_dialog_opens_without_the_main_window_or_the_launcher():
    """app.about_dialog takes the icon from app.icon: opening it imports neither app.main
    nor app.main_window (they import it; no cycle)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = ("import sys\n"
              "from PySide6.QtWidgets import QApplication\n"
              "application = QApplication([])\n"
              "from app.about_dialog import AboutDialog\n"
              "dialog = AboutDialog()\n"
              "dialog.show()\n"
              "application.processEvents()\n"
              "print(sorted(m for m in ('app.main', 'app.main_window') if m in sys.modules))\n")
    root = Path(__file__).resolve().parents[2]
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                       PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=root, env=environment)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
