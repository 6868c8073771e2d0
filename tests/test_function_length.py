"""No function or method in engine/ or app/ is longer than 80 lines (from its ``def`` line to
its last line, decorators not counted), but for the few listed in ``KEPT_LONGER`` with the
reason; the list is checked too, so that it names only functions that exist and still need
it."""

import ast
import pathlib
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
LIMIT = 80

# "path:qualname" -> why it stays longer than LIMIT lines.
KEPT_LONGER = {
    "engine/deploy/exports/standalone_runtime.py:Model._encode":
        "the exported module's NumPy-only copy of the preprocessing, kept whole on purpose: "
        "the module runs without the engine",
}


def function_lengths(source):
    """``{qualname: lines}`` of every function and method in the source, nested ones
    included (``outer.<locals>.inner``, ``Class.method``, as Python's ``__qualname__``)."""
    lengths = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                lengths[name] = child.end_lineno - child.lineno + 1
                visit(child, name + ".<locals>.")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return lengths


def project_function_lengths():
    """``{"path:qualname": lines}`` over every module in engine/ and app/."""
    lengths = {}
    for folder in ("engine", "app"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for name, lines in function_lengths(path.read_text(encoding="utf-8")).items():
                lengths[f"{relative}:{name}"] = lines
    return lengths


LENGTHS = project_function_lengths()


def test_lengths_count_from_the_def_line_without_decorators_and_name_nested_functions():
    source = textwrap.dedent('''
        @decorator
        @another
        def top(a,
                b):
            def inner():
                return 1
            return inner

        class Page:
            if True:
                def build(self):
                    """Doc."""

                    return 2
    ''')
    assert function_lengths(source) == {"top": 5, "top.<locals>.inner": 2,
                                        "Page.build": 4}


def test_no_function_is_longer_than_the_limit():
    assert "engine/cli/main.py:main" in LENGTHS
    offenders = [f"{name}: {lines} lines" for name, lines in sorted(LENGTHS.items())
                 if lines > LIMIT and name not in KEPT_LONGER]
    if offenders:
        pytest.fail(f"functions over {LIMIT} lines (split them, or list them in KEPT_LONGER "
                    "with the reason):\n" + "\n".join(offenders), pytrace=False)


def test_every_function_kept_longer_exists_and_is_still_longer_than_the_limit():
    stale = [f"{name}: {LENGTHS[name] if name in LENGTHS else 'not found'}"
             for name in KEPT_LONGER if LENGTHS.get(name, 0) <= LIMIT]
    assert stale == [], "KEPT_LONGER names functions that no longer need it"
