"""The plain facts the rules read: a booked subject's criminal and immigration history.

The pipeline builds these from stored records; the rules never look anything up themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class OffenseClass(StrEnum):
    FELONY = "felony"
    MISDEMEANOR = "misdemeanor"
    INFRACTION = "infraction"


@dataclass(frozen=True)
class Conviction:
    """One conviction. ``max_sentence_days`` is the maximum punishment the law allows
    ("punishable by more than a year" ⇔ ``max_sentence_days > 365``); ``sentence_days`` is what was imposed."""

    ncic_code: str
    date: date
    offense_class: OffenseClass
    max_sentence_days: int | None
    sentence_days: int | None = None
    aggravated_felony: bool = False
    juvenile: bool = False
    release_date: date | None = None

    def __post_init__(self) -> None:
        _check_ncic(self.ncic_code)


@dataclass(frozen=True)
class Charge:
    """A pending (not yet adjudicated) criminal charge."""

    ncic_code: str
    date: date
    offense_class: OffenseClass

    def __post_init__(self) -> None:
        _check_ncic(self.ncic_code)


class DetainerBasis(StrEnum):
    """The I-247 "DHS has taken the following action" box (domain.md §4.2)."""

    INVESTIGATION_INITIATED = "investigation_initiated"
    NOTICE_TO_APPEAR = "notice_to_appear"
    WARRANT_OF_ARREST = "warrant_of_arrest"
    FINAL_ORDER = "final_order"
    REINSTATEMENT = "reinstatement"  # of a prior removal order


class EncounterKind(StrEnum):
    VISA_ISSUED = "visa_issued"
    VISA_OVERSTAY = "visa_overstay"
    BORDER_APPREHENSION = "border_apprehension"
    ENTRY_WITHOUT_INSPECTION = "entry_without_inspection"
    PRIOR_REMOVAL = "prior_removal"
    FINAL_ORDER = "final_order"  # unexecuted removal order (fugitive)
    LAWFUL_PERMANENT_RESIDENT = "lawful_permanent_resident"
    NATURALIZATION = "naturalization"
    DERIVED_CITIZENSHIP = "derived_citizenship"
    ASYLUM_APPLICATION = "asylum_application"
    TEMPORARY_PROTECTED_STATUS = "temporary_protected_status"
    CRIME_VICTIM_VISA = "crime_victim_visa"  # U or T visa


@dataclass(frozen=True)
class Encounter:
    """One event in the subject's immigration history (IDENT/CIS/EID record)."""

    kind: EncounterKind
    date: date
    detail: str = ""


@dataclass(frozen=True)
class SubjectFacts:
    """Everything the rules know about one booked person."""

    birth_date: date
    booking_time: datetime
    place_of_birth: str | None  # NCIC state/country code; US states are 2-letter codes, "US" also US
    citizenship_claim: str | None  # "US" or a country code
    convictions: tuple[Conviction, ...] = ()
    pending_charges: tuple[Charge, ...] = ()
    encounters: tuple[Encounter, ...] = ()
    outstanding_criminal_warrant: bool = False
    gang_or_terror_watchlist: bool = False
    crime_victim_indicated: bool = False

    @property
    def age(self) -> int:
        """Whole years of age on the booking date."""
        on = self.booking_time.date()
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - int(before_birthday)

    @property
    def booking_date(self) -> date:
        return self.booking_time.date()

    def has_encounter(self, *kinds: EncounterKind) -> bool:
        return any(e.kind in kinds for e in self.encounters)


def _check_ncic(code: str) -> None:
    if len(code) != 4 or not code.isdigit():
        raise ValueError(f"NCIC offense code must be 4 digits, got {code!r}")
