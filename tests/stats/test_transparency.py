"""Transparency indicators per jurisdiction and month, and small-cell suppression."""

from __future__ import annotations

from datetime import date, datetime

from scomm.stats.disclosure import public_share, suppress
from scomm.stats.transparency import is_traffic_only, public_rows, transparency_indicators
from tests.stats import factories as f

D = datetime


def _row(rows, code, month):
    return next(r for r in rows if r.jurisdiction == code and r.month == month)


def test_suppress_small_cells() -> None:
    assert suppress(9) == "<10" and suppress(1) == "<10"
    assert suppress(10) == 10 and suppress(0) == 0


def test_shares_from_suppressed_cells_are_withheld() -> None:
    assert public_share(9, 40) is None and public_share(12, 9) is None
    assert public_share(10, 40) == 0.25 and public_share(0, 0) is None


def test_detainer_shares_by_booking_month(session) -> None:
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    for level in ("level_1", "non_criminal", "non_criminal", "level_3"):
        f.detainer(session, f.booking(session, j, D(2009, 3, 10), hit=True, level=level))
    f.detainer(session, f.booking(session, j, D(2009, 3, 10), hit=True), action="no_action", state="not_lodged")
    row = _row(transparency_indicators(session), "MA-SUFFOLK", "2009-03").as_dict()
    assert (row["detainers"], row["detainers_non_criminal"], row["detainers_level_1"]) == (4, 2, 1)
    assert row["detainers_non_criminal_share"] == 0.5 and row["detainers_level_1_share"] == 0.25


def test_removals_by_removal_month(session) -> None:
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    f.removed(session, j, D(2009, 3, 10), "level_1", D(2009, 5, 2))
    f.removed(session, j, D(2009, 3, 11), "non_criminal", D(2009, 5, 3))
    rows = transparency_indicators(session)
    may = _row(rows, "MA-SUFFOLK", "2009-05")
    assert (may.removals, may.removals_level_1, may.removals_non_criminal) == (2, 1, 1)
    assert _row(rows, "MA-SUFFOLK", "2009-03").removals == 0


def test_citizen_detainers_by_status_or_review_of_any_action(session) -> None:
    j = f.jurisdiction(session, "TX-HARRIS", "TX")
    f.detainer(session, f.booking(session, j, D(2011, 1, 3), hit=True, iar="usc_naturalized"),
               action="no_action", state="not_lodged")
    f.detainer(session, f.booking(session, j, D(2011, 1, 4), hit=True, iar="usc_derived"))
    f.detainer(session, f.booking(session, j, D(2011, 1, 5), hit=True), action="human_review", state="cancelled",
               review="reviewer confirmed US citizenship by birth")
    f.detainer(session, f.booking(session, j, D(2011, 1, 6), hit=True), action="human_review", state="cancelled",
               review="crime victim (U visa) confirmed")
    assert _row(transparency_indicators(session), "TX-HARRIS", "2011-01").citizen_detainers == 3


def test_holds_past_deadline(session) -> None:
    j = f.jurisdiction(session, "TX-HARRIS", "TX")
    rel, dl = D(2011, 2, 1, 8), D(2011, 2, 3, 8)
    f.detainer(session, f.booking(session, j, D(2011, 1, 30), hit=True), state="transferred", release=rel,
               deadline=dl, transferred=D(2011, 2, 3, 9))  # one hour late
    f.detainer(session, f.booking(session, j, D(2011, 1, 30), hit=True), state="transferred", release=rel,
               deadline=dl, transferred=D(2011, 2, 3, 8))  # at the deadline: lawful
    f.detainer(session, f.booking(session, j, D(2011, 1, 30), hit=True), state="released", release=rel,
               deadline=dl, closed=D(2011, 2, 4))  # released late
    f.detainer(session, f.booking(session, j, D(2011, 1, 30), hit=True), state="held", release=rel,
               deadline=dl)  # still held at the end of the period
    rows = transparency_indicators(session, through=date(2011, 2, 28))
    assert _row(rows, "TX-HARRIS", "2011-02").holds_past_deadline == 3


def test_traffic_only_matches() -> None:
    assert is_traffic_only([{"ncic_code": "5404"}, {"ncic_code": "5499"}])
    assert not is_traffic_only([{"ncic_code": "5404"}, {"ncic_code": "1313"}])
    assert not is_traffic_only([])


def test_traffic_only_counted_among_matches(session) -> None:
    j = f.jurisdiction(session, "TX-HARRIS", "TX")
    f.booking(session, j, D(2011, 4, 2), hit=True, charges=("5499",))
    f.booking(session, j, D(2011, 4, 2), hit=True, charges=("5404", "2303"))
    f.booking(session, j, D(2011, 4, 2), hit=False, charges=("5499",))  # not a match
    row = _row(transparency_indicators(session), "TX-HARRIS", "2011-04")
    assert (row.matches, row.traffic_only_matches) == (2, 1)


def test_declined_holds_by_deciding_rule(session) -> None:
    j = f.jurisdiction(session, "IL-COOK", "IL")
    for rule in ("no_reimbursement", "no_reimbursement", "not_convicted"):
        b = f.booking(session, j, D(2011, 10, 2), hit=True)
        f.decision(session, b, f.detainer(session, b, state="released"), hold=False, rule=rule)
    b = f.booking(session, j, D(2011, 10, 2), hit=True)
    f.decision(session, b, f.detainer(session, b), hold=True)
    row = _row(transparency_indicators(session), "IL-COOK", "2011-10")
    assert dict(row.declined) == {"no_reimbursement": 2, "not_convicted": 1}


def test_period_and_state_filters(session) -> None:
    ma = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    tx = f.jurisdiction(session, "TX-HARRIS", "TX")
    f.booking(session, ma, D(2011, 1, 2), hit=True)
    f.booking(session, tx, D(2011, 1, 2), hit=True)
    f.booking(session, tx, D(2011, 3, 2), hit=True)
    rows = transparency_indicators(session, through=date(2011, 1, 31), state="TX")
    assert [(r.jurisdiction, r.month) for r in rows] == [("TX-HARRIS", "2011-01")]


def test_public_rows_show_no_personal_data_and_suppress(session) -> None:
    j = f.jurisdiction(session, "MA-SUFFOLK", "MA")
    for _ in range(9):
        f.detainer(session, f.booking(session, j, D(2009, 3, 10), hit=True, level="non_criminal"))
    (public,) = public_rows(transparency_indicators(session))
    assert public["detainers"] == "<10" and public["detainers_non_criminal_share"] is None
    text = repr(public)
    assert "DOE" not in text and "A0" not in text and "FIN" not in text
