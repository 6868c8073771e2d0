"""Temporary files that interrupted writes left behind are removed, and only those: named
exactly as the atomic writer names them, unchanged for a while, and of a process of this
computer that ended (or, named as earlier versions did, of no known process, after an hour).
One of a process still running or of another computer, a young one and a user's own file
with a similar name are kept."""

import os
import pathlib
import subprocess
import sys

import pytest

from engine.atomic import (GONE_WRITER_AGE_SECONDS, STRAY_AGE_SECONDS, TEMP_SUFFIX,
                           atomic_path, atomic_write_bytes, computer_tag, is_temp_file,
                           remove_stray_temp_files)
from helpers.temp_files import aged, ended_pid, running_process, temp_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="processes are told apart on POSIX")


@pytest.fixture
def running_pid():
    """The id of another process that runs during the test."""
    with running_process() as pid:
        yield pid


def test_a_temporary_name_carries_this_process_and_computer(tmp_path):
    with atomic_path(tmp_path / "model.npz") as temp:
        assert is_temp_file(temp)
        assert temp.name.startswith(f".model.npz.{os.getpid()}-{computer_tag()}-")


def test_only_the_left_files_of_ended_processes_go(tmp_path, running_pid):
    gone = ended_pid()
    left = temp_file(tmp_path, "model.npz", gone)
    unnamed = aged(tmp_path / f".data.csv.0badc0de{TEMP_SUFFIX}", STRAY_AGE_SECONDS + 60)
    kept = [temp_file(tmp_path, "a.csv", running_pid),                        # runs
            temp_file(tmp_path, "b.csv", os.getpid()),                        # this one
            temp_file(tmp_path, "c.csv", gone, computer="0badc0de"),          # elsewhere
            temp_file(tmp_path, "d.csv", gone, age=GONE_WRITER_AGE_SECONDS - 60),   # young
            aged(tmp_path / f".e.csv.1badc0de{TEMP_SUFFIX}", STRAY_AGE_SECONDS - 60),
            aged(tmp_path / f".model.npz.backup{TEMP_SUFFIX}", 10 * STRAY_AGE_SECONDS),
            aged(tmp_path / f"model.npz.{gone}-{computer_tag()}-0a1b{TEMP_SUFFIX}",
                 10 * STRAY_AGE_SECONDS),
            aged(tmp_path / f".model.npz.{gone}-{computer_tag()}-0a1b{TEMP_SUFFIX}.csv",
                 10 * STRAY_AGE_SECONDS),
            aged(tmp_path / "model.npz", 10 * STRAY_AGE_SECONDS)]
    link = tmp_path / f".f.csv.{gone}-{computer_tag()}-0a1b{TEMP_SUFFIX}"
    link.symlink_to(kept[-1])
    assert sorted(remove_stray_temp_files(tmp_path)) == sorted([left, unnamed])
    assert not left.exists() and not unnamed.exists()
    assert all(path.exists() for path in kept) and link.is_symlink()
    assert remove_stray_temp_files(tmp_path / "no such folder") == []


def test_a_killed_writers_temporary_file_goes_once_it_is_old(tmp_path):
    target = tmp_path / "model.npz"
    code = ("import sys, time\nfrom engine.atomic import atomic_file\n"
            "with atomic_file(sys.argv[1], 'wb') as handle:\n"
            "    handle.write(b'half'); handle.flush(); print('writing', flush=True)\n"
            "    time.sleep(120)\n")
    writer = subprocess.Popen([sys.executable, "-c", code, str(target)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        [left] = list(tmp_path.iterdir())
        assert left.name.startswith(f".model.npz.{writer.pid}-")
        aged(left, GONE_WRITER_AGE_SECONDS + 60)
        assert remove_stray_temp_files(tmp_path) == [] and left.exists()    # still running
    finally:
        writer.kill()
        writer.wait(timeout=60)
        writer.stdout.close()
    assert remove_stray_temp_files(tmp_path) == [left] and not target.exists()


def test_the_next_write_of_a_target_removes_its_own_left_files_only(tmp_path, running_pid):
    target = tmp_path / "model[1].npz"            # glob characters in the name
    gone = ended_pid()
    left = temp_file(tmp_path, target.name, gone)
    unnamed = aged(tmp_path / f".{target.name}.0badc0de{TEMP_SUFFIX}", STRAY_AGE_SECONDS + 60)
    kept = [temp_file(tmp_path, target.name, running_pid),
            temp_file(tmp_path, target.name, gone, age=60),
            aged(tmp_path / f".{target.name}.1badc0de{TEMP_SUFFIX}", 60),
            temp_file(tmp_path, f"{target.name}.csv", gone),     # another target's
            temp_file(tmp_path, "other.npz", gone)]
    atomic_write_bytes(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert not left.exists() and not unnamed.exists()
    assert all(path.exists() for path in kept)
