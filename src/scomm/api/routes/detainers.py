"""Detainers within the caller's scope, optionally for one jurisdiction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from scomm.api.deps import DetainerReader, ServiceDep, SessionDep
from scomm.api.errors import FailureReason, responses
from scomm.api.schemas import DetainerList
from scomm.api.views import detainer_view
from scomm.records import Booking, Detainer, Jurisdiction

router = APIRouter(prefix="/v1", tags=["detainers"])
MAX_ROWS = 5000


@router.get("/detainers", responses=responses(FailureReason.UNAUTHENTICATED, FailureReason.FORBIDDEN,
                                              FailureReason.RATE_LIMITED))
def list_detainers(request: Request, principal: DetainerReader, session: SessionDep, service: ServiceDep,
                   jurisdiction: Annotated[str | None, Query(max_length=32, description="Jurisdiction code")] = None,
                   state: Annotated[str | None, Query(max_length=16, description="Detainer state")] = None,
                   limit: Annotated[int, Query(ge=1, le=MAX_ROWS)] = 500) -> DetainerList:
    """Detainer decisions on the bookings the caller may see (a jurisdiction outside its scope lists none)."""
    query = (select(Detainer, Booking.tcn, Jurisdiction.code).join(Booking, Booking.id == Detainer.booking_id)
             .outerjoin(Jurisdiction, Jurisdiction.id == Booking.jurisdiction_id).where(principal.bookings())
             .order_by(Detainer.id).limit(limit))
    if jurisdiction:
        query = query.where(Jurisdiction.code == jurisdiction)
    if state:
        query = query.where(Detainer.state == state)
    found = [detainer_view(d, tcn, code) for d, tcn, code in session.execute(query)]
    service.audit(request, principal, "api.detainers.list", session=session, jurisdiction=jurisdiction, state=state,
                  disclosed=[d.tcn for d in found])
    return DetainerList(count=len(found), detainers=found)
