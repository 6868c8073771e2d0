"""The project's import graph, read from the sources with ``ast`` (nothing is imported).

A module is named as Python names it: ``engine/cli/main.py`` is ``engine.cli.main`` and
``engine/cli/__init__.py`` is ``engine.cli`` (a package). Every ``import`` and ``from ...
import`` statement counts, wherever it stands (also inside a function), relative ones resolved
against the importing module's package. ``from pkg import name`` imports the module
``pkg.name`` when there is one, and otherwise ``pkg`` itself (its ``__init__``); ``import
a.b`` imports ``a.b`` (its parent packages run first, but are not counted as imported). Only
edges between the given modules are kept: the standard library and third-party packages are
not part of the graph. Imports by a computed name (``importlib.import_module(name)``) are
not seen.
"""

import ast
import dataclasses


@dataclasses.dataclass(frozen=True)
class Module:
    """One source file: its dotted name, its text and whether it is a package's __init__."""
    name: str
    source: str
    package: bool = False


def project_modules(root, folders):
    """``{name: Module}`` of every ``.py`` file under ``root/folder`` for each folder."""
    modules = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if package else parts)
            modules[name] = Module(name, path.read_text(encoding="utf-8"), package)
    return modules


def is_private(name):
    """``_name`` is private to its module; ``__name__`` and the like are not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _absolute(module, node):
    """The absolute module name of ``from <node.module> import ...`` written in ``module``."""
    if node.level == 0:
        return node.module
    package = module.name.split(".") if module.package else module.name.split(".")[:-1]
    base = package[:len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _longest_module(dotted, names):
    """The longest prefix of ``dotted`` (a list of names) that is one of ``names``, and how
    many names it takes; ``(None, 0)`` when none is."""
    for length in range(len(dotted), 0, -1):
        if ".".join(dotted[:length]) in names:
            return ".".join(dotted[:length]), length
    return None, 0


def _attribute_chain(node):
    """``["a", "b", "c"]`` for the expression ``a.b.c``; None when it does not start at a
    plain name."""
    chain = []
    while isinstance(node, ast.Attribute):
        chain.append(node.attr)
        node = node.value
    return [node.id] + chain[::-1] if isinstance(node, ast.Name) else None


def _statement_imports(module, tree, names):
    """The modules that ``tree``'s import statements import, the private names that they
    import from another module (``"module._name"``), and the local names bound to modules."""
    imported, private, bound = set(), set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target, _ = _longest_module(alias.name.split("."), names)
                if target is None:
                    continue
                imported.add(target)
                local = alias.asname or alias.name.split(".")[0]
                bound[local] = target if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in names:
                    imported.add(submodule)
                    bound[alias.asname or alias.name] = submodule
                elif source in names:
                    imported.add(source)
                    if is_private(alias.name):
                        private.add(f"{source}.{alias.name}")
    return imported, private, bound


def _private_attributes(tree, bound, names):
    """``module._name`` for each attribute use ``alias._name`` or ``package.module._name``
    where the alias is bound to a project module by an import."""
    private = set()
    for node in ast.walk(tree):
        chain = _attribute_chain(node) if isinstance(node, ast.Attribute) else None
        if not chain or chain[0] not in bound:
            continue
        dotted = bound[chain[0]].split(".") + chain[1:]
        target, length = _longest_module(dotted, names)
        if target is not None and length < len(dotted) and is_private(dotted[length]):
            private.add(f"{target}.{dotted[length]}")
    return private


def module_imports(module, names):
    """``(imported, private)`` of one module: the set of modules among ``names`` that it
    imports, and the set of ``"other.module._name"`` private names of other modules that it
    imports or uses as an attribute of an imported module."""
    tree = ast.parse(module.source)
    imported, private, bound = _statement_imports(module, tree, names)
    private |= _private_attributes(tree, bound, names)
    imported.discard(module.name)
    return imported, {name for name in private if name.rsplit(".", 1)[0] != module.name}


def import_graph(modules):
    """``{module: set of modules it imports}`` over the given ``{name: Module}``."""
    names = set(modules)
    return {name: module_imports(module, names)[0] for name, module in modules.items()}


def private_imports(modules):
    """``{module: sorted private names of other modules it imports}``, only the offenders."""
    names = set(modules)
    found = {name: sorted(module_imports(module, names)[1]) for name, module in modules.items()}
    return {name: private for name, private in found.items() if private}


def import_cycles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm): each
    a sorted list of modules that import one another, directly or through each other."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def cycle_path(graph, component):
    """One shortest import loop through the component's first module, as ``a -> b -> a``:
    the example that a cycle's message shows."""
    start, members = component[0], set(component)
    paths, queue = {start: [start]}, [start]
    for node in queue:
        for successor in sorted(graph[node] & members):
            if successor == start:
                return " -> ".join(paths[node] + [start])
            if successor not in paths:
                paths[successor] = paths[node] + [successor]
                queue.append(successor)
    raise ValueError(f"{component} is not a cycle of the graph")
