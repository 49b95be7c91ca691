"""Fuzz benchmark for the ANSI/NIST-ITL interchange: mutate real transactions, expect only clean rejections.

Each case picks a seed transaction (the OpenEBTS CAR files, NIST's Type-4 card, the NBIS Type-6 card and a
`write_car` output), applies one to three mutations, then runs `parse_transaction`, `validate_submission`
and, for a rejection, `write_errt` + `violations_to_json`. Accepting or raising `TransactionError` /
`FormatError` is fine; any other exception is a crash; more than --timeout-per-case seconds is a hang.

    python bench/fuzz_formats.py --cases 100000 --seed 1 --timeout-per-case 5

Cases are reproducible from (--seed, case number): `--replay N` re-runs one case in-process and shows the
traceback. Crashing inputs are written to --save-dir. Seed files are read from ../shared/data (or --data).
"""

from __future__ import annotations

import argparse
import collections
import functools
import multiprocessing
import os
import platform
import random
import re
import signal
import struct
import sys
import time
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from scomm.errors import FormatError
from scomm.formats import (
    CarSubmission,
    Charge,
    parse_transaction,
    validate_submission,
    write_car,
    write_errt,
)
from scomm.formats.reader import read_records
from scomm.formats.tags import BINARY_RECORD_TYPES
from scomm.formats.violations import violations_to_json

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# (name, path under the data folder, weight): image-heavy files are costly to decode, so they are drawn less often.
SEED_FILES: tuple[tuple[str, str, float], ...] = (
    ("NISTFile.ebts", "transactions/openebts/NISTFile.ebts", 0.30),
    ("NISTFile2.ebts", "transactions/openebts/NISTFile2.ebts", 0.006),
    ("nist__sample.an2", "images/nist-wsq/nist__sample.an2", 0.003),
    ("type_6_wvu.an2", "transactions/nbis-an2k/type_6_wvu.an2", 0.04),
)
WRITE_CAR_WEIGHTS = {"write_car-14": 0.40, "write_car-4": 0.235}
MUTATIONS = ("truncate", "wrong_len", "sep_insert", "sep_delete", "sep_swap", "huge_field", "empty_field",
             "image_dims", "wsq_corrupt", "byte_flip", "dup_record", "remove_record")
SEPARATORS = b"\x1c\x1d\x1e\x1f"
HUGE_FIELD_BYTES = (1 << 20, 3 << 20)  # 1-3 MB


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    records: tuple[tuple[int, int, int], ...]  # (record type, start, end) as read from the intact file


class CaseTimeout(BaseException):
    """Raised by the SIGALRM watchdog inside a worker (a BaseException, so no `except Exception` swallows it)."""


# -- seeds ----------------------------------------------------------------------------------------------


def _ridges(height: int, width: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    angle = rng.uniform(0, np.pi)
    image = 128 + 90 * np.sin((x * np.cos(angle) + y * np.sin(angle)) * 2 * np.pi / 9) + rng.normal(0, 8, (height, width))
    return np.clip(image, 0, 255).astype(np.uint8)


def _write_car_seed(record_type: int) -> bytes:
    fingers = {position: _ridges(128, 112, position) for position in ((2, 7) if record_type == 14 else (1,))}
    return write_car(CarSubmission(
        tcn="FUZZ-0001", ori="SC0420000", dai="SC0420000", date=date(2011, 3, 4), name="DOE, JOHN Q",
        dob=date(1980, 1, 2), sex="M", race="W", pob="MX", ctz=["MM"], doa=date(2011, 3, 3), sid="SC12345678",
        fbi="123456AB1", a_number="012345678", charges=[Charge("1313", "SIMPLE ASSAULT", date(2011, 3, 2))],
        fingers=fingers, record_type=record_type, height="510", weight="170", eye="BRO", hair="BLK"))


def _boundaries(data: bytes) -> tuple[tuple[int, int, int], ...]:
    records = read_records(data).records
    ends = [r.offset for r in records[1:]] + [len(data)]
    return tuple((r.type, r.offset, end) for r, end in zip(records, ends))


@functools.lru_cache(maxsize=2)
def load_seeds(data_dir: Path) -> tuple[list[Seed], list[float]]:
    seeds, weights = [], []
    for name, relative, weight in SEED_FILES:
        path = data_dir / relative
        if not path.is_file():
            print(f"warning: seed file absent, skipped: {path}", file=sys.stderr)
            continue
        data = path.read_bytes()
        seeds.append(Seed(name, data, _boundaries(data)))
        weights.append(weight)
    for name, record_type in (("write_car-14", 14), ("write_car-4", 4)):
        data = _write_car_seed(record_type)
        seeds.append(Seed(name, data, _boundaries(data)))
        weights.append(WRITE_CAR_WEIGHTS[name])
    return seeds, weights


# -- mutations ------------------------------------------------------------------------------------------

_TAGGED_LEN = re.compile(rb"(\d{1,2})\.0*1:(\d{1,12})\x1d")
_FIELD = re.compile(rb"[\x1d\x1c]?(\d{1,2})\.(\d{1,4}):")


def _tagged_records(seed: Seed) -> list[tuple[int, int, int]]:
    return [r for r in seed.records if r[0] not in BINARY_RECORD_TYPES]


def _fix_len(data: bytearray, start: int, delta: int) -> None:
    """Rewrite the LEN of the tagged record at `start` after its body changed by `delta` bytes."""
    match = _TAGGED_LEN.match(data, start)
    if not match:
        return
    old = int(match.group(2))
    new = old + delta
    for _ in range(3):  # the digit count of LEN may change the length itself
        candidate = old + delta + len(str(new)) - len(match.group(2))
        if candidate == new:
            break
        new = candidate
    data[match.start(2):match.end(2)] = str(new).encode()


def truncate(rng: random.Random, seed: Seed, data: bytearray) -> None:
    del data[rng.randrange(len(data)):]


def wrong_len(rng: random.Random, seed: Seed, data: bytearray) -> None:
    rtype, start, end = rng.choice(seed.records)
    if start >= len(data):
        return
    delta = rng.choice([-1, 1, -100, 100, rng.randrange(-5000, 5000), 10**9])
    if rtype in BINARY_RECORD_TYPES:
        length = max(0, min(0xFFFFFFFF, end - start + delta)) if delta != 10**9 else rng.choice([0, 1, 0xFFFFFFFF])
        data[start:start + 4] = struct.pack(">I", length)
        return
    match = _TAGGED_LEN.match(data, start)
    if match:
        value = rng.choice([str(max(0, int(match.group(2)) + delta)), "", "abc", "9" * 30, "-5", "0"])
        data[match.start(2):match.end(2)] = value.encode()


def sep_insert(rng: random.Random, seed: Seed, data: bytearray) -> None:
    for _ in range(rng.randint(1, 4)):
        data.insert(rng.randrange(len(data) + 1), rng.choice(SEPARATORS))


def _separator_positions(data: bytearray, limit: int = 20000) -> list[int]:
    return [i for i in range(min(len(data), limit)) if data[i] in SEPARATORS]


def sep_delete(rng: random.Random, seed: Seed, data: bytearray) -> None:
    positions = _separator_positions(data)
    for position in sorted(rng.sample(positions, min(len(positions), rng.randint(1, 3))), reverse=True):
        del data[position]


def sep_swap(rng: random.Random, seed: Seed, data: bytearray) -> None:
    positions = _separator_positions(data)
    for position in rng.sample(positions, min(len(positions), rng.randint(1, 3))):
        data[position] = rng.choice([s for s in SEPARATORS if s != data[position]])


def _field_spans(seed: Seed, data: bytearray) -> list[tuple[int, int, int]]:
    """(record start, value start, value end) of text fields in the tagged records (image data excluded)."""
    spans = []
    for rtype, start, end in _tagged_records(seed):
        body = bytes(data[start:min(end, len(data))])
        for match in _FIELD.finditer(body):
            if match.group(2).lstrip(b"0") == b"999":
                break
            value_start = start + match.end()
            stop = body.find(b"\x1d", match.end())
            spans.append((start, value_start, start + (stop if stop >= 0 else len(body))))
    return spans


def huge_field(rng: random.Random, seed: Seed, data: bytearray) -> None:
    spans = _field_spans(seed, data)
    if not spans:
        return
    record_start, value_start, value_end = rng.choice(spans)
    size = rng.randint(*HUGE_FIELD_BYTES)
    filler = rng.choice([b"A", b"9", b"\x1f", b"\x1e", bytes([rng.randrange(256)])]) * size
    data[value_start:value_end] = filler
    if rng.random() < 0.7:
        _fix_len(data, record_start, size - (value_end - value_start))


def empty_field(rng: random.Random, seed: Seed, data: bytearray) -> None:
    spans = _field_spans(seed, data)
    if not spans:
        return
    for record_start, value_start, value_end in sorted(rng.sample(spans, min(len(spans), rng.randint(1, 3))),
                                                        key=lambda span: -span[1]):
        del data[value_start:value_end]
        if rng.random() < 0.7:
            _fix_len(data, record_start, value_start - value_end)


def image_dims(rng: random.Random, seed: Seed, data: bytearray) -> None:
    images = [r for r in seed.records if r[0] in (3, 4, 5, 6, 14)]
    if not images:
        return wsq_corrupt(rng, seed, data)
    rtype, start, end = rng.choice(images)
    value = rng.choice([0, 1, 2, rng.randrange(65536), 65535, 10000])
    if rtype != 14:
        data[start + 13 + rng.choice([0, 2]):start + 15 + rng.choice([0, 2])] = struct.pack(">H", value)[:2]
        return
    body = bytes(data[start:end])
    tag = rng.choice([b"14.006:", b"14.007:", b"14.6:", b"14.7:"])
    at = body.find(tag)
    if at >= 0:
        stop = body.find(b"\x1d", at)
        text = rng.choice([str(value), "", "-1", "x", str(10**12)]).encode()
        data[start + at + len(tag):start + stop] = text
        if rng.random() < 0.7:
            _fix_len(data, start, len(text) - (stop - at - len(tag)))


def wsq_corrupt(rng: random.Random, seed: Seed, data: bytearray) -> None:
    starts = [m.start() for m in re.finditer(rb"\xff\xa0", bytes(data))] or [0]
    start = rng.choice(starts)
    for _ in range(rng.randint(1, 40)):
        position = start + min(int(rng.expovariate(1 / 400)), 50000)
        if position < len(data):
            data[position] = rng.randrange(256)
    if rng.random() < 0.2:  # a run of zeros or 0xFF: wipes markers and tables
        position = start + rng.randrange(400)
        data[position:position + rng.randint(8, 256)] = bytes([rng.choice([0, 255])]) * rng.randint(8, 256)


def byte_flip(rng: random.Random, seed: Seed, data: bytearray) -> None:
    window = rng.choice([len(data), min(len(data), 2000)])  # often the headers, where parsing decides
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(window)
        data[position] = rng.randrange(256) if rng.random() < 0.5 else data[position] ^ (1 << rng.randrange(8))


def dup_record(rng: random.Random, seed: Seed, data: bytearray) -> None:
    _, start, end = rng.choice(seed.records[1:] or seed.records)
    chunk = bytes(data[start:end])
    data[end:end] = chunk if rng.random() < 0.7 else chunk * rng.randint(2, 4)


def remove_record(rng: random.Random, seed: Seed, data: bytearray) -> None:
    _, start, end = rng.choice(seed.records[1:] or seed.records)
    del data[start:end]


MUTATORS = {name: globals()[name] for name in MUTATIONS}


def make_case(seeds: list[Seed], weights: list[float], run_seed: int, case: int) -> tuple[str, str, bytes]:
    """The mutated input of case `case`: (seed name, mutation kinds joined by '+', bytes)."""
    rng = random.Random(f"{run_seed}:{case}")
    seed = rng.choices(seeds, weights)[0]
    data = bytearray(seed.data)
    kinds = [MUTATIONS[case % len(MUTATIONS)]]  # every kind equally often as the first mutation
    kinds += rng.sample(MUTATIONS, rng.choice([0, 0, 0, 1, 2]))
    for kind in kinds:
        if data:
            MUTATORS[kind](rng, seed, data)
    return seed.name, "+".join(kinds), bytes(data)


# -- running --------------------------------------------------------------------------------------------


def exercise(data: bytes) -> str:
    """'accepted' or 'rejected'; anything other than FormatError propagates (a crash)."""
    try:
        tx = parse_transaction(data)
    except FormatError as exc:
        violations = getattr(exc, "violations", [])
        violations_to_json(violations)
        write_errt("FUZZ-0001", "SC0420000", violations, when=date(2011, 3, 4))
        return "rejected"
    violations = validate_submission(tx)
    violations_to_json(violations)
    if violations:
        write_errt(tx.tcn or "FUZZ-0001", tx.ori or "SC0420000", violations, when=date(2011, 3, 4))
    return "rejected" if violations else "accepted"


_STATE: dict[str, object] = {}


def _on_alarm(signum: int, frame: object) -> None:
    raise CaseTimeout()


def _init_worker(data_dir: str, run_seed: int, timeout: float, save_dir: str) -> None:
    seeds, weights = load_seeds(Path(data_dir))
    Path(save_dir).mkdir(parents=True, exist_ok=True)
    current = open(Path(save_dir) / f"worker-{os.getpid()}.case", "w")  # noqa: SIM115 - lives with the worker
    _STATE.update(seeds=seeds, weights=weights, run_seed=run_seed, timeout=timeout, current=current)
    signal.signal(signal.SIGALRM, _on_alarm)
    quiet = os.open(os.devnull, os.O_WRONLY)  # the WSQ codec prints its complaints on stderr
    os.dup2(quiet, 2)


def run_case(case: int) -> tuple[int, str, str, str, float, str]:
    """(case, seed name, kinds, outcome, seconds, detail) with outcome accepted/rejected/crash/hang."""
    name, kinds, data = make_case(_STATE["seeds"], _STATE["weights"], _STATE["run_seed"], case)  # type: ignore[arg-type]
    current = _STATE["current"]
    current.seek(0)  # type: ignore[attr-defined]
    current.write(f"{case:>12}")  # type: ignore[attr-defined]
    current.flush()  # type: ignore[attr-defined]
    started = time.perf_counter()
    try:
        outcome, detail = _watched(data, float(_STATE["timeout"]))  # type: ignore[arg-type]
    except CaseTimeout:  # the alarm went off between the case's end and disarming it
        outcome, detail = "hang", "finished just past the time limit"
    current.seek(0)  # type: ignore[attr-defined]
    current.write(" " * 12)  # type: ignore[attr-defined]
    current.flush()  # type: ignore[attr-defined]
    return case, name, kinds, outcome, time.perf_counter() - started, detail


def _watched(data: bytes, timeout: float) -> tuple[str, str]:
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return exercise(data), ""
    except CaseTimeout:
        return "hang", f"over {timeout} s"
    except Exception as exc:  # noqa: BLE001 - the point of the fuzzer: anything else is a crash
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:
            detail += f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}"
        return "crash", detail
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def run_chunk(cases: range) -> list[tuple[int, str, str, str, float, str]]:
    return [run_case(case) for case in cases]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout-per-case", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=20)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--save-dir", type=Path, default=Path("/tmp/scomm-fuzz"))
    parser.add_argument("--replay", type=int, default=None, help="re-run one case in-process, with traceback")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        args.data = Path("/work/shared/data")
    if args.replay is not None:
        seeds, weights = load_seeds(args.data)
        name, kinds, data = make_case(seeds, weights, args.seed, args.replay)
        print(f"case {args.replay}: {name} {kinds} {len(data)} bytes")
        print(exercise(data))
        return 0
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    outcomes: collections.Counter[str] = collections.Counter()
    by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures: list[tuple[int, str, str, str, str]] = []
    slowest = (0.0, -1, "")
    for stale in args.save_dir.glob("worker-*.case"):
        stale.unlink()
    started = time.perf_counter()
    # The SIGALRM watchdog catches Python-level hangs; a hang inside C code that ignores it is caught here.
    backstop = args.chunk * args.timeout_per_case + 60
    with multiprocessing.get_context("fork").Pool(
            args.workers, _init_worker, (str(args.data), args.seed, args.timeout_per_case, str(args.save_dir)),
            maxtasksperchild=2000) as pool:
        chunks = [range(start, min(start + args.chunk, args.cases)) for start in range(0, args.cases, args.chunk)]
        results = pool.imap_unordered(run_chunk, chunks)
        done = 0
        for _ in chunks:
            try:
                batch = results.next(timeout=backstop)
            except multiprocessing.TimeoutError:
                why = f"no result for {backstop} s: the worker died (e.g. SIGSEGV) or is stuck in C code"
                for case in _in_flight(args.save_dir):
                    _tally(args, case, "?", "?", "crash", backstop, why, outcomes, by_kind, failures)
                print(f"stopped after {done} cases: {why}", flush=True)
                pool.terminate()
                break
            for case, name, kinds, outcome, seconds, detail in batch:
                done += 1
                _tally(args, case, name, kinds, outcome, seconds, detail, outcomes, by_kind, failures)
                slowest = max(slowest, (seconds, case, f"{name} {kinds}"))
                if done % 5000 == 0:
                    elapsed = time.perf_counter() - started
                    print(f"{done} cases, {elapsed:.0f} s, {done / elapsed:.1f} cases/s, {dict(outcomes)}", flush=True)
    elapsed = time.perf_counter() - started
    _report(args, outcomes, by_kind, failures, slowest, elapsed)
    return 1 if failures else 0


def _tally(args: argparse.Namespace, case: int, name: str, kinds: str, outcome: str, seconds: float, detail: str,
           outcomes: collections.Counter[str], by_kind: dict[str, collections.Counter[str]],
           failures: list[tuple[int, str, str, str, str]]) -> None:
    outcomes[outcome] += 1
    by_kind[kinds.split("+")[0]][outcome] += 1
    if outcome in ("crash", "hang"):
        failures.append((case, name, kinds, outcome, detail))
        _save(args, case)


def _in_flight(save_dir: Path) -> list[int]:
    """Cases a worker has started and not finished (each worker blanks its file after a case)."""
    return [int(text) for path in save_dir.glob("worker-*.case") if (text := path.read_text().strip())]


def _save(args: argparse.Namespace, case: int) -> None:
    args.save_dir.mkdir(parents=True, exist_ok=True)
    seeds, weights = load_seeds(args.data)
    _, _, data = make_case(seeds, weights, args.seed, case)
    (args.save_dir / f"case-{args.seed}-{case}.bin").write_bytes(data)


def _report(args: argparse.Namespace, outcomes: collections.Counter[str],
            by_kind: dict[str, collections.Counter[str]], failures: list[tuple[int, str, str, str, str]],
            slowest: tuple[float, int, str], elapsed: float) -> None:
    total = sum(outcomes.values())
    print(f"\ncases {total}  accepted {outcomes['accepted']}  rejected {outcomes['rejected']}  "
          f"crashes {outcomes['crash']}  hangs {outcomes['hang']}")
    print(f"elapsed {elapsed:.0f} s  {total / elapsed:.1f} cases/s  workers {args.workers}  "
          f"slowest case {slowest[1]} ({slowest[2]}) {slowest[0]:.2f} s")
    print(f"python {platform.python_version()}  cpus {os.cpu_count()}")
    print("\nfirst mutation | cases | accepted | rejected | crash | hang")
    for kind in MUTATIONS:
        counts = by_kind.get(kind, collections.Counter())
        print(f"{kind} | {sum(counts.values())} | {counts['accepted']} | {counts['rejected']} | "
              f"{counts['crash']} | {counts['hang']}")
    for case, name, kinds, outcome, detail in failures[:50]:
        print(f"{outcome.upper()} case {case} ({name} {kinds}): {detail}")


if __name__ == "__main__":
    sys.exit(main())
