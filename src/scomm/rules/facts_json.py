"""Read LocalFacts from a JSON document (the `scomm policy evaluate --facts` format).

    {"age": 30,  (or "birth_date": "1981-05-02")
     "booking_time": "2012-03-14T10:30", "release_time": "2012-03-16T17:00",
     "place_of_birth": "MX", "citizenship_claim": "MX",
     "convictions": [{"ncic_code": "1201", "date": "2005-01-01", "offense_class": "felony",
                      "max_sentence_days": 1825, "sentence_days": 730, "release_date": "2007-01-01"}],
     "pending_charges": [{"ncic_code": "2399", "date": "2012-03-14", "offense_class": "misdemeanor"}],
     "outstanding_criminal_warrant": false, "gang_or_terror_watchlist": false, "crime_victim_indicated": false,
     "prior_removal_order": false, "encounters": [{"kind": "visa_overstay", "date": "2004-01-01"}],
     "detainer_basis": "notice_to_appear",  (null: no detainer lodged)
     "reimbursement_agreement": false, "judicial_warrant": false}
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scomm.errors import PolicyError
from scomm.rules.facts import (Charge, Conviction, DetainerBasis, Encounter, EncounterKind, OffenseClass,
                               SubjectFacts)
from scomm.rules.policies import LocalFacts


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Conviction(_Strict):
    ncic_code: str = Field(pattern=r"^\d{4}$")
    date: date
    offense_class: OffenseClass
    max_sentence_days: int | None = None
    sentence_days: int | None = None
    aggravated_felony: bool = False
    juvenile: bool = False
    release_date: date | None = None


class _Charge(_Strict):
    ncic_code: str = Field(pattern=r"^\d{4}$")
    date: date
    offense_class: OffenseClass


class _Encounter(_Strict):
    kind: EncounterKind
    date: date
    detail: str = ""


class FactsDocument(_Strict):
    age: int | None = Field(default=None, ge=0)
    birth_date: date | None = None
    booking_time: datetime
    release_time: datetime | None = None
    place_of_birth: str | None = None
    citizenship_claim: str | None = None
    convictions: list[_Conviction] = []
    pending_charges: list[_Charge] = []
    encounters: list[_Encounter] = []
    outstanding_criminal_warrant: bool = False
    gang_or_terror_watchlist: bool = False
    crime_victim_indicated: bool = False
    prior_removal_order: bool = False
    detainer_basis: DetainerBasis | None = DetainerBasis.NOTICE_TO_APPEAR
    reimbursement_agreement: bool = False
    judicial_warrant: bool = False

    @model_validator(mode="after")
    def _age(self) -> FactsDocument:
        if (self.age is None) == (self.birth_date is None):
            raise ValueError("give exactly one of age and birth_date")
        return self

    def to_local_facts(self) -> LocalFacts:
        birth = self.birth_date or _birth_for_age(self.booking_time.date(), self.age or 0)
        encounters = [Encounter(e.kind, e.date, e.detail) for e in self.encounters]
        if self.prior_removal_order and not any(e.kind is EncounterKind.PRIOR_REMOVAL for e in encounters):
            encounters.append(Encounter(EncounterKind.PRIOR_REMOVAL, self.booking_time.date(), "from facts file"))
        subject = SubjectFacts(
            birth_date=birth, booking_time=self.booking_time, place_of_birth=self.place_of_birth,
            citizenship_claim=self.citizenship_claim,
            convictions=tuple(Conviction(**c.model_dump()) for c in self.convictions),
            pending_charges=tuple(Charge(**c.model_dump()) for c in self.pending_charges),
            encounters=tuple(encounters), outstanding_criminal_warrant=self.outstanding_criminal_warrant,
            gang_or_terror_watchlist=self.gang_or_terror_watchlist, crime_victim_indicated=self.crime_victim_indicated)
        return LocalFacts(subject, self.detainer_basis, self.reimbursement_agreement, self.judicial_warrant,
                          self.release_time)


def _birth_for_age(booked: date, age: int) -> date:
    """A birth date that makes the subject exactly ``age`` on ``booked`` (birthday on 1 January)."""
    return date(booked.year - age, 1, 1)


def local_facts_from_json(data: Any) -> LocalFacts:
    """Validate a parsed JSON document; errors become PolicyError naming the field."""
    try:
        return FactsDocument.model_validate(data).to_local_facts()
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(document)"
        raise PolicyError(f"facts: {where}: {err['msg']}") from exc
