"""Turning stored records into the plain facts the rules read."""

from __future__ import annotations

from datetime import date

from scomm.records import Booking, CriminalIdentity, ImmigrationIdentity
from scomm.rules.facts import Charge, Conviction, Encounter, EncounterKind, OffenseClass, SubjectFacts

UNKNOWN_DOB = date(1900, 1, 1)


def convictions_of(identity: CriminalIdentity | None) -> tuple[Conviction, ...]:
    if identity is None:
        return ()
    out = []
    for arrest in identity.arrests:
        for c in arrest.charges:
            if c.disposition == "convicted" and c.disposition_date is not None and _coded(c.ncic_code):
                out.append(Conviction(ncic_code=c.ncic_code, date=c.disposition_date,
                                      offense_class=OffenseClass(c.offense_class),
                                      max_sentence_days=c.max_sentence_days, sentence_days=c.sentence_days,
                                      aggravated_felony=c.aggravated_felony))
    return tuple(out)


def pending_charges_of(identity: CriminalIdentity | None) -> tuple[Charge, ...]:
    if identity is None:
        return ()
    return tuple(Charge(ncic_code=c.ncic_code, date=arrest.date, offense_class=OffenseClass(c.offense_class))
                 for arrest in identity.arrests for c in arrest.charges
                 if c.disposition == "pending" and _coded(c.ncic_code))


def _coded(ncic_code: str) -> bool:
    """Rules reason over NCIC codes; a charge submitted only as a literal cannot be classed by them."""
    return len(ncic_code) == 4 and ncic_code.isdigit()


def encounters_of(identity: ImmigrationIdentity | None) -> tuple[Encounter, ...]:
    if identity is None:
        return ()
    return tuple(Encounter(kind=EncounterKind(e.kind), date=e.date, detail=e.detail) for e in identity.encounters)


def subject_facts(booking: Booking, criminal: CriminalIdentity | None,
                  immigration: ImmigrationIdentity | None) -> SubjectFacts:
    """The booked person as the rules see them: descriptors as submitted, histories as stored."""
    claim = booking.citizenship[0] if booking.citizenship else None
    return SubjectFacts(
        birth_date=booking.dob or (criminal.dob if criminal else None) or UNKNOWN_DOB,
        booking_time=booking.booked_at, place_of_birth=booking.pob or (criminal.pob if criminal else None) or None,
        citizenship_claim=claim, convictions=convictions_of(criminal), pending_charges=pending_charges_of(criminal),
        encounters=encounters_of(immigration),
        outstanding_criminal_warrant=bool(criminal and criminal.outstanding_warrant),
        crime_victim_indicated=False)
