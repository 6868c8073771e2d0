"""Fuzzing the command line with mutated CSV files and altered model files.

Run: ``.venv/bin/python benchmarks/fuzz_inputs.py [--csv N] [--models N] [--seed S]``
(defaults 320 and 120). Every case runs ``rnn-studio`` in a process of its own with a time
limit, and each outcome is put in one of five classes:

- ``clean error``: a non-zero exit with one line on standard error that is the command's own
  message (``rnn-studio CMD: error: ...``);
- ``success``: exit 0, and the case's oracle (below) holds;
- ``unexpected error``: "unexpected error", a traceback, more than one line of warnings or
  messages on standard error, or an exit by a signal;
- ``hang``: the time limit passed;
- ``silent wrong``: exit 0 where the oracle says the result cannot be right as given.

The oracles. CSV cases start from the examples in resources/examples and fit a small network
on them (``fit --epochs 3 --hidden 4``). Most mutations (random bytes, truncations, ragged
rows, text in numbers, other encodings) have no single right answer, so either a success or a
clean error counts; the rest must be refused or explained:

- a header with one name fewer than the rows have fields: a success must say what it did
  with the header (the word "header" in its output);
- a second column renamed to the target's name: ``--target`` is ambiguous, so a success is
  wrong;
- rows out of time order: a success must say that it sorted them ("sort");
- a repeated time: a success is wrong (two values for one time step);
- one target value set to 1e30: a success must carry a remark (the words "persistence",
  "outlier" or "median absolute deviations", with which the remark names the value's row).

Model cases start from one model fitted on the airline example and scored by ``evaluate
--json``; each altered file is scored the same way. A success whose numbers differ from the
original's is a silent wrong result (an edit of the header or the weights that the loader did
not notice), except for a header edited and re-signed with a new checksum, as a forger would:
the checksum is no signature, so there only values of the wrong type or range must be refused,
and a success with a valid value counts as one. Header fields are edited one by one (numbers scaled, strings replaced, types
changed), the archive is damaged (flipped bytes, truncation, the zip's encryption flag, another
compression method, a member left out), arrays are replaced (NaN, other shapes, other dtypes),
the header is inflated (millions of empty objects), and the path is a FIFO or a directory.

The counts are printed as a table; ``--json FILE`` also writes every case with its class.
"""

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "resources" / "examples"
CLI = [sys.executable, "-m", "engine"]
TIME_LIMIT = 120.0
CLASSES = ("clean error", "success", "unexpected error", "hang", "silent wrong")

# (file, target, time column) of the examples the CSV cases start from
BASES = [("airline_passengers.csv", "passengers", "month"),
         ("sunspots_yearly.csv", "sunactivity", "year"),
         ("us_macro_quarterly.csv", "realgdp", "date"),
         ("seattle_weather_daily.csv", "temp_max", "date")]


def run(args, timeout=TIME_LIMIT):
    """Run the command line; returns (exit status or None on time-out, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), RNN_STUDIO_PROCESS_PAIR="off")
    try:
        done = subprocess.run(CLI + args, capture_output=True, text=True, timeout=timeout,
                              env=env, stdin=subprocess.DEVNULL, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return done.returncode, done.stdout, done.stderr


def classify(status, out, err, oracle_ok=True):
    """One of CLASSES for a finished command (see the module docstring)."""
    if status is None:
        return "hang"
    lines = [line for line in err.splitlines() if line.strip()]
    if status < 0 or "unexpected error" in err or "Traceback" in err or len(lines) > 1:
        return "unexpected error"
    if status != 0:
        return "clean error" if lines and ": error: " in lines[0] else "unexpected error"
    return "success" if oracle_ok else "silent wrong"


# ---------------------------------------------------------------------------------------
# CSV cases

def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def _write(path, lines, encoding="utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding, errors="replace"))


def _needs(*words):
    """An oracle: the output of a success must contain one of ``words``."""
    return lambda out: any(word in out.lower() for word in words)


def _refused(out):
    return False


def mutate_csv(kind, base, target, rng, path):
    """Write a mutated copy of ``base`` to ``path``; returns the oracle for a success."""
    lines = _lines(EXAMPLES / base)
    header, rows = lines[0].split(","), lines[1:]
    column = header.index(target)
    if kind == "header one short":
        _write(path, [",".join(header[1:])] + rows)
        return _needs("header")
    if kind == "duplicate target name":
        other = next(i for i in range(1, len(header)) if i != column) if len(header) > 2 else 0
        header[other] = target
        _write(path, [",".join(header)] + rows)
        return _refused
    if kind == "rows out of order":
        body = rows[:]
        rng.shuffle(body)
        _write(path, [lines[0]] + body)
        return _needs("sort")
    if kind == "repeated time":
        at = rng.randrange(1, len(rows) - 1)
        body = rows[:at] + [rows[at]] + rows[at:]
        _write(path, [lines[0]] + body)
        return _refused
    if kind == "outlier 1e30":
        at = rng.randrange(len(rows) // 2, len(rows))
        fields = rows[at].split(",")
        fields[column] = "1e30"
        rows[at] = ",".join(fields)
        _write(path, [lines[0]] + rows)
        return _needs("persistence", "outlier", "median absolute deviations")
    # mutations without a single right answer: a success or a clean error
    data = (EXAMPLES / base).read_bytes()
    if kind == "flipped bytes":
        data = bytearray(data)
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
    elif kind == "truncated":
        path.write_bytes(data[:rng.randrange(len(data))])
    elif kind == "ragged row":
        at = rng.randrange(len(rows))
        rows[at] = rows[at] + "," + str(rng.random()) if rng.random() < 0.5 else \
            ",".join(rows[at].split(",")[:-1])
        _write(path, [lines[0]] + rows)
    elif kind == "text in numbers":
        for _ in range(rng.randint(1, 20)):
            at = rng.randrange(len(rows))
            fields = rows[at].split(",")
            fields[rng.randrange(len(fields))] = rng.choice(["abc", "n/a", "-", "?", "1,5",
                                                             "1e999", "inf", "nan", ""])
            rows[at] = ",".join(fields)
        _write(path, [lines[0]] + rows)
    elif kind == "huge values":
        scale = rng.choice(["1e300", "1e307", "1.7e308", "-1.7e308"])
        for at in range(len(rows)):
            fields = rows[at].split(",")
            fields[column] = f"{float(fields[column]) * float(scale) / 1e3:.6g}"
            rows[at] = ",".join(fields)
        _write(path, [lines[0]] + rows)
    elif kind == "other encoding":
        header[column] = header[column] + rng.choice(["é", "ü", "温度", "\u00a0"])
        _write(path, [",".join(header)] + rows, encoding=rng.choice(["cp1252", "utf-16",
                                                                      "utf-8-sig", "latin-1"]))
    elif kind == "tiny file":
        _write(path, lines[:rng.randint(0, 4)])
    elif kind == "other delimiter":
        delimiter = rng.choice([";", "\t", "|", " "])
        _write(path, [line.replace(",", delimiter) for line in lines])
    elif kind == "garbage lines":
        for _ in range(rng.randint(1, 5)):
            junk = "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randint(0, 80)))
            rows.insert(rng.randrange(len(rows)), junk)
        _write(path, [lines[0]] + rows)
    elif kind == "many columns":
        width = rng.choice([500, 2000, 10000])
        names = [f"c{i}" for i in range(width)]
        body = [",".join(str(rng.random())[:6] for _ in range(width)) for _ in range(40)]
        _write(path, [",".join(names)] + body)
        return lambda out: True
    return lambda out: True


CSV_KINDS = ["header one short", "duplicate target name", "rows out of order", "repeated time",
             "outlier 1e30", "flipped bytes", "truncated", "ragged row", "text in numbers",
             "huge values", "other encoding", "tiny file", "other delimiter", "garbage lines",
             "many columns"]


def csv_case(number, seed, folder):
    rng = random.Random(seed * 100_003 + number)
    kind = CSV_KINDS[number % len(CSV_KINDS)]
    base, target, _ = BASES[(number // len(CSV_KINDS)) % len(BASES)]
    data = folder / f"case{number}.csv"
    oracle = mutate_csv(kind, base, target, rng, data)
    if kind == "many columns":
        target = "c0"
    status, out, err = run(["fit", str(data), "--target", target, "--epochs", "3",
                            "--hidden", "4", "--out", str(folder / f"case{number}.model")])
    verdict = classify(status, out, err, oracle_ok=status != 0 or oracle(out + err))
    return {"case": number, "kind": kind, "base": base, "class": verdict, "status": status,
            "stderr": err.strip()[-300:]}


# ---------------------------------------------------------------------------------------
# model cases

def read_model(path):
    """The members of a model file: {name: bytes}."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_model(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def header_of(members):
    return json.loads(bytes(np.load(io.BytesIO(members["header.npy"]))))


def with_header(members, header):
    edited = dict(members)
    edited["header.npy"] = npy_bytes(np.frombuffer(json.dumps(header).encode(), np.uint8))
    return edited


def resigned(members, header, arrays):
    """``members`` with ``header`` and a checksum computed anew, as a forger would: the
    loader can then only refuse values of the wrong type or range."""
    from engine.model.model_file import CHECKSUM_KEY, header_bytes
    header = {key: value for key, value in header.items() if key != CHECKSUM_KEY}
    try:
        raw = header_bytes(header, arrays)
    except ValueError:                           # NaN or infinity: not JSON
        raw = json.dumps(header).encode()
    return {**members, "header.npy": npy_bytes(np.frombuffer(raw, np.uint8))}


def leaves(value, trail=()):
    """Every (path, value) of the JSON leaves of ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, trail + (key,))
    elif isinstance(value, list) and value and len(value) <= 64:
        for index, item in enumerate(value):
            yield from leaves(item, trail + (index,))
    else:
        yield trail, value


def set_leaf(document, trail, value):
    target = document
    for key in trail[:-1]:
        target = target[key]
    target[trail[-1]] = value


def altered_value(value, rng):
    """Another value for a header leaf: a scaled number, another string, another type."""
    choices = ["text", None, -1, 0, 1e300, [], {}, True]
    if isinstance(value, bool):
        choices.append(not value)
    elif isinstance(value, (int, float)):
        choices += [value * 1.5 + 1, -value - 1, value * 1000 + 7]
    elif isinstance(value, str):
        choices += [value.upper(), value + "x", ""]
    return rng.choice(choices)


def model_cases(folder, rng, count):
    """(name, path) of ``count`` altered copies of ``folder/base.model``."""
    base = folder / "base.model"
    members = read_model(base)
    header = header_of(members)
    fields = [trail for trail, _ in leaves(header)]
    cases = []

    def add(name, writer):
        path = folder / f"m{len(cases)}.model"
        writer(path)
        cases.append((name, path))

    arrays = {name[:-4]: np.load(io.BytesIO(data)) for name, data in members.items()
              if name != "header.npy"}
    for trail in fields:                        # every header field, once each
        if len(cases) >= count * 2 // 3:
            break
        edited = json.loads(json.dumps(header))
        set_leaf(edited, trail, altered_value(dict(leaves(header))[trail], rng))
        add("header " + "/".join(map(str, trail)),
            lambda p, e=edited: write_model(p, with_header(members, e)))
        add("re-signed header " + "/".join(map(str, trail)),
            lambda p, e=edited: write_model(p, resigned(members, e, arrays)))
    weights = [name for name in members if name != "header.npy"]
    special = [
        ("zip encryption flag", lambda p: p.write_bytes(_flag_encrypted(base.read_bytes()))),
        ("deflate compression", lambda p: write_model(p, members, zipfile.ZIP_DEFLATED)),
        ("bzip2 compression", lambda p: write_model(p, members, zipfile.ZIP_BZIP2)),
        ("member left out", lambda p: write_model(
            p, {k: v for k, v in members.items() if k != weights[0]})),
        ("header left out", lambda p: write_model(
            p, {k: v for k, v in members.items() if k != "header.npy"})),
        ("extra member", lambda p: write_model(p, {**members, "extra.npy": npy_bytes(
            np.zeros(3))})),
        ("NaN weights", lambda p: write_model(p, {**members, weights[0]: npy_bytes(
            np.full_like(np.load(io.BytesIO(members[weights[0]])), np.nan))})),
        ("weights of another shape", lambda p: write_model(p, {**members, weights[0]: npy_bytes(
            np.zeros((3, 3), np.float32))})),
        ("complex weights", lambda p: write_model(p, {**members, weights[0]: npy_bytes(
            np.load(io.BytesIO(members[weights[0]])).astype(np.complex64))})),
        ("scaled weights", lambda p: write_model(p, {**members, weights[0]: npy_bytes(
            np.load(io.BytesIO(members[weights[0]])) * 2)})),
        ("inflated header", lambda p: write_model(p, with_header(members, {
            **header, "metadata": {"x": [{}] * 2_000_000}}))),
        ("deep header", lambda p: write_model(p, {**members, "header.npy": npy_bytes(
            np.frombuffer(b"[" * 100_000 + b"]" * 100_000, np.uint8))})),
        ("empty file", lambda p: p.write_bytes(b"")),
        ("not a zip", lambda p: p.write_bytes(b"hello, world\n" * 10)),
        ("fifo", lambda p: os.mkfifo(p)),
        ("directory", lambda p: p.mkdir()),
    ]
    for name, writer in special:
        add(name, writer)
    data = base.read_bytes()
    while len(cases) < count:
        if rng.random() < 0.5:
            flips = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                flips[rng.randrange(len(flips))] = rng.randrange(256)
            add("flipped bytes", lambda p, b=bytes(flips): p.write_bytes(b))
        else:
            add("truncated", lambda p, n=rng.randrange(len(data)): p.write_bytes(data[:n]))
    return cases


def _flag_encrypted(data):
    """The archive with bit 0 (encrypted) set in every local and central header."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 1
            at = data.find(signature, at + 4)
    return bytes(data)


def scores(out):
    """The numbers of ``evaluate --json`` output, flattened, or None when it is not JSON."""
    try:
        document = json.loads(out)
    except ValueError:
        return None
    return [value for _, value in leaves(document) if isinstance(value, (int, float))]


def model_case(name, path, data, expected):
    status, out, err = run(["evaluate", str(path), str(data), "--json"], timeout=60)
    # a re-signed file with a valid value is a forgery the checksum cannot see (no signature)
    same = status == 0 and (scores(out) == expected or name.startswith("re-signed"))
    verdict = classify(status, out, err, oracle_ok=status != 0 or same)
    return {"case": path.name, "kind": name, "class": verdict, "status": status,
            "stderr": err.strip()[-300:]}


# ---------------------------------------------------------------------------------------

def tally(results):
    counts = Counter(result["class"] for result in results)
    return {name: counts.get(name, 0) for name in CLASSES}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=int, default=320)
    parser.add_argument("--models", type=int, default=120)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rnn-fuzz-") as tmp, \
            ThreadPoolExecutor(args.workers) as pool:
        folder = Path(tmp)
        csv_results = list(pool.map(lambda n: csv_case(n, args.seed, folder), range(args.csv)))
        data = EXAMPLES / "airline_passengers.csv"
        status, out, err = run(["fit", str(data), "--target", "passengers", "--epochs", "5",
                                "--hidden", "4", "--out", str(folder / "base.model")])
        if status != 0:
            sys.exit(f"the base model could not be fitted: {err}")
        status, out, err = run(["evaluate", str(folder / "base.model"), str(data), "--json"])
        expected = scores(out)
        cases = model_cases(folder, rng, args.models)
        model_results = list(pool.map(lambda case: model_case(*case, data, expected), cases))
        shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"{len(csv_results)} CSV files and {len(model_results)} model files in "
          f"{elapsed:.0f} s")
    print(f"| inputs | {' | '.join(CLASSES)} |")
    print("|---|" + "---|" * len(CLASSES))
    for label, results in (("CSV files", csv_results), ("model files", model_results)):
        counts = tally(results)
        print(f"| {label} | " + " | ".join(str(counts[name]) for name in CLASSES) + " |")
    for result in csv_results + model_results:
        if result["class"] in ("unexpected error", "hang", "silent wrong"):
            print(f"- {result['class']}: {result['kind']} ({result.get('base', '')} "
                  f"{result['case']}): {result['stderr'][-200:]}")
    if args.json:
        Path(args.json).write_text(json.dumps(csv_results + model_results, indent=1))


if __name__ == "__main__":
    main()
