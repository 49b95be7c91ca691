"""Policy comparison: the what-if simulation for the filtered jurisdiction, drawn and tabled."""

from __future__ import annotations

from tests.dashboard import counts
from tests.dashboard.pages import generation, open_dashboard, snap, table, use_token, wait_render


def compare(page, jurisdiction: str, policy: str) -> None:
    before = generation(page)
    page.select_option("#f-jurisdiction", jurisdiction)
    wait_render(page, before)
    page.select_option("#p-policy", policy)
    before = generation(page)
    page.click("#p-run")
    wait_render(page, before)


def test_honoring_all_in_cook_county_shows_every_declined_hold(page, live) -> None:
    open_dashboard(page, live.url)
    use_token(page, live.world.tokens["auditor"])
    compare(page, "IL-COOK", "honor_all")
    with live.db.session() as s:
        lodged = counts.lodged_in(s, "IL-COOK")
    total = next(r for r in table(page, "#table-policy") if r["Group"] == "Total")
    # Cook County's 2011 ordinance declined every hold; honoring all would hold every lodged detainer.
    assert (int(total["Lodged detainers"]), int(total["Holds, actual"]), int(total["Holds, alternative"])) == \
        (lodged, 0, lodged)
    assert len(table(page, "#table-flips")) == lodged
    label = page.get_attribute("#policy-result svg", "aria-label")
    assert "honor_all" in label and "IL-COOK" in label
    snap(page, "policy_comparison_auditor", "#policy")


def test_public_comparison_lists_no_bookings(page, live) -> None:
    open_dashboard(page, live.url)
    compare(page, "IL-COOK", "honor_all")
    assert page.query_selector("#table-flips") is None
    assert "auditors only" in page.inner_text("#policy-result")


def test_comparison_asks_for_a_jurisdiction_first(page, live) -> None:
    open_dashboard(page, live.url)
    page.click("#p-run")
    assert "Choose a jurisdiction" in page.inner_text("#policy-message")
