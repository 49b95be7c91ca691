"""NCIC offense codes: category names and the tags (violent, serious, drug, …) the rules key on.

The table itself is data (``policies/data/ncic.yaml``); this module only looks codes up in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from scomm.rules._yaml import load_yaml, validate

DATA_DIR = Path(__file__).parent / "policies" / "data"
NCIC_FILE = DATA_DIR / "ncic.yaml"


def parse_range(text: str) -> tuple[int, int]:
    """``"0900-0999"`` → ``(900, 999)``; a single ``"5401"`` → ``(5401, 5401)``."""
    lo, _, hi = text.partition("-")
    hi = hi or lo
    if not (len(lo) == len(hi) == 4 and lo.isdigit() and hi.isdigit()) or int(lo) > int(hi):
        raise ValueError(f"NCIC range must look like 0900-0999, got {text!r}")
    return int(lo), int(hi)


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    ranges: list[str]
    tags: list[str]

    @field_validator("ranges")
    @classmethod
    def _ranges(cls, v: list[str]) -> list[str]:
        for r in v:
            parse_range(r)
        return v


class _NcicFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unverified: bool
    source: str
    categories: list[_Category]
    us_places_of_birth: list[str]


@dataclass(frozen=True)
class NcicCategory:
    name: str
    title: str
    tags: frozenset[str]


UNKNOWN = NcicCategory("unknown", "Unlisted offense", frozenset())


@dataclass(frozen=True)
class NcicTable:
    """Ranges (lo, hi, category); lookups pick the narrowest range holding the code."""

    entries: tuple[tuple[int, int, NcicCategory], ...]
    us_places_of_birth: frozenset[str]

    def category(self, code: str) -> NcicCategory:
        n = int(code)
        hits = [(hi - lo, cat) for lo, hi, cat in self.entries if lo <= n <= hi]
        return min(hits, key=lambda h: h[0])[1] if hits else UNKNOWN

    def tags(self, code: str) -> frozenset[str]:
        return self.category(code).tags

    def has_any_tag(self, code: str, tags: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
        return bool(self.tags(code) & set(tags))

    def is_us_place_of_birth(self, pob: str | None) -> bool:
        return pob is not None and pob.strip().upper() in self.us_places_of_birth


@cache
def table(path: Path = NCIC_FILE) -> NcicTable:
    """The NCIC table loaded from ``path`` (cached)."""
    spec = validate(_NcicFile, load_yaml(path), path)
    entries = []
    for c in spec.categories:
        cat = NcicCategory(c.name, c.title, frozenset(c.tags))
        entries.extend((*parse_range(r), cat) for r in c.ranges)
    return NcicTable(tuple(entries), frozenset(p.upper() for p in spec.us_places_of_birth))


def category(code: str) -> NcicCategory:
    return table().category(code)


def is_violent(code: str) -> bool:
    return "violent" in table().tags(code)


def is_serious(code: str) -> bool:
    return "serious" in table().tags(code)
