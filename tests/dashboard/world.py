"""The dashboard's test database: four registered jurisdictions in three states, six months of bookings.

Built from the statistics factories (rows written directly, no fingerprints), seeded, so it takes well
under a second. Sizes are chosen so the public view shows some cells and withholds others: Suffolk and
Cook have dozens of bookings, Harris only a handful. The tests never read expected numbers from here:
they count rows in the database themselves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.api.clients import add_client
from scomm.records import Booking, Detainer, Jurisdiction, Response
from scomm.records.audit import append
from tests.stats import factories as f

MONTHS = [(2011, 10), (2011, 11), (2011, 12), (2012, 1), (2012, 2), (2012, 3)]
LEVELS = ("level_1", "level_2", "level_3", "non_criminal")
SIZES = {"MA-SUFFOLK": 60, "MA-MIDDLESEX": 24, "IL-COOK": 48, "TX-HARRIS": 4}
STATES = {"MA-SUFFOLK": "MA", "MA-MIDDLESEX": "MA", "IL-COOK": "IL", "TX-HARRIS": "TX"}
# Cook County declined every hold from 7 Sep 2011 (its ordinance): the what-if view has something to show.
POLICIES = {"IL-COOK": ["honor_all", "cook_county_2011"]}


@dataclass
class DashboardWorld:
    tokens: dict[str, str] = field(default_factory=dict)
    timeline_tcn: dict[str, str] = field(default_factory=dict)  # jurisdiction code -> a booking with a timeline


def _booking(s: Session, rng: random.Random, j: Jurisdiction) -> None:
    year, month = rng.choice(MONTHS)
    booked = datetime(year, month, rng.randint(1, 28), rng.randint(0, 23))
    if rng.random() >= 0.45:
        f.booking(s, j, booked)
        return
    level = rng.choice(LEVELS)
    b = f.booking(s, j, booked, hit=True, level=level, charges=rng.choice([("1313",), ("5404",), ("3599", "5499")]))
    fate = rng.random()
    if fate < 0.25:
        return  # matched, no detainer
    if fate < 0.5:
        d = f.detainer(s, b, state="removed", transferred=booked + timedelta(days=2),
                       closed=booked + timedelta(days=rng.randint(10, 70)), release=booked + timedelta(days=1),
                       deadline=booked + timedelta(days=3))
        f.decision(s, b, d, hold=True, rule="honor")
    elif fate < 0.8:
        d = f.detainer(s, b, state="lodged")
        f.decision(s, b, d, hold=rng.random() < 0.5, rule=rng.choice(["honor", "serious-only"]))
    else:
        f.detainer(s, b, action="no_action", state="not_lodged")


def _timeline(s: Session, tcn: str, ori: str) -> None:
    """Responses and audit events for one booking, so its timeline has steps of every source."""
    b = s.scalar(select(Booking).where(Booking.tcn == tcn))
    assert b is not None
    for kind, summary in (("SRE", "IDENT"), ("IAR", "removable"), ("I247", "detainer lodged")):
        s.add(Response(booking_id=b.id, kind=kind, recipient=ori, summary=f"{summary} for {tcn}",
                       body=kind.encode(), content_type="text/plain", created_at=b.booked_at + timedelta(hours=1)))
    append(s, "cjis:intake", "intake.accepted", tcn=tcn, ori=ori)
    append(s, "dhs:ident", "identify.immigration_match", tcn=tcn, subject="FIN-secret")


def build(s: Session, seed: int = 5) -> DashboardWorld:
    rng = random.Random(seed)
    world = DashboardWorld()
    for code, n in SIZES.items():
        j = f.jurisdiction(s, code, STATES[code], activated=date(2009, 6, 1))
        j.policy_names = POLICIES.get(code, ["honor_all"])
        for _ in range(n):
            _booking(s, rng, j)
        first = s.scalar(select(Booking.tcn).join(Detainer, Detainer.booking_id == Booking.id)
                         .where(Booking.jurisdiction_id == j.id).order_by(Booking.id))
        if first is not None:
            world.timeline_tcn[code] = first
            _timeline(s, first, j.agencies[0].ori)
        world.tokens[f"agency:{code}"] = add_client(s, f"sheriff {code}", "booking_agency",
                                                    ori=j.agencies[0].ori)[1]
    dormant = f.jurisdiction(s, "CA-KERN", "CA", activated=None)  # not activated: searched against IAFIS only
    for _ in range(3):
        f.booking(s, dormant, datetime(2011, 11, 3, 10), searched=False)
    world.tokens["auditor"] = add_client(s, "inspector", "auditor")[1]
    return world
