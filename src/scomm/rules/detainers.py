"""ICE-side detainer issuance: whether to lodge an I-247, on which basis, under the guidance of the day.

Each version of ICE practice is a YAML file in ``policies/ice/`` selected by booking date
(``issuance_policy_for``). Two safeguards are code, not data, and hold in every version:

* citizenship evidence (naturalization, derived citizenship, or a US claim with a US place of birth) or a
  crime-victim indication (flag or U/T visa) sends the case to a human, never to "lodge";
* a USC, lawful-status or no-record determination never lodges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from scomm.errors import PolicyFileError
from scomm.rules._versions import Versioned, check_no_overlap, select_in_force
from scomm.rules._yaml import line_of, load_yaml, validate
from scomm.rules.conditions import Condition, Context
from scomm.rules.facts import DetainerBasis, EncounterKind, SubjectFacts
from scomm.rules.levels import LevelResult
from scomm.rules.status import (NEVER_REMOVABLE_STATUSES, IARStatus, StatusDetermination,
                                citizenship_evidence, crime_victim_indicated)

ICE_DIR = Path(__file__).parent / "policies" / "ice"

Action = Literal["lodge", "no_action", "human_review"]

__all__ = ["Action", "DetainerBasis", "IssuanceDecision", "IssuancePolicy", "issuance_policy_for",
           "load_issuance_policies"]


@dataclass(frozen=True)
class IssuanceDecision:
    action: Action
    basis: DetainerBasis | None
    rule_id: str
    reason: str
    policy: str  # "name version"


class PriorityRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    clause: str = ""
    when: Condition
    reason: str


class IssuanceSpec(Versioned):
    """One ICE issuance file."""

    version: str
    lodge_statuses: list[IARStatus]
    further_investigation: Literal["lodge_investigation_initiated", "human_review", "no_action"]
    allow_investigation_initiated: bool
    removable_basis: DetainerBasis = DetainerBasis.NOTICE_TO_APPEAR
    priorities: list[PriorityRule] | None = None  # None: every removable subject, any level
    notes: list[str] = []

    @model_validator(mode="after")
    def _coherent(self) -> IssuanceSpec:
        never = NEVER_REMOVABLE_STATUSES & set(self.lodge_statuses)
        if never:
            raise ValueError(f"contradictory: lodge_statuses lists never-removable {sorted(never)}")
        if self.further_investigation == "lodge_investigation_initiated" and not self.allow_investigation_initiated:
            raise ValueError("contradictory: further_investigation lodges on investigation_initiated, "
                             "which allow_investigation_initiated forbids")
        if self.removable_basis is DetainerBasis.INVESTIGATION_INITIATED:
            raise ValueError("removable_basis must be a removability basis, not investigation_initiated")
        if IARStatus.FURTHER_INVESTIGATION in self.lodge_statuses:
            raise ValueError("further_investigation is governed by the `further_investigation` key, "
                             "not lodge_statuses")
        return self


@dataclass(frozen=True)
class IssuancePolicy:
    spec: IssuanceSpec
    path: Path

    @property
    def name(self) -> str:
        return f"{self.spec.name} {self.spec.version}"

    def decide(self, facts: SubjectFacts, status: StatusDetermination, level: LevelResult) -> IssuanceDecision:
        """Lodge, no action or human review for one matched subject."""
        safeguard = self._safeguard(facts, status)
        if safeguard is not None:
            return safeguard
        if status.status is IARStatus.FURTHER_INVESTIGATION:
            return self._further_investigation(facts, status, level)
        if status.status not in self.spec.lodge_statuses:
            return self._decision("no_action", None, "status-not-lodgeable",
                                  f"IAR status {status.status.value} is not a lodgeable status")
        return self._lodge_if_priority(facts, status, level, self._basis(facts))

    def _safeguard(self, facts: SubjectFacts, status: StatusDetermination) -> IssuanceDecision | None:
        if status.citizenship_evidence or citizenship_evidence(facts):
            return self._decision("human_review", None, "safeguard-citizenship-evidence",
                                  "evidence of US citizenship: an officer must review before any detainer")
        if crime_victim_indicated(facts):
            return self._decision("human_review", None, "safeguard-crime-victim",
                                  "possible crime victim (U/T visa or indication): an officer must review")
        if status.status in NEVER_REMOVABLE_STATUSES:
            return self._decision("no_action", None, "safeguard-not-removable",
                                  f"IAR status {status.status.value}: not removable, never lodged")
        return None

    def _further_investigation(self, facts: SubjectFacts, status: StatusDetermination,
                               level: LevelResult) -> IssuanceDecision:
        mode = self.spec.further_investigation
        if mode == "lodge_investigation_initiated":
            return self._lodge_if_priority(facts, status, level, DetainerBasis.INVESTIGATION_INITIATED)
        reason = "status needs further investigation; no removability basis yet"
        return self._decision(mode, None, f"further-investigation-{mode.replace('_', '-')}", reason)

    def _lodge_if_priority(self, facts: SubjectFacts, status: StatusDetermination, level: LevelResult,
                           basis: DetainerBasis) -> IssuanceDecision:
        if self.spec.priorities is None:
            return self._decision("lodge", basis, "lodge-removable",
                                  f"{status.status.value}, {level.level.value}: detainer lodged on {basis.value}")
        ctx = Context(subject=facts, status=status.status, level=level.level)
        for rule in self.spec.priorities:
            if rule.when.holds(ctx):
                return self._decision("lodge", basis, rule.id, f"{rule.reason}; basis {basis.value}")
        return self._decision("no_action", None, "not-a-priority",
                              "no priority category applies (felony, 3+ misdemeanors, significant misdemeanor, "
                              "prior order, reentry, fraud, national security)")

    def _basis(self, facts: SubjectFacts) -> DetainerBasis:
        if facts.has_encounter(EncounterKind.FINAL_ORDER):
            return DetainerBasis.FINAL_ORDER
        if facts.has_encounter(EncounterKind.PRIOR_REMOVAL):
            return DetainerBasis.REINSTATEMENT
        return self.spec.removable_basis

    def _decision(self, action: Action, basis: DetainerBasis | None, rule_id: str, reason: str) -> IssuanceDecision:
        return IssuanceDecision(action, basis, rule_id, reason, self.name)


def load_issuance_policy(path: Path) -> IssuancePolicy:
    data = load_yaml(path)
    spec = validate(IssuanceSpec, data, path)
    if spec.priorities is not None:
        ids = [p.id for p in spec.priorities]
        for i, pid in enumerate(ids):
            if pid in ids[:i]:
                raise PolicyFileError(str(path), line_of(data, ("priorities", i)), f"duplicate rule id {pid!r}")
    return IssuancePolicy(spec, path)


def load_issuance_policies(directory: Path = ICE_DIR) -> list[IssuancePolicy]:
    """Every ICE issuance file in ``directory``; overlapping effective dates are a PolicyFileError."""
    policies = [load_issuance_policy(p) for p in sorted(Path(directory).glob("*.yaml"))]
    check_no_overlap(policies, lambda p: p.spec, lambda p: "ice",
                     lambda p: (p.path, line_of(load_yaml(p.path), ("effective_from",))))
    return policies


@cache
def _bundled() -> tuple[IssuancePolicy, ...]:
    return tuple(load_issuance_policies(ICE_DIR))


def issuance_policy_for(booking_date: date, directory: Path | None = None) -> IssuancePolicy:
    """The ICE issuance practice in force on ``booking_date``."""
    policies = _bundled() if directory is None else load_issuance_policies(directory)
    return select_in_force(policies, lambda p: p.spec, booking_date, "ICE issuance policy")
