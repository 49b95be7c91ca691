"""Reading the dashboard as a user would: wait for a render, read a table, read the chart labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

READY_TIMEOUT_MS = 15_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def generation(page: Any) -> int:
    return int(page.evaluate("document.documentElement.dataset.generation || '0'"))


def wait_render(page: Any, after: int) -> None:
    """Wait until the dashboard finished a render newer than generation `after`, without error."""
    page.wait_for_function(f"() => Number(document.documentElement.dataset.generation || 0) > {after} "
                           "&& document.documentElement.dataset.state !== 'loading'", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("document.documentElement.dataset.state") == "ready", page.inner_text("#error")


def open_dashboard(page: Any, url: str) -> None:
    page.goto(f"{url}/dashboard")
    wait_render(page, 0)  # generation 1: the first render of the statistics


def table(page: Any, selector: str) -> list[dict[str, str]]:
    """The rows of a data table as {column header: cell text}."""
    return page.eval_on_selector(selector, """t => {
        const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
        return [...t.querySelectorAll('tbody tr')].map(tr =>
            Object.fromEntries([...tr.children].map((c, i) => [heads[i], c.textContent.trim()])));
    }""")


def cell(text: str) -> int | None:
    """A printed count: "1,234" → 1234; the withheld marker "<10" → None."""
    return None if text == "<10" else int(text.replace(",", ""))


def by(rows: list[dict[str, str]], key: str, column: str) -> dict[str, int | None]:
    return {r[key]: cell(r[column]) for r in rows}


def chart_values(page: Any, measure: str) -> dict[str, int | None]:
    """The value labels printed on a monthly bar chart, by bar label."""
    labels = page.eval_on_selector_all(f"figure[data-measure={measure}] svg text.value",
                                       "ts => ts.map(t => [t.dataset.label, t.textContent])")
    return {label: cell(text) for label, text in labels}


def use_token(page: Any, token: str) -> None:
    before = generation(page)
    page.fill("#token", token)
    page.click("#token-use")
    wait_render(page, before)


def snap(page: Any, name: str, selector: str = "body") -> None:
    """Save a screenshot of one part of the page as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).screenshot(path=str(SCREENSHOTS / f"{name}.png"))
