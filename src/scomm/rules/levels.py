"""Priority levels (Level 1/2/3/non-criminal) under the two generations of definitions, domain.md §3.

``classify(facts, definition)`` is the one entry point; the ranges and thresholds are data files under
``policies/data`` (``levels_2008.yaml``, ``levels_2010.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from scomm.rules._yaml import load_yaml, validate
from scomm.rules.facts import Charge, Conviction, OffenseClass, SubjectFacts
from scomm.rules.ncic import DATA_DIR, parse_range


class Level(StrEnum):
    LEVEL_1 = "level_1"
    LEVEL_2 = "level_2"
    LEVEL_3 = "level_3"
    NON_CRIMINAL = "non_criminal"

    @property
    def rank(self) -> int:
        """1 for Level 1 … 4 for non-criminal; lower is more serious."""
        return list(Level).index(self) + 1


class LevelDefinition(StrEnum):
    OFFENSE_CATEGORY_2008 = "2008"
    CONVICTION_2010 = "2010"


@dataclass(frozen=True)
class LevelResult:
    level: Level
    reason: str
    mscc: Conviction | None  # most serious criminal conviction, None when there is none


# --- parameters ---------------------------------------------------------------------------------------

class Thresholds2010(BaseModel):
    """The 2010 conviction/sentence thresholds (``levels_2010.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    unverified: bool = True
    source: str = ""
    one_year_days: int = 365
    level_1_long_convictions: int = 2
    level_2_short_convictions: int = 3


class _Entry2008(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    category: str
    ranges: list[str]
    sentence_over_one_year: bool | None = None

    @field_validator("ranges")
    @classmethod
    def _ranges(cls, v: list[str]) -> list[str]:
        for r in v:
            parse_range(r)
        return v

    def matches(self, code: str, over_one_year: bool) -> bool:
        n = int(code)
        in_range = any(lo <= n <= hi for lo, hi in map(parse_range, self.ranges))
        return in_range and self.sentence_over_one_year in (None, over_one_year)


class Table2008(BaseModel):
    """The 2008 offense-category table (``levels_2008.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    unverified: bool
    source: str
    levels: dict[str, list[_Entry2008]]

    @field_validator("levels")
    @classmethod
    def _levels(cls, v: dict[str, list[_Entry2008]]) -> dict[str, list[_Entry2008]]:
        unknown = set(v) - {Level.LEVEL_1.value, Level.LEVEL_2.value}
        if unknown:
            raise ValueError(f"only level_1 and level_2 are listed (level_3 is the rest), got {sorted(unknown)}")
        return v


@cache
def thresholds_2010(path: Path = DATA_DIR / "levels_2010.yaml") -> Thresholds2010:
    return validate(Thresholds2010, load_yaml(path), path)


@cache
def table_2008(path: Path = DATA_DIR / "levels_2008.yaml") -> Table2008:
    return validate(Table2008, load_yaml(path), path)


# --- shared helpers -----------------------------------------------------------------------------------

def is_criminal_conviction(c: Conviction) -> bool:
    """Juvenile adjudications and infractions are not criminal convictions."""
    return not c.juvenile and c.offense_class is not OffenseClass.INFRACTION


def punishable_over_one_year(c: Conviction, one_year_days: int = 365) -> bool:
    if c.max_sentence_days is not None:
        return c.max_sentence_days > one_year_days
    return c.offense_class is OffenseClass.FELONY


def is_felony(c: Conviction, one_year_days: int = 365) -> bool:
    return c.offense_class is OffenseClass.FELONY or punishable_over_one_year(c, one_year_days)


def criminal_convictions(facts: SubjectFacts) -> list[Conviction]:
    return [c for c in facts.convictions if is_criminal_conviction(c)]


def most_serious(convictions: list[Conviction], one_year_days: int = 365) -> Conviction | None:
    """Aggravated felony first, then felony, then the longest maximum sentence, then the most recent."""
    def key(c: Conviction) -> tuple[bool, bool, int, object]:
        return (c.aggravated_felony, is_felony(c, one_year_days), c.max_sentence_days or 0, c.date)
    return max(convictions, key=key, default=None)


# --- classification -----------------------------------------------------------------------------------

def classify(facts: SubjectFacts,
             definition: LevelDefinition = LevelDefinition.CONVICTION_2010) -> LevelResult:
    """The subject's priority level under ``definition``."""
    if definition is LevelDefinition.OFFENSE_CATEGORY_2008:
        return classify_2008(facts, table_2008())
    return classify_2010(facts, thresholds_2010())


def classify_2010(facts: SubjectFacts, t: Thresholds2010) -> LevelResult:
    convictions = criminal_convictions(facts)
    mscc = most_serious(convictions, t.one_year_days)
    if not convictions:
        return LevelResult(Level.NON_CRIMINAL, "no criminal conviction", None)
    long_ = [c for c in convictions if punishable_over_one_year(c, t.one_year_days)]
    short = [c for c in convictions if not punishable_over_one_year(c, t.one_year_days)]
    aggravated = [c for c in convictions if c.aggravated_felony]
    if aggravated:
        return LevelResult(Level.LEVEL_1, f"aggravated felony conviction (NCIC {aggravated[0].ncic_code})", mscc)
    if len(long_) >= t.level_1_long_convictions:
        return LevelResult(Level.LEVEL_1, f"{len(long_)} convictions punishable by more than "
                           f"{t.one_year_days} days (threshold {t.level_1_long_convictions})", mscc)
    felonies = [c for c in convictions if is_felony(c, t.one_year_days)]
    if felonies:
        return LevelResult(Level.LEVEL_2, f"felony conviction (NCIC {felonies[0].ncic_code})", mscc)
    if len(short) >= t.level_2_short_convictions:
        return LevelResult(Level.LEVEL_2, f"{len(short)} convictions punishable by at most "
                           f"{t.one_year_days} days (threshold {t.level_2_short_convictions})", mscc)
    return LevelResult(Level.LEVEL_3, f"{len(short)} conviction(s) punishable by at most {t.one_year_days} days",
                       mscc)


def classify_2008(facts: SubjectFacts, table: Table2008, one_year_days: int = 365) -> LevelResult:
    convictions = criminal_convictions(facts)
    mscc = most_serious(convictions, one_year_days)
    offenses: list[tuple[str, str, bool]] = [
        ("conviction", c.ncic_code, punishable_over_one_year(c, one_year_days)) for c in convictions]
    offenses += [("charge", ch.ncic_code, _charge_over_one_year(ch)) for ch in facts.pending_charges]
    if not offenses:
        return LevelResult(Level.NON_CRIMINAL, "no conviction and no pending charge", None)
    for level in (Level.LEVEL_1, Level.LEVEL_2):
        for entry in table.levels.get(level.value, []):
            for kind, code, over in offenses:
                if entry.matches(code, over):
                    return LevelResult(level, f"{kind} NCIC {code} in {entry.category} (2008 table, unverified)",
                                       mscc)
    kind, code, _ = offenses[0]
    return LevelResult(Level.LEVEL_3, f"{kind} NCIC {code} in no Level 1/2 category (2008 table, unverified)",
                       mscc)


def _charge_over_one_year(ch: Charge) -> bool:
    return ch.offense_class is OffenseClass.FELONY
