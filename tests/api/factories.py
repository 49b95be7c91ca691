"""Small entity factories: jurisdictions, bookings with responses, detainers and decisions, API clients.

They write rows directly (no synthetic world, no fingerprints), so scope tests stay fast.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from scomm.api.clients import add_client
from scomm.records import (Booking, BookingStage, Detainer, DetainerState, Jurisdiction, LocalDecisionRecord, Response,
                           Submission)

BOOKED = datetime(2012, 3, 5, 9, 0)


def jurisdiction(session: Session, code: str, state: str, ice_office: str) -> Jurisdiction:
    row = Jurisdiction(code=code, name=code.title(), state=state, county=code.split("-")[-1].title(),
                       activated_on=BOOKED.date() - timedelta(days=365), ice_office=ice_office,
                       policy_names=["honor-all"])
    session.add(row)
    session.flush()
    return row


def booking(session: Session, tcn: str, ori: str, where: Jurisdiction | None,
            kinds: tuple[str, ...] = ("SRE", "IAQ", "IAR", "I247")) -> Booking:
    raw = f"CAR {tcn}".encode()
    submission = Submission(sha256=hashlib.sha256(raw).hexdigest(), tcn=tcn, ori=ori, raw=raw, accepted=True)
    session.add(submission)
    session.flush()
    row = Booking(tcn=tcn, submission_id=submission.id, ori=ori, tot="CAR", booked_at=BOOKED,
                  jurisdiction_id=where.id if where else None, stage=BookingStage.DONE, name="DOE, JANE",
                  criminal_hit=True, fbi_number="123456AB7", immigration_searched=True, immigration_hit=True,
                  iar_status="removable", level="level_1")
    session.add(row)
    session.flush()
    for kind in kinds:
        session.add(Response(booking_id=row.id, kind=kind, recipient=ori, summary=f"{kind} for {tcn}",
                             body=f"{kind}:{tcn}".encode(), content_type="text/plain"))
    return row


def detainer(session: Session, b: Booking, state: str = DetainerState.LODGED, hold: bool = True,
             release_at: datetime | None = None, deadline: datetime | None = None) -> Detainer:
    row = Detainer(booking_id=b.id, state=state, action="lodge", basis="final_order", policy="ice-2011",
                   rule_id="level-1", reason="level 1 offender", issuing_office="ERO", level="level_1",
                   release_at=release_at, hold_deadline=deadline)
    session.add(row)
    session.flush()
    session.add(LocalDecisionRecord(booking_id=b.id, detainer_id=row.id, policy="honor-all", hold=hold, notify=True,
                                    transfer_in_facility=False, ice_access=True, hold_hours=48,
                                    deciding_rule="honor"))
    return row


@dataclass
class World:
    """Two states, three jurisdictions, two ICE offices; one token per kind of caller."""

    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def build_world(session: Session) -> World:
    suffolk = jurisdiction(session, "MA-SUFFOLK", "MA", "Boston")
    middlesex = jurisdiction(session, "MA-MIDDLESEX", "MA", "Boston")
    cook = jurisdiction(session, "IL-COOK", "IL", "Chicago")
    detainer(session, booking(session, "TCN-A1", "MA0000001", suffolk))
    detainer(session, booking(session, "TCN-A2", "MA0000001", suffolk), state=DetainerState.HELD,
             release_at=datetime(2012, 3, 6, 9), deadline=datetime(2012, 3, 8, 9))
    detainer(session, booking(session, "TCN-B1", "IL0000001", cook))
    detainer(session, booking(session, "TCN-B2", "IL0000001", cook), state=DetainerState.HUMAN_REVIEW)
    detainer(session, booking(session, "TCN-C1", "MA0000002", middlesex))
    world = World()
    for name, role, scope in [("agency_a", "booking_agency", {"ori": "MA0000001"}),
                              ("agency_b", "booking_agency", {"ori": "IL0000001"}),
                              ("agency_test", "booking_agency", {"ori": "TEST00001"}),
                              ("sib_ma", "state_bureau", {"state": "MA"}),
                              ("ice_boston", "ice", {"ice_office": "Boston"}),
                              ("ice_chicago", "ice", {"ice_office": "Chicago"}),
                              ("auditor", "auditor", {})]:
        client, token = add_client(session, name, role, **scope)
        world.tokens[name] = token
        world.ids[name] = client.id
    return world
