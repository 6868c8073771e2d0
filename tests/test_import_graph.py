"""The shape of the imports between the project's modules (engine/ and app/): no module
imports itself through others (no cycle), the engine never imports the application, and no
module reaches for another module's private (``_underscore``) names. Qt and pyqtgraph in the
engine are tests/test_engine_has_no_qt.py's."""

import pathlib
import textwrap

import pytest

from helpers.import_graph import (Module, cycle_path, import_cycles, import_graph,
                                  private_imports, project_modules)

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODULES = project_modules(ROOT, ("engine", "app"))
GRAPH = import_graph(MODULES)


def synthetic(**sources):
    """``{name: Module}`` from keyword sources: ``pkg__init`` is the package ``pkg``'s
    __init__, ``pkg__mod`` its module ``pkg.mod``."""
    modules = {}
    for key, source in sources.items():
        package = key.endswith("__init")
        name = ".".join(key.split("__")[:-1] if package else key.split("__"))
        modules[name] = Module(name, textwrap.dedent(source), package)
    return modules


def test_the_graph_finds_a_cycle_through_a_function_level_and_a_relative_import():
    modules = synthetic(pkg__init="", pkg__a="from . import b\n",
                        pkg__b="def late():\n    from .c import run\n",
                        pkg__c="import pkg.a\n", pkg__d="from pkg.a import x\n")
    graph = import_graph(modules)
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.d"] == {"pkg.a"}
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert cycle_path(graph, ["pkg.a", "pkg.b", "pkg.c"]) == "pkg.a -> pkg.b -> pkg.c -> pkg.a"


def test_the_graph_sees_no_cycle_where_a_package_and_its_modules_import_in_one_direction():
    modules = synthetic(pkg__init="from pkg.a import f\nfrom .sub import g\n",
                        pkg__a="import numpy\nfrom pkg.sub.b import g\n",
                        pkg__sub__init="from .b import g\n", pkg__sub__b="import os\n")
    graph = import_graph(modules)
    assert graph == {"pkg": {"pkg.a", "pkg.sub"}, "pkg.a": {"pkg.sub.b"},
                     "pkg.sub": {"pkg.sub.b"}, "pkg.sub.b": set()}
    assert import_cycles(graph) == []


def test_the_graph_finds_private_names_imported_or_used_from_another_module():
    modules = synthetic(pkg__init="", pkg__a="_secret = 1\n__version__ = 2\ndef _f(): pass\n",
                        pkg__b="from .a import _secret, __version__\n",
                        pkg__c="import pkg.a\nprint(pkg.a._f, pkg.a.__name__)\n",
                        pkg__d="from pkg import a as alias\nalias._f()\n",
                        pkg__e="def _own(): pass\nimport numpy\nnumpy._internal\n_own()\n")
    assert private_imports(modules) == {"pkg.b": ["pkg.a._secret"], "pkg.c": ["pkg.a._f"],
                                        "pkg.d": ["pkg.a._f"]}


def test_the_project_has_no_import_cycle():
    assert "engine.cli.main" in GRAPH and "app.main_window" in GRAPH
    cycles = [f"{', '.join(component)}: e.g. {cycle_path(GRAPH, component)}"
              for component in import_cycles(GRAPH)]
    if cycles:
        pytest.fail("modules that import one another:\n" + "\n".join(cycles), pytrace=False)


def test_the_engine_never_imports_the_application():
    offenders = {name: sorted(target for target in targets if target.split(".")[0] == "app")
                 for name, targets in GRAPH.items() if name.split(".")[0] == "engine"}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_module_imports_another_modules_private_names():
    found = [f"{name} uses {', '.join(names)}" for name, names in private_imports(MODULES).items()]
    if found:
        pytest.fail("private names used outside their module:\n" + "\n".join(found),
                    pytrace=False)
