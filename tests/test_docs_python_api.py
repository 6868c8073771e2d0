"""docs/python-api.md's examples run as written: every ```python block, in the page's order,
each in a namespace of its own (a block shares only the files the blocks before it wrote),
in a temporary folder that holds the built-in examples as ``resources/examples/``, as the
page's reader runs them from the repository's root.

A block the page marks as long work (``<!-- long -->`` on the line before it: a backtest,
the fits of many series) runs in the slow test only; no other block may read what a long
one writes. What the blocks print is not compared with the page: the figures depend on the
machine's floating point."""

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "python-api.md"
BLOCK = re.compile(r"(<!-- long -->\n)?```python\n(.*?)```", re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def page_blocks(text):
    """``[(long, code)]`` of the ```python blocks of a markdown ``text``, in order."""
    return [(bool(match.group(1)), match.group(2)) for match in BLOCK.finditer(text)]


@pytest.fixture(scope="module")
def session():
    """The folder the page's examples run in, and the numbers of the blocks run there."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="python-api-") as folder:
        (Path(folder) / "resources").symlink_to(ROOT / "resources", target_is_directory=True)
        yield Path(folder), set()


def run_blocks(session, monkeypatch, long_too):
    """Run the page's blocks not run yet in the session's folder (the long ones only with
    ``long_too``), in the page's order; returns how many ran."""
    folder, done = session
    monkeypatch.chdir(folder)
    ran = 0
    for number, (long, code) in enumerate(page_blocks(PAGE.read_text(encoding="utf-8")), 1):
        if number in done or (long and not long_too):
            continue
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(code, f"docs/python-api.md, example {number}", "exec"),
                     {"__name__": "__main__"})
        except Exception as error:
            raise AssertionError(f"Example {number} of docs/python-api.md failed: "
                                 f"{type(error).__name__}: {error}\n{code}") from error
        assert printed.getvalue().strip(), f"example {number} printed nothing"
        done.add(number)
        ran += 1
    return ran


def test_the_page_has_examples_and_marks_the_long_ones():
    blocks = page_blocks(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    assert 0 < sum(long for long, _ in blocks) < len(blocks)


def test_the_marks_are_found():
    text = "a\n```python\nx = 1\n```\n<!-- long -->\n```python\ny = 2\n```\n"
    assert page_blocks(text) == [(False, "x = 1\n"), (True, "y = 2\n")]


def headings(path):
    """The anchors of a Markdown file's headings, as GitHub makes them (outside code)."""
    anchors, in_code = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            title = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower())
            anchors.add(title.replace(" ", "-"))
    return anchors


def test_every_link_of_the_page_leads_somewhere():
    links = LINK.findall(PAGE.read_text(encoding="utf-8"))
    assert links
    for link in links:
        path, _, anchor = link.partition("#")
        target = (PAGE.parent / path).resolve() if path else PAGE
        assert target.is_file(), link
        assert not anchor or anchor in headings(target), link


def test_the_readme_links_to_the_page():
    assert "](docs/python-api.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_trial_applied_by_its_index_is_named_by_its_number():
    """``apply_trial(..., 2)`` applies the row the table numbers 3: the page says so where
    it gives an index (it left the reader to take 2 for the table's trial 2)."""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    given = [(k, int(match.group(1))) for k, line in enumerate(lines)
             for match in re.finditer(r"apply_trial\([^)]*?(\d+)\)", line)]
    assert given
    for k, index in given:
        assert f"trial {index + 1}" in " ".join(lines[k - 1:k + 1]), lines[k]


def test_the_quick_examples_run(session, monkeypatch):
    assert run_blocks(session, monkeypatch, long_too=False) > 0
    assert (session[0] / "air.npz").exists()


@pytest.mark.slow
def test_the_long_examples_run(session, monkeypatch):
    assert run_blocks(session, monkeypatch, long_too=True) > 0
    assert (session[0] / "m4.json").exists()
