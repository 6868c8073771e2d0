"""The scripts no test runs (benchmarks/*.py, docs/*.py) still name what the engine and the
application define: every ``import``/``from ... import`` of ``engine`` or ``app`` in them,
function-level ones included, resolves, and each script loads as a module."""

import ast
import importlib
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "benchmarks").glob("*.py")) + sorted((ROOT / "docs").glob("*.py"))


def project_imports(source):
    """``[(line, module, name or None)]`` for every import of ``engine``/``app`` in
    ``source``; ``name`` is None for ``import module``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.split(".")[0] in ("engine", "app"):
            found += [(node.lineno, node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names
                      if alias.name.split(".")[0] in ("engine", "app")]
    return found


def unresolved(imports):
    """The imports of :func:`project_imports` that name no module or attribute."""
    missing = []
    for line, module, name in imports:
        try:
            loaded = importlib.import_module(module)
        except ImportError as error:
            missing.append(f"line {line}: {module} ({error})")
            continue
        if name is not None and not hasattr(loaded, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"line {line}: {name} from {module}")
    return missing


def test_an_import_of_a_name_that_moved_is_found():
    source = "def f():\n    from engine.errors import EngineError, NoSuchName\n"
    assert unresolved(project_imports(source)) == ["line 2: NoSuchName from engine.errors"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_the_script_names_only_what_exists(script):
    assert unresolved(project_imports(script.read_text(encoding="utf-8"))) == []
    spec = importlib.util.spec_from_file_location(f"script_{script.stem}", script)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))   # __main__ is not run
