"""After the decision: the jail's release event, the hold clock, ICE custody, removal, reviews.

A detainer's life is a state machine (records.DetainerState). Each move is checked here and written
with its timestamp and an audit event. The hold clock is a safeguard, not an option: a hold ends at
its deadline, and a hold still running past it raises an alarm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import PipelineError, RecordNotFound
from scomm.logs import get_logger
from scomm.pipeline.context import PipelineContext
from scomm.records import AuditEvent, Booking, Detainer, DetainerState, LocalDecisionRecord
from scomm.records.audit import append
from scomm.rules.hold_clock import hold_deadline, is_overdue

log = get_logger(__name__)
HOLD_ALARM = "alarm.hold_overdue"
ALLOWED_MOVES: dict[str, set[str]] = {
    DetainerState.LODGED: {DetainerState.HELD, DetainerState.RELEASED, DetainerState.TRANSFERRED,
                           DetainerState.CANCELLED},
    DetainerState.HELD: {DetainerState.RELEASED, DetainerState.TRANSFERRED},
    DetainerState.TRANSFERRED: {DetainerState.REMOVED, DetainerState.RELEASED},
    DetainerState.HUMAN_REVIEW: {DetainerState.LODGED, DetainerState.CANCELLED},
}


@dataclass(frozen=True)
class OverdueHold:
    tcn: str
    ori: str
    release_at: datetime
    deadline: datetime
    overdue_by: timedelta


def _load(session: Session, tcn: str) -> tuple[Booking, Detainer]:
    booking = session.scalar(select(Booking).where(Booking.tcn == tcn))
    if booking is None:
        raise RecordNotFound(f"no booking with TCN {tcn}")
    detainer = session.scalar(select(Detainer).where(Detainer.booking_id == booking.id))
    if detainer is None:
        raise RecordNotFound(f"booking {tcn} has no detainer decision")
    return booking, detainer


def _move(session: Session, booking: Booking, detainer: Detainer, to: str, actor: str, **details: object) -> None:
    if to not in ALLOWED_MOVES.get(detainer.state, set()):
        raise PipelineError(f"detainer of {booking.tcn} cannot go from {detainer.state} to {to}", tcn=booking.tcn,
                            stage="outcome")
    append(session, actor, f"detainer.{to}", tcn=booking.tcn, previous=detainer.state, **details)
    detainer.state = to


def record_release(ctx: PipelineContext, tcn: str, release_at: datetime) -> Detainer:
    """The jail reports the moment the person would otherwise be released; a hold starts its clock."""
    with ctx.db.session() as session:
        booking, detainer = _load(session, tcn)
        decision = session.scalar(select(LocalDecisionRecord).where(LocalDecisionRecord.booking_id == booking.id))
        if detainer.state != DetainerState.LODGED or decision is None:
            raise PipelineError(f"{tcn}: release recorded only for a lodged, decided detainer "
                                f"(state {detainer.state})", tcn=tcn, stage="outcome")
        detainer.release_at = release_at
        actor = f"jail:{booking.ori}"
        if decision.hold:
            detainer.hold_deadline = hold_deadline(release_at, decision.hold_hours)
            _move(session, booking, detainer, DetainerState.HELD, actor, release_at=release_at,
                  deadline=detainer.hold_deadline, hours=decision.hold_hours, policy=decision.policy)
        else:
            if decision.notify:
                append(session, actor, "detainer.notified", tcn=tcn, release_at=release_at)
            _move(session, booking, detainer, DetainerState.RELEASED, actor, release_at=release_at,
                  reason=f"hold declined under {decision.policy} ({decision.deciding_rule})")
            detainer.closed_at = release_at
        return detainer


def record_transfer(ctx: PipelineContext, tcn: str, at: datetime) -> Detainer:
    """ICE takes custody. Refused when the hold has already passed its deadline: that person is free."""
    with ctx.db.session() as session:
        booking, detainer = _load(session, tcn)
        if detainer.state == DetainerState.HELD and detainer.hold_deadline and is_overdue(detainer.hold_deadline, at):
            raise PipelineError(f"{tcn}: hold deadline {detainer.hold_deadline} passed before transfer at {at}; "
                                "the person must be released", tcn=tcn, stage="outcome")
        _move(session, booking, detainer, DetainerState.TRANSFERRED, f"ice:{detainer.issuing_office or 'ero'}",
              at=at)
        detainer.transferred_at = at
        return detainer


def record_jail_release(ctx: PipelineContext, tcn: str, at: datetime, reason: str) -> Detainer:
    """A held person released by the jail (ICE did not come, or the deadline arrived)."""
    with ctx.db.session() as session:
        booking, detainer = _load(session, tcn)
        _move(session, booking, detainer, DetainerState.RELEASED, f"jail:{booking.ori}", at=at, reason=reason,
              overdue=bool(detainer.hold_deadline and is_overdue(detainer.hold_deadline, at)))
        detainer.closed_at = at
        return detainer


def record_removal(ctx: PipelineContext, tcn: str, at: datetime) -> Detainer:
    with ctx.db.session() as session:
        booking, detainer = _load(session, tcn)
        _move(session, booking, detainer, DetainerState.REMOVED, "ice:ero", at=at, level=detainer.level)
        detainer.closed_at = at
        return detainer


def record_review(ctx: PipelineContext, tcn: str, outcome: str, lodge: bool, reviewer: str) -> Detainer:
    """The human review a safeguard required: its outcome is recorded, whichever way it went."""
    with ctx.db.session() as session:
        booking, detainer = _load(session, tcn)
        if detainer.state != DetainerState.HUMAN_REVIEW:
            raise PipelineError(f"{tcn}: no review pending (state {detainer.state})", tcn=tcn, stage="review")
        detainer.review_outcome = outcome[:200]
        _move(session, booking, detainer, DetainerState.LODGED if lodge else DetainerState.CANCELLED,
              f"ice:reviewer:{reviewer}", outcome=outcome)
        return detainer


def overdue_holds(ctx: PipelineContext, now: datetime) -> list[OverdueHold]:
    """Holds still running past their legal deadline: each one is an alarm."""
    with ctx.db.session() as session:
        rows = session.execute(select(Booking.tcn, Booking.ori, Detainer.release_at, Detainer.hold_deadline)
                               .join(Detainer, Detainer.booking_id == Booking.id)
                               .where(Detainer.state == DetainerState.HELD))
        return [OverdueHold(tcn, ori, rel, dl, now - dl) for tcn, ori, rel, dl in rows
                if dl is not None and is_overdue(dl, now)]


def raise_hold_alarms(ctx: PipelineContext, now: datetime) -> list[OverdueHold]:
    """Every hold running past its deadline at `now`, each raised as an alarm: an audit event the first time
    it is seen overdue (so the log shows when the system knew) and a warning every time it is still found."""
    found = overdue_holds(ctx, now)
    if not found:
        return found
    with ctx.db.session() as session:
        known = set(session.scalars(select(AuditEvent.tcn).where(AuditEvent.action == HOLD_ALARM,
                                                                 AuditEvent.tcn.in_([o.tcn for o in found]))))
        for o in found:
            hours = round(o.overdue_by.total_seconds() / 3600, 2)
            log.warning("hold past its deadline: release the person", tcn=o.tcn, ori=o.ori,
                        deadline=o.deadline.isoformat(), overdue_hours=hours)
            if o.tcn not in known:
                append(session, "scomm:hold-clock", HOLD_ALARM, tcn=o.tcn, deadline=o.deadline.isoformat(),
                       checked_at=now.isoformat(), overdue_hours=hours)
    return found
