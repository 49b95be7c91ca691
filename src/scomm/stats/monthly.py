"""Monthly series for the dashboard's trend and level views: the interoperability counts month by month.

Each month's submissions, IDENT matches, ICE book-ins and removals are the interoperability report's own
definitions (``interoperability.tally_event``), applied with the window clipped to that month, so a month
of this series and a one-month report always agree. Detainers are lodged detainers by booking month with
the level stored on the detainer, as the transparency indicators define them.

The series is contiguous: every month from the first to the last month with any event inside the window,
zeros included, so a chart's gaps are real zeros. ``total`` sums the whole window (each event once).
With ``state`` or ``jurisdiction`` given, only bookings of registered jurisdictions in it are counted.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.records import Booking, Detainer, Jurisdiction
from scomm.stats.interoperability import FIRST_ACTIVATION, LEVELS, Tally, _events, _level, tally_event


@dataclass
class MonthTally:
    """One month (``YYYY-MM``, or ``total``) of the series."""

    month: str
    interoperability: Tally = field(default_factory=Tally)
    detainers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def total_detainers(self) -> int:
        return sum(self.detainers.values())


@dataclass
class MonthlySeries:
    start: date
    through: date
    state: str | None
    jurisdiction: str | None
    months: list[MonthTally]
    total: MonthTally


def month_key(at: date | datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"


def _month_window(key: str, start: date, through: date) -> tuple[date, date]:
    """The days of month ``key`` that lie inside [start, through]."""
    year, month = int(key[:4]), int(key[5:])
    first, last = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    return max(first, start), min(last, through)


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    keys = []
    while f"{year:04d}-{month:02d}" <= last:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _scope_ids(session: Session, state: str | None, jurisdiction: str | None) -> set[int] | None:
    """Jurisdiction ids the series is limited to; None for the whole nation (unregistered ORIs included)."""
    if state is None and jurisdiction is None:
        return None
    query = select(Jurisdiction.id)
    if state:
        query = query.where(Jurisdiction.state == state.upper())
    if jurisdiction:
        query = query.where(Jurisdiction.code == jurisdiction)
    return set(session.scalars(query))


def monthly_series(session: Session, through: date, start: date = FIRST_ACTIVATION, state: str | None = None,
                   jurisdiction: str | None = None) -> MonthlySeries:
    """The month-by-month counts in [start, through]; see the module docstring."""
    scope = _scope_ids(session, state, jurisdiction)
    months: dict[str, MonthTally] = {}
    total = MonthTally("total")

    def month(at: date | datetime) -> MonthTally:
        return months.setdefault(month_key(at), MonthTally(month_key(at)))

    for e in _events(session):
        if scope is not None and e.jurisdiction_id not in scope:
            continue
        tally_event(total.interoperability, e, start, through)
        # an event counts in the month of its own date: each distinct month of its dates gets one pass
        dates = {month_key(at): at for at in (e.booked_at, e.transferred_at, e.closed_at)
                 if at is not None and start <= at.date() <= through}
        for key, at in dates.items():
            tally_event(month(at).interoperability, e, *_month_window(key, start, through))
    lodged = (select(Booking.jurisdiction_id, Booking.booked_at, Detainer.level)
              .join(Detainer, Detainer.booking_id == Booking.id).where(Detainer.action == "lodge"))
    for jid, booked_at, level in session.execute(lodged):
        if (scope is None or jid in scope) and start <= booked_at.date() <= through:
            month(booked_at).detainers[_level(level)] += 1
            total.detainers[_level(level)] += 1
    keys = _months_between(min(months), max(months)) if months else []
    return MonthlySeries(start, through, state.upper() if state else None, jurisdiction,
                         [months.get(k) or MonthTally(k) for k in keys], total)
