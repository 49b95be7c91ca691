"""How well the pipeline identified people, judged against the synthetic world's ground truth."""

from __future__ import annotations

from sqlalchemy import select

from scomm.records import Booking, Database
from scomm.sim.population import PopulationParameters, make_person
from scomm.sim.stream import PlannedBooking
from scomm.sim.world import fbi_number, fin_number


def identification_accuracy(db: Database, plan: list[PlannedBooking], world_seed: int,
                            population: PopulationParameters = PopulationParameters()) -> dict[str, object]:
    """Criminal and immigration searches scored against who was really booked."""
    with db.session() as s:
        rows = {b.tcn: b for b in s.scalars(select(Booking).where(Booking.tcn.in_([p.tcn for p in plan])))}
    first_fbi: dict[int, str] = {}  # people first seen in the stream get an FBI number at their first booking
    crim = {"correct": 0, "missed": 0, "wrong": 0, "false_ident": 0}
    imm = {"correct": 0, "missed": 0, "false_match": 0}
    for p in sorted(plan, key=lambda p: p.index):
        b = rows.get(p.tcn)
        if b is None or b.criminal_hit is None:
            continue
        person = make_person(p.person_index, world_seed, population) if p.enrolled else None
        known = fbi_number(p.person_index) if person and person.in_criminal_repository else first_fbi.get(p.person_index)
        if known is None:
            crim["false_ident" if b.criminal_hit else "correct"] += 1
            first_fbi[p.person_index] = b.fbi_number or ""
        elif b.criminal_hit:
            crim["correct" if b.fbi_number == known else "wrong"] += 1
        else:
            crim["missed"] += 1
        if b.immigration_searched:
            expected = fin_number(p.person_index) if person and person.in_immigration_repository else None
            if expected is None:
                imm["false_match" if b.immigration_hit else "correct"] += 1
            elif b.immigration_hit:
                imm["correct" if b.fin == expected else "false_match"] += 1
            else:
                imm["missed"] += 1
    return {f"criminal {k}": v for k, v in crim.items()} | {f"immigration {k}": v for k, v in imm.items()}
