"""Writing each planned booking as a real ANSI/NIST-ITL CAR transaction, as a live-scan station would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scomm.formats import CarSubmission, Charge, write_car
from scomm.sim.capture import BOOKING, capture_finger
from scomm.sim.population import SyntheticPerson, make_person, make_unenrolled_person
from scomm.sim.stream import PlannedBooking


@dataclass(frozen=True)
class BookingFileJob:
    planned: PlannedBooking
    world_seed: int
    out_dir: str


def person_for(planned: PlannedBooking, world_seed: int) -> SyntheticPerson:
    if planned.enrolled:
        return make_person(planned.person_index, world_seed)
    return make_unenrolled_person(planned.person_index, world_seed)


def submission_for(planned: PlannedBooking, person: SyntheticPerson) -> CarSubmission:
    booked = datetime.fromisoformat(planned.booked_at)
    fingers = {pos: capture_finger(person.seed, pos, BOOKING, planned.index) for pos in range(1, 11)}
    # People do not always claim citizenship at booking; those who do usually tell the truth.
    ctz = [person.citizenship] if person.seed % 3 else []
    return CarSubmission(
        tcn=planned.tcn, ori=planned.ori, dai="WVIAFIS0Z", date=booked.date(), name=person.name, dob=person.dob,
        sex=person.sex, race=person.race, pob=person.pob, ctz=ctz, doa=booked.date(), sid="", fbi="",
        a_number="", charges=[Charge(ncic_code=c[0], literal=c[1], date=booked.date()) for c in planned.charges],
        fingers=fingers, record_type=14)


def write_booking_file(job: BookingFileJob) -> str:
    """Render ten new impressions and write the CAR file; returns its path."""
    person = person_for(job.planned, job.world_seed)
    path = Path(job.out_dir) / f"{job.planned.tcn}.eft"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(write_car(submission_for(job.planned, person)))
        tmp.replace(path)  # a crash never leaves a half-written booking file behind
    return str(path)
