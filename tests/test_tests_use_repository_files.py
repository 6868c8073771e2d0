"""Tests and benchmarks read only files inside this repository (or files they write into a
temporary folder), so that a clean clone anywhere passes: no string in their source names an
existing file or folder outside the repository, other than the system's own."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
SYSTEM = ("/bin", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr")


def string_constants(path):
    """Every string literal in the Python file ``path``, with its line number."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def outside_the_repository(text, folder):
    """Whether ``text``, read as a path (absolute, or relative to ``folder`` or the
    repository's root), names an existing file or folder outside the repository that is
    not one of the system's own folders."""
    if "\n" in text or "\x00" in text or len(text) > 255 or not text.strip("/."):
        return False
    if text.startswith("/"):
        candidates = [pathlib.Path(text)]
        if text.startswith(SYSTEM):
            return False
    else:
        candidates = [folder / text, ROOT / text]
    return any(path.exists() and not path.resolve().is_relative_to(ROOT)
               for path in candidates)


def test_no_test_or_benchmark_names_a_path_outside_the_repository():
    sources = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")])
    assert ROOT / "tests" / "helpers" / "examples.py" in sources
    offenders = [f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in sources
                 for line, text in string_constants(path)
                 if outside_the_repository(text, path.parent)]
    assert offenders == []


def test_the_check_sees_a_path_outside_the_repository(tmp_path):
    outside = tmp_path / "data.csv"
    outside.write_text("x\n1\n")
    assert outside_the_repository(str(outside), ROOT / "tests")
    assert outside_the_repository("../" * len(ROOT.parts) + str(outside).lstrip("/"),
                                  ROOT / "tests")
    assert not outside_the_repository("resources/examples/airline_passengers.csv",
                                      ROOT / "tests")
    assert not outside_the_repository("/usr/bin:/bin", ROOT / "tests")
