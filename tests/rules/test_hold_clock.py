from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scomm.rules.hold_clock import (FederalCalendar, FixedCalendar, counted_time, hold_deadline,
                                    is_overdue)

FEDERAL = FederalCalendar()
releases = st.datetimes(min_value=datetime(2008, 1, 1), max_value=datetime(2016, 12, 31))
hours = st.sampled_from([24, 48])


def test_friday_evening_release_runs_to_tuesday():
    assert hold_deadline(datetime(2012, 6, 1, 17)) == datetime(2012, 6, 5, 17)


def test_observed_christmas_2011_is_excluded():
    # Friday 23 Dec 2011 17:00: 7h Friday; Sat, Sun, Mon 26 (Christmas observed) skipped; 24h Tue; 17h Wed.
    assert hold_deadline(datetime(2011, 12, 23, 17)) == datetime(2011, 12, 28, 17)


def test_release_during_weekend_starts_counting_monday_midnight():
    assert hold_deadline(datetime(2012, 6, 2, 13, 45)) == datetime(2012, 6, 6, 0)


def test_count_ending_at_midnight_ends_at_that_midnight():
    assert hold_deadline(datetime(2012, 6, 6, 0)) == datetime(2012, 6, 8, 0)
    assert hold_deadline(datetime(2012, 6, 7, 0)) == datetime(2012, 6, 9, 0)  # Friday 24:00


def test_24_hour_variant():
    assert hold_deadline(datetime(2012, 6, 1, 17), hours=24) == datetime(2012, 6, 4, 17)


def test_injected_calendar():
    monday_closure = FixedCalendar.of([date(2012, 6, 4)])
    assert hold_deadline(datetime(2012, 6, 1, 17), calendar=monday_closure) == datetime(2012, 6, 6, 17)
    no_weekends = FixedCalendar(weekends=False)
    assert hold_deadline(datetime(2012, 6, 1, 17), calendar=no_weekends) == datetime(2012, 6, 3, 17)


def test_local_closures_extend_federal_calendar():
    cal = FederalCalendar(extra=frozenset({date(2012, 6, 4)}))
    assert hold_deadline(datetime(2012, 6, 1, 17), calendar=cal) == datetime(2012, 6, 6, 17)


def test_overdue_only_after_the_deadline():
    deadline = datetime(2012, 6, 5, 17)
    assert not is_overdue(deadline, deadline)
    assert is_overdue(deadline, deadline + timedelta(microseconds=1))


def test_hours_must_be_positive():
    with pytest.raises(ValueError):
        hold_deadline(datetime(2012, 6, 1), hours=0)


@settings(max_examples=300, deadline=None)
@given(releases, hours)
def test_deadline_at_least_release_plus_hours(release, h):
    assert hold_deadline(release, h) >= release + timedelta(hours=h)


@settings(max_examples=300, deadline=None)
@given(releases, hours)
def test_exactly_the_hours_are_counted(release, h):
    assert counted_time(release, hold_deadline(release, h)) == timedelta(hours=h)


@settings(max_examples=300, deadline=None)
@given(releases, hours)
def test_deadline_never_falls_on_an_excluded_day(release, h):
    # the last counted instant is on a counting day (a deadline of exactly midnight ends the day before)
    last = hold_deadline(release, h) - timedelta(microseconds=1)
    assert not FEDERAL.is_excluded(last.date())


@settings(max_examples=200, deadline=None)
@given(releases, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)), hours)
def test_monotonic_in_release_time(release, delay, h):
    assert hold_deadline(release, h) <= hold_deadline(release + delay, h)


@settings(max_examples=200, deadline=None)
@given(releases)
def test_24_hours_never_longer_than_48(release):
    assert hold_deadline(release, 24) <= hold_deadline(release, 48)


@settings(max_examples=200, deadline=None)
@given(releases, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
def test_no_time_counts_on_an_excluded_day(release, span):
    day = release.date()
    if FEDERAL.is_excluded(day):
        end = min(release + span, datetime.combine(day + timedelta(days=1), datetime.min.time()))
        assert counted_time(release, end) == timedelta(0)
