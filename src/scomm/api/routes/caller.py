"""Who am I: the caller's role and scope as the service sees them (the dashboard shows it after a token)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from scomm.api.deps import CurrentClient, ServiceDep
from scomm.api.disclosure import threshold_for
from scomm.api.errors import FailureReason, responses
from scomm.api.schemas import CallerOut

router = APIRouter(prefix="/v1", tags=["system"])


@router.get("/me", responses=responses(FailureReason.UNAUTHENTICATED, FailureReason.RATE_LIMITED))
def me(request: Request, principal: CurrentClient, service: ServiceDep) -> CallerOut:
    """The role, scope and capabilities of the credentials sent (the public without any)."""
    public = principal.client_id is None
    answer = CallerOut(role=principal.role, name=None if public else principal.name, ori=principal.ori,
                       state=principal.state, ice_office=principal.ice_office,
                       capabilities=sorted(c.value for c in principal.capabilities),
                       suppression_threshold=threshold_for(principal, service))
    service.audit(request, principal, "api.me")
    return answer
