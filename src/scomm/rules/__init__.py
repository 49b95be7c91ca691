"""Rules: priority levels, IAR status, ICE detainer issuance, jurisdiction detainer policies, the hold clock.

Pure functions over plain data (``scomm.rules.facts``); no storage, HTTP or fingerprints. Legal rules are
versioned YAML files under ``policies/`` that cite their source.

    facts = SubjectFacts(birth_date=..., booking_time=..., place_of_birth="MX", citizenship_claim="MX", ...)
    level = classify(facts)                                   # Level 1/2/3/non-criminal
    status = determine_status(facts)                          # IAR status
    decision = issuance_policy_for(facts.booking_date).decide(facts, status, level)
    local = load_policy("santa_clara_2011").evaluate(LocalFacts(facts, decision.basis))
"""

from scomm.rules.detainers import IssuanceDecision, IssuancePolicy, issuance_policy_for
from scomm.rules.facts import (Charge, Conviction, DetainerBasis, Encounter, EncounterKind, OffenseClass,
                               SubjectFacts)
from scomm.rules.hold_clock import FederalCalendar, FixedCalendar, HolidayCalendar, hold_deadline, is_overdue
from scomm.rules.levels import Level, LevelDefinition, LevelResult, classify
from scomm.rules.policies import (JurisdictionPolicy, LocalDecision, LocalFacts, RuleOutcome, list_policies,
                                  load_policy, policy_in_force)
from scomm.rules.status import IARStatus, StatusDetermination, determine_status

__all__ = [
    "Charge", "Conviction", "DetainerBasis", "Encounter", "EncounterKind", "FederalCalendar", "FixedCalendar",
    "HolidayCalendar", "IARStatus", "IssuanceDecision", "IssuancePolicy", "JurisdictionPolicy", "Level",
    "LevelDefinition", "LevelResult", "LocalDecision", "LocalFacts", "OffenseClass", "RuleOutcome",
    "StatusDetermination", "SubjectFacts", "classify", "determine_status", "hold_deadline", "is_overdue",
    "issuance_policy_for", "list_policies", "load_policy", "policy_in_force",
]
