"""The 287(g) jail enforcement model, for contrast with Secure Communities (domain.md §9).

Under an INA §287(g) MOA, designated and ICE-trained jail officers screen people already in custody —
in this model, sentenced inmates before release — interview them, check databases and prepare the
detainer, NTA and I-213 themselves. It is a separate pathway from SC's automatic IDENT screening, with its
own reasons; the SC safeguards (citizenship evidence, crime victims, never-removable statuses) still apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scomm.rules import ncic
from scomm.rules.detainers import Action
from scomm.rules.facts import DetainerBasis, EncounterKind, SubjectFacts
from scomm.rules.levels import Level, LevelResult
from scomm.rules.status import (NEVER_REMOVABLE_STATUSES, IARStatus, StatusDetermination, citizenship_evidence,
                                crime_victim_indicated)

PATHWAY = "287(g) jail enforcement model"


@dataclass(frozen=True)
class Agreement287g:
    """One agency's 287(g) MOA (the July 2009 template)."""

    agency: str
    signed: date
    expires: date | None = None
    sentenced_only: bool = True  # screen sentenced inmates before release (the jail model)
    priority_levels: tuple[Level, ...] | None = None  # MOA priority limits; None: every level

    def in_force(self, on: date) -> bool:
        return self.signed <= on and (self.expires is None or on <= self.expires)


@dataclass(frozen=True)
class Screening287g:
    action: Action
    basis: DetainerBasis | None
    reasons: tuple[str, ...]
    pathway: str = PATHWAY


def screen_287g(facts: SubjectFacts, status: StatusDetermination, level: LevelResult,
                agreement: Agreement287g, on: date | None = None) -> Screening287g:
    """What a designated officer does with one inmate before release."""
    day = on or facts.booking_date
    gate = _gate(facts, agreement, day)
    if gate is not None:
        return Screening287g("no_action", None, (gate,))
    if citizenship_evidence(facts) or status.citizenship_evidence:
        return Screening287g("human_review", None, ("evidence of US citizenship: refer to ICE supervisor",))
    if crime_victim_indicated(facts):
        return Screening287g("human_review", None, ("possible crime victim: refer to ICE supervisor",))
    return _officer_determination(facts, status, level, agreement)


def _gate(facts: SubjectFacts, agreement: Agreement287g, day: date) -> str | None:
    if not agreement.in_force(day):
        return f"no 287(g) MOA in force for {agreement.agency} on {day}"
    if agreement.sentenced_only and not any(c.sentence_days for c in facts.convictions):
        return "not a sentenced inmate: outside jail-model screening"
    foreign_born = not ncic.table().is_us_place_of_birth(facts.place_of_birth)
    foreign_claim = (facts.citizenship_claim or "").upper() not in ("", "US")
    if not (foreign_born or foreign_claim or facts.encounters):
        return "interview and database checks show no indication of foreign birth"
    return None


def _officer_determination(facts: SubjectFacts, status: StatusDetermination, level: LevelResult,
                           agreement: Agreement287g) -> Screening287g:
    if status.status in NEVER_REMOVABLE_STATUSES:
        return Screening287g("no_action", None, (f"officer finds {status.status.value}: not removable",))
    if status.status is IARStatus.FURTHER_INVESTIGATION:
        return Screening287g("human_review", None,
                             ("removability not established: officer must complete the investigation",))
    if agreement.priority_levels is not None and level.level not in agreement.priority_levels:
        return Screening287g("no_action", None, (f"{level.level.value} is outside the MOA's priority levels",))
    basis = (DetainerBasis.FINAL_ORDER if facts.has_encounter(EncounterKind.FINAL_ORDER)
             else DetainerBasis.REINSTATEMENT if facts.has_encounter(EncounterKind.PRIOR_REMOVAL)
             else DetainerBasis.NOTICE_TO_APPEAR)
    return Screening287g("lodge", basis, (
        f"designated officer finds {status.status.value} ({level.level.value})",
        f"officer prepares I-247 on {basis.value}, I-213 and charging documents"))
