"""The booking stream: who is arrested where and when, on what charge, and what happens next.

The plan is ground truth for the simulation only: it lives in the world folder, never in the
repositories the pipeline searches.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from scomm.sim.jurisdictions import JurisdictionSpec
from scomm.sim.population import draw_offense


@dataclass(frozen=True)
class StreamParameters:
    bookings: int = 205
    start: date = date(2011, 6, 1)
    end: date = date(2013, 5, 31)
    never_enrolled_share: float = 0.2  # first-time arrestees unknown to both repositories
    repeat_share: float = 0.05  # re-arrests within the stream
    median_custody_hours: float = 30.0
    sentenced_share: float = 0.25  # bookings that end in a sentence served before release
    ice_pickup_rate: float = 0.8  # share of holds ICE collects before the deadline


@dataclass(frozen=True)
class PlannedBooking:
    index: int
    tcn: str
    person_index: int
    enrolled: bool
    jurisdiction: str
    ori: str
    booked_at: str  # ISO timestamps keep the plan JSON-serialisable
    charges: list[list[str]]  # [ncic, literal, offense_class]
    custody_hours: float
    ice_pickup_hours: float | None
    removal_rate_key: float = field(default=0.0)  # uniform draw used to decide a removal after transfer

    @property
    def booked_datetime(self) -> datetime:
        return datetime.fromisoformat(self.booked_at)


def plan_stream(seed: int, people: int, jurisdictions: tuple[JurisdictionSpec, ...], params: StreamParameters
                ) -> list[PlannedBooking]:
    rng = np.random.default_rng([seed, 7])
    weights = np.array([j.weight for j in jurisdictions])
    days = (params.end - params.start).days
    times = sorted(rng.integers(0, days * 24 * 60, size=params.bookings))
    plan: list[PlannedBooking] = []
    next_new = people  # people beyond the population are never enrolled anywhere
    for index, minute in enumerate(times):
        booked = datetime.combine(params.start, datetime.min.time()) + timedelta(minutes=int(minute))
        if rng.random() < params.never_enrolled_share:
            person, enrolled, next_new = next_new, False, next_new + 1
        elif plan and rng.random() < params.repeat_share:
            prior = plan[int(rng.integers(len(plan)))]
            person, enrolled = prior.person_index, prior.enrolled
        else:
            person, enrolled = int(rng.integers(people)), True
        j = jurisdictions[int(rng.choice(len(jurisdictions), p=weights / weights.sum()))]
        agency = j.agencies[int(rng.integers(len(j.agencies)))]
        charges = [draw_offense(rng) for _ in range(1 + int(rng.random() < 0.25))]
        sentenced = rng.random() < params.sentenced_share
        custody = float(rng.lognormal(np.log(params.median_custody_hours), 0.8))
        if sentenced:
            custody += float(rng.integers(10, 300)) * 24
        pickup = float(rng.uniform(2, 40)) if rng.random() < params.ice_pickup_rate else None
        plan.append(PlannedBooking(
            index=index, tcn=f"SC{booked:%Y%m%d}{index:06d}", person_index=person, enrolled=enrolled,
            jurisdiction=j.code, ori=agency.ori, booked_at=booked.isoformat(timespec="minutes"),
            charges=[[o.ncic_code, o.literal, o.offense_class] for o in charges], custody_hours=round(custody, 2),
            ice_pickup_hours=None if pickup is None else round(pickup, 2), removal_rate_key=float(rng.random())))
    return plan


def save_plan(plan: list[PlannedBooking], path: Path) -> None:
    path.write_text(json.dumps([asdict(p) for p in plan], indent=1))


def load_plan(path: Path) -> list[PlannedBooking]:
    return [PlannedBooking(**row) for row in json.loads(path.read_text())]
