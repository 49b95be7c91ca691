"""Everything the world needs from one person's fingers, done in one worker task: the enrolment
templates for each repository the person is in, and the CAR file of each of their bookings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scomm.sim.booking_files import person_for, submission_for
from scomm.sim.capture import ENROLMENT, PersonFingers
from scomm.sim.population import PopulationParameters, make_person
from scomm.sim.stream import PlannedBooking


@dataclass(frozen=True)
class PersonJob:
    person_index: int
    world_seed: int
    enrolments: tuple[tuple[str, str, int], ...]  # (gallery, subject id, capture occasion)
    bookings: tuple[PlannedBooking, ...]
    out_dir: str
    population: PopulationParameters = PopulationParameters()


@dataclass(frozen=True)
class EnrolledFinger:
    gallery: str
    subject: str
    position: int
    template: bytes | None
    quality: float
    extractor: str
    version: str
    error: str = ""
    image: bytes = b""  # the captured original, WSQ-compressed: kept so the gallery can be re-extracted
    width: int = 0
    height: int = 0
    ppi: int = 500


@dataclass(frozen=True)
class PersonResult:
    fingers: tuple[EnrolledFinger, ...]
    booking_files: tuple[str, ...]


def _enrol(fingers: PersonFingers, gallery: str, subject: str, occasion: int) -> list[EnrolledFinger]:
    """Capture ten fingers and extract their templates, exactly as the engine would from a scan."""
    from scomm.errors import PoorQualityError
    from scomm.fingerprints import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract
    from scomm.formats.images import encode_wsq

    out = []
    for position in range(1, 11):
        pixels = fingers.capture(position, ENROLMENT, occasion)
        original = {"image": encode_wsq(pixels), "width": pixels.shape[1], "height": pixels.shape[0], "ppi": 500}
        try:
            t = extract(pixels, 500)
        except PoorQualityError as exc:
            out.append(EnrolledFinger(gallery, subject, position, None, exc.quality, EXTRACTOR_NAME,
                                      EXTRACTOR_VERSION, exc.reason, **original))
            continue
        out.append(EnrolledFinger(gallery, subject, position, t.to_bytes(), t.quality, t.extractor, t.version,
                                  **original))
    return out


def process_person(job: PersonJob) -> PersonResult:
    from scomm.formats import write_car

    fingers: PersonFingers | None = None
    enrolled: list[EnrolledFinger] = []
    paths: list[str] = []
    for planned in job.bookings:
        path = Path(job.out_dir) / f"{planned.tcn}.eft"
        if not path.exists():
            person = person_for(planned, job.world_seed, job.population)
            fingers = fingers or PersonFingers(person.seed)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(write_car(submission_for(planned, person, fingers)))
            tmp.replace(path)  # a crash never leaves a half-written booking file behind
        paths.append(str(path))
    for gallery, subject, occasion in job.enrolments:
        if fingers is None:
            fingers = PersonFingers(make_person(job.person_index, job.world_seed, job.population).seed)
        enrolled.extend(_enrol(fingers, gallery, subject, occasion))
    return PersonResult(tuple(enrolled), tuple(paths))
