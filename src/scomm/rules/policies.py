"""Jurisdiction detainer policies: what a jail does with an ICE detainer, domain.md §4.3 and §5.

Each policy is a YAML file in ``policies/local/``. "Honoring" is four separate decisions — ``hold``,
``notify``, ``transfer_in_facility``, ``ice_access`` — each an ordered list of rules (first match wins)
and an ``otherwise`` outcome. Conditions use the vocabulary in ``scomm.rules.conditions``.
A file that does not validate (unknown key, bad date, overlapping versions, contradictory or unreachable
rules) raises PolicyFileError with its path and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from scomm.errors import PolicyError, PolicyFileError
from scomm.rules._versions import Versioned, check_no_overlap, select_in_force
from scomm.rules._yaml import line_of, load_yaml, validate
from scomm.rules.conditions import Condition, Context
from scomm.rules.facts import DetainerBasis, SubjectFacts
from scomm.rules.hold_clock import HolidayCalendar, hold_deadline

LOCAL_DIR = Path(__file__).parent / "policies" / "local"
FLAGS = ("hold", "notify", "transfer_in_facility", "ice_access")
Flag = Literal["hold", "notify", "transfer_in_facility", "ice_access"]
_NEED_DETAINER = ("hold", "notify", "transfer_in_facility")


@dataclass(frozen=True)
class LocalFacts:
    """What the jail knows when a detainer (or none) arrives."""

    subject: SubjectFacts
    detainer_basis: DetainerBasis | None
    reimbursement_agreement: bool = False
    judicial_warrant: bool = False
    release_time: datetime | None = None


@dataclass(frozen=True)
class RuleOutcome:
    allowed: bool
    rule_id: str
    citation: str
    reason: str


@dataclass(frozen=True)
class LocalDecision:
    hold: RuleOutcome
    notify: RuleOutcome
    transfer_in_facility: RuleOutcome
    ice_access: RuleOutcome
    hold_hours: int
    policy: str
    hold_until: datetime | None = None  # the hold deadline, when a hold is allowed and release_time is known

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {flag: vars(getattr(self, flag)) for flag in FLAGS}
        out |= {"hold_hours": self.hold_hours, "policy": self.policy,
                "hold_until": self.hold_until.isoformat() if self.hold_until else None}
        return out


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    clause: str = ""
    allowed: bool
    when: Condition
    reason: str


class Otherwise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    allowed: bool
    reason: str
    clause: str = ""
    id: str = "otherwise"


class DecisionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rules: list[RuleSpec] = []
    otherwise: Otherwise


class PolicySpec(Versioned):
    """One jurisdiction policy file."""

    jurisdiction: str
    hold_hours: Literal[24, 48]
    notes: list[str] = []
    hold: DecisionSpec
    notify: DecisionSpec
    transfer_in_facility: DecisionSpec
    ice_access: DecisionSpec


@dataclass(frozen=True)
class JurisdictionPolicy:
    spec: PolicySpec
    path: Path

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def jurisdiction(self) -> str:
        return self.spec.jurisdiction

    @property
    def label(self) -> str:
        return f"{self.spec.name} ({self.spec.effective_from}–{self.spec.effective_to or ''})"

    def evaluate(self, facts: LocalFacts, calendar: HolidayCalendar | None = None) -> LocalDecision:
        """The four honoring decisions for ``facts``, each naming the rule that fired."""
        ctx = Context(subject=facts.subject, detainer_basis=facts.detainer_basis,
                      reimbursement_agreement=facts.reimbursement_agreement,
                      judicial_warrant=facts.judicial_warrant)
        outcomes = {flag: self._decide(flag, ctx) for flag in FLAGS}
        hold_until = None
        if outcomes["hold"].allowed and facts.release_time is not None:
            hold_until = hold_deadline(facts.release_time, self.spec.hold_hours, calendar)
        return LocalDecision(**outcomes, hold_hours=self.spec.hold_hours, policy=self.name,
                             hold_until=hold_until)

    def _decide(self, flag: str, ctx: Context) -> RuleOutcome:
        if flag in _NEED_DETAINER and ctx.detainer_basis is None:
            return RuleOutcome(False, "no-detainer", "8 CFR 287.7", "no detainer lodged: nothing to honor")
        spec: DecisionSpec = getattr(self.spec, flag)
        for rule in spec.rules:
            if rule.when.holds(ctx):
                return RuleOutcome(rule.allowed, rule.id, self._cite(rule.clause), rule.reason)
        other = spec.otherwise
        return RuleOutcome(other.allowed, other.id, self._cite(other.clause), other.reason)

    def _cite(self, clause: str) -> str:
        return f"{self.spec.source.citation}, {clause}" if clause else self.spec.source.citation

    def explain(self) -> str:
        """The policy as readable text (used by `scomm policy explain`)."""
        s = self.spec
        lines = [f"{s.name}: {s.title}", f"  jurisdiction: {s.jurisdiction}",
                 f"  source: {s.source.citation} <{s.source.url}>",
                 f"  in force: {s.effective_from} to {s.effective_to or 'open'}; holds at most {s.hold_hours}h "
                 "excluding weekends and holidays"]
        lines += [f"  note: {n}" for n in s.notes]
        for flag in FLAGS:
            spec: DecisionSpec = getattr(s, flag)
            lines.append(f"  {flag}:")
            for rule in spec.rules:
                verdict = "ALLOW" if rule.allowed else "DENY"
                clause = f" [{rule.clause}]" if rule.clause else ""
                lines.append(f"    {rule.id}: {verdict} if {rule.when.describe()}{clause}")
            verdict = "ALLOW" if spec.otherwise.allowed else "DENY"
            lines.append(f"    otherwise: {verdict} — {spec.otherwise.reason}")
        return "\n".join(lines)


def load_policy(name_or_path: str | Path) -> JurisdictionPolicy:
    """A bundled policy by name (``"santa_clara_2011"``) or any policy file by path."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = LOCAL_DIR / f"{name_or_path}.yaml"
        if not path.is_file():
            known = ", ".join(p.stem for p in sorted(LOCAL_DIR.glob("*.yaml")))
            raise PolicyError(f"no policy named {name_or_path!r}; known: {known}")
    return _load(path)


def _load(path: Path) -> JurisdictionPolicy:
    data = load_yaml(path)
    spec = validate(PolicySpec, data, path)
    for flag in FLAGS:
        _check_rules(getattr(spec, flag), data, flag, path)
    if path.stem != spec.name:
        raise PolicyFileError(str(path), line_of(data, ("name",)),
                              f"name {spec.name!r} must match the file name {path.stem!r}")
    return JurisdictionPolicy(spec, path)


def _check_rules(spec: DecisionSpec, data: Any, flag: str, path: Path) -> None:
    """Duplicate ids, rules after an unconditional rule, and same-condition rules with opposite outcomes."""
    seen: dict[str, RuleSpec] = {}
    ids: set[str] = set()
    for i, rule in enumerate(spec.rules):
        line = line_of(data, (flag, "rules", i))
        if rule.id in ids:
            raise PolicyFileError(str(path), line, f"{flag}: duplicate rule id {rule.id!r}")
        ids.add(rule.id)
        if i > 0 and spec.rules[i - 1].when.always:
            raise PolicyFileError(str(path), line, f"{flag}: rule {rule.id!r} is unreachable after "
                                  f"unconditional rule {spec.rules[i - 1].id!r}")
        key = rule.when.model_dump_json(exclude_unset=True)
        twin = seen.get(key)
        if twin is not None and twin.allowed != rule.allowed:
            raise PolicyFileError(str(path), line, f"{flag}: contradictory rules: {rule.id!r} and {twin.id!r} "
                                  "have the same condition but opposite outcomes")
        seen.setdefault(key, rule)


def load_policies(directory: Path = LOCAL_DIR) -> list[JurisdictionPolicy]:
    """Every policy file in ``directory``; overlapping versions of one jurisdiction are a PolicyFileError."""
    policies = [_load(p) for p in sorted(Path(directory).glob("*.yaml"))]
    check_no_overlap(policies, lambda p: p.spec, lambda p: p.jurisdiction,
                     lambda p: (p.path, line_of(load_yaml(p.path), ("effective_from",))))
    return policies


@cache
def _bundled() -> tuple[JurisdictionPolicy, ...]:
    return tuple(load_policies(LOCAL_DIR))


def list_policies(directory: Path | None = None) -> list[JurisdictionPolicy]:
    """The bundled jurisdiction policies (or those in ``directory``), sorted by name."""
    return list(_bundled()) if directory is None else load_policies(directory)


def policy_in_force(jurisdiction_policies: Iterable[JurisdictionPolicy], on: date) -> JurisdictionPolicy:
    """The one version in force on ``on`` among versions of one jurisdiction's policy."""
    return select_in_force(list(jurisdiction_policies), lambda p: p.spec, on, "jurisdiction policy")


def policies_for(jurisdiction: str) -> list[JurisdictionPolicy]:
    """All bundled versions of one jurisdiction's policy."""
    return [p for p in list_policies() if p.jurisdiction == jurisdiction]
