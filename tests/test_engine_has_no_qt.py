"""The engine must run without a screen: it never imports Qt or pyqtgraph."""

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
GUI_MODULES = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt5|PyQt6|shiboken6|pyqtgraph)\b",
                         re.MULTILINE)


def test_no_engine_source_imports_qt():
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "engine").rglob("*.py")
                 if GUI_MODULES.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_importing_every_engine_module_loads_no_qt():
    modules = sorted(".".join(path.relative_to(ROOT).with_suffix("").parts)
                     for path in (ROOT / "engine").rglob("*.py")
                     if path.name != "__main__.py")
    assert "engine.network" in modules
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "loaded = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph')]\n"
            "print(loaded); sys.exit(1 if loaded else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
