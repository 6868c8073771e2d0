"""Atomic writes: the target is either the old file or the complete new one, never a mix."""

import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from engine.atomic import (TEMP_SUFFIX, atomic_file, atomic_path, atomic_write_bytes,
                           atomic_write_text, is_temp_file, json_ready, place_file,
                           stray_temp_files)
from engine.errors import EngineError

ROOT = pathlib.Path(__file__).resolve().parents[2]
OLD = b"old contents\x00\xff" * 100


class WriterFailed(Exception):
    pass


def test_write_bytes_and_text_replace_the_target(tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(OLD)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    atomic_write_text(tmp_path / "note.txt", "a\nb \u00e9\n")
    assert (tmp_path / "note.txt").read_bytes() == "a\nb \u00e9\n".encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.bin", "note.txt"]


def test_exception_in_the_middle_of_writing_keeps_the_old_file(tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(OLD)
    with pytest.raises(WriterFailed):
        with atomic_file(target, "wb") as handle:
            handle.write(b"half of the new")
            handle.flush()
            assert stray_temp_files(tmp_path)          # the temporary file exists meanwhile
            raise WriterFailed
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]


def test_exception_before_a_new_file_exists_leaves_nothing(tmp_path):
    target = tmp_path / "new.txt"
    with pytest.raises(WriterFailed):
        with atomic_file(target, "w") as handle:
            handle.write("partial")
            raise WriterFailed
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_serves_writers_that_want_a_path(tmp_path):
    target = tmp_path / "table.csv"
    target.write_bytes(OLD)
    with pytest.raises(WriterFailed):
        with atomic_path(target) as temp:
            pathlib.Path(temp).write_text("x,y\n1,2\n")
            raise WriterFailed
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]

    with atomic_path(target) as temp:
        assert pathlib.Path(temp).parent == tmp_path and is_temp_file(temp)
        pathlib.Path(temp).write_text("x,y\n1,2\n")
    assert target.read_text() == "x,y\n1,2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_np_savez_through_an_atomic_file_keeps_the_name(tmp_path):
    target = tmp_path / "arrays.bin"
    with atomic_file(target) as handle:
        np.savez(handle, a=np.arange(3))
    with np.load(target, allow_pickle=False) as npz:
        assert npz["a"].tolist() == [0, 1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["arrays.bin"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_permissions_are_those_of_an_ordinary_or_the_existing_file(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    fresh = tmp_path / "fresh.txt"
    atomic_write_text(fresh, "x")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    existing = tmp_path / "existing.txt"
    existing.write_text("old")
    existing.chmod(0o640)
    atomic_write_text(existing, "new")
    assert existing.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_writing_through_a_symbolic_link_replaces_the_linked_file(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_missing_folder_gives_an_engine_error(tmp_path):
    target = tmp_path / "no such folder" / "file.txt"
    with pytest.raises(EngineError, match="Could not save .*no such folder"):
        atomic_write_text(target, "x")


def test_an_output_that_names_a_folder_is_refused_before_any_work(tmp_path):
    """``--out results/``: the trailing slash says a folder; without the check the file
    took the folder's name beside it."""
    from engine.atomic import check_writable

    for target in (f"{tmp_path / 'results'}/", tmp_path):
        with pytest.raises(EngineError, match="is a folder; give the name of the file"):
            check_writable(target)
    check_writable(tmp_path / "results.csv")


def test_a_killed_writer_leaves_the_old_file_and_a_recognizable_temp_file(tmp_path):
    target = tmp_path / "model.npz"
    target.write_bytes(OLD)
    code = textwrap.dedent("""
        import sys, time
        from engine.atomic import atomic_file
        with atomic_file(sys.argv[1], "wb") as handle:
            for step in range(100000):
                handle.write(b"new" * 1000)
                handle.flush()
                if step == 5:
                    print("writing", flush=True)
                time.sleep(0.01)
    """)
    writer = subprocess.Popen([sys.executable, "-c", code, str(target)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        strays = stray_temp_files(tmp_path)
        assert len(strays) == 1 and strays[0].stat().st_size >= 6 * 3000   # mid-write
    finally:
        writer.kill()
        writer.wait(timeout=30)
        writer.stdout.close()
    assert writer.returncode != 0
    assert target.read_bytes() == OLD
    others = [p for p in tmp_path.iterdir() if p != target]
    assert others == strays
    assert all(is_temp_file(p) and p.name.startswith(".model.npz.") for p in others)


def test_is_temp_file_recognizes_only_temporary_names():
    assert is_temp_file("/x/.model.npz.0a1b2c3d.rnn-studio-tmp")
    assert not is_temp_file("/x/model.npz")
    assert not is_temp_file("/x/model.rnn-studio-tmp")


def test_json_ready_makes_plain_json_values():
    value = {"a": (1, 2.5), "b": np.float32(0.5), "c": np.arange(3), "d": np.int64(7),
             "e": [float("nan"), float("inf")], "f": np.bool_(True), "g": pathlib.Path("p")}
    assert json_ready(value) == {"a": [1, 2.5], "b": 0.5, "c": [0, 1, 2], "d": 7,
                                 "e": [None, None], "f": True, "g": "p"}
    assert type(json_ready(value)["d"]) is int


def test_json_ready_refuses_what_json_cannot_hold():
    with pytest.raises(EngineError, match=r"config\['lags'\] has the key 1"):
        json_ready({"lags": {1: "x"}}, "config")
    with pytest.raises(EngineError, match=r"config\['f'\]\[0\] has the type object"):
        json_ready({"f": [object()]}, "config")


def test_place_file_renames_on_one_disk_and_copies_across_disks(tmp_path, monkeypatch):
    """On one disk the file is renamed; across disks (EXDEV) it is copied through a
    temporary file and the source removed; a failure leaves both as they were and says
    so as an EngineError; ``keep_source`` copies."""
    import errno

    source, target = tmp_path / "new.npz", tmp_path / "saved.npz"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    place_file(source, target)
    assert target.read_bytes() == b"new" and not source.exists()
    source.write_bytes(b"newer")
    real = os.replace

    def across_disks(a, b):
        if pathlib.Path(a) == source:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(a, b)

    monkeypatch.setattr(os, "replace", across_disks)
    place_file(source, target)
    assert target.read_bytes() == b"newer" and not source.exists()
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
    monkeypatch.setattr(os, "replace", real)
    source.write_bytes(b"kept")
    place_file(source, target, keep_source=True)
    assert target.read_bytes() == b"kept" and source.read_bytes() == b"kept"
    with pytest.raises(EngineError, match="Could not save"):
        place_file(source, tmp_path / "missing" / "x.npz")
    assert source.read_bytes() == b"kept"
