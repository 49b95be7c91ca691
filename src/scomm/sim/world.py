"""Building the synthetic world into a database and a folder of booking files.

A world is fully determined by its parameters: people, rap sheets and encounters go into the two
repositories, ten fingers per enrolled person are captured and their templates extracted by the
engine, and the booking stream is written as CAR transactions. A built world is reused, not rebuilt.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from scomm.parallel import cpu_count, worker_pool
from scomm.records import (
    Agency,
    Arrest,
    ArrestCharge,
    CriminalIdentity,
    Database,
    Encounter,
    FingerprintImage,
    GalleryName,
    ImmigrationIdentity,
    Jurisdiction,
    StoredTemplate,
)
from scomm.records.audit import append
from scomm.sim.enrolment import EnrolledFinger, PersonJob, process_person
from scomm.sim.jurisdictions import DEFAULT_JURISDICTIONS, JurisdictionSpec
from scomm.sim.population import PopulationParameters, SyntheticPerson, make_person
from scomm.sim.stream import (
    PlannedBooking,
    StreamParameters,
    load_plan,
    plan_stream,
    save_plan,
)

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[str, int], Callable[[int], None]]  # (task description, total) -> advance(n)


@dataclass(frozen=True)
class WorldParameters:
    seed: int = 2011
    people: int = 540
    population: PopulationParameters = field(default_factory=PopulationParameters)
    stream: StreamParameters = field(default_factory=StreamParameters)
    jurisdictions: tuple[JurisdictionSpec, ...] = DEFAULT_JURISDICTIONS
    workers: int = 0  # 0 = one per CPU


@dataclass(frozen=True)
class WorldSummary:
    people: int
    criminal_identities: int
    immigration_identities: int
    in_both: int
    templates: int
    failed_to_enrol: int
    bookings: int
    reused: bool


def fbi_number(index: int) -> str:
    return f"{index + 100000:06d}SC{index % 10}"


def fin_number(index: int) -> str:
    return f"FIN{index:09d}"


def a_number(index: int) -> str:
    return f"A{200000000 + index * 7:09d}"


def _no_progress(_description: str, _total: int) -> Callable[[int], None]:
    return lambda _n: None


def _parallel(fn: Callable[[T], R], jobs: list[T], workers: int) -> Iterator[R]:
    if workers <= 1:
        yield from map(fn, jobs)
        return
    with worker_pool(workers) as pool:
        # On a fresh install numba compiles the generator's and the extractor's kernels (≈ 12 s each) in
        # every worker at once, and later the search kernels (≈ 40 s) in the pipeline's main process while
        # a core idles. Queued first, each part is compiled once, by one worker, while the others render;
        # every other process then loads it from numba's cache.
        warming = [pool.submit(warm_kernels, part) for part in ("generator", "extraction", "search")]
        yield from pool.map(fn, jobs, chunksize=4)
        for done in warming:
            done.result()


def warm_kernels(part: str) -> None:
    """Compile (or load from numba's cache) the compiled kernels of one half of a capture job."""
    import numpy as np

    if part == "generator":
        from scomm.sim.capture import capture_finger

        capture_finger(0, 1, 1, 1)
        return
    if part == "search":
        from scomm.fingerprints import InProcessBackend, Template

        rng = np.random.default_rng(0)

        def finger() -> Template:
            n = 40
            return Template(np.column_stack([rng.uniform(60, 340, n), rng.uniform(60, 380, n),
                                             rng.uniform(0, 2 * np.pi, n), rng.uniform(0.3, 1, n)]),
                            np.ones(n, np.uint8), 400, 440)

        backend = InProcessBackend()
        subjects = backend.search.shortlist + 2  # past the shortlist: the compact stage runs too
        backend.enroll_many({f"warm-{i}": {p: finger() for p in range(1, 11)} for i in range(subjects)})
        backend.identify({p: finger() for p in range(1, 11)}, top_k=5)
        return
    from scomm.errors import PoorQualityError
    from scomm.fingerprints import extract

    y, x = np.mgrid[0:300, 0:280]
    curved = x + 0.002 * (y - 150.0) ** 2  # a curved grating: enough ridge texture for every stage to run
    try:
        extract((127 + 100 * np.sin(2 * np.pi * curved / 9.0)).astype(np.uint8), 500)
    except PoorQualityError:
        pass


class World:
    """A world folder (plan, booking files, manifest) paired with the database it was enrolled into."""

    def __init__(self, db: Database, folder: Path, params: WorldParameters = WorldParameters()) -> None:
        self.db = db
        self.folder = folder
        self.params = params
        self.manifest = folder / "world.json"
        self.bookings_dir = folder / "bookings"

    @property
    def workers(self) -> int:
        return self.params.workers or cpu_count()

    def is_built(self) -> bool:
        if not self.manifest.exists():
            return False
        with self.db.session() as s:
            return bool(s.scalar(select(func.count()).select_from(Jurisdiction)))

    def build(self, progress: Progress = _no_progress) -> WorldSummary:
        if self.is_built():
            return self._summary(reused=True)
        self.db.migrate()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.bookings_dir.mkdir(exist_ok=True)
        people = [make_person(i, self.params.seed, self.params.population) for i in range(self.params.people)]
        self._store_jurisdictions()
        self._store_repositories(people)
        self._capture_people(people, progress)
        self.manifest.write_text(json.dumps({"params": asdict(self.params)}, default=str, indent=1))
        return self._summary(reused=False)

    def booking_files(self) -> list[Path]:
        return sorted(self.bookings_dir.glob("*.eft"))

    def plan(self) -> list[PlannedBooking]:
        return load_plan(self.folder / "stream.json")

    # -- steps -------------------------------------------------------------------------------------------

    def _store_jurisdictions(self) -> None:
        with self.db.session() as s:
            if s.scalar(select(func.count()).select_from(Jurisdiction)):
                return
            for spec in self.params.jurisdictions:
                j = Jurisdiction(code=spec.code, name=spec.name, state=spec.state, county=spec.county,
                                 activated_on=spec.activated_on, state_signed_moa=spec.state_signed_moa,
                                 policy_names=list(spec.policy_names),
                                 reimbursement_agreement=spec.reimbursement_agreement, ice_office=spec.ice_office)
                j.agencies = [Agency(ori=a.ori, name=a.name) for a in spec.agencies]
                s.add(j)
            append(s, "sim:world", "world.jurisdictions", details_count=len(self.params.jurisdictions))

    def _store_repositories(self, people: list[SyntheticPerson]) -> None:
        with self.db.session() as s:
            if s.scalar(select(func.count()).select_from(CriminalIdentity)):
                return
            for index, person in enumerate(people):
                if person.in_criminal_repository:
                    s.add(_criminal_identity(index, person))
                if person.in_immigration_repository:
                    s.add(_immigration_identity(index, person))
            append(s, "sim:world", "world.repositories", people=len(people))

    def _capture_people(self, people: list[SyntheticPerson], progress: Progress) -> None:
        """Enrol every repository identity and write every booking file, one worker task per person."""
        plan = plan_stream(self.params.seed, self.params.people, self.params.jurisdictions, self.params.stream)
        save_plan(plan, self.folder / "stream.json")
        with self.db.session() as s:
            done = set(s.execute(select(StoredTemplate.gallery, StoredTemplate.subject).distinct()).all())
            # a subject whose every finger failed to enrol has originals but no template: done as well
            done |= set(s.execute(select(FingerprintImage.gallery, FingerprintImage.subject).distinct()).all())
        bookings: dict[int, list[PlannedBooking]] = defaultdict(list)
        for p in plan:
            bookings[p.person_index].append(p)
        jobs = []
        for index in sorted(set(range(len(people))) | set(bookings)):
            person = people[index] if index < len(people) else None
            enrolments = []
            if person is not None and person.in_criminal_repository:
                enrolments.append((GalleryName.CRIMINAL.value, fbi_number(index), 1))
            if person is not None and person.in_immigration_repository:
                enrolments.append((GalleryName.IMMIGRATION.value, fin_number(index), 2))
            enrolments = [e for e in enrolments if (e[0], e[1]) not in done]
            if enrolments or bookings.get(index):
                jobs.append(PersonJob(index, self.params.seed, tuple(enrolments), tuple(bookings.get(index, ())),
                                      str(self.bookings_dir), self.params.population))
        advance = progress("Capturing fingers: enrolment templates and CAR booking files", len(jobs))
        batch: list[EnrolledFinger] = []
        for result in _parallel(process_person, jobs, self.workers):
            batch.extend(result.fingers)
            advance(1)
            if len(batch) >= 500:
                self._store_templates(batch)
                batch = []
        self._store_templates(batch)

    def _store_templates(self, fingers: Iterable[EnrolledFinger]) -> None:
        with self.db.session() as s:
            for f in fingers:
                if f.image:  # the original, kept even when no template came out of it
                    s.add(FingerprintImage(gallery=f.gallery, subject=f.subject, position=f.position,
                                           compression="WSQ", ppi=f.ppi, width=f.width, height=f.height,
                                           data=f.image, source="world-enrolment"))
                if f.template is None:
                    append(s, "sim:world", "enrol.failed_to_enrol", subject=f.subject, gallery=f.gallery,
                           position=f.position, reason=f.error)
                    continue
                s.add(StoredTemplate(gallery=f.gallery, subject=f.subject, position=f.position, data=f.template,
                                     extractor=f.extractor, version=f.version, quality=f.quality,
                                     source="world-enrolment"))

    def _summary(self, reused: bool) -> WorldSummary:
        with self.db.session() as s:
            crim = s.scalar(select(func.count()).select_from(CriminalIdentity)) or 0
            imm = s.scalar(select(func.count()).select_from(ImmigrationIdentity)) or 0
            templates = s.scalar(select(func.count()).select_from(StoredTemplate)) or 0
        people = [make_person(i, self.params.seed, self.params.population) for i in range(self.params.people)]
        both = sum(p.in_criminal_repository and p.in_immigration_repository for p in people)
        expected = 10 * sum(p.in_criminal_repository + p.in_immigration_repository for p in people)
        return WorldSummary(people=len(people), criminal_identities=crim, immigration_identities=imm, in_both=both,
                            templates=templates, failed_to_enrol=max(expected - templates, 0),
                            bookings=len(self.booking_files()), reused=reused)


def _criminal_identity(index: int, person: SyntheticPerson) -> CriminalIdentity:
    identity = CriminalIdentity(fbi_number=fbi_number(index), sid=f"{person.pob}{index:07d}"[:16], name=person.name,
                                dob=person.dob, sex=person.sex, race=person.race, pob=person.pob)
    for arrest in person.arrests:
        row = Arrest(date=arrest.date, ori="SYNTHETIC", tcn=None)
        row.charges = [ArrestCharge(ncic_code=c.offense.ncic_code, literal=c.offense.literal,
                                    offense_class=c.offense.offense_class, disposition=c.disposition,
                                    disposition_date=c.disposition_date,
                                    max_sentence_days=c.offense.max_sentence_days, sentence_days=c.sentence_days,
                                    aggravated_felony=c.offense.aggravated_felony and c.disposition == "convicted")
                       for c in arrest.charges]
        identity.arrests.append(row)
    return identity


def _immigration_identity(index: int, person: SyntheticPerson) -> ImmigrationIdentity:
    has_a_file = any(e.kind != "border_apprehension" for e in person.encounters)
    identity = ImmigrationIdentity(fin=fin_number(index), a_number=a_number(index) if has_a_file else None,
                                   name=person.name, dob=person.dob, pob=person.pob,
                                   citizenship=person.citizenship)
    identity.encounters = [Encounter(kind=e.kind, date=e.date, detail=e.detail) for e in person.encounters]
    return identity
