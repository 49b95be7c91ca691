"""What every versioned rules file shares: a cited source and an effective-date window."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from scomm.errors import PolicyError, PolicyFileError


class Source(BaseModel):
    """The legal instrument a file implements."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    citation: str
    url: str


class Versioned(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    name: str
    title: str
    source: Source
    effective_from: date
    effective_to: date | None = None  # inclusive; None: still in force

    @model_validator(mode="after")
    def _window(self) -> Versioned:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"effective_to {self.effective_to} is before effective_from {self.effective_from}")
        return self

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


T = TypeVar("T")


def check_no_overlap(items: Iterable[T], spec: Callable[[T], Versioned], group: Callable[[T], str],
                     where: Callable[[T], tuple[Path, int | None]]) -> None:
    """Raise PolicyFileError at the later file when two versions of one group are in force on the same day."""
    by_group: dict[str, list[T]] = {}
    for item in items:
        by_group.setdefault(group(item), []).append(item)
    for versions in by_group.values():
        versions.sort(key=lambda i: spec(i).effective_from)
        for earlier, later in zip(versions, versions[1:]):
            end = spec(earlier).effective_to
            if end is None or end >= spec(later).effective_from:
                path, line = where(later)
                raise PolicyFileError(str(path), line,
                                      f"effective dates overlap with {spec(earlier).name} "
                                      f"({spec(earlier).effective_from} to {end or 'open'})")


def select_in_force(items: Iterable[T], spec: Callable[[T], Versioned], on: date, what: str) -> T:
    """The single item in force on ``on``."""
    hits = [i for i in items if spec(i).in_force(on)]
    if not hits:
        raise PolicyError(f"no {what} in force on {on}")
    if len(hits) > 1:
        raise PolicyError(f"{len(hits)} {what}s in force on {on}: {', '.join(spec(h).name for h in hits)}")
    return hits[0]
