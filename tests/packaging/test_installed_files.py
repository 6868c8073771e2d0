"""The files the application reads beside its code (examples, icons, user guide) reach a
pip installation: pyproject.toml's data files cover them, and the application finds them
under ``<prefix>/share/rnn-studio`` when they are not beside the code."""

import tomllib
from pathlib import Path

import engine.files as files
from app.examples import EXAMPLES
from app.help_window import GUIDE
from app.icon import ICON_SIZES

ROOT = Path(__file__).resolve().parents[2]


def installed_files():
    """``{path in the source tree: the folder it is installed to}`` of pyproject.toml's
    data files."""
    table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = {}
    for folder, patterns in table["tool"]["setuptools"]["data-files"].items():
        for pattern in patterns:
            found.update({path.relative_to(ROOT).as_posix(): folder
                          for path in ROOT.glob(pattern)})
    return found


def test_every_file_the_application_reads_is_installed_where_it_looks():
    installed = installed_files()
    wanted = [f"resources/examples/{e.file}" for e in EXAMPLES.values()]
    wanted += ["resources/examples/README.md", "resources/icons/rnn-studio.svg"]
    wanted += [f"resources/icons/rnn-studio-{size}.png" for size in ICON_SIZES]
    wanted += [GUIDE.relative_to(ROOT).as_posix()]
    wanted += [f"docs/{link}" for link in ("testing-results.md", "deploy.md",
                                           "model-selection.md", "many-series.md")]
    for path in wanted:
        assert path in installed, path
        assert installed[path] == "share/rnn-studio/" + str(Path(path).parent), path


def test_the_installed_folder_is_used_when_none_lies_beside_the_code(tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(files, "BESIDE_THE_CODE", tmp_path / "site-packages")
    monkeypatch.setattr(files, "INSTALLED", [tmp_path / "env" / "share" / "rnn-studio",
                                             tmp_path / "share" / "rnn-studio"])
    assert files.carried_folder("docs") == tmp_path / "site-packages" / "docs"  # neither
    (tmp_path / "share" / "rnn-studio" / "docs").mkdir(parents=True)
    assert files.carried_folder("docs") == tmp_path / "share" / "rnn-studio" / "docs"
    (tmp_path / "site-packages" / "docs").mkdir(parents=True)
    assert files.carried_folder("docs") == tmp_path / "site-packages" / "docs"


def test_the_data_folders_of_the_environment_the_scheme_and_the_user_are_searched():
    import site
    import sys
    import sysconfig

    for root in (sys.prefix, sysconfig.get_paths()["data"], site.USER_BASE):
        assert Path(root) / "share" / "rnn-studio" in files.INSTALLED
