"""What if a jurisdiction had followed another detainer policy? (`scomm policy simulate`, issue 4 item 7.)

Every stored booking of the jurisdiction, booked in [start, end], whose detainer reached the jail (a
lodged detainer: state lodged, held, released, transferred or removed) is decided again exactly as the
decide stage did — the same facts (``pipeline.facts.subject_facts``), the same detainer basis and
reimbursement flag — once under the policy that was in force on the booking date (``pipeline.decide.
policy_for``) and once under the alternative. The alternative applies whatever its own effective dates:
the question is hypothetical.

Hold-hours are counted hours (``hold_clock.counted_time``: weekends and federal holidays do not count):

* actual: from the stored ``release_at`` to ``transferred_at`` (ICE pickup) or else ``closed_at``; a hold
  the actual policy declined therefore counts 0.
* alternative: from the same ``release_at`` to the recorded ICE pickup, capped at the alternative's own
  deadline (``hold_deadline(release_at, alternative.hold_hours)``). Where no pickup is recorded (the hold
  was declined, or ICE never came) the alternative hold is assumed to run to its deadline, an upper bound;
  such bookings are counted in ``assumed_to_deadline``.
* a booking with no release recorded yet (or a hold still running) adds its holds but no hours to either
  side, and is counted in ``no_release_recorded``.

Pure read: the only write is one ``policy.simulated`` audit event in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import RecordNotFound
from scomm.pipeline.decide import policy_for
from scomm.pipeline.determine import identities
from scomm.pipeline.facts import subject_facts
from scomm.records import Booking, Detainer, DetainerState, Jurisdiction
from scomm.records.audit import append
from scomm.rules.facts import DetainerBasis
from scomm.rules.hold_clock import counted_time, hold_deadline
from scomm.rules.levels import Level
from scomm.rules.policies import JurisdictionPolicy, LocalDecision, LocalFacts

LODGED_STATES = (DetainerState.LODGED, DetainerState.HELD, DetainerState.RELEASED, DetainerState.TRANSFERRED,
                 DetainerState.REMOVED)
CRIMINAL, NON_CRIMINAL = "criminal", "non_criminal"
PATHWAY_287G_PREFIX = "287g:"  # Detainer.policy of detainers lodged by 287(g) designated officers
DEFAULT_ACTOR = "scomm:what-if"


@dataclass
class Tally:
    """Holds and counted hold-hours under the actual and the alternative policy, for one group of bookings."""

    bookings: int = 0
    actual_holds: int = 0
    alternative_holds: int = 0
    actual_hours: float = 0.0
    alternative_hours: float = 0.0

    @property
    def holds_difference(self) -> int:
        return self.alternative_holds - self.actual_holds

    @property
    def hours_difference(self) -> float:
        return round(self.alternative_hours - self.actual_hours, 2)

    def add(self, actual: bool, alternative: bool, hours: tuple[float, float] | None) -> None:
        self.bookings += 1
        self.actual_holds += actual
        self.alternative_holds += alternative
        if hours is not None:
            self.actual_hours = round(self.actual_hours + hours[0], 2)
            self.alternative_hours = round(self.alternative_hours + hours[1], 2)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"holds_difference": self.holds_difference, "hours_difference": self.hours_difference}


@dataclass(frozen=True)
class Flip:
    """A booking whose hold decision differs between the actual and the alternative policy."""

    tcn: str
    level: str
    pathway: str  # "sc" or "287g"
    actual_policy: str
    actual_rule: str
    actual_hold: bool
    alternative_rule: str
    alternative_hold: bool


@dataclass
class WhatIf:
    jurisdiction: str
    alternative_policy: str
    start: date
    end: date
    actual_policies: list[str] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)
    by_level: dict[str, Tally] = field(default_factory=dict)
    by_criminality: dict[str, Tally] = field(default_factory=dict)
    no_release_recorded: int = 0
    assumed_to_deadline: int = 0
    flips: list[Flip] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "alternative_policy": self.alternative_policy,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "actual_policies": list(self.actual_policies), "total": self.total.to_dict(),
                "by_level": {k: v.to_dict() for k, v in self.by_level.items()},
                "by_criminality": {k: v.to_dict() for k, v in self.by_criminality.items()},
                "no_release_recorded": self.no_release_recorded, "assumed_to_deadline": self.assumed_to_deadline,
                "flips": [asdict(f) for f in self.flips]}


def simulate_policy(session: Session, policy: JurisdictionPolicy, jurisdiction_code: str, start: date, end: date,
                    actor: str = DEFAULT_ACTOR) -> WhatIf:
    """Re-decide the jurisdiction's lodged detainers booked in [start, end] under ``policy``; see the module doc."""
    if end < start:
        raise ValueError(f"simulation range ends ({end}) before it starts ({start})")
    jurisdiction = session.scalar(select(Jurisdiction).where(Jurisdiction.code == jurisdiction_code))
    if jurisdiction is None:
        raise RecordNotFound(f"no jurisdiction with code {jurisdiction_code!r}")
    result = WhatIf(jurisdiction_code, policy.name, start, end)
    result.by_level = {lv.value: Tally() for lv in Level}
    result.by_criminality = {CRIMINAL: Tally(), NON_CRIMINAL: Tally()}
    actual_names: set[str] = set()
    for booking, detainer in _lodged(session, jurisdiction, start, end):
        actual_policy = policy_for(jurisdiction, booking.booked_at.date())
        actual_names.add(actual_policy.name)
        facts = _local_facts(session, booking, detainer, jurisdiction)
        actual, alternative = actual_policy.evaluate(facts), policy.evaluate(facts)
        _count(result, booking, detainer, actual, alternative, policy)
    result.actual_policies = sorted(actual_names)
    append(session, actor, "policy.simulated", subject=jurisdiction_code, policy=policy.name,
           start=start.isoformat(), end=end.isoformat(), bookings=result.total.bookings, flips=len(result.flips))
    return result


def _lodged(session: Session, jurisdiction: Jurisdiction, start: date, end: date) -> list[tuple[Booking, Detainer]]:
    after_end = datetime.combine(end + timedelta(days=1), datetime.min.time())
    rows = session.execute(select(Booking, Detainer).join(Detainer, Detainer.booking_id == Booking.id)
                           .where(Booking.jurisdiction_id == jurisdiction.id,
                                  Booking.booked_at >= datetime.combine(start, datetime.min.time()),
                                  Booking.booked_at < after_end, Detainer.state.in_(LODGED_STATES))
                           .order_by(Booking.booked_at, Booking.id))
    return [(b, d) for b, d in rows]


def _local_facts(session: Session, booking: Booking, detainer: Detainer, jurisdiction: Jurisdiction) -> LocalFacts:
    """The facts exactly as the decide stage builds them."""
    criminal, immigration = identities(session, booking)
    return LocalFacts(subject=subject_facts(booking, criminal, immigration),
                      detainer_basis=DetainerBasis(detainer.basis) if detainer.basis else None,
                      reimbursement_agreement=jurisdiction.reimbursement_agreement)


def _count(result: WhatIf, booking: Booking, detainer: Detainer, actual: LocalDecision, alternative: LocalDecision,
           policy: JurisdictionPolicy) -> None:
    level = booking.level or detainer.level or Level.NON_CRIMINAL.value
    hours, assumed = _hours(detainer, actual.hold.allowed, alternative.hold.allowed, policy.spec.hold_hours)
    result.no_release_recorded += hours is None
    result.assumed_to_deadline += assumed
    held = (actual.hold.allowed, alternative.hold.allowed)
    for tally in (result.total, result.by_level.setdefault(level, Tally()),
                  result.by_criminality[NON_CRIMINAL if level == Level.NON_CRIMINAL else CRIMINAL]):
        tally.add(*held, hours)
    if actual.hold.allowed != alternative.hold.allowed:
        pathway = "287g" if detainer.policy.startswith(PATHWAY_287G_PREFIX) else "sc"
        result.flips.append(Flip(booking.tcn, level, pathway, actual.policy, actual.hold.rule_id,
                                 actual.hold.allowed, alternative.hold.rule_id, alternative.hold.allowed))


def _hours(detainer: Detainer, actual_hold: bool, alternative_hold: bool,
           alternative_hours: int) -> tuple[tuple[float, float] | None, bool]:
    """(actual, alternative) counted hours, or None without a recorded release; and whether the
    alternative was assumed to run to its deadline for want of a recorded pickup."""
    release = detainer.release_at
    actual_end = detainer.transferred_at or detainer.closed_at
    if release is None or (actual_hold and actual_end is None):
        return None, False
    actual = _counted_hours(release, actual_end) if actual_end is not None else 0.0
    if not alternative_hold:
        return (actual, 0.0), False
    deadline = hold_deadline(release, alternative_hours)
    pickup = detainer.transferred_at
    alternative_end = deadline if pickup is None else min(pickup, deadline)
    return (actual, _counted_hours(release, alternative_end)), pickup is None


def _counted_hours(start: datetime, end: datetime) -> float:
    return round(counted_time(start, end) / timedelta(hours=1), 2)
