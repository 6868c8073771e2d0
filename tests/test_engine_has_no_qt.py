"""The engine must run without a screen: it never imports Qt, pyqtgraph or the application
(app/, which imports Qt and the engine; app/launcher.py opens the window)."""

import ast
import os
import pathlib
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "app")
IMPORT_FUNCTIONS = ("import_module", "__import__")


def imported_modules(source):
    """The absolute module names that Python source imports: ``import`` and ``from``
    statements anywhere (also inside functions), and ``importlib.import_module`` or
    ``__import__`` calls with a literal name."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Call) and _called_name(node) in IMPORT_FUNCTIONS and (
                node.args and isinstance(node.args[0], ast.Constant)):
            names.append(str(node.args[0].value))
    return names


def _called_name(call):
    """``f`` of a call ``f(...)`` or ``module.f(...)``."""
    return getattr(call.func, "attr", getattr(call.func, "id", None))


def forbidden(names):
    return [name for name in names if name.split(".")[0] in FORBIDDEN]


def test_the_check_sees_every_way_of_importing():
    source = textwrap.dedent("""
        import numpy, PySide6.QtCore
        from .data import load_table
        def open_window():
            from app.main import run
            importlib.import_module("pyqtgraph")
            __import__("app")
            from application import x
    """)
    assert forbidden(imported_modules(source)) == ["PySide6.QtCore", "app.main", "pyqtgraph",
                                                   "app"]


def test_no_engine_source_imports_qt_or_the_application():
    sources = sorted((ROOT / "engine").rglob("*.py"))
    assert ROOT / "engine" / "cli" / "main.py" in sources
    offenders = {str(path.relative_to(ROOT)): forbidden(imported_modules(path.read_text(
        encoding="utf-8"))) for path in sources}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_importing_the_engine_and_running_commands_loads_no_qt_nor_the_application(tmp_path):
    """Every engine module imported, then the command line run as ``python -m engine``
    would: without a command, with the window's arguments, and ``fit`` and ``evaluate`` on a
    small file. No display: were the window to start, it would stop at once."""
    modules = sorted(".".join(path.relative_to(ROOT).with_suffix("").parts)
                     for path in (ROOT / "engine").rglob("*.py")
                     if path.name != "__main__.py")
    assert "engine.network.recurrent" in modules and "engine.cli.main" in modules
    csv = tmp_path / "series.csv"
    csv.write_text("y\n" + "".join(f"{(k * 7) % 12 + k / 10}\n" for k in range(60)))
    model = tmp_path / "model.npz"
    commands = [[], ["p.json"], ["--example", "airline"],
                ["fit", str(csv), "--target", "y", "--lookback", "3", "--epochs", "1",
                 "--out", str(model)],
                ["evaluate", str(model), str(csv)]]
    code = textwrap.dedent(f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module(name)
        from engine.cli.main import main
        statuses = [main(argv) for argv in {commands!r}]
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in {FORBIDDEN!r})
        print(statuses, loaded)
    """)
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[0, 2, 2, 0, 0] []", result.stderr
