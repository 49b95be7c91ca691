"""The condition vocabulary shared by ICE issuance files and jurisdiction policy files.

A condition is a YAML mapping; every key in it must hold (an implicit AND). Keys:

    always: true                      unconditional
    requires: [reimbursement_agreement, judicial_warrant, detainer]
    age_at_least: 18 / age_under: 18  age at booking
    has_conviction: true              any criminal conviction (juvenile adjudications and infractions excluded)
    felony_conviction: true           a felony (or a conviction punishable by more than a year)
    homicide_conviction: true         NCIC tag "homicide", at any date
    conviction: {tags: [serious, violent], ranges: ["0900-0999"], exclude_ranges: ["5400-5499"], classes: [felony], within_years: 10,
                 release_within_years: 5, at_least: 1, include_juvenile: false, aggravated_felony: true,
                 currently_serving: true}
                                      at least `at_least` convictions matching every given key; with
                                      within_years and/or release_within_years, the conviction date or the
                                      release date must fall inside its window before booking
    pending_charge: true | {tags: [...], classes: [...]}
    outstanding_warrant: true         outstanding criminal warrant
    watchlist: true                   gang or terrorist watch list
    prior_removal_order: true         prior removal or unexecuted final order on record
    encounter: [prior_removal, ...]   any of these immigration encounters on record
    detainer_basis_in: [notice_to_appear, ...]
    status_in: [removable_criminal, ...] / level_in: [level_1, ...]   (ICE files; false when unknown)
    any_of: [cond, ...] / all_of: [cond, ...] / not: cond

A boolean key set to false means "must not hold".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scomm.rules import ncic
from scomm.rules._dates import years_before
from scomm.rules.facts import Conviction, DetainerBasis, EncounterKind, OffenseClass, SubjectFacts
from scomm.rules.levels import Level, is_criminal_conviction, is_felony
from scomm.rules.ncic import parse_range
from scomm.rules.status import ORDERS, IARStatus

Requirement = Literal["reimbursement_agreement", "judicial_warrant", "detainer"]


@dataclass(frozen=True)
class Context:
    """What a condition may look at."""

    subject: SubjectFacts
    detainer_basis: DetainerBasis | None = None
    reimbursement_agreement: bool = False
    judicial_warrant: bool = False
    status: IARStatus | None = None
    level: Level | None = None

    @property
    def on(self) -> date:
        return self.subject.booking_date

    def has(self, requirement: Requirement) -> bool:
        if requirement == "detainer":
            return self.detainer_basis is not None
        return bool(getattr(self, requirement))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _check_ranges(ranges: list[str]) -> None:
    for r in ranges:
        parse_range(r)


class ConvictionMatch(_Strict):
    tags: list[str] = []
    ranges: list[str] = []
    exclude_ranges: list[str] = []
    classes: list[OffenseClass] = []
    within_years: int | None = Field(default=None, ge=0)
    release_within_years: int | None = Field(default=None, ge=0)
    at_least: int = Field(default=1, ge=1)
    include_juvenile: bool = False
    aggravated_felony: bool | None = None
    currently_serving: bool | None = None  # release_date on or after the booking date

    @model_validator(mode="after")
    def _valid(self) -> ConvictionMatch:
        _check_ranges(self.ranges + self.exclude_ranges)
        return self

    def count(self, ctx: Context) -> int:
        return sum(1 for c in ctx.subject.convictions if self._matches(c, ctx.on))

    def _matches(self, c: Conviction, on: date) -> bool:
        if c.juvenile and not self.include_juvenile:
            return False
        if c.offense_class is OffenseClass.INFRACTION:
            return False
        if self.tags and not ncic.table().has_any_tag(c.ncic_code, self.tags):
            return False
        if self.ranges and not _in_ranges(c.ncic_code, self.ranges):
            return False
        if self.exclude_ranges and _in_ranges(c.ncic_code, self.exclude_ranges):
            return False
        if self.classes and c.offense_class not in self.classes:
            return False
        if self.aggravated_felony is not None and c.aggravated_felony != self.aggravated_felony:
            return False
        if self.currently_serving is not None and self.currently_serving != _serving(c, on):
            return False
        return self._recent(c, on)

    def _recent(self, c: Conviction, on: date) -> bool:
        """Inside the look-back window: conviction within N years or release within M, whichever is later."""
        if self.within_years is None and self.release_within_years is None:
            return True
        if self.within_years is not None and c.date >= years_before(on, self.within_years):
            return True
        return (self.release_within_years is not None and c.release_date is not None
                and c.release_date >= years_before(on, self.release_within_years))

    def describe(self) -> str:
        parts = [f"at least {self.at_least}" if self.at_least > 1 else "a"]
        if self.classes:
            parts.append("/".join(self.classes))
        if self.tags:
            parts.append("/".join(self.tags))
        parts.append("conviction" + ("s" if self.at_least > 1 else ""))
        if self.ranges:
            parts.append(f"(NCIC {', '.join(self.ranges)})")
        if self.exclude_ranges:
            parts.append(f"(not NCIC {', '.join(self.exclude_ranges)})")
        if self.aggravated_felony:
            parts.append("for an aggravated felony")
        if self.currently_serving:
            parts.append("currently being served")
        windows = []
        if self.within_years is not None:
            windows.append(f"convicted within {self.within_years} years")
        if self.release_within_years is not None:
            windows.append(f"released within {self.release_within_years} years")
        if windows:
            parts.append("(" + " or ".join(windows) + ", whichever is later)")
        return " ".join(parts)


class ChargeMatch(_Strict):
    tags: list[str] = []
    ranges: list[str] = []
    classes: list[OffenseClass] = []

    @model_validator(mode="after")
    def _valid(self) -> ChargeMatch:
        _check_ranges(self.ranges)
        return self

    def holds(self, ctx: Context) -> bool:
        return any((not self.tags or ncic.table().has_any_tag(ch.ncic_code, self.tags))
                   and (not self.ranges or _in_ranges(ch.ncic_code, self.ranges))
                   and (not self.classes or ch.offense_class in self.classes)
                   for ch in ctx.subject.pending_charges)


def _serving(c: Conviction, on: date) -> bool:
    return c.release_date is not None and c.release_date >= on


def _in_ranges(code: str, ranges: list[str]) -> bool:
    n = int(code)
    return any(lo <= n <= hi for lo, hi in map(parse_range, ranges))


class Condition(_Strict):
    always: Literal[True] | None = None
    requires: list[Requirement] | None = None
    age_at_least: int | None = Field(default=None, ge=0)
    age_under: int | None = Field(default=None, ge=0)
    has_conviction: bool | None = None
    felony_conviction: bool | None = None
    homicide_conviction: bool | None = None
    conviction: ConvictionMatch | None = None
    pending_charge: bool | ChargeMatch | None = None
    outstanding_warrant: bool | None = None
    watchlist: bool | None = None
    prior_removal_order: bool | None = None
    encounter: list[EncounterKind] | None = None
    detainer_basis_in: list[DetainerBasis] | None = None
    status_in: list[IARStatus] | None = None
    level_in: list[Level] | None = None
    any_of: list[Condition] | None = None
    all_of: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _coherent(self) -> Condition:
        if not self.model_fields_set:
            raise ValueError("empty condition: use `always: true` for an unconditional rule")
        if self.age_at_least is not None and self.age_under is not None and self.age_at_least >= self.age_under:
            raise ValueError(f"contradictory: age_at_least {self.age_at_least} and age_under {self.age_under} "
                             "can never both hold")
        for key in ("any_of", "all_of"):
            if getattr(self, key) == []:
                raise ValueError(f"{key} needs at least one condition")
        return self

    def holds(self, ctx: Context) -> bool:
        return all(self._check(key, ctx) for key in self.model_fields_set)

    def _check(self, key: str, ctx: Context) -> bool:
        value = getattr(self, key)
        s = ctx.subject
        match key:
            case "always":
                return True
            case "requires":
                return all(ctx.has(r) for r in value)
            case "age_at_least":
                return s.age >= value
            case "age_under":
                return s.age < value
            case "has_conviction":
                return any(is_criminal_conviction(c) for c in s.convictions) == value
            case "felony_conviction":
                return any(is_criminal_conviction(c) and is_felony(c) for c in s.convictions) == value
            case "homicide_conviction":
                return (ConvictionMatch(tags=["homicide"]).count(ctx) > 0) == value
            case "conviction":
                return value.count(ctx) >= value.at_least
            case "pending_charge":
                return value.holds(ctx) if isinstance(value, ChargeMatch) else bool(s.pending_charges) == value
            case "outstanding_warrant":
                return s.outstanding_criminal_warrant == value
            case "watchlist":
                return s.gang_or_terror_watchlist == value
            case "prior_removal_order":
                return s.has_encounter(*ORDERS) == value
            case "encounter":
                return s.has_encounter(*value)
            case "detainer_basis_in":
                return ctx.detainer_basis in value
            case "status_in":
                return ctx.status in value
            case "level_in":
                return ctx.level in value
            case "any_of":
                return any(c.holds(ctx) for c in value)
            case "all_of":
                return all(c.holds(ctx) for c in value)
            case "not_":
                return not value.holds(ctx)
        raise AssertionError(key)  # pragma: no cover - every field is handled above

    def describe(self) -> str:
        """A readable sentence for `scomm policy explain`."""
        parts = [self._describe(key) for key in type(self).model_fields if key in self.model_fields_set]
        return " and ".join(parts)

    def _describe(self, key: str) -> str:
        value = getattr(self, key)
        if isinstance(value, bool) and key != "always":
            phrase = key.replace("_", " ")
            return phrase if value else f"no {phrase}"
        match key:
            case "always":
                return "always"
            case "requires":
                return " and ".join(r.replace("_", " ") for r in value)
            case "age_at_least":
                return f"aged {value} or over"
            case "age_under":
                return f"under {value}"
            case "conviction":
                return value.describe()
            case "pending_charge":
                return f"a pending {'/'.join(value.classes + value.tags) or ''} charge".replace("  ", " ")
            case "encounter" | "detainer_basis_in" | "status_in" | "level_in":
                return f"{key.replace('_in', '').replace('_', ' ')} is one of {', '.join(value)}"
            case "any_of":
                return "(" + " or ".join(c.describe() for c in value) + ")"
            case "all_of":
                return "(" + " and ".join(c.describe() for c in value) + ")"
            case "not_":
                return f"not ({value.describe()})"
        return f"{key}={value}"  # pragma: no cover
