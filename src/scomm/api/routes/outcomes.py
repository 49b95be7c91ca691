"""Events after the decision: the jail's otherwise-release, ICE's review and custody.

Each is checked against the caller's scope first, then recorded by `pipeline.outcomes` in its own
transaction (state machine, hold clock, audit event); an impossible move answers 409.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from scomm.api.deps import CustodyRecorder, Reviewer, ReleaseRecorder, ServiceDep
from scomm.api.errors import FailureReason, responses
from scomm.api.principal import Principal
from scomm.api.schemas import CustodyIn, DetainerView, ReleaseIn, ReviewIn
from scomm.api.service import ApiService
from scomm.api.views import booking_in_scope, detainer_view, jurisdiction_code
from scomm.pipeline.outcomes import record_release, record_review, record_transfer
from scomm.records import Detainer
from scomm.records.base import utcnow

router = APIRouter(prefix="/v1", tags=["outcomes"])
R = FailureReason
WRITE_FAILURES = responses(R.UNAUTHENTICATED, R.FORBIDDEN, R.NOT_FOUND, R.CONFLICT, R.RATE_LIMITED)


def _in_scope(service: ApiService, principal: Principal, tcn: str) -> str | None:
    """404 unless the booking is the caller's; returns its jurisdiction code. Reads only, then closes."""
    with service.db.session() as session:
        return jurisdiction_code(session, booking_in_scope(session, principal, tcn))


def _answer(service: ApiService, request: Request, principal: Principal, action: str, tcn: str, code: str | None,
            detainer: Detainer) -> DetainerView:
    service.audit(request, principal, action, tcn=tcn, state=detainer.state)
    return detainer_view(detainer, tcn, code)


@router.post("/jail/{tcn}/release", responses=WRITE_FAILURES)
def report_release(tcn: str, event: ReleaseIn, request: Request, principal: ReleaseRecorder,
                   service: ServiceDep) -> DetainerView:
    """The booking agency reports the moment the person would otherwise be released: a hold starts its
    48-hour clock (weekends and holidays excluded), a declined hold releases."""
    code = _in_scope(service, principal, tcn)
    detainer = record_release(service.ctx, tcn, (event.release_at or utcnow()).replace(tzinfo=None))
    return _answer(service, request, principal, "api.jail.release", tcn, code, detainer)


@router.post("/ice/{tcn}/review", responses=WRITE_FAILURES)
def record_ice_review(tcn: str, review: ReviewIn, request: Request, principal: Reviewer,
                      service: ServiceDep) -> DetainerView:
    """The human review a safeguard required: lodge or cancel, with what the reviewer found."""
    code = _in_scope(service, principal, tcn)
    detainer = record_review(service.ctx, tcn, review.outcome, review.lodge, reviewer=principal.name)
    return _answer(service, request, principal, "api.ice.review", tcn, code, detainer)


@router.post("/ice/{tcn}/custody", responses=WRITE_FAILURES)
def record_custody(tcn: str, event: CustodyIn, request: Request, principal: CustodyRecorder,
                   service: ServiceDep) -> DetainerView:
    """ICE takes custody; refused (409) once a hold has passed its deadline."""
    code = _in_scope(service, principal, tcn)
    detainer = record_transfer(service.ctx, tcn, (event.at or utcnow()).replace(tzinfo=None))
    return _answer(service, request, principal, "api.ice.custody", tcn, code, detainer)
