"""The interoperability report's definitions, one behaviour per test, on hand-built records."""

from __future__ import annotations

from datetime import date, datetime

from scomm.stats.interoperability import interoperability_report
from tests.stats import factories as f

D = datetime


def test_submissions_are_searched_bookings_in_the_cumulative_window(session) -> None:
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    f.booking(session, j, D(2009, 3, 1, 10))
    f.booking(session, j, D(2009, 3, 31, 23))  # last day of the month: counted
    f.booking(session, j, D(2009, 4, 1, 0, 5))  # after the month-end: not counted
    f.booking(session, j, D(2009, 3, 2), searched=False)  # searched against IAFIS only
    rep = interoperability_report(session, through=date(2009, 3, 31))
    assert rep.national.tally.submissions == 2
    assert interoperability_report(session, through=date(2009, 4, 30)).national.tally.submissions == 3


def test_start_date_bounds_the_window(session) -> None:
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    f.booking(session, j, D(2009, 1, 5))
    f.booking(session, j, D(2009, 2, 5))
    rep = interoperability_report(session, through=date(2009, 2, 28), start=date(2009, 2, 1))
    assert rep.national.tally.submissions == 1


def test_matches_split_level_1_against_levels_2_and_3(session) -> None:
    j = f.jurisdiction(session, "TX-HARRIS", "TX")
    for level in ("level_1", "level_2", "level_3", "level_3", "non_criminal"):
        f.booking(session, j, D(2010, 5, 1), hit=True, level=level)
    f.booking(session, j, D(2010, 5, 1), hit=False, level="level_1")
    row = interoperability_report(session, through=date(2010, 5, 31)).national.as_dict()
    assert (row["submissions"], row["matches"]) == (6, 5)
    assert (row["matches_level_1"], row["matches_level_2_3"], row["matches_non_criminal"]) == (1, 3, 1)
    assert row["matches_level_1_share"] == 0.2


def test_book_ins_are_transfers_to_ice_counted_by_transfer_date(session) -> None:
    j = f.jurisdiction(session, "TX-HARRIS", "TX")
    b1 = f.booking(session, j, D(2010, 5, 30), hit=True, level="level_2")
    f.detainer(session, b1, state="transferred", transferred=D(2010, 5, 31, 12))
    b2 = f.booking(session, j, D(2010, 5, 30), hit=True, level="non_criminal")
    f.detainer(session, b2, state="transferred", transferred=D(2010, 6, 1, 9))  # next month
    b3 = f.booking(session, j, D(2010, 5, 30), hit=True, level="level_1")
    f.detainer(session, b3, state="released", closed=D(2010, 5, 31))  # never in ICE custody
    may = interoperability_report(session, through=date(2010, 5, 31)).national.tally
    june = interoperability_report(session, through=date(2010, 6, 30)).national.tally
    assert may.book_ins == {"level_1": 0, "level_2": 1, "level_3": 0, "non_criminal": 0}
    assert june.total_book_ins == 2 and june.book_ins["non_criminal"] == 1


def test_a_removed_person_is_also_a_book_in(session) -> None:
    j = f.jurisdiction(session, "TX-HARRIS", "TX")
    f.removed(session, j, D(2010, 1, 4), "level_3", D(2010, 2, 20))
    t = interoperability_report(session, through=date(2010, 2, 28)).national.tally
    assert t.book_ins["level_3"] == 1 and t.removals["level_3"] == 1


def test_removals_by_level_counted_by_removal_date_with_shares(session) -> None:
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    for level in ("level_1", "non_criminal", "non_criminal", "level_2"):
        f.removed(session, j, D(2009, 1, 5), level, D(2009, 2, 10))
    f.removed(session, j, D(2009, 1, 5), "level_1", D(2009, 3, 1))  # removed after the month-end
    row = interoperability_report(session, through=date(2009, 2, 28)).national.as_dict()
    assert (row["removals"], row["removals_level_1"], row["removals_non_criminal"]) == (4, 1, 2)
    assert row["removals_level_1_share"] == 0.25 and row["removals_non_criminal_share"] == 0.5


def test_shares_are_none_without_a_denominator(session) -> None:
    f.jurisdiction(session, "MA-SUFFOLK", "MA")
    row = interoperability_report(session, through=date(2009, 2, 28)).national.as_dict()
    assert row["removals_level_1_share"] is None and row["match_rate"] is None


def test_state_and_county_rows_carry_activation_dates(session) -> None:
    a = f.jurisdiction(session, "CA-SANTACLARA", "CA", date(2010, 5, 11))
    b = f.jurisdiction(session, "CA-LA", "CA", date(2009, 8, 27))
    f.jurisdiction(session, "NY-NYC", "NY", date(2012, 5, 15))  # not yet activated: no row
    f.booking(session, a, D(2010, 6, 1), hit=True)
    f.booking(session, b, D(2010, 6, 1))
    f.booking(session, b, D(2010, 6, 2))
    rep = interoperability_report(session, through=date(2010, 12, 31))
    assert [(r.state, r.activated_on, r.tally.submissions) for r in rep.states] == [("CA", date(2009, 8, 27), 3)]
    assert {r.code: (r.activated_on, r.tally.submissions) for r in rep.counties} == {
        "CA-SANTACLARA": (date(2010, 5, 11), 1), "CA-LA": (date(2009, 8, 27), 2)}


def test_state_filter_keeps_that_state_and_the_national_row(session) -> None:
    ma = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    tx = f.jurisdiction(session, "TX-HARRIS", "TX")
    f.booking(session, ma, D(2010, 1, 1))
    f.booking(session, tx, D(2010, 1, 1))
    rep = interoperability_report(session, through=date(2010, 1, 31), state="tx")
    assert [r.state for r in rep.states] == ["TX"] and [r.code for r in rep.counties] == ["TX-HARRIS"]
    assert rep.national.tally.submissions == 2


def test_unregistered_oris_count_nationally_only(session) -> None:
    f.jurisdiction(session, "MA-SUFFOLK", "MA")
    f.booking(session, None, D(2010, 1, 1))
    rep = interoperability_report(session, through=date(2010, 1, 31))
    assert rep.national.tally.submissions == 1 and sum(r.tally.submissions for r in rep.counties) == 0


def test_public_row_suppresses_small_cells_and_their_shares(session) -> None:
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    for _ in range(10):
        f.booking(session, j, D(2010, 1, 1), hit=True, level="level_1")
    public = interoperability_report(session, through=date(2010, 1, 31)).national.public_dict()
    assert public["submissions"] == 10 and public["matches_level_1"] == 10
    assert public["matches_level_1_share"] == 1.0
    assert public["removals"] == 0 and public["removals_level_1_share"] is None
