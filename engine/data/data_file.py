"""Whether a data file is still the one a model was trained on.

A fit records the digest of the bytes of the file it read and its number of rows
(:func:`file_record`, ``results.training["data_file"]``); a file whose bytes changed since
(rows appended, values corrected, another file saved over it) has another digest
(:func:`changed_since`). The digest is SHA-256 over the bytes, 16 hex digits.
"""

import hashlib
import os

_BLOCK = 1 << 20
_cache = {}          # (path, mtime_ns, size) -> digest: the pages ask on every refresh


def file_digest(path):
    """The digest of the file's bytes (16 hex digits), or None when it cannot be read."""
    try:
        status = os.stat(path)
    except (OSError, TypeError, ValueError):
        return None
    key = (os.fspath(path), status.st_mtime_ns, status.st_size)
    if key not in _cache:
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(_BLOCK), b""):
                    digest.update(block)
        except OSError:
            return None
        _cache.clear()
        _cache[key] = digest.hexdigest()[:16]
    return _cache[key]


def file_record(table):
    """``{"digest", "rows"}`` of the file a :class:`~engine.data.Table` was read from (as
    it was read), or None for a table read from no file."""
    if table is None or table.digest is None:
        return None
    return {"digest": table.digest, "rows": int(len(table.frame))}


def changed_since(record, path):
    """A sentence when the file at ``path`` is not the one ``record`` (of
    :func:`file_record`) describes; None when it is, when there is no record, or when the
    file is missing or unreadable (other messages say so)."""
    if not record or not record.get("digest") or path is None:
        return None
    now = file_digest(path)
    if now is None or now == record["digest"]:
        return None
    return (f"The data file {os.path.basename(os.fspath(path))} has changed since the model "
            f"was trained on it ({record.get('rows', '?')} rows then): the training's "
            "figures are of the file as it was, the testing and forecasts use it as it is "
            "now. Train again to learn from it as it is.")
