"""Intake: parse, validate, store whole; a TCN seen before is answered from the store.

Every file received is stored with its original bytes, accepted or not. A rejection carries the
full list of violations and an ERRT-style error response, and is itself stored.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import TransactionError, Violation
from scomm.formats import Transaction, parse_transaction, validate_submission, write_errt
from scomm.parallel import cpu_count, worker_pool
from scomm.pipeline.context import PipelineContext
from scomm.pipeline.probes import Probe, ProbePayload, from_payload, probe_of, to_payload
from scomm.records import Agency, Booking, BookingStage, Submission
from scomm.records.audit import append

ACTOR = "cjis:intake"
_WINDOW = 16  # files read ahead of storing: bounds the decoded images held at once
DEFAULT_BOOKING_TIME = time(12, 0)  # Type-1 DAT carries a date only; noon keeps the day unambiguous


@dataclass(frozen=True)
class IntakeResult:
    accepted: bool
    submission_id: int
    tcn: str | None
    booking_id: int | None = None
    duplicate: bool = False
    violations: list[Violation] = field(default_factory=list)
    error_response: bytes | None = None
    probe: Probe | None = field(default=None, compare=False, repr=False)  # when read with extract_probes


Read = tuple[Transaction | None, list[Violation], str | None]


def submit(ctx: PipelineContext, data: bytes, filename: str = "") -> IntakeResult:
    """Receive one transaction file; returns what was stored and, if rejected, why."""
    return _store(ctx, data, filename, _read(data))


def submit_many(ctx: PipelineContext, files: Iterable[tuple[bytes, str]], workers: int | None = None,
                on_each: Callable[[IntakeResult], None] | None = None) -> list[IntakeResult]:
    """Receive many files (bytes, filename): the same records as :func:`submit` on each in turn."""
    results = []
    for result in submit_stream(ctx, files, workers):
        results.append(result)
        if on_each is not None:
            on_each(result)
    return results


def submit_stream(ctx: PipelineContext, files: Iterable[tuple[bytes, str]], workers: int | None = None,
                  extract_probes: bool = False, window: int = _WINDOW) -> Iterator[IntakeResult]:
    """:func:`submit` on each file (bytes, filename) in turn, yielding each result once it is stored.

    Reading (parsing, decoding every image, validating) is the costly part and needs no database, so
    it runs in a process pool, up to ``window`` files ahead of the one being stored; storing runs here,
    in the order given. With ``extract_probes`` the reader also extracts each accepted booking's probe
    templates from the images it has just decoded (saving the identify stage a second decode) and the
    result carries them; a probe that cannot be extracted there is left to the identify stage.
    """
    workers = workers or cpu_count()
    read = _read_with_probe if extract_probes else _read_only
    if workers <= 1:
        for data, filename in files:
            yield _stored(ctx, data, filename, read(data))
        return
    pool = worker_pool(workers)
    ahead: deque[tuple[bytes, str, Future[tuple[Read, ProbePayload | None]]]] = deque()
    try:
        for data, filename in files:
            ahead.append((data, filename, pool.submit(read, data)))
            if len(ahead) >= window:
                data, filename, reading = ahead.popleft()
                yield _stored(ctx, data, filename, reading.result())
        while ahead:
            data, filename, reading = ahead.popleft()
            yield _stored(ctx, data, filename, reading.result())
    finally:
        pool.shutdown(cancel_futures=True)


def _stored(ctx: PipelineContext, data: bytes, filename: str, read: tuple[Read, ProbePayload | None]
            ) -> IntakeResult:
    transaction, payload = read
    result = _store(ctx, data, filename, transaction)
    if payload is not None and result.accepted and not result.duplicate:
        result = replace(result, probe=from_payload(payload))
    return result


def _read_only(data: bytes) -> tuple[Read, None]:
    return _read(data), None


def _read_with_probe(data: bytes) -> tuple[Read, ProbePayload | None]:
    read = _read(data)
    tx, violations, _tcn = read
    if tx is None or violations:
        return read, None
    try:
        return read, to_payload(probe_of(tx))
    except Exception:  # noqa: BLE001 - intake never fails for a probe; the identify stage extracts it again
        return read, None


def _store(ctx: PipelineContext, data: bytes, filename: str, read: Read) -> IntakeResult:
    digest = hashlib.sha256(data).hexdigest()
    tx, violations, tcn = read
    with ctx.db.session() as session:
        if tx is not None and not violations:
            existing = session.scalar(select(Booking).where(Booking.tcn == tx.tcn))
            if existing is not None:
                append(session, ACTOR, "intake.duplicate", tcn=tx.tcn, sha256=digest,
                       same_bytes=_same_bytes(session, existing, digest))
                return IntakeResult(True, existing.submission_id, tx.tcn, existing.id, duplicate=True)
            return _accept(session, ctx, tx, data, digest, filename)
        earlier = session.scalar(select(Submission).where(Submission.sha256 == digest, Submission.accepted.is_(False)))
        if earlier is not None:
            append(session, ACTOR, "intake.duplicate_rejection", tcn=earlier.tcn, submission=earlier.id)
            return IntakeResult(False, earlier.id, earlier.tcn, duplicate=True,
                                violations=[Violation(**v) for v in earlier.violations],
                                error_response=earlier.error_response)
        return _reject(session, tx, tcn, data, digest, filename, violations)


def _read(data: bytes) -> Read:
    """The transaction (None when unreadable), every violation, and the TCN whenever it could be read."""
    try:
        tx = parse_transaction(data)
    except TransactionError as exc:
        return None, exc.violations, exc.tcn
    return tx, validate_submission(tx), tx.tcn


def _same_bytes(session: Session, booking: Booking, digest: str) -> bool:
    return session.get(Submission, booking.submission_id).sha256 == digest  # type: ignore[union-attr]


def booking_time(tx: Transaction) -> datetime:
    when = getattr(tx, "gmt", None)
    if isinstance(when, datetime):
        return when.replace(tzinfo=None)
    day = tx.doa or tx.date
    if day is None:
        raise ValueError("a validated CAR always has a date")
    return datetime.combine(day, DEFAULT_BOOKING_TIME)


def _accept(session: Session, ctx: PipelineContext, tx: Transaction, data: bytes, digest: str, filename: str
            ) -> IntakeResult:
    agency = session.scalar(select(Agency).where(Agency.ori == tx.ori))
    submission = Submission(sha256=digest, tcn=tx.tcn, ori=tx.ori, filename=filename[-200:], raw=data,
                            accepted=True, received_at=ctx.clock())
    session.add(submission)
    session.flush()
    booking = Booking(
        tcn=tx.tcn, submission_id=submission.id, ori=tx.ori or "", tot=tx.tot,
        jurisdiction_id=agency.jurisdiction_id if agency else None, booked_at=booking_time(tx),
        received_at=ctx.clock(), stage=BookingStage.IDENTIFY, name=tx.name or "", dob=tx.dob, sex=tx.sex or "",
        race=tx.race or "", pob=(tx.pob or "")[:2], citizenship=list(tx.ctz or []),
        charges=[{"ncic_code": c.ncic_code, "literal": c.literal, "date": c.date.isoformat() if c.date else None}
                 for c in tx.charges],
        finger_count=sum(1 for f in tx.fingers if 1 <= int(f.position) <= 10))
    session.add(booking)
    session.flush()
    append(session, ACTOR, "intake.accepted", tcn=tx.tcn, ori=tx.ori, tot=tx.tot, sha256=digest,
           fingers=booking.finger_count, agency_known=agency is not None)
    return IntakeResult(True, submission.id, tx.tcn, booking.id)


def _reject(session: Session, tx: Transaction | None, tcn: str | None, data: bytes, digest: str, filename: str,
            violations: list[Violation]) -> IntakeResult:
    ori = tx.ori if tx is not None else None
    errt = write_errt(tcn or "", ori or "", violations)
    submission = Submission(sha256=digest, tcn=tcn, ori=ori, filename=filename[-200:], raw=data, accepted=False,
                            violations=[v.to_dict() for v in violations], error_response=errt)
    session.add(submission)
    session.flush()
    append(session, ACTOR, "intake.rejected", tcn=tcn, submission=submission.id,
           violations=[v.message for v in violations])
    return IntakeResult(False, submission.id, tcn, violations=violations, error_response=errt)
