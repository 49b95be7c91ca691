"""Detain: the ICE-side issuance policy in force on the booking date decides whether a detainer is
lodged, on which basis, or whether a person must review the case first (the citizenship and
crime-victim safeguards).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scomm.pipeline.context import PipelineContext
from scomm.pipeline.determine import record_response, identities
from scomm.pipeline.facts import subject_facts
from scomm.pipeline.identify import AfterCommit
from scomm.records import Booking, BookingStage, Detainer, DetainerState, Jurisdiction
from scomm.records.audit import append
from scomm.rules.detainers import issuance_policy_for
from scomm.rules.levels import LevelDefinition, classify
from scomm.rules.status import determine_status

STATE_FOR_ACTION = {"lodge": DetainerState.LODGED, "human_review": DetainerState.HUMAN_REVIEW,
                    "no_action": DetainerState.NOT_LODGED}


def i247_text(booking: Booking, detainer: Detainer) -> str:
    return "\n".join([
        "IMMIGRATION DETAINER - NOTICE OF ACTION (I-247)", f"TCN: {booking.tcn}", f"TO: {booking.ori}",
        f"FROM: {detainer.issuing_office or 'ICE ERO'}", f"SUBJECT: {booking.name} DOB {booking.dob}",
        f"FILE NO: {booking.a_number or 'UNKNOWN'}", f"DHS HAS: {detainer.basis}",
        "IT IS REQUESTED THAT YOU: MAINTAIN CUSTODY OF ALIEN FOR A PERIOD NOT TO EXCEED 48 HOURS, "
        "EXCLUDING SATURDAYS, SUNDAYS AND HOLIDAYS, BEYOND THE TIME WHEN HE/SHE WOULD HAVE OTHERWISE BEEN "
        "RELEASED; NOTIFY THIS OFFICE OF THE TIME OF RELEASE.", f"POLICY: {detainer.policy} RULE {detainer.rule_id}"])


def run(session: Session, ctx: PipelineContext, booking: Booking) -> AfterCommit:
    criminal, immigration = identities(session, booking)
    facts = subject_facts(booking, criminal, immigration)
    status = determine_status(facts)
    level = classify(facts, LevelDefinition(ctx.settings.level_definition))
    policy = issuance_policy_for(booking.booked_at.date())
    decision = policy.decide(facts, status, level)
    jurisdiction = session.get(Jurisdiction, booking.jurisdiction_id) if booking.jurisdiction_id else None
    detainer = Detainer(booking_id=booking.id, state=STATE_FOR_ACTION[decision.action], action=decision.action,
                        basis=decision.basis.value if decision.basis else None, policy=decision.policy,
                        rule_id=decision.rule_id, reason=decision.reason[:400], level=level.level.value,
                        issuing_office=jurisdiction.ice_office if jurisdiction else "", created_at=ctx.clock())
    session.add(detainer)
    session.flush()
    append(session, "ice:ero", f"detain.{decision.action}", tcn=booking.tcn, policy=decision.policy,
           rule=decision.rule_id, basis=detainer.basis, reason=decision.reason, level=level.level.value)
    if decision.action == "lodge":
        record_response(session, booking, "I247", booking.ori, f"detainer lodged: {detainer.basis}",
                 i247_text(booking, detainer).encode(), "text/plain")
        booking.stage = BookingStage.DECIDE
    else:
        booking.stage = BookingStage.DONE
    return []
