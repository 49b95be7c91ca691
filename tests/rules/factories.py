"""Builders for rules facts: one person, sensible defaults, override what the test is about."""

from __future__ import annotations

from datetime import date, datetime

from scomm.rules.facts import (Charge, Conviction, DetainerBasis, Encounter, EncounterKind, OffenseClass,
                               SubjectFacts)
from scomm.rules.policies import LocalFacts

BOOKED = datetime(2012, 3, 14, 10, 30)


def conviction(code: str = "2399", on: date = date(2010, 5, 1), cls: OffenseClass = OffenseClass.MISDEMEANOR,
               max_days: int | None = None, **kw: object) -> Conviction:
    if max_days is None:
        max_days = 1825 if cls is OffenseClass.FELONY else 365
    return Conviction(ncic_code=code, date=on, offense_class=cls, max_sentence_days=max_days, **kw)  # type: ignore[arg-type]


def felony(code: str = "2299", on: date = date(2010, 5, 1), **kw: object) -> Conviction:
    return conviction(code, on, OffenseClass.FELONY, **kw)


def misdemeanor(code: str = "2399", on: date = date(2010, 5, 1), **kw: object) -> Conviction:
    return conviction(code, on, OffenseClass.MISDEMEANOR, **kw)


def charge(code: str = "2399", cls: OffenseClass = OffenseClass.MISDEMEANOR, on: date = date(2012, 3, 14)) -> Charge:
    return Charge(code, on, cls)


def enc(kind: EncounterKind, on: date = date(2005, 1, 1)) -> Encounter:
    return Encounter(kind, on)


def subject(age: int = 30, booked: datetime = BOOKED, pob: str | None = "MX", claim: str | None = "MX",
            convictions: tuple[Conviction, ...] = (), charges: tuple[Charge, ...] = (),
            encounters: tuple[Encounter, ...] = (), **kw: object) -> SubjectFacts:
    birth = date(booked.year - age, 1, 1) if (booked.month, booked.day) >= (1, 1) else date(booked.year - age - 1, 1, 1)
    return SubjectFacts(birth_date=birth, booking_time=booked, place_of_birth=pob, citizenship_claim=claim,
                        convictions=convictions, pending_charges=charges, encounters=encounters, **kw)  # type: ignore[arg-type]


def local(subj: SubjectFacts, basis: DetainerBasis | None = DetainerBasis.NOTICE_TO_APPEAR, **kw: object) -> LocalFacts:
    return LocalFacts(subject=subj, detainer_basis=basis, **kw)  # type: ignore[arg-type]
