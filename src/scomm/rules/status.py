"""The IAR status determination: what the LESC would answer about a matched subject, domain.md §2.3.

A fingerprint match is never by itself removability. The status follows the immigration history
(ordered by date, the latest status-bearing encounter wins) and, for lawful permanent residents, the
criminal deportability grounds in ``policies/data/lpr_grounds.yaml``. Conflicting or thin histories are
sent for further investigation rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from scomm.rules import ncic
from scomm.rules._dates import years_after
from scomm.rules._yaml import load_yaml, validate
from scomm.rules.facts import Conviction, Encounter, EncounterKind, SubjectFacts
from scomm.rules.levels import criminal_convictions
from scomm.rules.ncic import DATA_DIR

K = EncounterKind


class IARStatus(StrEnum):
    REMOVABLE_CRIMINAL = "removable_criminal"
    REMOVABLE_NONCRIMINAL = "removable_noncriminal"
    LPR_REMOVABLE_BY_CONVICTION = "lpr_removable_by_conviction"
    LAWFUL_STATUS_NOT_REMOVABLE = "lawful_status_not_removable"
    USC_NATURALIZED = "usc_naturalized"
    USC_DERIVED = "usc_derived"
    NO_RECORD = "no_record"
    FURTHER_INVESTIGATION = "further_investigation"

    @property
    def removable(self) -> bool:
        return self in REMOVABLE_STATUSES


REMOVABLE_STATUSES = frozenset({IARStatus.REMOVABLE_CRIMINAL, IARStatus.REMOVABLE_NONCRIMINAL,
                                IARStatus.LPR_REMOVABLE_BY_CONVICTION})
NEVER_REMOVABLE_STATUSES = frozenset({IARStatus.USC_NATURALIZED, IARStatus.USC_DERIVED,
                                      IARStatus.LAWFUL_STATUS_NOT_REMOVABLE, IARStatus.NO_RECORD})

CITIZENSHIP = frozenset({K.NATURALIZATION, K.DERIVED_CITIZENSHIP})
ORDERS = frozenset({K.PRIOR_REMOVAL, K.FINAL_ORDER})
VIOLATIONS = frozenset({K.VISA_OVERSTAY, K.ENTRY_WITHOUT_INSPECTION})
GRANTS = frozenset({K.LAWFUL_PERMANENT_RESIDENT, K.TEMPORARY_PROTECTED_STATUS, K.CRIME_VICTIM_VISA,
                    K.VISA_ISSUED})
# Same-day tie-break: a grant precedes a violation on the same day, which precedes an order.
_RANK = {**{k: 0 for k in GRANTS}, **{k: 1 for k in VIOLATIONS}, **{k: 2 for k in ORDERS}}


@dataclass(frozen=True)
class StatusDetermination:
    status: IARStatus
    reasons: tuple[str, ...]
    citizenship_evidence: bool


class _Cimt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tag: str
    within_years_of_admission: int
    min_max_sentence_days: int
    any_time_count: int


class LprGrounds(BaseModel):
    """INA §237(a)(2) criminal grounds, as parameters (``lpr_grounds.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str
    aggravated_felony: bool
    any_conviction_tagged: list[str]
    moral_turpitude: _Cimt


@cache
def lpr_grounds(path: Path = DATA_DIR / "lpr_grounds.yaml") -> LprGrounds:
    return validate(LprGrounds, load_yaml(path), path)


def citizenship_evidence(facts: SubjectFacts) -> bool:
    """Naturalization or derived citizenship on record, or a US citizenship claim with a US place of birth."""
    if facts.has_encounter(*CITIZENSHIP):
        return True
    return claims_us_birth(facts)


def claims_us_birth(facts: SubjectFacts) -> bool:
    claim = (facts.citizenship_claim or "").strip().upper()
    return claim == "US" and ncic.table().is_us_place_of_birth(facts.place_of_birth)


def crime_victim_indicated(facts: SubjectFacts) -> bool:
    return facts.crime_victim_indicated or facts.has_encounter(K.CRIME_VICTIM_VISA)


def lpr_removal_grounds(facts: SubjectFacts, admitted: Encounter | None,
                        grounds: LprGrounds | None = None) -> list[str]:
    """The deportability grounds an LPR's criminal convictions meet (empty: none)."""
    g = grounds or lpr_grounds()
    table = ncic.table()
    convictions = criminal_convictions(facts)
    found: list[str] = []
    for c in convictions:
        if g.aggravated_felony and c.aggravated_felony:
            found.append(f"aggravated felony conviction NCIC {c.ncic_code} ({c.date})")
        tagged = table.tags(c.ncic_code) & set(g.any_conviction_tagged)
        if tagged:
            found.append(f"{'/'.join(sorted(tagged))} conviction NCIC {c.ncic_code} ({c.date})")
    cimts = [c for c in convictions if g.moral_turpitude.tag in table.tags(c.ncic_code)]
    if len(cimts) >= g.moral_turpitude.any_time_count:
        found.append(f"{len(cimts)} convictions for crimes involving moral turpitude")
    elif admitted is not None:
        found += [f"crime involving moral turpitude within {g.moral_turpitude.within_years_of_admission} years "
                  f"of admission, NCIC {c.ncic_code} ({c.date})" for c in cimts if _early_cimt(c, admitted, g)]
    return found


def _early_cimt(c: Conviction, admitted: Encounter, g: LprGrounds) -> bool:
    limit = years_after(admitted.date, g.moral_turpitude.within_years_of_admission)
    return (admitted.date <= c.date <= limit
            and (c.max_sentence_days or 0) >= g.moral_turpitude.min_max_sentence_days)


def determine_status(facts: SubjectFacts, grounds: LprGrounds | None = None) -> StatusDetermination:
    """The IAR status for ``facts``; ``grounds`` overrides the LPR deportability table."""
    evidence = citizenship_evidence(facts)
    status, reasons = _determine(facts, grounds)
    return StatusDetermination(status, tuple(reasons), evidence)


def _determine(facts: SubjectFacts, grounds: LprGrounds | None) -> tuple[IARStatus, list[str]]:
    history = sorted(facts.encounters, key=lambda e: (e.date, _RANK.get(e.kind, -1)))
    if not history:
        return IARStatus.NO_RECORD, ["no immigration encounter on record"]
    citizen = [e for e in history if e.kind in CITIZENSHIP]
    if citizen:
        return _citizen(history, citizen[0])
    if claims_us_birth(facts):
        return IARStatus.FURTHER_INVESTIGATION, [
            f"claims US citizenship with US place of birth {facts.place_of_birth!r} but has immigration "
            "encounters: conflicting record"]
    bearing = [e for e in history if e.kind in GRANTS | VIOLATIONS | ORDERS]
    if not bearing:
        kinds = ", ".join(sorted({e.kind.value for e in history}))
        return IARStatus.FURTHER_INVESTIGATION, [f"only {kinds} on record: status cannot be determined"]
    latest = bearing[-1]
    if latest.kind in GRANTS:
        return _granted(facts, history, latest, grounds)
    return _removable(facts, bearing)


def _citizen(history: list[Encounter], first: Encounter) -> tuple[IARStatus, list[str]]:
    later_orders = [e for e in history if e.kind in ORDERS and e.date > first.date]
    if later_orders:
        return IARStatus.FURTHER_INVESTIGATION, [
            f"{later_orders[0].kind.value} on {later_orders[0].date} after {first.kind.value} on {first.date}: "
            "conflicting record"]
    status = IARStatus.USC_NATURALIZED if first.kind is K.NATURALIZATION else IARStatus.USC_DERIVED
    return status, [f"{first.kind.value} on {first.date}: United States citizen"]


def _granted(facts: SubjectFacts, history: list[Encounter], grant: Encounter,
             grounds: LprGrounds | None) -> tuple[IARStatus, list[str]]:
    prior_orders = [e for e in history if e.kind in ORDERS and e.date <= grant.date]
    if prior_orders:
        return IARStatus.FURTHER_INVESTIGATION, [
            f"{grant.kind.value} on {grant.date} after {prior_orders[-1].kind.value} on {prior_orders[-1].date}: "
            "conflicting record"]
    if grant.kind is not K.LAWFUL_PERMANENT_RESIDENT:
        return IARStatus.LAWFUL_STATUS_NOT_REMOVABLE, [f"{grant.kind.value} on {grant.date}"]
    found = lpr_removal_grounds(facts, grant, grounds)
    if found:
        return IARStatus.LPR_REMOVABLE_BY_CONVICTION, [f"lawful permanent resident since {grant.date}", *found]
    return IARStatus.LAWFUL_STATUS_NOT_REMOVABLE, [
        f"lawful permanent resident since {grant.date}; no conviction meets a deportability ground"]


def _removable(facts: SubjectFacts, bearing: list[Encounter]) -> tuple[IARStatus, list[str]]:
    last_grant = max((i for i, e in enumerate(bearing) if e.kind in GRANTS), default=-1)
    grounds = [f"{e.kind.value} on {e.date}" for e in bearing[last_grant + 1:]]
    convictions = criminal_convictions(facts)
    if convictions:
        return IARStatus.REMOVABLE_CRIMINAL, [*grounds, f"{len(convictions)} criminal conviction(s)"]
    return IARStatus.REMOVABLE_NONCRIMINAL, [*grounds, "no criminal conviction"]
