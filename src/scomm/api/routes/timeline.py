"""A booking's timeline: every step with its time, as far as the caller's role may read.

Out-of-scope bookings answer 404 like absent ones (api.views.booking_in_scope). What each role sees
follows the same lines as the transaction status: responses by kind (`Principal.may_read_response`),
detainer and local decision only with `detainers.read`, the immigration side's audit events only to
those who may read the IAR, and the API's own access events to auditors only. Audit details are never
shown: they can carry subject ids and scores that the role may not read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from scomm.api.deps import BookingReader, ServiceDep, SessionDep
from scomm.api.errors import FailureReason, responses
from scomm.api.principal import Capability, Principal
from scomm.api.schemas import BookingTimelineOut, TimelineStep
from scomm.api.views import booking_in_scope, transaction_status
from scomm.pipeline.timeline import Timeline, booking_timeline
from scomm.records import ClientRole, Detainer, LocalDecisionRecord

router = APIRouter(prefix="/v1", tags=["bookings"])
# Audit actions that reveal the immigration side (match, status, level, detainer, local decision).
IMMIGRATION_ACTIONS = ("identify.immigration", "determine.", "detain.", "detainer.", "decide.", "respond.iaq",
                       "respond.iar", "respond.i247", "screen287g.")


def _detainer_steps(d: Detainer) -> list[TimelineStep]:
    marks = [(d.created_at, f"detainer {d.action}", f"{d.policy} rule {d.rule_id}: {d.reason}"),
             (d.release_at, "otherwise-release", "release time reported by the jail"),
             (d.hold_deadline, "hold deadline", "end of the hold the local policy allows"),
             (d.transferred_at, "transferred to ICE", "ICE took custody"),
             (d.closed_at, f"detainer {d.state}", d.review_outcome or "")]
    return [TimelineStep(at=at, step=step, detail=detail, source="detainer") for at, step, detail in marks if at]


def _decision_step(r: LocalDecisionRecord) -> TimelineStep:
    held = "hold" if r.hold else "decline"
    return TimelineStep(at=r.decided_at, step=f"local decision: {held}",
                        detail=f"{r.policy} rule {r.deciding_rule}", source="decision")


def _audit_visible(principal: Principal, action: str) -> bool:
    if action.startswith("api."):
        return principal.role == ClientRole.AUDITOR
    return principal.may_read_response("IAR") or not action.startswith(IMMIGRATION_ACTIONS)


def timeline_steps(principal: Principal, t: Timeline) -> list[TimelineStep]:
    """The steps of `t` this caller may read, oldest first."""
    b = t.booking
    steps = [TimelineStep(at=b.booked_at, step="booked", detail=f"ORI {b.ori}", source="booking"),
             TimelineStep(at=b.received_at, step="received", detail=f"TOT {b.tot}", source="booking")]
    steps += [TimelineStep(at=r.created_at, step=f"response {r.kind}", detail=r.summary, source="response")
              for r in t.responses if principal.may_read_response(r.kind)]
    if principal.may(Capability.READ_DETAINERS):
        steps += _detainer_steps(t.detainer) if t.detainer else []
        steps += [_decision_step(t.decision)] if t.decision else []
    steps += [TimelineStep(at=e.at, step=e.action, detail=e.actor, source="audit")
              for e in t.events if _audit_visible(principal, e.action)]
    return sorted(steps, key=lambda s: s.at.replace(tzinfo=None))  # stored times are UTC, some naive


@router.get("/bookings/{tcn}/timeline", responses=responses(FailureReason.UNAUTHENTICATED, FailureReason.FORBIDDEN,
                                                            FailureReason.NOT_FOUND, FailureReason.RATE_LIMITED))
def timeline(request: Request, principal: BookingReader, session: SessionDep, service: ServiceDep,
             tcn: Annotated[str, Path(max_length=40)]) -> BookingTimelineOut:
    """The booking's steps in time order (404 when it is absent or outside the caller's scope)."""
    booking = booking_in_scope(session, principal, tcn)
    answer = BookingTimelineOut(transaction=transaction_status(session, principal, booking),
                                steps=timeline_steps(principal, booking_timeline(session, booking.tcn)))
    service.audit(request, principal, "api.bookings.timeline", tcn=tcn, session=session, disclosed=[tcn])
    return answer
