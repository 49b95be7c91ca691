"""Advancing bookings through the stages, durably.

Each stage runs in its own transaction together with the booking's move to the next stage, so a
process killed at any point resumes at the stage in flight. A stage that fails is recorded on the
booking and in the audit log, and retried on the next run up to `MAX_ATTEMPTS`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.pipeline import decide, detain, determine, identify
from scomm.logs import get_logger
from scomm.pipeline.context import PipelineContext
from scomm.pipeline.intake import IntakeResult, submit_stream
from scomm.pipeline.probes import ProbePrefetcher
from scomm.records import Booking, BookingStage, Submission
from scomm.records.audit import append

log = get_logger(__name__)
MAX_ATTEMPTS = 3
Stage = Callable[[Session, PipelineContext, Booking], list[Callable[[], None]]]
STAGES: dict[str, Stage] = {BookingStage.IDENTIFY: identify.run, BookingStage.DETERMINE: determine.run,
                            BookingStage.DETAIN: detain.run, BookingStage.DECIDE: decide.run}


@dataclass
class RunStats:
    completed: int = 0
    failed: list[str] = field(default_factory=list)


def pending_ids(ctx: PipelineContext) -> list[int]:
    with ctx.db.session() as s:
        return list(s.scalars(select(Booking.id).where(Booking.stage != BookingStage.DONE,
                                                       Booking.attempts < MAX_ATTEMPTS).order_by(Booking.id)))


def advance(ctx: PipelineContext, booking_id: int) -> str:
    """Run one stage of one booking in one transaction; returns the stage it is at afterwards."""
    with ctx.db.session() as session:
        booking = session.get(Booking, booking_id)
        assert booking is not None
        stage = STAGES.get(booking.stage)
        if stage is None:
            return booking.stage
        before = booking.stage
        after = stage(session, ctx, booking)
        append(session, "pipeline", "stage.completed", tcn=booking.tcn, stage=before, next=booking.stage)
        now = booking.stage
    for hook in after:  # in-memory galleries follow the database, never lead it
        hook()
    return now


def _record_failure(ctx: PipelineContext, booking_id: int, exc: BaseException) -> str:
    with ctx.db.session() as session:
        booking = session.get(Booking, booking_id)
        assert booking is not None
        booking.attempts += 1
        booking.error = f"{booking.stage}: {type(exc).__name__}: {exc}"[:400]
        append(session, "pipeline", "stage.failed", tcn=booking.tcn, stage=booking.stage, attempt=booking.attempts,
               error=booking.error, trace=traceback.format_exc(limit=3)[-1500:])
        log.warning("stage failed", tcn=booking.tcn, stage=booking.stage, attempt=booking.attempts,
                    retried=booking.attempts < MAX_ATTEMPTS, error=booking.error)
        return booking.tcn


def run_booking(ctx: PipelineContext, booking_id: int) -> bool:
    """Advance one booking to DONE; False if a stage failed (recorded, retried on a later run)."""
    stage = ""
    while stage != BookingStage.DONE:
        try:
            stage = advance(ctx, booking_id)
        except Exception as exc:  # noqa: BLE001 - one bad booking must not stop the stream
            _record_failure(ctx, booking_id, exc)
            return False
    return True


def _identify_jobs(ctx: PipelineContext, ids: list[int]) -> Iterator[tuple[int, bytes]]:
    """(booking id, original bytes) of the bookings still to be identified, read one at a time."""
    for booking_id in ids:
        with ctx.db.session() as s:
            row = s.execute(select(Booking.stage, Submission.raw).join(Submission, Submission.id == Booking.submission_id)
                            .where(Booking.id == booking_id)).first()
        if row is not None and row.stage == BookingStage.IDENTIFY:
            yield booking_id, row.raw


def run_pending(ctx: PipelineContext, on_progress: Callable[[int, int], None] | None = None,
                workers: int | None = None, ids: list[int] | None = None) -> RunStats:
    """Advance every unfinished booking (or those of ``ids``) to the end; `on_progress(done, total)` after
    each booking.

    With more than one worker, probe extraction runs ahead in a process pool; the stages themselves
    run here, in booking order, so galleries and records change in one place only.
    """
    ids = pending_ids(ctx) if ids is None else ids
    stats = RunStats()
    with ProbePrefetcher(workers) as prefetcher:
        ctx.prefetcher = prefetcher
        try:
            _run_all(ctx, ids, prefetcher, stats, on_progress)
        finally:
            ctx.prefetcher = None
    return stats


def _run_all(ctx: PipelineContext, ids: list[int], prefetcher: ProbePrefetcher, stats: RunStats,
             on_progress: Callable[[int, int], None] | None) -> None:
    jobs = _identify_jobs(ctx, ids)
    for n, booking_id in enumerate(ids, start=1):
        prefetcher.feed(jobs)
        _run_counted(ctx, booking_id, stats)
        if on_progress:
            on_progress(n, len(ids))


def _run_counted(ctx: PipelineContext, booking_id: int, stats: RunStats) -> None:
    if run_booking(ctx, booking_id):
        stats.completed += 1
    else:
        with ctx.db.session() as s:
            stats.failed.append(s.get(Booking, booking_id).tcn)  # type: ignore[union-attr]


def run_stream(ctx: PipelineContext, files: Iterable[tuple[bytes, str]], workers: int | None = None,
               on_intake: Callable[[IntakeResult], None] | None = None,
               on_done: Callable[[int], None] | None = None) -> tuple[list[IntakeResult], RunStats]:
    """Finish the bookings earlier runs left unfinished, then receive files (bytes, filename) and take
    each new booking through every stage as soon as it is stored.

    The records are those of :func:`submit_many` followed by :func:`run_pending`; the work is not:
    each file is parsed, decoded and validated once, in a worker that also extracts the probe from the
    decoded images, and the workers read ahead while the stages run here. `on_intake` is called with
    each intake result, `on_done` with each booking id taken to the end (or to a recorded failure).
    """
    left = pending_ids(ctx)
    stats = RunStats()
    if left:
        stats = run_pending(ctx, (lambda n, _total: on_done(left[n - 1])) if on_done else None, workers, ids=left)
    earlier = set(left)
    results: list[IntakeResult] = []
    for result in submit_stream(ctx, files, workers, extract_probes=True):
        results.append(result)
        if on_intake is not None:
            on_intake(result)
        if result.booking_id is None or result.duplicate or result.booking_id in earlier:
            continue
        if result.probe is not None:
            ctx.probes[result.booking_id] = result.probe
        _run_counted(ctx, result.booking_id, stats)
        if on_done is not None:
            on_done(result.booking_id)
    return results, stats
