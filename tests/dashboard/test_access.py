"""A visitor without a token sees public aggregates only; a token unlocks timelines within its scope."""

from __future__ import annotations

import re

from sqlalchemy import select

from scomm.records import Booking
from tests.dashboard import counts
from tests.dashboard.pages import generation, open_dashboard, snap, table, use_token, wait_render


def show_timeline(page, tcn: str) -> None:
    before = generation(page)
    page.fill("#t-tcn", tcn)
    page.click("#t-show")
    wait_render(page, before)


def test_public_visitor_sees_small_cells_withheld(page, live) -> None:
    open_dashboard(page, live.url)
    assert "Viewing as the public" in page.inner_text("#viewer")
    with live.db.session() as s:
        by_state = counts.searched_by_state(s)
    assert 0 < by_state["TX"] < 10, "the test world should hold a small cell"
    states = {r["State"]: r["Submissions"] for r in table(page, "#table-states")}
    assert states["TX"] == "<10" and states["MA"] == f"{by_state['MA']}"
    assert page.text_content("svg.tilemap g.tile[data-state=TX] text.value") == "<10"


def test_public_page_carries_no_personal_data(page, live) -> None:
    open_dashboard(page, live.url)
    text = page.inner_text("body")
    with live.db.session() as s:
        bookings = list(s.scalars(select(Booking)))
    names = {b.name for b in bookings if b.name}
    assert names and not any(name in text for name in names)
    tcns = {b.tcn for b in bookings}
    assert not tcns & set(re.findall(r"\bT\d+\b", text))
    assert not any(b.fbi_number and b.fbi_number in text for b in bookings)


def test_public_visitor_is_refused_a_timeline(page, live) -> None:
    open_dashboard(page, live.url)
    show_timeline(page, live.world.timeline_tcn["MA-SUFFOLK"])
    assert "Refused" in page.inner_text("#timeline-result-refused")
    assert page.query_selector("#timeline-steps") is None


def test_agency_token_shows_its_own_booking_timeline_only(page, live) -> None:
    open_dashboard(page, live.url)
    use_token(page, live.world.tokens["agency:MA-SUFFOLK"])
    assert "booking_agency" in page.inner_text("#viewer")
    own = live.world.timeline_tcn["MA-SUFFOLK"]
    show_timeline(page, own)
    steps = page.eval_on_selector_all("#timeline-steps li strong", "ss => ss.map(s => s.textContent)")
    assert steps[0] == "booked" and "response SRE" in steps and "response I247" in steps
    assert "detainer lodge" in steps and "intake.accepted" in steps and "identify.immigration_match" in steps
    times = page.eval_on_selector_all("#timeline-steps time", "ts => ts.map(t => t.getAttribute('datetime'))")
    assert times == sorted(times)
    snap(page, "timeline_own_booking", "#timeline")
    other = live.world.timeline_tcn["IL-COOK"]
    show_timeline(page, other)
    assert page.inner_text("#timeline-result-refused") == f"No booking {other} within your token's scope."


def test_token_lives_in_session_storage_and_can_be_forgotten(page, live) -> None:
    open_dashboard(page, live.url)
    use_token(page, live.world.tokens["auditor"])
    assert page.evaluate("sessionStorage.getItem('scomm.token')") == live.world.tokens["auditor"]
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
    assert "auditor" in page.inner_text("#viewer")
    before = generation(page)
    page.click("#token-forget")
    wait_render(page, before)
    assert "Viewing as the public" in page.inner_text("#viewer")
    assert page.evaluate("sessionStorage.getItem('scomm.token')") is None


def test_a_bad_token_is_refused_and_not_kept(page, live) -> None:
    open_dashboard(page, live.url)
    page.fill("#token", "scomm_999_not-a-secret")
    page.click("#token-use")
    page.wait_for_function("() => document.getElementById('viewer').textContent.includes('refused')")
    assert page.evaluate("sessionStorage.getItem('scomm.token')") is None
