"""The program summary: submissions, hits, statuses, levels, detainers and local decisions.

Every figure is a count over stored records; nothing is estimated or written in by hand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scomm.records import (AuditEvent, Booking, BookingStage, Detainer, Jurisdiction, LocalDecisionRecord,
                           Submission)

LEVELS = ("level_1", "level_2", "level_3", "non_criminal")


@dataclass
class JurisdictionRow:
    code: str
    name: str
    state: str
    activated_on: str
    submissions: int = 0
    immigration_searched: int = 0
    immigration_matches: int = 0
    detainers: int = 0
    holds_honored: int = 0
    holds_declined: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    policies: Counter[str] = field(default_factory=Counter)


@dataclass
class ProgramSummary:
    received: int
    accepted: int
    rejected: int
    bookings_done: int
    bookings_pending: int
    bookings_failed: int
    criminal_idents: int
    criminal_non_idents: int
    immigration_searched: int
    immigration_not_searched: int
    immigration_matches: int
    iar_statuses: dict[str, int]
    match_levels: dict[str, int]
    detainer_actions: dict[str, int]
    detainer_states: dict[str, int]
    removals_by_level: dict[str, int]
    jurisdictions: list[JurisdictionRow]
    audit_events: int

    @property
    def holds_honored(self) -> int:
        return sum(j.holds_honored for j in self.jurisdictions)

    @property
    def holds_declined(self) -> int:
        return sum(j.holds_declined for j in self.jurisdictions)


def _count(session: Session, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(Booking).where(*where)) or 0


def _grouped(session: Session, column: object, *where: object) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column))  # type: ignore[arg-type]
    return {str(k): int(v) for k, v in rows if k is not None}


def _jurisdictions(session: Session) -> list[JurisdictionRow]:
    rows = {j.id: JurisdictionRow(j.code, j.name, j.state, str(j.activated_on or "not activated"))
            for j in session.scalars(select(Jurisdiction).order_by(Jurisdiction.state, Jurisdiction.code))}
    unknown = JurisdictionRow("UNREGISTERED", "ORIs of no registered jurisdiction", "--", "not activated")
    by_id: defaultdict[int | None, JurisdictionRow] = defaultdict(lambda: unknown, rows)
    for b in session.execute(select(Booking.jurisdiction_id, Booking.immigration_searched, Booking.immigration_hit)):
        row = by_id[b.jurisdiction_id]
        row.submissions += 1
        row.immigration_searched += bool(b.immigration_searched)
        row.immigration_matches += bool(b.immigration_hit)
    lodged = select(Booking.jurisdiction_id, Detainer.id).join(Detainer, Detainer.booking_id == Booking.id)
    for jid, _ in session.execute(lodged.where(Detainer.action == "lodge")):
        by_id[jid].detainers += 1
    decisions = select(Booking.jurisdiction_id, LocalDecisionRecord).join(
        LocalDecisionRecord, LocalDecisionRecord.booking_id == Booking.id)
    for jid, d in session.execute(decisions):
        row = by_id[jid]
        row.holds_honored += d.hold
        row.holds_declined += not d.hold
        row.rules[f"{'hold' if d.hold else 'decline'}: {d.policy} / {d.deciding_rule}"] += 1
        row.policies[d.policy] += 1
    return list(rows.values()) + ([unknown] if unknown.submissions else [])


def program_summary(session: Session) -> ProgramSummary:
    received = session.scalar(select(func.count()).select_from(Submission)) or 0
    accepted = session.scalar(select(func.count()).select_from(Submission).where(Submission.accepted)) or 0
    hits = Booking.immigration_hit.is_(True)
    removals = select(Detainer.level, func.count()).where(Detainer.state == "removed").group_by(Detainer.level)
    return ProgramSummary(
        received=received, accepted=accepted, rejected=received - accepted,
        bookings_done=_count(session, Booking.stage == BookingStage.DONE),
        bookings_pending=_count(session, Booking.stage != BookingStage.DONE, Booking.attempts < 3),
        bookings_failed=_count(session, Booking.stage != BookingStage.DONE, Booking.attempts >= 3),
        criminal_idents=_count(session, Booking.criminal_hit.is_(True)),
        criminal_non_idents=_count(session, Booking.criminal_hit.is_(False)),
        immigration_searched=_count(session, Booking.immigration_searched.is_(True)),
        immigration_not_searched=_count(session, Booking.immigration_searched.is_(False)),
        immigration_matches=_count(session, hits),
        iar_statuses=_grouped(session, Booking.iar_status, hits),
        match_levels={lv: _count(session, hits, Booking.level == lv) for lv in LEVELS},
        detainer_actions=_grouped(session, Detainer.action),
        detainer_states=_grouped(session, Detainer.state),
        removals_by_level={str(k): int(v) for k, v in session.execute(removals)},
        jurisdictions=_jurisdictions(session),
        audit_events=session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
