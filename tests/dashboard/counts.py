"""Expected numbers, counted straight from the rows with plain queries (not through scomm.stats)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.records import Booking, Detainer, Jurisdiction


def _month(at: object) -> str:
    return f"{at.year:04d}-{at.month:02d}"  # type: ignore[attr-defined]


def searched_by_month(s: Session, state: str | None = None) -> Counter[str]:
    """Bookings searched against the immigration repository, by booking month."""
    query = (select(Booking.booked_at).outerjoin(Jurisdiction, Jurisdiction.id == Booking.jurisdiction_id)
             .where(Booking.immigration_searched.is_(True)))
    if state:
        query = query.where(Jurisdiction.state == state)
    return Counter(_month(at) for at in s.scalars(query))


def searched_by_state(s: Session) -> Counter[str]:
    query = (select(Jurisdiction.state).join(Booking, Booking.jurisdiction_id == Jurisdiction.id)
             .where(Booking.immigration_searched.is_(True)))
    return Counter(s.scalars(query))


def matches_by_level(s: Session) -> Counter[str]:
    return Counter(s.scalars(select(Booking.level).where(Booking.immigration_hit.is_(True))))


def lodged_by_level(s: Session) -> Counter[str]:
    return Counter(s.scalars(select(Detainer.level).where(Detainer.action == "lodge")))


def removed_by_level(s: Session) -> Counter[str]:
    return Counter(s.scalars(select(Detainer.level).where(Detainer.state == "removed")))


def lodged_in(s: Session, code: str) -> int:
    """Detainers that reached the jail (lodged, whatever happened next) in one jurisdiction."""
    query = (select(Detainer.id).join(Booking, Booking.id == Detainer.booking_id)
             .join(Jurisdiction, Jurisdiction.id == Booking.jurisdiction_id)
             .where(Jurisdiction.code == code, Detainer.action == "lodge"))
    return len(list(s.scalars(query)))
