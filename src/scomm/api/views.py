"""Reading records within the caller's scope and turning them into the answers' models.

A record outside the caller's scope is answered exactly like an absent one (404): saying 403 would
confirm to one agency that another agency booked that TCN. The audit log keeps the difference.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.api.errors import ApiError, FailureReason
from scomm.api.principal import Capability, Principal
from scomm.api.schemas import DetainerView, ResponseInfo, TransactionStatus
from scomm.pipeline.runner import MAX_ATTEMPTS
from scomm.records import (ApiUpload, Booking, BookingStage, ClientRole, Detainer, Jurisdiction, Response,
                           Submission)


def not_found(what: str, why: str) -> ApiError:
    return ApiError(FailureReason.NOT_FOUND, f"no {what}", audit={"scope": why, "record": what})


def booking_in_scope(session: Session, principal: Principal, tcn: str) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.tcn == tcn, principal.bookings()))
    if booking is None:
        exists = session.scalar(select(Booking.id).where(Booking.tcn == tcn)) is not None
        raise not_found(f"transaction {tcn}", "out_of_scope" if exists else "absent")
    return booking


def submission_in_scope(session: Session, principal: Principal, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    visible = submission is not None and (
        principal.role == ClientRole.AUDITOR
        or (principal.role == ClientRole.BOOKING_AGENCY and submission.ori is not None
            and submission.ori == principal.ori)
        or session.scalar(select(ApiUpload.id).where(ApiUpload.submission_id == submission_id,
                                                     ApiUpload.client_id == principal.client_id)) is not None)
    if not visible:
        raise not_found(f"submission {submission_id}", "absent" if submission is None else "out_of_scope")
    assert submission is not None
    return submission


def jurisdiction_code(session: Session, booking: Booking) -> str | None:
    if booking.jurisdiction_id is None:
        return None
    return session.scalar(select(Jurisdiction.code).where(Jurisdiction.id == booking.jurisdiction_id))


def status_of(booking: Booking) -> str:
    if booking.stage == BookingStage.DONE:
        return "done"
    if booking.attempts >= MAX_ATTEMPTS:
        return "failed"
    return "retrying" if booking.error else "processing"


def response_url(tcn: str, kind: str) -> str:
    return f"/v1/transactions/{tcn}/responses/{kind}"


def readable_responses(session: Session, principal: Principal, booking: Booking) -> list[Response]:
    rows = session.scalars(select(Response).where(Response.booking_id == booking.id).order_by(Response.id))
    return [r for r in rows if principal.may_read_response(r.kind)]


def response_info(r: Response, tcn: str) -> ResponseInfo:
    return ResponseInfo(kind=r.kind, created_at=r.created_at, recipient=r.recipient, summary=r.summary,
                        content_type=r.content_type, url=response_url(tcn, r.kind))


def detainer_view(d: Detainer, tcn: str, jurisdiction: str | None) -> DetainerView:
    return DetainerView(tcn=tcn, jurisdiction=jurisdiction, state=d.state, action=d.action, basis=d.basis,
                        level=d.level, issuing_office=d.issuing_office, policy=d.policy, rule_id=d.rule_id,
                        reason=d.reason, created_at=d.created_at, review_outcome=d.review_outcome,
                        release_at=d.release_at, hold_deadline=d.hold_deadline, transferred_at=d.transferred_at,
                        closed_at=d.closed_at)


def transaction_status(session: Session, principal: Principal, booking: Booking) -> TransactionStatus:
    """The booking as this caller may see it: IAR status and detainer only to those who may read them."""
    code = jurisdiction_code(session, booking)
    immigration = principal.may_read_response("IAR")  # the DHS side's answer, and what follows from it
    detainer = None
    if principal.may(Capability.READ_DETAINERS):
        row = session.scalar(select(Detainer).where(Detainer.booking_id == booking.id))
        detainer = detainer_view(row, booking.tcn, code) if row is not None else None
    return TransactionStatus(
        tcn=booking.tcn, submission_id=booking.submission_id, status=status_of(booking), stage=booking.stage,
        ori=booking.ori, jurisdiction=code, received_at=booking.received_at, booked_at=booking.booked_at,
        fbi_number=booking.fbi_number, criminal_hit=booking.criminal_hit,
        immigration_searched=booking.immigration_searched,
        immigration_hit=booking.immigration_hit if immigration else None,
        iar_status=booking.iar_status if immigration else None, level=booking.level if immigration else None,
        error=booking.error, responses=[response_info(r, booking.tcn)
                                        for r in readable_responses(session, principal, booking)],
        detainer=detainer)
