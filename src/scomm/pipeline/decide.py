"""Decide: the receiving jurisdiction's policy in force on the booking date decides hold, notify,
transfer in the facility and ICE access, each citing the rule that fired.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import PolicyError
from scomm.pipeline.context import PipelineContext
from scomm.pipeline.determine import identities
from scomm.pipeline.facts import subject_facts
from scomm.pipeline.identify import AfterCommit
from scomm.records import Booking, BookingStage, Detainer, Jurisdiction, LocalDecisionRecord
from scomm.records.audit import append
from scomm.rules.facts import DetainerBasis
from scomm.rules.policies import JurisdictionPolicy, LocalFacts, load_policy

NO_POLICY_ON_FILE = "honor_all"  # the I-247's own request applies where a jurisdiction adopted no policy


def policy_for(jurisdiction: Jurisdiction | None, on: date) -> JurisdictionPolicy:
    """Among the jurisdiction's policy files, the one in force on `on` that took effect last."""
    names = list(jurisdiction.policy_names) if jurisdiction and jurisdiction.policy_names else [NO_POLICY_ON_FILE]
    in_force = [p for p in map(load_policy, names) if p.spec.in_force(on)]
    if not in_force:
        raise PolicyError(f"no policy of {jurisdiction.code if jurisdiction else 'unknown'} in force on {on}")
    return max(in_force, key=lambda p: p.spec.effective_from)


def run(session: Session, ctx: PipelineContext, booking: Booking) -> AfterCommit:
    detainer = session.scalar(select(Detainer).where(Detainer.booking_id == booking.id))
    assert detainer is not None, "decide runs only after a lodged detainer"
    jurisdiction = session.get(Jurisdiction, booking.jurisdiction_id) if booking.jurisdiction_id else None
    policy = policy_for(jurisdiction, booking.booked_at.date())
    criminal, immigration = identities(session, booking)
    facts = LocalFacts(subject=subject_facts(booking, criminal, immigration),
                       detainer_basis=DetainerBasis(detainer.basis) if detainer.basis else None,
                       reimbursement_agreement=bool(jurisdiction and jurisdiction.reimbursement_agreement))
    decision = policy.evaluate(facts)
    session.add(LocalDecisionRecord(
        booking_id=booking.id, detainer_id=detainer.id, policy=decision.policy, hold=decision.hold.allowed,
        notify=decision.notify.allowed, transfer_in_facility=decision.transfer_in_facility.allowed,
        ice_access=decision.ice_access.allowed, hold_hours=decision.hold_hours,
        deciding_rule=decision.hold.rule_id[:80], outcomes=decision.to_dict(), decided_at=ctx.clock()))
    actor = f"jail:{booking.ori}"
    append(session, actor, "decide.local_policy", tcn=booking.tcn, policy=decision.policy,
           hold=decision.hold.allowed, hold_rule=decision.hold.rule_id, hold_reason=decision.hold.reason,
           notify=decision.notify.allowed, transfer_in_facility=decision.transfer_in_facility.allowed,
           ice_access=decision.ice_access.allowed, hold_hours=decision.hold_hours)
    booking.stage = BookingStage.DONE
    return []
