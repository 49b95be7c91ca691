"""Writing each planned booking as a real ANSI/NIST-ITL CAR transaction, as a live-scan station would."""

from __future__ import annotations

from datetime import datetime

from scomm.formats import CarSubmission, Charge
from scomm.sim.capture import BOOKING, PersonFingers
from scomm.sim.population import PopulationParameters, SyntheticPerson, make_person, make_unenrolled_person
from scomm.sim.stream import PlannedBooking


def person_for(planned: PlannedBooking, world_seed: int,
               population: PopulationParameters = PopulationParameters()) -> SyntheticPerson:
    if planned.enrolled:
        return make_person(planned.person_index, world_seed, population)
    return make_unenrolled_person(planned.person_index, world_seed, population)


def submission_for(planned: PlannedBooking, person: SyntheticPerson, fingers: PersonFingers) -> CarSubmission:
    booked = datetime.fromisoformat(planned.booked_at)
    images = {pos: fingers.capture(pos, BOOKING, planned.index) for pos in range(1, 11)}
    # People do not always claim citizenship at booking; those who do usually tell the truth.
    ctz = [person.citizenship] if person.seed % 3 else []
    return CarSubmission(
        tcn=planned.tcn, ori=planned.ori, dai="WVIAFIS0Z", date=booked.date(), name=person.name, dob=person.dob,
        sex=person.sex, race=person.race, pob=person.pob, ctz=ctz, doa=booked.date(), sid="", fbi="",
        a_number="", charges=[Charge(ncic_code=c[0], literal=c[1], date=booked.date()) for c in planned.charges],
        fingers=images, record_type=14)
