"""Interoperability statistics in the structure of ICE's monthly "IDENT/IAFIS Interoperability Statistics".

The published tables (domain.md §7.1) were cumulative from the first activation (27 Oct 2008) through a
month-end: a national summary, then one row per state and one per county with its activation date. This
module computes the same tables from the records the pipeline produced. Definitions, each counted once,
by the date named:

submission
    A booking whose fingerprints were searched against the immigration repository (IDENT), i.e. a
    booking from an activated jurisdiction on or after its activation date (``Booking.immigration_searched``).
    Bookings from jurisdictions not yet activated were searched against IAFIS only and are not
    interoperability submissions. Counted by the booking date (``Booking.booked_at``).
IDENT match
    A submission that matched an immigration record (``Booking.immigration_hit``), split by the
    priority level the pipeline determined for the booking (``Booking.level``, under the level definition
    in force in the settings): Level 1, and Levels 2 and 3 together as ICE published them; matches of
    people with no criminal conviction are shown separately. Counted by the booking date.
ICE book-in
    A detainer whose person was taken into ICE custody (``Detainer.transferred_at`` is set; the state may
    since have moved on to removed), split by the level on the detainer (Levels 1, 2, 3, non-criminal).
    Counted by the transfer date.
removal
    A detainer in state ``removed``, split by level as above; "non-criminal" means no criminal conviction
    recorded (the person may have had pending charges). Counted by the removal date (``Detainer.closed_at``).

The window is ``start <= date <= through`` for each event's own date. Shares are fractions (0–1) of the
row's own totals, ``None`` where the total is zero. The national row counts every booking, including
those from ORIs of no registered jurisdiction; state and county rows count registered jurisdictions
activated on or before ``through``. With ``state`` given, the state and county rows are limited to that
state; the national row stays national, for comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.records import Booking, Detainer, DetainerState, Jurisdiction
from scomm.stats.disclosure import SMALL_CELL, share, suppress_record

FIRST_ACTIVATION = date(2008, 10, 27)  # Harris County TX, the program's first activation (domain.md §7.1)
LEVELS = ("level_1", "level_2", "level_3", "non_criminal")
# Each share of a row and the two counts it is built from (for withholding shares in public views).
PUBLIC_SHARES = {"match_rate": ("matches", "submissions"),
                 "matches_level_1_share": ("matches_level_1", "matches"),
                 "book_ins_level_1_share": ("book_ins_level_1", "book_ins"),
                 "book_ins_non_criminal_share": ("book_ins_non_criminal", "book_ins"),
                 "removals_level_1_share": ("removals_level_1", "removals"),
                 "removals_non_criminal_share": ("removals_non_criminal", "removals")}


@dataclass
class Tally:
    """The counts of one row: submissions, matches, book-ins and removals, the last three by level."""

    submissions: int = 0
    matches: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    book_ins: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    removals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    def add(self, other: Tally) -> None:
        self.submissions += other.submissions
        for mine, theirs in ((self.matches, other.matches), (self.book_ins, other.book_ins),
                             (self.removals, other.removals)):
            for level, n in theirs.items():
                mine[level] = mine.get(level, 0) + n

    @property
    def total_matches(self) -> int:
        return sum(self.matches.values())

    @property
    def matches_level_1(self) -> int:
        return self.matches["level_1"]

    @property
    def matches_level_2_3(self) -> int:
        return self.matches["level_2"] + self.matches["level_3"]

    @property
    def total_book_ins(self) -> int:
        return sum(self.book_ins.values())

    @property
    def total_removals(self) -> int:
        return sum(self.removals.values())

    def shares(self) -> dict[str, float | None]:
        return {
            "match_rate": share(self.total_matches, self.submissions),
            "matches_level_1_share": share(self.matches_level_1, self.total_matches),
            "book_ins_level_1_share": share(self.book_ins["level_1"], self.total_book_ins),
            "book_ins_non_criminal_share": share(self.book_ins["non_criminal"], self.total_book_ins),
            "removals_level_1_share": share(self.removals["level_1"], self.total_removals),
            "removals_non_criminal_share": share(self.removals["non_criminal"], self.total_removals),
        }


@dataclass
class InteroperabilityRow:
    """One line of the report: the nation, a state or a county (jurisdiction)."""

    scope: str  # national / state / county
    state: str
    name: str
    activated_on: date | None
    tally: Tally = field(default_factory=Tally)
    code: str = ""  # jurisdiction code for county rows

    def as_dict(self) -> dict[str, object]:
        """A flat record: the column names of the CSV and JSON renderings."""
        t = self.tally
        row: dict[str, object] = {
            "scope": self.scope, "state": self.state, "name": self.name, "code": self.code,
            "activated_on": self.activated_on.isoformat() if self.activated_on else "",
            "submissions": t.submissions, "matches": t.total_matches, "matches_level_1": t.matches_level_1,
            "matches_level_2_3": t.matches_level_2_3, "matches_non_criminal": t.matches["non_criminal"],
            "book_ins": t.total_book_ins}
        row |= {f"book_ins_{lv}": t.book_ins[lv] for lv in LEVELS}
        row["removals"] = t.total_removals
        row |= {f"removals_{lv}": t.removals[lv] for lv in LEVELS}
        return row | t.shares()

    def public_dict(self, threshold: int = SMALL_CELL) -> dict[str, object]:
        """The row with small cells suppressed and shares built on them withheld."""
        return suppress_record(self.as_dict(), PUBLIC_SHARES, threshold)


@dataclass
class InteroperabilityReport:
    start: date
    through: date
    state_filter: str | None
    national: InteroperabilityRow
    states: list[InteroperabilityRow]
    counties: list[InteroperabilityRow]

    def rows(self) -> Iterator[InteroperabilityRow]:
        yield self.national
        yield from self.states
        yield from self.counties


@dataclass(frozen=True)
class _Event:
    jurisdiction_id: int | None
    booked_at: datetime
    searched: bool
    hit: bool
    booking_level: str | None
    detainer_level: str | None
    detainer_state: str | None
    transferred_at: datetime | None
    closed_at: datetime | None


def _events(session: Session) -> Iterator[_Event]:
    query = (select(Booking.jurisdiction_id, Booking.booked_at, Booking.immigration_searched,
                    Booking.immigration_hit, Booking.level, Detainer.level, Detainer.state,
                    Detainer.transferred_at, Detainer.closed_at)
             .outerjoin(Detainer, Detainer.booking_id == Booking.id))
    for row in session.execute(query):
        yield _Event(row[0], row[1], bool(row[2]), bool(row[3]), row[4], row[5], row[6], row[7], row[8])


def _level(value: str | None) -> str:
    return value if value in LEVELS else "non_criminal"


def tally_event(tally: Tally, e: _Event, start: date, through: date) -> None:
    """Add one booking (and its detainer) to a tally, each event by its own date."""
    def within(at: datetime | None) -> bool:
        return at is not None and start <= at.date() <= through

    if e.searched and within(e.booked_at):
        tally.submissions += 1
        if e.hit:
            tally.matches[_level(e.booking_level)] += 1
    level = _level(e.detainer_level or e.booking_level)
    if within(e.transferred_at):
        tally.book_ins[level] += 1
    if e.detainer_state == DetainerState.REMOVED and within(e.closed_at):
        tally.removals[level] += 1


def _county_rows(jurisdictions: Iterable[Jurisdiction], through: date) -> dict[int, InteroperabilityRow]:
    return {j.id: InteroperabilityRow("county", j.state, j.name, j.activated_on, code=j.code)
            for j in jurisdictions if j.activated_on is not None and j.activated_on <= through}


def _state_rows(counties: Iterable[InteroperabilityRow]) -> list[InteroperabilityRow]:
    states: dict[str, InteroperabilityRow] = {}
    for c in counties:
        row = states.setdefault(c.state, InteroperabilityRow("state", c.state, c.state, c.activated_on))
        if c.activated_on and (row.activated_on is None or c.activated_on < row.activated_on):
            row.activated_on = c.activated_on  # a state's activation is its first county's
        row.tally.add(c.tally)
    return [states[k] for k in sorted(states)]


def interoperability_report(session: Session, through: date, start: date = FIRST_ACTIVATION,
                            state: str | None = None) -> InteroperabilityReport:
    """The cumulative report from ``start`` through ``through`` (both inclusive); see the module docstring."""
    state = state.upper() if state else None
    jurisdictions = list(session.scalars(select(Jurisdiction).order_by(Jurisdiction.state, Jurisdiction.name)))
    counties = _county_rows(jurisdictions, through)
    national = InteroperabilityRow("national", "US", "National", min(
        (j.activated_on for j in jurisdictions if j.activated_on), default=None))
    for e in _events(session):
        tally_event(national.tally, e, start, through)
        if e.jurisdiction_id in counties:
            tally_event(counties[e.jurisdiction_id].tally, e, start, through)
    kept = [c for c in counties.values() if state is None or c.state == state]
    return InteroperabilityReport(start=start, through=through, state_filter=state, national=national,
                                  states=_state_rows(kept), counties=kept)
