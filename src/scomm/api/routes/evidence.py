"""Examiner evidence for a booking's search candidate, as a PNG (see scomm.pipeline.evidence).

The picture shows the candidate's enrolment prints, so it is disclosed only to callers who may read that
gallery's answer for the booking: the criminal-history candidate with the SRE, the immigration candidate
with the IAR. Out-of-scope bookings answer 404 like absent ones.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi import Response as HttpResponse

from scomm.api.deps import BookingReader, ServiceDep, SessionDep
from scomm.api.errors import ApiError, FailureReason, responses
from scomm.api.views import booking_in_scope
from scomm.pipeline.evidence import EvidenceUnavailable, hit_evidence

router = APIRouter(prefix="/v1", tags=["transactions"])


class EvidenceGallery(StrEnum):
    criminal = "criminal"
    immigration = "immigration"


ANSWER_OF = {EvidenceGallery.criminal: "SRE", EvidenceGallery.immigration: "IAR"}


@router.get("/transactions/{tcn}/evidence/{gallery}", response_class=HttpResponse, responses={
    200: {"content": {"image/png": {}}, "description": "Both prints of each compared finger, paired minutiae "
                                                       "joined, finger and fused scores"},
    **responses(FailureReason.UNAUTHENTICATED, FailureReason.FORBIDDEN, FailureReason.NOT_FOUND,
                FailureReason.RATE_LIMITED)})
def evidence(tcn: Annotated[str, Path(max_length=40)], gallery: EvidenceGallery, request: Request,
             principal: BookingReader, session: SessionDep, service: ServiceDep,
             rank: Annotated[int, Query(ge=1, le=10)] = 1,
             finger: Annotated[int | None, Query(ge=1, le=10)] = None) -> HttpResponse:
    """The examiner's picture for the booking's candidate at `rank` in `gallery` (one finger with `finger`)."""
    booking = booking_in_scope(session, principal, tcn)
    answer = ANSWER_OF[gallery]
    if not principal.may_read_response(answer):
        raise ApiError(FailureReason.FORBIDDEN, f"role {principal.role} may not read {gallery} search results",
                       audit={"tcn": tcn, "gallery": gallery.value})
    try:
        found = hit_evidence(session, booking.tcn, gallery.value, rank, [finger] if finger else None)
    except EvidenceUnavailable as exc:
        raise ApiError(FailureReason.NOT_FOUND, str(exc), audit={"tcn": tcn, "gallery": gallery.value}) from exc
    service.audit(request, principal, "api.transactions.evidence", tcn=tcn, subject=found.subject, session=session,
                  gallery=gallery.value, rank=rank, fingers=[f.position for f in found.fingers])
    return HttpResponse(content=found.png(), media_type="image/png",
                        headers={"Content-Disposition": f'inline; filename="{booking.tcn}-{gallery.value}-{rank}.png"'})
