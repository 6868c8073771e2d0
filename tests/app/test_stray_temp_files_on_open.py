"""Opening a project removes from its folder the temporary files that interrupted writes
(a crash, a kill) left there, and no other file."""

import os

import pytest

from engine.atomic import STRAY_AGE_SECONDS, TEMP_SUFFIX, computer_tag
from helpers.projects import untrained_project
from helpers.temp_files import aged, ended_pid, running_process, temp_file

pytestmark = pytest.mark.skipif(os.name != "posix", reason="processes are told apart on POSIX")


def test_opening_a_project_removes_the_left_temporary_file_of_an_ended_process(
        window, dialogs, tmp_path):
    project = untrained_project(tmp_path / "p", "alpha")
    folder = project.parent
    gone = ended_pid()
    with running_process() as running:
        left = temp_file(folder, "alpha.model.npz", gone)
        kept = [temp_file(folder, "alpha.json", running),
                temp_file(folder, "predictions.csv", gone, age=60),
                aged(folder / f".alpha.model.npz.{gone}-{computer_tag()}-0a1b{TEMP_SUFFIX}.txt",
                     10 * STRAY_AGE_SECONDS)]
        elsewhere = temp_file(tmp_path, "other.csv", gone)      # a folder not opened
        assert window.open_project(str(project))
    assert not left.exists()
    assert all(path.exists() for path in kept) and elsewhere.exists()
    assert window.session.project.name == "alpha" and not dialogs.warnings
