"""Everything known about one booking, in the order it happened: for `scomm show` and examiners."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import RecordNotFound
from scomm.records import AuditEvent, Booking, Detainer, LocalDecisionRecord, MatchRecord, Response


@dataclass
class Timeline:
    booking: Booking
    matches: list[MatchRecord]
    responses: list[Response]
    detainer: Detainer | None
    decision: LocalDecisionRecord | None
    events: list[AuditEvent]

    def render(self, events: bool = True) -> str:
        b = self.booking
        out = [f"TCN {b.tcn}  ORI {b.ori}  TOT {b.tot}  booked {b.booked_at:%Y-%m-%d %H:%M}  stage {b.stage}",
               f"  subject: {b.name}  DOB {b.dob}  SEX {b.sex}  POB {b.pob}  CTZ {','.join(b.citizenship) or '-'}",
               "  charges: " + ("; ".join(f"{c.get('ncic_code') or '????'} {c.get('literal', '')}" for c in b.charges)
                                or "none"),
               f"  fingers: {b.finger_count}  FBI {b.fbi_number or '-'} ({'IDENT' if b.criminal_hit else 'NON-IDENT'})"
               f"  immigration: {_imm(b)}  level {b.level or '-'}  IAR {b.iar_status or '-'}"]
        if b.error:
            out.append(f"  last error: {b.error}")
        for m in self.matches:
            out.append(f"  candidate {m.gallery} #{m.rank}: {m.subject} score {m.score:.3f}{' HIT' if m.is_hit else ''}")
        for r in self.responses:
            out.append(f"  response {r.kind} -> {r.recipient}: {r.summary}")
        if self.detainer:
            d = self.detainer
            out.append(f"  detainer: {d.action} / {d.state}  basis {d.basis or '-'}  {d.policy} rule {d.rule_id}: "
                       f"{d.reason}")
            if d.review_outcome:
                out.append(f"    review: {d.review_outcome}")
            if d.release_at:
                out.append(f"    otherwise-release {d.release_at:%Y-%m-%d %H:%M}  deadline "
                           f"{d.hold_deadline or '-'}  transferred {d.transferred_at or '-'}")
        if self.decision:
            out.append(f"  local decision ({self.decision.policy}): hold={self.decision.hold} "
                       f"notify={self.decision.notify} transfer={self.decision.transfer_in_facility} "
                       f"ice_access={self.decision.ice_access}  rule {self.decision.deciding_rule}")
        if events:
            out.append("  audit events:")
            for e in self.events:
                out.append(f"    #{e.id} {e.at:%Y-%m-%d %H:%M:%S} {e.actor:<22} {e.action:<34} "
                           f"{json.dumps(e.details, default=str)[:160]}")
        return "\n".join(out)


def _imm(b: Booking) -> str:
    if not b.immigration_searched:
        return "not searched"
    return f"MATCH {b.fin} A# {b.a_number or '-'}" if b.immigration_hit else "no match"


def booking_timeline(session: Session, tcn: str) -> Timeline:
    booking = session.scalar(select(Booking).where(Booking.tcn == tcn))
    if booking is None:
        raise RecordNotFound(f"no booking with TCN {tcn!r}")
    return Timeline(
        booking=booking,
        matches=list(session.scalars(select(MatchRecord).where(MatchRecord.booking_id == booking.id)
                                     .order_by(MatchRecord.gallery, MatchRecord.rank))),
        responses=list(session.scalars(select(Response).where(Response.booking_id == booking.id)
                                       .order_by(Response.id))),
        detainer=session.scalar(select(Detainer).where(Detainer.booking_id == booking.id)),
        decision=session.scalar(select(LocalDecisionRecord).where(LocalDecisionRecord.booking_id == booking.id)),
        events=list(session.scalars(select(AuditEvent).where(AuditEvent.tcn == tcn).order_by(AuditEvent.id))))
