"""The detainer hold clock: "not to exceed 48 hours, excluding Saturdays, Sundays, and holidays" (8 CFR 287.7(d)).

Counting convention (scomm's reading of the regulation, stated once here):

* The clock starts at the moment the person would otherwise be released (bond posted, ROR, dismissal,
  sentence served) — ``release_time``.
* Only time on *counting days* counts. A counting day is a calendar day, midnight to midnight in the jail's
  local wall-clock time, that the calendar does not exclude. Saturdays, Sundays and US federal holidays
  (the ``holidays`` package's US calendar, observed dates included, e.g. Monday 2011-12-26) are excluded
  *whole*: time elapsing on an excluded day does not count, whatever hour the person was released.
* The deadline is the instant the ``hours``-th counted hour ends. When that is exactly midnight at the end
  of a counting day, the deadline is that midnight (the end of the last counted day), even if the next day
  is excluded. A release at Friday 17:00 with 48 hours therefore ends Tuesday 17:00 (7 h Friday, 24 h
  Monday, 17 h Tuesday).
* Wall-clock arithmetic: a timezone-aware ``release_time`` keeps its tzinfo, and daylight-saving shifts
  are not corrected for (a one-hour error at most, twice a year).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

import holidays

DEFAULT_HOLD_HOURS = 48
_DAY = timedelta(days=1)


class HolidayCalendar(Protocol):
    """Which calendar days do not count towards a hold."""

    def is_excluded(self, day: date) -> bool: ...


@dataclass(frozen=True)
class FederalCalendar:
    """Saturdays, Sundays and US federal holidays (observed dates included), plus ``extra`` local closures."""

    extra: frozenset[date] = frozenset()
    _us: holidays.HolidayBase = field(default_factory=lambda: holidays.US(observed=True), compare=False)

    def is_excluded(self, day: date) -> bool:
        return day.weekday() >= 5 or day in self._us or day in self.extra


@dataclass(frozen=True)
class FixedCalendar:
    """An in-memory calendar for tests: weekends (optionally) plus the given dates."""

    dates: frozenset[date] = frozenset()
    weekends: bool = True

    @classmethod
    def of(cls, dates: Iterable[date], weekends: bool = True) -> FixedCalendar:
        return cls(frozenset(dates), weekends)

    def is_excluded(self, day: date) -> bool:
        return (self.weekends and day.weekday() >= 5) or day in self.dates


_FEDERAL = FederalCalendar()


def hold_deadline(release_time: datetime, hours: int = DEFAULT_HOLD_HOURS,
                  calendar: HolidayCalendar | None = None) -> datetime:
    """The latest instant a detainer hold may last, counting ``hours`` of counting-day time from release."""
    if hours <= 0:
        raise ValueError(f"hold hours must be positive, got {hours}")
    cal = calendar or _FEDERAL
    remaining = timedelta(hours=hours)
    t = release_time
    while True:
        midnight = datetime.combine(t.date() + _DAY, time(), tzinfo=t.tzinfo)
        if not cal.is_excluded(t.date()):
            if remaining <= midnight - t:
                return t + remaining
            remaining -= midnight - t
        t = midnight


def counted_time(start: datetime, end: datetime, calendar: HolidayCalendar | None = None) -> timedelta:
    """How much of [start, end) falls on counting days (the inverse of ``hold_deadline``)."""
    cal = calendar or _FEDERAL
    total = timedelta()
    t = start
    while t < end:
        midnight = datetime.combine(t.date() + _DAY, time(), tzinfo=t.tzinfo)
        if not cal.is_excluded(t.date()):
            total += min(midnight, end) - t
        t = midnight
    return total


def is_overdue(deadline: datetime, now: datetime) -> bool:
    """True once ``now`` is past the deadline (holding *at* the deadline is still lawful)."""
    return now > deadline
