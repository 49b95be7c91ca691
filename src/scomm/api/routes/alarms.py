"""Alarms: holds still running past their legal deadline, within the caller's scope."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from scomm.api.deps import AlarmReader, ServiceDep, SessionDep
from scomm.api.errors import FailureReason, responses
from scomm.api.schemas import OverdueHolds, OverdueHoldView
from scomm.pipeline.outcomes import overdue_holds
from scomm.records import Booking
from scomm.records.base import utcnow

router = APIRouter(prefix="/v1/alarms", tags=["alarms"])


@router.get("/overdue-holds", responses=responses(FailureReason.UNAUTHENTICATED, FailureReason.FORBIDDEN,
                                                  FailureReason.RATE_LIMITED))
def list_overdue_holds(request: Request, principal: AlarmReader, session: SessionDep, service: ServiceDep,
                       at: Annotated[datetime | None, Query(description="Check against this UTC time")] = None,
                       ) -> OverdueHolds:
    """Every hold past its deadline on a booking the caller may see: each one is an alarm."""
    now = (at or utcnow()).replace(tzinfo=None)
    overdue = overdue_holds(service.ctx, now)
    visible = set(session.scalars(select(Booking.tcn).where(Booking.tcn.in_([o.tcn for o in overdue]),
                                                            principal.bookings())))
    holds = [OverdueHoldView(tcn=o.tcn, ori=o.ori, release_at=o.release_at, deadline=o.deadline,
                             overdue_hours=round(o.overdue_by.total_seconds() / 3600, 2))
             for o in overdue if o.tcn in visible]
    service.audit(request, principal, "api.alarms.overdue_holds", session=session, at=now,
                  disclosed=[h.tcn for h in holds])
    return OverdueHolds(checked_at=now, count=len(holds), holds=holds)
