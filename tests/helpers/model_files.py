"""Taking model files apart and putting them back together, for tamper tests."""

import json

import numpy as np

from engine.model.model_file import CHECKSUM_KEY, HEADER_KEY, file_checksum


def members_of(path):
    """Every array of the ``.npz`` file at ``path`` (name -> array)."""
    with np.load(path, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def header_of(members):
    return json.loads(members[HEADER_KEY].tobytes())


def write_members(path, members):
    """Write ``members`` (name -> array) as a plain npz at ``path``."""
    with open(path, "wb") as handle:
        np.savez(handle, **members)


def header_bytes(header, arrays=None):
    """``header`` as the model file writes it. With ``arrays`` (the other members) its
    checksum is computed anew, as a writer who knows the format would; without, the
    header's own ``checksum`` field is kept as it is (stale after any edit)."""
    if arrays is None:
        return json.dumps(header, ensure_ascii=False, indent=1).encode("utf-8")
    blank = {**{k: v for k, v in header.items() if k != CHECKSUM_KEY}, CHECKSUM_KEY: "0" * 64}
    text = json.dumps(blank, ensure_ascii=False, indent=1).encode("utf-8")
    head, zeros, tail = text.rpartition(b"0" * 64)
    return head + file_checksum(text, arrays).encode("ascii") + tail


def rewrite_header(path, header, members, checksum=True):
    """Write ``members`` with ``header`` to ``path``, its checksum computed anew
    (``checksum=True``) or kept stale."""
    arrays = {name: a for name, a in members.items() if name != HEADER_KEY}
    text = header_bytes(header, arrays if checksum else None)
    write_members(path, {**arrays, HEADER_KEY: np.frombuffer(text, dtype=np.uint8)})
