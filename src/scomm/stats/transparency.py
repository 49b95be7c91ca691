"""Transparency indicators, per jurisdiction and month, that the oversight bodies asked for.

Each indicator is a count over stored records, placed in the month of the event's own date:

detainers, share non-criminal, share Level 1
    Lodged detainers (``Detainer.action == "lodge"``), by the booking month (the I-247 is prepared during
    the booking; ``Detainer.created_at`` records when scomm processed it, which for a replayed or synthetic
    stream is later). Level as stored on the detainer.
removals, share non-criminal, share Level 1
    Detainers in state ``removed``, by the removal month (``Detainer.closed_at``).
citizen detainers
    Detainer decisions of any action (lodged, not lodged, sent to human review) on people whose status
    determination says United States citizen (``iar_status`` ``usc_naturalized`` or ``usc_derived``), or
    whose human review outcome names citizenship. By booking month.
holds past deadline
    Holds (``hold_deadline`` set) that ended after their deadline — by transfer to ICE or by release — or
    that are still running past it at the end of the period. By the deadline's month.
traffic-only matches
    Immigration matches whose booking charges are all traffic offenses (NCIC 5400–5499) — the GAO's most
    common arrest charge. By booking month.
declined
    Local decisions not to hold (``LocalDecisionRecord.hold`` false), by the rule that decided, by booking
    month.

Public views (`public_rows`) suppress small cells: a count from 1 to 9 is shown as "<10", and a share
whose numerator or denominator was suppressed is withheld. No view carries personal data: rows are
jurisdiction × month aggregates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.records import Booking, Detainer, DetainerState, Jurisdiction, LocalDecisionRecord
from scomm.rules.hold_clock import is_overdue
from scomm.stats.disclosure import SMALL_CELL, public_share, share, suppress

CITIZEN_STATUSES = frozenset({"usc_naturalized", "usc_derived"})
TRAFFIC = (5400, 5499)  # NCIC traffic offense range


def is_traffic_only(charges: list[dict[str, object]]) -> bool:
    """True when there is at least one charge and every charge's NCIC code is a traffic offense."""
    codes = [str(c.get("ncic_code") or "") for c in charges]
    return bool(codes) and all(c.isdigit() and TRAFFIC[0] <= int(c) <= TRAFFIC[1] for c in codes)


@dataclass
class TransparencyRow:
    jurisdiction: str
    state: str
    county: str
    month: str  # YYYY-MM
    detainers: int = 0
    detainers_non_criminal: int = 0
    detainers_level_1: int = 0
    removals: int = 0
    removals_non_criminal: int = 0
    removals_level_1: int = 0
    citizen_detainers: int = 0
    holds_past_deadline: int = 0
    matches: int = 0
    traffic_only_matches: int = 0
    declined: Counter[str] = field(default_factory=Counter)

    COUNTS = ("detainers", "detainers_non_criminal", "detainers_level_1", "removals", "removals_non_criminal",
              "removals_level_1", "citizen_detainers", "holds_past_deadline", "matches", "traffic_only_matches")
    SHARES = {"detainers_non_criminal_share": ("detainers_non_criminal", "detainers"),
              "detainers_level_1_share": ("detainers_level_1", "detainers"),
              "removals_non_criminal_share": ("removals_non_criminal", "removals"),
              "removals_level_1_share": ("removals_level_1", "removals"),
              "traffic_only_share": ("traffic_only_matches", "matches")}

    @property
    def declined_total(self) -> int:
        return sum(self.declined.values())

    def as_dict(self) -> dict[str, object]:
        row: dict[str, object] = {"jurisdiction": self.jurisdiction, "state": self.state, "county": self.county,
                                  "month": self.month}
        row |= {name: getattr(self, name) for name in self.COUNTS}
        row |= {name: share(getattr(self, n), getattr(self, d)) for name, (n, d) in self.SHARES.items()}
        return row | {"declined": self.declined_total, "declined_by_rule": dict(sorted(self.declined.items()))}

    def public_dict(self, threshold: int = SMALL_CELL) -> dict[str, object]:
        row: dict[str, object] = {"jurisdiction": self.jurisdiction, "state": self.state, "county": self.county,
                                  "month": self.month}
        row |= {name: suppress(getattr(self, name), threshold) for name in self.COUNTS}
        row |= {name: public_share(getattr(self, n), getattr(self, d), threshold)
                for name, (n, d) in self.SHARES.items()}
        return row | {"declined": suppress(self.declined_total, threshold),
                      "declined_by_rule": {r: suppress(n, threshold) for r, n in sorted(self.declined.items())}}


def _month(at: datetime | date) -> str:
    return f"{at.year:04d}-{at.month:02d}"


class _Grid:
    """Rows keyed by (jurisdiction id, month), created on first use, limited to the period."""

    def __init__(self, jurisdictions: dict[int, Jurisdiction], start: date | None, through: date | None) -> None:
        self.jurisdictions = jurisdictions
        self.start, self.through = start, through
        self.rows: dict[tuple[int | None, str], TransparencyRow] = {}

    def at(self, jid: int | None, when: datetime | None) -> TransparencyRow | None:
        if when is None or (self.start and when.date() < self.start) or (self.through and when.date() > self.through):
            return None
        key = (jid, _month(when))
        if key not in self.rows:
            j = self.jurisdictions.get(jid) if jid is not None else None
            self.rows[key] = TransparencyRow(j.code if j else "UNREGISTERED", j.state if j else "--",
                                             j.county if j else "", key[1])
        return self.rows[key]


def _citizen(booking: Booking, detainer: Detainer) -> bool:
    reviewed = (detainer.review_outcome or "").lower()
    return booking.iar_status in CITIZEN_STATUSES or "citizen" in reviewed


def _hold_overdue(d: Detainer, as_of: datetime) -> bool:
    if d.hold_deadline is None:
        return False
    ended = d.transferred_at or (d.closed_at if d.state == DetainerState.RELEASED else None)
    if ended is None:
        return d.state == DetainerState.HELD and is_overdue(d.hold_deadline, as_of)
    return is_overdue(d.hold_deadline, ended)


def _add_detainer(grid: _Grid, b: Booking, d: Detainer, as_of: datetime) -> None:
    booked = grid.at(b.jurisdiction_id, b.booked_at)
    if booked is not None:
        booked.citizen_detainers += _citizen(b, d)
        if d.action == "lodge":
            booked.detainers += 1
            booked.detainers_non_criminal += d.level == "non_criminal"
            booked.detainers_level_1 += d.level == "level_1"
    if d.state == DetainerState.REMOVED and (removed := grid.at(b.jurisdiction_id, d.closed_at)) is not None:
        removed.removals += 1
        removed.removals_non_criminal += d.level == "non_criminal"
        removed.removals_level_1 += d.level == "level_1"
    if _hold_overdue(d, as_of) and (held := grid.at(b.jurisdiction_id, d.hold_deadline)) is not None:
        held.holds_past_deadline += 1


def transparency_indicators(session: Session, through: date | None = None, start: date | None = None,
                            state: str | None = None) -> list[TransparencyRow]:
    """Indicator rows, one per jurisdiction and month with any event, ordered by jurisdiction and month."""
    jurisdictions = {j.id: j for j in session.scalars(select(Jurisdiction))}
    grid = _Grid(jurisdictions, start, through)
    as_of = datetime.combine(through, datetime.max.time()) if through else datetime.now()
    for b in session.scalars(select(Booking).where(Booking.immigration_hit.is_(True))):
        if (row := grid.at(b.jurisdiction_id, b.booked_at)) is not None:
            row.matches += 1
            row.traffic_only_matches += is_traffic_only(b.charges)
    for b, d in session.execute(select(Booking, Detainer).join(Detainer, Detainer.booking_id == Booking.id)):
        _add_detainer(grid, b, d, as_of)
    declined = select(Booking.jurisdiction_id, Booking.booked_at, LocalDecisionRecord.deciding_rule).join(
        LocalDecisionRecord, LocalDecisionRecord.booking_id == Booking.id).where(LocalDecisionRecord.hold.is_(False))
    for jid, booked_at, rule in session.execute(declined):
        if (row := grid.at(jid, booked_at)) is not None:
            row.declined[rule] += 1
    rows = [r for r in grid.rows.values() if state is None or r.state == state.upper()]
    return sorted(rows, key=lambda r: (r.state, r.jurisdiction, r.month))


def public_rows(rows: list[TransparencyRow], threshold: int = SMALL_CELL) -> list[dict[str, object]]:
    """The rows as a public view may show them: small cells suppressed, shares from them withheld."""
    return [r.public_dict(threshold) for r in rows]
