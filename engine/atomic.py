"""Atomic file writes: a file is either fully written or left as it was.

Data goes to a temporary file in the target's folder, is flushed and synced to disk, and then
renamed onto the target with :func:`os.replace` (atomic on POSIX and Windows within one
folder). When the writer raises, the temporary file is removed and the target is untouched.

A process killed mid-write (power cut, SIGKILL) cannot clean up: its temporary file stays
behind, but the target is still intact. Temporary files are named
``.<target name>.<pid>-<computer>-<random>.rnn-studio-tmp`` (:data:`TEMP_NAME`): the
process that writes and its computer (:func:`computer_tag`, a short digest of its name),
so that a file left behind can be told from one being written. Where a process cannot be
told to run (not POSIX) the name carries 8 random digits only, as it did in earlier
versions: ``.<target name>.<random>.rnn-studio-tmp``.

A temporary file is left behind (:func:`removable_temp_file`) when its name is exactly
such a name, it is a regular file and either its process, of this computer, no longer runs
and it is unchanged for :data:`GONE_WRITER_AGE_SECONDS`, or its name names no process and
it is unchanged for :data:`STRAY_AGE_SECONDS`. One of a process still running, or of
another computer (a folder shared between computers), is never removed. They are removed
from a project's folder when the project is opened (:func:`remove_stray_temp_files`), and
a target's own after each successful write of it. :func:`stray_temp_files` lists them all
and :func:`is_temp_file` tests a name.
"""

import contextlib
import csv
import errno
import glob
import hashlib
import math
import os
import re
import secrets
import shutil
import socket
import time
from pathlib import Path

from engine.errors import EngineError
from engine.left_files import process_running, remove_where, unchanged_for

TEMP_SUFFIX = ".rnn-studio-tmp"
TEMP_NAME = re.compile(r"\.(?P<target>.+)\."
                       r"(?:(?P<pid>[1-9][0-9]{0,9})-(?P<computer>[0-9a-f]{8})-[0-9a-f]{4}"
                       r"|[0-9a-f]{8})" + re.escape(TEMP_SUFFIX), re.DOTALL)
GONE_WRITER_AGE_SECONDS = 600       # a temporary file whose process ended
STRAY_AGE_SECONDS = 3600            # one whose name names no process


def computer_tag():
    """This computer in a temporary file's name: 8 hexadecimal digits of its name's digest
    (short, and valid in a file name whatever the computer's name holds)."""
    name = socket.gethostname().encode("utf-8", "surrogateescape")
    return hashlib.sha256(name).hexdigest()[:8]


def is_temp_file(path):
    """True when ``path`` names a temporary file of an (interrupted) atomic write."""
    return TEMP_NAME.fullmatch(Path(path).name) is not None


def stray_temp_files(folder):
    """Temporary files left in ``folder`` by interrupted atomic writes, sorted."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and is_temp_file(p))


def _writer_gone(name):
    """Whether the process that the temporary file name ``name`` (a :data:`TEMP_NAME`
    match) names ended on this computer; False when it runs or cannot be told (another
    computer, not POSIX)."""
    if name["computer"] != computer_tag():
        return False
    return process_running({"pid": int(name["pid"]), "host": socket.gethostname()}) is False


def removable_temp_file(path, now=None):
    """Whether ``path`` is a temporary file left behind by an interrupted write, never one
    still being written (see the module's docstring). ``now``: the time to age it by."""
    name = TEMP_NAME.fullmatch(Path(path).name)
    unchanged = unchanged_for(path, now) if name is not None else None
    if unchanged is None:
        return False
    if name["pid"] is None:
        return unchanged >= STRAY_AGE_SECONDS
    return unchanged >= GONE_WRITER_AGE_SECONDS and _writer_gone(name)


def _remove_left_behind(paths):
    """Remove those of ``paths`` that :func:`removable_temp_file` allows; the paths removed."""
    now = time.time()
    return remove_where(paths, lambda path: removable_temp_file(path, now))


def remove_stray_temp_files(folder):
    """Remove the temporary files that interrupted writes left in ``folder`` (not in its
    subfolders), as :func:`removable_temp_file` allows; the paths removed. Never raises:
    what cannot be listed or removed stays."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if is_temp_file(entry.name))
    except OSError:
        return []
    return _remove_left_behind([Path(folder) / name for name in names])


def _remove_old_strays(target):
    """Remove the temporary files of ``target`` that interrupted writes left behind."""
    try:
        strays = list(target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"))
    except OSError:
        return
    names = [(stray, TEMP_NAME.fullmatch(stray.name)) for stray in strays]
    _remove_left_behind([stray for stray, name in names
                         if name is not None and name["target"] == target.name])


def _cannot_write(target, error):
    reason = error.strerror or str(error)
    return EngineError(f"Could not save {target}: {reason}. Check that the folder exists, "
                       "that you may write to it and that the disk has free space, or "
                       "choose another place.")


def check_writable(path):
    """Raise the EngineError of a failed save of ``path`` now, before the work that makes
    it (a training, say), when its folder is missing or cannot be written to, or when it
    names a folder rather than a file (``out/``: the file would take the folder's name)."""
    if os.fspath(path).endswith(("/", os.sep)) or Path(path).is_dir():
        raise EngineError(f"{os.fspath(path)} is a folder; give the name of the file to "
                          "write (in that folder, or anywhere else).")
    folder = Path(path).absolute().parent
    if not folder.is_dir():
        raise _cannot_write(path, FileNotFoundError(2, "No such file or directory"))
    if not os.access(folder, os.W_OK):
        raise _cannot_write(path, PermissionError(13, "Permission denied"))


def check_not_replacing(path, source, name="data"):
    """Raise a plain EngineError when ``path`` names the existing file ``source`` (the
    ``name`` file the work reads), which writing ``path`` would replace."""
    if source is None or not os.path.exists(source) or not os.path.exists(path):
        return
    if os.path.samefile(source, path):
        raise EngineError(f"{os.fspath(path)} is the {name} file being read; writing there "
                          "would replace it. Choose another name for the file to write.")


def _writer_part():
    """The part of a temporary file's name after its target's: this process and computer
    with 4 random digits, or 8 random digits where a process cannot be told to run."""
    if os.name != "posix":
        return secrets.token_hex(4)
    return f"{os.getpid()}-{computer_tag()}-{secrets.token_hex(2)}"


def _create_temp(target):
    """Create and open an empty temporary file beside ``target``: (path, fd).

    Created with mode 0o666 minus the umask, as an ordinary new file would be.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{_writer_part()}{TEMP_SUFFIX}")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {target}")


def _copy_mode(target, temp):
    """Give ``temp`` the permission bits of an existing ``target``."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    os.chmod(temp, mode & 0o7777)


def _sync_folder(folder):
    """Make the rename durable (POSIX); a no-op where folders cannot be opened."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _target(path):
    """The file to replace: ``path`` made absolute, following a symbolic link."""
    return Path(os.path.realpath(os.fspath(path)))


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    For writers that want a path of their own. The temporary path keeps no suffix of the
    target's, so give writers that add one (``np.savez`` adds ``.npz``) an open file
    instead (:func:`atomic_file`). The writer may close the file in any way; it is synced
    before the rename. On an exception inside the block the temporary file is removed and
    the exception propagates (an :class:`OSError` as :class:`EngineError`).
    """
    target = _target(path)
    try:
        temp, fd = _create_temp(target)
        os.close(fd)
    except OSError as error:
        raise _cannot_write(target, error) from error
    try:
        yield temp
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        _copy_mode(target, temp)
        os.replace(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise _cannot_write(target, error) from error
        raise
    _sync_folder(target.parent)
    _remove_old_strays(target)


def place_file(source, target, keep_source=False):
    """Put the file ``source`` at ``target``, replacing what is there atomically: renamed
    within one disk (unless ``keep_source``), else copied through a temporary file beside
    ``target`` and then, unless ``keep_source``, removed. On an error ``target`` is as it
    was (and so is ``source``), and an :class:`OSError` becomes an :class:`EngineError`."""
    target = _target(target)
    if not keep_source:
        try:
            os.replace(source, target)
            _sync_folder(target.parent)
            return
        except OSError as error:
            if error.errno != errno.EXDEV:          # another disk: copied below
                raise _cannot_write(target, error) from error
    with atomic_path(target) as temp:
        shutil.copyfile(source, temp)
    if not keep_source:
        with contextlib.suppress(OSError):
            os.unlink(source)


@contextlib.contextmanager
def atomic_file(path, mode="wb", encoding="utf-8", newline=None):
    """Yield an open file (``"wb"`` or ``"w"``) that replaces ``path`` atomically on success.

    On an exception inside the block nothing changes at ``path`` and the temporary file is
    removed; the exception propagates (an :class:`OSError` as :class:`EngineError`).
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', not {mode!r}")
    with atomic_path(path) as temp:
        if mode == "wb":
            handle = open(temp, "wb")
        else:
            handle = open(temp, "w", encoding=encoding, newline=newline)
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def atomic_write_bytes(path, data):
    """Write ``data`` to ``path`` atomically."""
    with atomic_file(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path, text, encoding="utf-8"):
    """Write ``text`` to ``path`` atomically, with ``\\n`` line ends on every platform."""
    with atomic_file(path, "w", encoding=encoding, newline="\n") as handle:
        handle.write(text)


CSV_NUMBERS = "%.12g"
"""How the CSV files of the commands and pages write numbers: 12 significant digits, so
that a value read back differs from the one computed by a few parts in 1e12 at most."""


def atomic_write_csv(path, frame, **options):
    """Write the DataFrame ``frame`` to ``path`` as CSV atomically (no index, ``\n`` line
    ends, numbers as :data:`CSV_NUMBERS`; ``options``: more of ``DataFrame.to_csv``'s, e.g.
    ``sep`` and ``decimal``)."""
    atomic_write_text(path, frame.to_csv(index=False, float_format=CSV_NUMBERS,
                                         lineterminator="\n", **options))


def file_marks(options):
    """``DataFrame.to_csv``'s ``sep`` and ``decimal`` for the delimiter and decimal mark of
    the :class:`~engine.data.csv_reader.CsvOptions` ``options`` of a data file, so that
    what is written from it reads as it does; ``{}`` (commas and decimal points) for
    None. With spaces between fields every text and empty cell is quoted: the reader takes
    a run of spaces for one (an empty cell, ``1961-01-01  446.5``, shifted the values
    after it a column left)."""
    if options is None:
        return {}
    marks = {"sep": options.delimiter, "decimal": options.decimal}
    if options.delimiter == " ":
        marks["quoting"] = csv.QUOTE_NONNUMERIC
    return marks


def json_ready(value, where="value"):
    """A copy of ``value`` made of plain JSON types only.

    Tuples become lists; NumPy scalars and arrays become numbers and lists; paths become
    strings; NaN and infinities become ``None`` (JSON has no such numbers). Raises
    :class:`EngineError` naming the place of a key that is not a string or of a value
    of another type.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise EngineError(f"{where} has the key {key!r}, which is not text; "
                                  "JSON documents need text keys.")
            result[key] = json_ready(item, f"{where}[{key!r}]")
        return result
    if isinstance(value, (list, tuple)):
        return [json_ready(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "dtype") and hasattr(value, "tolist"):   # NumPy scalar or array
        if value.dtype.kind in "biuf":
            return json_ready(value.tolist(), where)
    raise EngineError(f"{where} has the type {type(value).__name__}, which cannot be saved "
                      "in a JSON document; use numbers, text, true/false, null, lists and "
                      "dicts.")
