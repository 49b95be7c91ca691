"""Keyboard only: Tab reaches the filters, arrows/Enter/Space operate them, the focus ring is visible."""

from __future__ import annotations

from tests.dashboard.pages import generation, open_dashboard, wait_render

MAX_TABS = 40


def tab_to(page, element_id: str) -> None:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_tab_reaches_the_filters_and_the_keys_operate_them(page, live) -> None:
    open_dashboard(page, live.url)
    tab_to(page, "f-state")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "a focused control shows a focus ring"
    before = generation(page)
    page.keyboard.press("ArrowDown")  # a closed select changes value with the arrow keys
    wait_render(page, before)
    assert page.input_value("#f-state") == "IL"
    codes = page.eval_on_selector_all("#table-counties tbody th", "ts => ts.map(t => t.textContent.trim())")
    assert codes == ["IL-COOK"]

    page.keyboard.press("Tab")  # the jurisdiction select: Space opens it, arrows move, Enter picks
    assert page.evaluate("document.activeElement.id") == "f-jurisdiction"
    before = generation(page)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_render(page, before)
    assert page.input_value("#f-jurisdiction") == "IL-COOK"

    tab_to(page, "f-apply")
    before = generation(page)
    page.keyboard.press("Enter")
    wait_render(page, before)

    tab_to(page, "f-reset")
    before = generation(page)
    page.keyboard.press("Space")
    wait_render(page, before)
    assert page.input_value("#f-state") == "" and page.input_value("#f-jurisdiction") == ""
    assert len(page.eval_on_selector_all("#table-counties tbody tr", "rs => rs")) == 4
